//! Input and output at the bottom of the library: output tables (CSV or Parquet) and SHA-256
//! digests for provenance. A leaf: it knows no catalogue, panel or method; the readers of
//! panels are in [`crate::panel`], the batch run that writes a whole folder in [`crate::run`].

use std::fs;
use std::path::{Path, PathBuf};

use polars::prelude::{CsvWriter, DataFrame, ParquetWriter, SerWriter};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Location, Result};

/// Output table format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputFormat {
    /// Comma-separated text with a header row (UTF-8).
    #[default]
    Csv,
    /// Apache Parquet.
    Parquet,
}

/// SHA-256 of `bytes`, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a file, hex.
pub fn sha256_file(path: &Path) -> Result<String> {
    let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok(sha256_hex(&bytes))
}

/// Writes `df` as `dir/name.csv` (or `.parquet`); returns the path.
pub(crate) fn write_table(dir: &Path, name: &str, format: OutputFormat, df: &mut DataFrame) -> Result<PathBuf> {
    let path = dir.join(match format {
        OutputFormat::Csv => format!("{name}.csv"),
        OutputFormat::Parquet => format!("{name}.parquet"),
    });
    let file = fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
    let written = match format {
        OutputFormat::Csv => CsvWriter::new(file).include_header(true).finish(df),
        OutputFormat::Parquet => ParquetWriter::new(file).finish(df).map(|_| ()),
    };
    written.map_err(|e| {
        Error::data(Location { file: Some(path.display().to_string()), ..Default::default() }, e.to_string())
    })?;
    Ok(path)
}
