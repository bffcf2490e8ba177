//! The project reserve (项目储备库): per unit, the renewal tasks its problems point to, by
//! priority (POLICY.md: 项目生成制度).
//!
//! # Rule
//! ```text
//! tasks(j)    = catalogue tasks of indicator j  ∪  tasks whose `indicators` list j
//! priority_ut = Σ severity_ij   over the problems j of unit u with t ∈ tasks(j)
//! ```
//! A worsening trend raises a problem's severity (one point, [`super::ledger`]) and so the
//! priority of every task it points to. Within a unit, tasks are ordered by priority
//! (descending), then task id; `rank` is 1 for the highest priority, equal priorities sharing
//! the lowest rank. A problem that points to no task is in no reserve row (a note counts
//! them); a task the catalogue names but the task file lacks is kept, with an empty name. A
//! catalogue with no link at all to the task file has no reserve (one note says so).

use std::collections::{BTreeMap, BTreeSet};

use super::ledger::Problem;
use super::tasks::TaskCatalog;
use super::View;

/// One task in one unit's reserve: a row of `reserve.csv`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReserveItem {
    /// The unit: column `unit`.
    pub unit: String,
    /// The renewal key task's number (1–18 in the Liaoning plan): column `task`.
    pub task: u32,
    /// The task's Chinese name; empty when the task file does not have the task.
    pub task_name: Option<String>,
    /// Σ severity of the unit's problems that point to the task.
    pub priority: f64,
    /// 1 = the unit's highest priority; equal priorities share the lowest rank.
    pub rank: u32,
    /// Indicator ids of the problems behind the task, in ledger order.
    pub problems: Vec<String>,
    /// The task's deadline from the task file; empty without one.
    pub deadline: Option<i32>,
}

pub(crate) fn reserve(
    view: &View<'_>,
    tasks: &TaskCatalog,
    ledger: &[Problem],
    notes: &mut Vec<String>,
) -> Vec<ReserveItem> {
    let mut out = Vec::new();
    // A catalogue with no link at all to this task file (a study of another province, say):
    // one note, no reserve, rather than every problem reported as pointing to no task.
    let catalog = view.catalog;
    let linked_at_all =
        catalog.indicators().iter().any(|i| !i.tasks.is_empty() || tasks.tasks_of(&i.id).next().is_some());
    if !linked_at_all {
        if !ledger.is_empty() {
            notes.push(format!(
                "no reserve: catalogue '{}' has no link to the renewal tasks of task file '{}' (link indicators with \
                 `tasks`, or name another task file)",
                catalog.id(),
                tasks.id()
            ));
        }
        return out;
    }
    let mut untasked = 0;
    let mut start = 0;
    // The ledger holds each unit's problems together, units in the data's order.
    while start < ledger.len() {
        let row = ledger[start].row;
        let end = start + ledger[start..].iter().take_while(|p| p.row == row).count();
        let mut by_task: BTreeMap<u32, (f64, Vec<String>)> = BTreeMap::new();
        for p in &ledger[start..end] {
            let ind = view.indicator(p.position);
            let linked: BTreeSet<u32> = ind.tasks.iter().copied().chain(tasks.tasks_of(&ind.id)).collect();
            if linked.is_empty() {
                untasked += 1;
            }
            for t in linked {
                let entry = by_task.entry(t).or_insert((0.0, Vec::new()));
                entry.0 += p.severity;
                entry.1.push(p.indicator.clone());
            }
        }
        let mut items: Vec<(u32, f64, Vec<String>)> = by_task.into_iter().map(|(t, (p, js))| (t, p, js)).collect();
        items.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut previous: Option<(f64, u32)> = None;
        for (pos, (task, priority, problems)) in items.into_iter().enumerate() {
            let rank = match previous {
                Some((p, r)) if p == priority => r,
                _ => pos as u32 + 1,
            };
            previous = Some((priority, rank));
            let known = tasks.task(task);
            out.push(ReserveItem {
                unit: ledger[start].unit.clone(),
                task,
                task_name: known.map(|t| t.name_zh.clone()),
                priority,
                rank,
                problems,
                deadline: known.and_then(|t| t.deadline),
            });
        }
        start = end;
    }
    if untasked > 0 {
        notes.push(format!(
            "{untasked} problem(s) point to no renewal task (neither the catalogue nor task file '{}' links them)",
            tasks.id()
        ));
    }
    let missing: BTreeSet<u32> = out.iter().filter(|r| r.task_name.is_none()).map(|r| r.task).collect();
    if !missing.is_empty() {
        notes.push(format!(
            "task file '{}' lacks task(s) {} that the catalogue names",
            tasks.id(),
            missing.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
        ));
    }
    out
}
