//! The renewal key tasks (重点任务) a diagnosis points to: the catalogue of actions behind the
//! project reserve (项目储备库).
//!
//! A task file is TOML: one `[catalog]` table (`id`, `name`, `name_en`, `version`,
//! `description`, `source`) and one `[[tasks]]` table per task:
//!
//! | key | type | required | meaning |
//! |---|---|---|---|
//! | `id` | integer ≥ 1 | yes | unique; the number indicator catalogues cite in their `tasks` |
//! | `name_zh`, `name_en` | string | yes | names |
//! | `area` | string | yes | `green`, `low_carbon`, `smart`, `humanistic` or `vital` |
//! | `deadline` | integer (year) | no | when the task is due |
//! | `deadline_kind` | string | no | `完成` (done by the deadline) or `取得阶段性成果` (phased results by it); needs `deadline` |
//! | `description` | string | no | what the task does |
//! | `quote` | string | no | the task's text in the source, verbatim |
//! | `section` | string | no | the heading path of the task in the source |
//! | `lead_units`, `guiding_units`, `responsible_units` | [string] | no | the source's 牵头单位, 指导部门 and 责任部门, verbatim, one per string |
//! | `indicators` | [string] | no | ids of indicators the task addresses, in any catalogue |
//! | `items` | [table] | no | the task's checkable targets ([`TaskItem`], TOML `[[tasks.items]]`) |
//!
//! A `[[tasks.items]]` table:
//!
//! | key | type | required | meaning |
//! |---|---|---|---|
//! | `id` | string | yes | lowercase `a-z`, `0-9`, `_`; unique in the file |
//! | `text` | string | yes | what is checked, in English |
//! | `quote` | string | yes | the source's wording of the target, verbatim |
//! | `section` | string | no | the heading path of `quote` when it is not the task's own text (e.g. the target table) |
//! | `kind` | string | yes | `number` (a number to reach) or `yes_no` (done or not) |
//! | `value` | number | `number`: this or `by_unit` | the target for every unit of `units` (all units when empty), or with `collective` their total |
//! | `by_unit` | table of unit name → number | no | per-unit targets (`number` only) |
//! | `unit` | string | `number`: yes | a known unit of the indicator catalogues (`个`, `%`, `m`, …) |
//! | `units` | [string] | no | the units the item is required of; empty = every unit |
//! | `collective` | bool | no | `value` is one total for `units` together (the whole province when empty), not per unit |
//! | `indicators` | [string] | no | ids of the indicators that check the item; each is also in the task's `indicators` |
//!
//! Unknown keys, duplicate task ids, malformed indicator ids, an indicator listed twice under
//! one task, a `deadline_kind` without a `deadline`, and an item that does not fit its `kind`
//! are errors ([`Error::Catalog`] naming the file and the task). The links between
//! indicators and tasks are read in both directions: an indicator's own `tasks` field in its
//! catalogue, and the task's `indicators` here ([`TaskCatalog::tasks_of`] gives the latter;
//! the diagnosis takes the union). The 18 tasks of the Liaoning pilot-zone plan are compiled in
//! ([`TaskCatalog::builtin`] with id `renewal-tasks-liaoning`).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use polars::prelude::{Column, DataFrame, PolarsResult};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The built-in task files: id and TOML text.
const BUILTIN: &[(&str, &str)] =
    &[("renewal-tasks-liaoning", include_str!("../../indicators/renewal-tasks-liaoning.toml"))];

/// The five areas of the pilot-zone plan's key tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// 绿色城市 (城市双修): tasks 1–5 of the Liaoning plan.
    Green,
    /// 低碳城市: tasks 6–7.
    LowCarbon,
    /// 智慧城市: tasks 8–11.
    Smart,
    /// 人文城市: tasks 12–13.
    Humanistic,
    /// 活力城市: tasks 14–18.
    Vital,
}

impl Area {
    /// `green`, `low_carbon`, `smart`, `humanistic` or `vital`, as in serde.
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Green => "green",
            Area::LowCarbon => "low_carbon",
            Area::Smart => "smart",
            Area::Humanistic => "humanistic",
            Area::Vital => "vital",
        }
    }
}

/// How the source's 完成时限 reads: done by the deadline, or phased results by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeadlineKind {
    /// `完成`: the task is to be done by the deadline (完成时限：2025年).
    #[serde(rename = "完成")]
    Complete,
    /// `取得阶段性成果`: phased results by the deadline (完成时限：2025年取得阶段性成果).
    #[serde(rename = "取得阶段性成果")]
    PhasedResults,
}

