//! Response microdata (问卷数据): one row per respondent — unit, year, an optional design
//! weight and stratum, one column per item.
//!
//! Any input is read into a [`RawTable`] first (CSV as text, Parquet, `.xlsx`, DataFrame), so
//! every problem names its file, row and column as elsewhere in citycheck. Then each answer
//! column is *interned*: its distinct cells go into a small dictionary and every row keeps a
//! `u32` code. A survey column has a handful of distinct answers (五个等级, 不清楚, blanks and
//! the odd typo), so scoring judges each distinct answer once against its scale and then only
//! looks codes up — no text is touched per cell.
//!
//! Rows that cannot be placed are reported and left out, never guessed: an empty unit, a year
//! that is not a year, a missing, non-numeric, zero or negative weight, an empty stratum. They
//! appear in `bad_answers` with the column at fault and are counted in the summary.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};
use crate::panel::{parse_value, Cell, RawTable};

/// Which columns of the microdata hold what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReadSpec {
    /// The unit (city, district or community) column; default `unit`.
    pub unit_column: String,
    /// The survey year column; default `year`.
    pub year_column: String,
    /// Design weights (> 0); every respondent weighs 1 without.
    pub weight_column: Option<String>,
    /// Strata (e.g. districts) for the stratified standard error.
    pub strata_column: Option<String>,
}

impl Default for ReadSpec {
    fn default() -> Self {
        ReadSpec { unit_column: "unit".into(), year_column: "year".into(), weight_column: None, strata_column: None }
    }
}

/// Why an answer or a row was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BadReason {
    /// Not a label (or code) of the item's labels scale: `很好`, `6` on five labels.
    UnknownLabel,
    /// Not a number, on a numeric scale.
    NotNumeric,
    /// A number outside `[min, max]`: `810` on 1–10.
    OutOfScale,
    /// A number between the scale's steps: `7.5` on 1–10 by 1.
    OffStep,
    /// The row has no unit.
    MissingUnit,
    /// The row's year is empty or not a year.
    BadYear,
    /// The row's weight is empty.
    MissingWeight,
    /// The row's weight is not a number, or not > 0.
    BadWeight,
    /// The row's stratum is empty.
    MissingStratum,
}

impl BadReason {
    /// The snake_case name, as in `bad_answers.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            BadReason::UnknownLabel => "unknown_label",
            BadReason::NotNumeric => "not_numeric",
            BadReason::OutOfScale => "out_of_scale",
            BadReason::OffStep => "off_step",
            BadReason::MissingUnit => "missing_unit",
            BadReason::BadYear => "bad_year",
            BadReason::MissingWeight => "missing_weight",
            BadReason::BadWeight => "bad_weight",
            BadReason::MissingStratum => "missing_stratum",
        }
    }

    /// Whether the whole row was left out (rather than one answer).
    pub fn excludes_row(self) -> bool {
        matches!(
            self,
            BadReason::MissingUnit
                | BadReason::BadYear
                | BadReason::MissingWeight
                | BadReason::BadWeight
                | BadReason::MissingStratum
        )
    }
}

impl std::fmt::Display for BadReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One answer (or row) left out, with where it sits: a row of `bad_answers`, each field the
/// column of the same name.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BadAnswer {
    /// The unit, when the row has one.
    pub unit: Option<String>,
    /// The year, when the row has a readable one.
    pub year: Option<i32>,
    /// The row in the input: the header is row 1, the first respondent row 2 (as in every
    /// citycheck message and in a spreadsheet).
    pub row: usize,
    /// The item id; for a row problem, the column at fault (the weight column, …).
    pub item: String,
    /// The cell as read.
    pub answer: String,
    /// Why it was left out.
    pub reason: BadReason,
}

