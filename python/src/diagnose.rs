//! The diagnosis: `diagnose` scores a panel and diagnoses one year; the result carries the
//! seven tables (as in the output files) and writes them. The kernels `obstacle_degree` and
//! `coupling` are bound as they are.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use citycheck::diagnose::{
    coupling, coupling_adjusted, diagnose_with, obstacle_degree, DiagnoseOptions, Diagnosis, TaskCatalog,
};
use citycheck::evaluate::{self, DEFAULT_ALPHA};
use citycheck::io::OutputFormat;
use citycheck::polars::prelude::DataFrame;
use citycheck::{Checkup, ValidationMode, Warning};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

use crate::arrow::ArrowStream;
use crate::catalog::PyCatalog;
use crate::checkup::{spec_from_py, warnings_frame};
use crate::error::{citycheck_error, polars_error, MethodError, SpecError};
use crate::kernels::{slice, vector_out};
use crate::panel::PyPanel;
use crate::{from_name, from_py, to_py};
// `diagnose` is also the name of the pyfunction below (pyo3 defines a hidden module by that
// name), hence the alias.

/// A diagnosis converted for Python: its tables, notes and options, and the diagnosis itself
/// (to write the files).
#[pyclass(frozen, name = "Diagnosis", module = "citycheck._citycheck")]
pub struct PyDiagnosis {
    diagnosis: Diagnosis,
    tables: Vec<(&'static str, DataFrame)>,
    #[pyo3(get)]
    year: i32,
    #[pyo3(get)]
    notes: Vec<String>,
    /// The check-up's warnings, with their codes.
    warnings: Vec<Warning>,
}

impl PyDiagnosis {
    pub(crate) fn new(diagnosis: Diagnosis, warnings: Vec<Warning>) -> PyResult<Self> {
        Ok(PyDiagnosis {
            tables: diagnosis.tables().map_err(polars_error)?,
            year: diagnosis.year,
            notes: diagnosis.notes.clone(),
            warnings,
            diagnosis,
        })
    }
}

#[pymethods]
impl PyDiagnosis {
    /// The table `name` (a file stem: attainment, attainment_rates, obstacles, weaknesses,
    /// coupling, ledger, reserve).
    fn table(&self, name: &str) -> PyResult<ArrowStream> {
        self.tables.iter().find(|(n, _)| *n == name).map(|(_, df)| df.clone().into()).ok_or_else(|| {
            let known: Vec<&str> = self.tables.iter().map(|(n, _)| *n).collect();
            SpecError::new_err(format!("no diagnosis table '{name}'; tables: {}", known.join(", ")))
        })
    }

    /// The check-up's warning messages, in order.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.warnings.iter().map(|w| w.message.clone()).collect()
    }

    /// The check-up's warnings as a table: `code, message`.
    fn warnings_table(&self) -> PyResult<ArrowStream> {
        warnings_frame(&self.warnings).map(ArrowStream::from).map_err(polars_error)
    }

    /// The options used (a dict of `DiagnoseOptions`).
    #[getter]
    fn options(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.diagnosis.options)
    }

    /// The file stems of the tables, in file order.
    fn table_names(&self) -> Vec<&'static str> {
        self.tables.iter().map(|(n, _)| *n).collect()
    }

    /// Writes the seven tables into `dir` (`format` "csv", "parquet", or "xlsx": one workbook
    /// `diagnosis.xlsx`); returns the paths.
    #[pyo3(signature = (dir, format="csv"))]
    fn write(&self, py: Python<'_>, dir: PathBuf, format: &str) -> PyResult<Vec<PathBuf>> {
        let format: OutputFormat = from_name("output format", format)?;
        py.detach(|| self.diagnosis.write(&dir, format)).map_err(citycheck_error)
    }

    fn __repr__(&self) -> String {
        format!(
            "Diagnosis({}, {} problems, {} reserve items, {} notes)",
            self.year,
            self.diagnosis.ledger.len(),
            self.diagnosis.reserve.len(),
            self.notes.len()
        )
    }
}

