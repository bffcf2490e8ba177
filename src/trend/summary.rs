//! Every trend statistic of one series at once, with a direction-aware verdict: one row of
//! `trends.csv` (and of `citycheck trend`).
//!
//! # Verdict
//! The Mann-Kendall test decides, two-sided at level α: p < α with S > 0 is an increasing
//! trend, with S < 0 a decreasing one. Which of them is *improving* depends on the indicator's
//! direction: higher-is-better improves when increasing, lower-is-better when decreasing; for
//! a band or target direction the test runs on the distance to the best interval (0 inside),
//! which improves when decreasing. A series too short for the test to reach p < α at all —
//! fewer than 3 points, or a smallest attainable p ≥ α (n = 4 at α = 0.05: 2/24 = 0.083) — is
//! `too_short`, never "no clear trend": that would claim a test was possible. Five annual
//! check-ups reach p < 0.05 two-sided (smallest p 1/60) only with a strictly monotone series.
//!
//! [`summarize_with`] and [`verdict_of_with`] take the conventions of [`TrendOptions`]: the
//! p-value method, a one-sided alternative (the verdict then needs p < α in the tested
//! direction: a one-sided test cannot find the other trend), τ_b and Sen's intercept.
//!
//! # What is missing when
//! n = 1: only start and end values. n = 2: change, CAGR, the OLS line without inference and
//! Sen's slope without interval; no Mann-Kendall. Each missing statistic gets a reason in
//! [`Summary::notes`]; nothing is `NaN`.

use serde::Serialize;

use super::{
    cagr, change, mann_kendall_with, ols, sen_slope_with, Alternative, MannKendall, PMethod, Series, TrendOptions,
};
use crate::direction::Direction;
use crate::error::Result;

/// The verdict on a series (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A significant trend in the good direction.
    Improving,
    /// A significant trend in the bad direction.
    Worsening,
    /// The test could have reached significance but did not.
    NoClearTrend,
    /// Too few points for the test to reach p < α at all.
    TooShort,
}

impl Verdict {
    /// `improving`, `worsening`, `no_clear_trend` or `too_short`, as in serde.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Improving => "improving",
            Verdict::Worsening => "worsening",
            Verdict::NoClearTrend => "no_clear_trend",
            Verdict::TooShort => "too_short",
        }
    }
}

/// All statistics of one series; `None` where a statistic cannot be computed (see `notes`).
/// Each field is the column of the same name in `trends.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// Present (t, y) pairs.
    pub n: usize,
    /// Time (year) of the first present pair; `None` when n = 0.
    pub first_year: Option<f64>,
    /// Time (year) of the last present pair; `None` when n = 0.
    pub last_year: Option<f64>,
    /// The first present value; `None` when n = 0.
    pub start_value: Option<f64>,
    /// The last present value; `None` when n = 0.
    pub end_value: Option<f64>,
    /// end − start; `None` when n < 2.
    pub change: Option<f64>,
    /// (end − start)/|start|; `None` when n < 2 or start = 0.
    pub rel_change: Option<f64>,
    /// Compound annual growth rate (0.1 = 10% a year); `None` when n < 2 or a value ≤ 0.
    pub cagr: Option<f64>,
    /// OLS slope, change per year; `None` when n < 2.
    pub ols_slope: Option<f64>,
    /// OLS intercept, the line's value in year 0; `None` when n < 2.
    pub ols_intercept: Option<f64>,
    /// OLS R², in [0, 1]; `None` when n < 2 or the series is constant.
    pub ols_r2: Option<f64>,
    /// Standard error of the OLS slope; `None` when n < 3.
    pub ols_se: Option<f64>,
    /// Two-sided p of the OLS slope (Student t, n − 2 df); `None` when n < 3.
    pub ols_p: Option<f64>,
    /// Lower end of the slope's 95% confidence interval; `None` when n < 3.
    pub ols_ci_low: Option<f64>,
    /// Upper end of the slope's 95% confidence interval; `None` when n < 3.
    pub ols_ci_high: Option<f64>,
    /// Mann-Kendall S = Σ_{i<j} sgn(y_j − y_i); `None` when n < 3.
    pub mk_s: Option<i64>,
    /// Var(S), tie-corrected; `None` when n < 3.
    pub mk_var_s: Option<f64>,
    /// Mann-Kendall Z (continuity-corrected); `None` when n < 3.
    pub mk_z: Option<f64>,
    /// Kendall's τ_a = S/(n(n−1)/2) (τ_b with `tau = "b"`), in [−1, 1]; `None` when n < 3.
    pub mk_tau: Option<f64>,
    /// Mann-Kendall p, two-sided unless `alternative` says otherwise; `None` when n < 3.
    pub mk_p: Option<f64>,
    /// `exact` (also with ties: the exact permutation distribution given the tie groups,
    /// said in `notes`), `normal` (continuity-corrected) or `normal_uncorrected`
    /// (`p_value = "normal"`).
    pub mk_p_method: Option<&'static str>,
    /// Sen's slope, the median of pairwise slopes, per year; `None` when n < 2.
    pub sen_slope: Option<f64>,
    /// Sen's intercept, median(y) − slope·median(t) (median(y − slope·t) with
    /// `sen_intercept = "residuals"`); `None` when n < 2.
    pub sen_intercept: Option<f64>,
    /// Lower end of Sen's 1 − α interval; `None` when the series is too short for it.
    pub sen_ci_low: Option<f64>,
    /// Upper end of Sen's 1 − α interval; `None` when the series is too short for it.
    pub sen_ci_high: Option<f64>,
    /// Improving, worsening, no clear trend or too short, by the indicator's direction.
    pub verdict: Verdict,
    /// Why a statistic is missing, and caveats (ties, short series).
    pub notes: Vec<String>,
}

