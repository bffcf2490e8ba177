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
//! | `description` | string | no | what the task does |
//! | `indicators` | [string] | no | ids of indicators the task addresses, in any catalogue |
//!
//! Unknown keys, duplicate task ids, malformed indicator ids and an indicator listed twice under
//! one task are errors ([`Error::Catalog`] naming the file and the task). The links between
//! indicators and tasks are read in both directions: an indicator's own `tasks` field in its
//! catalogue, and the task's `indicators` here ([`TaskCatalog::tasks_of`] gives the latter;
//! the diagnosis takes the union). The 18 tasks of the Liaoning pilot-zone plan are compiled in
//! ([`TaskCatalog::builtin`] with id `renewal-tasks-liaoning`).

use std::collections::HashSet;
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
    /// What the task covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Ids of the indicators (of any catalogue) the task addresses.
    #[serde(default)]
    pub indicators: Vec<String>,
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
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
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

    /// One row per task: `id, name_zh, name_en, area, deadline, description, indicators`
    /// (indicator ids joined by `; `).
    pub fn to_dataframe(&self) -> PolarsResult<DataFrame> {
        let t = &self.tasks;
        let indicators: Vec<String> = t.iter().map(|t| t.indicators.join("; ")).collect();
        DataFrame::new_infer_height(vec![
            Column::new("id".into(), t.iter().map(|t| t.id).collect::<Vec<u32>>()),
            Column::new("name_zh".into(), t.iter().map(|t| t.name_zh.as_str()).collect::<Vec<_>>()),
            Column::new("name_en".into(), t.iter().map(|t| t.name_en.as_str()).collect::<Vec<_>>()),
            Column::new("area".into(), t.iter().map(|t| t.area.as_str()).collect::<Vec<_>>()),
            Column::new("deadline".into(), t.iter().map(|t| t.deadline).collect::<Vec<Option<i32>>>()),
            Column::new("description".into(), t.iter().map(|t| t.description.as_deref()).collect::<Vec<_>>()),
            Column::new("indicators".into(), indicators.iter().map(String::as_str).collect::<Vec<_>>()),
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
    }
    Ok(())
}
