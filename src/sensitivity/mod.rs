//! Variance-based sensitivity analysis: which input of a model moves its output most.
//!
//! [`sobol`] is a generic kernel: a model closure of `k` inputs on `[0, 1)^k` (the caller maps
//! each uniform to its input, by an inverse CDF for a distribution or by cumulative
//! probabilities for a discrete choice) and Saltelli's sampling design, with the Saltelli
//! (2010) first-order and Jansen (1999) total-order estimators and percentile bootstrap
//! intervals (METHODS.md §11); [`sobol_targets`] does the same for a model with several
//! outputs (one design, the estimators applied to each output), and [`sobol_design`] with
//! [`sobol_from_outputs`] for a model run on the whole design at once (Python's `cc.sobol`).
//! The uncertainty analysis of a check-up (`crate::uncertainty`, above this layer) uses it on
//! the ranks and the rank shift of a spec's uncertain choices; it knows nothing of check-ups.

pub mod sobol;

pub use sobol::{
    sobol, sobol_design, sobol_from_outputs, sobol_observed, sobol_targets, sobol_targets_observed, Estimate,
    SobolIndices, SobolOptions,
};
