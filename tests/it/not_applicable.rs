//! Not applicable is not missing (不适用): a cell marked `not_applicable` in the data, or
//! covered by the catalogue's `[indicators.not_applicable]` rule, is left out of the scores with
//! its weight renormalised, never imputed, never a validation problem, never a diagnosed
//! problem, and counted in the `not_applicable` warning of run.json.
//!
//! The panel: 3 units, 1 year, 1 group `g` of 2 indicators (both higher is better); unit B's
//! `i2` does not apply.
//!
//! | unit | i1 | i2             |
//! |------|----|----------------|
//! | A    | 10 | 40             |
//! | B    | 25 | not_applicable |
//! | C    | 30 | 30             |
//!
//! By hand, with `Spec::default()` (min_max [0, 100] over the panel, equal weights, arithmetic
//! means):
//!
//! - i1 on [10, 30]: A (10 − 10)/20 = 0, B (25 − 10)/20 = 75, C (30 − 10)/20 = 100;
//! - i2 on [30, 40] (B left out): A 100, C 0, B none;
//! - g = Σ w s / Σ w over the parts present: A (0 + 100)/2 = 50, C (100 + 0)/2 = 50, and
//!   B = (½ · 75)/(½) = 75: its i1 score, the weight of i2 renormalised away. Imputing i2 by the
//!   mean (35 → 50) would give B 62.5; penalising it as 0 would give 37.5.

use std::path::{Path, PathBuf};

use citycheck::aggregate::MissingPolicy;
use citycheck::diagnose::{diagnose, DiagnoseOptions};
use citycheck::error::IssueKind;
use citycheck::treat::Imputation;
use citycheck::{Catalog, Checkup, Dataset, Error, Outcome, Panel, ReadOptions, Spec, ValidationMode, WarningCode};
use tempfile::TempDir;

use crate::prec::{assert_close, HAND};

const CATALOG: &str = r#"
[catalog]
id = "na-test"
name = "不适用测试"
version = "1"

[[groups]]
id = "g"
name_zh = "维度"
name_en = "Group"

[[indicators]]
id = "i1"
name_zh = "指标一"
name_en = "Indicator 1"
group = "g"
unit = "index"
direction = "higher"

[[indicators]]
id = "i2"
name_zh = "指标二"
name_en = "Indicator 2"
group = "g"
unit = "index"
direction = "higher"
[indicators.standard]
value = 35.0
"#;

/// The catalogue, with `rule` (TOML lines) as i2's `[indicators.not_applicable]` table when
/// given, and the context variable `rail_km`.
fn catalog_with(rule: Option<&str>) -> Catalog {
    let mut text = CATALOG.to_string();
    if let Some(rule) = rule {
        text.push_str("[indicators.not_applicable]\n");
        text.push_str(rule);
        text.push('\n');
    }
    text.push_str(
        "\n[[indicators]]\nid = \"rail_km\"\nname_zh = \"轨道交通运营里程\"\nname_en = \"Rail lines in operation\"\nunit = \"km\"\n",
    );
    Catalog::from_toml(&text, "na-test.toml").expect("test catalogue is valid")
}

struct Files {
    dir: TempDir,
}

impl Files {
    fn new() -> Files {
        Files { dir: tempfile::tempdir().expect("temporary folder") }
    }

    /// A long CSV with a `province` attribute (one province: group means are panel means).
    fn long(&self, name: &str, rows: &[(&str, &str, &str)]) -> PathBuf {
        let mut text = String::from("unit,year,indicator,value,province\n");
        for (unit, indicator, value) in rows {
            text.push_str(&format!("{unit},2024,{indicator},{value},P\n"));
        }
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write test file");
        path
    }
}

fn read(path: &Path) -> Panel {
    Panel::read(path, &ReadOptions::default().attribute("province")).expect("the panel reads")
}