/// A cell as the text a spreadsheet shows: numbers without a trailing `.0`.
pub(crate) fn cell_text(cell: &Cell) -> Cow<'_, str> {
    match cell {
        // A float column's NaN (pandas' missing value) is an empty cell.
        Cell::Empty => Cow::Borrowed(""),
        Cell::Number(x) if x.is_nan() => Cow::Borrowed(""),
        Cell::Text(s) => Cow::Borrowed(s.as_str()),
        Cell::Number(x) if x.fract() == 0.0 && x.abs() < 1e15 => Cow::Owned(format!("{}", *x as i64)),
        Cell::Number(x) => Cow::Owned(x.to_string()),
    }
}

/// One answer column, interned: `codes[r]` indexes `dictionary` (code 0 is the empty cell).
#[derive(Debug, Clone)]
pub(crate) struct AnswerColumn {
    pub name: String,
    pub dictionary: Vec<Cell>,
    pub codes: Vec<u32>,
}

impl AnswerColumn {
    fn intern(name: String, cells: Vec<Cell>, keep: &[bool], kept: usize) -> AnswerColumn {
        let mut dictionary = vec![Cell::Empty];
        let mut texts: HashMap<String, u32> = HashMap::new();
        let mut numbers: HashMap<u64, u32> = HashMap::new();
        let mut codes = Vec::with_capacity(kept);
        for (cell, &k) in cells.into_iter().zip(keep) {
            if !k {
                continue;
            }
            let code = match cell {
                Cell::Empty => 0,
                Cell::Number(x) => *numbers.entry(x.to_bits()).or_insert_with(|| {
                    dictionary.push(Cell::Number(x));
                    (dictionary.len() - 1) as u32
                }),
                Cell::Text(s) => match texts.get(&s) {
                    Some(&c) => c,
                    None => {
                        let c = dictionary.len() as u32;
                        dictionary.push(Cell::Text(s.clone()));
                        texts.insert(s, c);
                        c
                    }
                },
            };
            codes.push(code);
        }
        AnswerColumn { name, dictionary, codes }
    }
}

/// The rows of the responses as the estimators see them: dense group and cell ids.
///
/// A *group* is a (unit, year); a *cell* is a (group, stratum) — the group itself when there
/// are no strata.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Design<'a> {
    pub group: &'a [u32],
    pub cell: &'a [u32],
    pub cell_group: &'a [u32],
    pub weight: &'a [f64],
    pub groups: usize,
}

impl Design<'_> {
    pub fn rows(&self) -> usize {
        self.group.len()
    }

    pub fn cells(&self) -> usize {
        self.cell_group.len()
    }
}

/// Survey responses, read and checked: the rows kept, their units, years, weights and strata,
/// and every other column interned.
///
/// # Examples
/// ```no_run
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::survey::{ReadSpec, Responses};
/// let spec = ReadSpec {
///     unit_column: "city".into(),
///     weight_column: Some("weight".into()),
///     strata_column: Some("district".into()),
///     ..ReadSpec::default()
/// };
/// let responses = Responses::read("datasets/survey_synthetic/responses.csv", &spec)?;
/// println!("{} respondents in {} units", responses.len(), responses.units().len());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Responses {
    origin: Option<String>,
    spec: ReadSpec,
    rows_read: usize,
    units: Vec<String>,
    years: Vec<i32>,
    /// Per kept row: unit index, year, input row (header = 1), weight, stratum index.
    unit: Vec<u32>,
    year: Vec<i32>,
    row: Vec<u32>,
    weight: Vec<f64>,
    strata: Vec<String>,
    /// (unit, year) of each group, sorted by unit (first appearance) and year.
    groups: Vec<(u32, i32)>,
    group: Vec<u32>,
    cell: Vec<u32>,
    cell_group: Vec<u32>,
    answers: Vec<AnswerColumn>,
    excluded: Vec<BadAnswer>,
    excluded_rows: usize,
}

impl Responses {
    /// Reads a `.csv`, `.parquet` or `.xlsx` file (by extension). CSV cells are read as text.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be opened; [`Error::Data`] if it is empty or lacks a
    /// column the spec names. Bad rows are not errors: they are left out and reported.
    pub fn read(path: impl AsRef<Path>, spec: &ReadSpec) -> Result<Responses> {
        Responses::from_table(RawTable::read(path.as_ref())?, spec)
    }

