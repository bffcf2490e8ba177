//! Indicators computed from object records: `compute` takes record files and frames and
//! returns the indicators and ledger tables with the issues found.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use citycheck::compute::{compute as compute_records, ComputeOptions, ObjectLevel, RecordTable};
use citycheck::error::Issue;
use citycheck::polars::prelude::DataFrame;
use pyo3::prelude::*;

use crate::arrow::{self, ArrowStream};
use crate::catalog::PyCatalog;
use crate::error::citycheck_error;
use crate::to_py;

/// Computed indicators converted for Python.
#[pyclass(frozen, name = "Computed", module = "citycheck._citycheck")]
pub struct PyComputed {
    indicators: DataFrame,
    ledger: Option<DataFrame>,
    issues: Vec<Issue>,
}

#[pymethods]
impl PyComputed {
    /// The problems found in the records (a list of dicts).
    #[getter]
    fn issues(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.issues)
    }

    /// unit, level, year, indicator, value, numerator, denominator, unknown, objects.
    fn indicators(&self) -> ArrowStream {
        self.indicators.clone().into()
    }

    /// year, level, object_id, compound_id, block_id, district_id, city_id, indicator.
    fn ledger(&self) -> Option<ArrowStream> {
        self.ledger.clone().map(Into::into)
    }

    fn __repr__(&self) -> String {
        format!("Computed({} indicator rows)", self.indicators.height())
    }
}

/// Computes the catalogue's formulas from record files or folders (`paths`) and frames
/// (`frames`: anything with `__arrow_c_stream__`), at `levels` (names; empty = the default four),
/// with the catalogue's `[parameters]` named in `parameters` set to other values.
#[pyfunction]
#[pyo3(signature = (catalog, paths, frames, levels, ledger=true, parameters=None))]
fn compute(
    py: Python<'_>,
    catalog: PyRef<'_, PyCatalog>,
    paths: Vec<PathBuf>,
    frames: Vec<Bound<'_, PyAny>>,
    levels: Vec<String>,
    ledger: bool,
    parameters: Option<BTreeMap<String, f64>>,
) -> PyResult<PyComputed> {
    let mut tables = Vec::new();
    for (k, frame) in frames.iter().enumerate() {
        tables
            .push(RecordTable::from_frame(arrow::import(frame)?, format!("frame {}", k + 1)).map_err(citycheck_error)?);
    }
    let levels = if levels.is_empty() {
        ComputeOptions::default().levels
    } else {
        levels.iter().map(|l| ObjectLevel::from_name(l)).collect::<citycheck::Result<_>>().map_err(citycheck_error)?
    };
    let catalog = match parameters {
        Some(values) if !values.is_empty() => Arc::new(catalog.0.with_parameters(values).map_err(citycheck_error)?),
        _ => Arc::clone(&catalog.0),
    };
    let catalog = &catalog;
    py.detach(|| {
        tables.extend(RecordTable::read_all(&paths).map_err(citycheck_error)?);
        let computed =
            compute_records(catalog, &tables, &ComputeOptions { levels, ledger }).map_err(citycheck_error)?;
        Ok(PyComputed {
            indicators: computed.indicators().map_err(citycheck_error)?,
            ledger: computed.ledger().map_err(citycheck_error)?,
            issues: computed.issues,
        })
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyComputed>()?;
    m.add_function(wrap_pyfunction!(compute, m)?)?;
    Ok(())
}
