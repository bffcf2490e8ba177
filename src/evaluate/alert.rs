//! Early warning (监测预警) of one indicator value, METHODS.md §6.
//!
//! # Rule
//! ```text
//! s = attainment of the unit's standard (the `target` normalisation, in [0, 1])
//! green   s ≥ 1
//! yellow  yellow ≤ s < 1        (yellow: the indicator's `[indicators.warning] yellow`, default 0.9)
//! red     s < yellow
//! a bottom-line (底线) indicator that misses its standard (s < 1) is red
//! a significant worsening trend raises the level one step (green → yellow → red)
//! ```
//! Every alert carries its reason in words, with the numbers that produced it.

use serde::Serialize;

use crate::catalog::{Indicator, IndicatorType};
use crate::error::{shown_fixed, Result};
use crate::normalize::attainment;

/// Default yellow threshold on attainment when the catalogue gives none.
pub const DEFAULT_YELLOW: f64 = 0.9;

/// A warning level, ordered green < yellow < red.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Meets its standard (attainment ≥ 1).
    Green,
    /// Short of the standard but at least the yellow threshold.
    Yellow,
    /// Below the yellow threshold, a bottom-line miss, or raised by a worsening trend.
    Red,
}

impl Level {
    /// `green`, `yellow` or `red`, as in serde.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Green => "green",
            Level::Yellow => "yellow",
            Level::Red => "red",
        }
    }

    /// One step more serious; red stays red.
    pub fn raised(self) -> Level {
        match self {
            Level::Green => Level::Yellow,
            Level::Yellow | Level::Red => Level::Red,
        }
    }
}

/// The warning of one value: its attainment, level and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Alert {
    /// Attainment of the unit's standard (达标度), in [0, 1]; 1 = met.
    pub attainment: f64,
    /// The warning level, after any raise by a worsening trend.
    pub level: Level,
    /// Why, in words, with the numbers that produced the level.
    pub reason: String,
}

/// The warning of value `x` of `unit` on `ind`; `worsening` says a significant worsening trend
/// leads to it (the caller's trend test).
///
/// `Ok(None)` when no standard applies to the unit or `x` is missing.
///
/// # Errors
/// [`Error::Method`](crate::Error::Method) for a negative value (attainment needs x ≥ 0).
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::evaluate::{alert, Level};
/// let catalog = citycheck::Catalog::from_toml(r#"
///     [catalog]
///     id = "demo"
///     name = "demo"
///     version = "1"
///     [[groups]]
///     id = "housing"
///     name_zh = "住房"
///     name_en = "housing"
///     [[indicators]]
///     id = "green_space"
///     name_zh = "人均公园绿地面积"
///     name_en = "park area per person"
///     group = "housing"
///     unit = "m²/person"
///     direction = "higher"
///     standard = { value = 10.0 }
/// "#, "demo.toml")?;
/// let ind = &catalog.indicators()[0];
/// let a = alert(ind, "沈阳市", 9.5, false)?.unwrap(); // attainment 0.95
/// assert_eq!(a.level, Level::Yellow);
/// assert_eq!(alert(ind, "沈阳市", 9.5, true)?.unwrap().level, Level::Red);
/// assert_eq!(alert(ind, "沈阳市", 12.0, false)?.unwrap().level, Level::Green);
/// # Ok(()) }
/// ```
pub fn alert(ind: &Indicator, unit: &str, x: f64, worsening: bool) -> Result<Option<Alert>> {
    let Some(s) = attainment(&ind.criterion(), unit, x)? else { return Ok(None) };
    let yellow = ind.warning.as_ref().map_or(DEFAULT_YELLOW, |w| w.yellow);
    let (mut level, mut reason) = if s >= 1.0 {
        (Level::Green, "meets its standard (attainment 1)".to_string())
    } else if ind.kind == IndicatorType::BottomLine {
        (Level::Red, format!("bottom-line indicator misses its standard (attainment {})", shown_fixed(s, 3)))
    } else if s >= yellow {
        (
            Level::Yellow,
            format!("attainment {} is below 1 but at least the yellow threshold {yellow}", shown_fixed(s, 3)),
        )
    } else {
        (Level::Red, format!("attainment {} is below the yellow threshold {yellow}", shown_fixed(s, 3)))
    };
    if worsening {
        let raised = level.raised();
        if raised != level {
            reason.push_str(&format!("; significant worsening trend raises it from {}", level.as_str()));
        } else {
            reason.push_str("; and a significant worsening trend");
        }
        level = raised;
    }
    Ok(Some(Alert { attainment: s, level, reason }))
}
