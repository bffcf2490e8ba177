//! The slacks-based measure (Tone 2001), by the Charnes–Cooper transformation.
//!
//! ρ = (1 − (1/m) Σ s⁻_i / x_io) / (1 + (1/s) Σ s⁺_r / y_ro) over x_o = Xλ + s⁻, y_o = Yλ − s⁺,
//! λ, s⁻, s⁺ ≥ 0. With t = 1 / (1 + (1/s) Σ s⁺_r / y_ro), Λ = tλ, S⁻ = ts⁻, S⁺ = ts⁺ it is the LP
//! min t − (1/m) Σ S⁻_i / x_io  s.t.  t + (1/s) Σ S⁺_r / y_ro = 1,  XΛ + S⁻ − t x_o = 0,
//! YΛ − S⁺ − t y_o = 0,  t, Λ, S⁻, S⁺ ≥ 0 (variable returns: ΣΛ = t); then λ = Λ/t, s = S/t.
//! Input orientation drops the output term (ρ = 1 − (1/m) Σ s⁻/x); output orientation drops the
//! input term (ρ = 1 / (1 + (1/s) Σ s⁺/y)). Targets: x_o − s⁻ and y_o + s⁺.
//!
//! Undesirable outputs (Tone 2003, GRIPS Research Report I-2003-0005): a bad output b is made
//! no larger than observed, y^b_o = Y^b λ + s^b, its slack a reduction; it counts in the output
//! term like a good one, ρ = (1 − (1/m) Σ s⁻/x) / (1 + (1/(s₁ + s₂)) (Σ s^g/y^g + Σ s^b/y^b)),
//! and its target is y^b_o − s^b. In the transformed LP its row is Y^b Λ + S^b − t y^b_o = 0.

use super::lp::{Lp, Outcome, Row};
use super::radial::{seed_references, variable_scales};
use super::{Orientation, Point, Returns, Status, UnitEfficiency};
use crate::kernels::ArrayView2;

/// Unit `o`'s SBM against every unit (inputs and outputs are > 0: `validate` checks); `bad`
/// flags the undesirable outputs (one flag per column of `y`).
pub(crate) fn solve(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    bad: &[bool],
    o: usize,
    returns: Returns,
    orientation: Orientation,
    tolerance: f64,
) -> UnitEfficiency {
    let (n, m) = x.dim();
    let s = y.ncols();
    // Each variable divided by its mean over the units and the unit (see
    // `radial::variable_scales`): ρ, t and Λ do not change; the slacks are scaled back below.
    let refs: Vec<usize> = (0..n).collect();
    let x_raw: Vec<f64> = x.row(o).to_vec();
    let y_raw: Vec<f64> = y.row(o).to_vec();
    let cx = variable_scales(x, &refs, &x_raw);
    let cy = variable_scales(y, &refs, &y_raw);
    let xo: Vec<f64> = x_raw.iter().zip(&cx).map(|(v, c)| v / c).collect();
    let yo: Vec<f64> = y_raw.iter().zip(&cy).map(|(v, c)| v / c).collect();
    // Variables: [t, Λ_1 … Λ_n, S⁻_1 … S⁻_m, S⁺_1 … S⁺_s].
    let (lam, sin, sout) = (1, 1 + n, 1 + n + m);
    let mut lp = Lp::new(1 + n + m + s);
    lp.cost[0] = 1.0;
    if orientation != Orientation::Output {
        for (i, &v) in xo.iter().enumerate() {
            lp.cost[sin + i] = -1.0 / (m as f64 * v);
        }
    }
    let mut norm = vec![(0, 1.0)];
    if orientation != Orientation::Input {
        norm.extend(yo.iter().enumerate().map(|(r, &v)| (sout + r, 1.0 / (s as f64 * v))));
    }
    lp.eq.push(Row { terms: norm, rhs: 1.0 });
    for (i, &v) in xo.iter().enumerate() {
        let mut terms: Vec<(usize, f64)> = (0..n).map(|j| (lam + j, x[[j, i]] / cx[i])).collect();
        terms.push((sin + i, 1.0));
        terms.push((0, -v));
        lp.eq.push(Row { terms, rhs: 0.0 });
    }
    for (r, &v) in yo.iter().enumerate() {
        let mut terms: Vec<(usize, f64)> = (0..n).map(|j| (lam + j, y[[j, r]] / cy[r])).collect();
        terms.push((sout + r, if bad[r] { 1.0 } else { -1.0 }));
        terms.push((0, -v));
        lp.eq.push(Row { terms, rhs: 0.0 });
    }
    if returns == Returns::Variable {
        let mut terms: Vec<(usize, f64)> = (0..n).map(|j| (lam + j, 1.0)).collect();
        terms.push((0, -1.0));
        lp.eq.push(Row { terms, rhs: 0.0 });
    }
    let point = Point { x: x_raw.clone(), y: y_raw.clone() };
    let initial: Vec<usize> = seed_references(x, y, &refs, &point, &cx, &cy).iter().map(|c| lam + c).collect();
    let (solution, rho) = match lp.solve_priced(lam..lam + n, &initial) {
        Outcome::Solved { x, objective } => (x, objective),
        Outcome::Infeasible => return UnitEfficiency::unsolved(Status::Infeasible, "the SBM LP is infeasible".into()),
        Outcome::Unbounded => return UnitEfficiency::unsolved(Status::Unbounded, "the SBM LP is unbounded".into()),
        Outcome::Failed(why) => return UnitEfficiency::unsolved(Status::Failed(why.clone()), format!("solver: {why}")),
    };
    let t = solution[0];
    let positive = t.is_finite() && t > 0.0;
    if !positive {
        return UnitEfficiency::unsolved(Status::Failed(format!("t = {t}")), format!("the SBM LP gave t = {t}"));
    }
    // A slack in the data's units, 0 at or below the tolerance relative to max(|value|, 1).
    let clean = |v: f64, c: f64, value: f64| {
        let v = v / t * c;
        if v <= tolerance * value.abs().max(1.0) {
            0.0
        } else {
            v
        }
    };
    let s_in: Vec<f64> = (0..m).map(|i| clean(solution[sin + i], cx[i], x_raw[i])).collect();
    let s_out: Vec<f64> = (0..s).map(|r| clean(solution[sout + r], cy[r], y_raw[r])).collect();
    let lambdas: Vec<(usize, f64)> =
        (0..n).map(|j| (j, solution[lam + j] / t)).filter(|(_, l)| *l > tolerance).collect();
    let score = rho.clamp(0.0, 1.0);
    let efficient = (score - 1.0).abs() <= tolerance && s_in.iter().chain(&s_out).all(|v| *v == 0.0);
    UnitEfficiency {
        score: Some(score),
        expansion: None,
        status: Status::Optimal,
        efficient: Some(efficient),
        lambdas,
        input_targets: x_raw.iter().zip(&s_in).map(|(x, s)| x - s).collect(),
        output_targets: y_raw.iter().zip(&s_out).zip(bad).map(|((y, s), b)| if *b { y - s } else { y + s }).collect(),
        input_slacks: s_in,
        output_slacks: s_out,
        scale_efficiency: None,
        returns_to_scale: None,
        note: None,
    }
}
