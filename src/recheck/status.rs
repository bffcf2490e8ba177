//! The status of every problem at every ledger year (METHODS.md §10; the table in [`super`]).
//!
//! # Rule
//! ```text
//! at ledger year Y, previous ledger year P:
//!   in P and Y                      → persisting; change from severity_Y vs severity_P
//!   in Y only, in a ledger before P → recurring
//!   in Y only, never before         → new
//!   in P only, indicator unknown    → not_assessed (note)
//!   in P only, a value v in Y       → resolved (closed when v meets the standard, or no standard)
//!                                     — persisting instead when v is judged to miss the standard
//!   in P only, no value in Y        → not_assessed
//! ```
//! Severities are compared exactly up to 1e-9 × max(1, |severity_P|) (a CSV round trip).
//!
//! # The row's fields
//! ```text
//! first_year   the first ledger year that listed the problem
//! value_before its value in P's ledger, else the observation of P
//! value_after  its value in Y's ledger, else the observation of Y
//! standard     Y's ledger's, else P's, else (resolved) the observation's
//! closed       resolved, and no standard or the observation meets it (met, else judged
//!              with the catalogue)
//! ```
//! In the first ledger year every problem is `new`, with its ledger's value (value_after),
//! standard and severity (severity_after), no previous year and no note but an unknown
//! indicator's.
//!
//! # Notes (column `note`; the numbers v and s written shortest, without a trailing `.0`: `41`, `0.5`)
//! ```text
//! recurring            listed in {L}, not in {P}, listed again in {Y}      L = the last year before P that listed it
//! resolved             not in the ledger of {Y}; value {v} in {Y} ({source}){evidence}
//!                      evidence: "" without a standard; ", meets the standard {s}";
//!                      ", not judged against the standard {s}: not closed without that evidence"
//! persisting (a value) not in the ledger of {Y}, but its value {v} ({source}) still misses the standard {s}
//! not_assessed         not in the ledger of {Y} and no value in {Y}: not assessed
//! unknown indicator    indicator '{id}' is not in catalogue {catalog id} (version {version}): not assessed
//!                      (the note of every row of it; after "; " when the row has another note)
//! ```
//! {source} is the observation's: `data of {Y}` in a run, `{file} row {n}` from a file.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Change, ListedProblem, Observation, ProblemId, RecheckRow, Status, YearLedger};
use crate::catalog::Catalog;
use crate::diagnose::TaskCatalog;
use crate::normalize::attainment;

