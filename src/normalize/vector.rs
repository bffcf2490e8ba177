//! `vector`: x/√Σx² (benefit), 1 − x/√Σx² (cost), as in TOPSIS and pymcdm.
//! An all-zero column scores 1/√m for every unit (the value of any constant column).

use super::{indicator_error, Params};
use crate::direction::{Criterion, Direction};
use crate::error::Result;
use crate::kernels::{scale, stats};

pub(super) fn fit(ind: &Criterion<'_>, dir: Direction, xs: &[f64]) -> Result<Params> {
    if dir.band().is_some() {
        return Err(indicator_error(
            "vector",
            ind,
            "vector normalisation is not defined for band or target directions",
        ));
    }
    let norm = scale::vector_norm(xs);
    if norm == 0.0 {
        return Ok(Params::Uniform { value: 1.0 / (stats::count(xs) as f64).sqrt() });
    }
    Ok(Params::Norm { norm })
}

pub(super) fn apply(dir: Direction, norm: f64, x: f64) -> f64 {
    let r = x / norm;
    match dir {
        Direction::Lower => 1.0 - r,
        _ => r,
    }
}
