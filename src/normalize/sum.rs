//! `sum`: x/Σx (benefit), (1/x)/Σ(1/x) (cost), as in pymcdm. Needs x >= 0 (cost: x > 0).

use super::{indicator_error, Params};
use crate::direction::{Criterion, Direction};
use crate::error::{Error, Location, Result};
use crate::kernels::{scale, stats};

pub(super) fn fit(ind: &Criterion<'_>, dir: Direction, xs: &[f64]) -> Result<Params> {
    if dir.band().is_some() {
        return Err(indicator_error("sum", ind, "sum normalisation is not defined for band or target directions"));
    }
    let present = stats::present(xs);
    if present.clone().any(|x| x < 0.0) {
        return Err(indicator_error("sum", ind, "sum normalisation needs values >= 0"));
    }
    let cost = dir == Direction::Lower;
    if cost && present.clone().any(|x| x == 0.0) {
        return Err(indicator_error(
            "sum",
            ind,
            "sum normalisation of a 'lower' indicator uses 1/x: values must be > 0",
        ));
    }
    let norm = scale::sum_total(cost, xs);
    if norm == 0.0 {
        return Ok(Params::Uniform { value: 1.0 / stats::count(xs) as f64 });
    }
    Ok(Params::Norm { norm })
}

pub(super) fn apply(ind: &Criterion<'_>, dir: Direction, norm: f64, unit: &str, x: f64) -> Result<f64> {
    let bad = |message: String| {
        Error::method(
            "sum",
            Some(Location { unit: Some(unit.to_string()), indicator: Some(ind.id.to_string()), ..Default::default() }),
            message,
        )
    };
    match dir {
        Direction::Lower if x <= 0.0 => Err(bad(format!("1/x needs x > 0, found {x}"))),
        Direction::Lower => Ok(scale::sum_value(true, x, norm)),
        _ if x < 0.0 => Err(bad(format!("needs x >= 0, found {x}"))),
        _ => Ok(scale::sum_value(false, x, norm)),
    }
}
