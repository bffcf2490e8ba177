//! Series files for `citycheck trend`: columns `series,t,y`, one row per observation, any
//! order; t is a year or any numeric time, gaps allowed; an empty y is a missing value.

use std::path::Path;

use crate::error::{Error, Result};
use crate::panel::{parse_value, CellRef, RawTable};

/// One named series, sorted by time.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedSeries {
    /// The `series` column's value.
    pub name: String,
    /// Times (years), ascending.
    pub t: Vec<f64>,
    /// Values at `t`; `NaN` is missing.
    pub y: Vec<f64>,
}

/// Reads a series file (CSV, Parquet or `.xlsx`); series keep their order of first
/// appearance, and each is sorted by t.
///
/// # Errors
/// [`Error::Data`] naming the file, row and column when a column is missing, t is empty or not
/// a number, y is not a number, or a series has the same t twice.
pub fn read_series(path: impl AsRef<Path>) -> Result<Vec<NamedSeries>> {
    let table = RawTable::read(path.as_ref())?;
    let column = |name: &str| {
        table.names.iter().position(|n| n.trim() == name).ok_or_else(|| {
            Error::data(
                table.location(None, None),
                format!(
                    "no column '{name}': a series file has the columns series, t, y (found: {})",
                    table.names.join(", ")
                ),
            )
        })
    };
    let (cs, ct, cy) = (column("series")?, column("t")?, column("y")?);
    let mut series: Vec<NamedSeries> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for r in 0..table.rows() {
        let name = match table.cell(cs, r) {
            CellRef::Text(s) => s.trim().to_string(),
            CellRef::Number(x) => x.to_string(),
            CellRef::Empty => {
                return Err(Error::data(table.location(Some(r), Some("series")), "the series name is empty"))
            }
        };
        let t = parse_value(table.cell(ct, r)).map_err(|m| Error::data(table.location(Some(r), Some("t")), m))?;
        if t.is_nan() {
            return Err(Error::data(table.location(Some(r), Some("t")), "the time is empty"));
        }
        let y = parse_value(table.cell(cy, r)).map_err(|m| Error::data(table.location(Some(r), Some("y")), m))?;
        let k = *index.entry(name.clone()).or_insert_with(|| {
            series.push(NamedSeries { name, t: Vec::new(), y: Vec::new() });
            series.len() - 1
        });
        if series[k].t.contains(&t) {
            return Err(Error::data(
                table.location(Some(r), Some("t")),
                format!("series '{}' has t = {t} twice", series[k].name),
            ));
        }
        series[k].t.push(t);
        series[k].y.push(y);
    }
    for s in &mut series {
        let mut order: Vec<usize> = (0..s.t.len()).collect();
        order.sort_by(|&a, &b| s.t[a].total_cmp(&s.t[b]));
        s.t = order.iter().map(|&i| s.t[i]).collect();
        s.y = order.iter().map(|&i| s.y[i]).collect();
    }
    Ok(series)
}
