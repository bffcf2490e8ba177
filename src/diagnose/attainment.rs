//! Attainment of standards (达标) and the attainment rate (达标率), METHODS.md §6.
//!
//! # Formula
//! ```text
//! s_ij   = attainment of unit i's standard on indicator j        (normalize::attainment)
//! met_ij = s_ij = 1
//! gap_ij = T − x (higher), x − T (lower), distance to [a, b] (band / target)   (normalize::gap_to_standard)
//! rate_g = Σ_{j under g} met_ij / Σ_{j under g} judged_ij       for the index and every group g
//! ```
//! x is the value the check-up scored (after the catalogue's denominators), T the standard
//! that applies to the unit (its `by_unit` override, else the catalogue-wide value).
//!
//! # Which indicators have a standard
//! An indicator has a standard for a unit when the catalogue gives a value that applies to it
//! ([`crate::normalize::standard_value`]), or when its direction is a band or target *and* the
//! catalogue has a `standard` entry for it (the interval is then the standard; the `standard`
//! column is empty and the note names the interval). A band direction alone is how an
//! indicator is scored, not a standard.
//!
//! # Edge cases
//! - Missing value: a row with empty value, `met` and gap, note "no value"; not judged.
//! - Not applicable (marked in the data or by the catalogue's rule): a row with empty value,
//!   `met` and gap, note "not_applicable"; not judged, and not counted as unjudged in the rates.
//! - Imputed value: not an observation, so it is not judged against the standard: a row with
//!   empty value and the note "imputed"; the count goes into [`super::Diagnosis::notes`].
//! - A value the standard cannot judge (a negative value against a ratio standard): empty,
//!   with the error's message as note.
//! - Rates count only judged indicators; a node without any has an empty rate and a note
//!   (also one unit, constant data: the rate is per unit-year and needs no comparison).

use super::View;
use crate::catalog::{Indicator, NodeKind};
use crate::normalize::{attainment, gap_to_standard, standard_value};

/// One unit-year and indicator with a standard (a row of `attainment.csv`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AttainmentRow {
    /// The unit: column `unit`.
    pub unit: String,
    /// The diagnosed year: column `year`.
    pub year: i32,
    /// The indicator's id: column `indicator`.
    pub indicator: String,
    /// The observed value; empty when missing or imputed.
    pub value: Option<f64>,
    /// The standard value; empty for band and target directions (the interval is the standard).
    pub standard: Option<f64>,
    /// Attainment s in [0, 1] (not a column of `attainment.csv`; the ledger shows it).
    pub attainment: Option<f64>,
    /// Whether the standard is met (s = 1): column `met`; empty when not judged.
    pub met: Option<bool>,
    /// Shortfall in the indicator's unit, positive when short of the standard.
    pub gap: Option<f64>,
    /// Why a value is empty, or the interval that is the standard: column `note`.
    pub note: Option<String>,
    pub(crate) row: usize,
    pub(crate) node: usize,
}

/// Attainment rate (达标率) of one unit-year and node (the index or a group).
/// A row of `attainment_rates.csv`, each field the column of the same name.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AttainmentRate {
    /// The unit.
    pub unit: String,
    /// The diagnosed year.
    pub year: i32,
    /// The node's id: `index` or a group id.
    pub node: String,
    /// Index or group.
    pub kind: NodeKind,
    /// Indicators under the node with a standard and an observed value (the judged ones).
    pub with_standard: u32,
    /// Of those, the indicators that meet their standard.
    pub met: u32,
    /// met / with_standard, a fraction in [0, 1]; empty when nothing was judged.
    pub rate: Option<f64>,
    /// Why the rate is empty.
    pub note: Option<String>,
}

/// Whether `ind` has a standard for `unit` (module docs).
pub(crate) fn has_standard(ind: &Indicator, unit: &str) -> bool {
    standard_value(&ind.criterion(), unit).is_some()
        || (ind.standard.is_some() && ind.direction.and_then(|d| d.band()).is_some())
}

/// The note of a not-applicable cell, in every output that has a note column.
pub(crate) const NOT_APPLICABLE: &str = "not_applicable";

