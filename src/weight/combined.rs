//! Combined weights (组合赋权): several weight vectors over the same columns, typically a
//! subjective one (AHP, expert) and an objective one (entropy, CRITIC), merged into one
//! (METHODS.md §4).
//!
//! # Formula
//! ```text
//! linear:          w = α w_1 + (1 − α) w_2,          α ∈ [0, 1]   (w_1 = subjective w_s)
//! multiplicative:  w_j = Π_k w_kj / Σ_l Π_k w_kl
//! game_theory:     Σ_k α_k (w_l · w_k) = w_l · w_l    for l = 1..K  (K × K linear system)
//!                  α*_k = |α_k| / Σ_k |α_k|,   w = Σ_k α*_k w_k
//! ```
//! Each input set is first scaled to sum 1 (they are weight vectors; scaling removes rounding
//! in hand-written sets), so every result sums to 1.
//!
//! Game theory: the system is the first-order condition of
//! min_α Σ_l ‖Σ_k α_k w_k − w_l‖², solved by Gaussian elimination with partial pivoting. Its
//! matrix (the Gram matrix of the sets) is singular exactly when the sets are linearly
//! dependent. Sets that are identical (within 1e-12) are merged first, so identical sets
//! return that set; other dependent sets (e.g. one the average of two others) are an error
//! asking to drop one, because the combination coefficients are then not unique.
//!
//! # References
//! Ma, Fan & Huang (1999), European Journal of Operational Research 112(2):397–404 (combining
//! subjective and objective weights). The game-theory rule (博弈论组合赋权) is stated as it is
//! used in Chinese evaluation practice; the least-squares problem above is its definition.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::kernels::{self, linalg, stats};
use crate::names::Naming;

/// Sets equal within this (largest absolute difference) are merged in game theory.
const SAME_SET_TOL: f64 = 1e-12;

/// How weight sets are combined.
///
/// Named by [`Combination::NAMES`] (`"game_theory".parse::<Combination>()`; `linear`, which
/// needs `alpha`, is refused; `Display` writes the name) and written as a table in run specs,
/// `{ rule = "linear", alpha = 0.5 }`; an unknown name is answered with the closest known
/// one ([`crate::names`]).
// `remote = "Self"`: serde derives the variants into inherent functions, which the
// `Serialize` and `Deserialize` impls of `named_method!` call after checking the name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum Combination {
    /// w = α w_1 + (1 − α) w_2: exactly two sets, α ∈ [0, 1] on the first.
    Linear {
        /// α, the weight of the first set, in [0, 1]; the second set gets 1 − α.
        alpha: f64,
    },
    /// w ∝ the element-wise product of the sets.
    Multiplicative,
    /// Game-theory (博弈论) combination: the mix closest to every set in the least-squares
    /// sense.
    GameTheory,
}

crate::names::named_method!(
    Combination,
    Naming {
        kind: "combination rule",
        tag: Some("rule"),
        names: Combination::NAMES,
        parameterised: &[("linear", r#"{ rule = "linear", alpha = 0.5 }"#)],
    }
);

impl Combination {
    /// Every rule name, one per variant, for help texts and error messages. All but `linear`
    /// (see [`Combination::NEEDS_PARAMETERS`]) parse alone.
    pub const NAMES: &'static [&'static str] = &["linear", "multiplicative", "game_theory"];

    /// The names of [`Combination::NAMES`] that need parameters without defaults and so do
    /// not parse alone: `linear` needs the weight `alpha` of the first set.
    pub const NEEDS_PARAMETERS: &'static [&'static str] = &["linear"];

    /// The rule's snake_case name.
    pub fn name(&self) -> &'static str {
        match self {
            Combination::Linear { .. } => "linear",
            Combination::Multiplicative => "multiplicative",
            Combination::GameTheory => "game_theory",
        }
    }
}

/// Combines the weight vectors `sets` (each over the same columns) by `how`.
///
/// # Errors
/// [`Error::Spec`] if there is no set, the sets differ in length or are empty, an entry is
/// negative or not finite, a set sums to 0, `linear` is not given exactly two sets or α is
/// outside [0, 1]. [`Error::Method`] if the multiplicative product is 0 in every column (the
/// sets put weight on disjoint columns), or the game-theory sets are linearly dependent
/// without being identical.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::weight::{combine, Combination};
/// let sets = vec![vec![0.6, 0.4], vec![0.2, 0.8]];
/// let w = combine(&sets, &Combination::Linear { alpha: 0.25 })?;
/// assert!((w[0] - 0.3).abs() < 1e-12);
/// // Game theory, by hand: α = (0.34, 0.78), α* = (17/56, 39/56), w = (9/28, 19/28).
/// let w = combine(&sets, &Combination::GameTheory)?;
/// assert!((w[0] - 9.0 / 28.0).abs() < 1e-12);
/// # Ok(()) }
/// ```
pub fn combine(sets: &[Vec<f64>], how: &Combination) -> Result<Vec<f64>> {
    let sets = check_sets(sets)?;
    match how {
        Combination::Linear { alpha } => linear(&sets, *alpha),
        Combination::Multiplicative => multiplicative(&sets),
        Combination::GameTheory => game_theory(&sets),
    }
}

