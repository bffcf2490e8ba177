//! `min_max`: r = (o − min)/(max − min) on the oriented value o(x).

use super::{orient, Params};
use crate::direction::{Criterion, Direction};
use crate::kernels::stats;

/// Bounds of the oriented values; a constant column is reported (every value will score 1).
pub(super) fn fit(ind: &Criterion<'_>, dir: Direction, xs: &[f64], warnings: &mut Vec<String>) -> Params {
    let (min, max) = stats::present(xs)
        .map(|x| orient(dir, x))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), o| (lo.min(o), hi.max(o)));
    if min == max {
        warnings.push(format!("indicator '{}' is constant in the fitting data: every unit gets the top score", ind.id));
    }
    Params::Bounds { min, max }
}

pub(super) fn apply(dir: Direction, min: f64, max: f64, x: f64) -> f64 {
    if max == min {
        return 1.0;
    }
    (orient(dir, x) - min) / (max - min)
}
