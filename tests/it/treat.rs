//! Data treatment (METHODS.md §2): denomination, imputation and outlier treatment against the
//! JRC's ASEM example as computed by COINr (`tests/reference/coinr_asem`, see its README), and
//! hand-made columns for what the ASEM data do not exercise (per-unit imputation over years,
//! tied extremes, a change of side, the log fallback, degenerate columns).
//!
//! ASEM values go down to 1e-5, so the reference comparisons use [`HAND`] (and [`EXACT`] for
//! the single division of denomination) as *relative* tolerances.

use citycheck::kernels::{from_columns, from_rows, Array2};
use citycheck::treat::{
    impute, kurtosis, skewness, treat_column, Imputation, OutlierRule, PanelRows, TreatReport, Treatment,
};
use citycheck::Error;

use crate::prec::{assert_all_close, assert_close, EXACT, HAND};
use crate::reference_csv::Table;

const NAN: f64 = f64::NAN;

const RAW: &str = include_str!("../reference/coinr_asem/Data_Raw.csv");
const DENOMINATORS: &str = include_str!("../reference/coinr_asem/Denominators.csv");
const IND_META: &str = include_str!("../reference/coinr_asem/IndMeta.csv");
const DENOMINATED: &str = include_str!("../reference/coinr_asem/Data_Denominated.csv");
const IMPUTED: &str = include_str!("../reference/coinr_asem/Data_Imputed.csv");
const TREATED: &str = include_str!("../reference/coinr_asem/Data_Treated.csv");
const TREAT_SUMMARY: &str = include_str!("../reference/coinr_asem/TreatSummary.csv");

/// `|actual − expected| <= rel · |expected|` (so an expected 0 must be met exactly).
#[track_caller]
fn assert_rel(actual: f64, expected: f64, rel: f64, what: &str) {
    assert_close(actual, expected, rel * expected.abs(), what);
}

// ---------------------------------------------------------------------------------------------
// The ASEM reference.

/// COINr's `denominate`: x / d, d the column of Denominators.csv named by IndMeta.Denominator
/// (blank: not denominated). No scale factor: the division reproduces Data_Denominated to the
/// last bit, because both sides are the same IEEE division of the same parsed doubles.
#[test]
fn asem_denomination_is_plain_division_by_the_named_denominator() {
    let raw = Table::parse(RAW);
    let denominators = Table::parse(DENOMINATORS);
    let meta = Table::parse(IND_META);
    let denominated = Table::parse(DENOMINATED);
    assert_eq!(raw.text("UnitCode"), denominators.text("UnitCode"));
    assert_eq!(raw.text("UnitCode"), denominated.text("UnitCode"));
    assert_eq!(raw.rows.len(), 51);

    let codes = meta.text("IndCode");
    assert_eq!(codes, denominated.indicators());
    let mut divided = 0;
    for (code, by) in codes.iter().zip(meta.text("Denominator")) {
        let x = raw.values(code);
        let y: Vec<f64> = if by.is_empty() {
            x
        } else {
            divided += 1;
            x.iter().zip(denominators.values(by)).map(|(a, d)| a / d).collect()
        };
        for (i, (&got, want)) in y.iter().zip(denominated.values(code)).enumerate() {
            let what = format!("{code} ÷ {by} of {}", raw.rows[i][0]);
            if want.is_nan() {
                assert!(got.is_nan(), "{what}: expected missing, got {got}");
            } else {
                assert_rel(got, want, EXACT, &what);
            }
        }
    }
    assert_eq!(divided, 17, "Den_GDP 9, Den_Pop 5, Den_Energy 2, Den_Area 1");
}

