//! Long and wide layouts: a [`RawTable`] → a [`Panel`].

use std::borrow::Cow;

use polars::prelude::{PlHashMap, PlHashSet};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::table::{CellRef, RawTable};
use super::{Attribute, Panel, Source};
use crate::error::{Error, Issue, IssueKind, Result};
use crate::progress::Observer;

/// How the table is laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Long if the table has an indicator and a value column, wide otherwise.
    #[default]
    Auto,
    /// unit, year, indicator, value[, source].
    Long,
    /// unit, year, one column per indicator.
    Wide,
}

/// The text encoding of a CSV file (`encoding =` in a run config's `[data]`, `--encoding`,
/// `encoding=` in Python).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Encoding {
    /// UTF-8 (with or without a byte-order mark) when the bytes are valid UTF-8, else GB18030
    /// (the superset of GBK that Excel on Chinese Windows saves "CSV" in), with a note (default).
    #[default]
    #[serde(rename = "auto")]
    Auto,
    /// UTF-8 only: a file that is not is refused, naming the first invalid byte.
    #[serde(rename = "utf-8", alias = "utf8")]
    Utf8,
    /// GBK, read as GB18030 (its superset) even when the bytes happen to be valid UTF-8; a
    /// file starting with a UTF-8 byte-order mark is refused.
    #[serde(rename = "gbk", alias = "gb18030")]
    Gbk,
}

impl Encoding {
    /// The name, as in a run config and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Auto => "auto",
            Encoding::Utf8 => "utf-8",
            Encoding::Gbk => "gbk",
        }
    }

    /// Whether this is the default, detection ([`Encoding::Auto`]).
    pub fn is_auto(&self) -> bool {
        *self == Encoding::Auto
    }
}

/// How to read a table into a panel. Column names left out are looked up among the usual
/// English and Chinese headers; when more than one candidate is present the reader refuses to
/// guess and asks for the name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReadOptions {
    /// Long, wide, or detected (default).
    pub layout: Layout,
    /// The column that names the unit; `None` = looked up among the usual headers.
    pub unit_column: Option<String>,
    /// The column that holds the year; `None` = looked up.
    pub year_column: Option<String>,
    /// The column that names the indicator (long layout); `None` = looked up.
    pub indicator_column: Option<String>,
    /// The column that holds the value (long layout); `None` = looked up.
    pub value_column: Option<String>,
    /// The column that names the evidence source (self, third_party, survey); `None` = looked
    /// up, and without one no observation has a source.
    pub source_column: Option<String>,
    /// Columns that hold unit attributes (province, city tier, …), constant per unit.
    pub attributes: Vec<String>,
    /// The text encoding of a CSV: detected (default), `utf-8` or `gbk`. Other formats
    /// ignore it (Parquet and `.xlsx` carry their own).
    #[serde(skip_serializing_if = "Encoding::is_auto")]
    pub encoding: Encoding,
    /// The sheet of an `.xlsx` workbook to read, by name; `None` = the first sheet. Refused
    /// for other formats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The observer of the rows being read into the panel (a stage `reading rows`); none by
    /// default, never read from a config.
    #[serde(skip)]
    pub progress: Observer,
}

impl ReadOptions {
    /// The layout: long, wide or detected (default).
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// The column that names the unit (city, district, …).
    pub fn unit_column(mut self, name: impl Into<String>) -> Self {
        self.unit_column = Some(name.into());
        self
    }

    /// The column that holds the year.
    pub fn year_column(mut self, name: impl Into<String>) -> Self {
        self.year_column = Some(name.into());
        self
    }

    /// The column that names the indicator (long layout).
    pub fn indicator_column(mut self, name: impl Into<String>) -> Self {
        self.indicator_column = Some(name.into());
        self
    }

    /// The column that holds the value (long layout).
    pub fn value_column(mut self, name: impl Into<String>) -> Self {
        self.value_column = Some(name.into());
        self
    }