/// The panel of the table above, B's i2 given as `b_i2`, C's i1 as `c_i1`.
fn panel(files: &Files, b_i2: &str, c_i1: &str) -> Panel {
    read(&files.long(
        &format!("panel-{}-{}.csv", b_i2.len(), c_i1.len()),
        &[
            ("A", "i1", "10"),
            ("A", "i2", "40"),
            ("B", "i1", "25"),
            ("B", "i2", b_i2),
            ("C", "i1", c_i1),
            ("C", "i2", "30"),
        ],
    ))
}

fn run(catalog: &Catalog, panel: &Panel, spec: Spec) -> citycheck::Result<(Dataset, Outcome)> {
    let validation = panel.validate(catalog, ValidationMode::Strict)?;
    Checkup::new(catalog.clone(), spec)?.run(panel, &validation)
}

fn score(outcome: &Outcome, unit: &str, node: &str) -> Option<f64> {
    outcome.scores.get(unit, 2024, node)
}

fn imputed(outcome: &Outcome, unit: &str, node: &str) -> bool {
    let s = &outcome.scores;
    let row = (0..s.rows()).find(|&r| s.unit(r) == unit).expect("a row of the unit");
    s.imputed(row, s.node(node).expect("a node"))
}

#[test]
fn the_mark_is_read_and_scoring_renormalises_over_the_rest() -> citycheck::Result<()> {
    let files = Files::new();
    let catalog = catalog_with(None);
    for mark in ["not_applicable", "不适用"] {
        let panel = panel(&files, mark, "30");
        assert_eq!(panel.not_applicable_count(), 1, "{mark}");
        // Not a parse error, not any issue at all.
        let validation = panel.validate(&catalog, ValidationMode::Strict)?;
        assert!(validation.issues.is_empty(), "{:?}", validation.issues);
        let (data, outcome) = run(&catalog, &panel, Spec::default())?;
        assert!(data.is_not_applicable_at("B", 2024, "i2") && !data.is_not_applicable_at("A", 2024, "i2"));
        assert_eq!(data.not_applicable_cells(), 1);
        assert_eq!(score(&outcome, "B", "i2"), None);
        assert_close(score(&outcome, "B", "i1").unwrap(), 75.0, HAND, "B i1");
        // B's group score is its i1 score: the weight of i2 renormalised away.
        assert_close(score(&outcome, "B", "g").unwrap(), 75.0, HAND, "B g");
        assert_close(score(&outcome, "A", "g").unwrap(), 50.0, HAND, "A g");
        assert_close(score(&outcome, "C", "g").unwrap(), 50.0, HAND, "C g");
        assert_close(score(&outcome, "B", "index").unwrap(), 75.0, HAND, "B index");
        assert!(!imputed(&outcome, "B", "i2"));
        // run.json's warnings are the outcome's: one not_applicable warning, no no_score.
        let na: Vec<_> = outcome.warnings.iter().filter(|w| w.code == WarningCode::NotApplicable).collect();
        assert_eq!(na.len(), 1, "{:?}", outcome.warnings);
        assert!(na[0].message.starts_with("1 cell(s) of 1 indicator(s) are not applicable (i2)"), "{}", na[0].message);
        assert_eq!(WarningCode::NotApplicable.as_str(), "not_applicable");
        assert!(!outcome.warnings.iter().any(|w| w.code == WarningCode::NoScore), "{:?}", outcome.warnings);
        // Nor is it missing in the coverage: B's group rests on all of the weight that applies
        // (i2 left out: ½·1 / ½ = 1), i2 itself has no coverage, and no partial_coverage warning.
        let s = &outcome.scores;
        let b = (0..s.rows()).find(|&r| s.unit(r) == "B").expect("B has a row");
        assert_eq!(s.coverage(b, s.node("g").unwrap()), Some(1.0));
        assert_eq!(s.coverage(b, s.node("i2").unwrap()), None);
        assert!(!outcome.warnings.iter().any(|w| w.code == WarningCode::PartialCoverage), "{:?}", outcome.warnings);
    }
    Ok(())
}

