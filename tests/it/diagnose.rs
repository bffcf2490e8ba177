//! Diagnosis (METHODS.md §6): obstacle degree, coupling coordination, attainment, weaknesses,
//! the problem ledger and the project reserve.
//!
//! Authorities: hand calculations written out below (exact fractions, compared to
//! [`prec::HAND`](crate::prec::HAND)); the identities of the coupling degree (C = G/A, so C = 1
//! for equal scores and D = √G with equal β); invariants on random inputs (proptest) and on
//! the shipped Liaoning example (14 cities, 2008–2012, catalogue ccsy-example).

use std::collections::{BTreeSet, HashMap};

use proptest::prelude::*;

use citycheck::catalog::NodeKind;
use citycheck::diagnose::{
    coupling, diagnose_with, obstacle_degree, DiagnoseOptions, Diagnosis, Grade, PeerKind, Reason, TaskCatalog,
    Worsening,
};
use citycheck::evaluate::Level;
use citycheck::io::OutputFormat;
use citycheck::normalize::Normalize;
use citycheck::{Catalog, Checkup, Dataset, Error, Outcome, Panel, ReadOptions, Spec, ValidationMode};

use crate::prec::{assert_all_close, assert_close, EXACT, HAND};

const NAN: f64 = f64::NAN;

fn spec_message<T: std::fmt::Debug>(result: citycheck::Result<T>) -> String {
    match result {
        Err(Error::Spec(message) | Error::NotInData(message)) => message,
        other => panic!("expected Error::Spec or Error::NotInData, got {other:?}"),
    }
}

// ---------------------------------------------------------------- obstacle degree (kernel)

#[test]
fn obstacle_degree_two_indicators_by_hand() {
    // F = (0.6, 0.4), r = (0.5, 0.75):
    //   I = 1 − r = (0.5, 0.25); F·I = (0.30, 0.10); Σ = 0.40
    //   O = 100 · (0.30, 0.10) / 0.40 = (75, 25)
    assert_all_close(&obstacle_degree(&[0.6, 0.4], &[0.5, 0.75]), &[75.0, 25.0], HAND, "O");
}

#[test]
fn obstacle_degree_three_indicators_by_hand() {
    // F = (0.5, 0.3, 0.2), r = (0.8, 0.4, 0.0):
    //   I = (0.2, 0.6, 1.0); F·I = (0.10, 0.18, 0.20); Σ = 0.48
    //   O = 100 · (0.10, 0.18, 0.20) / 0.48 = (125/6, 37.5, 125/3) = (20.8333…, 37.5, 41.6666…)
    let o = obstacle_degree(&[0.5, 0.3, 0.2], &[0.8, 0.4, 0.0]);
    assert_all_close(&o, &[125.0 / 6.0, 37.5, 125.0 / 3.0], HAND, "O");
    // The second indicator missing: left out of the sum. F·I = (0.10, –, 0.20), Σ = 0.30:
    //   O = (33.33…, missing, 66.66…)
    let o = obstacle_degree(&[0.5, 0.3, 0.2], &[0.8, NAN, 0.0]);
    assert_all_close(&o, &[100.0 / 3.0, NAN, 200.0 / 3.0], HAND, "O with a gap");
}

#[test]
fn obstacle_degree_edge_cases() {
    // At its best everywhere: Σ F I = 0, every obstacle 0 (never 0/0).
    assert_eq!(obstacle_degree(&[0.25, 0.75], &[1.0, 1.0]), vec![0.0, 0.0]);
    // One indicator: all of the shortfall.
    assert_eq!(obstacle_degree(&[1.0], &[0.3]), vec![100.0]);
    // A shortfall only on a weight-0 indicator is no weighted shortfall.
    assert_eq!(obstacle_degree(&[1.0, 0.0], &[1.0, 0.2]), vec![0.0, 0.0]);
    // Scores outside [0, 1] are clamped: r = 1.2 counts as 1, r = −0.5 as 0.
    assert_all_close(&obstacle_degree(&[0.5, 0.5], &[1.2, -0.5]), &[0.0, 100.0], EXACT, "clamped");
    // All missing: nothing to share.
    assert!(obstacle_degree(&[0.5, 0.5], &[NAN, NAN]).iter().all(|o| o.is_nan()));
}

// ---------------------------------------------------------------- coupling coordination (kernel)

#[test]
fn coupling_two_subsystems_by_hand() {
    // U = (0.4, 0.9), β = (0.5, 0.5):
    //   C = 2 · [0.36 / 1.3²]^{1/2} = 2 · 0.6 / 1.3 = 12/13 = 0.923077
    //   T = 0.5 · 0.4 + 0.5 · 0.9 = 0.65
    //   D = √(12/13 · 0.65) = √0.6 = 0.774597 → 中级协调 [0.7, 0.8)
    let k = coupling(&[0.4, 0.9], &[0.5, 0.5]);
    assert_close(k.c, 12.0 / 13.0, HAND, "C");
    assert_close(k.t, 0.65, HAND, "T");
    assert_close(k.d, 0.6f64.sqrt(), HAND, "D");
    assert_eq!(k.grade().map(Grade::as_str), Some("中级协调"));
    // The two-system textbook form 2√(U1 U2)/(U1 + U2) is the same number.
    assert_close(k.c, 2.0 * (0.4f64 * 0.9).sqrt() / 1.3, HAND, "C, two-system form");
    // β = (0.7, 0.3): T = 0.28 + 0.27 = 0.55, D = √(12/13 · 0.55) = 0.712525
    let k = coupling(&[0.4, 0.9], &[0.7, 0.3]);
    assert_close(k.t, 0.55, HAND, "T weighted");
    assert_close(k.d, (12.0 / 13.0 * 0.55f64).sqrt(), HAND, "D weighted");
}