impl DeadlineKind {
    /// `完成` or `取得阶段性成果`, as in serde.
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineKind::Complete => "完成",
            DeadlineKind::PhasedResults => "取得阶段性成果",
        }
    }
}

/// What kind of target a task item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A number to reach (`value` or `by_unit`, with a `unit`).
    Number,
    /// Done or not (a system set up, a platform built, a problem basically eliminated).
    YesNo,
}

/// One checkable target of a task (`[[tasks.items]]`): a number or a yes/no the source sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskItem {
    /// Lowercase `a-z`, `0-9`, `_`; unique in the task file.
    pub id: String,
    /// What is checked, in English.
    pub text: String,
    /// The source's wording of the target, verbatim.
    pub quote: String,
    /// The heading path of `quote` when it is not the task's own text; `None`: the task's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// A number or a yes/no.
    pub kind: ItemKind,
    /// `number`: the target for every unit of `units` (every unit when empty) not in `by_unit`,
    /// or with `collective` the total of `units` together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// `number`: per-unit targets, keyed by unit name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by_unit: BTreeMap<String, f64>,
    /// `number`: the unit of measurement, one of [`crate::catalog::units::KNOWN_UNITS`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The units the item is required of; empty: every unit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
    /// `value` is one total for `units` together (the whole province when `units` is empty):
    /// it cannot be checked unit by unit.
    #[serde(default, skip_serializing_if = "is_false")]
    pub collective: bool,
    /// Ids of the indicators that check the item (each also in the task's `indicators`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Identity of a task file: the `[catalog]` table, as in an indicator catalogue.
pub type TaskMeta = crate::catalog::CatalogMeta;

/// One renewal key task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenewalTask {
    /// The task's number in the plan (1–18 in the Liaoning plan).
    pub id: u32,
    /// The Chinese name.
    pub name_zh: String,
    /// The English name.
    pub name_en: String,
    /// The plan's area the task belongs to.
    pub area: Area,
    /// The year the task is due, if the plan says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<i32>,
    /// Whether the task is to be done by `deadline` or to show phased results by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_kind: Option<DeadlineKind>,
    /// What the task covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The task's text in the source, verbatim (at least its first sentence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// The heading path of the task in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// The lead units (牵头单位), verbatim, one per string.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lead_units: Vec<String>,
    /// The guiding departments (指导部门), verbatim, one per string.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guiding_units: Vec<String>,
    /// The responsible departments (责任部门), verbatim, one per string.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responsible_units: Vec<String>,
    /// Ids of the indicators (of any catalogue) the task addresses.
    #[serde(default)]
    pub indicators: Vec<String>,
    /// The task's checkable targets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<TaskItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskFile {
    catalog: TaskMeta,
    #[serde(default)]
    tasks: Vec<RenewalTask>,
}

/// A validated task file, immutable once loaded.
#[derive(Debug, Clone)]
pub struct TaskCatalog {
    meta: TaskMeta,
    tasks: Vec<RenewalTask>,
    sha256: String,
}

