//! `topsis`: closeness to the ideal and distance from the anti-ideal (METHODS.md §5).
//!
//! # Formula
//! ```text
//! vector:   r_ij = x_ij / √(Σ_i x_ij²)
//! min_max:  r_ij = (o_ij − min_i o_ij) / (max_i o_ij − min_i o_ij),   o = o(x) oriented
//! v_ij  = w_j r_ij
//! A+_j  = best_i v_ij,  A−_j = worst_i v_ij
//! D+_i  = √(Σ_j (v_ij − A+_j)²),   D−_i = √(Σ_j (v_ij − A−_j)²)
//! C_i   = D−_i / (D+_i + D−_i)      in [0, 1], higher is better
//! ```
//! o(x) is the oriented value of the crate's `min_max` normalisation: x (higher), −x (lower),
//! minus the distance to the best interval (band, target).
//!
//! Best and worst: under `vector`, best = max and worst = min for a `higher` column, best = min
//! and worst = max for a `lower` column (the classic TOPSIS of Hwang & Yoon). Under `min_max`
//! the cost column is already flipped, r = (max − x)/(max − min), so best = max and worst = min
//! for every column: pymcdm's convention. Both give the same C: the distances to the ideal and
//! the anti-ideal do not change when a column is reflected (r → 1 − r) and its ideal with it.
//!
//! Edge cases:
//! - a constant column (r = 1 under `min_max`; any value under `vector`) has A+ = A− and adds
//!   nothing to D+ or D−; an all-zero column under `vector` has r = 0 (its norm is 0);
//! - if every column with a non-zero weight is constant, every row equals both ideals
//!   (D+ = D− = 0): every unit scores C = 0.5 ("as close to the best as to the worst"), never
//!   `NaN`. This covers one unit (m = 1);
//! - one column: C is the min-max of that column's oriented values;
//! - the weights are used as given (C does not change when they are all scaled by the same
//!   factor); each must be finite and ≥ 0, with a positive sum.
//!
//! # Errors
//! - [`Error::Method`] naming the unit and column of a missing (`NaN`) or infinite cell: TOPSIS
//!   compares every unit with every other on every column, so gaps must be imputed first;
//! - [`Error::Method`] naming the column of a band or target direction under `vector`
//!   normalisation (its best value is not the largest or the smallest: use `min_max`);
//! - [`Error::Spec`] when the weights or directions do not match the columns, or a weight is
//!   negative or not finite, or the weights sum to 0.
//!
//! # References
//! Hwang & Yoon (1981), Multiple Attribute Decision Making, Springer, ch. 3;
//! Opricovic & Tzeng (2004), EJOR 156(2):445–455 (min-max variant; pymcdm 1.4.0's default);
//! Tzeng & Huang (2011), Multiple Attribute Decision Making: Methods and Applications, CRC Press.

use serde::{Deserialize, Serialize};

use super::Labels;
use crate::direction::Direction;
use crate::error::{Error, Location, Result};
use crate::kernels::{columns, scale, stats, ArrayView2};

/// How TOPSIS normalises the decision matrix before weighting it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TopsisNormalization {
    /// `x/√Σx²`, ideal by direction (classic TOPSIS; default). Not defined for band or target
    /// directions.
    #[default]
    Vector,
    /// Direction-aware min-max of the oriented value, ideal = column maximum (pymcdm's default,
    /// Opricovic & Tzeng 2004). A constant column scores 1.
    MinMax,
}

