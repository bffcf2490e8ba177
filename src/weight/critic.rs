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
//! # Computation
//! C_j needs only the row sums of the correlation matrix: with u_k the centred scaled column k
//! divided by its norm, ρ_jk = u_j · u_k and Σ_k ρ_jk = u_j · Σ_k u_k, so the weights take
//! O(m n) time and memory for m alternatives and n criteria, never the n × n matrix
//! (20,000 criteria would need 3.2 GB for it). Only a matrix whose scaling overflowed (a
//! range beyond f64, leaving undefined cells) goes through the pairwise-complete matrix.
//!
//! # References
//! Diakoulaki, Mavrotas & Papayannakis (1995), Computers & Operations Research 22(7):763–770.

use crate::direction::Direction;
use crate::error::Result;
use crate::kernels::{self, columns, linalg, scale, stats, ArrayView2};

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
    let conflicts = if data.iter().all(|v| v.is_finite()) {
        conflicts_by_row_sums(m, &data, &constant)
    } else {
        // Scaling overflowed (a range beyond f64): the pairwise correlations skip the cells
        // it left undefined, which the row sums cannot.
        conflicts_by_matrix(kernels::from_columns(m, n, data.clone())?.view())
    };
    let scores: Vec<f64> =
        (0..n).map(|j| if constant[j] { 0.0 } else { stats::sd(&data[j * m..(j + 1) * m]) * conflicts[j] }).collect();

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

/// The conflict Σ_k (1 − ρ_jk) of every column of the scaled matrix (`data`: `m` rows, column
/// after column), without forming the n × n correlation matrix: with u_k the centred column k
/// divided by its norm (√ of its centred sum of squares), ρ_jk = u_j · u_k, so
/// Σ_{k ≠ j} ρ_jk = u_j · (U − u_j) with U = Σ_k u_k over the varying columns; O(m n) time and
/// memory where the matrix took O(m n²) time and O(n²) memory (20,000 criteria: 3.2 GB).
/// ρ_jj counts exactly 1 and a constant column's undefined ρ counts 0 (neither agreement nor
/// conflict), as in [`conflicts_by_matrix`]; a constant column's own conflict is not used (its
/// σ is 0). A conflict within rounding of 0 (columns perfectly positively correlated) is 0.
fn conflicts_by_row_sums(m: usize, data: &[f64], constant: &[bool]) -> Vec<f64> {
    let n = constant.len();
    let mut units = vec![0.0; m * n];
    let mut total = vec![0.0; m];
    for j in (0..n).filter(|&j| !constant[j]) {
        let col = &data[j * m..(j + 1) * m];
        let mean = stats::sum(col.iter().copied()) / m as f64;
        let norm = stats::sum(col.iter().map(|&v| (v - mean) * (v - mean))).sqrt();
        let unit = &mut units[j * m..(j + 1) * m];
        for (u, &v) in unit.iter_mut().zip(col) {
            *u = (v - mean) / norm;
        }
        for (t, &u) in total.iter_mut().zip(unit.iter()) {
            *t += u;
        }
    }
    let tolerance = n as f64 * 1e-13;
    (0..n)
        .map(|j| {
            if constant[j] {
                return 0.0;
            }
            let unit = &units[j * m..(j + 1) * m];
            let with_all = stats::sum(unit.iter().zip(&total).map(|(u, t)| u * t));
            let with_self = stats::sum(unit.iter().map(|u| u * u));
            // n − 1 terms 1 − ρ_jk for k ≠ j (1 − ρ_jj = 0).
            let conflict = (n - 1) as f64 - (with_all - with_self);
            if conflict < tolerance {
                0.0
            } else {
                conflict
            }
        })
        .collect()
}

/// The conflict Σ_k (1 − ρ_jk) of every column from the full Pearson correlation matrix
/// (pairwise-complete: cells left undefined by an overflowing scale are skipped); an undefined
/// ρ counts 0. Used only when the scaled matrix has such cells.
fn conflicts_by_matrix(scaled: ArrayView2<'_, f64>) -> Vec<f64> {
    let n = scaled.ncols();
    let rho = linalg::pearson_correlation(scaled);
    (0..n)
        .map(|j| {
            stats::sum((0..n).map(|k| {
                let r = rho[[j, k]];
                1.0 - if r.is_nan() { 0.0 } else { r }
            }))
        })
        .collect()
}