/// Validates and scores `panel` with `spec` (a dict of [`citycheck::Spec`]; `None` = the
/// check-up default), then diagnoses one year with `options` (a dict of [`DiagnoseOptions`];
/// its `tasks` names the task file). `worsening` lists
/// the (unit, indicator) pairs with a significant worsening trend; `trends = True` computes
/// them instead (Mann-Kendall over the years up to the diagnosed one).
#[pyfunction]
#[pyo3(signature = (panel, catalog, spec=None, options=None, worsening=None, trends=false, validation="strict"))]
#[allow(clippy::too_many_arguments)]
fn diagnose(
    py: Python<'_>,
    panel: PyRef<'_, PyPanel>,
    catalog: PyRef<'_, PyCatalog>,
    spec: Option<&Bound<'_, PyAny>>,
    options: Option<&Bound<'_, PyAny>>,
    worsening: Option<Vec<(String, String)>>,
    trends: bool,
    validation: &str,
) -> PyResult<PyDiagnosis> {
    let spec = spec_from_py(spec)?;
    let options: DiagnoseOptions = from_py("diagnosis options", options)?;
    let mode: ValidationMode = from_name("validation mode", validation)?;
    let given: Option<HashMap<(String, String), bool>> =
        worsening.map(|pairs| pairs.into_iter().map(|pair| (pair, true)).collect());
    let (panel, catalog) = (&panel.0, &catalog.0);
    py.detach(|| {
        let tasks = TaskCatalog::resolve(&options.tasks).map_err(citycheck_error)?;
        let validation = panel.validate(catalog, mode).map_err(citycheck_error)?;
        let checkup = Checkup::new(Arc::clone(catalog), spec).map_err(citycheck_error)?;
        let (data, outcome) = checkup.run(panel, &validation).map_err(citycheck_error)?;
        let computed = if trends || options.trends {
            Some(evaluate::worsening(&data, options.year, DEFAULT_ALPHA).map_err(citycheck_error)?)
        } else {
            None
        };
        let worsening = computed.as_ref().or(given.as_ref());
        let diagnosis = diagnose_with(&data, &outcome, &tasks, worsening, &options).map_err(citycheck_error)?;
        PyDiagnosis::new(diagnosis, outcome.warnings)
    })
}

/// The tasks of a task file (built-in id or path), one row per task.
#[pyfunction]
#[pyo3(signature = (tasks="renewal-tasks-liaoning"))]
fn renewal_tasks(tasks: &str) -> PyResult<ArrowStream> {
    TaskCatalog::resolve(tasks).map_err(citycheck_error)?.to_dataframe().map(ArrowStream::from).map_err(polars_error)
}

/// Obstacle degrees in % (`NaN` for an indicator left out).
#[pyfunction]
fn diagnose_obstacle_degree<'py>(
    py: Python<'py>,
    weights: PyReadonlyArray1<'py, f64>,
    scores01: PyReadonlyArray1<'py, f64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let (weights, scores01) = (slice(&weights)?, slice(&scores01)?);
    if weights.len() != scores01.len() {
        return Err(SpecError::new_err(format!(
            "obstacle_degree: {} weight(s) for {} score(s)",
            weights.len(),
            scores01.len()
        )));
    }
    Ok(vector_out(py, obstacle_degree(weights, scores01)))
}

/// Coupling coordination: (C, T, D, grade); the grade is `None` when D is `NaN`. `adjusted`:
/// Wang et al.'s (2021) adjusted coupling degree.
#[pyfunction]
#[pyo3(signature = (u, beta, adjusted=false))]
fn diagnose_coupling(
    u: PyReadonlyArray1<'_, f64>,
    beta: PyReadonlyArray1<'_, f64>,
    adjusted: bool,
) -> PyResult<(f64, f64, f64, Option<&'static str>)> {
    let (u, beta) = (slice(&u)?, slice(&beta)?);
    if u.len() != beta.len() {
        return Err(SpecError::new_err(format!("coupling: {} weight(s) for {} subsystem(s)", beta.len(), u.len())));
    }
    if let Some((i, x)) = u.iter().enumerate().find(|(_, x)| !(0.0..=1.0).contains(*x) && !x.is_nan()) {
        return Err(MethodError::new_err(format!(
            "coupling: u[{i}] = {x} is outside [0, 1]: the subsystem indices U are scores in [0, 1] \
             (divide scores on 0–100 by 100)"
        )));
    }
    let k = if adjusted { coupling_adjusted(u, beta) } else { coupling(u, beta) };
    Ok((k.c, k.t, k.d, k.grade().map(|g| g.as_str())))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyDiagnosis>()?;
    m.add_function(wrap_pyfunction!(diagnose, m)?)?;
    m.add_function(wrap_pyfunction!(renewal_tasks, m)?)?;
    m.add_function(wrap_pyfunction!(diagnose_obstacle_degree, m)?)?;
    m.add_function(wrap_pyfunction!(diagnose_coupling, m)?)?;
    Ok(())
}
