//! Tables of units with numeric columns, optionally one row per unit and year: the input of
//! `citycheck efficiency` (inputs and outputs of each facility or city). Read through the same
//! readers as every other table (CSV in UTF-8 or GBK, Parquet, `.xlsx`), so cells are parsed and
//! reported the same way.

use std::path::Path;

use crate::error::{Error, Result};
use crate::panel::{parse_value, CellRef, RawTable};

/// The rows of a unit table, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRows {
    /// The unit of each row.
    pub units: Vec<String>,
    /// The year of each row; `None` when the table has no year column.
    pub years: Vec<Option<i32>>,
    /// The values of each row, in the order of the columns asked for; `NaN` is an empty cell.
    pub values: Vec<Vec<f64>>,
}

/// Reads `path` and takes, per row, the unit (`unit_column`), the year (`year_column`, when
/// the table has it) and the numeric `columns`.
///
/// # Errors
/// [`Error::Data`] naming the file, row and column when the unit column or one of `columns`
/// is absent, a unit name is empty, a year is not a whole number, or a value is not a number.
pub fn read_unit_rows(
    path: impl AsRef<Path>,
    unit_column: &str,
    year_column: &str,
    columns: &[String],
) -> Result<UnitRows> {
    let table = RawTable::read(path.as_ref())?;
    let find = |name: &str| table.names.iter().position(|n| n.trim() == name);
    let unit = find(unit_column).ok_or_else(|| {
        Error::data(table.location(None, None), format!("no unit column '{unit_column}' (--unit-column)"))
    })?;
    let year = find(year_column);
    let wanted = columns
        .iter()
        .map(|name| {
            find(name).ok_or_else(|| {
                Error::data(table.location(None, Some(name)), format!("no column '{name}' in the table"))
            })
        })
        .collect::<Result<Vec<usize>>>()?;
    let mut rows = UnitRows { units: Vec::new(), years: Vec::new(), values: Vec::new() };
    for r in 0..table.rows() {
        let name = match table.cell(unit, r) {
            CellRef::Text(s) if !s.trim().is_empty() => s.trim().to_string(),
            CellRef::Number(x) => x.to_string(),
            _ => return Err(Error::data(table.location(Some(r), Some(unit_column)), "no unit name")),
        };
        let y = match year {
            None => None,
            Some(c) => {
                let cell = table.cell(c, r);
                let value = parse_value(cell).ok().filter(|v| v.is_finite() && v.fract() == 0.0);
                Some(value.map(|v| v as i32).ok_or_else(|| {
                    let shown = match cell {
                        CellRef::Text(s) => s.to_string(),
                        CellRef::Number(x) => x.to_string(),
                        CellRef::Empty => String::new(),
                    };
                    Error::data(table.location(Some(r), Some(year_column)), format!("'{shown}' is not a year"))
                })?)
            }
        };
        let values = wanted
            .iter()
            .zip(columns)
            .map(|(&c, name)| {
                parse_value(table.cell(c, r)).map_err(|m| Error::data(table.location(Some(r), Some(name)), m))
            })
            .collect::<Result<Vec<f64>>>()?;
        rows.units.push(name);
        rows.years.push(y);
        rows.values.push(values);
    }
    Ok(rows)
}
