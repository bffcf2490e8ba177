//! Coefficient-of-variation weights (变异系数法) on the raw columns (METHODS.md §4).
//!
//! # Formula
//! ```text
//! x̄_j = (1/m) Σ_i x_ij,   s_j = √(Σ_i (x_ij − x̄_j)² / (m − 1))      (ddof = 1)
//! v_j = s_j / |x̄_j|,       w_j = v_j / Σ_k v_k
//! ```
//! The ddof of s does not matter for w: it scales every v_j by the same √(m/(m − 1)), which
//! cancels (the columns are complete, so all have the same m). Shuai et al.'s weights on Xu's
//! matrix are reproduced with either. v is scale-free (a column in 万元 and the same column in
//! 元 get the same v), but it is meant for ratio-scale data of one sign: a mean near 0 makes v
//! explode, and a mean of exactly 0 is an error.
//!
//! A constant column has s = 0, so v = 0 and weight 0 (whatever its mean, even 0). If no
//! column varies the weights are equal, with a warning.
//!
//! # References
//! Shuai, Li, Yang & Wang (2012), Proc. 24th Chinese Control and Decision Conference
//! (CCDC 2012), pp. 3889–3892; data from Xu (2004), EJOR 156(2):530–532.

use crate::error::{Error, Result};
use crate::kernels::{columns, stats, ArrayView2};

use super::objective::{is_constant, location, proportional, require_complete, spread};

/// Coefficient-of-variation weights of the columns of `x` (raw values).
///
/// # Errors
/// [`Error::Method`] naming the column if a cell is missing or infinite, or if a varying
/// column has mean 0 (v undefined).
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::kernels::array;
/// // Shuai et al. (2012) on Xu's (2004) matrix: w = [0.4258, 0.3610, 0.2121, 0.0011]
/// let x = array![[30.0, 30.0, 38.0, 29.0], [19.0, 54.0, 86.0, 29.0],
///                 [19.0, 15.0, 85.0, 28.9], [68.0, 70.0, 60.0, 29.0]];
/// let names: Vec<String> = (1..=4).map(|j| format!("c{j}")).collect();
/// let w = citycheck::weight::cv(x.view(), &names, &mut Vec::new())?;
/// assert!((w[0] - 0.4258).abs() < 5e-5);
/// # Ok(()) }
/// ```
pub fn cv(x: ArrayView2<'_, f64>, names: &[String], warnings: &mut Vec<String>) -> Result<Vec<f64>> {
    require_complete(x, names, "cv")?;
    let mut v = Vec::with_capacity(x.ncols());
    for (j, col) in columns(x).enumerate() {
        if is_constant(&col) {
            v.push(0.0);
            continue;
        }
        let mean = stats::mean(&col);
        if mean == 0.0 {
            return Err(Error::method(
                "cv",
                location(names, j),
                "the column's mean is 0, so its coefficient of variation sd/|mean| is undefined; \
                 use std or critic for data centred on 0",
            ));
        }
        v.push(spread(&col) / mean.abs());
    }
    Ok(proportional(v, names, "cv", "no column varies", warnings))
}
