//! The check-up as an estimator: `Checkup` (a catalogue and a spec) fits a panel into an
//! `Outcome`, whose `Fitted` parameters transform new panels; `score` is the one-call form and
//! `run` runs a whole run config.

use std::path::PathBuf;
use std::sync::Arc;

use citycheck::compute::{roll_up, ComputeOptions};
use citycheck::error::Issue;
use citycheck::polars::prelude::{Column, DataFrame, PolarsResult};
use citycheck::run::{weights_dataframe, InputDigest, RunConfig, RunOutput, RunReport};
use citycheck::{Catalog, Checkup, Error, Fitted, Outcome, Panel, Spec, ValidationMode, Warning};
use pyo3::basic::CompareOp;
use pyo3::prelude::*;

use crate::arrow::ArrowStream;
use crate::assess::PyAssessment;
use crate::catalog::PyCatalog;
use crate::compute::{duplicates_of, partials_of, tables_of};
use crate::diagnose::PyDiagnosis;
use crate::error::{citycheck_error, polars_error};
use crate::evaluate::PyEvaluation;
use crate::panel::PyPanel;
use crate::projects::PyProjects;
use crate::recheck::PyRecheck;
use crate::survey::PySurveyReport;
use crate::uncertainty::PyUncertainty;
use crate::{from_name, from_py, to_py};

/// A spec given from Python: `None` is the check-up default ([`Spec::checkup_default`], the
/// spec of `evaluate`, `diagnose` and the embedded run), a dict is a whole spec.
pub(crate) fn spec_from_py(spec: Option<&Bound<'_, PyAny>>) -> PyResult<Spec> {
    match spec {
        Some(spec) if !spec.is_none() => from_py("spec", Some(spec)),
        _ => Ok(Spec::checkup_default()),
    }
}

/// What a check-up produced: the scores and weights tables, the fitted parameters (with the
/// catalogue they belong to), warnings, data issues and, for `run`, the run report. The
/// tables are built in Rust; the dicts are converted when read.
#[pyclass(frozen, name = "Outcome", module = "citycheck._citycheck")]
pub struct PyOutcome {
    scores: DataFrame,
    weights: DataFrame,
    fitted: Fitted,
    catalog: Arc<Catalog>,
    /// The warnings, with their codes.
    warnings: Vec<Warning>,
    issues: Vec<Issue>,
    report: Option<RunReport>,
}

impl PyOutcome {
    /// Converts `outcome` (the heavy part, the tables, runs without the GIL where called).
    pub(crate) fn new(
        outcome: Outcome,
        catalog: Arc<Catalog>,
        issues: Vec<Issue>,
        report: Option<RunReport>,
    ) -> PyResult<Self> {
        Ok(PyOutcome {
            scores: outcome.scores.to_dataframe().map_err(polars_error)?,
            weights: weights_dataframe(&outcome.fitted).map_err(polars_error)?,
            warnings: outcome.warnings.clone(),
            fitted: outcome.fitted,
            catalog,
            issues,
            report,
        })
    }
}

#[pymethods]
impl PyOutcome {
    /// `unit, year, node, kind, score, rank, imputed, coverage` (the schema of `scores.csv`).
    fn scores(&self) -> ArrowStream {
        self.scores.clone().into()
    }

    /// `year, node, parent, weight, global_weight` (the schema of `weights.csv`).
    fn weights(&self) -> ArrowStream {
        self.weights.clone().into()
    }

    /// The spec and every fitted parameter: applies to new panels of the same catalogue.
    #[getter]
    fn fitted(&self) -> PyFitted {
        PyFitted { fitted: self.fitted.clone(), catalog: Arc::clone(&self.catalog) }
    }

    /// The spec the scores were made with (a dict, as a run config's `[spec]` table).
    #[getter]
    fn spec(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.fitted.spec)
    }

    /// The warnings' messages, in order.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.warnings.iter().map(|w| w.message.clone()).collect()
    }

    /// The warnings as a table: `code, message` (the code as in `run.json`).
    fn warnings_table(&self) -> PyResult<ArrowStream> {
        warnings_frame(&self.warnings).map(ArrowStream::from).map_err(polars_error)
    }

    /// Validation issues that did not stop the check-up (a list of dicts).
    #[getter]
    fn issues(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.issues)
    }

    /// `run.json` of a `run` (a dict); `None` for a check-up of a panel.
    #[getter]
    fn report(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.report.as_ref().map(|r| to_py(py, r)).transpose()
    }

    fn __repr__(&self) -> String {
        format!("Outcome({} score rows, {} warnings)", self.scores.height(), self.warnings.len())
    }
}

