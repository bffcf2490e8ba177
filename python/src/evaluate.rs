//! The five-year evaluation: `evaluate` scores a panel and evaluates a window of years; the
//! result carries the trends, progress and warnings tables and the check-up outcome.

use citycheck::evaluate::{evaluate as evaluate_panel, EvaluateOptions, Evaluation};
use citycheck::polars::prelude::DataFrame;
use std::sync::Arc;

use citycheck::{Checkup, ValidationMode};
use pyo3::prelude::*;

use crate::arrow::ArrowStream;
use crate::catalog::PyCatalog;
use crate::checkup::spec_from_py;
use crate::checkup::PyOutcome;
use crate::error::{citycheck_error, polars_error};
use crate::panel::PyPanel;
use crate::{from_name, from_py, to_py};

/// An evaluation converted for Python: the three tables and the run-level summary.
#[pyclass(frozen, name = "Evaluation", module = "citycheck._citycheck")]
pub struct PyEvaluation {
    trends: DataFrame,
    progress: DataFrame,
    warnings: DataFrame,
    summary: serde_json::Value,
}

impl PyEvaluation {
    pub(crate) fn new(evaluation: &Evaluation) -> PyResult<Self> {
        Ok(PyEvaluation {
            trends: evaluation.trends_dataframe().map_err(polars_error)?,
            progress: evaluation.progress_dataframe().map_err(polars_error)?,
            warnings: evaluation.warnings_dataframe().map_err(polars_error)?,
            summary: serde_json::to_value(evaluation.summary())
                .map_err(|e| crate::error::CitycheckError::new_err(format!("evaluation summary: {e}")))?,
        })
    }
}

#[pymethods]
impl PyEvaluation {
    /// The counts and notes written to run.json (a dict).
    #[getter]
    fn summary(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.summary)
    }

    /// The columns of `trends.csv`.
    fn trends(&self) -> ArrowStream {
        self.trends.clone().into()
    }

    /// The columns of `progress.csv`.
    fn progress(&self) -> ArrowStream {
        self.progress.clone().into()
    }

    /// The columns of `warnings.csv`.
    fn warnings(&self) -> ArrowStream {
        self.warnings.clone().into()
    }

    fn __repr__(&self) -> String {
        format!(
            "Evaluation({} trend rows, {} progress rows, {} warning rows)",
            self.trends.height(),
            self.progress.height(),
            self.warnings.height()
        )
    }
}

/// Validates and scores `panel` with `spec` (a dict of [`citycheck::Spec`]; `None` = the
/// check-up default), then evaluates the window of `options` (a dict of [`EvaluateOptions`]).
/// Returns the check-up outcome and the evaluation.
#[pyfunction]
#[pyo3(signature = (panel, catalog, spec=None, options=None, validation="strict"))]
fn evaluate(
    py: Python<'_>,
    panel: PyRef<'_, PyPanel>,
    catalog: PyRef<'_, PyCatalog>,
    spec: Option<&Bound<'_, PyAny>>,
    options: Option<&Bound<'_, PyAny>>,
    validation: &str,
) -> PyResult<(PyOutcome, PyEvaluation)> {
    let spec = spec_from_py(spec)?;
    let options: EvaluateOptions = from_py("evaluation options", options)?;
    let mode: ValidationMode = from_name("validation mode", validation)?;
    let (panel, catalog) = (&panel.0, &catalog.0);
    py.detach(|| {
        let validation = panel.validate(catalog, mode).map_err(citycheck_error)?;
        let checkup = Checkup::new(Arc::clone(catalog), spec).map_err(citycheck_error)?;
        let (data, outcome) = checkup.run(panel, &validation).map_err(citycheck_error)?;
        let evaluation = PyEvaluation::new(&evaluate_panel(&data, &outcome, &options).map_err(citycheck_error)?)?;
        Ok((PyOutcome::new(outcome, Arc::clone(catalog), validation.issues, None)?, evaluation))
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyEvaluation>()?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    Ok(())
}
