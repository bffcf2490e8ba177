//! `target` (达标/目标值法): attainment of the standard T, in [0, 1].
//! higher: min(x/T, 1); lower: min(T/x, 1) with x = 0 → 1; band [a, b]: 1 inside, x/a below,
//! b/x above. A lower indicator with target 0 (a count of problems that should be none) scores
//! 1 at x = 0; otherwise max(0, 1 − count/denominator) when the catalogue names a denominator
//! (the run has divided by it: `denominate = true`, the default), else 0. A unit without a standard (the catalogue gives one only for named units) is not
//! scored on the indicator: missing, with a warning at fit time.

use super::{indicator_error, Params};
use crate::catalog::{Direction, Indicator};
use crate::error::{Error, Location, Result};

pub(super) fn fit(ind: &Indicator, warnings: &mut Vec<String>) -> Result<Params> {
    let standard = ind.standard.as_ref().filter(|s| s.value.is_some() || !s.by_unit.is_empty()).ok_or_else(|| {
        indicator_error("target", ind, "the catalogue gives no standard that applies unit by unit for this indicator")
    })?;
    if standard.value.is_none() {
        warnings.push(format!(
            "indicator '{}' has a standard only for {}: other units are not scored on it",
            ind.id,
            standard.by_unit.keys().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(Params::Target { value: standard.value })
}

pub(super) fn apply(ind: &Indicator, dir: Direction, t: Option<f64>, unit: &str, x: f64) -> Result<f64> {
    let fail = |message: String| {
        Error::method(
            "target",
            Some(Location { unit: Some(unit.to_string()), indicator: Some(ind.id.clone()), ..Default::default() }),
            message,
        )
    };
    if x < 0.0 {
        return Err(fail(format!("attainment of a standard needs values >= 0, found {x}")));
    }
    let t = match (dir.band(), t) {
        (Some(_), _) => f64::NAN,
        (None, Some(t)) => t,
        // No standard for this unit (the fit warned): not scored.
        (None, None) => return Ok(f64::NAN),
    };
    let s = match dir {
        Direction::Higher if t <= 0.0 => 1.0,
        Direction::Higher => x / t,
        Direction::Lower if x == 0.0 => 1.0,
        // A count that should be zero: with a denominator the run has already divided it
        // (x = count / denominator), so s = max(0, 1 − x) is METHODS' 1 − count/denominator.
        Direction::Lower if t == 0.0 && ind.denominator.is_some() => 1.0 - x,
        Direction::Lower if t == 0.0 => 0.0,
        Direction::Lower => t / x,
        Direction::Band(_) | Direction::Target(_) => {
            let (a, b) = dir.band().expect("band or target");
            if x < a {
                x / a
            } else if x > b {
                b / x
            } else {
                1.0
            }
        }
    };
    Ok(s.clamp(0.0, 1.0))
}
