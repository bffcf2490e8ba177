//! Principal-component weights, after the OECD/JRC handbook, with unrotated components
//! (METHODS.md §4).
//!
//! # Formula
//! ```text
//! 1. z_ij = (x_ij − x̄_j) / s_j                       standardise (the columns that vary)
//! 2. R = correlation matrix of x (= covariance of z)
//! 3. R v_k = λ_k v_k,  λ_1 ≥ … ≥ λ_p,  |v_k| = 1      eigen-decomposition (Jacobi)
//! 4. K = { k : λ_k > 1 }                               Kaiser's rule
//! 5. a_jk = v_jk √λ_k                                   loadings of the kept components
//!    q_jk = a_jk² / Σ_j a_jk² = a_jk² / λ_k = v_jk²     squared loadings scaled to unity sum
//! 6. k*(j) = argmax_{k∈K} q_jk                          the component indicator j loads on
//!    u_j = q_jk* · λ_k* / Σ_{k∈K} λ_k                   × that component's share of the
//!                                                       variance explained by K
//! 7. w_j = u_j / Σ_l u_l
//! ```
//! Rotation: none. The handbook rotates the kept components by varimax before step 5; here
//! the unrotated principal-component loadings are used, as in common Chinese practice
//! (主成分分析法 in city and regional evaluation), so the weights are those of
//! "unrotated PCA", not the handbook's rotated factor-analysis weights. Of the handbook's
//! retention rules only Kaiser's (eigenvalue > 1) is applied, not the 10% / 60%
//! explained-variance rules.
//!
//! Details that the formula leaves open:
//! - An eigenvalue counts as > 1 only above 1 + 1e-9, so that one equal to 1 in exact
//!   arithmetic (e.g. an indicator uncorrelated with all others) is dropped, not kept or
//!   dropped by rounding. An indicator that loads only on dropped components gets a weight
//!   near 0: that is the method, not a bug.
//! - Ties in step 6 go to the component with the larger eigenvalue.
//! - A constant column has no correlation: it is left out of R and gets weight 0, with a
//!   warning. One varying column gets weight 1. No varying column: equal weights, with a
//!   warning.
//! - If no eigenvalue exceeds 1 (since Σλ = p, only when R = I: the indicators are
//!   uncorrelated and no component summarises more than one of them), the varying columns get
//!   equal weights, with a warning.
//! - The signs of the eigenvectors do not matter (only squares enter); the sample sd uses
//!   ddof = 1, which does not change R.
//!
//! # References
//! OECD/JRC (2008), *Handbook on Constructing Composite Indicators: Methodology and User
//! Guide*, OECD Publishing, §6.1 and Tables 16–18; Kaiser (1960), Educational and
//! Psychological Measurement 20(1):141–151.

use crate::error::Result;
use crate::kernels::{self, column, linalg, stats, ArrayView2};

use super::objective::{is_constant, label, proportional, require_complete};

/// Eigenvalues must exceed 1 by more than this to be kept (see the module docs).
const KAISER_TOL: f64 = 1e-9;

/// Principal-component weights of the columns of `x` (unrotated loadings, Kaiser's rule).
///
/// # Errors
/// [`Error::Method`](crate::Error::Method) naming the column if a cell is missing or infinite
/// (impute first: the correlation matrix needs complete columns).
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::kernels::array;
/// // Columns 1 and 2 are perfectly correlated, column 3 is uncorrelated with them:
/// // R has eigenvalues 2, 1, 0, only the first is kept, and it loads on columns 1 and 2.
/// let x = array![[0.0, 1.0, 1.0], [1.0, 3.0, -1.0], [2.0, 5.0, -1.0], [3.0, 7.0, 1.0]];
/// let names: Vec<String> = (1..=3).map(|j| format!("c{j}")).collect();
/// let w = citycheck::weight::pca(x.view(), &names, &mut Vec::new())?;
/// assert!((w[0] - 0.5).abs() < 1e-9 && (w[1] - 0.5).abs() < 1e-9 && w[2] < 1e-9);
/// # Ok(()) }
/// ```
pub fn pca(x: ArrayView2<'_, f64>, names: &[String], warnings: &mut Vec<String>) -> Result<Vec<f64>> {
    require_complete(x, names, "pca")?;
    let (m, n) = (x.nrows(), x.ncols());
    let varying: Vec<usize> = (0..n).filter(|&j| !is_constant(&column(x, j))).collect();
    if !varying.is_empty() {
        for j in (0..n).filter(|j| !varying.contains(j)) {
            warnings.push(format!(
                "pca: column '{}' is constant (no correlation with the others): weight 0",
                label(names, j)
            ));
        }
    }
    let mut u = vec![0.0; n];
    match varying.len() {
        0 => {}
        1 => u[varying[0]] = 1.0,
        p => {
            let data = varying.iter().flat_map(|&j| column(x, j).into_owned()).collect();
            let r = linalg::pearson_correlation(kernels::from_columns(m, p, data)?.view());
            let (lambda, v) = linalg::symmetric_eigen(r.view());
            let kept: Vec<usize> = (0..p).filter(|&k| lambda[k] > 1.0 + KAISER_TOL).collect();
            if kept.is_empty() {
                warnings.push(format!(
                    "pca: the columns {} are uncorrelated (no eigenvalue of their correlation \
                     matrix exceeds 1): equal weights used",
                    varying.iter().map(|&j| label(names, j)).collect::<Vec<_>>().join(", ")
                ));
                for &j in &varying {
                    u[j] = 1.0;
                }
            } else {
                let explained = stats::sum(kept.iter().map(|&k| lambda[k]));
                for (pos, &j) in varying.iter().enumerate() {
                    // kept is in descending eigenvalue order: strict > gives ties to the
                    // larger component.
                    let mut best = kept[0];
                    for &k in &kept[1..] {
                        if v[[pos, k]].powi(2) > v[[pos, best]].powi(2) {
                            best = k;
                        }
                    }
                    u[j] = v[[pos, best]].powi(2) * lambda[best] / explained;
                }
            }
        }
    }
    Ok(proportional(u, names, "pca", "no column varies", warnings))
}
