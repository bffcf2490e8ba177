//! Binding of `citycheck::trend`: series arrive as float64 numpy arrays; each result crosses
//! as the dict of its serde form, which the facade turns into a small dataclass.

use citycheck::trend;
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;

use crate::error::citycheck_error;
use crate::kernels::slice;
use crate::{from_name, to_py};

#[pyfunction]
fn trend_ols(py: Python<'_>, t: PyReadonlyArray1<'_, f64>, y: PyReadonlyArray1<'_, f64>) -> PyResult<Py<PyAny>> {
    to_py(py, &trend::ols(slice(&t)?, slice(&y)?).map_err(citycheck_error)?)
}

/// `alternative` is "two_sided", "increasing" or "decreasing"; `y` in time order.
#[pyfunction]
fn trend_mann_kendall(py: Python<'_>, y: PyReadonlyArray1<'_, f64>, alternative: &str) -> PyResult<Py<PyAny>> {
    let alternative: trend::Alternative = from_name("alternative", alternative)?;
    to_py(py, &trend::mann_kendall(slice(&y)?, alternative).map_err(citycheck_error)?)
}

#[pyfunction]
fn trend_sen_slope(
    py: Python<'_>,
    t: PyReadonlyArray1<'_, f64>,
    y: PyReadonlyArray1<'_, f64>,
    alpha: f64,
) -> PyResult<Py<PyAny>> {
    to_py(py, &trend::sen_slope(slice(&t)?, slice(&y)?, alpha).map_err(citycheck_error)?)
}

#[pyfunction]
fn trend_cagr(t_first: f64, y_first: f64, t_last: f64, y_last: f64) -> PyResult<f64> {
    trend::cagr(t_first, y_first, t_last, y_last).map_err(citycheck_error)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(trend_ols, m)?)?;
    m.add_function(wrap_pyfunction!(trend_mann_kendall, m)?)?;
    m.add_function(wrap_pyfunction!(trend_sen_slope, m)?)?;
    m.add_function(wrap_pyfunction!(trend_cagr, m)?)?;
    Ok(())
}
