//! Trend statistics of one series (METHODS.md §7): Mann-Kendall, Sen's slope, OLS, CAGR and
//! change.
//!
//! Authorities: the Holy Cross "Mann-Kendall by hand" example and Kendall's exact n = 5 table
//! (shared/reference/published_examples.md); the unit tests of pyMannKendall 1.4.3
//! (mmhs013/pyMannKendall commit ec2e3ab, tests/test_pymannkendall.py, `test_original_test`
//! and `test_sens_slope`, numbers copied from shared/vectors/pymannkendall_tests.json; the
//! authors compared them with the R packages modifiedmk, fume, rkt and trend); scipy 1.17.1
//! (`scipy.stats.linregress`, `scipy.stats.t`) for the OLS inference; hand calculations written
//! out below; and brute-force enumeration of every ordering for the exact p-values.

use citycheck::trend::{cagr, change, mann_kendall, min_attainable_p, ols, sen_slope, Alternative, PMethod, Series};
use citycheck::Error;

use crate::prec::{assert_close, EXACT, HAND, PUBLISHED_4DP};

/// statrs's distribution functions against scipy's (Boost): the Student t quantile (iterative
/// beta inverse) and the normal CDF (statrs's erfc, ~3e-11 from scipy on pyMannKendall's
/// series) are not exact to the last digit; this is that accuracy, not a formula tolerance.
const DIST: f64 = 1e-9;

const NAN: f64 = f64::NAN;

fn method_message<T: std::fmt::Debug>(result: citycheck::Result<T>, method: &str) -> String {
    match result {
        Err(Error::Method { method: m, message, .. }) if m == method => message,
        other => panic!("expected Error::Method from {method}, got {other:?}"),
    }
}

fn spec_message<T: std::fmt::Debug>(result: citycheck::Result<T>) -> String {
    match result {
        Err(Error::Spec(message)) => message,
        other => panic!("expected Error::Spec, got {other:?}"),
    }
}

// ---------------------------------------------------------------- Mann-Kendall

/// Little, College of the Holy Cross, "Mann-Kendall by hand", n = 14: 72 concordant, 18
/// discordant, one tie (12.9 twice); S = 54, Var(S) = 332.667, Z = 2.9058, one-sided p ≈ 0.0018.
#[test]
fn holy_cross_mann_kendall_by_hand() {
    let y = [12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9, 11.0, 17.3, 15.9, 19.0, 18.3, 20.1, 21.7];
    let mk = mann_kendall(&y, Alternative::Increasing).unwrap();
    assert_eq!((mk.n, mk.s, mk.method), (14, 54, PMethod::Normal));
    // [14·13·33 − 2·1·9]/18 = 5988/18
    assert_close(mk.var_s, 5988.0 / 18.0, HAND, "Var(S)");
    assert_close(mk.var_s, 332.667, 5e-4, "Var(S), published to 3 dp");
    assert_close(mk.z, 53.0 / (5988.0f64 / 18.0).sqrt(), HAND, "Z");
    assert_close(mk.z, 2.9058, PUBLISHED_4DP, "Z, published");
    assert_close(mk.tau, 54.0 / 91.0, HAND, "tau");
    assert_close(mk.p_value, 0.0018, PUBLISHED_4DP, "one-sided p, published");
    // scipy.stats.norm.sf(2.905836845996537)
    assert_close(mk.p_value, 0.001831361881441218, EXACT, "one-sided p");
    let two = mann_kendall(&y, Alternative::TwoSided).unwrap();
    // pymannkendall.original_test(y).p
    assert_close(two.p_value, 0.0036627237628823472, EXACT, "two-sided p");
    assert_eq!(two.s, 54);
}