/// Checks the sets and scales each to sum 1.
fn check_sets(sets: &[Vec<f64>]) -> Result<Vec<Vec<f64>>> {
    let Some(first) = sets.first() else {
        return Err(Error::Spec("combined: no weight sets to combine".into()));
    };
    let n = first.len();
    if n == 0 {
        return Err(Error::Spec("combined: the weight sets are empty".into()));
    }
    let mut scaled = Vec::with_capacity(sets.len());
    for (k, set) in sets.iter().enumerate() {
        if set.len() != n {
            return Err(Error::Spec(format!(
                "combined: weight set {} has {} weights, set 1 has {n}",
                k + 1,
                set.len()
            )));
        }
        if let Some(bad) = set.iter().find(|w| !(w.is_finite() && **w >= 0.0)) {
            return Err(Error::Spec(format!(
                "combined: weight set {} holds {bad}; weights must be finite and >= 0",
                k + 1
            )));
        }
        let total = stats::sum(set.iter().copied());
        if total <= 0.0 {
            return Err(Error::Spec(format!("combined: weight set {} is all zeros", k + 1)));
        }
        scaled.push(set.iter().map(|w| w / total).collect());
    }
    Ok(scaled)
}

fn linear(sets: &[Vec<f64>], alpha: f64) -> Result<Vec<f64>> {
    let [first, second] = sets else {
        return Err(Error::Spec(format!(
            "combined: linear combination takes exactly two weight sets (subjective, \
             objective), got {}",
            sets.len()
        )));
    };
    if !(0.0..=1.0).contains(&alpha) {
        return Err(Error::Spec(format!("combined: linear alpha = {alpha} must be in [0, 1]")));
    }
    Ok(first.iter().zip(second).map(|(a, b)| alpha * a + (1.0 - alpha) * b).collect())
}

fn multiplicative(sets: &[Vec<f64>]) -> Result<Vec<f64>> {
    let n = sets[0].len();
    let products: Vec<f64> = (0..n).map(|j| sets.iter().map(|set| set[j]).product::<f64>()).collect();
    let total = stats::sum(products.iter().copied());
    if total <= 0.0 {
        return Err(Error::method(
            "combined",
            None,
            "multiplicative: the product of the weight sets is 0 in every column (each column \
             has weight 0 in some set); use linear or game_theory",
        ));
    }
    Ok(products.into_iter().map(|p| p / total).collect())
}

fn game_theory(sets: &[Vec<f64>]) -> Result<Vec<f64>> {
    let mut unique: Vec<&Vec<f64>> = Vec::with_capacity(sets.len());
    for set in sets {
        let seen = unique.iter().any(|u| u.iter().zip(set).all(|(a, b)| (a - b).abs() <= SAME_SET_TOL));
        if !seen {
            unique.push(set);
        }
    }
    if let [only] = unique.as_slice() {
        return Ok((*only).clone());
    }
    let k = unique.len();
    fn dot(a: &[f64], b: &[f64]) -> f64 {
        stats::sum(a.iter().zip(b).map(|(x, y)| x * y))
    }
    let mut gram = kernels::missing(k, k);
    for (l, wl) in unique.iter().enumerate() {
        for (c, wc) in unique.iter().enumerate() {
            gram[[l, c]] = dot(wl, wc);
        }
    }
    let rhs: Vec<f64> = (0..k).map(|l| gram[[l, l]]).collect();
    let alpha = linalg::solve(gram.view(), &rhs).ok_or_else(|| {
        Error::method(
            "combined",
            None,
            format!(
                "game_theory: the {k} weight sets are linearly dependent (one is a mix of the \
                 others), so the combination coefficients are not unique; drop the redundant set"
            ),
        )
    })?;
    let total = stats::sum(alpha.iter().map(|a| a.abs()));
    let n = sets[0].len();
    Ok((0..n).map(|j| stats::sum(unique.iter().zip(&alpha).map(|(w, a)| a.abs() / total * w[j]))).collect())
}
