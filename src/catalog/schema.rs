//! The catalogue's TOML schema, as serde types. indicators/README.md documents every field.

use serde::{Deserialize, Serialize};

use crate::direction::{Criterion, Direction, Standard};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CatalogFile {
    pub catalog: CatalogMeta,
    #[serde(default)]
    pub groups: Vec<Group>,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub judgements: Vec<Judgement>,
}

/// An AHP pairwise comparison matrix (判断矩阵) for the children of one node, on Saaty's 1–9
/// scale: `matrix[i][j]` says how much more important `order[i]` is than `order[j]`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Judgement {
    /// A group id, or `index` for the top-level groups.
    pub node: String,
    /// Every child of `node`, in the order of the matrix rows and columns.
    pub order: Vec<String>,
    pub matrix: Vec<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Identity of a catalogue: id, name, version and where it comes from.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CatalogMeta {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A group of indicators or of other groups: a dimension (维度), a level (层级) or an aspect.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    /// Parent group; `None` hangs the group directly under the index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Expert weight within the parent, used by `fixed` weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Guidance (导向指标) or bottom-line (底线指标) indicator.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorType {
    #[default]
    Guidance,
    BottomLine,
}

/// Warning thresholds on attainment (监测预警).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    #[serde(default = "default_yellow")]
    pub yellow: f64,
}

fn default_yellow() -> f64 {
    0.9
}

/// One indicator of a catalogue.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    /// The group it is scored in; `None` marks a context variable (read and validated, e.g. a
    /// population used as a denominator, but not scored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    #[serde(default, rename = "type")]
    pub kind: IndicatorType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_range: Option<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goalposts: Option<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard: Option<Standard>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<Warning>,
    /// How to compute the indicator from object records ([`crate::compute`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<super::formula::FormulaSpec>,
}

impl Indicator {
    /// Whether this indicator is scored (it belongs to a group).
    pub fn is_scored(&self) -> bool {
        self.group.is_some()
    }

    /// What the methods read of this indicator (direction, goalposts, standard, whether a
    /// denominator divides it).
    pub fn criterion(&self) -> Criterion<'_> {
        Criterion {
            id: &self.id,
            direction: self.direction,
            goalposts: self.goalposts,
            standard: self.standard.as_ref(),
            divided: self.denominator.is_some(),
        }
    }
}