/// COINr's `indgroup_mean` by Group_EurAsia (one year, 2018): the 65 missing cells of
/// Data_Denominated become the mean of the indicator over the country's continent.
#[test]
fn asem_group_mean_imputation_reproduces_coinr() {
    let denominated = Table::parse(DENOMINATED);
    let imputed = Table::parse(IMPUTED);
    let indicators = denominated.indicators();
    assert_eq!(indicators.len(), 49);
    assert_eq!(imputed.indicators(), indicators);
    assert_eq!(imputed.text("UnitCode"), denominated.text("UnitCode"));

    let before = denominated.matrix(&indicators);
    let expected = imputed.matrix(&indicators);
    let (m, n) = (before.nrows(), before.ncols());
    let unit: Vec<u32> = (0..m as u32).collect();
    let year: Vec<i32> = denominated.values("Year").iter().map(|&y| y as i32).collect();
    let group: Vec<Option<u32>> = denominated
        .text("Group_EurAsia")
        .iter()
        .map(|g| match *g {
            "Europe" => Some(0),
            "Asia" => Some(1),
            other => panic!("unexpected group {other:?}"),
        })
        .collect();

    let mut x = before.clone();
    let method = Imputation::GroupMean { by: "Group_EurAsia".into() };
    let filled =
        impute(x.view_mut(), &method, PanelRows { unit: &unit, year: &year, group: Some(&group[..]) }).unwrap();

    let missing: Vec<(usize, usize)> =
        (0..m).flat_map(|i| (0..n).map(move |j| (i, j))).filter(|&(i, j)| before[[i, j]].is_nan()).collect();
    assert_eq!(missing.len(), 65);
    assert_eq!(filled, missing, "the filled cells are the missing ones, in row-major order");

    for (i, row) in denominated.rows.iter().enumerate() {
        for (j, indicator) in indicators.iter().enumerate() {
            let what = format!("{indicator} of {}", row[0]);
            if before[[i, j]].is_nan() {
                assert_rel(x[[i, j]], expected[[i, j]], HAND, &what);
                // The same mean by plain arithmetic over the continent.
                let peers: Vec<f64> =
                    (0..m).filter(|&k| group[k] == group[i]).map(|k| before[[k, j]]).filter(|v| !v.is_nan()).collect();
                let mean = peers.iter().sum::<f64>() / peers.len() as f64;
                assert_rel(x[[i, j]], mean, HAND, &what);
            } else {
                assert_eq!(x[[i, j]], before[[i, j]], "{what}: a present cell changed");
                assert_eq!(x[[i, j]], expected[[i, j]], "{what}");
            }
        }
    }
    // Written out once: Italy's Poverty is the mean over the 29 other European countries.
    let ita = denominated.text("UnitCode").iter().position(|&u| u == "ITA").unwrap();
    let poverty = indicators.iter().position(|&c| c == "Poverty").unwrap();
    assert!(filled.contains(&(ita, poverty)));
    assert_rel(x[[ita, poverty]], 0.372_413_793_103_448_24, HAND, "ITA Poverty");
}

/// COINr's default treatment with winmax = 6 (10 % of 51 units, rounded up): TreatSummary's
/// outcome for each of the 49 indicators and every value of Data_Treated.
#[test]
fn asem_outlier_treatment_reproduces_coinr() {
    let imputed = Table::parse(IMPUTED);
    let treated = Table::parse(TREATED);
    let summary = Table::parse(TREAT_SUMMARY);
    let codes = summary.text("IndCode");
    assert_eq!(codes, imputed.indicators());
    assert_eq!(treated.indicators(), imputed.indicators());
    let (lows, highs, outcomes) = (summary.values("Low"), summary.values("High"), summary.text("Treatment"));
    let rule = OutlierRule { winmax: 6, ..OutlierRule::default() };

    let mut winsorised = 0;
    for (k, code) in codes.iter().enumerate() {
        let mut x = imputed.values(code);
        let report = treat_column(&mut x, &rule);
        let expected = match outcomes[k] {
            "None" => Treatment::None,
            outcome => {
                let points: usize = outcome
                    .strip_prefix("Winsorised ")
                    .and_then(|s| s.strip_suffix(" points"))
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| panic!("{code}: unexpected treatment {outcome:?}"));
                let (low, high) = (lows[k] as usize, highs[k] as usize);
                assert_eq!(low + high, points, "{code}: TreatSummary's counts");
                winsorised += 1;
                Treatment::Winsorised { low, high }
            }
        };
        assert_eq!(report.treatment, expected, "{code}: {report:?}");

        let y = treated.values(code);
        for (i, (&got, &want)) in x.iter().zip(&y).enumerate() {
            assert_rel(got, want, HAND, &format!("treated {code} of {}", treated.rows[i][0]));
        }
        assert_eq!(report.skew, skewness(&imputed.values(code)), "{code}");
        assert_rel(report.skew_after, skewness(&y), HAND, code);
        assert_rel(report.kurtosis_after, kurtosis(&y), HAND, code);
        assert_eq!(rule.needs_treatment(report.skew, report.kurtosis), expected != Treatment::None, "{code}");
        assert!(!rule.needs_treatment(report.skew_after, report.kurtosis_after), "{code} still outlying");
    }
    assert_eq!(winsorised, 15);
}