/// Kendall's exact null distribution of S for n = 5 (no ties): P(S = 10) = 1/120,
/// P(S ≥ 8) = 5/120.
#[test]
fn exact_probabilities_at_n_5() {
    // Five check-ups, each better than the last: S = 10, the only ordering of 120.
    let monotone = [61.0, 63.5, 64.0, 66.2, 70.1];
    let inc = mann_kendall(&monotone, Alternative::Increasing).unwrap();
    assert_eq!((inc.s, inc.method), (10, PMethod::Exact));
    assert_close(inc.p_value, 1.0 / 120.0, EXACT, "P(S >= 10)");
    assert_close(inc.min_attainable_p, 1.0 / 120.0, EXACT, "smallest one-sided p at n = 5");
    assert_close(inc.tau, 1.0, EXACT, "tau");
    let two = mann_kendall(&monotone, Alternative::TwoSided).unwrap();
    assert_close(two.p_value, 2.0 / 120.0, EXACT, "P(|S| >= 10)");
    assert_close(two.min_attainable_p, 2.0 / 120.0, EXACT, "smallest two-sided p at n = 5");
    let dec = mann_kendall(&monotone, Alternative::Decreasing).unwrap();
    assert_close(dec.p_value, 1.0, EXACT, "P(S <= 10)");
    let falling: Vec<f64> = monotone.iter().rev().copied().collect();
    let dec = mann_kendall(&falling, Alternative::Decreasing).unwrap();
    assert_eq!(dec.s, -10);
    assert_close(dec.p_value, 1.0 / 120.0, EXACT, "P(S <= -10)");

    // One inversion: S = 8; P(S >= 8) = (1 + 4)/120.
    let one_swap = [61.0, 63.5, 62.0, 66.2, 70.1];
    let mk = mann_kendall(&one_swap, Alternative::Increasing).unwrap();
    assert_eq!(mk.s, 8);
    assert_close(mk.p_value, 5.0 / 120.0, EXACT, "P(S >= 8)");
    assert_close(mann_kendall(&one_swap, Alternative::TwoSided).unwrap().p_value, 10.0 / 120.0, EXACT, "two-sided");
    // Even this almost monotone series does not reach α = 0.05 two-sided: n is too small.
    assert!(mk.min_attainable_p < 0.05 && mann_kendall(&one_swap, Alternative::TwoSided).unwrap().p_value > 0.05);

    assert_close(min_attainable_p(5, Alternative::Increasing), 1.0 / 120.0, EXACT, "n = 5");
    assert_close(min_attainable_p(4, Alternative::TwoSided), 2.0 / 24.0, EXACT, "n = 4");
    // n = 3: one-sided 1/6 — no 3-point series can reach α = 0.05 at all.
    assert_close(min_attainable_p(3, Alternative::Decreasing), 1.0 / 6.0, EXACT, "n = 3");
    assert!(min_attainable_p(11, Alternative::Increasing) < 1e-4, "normal approximation above 10");
}

/// Every ordering of `n` items, as index permutations.
fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![vec![]];
    }
    let mut all = Vec::new();
    for p in permutations(n - 1) {
        for at in 0..=p.len() {
            let mut q = p.clone();
            q.insert(at, n - 1);
            all.push(q);
        }
    }
    all
}

fn s_of(y: &[f64]) -> i64 {
    let mut s = 0;
    for i in 0..y.len() {
        for j in i + 1..y.len() {
            s += i64::from(y[j] > y[i]) - i64::from(y[j] < y[i]);
        }
    }
    s
}

/// The exact p-values (with and without ties) equal the share of all n! orderings of the
/// observed values whose S is at least as extreme.
#[test]
fn exact_p_values_match_brute_force_enumeration() {
    let series: [&[f64]; 12] = [
        &[1.0, 2.0, 3.0],
        &[2.0, 1.0, 3.0],
        &[3.0, 1.0, 2.0, 4.0],
        &[1.0, 3.0, 2.0, 4.0, 5.0],
        &[2.0, 1.0, 3.0, 3.0, 5.0, 4.0],
        &[3.0, 1.0, 2.0, 2.0, 5.0],
        &[1.0, 1.0, 2.0, 2.0, 2.0],
        &[5.0, 3.0, 3.0, 1.0, 2.0, 2.0, 7.0],
        &[1.0, 2.0, 1.0, 2.0, 1.0, 2.0],
        &[4.0, 4.0, 4.0, 4.0],
        &[7.0, 6.0, 1.0, 5.0, 2.0, 4.0, 3.0],
        &[0.3, 0.1, 0.4, 0.1, 0.5, 0.9, 0.2],
    ];
    for y in series {
        let n = y.len();
        let s0 = s_of(y);
        let perms = permutations(n);
        let total = perms.len() as f64;
        let (mut ge, mut le, mut abs) = (0usize, 0usize, 0usize);
        for p in &perms {
            let arranged: Vec<f64> = p.iter().map(|&i| y[i]).collect();
            let s = s_of(&arranged);
            ge += usize::from(s >= s0);
            le += usize::from(s <= s0);
            abs += usize::from(s.abs() >= s0.abs());
        }
        let has_ties = (0..n).any(|i| (i + 1..n).any(|j| y[i] == y[j]));
        for (alternative, count) in
            [(Alternative::Increasing, ge), (Alternative::Decreasing, le), (Alternative::TwoSided, abs)]
        {
            let mk = mann_kendall(y, alternative).unwrap();
            assert_eq!(mk.s, s0, "{y:?}");
            let expected = if has_ties { PMethod::ExactTies } else { PMethod::Exact };
            assert_eq!(mk.method, expected, "{y:?}");
            assert_close(mk.p_value, count as f64 / total, EXACT, &format!("{alternative:?} p of {y:?}"));
        }
    }
}

