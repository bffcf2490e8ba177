//! The catalogue's TOML schema, as serde types. indicators/README.md documents every field.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::formula::ObjectLevel;
use super::provenance::Status;
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
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, Parameter>,
    /// The object hierarchy (`[[levels]]`), finest first; empty: [`LevelSpec::default_hierarchy`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<LevelSpec>,
    /// The facility classes (`[[facilities]]`): indicators marked as the inputs and outputs of
    /// an efficiency evaluation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facilities: Vec<Facility>,
}

/// A facility class (`[[facilities]]`) of the efficiency evaluation (效能评价): the indicators
/// that are its inputs (capacity, staff, investment, energy) and its outputs (water delivered,
/// patients served), for data envelopment analysis (`[efficiency] facility = "<id>"` in a run
/// config). Every variable is an indicator of the catalogue, usually a context variable (no
/// group): quantities, not the rates a check-up scores.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Facility {
    /// Lowercase `a-z`, `0-9`, `_`; unique among the facility classes.
    pub id: String,
    /// The Chinese name (e.g. `城市供水`).
    pub name_zh: String,
    /// The English name.
    pub name_en: String,
    /// The input indicators (ids), at least one.
    pub inputs: Vec<String>,
    /// The output indicators (ids), at least one, undesirable ones included.
    pub outputs: Vec<String>,
    /// Outputs of which less is better (leakage, emissions), each one of `outputs`; only the
    /// SBM models take them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undesirable: Vec<String>,
    /// How well the class's source is established (default `proposed`).
    #[serde(default, skip_serializing_if = "Status::is_proposed")]
    pub status: Status,
    /// Citation, or why these variables; required unless the status is `proposed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// One level of a catalogue's object hierarchy (`[[levels]]`, finest first): which object
/// type, its names, and whether records must carry its id column.
///
/// The id column of a level in the records is `<id>_id` (`community_id` for `community`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LevelSpec {
    /// The object type (`building` or `dwelling`, `compound`, `community`, `block`, `district`,
    /// `city`).
    pub id: ObjectLevel,
    /// The Chinese name (e.g. `社区`).
    pub name_zh: String,
    /// The English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// Whether records finer than this level must carry its id column to be rolled up past it
    /// (default true). An optional level (`required = false`) is used where the records carry
    /// its id and skipped where they do not: records without `community_id` roll compounds
    /// straight up to blocks.
    #[serde(default = "default_required", skip_serializing_if = "is_true")]
    pub required: bool,
}

fn default_required() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

impl LevelSpec {
    /// The hierarchy of a catalogue that declares none — the 2023 check-up's, as before
    /// levels could be declared: building (住房), compound (小区(社区)), block (街区), district
    /// (城区), city (城市), every one required.
    pub fn default_hierarchy() -> Vec<LevelSpec> {
        let level = |id, name_zh: &str, name_en: &str| LevelSpec {
            id,
            name_zh: name_zh.to_string(),
            name_en: Some(name_en.to_string()),
            required: true,
        };
        vec![
            level(ObjectLevel::Building, "住房", "dwelling building"),
            level(ObjectLevel::Compound, "小区(社区)", "residential compound"),
            level(ObjectLevel::Block, "街区", "block"),
            level(ObjectLevel::District, "城区", "district"),
            level(ObjectLevel::City, "城市", "city"),
        ]
    }
}

/// A number that formulas read as `$name` (`[parameters]`): a norm such as the elderly-care
/// space per 100 households that new compounds must provide. A province overrides it without
/// editing formulas ([`super::Catalog::with_parameters`]).
///
/// Written either as a bare number (`elderly_norm_new = 20`) or as a table with a description
/// and a source (`[parameters.elderly_norm_new]` with `value = 20`, `description = "…"`,
/// `source = "…"`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Parameter {
    /// The value.
    pub value: f64,
    /// What the number is, with its unit (e.g. `m² of elderly-care space per 100 households`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the number comes from (standard, clause, province).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The table form of a [`Parameter`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParameterTable {
    value: f64,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

impl<'de> Deserialize<'de> for Parameter {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Form;
        impl<'de> Visitor<'de> for Form {
            type Value = Parameter;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, or a table with value, description and source")
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Parameter, E> {
                Ok(Parameter { value, description: None, source: None })
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Parameter, E> {
                self.visit_f64(value as f64)
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Parameter, E> {
                self.visit_f64(value as f64)
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Parameter, A::Error> {
                let t = ParameterTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Parameter { value: t.value, description: t.description, source: t.source })
            }
        }
        deserializer.deserialize_any(Form)
    }
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
    /// The n × n matrix: positive and reciprocal (a_ji = 1/a_ij within 3-decimal rounding).
    /// Cells are numbers or fraction strings, `"1/3"` ([`crate::kernels::judgement::parse_judgement`]).
    #[serde(deserialize_with = "crate::kernels::judgement::deserialize_judgements")]
    pub matrix: Vec<Vec<f64>>,
    /// Whose judgements, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Identity of a catalogue: id, name, version and where it comes from.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CatalogMeta {
    /// Lowercase letters, digits and `-` (e.g. `mohurd-2021`).
    pub id: String,
    /// The Chinese name (e.g. `2021年城市体检指标体系`).
    pub name: String,
    /// The English name, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// A string, even when it is a year (`"2021"`).
    pub version: String,
    /// What is covered and what is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the catalogue comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A group of indicators or of other groups: a dimension (维度), a level (层级) or an aspect.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Lowercase `a-z`, `0-9`, `_`; unique among groups and indicators (`index` is reserved).
    pub id: String,
    /// The Chinese name (e.g. `生态宜居`).
    pub name_zh: String,
    /// The English name.
    pub name_en: String,
    /// Parent group; `None` hangs the group directly under the index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Expert weight within the parent, used by `fixed` weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// How well the group's source is established (default `proposed`).
    #[serde(default, skip_serializing_if = "Status::is_proposed")]
    pub status: Status,
    /// Citation; required unless the status is `proposed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The source's own sentence for the group, copied verbatim (e.g. a row of a plan's target
    /// table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// The heading path in the source that `quote` comes from (e.g. `一、总体要求 / （三）工作目标。`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
}

/// Guidance (导向指标) or bottom-line (底线指标) indicator.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorType {
    /// A guidance indicator (导向指标, default): warning levels follow attainment.
    #[default]
    Guidance,
    /// A bottom-line indicator (底线指标): a miss of its standard is always a red warning.
    BottomLine,
}

