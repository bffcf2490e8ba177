//! Binding of `citycheck::uncertainty`: the Monte Carlo uncertainty analysis of a check-up's
//! ranking and the Sobol sensitivity of the rank shift. The configuration is the dict of a
//! run config's `[uncertainty]` table; the result carries its two tables.

use std::path::PathBuf;
use std::sync::Arc;

use citycheck::io::OutputFormat;
use citycheck::polars::prelude::DataFrame;
use citycheck::uncertainty::{analyze, Uncertainty, UncertaintyConfig};
use citycheck::{Checkup, ValidationMode};
use pyo3::prelude::*;

use crate::arrow::ArrowStream;
use crate::catalog::PyCatalog;
use crate::checkup::spec_from_py;
use crate::error::{citycheck_error, polars_error};
use crate::panel::PyPanel;
use crate::{from_name, from_py};

/// An uncertainty analysis converted for Python: its tables (as in the output files), the
/// number of draws and the seed.
#[pyclass(frozen, name = "Uncertainty", module = "citycheck._citycheck")]
pub struct PyUncertainty {
    uncertainty: Uncertainty,
    table: DataFrame,
    sensitivity: DataFrame,
}

impl PyUncertainty {
    /// Converts an uncertainty analysis (its tables built here).
    pub(crate) fn new(uncertainty: Uncertainty) -> PyResult<Self> {
        Ok(PyUncertainty {
            table: uncertainty.to_dataframe().map_err(polars_error)?,
            sensitivity: uncertainty.sensitivity_dataframe().map_err(polars_error)?,
            uncertainty,
        })
    }
}

#[pymethods]
impl PyUncertainty {
    /// The columns of `uncertainty.csv`.
    fn table(&self) -> ArrowStream {
        self.table.clone().into()
    }

    /// The columns of `sensitivity.csv`.
    fn sensitivity(&self) -> ArrowStream {
        self.sensitivity.clone().into()
    }

    /// The Monte Carlo draws made.
    #[getter]
    fn draws(&self) -> usize {
        self.uncertainty.draws
    }

    /// The seed of every generator.
    #[getter]
    fn seed(&self) -> u64 {
        self.uncertainty.seed
    }

    /// Writes `uncertainty` and `sensitivity` into `dir` (`format` "csv", "parquet" or
    /// "xlsx"); returns the paths.
    #[pyo3(signature = (dir, format="csv"))]
    fn write(&self, py: Python<'_>, dir: PathBuf, format: &str) -> PyResult<Vec<PathBuf>> {
        let format: OutputFormat = from_name("output format", format)?;
        py.detach(|| self.uncertainty.write(&dir, format)).map_err(citycheck_error)
    }

    fn __repr__(&self) -> String {
        format!(
            "Uncertainty({} draws, seed {}, {} rows, {} sensitivity rows)",
            self.uncertainty.draws,
            self.uncertainty.seed,
            self.table.height(),
            self.sensitivity.height()
        )
    }
}

/// Validates `panel` against `catalog`, then analyses how robust the ranks of `spec` (a dict;
/// `None` = the check-up default) are to the inputs of `config` (the dict of an
/// `[uncertainty]` table; `None` = every default, no input).
#[pyfunction]
#[pyo3(signature = (panel, catalog, config=None, spec=None, validation="strict"))]
fn uncertainty(
    py: Python<'_>,
    panel: PyRef<'_, PyPanel>,
    catalog: PyRef<'_, PyCatalog>,
    config: Option<&Bound<'_, PyAny>>,
    spec: Option<&Bound<'_, PyAny>>,
    validation: &str,
) -> PyResult<PyUncertainty> {
    let config: UncertaintyConfig = from_py("uncertainty config", config)?;
    let spec = spec_from_py(spec)?;
    let mode: ValidationMode = from_name("validation mode", validation)?;
    let (panel, catalog) = (&panel.0, &catalog.0);
    py.detach(|| {
        let validation = panel.validate(catalog, mode).map_err(citycheck_error)?;
        let checkup = Checkup::new(Arc::clone(catalog), spec).map_err(citycheck_error)?;
        let uncertainty = analyze(&checkup, panel, &validation, &config).map_err(citycheck_error)?;
        PyUncertainty::new(uncertainty)
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyUncertainty>()?;
    m.add_function(wrap_pyfunction!(uncertainty, m)?)?;
    Ok(())
}
