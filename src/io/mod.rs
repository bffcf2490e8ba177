//! Input and output at the bottom of the library: output tables (CSV, Parquet, or sheets of
//! one Excel workbook: [`write_workbook`]), SHA-256 digests for provenance, and the one way
//! input files are opened: only regular files ([`regular_file`]: never a FIFO that blocks or a
//! device such as `/dev/zero` that never ends), text inputs read whole up to a size limit
//! ([`read_text`], [`MAX_TEXT_BYTES`]), data files read whole as they are ([`read_data`]). A
//! leaf: it knows no catalogue, panel or method; the readers of panels are in
//! [`crate::panel`], the batch run that writes a whole folder in [`crate::run`].

mod xlsx;

pub use xlsx::{header_zh, readme_rows, write_workbook, Lang, README_SHEET_NAME};

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use polars::prelude::{CsvWriter, DataFrame, ParquetWriter, SerWriter};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Location, Result};

/// The workbook a run writes with `format = "xlsx"`: every table a sheet (named as its CSV
/// file would be), after a README sheet of the run's provenance.
pub const WORKBOOK: &str = "citycheck.xlsx";

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

/// SHA-256 of a file, hex; read in blocks (a data file is never held whole for its digest).
///
/// # Errors
/// [`Error::Io`] when `path` is not a regular file ([`regular_file`]) or cannot be read.
pub fn sha256_file(path: &Path) -> Result<String> {
    regular_file(path)?;
    let mut file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut block = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut block).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&block[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// The default size limit of text inputs read whole ([`read_text`]): catalogues, run specs and
/// configs, survey definitions, task catalogues, run.json. 64 MiB is far beyond any real one
/// (the largest built-in catalogue is a few hundred KiB) and far below what would exhaust
/// memory. [`MAX_TEXT_BYTES_VAR`] overrides it.
pub const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;

/// The environment variable that overrides [`MAX_TEXT_BYTES`]: a number of bytes
/// (`CITYCHECK_MAX_TEXT_BYTES=200000000`).
pub const MAX_TEXT_BYTES_VAR: &str = "CITYCHECK_MAX_TEXT_BYTES";

/// The size limit of text inputs: [`MAX_TEXT_BYTES_VAR`] when set, else [`MAX_TEXT_BYTES`].
///
/// # Errors
/// [`Error::Spec`] when the variable is set to something other than a whole number of bytes.
pub fn max_text_bytes() -> Result<u64> {
    match std::env::var(MAX_TEXT_BYTES_VAR) {
        Ok(text) => text.trim().replace('_', "").parse::<u64>().map_err(|_| {
            Error::Spec(format!("{MAX_TEXT_BYTES_VAR}='{text}' is not a number of bytes (such as 200000000)"))
        }),
        Err(_) => Ok(MAX_TEXT_BYTES),
    }
}

/// A size in bytes for a message: `2.0 GiB (2147483648 bytes)`, `812 bytes`.
pub(crate) fn size_text(bytes: u64) -> String {
    const UNITS: [(&str, f64); 3] = [("GiB", 1073741824.0), ("MiB", 1048576.0), ("KiB", 1024.0)];
    for (unit, size) in UNITS {
        if bytes as f64 >= size {
            return format!("{:.1} {unit} ({bytes} bytes)", bytes as f64 / size);
        }
    }
    format!("{bytes} bytes")
}

/// The metadata of `path` when it is a regular file (a symlink to one is followed). Anything
/// else is refused before it is opened: a FIFO (named pipe) would block the reader forever, a
/// device such as `/dev/zero` never ends, a folder is not a file.
///
/// # Errors
/// [`Error::Io`] naming the path and what it is; or the operating system's error when it does
/// not exist or cannot be inspected.
pub fn regular_file(path: &Path) -> Result<fs::Metadata> {
    let metadata = fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if metadata.is_file() {
        return Ok(metadata);
    }
    let kind = file_kind(&metadata.file_type());
    Err(Error::io(
        path,
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{kind}, not a regular file: citycheck reads its inputs from regular files only"),
        ),
    ))
}

/// What a file that is not a regular file is, in words.
fn file_kind(file_type: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// The bytes of the regular file `path`, at most `limit` of them; `what` names the kind of
/// input in the message of a file beyond the limit. The file is read through a reader that
/// stops after `limit + 1` bytes, so a file that grows while it is read cannot exhaust memory.
fn read_limited(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    let too_large = |size: u64, at_least: bool| {
        Error::io(
            path,
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "the file is {}{}, more than the limit of {} for {what}; raise the limit with the \
                     environment variable {MAX_TEXT_BYTES_VAR} (a number of bytes)",
                    if at_least { "at least " } else { "" },
                    size_text(size),
                    size_text(limit)
                ),
            ),
        )
    };
    let metadata = regular_file(path)?;
    if metadata.len() > limit {
        return Err(too_large(metadata.len(), false));
    }
    let file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64, true));
    }
    Ok(bytes)
}

/// The text of a text input (a catalogue, a run spec or config, a survey definition, a task
/// catalogue, a run.json): a regular file ([`regular_file`]) of at most [`max_text_bytes`]
/// bytes, in UTF-8 (a byte-order mark is kept, as [`std::fs::read_to_string`] keeps it).
///
/// # Errors
/// [`Error::Io`] naming the file: not a regular file, larger than the limit (its size, the
/// limit and [`MAX_TEXT_BYTES_VAR`] named), unreadable, or not UTF-8 (the line of the first
/// bad byte named).
pub fn read_text(path: &Path) -> Result<String> {
    let limit = max_text_bytes()?;
    let bytes = read_limited(path, limit, "text inputs (catalogues, specs, configs, definitions)")?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..valid].iter().filter(|&&b| b == b'\n').count();
        Error::io(
            path,
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("not UTF-8 text: invalid byte at line {line} (byte offset {valid}); save the file as UTF-8"),
            ),
        )
    })
}

