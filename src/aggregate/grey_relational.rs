//! `grey_relational` (灰色关联分析): the grade of relation of each unit to the ideal unit
//! (METHODS.md §5).
//!
//! # Formula
//! ```text
//! r_ij  = (o_ij − min_i o_ij)/(max_i o_ij − min_i o_ij)     direction-aware min-max, 1 if constant
//! x0_j  = max_i r_ij                                         reference series (the ideal unit)
//! Δ_ij  = |x0_j − r_ij|
//! Δmin  = min_{i,j} Δ_ij,   Δmax = max_{i,j} Δ_ij
//! ξ_ij  = (Δmin + ρ Δmax)/(Δ_ij + ρ Δmax)                    grey relational coefficient
//! γ_i   = Σ_j w_j ξ_ij / Σ_j w_j                             grey relational grade, in (0, 1]
//! ```
//! o(x) = x (higher), −x (lower), minus the distance to the best interval (band, target), as
//! in the crate's `min_max` normalisation. ρ is the distinguishing coefficient, 0.5 by default;
//! a smaller ρ spreads the coefficients further apart. Higher γ is better.
//!
//! After min-max every column reaches 1, so x0 = 1 and Δ = 1 − r; as soon as one column
//! varies, Δmin = 0 and Δmax = 1, and ξ = ρ/(Δ + ρ).
//!
//! Edge cases:
//! - a constant column has r = 1, Δ = 0 and ξ = 1 + Δmin/(ρ Δmax) = 1 for every unit;
//! - Δmax = 0 (every column constant, including one unit, m = 1): every unit is the reference
//!   itself, ξ = 1 and γ = 1, never `NaN`;
//! - one column: γ_i = ξ_i;
//! - the weights are rescaled to sum 1 (they already do in a run), so γ stays in (0, 1].
//!
//! # Errors
//! - [`Error::Spec`] if ρ is not in (0, 1] (ρ = 0 makes every ξ of a varying column 0 or 0/0),
//!   or the weights or directions do not fit the columns, or a weight is negative or not
//!   finite, or the weights sum to 0;
//! - [`Error::Method`] naming the unit and column of a missing (`NaN`) or infinite cell (impute
//!   first).
//!
//! # References
//! Deng (1982), Control problems of grey systems, Systems & Control Letters 1(5):288–294;
//! Kuo, Yang & Huang (2008), Computers & Industrial Engineering 55(1):80–93 (grey relational
//! analysis for multi-attribute decisions).

use super::topsis::check_decision_matrix;
use super::Labels;
use crate::direction::Direction;
use crate::error::{Error, Result};
use crate::kernels::{columns, scale, stats, ArrayView2};

/// Grey relational grade γ of each row of the decision matrix `x` (rows = units, columns =
/// indicators) with distinguishing coefficient `rho`; higher is better.
///
/// See the module documentation for the formula and the edge cases.
///
/// # Errors
/// [`Error::Spec`] for ρ outside (0, 1] or weights or directions that do not fit the columns;
/// [`Error::Method`] naming the unit and column of a missing or infinite cell.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::aggregate::{grey_relational, Labels};
/// use citycheck::direction::Direction;
/// use citycheck::kernels::array;
/// // r = [0, 1/2, 1], Δ = [1, 1/2, 0], ξ = 0.5/(Δ + 0.5) = [1/3, 1/2, 1]
/// let x = array![[2.0], [4.0], [6.0]];
/// let labels = Labels { rows: &[], columns: &[], year: None };
/// let g = grey_relational(x.view(), &[1.0], &[Direction::Higher], 0.5, labels)?;
/// assert!((g[0] - 1.0 / 3.0).abs() < 1e-12 && (g[1] - 0.5).abs() < 1e-12 && g[2] == 1.0);
/// # Ok(()) }
/// ```
pub fn grey_relational(
    x: ArrayView2<'_, f64>,
    w: &[f64],
    directions: &[Direction],
    rho: f64,
    labels: Labels<'_>,
) -> Result<Vec<f64>> {
    const METHOD: &str = "grey_relational";
    if !(rho > 0.0 && rho <= 1.0) {
        return Err(Error::Spec(format!("{METHOD}: rho = {rho} must be in (0, 1] (0.5 by default)")));
    }
    check_decision_matrix(METHOD, x, w, directions, labels)?;
    let (m, n) = (x.nrows(), x.ncols());
    if m == 0 {
        return Ok(Vec::new());
    }
    // Δ, column-major like x.
    let mut delta = vec![0.0; m * n];
    for (j, (col, out)) in columns(x).zip(delta.chunks_mut(m)).enumerate() {
        scale::oriented_min_max(directions[j], &col, out, 1.0);
        let reference = out.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for d in out.iter_mut() {
            *d = (reference - *d).abs();
        }
    }
    let (delta_min, delta_max) =
        stats::min_max(&delta).expect("m >= 1, and n >= 1 since the weights sum to more than 0");
    let total_w = stats::sum(w.iter().copied());
    let mut grade = vec![0.0; m];
    for (j, col) in delta.chunks(m).enumerate() {
        let wj = w[j] / total_w;
        if wj == 0.0 {
            continue;
        }
        for (g, &d) in grade.iter_mut().zip(col) {
            let xi = if delta_max > 0.0 { (delta_min + rho * delta_max) / (d + rho * delta_max) } else { 1.0 };
            *g += wj * xi;
        }
    }
    Ok(grade)
}
