//! The annual assessment (年度考核评估): a hand-built set of two cities and two years — every
//! indicator value, score, rank and tier written out by hand — and bad input.

use std::path::{Path, PathBuf};

use citycheck::assess::{assess, AssessData, AssessInputs, AssessOptions, Assessment, Incentive, Tier, CATALOG_ID};
use citycheck::run::RunConfig;
use citycheck::{Catalog, Spec};

const A: &str = "沈阳市";
const B: &str = "大连市";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The tables of a run, by hand. Expected values (×100 where the table holds fractions):
/// - rectification_rate: A 80 / 90, B 40 / 50 (2023 / 2024; the building row is another level);
/// - closure_rate: A 50 / 60, B 25 / 30;
/// - target_progress: A 2023 (50 + 100 capped from 150) / 2 = 75, 2024 80 (an empty progress is
///   skipped); B 2023 (20 + 0 capped from −40) / 2 = 10, 2024 30;
/// - satisfaction: A 2023 (90 + 80) / 2 = 85, 2024 92; B 60, 70;
/// - red_warnings_reduced: A 3 red in 2023, 1 in 2024 → 2; B 2 and 2 → 0; none in 2023 (the
///   file's first year);
/// - projects (2024 only): A 1 of 2 completed → 50, investment (100·100 % + 300·50 %) / 400 =
///   62.5; B 0 of 2 → 0, investment 200·25 % / 200 = 25 (P4 has no investment).
fn inputs(dir: &Path) -> AssessInputs {
    let recheck = write(
        dir,
        "recheck_summary.csv",
        "unit,level,year,rectification_rate,closure_rate\n\
         沈阳市,city,2023,0.8,0.5\n大连市,city,2023,0.4,0.25\n\
         沈阳市,city,2024,0.9,0.6\n大连市,city,2024,0.5,0.3\n沈阳市,building,2024,0.1,0.1\n",
    );
    let progress = write(
        dir,
        "progress.csv",
        "unit,indicator,latest_year,progress\n\
         沈阳市,a,2023,0.5\n沈阳市,b,2023,1.5\n大连市,a,2023,0.2\n大连市,b,2023,-0.4\n\
         沈阳市,a,2024,0.8\n沈阳市,b,2024,\n大连市,a,2024,0.3\n",
    );
    let warnings = write(
        dir,
        "warnings.csv",
        "unit,year,indicator,value,attainment,level,reason\n\
         沈阳市,2023,a,1,0.1,red,x\n沈阳市,2023,b,1,0.1,red,x\n沈阳市,2023,c,1,0.1,red,x\n沈阳市,2023,d,1,1,green,x\n\
         大连市,2023,a,1,0.1,red,x\n大连市,2023,b,1,0.1,red,x\n大连市,2023,c,1,0.95,yellow,x\n\
         沈阳市,2024,a,1,0.1,red,x\n沈阳市,2024,b,1,1,green,x\n沈阳市,2024,c,1,1,green,x\n\
         大连市,2024,a,1,0.1,red,x\n大连市,2024,b,1,0.1,red,x\n",
    );
    let survey = write(
        dir,
        "survey_dimensions.csv",
        "unit,year,dimension,satisfaction\n\
         沈阳市,2023,d1,0.9\n沈阳市,2023,d2,0.8\n大连市,2023,d1,0.6\n沈阳市,2024,d1,0.92\n大连市,2024,d1,0.7\n",
    );
    let projects = write(
        dir,
        "projects.csv",
        "project_id,unit,name,investment,status,progress\n\
         P1,沈阳市,x,100,completed,100\nP2,沈阳市,y,300,in_progress,50\n\
         P3,大连市,z,200,in_progress,25\nP4,大连市,w,,planned,0\n",
    );
    AssessInputs {
        recheck_summary: Some(recheck),
        progress: Some(progress),
        projects: vec![(Some(2024), projects)],
        warnings: Some(warnings),
        survey: Some(survey),
        level: None,
    }
}

