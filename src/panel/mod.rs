//! The panel (面板数据): observations of units (cities, districts, compounds) over years.
//!
//! Long form is the interchange format — unit, year, indicator, value, optional source — and
//! wide form (one column per indicator) is accepted at the edges. Readers take CSV, Parquet
//! and Excel `.xlsx`, UTF-8 with Chinese headers, and polars DataFrames. Indicators are kept
//! as named in the input; [`Panel::validate`] resolves them against a catalogue (ids or
//! aliases) and reports every problem with file, row and column.

mod layout;
mod matrix;
mod series;
mod table;
pub mod template;
mod unit_rows;
mod validate;

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Issue, Result};
pub(crate) use layout::parse_value;
pub use layout::{Encoding, Layout, ReadOptions, NOT_APPLICABLE_MARKS};
pub use matrix::{read_decision_matrix, read_pairwise_matrix, DecisionMatrix};
pub use series::{read_series, NamedSeries};
pub(crate) use table::{Cell, CellRef, RawTable};
pub use unit_rows::{read_unit_rows, UnitRows};
pub use validate::{Validation, ValidationMode};

/// Which of the three evidence sources an observation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// 自体检: the city's self-check.
    #[serde(rename = "self")]
    SelfCheck,
    /// 第三方体检: the third-party check.
    ThirdParty,
    /// 社会满意度调查: the resident satisfaction survey.
    Survey,
}

impl Source {
    /// Parses the names used in data files, English or Chinese.
    pub fn parse(s: &str) -> Option<Source> {
        match s.trim() {
            "self" | "self_check" | "自体检" | "城市自体检" => Some(Source::SelfCheck),
            "third_party" | "第三方" | "第三方体检" => Some(Source::ThirdParty),
            "survey" | "满意度调查" | "社会满意度调查" => Some(Source::Survey),
            _ => None,
        }
    }
}

/// A unit attribute (province, city tier, …): one optional value per unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// The attribute's column name (`province`, …).
    pub name: String,
    /// One value per unit, in the order of [`Panel::units`]; `None` where the unit has none.
    pub values: Vec<Option<String>>,
}

/// Observations in long form, with units and indicators interned.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::{Catalog, Error, Panel, ValidationMode};
/// use citycheck::error::IssueKind;
/// let catalog = Catalog::builtin("ccsy-example")?;
/// let panel = Panel::from_records([
///     ("沈阳市", 2012, "green_coverage_builtup", 42.2),
///     ("大连市", 2012, "绿化覆盖率", 45.0),           // an alias of the same indicator
///     ("鞍山市", 2012, "green_coverage_builtup", 142.0), // outside its valid range [0, 100]
///     ("鞍山市", 2012, "green_coverage", 40.0),        // no such indicator
/// ]);
/// assert_eq!((panel.len(), panel.units().len()), (4, 3));
/// // Strict validation refuses the data and lists every problem …
/// assert!(matches!(panel.validate(&catalog, ValidationMode::Strict), Err(Error::Validation { .. })));
/// // … lenient validation reports them and leaves the unknown indicator out.
/// let validation = panel.validate(&catalog, ValidationMode::Lenient)?;
/// let kinds: Vec<IssueKind> = validation.issues.iter().map(|i| i.kind).collect();
/// assert!(kinds.contains(&IssueKind::OutOfRange) && kinds.contains(&IssueKind::UnknownIndicator));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct Panel {
    origin: Option<String>,
    units: Vec<String>,
    attributes: Vec<Attribute>,
    indicators: Vec<String>,
    unit: Vec<u32>,
    year: Vec<i32>,
    indicator: Vec<u32>,
    value: Vec<f64>,
    source: Vec<Option<Source>>,
    /// Input row (1-based, header = 1) and column of each observation, for messages.
    row: Vec<u32>,
    column: Vec<u32>,
    column_names: Vec<String>,
    /// Observations marked not applicable (ascending; their values are `NaN`).
    not_applicable: Vec<usize>,
    /// Problems found while reading (cells that could not be read, …).
    issues: Vec<Issue>,
    /// The catalogue a fill-in template was written for, when the panel was read from one.
    template: Option<template::TemplateInfo>,
}

/// Data sets compiled into citycheck (name, CSV bytes): `Panel::embedded(name, …)`, and
/// `embedded:NAME` as a run config's data path. The 14 Liaoning cities of the China City
/// Statistical Yearbook 2008–2012 (MIT, datasets/cn_city_ccsy_2004_2012/PROVENANCE.md).
pub const EMBEDDED: &[(&str, &[u8])] = &[(
    "cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv",
    include_bytes!("../../datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv"),
)];