/// Peer values of G1 and G2 from pandas (`Series.skew()`, `Series.kurt()`: the same adjusted
/// Fisher–Pearson estimators, implemented independently) on two ASEM indicators.
#[test]
fn asem_skewness_and_kurtosis_match_pandas() {
    let imputed = Table::parse(IMPUTED);
    let services = imputed.values("Services");
    assert_rel(skewness(&services), 3.950_449_964_640_601_5, 1e-12, "Services skew");
    assert_rel(kurtosis(&services), 17.647_611_966_106_314, 1e-12, "Services kurtosis");
    let fem_lab = imputed.values("FemLab");
    assert_rel(skewness(&fem_lab), -2.008_904_464_400_508, 1e-12, "FemLab skew");
    assert_rel(kurtosis(&fem_lab), 5.000_513_715_335_737, 1e-12, "FemLab kurtosis");
}

// ---------------------------------------------------------------------------------------------
// Moments by hand.

#[test]
fn skewness_and_kurtosis_by_hand() {
    // (0, 0, 0, 0, 1): x̄ = 0.2, S_2 = 4 · 0.04 + 0.64 = 0.8, S_3 = −0.032 + 0.512 = 0.48,
    // S_4 = 0.0064 + 0.4096 = 0.416. g1 = √5 · 0.48 / 0.8^{3/2}, G1 = g1 · √20 / 3 = √5;
    // r = 5 · 0.416 / 0.64 = 3.25, G2 = (6 · 0.25 + 6) · 4 / (3 · 2) = 5.
    let x = [0.0, 0.0, NAN, 0.0, 0.0, 1.0, NAN];
    assert_close(skewness(&x), 5f64.sqrt(), HAND, "G1");
    assert_close(kurtosis(&x), 5.0, HAND, "G2");
    // Mirror image: skewness changes sign, kurtosis does not.
    let mirrored: Vec<f64> = x.iter().map(|v| -v).collect();
    assert_close(skewness(&mirrored), -(5f64.sqrt()), HAND, "G1 of −x");
    assert_close(kurtosis(&mirrored), 5.0, HAND, "G2 of −x");
    // Symmetric: S_3 = 0 exactly.
    assert_eq!(skewness(&[1.0, 2.0, 3.0]), 0.0);
    // Undefined: too few values, or constant (even where the rounded mean is not the value).
    assert!(skewness(&[1.0, 5.0, NAN]).is_nan());
    assert!(kurtosis(&[1.0, 2.0, 4.0]).is_nan());
    assert!(skewness(&[]).is_nan() && kurtosis(&[]).is_nan());
    assert!(skewness(&[0.1; 7]).is_nan() && kurtosis(&[0.1; 7]).is_nan());
}

// ---------------------------------------------------------------------------------------------
// Imputation by hand.

/// One indicator of two units, rows deliberately out of order. Unit 1 is observed in 2008
/// (2.0) and 2013 (12.0) and missing in 2006, 2010, 2011 and 2015; unit 9 is observed in 2010
/// (100.0) and missing in 2013.
fn one_column_panel() -> (Array2<f64>, Vec<u32>, Vec<i32>) {
    let rows: [(u32, i32, f64); 8] = [
        (1, 2013, 12.0),
        (9, 2013, NAN),
        (1, 2006, NAN),
        (1, 2010, NAN),
        (9, 2010, 100.0),
        (1, 2015, NAN),
        (1, 2008, 2.0),
        (1, 2011, NAN),
    ];
    let x = from_columns(rows.len(), 1, rows.iter().map(|r| r.2).collect()).unwrap();
    (x, rows.iter().map(|r| r.0).collect(), rows.iter().map(|r| r.1).collect())
}

