//! The Malmquist productivity index between two years (METHODS §12; Färe, Grosskopf, Norris &
//! Zhang 1994). D^a(b) is the score of a unit's year-b observation against year a's frontier:
//! the input-oriented θ (METHODS' default) or, output-oriented, 1/φ (Shephard's output
//! distance, as DEAP and deaR's `oo`):
//! M = √[(D^t(t+1) / D^t(t)) · (D^{t+1}(t+1) / D^{t+1}(t))],
//! efficiency change EC = D^{t+1}(t+1) / D^t(t), technical change TC = M / EC. M > 1:
//! productivity grew.
//!
//! With CCR distances the efficiency change splits by the BCC (variable-returns) distances of
//! each year's own frontier, V^t(t) and V^{t+1}(t+1): pure technical efficiency change
//! PEC = V^{t+1}(t+1) / V^t(t) and scale efficiency change SEC = EC / PEC, so M = PEC × SEC ×
//! TC (Färe et al. 1994; DEAP's `pech`, `sech`). Cross-period LPs may be infeasible under
//! variable returns: the unit then has no index and a note.

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
    /// V^t(x^t): year t against year t's variable-returns frontier (CCR index only).
    pub vrs_from_from: Option<f64>,
    /// V^{t+1}(x^{t+1}): year t+1 against year t+1's variable-returns frontier (CCR index only).
    pub vrs_to_to: Option<f64>,
    /// Pure technical efficiency change V^{t+1}(x^{t+1}) / V^t(x^t) (CCR index only).
    pub pure_efficiency_change: Option<f64>,
    /// Scale efficiency change EC / PEC (CCR index only).
    pub scale_efficiency_change: Option<f64>,
    /// Why an index is missing (an infeasible cross-period LP, …).
    pub note: Option<String>,
}

/// The options of [`malmquist_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MalmquistOptions {
    /// CCR (constant returns; METHODS' default, with the BCC decomposition of the efficiency
    /// change) or BCC (variable returns, no decomposition).
    pub model: Model,
    /// Input (METHODS' default: θ) or output (1/φ) distances.
    pub orientation: Orientation,
}

impl Default for MalmquistOptions {
    fn default() -> Self {
        MalmquistOptions { model: Model::Ccr, orientation: Orientation::Input }
    }
}

/// The Malmquist index of every unit of `from` that is also in `to` (matched by name), in
/// `from`'s order, with input distances; `model` is CCR (METHODS' default) or BCC. As
/// [`malmquist_with`] with input orientation.
///
/// # Errors
/// As [`malmquist_with`].
pub fn malmquist(from: &DeaData<'_>, to: &DeaData<'_>, model: Model) -> Result<Vec<MalmquistUnit>> {
    malmquist_with(from, to, &MalmquistOptions { model, orientation: Orientation::Input })
}

