//! The whole check-up: catalogue → panel → validation → dataset → run, on a catalogue small
//! enough to score by hand.
//!
//! index ─┬─ economy ─────┬─ gdp_per_capita   (higher)
//!        │               └─ tertiary_share   (higher, %)
//!        └─ environment ─┬─ green_coverage   (higher, %)
//!                        └─ industrial_so2   (lower)

use std::collections::BTreeMap;

use citycheck::aggregate::{Aggregate, MissingPolicy};
use citycheck::checkup::{Scope, Staged};
use citycheck::normalize::{Normalize, Params};
use citycheck::weight::Weight;
use citycheck::{Catalog, Checkup, Error, Fitted, Outcome, Panel, Spec, ValidationMode};

use crate::prec::{assert_close, EXACT, HAND, WEIGHT_SUM};

const CATALOG: &str = r#"
[catalog]
id = "pipeline-test"
name = "流程测试指标体系"
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
valid_range = [0, inf]

[[indicators]]
id = "tertiary_share"
name_zh = "第三产业占比"
name_en = "Tertiary share of GDP"
group = "economy"
unit = "%"
direction = "higher"
valid_range = [0, 100]

[[indicators]]
id = "green_coverage"
name_zh = "建成区绿化覆盖率"
name_en = "Green coverage of the built-up area"
group = "environment"
unit = "%"
direction = "higher"
valid_range = [0, 100]

[[indicators]]
id = "industrial_so2"
name_zh = "工业二氧化硫排放量"
name_en = "Industrial SO2 emissions"
group = "environment"
unit = "t"
direction = "lower"
valid_range = [0, inf]
"#;

fn catalog() -> Catalog {
    Catalog::from_toml(CATALOG, "pipeline-test.toml").expect("test catalogue is valid")
}

/// Three cities, two years, four indicators:
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
    let rows: [(&str, i32, [f64; 4]); 6] = [
        ("沈阳市", 2020, [100.0, 50.0, 40.0, 30.0]),
        ("大连市", 2020, [120.0, 55.0, 45.0, 20.0]),
        ("鞍山市", 2020, [60.0, 40.0, 35.0, 50.0]),
        ("沈阳市", 2021, [110.0, 52.0, 41.0, 28.0]),
        ("大连市", 2021, [130.0, 56.0, 44.0, 18.0]),
        ("鞍山市", 2021, [70.0, 42.0, 36.0, 45.0]),
    ];
    records(&rows)
}