fn value(a: &Assessment, unit: &str, year: i32, indicator: &str) -> Option<f64> {
    let k = a.indicators.iter().position(|i| i == indicator).unwrap_or_else(|| panic!("{indicator}"));
    a.rows.iter().find(|r| r.unit == unit && r.year == year).unwrap_or_else(|| panic!("{unit} {year}")).values[k]
}

fn close(x: Option<f64>, expected: f64) -> bool {
    x.is_some_and(|x| (x - expected).abs() < 1e-9)
}

#[test]
fn two_cities_two_years_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let data = AssessData::read(&inputs(dir.path())).unwrap();
    let catalog = Catalog::builtin(CATALOG_ID).unwrap();
    let options = AssessOptions { spec: Spec::default(), incentive: Incentive::TopShare(0.5) };
    let a = assess(&data, &catalog, &options).unwrap();
    let expected: [(&str, [f64; 4]); 4] = [
        ("rectification_rate", [80.0, 40.0, 90.0, 50.0]),
        ("closure_rate", [50.0, 25.0, 60.0, 30.0]),
        ("target_progress", [75.0, 10.0, 80.0, 30.0]),
        ("satisfaction", [85.0, 60.0, 92.0, 70.0]),
    ];
    for (id, [a23, b23, a24, b24]) in expected {
        for (unit, year, x) in [(A, 2023, a23), (B, 2023, b23), (A, 2024, a24), (B, 2024, b24)] {
            assert!(close(value(&a, unit, year, id), x), "{id} {unit} {year}: {:?}", value(&a, unit, year, id));
        }
    }
    for (id, a24, b24) in [
        ("red_warnings_reduced", 2.0, 0.0),
        ("projects_completed_share", 50.0, 0.0),
        ("investment_executed_share", 62.5, 25.0),
    ] {
        assert!(close(value(&a, A, 2024, id), a24), "{id} A");
        assert!(close(value(&a, B, 2024, id), b24), "{id} B");
        assert_eq!((value(&a, A, 2023, id), value(&a, B, 2023, id)), (None, None), "{id}: 2023 missing");
    }
    // Min-max over the panel, equal weights, one group: 大连市 2024 scores, per indicator,
    // rectification (50 − 40) / 50 = 20, closure 5 / 35, progress 20 / 70, satisfaction
    // 10 / 32 = 31.25, and 0 on the three others; 沈阳市 2024 is best everywhere: 100.
    let b24 = a.rows.iter().find(|r| r.unit == B && r.year == 2024).unwrap();
    assert!(close(b24.score, (20.0 + 100.0 / 7.0 + 200.0 / 7.0 + 31.25) / 7.0), "{:?}", b24.score);
    // (year, unit, rank, rank change, tier)
    type Ranked<'a> = (i32, &'a str, Option<u32>, Option<i64>, Option<Tier>);
    let ranked: Vec<Ranked<'_>> =
        a.rows.iter().map(|r| (r.year, r.unit.as_str(), r.rank, r.rank_change, r.tier)).collect();
    assert_eq!(
        ranked,
        [
            (2023, A, Some(1), None, Some(Tier::Reward)),
            (2023, B, Some(2), None, Some(Tier::NoReward)),
            (2024, A, Some(1), Some(0), Some(Tier::Reward)),
            (2024, B, Some(2), Some(0), Some(Tier::NoReward)),
        ]
    );
    // A threshold instead: 沈阳市 2023 scores (80 + 500/7 + 650/7 + 78.125) / 4 ≈ 80.6, 大连市 0.
    let options = AssessOptions { spec: Spec::default(), incentive: Incentive::Threshold(80.0) };
    let t = assess(&data, &catalog, &options).unwrap();
    let tiers: Vec<Option<Tier>> = t.rows.iter().map(|r| r.tier).collect();
    assert_eq!(tiers, [Some(Tier::Reward), Some(Tier::NoReward), Some(Tier::Reward), Some(Tier::NoReward)]);
    // The default spec (entropy weights within the group) ranks them the same way.
    let d = assess(&data, &catalog, &AssessOptions::default()).unwrap();
    assert_eq!(d.rows.iter().map(|r| r.rank).collect::<Vec<_>>(), [Some(1), Some(2), Some(1), Some(2)]);
    // The tables: assessment.csv and the ranking in both languages.
    let out = dir.path().join("out");
    let written = a.write(&out, citycheck::io::OutputFormat::Csv).unwrap();
    assert_eq!(written.len(), 3);
    let csv = std::fs::read_to_string(out.join("assessment.csv")).unwrap();
    assert!(csv.starts_with("unit,year,score,rank,rank_change,tier,rectification_rate,closure_rate,"), "{csv}");
    let zh = std::fs::read_to_string(out.join("assessment_ranking_zh.csv")).unwrap();
    assert!(zh.starts_with("年度,排名,城市,得分,排名变化,激励档次\n2023,1,沈阳市,"), "{zh}");
    assert!(zh.contains("奖励") && zh.contains(",无"), "{zh}");
}

