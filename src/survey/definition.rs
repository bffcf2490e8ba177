//! The survey definition (问卷定义): scales, items and dimensions, read from TOML and checked
//! once at load, so that scoring never meets an unknown scale or a duplicate item.
//!
//! ```toml
//! [survey]
//! id = "liaoning-2025"
//! name = "辽宁省城市体检社会满意度调查"
//!
//! [[scales]]
//! id = "likert5"
//! kind = "labels"              # the default levels: 很满意 100 … 很不满意 20
//! missing = ["不清楚"]          # answers that mean "no answer" (an empty cell always does)
//!
//! [[scales]]
//! id = "ten"
//! kind = "numeric"
//! min = 1
//! max = 10
//! step = 1
//! rescale = "of_max"          # score = 100·x/max; "range": 100·(x − min)/(max − min); "keep": x
//! top = 8                     # answers ≥ 8 count as satisfied
//!
//! [[dimensions]]
//! id = "housing"
//! name = "住房"
//!
//! [[items]]
//! id = "housing_quality"
//! text = "您对住房质量是否满意？"
//! dimension = "housing"
//! scale = "likert5"
//! column = "q1"               # the response column; the item id when left out
//! indicator = "housing_satisfaction"   # optional: the catalogue indicator it feeds
//! ```
//!
//! # Scales
//! - `kind = "labels"`: answers are text labels, each with a score. `levels` lists them in
//!   any order as `{ label = "很满意", score = 100, code = 5 }` (`code`, optional, is the number
//!   some exports write instead of the label). Without `levels`, the five-point default
//!   [`DEFAULT_LEVELS`]. `top` lists the labels that count as satisfied (满意); by default the
//!   two highest-scoring levels (a scale of fewer than 3 levels must name them).
//! - `kind = "numeric"`: answers are numbers in `[min, max]`, on the grid `min + k·step` when
//!   `step` is given. `rescale` maps them to scores: `range` (default, 100·(x − min)/(max − min)),
//!   `of_max` (100·x/max, the convention of the five-point labels: 5 → 100, 1 → 20) or `keep`.
//!   `top` is a threshold on the answer: x ≥ top counts as satisfied; by default the top two
//!   steps (x ≥ max − step), so a scale without `step` must name it.
//! - `missing` (both kinds): answers that mean "no answer", default [`DEFAULT_MISSING`]. An empty
//!   cell is always missing. A missing mark may not also be a valid answer.
//!
//! # Errors
//! Every problem is an [`Error::Spec`] whose message names the file and the entry:
//! `survey definition S.toml, [[items]] 'q3': unknown scale 'likert7'; scales are: likert5, ten`.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::responses::{cell_text, BadReason};
use crate::error::{Error, Result};
use crate::panel::Cell;

/// The largest magnitude of a scale's scores and bounds (1e12): answers are scored and summed
/// with design weights, and scores near the limits of f64 would overflow the weighted means
/// (issue 16). Real scales (1–5, 0–10, 0–100) are far below it.
pub const MAX_SCALE_MAGNITUDE: f64 = 1e12;

/// The default five-point labels scale (METHODS.md §8): label and score.
pub const DEFAULT_LEVELS: [(&str, f64); 5] =
    [("很满意", 100.0), ("满意", 80.0), ("一般", 60.0), ("不满意", 40.0), ("很不满意", 20.0)];

/// Answers read as "no answer" when a scale does not say otherwise (an empty cell always is):
/// 不清楚 (don't know) and 不适用 / `not_applicable` (the item does not apply to the
/// respondent). Either is left out of the means and the satisfied shares, never scored 0.
pub const DEFAULT_MISSING: [&str; 3] = ["不清楚", "不适用", "not_applicable"];

/// Relative tolerance of the step check: 7.000000000001 is on a step of 1.
const STEP_TOLERANCE: f64 = 1e-9;

