//! `geometric`: U_i = exp(Σ_j w_j ln r_ij / Σ_j w_j) = Π r^w over the present cells.

use super::{require_positive, weighted_row_sums, Labels};
use crate::error::Result;
use crate::kernels::ArrayView2;

/// Weighted geometric mean of each row.
///
/// # Errors
/// [`crate::Error::Method`] naming the unit and child of the first score ≤ 0.
pub fn geometric(x: ArrayView2<'_, f64>, w: &[f64], labels: Labels<'_>) -> Result<Vec<f64>> {
    require_positive("geometric", x, labels)?;
    let (num, den) = weighted_row_sums(x, w, f64::ln);
    Ok(num.iter().zip(&den).map(|(n, d)| if *d > 0.0 { (n / d).exp() } else { f64::NAN }).collect())
}
