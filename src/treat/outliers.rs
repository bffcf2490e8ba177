//! Outlier treatment of one indicator (异常值处理), METHODS.md §2: the JRC/OECD rule as
//! implemented in COINr.
//!
//! # Formula
//! ```text
//! test:       treat iff |G1| > skew  AND  G2 > kurtosis          (defaults 2 and 3.5)
//! winsorise:  while the test holds and fewer than winmax points are Winsorised:
//!               G1 ≥ 0:  every value equal to the maximum ← the largest value below it
//!               G1 < 0:  every value equal to the minimum ← the smallest value above it
//!               recompute G1, G2
//! log:        if the test still holds, restore the column and transform it instead:
//!               G1 ≥ 0:  y = ln(x − min + a)
//!               G1 < 0:  y = −ln(max + a − x),      a = 0.01 · (max − min)
//! ```
//! G1 and G2 are the sample skewness and excess kurtosis of the present values
//! ([`skewness`], [`kurtosis`]); G1 in the log step is that of the original column. Both log
//! branches are increasing in x, so the indicator keeps its direction; the smallest
//! (largest) value goes to ln a (−ln a).
//!
//! # Conventions, and where they come from
//! - *Side*: the side is chosen afresh at every step from the sign of the current skewness
//!   (COINr's `winchange = TRUE`, its only behaviour since v1.0), so a Winsorisation that
//!   overshoots can continue on the other side.
//! - *Ties*: all values tied at the extreme move together, and every cell moved counts as a
//!   point, as in COINr ≥ 1.0 (`winsorise`: `nwin = length(imax) + length(imin)`); a step can
//!   therefore take the count past `winmax`. COINr < 1.0 (`coin_win`, which built the ASEM
//!   example) counted steps instead; the two agree whenever the extremes are not tied.
//! - *Thresholds* are strict (|G1| > skew and G2 > kurtosis) as in COINr < 1.0's `treat`;
//!   COINr ≥ 1.0's `check_SkewKurt` also treats a column exactly at a threshold.
//! - *Degenerate columns*: a column with fewer than 4 present values, or all equal, has no
//!   kurtosis and is never treated. Winsorisation never makes a column constant: a step that
//!   would leave a single distinct value is not taken (COINr stops with an error there), and
//!   the column goes on to the log step as if `winmax` had been reached. A column of only two
//!   distinct values (a rare 0/1 indicator, say) is left as it is, reported `None` with the
//!   test still holding: no step can be taken, and any increasing transform of two values is
//!   affine, so the log could not change its skewness or kurtosis either.
//! - *Log*: for positive skew this is exactly COINr's default fallback (`"CTlog"` before
//!   v1.0, `log_CT` since: ln(x − min + 0.01 (max − min))). For negative skew COINr's default
//!   applies the same formula, which lengthens a left tail instead of shortening it; here the
//!   mirror image is used, COINr's `log_CT_plus` (−ln(max + a − x)).
//! - With `log_fallback = false` a column that Winsorisation could not bring within the
//!   thresholds keeps its Winsorised values (COINr ≥ 1.0 with no second treatment), and the
//!   report's `skew_after` / `kurtosis_after` show that the test still holds.
//!
//! # References
//! OECD & JRC (2008), *Handbook on Constructing Composite Indicators*, OECD Publishing;
//! COINr v1.1.14 `R/treat.R` (`Treat`, `winsorise`, `log_CT`, `log_CT_plus`,
//! `check_SkewKurt`) and COINr < 1.0 `R/coin_treat.R` (`treat`, `coin_win`, `loggish`).

use serde::{Deserialize, Serialize};

use super::moments::{kurtosis, skewness};
use crate::kernels::stats;

fn default_winmax() -> usize {
    5
}

fn default_skew() -> f64 {
    2.0
}

fn default_kurtosis() -> f64 {
    3.5
}

fn default_log_fallback() -> bool {
    true
}

/// The outlier rule of a run: when an indicator counts as outlying, and how far Winsorisation
/// may go before the log transform takes over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutlierRule {
    /// Largest number of points to Winsorise (default 5).
    #[serde(default = "default_winmax")]
    pub winmax: usize,
    /// Threshold on |skewness| (default 2).
    #[serde(default = "default_skew")]
    pub skew: f64,
    /// Threshold on the excess kurtosis (default 3.5).
    #[serde(default = "default_kurtosis")]
    pub kurtosis: f64,
    /// Whether to log-transform a column that Winsorisation cannot bring within the
    /// thresholds (default true).
    #[serde(default = "default_log_fallback")]
    pub log_fallback: bool,
}

