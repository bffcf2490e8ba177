//! The uncertain inputs of a check-up (`[[uncertainty.inputs]]`): what each may be, with
//! which probability, and how a uniform on [0, 1) picks one (METHODS.md §11).

use std::str::FromStr;

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::aggregate::Aggregate;
use crate::catalog::{NodeKind, Tree};
use crate::checkup::Staged;
use crate::error::{Error, Result};
use crate::normalize::Normalize;
use crate::treat::Imputation;
use crate::weight::Weight;

/// One uncertain input, as written in a run config: its `stage` and its alternatives. A
/// method is written by its name (`"min_max"`) or as its table (`{ method = "min_max", lo =
/// 0.0, hi = 1.0 }`); weights and aggregations may also be a method per level (as in
/// `[spec]`). `probabilities`, one per alternative, must sum to 1; equal when absent.
///
/// ```toml
/// [[uncertainty.inputs]]
/// stage = "normalize"
/// alternatives = ["min_max", "rank"]
/// probabilities = [0.5, 0.5]
/// [[uncertainty.inputs]]
/// stage = "weights"
/// perturb = 0.25          # each weight × U(0.75, 1.25), renormalised within its group
/// [[uncertainty.inputs]]
/// stage = "exclude"
/// indicators = "each"     # none, or one indicator dropped (equal probabilities)
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case", deny_unknown_fields)]
pub enum InputSpec {
    /// The normalisation.
    Normalize {
        /// The normalisations drawn from.
        #[serde(deserialize_with = "methods")]
        alternatives: Vec<Normalize>,
        /// One probability per alternative; equal when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        probabilities: Option<Vec<f64>>,
    },
    /// The weights: a choice among weight methods (`alternatives`) or a perturbation of the
    /// weights (`perturb = a`: each weight × U(1 − a, 1 + a), then renormalised within its
    /// group), not both in one input.
    Weights {
        /// The weight methods drawn from.
        #[serde(default, deserialize_with = "staged_methods", skip_serializing_if = "Vec::is_empty")]
        alternatives: Vec<Staged<Weight>>,
        /// One probability per alternative; equal when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        probabilities: Option<Vec<f64>>,
        /// The relative half-width `a` of the perturbation, in [0, 1).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        perturb: Option<f64>,
    },
    /// The aggregation.
    Aggregate {
        /// The aggregations drawn from.
        #[serde(deserialize_with = "staged_methods")]
        alternatives: Vec<Staged<Aggregate>>,
        /// One probability per alternative; equal when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        probabilities: Option<Vec<f64>>,
    },
    /// The imputation policy (the data are prepared once per alternative).
    Impute {
        /// The imputations drawn from.
        #[serde(deserialize_with = "methods")]
        alternatives: Vec<Imputation>,
        /// One probability per alternative; equal when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        probabilities: Option<Vec<f64>>,
    },
    /// Indicators dropped one at a time: no indicator dropped, or one of `indicators`.
    Exclude {
        /// `"each"` (every scored indicator) or a list of indicator ids.
        indicators: Exclusion,
        /// One probability for "none dropped", then one per indicator; equal when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        probabilities: Option<Vec<f64>>,
    },
}

/// Which indicators an `exclude` input may drop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Exclusion {
    /// `"each"`: every scored indicator that has a sibling (an indicator alone in its group
    /// cannot be dropped: the group would have nothing left).
    Keyword(String),
    /// These indicators.
    List(Vec<String>),
}

/// A method by its name (default parameters) or as its table.
fn method<T: FromStr<Err = Error> + DeserializeOwned>(value: Value) -> std::result::Result<T, String> {
    match value {
        Value::String(name) => name.parse::<T>().map_err(|e| e.to_string()),
        other => T::deserialize(other).map_err(|e| e.to_string()),
    }
}