/// Warnings as a table `code, message`, in order (both text; no rows: no warning).
pub(crate) fn warnings_frame(warnings: &[Warning]) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        Column::new("code".into(), warnings.iter().map(|w| w.code.as_str()).collect::<Vec<&str>>()),
        Column::new("message".into(), warnings.iter().map(|w| w.message.as_str()).collect::<Vec<&str>>()),
    ])
}

/// Validates `panel` against the check-up's catalogue, prepares and fits it.
fn fit(checkup: &Checkup, panel: &Panel, mode: ValidationMode) -> PyResult<PyOutcome> {
    let validation = panel.validate(checkup.catalog(), mode).map_err(citycheck_error)?;
    let (_, outcome) = checkup.run(panel, &validation).map_err(citycheck_error)?;
    PyOutcome::new(outcome, Arc::clone(checkup.catalog()), validation.issues, None)
}

/// A check-up: a catalogue and a spec. `fit` scores a panel and returns the parameters it
/// fitted, which `Fitted.transform` applies to other panels.
#[pyclass(frozen, name = "Checkup", module = "citycheck._citycheck")]
pub struct PyCheckup(Checkup);

#[pymethods]
impl PyCheckup {
    /// A check-up of `catalog` with `spec` (a dict; `None` = the check-up default).
    #[new]
    #[pyo3(signature = (catalog, spec=None))]
    fn new(catalog: PyRef<'_, PyCatalog>, spec: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let spec = spec_from_py(spec)?;
        Ok(PyCheckup(Checkup::new(Arc::clone(&catalog.0), spec).map_err(citycheck_error)?))
    }

    #[getter]
    fn catalog(&self) -> PyCatalog {
        PyCatalog(Arc::clone(self.0.catalog()))
    }

    #[getter]
    fn spec(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, self.0.spec())
    }

    /// Validates `panel` (`validation` = "strict" or "lenient"), fits the spec's methods on it
    /// and scores every unit-year.
    #[pyo3(signature = (panel, validation="strict"))]
    fn fit(&self, py: Python<'_>, panel: PyRef<'_, PyPanel>, validation: &str) -> PyResult<PyOutcome> {
        let mode: ValidationMode = from_name("validation mode", validation)?;
        let panel = &panel.0;
        py.detach(|| fit(&self.0, panel, mode))
    }

    fn __repr__(&self) -> String {
        format!("Checkup(catalog '{}', normalize {})", self.0.catalog().id(), self.0.spec().normalize.name())
    }
}

/// Fitted parameters and the catalogue they belong to.
#[pyclass(frozen, name = "Fitted", module = "citycheck._citycheck")]
pub struct PyFitted {
    fitted: Fitted,
    catalog: Arc<Catalog>,
}

#[pymethods]
impl PyFitted {
    /// Parameters written by `to_json` (a `fitted.json`), for `catalog`; refuses parameters
    /// fitted with another catalogue or another version of it.
    #[staticmethod]
    fn from_json(text: &str, catalog: PyRef<'_, PyCatalog>) -> PyResult<Self> {
        let fitted = Fitted::from_json(text).map_err(citycheck_error)?;
        let catalog = Arc::clone(&catalog.0);
        if fitted.catalog_id != catalog.id() || fitted.catalog_sha256 != catalog.sha256() {
            return Err(citycheck_error(Error::Mismatch(format!(
                "the parameters were fitted with catalogue '{}' (sha256 {}), not with '{}' (sha256 {})",
                fitted.catalog_id,
                &fitted.catalog_sha256[..fitted.catalog_sha256.len().min(12)],
                catalog.id(),
                &catalog.sha256()[..12.min(catalog.sha256().len())]
            ))));
        }
        Ok(PyFitted { fitted, catalog })
    }

    /// The parameters as the JSON text of `fitted.json`.
    fn to_json(&self) -> String {
        self.fitted.to_json()
    }

