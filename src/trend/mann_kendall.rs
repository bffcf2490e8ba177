//! The Mann-Kendall trend test, with an exact p-value for short series.
//!
//! # Formula
//! ```text
//! S      = Σ_{i<j} sgn(y_j − y_i)
//! Var(S) = [n(n−1)(2n+5) − Σ_g m_g(m_g−1)(2m_g+5)] / 18      (m_g: sizes of the tie groups)
//! Z      = (S − 1)/√Var(S) if S > 0,   0 if S = 0,   (S + 1)/√Var(S) if S < 0
//! τ      = S / (n(n−1)/2)                                     (Kendall's τ_a, as pyMannKendall)
//! ```
//!
//! # p-value
//! Under the null hypothesis (no trend: the values exchangeable in time), every ordering of the
//! observed values is equally likely. Two-sided p = P(|S| ≥ |s|), increasing p = P(S ≥ s),
//! decreasing p = P(S ≤ s), and [`MannKendall::method`] says how the probability was found:
//! - [`PMethod::Exact`], n ≤ [`EXACT_MAX_N`] without ties: the null distribution of S is that of
//!   N − 2·inv, N = n(n−1)/2, where inv is the number of inversions of a uniform random
//!   permutation (the Mahonian numbers, tabulated for n ≤ 10 at compile time).
//! - [`PMethod::ExactTies`], n ≤ [`EXACT_MAX_N`] with ties: the exact permutation distribution
//!   given the tie groups. A tied pair adds 0 to S whatever the order, so S = N′ − 2·inv with
//!   N′ = N − Σ_g m_g(m_g−1)/2 untied pairs and inv the inversions of a random arrangement of
//!   the multiset of tie groups, whose generating function is the q-multinomial coefficient
//!   [n]_q! / Π_g [m_g]_q!. Not an approximation: the same as enumerating all n! orderings.
//!   A constant series has S = 0 with probability 1 and p = 1.
//! - [`PMethod::Normal`], n > [`EXACT_MAX_N`]: the normal approximation with the tie-corrected
//!   variance and a continuity correction of 1 (S moves in steps of 2): increasing
//!   p = 1 − Φ((s − 1)/σ), decreasing p = Φ((s + 1)/σ), two-sided p = 2(1 − Φ((|s| − 1)/σ))
//!   = 2(1 − Φ(|Z|)) for s ≠ 0 (pyMannKendall's `original_test`) and 1 for s = 0. A constant
//!   series (Var(S) = 0) has p = 1.
//!
//! The choice is `p_value` ([`PValue`], [`mann_kendall_with`]): `"auto"` (default) as above;
//! `"exact"` at n ≤ 10 only; `"normal_cc"` the corrected normal approximation at any n (what
//! pyMannKendall prints for short series too); `"normal"` without continuity correction,
//! Z = S/σ, p two-sided = 2(1 − Φ(|Z|)) (scipy.stats.kendalltau's asymptotic p), reported as
//! [`PMethod::NormalUncorrected`]. `tau = "b"` ([`Tau`]) reports τ_b, which R's `Kendall`
//! package prints, instead of τ_a.
//!
//! [`MannKendall::min_attainable_p`] is the smallest p that any series of n values could give
//! for the alternative by the method used at that n (exact: 1/n! one-sided, 2/n! two-sided),
//! so that a report can say "n too small to reach α" rather than over-claim: five annual
//! check-ups reach one-sided p = 1/120 ≈ 0.0083 only with a perfectly monotone series. Ties
//! only make the smallest p larger.
//!
//! # References
//! Mann (1945), Econometrica 13(3):245–259; Kendall (1975), *Rank Correlation Methods*, 4th
//! ed., ch. 4 (ties) and the table of the distribution of S; Gilbert (1987), ch. 16; Hussain &
//! Mahmud (2019), pyMannKendall 1.4.3 `original_test`. Inversions of permutations and of
//! multiset permutations: MacMahon (1916), *Combinatory Analysis*, vol. 1.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use super::Alternative;
use crate::error::{Error, Result};

/// The largest n whose Mann-Kendall p-value is exact; above, the normal approximation.
pub const EXACT_MAX_N: usize = 10;

/// Highest number of inversions of a permutation of [`EXACT_MAX_N`] items.
const MAX_INV: usize = EXACT_MAX_N * (EXACT_MAX_N - 1) / 2;

/// `MAHONIAN[n][k]`: the number of permutations of n items with k inversions (n ≤ 10).
const MAHONIAN: [[u64; MAX_INV + 1]; EXACT_MAX_N + 1] = mahonian();

