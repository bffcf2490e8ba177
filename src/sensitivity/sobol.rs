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
//! **Several targets.** [`sobol_targets`] runs a model with a vector of outputs (the rank of
//! every unit, say): the design is run once, each run giving every target, and the estimators
//! and intervals are applied to each target's outputs separately — the same numbers as a
//! scalar analysis of that target with the same seed. It keeps the `N (k + 2)` outputs of every
//! target: `8 N (k + 2) T` bytes for `T` targets (N = 256, k = 5, 300 units: 4.3 MB).
//! [`sobol`] is its one-target case. [`sobol_design`] gives the points and
//! [`sobol_from_outputs`] the indices of a model's outputs on them, for a model that runs on a
//! whole batch (a Python function of a matrix).
//!
//! **Edge cases.** A target whose output is the same on every run (`V = 0`) has no variance
//! to apportion: every index and bound is `NaN` and [`SobolIndices::variance`] is 0, which
//! says why (a caller writing a table writes them empty). For [`sobol`] a non-finite model
//! output is an error naming the run; for [`sobol_targets`] an infinite output is, while a
//! `NaN` output says the target is undefined on that run (a unit without a rank): the
//! target's indices are then `NaN` and [`SobolIndices::undefined`] counts those runs.
//! `k = 0`, `N < 2`, `bootstrap = 0` and a confidence outside (0, 1) are refused.

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

impl Estimate {
    /// No estimate: value and bounds `NaN`.
    const NONE: Estimate = Estimate { value: f64::NAN, ci_low: f64::NAN, ci_high: f64::NAN };
}

/// The first-order and total indices of each input on one target, in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolIndices {
    /// First-order indices `S_i` (Saltelli 2010).
    pub first: Vec<Estimate>,
    /// Total indices `S_Ti` (Jansen 1999).
    pub total: Vec<Estimate>,
    /// The variance `V` of the outputs on `A` and `B`; 0 when the output never changed (then
    /// every index is `NaN`); `NaN` when the target is undefined on some run.
    pub variance: f64,
    /// Model runs made: `N (k + 2)`.
    pub runs: usize,
    /// Runs on which the model gave `NaN` for this target (always 0 for [`sobol`]); when
    /// more than 0, every index is `NaN`.
    pub undefined: usize,
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
    let mut indices = saltelli(k, 1, options, true, progress, |x| Ok(vec![model(x)?]))?;
    // Cannot fail: `saltelli` gives one set of indices per target, and there is one.
    Ok(indices.pop().expect("one target"))
}

/// Sobol indices of each of the `targets` outputs of `model`, a function of `k` inputs each
/// uniform on `[0, 1)` returning one value per target: one [`SobolIndices`] per target, in
/// output order. The design is run once (`N (k + 2)` runs, in parallel); each target's indices
/// and intervals are those [`sobol`] would give for that output alone with the same options.
/// A `NaN` output marks the target undefined on that run (its indices are then `NaN`, see
/// [`SobolIndices::undefined`]).
///
/// # Errors
/// As [`sobol`]; [`Error::Method`] (`sobol`) when the model returns an infinite value or
/// not `targets` values, naming the run.
///
/// # Examples
/// ```
/// use citycheck::sensitivity::{sobol_targets, SobolOptions};
/// // Two targets: y0 = x0, y1 = x1.
/// let options = SobolOptions { n: 1024, seed: 3, bootstrap: 100, ..SobolOptions::default() };
/// let s = sobol_targets(2, 2, &options, |x| Ok(vec![x[0], x[1]])).unwrap();
/// assert!(s[0].total[1].value.abs() < 1e-12 && s[1].total[0].value.abs() < 1e-12);
/// assert!((s[1].first[1].value - 1.0).abs() < 0.1);
/// ```
pub fn sobol_targets<F>(k: usize, targets: usize, options: &SobolOptions, model: F) -> Result<Vec<SobolIndices>>
where
    F: Fn(&[f64]) -> Result<Vec<f64>> + Sync,
{
    sobol_targets_observed(k, targets, options, &Observer::none(), model)
}

/// [`sobol_targets`], reporting its model runs to `progress` as [`sobol_observed`] does.
///
/// # Errors
/// As [`sobol_targets`].
pub fn sobol_targets_observed<F>(
    k: usize,
    targets: usize,
    options: &SobolOptions,
    progress: &Observer,
    model: F,
) -> Result<Vec<SobolIndices>>
where
    F: Fn(&[f64]) -> Result<Vec<f64>> + Sync,
{
    saltelli(k, targets, options, false, progress, model)
}

