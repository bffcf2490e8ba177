//! Fill-in templates (填报模板): the `.xlsx` workbook a city's team fills with its indicator
//! values, written from a catalogue ([`write`]) and read back as a panel by [`Panel::read`].
//!
//! The layout (indicators/README.md, "Fill-in templates"):
//! - sheet `README`: cell A1 holds [`MARKER`], rows 2–8 pairs of a key in column A and its
//!   value in column B (`catalog`, `version`, `sha256`, `name`, `units`, `years`, `level`),
//!   then how to fill it, in Chinese and English. The marker is how a reader knows the layout;
//!   the catalogue id and version are checked by [`Panel::validate`].
//! - one sheet per level when the catalogue's top-level groups hold groups (the levels of
//!   `mohurd-2023`: 住房, 小区(社区), 街区, 城区(城市)), named by the level's Chinese name, and
//!   a sheet `context` for the context variables; otherwise one sheet `indicators` with the
//!   scored indicators and then the context variables.
//! - on each sheet, row 1 is the header: the fixed columns [`COLUMNS`], then one input column
//!   per unit and year, headed `UNIT YEAR` (`沈阳市 2024`), unit by unit. One row per
//!   indicator, and under it one row per sub-item (细项), whose id is `indicator.item`.
//!
//! Reading: every sheet with an `指标ID` header in row 1 is read; a row with an id gives one
//! observation per filled input cell. Empty cells (and the usual "not available" marks such as
//! `-`) are missing. In a yes/no row (unit `yes/no`) 是 reads as 1 and 否 as 0. Any other text
//! is an error naming the sheet and the cell (`sheet 城区(城市), cell K12: '十二' is not a
//! number`); every such cell is listed. Sub-item rows are checked the same way but not read
//! into the panel: they are the breakdown behind the indicator's value.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rust_xlsxwriter::{Color, DataValidation, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use super::layout::{Builder, MISSING_MARKS};
use super::Panel;
use crate::catalog::{units, Catalog, Indicator, IndicatorType};
use crate::direction::Direction;
use crate::error::{Error, Location, Result};

/// The text of cell A1 of the `README` sheet that marks a workbook as a citycheck template.
pub const MARKER: &str = "citycheck fill-in template";

/// The name of the sheet that holds [`MARKER`] and the catalogue's identity.
pub const README_SHEET: &str = "README";

/// The layout's version, written beside the marker.
pub const LAYOUT_VERSION: &str = "1";

/// The fixed columns of a data sheet, in order; the input columns follow them.
pub const COLUMNS: [&str; 10] =
    ["编号", "分组", "指标ID", "指标名称", "统计口径", "单位", "数据来源", "责任部门", "类型", "标准值"];

/// Position of the id column (`指标ID`) among [`COLUMNS`].
const ID_COLUMN: usize = 2;
/// Position of the unit-of-measure column (`单位`).
const UNIT_COLUMN: usize = 5;
/// Widths of the fixed columns, in characters.
const WIDTHS: [f64; 10] = [8.0, 14.0, 24.0, 32.0, 40.0, 10.0, 22.0, 16.0, 8.0, 18.0];
/// Width of an input column.
const INPUT_WIDTH: f64 = 14.0;

/// What a template is for: its units, years and, optionally, one level.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateOptions {
    /// The units (cities, districts, …) to fill, in column order; at least one, as they are to
    /// be named in the data (`沈阳市`).
    pub units: Vec<String>,
    /// The years to fill, in column order; at least one.
    pub years: Vec<i32>,
    /// Only this level (the id or Chinese name of a top-level group, e.g. `district` or
    /// `城区(城市)`), for catalogues whose top-level groups are levels; `None`: every level.
    pub level: Option<String>,
}

impl TemplateOptions {
    /// A template for `units` and `years`, every level.
    pub fn new(units: impl IntoIterator<Item = impl Into<String>>, years: impl IntoIterator<Item = i32>) -> Self {
        TemplateOptions {
            units: units.into_iter().map(Into::into).collect(),
            years: years.into_iter().collect(),
            level: None,
        }
    }

    /// Only the level with this id or Chinese name.
    pub fn level(mut self, level: impl Into<String>) -> Self {
        self.level = Some(level.into());
        self
    }
}

