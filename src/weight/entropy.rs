//! Entropy weights (熵权法), in the two named variants of METHODS.md §4.
//!
//! # Formula
//! ```text
//! p_ij = v_ij / Σ_i v_ij
//! E_j  = −(1/ln m_j) Σ_i p_ij ln p_ij      (0 · ln 0 = 0)
//! d_j  = 1 − E_j,   w_j = d_j / Σ_k d_k
//! ```
//! `entropy`: v = x, the raw values (≥ 0). `entropy_normalized`: v = r + shift, where r is the
//! direction-aware min-max of x in [0, 1] (a constant column has r = 1); with
//! `rescale = [lo, hi]`, v = lo + (hi − lo)·r instead (R scripts use [0.002, 0.996]; Chinese
//! papers use a shift of 0, 1e-4 or 0.01). See [`entropy_rescaled`].
//! m_j counts the present cells of column j: missing cells are left out of that column.
//! A column with fewer than two present cells, or constant (all zeros included), carries no
//! information: E = 1 exactly.
//! If no column carries information (Σ d = 0) the weights are equal, with a warning.
//!
//! # References
//! Xu (2004), EJOR 156(2):530–532; Zavadskas & Podvezko (2016), IJITDM 15(2):267–283.

use rayon::prelude::*;

use crate::direction::Direction;
use crate::error::{Error, Location, Result};
use crate::kernels::{column, columns, scale, stats, ArrayView2};

/// The default `shift` of `entropy_normalized`.
pub(crate) const DEFAULT_SHIFT: f64 = 1e-4;

/// Raw-sum entropy weights of the columns of `x`.
///
/// # Errors
/// [`Error::Method`] naming the column if it holds a negative value.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::kernels::array;
/// // Xu (2004): w = [0.4630, 0.3992, 0.1378, 0.0000]
/// let x = array![[30.0, 30.0, 38.0, 29.0], [19.0, 54.0, 86.0, 29.0],
///                 [19.0, 15.0, 85.0, 28.9], [68.0, 70.0, 60.0, 29.0]];
/// let names: Vec<String> = (1..=4).map(|j| format!("c{j}")).collect();
/// let w = citycheck::weight::entropy(x.view(), &names, &mut Vec::new())?;
/// assert!((w[0] - 0.4630).abs() < 5e-5);
/// # Ok(()) }
/// ```
pub fn entropy(x: ArrayView2<'_, f64>, names: &[String], warnings: &mut Vec<String>) -> Result<Vec<f64>> {
    let mut d = Vec::with_capacity(x.ncols());
    let mut present = Vec::with_capacity(x.nrows());
    for (j, col) in columns(x).enumerate() {
        if let Some(&neg) = col.iter().find(|&&v| v < 0.0) {
            return Err(Error::method(
                "entropy",
                Some(Location { column: names.get(j).cloned(), ..Default::default() }),
                format!("raw entropy needs values >= 0, found {neg}; use entropy_normalized for data with negatives"),
            ));
        }
        present.clear();
        present.extend(stats::present(&col));
        d.push(1.0 - column_entropy(&present));
    }
    Ok(normalize_divergence(d, names, "entropy", warnings))
}

/// Entropy weights after direction-aware min-max scaling and a `shift` (default 0.0001).
pub fn entropy_normalized(
    x: ArrayView2<'_, f64>,
    directions: &[Direction],
    shift: f64,
    names: &[String],
    warnings: &mut Vec<String>,
) -> Result<Vec<f64>> {
    entropy_rescaled(x, directions, shift, None, names, warnings)
}