/// Every statistic of the series (`t`, `y`) (gaps allowed, `NaN` pairs dropped), the
/// Mann-Kendall verdict at level `alpha` for an indicator of direction `better`, and Sen's
/// interval at level 1 − `alpha`.
///
/// # Errors
/// [`Error::Spec`](crate::Error::Spec) for `alpha` outside (0, 1) and for times that are
/// repeated, out of order or infinite; [`Error::Method`](crate::Error::Method) for an infinite
/// value. A short or constant series is not an error: its missing statistics have notes.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::direction::Direction;
/// use citycheck::trend::{summarize, Verdict};
/// let years = [2021.0, 2022.0, 2023.0, 2024.0, 2025.0];
/// // Fewer sewage overflows every year: a lower-is-better indicator improving.
/// let s = summarize(&years, &[9.0, 7.0, 6.0, 4.0, 3.0], 0.05, Direction::Lower)?;
/// assert_eq!(s.verdict, Verdict::Improving);
/// assert_eq!(s.mk_p, Some(1.0 / 60.0)); // the smallest two-sided p five points can give
/// let short = summarize(&years[..4], &[9.0, 7.0, 6.0, 4.0], 0.05, Direction::Lower)?;
/// assert_eq!(short.verdict, Verdict::TooShort);
/// # Ok(()) }
/// ```
pub fn summarize(t: &[f64], y: &[f64], alpha: f64, better: Direction) -> Result<Summary> {
    summarize_with(t, y, alpha, better, TrendOptions::default())
}

/// [`summarize`] with the conventions of `options` (`p_value`, `alternative`, `tau`,
/// `sen_intercept`).
///
/// # Errors
/// As [`summarize`]; [`Error::Spec`](crate::Error::Spec) for `p_value = "exact"` on a series
/// of more than [`EXACT_MAX_N`](super::EXACT_MAX_N) present values.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::direction::Direction;
/// use citycheck::trend::{summarize_with, PValue, Tau, TrendOptions};
/// let years = [2021.0, 2022.0, 2023.0, 2024.0];
/// let options = TrendOptions { p_value: PValue::NormalCc, tau: Tau::B, ..TrendOptions::default() };
/// let s = summarize_with(&years, &[1.0, 2.0, 2.0, 3.0], 0.05, Direction::Higher, options)?;
/// assert!((s.mk_tau.unwrap() - 5.0 / 30f64.sqrt()).abs() < 1e-15); // S = 5, n0 = 6, n1 = 1
/// assert_eq!(s.mk_p_method, Some("normal"));
/// # Ok(()) }
/// ```
pub fn summarize_with(t: &[f64], y: &[f64], alpha: f64, better: Direction, options: TrendOptions) -> Result<Summary> {
    let mut s = summarize_unguarded(t, y, alpha, better, options)?;
    drop_non_finite(&mut s);
    Ok(s)
}

