//! A unit with a missing indicator (issue 17 item 4): the `coverage` of every score, counted in
//! run.json, and `missing = "empty"` beside `renormalize` and `error`.
//!
//! The panel: 3 units, 1 year (2024), group `g1` of `i1`, `i2` and group `g2` of `i3`, all
//! higher is better; B has no `i2` (a blank cell, not `not_applicable`).
//!
//! | unit | i1 | i2 | i3 |
//! |------|----|----|----|
//! | A    | 10 | 40 | 1  |
//! | B    | 25 |    | 2  |
//! | C    | 30 | 30 | 3  |
//!
//! By hand, with `Spec::default()` (min_max [0, 100] over the panel, equal weights at every
//! level, arithmetic means):
//!
//! - i1 on [10, 30]: A 0, B (25 − 10)/20·100 = 75, C 100;
//! - i2 on [30, 40] (B missing): A 100, C 0;
//! - i3 on [1, 3]: A 0, B 50, C 100;
//! - `renormalize`: g1 = A (0 + 100)/2 = 50, B 75 (i1 alone), C (100 + 0)/2 = 50; g2 = i3;
//!   index = (g1 + g2)/2: A 25, B (75 + 50)/2 = 62.5, C 75;
//! - coverage (Σ w·coverage of the parts over Σ w): B's i2 0, its g1 (½·1 + ½·0)/1 = 0.5, its
//!   index (½·0.5 + ½·1)/1 = 0.75; every other node of every unit 1. One unit-year (B's) has an
//!   index below 1;
//! - `empty`: B's g1 and so its index have no score; A and C as under `renormalize`
//!   (arithmetic means are row by row), B's g2 still 50. Index ranks: C 1, A 2, B none;
//! - `empty` with TOPSIS (vector normalisation) in every group: g1 over the complete units A and
//!   C only: columns (0, 100) and (100, 0) → r = (0, 1), (1, 0); weighted by ½: A (0, ½),
//!   C (½, 0); ideal (½, ½), anti-ideal (0, 0); D⁺ = D⁻ = ½ for both: closeness ½ each. Under
//!   `renormalize` TOPSIS refuses B's missing cell.

use std::path::{Path, PathBuf};
use std::process::Command;

use citycheck::aggregate::{Aggregate, Labels, MissingPolicy};
use citycheck::checkup::Staged;
use citycheck::kernels::array;
use citycheck::{Catalog, Checkup, Error, Outcome, Panel, ReadOptions, Spec, ValidationMode, WarningCode};

use crate::prec::{assert_close, HAND};

const CATALOG: &str = r#"
[catalog]
id = "coverage-test"
name = "覆盖度测试"
version = "1"

[[groups]]
id = "g1"
name_zh = "维度一"
name_en = "Group 1"

[[groups]]
id = "g2"
name_zh = "维度二"
name_en = "Group 2"

[[indicators]]
id = "i1"
name_zh = "指标一"
name_en = "Indicator 1"
group = "g1"
unit = "index"
direction = "higher"

[[indicators]]
id = "i2"
name_zh = "指标二"
name_en = "Indicator 2"
group = "g1"
unit = "index"
direction = "higher"

[[indicators]]
id = "i3"
name_zh = "指标三"
name_en = "Indicator 3"
group = "g2"
unit = "index"
direction = "higher"
"#;

const DATA: &str = "unit,year,indicator,value\n\
A,2024,i1,10\nA,2024,i2,40\nA,2024,i3,1\n\
B,2024,i1,25\nB,2024,i2,\nB,2024,i3,2\n\
C,2024,i1,30\nC,2024,i2,30\nC,2024,i3,3\n";

/// The catalogue and the data written into `dir`: (catalogue path, data path).
fn files(dir: &Path) -> (PathBuf, PathBuf) {
    let catalog = dir.join("coverage-test.toml");
    let data = dir.join("coverage-test.csv");
    std::fs::write(&catalog, CATALOG).unwrap();
    std::fs::write(&data, DATA).unwrap();
    (catalog, data)
}

fn outcome(spec: Spec) -> citycheck::Result<Outcome> {
    let dir = tempfile::tempdir().unwrap();
    let (catalog_path, data_path) = files(dir.path());
    let catalog = Catalog::from_toml(&std::fs::read_to_string(catalog_path).unwrap(), "coverage-test.toml")?;
    let panel = Panel::read(&data_path, &ReadOptions::default())?;
    let validation = panel.validate(&catalog, ValidationMode::Strict)?;
    let (_, outcome) = Checkup::new(catalog, spec)?.run(&panel, &validation)?;
    Ok(outcome)
}