/// Warning thresholds on attainment (监测预警).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    /// Attainment at or above this (and below 1) is yellow, below it red; in (0, 1],
    /// default 0.9.
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
    /// Lowercase `a-z`, `0-9`, `_`; unique among groups and indicators.
    pub id: String,
    /// The official Chinese name.
    pub name_zh: String,
    /// The English name.
    pub name_en: String,
    /// The group it is scored in; `None` marks a context variable (read and validated, e.g. a
    /// population used as a denominator, but not scored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The unit of measurement, one of the known units ([`super::units`]).
    pub unit: String,
    /// Higher, lower, band or target is better; required when `group` is set, `None` for a
    /// context variable without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// Guidance (default) or bottom-line; TOML key `type`.
    #[serde(default, rename = "type")]
    pub kind: IndicatorType,
    /// `[min, max]` of plausible values; values outside are reported by panel validation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_range: Option<[f64; 2]>,
    /// `[L, U]`, fixed bounds of goalpost normalisation (scores comparable across years).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goalposts: Option<[f64; 2]>,
    /// Expert weight within its group, used by `fixed` weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Other names seen in real spreadsheets, used to match input columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Id of another indicator to divide by (e.g. a population context variable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<String>,
    /// Numbers 1–18 of the renewal key tasks this indicator points to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<u32>,
    /// How well the indicator's source is established (default `proposed`).
    #[serde(default, skip_serializing_if = "Status::is_proposed")]
    pub status: Status,
    /// Citation (document, source ids, URLs); required unless the status is `proposed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The source's own sentence that sets the indicator or its standard, copied verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// The heading path in the source that `quote` comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// The standard or target (标准值 / 目标值); `None`: no attainment, warning or progress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard: Option<Standard>,
    /// Warning thresholds; `None`: the default yellow threshold 0.9.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<Warning>,
    /// How to compute the indicator from object records ([`crate::compute`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<super::formula::FormulaSpec>,
    /// Where the indicator does not apply (不适用): listed units, or unit-years whose context
    /// indicator is 0 or itself not applicable. Such cells are left out, never missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_applicable: Option<NotApplicable>,
    /// The indicator's number in the official table (e.g. `1.1.3`), shown in fill-in templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The statistical definition (统计口径): what is counted and how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// Where the value comes from (数据来源): a yearbook, a department's ledger, a survey.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_source: Option<String>,
    /// The department responsible for the value (责任部门).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// The sub-items (细项) a city reports under the indicator, e.g. the hazard types of a
    /// count of unsafe buildings: rows of the fill-in template, not scored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<SubItem>,
}

/// A sub-item (细项) of an indicator: a breakdown the city fills in under the indicator's row
/// of a template (`[[indicators.items]]`). Sub-items are not scored and not read into a panel.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SubItem {
    /// Lowercase `a-z`, `0-9`, `_`, unique among the indicator's sub-items; `None`: numbered
    /// by position (1, 2, …) in templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The Chinese name (e.g. `燃气安全隐患`).
    pub name_zh: String,
    /// The unit of measurement, one of the known units ([`super::units`]).
    pub unit: String,
}

/// The catalogue's rule of where an indicator does not apply (`[indicators.not_applicable]`):
/// e.g. a rail-transit indicator for a city without rail. A cell the rule covers is not
/// missing: it is left out of the scores with the weights renormalised over the other parts,
/// never imputed and never judged; a value given there is reported by validation.
///
/// The indicator is not applicable for a unit-year when the unit is in `units`, or when
/// `unless` names a context indicator whose value for that unit-year is 0 or marked not
/// applicable. A missing context value decides nothing (the cell stays as the data say).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NotApplicable {
    /// Units (as named in the data) to which the indicator never applies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
    /// Id of another indicator of the catalogue (usually a context variable, e.g. the length
    /// of rail lines): where it is 0 or not applicable, this indicator is not applicable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless: Option<String>,
}

impl NotApplicable {
    /// Whether the rule covers `unit`, given the value of the `unless` indicator for the
    /// unit-year (`(value, marked not applicable)`; `None` when there is none, `NaN` when missing).
    pub fn applies(&self, unit: &str, context: Option<(f64, bool)>) -> bool {
        self.units.iter().any(|u| u == unit) || matches!(context, Some((x, na)) if na || x == 0.0)
    }
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
