//! Variance-based sensitivity analysis: which input of a model moves its output most.
//!
//! [`sobol`] is a generic kernel: a model closure of `k` inputs on `[0, 1)^k` (the caller maps
//! each uniform to its input, by an inverse CDF for a distribution or by cumulative
//! probabilities for a discrete choice) and Saltelli's sampling design, with the Saltelli
//! (2010) first-order and Jansen (1999) total-order estimators and percentile bootstrap
//! intervals (METHODS.md §11). The uncertainty analysis of a check-up
//! (`crate::uncertainty`, above this layer) uses it on the rank shifts of a spec's uncertain
//! choices; it knows nothing of check-ups.

pub mod sobol;

pub use sobol::{sobol, sobol_observed, Estimate, SobolIndices, SobolOptions};
