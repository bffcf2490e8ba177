//! Binding of `citycheck::survey`: the definition, the responses and the report as newtypes;
//! report tables leave as Arrow streams, the summary and definition entries as JSON, options
//! and tolerances arrive as the library's serde JSON.

use std::path::PathBuf;

use citycheck::io::OutputFormat;
use citycheck::panel::Source;
use citycheck::survey::{
    self, ReadSpec, Responses, SourceChoice, SourceValue, SurveyDefinition, SurveyOptions, SurveyReport, Tolerances,
};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;

use crate::arrow::{self, ArrowStream};
use crate::error::{citycheck_error, polars_error, DataError};
use crate::kernels::slice;
use crate::{from_name, from_py, to_py};

#[pyclass(frozen, name = "SurveyDefinition", module = "citycheck._citycheck")]
pub struct PySurveyDefinition(pub SurveyDefinition);

impl From<SurveyDefinition> for PySurveyDefinition {
    fn from(definition: SurveyDefinition) -> Self {
        PySurveyDefinition(definition)
    }
}

impl From<PySurveyDefinition> for SurveyDefinition {
    fn from(definition: PySurveyDefinition) -> Self {
        definition.0
    }
}

#[pymethods]
impl PySurveyDefinition {
    #[staticmethod]
    fn load(path: PathBuf) -> PyResult<Self> {
        Ok(SurveyDefinition::load(path).map_err(citycheck_error)?.into())
    }

    #[staticmethod]
    #[pyo3(signature = (text, source_name="<string>"))]
    fn from_toml(text: &str, source_name: &str) -> PyResult<Self> {
        Ok(SurveyDefinition::from_toml(text, source_name).map_err(citycheck_error)?.into())
    }

    #[getter]
    fn id(&self) -> &str {
        self.0.id()
    }

    #[getter]
    fn name(&self) -> &str {
        self.0.name()
    }

    #[getter]
    fn source_name(&self) -> &str {
        self.0.source_name()
    }

    #[getter]
    fn sha256(&self) -> &str {
        self.0.sha256()
    }

    /// The items as a JSON list: id, text, dimension, scale, column, indicator.
    fn items(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, self.0.items())
    }

    /// The dimensions as a JSON list: id, name, indicator.
    fn dimensions(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, self.0.dimensions())
    }

    fn __repr__(&self) -> String {
        format!(
            "SurveyDefinition('{}', {} items in {} dimensions, {} scales)",
            self.0.id(),
            self.0.items().len(),
            self.0.dimensions().len(),
            self.0.scales().len()
        )
    }
}

#[pyclass(frozen, name = "Responses", module = "citycheck._citycheck")]
pub struct PyResponses(pub Responses);

impl From<Responses> for PyResponses {
    fn from(responses: Responses) -> Self {
        PyResponses(responses)
    }
}

impl From<PyResponses> for Responses {
    fn from(responses: PyResponses) -> Self {
        responses.0
    }
}

#[pymethods]
impl PyResponses {
    /// From a table offering `__arrow_c_stream__`; `spec` is a dict of [`ReadSpec`]
    /// (`{"unit_column": "city", "weight_column": "weight", …}`).
    #[staticmethod]
    #[pyo3(signature = (table, spec=None))]
    fn from_frame(table: &Bound<'_, PyAny>, spec: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let spec: ReadSpec = from_py("read spec", spec)?;
        let df = arrow::import(table)?;
        Ok(Responses::from_dataframe(&df, &spec).map_err(citycheck_error)?.into())
    }

    /// From a CSV, Parquet or `.xlsx` file; `spec` as in `from_frame`.
    #[staticmethod]
    #[pyo3(signature = (path, spec=None))]
    fn read(py: Python<'_>, path: PathBuf, spec: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let spec: ReadSpec = from_py("read spec", spec)?;
        Ok(py.detach(|| Responses::read(&path, &spec)).map_err(citycheck_error)?.into())
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    #[getter]
    fn origin(&self) -> Option<&str> {
        self.0.origin()
    }

    #[getter]
    fn units(&self) -> Vec<String> {
        self.0.units().to_vec()
    }

    #[getter]
    fn years(&self) -> Vec<i32> {
        self.0.years().to_vec()
    }

    #[getter]
    fn rows_read(&self) -> usize {
        self.0.rows_read()
    }

    #[getter]
    fn excluded_rows(&self) -> usize {
        self.0.excluded_rows()
    }

    fn __repr__(&self) -> String {
        format!(
            "Responses({} respondents of {} rows, {} units, {} years)",
            self.0.len(),
            self.0.rows_read(),
            self.0.units().len(),
            self.0.years().len()
        )
    }
}

#[pyclass(frozen, name = "SurveyReport", module = "citycheck._citycheck")]
pub struct PySurveyReport(pub SurveyReport);

impl From<SurveyReport> for PySurveyReport {
    fn from(report: SurveyReport) -> Self {
        PySurveyReport(report)
    }
}

impl From<PySurveyReport> for SurveyReport {
    fn from(report: PySurveyReport) -> Self {
        report.0
    }
}

#[pymethods]
impl PySurveyReport {
    /// `survey_items`: unit, year, item, n, weight_sum, n_eff, mean, se, ci_low, ci_high,
    /// satisfaction, satisfaction_ci_low, satisfaction_ci_high, note.
    fn items(&self) -> PyResult<ArrowStream> {
        Ok(self.0.items_dataframe().map_err(polars_error)?.into())
    }

