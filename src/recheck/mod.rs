//! Re-check across years (复查, METHODS.md §10): every problem of the yearly ledgers followed
//! into the next ledger year, with its status, its evidence and the rates of the loop.
//!
//! # Identity
//! A problem is the same problem across years when its [`ProblemId`] is the same: (level,
//! unit, indicator) for the ledger of a diagnosis (`ledger.csv`, no object id), (level, unit,
//! object id, indicator) for the object ledgers of [`crate::compute`] (`object_ledger.csv`; the
//! unit is the object's `city_id`).
//!
//! # Status of a problem at ledger year Y against the previous ledger year P (`status.rs`)
//! | listed in | status |
//! |---|---|
//! | P and Y | `persisting`; `change` = `improved` / `worsened` / `unchanged` when both severities are known (severity fell / rose / equal) |
//! | Y only | `recurring` when it was listed in any ledger year before P, else `new` |
//! | P only, a value in Y | `resolved` (the rule that listed it no longer does); the evidence is kept: value before and after, standard, where the value comes from |
//! | P only, no value in Y | `not_assessed`: never counted as resolved |
//! | P, indicator not in the catalogue | `not_assessed`, with a note (a ledger of another catalogue version) |
//!
//! The first ledger year has no previous year: its problems are `new`. A value "in Y" is an
//! [`Observation`] of the problem's identity in Y (from the year's `attainment.csv`, a long
//! table of values, or the dataset of a run). A problem absent from Y's ledger whose value in Y
//! still misses its standard (`met = false`) is not resolved: it stays `persisting`, with a note
//! (the inputs disagree). Without any observation of Y, nothing absent can be shown resolved:
//! the command line without `--attainment` gives `not_assessed` for every problem that left the
//! ledger. A year without problems is a ledger without problems (a `ledger.csv` with a header
//! and no rows, read with its year by [`read_ledger_year`]): every problem of the previous
//! ledger year is then resolved, persisting (its value still misses the standard) or not
//! assessed by the same rule.
//!
//! # Counts and rates (`summary.rs`), per unit, level and year; per indicator; per task
//! ```text
//! carried_over = problems of P                = resolved + persisting + not_assessed
//! 整改率 rectification_rate = resolved / carried_over
//! 销号率 closure_rate       = closed / listed
//! listed = distinct problems listed in any ledger year up to P
//! closed = of those, the problems whose last re-check resolved them with evidence and that
//!          no later ledger lists again
//! ```
//! new and recurring are counted apart. Evidence of a closure: a recorded value after, and,
//! when the problem has a standard value, the standard met (`met` of the observation, or
//! judged with the catalogue). Rates are fractions in [0, 1]; a rate whose denominator is 0 is
//! empty, never NaN.
//!
//! # Bad input
//! Two ledgers of the same year and the same problem twice in one year are errors naming the
//! file and rows; ledgers are sorted by year; an indicator that is not in the catalogue is an
//! [`Issue`] naming the file and row, and the problem is kept (with a note).

mod output;
mod read;
mod status;
mod summary;

use std::collections::HashMap;

pub use read::{read_ledger, read_ledger_year, read_observations};
pub use summary::{IndicatorSummary, RecheckCounts, TaskSummary, UnitSummary};

use crate::catalog::Catalog;
use crate::checkup::Dataset;
use crate::diagnose::{Diagnosis, TaskCatalog};
use crate::error::{Error, Issue, IssueKind, Location, Result};

/// The level name of a diagnosis's ledger when none is given (`ledger.csv` has no level).
pub const CITY_LEVEL: &str = "city";

/// A problem's identity across years.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProblemId {
    /// The unit (city, district, …); for an object, its city (`city_id`), empty without one.
    pub unit: String,
    /// The level: `city` (or the level a diagnosed ledger is given) or the object's level.
    pub level: String,
    /// The object's id; `None` in the ledger of a diagnosis.
    pub object_id: Option<String>,
    /// The indicator's id.
    pub indicator: String,
}

