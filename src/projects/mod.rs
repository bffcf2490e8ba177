//! Projects (项目生成, METHODS.md §10): the projects table a city registers, validated and
//! linked to a year's problem ledger — which problems each project addresses, which problems
//! no project addresses (gaps), which projects address no recorded problem — and the plan's
//! two tables: the project reserve (项目储备库: 定投资事项、定项目方案、定资金来源) and the
//! implementation library (项目实施库: 定实施计划、定工作责任、定督考办法).
//!
//! # Linking (`link.rs`)
//! A project of unit u names problems by indicator id (or a catalogue alias) or by object id
//! (the object ledgers of [`crate::compute`]). A name links to every problem of the ledger
//! with unit u and that indicator (or that object id). A name that is a known indicator with no
//! problem of u in the ledger links nothing and is listed in the project's `unrecorded`; an
//! object id that is a problem only of other units, and a name that is neither a catalogue
//! indicator nor an indicator or object of the ledger, are [`Issue`]s (file, row, column
//! `problems`). A unit that is neither in the ledger nor among the known units, and a task the
//! task file does not have, are issues too (columns `unit`, `tasks`). Nothing is dropped: a
//! project with issues is kept with what could be read.
//!
//! # Priority, gaps, progress
//! ```text
//! priority(p)        = Σ severity of the distinct problems p addresses (a severity not known counts 0)
//! rank               = 1 for the unit's highest priority; equal priorities share the lowest rank
//! gap                = a problem no project addresses; gaps are ranked by severity (descending)
//! planned_progress   = 100 × clamp((as_of − plan_start) / (plan_end − plan_start), 0, 1)   in %, days
//! progress_gap       = progress − planned_progress          (negative: behind the plan)
//! overdue            = plan_end < as_of and status ≠ completed
//! ```
//! Without a reference date (`as_of`) there is no planned progress and no overdue flag: the
//! result never depends on the day it is computed. A plan with `plan_end` before `plan_start`
//! has no planned progress.

mod date;
mod link;
mod output;
mod read;

pub use date::Date;
pub use link::link;
pub use read::{embedded_projects_bytes, read_embedded_projects, read_projects, EMBEDDED_PROJECTS};

use crate::error::Issue;
use crate::recheck::ProblemId;

/// A project's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProjectStatus {
    /// In the reserve, not started (储备, 谋划, 未开工).
    Planned,
    /// Under way (在建, 实施中, 推进中).
    InProgress,
    /// Done (已完成, 完工, 竣工).
    Completed,
    /// Stopped for now (暂停, 停工).
    Suspended,
}

impl ProjectStatus {
    /// The snake_case name written in the tables.
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectStatus::Planned => "planned",
            ProjectStatus::InProgress => "in_progress",
            ProjectStatus::Completed => "completed",
            ProjectStatus::Suspended => "suspended",
        }
    }

    /// The status a cell names (English snake_case or spaced, or the Chinese words listed on
    /// each variant); `None` for any other text.
    pub fn from_text(text: &str) -> Option<ProjectStatus> {
        let t = text.trim().to_lowercase().replace([' ', '-'], "_");
        Some(match t.as_str() {
            "planned" | "reserve" | "not_started" | "储备" | "谋划" | "未开工" => ProjectStatus::Planned,
            "in_progress" | "ongoing" | "started" | "在建" | "实施中" | "推进中" => ProjectStatus::InProgress,
            "completed" | "complete" | "done" | "已完成" | "完成" | "完工" | "竣工" => {
                ProjectStatus::Completed
            }
            "suspended" | "paused" | "暂停" | "停工" => ProjectStatus::Suspended,
            _ => return None,
        })
    }
}

/// One project as registered: a row of the projects table.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Project {
    /// Column `project_id`: unique in the table.
    pub id: String,
    /// Column `unit`: the unit (city) the project is in.
    pub unit: String,
    /// Column `name`.
    pub name: String,
    /// Column `tasks`: renewal task numbers.
    pub tasks: Vec<u32>,
    /// Column `problems`: indicator ids or object ids, as written.
    pub problems: Vec<String>,
    /// Column `investment`, 万元; empty when not given or not readable.
    pub investment: Option<f64>,
    /// Column `funding_source` (资金来源).
    pub funding_source: Option<String>,
    /// Column `lead_department` (工作责任: the department responsible).
    pub lead_department: Option<String>,
    /// Column `plan_start` (实施计划).
    pub plan_start: Option<Date>,
    /// Column `plan_end`.
    pub plan_end: Option<Date>,
    /// Column `status`.
    pub status: Option<ProjectStatus>,
    /// Column `progress`: reported progress in %, 0–100.
    pub progress: Option<f64>,
    /// The row in the table's file (1-based, the header is row 1).
    pub row: usize,
}

