//! Sample skewness and excess kurtosis of one column, skipping `NaN` (missing) values.
//!
//! # Formula
//! ```text
//! d_i = x_i − x̄,   S_k = Σ_i d_i^k        (over the n present values)
//! g1 = √n · S_3 / S_2^{3/2}     G1 = g1 · √(n(n − 1)) / (n − 2)                         (n ≥ 3)
//! r  = n · S_4 / S_2²            G2 = ((n + 1)(r − 3) + 6) · (n − 1) / ((n − 2)(n − 3))   (n ≥ 4)
//! ```
//! G1 and G2 are the adjusted Fisher–Pearson estimators ("type 2" of Joanes & Gill): those of
//! COINr's `skew()` / `kurt()` (and of COINr < 1.0, which called `e1071::skewness` /
//! `e1071::kurtosis` with `type = 2`), of Excel's `SKEW` / `KURT`, of SAS and SPSS, and of
//! pandas' `Series.skew` / `Series.kurt`. G2 is the *excess* kurtosis: 0 for a normal
//! distribution in the limit.
//!
//! A column with fewer than 3 (skewness) or 4 (kurtosis) present values, or whose present
//! values are all equal, has no defined moment and gives `NaN`. Constancy is decided on the
//! values themselves: the rounded mean of `[0.1, 0.1, 0.1]` is not 0.1, and centring on it would
//! leave deviations of ~1e-17 whose ratios are noise of order 1.
//!
//! # References
//! Joanes & Gill (1998), "Comparing measures of sample skewness and kurtosis", *The
//! Statistician* 47(1):183–189; COINr v1.1.14 `R/treat.R` (`skew`, `kurt`).

use crate::kernels::stats;

/// Number of present values and the sums S_2, S_3, S_4 of the powers of their deviations from
/// the mean; `None` when fewer than `min_n` values are present or they are all equal.
fn central_sums(x: &[f64], min_n: usize) -> Option<(f64, f64, f64, f64)> {
    let n = stats::count(x);
    if n < min_n {
        return None;
    }
    let first = stats::present(x).next()?;
    if stats::present(x).all(|v| v == first) {
        return None;
    }
    let mean = stats::sum(stats::present(x)) / n as f64;
    let deviations = stats::present(x).map(move |v| v - mean);
    let s2 = stats::sum(deviations.clone().map(|d| d * d));
    let s3 = stats::sum(deviations.clone().map(|d| d * d * d));
    let s4 = stats::sum(deviations.map(|d| (d * d) * (d * d)));
    (s2 > 0.0 && s2.is_finite()).then_some((n as f64, s2, s3, s4))
}

/// Sample skewness G1 of the present values of `x` (`NaN` with fewer than 3, or all equal).
///
/// # Formula
/// ```text
/// G1 = √n · S_3 / S_2^{3/2} · √(n(n − 1)) / (n − 2),   S_k = Σ (x_i − x̄)^k
/// ```
///
/// # Examples
/// ```
/// use citycheck::treat::skewness;
/// // S_2 = 0.8, S_3 = 0.48 for (0, 0, 0, 0, 1): G1 = √5 (Excel's SKEW gives the same).
/// assert!((skewness(&[0.0, 0.0, f64::NAN, 0.0, 0.0, 1.0]) - 5f64.sqrt()).abs() < 1e-12);
/// assert!(skewness(&[2.0, 2.0, 2.0]).is_nan());
/// ```
pub fn skewness(x: &[f64]) -> f64 {
    let Some((n, s2, s3, _)) = central_sums(x, 3) else {
        return f64::NAN;
    };
    let g1 = n.sqrt() * s3 / (s2 * s2.sqrt());
    g1 * (n * (n - 1.0)).sqrt() / (n - 2.0)
}

/// Sample excess kurtosis G2 of the present values of `x` (`NaN` with fewer than 4, or all
/// equal).
///
/// # Formula
/// ```text
/// r = n · S_4 / S_2²,   G2 = ((n + 1)(r − 3) + 6) · (n − 1) / ((n − 2)(n − 3)),   S_k = Σ (x_i − x̄)^k
/// ```
///
/// # Examples
/// ```
/// use citycheck::treat::kurtosis;
/// // S_2 = 0.8, S_4 = 0.416 for (0, 0, 0, 0, 1): r = 3.25 and G2 = 7.5 · 4 / 6 = 5.
/// assert!((kurtosis(&[0.0, 0.0, 0.0, 0.0, 1.0]) - 5.0).abs() < 1e-12);
/// assert!(kurtosis(&[1.0, 2.0, 3.0]).is_nan());
/// ```
pub fn kurtosis(x: &[f64]) -> f64 {
    let Some((n, s2, _, s4)) = central_sums(x, 4) else {
        return f64::NAN;
    };
    let r = n * s4 / (s2 * s2);
    ((n + 1.0) * (r - 3.0) + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0))
}
