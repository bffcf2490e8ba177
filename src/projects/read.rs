//! Reading the projects table a city registers (`.csv`, `.parquet` or `.xlsx`).
//!
//! | column | required | read as |
//! |---|---|---|
//! | `project_id` | yes | text, unique in the table |
//! | `unit` | yes | the unit (city) the project is in |
//! | `name` | yes | text |
//! | `tasks` | no | renewal task numbers, `;`-separated (also `,`, `；`, `、`) |
//! | `problems` | no | indicator ids or object ids the project addresses, separated as `tasks` |
//! | `investment` | no | a number (万元) ≥ 0 |
//! | `funding_source`, `lead_department` | no | text |
//! | `plan_start`, `plan_end` | no | dates `YYYY-MM-DD`, or months `YYYY-MM` (first day of a start, last day of an end), or spreadsheet date cells |
//! | `status` | no | `planned` (储备, 谋划, 未开工), `in_progress` (在建, 实施中, 推进中), `completed` (已完成, 完工, 竣工), `suspended` (暂停, 停工) |
//! | `progress` | no | reported progress in %, 0–100 (a trailing `%` is read) |
//!
//! # Bad input
//! A missing required column, an empty `project_id` or `unit`, and the same `project_id` twice
//! are errors ([`Error::Data`] naming the file, row and column). Every other bad cell is an
//! [`Issue`] naming the file, row and column, and the cell is read as empty (the project is
//! kept): investment that is not a number or negative, progress that is not a number or outside
//! 0–100, a date that cannot be read, `plan_end` before `plan_start` (both dates kept), a task
//! that is not a whole number, a status not listed above. Columns not listed are reported
//! (never fatal).

use std::collections::HashMap;
use std::path::Path;

use super::{Date, Project, ProjectStatus, ProjectTable};
use crate::error::{Error, Issue, IssueKind, Result};
use crate::panel::{parse_value, CellRef, RawTable};

const COLUMNS: &[&str] = &[
    "project_id",
    "unit",
    "name",
    "tasks",
    "problems",
    "investment",
    "funding_source",
    "lead_department",
    "plan_start",
    "plan_end",
    "status",
    "progress",
];

/// Reads a projects table (module docs of [`super::read`]).
///
/// # Errors
/// [`Error::Io`] when the file cannot be read; [`Error::Data`] naming the file, row and column
/// for an empty table, a missing required column, an empty `project_id` or `unit`, and a
/// `project_id` given twice.
pub fn read_projects(path: impl AsRef<Path>) -> Result<ProjectTable> {
    let path = path.as_ref();
    let table = RawTable::read(path)?;
    projects_of(&table, path.display().to_string())
}

/// Projects tables compiled into citycheck (name, CSV bytes): `embedded:NAME` as a run
/// config's `[projects] path`. `projects_synthetic/projects.csv` is the synthetic example of
/// the Liaoning cities that the embedded default run links (datasets/projects_synthetic).
pub const EMBEDDED_PROJECTS: &[(&str, &[u8])] =
    &[("projects_synthetic/projects.csv", include_bytes!("../../datasets/projects_synthetic/projects.csv"))];

/// The bytes of an embedded projects table (for its digest), by name.
pub fn embedded_projects_bytes(name: &str) -> Option<&'static [u8]> {
    EMBEDDED_PROJECTS.iter().find(|(n, _)| *n == name).map(|(_, bytes)| *bytes)
}

/// An embedded projects table ([`EMBEDDED_PROJECTS`]) by name, read as [`read_projects`] reads
/// a file; messages name it `embedded:NAME`.
///
/// # Errors
/// [`Error::Spec`] naming the embedded tables when `name` is none of them; as
/// [`read_projects`] otherwise.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// let table = citycheck::projects::read_embedded_projects("projects_synthetic/projects.csv")?;
/// assert_eq!(table.projects.len(), 6);
/// assert_eq!(table.source, "embedded:projects_synthetic/projects.csv");
/// # Ok(()) }
/// ```
pub fn read_embedded_projects(name: &str) -> Result<ProjectTable> {
    let bytes = embedded_projects_bytes(name).ok_or_else(|| {
        Error::Spec(format!(
            "no embedded projects table '{name}'; embedded: {}",
            EMBEDDED_PROJECTS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
        ))
    })?;
    let origin = format!("embedded:{name}");
    let table = RawTable::from_csv_bytes(bytes, &origin)?;
    projects_of(&table, origin)
}

