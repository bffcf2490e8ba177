//! Long and wide layouts: a [`RawTable`] → a [`Panel`].

use std::borrow::Cow;

use polars::prelude::{PlHashMap, PlHashSet};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::table::{CellRef, Chunk, CsvChunks, RawTable};
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
    if !unit_column_to_check(table, unit_col, given) {
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
    measurement_units_refused(table, unit_col, seen.iter().map(|t| t.as_ref()).collect())
}

/// Whether the unit column found must be checked for units of measurement: it was not named
/// by the user and is called `unit`.
fn unit_column_to_check(table: &RawTable, unit_col: usize, given: Option<&str>) -> bool {
    given.is_none() && table.names[unit_col].trim().eq_ignore_ascii_case("unit")
}

/// The error when most of the `distinct` values of the unit column are units of measurement.
fn measurement_units_refused(table: &RawTable, unit_col: usize, mut distinct: Vec<&str>) -> Result<()> {
    distinct.sort_unstable();
    let measurement: Vec<&&str> = distinct.iter().filter(|t| is_measurement_unit(t)).collect();
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

/// [`find_column`] for a column the layout cannot do without: [`required`] when it is absent.
fn required_column(
    table: &RawTable,
    given: Option<&str>,
    candidates: &[&str],
    role: &str,
    option: &str,
) -> Result<usize> {
    required(find_column(table, given, candidates, role, option)?, table, role, candidates, option)
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
                builder.push(&unit, year, &indicator, f64::NAN, source, table.row_number(r), vc);
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
            builder.push(&unit, year, &indicator, value, source, table.row_number(r), vc);
        }
    }

    (builder, issues)
}

pub(crate) fn panel_from_table(table: &RawTable, options: &ReadOptions) -> Result<Panel> {
    let mut issues = Vec::new();
    let plan = Plan::of(table, options, true, &mut issues)?;
    let stage = options.progress.stage("reading rows", table.rows() as u64, "rows");
    let builder = plan.read(table, &mut issues, Some(&stage));
    drop(stage);
    let mut attributes = Attributes::new(&plan.attribute_cols);
    attributes.gather(table, plan.unit_col, &builder);
    let attributes = attributes.finish()?;
    finish(builder, issues, attributes, table, &plan.value_columns, table.rows())
}

/// A UTF-8 CSV file larger than one chunk ([`super::table::csv_chunk_bytes`]) read chunk by
/// chunk ([`CsvChunks`]): memory holds the panel and one chunk, never the whole file's text
/// and cells. The panel, its problems and its errors are those of [`panel_from_table`] on the
/// whole file; the progress is reported in bytes. `None` when the file is to be read whole: not
/// larger than a chunk, not UTF-8 (its encoding is detected there), or with a header the
/// layout refuses (the whole-file reader gives its errors in their order).
///
/// # Errors
/// As [`panel_from_table`], and [`CsvChunks::next_chunk`]'s.
pub(crate) fn panel_from_csv_chunks(path: &std::path::Path, options: &ReadOptions) -> Result<Option<Panel>> {
    panel_from_csv_chunks_of(path, options, super::table::csv_chunk_bytes())
}

/// [`panel_from_csv_chunks`] with chunks of `chunk` bytes.
fn panel_from_csv_chunks_of(path: &std::path::Path, options: &ReadOptions, chunk: usize) -> Result<Option<Panel>> {
    let Some(mut chunks) = CsvChunks::open(path, chunk)? else {
        return Ok(None);
    };
    let Some(Chunk::Table { mut table, mut bytes }) = chunks.next_chunk()? else {
        return Ok(None);
    };
    if table.names.is_empty() {
        return Ok(None);
    }
    let mut issues = Vec::new();
    let Ok(plan) = Plan::of(&table, options, false, &mut issues) else {
        return Ok(None);
    };
    let check_units = unit_column_to_check(&table, plan.unit_col, options.unit_column.as_deref());
    let mut units_seen: PlHashSet<String> = PlHashSet::default();
    let size = crate::io::regular_file(path)?.len();
    let stage = options.progress.stage("reading", size, "bytes");
    let mut builder = Builder::default();
    let mut attributes = Attributes::new(&plan.attribute_cols);
    let mut rows = 0;
    loop {
        if check_units {
            for r in 0..table.rows() {
                if let Some(t) = text(table.cell(plan.unit_col, r)) {
                    if !units_seen.contains(t.as_ref()) {
                        units_seen.insert(t.into_owned());
                    }
                }
            }
        }
        let part = plan.read(&table, &mut issues, None);
        builder.append(part);
        attributes.gather(&table, plan.unit_col, &builder);
        rows += table.rows();
        stage.advance(bytes as u64);
        match chunks.next_chunk()? {
            Some(Chunk::Table { table: next, bytes: b }) => (table, bytes) = (next, b),
            Some(Chunk::NotUtf8) => return Ok(None),
            None => break,
        }
    }
    drop(stage);
    if rows == 0 {
        // No data row: the whole-file reader's "the table is empty".
        return Ok(None);
    }
    if check_units {
        measurement_units_refused(&table, plan.unit_col, units_seen.iter().map(String::as_str).collect())?;
    }
    let attributes = attributes.finish()?;
    finish(builder, issues, attributes, &table, &plan.value_columns, rows).map(Some)
}

