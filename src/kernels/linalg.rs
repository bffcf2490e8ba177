//! Dense linear algebra on the small matrices of weighting: pairwise-complete Pearson and
//! Spearman correlation of columns, the symmetric eigenproblem and square linear systems (both by
//! nalgebra, with this crate's ordering, sign and singularity conventions on top), and the
//! principal eigenvector of a positive matrix (power iteration).
//!
//! The matrices here are n × n with n the number of children of one group (a few dozen at
//! most), so the O(n³) methods are chosen for accuracy and simplicity, not speed.

use nalgebra::{DMatrix, DVector, SymmetricEigen};

use crate::error::{Error, Result};
use crate::kernels::rank::average_rank_ascending;
use crate::kernels::{columns, from_columns, missing, stats, Array2, ArrayView2, ShapeBuilder};

/// Largest number of implicit QR steps of the symmetric eigensolver; convergence takes a few
/// steps per eigenvalue for the sizes met here, so reaching the cap means the input was not
/// finite.
const MAX_QR_STEPS: usize = 10_000;

/// A pivot smaller than this times the largest |a_ij| makes [`solve`] report a singular system.
const SINGULAR_RTOL: f64 = 1e-12;

/// The present (non-`NaN`) pairs of two columns, row by row.
fn complete_pairs<'a>(a: &'a [f64], b: &'a [f64]) -> impl Iterator<Item = (f64, f64)> + Clone + 'a {
    a.iter().zip(b).map(|(&x, &y)| (x, y)).filter(|(x, y)| !x.is_nan() && !y.is_nan())
}

/// Centred sums of squares and cross-products of two columns over their complete pairs.
struct PairMoments {
    count: usize,
    sxx: f64,
    syy: f64,
    sxy: f64,
    /// One of the two columns takes a single value on the complete pairs (or there are none).
    constant: bool,
}

fn pair_moments(a: &[f64], b: &[f64]) -> PairMoments {
    let pairs = complete_pairs(a, b);
    let count = pairs.clone().count();
    let Some((x0, y0)) = pairs.clone().next() else {
        return PairMoments { count: 0, sxx: 0.0, syy: 0.0, sxy: 0.0, constant: true };
    };
    // Constancy is decided on the values themselves: the rounded mean of [0.1, 0.1, 0.1] is not
    // 0.1, so a centred sum of squares would be ~1e-34 instead of 0 and r would be noise.
    let constant = pairs.clone().all(|(x, _)| x == x0) || pairs.clone().all(|(_, y)| y == y0);
    let mx = stats::sum(pairs.clone().map(|(x, _)| x)) / count as f64;
    let my = stats::sum(pairs.clone().map(|(_, y)| y)) / count as f64;
    PairMoments {
        count,
        sxx: stats::sum(pairs.clone().map(|(x, _)| (x - mx) * (x - mx))),
        syy: stats::sum(pairs.clone().map(|(_, y)| (y - my) * (y - my))),
        sxy: stats::sum(pairs.map(|(x, y)| (x - mx) * (y - my))),
        constant,
    }
}

/// Pearson correlation matrix of the columns of `x`, pairwise-complete.
///
/// # Formula
/// ```text
/// r_jk = Σ_i (x_ij − x̄_j)(x_ik − x̄_k) / √(Σ_i (x_ij − x̄_j)² · Σ_i (x_ik − x̄_k)²)
/// ```
/// over the rows where both columns are present (means over those rows). The result is clamped
/// to [−1, 1] against rounding, and the diagonal is exactly 1.
///
/// # Missing and degenerate columns
/// Pairwise-complete: each entry uses the rows where both of its columns are present, so
/// different entries may rest on different rows and the matrix need not be positive
/// semi-definite when cells are missing (callers that need that must require complete columns). r_jk is `NaN`
/// when the pair has fewer than two complete rows or either column is constant on them
/// (including the diagonal entry of a constant column): the correlation is undefined there,
/// and each caller decides what that means.
///
/// # Examples
/// ```
/// use citycheck::kernels::{array, linalg::pearson_correlation};
/// let x = array![[1.0, 3.0, 5.0], [2.0, 2.0, 5.0], [3.0, 1.0, 5.0]];
/// let r = pearson_correlation(x.view());
/// assert_eq!(r[[0, 1]], -1.0);
/// assert!(r[[0, 2]].is_nan()); // column 3 is constant
/// ```
pub fn pearson_correlation(x: ArrayView2<'_, f64>) -> Array2<f64> {
    if x.iter().all(|v| v.is_finite()) {
        return complete_correlation(x);
    }
    let n = x.ncols();
    let cols: Vec<_> = columns(x).collect();
    let mut r = missing(n, n);
    for j in 0..n {
        for k in j..n {
            let mo = pair_moments(&cols[j], &cols[k]);
            let v = if mo.count < 2 || mo.constant {
                f64::NAN
            } else if j == k {
                1.0
            } else {
                // √(sxx·syy) is exact for perfect squares (so r = ±1 exactly for exactly
                // proportional columns); the split form only guards over- and underflow.
                let product = mo.sxx * mo.syy;
                let denom = if product.is_normal() { product.sqrt() } else { mo.sxx.sqrt() * mo.syy.sqrt() };
                if denom > 0.0 && denom.is_finite() {
                    (mo.sxy / denom).clamp(-1.0, 1.0)
                } else {
                    f64::NAN
                }
            };
            r[[j, k]] = v;
            r[[k, j]] = v;
        }
    }
    r
}