    /// From a polars DataFrame (from Python or another Rust crate).
    ///
    /// # Errors
    /// As [`Responses::read`]; [`Error::Data`] naming the column for column types citycheck
    /// does not read, and for a DataFrame without rows.
    pub fn from_dataframe(df: &polars::prelude::DataFrame, spec: &ReadSpec) -> Result<Responses> {
        let table = RawTable::from_dataframe(df, Some("DataFrame".to_string()))?;
        if table.rows() == 0 {
            return Err(Error::data(table.location(None, None), "the DataFrame has no rows"));
        }
        Responses::from_table(table, spec)
    }

    /// From a raw table; consumes it column by column, so that the cells of an answer column
    /// are freed as soon as it is interned.
    pub(crate) fn from_table(table: RawTable, spec: &ReadSpec) -> Result<Responses> {
        let n = table.rows();
        let RawTable { origin, names, columns, .. } = table;
        let find = |name: &str, role: &str, option: &str| -> Result<usize> {
            names.iter().position(|c| c == name).ok_or_else(|| {
                Error::data(
                    Location { file: origin.clone(), column: Some(name.to_string()), ..Default::default() },
                    format!(
                        "no {role} column named '{name}' (name it with {option}); columns are: {}",
                        names.join(", ")
                    ),
                )
            })
        };
        let unit_j = find(&spec.unit_column, "unit", "unit_column / --unit-column")?;
        let year_j = find(&spec.year_column, "year", "year_column / --year-column")?;
        let weight_j =
            spec.weight_column.as_deref().map(|c| find(c, "weight", "weight_column / --weight-column")).transpose()?;
        let strata_j =
            spec.strata_column.as_deref().map(|c| find(c, "strata", "strata_column / --strata-column")).transpose()?;
        let mut roles = vec![unit_j, year_j];
        roles.extend(weight_j);
        roles.extend(strata_j);
        for (a, &ja) in roles.iter().enumerate() {
            if roles[..a].contains(&ja) {
                return Err(Error::data(
                    Location { file: origin.clone(), column: Some(names[ja].clone()), ..Default::default() },
                    "the same column is named for two roles (unit, year, weight, strata)",
                ));
            }
        }

        let mut columns: Vec<Option<Vec<Cell>>> = columns.into_iter().map(|c| Some(c.into_cells())).collect();
        let unit_cells = columns[unit_j].take().unwrap_or_default();
        let year_cells = columns[year_j].take().unwrap_or_default();
        let weight_cells = weight_j.and_then(|j| columns[j].take());
        let strata_cells = strata_j.and_then(|j| columns[j].take());

        let mut responses = Responses {
            origin,
            spec: spec.clone(),
            rows_read: n,
            units: Vec::new(),
            years: Vec::new(),
            unit: Vec::with_capacity(n),
            year: Vec::with_capacity(n),
            row: Vec::with_capacity(n),
            weight: Vec::with_capacity(n),
            strata: Vec::new(),
            groups: Vec::new(),
            group: Vec::new(),
            cell: Vec::new(),
            cell_group: Vec::new(),
            answers: Vec::new(),
            excluded: Vec::new(),
            excluded_rows: 0,
        };
        let mut unit_index: HashMap<String, u32> = HashMap::new();
        let mut stratum_index: HashMap<String, u32> = HashMap::new();
        let mut stratum: Vec<u32> = Vec::with_capacity(n);
        let mut keep = vec![false; n];
        for r in 0..n {
            let file_row = r + 2;
            let unit_text = cell_text(&unit_cells[r]).trim().to_string();
            let year = parse_year(&year_cells[r]);
            let mut problems: Vec<(String, String, BadReason)> = Vec::new();
            if unit_text.is_empty() {
                problems.push((spec.unit_column.clone(), String::new(), BadReason::MissingUnit));
            }
            if year.is_none() {
                problems.push((spec.year_column.clone(), cell_text(&year_cells[r]).into_owned(), BadReason::BadYear));
            }
            let weight = match &weight_cells {
                None => 1.0,
                Some(cells) => {
                    let name = spec.weight_column.clone().unwrap_or_default();
                    let answer = cell_text(&cells[r]);
                    let parsed = if answer.trim().is_empty() { Ok(f64::NAN) } else { parse_value(cells[r].as_ref()) };
                    match parsed {
                        Ok(w) if w > 0.0 => w,
                        Ok(w) if w.is_nan() => {
                            problems.push((name, answer.into_owned(), BadReason::MissingWeight));
                            f64::NAN
                        }
                        _ => {
                            problems.push((name, answer.into_owned(), BadReason::BadWeight));
                            f64::NAN
                        }
                    }
                }
            };
            let stratum_text = strata_cells.as_ref().map(|cells| cell_text(&cells[r]).trim().to_string());
            if stratum_text.as_deref() == Some("") {
                let name = spec.strata_column.clone().unwrap_or_default();
                problems.push((name, String::new(), BadReason::MissingStratum));
            }
            if !problems.is_empty() {
                responses.excluded_rows += 1;
                let unit = (!unit_text.is_empty()).then_some(unit_text);
                for (item, answer, reason) in problems {
                    responses.excluded.push(BadAnswer {
                        unit: unit.clone(),
                        year,
                        row: file_row,
                        item,
                        answer,
                        reason,
                    });
                }
                continue;
            }
            keep[r] = true;
            let next = unit_index.len() as u32;
            let u = *unit_index.entry(unit_text).or_insert(next);
            if u == next {
                responses.units.push(cell_text(&unit_cells[r]).trim().to_string());
            }
            let s = match stratum_text {
                Some(text) => {
                    let next = stratum_index.len() as u32;
                    let s = *stratum_index.entry(text.clone()).or_insert(next);
                    if s == next {
                        responses.strata.push(text);
                    }
                    s
                }
                None => 0,
            };
            responses.unit.push(u);
            // Cannot fail: a row without a year has a problem and was counted as excluded above.
            responses.year.push(year.expect("checked above"));
            responses.row.push(file_row as u32);
            responses.weight.push(weight);
            stratum.push(s);
        }
        drop((unit_cells, year_cells, weight_cells, strata_cells));
        // Each weight is finite; their sum must be too (it is reported as weight_sum). Summed
        // relative to the largest, so that 1e200 is fine and only a sum beyond f64 is refused.
        let largest = responses.weight.iter().fold(0.0f64, |m, &w| m.max(w));
        if largest > 0.0 && !(responses.weight.iter().map(|&w| w / largest).sum::<f64>() * largest).is_finite() {
            return Err(Error::data(
                Location { file: responses.origin.clone(), column: spec.weight_column.clone(), ..Default::default() },
                format!("the design weights sum beyond the largest number (largest weight {largest:e}): rescale them"),
            ));
        }

        let kept = responses.unit.len();
        for (name, cells) in names.into_iter().zip(columns) {
            if let Some(cells) = cells {
                responses.answers.push(AnswerColumn::intern(name, cells, &keep, kept));
            }
        }
        responses.index_groups(&stratum);
        Ok(responses)
    }