/// What a table's header decides: the layout and the column of each role.
struct Plan {
    layout: Layout,
    unit_col: usize,
    year_col: usize,
    indicator_col: Option<usize>,
    source_col: Option<usize>,
    value_columns: Vec<usize>,
    attribute_cols: Vec<usize>,
}

impl Plan {
    /// The columns of `table` by `options` (or by their usual names); the columns a long
    /// table leaves unread are added to `issues`. With `check_units`, a column `unit` holding
    /// units of measurement is refused here (the chunked reader checks it after the last chunk).
    fn of(table: &RawTable, options: &ReadOptions, check_units: bool, issues: &mut Vec<Issue>) -> Result<Plan> {
        let o = options;
        let unit_col = required_column(table, o.unit_column.as_deref(), UNIT_NAMES, "unit", "unit_column")?;
        if check_units {
            check_unit_column(table, unit_col, o.unit_column.as_deref())?;
        }
        let year_col = required_column(table, o.year_column.as_deref(), YEAR_NAMES, "year", "year_column")?;
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
            attribute_cols.push(required_column(table, Some(name), &[], "attribute", "attributes")?);
        }

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
                    format!(
                        "column '{}' is not read (long layout; declare it in attributes to keep it)",
                        table.names[j]
                    ),
                ));
            }
        }
        Ok(Plan { layout, unit_col, year_col, indicator_col, source_col, value_columns, attribute_cols })
    }

    /// The observations of every row of `table`, their problems added to `issues` (in row
    /// order). Blocks of rows are read side by side, each into its own builder, and joined in
    /// row order, so units and indicators are numbered by first appearance and problems listed
    /// by row, as one pass would; `stage` advances by the rows read.
    fn read(&self, table: &RawTable, issues: &mut Vec<Issue>, stage: Option<&crate::progress::Stage<'_>>) -> Builder {
        let row_columns = RowColumns {
            layout: self.layout,
            unit_col: self.unit_col,
            year_col: self.year_col,
            indicator_col: self.indicator_col,
            source_col: self.source_col,
            value_columns: &self.value_columns,
        };
        let rows = table.rows();
        let blocks = if rows < 65_536 { 1 } else { 4 * rayon::current_num_threads() };
        let size = rows.div_ceil(blocks).max(1);
        let parts: Vec<(Builder, Vec<Issue>)> = (0..rows.div_ceil(size))
            .into_par_iter()
            .map(|b| {
                let block = b * size..((b + 1) * size).min(rows);
                let count = block.len() as u64;
                let part = read_rows(table, &row_columns, block);
                if let Some(stage) = stage {
                    stage.advance(count);
                }
                part
            })
            .collect();
        let mut builder = Builder::default();
        for (part, part_issues) in parts {
            builder.append(part);
            issues.extend(part_issues);
        }
        builder
    }
}

/// The attribute columns' values, one per unit, gathered table by table in row order; per
/// column the first unit found with two different values, for the error.
struct Attributes {
    columns: Vec<usize>,
    values: Vec<Vec<Option<String>>>,
    names: Vec<String>,
    conflicts: Vec<Option<Error>>,
}

impl Attributes {
    fn new(columns: &[usize]) -> Attributes {
        Attributes {
            columns: columns.to_vec(),
            values: vec![Vec::new(); columns.len()],
            names: Vec::new(),
            conflicts: (0..columns.len()).map(|_| None).collect(),
        }
    }

    /// Adds the values of `table`'s rows, whose units `builder` has read.
    fn gather(&mut self, table: &RawTable, unit_col: usize, builder: &Builder) {
        if self.names.is_empty() {
            self.names = self.columns.iter().map(|&ac| table.names[ac].clone()).collect();
        }
        for (k, &ac) in self.columns.iter().enumerate() {
            if self.conflicts[k].is_some() {
                continue;
            }
            let values = &mut self.values[k];
            values.resize(builder.panel.units.len(), None);
            for r in 0..table.rows() {
                let (Some(unit), Some(value)) = (text(table.cell(unit_col, r)), text(table.cell(ac, r))) else {
                    continue;
                };
                let Some(&u) = builder.unit_index.get(unit.as_ref()) else {
                    continue;
                };
                match &values[u as usize] {
                    Some(existing) if *existing != value => {
                        self.conflicts[k] = Some(Error::data(
                            table.location(Some(r), Some(&table.names[ac])),
                            format!(
                                "unit '{unit}' has two values of attribute '{}': '{existing}' and '{value}'",
                                table.names[ac]
                            ),
                        ));
                        break;
                    }
                    _ => values[u as usize] = Some(value.into_owned()),
                }
            }
        }
    }

