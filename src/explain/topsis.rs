//! The tables of TOPSIS (Hwang & Yoon 1981): `topsis_normalized`, `topsis_weighted`,
//! `topsis_ideal` and `topsis_distances`.
//!
//! r = x/√Σx² (`vector`) or the min-max score of the oriented value (`min_max`); v = w·r; the
//! ideal takes the best v of each column (the largest; the smallest of a cost column under
//! `vector`), the anti-ideal the worst; D± = the Euclidean distance of a row's v to them;
//! C = D− / (D+ + D−) (½ when both are 0).

use super::{check_len, Names, Tables};
use crate::aggregate::{Labels, TopsisNormalization};
use crate::direction::Direction;
use crate::error::Result;
use crate::kernels::{column, scale, stats, Array2, ArrayView2};

/// The TOPSIS tables of `x` (rows = alternatives, columns = criteria) with the weights `w` and
/// `directions` the ranking uses.
///
/// # Errors
/// [`crate::Error::Method`] naming a missing or infinite cell; [`crate::Error::Shape`] when
/// the labels, weights or directions do not fit the matrix.
pub fn topsis(
    x: ArrayView2<'_, f64>,
    labels: Labels<'_>,
    w: &[f64],
    directions: &[Direction],
    normalization: TopsisNormalization,
) -> Result<Tables> {
    let names = Names::of_matrix(x, labels)?;
    check_len("weights", w.len(), names.n())?;
    check_len("directions", directions.len(), names.n())?;
    let (rows, n) = (x.nrows(), x.ncols());
    let mut r = Array2::<f64>::zeros((rows, n));
    let (mut ideal, mut anti) = (vec![0.0; n], vec![0.0; n]);
    for j in 0..n {
        let col = column(x, j);
        let mut out = vec![0.0; rows];
        match normalization {
            TopsisNormalization::Vector => {
                let norm = stats::sum(col.iter().map(|v| v * v)).sqrt();
                for (o, &v) in out.iter_mut().zip(col.iter()) {
                    *o = if norm > 0.0 { v / norm } else { 0.0 };
                }
            }
            _ => {
                scale::oriented_min_max(directions[j], &col, &mut out, 1.0);
            }
        }
        let (lo, hi) = stats::min_max(&out).unwrap_or((0.0, 0.0));
        let (best, worst) = match (normalization, directions[j]) {
            (TopsisNormalization::Vector, Direction::Lower) => (lo, hi),
            _ => (hi, lo),
        };
        ideal[j] = w[j] * best;
        anti[j] = w[j] * worst;
        for (i, &v) in out.iter().enumerate() {
            r[[i, j]] = v;
        }
    }
    let v = |i: usize, j: usize| w[j] * r[[i, j]];
    let distance = |i: usize, target: &[f64]| (0..n).map(|j| (v(i, j) - target[j]).powi(2)).sum::<f64>().sqrt();
    let d_plus: Vec<f64> = (0..rows).map(|i| distance(i, ideal.as_slice())).collect();
    let d_minus: Vec<f64> = (0..rows).map(|i| distance(i, anti.as_slice())).collect();
    let closeness: Vec<f64> =
        d_plus.iter().zip(&d_minus).map(|(&p, &q)| if p + q > 0.0 { q / (p + q) } else { 0.5 }).collect();
    let ideals = [("ideal", ideal.as_slice()), ("anti_ideal", anti.as_slice())];
    let distances =
        [("d_plus", d_plus.as_slice()), ("d_minus", d_minus.as_slice()), ("closeness", closeness.as_slice())];
    Ok(vec![
        ("topsis_normalized", names.matrix(|i, j| r[[i, j]], &[])?),
        ("topsis_weighted", names.matrix(v, &[])?),
        ("topsis_ideal", names.criteria(&ideals)?),
        ("topsis_distances", names.per_alternative(&distances)?),
    ])
}