/// pyMannKendall 1.4.3 `test_original_test`: 360 monthly values with 7 missing (dropped, n =
/// 353), so the p-value is the normal approximation (two-sided).
#[test]
fn pymannkendall_original_test() {
    let mk = mann_kendall(&PYMK_SERIES, Alternative::TwoSided).unwrap();
    assert_eq!((mk.n, mk.s, mk.method), (353, -1959, PMethod::Normal));
    assert_close(mk.var_s, 4889800.333333333, 1e-6, "var_s");
    assert_close(mk.z, -0.8854562842589916, EXACT, "z");
    assert_close(mk.tau, -0.03153167653875869, EXACT, "Tau");
    // p goes through the normal CDF: statrs's and scipy's agree to ~3e-11 here (DIST).
    assert_close(mk.p_value, 0.37591058740506833, DIST, "p");
}

#[test]
fn mann_kendall_edge_cases() {
    // A constant series: S = 0 with certainty, p = 1 (exact) — and by the normal branch too.
    let flat = mann_kendall(&[3.0; 5], Alternative::Increasing).unwrap();
    assert_eq!((flat.s, flat.var_s, flat.z, flat.p_value, flat.method), (0, 0.0, 0.0, 1.0, PMethod::ExactTies));
    let flat = mann_kendall(&[3.0; 12], Alternative::TwoSided).unwrap();
    assert_eq!((flat.s, flat.var_s, flat.z, flat.p_value, flat.method), (0, 0.0, 0.0, 1.0, PMethod::Normal));
    // Missing values are dropped: n counts the present ones.
    let mk = mann_kendall(&[1.0, NAN, 2.0, 3.0, NAN], Alternative::Increasing).unwrap();
    assert_eq!((mk.n, mk.s), (3, 3));
    assert_close(mk.p_value, 1.0 / 6.0, EXACT, "n = 3, monotone");
    // n < 3: no test.
    let message = method_message(mann_kendall(&[1.0, 2.0], Alternative::TwoSided), "mann_kendall");
    assert!(message.contains("at least 3"), "{message}");
    method_message(mann_kendall(&[1.0, NAN, 2.0, NAN], Alternative::TwoSided), "mann_kendall");
    method_message(mann_kendall(&[1.0, f64::INFINITY, 2.0], Alternative::TwoSided), "mann_kendall");
    // n = 10 is exact, n = 11 normal.
    let ten: Vec<f64> = (0..10).map(f64::from).collect();
    assert_eq!(mann_kendall(&ten, Alternative::TwoSided).unwrap().method, PMethod::Exact);
    let eleven: Vec<f64> = (0..11).map(f64::from).collect();
    assert_eq!(mann_kendall(&eleven, Alternative::TwoSided).unwrap().method, PMethod::Normal);
    assert_close(
        mann_kendall(&ten, Alternative::Increasing).unwrap().p_value,
        1.0 / 3_628_800.0,
        1e-20,
        "n = 10 monotone: 1/10!",
    );
}

// ---------------------------------------------------------------- Sen's slope

