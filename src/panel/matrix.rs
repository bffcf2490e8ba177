//! Decision matrices from CSV, for researchers who have just a matrix: a header row of
//! criterion names, the first column the alternative names, numbers elsewhere.

use std::path::Path;

use crate::error::{Error, Result};
use crate::kernels::{self, Array2};
use crate::panel::{parse_value, CellRef, RawTable};

/// A decision matrix with its row and column names.
#[derive(Debug, Clone)]
pub struct DecisionMatrix {
    /// Row names: the first column (units, options).
    pub alternatives: Vec<String>,
    /// Column names: the header row after the first cell.
    pub criteria: Vec<String>,
    /// alternatives × criteria values, complete (an empty cell is an error when read).
    pub values: Array2<f64>,
}

/// Reads a decision matrix (or an AHP pairwise matrix) from CSV, Parquet or `.xlsx`.
///
/// # Errors
/// [`Error::Data`] naming the file, row and column of a cell that is not a number, or when the
/// table has no criterion column.
pub fn read_decision_matrix(path: impl AsRef<Path>) -> Result<DecisionMatrix> {
    read_matrix(path.as_ref(), false)
}

/// Reads an AHP pairwise comparison matrix as [`read_decision_matrix`] does, with cells also
/// written as fractions, `1/3` ([`crate::kernels::judgement::parse_judgement`]), as papers print them.
///
/// # Errors
/// As [`read_decision_matrix`].
pub fn read_pairwise_matrix(path: impl AsRef<Path>) -> Result<DecisionMatrix> {
    read_matrix(path.as_ref(), true)
}

fn read_matrix(path: &Path, fractions: bool) -> Result<DecisionMatrix> {
    let table = RawTable::read(path)?;
    if table.names.len() < 2 {
        return Err(Error::data(
            table.location(None, None),
            "a decision matrix needs a first column of alternative names and at least one criterion column",
        ));
    }
    let alternatives: Vec<String> = (0..table.rows())
        .map(|r| match table.cell(0, r) {
            CellRef::Text(s) => s.trim().to_string(),
            CellRef::Number(x) => x.to_string(),
            CellRef::Empty => format!("row {}", r + 2),
        })
        .collect();
    let criteria: Vec<String> = table.names[1..].iter().map(|n| n.trim().to_string()).collect();
    let mut data = Vec::with_capacity(alternatives.len() * criteria.len());
    for (j, criterion) in criteria.iter().enumerate() {
        for r in 0..table.rows() {
            let cell = table.cell(j + 1, r);
            let fraction = match cell {
                CellRef::Text(t) if fractions && t.contains('/') => crate::kernels::judgement::parse_judgement(t),
                _ => None,
            };
            let value = match fraction {
                Some(v) => v,
                None => parse_value(cell)
                    .map_err(|message| Error::data(table.location(Some(r), Some(criterion)), message))?,
            };
            if value.is_nan() {
                return Err(Error::data(
                    table.location(Some(r), Some(criterion)),
                    "the cell is empty: decision matrices must be complete",
                ));
            }
            data.push(value);
        }
    }
    let values = kernels::from_columns(alternatives.len(), criteria.len(), data)?;
    Ok(DecisionMatrix { alternatives, criteria, values })
}
