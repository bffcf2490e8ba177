//! The step-by-step tables of `citycheck::explain` (`explain=True` of `cc.weights.entropy`,
//! `entropy_normalized`, `critic` and `cc.mcda.topsis`, `grey_relational`, `vikor`): a list of
//! (name, table) pairs, each table an Arrow stream the facade turns into a polars frame.

use citycheck::aggregate::{GreyNormalization, Labels, TopsisNormalization};
use citycheck::explain::{self, Tables};
use citycheck::weight::Weight;
use numpy::{PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

use crate::arrow::ArrowStream;
use crate::error::citycheck_error;
use crate::kernels::{directions_for, slice};
use crate::{from_name, from_py};

/// The tables as (name, stream) pairs, in the library's order.
type Named = Vec<(String, ArrowStream)>;

fn named(tables: Tables) -> Named {
    tables.into_iter().map(|(name, df)| (name.to_string(), ArrowStream::from(df))).collect()
}

/// The tables of a weight method given as its dict form (`{"method": "entropy"}`).
#[pyfunction]
#[pyo3(signature = (method, x, rows, columns, directions=None))]
fn explain_weights<'py>(
    method: &Bound<'py, PyAny>,
    x: PyReadonlyArray2<'py, f64>,
    rows: Vec<String>,
    columns: Vec<String>,
    directions: Option<&Bound<'py, PyAny>>,
) -> PyResult<Named> {
    let x = x.as_array();
    let method: Weight = from_py("method", Some(method))?;
    let directions = directions_for(x.ncols(), directions)?;
    let labels = Labels { rows: &rows, columns: &columns, year: None };
    explain::weights(x, labels, &method, &directions).map(named).map_err(citycheck_error)
}

/// TOPSIS's tables; `normalize` is "vector" or "min_max".
#[pyfunction]
#[pyo3(signature = (x, w, directions, normalize, rows, columns))]
fn explain_topsis<'py>(
    x: PyReadonlyArray2<'py, f64>,
    w: PyReadonlyArray1<'py, f64>,
    directions: Option<&Bound<'py, PyAny>>,
    normalize: &str,
    rows: Vec<String>,
    columns: Vec<String>,
) -> PyResult<Named> {
    let x = x.as_array();
    let directions = directions_for(x.ncols(), directions)?;
    let normalize: TopsisNormalization = from_name("normalize", normalize)?;
    let labels = Labels { rows: &rows, columns: &columns, year: None };
    explain::topsis(x, labels, slice(&w)?, &directions, normalize).map(named).map_err(citycheck_error)
}

/// Grey relational analysis's tables; `normalize` is "min_max", "initial_value" or "mean_value".
#[pyfunction]
#[pyo3(signature = (x, w, directions, rho, normalize, rows, columns))]
#[allow(clippy::too_many_arguments)]
fn explain_grey_relational<'py>(
    x: PyReadonlyArray2<'py, f64>,
    w: PyReadonlyArray1<'py, f64>,
    directions: Option<&Bound<'py, PyAny>>,
    rho: f64,
    normalize: &str,
    rows: Vec<String>,
    columns: Vec<String>,
) -> PyResult<Named> {
    let x = x.as_array();
    let directions = directions_for(x.ncols(), directions)?;
    let normalize: GreyNormalization = from_name("normalize", normalize)?;
    let labels = Labels { rows: &rows, columns: &columns, year: None };
    explain::grey_relational(x, labels, slice(&w)?, &directions, rho, normalize).map(named).map_err(citycheck_error)
}

/// VIKOR's tables.
#[pyfunction]
#[pyo3(signature = (x, w, directions, v, rows, columns))]
fn explain_vikor<'py>(
    x: PyReadonlyArray2<'py, f64>,
    w: PyReadonlyArray1<'py, f64>,
    directions: Option<&Bound<'py, PyAny>>,
    v: f64,
    rows: Vec<String>,
    columns: Vec<String>,
) -> PyResult<Named> {
    let x = x.as_array();
    let directions = directions_for(x.ncols(), directions)?;
    let labels = Labels { rows: &rows, columns: &columns, year: None };
    explain::vikor(x, labels, slice(&w)?, &directions, v).map(named).map_err(citycheck_error)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(explain_weights, m)?)?;
    m.add_function(wrap_pyfunction!(explain_topsis, m)?)?;
    m.add_function(wrap_pyfunction!(explain_grey_relational, m)?)?;
    m.add_function(wrap_pyfunction!(explain_vikor, m)?)?;
    Ok(())
}