/// [`pearson_correlation`] of a matrix without missing cells: every pair uses all rows, so
/// each column is centred once and every entry is one dot product of centred columns
/// (O(m n²) in cache-friendly passes instead of five passes per pair).
fn complete_correlation(x: ArrayView2<'_, f64>) -> Array2<f64> {
    let (m, n) = x.dim();
    let mut centred = Vec::with_capacity(n);
    // Centred sums of squares; NaN for a constant column.
    let mut sum_squares = Vec::with_capacity(n);
    for col in columns(x) {
        // Constancy on the values themselves, as in the pairwise path.
        let constant = col.iter().all(|&v| v == col[0]);
        let mean = stats::sum(col.iter().copied()) / m as f64;
        let c: Vec<f64> = col.iter().map(|&v| v - mean).collect();
        let ss: f64 = stats::sum(c.iter().map(|v| v * v));
        sum_squares.push(if constant || m < 2 { f64::NAN } else { ss });
        centred.push(c);
    }
    let mut r = missing(n, n);
    for j in 0..n {
        for k in j..n {
            let v = if sum_squares[j].is_nan() || sum_squares[k].is_nan() {
                f64::NAN
            } else if j == k {
                1.0
            } else {
                let dot: f64 = centred[j].iter().zip(&centred[k]).map(|(a, b)| a * b).sum();
                // √(ss_j·ss_k) rather than √ss_j·√ss_k: exact for perfect squares, so exactly
                // proportional columns give r = ±1 exactly (as in the pairwise path).
                let product = sum_squares[j] * sum_squares[k];
                let denom =
                    if product.is_normal() { product.sqrt() } else { sum_squares[j].sqrt() * sum_squares[k].sqrt() };
                if denom > 0.0 && denom.is_finite() {
                    (dot / denom).clamp(-1.0, 1.0)
                } else {
                    f64::NAN
                }
            };
            r[[j, k]] = v;
            r[[k, j]] = v;
        }
    }
    r
}

