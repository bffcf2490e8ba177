//! Input and output at the bottom of the library: output tables (CSV, Parquet, or sheets of
//! one Excel workbook: [`write_workbook`]) and SHA-256 digests for provenance. A leaf: it knows
//! no catalogue, panel or method; the readers of panels are in [`crate::panel`], the batch run
//! that writes a whole folder in [`crate::run`].

mod xlsx;

pub use xlsx::{header_zh, write_workbook, Lang, README_SHEET_NAME};

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
    /// One Excel workbook: every table a sheet, with a README sheet of provenance when a run
    /// writes it ([`write_workbook`]).
    Xlsx,
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

/// Writes `df` as `dir/name.csv` (or `.parquet`, or `.xlsx`: a workbook of one sheet);
/// returns the path.
pub(crate) fn write_table(dir: &Path, name: &str, format: OutputFormat, df: &mut DataFrame) -> Result<PathBuf> {
    let path = dir.join(match format {
        OutputFormat::Csv => format!("{name}.csv"),
        OutputFormat::Parquet => format!("{name}.parquet"),
        OutputFormat::Xlsx => format!("{name}.xlsx"),
    });
    if format == OutputFormat::Xlsx {
        write_workbook(&path, &[(name, &*df)], &[], Lang::En)?;
        return Ok(path);
    }
    let file = fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
    let written = match format {
        OutputFormat::Csv => CsvWriter::new(file).include_header(true).finish(df),
        OutputFormat::Parquet => ParquetWriter::new(file).finish(df).map(|_| ()),
        OutputFormat::Xlsx => unreachable!("written above"),
    };
    written.map_err(|e| {
        Error::data(Location { file: Some(path.display().to_string()), ..Default::default() }, e.to_string())
    })?;
    Ok(path)
}

/// Writes `tables` as the sheets of one workbook `dir/stem.xlsx` (no README sheet, the
/// column names as headers); returns its path. What the `write` of a result with several
/// tables does with [`OutputFormat::Xlsx`]; a run writes its own workbook with provenance.
pub(crate) fn write_sheets(dir: &Path, stem: &str, tables: &[(&str, DataFrame)]) -> Result<PathBuf> {
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let path = dir.join(format!("{stem}.xlsx"));
    let refs: Vec<(&str, &DataFrame)> = tables.iter().map(|(name, df)| (*name, df)).collect();
    write_workbook(&path, &refs, &[], Lang::En)?;
    Ok(path)
}

/// The current time in UTC as `YYYY-MM-DDTHH:MM:SSZ` (the date of a workbook's README).
pub fn utc_timestamp() -> String {
    let seconds =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_date(days);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// The proleptic Gregorian date of a count of days since 1970-01-01.
fn civil_date(days: i64) -> (i64, i64, i64) {
    // Shifted so that a year starts on 1 March (the leap day is its last day), in eras of
    // 400 years (146,097 days).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::civil_date;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(11_016), (2000, 2, 29));
        assert_eq!(civil_date(19_782), (2024, 2, 29));
        assert_eq!(civil_date(20_454), (2026, 1, 1));
    }
}
