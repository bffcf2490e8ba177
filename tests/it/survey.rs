//! The satisfaction survey (METHODS.md §8): weighted estimates, reliability, bad answers,
//! reconciliation of the sources, and the shipped synthetic survey end to end.
//!
//! Authorities: hand calculations written out below (exact fractions); the Student t and
//! normal quantiles of scipy 1.17.1 (`scipy.stats.t.ppf`, `scipy.stats.norm.ppf`); Newcombe
//! (1998), Statistics in Medicine 17:857–872, Table II (Wilson intervals, 4 dp); and the
//! independent pandas/numpy implementation `scripts/peers/survey_pandas.py`, whose numbers for
//! the shipped data set are tests/reference/survey_synthetic_expected.csv and
//! tests/reference/survey_synthetic_bad_answers.csv (regenerate with the command in that
//! script's docstring; provenance in datasets/survey_synthetic/README.md).

use std::path::{Path, PathBuf};

use citycheck::io::OutputFormat;
use citycheck::panel::Source;
use citycheck::survey::{
    combine, confirmed, cronbach, estimate, reconcile, score, wilson_interval, BadReason, ReadSpec, Resolution,
    Responses, SourceChoice, SourceValue, Stats, SurveyDefinition, SurveyOptions, SurveyReport, Tolerances,
};
use citycheck::Error;

use crate::prec::{assert_close, EXACT, HAND, PUBLISHED_4DP};
use crate::reference_csv::Table;

/// statrs's Student t quantile (iterative incomplete-beta inverse) against scipy's (Boost):
/// not exact to the last digit; this is that accuracy, not a formula tolerance.
const DIST: f64 = 1e-9;

/// scipy.stats.t.ppf(0.975, 3), .ppf(0.975, 2) and scipy.stats.norm.ppf(0.975).
const T_975_3: f64 = 3.1824463052837078;
const T_975_2: f64 = 4.302652729749462;
const Z_975: f64 = 1.959963984540054;

const SYNTHETIC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/survey_synthetic");
const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference");

fn definition(toml_tail: &str) -> SurveyDefinition {
    SurveyDefinition::from_toml(&format!("[survey]\nid = \"t\"\nname = \"test\"\n{toml_tail}"), "t.toml")
        .expect("a valid definition")
}

/// One labels item `q1` on the default five-point scale, in dimension `d`.
fn one_item() -> SurveyDefinition {
    definition("[[scales]]\nid = \"likert5\"\nkind = \"labels\"\n[[dimensions]]\nid = \"d\"\n[[items]]\nid = \"q1\"\ndimension = \"d\"\nscale = \"likert5\"\n")
}

fn write_csv(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn weighted() -> ReadSpec {
    ReadSpec { weight_column: Some("weight".into()), ..ReadSpec::default() }
}

// ---------------------------------------------------------------- weighted estimates by hand

/// y = 60, 80, 100, 40 (一般, 满意, 很满意, 不满意) with w = 1, 2, 3, 2:
/// Σw = 8, Σw² = 1 + 4 + 9 + 4 = 18, Σwy = 60 + 160 + 300 + 80 = 600 → ȳ = 75;
/// n_eff = 8²/18 = 32/9.
/// w(y − ȳ) = 1·(−15), 2·5, 3·25, 2·(−35) = −15, 10, 75, −70; squares 225 + 100 + 5625 + 4900 = 10850;
/// se = √(4/3 · 10850) / 8 = √(43400/3) / 8.
/// CI = 75 ± t_{0.975, 3} · se. Satisfied (满意, 很满意): Σws = 2 + 3 = 5 → p = 5/8.
fn check_hand_example(s: &Stats) {
    assert_eq!(s.n, 4);
    assert_close(s.weight_sum, 8.0, EXACT, "Σw");
    assert_close(s.n_eff.unwrap(), 32.0 / 9.0, HAND, "Kish n_eff");
    assert_close(s.mean.unwrap(), 75.0, HAND, "weighted mean");
    let se = (43400.0f64 / 3.0).sqrt() / 8.0;
    assert_close(s.se.unwrap(), se, HAND, "linearisation se");
    assert_close((s.ci_high.unwrap() - 75.0) / se, T_975_3, DIST, "t quantile of the CI");
    assert_close((75.0 - s.ci_low.unwrap()) / se, T_975_3, DIST, "the CI is symmetric");
    assert_close(s.satisfaction.unwrap(), 5.0 / 8.0, HAND, "satisfaction rate");
    // Wilson at n = 32/9, z = 1.959963984540054 (the formula written out).
    let (n, p, z) = (32.0 / 9.0, 5.0 / 8.0, Z_975);
    let d = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / d;
    let half = z / d * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    assert_close(s.satisfaction_ci_low.unwrap(), centre - half, HAND, "Wilson low");
    assert_close(s.satisfaction_ci_high.unwrap(), centre + half, HAND, "Wilson high");
    assert!(s.notes.is_empty(), "{:?}", s.notes);
}

#[test]
fn weighted_mean_kish_se_and_ci_by_hand() {
    let s = estimate(&[60.0, 80.0, 100.0, 40.0], Some(&[1.0, 2.0, 3.0, 2.0]), None, Some(&[0.0, 1.0, 1.0, 0.0]), 0.95)
        .unwrap();
    check_hand_example(&s);
}

#[test]
fn the_pipeline_gives_the_hand_numbers_from_a_csv() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_csv(
        dir.path(),
        "r.csv",
        "unit,year,weight,q1\n沈阳市,2025,1,一般\n沈阳市,2025,2,满意\n沈阳市,2025,3,很满意\n沈阳市,2025,2,不满意\n",
    );
    let responses = Responses::read(&path, &weighted()).unwrap();
    let report = score(&one_item(), &responses, &SurveyOptions::default()).unwrap();
    check_hand_example(report.item("沈阳市", 2025, "q1").unwrap());
    // A one-item dimension is that item.
    check_hand_example(report.dimension("沈阳市", 2025, "d").unwrap());
    let alpha = &report.reliability[0];
    assert_eq!((alpha.year, alpha.item.as_deref(), alpha.alpha), (2025, None, None));
    assert!(alpha.notes[0].contains("needs at least 2"), "{:?}", alpha.notes);
    assert_eq!(report.reliability.len(), 1, "no item rows for a one-item dimension");
}

