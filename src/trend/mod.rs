//! Trend statistics of one series (五年一评估), METHODS.md §7: ordinary least squares, the
//! Mann-Kendall test, Sen's slope, compound annual growth and change.
//!
//! A series is a pair of slices: `t`, the times (real years, or any numeric time), and `y`, the
//! values. Gaps are allowed and real time differences are used, never positions: a series
//! observed in 2008, 2010, 2011 and 2014 has its slopes per year over those years. A pair in
//! which `t` or `y` is `NaN` (missing) is dropped; what remains must be in strictly increasing
//! time ([`Series::new`]). [`mann_kendall`] uses only the order of the values, so it takes `y`
//! alone, in time order (the caller sorts by year).
//!
//! # Short series
//! Five annual check-ups are the normal case, and a test on five points can say little. The
//! Mann-Kendall p-value is exact for n ≤ [`EXACT_MAX_N`] and [`MannKendall::min_attainable_p`]
//! says how small it could possibly be: at n = 5, 1/120 one-sided and 1/60 two-sided, so only
//! a perfectly monotone series reaches p < 0.05. OLS gives no inference below n = 3 and Sen's
//! confidence interval is missing when the series is too short for the requested level.
//! Nothing here returns a silent `NaN`: what cannot be computed is `None` or an error.
//!
//! # References
//! Mann (1945), Econometrica 13(3):245–259; Kendall (1975), *Rank Correlation Methods*, 4th ed.,
//! Griffin; Sen (1968), JASA 63(324):1379–1389; Gilbert (1987), *Statistical Methods for
//! Environmental Pollution Monitoring*, Van Nostrand Reinhold, ch. 16–17; Hussain & Mahmud
//! (2019), pyMannKendall, JOSS 4(39):1556.

mod change;
mod mann_kendall;
mod ols;
mod sen;
mod summary;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use change::{cagr, change, Change};
pub use mann_kendall::{
    mann_kendall, mann_kendall_with, min_attainable_p, MannKendall, MannKendallOptions, PMethod, PValue, Tau,
    EXACT_MAX_N,
};
pub use ols::{ols, Ols};
pub use sen::{sen_slope, sen_slope_with, SenIntercept, SenSlope};
pub use summary::{summarize, summarize_with, verdict_of, verdict_of_with, Summary, Verdict};

/// The alternative hypothesis of a trend test.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Alternative {
    /// A trend in either direction (default): p = P(|S| ≥ |s|).
    #[default]
    TwoSided,
    /// An increasing trend: p = P(S ≥ s) (also read as `greater`, R's and scipy's name).
    #[serde(alias = "greater")]
    Increasing,
    /// A decreasing trend: p = P(S ≤ s) (also read as `less`).
    #[serde(alias = "less")]
    Decreasing,
}

impl Alternative {
    /// `two_sided`, `increasing` or `decreasing`, as in serde.
    pub fn as_str(self) -> &'static str {
        match self {
            Alternative::TwoSided => "two_sided",
            Alternative::Increasing => "increasing",
            Alternative::Decreasing => "decreasing",
        }
    }
}

/// The conventions of a trend summary ([`summarize_with`]), the same names in a run config's
/// `[evaluate]`, on `citycheck trend` and `citycheck evaluate` (`--p-value`, `--alternative`,
/// `--tau`, `--sen-intercept`) and as Python keywords. The default is [`summarize`]'s.
///
/// # Examples
/// ```
/// use citycheck::trend::{Alternative, PValue, Tau, TrendOptions};
/// let text = "p_value = \"normal_cc\"\ntau = \"b\"\nalternative = \"greater\"";
/// let options: TrendOptions = toml::from_str(text).unwrap();
/// assert_eq!(options.p_value, PValue::NormalCc);
/// assert_eq!((options.tau, options.alternative), (Tau::B, Alternative::Increasing));
/// assert!(toml::from_str::<TrendOptions>("pvalue = \"normal\"").is_err()); // misspelt key
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrendOptions {
    /// How the Mann-Kendall p-value is computed ([`PValue`]).
    pub p_value: PValue,
    /// The alternative of the Mann-Kendall p-value ([`Alternative`]); the verdict of an
    /// indicator with a band or target direction tests its distance to the band two-sided.
    pub alternative: Alternative,
    /// τ_a or τ_b ([`Tau`]).
    pub tau: Tau,
    /// How Sen's intercept is computed ([`SenIntercept`]).
    pub sen_intercept: SenIntercept,
}

impl TrendOptions {
    /// The Mann-Kendall part of the options.
    pub fn mann_kendall(&self) -> MannKendallOptions {
        MannKendallOptions { p_value: self.p_value, tau: self.tau }
    }
}