/// What a template's README sheet says about the catalogue it was written for; kept with a
/// panel read from a template ([`Panel::template`]) so that validation can refuse another
/// catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateInfo {
    /// The catalogue's id.
    pub catalog: String,
    /// The catalogue's version.
    pub version: String,
    /// SHA-256 of the catalogue's TOML text when the template was written (not checked: a
    /// corrected source or quote does not void a filled template).
    pub sha256: String,
}

/// Writes the fill-in template of `catalog` for `options` to `path` (an `.xlsx` file).
///
/// # Errors
/// [`Error::Spec`] when no unit or no year is given, a unit or year is given twice, the
/// level is not one of the catalogue's, or `path` does not end in `.xlsx`; [`Error::Data`] naming the file when the workbook
/// cannot be written.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::panel::template::{self, TemplateOptions};
/// use citycheck::Catalog;
/// let catalog = Catalog::builtin("ccsy-example")?;
/// let dir = std::env::temp_dir().join(format!("citycheck-template-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("template.xlsx");
/// template::write(&catalog, &TemplateOptions::new(["沈阳市", "大连市"], [2024, 2025]), &path)?;
/// // Nothing filled yet: reading it says so.
/// assert!(citycheck::Panel::read(&path, &Default::default()).is_err());
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok(()) }
/// ```
pub fn write(catalog: &Catalog, options: &TemplateOptions, path: impl AsRef<Path>) -> Result<()> {
    write_workbook(catalog, options, None, path.as_ref())
}

/// Writes the template as [`write`] does, with the cells the panel `values` has filled in
/// (indicators matched by id or alias; a yes/no value 1 or 0 as 是 or 否): last year's values
/// to correct, or a filled template to test with.
///
/// # Errors
/// As [`write`].
pub fn write_prefilled(
    catalog: &Catalog,
    options: &TemplateOptions,
    values: &Panel,
    path: impl AsRef<Path>,
) -> Result<()> {
    write_workbook(catalog, options, Some(values), path.as_ref())
}

/// One data sheet: its name and its indicators in order.
struct SheetPlan<'a> {
    name: String,
    indicators: Vec<&'a Indicator>,
}

/// The top-level group above `group` (itself when it has no parent).
fn top_group<'a>(catalog: &'a Catalog, group: &'a str) -> &'a str {
    let mut current = group;
    // Parents form a tree (checked at load); the bound only guards against a loop.
    for _ in 0..=catalog.groups().len() {
        match catalog.group(current).and_then(|g| g.parent.as_deref()) {
            Some(parent) => current = parent,
            None => break,
        }
    }
    current
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, not `README`,
/// unique among `taken`.
fn sheet_name(wanted: &str, taken: &mut HashSet<String>) -> String {
    let clean: String =
        wanted.chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).take(31).collect::<String>();
    let clean = clean.trim_matches('\'').trim().to_string();
    let mut name =
        if clean.is_empty() || clean.eq_ignore_ascii_case(README_SHEET) { "sheet".to_string() } else { clean };
    let base = name.clone();
    let mut n = 2;
    while !taken.insert(name.to_lowercase()) {
        let suffix = format!(" ({n})");
        name = format!("{}{suffix}", base.chars().take(31 - suffix.chars().count()).collect::<String>());
        n += 1;
    }
    name
}