fn impute_one_column(method: &Imputation) -> (Vec<f64>, Vec<(usize, usize)>) {
    let (mut x, unit, year) = one_column_panel();
    let filled = impute(x.view_mut(), method, PanelRows { unit: &unit, year: &year, group: None }).unwrap();
    (x.column(0).to_vec(), filled)
}

#[test]
fn no_imputation_fills_nothing() {
    let (x, filled) = impute_one_column(&Imputation::None);
    assert!(filled.is_empty());
    assert_all_close(&x, &one_column_panel().0.column(0).to_vec(), EXACT, "unchanged");
}

#[test]
fn unit_mean_is_the_mean_of_the_units_other_years() {
    // Unit 1: (2 + 12)/2 = 7 in each of its four gaps; unit 9: 100.
    let (x, filled) = impute_one_column(&Imputation::UnitMean);
    assert_all_close(&x, &[12.0, 100.0, 7.0, 7.0, 100.0, 7.0, 2.0, 7.0], HAND, "unit_mean");
    assert_eq!(filled, vec![(1, 0), (2, 0), (3, 0), (5, 0), (7, 0)]);
}

#[test]
fn carry_forward_takes_the_latest_earlier_value_and_never_goes_back() {
    // Unit 1: 2010 and 2011 ← 2008's 2.0, 2015 ← 2013's 12.0, 2006 has nothing before it.
    // Unit 9: 2013 ← 2010's 100.0 (never unit 1's 12.0 of the same year).
    let (x, filled) = impute_one_column(&Imputation::CarryForward);
    assert_all_close(&x, &[12.0, 100.0, NAN, 2.0, 100.0, 12.0, 2.0, 2.0], EXACT, "carry_forward");
    assert_eq!(filled, vec![(1, 0), (3, 0), (5, 0), (7, 0)]);
}

#[test]
fn linear_interpolates_in_real_years_and_never_extrapolates() {
    // Unit 1 between 2008 (2.0) and 2013 (12.0), five years apart:
    // 2010 = 2 + 10 · 2/5 = 6, 2011 = 2 + 10 · 3/5 = 8. 2006 (before) and 2015 (after) stay
    // missing, as does unit 9's 2013 (after its only value).
    let (x, filled) = impute_one_column(&Imputation::Linear);
    assert_all_close(&x, &[12.0, NAN, NAN, 6.0, 100.0, NAN, 2.0, 8.0], HAND, "linear");
    assert_eq!(filled, vec![(3, 0), (7, 0)]);
}

#[test]
fn imputation_fills_each_column_from_its_own_values_and_lists_cells_row_major() {
    // Two indicators; unit 1 in 2008, 2010, 2013 and unit 2 in 2008, 2010, rows out of order.
    let unit = [2, 1, 1, 2, 1];
    let year = [2010, 2013, 2008, 2008, 2010];
    let mut x = from_rows(&[[6.0, NAN], [4.0, 7.0], [1.0, NAN], [NAN, NAN], [NAN, NAN]]).unwrap();
    let filled =
        impute(x.view_mut(), &Imputation::UnitMean, PanelRows { unit: &unit, year: &year, group: None }).unwrap();
    // Unit 1: column 1 mean (1 + 4)/2 = 2.5, column 2 mean 7. Unit 2: column 1 mean 6, column 2
    // has no value, so its two cells stay missing.
    assert_all_close(&x.column(0).to_vec(), &[6.0, 4.0, 1.0, 6.0, 2.5], HAND, "column 1");
    assert_all_close(&x.column(1).to_vec(), &[NAN, 7.0, 7.0, NAN, 7.0], HAND, "column 2");
    assert_eq!(filled, vec![(2, 1), (3, 0), (4, 0), (4, 1)]);
}