const fn mahonian() -> [[u64; MAX_INV + 1]; EXACT_MAX_N + 1] {
    let mut table = [[0u64; MAX_INV + 1]; EXACT_MAX_N + 1];
    table[0][0] = 1;
    let mut n = 1;
    while n <= EXACT_MAX_N {
        // Inserting the n-th (largest) item into a permutation of n − 1 adds 0..n−1 inversions.
        let mut k = 0;
        while k <= MAX_INV {
            let mut count = 0;
            let mut added = 0;
            while added < n && added <= k {
                count += table[n - 1][k - added];
                added += 1;
            }
            table[n][k] = count;
            k += 1;
        }
        n += 1;
    }
    table
}

/// Which p-value to compute (`p_value` in Python and the library; see the module
/// documentation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PValue {
    /// Exact for n ≤ [`EXACT_MAX_N`], else the normal approximation with continuity
    /// correction (default; what every earlier version computed).
    #[default]
    Auto,
    /// The exact permutation distribution (n ≤ [`EXACT_MAX_N`] only: an error above).
    Exact,
    /// The normal approximation without continuity correction, Z = S/√Var(S), at any n: the
    /// asymptotic p of Kendall's τ test of y on time (scipy.stats.kendalltau,
    /// `method="asymptotic"`).
    Normal,
    /// The normal approximation with continuity correction, Z = (S ∓ 1)/√Var(S), at any n
    /// (pyMannKendall's `original_test`).
    NormalCc,
}

impl PValue {
    /// Every name, the default first.
    pub const NAMES: &'static [&'static str] = &["auto", "exact", "normal", "normal_cc"];
}

impl std::str::FromStr for PValue {
    type Err = Error;

    fn from_str(name: &str) -> Result<PValue> {
        match name.trim() {
            "auto" => Ok(PValue::Auto),
            "exact" => Ok(PValue::Exact),
            "normal" => Ok(PValue::Normal),
            "normal_cc" => Ok(PValue::NormalCc),
            other => Err(crate::names::unknown("Mann-Kendall p-value", other, PValue::NAMES)),
        }
    }
}

/// Which Kendall's τ [`MannKendall::tau`] reports (`tau`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tau {
    /// τ_a = S / (n(n−1)/2) (default; pyMannKendall).
    #[default]
    #[serde(rename = "a")]
    A,
    /// τ_b = S / √((n0 − n1)(n0 − n2)), n0 = n(n−1)/2, n1 = Σ_g m_g(m_g−1)/2 over the tie
    /// groups of y, n2 = 0 (times do not tie): the τ of R's `Kendall::MannKendall` and of
    /// scipy.stats.kendalltau (variant "b"). Equal to τ_a without ties.
    #[serde(rename = "b")]
    B,
}

impl std::str::FromStr for Tau {
    type Err = Error;

    fn from_str(name: &str) -> Result<Tau> {
        match name.trim() {
            "a" => Ok(Tau::A),
            "b" => Ok(Tau::B),
            other => Err(crate::names::unknown("Kendall's tau", other, &["a", "b"])),
        }
    }
}

/// The conventions of [`mann_kendall_with`]; the default is [`mann_kendall`]'s.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MannKendallOptions {
    /// How the p-value is computed.
    pub p_value: PValue,
    /// τ_a or τ_b.
    pub tau: Tau,
}

/// How a Mann-Kendall p-value was computed (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PMethod {
    /// Exact null distribution of S, no ties (n ≤ 10).
    Exact,
    /// Exact permutation distribution of S given the tie groups (n ≤ 10 with ties).
    ExactTies,
    /// Normal approximation with the tie-corrected variance and a continuity correction.
    Normal,
    /// Normal approximation with the tie-corrected variance, without continuity correction
    /// ([`PValue::Normal`]).
    NormalUncorrected,
}

impl PMethod {
    /// `exact`, `exact_ties` or `normal`, as in serde.
    pub fn as_str(self) -> &'static str {
        match self {
            PMethod::Exact => "exact",
            PMethod::ExactTies => "exact_ties",
            PMethod::Normal => "normal",
            PMethod::NormalUncorrected => "normal_uncorrected",
        }
    }

    /// Both exact variants.
    pub fn is_exact(self) -> bool {
        !matches!(self, PMethod::Normal | PMethod::NormalUncorrected)
    }
}