#[test]
fn coupling_three_subsystems_by_hand() {
    // U = (0.2, 0.4, 0.8), equal β:
    //   Π U = 0.064, (Π U)^{1/3} = 0.4, Σ U = 1.4
    //   C = 3 · 0.4 / 1.4 = 6/7 = 0.857143
    //   T = 1.4 / 3 = 7/15
    //   D = √(6/7 · 7/15) = √0.4 = 0.632456 → 初级协调 [0.6, 0.7)
    let k = coupling(&[0.2, 0.4, 0.8], &[1.0 / 3.0; 3]);
    assert_close(k.c, 6.0 / 7.0, HAND, "C");
    assert_close(k.t, 7.0 / 15.0, HAND, "T");
    assert_close(k.d, 0.4f64.sqrt(), HAND, "D");
    assert_eq!(k.grade(), Some(Grade::PrimaryCoordination));
}

#[test]
fn coupling_n_subsystems_matches_the_formula() {
    // k = 4, U = (0.1, 0.2, 0.4, 0.8): C = k · [Π U / (Σ U)^k]^{1/k}, written literally:
    //   Π U = 0.0064, Σ U = 1.5 → C = 4 · (0.0064 / 1.5⁴)^{1/4} = 0.754247…
    let u = [0.1, 0.2, 0.4, 0.8];
    let literal = 4.0 * (0.0064f64 / 1.5f64.powi(4)).powf(0.25);
    let k = coupling(&u, &[0.25; 4]);
    assert_close(k.c, literal, HAND, "C, n = 4");
    assert_close(k.c, 0.7542472332656507, HAND, "C, n = 4, value");
    // Equal β: D = √(geometric mean of U) = 0.0064^{1/8}.
    assert_close(k.d, 0.0064f64.powf(0.125), HAND, "D = √G");
}

#[test]
fn coupling_edge_cases() {
    // A subsystem at zero: Π U = 0, so C = 0 and D = 0 whatever the others.
    let k = coupling(&[0.0, 0.8, 0.9], &[1.0 / 3.0; 3]);
    assert_eq!((k.c, k.d), (0.0, 0.0));
    assert_eq!(k.grade(), Some(Grade::ExtremeDisorder));
    // All zero: C = 0 (the 0/0 of the formula is not evaluated).
    assert_eq!(coupling(&[0.0, 0.0], &[0.5, 0.5]).c, 0.0);
    // All equal: C = 1 exactly; D = √U.
    for u in [0.05, 0.37, 1.0] {
        let k = coupling(&[u; 5], &[0.2; 5]);
        assert_eq!(k.c, 1.0, "C at U = {u}");
        assert_close(k.d, u.sqrt(), EXACT, "D at equal U");
    }
    // A missing or negative subsystem: nothing computed.
    let k = coupling(&[0.5, NAN], &[0.5, 0.5]);
    assert!(k.c.is_nan() && k.t.is_nan() && k.d.is_nan() && k.grade().is_none());
    assert!(coupling(&[0.5, -0.1], &[0.5, 0.5]).d.is_nan());
}

#[test]
fn grades_in_steps_of_a_tenth_with_boundaries_in_the_upper_grade() {
    let names: Vec<&str> = Grade::ALL.iter().map(|g| g.as_str()).collect();
    assert_eq!(
        names,
        [
            "极度失调",
            "严重失调",
            "中度失调",
            "轻度失调",
            "濒临失调",
            "勉强协调",
            "初级协调",
            "中级协调",
            "良好协调",
            "优质协调"
        ]
    );
    let cases = [
        (0.0, "极度失调"),
        (0.0999, "极度失调"),
        (0.1, "严重失调"),
        (0.3, "轻度失调"),
        (0.4999, "濒临失调"),
        (0.5, "勉强协调"),
        (0.7, "中级协调"),
        (0.9, "优质协调"),
        (1.0, "优质协调"),
    ];
    for (d, name) in cases {
        assert_eq!(Grade::of(d).map(Grade::as_str), Some(name), "D = {d}");
    }
}

// ---------------------------------------------------------------- properties

proptest! {
    /// Obstacle shares sum to 100 per unit-year whenever any weighted shortfall exists; an
    /// indicator at its best score has obstacle 0.
    #[test]
    fn obstacle_shares_sum_to_100(cells in proptest::collection::vec(
        (0.01f64..1.0, prop_oneof![Just(1.0), 0.0f64..=1.0, Just(f64::NAN)]), 1..12)) {
        let (weights, scores): (Vec<f64>, Vec<f64>) = cells.into_iter().unzip();
        let o = obstacle_degree(&weights, &scores);
        let shortfall = scores.iter().any(|r| !r.is_nan() && *r < 1.0);
        let total: f64 = o.iter().filter(|v| !v.is_nan()).sum();
        if shortfall {
            prop_assert!((total - 100.0).abs() <= HAND, "sum {total}");
        } else {
            prop_assert_eq!(total, 0.0);
        }
        for (r, v) in scores.iter().zip(&o) {
            prop_assert_eq!(r.is_nan(), v.is_nan());
            if *r == 1.0 {
                prop_assert_eq!(*v, 0.0);
            }
            if !v.is_nan() {
                prop_assert!(*v >= 0.0 && *v <= 100.0 + HAND);
            }
        }
    }

    /// C and D lie in [0, 1]; with equal β, D² is the geometric mean of U.
    #[test]
    fn coupling_in_unit_interval(u in proptest::collection::vec(0.0f64..=1.0, 2..7)) {
        let beta = vec![1.0 / u.len() as f64; u.len()];
        let k = coupling(&u, &beta);
        prop_assert!((0.0..=1.0).contains(&k.c), "C = {}", k.c);
        prop_assert!((0.0..=1.0 + EXACT).contains(&k.d), "D = {}", k.d);
        prop_assert!(k.grade().is_some());
        if u.iter().all(|&x| x > 0.0) {
            let g = (u.iter().map(|x| x.ln()).sum::<f64>() / u.len() as f64).exp();
            prop_assert!((k.d * k.d - g).abs() <= HAND, "D² = {} vs G = {g}", k.d * k.d);
        }
    }
}

