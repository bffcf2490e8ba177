//! Provenance of catalogue rows (`status`): the counts of the shipped catalogues, sources of
//! non-proposed rows, renewal-task links, the refusal of an uncited official row, and the
//! warning of a check-up scored on proposed indicators.

use citycheck::catalog::{Status, StatusCounts};
use citycheck::run::RunConfig;
use citycheck::{Catalog, WarningCode};

/// The check-up catalogues whose every scored indicator points to a renewal task
/// (`ccsy-example` is an example, not a check-up catalogue).
const CHECKUP_CATALOGUES: [&str; 3] = ["mohurd-2021", "mohurd-2023", "liaoning-pilot-2025"];

fn counts(official: usize, confirmed: usize, local: usize, proposed: usize) -> StatusCounts {
    StatusCounts { official, confirmed, local, proposed }
}

#[test]
fn status_counts_of_the_shipped_catalogues() {
    // The catalogues' descriptions state these counts.
    for (id, indicators, groups) in [
        ("ccsy-example", counts(0, 0, 0, 17), counts(0, 0, 0, 3)),
        ("mohurd-2021", counts(5, 3, 0, 33), counts(1, 7, 0, 0)),
        ("mohurd-2023", counts(0, 31, 16, 6), counts(0, 18, 0, 0)),
        // Every target and row of the plan's table is quoted from the plan.
        ("liaoning-pilot-2025", counts(20, 0, 0, 0), counts(5, 0, 0, 0)),
        // The plan asks for the annual assessment but names no indicator or dimension of it.
        ("liaoning-assessment", counts(0, 0, 0, 7), counts(0, 0, 0, 1)),
    ] {
        let c = Catalog::builtin(id).unwrap();
        assert_eq!(c.indicator_status(false), indicators, "{id}: indicators");
        assert_eq!(c.group_status(), groups, "{id}: groups");
    }
    // The official rows of mohurd-2021 are 生态宜居 items 1–5 of the official table.
    let c = Catalog::builtin("mohurd-2021").unwrap();
    let official: Vec<&str> =
        c.indicators().iter().filter(|i| i.status == Status::Official).map(|i| i.id.as_str()).collect();
    assert_eq!(
        official,
        [
            "development_intensity",
            "cluster_size",
            "dense_construction_land",
            "tall_new_housing",
            "eco_corridor_compliance"
        ]
    );
    // Rows resting on the 绵阳 template alone are local.
    let c = Catalog::builtin("mohurd-2023").unwrap();
    assert_eq!(c.indicator("compounds_without_health_station").unwrap().status, Status::Local);
    assert_eq!(c.indicator("gas_hazard_dwellings").unwrap().status, Status::Confirmed);
}

#[test]
fn every_row_that_is_not_proposed_cites_a_source() {
    for id in Catalog::builtin_ids() {
        let c = Catalog::builtin(id).unwrap();
        for g in c.groups().iter().filter(|g| g.status != Status::Proposed) {
            assert!(g.source.as_deref().is_some_and(|s| !s.trim().is_empty()), "{id}: group '{}'", g.id);
        }
        for i in c.indicators().iter().filter(|i| i.status != Status::Proposed) {
            assert!(i.source.as_deref().is_some_and(|s| !s.trim().is_empty()), "{id}: indicator '{}'", i.id);
        }
    }
    // The shipped catalogues cite a source on every row, proposed or not.
    for id in ["ccsy-example", "mohurd-2021", "mohurd-2023", "liaoning-pilot-2025", "liaoning-assessment"] {
        let c = Catalog::builtin(id).unwrap();
        assert!(c.groups().iter().all(|g| g.source.is_some()), "{id}: a group without source");
        assert!(c.indicators().iter().all(|i| i.source.is_some()), "{id}: an indicator without source");
    }
}

#[test]
fn every_scored_indicator_of_a_checkup_catalogue_links_a_renewal_task() {
    for id in CHECKUP_CATALOGUES {
        let c = Catalog::builtin(id).unwrap();
        let unlinked: Vec<&str> =
            c.indicators().iter().filter(|i| i.is_scored() && i.tasks.is_empty()).map(|i| i.id.as_str()).collect();
        assert!(unlinked.is_empty(), "{id}: scored indicators without a task: {unlinked:?}");
        for i in c.indicators() {
            assert!(i.tasks.iter().all(|t| (1..=18).contains(t)), "{id}: '{}' tasks {:?}", i.id, i.tasks);
        }
    }
}