impl Default for OutlierRule {
    fn default() -> Self {
        OutlierRule {
            winmax: default_winmax(),
            skew: default_skew(),
            kurtosis: default_kurtosis(),
            log_fallback: default_log_fallback(),
        }
    }
}

impl OutlierRule {
    /// Whether a column with this skewness and excess kurtosis is to be treated:
    /// |skewness| > `self.skew` and kurtosis > `self.kurtosis`. Never when either is `NaN`.
    pub fn needs_treatment(&self, skewness: f64, kurtosis: f64) -> bool {
        skewness.abs() > self.skew && kurtosis > self.kurtosis
    }
}

/// A fitted treatment as a map of any value of the indicator, so that parameters fitted on one
/// slice (a year, the panel) treat other values exactly as [`treat_column`] treated the fitting
/// data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Transform {
    /// Untreated: every value as it is.
    None,
    /// Winsorised: values clipped to `[low, high]`, the extremes left after Winsorising.
    Clip {
        /// The smallest value left after Winsorising.
        low: f64,
        /// The largest value left after Winsorising.
        high: f64,
    },
    /// `ln(x − min + a)` (`mirrored = false`) or `−ln(max + a − x)`, a = 0.01 (max − min), with
    /// x first clipped to `[min, max]` of the fitting data (so that the log stays defined).
    Log {
        /// Minimum of the fitting data.
        min: f64,
        /// Maximum of the fitting data.
        max: f64,
        /// The offset, 0.01 (max − min).
        a: f64,
        /// Whether the log is mirrored, for a left-skewed column.
        mirrored: bool,
    },
}

impl Transform {
    /// The transform that reproduces what `treat_column` did: `original` is the column before,
    /// `treated` after, `report` what it returned.
    pub fn fitted(original: &[f64], treated: &[f64], report: &TreatReport) -> Transform {
        match report.treatment {
            Treatment::None => Transform::None,
            Treatment::Winsorised { .. } => {
                let (low, high) = stats::min_max(treated).unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
                Transform::Clip { low, high }
            }
            Treatment::Log => {
                let (min, max) = stats::min_max(original).expect("a treated column has values");
                Transform::Log { min, max, a: 0.01 * (max - min), mirrored: report.skew < 0.0 }
            }
        }
    }

    /// The treated value of `x` (missing stays missing).
    pub fn apply(&self, x: f64) -> f64 {
        match *self {
            Transform::None => x,
            Transform::Clip { low, high } => x.clamp(low, high),
            Transform::Log { min, max, a, mirrored } => {
                let x = x.clamp(min, max);
                if mirrored {
                    -(max + a - x).ln()
                } else {
                    (x - min + a).ln()
                }
            }
        }
    }
}

/// What [`treat_column`] did to a column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Treatment {
    /// Nothing: the column passed the test (or could not be treated at all).
    None,
    /// `low` cells raised to the next-lowest value, `high` cells lowered to the next-highest.
    Winsorised {
        /// Cells raised at the low end.
        low: usize,
        /// Cells lowered at the high end.
        high: usize,
    },
    /// The log transform of the module documentation, applied to the original column.
    Log,
}

/// The outcome of [`treat_column`]: skewness and excess kurtosis before and after, and what
/// was done. The moments are `NaN` where undefined (fewer than 3 or 4 values, or constant).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TreatReport {
    /// Sample skewness before treatment.
    pub skew: f64,
    /// Excess kurtosis before treatment.
    pub kurtosis: f64,
    /// What was done.
    pub treatment: Treatment,
    /// Sample skewness after treatment.
    pub skew_after: f64,
    /// Excess kurtosis after treatment.
    pub kurtosis_after: f64,
}

