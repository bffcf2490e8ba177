//! The Excel workbook of a run's tables (`format = "xlsx"`): one sheet per table, a README
//! sheet of provenance first, frozen header rows, fitted column widths, number formats chosen
//! by column name (the stored values are never changed), warning levels coloured and, with
//! [`Lang::Zh`], Chinese headers.
//!
//! Every text cell is written as a string, so a unit named `=1+1` stays text (no formula
//! injection); null and non-finite numbers are empty cells; booleans are TRUE/FALSE.

use std::collections::HashSet;
use std::path::Path;

use polars::prelude::{AnyValue, DataFrame, DataType, Series};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};

/// The language of the workbook's headers: the tables' column names (`en`, the default) or
/// their Chinese names (`zh`) for the common columns; a column without one keeps its name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// The column names as in the CSV files.
    #[default]
    En,
    /// Chinese headers (单位, 年份, 得分, …) where the dictionary has one.
    Zh,
}

/// The name of the provenance sheet, the first of a workbook that has one.
pub const README_SHEET_NAME: &str = "README";

/// Rows of a sheet, header included (Excel's limit).
const MAX_ROWS: usize = 1_048_576;
/// Columns of a sheet (Excel's limit).
const MAX_COLUMNS: usize = 16_384;
/// UTF-16 code units of a cell's text (Excel's limit).
const MAX_CELL_CHARS: usize = 32_767;
/// Characters of a sheet name (Excel's limit).
const MAX_SHEET_NAME: usize = 31;
/// Widest fitted column, in character widths.
const MAX_WIDTH: usize = 60;
/// Widest README value column, in character widths (longer lines wrap).
const README_VALUE_WIDTH: usize = 100;

/// The Chinese header of a common column, or `None`.
pub fn header_zh(name: &str) -> Option<&'static str> {
    Some(match name {
        "unit" => "单位",
        "year" => "年份",
        "node" => "节点",
        "kind" => "类型",
        "score" => "得分",
        "rank" => "排名",
        "imputed" => "插补",
        "coverage" => "覆盖度",
        "indicator" => "指标",
        "value" => "值",
        "standard" => "标准值",
        "level" => "等级",
        "attainment" => "达标度",
        "points" => "分值",
        "weight" => "权重",
        "global_weight" => "全局权重",
        "parent" => "上级节点",
        "obstacle" => "障碍度",
        "severity" => "严重程度",
        "reason" => "原因",
        "reasons" => "原因",
        "source" => "来源",
        "note" => "备注",
        "task" => "任务",
        "task_name" => "任务名称",
        "tasks" => "任务",
        "priority" => "优先级",
        "problems" => "问题",
        "deadline" => "完成期限",
        "target" => "目标值",
        "progress" => "进度",
        "projected_year" => "预计达标年份",
        "on_track" => "是否按期",
        "verdict" => "趋势判断",
        "series" => "序列",
        "n" => "样本数",
        "baseline" => "基期值",
        "baseline_year" => "基期年份",
        "latest" => "最新值",
        "latest_year" => "最新年份",
        "first_year" => "起始年份",
        "previous_year" => "上一年份",
        "change" => "变化",
        "rate" => "比率",
        "status" => "状态",
        "new" => "新增",
        "persisting" => "持续",
        "resolved" => "已整改",
        "recurring" => "复发",
        "closed" => "已销号",
        "carried_over" => "延续",
        "not_assessed" => "未评估",
        "peers" => "同类单位",
        "peer_group" => "同类组",
        "peer_median" => "同类中位数",
        "c" => "耦合度",
        "t" => "综合发展指数",
        "d" => "耦合协调度",
        "grade" => "协调等级",
        "objective" => "客观指数",
        "survey" => "满意度",
        "combined" => "综合得分",
        "name_zh" => "中文名称",
        "name_en" => "英文名称",
        "description" => "说明",
        "id" => "编号",
        "name" => "名称",
        "dimension" => "维度",
        "item" => "题项",
        "alpha" => "克朗巴赫α",
        "self_value" => "自评值",
        "third_party_value" => "第三方值",
        "survey_value" => "调查值",
        "diff" => "差值",
        "tolerance" => "容差",
        "flagged" => "已标记",
        "resolved_from" => "取值来源",
        "numerator" => "分子",
        "denominator" => "分母",
        "objects" => "对象数",
        "object_id" => "对象编号",
        "gap" => "差距",
        "share" => "占比",
        "start_rank" => "起始排名",
        "end_rank" => "期末排名",
        "responsible_units" => "责任单位",
        "lead_units" => "牵头单位",
        "guiding_units" => "指导单位",
        "indicators" => "指标",
        _ => return None,
    })
}

