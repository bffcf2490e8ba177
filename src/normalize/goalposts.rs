//! `goalposts`: min-max against the catalogue's fixed bounds [L, U], clipped to [0, 1].
//! Band indicators: 1 − dist/max(a − L, U − b), clipped.

use super::{indicator_error, Params};
use crate::direction::{Criterion, Direction};
use crate::error::Result;

pub(super) fn fit(ind: &Criterion<'_>) -> Result<Params> {
    let [lower, upper] = ind.goalposts.ok_or_else(|| {
        indicator_error("goalposts", ind, "the catalogue gives no goalposts [L, U] for this indicator")
    })?;
    Ok(Params::Goalposts { lower, upper })
}

pub(super) fn apply(dir: Direction, lower: f64, upper: f64, x: f64) -> f64 {
    let r = match dir {
        Direction::Higher => (x - lower) / (upper - lower),
        Direction::Lower => (upper - x) / (upper - lower),
        // The band formula with the goalposts in place of the observed min and max.
        Direction::Band(_) | Direction::Target(_) => super::band::apply(dir, lower, upper, x),
    };
    r.clamp(0.0, 1.0)
}