/// The sheets of the template: one per level (or one `indicators`), and the context variables.
fn plan<'a>(catalog: &'a Catalog, level: Option<&str>) -> Result<Vec<SheetPlan<'a>>> {
    let tops: Vec<&crate::catalog::Group> = catalog.groups().iter().filter(|g| g.parent.is_none()).collect();
    let has_levels =
        tops.iter().any(|top| catalog.groups().iter().any(|g| g.parent.as_deref() == Some(top.id.as_str())));
    let context: Vec<&Indicator> = catalog.indicators().iter().filter(|i| !i.is_scored()).collect();
    let mut taken = HashSet::new();
    if !has_levels {
        if let Some(level) = level {
            return Err(Error::Spec(format!(
                "catalogue '{}' has no levels (its top-level groups hold indicators): leave out the level '{level}'",
                catalog.id()
            )));
        }
        let mut indicators: Vec<&Indicator> = catalog.indicators().iter().filter(|i| i.is_scored()).collect();
        indicators.extend(context);
        return Ok(vec![SheetPlan { name: sheet_name("indicators", &mut taken), indicators }]);
    }
    let chosen: Vec<&crate::catalog::Group> = match level {
        None => tops.clone(),
        Some(level) => {
            let wanted = level.trim();
            let found = tops.iter().find(|g| g.id == wanted || g.name_zh == wanted).ok_or_else(|| {
                Error::Spec(format!(
                    "catalogue '{}' has no level '{wanted}'; its levels: {}",
                    catalog.id(),
                    tops.iter().map(|g| format!("{} ({})", g.id, g.name_zh)).collect::<Vec<_>>().join(", ")
                ))
            })?;
            vec![*found]
        }
    };
    let mut sheets = Vec::new();
    for top in &chosen {
        let indicators: Vec<&Indicator> = catalog
            .indicators()
            .iter()
            .filter(|i| i.group.as_deref().is_some_and(|g| top_group(catalog, g) == top.id))
            .collect();
        sheets.push(SheetPlan { name: sheet_name(&top.name_zh, &mut taken), indicators });
    }
    // Every context variable with every level; with one level, those its indicators divide by.
    let context: Vec<&Indicator> = if level.is_none() {
        context
    } else {
        let needed: HashSet<&str> =
            sheets.iter().flat_map(|s| s.indicators.iter().filter_map(|i| i.denominator.as_deref())).collect();
        context.into_iter().filter(|i| needed.contains(i.id.as_str())).collect()
    };
    if !context.is_empty() {
        sheets.push(SheetPlan { name: sheet_name("context", &mut taken), indicators: context });
    }
    Ok(sheets)
}

fn number(x: f64) -> String {
    format!("{x}")
}

/// The standard as written in the template: `≥ 8`, per unit where the template's units have
/// their own, and the deadline.
fn standard_text(indicator: &Indicator, units: &[String]) -> String {
    let Some(standard) = &indicator.standard else { return String::new() };
    let sign = match indicator.direction {
        Some(Direction::Higher) => "≥ ",
        Some(Direction::Lower) => "≤ ",
        Some(Direction::Target(_)) => "= ",
        _ => "",
    };
    let mut parts = Vec::new();
    if let Some(value) = standard.value {
        parts.push(format!("{sign}{}", number(value)));
    }
    for unit in units {
        if let Some(value) = standard.by_unit.get(unit) {
            parts.push(format!("{unit}: {sign}{}", number(*value)));
        }
    }
    let mut text = parts.join("; ");
    if text.is_empty() {
        text = standard.note.clone().unwrap_or_default();
    }
    if let Some(deadline) = standard.deadline {
        text.push_str(&format!(" ({deadline}年)"));
    }
    text.trim().to_string()
}

fn check_options(options: &TemplateOptions) -> Result<()> {
    if options.units.is_empty() {
        return Err(Error::Spec("a template needs at least one unit (city, district, …) to fill".into()));
    }
    if options.years.is_empty() {
        return Err(Error::Spec("a template needs at least one year to fill".into()));
    }
    let mut seen = HashSet::new();
    for unit in &options.units {
        if unit.trim().is_empty() {
            return Err(Error::Spec("a unit name is empty".into()));
        }
        if !seen.insert(unit.trim()) {
            return Err(Error::Spec(format!("unit '{unit}' is given twice")));
        }
    }
    let mut years = HashSet::new();
    for &year in &options.years {
        if !(1000..=9999).contains(&year) {
            return Err(Error::Spec(format!("{year} is not a year such as 2024")));
        }
        if !years.insert(year) {
            return Err(Error::Spec(format!("year {year} is given twice")));
        }
    }
    Ok(())
}

/// The prefilled values by (catalogue position, unit, year).
fn prefill(catalog: &Catalog, values: Option<&Panel>) -> HashMap<(usize, String, i32), f64> {
    let mut out = HashMap::new();
    let Some(panel) = values else { return out };
    let positions: Vec<Option<usize>> = panel.indicator_names().iter().map(|n| catalog.position(n)).collect();
    for k in 0..panel.len() {
        let (unit, year, indicator, value, _) = panel.observation(k);
        if let Some(pos) = positions[indicator] {
            if value.is_finite() {
                out.entry((pos, panel.units()[unit].clone(), year)).or_insert(value);
            }
        }
    }
    out
}

