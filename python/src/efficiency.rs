//! Binding of `citycheck::efficiency` (data envelopment analysis): one year's units, their
//! input and output matrices (float64 numpy arrays, rows = units) in, the rows of
//! `efficiency.csv` or `malmquist.csv` out. The facade reads the frame and groups it by year.
//! A panel is evaluated as a run's `[efficiency]` table evaluates it (`efficiency_panel`).

use citycheck::efficiency::{
    dea, malmquist_dataframe, malmquist_with, DeaData, DeaOptions, MalmquistOptions, Model, Orientation,
};
use citycheck::run::{efficiency_of_panel, EfficiencyConfig};
use citycheck::ValidationMode;
use numpy::PyReadonlyArray2;
use pyo3::prelude::*;

use crate::arrow::ArrowStream;
use crate::catalog::PyCatalog;
use crate::error::{citycheck_error, polars_error};
use crate::panel::PyPanel;
use crate::{from_name, from_py, to_py};

/// The model by name (`ccr`, `bcc`, `sbm`, `sbm_vrs`; `crs`, `vrs` as aliases).
fn model(name: &str) -> PyResult<Model> {
    name.parse::<Model>().map_err(citycheck_error)
}

/// DEA of one year's units (`year` only labels the rows); `orientation` `None` is input for
/// CCR and BCC, non-oriented for SBM; `undesirable` names outputs that are undesirable (SBM).
/// Returns the rows of `efficiency.csv` and the warnings.
#[pyfunction]
#[pyo3(signature = (units, inputs, outputs, x, y, model_name, orientation=None, super_efficiency=false, year=None, undesirable=None))]
#[allow(clippy::too_many_arguments)]
fn efficiency_dea(
    py: Python<'_>,
    units: Vec<String>,
    inputs: Vec<String>,
    outputs: Vec<String>,
    x: PyReadonlyArray2<'_, f64>,
    y: PyReadonlyArray2<'_, f64>,
    model_name: &str,
    orientation: Option<&str>,
    super_efficiency: bool,
    year: Option<i32>,
    undesirable: Option<Vec<String>>,
) -> PyResult<(ArrowStream, Vec<String>)> {
    let undesirable = undesirable.unwrap_or_default();
    let model = model(model_name)?;
    let orientation = match orientation {
        Some(name) => name.parse::<Orientation>().map_err(citycheck_error)?,
        None if model.is_sbm() => Orientation::NonOriented,
        None => Orientation::Input,
    };
    let options = DeaOptions { model, orientation, super_efficiency, ..DeaOptions::default() };
    let (x, y) = (x.as_array().to_owned(), y.as_array().to_owned());
    py.detach(|| {
        let data = DeaData {
            units: &units,
            inputs: &inputs,
            outputs: &outputs,
            undesirable: &undesirable,
            x: x.view(),
            y: y.view(),
        };
        let result = dea(&data, &options).map_err(citycheck_error)?;
        let table = result.to_dataframe(year).map_err(polars_error)?;
        Ok((ArrowStream::from(table), result.warnings))
    })
}

/// The Malmquist index from `from_year` to `to_year` of the units in both (matched by name),
/// with CCR or BCC distances, input- or output-oriented. Returns the rows of `malmquist.csv`.
#[pyfunction]
#[pyo3(signature = (inputs, outputs, from_year, from_units, from_x, from_y, to_year, to_units, to_x, to_y, model_name="ccr", orientation="input"))]
#[allow(clippy::too_many_arguments)]
fn efficiency_malmquist(
    py: Python<'_>,
    inputs: Vec<String>,
    outputs: Vec<String>,
    from_year: i32,
    from_units: Vec<String>,
    from_x: PyReadonlyArray2<'_, f64>,
    from_y: PyReadonlyArray2<'_, f64>,
    to_year: i32,
    to_units: Vec<String>,
    to_x: PyReadonlyArray2<'_, f64>,
    to_y: PyReadonlyArray2<'_, f64>,
    model_name: &str,
    orientation: &str,
) -> PyResult<ArrowStream> {
    let options = MalmquistOptions {
        model: model(model_name)?,
        orientation: orientation.parse::<Orientation>().map_err(citycheck_error)?,
    };
    let (from_x, from_y) = (from_x.as_array().to_owned(), from_y.as_array().to_owned());
    let (to_x, to_y) = (to_x.as_array().to_owned(), to_y.as_array().to_owned());
    py.detach(|| {
        let from = DeaData {
            units: &from_units,
            inputs: &inputs,
            outputs: &outputs,
            undesirable: &[],
            x: from_x.view(),
            y: from_y.view(),
        };
        let to = DeaData {
            units: &to_units,
            inputs: &inputs,
            outputs: &outputs,
            undesirable: &[],
            x: to_x.view(),
            y: to_y.view(),
        };
        let units = malmquist_with(&from, &to, &options).map_err(citycheck_error)?;
        Ok(ArrowStream::from(malmquist_dataframe(from_year, to_year, &units).map_err(polars_error)?))
    })
}

/// The `[efficiency]` analysis of a panel: `config` is the table as a dict (`facility` or
/// `inputs` and `outputs`, `undesirable`, `model`, `orientation`, `super`, `year`, `from`,
/// `to`, `class`), the panel validated against `catalog` in `validation` mode (without a
/// catalogue, read as it is). Returns efficiency.csv's rows, malmquist.csv's (two or more years,
/// no undesirable output) and the summary of run.json.
#[pyfunction]
#[pyo3(signature = (panel, config, catalog=None, validation="strict"))]
fn efficiency_panel(
    py: Python<'_>,
    panel: PyRef<'_, PyPanel>,
    config: &Bound<'_, PyAny>,
    catalog: Option<PyRef<'_, PyCatalog>>,
    validation: &str,
) -> PyResult<(ArrowStream, Option<ArrowStream>, Py<PyAny>)> {
    let config: EfficiencyConfig = from_py("[efficiency] table", Some(config))?;
    let mode: ValidationMode = from_name("validation mode", validation)?;
    let run = efficiency_of_panel(&panel.0, catalog.as_ref().map(|c| &*c.0), &config, mode).map_err(citycheck_error)?;
    let summary = to_py(py, &run.summary)?;
    Ok((ArrowStream::from(run.efficiency), run.malmquist.map(ArrowStream::from), summary))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(efficiency_panel, m)?)?;
    m.add_function(wrap_pyfunction!(efficiency_dea, m)?)?;
    m.add_function(wrap_pyfunction!(efficiency_malmquist, m)?)?;
    Ok(())
}
