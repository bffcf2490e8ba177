//! The method kernels on plain matrices: weights (`weight::*`) and aggregation
//! (`aggregate::*`). Matrices arrive as lists of rows (the facade converts numpy arrays with
//! `.tolist()`): no numpy crate, and the copy is negligible next to the method.
//!
//! Each function returns what its library function returns, plus the warnings it collected,
//! which the facade re-emits as Python warnings.

use citycheck::aggregate::{self, Aggregate, Labels, MissingPolicy};
use citycheck::direction::Direction;
use citycheck::kernels::{self, Array2};
use citycheck::weight::{self, Criteria, Weight};
use pyo3::prelude::*;

use crate::error::citycheck_error;
use crate::{from_json, from_name};

fn matrix(rows: &[Vec<f64>]) -> PyResult<Array2<f64>> {
    kernels::from_rows(rows).map_err(citycheck_error)
}

#[pyfunction]
fn weights_equal(n: usize) -> Vec<f64> {
    weight::equal(n)
}

/// Weights of a plain matrix by any method of `citycheck::weight::Weight`, given as its JSON
/// form (`{"method": "critic"}`); here the raw values and the scores are the same matrix.
/// `directions` is a JSON list of catalogue directions (`"higher"`, `"lower"`,
/// `{"band": [a, b]}`, `{"target": t}`); columns beyond it are `higher`.
#[pyfunction]
#[pyo3(signature = (method, x, names, directions="[]"))]
fn weights_compute(
    method: &str,
    x: Vec<Vec<f64>>,
    names: Vec<String>,
    directions: &str,
) -> PyResult<(Vec<f64>, Vec<String>)> {
    let x = matrix(&x)?;
    let method: Weight = from_json("method", method)?;
    let directions = directions_for(&x, directions)?;
    let expert = vec![None; x.ncols()];
    let criteria = Criteria { names: &names, directions: &directions, expert: &expert, judgement: None };
    let mut warnings = Vec::new();
    let w = method.compute(x.view(), x.view(), criteria, &mut warnings).map_err(citycheck_error)?;
    Ok((w, warnings))
}

/// One of the weighted means on a plain matrix (gaps renormalised); `rows` and `columns`
/// name the units and criteria in error messages.
fn weighted_mean(
    method: Aggregate,
    x: Vec<Vec<f64>>,
    w: Vec<f64>,
    rows: Vec<String>,
    columns: Vec<String>,
) -> PyResult<Vec<f64>> {
    let x = matrix(&x)?;
    let labels = Labels { rows: &rows, columns: &columns, year: None };
    method.apply(x.view(), &w, MissingPolicy::Renormalize, labels).map_err(citycheck_error)
}

#[pyfunction]
fn aggregate_arithmetic(x: Vec<Vec<f64>>, w: Vec<f64>) -> PyResult<Vec<f64>> {
    weighted_mean(Aggregate::Arithmetic, x, w, Vec::new(), Vec::new())
}

#[pyfunction]
fn aggregate_geometric(x: Vec<Vec<f64>>, w: Vec<f64>, rows: Vec<String>, columns: Vec<String>) -> PyResult<Vec<f64>> {
    weighted_mean(Aggregate::Geometric, x, w, rows, columns)
}

#[pyfunction]
fn aggregate_harmonic(x: Vec<Vec<f64>>, w: Vec<f64>, rows: Vec<String>, columns: Vec<String>) -> PyResult<Vec<f64>> {
    weighted_mean(Aggregate::Harmonic, x, w, rows, columns)
}

/// AHP weights of a pairwise matrix: (weights, lambda_max, ci, cr, consistent); `ri` defaults
/// to Saaty's table.
#[pyfunction]
#[pyo3(signature = (a, derivation="eigenvector", ri=None))]
#[allow(clippy::type_complexity)]
fn weights_ahp(
    a: Vec<Vec<f64>>,
    derivation: &str,
    ri: Option<Vec<f64>>,
) -> PyResult<(Vec<f64>, f64, f64, Option<f64>, bool)> {
    let a = matrix(&a)?;
    let derivation: weight::AhpMethod = from_json("derivation", &format!("\"{derivation}\""))?;
    let r = weight::ahp(a.view(), derivation, ri.as_deref().unwrap_or(&weight::SAATY_RI)).map_err(citycheck_error)?;
    Ok((r.weights, r.lambda_max, r.ci, r.cr, r.consistent))
}