#[test]
fn a_missing_table_leaves_its_indicators_missing_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let mut only = inputs(dir.path());
    only.projects.clear();
    only.survey = None;
    let data = AssessData::read(&only).unwrap();
    assert!(data.notes.iter().any(|n| n.contains("no survey table")), "{:?}", data.notes);
    assert!(data.notes.iter().any(|n| n.contains("no projects table")), "{:?}", data.notes);
    let a = assess(&data, &Catalog::builtin(CATALOG_ID).unwrap(), &AssessOptions::default()).unwrap();
    assert!(a.rows.iter().all(|r| value(&a, &r.unit, r.year, "satisfaction").is_none()));
    assert!(a.rows.iter().all(|r| r.score.is_some()));
}

#[test]
fn a_file_missing_a_column_names_the_file_and_the_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut bad = inputs(dir.path());
    let progress = write(dir.path(), "bad_progress.csv", "unit,indicator,latest_year,share\n沈阳市,a,2023,0.5\n");
    bad.progress = Some(progress);
    let err = AssessData::read(&bad).unwrap_err().to_string();
    assert!(err.contains("bad_progress.csv") && err.contains("'progress'"), "{err}");
    // A rate that is not a fraction names the file, row and column.
    let mut bad = inputs(dir.path());
    bad.recheck_summary =
        Some(write(dir.path(), "bad_summary.csv", "unit,year,rectification_rate,closure_rate\n沈阳市,2023,80,0.5\n"));
    let err = AssessData::read(&bad).unwrap_err().to_string();
    assert!(err.contains("bad_summary.csv") && err.contains("rectification_rate") && err.contains("[0, 1]"), "{err}");
    // A bad incentive rule.
    let data = AssessData::read(&inputs(dir.path())).unwrap();
    let options = AssessOptions { incentive: Incentive::TopShare(1.5), ..AssessOptions::default() };
    assert!(assess(&data, &Catalog::builtin(CATALOG_ID).unwrap(), &options).is_err());
}