/// `[survey]`: what the survey is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyMeta {
    /// The survey's id (e.g. `liaoning-2025`).
    pub id: String,
    /// Its name (e.g. `辽宁省城市体检社会满意度调查`).
    pub name: String,
    /// What it covers, if said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One answer level of a labels scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The answer as written (很满意, …).
    pub label: String,
    /// Its score (很满意 100 … 很不满意 20 by default).
    pub score: f64,
    /// The number some exports write instead of the label (5 for 很满意, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
}

/// How a numeric scale's answers become scores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rescale {
    /// 100·(x − min)/(max − min): min → 0, max → 100.
    #[default]
    Range,
    /// 100·x/max: on 1–5, 1 → 20 and 5 → 100, as the default labels; needs min ≥ 0 < max.
    OfMax,
    /// The answer itself.
    Keep,
}

/// What kind of answers a scale takes, checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleKind {
    /// Text labels with scores; `top` are the labels counting as satisfied.
    Labels {
        /// Every level with its score.
        levels: Vec<Level>,
        /// Labels counting as satisfied (满意); by default the two highest-scoring.
        top: Vec<String>,
    },
    /// Numbers in `[min, max]` (on `min + k·step`); x ≥ `top` counts as satisfied.
    Numeric {
        /// Smallest answer.
        min: f64,
        /// Largest answer.
        max: f64,
        /// Grid of valid answers from `min`; any number in range when `None`.
        step: Option<f64>,
        /// How answers become scores.
        rescale: Rescale,
        /// Answers at or above this count as satisfied.
        top: f64,
    },
}

/// An answer scale, checked: build it with [`SurveyDefinition::from_toml`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scale {
    id: String,
    kind: ScaleKind,
    missing: Vec<String>,
    /// Labels and codes (as text) → level index, for labels scales.
    #[serde(skip)]
    lookup: HashMap<String, usize>,
    /// Whether each level counts as satisfied, for labels scales.
    #[serde(skip)]
    satisfied: Vec<bool>,
}

/// How one answer reads on its scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Judged {
    /// Empty or a missing mark: no answer.
    Missing,
    /// A valid answer: its score and whether it counts as satisfied.
    Valid { score: f64, satisfied: bool },
    /// Not an answer the scale allows.
    Bad(BadReason),
}

impl Scale {
    /// The scale's id, as items name it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Labels or numeric, with their parameters.
    pub fn kind(&self) -> &ScaleKind {
        &self.kind
    }

    /// Answers read as "no answer" (besides the empty cell).
    pub fn missing(&self) -> &[String] {
        &self.missing
    }

    /// Reads one cell: missing, a valid answer with its score, or a bad answer. Numbers are
    /// compared as the text a spreadsheet shows (`5`, not `5.0`).
    pub(crate) fn judge(&self, cell: &Cell) -> Judged {
        let text = cell_text(cell);
        let t = text.trim();
        if t.is_empty() || self.missing.iter().any(|m| m == t) {
            return Judged::Missing;
        }
        match &self.kind {
            ScaleKind::Labels { levels, .. } => match self.lookup.get(t) {
                Some(&level) => Judged::Valid { score: levels[level].score, satisfied: self.satisfied[level] },
                None => Judged::Bad(BadReason::UnknownLabel),
            },
            ScaleKind::Numeric { min, max, step, rescale, top } => {
                let x = match cell {
                    Cell::Number(x) => *x,
                    _ => match t.parse::<f64>() {
                        Ok(x) => x,
                        Err(_) => return Judged::Bad(BadReason::NotNumeric),
                    },
                };
                if !x.is_finite() {
                    return Judged::Bad(BadReason::NotNumeric);
                }
                if !(*min..=*max).contains(&x) {
                    return Judged::Bad(BadReason::OutOfScale);
                }
                if let Some(step) = step {
                    if !on_step(x, *min, *step) {
                        return Judged::Bad(BadReason::OffStep);
                    }
                }
                let score = match rescale {
                    Rescale::Range => 100.0 * (x - min) / (max - min),
                    Rescale::OfMax => 100.0 * x / max,
                    Rescale::Keep => x,
                };
                Judged::Valid { score, satisfied: x >= *top }
            }
        }
    }