/// The points of Saltelli's design for `k` inputs with `options`, in the order the model runs
/// on them: for each base row `j`, `A_j`, `B_j`, then `AB_1 j`, …, `AB_k j` — `N (k + 2)`
/// points of `k` values each, row-major (point `p`'s values at `p k .. (p + 1) k`). For a model
/// that runs on a whole batch (a Python function of a matrix, say): run it on every point,
/// then give the outputs, in the same order, to [`sobol_from_outputs`].
///
/// # Errors
/// As [`sobol`] for the sizes.
pub fn sobol_design(k: usize, options: &SobolOptions) -> Result<Vec<f64>> {
    check(k, options)?;
    let mut points = Vec::with_capacity(options.n * (k + 2) * k);
    for j in 0..options.n {
        let (a, b) = base_row(options.seed, j, k);
        points.extend_from_slice(&a);
        points.extend_from_slice(&b);
        let mut ab = a.clone();
        for (i, &bi) in b.iter().enumerate() {
            ab[i] = bi;
            points.extend_from_slice(&ab);
            ab[i] = a[i];
        }
    }
    Ok(points)
}

/// The indices of each of `targets` outputs from the model's `outputs` on the points of
/// [`sobol_design`] (same `k` and options): row-major, `targets` values per point, points in
/// the design's order. The same numbers as [`sobol_targets`] with a model giving those outputs.
///
/// # Errors
/// As [`sobol`] for the sizes; [`Error::Spec`] when `outputs` does not hold `N (k + 2)`
/// points of `targets` values; [`Error::Method`] (`sobol`) for an infinite output, naming its
/// point.
pub fn sobol_from_outputs(
    k: usize,
    targets: usize,
    options: &SobolOptions,
    outputs: &[f64],
) -> Result<Vec<SobolIndices>> {
    check(k, options)?;
    let per_row = (k + 2) * targets;
    if targets == 0 || outputs.len() != options.n * per_row {
        return Err(Error::Spec(format!(
            "sobol: {} outputs for N = {} rows × {} runs × {targets} targets; expected {}",
            outputs.len(),
            options.n,
            k + 2,
            options.n * per_row
        )));
    }
    if let Some(p) = outputs.iter().position(|y| y.is_infinite()) {
        return Err(Error::method(
            "sobol",
            None,
            format!(
                "the model gave a value that is {} on point {} (target {})",
                crate::error::shown_number(outputs[p]),
                p / targets,
                p % targets
            ),
        ));
    }
    let rows: Vec<Vec<f64>> = outputs.chunks(per_row).map(<[f64]>::to_vec).collect();
    Ok(estimate_all(&rows, k, targets, options))
}

/// Refuses `k = 0`, `N < 2`, no bootstrap resample and a confidence outside (0, 1).
fn check(k: usize, options: &SobolOptions) -> Result<()> {
    let &SobolOptions { n, bootstrap, confidence, .. } = options;
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
    Ok(())
}

/// Base row `j`: its `k` values of `A`, then its `k` values of `B` (stream `j` of the seed).
fn base_row(seed: u64, j: usize, k: usize) -> (Vec<f64>, Vec<f64>) {
    let mut rng = Xoshiro256::stream(seed, j as u64);
    let a: Vec<f64> = (0..k).map(|_| rng.uniform()).collect();
    let b: Vec<f64> = (0..k).map(|_| rng.uniform()).collect();
    (a, b)
}

/// The design, the runs and the estimates of every target. `strict`: any non-finite output
/// is an error (the scalar [`sobol`]); otherwise `NaN` marks the target undefined on the run.
fn saltelli<F>(
    k: usize,
    targets: usize,
    options: &SobolOptions,
    strict: bool,
    progress: &Observer,
    model: F,
) -> Result<Vec<SobolIndices>>
where
    F: Fn(&[f64]) -> Result<Vec<f64>> + Sync,
{
    check(k, options)?;
    let width = k + 2;
    let stage = progress.stage("Sobol model runs", (options.n * width) as u64, "runs");
    // Row j: the targets of f(A_j), then of f(B_j), f(AB_1 j), …, f(AB_k j): the value of
    // target t on run r is at r · targets + t.
    let rows: Vec<Vec<f64>> = (0..options.n)
        .into_par_iter()
        .map(|j| -> Result<Vec<f64>> {
            let (a, b) = base_row(options.seed, j, k);
            let mut out = Vec::with_capacity(width * targets);
            let mut run = |x: &[f64], which: &str| -> Result<()> {
                let ys = model(x)?;
                if ys.len() != targets {
                    return Err(Error::method(
                        "sobol",
                        None,
                        format!("the model gave {} values on row {j} of {which}; {targets} targets expected", ys.len()),
                    ));
                }
                if let Some(y) = ys.iter().find(|y| if strict { !y.is_finite() } else { y.is_infinite() }) {
                    return Err(Error::method(
                        "sobol",
                        None,
                        format!(
                            "the model gave a value that is {} on row {j} of {which} (inputs {x:?})",
                            crate::error::shown_number(*y)
                        ),
                    ));
                }
                out.extend(ys);
                Ok(())
            };
            run(&a, "A")?;
            run(&b, "B")?;
            let mut ab = a.clone();
            for (i, &bi) in b.iter().enumerate() {
                ab[i] = bi;
                run(&ab, &format!("AB_{i}"))?;
                ab[i] = a[i];
            }
            stage.advance(width as u64);
            Ok(out)
        })
        .collect::<Result<Vec<_>>>()?;
    drop(stage);
    Ok(estimate_all(&rows, k, targets, options))
}