/// Years spanning more than this are handled by sorting instead of a table per year.
const YEAR_TABLE_LIMIT: usize = 1 << 16;

impl Panel {
    /// Reads a CSV, Parquet or `.xlsx` file (by extension), long or wide.
    ///
    /// # Errors
    /// [`crate::Error::Io`] if the file cannot be opened; [`crate::Error::Data`] if it is empty,
    /// lacks the unit or year column, or the layout cannot be told. Cell-level problems are
    /// not errors here: they are collected and judged by [`Panel::validate`].
    ///
    /// A fill-in template ([`template`]: an `.xlsx` whose `README` sheet holds
    /// [`template::MARKER`]) is read by its own layout, whatever `options` say; a text in one
    /// of its number cells is an [`crate::Error::Data`] naming the sheet and the cell.
    pub fn read(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Panel> {
        let path = path.as_ref();
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        if matches!(ext.as_deref(), Some("xlsx") | Some("xlsm")) {
            if let Some(panel) = template::read_if_template(path)? {
                return Ok(panel);
            }
        }
        // A large UTF-8 CSV is read in chunks (memory: the panel and one chunk).
        if matches!(ext.as_deref(), Some("csv") | Some("txt")) && options.encoding != Encoding::Gbk {
            if let Some(panel) = layout::panel_from_csv_chunks(path, options)? {
                return Ok(panel);
            }
        }
        let table = RawTable::read_as(path, options.encoding, options.sheet.as_deref())?;
        let mut panel = layout::panel_from_table(&table, options)?;
        if let Some(encoding) = table.encoding {
            let why = if options.encoding == Encoding::Gbk {
                "as encoding gbk asks"
            } else {
                "the file is not UTF-8, as Excel on Chinese Windows saves CSV"
            };
            panel.issues.push(Issue::new(
                crate::error::IssueKind::Encoding,
                table.location(None, None),
                format!("read as {encoding} (GBK): {why}"),
            ));
        }
        Ok(panel)
    }

    /// The catalogue id, version and digest of the fill-in template the panel was read from;
    /// `None` for any other input.
    pub fn template(&self) -> Option<&template::TemplateInfo> {
        self.template.as_ref()
    }

    /// A data set compiled into citycheck, by name ([`EMBEDDED`]): the same panel wherever the
    /// program runs, with no file to find.
    ///
    /// # Errors
    /// [`Error::Spec`] naming the embedded sets when `name` is none of them.
    ///
    /// # Examples
    /// ```
    /// # fn main() -> citycheck::Result<()> {
    /// use citycheck::{Panel, ReadOptions};
    /// let options = ReadOptions::default().unit_column("city");
    /// let panel = Panel::embedded("cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv", &options)?;
    /// assert_eq!(panel.units().len(), 14);
    /// assert_eq!(panel.years(), vec![2008, 2009, 2010, 2011, 2012]);
    /// # Ok(()) }
    /// ```
    pub fn embedded(name: &str, options: &ReadOptions) -> Result<Panel> {
        let (_, bytes) = EMBEDDED.iter().find(|(n, _)| *n == name).ok_or_else(|| {
            crate::Error::Spec(format!(
                "no embedded data set '{name}'; embedded: {}",
                EMBEDDED.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
            ))
        })?;
        layout::panel_from_table(&table::read_csv_bytes(bytes, &format!("embedded:{name}"))?, options)
    }

    /// The bytes of an embedded data set (for its digest), by name.
    pub fn embedded_bytes(name: &str) -> Option<&'static [u8]> {
        EMBEDDED.iter().find(|(n, _)| *n == name).map(|(_, bytes)| *bytes)
    }

    /// The observations of the years in `years` (e.g. `2008..=2011`): to fit on earlier years
    /// and score a later one with [`crate::Fitted::transform`]. Reading issues of other years
    /// are left out with their observations.
    pub fn filter_years(&self, years: impl std::ops::RangeBounds<i32>) -> Panel {
        let keep: Vec<usize> = (0..self.len()).filter(|&k| years.contains(&self.year[k])).collect();
        fn pick<T: Clone>(v: &[T], keep: &[usize]) -> Vec<T> {
            keep.iter().map(|&k| v[k].clone()).collect()
        }
        Panel {
            origin: self.origin.clone(),
            units: self.units.clone(),
            attributes: self.attributes.clone(),
            indicators: self.indicators.clone(),
            unit: pick(&self.unit, &keep),
            year: pick(&self.year, &keep),
            indicator: pick(&self.indicator, &keep),
            value: pick(&self.value, &keep),
            source: pick(&self.source, &keep),
            row: pick(&self.row, &keep),
            column: pick(&self.column, &keep),
            column_names: self.column_names.clone(),
            // Positions among the kept observations (both lists ascending).
            not_applicable: keep
                .iter()
                .enumerate()
                .filter(|(_, &k)| self.not_applicable.binary_search(&k).is_ok())
                .map(|(i, _)| i)
                .collect(),
            template: self.template.clone(),
            issues: self
                .issues
                .iter()
                .filter(|i| i.location.year.is_none_or(|y| years.contains(&y)))
                .cloned()
                .collect(),
        }
    }