/// The Mann-Kendall test of one series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MannKendall {
    /// Number of present values.
    pub n: usize,
    /// S = Σ_{i<j} sgn(y_j − y_i).
    pub s: i64,
    /// Var(S) with the tie correction.
    pub var_s: f64,
    /// Z with the continuity correction (0 when S = 0).
    pub z: f64,
    /// Kendall's τ_a = S / (n(n−1)/2).
    pub tau: f64,
    /// p-value for [`MannKendall::alternative`].
    pub p_value: f64,
    /// How `p_value` was computed.
    pub method: PMethod,
    /// The alternative hypothesis of `p_value`.
    pub alternative: Alternative,
    /// The smallest p-value any series of n values could give for this alternative
    /// ([`min_attainable_p`]).
    pub min_attainable_p: f64,
}

/// The Mann-Kendall test of the values `y`, taken in slice order (sort by time first).
///
/// `NaN` values are dropped (as pyMannKendall) and n counts the present ones. See the module
/// documentation for the formulas and the p-value methods.
///
/// # Errors
/// [`Error::Method`] when fewer than 3 values are present or a value is infinite.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::trend::{mann_kendall, Alternative, PMethod};
/// // Five check-ups, each better than the last: the smallest p five points can give.
/// let mk = mann_kendall(&[61.0, 63.5, 64.0, 66.2, 70.1], Alternative::Increasing)?;
/// assert_eq!((mk.s, mk.method), (10, PMethod::Exact));
/// assert!((mk.p_value - 1.0 / 120.0).abs() < 1e-15);
/// assert_eq!(mk.p_value, mk.min_attainable_p);
/// # Ok(()) }
/// ```
///
/// # References
/// Mann (1945); Kendall (1975); pyMannKendall 1.4.3 `original_test` (identical for n > 10).
pub fn mann_kendall(y: &[f64], alternative: Alternative) -> Result<MannKendall> {
    mann_kendall_with(y, alternative, MannKendallOptions::default())
}

/// [`mann_kendall`] with the p-value and τ conventions of `options` (`p_value`, `tau`).
///
/// # Errors
/// As [`mann_kendall`]; [`Error::Spec`] for `p_value = exact` with more than
/// [`EXACT_MAX_N`] present values.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::trend::{mann_kendall_with, Alternative, MannKendallOptions, PMethod, PValue, Tau};
/// let options = MannKendallOptions { p_value: PValue::NormalCc, tau: Tau::B };
/// let mk = mann_kendall_with(&[1.0, 2.0, 2.0, 3.0], Alternative::TwoSided, options)?;
/// assert_eq!(mk.method, PMethod::Normal);
/// assert!((mk.tau - 5.0 / 30f64.sqrt()).abs() < 1e-15); // S = 5, n0 = 6, n1 = 1
/// # Ok(()) }
/// ```
pub fn mann_kendall_with(y: &[f64], alternative: Alternative, options: MannKendallOptions) -> Result<MannKendall> {
    if let Some(&bad) = y.iter().find(|v| v.is_infinite()) {
        return Err(Error::method("mann_kendall", None, format!("value {bad} is not finite")));
    }
    let y: Cow<[f64]> = if y.iter().any(|v| v.is_nan()) {
        Cow::Owned(y.iter().copied().filter(|v| !v.is_nan()).collect())
    } else {
        Cow::Borrowed(y)
    };
    let n = y.len();
    if n < 3 {
        return Err(Error::method(
            "mann_kendall",
            None,
            format!("needs at least 3 present values, got {n}: no trend test is possible"),
        ));
    }
    let s = score(&y);
    let ties = tie_sizes(&y);
    let var_s = variance_from_ties(n, &ties);
    let sd = var_s.sqrt();
    let z = match s {
        0 => 0.0,
        s if s > 0 => (s - 1) as f64 / sd,
        s => (s + 1) as f64 / sd,
    };
    let pairs = n * (n - 1) / 2;
    let tau = match options.tau {
        Tau::A => s as f64 / pairs as f64,
        Tau::B => {
            let tied: usize = ties.iter().map(|&m| m * (m - 1) / 2).sum();
            let denominator = (pairs as f64 * (pairs - tied) as f64).sqrt();
            // A constant series: S = 0 and no untied pair; τ_b is 0/0, reported as 0.
            if denominator > 0.0 {
                s as f64 / denominator
            } else {
                0.0
            }
        }
    };
    let exact = match options.p_value {
        PValue::Auto => n <= EXACT_MAX_N,
        PValue::Exact if n > EXACT_MAX_N => {
            return Err(Error::Spec(format!(
                "mann_kendall: p_value = \"exact\" is tabulated for n <= {EXACT_MAX_N}, the series has \
                 {n} values; use \"normal_cc\" or \"normal\""
            )))
        }
        PValue::Exact => true,
        PValue::Normal | PValue::NormalCc => false,
    };
    let corrected = options.p_value != PValue::Normal;
    let normal_method = if corrected { PMethod::Normal } else { PMethod::NormalUncorrected };
    let (p_value, method) = if exact {
        if ties.is_empty() {
            (exact_p_no_ties(n, s, alternative), PMethod::Exact)
        } else {
            (exact_p_ties(n, &ties, s, alternative), PMethod::ExactTies)
        }
    } else if var_s <= 0.0 {
        (1.0, normal_method)
    } else if corrected {
        (normal_p(s, sd, alternative), PMethod::Normal)
    } else {
        (normal_p_uncorrected(s, sd, alternative), PMethod::NormalUncorrected)
    };
    Ok(MannKendall {
        n,
        s,
        var_s,
        z,
        tau,
        p_value,
        method,
        alternative,
        min_attainable_p: min_attainable_p(n, alternative),
    })
}

