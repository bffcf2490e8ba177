//! The slacks-based measure of super-efficiency (Tone 2002, "A slacks-based measure of
//! super-efficiency in data envelopment analysis", European Journal of Operational Research
//! 143, 32–41), for the units that SBM finds efficient.
//!
//! Unit o leaves the reference set and is compared with the nearest point (x̄, ȳ) of the others'
//! technology that is no better than itself (x̄ ≥ x_o, ȳ ≤ y_o):
//! δ = ((1/m) Σ x̄_i / x_io) / ((1/s) Σ ȳ_r / y_ro) over x̄ ≥ Σ_{j≠o} λ_j x_j, ȳ ≤ Σ_{j≠o} λ_j y_j,
//! x̄ ≥ x_o, 0 ≤ ȳ ≤ y_o, λ ≥ 0 (variable returns: Σλ = 1); δ ≥ 1. With
//! t = 1 / ((1/s) Σ ȳ_r / y_ro), X = t x̄, Y = t ȳ and Λ = tλ it is the LP
//! min (1/m) Σ X_i / x_io  s.t.  (1/s) Σ Y_r / y_ro = 1,  Σ Λ_j x_j ≤ X,  Y ≤ Σ Λ_j y_j,
//! t x_o ≤ X,  Y ≤ t y_o,  t, Λ, X, Y ≥ 0 (variable returns: ΣΛ = t).
//! Input orientation keeps ȳ = y_o (t = 1, Y = y_o): δ = (1/m) Σ x̄_i / x_io. Output orientation
//! keeps x̄ = x_o (X = t x_o) and minimises t: δ = 1 / ((1/s) Σ ȳ_r / y_ro).
//!
//! Tone's super-slacks — how far the inputs rise, x̄ − x_o, and the outputs fall, y_o − ȳ — are
//! the unit's slacks, and (x̄, ȳ) its targets; λ are the others' weights in that point.
//!
//! Undesirable outputs (the super-SBM with undesirable outputs of Li, Fang, Yang, Wang & Hong
//! 2013, "Regional environmental efficiency evaluation in China: analysis based on the Super-SBM
//! model with undesirable outputs", Mathematical and Computer Modelling 58, 1018–1031, which joins
//! Tone 2002 and Tone 2003): a bad output b of the point is no better than the unit's and than the
//! others' combination, b̄ ≥ b_o and b̄ ≥ Σ_{j≠o} λ_j b_j, and counts in the denominator as its
//! slack form 1 − (1/(s₁ + s₂)) (Σ s^g/y^g + Σ s^b/b) with ȳ = y_o − s^g, b̄ = b_o + s^b:
//! δ = ((1/m) Σ x̄_i / x_io) / ((1/(s₁ + s₂)) (Σ_good ȳ_r / y_ro + Σ_bad (2 − b̄_r / b_ro))).
//! In the LP (B = t b̄) its rows are Σ Λ_j b_j ≤ B and t b_o ≤ B, and the normalisation gains
//! (2t − B_r / b_ro) / (s₁ + s₂). Without bad outputs it is Tone 2002's model above; the input
//! orientation keeps b̄ = b_o like ȳ = y_o. A bad output's slack is its rise b̄ − b_o.

use super::lp::{Lp, Outcome, Row};
use super::radial::variable_scales;
use super::{Orientation, Returns, Status, UnitEfficiency};
use crate::kernels::ArrayView2;

