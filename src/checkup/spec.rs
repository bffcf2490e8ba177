//! The run spec: which methods a check-up uses, as a plain serde value that round-trips to
//! TOML and JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::aggregate::{Aggregate, MissingPolicy};
use crate::error::{Error, Result};
use crate::normalize::Normalize;
use crate::treat::{Imputation, OutlierRule};
use crate::weight::Weight;

/// Over which data the data-dependent parameters (bounds, weights) are fitted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Fit per year: a cross-section; scores of different years are not comparable.
    Year,
    /// Fit once over all years pooled: the same value scores the same in every year.
    #[default]
    Panel,
    /// Fit on one year, apply to every year.
    ReferenceYear(i32),
}

impl Scope {
    /// `year`, `panel` or `reference_year Y`, for messages and reports.
    pub fn label(&self) -> String {
        match self {
            Scope::Year => "year".into(),
            Scope::Panel => "panel".into(),
            Scope::ReferenceYear(y) => format!("reference_year {y}"),
        }
    }
}

/// A method per level of the hierarchy: `default` everywhere, `levels` overriding it for the
/// nodes of a given level. Levels follow COINr: indicators are level 1, the groups directly
/// above them level 2, …; the entry for level L governs how the children of a level-L node
/// are weighted and aggregated into it. Written either as a plain method table
/// (`{ method = "entropy" }`) or as `{ default = {...}, levels = { "3" = {...} } }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Staged<T> {
    /// The method of every level not in `levels`.
    pub default: T,
    /// Level (≥ 2) → the method for the nodes of that level.
    pub levels: BTreeMap<u32, T>,
}

impl<T> Staged<T> {
    /// `method` at every level.
    pub fn uniform(method: T) -> Self {
        Staged { default: method, levels: BTreeMap::new() }
    }

    /// `method` for the nodes of `level` (≥ 2), replacing any method given for it before.
    pub fn with_level(mut self, level: u32, method: T) -> Self {
        self.levels.insert(level, method);
        self
    }

    /// The method for nodes of `level`.
    pub fn at(&self, level: u32) -> &T {
        self.levels.get(&level).unwrap_or(&self.default)
    }
}

/// The written forms of [`Staged`], for serialising: the plain method when no level
/// overrides it, else the table of `default` and `levels`.
#[derive(Serialize)]
#[serde(untagged)]
enum StagedRepr<T> {
    Levels { default: T, levels: BTreeMap<String, T> },
    Plain(T),
}

impl<T: Serialize + Clone> Serialize for Staged<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        if self.levels.is_empty() {
            StagedRepr::Plain(self.default.clone()).serialize(s)
        } else {
            StagedRepr::Levels {
                default: self.default.clone(),
                levels: self.levels.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
            }
            .serialize(s)
        }
    }
}

/// Reads either form without serde's `untagged`, whose "did not match any variant" would hide
/// why the method did not parse: the value is read as a tree first; a table with a `default`
/// key is the levels form, anything else the plain method. The method's own error (an
/// unknown name with the closest known one, a bad parameter) reaches the user, prefixed with
/// where it was: `default` or `levels."3"`.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Staged<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        use serde_json::Value;

        let mut table = match Value::deserialize(d)? {
            Value::Object(table) if table.contains_key("default") => table,
            plain => return T::deserialize(plain).map(Staged::uniform).map_err(D::Error::custom),
        };
        let default = table.remove("default").unwrap_or_default();
        let levels = table.remove("levels");
        if let Some(key) = table.keys().next() {
            return Err(D::Error::custom(format!(
                "unknown key '{key}' next to 'default': a method per level is written \
                 {{ default = {{ method = ... }}, levels = {{ \"3\" = {{ method = ... }} }} }}"
            )));
        }
        let default = T::deserialize(default).map_err(|e| D::Error::custom(format!("default: {e}")))?;
        let levels = match levels {
            None => serde_json::Map::new(),
            Some(Value::Object(levels)) => levels,
            Some(other) => {
                return Err(D::Error::custom(format!(
                    "levels must be a table of methods by level, such as {{ \"3\" = {{ method = ... }} }}, not {other}"
                )))
            }
        };
        let mut parsed = BTreeMap::new();
        for (key, method) in levels {
            let level: u32 = key.parse().ok().filter(|l| *l >= 2).ok_or_else(|| {
                D::Error::custom(format!("level '{key}' must be a whole number >= 2 (indicators are level 1)"))
            })?;
            let method = T::deserialize(method).map_err(|e| D::Error::custom(format!("levels.\"{key}\": {e}")))?;
            parsed.insert(level, method);
        }
        Ok(Staged { default, levels: parsed })
    }
}