// ---------------------------------------------------------------- the whole diagnosis by hand

/// index ─┬─ economy ─────┬─ gdp_per_capita  (higher)
///        │               └─ tertiary_share  (higher, task 14)
///        └─ environment ─┬─ green_coverage  (higher, standard 42, task 5)
///                        └─ industrial_so2  (lower, task 6)
const CATALOG: &str = r#"
[catalog]
id = "diagnose-test"
name = "诊断测试指标体系"
version = "1"

[[groups]]
id = "economy"
name_zh = "经济活力"
name_en = "Economic vitality"

[[groups]]
id = "environment"
name_zh = "生态环境"
name_en = "Environment"

[[indicators]]
id = "gdp_per_capita"
name_zh = "人均地区生产总值"
name_en = "GDP per capita"
group = "economy"
unit = "CNY/person"
direction = "higher"

[[indicators]]
id = "tertiary_share"
name_zh = "第三产业占比"
name_en = "Tertiary share of GDP"
group = "economy"
unit = "%"
direction = "higher"
tasks = [14]

[[indicators]]
id = "green_coverage"
name_zh = "建成区绿化覆盖率"
name_en = "Green coverage of the built-up area"
group = "environment"
unit = "%"
direction = "higher"
tasks = [5]
[indicators.standard]
value = 42.0

[[indicators]]
id = "industrial_so2"
name_zh = "工业二氧化硫排放量"
name_en = "Industrial SO2 emissions"
group = "environment"
unit = "t"
direction = "lower"
tasks = [6]
"#;

fn catalog() -> Catalog {
    Catalog::from_toml(CATALOG, "diagnose-test.toml").expect("test catalogue is valid")
}

/// The panel of tests/it/pipeline.rs:
///
/// | year | unit   | gdp | tertiary | green | so2 |
/// |------|--------|-----|----------|-------|-----|
/// | 2020 | 沈阳市 | 100 | 50       | 40    | 30  |
/// | 2020 | 大连市 | 120 | 55       | 45    | 20  |
/// | 2020 | 鞍山市 |  60 | 40       | 35    | 50  |
/// | 2021 | 沈阳市 | 110 | 52       | 41    | 28  |
/// | 2021 | 大连市 | 130 | 56       | 44    | 18  |
/// | 2021 | 鞍山市 |  70 | 42       | 36    | 45  |
fn panel() -> Panel {
    static IDS: [&str; 4] = ["gdp_per_capita", "tertiary_share", "green_coverage", "industrial_so2"];
    let rows: [(&str, i32, [f64; 4]); 6] = [
        ("沈阳市", 2020, [100.0, 50.0, 40.0, 30.0]),
        ("大连市", 2020, [120.0, 55.0, 45.0, 20.0]),
        ("鞍山市", 2020, [60.0, 40.0, 35.0, 50.0]),
        ("沈阳市", 2021, [110.0, 52.0, 41.0, 28.0]),
        ("大连市", 2021, [130.0, 56.0, 44.0, 18.0]),
        ("鞍山市", 2021, [70.0, 42.0, 36.0, 45.0]),
    ];
    Panel::from_records(
        rows.iter().flat_map(|&(unit, year, values)| IDS.iter().zip(values).map(move |(&id, v)| (unit, year, id, v))),
    )
}

fn scored(catalog: &Catalog, panel: &Panel, spec: &Spec) -> citycheck::Result<(Dataset, Outcome)> {
    let validation = panel.validate(catalog, ValidationMode::Strict)?;
    Checkup::new(catalog.clone(), spec.clone())?.run(panel, &validation)
}

fn hand_diagnosis(options: &DiagnoseOptions, worsening: Option<&Worsening>) -> citycheck::Result<Diagnosis> {
    let catalog = catalog();
    let spec = Spec::default();
    let (data, outcome) = scored(&catalog, &panel(), &spec)?;
    let tasks = TaskCatalog::builtin("renewal-tasks-liaoning")?;
    diagnose_with(&data, &outcome, &tasks, worsening, options)
}

fn top2() -> DiagnoseOptions {
    DiagnoseOptions { top: 2, ..DiagnoseOptions::default() }
}

fn obstacle(d: &Diagnosis, unit: &str, node: &str) -> (Option<f64>, Option<u32>) {
    let o = d.obstacles.iter().find(|o| o.unit == unit && o.node == node).unwrap_or_else(|| panic!("{unit} {node}"));
    (o.obstacle, o.rank)
}

