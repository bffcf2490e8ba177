//! Projects (项目生成): `projects` reads a projects table and the ledger of one year, links them
//! and returns the five tables with the issues found.

use std::path::PathBuf;
use std::sync::Arc;

use citycheck::diagnose::TaskCatalog;
use citycheck::io::OutputFormat;
use citycheck::polars::prelude::DataFrame;
use citycheck::projects::{link, read_projects, Date, LinkOptions, Projects};
use citycheck::recheck::{read_ledger, read_ledger_year};
use pyo3::prelude::*;

use crate::arrow::ArrowStream;
use crate::catalog::PyCatalog;
use crate::error::{citycheck_error, polars_error, SpecError};
use crate::{from_name, to_py};

/// A projects table linked to a ledger, converted for Python: its tables (as in the output
/// files), ledger year, reference date and issues.
#[pyclass(frozen, name = "Projects", module = "citycheck._citycheck")]
pub struct PyProjects {
    projects: Projects,
    tables: Vec<(&'static str, DataFrame)>,
}

impl PyProjects {
    /// Converts linked projects (their tables built here).
    pub(crate) fn new(projects: Projects) -> PyResult<Self> {
        Ok(PyProjects { tables: projects.tables().map_err(polars_error)?, projects })
    }
}

#[pymethods]
impl PyProjects {
    /// The table `name` (a file stem: projects, project_reserve, project_implementation,
    /// problem_coverage, gaps).
    fn table(&self, name: &str) -> PyResult<ArrowStream> {
        self.tables.iter().find(|(n, _)| *n == name).map(|(_, df)| df.clone().into()).ok_or_else(|| {
            let known: Vec<&str> = self.tables.iter().map(|(n, _)| *n).collect();
            SpecError::new_err(format!("no projects table '{name}'; tables: {}", known.join(", ")))
        })
    }

    /// The file stems of the tables, in file order.
    fn table_names(&self) -> Vec<&'static str> {
        self.tables.iter().map(|(n, _)| *n).collect()
    }

    /// The ledger year the projects are linked to.
    #[getter]
    fn year(&self) -> i32 {
        self.projects.year
    }

    /// The reference date of progress against plan (`YYYY-MM-DD`), or `None`.
    #[getter]
    fn as_of(&self) -> Option<String> {
        self.projects.as_of.map(|d| d.to_string())
    }

    /// What was found in the table (a list of dicts: kind, file, row, column, …, message).
    #[getter]
    fn issues(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.projects.issues)
    }

    /// Writes the tables into `dir` (`format` "csv" or "parquet"); returns the paths.
    #[pyo3(signature = (dir, format="csv"))]
    fn write(&self, py: Python<'_>, dir: PathBuf, format: &str) -> PyResult<Vec<PathBuf>> {
        let format: OutputFormat = from_name("output format", format)?;
        py.detach(|| self.projects.write(&dir, format)).map_err(citycheck_error)
    }

    fn __repr__(&self) -> String {
        format!(
            "Projects(ledger {}, {} projects, {} problems, {} issues)",
            self.projects.year,
            self.projects.projects.len(),
            self.projects.coverage.len(),
            self.projects.issues.len()
        )
    }
}

/// Links the projects table `projects` to the ledger `ledger` (ledger.csv of diagnose or
/// object_ledger.csv of compute): at `year` (required for a ledger with a header and no rows,
/// a year without problems), else its last year. `catalog` and `tasks` (built-in id or path)
/// tell names apart and list tasks; `as_of` (`YYYY-MM-DD`) is the reference date of progress
/// against plan; `units` are known units besides the ledger's; `level` names the level of a
/// diagnosis's ledger.
#[pyfunction]
#[pyo3(signature = (projects, ledger, year=None, catalog=None, tasks=None, as_of=None, units=None, level="city"))]
#[allow(clippy::too_many_arguments)]
fn projects(
    py: Python<'_>,
    projects: PathBuf,
    ledger: PathBuf,
    year: Option<i32>,
    catalog: Option<PyRef<'_, PyCatalog>>,
    tasks: Option<String>,
    as_of: Option<String>,
    units: Option<Vec<String>>,
    level: &str,
) -> PyResult<PyProjects> {
    let catalog = catalog.map(|c| Arc::clone(&c.0));
    let as_of = as_of
        .as_deref()
        .map(|s| Date::parse(s, false).map_err(|m| SpecError::new_err(format!("as_of: {m}"))))
        .transpose()?;
    py.detach(|| {
        let ledger = match year {
            Some(year) => read_ledger_year(&ledger, level, year).map_err(citycheck_error)?,
            None => read_ledger(&ledger, level)
                .map_err(citycheck_error)?
                .pop()
                .expect("read_ledger gives at least one year or fails"),
        };
        let table = read_projects(&projects).map_err(citycheck_error)?;
        let tasks = tasks.as_deref().map(TaskCatalog::resolve).transpose().map_err(citycheck_error)?;
        let options = LinkOptions { as_of, units: units.unwrap_or_default() };
        let linked = link(&table, &ledger, catalog.as_deref(), tasks.as_ref(), &options);
        PyProjects::new(linked)
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyProjects>()?;
    m.add_function(wrap_pyfunction!(projects, m)?)?;
    Ok(())
}
