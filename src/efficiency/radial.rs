//! CCR and BCC, input- or output-oriented, in envelopment form (Cooper, Seiford & Tone,
//! chapters 3–4), with the second phase for the slacks.
//!
//! Input orientation, unit o, reference units J:
//! phase one  min θ  s.t.  Σ_J λ_j x_ij ≤ θ x_io,  Σ_J λ_j y_rj ≥ y_ro,  λ ≥ 0  (BCC: Σλ = 1);
//! phase two  max Σ s⁻ + Σ s⁺  s.t.  Σ λ_j x_ij + s⁻_i = θ* x_io,  Σ λ_j y_rj − s⁺_r = y_ro.
//! Output orientation: max φ s.t. Σ λ_j x_ij ≤ x_io, Σ λ_j y_rj ≥ φ y_ro; phase two at φ*.
//! Targets: input (θ* x_o − s⁻, y_o + s⁺); output (x_o − s⁻, φ* y_o + s⁺).

use super::lp::{Lp, Outcome, Row};
use super::{Orientation, Point, Returns, Status, UnitEfficiency};
use crate::kernels::ArrayView2;

/// The phase-two right-hand side is moved by these relative amounts towards feasibility, the
/// next only when the second LP does not solve with the one before: clarabel stops within
/// 1e-8 of the optimum, and a θ* (or φ*) that much beyond it makes the second LP infeasible —
/// with 1e-9 alone, one unit in ten of 1,000 random units lost its second phase (its slacks
/// then came from the first, not maximal). The first amount is the textbook LP within round-off;
/// a larger one is used only where that one has no solution.
const PHASE_TWO_RELAX: [f64; 4] = [1e-9, 1e-8, 1e-7, 1e-6];