/// The same data in strata a = {rows 1, 2} and b = {rows 3, 4}:
/// zᵢ = w(y − ȳ)/Σw = −15/8, 10/8, 75/8, −70/8.
/// a: z̄ = −5/16, Σ(z − z̄)² = 2 · (25/16)² = 1250/256; b: z̄ = 5/16, Σ(z − z̄)² = 2 · (145/16)² = 42050/256.
/// V = 2/1 · 1250/256 + 2/1 · 42050/256 = 86600/256 = 338.28125; se = √338.28125; df = 4 − 2.
#[test]
fn stratified_se_by_hand() {
    let s = estimate(&[60.0, 80.0, 100.0, 40.0], Some(&[1.0, 2.0, 3.0, 2.0]), Some(&[0, 0, 1, 1]), None, 0.95).unwrap();
    let se = 338.28125f64.sqrt();
    assert_close(s.mean.unwrap(), 75.0, HAND, "mean");
    assert_close(s.se.unwrap(), se, HAND, "stratified se");
    assert_close((s.ci_high.unwrap() - 75.0) / se, T_975_2, DIST, "t with n − H = 2 df");
    assert_eq!(s.satisfaction, None, "no satisfied shares given");

    // Through the pipeline, strata from a column.
    let dir = tempfile::tempdir().unwrap();
    let path = write_csv(
        dir.path(),
        "r.csv",
        "unit,year,weight,district,q1\nA,2025,1,a,一般\nA,2025,2,a,满意\nA,2025,3,b,很满意\nA,2025,2,b,不满意\n",
    );
    let spec = ReadSpec { strata_column: Some("district".into()), ..weighted() };
    let report = score(&one_item(), &Responses::read(&path, &spec).unwrap(), &SurveyOptions::default()).unwrap();
    assert_close(report.item("A", 2025, "q1").unwrap().se.unwrap(), se, HAND, "stratified se from a CSV");
}

#[test]
fn a_stratum_with_one_answer_adds_no_variance_and_says_so() {
    // Stratum 1 has a single answer: V = 2/1 · Σ_a (z − z̄_a)² only.
    let y = [60.0, 80.0, 100.0];
    let s = estimate(&y, None, Some(&[0, 0, 1]), None, 0.95).unwrap();
    // ȳ = 80; z = (−20, 0, 20)/3; stratum 0: z̄ = −10/3, Σ(z − z̄)² = 2·(10/3)² = 200/9; V = 2 · 200/9.
    assert_close(s.se.unwrap(), (400.0f64 / 9.0).sqrt(), HAND, "se without the lonely stratum");
    assert!(s.notes.iter().any(|n| n.contains("1 of 2 strata have a single answer")), "{:?}", s.notes);
    let lonely = estimate(&[60.0, 80.0], None, Some(&[0, 1]), None, 0.95).unwrap();
    assert_eq!((lonely.se, lonely.ci_low), (None, None));
    assert!(lonely.notes[0].contains("every stratum has a single answer"));
}

#[test]
fn unweighted_se_reduces_to_s_over_sqrt_n() {
    let y = [60.0, 80.0, 80.0, 100.0, 40.0, 60.0, 100.0, 80.0, 20.0];
    let s = estimate(&y, None, None, None, 0.95).unwrap();
    let sd = citycheck::kernels::stats::sd(&y);
    assert_close(s.se.unwrap(), sd / (y.len() as f64).sqrt(), HAND, "se = s/√n");
    assert_close(s.n_eff.unwrap(), y.len() as f64, EXACT, "n_eff = n");
    assert_close(s.weight_sum, y.len() as f64, EXACT, "Σw = n");
    // Equal weights of any size are no weights at all.
    let w = vec![2.5; y.len()];
    let same = estimate(&y, Some(&w), None, None, 0.95).unwrap();
    for (a, b, what) in [(same.mean, s.mean, "mean"), (same.se, s.se, "se"), (same.n_eff, s.n_eff, "n_eff")] {
        assert_close(a.unwrap(), b.unwrap(), HAND, what);
    }
}

#[test]
fn scaling_the_weights_changes_nothing_but_their_sum() {
    let y = [55.0, 80.0, 71.0, 100.0, 40.0, 64.0];
    let w = [0.7, 2.2, 1.3, 0.4, 3.1, 1.0];
    let big: Vec<f64> = w.iter().map(|v| v * 36_000.0).collect();
    let a = estimate(&y, Some(&w), Some(&[0, 0, 1, 1, 2, 2]), None, 0.9).unwrap();
    let b = estimate(&y, Some(&big), Some(&[0, 0, 1, 1, 2, 2]), None, 0.9).unwrap();
    for (x, z, what) in
        [(a.mean, b.mean, "mean"), (a.se, b.se, "se"), (a.n_eff, b.n_eff, "n_eff"), (a.ci_low, b.ci_low, "ci")]
    {
        assert_close(x.unwrap(), z.unwrap(), HAND, what);
    }
}

#[test]
fn small_and_empty_groups_have_no_se_and_no_nan() {
    let one = estimate(&[80.0, f64::NAN], None, None, Some(&[1.0, 0.0]), 0.95).unwrap();
    assert_eq!((one.n, one.mean, one.se, one.ci_low, one.satisfaction_ci_low), (1, Some(80.0), None, None, None));
    assert_eq!(one.satisfaction, Some(1.0));
    assert!(one.notes[0].starts_with("n < 2"), "{:?}", one.notes);
    let none = estimate(&[f64::NAN, f64::NAN], None, None, None, 0.95).unwrap();
    assert_eq!((none.n, none.mean, none.n_eff), (0, None, None));
    assert_eq!(none.notes, ["no answers"]);
    // A constant item: se 0, a zero-width interval, no NaN.
    let constant = estimate(&[80.0; 5], None, None, None, 0.95).unwrap();
    assert_eq!((constant.se, constant.ci_low, constant.ci_high), (Some(0.0), Some(80.0), Some(80.0)));
}