    /// Dense group ids (unit, year) sorted by unit (first appearance) and year, and cell ids
    /// (group, stratum).
    fn index_groups(&mut self, stratum: &[u32]) {
        let mut keys: Vec<(u32, i32)> = self.unit.iter().copied().zip(self.year.iter().copied()).collect();
        keys.sort_unstable();
        keys.dedup();
        let index: HashMap<(u32, i32), u32> = keys.iter().enumerate().map(|(g, &k)| (k, g as u32)).collect();
        self.group = self.unit.iter().zip(&self.year).map(|(&u, &y)| index[&(u, y)]).collect();
        let mut cells: HashMap<(u32, u32), u32> = HashMap::new();
        let mut cell_group = Vec::new();
        self.cell = self
            .group
            .iter()
            .zip(stratum)
            .map(|(&g, &s)| {
                *cells.entry((g, s)).or_insert_with(|| {
                    cell_group.push(g);
                    (cell_group.len() - 1) as u32
                })
            })
            .collect();
        self.cell_group = cell_group;
        self.years = keys.iter().map(|&(_, y)| y).collect();
        self.years.sort_unstable();
        self.years.dedup();
        self.groups = keys;
    }

    /// Number of respondents kept.
    pub fn len(&self) -> usize {
        self.unit.len()
    }

