//! `vikor`: compromise ranking by group utility S, individual regret R and their blend Q
//! (METHODS.md §5). Lower is better for all three.
//!
//! # Formula
//! ```text
//! o_ij  = o(x_ij)                                  oriented value, higher is better
//! f*_j  = max_i o_ij,   f−_j = min_i o_ij          best and worst of column j
//! d_ij  = w_j (f*_j − o_ij) / (f*_j − f−_j)        0 when f*_j = f−_j (constant column)
//! S_i   = Σ_j d_ij,     R_i = max_j d_ij
//! Q_i   = v (S_i − S*)/(S− − S*) + (1 − v)(R_i − R*)/(R− − R*)
//! S* = min_i S_i, S− = max_i S_i, R* = min_i R_i, R− = max_i R_i
//! ```
//! o(x) = x (higher), −x (lower), minus the distance to the best interval (band, target): for
//! higher and lower columns this is the textbook f* = max / min of the raw values, and
//! (f* − f)/(f* − f−) is unchanged. v weighs the "majority rule" (S) against the "veto" (R);
//! v = 0.5 by default (consensus), as in pymcdm 1.4.0.
//!
//! Lower Q is better: rank 1 goes to the lowest Q ([`VikorResult::ranks`]). Q is the column
//! that ranks; S and R are reported beside it for Opricovic's acceptability conditions.
//!
//! Edge cases:
//! - a constant column contributes 0 to S and R;
//! - S− = S* (every unit has the same S) → the S term of Q is 0; likewise for R. So one unit
//!   (m = 1) or an all-constant matrix gives S = R = Q = 0 for every unit, never `NaN`;
//! - the weights are used as given in S and R (they sum to 1 in a run); Q does not change when
//!   they are all scaled by the same factor. Each must be finite and ≥ 0, with a positive sum.
//!
//! # Errors
//! - [`Error::Method`] naming the unit and column of a missing (`NaN`) or infinite cell (impute
//!   first);
//! - [`Error::Spec`] if v is not in [0, 1], or the weights or directions do not fit the
//!   columns, or a weight is negative or not finite, or the weights sum to 0.
//!
//! # References
//! Opricovic (1998), Multicriteria optimization of civil engineering systems, Faculty of Civil
//! Engineering, Belgrade; Opricovic & Tzeng (2004), EJOR 156(2):445–455;
//! Yang & Wu (2020), IEEE Access 8:21261–21271 (the 5 × 4 example of pymcdm's tests).

use super::topsis::check_decision_matrix;
use super::Labels;
use crate::direction::orient;
use crate::direction::Direction;
use crate::error::{Error, Result};
use crate::kernels::rank::rank_best_first;
use crate::kernels::{columns, scale, stats, ArrayView2};

/// Group utility S, individual regret R and compromise index Q of each unit (row); lower is
/// better for all three, and Q ranks.
#[derive(Debug, Clone, PartialEq)]
pub struct VikorResult {
    /// S_i = Σ_j w_j (f*_j − f_ij)/(f*_j − f−_j).
    pub s: Vec<f64>,
    /// R_i = max_j w_j (f*_j − f_ij)/(f*_j − f−_j).
    pub r: Vec<f64>,
    /// Q_i, in [0, 1]; 0 for the best compromise.
    pub q: Vec<f64>,
}

impl VikorResult {
    /// Competition ranks by Q, 1 = the lowest Q (best); ties share the lowest rank number.
    pub fn ranks(&self) -> Vec<u32> {
        let negated: Vec<f64> = self.q.iter().map(|q| -q).collect();
        rank_best_first(&negated)
    }
}

/// VIKOR S, R and Q of each row of the decision matrix `x` (rows = units, columns =
/// indicators), with weight `v` of the group utility in Q.
///
/// See the module documentation for the formula and the edge cases.
///
/// # Errors
/// [`Error::Method`] naming the unit and column of a missing or infinite cell; [`Error::Spec`]
/// for v outside [0, 1] or weights or directions that do not fit the columns.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::aggregate::{vikor, Labels};
/// use citycheck::direction::Direction;
/// use citycheck::kernels::array;
/// // pymcdm 1.4.0 test (Opricovic & Tzeng 2004): Q = [1, 0, 1]
/// let x = array![[1.0, 3000.0], [2.0, 3750.0], [5.0, 4500.0]];
/// let labels = Labels { rows: &[], columns: &[], year: None };
/// let res = vikor(x.view(), &[0.5, 0.5], &[Direction::Lower, Direction::Higher], 0.5, labels)?;
/// assert_eq!(res.q, vec![1.0, 0.0, 1.0]);
/// assert_eq!(res.ranks(), vec![2, 1, 2]);
/// # Ok(()) }
/// ```
pub fn vikor(
    x: ArrayView2<'_, f64>,
    w: &[f64],
    directions: &[Direction],
    v: f64,
    labels: Labels<'_>,
) -> Result<VikorResult> {
    const METHOD: &str = "vikor";
    if !(0.0..=1.0).contains(&v) {
        return Err(Error::Spec(format!("{METHOD}: v = {v} must be in [0, 1] (0.5 by default)")));
    }
    check_decision_matrix(METHOD, x, w, directions, labels)?;
    let m = x.nrows();
    let mut s = vec![0.0; m];
    let mut r = vec![0.0; m];
    let mut oriented = vec![0.0; m];
    for (j, col) in columns(x).enumerate() {
        for (o, &xij) in oriented.iter_mut().zip(col.iter()) {
            *o = orient(directions[j], xij);
        }
        let Some((worst, best)) = stats::min_max(&oriented) else {
            continue; // no rows
        };
        let wj = w[j];
        if wj == 0.0 || best == worst {
            continue;
        }
        for (i, &o) in oriented.iter().enumerate() {
            let d = wj * (best - o) / (best - worst);
            s[i] += d;
            r[i] = f64::max(r[i], d);
        }
    }
    let s_term = spread(&s);
    let r_term = spread(&r);
    let q = s_term.iter().zip(&r_term).map(|(&ds, &dr)| v * ds + (1.0 - v) * dr).collect();
    Ok(VikorResult { s, r, q })
}

/// (y_i − min y)/(max y − min y), or 0 for every unit when all y are equal.
fn spread(y: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; y.len()];
    // All equal: every cell 0, a NaN one too (the kernel would keep it NaN).
    if !scale::oriented_min_max(Direction::Higher, y, &mut out, 0.0) {
        out.fill(0.0);
    }
    out
}