/// Empties every statistic that is not a finite number (values near the limits of f64, e.g.
/// a start of 1e-320 or values of 1e308) and says which in a note: never `NaN` or inf.
fn drop_non_finite(s: &mut Summary) {
    let mut dropped = Vec::new();
    for (name, cell) in [
        ("change", &mut s.change),
        ("rel_change", &mut s.rel_change),
        ("cagr", &mut s.cagr),
        ("ols_slope", &mut s.ols_slope),
        ("ols_intercept", &mut s.ols_intercept),
        ("ols_r2", &mut s.ols_r2),
        ("ols_se", &mut s.ols_se),
        ("ols_p", &mut s.ols_p),
        ("ols_ci_low", &mut s.ols_ci_low),
        ("ols_ci_high", &mut s.ols_ci_high),
        ("mk_var_s", &mut s.mk_var_s),
        ("mk_z", &mut s.mk_z),
        ("mk_tau", &mut s.mk_tau),
        ("mk_p", &mut s.mk_p),
        ("sen_slope", &mut s.sen_slope),
        ("sen_intercept", &mut s.sen_intercept),
        ("sen_ci_low", &mut s.sen_ci_low),
        ("sen_ci_high", &mut s.sen_ci_high),
    ] {
        if cell.is_some_and(|v| !v.is_finite()) {
            *cell = None;
            dropped.push(name);
        }
    }
    if !dropped.is_empty() {
        s.notes.push(format!(
            "{} not representable in f64 (values too large or too small): left empty",
            dropped.join(", ")
        ));
    }
}

fn summarize_unguarded(t: &[f64], y: &[f64], alpha: f64, better: Direction, options: TrendOptions) -> Result<Summary> {
    check_alpha(alpha)?;
    let series = Series::check("trend", t, y)?;
    let (t, y) = (series.t(), series.y());
    let n = t.len();
    let mut s = Summary {
        n,
        first_year: t.first().copied(),
        last_year: t.last().copied(),
        start_value: y.first().copied(),
        end_value: y.last().copied(),
        change: None,
        rel_change: None,
        cagr: None,
        ols_slope: None,
        ols_intercept: None,
        ols_r2: None,
        ols_se: None,
        ols_p: None,
        ols_ci_low: None,
        ols_ci_high: None,
        mk_s: None,
        mk_var_s: None,
        mk_z: None,
        mk_tau: None,
        mk_p: None,
        mk_p_method: None,
        sen_slope: None,
        sen_intercept: None,
        sen_ci_low: None,
        sen_ci_high: None,
        verdict: Verdict::TooShort,
        notes: Vec::new(),
    };
    if n == 0 {
        s.notes.push("no observation in the window".into());
        return Ok(s);
    }
    if n == 1 {
        s.notes.push("one observation: no change and no trend".into());
        return Ok(s);
    }
    let (y1, yn) = (y[0], y[n - 1]);
    let c = change(y1, yn);
    s.change = Some(c.absolute);
    s.rel_change = c.relative;
    if c.relative.is_none() {
        s.notes.push("rel_change undefined: the start value is 0".into());
    }
    match cagr(t[0], y1, t[n - 1], yn) {
        Ok(rate) => s.cagr = Some(rate),
        Err(_) if y1 > 0.0 && yn > 0.0 => {
            s.notes.push("cagr not representable in f64 (start or end value too small or too large)".into())
        }
        Err(_) => s.notes.push("cagr undefined: a start or end value is <= 0".into()),
    }

    match ols(t, y) {
        Ok(fit) => {
            s.ols_slope = Some(fit.slope);
            s.ols_intercept = Some(fit.intercept);
            s.ols_r2 = fit.r_squared;
            s.ols_se = fit.slope_se;
            s.ols_p = fit.p_value;
            s.ols_ci_low = fit.ci95.map(|ci| ci.0);
            s.ols_ci_high = fit.ci95.map(|ci| ci.1);
            if n < 3 {
                s.notes.push(format!("n = {n}: OLS without inference (needs 3 points)"));
            } else if fit.r_squared.is_none() {
                if y.iter().all(|&v| v == y1) {
                    s.notes.push("constant series: no R² (nothing to explain)".into());
                } else {
                    s.notes.push("ols_r2 not representable in f64 (values too large or small): left empty".into());
                }
            }
            if n >= 3 && (fit.slope_se.is_none() || fit.ci95.is_none() || fit.p_value.is_none()) {
                s.notes.push("OLS inference not representable in f64 (values too large or small): left empty".into());
            }
        }
        // The series was checked above: what is left is a line beyond f64.
        Err(crate::Error::Method { message, .. }) => s.notes.push(format!("no OLS line: {message}")),
        Err(other) => return Err(other),
    }

    let sen = sen_slope_with(t, y, alpha, options.sen_intercept)?;
    s.sen_slope = Some(sen.slope);
    s.sen_intercept = Some(sen.intercept);
    s.sen_ci_low = sen.ci.map(|ci| ci.0);
    s.sen_ci_high = sen.ci.map(|ci| ci.1);
    if sen.ci.is_none() {
        s.notes.push(format!("n = {n}: too short for Sen's {:.0}% interval", 100.0 * (1.0 - alpha)));
    }

    if n < 3 {
        s.notes.push(format!("n = {n}: Mann-Kendall needs 3 points; verdict too_short"));
        return Ok(s);
    }
    let mk = mann_kendall_with(y, options.alternative, options.mann_kendall())?;
    s.mk_s = Some(mk.s);
    s.mk_var_s = Some(mk.var_s);
    s.mk_z = Some(mk.z);
    s.mk_tau = Some(mk.tau);
    s.mk_p = Some(mk.p_value);
    s.mk_p_method = Some(match mk.method {
        PMethod::NormalUncorrected => PMethod::NormalUncorrected.as_str(),
        m if m.is_exact() => "exact",
        _ => "normal",
    });
    if mk.method == PMethod::ExactTies {
        s.notes.push("ties: exact Mann-Kendall p over the permutations of the tie groups".into());
    }
    s.verdict = verdict(y, &mk, alpha, better, options, &mut s.notes)?;
    Ok(s)
}