#[test]
fn group_mean_is_taken_within_the_year_and_the_group() {
    let unit = [0, 1, 2, 3, 0, 1, 3, 4, 5];
    let year = [2010, 2010, 2010, 2010, 2011, 2011, 2011, 2010, 2011];
    let group = [Some(0), Some(0), Some(0), Some(1), Some(0), Some(0), Some(1), None, Some(2)];
    let mut x = from_columns(9, 1, vec![1.0, NAN, 3.0, 10.0, NAN, 5.0, NAN, NAN, NAN]).unwrap();
    let rows = PanelRows { unit: &unit, year: &year, group: Some(&group[..]) };
    let filled = impute(x.view_mut(), &Imputation::GroupMean { by: "province".into() }, rows).unwrap();
    // Row 1: group 0 in 2010 → (1 + 3)/2 = 2. Row 4: group 0 in 2011 → 5 (not 2010's values).
    // Row 6: group 1 has no value in 2011 (its 10.0 is of 2010) → missing. Row 7 has no group,
    // row 8's group has no value → missing.
    assert_all_close(&x.column(0).to_vec(), &[1.0, 2.0, 3.0, 10.0, 5.0, 5.0, NAN, NAN, NAN], HAND, "group_mean");
    assert_eq!(filled, vec![(1, 0), (4, 0)]);
}

#[test]
fn imputation_refuses_bad_row_keys() {
    let mut x = from_columns(3, 1, vec![1.0, NAN, 3.0]).unwrap();
    // GroupMean without the group attribute: the error names it.
    let rows = PanelRows { unit: &[1, 1, 1], year: &[2010, 2011, 2012], group: None };
    let err = impute(x.view_mut(), &Imputation::GroupMean { by: "province".into() }, rows).unwrap_err();
    assert!(matches!(&err, Error::Spec(m) if m.contains("province")), "{err:?}");
    // Two rows for unit 1 in 2011.
    let rows = PanelRows { unit: &[1, 1, 1], year: &[2010, 2011, 2011], group: None };
    let err = impute(x.view_mut(), &Imputation::Linear, rows).unwrap_err();
    assert!(matches!(err, Error::Spec(_)), "{err:?}");
    // Keys of the wrong length.
    let rows = PanelRows { unit: &[1, 1], year: &[2010, 2011], group: None };
    let err = impute(x.view_mut(), &Imputation::CarryForward, rows).unwrap_err();
    assert!(matches!(err, Error::Spec(_)), "{err:?}");
    assert!(x[[1, 0]].is_nan(), "nothing filled on error");
}

