//! Counts and rates of a re-check (METHODS.md §10): per unit, level and year, per indicator and
//! per renewal task.
//!
//! # Formula
//! ```text
//! carried_over       = resolved + persisting + not_assessed   (the problems of P)
//! rectification_rate = resolved / carried_over                (整改率)
//! closure_rate       = closed / listed                        (销号率)
//! listed = distinct problems listed in any ledger year up to P
//! closed = of those, resolved with evidence at some re-check up to Y and not listed since
//! ```
//! A rate whose denominator is 0 is `None` (empty in CSV), never NaN. A group has a row in a
//! year when it has a re-check row that year or a problem listed up to P.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::{ProblemId, RecheckRow, Status, YearLedger};

/// The counts of one group and year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecheckCounts {
    /// Problems of the previous ledger year P.
    pub carried_over: u32,
    /// Of those, resolved.
    pub resolved: u32,
    /// Of those, still listed (or still missing the standard).
    pub persisting: u32,
    /// Listed for the first time.
    pub new: u32,
    /// Listed again after a ledger year without them.
    pub recurring: u32,
    /// Of the carried over, without a value this year (or an indicator not in the catalogue).
    pub not_assessed: u32,
    /// Distinct problems listed in any ledger year up to P.
    pub listed: u32,
    /// Of those, closed (销号): resolved with evidence and not listed since.
    pub closed: u32,
}

impl RecheckCounts {
    /// 整改率 = resolved / carried_over, in [0, 1]; `None` when nothing was carried over.
    pub fn rectification_rate(&self) -> Option<f64> {
        (self.carried_over > 0).then(|| f64::from(self.resolved) / f64::from(self.carried_over))
    }

    /// 销号率 = closed / listed, in [0, 1]; `None` when nothing was listed up to P.
    pub fn closure_rate(&self) -> Option<f64> {
        (self.listed > 0).then(|| f64::from(self.closed) / f64::from(self.listed))
    }

    fn count(&mut self, status: Status) {
        match status {
            Status::New => self.new += 1,
            Status::Recurring => self.recurring += 1,
            Status::Persisting => {
                self.carried_over += 1;
                self.persisting += 1;
            }
            Status::Resolved => {
                self.carried_over += 1;
                self.resolved += 1;
            }
            Status::NotAssessed => {
                self.carried_over += 1;
                self.not_assessed += 1;
            }
        }
    }
}

/// A row of `recheck_summary.csv`: one unit, level and year.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UnitSummary {
    /// The unit.
    pub unit: String,
    /// The level.
    pub level: String,
    /// The ledger year.
    pub year: i32,
    /// The counts (and rates).
    pub counts: RecheckCounts,
}

/// A row of `recheck_indicators.csv`: one indicator, level and year, over every unit.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct IndicatorSummary {
    /// The indicator's id.
    pub indicator: String,
    /// The level.
    pub level: String,
    /// The ledger year.
    pub year: i32,
    /// The counts (and rates).
    pub counts: RecheckCounts,
}

/// A row of `recheck_tasks.csv`: one renewal task, level and year, over every unit.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TaskSummary {
    /// The renewal task's number.
    pub task: u32,
    /// The level.
    pub level: String,
    /// The ledger year.
    pub year: i32,
    /// The counts (and rates).
    pub counts: RecheckCounts,
}

pub(super) struct Tallies {
    pub units: Vec<UnitSummary>,
    pub indicators: Vec<IndicatorSummary>,
    pub tasks: Vec<TaskSummary>,
}

/// Groups of one problem: (unit, level), (indicator, level), (task, level) for each task.
type Groups<K> = BTreeMap<K, RecheckCounts>;

/// The counts of one year: by (unit, level), (indicator, level) and (task, level).
struct Grouped<'a> {
    units: Groups<(&'a str, &'a str)>,
    indicators: Groups<(&'a str, &'a str)>,
    tasks: Groups<(u32, &'a str)>,
}

impl<'a> Grouped<'a> {
    /// Applies `apply` to every group of the problem `id` (under each of its `tasks`).
    fn add(&mut self, id: &'a ProblemId, tasks: &[u32], apply: &dyn Fn(&mut RecheckCounts)) {
        apply(self.units.entry((id.unit.as_str(), id.level.as_str())).or_default());
        apply(self.indicators.entry((id.indicator.as_str(), id.level.as_str())).or_default());
        for &t in tasks {
            apply(self.tasks.entry((t, id.level.as_str())).or_default());
        }
    }
}

pub(super) fn tally(ledgers: &[&YearLedger], rows: &[RecheckRow]) -> Tallies {
    let tasks: BTreeMap<&ProblemId, &[u32]> = rows.iter().map(|r| (&r.id, r.tasks.as_slice())).collect();
    let mut ever: BTreeSet<&ProblemId> = BTreeSet::new();
    let mut closed: HashSet<&ProblemId> = HashSet::new();
    let mut out = Tallies { units: Vec::new(), indicators: Vec::new(), tasks: Vec::new() };
    for (k, ledger) in ledgers.iter().enumerate() {
        let y = ledger.year;
        if k > 0 {
            ever.extend(ledgers[k - 1].problems.iter().map(|p| &p.id));
        }
        let now: Vec<&RecheckRow> = rows.iter().filter(|r| r.year == y).collect();
        for r in now.iter().filter(|r| r.closed) {
            closed.insert(&r.id);
        }
        for p in &ledger.problems {
            closed.remove(&p.id);
        }
        let mut groups = Grouped { units: BTreeMap::new(), indicators: BTreeMap::new(), tasks: BTreeMap::new() };
        for r in &now {
            let status = r.status;
            groups.add(&r.id, tasks.get(&r.id).copied().unwrap_or(&[]), &|c: &mut RecheckCounts| c.count(status));
        }
        for &id in &ever {
            let is_closed = closed.contains(id);
            groups.add(id, tasks.get(id).copied().unwrap_or(&[]), &|c: &mut RecheckCounts| {
                c.listed += 1;
                if is_closed {
                    c.closed += 1;
                }
            });
        }
        let Grouped { units, indicators, tasks: by_task } = groups;
        out.units.extend(units.into_iter().map(|((unit, level), counts)| UnitSummary {
            unit: unit.to_string(),
            level: level.to_string(),
            year: y,
            counts,
        }));
        out.indicators.extend(indicators.into_iter().map(|((indicator, level), counts)| IndicatorSummary {
            indicator: indicator.to_string(),
            level: level.to_string(),
            year: y,
            counts,
        }));
        out.tasks.extend(by_task.into_iter().map(|((task, level), counts)| TaskSummary {
            task,
            level: level.to_string(),
            year: y,
            counts,
        }));
    }
    out
}