fn methods<'de, D, T>(d: D) -> std::result::Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr<Err = Error> + DeserializeOwned,
{
    Vec::<Value>::deserialize(d)?.into_iter().map(|v| method(v).map_err(D::Error::custom)).collect()
}

fn staged_methods<'de, D, T>(d: D) -> std::result::Result<Vec<Staged<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr<Err = Error> + DeserializeOwned,
{
    Vec::<Value>::deserialize(d)?
        .into_iter()
        .map(|v| match v {
            Value::String(name) => name.parse::<T>().map(Staged::uniform).map_err(D::Error::custom),
            other => Staged::<T>::deserialize(other).map_err(D::Error::custom),
        })
        .collect()
}

/// What a resolved input sets in a draw.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Normalize(Vec<Normalize>),
    Weights(Vec<Staged<Weight>>),
    /// The half-width `a` of the weight perturbation.
    Perturb(f64),
    Aggregate(Vec<Staged<Aggregate>>),
    Impute(Vec<Imputation>),
    /// `None` (nothing dropped), then the indicator ids.
    Exclude(Vec<Option<String>>),
}

/// An input checked against the data: its label, what it sets and its cumulative
/// probabilities (empty for the continuous perturbation).
#[derive(Debug, Clone)]
pub(crate) struct Input {
    pub label: String,
    pub kind: Kind,
    cumulative: Vec<f64>,
}

impl Input {
    /// The alternative a uniform `u` ∈ [0, 1) picks: the first whose cumulative probability
    /// exceeds `u` (the inverse CDF of the discrete distribution).
    pub fn pick(&self, u: f64) -> usize {
        self.cumulative.iter().position(|&c| u < c).unwrap_or(self.cumulative.len().saturating_sub(1))
    }

    /// How many fits the input's choices give: its alternatives' number for a method or an
    /// imputation, 1 for the perturbation and the exclusion (they change fitted weights only).
    pub fn fits(&self) -> usize {
        match &self.kind {
            Kind::Normalize(a) => a.len(),
            Kind::Weights(a) => a.len(),
            Kind::Aggregate(a) => a.len(),
            Kind::Impute(a) => a.len(),
            Kind::Perturb(_) | Kind::Exclude(_) => 1,
        }
    }
}

/// Checks every input (alternatives, probabilities, perturbation, indicators against `tree`)
/// and labels it by its stage (`weights_perturb` for a perturbation). Errors name the input
/// by its position (1-based) and stage.
pub(crate) fn resolve(specs: &[InputSpec], tree: &Tree) -> Result<Vec<Input>> {
    let mut inputs: Vec<Input> = Vec::with_capacity(specs.len());
    let no_probabilities: Option<Vec<f64>> = None;
    for (at, spec) in specs.iter().enumerate() {
        let name = |stage: &str| format!("uncertainty input {} ({stage})", at + 1);
        let (label, kind, count, probabilities) = match spec {
            InputSpec::Normalize { alternatives, probabilities } => {
                ("normalize", Kind::Normalize(alternatives.clone()), alternatives.len(), probabilities)
            }
            InputSpec::Weights { alternatives, probabilities, perturb } => match (alternatives.is_empty(), perturb) {
                (true, Some(a)) => {
                    if !(a.is_finite() && (0.0..1.0).contains(a)) {
                        return Err(Error::Spec(format!(
                            "{}: perturb = {a} must lie in [0, 1): a factor 1 − a ≤ 0 would make a weight \
                             zero or negative",
                            name("weights")
                        )));
                    }
                    if probabilities.is_some() {
                        return Err(Error::Spec(format!("{}: a perturbation takes no probabilities", name("weights"))));
                    }
                    ("weights_perturb", Kind::Perturb(*a), 0, &no_probabilities)
                }
                (false, None) => ("weights", Kind::Weights(alternatives.clone()), alternatives.len(), probabilities),
                (false, Some(_)) => {
                    return Err(Error::Spec(format!(
                        "{}: give either alternatives or perturb; write them as two inputs",
                        name("weights")
                    )))
                }
                (true, None) => {
                    return Err(Error::Spec(format!(
                        "{}: give alternatives (weight methods) or perturb = a",
                        name("weights")
                    )))
                }
            },
            InputSpec::Aggregate { alternatives, probabilities } => {
                ("aggregate", Kind::Aggregate(alternatives.clone()), alternatives.len(), probabilities)
            }
            InputSpec::Impute { alternatives, probabilities } => {
                ("impute", Kind::Impute(alternatives.clone()), alternatives.len(), probabilities)
            }
            InputSpec::Exclude { indicators, probabilities } => {
                let ids = excludable(indicators, tree).map_err(|e| Error::Spec(format!("{}: {e}", name("exclude"))))?;
                let options: Vec<Option<String>> = std::iter::once(None).chain(ids.into_iter().map(Some)).collect();
                let count = options.len();
                ("exclude", Kind::Exclude(options), count, probabilities)
            }
        };
        if inputs.iter().any(|i| i.label == label) {
            return Err(Error::Spec(format!("{}: the stage is already an uncertain input", name(label))));
        }
        let cumulative = if matches!(kind, Kind::Perturb(_)) {
            Vec::new()
        } else {
            if count == 0 {
                return Err(Error::Spec(format!("{}: no alternatives", name(label))));
            }
            cumulative(probabilities.as_deref(), count).map_err(|e| Error::Spec(format!("{}: {e}", name(label))))?
        };
        inputs.push(Input { label: label.to_string(), kind, cumulative });
    }
    Ok(inputs)
}