impl TaskCatalog {
    /// The ids of the compiled-in task files.
    pub fn builtin_ids() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(id, _)| *id)
    }

    /// A compiled-in task file by id (`renewal-tasks-liaoning`).
    ///
    /// # Errors
    /// [`Error::Catalog`] when no built-in task file has that id (the message lists them).
    pub fn builtin(id: &str) -> Result<TaskCatalog> {
        let (_, text) = BUILTIN.iter().find(|(known, _)| *known == id).ok_or_else(|| Error::Catalog {
            source_name: id.to_string(),
            entry: None,
            message: format!(
                "no built-in task file with this id; built-in: {}",
                TaskCatalog::builtin_ids().collect::<Vec<_>>().join(", ")
            ),
        })?;
        TaskCatalog::from_toml(text, &format!("builtin:{id}"))
    }

    /// A built-in id, or else a path to a task file.
    pub fn resolve(id_or_path: &str) -> Result<TaskCatalog> {
        if TaskCatalog::builtin_ids().any(|id| id == id_or_path) {
            TaskCatalog::builtin(id_or_path)
        } else {
            TaskCatalog::load(id_or_path)
        }
    }

    /// Reads and validates a task file.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read; [`Error::Catalog`] naming the file and the task
    /// if it is malformed.
    pub fn load(path: impl AsRef<Path>) -> Result<TaskCatalog> {
        let path = path.as_ref();
        let text = crate::io::read_text(path)?;
        TaskCatalog::from_toml(&text, &path.display().to_string())
    }

    /// Parses and validates task-file TOML; `source_name` names it in error messages.
    ///
    /// # Examples
    /// ```
    /// # fn main() -> citycheck::Result<()> {
    /// use citycheck::diagnose::TaskCatalog;
    /// let tasks = TaskCatalog::builtin("renewal-tasks-liaoning")?;
    /// assert_eq!(tasks.tasks().len(), 18);
    /// let unknown_key = "[catalog]\nid = \"x\"\nname = \"x\"\nversion = \"1\"\nlead = 1\n";
    /// assert!(TaskCatalog::from_toml(unknown_key, "x.toml").is_err());
    /// # Ok(()) }
    /// ```
    pub fn from_toml(text: &str, source_name: &str) -> Result<TaskCatalog> {
        let file: TaskFile = toml::from_str(text).map_err(|e| Error::Catalog {
            source_name: source_name.to_string(),
            entry: None,
            message: e.to_string(),
        })?;
        validate(&file, source_name)?;
        Ok(TaskCatalog { meta: file.catalog, tasks: file.tasks, sha256: crate::io::sha256_hex(text.as_bytes()) })
    }

    /// The task file's identity (`[catalog]`): id, names, version, source.
    pub fn meta(&self) -> &TaskMeta {
        &self.meta
    }

    /// The task file's id (e.g. `renewal-tasks-liaoning`).
    pub fn id(&self) -> &str {
        &self.meta.id
    }

    /// SHA-256 of the TOML text the task file was read from.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The tasks in file order.
    pub fn tasks(&self) -> &[RenewalTask] {
        &self.tasks
    }

    /// The task with this id.
    pub fn task(&self, id: u32) -> Option<&RenewalTask> {
        self.tasks.iter().find(|t| t.id == id)
    }

    /// Ids of the tasks whose `indicators` list `indicator`, in file order.
    pub fn tasks_of<'a>(&'a self, indicator: &'a str) -> impl Iterator<Item = u32> + 'a {
        self.tasks.iter().filter(move |t| t.indicators.iter().any(|i| i == indicator)).map(|t| t.id)
    }

    /// One row per task: `id, name_zh, name_en, area, deadline, deadline_kind, description,
    /// indicators, lead_units, guiding_units, responsible_units, section, quote` (indicator ids
    /// joined by `; `, units by `、` as in the source).
    pub fn to_dataframe(&self) -> PolarsResult<DataFrame> {
        let t = &self.tasks;
        let indicators: Vec<String> = t.iter().map(|t| t.indicators.join("; ")).collect();
        let lead: Vec<String> = t.iter().map(|t| t.lead_units.join("、")).collect();
        let guiding: Vec<String> = t.iter().map(|t| t.guiding_units.join("、")).collect();
        let responsible: Vec<String> = t.iter().map(|t| t.responsible_units.join("、")).collect();
        DataFrame::new_infer_height(vec![
            Column::new("id".into(), t.iter().map(|t| t.id).collect::<Vec<u32>>()),
            Column::new("name_zh".into(), t.iter().map(|t| t.name_zh.as_str()).collect::<Vec<_>>()),
            Column::new("name_en".into(), t.iter().map(|t| t.name_en.as_str()).collect::<Vec<_>>()),
            Column::new("area".into(), t.iter().map(|t| t.area.as_str()).collect::<Vec<_>>()),
            Column::new("deadline".into(), t.iter().map(|t| t.deadline).collect::<Vec<Option<i32>>>()),
            Column::new(
                "deadline_kind".into(),
                t.iter().map(|t| t.deadline_kind.map(DeadlineKind::as_str)).collect::<Vec<Option<&str>>>(),
            ),
            Column::new("description".into(), t.iter().map(|t| t.description.as_deref()).collect::<Vec<_>>()),
            Column::new("indicators".into(), indicators.iter().map(String::as_str).collect::<Vec<_>>()),
            Column::new("lead_units".into(), lead.iter().map(String::as_str).collect::<Vec<_>>()),
            Column::new("guiding_units".into(), guiding.iter().map(String::as_str).collect::<Vec<_>>()),
            Column::new("responsible_units".into(), responsible.iter().map(String::as_str).collect::<Vec<_>>()),
            Column::new("section".into(), t.iter().map(|t| t.section.as_deref()).collect::<Vec<_>>()),
            Column::new("quote".into(), t.iter().map(|t| t.quote.as_deref()).collect::<Vec<_>>()),
        ])
    }
}