/// Everything that decides a check-up's numbers: the `[spec]` table of a run config.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::checkup::Scope;
/// use citycheck::Spec;
/// // Entropy weights for the indicators within a dimension (level 2), equal weights for the
/// // dimensions; bounds fitted on 2020 and applied to every year.
/// let spec = Spec::from_toml(r#"
///     normalize = { method = "min_max", lo = 0.0, hi = 100.0 }
///     scope = { reference_year = 2020 }
///     [weights]
///     default = { method = "equal" }
///     levels = { "2" = { method = "entropy_normalized", shift = 0.0001 } }
/// "#)?;
/// assert_eq!(spec.scope, Scope::ReferenceYear(2020));
/// assert_eq!(spec.weights.at(2).to_string(), "entropy_normalized");
/// assert_eq!(spec.weights.at(3).to_string(), "equal");
/// assert_eq!(Spec::from_toml(&spec.to_toml())?, spec); // round-trips
/// // The same spec in Rust, from the defaults.
/// let same = Spec { scope: Scope::ReferenceYear(2020), ..Spec::checkup_default() };
/// assert_eq!(same, spec);
/// assert!(Spec::from_toml("normalize = { method = \"min_maxx\" }").is_err());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Divide indicators by the denominators the catalogue names (per capita, per unit of
    /// output); default true.
    #[serde(default = "yes")]
    pub denominate: bool,
    /// Fill gaps before normalising; default `none` (gaps stay missing and aggregation
    /// renormalises). Imputed cells are flagged in the scores.
    #[serde(default)]
    pub impute: Imputation,
    /// Outlier treatment by the composite-indicator rule, fitted in the run's scope like the
    /// normalisation; `None` (default) leaves the values as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treat: Option<OutlierRule>,
    /// The normalisation, with its parameters; default min_max [0, 100].
    #[serde(default)]
    pub normalize: Normalize,
    /// Over which data bounds and weights are fitted; default `panel`.
    #[serde(default)]
    pub scope: Scope,
    /// The weighting method per level; default equal everywhere.
    #[serde(default = "default_weights")]
    pub weights: Staged<Weight>,
    /// The aggregation method per level; default arithmetic everywhere.
    #[serde(default = "default_aggregate")]
    pub aggregate: Staged<Aggregate>,
    /// What aggregation does with a missing child: renormalise the weights (default), leave
    /// the unit's node `empty`, or `error` ([`MissingPolicy`]).
    #[serde(default)]
    pub missing: MissingPolicy,
}

fn yes() -> bool {
    true
}

fn default_weights() -> Staged<Weight> {
    Staged::uniform(Weight::Equal)
}

fn default_aggregate() -> Staged<Aggregate> {
    Staged::uniform(Aggregate::Arithmetic)
}

impl Default for Spec {
    /// Denominated, no imputation, min_max [0, 100], panel scope, equal weights, arithmetic
    /// means, renormalised gaps.
    fn default() -> Self {
        Spec {
            denominate: true,
            impute: Imputation::None,
            treat: None,
            normalize: Normalize::default(),
            scope: Scope::default(),
            weights: default_weights(),
            aggregate: default_aggregate(),
            missing: MissingPolicy::default(),
        }
    }
}

impl Spec {
    /// The spec of the embedded default run: min_max [0, 100] over the panel, entropy weights
    /// (Chinese practice, `entropy_normalized`) for indicators within a dimension, equal
    /// weights for the dimensions, arithmetic means.
    pub fn checkup_default() -> Spec {
        Spec {
            weights: Staged::uniform(Weight::Equal)
                .with_level(2, Weight::EntropyNormalized { shift: 1e-4, rescale: None }),
            ..Spec::default()
        }
    }

    /// Parses a spec from TOML.
    pub fn from_toml(text: &str) -> Result<Spec> {
        let spec: Spec = toml::from_str(text).map_err(|e| Error::Spec(e.to_string()))?;
        spec.check()?;
        Ok(spec)
    }

    /// The spec as TOML, as [`Spec::from_toml`] reads it.
    pub fn to_toml(&self) -> String {
        // Cannot fail: every part of a spec serialises to TOML (tables, strings, numbers, arrays;
        // None fields are left out); tests/it/pipeline.rs checks the round trip.
        toml::to_string(self).expect("a spec always serialises")
    }

    /// Checks the parameters of every method.
    pub fn check(&self) -> Result<()> {
        self.normalize.check()?;
        for w in std::iter::once(&self.weights.default).chain(self.weights.levels.values()) {
            if let Weight::EntropyNormalized { shift, .. } = w {
                if !(shift.is_finite() && *shift >= 0.0) {
                    return Err(Error::Spec(format!("entropy_normalized: shift {shift} must be >= 0")));
                }
            }
        }
        Ok(())
    }
}
