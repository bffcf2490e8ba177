//! Fitted parameters: what a check-up learned from data, as plain serialisable values.

use serde::{Deserialize, Serialize};

use super::Spec;
use crate::normalize::Params;
use crate::treat::{Transform, TreatReport};

/// The normalisation parameters of one indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorParams {
    pub indicator: String,
    pub params: Params,
}

/// What outlier treatment did to one indicator, and the transform that repeats it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorTreatment {
    pub indicator: String,
    pub report: TreatReport,
    pub transform: Transform,
}

/// The weight of one node within its parent, and its product down from the index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeWeight {
    pub node: String,
    pub parent: String,
    pub weight: f64,
    pub global_weight: f64,
}

/// Parameters fitted on one slice of the data: one year (`year` scope, or the reference year)
/// or the whole panel (`year` = `None`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedSet {
    pub year: Option<i32>,
    /// Outlier treatment per indicator (empty when the spec treats nothing).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub treatment: Vec<IndicatorTreatment>,
    pub normalize: Vec<IndicatorParams>,
    pub weights: Vec<NodeWeight>,
}

/// Everything needed to score any year again: the spec, the catalogue it was fitted against,
/// and the fitted parameter sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fitted {
    pub spec: Spec,
    pub catalog_id: String,
    pub catalog_sha256: String,
    pub sets: Vec<FittedSet>,
}

impl Fitted {
    /// The parameter set that scores `year` under the spec's scope.
    pub fn set_for(&self, year: i32) -> Option<&FittedSet> {
        match self.spec.scope {
            super::Scope::Year => self.sets.iter().find(|s| s.year == Some(year)),
            _ => self.sets.first(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("fitted parameters always serialise")
    }

    pub fn from_json(text: &str) -> crate::Result<Fitted> {
        serde_json::from_str(text).map_err(|e| crate::Error::Spec(format!("fitted parameters: {e}")))
    }
}
