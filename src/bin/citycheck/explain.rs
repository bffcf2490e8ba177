//! `--explain DIR` on `weights` and `rank`: the intermediate tables of the method, as Chinese
//! papers print them and reviewers check them (issue 17). Each table is written from the
//! method's formula (the module documentation of the library function) and ends in the number
//! the command prints, so that a reader can redo every step; a test checks that the tables
//! sum back to the printed weights and scores.
//!
//! - `entropy`, `entropy_normalized`: `entropy_p.csv` (p_ij, one column per criterion) and
//!   `entropy_criteria.csv` (criterion, e, d, weight);
//! - `critic`: `critic_normalized.csv` (min-max, every column as benefit),
//!   `critic_correlation.csv` (Pearson ρ between criteria; 0 beside a constant column) and
//!   `critic_criteria.csv` (criterion, sigma, conflict = Σ_k (1 − ρ_jk), information =
//!   sigma × conflict, weight);
//! - `topsis`: `topsis_normalized.csv`, `topsis_weighted.csv`, `topsis_ideal.csv` (criterion,
//!   ideal, anti_ideal) and `topsis_distances.csv` (alternative, d_plus, d_minus, closeness);
//! - `grey_relational`: `grey_delta.csv` (|x0 − r|), `grey_coefficients.csv` (ξ, then the grade
//!   γ = Σ w ξ) and `grey_summary.csv` (delta_min, delta_max, rho);
//! - `vikor`: `vikor_best_worst.csv` (criterion, best, worst, on the oriented values: −x for a
//!   cost criterion) and `vikor_terms.csv` (d_ij = w (f* − f)/(f* − f−), then s, r, q).
//!
//! Other methods refuse `--explain` with the list of those that write tables.

use std::fmt::Write as _;
use std::path::Path;

use citycheck::aggregate::{GreyNormalization, TopsisNormalization};
use citycheck::direction::{orient, Direction};
use citycheck::io::csv_text;
use citycheck::kernels::{column, scale, stats, Array2};
use citycheck::panel::DecisionMatrix;
use citycheck::weight::Weight;
use citycheck::{Error, Result};

/// The weight methods `weights --explain` writes tables for.
pub const WEIGHT_METHODS: &[&str] = &["entropy", "entropy_normalized", "critic"];
/// The ranking methods `rank --explain` writes tables for.
pub const RANK_METHODS: &[&str] = &["topsis", "grey_relational", "vikor"];

fn refuse(method: &str, takers: &[&str]) -> Error {
    Error::Spec(format!(
        "--explain writes the tables of {} only, not of {method} (leave --explain out or change --method)",
        takers.join(", ")
    ))
}

/// Checks that `--explain` can explain the weight method `method`.
pub fn check_weight_method(method: &Weight) -> Result<()> {
    match method {
        Weight::Entropy | Weight::EntropyNormalized { .. } | Weight::Critic => Ok(()),
        other => Err(refuse(&other.to_string(), WEIGHT_METHODS)),
    }
}

/// Checks that `--explain` can explain the ranking method `method`.
pub fn check_rank_method(method: &str) -> Result<()> {
    if RANK_METHODS.contains(&method) {
        Ok(())
    } else {
        Err(refuse(method, RANK_METHODS))
    }
}

fn write_file(dir: &Path, name: &str, text: &str) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Spec(format!("--explain {}: {e}", dir.display())))?;
    let path = dir.join(name);
    std::fs::write(&path, text).map_err(|e| Error::Spec(format!("cannot write {}: {e}", path.display())))
}

/// A table with one row per alternative and one column per criterion (`cell(i, j)`), then the
/// extra columns `tail` (`name`, one value per alternative).
fn matrix_table(m: &DecisionMatrix, cell: impl Fn(usize, usize) -> f64, tail: &[(&str, &[f64])]) -> String {
    let mut out = String::from("alternative");
    for c in &m.criteria {
        let _ = write!(out, ",{}", csv_text(c));
    }
    for (name, _) in tail {
        let _ = write!(out, ",{name}");
    }
    out.push('\n');
    for (i, a) in m.alternatives.iter().enumerate() {
        out.push_str(&csv_text(a));
        for j in 0..m.criteria.len() {
            let _ = write!(out, ",{}", cell(i, j));
        }
        for (_, values) in tail {
            let _ = write!(out, ",{}", values[i]);
        }
        out.push('\n');
    }
    out
}