#[test]
fn obstacles_of_the_hand_panel() -> citycheck::Result<()> {
    // Spec::default(): min_max [0, 100] over both years pooled, equal weights, so every
    // indicator's global weight is 1/2 · 1/2 = 1/4 and the weights cancel in O.
    // Pooled bounds: gdp [60, 130], tertiary [40, 56], green [35, 45], so2 [18, 50] (lower).
    // 沈阳市 2021: r = (50/70, 12/16, 6/10, 22/32) → I = (2/7, 1/4, 2/5, 5/16), Σ I = 699/560
    //   O = 100 · I / Σ I = (16000, 14000, 22400, 17500)/699
    //     = (22.8898…, 20.0286…, 32.0458…, 25.0358…); ranks green 1, so2 2, gdp 3, tertiary 4
    //   economy = 30000/699 = 42.918…, environment = 39900/699 = 57.081…
    let d = hand_diagnosis(&top2(), None)?;
    assert_eq!(d.year, 2021, "the latest year by default");
    let expected = [
        ("gdp_per_capita", 16000.0 / 699.0, 3),
        ("tertiary_share", 14000.0 / 699.0, 4),
        ("green_coverage", 22400.0 / 699.0, 1),
        ("industrial_so2", 17500.0 / 699.0, 2),
        ("economy", 30000.0 / 699.0, 2),
        ("environment", 39900.0 / 699.0, 1),
    ];
    for (node, o, rank) in expected {
        let (got, got_rank) = obstacle(&d, "沈阳市", node);
        assert_close(got.expect("an obstacle"), o, HAND, &format!("O 沈阳市 {node}"));
        assert_eq!(got_rank, Some(rank), "rank of {node}");
    }
    // 大连市 2021 is best everywhere but green (r = 9/10): green carries all of it.
    assert_close(obstacle(&d, "大连市", "green_coverage").0.unwrap(), 100.0, HAND, "O 大连市 green");
    assert_eq!(obstacle(&d, "大连市", "gdp_per_capita"), (Some(0.0), Some(2)));
    // 鞍山市 2021: I = (6/7, 7/8, 9/10, 27/32), Σ I = 3893/1120
    //   O = (96000, 98000, 100800, 94500)/3893; ranks green 1, tertiary 2, gdp 3, so2 4
    assert_close(obstacle(&d, "鞍山市", "green_coverage").0.unwrap(), 100800.0 / 3893.0, HAND, "O 鞍山市 green");
    assert_close(obstacle(&d, "鞍山市", "industrial_so2").0.unwrap(), 94500.0 / 3893.0, HAND, "O 鞍山市 so2");
    assert_eq!(obstacle(&d, "鞍山市", "tertiary_share").1, Some(2));
    // Groups only: the index is not a row.
    assert!(d.obstacles.iter().all(|o| o.kind != NodeKind::Index));
    Ok(())
}

#[test]
fn attainment_and_rates_of_the_hand_panel() -> citycheck::Result<()> {
    // green_coverage, standard 42 (higher): 沈阳市 41 → s = 41/42, gap 1, not met;
    // 大连市 44 → met, gap −2; 鞍山市 36 → s = 6/7, gap 6, not met.
    let d = hand_diagnosis(&top2(), None)?;
    type Row<'a> = (&'a str, Option<f64>, Option<bool>, Option<f64>);
    let rows: Vec<Row> = d.attainment.iter().map(|a| (a.unit.as_str(), a.value, a.met, a.gap)).collect();
    assert_eq!(
        rows,
        [
            ("沈阳市", Some(41.0), Some(false), Some(1.0)),
            ("大连市", Some(44.0), Some(true), Some(-2.0)),
            ("鞍山市", Some(36.0), Some(false), Some(6.0)),
        ]
    );
    assert!(d.attainment.iter().all(|a| a.standard == Some(42.0) && a.indicator == "green_coverage"));
    assert_close(d.attainment[0].attainment.unwrap(), 41.0 / 42.0, HAND, "s 沈阳市");
    // 达标率: the index and environment judge one indicator each; economy none (empty + note).
    let rate = |unit: &str, node: &str| d.rates.iter().find(|r| r.unit == unit && r.node == node).unwrap().clone();
    let r = rate("大连市", "index");
    assert_eq!((r.with_standard, r.met, r.rate), (1, 1, Some(1.0)));
    assert_eq!(rate("沈阳市", "environment").rate, Some(0.0));
    let economy = rate("沈阳市", "economy");
    assert_eq!((economy.with_standard, economy.rate), (0, None));
    assert_eq!(economy.note.as_deref(), Some("no indicator with a standard"));
    Ok(())
}

#[test]
fn coupling_of_the_hand_panel() -> citycheck::Result<()> {
    // U = the group scores / 100. Equal β and k = 2: D = (U1 U2)^{1/4}.
    // 沈阳市: U = (41/56, 103/160): C = 2√(U1U2)/(U1 + U2) = 0.997934…, D = 0.828568… 良好协调
    // 大连市: U = (1, 19/20): D = 0.95^{1/4} = 0.987259… 优质协调
    // 鞍山市: U = (15/112, 41/320): D = 0.361932… 轻度失调
    let d = hand_diagnosis(&top2(), None)?;
    let (u1, u2): (f64, f64) = (41.0 / 56.0, 103.0 / 160.0);
    let c = &d.coupling[0];
    assert_eq!(c.unit, "沈阳市");
    assert_close(c.c.unwrap(), 2.0 * (u1 * u2).sqrt() / (u1 + u2), HAND, "C 沈阳市");
    assert_close(c.t.unwrap(), (u1 + u2) / 2.0, HAND, "T 沈阳市");
    assert_close(c.d.unwrap(), (u1 * u2).powf(0.25), HAND, "D 沈阳市");
    let grades: Vec<Option<&str>> = d.coupling.iter().map(|c| c.grade.map(Grade::as_str)).collect();
    assert_eq!(grades, [Some("良好协调"), Some("优质协调"), Some("轻度失调")]);
    assert_close(d.coupling[2].d.unwrap(), (15.0 / 112.0 * 41.0 / 320.0f64).powf(0.25), HAND, "D 鞍山市");
    Ok(())
}

