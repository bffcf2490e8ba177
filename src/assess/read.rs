//! The assessment's values from the tables of a run (or any tables with these columns).
//!
//! | table | columns read | value |
//! |---|---|---|
//! | `recheck_summary.csv` | unit, year, rectification_rate, closure_rate (level: rows of the assessed level only) | `rectification_rate`, `closure_rate`: the fraction × 100; an empty rate (denominator 0) is missing |
//! | `progress.csv` | unit, latest_year, progress | `target_progress` at latest_year: the mean over the unit's rows of progress × 100, each capped to [0, 100] (a target passed counts as reached, a move away as no progress) |
//! | projects table | as `citycheck projects` reads it | at the table's year: `projects_completed_share` = completed ÷ projects × 100; `investment_executed_share` = Σ investment × progress / 100 ÷ Σ investment × 100 over the projects with both |
//! | `warnings.csv` | unit, year, level | `red_warnings_reduced` at year Y = red warnings of the previous year of the file − red warnings of Y; missing in the file's first year and where the unit has no row in either year |
//! | `survey_dimensions.csv` | unit, year, satisfaction | `satisfaction`: the mean over the unit-year's rows × 100 (a fraction in [0, 1]) |
//!
//! A required column that is missing, a cell that is not a number, a year that is not a whole
//! number and a rate outside [0, 1] are errors naming the file, row and column. Each table is
//! read from a file or, in a run, from the run's own table in memory ([`TableSource`]): the
//! same columns, the same rules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use polars::prelude::DataFrame;

use super::AssessValue;
use crate::error::{Error, Result};
use crate::panel::{parse_value, CellRef, RawTable};
use crate::projects::{ProjectStatus, ProjectTable};

/// Where one table of the assessment comes from: a file as a run (or a command) wrote it, or
/// the same table held in memory — a run's own, assessed before it is written.
#[derive(Debug, Clone, Copy)]
pub enum TableSource<'a> {
    /// A file (`.csv`, `.parquet`, `.xlsx`).
    File(&'a Path),
    /// A DataFrame with the file's columns; `origin` names it in messages.
    Frame {
        /// The table.
        frame: &'a DataFrame,
        /// What it is, for messages (`recheck_summary of this run`).
        origin: &'a str,
    },
}

/// A table read for the assessment, with its required columns found.
struct Table {
    raw: RawTable,
}

impl Table {
    fn read(source: TableSource<'_>) -> Result<Table> {
        let raw = match source {
            TableSource::File(path) => RawTable::read(path)?,
            TableSource::Frame { frame, origin } => RawTable::from_dataframe(frame, Some(origin.to_string()))?,
        };
        Ok(Table { raw })
    }

    fn column(&self, name: &str) -> Option<usize> {
        self.raw.names.iter().position(|n| n.trim() == name)
    }

    /// The position of a required column; an error naming the file and the column.
    fn required(&self, name: &str) -> Result<usize> {
        self.column(name).ok_or_else(|| {
            Error::data(
                self.raw.location(None, Some(name)),
                format!("no column '{name}' (columns: {})", self.raw.names.join(", ")),
            )
        })
    }

    fn text(&self, c: usize, r: usize) -> String {
        match self.raw.cell(c, r) {
            CellRef::Empty => String::new(),
            CellRef::Text(s) => s.trim().to_string(),
            CellRef::Number(x) => x.to_string(),
        }
    }

    /// A number (NaN when empty or marked missing); an error naming file, row and column.
    fn number(&self, c: usize, r: usize) -> Result<f64> {
        parse_value(self.raw.cell(c, r))
            .map_err(|message| Error::data(self.raw.location(Some(r), Some(self.raw.names[c].as_str())), message))
    }

    /// A year: a whole number, required.
    fn year(&self, c: usize, r: usize) -> Result<i32> {
        let x = self.number(c, r)?;
        if x.is_nan() || x.fract() != 0.0 || x.abs() > 1e6 {
            return Err(Error::data(
                self.raw.location(Some(r), Some(self.raw.names[c].as_str())),
                format!("expected a year (a whole number), found '{}'", self.text(c, r)),
            ));
        }
        Ok(x as i32)
    }

    /// The unit: required, not empty.
    fn unit(&self, c: usize, r: usize) -> Result<String> {
        let unit = self.text(c, r);
        if unit.is_empty() {
            return Err(Error::data(self.raw.location(Some(r), Some(self.raw.names[c].as_str())), "empty unit"));
        }
        Ok(unit)
    }