/// A projects table as read ([`read_projects`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ProjectTable {
    /// Where it comes from (the file), named in messages.
    pub source: String,
    /// The projects, in the table's order.
    pub projects: Vec<Project>,
    /// Cells read as empty (and columns not read), each with file, row and column.
    pub issues: Vec<Issue>,
}

/// What [`link`] needs besides the table and the ledger.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkOptions {
    /// The reference date of progress against plan and of the overdue flag (督考); none: no
    /// planned progress and no flag.
    pub as_of: Option<Date>,
    /// Units known besides those of the ledger (a unit without problems is in no ledger): the
    /// units of the data in a run.
    pub units: Vec<String>,
}

/// One project linked to the ledger: a row of `projects.csv`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ProjectRow {
    /// The project as registered.
    pub project: Project,
    /// The ledger's problems it addresses, in ledger order.
    pub addressed: Vec<ProblemId>,
    /// The names of its `problems` that are known indicators with no problem of its unit in
    /// the ledger.
    pub unrecorded: Vec<String>,
    /// Σ severity of the problems it addresses.
    pub priority: f64,
    /// 1 = its unit's highest priority; equal priorities share the lowest rank.
    pub rank: u32,
    /// The elapsed share of its schedule at `as_of`, in %.
    pub planned_progress: Option<f64>,
    /// progress − planned_progress (negative: behind the plan).
    pub progress_gap: Option<f64>,
    /// plan_end before `as_of` and not completed; `None` without `as_of` or `plan_end`.
    pub overdue: Option<bool>,
    /// Why it addresses no recorded problem, and its unrecorded names.
    pub note: Option<String>,
}

/// One problem of the ledger and the projects that address it: a row of
/// `problem_coverage.csv`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Coverage {
    /// The problem's identity.
    pub id: ProblemId,
    /// Its severity in the ledger.
    pub severity: Option<f64>,
    /// The value of the ledger year.
    pub value: Option<f64>,
    /// The standard value.
    pub standard: Option<f64>,
    /// The renewal tasks its indicator points to (catalogue and task file), when known.
    pub tasks: Vec<u32>,
    /// The ids of the projects addressing it, in the table's order; empty: a gap.
    pub projects: Vec<String>,
}

/// The projects table linked to one year's ledger.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Projects {
    /// The ledger year.
    pub year: i32,
    /// The reference date of progress against plan.
    pub as_of: Option<Date>,
    /// Every project, in the table's order.
    pub projects: Vec<ProjectRow>,
    /// Every problem of the ledger, in ledger order.
    pub coverage: Vec<Coverage>,
    /// The table's issues, then those of linking (unknown units, tasks and problems).
    pub issues: Vec<Issue>,
}

impl Projects {
    /// The problems no project addresses, by severity (descending; a severity not known last),
    /// then unit and indicator, with their rank (equal severities share the lowest rank).
    pub fn gaps(&self) -> Vec<(u32, &Coverage)> {
        let mut gaps: Vec<&Coverage> = self.coverage.iter().filter(|c| c.projects.is_empty()).collect();
        gaps.sort_by(|a, b| {
            let (x, y) = (a.severity.unwrap_or(f64::NEG_INFINITY), b.severity.unwrap_or(f64::NEG_INFINITY));
            y.total_cmp(&x).then_with(|| a.id.cmp(&b.id))
        });
        let mut out: Vec<(u32, &Coverage)> = Vec::with_capacity(gaps.len());
        for (k, c) in gaps.into_iter().enumerate() {
            let rank = match out.last() {
                Some(&(r, last)) if last.severity == c.severity => r,
                _ => k as u32 + 1,
            };
            out.push((rank, c));
        }
        out
    }

    /// The projects that address no problem of the ledger.
    pub fn unlinked(&self) -> impl Iterator<Item = &ProjectRow> + '_ {
        self.projects.iter().filter(|p| p.addressed.is_empty())
    }
}
