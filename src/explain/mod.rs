//! Step-by-step tables (解题过程表) of the weight and ranking methods on a decision matrix, as
//! Chinese papers print them and reviewers check them (issue 17): the intermediate matrices of
//! each method, each written from the method's formula (the module documentation of the
//! library function) and ending in the number the method returns, so that a reader can redo
//! every step. The command line writes them as CSV files (`weights --explain DIR`, `rank
//! --explain DIR`), Python returns them as polars frames (`explain=True`); one implementation.
//!
//! Tables, named as the CSV files (without `.csv`):
//! - `entropy`, `entropy_normalized`: `entropy_p` (p_ij, one column per criterion) and
//!   `entropy_criteria` (criterion, e, d, weight);
//! - `critic`: `critic_normalized` (min-max, every column as benefit), `critic_correlation`
//!   (Pearson ρ between criteria; 0 beside a constant column) and `critic_criteria` (criterion,
//!   sigma, conflict = Σ_k (1 − ρ_jk), information = sigma × conflict, weight);
//! - `topsis`: `topsis_normalized`, `topsis_weighted`, `topsis_ideal` (criterion, ideal,
//!   anti_ideal) and `topsis_distances` (alternative, d_plus, d_minus, closeness);
//! - `grey_relational`: `grey_delta` (|x0 − r|), `grey_coefficients` (ξ, then the grade
//!   γ = Σ w ξ / Σ w) and `grey_summary` (delta_min, delta_max, rho, normalize);
//! - `vikor`: `vikor_best_worst` (criterion, best, worst, on the oriented values: −x for a
//!   cost criterion) and `vikor_terms` (d_ij = w (f* − f)/(f* − f−), then s, r, q).
//!
//! Matrix tables start with a column `alternative`, criterion tables with `criterion`; rows and
//! columns are named by the [`Labels`] given (by position, `row 1` and `c1`, when empty).
//! Other methods are refused by [`check_weight_method`] and [`check_rank_method`] with the list
//! of those that have tables.

mod critic;
mod entropy;
mod grey_relational;
mod topsis;
mod vikor;

use polars::prelude::{Column, DataFrame};

use crate::aggregate::Labels;
use crate::error::{Error, Location, Result};
use crate::kernels::ArrayView2;

pub use critic::critic;
pub use entropy::entropy;
pub use grey_relational::grey_relational;
pub use topsis::topsis;
pub use vikor::vikor;