/// pyMannKendall 1.4.3 `test_sens_slope`: its slopes use positions 0..359 with the missing
/// values' positions kept, and intercept = nanmedian(x) − median(positions present) × slope;
/// `sen_slope` with t = 0..359 is the same computation.
#[test]
fn pymannkendall_sens_slope() {
    let t: Vec<f64> = (0..PYMK_SERIES.len()).map(|i| i as f64).collect();
    let sen = sen_slope(&t, &PYMK_SERIES, 0.05).unwrap();
    assert_eq!(sen.n, 353);
    assert_close(sen.slope, -0.006369426751592357, EXACT, "slope");
    assert_close(sen.intercept, 96.15286624203821, EXACT, "intercept");
    // Not from pyMannKendall (no interval there): own computation in Python of the ranks of
    // R trend::sens.slope, C = 1.959963984540054 × √4889800.333, N = 62128 slopes → ranks
    // round((N − C)/2) = 28897 and round((N + C)/2 + 1) = 33232 of the sorted slopes.
    let (lo, hi) = sen.ci.expect("n = 353 has an interval");
    assert_close(lo, -0.06557377049180328, EXACT, "CI low (-4/61)");
    assert_close(hi, 0.015748031496062992, EXACT, "CI high (2/127)");
}

/// Five annual points: Gilbert's ranks are round(0.9992) = 1 and round(10.0008) = 10 of the ten
/// slopes, so the 95% interval is their range; four points give ranks 0 and 7: no interval.
#[test]
fn sen_interval_of_short_series() {
    let years = [2016.0, 2017.0, 2018.0, 2019.0, 2020.0];
    let y = [61.0, 63.5, 62.0, 66.2, 70.1];
    let sen = sen_slope(&years, &y, 0.05).unwrap();
    // Slopes sorted: −1.5, 0.5, 1.35, 1.7333, 2.2, 2.275, 2.5, 3.9, 4.05, 4.2.
    assert_close(sen.slope, (2.2 + 2.275) / 2.0, HAND, "median slope");
    assert_close(sen.intercept, 63.5 - 2.2375 * 2018.0, 1e-9 * 4500.0, "median(y) - slope * median(t)");
    let (lo, hi) = sen.ci.expect("n = 5 reaches ranks 1 and 10");
    assert_close(lo, -1.5, HAND, "CI low");
    assert_close(hi, 4.2, HAND, "CI high");
    assert_eq!(sen_slope(&years[..4], &y[..4], 0.05).unwrap().ci, None);
    // A wider α narrows the ranks: at α = 0.5, C = 0.674 × √16.667 = 2.754, ranks 4 and 7.
    let (lo, hi) = sen_slope(&years, &y, 0.5).unwrap().ci.unwrap();
    assert_close(lo, 26.0 / 15.0, HAND, "α = 0.5 low");
    assert_close(hi, 2.5, HAND, "α = 0.5 high");
    // A constant series: slope 0, interval (0, 0).
    let flat = sen_slope(&years, &[5.0; 5], 0.05).unwrap();
    assert_eq!((flat.slope, flat.intercept, flat.ci), (0.0, 5.0, Some((0.0, 0.0))));
    spec_message(sen_slope(&years, &y, 0.0));
    spec_message(sen_slope(&years, &y, 1.0));
    method_message(sen_slope(&[2020.0], &[1.0], 0.05), "sen_slope");
}

// ---------------------------------------------------------------- OLS

/// y = 2, 4, 5, 8 at t = 1..4 by hand: t̄ = 2.5, ȳ = 4.75, S_tt = 5, S_ty = 9.5, S_yy = 18.75;
/// b = 1.9, a = 0, R² = 9.5²/(5 × 18.75) = 361/375, SSE = 18.75 − 1.9 × 9.5 = 0.7,
/// se = √(0.7/2/5) = √0.07. With 2 df the t distribution is closed-form: two-sided
/// p = 1 − |T|/√(2 + T²) and t_{0.975} = 0.95/√(2 × 0.975 × 0.025).
#[test]
fn ols_by_hand_on_four_points() {
    let fit = ols(&[1.0, 2.0, 3.0, 4.0], &[2.0, 4.0, 5.0, 8.0]).unwrap();
    assert_eq!(fit.n, 4);
    assert_close(fit.slope, 1.9, HAND, "slope");
    assert_close(fit.intercept, 0.0, HAND, "intercept");
    assert_close(fit.r_squared.unwrap(), 361.0 / 375.0, HAND, "R²");
    let se = 0.07f64.sqrt();
    assert_close(fit.slope_se.unwrap(), se, HAND, "se");
    let t_stat = 1.9 / se;
    assert_close(fit.p_value.unwrap(), 1.0 - t_stat / (2.0 + t_stat * t_stat).sqrt(), DIST, "p, hand");
    // scipy 1.17.1: linregress(...).pvalue
    assert_close(fit.p_value.unwrap(), 0.018844218960787695, DIST, "p, scipy");
    let q = 0.95 / (2.0f64 * 0.975 * 0.025).sqrt();
    let (lo, hi) = fit.ci95.unwrap();
    assert_close(lo, 1.9 - q * se, DIST, "CI low, hand");
    assert_close(hi, 1.9 + q * se, DIST, "CI high, hand");
    // scipy 1.17.1: slope ∓ t.ppf(0.975, 2) × stderr
    assert_close(lo, 0.7616250899209722, DIST, "CI low, scipy");
    assert_close(hi, 3.0383749100790274, DIST, "CI high, scipy");
}