/// Treats the outliers of one indicator column in place by `rule` (see the module
/// documentation) and reports what was done. `NaN` cells are ignored and left `NaN`.
///
/// # Examples
/// ```
/// use citycheck::treat::{treat_column, OutlierRule, Treatment};
/// // 1..9 and 100: G1 = 3.12, G2 = 9.80. One point Winsorised (100 ← 9) passes the test.
/// let mut x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 100.0];
/// let report = treat_column(&mut x, &OutlierRule::default());
/// assert_eq!(report.treatment, Treatment::Winsorised { low: 0, high: 1 });
/// assert_eq!(x[9], 9.0);
/// // With no Winsorisation allowed, the log: a = 0.99, so y = ln(x − 0.01).
/// let mut y = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 100.0];
/// let report = treat_column(&mut y, &OutlierRule { winmax: 0, ..OutlierRule::default() });
/// assert_eq!(report.treatment, Treatment::Log);
/// assert!((y[9] - 99.99f64.ln()).abs() < 1e-12);
/// ```
pub fn treat_column(x: &mut [f64], rule: &OutlierRule) -> TreatReport {
    let skew = skewness(x);
    let kurt = kurtosis(x);
    let unchanged =
        |treatment: Treatment| TreatReport { skew, kurtosis: kurt, treatment, skew_after: skew, kurtosis_after: kurt };
    if !rule.needs_treatment(skew, kurt) {
        return unchanged(Treatment::None);
    }
    let cells: Vec<usize> = (0..x.len()).filter(|&i| !x[i].is_nan()).collect();
    let original: Vec<f64> = cells.iter().map(|&i| x[i]).collect();
    // Two distinct values: no Winsorisation step leaves the column non-constant, and every
    // increasing transform of two values is affine, so nothing here can change its moments.
    if extreme_and_next(&original, true).is_none() {
        return unchanged(Treatment::None);
    }

    let mut winsorised = original.clone();
    let (low, high, skew_w, kurt_w) = winsorise(&mut winsorised, rule, skew, kurt);
    let passes = !rule.needs_treatment(skew_w, kurt_w);
    if passes || !rule.log_fallback {
        if low + high == 0 {
            return unchanged(Treatment::None);
        }
        for (&i, &v) in cells.iter().zip(&winsorised) {
            x[i] = v;
        }
        return TreatReport {
            skew,
            kurtosis: kurt,
            treatment: Treatment::Winsorised { low, high },
            skew_after: skew_w,
            kurtosis_after: kurt_w,
        };
    }

    let Some((min, max)) = stats::min_max(&original) else {
        return unchanged(Treatment::None);
    };
    let a = 0.01 * (max - min);
    for (&i, &v) in cells.iter().zip(&original) {
        x[i] = if skew >= 0.0 { (v - min + a).ln() } else { -(max + a - v).ln() };
    }
    let (skew_after, kurtosis_after) = (skewness(x), kurtosis(x));
    TreatReport { skew, kurtosis: kurt, treatment: Treatment::Log, skew_after, kurtosis_after }
}

/// Which side a cell was Winsorised from.
#[derive(Clone, Copy, PartialEq)]
enum Moved {
    No,
    Low,
    High,
}

/// Winsorises the (complete) values `w` in place while `rule` flags them and fewer than
/// `rule.winmax` cells have moved. Returns the cells moved up (low side) and down (high side)
/// and the skewness and kurtosis of the result.
fn winsorise(w: &mut [f64], rule: &OutlierRule, mut skew: f64, mut kurt: f64) -> (usize, usize, f64, f64) {
    let mut moved = vec![Moved::No; w.len()];
    let (mut low, mut high) = (0, 0);
    while rule.needs_treatment(skew, kurt) && low + high < rule.winmax {
        let high_side = skew >= 0.0;
        let Some((extreme, next)) = extreme_and_next(w, high_side) else {
            break;
        };
        for (v, mv) in w.iter_mut().zip(moved.iter_mut()) {
            if *v == extreme {
                *v = next;
                if *mv == Moved::No {
                    *mv = if high_side { Moved::High } else { Moved::Low };
                }
            }
        }
        low = moved.iter().filter(|&&mv| mv == Moved::Low).count();
        high = moved.iter().filter(|&&mv| mv == Moved::High).count();
        skew = skewness(w);
        kurt = kurtosis(w);
    }
    (low, high, skew, kurt)
}

/// The extreme value of `w` on one side (the maximum for `high_side`, else the minimum) and the
/// next distinct value inwards; `None` unless `w` has at least three distinct values, so that
/// moving the extreme onto the next one leaves at least two.
fn extreme_and_next(w: &[f64], high_side: bool) -> Option<(f64, f64)> {
    // Work on the side's orientation: the extreme is the largest of o(v) = ±v.
    let sign = if high_side { 1.0 } else { -1.0 };
    let extreme = w.iter().map(|&v| sign * v).fold(f64::NEG_INFINITY, f64::max);
    let next = w.iter().map(|&v| sign * v).filter(|&o| o < extreme).fold(f64::NEG_INFINITY, f64::max);
    let third = w.iter().any(|&v| sign * v < next);
    (next > f64::NEG_INFINITY && third).then_some((sign * extreme, sign * next))
}