/// The verdict of [`summarize`] alone, and the Mann-Kendall test behind it (`None` below 3
/// present points): for callers that need only the verdict, e.g. once per year of a series.
///
/// # Errors
/// As [`summarize`].
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::direction::Direction;
/// use citycheck::trend::{verdict_of, Verdict};
/// let years = [2021.0, 2022.0, 2023.0, 2024.0, 2025.0];
/// let (verdict, test) = verdict_of(&years, &[9.0, 7.0, 6.0, 4.0, 3.0], 0.05, Direction::Higher)?;
/// assert_eq!((verdict, test.map(|mk| mk.s)), (Verdict::Worsening, Some(-10)));
/// # Ok(()) }
/// ```
pub fn verdict_of(t: &[f64], y: &[f64], alpha: f64, better: Direction) -> Result<(Verdict, Option<MannKendall>)> {
    verdict_of_with(t, y, alpha, better, TrendOptions::default())
}

/// [`verdict_of`] with the conventions of `options` (the Sen intercept plays no part).
///
/// # Errors
/// As [`summarize_with`].
pub fn verdict_of_with(
    t: &[f64],
    y: &[f64],
    alpha: f64,
    better: Direction,
    options: TrendOptions,
) -> Result<(Verdict, Option<MannKendall>)> {
    check_alpha(alpha)?;
    let series = Series::check("trend", t, y)?;
    if series.len() < 3 {
        return Ok((Verdict::TooShort, None));
    }
    let mk = mann_kendall_with(series.y(), options.alternative, options.mann_kendall())?;
    let v = verdict(series.y(), &mk, alpha, better, options, &mut Vec::new())?;
    Ok((v, Some(mk)))
}

fn check_alpha(alpha: f64) -> Result<()> {
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(crate::Error::Spec(format!("trend: alpha {alpha} must be in (0, 1)")));
    }
    Ok(())
}

/// The direction-aware verdict from the test `mk` of `y` (two-sided unless `options` say
/// otherwise; a band's distance is tested two-sided with the p-value method of `options`).
fn verdict(
    y: &[f64],
    mk: &MannKendall,
    alpha: f64,
    better: Direction,
    options: TrendOptions,
    notes: &mut Vec<String>,
) -> Result<Verdict> {
    let min_p = mk.min_attainable_p;
    if min_p >= alpha {
        notes.push(format!(
            "n = {}: the smallest attainable Mann-Kendall p is {min_p:.3} >= alpha {alpha}; verdict too_short",
            y.len()
        ));
        return Ok(Verdict::TooShort);
    }
    let (s, p, improving_sign) = match better.band() {
        None => (mk.s, mk.p_value, if matches!(better, Direction::Higher) { 1 } else { -1 }),
        Some((a, b)) => {
            // Distance to the best interval: improving when it shrinks.
            let distance: Vec<f64> = y.iter().map(|&v| (a - v).max(v - b).max(0.0)).collect();
            let mk = mann_kendall_with(&distance, Alternative::TwoSided, options.mann_kendall())?;
            (mk.s, mk.p_value, -1)
        }
    };
    Ok(if p >= alpha || s == 0 {
        Verdict::NoClearTrend
    } else if s.signum() == improving_sign {
        Verdict::Improving
    } else {
        Verdict::Worsening
    })
}