/// `[assess]` in the default run reads the run's own tables, in memory: the same assessment as
/// `citycheck assess` on the files the run wrote, and values by hand from the synthetic
/// projects table (datasets/projects_synthetic/projects.csv, counted at the ledger year 2012)
/// and from the run's re-check.
#[test]
fn a_run_assesses_its_own_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = citycheck::run::run(&RunConfig::embedded(), Some(dir.path())).unwrap();
    let a = out.assessment.expect("the default run assesses");
    assert!(a.rows.iter().all(|r| r.year == 2012), "years = [2012]");
    // 大连市: DL-2024-01 planned 0 % of 30000 万元, DL-2024-02 completed 100 % of 15000.
    assert!(close(value(&a, B, 2012, "projects_completed_share"), 50.0));
    assert!(close(value(&a, B, 2012, "investment_executed_share"), 100.0 * 15000.0 / 45000.0));
    // 沈阳市: 45 % of 12000 and 80 % of 8500 executed, none completed.
    assert!(close(value(&a, A, 2012, "investment_executed_share"), 100.0 * (0.45 * 12000.0 + 0.8 * 8500.0) / 20500.0));
    assert!(close(value(&a, A, 2012, "projects_completed_share"), 0.0));
    // The rates are the re-check's (2011 → 2012) × 100, for every unit with something carried over.
    let recheck = out.recheck.expect("the default run re-checks");
    let mut rated = 0;
    for s in recheck.summary.iter().filter(|s| s.year == 2012) {
        if let Some(rate) = s.counts.rectification_rate() {
            assert!(close(value(&a, &s.unit, 2012, "rectification_rate"), 100.0 * rate), "{}", s.unit);
            rated += 1;
        }
    }
    assert!(rated >= 10, "{rated} units with a rectification rate");
    let report = out.report.assessment.expect("run.json has the assessment");
    assert_eq!((report.years, report.ranked), (vec![2012], a.rows.iter().filter(|r| r.rank.is_some()).count()));

    // The same from the files, as `citycheck assess` reads them.
    let inputs = AssessInputs {
        recheck_summary: Some(dir.path().join("recheck_summary.csv")),
        progress: Some(dir.path().join("progress.csv")),
        projects: vec![(
            Some(2012),
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/projects_synthetic/projects.csv")),
        )],
        warnings: Some(dir.path().join("warnings.csv")),
        survey: None,
        level: None,
    };
    let mut data = AssessData::read(&inputs).unwrap();
    data.keep_years(&[2012]);
    assert!(data.notes.iter().any(|n| n.contains("values of") && n.contains("are left out")), "{:?}", data.notes);
    let files = assess(&data, &Catalog::builtin(CATALOG_ID).unwrap(), &AssessOptions::default()).unwrap();
    assert_eq!(files.rows.len(), a.rows.len());
    for (x, y) in files.rows.iter().zip(&a.rows) {
        assert_eq!((&x.unit, x.year, x.rank, x.tier), (&y.unit, y.year, y.rank, y.tier));
        assert!(x.score.zip(y.score).is_some_and(|(s, t)| (s - t).abs() < 1e-9) || x.score == y.score);
        assert!(x.values.iter().zip(&y.values).all(|(s, t)| s.zip(*t).map_or(s == t, |(s, t)| (s - t).abs() < 1e-9)));
    }
    for file in ["assessment.csv", "assessment_ranking.csv", "assessment_ranking_zh.csv"] {
        assert!(dir.path().join(file).is_file(), "{file}");
    }
}

/// `[assess]` takes the flags of `citycheck assess` as keys: a misspelt key is refused, and so
/// are a top share and a threshold together, or a share outside (0, 1].
#[test]
fn assess_in_a_run_config_refuses_misspelt_keys_and_two_rules() {
    let base = citycheck::run::EMBEDDED_CONFIG;
    let table = "[assess]\nyears = [2012]";
    assert!(base.contains(table));
    let with = |text: &str| RunConfig::from_toml(&base.replace(table, text)).unwrap_err().to_string();
    let e = with("[assess]\nyear = [2012]");
    assert!(e.contains("unknown field `year`"), "{e}");
    let e = with("[assess]\ntop_share = 0.2\nthreshold = 80.0");
    assert!(e.contains("top_share or threshold, not both"), "{e}");
    let e = with("[assess]\ntop_share = 1.5");
    assert!(e.contains("(0, 1]"), "{e}");
    let ok =
        RunConfig::from_toml(&base.replace(table, "[assess]\nthreshold = 60.0\nprojects = [\"2012=p.csv\"]")).unwrap();
    let config = ok.assess.unwrap();
    assert_eq!(config.incentive().unwrap(), Incentive::Threshold(60.0));
    assert_eq!(config.projects_files(), [(Some(2012), "p.csv")]);
}