    /// A fraction in [0, 1] (NaN when empty).
    fn fraction(&self, c: usize, r: usize) -> Result<f64> {
        let x = self.number(c, r)?;
        if !x.is_nan() && !(0.0..=1.0).contains(&x) {
            return Err(Error::data(
                self.raw.location(Some(r), Some(self.raw.names[c].as_str())),
                format!("{x} is not a fraction in [0, 1]"),
            ));
        }
        Ok(x)
    }

    fn rows(&self) -> usize {
        self.raw.rows()
    }

    fn origin(&self) -> String {
        self.raw.origin.clone().unwrap_or_default()
    }
}

fn value(unit: &str, year: i32, indicator: &'static str, value: f64) -> AssessValue {
    AssessValue { unit: unit.to_string(), year, indicator, value }
}

/// `rectification_rate` and `closure_rate` from a `recheck_summary.csv`, rows of `level` only
/// (every row when the table has no `level` column).
///
/// # Errors
/// [`Error::Io`] when the file cannot be read; [`Error::Data`] naming the file, row and column
/// for a missing column, a bad cell, a rate outside [0, 1] and a unit-year given twice.
pub fn read_recheck_summary(path: impl AsRef<Path>, level: &str) -> Result<Vec<AssessValue>> {
    recheck_summary_values(TableSource::File(path.as_ref()), level)
}

/// [`read_recheck_summary`] of a file or a table in memory.
///
/// # Errors
/// As [`read_recheck_summary`].
pub fn recheck_summary_values(source: TableSource<'_>, level: &str) -> Result<Vec<AssessValue>> {
    let t = Table::read(source)?;
    let (unit, year) = (t.required("unit")?, t.required("year")?);
    let (rect, closure) = (t.required("rectification_rate")?, t.required("closure_rate")?);
    let level_column = t.column("level");
    let mut seen: BTreeMap<(String, i32), usize> = BTreeMap::new();
    let mut out = Vec::new();
    for r in 0..t.rows() {
        if level_column.is_some_and(|c| t.text(c, r) != level) {
            continue;
        }
        let (u, y) = (t.unit(unit, r)?, t.year(year, r)?);
        if let Some(first) = seen.insert((u.clone(), y), r) {
            return Err(Error::data(
                t.raw.location(Some(r), None),
                format!("{u} {y} is given twice (rows {} and {})", first + 2, r + 2),
            ));
        }
        for (c, id) in [(rect, "rectification_rate"), (closure, "closure_rate")] {
            let x = t.fraction(c, r)?;
            if !x.is_nan() {
                out.push(value(&u, y, id, 100.0 * x));
            }
        }
    }
    Ok(out)
}

/// `target_progress` from a `progress.csv`: per unit and latest_year, the mean of progress ×
/// 100 capped to [0, 100] over the rows with a progress.
///
/// # Errors
/// As [`read_recheck_summary`] (progress may be any number).
pub fn read_progress(path: impl AsRef<Path>) -> Result<Vec<AssessValue>> {
    progress_values(TableSource::File(path.as_ref()))
}

/// [`read_progress`] of a file or a table in memory.
///
/// # Errors
/// As [`read_recheck_summary`].
pub fn progress_values(source: TableSource<'_>) -> Result<Vec<AssessValue>> {
    let t = Table::read(source)?;
    let (unit, year, progress) = (t.required("unit")?, t.required("latest_year")?, t.required("progress")?);
    let mut sums: BTreeMap<(String, i32), (f64, usize)> = BTreeMap::new();
    for r in 0..t.rows() {
        let x = t.number(progress, r)?;
        if x.is_nan() {
            continue;
        }
        let entry = sums.entry((t.unit(unit, r)?, t.year(year, r)?)).or_insert((0.0, 0));
        entry.0 += 100.0 * x.clamp(0.0, 1.0);
        entry.1 += 1;
    }
    Ok(sums.into_iter().map(|((u, y), (sum, n))| value(&u, y, "target_progress", sum / n as f64)).collect())
}

/// `red_warnings_reduced` from a `warnings.csv`, with a note for the file's first year.
///
/// # Errors
/// As [`read_recheck_summary`].
pub fn read_warnings(path: impl AsRef<Path>) -> Result<(Vec<AssessValue>, Vec<String>)> {
    warnings_values(TableSource::File(path.as_ref()))
}

