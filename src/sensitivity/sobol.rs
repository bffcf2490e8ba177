//! Sobol indices by Saltelli sampling (METHODS.md §11).
//!
//! **Design.** Two `N × k` matrices `A` and `B` of independent uniforms on `[0, 1)`, and for
//! each input `i` the matrix `AB_i`: `A` with its column `i` taken from `B`. The model runs on
//! every row of `A`, `B` and each `AB_i`: `N (k + 2)` runs. The base sample is pseudo-random
//! (xoshiro256**, [`crate::kernels::random`]), one generator per row `j` (stream `j` of the
//! seed), which draws the row's `k` values of `A` then its `k` values of `B`: row `j` is the
//! same whatever thread computes it, and the runs are collected in row order, so the indices
//! are identical for a seed whatever the number of threads.
//!
//! **Estimators**, with `f_A`, `f_B`, `f_ABi` the outputs on row `j` and `V` the variance of
//! the `2N` outputs on `A` and `B` (divided by `2N`):
//! - first order (Saltelli et al. 2010): `S_i = (1/N) Σ_j f_B (f_ABi − f_A) / V`;
//! - total order (Jansen 1999): `S_Ti = (1/2N) Σ_j (f_A − f_ABi)² / V`.
//!
//! Sums are compensated ([`crate::kernels::stats::sum`]).
//!
//! **Intervals.** `bootstrap` resamples of the `N` rows with replacement (resample `b` drawn by
//! stream `2^63 + b` of the seed), the indices recomputed on each (with that resample's `V`),
//! and the percentile interval at `confidence`: with the `B` resampled values sorted, the low
//! end is the smallest value whose cumulative share is ≥ (1 − confidence)/2 (the
//! ⌈B (1 − confidence)/2⌉-th, at least the first) and the high end the smallest whose share
//! is ≥ (1 + confidence)/2.
//!
//! **Edge cases.** A model whose output is the same on every run (`V = 0`) has no variance
//! to apportion: every index and bound is `NaN` and [`SobolIndices::variance`] is 0, which
//! says why (a caller writing a table writes them empty). A non-finite model output is an
//! error naming the run. `k = 0`, `N < 2`, `bootstrap = 0` and a confidence outside (0, 1)
//! are refused.

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::kernels::random::Xoshiro256;
use crate::kernels::stats::sum;
use crate::progress::Observer;

/// The first stream of the bootstrap generators (the rows use streams `0..N`).
const BOOTSTRAP_STREAMS: u64 = 1 << 63;

/// The size of a Sobol analysis and its seed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolOptions {
    /// Rows of the base matrices `A` and `B` (the model runs `N (k + 2)` times); default 1024.
    pub n: usize,
    /// The seed of every generator; default 0.
    pub seed: u64,
    /// Bootstrap resamples for the intervals; default 1000.
    pub bootstrap: usize,
    /// Coverage of the percentile intervals, in (0, 1); default 0.95.
    pub confidence: f64,
}

impl Default for SobolOptions {
    fn default() -> Self {
        SobolOptions { n: 1024, seed: 0, bootstrap: 1000, confidence: 0.95 }
    }
}

/// One index: the estimate on all `N` rows and its bootstrap percentile interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The estimate on every row.
    pub value: f64,
    /// Low end of the percentile interval.
    pub ci_low: f64,
    /// High end of the percentile interval.
    pub ci_high: f64,
}

/// The first-order and total indices of each input, in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolIndices {
    /// First-order indices `S_i` (Saltelli 2010).
    pub first: Vec<Estimate>,
    /// Total indices `S_Ti` (Jansen 1999).
    pub total: Vec<Estimate>,
    /// The variance `V` of the outputs on `A` and `B`; 0 when the output never changed (then
    /// every index is `NaN`).
    pub variance: f64,
    /// Model runs made: `N (k + 2)`.
    pub runs: usize,
}