#[test]
fn estimate_refuses_bad_input() {
    assert!(matches!(estimate(&[1.0, 2.0], Some(&[1.0]), None, None, 0.95), Err(Error::Spec(_))));
    assert!(matches!(estimate(&[1.0, 2.0], Some(&[1.0, 0.0]), None, None, 0.95), Err(Error::Method { .. })));
    assert!(matches!(estimate(&[1.0, f64::INFINITY], None, None, None, 0.95), Err(Error::Method { .. })));
    assert!(matches!(estimate(&[1.0, 2.0], None, None, None, 1.0), Err(Error::Spec(_))));
    assert!(matches!(estimate(&[1.0, 2.0], None, None, Some(&[0.5, 2.0]), 0.95), Err(Error::Method { .. })));
}

/// Newcombe (1998), Table II, method 3 (Wilson score interval), 95%.
#[test]
fn wilson_intervals_of_newcombe_1998() {
    for (x, n, lo, hi) in [
        (81.0, 263.0, 0.2553, 0.3662),
        (15.0, 148.0, 0.0624, 0.1605),
        (0.0, 20.0, 0.0, 0.1611),
        (1.0, 29.0, 0.0061, 0.1718),
    ] {
        let (l, h) = wilson_interval(x / n, n, Z_975);
        assert_close(l, lo, PUBLISHED_4DP, &format!("{x}/{n} low"));
        assert_close(h, hi, PUBLISHED_4DP, &format!("{x}/{n} high"));
    }
}

// ---------------------------------------------------------------- reliability by hand

/// Items i1 = 1, 2, 3, 4; i2 = 2, 2, 4, 4; i3 = 1, 3, 2, 4 (4 respondents × 3 items).
/// Variances (ddof 1): 5/3, 4/3, 5/3 (Σ = 14/3); total = 4, 7, 9, 12 with variance 34/3.
/// α = 3/2 · (1 − 14/34) = 15/17.
/// α if deleted: i1 → (i2, i3): total 3, 5, 6, 8, var 13/3 → 2 · (1 − 9/13) = 8/13;
///               i2 → (i1, i3): total 2, 5, 5, 8, var 6 → 2 · (1 − (10/3)/6) = 8/9;
///               i3 → (i1, i2): total 3, 4, 7, 8, var 17/3 → 2 · (1 − 9/17) = 16/17.
/// Item-total r: i1 vs 3, 5, 6, 8: cov sum 8 → 8/√(5·13); i2 vs 2, 5, 5, 8: 6/√(4·18) = 1/√2;
///               i3 vs 3, 4, 7, 8: 6/√(5·17).
#[test]
fn cronbach_alpha_by_hand() {
    let (i1, i2, i3) = ([1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 4.0, 4.0], [1.0, 3.0, 2.0, 4.0]);
    let c = cronbach(&[&i1, &i2, &i3]).unwrap();
    assert_eq!((c.k, c.n), (3, 4));
    assert_close(c.alpha.unwrap(), 15.0 / 17.0, HAND, "α");
    let deleted = [8.0 / 13.0, 8.0 / 9.0, 16.0 / 17.0];
    let r = [8.0 / 65f64.sqrt(), 1.0 / 2f64.sqrt(), 6.0 / 85f64.sqrt()];
    for j in 0..3 {
        assert_close(c.alpha_if_deleted[j].unwrap(), deleted[j], HAND, &format!("α if i{} deleted", j + 1));
        assert_close(c.item_total_r[j].unwrap(), r[j], HAND, &format!("item-total r of i{}", j + 1));
    }
    // Listwise: a fifth respondent with a gap changes nothing.
    let c5 =
        cronbach(&[&[1.0, 2.0, 3.0, 4.0, 5.0], &[2.0, 2.0, 4.0, 4.0, f64::NAN], &[1.0, 3.0, 2.0, 4.0, 1.0]]).unwrap();
    assert_eq!(c5.n, 4);
    assert_close(c5.alpha.unwrap(), 15.0 / 17.0, HAND, "α, listwise");
}

#[test]
fn cronbach_edge_cases_are_empty_with_a_note() {
    let two = cronbach(&[&[1.0, 2.0, 3.0], &[2.0, 1.0, 3.0]]).unwrap();
    assert!(two.alpha.is_some());
    assert_eq!(two.alpha_if_deleted, [None, None]);
    assert!(two.item_notes[0][0].contains("one item would remain"));
    let constant = cronbach(&[&[3.0, 3.0, 3.0], &[3.0, 3.0, 3.0]]).unwrap();
    assert_eq!(constant.alpha, None);
    assert!(constant.notes[0].contains("does not vary"));
    let short = cronbach(&[&[1.0], &[2.0]]).unwrap();
    assert_eq!((short.alpha, short.n), (None, 1));
    assert!(matches!(cronbach(&[&[1.0, 2.0], &[1.0]]), Err(Error::Spec(_))));
}

