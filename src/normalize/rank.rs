//! `rank`: average rank of the oriented value among the fitting sample, 1 = worst.

use super::{orient, Params};
use crate::direction::Direction;
use crate::kernels::rank::rank_in_sorted;

pub(super) fn fit(dir: Direction, xs: &[f64]) -> Params {
    let mut sorted: Vec<f64> = xs.iter().filter(|x| !x.is_nan()).map(|&x| orient(dir, x)).collect();
    sorted.sort_by(f64::total_cmp);
    Params::Sample { sorted }
}

pub(super) fn apply(dir: Direction, sorted: &[f64], x: f64) -> f64 {
    rank_in_sorted(sorted, orient(dir, x))
}