/// Sobol indices of `model`, a function of `k` inputs each uniform on `[0, 1)` (see the
/// module's doc for the design, the estimators and the intervals). The model runs in
/// parallel (rayon), so it must be `Sync`; its errors stop the analysis and are returned.
///
/// # Errors
/// [`Error::Spec`] for `k = 0`, `N < 2`, no bootstrap resample or a confidence outside
/// (0, 1); [`Error::Method`] (`sobol`) when the model returns a non-finite value; the model's
/// own errors.
///
/// # Examples
/// ```
/// use citycheck::sensitivity::{sobol, SobolOptions};
/// // y = x0 + 0 · x1: all the variance is x0's.
/// let options = SobolOptions { n: 2048, seed: 1, bootstrap: 200, ..SobolOptions::default() };
/// let s = sobol(2, &options, |x| Ok(x[0])).unwrap();
/// assert!((s.first[0].value - 1.0).abs() < 0.05);
/// assert!(s.total[1].value.abs() < 1e-12); // x1 never changes the output
/// assert_eq!(s.runs, 2048 * 4);
/// ```
pub fn sobol<F>(k: usize, options: &SobolOptions, model: F) -> Result<SobolIndices>
where
    F: Fn(&[f64]) -> Result<f64> + Sync,
{
    sobol_observed(k, options, &Observer::none(), model)
}

/// [`sobol`], reporting its model runs to `progress` (a stage `Sobol model runs` of `N (k + 2)`
/// runs, advanced by `k + 2` as each row is done).
///
/// # Errors
/// As [`sobol`].
///
/// # Examples
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use std::sync::Arc;
/// use citycheck::progress::{Observer, Progress};
/// use citycheck::sensitivity::{sobol_observed, SobolOptions};
/// #[derive(Default)]
/// struct Count(AtomicU64, AtomicU64);
/// impl Progress for Count {
///     fn start(&self, _: &str, total: u64, _: &str) {
///         self.0.store(total, Ordering::Relaxed);
///     }
///     fn advance(&self, done: u64) {
///         self.1.fetch_add(done, Ordering::Relaxed);
///     }
///     fn finish(&self) {}
/// }
/// let count = Arc::new(Count::default());
/// let options = SobolOptions { n: 64, seed: 1, bootstrap: 10, ..SobolOptions::default() };
/// let s = sobol_observed(3, &options, &Observer::new(count.clone()), |x| Ok(x[0] + x[1])).unwrap();
/// assert_eq!(count.0.load(Ordering::Relaxed), s.runs as u64);
/// assert_eq!(count.1.load(Ordering::Relaxed), s.runs as u64);
/// ```
pub fn sobol_observed<F>(k: usize, options: &SobolOptions, progress: &Observer, model: F) -> Result<SobolIndices>
where
    F: Fn(&[f64]) -> Result<f64> + Sync,
{
    let &SobolOptions { n, seed, bootstrap, confidence } = options;
    if k == 0 {
        return Err(Error::Spec("sobol: the model needs at least one input (k = 0)".into()));
    }
    if n < 2 {
        return Err(Error::Spec(format!("sobol: N = {n} rows; at least 2 are needed")));
    }
    if bootstrap == 0 {
        return Err(Error::Spec("sobol: at least one bootstrap resample is needed".into()));
    }
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(Error::Spec(format!("sobol: confidence {confidence} must lie in (0, 1)")));
    }
    let width = k + 2;
    let stage = progress.stage("Sobol model runs", (n * width) as u64, "runs");
    // Row j: f(A_j), f(B_j), f(AB_1 j), …, f(AB_k j).
    let rows: Vec<Vec<f64>> = (0..n)
        .into_par_iter()
        .map(|j| -> Result<Vec<f64>> {
            let mut rng = Xoshiro256::stream(seed, j as u64);
            let a: Vec<f64> = (0..k).map(|_| rng.uniform()).collect();
            let b: Vec<f64> = (0..k).map(|_| rng.uniform()).collect();
            let run = |x: &[f64], which: &str| -> Result<f64> {
                let y = model(x)?;
                if y.is_finite() {
                    Ok(y)
                } else {
                    Err(Error::method(
                        "sobol",
                        None,
                        format!("the model gave {y} on row {j} of {which} (inputs {x:?})"),
                    ))
                }
            };
            let mut out = Vec::with_capacity(width);
            out.push(run(&a, "A")?);
            out.push(run(&b, "B")?);
            let mut ab = a.clone();
            for (i, &bi) in b.iter().enumerate() {
                ab[i] = bi;
                out.push(run(&ab, &format!("AB_{i}"))?);
                ab[i] = a[i];
            }
            stage.advance(width as u64);
            Ok(out)
        })
        .collect::<Result<Vec<_>>>()?;
    drop(stage);

    let all: Vec<usize> = (0..n).collect();
    let (first, total, variance) = estimate(&rows, &all, k);
    let runs = n * width;
    if variance == 0.0 {
        let none = Estimate { value: f64::NAN, ci_low: f64::NAN, ci_high: f64::NAN };
        return Ok(SobolIndices { first: vec![none; k], total: vec![none; k], variance, runs });
    }

    // Each resample: its 2k indices (first orders, then totals).
    let resampled: Vec<Vec<f64>> = (0..bootstrap)
        .into_par_iter()
        .map(|b| {
            let mut rng = Xoshiro256::stream(seed, BOOTSTRAP_STREAMS + b as u64);
            let pick: Vec<usize> = (0..n).map(|_| rng.below(n as u64) as usize).collect();
            let (s, t, _) = estimate(&rows, &pick, k);
            s.into_iter().chain(t).collect()
        })
        .collect();
    let interval = |at: usize, value: f64| -> Estimate {
        // A resample whose outputs happen to be constant has NaN indices: left out.
        let mut values: Vec<f64> = resampled.iter().map(|r| r[at]).filter(|v| v.is_finite()).collect();
        values.sort_by(f64::total_cmp);
        let tail = (1.0 - confidence) / 2.0;
        Estimate { value, ci_low: share_quantile(&values, tail), ci_high: share_quantile(&values, 1.0 - tail) }
    };
    Ok(SobolIndices {
        first: first.iter().enumerate().map(|(i, &s)| interval(i, s)).collect(),
        total: total.iter().enumerate().map(|(i, &t)| interval(k + i, t)).collect(),
        variance,
        runs,
    })
}

