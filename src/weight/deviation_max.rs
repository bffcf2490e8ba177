//! Maximising-deviation weights (离差最大化法) on normalised columns (METHODS.md §4).
//!
//! # Formula
//! ```text
//! D_j = Σ_i Σ_k |r_ij − r_kj|,     w_j = D_j / Σ_l D_l
//! ```
//! computed in O(m log m) per column from the sorted values a_(0) ≤ … ≤ a_(m−1) (0-based):
//! ```text
//! Σ_i Σ_k |a_i − a_k| = 2 Σ_{i<k} (a_(k) − a_(i)) = 2 Σ_i (2i − m + 1) a_(i)
//! ```
//! since a_(i) is the larger of a pair i times (+) and the smaller m − 1 − i times (−).
//! The matrix must already be normalised (r): D is in the column's unit, so raw columns in
//! different units give meaningless weights. Closed-form solution of Wang's model
//! max Σ_j w_j D_j subject to Σ_j w_j² = 1, renormalised to Σ w = 1.
//!
//! A constant column has D = 0 and weight 0. If no column varies the weights are equal, with
//! a warning.
//!
//! # References
//! Wang Yingming 王应明 (1998), 运用离差最大化方法进行多指标决策与排序, 系统工程与电子技术
//! 20(7):24–26, 31.

use crate::error::Result;
use crate::kernels::{columns, stats, ArrayView2};

use super::objective::{is_constant, proportional, require_complete};

/// Maximising-deviation weights of the (normalised) columns of `x`.
///
/// # Errors
/// [`Error::Method`](crate::Error::Method) naming the column if a cell is missing or infinite.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::kernels::array;
/// // D = 2(1 + 3 + 2) = 12 for [0, 1, 3] and 2(0 + 1 + 1) = 4 for [0, 0, 1]: w = [3/4, 1/4].
/// let x = array![[0.0, 0.0], [1.0, 0.0], [3.0, 1.0]];
/// let names = vec!["a".to_string(), "b".to_string()];
/// let w = citycheck::weight::deviation_max(x.view(), &names, &mut Vec::new())?;
/// assert!((w[0] - 0.75).abs() < 1e-12);
/// # Ok(()) }
/// ```
pub fn deviation_max(x: ArrayView2<'_, f64>, names: &[String], warnings: &mut Vec<String>) -> Result<Vec<f64>> {
    require_complete(x, names, "deviation_max")?;
    let m = x.nrows() as f64;
    let mut sorted = Vec::with_capacity(x.nrows());
    let mut d = Vec::with_capacity(x.ncols());
    for col in columns(x) {
        if is_constant(&col) {
            d.push(0.0);
            continue;
        }
        sorted.clear();
        sorted.extend_from_slice(&col);
        sorted.sort_by(f64::total_cmp);
        let half = stats::sum(sorted.iter().enumerate().map(|(i, &a)| (2.0 * i as f64 - m + 1.0) * a));
        d.push((2.0 * half).max(0.0));
    }
    Ok(proportional(d, names, "deviation_max", "no column varies", warnings))
}