/// The tables of one method, in the order above: (name, table).
pub type Tables = Vec<(&'static str, DataFrame)>;

/// The weight methods with tables.
pub const WEIGHT_METHODS: &[&str] = &["entropy", "entropy_normalized", "critic"];
/// The ranking methods with tables.
pub const RANK_METHODS: &[&str] = &["topsis", "grey_relational", "vikor"];

fn refuse(method: &str, takers: &[&str]) -> Error {
    Error::Spec(format!(
        "explain writes the tables of {} only, not of {method} (leave explain out or change the method)",
        takers.join(", ")
    ))
}

/// Checks that the weight method `method` has tables ([`WEIGHT_METHODS`]).
///
/// # Errors
/// [`Error::Spec`] naming the methods that have tables.
pub fn check_weight_method(method: &crate::weight::Weight) -> Result<()> {
    use crate::weight::Weight;
    match method {
        Weight::Entropy | Weight::EntropyNormalized { .. } | Weight::Critic => Ok(()),
        other => Err(refuse(&other.to_string(), WEIGHT_METHODS)),
    }
}

/// Checks that the ranking method `method` (its name) has tables ([`RANK_METHODS`]).
///
/// # Errors
/// [`Error::Spec`] naming the methods that have tables.
pub fn check_rank_method(method: &str) -> Result<()> {
    if RANK_METHODS.contains(&method) {
        Ok(())
    } else {
        Err(refuse(method, RANK_METHODS))
    }
}

/// The tables of the weight method `method` (entropy, entropy_normalized or CRITIC) on `x`
/// (rows = alternatives, columns = criteria), `directions` one per column (entropy_normalized
/// orients by them; the others ignore them).
///
/// # Errors
/// [`Error::Spec`] for another method ([`check_weight_method`]); [`Error::Shape`] when the
/// labels or directions do not fit the matrix, or two columns would share a name;
/// [`Error::Method`] naming a missing or infinite cell.
pub fn weights(
    x: ArrayView2<'_, f64>,
    labels: Labels<'_>,
    method: &crate::weight::Weight,
    directions: &[crate::direction::Direction],
) -> Result<Tables> {
    check_weight_method(method)?;
    match method {
        crate::weight::Weight::Critic => critic(x, labels),
        _ => entropy(x, labels, method, directions),
    }
}

/// The row and column names of the tables: the labels given, else by position.
pub(crate) struct Names {
    alternatives: Vec<String>,
    criteria: Vec<String>,
}

impl Names {
    /// The names of the matrix `x` from `labels`, after checking that every cell of `x` is a
    /// finite number (the tables redo the method on the whole matrix).
    ///
    /// # Errors
    /// [`Error::Shape`] when a non-empty list of labels does not have one name per row or
    /// column; [`Error::Method`] naming the unit and criterion of a missing or infinite cell.
    pub(crate) fn of_matrix(x: ArrayView2<'_, f64>, labels: Labels<'_>) -> Result<Names> {
        let names = Names::of(labels, x.nrows(), x.ncols())?;
        if let Some(((i, j), value)) = x.indexed_iter().find(|(_, v)| !v.is_finite()) {
            return Err(Error::method(
                "explain",
                Some(Location {
                    unit: Some(names.alternatives[i].clone()),
                    indicator: Some(names.criteria[j].clone()),
                    ..Default::default()
                }),
                format!("the tables need a complete matrix of finite numbers, found {value}: impute first"),
            ));
        }
        Ok(names)
    }

    /// The names of an `rows` × `n` matrix from `labels`.
    ///
    /// # Errors
    /// [`Error::Shape`] when a non-empty list of labels does not have one name per row or column.
    fn of(labels: Labels<'_>, rows: usize, n: usize) -> Result<Names> {
        let pick = |given: &[String], count: usize, prefix: &str, what: &str| -> Result<Vec<String>> {
            match given.len() {
                0 => Ok((1..=count).map(|k| format!("{prefix}{k}")).collect()),
                len if len == count => Ok(given.to_vec()),
                len => Err(Error::Shape(format!("{len} {what} names for {count} {what}"))),
            }
        };
        Ok(Names {
            alternatives: pick(labels.rows, rows, "row ", "alternative")?,
            criteria: pick(labels.columns, n, "c", "criterion")?,
        })
    }

    /// Number of criteria.
    pub(crate) fn n(&self) -> usize {
        self.criteria.len()
    }

    /// Number of alternatives.
    pub(crate) fn rows(&self) -> usize {
        self.alternatives.len()
    }

    /// A table with one row per alternative and one column per criterion (`cell(i, j)`),
    /// then the extra columns `tail` (name, one value per alternative).
    pub(crate) fn matrix(&self, cell: impl Fn(usize, usize) -> f64, tail: &[(&str, &[f64])]) -> Result<DataFrame> {
        let mut columns = vec![Column::new("alternative".into(), self.alternatives.clone())];
        for (j, c) in self.criteria.iter().enumerate() {
            let values: Vec<f64> = (0..self.rows()).map(|i| cell(i, j)).collect();
            columns.push(Column::new(c.as_str().into(), values));
        }
        for (name, values) in tail {
            columns.push(Column::new((*name).into(), values.to_vec()));
        }
        frame(columns)
    }

    /// A table with one row per alternative: `alternative`, then the named columns (one value
    /// per alternative).
    pub(crate) fn per_alternative(&self, columns: &[(&str, &[f64])]) -> Result<DataFrame> {
        let mut out = vec![Column::new("alternative".into(), self.alternatives.clone())];
        for (name, values) in columns {
            out.push(Column::new((*name).into(), values.to_vec()));
        }
        frame(out)
    }

    /// A table with one row per criterion: `criterion`, then the named columns (one value per
    /// criterion).
    pub(crate) fn criteria(&self, columns: &[(&str, &[f64])]) -> Result<DataFrame> {
        let mut out = vec![Column::new("criterion".into(), self.criteria.clone())];
        for (name, values) in columns {
            out.push(Column::new((*name).into(), values.to_vec()));
        }
        frame(out)
    }

    /// The square table `criterion`, then one column per criterion (`cell(j, k)`).
    pub(crate) fn square(&self, cell: impl Fn(usize, usize) -> f64) -> Result<DataFrame> {
        let mut columns = vec![Column::new("criterion".into(), self.criteria.clone())];
        for (k, c) in self.criteria.iter().enumerate() {
            let values: Vec<f64> = (0..self.n()).map(|j| cell(j, k)).collect();
            columns.push(Column::new(c.as_str().into(), values));
        }
        frame(columns)
    }
}

/// The columns as a table; a repeated name (a criterion called `alternative`, two criteria of
/// one name) is refused.
fn frame(columns: Vec<Column>) -> Result<DataFrame> {
    DataFrame::new_infer_height(columns)
        .map_err(|e| Error::Shape(format!("explain tables: {e} (give the criteria distinct names)")))
}

/// Checks that `x` has one direction per column (or one weight, for `what` = "weights").
pub(crate) fn check_len(what: &str, len: usize, n: usize) -> Result<()> {
    if len == n {
        Ok(())
    } else {
        Err(Error::Shape(format!("{len} {what} for {n} criteria")))
    }
}
