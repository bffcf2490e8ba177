//! Cronbach's α of each group's members on one year's normalised values, by the kernel the
//! survey uses ([`crate::kernels::reliability::cronbach`]).
//!
//! # Formula
//! ```text
//! α = k/(k − 1) · (1 − Σⱼ var(xⱼ) / var(Σⱼ xⱼ))        (k members, ddof = 1)
//! ```
//! over the units with every member present (listwise: `n_units` in groups.csv). α describes
//! how far the members measure one thing: ≥ 0.7 is the usual bar (Nunnally 1978); it may be
//! negative when members disagree. Undefined (empty, with the kernel's note) for fewer than 2
//! complete units or a total that does not vary.
//!
//! # References
//! Cronbach (1951), Psychometrika 16(3):297–334; OECD & JRC (2008), *Handbook on Constructing
//! Composite Indicators*, §4.2 (Cronbach coefficient alpha).

use crate::error::Result;
use crate::kernels::reliability::cronbach;

/// α of one group in one year.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Reliability {
    /// Cronbach's α; `None` when undefined.
    pub alpha: Option<f64>,
    /// Units with every member present.
    pub complete: usize,
    /// Why α is undefined.
    pub notes: Vec<String>,
}

/// Cronbach's α of the member columns (at least two).
///
/// # Errors
/// The kernel's [`crate::Error::Method`] for an infinite value.
pub(super) fn alpha(members: &[&[f64]]) -> Result<Reliability> {
    let c = cronbach(members)?;
    let notes = c.notes.iter().map(|n| format!("Cronbach's α: {n}")).collect();
    Ok(Reliability { alpha: c.alpha.filter(|a| a.is_finite()), complete: c.n, notes })
}
