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
    /// R², in [0, 1]; `None` for a constant series (S_yy = 0) or when not representable in
    /// f64 (values near its limits). 1 at n = 2.
    pub r_squared: Option<f64>,
    /// Standard error of the slope; `None` for n < 3 or when not representable in f64.
    pub slope_se: Option<f64>,
    /// 95% confidence interval of the slope from Student t with n − 2 df; `None` for n < 3
    /// or when not representable in f64.
    pub ci95: Option<(f64, f64)>,
    /// Two-sided p-value of slope = 0 from Student t with n − 2 df; `None` for n < 3 or when
    /// not representable.
    pub p_value: Option<f64>,
}

/// The OLS line of `y` on the times `t` (real years; gaps allowed).
///
/// `NaN` pairs are dropped ([`Series::new`]); see the module documentation for the formulas
/// and [`Ols`] for what is missing when.
///
/// # Errors
/// [`Error::Spec`] for times that are repeated, out of order or infinite, or slices of
/// different lengths; [`Error::Method`] for an infinite value, fewer than 2 present pairs, or
/// a line whose slope or intercept is not representable in f64 (values near its limits).
/// Values beyond 2^±256 are fitted in scaled units, so 1e300 is fine; never `NaN` or a panic.
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
    // Values far from 1 are fitted in units of a power of two (exact: the same bits as an
    // unscaled fit wherever that one is finite), so that squares and sums do not overflow or
    // underflow; what is still not representable afterwards is missing (`None`) or an error.
    let scale = power_of_two_scale(y);
    let scaled: Vec<f64>;
    let y: &[f64] = if scale == 1.0 {
        y
    } else {
        scaled = y.iter().map(|&v| v / scale).collect();
        &scaled
    };
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
    let slope_scaled = s_ty / s_tt;
    let slope = slope_scaled * scale;
    let intercept = (y_mean - slope_scaled * t_mean) * scale;
    if !(slope.is_finite() && intercept.is_finite()) {
        return Err(Error::method(
            "ols",
            None,
            format!(
                "the trend line is not representable in f64 (slope {}, intercept {}): values or times too large",
                crate::error::shown_number(slope),
                crate::error::shown_number(intercept)
            ),
        ));
    }
    let r_squared =
        (s_yy > 0.0).then(|| s_ty * s_ty / (s_tt * s_yy)).filter(|r| r.is_finite()).map(|r| r.clamp(0.0, 1.0));
    if n < 3 {
        return Ok(Ols { n, slope, intercept, r_squared, slope_se: None, ci95: None, p_value: None });
    }
    // Residuals directly, not S_yy − b S_ty, which cancels for a near-exact fit.
    let sse: f64 = t
        .iter()
        .zip(y)
        .map(|(&ti, &yi)| {
            let e = yi - (y_mean + slope_scaled * (ti - t_mean));
            e * e
        })
        .sum();
    let df = n - 2;
    let se_scaled = (sse / df as f64 / s_tt).sqrt();
    let se = se_scaled * scale;
    if !(se_scaled.is_finite() && se.is_finite()) {
        // No inference rather than an infinite or NaN standard error.
        return Ok(Ols { n, slope, intercept, r_squared, slope_se: None, ci95: None, p_value: None });
    }
    let (ci95, p_value) = if se_scaled > 0.0 {
        let half = t_quantile_975(df) * se_scaled;
        let ci = ((slope_scaled - half) * scale, (slope_scaled + half) * scale);
        let t_stat = slope_scaled / se_scaled;
        // statrs panics on a NaN argument (its incomplete beta unwraps); an infinite t is p = 0.
        let p = if t_stat.is_nan() {
            None
        } else if t_stat.is_infinite() {
            Some(0.0)
        } else {
            Some((2.0 * students_t(df).sf(t_stat.abs())).min(1.0)).filter(|p| p.is_finite())
        };
        (Some(ci).filter(|(lo, hi)| lo.is_finite() && hi.is_finite()), p)
    } else {
        // An exact line: certain of its slope; p = 0 unless it is flat (a constant series).
        (Some((slope, slope)), Some(if slope == 0.0 { 1.0 } else { 0.0 }))
    };
    Ok(Ols { n, slope, intercept, r_squared, slope_se: Some(se), ci95, p_value })
}

/// 1 for values whose largest magnitude is within 2^±256 of 1 (every real indicator), else the
/// power of two nearest below that magnitude (kept a normal number), by which the values are
/// divided exactly.
fn power_of_two_scale(y: &[f64]) -> f64 {
    let limit = 2f64.powi(256);
    let max = y.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if max == 0.0 || !max.is_finite() || (1.0 / limit..=limit).contains(&max) {
        return 1.0;
    }
    let exponent = (max.log2().floor() as i64).clamp(-1022, 1023);
    f64::from_bits(((exponent + 1023) as u64) << 52)
}

fn students_t(df: usize) -> StudentsT {
    // Cannot fail: called with df = n − 2 for n >= 3 only, and statrs accepts any df > 0.
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