fn write_workbook(catalog: &Catalog, options: &TemplateOptions, values: Option<&Panel>, path: &Path) -> Result<()> {
    check_options(options)?;
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if ext.as_deref() != Some("xlsx") {
        return Err(Error::Spec(format!(
            "{}: a template is an .xlsx workbook; name the file with .xlsx",
            path.display()
        )));
    }
    let sheets = plan(catalog, options.level.as_deref())?;
    let filled = prefill(catalog, values);
    let units: Vec<String> = options.units.iter().map(|u| u.trim().to_string()).collect();
    build(catalog, options, &units, &sheets, &filled, path).map_err(|e| {
        Error::data(
            Location { file: Some(path.display().to_string()), ..Default::default() },
            format!("cannot write the template: {e}"),
        )
    })
}

/// How to fill the template, one line per cell of column A of the README sheet.
fn instructions(catalog: &Catalog) -> Vec<String> {
    vec![
        "填报说明".to_string(),
        "1. 每个工作表是一个层级（或全部指标），每行一个指标。请在黄色单元格中填写各单位、各年份的数值（列标题为“单位 年份”）。".to_string(),
        "2. 按“单位”列的计量单位填写数字：百分比填 0–100 的数字，不写 % 号；不写千分位逗号。".to_string(),
        "3. 没有数据的单元格留空（读作缺失），不要填写“无”“暂无”等文字：文字会被拒绝，并指出工作表和单元格。".to_string(),
        "4. 单位为 yes/no 的指标，从下拉列表中选择“是”或“否”（读作 1 / 0）。".to_string(),
        "5. 类型为“细项”的行是指标的分项明细，供核对，不参与评分。".to_string(),
        "6. 不要修改本工作表、表头、“指标ID”列和工作表名称；可以增加自己的工作表（第 1 行没有“指标ID”的工作表不读取）。".to_string(),
        format!("7. 填好后检查：citycheck validate --catalog {} --data 本文件.xlsx；score 和 run 直接读取本文件。", catalog.id()),
        String::new(),
        "How to fill".to_string(),
        "1. One sheet per level (or one for all indicators), one row per indicator: fill the yellow cells, one column per unit and year (headed 'UNIT YEAR').".to_string(),
        "2. Write numbers in the unit of the 单位 column: percentages as 0–100 without the % sign, no thousands separators.".to_string(),
        "3. Leave a cell empty when there is no value (read as missing); text is refused, naming the sheet and the cell.".to_string(),
        "4. yes/no indicators: choose 是 (yes, read as 1) or 否 (no, read as 0) from the drop-down.".to_string(),
        "5. Rows of type 细项 are sub-items: the breakdown behind an indicator, checked but not scored.".to_string(),
        "6. Do not change this sheet, the headers, the 指标ID column or the sheet names; sheets of your own without an 指标ID header are not read.".to_string(),
        format!("7. Then: citycheck validate --catalog {} --data THIS_FILE.xlsx; score and run read this file as it is.", catalog.id()),
    ]
}

