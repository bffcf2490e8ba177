//! Indicators computed from object records: `compute` takes record files and frames and
//! returns the indicators and ledger tables with the issues found. The computation split over
//! Spark partitions: `compute_partial` and `compute_ledger_part` on one part of a table's
//! records, `compute_ledger_parents` for the ledger's columns, `compute_roll_up` from the
//! added partial sums.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use citycheck::compute::{
    compute as compute_records, ledger_parents, ledger_part, roll_up, ComputeOptions, DuplicateIds, ObjectLevel,
    PartialSums, RecordTable,
};
use citycheck::error::Issue;
use citycheck::polars::prelude::DataFrame;
use pyo3::prelude::*;

use crate::arrow::{self, ArrowStream};
use crate::catalog::PyCatalog;
use crate::error::citycheck_error;
use crate::to_py;

/// Computed indicators converted for Python.
#[pyclass(frozen, name = "Computed", module = "citycheck._citycheck")]
pub struct PyComputed {
    indicators: DataFrame,
    ledger: Option<DataFrame>,
    issues: Vec<Issue>,
}

#[pymethods]
impl PyComputed {
    /// The problems found in the records (a list of dicts).
    #[getter]
    fn issues(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.issues)
    }

    /// unit, level, year, indicator, value, numerator, denominator, unknown, objects.
    fn indicators(&self) -> ArrowStream {
        self.indicators.clone().into()
    }

    /// year, level, object_id, compound_id, block_id, district_id, city_id, indicator.
    fn ledger(&self) -> Option<ArrowStream> {
        self.ledger.clone().map(Into::into)
    }

    fn __repr__(&self) -> String {
        format!("Computed({} indicator rows)", self.indicators.height())
    }
}

/// Computes the catalogue's formulas from record files or folders (`paths`) and frames
/// (`frames`: anything with `__arrow_c_stream__`), at `levels` (names; empty = the default four),
/// with the catalogue's `[parameters]` named in `parameters` set to other values.
#[pyfunction]
#[pyo3(signature = (catalog, paths, frames, levels, ledger=true, parameters=None))]
fn compute(
    py: Python<'_>,
    catalog: PyRef<'_, PyCatalog>,
    paths: Vec<PathBuf>,
    frames: Vec<Bound<'_, PyAny>>,
    levels: Vec<String>,
    ledger: bool,
    parameters: Option<BTreeMap<String, f64>>,
) -> PyResult<PyComputed> {
    let mut tables = Vec::new();
    for (k, frame) in frames.iter().enumerate() {
        tables
            .push(RecordTable::from_frame(arrow::import(frame)?, format!("frame {}", k + 1)).map_err(citycheck_error)?);
    }
    let levels = compute_options(&levels, ledger)?.levels;
    let catalog = match parameters {
        Some(values) if !values.is_empty() => Arc::new(catalog.0.with_parameters(values).map_err(citycheck_error)?),
        _ => Arc::clone(&catalog.0),
    };
    let catalog = &catalog;
    py.detach(|| {
        tables.extend(RecordTable::read_all(&paths).map_err(citycheck_error)?);
        let computed =
            compute_records(catalog, &tables, &ComputeOptions { levels, ledger }).map_err(citycheck_error)?;
        Ok(PyComputed {
            indicators: computed.indicators().map_err(citycheck_error)?,
            ledger: computed.ledger().map_err(citycheck_error)?,
            issues: computed.issues,
        })
    })
}

/// The options of level names (empty: the default four).
pub(crate) fn compute_options(levels: &[String], ledger: bool) -> PyResult<ComputeOptions> {
    let levels = if levels.is_empty() {
        ComputeOptions::default().levels
    } else {
        levels.iter().map(|l| ObjectLevel::from_name(l)).collect::<citycheck::Result<_>>().map_err(citycheck_error)?
    };
    Ok(ComputeOptions { levels, ledger })
}