    /// The parameters as a dict (the content of `fitted.json`).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.fitted)
    }

    /// The spec the parameters were fitted with (transform scores with it).
    #[getter]
    fn spec(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.fitted.spec)
    }

    #[getter]
    fn catalog(&self) -> PyCatalog {
        PyCatalog(Arc::clone(&self.catalog))
    }

    /// Scores `panel` with these parameters and their spec: validated against the catalogue,
    /// prepared as the spec says, then normalised, weighted and aggregated without fitting.
    /// Values beyond the fitted bounds are counted in the warnings.
    #[pyo3(signature = (panel, validation="strict"))]
    fn transform(&self, py: Python<'_>, panel: PyRef<'_, PyPanel>, validation: &str) -> PyResult<PyOutcome> {
        let mode: ValidationMode = from_name("validation mode", validation)?;
        let panel = &panel.0;
        py.detach(|| {
            let checkup = Checkup::new(Arc::clone(&self.catalog), self.fitted.spec.clone()).map_err(citycheck_error)?;
            let validation = panel.validate(&self.catalog, mode).map_err(citycheck_error)?;
            let data = checkup.prepare(panel, &validation).map_err(citycheck_error)?;
            let outcome = self.fitted.transform(&data).map_err(citycheck_error)?;
            PyOutcome::new(outcome, Arc::clone(&self.catalog), validation.issues, None)
        })
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let Ok(other) = other.cast::<PyFitted>() else {
            return Ok(py.NotImplemented());
        };
        let other = other.get();
        let equal = self.fitted == other.fitted && self.catalog.sha256() == other.catalog.sha256();
        match op {
            CompareOp::Eq => Ok(equal.into_pyobject(py)?.to_owned().into_any().unbind()),
            CompareOp::Ne => Ok((!equal).into_pyobject(py)?.to_owned().into_any().unbind()),
            _ => Ok(py.NotImplemented()),
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "Fitted(catalog '{}', normalize {}, {} parameter set(s))",
            self.fitted.catalog_id,
            self.fitted.spec.normalize.name(),
            self.fitted.sets.len()
        )
    }
}

/// Validates `panel` against `catalog` (`validation` = "strict" or "lenient"), fits `spec`
/// (a dict; `None` = the check-up default) and scores every unit-year.
#[pyfunction]
#[pyo3(signature = (panel, catalog, spec=None, validation="strict"))]
fn score(
    py: Python<'_>,
    panel: PyRef<'_, PyPanel>,
    catalog: PyRef<'_, PyCatalog>,
    spec: Option<&Bound<'_, PyAny>>,
    validation: &str,
) -> PyResult<PyOutcome> {
    let spec = spec_from_py(spec)?;
    let mode: ValidationMode = from_name("validation mode", validation)?;
    let checkup = Checkup::new(Arc::clone(&catalog.0), spec).map_err(citycheck_error)?;
    let panel = &panel.0;
    py.detach(|| fit(&checkup, panel, mode))
}

