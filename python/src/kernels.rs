//! The method kernels on plain matrices: weights (`weight::*`) and aggregation
//! (`aggregate::*`). Matrices and vectors arrive as float64 numpy arrays, read in place as
//! ndarray views (the facade brings any dtype, list or table to float64 first), and results
//! go back as new numpy arrays.
//!
//! Each function returns what its library function returns, plus the warnings it collected,
//! which the facade re-emits as Python warnings.

use citycheck::aggregate::{self, Aggregate, Labels, MissingPolicy};
use citycheck::direction::Direction;
use citycheck::weight::{self, Criteria, Weight};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

use crate::error::{citycheck_error, DataError};
use crate::{from_name, from_py};

/// A 1-D array as a slice (the facade passes contiguous arrays; a strided view is refused).
pub(crate) fn slice<'a>(v: &'a PyReadonlyArray1<'_, f64>) -> PyResult<&'a [f64]> {
    v.as_slice().map_err(|_| DataError::new_err("expected a contiguous float64 vector"))
}

/// A vector of results as a new numpy array.
pub(crate) fn vector_out(py: Python<'_>, v: Vec<f64>) -> Bound<'_, PyArray1<f64>> {
    v.into_pyarray(py)
}

type Vector<'py> = Bound<'py, PyArray1<f64>>;

#[pyfunction]
fn weights_equal(py: Python<'_>, n: usize) -> Vector<'_> {
    vector_out(py, weight::equal(n))
}

/// Weights of a plain matrix by any method of `citycheck::weight::Weight`, given as its dict
/// form (`{"method": "critic"}`); here the raw values and the scores are the same matrix.
/// `directions` is a list of catalogue directions (`"higher"`, `"lower"`,
/// `{"band": [a, b]}`, `{"target": t}`); columns beyond it are `higher`.
#[pyfunction]
#[pyo3(signature = (method, x, names, directions=None))]
fn weights_compute<'py>(
    py: Python<'py>,
    method: &Bound<'py, PyAny>,
    x: PyReadonlyArray2<'py, f64>,
    names: Vec<String>,
    directions: Option<&Bound<'py, PyAny>>,
) -> PyResult<(Vector<'py>, Vec<String>)> {
    let x = x.as_array();
    let method: Weight = from_py("method", Some(method))?;
    let directions = directions_for(x.ncols(), directions)?;
    let expert = vec![None; x.ncols()];
    let criteria = Criteria { names: &names, directions: &directions, expert: &expert, judgement: None };
    let mut warnings = Vec::new();
    let w = method.compute(x, x, criteria, &mut warnings).map_err(citycheck_error)?;
    Ok((vector_out(py, w), warnings))
}

/// One of the weighted means on a plain matrix (gaps renormalised); `rows` and `columns`
/// name the units and criteria in error messages.
fn weighted_mean<'py>(
    py: Python<'py>,
    method: Aggregate,
    x: PyReadonlyArray2<'py, f64>,
    w: PyReadonlyArray1<'py, f64>,
    rows: Vec<String>,
    columns: Vec<String>,
) -> PyResult<Vector<'py>> {
    let labels = Labels { rows: &rows, columns: &columns, year: None };
    let scores = method.apply(x.as_array(), slice(&w)?, MissingPolicy::Renormalize, labels).map_err(citycheck_error)?;
    Ok(vector_out(py, scores))
}

#[pyfunction]
fn aggregate_arithmetic<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    w: PyReadonlyArray1<'py, f64>,
    rows: Vec<String>,
    columns: Vec<String>,
) -> PyResult<Vector<'py>> {
    weighted_mean(py, Aggregate::Arithmetic, x, w, rows, columns)
}

#[pyfunction]
fn aggregate_geometric<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    w: PyReadonlyArray1<'py, f64>,
    rows: Vec<String>,
    columns: Vec<String>,
) -> PyResult<Vector<'py>> {
    weighted_mean(py, Aggregate::Geometric, x, w, rows, columns)
}

#[pyfunction]
fn aggregate_harmonic<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    w: PyReadonlyArray1<'py, f64>,
    rows: Vec<String>,
    columns: Vec<String>,
) -> PyResult<Vector<'py>> {
    weighted_mean(py, Aggregate::Harmonic, x, w, rows, columns)
}

/// AHP weights of a pairwise matrix: (weights, lambda_max, ci, cr, consistent); `ri` defaults
/// to Saaty's table.
#[pyfunction]
#[pyo3(signature = (a, derivation="eigenvector", ri=None))]
#[allow(clippy::type_complexity)]
fn weights_ahp<'py>(
    py: Python<'py>,
    a: PyReadonlyArray2<'py, f64>,
    derivation: &str,
    ri: Option<PyReadonlyArray1<'py, f64>>,
) -> PyResult<(Vector<'py>, f64, f64, Option<f64>, bool)> {
    let derivation: weight::AhpMethod = from_name("derivation", derivation)?;
    let ri = match &ri {
        Some(ri) => slice(ri)?,
        None => &weight::SAATY_RI[..],
    };
    let r = weight::ahp(a.as_array(), derivation, ri).map_err(citycheck_error)?;
    Ok((vector_out(py, r.weights), r.lambda_max, r.ci, r.cr, r.consistent))
}

