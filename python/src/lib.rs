//! The Python extension module `citycheck._citycheck`: a thin binding over the library.
//!
//! Its own crate (`citycheck-python`, built by maturin), so it sees only the library's public
//! API, and the library stays a plain rlib that Rust users link without pyo3.
//!
//! One file per library module, each Python class a newtype over the Rust type. The binding
//! only converts — tables through the Arrow C stream interface ([`arrow`]), specs and options
//! as Python dicts that deserialise into the library's own serde types (pythonize), matrices
//! as numpy arrays read in place ([`kernels`]), errors into named
//! exceptions ([`error`]) — and holds no logic of its own: the pure-Python facade in
//! `python/citycheck/` is the user-facing API.

mod arrow;
mod assess;
mod audit;
mod catalog;
mod checkup;
mod compute;
mod diagnose;
mod efficiency;
mod error;
mod evaluate;
mod explain;
mod kernels;
mod panel;
mod projects;
mod recheck;
mod sensitivity;
mod survey;
mod trend;
mod uncertainty;

use pyo3::prelude::*;
use pythonize::{depythonize, pythonize};
use serde::de::DeserializeOwned;
use serde::Serialize;

#[pymodule]
fn _citycheck(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    error::register(m)?;
    m.add_class::<arrow::ArrowStream>()?;
    m.add_class::<catalog::PyCatalog>()?;
    panel::register(m)?;
    checkup::register(m)?;
    compute::register(m)?;
    evaluate::register(m)?;
    diagnose::register(m)?;
    recheck::register(m)?;
    projects::register(m)?;
    assess::register(m)?;
    kernels::register(m)?;
    explain::register(m)?;
    trend::register(m)?;
    survey::register(m)?;
    efficiency::register(m)?;
    uncertainty::register(m)?;
    sensitivity::register(m)?;
    audit::register(m)?;
    Ok(())
}

/// A Python value (a dict, list, string or number: the form a spec takes in TOML) as a library
/// value; `None` reads as an empty table (every field its default). `what` names it in the
/// [`error::SpecError`] message.
pub(crate) fn from_py<T: DeserializeOwned>(what: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<T> {
    let invalid = |e: &dyn std::fmt::Display| error::SpecError::new_err(format!("invalid {what}: {e}"));
    match value {
        Some(value) if !value.is_none() => depythonize(value).map_err(|e| invalid(&e)),
        _ => serde_json::from_value(serde_json::Value::Object(Default::default())).map_err(|e| invalid(&e)),
    }
}

/// A snake_case name (`"strict"`, `"lenient"`, …) as the library enum it names.
pub(crate) fn from_name<T: DeserializeOwned>(what: &str, name: &str) -> PyResult<T> {
    serde_json::from_value(serde_json::Value::String(name.to_string()))
        .map_err(|e| error::SpecError::new_err(format!("invalid {what} '{name}': {e}")))
}

/// A library value as the Python dicts, lists and numbers of its serde form.
pub(crate) fn to_py<T: Serialize + ?Sized>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    pythonize(py, value)
        .map(Bound::unbind)
        .map_err(|e| error::CitycheckError::new_err(format!("cannot convert to Python: {e}")))
}