pub(super) fn statuses(
    ledgers: &[&YearLedger],
    observations: &[Observation],
    catalog: Option<&Catalog>,
    tasks: Option<&TaskCatalog>,
) -> Vec<RecheckRow> {
    // The first observation of an identity and year is kept.
    let mut observed: HashMap<(&ProblemId, i32), &Observation> = HashMap::new();
    for o in observations.iter().filter(|o| o.value.is_finite()) {
        observed.entry((&o.id, o.year)).or_insert(o);
    }
    let listed: Vec<BTreeMap<&ProblemId, &ListedProblem>> =
        ledgers.iter().map(|l| l.problems.iter().map(|p| (&p.id, p)).collect()).collect();
    let mut first_year: HashMap<&ProblemId, i32> = HashMap::new();
    let tasks_of = |indicator: &str| -> Vec<u32> {
        let mut t: BTreeSet<u32> = BTreeSet::new();
        if let Some(ind) = catalog.and_then(|c| c.indicator(indicator)) {
            t.extend(ind.tasks.iter().copied());
        }
        if let Some(tasks) = tasks {
            t.extend(tasks.tasks_of(indicator));
        }
        t.into_iter().collect()
    };
    let unknown = |indicator: &str| catalog.is_some_and(|c| c.indicator(indicator).is_none());

    let mut out = Vec::new();
    for (k, ledger) in ledgers.iter().enumerate() {
        let y = ledger.year;
        let now = &listed[k];
        if k == 0 {
            for (&id, p) in now {
                first_year.entry(id).or_insert(y);
                out.push(RecheckRow {
                    id: id.clone(),
                    first_year: y,
                    year: y,
                    previous_year: None,
                    status: Status::New,
                    change: None,
                    value_before: None,
                    value_after: p.value,
                    standard: p.standard,
                    severity_before: None,
                    severity_after: p.severity,
                    tasks: tasks_of(&id.indicator),
                    closed: false,
                    note: unknown(&id.indicator).then(|| not_in_catalogue(catalog, &id.indicator)),
                });
            }
            continue;
        }
        let p_year = ledgers[k - 1].year;
        let before = &listed[k - 1];
        let ids: BTreeSet<&ProblemId> = before.keys().chain(now.keys()).copied().collect();
        for id in ids {
            let (was, is) = (before.get(id).copied(), now.get(id).copied());
            let obs_after = observed.get(&(id, y)).copied();
            let obs_before = observed.get(&(id, p_year)).copied();
            let value_before = was.and_then(|p| p.value).or(obs_before.map(|o| o.value));
            let mut row = RecheckRow {
                id: id.clone(),
                first_year: *first_year.get(id).unwrap_or(&y),
                year: y,
                previous_year: Some(p_year),
                status: Status::New,
                change: None,
                value_before,
                value_after: None,
                standard: is.and_then(|p| p.standard).or(was.and_then(|p| p.standard)),
                severity_before: was.and_then(|p| p.severity),
                severity_after: is.and_then(|p| p.severity),
                tasks: tasks_of(&id.indicator),
                closed: false,
                note: None,
            };
            match (was, is) {
                (_, Some(p)) => {
                    row.value_after = p.value.or(obs_after.map(|o| o.value));
                    if was.is_some() && unknown(&id.indicator) {
                        row.status = Status::NotAssessed;
                        row.note = Some(not_in_catalogue(catalog, &id.indicator));
                    } else if was.is_some() {
                        row.status = Status::Persisting;
                        row.change = change(row.severity_before, row.severity_after);
                    } else if let Some(last) = (0..k - 1).rev().find(|&j| listed[j].contains_key(id)) {
                        row.status = Status::Recurring;
                        row.note =
                            Some(format!("listed in {}, not in {p_year}, listed again in {y}", ledgers[last].year));
                    } else {
                        row.status = Status::New;
                    }
                    if row.status != Status::NotAssessed && unknown(&id.indicator) {
                        row.note = Some(join(row.note.take(), not_in_catalogue(catalog, &id.indicator)));
                    }
                }
                (Some(_), None) if unknown(&id.indicator) => {
                    row.status = Status::NotAssessed;
                    row.value_after = obs_after.map(|o| o.value);
                    row.note = Some(not_in_catalogue(catalog, &id.indicator));
                }
                (Some(_), None) => match obs_after {
                    None => {
                        row.status = Status::NotAssessed;
                        row.note = Some(format!("not in the ledger of {y} and no value in {y}: not assessed"));
                    }
                    Some(o) => {
                        row.value_after = Some(o.value);
                        row.standard = row.standard.or(o.standard);
                        let met = o.met.or_else(|| judge(catalog, id, o.value));
                        if met == Some(false) && row.standard.is_some() {
                            row.status = Status::Persisting;
                            row.note = Some(format!(
                                "not in the ledger of {y}, but its value {} ({}) still misses the standard {}",
                                o.value,
                                o.source,
                                row.standard.map(|s| s.to_string()).unwrap_or_default()
                            ));
                        } else {
                            row.status = Status::Resolved;
                            row.closed = row.standard.is_none() || met == Some(true);
                            let evidence = match (row.standard, met) {
                                (None, _) => String::new(),
                                (Some(s), Some(true)) => format!(", meets the standard {s}"),
                                (Some(s), _) => {
                                    format!(", not judged against the standard {s}: not closed without that evidence")
                                }
                            };
                            row.note = Some(format!(
                                "not in the ledger of {y}; value {} in {y} ({}){evidence}",
                                o.value, o.source
                            ));
                        }
                    }
                },
                (None, None) => unreachable!("every id is listed in P or Y"),
            }
            first_year.entry(id).or_insert(y);
            out.push(row);
        }
    }
    out
}

/// Whether `x` meets the standard of the problem's indicator for its unit, judged with the
/// catalogue; `None` without a catalogue, a standard or a judgement.
fn judge(catalog: Option<&Catalog>, id: &ProblemId, x: f64) -> Option<bool> {
    let ind = catalog?.indicator(&id.indicator)?;
    let s = attainment(&ind.criterion(), &id.unit, x).ok()??;
    Some(s >= 1.0)
}

fn change(before: Option<f64>, after: Option<f64>) -> Option<Change> {
    let (b, a) = (before?, after?);
    let tolerance = 1e-9 * b.abs().max(1.0);
    Some(if a < b - tolerance {
        Change::Improved
    } else if a > b + tolerance {
        Change::Worsened
    } else {
        Change::Unchanged
    })
}

fn not_in_catalogue(catalog: Option<&Catalog>, indicator: &str) -> String {
    match catalog {
        Some(c) => format!(
            "indicator '{indicator}' is not in catalogue {} (version {}): not assessed",
            c.id(),
            c.meta().version
        ),
        None => format!("indicator '{indicator}' is not in the catalogue"),
    }
}

fn join(note: Option<String>, more: String) -> String {
    match note {
        Some(n) => format!("{n}; {more}"),
        None => more,
    }
}