/// Spearman rank correlation matrix of the columns of `x`, pairwise-complete.
///
/// # Formula
/// ```text
/// ρ_jk = r( rank(x_·j), rank(x_·k) )     (r: [`pearson_correlation`] of the two rank columns)
/// ```
/// where both columns are ranked 1..m_jk in ascending order over the m_jk rows where both are
/// present, ties getting the mean of the ranks they span ([`average_rank_ascending`]): with
/// ties this is the tie-corrected coefficient of scipy's `spearmanr` and R's `cor(method = "spearman")`,
/// not the shortcut 1 − 6 Σ d² / (m (m² − 1)), which holds without ties only.
///
/// # Missing and degenerate columns
/// As [`pearson_correlation`]: each entry ranks only the rows where both of its columns are
/// present (scipy's `nan_policy = "omit"` on the pair), and ρ_jk is `NaN` when the pair has fewer
/// than two complete rows or either column is constant on them.
///
/// # Examples
/// ```
/// use citycheck::kernels::{array, linalg::spearman_correlation};
/// // Column 2 is a monotone but not linear function of column 1: ρ = 1, while Pearson's r < 1.
/// let x = array![[1.0, 1.0], [2.0, 4.0], [3.0, 9.0], [4.0, 100.0]];
/// assert_eq!(spearman_correlation(x.view())[[0, 1]], 1.0);
/// ```
///
/// # References
/// Spearman (1904), "The proof and measurement of association between two things", *American
/// Journal of Psychology* 15(1):72–101.
pub fn spearman_correlation(x: ArrayView2<'_, f64>) -> Array2<f64> {
    let (m, n) = x.dim();
    if x.iter().all(|v| v.is_finite()) {
        let ranked: Vec<f64> = columns(x).flat_map(|c| average_rank_ascending(&c)).collect();
        return pearson_correlation(from_columns(m, n, ranked).expect("m × n ranks").view());
    }
    let cols: Vec<_> = columns(x).collect();
    let mut r = missing(n, n);
    for j in 0..n {
        for k in j..n {
            let (a, b): (Vec<f64>, Vec<f64>) = complete_pairs(&cols[j], &cols[k]).unzip();
            let mut ranks = average_rank_ascending(&a);
            ranks.extend(average_rank_ascending(&b));
            let rho = pearson_correlation(from_columns(a.len(), 2, ranks).expect("two rank columns").view());
            // The diagonal as Pearson's: 1, or NaN for a constant column.
            let v = if j == k { rho[[0, 0]] } else { rho[[0, 1]] };
            r[[j, k]] = v;
            r[[k, j]] = v;
        }
    }
    r
}

/// y = A v.
///
/// # Panics
/// If `v.len() != a.ncols()`.
/// The sum runs column by column, y ← y + a_j v_j, so the rounding does not depend on the
/// layout of `a`.
pub fn mat_vec(a: ArrayView2<'_, f64>, v: &[f64]) -> Vec<f64> {
    assert_eq!(v.len(), a.ncols(), "mat_vec: vector length must equal the number of columns");
    let mut y = vec![0.0; a.nrows()];
    for (col, &vj) in a.columns().into_iter().zip(v) {
        for (yi, &aij) in y.iter_mut().zip(col) {
            *yi += aij * vj;
        }
    }
    y
}

/// Eigenvalues and eigenvectors of a real symmetric matrix (nalgebra's [`SymmetricEigen`]:
/// Householder tridiagonalisation, then implicit symmetric QR steps with Wilkinson shifts).
///
/// # Formula
/// ```text
/// S = (A + Aᵀ)/2 = Q T Qᵀ   (T tridiagonal, Householder reflections)
/// T → diagonal by implicit QR steps with Wilkinson shift, accumulated into V
/// stop when every off-diagonal |t_k,k+1| ≤ ε (|t_kk| + |t_k+1,k+1|)  (ε = f64::EPSILON)
/// then λ_k = t_kk and v_k = column k of V:  A v_k = λ_k v_k
/// ```
/// Eigenvalues come out in descending order, eigenvectors as the matching columns of the
/// returned (column-major) matrix, each of unit length and signed so that its component of
/// largest absolute value is positive (the first such component on exact ties): the sign the
/// solver happens to produce never reaches the caller. Only the symmetric part of `a` is used.
/// The eigenvectors come out orthonormal to rounding.
///
/// # Non-finite input
/// If any entry is `NaN` or infinite (or, which finite input never meets, the QR steps do not
/// converge), every eigenvalue and eigenvector component is `NaN`.
///
/// # Panics
/// If `a` is not square.
///
/// # Examples
/// ```
/// use citycheck::kernels::{array, linalg::symmetric_eigen};
/// let a = array![[2.0, 1.0], [1.0, 2.0]];
/// let (values, vectors) = symmetric_eigen(a.view());
/// assert!((values[0] - 3.0).abs() < 1e-12 && (values[1] - 1.0).abs() < 1e-12);
/// assert!((vectors[[0, 0]] - 0.5_f64.sqrt()).abs() < 1e-12);
/// ```
///
/// # References
/// Golub & Van Loan (2013), *Matrix Computations*, 4th ed., §8.3 (the symmetric QR
/// algorithm).
pub fn symmetric_eigen(a: ArrayView2<'_, f64>) -> (Vec<f64>, Array2<f64>) {
    let n = a.nrows();
    assert_eq!(n, a.ncols(), "symmetric_eigen: the matrix must be square");
    let undefined = || (vec![f64::NAN; n], missing(n, n));
    if n == 0 {
        return (Vec::new(), missing(0, 0));
    }
    if a.iter().any(|v| !v.is_finite()) {
        return undefined();
    }
    let symmetric = DMatrix::from_fn(n, n, |i, j| 0.5 * (a[[i, j]] + a[[j, i]]));
    let Some(eigen) = SymmetricEigen::try_new(symmetric, f64::EPSILON, MAX_QR_STEPS) else {
        return undefined();
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| eigen.eigenvalues[j].total_cmp(&eigen.eigenvalues[i]));
    let values = order.iter().map(|&k| eigen.eigenvalues[k]).collect();
    let mut data = Vec::with_capacity(n * n);
    for &k in &order {
        let vector = eigen.eigenvectors.column(k);
        let largest = (0..n).fold(0, |big, i| if vector[i].abs() > vector[big].abs() { i } else { big });
        let sign = if vector[largest] < 0.0 { -1.0 } else { 1.0 };
        data.extend(vector.iter().map(|&x| sign * x));
    }
    let vectors = Array2::from_shape_vec((n, n).f(), data).expect("n × n eigenvector data");
    (values, vectors)
}