#[test]
fn reliability_through_the_pipeline_matches_the_kernel() {
    let def = definition(
        "[[scales]]\nid = \"five\"\nkind = \"numeric\"\nmin = 1\nmax = 5\nstep = 1\nrescale = \"keep\"\n\
         [[dimensions]]\nid = \"d\"\n\
         [[items]]\nid = \"i1\"\ndimension = \"d\"\nscale = \"five\"\n\
         [[items]]\nid = \"i2\"\ndimension = \"d\"\nscale = \"five\"\n\
         [[items]]\nid = \"i3\"\ndimension = \"d\"\nscale = \"five\"\n",
    );
    let dir = tempfile::tempdir().unwrap();
    // Two units pooled in 2025 (the rows of the hand example), and a respondent with a gap.
    let path = write_csv(
        dir.path(),
        "r.csv",
        "unit,year,i1,i2,i3\nA,2025,1,2,1\nA,2025,2,2,3\nB,2025,3,4,2\nB,2025,4,4,4\nB,2025,5,,1\n",
    );
    let report =
        score(&def, &Responses::read(&path, &ReadSpec::default()).unwrap(), &SurveyOptions::default()).unwrap();
    let rows = &report.reliability;
    assert_eq!(rows.len(), 4, "the dimension and its three items");
    assert_eq!((rows[0].item.as_deref(), rows[0].n), (None, 4));
    assert_close(rows[0].alpha.unwrap(), 15.0 / 17.0, HAND, "α pooled over units");
    assert_eq!(rows[2].item.as_deref(), Some("i2"));
    assert_close(rows[2].alpha_if_deleted.unwrap(), 8.0 / 9.0, HAND, "α if i2 deleted");
    assert_close(rows[2].item_total_r.unwrap(), 1.0 / 2f64.sqrt(), HAND, "item-total r of i2");
    // The respondent with a gap still counts in the dimension score: B has (5 + 1)/2 = 3.
    assert_eq!(report.dimension("B", 2025, "d").unwrap().n, 3);
}

// ---------------------------------------------------------------- bad answers

#[test]
fn bad_answers_are_reported_with_row_and_item_and_left_out() {
    let def = definition(
        "[[scales]]\nid = \"likert5\"\nkind = \"labels\"\n\
         [[scales]]\nid = \"ten\"\nkind = \"numeric\"\nmin = 1\nmax = 10\nstep = 1\nrescale = \"keep\"\ntop = 8\n\
         [[dimensions]]\nid = \"d\"\n\
         [[items]]\nid = \"label\"\ncolumn = \"q_label\"\ndimension = \"d\"\nscale = \"likert5\"\n\
         [[items]]\nid = \"num\"\ncolumn = \"q_num\"\ndimension = \"d\"\nscale = \"ten\"\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write_csv(
        dir.path(),
        "r.csv",
        "unit,year,weight,q_label,q_num\n\
         A,2025,1,满意,7\n\
         A,2025,1,很好,810\n\
         A,2025,1,6,7.5\n\
         A,2025,1,不清楚,abc\n\
         A,2025,0,满意,5\n\
         A,2025,,满意,5\n\
         A,2025,-1,满意,5\n\
         A,2025,x,满意,5\n\
         A,2025,1,,\n\
         A,2025,1,很满意,10\n",
    );
    let report = score(&def, &Responses::read(&path, &weighted()).unwrap(), &SurveyOptions::default()).unwrap();
    let bad: Vec<(usize, &str, &str, BadReason)> =
        report.bad_answers.iter().map(|b| (b.row, b.item.as_str(), b.answer.as_str(), b.reason)).collect();
    assert_eq!(
        bad,
        [
            (3, "label", "很好", BadReason::UnknownLabel),
            (3, "num", "810", BadReason::OutOfScale),
            (4, "label", "6", BadReason::UnknownLabel),
            (4, "num", "7.5", BadReason::OffStep),
            (5, "num", "abc", BadReason::NotNumeric),
            (6, "weight", "0", BadReason::BadWeight),
            (7, "weight", "", BadReason::MissingWeight),
            (8, "weight", "-1", BadReason::BadWeight),
            (9, "weight", "x", BadReason::BadWeight),
        ]
    );
    assert!(report.bad_answers.iter().all(|b| b.unit.as_deref() == Some("A") && b.year == Some(2025)));
    // Only rows 2 and 11 have valid answers; 810 is not clipped to 10.
    let label = report.item("A", 2025, "label").unwrap();
    assert_eq!(label.n, 2);
    assert_close(label.mean.unwrap(), 90.0, EXACT, "(80 + 100)/2");
    let num = report.item("A", 2025, "num").unwrap();
    assert_eq!(num.n, 2);
    assert_close(num.mean.unwrap(), 8.5, EXACT, "(7 + 10)/2");
    assert_close(num.satisfaction.unwrap(), 0.5, EXACT, "10 ≥ 8, 7 < 8");
    let s = &report.summary;
    assert_eq!((s.rows_read, s.respondents, s.excluded_rows), (10, 6, 4));
    assert_eq!((s.answers, s.missing_answers, s.bad_answers), (4, 3, 5));
    assert_eq!(s.bad_by_reason["bad_weight"], 3);
    assert_eq!(s.bad_by_reason["unknown_label"], 2);
}

#[test]
fn a_dataframe_with_numeric_codes_reads_like_text() {
    use polars::prelude::{Column, DataFrame};
    let def = definition(
        "[[scales]]\nid = \"likert5\"\nkind = \"labels\"\nlevels = [\n\
         { label = \"很满意\", score = 100, code = 5 }, { label = \"满意\", score = 80, code = 4 },\n\
         { label = \"一般\", score = 60, code = 3 }, { label = \"不满意\", score = 40, code = 2 },\n\
         { label = \"很不满意\", score = 20, code = 1 }]\n\
         [[dimensions]]\nid = \"d\"\n[[items]]\nid = \"q1\"\ndimension = \"d\"\nscale = \"likert5\"\n",
    );
    let df = DataFrame::new_infer_height(vec![
        Column::new("unit".into(), vec!["A", "A", "A", "A"]),
        Column::new("year".into(), vec![2025i32, 2025, 2025, 2025]),
        Column::new("q1".into(), vec![Some(5i64), Some(4), None, Some(6)]),
    ])
    .unwrap();
    let report =
        score(&def, &Responses::from_dataframe(&df, &ReadSpec::default()).unwrap(), &SurveyOptions::default()).unwrap();
    let q1 = report.item("A", 2025, "q1").unwrap();
    assert_eq!(q1.n, 2);
    assert_close(q1.mean.unwrap(), 90.0, EXACT, "codes 5 and 4");
    assert_eq!(report.bad_answers.len(), 1);
    assert_eq!((report.bad_answers[0].row, report.bad_answers[0].answer.as_str()), (5, "6"));
}

