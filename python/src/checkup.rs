//! The check-up: `score` (a panel, a catalogue and a spec) and `run` (a whole run config),
//! both returning an `Outcome` with the scores and weights tables and the fitted parameters.

use std::path::PathBuf;

use citycheck::error::Issue;
use citycheck::polars::prelude::DataFrame;
use citycheck::run::{weights_dataframe, RunConfig, RunReport};
use citycheck::{Checkup, Outcome, Spec, ValidationMode};
use pyo3::prelude::*;

use crate::arrow::ArrowStream;
use crate::catalog::PyCatalog;
use crate::diagnose::PyDiagnosis;
use crate::error::{citycheck_error, polars_error};
use crate::evaluate::PyEvaluation;
use crate::panel::PyPanel;
use crate::{from_json, from_name, to_json};

/// What a check-up produced, converted for Python: the tables as Arrow streams, the fitted
/// parameters, spec, data issues and (for `run`) the run report as JSON text.
#[pyclass(frozen, name = "Outcome", module = "citycheck._citycheck")]
pub struct PyOutcome {
    scores: DataFrame,
    weights: DataFrame,
    /// `fitted.json`: the spec and every fitted parameter.
    #[pyo3(get)]
    fitted: String,
    #[pyo3(get)]
    spec: String,
    #[pyo3(get)]
    warnings: Vec<String>,
    /// Validation issues (JSON list); in strict mode only the non-fatal ones remain.
    #[pyo3(get)]
    issues: String,
    /// `run.json` of a `run`; `None` for `score`.
    #[pyo3(get)]
    report: Option<String>,
}

impl PyOutcome {
    pub(crate) fn new(outcome: &Outcome, issues: &[Issue], report: Option<&RunReport>) -> PyResult<Self> {
        Ok(PyOutcome {
            scores: outcome.scores.to_dataframe().map_err(polars_error)?,
            weights: weights_dataframe(&outcome.fitted).map_err(polars_error)?,
            fitted: outcome.fitted.to_json(),
            spec: to_json(&outcome.fitted.spec)?,
            warnings: outcome.warnings.iter().map(|w| w.message.clone()).collect(),
            issues: to_json(issues)?,
            report: report.map(to_json).transpose()?,
        })
    }
}

#[pymethods]
impl PyOutcome {
    /// `unit, year, node, kind, score, rank, imputed` (the schema of `scores.csv`).
    fn scores(&self) -> ArrowStream {
        self.scores.clone().into()
    }

    /// `year, node, parent, weight, global_weight` (the schema of `weights.csv`).
    fn weights(&self) -> ArrowStream {
        self.weights.clone().into()
    }

    fn __repr__(&self) -> String {
        format!("Outcome({} score rows, {} warnings)", self.scores.height(), self.warnings.len())
    }
}

/// Validates `panel` against `catalog` (`validation` = "strict" or "lenient"), fits the
/// spec (JSON of [`Spec`]; `{}` is the default spec) and scores every unit-year.
#[pyfunction]
#[pyo3(signature = (panel, catalog, spec="{}", validation="strict"))]
fn score(
    py: Python<'_>,
    panel: PyRef<'_, PyPanel>,
    catalog: PyRef<'_, PyCatalog>,
    spec: &str,
    validation: &str,
) -> PyResult<PyOutcome> {
    let spec: Spec = from_json("spec", spec)?;
    let mode: ValidationMode = from_name("validation mode", validation)?;
    let (panel, catalog) = (&panel.0, &catalog.0);
    py.detach(|| {
        let validation = panel.validate(catalog, mode).map_err(citycheck_error)?;
        let checkup = Checkup::new(catalog.clone(), spec).map_err(citycheck_error)?;
        let (_, outcome) = checkup.run(panel, &validation).map_err(citycheck_error)?;
        PyOutcome::new(&outcome, &validation.issues, None)
    })
}

/// Runs a run config (the embedded default run when `config` is `None`) and writes its
/// output folder: `out`, or the config's own.
/// The evaluation and the diagnosis are `None` unless the config has an `[evaluate]` or a
/// `[diagnose]` section.
#[pyfunction]
#[pyo3(signature = (config=None, out=None))]
fn run(
    py: Python<'_>,
    config: Option<PathBuf>,
    out: Option<PathBuf>,
) -> PyResult<(PyOutcome, Option<PyEvaluation>, Option<PyDiagnosis>)> {
    let config = match config {
        Some(path) => RunConfig::load(path).map_err(citycheck_error)?,
        None => RunConfig::embedded(),
    };
    py.detach(|| {
        let citycheck::run::RunOutput { outcome, report, evaluation, diagnosis, .. } =
            citycheck::run::run(&config, out.as_deref()).map_err(citycheck_error)?;
        let evaluation = evaluation.as_ref().map(PyEvaluation::new).transpose()?;
        let diagnosis = diagnosis
            .map(|d| PyDiagnosis::new(d, outcome.warnings.iter().map(|w| w.message.clone()).collect()))
            .transpose()?;
        Ok((PyOutcome::new(&outcome, &report.issues, Some(&report))?, evaluation, diagnosis))
    })
}

/// The spec of the embedded default run ([`Spec::checkup_default`]) as JSON.
#[pyfunction]
fn checkup_default_spec() -> PyResult<String> {
    to_json(&Spec::checkup_default())
}

/// A spec (JSON) as the TOML of a run config's `[spec]` table; checks it on the way.
#[pyfunction]
fn spec_to_toml(spec: &str) -> PyResult<String> {
    let spec: Spec = from_json("spec", spec)?;
    spec.check().map_err(citycheck_error)?;
    Ok(spec.to_toml())
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyOutcome>()?;
    m.add_function(wrap_pyfunction!(score, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(checkup_default_spec, m)?)?;
    m.add_function(wrap_pyfunction!(spec_to_toml, m)?)?;
    Ok(())
}