/// What `run` and `run_computed` return: the outcome with run.json, then every stage the
/// config ran, each `None` when the config has no such section — the evaluation, the
/// diagnosis, the re-check, the projects, the assessment, the uncertainty analysis, the
/// audit's tables (file stem, table), the efficiency tables (efficiency, malmquist) and the
/// survey.
type RunStages = (
    PyOutcome,
    Option<PyEvaluation>,
    Option<PyDiagnosis>,
    Option<PyRecheck>,
    Option<PyProjects>,
    Option<PyAssessment>,
    Option<PyUncertainty>,
    Option<Vec<(&'static str, ArrowStream)>>,
    Option<(ArrowStream, Option<ArrowStream>)>,
    Option<PySurveyReport>,
);

/// Converts a run's output, in memory (no table is read back from the folder).
fn run_stages(output: RunOutput) -> PyResult<RunStages> {
    let RunOutput {
        outcome,
        report,
        evaluation,
        diagnosis,
        recheck,
        projects,
        assessment,
        catalog,
        uncertainty,
        audit,
        survey,
        efficiency,
        ..
    } = output;
    let evaluation = evaluation.as_ref().map(PyEvaluation::new).transpose()?;
    let diagnosis = diagnosis.map(|d| PyDiagnosis::new(d, outcome.warnings.clone())).transpose()?;
    let recheck = recheck.map(PyRecheck::new).transpose()?;
    let projects = projects.map(PyProjects::new).transpose()?;
    let assessment = assessment.map(PyAssessment::new).transpose()?;
    let uncertainty = uncertainty.map(PyUncertainty::new).transpose()?;
    let audit = match audit {
        None => None,
        Some(a) => {
            let tables = a.tables().map_err(polars_error)?;
            Some(tables.into_iter().map(|(name, df)| (name, ArrowStream::from(df))).collect::<Vec<_>>())
        }
    };
    let efficiency = efficiency.map(|e| (ArrowStream::from(e.efficiency), e.malmquist.map(ArrowStream::from)));
    let survey = survey.map(PySurveyReport::from);
    let issues = report.issues.clone();
    let outcome = PyOutcome::new(outcome, catalog, issues, Some(report))?;
    Ok((outcome, evaluation, diagnosis, recheck, projects, assessment, uncertainty, audit, efficiency, survey))
}

/// Runs a run config (the embedded default run when `config` is `None`) and writes its
/// output folder: `out`, or the config's own. Returns the outcome, then the evaluation, the
/// diagnosis, the re-check, the projects, the assessment, the uncertainty analysis, the
/// audit's tables, the efficiency tables and the survey, each `None` unless the config has
/// its section.
#[pyfunction]
#[pyo3(signature = (config=None, out=None))]
fn run(py: Python<'_>, config: Option<PathBuf>, out: Option<PathBuf>) -> PyResult<RunStages> {
    let config = match config {
        Some(path) => RunConfig::load(path).map_err(citycheck_error)?,
        None => RunConfig::embedded(),
    };
    py.detach(|| run_stages(citycheck::run::run(&config, out.as_deref()).map_err(citycheck_error)?))
}

/// The `[compute]` table of a run config, for a run whose records are summed elsewhere
/// (Spark): the run's catalogue (`[compute] parameters` applied) and a dict of `records`
/// (paths resolved against the config's folder), `levels`, `score_level`, `ledger` and `out`
/// (the config's output folder, resolved).
#[pyfunction]
fn run_compute_config(py: Python<'_>, config: PathBuf) -> PyResult<(PyCatalog, Py<PyAny>)> {
    let config = RunConfig::load(config).map_err(citycheck_error)?;
    let Some(c) = &config.compute else {
        return Err(citycheck_error(Error::Spec(
            "the run config has no [compute] table: there are no records to compute from".into(),
        )));
    };
    let catalog = config.load_catalog().map_err(citycheck_error)?;
    let plan = serde_json::json!({
        "records": c.records.iter().map(|r| config.resolve(r).display().to_string()).collect::<Vec<_>>(),
        "levels": c.levels.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
        "score_level": c.score_level.as_str(),
        "ledger": c.ledger,
        "out": config.resolve(&config.output.dir.display().to_string()).display().to_string(),
    });
    Ok((catalog.into(), to_py(py, &plan)?))
}

/// Runs a run config whose `[compute]` records were summed elsewhere (on Spark executors):
/// the partial sums rolled up with the run's catalogue and levels, then scored and written as
/// `run` does (no object ledger: it was written in parts). `tables`, `partials` and
/// `duplicates` as `compute_roll_up` takes them; `inputs` are the record files and their
/// SHA-256.
#[pyfunction]
#[pyo3(signature = (config, tables, partials, duplicates, inputs, out=None))]
fn run_computed(
    py: Python<'_>,
    config: PathBuf,
    tables: Vec<(Bound<'_, PyAny>, String)>,
    partials: Vec<(String, String, Bound<'_, PyAny>)>,
    duplicates: Vec<(String, usize, Vec<String>)>,
    inputs: Vec<(String, String)>,
    out: Option<PathBuf>,
) -> PyResult<RunStages> {
    let config = RunConfig::load(config).map_err(citycheck_error)?;
    let Some(c) = &config.compute else {
        return Err(citycheck_error(Error::Spec(
            "the run config has no [compute] table: there are no computed indicators to score".into(),
        )));
    };
    let options = ComputeOptions { levels: c.levels.clone(), ledger: false };
    let tables = tables_of(&tables)?;
    let partials = partials_of(&partials)?;
    let duplicates = duplicates_of(duplicates)?;
    let inputs: Vec<InputDigest> = inputs.into_iter().map(|(path, sha256)| InputDigest::new(path, sha256)).collect();
    py.detach(move || {
        let catalog = config.load_catalog().map_err(citycheck_error)?;
        let computed = roll_up(&catalog, &tables, &partials, &duplicates, &options).map_err(citycheck_error)?;
        run_stages(citycheck::run::run_computed(&config, computed, inputs, out.as_deref()).map_err(citycheck_error)?)
    })
}

/// The spec of the embedded default run ([`Spec::checkup_default`]) as a dict.
#[pyfunction]
fn checkup_default_spec(py: Python<'_>) -> PyResult<Py<PyAny>> {
    to_py(py, &Spec::checkup_default())
}

/// A spec (a dict) as the TOML of a run config's `[spec]` table; checks it on the way.
#[pyfunction]
fn spec_to_toml(spec: &Bound<'_, PyAny>) -> PyResult<String> {
    let spec: Spec = from_py("spec", Some(spec))?;
    spec.check().map_err(citycheck_error)?;
    Ok(spec.to_toml())
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyOutcome>()?;
    m.add_class::<PyCheckup>()?;
    m.add_class::<PyFitted>()?;
    m.add_function(wrap_pyfunction!(score, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(run_compute_config, m)?)?;
    m.add_function(wrap_pyfunction!(run_computed, m)?)?;
    m.add_function(wrap_pyfunction!(checkup_default_spec, m)?)?;
    m.add_function(wrap_pyfunction!(spec_to_toml, m)?)?;
    Ok(())
}