/// The Malmquist index of every unit of `from` that is also in `to` (matched by name), in
/// `from`'s order, with the options' model and orientation. Each year's frontier is all of
/// that year's units, also those observed in one year only (R Benchmarking's `malmquist`
/// default, `SAMEREF = FALSE`): the efficiency change is then the ratio of the two years'
/// efficiency tables.
///
/// # Errors
/// As [`validate`] for each year (undesirable outputs are refused: the index is radial);
/// [`Error::Spec`] for SBM and for the non-oriented orientation; [`Error::Mismatch`] when the
/// years have other inputs or outputs, or no unit in common.
pub fn malmquist_with(from: &DeaData<'_>, to: &DeaData<'_>, options: &MalmquistOptions) -> Result<Vec<MalmquistUnit>> {
    let returns = match options.model {
        Model::Ccr => Returns::Constant,
        Model::Bcc => Returns::Variable,
        Model::Sbm | Model::SbmVrs => {
            return Err(Error::Spec("the Malmquist index is computed with ccr or bcc, not sbm".into()))
        }
    };
    let orientation = options.orientation;
    if orientation == Orientation::NonOriented {
        return Err(Error::Spec("the Malmquist index needs an orientation: input or output".into()));
    }
    if from.inputs != to.inputs || from.outputs != to.outputs {
        return Err(Error::Mismatch("the two years of a Malmquist index need the same inputs and outputs".into()));
    }
    validate(from, options.model)?;
    validate(to, options.model)?;
    let index: HashMap<&str, usize> = to.units.iter().enumerate().map(|(k, u)| (u.as_str(), k)).collect();
    let pairs: Vec<(usize, usize)> =
        from.units.iter().enumerate().filter_map(|(k, u)| index.get(u.as_str()).map(|&l| (k, l))).collect();
    if pairs.is_empty() {
        return Err(Error::Mismatch("the two years of a Malmquist index have no unit in common".into()));
    }
    let all_from: Vec<usize> = (0..from.units.len()).collect();
    let all_to: Vec<usize> = (0..to.units.len()).collect();
    let decompose = returns == Returns::Constant;
    Ok(pairs
        .into_par_iter()
        .map(|(k, l)| {
            let p_from = Point { x: row(from.x, k), y: row(from.y, k) };
            let p_to = Point { x: row(to.x, l), y: row(to.y, l) };
            let o = orientation;
            let (ff, n1) = distance(from, &all_from, &p_from, returns, o, "D^t(x^t)");
            let (ft, n2) = distance(from, &all_from, &p_to, returns, o, "D^t(x^t+1)");
            let (tf, n3) = distance(to, &all_to, &p_from, returns, o, "D^t+1(x^t)");
            let (tt, n4) = distance(to, &all_to, &p_to, returns, o, "D^t+1(x^t+1)");
            let ((vff, n5), (vtt, n6)) = if decompose {
                (
                    distance(from, &all_from, &p_from, Returns::Variable, o, "V^t(x^t)"),
                    distance(to, &all_to, &p_to, Returns::Variable, o, "V^t+1(x^t+1)"),
                )
            } else {
                ((None, None), (None, None))
            };
            let (malmquist, ec, tc) = match (ff, ft, tf, tt) {
                (Some(ff), Some(ft), Some(tf), Some(tt)) => {
                    let m = ((ft / ff) * (tt / tf)).sqrt();
                    let ec = tt / ff;
                    (Some(m), Some(ec), Some(m / ec))
                }
                _ => (None, None, None),
            };
            let (pec, sec) = match (ec, vff, vtt) {
                (Some(ec), Some(vff), Some(vtt)) => {
                    let pec = vtt / vff;
                    (Some(pec), Some(ec / pec))
                }
                _ => (None, None),
            };
            let missing: Vec<String> = [n1, n2, n3, n4].into_iter().flatten().collect();
            let undecomposed: Vec<String> = [n5, n6].into_iter().flatten().collect();
            let mut parts = Vec::new();
            if !missing.is_empty() {
                parts.push(format!("no index: {}", missing.join("; ")));
            }
            if !undecomposed.is_empty() {
                parts.push(format!("no scale decomposition: {}", undecomposed.join("; ")));
            }
            let note = (!parts.is_empty()).then(|| parts.join("; "));
            MalmquistUnit {
                unit: from.units[k].clone(),
                d_from_from: ff,
                d_from_to: ft,
                d_to_from: tf,
                d_to_to: tt,
                malmquist,
                efficiency_change: ec,
                technical_change: tc,
                vrs_from_from: vff,
                vrs_to_to: vtt,
                pure_efficiency_change: pec,
                scale_efficiency_change: sec,
                note,
            }
        })
        .collect())
}

/// The pairs of years a Malmquist table compares, from the years of the data: every
/// consecutive pair (the years sorted, each once), then the whole window (first, last) when
/// it spans more than one pair — the five-year evaluation's comparison of its first and last
/// year against each other's frontiers (not the product of the consecutive indices).
///
/// # Examples
/// ```
/// use citycheck::efficiency::malmquist_pairs;
/// assert_eq!(malmquist_pairs(&[2022, 2020, 2021]), vec![(2020, 2021), (2021, 2022), (2020, 2022)]);
/// assert_eq!(malmquist_pairs(&[2020, 2021]), vec![(2020, 2021)]);
/// assert!(malmquist_pairs(&[2020]).is_empty());
/// ```
pub fn malmquist_pairs(years: &[i32]) -> Vec<(i32, i32)> {
    let mut years = years.to_vec();
    years.sort_unstable();
    years.dedup();
    let mut pairs: Vec<(i32, i32)> = years.windows(2).map(|w| (w[0], w[1])).collect();
    if years.len() > 2 {
        pairs.push((years[0], years[years.len() - 1]));
    }
    pairs
}

/// The distance (θ, or 1/φ output-oriented) of `point` against `frontier`, or a note saying
/// why there is none.
fn distance(
    frontier: &DeaData<'_>,
    refs: &[usize],
    point: &Point,
    returns: Returns,
    orientation: Orientation,
    label: &str,
) -> (Option<f64>, Option<String>) {
    let r = radial::solve(frontier.x, frontier.y, refs, point, returns, orientation, false, 1e-9);
    match (r.score, &r.status) {
        (Some(v), Status::Optimal) => (Some(v), None),
        (_, status) => (None, Some(format!("{label}: {}", status.as_str()))),
    }
}