/// How the numbers of a column are shown (the stored value is always the full number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumberStyle {
    /// Excel's General format.
    General,
    /// `0`: years, ranks, counts.
    Integer,
    /// `0.00`: scores, rates, attainment, obstacle degree.
    Two,
    /// `0.0000`: p-values, weights, coefficients.
    Four,
}

/// The style of a numeric column by its name; `integer` when the column's type is an integer
/// or all its values are whole numbers.
fn number_style(name: &str, integer_type: bool, integral: bool) -> NumberStyle {
    let n = name.to_ascii_lowercase();
    if integer_type {
        return NumberStyle::Integer;
    }
    let p_value = n == "p" || n.starts_with("p_") || n.ends_with("_p") || n.contains("p_value");
    if p_value {
        return NumberStyle::Four;
    }
    if integral && (n.contains("rank") || n.contains("year") || n == "n" || n == "points" || n == "objects") {
        return NumberStyle::Integer;
    }
    let coefficient = n.contains("weight")
        || n.starts_with("alpha")
        || n.ends_with("_r")
        || matches!(n.as_str(), "c" | "t" | "d" | "r" | "tolerance");
    if coefficient {
        return NumberStyle::Four;
    }
    let two = ["score", "rate", "attainment", "obstacle", "severity", "priority", "progress"];
    if two.iter().any(|w| n.contains(w)) || matches!(n.as_str(), "index" | "objective" | "survey" | "combined") {
        return NumberStyle::Two;
    }
    NumberStyle::General
}

/// A warning level's colour (fill, font) for a cell of a `level` column.
fn level_colour(value: &str) -> Option<usize> {
    match value.trim().to_ascii_lowercase().as_str() {
        "red" | "红" | "红色" => Some(0),
        "yellow" | "黄" | "黄色" => Some(1),
        "green" | "绿" | "绿色" => Some(2),
        _ => None,
    }
}

/// Whether a column holds warning levels (`level`, `…_level`).
fn is_level_column(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "level" || n.ends_with("_level")
}

/// The width of `text` in character cells: CJK and full-width characters count two; the
/// widest line of a multi-line text.
fn display_width(text: &str) -> usize {
    text.lines().map(|line| line.chars().map(char_width).sum()).max().unwrap_or(0)
}

fn char_width(c: char) -> usize {
    let wide = matches!(u32::from(c),
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD);
    if wide {
        2
    } else {
        1
    }
}

/// The cells of one column, read once from polars.
enum Cells {
    Number(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    Text(Vec<Option<String>>),
}

fn cells(series: &Series) -> std::result::Result<Cells, Box<dyn std::error::Error>> {
    let dtype = series.dtype();
    if dtype == &DataType::Boolean {
        return Ok(Cells::Bool(series.bool()?.iter().collect()));
    }
    if dtype.is_primitive_numeric() || matches!(dtype, DataType::Decimal(_, _)) {
        let floats = series.cast(&DataType::Float64)?;
        return Ok(Cells::Number(floats.f64()?.iter().map(|v| v.filter(|x| x.is_finite())).collect()));
    }
    if dtype == &DataType::String {
        return Ok(Cells::Text(series.str()?.iter().map(|v| v.map(str::to_string)).collect()));
    }
    // Lists, dates and the rest: their text as polars shows it.
    let mut out = Vec::with_capacity(series.len());
    for i in 0..series.len() {
        out.push(match series.get(i)? {
            AnyValue::Null => None,
            v => Some(v.to_string()),
        });
    }
    Ok(Cells::Text(out))
}

/// A cell's text within Excel's limit (32,767 UTF-16 code units), cut with `…` beyond it.
fn cell_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.encode_utf16().count() <= MAX_CELL_CHARS {
        return std::borrow::Cow::Borrowed(text);
    }
    let (mut cut, mut units) = (String::new(), 0);
    for c in text.chars() {
        if units + c.len_utf16() > MAX_CELL_CHARS - 1 {
            break;
        }
        units += c.len_utf16();
        cut.push(c);
    }
    cut.push('…');
    std::borrow::Cow::Owned(cut)
}