/// A table with one row per criterion: `criterion`, then the named columns.
fn criteria_table(m: &DecisionMatrix, columns: &[(&str, &[f64])]) -> String {
    let mut out = String::from("criterion");
    for (name, _) in columns {
        let _ = write!(out, ",{name}");
    }
    out.push('\n');
    for (j, c) in m.criteria.iter().enumerate() {
        out.push_str(&csv_text(c));
        for (_, values) in columns {
            let _ = write!(out, ",{}", values[j]);
        }
        out.push('\n');
    }
    out
}

/// The tables of the weight method `method` (checked by [`check_weight_method`]).
pub fn weights(dir: &Path, m: &DecisionMatrix, method: &Weight, dirs: &[Direction]) -> Result<()> {
    match method {
        Weight::Critic => critic(dir, m),
        _ => entropy(dir, m, method, dirs),
    }
}

/// CRITIC's tables: r = min-max of every column as benefit (0 for a constant column), σ_j the
/// sd of r (ddof 1), ρ the Pearson correlation of the columns (0 beside a constant column),
/// conflict_j = Σ_k (1 − ρ_jk), C_j = σ_j · conflict_j (0 for a constant column), w = C/ΣC.
fn critic(dir: &Path, m: &DecisionMatrix) -> Result<()> {
    let (rows, n) = (m.alternatives.len(), m.criteria.len());
    let mut r = Array2::<f64>::zeros((rows, n));
    let mut constant = vec![false; n];
    let mut out = vec![0.0; rows];
    for (j, flag) in constant.iter_mut().enumerate() {
        *flag = !scale::oriented_min_max(Direction::Higher, &column(m.values.view(), j), &mut out, 0.0);
        for (i, &x) in out.iter().enumerate() {
            r[[i, j]] = x;
        }
    }
    let col = |j: usize| -> Vec<f64> { (0..rows).map(|i| r[[i, j]]).collect() };
    let sigma: Vec<f64> = (0..n).map(|j| stats::sd(&col(j))).collect();
    let rho = |j: usize, k: usize| -> f64 {
        if j == k {
            return 1.0;
        }
        if constant[j] || constant[k] {
            return 0.0;
        }
        let (a, b) = (col(j), col(k));
        let (ma, mb) = (stats::mean(&a), stats::mean(&b));
        let cov: f64 = a.iter().zip(&b).map(|(x, y)| (x - ma) * (y - mb)).sum();
        let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
        let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
        cov / (va * vb).sqrt()
    };
    let tolerance = n as f64 * 1e-13;
    let conflict: Vec<f64> = (0..n)
        .map(|j| {
            let c: f64 = (0..n).map(|k| 1.0 - rho(j, k)).sum();
            if constant[j] || c < tolerance {
                0.0
            } else {
                c
            }
        })
        .collect();
    let information: Vec<f64> = sigma.iter().zip(&conflict).map(|(s, c)| s * c).collect();
    let total = stats::sum(information.iter().copied());
    let w: Vec<f64> = information.iter().map(|c| if total > 0.0 { c / total } else { 1.0 / n as f64 }).collect();
    write_file(dir, "critic_normalized.csv", &matrix_table(m, |i, j| r[[i, j]], &[]))?;
    let mut table = String::from("criterion");
    for c in &m.criteria {
        let _ = write!(table, ",{}", csv_text(c));
    }
    table.push('\n');
    for (j, c) in m.criteria.iter().enumerate() {
        table.push_str(&csv_text(c));
        for k in 0..n {
            let _ = write!(table, ",{}", rho(j, k));
        }
        table.push('\n');
    }
    write_file(dir, "critic_correlation.csv", &table)?;
    let columns = [
        ("sigma", sigma.as_slice()),
        ("conflict", conflict.as_slice()),
        ("information", information.as_slice()),
        ("weight", w.as_slice()),
    ];
    write_file(dir, "critic_criteria.csv", &criteria_table(m, &columns))
}

