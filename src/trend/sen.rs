//! Sen's slope (the Theil-Sen estimator) over real time differences, with Gilbert's confidence
//! interval.
//!
//! # Formula
//! ```text
//! d_ij   = (y_j − y_i) / (t_j − t_i),   i < j          (N = n(n−1)/2 pairwise slopes)
//! slope  = median(d)
//! a      = median(y) − slope · median(t)               (Conover 1980)
//! C      = z_{1−α/2} √Var(S)                          (Var(S): Mann-Kendall, tie-corrected)
//! M1     = round((N − C)/2),   M2 = round((N + C)/2 + 1)
//! CI     = [d_(M1), d_(M2)]                           (d sorted ascending, ranks 1-based)
//! ```
//! Medians of an even count are the mean of the two middle values (as numpy). The ranks are
//! rounded to the nearest integer (ties to even, as R's `round`) exactly as in
//! `trend::sens.slope` (Pohlert), not interpolated; the interval is `None` when M1 < 1 or
//! M2 > N, i.e. the series is too short for the level 1 − α (at α = 0.05: n ≤ 4, while n = 5
//! gives the range of the ten slopes).
//!
//! # Intercept convention
//! `sen_intercept = "medians"` (default) is the formula above; `"residuals"` is
//! a = median(y − slope · t), the median residual (scipy.stats.theilslopes `method="joint"`),
//! [`sen_slope_with`].
//!
//! With real years, `a` is the line's value in year 0. pyMannKendall's `sens_slope` uses the
//! positions 0, 1, …, including those of missing values: [`sen_slope`] with t = 0..len − 1
//! and the `NaN`s left in place reproduces its slope and intercept exactly.
//!
//! # References
//! Sen (1968), JASA 63(324):1379–1389; Gilbert (1987), *Statistical Methods for Environmental
//! Pollution Monitoring*, §16.5; Conover (1980), *Practical Nonparametric Statistics*, 2nd ed.,
//! §5.5; Pohlert, R package `trend`, `sens.slope`; Hussain & Mahmud (2019), pyMannKendall.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use super::mann_kendall::variance_s;
use super::{median_in_place, median_sorted, Series};
use crate::error::{Error, Result};

/// How Sen's intercept is computed (`sen_intercept`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SenIntercept {
    /// a = median(y) − slope · median(t) (default; Conover 1980, pyMannKendall's
    /// `sens_slope`, scipy.stats.theilslopes `method="separate"`).
    #[default]
    Medians,
    /// a = median(y − slope · t), the median residual (scipy.stats.theilslopes
    /// `method="joint"`, R's `zyp.sen`).
    Residuals,
}

impl std::str::FromStr for SenIntercept {
    type Err = Error;

    fn from_str(name: &str) -> Result<SenIntercept> {
        match name.trim() {
            "medians" => Ok(SenIntercept::Medians),
            "residuals" => Ok(SenIntercept::Residuals),
            other => Err(crate::names::unknown("Sen intercept", other, &["medians", "residuals"])),
        }
    }
}

/// Sen's slope of one series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SenSlope {
    /// Number of present (t, y) pairs.
    pub n: usize,
    /// Median pairwise slope, per unit of t (per year).
    pub slope: f64,
    /// median(y) − slope · median(t): the robust line's value at t = 0.
    pub intercept: f64,
    /// Confidence interval of level 1 − `alpha` (Gilbert 1987); `None` when the series is too
    /// short for that level.
    pub ci: Option<(f64, f64)>,
    /// The α of `ci`.
    pub alpha: f64,
}

/// Sen's slope of `y` on the times `t` (real years; gaps allowed), with a 1 − `alpha`
/// confidence interval.
///
/// `NaN` pairs are dropped ([`Series::new`]). See the module documentation for the formulas,
/// the rounding of the interval's ranks and the intercept convention.
///
/// # Errors
/// [`Error::Spec`] for `alpha` outside (0, 1), for times that are repeated, out of order or
/// infinite, or slices of different lengths; [`Error::Method`] for an infinite value or fewer
/// than 2 present pairs.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// // Gaps in the years: slopes per year over the real differences.
/// let years = [2008.0, 2010.0, 2011.0, 2014.0];
/// let sen = citycheck::trend::sen_slope(&years, &[10.0, 11.5, 11.0, 14.5], 0.05)?;
/// assert_eq!(sen.slope, 0.75); // median of −0.5, 1/3, 0.75, 0.75, 0.75, 7/6
/// assert_eq!(sen.ci, None); // four points cannot give a 95% interval
/// # Ok(()) }
/// ```
///
/// # References
/// Sen (1968); Gilbert (1987), §16.5.
pub fn sen_slope(t: &[f64], y: &[f64], alpha: f64) -> Result<SenSlope> {
    sen_slope_with(t, y, alpha, SenIntercept::Medians)
}

/// [`sen_slope`] with the intercept convention `intercept` ([`SenIntercept`]); the slope and
/// the interval do not depend on it.
///
/// # Errors
/// As [`sen_slope`].
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::trend::{sen_slope_with, SenIntercept};
/// let (t, y) = ([0.0, 1.0, 2.0, 3.0, 4.0], [5.0, 1.0, 2.0, 3.0, 10.0]);
/// // Slope 1; residuals y − t = 5, 0, 0, 0, 6: median 0, where median(y) − 1 · median(t) = 1.
/// let joint = sen_slope_with(&t, &y, 0.05, SenIntercept::Residuals)?;
/// assert_eq!((joint.slope, joint.intercept), (1.0, 0.0));
/// let separate = sen_slope_with(&t, &y, 0.05, SenIntercept::Medians)?;
/// assert_eq!(separate.intercept, 1.0);
/// # Ok(()) }
/// ```
pub fn sen_slope_with(t: &[f64], y: &[f64], alpha: f64, intercept: SenIntercept) -> Result<SenSlope> {
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(Error::Spec(format!("sen_slope: alpha {alpha} must be in (0, 1)")));
    }
    let series = Series::check("sen_slope", t, y)?;
    let (t, y) = (series.t(), series.y());
    let n = t.len();
    if n < 2 {
        return Err(Error::method("sen_slope", None, format!("needs at least 2 present (t, y) pairs, got {n}")));
    }
    let mut slopes = Vec::with_capacity(n * (n - 1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            slopes.push((y[j] - y[i]) / (t[j] - t[i]));
        }
    }
    // Times strictly increasing and values finite: every slope is finite.
    slopes.sort_unstable_by(f64::total_cmp);
    let slope = median_sorted(&slopes);
    let intercept = match intercept {
        SenIntercept::Medians => {
            let mut y_sorted = y.to_vec();
            median_in_place(&mut y_sorted) - slope * median_sorted(t)
        }
        SenIntercept::Residuals => {
            let mut residuals: Vec<f64> = y.iter().zip(t).map(|(yi, ti)| yi - slope * ti).collect();
            median_in_place(&mut residuals)
        }
    };

    let pairs = slopes.len() as f64;
    let c = Normal::standard().inverse_cdf(1.0 - alpha / 2.0) * variance_s(y).sqrt();
    let lower = ((pairs - c) / 2.0).round_ties_even();
    let upper = ((pairs + c) / 2.0 + 1.0).round_ties_even();
    let ci = (lower >= 1.0 && upper <= pairs).then(|| (slopes[lower as usize - 1], slopes[upper as usize - 1]));
    Ok(SenSlope { n, slope, intercept, ci, alpha })
}