/// The smallest value of `sorted` whose cumulative share is ≥ `q`: the ⌈q·B⌉-th (at least the
/// first); `NaN` for no value.
fn share_quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let at = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[at - 1]
}

/// First-order and total indices and `V` on the rows `pick` (with repetitions for a
/// bootstrap resample); `NaN` indices when `V = 0`.
fn estimate(rows: &[Vec<f64>], pick: &[usize], k: usize) -> (Vec<f64>, Vec<f64>, f64) {
    let n = pick.len() as f64;
    let mean = sum(pick.iter().flat_map(|&j| [rows[j][0], rows[j][1]])) / (2.0 * n);
    let variance = sum(pick.iter().flat_map(|&j| [rows[j][0] - mean, rows[j][1] - mean]).map(|d| d * d)) / (2.0 * n);
    if variance == 0.0 {
        return (vec![f64::NAN; k], vec![f64::NAN; k], 0.0);
    }
    let first =
        (0..k).map(|i| sum(pick.iter().map(|&j| rows[j][1] * (rows[j][2 + i] - rows[j][0]))) / n / variance).collect();
    let total = (0..k)
        .map(|i| {
            sum(pick.iter().map(|&j| {
                let d = rows[j][0] - rows[j][2 + i];
                d * d
            })) / (2.0 * n)
                / variance
        })
        .collect();
    (first, total, variance)
}
