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
    Ok(means_of_logs(&num, &den))
}

/// [`geometric`] of scores given by their logarithms `logs` (ln of scores > 0; NaN for a
/// missing one), bit for bit: the uncertainty analysis takes the logarithms of a fit's
/// indicator scores once and re-weights them in every draw.
pub(crate) fn geometric_of_logs(logs: ArrayView2<'_, f64>, w: &[f64]) -> Vec<f64> {
    let (num, den) = weighted_row_sums(logs, w, |v| v);
    means_of_logs(&num, &den)
}

/// exp(Σ w ln r / Σ w) per row; NaN where no cell is present.
fn means_of_logs(num: &[f64], den: &[f64]) -> Vec<f64> {
    num.iter().zip(den).map(|(n, d)| if *d > 0.0 { (n / d).exp() } else { f64::NAN }).collect()
}