/// Principal (Perron) eigenvalue and eigenvector of a positive square matrix by power
/// iteration, the eigenvector scaled to sum 1.
///
/// # Formula
/// ```text
/// w⁰ = (1/n, …, 1/n);   y = A wᵗ,   wᵗ⁺¹ = y / Σ_i y_i
/// stop when max_i |wᵗ⁺¹_i − wᵗ_i| ≤ tol;   λ = Σ_i (A w)_i   (= λ since Σ w = 1)
/// ```
/// For a matrix with all entries > 0 the Perron root is simple and strictly dominant, so the
/// iteration converges from the positive start and every component of w is > 0.
///
/// # Errors
/// [`Error::Spec`] if `a` is empty or not square, an entry is not finite and > 0, `tol` is not
/// finite and > 0, or `max_iter` is 0; [`Error::Method`] if the iteration has not converged
/// after `max_iter` steps.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::kernels::{array, linalg::principal_eigenvector};
/// // A consistent pairwise matrix a_ij = w_i / w_j with w = (2/3, 1/3): λ = n = 2.
/// let a = array![[1.0, 2.0], [0.5, 1.0]];
/// let (lambda, w) = principal_eigenvector(a.view(), 1e-12, 1000)?;
/// assert!((lambda - 2.0).abs() < 1e-12 && (w[0] - 2.0 / 3.0).abs() < 1e-12);
/// # Ok(()) }
/// ```
///
/// # References
/// Saaty (1980), *The Analytic Hierarchy Process*, McGraw-Hill; Golub & Van Loan (2013),
/// *Matrix Computations*, 4th ed., §7.3.1 (the power method).
pub fn principal_eigenvector(a: ArrayView2<'_, f64>, tol: f64, max_iter: usize) -> Result<(f64, Vec<f64>)> {
    let n = a.nrows();
    if n == 0 || a.ncols() != n {
        return Err(Error::Spec(format!(
            "power iteration needs a non-empty square matrix, got {} × {}",
            a.nrows(),
            a.ncols()
        )));
    }
    if !(tol.is_finite() && tol > 0.0) || max_iter == 0 {
        return Err(Error::Spec(format!(
            "power iteration needs tol > 0 and max_iter ≥ 1, got tol = {tol}, max_iter = {max_iter}"
        )));
    }
    for j in 0..n {
        for i in 0..n {
            let v = a[[i, j]];
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::Spec(format!(
                    "power iteration needs a positive matrix; entry ({}, {}) is {v}",
                    i + 1,
                    j + 1
                )));
            }
        }
    }
    let mut w = vec![1.0 / n as f64; n];
    for _ in 0..max_iter {
        let y = mat_vec(a, &w);
        let total = stats::sum(y.iter().copied());
        let next: Vec<f64> = y.iter().map(|&x| x / total).collect();
        let change = next.iter().zip(&w).fold(0.0_f64, |acc, (x, y)| acc.max((x - y).abs()));
        w = next;
        if change <= tol {
            let lambda = stats::sum(mat_vec(a, &w));
            return Ok((lambda, w));
        }
    }
    Err(Error::method("power_iteration", None, format!("no convergence to {tol} after {max_iter} iterations")))
}