impl ProblemId {
    /// The identity of a problem of a diagnosed unit (no object).
    pub fn unit(unit: impl Into<String>, level: impl Into<String>, indicator: impl Into<String>) -> ProblemId {
        ProblemId { unit: unit.into(), level: level.into(), object_id: None, indicator: indicator.into() }
    }
}

/// One problem as a ledger lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedProblem {
    /// Its identity.
    pub id: ProblemId,
    /// The observed value of the ledger year; `None` when the ledger has none.
    pub value: Option<f64>,
    /// The standard value that applies; `None` without one.
    pub standard: Option<f64>,
    /// The severity (`ledger.csv` column `severity`); `None` for object ledgers.
    pub severity: Option<f64>,
    /// The row in the ledger's file (1-based, the header is row 1), when read from a file.
    pub row: Option<usize>,
}

/// The ledger of one year.
#[derive(Debug, Clone, PartialEq)]
pub struct YearLedger {
    /// The ledger year.
    pub year: i32,
    /// Where it comes from (a file, or `diagnosis of 2012`), named in messages.
    pub source: String,
    /// Its problems.
    pub problems: Vec<ListedProblem>,
}

impl YearLedger {
    /// The ledger of a diagnosis, its problems at `level` (e.g. [`CITY_LEVEL`]).
    pub fn from_diagnosis(diagnosis: &Diagnosis, level: &str) -> YearLedger {
        YearLedger {
            year: diagnosis.year,
            source: format!("diagnosis of {}", diagnosis.year),
            problems: diagnosis
                .ledger
                .iter()
                .map(|p| ListedProblem {
                    id: ProblemId::unit(p.unit.as_str(), level, p.indicator.as_str()),
                    value: p.value,
                    standard: p.standard,
                    severity: Some(p.severity),
                    row: None,
                })
                .collect(),
        }
    }
}

/// The value of a problem's identity in a year, whether or not a ledger lists it: what tells
/// `resolved` from `not_assessed`.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// The identity observed.
    pub id: ProblemId,
    /// The year.
    pub year: i32,
    /// The observed value (finite).
    pub value: f64,
    /// The standard value that applies, when known.
    pub standard: Option<f64>,
    /// Whether the value meets the standard, when judged (`attainment.csv` column `met`).
    pub met: Option<bool>,
    /// Where the value comes from (file and row, or `data of 2012`): the evidence.
    pub source: String,
}

/// The observed values of every unit and indicator of `diagnosis`'s year in `data` (imputed,
/// missing and not-applicable cells are not observations), with `met` from the diagnosis's
/// attainment table: what a run re-checks with.
pub fn observations_of(data: &Dataset, diagnosis: &Diagnosis, level: &str) -> Vec<Observation> {
    let Some(i) = data.years.iter().position(|&y| y == diagnosis.year) else { return Vec::new() };
    // (unit, indicator) → (met, standard) from the attainment table.
    type Judged<'a> = HashMap<(&'a str, &'a str), (Option<bool>, Option<f64>)>;
    let met: Judged<'_> =
        diagnosis.attainment.iter().map(|a| ((a.unit.as_str(), a.indicator.as_str()), (a.met, a.standard))).collect();
    let catalog = data.catalog();
    let n_rows = data.rows();
    let mut out = Vec::new();
    for row in data.year_rows[i].clone() {
        let unit = data.unit_name(row);
        for (c, &position) in data.positions.iter().enumerate() {
            let x = data.raw[[row, c]];
            if x.is_nan() || data.imputed[c * n_rows + row] || data.is_not_applicable(row, c) {
                continue;
            }
            let indicator = &catalog.indicators()[position].id;
            let (met, standard) = met.get(&(unit, indicator.as_str())).copied().unwrap_or((None, None));
            out.push(Observation {
                id: ProblemId::unit(unit, level, indicator.as_str()),
                year: diagnosis.year,
                value: x,
                standard,
                met,
                source: format!("data of {}", diagnosis.year),
            });
        }
    }
    out
}

