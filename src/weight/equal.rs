//! `equal`: w_j = 1/n.

/// `n` equal weights summing to 1 (empty for n = 0).
pub fn equal(n: usize) -> Vec<f64> {
    vec![1.0 / n as f64; n]
}