#[test]
fn imputation_specs_read_from_json() {
    let read = |s: &str| serde_json::from_str::<Imputation>(s);
    assert_eq!(read(r#"{"method": "none"}"#).unwrap(), Imputation::None);
    assert_eq!(read(r#"{"method": "unit_mean"}"#).unwrap(), Imputation::UnitMean);
    assert_eq!(read(r#"{"method": "carry_forward"}"#).unwrap(), Imputation::CarryForward);
    assert_eq!(read(r#"{"method": "linear"}"#).unwrap(), Imputation::Linear);
    assert_eq!(
        read(r#"{"method": "group_mean", "by": "province"}"#).unwrap(),
        Imputation::GroupMean { by: "province".into() }
    );
    assert!(read(r#"{"method": "group_mean"}"#).is_err(), "group_mean needs `by`");
    assert!(read(r#"{"method": "group_mean", "by": "province", "of": "x"}"#).is_err(), "unknown field");
    assert!(read(r#"{"method": "nearest"}"#).is_err(), "unknown method");
    assert_eq!(Imputation::default(), Imputation::None);
}

// ---------------------------------------------------------------------------------------------
// Outlier treatment by hand.

/// 1, 2, …, 9, 100: G1 = 3.119, G2 = 9.799.
fn one_to_nine_and_100() -> Vec<f64> {
    (1..=9).map(f64::from).chain([100.0]).collect()
}

#[test]
fn one_winsorised_point_brings_a_single_outlier_in() {
    let mut x = one_to_nine_and_100();
    let report = treat_column(&mut x, &OutlierRule::default());
    assert_eq!(report.treatment, Treatment::Winsorised { low: 0, high: 1 });
    // 100 ← 9, the next highest: the column is 1..9, 9 (G1 = −0.151, G2 = −1.357).
    assert_all_close(&x, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 9.0], EXACT, "winsorised");
    assert_close(report.skew, skewness(&one_to_nine_and_100()), EXACT, "skew before");
    assert_close(report.skew_after, skewness(&x), EXACT, "skew after");
    assert!(report.skew_after.abs() < 2.0);
}

#[test]
fn the_log_fallback_is_the_coin_tool_log_and_its_mirror_image() {
    // winmax = 0: straight to the log. min = 1, max = 100, a = 0.01 · 99 = 0.99, so
    // y = ln(x − 1 + 0.99) = ln(x − 0.01).
    let rule = OutlierRule { winmax: 0, ..OutlierRule::default() };
    let mut x = one_to_nine_and_100();
    let report = treat_column(&mut x, &rule);
    assert_eq!(report.treatment, Treatment::Log);
    let expected: Vec<f64> = one_to_nine_and_100().iter().map(|v| (v - 0.01).ln()).collect();
    assert_all_close(&x, &expected, HAND, "ln(x − min + a)");
    assert_close(report.skew_after, skewness(&expected), HAND, "skew after the log");

    // Negative skew: −ln(max + a − x) with max = −1, a = 0.99 on −x, i.e. −ln(x − 0.01): the
    // exact mirror image, so the transform stays increasing and the skew changes sign.
    let mut negated: Vec<f64> = one_to_nine_and_100().iter().map(|v| -v).collect();
    let report_neg = treat_column(&mut negated, &rule);
    assert_eq!(report_neg.treatment, Treatment::Log);
    let mirrored: Vec<f64> = expected.iter().map(|v| -v).collect();
    assert_all_close(&negated, &mirrored, HAND, "−ln(max + a − x)");
    assert_close(report_neg.skew, -report.skew, HAND, "skew before");
    assert_close(report_neg.skew_after, -report.skew_after, HAND, "skew after");
}

/// 8, 40, …, 59, 139: an outlier at each end.
fn outliers_at_both_ends() -> Vec<f64> {
    vec![139.0, 40.0, 43.0, 45.0, 48.0, 8.0, 49.0, 50.0, 52.0, 56.0, 57.0, 59.0]
}

#[test]
fn winsorisation_changes_side_when_the_skew_changes_sign() {
    // G1 = 2.101, G2 = 7.167: high side, 139 ← 59; now G1 = −2.297, G2 = 6.416: low side,
    // 8 ← 40; now G1 = −0.061, G2 = −1.338 and the test passes.
    let mut x = outliers_at_both_ends();
    let report = treat_column(&mut x, &OutlierRule::default());
    assert_eq!(report.treatment, Treatment::Winsorised { low: 1, high: 1 });
    assert_all_close(&x, &[59.0, 40.0, 43.0, 45.0, 48.0, 40.0, 49.0, 50.0, 52.0, 56.0, 57.0, 59.0], EXACT, "both");
    assert_close(report.skew, 2.100_980_311_382_041, 1e-12, "G1 before");
    assert_close(report.kurtosis, 7.167_141_592_717_741_5, 1e-12, "G2 before");
    assert_close(report.skew_after, -0.061_090_432_896_072_3, 1e-12, "G1 after");
    assert_close(report.kurtosis_after, -1.337_601_770_510_839_8, 1e-12, "G2 after");
}

#[test]
fn when_winmax_is_reached_the_original_column_is_logged() {
    // One point (139 ← 59) leaves G1 = −2.297, G2 = 6.416: still outlying, so the column is
    // restored and logged. G1 of the original is positive: y = ln(x − 8 + 1.31),
    // a = 0.01 · (139 − 8). Here the log does not help (the low outlier dominates):
    // the report says so.
    let rule = OutlierRule { winmax: 1, ..OutlierRule::default() };
    let mut x = outliers_at_both_ends();
    let report = treat_column(&mut x, &rule);
    assert_eq!(report.treatment, Treatment::Log);
    let expected: Vec<f64> = outliers_at_both_ends().iter().map(|v| (v - 8.0 + 1.31).ln()).collect();
    assert_all_close(&x, &expected, HAND, "logged");
    assert_close(x[5], 1.31f64.ln(), HAND, "the minimum goes to ln a");
    assert_close(report.skew_after, -2.759_682_514_868_185, 1e-9, "G1 after the log");
    assert_close(report.kurtosis_after, 9.212_730_855_324_667, 1e-9, "G2 after the log");
    assert!(rule.needs_treatment(report.skew_after, report.kurtosis_after));

    // Without the log fallback the Winsorised column is kept, still outlying.
    let rule = OutlierRule { winmax: 1, log_fallback: false, ..OutlierRule::default() };
    let mut x = outliers_at_both_ends();
    let report = treat_column(&mut x, &rule);
    assert_eq!(report.treatment, Treatment::Winsorised { low: 0, high: 1 });
    assert_eq!(x[0], 59.0);
    assert_close(report.skew_after, -2.296_527_883_554_831, 1e-12, "G1 after one point");
    assert_close(report.kurtosis_after, 6.415_918_095_137_425, 1e-12, "G2 after one point");
}

#[test]
fn tied_extremes_move_together_and_each_counts_as_a_point() {
    // 1..20, 50, 50: G1 = 2.056, G2 = 4.317. Both 50s ← 20 in one step: two points, even with
    // winmax = 1 (COINr ≥ 1.0 counts the cells moved, and a tie cannot be split).
    let column = || -> Vec<f64> { (1..=20).map(f64::from).chain([50.0, 50.0]).collect() };
    for winmax in [1, 5] {
        let mut x = column();
        let report = treat_column(&mut x, &OutlierRule { winmax, ..OutlierRule::default() });
        assert_eq!(report.treatment, Treatment::Winsorised { low: 0, high: 2 }, "winmax {winmax}");
        assert_eq!(&x[20..], &[20.0, 20.0]);
        assert_close(report.skew_after, -0.094_495_731_963_803_15, 1e-12, "G1 after");
    }
}

#[test]
fn degenerate_columns_are_never_treated_and_gain_no_missing_values() {
    let rule = OutlierRule::default();
    let untouched = |column: &[f64]| {
        let mut x = column.to_vec();
        let report: TreatReport = treat_column(&mut x, &rule);
        assert_eq!(report.treatment, Treatment::None, "{column:?}");
        assert_eq!(x.iter().filter(|v| v.is_nan()).count(), column.iter().filter(|v| v.is_nan()).count());
        assert_all_close(&x, column, EXACT, "unchanged");
        report
    };
    // Constant, including a constant whose rounded mean is not the value.
    let report = untouched(&[3.0; 8]);
    assert!(report.skew.is_nan() && report.kurtosis.is_nan());
    untouched(&[0.1; 12]);
    // One value, two values, none.
    untouched(&[NAN, 5.0, NAN]);
    untouched(&[5.0, NAN, 7.0]);
    untouched(&[]);
    untouched(&[NAN, NAN]);
    // Two distinct values with G1 = √5, G2 = 5 (outlying): no step can be taken without making
    // the column constant, and a log of two values is affine, so it is left alone and the
    // report shows the test still holding.
    let report = untouched(&[0.0, 0.0, 0.0, NAN, 0.0, 1.0]);
    assert_close(report.skew_after, 5f64.sqrt(), HAND, "G1");
    assert!(rule.needs_treatment(report.skew_after, report.kurtosis_after));
}

#[test]
fn missing_cells_are_ignored_and_stay_missing() {
    let mut x: Vec<f64> = one_to_nine_and_100();
    x.insert(3, NAN);
    x.push(NAN);
    let report = treat_column(&mut x, &OutlierRule::default());
    assert_eq!(report.treatment, Treatment::Winsorised { low: 0, high: 1 });
    assert!(x[3].is_nan() && x[11].is_nan());
    assert_eq!(x[10], 9.0);
    assert_close(report.skew, skewness(&one_to_nine_and_100()), EXACT, "NaN cells do not count");
}

#[test]
fn outlier_rules_read_from_json() {
    let read = |s: &str| serde_json::from_str::<OutlierRule>(s);
    let default = read("{}").unwrap();
    assert_eq!(default, OutlierRule::default());
    assert_eq!(default, OutlierRule { winmax: 5, skew: 2.0, kurtosis: 3.5, log_fallback: true });
    assert_eq!(read(r#"{"winmax": 6}"#).unwrap(), OutlierRule { winmax: 6, ..OutlierRule::default() });
    assert!(read(r#"{"winmax": 6, "deflog": "CTlog"}"#).is_err(), "unknown field");
    let json = serde_json::to_value(Treatment::Winsorised { low: 1, high: 2 }).unwrap();
    assert_eq!(json, serde_json::json!({"kind": "winsorised", "low": 1, "high": 2}));
    assert_eq!(serde_json::to_value(Treatment::Log).unwrap(), serde_json::json!({"kind": "log"}));
}