/// The status of a problem at a ledger year (module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Status {
    /// Listed this year, never before.
    New,
    /// Listed in the previous ledger year and this one.
    Persisting,
    /// Listed in the previous ledger year, not this one, and the unit has a value this year.
    Resolved,
    /// Listed this year and in a ledger year before the previous one, not in the previous one.
    Recurring,
    /// Listed in the previous ledger year, not this one, and no value this year (or its
    /// indicator is not in the catalogue): never counted as resolved.
    NotAssessed,
}

impl Status {
    /// The snake_case name written in `recheck.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Persisting => "persisting",
            Status::Resolved => "resolved",
            Status::Recurring => "recurring",
            Status::NotAssessed => "not_assessed",
        }
    }
}

/// How a persisting problem's severity moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Change {
    /// The severity fell.
    Improved,
    /// The severity rose.
    Worsened,
    /// The same severity.
    Unchanged,
}

impl Change {
    /// The snake_case name written in `recheck.csv` (column `change`).
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Improved => "improved",
            Change::Worsened => "worsened",
            Change::Unchanged => "unchanged",
        }
    }
}

/// One problem at one ledger year: a row of `recheck.csv`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RecheckRow {
    /// The problem's identity: columns unit, level, object_id, indicator.
    pub id: ProblemId,
    /// The first ledger year that listed it.
    pub first_year: i32,
    /// The ledger year of this status.
    pub year: i32,
    /// The previous ledger year it is compared with; `None` in the first ledger year.
    pub previous_year: Option<i32>,
    /// Its status.
    pub status: Status,
    /// For a persisting problem with both severities: how the severity moved.
    pub change: Option<Change>,
    /// The value of the previous ledger year (its ledger's, else an observation's).
    pub value_before: Option<f64>,
    /// The value of this year (this year's ledger, else the observation).
    pub value_after: Option<f64>,
    /// The standard value that applies.
    pub standard: Option<f64>,
    /// Severity in the previous ledger year.
    pub severity_before: Option<f64>,
    /// Severity this year.
    pub severity_after: Option<f64>,
    /// The renewal tasks the indicator points to (catalogue and task file), when known.
    pub tasks: Vec<u32>,
    /// Resolved with evidence (a value after, and the standard met when it has one): closed
    /// (销号).
    pub closed: bool,
    /// The evidence of a resolution, and why a problem is not assessed.
    pub note: Option<String>,
}

/// The re-check of a series of ledgers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Recheck {
    /// The ledger years, ascending.
    pub years: Vec<i32>,
    /// `recheck.csv`: every problem at every ledger year where it is listed or carried over,
    /// by year, then unit, level, object id and indicator.
    pub rows: Vec<RecheckRow>,
    /// `recheck_summary.csv`: counts and rates per unit, level and year.
    pub summary: Vec<UnitSummary>,
    /// `recheck_indicators.csv`: the same per indicator, level and year (over units).
    pub by_indicator: Vec<IndicatorSummary>,
    /// `recheck_tasks.csv`: the same per renewal task, level and year (a problem counts under
    /// every task it points to); empty when no task is known.
    pub by_task: Vec<TaskSummary>,
    /// Reported problems of the input (indicators not in the catalogue), with file and row.
    pub issues: Vec<Issue>,
}

