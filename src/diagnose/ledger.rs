//! The problem ledger (问题台账): one row per problem of a unit in the year.
//!
//! # What is a problem
//! An indicator of a unit is a problem when at least one rule flags it:
//! - **below standard**: it has a standard, its observed value was judged, and the standard is
//!   not met (attainment s < 1);
//! - **bottom of peers** / **far below the peer median**: it is a weakness ([`super::peers`]);
//! - **top-k obstacle**: its obstacle degree is among the unit's k largest (rank ≤ k) and
//!   greater than 0.
//!
//! A significant worsening trend does not make a problem on its own (that is the monitoring's
//! job, [`crate::evaluate`]); on a problem it is listed among the reasons and adds a point.
//!
//! # Severity
//! ```text
//! severity = points × 100 × F_j
//! points   = 3 red / 2 yellow / 1 green or no standard  (warning level before the trend raise)
//!          + 1 with a significant worsening trend
//! ```
//! F_j is the global weight; the level is [`crate::evaluate::alert`]'s on the observed value
//! (no level for a missing or imputed value). The `level` column is the monitoring level, after
//! the trend raise. Why the points use the level before the raise: see [`super`].
//!
//! # Order
//! Units in the data's order; within a unit, severity descending, then obstacle descending
//! (a missing obstacle last), then catalogue order: deterministic.

use std::collections::{HashMap, HashSet};

use super::attainment::AttainmentRow;
use super::obstacle::ObstacleRow;
use super::peers::Peers;
use super::{DiagnoseOptions, View, Worsening};
use crate::catalog::NodeKind;
use crate::evaluate::{alert, Level};
use crate::normalize::standard_value;
use crate::panel::Source;

/// A rule that flagged a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// The standard is not met (attainment s < 1).
    BelowStandard,
    /// Among the bottom share of the peers on the indicator's score (a weakness).
    BottomOfPeers,
    /// Far below the peer median (a weakness).
    FarBelowPeers,
    /// Among the unit's top-k obstacles, with an obstacle degree above 0.
    TopObstacle,
    /// A significant worsening trend; never a problem on its own, adds a severity point.
    Worsening,
}

impl Reason {
    /// A snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::BelowStandard => "below_standard",
            Reason::BottomOfPeers => "bottom_of_peers",
            Reason::FarBelowPeers => "far_below_peers",
            Reason::TopObstacle => "top_obstacle",
            Reason::Worsening => "worsening_trend",
        }
    }

    /// The reason as written in `ledger.csv`, with the parameters that applied.
    pub fn describe(self, options: &DiagnoseOptions) -> String {
        match self {
            Reason::BelowStandard => "below standard".into(),
            Reason::BottomOfPeers => format!("bottom {}% of peers", percent(options.weak_share)),
            Reason::FarBelowPeers => {
                format!("far below the peer median (by more than {}% of the scale)", percent(options.far_below))
            }
            Reason::TopObstacle => format!("top-{} obstacle", options.top),
            Reason::Worsening => "worsening trend".into(),
        }
    }
}

/// A share as a percentage for a reason: `30`, not `30.000000000000004`.
fn percent(share: f64) -> String {
    crate::error::shown_number(share * 100.0)
}

/// One problem: a row of `ledger.csv`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Problem {
    /// The unit: column `unit`.
    pub unit: String,
    /// The diagnosed year: column `year`.
    pub year: i32,
    /// The indicator's id: column `indicator`.
    pub indicator: String,
    /// The observed value; empty when missing or imputed.
    pub value: Option<f64>,
    /// The standard value that applies to the unit; empty without one (and for band and
    /// target directions).
    pub standard: Option<f64>,
    /// Attainment s of the standard, when judged.
    pub attainment: Option<f64>,
    /// Monitoring level (after the trend raise); empty without a standard or an observed value.
    pub level: Option<Level>,
    /// Severity points (module docs).
    pub points: u32,
    /// Global weight F_j.
    pub weight: f64,
    /// Obstacle degree in %.
    pub obstacle: Option<f64>,
    /// Rank among the peers on the indicator score (1 = best).
    pub rank: Option<u32>,
    /// points × 100 × F_j: the problem's weight in the ledger's order and the reserve's priority.
    pub severity: f64,
    /// The rules that flagged it, in rule order: column `reasons` (`; `-joined, with parameters).
    pub reasons: Vec<Reason>,
    /// The evidence sources whose own value misses the standard, when the cell had several
    /// ([`Diagnosis::confirm`](super::Diagnosis::confirm)); empty otherwise.
    pub sources: Vec<Source>,
    /// Whether at least k sources flag the problem; `None` when the cell had one source.
    pub confirmed: Option<bool>,
    /// Imputed value, confirmation by the sources: column `note`.
    pub note: Option<String>,
    pub(crate) row: usize,
    pub(crate) position: usize,
}

