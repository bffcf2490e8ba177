//! `min_max`: r = (o − min)/(max − min) on the oriented value o(x).

use super::{orient, Params};
use crate::direction::{Criterion, Direction};
use crate::kernels::scale;

/// Bounds of the oriented values; a constant column is reported (every value will score 1).
pub(super) fn fit(ind: &Criterion<'_>, dir: Direction, xs: &[f64], warnings: &mut Vec<String>) -> Params {
    let (min, max) = scale::oriented_bounds(dir, xs).unwrap_or((f64::INFINITY, f64::NEG_INFINITY));
    if min == max {
        warnings.push(format!("indicator '{}' is constant in the fitting data: every unit gets the top score", ind.id));
    }
    Params::Bounds { min, max }
}

/// A constant fitting column (max = min) scores 1.
pub(super) fn apply(dir: Direction, min: f64, max: f64, x: f64) -> f64 {
    scale::min_max_value(orient(dir, x), min, max, 1.0)
}