// ---------------------------------------------------------------- definition and input errors

#[test]
fn definition_errors_name_the_file_and_the_entry() {
    let spec = |tail: &str| {
        SurveyDefinition::from_toml(&format!("[survey]\nid = \"t\"\nname = \"t\"\n{tail}"), "s.toml")
            .unwrap_err()
            .to_string()
    };
    let base = "[[scales]]\nid = \"likert5\"\nkind = \"labels\"\n[[dimensions]]\nid = \"d\"\n";
    let e = spec(&format!("{base}[[items]]\nid = \"q1\"\ndimension = \"d\"\nscale = \"likert7\"\n"));
    assert!(e.contains("s.toml, [[items]] 'q1': unknown scale 'likert7'; scales are: likert5"), "{e}");
    let item = "[[items]]\nid = \"q1\"\ndimension = \"d\"\nscale = \"likert5\"\n";
    let e = spec(&format!("{base}{item}{item}"));
    assert!(e.contains("[[items]] 'q1': duplicate item id"), "{e}");
    let e = spec(&format!("{base}[[items]]\nid = \"q1\"\ndimension = \"x\"\nscale = \"likert5\"\n"));
    assert!(e.contains("unknown dimension 'x'"), "{e}");
    let e = spec(&format!("{base}[[dimensions]]\nid = \"empty\"\n{item}"));
    assert!(e.contains("[[dimensions]] 'empty': no item belongs"), "{e}");
}

#[test]
fn an_item_column_missing_from_the_responses_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_csv(dir.path(), "r.csv", "unit,year,q2\nA,2025,满意\n");
    let responses = Responses::read(&path, &ReadSpec::default()).unwrap();
    match score(&one_item(), &responses, &SurveyOptions::default()) {
        Err(Error::Data { location, message }) => {
            assert_eq!(location.column.as_deref(), Some("q1"));
            assert!(location.file.as_deref().unwrap().ends_with("r.csv"));
            assert!(message.contains("no column 'q1'") && message.contains("answer columns are: q2"), "{message}");
        }
        other => panic!("expected Error::Data, got {other:?}"),
    }
    let Err(Error::Data { location, .. }) =
        Responses::read(&path, &ReadSpec { unit_column: "city".into(), ..ReadSpec::default() })
    else {
        panic!("expected Error::Data for a missing unit column")
    };
    assert_eq!(location.column.as_deref(), Some("city"));
}

// ---------------------------------------------------------------- the three sources

fn value(unit: &str, indicator: &str, source: Source, value: f64) -> SourceValue {
    SourceValue { unit: unit.into(), year: 2025, indicator: indicator.into(), source, value }
}

#[test]
fn reconciliation_flags_beyond_the_tolerance_only() {
    let rows = [
        // |105 − 100| = 5 = 1 + 0.04·100: exactly at the tolerance, not flagged.
        value("A", "green", Source::SelfCheck, 105.0),
        value("A", "green", Source::ThirdParty, 100.0),
        // 5.5 > 5: flagged.
        value("B", "green", Source::SelfCheck, 105.5),
        value("B", "green", Source::ThirdParty, 100.0),
        // Its own tolerance: |12 − 10| = 2 ≤ 2 + 0·10.
        value("A", "water", Source::SelfCheck, 12.0),
        value("A", "water", Source::ThirdParty, 10.0),
        // Only the self-check and the survey: nothing to compare.
        value("B", "water", Source::SelfCheck, 7.0),
        value("B", "water", Source::Survey, 70.0),
        value("B", "water", Source::ThirdParty, f64::NAN),
        value("C", "satisfaction", Source::Survey, 81.0),
    ];
    let tolerances = Tolerances::new(1.0, 0.04).unwrap().with_indicator("water", 2.0, 0.0).unwrap();
    let r = reconcile(&rows, &tolerances, SourceChoice::ThirdPartyFirst).unwrap();
    let cell = |u: &str, i: &str| r.cells.iter().find(|c| c.unit == u && c.indicator == i).unwrap();
    let a = cell("A", "green");
    assert_eq!((a.diff, a.tolerance, a.flagged), (Some(5.0), Some(5.0), false));
    assert_eq!((a.value, a.resolved_from), (Some(100.0), Some(Resolution::ThirdParty)));
    assert!(cell("B", "green").flagged);
    assert!(!cell("A", "water").flagged);
    let b = cell("B", "water");
    assert_eq!((b.diff, b.flagged, b.value, b.resolved_from), (None, false, Some(7.0), Some(Resolution::SelfCheck)));
    assert_eq!(b.survey_value, Some(70.0));
    let c = cell("C", "satisfaction");
    assert_eq!((c.value, c.resolved_from), (Some(81.0), Some(Resolution::Survey)));
    assert_eq!(r.flagged().count(), 1);
    assert_eq!(r.cells.iter().map(|c| c.unit.as_str()).collect::<Vec<_>>(), ["A", "A", "B", "B", "C"]);

    let own = reconcile(&rows, &tolerances, SourceChoice::SelfFirst).unwrap();
    assert_eq!(own.cells[0].value, Some(105.0));
    let mean = reconcile(&rows, &tolerances, SourceChoice::Mean).unwrap();
    assert_eq!((mean.cells[0].value, mean.cells[0].resolved_from), (Some(102.5), Some(Resolution::Mean)));
    let df = r.to_dataframe().unwrap();
    assert_eq!(df.height(), 5);
}