#[test]
fn validation_reports_garbage_but_neither_the_mark_nor_a_blank() {
    let files = Files::new();
    let catalog = catalog_with(None);
    // A plain blank is missing, which is no problem of the data either (real panels have gaps);
    // text that is neither a number, a missing mark nor the not-applicable mark is.
    let blank = panel(&files, "", "30");
    assert_eq!(blank.not_applicable_count(), 0);
    assert!(blank.validate(&catalog, ValidationMode::Strict).expect("valid").issues.is_empty());
    let garbage = panel(&files, "n.app", "30");
    let issues = garbage.validate(&catalog, ValidationMode::Lenient).expect("lenient").issues;
    assert!(issues.iter().any(|i| i.kind == IssueKind::NonNumeric), "{issues:?}");
}

#[test]
fn imputation_fills_a_missing_cell_but_never_a_not_applicable_one() -> citycheck::Result<()> {
    let files = Files::new();
    let catalog = catalog_with(None);
    // B's i2 is not applicable, C's i1 is blank (missing).
    let panel = panel(&files, "not_applicable", "");
    let spec = Spec { impute: Imputation::GroupMean { by: "province".into() }, ..Spec::default() };
    let (data, outcome) = run(&catalog, &panel, spec)?;
    // C's i1 = mean of A and B = (10 + 25)/2 = 17.5, flagged imputed.
    assert!(imputed(&outcome, "C", "i1"));
    assert!(!imputed(&outcome, "B", "i2") && data.is_not_applicable_at("B", 2024, "i2"));
    assert_eq!(score(&outcome, "B", "i2"), None);
    // i1 on [10, 25]: A 0, B 100, C 50; i2 on [30, 40]: A 100, C 0.
    // g: A (0 + 100)/2 = 50, B 100 (i1 alone), C (50 + 0)/2 = 25.
    assert_close(score(&outcome, "C", "i1").unwrap(), 50.0, HAND, "C i1");
    assert_close(score(&outcome, "B", "g").unwrap(), 100.0, HAND, "B g");
    assert_close(score(&outcome, "C", "g").unwrap(), 25.0, HAND, "C g");
    let imputed_warning = outcome.warnings.iter().find(|w| w.code == WarningCode::Imputed).expect("imputed");
    assert!(imputed_warning.message.starts_with("1 missing cell(s)"), "{}", imputed_warning.message);
    Ok(())
}

#[test]
fn missing_error_refuses_a_blank_but_not_a_not_applicable_cell() -> citycheck::Result<()> {
    let files = Files::new();
    let catalog = catalog_with(None);
    let strict = Spec { missing: MissingPolicy::Error, ..Spec::default() };
    let (_, outcome) = run(&catalog, &panel(&files, "not_applicable", "30"), strict.clone())?;
    assert_close(score(&outcome, "B", "g").unwrap(), 75.0, HAND, "B g");
    let err = run(&catalog, &panel(&files, "", "30"), strict).unwrap_err();
    assert!(matches!(err, Error::Method { .. }), "{err}");
    Ok(())
}

#[test]
fn a_catalogue_rule_marks_the_cell() -> citycheck::Result<()> {
    let files = Files::new();
    // By unit: B's i2 is absent from the data; the rule makes it not applicable.
    let by_unit = catalog_with(Some("units = [\"B\"]"));
    let rows = [("A", "i1", "10"), ("A", "i2", "40"), ("B", "i1", "25"), ("C", "i1", "30"), ("C", "i2", "30")];
    let panel = read(&files.long("no-b-i2.csv", &rows));
    let (data, outcome) = run(&by_unit, &panel, Spec::default())?;
    assert!(data.is_not_applicable_at("B", 2024, "i2"));
    assert_close(score(&outcome, "B", "g").unwrap(), 75.0, HAND, "B g");
    assert!(outcome.warnings.iter().any(|w| w.code == WarningCode::NotApplicable));

    // By context: i2 does not apply where rail_km is 0 (B), and applies elsewhere.
    let by_context = catalog_with(Some("unless = \"rail_km\""));
    let mut with_rail = rows.to_vec();
    with_rail.extend([("A", "rail_km", "12"), ("B", "rail_km", "0"), ("C", "rail_km", "5")]);
    let panel = read(&files.long("rail.csv", &with_rail));
    let (data, outcome) = run(&by_context, &panel, Spec::default())?;
    assert!(data.is_not_applicable_at("B", 2024, "i2") && !data.is_not_applicable_at("C", 2024, "i2"));
    assert_close(score(&outcome, "B", "g").unwrap(), 75.0, HAND, "B g");

    // A rule must say something, and `unless` must name another indicator.
    for bad in ["units = []", "unless = \"nope\"", "unless = \"i2\""] {
        let mut text = CATALOG.to_string();
        text.push_str(&format!("[indicators.not_applicable]\n{bad}\n"));
        assert!(matches!(Catalog::from_toml(&text, "bad.toml"), Err(Error::Catalog { .. })), "{bad}");
    }
    Ok(())
}

