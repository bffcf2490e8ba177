//! `target` (达标/目标值法): attainment of the standard T, in [0, 1].
//! higher: min(x/T, 1); lower: min(T/x, 1) with x = 0 → 1; band [a, b]: 1 inside, x/a below,
//! b/x above. A lower indicator with target 0 (a count of problems that should be none) scores
//! 1 at x = 0; otherwise max(0, 1 − count/denominator) when the catalogue names a denominator
//! (the run has divided by it: `denominate = true`, the default), else 0. A unit without a standard (the catalogue gives one only for named units) is not
//! scored on the indicator: missing, with a warning at fit time.

use super::{indicator_error, Params};
use crate::direction::{Criterion, Direction};
use crate::error::{Error, Location, Result};

pub(super) fn fit(ind: &Criterion<'_>, warnings: &mut Vec<String>) -> Result<Params> {
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

pub(super) fn apply(ind: &Criterion<'_>, dir: Direction, t: Option<f64>, unit: &str, x: f64) -> Result<f64> {
    let fail = |message: String| {
        Error::method(
            "target",
            Some(Location { unit: Some(unit.to_string()), indicator: Some(ind.id.to_string()), ..Default::default() }),
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
        Direction::Lower if t == 0.0 && ind.divided => 1.0 - x,
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

/// Attainment of `unit`'s standard on indicator `ind` at value `x`, in [0, 1] (METHODS.md §3
/// `target`, §6): the same number as the `target` normalisation, for diagnosis and warnings.
///
/// `Ok(None)` when no standard applies to `unit` (none in the catalogue, a city-only standard
/// for another city, or a collective total without a value) or `x` is missing. For a band or
/// target direction the standard is the direction's interval. Values after the run's
/// denominators (a count with a denominator is a share).
///
/// # Errors
/// [`Error::Method`] (method `target`) for a negative value.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::normalize::attainment;
/// let catalog = citycheck::Catalog::builtin("liaoning-pilot-2025")?;
/// let ind = catalog.indicators().iter().find(|i| i.standard.as_ref().is_some_and(|s| s.value.is_some())).unwrap();
/// let t = ind.standard.as_ref().unwrap().value.unwrap();
/// assert_eq!(attainment(&ind.criterion(), "沈阳市", t)?, Some(1.0));
/// assert_eq!(attainment(&ind.criterion(), "沈阳市", f64::NAN)?, None);
/// # Ok(()) }
/// ```
pub fn attainment(ind: &Criterion<'_>, unit: &str, x: f64) -> Result<Option<f64>> {
    let Some(dir) = ind.direction else { return Ok(None) };
    if x.is_nan() {
        return Ok(None);
    }
    let t = ind.standard.as_ref().and_then(|s| s.value_for(unit));
    if dir.band().is_none() && t.is_none() {
        return Ok(None);
    }
    let s = apply(ind, dir, t, unit, x)?;
    Ok((!s.is_nan()).then_some(s))
}

/// The standard that applies to `unit` on `ind` as a number to compare with: the unit's
/// override or the catalogue-wide value; `None` without one. Band and target directions have
/// no single standard value (their interval is the standard).
pub fn standard_value(ind: &Criterion<'_>, unit: &str) -> Option<f64> {
    ind.standard.as_ref().and_then(|s| s.value_for(unit))
}

/// Gap to the standard in the indicator's own unit, positive when short of it: higher T − x,
/// lower x − T, band/target the distance to the interval (0 inside). `None` without a standard
/// or for a missing value.
pub fn gap_to_standard(ind: &Criterion<'_>, unit: &str, x: f64) -> Option<f64> {
    if x.is_nan() {
        return None;
    }
    match ind.direction? {
        Direction::Higher => standard_value(ind, unit).map(|t| t - x),
        Direction::Lower => standard_value(ind, unit).map(|t| x - t),
        dir @ (Direction::Band(_) | Direction::Target(_)) => {
            let (a, b) = dir.band().expect("band or target");
            Some((a - x).max(x - b).max(0.0))
        }
    }
}