fn projects_of(table: &RawTable, source: String) -> Result<ProjectTable> {
    let mut issues = Vec::new();
    for name in &table.names {
        if !COLUMNS.contains(&name.trim()) {
            issues.push(Issue::new(
                IssueKind::IgnoredColumn,
                table.location(None, Some(name.as_str())),
                format!("column '{name}' is not read (columns read: {})", COLUMNS.join(", ")),
            ));
        }
    }
    let id = required(table, "project_id")?;
    let unit = required(table, "unit")?;
    let name = required(table, "name")?;
    let column = |name: &str| table.names.iter().position(|n| n.trim() == name);
    let (tasks, problems, investment) = (column("tasks"), column("problems"), column("investment"));
    let (funding, lead) = (column("funding_source"), column("lead_department"));
    let (start, end, status, progress) =
        (column("plan_start"), column("plan_end"), column("status"), column("progress"));
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut projects = Vec::with_capacity(table.rows());
    for r in 0..table.rows() {
        let project_id = text(table, Some(id), r)
            .ok_or_else(|| Error::data(table.location(Some(r), Some("project_id")), "empty project_id"))?;
        if let Some(first) = seen.insert(project_id.clone(), r + 2) {
            return Err(Error::data(
                table.location(Some(r), Some("project_id")),
                format!("project_id '{project_id}' is given twice (rows {first} and {})", r + 2),
            ));
        }
        let unit = text(table, Some(unit), r)
            .ok_or_else(|| Error::data(table.location(Some(r), Some("unit")), "empty unit"))?;
        let mut report = |kind: IssueKind, column: &str, message: String| {
            let mut location = table.location(Some(r), Some(column));
            location.unit = Some(unit.clone());
            issues.push(Issue::new(kind, location, format!("project '{project_id}': {message}")));
        };
        let mut task_ids = Vec::new();
        for t in list(text(table, tasks, r)) {
            match t.parse::<u32>() {
                Ok(n) if n >= 1 => task_ids.push(n),
                _ => report(
                    IssueKind::UnknownReference,
                    "tasks",
                    format!("task '{t}' is not a task number (write the numbers, `;`-separated)"),
                ),
            }
        }
        let investment = match number(table, investment, r) {
            Ok(Some(x)) if x < 0.0 => {
                report(IssueKind::OutOfRange, "investment", format!("investment {x} is negative"));
                None
            }
            Ok(x) => x,
            Err(m) => {
                report(IssueKind::NonNumeric, "investment", format!("investment: {m} (万元)"));
                None
            }
        };
        let progress = match number(table, progress, r) {
            Ok(Some(x)) if !(0.0..=100.0).contains(&x) => {
                report(IssueKind::OutOfRange, "progress", format!("progress {x} is outside 0–100 %"));
                None
            }
            Ok(x) => x,
            Err(m) => {
                report(IssueKind::NonNumeric, "progress", format!("progress: {m}"));
                None
            }
        };
        let mut date = |c: Option<usize>, name: &str, end: bool| match date_cell(table, c, r, end) {
            Ok(d) => d,
            Err(m) => {
                report(IssueKind::InvalidSchedule, name, format!("{name}: {m}"));
                None
            }
        };
        let (plan_start, plan_end) = (date(start, "plan_start", false), date(end, "plan_end", true));
        if let (Some(s), Some(e)) = (plan_start, plan_end) {
            if e < s {
                report(IssueKind::InvalidSchedule, "plan_end", format!("plan_end {e} is before plan_start {s}"));
            }
        }
        let status = match text(table, status, r) {
            None => None,
            Some(s) => {
                let parsed = ProjectStatus::from_text(&s);
                if parsed.is_none() {
                    report(
                        IssueKind::UnknownReference,
                        "status",
                        format!("status '{s}' is none of planned, in_progress, completed, suspended"),
                    );
                }
                parsed
            }
        };
        projects.push(Project {
            id: project_id,
            unit,
            name: text(table, Some(name), r).unwrap_or_default(),
            tasks: task_ids,
            problems: list(text(table, problems, r)),
            investment,
            funding_source: text(table, funding, r),
            lead_department: text(table, lead, r),
            plan_start,
            plan_end,
            status,
            progress,
            row: r + 2,
        });
    }
    Ok(ProjectTable { source, projects, issues })
}

fn required(table: &RawTable, name: &str) -> Result<usize> {
    table.names.iter().position(|n| n.trim() == name).ok_or_else(|| {
        Error::data(
            table.location(None, Some(name)),
            format!("no column '{name}' (columns: {})", table.names.join(", ")),
        )
    })
}

fn text(table: &RawTable, c: Option<usize>, r: usize) -> Option<String> {
    match table.cell(c?, r) {
        CellRef::Empty => None,
        CellRef::Text(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        CellRef::Number(x) => Some(x.to_string()),
    }
}

/// The items of a `;`-separated cell (also `,`, `；`, `，`, `、`), trimmed, empty ones left out.
fn list(cell: Option<String>) -> Vec<String> {
    cell.map(|s| {
        s.split([';', ',', '；', '，', '、']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
    })
    .unwrap_or_default()
}

fn number(table: &RawTable, c: Option<usize>, r: usize) -> std::result::Result<Option<f64>, String> {
    let Some(c) = c else { return Ok(None) };
    let cell = table.cell(c, r);
    // A percentage written with its sign is read (progress "45%").
    let x = match cell {
        CellRef::Text(s) if s.trim().ends_with('%') => parse_value(CellRef::Text(s.trim().trim_end_matches('%')))?,
        _ => parse_value(cell)?,
    };
    Ok((!x.is_nan()).then_some(x))
}

fn date_cell(table: &RawTable, c: Option<usize>, r: usize, end: bool) -> std::result::Result<Option<Date>, String> {
    let Some(c) = c else { return Ok(None) };
    match table.cell(c, r) {
        CellRef::Empty => Ok(None),
        CellRef::Number(x) => Date::from_sheet_number(x)
            .map(Some)
            .ok_or_else(|| format!("expected a date YYYY-MM-DD, found the number {x}")),
        CellRef::Text(s) if s.trim().is_empty() => Ok(None),
        CellRef::Text(s) => Date::parse(s, end).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::list;

    #[test]
    fn lists_split_on_every_separator() {
        assert_eq!(list(Some("a; b，c、d".into())), vec!["a", "b", "c", "d"]);
        assert!(list(None).is_empty());
    }
}