/// Re-checks `ledgers` (any order; one per year) against each other and the `observations` of
/// every year (METHODS.md §10, module docs). With a `catalog`, problems whose indicator is not
/// in it are reported and not assessed, the tasks of every indicator are known, and a value
/// after is judged against its standard when the observation does not say; `tasks` adds the
/// task file's indicator lists.
///
/// # Errors
/// [`Error::Data`] naming the files for two ledgers of the same year, and naming the file and
/// both rows for the same problem twice in one ledger.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::recheck::{recheck, ListedProblem, Observation, ProblemId, Status, YearLedger};
/// let problem = |year: i32, value: f64| YearLedger {
///     year,
///     source: format!("ledger {year}"),
///     problems: vec![ListedProblem {
///         id: ProblemId::unit("沈阳市", "city", "green_coverage_builtup"),
///         value: Some(value), standard: Some(40.0), severity: Some(3.0), row: None,
///     }],
/// };
/// let later = YearLedger { year: 2012, source: "ledger 2012".into(), problems: vec![] };
/// let value = Observation {
///     id: ProblemId::unit("沈阳市", "city", "green_coverage_builtup"), year: 2012, value: 41.0,
///     standard: Some(40.0), met: Some(true), source: "attainment 2012".into(),
/// };
/// let r = recheck(&[problem(2011, 38.0), later], &[value], None, None)?;
/// assert_eq!(r.rows[1].status, Status::Resolved);
/// assert_eq!(r.summary[1].counts.rectification_rate(), Some(1.0));
/// # Ok(()) }
/// ```
pub fn recheck(
    ledgers: &[YearLedger],
    observations: &[Observation],
    catalog: Option<&Catalog>,
    tasks: Option<&TaskCatalog>,
) -> Result<Recheck> {
    let mut sorted: Vec<&YearLedger> = ledgers.iter().collect();
    sorted.sort_by_key(|l| l.year);
    for pair in sorted.windows(2) {
        if pair[0].year == pair[1].year {
            return Err(Error::data(
                Location { file: Some(pair[1].source.clone()), year: Some(pair[1].year), ..Default::default() },
                format!(
                    "a second ledger of year {} (the first: {}): give one ledger per year",
                    pair[1].year, pair[0].source
                ),
            ));
        }
    }
    let mut issues = Vec::new();
    for ledger in &sorted {
        let mut seen: HashMap<&ProblemId, Option<usize>> = HashMap::new();
        for p in &ledger.problems {
            if let Some(first) = seen.insert(&p.id, p.row) {
                let rows = match (first, p.row) {
                    (Some(a), Some(b)) => format!("rows {a} and {b}"),
                    _ => "twice".to_string(),
                };
                return Err(Error::data(
                    Location {
                        file: Some(ledger.source.clone()),
                        row: p.row,
                        unit: Some(p.id.unit.clone()),
                        year: Some(ledger.year),
                        indicator: Some(p.id.indicator.clone()),
                        ..Default::default()
                    },
                    format!(
                        "the same problem twice in the ledger of {} ({rows}){}",
                        ledger.year,
                        p.id.object_id.as_ref().map(|o| format!(", object '{o}'")).unwrap_or_default()
                    ),
                ));
            }
            if let Some(c) = catalog {
                if c.indicator(&p.id.indicator).is_none() {
                    issues.push(Issue::new(
                        IssueKind::UnknownIndicator,
                        Location {
                            file: Some(ledger.source.clone()),
                            row: p.row,
                            unit: Some(p.id.unit.clone()),
                            year: Some(ledger.year),
                            indicator: Some(p.id.indicator.clone()),
                            ..Default::default()
                        },
                        format!(
                            "indicator '{}' is not in catalogue {} (version {}): a ledger of another catalogue \
                             version; the problem is kept and not assessed",
                            p.id.indicator,
                            c.id(),
                            c.meta().version
                        ),
                    ));
                }
            }
        }
    }
    let rows = status::statuses(&sorted, observations, catalog, tasks);
    let years: Vec<i32> = sorted.iter().map(|l| l.year).collect();
    let tallies = summary::tally(&sorted, &rows);
    Ok(Recheck {
        years,
        summary: tallies.units,
        by_indicator: tallies.indicators,
        by_task: tallies.tasks,
        rows,
        issues,
    })
}