/// The smallest p-value any series of `n` values (n ≥ 2) could give for `alternative`: the
/// p of a strictly monotone series in the tested direction, without ties. Exact for
/// n ≤ [`EXACT_MAX_N`] (1/n! one-sided, 2/n! two-sided: 1/120 and 1/60 at n = 5); by the
/// normal approximation above. `1.0` for n < 2.
pub fn min_attainable_p(n: usize, alternative: Alternative) -> f64 {
    if n < 2 {
        return 1.0;
    }
    let sides = match alternative {
        Alternative::TwoSided => 2.0,
        Alternative::Increasing | Alternative::Decreasing => 1.0,
    };
    if n <= EXACT_MAX_N {
        let permutations: u64 = (1..=n as u64).product();
        (sides / permutations as f64).min(1.0)
    } else {
        let pairs = (n * (n - 1) / 2) as f64;
        let sd = variance_from_ties(n, &[]).sqrt();
        (sides * Normal::standard().sf((pairs - 1.0) / sd)).min(1.0)
    }
}

/// S = Σ_{i<j} sgn(y_j − y_i) of values without `NaN`.
pub(crate) fn score(y: &[f64]) -> i64 {
    let mut s = 0i64;
    for (i, &yi) in y.iter().enumerate() {
        for &yj in &y[i + 1..] {
            s += i64::from(yj > yi) - i64::from(yj < yi);
        }
    }
    s
}

/// Sizes (≥ 2) of the groups of equal values of `y` (no `NaN`).
pub(crate) fn tie_sizes(y: &[f64]) -> Vec<usize> {
    let mut sorted = y.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let mut sizes = Vec::new();
    let mut run = 1;
    for w in sorted.windows(2) {
        // `==`, not total order: 0.0 and −0.0 are a tie, as in S.
        if w[1] == w[0] {
            run += 1;
        } else {
            if run > 1 {
                sizes.push(run);
            }
            run = 1;
        }
    }
    if run > 1 {
        sizes.push(run);
    }
    sizes
}

/// Var(S) = [n(n−1)(2n+5) − Σ m(m−1)(2m+5)] / 18 for tie groups of sizes `ties`.
pub(crate) fn variance_from_ties(n: usize, ties: &[usize]) -> f64 {
    let term = |m: usize| {
        let m = m as i128;
        m * (m - 1) * (2 * m + 5)
    };
    let numerator = term(n) - ties.iter().map(|&m| term(m)).sum::<i128>();
    numerator as f64 / 18.0
}

/// Var(S) of the values `y` (no `NaN`), with the tie correction.
pub(crate) fn variance_s(y: &[f64]) -> f64 {
    variance_from_ties(y.len(), &tie_sizes(y))
}

/// Exact p from inversion counts `counts` (coefficient k = number of arrangements with k
/// inversions, summing to `total`) of a series with `untied` untied pairs and score `s`.
fn p_from_counts(counts: &[u64], total: u64, untied: i64, s: i64, alternative: Alternative) -> f64 {
    // P(S ≥ x) = P(inv ≤ (N′ − x)/2); S ≡ N′ (mod 2) so the halving is exact for x = ±s.
    let at_least = |x: i64| -> f64 {
        let k = (untied - x).div_euclid(2);
        if k < 0 {
            return 0.0;
        }
        let k = (k as usize).min(counts.len() - 1);
        counts[..=k].iter().sum::<u64>() as f64 / total as f64
    };
    match alternative {
        Alternative::Increasing => at_least(s),
        // By symmetry (reversing the series), P(S ≤ s) = P(S ≥ −s).
        Alternative::Decreasing => at_least(-s),
        Alternative::TwoSided if s == 0 => 1.0,
        Alternative::TwoSided => (2.0 * at_least(s.abs())).min(1.0),
    }
}