fn row(outcome: &Outcome, unit: &str) -> usize {
    let s = &outcome.scores;
    (0..s.rows()).find(|&r| s.unit(r) == unit && s.year(r) == 2024).expect("the unit has a row")
}

fn coverage(outcome: &Outcome, unit: &str, node: &str) -> Option<f64> {
    let node = outcome.scores.node(node).expect("a node of the tree");
    outcome.scores.coverage(row(outcome, unit), node)
}

fn score(outcome: &Outcome, unit: &str, node: &str) -> Option<f64> {
    outcome.scores.get(unit, 2024, node)
}

#[test]
fn renormalize_scores_the_unit_and_says_its_coverage() -> citycheck::Result<()> {
    let outcome = outcome(Spec::default())?;
    for (unit, g1, index) in [("A", 50.0, 25.0), ("B", 75.0, 62.5), ("C", 50.0, 75.0)] {
        assert_close(score(&outcome, unit, "g1").unwrap(), g1, HAND, &format!("{unit} g1"));
        assert_close(score(&outcome, unit, "index").unwrap(), index, HAND, &format!("{unit} index"));
    }
    assert_eq!(coverage(&outcome, "B", "i2"), Some(0.0));
    assert_eq!(coverage(&outcome, "B", "i1"), Some(1.0));
    assert_close(coverage(&outcome, "B", "g1").unwrap(), 0.5, HAND, "B g1 coverage");
    assert_close(coverage(&outcome, "B", "index").unwrap(), 0.75, HAND, "B index coverage");
    for unit in ["A", "C"] {
        for node in ["i1", "i2", "i3", "g1", "g2", "index"] {
            assert_eq!(coverage(&outcome, unit, node), Some(1.0), "{unit} {node}");
        }
    }
    assert_eq!(coverage(&outcome, "B", "g2"), Some(1.0));
    assert_eq!(outcome.scores.partial_count(), 1);
    let partial = outcome.warnings.iter().find(|w| w.code == WarningCode::PartialCoverage).expect("a warning");
    assert!(partial.message.contains("'g1' 1") && partial.message.contains("'index' 1"), "{}", partial.message);
    assert!(!partial.message.contains("'g2'"), "{}", partial.message);

    // The long table: coverage after imputed, null nowhere here.
    let frame = outcome.scores.to_dataframe().unwrap();
    let names: Vec<String> = frame.get_column_names().iter().map(|n| n.to_string()).collect();
    assert_eq!(names, ["unit", "year", "node", "kind", "score", "rank", "imputed", "coverage"]);
    let column = frame.column("coverage").unwrap().f64().unwrap();
    let shares: Vec<f64> = column.iter().map(|c| c.expect("every node applies")).collect();
    // 3 units × 6 nodes; below 1: B's i2 (0), g1 (0.5) and index (0.75).
    assert_eq!(shares.len(), 18);
    let mut below: Vec<f64> = shares.into_iter().filter(|&c| c < 1.0).collect();
    below.sort_by(f64::total_cmp);
    assert_eq!(below, [0.0, 0.5, 0.75]);
    Ok(())
}

#[test]
fn empty_leaves_just_that_units_node_empty() -> citycheck::Result<()> {
    let outcome = outcome(Spec { missing: MissingPolicy::Empty, ..Spec::default() })?;
    assert_eq!(score(&outcome, "B", "g1"), None);
    assert_eq!(score(&outcome, "B", "index"), None);
    assert_close(score(&outcome, "B", "g2").unwrap(), 50.0, HAND, "B g2");
    assert_close(score(&outcome, "B", "i1").unwrap(), 75.0, HAND, "B i1");
    for (unit, g1, index) in [("A", 50.0, 25.0), ("C", 50.0, 75.0)] {
        assert_close(score(&outcome, unit, "g1").unwrap(), g1, HAND, &format!("{unit} g1"));
        assert_close(score(&outcome, unit, "index").unwrap(), index, HAND, &format!("{unit} index"));
    }
    let league: Vec<(&str, u32)> = outcome.scores.ranking(2024, "index").iter().map(|r| (r.unit, r.rank)).collect();
    assert_eq!(league, [("C", 1), ("A", 2)]);
    // The coverage is the data's, whatever the policy.
    assert_close(coverage(&outcome, "B", "index").unwrap(), 0.75, HAND, "B index coverage");
    let emptied: Vec<&str> =
        outcome.warnings.iter().filter(|w| w.code == WarningCode::NoScore).map(|w| w.message.as_str()).collect();
    assert_eq!(emptied.len(), 2, "{emptied:?}");
    assert!(emptied.iter().all(|m| m.contains("1 unit-year(s) left without a score")), "{emptied:?}");
    assert!(emptied.iter().all(|m| m.contains("missing = \"empty\"")), "{emptied:?}");
    Ok(())
}

