//! Obstacle degree (障碍度), METHODS.md §6: how much of a unit's weighted shortfall each
//! indicator and each group carries.
//!
//! # Formula
//! ```text
//! I_ij = 1 − r_ij                              deviation (shortfall from the best score)
//! O_ij = 100 · F_j I_ij / Σ_k F_k I_ik          obstacle degree of indicator j, in %
//! O_ig = Σ_{j under g} O_ij                     obstacle degree of group g (any level)
//! ```
//! F_j is the indicator's global weight (product of the weights down from the index, as fitted
//! for the year), r_ij its score rescaled to [0, 1] by the normalisation scale (module docs of
//! [`super`]). Within a unit-year the indicator obstacles sum to 100.
//!
//! # Ranks
//! Within each unit-year, indicators are ranked among indicators and groups among the groups
//! of the same level (a parent's obstacle contains its children's), 1 = largest obstacle, ties
//! sharing the lowest rank. The top-k indicators (rank ≤ k with an obstacle > 0) are problems
//! of the ledger.
//!
//! # Edge cases
//! - A missing score (or weight) leaves the indicator out of that unit-year: out of the sum,
//!   with an empty obstacle and a note. The remaining shares still sum to 100: they are shares
//!   of the shortfall that can be seen.
//! - No shortfall at all (Σ F I = 0: the unit at its best on every scored indicator, or
//!   shortfalls only on weight-0 indicators): every obstacle is 0, with a note; never 0/0.
//! - One indicator with a shortfall: it carries 100.
//! - r outside [0, 1] is clamped (a reference-year fit can score outside `[lo, hi]`).
//!
//! # References
//! The obstacle-degree model (障碍度模型) of Chinese urban-evaluation practice: factor
//! contribution F_j (the weight), deviation I_ij = 1 − r_ij, obstacle O_ij = F_j I_ij / Σ F I.

use super::View;
use crate::catalog::NodeKind;
use crate::kernels::rank::rank_best_first;
use crate::kernels::stats;

/// Obstacle degrees in % of one unit: `O_j = 100 · F_j (1 − r_j) / Σ_k F_k (1 − r_k)`.
///
/// `weights` are the global weights F (≥ 0), `scores01` the scores r in [0, 1] (clamped);
/// a `NaN` in either leaves the indicator out (its result is `NaN`). When no indicator falls
/// short (Σ F I = 0) every present indicator gets 0.
///
/// # Panics
/// When the slices differ in length.
///
/// # Examples
/// ```
/// use citycheck::diagnose::obstacle_degree;
/// // F = [0.6, 0.4], r = [0.5, 0.75]: F·I = [0.3, 0.1], Σ = 0.4 → [75 %, 25 %].
/// let o = obstacle_degree(&[0.6, 0.4], &[0.5, 0.75]);
/// assert!((o[0] - 75.0).abs() < 1e-12 && (o[1] - 25.0).abs() < 1e-12);
/// // At its best everywhere: no obstacle, never 0/0.
/// assert_eq!(obstacle_degree(&[0.5, 0.5], &[1.0, 1.0]), vec![0.0, 0.0]);
/// ```
pub fn obstacle_degree(weights: &[f64], scores01: &[f64]) -> Vec<f64> {
    assert_eq!(weights.len(), scores01.len(), "obstacle_degree: one weight per score");
    let terms: Vec<f64> = weights
        .iter()
        .zip(scores01)
        .map(|(&f, &r)| if f.is_nan() || r.is_nan() { f64::NAN } else { f * (1.0 - r.clamp(0.0, 1.0)) })
        .collect();
    let total = stats::sum(terms.iter().copied().filter(|t| !t.is_nan()));
    terms
        .into_iter()
        .map(|t| {
            if t.is_nan() {
                f64::NAN
            } else if total > 0.0 {
                100.0 * t / total
            } else {
                0.0
            }
        })
        .collect()
}

/// The obstacle degree of one node (a group or an indicator) for one unit-year: a row of
/// `obstacles.csv`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ObstacleRow {
    /// The unit: column `unit`.
    pub unit: String,
    /// The diagnosed year: column `year`.
    pub year: i32,
    /// The group's or indicator's id: column `node`.
    pub node: String,
    /// Group or indicator: column `kind`.
    pub kind: NodeKind,
    /// In %; empty when the node has no score in this unit-year.
    pub obstacle: Option<f64>,
    /// 1 = largest obstacle among the same kind (and, for groups, level).
    pub rank: Option<u32>,
    /// Why the obstacle is empty or 0: column `note`.
    pub note: Option<String>,
    pub(crate) row: usize,
    pub(crate) position: usize,
}

/// Obstacle degrees of every group and indicator, per unit of the year: groups first, then
/// indicators, in catalogue order.
pub(crate) fn obstacles(view: &View<'_>) -> Vec<ObstacleRow> {
    let tree = view.tree();
    let indicators = view.indicator_nodes();
    let groups: Vec<usize> = (0..tree.nodes().len()).filter(|&n| tree.node(n).kind == NodeKind::Group).collect();
    let weights: Vec<f64> = indicators.iter().map(|&n| view.global[n]).collect();
    let mut out = Vec::new();
    for row in view.rows.clone() {
        let r: Vec<f64> = indicators.iter().map(|&n| view.score01(row, n)).collect();
        let o = obstacle_degree(&weights, &r);
        let any_present = o.iter().any(|v| !v.is_nan());
        let no_shortfall = any_present && o.iter().all(|&v| v.is_nan() || v == 0.0);

        let mut value = vec![f64::NAN; tree.nodes().len()];
        for (&n, &v) in indicators.iter().zip(&o) {
            value[n] = v;
            if v.is_nan() {
                continue;
            }
            for g in view.ancestors(n) {
                value[g] = if value[g].is_nan() { v } else { value[g] + v };
            }
        }
        let mut rank = vec![None; tree.nodes().len()];
        rank_among(&indicators, &value, &mut rank);
        let mut levels: Vec<u32> = groups.iter().map(|&g| tree.node(g).level).collect();
        levels.sort_unstable();
        levels.dedup();
        for level in levels {
            let same: Vec<usize> = groups.iter().copied().filter(|&g| tree.node(g).level == level).collect();
            rank_among(&same, &value, &mut rank);
        }

        for n in groups.iter().chain(&indicators).copied() {
            let v = value[n];
            let note = if v.is_nan() && tree.node(n).kind == NodeKind::Indicator && view.not_applicable(row, n) {
                Some(super::attainment::NOT_APPLICABLE.to_string())
            } else if v.is_nan() {
                Some("no score: left out of this unit-year".to_string())
            } else if no_shortfall {
                Some("no weighted shortfall: every scored indicator at its best".to_string())
            } else {
                None
            };
            out.push(ObstacleRow {
                unit: view.unit(row).to_string(),
                year: view.year,
                node: tree.node(n).id.clone(),
                kind: tree.node(n).kind,
                obstacle: (!v.is_nan()).then_some(v),
                rank: rank[n],
                note,
                row,
                position: n,
            });
        }
    }
    out
}

/// Ranks `nodes` by `value` (largest first) into `rank`.
fn rank_among(nodes: &[usize], value: &[f64], rank: &mut [Option<u32>]) {
    let values: Vec<f64> = nodes.iter().map(|&n| value[n]).collect();
    for (&n, r) in nodes.iter().zip(rank_best_first(&values)) {
        rank[n] = (r > 0).then_some(r);
    }
}
