//! The catalogue's TOML schema, as serde types. indicators/README.md documents every field.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

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

/// Which way an indicator is good.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 正向: more is better.
    Higher,
    /// 负向: less is better.
    Lower,
    /// 区间型: best anywhere inside `[a, b]`.
    Band([f64; 2]),
    /// Best at exactly this value.
    Target(f64),
}

impl Direction {
    /// The best interval `[a, b]` of band and target directions (`[T, T]` for a target).
    pub fn band(&self) -> Option<(f64, f64)> {
        match *self {
            Direction::Band([a, b]) => Some((a, b)),
            Direction::Target(t) => Some((t, t)),
            _ => None,
        }
    }
}

/// Guidance (导向指标) or bottom-line (底线指标) indicator.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorType {
    #[default]
    Guidance,
    BottomLine,
}

/// The standard (标准值) or target (目标值) of an indicator.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    /// The catalogue-wide standard; `None` when the standard applies only to the units in
    /// `by_unit`, or is a collective total that cannot be checked unit by unit (see `note`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<i32>,
    /// Per-unit overrides, keyed by unit name as it appears in the data.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by_unit: BTreeMap<String, f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Standard {
    /// The standard that applies to `unit`: its override, else the catalogue-wide value.
    pub fn value_for(&self, unit: &str) -> Option<f64> {
        self.by_unit.get(unit).copied().or(self.value)
    }
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
    pub formula: Option<crate::compute::FormulaSpec>,
}

impl Indicator {
    /// Whether this indicator is scored (it belongs to a group).
    pub fn is_scored(&self) -> bool {
        self.group.is_some()
    }
}
