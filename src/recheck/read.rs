//! Reading the tables a re-check reads: the ledgers `diagnose` and `compute` write
//! (`ledger.csv`, `object_ledger.csv`) and the values of a year (`attainment.csv`, or any long
//! table with unit, year, indicator and value columns).
//!
//! | table | columns read |
//! |---|---|
//! | ledger of a diagnosis | unit, year, indicator; value, standard, severity when present |
//! | object ledger of `compute` | year, level, object_id, indicator; city_id (the unit) when present |
//! | values | unit, year, indicator, value; standard, met, level, object_id when present |
//!
//! A file may hold several years: each year is one ledger. A ledger with a header and no rows
//! is the ledger of a year without problems, read with its year ([`read_ledger_year`]), or at
//! the diagnosed year of the run.json that lists it ([`read_ledger`]). Values that are empty
//! are not observations (the row is skipped).

use std::collections::BTreeMap;
use std::path::Path;

use super::{ListedProblem, Observation, ProblemId, YearLedger};
use crate::error::{Error, Result};
use crate::io::sha256_file;
use crate::panel::{parse_value, CellRef, RawTable};

/// The ledgers of a `ledger.csv` (a diagnosis's: unit, year, indicator, …; its problems at
/// `level`) or an `object_ledger.csv` of `compute` (year, level, object_id, …, indicator), one
/// per year of the file, in year order. `.csv`, `.parquet` and `.xlsx` are read.
///
/// A ledger with a header and no rows is the ledger of a year without problems; its year is
/// in none of its rows. It is read at the diagnosed year of the `run.json` beside it when that
/// run.json lists this very file among its outputs (same name, same SHA-256): the run that
/// wrote both. Otherwise it is refused: [`read_ledger_year`] reads it with the year given.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read; [`Error::Data`] naming the file, row and column
/// for a table without a header, a missing column, an empty id or a year that is not an
/// integer, and naming the file for a ledger without rows whose year no run.json beside it
/// gives (give its year: [`read_ledger_year`]).
pub fn read_ledger(path: impl AsRef<Path>, level: &str) -> Result<Vec<YearLedger>> {
    let path = path.as_ref();
    let table = RawTable::read_with_header(path)?;
    let ledgers = ledgers_of(&table, path, level)?;
    if ledgers.is_empty() {
        if let Some(year) = diagnosed_year_beside(path) {
            return Ok(vec![YearLedger { year, source: path.display().to_string(), problems: Vec::new() }]);
        }
        return Err(Error::data(
            table.location(None, None),
            "the ledger has a header and no rows: a year without problems, whose year no row says (and no \
             run.json beside it lists this file); give the year with the file (`citycheck recheck --ledger \
             YEAR=FILE`, `citycheck projects --year YEAR`, `read_ledger_year`)",
        ));
    }
    Ok(ledgers)
}

/// The ledger of `year` in a ledger file (as [`read_ledger`] reads it): its rows of that year.
/// A file with a header and no rows is the ledger of `year` without problems (a year in which
/// the diagnosis listed none): every problem of the previous ledger year is then resolved or
/// not assessed by the re-check's rule.
///
/// # Errors
/// As [`read_ledger`]; [`Error::Data`] naming the file and the year when the file has rows but
/// none of `year` (a ledger of other years).
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// let dir = std::env::temp_dir().join(format!("citycheck-doc-ledger-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("ledger.csv");
/// std::fs::write(&path, "unit,year,indicator,value,standard,severity\n").unwrap();
/// let ledger = citycheck::recheck::read_ledger_year(&path, "city", 2013)?;
/// assert_eq!((ledger.year, ledger.problems.len()), (2013, 0));
/// assert!(citycheck::recheck::read_ledger(&path, "city").is_err()); // no row says the year
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok(()) }
/// ```
pub fn read_ledger_year(path: impl AsRef<Path>, level: &str, year: i32) -> Result<YearLedger> {
    let path = path.as_ref();
    let table = RawTable::read_with_header(path)?;
    let ledgers = ledgers_of(&table, path, level)?;
    if ledgers.is_empty() {
        return Ok(YearLedger { year, source: path.display().to_string(), problems: Vec::new() });
    }
    let years: Vec<String> = ledgers.iter().map(|l| l.year.to_string()).collect();
    ledgers.into_iter().find(|l| l.year == year).ok_or_else(|| {
        let mut location = table.location(None, Some("year"));
        location.year = Some(year);
        Error::data(
            location,
            format!(
                "no problem of year {year} in the ledger (its years: {}); the ledger of a year without problems \
                 is a file with a header and no rows",
                years.join(", ")
            ),
        )
    })
}

/// The diagnosed year of the `run.json` beside `path`, when that run.json lists `path` among
/// its outputs with the file's SHA-256 (so the same run wrote both); `None` otherwise.
fn diagnosed_year_beside(path: &Path) -> Option<i32> {
    let text = crate::io::read_text(&path.with_file_name("run.json")).ok()?;
    let report: serde_json::Value = serde_json::from_str(&text).ok()?;
    let name = path.file_name()?.to_str()?;
    let digest = sha256_file(path).ok()?;
    let listed = report.get("outputs")?.as_array()?.iter().any(|o| {
        o.get("file").and_then(serde_json::Value::as_str) == Some(name)
            && o.get("sha256").and_then(serde_json::Value::as_str) == Some(digest.as_str())
    });
    if !listed {
        return None;
    }
    report.get("diagnosis")?.get("year")?.as_i64().and_then(|y| i32::try_from(y).ok())
}

