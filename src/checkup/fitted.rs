//! Fitted parameters: what a check-up learned from data, as plain serialisable values.

use serde::{Deserialize, Serialize};

use super::Spec;
use crate::normalize::Params;
use crate::treat::{Transform, TreatReport};

/// The normalisation parameters of one indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorParams {
    /// The indicator's id.
    pub indicator: String,
    /// Its fitted normalisation parameters (bounds, means, …, by method).
    pub params: Params,
}

/// What outlier treatment did to one indicator, and the transform that repeats it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorTreatment {
    /// The indicator's id.
    pub indicator: String,
    /// What the rule found and did (skewness, kurtosis, points winsorised, log).
    pub report: TreatReport,
    /// The transform that repeats the treatment on other data.
    pub transform: Transform,
}

/// The weight of one node within its parent, and its product down from the index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeWeight {
    /// The group's or indicator's id.
    pub node: String,
    /// The parent's id (`index` for a top-level group).
    pub parent: String,
    /// Weight within the parent; the weights of a parent's children sum to 1.
    pub weight: f64,
    /// Product of the weights on the path from the index: the global weight F_j.
    pub global_weight: f64,
}

/// Parameters fitted on one slice of the data: one year (`year` scope, or the reference year)
/// or the whole panel (`year` = `None`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FittedSet {
    /// The year fitted on; `None` for the whole panel.
    pub year: Option<i32>,
    /// Outlier treatment per indicator (empty when the spec treats nothing).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub treatment: Vec<IndicatorTreatment>,
    /// Normalisation parameters per scored indicator.
    pub normalize: Vec<IndicatorParams>,
    /// The weight of every node of the scored tree but the index.
    pub weights: Vec<NodeWeight>,
}

/// Everything needed to score any year again: the spec, the catalogue it was fitted against,
/// and the fitted parameter sets (`fitted.json` of a run).
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::prelude::*;
/// let checkup = Checkup::new(Catalog::builtin("ccsy-example")?, Spec::checkup_default())?;
/// let read = ReadOptions::default().unit_column("city");
/// let panel = Panel::embedded("cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv", &read)?;
/// // Fit on the check-ups of 2008–2011 …
/// let earlier = panel.filter_years(2008..=2011);
/// let data = checkup.prepare(&earlier, &earlier.validate(checkup.catalog(), ValidationMode::Strict)?)?;
/// let fitted: Fitted = checkup.fit(&data)?.fitted;
/// assert_eq!(fitted.catalog_id, "ccsy-example");
/// assert_eq!(fitted.sets.len(), 1); // panel scope: one set of parameters for every year
/// // … keep the parameters (a run writes them to fitted.json) …
/// let fitted = Fitted::from_json(&fitted.to_json())?;
/// // … and score 2012 with them: the same value scores the same as in the earlier years.
/// let later = panel.filter_years(2012..=2012);
/// let new = checkup.prepare(&later, &later.validate(checkup.catalog(), ValidationMode::Strict)?)?;
/// let outcome = fitted.transform(&new)?;
/// println!("沈阳市 2012: {:.2}", outcome.scores.get("沈阳市", 2012, "index").unwrap());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fitted {
    /// The spec the parameters were fitted with; [`Fitted::transform`] scores with it.
    pub spec: Spec,
    /// Id of the catalogue fitted against.
    pub catalog_id: String,
    /// SHA-256 of that catalogue's TOML text: parameters apply only to the same version.
    pub catalog_sha256: String,
    /// One set for `panel` scope or a reference year; one per year for `year` scope.
    pub sets: Vec<FittedSet>,
}

impl Fitted {
    /// The parameter set that scores `year` under the spec's scope.
    pub fn set_for(&self, year: i32) -> Option<&FittedSet> {
        self.set_index(year).map(|i| &self.sets[i])
    }

    /// The position in [`Fitted::sets`] of the set that scores `year`.
    pub(crate) fn set_index(&self, year: i32) -> Option<usize> {
        match self.spec.scope {
            super::Scope::Year => self.sets.iter().position(|s| s.year == Some(year)),
            _ => (!self.sets.is_empty()).then_some(0),
        }
    }

    /// The parameters as pretty-printed JSON (the content of `fitted.json`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("fitted parameters always serialise")
    }

    /// Reads parameters written by [`Fitted::to_json`].
    ///
    /// # Errors
    /// [`Error::Spec`](crate::Error::Spec) for text that is not such JSON.
    pub fn from_json(text: &str) -> crate::Result<Fitted> {
        serde_json::from_str(text).map_err(|e| crate::Error::Spec(format!("fitted parameters: {e}")))
    }
}