fn exact_p_no_ties(n: usize, s: i64, alternative: Alternative) -> f64 {
    let pairs = n * (n - 1) / 2;
    let counts = &MAHONIAN[n][..=pairs];
    let total: u64 = (1..=n as u64).product();
    p_from_counts(counts, total, pairs as i64, s, alternative)
}

fn exact_p_ties(n: usize, ties: &[usize], s: i64, alternative: Alternative) -> f64 {
    let pairs = n * (n - 1) / 2;
    // [n]_q! from the table, then divided by [m]_q! for each tie group.
    let mut counts: Vec<i64> = MAHONIAN[n][..=pairs].iter().map(|&c| c as i64).collect();
    for &m in ties {
        for j in 2..=m {
            divide_by_q_integer(&mut counts, j);
        }
    }
    debug_assert!(counts.iter().all(|&c| c > 0));
    let counts: Vec<u64> = counts.into_iter().map(|c| c as u64).collect();
    let total = counts.iter().sum();
    let untied = (counts.len() - 1) as i64;
    p_from_counts(&counts, total, untied, s, alternative)
}

/// Divides the polynomial `c` (coefficients by ascending power) by [j]_q = 1 + q + … + q^(j−1),
/// which divides it exactly: P/[j]_q = P·(1 − q)/(1 − q^j).
fn divide_by_q_integer(c: &mut Vec<i64>, j: usize) {
    let len = c.len();
    // × (1 − q)
    c.push(0);
    for k in (1..c.len()).rev() {
        c[k] -= c[k - 1];
    }
    // ÷ (1 − q^j): d_k = c_k + d_{k−j}
    for k in j..c.len() {
        c[k] += c[k - j];
    }
    debug_assert!(c[len + 1 - j..].iter().all(|&x| x == 0), "[{j}]_q must divide exactly");
    c.truncate(len + 1 - j);
}

fn normal_p(s: i64, sd: f64, alternative: Alternative) -> f64 {
    let normal = Normal::standard();
    let s = s as f64;
    match alternative {
        Alternative::Increasing => normal.sf((s - 1.0) / sd),
        Alternative::Decreasing => normal.cdf((s + 1.0) / sd),
        Alternative::TwoSided if s == 0.0 => 1.0,
        Alternative::TwoSided => (2.0 * normal.sf((s.abs() - 1.0) / sd)).min(1.0),
    }
}

/// p from Z = S/σ, without continuity correction.
fn normal_p_uncorrected(s: i64, sd: f64, alternative: Alternative) -> f64 {
    let normal = Normal::standard();
    let z = s as f64 / sd;
    match alternative {
        Alternative::Increasing => normal.sf(z),
        Alternative::Decreasing => normal.cdf(z),
        Alternative::TwoSided => (2.0 * normal.sf(z.abs())).min(1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mahonian_rows_sum_to_n_factorial_and_are_symmetric() {
        for (n, row) in MAHONIAN.iter().enumerate().take(EXACT_MAX_N + 1) {
            let pairs = n * n.saturating_sub(1) / 2;
            assert_eq!(row.iter().sum::<u64>(), (1..=n as u64).product::<u64>(), "n = {n}");
            for k in 0..=pairs {
                assert_eq!(row[k], row[pairs - k], "n = {n}, k = {k}");
            }
            assert!(row[pairs + 1..].iter().all(|&c| c == 0));
        }
        // Kendall's table, n = 5: 1 4 9 15 20 22 20 15 9 4 1.
        assert_eq!(&MAHONIAN[5][..11], &[1u64, 4, 9, 15, 20, 22, 20, 15, 9, 4, 1]);
    }

    #[test]
    fn q_division_gives_the_q_multinomial() {
        // [4]_q! / ([2]_q! [2]_q!) = [4 choose 2]_q = 1 + q + 2q² + q³ + q⁴.
        let mut c: Vec<i64> = MAHONIAN[4][..=6].iter().map(|&x| x as i64).collect();
        divide_by_q_integer(&mut c, 2);
        divide_by_q_integer(&mut c, 2);
        assert_eq!(c, vec![1i64, 1, 2, 1, 1]);
    }

    #[test]
    fn ties_are_grouped_by_value() {
        assert_eq!(tie_sizes(&[3.0, 1.0, 3.0, 2.0, 3.0, 1.0]), vec![2, 3]);
        assert!(tie_sizes(&[1.0, 2.0, 3.0]).is_empty());
        assert_eq!(tie_sizes(&[0.0, -0.0]), vec![2]);
    }
}