/// Entropy's tables: v (raw values, or min-max scores shifted or rescaled), p = v/Σv,
/// E = −(1/ln m) Σ p ln p (1 for a constant column), d = 1 − E, w = d/Σd.
fn entropy(dir: &Path, m: &DecisionMatrix, method: &Weight, dirs: &[Direction]) -> Result<()> {
    let (rows, n) = (m.alternatives.len(), m.criteria.len());
    let mut p = Array2::<f64>::zeros((rows, n));
    let mut e = vec![1.0; n];
    for j in 0..n {
        let col = column(m.values.view(), j);
        let mut v = vec![0.0; rows];
        let varies = match method {
            Weight::EntropyNormalized { shift, rescale } => {
                let varies = scale::oriented_min_max(dirs[j], &col, &mut v, 1.0);
                for x in v.iter_mut() {
                    *x = match rescale {
                        Some([lo, hi]) => lo + (hi - lo) * *x,
                        None => *x + shift,
                    };
                }
                varies
            }
            _ => {
                v.copy_from_slice(&col);
                v.iter().any(|&x| x != v[0])
            }
        };
        let total = stats::sum(v.iter().copied());
        for (i, &x) in v.iter().enumerate() {
            p[[i, j]] = if total > 0.0 { x / total } else { 0.0 };
        }
        if varies && rows >= 2 && total > 0.0 {
            let h: f64 = (0..rows).map(|i| p[[i, j]]).filter(|&q| q > 0.0).map(|q| q * q.ln()).sum();
            e[j] = (-h / (rows as f64).ln()).clamp(0.0, 1.0);
        }
    }
    let d: Vec<f64> = e.iter().map(|x| 1.0 - x).collect();
    let total = stats::sum(d.iter().copied());
    let w: Vec<f64> = d.iter().map(|x| if total > 0.0 { x / total } else { 1.0 / n as f64 }).collect();
    write_file(dir, "entropy_p.csv", &matrix_table(m, |i, j| p[[i, j]], &[]))?;
    let columns = [("e", e.as_slice()), ("d", d.as_slice()), ("weight", w.as_slice())];
    write_file(dir, "entropy_criteria.csv", &criteria_table(m, &columns))
}

/// TOPSIS's tables with the weights `w` the ranking used.
pub fn topsis(
    dir: &Path,
    m: &DecisionMatrix,
    w: &[f64],
    dirs: &[Direction],
    normalization: TopsisNormalization,
) -> Result<()> {
    let (rows, n) = (m.alternatives.len(), m.criteria.len());
    let mut r = Array2::<f64>::zeros((rows, n));
    let (mut ideal, mut anti) = (vec![0.0; n], vec![0.0; n]);
    for j in 0..n {
        let col = column(m.values.view(), j);
        let mut out = vec![0.0; rows];
        match normalization {
            TopsisNormalization::Vector => {
                let norm = stats::sum(col.iter().map(|x| x * x)).sqrt();
                for (o, &x) in out.iter_mut().zip(col.iter()) {
                    *o = if norm > 0.0 { x / norm } else { 0.0 };
                }
            }
            _ => {
                scale::oriented_min_max(dirs[j], &col, &mut out, 1.0);
            }
        }
        let (lo, hi) = stats::min_max(&out).unwrap_or((0.0, 0.0));
        let (best, worst) = match (normalization, dirs[j]) {
            (TopsisNormalization::Vector, Direction::Lower) => (lo, hi),
            _ => (hi, lo),
        };
        ideal[j] = w[j] * best;
        anti[j] = w[j] * worst;
        for (i, &x) in out.iter().enumerate() {
            r[[i, j]] = x;
        }
    }
    let v = |i: usize, j: usize| w[j] * r[[i, j]];
    let distance = |i: usize, target: &[f64]| (0..n).map(|j| (v(i, j) - target[j]).powi(2)).sum::<f64>().sqrt();
    let d_plus: Vec<f64> = (0..rows).map(|i| distance(i, ideal.as_slice())).collect();
    let d_minus: Vec<f64> = (0..rows).map(|i| distance(i, anti.as_slice())).collect();
    let closeness: Vec<f64> =
        d_plus.iter().zip(&d_minus).map(|(&p, &q)| if p + q > 0.0 { q / (p + q) } else { 0.5 }).collect();
    write_file(dir, "topsis_normalized.csv", &matrix_table(m, |i, j| r[[i, j]], &[]))?;
    write_file(dir, "topsis_weighted.csv", &matrix_table(m, v, &[]))?;
    let ideals = [("ideal", ideal.as_slice()), ("anti_ideal", anti.as_slice())];
    write_file(dir, "topsis_ideal.csv", &criteria_table(m, &ideals))?;
    let mut out = String::from("alternative,d_plus,d_minus,closeness\n");
    for (i, a) in m.alternatives.iter().enumerate() {
        let _ = writeln!(out, "{},{},{},{}", csv_text(a), d_plus[i], d_minus[i], closeness[i]);
    }
    write_file(dir, "topsis_distances.csv", &out)
}