/// The indices of every target from the outputs `rows` (row `j`: the targets of each of its
/// `k + 2` runs in turn).
fn estimate_all(rows: &[Vec<f64>], k: usize, targets: usize, options: &SobolOptions) -> Vec<SobolIndices> {
    let &SobolOptions { n, seed, bootstrap, confidence } = options;
    let width = k + 2;
    let runs = n * width;
    let all: Vec<usize> = (0..n).collect();
    let mut indices = Vec::with_capacity(targets);
    for t in 0..targets {
        let outputs = Outputs { rows, targets, t };
        let undefined =
            rows.iter().flat_map(|row| (0..width).map(move |r| row[r * targets + t])).filter(|y| y.is_nan()).count();
        if undefined > 0 {
            indices.push(SobolIndices {
                first: vec![Estimate::NONE; k],
                total: vec![Estimate::NONE; k],
                variance: f64::NAN,
                runs,
                undefined,
            });
            continue;
        }
        let (first, total, variance) = estimate(&outputs, &all, k);
        if variance == 0.0 {
            indices.push(SobolIndices {
                first: vec![Estimate::NONE; k],
                total: vec![Estimate::NONE; k],
                variance,
                runs,
                undefined,
            });
            continue;
        }
        // Each resample: its 2k indices (first orders, then totals). Resample b is drawn by
        // the same stream for every target.
        let resampled: Vec<Vec<f64>> = (0..bootstrap)
            .into_par_iter()
            .map(|b| {
                let mut rng = Xoshiro256::stream(seed, BOOTSTRAP_STREAMS + b as u64);
                let pick: Vec<usize> = (0..n).map(|_| rng.below(n as u64) as usize).collect();
                let (s, st, _) = estimate(&outputs, &pick, k);
                s.into_iter().chain(st).collect()
            })
            .collect();
        let interval = |at: usize, value: f64| -> Estimate {
            // A resample whose outputs happen to be constant has NaN indices: left out.
            let mut values: Vec<f64> = resampled.iter().map(|r| r[at]).filter(|v| v.is_finite()).collect();
            values.sort_by(f64::total_cmp);
            let tail = (1.0 - confidence) / 2.0;
            Estimate { value, ci_low: share_quantile(&values, tail), ci_high: share_quantile(&values, 1.0 - tail) }
        };
        indices.push(SobolIndices {
            first: first.iter().enumerate().map(|(i, &s)| interval(i, s)).collect(),
            total: total.iter().enumerate().map(|(i, &t)| interval(k + i, t)).collect(),
            variance,
            runs,
            undefined,
        });
    }
    indices
}

/// The outputs of one target: `at(j, r)` is its value on row `j` of run `r` (0 = `A`, 1 =
/// `B`, 2 + i = `AB_i`).
struct Outputs<'a> {
    rows: &'a [Vec<f64>],
    targets: usize,
    t: usize,
}

impl Outputs<'_> {
    fn at(&self, j: usize, r: usize) -> f64 {
        self.rows[j][r * self.targets + self.t]
    }
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

/// First-order and total indices and `V` of one target on the rows `pick` (with repetitions
/// for a bootstrap resample); `NaN` indices when `V = 0`.
fn estimate(f: &Outputs<'_>, pick: &[usize], k: usize) -> (Vec<f64>, Vec<f64>, f64) {
    let n = pick.len() as f64;
    let mean = sum(pick.iter().flat_map(|&j| [f.at(j, 0), f.at(j, 1)])) / (2.0 * n);
    let variance = sum(pick.iter().flat_map(|&j| [f.at(j, 0) - mean, f.at(j, 1) - mean]).map(|d| d * d)) / (2.0 * n);
    if variance == 0.0 {
        return (vec![f64::NAN; k], vec![f64::NAN; k], 0.0);
    }
    let first =
        (0..k).map(|i| sum(pick.iter().map(|&j| f.at(j, 1) * (f.at(j, 2 + i) - f.at(j, 0)))) / n / variance).collect();
    let total = (0..k)
        .map(|i| {
            sum(pick.iter().map(|&j| {
                let d = f.at(j, 0) - f.at(j, 2 + i);
                d * d
            })) / (2.0 * n)
                / variance
        })
        .collect();
    (first, total, variance)
}
