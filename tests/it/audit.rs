//! The statistical audit (issue 18, item 3): coverage, outliers, correlations, Cronbach's α and
//! principal components per group, checked against a hand calculation, then the edge cases,
//! the run's `[audit]` table and the command line.
//!
//! # The hand example
//! 5 units, 1 year, group `a` of three indicators and group `b` of one (`Spec::default()`:
//! min-max [0, 100] over the panel, equal weights, arithmetic means). Every column runs from 0
//! to 4, so its normalised values are 25·v; correlations, α and the components are unchanged
//! by that scale, so the hand works on v.
//!
//! | unit | i1 | i2 | i3 | i4 (b) | s = i1 + i2 + i3 (∝ group a) |
//! |------|----|----|----|--------|------------------------------|
//! | u1   | 0  | 1  | 0  | 3      | 1                            |
//! | u2   | 1  | 0  | 1  | 1      | 2                            |
//! | u3   | 2  | 3  | 1  | 4      | 6                            |
//! | u4   | 3  | 2  | 2  | 0      | 7                            |
//! | u5   | 4  | 4  | 4  | 2      | 12                           |
//!
//! Deviations from the means (2, 2, 1.6, 5.6): i1 (−2, −1, 0, 1, 2), i2 (−1, −2, 1, 0, 2),
//! i3 (−1.6, −0.6, −0.6, 0.4, 2.4), s (−4.6, −3.6, 0.4, 1.4, 6.4). Sums of squares and
//! products: S11 = 10, S22 = 10, S33 = 9.2, S12 = 8, S13 = 9, S23 = 7, Sss = 77.2 (= 10 + 10 +
//! 9.2 + 2 (8 + 9 + 7)), S1s = 27, S2s = 25, S3s = 25.2.
//!
//! - Pearson: r12 = 8/10 = 0.8, r13 = 9/√92, r23 = 7/√92; with the group r1s = 27/√772,
//!   r2s = 25/√772, r3s = 25.2/√(9.2 · 77.2).
//! - Spearman: ranks i1 (1, 2, 3, 4, 5), i2 (2, 1, 4, 3, 5), i3 (1, 2.5, 2.5, 4, 5) (tie: mean
//!   rank), s (1, 2, 3, 4, 5). Rank deviations of i3 (−2, −0.5, −0.5, 1, 2), sum of squares 9.5:
//!   ρ12 = 0.8, ρ13 = 9.5/√(10 · 9.5) = √0.95, ρ23 = 6.5/√95; ρ1s = 1, ρ2s = 0.8, ρ3s = √0.95.
//! - p-value with n = 5 (3 df): the t CDF with 3 df is closed, and with t = r √(3/(1 − r²)) it
//!   gives p = 1 − (2/π)(r √(1 − r²) + arcsin r): for r = 0.8, 1 − (2/π)(0.48 + arcsin 0.8)
//!   = 0.104088.
//! - α = 3/2 · (1 − (S11 + S22 + S33)/Sss) = 1.5 · (1 − 29.2/77.2) = 72/77.2 = 180/193.
//! - The first eigenvalue of R (unit diagonal, off-diagonal r12, r13, r23), by the closed form
//!   for a symmetric 3 × 3 matrix (Smith 1961): q = 1, p = √((r12² + r13² + r23²)/3),
//!   c = r12 r13 r23 / p³, λ1 = 1 + 2p cos(arccos(c)/3); share = λ1 / 3 = 0.882845.
//! - Verdict of a: α ≥ 0.7 and share ≥ 0.6, but |r13| = 0.938 > 0.9: "not coherent: collinear
//!   i1~i3 (r 0.94)". Group b has one member: α and the components are undefined.

use std::f64::consts::PI;

use citycheck::audit::{
    audit, Audit, AuditConfig, CorrelationRow, CoverageKind, Flag, GroupRow, Relation, FOLDER, TABLES,
};
use citycheck::kernels::{array, linalg::spearman_correlation};
use citycheck::treat::OutlierRule;
use citycheck::{Catalog, Checkup, Error, Panel, Spec, ValidationMode};

use crate::prec::{assert_close, HAND};

const CATALOG: &str = r#"
[catalog]
id = "audit-test"
name = "审计测试"
version = "1"

[[groups]]
id = "a"
name_zh = "维度甲"
name_en = "Group A"

