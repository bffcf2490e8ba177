//! `weighted_sum`: the weighted sum model (WSM, simple additive weighting, 线性加权和法) on a
//! decision matrix.
//!
//! # Formula
//! ```text
//! min_max:  r_ij = (o_ij − min_i o_ij) / (max_i o_ij − min_i o_ij)     1 if the column is constant
//! sum:      r_ij = x_ij / Σ_i x_ij          (higher)
//!           r_ij = (1/x_ij) / Σ_i (1/x_ij)  (lower)
//! P_i  = Σ_j w_j r_ij                                                  higher is better
//! ```
//! i = 1..m units (rows), j = 1..n criteria (columns), x the raw value, w the weight as given,
//! o(x) the oriented value of the crate's `min_max` normalisation: x (higher), −x (lower), minus
//! the distance to the best interval (band, target). P lies in [0, Σ w] under both
//! normalisations; under `sum` each column's r also sums to 1 over the units, so Σ_i P_i = Σ w.
//!
//! # Which normalisation
//! WSM adds the criteria, so they must first be brought onto one scale (Triantaphyllou 2000,
//! ch. 2); the two scales offered give different numbers and can rank differently, so the
//! normalisation is always named:
//! - `min_max` (default): the scale of the rest of citycheck — grey relational analysis,
//!   VIKOR, the check-up pipeline — direction-aware for every direction (band and target
//!   too), defined for negative values (growth rates), and with weights summing to 1 it is the
//!   pipeline's `min_max` normalisation (to [0, 1]) followed by the `arithmetic` aggregation;
//! - `sum`: pymcdm's default for WSM (pymcdm 1.4.0 `WSM()` = `sum_normalization`), the
//!   conventions of the crate's `sum` normalisation: x ≥ 0 in a higher column, x > 0 in a lower
//!   one (1/x), not defined for band or target directions.
//!
//! Edge cases:
//! - a constant column scores r = 1 under `min_max` and r = 1/m under `sum` for every unit: it
//!   adds the same amount to every P and never changes the ranking; an all-zero higher column
//!   under `sum` also scores 1/m (as the crate's `sum` normalisation);
//! - one unit (m = 1): every column is constant, P = Σ w (under both normalisations);
//! - the weights are used as given, as in TOPSIS and VIKOR (and pymcdm): scaling all of them by
//!   c scales every P by c and keeps the ranking. Each must be finite and ≥ 0, with a positive
//!   sum. Every column is normalised, and so checked, even one with weight 0.
//!
//! # Errors
//! - [`Error::Method`] naming the unit and column of a missing (`NaN`) or infinite cell: the
//!   normalisation of a column uses all of its units, so gaps must be imputed first;
//! - under `sum`, [`Error::Method`] naming the unit and column of a negative value (or of a
//!   value ≤ 0 in a lower column), or naming the column of a band or target direction;
//! - [`Error::Spec`] when the weights or directions do not match the columns, or a weight is
//!   negative or not finite, or the weights sum to 0.
//!
//! # References
//! Fishburn (1967), Additive Utilities with Incomplete Product Sets: Application to Priorities
//! and Assignments, Operations Research Society of America (ORSA), Baltimore;
//! MacCrimmon (1968), Decisionmaking among Multiple-Attribute Alternatives: a Survey and
//! Consolidated Approach, RAND Memorandum RM-4823-ARPA;
//! Triantaphyllou (2000), Multi-Criteria Decision Making Methods: A Comparative Study, Kluwer,
//! ch. 2 (WSM and WPM side by side);
//! pymcdm 1.4.0, `pymcdm.methods.WSM` (the peer of tests/it/mcda_weighted.rs).

use serde::{Deserialize, Serialize};

use super::topsis::{check_decision_matrix, column_location};
use super::Labels;
use crate::direction::Direction;
use crate::error::{Error, Result};
use crate::kernels::{columns, scale, ArrayView2};

/// How the weighted sum model normalises the decision matrix before weighting it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightedSumNormalization {
    /// Direction-aware min-max of the oriented value; a constant column scores 1 (default).
    #[default]
    MinMax,
    /// `x/Σx` (higher) or `(1/x)/Σ(1/x)` (lower): pymcdm's default. Not defined for band or
    /// target directions.
    Sum,
}

