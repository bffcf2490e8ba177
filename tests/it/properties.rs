//! Invariants of the pipeline on random panels (proptest): 3–30 units, 2–6 indicators in two
//! groups, 1–4 years, about 15 % of the cells missing; min_max [0, 100], panel scope.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use proptest::prelude::*;

use citycheck::catalog::Direction;
use citycheck::kernels::from_columns;
use citycheck::weight::{entropy, entropy_normalized};
use citycheck::{Catalog, Checkup, Outcome, Panel, Spec, ValidationMode};

use crate::prec::WEIGHT_SUM;

/// Rounding slack of a weighted mean of values in [0, 100].
const SCALE_SLACK: f64 = 1e-9;
const FIRST_YEAR: i32 = 2020;

/// A random panel: `cells[(year · units + unit) · n + j]`, `None` = missing.
#[derive(Debug, Clone)]
struct Case {
    units: usize,
    years: usize,
    higher: Vec<bool>,
    cells: Vec<Option<u32>>,
}

impl Case {
    fn n(&self) -> usize {
        self.higher.len()
    }

    fn cell(&self, year: usize, unit: usize, j: usize) -> Option<u32> {
        self.cells[(year * self.units + unit) * self.n() + j]
    }
}

fn case_with(indicators: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Case> {
    (3usize..=30, indicators, 1usize..=4).prop_flat_map(|(units, n, years)| {
        (
            proptest::collection::vec(any::<bool>(), n),
            // Integer values keep min-max arithmetic exact enough for strict rank comparisons.
            proptest::collection::vec(proptest::option::weighted(0.85, 0u32..1000), units * n * years),
        )
            .prop_map(move |(higher, cells)| Case { units, years, higher, cells })
    })
}

fn unit_name(u: usize) -> String {
    format!("城市{u:02}")
}

/// Indicators `i0, i1, …` with the given directions, alternating between groups g0 and g1.
fn catalog_for(higher: &[bool]) -> Catalog {
    let mut toml = String::from("[catalog]\nid = \"property-test\"\nname = \"性质测试\"\nversion = \"1\"\n\n");
    for g in 0..higher.len().min(2) {
        writeln!(toml, "[[groups]]\nid = \"g{g}\"\nname_zh = \"维度{g}\"\nname_en = \"Group {g}\"\n").unwrap();
    }
    for (j, &h) in higher.iter().enumerate() {
        writeln!(
            toml,
            "[[indicators]]\nid = \"i{j}\"\nname_zh = \"指标{j}\"\nname_en = \"Indicator {j}\"\ngroup = \"g{}\"\n\
             unit = \"index\"\ndirection = \"{}\"\n",
            j % 2,
            if h { "higher" } else { "lower" }
        )
        .unwrap();
    }
    Catalog::from_toml(&toml, "property-test.toml").expect("generated catalogue is valid")
}

/// Every cell as a record; missing cells are NaN records (an observation without a value).
fn panel_for(case: &Case) -> Panel {
    let units: Vec<String> = (0..case.units).map(unit_name).collect();
    let ids: Vec<String> = (0..case.n()).map(|j| format!("i{j}")).collect();
    let mut records = Vec::new();
    for y in 0..case.years {
        for (u, unit) in units.iter().enumerate() {
            for (j, id) in ids.iter().enumerate() {
                let v = case.cell(y, u, j).map_or(f64::NAN, f64::from);
                records.push((unit.as_str(), FIRST_YEAR + y as i32, id.as_str(), v));
            }
        }
    }
    Panel::from_records(records)
}

fn run(catalog: &Catalog, panel: &Panel, spec: Spec) -> Outcome {
    let validation = panel.validate(catalog, ValidationMode::Strict).expect("generated panels are valid");
    Checkup::new(catalog.clone(), spec).expect("valid spec").run(panel, &validation).expect("the run succeeds").1
}

fn specs() -> [Spec; 2] {
    // Equal weights everywhere, and the embedded default's entropy_normalized within groups.
    [Spec::default(), Spec::checkup_default()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_score_is_on_the_0_100_scale(case in case_with(2..=6)) {
        let catalog = catalog_for(&case.higher);
        let panel = panel_for(&case);
        for spec in specs() {
            let outcome = run(&catalog, &panel, spec);
            let s = &outcome.scores;
            for r in 0..s.rows() {
                for n in 0..s.tree().nodes().len() {
                    let v = s.value(r, n);
                    prop_assert!(
                        v.is_nan() || (-SCALE_SLACK..=100.0 + SCALE_SLACK).contains(&v),
                        "{} {} node {}: {v}", s.unit(r), s.year(r), s.tree().node(n).id
                    );
                }
            }
        }
    }

    #[test]
    fn weights_sum_to_one_within_each_parent(case in case_with(2..=6)) {
        let catalog = catalog_for(&case.higher);
        let panel = panel_for(&case);
        for spec in specs() {
            let outcome = run(&catalog, &panel, spec);
            for set in &outcome.fitted.sets {
                let global: HashMap<&str, f64> =
                    set.weights.iter().map(|w| (w.node.as_str(), w.global_weight)).collect();
                let mut sums: BTreeMap<&str, f64> = BTreeMap::new();
                for w in &set.weights {
                    prop_assert!(w.weight >= 0.0 && w.weight.is_finite(), "weight of {}: {}", w.node, w.weight);
                    *sums.entry(w.parent.as_str()).or_default() += w.weight;
                    let parent = if w.parent == "index" { 1.0 } else { global[w.parent.as_str()] };
                    prop_assert!((w.global_weight - w.weight * parent).abs() <= 1e-12, "global weight of {}", w.node);
                }
                for (parent, sum) in sums {
                    prop_assert!((sum - 1.0).abs() <= WEIGHT_SUM, "weights within {parent} sum to {sum}");
                }
            }
        }
    }

    #[test]
    fn flipping_the_only_indicator_reverses_the_ranks(case in case_with(1..=1)) {
        let higher = catalog_for(&[true]);
        let lower = catalog_for(&[false]);
        let panel = panel_for(&case);
        let up = run(&higher, &panel, Spec::default());
        let down = run(&lower, &panel, Spec::default());
        let (su, sd) = (&up.scores, &down.scores);
        prop_assert_eq!(su.rows(), sd.rows());
        let index = 0;
        for a in 0..su.rows() {
            prop_assert_eq!(su.rank(a, index).is_some(), sd.rank(a, index).is_some());
            for b in (0..su.rows()).filter(|&b| su.year(b) == su.year(a)) {
                let (Some(ua), Some(ub), Some(da), Some(db)) =
                    (su.rank(a, index), su.rank(b, index), sd.rank(a, index), sd.rank(b, index))
                else {
                    continue;
                };
                // a ahead of b under "higher" exactly when b is ahead of a under "lower".
                prop_assert_eq!(ua.cmp(&ub), db.cmp(&da), "{} vs {} in {}", su.unit(a), su.unit(b), su.year(a));
            }
        }
    }

    #[test]
    fn constant_or_missing_column_never_makes_a_scored_unit_missing(
        case in case_with(2..=5),
        all_missing in any::<bool>(),
        constant in 0u32..1000,
        present in proptest::collection::vec(any::<bool>(), 120),
    ) {
        // One more indicator, either constant where present or missing everywhere.
        let n = case.n();
        let mut higher = case.higher.clone();
        higher.push(true);
        let extra: Vec<Option<u32>> = (0..case.units * case.years)
            .map(|k| (!all_missing && present[k % present.len()]).then_some(constant))
            .collect();
        let mut cells = Vec::with_capacity(case.cells.len() + extra.len());
        for (k, row) in case.cells.chunks(n).enumerate() {
            cells.extend_from_slice(row);
            cells.push(extra[k]);
        }
        let wide = Case { units: case.units, years: case.years, higher, cells };
        let catalog = catalog_for(&wide.higher);
        let outcome = run(&catalog, &panel_for(&wide), Spec::default());
        let s = &outcome.scores;
        let extra_id = format!("i{n}");
        for r in 0..s.rows() {
            let y = (s.year(r) - FIRST_YEAR) as usize;
            let u = (0..wide.units).find(|&u| unit_name(u) == s.unit(r)).expect("known unit");
            let has_value = (0..wide.n()).any(|j| wide.cell(y, u, j).is_some());
            let index = s.value(r, 0);
            prop_assert_eq!(!index.is_nan(), has_value, "{} {}: index {}", s.unit(r), s.year(r), index);
            if let Some(node) = s.node(&extra_id) {
                // Constant where present: every present value scores the top of the scale.
                let v = s.value(r, node);
                prop_assert!(v.is_nan() || v == 100.0, "constant column scores 100, got {v}");
            }
        }
    }

    #[test]
    fn entropy_weights_are_non_negative_and_sum_to_one(
        (rows, cols, cells, directions) in (2usize..=20, 1usize..=8).prop_flat_map(|(m, n)| (
            Just(m),
            Just(n),
            proptest::collection::vec(proptest::option::weighted(0.85, 0.0f64..1e6), m * n),
            proptest::collection::vec(any::<bool>(), n),
        )),
        shift in prop_oneof![Just(0.0), Just(1e-4), 0.0f64..1.0],
    ) {
        let names: Vec<String> = (0..cols).map(|j| format!("c{j}")).collect();
        let data: Vec<f64> = cells.iter().map(|c| c.unwrap_or(f64::NAN)).collect();
        let x = from_columns(rows, cols, data).expect("sizes match");
        let w = entropy(x.view(), &names, &mut Vec::new()).expect("non-negative data");
        check_weights(&w, cols)?;

        // entropy_normalized also takes negative data: shift the same cells down.
        let shifted: Vec<f64> = cells.iter().map(|c| c.map_or(f64::NAN, |v| v - 5e5)).collect();
        let x = from_columns(rows, cols, shifted).expect("sizes match");
        let dirs: Vec<Direction> =
            directions.iter().map(|&h| if h { Direction::Higher } else { Direction::Lower }).collect();
        let w = entropy_normalized(x.view(), &dirs, shift, &names, &mut Vec::new()).expect("valid shift");
        check_weights(&w, cols)?;
    }
}

fn check_weights(w: &[f64], cols: usize) -> Result<(), proptest::test_runner::TestCaseError> {
    prop_assert_eq!(w.len(), cols);
    for &v in w {
        prop_assert!(v.is_finite() && v >= 0.0, "weight {v} in {w:?}");
    }
    let sum: f64 = w.iter().sum();
    prop_assert!((sum - 1.0).abs() <= WEIGHT_SUM, "weights {w:?} sum to {sum}");
    Ok(())
}