/// The ledgers of a table read by [`read_ledger`] or [`read_ledger_year`]; none for a table
/// without rows (its columns are checked all the same).
fn ledgers_of(table: &RawTable, path: &Path, level: &str) -> Result<Vec<YearLedger>> {
    let source = path.display().to_string();
    let objects = column(table, "object_id").is_some();
    let year = required(table, "year")?;
    let indicator = required(table, "indicator")?;
    let (unit, level_column, object) = if objects {
        (column(table, "city_id"), Some(required(table, "level")?), Some(required(table, "object_id")?))
    } else {
        (Some(required(table, "unit")?), None, None)
    };
    let (value, standard, severity) = (column(table, "value"), column(table, "standard"), column(table, "severity"));
    let mut years: BTreeMap<i32, Vec<ListedProblem>> = BTreeMap::new();
    for r in 0..table.rows() {
        let id = ProblemId {
            unit: match unit {
                Some(c) => text(table, c, r).unwrap_or_default(),
                None => String::new(),
            },
            level: match level_column {
                Some(c) => id_text(table, c, r, "level")?,
                None => level.to_string(),
            },
            object_id: object.map(|c| id_text(table, c, r, "object_id")).transpose()?,
            indicator: id_text(table, indicator, r, "indicator")?,
        };
        if object.is_none() && id.unit.is_empty() {
            return Err(Error::data(table.location(Some(r), Some("unit")), "empty unit"));
        }
        let problem = ListedProblem {
            id,
            value: number(table, value, r, "value")?,
            standard: number(table, standard, r, "standard")?,
            severity: number(table, severity, r, "severity")?,
            row: Some(r + 2),
        };
        years.entry(year_of(table, year, r)?).or_default().push(problem);
    }
    Ok(years.into_iter().map(|(year, problems)| YearLedger { year, source: source.clone(), problems }).collect())
}

/// The observed values of a table with unit, year, indicator and value columns — the
/// `attainment.csv` of a diagnosis, or a panel in long layout — as observations at `level`
/// (or the table's own `level` and `object_id` columns). Rows with an empty value are skipped.
///
/// # Errors
/// As [`read_ledger`]; [`Error::Data`] for a value that is not a number, or a `met` that is not
/// true or false.
pub fn read_observations(path: impl AsRef<Path>, level: &str) -> Result<Vec<Observation>> {
    let path = path.as_ref();
    let table = RawTable::read(path)?;
    let (unit, year, indicator) =
        (required(&table, "unit")?, required(&table, "year")?, required(&table, "indicator")?);
    let value = Some(required(&table, "value")?);
    let (standard, met, level_column, object) =
        (column(&table, "standard"), column(&table, "met"), column(&table, "level"), column(&table, "object_id"));
    let mut out = Vec::new();
    for r in 0..table.rows() {
        let Some(x) = number(&table, value, r, "value")? else { continue };
        let met = match met.map(|c| table.cell(c, r)) {
            None | Some(CellRef::Empty) => None,
            Some(CellRef::Text(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                "" => None,
                other => {
                    return Err(Error::data(
                        table.location(Some(r), Some("met")),
                        format!("expected true or false, found '{other}'"),
                    ))
                }
            },
            Some(CellRef::Number(n)) => Some(n != 0.0),
        };
        out.push(Observation {
            id: ProblemId {
                unit: id_text(&table, unit, r, "unit")?,
                level: match level_column.and_then(|c| text(&table, c, r)) {
                    Some(l) => l,
                    None => level.to_string(),
                },
                object_id: object.and_then(|c| text(&table, c, r)),
                indicator: id_text(&table, indicator, r, "indicator")?,
            },
            year: year_of(&table, year, r)?,
            value: x,
            standard: number(&table, standard, r, "standard")?,
            met,
            source: format!("{} row {}", path.display(), r + 2),
        });
    }
    Ok(out)
}

fn column(table: &RawTable, name: &str) -> Option<usize> {
    table.names.iter().position(|n| n.trim() == name)
}

fn required(table: &RawTable, name: &str) -> Result<usize> {
    column(table, name).ok_or_else(|| {
        Error::data(
            table.location(None, Some(name)),
            format!("no column '{name}' (columns: {})", table.names.join(", ")),
        )
    })
}

fn text(table: &RawTable, c: usize, r: usize) -> Option<String> {
    match table.cell(c, r) {
        CellRef::Empty => None,
        CellRef::Text(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        CellRef::Number(x) => Some(x.to_string()),
    }
}

fn id_text(table: &RawTable, c: usize, r: usize, name: &str) -> Result<String> {
    text(table, c, r).ok_or_else(|| Error::data(table.location(Some(r), Some(name)), format!("empty {name}")))
}

fn number(table: &RawTable, c: Option<usize>, r: usize, name: &str) -> Result<Option<f64>> {
    let Some(c) = c else { return Ok(None) };
    let x = parse_value(table.cell(c, r)).map_err(|m| Error::data(table.location(Some(r), Some(name)), m))?;
    Ok((!x.is_nan()).then_some(x))
}

fn year_of(table: &RawTable, c: usize, r: usize) -> Result<i32> {
    match number(table, Some(c), r, "year")? {
        Some(y) if y.fract() == 0.0 && y.abs() < 1e6 => Ok(y as i32),
        Some(y) => Err(Error::data(table.location(Some(r), Some("year")), format!("year {y} is not an integer"))),
        None => Err(Error::data(table.location(Some(r), Some("year")), "empty year")),
    }
}
