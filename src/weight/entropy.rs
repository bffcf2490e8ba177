//! Entropy weights (熵权法), in the two named variants of METHODS.md §4.
//!
//! # Formula
//! ```text
//! p_ij = v_ij / Σ_i v_ij
//! E_j  = −(1/ln m_j) Σ_i p_ij ln p_ij      (0 · ln 0 = 0)
//! d_j  = 1 − E_j,   w_j = d_j / Σ_k d_k
//! ```
//! `entropy`: v = x, the raw values (≥ 0). `entropy_normalized`: v = r + shift, where r is the
//! direction-aware min-max of x in [0, 1] (a constant column has r = 1).
//! m_j counts the present cells of column j: missing cells are left out of that column.
//! A column with fewer than two present cells, or constant (all zeros included), carries no
//! information: E = 1 exactly.
//! If no column carries information (Σ d = 0) the weights are equal, with a warning.
//!
//! # References
//! Xu (2004), EJOR 156(2):530–532; Zavadskas & Podvezko (2016), IJITDM 15(2):267–283.

use rayon::prelude::*;

use crate::direction::Direction;
use crate::error::{Error, Location, Result};
use crate::kernels::{column, columns, scale, stats, ArrayView2};

/// Raw-sum entropy weights of the columns of `x`.
///
/// # Errors
/// [`Error::Method`] naming the column if it holds a negative value.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::kernels::array;
/// // Xu (2004): w = [0.4630, 0.3992, 0.1378, 0.0000]
/// let x = array![[30.0, 30.0, 38.0, 29.0], [19.0, 54.0, 86.0, 29.0],
///                 [19.0, 15.0, 85.0, 28.9], [68.0, 70.0, 60.0, 29.0]];
/// let names: Vec<String> = (1..=4).map(|j| format!("c{j}")).collect();
/// let w = citycheck::weight::entropy(x.view(), &names, &mut Vec::new())?;
/// assert!((w[0] - 0.4630).abs() < 5e-5);
/// # Ok(()) }
/// ```
pub fn entropy(x: ArrayView2<'_, f64>, names: &[String], warnings: &mut Vec<String>) -> Result<Vec<f64>> {
    let mut d = Vec::with_capacity(x.ncols());
    let mut present = Vec::with_capacity(x.nrows());
    for (j, col) in columns(x).enumerate() {
        if let Some(&neg) = col.iter().find(|&&v| v < 0.0) {
            return Err(Error::method(
                "entropy",
                Some(Location { column: names.get(j).cloned(), ..Default::default() }),
                format!("raw entropy needs values >= 0, found {neg}; use entropy_normalized for data with negatives"),
            ));
        }
        present.clear();
        present.extend(stats::present(&col));
        d.push(1.0 - column_entropy(&present));
    }
    Ok(normalize_divergence(d, names, "entropy", warnings))
}

/// Entropy weights after direction-aware min-max scaling and a `shift` (default 0.0001).
pub fn entropy_normalized(
    x: ArrayView2<'_, f64>,
    directions: &[Direction],
    shift: f64,
    names: &[String],
    warnings: &mut Vec<String>,
) -> Result<Vec<f64>> {
    if !(shift.is_finite() && shift >= 0.0) {
        return Err(Error::Spec(format!("entropy_normalized: shift {shift} must be >= 0")));
    }
    // Columns are independent: in parallel, each with its own scratch (the same numbers on
    // any number of threads).
    let d: Vec<f64> = (0..x.ncols())
        .into_par_iter()
        .map(|j| {
            let col = column(x, j);
            let dir = directions.get(j).copied().unwrap_or(Direction::Higher);
            let present: Vec<f64> = stats::present(&col).collect();
            let mut scaled = vec![0.0; present.len()];
            // r = (o − lo)/(hi − lo), then + shift; a constant column has E = 1.
            let e = if scale::oriented_min_max(dir, &present, &mut scaled, 1.0) {
                for v in scaled.iter_mut() {
                    *v += shift;
                }
                column_entropy(&scaled)
            } else {
                1.0
            };
            1.0 - e
        })
        .collect();
    Ok(normalize_divergence(d, names, "entropy_normalized", warnings))
}

/// E = −(1/ln m) Σ p ln p of the non-negative values `v`, with p = v/Σv. Computed as
/// −(1/ln m)((1/T) Σ v ln v − ln T), T = Σv: one logarithm per value and no division.
fn column_entropy(v: &[f64]) -> f64 {
    let m = v.len();
    let first = v.first().copied();
    // A constant column has E = 1 exactly; computing it would leave rounding noise in d.
    if m < 2 || v.iter().all(|&x| Some(x) == first) {
        return 1.0;
    }
    let total = stats::sum(v.iter().copied());
    if total <= 0.0 {
        return 1.0;
    }
    let v_ln_v = stats::sum(v.iter().filter(|&&x| x > 0.0).map(|&x| x * x.ln()));
    let h = v_ln_v / total - total.ln();
    // Rounding can push E a hair outside [0, 1].
    (-h / (m as f64).ln()).clamp(0.0, 1.0)
}

fn normalize_divergence(d: Vec<f64>, names: &[String], method: &str, warnings: &mut Vec<String>) -> Vec<f64> {
    let total = stats::sum(d.iter().copied());
    if total > 0.0 {
        d.into_iter().map(|x| x / total).collect()
    } else {
        warnings.push(format!(
            "{method}: no column of {} varies (all constant, all zero or single values): equal weights used",
            names.join(", ")
        ));
        super::equal(d.len())
    }
}
