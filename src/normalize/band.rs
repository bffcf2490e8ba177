//! `band`: 1 inside [a, b]; 1 − (a − x)/max(a − min, max − b) below a; 1 − (x − b)/(same)
//! above b (METHODS.md §3). Higher / lower indicators fall back to `min_max`.

use super::{min_max, Params};
use crate::direction::{Criterion, Direction};
use crate::kernels::stats;

pub(super) fn fit(ind: &Criterion<'_>, dir: Direction, xs: &[f64], warnings: &mut Vec<String>) -> Params {
    if dir.band().is_none() {
        return min_max::fit(ind, dir, xs, warnings);
    }
    // Cannot fail: `fit` is only called on fitting data with at least one present value.
    let (min, max) = stats::min_max(xs).expect("caller checked that a value is present");
    Params::RawBounds { min, max }
}

/// The band formula with `[min, max]` the range of the data (or the goalposts).
pub(super) fn apply(dir: Direction, min: f64, max: f64, x: f64) -> f64 {
    let (a, b) = dir.band().expect("the band formula is for band and target directions");
    let spread = (a - min).max(max - b);
    let dist = (a - x).max(0.0) + (x - b).max(0.0);
    if dist == 0.0 {
        1.0
    } else if spread <= 0.0 {
        // Only reachable for values outside the fitted range: nothing to scale by.
        0.0
    } else {
        (1.0 - dist / spread).max(0.0)
    }
}