[[groups]]
id = "b"
name_zh = "维度乙"
name_en = "Group B"

[[indicators]]
id = "i1"
name_zh = "指标一"
name_en = "Indicator 1"
group = "a"
unit = "index"
direction = "higher"

[[indicators]]
id = "i2"
name_zh = "指标二"
name_en = "Indicator 2"
group = "a"
unit = "index"
direction = "higher"

[[indicators]]
id = "i3"
name_zh = "指标三"
name_en = "Indicator 3"
group = "a"
unit = "index"
direction = "higher"

[[indicators]]
id = "i4"
name_zh = "指标四"
name_en = "Indicator 4"
group = "b"
unit = "index"
direction = "higher"
"#;

const UNITS: [&str; 10] = ["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "u10"];

/// The hand example's columns.
const I1: [f64; 5] = [0.0, 1.0, 2.0, 3.0, 4.0];
const I2: [f64; 5] = [1.0, 0.0, 3.0, 2.0, 4.0];
const I3: [f64; 5] = [0.0, 1.0, 1.0, 2.0, 4.0];
const I4: [f64; 5] = [3.0, 1.0, 4.0, 0.0, 2.0];

/// The records of `columns` (indicator, a value per unit in [`UNITS`] order; `NaN` = no
/// record), all in 2024.
fn records(columns: &[(&'static str, &[f64])]) -> Vec<(&'static str, i32, &'static str, f64)> {
    let mut rows = Vec::new();
    for &(indicator, values) in columns {
        for (k, &v) in values.iter().enumerate() {
            if !v.is_nan() {
                rows.push((UNITS[k], 2024, indicator, v));
            }
        }
    }
    rows
}

/// The audit of `columns` scored with `spec`.
fn audited_with(columns: &[(&'static str, &[f64])], spec: Spec, config: &AuditConfig) -> Audit {
    let catalog = Catalog::from_toml(CATALOG, "audit-test.toml").expect("test catalogue is valid");
    let panel = Panel::from_records(records(columns));
    let checkup = Checkup::new(catalog, spec).unwrap();
    let validation = panel.validate(checkup.catalog(), ValidationMode::Strict).unwrap();
    let (data, outcome) = checkup.run(&panel, &validation).unwrap();
    audit(&data, &outcome, config).unwrap()
}

fn audited(columns: &[(&'static str, &[f64])]) -> Audit {
    audited_with(columns, Spec::default(), &AuditConfig::default())
}

#[track_caller]
fn pair<'a>(audit: &'a Audit, relation: Relation, a: &str, b: &str) -> &'a CorrelationRow {
    audit
        .correlations
        .iter()
        .find(|r| r.relation == relation && r.a == a && r.b == b)
        .unwrap_or_else(|| panic!("no {relation:?} row {a} ~ {b}"))
}

#[track_caller]
fn group<'a>(audit: &'a Audit, id: &str) -> &'a GroupRow {
    audit.groups.iter().find(|g| g.group == id).unwrap_or_else(|| panic!("no group {id}"))
}

/// The two-sided p-value of Pearson's r on 5 pairs (3 df), in closed form (module doc).
fn p_five(r: f64) -> f64 {
    1.0 - 2.0 / PI * (r * (1.0 - r * r).sqrt() + r.asin())
}

/// Every number of the audit is finite or absent: never NaN.
fn assert_no_nan(audit: &Audit) {
    let numbers = audit
        .coverage
        .iter()
        .map(|r| r.share)
        .chain(audit.outliers.iter().flat_map(|r| [r.skewness, r.kurtosis]))
        .chain(audit.correlations.iter().flat_map(|r| [r.pearson, r.spearman, r.p_value]))
        .chain(audit.groups.iter().flat_map(|r| [r.cronbach_alpha, r.first_component_share]))
        .chain(audit.pca.iter().flat_map(|r| [Some(r.eigenvalue), Some(r.share), Some(r.loading)]));
    for (k, x) in numbers.flatten().enumerate() {
        assert!(x.is_finite(), "number {k} is {x}");
    }
}

#[test]
fn correlations_by_hand() {
    let a = audited(&[("i1", &I1), ("i2", &I2), ("i3", &I3), ("i4", &I4)]);
    let expected = [
        ("i1", "i2", 0.8, 0.8),
        ("i1", "i3", 9.0 / 92f64.sqrt(), 0.95f64.sqrt()),
        ("i2", "i3", 7.0 / 92f64.sqrt(), 6.5 / 95f64.sqrt()),
    ];
    for (x, y, r, rho) in expected {
        let row = pair(&a, Relation::Within, x, y);
        assert_eq!((row.group.as_str(), row.n), ("a", 5));
        assert_close(row.pearson.unwrap(), r, HAND, &format!("r({x}, {y})"));
        assert_close(row.spearman.unwrap(), rho, HAND, &format!("ρ({x}, {y})"));
        assert_close(row.p_value.unwrap(), p_five(r), HAND, &format!("p({x}, {y})"));
        assert!(row.note.is_none());
    }
    assert_close(p_five(0.8), 0.104_088, 5e-7, "p for r = 0.8 (closed form)");
    // Only i1 and i3 are collinear; nothing is negative.
    assert!(pair(&a, Relation::Within, "i1", "i2").flags.is_empty());
    assert_eq!(pair(&a, Relation::Within, "i1", "i3").flags, [Flag::Collinear]);
    assert!(pair(&a, Relation::Within, "i2", "i3").flags.is_empty());

    // With the group: r with s, ρ with s's ranks (those of i1).
    let with_group = [
        ("i1", 27.0 / 772f64.sqrt(), 1.0),
        ("i2", 25.0 / 772f64.sqrt(), 0.8),
        ("i3", 25.2 / (9.2f64 * 77.2).sqrt(), 0.95f64.sqrt()),
    ];
    for (x, r, rho) in with_group {
        let row = pair(&a, Relation::OwnGroup, x, "a");
        assert_close(row.pearson.unwrap(), r, HAND, &format!("r({x}, a)"));
        assert_close(row.spearman.unwrap(), rho, HAND, &format!("ρ({x}, a)"));
        assert_close(row.p_value.unwrap(), p_five(r), HAND, &format!("p({x}, a)"));
        // p = 0.0375 for i2, the largest: all significant at 0.05.
        assert!(row.flags.is_empty(), "{x}: {:?}", row.flags);
    }
    // The other group and the index: one row per member; the index's members with the index.
    assert!(pair(&a, Relation::OtherGroup, "i1", "b").pearson.is_some());
    assert!(pair(&a, Relation::OtherGroup, "i4", "a").pearson.is_some());
    assert!(pair(&a, Relation::Index, "i3", "index").pearson.is_some());
    assert!(pair(&a, Relation::OwnGroup, "a", "index").pearson.is_some());
    assert!(pair(&a, Relation::Within, "a", "b").pearson.is_some());
    // a: 3 within, 3 own, 3 other, 3 index; b: 1 own, 1 other, 1 index; index: 1 within, 2 own.
    assert_eq!(a.correlations.len(), 18);
    assert_no_nan(&a);
}

#[test]
fn alpha_components_and_verdicts_by_hand() {
    let a = audited(&[("i1", &I1), ("i2", &I2), ("i3", &I3), ("i4", &I4)]);
    assert_eq!(a.groups.iter().map(|g| g.group.as_str()).collect::<Vec<_>>(), ["index", "a", "b"]);
    let ga = group(&a, "a");
    assert_eq!((ga.n_indicators, ga.n_units, ga.level), (3, 5, 2));
    assert_close(ga.cronbach_alpha.unwrap(), 180.0 / 193.0, HAND, "α(a)");

    let (r12, r13, r23) = (0.8, 9.0 / 92f64.sqrt(), 7.0 / 92f64.sqrt());
    let p = ((r12 * r12 + r13 * r13 + r23 * r23) / 3.0).sqrt();
    let lambda1 = 1.0 + 2.0 * p * ((r12 * r13 * r23 / p.powi(3)).acos() / 3.0).cos();
    assert_close(ga.first_component_share.unwrap(), lambda1 / 3.0, HAND, "first component share of a");
    assert_close(lambda1 / 3.0, 0.882_845, 5e-7, "the closed form");
    // The first component's loadings a: positive, Σ a² = λ1 and R a = λ1 a.
    let first: Vec<_> = a.pca.iter().filter(|r| r.group == "a" && r.component == 1).collect();
    assert_eq!(first.iter().map(|r| r.member.as_str()).collect::<Vec<_>>(), ["i1", "i2", "i3"]);
    let load: Vec<f64> = first.iter().map(|r| r.loading).collect();
    assert!(load.iter().all(|&l| l > 0.0), "{load:?}");
    assert_close(load.iter().map(|l| l * l).sum(), lambda1, HAND, "Σ loadings²");
    let r = [[1.0, r12, r13], [r12, 1.0, r23], [r13, r23, 1.0]];
    for (i, (row, &li)) in r.iter().zip(&load).enumerate() {
        let ra: f64 = row.iter().zip(&load).map(|(x, l)| x * l).sum();
        assert_close(ra, lambda1 * li, HAND, &format!("(R a)_{i}"));
    }
    assert_close(first[0].eigenvalue, lambda1, HAND, "λ1");
    // The eigenvalues of a correlation matrix sum to its size.
    let eigenvalues: f64 = a.pca.iter().filter(|r| r.group == "a" && r.member == "i1").map(|r| r.eigenvalue).sum();
    assert_close(eigenvalues, 3.0, HAND, "Σ λ");
    assert_eq!(a.pca.iter().filter(|r| r.group == "a").count(), 9);

    assert_eq!(ga.verdict, "not coherent: collinear i1~i3 (r 0.94)");
    // Without the collinearity threshold biting, a is coherent.
    let lenient = audited_with(
        &[("i1", &I1), ("i2", &I2), ("i3", &I3), ("i4", &I4)],
        Spec::default(),
        &AuditConfig { collinear: 0.95, ..AuditConfig::default() },
    );
    assert_eq!(group(&lenient, "a").verdict, "coherent");

    // b has one member: nothing to assess, empty cells with a note, no components.
    let gb = group(&a, "b");
    assert_eq!((gb.n_indicators, gb.cronbach_alpha, gb.first_component_share), (1, None, None));
    assert_eq!(gb.verdict, "not assessed");
    assert!(gb.notes.iter().any(|n| n.contains("one member")), "{:?}", gb.notes);
    assert!(a.pca.iter().all(|r| r.group != "b"));
    assert!(group(&a, "index").cronbach_alpha.is_some());
    assert_no_nan(&a);
}

#[test]
fn coverage_by_the_eighty_percent_rule() {
    // u5 lacks i2: 3 of 4 indicators (0.75 < 0.8, dropped); i2 has 4 of 5 units (0.8, kept:
    // the rule drops below the threshold, not at it).
    let gap = [1.0, 0.0, 3.0, 2.0, f64::NAN];
    let a = audited(&[("i1", &I1), ("i2", &gap), ("i3", &I3), ("i4", &I4)]);
    let row = |kind: CoverageKind, name: &str| {
        a.coverage.iter().find(|r| r.kind == kind && r.name == name).unwrap_or_else(|| panic!("no row {name}"))
    };
    let u5 = row(CoverageKind::Unit, "u5");
    assert_eq!((u5.year, u5.present, u5.expected, u5.share, u5.dropped), (2024, 3, 4, Some(0.75), true));
    let i2 = row(CoverageKind::Indicator, "i2");
    assert_eq!((i2.present, i2.expected, i2.share, i2.dropped), (4, 5, Some(0.8), false));
    let u1 = row(CoverageKind::Unit, "u1");
    assert_eq!((u1.present, u1.share, u1.dropped), (4, Some(1.0), false));
    assert_eq!(a.coverage.len(), 5 + 4);
    // A stricter threshold drops i2 too.
    let strict = audited_with(
        &[("i1", &I1), ("i2", &gap), ("i3", &I3), ("i4", &I4)],
        Spec::default(),
        &AuditConfig { coverage: 0.9, ..AuditConfig::default() },
    );
    assert!(strict.coverage.iter().any(|r| r.kind == CoverageKind::Indicator && r.name == "i2" && r.dropped));

    // Missing values: correlations are pairwise-complete, α and the components listwise.
    // i1 and i2 on u1..u4: deviations (−1.5, −0.5, 0.5, 1.5) and (−0.5, −1.5, 1.5, 0.5): r = 3/5.
    let r12 = pair(&a, Relation::Within, "i1", "i2");
    assert_eq!(r12.n, 4);
    assert_close(r12.pearson.unwrap(), 0.6, HAND, "r(i1, i2) on 4 units");
    assert_eq!(pair(&a, Relation::Within, "i1", "i3").n, 5);
    assert_eq!(group(&a, "a").n_units, 4);
    assert_no_nan(&a);
}

#[test]
fn a_constant_member_has_no_correlation_and_leaves_the_components() {
    // i3 is constant (every unit normalises to 100): α over i1, i2, i3 = 1.5 (1 − (10 + 10 + 0)
    // / (10 + 10 + 2 · 8)) = 2/3; the components of i1 and i2 alone: λ1 = 1 + 0.8, share 0.9.
    let a = audited(&[("i1", &I1), ("i2", &I2), ("i3", &[7.0; 5]), ("i4", &I4)]);
    let row = pair(&a, Relation::Within, "i1", "i3");
    assert_eq!((row.pearson, row.spearman, row.p_value), (None, None, None));
    assert_eq!(row.note.as_deref(), Some("'i3' is constant: no correlation"));
    assert!(pair(&a, Relation::OwnGroup, "i3", "a").pearson.is_none());
    let ga = group(&a, "a");
    assert_close(ga.cronbach_alpha.unwrap(), 2.0 / 3.0, HAND, "α with a constant member");
    assert_close(ga.first_component_share.unwrap(), 0.9, HAND, "share without the constant member");
    assert!(ga.notes.iter().any(|n| n.contains("'i3' is constant")), "{:?}", ga.notes);
    assert!(a.pca.iter().all(|r| r.member != "i3"));
    assert_eq!(ga.verdict, "not coherent: α 0.67 < 0.7");
    assert_no_nan(&a);
}

#[test]
fn negative_and_insignificant_members_are_flagged() {
    // i3 = (0, 3, 1, 4, 2): deviations (−2, 1, −1, 2, 0), S33 = 10, S13 = 5, S23 = −1, so
    // r13 = 0.5, r23 = −0.1; with s: S3s = 5 − 1 + 10 = 14, Sss = 30 + 2 (8 + 5 − 1) = 54,
    // r3s = 14/√540 = 0.602, p = 0.282 ≥ 0.05. α = 1.5 (1 − 30/54) = 2/3.
    let i3 = [0.0, 3.0, 1.0, 4.0, 2.0];
    let a = audited(&[("i1", &I1), ("i2", &I2), ("i3", &i3), ("i4", &I4)]);
    let r23 = pair(&a, Relation::Within, "i2", "i3");
    assert_close(r23.pearson.unwrap(), -0.1, HAND, "r(i2, i3)");
    assert_eq!(r23.flags, [Flag::NegativeWithinGroup]);
    let r3a = pair(&a, Relation::OwnGroup, "i3", "a");
    assert_close(r3a.pearson.unwrap(), 14.0 / 540f64.sqrt(), HAND, "r(i3, a)");
    assert_close(r3a.p_value.unwrap(), p_five(14.0 / 540f64.sqrt()), HAND, "p(i3, a)");
    assert_eq!(r3a.flags, [Flag::NotSignificantWithGroup]);
    // A strongly negative pair is both collinear and negative.
    let reversed = [4.0, 3.0, 2.0, 1.0, 0.0];
    let b = audited(&[("i1", &I1), ("i2", &reversed), ("i3", &I3), ("i4", &I4)]);
    let r12 = pair(&b, Relation::Within, "i1", "i2");
    assert_eq!(r12.pearson, Some(-1.0));
    assert_eq!(r12.flags, [Flag::Collinear, Flag::NegativeWithinGroup]);
    let k = b.correlations.iter().position(|r| r.relation == Relation::Within && r.a == "i1" && r.b == "i2").unwrap();
    let table = b.correlations_dataframe().unwrap();
    let flags = table.column("flag").unwrap().str().unwrap().get(k).map(str::to_string);
    assert_eq!(flags.as_deref(), Some("collinear;negative_within_group"));
    assert_close(group(&a, "a").cronbach_alpha.unwrap(), 2.0 / 3.0, HAND, "α with i3 = (0, 3, 1, 4, 2)");
}

#[test]
fn one_or_two_units_give_empty_cells_with_notes() {
    for units in [1, 2] {
        let cut = |c: &[f64; 5]| c[..units].to_vec();
        let (c1, c2, c3, c4) = (cut(&I1), cut(&I2), cut(&I3), cut(&I4));
        let a = audited(&[("i1", &c1), ("i2", &c2), ("i3", &c3), ("i4", &c4)]);
        let row = pair(&a, Relation::Within, "i1", "i2");
        assert_eq!((row.n, row.pearson, row.spearman, row.p_value), (units, None, None, None));
        assert_eq!(
            row.note.as_deref(),
            Some(format!("{units} unit(s) with both values: a correlation needs at least 3").as_str())
        );
        let ga = group(&a, "a");
        assert_eq!((ga.first_component_share, ga.verdict.as_str()), (None, "not assessed"));
        assert!(ga.notes.iter().any(|n| n.contains("principal components")), "{:?}", ga.notes);
        assert!(a.pca.is_empty());
        // Skewness needs 3 values.
        assert!(a.outliers.iter().all(|o| o.skewness.is_none() && o.note.is_some() && !o.outlying));
        // Coverage is complete.
        assert!(a.coverage.iter().all(|r| r.share == Some(1.0)));
        assert_no_nan(&a);
    }
    // One unit: α needs 2 complete cases, and says so.
    let one = audited(&[("i1", &[1.0]), ("i2", &[2.0]), ("i3", &[3.0]), ("i4", &[4.0])]);
    let ga = group(&one, "a");
    assert!(ga.cronbach_alpha.is_none());
    assert!(ga.notes.iter().any(|n| n.starts_with("Cronbach's α: 1 complete case")), "{:?}", ga.notes);
}

#[test]
fn outliers_follow_the_treatment_rule() {
    // 1..9 and 100: G1 = 3.12, G2 = 9.80 (treat::treat_column's example; pandas gives 3.11890,
    // 9.79924): outlying, and one point Winsorised passes the test.
    let skewed = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 100.0];
    let even: Vec<f64> = (1..=10).map(f64::from).collect();
    let columns: [(&'static str, &[f64]); 4] = [("i1", &skewed), ("i2", &even), ("i3", &even), ("i4", &even)];
    let a = audited(&columns);
    let o = a.outliers.iter().find(|o| o.indicator == "i1").unwrap();
    assert_eq!(o.n, 10);
    assert_close(o.skewness.unwrap(), 3.118_896, 5e-7, "G1");
    assert_close(o.kurtosis.unwrap(), 9.799_245, 5e-7, "G2");
    assert!(o.outlying);
    assert_eq!((o.treatment, o.winsorised_low, o.winsorised_high), ("winsorise", Some(0), Some(1)));
    let even_row = a.outliers.iter().find(|o| o.indicator == "i2").unwrap();
    assert_eq!((even_row.outlying, even_row.treatment, even_row.skewness), (false, "none", Some(0.0)));
    // The spec's own rule: with no Winsorisation allowed, the log.
    let spec = Spec { treat: Some(OutlierRule { winmax: 0, ..OutlierRule::default() }), ..Spec::default() };
    let logged = audited_with(&columns, spec, &AuditConfig::default());
    assert_eq!(logged.outliers.iter().find(|o| o.indicator == "i1").unwrap().treatment, "log");
}

#[test]
fn spearman_is_pairwise_complete_with_average_ranks() {
    // Complete pairs (1, 2), (3, 1), (4, 4): ranks (1, 2, 3) and (2, 1, 3), ρ = 1/2.
    let x = array![[1.0, 2.0], [2.0, f64::NAN], [3.0, 1.0], [4.0, 4.0], [f64::NAN, 3.0]];
    assert_close(spearman_correlation(x.view())[[0, 1]], 0.5, HAND, "ρ with gaps");
    // Ties: the hand example's i1 and i3, ρ = √0.95, with or without a gap elsewhere.
    let x = array![[0.0, 0.0], [1.0, 1.0], [2.0, 1.0], [3.0, 2.0], [4.0, 4.0]];
    assert_close(spearman_correlation(x.view())[[0, 1]], 0.95f64.sqrt(), HAND, "ρ with ties");
    let constant = array![[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]];
    assert!(spearman_correlation(constant.view())[[0, 1]].is_nan());
}

#[test]
fn the_config_refuses_bad_thresholds_and_unknown_keys() {
    assert_eq!(AuditConfig::from_toml("").unwrap(), AuditConfig::default());
    let config = AuditConfig::from_toml("coverage = 0.5\ncronbach = 0.8").unwrap();
    assert_eq!((config.coverage, config.cronbach, config.collinear), (0.5, 0.8, 0.9));
    let err = AuditConfig::from_toml("coverge = 0.5").unwrap_err();
    assert!(matches!(err, Error::Spec(_)) && err.to_string().contains("coverge"), "{err}");
    for bad in ["coverage = 1.5", "significance = 0.0", "collinear = 1.2", "first_component = -0.1", "cronbach = nan"] {
        let err = AuditConfig::from_toml(bad).unwrap_err();
        let key = bad.split(' ').next().unwrap();
        assert!(err.to_string().contains(key), "{bad}: {err}");
    }
}

/// A run config over the embedded Liaoning example, with `extra` appended.
fn run_config(out: &std::path::Path, extra: &str) -> String {
    format!(
        r#"
catalog = "ccsy-example"
[data]
path = "embedded:cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv"
unit_column = "city"
[output]
dir = "{}"
{extra}
"#,
        out.display().to_string().replace('\\', "/")
    )
}

#[test]
fn a_run_with_audit_writes_its_folder_and_a_later_run_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = citycheck::run::RunConfig::from_toml(&run_config(dir.path(), "[audit]\ncoverage = 0.9")).unwrap();
    let output = citycheck::run::run(&config, None).unwrap();
    let audited = output.audit.expect("audited");
    assert_eq!(audited.config.coverage, 0.9);
    for table in TABLES {
        let file = format!("{FOLDER}/{table}.csv");
        assert!(dir.path().join(&file).is_file(), "{file}");
        assert!(output.report.outputs.iter().any(|o| o.file == file), "{file} in run.json");
    }
    let groups = std::fs::read_to_string(dir.path().join("audit/groups.csv")).unwrap();
    assert!(groups.starts_with("year,group,n_indicators,cronbach_alpha,first_component_share,verdict,"), "{groups}");
    let coverage = std::fs::read_to_string(dir.path().join("audit/coverage.csv")).unwrap();
    assert!(coverage.starts_with("kind,name,year,present,expected,share,dropped,note\n"));
    assert!(coverage.contains("unit,沈阳市,2009,0,7,0.0,true,no data for this unit in this year"), "{coverage}");
    let json = std::fs::read_to_string(dir.path().join("run.json")).unwrap();
    assert!(json.contains("\"dropped_units\""), "{json}");

    // The same folder without [audit]: the audit's tables are an earlier run's, removed.
    let plain = citycheck::run::RunConfig::from_toml(&run_config(dir.path(), "")).unwrap();
    let output = citycheck::run::run(&plain, None).unwrap();
    assert!(output.audit.is_none());
    assert!(output.report.removed_stale.iter().any(|f| f == "audit/coverage.csv"), "{:?}", output.report.removed_stale);
    assert!(!dir.path().join("audit/coverage.csv").exists());

    let err = citycheck::run::RunConfig::from_toml(&run_config(dir.path(), "[audit]\ncolinear = 0.8")).unwrap_err();
    assert!(err.to_string().contains("colinear"), "{err}");
    let err = citycheck::run::RunConfig::from_toml(&run_config(dir.path(), "[audit]\ncoverage = 80")).unwrap_err();
    assert!(err.to_string().contains("coverage"), "{err}");
}

#[cfg(feature = "cli")]
#[test]
fn the_audit_command_writes_the_tables_and_prints_the_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let data =
        concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv");
    let out = dir.path().join("out");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_citycheck"))
        .args(["audit", "--catalog", "ccsy-example", "--data", data, "--unit-column", "city", "--out"])
        .arg(&out)
        .output()
        .expect("the citycheck binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("audit: 10 unit-year(s)"), "{stderr}");
    assert!(stderr.contains("2012 health: not assessed"), "{stderr}");
    let correlations = std::fs::read_to_string(out.join("audit/correlations.csv")).unwrap();
    assert!(correlations.starts_with("year,group,a,b,pearson,spearman,p_value,flag,relation,n,note\n"));
    assert!(out.join("audit/pca.csv").is_file() && out.join("scores.csv").is_file());
    // A threshold out of range is refused before anything runs.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_citycheck"))
        .args(["audit", "--catalog", "ccsy-example", "--data", data, "--unit-column", "city", "--coverage", "2"])
        .arg("--out")
        .arg(dir.path().join("other"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("coverage = 2"));
}