/// TOPSIS closeness of each row; `normalize` is "vector" or "min_max".
#[pyfunction]
#[pyo3(signature = (x, w, directions, normalize, rows, columns))]
fn mcda_topsis<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    w: PyReadonlyArray1<'py, f64>,
    directions: Option<&Bound<'py, PyAny>>,
    normalize: &str,
    rows: Vec<String>,
    columns: Vec<String>,
) -> PyResult<Vector<'py>> {
    let x = x.as_array();
    let directions = directions_for(x.ncols(), directions)?;
    let normalize: aggregate::TopsisNormalization = from_name("normalize", normalize)?;
    let labels = Labels { rows: &rows, columns: &columns, year: None };
    let scores = aggregate::topsis(x, slice(&w)?, &directions, normalize, labels).map_err(citycheck_error)?;
    Ok(vector_out(py, scores))
}

/// Grey relational grade of each row; `normalize` is "min_max", "initial_value" or "mean_value".
#[pyfunction]
#[pyo3(signature = (x, w, directions, rho, rows, columns, normalize="min_max"))]
#[allow(clippy::too_many_arguments)]
fn mcda_grey_relational<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    w: PyReadonlyArray1<'py, f64>,
    directions: Option<&Bound<'py, PyAny>>,
    rho: f64,
    rows: Vec<String>,
    columns: Vec<String>,
    normalize: &str,
) -> PyResult<Vector<'py>> {
    let x = x.as_array();
    let directions = directions_for(x.ncols(), directions)?;
    let normalize: aggregate::GreyNormalization = from_name("normalize", normalize)?;
    let labels = Labels { rows: &rows, columns: &columns, year: None };
    let scores =
        aggregate::grey_relational_with(x, slice(&w)?, &directions, rho, normalize, labels).map_err(citycheck_error)?;
    Ok(vector_out(py, scores))
}

/// VIKOR's S, R and Q of each row (lower Q is better).
#[pyfunction]
#[allow(clippy::type_complexity)]
fn mcda_vikor<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    w: PyReadonlyArray1<'py, f64>,
    directions: Option<&Bound<'py, PyAny>>,
    v: f64,
    rows: Vec<String>,
    columns: Vec<String>,
) -> PyResult<(Vector<'py>, Vector<'py>, Vector<'py>)> {
    let x = x.as_array();
    let directions = directions_for(x.ncols(), directions)?;
    let labels = Labels { rows: &rows, columns: &columns, year: None };
    let r = aggregate::vikor(x, slice(&w)?, &directions, v, labels).map_err(citycheck_error)?;
    Ok((vector_out(py, r.s), vector_out(py, r.r), vector_out(py, r.q)))
}

/// Weighted sum model of each row; `normalize` is "min_max" or "sum".
#[pyfunction]
#[pyo3(signature = (x, w, directions, normalize, rows, columns))]
fn mcda_weighted_sum<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    w: PyReadonlyArray1<'py, f64>,
    directions: Option<&Bound<'py, PyAny>>,
    normalize: &str,
    rows: Vec<String>,
    columns: Vec<String>,
) -> PyResult<Vector<'py>> {
    let x = x.as_array();
    let directions = directions_for(x.ncols(), directions)?;
    let normalize: aggregate::WeightedSumNormalization = from_name("normalize", normalize)?;
    let labels = Labels { rows: &rows, columns: &columns, year: None };
    let scores = aggregate::weighted_sum(x, slice(&w)?, &directions, normalize, labels).map_err(citycheck_error)?;
    Ok(vector_out(py, scores))
}

/// Weighted product model of each row (sum-normalised values).
#[pyfunction]
fn mcda_weighted_product<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    w: PyReadonlyArray1<'py, f64>,
    directions: Option<&Bound<'py, PyAny>>,
    rows: Vec<String>,
    columns: Vec<String>,
) -> PyResult<Vector<'py>> {
    let x = x.as_array();
    let directions = directions_for(x.ncols(), directions)?;
    let labels = Labels { rows: &rows, columns: &columns, year: None };
    let scores = aggregate::weighted_product(x, slice(&w)?, &directions, labels).map_err(citycheck_error)?;
    Ok(vector_out(py, scores))
}

/// Directions from their list (`None` = all `higher`); columns beyond it are `higher`.
pub(crate) fn directions_for(columns: usize, directions: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<Direction>> {
    let mut directions: Vec<Direction> = match directions {
        Some(d) if !d.is_none() => from_py("directions", Some(d))?,
        _ => Vec::new(),
    };
    directions.resize(columns, Direction::Higher);
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
