//! What the Monte Carlo keeps per unit-year and node, whatever the number of draws: a
//! histogram of the ranks drawn (ranks are integers from 1 to the number of units) and the
//! running mean and sum of squares of the score (Welford). Draws are added in draw order, so
//! the results do not depend on how the draws were spread over threads.

/// Counts of the ranks drawn for one cell, over the window of ranks seen so far (memory grows
/// with the spread of the ranks, never with the number of draws).
#[derive(Debug, Clone, Default)]
pub(crate) struct RankHistogram {
    /// The lowest rank of the window.
    low: u32,
    /// `counts[i]`: draws that gave rank `low + i`.
    counts: Vec<u32>,
    /// Draws with a rank.
    total: u64,
}

impl RankHistogram {
    /// Counts rank `rank` (≥ 1).
    pub fn add(&mut self, rank: u32) {
        if self.counts.is_empty() {
            self.low = rank;
            self.counts.push(0);
        } else if rank < self.low {
            let mut widened = vec![0; (self.low - rank) as usize];
            widened.append(&mut self.counts);
            self.counts = widened;
            self.low = rank;
        }
        let at = (rank - self.low) as usize;
        if at >= self.counts.len() {
            self.counts.resize(at + 1, 0);
        }
        self.counts[at] += 1;
        self.total += 1;
    }

    /// The `q`-quantile of the ranks drawn: the smallest rank `r` whose cumulative share
    /// (draws with a rank ≤ `r` over draws with a rank) is ≥ `q`. `None` when no draw gave a
    /// rank.
    pub fn quantile(&self, q: f64) -> Option<u32> {
        if self.total == 0 {
            return None;
        }
        // Cumulative share ≥ q ⇔ cumulative count ≥ q · total, compared in counts: the
        // smallest count c with c ≥ q · total is ⌈q · total⌉ (at least 1).
        let needed = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut running = 0u64;
        for (i, &c) in self.counts.iter().enumerate() {
            running += u64::from(c);
            if running >= needed {
                return Some(self.low + i as u32);
            }
        }
        None
    }
}

/// Running mean and sum of squared deviations of the scores drawn (Welford 1962).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Moments {
    count: u64,
    mean: f64,
    m2: f64,
}

impl Moments {
    /// Adds a score (finite).
    pub fn add(&mut self, x: f64) {
        self.count += 1;
        let delta = x - self.mean;
        self.mean += delta / self.count as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// The mean; `None` when no draw gave a score.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then_some(self.mean)
    }

    /// The sample standard deviation (divisor n − 1); `None` with fewer than two scores.
    pub fn sd(&self) -> Option<f64> {
        (self.count > 1).then(|| (self.m2 / (self.count - 1) as f64).max(0.0).sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_the_smallest_rank_reaching_the_share() {
        let mut h = RankHistogram::default();
        for r in [5, 3, 3, 4, 7, 3, 5, 6, 4, 3] {
            h.add(r);
        }
        // Sorted: 3 3 3 3 4 4 5 5 6 7.
        assert_eq!(h.quantile(0.05), Some(3));
        assert_eq!(h.quantile(0.4), Some(3));
        assert_eq!(h.quantile(0.5), Some(4));
        assert_eq!(h.quantile(0.95), Some(7));
        assert_eq!(RankHistogram::default().quantile(0.5), None);
    }

    #[test]
    fn moments_match_the_two_pass_formulas() {
        let mut m = Moments::default();
        for x in [1.0, 2.0, 4.0, 7.0] {
            m.add(x);
        }
        assert_eq!(m.mean(), Some(3.5));
        // Σ (x − 3.5)² = 6.25 + 2.25 + 0.25 + 12.25 = 21; / 3.
        assert!((m.sd().unwrap() - 7.0f64.sqrt()).abs() < 1e-12);
    }
}
