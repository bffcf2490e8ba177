//! What the objective (data-driven) weighting methods `critic`, `cv`, `std`, `pca` and
//! `deviation_max` share: complete columns, the spread of a column, and the final scaling to
//! sum 1 with the equal-weights fallback.

use crate::error::{Error, Location, Result};
use crate::kernels::{columns, stats, ArrayView2};

/// The location of column `j`, for error messages.
pub(super) fn location(names: &[String], j: usize) -> Option<Location> {
    Some(Location { column: names.get(j).cloned(), ..Default::default() })
}

/// The name of column `j`, or its 1-based position when no name was given.
pub(super) fn label(names: &[String], j: usize) -> String {
    names.get(j).cloned().unwrap_or_else(|| format!("column {}", j + 1))
}

/// Refuses a matrix with a missing (`NaN`) or infinite cell, naming the column.
///
/// These methods compare whole columns with each other (correlations, spreads), so a gap
/// cannot simply be skipped: the missing-data policy must fill it first.
pub(super) fn require_complete(x: ArrayView2<'_, f64>, names: &[String], method: &'static str) -> Result<()> {
    for (j, col) in columns(x).enumerate() {
        if let Some(i) = col.iter().position(|v| !v.is_finite()) {
            let found = if col[i].is_nan() { "a missing value".to_string() } else { format!("the value {}", col[i]) };
            return Err(Error::method(
                method,
                location(names, j),
                format!(
                    "{found} in row {} of the weighting matrix; {method} needs complete, finite \
                     columns (impute missing values first)",
                    i + 1
                ),
            ));
        }
    }
    Ok(())
}

/// Whether every value of the column is the same (true for fewer than two values).
pub(super) fn is_constant(col: &[f64]) -> bool {
    col.windows(2).all(|w| w[0] == w[1])
}

/// Sample standard deviation (ddof = 1) of a complete column, exactly 0 for a constant column
/// or fewer than two values. (Computed naively, the rounded mean of [0.1, 0.1, 0.1] is not 0.1
/// and the sd would be ~1e-17 instead of 0.)
pub(super) fn spread(col: &[f64]) -> f64 {
    if is_constant(col) {
        0.0
    } else {
        stats::sd_complete(col)
    }
}

/// `scores / Σ scores`, or equal weights with a warning when Σ scores = 0 (`reason` says why
/// no column scored, e.g. "no column varies").
pub(super) fn proportional(
    scores: Vec<f64>,
    names: &[String],
    method: &str,
    reason: &str,
    warnings: &mut Vec<String>,
) -> Vec<f64> {
    let total = stats::sum(scores.iter().copied());
    if total > 0.0 {
        scores.into_iter().map(|s| s / total).collect()
    } else {
        warnings.push(format!("{method}: {reason} among {}: equal weights used", names.join(", ")));
        super::equal(scores.len())
    }
}
