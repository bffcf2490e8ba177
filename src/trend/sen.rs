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
//! With real years, `a` is the line's value in year 0. pyMannKendall's `sens_slope` uses the
//! positions 0, 1, …, including those of missing values: [`sen_slope`] with t = 0..len − 1
//! and the `NaN`s left in place reproduces its slope and intercept exactly.
//!
//! # References
//! Sen (1968), JASA 63(324):1379–1389; Gilbert (1987), *Statistical Methods for Environmental
//! Pollution Monitoring*, §16.5; Conover (1980), *Practical Nonparametric Statistics*, 2nd ed.,
//! §5.5; Pohlert, R package `trend`, `sens.slope`; Hussain & Mahmud (2019), pyMannKendall.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use super::mann_kendall::variance_s;
use super::{median_in_place, median_sorted, Series};
use crate::error::{Error, Result};

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
    let mut y_sorted = y.to_vec();
    let intercept = median_in_place(&mut y_sorted) - slope * median_sorted(t);

    let pairs = slopes.len() as f64;
    let c = Normal::standard().inverse_cdf(1.0 - alpha / 2.0) * variance_s(y).sqrt();
    let lower = ((pairs - c) / 2.0).round_ties_even();
    let upper = ((pairs + c) / 2.0 + 1.0).round_ties_even();
    let ci = (lower >= 1.0 && upper <= pairs).then(|| (slopes[lower as usize - 1], slopes[upper as usize - 1]));
    Ok(SenSlope { n, slope, intercept, ci, alpha })
}
