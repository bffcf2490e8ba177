//! `Panel`: observations of units over years, from a table or a file.

use std::path::PathBuf;

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