#[test]
fn weaknesses_and_strengths_of_the_hand_panel() -> citycheck::Result<()> {
    // Three peers, share 0.2: a weakness has below/3 < 0.2, i.e. nobody below it (鞍山市 on
    // every indicator); a strength nobody above it (大连市 on every indicator). 鞍山市 is also
    // far below the median by more than 25 points everywhere (e.g. green: 10 < 60 − 25).
    let d = hand_diagnosis(&top2(), None)?;
    assert_eq!(d.weaknesses.len(), 8);
    for w in &d.weaknesses {
        assert_eq!((w.peer_group.as_str(), w.peers, w.share), ("all", 3, 0.0));
        match w.unit.as_str() {
            "大连市" => assert_eq!((w.kind, w.rank, w.far_below), (PeerKind::Strength, 1, false)),
            "鞍山市" => assert_eq!((w.kind, w.rank, w.in_share, w.far_below), (PeerKind::Weakness, 3, true, true)),
            other => panic!("{other} should not be flagged"),
        }
    }
    let green = d.weaknesses.iter().find(|w| w.unit == "鞍山市" && w.indicator == "green_coverage").unwrap();
    assert_close(green.score, 10.0, HAND, "green score 鞍山市");
    assert_close(green.peer_median, 60.0, HAND, "green median");
    Ok(())
}

#[test]
fn ledger_and_reserve_of_the_hand_panel() -> citycheck::Result<()> {
    // top = 2; global weights 1/4; severity = points × 100 × 1/4.
    // 沈阳市: green below standard (s = 41/42 ≥ 0.9: yellow, 2 points → 50) and top-2
    //          obstacle; so2 top-2 obstacle (no standard: 1 point → 25).
    // 大连市: green top-2 obstacle (met: green, 1 point → 25); the rest have obstacle 0.
    // 鞍山市: green below standard (s = 6/7 < 0.9: red, 3 points → 75), bottom of peers, far
    //          below, top-2; tertiary bottom, far below, top-2 (25); gdp and so2 bottom and far
    //          below (25 each, ordered by obstacle: gdp 24.66 before so2 24.27).
    let d = hand_diagnosis(&top2(), None)?;
    let rows: Vec<(&str, &str, u32, Option<Level>)> =
        d.ledger.iter().map(|p| (p.unit.as_str(), p.indicator.as_str(), p.points, p.level)).collect();
    assert_eq!(
        rows,
        [
            ("沈阳市", "green_coverage", 2, Some(Level::Yellow)),
            ("沈阳市", "industrial_so2", 1, None),
            ("大连市", "green_coverage", 1, Some(Level::Green)),
            ("鞍山市", "green_coverage", 3, Some(Level::Red)),
            ("鞍山市", "tertiary_share", 1, None),
            ("鞍山市", "gdp_per_capita", 1, None),
            ("鞍山市", "industrial_so2", 1, None),
        ]
    );
    for p in &d.ledger {
        assert_close(p.weight, 0.25, HAND, "global weight");
        assert_close(p.severity, f64::from(p.points) * 25.0, HAND, "severity = points × 100 × F");
    }
    assert_eq!(d.ledger[0].reasons, [Reason::BelowStandard, Reason::TopObstacle]);
    assert_eq!(
        d.ledger[3].reasons,
        [Reason::BelowStandard, Reason::BottomOfPeers, Reason::FarBelowPeers, Reason::TopObstacle]
    );
    assert_eq!(d.ledger[3].rank, Some(3), "rank among the peers");
    let text = d.ledger_dataframe().unwrap();
    let reasons = text.column("reasons").unwrap().str().unwrap().get(3).unwrap().to_string();
    assert_eq!(
        reasons,
        "below standard; bottom 20% of peers; far below the peer median (by more than 25% of the scale); top-2 obstacle"
    );

    // Reserve: catalogue tasks green → 5, tertiary → 14, so2 → 6 (gdp → none: a note).
    // 沈阳市: 5 (50), 6 (25). 大连市: 5 (25). 鞍山市: 5 (75), then 6 and 14 at 25 each (rank 2,
    // ordered by task id).
    let reserve: Vec<(&str, u32, f64, u32)> =
        d.reserve.iter().map(|r| (r.unit.as_str(), r.task, r.priority, r.rank)).collect();
    assert_eq!(
        reserve,
        [
            ("沈阳市", 5, 50.0, 1),
            ("沈阳市", 6, 25.0, 2),
            ("大连市", 5, 25.0, 1),
            ("鞍山市", 5, 75.0, 1),
            ("鞍山市", 6, 25.0, 2),
            ("鞍山市", 14, 25.0, 2),
        ]
    );
    assert_eq!(d.reserve[0].task_name.as_deref(), Some("打造公园中的城市"));
    assert_eq!(d.reserve[0].deadline, Some(2025));
    assert!(d.notes.iter().any(|n| n.starts_with("1 problem(s) point to no renewal task")), "{:?}", d.notes);
    Ok(())
}

#[test]
fn worsening_trends_raise_severity_and_priority() -> citycheck::Result<()> {
    // 沈阳市 green worsens: yellow → red level, points 2 + 1 = 3 → severity 75.
    // 沈阳市 so2 worsens: no standard, points 1 + 1 = 2 → 50.
    // 大连市 gdp worsens but is no problem: a trend alone adds no ledger row.
    let worsening: Worsening =
        [("沈阳市", "green_coverage"), ("沈阳市", "industrial_so2"), ("大连市", "gdp_per_capita")]
            .into_iter()
            .map(|(u, i)| ((u.to_string(), i.to_string()), true))
            .collect();
    let d = hand_diagnosis(&top2(), Some(&worsening))?;
    let shenyang: Vec<(&str, u32, Option<Level>, f64)> = d
        .ledger
        .iter()
        .filter(|p| p.unit == "沈阳市")
        .map(|p| (p.indicator.as_str(), p.points, p.level, p.severity))
        .collect();
    assert_eq!(shenyang, [("green_coverage", 3, Some(Level::Red), 75.0), ("industrial_so2", 2, None, 50.0)]);
    assert_eq!(d.ledger[1].reasons, [Reason::TopObstacle, Reason::Worsening]);
    assert!(!d.ledger.iter().any(|p| p.unit == "大连市" && p.indicator == "gdp_per_capita"));
    let tasks: Vec<(u32, f64)> =
        d.reserve.iter().filter(|r| r.unit == "沈阳市").map(|r| (r.task, r.priority)).collect();
    assert_eq!(tasks, [(5, 75.0), (6, 50.0)]);
    Ok(())
}