/// Grey relational analysis's tables with the weights `w` the ranking used.
pub fn grey_relational(
    dir: &Path,
    m: &DecisionMatrix,
    w: &[f64],
    dirs: &[Direction],
    rho: f64,
    normalize: GreyNormalization,
) -> Result<()> {
    let (rows, n) = (m.alternatives.len(), m.criteria.len());
    let mut delta = Array2::<f64>::zeros((rows, n));
    for j in 0..n {
        let col = column(m.values.view(), j);
        let mut r = vec![0.0; rows];
        let reference = match normalize {
            GreyNormalization::MinMax => {
                scale::oriented_min_max(dirs[j], &col, &mut r, 1.0);
                r.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            }
            _ => {
                let base = if normalize == GreyNormalization::InitialValue { col[0] } else { stats::mean(&col) };
                for (o, &x) in r.iter_mut().zip(col.iter()) {
                    *o = x / base;
                }
                let (lo, hi) = stats::min_max(&r).unwrap_or((0.0, 0.0));
                if dirs[j] == Direction::Lower {
                    lo
                } else {
                    hi
                }
            }
        };
        for (i, &x) in r.iter().enumerate() {
            delta[[i, j]] = (reference - x).abs();
        }
    }
    let (delta_min, delta_max) =
        delta.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    let xi = |i: usize, j: usize| {
        if delta_max > 0.0 {
            (delta_min + rho * delta_max) / (delta[[i, j]] + rho * delta_max)
        } else {
            1.0
        }
    };
    let total_w = stats::sum(w.iter().copied());
    let grade: Vec<f64> = (0..rows).map(|i| (0..n).map(|j| w[j] / total_w * xi(i, j)).sum::<f64>()).collect();
    write_file(dir, "grey_delta.csv", &matrix_table(m, |i, j| delta[[i, j]], &[]))?;
    write_file(dir, "grey_coefficients.csv", &matrix_table(m, xi, &[("grade", grade.as_slice())]))?;
    write_file(
        dir,
        "grey_summary.csv",
        &format!("delta_min,delta_max,rho,normalize\n{delta_min},{delta_max},{rho},{}\n", normalize.as_str()),
    )
}

/// VIKOR's tables with the weights `w` the ranking used.
pub fn vikor(dir: &Path, m: &DecisionMatrix, w: &[f64], dirs: &[Direction], v: f64) -> Result<()> {
    let (rows, n) = (m.alternatives.len(), m.criteria.len());
    let mut terms = Array2::<f64>::zeros((rows, n));
    let (mut best, mut worst) = (vec![0.0; n], vec![0.0; n]);
    for j in 0..n {
        let o: Vec<f64> = column(m.values.view(), j).iter().map(|&x| orient(dirs[j], x)).collect();
        let (lo, hi) = stats::min_max(&o).unwrap_or((0.0, 0.0));
        best[j] = hi;
        worst[j] = lo;
        for (i, &oi) in o.iter().enumerate() {
            terms[[i, j]] = if hi > lo { w[j] * (hi - oi) / (hi - lo) } else { 0.0 };
        }
    }
    let s: Vec<f64> = (0..rows).map(|i| (0..n).map(|j| terms[[i, j]]).sum::<f64>()).collect();
    let r: Vec<f64> = (0..rows).map(|i| (0..n).map(|j| terms[[i, j]]).fold(0.0, f64::max)).collect();
    let spread = |y: &[f64]| -> Vec<f64> {
        let (lo, hi) = stats::min_max(y).unwrap_or((0.0, 0.0));
        y.iter().map(|&x| if hi > lo { (x - lo) / (hi - lo) } else { 0.0 }).collect()
    };
    let (s_term, r_term) = (spread(&s), spread(&r));
    let q: Vec<f64> = s_term.iter().zip(&r_term).map(|(&a, &b)| v * a + (1.0 - v) * b).collect();
    let bounds = [("best", best.as_slice()), ("worst", worst.as_slice())];
    write_file(dir, "vikor_best_worst.csv", &criteria_table(m, &bounds))?;
    let tail = [("s", s.as_slice()), ("r", r.as_slice()), ("q", q.as_slice())];
    write_file(dir, "vikor_terms.csv", &matrix_table(m, |i, j| terms[[i, j]], &tail))
}
