//! `Catalog`: the indicator catalogue (指标体系), with its indicators and groups as tables.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use citycheck::catalog::IndicatorType;
use citycheck::direction::Direction;
use citycheck::polars::prelude::{Column, DataFrame, NamedFrom, PolarsResult, Series};
use citycheck::Catalog;
use pyo3::prelude::*;

use crate::arrow::ArrowStream;
use crate::error::{citycheck_error, polars_error};

/// A catalogue, shared (`Arc`) with the check-ups and fitted parameters made of it.
#[pyclass(frozen, name = "Catalog", module = "citycheck._citycheck")]
pub struct PyCatalog(pub Arc<Catalog>);

impl From<Catalog> for PyCatalog {
    fn from(catalog: Catalog) -> Self {
        PyCatalog(Arc::new(catalog))
    }
}

#[pymethods]
impl PyCatalog {
    #[staticmethod]
    fn builtin(id: &str) -> PyResult<Self> {
        Ok(Catalog::builtin(id).map_err(citycheck_error)?.into())
    }

    #[staticmethod]
    fn builtin_ids() -> Vec<&'static str> {
        Catalog::builtin_ids().collect()
    }

    #[staticmethod]
    fn load(path: PathBuf) -> PyResult<Self> {
        Ok(Catalog::load(path).map_err(citycheck_error)?.into())
    }

    #[staticmethod]
    #[pyo3(signature = (text, source_name="<string>"))]
    fn from_toml(text: &str, source_name: &str) -> PyResult<Self> {
        Ok(Catalog::from_toml(text, source_name).map_err(citycheck_error)?.into())
    }

    #[getter]
    fn id(&self) -> &str {
        self.0.id()
    }

    #[getter]
    fn name(&self) -> &str {
        &self.0.meta().name
    }

    #[getter]
    fn version(&self) -> &str {
        &self.0.meta().version
    }

    #[getter]
    fn sha256(&self) -> &str {
        self.0.sha256()
    }

    /// One row per indicator: id, names, group, unit, direction, type, valid range, expert
    /// weight, aliases, provenance status and source.
    fn indicators(&self) -> PyResult<ArrowStream> {
        indicators_frame(&self.0).map(ArrowStream::from).map_err(polars_error)
    }

    /// One row per group: id, names, parent (null: directly under the index), expert weight,
    /// provenance status and source.
    fn groups(&self) -> PyResult<ArrowStream> {
        groups_frame(&self.0).map(ArrowStream::from).map_err(polars_error)
    }

    /// One row per formula parameter (`[parameters]`, overrides applied): name, value,
    /// description, source.
    fn parameters(&self) -> PyResult<ArrowStream> {
        parameters_frame(&self.0).map(ArrowStream::from).map_err(polars_error)
    }

    /// The TOML text the catalogue was read from (with `parameter_overrides`, enough to
    /// rebuild it in another process).
    fn toml(&self) -> &str {
        self.0.toml()
    }

    /// The parameters set by `with_parameters` (name → value); empty as written.
    fn parameter_overrides(&self) -> BTreeMap<String, f64> {
        self.0.parameter_overrides().clone()
    }

    /// The catalogue with `overrides` (name, value pairs, in order) applied to its
    /// `[parameters]`; an unknown name or a value that is not finite is a `CatalogError`.
    fn with_parameters(&self, overrides: Vec<(String, f64)>) -> PyResult<Self> {
        Ok(self.0.with_parameters(overrides).map_err(citycheck_error)?.into())
    }

    /// One row per level of the record hierarchy, finest first: id, name_zh, name_en,
    /// required, id_column.
    fn levels(&self) -> PyResult<ArrowStream> {
        levels_frame(&self.0).map(ArrowStream::from).map_err(polars_error)
    }

    fn __repr__(&self) -> String {
        format!(
            "Catalog('{}', version {}, {} groups, {} indicators)",
            self.0.id(),
            self.0.meta().version,
            self.0.groups().len(),
            self.0.indicators().len()
        )
    }
}

fn direction_label(direction: &Direction) -> String {
    match direction {
        Direction::Higher => "higher".into(),
        Direction::Lower => "lower".into(),
        Direction::Band([a, b]) => format!("band [{a}, {b}]"),
        Direction::Target(t) => format!("target {t}"),
    }
}

