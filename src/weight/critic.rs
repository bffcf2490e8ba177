//! CRITIC weights (CRiteria Importance Through Intercriteria Correlation): contrast times
//! conflict (METHODS.md §4).
//!
//! # Formula
//! ```text
//! r_ij = (x_ij − min_i x_ij) / (max_i x_ij − min_i x_ij)     every column as benefit
//! σ_j  = sd of r_·j (ddof = 1)                               contrast
//! ρ_jk = Pearson correlation of r_·j and r_·k
//! C_j  = σ_j Σ_k (1 − ρ_jk),   w_j = C_j / Σ_k C_k            conflict × contrast
//! ```
//! Every column is scaled as benefit, the original paper's convention: flipping a column
//! (cost) changes neither σ_j nor |ρ_jk| but does change the sign of ρ_jk, so a
//! direction-aware variant gives other weights and would be a separate, named method.
//!
//! The ddof of σ does not matter: changing it multiplies every σ_j, hence every C_j, by the
//! same factor √(m/(m − 1)), which cancels in w (the columns are complete, so all have the
//! same m); ρ does not depend on it at all. Diakoulaki's weights are reproduced either way.
//!
//! A constant column has σ = 0, so its weight is 0 (with a warning); its correlations are
//! undefined and are taken as 0 in the other columns' conflict sums (it neither agrees nor
//! conflicts with them). If no column scores (all constant, or the varying ones perfectly
//! positively correlated) the weights are equal, with a warning.
//!
//! # References
//! Diakoulaki, Mavrotas & Papayannakis (1995), Computers & Operations Research 22(7):763–770.

use crate::direction::Direction;
use crate::error::Result;
use crate::kernels::{self, column, columns, linalg, scale, stats, ArrayView2};

use super::objective::{label, proportional, require_complete};

/// CRITIC weights of the columns of `x`.
///
/// # Errors
/// [`Error::Method`](crate::Error::Method) naming the column if a cell is missing or infinite
/// (impute first: correlations need complete columns).
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::kernels::array;
/// // Diakoulaki et al. (1995): w = [0.20222554, 0.48090173, 0.31687273]
/// let x = array![[61.0, 1.08, 4.33], [20.7, 0.26, 4.34], [16.3, 1.98, 2.53],
///                 [9.0, 3.29, 1.65], [5.4, 2.77, 2.33], [4.0, 4.12, 1.21],
///                 [-6.1, 3.52, 2.10], [-34.6, 3.31, 0.98]];
/// let names: Vec<String> = (1..=3).map(|j| format!("c{j}")).collect();
/// let w = citycheck::weight::critic(x.view(), &names, &mut Vec::new())?;
/// assert!((w[1] - 0.48090173).abs() < 5e-9);
/// # Ok(()) }
/// ```
pub fn critic(x: ArrayView2<'_, f64>, names: &[String], warnings: &mut Vec<String>) -> Result<Vec<f64>> {
    require_complete(x, names, "critic")?;
    let (m, n) = (x.nrows(), x.ncols());
    if n == 0 {
        return Ok(Vec::new());
    }
    // Every column as benefit (o(x) = x); a constant one is all 0.
    let mut data = vec![0.0; m * n];
    let mut constant = vec![false; n];
    for (j, col) in columns(x).enumerate() {
        constant[j] = !scale::oriented_min_max(Direction::Higher, &col, &mut data[j * m..(j + 1) * m], 0.0);
    }
    let scaled = kernels::from_columns(m, n, data)?;
    let rho = linalg::pearson_correlation(scaled.view());

    let scores: Vec<f64> = (0..n)
        .map(|j| {
            if constant[j] {
                return 0.0;
            }
            let sigma = stats::sd(&column(scaled.view(), j));
            let conflict = stats::sum((0..n).map(|k| {
                let r = rho[[j, k]];
                1.0 - if r.is_nan() { 0.0 } else { r }
            }));
            sigma * conflict
        })
        .collect();

    let varying = constant.iter().filter(|&&c| !c).count();
    if varying > 0 {
        for j in (0..n).filter(|&j| constant[j]) {
            warnings.push(format!("critic: column '{}' is constant (no contrast): weight 0", label(names, j)));
        }
    }
    Ok(proportional(
        scores,
        names,
        "critic",
        "no contrast and conflict (columns constant or perfectly correlated)",
        warnings,
    ))
}
