//! `arithmetic`: U_i = Σ_j w_j r_ij / Σ_j w_j over the present cells of row i.

use super::weighted_row_sums;
use crate::kernels::ArrayView2;

/// Weighted arithmetic mean of each row, weights renormalised over present cells; `NaN` for
/// a row with nothing present. `w` holds one weight per column ([`super::Aggregate::apply`]
/// checks it).
pub fn arithmetic(x: ArrayView2<'_, f64>, w: &[f64]) -> Vec<f64> {
    let (num, den) = weighted_row_sums(x, w, |r| r);
    num.iter().zip(&den).map(|(n, d)| if *d > 0.0 { n / d } else { f64::NAN }).collect()
}