/// Solution of the square system A x = b by LU decomposition with partial pivoting
/// (nalgebra's [`LU`](nalgebra::linalg::LU)).
///
/// # Formula
/// ```text
/// P A = L U  (for each column k, the row i ≥ k with the largest |a_ik| is swapped in);
/// L y = P b, U x = y.  Singular if a pivot |u_kk| ≤ 1e-12 · max_ij |a_ij|.
/// ```
/// Returns `None` when the system is singular to that relative tolerance (including an
/// all-zero matrix) or the solution is not finite. An empty system has the empty solution.
///
/// # Panics
/// If `a` is not square or `b.len() != a.nrows()`.
///
/// # Examples
/// ```
/// use citycheck::kernels::{array, linalg::solve};
/// let a = array![[2.0, 1.0], [1.0, 3.0]];
/// let x = solve(a.view(), &[3.0, 5.0]).unwrap();
/// assert!((x[0] - 0.8).abs() < 1e-12 && (x[1] - 1.4).abs() < 1e-12);
/// ```
///
/// # References
/// Golub & Van Loan (2013), *Matrix Computations*, 4th ed., §3.4 (partial pivoting).
pub fn solve(a: ArrayView2<'_, f64>, b: &[f64]) -> Option<Vec<f64>> {
    let n = a.nrows();
    assert_eq!(n, a.ncols(), "solve: the matrix must be square");
    assert_eq!(n, b.len(), "solve: the right-hand side must have one entry per row");
    if n == 0 {
        return Some(Vec::new());
    }
    let scale = a.iter().fold(0.0_f64, |acc, x| acc.max(x.abs()));
    if scale == 0.0 || !scale.is_finite() {
        return None;
    }
    let lu = DMatrix::from_fn(n, n, |i, j| a[[i, j]]).lu();
    // nalgebra refuses only an exactly zero pivot; a pivot this small relative to the matrix
    // means its columns are dependent up to rounding, and the "solution" would be noise.
    if lu.u().diagonal().iter().any(|pivot| pivot.abs() <= SINGULAR_RTOL * scale) {
        return None;
    }
    let x = lu.solve(&DVector::from_column_slice(b))?;
    x.iter().all(|v| v.is_finite()).then(|| x.iter().copied().collect())
}

/// |a_ij · a_ji − 1| allowed by default: accepts reciprocals rounded to three decimals
/// (the default of `reciprocal_tolerance`).
pub const RECIPROCITY_TOL: f64 = 5e-3;

/// Checks that `a` is a non-empty square positive reciprocal matrix (an AHP pairwise
/// comparison matrix); returns n.
///
/// # Errors
/// [`Error::Spec`] naming the cell that is not positive, or the pair that is not reciprocal
/// (|a_ij · a_ji − 1| > 0.005: reciprocals rounded to three decimals pass).
pub fn check_pairwise(a: ArrayView2<'_, f64>) -> Result<usize> {
    check_pairwise_within(a, RECIPROCITY_TOL)
}