#[test]
fn ols_edge_cases() {
    // n = 2: the line through both points, no inference.
    let two = ols(&[2019.0, 2021.0], &[10.0, 14.0]).unwrap();
    assert_eq!((two.slope, two.slope_se, two.ci95, two.p_value), (2.0, None, None, None));
    assert_close(two.intercept, 10.0 - 2.0 * 2019.0, HAND, "intercept at year 0");
    assert_eq!(two.r_squared, Some(1.0));
    // n = 1: an error.
    method_message(ols(&[2020.0], &[1.0]), "ols");
    method_message(ols(&[2020.0, 2021.0], &[1.0, NAN]), "ols");
    // A constant series: slope 0, no R², p = 1 (as scipy).
    let flat = ols(&[1.0, 2.0, 3.0, 4.0], &[7.0; 4]).unwrap();
    assert_eq!(
        (flat.slope, flat.r_squared, flat.slope_se, flat.ci95, flat.p_value),
        (0.0, None, Some(0.0), Some((0.0, 0.0)), Some(1.0))
    );
    // An exact line: R² = 1, se = 0, p = 0.
    let line = ols(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]).unwrap();
    assert_eq!((line.slope, line.r_squared, line.slope_se, line.p_value), (2.0, Some(1.0), Some(0.0), Some(0.0)));
}

// ---------------------------------------------------------------- gaps in the years

/// Check-ups in 2008, 2010, 2011 and 2014 (gaps): every statistic uses the real years.
/// By hand (exact fractions): t̄ = 8043/4, ȳ = 47/4, S_tt = 75/4, S_ty = 55/4, S_yy = 45/4;
/// b = 11/15, a = 47/4 − 11/15 × 8043/4 = −7314/5, R² = 121/135, se² = (45/4 − 11/15 × 55/4)/2
/// /(75/4) = 7/225. Sen: slopes 0.75, 1/3, 0.75, −0.5, 0.75, 7/6 → 0.75; a = 11.25 − 0.75 ×
/// 2010.5. Positions 0..3 instead would give OLS slope 1.3 and Sen slope 1.5.
#[test]
fn gaps_use_real_years() {
    let years = [2008.0, 2010.0, 2011.0, 2014.0];
    let y = [10.0, 11.5, 11.0, 14.5];
    let fit = ols(&years, &y).unwrap();
    assert_close(fit.slope, 11.0 / 15.0, HAND, "OLS slope per year");
    assert_close(fit.intercept, -7314.0 / 5.0, 1e-9 * 7314.0 / 5.0, "OLS intercept at year 0");
    assert_close(fit.r_squared.unwrap(), 121.0 / 135.0, HAND, "R²");
    let se = 7.0f64.sqrt() / 15.0;
    assert_close(fit.slope_se.unwrap(), se, HAND, "se");
    let t_stat = (11.0 / 15.0) / se;
    assert_close(fit.p_value.unwrap(), 1.0 - t_stat / (2.0 + t_stat * t_stat).sqrt(), DIST, "p, hand");
    // scipy 1.17.1: linregress(years, y)
    assert_close(fit.p_value.unwrap(), 0.05327073759374257, DIST, "p, scipy");
    let (lo, hi) = fit.ci95.unwrap();
    assert_close(lo, -0.025583273386018734, DIST, "CI low, scipy");
    assert_close(hi, 1.4922499400526852, DIST, "CI high, scipy");

    let sen = sen_slope(&years, &y, 0.05).unwrap();
    assert_eq!(sen.slope, 0.75);
    assert_close(sen.intercept, 11.25 - 0.75 * 2010.5, HAND, "Sen intercept");
    let positions = sen_slope(&[0.0, 1.0, 2.0, 3.0], &y, 0.05).unwrap();
    assert_close(positions.slope, 1.5, HAND, "by positions (pyMannKendall's convention)");
    assert_close(ols(&[0.0, 1.0, 2.0, 3.0], &y).unwrap().slope, 1.3, HAND, "OLS by positions");

    // Mann-Kendall uses the order only: S = 5 − 1 = 4; exact P(S >= 4) = (1 + 3)/24.
    let mk = mann_kendall(&y, Alternative::TwoSided).unwrap();
    assert_eq!((mk.s, mk.method), (4, PMethod::Exact));
    assert_close(mk.p_value, 8.0 / 24.0, EXACT, "two-sided exact p");

    // A missing value drops its year, the others keep theirs.
    let with_gap = ols(&[2008.0, 2009.0, 2010.0, 2011.0, 2014.0], &[10.0, NAN, 11.5, 11.0, 14.5]).unwrap();
    assert_eq!(with_gap.n, 4);
    assert_close(with_gap.slope, 11.0 / 15.0, HAND, "NaN pair dropped");
}

