//! `weighted_product`: the weighted product model (WPM, 加权积法) on a decision matrix.
//!
//! # Formula
//! ```text
//! r_ij = x_ij / Σ_i x_ij            (higher)
//! r_ij = (1/x_ij) / Σ_i (1/x_ij)    (lower)
//! P_i  = Π_j r_ij^{w_j} = exp(Σ_j w_j ln r_ij)        higher is better, in (0, 1]
//! ```
//! i = 1..m units (rows), j = 1..n criteria (columns), x the raw value, w the weight as given.
//! The normalisation is the sum normalisation of pymcdm's `WPM()` (pymcdm 1.4.0) and of the
//! crate's `weighted_sum` with `sum`.
//!
//! # Why there is no choice of normalisation
//! WPM compares units by ratios: for any two units
//! `P_k / P_l = Π_j (x_kj / x_lj)^{±w_j}` (+ for higher, − for lower columns), the form of
//! Bridgman (1922) and Miller & Starr (1969), which holds whatever the unit of measurement of
//! each column. Any normalisation that only rescales a column (x/Σx, x/max, x/√Σx²) multiplies
//! every P by the same constant and leaves that ratio and the ranking unchanged, so offering
//! several would change nothing but the size of P. Min-max would not rescale: it maps every
//! column's worst unit to 0, and a 0 ends the product (below). The sum normalisation is kept
//! for agreement with pymcdm.
//!
//! Zero: r_ij = 0 (x = 0 in a higher column with weight > 0) would make P_i = 0 whatever the
//! unit's other criteria, a veto that no weight can compensate, and ln 0 = −∞. As the crate's
//! `geometric` aggregation (METHODS.md §5), this is an error naming the unit and the column,
//! not a silent 0: shift the column (x + c, c > 0, changes the ratios: say so in the report),
//! impute, or use `weighted_sum`. A lower column needs x > 0 for 1/x.
//!
//! Edge cases:
//! - a constant column has r = 1/m for every unit and multiplies every P by (1/m)^{w_j}: the
//!   ranking does not change; an all-zero higher column also scores 1/m (the crate's `sum`
//!   normalisation), so it is not a zero;
//! - one unit (m = 1): r = 1 in every column, P = 1;
//! - a column with weight 0 contributes r^0 = 1 (0^0 = 1, as in pymcdm and numpy); it is
//!   still normalised, and so checked;
//! - the weights are used as given, as in TOPSIS, VIKOR and pymcdm: scaling all of them by c
//!   raises every P to the power c and keeps the ranking. Each must be finite and ≥ 0, with a
//!   positive sum.
//!
//! # Errors
//! - [`Error::Method`] naming the unit and column of a missing (`NaN`) or infinite cell (impute
//!   first), of a negative value, of a 0 in a higher column with weight > 0, or of a value ≤ 0
//!   in a lower column;
//! - [`Error::Method`] naming the column of a band or target direction (no ratio form: use
//!   `weighted_sum` or `topsis` with min-max normalisation);
//! - [`Error::Spec`] when the weights or directions do not match the columns, or a weight is
//!   negative or not finite, or the weights sum to 0.
//!
//! # References
//! Bridgman (1922), Dimensional Analysis, Yale University Press;
//! Miller & Starr (1969), Executive Decisions and Operations Research, 2nd ed., Prentice-Hall;
//! Triantaphyllou (2000), Multi-Criteria Decision Making Methods: A Comparative Study, Kluwer,
//! ch. 2;
//! pymcdm 1.4.0, `pymcdm.methods.WPM` (the peer of tests/it/mcda_weighted.rs).

use super::topsis::check_decision_matrix;
use super::weighted_sum::sum_normalized;
use super::Labels;
use crate::direction::Direction;
use crate::error::{Error, Result};
use crate::kernels::{columns, ArrayView2};

/// Weighted product P = Π r^w of each row of the decision matrix `x` (rows = units, columns =
/// criteria), r the sum-normalised values; higher is better.
///
/// See the module documentation for the formula, why the normalisation is fixed, what a zero
/// does, and the edge cases.
///
/// # Errors
/// [`Error::Method`] naming the unit and column of a missing, infinite, negative or (with a
/// positive weight) zero value, or the column of a band or target direction; [`Error::Spec`]
/// for weights or directions that do not fit the columns.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::aggregate::{weighted_product, Labels};
/// use citycheck::direction::Direction::{Higher, Lower};
/// use citycheck::kernels::array;
/// // r = [1/4, 3/4] (higher: x/Σx) and [3/4, 1/4] (lower: (1/x)/Σ(1/x)), w = [0.5, 0.5]:
/// // P = [√(1/4 · 3/4), √(3/4 · 1/4)] — a tie, the second unit is better on the first criterion
/// // by the same ratio as it is worse on the second.
/// let x = array![[1.0, 2.0], [3.0, 6.0]];
/// let labels = Labels { rows: &[], columns: &[], year: None };
/// let p = weighted_product(x.view(), &[0.5, 0.5], &[Higher, Lower], labels)?;
/// assert!((p[0] - 3f64.sqrt() / 4.0).abs() < 1e-12 && (p[1] - p[0]).abs() < 1e-12);
/// # Ok(()) }
/// ```
pub fn weighted_product(
    x: ArrayView2<'_, f64>,
    w: &[f64],
    directions: &[Direction],
    labels: Labels<'_>,
) -> Result<Vec<f64>> {
    const METHOD: &str = "weighted_product";
    check_decision_matrix(METHOD, x, w, directions, labels)?;
    let m = x.nrows();
    // Σ_j w_j ln r_ij, accumulated column by column (contiguous memory).
    let mut log_score = vec![0.0; m];
    let mut r = vec![0.0; m];
    for (j, col) in columns(x).enumerate() {
        sum_normalized(METHOD, directions[j], &col, j, labels, &mut r)?;
        let wj = w[j];
        if wj == 0.0 {
            continue;
        }
        if let Some(i) = r.iter().position(|&rij| rij == 0.0) {
            return Err(Error::method(
                METHOD,
                Some(labels.locate(i, j)),
                format!(
                    "needs values > 0, found {}: a 0 would make the unit's product 0 whatever its other \
                     criteria; impute or shift the column, or use weighted_sum",
                    col[i]
                ),
            ));
        }
        for (s, &rij) in log_score.iter_mut().zip(&r) {
            *s += wj * rij.ln();
        }
    }
    Ok(log_score.into_iter().map(f64::exp).collect())
}
