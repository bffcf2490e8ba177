//! report.xlsx: the tables of the output folder as one Excel workbook beside report.html, written
//! by the run's own workbook writer ([`crate::io::write_workbook`]) with the README sheet of
//! the run's provenance ([`crate::io::readme_rows`] of run.json).

use std::path::{Path, PathBuf};

use polars::prelude::{Column, CsvReadOptions, DataFrame, DataType, ParquetReader, SerReader};

use super::folder::{restore, Folder};
use super::LeftOut;
use crate::checkup::Spec;
use crate::error::{Error, Location, Result};
use crate::io::{readme_rows, write_workbook, Lang};

/// The workbook's file name, beside report.html.
pub const REPORT_WORKBOOK: &str = "report.xlsx";

/// Rows of a sheet below its header (Excel's limit less one).
const SHEET_ROWS: usize = 1_048_575;
/// Columns of a sheet (Excel's limit).
const SHEET_COLUMNS: usize = 16_384;

/// Writes `path`: a sheet per table file of `folder` (its CSV or Parquet files at the top of
/// the folder, in the order of `files`), after a README sheet of `run` (run.json) when there is
/// one. `None` when the folder's tables are already the sheets of its workbook
/// (citycheck.xlsx) or it has no table file. A table that cannot be read, or is too large for
/// a sheet, is left out and listed in `left_out` (section `workbook`), as the report leaves out
/// a section.
///
/// Numbers, booleans and text come back typed as polars reads them; text a CSV holds with the
/// `'` the writer put before a formula-like cell is restored (the workbook writes text as text).
pub(super) fn write(
    folder: &Folder,
    files: &[String],
    run: Option<&serde_json::Value>,
    path: &Path,
    lang: Lang,
    left_out: &mut Vec<LeftOut>,
) -> Result<Option<PathBuf>> {
    if folder.is_workbook() {
        return Ok(None);
    }
    let mut tables: Vec<(String, DataFrame)> = Vec::new();
    for file in files {
        let Some((stem, ext)) = file.rsplit_once('.') else { continue };
        if file.contains(['/', '\\']) || !matches!(ext, "csv" | "parquet") || !folder.has(file) {
            continue;
        }
        if tables.iter().any(|(name, _)| name == stem) {
            continue;
        }
        let source = folder.dir().join(file);
        let read = if ext == "csv" { read_csv(&source) } else { read_parquet(&source) };
        let df = match read {
            Ok(df) => df,
            Err(e) => {
                left_out.push(LeftOut::new("workbook", file, &e.to_string()));
                continue;
            }
        };
        if df.height() > SHEET_ROWS || df.width() > SHEET_COLUMNS {
            let reason = format!(
                "{} rows × {} columns: more than an Excel sheet holds ({SHEET_ROWS} × {SHEET_COLUMNS})",
                df.height(),
                df.width()
            );
            left_out.push(LeftOut::new("workbook", file, &reason));
            continue;
        }
        tables.push((stem.to_string(), df));
    }
    if tables.is_empty() {
        return Ok(None);
    }
    let readme = run
        .map(|run| {
            let spec = serde_json::from_value::<Spec>(run["spec"].clone()).ok().map(|s| s.to_toml());
            readme_rows(run, spec)
        })
        .unwrap_or_default();
    let sheets: Vec<(&str, &DataFrame)> = tables.iter().map(|(name, df)| (name.as_str(), df)).collect();
    write_workbook(path, &sheets, &readme, lang)?;
    Ok(Some(path.to_path_buf()))
}

fn data_error(path: &Path, message: String) -> Error {
    Error::data(Location { file: Some(path.display().to_string()), ..Default::default() }, message)
}

/// A table CSV of the folder, its column types inferred from every row, the neutralised text
/// cells restored.
fn read_csv(path: &Path) -> Result<DataFrame> {
    let mut df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(None)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|reader| reader.finish())
        .map_err(|e| data_error(path, e.to_string()))?;
    let mut restored = Vec::new();
    for column in df.columns() {
        if column.dtype() != &DataType::String {
            continue;
        }
        let texts = column.str().map_err(|e| data_error(path, e.to_string()))?;
        if !texts.iter().any(|cell| cell.is_some_and(|s| s.starts_with('\''))) {
            continue;
        }
        let values: Vec<Option<String>> = texts.iter().map(|cell| cell.map(restore)).collect();
        restored.push(Column::new(column.name().clone(), values));
    }
    for column in restored {
        df.with_column(column).map_err(|e| data_error(path, e.to_string()))?;
    }
    Ok(df)
}

fn read_parquet(path: &Path) -> Result<DataFrame> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    ParquetReader::new(file).finish().map_err(|e| data_error(path, e.to_string()))
}
