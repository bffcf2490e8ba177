//! The tables of the entropy weights (熵权法): `entropy_p` and `entropy_criteria`.
//!
//! v = the raw values (`entropy`), or the min-max scores of the oriented values shifted by
//! `shift` or rescaled to `[lo, hi]` (`entropy_normalized`); p_ij = v_ij / Σ_i v_ij;
//! e_j = −(1/ln m) Σ_i p_ij ln p_ij (1 for a constant column, or fewer than two rows);
//! d_j = 1 − e_j; w_j = d_j / Σ d (equal when every d is 0).

use super::{check_len, Names, Tables};
use crate::aggregate::Labels;
use crate::direction::Direction;
use crate::error::Result;
use crate::kernels::{column, scale, stats, Array2, ArrayView2};
use crate::weight::Weight;

/// The entropy tables of `x` (rows = alternatives, columns = criteria) for `method`
/// (`entropy` or `entropy_normalized`; any other method is read as `entropy`), `directions`
/// one per column.
///
/// # Errors
/// [`crate::Error::Method`] naming a missing or infinite cell; [`crate::Error::Shape`] when
/// the labels or directions do not fit the matrix.
pub fn entropy(
    x: ArrayView2<'_, f64>,
    labels: Labels<'_>,
    method: &Weight,
    directions: &[Direction],
) -> Result<Tables> {
    let names = Names::of_matrix(x, labels)?;
    check_len("directions", directions.len(), names.n())?;
    let (rows, n) = (x.nrows(), x.ncols());
    let mut p = Array2::<f64>::zeros((rows, n));
    let mut e = vec![1.0; n];
    for j in 0..n {
        let col = column(x, j);
        let mut v = vec![0.0; rows];
        let varies = match method {
            Weight::EntropyNormalized { shift, rescale } => {
                let varies = scale::oriented_min_max(directions[j], &col, &mut v, 1.0);
                for value in v.iter_mut() {
                    *value = match rescale {
                        Some([lo, hi]) => lo + (hi - lo) * *value,
                        None => *value + shift,
                    };
                }
                varies
            }
            _ => {
                v.copy_from_slice(&col);
                v.iter().any(|&value| value != v[0])
            }
        };
        let total = stats::sum(v.iter().copied());
        for (i, &value) in v.iter().enumerate() {
            p[[i, j]] = if total > 0.0 { value / total } else { 0.0 };
        }
        if varies && rows >= 2 && total > 0.0 {
            let h: f64 = (0..rows).map(|i| p[[i, j]]).filter(|&q| q > 0.0).map(|q| q * q.ln()).sum();
            e[j] = (-h / (rows as f64).ln()).clamp(0.0, 1.0);
        }
    }
    let d: Vec<f64> = e.iter().map(|value| 1.0 - value).collect();
    let total = stats::sum(d.iter().copied());
    let w: Vec<f64> = d.iter().map(|value| if total > 0.0 { value / total } else { 1.0 / n as f64 }).collect();
    let criteria = [("e", e.as_slice()), ("d", d.as_slice()), ("weight", w.as_slice())];
    Ok(vec![("entropy_p", names.matrix(|i, j| p[[i, j]], &[])?), ("entropy_criteria", names.criteria(&criteria)?)])
}
