//! Which way a value is good, the standard it is judged against, and the oriented value o(x)
//! that makes every direction higher-is-better. A leaf: the catalogue holds these per
//! indicator, and the methods read them as a [`Criterion`] without ever seeing the catalogue.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Which way an indicator is good.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 正向: more is better (also written `正向`, `正`, `+`, `benefit` or `max`).
    #[serde(alias = "正向", alias = "正", alias = "+", alias = "benefit", alias = "max")]
    Higher,
    /// 负向: less is better (also written `负向`, `负`, `-`, `−`, `cost` or `min`).
    #[serde(alias = "负向", alias = "负", alias = "-", alias = "−", alias = "cost", alias = "min")]
    Lower,
    /// 区间型: best anywhere inside `[a, b]`.
    Band([f64; 2]),
    /// Best at exactly this value.
    Target(f64),
}

/// The spellings of a benefit criterion that [`Direction::from_type`] reads.
pub const BENEFIT_TYPES: &[&str] = &["1", "+1", "+", "benefit", "max", "higher", "正向", "正"];
/// The spellings of a cost criterion that [`Direction::from_type`] reads.
pub const COST_TYPES: &[&str] = &["-1", "-", "−", "cost", "min", "lower", "负向", "负"];

impl Direction {
    /// A criterion type as papers and tools write it: `1`, `+`, `benefit`, `max`, `正向` (more is
    /// better) or `-1`, `-`, `cost`, `min`, `负向` (less is better), the notation of R's MCDM
    /// packages, pymcdm and Chinese tools; surrounding spaces and case are ignored.
    ///
    /// # Errors
    /// A message listing the accepted spellings.
    ///
    /// # Examples
    /// ```
    /// use citycheck::direction::Direction;
    /// assert_eq!(Direction::from_type("+").unwrap(), Direction::Higher);
    /// assert_eq!(Direction::from_type("负向").unwrap(), Direction::Lower);
    /// assert!(Direction::from_type("0").is_err());
    /// ```
    pub fn from_type(text: &str) -> std::result::Result<Direction, String> {
        let t = text.trim().to_lowercase();
        if BENEFIT_TYPES.contains(&t.as_str()) {
            Ok(Direction::Higher)
        } else if COST_TYPES.contains(&t.as_str()) {
            Ok(Direction::Lower)
        } else {
            Err(format!(
                "criterion type '{text}' is neither a benefit ({}) nor a cost ({})",
                BENEFIT_TYPES.join(", "),
                COST_TYPES.join(", ")
            ))
        }
    }

    /// The best interval `[a, b]` of band and target directions (`[T, T]` for a target).
    pub fn band(&self) -> Option<(f64, f64)> {
        match *self {
            Direction::Band([a, b]) => Some((a, b)),
            Direction::Target(t) => Some((t, t)),
            _ => None,
        }
    }
}

/// The oriented value `o(x)`: higher is better. `x` (higher), `−x` (lower), and minus the
/// distance to the best interval for band and target directions; a missing value (NaN) stays
/// missing in every direction.
#[inline]
pub fn orient(direction: Direction, x: f64) -> f64 {
    match direction {
        Direction::Higher => x,
        Direction::Lower => -x,
        // A missing value stays missing: `f64::max` would turn NaN into 0, "inside the band".
        Direction::Band(_) | Direction::Target(_) if x.is_nan() => f64::NAN,
        Direction::Band(_) | Direction::Target(_) => {
            let (a, b) = direction.band().expect("band or target");
            -((a - x).max(0.0) + (x - b).max(0.0))
        }
    }
}

/// The standard (标准值) or target (目标值) of an indicator.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    /// The catalogue-wide standard; `None` when the standard applies only to the units in
    /// `by_unit`, or is a collective total that cannot be checked unit by unit (see `note`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// The year by which the target is to be met (progress to target in the five-year
    /// evaluation); `None` when the source gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<i32>,
    /// Per-unit overrides, keyed by unit name as it appears in the data.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by_unit: BTreeMap<String, f64>,
    /// The standard's wording in the source, its scope and caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Standard {
    /// The standard that applies to `unit`: its override, else the catalogue-wide value.
    pub fn value_for(&self, unit: &str) -> Option<f64> {
        self.by_unit.get(unit).copied().or(self.value)
    }
}

/// What a method reads of one indicator: its id (for messages), direction, goalposts,
/// standard, and whether its values were divided by a denominator. Plain values: the
/// catalogue makes one per indicator ([`crate::catalog::Indicator::criterion`]), a program
/// without a catalogue builds one by hand.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Criterion<'a> {
    /// The indicator's id, for messages.
    pub id: &'a str,
    /// Which way it is good; `None` when the catalogue does not say (scored as higher).
    pub direction: Option<Direction>,
    /// Fixed goalposts `[L, U]` for the `goalposts` normalisation.
    pub goalposts: Option<[f64; 2]>,
    /// The standard or target.
    pub standard: Option<&'a Standard>,
    /// The values are divided by a denominator (per capita, a share): a count whose standard
    /// is 0 is then scored as 1 − share.
    pub divided: bool,
}

impl<'a> Criterion<'a> {
    /// A criterion with only an id and a direction.
    pub fn new(id: &'a str, direction: Direction) -> Criterion<'a> {
        Criterion { id, direction: Some(direction), goalposts: None, standard: None, divided: false }
    }

    /// With goalposts `[L, U]`.
    pub fn goalposts(mut self, lower: f64, upper: f64) -> Self {
        self.goalposts = Some([lower, upper]);
        self
    }

    /// With a standard.
    pub fn standard(mut self, standard: &'a Standard) -> Self {
        self.standard = Some(standard);
        self
    }

    /// The direction the methods use: the declared one, or higher.
    pub fn oriented(&self) -> Direction {
        self.direction.unwrap_or(Direction::Higher)
    }
}
