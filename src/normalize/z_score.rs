//! `z_score`: (o − mean)/sd of the oriented value, ddof = 1.

use super::{orient, Params};
use crate::direction::{Criterion, Direction};
use crate::kernels::stats;

pub(super) fn fit(ind: &Criterion<'_>, dir: Direction, xs: &[f64], warnings: &mut Vec<String>) -> Params {
    let oriented: Vec<f64> = xs.iter().map(|&x| orient(dir, x)).collect();
    let mean = stats::mean(&oriented);
    let sd = stats::sd(&oriented);
    if sd.is_nan() || sd <= 0.0 {
        warnings.push(format!(
            "indicator '{}' has no spread in the fitting data (constant or a single value): every z-score is 0",
            ind.id
        ));
        return Params::Moments { mean, sd: 0.0 };
    }
    Params::Moments { mean, sd }
}

pub(super) fn apply(dir: Direction, mean: f64, sd: f64, x: f64) -> f64 {
    if sd == 0.0 {
        return 0.0;
    }
    (orient(dir, x) - mean) / sd
}