/// Every indicator with a standard, for every unit of the year.
pub(crate) fn judge(view: &View<'_>, notes: &mut Vec<String>) -> Vec<AttainmentRow> {
    let mut out = Vec::new();
    let mut imputed = 0;
    for row in view.rows.clone() {
        let unit = view.unit(row);
        for node in view.indicator_nodes() {
            let ind = view.indicator(node);
            if !has_standard(ind, unit) {
                continue;
            }
            let (x, was_imputed) = view.value(row, node);
            imputed += usize::from(was_imputed && !x.is_nan());
            let mut judged = judge_one(view, row, node, ind, x, was_imputed);
            if view.not_applicable(row, node) {
                judged.note = Some(NOT_APPLICABLE.to_string());
            }
            out.push(judged);
        }
    }
    if imputed > 0 {
        notes.push(format!(
            "{imputed} imputed value(s) of indicators with a standard were not judged against it \
             (attainment.csv: note 'imputed')"
        ));
    }
    out
}

fn judge_one(view: &View<'_>, row: usize, node: usize, ind: &Indicator, x: f64, imputed: bool) -> AttainmentRow {
    let unit = view.unit(row);
    let standard = standard_value(&ind.criterion(), unit);
    let interval = ind.direction.and_then(|d| d.band()).filter(|_| standard.is_none());
    let mut r = AttainmentRow {
        unit: unit.to_string(),
        year: view.year,
        indicator: ind.id.clone(),
        value: None,
        standard,
        attainment: None,
        met: None,
        gap: None,
        note: None,
        row,
        node,
    };
    if x.is_nan() {
        r.note = Some("no value".into());
        return r;
    }
    if imputed {
        r.note = Some("imputed: not an observation, not judged against the standard".into());
        return r;
    }
    r.value = Some(x);
    match attainment(&ind.criterion(), unit, x) {
        Ok(Some(s)) => {
            r.attainment = Some(s);
            r.met = Some(s >= 1.0);
            r.gap = gap_to_standard(&ind.criterion(), unit, x);
            r.note = interval.map(|(a, b)| format!("the standard is the interval [{a}, {b}]"));
        }
        Ok(None) => r.note = Some("no standard applies to this unit".into()),
        Err(e) => r.note = Some(format!("cannot be judged: {e}")),
    }
    r
}

/// 达标率 of the index and every group, per unit of the year.
pub(crate) fn rates(view: &View<'_>, rows: &[AttainmentRow]) -> Vec<AttainmentRate> {
    let nodes = view.tree().nodes().len();
    let mut by_row: Vec<Vec<&AttainmentRow>> = vec![Vec::new(); view.rows.len()];
    for a in rows {
        by_row[a.row - view.rows.start].push(a);
    }
    let mut out = Vec::new();
    for (row, judged_here) in view.rows.clone().zip(&by_row) {
        let (mut judged, mut met, mut unjudged) = (vec![0u32; nodes], vec![0u32; nodes], vec![0u32; nodes]);
        for a in judged_here.iter().filter(|a| a.note.as_deref() != Some(NOT_APPLICABLE)) {
            for g in view.ancestors(a.node) {
                match a.met {
                    Some(m) => {
                        judged[g] += 1;
                        met[g] += u32::from(m);
                    }
                    None => unjudged[g] += 1,
                }
            }
        }
        for (g, node) in view.tree().nodes().iter().enumerate().filter(|(_, n)| n.kind != NodeKind::Indicator) {
            let note = match (judged[g], unjudged[g]) {
                (0, 0) => Some("no indicator with a standard".to_string()),
                (_, 0) => None,
                (_, u) => {
                    Some(format!("{u} indicator(s) with a standard not judged (missing, imputed or not judgeable)"))
                }
            };
            out.push(AttainmentRate {
                unit: view.unit(row).to_string(),
                year: view.year,
                node: node.id.clone(),
                kind: node.kind,
                with_standard: judged[g],
                met: met[g],
                rate: (judged[g] > 0).then(|| f64::from(met[g]) / f64::from(judged[g])),
                note,
            });
        }
    }
    out
}
