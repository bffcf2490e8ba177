//! Ranks of the present values of a column.

use std::cmp::Ordering;

fn order_desc(xs: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..xs.len()).filter(|&i| !xs[i].is_nan()).collect();
    idx.sort_by(|&a, &b| xs[b].partial_cmp(&xs[a]).unwrap_or(Ordering::Equal));
    idx
}

/// Competition ranks, 1 = the highest value; ties share the lowest rank number ("min"
/// ranking: 1, 2, 2, 4). Missing values get rank 0 (no rank).
///
/// # Examples
/// ```
/// use citycheck::kernels::rank::rank_best_first;
/// assert_eq!(rank_best_first(&[0.5, 0.9, f64::NAN, 0.9]), vec![3, 1, 0, 1]);
/// ```
pub fn rank_best_first(xs: &[f64]) -> Vec<u32> {
    let mut ranks = vec![0; xs.len()];
    let order = order_desc(xs);
    for (pos, &i) in order.iter().enumerate() {
        ranks[i] = if pos > 0 && xs[order[pos - 1]] == xs[i] {
            ranks[order[pos - 1]]
        } else {
            pos as u32 + 1
        };
    }
    ranks
}

/// Ranks 1..m in ascending order of value (1 = the smallest), ties getting the average of
/// the ranks they span; missing values stay `NaN`. This is the `rank` normalisation.
pub fn average_rank_ascending(xs: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..xs.len()).filter(|&i| !xs[i].is_nan()).collect();
    idx.sort_by(|&a, &b| xs[a].partial_cmp(&xs[b]).unwrap_or(Ordering::Equal));
    let mut out = vec![f64::NAN; xs.len()];
    let mut start = 0;
    while start < idx.len() {
        let mut end = start + 1;
        while end < idx.len() && xs[idx[end]] == xs[idx[start]] {
            end += 1;
        }
        // Positions start..end (0-based) hold ranks start+1..=end; their mean:
        let avg = (start + 1 + end) as f64 / 2.0;
        for &i in &idx[start..end] {
            out[i] = avg;
        }
        start = end;
    }
    out
}

/// Average rank (ascending) that `x` would get among the sorted reference sample `sorted`:
/// `#{s < x} + (max(#{s = x}, 1) + 1) / 2`. Used to apply a fitted `rank` normalisation to
/// values outside the fitting sample.
pub fn rank_in_sorted(sorted: &[f64], x: f64) -> f64 {
    let below = sorted.partition_point(|&s| s < x);
    let equal = sorted[below..].partition_point(|&s| s <= x);
    below as f64 + (equal.max(1) as f64 + 1.0) / 2.0
}