    /// A short description for messages: `labels 很满意/满意/…` or `numeric 1–10`.
    pub fn describe(&self) -> String {
        match &self.kind {
            ScaleKind::Labels { levels, .. } => {
                format!("labels {}", levels.iter().map(|l| l.label.as_str()).collect::<Vec<_>>().join("/"))
            }
            ScaleKind::Numeric { min, max, step, .. } => match step {
                Some(s) => format!("numeric {min}–{max} by {s}"),
                None => format!("numeric {min}–{max}"),
            },
        }
    }
}

fn on_step(x: f64, min: f64, step: f64) -> bool {
    let k = (x - min) / step;
    (k - k.round()).abs() <= STEP_TOLERANCE * k.abs().max(1.0)
}

/// One question of the survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The item's id, unique in the survey.
    pub id: String,
    /// The question as asked.
    #[serde(default)]
    pub text: String,
    /// Id of the dimension the item is scored in.
    pub dimension: String,
    /// Id of its answer scale.
    pub scale: String,
    /// The response column; the item id when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The catalogue indicator this item feeds, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
}

impl Item {
    /// The response column this item is read from.
    pub fn column_name(&self) -> &str {
        self.column.as_deref().unwrap_or(&self.id)
    }
}

/// A group of items scored together (住房, 交通便捷, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// The dimension's id, unique in the survey.
    pub id: String,
    /// Its name (住房, …); empty when not given.
    #[serde(default)]
    pub name: String,
    /// The catalogue indicator this dimension feeds, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
}

/// The TOML file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DefinitionFile {
    survey: SurveyMeta,
    #[serde(default)]
    scales: Vec<ScaleEntry>,
    #[serde(default)]
    items: Vec<Item>,
    #[serde(default)]
    dimensions: Vec<Dimension>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum KindName {
    Labels,
    Numeric,
}

/// `top`: labels (labels scales) or a threshold (numeric scales).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum TopEntry {
    Labels(Vec<String>),
    Threshold(f64),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScaleEntry {
    id: String,
    kind: KindName,
    levels: Option<Vec<Level>>,
    min: Option<f64>,
    max: Option<f64>,
    step: Option<f64>,
    rescale: Option<Rescale>,
    top: Option<TopEntry>,
    missing: Option<Vec<String>>,
}

/// A checked survey definition: every item has a known scale and dimension, ids and columns
/// are unique, every dimension has an item.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::survey::SurveyDefinition;
/// let def = SurveyDefinition::from_toml(
///     r#"
///     [survey]
///     id = "demo"
///     name = "demo"
///     [[scales]]
///     id = "likert5"
///     kind = "labels"
///     [[dimensions]]
///     id = "housing"
///     name = "住房"
///     [[items]]
///     id = "q1"
///     dimension = "housing"
///     scale = "likert5"
///     "#,
///     "demo.toml",
/// )?;
/// assert_eq!(def.items()[0].column_name(), "q1");
/// let bad = SurveyDefinition::from_toml(
///     "[survey]\nid = \"d\"\nname = \"d\"\n[[dimensions]]\nid = \"a\"\n[[items]]\nid = \"q1\"\ndimension = \"a\"\nscale = \"nope\"\n",
///     "bad.toml",
/// );
/// assert!(bad.unwrap_err().to_string().contains("bad.toml, [[items]] 'q1': unknown scale 'nope'"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct SurveyDefinition {
    source_name: String,
    sha256: String,
    meta: SurveyMeta,
    scales: Vec<Scale>,
    items: Vec<Item>,
    dimensions: Vec<Dimension>,
    item_scale: Vec<usize>,
    item_dimension: Vec<usize>,
    dimension_items: Vec<Vec<usize>>,
}

