//! The tables of grey relational analysis (灰色关联分析, Deng 1982): `grey_delta`,
//! `grey_coefficients` and `grey_summary`.
//!
//! r = the min-max score of the oriented value (`min_max`, reference 1 for every column), or
//! x over the first row's value (`initial_value`, 初值化) or over the column mean
//! (`mean_value`, 均值化), the reference then the largest ratio of a benefit column and the
//! smallest of a cost column; Δ_ij = |x0_j − r_ij|; ξ_ij = (Δmin + ρ Δmax) / (Δ_ij + ρ Δmax)
//! (1 when Δmax = 0), Δmin and Δmax over the whole matrix; γ_i = Σ_j w_j ξ_ij / Σ w.

use polars::prelude::{Column, DataFrame};

use super::{check_len, Names, Tables};
use crate::aggregate::{GreyNormalization, Labels};
use crate::direction::Direction;
use crate::error::{Error, Result};
use crate::kernels::{column, scale, stats, Array2, ArrayView2};

/// The grey relational tables of `x` (rows = alternatives, columns = criteria) with the
/// weights `w`, `directions`, distinguishing coefficient `rho` and normalisation the ranking
/// uses.
///
/// # Errors
/// [`crate::Error::Method`] naming a missing or infinite cell; [`crate::Error::Shape`] when
/// the labels, weights or directions do not fit the matrix.
pub fn grey_relational(
    x: ArrayView2<'_, f64>,
    labels: Labels<'_>,
    w: &[f64],
    directions: &[Direction],
    rho: f64,
    normalize: GreyNormalization,
) -> Result<Tables> {
    let names = Names::of_matrix(x, labels)?;
    check_len("weights", w.len(), names.n())?;
    check_len("directions", directions.len(), names.n())?;
    let (rows, n) = (x.nrows(), x.ncols());
    let mut delta = Array2::<f64>::zeros((rows, n));
    for j in 0..n {
        let col = column(x, j);
        let mut r = vec![0.0; rows];
        let reference = match normalize {
            GreyNormalization::MinMax => {
                scale::oriented_min_max(directions[j], &col, &mut r, 1.0);
                r.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            }
            _ => {
                let base = if normalize == GreyNormalization::InitialValue { col[0] } else { stats::mean(&col) };
                for (o, &v) in r.iter_mut().zip(col.iter()) {
                    *o = v / base;
                }
                let (lo, hi) = stats::min_max(&r).unwrap_or((0.0, 0.0));
                if directions[j] == Direction::Lower {
                    lo
                } else {
                    hi
                }
            }
        };
        for (i, &v) in r.iter().enumerate() {
            delta[[i, j]] = (reference - v).abs();
        }
    }
    let (delta_min, delta_max) =
        delta.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let xi = |i: usize, j: usize| {
        if delta_max > 0.0 {
            (delta_min + rho * delta_max) / (delta[[i, j]] + rho * delta_max)
        } else {
            1.0
        }
    };
    let total_w = stats::sum(w.iter().copied());
    let grade: Vec<f64> = (0..rows).map(|i| (0..n).map(|j| w[j] / total_w * xi(i, j)).sum::<f64>()).collect();
    let summary = DataFrame::new_infer_height(vec![
        Column::new("delta_min".into(), vec![delta_min]),
        Column::new("delta_max".into(), vec![delta_max]),
        Column::new("rho".into(), vec![rho]),
        Column::new("normalize".into(), vec![normalize.as_str()]),
    ])
    .map_err(|e| Error::Shape(format!("explain tables: {e}")))?;
    Ok(vec![
        ("grey_delta", names.matrix(|i, j| delta[[i, j]], &[])?),
        ("grey_coefficients", names.matrix(xi, &[("grade", grade.as_slice())])?),
        ("grey_summary", summary),
    ])
}