/// A number as its format shows it, for the column width.
fn shown(x: f64, style: NumberStyle) -> String {
    match style {
        NumberStyle::General => {
            let s = format!("{x}");
            if s.len() > 11 {
                format!("{x:.6}")
            } else {
                s
            }
        }
        NumberStyle::Integer => format!("{x:.0}"),
        NumberStyle::Two => format!("{x:.2}"),
        NumberStyle::Four => format!("{x:.4}"),
    }
}

/// The formats of a workbook, made once.
struct Styles {
    header: Format,
    key: Format,
    wrap: Format,
    integer: Format,
    two: Format,
    four: Format,
    levels: [Format; 3],
}

impl Styles {
    fn new() -> Styles {
        let level = |fill: u32, font: u32| {
            Format::new().set_background_color(Color::RGB(fill)).set_font_color(Color::RGB(font))
        };
        Styles {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border_bottom(FormatBorder::Thin)
                .set_align(FormatAlign::Center),
            key: Format::new().set_bold().set_align(FormatAlign::Top),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            integer: Format::new().set_num_format("0"),
            two: Format::new().set_num_format("0.00"),
            four: Format::new().set_num_format("0.0000"),
            levels: [level(0xFFC7CE, 0x9C0006), level(0xFFEB9C, 0x9C5700), level(0xC6EFCE, 0x006100)],
        }
    }

    fn number(&self, style: NumberStyle) -> Option<&Format> {
        match style {
            NumberStyle::General => None,
            NumberStyle::Integer => Some(&self.integer),
            NumberStyle::Two => Some(&self.two),
            NumberStyle::Four => Some(&self.four),
        }
    }
}

/// A sheet name Excel accepts (no `[]:*?/\`, at most 31 characters), unique in `used`
/// (compared without case).
fn sheet_name(name: &str, used: &mut HashSet<String>) -> String {
    let clean: String =
        name.chars().map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') { '_' } else { c }).collect();
    let clean = clean.trim_matches('\'').to_string();
    let base: String = if clean.is_empty() { "sheet".to_string() } else { clean };
    let mut candidate: String = base.chars().take(MAX_SHEET_NAME).collect();
    let mut k = 2;
    while used.contains(&candidate.to_lowercase()) {
        let suffix = format!("_{k}");
        let keep = MAX_SHEET_NAME - suffix.chars().count();
        candidate = base.chars().take(keep).collect::<String>() + &suffix;
        k += 1;
    }
    used.insert(candidate.to_lowercase());
    candidate
}

type Failure = Box<dyn std::error::Error>;

