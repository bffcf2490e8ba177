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

/// `alternative` is "two_sided", "increasing" ("greater") or "decreasing" ("less"); `p_value`
/// "auto", "exact", "normal" or "normal_cc"; `tau` "a" or "b"; `y` in time order.
#[pyfunction]
#[pyo3(signature = (y, alternative, p_value="auto", tau="a"))]
fn trend_mann_kendall(
    py: Python<'_>,
    y: PyReadonlyArray1<'_, f64>,
    alternative: &str,
    p_value: &str,
    tau: &str,
) -> PyResult<Py<PyAny>> {
    let alternative: trend::Alternative = from_name("alternative", alternative)?;
    let options = trend::MannKendallOptions { p_value: from_name("p_value", p_value)?, tau: from_name("tau", tau)? };
    to_py(py, &trend::mann_kendall_with(slice(&y)?, alternative, options).map_err(citycheck_error)?)
}

/// `sen_intercept` is "medians" or "residuals".
#[pyfunction]
#[pyo3(signature = (t, y, alpha, sen_intercept="medians"))]
fn trend_sen_slope(
    py: Python<'_>,
    t: PyReadonlyArray1<'_, f64>,
    y: PyReadonlyArray1<'_, f64>,
    alpha: f64,
    sen_intercept: &str,
) -> PyResult<Py<PyAny>> {
    let intercept: trend::SenIntercept = from_name("sen_intercept", sen_intercept)?;
    to_py(py, &trend::sen_slope_with(slice(&t)?, slice(&y)?, alpha, intercept).map_err(citycheck_error)?)
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