#[test]
fn task_file_links_add_to_catalogue_links() -> citycheck::Result<()> {
    // A task file that also links gdp_per_capita to task 14: 鞍山市's task 14 collects
    // tertiary (25) and gdp (25) = 50 and moves above task 6 (25).
    let tasks = TaskCatalog::from_toml(
        r#"
[catalog]
id = "test-tasks"
name = "测试任务"
version = "1"

[[tasks]]
id = 14
name_zh = "产业升级"
name_en = "Industry upgrading"
area = "vital"
indicators = ["gdp_per_capita"]
"#,
        "test-tasks.toml",
    )?;
    let catalog = catalog();
    let spec = Spec::default();
    let (data, outcome) = scored(&catalog, &panel(), &spec)?;
    let d = diagnose_with(&data, &outcome, &tasks, None, &top2())?;
    let anshan: Vec<(u32, f64, String, Option<String>)> = d
        .reserve
        .iter()
        .filter(|r| r.unit == "鞍山市")
        .map(|r| (r.task, r.priority, r.problems.join(";"), r.task_name.clone()))
        .collect();
    assert_eq!(
        anshan,
        [
            (5, 75.0, "green_coverage".to_string(), None),
            (14, 50.0, "tertiary_share;gdp_per_capita".to_string(), Some("产业升级".to_string())),
            (6, 25.0, "industrial_so2".to_string(), None),
        ]
    );
    assert!(d.notes.iter().any(|n| n.contains("lacks task(s) 5, 6")), "{:?}", d.notes);
    Ok(())
}

#[test]
fn peers_by_attribute() -> citycheck::Result<()> {
    // Tier a: 沈阳市, 大连市; tier b: 鞍山市 alone (no comparison). Within tier a, 沈阳市 is
    // below 大连市 on every indicator: a weakness there (below = 0 of 2), though among all three
    // units it is the middle one and no weakness at all.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiers.csv");
    std::fs::write(&path, "city,tier\n沈阳市,a\n大连市,a\n鞍山市,b\n").unwrap();
    let mut panel = panel();
    panel.attach_attributes(&path, Some("city"))?;
    let catalog = catalog();
    let spec = Spec::default();
    let (data, outcome) = scored(&catalog, &panel, &spec)?;
    let tasks = TaskCatalog::builtin("renewal-tasks-liaoning")?;
    let options = DiagnoseOptions { peers: Some("tier".into()), ..top2() };
    let d = diagnose_with(&data, &outcome, &tasks, None, &options)?;
    assert!(d.weaknesses.iter().all(|w| w.peer_group == "a" && w.peers == 2));
    assert_eq!(d.weaknesses.iter().filter(|w| w.unit == "沈阳市" && w.kind == PeerKind::Weakness).count(), 4);
    assert!(d.notes.iter().any(|n| n.contains("peer group 'b' has one unit (鞍山市)")), "{:?}", d.notes);

    let unknown = DiagnoseOptions { peers: Some("province".into()), ..top2() };
    let message = spec_message(diagnose_with(&data, &outcome, &tasks, None, &unknown));
    assert!(message.contains("province") && message.contains("tier"), "{message}");
    Ok(())
}

#[test]
fn invalid_requests_are_spec_errors() -> citycheck::Result<()> {
    let catalog = catalog();
    let tasks = TaskCatalog::builtin("renewal-tasks-liaoning")?;
    let spec = Spec::default();
    let (data, outcome) = scored(&catalog, &panel(), &spec)?;
    let run = |options: DiagnoseOptions| diagnose_with(&data, &outcome, &tasks, None, &options);
    assert!(spec_message(run(DiagnoseOptions { year: Some(1999), ..top2() })).contains("2020, 2021"));
    assert!(spec_message(run(DiagnoseOptions { weak_share: 0.7, ..top2() })).contains("weak_share"));
    assert!(spec_message(run(DiagnoseOptions { far_below: 0.0, ..top2() })).contains("far_below"));
    assert!(spec_message(run(DiagnoseOptions { beta: Some(vec![1.0]), ..top2() })).contains("economy, environment"));
    assert!(spec_message(run(DiagnoseOptions { beta: Some(vec![0.6, 0.6]), ..top2() })).contains("sum to 1"));
    // A weighted coupling is accepted.
    assert!(run(DiagnoseOptions { beta: Some(vec![0.7, 0.3]), ..top2() }).is_ok());

    // An unbounded normalisation has no [lo, hi] to rescale by.
    let z = Spec { normalize: Normalize::ZScore, ..Spec::default() };
    let (zdata, zoutcome) = scored(&catalog, &panel(), &z)?;
    let message = spec_message(diagnose_with(&zdata, &zoutcome, &tasks, None, &top2()));
    assert!(message.contains("bounded") && message.contains("z_score"), "{message}");
    // An outcome is read with its own spec, and only with the data it was scored from.
    let err = diagnose_with(&zdata, &outcome, &tasks, None, &top2()).unwrap_err();
    assert!(matches!(&err, Error::Mismatch(m) if m.contains("another dataset")), "{err}");

    // One top-level group: nothing to couple.
    let one_group = CATALOG.replace("group = \"economy\"", "group = \"environment\"");
    let one = Catalog::from_toml(&one_group, "one-group.toml")?;
    let (odata, ooutcome) = scored(&one, &panel(), &spec)?;
    // One top-level group: nothing to couple, but the rest of the diagnosis stands, with a note;
    // asking for coupling weights there is an error.
    let d = diagnose_with(&odata, &ooutcome, &tasks, None, &top2())?;
    assert!(d.coupling.is_empty() && !d.ledger.is_empty());
    assert!(d.notes.iter().any(|n| n.contains("at least two top-level groups")), "{:?}", d.notes);
    let weighted = DiagnoseOptions { beta: Some(vec![1.0]), ..top2() };
    let message = spec_message(diagnose_with(&odata, &ooutcome, &tasks, None, &weighted));
    assert!(message.contains("at least two top-level groups"), "{message}");
    Ok(())
}