/// Solves one unit's LP against the reference units `refs` (rows of `x` and `y`); `point` is
/// the evaluated unit (a row of the data, or another year's observation). Without `slacks`,
/// phase one only (slacks and targets from its λ).
#[allow(clippy::too_many_arguments)]
pub(crate) fn solve(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    refs: &[usize],
    point: &Point,
    returns: Returns,
    orientation: Orientation,
    slacks: bool,
    tolerance: f64,
) -> UnitEfficiency {
    let input = orientation == Orientation::Input;
    let k = refs.len();
    let (m, s) = (point.x.len(), point.y.len());
    // Each variable divided by its mean over the reference units and the point: θ, φ and λ do
    // not change, and the solver sees numbers near 1 whatever the units (population in 万人
    // beside GDP in 元 stopped clarabel on MaxIterations or at an inaccurate point).
    let cx = variable_scales(x, refs, &point.x);
    let cy = variable_scales(y, refs, &point.y);
    let seed = seed_references(x, y, refs, point, &cx, &cy);
    // Phase one: variables [θ or φ, λ_1 … λ_k].
    let mut lp = Lp::new(1 + k);
    lp.cost[0] = if input { 1.0 } else { -1.0 };
    for (i, &xo) in point.x.iter().enumerate() {
        let xo = xo / cx[i];
        let mut terms: Vec<(usize, f64)> = refs.iter().enumerate().map(|(c, &j)| (1 + c, x[[j, i]] / cx[i])).collect();
        if input {
            terms.push((0, -xo));
            lp.le.push(Row { terms, rhs: 0.0 });
        } else {
            lp.le.push(Row { terms, rhs: xo });
        }
    }
    for (r, &yo) in point.y.iter().enumerate() {
        let yo = yo / cy[r];
        let mut terms: Vec<(usize, f64)> = refs.iter().enumerate().map(|(c, &j)| (1 + c, -y[[j, r]] / cy[r])).collect();
        if input {
            lp.le.push(Row { terms, rhs: -yo });
        } else {
            terms.push((0, yo));
            lp.le.push(Row { terms, rhs: 0.0 });
        }
    }
    if returns == Returns::Variable {
        lp.eq.push(Row { terms: (0..k).map(|c| (1 + c, 1.0)).collect(), rhs: 1.0 });
    }
    let initial: Vec<usize> = seed.iter().map(|c| 1 + c).collect();
    let (first, factor) = match lp.solve_priced(1..1 + k, &initial) {
        Outcome::Solved { x: solution, .. } => {
            let factor = solution[0];
            (solution[1..].to_vec(), factor)
        }
        Outcome::Infeasible => {
            return UnitEfficiency::unsolved(
                Status::Infeasible,
                "the envelopment LP is infeasible: no combination of the reference units reaches this unit".into(),
            )
        }
        Outcome::Unbounded => {
            return UnitEfficiency::unsolved(Status::Unbounded, "the envelopment LP is unbounded".into())
        }
        Outcome::Failed(why) => return UnitEfficiency::unsolved(Status::Failed(why.clone()), format!("solver: {why}")),
    };
    let positive = factor.is_finite() && factor > 0.0;
    if !positive {
        return UnitEfficiency::unsolved(
            Status::Unbounded,
            format!(
                "the optimal {} is {}: no finite positive efficiency",
                if input { "θ" } else { "φ" },
                crate::error::shown_number(factor)
            ),
        );
    }
    let mut note = None;
    let mut lambdas = first;
    let mut second: Option<(Vec<f64>, Vec<f64>)> = None;
    if slacks {
        // Phase two: variables [λ_1 … λ_k, s⁻_1 … s⁻_m, s⁺_1 … s⁺_s], the slacks in the scaled
        // units: each costs its scale, so the sum maximised is the sum in the data's units.
        let largest = cx.iter().chain(&cy).fold(0.0_f64, |a, &c| a.max(c));
        let mut lp = Lp::new(k + m + s);
        for (cost, c) in lp.cost[k..].iter_mut().zip(cx.iter().chain(&cy)) {
            *cost = -c / largest;
        }
        for (i, &xo) in point.x.iter().enumerate() {
            let xo = xo / cx[i];
            let mut terms: Vec<(usize, f64)> = refs.iter().enumerate().map(|(c, &j)| (c, x[[j, i]] / cx[i])).collect();
            terms.push((k + i, 1.0));
            let rhs = if input { factor * xo } else { xo };
            lp.eq.push(Row { terms, rhs });
        }
        for (r, &yo) in point.y.iter().enumerate() {
            let yo = yo / cy[r];
            let mut terms: Vec<(usize, f64)> = refs.iter().enumerate().map(|(c, &j)| (c, y[[j, r]] / cy[r])).collect();
            terms.push((k + m + r, -1.0));
            let rhs = if input { yo } else { factor * yo };
            lp.eq.push(Row { terms, rhs });
        }
        if returns == Returns::Variable {
            lp.eq.push(Row { terms: (0..k).map(|c| (c, 1.0)).collect(), rhs: 1.0 });
        }
        let mut initial: Vec<usize> = (0..k).filter(|&c| lambdas[c] > 0.0).collect();
        initial.extend(&seed);
        // The rows that hold θ* (input) or φ* (output), and their right-hand sides at it.
        let held: Vec<(usize, f64)> = if input {
            (0..m).map(|i| (i, lp.eq[i].rhs)).collect()
        } else {
            (m..m + s).map(|r| (r, lp.eq[r].rhs)).collect()
        };
        let mut last = None;
        for relax in PHASE_TWO_RELAX {
            for &(row, rhs) in &held {
                lp.eq[row].rhs = if input { rhs * (1.0 + relax) } else { rhs * (1.0 - relax) };
            }
            match lp.solve_priced(0..k, &initial) {
                Outcome::Solved { x: solution, .. } => {
                    lambdas = solution[..k].to_vec();
                    let s_in = solution[k..k + m].iter().zip(&cx).map(|(v, c)| v * c).collect();
                    let s_out = solution[k + m..].iter().zip(&cy).map(|(v, c)| v * c).collect();
                    second = Some((s_in, s_out));
                    last = None;
                    break;
                }
                other => last = Some(other),
            }
        }
        if let Some(other) = last {
            note = Some(format!("the second phase (slacks) did not solve ({other:?}): slacks from the first phase"));
        }
    }
    // Slacks from phase two, or the residuals of phase one.
    let (mut s_in, mut s_out) = second.unwrap_or_else(|| {
        let s_in = (0..m)
            .map(|i| {
                let used: f64 = refs.iter().zip(&lambdas).map(|(&j, l)| l * x[[j, i]]).sum();
                let level = if input { factor * point.x[i] } else { point.x[i] };
                (level - used).max(0.0)
            })
            .collect();
        let s_out = (0..s)
            .map(|r| {
                let made: f64 = refs.iter().zip(&lambdas).map(|(&j, l)| l * y[[j, r]]).sum();
                let level = if input { point.y[r] } else { factor * point.y[r] };
                (made - level).max(0.0)
            })
            .collect();
        (s_in, s_out)
    });
    for (v, scale) in s_in.iter_mut().zip(&point.x).chain(s_out.iter_mut().zip(&point.y)) {
        if *v <= tolerance * scale.abs().max(1.0) {
            *v = 0.0;
        }
    }
    let (score, expansion) = if input { (factor, None) } else { (1.0 / factor, Some(factor)) };
    let input_targets: Vec<f64> =
        point.x.iter().zip(&s_in).map(|(xi, si)| if input { factor * xi - si } else { xi - si }).collect();
    let output_targets: Vec<f64> =
        point.y.iter().zip(&s_out).map(|(yr, sr)| if input { yr + sr } else { factor * yr + sr }).collect();
    let efficient = (score - 1.0).abs() <= tolerance && s_in.iter().chain(&s_out).all(|v| *v == 0.0);
    UnitEfficiency {
        score: Some(score),
        expansion,
        status: Status::Optimal,
        efficient: Some(efficient),
        lambdas: refs.iter().zip(&lambdas).filter(|(_, l)| **l > tolerance).map(|(&j, &l)| (j, l)).collect(),
        input_slacks: s_in,
        output_slacks: s_out,
        input_targets,
        output_targets,
        scale_efficiency: None,
        returns_to_scale: None,
        note,
    }
}