#[test]
fn reconciliation_refuses_duplicates_and_bad_tolerances() {
    let rows = [value("A", "green", Source::SelfCheck, 1.0), value("A", "green", Source::SelfCheck, 2.0)];
    let Err(Error::Data { location, message }) = reconcile(&rows, &Tolerances::default(), SourceChoice::default())
    else {
        panic!("expected Error::Data")
    };
    assert_eq!((location.unit.as_deref(), location.indicator.as_deref()), (Some("A"), Some("green")));
    assert!(message.contains("two values"), "{message}");
    assert!(matches!(Tolerances::new(-1.0, 0.0), Err(Error::Spec(_))));
    assert!(matches!(Tolerances::default().with_indicator("x", 0.0, f64::NAN), Err(Error::Spec(_))));
}

#[test]
fn a_problem_is_confirmed_by_k_sources_and_scores_combine_with_declared_weights() {
    assert!(confirmed(&[true, false, true], 2));
    assert!(!confirmed(&[true, false, false], 2));
    assert!(confirmed(&[false, false, false], 0));
    assert!(!confirmed(&[true, true], 3));
    // 0.7·80 + 0.3·60 = 74.
    assert_close(combine(80.0, 60.0, (0.7, 0.3)).unwrap(), 74.0, EXACT, "combined");
    assert_close(combine(80.0, 60.0, (1.0, 0.0)).unwrap(), 80.0, EXACT, "objective only");
    assert!(matches!(combine(80.0, 60.0, (0.7, 0.4)), Err(Error::Spec(_))));
    assert!(matches!(combine(80.0, 60.0, (1.2, -0.2)), Err(Error::Spec(_))));
    assert!(matches!(combine(80.0, f64::NAN, (0.7, 0.3)), Err(Error::Method { .. })));
}

// ---------------------------------------------------------------- the shipped synthetic survey

fn synthetic_spec() -> ReadSpec {
    ReadSpec {
        unit_column: "city".into(),
        year_column: "year".into(),
        weight_column: Some("weight".into()),
        strata_column: Some("district".into()),
    }
}

fn synthetic_report() -> SurveyReport {
    let def = SurveyDefinition::load(format!("{SYNTHETIC}/definition.toml")).unwrap();
    let responses = Responses::read(format!("{SYNTHETIC}/responses.csv"), &synthetic_spec()).unwrap();
    score(&def, &responses, &SurveyOptions::default()).unwrap()
}

#[test]
fn the_synthetic_survey_runs_end_to_end() {
    let report = synthetic_report();
    let s = &report.summary;
    assert_eq!((s.rows_read, s.excluded_rows, s.units, s.items, s.dimensions), (6535, 4, 14, 12, 4));
    assert_eq!(s.years, [2024, 2025]);
    assert_eq!(s.bad_answers, 7, "the seven planted bad answers (README)");
    assert_eq!(s.ignored_columns, ["respondent_id"]);
    assert_eq!(report.items.len(), 14 * 2 * 12);
    assert_eq!(report.dimensions.len(), 14 * 2 * 4);
    assert_eq!(report.reliability.len(), 2 * 4 * 4);
    for r in report.reliability.iter().filter(|r| r.item.is_none()) {
        let alpha = r.alpha.unwrap();
        assert!((0.7..0.9).contains(&alpha), "{} {}: α = {alpha}", r.year, r.dimension);
    }
    let first = &report.items[0];
    assert_eq!((first.unit.as_str(), first.year, first.name.as_str()), ("沈阳市", 2024, "housing_quality"));
    let planted = report.bad_answers.iter().find(|b| b.row == 13).unwrap();
    assert_eq!(
        (planted.item.as_str(), planted.answer.as_str(), planted.reason),
        ("transport_rating", "810", BadReason::OutOfScale)
    );
}

/// Every number of the synthetic run against the independent pandas implementation
/// (scripts/peers/survey_pandas.py), within 1e-9 relative to max(1, |value|): the weight sums
/// are in the millions (one ulp ≈ 2e-9), and the intervals carry statrs's t quantile.
#[test]
fn the_synthetic_survey_matches_the_pandas_peer() {
    let report = synthetic_report();
    let text = std::fs::read_to_string(format!("{REFERENCE}/survey_synthetic_expected.csv")).unwrap();
    let table = Table::parse(&text);
    let column = |name: &str| table.column(name);
    let (tab, unit, year, name, item, stat, val) = (
        column("table"),
        column("unit"),
        column("year"),
        column("name"),
        column("item"),
        column("statistic"),
        column("value"),
    );
    let mut compared = 0;
    for row in &table.rows {
        let expected: Option<f64> = (!row[val].is_empty()).then(|| row[val].parse().unwrap());
        let what = row.join(",");
        let actual: Option<f64> = match row[tab].as_str() {
            "items" | "dimensions" => {
                let y: i32 = row[year].parse().unwrap();
                let found = if row[tab] == "items" {
                    report.item(&row[unit], y, &row[name])
                } else {
                    report.dimension(&row[unit], y, &row[name])
                };
                let s = found.unwrap_or_else(|| panic!("no estimate for {what}"));
                match row[stat].as_str() {
                    "n" => Some(s.n as f64),
                    "weight_sum" => Some(s.weight_sum),
                    "n_eff" => s.n_eff,
                    "mean" => s.mean,
                    "se" => s.se,
                    "ci_low" => s.ci_low,
                    "ci_high" => s.ci_high,
                    "satisfaction" => s.satisfaction,
                    "satisfaction_ci_low" => s.satisfaction_ci_low,
                    "satisfaction_ci_high" => s.satisfaction_ci_high,
                    other => panic!("unknown statistic {other}"),
                }
            }
            "reliability" => {
                let y: i32 = row[year].parse().unwrap();
                let it = (!row[item].is_empty()).then_some(row[item].as_str());
                let r = report
                    .reliability
                    .iter()
                    .find(|r| r.year == y && r.dimension == row[name] && r.item.as_deref() == it)
                    .unwrap_or_else(|| panic!("no reliability row for {what}"));
                match row[stat].as_str() {
                    "n" => Some(r.n as f64),
                    "alpha" => r.alpha,
                    "alpha_if_deleted" => r.alpha_if_deleted,
                    "item_total_r" => r.item_total_r,
                    other => panic!("unknown statistic {other}"),
                }
            }
            "summary" => {
                let s = &report.summary;
                let count = match row[stat].as_str() {
                    "answers" => s.answers,
                    "missing_answers" => s.missing_answers,
                    "bad_answers" => s.bad_answers,
                    "excluded_rows" => s.excluded_rows,
                    other => panic!("unknown summary {other}"),
                };
                Some(count as f64)
            }
            other => panic!("unknown table {other}"),
        };
        match (actual, expected) {
            (Some(a), Some(e)) => assert_close(a, e, 1e-9 * e.abs().max(1.0), &what),
            (None, None) => {}
            _ => panic!("{what}: citycheck {actual:?}, pandas {expected:?}"),
        }
        compared += 1;
    }
    assert!(compared > 4000, "{compared} numbers compared");

    let bad = Table::parse(&std::fs::read_to_string(format!("{REFERENCE}/survey_synthetic_bad_answers.csv")).unwrap());
    let ours: Vec<(String, String, String, String)> = report
        .bad_answers
        .iter()
        .map(|b| (b.row.to_string(), b.item.clone(), b.answer.clone(), b.reason.as_str().to_string()))
        .collect();
    let theirs: Vec<(String, String, String, String)> = bad
        .rows
        .iter()
        .map(|r| {
            let f = |c: &str| r[bad.column(c)].clone();
            (f("row"), f("item"), f("answer"), f("reason"))
        })
        .collect();
    assert_eq!(ours, theirs);
}

