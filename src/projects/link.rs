//! Linking a projects table to a year's ledger (rules in the module docs of [`super`]).

use std::collections::{BTreeSet, HashMap, HashSet};

use super::{Coverage, Date, LinkOptions, Project, ProjectRow, ProjectStatus, ProjectTable, Projects};
use crate::catalog::Catalog;
use crate::diagnose::TaskCatalog;
use crate::error::{Issue, IssueKind, Location};
use crate::recheck::YearLedger;

/// Links `table` to the problems of `ledger` (one year): what each project addresses, its
/// priority and rank in its unit, its progress against plan at `options.as_of`, and every
/// problem's projects (the gaps are those with none). With a `catalog`, problem names may be
/// indicator aliases and names that are not indicators are told apart; with `tasks`, a task
/// number the task file does not have is reported, and both give the tasks of every problem.
///
/// # Examples
/// ```
/// use citycheck::projects::{link, Date, LinkOptions};
/// use citycheck::recheck::{ListedProblem, ProblemId, YearLedger};
/// # fn main() -> citycheck::Result<()> {
/// let dir = std::env::temp_dir().join(format!("citycheck-doc-projects-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("projects.csv");
/// std::fs::write(&path, "project_id,unit,name,problems,plan_start,plan_end,status,progress\n\
///                        P1,沈阳市,公园绿地提升,green_coverage_builtup,2024-01-01,2024-12-31,in_progress,30\n").unwrap();
/// let table = citycheck::projects::read_projects(&path)?;
/// let problem = |indicator: &str, severity: f64| ListedProblem {
///     id: ProblemId::unit("沈阳市", "city", indicator),
///     value: None, standard: None, severity: Some(severity), row: None,
/// };
/// let ledger = YearLedger {
///     year: 2023,
///     source: "ledger.csv".into(),
///     problems: vec![problem("green_coverage_builtup", 6.0), problem("tertiary_share", 2.0)],
/// };
/// let as_of: Date = "2024-07-01".parse().unwrap();
/// let linked = link(&table, &ledger, None, None, &LinkOptions { as_of: Some(as_of), ..Default::default() });
/// assert_eq!(linked.projects[0].priority, 6.0);
/// assert_eq!(linked.gaps()[0].1.id.indicator, "tertiary_share");
/// // 182 of 365 days of the schedule have passed: 49.9 % planned, 30 % reported.
/// assert!((linked.projects[0].planned_progress.unwrap() - 18200.0 / 365.0).abs() < 1e-9);
/// assert_eq!(linked.projects[0].overdue, Some(false));
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok(()) }
/// ```
pub fn link(
    table: &ProjectTable,
    ledger: &YearLedger,
    catalog: Option<&Catalog>,
    tasks: Option<&TaskCatalog>,
    options: &LinkOptions,
) -> Projects {
    let mut issues = table.issues.clone();
    let problems = &ledger.problems;
    // (unit, indicator or object id) → the ledger's problems.
    let mut by_name: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    // object id → the units whose ledger lists it.
    let mut object_units: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    let mut indicators: HashSet<&str> = HashSet::new();
    for (k, p) in problems.iter().enumerate() {
        by_name.entry((p.id.unit.as_str(), p.id.indicator.as_str())).or_default().push(k);
        indicators.insert(p.id.indicator.as_str());
        if let Some(object) = &p.id.object_id {
            by_name.entry((p.id.unit.as_str(), object.as_str())).or_default().push(k);
            object_units.entry(object.as_str()).or_default().insert(p.id.unit.as_str());
        }
    }
    let known_units: HashSet<&str> =
        problems.iter().map(|p| p.id.unit.as_str()).chain(options.units.iter().map(String::as_str)).collect();
    let mut covering: Vec<Vec<String>> = vec![Vec::new(); problems.len()];
    let mut rows = Vec::with_capacity(table.projects.len());
    for project in &table.projects {
        let mut report = |column: &str, message: String| {
            issues.push(Issue::new(
                IssueKind::UnknownReference,
                Location {
                    file: Some(table.source.clone()),
                    row: Some(project.row),
                    column: Some(column.to_string()),
                    unit: Some(project.unit.clone()),
                    year: Some(ledger.year),
                    ..Default::default()
                },
                format!("project '{}': {message}", project.id),
            ));
        };
        if !known_units.contains(project.unit.as_str()) {
            report(
                "unit",
                format!(
                    "unit '{}' is not a unit of the ledger of {} ({}) nor of the data",
                    project.unit, ledger.year, ledger.source
                ),
            );
        }
        if let Some(t) = tasks {
            for &task in project.tasks.iter().filter(|&&task| t.task(task).is_none()) {
                report("tasks", format!("task {task} is not in task file '{}'", t.id()));
            }
        }
        let mut addressed: BTreeSet<usize> = BTreeSet::new();
        let mut unrecorded = Vec::new();
        for name in &project.problems {
            // A catalogue alias names its indicator.
            let id = catalog.and_then(|c| c.indicator(name)).map_or(name.as_str(), |i| i.id.as_str());
            if let Some(ks) = by_name.get(&(project.unit.as_str(), id)) {
                addressed.extend(ks.iter().copied());
            } else if let Some(units) = object_units.get(id) {
                let units: Vec<&str> = units.iter().copied().collect();
                report(
                    "problems",
                    format!(
                        "object '{name}' is a problem of {} in the ledger of {}, not of '{}'",
                        units.join(", "),
                        ledger.year,
                        project.unit
                    ),
                );
            } else if catalog.is_some_and(|c| c.indicator(id).is_some()) || indicators.contains(id) {
                unrecorded.push(name.clone());
            } else {
                let known = match catalog {
                    Some(c) => format!("an indicator of catalogue {}", c.id()),
                    None => "an indicator (no catalogue given)".to_string(),
                };
                report(
                    "problems",
                    format!(
                        "problem '{name}' is neither {known} nor an indicator or object id of the ledger of {} ({})",
                        ledger.year, ledger.source
                    ),
                );
            }
        }
        for &k in &addressed {
            covering[k].push(project.id.clone());
        }
        let priority: f64 = addressed.iter().map(|&k| problems[k].severity.unwrap_or(0.0)).sum();
        let planned = options.as_of.and_then(|d| planned_progress(project, d));
        let overdue = match (options.as_of, project.plan_end) {
            (Some(as_of), Some(end)) => Some(end < as_of && project.status != Some(ProjectStatus::Completed)),
            _ => None,
        };
        let mut notes = Vec::new();
        if addressed.is_empty() {
            notes.push(format!("addresses no recorded problem of the ledger of {}", ledger.year));
        }
        if !unrecorded.is_empty() {
            notes.push(format!("no problem of {} in the ledger: {}", project.unit, unrecorded.join(", ")));
        }
        rows.push(ProjectRow {
            project: project.clone(),
            addressed: addressed.iter().map(|&k| problems[k].id.clone()).collect(),
            unrecorded,
            priority,
            rank: 0,
            planned_progress: planned,
            progress_gap: planned.zip(project.progress).map(|(plan, done)| done - plan),
            overdue,
            note: (!notes.is_empty()).then(|| notes.join("; ")),
        });
    }
    rank_within_units(&mut rows);
    let coverage = problems
        .iter()
        .zip(covering)
        .map(|(p, projects)| Coverage {
            id: p.id.clone(),
            severity: p.severity,
            value: p.value,
            standard: p.standard,
            tasks: tasks_of(&p.id.indicator, catalog, tasks),
            projects,
        })
        .collect();
    Projects { year: ledger.year, as_of: options.as_of, projects: rows, coverage, issues }
}