fn records(rows: &[(&'static str, i32, [f64; 4])]) -> Panel {
    static IDS: [&str; 4] = ["gdp_per_capita", "tertiary_share", "green_coverage", "industrial_so2"];
    Panel::from_records(
        rows.iter().flat_map(|&(unit, year, values)| IDS.iter().zip(values).map(move |(&id, v)| (unit, year, id, v))),
    )
}

fn run(catalog: &Catalog, panel: &Panel, spec: Spec) -> citycheck::Result<Outcome> {
    let validation = panel.validate(catalog, ValidationMode::Strict)?;
    Ok(Checkup::new(catalog.clone(), spec)?.run(panel, &validation)?.1)
}

fn score(outcome: &Outcome, unit: &str, year: i32, node: &str) -> f64 {
    outcome.scores.get(unit, year, node).unwrap_or_else(|| panic!("no score for {unit} {year} {node}"))
}

fn rank(outcome: &Outcome, unit: &str, year: i32, node: &str) -> Option<u32> {
    let s = &outcome.scores;
    let n = s.node(node).unwrap_or_else(|| panic!("no node {node}"));
    let row = (0..s.rows()).find(|&r| s.unit(r) == unit && s.year(r) == year).expect("unit-year present");
    s.rank(row, n)
}

#[test]
fn index_score_by_hand() -> citycheck::Result<()> {
    // Spec::default(): min_max [0, 100], panel scope (bounds over 2020 and 2021 pooled), equal
    // weights, arithmetic means. 沈阳市 2020:
    //   gdp      pooled min 60, max 130:  (100 − 60)/70 = 4/7       → 57.142857…
    //   tertiary pooled min 40, max 56:   (50 − 40)/16 = 5/8        → 62.5
    //   green    pooled min 35, max 45:   (40 − 35)/10 = 1/2        → 50
    //   so2      lower, min 18, max 50:   (50 − 30)/32 = 5/8        → 62.5
    //   economy     = (57.142857… + 62.5)/2 = 59.821428…
    //   environment = (50 + 62.5)/2         = 56.25
    //   index       = (59.821428… + 56.25)/2 = (4/7 + 5/8 + 1/2 + 5/8)/4 · 100 = 58.0357142857…
    let catalog = catalog();
    let outcome = run(&catalog, &panel(), Spec::default())?;
    assert_close(score(&outcome, "沈阳市", 2020, "gdp_per_capita"), 400.0 / 7.0, HAND, "gdp");
    assert_close(score(&outcome, "沈阳市", 2020, "tertiary_share"), 62.5, HAND, "tertiary");
    assert_close(score(&outcome, "沈阳市", 2020, "green_coverage"), 50.0, HAND, "green");
    assert_close(score(&outcome, "沈阳市", 2020, "industrial_so2"), 62.5, HAND, "so2");
    assert_close(score(&outcome, "沈阳市", 2020, "economy"), (400.0 / 7.0 + 62.5) / 2.0, HAND, "economy");
    assert_close(score(&outcome, "沈阳市", 2020, "environment"), 56.25, HAND, "environment");
    let index = (4.0 / 7.0 + 5.0 / 8.0 + 0.5 + 5.0 / 8.0) / 4.0 * 100.0;
    assert_close(score(&outcome, "沈阳市", 2020, "index"), index, HAND, "index 沈阳市 2020");
    assert_close(index, 58.035714285714285, HAND, "the hand value itself");
    // 大连市 2021 is best on gdp, tertiary and so2 (100 each) and scores (44 − 35)/10 = 90 on
    // green: index = (100 + 100 + 90 + 100)/4 = 97.5. 鞍山市 2020 is worst everywhere: 0.
    assert_close(score(&outcome, "大连市", 2021, "index"), 97.5, HAND, "index 大连市 2021");
    assert_close(score(&outcome, "鞍山市", 2020, "index"), 0.0, HAND, "index 鞍山市 2020");
    Ok(())
}

#[test]
fn equal_weights_sum_to_one_within_each_parent() -> citycheck::Result<()> {
    let catalog = catalog();
    let outcome = run(&catalog, &panel(), Spec::default())?;
    assert_eq!(outcome.fitted.sets.len(), 1, "panel scope fits one set");
    let set = &outcome.fitted.sets[0];
    assert_eq!(set.year, None, "a panel-scope set has no year");
    let w: BTreeMap<&str, (&str, f64, f64)> =
        set.weights.iter().map(|w| (w.node.as_str(), (w.parent.as_str(), w.weight, w.global_weight))).collect();
    assert_eq!(w.len(), 6, "two groups and four indicators: {w:?}");
    assert_eq!(w["economy"], ("index", 0.5, 0.5));
    assert_eq!(w["environment"], ("index", 0.5, 0.5));
    assert_eq!(w["gdp_per_capita"], ("economy", 0.5, 0.25));
    assert_eq!(w["industrial_so2"], ("environment", 0.5, 0.25));
    check_weight_tree(&outcome.fitted);
    Ok(())
}

#[test]
fn staged_entropy_weights_by_hand() -> citycheck::Result<()> {
    // Spec::checkup_default(): entropy_normalized (shift 1e-4) for the indicators within a
    // group (level 2), equal weights for the groups (level 3). On the pooled panel, per
    // METHODS.md §4 (direction-aware min-max, + 1e-4, p = r/Σr, E = −Σ p ln p / ln 6):
    //   economy:     E_gdp = 0.8289174268641515, E_tertiary = 0.8240633842355563
    //                → w = [0.49300608902352383, 0.5069939109764762]
    //   environment: E_green = 0.8077645168394154, E_so2 = 0.831989910640531
    //                → w = [0.533623444185101, 0.466376555814899]
    // (computed step by step from the formula in plain floating point, outside citycheck).
    let catalog = catalog();
    let outcome = run(&catalog, &panel(), Spec::checkup_default())?;
    let set = &outcome.fitted.sets[0];
    let weight = |node: &str| set.weights.iter().find(|w| w.node == node).unwrap_or_else(|| panic!("{node}")).clone();
    assert_close(weight("gdp_per_capita").weight, 0.49300608902352383, HAND, "w gdp");
    assert_close(weight("tertiary_share").weight, 0.5069939109764762, HAND, "w tertiary");
    assert_close(weight("green_coverage").weight, 0.533623444185101, HAND, "w green");
    assert_close(weight("industrial_so2").weight, 0.466376555814899, HAND, "w so2");
    assert_close(weight("economy").weight, 0.5, EXACT, "w economy (equal)");
    assert_close(weight("green_coverage").global_weight, 0.5 * 0.533623444185101, HAND, "global w green");
    check_weight_tree(&outcome.fitted);
    Ok(())
}

/// Within every parent the weights sum to 1; a node's global weight is its weight times its
/// parent's global weight (the index's is 1).
fn check_weight_tree(fitted: &Fitted) {
    for set in &fitted.sets {
        let global: BTreeMap<&str, f64> = set.weights.iter().map(|w| (w.node.as_str(), w.global_weight)).collect();
        let mut sums: BTreeMap<&str, f64> = BTreeMap::new();
        for w in &set.weights {
            assert!(w.weight >= 0.0, "weight of {} is {}", w.node, w.weight);
            *sums.entry(w.parent.as_str()).or_default() += w.weight;
            let parent_global = if w.parent == "index" { 1.0 } else { global[w.parent.as_str()] };
            assert_close(w.global_weight, w.weight * parent_global, EXACT, &format!("global weight of {}", w.node));
        }
        for (parent, sum) in sums {
            assert_close(sum, 1.0, WEIGHT_SUM, &format!("weights within {parent} (year {:?})", set.year));
        }
    }
}

#[test]
fn ranks_best_first() -> citycheck::Result<()> {
    // Panel scope index (see index_score_by_hand): 2020 大连市 93.30 > 沈阳市 58.04 > 鞍山市 0.
    let catalog = catalog();
    let outcome = run(&catalog, &panel(), Spec::default())?;
    assert_eq!(rank(&outcome, "大连市", 2020, "index"), Some(1));
    assert_eq!(rank(&outcome, "沈阳市", 2020, "index"), Some(2));
    assert_eq!(rank(&outcome, "鞍山市", 2020, "index"), Some(3));
    // so2 is a lower indicator: the smallest emissions (大连市, 20 t) rank first.
    assert_eq!(rank(&outcome, "大连市", 2020, "industrial_so2"), Some(1));
    assert_eq!(rank(&outcome, "鞍山市", 2020, "industrial_so2"), Some(3));
    Ok(())
}

#[test]
fn ties_share_the_lowest_rank() -> citycheck::Result<()> {
    // 沈阳市 and 大连市 have identical data, so identical scores: both rank 1, the next unit
    // ranks 3 ("min" ranking: 1, 1, 3, 4), as METHODS.md §5 says.
    let catalog = catalog();
    let panel = records(&[
        ("沈阳市", 2020, [100.0, 50.0, 40.0, 20.0]),
        ("大连市", 2020, [100.0, 50.0, 40.0, 20.0]),
        ("抚顺市", 2020, [80.0, 45.0, 37.0, 30.0]),
        ("鞍山市", 2020, [60.0, 40.0, 35.0, 50.0]),
    ]);
    let outcome = run(&catalog, &panel, Spec::default())?;
    assert_eq!(rank(&outcome, "沈阳市", 2020, "index"), Some(1));
    assert_eq!(rank(&outcome, "大连市", 2020, "index"), Some(1));
    assert_eq!(rank(&outcome, "抚顺市", 2020, "index"), Some(3));
    assert_eq!(rank(&outcome, "鞍山市", 2020, "index"), Some(4));
    Ok(())
}

#[test]
fn scope_year_fits_each_year() -> citycheck::Result<()> {
    // Year scope: 2020 bounds only. gdp 2020: min 60, max 120 → 大连市 (120) scores 100 (its
    // panel-scope score is (120 − 60)/70 = 85.71…); 沈阳市 2020 gdp (100 − 60)/60 = 66.67.
    let catalog = catalog();
    let spec = Spec { scope: Scope::Year, ..Spec::default() };
    let outcome = run(&catalog, &panel(), spec)?;
    let years: Vec<Option<i32>> = outcome.fitted.sets.iter().map(|s| s.year).collect();
    assert_eq!(years, vec![Some(2020), Some(2021)]);
    assert_close(score(&outcome, "大连市", 2020, "gdp_per_capita"), 100.0, HAND, "year scope gdp 大连市");
    assert_close(score(&outcome, "沈阳市", 2020, "gdp_per_capita"), 200.0 / 3.0, HAND, "year scope gdp 沈阳市");
    // 沈阳市 2020 index: (2/3 + 2/3 + 1/2 + 2/3)/4 · 100 = 62.5.
    assert_close(score(&outcome, "沈阳市", 2020, "index"), 62.5, HAND, "year scope index");

    let panel_outcome = run(&catalog, &panel(), Spec::default())?;
    assert_close(score(&panel_outcome, "大连市", 2020, "gdp_per_capita"), 600.0 / 7.0, HAND, "panel scope gdp");
    assert_eq!(panel_outcome.fitted.sets.len(), 1);
    Ok(())
}

#[test]
fn scope_reference_year_applies_one_years_bounds_to_all() -> citycheck::Result<()> {
    // Bounds from 2020 applied to 2021: 大连市 2021 gdp (130 − 60)/60 = 7/6 → 116.67 (min_max
    // does not clip values outside the reference range); 沈阳市 2021 gdp (110 − 60)/60 → 83.33.
    let catalog = catalog();
    let spec = Spec { scope: Scope::ReferenceYear(2020), ..Spec::default() };
    let outcome = run(&catalog, &panel(), spec)?;
    assert_eq!(outcome.fitted.sets.len(), 1);
    assert_eq!(outcome.fitted.sets[0].year, Some(2020));
    let gdp = outcome.fitted.sets[0].normalize.iter().find(|p| p.indicator == "gdp_per_capita").unwrap();
    assert_eq!(gdp.params, Params::Bounds { min: 60.0, max: 120.0 });
    assert_close(
        score(&outcome, "沈阳市", 2021, "gdp_per_capita"),
        250.0 / 3.0,
        HAND,
        "reference-year gdp 沈阳市 2021",
    );
    assert_close(
        score(&outcome, "大连市", 2021, "gdp_per_capita"),
        350.0 / 3.0,
        HAND,
        "reference-year gdp 大连市 2021",
    );
    // The reference year itself scores as under year scope.
    assert_close(score(&outcome, "沈阳市", 2020, "index"), 62.5, HAND, "reference year index");
    Ok(())
}

#[test]
fn scope_reference_year_absent_is_refused() {
    let catalog = catalog();
    let spec = Spec { scope: Scope::ReferenceYear(2019), ..Spec::default() };
    let err = run(&catalog, &panel(), spec).expect_err("2019 is not in the data");
    let Error::NotInData(message) = &err else { panic!("expected Error::NotInData, got {err:?}") };
    assert!(message.contains("2019"), "{message}");
    assert!(message.contains("2020, 2021"), "the message lists the years present: {message}");
}

/// Asserts that two outcomes have the same scores (both missing, or within `tol`).
fn assert_same_scores(a: &Outcome, b: &Outcome, tol: f64) {
    assert_eq!(a.scores.rows(), b.scores.rows());
    let nodes = a.scores.tree().nodes().len();
    assert_eq!(nodes, b.scores.tree().nodes().len());
    for r in 0..a.scores.rows() {
        assert_eq!((a.scores.unit(r), a.scores.year(r)), (b.scores.unit(r), b.scores.year(r)));
        for n in 0..nodes {
            let (x, y) = (a.scores.value(r, n), b.scores.value(r, n));
            if x.is_nan() || y.is_nan() {
                assert!(x.is_nan() && y.is_nan(), "row {r} node {n}: {x} vs {y}");
            } else {
                assert_close(y, x, tol, &format!("row {r} node {n}"));
            }
            assert_eq!(a.scores.rank(r, n), b.scores.rank(r, n), "rank of row {r} node {n}");
        }
    }
}

#[test]
fn score_with_fitted_reproduces_the_run() -> citycheck::Result<()> {
    let catalog = catalog();
    let panel = panel();
    let validation = panel.validate(&catalog, ValidationMode::Strict)?;
    let data = Checkup::new(catalog.clone(), Spec::default())?.prepare(&panel, &validation)?;
    for spec in [
        Spec::default(),
        Spec { scope: Scope::Year, ..Spec::default() },
        Spec { scope: Scope::ReferenceYear(2021), ..Spec::checkup_default() },
    ] {
        let checkup = Checkup::new(catalog.clone(), spec)?;
        let ran = checkup.fit(&data)?;
        let again = ran.fitted.transform(&data)?;
        assert_same_scores(&ran, &again, EXACT);
    }
    Ok(())
}

#[test]
fn score_refuses_parameters_it_cannot_use() -> citycheck::Result<()> {
    let catalog = catalog();
    let panel = panel();
    let validation = panel.validate(&catalog, ValidationMode::Strict)?;
    let data = Checkup::new(catalog.clone(), Spec::default())?.prepare(&panel, &validation)?;
    let checkup = Checkup::new(catalog.clone(), Spec { scope: Scope::Year, ..Spec::default() })?;
    let mut fitted = checkup.fit(&data)?.fitted;

    // Year scope fitted on 2020 only cannot score 2021.
    let only_2020 =
        Fitted { sets: fitted.sets.iter().filter(|s| s.year == Some(2020)).cloned().collect(), ..fitted.clone() };
    let err = only_2020.transform(&data).expect_err("no parameters for 2021");
    assert!(matches!(&err, Error::Mismatch(m) if m.contains("2021") && m.contains("2020")), "{err}");

    // Parameters of another catalogue are refused.
    fitted.catalog_id = "ccsy-example".to_string();
    let err = fitted.transform(&data).expect_err("another catalogue");
    assert!(matches!(&err, Error::Mismatch(m) if m.contains("ccsy-example")), "{err}");
    Ok(())
}

#[test]
fn fitted_json_round_trip() -> citycheck::Result<()> {
    let catalog = catalog();
    let panel = panel();
    let validation = panel.validate(&catalog, ValidationMode::Strict)?;
    let data = Checkup::new(catalog.clone(), Spec::default())?.prepare(&panel, &validation)?;

    // min_max bounds and equal weights are exact binary fractions: the round trip is exact.
    let checkup = Checkup::new(catalog.clone(), Spec { scope: Scope::Year, ..Spec::default() })?;
    let ran = checkup.fit(&data)?;
    let json = ran.fitted.to_json();
    let back = Fitted::from_json(&json)?;
    assert_eq!(back, ran.fitted);
    assert_eq!(back.catalog_id, "pipeline-test");
    assert_eq!(back.catalog_sha256, catalog.sha256());
    assert!(json.contains("\"gdp_per_capita\""), "{json}");

    // Entropy weights are arbitrary doubles: scoring with the parameters read back from JSON
    // reproduces the run's scores.
    let checkup = Checkup::new(catalog.clone(), Spec::checkup_default())?;
    let ran = checkup.fit(&data)?;
    let back = Fitted::from_json(&ran.fitted.to_json())?;
    assert_same_scores(&ran, &back.transform(&data)?, 1e-9);

    assert!(matches!(Fitted::from_json("{\"spec\": 1}"), Err(Error::Spec(_))));
    Ok(())
}

#[test]
fn spec_toml_round_trip() -> citycheck::Result<()> {
    // A staged spec as a user writes it: equal weights everywhere except entropy_normalized
    // (default shift 1e-4) for the indicators within a group (level 2).
    let text = r#"
normalize = { method = "min_max" }
scope = "year"
weights = { default = { method = "equal" }, levels = { "2" = { method = "entropy_normalized" } } }
aggregate = { method = "arithmetic" }
missing = "renormalize"
"#;
    let spec = Spec::from_toml(text)?;
    assert_eq!(spec.normalize, Normalize::MinMax { lo: 0.0, hi: 100.0 });
    assert_eq!(spec.scope, Scope::Year);
    assert_eq!(spec.weights.at(2), &Weight::EntropyNormalized { shift: 1e-4, rescale: None });
    assert_eq!(spec.weights.at(3), &Weight::Equal);
    assert_eq!(spec.weights.at(1), &Weight::Equal);
    assert_eq!(Spec::from_toml(&spec.to_toml())?, spec);

    // Every field away from its default, including a reference-year scope.
    let spec = Spec {
        denominate: false,
        impute: citycheck::treat::Imputation::GroupMean { by: "province".into() },
        treat: Some(citycheck::treat::OutlierRule { winmax: 3, ..Default::default() }),
        normalize: Normalize::Goalposts { lo: 1.0, hi: 5.0 },
        scope: Scope::ReferenceYear(2020),
        weights: Staged::uniform(Weight::Fixed { strict: false })
            .with_level(2, Weight::EntropyNormalized { shift: 0.001, rescale: None }),
        aggregate: Staged::uniform(Aggregate::Arithmetic).with_level(3, Aggregate::Geometric),
        missing: MissingPolicy::Error,
    };
    let toml = spec.to_toml();
    assert_eq!(Spec::from_toml(&toml)?, spec, "round trip of\n{toml}");
    assert_eq!(Spec::from_toml(&Spec::checkup_default().to_toml())?, Spec::checkup_default());

    // An empty spec is the default one.
    assert_eq!(Spec::from_toml("")?, Spec::default());
    Ok(())
}

#[test]
fn spec_errors() {
    // Indicators are level 1: a level-1 override makes no sense.
    let err =
        Spec::from_toml(r#"weights = { default = { method = "equal" }, levels = { "1" = { method = "entropy" } } }"#)
            .expect_err("level 1");
    assert!(matches!(err, Error::Spec(_)), "{err:?}");
    // Unknown keys are refused (deny_unknown_fields).
    assert!(matches!(Spec::from_toml("normalise = { method = \"min_max\" }"), Err(Error::Spec(_))));
    // lo must be below hi.
    assert!(matches!(Spec::from_toml("normalize = { method = \"min_max\", lo = 5, hi = 1 }"), Err(Error::Spec(_))));
    // A negative entropy shift.
    assert!(matches!(
        Spec::from_toml("weights = { method = \"entropy_normalized\", shift = -1.0 }"),
        Err(Error::Spec(_))
    ));
}

/// Every weight and aggregation method of a check-up runs on the real Liaoning data (complete
/// rows: the gaps are whole city-years) and gives, for every unit-year, a finite index score,
/// weights that sum to 1 within each parent, and ranks 1..m.
#[test]
fn every_method_runs_on_the_liaoning_example() {
    use citycheck::weight::Combination;

    let catalog = Catalog::builtin("ccsy-example").unwrap();
    let options = citycheck::ReadOptions { unit_column: Some("city".into()), ..Default::default() };
    let path =
        concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv");
    let panel = Panel::read(path, &options).unwrap();
    let validation = panel.validate(&catalog, ValidationMode::Strict).unwrap();
    let data = Checkup::new(catalog.clone(), Spec::default()).unwrap().prepare(&panel, &validation).unwrap();
    let weights = [
        Weight::Equal,
        Weight::Entropy,
        Weight::EntropyNormalized { shift: 1e-4, rescale: None },
        Weight::Critic,
        Weight::Cv,
        Weight::Std,
        Weight::Pca,
        Weight::DeviationMax,
        Weight::Combined {
            combination: Combination::GameTheory,
            of: vec![Weight::Critic, Weight::EntropyNormalized { shift: 1e-4, rescale: None }],
        },
    ];
    let aggregations = [
        Aggregate::Arithmetic,
        Aggregate::Topsis { normalize: Default::default() },
        Aggregate::GreyRelational { rho: 0.5, normalize: citycheck::aggregate::GreyNormalization::MinMax },
        Aggregate::Vikor { v: 0.5 },
    ];
    for weight in &weights {
        for aggregate in &aggregations {
            let spec = Spec {
                weights: Staged::uniform(Weight::Equal).with_level(2, weight.clone()),
                aggregate: Staged::uniform(aggregate.clone()),
                ..Spec::default()
            };
            let what = format!("{} + {}", weight.name(), aggregate.name());
            let outcome =
                Checkup::new(catalog.clone(), spec).unwrap().fit(&data).unwrap_or_else(|e| panic!("{what}: {e}"));
            let index = outcome.scores.node("index").unwrap();
            for r in 0..outcome.scores.rows() {
                assert!(outcome.scores.value(r, index).is_finite(), "{what}: row {r} has no index score");
                assert!(outcome.scores.rank(r, index).is_some_and(|k| (1..=14).contains(&k)), "{what}");
            }
            for set in &outcome.fitted.sets {
                let mut sums: std::collections::HashMap<&str, f64> = Default::default();
                for w in &set.weights {
                    assert!(w.weight >= 0.0, "{what}: {} has weight {}", w.node, w.weight);
                    *sums.entry(w.parent.as_str()).or_default() += w.weight;
                }
                for (parent, sum) in sums {
                    assert!((sum - 1.0).abs() < 1e-9, "{what}: weights under {parent} sum to {sum}");
                }
            }
        }
    }
}

/// Denomination and imputation before scoring (METHODS.md §2), by hand.
#[test]
fn denominators_and_imputation_by_hand() -> citycheck::Result<()> {
    let toml = r#"
[catalog]
id = "treat"
name = "treat"
version = "1"
[[groups]]
id = "economy"
name_zh = "经济"
name_en = "Economy"
[[indicators]]
id = "gdp"
name_zh = "地区生产总值"
name_en = "GDP"
group = "economy"
unit = "10k CNY"
direction = "higher"
denominator = "population"
[[indicators]]
id = "population"
name_zh = "人口"
name_en = "Population"
unit = "10k persons"
"#;
    let catalog = Catalog::from_toml(toml, "treat")?;
    // Per capita: A 100/10 = 10, B 300/20 = 15, C 120/8 = 15 in 2020; min-max over the panel.
    let panel = Panel::from_records([
        ("A", 2020, "gdp", 100.0),
        ("A", 2020, "population", 10.0),
        ("B", 2020, "gdp", 300.0),
        ("B", 2020, "population", 20.0),
        ("C", 2020, "gdp", 120.0),
        ("C", 2020, "population", 8.0),
        ("A", 2021, "gdp", 200.0),
        ("A", 2021, "population", 10.0),
        ("B", 2021, "population", 20.0),
    ]);
    let validation = panel.validate(&catalog, ValidationMode::Strict)?;
    let spec = Spec { impute: citycheck::treat::Imputation::UnitMean, ..Spec::default() };
    let checkup = Checkup::new(catalog.clone(), spec)?;
    let data = checkup.prepare(&panel, &validation)?;
    let warnings = data.notes();
    // B 2021 has no GDP: the unit mean of B's other years (15 per capita) fills it.
    assert!(warnings.iter().any(|w| w.message.contains("1 missing cell(s) imputed by unit_mean")), "{warnings:?}");
    let outcome = checkup.fit(&data)?;
    let s = &outcome.scores;
    // Per-capita values 10, 15, 15 (2020), 20 and 15 (2021): min 10, max 20.
    assert_close(s.get("A", 2020, "gdp").unwrap(), 0.0, HAND, "A 2020");
    assert_close(s.get("B", 2020, "gdp").unwrap(), 50.0, HAND, "B 2020");
    assert_close(s.get("A", 2021, "gdp").unwrap(), 100.0, HAND, "A 2021");
    assert_close(s.get("B", 2021, "gdp").unwrap(), 50.0, HAND, "B 2021 imputed");
    let gdp = s.node("gdp").unwrap();
    let flagged: Vec<(String, i32)> =
        (0..s.rows()).filter(|&r| s.imputed(r, gdp)).map(|r| (s.unit(r).to_string(), s.year(r))).collect();
    assert_eq!(flagged, [("B".to_string(), 2021)]);
    assert_eq!(s.imputed_count(), 1);

    // Without denomination the raw totals are scored: A 2021 (200) is no longer the best.
    let raw = Checkup::new(catalog.clone(), Spec { denominate: false, ..Spec::default() })?;
    let outcome = raw.run(&panel, &validation)?.1;
    assert_close(outcome.scores.get("B", 2020, "gdp").unwrap(), 100.0, HAND, "B 2020 total is the largest");

    // Group-mean imputation needs the attribute it names.
    let grouped = Checkup::new(
        catalog.clone(),
        Spec { impute: citycheck::treat::Imputation::GroupMean { by: "province".into() }, ..Spec::default() },
    )?;
    let err = grouped.prepare(&panel, &validation).unwrap_err();
    assert!(matches!(err, Error::Spec(ref m) if m.contains("province")), "{err}");
    Ok(())
}

/// Outlier treatment as a run stage: fitted on the scope's rows, saved with the parameters,
/// and applied as fitted to any other year.
#[test]
fn outlier_treatment_is_fitted_and_reapplied() -> citycheck::Result<()> {
    let toml = r#"
[catalog]
id = "outliers"
name = "outliers"
version = "1"
[[groups]]
id = "g"
name_zh = "组"
name_en = "Group"
[[indicators]]
id = "x"
name_zh = "指标"
name_en = "x"
group = "g"
unit = "index"
direction = "higher"
"#;
    let catalog = Catalog::from_toml(toml, "outliers")?;
    // 2020: 1..9 and 100 (skewness 3.12, kurtosis 9.80): one point winsorised, 100 → 9
    // (the example of treat_column's documentation). 2021: one value, 50, beyond the cap.
    let mut records: Vec<(String, i32, f64)> = (1..=9).map(|v| (format!("u{v}"), 2020, f64::from(v))).collect();
    records.push(("u10".into(), 2020, 100.0));
    records.push(("u1".into(), 2021, 50.0));
    let panel = Panel::from_records(records.iter().map(|(u, y, v)| (u.as_str(), *y, "x", *v)));
    let validation = panel.validate(&catalog, ValidationMode::Strict)?;
    let spec = Spec {
        treat: Some(citycheck::treat::OutlierRule::default()),
        scope: Scope::ReferenceYear(2020),
        ..Spec::default()
    };
    let checkup = Checkup::new(catalog.clone(), spec)?;
    let data = checkup.prepare(&panel, &validation)?;
    let outcome = checkup.fit(&data)?;
    let set = &outcome.fitted.sets[0];
    assert_eq!(set.treatment.len(), 1);
    assert_eq!(set.treatment[0].report.treatment, citycheck::treat::Treatment::Winsorised { low: 0, high: 1 });
    assert_eq!(set.treatment[0].transform, citycheck::treat::Transform::Clip { low: 1.0, high: 9.0 });
    assert!(
        outcome.warnings.iter().any(|w| w.message.contains("winsorised 0 low and 1 high")),
        "{:?}",
        outcome.warnings
    );
    // min-max over the treated 2020 values [1, 9]: u10 (100 → 9) scores 100, u5 scores 50.
    assert_close(outcome.scores.get("u10", 2020, "x").unwrap(), 100.0, HAND, "u10");
    assert_close(outcome.scores.get("u5", 2020, "x").unwrap(), 50.0, HAND, "u5");
    // 2021 is treated with the 2020 caps: 50 → 9 → 100.
    assert_close(outcome.scores.get("u1", 2021, "x").unwrap(), 100.0, HAND, "u1 2021");
    // The fitted parameters, read back, score the same.
    let fitted = Fitted::from_json(&outcome.fitted.to_json())?;
    let again = fitted.transform(&data)?;
    assert_eq!(again.scores.get("u1", 2021, "x"), outcome.scores.get("u1", 2021, "x"));
    Ok(())
}

/// AHP weights from the catalogue's judgement matrices, hierarchical (global = product).
#[test]
fn ahp_weights_from_catalogue_judgements() -> citycheck::Result<()> {
    let toml = r#"
[catalog]
id = "ahp"
name = "ahp"
version = "1"
[[groups]]
id = "a"
name_zh = "甲"
name_en = "A"
[[groups]]
id = "b"
name_zh = "乙"
name_en = "B"
[[indicators]]
id = "x1"
name_zh = "x1"
name_en = "x1"
group = "a"
unit = "index"
direction = "higher"
[[indicators]]
id = "x2"
name_zh = "x2"
name_en = "x2"
group = "a"
unit = "index"
direction = "higher"
[[indicators]]
id = "x3"
name_zh = "x3"
name_en = "x3"
group = "a"
unit = "index"
direction = "higher"
[[indicators]]
id = "y"
name_zh = "y"
name_en = "y"
group = "b"
unit = "index"
direction = "higher"
# A consistent matrix: x1 = 2 x2 = 4 x3, so w = [4/7, 2/7, 1/7], CR = 0.
[[judgements]]
node = "a"
order = ["x1", "x2", "x3"]
matrix = [[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]]
# b is 3 times as important as a: w = [1/4, 3/4] (for n = 2 the eigenvector is exact).
[[judgements]]
node = "index"
order = ["b", "a"]
matrix = [[1, 3], [0.3333333333333333, 1]]
"#;
    let catalog = Catalog::from_toml(toml, "ahp")?;
    let panel = Panel::from_records([
        ("u", 2020, "x1", 1.0),
        ("v", 2020, "x1", 2.0),
        ("u", 2020, "x2", 1.0),
        ("v", 2020, "x2", 3.0),
        ("u", 2020, "x3", 5.0),
        ("v", 2020, "x3", 4.0),
        ("u", 2020, "y", 1.0),
        ("v", 2020, "y", 0.0),
    ]);
    let validation = panel.validate(&catalog, ValidationMode::Strict)?;
    let ahp = Weight::Ahp {
        derivation: Default::default(),
        strict: true,
        random_index: Default::default(),
        reciprocal_tolerance: 0.005,
    };
    let spec = Spec { weights: Staged::uniform(ahp), ..Spec::default() };
    let checkup = Checkup::new(catalog.clone(), spec)?;
    let data = checkup.prepare(&panel, &validation)?;
    let outcome = checkup.fit(&data)?;
    let weight = |node: &str| outcome.fitted.sets[0].weights.iter().find(|w| w.node == node).unwrap().clone();
    assert_close(weight("x1").weight, 4.0 / 7.0, 1e-10, "x1");
    assert_close(weight("x3").weight, 1.0 / 7.0, 1e-10, "x3");
    assert_close(weight("b").weight, 0.75, 1e-10, "b");
    assert_close(weight("x1").global_weight, 0.25 * 4.0 / 7.0, 1e-10, "global x1 = w(a) · w(x1)");
    assert!(outcome
        .warnings
        .iter()
        .any(|w| w.message.contains("AHP (eigenvector) for 'a'") && w.message.contains("consistent")));
    // u: x1 0, x2 0, x3 100 → a = 100/7; y 100 → b = 100; index = 0.25·100/7 + 0.75·100.
    assert_close(outcome.scores.get("u", 2020, "index").unwrap(), 25.0 / 7.0 + 75.0, HAND, "u index");

    // A judgement matrix that does not list exactly the children, or is not reciprocal, is a
    // catalogue error naming the node.
    let bad_order = toml.replace(r#"order = ["x1", "x2", "x3"]"#, r#"order = ["x1", "x2", "y"]"#);
    let err = Catalog::from_toml(&bad_order, "ahp").unwrap_err().to_string();
    assert!(err.contains("entry 'a'") && err.contains("exactly the children"), "{err}");
    let not_reciprocal = toml.replace("[0.5, 1, 2]", "[0.9, 1, 2]");
    let err = Catalog::from_toml(&not_reciprocal, "ahp").unwrap_err().to_string();
    assert!(err.contains("entry 'a'") && err.contains("recipro"), "{err}");
    Ok(())
}

/// The weighted sum and product models as aggregation variants of a hierarchy, by hand.
/// One year, three units; equal weights. gdp 10, 20, 30 and tertiary share 30, 10, 20.
#[test]
fn weighted_sum_and_product_aggregate_a_group() -> citycheck::Result<()> {
    let catalog = catalog();
    let panel = records(&[
        ("A", 2020, [10.0, 30.0, 40.0, 5.0]),
        ("B", 2020, [20.0, 10.0, 40.0, 5.0]),
        ("C", 2020, [30.0, 20.0, 40.0, 5.0]),
    ]);
    let at_groups = |aggregate: Aggregate, normalize: Normalize| Spec {
        normalize,
        aggregate: Staged::uniform(Aggregate::Arithmetic).with_level(2, aggregate),
        ..Spec::default()
    };
    // min_max [0, 100]: gdp scores 0, 50, 100 and tertiary 100, 0, 50. Within the group the
    // weighted sum's min-max gives r = score / 100, so economy = 0.5 r_gdp + 0.5 r_tertiary:
    // A 0.5, B 0.25, C 0.75.
    let wsm = Aggregate::WeightedSum { normalize: Default::default() };
    let outcome = run(&catalog, &panel, at_groups(wsm, Normalize::default()))?;
    for (unit, expected) in [("A", 0.5), ("B", 0.25), ("C", 0.75)] {
        assert_close(score(&outcome, unit, 2020, "economy"), expected, HAND, unit);
    }
    // min_max [1, 100]: gdp 1, 50.5, 100 and tertiary 100, 1, 50.5 (both sum to 151.5).
    // The product model's r = s / Σ s, P = √(r_gdp · r_tertiary) = √(s_gdp · s_tertiary) / 151.5:
    // A √100/151.5, B √50.5/151.5, C √5050/151.5.
    let outcome =
        run(&catalog, &panel, at_groups(Aggregate::WeightedProduct, Normalize::MinMax { lo: 1.0, hi: 100.0 }))?;
    for (unit, product) in [("A", 100.0_f64), ("B", 50.5), ("C", 5050.0)] {
        assert_close(score(&outcome, unit, 2020, "economy"), product.sqrt() / 151.5, HAND, unit);
    }
    // A zero score vetoes the product: refused, naming the unit and the child.
    let err = run(&catalog, &panel, at_groups(Aggregate::WeightedProduct, Normalize::default())).unwrap_err();
    assert!(matches!(&err, Error::Method { .. }) && err.to_string().contains("'A'"), "{err}");
    assert_eq!("weighted_product".parse::<Aggregate>()?, Aggregate::WeightedProduct);
    Ok(())
}