#[test]
fn options_deserialise_with_defaults_and_refuse_unknown_keys() {
    let options: DiagnoseOptions = toml::from_str("top = 3\npeers = \"province\"").unwrap();
    assert_eq!(options.top, 3);
    assert_eq!(options.peers.as_deref(), Some("province"));
    assert_eq!(options.weak_share, 0.2);
    assert_eq!(options.far_below, 0.25);
    assert_eq!(options.tasks, "renewal-tasks-liaoning");
    assert_eq!(options.year, None);
    assert!(toml::from_str::<DiagnoseOptions>("topk = 3").is_err());
}

// ---------------------------------------------------------------- the task file

#[test]
fn builtin_task_file_has_the_18_tasks() -> citycheck::Result<()> {
    let tasks = TaskCatalog::builtin("renewal-tasks-liaoning")?;
    let ids: Vec<u32> = tasks.tasks().iter().map(|t| t.id).collect();
    assert_eq!(ids, (1..=18).collect::<Vec<u32>>());
    assert!(tasks.tasks().iter().all(|t| t.deadline == Some(2025)));
    assert_eq!(tasks.task(8).map(|t| t.name_en.as_str()), Some("CIM platform"));
    assert_eq!(tasks.to_dataframe().unwrap().height(), 18);
    Ok(())
}

#[test]
fn every_catalogue_task_link_is_in_the_task_file() -> citycheck::Result<()> {
    // Consistency of the shipped files: an indicator's `tasks = [t]` is listed under task t.
    let tasks = TaskCatalog::builtin("renewal-tasks-liaoning")?;
    for id in Catalog::builtin_ids() {
        let catalog = Catalog::builtin(id)?;
        for ind in catalog.indicators() {
            let listed: BTreeSet<u32> = tasks.tasks_of(&ind.id).collect();
            for t in &ind.tasks {
                assert!(listed.contains(t), "{id}: '{}' names task {t}, which does not list it", ind.id);
            }
        }
        // And the converse: a task that lists an indicator of this catalogue is named by it.
        for task in tasks.tasks() {
            for ind in task.indicators.iter().filter_map(|i| catalog.indicator(i)) {
                assert!(
                    ind.tasks.contains(&task.id),
                    "{id}: task {} lists '{}', which does not name it",
                    task.id,
                    ind.id
                );
            }
        }
    }
    Ok(())
}

#[test]
fn malformed_task_files_name_the_file_and_task() {
    let head = "[catalog]\nid = \"t\"\nname = \"t\"\nversion = \"1\"\n";
    let task = |id: u32, extra: &str| {
        format!("[[tasks]]\nid = {id}\nname_zh = \"任务\"\nname_en = \"Task\"\narea = \"green\"\n{extra}\n")
    };
    let cases = [
        (format!("{head}{}{}", task(3, ""), task(3, "")), "duplicate task id"),
        (format!("{head}{}", task(1, "lead = \"住建厅\"")), "lead"),
        (format!("{head}{}", task(1, "indicators = [\"a\", \"a\"]")), "listed twice"),
        (format!("{head}{}", task(1, "indicators = [\"Bad-Id\"]")), "Bad-Id"),
        (format!("{head}{}", task(1, "area = \"blue\"").replace("area = \"green\"\n", "")), "blue"),
    ];
    for (text, needle) in cases {
        match TaskCatalog::from_toml(&text, "my-tasks.toml") {
            Err(e @ Error::Catalog { .. }) => {
                let message = e.to_string();
                assert!(message.contains("my-tasks.toml") && message.contains(needle), "{message}");
            }
            other => panic!("expected a catalogue error containing '{needle}', got {other:?}"),
        }
    }
}

// ---------------------------------------------------------------- the Liaoning example

fn liaoning(attributes: Option<&str>) -> citycheck::Result<(Catalog, Dataset, Outcome)> {
    let path =
        concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv");
    let options = ReadOptions { unit_column: Some("city".into()), ..ReadOptions::default() };
    let mut panel = Panel::read(path, &options)?;
    let dir = tempfile::tempdir().unwrap();
    if let Some(text) = attributes {
        let file = dir.path().join("attributes.csv");
        std::fs::write(&file, text).unwrap();
        panel.attach_attributes(&file, Some("city"))?;
    }
    let catalog = Catalog::builtin("ccsy-example")?;
    let spec = Spec::checkup_default();
    let (data, outcome) = scored(&catalog, &panel, &spec)?;
    Ok((catalog, data, outcome))
}