    /// The column that names the source of a value (self-check, third party, survey).
    pub fn source_column(mut self, name: impl Into<String>) -> Self {
        self.source_column = Some(name.into());
        self
    }

    /// A column that holds a unit attribute (province, city tier, …); may be given several times.
    pub fn attribute(mut self, name: impl Into<String>) -> Self {
        self.attributes.push(name.into());
        self
    }

    /// The text encoding of a CSV (default: detected).
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// The sheet of an `.xlsx` workbook to read (default: the first).
    pub fn sheet(mut self, name: impl Into<String>) -> Self {
        self.sheet = Some(name.into());
        self
    }
}

const UNIT_NAMES: &[&str] = &["unit", "city", "城市", "地区", "单位", "城市名称"];
const YEAR_NAMES: &[&str] = &["year", "年份", "年度", "年"];
const INDICATOR_NAMES: &[&str] = &["indicator", "指标", "指标名称"];
const VALUE_NAMES: &[&str] = &["value", "值", "数值", "指标值"];
const SOURCE_NAMES: &[&str] = &["source", "来源", "数据来源"];

/// Cell texts read as missing: empty, and the usual "not available" marks of yearbooks.
pub const MISSING_MARKS: &[&str] = &["", "NA", "N/A", "NaN", "nan", "null", "NULL", "-", "--", "—", "…", "..."];

