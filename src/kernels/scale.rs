//! The normalisations every stage shares, written once on a column slice: min-max of the
//! oriented value, vector (x/√Σx²) and sum (x/Σx, or (1/x)/Σ(1/x) for a cost column).
//!
//! Each comes as the value of one cell given the column's bounds or total (for the
//! `normalize` stage, which fits on one column and applies to another) and as a whole column
//! written into `out` (for the weights and the decision-matrix aggregations, which normalise
//! the column they read). Missing cells (`NaN`) are left out of bounds and totals and stay
//! `NaN` in `out`.
//!
//! The conventions the stages differ on stay with them: what a constant min-max column
//! scores is a parameter; what a zero norm or total means (and which values are out of the
//! sum's domain) is the caller's, read from the returned norm or total.

use crate::direction::{orient, Direction};

use super::stats;

/// Min-max of one oriented value: r = (o − lo)/(hi − lo), 0 at `lo` and 1 at `hi` (beyond
/// [0, 1] for a value outside the bounds), with `lo` ≤ `hi` the bounds of the oriented values
/// o(x) the scale was fitted on. `constant` when `hi == lo`: the caller's convention.
#[inline]
pub fn min_max_value(o: f64, lo: f64, hi: f64, constant: f64) -> f64 {
    if hi == lo {
        constant
    } else {
        (o - lo) / (hi - lo)
    }
}

/// Minimum and maximum of the oriented values o(x) of the present (non-`NaN`) values of
/// `col`; `None` when none is present.
pub fn oriented_bounds(dir: Direction, col: &[f64]) -> Option<(f64, f64)> {
    stats::min_max_of(stats::present(col).map(|x| orient(dir, x)))
}

/// Writes the min-max of the oriented values of `col` into `out` ([`min_max_value`] with the
/// column's own [`oriented_bounds`]): in [0, 1], 1 for the best present value. A missing cell
/// stays `NaN`; when the present values do not vary (or none is present) each present cell
/// gets `constant`. Returns whether the present values vary (min < max).
///
/// # Panics
/// If `out` is shorter than `col`.
///
/// # Examples
/// ```
/// use citycheck::direction::Direction;
/// use citycheck::kernels::scale::oriented_min_max;
/// let mut r = [0.0; 4];
/// assert!(oriented_min_max(Direction::Lower, &[2.0, f64::NAN, 6.0, 4.0], &mut r, 1.0));
/// assert_eq!(r[0], 1.0);
/// assert!(r[1].is_nan());
/// assert_eq!((r[2], r[3]), (0.0, 0.5));
/// assert!(!oriented_min_max(Direction::Higher, &[3.0, 3.0], &mut r[..2], 1.0));
/// assert_eq!(&r[..2], &[1.0, 1.0]);
/// ```
pub fn oriented_min_max(dir: Direction, col: &[f64], out: &mut [f64], constant: f64) -> bool {
    let out = &mut out[..col.len()];
    // orient() of a missing band value would be −0, not NaN: missing is kept by hand.
    for (o, &x) in out.iter_mut().zip(col) {
        *o = if x.is_nan() { f64::NAN } else { orient(dir, x) };
    }
    let (lo, hi) = stats::min_max(out).unwrap_or((f64::NAN, f64::NAN));
    let varies = hi > lo;
    for o in out.iter_mut().filter(|o| !o.is_nan()) {
        *o = if varies { min_max_value(*o, lo, hi, constant) } else { constant };
    }
    varies
}

/// √Σx² of the present values of `col` (compensated sum): the vector normalisation's norm.
pub fn vector_norm(col: &[f64]) -> f64 {
    stats::sum(stats::present(col).map(|x| x * x)).sqrt()
}

/// Writes the vector normalisation x/√Σx² of `col` into `out` (a missing cell stays `NaN`)
/// and returns the norm √Σx² of the present values. With a norm of 0 (an all-zero column)
/// the cells are x/0: the caller sets its own convention.
///
/// # Panics
/// If `out` is shorter than `col`.
pub fn vector(col: &[f64], out: &mut [f64]) -> f64 {
    let norm = vector_norm(col);
    for (o, &x) in out.iter_mut().zip(col) {
        *o = x / norm;
    }
    norm
}

/// The sum normalisation's total of the present values of `col`: Σx, or Σ(1/x) for a
/// `cost` column (compensated sum). Domain checks (x ≥ 0, x > 0 for a cost) are the caller's.
pub fn sum_total(cost: bool, col: &[f64]) -> f64 {
    let present = stats::present(col);
    if cost {
        stats::sum(present.map(|x| 1.0 / x))
    } else {
        stats::sum(present)
    }
}

/// Sum normalisation of one value given its column's [`sum_total`]: x/total, or
/// (1/x)/total for a `cost` column.
#[inline]
pub fn sum_value(cost: bool, x: f64, total: f64) -> f64 {
    if cost {
        (1.0 / x) / total
    } else {
        x / total
    }
}

/// Writes the sum normalisation of `col` into `out` ([`sum_value`] with the column's
/// [`sum_total`]; a missing cell stays `NaN`) and returns the total. With a total of 0 the
/// cells are x/0: the caller sets its own convention.
///
/// # Panics
/// If `out` is shorter than `col`.
pub fn sum(cost: bool, col: &[f64], out: &mut [f64]) -> f64 {
    let total = sum_total(cost, col);
    for (o, &x) in out.iter_mut().zip(col) {
        *o = sum_value(cost, x, total);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_max_keeps_missing_and_orients_bands() {
        let mut r = [0.0; 4];
        let band = Direction::Band([2.0, 3.0]);
        assert!(oriented_min_max(band, &[0.0, 2.5, f64::NAN, 5.0], &mut r, 1.0));
        // o = [−2, 0, ·, −2]
        assert_eq!((r[0], r[1], r[3]), (0.0, 1.0, 0.0));
        assert!(r[2].is_nan());
        assert!(!oriented_min_max(band, &[f64::NAN, f64::NAN], &mut r[..2], 0.0));
        assert!(r[..2].iter().all(|v| v.is_nan()));
        assert!(!oriented_min_max(Direction::Higher, &[7.0, f64::NAN], &mut r[..2], 0.0));
        assert!(r[0] == 0.0 && r[1].is_nan());
        assert_eq!(oriented_bounds(Direction::Lower, &[1.0, f64::NAN, 4.0]), Some((-4.0, -1.0)));
        assert_eq!(min_max_value(5.0, 5.0, 5.0, 1.0), 1.0);
    }

    #[test]
    fn vector_and_sum_return_their_denominator() {
        let mut r = [0.0; 3];
        assert_eq!(vector(&[3.0, f64::NAN, 4.0], &mut r), 5.0);
        assert!(r[0] == 0.6 && r[1].is_nan() && r[2] == 0.8);
        assert_eq!(sum(false, &[1.0, 3.0, f64::NAN], &mut r), 4.0);
        assert!(r[0] == 0.25 && r[1] == 0.75 && r[2].is_nan());
        assert_eq!(sum(true, &[1.0, 4.0], &mut r[..2]), 1.25);
        assert_eq!(&r[..2], &[0.8, 0.2]);
        assert_eq!(sum_total(true, &[2.0, f64::NAN]), 0.5);
    }
}