/// TOPSIS closeness of each row; `normalize` is "vector" or "min_max".
#[pyfunction]
#[pyo3(signature = (x, w, directions, normalize, rows, columns))]
fn mcda_topsis(
    x: Vec<Vec<f64>>,
    w: Vec<f64>,
    directions: &str,
    normalize: &str,
    rows: Vec<String>,
    columns: Vec<String>,
) -> PyResult<Vec<f64>> {
    let x = matrix(&x)?;
    let directions = directions_for(&x, directions)?;
    let normalize: aggregate::TopsisNormalization = from_json("normalize", &format!("\"{normalize}\""))?;
    let labels = Labels { rows: &rows, columns: &columns, year: None };
    aggregate::topsis(x.view(), &w, &directions, normalize, labels).map_err(citycheck_error)
}

/// Grey relational grade of each row.
#[pyfunction]
fn mcda_grey_relational(
    x: Vec<Vec<f64>>,
    w: Vec<f64>,
    directions: &str,
    rho: f64,
    rows: Vec<String>,
    columns: Vec<String>,
) -> PyResult<Vec<f64>> {
    let x = matrix(&x)?;
    let directions = directions_for(&x, directions)?;
    let labels = Labels { rows: &rows, columns: &columns, year: None };
    aggregate::grey_relational(x.view(), &w, &directions, rho, labels).map_err(citycheck_error)
}

/// VIKOR's S, R and Q of each row (lower Q is better).
#[pyfunction]
#[allow(clippy::type_complexity)]
fn mcda_vikor(
    x: Vec<Vec<f64>>,
    w: Vec<f64>,
    directions: &str,
    v: f64,
    rows: Vec<String>,
    columns: Vec<String>,
) -> PyResult<(Vec<f64>, Vec<f64>, Vec<f64>)> {
    let x = matrix(&x)?;
    let directions = directions_for(&x, directions)?;
    let labels = Labels { rows: &rows, columns: &columns, year: None };
    let r = aggregate::vikor(x.view(), &w, &directions, v, labels).map_err(citycheck_error)?;
    Ok((r.s, r.r, r.q))
}

/// Weighted sum model of each row; `normalize` is "min_max" or "sum".
#[pyfunction]
#[pyo3(signature = (x, w, directions, normalize, rows, columns))]
fn mcda_weighted_sum(
    x: Vec<Vec<f64>>,
    w: Vec<f64>,
    directions: &str,
    normalize: &str,
    rows: Vec<String>,
    columns: Vec<String>,
) -> PyResult<Vec<f64>> {
    let x = matrix(&x)?;
    let directions = directions_for(&x, directions)?;
    let normalize: aggregate::WeightedSumNormalization = from_name("normalize", normalize)?;
    let labels = Labels { rows: &rows, columns: &columns, year: None };
    aggregate::weighted_sum(x.view(), &w, &directions, normalize, labels).map_err(citycheck_error)
}

/// Weighted product model of each row (sum-normalised values).
#[pyfunction]
fn mcda_weighted_product(
    x: Vec<Vec<f64>>,
    w: Vec<f64>,
    directions: &str,
    rows: Vec<String>,
    columns: Vec<String>,
) -> PyResult<Vec<f64>> {
    let x = matrix(&x)?;
    let directions = directions_for(&x, directions)?;
    let labels = Labels { rows: &rows, columns: &columns, year: None };
    aggregate::weighted_product(x.view(), &w, &directions, labels).map_err(citycheck_error)
}

/// Directions from their JSON list; columns beyond it are `higher`.
fn directions_for(x: &Array2<f64>, json: &str) -> PyResult<Vec<Direction>> {
    let mut directions: Vec<Direction> = from_json("directions", json)?;
    directions.resize(x.ncols(), Direction::Higher);
    Ok(directions)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(weights_ahp, m)?)?;
    m.add_function(wrap_pyfunction!(mcda_topsis, m)?)?;
    m.add_function(wrap_pyfunction!(mcda_grey_relational, m)?)?;
    m.add_function(wrap_pyfunction!(mcda_vikor, m)?)?;
    m.add_function(wrap_pyfunction!(mcda_weighted_sum, m)?)?;
    m.add_function(wrap_pyfunction!(mcda_weighted_product, m)?)?;
    m.add_function(wrap_pyfunction!(weights_equal, m)?)?;
    m.add_function(wrap_pyfunction!(weights_compute, m)?)?;
    m.add_function(wrap_pyfunction!(aggregate_arithmetic, m)?)?;
    m.add_function(wrap_pyfunction!(aggregate_geometric, m)?)?;
    m.add_function(wrap_pyfunction!(aggregate_harmonic, m)?)?;
    Ok(())
}