#[test]
fn series_must_have_increasing_distinct_years() {
    let message = spec_message(ols(&[2008.0, 2010.0, 2010.0, 2014.0], &[1.0, 2.0, 3.0, 4.0]));
    assert!(message.contains("2010") && message.contains("twice"), "{message}");
    let message = spec_message(sen_slope(&[2008.0, 2011.0, 2010.0], &[1.0, 2.0, 3.0], 0.05));
    assert!(message.contains("2010") && message.contains("2011"), "{message}");
    spec_message(ols(&[2008.0, 2010.0], &[1.0, 2.0, 3.0]));
    // A repeated year whose value is missing is dropped before the check.
    let s = Series::new(&[2008.0, 2010.0, 2010.0, 2014.0], &[1.0, NAN, 3.0, 4.0]).unwrap();
    assert_eq!(s.t(), &[2008.0, 2010.0, 2014.0]);
    assert_eq!(s.len(), 3);
}

// ---------------------------------------------------------------- CAGR and change

#[test]
fn cagr_and_change_by_hand() {
    // 100 → 121 in two years: 1.21^(1/2) − 1 = 0.1.
    assert_close(cagr(2018.0, 100.0, 2020.0, 121.0).unwrap(), 0.1, HAND, "CAGR 10%");
    // 50 → 80 over 2015–2020: 1.6^(1/5) − 1.
    assert_close(cagr(2015.0, 50.0, 2020.0, 80.0).unwrap(), 1.6f64.powf(0.2) - 1.0, HAND, "CAGR");
    // A decline: 80 → 50 over 5 years is (5/8)^(1/5) − 1 < 0.
    assert_close(cagr(2015.0, 80.0, 2020.0, 50.0).unwrap(), 0.625f64.powf(0.2) - 1.0, HAND, "negative CAGR");
    let message = method_message(cagr(2015.0, -3.0, 2020.0, 80.0), "cagr");
    assert!(message.contains("undefined") && message.contains("-3"), "{message}");
    method_message(cagr(2015.0, 50.0, 2020.0, 0.0), "cagr");
    method_message(cagr(2015.0, NAN, 2020.0, 80.0), "cagr");
    spec_message(cagr(2020.0, 50.0, 2020.0, 80.0));
    spec_message(cagr(2021.0, 50.0, 2020.0, 80.0));

    let c = change(80.0, 92.0);
    assert_eq!((c.absolute, c.relative), (12.0, Some(0.15)));
    let c = change(-40.0, -30.0);
    assert_eq!((c.absolute, c.relative), (10.0, Some(0.25)), "relative to |y_first|: an increase stays positive");
    assert_eq!(change(0.0, 5.0).relative, None);
}

