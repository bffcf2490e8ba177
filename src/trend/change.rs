//! Change between two observations: absolute, relative, and the compound annual growth rate.
//!
//! # Formula
//! ```text
//! change   = y_T − y_1
//! relative = (y_T − y_1) / |y_1|                          (y_1 ≠ 0)
//! CAGR     = (y_T / y_1)^{1/(t_T − t_1)} − 1               (y_1, y_T > 0; t_T > t_1)
//! ```
//! The relative change divides by |y_1| so that its sign is that of the change also for a
//! negative start. CAGR is computed as exp(ln(y_T/y_1)/(t_T − t_1)) − 1 with `exp_m1`, accurate
//! for small rates; it is undefined for values ≤ 0, and says so rather than return `NaN`.
//!
//! # References
//! METHODS.md §7; OECD Glossary of Statistical Terms, "compound annual growth rate".

use serde::Serialize;

use crate::error::{Error, Result};

/// Absolute and relative change between a first and a last value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    /// y_last − y_first.
    pub absolute: f64,
    /// (y_last − y_first)/|y_first|; `None` when y_first = 0.
    pub relative: Option<f64>,
}

/// Change from `y_first` to `y_last`.
///
/// Takes present values (the first and last of a [`Series`](super::Series)); a `NaN` input
/// gives a `NaN` absolute change and no relative change.
///
/// # Examples
/// ```
/// let c = citycheck::trend::change(80.0, 92.0);
/// assert_eq!(c.absolute, 12.0);
/// assert_eq!(c.relative, Some(0.15));
/// assert_eq!(citycheck::trend::change(0.0, 3.0).relative, None);
/// ```
pub fn change(y_first: f64, y_last: f64) -> Change {
    let absolute = y_last - y_first;
    let relative = (y_first != 0.0 && !absolute.is_nan()).then(|| absolute / y_first.abs());
    Change { absolute, relative }
}

/// Compound annual growth rate from (`t_first`, `y_first`) to (`t_last`, `y_last`), per unit of
/// t (per year with years): 0.1 is 10% a year.
///
/// # Errors
/// [`Error::Method`] when a value is ≤ 0 or not finite (CAGR is undefined there) or the rate
/// is beyond f64 (e.g. from a subnormal start such as 1e-320);
/// [`Error::Spec`] when a time is not finite or `t_last` is not after `t_first`.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// // 100 → 121 in two years: 10% a year.
/// let rate = citycheck::trend::cagr(2018.0, 100.0, 2020.0, 121.0)?;
/// assert!((rate - 0.1).abs() < 1e-12);
/// assert!(citycheck::trend::cagr(2018.0, -5.0, 2020.0, 121.0).is_err());
/// # Ok(()) }
/// ```
pub fn cagr(t_first: f64, y_first: f64, t_last: f64, y_last: f64) -> Result<f64> {
    if !(t_first.is_finite() && t_last.is_finite()) {
        return Err(Error::Spec(format!("cagr: times {t_first} and {t_last} must be finite")));
    }
    if t_last <= t_first {
        return Err(Error::Spec(format!("cagr: the last time {t_last} must be after the first {t_first}")));
    }
    for (t, y) in [(t_first, y_first), (t_last, y_last)] {
        if !(y.is_finite() && y > 0.0) {
            return Err(Error::method(
                "cagr",
                None,
                format!("CAGR undefined for values ≤ 0 or missing: {y} at time {t}"),
            ));
        }
    }
    let ratio = y_last / y_first;
    // A ratio beyond f64 (a start of 1e-320, say): the difference of the logarithms instead.
    let log_ratio = if ratio.is_finite() && ratio > 0.0 { ratio.ln() } else { y_last.ln() - y_first.ln() };
    let rate = (log_ratio / (t_last - t_first)).exp_m1();
    if !rate.is_finite() {
        return Err(Error::method(
            "cagr",
            None,
            format!(
                "CAGR from {y_first:e} to {y_last:e} over {} is not representable in f64",
                crate::error::shown_number(t_last - t_first)
            ),
        ));
    }
    Ok(rate)
}
