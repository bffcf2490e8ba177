//! Ranks of the present values of a column.

use std::cmp::Ordering;

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
    let order = sort_desc(xs);
    let mut previous: Option<(f64, u32)> = None;
    for (pos, &i) in order.iter().enumerate() {
        let x = xs[i as usize];
        let rank = match previous {
            Some((p, r)) if p == x => r,
            _ => pos as u32 + 1,
        };
        ranks[i as usize] = rank;
        previous = Some((x, rank));
    }
    ranks
}

/// Positions of the present values of `xs`, best (largest) first, in `f64::total_cmp` order.
/// Each value becomes once an integer key that sorts as `total_cmp` does, so the sort compares
/// plain integers (an LSD radix sort on those keys was tried and measured no faster at check-up
/// sizes, m ≈ 3 000).
fn sort_desc(xs: &[f64]) -> Vec<u32> {
    let mut keyed: Vec<(u64, u32)> =
        xs.iter().enumerate().filter(|(_, x)| !x.is_nan()).map(|(i, &x)| (!total_order_key(x), i as u32)).collect();
    keyed.sort_unstable_by_key(|&(key, _)| key);
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// An unsigned integer that orders as `f64::total_cmp`: negative values with every bit
/// flipped, the others with the sign bit set.
#[inline]
fn total_order_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_as_total_cmp() {
        let xs = [
            f64::NEG_INFINITY,
            -1e308,
            -1.5,
            -f64::MIN_POSITIVE,
            -5e-324,
            -0.0,
            0.0,
            5e-324,
            f64::MIN_POSITIVE,
            1.0,
            1.0 + f64::EPSILON,
            1e308,
            f64::INFINITY,
        ];
        for a in xs {
            for b in xs {
                assert_eq!(total_order_key(a).cmp(&total_order_key(b)), a.total_cmp(&b), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn sort_desc_is_the_descending_order() {
        let xs = [3.5, -1.0, 0.0, f64::NAN, 1e300, -1e-300, 2.0, 3.5, -0.0, f64::INFINITY, f64::NEG_INFINITY];
        let order: Vec<f64> = sort_desc(&xs).into_iter().map(|i| xs[i as usize]).collect();
        let mut expected: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
        expected.sort_by(|a, b| b.partial_cmp(a).unwrap());
        assert_eq!(order.len(), expected.len());
        for (a, b) in order.iter().zip(&expected) {
            assert!(a == b, "{order:?} vs {expected:?}");
        }
    }

    #[test]
    fn ties_share_the_lowest_rank() {
        assert_eq!(rank_best_first(&[0.0, -0.0, 1.0, 1.0, 0.5]), vec![4, 4, 1, 1, 3]);
        assert_eq!(
            average_rank_ascending(&[2.0, 1.0, 2.0, f64::NAN]).iter().take(3).copied().collect::<Vec<_>>(),
            vec![2.5, 1.0, 2.5]
        );
        assert_eq!(rank_in_sorted(&[1.0, 2.0, 2.0, 3.0], 2.0), 2.5);
        assert_eq!(rank_in_sorted(&[1.0, 2.0, 2.0, 3.0], 2.5), 4.0);
    }
}