#[test]
fn empty_lets_topsis_score_the_complete_units() -> citycheck::Result<()> {
    let topsis: Aggregate = "topsis".parse()?;
    let spec = Spec { aggregate: Staged::uniform(topsis), ..Spec::default() };
    let err = outcome(spec.clone()).unwrap_err();
    assert!(matches!(err, Error::Method { .. }), "{err}");
    let outcome = outcome(Spec { missing: MissingPolicy::Empty, ..spec })?;
    assert_close(score(&outcome, "A", "g1").unwrap(), 0.5, HAND, "A g1");
    assert_close(score(&outcome, "C", "g1").unwrap(), 0.5, HAND, "C g1");
    assert_eq!(score(&outcome, "B", "g1"), None);
    assert_eq!(score(&outcome, "B", "index"), None);
    Ok(())
}

/// The policies on a matrix: rows (1, 3), (NaN, 4), (2, 2), weights (½, ½).
#[test]
fn the_three_policies_on_a_matrix() -> citycheck::Result<()> {
    let x = array![[1.0, 3.0], [f64::NAN, 4.0], [2.0, 2.0]];
    let names = ["A".to_string(), "B".to_string(), "C".to_string()];
    let labels = Labels { rows: &names, columns: &[], year: None };
    let w = [0.5, 0.5];
    // renormalize: B = 4 (its one part); empty: B none; the others (1 + 3)/2 = 2 and 2.
    let renormalized = Aggregate::Arithmetic.apply(x.view(), &w, MissingPolicy::Renormalize, labels)?;
    assert_eq!(renormalized, [2.0, 4.0, 2.0]);
    let emptied = Aggregate::Arithmetic.apply(x.view(), &w, MissingPolicy::Empty, labels)?;
    assert_eq!((emptied[0], emptied[2]), (2.0, 2.0));
    assert!(emptied[1].is_nan());
    let err = Aggregate::Arithmetic.apply(x.view(), &w, MissingPolicy::Error, labels).unwrap_err();
    assert!(err.to_string().contains('B'), "{err}");
    // Every row incomplete: every score empty, no error.
    let none = array![[f64::NAN, 1.0], [2.0, f64::NAN]];
    let all = Aggregate::Arithmetic.apply(none.view(), &w, MissingPolicy::Empty, Labels { rows: &[], ..labels })?;
    assert!(all.iter().all(|v| v.is_nan()));
    Ok(())
}

/// `citycheck score --weights equal --missing empty`: the scores.csv row, the coverage column,
/// run.json's count (equal weights: the spec of the hand calculation above).
#[test]
fn score_takes_missing_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let (catalog, data) = files(dir.path());
    for (policy, b_index) in [("renormalize", "62.5"), ("empty", "")] {
        let out = dir.path().join(policy);
        let result = Command::new(env!("CARGO_BIN_EXE_citycheck"))
            .args(["score", "--catalog", catalog.to_str().unwrap(), "--data", data.to_str().unwrap()])
            .args(["--weights", "equal", "--missing", policy, "--out", out.to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(result.status.success(), "{policy}: {stderr}");
        let scores = std::fs::read_to_string(out.join("scores.csv")).unwrap();
        let b_index_row = scores.lines().find(|l| l.starts_with("B,2024,index,index,")).expect("B's index row");
        let fields: Vec<&str> = b_index_row.split(',').collect();
        assert_eq!((fields[4], fields[7]), (b_index, "0.75"), "{policy}: {b_index_row}");
        let run: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
        assert_eq!(run["counts"]["partial_unit_years"], 1, "{policy}");
        assert_eq!(run["spec"]["missing"], policy);
        assert!(run["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "partial_coverage"), "{policy}");
    }
    let bad = Command::new(env!("CARGO_BIN_EXE_citycheck"))
        .args(["score", "--catalog", catalog.to_str().unwrap(), "--data", data.to_str().unwrap(), "--missing", "zero"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