/// 100 × the elapsed share of the schedule at `as_of`, clamped to [0, 100]; `None` without
/// both dates or with the end before the start.
fn planned_progress(project: &Project, as_of: Date) -> Option<f64> {
    let (start, end) = (project.plan_start?, project.plan_end?);
    if end < start {
        return None;
    }
    Some(if as_of < start {
        0.0
    } else if as_of >= end {
        100.0
    } else {
        100.0 * (as_of.days() - start.days()) as f64 / (end.days() - start.days()) as f64
    })
}

/// Ranks by priority within each unit (descending; equal priorities share the lowest rank).
fn rank_within_units(rows: &mut [ProjectRow]) {
    let mut units: HashMap<String, Vec<usize>> = HashMap::new();
    for (k, r) in rows.iter().enumerate() {
        units.entry(r.project.unit.clone()).or_default().push(k);
    }
    for mut ks in units.into_values() {
        ks.sort_by(|&a, &b| rows[b].priority.total_cmp(&rows[a].priority).then(a.cmp(&b)));
        let mut previous: Option<(f64, u32)> = None;
        for (pos, k) in ks.into_iter().enumerate() {
            let rank = match previous {
                Some((p, r)) if p == rows[k].priority => r,
                _ => pos as u32 + 1,
            };
            previous = Some((rows[k].priority, rank));
            rows[k].rank = rank;
        }
    }
}

/// The tasks of an indicator: the catalogue's and the task file's, ascending.
fn tasks_of(indicator: &str, catalog: Option<&Catalog>, tasks: Option<&TaskCatalog>) -> Vec<u32> {
    let mut out: BTreeSet<u32> = BTreeSet::new();
    if let Some(ind) = catalog.and_then(|c| c.indicator(indicator)) {
        out.extend(ind.tasks.iter().copied());
    }
    if let Some(t) = tasks {
        out.extend(t.tasks_of(indicator));
    }
    out.into_iter().collect()
}
