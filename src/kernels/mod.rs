//! Pure numeric code on slices and column-major matrices: statistics and ranks.
//!
//! No polars and no catalogue here: this is what the benchmarks stress and what the
//! reference tests pin down. Missing values are `NaN`; every function says what it does
//! with them.

pub mod linalg;
mod matrix;
pub mod rank;
pub mod stats;

pub use matrix::Matrix;