fn indicators_frame(catalog: &Catalog) -> PolarsResult<DataFrame> {
    let ind = catalog.indicators();
    let directions: Vec<Option<String>> = ind.iter().map(|i| i.direction.as_ref().map(direction_label)).collect();
    // A list of strings per indicator (empty when it has none), not one joined string: an
    // alias may hold any character, the separator included.
    let aliases: Vec<Series> = ind
        .iter()
        .map(|i| Series::new(i.id.as_str().into(), i.aliases.iter().map(String::as_str).collect::<Vec<&str>>()))
        .collect();
    DataFrame::new_infer_height(vec![
        Column::new("id".into(), ind.iter().map(|i| i.id.as_str()).collect::<Vec<_>>()),
        Column::new("name_zh".into(), ind.iter().map(|i| i.name_zh.as_str()).collect::<Vec<_>>()),
        Column::new("name_en".into(), ind.iter().map(|i| i.name_en.as_str()).collect::<Vec<_>>()),
        Column::new("group".into(), ind.iter().map(|i| i.group.as_deref()).collect::<Vec<_>>()),
        Column::new("unit".into(), ind.iter().map(|i| i.unit.as_str()).collect::<Vec<_>>()),
        Column::new("direction".into(), directions.iter().map(|d| d.as_deref()).collect::<Vec<_>>()),
        Column::new(
            "type".into(),
            ind.iter()
                .map(|i| match i.kind {
                    IndicatorType::Guidance => "guidance",
                    IndicatorType::BottomLine => "bottom_line",
                })
                .collect::<Vec<_>>(),
        ),
        Column::new("valid_min".into(), ind.iter().map(|i| i.valid_range.map(|r| r[0])).collect::<Vec<_>>()),
        Column::new("valid_max".into(), ind.iter().map(|i| i.valid_range.map(|r| r[1])).collect::<Vec<_>>()),
        Column::new("weight".into(), ind.iter().map(|i| i.weight).collect::<Vec<_>>()),
        Column::new("aliases".into(), aliases),
        Column::new("status".into(), ind.iter().map(|i| i.status.as_str()).collect::<Vec<_>>()),
        Column::new("source".into(), ind.iter().map(|i| i.source.as_deref()).collect::<Vec<_>>()),
    ])
}

fn groups_frame(catalog: &Catalog) -> PolarsResult<DataFrame> {
    let groups = catalog.groups();
    DataFrame::new_infer_height(vec![
        Column::new("id".into(), groups.iter().map(|g| g.id.as_str()).collect::<Vec<_>>()),
        Column::new("name_zh".into(), groups.iter().map(|g| g.name_zh.as_str()).collect::<Vec<_>>()),
        Column::new("name_en".into(), groups.iter().map(|g| g.name_en.as_str()).collect::<Vec<_>>()),
        Column::new("parent".into(), groups.iter().map(|g| g.parent.as_deref()).collect::<Vec<_>>()),
        Column::new("weight".into(), groups.iter().map(|g| g.weight).collect::<Vec<_>>()),
        Column::new("status".into(), groups.iter().map(|g| g.status.as_str()).collect::<Vec<_>>()),
        Column::new("source".into(), groups.iter().map(|g| g.source.as_deref()).collect::<Vec<_>>()),
    ])
}

fn parameters_frame(catalog: &Catalog) -> PolarsResult<DataFrame> {
    let parameters = catalog.parameters();
    DataFrame::new_infer_height(vec![
        Column::new("name".into(), parameters.keys().map(String::as_str).collect::<Vec<_>>()),
        Column::new("value".into(), parameters.values().map(|p| p.value).collect::<Vec<f64>>()),
        Column::new(
            "description".into(),
            parameters.values().map(|p| p.description.as_deref()).collect::<Vec<Option<&str>>>(),
        ),
        Column::new("source".into(), parameters.values().map(|p| p.source.as_deref()).collect::<Vec<Option<&str>>>()),
    ])
}

fn levels_frame(catalog: &Catalog) -> PolarsResult<DataFrame> {
    let levels = catalog.levels();
    DataFrame::new_infer_height(vec![
        Column::new("id".into(), levels.iter().map(|l| l.id.as_str()).collect::<Vec<_>>()),
        Column::new("name_zh".into(), levels.iter().map(|l| l.name_zh.as_str()).collect::<Vec<_>>()),
        Column::new("name_en".into(), levels.iter().map(|l| l.name_en.as_deref()).collect::<Vec<Option<&str>>>()),
        Column::new("required".into(), levels.iter().map(|l| l.required).collect::<Vec<bool>>()),
        Column::new("id_column".into(), levels.iter().map(|l| l.id.id_column()).collect::<Vec<_>>()),
    ])
}