impl SurveyDefinition {
    /// Reads and checks a definition file.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read; [`Error::Spec`] naming the file and the entry
    /// if it is malformed or inconsistent.
    pub fn load(path: impl AsRef<Path>) -> Result<SurveyDefinition> {
        let path = path.as_ref();
        let text = crate::io::read_text(path)?;
        SurveyDefinition::from_toml(&text, &path.display().to_string())
    }

    /// Parses and checks definition TOML; `source_name` names it in messages.
    ///
    /// # Errors
    /// [`Error::Spec`] naming `source_name` and the entry.
    pub fn from_toml(text: &str, source_name: &str) -> Result<SurveyDefinition> {
        let file: DefinitionFile = toml::from_str(text)
            .map_err(|e| Error::Spec(format!("survey definition {source_name}: {}", e.to_string().trim_end())))?;
        let fail = |section: &str, entry: &str, message: String| {
            Error::Spec(format!("survey definition {source_name}, {section} '{entry}': {message}"))
        };
        if file.survey.id.trim().is_empty() {
            return Err(Error::Spec(format!("survey definition {source_name}, [survey]: id is empty")));
        }

        let mut scales = Vec::with_capacity(file.scales.len());
        let mut scale_index: HashMap<&str, usize> = HashMap::new();
        for entry in &file.scales {
            check_id(&entry.id).map_err(|m| fail("[[scales]]", &entry.id, m))?;
            if scale_index.insert(entry.id.as_str(), scales.len()).is_some() {
                return Err(fail("[[scales]]", &entry.id, "duplicate scale id".into()));
            }
            scales.push(scale(entry).map_err(|m| fail("[[scales]]", &entry.id, m))?);
        }

        let mut dimension_index: HashMap<&str, usize> = HashMap::new();
        for (d, dim) in file.dimensions.iter().enumerate() {
            check_id(&dim.id).map_err(|m| fail("[[dimensions]]", &dim.id, m))?;
            if dimension_index.insert(dim.id.as_str(), d).is_some() {
                return Err(fail("[[dimensions]]", &dim.id, "duplicate dimension id".into()));
            }
        }

        if file.items.is_empty() {
            return Err(Error::Spec(format!(
                "survey definition {source_name}: no [[items]]; a survey needs questions"
            )));
        }
        let mut item_ids: HashSet<&str> = HashSet::new();
        let mut columns: HashMap<&str, &str> = HashMap::new();
        let mut item_scale = Vec::with_capacity(file.items.len());
        let mut item_dimension = Vec::with_capacity(file.items.len());
        let mut dimension_items = vec![Vec::new(); file.dimensions.len()];
        let known = |names: Vec<&str>| if names.is_empty() { "none".to_string() } else { names.join(", ") };
        for (i, item) in file.items.iter().enumerate() {
            check_id(&item.id).map_err(|m| fail("[[items]]", &item.id, m))?;
            if !item_ids.insert(item.id.as_str()) {
                return Err(fail("[[items]]", &item.id, "duplicate item id".into()));
            }
            if let Some(other) = columns.insert(item.column_name(), item.id.as_str()) {
                return Err(fail(
                    "[[items]]",
                    &item.id,
                    format!("reads column '{}', which item '{other}' reads too", item.column_name()),
                ));
            }
            let s = *scale_index.get(item.scale.as_str()).ok_or_else(|| {
                fail(
                    "[[items]]",
                    &item.id,
                    format!(
                        "unknown scale '{}'; scales are: {}",
                        item.scale,
                        known(file.scales.iter().map(|s| s.id.as_str()).collect())
                    ),
                )
            })?;
            let d = *dimension_index.get(item.dimension.as_str()).ok_or_else(|| {
                fail(
                    "[[items]]",
                    &item.id,
                    format!(
                        "unknown dimension '{}'; dimensions are: {}",
                        item.dimension,
                        known(file.dimensions.iter().map(|d| d.id.as_str()).collect())
                    ),
                )
            })?;
            item_scale.push(s);
            item_dimension.push(d);
            dimension_items[d].push(i);
        }
        if let Some(d) = dimension_items.iter().position(Vec::is_empty) {
            return Err(fail("[[dimensions]]", &file.dimensions[d].id, "no item belongs to this dimension".into()));
        }

        Ok(SurveyDefinition {
            source_name: source_name.to_string(),
            sha256: crate::io::sha256_hex(text.as_bytes()),
            meta: file.survey,
            scales,
            items: file.items,
            dimensions: file.dimensions,
            item_scale,
            item_dimension,
            dimension_items,
        })
    }