/// TOPSIS closeness coefficient C of each row of the decision matrix `x` (rows = units,
/// columns = indicators), higher is better.
///
/// See the module documentation for the formula, the best / worst convention of each
/// normalisation and the edge cases.
///
/// # Errors
/// [`Error::Method`] naming the unit and column of a missing or infinite cell, or the column of
/// a band or target direction under [`TopsisNormalization::Vector`]; [`Error::Spec`] for
/// weights or directions that do not fit the columns.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::aggregate::{topsis, Labels, TopsisNormalization};
/// use citycheck::direction::Direction;
/// use citycheck::kernels::array;
/// // Tzeng & Huang (2011): C = [0.5037, 0.6581, 0.7482, 0.3340]
/// let x = array![[5.0, 8.0, 4.0], [7.0, 6.0, 8.0], [8.0, 8.0, 6.0], [7.0, 4.0, 6.0]];
/// let labels = Labels { rows: &[], columns: &[], year: None };
/// let c = topsis(x.view(), &[0.3, 0.4, 0.3], &[Direction::Higher; 3], TopsisNormalization::Vector, labels)?;
/// assert!((c[2] - 0.7482).abs() < 5e-5);
/// # Ok(()) }
/// ```
pub fn topsis(
    x: ArrayView2<'_, f64>,
    w: &[f64],
    directions: &[Direction],
    normalization: TopsisNormalization,
    labels: Labels<'_>,
) -> Result<Vec<f64>> {
    const METHOD: &str = "topsis";
    check_decision_matrix(METHOD, x, w, directions, labels)?;
    let m = x.nrows();
    // Squared distances, accumulated column by column (contiguous memory).
    let mut d_best = vec![0.0; m];
    let mut d_worst = vec![0.0; m];
    let mut r = vec![0.0; m];
    for (j, col) in columns(x).enumerate() {
        let dir = directions[j];
        match normalization {
            TopsisNormalization::Vector => {
                if dir.band().is_some() {
                    return Err(Error::method(
                        METHOD,
                        Some(column_location(labels, j)),
                        "vector normalisation is not defined for band or target directions; \
                         use TOPSIS with min_max normalisation",
                    ));
                }
                // An all-zero column scores 0 (so does a NaN norm: the sum of squares overflowed).
                let norm = scale::vector(&col, &mut r);
                if norm.is_nan() || norm <= 0.0 {
                    r.fill(0.0);
                }
            }
            TopsisNormalization::MinMax => {
                scale::oriented_min_max(dir, &col, &mut r, 1.0);
            }
        }
        let Some((lo, hi)) = stats::min_max(&r) else {
            continue; // no rows
        };
        let (best, worst) = match (normalization, dir) {
            (TopsisNormalization::Vector, Direction::Lower) => (lo, hi),
            _ => (hi, lo),
        };
        let wj = w[j];
        if wj == 0.0 || best == worst {
            continue;
        }
        for (i, &ri) in r.iter().enumerate() {
            // v − A± = w r − w best = w (r − best), as w ≥ 0.
            d_best[i] += (wj * (ri - best)).powi(2);
            d_worst[i] += (wj * (ri - worst)).powi(2);
        }
    }
    Ok(d_best
        .iter()
        .zip(&d_worst)
        .map(|(&sq_best, &sq_worst)| {
            let (plus, minus) = (sq_best.sqrt(), sq_worst.sqrt());
            if plus + minus > 0.0 {
                minus / (plus + minus)
            } else {
                0.5
            }
        })
        .collect())
}

/// The location of a whole column (indicator or child), for errors about a column.
pub(super) fn column_location(labels: Labels<'_>, j: usize) -> Location {
    Location { indicator: labels.columns.get(j).cloned(), year: labels.year, ..Default::default() }
}

/// Checks the inputs shared by the decision-matrix methods (TOPSIS, VIKOR, grey relational):
/// one weight and one direction per column, weights finite, ≥ 0 and not all 0, every cell
/// present and finite.
pub(super) fn check_decision_matrix(
    method: &'static str,
    x: ArrayView2<'_, f64>,
    w: &[f64],
    directions: &[Direction],
    labels: Labels<'_>,
) -> Result<()> {
    let n = x.ncols();
    if w.len() != n {
        return Err(Error::Spec(format!("{method}: {} weight(s) for {n} column(s)", w.len())));
    }
    if directions.len() != n {
        return Err(Error::Shape(format!("{method}: {} direction(s) for {n} column(s)", directions.len())));
    }
    if let Some(j) = w.iter().position(|wj| !(wj.is_finite() && *wj >= 0.0)) {
        let name = labels.columns.get(j).map_or_else(|| format!("column {}", j + 1), |c| format!("'{c}'"));
        return Err(Error::Spec(format!("{method}: the weight of {name} is {}, expected a finite value >= 0", w[j])));
    }
    if stats::sum(w.iter().copied()) <= 0.0 {
        return Err(Error::Spec(format!("{method}: the weights of the {n} column(s) sum to 0")));
    }
    for (j, col) in columns(x).enumerate() {
        if let Some(i) = col.iter().position(|v| !v.is_finite()) {
            let message = if col[i].is_nan() {
                format!("value missing; {method} compares every unit on every column, so impute the gaps first")
            } else {
                format!("value {} is not finite", col[i])
            };
            return Err(Error::method(method, Some(labels.locate(i, j)), message));
        }
    }
    Ok(())
}