/// Cumulative probabilities of `count` alternatives, the last exactly 1.
fn cumulative(probabilities: Option<&[f64]>, count: usize) -> std::result::Result<Vec<f64>, String> {
    let p = match probabilities {
        None => vec![1.0 / count as f64; count],
        Some(p) => p.to_vec(),
    };
    if p.len() != count {
        return Err(format!("{} probabilities for {count} alternatives", p.len()));
    }
    if let Some(bad) = p.iter().find(|x| !(x.is_finite() && **x >= 0.0)) {
        return Err(format!("probability {bad} is not a number >= 0"));
    }
    let total: f64 = p.iter().sum();
    if (total - 1.0).abs() > 1e-9 {
        return Err(format!("the probabilities sum to {}, not 1", crate::error::shown_number(total)));
    }
    let mut running = 0.0;
    let mut out: Vec<f64> = p
        .iter()
        .map(|x| {
            running += x;
            running
        })
        .collect();
    // Cannot fail: an empty list sums to 0, refused above as not summing to 1.
    *out.last_mut().expect("count >= 1") = 1.0;
    Ok(out)
}

/// The indicator ids an `exclude` input may drop: each must be a scored indicator with a
/// sibling.
fn excludable(which: &Exclusion, tree: &Tree) -> std::result::Result<Vec<String>, String> {
    let has_sibling = |n: usize| tree.node(n).parent.is_some_and(|p| tree.node(p).children.len() > 1);
    match which {
        Exclusion::Keyword(word) if word == "each" => {
            Ok(tree.indicator_nodes().filter(|&n| has_sibling(n)).map(|n| tree.node(n).id.clone()).collect())
        }
        Exclusion::Keyword(word) => Err(format!("indicators = \"{word}\": write \"each\" or a list of indicator ids")),
        Exclusion::List(ids) => ids
            .iter()
            .map(|id| {
                let n = tree
                    .nodes()
                    .iter()
                    .position(|node| node.id == *id && node.kind == NodeKind::Indicator)
                    .ok_or_else(|| format!("'{id}' is not a scored indicator"))?;
                if has_sibling(n) {
                    Ok(id.clone())
                } else {
                    Err(format!("'{id}' is alone in its group, which would have nothing left"))
                }
            })
            .collect(),
    }
}