#[test]
fn the_report_writes_its_tables_without_nan() {
    let report = synthetic_report();
    let dir = tempfile::tempdir().unwrap();
    let paths = report.write(dir.path(), OutputFormat::Csv).unwrap();
    let names: Vec<String> = paths.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        ["survey_items.csv", "survey_dimensions.csv", "reliability.csv", "bad_answers.csv", "survey.json"]
    );
    let header =
        |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap().lines().next().unwrap().to_string();
    let stats = "n,weight_sum,n_eff,mean,se,ci_low,ci_high,satisfaction,satisfaction_ci_low,satisfaction_ci_high,note";
    assert_eq!(header("survey_items.csv"), format!("unit,year,item,{stats}"));
    assert_eq!(header("survey_dimensions.csv"), format!("unit,year,dimension,{stats}"));
    assert_eq!(header("reliability.csv"), "year,dimension,item,n,alpha,alpha_if_deleted,item_total_r,note");
    assert_eq!(header("bad_answers.csv"), "unit,year,row,item,answer,reason");
    for p in &paths {
        let text = std::fs::read_to_string(p).unwrap();
        let lower = text.to_lowercase();
        assert!(!lower.contains(",nan") && !lower.contains("nan,"), "no NaN in {}", p.display());
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("survey.json")).unwrap()).unwrap();
    assert_eq!(json["bad_answers"], 7);
    assert_eq!(json["survey"], "liaoning-satisfaction-synthetic");
    let parquet = report.write(&dir.path().join("pq"), OutputFormat::Parquet).unwrap();
    assert!(parquet[0].ends_with("survey_items.parquet"));
}

#[cfg(feature = "cli")]
#[test]
fn the_command_line_scores_the_synthetic_survey() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_citycheck"))
        .args(["survey", "--definition", &format!("{SYNTHETIC}/definition.toml")])
        .args(["--responses", &format!("{SYNTHETIC}/responses.csv")])
        .args(["--unit-column", "city", "--weight-column", "weight", "--strata-column", "district"])
        .args(["--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "stderr:\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("6531 respondents") && stdout.contains("7 bad answers"), "{stdout}");
    assert!(out.join("survey_items.csv").exists() && out.join("bad_answers.csv").exists());
}