fn build(
    catalog: &Catalog,
    options: &TemplateOptions,
    units: &[String],
    sheets: &[SheetPlan<'_>],
    filled: &HashMap<(usize, String, i32), f64>,
    path: &Path,
) -> std::result::Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin);
    let text = Format::new().set_text_wrap().set_border(FormatBorder::Thin);
    let item_text = Format::new().set_text_wrap().set_italic().set_border(FormatBorder::Thin);
    let input = Format::new().set_background_color(Color::RGB(0xFFF2CC)).set_border(FormatBorder::Thin);
    let bold = Format::new().set_bold();

    let readme = workbook.add_worksheet();
    readme.set_name(README_SHEET)?;
    readme.write_string_with_format(0, 0, MARKER, &bold)?;
    readme.write_string(0, 1, LAYOUT_VERSION)?;
    let meta = catalog.meta();
    let years: Vec<String> = options.years.iter().map(i32::to_string).collect();
    let pairs = [
        ("catalog", meta.id.clone()),
        ("version", meta.version.clone()),
        ("sha256", catalog.sha256().to_string()),
        ("name", meta.name.clone()),
        ("units", units.join(", ")),
        ("years", years.join(", ")),
        ("level", options.level.clone().unwrap_or_else(|| "all".to_string())),
    ];
    for (r, (key, value)) in pairs.iter().enumerate() {
        readme.write_string_with_format(r as u32 + 1, 0, *key, &bold)?;
        readme.write_string(r as u32 + 1, 1, value.as_str())?;
    }
    for (r, line) in instructions(catalog).iter().enumerate() {
        let row = (pairs.len() + 3 + r) as u32;
        if r == 0 || line == "How to fill" {
            readme.write_string_with_format(row, 0, line.as_str(), &bold)?;
        } else {
            readme.write_string(row, 0, line.as_str())?;
        }
    }
    readme.set_column_width(0, 16)?;
    readme.set_column_width(1, 70)?;

    let yes_no = DataValidation::new()
        .allow_list_strings(&["是", "否"])?
        .set_input_message("选择 是 或 否 / choose yes (是) or no (否)")?;
    // Input columns: unit by unit, the years of each.
    let inputs: Vec<(&str, i32)> =
        units.iter().flat_map(|u| options.years.iter().map(move |&y| (u.as_str(), y))).collect();
    let first_input = COLUMNS.len() as u16;
    let last_input = first_input + inputs.len() as u16 - 1;

    for (s, plan) in sheets.iter().enumerate() {
        let sheet = workbook.add_worksheet();
        sheet.set_name(plan.name.as_str())?;
        if s == 0 {
            sheet.set_active(true);
        }
        for (c, title) in COLUMNS.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *title, &header)?;
            sheet.set_column_width(c as u16, WIDTHS[c])?;
        }
        for (k, (unit, year)) in inputs.iter().enumerate() {
            let c = first_input + k as u16;
            sheet.write_string_with_format(0, c, format!("{unit} {year}"), &header)?;
            sheet.set_column_width(c, INPUT_WIDTH)?;
        }
        sheet.set_freeze_panes(1, 4)?;

        let mut row: u32 = 1;
        for indicator in &plan.indicators {
            // Cannot fail: the plan's indicators were taken from this catalogue.
            let pos = catalog.position(&indicator.id).expect("an indicator of the catalogue");
            let group = indicator.group.as_deref().and_then(|g| catalog.group(g)).map(|g| g.name_zh.clone());
            let kind = match (indicator.is_scored(), indicator.kind) {
                (false, _) => "背景变量",
                (true, IndicatorType::Guidance) => "导向",
                (true, IndicatorType::BottomLine) => "底线",
            };
            let cells = [
                indicator.code.clone().unwrap_or_default(),
                group.unwrap_or_default(),
                indicator.id.clone(),
                indicator.name_zh.clone(),
                indicator.definition.clone().unwrap_or_default(),
                indicator.unit.clone(),
                indicator.data_source.clone().unwrap_or_default(),
                indicator.department.clone().unwrap_or_default(),
                kind.to_string(),
                standard_text(indicator, units),
            ];
            for (c, value) in cells.iter().enumerate() {
                sheet.write_string_with_format(row, c as u16, value.as_str(), &text)?;
            }
            let flag = units::is_yes_no(&indicator.unit);
            for (k, (unit, year)) in inputs.iter().enumerate() {
                let c = first_input + k as u16;
                match filled.get(&(pos, unit.to_string(), *year)) {
                    Some(&x) if flag && (x == 0.0 || x == 1.0) => {
                        sheet.write_string_with_format(row, c, if x == 1.0 { "是" } else { "否" }, &input)?;
                    }
                    Some(&x) => {
                        sheet.write_number_with_format(row, c, x, &input)?;
                    }
                    None => {
                        sheet.write_blank(row, c, &input)?;
                    }
                }
            }
            if flag {
                sheet.add_data_validation(row, first_input, row, last_input, &yes_no)?;
            }
            row += 1;
            for (n, item) in indicator.items.iter().enumerate() {
                let item_id = item.id.clone().unwrap_or_else(|| (n + 1).to_string());
                let cells = [
                    indicator.code.as_ref().map(|c| format!("{c}-{}", n + 1)).unwrap_or_default(),
                    String::new(),
                    format!("{}.{item_id}", indicator.id),
                    format!("其中：{}", item.name_zh),
                    String::new(),
                    item.unit.clone(),
                    String::new(),
                    String::new(),
                    "细项".to_string(),
                    String::new(),
                ];
                for (c, value) in cells.iter().enumerate() {
                    sheet.write_string_with_format(row, c as u16, value.as_str(), &item_text)?;
                }
                for k in 0..inputs.len() {
                    sheet.write_blank(row, first_input + k as u16, &input)?;
                }
                if units::is_yes_no(&item.unit) {
                    sheet.add_data_validation(row, first_input, row, last_input, &yes_no)?;
                }
                row += 1;
            }
        }
    }
    workbook.save(path)?;
    Ok(())
}