/// The scales the variables (columns of `a`) are divided by in the LPs, one per column: the
/// mean magnitude of its values over the units `rows` and the evaluated `point`'s value, or 1
/// when they are all 0. Every DEA model here (radial, SBM, super-SBM) scales by it.
pub(crate) fn variable_scales(a: ArrayView2<'_, f64>, rows: &[usize], point: &[f64]) -> Vec<f64> {
    point
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let sum = rows.iter().fold(p.abs(), |sum, &j| sum + a[[j, i]].abs());
            let mean = sum / (rows.len() + 1) as f64;
            if mean > 0.0 && mean.is_finite() {
                mean
            } else {
                1.0
            }
        })
        .collect()
}

/// How many units of highest overall productivity start a column generation.
const SEED_BY_PRODUCTIVITY: usize = 48;

/// The reference units (positions in `refs`) a column generation starts from
/// ([`super::lp::Lp::solve_priced`]): the evaluated point itself when it is one of them (so that
/// the restricted LP is feasible under variable returns), the units of highest overall
/// productivity Σ_r y_r/c_r ÷ Σ_i x_i/c_i (variables divided by their scales), and for each
/// input and output the unit of highest y_r/x_i — units of the frontier, or near it, for most
/// data. Which units start changes the work, not the optimum.
pub(crate) fn seed_references(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    refs: &[usize],
    point: &Point,
    cx: &[f64],
    cy: &[f64],
) -> Vec<usize> {
    let (m, s) = (cx.len(), cy.len());
    let mut seed: Vec<usize> = refs
        .iter()
        .enumerate()
        .filter(|&(_, &j)| (0..m).all(|i| x[[j, i]] == point.x[i]) && (0..s).all(|r| y[[j, r]] == point.y[r]))
        .map(|(c, _)| c)
        .collect();
    let productivity = |j: usize| {
        let made: f64 = (0..s).map(|r| y[[j, r]] / cy[r]).sum();
        let used: f64 = (0..m).map(|i| x[[j, i]] / cx[i]).sum();
        if used > 0.0 {
            made / used
        } else {
            f64::INFINITY
        }
    };
    let mut order: Vec<(f64, usize)> = refs.iter().enumerate().map(|(c, &j)| (productivity(j), c)).collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    seed.extend(order.iter().take(SEED_BY_PRODUCTIVITY).map(|&(_, c)| c));
    for i in 0..m {
        for r in 0..s {
            let best = refs
                .iter()
                .enumerate()
                .filter(|&(_, &j)| x[[j, i]] > 0.0)
                .map(|(c, &j)| (y[[j, r]] / x[[j, i]], c))
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
            seed.extend(best.map(|(_, c)| c));
        }
    }
    seed.sort_unstable();
    seed.dedup();
    seed
}