/// [`check_pairwise`] with the reciprocity tolerance `tolerance`: a pair passes when
/// |a_ij · a_ji − 1| ≤ `tolerance` (0.005 accepts three-decimal reciprocals such as 0.333;
/// 0.01 also accepts two decimals, 0.33 × 3 = 0.99, 0.17 × 6 = 1.02 needs 0.02).
///
/// # Errors
/// As [`check_pairwise`]; [`Error::Spec`] also when `tolerance` is not finite and in [0, 1).
pub fn check_pairwise_within(a: ArrayView2<'_, f64>, tolerance: f64) -> Result<usize> {
    if !(tolerance.is_finite() && (0.0..1.0).contains(&tolerance)) {
        return Err(Error::Spec(format!(
            "ahp: reciprocal_tolerance {tolerance} must be a finite number >= 0 and < 1 \
             (default 0.005: three-decimal reciprocals; 0.01 for two decimals)"
        )));
    }
    let n = a.nrows();
    if n == 0 || a.ncols() != n {
        return Err(Error::Spec(format!(
            "ahp: the pairwise comparison matrix must be square and non-empty, got {} × {}",
            a.nrows(),
            a.ncols()
        )));
    }
    for j in 0..n {
        for i in 0..n {
            let v = a[[i, j]];
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::Spec(format!(
                    "ahp: a({}, {}) = {v}; pairwise comparisons must be positive numbers \
                     (Saaty's scale 1/9 … 9)",
                    i + 1,
                    j + 1
                )));
            }
        }
    }
    for i in 0..n {
        let d = a[[i, i]];
        if (d * d - 1.0).abs() > tolerance.max(RECIPROCITY_TOL) {
            return Err(Error::Spec(format!(
                "ahp: diagonal cell ({k}, {k}) is {d}; a criterion compared with itself must be 1",
                k = i + 1
            )));
        }
        for j in i + 1..n {
            let (aij, aji) = (a[[i, j]], a[[j, i]]);
            // 1e-12: a product on the boundary (3 × 0.33 = 0.99 at tolerance 0.01) is within it,
            // whatever the last bit of the floating-point product.
            if (aij * aji - 1.0).abs() > tolerance + 1e-12 {
                return Err(Error::Spec(format!(
                    "ahp: cells ({r}, {c}) = {aij} and ({c}, {r}) = {aji} are not reciprocal \
                     (a({c}, {r}) should be 1/{aij} = {:.4}); write reciprocals with at least \
                     three decimals or as fractions (1/3), or set reciprocal_tolerance \
                     (now {tolerance}; 0.01 accepts two decimals)",
                    1.0 / aij,
                    r = i + 1,
                    c = j + 1
                )));
            }
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOL: f64 = 1e-12;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    fn m(rows: &[&[f64]]) -> Array2<f64> {
        crate::kernels::from_rows(rows).expect("rows of equal length")
    }

    #[test]
    fn pearson_by_hand() {
        // x = [1, 2, 3], y = [2, 4, 7]: x̄ = 2, ȳ = 13/3; dx = [−1, 0, 1],
        // dy = [−7/3, −1/3, 8/3]; Σ dx dy = 5, Σ dx² = 2, Σ dy² = 38/3,
        // so r = 5 / √(2 · 38/3) = 2.5 / √(19/3).
        let r = pearson_correlation(m(&[&[1.0, 2.0], &[2.0, 4.0], &[3.0, 7.0]]).view());
        assert_eq!(r[[0, 0]], 1.0);
        assert_eq!(r[[1, 1]], 1.0);
        assert!(close(r[[0, 1]], 2.5 / (19.0_f64 / 3.0).sqrt(), TOL));
        assert_eq!(r[[0, 1]], r[[1, 0]]);
    }

    #[test]
    fn pearson_perfect_and_constant_columns() {
        let r =
            pearson_correlation(m(&[&[0.1, 0.2, -1.0, 0.1], &[0.2, 0.4, -2.0, 0.1], &[0.3, 0.6, -3.0, 0.1]]).view());
        assert!(close(r[[0, 1]], 1.0, TOL));
        assert!(close(r[[0, 2]], -1.0, TOL));
        // Column 4 is constant (0.1 three times): undefined, never rounding noise.
        for j in 0..4 {
            assert!(r[[3, j]].is_nan() && r[[j, 3]].is_nan(), "r[3][{j}]");
        }
    }

    #[test]
    fn pearson_is_pairwise_complete() {
        // Row 3 is missing in column 1, so the pair (1, 2) uses rows 1, 2, 4: y = 2x there.
        let nan = f64::NAN;
        let r = pearson_correlation(m(&[&[1.0, 2.0], &[2.0, 4.0], &[nan, 100.0], &[4.0, 8.0]]).view());
        assert!(close(r[[0, 1]], 1.0, TOL));
        // Fewer than two complete pairs: undefined.
        let r = pearson_correlation(m(&[&[1.0, nan], &[nan, 2.0], &[3.0, 3.0]]).view());
        assert!(r[[0, 1]].is_nan());
        assert_eq!(r[[0, 0]], 1.0);
    }

    #[test]
    fn eigen_2x2() {
        // [[2, 1], [1, 2]]: λ = 3 with (1, 1)/√2 and λ = 1 with (1, −1)/√2 (up to sign, as the
        // two components tie in absolute value).
        let (values, vectors) = symmetric_eigen(m(&[&[2.0, 1.0], &[1.0, 2.0]]).view());
        assert!(close(values[0], 3.0, TOL) && close(values[1], 1.0, TOL));
        let h = 0.5_f64.sqrt();
        assert!(close(vectors[[0, 0]], h, TOL) && close(vectors[[1, 0]], h, TOL));
        assert!(close(vectors[[0, 1]].abs(), h, TOL));
        assert!(close(vectors[[0, 1]], -vectors[[1, 1]], TOL));
    }

    #[test]
    fn eigen_3x3_by_hand_with_sign_convention() {
        // [[2, 0, 0], [0, 3, 4], [0, 4, 9]]: the block [[3, 4], [4, 9]] has trace 12 and
        // determinant 11, so λ = 11 and 1, with vectors (1, 2)/√5 and (2, −1)/√5; e₁ has λ = 2.
        // Signed so that the largest component is positive.
        let (values, vectors) = symmetric_eigen(m(&[&[2.0, 0.0, 0.0], &[0.0, 3.0, 4.0], &[0.0, 4.0, 9.0]]).view());
        for (got, want) in values.iter().zip([11.0, 2.0, 1.0]) {
            assert!(close(*got, want, TOL), "eigenvalue {got} vs {want}");
        }
        let r5 = 5.0_f64.sqrt();
        let want = [[0.0, 1.0 / r5, 2.0 / r5], [1.0, 0.0, 0.0], [0.0, 2.0 / r5, -1.0 / r5]];
        for (k, col) in want.iter().enumerate() {
            for (i, &x) in col.iter().enumerate() {
                assert!(close(vectors[[i, k]], x, TOL), "v[{i}][{k}] = {} vs {x}", vectors[[i, k]]);
            }
        }
    }

    #[test]
    fn eigen_diagonal_is_sorted() {
        let (values, vectors) = symmetric_eigen(m(&[&[1.0, 0.0, 0.0], &[0.0, 5.0, 0.0], &[0.0, 0.0, 3.0]]).view());
        assert_eq!(values, vec![5.0, 3.0, 1.0]);
        assert_eq!(vectors.column(0).to_vec(), [0.0, 1.0, 0.0]);
        assert_eq!(vectors.column(1).to_vec(), [0.0, 0.0, 1.0]);
        assert_eq!(vectors.column(2).to_vec(), [1.0, 0.0, 0.0]);
    }

    #[test]
    fn eigen_residuals_and_orthonormality() {
        // Tridiagonal [[4, 1, 0, 0], [1, 4, 1, 0], [0, 1, 4, 1], [0, 0, 1, 4]]:
        // λ_k = 4 + 2 cos(kπ/5), k = 1..4.
        let a = m(&[&[4.0, 1.0, 0.0, 0.0], &[1.0, 4.0, 1.0, 0.0], &[0.0, 1.0, 4.0, 1.0], &[0.0, 0.0, 1.0, 4.0]]);
        let (values, vectors) = symmetric_eigen(a.view());
        for (k, &l) in values.iter().enumerate() {
            let want = 4.0 + 2.0 * ((k + 1) as f64 * std::f64::consts::PI / 5.0).cos();
            assert!(close(l, want, 1e-12), "λ{k} = {l} vs {want}");
            let av = mat_vec(a.view(), &vectors.column(k).to_vec());
            for (i, y) in av.iter().enumerate() {
                assert!(close(*y, l * vectors[[i, k]], 1e-12));
            }
            for j in 0..4 {
                let dot = vectors.column(k).dot(&vectors.column(j));
                assert!(close(dot, if j == k { 1.0 } else { 0.0 }, 1e-12));
            }
        }
    }

    #[test]
    fn eigen_of_nan_is_nan_and_empty_is_empty() {
        let (values, vectors) = symmetric_eigen(m(&[&[1.0, f64::NAN], &[f64::NAN, 1.0]]).view());
        assert!(values.iter().all(|v| v.is_nan()));
        assert!(vectors.iter().all(|v| v.is_nan()));
        let (values, vectors) = symmetric_eigen(missing(0, 0).view());
        assert!(values.is_empty() && vectors.nrows() == 0);
    }

    #[test]
    fn power_iteration_on_a_consistent_matrix() {
        // a_ij = w_i / w_j with w = (0.5, 0.3, 0.2): A = w (1/w)ᵀ has rank 1, λ = n = 3.
        let w = [0.5, 0.3, 0.2];
        let rows: Vec<Vec<f64>> = w.iter().map(|wi| w.iter().map(|wj| wi / wj).collect()).collect();
        let a = crate::kernels::from_rows(&rows).unwrap();
        let (lambda, v) = principal_eigenvector(a.view(), 1e-12, 1000).unwrap();
        assert!(close(lambda, 3.0, 1e-12));
        for (got, want) in v.iter().zip(w) {
            assert!(close(*got, want, 1e-12));
        }
    }

    #[test]
    fn power_iteration_2x2_by_hand() {
        // [[1, 3], [1/2, 1]]: λ = 1 + √(3/2), w ∝ (√6, 1) since w_1 / w_2 = 3 / √(3/2) = √6.
        let a = m(&[&[1.0, 3.0], &[0.5, 1.0]]);
        let (lambda, w) = principal_eigenvector(a.view(), 1e-13, 10_000).unwrap();
        assert!(close(lambda, 1.0 + 1.5_f64.sqrt(), 1e-11));
        let s6 = 6.0_f64.sqrt();
        assert!(close(w[0], s6 / (s6 + 1.0), 1e-11) && close(w[1], 1.0 / (s6 + 1.0), 1e-11));
    }

    #[test]
    fn power_iteration_refuses_bad_input() {
        assert!(matches!(principal_eigenvector(m(&[&[1.0, 0.0], &[1.0, 1.0]]).view(), 1e-12, 10), Err(Error::Spec(_))));
        assert!(matches!(principal_eigenvector(m(&[&[1.0, 2.0]]).view(), 1e-12, 10), Err(Error::Spec(_))));
        assert!(matches!(principal_eigenvector(m(&[&[1.0]]).view(), 0.0, 10), Err(Error::Spec(_))));
        let slow = m(&[&[1.0, 9.0, 0.2], &[1.0 / 9.0, 1.0, 7.0], &[5.0, 1.0 / 7.0, 1.0]]);
        assert!(matches!(principal_eigenvector(slow.view(), 1e-15, 1), Err(Error::Method { .. })));
    }

    #[test]
    fn solve_by_hand_and_with_pivoting() {
        // 2x + y = 3, x + 3y = 5 → x = 4/5, y = 7/5.
        let x = solve(m(&[&[2.0, 1.0], &[1.0, 3.0]]).view(), &[3.0, 5.0]).unwrap();
        assert!(close(x[0], 0.8, TOL) && close(x[1], 1.4, TOL));
        // A zero first pivot needs the row swap: y = 2, x = 3.
        let x = solve(m(&[&[0.0, 1.0], &[1.0, 0.0]]).view(), &[2.0, 3.0]).unwrap();
        assert_eq!(x, vec![3.0, 2.0]);
        // 3 × 3: x = (1, −2, 3).
        let a = m(&[&[2.0, -1.0, 0.0], &[-1.0, 2.0, -1.0], &[0.0, -1.0, 2.0]]);
        let x = solve(a.view(), &[4.0, -8.0, 8.0]).unwrap();
        for (got, want) in x.iter().zip([1.0, -2.0, 3.0]) {
            assert!(close(*got, want, TOL));
        }
    }

    #[test]
    fn solve_reports_singular_systems() {
        assert!(solve(m(&[&[1.0, 2.0], &[2.0, 4.0]]).view(), &[1.0, 2.0]).is_none());
        assert!(solve(m(&[&[0.0, 0.0], &[0.0, 0.0]]).view(), &[0.0, 0.0]).is_none());
        // Singular in exact arithmetic, but rounding leaves a pivot of ~1e-17 rather than 0:
        // still singular to the relative tolerance.
        assert!(solve(m(&[&[0.1, 0.3], &[0.3, 0.9]]).view(), &[1.0, 3.0]).is_none());
    }

    #[test]
    fn solve_empty_and_any_layout() {
        assert_eq!(solve(missing(0, 0).view(), &[]), Some(Vec::new()));
        let rows = crate::kernels::array![[2.0, -1.0, 0.0], [-1.0, 2.0, -1.0], [0.0, -1.0, 2.0]];
        let columns = m(&[&[2.0, -1.0, 0.0], &[-1.0, 2.0, -1.0], &[0.0, -1.0, 2.0]]);
        assert_eq!(solve(rows.view(), &[4.0, -8.0, 8.0]), solve(columns.view(), &[4.0, -8.0, 8.0]));
    }
}
