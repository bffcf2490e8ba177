//! The tables of VIKOR (Opricovic & Tzeng 2004): `vikor_best_worst` and `vikor_terms`.
//!
//! f = the oriented value (−x for a cost criterion); f* and f− the best and worst of each
//! column; d_ij = w_j (f*_j − f_ij)/(f*_j − f−_j) (0 for a constant column); S_i = Σ_j d_ij,
//! R_i = max_j d_ij; Q_i = v (S_i − S*)/(S− − S*) + (1 − v)(R_i − R*)/(R− − R*) (a term 0
//! when its spread is 0).

use super::{check_len, Names, Tables};
use crate::aggregate::Labels;
use crate::direction::{orient, Direction};
use crate::error::Result;
use crate::kernels::{column, stats, Array2, ArrayView2};

/// The VIKOR tables of `x` (rows = alternatives, columns = criteria) with the weights `w`,
/// `directions` and `v` the ranking uses.
///
/// # Errors
/// [`crate::Error::Method`] naming a missing or infinite cell; [`crate::Error::Shape`] when
/// the labels, weights or directions do not fit the matrix.
pub fn vikor(
    x: ArrayView2<'_, f64>,
    labels: Labels<'_>,
    w: &[f64],
    directions: &[Direction],
    v: f64,
) -> Result<Tables> {
    let names = Names::of_matrix(x, labels)?;
    check_len("weights", w.len(), names.n())?;
    check_len("directions", directions.len(), names.n())?;
    let (rows, n) = (x.nrows(), x.ncols());
    let mut terms = Array2::<f64>::zeros((rows, n));
    let (mut best, mut worst) = (vec![0.0; n], vec![0.0; n]);
    for j in 0..n {
        let o: Vec<f64> = column(x, j).iter().map(|&value| orient(directions[j], value)).collect();
        let (lo, hi) = stats::min_max(&o).unwrap_or((0.0, 0.0));
        best[j] = hi;
        worst[j] = lo;
        for (i, &oi) in o.iter().enumerate() {
            terms[[i, j]] = if hi > lo { w[j] * (hi - oi) / (hi - lo) } else { 0.0 };
        }
    }
    let s: Vec<f64> = (0..rows).map(|i| (0..n).map(|j| terms[[i, j]]).sum::<f64>()).collect();
    let r: Vec<f64> = (0..rows).map(|i| (0..n).map(|j| terms[[i, j]]).fold(0.0, f64::max)).collect();
    let spread = |y: &[f64]| -> Vec<f64> {
        let (lo, hi) = stats::min_max(y).unwrap_or((0.0, 0.0));
        y.iter().map(|&value| if hi > lo { (value - lo) / (hi - lo) } else { 0.0 }).collect()
    };
    let (s_term, r_term) = (spread(&s), spread(&r));
    let q: Vec<f64> = s_term.iter().zip(&r_term).map(|(&a, &b)| v * a + (1.0 - v) * b).collect();
    let bounds = [("best", best.as_slice()), ("worst", worst.as_slice())];
    let tail = [("s", s.as_slice()), ("r", r.as_slice()), ("q", q.as_slice())];
    Ok(vec![
        ("vikor_best_worst", names.criteria(&bounds)?),
        ("vikor_terms", names.matrix(|i, j| terms[[i, j]], &tail)?),
    ])
}
