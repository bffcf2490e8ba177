//! Ordinary least squares trend line y = a + b·t over real times, with Student-t inference.
//!
//! # Formula
//! ```text
//! S_tt = Σ (t − t̄)²,   S_ty = Σ (t − t̄)(y − ȳ),   S_yy = Σ (y − ȳ)²
//! b = S_ty / S_tt,   a = ȳ − b t̄,   R² = S_ty² / (S_tt S_yy)
//! SSE = Σ (y − a − b t)²,   se(b) = √(SSE / (n − 2) / S_tt)
//! p = 2 P(T_{n−2} ≥ |b / se(b)|),   95% CI = b ± t_{0.975, n−2} se(b)
//! ```
//! The intercept is the value of the line at t = 0: with real years it is far from the data
//! (the line's value in year 0), as in `scipy.stats.linregress` on years.
//!
//! Edge cases, each documented on [`Ols`]: n = 2 gives the line through both points and no
//! inference (n < 3: no degrees of freedom left); a constant series has slope 0, no R² (there
//! is no variance to explain), se = 0, CI (0, 0) and p = 1; an exact line with a non-zero
//! slope has R² = 1, se = 0, CI (b, b) and p = 0 (scipy gives ≈ 1e-20 there).
//!
//! # References
//! Montgomery, Peck & Vining (2012), *Introduction to Linear Regression Analysis*, 5th ed.,
//! ch. 2; `scipy.stats.linregress` (the same estimates and p-value).

use std::sync::OnceLock;

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::Series;
use crate::error::{Error, Result};

/// An OLS trend line with its inference.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Ols {
    /// Number of present (t, y) pairs.
    pub n: usize,
    /// b, change of y per unit of t (per year).
    pub slope: f64,
    /// a, the line's value at t = 0.
    pub intercept: f64,
    /// R², in [0, 1]; `None` for a constant series (S_yy = 0). 1 at n = 2.
    pub r_squared: Option<f64>,
    /// Standard error of the slope; `None` for n < 3.
    pub slope_se: Option<f64>,
    /// 95% confidence interval of the slope from Student t with n − 2 df; `None` for n < 3.
    pub ci95: Option<(f64, f64)>,
    /// Two-sided p-value of slope = 0 from Student t with n − 2 df; `None` for n < 3.
    pub p_value: Option<f64>,
}

/// The OLS line of `y` on the times `t` (real years; gaps allowed).
///
/// `NaN` pairs are dropped ([`Series::new`]); see the module documentation for the formulas
/// and [`Ols`] for what is missing when.
///
/// # Errors
/// [`Error::Spec`] for times that are repeated, out of order or infinite, or slices of
/// different lengths; [`Error::Method`] for an infinite value or fewer than 2 present pairs.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// let fit = citycheck::trend::ols(&[1.0, 2.0, 3.0, 4.0], &[2.0, 4.0, 5.0, 8.0])?;
/// assert!((fit.slope - 1.9).abs() < 1e-12 && fit.intercept.abs() < 1e-12);
/// assert!((fit.slope_se.unwrap() - 0.07f64.sqrt()).abs() < 1e-12);
/// # Ok(()) }
/// ```
///
/// # References
/// Montgomery, Peck & Vining (2012), ch. 2.
pub fn ols(t: &[f64], y: &[f64]) -> Result<Ols> {
    let series = Series::check("ols", t, y)?;
    let (t, y) = (series.t(), series.y());
    let n = t.len();
    if n < 2 {
        return Err(Error::method("ols", None, format!("needs at least 2 present (t, y) pairs, got {n}")));
    }
    let nf = n as f64;
    let t_mean = t.iter().sum::<f64>() / nf;
    let y_mean = y.iter().sum::<f64>() / nf;
    let (mut s_tt, mut s_ty, mut s_yy) = (0.0, 0.0, 0.0);
    for (&ti, &yi) in t.iter().zip(y) {
        let (dt, dy) = (ti - t_mean, yi - y_mean);
        s_tt += dt * dt;
        s_ty += dt * dy;
        s_yy += dy * dy;
    }
    // Strictly increasing times: s_tt > 0.
    let slope = s_ty / s_tt;
    let intercept = y_mean - slope * t_mean;
    let r_squared = (s_yy > 0.0).then(|| (s_ty * s_ty / (s_tt * s_yy)).clamp(0.0, 1.0));
    if n < 3 {
        return Ok(Ols { n, slope, intercept, r_squared, slope_se: None, ci95: None, p_value: None });
    }
    // Residuals directly, not S_yy − b S_ty, which cancels for a near-exact fit.
    let sse: f64 = t
        .iter()
        .zip(y)
        .map(|(&ti, &yi)| {
            let e = yi - (y_mean + slope * (ti - t_mean));
            e * e
        })
        .sum();
    let df = n - 2;
    let se = (sse / df as f64 / s_tt).sqrt();
    let (ci95, p_value) = if se > 0.0 {
        let half = t_quantile_975(df) * se;
        let t_stat = slope / se;
        let p = 2.0 * students_t(df).sf(t_stat.abs());
        ((slope - half, slope + half), p.min(1.0))
    } else {
        // An exact line: certain of its slope; p = 0 unless it is flat (a constant series).
        ((slope, slope), if slope == 0.0 { 1.0 } else { 0.0 })
    };
    Ok(Ols { n, slope, intercept, r_squared, slope_se: Some(se), ci95: Some(ci95), p_value: Some(p_value) })
}

fn students_t(df: usize) -> StudentsT {
    StudentsT::new(0.0, 1.0, df as f64).expect("df >= 1 is a valid Student t")
}

/// t_{0.975, df}: statrs's quantile, cached for the short series of check-ups (df ≤ 64).
fn t_quantile_975(df: usize) -> f64 {
    const CACHED: usize = 64;
    static TABLE: OnceLock<Vec<f64>> = OnceLock::new();
    let quantile = |df: usize| students_t(df).inverse_cdf(0.975);
    if df <= CACHED {
        TABLE.get_or_init(|| (1..=CACHED).map(quantile).collect())[df - 1]
    } else {
        quantile(df)
    }
}
