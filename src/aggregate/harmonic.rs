//! `harmonic`: U_i = Σ_j w_j / Σ_j (w_j / r_ij) over the present cells.

use super::{require_positive, weighted_row_sums, Labels};
use crate::error::Result;
use crate::kernels::ArrayView2;

/// Weighted harmonic mean of each row.
///
/// # Errors
/// [`crate::Error::Method`] naming the unit and child of the first score ≤ 0.
pub fn harmonic(x: ArrayView2<'_, f64>, w: &[f64], labels: Labels<'_>) -> Result<Vec<f64>> {
    require_positive("harmonic", x, labels)?;
    let (num, den) = weighted_row_sums(x, w, f64::recip);
    Ok(num.iter().zip(&den).map(|(n, d)| if *d > 0.0 { d / n } else { f64::NAN }).collect())
}