fn is_indicator_id(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn validate(file: &TaskFile, source_name: &str) -> Result<()> {
    let fail = |entry: Option<String>, message: String| Error::Catalog {
        source_name: source_name.to_string(),
        entry,
        message,
    };
    let id = &file.catalog.id;
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(fail(None, format!("catalog.id '{id}' must be lowercase letters, digits and '-'")));
    }
    if file.tasks.is_empty() {
        return Err(fail(None, "a task file needs at least one [[tasks]] entry".into()));
    }
    let mut ids = HashSet::new();
    let mut item_ids = HashSet::new();
    for task in &file.tasks {
        let entry = || Some(format!("task {}", task.id));
        if task.id == 0 {
            return Err(fail(entry(), "task ids are whole numbers >= 1".into()));
        }
        if !ids.insert(task.id) {
            return Err(fail(entry(), "duplicate task id".into()));
        }
        if task.name_zh.trim().is_empty() || task.name_en.trim().is_empty() {
            return Err(fail(entry(), "name_zh and name_en must not be empty".into()));
        }
        let mut listed = HashSet::new();
        for indicator in &task.indicators {
            if !is_indicator_id(indicator) {
                return Err(fail(
                    entry(),
                    format!("indicator '{indicator}': ids are lowercase ASCII letters, digits and '_'"),
                ));
            }
            if !listed.insert(indicator.as_str()) {
                return Err(fail(entry(), format!("indicator '{indicator}' is listed twice")));
            }
        }
        if task.deadline_kind.is_some() && task.deadline.is_none() {
            return Err(fail(entry(), "deadline_kind needs a deadline".into()));
        }
        for item in &task.items {
            if !is_indicator_id(&item.id) {
                return Err(fail(
                    entry(),
                    format!("item '{}': ids are lowercase ASCII letters, digits and '_'", item.id),
                ));
            }
            if !item_ids.insert(item.id.as_str()) {
                return Err(fail(entry(), format!("item '{}': duplicate item id", item.id)));
            }
            if let Err(message) = check_item(item, &listed) {
                return Err(fail(entry(), format!("item '{}': {message}", item.id)));
            }
        }
    }
    Ok(())
}

/// The rules of one `[[tasks.items]]` entry; `listed` holds the task's `indicators`.
fn check_item(item: &TaskItem, listed: &HashSet<&str>) -> std::result::Result<(), String> {
    if item.text.trim().is_empty() || item.quote.trim().is_empty() {
        return Err("text and quote must not be empty".into());
    }
    match item.kind {
        ItemKind::Number => {
            let Some(unit) = item.unit.as_deref() else {
                return Err("a number item needs a unit".into());
            };
            if !crate::catalog::units::is_known(unit) {
                return Err(format!("unknown unit '{unit}'"));
            }
            if item.value.is_none() && item.by_unit.is_empty() {
                return Err("a number item needs a value or by_unit".into());
            }
            if item.value.is_some_and(|v| !v.is_finite()) || item.by_unit.values().any(|v| !v.is_finite()) {
                return Err("values must be finite numbers".into());
            }
            if item.collective && item.value.is_none() {
                return Err("a collective item needs a value (the total)".into());
            }
        }
        ItemKind::YesNo => {
            if item.value.is_some() || !item.by_unit.is_empty() || item.unit.is_some() || item.collective {
                return Err("a yes_no item has no value, by_unit, unit or collective".into());
            }
        }
    }
    let mut units = HashSet::new();
    for unit in &item.units {
        if unit.trim().is_empty() || !units.insert(unit.as_str()) {
            return Err(format!("units: '{unit}' is empty or listed twice"));
        }
    }
    let mut seen = HashSet::new();
    for indicator in &item.indicators {
        if !seen.insert(indicator.as_str()) {
            return Err(format!("indicator '{indicator}' is listed twice"));
        }
        if !listed.contains(indicator.as_str()) {
            return Err(format!("indicator '{indicator}' is not in the task's indicators"));
        }
    }
    Ok(())
}