/// pyMannKendall's `arbitrary_1d_data` (tests/test_pymannkendall.py), 360 values, `NAN` where
/// the source has missing values.
#[rustfmt::skip]
const PYMK_SERIES: [f64; 360] = [
    32.0, 20.0, 25.0, 189.0, 240.0, 193.0, 379.0, 278.0, 301.0, 0.0, 0.0, 82.0,
    0.0, 4.0, NAN, NAN, 121.0, 234.0, 360.0, 262.0, 120.0, 30.0, 11.0, 1.0,
    7.0, 3.0, 31.0, 31.0, 355.0, 102.0, 248.0, 274.0, 308.0, NAN, 5.0, 26.0,
    11.0, 16.0, 6.0, 48.0, 388.0, 539.0, 431.0, 272.0, 404.0, 186.0, 0.0, 2.0,
    0.0, 4.0, 1.0, 54.0, 272.0, 459.0, 235.0, 164.0, 365.0, 135.0, 2.0, NAN,
    NAN, 4.0, 0.0, 128.0, 210.0, 163.0, 446.0, 225.0, 462.0, 467.0, 19.0, 13.0,
    0.0, 3.0, 17.0, 132.0, 178.0, 338.0, 525.0, 623.0, 145.0, 31.0, 19.0, 3.0,
    0.0, 29.0, 25.0, 87.0, 259.0, 756.0, 486.0, 180.0, 292.0, 43.0, 92.0, 1.0,
    0.0, 16.0, 2.0, 0.0, 130.0, 253.0, 594.0, 111.0, 273.0, 30.0, 0.0, 4.0,
    0.0, 27.0, 24.0, 41.0, 292.0, 378.0, 499.0, 265.0, 320.0, 227.0, 4.0, 0.0,
    4.0, 14.0, 8.0, 48.0, 416.0, 240.0, 404.0, 207.0, 733.0, 105.0, 0.0, 112.0,
    0.0, 14.0, 0.0, 30.0, 140.0, 202.0, 289.0, 159.0, 424.0, 106.0, 3.0, 0.0,
    65.0, 3.0, 14.0, 58.0, 268.0, 466.0, 432.0, 266.0, 240.0, 95.0, 1.0, 0.0,
    10.0, 26.0, 4.0, 114.0, 94.0, 289.0, 173.0, 208.0, 263.0, 156.0, 5.0, 0.0,
    16.0, 16.0, 14.0, 0.0, 111.0, 475.0, 534.0, 432.0, 471.0, 117.0, 70.0, 1.0,
    3.0, 28.0, 7.0, 401.0, 184.0, 283.0, 338.0, 171.0, 335.0, 176.0, 0.0, 0.0,
    10.0, 11.0, 9.0, 140.0, 102.0, 208.0, 298.0, 245.0, 220.0, 29.0, 2.0, 27.0,
    10.0, 13.0, 26.0, 84.0, 143.0, 367.0, 749.0, 563.0, 283.0, 353.0, 10.0, 0.0,
    0.0, 0.0, 0.0, 9.0, 246.0, 265.0, 343.0, 429.0, 168.0, 133.0, 17.0, 0.0,
    18.0, 35.0, 76.0, 158.0, 272.0, 250.0, 190.0, 289.0, 466.0, 84.0, 0.0, 0.0,
    0.0, 0.0, 0.0, 22.0, 217.0, 299.0, 185.0, 115.0, 344.0, 203.0, 8.0, NAN,
    NAN, 0.0, 5.0, 284.0, 123.0, 254.0, 476.0, 496.0, 326.0, 27.0, 20.0, 0.0,
    4.0, 53.0, 72.0, 113.0, 214.0, 364.0, 219.0, 220.0, 156.0, 264.0, 0.0, 13.0,
    0.0, 0.0, 45.0, 90.0, 137.0, 638.0, 529.0, 261.0, 206.0, 251.0, 0.0, 0.0,
    5.0, 9.0, 58.0, 72.0, 138.0, 130.0, 471.0, 328.0, 356.0, 523.0, 0.0, 1.0,
    0.0, 0.0, 12.0, 143.0, 193.0, 184.0, 192.0, 138.0, 174.0, 69.0, 1.0, 0.0,
    0.0, 18.0, 25.0, 28.0, 92.0, 732.0, 320.0, 256.0, 302.0, 131.0, 15.0, 0.0,
    27.0, 0.0, 22.0, 20.0, 213.0, 393.0, 474.0, 374.0, 109.0, 159.0, 0.0, 0.0,
    0.0, 3.0, 3.0, 49.0, 205.0, 128.0, 194.0, 570.0, 169.0, 89.0, 0.0, 0.0,
    0.0, 0.0, 0.0, 26.0, 185.0, 286.0, 92.0, 225.0, 244.0, 190.0, 3.0, 20.0,
];