fn write_readme(
    sheet: &mut Worksheet,
    readme: &[(String, String)],
    lang: Lang,
    styles: &Styles,
) -> std::result::Result<(), Failure> {
    let (field, value) = match lang {
        Lang::En => ("field", "value"),
        Lang::Zh => ("项目", "内容"),
    };
    sheet.write_string_with_format(0, 0, field, &styles.header)?;
    sheet.write_string_with_format(0, 1, value, &styles.header)?;
    let (mut key_width, mut value_width) = (display_width(field), display_width(value));
    for (r, (k, v)) in readme.iter().enumerate() {
        let row = (r + 1) as u32;
        sheet.write_string_with_format(row, 0, cell_text(k), &styles.key)?;
        sheet.write_string_with_format(row, 1, cell_text(v), &styles.wrap)?;
        key_width = key_width.max(display_width(k));
        value_width = value_width.max(display_width(v));
    }
    sheet.set_column_width(0, (key_width.min(MAX_WIDTH) + 2) as f64)?;
    sheet.set_column_width(1, (value_width.min(README_VALUE_WIDTH) + 2) as f64)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn write_table_sheet(
    sheet: &mut Worksheet,
    df: &DataFrame,
    lang: Lang,
    styles: &Styles,
) -> std::result::Result<(), Failure> {
    if df.height() + 1 > MAX_ROWS || df.width() > MAX_COLUMNS {
        return Err(format!(
            "{} rows × {} columns do not fit in a sheet (at most {} rows and {MAX_COLUMNS} columns): write CSV or \
             Parquet instead",
            df.height(),
            df.width(),
            MAX_ROWS - 1
        )
        .into());
    }
    for (c, column) in df.columns().iter().enumerate() {
        let col = c as u16;
        let name = column.name().to_string();
        let header: &str = match lang {
            Lang::Zh => header_zh(&name).unwrap_or(name.as_str()),
            Lang::En => name.as_str(),
        };
        sheet.write_string_with_format(0, col, header, &styles.header)?;
        let mut width = display_width(header);
        let series = column.as_materialized_series();
        match cells(series)? {
            Cells::Number(values) => {
                let integral = values.iter().flatten().all(|x| x.fract() == 0.0);
                let style = number_style(&name, series.dtype().is_integer(), integral);
                let format = styles.number(style);
                for (r, v) in values.iter().enumerate() {
                    let Some(x) = *v else { continue };
                    let row = (r + 1) as u32;
                    match format {
                        Some(f) => sheet.write_number_with_format(row, col, x, f)?,
                        None => sheet.write_number(row, col, x)?,
                    };
                    width = width.max(shown(x, style).len());
                }
            }
            Cells::Bool(values) => {
                for (r, v) in values.iter().enumerate() {
                    if let Some(b) = *v {
                        sheet.write_boolean((r + 1) as u32, col, b)?;
                        width = width.max(5);
                    }
                }
            }
            Cells::Text(values) => {
                let levels = is_level_column(&name);
                for (r, v) in values.iter().enumerate() {
                    let Some(text) = v else { continue };
                    let row = (r + 1) as u32;
                    let text = cell_text(text);
                    match levels.then(|| level_colour(&text)).flatten() {
                        Some(k) => sheet.write_string_with_format(row, col, &*text, &styles.levels[k])?,
                        None => sheet.write_string(row, col, &*text)?,
                    };
                    width = width.max(display_width(&text));
                }
            }
        }
        sheet.set_column_width(col, (width.clamp(4, MAX_WIDTH) + 2) as f64)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Writes one workbook at `path`: a README sheet of `readme` (field, value) rows first when
/// `readme` is not empty, then one sheet per table, named by the table (Excel's forbidden
/// characters replaced, cut to 31 characters, made unique).
///
/// Each table sheet has a frozen header row (the column names, or their Chinese names with
/// [`Lang::Zh`]), columns as wide as their content (CJK characters count two), numbers
/// formatted by column name (scores and rates `0.00`, ranks and years `0`, p-values and weights
/// `0.0000`, other values General; the stored number is always the full value), the cells of a
/// `level` column coloured red, yellow or green, nulls and non-finite numbers as empty cells,
/// booleans as TRUE/FALSE, and every text as text (never a formula).
///
/// # Errors
/// [`Error::Data`] naming the file when a table does not fit in a sheet (more than 1,048,575
/// rows or 16,384 columns), polars cannot read a column, or the file cannot be written.
pub fn write_workbook(
    path: &Path,
    tables: &[(&str, &DataFrame)],
    readme: &[(String, String)],
    lang: Lang,
) -> Result<()> {
    let fail = |sheet: Option<&str>, e: Failure| {
        let message = match sheet {
            Some(s) => format!("sheet {s}: {e}"),
            None => e.to_string(),
        };
        Error::data(Location { file: Some(path.display().to_string()), ..Default::default() }, message)
    };
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let mut used = HashSet::new();
    if !readme.is_empty() {
        let name = sheet_name(README_SHEET_NAME, &mut used);
        let sheet = workbook.add_worksheet();
        sheet.set_name(name.as_str()).map_err(|e| fail(None, e.into()))?;
        write_readme(sheet, readme, lang, &styles).map_err(|e| fail(Some(name.as_str()), e))?;
    }
    for (table, df) in tables {
        let name = sheet_name(table, &mut used);
        let sheet = workbook.add_worksheet();
        sheet.set_name(name.as_str()).map_err(|e| fail(None, e.into()))?;
        write_table_sheet(sheet, df, lang, &styles).map_err(|e| fail(Some(name.as_str()), e))?;
    }
    workbook.save(path).map_err(|e| fail(None, e.into()))
}

/// The README rows of a run's workbook, from what its `run.json` holds (`run`): the citycheck
/// version, the date the workbook is written, the catalogue, the spec (`spec`: its TOML text;
/// `None`: its JSON fields, one row each), then every other field of `run`, one row per scalar,
/// keyed by its path (`inputs[1].path`, `counts.units`; an array of scalars is one row, its
/// items joined by commas). The run's own workbook and the report's (report.xlsx) both use it.
///
/// # Examples
/// ```
/// let run = serde_json::json!({
///     "citycheck_version": "0.1.0",
///     "catalog": {"id": "ccsy-example", "version": "1", "sha256": "ab", "path": null},
///     "inputs": [{"path": "d.csv", "sha256": "cd"}],
///     "years": [2011, 2012],
/// });
/// let rows = citycheck::io::readme_rows(&run, Some("[normalize]\nmethod = \"min_max\"\n".into()));
/// let value = |key: &str| rows.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
/// assert_eq!(value("catalog.id"), Some("ccsy-example"));
/// assert_eq!(value("inputs[1].sha256"), Some("cd"));
/// assert_eq!(value("years"), Some("2011, 2012"));
/// assert!(value("spec").unwrap().contains("min_max"));
/// ```
pub fn readme_rows(run: &serde_json::Value, spec: Option<String>) -> Vec<(String, String)> {
    use serde_json::Value;
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let mut rows = vec![
        ("citycheck_version".to_string(), text(&run["citycheck_version"])),
        ("date".to_string(), crate::io::utc_timestamp()),
        ("catalog.id".to_string(), text(&run["catalog"]["id"])),
        ("catalog.version".to_string(), text(&run["catalog"]["version"])),
        ("catalog.sha256".to_string(), text(&run["catalog"]["sha256"])),
    ];
    let mut rest = run.clone();
    if let Value::Object(map) = &mut rest {
        map.remove("citycheck_version");
        if let Some(toml) = spec {
            map.remove("spec");
            rows.push(("spec".to_string(), toml));
        }
        if let Some(Value::Object(catalog)) = map.get_mut("catalog") {
            for key in ["id", "version", "sha256"] {
                catalog.remove(key);
            }
        }
    }
    flatten_json("", &rest, &mut rows);
    rows
}

/// One row per scalar of `value`, keyed by its path (`a.b`, `a[1].c`); an array of scalars is
/// one row, its items joined by commas.
fn flatten_json(prefix: &str, value: &serde_json::Value, rows: &mut Vec<(String, String)>) {
    use serde_json::Value;
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let key = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                flatten_json(&key, v, rows);
            }
        }
        Value::Array(items) if items.iter().any(|v| v.is_object() || v.is_array()) => {
            for (i, v) in items.iter().enumerate() {
                flatten_json(&format!("{prefix}[{}]", i + 1), v, rows);
            }
        }
        Value::Array(items) => rows.push((prefix.to_string(), items.iter().map(text).collect::<Vec<_>>().join(", "))),
        other => rows.push((prefix.to_string(), text(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_cjk_twice() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("沈阳市"), 6);
        assert_eq!(display_width("a\n沈阳"), 4);
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = HashSet::new();
        assert_eq!(sheet_name("scores", &mut used), "scores");
        assert_eq!(sheet_name("Scores", &mut used), "Scores_2");
        let long = sheet_name("a_very_long_table_name_that_goes_on_and_on", &mut used);
        assert_eq!(long.chars().count(), 31);
        assert_eq!(sheet_name("a/b", &mut used), "a_b");
    }

    #[test]
    fn styles_by_column() {
        assert_eq!(number_style("score", false, false), NumberStyle::Two);
        assert_eq!(number_style("rank", true, true), NumberStyle::Integer);
        assert_eq!(number_style("rank", false, false), NumberStyle::General);
        assert_eq!(number_style("mk_p", false, false), NumberStyle::Four);
        assert_eq!(number_style("global_weight", false, false), NumberStyle::Four);
        assert_eq!(number_style("attainment_rate", false, false), NumberStyle::Two);
        assert_eq!(number_style("value", false, false), NumberStyle::General);
        assert_eq!(header_zh("unit"), Some("单位"));
        assert_eq!(header_zh("no_such_column"), None);
    }
}