#[test]
fn mohurd_2021_transport_carries_the_checkup_names() {
    let c = Catalog::builtin("mohurd-2021").unwrap();
    for (id, name, report_name) in [
        ("commute_time", "城市常住人口平均单程通勤时间", "单程平均通勤时耗"),
        ("commute_within_5km_share", "通勤距离小于5公里的人口比例", "5公里以内通勤比重"),
        ("rail_800m_commute_share", "轨道站点周边覆盖通勤比例", "轨道800米覆盖通勤比重"),
    ] {
        let i = c.indicator(id).unwrap();
        assert_eq!(i.name_zh, name);
        assert_eq!(c.indicator(report_name).map(|r| r.id.as_str()), Some(id), "the report's name is an alias");
    }
}

#[test]
fn mohurd_2023_road_density_standard_and_two_radius_park_coverage() {
    let c = Catalog::builtin("mohurd-2023").unwrap();
    let road = c.indicator("road_network_density").unwrap();
    assert_eq!(road.standard.as_ref().and_then(|s| s.value), Some(8.0));
    let park = c.indicator("park_green_service_coverage").unwrap();
    assert!(park.is_scored() && park.formula.is_none(), "scored, supplied as data");
    assert_eq!(park.tasks, [5]);
}

const OFFICIAL_WITHOUT_SOURCE: &str = r#"
[catalog]
id = "t"
name = "测试"
version = "1"

[[groups]]
id = "g"
name_zh = "维度"
name_en = "Group"
status = "confirmed"
source = "two reprints"

[[indicators]]
id = "cited"
name_zh = "有出处"
name_en = "Cited"
group = "g"
unit = "%"
direction = "higher"
status = "official"
source = "the official table"

[[indicators]]
id = "uncited"
name_zh = "无出处"
name_en = "Uncited"
group = "g"
unit = "%"
direction = "higher"
status = "official"
"#;

#[test]
fn an_official_row_without_source_is_refused_naming_the_row() {
    let err = Catalog::from_toml(OFFICIAL_WITHOUT_SOURCE, "bad.toml").unwrap_err().to_string();
    assert!(err.contains("bad.toml"), "names the catalogue: {err}");
    assert!(err.contains("'uncited'") && err.contains("official") && err.contains("no source"), "{err}");
    // Proposed (written or by default) needs no source; other statuses with a source load.
    let last = OFFICIAL_WITHOUT_SOURCE.rfind("status = \"official\"").unwrap();
    let fixed = OFFICIAL_WITHOUT_SOURCE[..last].to_string();
    let proposed = format!("{fixed}status = \"proposed\"\n");
    for text in [fixed, proposed] {
        let c = Catalog::from_toml(&text, "ok.toml").unwrap();
        assert_eq!(c.indicator("uncited").unwrap().status, Status::Proposed);
        assert_eq!(c.indicator("cited").unwrap().status, Status::Official);
        assert_eq!(c.group("g").unwrap().status, Status::Confirmed);
    }
    // An empty source is no source; a group is checked as well.
    let empty = OFFICIAL_WITHOUT_SOURCE.replace("source = \"two reprints\"", "source = \" \"");
    let err = Catalog::from_toml(&empty, "empty.toml").unwrap_err().to_string();
    assert!(err.contains("empty.toml") && err.contains("'g'") && err.contains("no source"), "{err}");
    // An unknown status is a TOML error.
    let unknown = OFFICIAL_WITHOUT_SOURCE.replace("status = \"confirmed\"", "status = \"rumoured\"");
    assert!(Catalog::from_toml(&unknown, "u.toml").is_err());
}

#[test]
fn the_default_run_warns_that_its_indicators_are_proposed() {
    let dir = tempfile::tempdir().unwrap();
    let report = citycheck::run::run(&RunConfig::embedded(), Some(dir.path())).unwrap().report;
    let n = report.counts.indicators;
    assert!(n > 0);
    // ccsy-example is an example: every scored indicator is proposed.
    assert_eq!(report.indicator_status, counts(0, 0, 0, n));
    let proposed: Vec<&str> = report
        .warnings
        .iter()
        .filter(|w| w.code == WarningCode::ProposedIndicators)
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(
        proposed,
        [format!("{n} of the {n} scored indicators are proposed (not from an official or confirmed source)")]
    );
    assert_eq!(WarningCode::ProposedIndicators.as_str(), "proposed_indicators");
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("run.json")).unwrap()).unwrap();
    assert_eq!(run["indicator_status"]["proposed"], n);
    assert_eq!(run["indicator_status"]["official"], 0);
    assert!(run["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "proposed_indicators"));
}