    /// `[survey]`: id, name, description.
    pub fn meta(&self) -> &SurveyMeta {
        &self.meta
    }

    /// The survey's id.
    pub fn id(&self) -> &str {
        &self.meta.id
    }

    /// The survey's name.
    pub fn name(&self) -> &str {
        &self.meta.name
    }

    /// The file (or name) the definition was read from.
    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// SHA-256 of the TOML text, for provenance.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The scales, checked, in definition order.
    pub fn scales(&self) -> &[Scale] {
        &self.scales
    }

    /// The items in definition order (the order of the output rows).
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// The dimensions in definition order (dimension indices index this slice).
    pub fn dimensions(&self) -> &[Dimension] {
        &self.dimensions
    }

    /// The scale of item `i`.
    pub fn item_scale(&self, i: usize) -> &Scale {
        &self.scales[self.item_scale[i]]
    }

    /// The dimension index of item `i`.
    pub fn item_dimension(&self, i: usize) -> usize {
        self.item_dimension[i]
    }

    /// The item indices of dimension `d`, in definition order.
    pub fn dimension_items(&self, d: usize) -> &[usize] {
        &self.dimension_items[d]
    }
}

fn check_id(id: &str) -> std::result::Result<(), String> {
    if id.trim().is_empty() {
        Err("the id is empty".into())
    } else if id.trim() != id {
        Err("the id starts or ends with a space".into())
    } else {
        Ok(())
    }
}