/// Column letters of a 0-based column: 0 → A, 26 → AA.
fn column_letters(column: u32) -> String {
    let mut n = column + 1;
    let mut letters = Vec::new();
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    // Cannot fail: only the bytes A–Z were pushed.
    String::from_utf8(letters).expect("ASCII letters")
}

/// A1 notation of a 0-based row and column: (11, 5) → F12.
pub fn cell_name(row: u32, column: u32) -> String {
    format!("{}{}", column_letters(column), row + 1)
}

fn cell_text(cell: &calamine::Data) -> String {
    match cell {
        calamine::Data::String(s) => s.trim().to_string(),
        calamine::Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// An input cell: `Ok(None)` when empty (missing), its value, or what is wrong with it.
fn read_cell(cell: Option<&calamine::Data>, yes_no: bool) -> std::result::Result<Option<f64>, String> {
    use calamine::Data;
    match cell {
        None | Some(Data::Empty) => Ok(None),
        Some(Data::Float(x)) if x.is_finite() => Ok(Some(*x)),
        Some(Data::Int(x)) => Ok(Some(*x as f64)),
        Some(Data::Bool(b)) => Ok(Some(f64::from(u8::from(*b)))),
        Some(Data::String(s)) => {
            let t = s.trim();
            if MISSING_MARKS.contains(&t) {
                return Ok(None);
            }
            if yes_no {
                match t {
                    "是" | "yes" | "Yes" | "YES" => return Ok(Some(1.0)),
                    "否" | "no" | "No" | "NO" => return Ok(Some(0.0)),
                    _ => {}
                }
            }
            match t.parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(Some(x)),
                _ => {
                    let hint = if yes_no {
                        " (choose 是 or 否)"
                    } else if t.ends_with('%') {
                        " (write the number without the % sign)"
                    } else if t.contains(',') && t.replace(',', "").parse::<f64>().is_ok() {
                        " (remove the thousands separators)"
                    } else {
                        ""
                    };
                    Err(format!("'{t}' is not a number{hint}"))
                }
            }
        }
        Some(other) => Err(format!("'{other}' is not a number")),
    }
}

/// Reads `path` as a fill-in template when it is one (a `README` sheet whose A1 is
/// [`MARKER`]); `Ok(None)` for any other workbook.
pub(crate) fn read_if_template(path: &Path) -> Result<Option<Panel>> {
    use calamine::{open_workbook_auto, Data, Reader};
    let origin = path.display().to_string();
    let location = || Location { file: Some(origin.clone()), ..Default::default() };
    let fail = |message: String| Error::data(location(), message);
    crate::io::regular_file(path)?;
    let mut workbook = open_workbook_auto(path).map_err(|e| fail(e.to_string()))?;
    let sheets = workbook.sheet_names();
    if !sheets.iter().any(|s| s == README_SHEET) {
        return Ok(None);
    }
    let readme = workbook.worksheet_range(README_SHEET).map_err(|e| fail(e.to_string()))?;
    if !matches!(readme.get_value((0, 0)), Some(Data::String(s)) if s.trim() == MARKER) {
        return Ok(None);
    }
    let mut pairs: HashMap<String, String> = HashMap::new();
    if let Some((last, _)) = readme.end() {
        for r in 1..=last {
            if let (Some(key), Some(value)) = (readme.get_value((r, 0)), readme.get_value((r, 1))) {
                pairs.entry(cell_text(key)).or_insert_with(|| cell_text(value));
            }
        }
    }
    let catalog = pairs.get("catalog").filter(|c| !c.is_empty()).cloned().ok_or_else(|| {
        fail(format!("sheet {README_SHEET}: no 'catalog' row (column A 'catalog', column B the catalogue id)"))
    })?;
    let info = TemplateInfo {
        catalog,
        version: pairs.get("version").cloned().unwrap_or_default(),
        sha256: pairs.get("sha256").cloned().unwrap_or_default(),
    };

    let mut builder = Builder::default();
    let mut column_names: Vec<String> = Vec::new();
    let mut bad: Vec<String> = Vec::new();
    let mut data_sheets = 0;
    for name in sheets.iter().filter(|s| *s != README_SHEET) {
        let range = workbook.worksheet_range(name).map_err(|e| fail(format!("sheet {name}: {e}")))?;
        let Some((last_row, last_column)) = range.end() else { continue };
        let header: Vec<String> =
            (0..=last_column).map(|c| range.get_value((0, c)).map(cell_text).unwrap_or_default()).collect();
        let Some(id_column) = header.iter().position(|h| h == COLUMNS[ID_COLUMN]) else { continue };
        data_sheets += 1;
        let unit_column = header.iter().position(|h| h == COLUMNS[UNIT_COLUMN]);
        // Input columns: (sheet column, unit, year, position in column_names).
        let mut inputs: Vec<(u32, String, i32, usize)> = Vec::new();
        for (c, title) in header.iter().enumerate() {
            if title.is_empty() || COLUMNS.contains(&title.as_str()) {
                continue;
            }
            let parsed = title
                .rsplit_once(char::is_whitespace)
                .and_then(|(unit, year)| {
                    let year: i32 = year.trim().trim_end_matches('年').parse().ok()?;
                    (1000..=9999).contains(&year).then(|| (unit.trim().to_string(), year))
                })
                .filter(|(unit, _)| !unit.is_empty());
            let Some((unit, year)) = parsed else {
                return Err(fail(format!(
                    "sheet {name}, cell {}: the header '{title}' is not 'UNIT YEAR' (e.g. '沈阳市 2024')",
                    cell_name(0, c as u32)
                )));
            };
            column_names.push(format!("{name}!{} ({title})", column_letters(c as u32)));
            inputs.push((c as u32, unit, year, column_names.len() - 1));
        }
        for r in 1..=last_row {
            let id = range.get_value((r, id_column as u32)).map(cell_text).unwrap_or_default();
            if id.is_empty() {
                continue;
            }
            let sub_item = id.contains('.');
            let yes_no = unit_column
                .and_then(|c| range.get_value((r, c as u32)))
                .is_some_and(|u| units::is_yes_no(&cell_text(u)));
            for (c, unit, year, column) in &inputs {
                match read_cell(range.get_value((r, *c)), yes_no) {
                    Ok(Some(value)) if !sub_item => {
                        builder.push(unit, *year, &id, value, None, r as usize + 1, *column)
                    }
                    Ok(_) => {}
                    Err(what) => bad.push(format!("sheet {name}, cell {}: {what}", cell_name(r, *c))),
                }
            }
        }
    }
    if data_sheets == 0 {
        return Err(fail(format!("the template has no sheet with a '{}' header in row 1", COLUMNS[ID_COLUMN])));
    }
    match bad.len() {
        0 => {}
        1 => return Err(fail(bad.remove(0))),
        n => {
            const SHOWN: usize = 20;
            let mut lines: Vec<String> = bad.iter().take(SHOWN).map(|b| format!("  - {b}")).collect();
            if n > SHOWN {
                lines.push(format!("  … and {} more", n - SHOWN));
            }
            return Err(fail(format!("{n} cells are not numbers:\n{}", lines.join("\n"))));
        }
    }
    let mut panel = builder.finish(Some(origin.clone()), column_names, Vec::new(), Vec::new());
    if panel.is_empty() {
        return Err(fail("no value is filled in: fill the yellow cells (one column per unit and year)".into()));
    }
    panel.template = Some(info);
    Ok(Some(panel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names_are_a1_notation() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(11, 5), "F12");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(1, 26), "AA2");
        assert_eq!(cell_name(2, 27), "AB3");
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = HashSet::new();
        assert_eq!(sheet_name("城区(城市)", &mut taken), "城区(城市)");
        assert_eq!(sheet_name("城区(城市)", &mut taken), "城区(城市) (2)");
        assert_eq!(sheet_name("a/b", &mut taken), "a_b");
        assert_eq!(sheet_name("README", &mut taken), "sheet");
    }

    #[test]
    fn yes_no_cells() {
        let yes = calamine::Data::String("是".into());
        assert_eq!(read_cell(Some(&yes), true), Ok(Some(1.0)));
        assert!(read_cell(Some(&yes), false).is_err());
        assert_eq!(read_cell(Some(&calamine::Data::String(" ".into())), false), Ok(None));
        assert_eq!(read_cell(Some(&calamine::Data::String("12.5".into())), false), Ok(Some(12.5)));
    }
}