/// Weighted sum P = Σ w r of each row of the decision matrix `x` (rows = units, columns =
/// criteria) after normalising each column; higher is better.
///
/// See the module documentation for the formula, the choice of normalisation and the edge
/// cases.
///
/// # Errors
/// [`Error::Method`] naming the unit and column of a missing or infinite cell, or of a value
/// outside the `sum` normalisation's domain, or the column of a band or target direction under
/// [`WeightedSumNormalization::Sum`]; [`Error::Spec`] for weights or directions that do not fit
/// the columns.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::aggregate::{weighted_sum, Labels, WeightedSumNormalization};
/// use citycheck::direction::Direction::{Higher, Lower};
/// use citycheck::kernels::array;
/// // min-max: r = [0, 1/2, 1], [0, 1, 1/2] (lower), [1/3, 1, 0]
/// // P = 0.5 r1 + 0.3 r2 + 0.2 r3 = [1/15, 3/4, 13/20]
/// let x = array![[2.0, 30.0, 4.0], [4.0, 10.0, 8.0], [6.0, 20.0, 2.0]];
/// let labels = Labels { rows: &[], columns: &[], year: None };
/// let directions = [Higher, Lower, Higher];
/// let p = weighted_sum(x.view(), &[0.5, 0.3, 0.2], &directions, WeightedSumNormalization::MinMax, labels)?;
/// assert!((p[0] - 1.0 / 15.0).abs() < 1e-12 && (p[1] - 0.75).abs() < 1e-12 && (p[2] - 0.65).abs() < 1e-12);
/// # Ok(()) }
/// ```
pub fn weighted_sum(
    x: ArrayView2<'_, f64>,
    w: &[f64],
    directions: &[Direction],
    normalization: WeightedSumNormalization,
    labels: Labels<'_>,
) -> Result<Vec<f64>> {
    const METHOD: &str = "weighted_sum";
    check_decision_matrix(METHOD, x, w, directions, labels)?;
    let m = x.nrows();
    let mut score = vec![0.0; m];
    let mut r = vec![0.0; m];
    for (j, col) in columns(x).enumerate() {
        match normalization {
            WeightedSumNormalization::MinMax => {
                scale::oriented_min_max(directions[j], &col, &mut r, 1.0);
            }
            WeightedSumNormalization::Sum => sum_normalized(METHOD, directions[j], &col, j, labels, &mut r)?,
        }
        let wj = w[j];
        if wj == 0.0 {
            continue;
        }
        for (p, &rij) in score.iter_mut().zip(&r) {
            *p += wj * rij;
        }
    }
    Ok(score)
}

/// Writes the sum normalisation of column `j` (`col`, no `NaN`) into `out`: x/Σx for a higher
/// column (1/m each when the column is all zero), (1/x)/Σ(1/x) for a lower one — the
/// conventions of the crate's `sum` normalisation and pymcdm's `sum_normalization`.
///
/// # Errors
/// [`Error::Method`] naming the unit and column of a negative value (a value ≤ 0 in a lower
/// column), or the column of a band or target direction.
pub(super) fn sum_normalized(
    method: &'static str,
    direction: Direction,
    col: &[f64],
    j: usize,
    labels: Labels<'_>,
    out: &mut [f64],
) -> Result<()> {
    match direction {
        Direction::Higher => {
            if let Some(i) = col.iter().position(|&v| v < 0.0) {
                return Err(Error::method(
                    method,
                    Some(labels.locate(i, j)),
                    format!("sum normalisation needs values >= 0, found {}", col[i]),
                ));
            }
            // An all-zero column (or a NaN total: the sum overflowed) scores 1/m.
            let total = scale::sum(false, col, out);
            if total.is_nan() || total <= 0.0 {
                out.fill(1.0 / col.len() as f64);
            }
        }
        Direction::Lower => {
            if let Some(i) = col.iter().position(|&v| v <= 0.0) {
                return Err(Error::method(
                    method,
                    Some(labels.locate(i, j)),
                    format!("sum normalisation of a 'lower' column uses 1/x: values must be > 0, found {}", col[i]),
                ));
            }
            scale::sum(true, col, out);
        }
        Direction::Band(_) | Direction::Target(_) => {
            return Err(Error::method(
                method,
                Some(column_location(labels, j)),
                "sum normalisation is not defined for band or target directions (their best value is \
                 neither the largest nor the smallest); use min_max normalisation (weighted_sum, topsis)",
            ));
        }
    }
    Ok(())
}