/// Checks one `[[scales]]` entry; the message does not repeat the entry's name.
fn scale(entry: &ScaleEntry) -> std::result::Result<Scale, String> {
    let missing: Vec<String> = match &entry.missing {
        Some(marks) => marks.iter().map(|m| m.trim().to_string()).collect(),
        None => DEFAULT_MISSING.iter().map(|m| m.to_string()).collect(),
    };
    let not_for = |field: &str, kind: &str| format!("'{field}' is not a field of a {kind} scale");
    match entry.kind {
        KindName::Labels => {
            for (field, given) in [
                ("min", entry.min.is_some()),
                ("max", entry.max.is_some()),
                ("step", entry.step.is_some()),
                ("rescale", entry.rescale.is_some()),
            ] {
                if given {
                    return Err(not_for(field, "labels"));
                }
            }
            let levels: Vec<Level> = match &entry.levels {
                Some(levels) => levels.clone(),
                None => DEFAULT_LEVELS
                    .iter()
                    .map(|&(label, score)| Level { label: label.to_string(), score, code: None })
                    .collect(),
            };
            if levels.len() < 2 {
                return Err(format!("{} level(s): a labels scale needs at least 2", levels.len()));
            }
            let mut lookup = HashMap::new();
            for (k, level) in levels.iter().enumerate() {
                let label = level.label.trim();
                if label.is_empty() {
                    return Err("a level has an empty label (an empty cell is a missing answer)".into());
                }
                if label != level.label {
                    return Err(format!("label '{}' starts or ends with a space", level.label));
                }
                if !(level.score.is_finite() && level.score.abs() <= MAX_SCALE_MAGNITUDE) {
                    return Err(format!(
                        "the score of '{label}' is {}: expected a finite number of magnitude at most \
                         {MAX_SCALE_MAGNITUDE:e}",
                        level.score
                    ));
                }
                let mut keys = vec![label.to_string()];
                keys.extend(level.code.map(|c| c.to_string()));
                for key in keys {
                    if lookup.insert(key.clone(), k).is_some() {
                        return Err(format!("'{key}' names two levels (labels and codes must be unique)"));
                    }
                }
            }
            let top: Vec<String> = match &entry.top {
                Some(TopEntry::Labels(labels)) => labels.clone(),
                Some(TopEntry::Threshold(t)) => {
                    return Err(format!(
                        "top = {t}: a labels scale lists its satisfied labels, e.g. top = [\"很满意\", \"满意\"]"
                    ))
                }
                None if levels.len() >= 3 => {
                    let mut order: Vec<usize> = (0..levels.len()).collect();
                    order.sort_by(|&a, &b| levels[b].score.total_cmp(&levels[a].score));
                    order[..2].iter().map(|&k| levels[k].label.clone()).collect()
                }
                None => return Err("with fewer than 3 levels, name the satisfied labels with top".into()),
            };
            if top.is_empty() {
                return Err("top is empty: name the labels that count as satisfied".into());
            }
            let mut satisfied = vec![false; levels.len()];
            for label in &top {
                match levels.iter().position(|l| &l.label == label) {
                    Some(k) if !satisfied[k] => satisfied[k] = true,
                    Some(_) => return Err(format!("top names '{label}' twice")),
                    None => return Err(format!("top names '{label}', which is not a level label")),
                }
            }
            if let Some(m) = missing.iter().find(|m| lookup.contains_key(m.as_str())) {
                return Err(format!("'{m}' is both a missing mark and a level"));
            }
            Ok(Scale { id: entry.id.clone(), kind: ScaleKind::Labels { levels, top }, missing, lookup, satisfied })
        }
        KindName::Numeric => {
            if entry.levels.is_some() {
                return Err(not_for("levels", "numeric"));
            }
            let (Some(min), Some(max)) = (entry.min, entry.max) else {
                return Err("a numeric scale needs min and max".into());
            };
            if !(min.is_finite() && max.is_finite() && min < max) {
                return Err(format!("min = {min}, max = {max}: expected finite numbers with min < max"));
            }
            if min.abs().max(max.abs()) > MAX_SCALE_MAGNITUDE {
                return Err(format!(
                    "min = {min}, max = {max}: a scale's bounds are at most {MAX_SCALE_MAGNITUDE:e} in magnitude"
                ));
            }
            if let Some(step) = entry.step {
                if !(step.is_finite() && step > 0.0) {
                    return Err(format!("step = {step}: expected a number > 0"));
                }
                if !on_step(max, min, step) {
                    return Err(format!("max = {max} is not on the grid {min} + k·{step}"));
                }
            }
            let rescale = entry.rescale.unwrap_or_default();
            if rescale == Rescale::OfMax && min < 0.0 {
                return Err(format!("rescale = \"of_max\" needs min >= 0 (min = {min})"));
            }
            let top = match &entry.top {
                Some(TopEntry::Threshold(t)) => *t,
                Some(TopEntry::Labels(_)) => {
                    return Err("a numeric scale's top is a threshold, e.g. top = 8 (answers >= 8 are satisfied)".into())
                }
                None => match entry.step {
                    Some(step) if (max - min) / step >= 2.0 - STEP_TOLERANCE => max - step,
                    Some(_) => return Err("with fewer than 3 steps, name the satisfied threshold with top".into()),
                    None => return Err("without step, name the satisfied threshold with top (e.g. top = 8)".into()),
                },
            };
            if !(top.is_finite() && (min..=max).contains(&top)) {
                return Err(format!("top = {top} is outside [{min}, {max}]"));
            }
            for m in &missing {
                if let Ok(x) = m.parse::<f64>() {
                    if (min..=max).contains(&x) {
                        return Err(format!("'{m}' is both a missing mark and an answer in [{min}, {max}]"));
                    }
                }
            }
            Ok(Scale {
                id: entry.id.clone(),
                kind: ScaleKind::Numeric { min, max, step: entry.step, rescale, top },
                missing,
                lookup: HashMap::new(),
                satisfied: Vec::new(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(scales: &str) -> Result<SurveyDefinition> {
        SurveyDefinition::from_toml(
            &format!(
                "[survey]\nid = \"t\"\nname = \"t\"\n{scales}\n[[dimensions]]\nid = \"d\"\n[[items]]\nid = \"q\"\ndimension = \"d\"\nscale = \"s\"\n"
            ),
            "t.toml",
        )
    }

    #[test]
    fn default_labels_and_their_top_two() {
        let d = def("[[scales]]\nid = \"s\"\nkind = \"labels\"").unwrap();
        let s = d.item_scale(0);
        assert_eq!(s.judge(&Cell::Text("满意".into())), Judged::Valid { score: 80.0, satisfied: true });
        assert_eq!(s.judge(&Cell::Text(" 一般 ".into())), Judged::Valid { score: 60.0, satisfied: false });
        assert_eq!(s.judge(&Cell::Text("不清楚".into())), Judged::Missing);
        assert_eq!(s.judge(&Cell::Empty), Judged::Missing);
        assert_eq!(s.judge(&Cell::Text("很好".into())), Judged::Bad(BadReason::UnknownLabel));
        assert_eq!(s.judge(&Cell::Number(6.0)), Judged::Bad(BadReason::UnknownLabel));
    }

    #[test]
    fn numeric_scale_reads_numbers_and_text() {
        let d = def(
            "[[scales]]\nid = \"s\"\nkind = \"numeric\"\nmin = 1\nmax = 10\nstep = 1\nrescale = \"of_max\"\ntop = 8",
        )
        .unwrap();
        let s = d.item_scale(0);
        assert_eq!(s.judge(&Cell::Text("8".into())), Judged::Valid { score: 80.0, satisfied: true });
        assert_eq!(s.judge(&Cell::Number(7.0)), Judged::Valid { score: 70.0, satisfied: false });
        assert_eq!(s.judge(&Cell::Text("810".into())), Judged::Bad(BadReason::OutOfScale));
        assert_eq!(s.judge(&Cell::Text("7.5".into())), Judged::Bad(BadReason::OffStep));
        assert_eq!(s.judge(&Cell::Text("很好".into())), Judged::Bad(BadReason::NotNumeric));
        let range = def("[[scales]]\nid = \"s\"\nkind = \"numeric\"\nmin = 1\nmax = 5\nstep = 1").unwrap();
        // Default top: the top two steps (4 and 5); range: (x − 1)/4·100.
        assert_eq!(range.item_scale(0).judge(&Cell::Number(4.0)), Judged::Valid { score: 75.0, satisfied: true });
    }

    #[test]
    fn scale_problems_name_the_entry() {
        let e = def("[[scales]]\nid = \"s\"\nkind = \"numeric\"\nmin = 1\nmax = 10").unwrap_err().to_string();
        assert!(e.contains("t.toml, [[scales]] 's': without step"), "{e}");
        let e = def("[[scales]]\nid = \"s\"\nkind = \"labels\"\ntop = [\"好\"]").unwrap_err().to_string();
        assert!(e.contains("top names '好'"), "{e}");
        let e = def("[[scales]]\nid = \"s\"\nkind = \"labels\"\nmissing = [\"一般\"]").unwrap_err().to_string();
        assert!(e.contains("both a missing mark and a level"), "{e}");
    }
}
