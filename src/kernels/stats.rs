//! Summary statistics of one column, skipping `NaN` (missing) values.

/// Sum with Neumaier's compensation (METHODS.md §9: compensated sums where m is large).
pub fn sum(xs: impl IntoIterator<Item = f64>) -> f64 {
    let mut s = 0.0;
    let mut c = 0.0;
    for x in xs {
        let t = s + x;
        if s.abs() >= x.abs() {
            c += (s - t) + x;
        } else {
            c += (x - t) + s;
        }
        s = t;
    }
    s + c
}

/// Present (non-`NaN`) values of a column.
#[inline]
pub fn present(xs: &[f64]) -> impl Iterator<Item = f64> + Clone + '_ {
    xs.iter().copied().filter(|x| !x.is_nan())
}

/// Number of present values.
pub fn count(xs: &[f64]) -> usize {
    present(xs).count()
}

/// Minimum and maximum of the present values; `None` when none is present.
pub fn min_max(xs: &[f64]) -> Option<(f64, f64)> {
    present(xs).fold(None, |acc, x| match acc {
        None => Some((x, x)),
        Some((lo, hi)) => Some((lo.min(x), hi.max(x))),
    })
}

/// Mean of the present values; `NaN` when none is present.
pub fn mean(xs: &[f64]) -> f64 {
    let n = count(xs);
    if n == 0 {
        return f64::NAN;
    }
    sum(present(xs)) / n as f64
}

/// Sample standard deviation (ddof = 1) of the present values; `NaN` with fewer than two.
pub fn sd(xs: &[f64]) -> f64 {
    let n = count(xs);
    if n < 2 {
        return f64::NAN;
    }
    let m = mean(xs);
    (sum(present(xs).map(|x| (x - m) * (x - m))) / (n - 1) as f64).sqrt()
}