#[test]
fn liaoning_invariants() -> citycheck::Result<()> {
    let (catalog, data, outcome) = liaoning(None)?;
    let tasks = TaskCatalog::builtin("renewal-tasks-liaoning")?;
    let options = DiagnoseOptions::default();
    let d = diagnose_with(&data, &outcome, &tasks, None, &options)?;
    assert_eq!(d.year, 2012);
    let units: BTreeSet<&str> = d.coupling.iter().map(|c| c.unit.as_str()).collect();
    assert!(!units.contains("本溪市"), "本溪市 has no 2012 data, so no row");

    // Obstacles: per unit the indicators sum to 100 (or all are 0), each group is the sum of
    // its indicators, and ranks are 1..n.
    let groups: HashMap<&str, &str> =
        catalog.indicators().iter().filter_map(|i| i.group.as_deref().map(|g| (i.id.as_str(), g))).collect();
    for unit in &units {
        let rows: Vec<_> = d.obstacles.iter().filter(|o| o.unit == *unit).collect();
        let indicators: Vec<f64> =
            rows.iter().filter(|o| o.kind == NodeKind::Indicator).filter_map(|o| o.obstacle).collect();
        let total: f64 = indicators.iter().sum();
        assert!((total - 100.0).abs() <= HAND || total == 0.0, "{unit}: Σ O = {total}");
        for g in rows.iter().filter(|o| o.kind == NodeKind::Group) {
            let sum: f64 = rows
                .iter()
                .filter(|o| o.kind == NodeKind::Indicator && groups.get(o.node.as_str()) == Some(&g.node.as_str()))
                .filter_map(|o| o.obstacle)
                .sum();
            assert_close(g.obstacle.unwrap_or(0.0), sum, HAND, &format!("{unit} group {}", g.node));
        }
    }

    // Ledger: every problem has a reason, severity = points × 100 × F, severity does not rise
    // within a unit.
    assert!(!d.ledger.is_empty());
    for pair in d.ledger.windows(2) {
        if pair[0].unit == pair[1].unit {
            assert!(pair[0].severity >= pair[1].severity, "{} ledger order", pair[0].unit);
        }
    }
    for p in &d.ledger {
        assert!(!p.reasons.is_empty());
        assert_close(p.severity, f64::from(p.points) * 100.0 * p.weight, EXACT, "severity");
        if p.reasons.contains(&Reason::TopObstacle) {
            assert!(p.obstacle.is_some_and(|o| o > 0.0));
        }
    }
    // Reserve: every problem it names is a ledger row of the same unit that links to the task,
    // and the priority is the sum of their severities.
    assert!(!d.reserve.is_empty(), "the task file links ccsy-example indicators");
    for item in &d.reserve {
        let mut sum = 0.0;
        for id in &item.problems {
            let p = d
                .ledger
                .iter()
                .find(|p| p.unit == item.unit && &p.indicator == id)
                .unwrap_or_else(|| panic!("{} task {}: problem {id} is not in the ledger", item.unit, item.task));
            let ind = catalog.indicator(id).unwrap();
            assert!(ind.tasks.contains(&item.task) || tasks.tasks_of(id).any(|t| t == item.task));
            sum += p.severity;
        }
        assert_close(item.priority, sum, HAND, "priority = Σ severity");
    }
    // Attainment: garbage_harmless_rate has a standard (90 %, 100 % for 沈阳市 and 大连市).
    assert!(d.attainment.iter().all(|a| a.indicator == "garbage_harmless_rate"));
    let shenyang = d.attainment.iter().find(|a| a.unit == "沈阳市").expect("沈阳市 2012");
    assert_eq!(shenyang.standard, Some(100.0));
    // Coupling between the three dimensions: D in [0, 1] with a grade, or a note.
    for c in &d.coupling {
        match c.d {
            Some(v) => assert!((0.0..=1.0).contains(&v) && c.grade.is_some()),
            None => assert!(c.note.is_some()),
        }
    }
    Ok(())
}

#[test]
fn liaoning_is_deterministic_and_writes_seven_tables() -> citycheck::Result<()> {
    let (_, data, outcome) = liaoning(Some("city,tier\n沈阳市,core\n大连市,core\n"))?;
    let tasks = TaskCatalog::builtin("renewal-tasks-liaoning")?;
    let options = DiagnoseOptions { peers: Some("tier".into()), ..DiagnoseOptions::default() };
    let first = diagnose_with(&data, &outcome, &tasks, None, &options)?;
    let second = diagnose_with(&data, &outcome, &tasks, None, &options)?;
    for ((name, a), (_, b)) in first.tables().unwrap().iter().zip(second.tables().unwrap().iter()) {
        assert!(a.equals_missing(b), "{name} differs between two runs");
    }
    assert!(first.notes.iter().any(|n| n.contains("have no 'tier'")), "{:?}", first.notes);

    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let paths = first.write(one.path(), OutputFormat::Csv)?;
    second.write(two.path(), OutputFormat::Csv)?;
    let names: Vec<String> = paths.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        [
            "attainment.csv",
            "attainment_rates.csv",
            "obstacles.csv",
            "weaknesses.csv",
            "coupling.csv",
            "ledger.csv",
            "reserve.csv"
        ]
    );
    let headers = [
        "unit,year,indicator,value,standard,met,gap,note",
        "unit,year,node,kind,with_standard,met,rate,note",
        "unit,year,node,kind,obstacle,rank,note",
        "unit,year,indicator,peer_group,peers,rank,share,score,peer_median,kind,far_below",
        "unit,year,c,t,d,grade,note",
        "unit,year,indicator,value,standard,attainment,level,points,weight,obstacle,rank,severity,reasons,source,note",
        "unit,task,task_name,priority,rank,problems,deadline",
    ];
    for (path, header) in paths.iter().zip(headers) {
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(text.lines().next(), Some(header), "{}", path.display());
        assert!(!text.contains("NaN"), "{} holds NaN", path.display());
        let again = std::fs::read_to_string(two.path().join(path.file_name().unwrap())).unwrap();
        assert_eq!(text, again, "{} differs between two runs", path.display());
    }
    Ok(())
}
