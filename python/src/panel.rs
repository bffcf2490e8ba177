//! `Panel`: observations of units over years, from a table or a file.

use std::collections::BTreeMap;
use std::ops::Bound as RangeBound;
use std::path::PathBuf;

use citycheck::panel::template::{self, TemplateOptions};
use citycheck::panel::ReadOptions;
use citycheck::{Panel, ValidationMode};
use pyo3::prelude::*;

use crate::catalog::PyCatalog;
use crate::error::citycheck_error;
use crate::{arrow, from_name, from_py, to_py};

#[pyclass(frozen, name = "Panel", module = "citycheck._citycheck")]
pub struct PyPanel(pub Panel);

impl From<Panel> for PyPanel {
    fn from(panel: Panel) -> Self {
        PyPanel(panel)
    }
}

impl From<PyPanel> for Panel {
    fn from(panel: PyPanel) -> Self {
        panel.0
    }
}

#[pymethods]
impl PyPanel {
    /// From a table offering `__arrow_c_stream__`; `options` is a dict of [`ReadOptions`]
    /// (`{"unit_column": "city", "layout": "long", …}`).
    #[staticmethod]
    #[pyo3(signature = (table, options=None))]
    fn from_frame(table: &Bound<'_, PyAny>, options: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let options: ReadOptions = from_py("read options", options)?;
        let df = arrow::import(table)?;
        Ok(Panel::from_dataframe(&df, &options).map_err(citycheck_error)?.into())
    }

    /// From a CSV, Parquet or `.xlsx` file, long or wide; `options` as in `from_frame`.
    #[staticmethod]
    #[pyo3(signature = (path, options=None))]
    fn read(py: Python<'_>, path: PathBuf, options: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let options: ReadOptions = from_py("read options", options)?;
        Ok(py.detach(|| Panel::read(&path, &options)).map_err(citycheck_error)?.into())
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
        self.0.years()
    }

    /// Indicator names as given in the input (ids or aliases), in order of first appearance.
    #[getter]
    fn indicators(&self) -> Vec<String> {
        self.0.indicator_names().to_vec()
    }

    /// Problems found while reading, as a list of dicts.
    fn read_issues(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, self.0.read_issues())
    }

    /// The catalogue (id, version, sha256) of the fill-in template the panel was read from;
    /// `None` for any other input.
    #[getter]
    fn template(&self) -> Option<BTreeMap<&'static str, String>> {
        self.0.template().map(|t| {
            BTreeMap::from([
                ("catalog", t.catalog.clone()),
                ("version", t.version.clone()),
                ("sha256", t.sha256.clone()),
            ])
        })
    }

    /// The observations of the years from `first` to `last`, both included; `None` leaves
    /// that end open.
    #[pyo3(signature = (first=None, last=None))]
    fn filter_years(&self, first: Option<i32>, last: Option<i32>) -> Self {
        let bound = |year: Option<i32>| year.map_or(RangeBound::Unbounded, RangeBound::Included);
        self.0.filter_years((bound(first), bound(last))).into()
    }

    /// Validates against `catalog`; returns every issue as a list of dicts. In `strict`
    /// mode, fatal issues raise `DataError` instead.
    #[pyo3(signature = (catalog, mode="strict"))]
    fn validate(&self, py: Python<'_>, catalog: PyRef<'_, PyCatalog>, mode: &str) -> PyResult<Py<PyAny>> {
        let mode: ValidationMode = from_name("validation mode", mode)?;
        to_py(py, &self.0.validate(&catalog.0, mode).map_err(citycheck_error)?.issues)
    }

    fn __repr__(&self) -> String {
        let years = self.0.years();
        let span = match (years.first(), years.last()) {
            (Some(first), Some(last)) => format!("{first}–{last}"),
            _ => "no years".into(),
        };
        format!(
            "Panel({} observations, {} units, {} indicators, {span})",
            self.0.len(),
            self.0.units().len(),
            self.0.indicator_names().len()
        )
    }
}

/// Writes the fill-in template (填报模板, an `.xlsx`) of `catalog` for `units` and `years` to
/// `path`: every level, or only `level` (the id or Chinese name of a top-level group). With
/// `values`, the cells that panel has are filled in.
#[pyfunction]
#[pyo3(signature = (catalog, units, years, path, level=None, values=None))]
fn write_template(
    py: Python<'_>,
    catalog: PyRef<'_, PyCatalog>,
    units: Vec<String>,
    years: Vec<i32>,
    path: PathBuf,
    level: Option<String>,
    values: Option<PyRef<'_, PyPanel>>,
) -> PyResult<PathBuf> {
    let mut options = TemplateOptions::new(units, years);
    if let Some(level) = level {
        options = options.level(level);
    }
    let catalog = &catalog.0;
    let values = values.as_ref().map(|v| &v.0);
    py.detach(|| match values {
        Some(values) => template::write_prefilled(catalog, &options, values, &path),
        None => template::write(catalog, &options, &path),
    })
    .map_err(citycheck_error)?;
    Ok(path)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPanel>()?;
    m.add_function(wrap_pyfunction!(write_template, m)?)?;
    Ok(())
}
