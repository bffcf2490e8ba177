//! The Malmquist productivity index between two years (METHODS §12; Färe, Grosskopf, Norris &
//! Zhang 1994), with input distance functions D^a(x^b) = the input-oriented θ of unit's year-b
//! observation against year a's frontier:
//! M = √[(D^t(x^{t+1}) / D^t(x^t)) · (D^{t+1}(x^{t+1}) / D^{t+1}(x^t))],
//! efficiency change EC = D^{t+1}(x^{t+1}) / D^t(x^t), technical change TC = M / EC.
//! M > 1: productivity grew. Cross-period LPs may be infeasible under variable returns: the
//! unit then has no index and a note.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{radial, row, validate, DeaData, Model, Orientation, Point, Returns, Status};
use crate::error::{Error, Result};

/// One unit's Malmquist index from one year to the next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MalmquistUnit {
    /// The unit.
    pub unit: String,
    /// D^t(x^t): year t against year t's frontier.
    pub d_from_from: Option<f64>,
    /// D^t(x^{t+1}): year t+1 against year t's frontier.
    pub d_from_to: Option<f64>,
    /// D^{t+1}(x^t): year t against year t+1's frontier.
    pub d_to_from: Option<f64>,
    /// D^{t+1}(x^{t+1}): year t+1 against year t+1's frontier.
    pub d_to_to: Option<f64>,
    /// The Malmquist index M (> 1: productivity grew).
    pub malmquist: Option<f64>,
    /// Efficiency change (catching up) D^{t+1}(x^{t+1}) / D^t(x^t).
    pub efficiency_change: Option<f64>,
    /// Technical change (frontier shift) M / EC.
    pub technical_change: Option<f64>,
    /// Why an index is missing (an infeasible cross-period LP, …).
    pub note: Option<String>,
}

/// The Malmquist index of every unit of `from` that is also in `to` (matched by name), in
/// `from`'s order; `model` is CCR (METHODS' default) or BCC.
///
/// # Errors
/// As [`validate`] for each year; [`Error::Spec`] for SBM; [`Error::Mismatch`] when the years
/// have other inputs or outputs, or no unit in common.
pub fn malmquist(from: &DeaData<'_>, to: &DeaData<'_>, model: Model) -> Result<Vec<MalmquistUnit>> {
    let returns = match model {
        Model::Ccr => Returns::Constant,
        Model::Bcc => Returns::Variable,
        Model::Sbm => return Err(Error::Spec("the Malmquist index is computed with ccr or bcc, not sbm".into())),
    };
    if from.inputs != to.inputs || from.outputs != to.outputs {
        return Err(Error::Mismatch("the two years of a Malmquist index need the same inputs and outputs".into()));
    }
    validate(from, model)?;
    validate(to, model)?;
    let index: HashMap<&str, usize> = to.units.iter().enumerate().map(|(k, u)| (u.as_str(), k)).collect();
    let pairs: Vec<(usize, usize)> =
        from.units.iter().enumerate().filter_map(|(k, u)| index.get(u.as_str()).map(|&l| (k, l))).collect();
    if pairs.is_empty() {
        return Err(Error::Mismatch("the two years of a Malmquist index have no unit in common".into()));
    }
    let all_from: Vec<usize> = (0..from.units.len()).collect();
    let all_to: Vec<usize> = (0..to.units.len()).collect();
    Ok(pairs
        .into_par_iter()
        .map(|(k, l)| {
            let p_from = Point { x: row(from.x, k), y: row(from.y, k) };
            let p_to = Point { x: row(to.x, l), y: row(to.y, l) };
            let (ff, n1) = distance(from, &all_from, &p_from, returns, "D^t(x^t)");
            let (ft, n2) = distance(from, &all_from, &p_to, returns, "D^t(x^t+1)");
            let (tf, n3) = distance(to, &all_to, &p_from, returns, "D^t+1(x^t)");
            let (tt, n4) = distance(to, &all_to, &p_to, returns, "D^t+1(x^t+1)");
            let notes: Vec<String> = [n1, n2, n3, n4].into_iter().flatten().collect();
            let (malmquist, ec, tc) = match (ff, ft, tf, tt) {
                (Some(ff), Some(ft), Some(tf), Some(tt)) => {
                    let m = ((ft / ff) * (tt / tf)).sqrt();
                    let ec = tt / ff;
                    (Some(m), Some(ec), Some(m / ec))
                }
                _ => (None, None, None),
            };
            MalmquistUnit {
                unit: from.units[k].clone(),
                d_from_from: ff,
                d_from_to: ft,
                d_to_from: tf,
                d_to_to: tt,
                malmquist,
                efficiency_change: ec,
                technical_change: tc,
                note: (!notes.is_empty()).then(|| format!("no index: {}", notes.join("; "))),
            }
        })
        .collect())
}

/// The input distance (θ) of `point` against `frontier`, or a note saying why there is none.
fn distance(
    frontier: &DeaData<'_>,
    refs: &[usize],
    point: &Point,
    returns: Returns,
    label: &str,
) -> (Option<f64>, Option<String>) {
    let r = radial::solve(frontier.x, frontier.y, refs, point, returns, Orientation::Input, false, 1e-9);
    match (r.score, &r.status) {
        (Some(v), Status::Optimal) => (Some(v), None),
        (_, status) => (None, Some(format!("{label}: {}", status.as_str()))),
    }
}