/// [`entropy_normalized`] with the min-max scores mapped to `rescale = [lo, hi]` instead of
/// shifted: v = lo + (hi − lo)·r. `[0.002, 0.996]` is the range of the R scripts of the
/// entropy method (`scales::rescale(x, to = c(0.002, 0.996))`), which keeps p > 0 without a
/// shift. `None` is [`entropy_normalized`]: v = r + `shift`.
///
/// `rescale` replaces the shift: with it, `shift` must be 0 or its default 0.0001 and is not
/// applied.
///
/// # Errors
/// [`Error::Spec`] for a shift < 0 or not finite, for `lo` < 0 or `hi` ≤ `lo` (or either not
/// finite), and for a shift other than 0 or 0.0001 given with `rescale`.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::direction::Direction;
/// use citycheck::kernels::array;
/// use citycheck::weight::entropy_rescaled;
/// let x = array![[1.0, 10.0], [2.0, 30.0], [4.0, 20.0]];
/// let names = vec!["a".to_string(), "b".to_string()];
/// let dirs = [Direction::Higher, Direction::Lower];
/// let w = entropy_rescaled(x.view(), &dirs, 0.0, Some([0.002, 0.996]), &names, &mut Vec::new())?;
/// assert!((w[0] + w[1] - 1.0).abs() < 1e-12);
/// # Ok(()) }
/// ```
pub fn entropy_rescaled(
    x: ArrayView2<'_, f64>,
    directions: &[Direction],
    shift: f64,
    rescale: Option<[f64; 2]>,
    names: &[String],
    warnings: &mut Vec<String>,
) -> Result<Vec<f64>> {
    if !(shift.is_finite() && shift >= 0.0) {
        return Err(Error::Spec(format!("entropy_normalized: shift {shift} must be >= 0")));
    }
    if let Some([lo, hi]) = rescale {
        if !(lo.is_finite() && hi.is_finite() && lo >= 0.0 && hi > lo) {
            return Err(Error::Spec(format!(
                "entropy_normalized: rescale [{lo}, {hi}] must have 0 <= lo < hi (e.g. [0.002, 0.996])"
            )));
        }
        if shift != 0.0 && shift != DEFAULT_SHIFT {
            return Err(Error::Spec(format!(
                "entropy_normalized: give rescale or shift, not both (shift {shift} with rescale [{lo}, {hi}]); \
                 rescale maps the min-max scores to [lo, hi] and replaces the shift"
            )));
        }
    }
    let (offset, span, shift) = match rescale {
        Some([lo, hi]) => (lo, hi - lo, 0.0),
        None => (0.0, 1.0, shift),
    };
    // Columns are independent: in parallel, each with its own scratch (the same numbers on
    // any number of threads).
    let d: Vec<f64> = (0..x.ncols())
        .into_par_iter()
        .map(|j| {
            let col = column(x, j);
            let dir = directions.get(j).copied().unwrap_or(Direction::Higher);
            let present: Vec<f64> = stats::present(&col).collect();
            let mut scaled = vec![0.0; present.len()];
            // r = (o − lo)/(hi − lo), then + shift; a constant column has E = 1.
            let e = if scale::oriented_min_max(dir, &present, &mut scaled, 1.0) {
                for v in scaled.iter_mut() {
                    // Without rescale: r + shift exactly as before (offset 0, span 1).
                    *v = if rescale.is_some() { offset + span * *v } else { *v + shift };
                }
                column_entropy(&scaled)
            } else {
                1.0
            };
            1.0 - e
        })
        .collect();
    Ok(normalize_divergence(d, names, "entropy_normalized", warnings))
}

/// E = −(1/ln m) Σ p ln p of the non-negative values `v`, with p = v/Σv. Computed as
/// −(1/ln m)((1/T) Σ v ln v − ln T), T = Σv: one logarithm per value and no division.
fn column_entropy(v: &[f64]) -> f64 {
    let m = v.len();
    let first = v.first().copied();
    // A constant column has E = 1 exactly; computing it would leave rounding noise in d.
    if m < 2 || v.iter().all(|&x| Some(x) == first) {
        return 1.0;
    }
    let total = stats::sum(v.iter().copied());
    if total <= 0.0 {
        return 1.0;
    }
    let v_ln_v = stats::sum(v.iter().filter(|&&x| x > 0.0).map(|&x| x * x.ln()));
    let h = v_ln_v / total - total.ln();
    // Rounding can push E a hair outside [0, 1].
    (-h / (m as f64).ln()).clamp(0.0, 1.0)
}

fn normalize_divergence(d: Vec<f64>, names: &[String], method: &str, warnings: &mut Vec<String>) -> Vec<f64> {
    let total = stats::sum(d.iter().copied());
    if total > 0.0 {
        d.into_iter().map(|x| x / total).collect()
    } else {
        warnings.push(format!(
            "{method}: no column of {} varies (all constant, all zero or single values): equal weights used",
            names.join(", ")
        ));
        super::equal(d.len())
    }
}
