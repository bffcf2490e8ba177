//! The tables of the CRITIC weights (Diakoulaki et al. 1995): `critic_normalized`,
//! `critic_correlation` and `critic_criteria`.
//!
//! r = min-max of every column as benefit (0 for a constant column); σ_j the sd of r (ddof 1);
//! ρ the Pearson correlation of the columns (0 beside a constant column); conflict_j =
//! Σ_k (1 − ρ_jk) (0 for a constant column, and below n·1e-13); C_j = σ_j · conflict_j;
//! w = C/ΣC (equal when every C is 0).

use super::{Names, Tables};
use crate::aggregate::Labels;
use crate::direction::Direction;
use crate::error::Result;
use crate::kernels::{column, scale, stats, Array2, ArrayView2};

/// The CRITIC tables of `x` (rows = alternatives, columns = criteria).
///
/// # Errors
/// [`crate::Error::Method`] naming a missing or infinite cell; [`crate::Error::Shape`] when
/// the labels do not fit the matrix.
pub fn critic(x: ArrayView2<'_, f64>, labels: Labels<'_>) -> Result<Tables> {
    let names = Names::of_matrix(x, labels)?;
    let (rows, n) = (x.nrows(), x.ncols());
    let mut r = Array2::<f64>::zeros((rows, n));
    let mut constant = vec![false; n];
    let mut out = vec![0.0; rows];
    for (j, flag) in constant.iter_mut().enumerate() {
        *flag = !scale::oriented_min_max(Direction::Higher, &column(x, j), &mut out, 0.0);
        for (i, &value) in out.iter().enumerate() {
            r[[i, j]] = value;
        }
    }
    let col = |j: usize| -> Vec<f64> { (0..rows).map(|i| r[[i, j]]).collect() };
    let sigma: Vec<f64> = (0..n).map(|j| stats::sd(&col(j))).collect();
    let rho = |j: usize, k: usize| -> f64 {
        if j == k {
            return 1.0;
        }
        if constant[j] || constant[k] {
            return 0.0;
        }
        let (a, b) = (col(j), col(k));
        let (ma, mb) = (stats::mean(&a), stats::mean(&b));
        let cov: f64 = a.iter().zip(&b).map(|(x, y)| (x - ma) * (y - mb)).sum();
        let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
        let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
        cov / (va * vb).sqrt()
    };
    let tolerance = n as f64 * 1e-13;
    let conflict: Vec<f64> = (0..n)
        .map(|j| {
            let c: f64 = (0..n).map(|k| 1.0 - rho(j, k)).sum();
            if constant[j] || c < tolerance {
                0.0
            } else {
                c
            }
        })
        .collect();
    let information: Vec<f64> = sigma.iter().zip(&conflict).map(|(s, c)| s * c).collect();
    let total = stats::sum(information.iter().copied());
    let w: Vec<f64> = information.iter().map(|c| if total > 0.0 { c / total } else { 1.0 / n as f64 }).collect();
    let criteria = [
        ("sigma", sigma.as_slice()),
        ("conflict", conflict.as_slice()),
        ("information", information.as_slice()),
        ("weight", w.as_slice()),
    ];
    Ok(vec![
        ("critic_normalized", names.matrix(|i, j| r[[i, j]], &[])?),
        ("critic_correlation", names.square(rho)?),
        ("critic_criteria", names.criteria(&criteria)?),
    ])
}