pub(crate) fn ledger(
    view: &View<'_>,
    options: &DiagnoseOptions,
    attainment: &[AttainmentRow],
    obstacles: &[ObstacleRow],
    peers: &Peers,
    worsening: Option<&Worsening>,
) -> Vec<Problem> {
    let judged: HashMap<(usize, usize), &AttainmentRow> = attainment.iter().map(|a| ((a.row, a.node), a)).collect();
    let obstacle: HashMap<(usize, usize), &ObstacleRow> =
        obstacles.iter().filter(|o| o.kind == NodeKind::Indicator).map(|o| ((o.row, o.position), o)).collect();
    let worse: HashSet<(&str, &str)> = worsening
        .into_iter()
        .flatten()
        .filter(|(_, &w)| w)
        .map(|((unit, indicator), _)| (unit.as_str(), indicator.as_str()))
        .collect();

    let mut out = Vec::new();
    for row in view.rows.clone() {
        let unit = view.unit(row);
        for n in view.indicator_nodes() {
            // Not applicable is never a problem.
            if view.not_applicable(row, n) {
                continue;
            }
            let ind = view.indicator(n);
            let a = judged.get(&(row, n)).copied();
            let o = obstacle.get(&(row, n)).copied();
            let weak = peers.weakness(row, n);
            let mut reasons = Vec::new();
            if a.and_then(|a| a.met) == Some(false) {
                reasons.push(Reason::BelowStandard);
            }
            if let Some(w) = weak {
                if w.in_share {
                    reasons.push(Reason::BottomOfPeers);
                }
                if w.far_below {
                    reasons.push(Reason::FarBelowPeers);
                }
            }
            let top = o.is_some_and(|o| {
                o.rank.is_some_and(|r| r as usize <= options.top) && o.obstacle.is_some_and(|v| v > 0.0)
            });
            if top {
                reasons.push(Reason::TopObstacle);
            }
            if reasons.is_empty() {
                continue;
            }
            let worsening = worse.contains(&(unit, ind.id.as_str()));
            if worsening {
                reasons.push(Reason::Worsening);
            }

            let (x, imputed) = view.value(row, n);
            let observed = (!x.is_nan() && !imputed).then_some(x);
            // A value the standard cannot judge has no level; attainment.csv carries the reason.
            let level_of =
                |trend: bool| observed.and_then(|x| alert(ind, unit, x, trend).ok().flatten()).map(|a| a.level);
            let before = level_of(false);
            let base_points = match &before {
                Some(Level::Red) => 3,
                Some(Level::Yellow) => 2,
                _ => 1,
            };
            let points = base_points + u32::from(worsening);
            let level = if worsening { level_of(true) } else { before };
            let weight = view.global[n];
            out.push(Problem {
                unit: unit.to_string(),
                year: view.year,
                indicator: ind.id.clone(),
                value: observed,
                standard: standard_value(&ind.criterion(), unit),
                attainment: a.and_then(|a| a.attainment),
                level,
                points,
                weight,
                obstacle: o.and_then(|o| o.obstacle),
                rank: peers.rank(row, n),
                severity: f64::from(points) * 100.0 * weight,
                reasons,
                sources: Vec::new(),
                confirmed: None,
                note: imputed.then(|| "value imputed: no warning level".to_string()),
                row,
                position: n,
            });
        }
    }
    out.sort_by(|p, q| {
        p.row
            .cmp(&q.row)
            .then(q.severity.total_cmp(&p.severity))
            .then(q.obstacle.unwrap_or(f64::NEG_INFINITY).total_cmp(&p.obstacle.unwrap_or(f64::NEG_INFINITY)))
            .then(p.position.cmp(&q.position))
    });
    out
}

impl super::Diagnosis {
    /// Confirms the ledger's problems against the evidence sources of a reconciled panel
    /// (METHODS.md §8): for every problem with a standard whose cell had values from several
    /// sources (self-check, third party, survey), each source's own value is judged against
    /// the standard; `sources` lists those that miss it and `confirmed` says whether at least
    /// `k` do. The note says "confirmed by n of m sources (k = …)" or "not confirmed: …".
    pub fn confirm(&mut self, catalog: &crate::Catalog, reconciliation: &crate::survey::Reconciliation, k: usize) {
        use crate::normalize::attainment;
        let cells: HashMap<(&str, i32, &str), &crate::survey::ReconciledCell> =
            reconciliation.cells.iter().map(|c| ((c.unit.as_str(), c.year, c.indicator.as_str()), c)).collect();
        for p in &mut self.ledger {
            let (Some(cell), Some(ind)) =
                (cells.get(&(p.unit.as_str(), p.year, p.indicator.as_str())), catalog.indicator(&p.indicator))
            else {
                continue;
            };
            let values = [
                (Source::SelfCheck, cell.self_value),
                (Source::ThirdParty, cell.third_party_value),
                (Source::Survey, cell.survey_value),
            ];
            let judged: Vec<(Source, bool)> = values
                .iter()
                .filter_map(|&(source, v)| {
                    let s = attainment(&ind.criterion(), &p.unit, v?).ok()??;
                    Some((source, s < 1.0))
                })
                .collect();
            if judged.len() < 2 {
                continue;
            }
            let flags: Vec<bool> = judged.iter().map(|&(_, f)| f).collect();
            p.sources = judged.iter().filter(|&&(_, f)| f).map(|&(s, _)| s).collect();
            let confirmed = crate::survey::confirmed(&flags, k);
            p.confirmed = Some(confirmed);
            let n = p.sources.len();
            let text = if confirmed {
                format!("confirmed by {n} of {} sources (k = {k})", judged.len())
            } else {
                format!("not confirmed: {n} of {} sources miss the standard (k = {k})", judged.len())
            };
            p.note = Some(match p.note.take() {
                Some(note) => format!("{note}; {text}"),
                None => text,
            });
        }
    }
}
