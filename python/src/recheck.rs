//! The re-check across years (复查): `recheck` reads ledger files (and the values of later
//! years), re-checks them and returns the four tables with the issues found.

use std::path::PathBuf;

use citycheck::diagnose::TaskCatalog;
use citycheck::io::OutputFormat;
use citycheck::polars::prelude::DataFrame;
use citycheck::recheck::{read_ledger, read_ledger_year, read_observations, recheck as recheck_ledgers, Recheck};
use pyo3::prelude::*;

use crate::arrow::ArrowStream;
use crate::catalog::PyCatalog;
use crate::error::{citycheck_error, polars_error, SpecError};
use crate::{from_name, to_py};

/// A re-check converted for Python: its tables (as in the output files), years and issues.
#[pyclass(frozen, name = "Recheck", module = "citycheck._citycheck")]
pub struct PyRecheck {
    recheck: Recheck,
    tables: Vec<(&'static str, DataFrame)>,
}

impl PyRecheck {
    /// Converts a re-check (its tables built here).
    pub(crate) fn new(recheck: Recheck) -> PyResult<Self> {
        Ok(PyRecheck { tables: recheck.tables().map_err(polars_error)?, recheck })
    }
}

#[pymethods]
impl PyRecheck {
    /// The table `name` (a file stem: recheck, recheck_summary, recheck_indicators,
    /// recheck_tasks).
    fn table(&self, name: &str) -> PyResult<ArrowStream> {
        self.tables.iter().find(|(n, _)| *n == name).map(|(_, df)| df.clone().into()).ok_or_else(|| {
            let known: Vec<&str> = self.tables.iter().map(|(n, _)| *n).collect();
            SpecError::new_err(format!("no re-check table '{name}'; tables: {}", known.join(", ")))
        })
    }

    /// The file stems of the tables, in file order (recheck_tasks only when a task is known).
    fn table_names(&self) -> Vec<&'static str> {
        self.tables.iter().map(|(n, _)| *n).collect()
    }

    /// The ledger years, ascending.
    #[getter]
    fn years(&self) -> Vec<i32> {
        self.recheck.years.clone()
    }

    /// What was found in the ledgers (a list of dicts: kind, file, row, …, message).
    #[getter]
    fn issues(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.recheck.issues)
    }

    /// Writes the tables into `dir` (`format` "csv" or "parquet"); returns the paths.
    #[pyo3(signature = (dir, format="csv"))]
    fn write(&self, py: Python<'_>, dir: PathBuf, format: &str) -> PyResult<Vec<PathBuf>> {
        let format: OutputFormat = from_name("output format", format)?;
        py.detach(|| self.recheck.write(&dir, format)).map_err(citycheck_error)
    }

    fn __repr__(&self) -> String {
        format!(
            "Recheck(years {:?}, {} rows, {} issues)",
            self.recheck.years,
            self.recheck.rows.len(),
            self.recheck.issues.len()
        )
    }
}

/// Re-checks the ledgers of `ledgers` (ledger.csv of diagnose or object_ledger.csv of compute),
/// each `(None, path)` (its years from its rows; a file may hold several) or `(year, path)`
/// (its rows of that year; a header without rows is a year without problems), against the
/// values of `attainment` files, with an optional catalogue and task file (built-in id or
/// path); `level` names the level of a diagnosis's ledger.
#[pyfunction]
#[pyo3(signature = (ledgers, attainment, catalog=None, tasks=None, level="city"))]
fn recheck(
    py: Python<'_>,
    ledgers: Vec<(Option<i32>, PathBuf)>,
    attainment: Vec<PathBuf>,
    catalog: Option<PyRef<'_, PyCatalog>>,
    tasks: Option<String>,
    level: &str,
) -> PyResult<PyRecheck> {
    let catalog = catalog.map(|c| std::sync::Arc::clone(&c.0));
    py.detach(|| {
        let mut years = Vec::new();
        for (year, path) in &ledgers {
            match year {
                Some(year) => years.push(read_ledger_year(path, level, *year).map_err(citycheck_error)?),
                None => years.extend(read_ledger(path, level).map_err(citycheck_error)?),
            }
        }
        let mut observations = Vec::new();
        for path in &attainment {
            observations.extend(read_observations(path, level).map_err(citycheck_error)?);
        }
        let tasks = tasks.as_deref().map(TaskCatalog::resolve).transpose().map_err(citycheck_error)?;
        let r = recheck_ledgers(&years, &observations, catalog.as_deref(), tasks.as_ref()).map_err(citycheck_error)?;
        PyRecheck::new(r)
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRecheck>()?;
    m.add_function(wrap_pyfunction!(recheck, m)?)?;
    Ok(())
}