/// [`read_warnings`] of a file or a table in memory.
///
/// # Errors
/// As [`read_recheck_summary`].
pub fn warnings_values(source: TableSource<'_>) -> Result<(Vec<AssessValue>, Vec<String>)> {
    let t = Table::read(source)?;
    let (unit, year, level) = (t.required("unit")?, t.required("year")?, t.required("level")?);
    // (unit, year) → red warnings; a unit-year with any row is assessed.
    let mut red: BTreeMap<(String, i32), u32> = BTreeMap::new();
    let mut years = BTreeSet::new();
    for r in 0..t.rows() {
        let (u, y) = (t.unit(unit, r)?, t.year(year, r)?);
        years.insert(y);
        let is_red = t.text(level, r).eq_ignore_ascii_case("red");
        *red.entry((u, y)).or_insert(0) += u32::from(is_red);
    }
    let years: Vec<i32> = years.into_iter().collect();
    let units: BTreeSet<&String> = red.keys().map(|(u, _)| u).collect();
    let mut out = Vec::new();
    for pair in years.windows(2) {
        let (previous, year) = (pair[0], pair[1]);
        for &u in &units {
            let key = |y: i32| (u.clone(), y);
            if let (Some(&before), Some(&now)) = (red.get(&key(previous)), red.get(&key(year))) {
                out.push(value(u, year, "red_warnings_reduced", f64::from(before) - f64::from(now)));
            }
        }
    }
    let mut notes = Vec::new();
    if let Some(first) = years.first() {
        notes.push(format!(
            "{}: red_warnings_reduced is missing in {first}, the file's first year (no previous year to compare)",
            t.origin()
        ));
    }
    Ok((out, notes))
}

/// `satisfaction` from `survey_dimensions.csv` (or any table with unit, year, satisfaction):
/// the mean over the unit-year's rows × 100.
///
/// # Errors
/// As [`read_recheck_summary`]; a satisfaction outside [0, 1] is refused.
pub fn read_survey(path: impl AsRef<Path>) -> Result<Vec<AssessValue>> {
    survey_values(TableSource::File(path.as_ref()))
}

/// [`read_survey`] of a file or a table in memory.
///
/// # Errors
/// As [`read_survey`].
pub fn survey_values(source: TableSource<'_>) -> Result<Vec<AssessValue>> {
    let t = Table::read(source)?;
    let (unit, year, satisfaction) = (t.required("unit")?, t.required("year")?, t.required("satisfaction")?);
    let mut sums: BTreeMap<(String, i32), (f64, usize)> = BTreeMap::new();
    for r in 0..t.rows() {
        let x = t.fraction(satisfaction, r)?;
        if x.is_nan() {
            continue;
        }
        let entry = sums.entry((t.unit(unit, r)?, t.year(year, r)?)).or_insert((0.0, 0));
        entry.0 += 100.0 * x;
        entry.1 += 1;
    }
    Ok(sums.into_iter().map(|((u, y), (sum, n))| value(&u, y, "satisfaction", sum / n as f64)).collect())
}

/// `projects_completed_share` and `investment_executed_share` of a projects table at `year`.
pub fn project_values(table: &ProjectTable, year: i32) -> Vec<AssessValue> {
    // unit → (projects, completed, Σ investment, Σ investment × progress / 100)
    let mut by_unit: BTreeMap<&str, (u32, u32, f64, f64)> = BTreeMap::new();
    for p in &table.projects {
        let entry = by_unit.entry(p.unit.as_str()).or_insert((0, 0, 0.0, 0.0));
        entry.0 += 1;
        entry.1 += u32::from(p.status == Some(ProjectStatus::Completed));
        if let (Some(investment), Some(progress)) = (p.investment, p.progress) {
            entry.2 += investment;
            entry.3 += investment * progress / 100.0;
        }
    }
    let mut out = Vec::new();
    for (unit, (n, completed, planned, executed)) in by_unit {
        out.push(value(unit, year, "projects_completed_share", 100.0 * f64::from(completed) / f64::from(n)));
        if planned > 0.0 {
            out.push(value(unit, year, "investment_executed_share", 100.0 * executed / planned));
        }
    }
    out
}
