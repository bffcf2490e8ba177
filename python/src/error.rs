//! Every [`citycheck::Error`] variant as a named Python exception, all under `CitycheckError`.
//!
//! The mapping lives here and nowhere else ([`citycheck_error`]). It names every variant the
//! library has today; `Error` is `#[non_exhaustive]`, so a variant added later reaches Python
//! as the base class `CitycheckError` until it is given its own exception here.

use citycheck::polars::prelude::PolarsError;
use citycheck::Error;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(citycheck, CitycheckError, PyException, "Base class of every error citycheck raises.");
create_exception!(
    citycheck,
    CatalogError,
    CitycheckError,
    "A catalogue is malformed or inconsistent, or no built-in catalogue has the id."
);
create_exception!(
    citycheck,
    DataError,
    CitycheckError,
    "Input data cannot be read or fail validation; the message names file, row, column, unit, year and indicator."
);
create_exception!(citycheck, SpecError, CitycheckError, "A run spec, option or method parameter is invalid.");
create_exception!(
    citycheck,
    MethodError,
    CitycheckError,
    "A method cannot be applied to this input (e.g. a zero under geometric aggregation)."
);
create_exception!(citycheck, IoError, CitycheckError, "Reading or writing a file failed.");

/// A library error as its named exception: `.map_err(citycheck_error)?` wherever a citycheck
/// function fails. (A function, not `From<Error> for PyErr`: neither type is this crate's.)
pub(crate) fn citycheck_error(e: Error) -> PyErr {
    let message = e.to_string();
    match e {
        Error::Catalog { .. } => CatalogError::new_err(message),
        Error::Data { .. } | Error::Validation { .. } => DataError::new_err(message),
        Error::Spec(_) | Error::Mismatch(_) | Error::UnknownName { .. } | Error::Shape(_) | Error::NotInData(_) => {
            SpecError::new_err(message)
        }
        Error::Method { .. } => MethodError::new_err(message),
        Error::Io { .. } => IoError::new_err(message),
        _ => CitycheckError::new_err(message),
    }
}

/// A polars failure while building or converting a table: the data were not as expected.
pub(crate) fn polars_error(e: PolarsError) -> PyErr {
    DataError::new_err(e.to_string())
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("CitycheckError", py.get_type::<CitycheckError>())?;
    m.add("CatalogError", py.get_type::<CatalogError>())?;
    m.add("DataError", py.get_type::<DataError>())?;
    m.add("SpecError", py.get_type::<SpecError>())?;
    m.add("MethodError", py.get_type::<MethodError>())?;
    m.add("IoError", py.get_type::<IoError>())?;
    Ok(())
}