/// Unit `o`'s super-efficiency against every other unit (inputs and outputs are > 0:
/// `validate` checks for SBM); `bad` flags the undesirable outputs (one flag per column of `y`).
/// An LP without a solution (possible under variable returns when an orientation fixes one
/// side) gives no score and says why.
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
    let refs: Vec<usize> = (0..n).filter(|&j| j != o).collect();
    let k = refs.len();
    // Each variable divided by its mean over the other units and the unit
    // (`radial::variable_scales`): δ, t and Λ do not change; x̄ and ȳ are scaled back below.
    let x_raw: Vec<f64> = x.row(o).to_vec();
    let y_raw: Vec<f64> = y.row(o).to_vec();
    let cx = variable_scales(x, &refs, &x_raw);
    let cy = variable_scales(y, &refs, &y_raw);
    let xo: Vec<f64> = x_raw.iter().zip(&cx).map(|(v, c)| v / c).collect();
    let yo: Vec<f64> = y_raw.iter().zip(&cy).map(|(v, c)| v / c).collect();
    // Variables: [t, Λ_1 … Λ_k (the other units), X_1 … X_m, Y_1 … Y_s].
    let (lam, xs, ys) = (1, 1 + k, 1 + k + m);
    let mut lp = Lp::new(1 + k + m + s);
    match orientation {
        Orientation::Output => lp.cost[0] = 1.0,
        Orientation::Input | Orientation::NonOriented => {
            for (i, &v) in xo.iter().enumerate() {
                lp.cost[xs + i] = 1.0 / (m as f64 * v);
            }
        }
    }
    match orientation {
        Orientation::Input => {
            lp.eq.push(Row { terms: vec![(0, 1.0)], rhs: 1.0 });
            for (r, &v) in yo.iter().enumerate() {
                lp.eq.push(Row { terms: vec![(ys + r, 1.0)], rhs: v });
            }
        }
        Orientation::Output | Orientation::NonOriented => {
            // (1/s) Σ_good Y_r / y_ro + (1/s) Σ_bad (2t − B_r / b_ro) = 1.
            let share = 1.0 / s as f64;
            let mut norm: Vec<(usize, f64)> = yo
                .iter()
                .zip(bad)
                .enumerate()
                .map(|(r, (&v, &b))| (ys + r, if b { -share / v } else { share / v }))
                .collect();
            let bads = bad.iter().filter(|b| **b).count();
            if bads > 0 {
                norm.push((0, 2.0 * share * bads as f64));
            }
            lp.eq.push(Row { terms: norm, rhs: 1.0 });
        }
    }
    if orientation == Orientation::Output {
        for (i, &v) in xo.iter().enumerate() {
            lp.eq.push(Row { terms: vec![(xs + i, 1.0), (0, -v)], rhs: 0.0 });
        }
    }
    for (i, &v) in xo.iter().enumerate() {
        let mut terms: Vec<(usize, f64)> =
            refs.iter().enumerate().map(|(c, &j)| (lam + c, x[[j, i]] / cx[i])).collect();
        terms.push((xs + i, -1.0));
        lp.le.push(Row { terms, rhs: 0.0 });
        lp.le.push(Row { terms: vec![(0, v), (xs + i, -1.0)], rhs: 0.0 });
    }
    for (r, &v) in yo.iter().enumerate() {
        // A good output: Y ≤ Σ Λ y and Y ≤ t y_o; a bad one the other way round.
        let sign = if bad[r] { -1.0 } else { 1.0 };
        let mut terms: Vec<(usize, f64)> =
            refs.iter().enumerate().map(|(c, &j)| (lam + c, -sign * y[[j, r]] / cy[r])).collect();
        terms.push((ys + r, sign));
        lp.le.push(Row { terms, rhs: 0.0 });
        lp.le.push(Row { terms: vec![(ys + r, sign), (0, -sign * v)], rhs: 0.0 });
    }
    if returns == Returns::Variable {
        let mut terms: Vec<(usize, f64)> = (0..k).map(|c| (lam + c, 1.0)).collect();
        terms.push((0, -1.0));
        lp.eq.push(Row { terms, rhs: 0.0 });
    }
    let (solution, delta) = match lp.solve() {
        Outcome::Solved { x, objective } => (x, objective),
        Outcome::Infeasible => {
            return UnitEfficiency::unsolved(
                Status::Infeasible,
                "the super-efficiency SBM LP is infeasible: no point of the other units' technology is within reach"
                    .into(),
            )
        }
        Outcome::Unbounded => {
            return UnitEfficiency::unsolved(Status::Unbounded, "the super-efficiency SBM LP is unbounded".into())
        }
        Outcome::Failed(why) => return UnitEfficiency::unsolved(Status::Failed(why.clone()), format!("solver: {why}")),
    };
    let t = solution[0];
    let positive = t.is_finite() && t > 0.0;
    if !positive {
        return UnitEfficiency::unsolved(
            Status::Failed(format!("t = {t}")),
            format!("the super-efficiency SBM LP gave t = {t}"),
        );
    }
    // The point (x̄, ȳ) in the data's units, never better than the unit itself.
    let x_bar: Vec<f64> = (0..m).map(|i| (solution[xs + i] / t * cx[i]).max(x_raw[i])).collect();
    let y_bar: Vec<f64> = (0..s)
        .map(|r| {
            let v = solution[ys + r] / t * cy[r];
            if bad[r] {
                v.max(y_raw[r])
            } else {
                v.min(y_raw[r])
            }
        })
        .collect();
    let clean = |v: f64, value: f64| if v <= tolerance * value.abs().max(1.0) { 0.0 } else { v };
    let lambdas: Vec<(usize, f64)> =
        refs.iter().enumerate().map(|(c, &j)| (j, solution[lam + c] / t)).filter(|(_, l)| *l > tolerance).collect();
    UnitEfficiency {
        score: Some(delta.max(1.0)),
        expansion: None,
        status: Status::Optimal,
        efficient: Some(true),
        lambdas,
        input_slacks: x_bar.iter().zip(&x_raw).map(|(b, v)| clean(b - v, *v)).collect(),
        output_slacks: y_bar
            .iter()
            .zip(&y_raw)
            .zip(bad)
            .map(|((b, v), &worse)| clean(if worse { b - v } else { v - b }, *v))
            .collect(),
        input_targets: x_bar,
        output_targets: y_bar,
        scale_efficiency: None,
        returns_to_scale: None,
        note: None,
    }
}