fn find_column(
    table: &RawTable,
    given: Option<&str>,
    candidates: &[&str],
    role: &str,
    option: &str,
) -> Result<Option<usize>> {
    if let Some(name) = given {
        return table.names.iter().position(|n| n == name).map(Some).ok_or_else(|| {
            Error::data(
                table.location(None, Some(name)),
                format!(
                    "no {role} column named '{name}'; columns are: {}{}",
                    table.names.join(", "),
                    delimiter_hint(table)
                ),
            )
        });
    }
    let found: Vec<usize> =
        candidates.iter().filter_map(|c| table.names.iter().position(|n| n.trim().eq_ignore_ascii_case(c))).collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        many => Err(Error::data(
            table.location(None, None),
            format!(
                "more than one column could be the {role} column ({}); name it with {option}",
                many.iter().map(|&j| format!("'{}'", table.names[j])).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// Measurement units (计量单位) as catalogues and yearbooks write them: a column called `unit`
/// holding these is the indicators' unit of measurement, not the unit checked (city, district).
const MEASUREMENT_UNITS: &[&str] = &[
    "%",
    "‰",
    "人",
    "万人",
    "元",
    "万元",
    "亿元",
    "个",
    "处",
    "家",
    "辆",
    "吨",
    "天",
    "年",
    "小时",
    "分钟",
    "米",
    "公里",
    "千米",
    "km",
    "m",
    "平方米",
    "平方公里",
    "公顷",
    "张",
    "床",
    "所",
    "户",
    "万户",
    "次",
    "件",
    "座",
    "条",
    "分",
    "岁",
    "倍",
    "dB",
    "dB(A)",
    "人/万人",
    "元/人",
    "万元/人",
    "个/万人",
    "床/千人",
    "mg/L",
    "μg/m³",
    "km²",
    "m²",
    "hm²",
];

fn is_measurement_unit(text: &str) -> bool {
    MEASUREMENT_UNITS.contains(&text) || text.contains(['%', '‰', '²', '³'])
}

/// Refuses a unit column found by its name `unit` (not named by the user) whose values are
/// mostly measurement units (%, 万人, …): a long file without its city column would otherwise
/// take the indicators' unit of measurement as the unit checked.
fn check_unit_column(table: &RawTable, unit_col: usize, given: Option<&str>) -> Result<()> {
    if given.is_some() || !table.names[unit_col].trim().eq_ignore_ascii_case("unit") {
        return Ok(());
    }
    // Distinct names borrowed from the table (a long table repeats each unit on many rows).
    let mut seen: PlHashSet<Cow<'_, str>> = PlHashSet::default();
    let mut last: Option<Cow<'_, str>> = None;
    for r in 0..table.rows() {
        let Some(t) = text(table.cell(unit_col, r)) else { continue };
        if last.as_ref() != Some(&t) {
            seen.insert(t.clone());
            last = Some(t);
        }
    }
    let mut distinct: Vec<Cow<'_, str>> = seen.into_iter().collect();
    distinct.sort_unstable();
    let measurement: Vec<&Cow<'_, str>> = distinct.iter().filter(|t| is_measurement_unit(t)).collect();
    if distinct.is_empty() || 2 * measurement.len() < distinct.len() {
        return Ok(());
    }
    Err(Error::data(
        table.location(None, Some(&table.names[unit_col])),
        format!(
            "column '{}' holds units of measurement ({}), not the units checked (cities, districts): \
             add the unit column (one of {}) or name it with unit_column (--unit-column); columns are: {}",
            table.names[unit_col],
            measurement.iter().take(5).map(|t| format!("'{t}'")).collect::<Vec<_>>().join(", "),
            UNIT_NAMES.iter().filter(|n| **n != "unit").copied().collect::<Vec<_>>().join(", "),
            table.names.join(", ")
        ),
    ))
}

/// A hint for a table read as one column whose header holds another separator (`;`, a tab,
/// `|`): the file was most likely saved with that delimiter (Excel in many locales writes `;`).
/// Empty when the table has more than one column or its header holds none of them.
fn delimiter_hint(table: &RawTable) -> String {
    let [header] = table.names.as_slice() else {
        return String::new();
    };
    let counts =
        [(';', "';' (semicolon)"), ('\t', "a tab"), ('|', "'|'")].map(|(c, name)| (header.matches(c).count(), name));
    match counts.iter().filter(|(n, _)| *n > 0).max_by_key(|(n, _)| *n) {
        Some((_, name)) => format!(
            "; the header is one field holding {name}: the file looks separated by {name}, not by commas \
             (save it as comma-separated CSV)"
        ),
        None => String::new(),
    }
}

fn required(found: Option<usize>, table: &RawTable, role: &str, candidates: &[&str], option: &str) -> Result<usize> {
    found.ok_or_else(|| {
        Error::data(
            table.location(None, None),
            format!(
                "missing the {role} column: expected one of {} (or name it with {option}); columns are: {}{}",
                candidates.join(", "),
                table.names.join(", "),
                delimiter_hint(table)
            ),
        )
    })
}

/// Cell texts read as "not applicable" (不适用): the indicator does not apply to the unit
/// (e.g. rail-transit indicators of a city without rail). Such a cell is neither a value nor
/// missing: it is left out of the scores by design, never imputed, never judged.
pub const NOT_APPLICABLE_MARKS: &[&str] = &["not_applicable", "不适用"];

/// Whether a value cell holds a not-applicable mark ([`NOT_APPLICABLE_MARKS`]).
pub(crate) fn is_not_applicable(cell: CellRef<'_>) -> bool {
    matches!(cell, CellRef::Text(s) if NOT_APPLICABLE_MARKS.contains(&s.trim()))
}

/// Reads a value cell: a number, a missing mark (→ `NaN`), or a problem description.
pub(crate) fn parse_value(cell: CellRef<'_>) -> std::result::Result<f64, String> {
    // The common case first: a number written plainly (no mark parses to a finite number).
    if let CellRef::Text(s) = cell {
        if let Ok(x) = s.parse::<f64>() {
            if x.is_finite() {
                return Ok(x);
            }
        }
    }
    match cell {
        CellRef::Empty => Ok(f64::NAN),
        CellRef::Number(x) if x.is_finite() => Ok(x),
        CellRef::Number(x) => Err(format!("{x} is not a finite number")),
        CellRef::Text(s) => {
            let t = s.trim();
            if MISSING_MARKS.contains(&t) {
                return Ok(f64::NAN);
            }
            match t.parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(x),
                _ => {
                    let hint = if t.contains(',') && t.replace(',', "").parse::<f64>().is_ok() {
                        " (thousands separators are not read: remove them)"
                    } else if t.ends_with('%') {
                        " (write percentages without the % sign, as the catalogue's unit says)"
                    } else {
                        ""
                    };
                    Err(format!("expected a number, found '{t}'{hint}"))
                }
            }
        }
    }
}

fn parse_year(cell: CellRef<'_>) -> std::result::Result<i32, String> {
    let bad = |found: String| Err(format!("expected a year such as 2024, found '{found}'"));
    match cell {
        CellRef::Empty => Err("the year is empty".to_string()),
        CellRef::Number(x) if x.fract() == 0.0 && (1000.0..=9999.0).contains(&x) => Ok(x as i32),
        CellRef::Number(x) => bad(x.to_string()),
        // The common case first: four ASCII digits.
        CellRef::Text(s) if s.len() == 4 && !s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(s.bytes().fold(0, |y, b| y * 10 + i32::from(b - b'0')))
        }
        CellRef::Text(s) => {
            // "2024" and "2024年" are years; "2024.0" comes from spreadsheets that store years as floats.
            let t = s.trim().trim_end_matches('年');
            let t = t.strip_suffix(".0").unwrap_or(t);
            match t.parse::<i32>() {
                Ok(y) if (1000..=9999).contains(&y) => Ok(y),
                _ => bad(s.to_string()),
            }
        }
    }
}

/// A key cell as text (trimmed; a number as written by Rust), borrowed where it can be;
/// `None` when empty.
fn text(cell: CellRef<'_>) -> Option<Cow<'_, str>> {
    match cell {
        CellRef::Empty => None,
        CellRef::Number(x) => Some(Cow::Owned(x.to_string())),
        CellRef::Text(s) => Some(Cow::Borrowed(s.trim())).filter(|s| !s.is_empty()),
    }
}

/// The number of `name` in `names` (its position), added at the end when new.
fn intern(names: &mut Vec<String>, index: &mut PlHashMap<String, u32>, name: &str) -> u32 {
    if let Some(&k) = index.get(name) {
        return k;
    }
    let k = names.len() as u32;
    names.push(name.to_string());
    index.insert(name.to_string(), k);
    k
}

/// Accumulates observations, interning units and indicator names.
#[derive(Default)]
pub(crate) struct Builder {
    panel: Panel,
    unit_index: PlHashMap<String, u32>,
    indicator_index: PlHashMap<String, u32>,
    /// The unit of the row pushed last (long tables hold a unit's rows together).
    last_unit: Option<u32>,
}

impl Builder {
    fn unit(&mut self, name: &str) -> u32 {
        if let Some(u) = self.last_unit.filter(|&u| self.panel.units[u as usize] == name) {
            return u;
        }
        let u = self.unit_lookup(name);
        self.last_unit = Some(u);
        u
    }

    fn unit_lookup(&mut self, name: &str) -> u32 {
        intern(&mut self.panel.units, &mut self.unit_index, name)
    }

    fn indicator(&mut self, name: &str) -> u32 {
        intern(&mut self.panel.indicators, &mut self.indicator_index, name)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        unit: &str,
        year: i32,
        indicator: &str,
        value: f64,
        source: Option<Source>,
        row: usize,
        column: usize,
    ) {
        let u = self.unit(unit);
        let i = self.indicator(indicator);
        let p = &mut self.panel;
        p.unit.push(u);
        p.year.push(year);
        p.indicator.push(i);
        p.value.push(value);
        p.source.push(source);
        p.row.push(row as u32);
        p.column.push(column as u32);
    }

    /// Appends the observations of `other` (read from the rows after this builder's),
    /// numbering its new units and indicators after this builder's.
    fn append(&mut self, other: Builder) {
        let o = other.panel;
        let units: Vec<u32> = o.units.iter().map(|name| self.unit_lookup(name)).collect();
        let indicators: Vec<u32> = o.indicators.iter().map(|name| self.indicator(name)).collect();
        let offset = self.panel.value.len();
        let p = &mut self.panel;
        p.unit.extend(o.unit.iter().map(|&u| units[u as usize]));
        p.indicator.extend(o.indicator.iter().map(|&i| indicators[i as usize]));
        p.year.extend_from_slice(&o.year);
        p.value.extend_from_slice(&o.value);
        p.source.extend_from_slice(&o.source);
        p.row.extend_from_slice(&o.row);
        p.column.extend_from_slice(&o.column);
        p.not_applicable.extend(o.not_applicable.iter().map(|k| k + offset));
        self.last_unit = None;
    }

    /// Marks the observation pushed last as not applicable (its value is `NaN`).
    pub fn mark_last_not_applicable(&mut self) {
        let k = self.panel.value.len() - 1;
        self.panel.value[k] = f64::NAN;
        self.panel.not_applicable.push(k);
    }

    pub fn finish(
        mut self,
        origin: Option<String>,
        column_names: Vec<String>,
        attributes: Vec<Attribute>,
        issues: Vec<Issue>,
    ) -> Panel {
        self.panel.origin = origin;
        self.panel.column_names = column_names;
        self.panel.attributes = attributes;
        self.panel.issues = issues;
        self.panel
    }
}

/// The columns the row reader needs, found once for the whole table.
struct RowColumns<'c> {
    layout: Layout,
    unit_col: usize,
    year_col: usize,
    indicator_col: Option<usize>,
    source_col: Option<usize>,
    value_columns: &'c [usize],
}

/// Reads the observations of the data rows `rows` into a builder of their own, with the
/// problems met (in row order).
fn read_rows(table: &RawTable, columns: &RowColumns<'_>, rows: std::ops::Range<usize>) -> (Builder, Vec<Issue>) {
    let RowColumns { layout, unit_col, year_col, indicator_col, source_col, value_columns } = *columns;
    let mut issues = Vec::new();
    let mut builder = Builder::default();
    for r in rows {
        let Some(unit) = text(table.cell(unit_col, r)) else {
            issues.push(Issue::new(
                IssueKind::MissingKey,
                table.location(Some(r), Some(&table.names[unit_col])),
                "the unit is empty: row skipped",
            ));
            continue;
        };
        let year = match parse_year(table.cell(year_col, r)) {
            Ok(y) => y,
            Err(message) => {
                issues.push(Issue::new(
                    IssueKind::MissingKey,
                    table.location(Some(r), Some(&table.names[year_col])),
                    format!("{message}: row skipped"),
                ));
                continue;
            }
        };
        let source = match source_col.map(|j| text(table.cell(j, r))) {
            None | Some(None) => None,
            Some(Some(s)) => match Source::parse(&s) {
                Some(src) => Some(src),
                None => {
                    issues.push(Issue::new(
                        IssueKind::InvalidSource,
                        table.location(Some(r), source_col.map(|j| table.names[j].as_str())),
                        format!("source '{s}' is not one of self, third_party, survey (自体检, 第三方体检, 社会满意度调查): row skipped"),
                    ));
                    continue;
                }
            },
        };
        for &vc in value_columns {
            let indicator = match layout {
                Layout::Long => {
                    // Cannot fail: the long layout was refused above (`required`) without an indicator column.
                    let ic = indicator_col.expect("long layout has an indicator column");
                    match text(table.cell(ic, r)) {
                        Some(name) => name,
                        None => {
                            issues.push(Issue::new(
                                IssueKind::MissingKey,
                                table.location(Some(r), Some(&table.names[ic])),
                                "the indicator is empty: row skipped",
                            ));
                            continue;
                        }
                    }
                }
                _ => Cow::Borrowed(table.names[vc].trim()),
            };
            let cell = table.cell(vc, r);
            if layout == Layout::Wide && cell == CellRef::Empty {
                continue;
            }
            if is_not_applicable(cell) {
                builder.push(&unit, year, &indicator, f64::NAN, source, r + 2, vc);
                builder.mark_last_not_applicable();
                continue;
            }
            let value = match parse_value(cell) {
                Ok(v) => v,
                Err(message) => {
                    let mut location = table.location(Some(r), Some(&table.names[vc]));
                    location.unit = Some(unit.to_string());
                    location.year = Some(year);
                    location.indicator = Some(indicator.to_string());
                    // No "read as missing" here: strict validation refuses the cell; lenient
                    // validation adds it (Panel::validate).
                    issues.push(Issue::new(IssueKind::NonNumeric, location, message));
                    f64::NAN
                }
            };
            builder.push(&unit, year, &indicator, value, source, r + 2, vc);
        }
    }

    (builder, issues)
}

pub(crate) fn panel_from_table(table: &RawTable, options: &ReadOptions) -> Result<Panel> {
    let o = options;
    let unit_col = required(
        find_column(table, o.unit_column.as_deref(), UNIT_NAMES, "unit", "unit_column")?,
        table,
        "unit",
        UNIT_NAMES,
        "unit_column",
    )?;
    check_unit_column(table, unit_col, o.unit_column.as_deref())?;
    let year_col = required(
        find_column(table, o.year_column.as_deref(), YEAR_NAMES, "year", "year_column")?,
        table,
        "year",
        YEAR_NAMES,
        "year_column",
    )?;
    let indicator_col =
        find_column(table, o.indicator_column.as_deref(), INDICATOR_NAMES, "indicator", "indicator_column")?;
    let value_col = find_column(table, o.value_column.as_deref(), VALUE_NAMES, "value", "value_column")?;
    let source_col = find_column(table, o.source_column.as_deref(), SOURCE_NAMES, "source", "source_column")?;
    let layout = match o.layout {
        Layout::Auto if indicator_col.is_some() && value_col.is_some() => Layout::Long,
        Layout::Auto => Layout::Wide,
        explicit => explicit,
    };
    let mut attribute_cols = Vec::new();
    for name in &o.attributes {
        // Cannot fail: with a name given, find_column gives the column or an error naming it.
        attribute_cols.push(find_column(table, Some(name), &[], "attribute", "attributes")?.expect("named column"));
    }

    let mut issues = Vec::new();
    let mut used = vec![unit_col, year_col];
    used.extend(&attribute_cols);
    used.extend(source_col);

    let value_columns: Vec<usize> = match layout {
        Layout::Long => {
            let ind = required(indicator_col, table, "indicator", INDICATOR_NAMES, "indicator_column")?;
            let val = required(value_col, table, "value", VALUE_NAMES, "value_column")?;
            used.extend([ind, val]);
            vec![val]
        }
        _ => (0..table.names.len()).filter(|j| !used.contains(j)).collect(),
    };
    if value_columns.is_empty() {
        return Err(Error::data(
            table.location(None, None),
            "no indicator columns: the table has only unit, year and attribute columns",
        ));
    }
    if layout == Layout::Long {
        for (j, name) in table.names.iter().enumerate().filter(|(j, _)| !used.contains(j)) {
            issues.push(Issue::new(
                IssueKind::IgnoredColumn,
                table.location(None, Some(name)),
                format!("column '{}' is not read (long layout; declare it in attributes to keep it)", table.names[j]),
            ));
        }
    }

    // Blocks of rows read side by side, each into its own builder; joined in row order, so
    // units and indicators are numbered by first appearance and problems listed by row, as
    // one pass would.
    let row_columns =
        RowColumns { layout, unit_col, year_col, indicator_col, source_col, value_columns: &value_columns };
    let rows = table.rows();
    let blocks = if rows < 65_536 { 1 } else { 4 * rayon::current_num_threads() };
    let size = rows.div_ceil(blocks).max(1);
    let stage = options.progress.stage("reading rows", rows as u64, "rows");
    let parts: Vec<(Builder, Vec<Issue>)> = (0..rows.div_ceil(size))
        .into_par_iter()
        .map(|b| {
            let block = b * size..((b + 1) * size).min(rows);
            let count = block.len() as u64;
            let part = read_rows(table, &row_columns, block);
            stage.advance(count);
            part
        })
        .collect();
    drop(stage);
    let mut builder = Builder::default();
    for (part, part_issues) in parts {
        builder.append(part);
        issues.extend(part_issues);
    }

    // Attributes: one value per unit; a unit with two different values is refused.
    let mut attributes = Vec::new();
    for &ac in &attribute_cols {
        let mut values: Vec<Option<String>> = vec![None; builder.panel.units.len()];
        for r in 0..table.rows() {
            let (Some(unit), Some(value)) = (text(table.cell(unit_col, r)), text(table.cell(ac, r))) else {
                continue;
            };
            let Some(&u) = builder.unit_index.get(unit.as_ref()) else {
                continue;
            };
            match &values[u as usize] {
                Some(existing) if *existing != value => {
                    return Err(Error::data(
                        table.location(Some(r), Some(&table.names[ac])),
                        format!(
                            "unit '{unit}' has two values of attribute '{}': '{existing}' and '{value}'",
                            table.names[ac]
                        ),
                    ))
                }
                _ => values[u as usize] = Some(value.into_owned()),
            }
        }
        attributes.push(Attribute { name: table.names[ac].clone(), values });
    }

    if builder.panel.value.is_empty() {
        if issues.iter().any(Issue::is_fatal) {
            return Err(Error::Validation { issues });
        }
        return Err(Error::data(table.location(None, None), "no observation could be read"));
    }
    // Every value empty (a blank value column): nothing to check or score, which a run must not
    // report as a success with 0 indicators.
    if builder.panel.not_applicable.is_empty() && builder.panel.value.iter().all(|v| v.is_nan()) {
        if issues.iter().any(Issue::is_fatal) {
            return Err(Error::Validation { issues });
        }
        let names: Vec<String> = value_columns.iter().take(5).map(|&j| format!("'{}'", table.names[j])).collect();
        let more = match value_columns.len() {
            n if n > 5 => format!(" and {} more", n - 5),
            _ => String::new(),
        };
        let column = match value_columns.as_slice() {
            [one] => Some(table.names[*one].as_str()),
            _ => None,
        };
        return Err(Error::data(
            table.location(None, column),
            format!(
                "every value is empty ({} rows read; value column(s) {}{more}): nothing to check or score",
                table.rows(),
                names.join(", ")
            ),
        ));
    }
    Ok(builder.finish(table.origin.clone(), table.names.clone(), attributes, issues))
}

pub(crate) fn attach_attributes(panel: &mut Panel, table: &RawTable, unit_column: Option<&str>) -> Result<()> {
    let unit_col = required(
        find_column(table, unit_column, UNIT_NAMES, "unit", "unit_column")?,
        table,
        "unit",
        UNIT_NAMES,
        "unit_column",
    )?;
    check_unit_column(table, unit_col, unit_column)?;
    let index: PlHashMap<&str, usize> = panel.units.iter().enumerate().map(|(i, u)| (u.as_str(), i)).collect();
    // Row of each panel unit in the table; units the panel does not have are not needed.
    let mut row_of = vec![None; panel.units.len()];
    for r in 0..table.rows() {
        let Some(unit) = text(table.cell(unit_col, r)) else { continue };
        let Some(&u) = index.get(unit.as_ref()) else { continue };
        if let Some(first) = row_of[u].replace(r) {
            return Err(Error::data(
                table.location(Some(r), Some(&table.names[unit_col])),
                format!("unit '{unit}' appears twice (first at row {})", first + 2),
            ));
        }
    }
    let mut new = Vec::new();
    for (j, name) in table.names.iter().enumerate().filter(|(j, _)| *j != unit_col) {
        if panel.attributes.iter().any(|a| &a.name == name) {
            return Err(Error::data(
                table.location(None, Some(name)),
                format!("the panel already has attribute '{name}'"),
            ));
        }
        let values = row_of.iter().map(|r| r.and_then(|r| text(table.cell(j, r)).map(Cow::into_owned))).collect();
        new.push(Attribute { name: name.clone(), values });
    }
    panel.attributes.extend(new);
    Ok(())
}