    /// From a polars DataFrame, long or wide as `options` says (or detects).
    pub fn from_dataframe(df: &polars::prelude::DataFrame, options: &ReadOptions) -> Result<Panel> {
        let table = RawTable::from_dataframe(df, Some("DataFrame".to_string()))?;
        if table.rows() == 0 {
            return Err(crate::Error::data(table.location(None, None), "the DataFrame has no rows"));
        }
        layout::panel_from_table(&table, options)
    }

    /// From long-form records `(unit, year, indicator, value)`; `NaN` values are missing.
    pub fn from_records<'a>(records: impl IntoIterator<Item = (&'a str, i32, &'a str, f64)>) -> Panel {
        let mut builder = layout::Builder::default();
        for (i, (unit, year, indicator, value)) in records.into_iter().enumerate() {
            builder.push(unit, year, indicator, value, None, i + 1, 0);
        }
        builder.finish(None, vec!["value".to_string()], Vec::new(), Vec::new())
    }

    /// Adds unit attributes (province, city tier, …) from a second table: one row per unit,
    /// the unit column (found as for the panel, or named) and one column per attribute.
    ///
    /// # Errors
    /// [`crate::Error::Data`] if the table has no unit column, names a unit twice, or brings an
    /// attribute the panel already has.
    pub fn attach_attributes(&mut self, path: impl AsRef<Path>, unit_column: Option<&str>) -> Result<()> {
        let table = RawTable::read(path.as_ref())?;
        layout::attach_attributes(self, &table, unit_column)
    }

    /// Number of observations (rows of the long form).
    pub fn len(&self) -> usize {
        self.value.len()
    }

    /// Whether the panel has no observation.
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    /// The input's name (file path, `embedded:NAME` or `DataFrame`); `None` for records.
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }

    /// Unit names in order of first appearance.
    pub fn units(&self) -> &[String] {
        &self.units
    }

    /// Indicator names as given in the input, in order of first appearance.
    pub fn indicator_names(&self) -> &[String] {
        &self.indicators
    }

    /// The unit attributes (province, city tier, …) read with the panel or attached.
    pub fn attributes(&self) -> &[Attribute] {
        &self.attributes
    }

    /// The distinct years, ascending.
    pub fn years(&self) -> Vec<i32> {
        let Some((first, span)) = self.year_span() else { return Vec::new() };
        if span > YEAR_TABLE_LIMIT {
            let mut years = self.year.clone();
            years.sort_unstable();
            years.dedup();
            return years;
        }
        // Years are few and close together: one pass marks them, no sorting.
        let mut seen = vec![false; span];
        for &y in &self.year {
            seen[(y - first) as usize] = true;
        }
        seen.iter().enumerate().filter(|(_, &s)| s).map(|(i, _)| first + i as i32).collect()
    }

    /// The first year and the number of years from the first to the last, inclusive.
    fn year_span(&self) -> Option<(i32, usize)> {
        let (lo, hi) = self.year.iter().fold((i32::MAX, i32::MIN), |(lo, hi), &y| (lo.min(y), hi.max(y)));
        (lo <= hi).then(|| (lo, (i64::from(hi) - i64::from(lo)) as usize + 1))
    }

    /// The distinct years and, for each observation, the position of its year among them.
    pub(crate) fn year_positions(&self) -> (Vec<i32>, Vec<u32>) {
        let years = self.years();
        let Some(&first) = years.first() else { return (years, Vec::new()) };
        let span = (i64::from(years[years.len() - 1]) - i64::from(first)) as usize + 1;
        if span > YEAR_TABLE_LIMIT {
            let positions =
                // Cannot fail: `years` are this panel's own years.
                self.year.iter().map(|y| years.binary_search(y).expect("a year of the panel") as u32).collect();
            return (years, positions);
        }
        // A table from year offset to position.
        let mut table = vec![0u32; span];
        for (i, &y) in years.iter().enumerate() {
            table[(y - first) as usize] = i as u32;
        }
        let positions = self.year.iter().map(|&y| table[(y - first) as usize]).collect();
        (years, positions)
    }

    /// Problems found while reading.
    pub fn read_issues(&self) -> &[Issue] {
        &self.issues
    }

    /// Appends observations `(unit, year, indicator, value)` from `source` (e.g. survey
    /// dimension scores), named in messages as `origin`; units and indicators are matched by
    /// name with those already read.
    pub fn append<'a>(
        &mut self,
        rows: impl IntoIterator<Item = (&'a str, i32, &'a str, f64)>,
        source: Source,
        origin: &str,
    ) {
        let mut units: std::collections::HashMap<String, u32> =
            self.units.iter().enumerate().map(|(i, u)| (u.clone(), i as u32)).collect();
        let mut indicators: std::collections::HashMap<String, u32> =
            self.indicators.iter().enumerate().map(|(i, n)| (n.clone(), i as u32)).collect();
        let column = self.column_names.len() as u32;
        self.column_names.push(origin.to_string());
        for (k, (unit, year, indicator, value)) in rows.into_iter().enumerate() {
            let u = *units.entry(unit.to_string()).or_insert_with(|| {
                for attribute in &mut self.attributes {
                    attribute.values.push(None);
                }
                self.units.push(unit.to_string());
                (self.units.len() - 1) as u32
            });
            let i = *indicators.entry(indicator.to_string()).or_insert_with(|| {
                self.indicators.push(indicator.to_string());
                (self.indicators.len() - 1) as u32
            });
            self.unit.push(u);
            self.year.push(year);
            self.indicator.push(i);
            self.value.push(value);
            self.source.push(Some(source));
            self.row.push(k as u32 + 2);
            self.column.push(column);
        }
    }

    /// Appends observations `(unit, year, indicator, value)` derived from the panel's own values
    /// (an efficiency score joined as an indicator): like [`Panel::append`], without a source.
    pub(crate) fn append_derived<'a>(
        &mut self,
        rows: impl IntoIterator<Item = (&'a str, i32, &'a str, f64)>,
        origin: &str,
    ) {
        let start = self.len();
        self.append(rows, Source::SelfCheck, origin);
        for source in &mut self.source[start..] {
            *source = None;
        }
    }

    /// Whether observation `k` is marked not applicable (`not_applicable` or `不适用` in the
    /// value cell, or [`Panel::mark_not_applicable`]): the indicator does not apply to the unit.
    /// Its value is `NaN`, but it is not missing: it is left out of the scores by design (the
    /// weights renormalised over the other parts), never imputed and never judged.
    pub fn is_not_applicable(&self, k: usize) -> bool {
        self.not_applicable.binary_search(&k).is_ok()
    }

    /// Number of observations marked not applicable.
    pub fn not_applicable_count(&self) -> usize {
        self.not_applicable.len()
    }

    /// Marks observation `k` as not applicable (its value becomes `NaN`): for panels built from
    /// records, where a cell cannot hold the `not_applicable` text.
    ///
    /// # Panics
    /// If `k` is not an observation of the panel.
    pub fn mark_not_applicable(&mut self, k: usize) {
        assert!(k < self.len(), "observation {k} of a panel of {}", self.len());
        self.value[k] = f64::NAN;
        if let Err(at) = self.not_applicable.binary_search(&k) {
            self.not_applicable.insert(at, k);
        }
    }

    /// Replaces the value of observation `k` (a reconciled value).
    pub(crate) fn set_value(&mut self, k: usize, value: f64) {
        self.value[k] = value;
    }

    /// Observation `k` as (unit index, year, indicator index, value, source).
    #[inline]
    pub fn observation(&self, k: usize) -> (usize, i32, usize, f64, Option<Source>) {
        (self.unit[k] as usize, self.year[k], self.indicator[k] as usize, self.value[k], self.source[k])
    }

    /// Where observation `k` came from.
    pub fn location(&self, k: usize) -> crate::error::Location {
        crate::error::Location {
            file: self.origin.clone(),
            row: Some(self.row[k] as usize),
            column: self.column_names.get(self.column[k] as usize).cloned(),
            unit: Some(self.units[self.unit[k] as usize].clone()),
            year: Some(self.year[k]),
            indicator: Some(self.indicators[self.indicator[k] as usize].clone()),
        }
    }
}
