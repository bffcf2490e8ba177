//! The five-year evaluation: `evaluate` scores a panel and evaluates a window of years; the
//! result carries the trends, progress and warnings tables and the check-up outcome.

use polars::prelude::DataFrame;
use pyo3::prelude::*;

use super::arrow::ArrowStream;
use super::catalog::PyCatalog;
use super::checkup::PyOutcome;
use super::error::polars_error;
use super::panel::PyPanel;
use super::{from_json, from_name, to_json};
use crate::evaluate::{evaluate as evaluate_panel, EvaluateOptions, Evaluation};
use crate::{Checkup, Spec, ValidationMode};

/// An evaluation converted for Python: the three tables and the run-level summary (JSON).
#[pyclass(frozen, name = "Evaluation", module = "citycheck._citycheck")]
pub struct PyEvaluation {
    trends: DataFrame,
    progress: DataFrame,
    warnings: DataFrame,
    /// The counts and notes written to run.json (JSON).
    #[pyo3(get)]
    summary: String,
}

impl PyEvaluation {
    pub(crate) fn new(evaluation: &Evaluation) -> PyResult<Self> {
        Ok(PyEvaluation {
            trends: evaluation.trends_dataframe().map_err(polars_error)?,
            progress: evaluation.progress_dataframe().map_err(polars_error)?,
            warnings: evaluation.warnings_dataframe().map_err(polars_error)?,
            summary: to_json(&evaluation.summary())?,
        })
    }
}

#[pymethods]
impl PyEvaluation {
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

/// Validates and scores `panel` with `spec` (JSON of [`Spec`]), then evaluates the window of
/// `options` (JSON of [`EvaluateOptions`]). Returns the check-up outcome and the evaluation.
#[pyfunction]
#[pyo3(signature = (panel, catalog, spec="{}", options="{}", validation="strict"))]
fn evaluate(
    py: Python<'_>,
    panel: PyRef<'_, PyPanel>,
    catalog: PyRef<'_, PyCatalog>,
    spec: &str,
    options: &str,
    validation: &str,
) -> PyResult<(PyOutcome, PyEvaluation)> {
    let spec: Spec = from_json("spec", spec)?;
    let options: EvaluateOptions = from_json("evaluation options", options)?;
    let mode: ValidationMode = from_name("validation mode", validation)?;
    let (panel, catalog) = (&panel.0, &catalog.0);
    py.detach(|| {
        let validation = panel.validate(catalog, mode)?;
        let checkup = Checkup::new(catalog.clone(), spec)?;
        let (data, outcome) = checkup.run(panel, &validation)?;
        let evaluation = evaluate_panel(&data, &outcome, &options)?;
        Ok((PyOutcome::new(&outcome, &validation.issues, None)?, PyEvaluation::new(&evaluation)?))
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyEvaluation>()?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    Ok(())
}
