//! `--explain DIR` on `weights` and `rank`: the library's step-by-step tables
//! ([`citycheck::explain`]), written as `DIR/<table>.csv` (issue 17). Each ends in the number
//! the command prints; a test checks that the tables sum back to the printed weights and
//! scores. Methods without tables refuse the flag with the list of those that have them.

use std::path::Path;

use citycheck::aggregate::{GreyNormalization, Labels, TopsisNormalization};
use citycheck::direction::Direction;
use citycheck::explain::{self as tables, Tables};
use citycheck::io::{write_table, OutputFormat};
use citycheck::panel::DecisionMatrix;
use citycheck::weight::Weight;
use citycheck::{Error, Result};

/// Checks that `--explain` can explain the weight method `method`.
pub fn check_weight_method(method: &Weight) -> Result<()> {
    tables::check_weight_method(method).map_err(flag_message)
}

/// Checks that `--explain` can explain the ranking method `method`.
pub fn check_rank_method(method: &str) -> Result<()> {
    tables::check_rank_method(method).map_err(flag_message)
}

/// The library's refusal in the command line's words (`--explain`, `--method`).
fn flag_message(e: Error) -> Error {
    match e {
        Error::Spec(message) => Error::Spec(
            message
                .replacen("explain writes", "--explain writes", 1)
                .replace("leave explain out or change the method", "leave --explain out or change --method"),
        ),
        other => other,
    }
}

/// The names of `m`'s rows and columns.
fn labels(m: &DecisionMatrix) -> Labels<'_> {
    Labels { rows: &m.alternatives, columns: &m.criteria, year: None }
}

/// Writes every table as `dir/<name>.csv`.
fn write(dir: &Path, tables: Tables) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Spec(format!("--explain {}: {e}", dir.display())))?;
    for (name, mut table) in tables {
        write_table(dir, name, OutputFormat::Csv, &mut table)?;
    }
    Ok(())
}

/// The tables of the weight method `method` (checked by [`check_weight_method`]).
pub fn weights(dir: &Path, m: &DecisionMatrix, method: &Weight, dirs: &[Direction]) -> Result<()> {
    write(dir, tables::weights(m.values.view(), labels(m), method, dirs)?)
}

/// TOPSIS's tables with the weights `w` the ranking used.
pub fn topsis(
    dir: &Path,
    m: &DecisionMatrix,
    w: &[f64],
    dirs: &[Direction],
    normalization: TopsisNormalization,
) -> Result<()> {
    write(dir, tables::topsis(m.values.view(), labels(m), w, dirs, normalization)?)
}

/// Grey relational analysis's tables with the weights `w` the ranking used.
pub fn grey_relational(
    dir: &Path,
    m: &DecisionMatrix,
    w: &[f64],
    dirs: &[Direction],
    rho: f64,
    normalize: GreyNormalization,
) -> Result<()> {
    write(dir, tables::grey_relational(m.values.view(), labels(m), w, dirs, rho, normalize)?)
}

/// VIKOR's tables with the weights `w` the ranking used.
pub fn vikor(dir: &Path, m: &DecisionMatrix, w: &[f64], dirs: &[Direction], v: f64) -> Result<()> {
    write(dir, tables::vikor(m.values.view(), labels(m), w, dirs, v)?)
}