/// Record tables of `(frame, origin)` pairs (frames with `__arrow_c_stream__`).
pub(crate) fn tables_of(frames: &[(Bound<'_, PyAny>, String)]) -> PyResult<Vec<RecordTable>> {
    frames
        .iter()
        .map(|(frame, origin)| RecordTable::from_frame(arrow::import(frame)?, origin.as_str()).map_err(citycheck_error))
        .collect()
}

/// Partial sums of `(object, origin, frame)` triples.
pub(crate) fn partials_of(partials: &[(String, String, Bound<'_, PyAny>)]) -> PyResult<Vec<PartialSums>> {
    partials
        .iter()
        .map(|(object, origin, frame)| {
            let object = ObjectLevel::from_name(object).map_err(citycheck_error)?;
            Ok(PartialSums::new(object, origin.as_str(), arrow::import(frame)?))
        })
        .collect()
}

/// Duplicate ids of `(object, count, first ids)` triples.
pub(crate) fn duplicates_of(duplicates: Vec<(String, usize, Vec<String>)>) -> PyResult<Vec<DuplicateIds>> {
    duplicates
        .into_iter()
        .map(|(object, count, first)| {
            Ok(DuplicateIds { object: ObjectLevel::from_name(&object).map_err(citycheck_error)?, count, first })
        })
        .collect()
}

/// The partial sums of one part of a record table (`frame`, e.g. the records of a Spark
/// partition) at `levels`: `(object type, sums)`, or `None` when nothing is computed from
/// this table. The sums' columns are those of `PartialSums`.
#[pyfunction]
#[pyo3(signature = (catalog, frame, levels, origin="records"))]
fn compute_partial(
    py: Python<'_>,
    catalog: PyRef<'_, PyCatalog>,
    frame: Bound<'_, PyAny>,
    levels: Vec<String>,
    origin: &str,
) -> PyResult<Option<(String, ArrowStream)>> {
    let table = RecordTable::from_frame(arrow::import(&frame)?, origin).map_err(citycheck_error)?;
    let options = compute_options(&levels, false)?;
    let catalog = Arc::clone(&catalog.0);
    py.detach(move || {
        let part = PartialSums::of(&catalog, &table, &options).map_err(citycheck_error)?;
        Ok(part.map(|p| (p.object().as_str().to_string(), ArrowStream::from(p.frame().clone()))))
    })
}

/// The problem ledger of one part of a record table, with the parent columns `parents`
/// (`compute_ledger_parents` of all tables); `None` when the table lists no problem.
#[pyfunction]
#[pyo3(signature = (catalog, frame, levels, parents, origin="records"))]
fn compute_ledger_part(
    py: Python<'_>,
    catalog: PyRef<'_, PyCatalog>,
    frame: Bound<'_, PyAny>,
    levels: Vec<String>,
    parents: Vec<String>,
    origin: &str,
) -> PyResult<Option<ArrowStream>> {
    let table = RecordTable::from_frame(arrow::import(&frame)?, origin).map_err(citycheck_error)?;
    let options = compute_options(&levels, true)?;
    let parents: Vec<ObjectLevel> =
        parents.iter().map(|l| ObjectLevel::from_name(l)).collect::<citycheck::Result<_>>().map_err(citycheck_error)?;
    let catalog = Arc::clone(&catalog.0);
    py.detach(move || {
        let part = ledger_part(&catalog, &table, &options, &parents).map_err(citycheck_error)?;
        Ok(part.map(ArrowStream::from))
    })
}

/// The parent levels of the ledger of the tables `frames` (only their columns are read).
#[pyfunction]
fn compute_ledger_parents(
    catalog: PyRef<'_, PyCatalog>,
    frames: Vec<(Bound<'_, PyAny>, String)>,
) -> PyResult<Vec<String>> {
    let tables = tables_of(&frames)?;
    Ok(ledger_parents(&catalog.0, &tables).into_iter().map(|l| l.as_str().to_string()).collect())
}

/// The indicators rolled up from partial sums: `tables` give the record tables' columns as
/// `(frame, origin)` (their rows are not read), `partials` are `(object, origin, sums)`,
/// `duplicates` `(object, count, first ids)` counted over all records of a table.
#[pyfunction]
fn compute_roll_up(
    py: Python<'_>,
    catalog: PyRef<'_, PyCatalog>,
    tables: Vec<(Bound<'_, PyAny>, String)>,
    partials: Vec<(String, String, Bound<'_, PyAny>)>,
    duplicates: Vec<(String, usize, Vec<String>)>,
    levels: Vec<String>,
) -> PyResult<PyComputed> {
    let tables = tables_of(&tables)?;
    let partials = partials_of(&partials)?;
    let duplicates = duplicates_of(duplicates)?;
    let options = compute_options(&levels, false)?;
    let catalog = Arc::clone(&catalog.0);
    py.detach(move || {
        let computed = roll_up(&catalog, &tables, &partials, &duplicates, &options).map_err(citycheck_error)?;
        Ok(PyComputed {
            indicators: computed.indicators().map_err(citycheck_error)?,
            ledger: None,
            issues: computed.issues,
        })
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyComputed>()?;
    m.add_function(wrap_pyfunction!(compute, m)?)?;
    m.add_function(wrap_pyfunction!(compute_partial, m)?)?;
    m.add_function(wrap_pyfunction!(compute_ledger_part, m)?)?;
    m.add_function(wrap_pyfunction!(compute_ledger_parents, m)?)?;
    m.add_function(wrap_pyfunction!(compute_roll_up, m)?)?;
    Ok(())
}