    /// The attributes; the error of the first column (in the order given) with a unit of two
    /// values.
    fn finish(self) -> Result<Vec<Attribute>> {
        if let Some(error) = self.conflicts.into_iter().flatten().next() {
            return Err(error);
        }
        Ok(self.names.into_iter().zip(self.values).map(|(name, values)| Attribute { name, values }).collect())
    }
}

/// The panel of the observations `builder` read from `rows` data rows; refused when nothing
/// could be read or every value is empty. `table` (any part of the file) names the file and
/// columns in messages.
fn finish(
    builder: Builder,
    issues: Vec<Issue>,
    attributes: Vec<Attribute>,
    table: &RawTable,
    value_columns: &[usize],
    rows: usize,
) -> Result<Panel> {
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
        let column = match value_columns {
            [one] => Some(table.names[*one].as_str()),
            _ => None,
        };
        return Err(Error::data(
            table.location(None, column),
            format!(
                "every value is empty ({rows} rows read; value column(s) {}{more}): nothing to check or score",
                names.join(", ")
            ),
        ));
    }
    Ok(builder.finish(table.origin.clone(), table.names.clone(), attributes, issues))
}

pub(crate) fn attach_attributes(panel: &mut Panel, table: &RawTable, unit_column: Option<&str>) -> Result<()> {
    let unit_col = required_column(table, unit_column, UNIT_NAMES, "unit", "unit_column")?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::ReadOptions;
    use std::path::Path;

    /// The panel (or the error) read whole, and read in chunks of `chunk` bytes (`None` when
    /// the chunked reader hands the file to the whole-file reader).
    fn both(path: &Path, options: &ReadOptions, chunk: usize) -> (String, Option<String>) {
        let whole = RawTable::read_as(path, options.encoding, None).and_then(|t| panel_from_table(&t, options));
        let chunked = match panel_from_csv_chunks_of(path, options, chunk) {
            Ok(Some(panel)) => Some(format!("{:?}", Ok::<Panel, Error>(panel))),
            Ok(None) => None,
            Err(e) => Some(format!("{:?}", Err::<Panel, Error>(e))),
        };
        (format!("{whole:?}"), chunked)
    }

    fn same_in_chunks(path: &Path, options: &ReadOptions, chunks: &[usize]) {
        for &chunk in chunks {
            let (whole, chunked) = both(path, options, chunk);
            let chunked = chunked.unwrap_or_else(|| panic!("{}: read whole at chunk {chunk}", path.display()));
            assert!(
                whole == chunked,
                "{}: chunk {chunk} differs:\nwhole   {whole:.600}\nchunked {chunked:.600}",
                path.display()
            );
        }
    }

    /// The shipped long table (1.8 MB: 14,000 rows, a measurement-unit column and two columns
    /// a long table does not read) gives the same panel, issues and row numbers in chunks of
    /// 1 KiB to 256 KiB as read whole; without the unit column named, the same error.
    #[test]
    fn the_shipped_long_table_reads_the_same_in_chunks() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/cn_city_ccsy_2004_2012/long.csv");
        let options = ReadOptions::default().unit_column("city");
        same_in_chunks(&path, &options, &[1 << 10, 7_777, 1 << 16, 1 << 18]);
        let (whole, chunked) = both(&path, &ReadOptions::default(), 1 << 16);
        assert!(whole.starts_with("Err("), "{whole:.300}");
        assert!(chunked.is_none(), "a header the layout refuses is read whole, for its errors in their order");
    }

    /// A wide table with what a chunk boundary could break: a byte-order mark, CRLF line ends,
    /// quoted fields with commas, quotes and line breaks, an empty unit, a bad year, text in a
    /// number cell, a not-applicable cell, an attribute; then the errors found only after the
    /// last chunk (a unit with two values of an attribute, a unit column of measurement units,
    /// every value empty) are the whole-file reader's.
    #[test]
    fn a_wide_table_with_quotes_and_problems_reads_the_same_in_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::from("\u{feff}city,year,province,gdp,\"green, share\"\r\n");
        for i in 0..900 {
            let city = match i % 7 {
                0 => format!("\"City \"\"{i}\"\", north\""),
                1 => format!("\"City\n{i}\""),
                _ => format!("City {i}"),
            };
            let year = if i == 450 { "20x1".to_string() } else { (2000 + i % 20).to_string() };
            let unit = if i == 300 { String::new() } else { city };
            let gdp = match i % 97 {
                5 => "12,3".to_string(),
                6 => "n/a".to_string(),
                _ => format!("{}.5", i * 3),
            };
            text.push_str(&format!("{unit},{year},\"P{}\",\"{gdp}\",{}\r\n", i % 5, i % 11));
        }
        let path = dir.path().join("wide.csv");
        std::fs::write(&path, &text).unwrap();
        let options = ReadOptions::default().attribute("province");
        same_in_chunks(&path, &options, &[256, 1 << 10, 4_000, 1 << 14]);

        // An attribute with two values for one unit, the second in the last chunk.
        let conflict = format!("{text}City 2,2001,P9,1.0,2\r\n");
        std::fs::write(&path, conflict).unwrap();
        let (whole, chunked) = both(&path, &options, 1 << 10);
        assert!(whole.contains("two values of attribute"), "{whole:.300}");
        assert_eq!(Some(whole), chunked);

        // A column `unit` of measurement units, and a table whose every value is empty.
        let mut units = String::from("unit,year,gdp\n");
        let mut empty = String::from("city,year,indicator,value\n");
        for i in 0..400 {
            units.push_str(&format!("{},2020,{i}\n", ["万元", "%", "人"][i % 3]));
            empty.push_str(&format!("c{i},2020,gdp,\n"));
        }
        for (name, content, message) in
            [("units.csv", units, "units of measurement"), ("empty.csv", empty, "every value is empty")]
        {
            let path = dir.path().join(name);
            std::fs::write(&path, content).unwrap();
            let (whole, chunked) = both(&path, &ReadOptions::default(), 512);
            assert!(whole.contains(message), "{whole:.300}");
            assert_eq!(Some(whole), chunked, "{name}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Any text (quotes, separators, line ends, blanks, numbers, CJK) under a long or a wide
        /// header reads in chunks of any size as it reads whole: the same panel, or an error
        /// too (polars' parse errors say where in words of their own).
        #[test]
        fn any_csv_reads_the_same_in_chunks(
            cells in proptest::collection::vec(
                proptest::sample::select(vec!["a", "沈阳", "1.5", "20", "2021", "", "\"", "\"\"", ",", "\n", "\r\n", " ", "n/a", "x\"y"]),
                0..400,
            ),
            long in proptest::bool::ANY,
            chunk in 16usize..600,
        ) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("any.csv");
            let header = if long { "city,year,indicator,value\n" } else { "city,year,gdp,green\n" };
            let mut text = String::from(header);
            for (i, cell) in cells.iter().enumerate() {
                text.push_str(cell);
                if i % 5 == 4 { text.push('\n') } else if i % 3 == 0 { text.push(',') }
            }
            // Larger than a chunk, so that it is read in chunks.
            while text.len() <= chunk {
                text.push_str(if long { "c,2020,g,1\n" } else { "c,2020,1,2\n" });
            }
            std::fs::write(&path, &text).unwrap();
            let (whole, chunked) = both(&path, &ReadOptions::default(), chunk);
            if let Some(chunked) = chunked {
                if whole.starts_with("Err(Data") && chunked.starts_with("Err(Data") {
                    // Both refused; the messages of a parse error differ by where they say it is.
                } else {
                    proptest::prop_assert_eq!(whole, chunked);
                }
            }
        }
    }

    /// A file that is not UTF-8 (GBK, as Excel on Chinese Windows saves it) is handed to the
    /// whole-file reader, which detects the encoding; so is a file not larger than one chunk.
    /// A file of blank lines is refused as the whole-file reader refuses it.
    #[test]
    fn a_gbk_file_and_a_small_file_are_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::from("city,year,gdp\n");
        for i in 0..300 {
            text.push_str(&format!("沈阳市{i},2020,{i}\n"));
        }
        let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
        let path = dir.path().join("gbk.csv");
        std::fs::write(&path, gbk.as_ref()).unwrap();
        assert!(panel_from_csv_chunks_of(&path, &ReadOptions::default(), 512).unwrap().is_none());
        // A header and blank lines only (rows without a unit): the whole-file reader's refusal.
        let path = dir.path().join("blank.csv");
        std::fs::write(&path, format!("city,year,gdp\n{}", "\n".repeat(2_000))).unwrap();
        let (whole, chunked) = both(&path, &ReadOptions::default(), 512);
        assert!(whole.starts_with("Err(Validation"), "{whole:.200}");
        assert!(Some(&whole) == chunked.as_ref(), "{:.200}", chunked.unwrap_or_default());
        let path = dir.path().join("small.csv");
        std::fs::write(&path, &text).unwrap();
        assert!(panel_from_csv_chunks_of(&path, &ReadOptions::default(), 1 << 20).unwrap().is_none());
        same_in_chunks(&path, &ReadOptions::default(), &[300]);
    }
}
