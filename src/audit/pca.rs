//! Principal components of each group's members on one year's normalised values: the
//! eigen-decomposition of their correlation matrix, the share of the first component and the
//! loadings.
//!
//! # Formula
//! ```text
//! R = Pearson correlation matrix of the p members that vary, over the units with every
//!     member present (listwise: a positive semi-definite R)
//! R v_k = λ_k v_k,  λ_1 ≥ … ≥ λ_p,  |v_k| = 1          (kernels::linalg::symmetric_eigen)
//! share_k = λ_k / p                                      (trace R = p)
//! a_jk = v_jk √λ_k                                       (loading of member j on component k)
//! ```
//! A first component that carries most of the variance (share ≥ 0.6 by default) says the
//! members measure one latent dimension, which is what aggregating them into one score assumes.
//! Each eigenvector's sign is the solver convention's (its largest component positive), so the
//! loadings of a coherent group's first component are positive. An eigenvalue below zero by
//! rounding (−1e-16) is reported as 0.
//!
//! # Edge cases
//! A member constant on the complete units has no correlation: it is left out, with a note. No
//! components (empty, with a note) when fewer than 2 members vary or fewer than 3 units have
//! every member present.
//!
//! # References
//! OECD & JRC (2008), *Handbook on Constructing Composite Indicators*, §4.1 (principal
//! components analysis); Jolliffe (2002), *Principal Component Analysis*, 2nd ed., Springer.

use super::correlation::MIN_PAIRS;
use crate::kernels::{from_columns, linalg};

/// The principal components of one group in one year.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Components {
    /// The members analysed (those that vary), as positions among the group's members.
    pub used: Vec<usize>,
    /// λ_1 ≥ … ≥ λ_p (at least 0); empty when there are no components.
    pub eigenvalues: Vec<f64>,
    /// `loadings[k][j]`: the loading of member `used[j]` on component k + 1.
    pub loadings: Vec<Vec<f64>>,
    /// Why members were left out or there are no components.
    pub notes: Vec<String>,
}

impl Components {
    /// λ_1 / p, the share of the first component; `None` without components.
    pub fn first_share(&self) -> Option<f64> {
        self.eigenvalues.first().map(|l| l / self.used.len() as f64)
    }
}

/// The principal components of the member columns (`names` for the notes).
pub(super) fn components(members: &[&[f64]], names: &[&str]) -> Components {
    let rows = members.first().map_or(0, |c| c.len());
    let complete: Vec<usize> = (0..rows).filter(|&r| members.iter().all(|c| !c[r].is_nan())).collect();
    let mut out = Components { used: Vec::new(), eigenvalues: Vec::new(), loadings: Vec::new(), notes: Vec::new() };
    if complete.len() < MIN_PAIRS {
        out.notes.push(format!(
            "principal components: {} unit(s) with every member present, at least {MIN_PAIRS} needed",
            complete.len()
        ));
        return out;
    }
    for (j, column) in members.iter().enumerate() {
        let first = column[complete[0]];
        if complete.iter().all(|&r| column[r] == first) {
            out.notes.push(format!("principal components: '{}' is constant and left out", names[j]));
        } else {
            out.used.push(j);
        }
    }
    let p = out.used.len();
    if p < 2 {
        out.notes.push(format!("principal components: {p} member(s) vary, at least 2 needed"));
        out.used.clear();
        return out;
    }
    let data: Vec<f64> = out.used.iter().flat_map(|&j| complete.iter().map(move |&r| members[j][r])).collect();
    let x = from_columns(complete.len(), p, data).expect("complete units × members");
    let (lambda, vectors) = linalg::symmetric_eigen(linalg::pearson_correlation(x.view()).view());
    if lambda.iter().any(|l| !l.is_finite()) {
        out.notes.push("principal components: the eigen-decomposition did not converge".into());
        out.used.clear();
        return out;
    }
    out.eigenvalues = lambda.iter().map(|l| l.max(0.0)).collect();
    out.loadings =
        out.eigenvalues.iter().enumerate().map(|(k, l)| (0..p).map(|j| vectors[[j, k]] * l.sqrt()).collect()).collect();
    out
}