/// A run whose panel holds self-check and third-party values for the same cells: the cells are
/// reconciled (reconciliation.csv), scored with the chosen value, and run.json says how.
#[test]
fn a_run_reconciles_self_check_and_third_party_values() {
    let dir = tempfile::tempdir().unwrap();
    // 沈阳市 2012 garbage treatment: self 100, third party 90 (|10| > 0.05·90): flagged, 90 kept.
    // 大连市: self 95, third party 94 (|1| ≤ 4.7): not flagged, 94 kept (third party first).
    let mut csv = String::from("city,year,indicator,value,source\n");
    for (city, base) in [("沈阳市", 40.0), ("大连市", 45.0), ("鞍山市", 38.0)] {
        for year in [2011, 2012] {
            csv.push_str(&format!("{city},{year},green_coverage_builtup,{base},self\n"));
        }
    }
    csv.push_str("沈阳市,2012,garbage_harmless_rate,100,self\n沈阳市,2012,garbage_harmless_rate,90,third_party\n");
    csv.push_str("大连市,2012,garbage_harmless_rate,95,self\n大连市,2012,garbage_harmless_rate,94,third_party\n");
    csv.push_str("鞍山市,2012,garbage_harmless_rate,80,self\n");
    std::fs::write(dir.path().join("panel.csv"), csv).unwrap();
    let config = "catalog = \"ccsy-example\"\n[data]\npath = \"panel.csv\"\nunit_column = \"city\"\n\
                  [reconcile]\nchoice = \"third_party_first\"\nrel_tol = 0.05\nconfirm = 2\n[diagnose]\nyear = 2012\n";
    std::fs::write(dir.path().join("run.toml"), config).unwrap();
    let out = citycheck::run::run(
        &citycheck::run::RunConfig::load(dir.path().join("run.toml")).unwrap(),
        Some(&dir.path().join("out")),
    )
    .unwrap();
    let summary = out.report.reconciliation.as_ref().expect("two cells have two sources");
    assert_eq!((summary.cells, summary.flagged), (2, 1));
    let text = std::fs::read_to_string(dir.path().join("out/reconciliation.csv")).unwrap();
    assert!(text.lines().next().unwrap().starts_with("unit,year,indicator,self_value,third_party_value"));
    // The scored value is the third party's: 90 for 沈阳市, whose attainment-free min-max
    // score then sits between 鞍山市 (80) and 大连市 (94).
    let score = |unit: &str| out.outcome.scores.get(unit, 2012, "garbage_harmless_rate").unwrap();
    assert!((score("沈阳市") - 100.0 * (90.0 - 80.0) / (94.0 - 80.0)).abs() < 1e-9, "{}", score("沈阳市"));
    assert!((score("大连市") - 100.0).abs() < 1e-9);

    // The ledger confirms problems source by source against the standard (100 for both cities):
    // 沈阳市 self 100 meets it, third party 90 misses it → 1 of 2, not confirmed at k = 2;
    // 大连市 self 95 and third party 94 both miss it → confirmed by 2 of 2.
    let ledger = out.diagnosis.as_ref().unwrap();
    let problem =
        |unit: &str| ledger.ledger.iter().find(|p| p.unit == unit && p.indicator == "garbage_harmless_rate").unwrap();
    let shenyang = problem("沈阳市");
    assert_eq!((shenyang.sources.len(), shenyang.confirmed), (1, Some(false)));
    assert!(shenyang.note.as_deref().unwrap().contains("not confirmed: 1 of 2"), "{:?}", shenyang.note);
    let dalian = problem("大连市");
    assert_eq!((dalian.sources.len(), dalian.confirmed), (2, Some(true)));
    let csv = std::fs::read_to_string(dir.path().join("out/ledger.csv")).unwrap();
    assert!(csv.contains("self;third_party"), "the source column lists the flagging sources");
}

/// `[survey]` in a run config: the synthetic survey is scored with the run, its four dimension
/// scores join the panel as the catalogue's satisfaction indicators (source = survey), and
/// combined.csv weighs the objective index 0.7 and the survey score 0.3.
#[test]
fn a_run_scores_the_survey_and_combines_it_with_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let mut catalog = String::from(
        "[catalog]\nid = \"with-survey\"\nname = \"t\"\nversion = \"1\"\n\
         [[groups]]\nid = \"objective\"\nname_zh = \"客观\"\nname_en = \"objective\"\n\
         [[groups]]\nid = \"satisfaction\"\nname_zh = \"满意度\"\nname_en = \"satisfaction\"\n\
         [[indicators]]\nid = \"green\"\nname_zh = \"绿\"\nname_en = \"green\"\ngroup = \"objective\"\nunit = \"%\"\ndirection = \"higher\"\n",
    );
    for d in ["housing", "transport", "services", "environment"] {
        catalog.push_str(&format!(
            "[[indicators]]\nid = \"{d}_satisfaction\"\nname_zh = \"{d}\"\nname_en = \"{d}\"\ngroup = \"satisfaction\"\nunit = \"score\"\ndirection = \"higher\"\n"
        ));
    }
    std::fs::write(dir.path().join("catalog.toml"), catalog).unwrap();
    let cities = [
        "沈阳市",
        "大连市",
        "鞍山市",
        "抚顺市",
        "本溪市",
        "丹东市",
        "锦州市",
        "营口市",
        "阜新市",
        "辽阳市",
        "盘锦市",
        "铁岭市",
        "朝阳市",
        "葫芦岛市",
    ];
    let mut panel = String::from("city,year,indicator,value\n");
    for (k, city) in cities.iter().enumerate() {
        for year in [2024, 2025] {
            panel.push_str(&format!("{city},{year},green,{}\n", 30.0 + k as f64 + (year - 2024) as f64));
        }
    }
    std::fs::write(dir.path().join("panel.csv"), panel).unwrap();
    let config = format!(
        "catalog = \"catalog.toml\"\n[data]\npath = \"panel.csv\"\nunit_column = \"city\"\n\
         [survey]\ndefinition = \"{root}/datasets/survey_synthetic/definition.toml\"\n\
         responses = \"{root}/datasets/survey_synthetic/responses.csv\"\nunit_column = \"city\"\n\
         weight_column = \"weight\"\nstrata_column = \"district\"\nweight = 0.3\n"
    );
    std::fs::write(dir.path().join("run.toml"), config).unwrap();
    let out_dir = dir.path().join("out");
    let out =
        citycheck::run::run(&citycheck::run::RunConfig::load(dir.path().join("run.toml")).unwrap(), Some(&out_dir))
            .unwrap();
    assert_eq!(out.report.inputs.len(), 3, "panel, survey definition and responses");
    // The run returns the survey it scored.
    assert!(out.survey.as_ref().is_some_and(|s| !s.dimensions.is_empty()));
    // The survey's transport dimension is scored as an indicator of every city.
    let scores = &out.outcome.scores;
    assert!(scores.get("沈阳市", 2025, "transport_satisfaction").is_some_and(|v| !v.is_nan()));
    for name in ["survey_items.csv", "survey_dimensions.csv", "reliability.csv", "bad_answers.csv", "combined.csv"] {
        assert!(out_dir.join(name).exists(), "{name}");
    }
    let combined = crate::reference_csv::Table::parse(&std::fs::read_to_string(out_dir.join("combined.csv")).unwrap());
    let (o, s, c) = (combined.values("objective"), combined.values("survey"), combined.values("combined"));
    assert_eq!(combined.rows.len(), 28);
    for k in 0..combined.rows.len() {
        crate::prec::assert_close(c[k], 0.7 * o[k] + 0.3 * s[k], 1e-9, "combined = 0.7 objective + 0.3 survey");
    }
}
