//! `percentile`: (rank − 1)/(m − 1) of the oriented value; a single value scores 1.

use super::{rank, Params};
use crate::direction::{Criterion, Direction};

pub(super) fn fit(ind: &Criterion<'_>, dir: Direction, xs: &[f64], warnings: &mut Vec<String>) -> Params {
    let params = rank::fit(dir, xs);
    if let Params::Sample { sorted } = &params {
        if sorted.len() == 1 {
            warnings.push(format!("indicator '{}' has one value in the fitting data: its percentile is 1", ind.id));
        }
    }
    params
}

pub(super) fn apply(dir: Direction, sorted: &[f64], x: f64) -> f64 {
    let m = sorted.len();
    if m <= 1 {
        return 1.0;
    }
    ((rank::apply(dir, sorted, x) - 1.0) / (m - 1) as f64).clamp(0.0, 1.0)
}