    /// `survey_dimensions`: as `items` with `dimension`.
    fn dimensions(&self) -> PyResult<ArrowStream> {
        Ok(self.0.dimensions_dataframe().map_err(polars_error)?.into())
    }

    /// `reliability`: year, dimension, item, n, alpha, alpha_if_deleted, item_total_r, note.
    fn reliability(&self) -> PyResult<ArrowStream> {
        Ok(self.0.reliability_dataframe().map_err(polars_error)?.into())
    }

    /// `bad_answers`: unit, year, row, item, answer, reason.
    fn bad_answers(&self) -> PyResult<ArrowStream> {
        Ok(self.0.bad_answers_dataframe().map_err(polars_error)?.into())
    }

    /// The summary (`survey.json`) as a dict.
    fn summary(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.0.summary)
    }

    /// Writes the tables and `survey.json` into `dir`; `format` is "csv", "parquet" or "xlsx"
    /// (one workbook `survey.xlsx`).
    /// Returns the paths written.
    #[pyo3(signature = (dir, format="csv"))]
    fn write(&self, py: Python<'_>, dir: PathBuf, format: &str) -> PyResult<Vec<String>> {
        let format: OutputFormat = from_name("output format", format)?;
        let report = &self.0;
        let paths = py.detach(|| report.write(&dir, format)).map_err(citycheck_error)?;
        Ok(paths.iter().map(|p| p.display().to_string()).collect())
    }

    fn __repr__(&self) -> String {
        let s = &self.0.summary;
        format!(
            "SurveyReport({} respondents, {} units, {} items, {} bad answers)",
            s.respondents, s.units, s.items, s.bad_answers
        )
    }
}

/// Scores `responses` with `definition`; `options` is a dict of [`SurveyOptions`]
/// (`{"confidence": 0.95, "min_items_answered": 1}`).
#[pyfunction]
#[pyo3(signature = (definition, responses, options=None))]
fn survey_score(
    py: Python<'_>,
    definition: PyRef<'_, PySurveyDefinition>,
    responses: PyRef<'_, PyResponses>,
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<PySurveyReport> {
    let options: SurveyOptions = from_py("survey options", options)?;
    let (definition, responses) = (&definition.0, &responses.0);
    Ok(py.detach(|| survey::score(definition, responses, &options)).map_err(citycheck_error)?.into())
}

/// Reconciles self-check against third-party values; the long rows come as columns,
/// `sources` named as in data files (`self`, `third_party`, `survey`, `自体检`, …).
/// `tolerances` is a dict of [`Tolerances`]; `choice` a [`SourceChoice`] name.
#[pyfunction]
#[pyo3(signature = (units, years, indicators, sources, values, tolerances=None, choice="third_party_first"))]
fn survey_reconcile(
    units: Vec<String>,
    years: Vec<i32>,
    indicators: Vec<String>,
    sources: Vec<String>,
    values: PyReadonlyArray1<'_, f64>,
    tolerances: Option<&Bound<'_, PyAny>>,
    choice: &str,
) -> PyResult<ArrowStream> {
    let tolerances: Tolerances = from_py("tolerances", tolerances)?;
    let values = slice(&values)?;
    let choice: SourceChoice = from_name("source choice", choice)?;
    let n = units.len();
    if [years.len(), indicators.len(), sources.len(), values.len()].iter().any(|&len| len != n) {
        return Err(DataError::new_err("reconcile: unit, year, indicator, source and value columns differ in length"));
    }
    let mut rows = Vec::with_capacity(n);
    for (k, ((((unit, year), indicator), source), value)) in
        units.into_iter().zip(years).zip(indicators).zip(sources).zip(values.iter().copied()).enumerate()
    {
        let source = Source::parse(&source).ok_or_else(|| {
            DataError::new_err(format!(
                "reconcile: row {}: source '{source}' is not self, third_party or survey",
                k + 1
            ))
        })?;
        rows.push(SourceValue { unit, year, indicator, source, value });
    }
    let reconciliation = survey::reconcile(&rows, &tolerances, choice).map_err(citycheck_error)?;
    Ok(reconciliation.to_dataframe().map_err(polars_error)?.into())
}

#[pyfunction]
fn survey_combine(objective: f64, survey: f64, weights: (f64, f64)) -> PyResult<f64> {
    survey::combine(objective, survey, weights).map_err(citycheck_error)
}

#[pyfunction]
fn survey_confirmed(flags: Vec<bool>, k: usize) -> bool {
    survey::confirmed(&flags, k)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySurveyDefinition>()?;
    m.add_class::<PyResponses>()?;
    m.add_class::<PySurveyReport>()?;
    m.add_function(wrap_pyfunction!(survey_score, m)?)?;
    m.add_function(wrap_pyfunction!(survey_reconcile, m)?)?;
    m.add_function(wrap_pyfunction!(survey_combine, m)?)?;
    m.add_function(wrap_pyfunction!(survey_confirmed, m)?)?;
    Ok(())
}
