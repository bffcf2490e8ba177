//! The annual assessment (年度考核评估): `assess` reads the tables of a run (or of the commands)
//! and scores each city's renewal work with the assessment catalogue; the result carries
//! assessment.csv and the published ranking (通报) in English and Chinese.

use std::path::PathBuf;

use citycheck::assess::{assess as assess_data, AssessData, AssessInputs, AssessOptions, Assessment, Incentive};
use citycheck::io::OutputFormat;
use citycheck::polars::prelude::DataFrame;
use pyo3::prelude::*;

use crate::arrow::ArrowStream;
use crate::catalog::PyCatalog;
use crate::checkup::spec_from_py;
use crate::error::{citycheck_error, polars_error, SpecError};
use crate::{from_name, to_py};
// `assess` is also the name of the pyfunction below, hence the alias of the library's.

/// An assessment converted for Python: its tables (as in the output files), the catalogue and
/// its scored indicators, the incentive rule, notes and warnings.
#[pyclass(frozen, name = "Assessment", module = "citycheck._citycheck")]
pub struct PyAssessment {
    assessment: Assessment,
    tables: Vec<(&'static str, DataFrame)>,
}

impl PyAssessment {
    /// Converts an assessment (its tables built here).
    pub(crate) fn new(assessment: Assessment) -> PyResult<Self> {
        Ok(PyAssessment { tables: assessment.tables().map_err(polars_error)?, assessment })
    }
}

#[pymethods]
impl PyAssessment {
    /// The table `name` (a file stem: assessment, assessment_ranking, assessment_ranking_zh).
    fn table(&self, name: &str) -> PyResult<ArrowStream> {
        self.tables.iter().find(|(n, _)| *n == name).map(|(_, df)| df.clone().into()).ok_or_else(|| {
            let known: Vec<&str> = self.tables.iter().map(|(n, _)| *n).collect();
            SpecError::new_err(format!("no assessment table '{name}'; tables: {}", known.join(", ")))
        })
    }

    /// The file stems of the tables, in file order.
    fn table_names(&self) -> Vec<&'static str> {
        self.tables.iter().map(|(n, _)| *n).collect()
    }

    /// The assessment catalogue's id.
    #[getter]
    fn catalog(&self) -> String {
        self.assessment.catalog.clone()
    }

    /// The scored indicators' ids, in catalogue order (the value columns of assessment.csv).
    #[getter]
    fn indicators(&self) -> Vec<String> {
        self.assessment.indicators.clone()
    }

    /// The incentive rule (以奖代补), in words.
    #[getter]
    fn incentive(&self) -> String {
        self.assessment.incentive.describe()
    }

    /// What the reading noted: tables not given, years left out, the projects tables' issues.
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.assessment.notes.clone()
    }

    /// The check-up's warnings (a list of dicts: code, message).
    #[getter]
    fn warnings(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.assessment.warnings)
    }

    /// Writes the tables into `dir` (`format` "csv" or "parquet"); returns the paths.
    #[pyo3(signature = (dir, format="csv"))]
    fn write(&self, py: Python<'_>, dir: PathBuf, format: &str) -> PyResult<Vec<PathBuf>> {
        let format: OutputFormat = from_name("output format", format)?;
        py.detach(|| self.assessment.write(&dir, format)).map_err(citycheck_error)
    }

    fn __repr__(&self) -> String {
        format!(
            "Assessment({}, {} unit-years, {})",
            self.assessment.catalog,
            self.assessment.rows.len(),
            self.assessment.incentive.describe()
        )
    }
}

/// Scores each unit's renewal work with the assessment `catalog` from the tables given (any may
/// be absent: its indicators are then missing): a `recheck_summary`, a `progress` table, the
/// `projects` tables with their years (`None`: the latest year of the other tables), a
/// `warnings` table and a `survey` table. `spec` is a spec dict (`None`: the check-up default);
/// the incentive is the `top_share` of each year's ranking or a score `threshold` (default the
/// top 30 %); `level` picks the re-check summary's rows; `years` the assessed years.
#[pyfunction]
#[pyo3(signature = (
    catalog, projects, recheck_summary=None, progress=None, warnings=None, survey=None, spec=None,
    top_share=None, threshold=None, level=None, years=None
))]
#[allow(clippy::too_many_arguments)]
fn assess(
    py: Python<'_>,
    catalog: PyRef<'_, PyCatalog>,
    projects: Vec<(Option<i32>, PathBuf)>,
    recheck_summary: Option<PathBuf>,
    progress: Option<PathBuf>,
    warnings: Option<PathBuf>,
    survey: Option<PathBuf>,
    spec: Option<&Bound<'_, PyAny>>,
    top_share: Option<f64>,
    threshold: Option<f64>,
    level: Option<String>,
    years: Option<Vec<i32>>,
) -> PyResult<PyAssessment> {
    let spec = spec_from_py(spec)?;
    let incentive = match (top_share, threshold) {
        (Some(_), Some(_)) => return Err(SpecError::new_err("give top_share or threshold, not both")),
        (_, Some(t)) => Incentive::Threshold(t),
        (Some(s), None) => Incentive::TopShare(s),
        (None, None) => Incentive::default(),
    };
    let catalog = std::sync::Arc::clone(&catalog.0);
    py.detach(|| {
        let inputs = AssessInputs { recheck_summary, progress, projects, warnings, survey, level };
        let mut data = AssessData::read(&inputs).map_err(citycheck_error)?;
        data.keep_years(&years.unwrap_or_default());
        let a = assess_data(&data, &catalog, &AssessOptions { spec, incentive }).map_err(citycheck_error)?;
        PyAssessment::new(a)
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyAssessment>()?;
    m.add_function(wrap_pyfunction!(assess, m)?)?;
    Ok(())
}