    /// No respondent kept.
    pub fn is_empty(&self) -> bool {
        self.unit.is_empty()
    }

    /// Data rows read, kept or not.
    pub fn rows_read(&self) -> usize {
        self.rows_read
    }

    /// Rows left out because their unit, year, weight or stratum could not be read.
    pub fn excluded_rows(&self) -> usize {
        self.excluded_rows
    }

    /// What was wrong with the rows left out (one entry per problem).
    pub fn excluded(&self) -> &[BadAnswer] {
        &self.excluded
    }

    /// The input's name (file path, or `DataFrame`).
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }

    /// Which columns the responses were read with.
    pub fn spec(&self) -> &ReadSpec {
        &self.spec
    }

    /// Units in order of first appearance.
    pub fn units(&self) -> &[String] {
        &self.units
    }

    /// Distinct years, ascending.
    pub fn years(&self) -> &[i32] {
        &self.years
    }

    /// Strata in order of first appearance (empty without a strata column).
    pub fn strata(&self) -> &[String] {
        &self.strata
    }

    /// Whether the rows carry design weights.
    pub fn is_weighted(&self) -> bool {
        self.spec.weight_column.is_some()
    }

    /// Whether the rows carry strata.
    pub fn is_stratified(&self) -> bool {
        self.spec.strata_column.is_some()
    }

    /// Names of the answer columns (every column but unit, year, weight and strata).
    pub fn answer_columns(&self) -> impl Iterator<Item = &str> {
        self.answers.iter().map(|a| a.name.as_str())
    }

    pub(crate) fn answer_column(&self, name: &str) -> Option<&AnswerColumn> {
        self.answers.iter().find(|a| a.name == name)
    }

    pub(crate) fn design(&self) -> Design<'_> {
        Design {
            group: &self.group,
            cell: &self.cell,
            cell_group: &self.cell_group,
            weight: &self.weight,
            groups: self.groups.len(),
        }
    }

    /// (unit name, year) of group `g`.
    pub(crate) fn group_key(&self, g: usize) -> (&str, i32) {
        let (u, y) = self.groups[g];
        (&self.units[u as usize], y)
    }

    pub(crate) fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// Per kept row: its year.
    pub(crate) fn row_years(&self) -> &[i32] {
        &self.year
    }

    /// Per kept row: its input row (header = 1).
    pub(crate) fn input_row(&self, r: usize) -> usize {
        self.row[r] as usize
    }

    /// Per kept row: (unit name, year).
    pub(crate) fn row_key(&self, r: usize) -> (&str, i32) {
        (&self.units[self.unit[r] as usize], self.year[r])
    }

    /// Where column `column` of the input is, for messages.
    pub(crate) fn location(&self, column: Option<&str>) -> Location {
        Location { file: self.origin.clone(), column: column.map(str::to_string), ..Default::default() }
    }
}

/// A survey year: `2024`, `2024年`, `2024.0` (spreadsheets), in 1000–9999.
fn parse_year(cell: &Cell) -> Option<i32> {
    match cell {
        Cell::Empty => None,
        Cell::Number(x) if x.fract() == 0.0 && (1000.0..=9999.0).contains(x) => Some(*x as i32),
        Cell::Number(_) => None,
        Cell::Text(s) => {
            let t = s.trim().trim_end_matches('年');
            let t = t.strip_suffix(".0").unwrap_or(t);
            t.parse::<i32>().ok().filter(|y| (1000..=9999).contains(y))
        }
    }
}
