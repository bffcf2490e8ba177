//! Tolerances of the integration tests, in one place (as statrs `src/prec.rs`).
//!
//! A published number is given to k decimals, so the exact value lies within half a unit of
//! the last decimal: 5e-5 for 4 dp, 5e-7 for 6 dp, 5e-9 for 8 dp. Hand calculations are
//! written with exact fractions and compared to 1e-9 (the library's summation order differs
//! from the hand's). EXACT is for values that involve one or two roundings only.

/// Published to 3 decimals (Tone 2001's SBM example; Coelli's DEAP 2.1 guide, example 4).
pub const PUBLISHED_3DP: f64 = 5e-4;
/// Published to 4 decimals (Xu 2004; Zavadskas & Podvezko 2016; Tzeng & Huang 2011).
pub const PUBLISHED_4DP: f64 = 5e-5;
/// Published to 6 decimals (pymcdm's entropy test, Elsayed 2017).
pub const PUBLISHED_6DP: f64 = 5e-7;
/// Published to 8 decimals (pymcdm's normalisation tests).
pub const PUBLISHED_8DP: f64 = 5e-9;
/// A hand calculation written out in the test (exact fractions, different summation order).
pub const HAND: f64 = 1e-9;
/// Values that involve a handful of roundings.
pub const EXACT: f64 = 1e-12;
/// Weights within one parent sum to 1 within this.
pub const WEIGHT_SUM: f64 = 1e-9;

/// Asserts `|actual − expected| <= tol`, saying what was compared.
#[track_caller]
pub fn assert_close(actual: f64, expected: f64, tol: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: expected {expected}, got {actual} (difference {:e}, tolerance {tol:e})",
        (actual - expected).abs()
    );
}

/// Element-wise [`assert_close`]; `NaN` expected means `NaN` required.
#[track_caller]
pub fn assert_all_close(actual: &[f64], expected: &[f64], tol: f64, what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: length differs ({actual:?} vs {expected:?})");
    for (i, (&a, &e)) in actual.iter().zip(expected).enumerate() {
        if e.is_nan() {
            assert!(a.is_nan(), "{what}[{i}]: expected missing (NaN), got {a}");
        } else {
            assert_close(a, e, tol, &format!("{what}[{i}]"));
        }
    }
}

/// Optimal values of linear programmes solved by the interior-point solver (clarabel, its
/// tolerances 1e-8) against simplex (scipy HiGHS) or hand values.
pub const LP: f64 = 1e-6;