/// The bytes of a data file read whole (a CSV): a regular file ([`regular_file`]) of any size,
/// read up to the size it had when it was opened (one byte more is an error: the file grew
/// while it was read), so that neither a device nor a growing file can exhaust memory.
///
/// # Errors
/// [`Error::Io`] naming the file: not a regular file, unreadable, or growing while read.
pub fn read_data(path: &Path) -> Result<Vec<u8>> {
    let metadata = regular_file(path)?;
    let size = metadata.len();
    let file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(size.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > size {
        return Err(Error::io(
            path,
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("the file grew beyond {} while it was read: read it once it is complete", size_text(size)),
            ),
        ));
    }
    Ok(bytes)
}

/// A text cell made safe to open in a spreadsheet: text starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return, which Excel and LibreOffice would run as a formula, gets a
/// leading single quote (`'=cmd`), as OWASP recommends for CSV injection. Text that reads as
/// a plain number (`-1.5`, `+3`) is left as it is; numbers written as numbers never pass here.
///
/// # Examples
/// ```
/// use citycheck::io::neutralize_formula;
/// assert_eq!(neutralize_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(neutralize_formula("-1.5"), "-1.5");
/// assert_eq!(neutralize_formula("沈阳市"), "沈阳市");
/// ```
pub fn neutralize_formula(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && text.trim().parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A text cell of a CSV line (RFC 4180): [`neutralize_formula`], then quoted with `"` (inner
/// quotes doubled) when it holds a comma, a quote or a line break.
///
/// # Examples
/// ```
/// use citycheck::io::csv_text;
/// assert_eq!(csv_text("A, Inc."), "\"A, Inc.\"");
/// assert_eq!(csv_text("say \"hi\""), "\"say \"\"hi\"\"\"");
/// assert_eq!(csv_text("@SUM(A1)"), "'@SUM(A1)");
/// ```
pub fn csv_text(text: &str) -> String {
    let safe = neutralize_formula(text);
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe.into_owned()
    }
}

/// `df` with [`neutralize_formula`] applied to its text columns (only those with a cell that
/// needs it are rebuilt).
fn neutralize_text_columns(df: &mut DataFrame) -> polars::prelude::PolarsResult<()> {
    use polars::prelude::{Column, DataType};
    let needs = |s: &str| matches!(neutralize_formula(s), std::borrow::Cow::Owned(_));
    let mut replaced = Vec::new();
    for column in df.columns() {
        if column.dtype() != &DataType::String {
            continue;
        }
        let texts = column.str()?;
        if !texts.iter().any(|cell| cell.is_some_and(needs)) {
            continue;
        }
        let values: Vec<Option<String>> =
            texts.iter().map(|cell| cell.map(|s| neutralize_formula(s).into_owned())).collect();
        replaced.push(Column::new(column.name().clone(), values));
    }
    for column in replaced {
        df.with_column(column)?;
    }
    Ok(())
}

/// Writes `path` whole or not at all: `write` fills a new temporary file beside it (same
/// folder, so same file system), which is flushed and renamed over `path` only when `write`
/// succeeded. A run that fails or is killed midway leaves the earlier file (or none), never a
/// file cut mid-row; a symlink planted at `path` is replaced, not followed. The temporary file
/// is opened with `create_new`, which does not follow a symlink either.
pub(crate) fn write_atomic(path: &Path, write: impl FnOnce(&mut fs::File) -> Result<()>) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = dir.join(format!(".{name}.{}.partial", std::process::id()));
    // A leftover of a killed run with the same process id.
    let _ = fs::remove_file(&temporary);
    let result = fill_and_rename(&temporary, path, write);
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

fn fill_and_rename(temporary: &Path, path: &Path, write: impl FnOnce(&mut fs::File) -> Result<()>) -> Result<()> {
    let mut file =
        fs::OpenOptions::new().write(true).create_new(true).open(temporary).map_err(|e| Error::io(temporary, e))?;
    write(&mut file)?;
    file.sync_all().map_err(|e| Error::io(temporary, e))?;
    drop(file);
    fs::rename(temporary, path).map_err(|e| Error::io(path, e))
}

/// Writes `df` as `dir/name.csv` (or `.parquet`, or `.xlsx`: a workbook of one sheet); returns
/// the path. In a CSV, text cells that a spreadsheet would run as a formula are neutralised
/// ([`neutralize_formula`]); cells with a comma, a quote or a line break are quoted. Every file
/// is written whole or not at all (a temporary file renamed into place). `dir` must exist.
///
/// # Errors
/// [`Error::Io`] or [`Error::Data`] when the file cannot be written.
pub fn write_table(dir: &Path, name: &str, format: OutputFormat, df: &mut DataFrame) -> Result<PathBuf> {
    let path = dir.join(match format {
        OutputFormat::Csv => format!("{name}.csv"),
        OutputFormat::Parquet => format!("{name}.parquet"),
        OutputFormat::Xlsx => format!("{name}.xlsx"),
    });
    if format == OutputFormat::Xlsx {
        write_workbook(&path, &[(name, &*df)], &[], Lang::En)?;
        return Ok(path);
    }
    write_atomic(&path, |file| {
        let written = match format {
            OutputFormat::Csv => {
                neutralize_text_columns(df).and_then(|()| CsvWriter::new(file).include_header(true).finish(df))
            }
            OutputFormat::Parquet => ParquetWriter::new(file).finish(df).map(|_| ()),
            OutputFormat::Xlsx => unreachable!("written above"),
        };
        written.map_err(|e| {
            Error::data(Location { file: Some(path.display().to_string()), ..Default::default() }, e.to_string())
        })
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
