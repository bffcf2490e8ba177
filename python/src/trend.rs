//! Binding of `citycheck::trend`: each result crosses as its serde JSON, which the facade turns
//! into a small dataclass.

use citycheck::trend;
use pyo3::prelude::*;

use crate::error::citycheck_error;
use crate::{from_json, to_json};

#[pyfunction]
fn trend_ols(t: Vec<f64>, y: Vec<f64>) -> PyResult<String> {
    to_json(&trend::ols(&t, &y).map_err(citycheck_error)?)
}

/// `alternative` is "two_sided", "increasing" or "decreasing"; `y` in time order.
#[pyfunction]
fn trend_mann_kendall(y: Vec<f64>, alternative: &str) -> PyResult<String> {
    let alternative: trend::Alternative = from_json("alternative", &format!("\"{alternative}\""))?;
    to_json(&trend::mann_kendall(&y, alternative).map_err(citycheck_error)?)
}

#[pyfunction]
fn trend_sen_slope(t: Vec<f64>, y: Vec<f64>, alpha: f64) -> PyResult<String> {
    to_json(&trend::sen_slope(&t, &y, alpha).map_err(citycheck_error)?)
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