#[test]
fn a_value_given_against_the_rule_is_an_issue() -> citycheck::Result<()> {
    let files = Files::new();
    let catalog = catalog_with(Some("units = [\"B\"]"));
    let panel = panel(&files, "35", "30");
    let Err(Error::Validation { issues }) = panel.validate(&catalog, ValidationMode::Strict) else {
        panic!("strict validation refuses a value where the rule says not applicable");
    };
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0].kind, IssueKind::NotApplicableValue);
    assert_eq!(issues[0].location.unit.as_deref(), Some("B"));
    // Lenient: reported, and the value is left out (the rule wins).
    let validation = panel.validate(&catalog, ValidationMode::Lenient)?;
    assert!(validation.issues.iter().any(|i| i.kind == IssueKind::NotApplicableValue));
    let checkup = Checkup::new(catalog.clone(), Spec::default())?;
    let (data, outcome) = checkup.run(&panel, &validation)?;
    assert!(data.is_not_applicable_at("B", 2024, "i2"));
    assert_close(score(&outcome, "B", "g").unwrap(), 75.0, HAND, "B g");
    // The mark itself is never against the rule.
    let marked = self::panel(&files, "not_applicable", "30");
    assert!(marked.validate(&catalog, ValidationMode::Strict)?.issues.is_empty());
    Ok(())
}

#[test]
fn diagnosis_never_lists_a_not_applicable_cell_as_a_problem() -> citycheck::Result<()> {
    let files = Files::new();
    let catalog = catalog_with(None);
    let (data, outcome) = run(&catalog, &panel(&files, "not_applicable", "30"), Spec::default())?;
    let d = diagnose(&data, &outcome, &DiagnoseOptions::default())?;
    // Attainment lists it with the note, not judged; C's 30 < 35 is a miss.
    let b = d.attainment.iter().find(|a| a.unit == "B" && a.indicator == "i2").expect("a row for B's i2");
    assert_eq!(b.note.as_deref(), Some("not_applicable"));
    assert_eq!((b.value, b.met), (None, None));
    let c = d.attainment.iter().find(|a| a.unit == "C" && a.indicator == "i2").expect("a row for C's i2");
    assert_eq!(c.met, Some(false));
    // B has no indicator with a standard that applies: no rate, nothing unjudged.
    let rate = d.rates.iter().find(|r| r.unit == "B" && r.node == "g").expect("B's rate of g");
    assert_eq!((rate.with_standard, rate.rate), (0, None));
    assert_eq!(rate.note.as_deref(), Some("no indicator with a standard"));
    // The obstacle row says why it is empty.
    let o = d.obstacles.iter().find(|o| o.unit == "B" && o.node == "i2").expect("an obstacle row for B's i2");
    assert_eq!((o.obstacle, o.note.as_deref()), (None, Some("not_applicable")));
    // The ledger lists C's miss, never B's i2.
    assert!(d.ledger.iter().any(|p| p.unit == "C" && p.indicator == "i2"));
    assert!(!d.ledger.iter().any(|p| p.unit == "B" && p.indicator == "i2"), "{:?}", d.ledger);
    Ok(())
}
