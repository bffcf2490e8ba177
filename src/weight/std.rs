//! Standard-deviation weights on the given columns (METHODS.md §4).
//!
//! # Formula
//! ```text
//! s_j = √(Σ_i (x_ij − x̄_j)² / (m − 1))      (ddof = 1),     w_j = s_j / Σ_k s_k
//! ```
//! The columns are used as given, without normalising them first: s_j is in the column's
//! unit, so the method is meant for columns already on a common scale (normalised values),
//! and raw columns in different units give meaningless weights. This is pymcdm's
//! `standard_deviation_weights` convention (its test matrix, from Jahan & Edwards 2013, is
//! already min-max scaled: every column spans exactly [0, 1], so normalising or not gives
//! the same result there). The ddof does not matter for w: it scales every s_j by the same
//! factor, which cancels.
//!
//! A constant column has s = 0 and weight 0. If no column varies the weights are equal, with
//! a warning.
//!
//! # References
//! Jahan & Edwards (2013), Materials & Design 49:1000–1008; Diakoulaki, Mavrotas &
//! Papayannakis (1995), Computers & Operations Research 22(7):763–770 (standard deviation
//! as contrast intensity).

use crate::error::Result;
use crate::kernels::{columns, ArrayView2};

use super::objective::{proportional, require_complete, spread};

/// Standard-deviation weights of the columns of `x`.
///
/// # Errors
/// [`Error::Method`](crate::Error::Method) naming the column if a cell is missing or infinite.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::kernels::array;
/// // sd = 1 and 2: w = [1/3, 2/3]
/// let x = array![[0.0, 0.0], [1.0, 2.0], [2.0, 4.0]];
/// let names = vec!["a".to_string(), "b".to_string()];
/// let w = citycheck::weight::std(x.view(), &names, &mut Vec::new())?;
/// assert!((w[0] - 1.0 / 3.0).abs() < 1e-12);
/// # Ok(()) }
/// ```
pub fn std(x: ArrayView2<'_, f64>, names: &[String], warnings: &mut Vec<String>) -> Result<Vec<f64>> {
    require_complete(x, names, "std")?;
    let s = columns(x).map(|col| spread(&col)).collect();
    Ok(proportional(s, names, "std", "no column varies", warnings))
}