impl std::str::FromStr for Alternative {
    type Err = Error;

    /// `two_sided`, `increasing` (or `greater`), `decreasing` (or `less`); `-` for `_`.
    fn from_str(name: &str) -> Result<Alternative> {
        match name.trim().replace('-', "_").as_str() {
            "two_sided" => Ok(Alternative::TwoSided),
            "increasing" | "greater" => Ok(Alternative::Increasing),
            "decreasing" | "less" => Ok(Alternative::Decreasing),
            other => Err(crate::names::unknown(
                "alternative",
                other,
                &["two_sided", "increasing", "greater", "decreasing", "less"],
            )),
        }
    }
}

/// A checked series: the present (t, y) pairs, in strictly increasing time.
///
/// Borrows the input when nothing is missing, copies the present pairs otherwise.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::trend::Series;
/// let s = Series::new(&[2008.0, 2010.0, 2011.0, 2014.0], &[10.0, f64::NAN, 11.0, 14.5])?;
/// assert_eq!(s.t(), &[2008.0, 2011.0, 2014.0]);
/// assert_eq!(s.y(), &[10.0, 11.0, 14.5]);
/// assert!(Series::new(&[2010.0, 2010.0], &[1.0, 2.0]).is_err()); // a repeated year
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Series<'a> {
    t: Cow<'a, [f64]>,
    y: Cow<'a, [f64]>,
}

impl<'a> Series<'a> {
    /// Checks `t` and `y` and drops the pairs in which either is `NaN`.
    ///
    /// # Errors
    /// [`Error::Spec`] when `t` and `y` differ in length, when a present time is infinite, or
    /// when the present times are not strictly increasing (naming the repeated or out-of-order
    /// time); [`Error::Method`] (method `trend`) when a present value is infinite.
    pub fn new(t: &'a [f64], y: &'a [f64]) -> Result<Series<'a>> {
        Series::check("trend", t, y)
    }

    /// [`Series::new`] with the calling method's name in a value error.
    pub(crate) fn check(method: &'static str, t: &'a [f64], y: &'a [f64]) -> Result<Series<'a>> {
        if t.len() != y.len() {
            return Err(Error::Spec(format!(
                "{method}: {} times but {} values; a series needs one time per value",
                t.len(),
                y.len()
            )));
        }
        let mut complete = true;
        let mut previous: Option<f64> = None;
        for (&ti, &yi) in t.iter().zip(y) {
            if ti.is_nan() || yi.is_nan() {
                complete = false;
                continue;
            }
            if ti.is_infinite() {
                return Err(Error::Spec(format!("{method}: time {ti} is not finite")));
            }
            if yi.is_infinite() {
                return Err(Error::method(method, None, format!("value {yi} at time {ti} is not finite")));
            }
            if let Some(p) = previous {
                if ti == p {
                    return Err(Error::Spec(format!(
                        "{method}: time {ti} appears twice; a series has one value per year"
                    )));
                }
                if ti < p {
                    return Err(Error::Spec(format!(
                        "{method}: time {ti} comes after {p}; sort the series by time first"
                    )));
                }
            }
            previous = Some(ti);
        }
        if complete {
            return Ok(Series { t: Cow::Borrowed(t), y: Cow::Borrowed(y) });
        }
        let (t, y): (Vec<f64>, Vec<f64>) =
            t.iter().zip(y).filter(|(ti, yi)| !(ti.is_nan() || yi.is_nan())).map(|(&ti, &yi)| (ti, yi)).unzip();
        Ok(Series { t: Cow::Owned(t), y: Cow::Owned(y) })
    }

    /// The present times, strictly increasing.
    pub fn t(&self) -> &[f64] {
        &self.t
    }

    /// The present values, finite, in time order.
    pub fn y(&self) -> &[f64] {
        &self.y
    }

    /// Number of present pairs.
    pub fn len(&self) -> usize {
        self.t.len()
    }

    /// No present pair.
    pub fn is_empty(&self) -> bool {
        self.t.is_empty()
    }
}

/// Median of a non-empty slice of non-`NaN` values, reordering it; the mean of the two middle
/// values for an even length (as numpy).
pub(crate) fn median_in_place(v: &mut [f64]) -> f64 {
    debug_assert!(!v.is_empty());
    let n = v.len();
    let mid = n / 2;
    let (lower, &mut upper, _) = v.select_nth_unstable_by(mid, f64::total_cmp);
    if n % 2 == 1 {
        upper
    } else {
        // The largest of the lower half is the other middle value.
        let lower_max = lower.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        0.5 * (lower_max + upper)
    }
}

/// Median of a sorted, non-empty slice.
pub(crate) fn median_sorted(v: &[f64]) -> f64 {
    debug_assert!(!v.is_empty());
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}
