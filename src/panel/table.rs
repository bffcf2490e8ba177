//! A raw input table, whatever format it came from: named columns of cells.
//!
//! CSV, Parquet, Excel and in-memory DataFrames are all read into a [`RawTable`] first, so
//! that one piece of code ([`super::layout`]) turns any of them into a panel, with one set of
//! error messages.

use std::path::Path;

use polars::prelude::*;

use super::layout::Encoding;
use crate::error::{Error, Location, Result};

/// One cell as read, before it is interpreted (owned: spreadsheets, survey dictionaries).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Number(f64),
    Text(String),
}

/// One cell as read, borrowed from its table: reading a panel allocates nothing per cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum CellRef<'a> {
    Empty,
    Number(f64),
    Text(&'a str),
}

impl Cell {
    pub fn as_ref(&self) -> CellRef<'_> {
        match self {
            Cell::Empty => CellRef::Empty,
            Cell::Number(x) => CellRef::Number(*x),
            Cell::Text(s) => CellRef::Text(s),
        }
    }
}

/// One column as read: cells, or a polars text column read in place (CSV is read as text).
#[derive(Debug, Clone)]
pub(crate) enum RawColumn {
    Cells(Vec<Cell>),
    Text(StringChunked),
}

impl RawColumn {
    pub fn len(&self) -> usize {
        match self {
            RawColumn::Cells(cells) => cells.len(),
            RawColumn::Text(text) => text.len(),
        }
    }

    pub fn get(&self, row: usize) -> CellRef<'_> {
        match self {
            RawColumn::Cells(cells) => cells[row].as_ref(),
            RawColumn::Text(text) => text.get(row).map_or(CellRef::Empty, CellRef::Text),
        }
    }

    /// The column as owned cells (the survey reader interns them).
    pub fn into_cells(self) -> Vec<Cell> {
        match self {
            RawColumn::Cells(cells) => cells,
            RawColumn::Text(text) => {
                text.iter().map(|v| v.map_or(Cell::Empty, |s| Cell::Text(s.to_string()))).collect()
            }
        }
    }
}

/// Named columns of cells, all of the same length; `origin` names the input in messages.
#[derive(Debug, Clone)]
pub(crate) struct RawTable {
    pub origin: Option<String>,
    pub names: Vec<String>,
    pub columns: Vec<RawColumn>,
    /// The text encoding a CSV was decoded from when it was not UTF-8 (`GB18030`); `None`
    /// for UTF-8 and for binary formats.
    pub encoding: Option<&'static str>,
    /// Data rows of the file before this table's first: 0, but for the later chunks of a CSV
    /// read in chunks ([`CsvChunks`]), whose rows keep their numbers in the file.
    pub row_offset: usize,
}

impl RawTable {
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, RawColumn::len)
    }

    /// The cell of column `column`, data row `row` (0-based).
    #[inline]
    pub fn cell(&self, column: usize, row: usize) -> CellRef<'_> {
        self.columns[column].get(row)
    }

    /// The row number in the file of data row `row` (0-based) of this table: row 1 is the
    /// header, so data row i of a whole file is row i + 2.
    #[inline]
    pub fn row_number(&self, row: usize) -> usize {
        row + 2 + self.row_offset
    }

    pub fn location(&self, row: Option<usize>, column: Option<&str>) -> Location {
        Location {
            file: self.origin.clone(),
            row: row.map(|r| self.row_number(r)),
            column: column.map(str::to_string),
            ..Default::default()
        }
    }

    /// Reads a file by its extension: `.csv`, `.parquet` or `.xlsx`; a table without a header
    /// or without data rows is refused. A CSV's encoding is detected, a workbook's first sheet
    /// read.
    pub fn read(path: &Path) -> Result<RawTable> {
        RawTable::read_as(path, Encoding::Auto, None)
    }

    /// As [`RawTable::read`], a CSV decoded as `encoding` says and the workbook's sheet named
    /// `sheet` (the first when `None`).
    ///
    /// # Errors
    /// As [`RawTable::read`]; also [`Error::Data`] when the CSV is not in the encoding asked
    /// for, the workbook has no sheet of that name (the message lists its sheets), or a sheet
    /// is named for a file that is not a workbook.
    pub fn read_as(path: &Path, encoding: Encoding, sheet: Option<&str>) -> Result<RawTable> {
        let table = RawTable::read_with_header_as(path, encoding, sheet)?;
        if table.rows() == 0 {
            return Err(Error::data(table.location(None, None), "the table is empty: no header or no data rows"));
        }
        Ok(table)
    }

    /// As [`RawTable::read`], but a header without data rows is a table of no rows (a ledger of
    /// a year without problems); a file without a header is still refused.
    pub fn read_with_header(path: &Path) -> Result<RawTable> {
        RawTable::read_with_header_as(path, Encoding::Auto, None)
    }

    /// [`RawTable::read_with_header`] with the encoding and sheet of [`RawTable::read_as`].
    fn read_with_header_as(path: &Path, encoding: Encoding, sheet: Option<&str>) -> Result<RawTable> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let is_workbook = matches!(ext.as_deref(), Some("xlsx") | Some("xlsm") | Some("xls"));
        if let (Some(name), false) = (sheet, is_workbook) {
            return Err(Error::data(
                Location { file: Some(path.display().to_string()), ..Default::default() },
                format!("sheet '{name}' was asked for, but only an .xlsx workbook has sheets"),
            ));
        }
        let table = match ext.as_deref() {
            Some("csv") | Some("txt") => read_csv(path, encoding)?,
            Some("parquet") | Some("pq") => read_parquet(path)?,
            Some("xlsx") | Some("xlsm") | Some("xls") => read_xlsx(path, sheet)?,
            _ => {
                return Err(Error::data(
                    Location { file: Some(path.display().to_string()), ..Default::default() },
                    "unknown file type: expected .csv, .parquet or .xlsx",
                ))
            }
        };
        if table.names.is_empty() {
            return Err(Error::data(table.location(None, None), "the table is empty: no header"));
        }
        Ok(table)
    }

    /// Every sheet of a workbook, in order, with its name (the tables of a run's workbook).
    ///
    /// # Errors
    /// [`Error::Data`] naming the file when it is not a workbook or a sheet cannot be read.
    pub fn read_sheets(path: &Path) -> Result<Vec<(String, RawTable)>> {
        use calamine::{open_workbook_auto, Reader};
        let origin = path.display().to_string();
        let fail =
            |message: String| Error::data(Location { file: Some(origin.clone()), ..Default::default() }, message);
        crate::io::regular_file(path)?;
        let mut workbook = open_workbook_auto(path).map_err(|e| fail(e.to_string()))?;
        let mut tables = Vec::new();
        for sheet in workbook.sheet_names() {
            let range = workbook.worksheet_range(&sheet).map_err(|e| fail(e.to_string()))?;
            let table = sheet_table(&origin, &sheet, &range)?;
            tables.push((sheet, table));
        }
        Ok(tables)
    }

    /// CSV text compiled into citycheck (an embedded table), read as a CSV file is; `origin`
    /// names it in messages (`embedded:NAME`).
    pub fn from_csv_bytes(bytes: &'static [u8], origin: &str) -> Result<RawTable> {
        read_csv_bytes(bytes, origin)
    }

    /// From a polars DataFrame (e.g. from Python or another Rust crate).
    ///
    /// # Errors
    /// [`Error::Data`] naming the column for column types a panel cannot hold.
    pub fn from_dataframe(df: &DataFrame, origin: Option<String>) -> Result<RawTable> {
        let mut names = Vec::with_capacity(df.width());
        let mut columns = Vec::with_capacity(df.width());
        for column in df.columns() {
            let name = column.name().to_string();
            let series = column.as_materialized_series();
            let cells = series_cells(series).map_err(|message| {
                Error::data(
                    Location { file: origin.clone(), column: Some(name.clone()), ..Default::default() },
                    message,
                )
            })?;
            names.push(name);
            columns.push(cells);
        }
        Ok(RawTable { origin, names, columns, encoding: None, row_offset: 0 })
    }
}

fn series_cells(series: &Series) -> std::result::Result<RawColumn, String> {
    let dtype = series.dtype();
    if dtype.is_primitive_numeric() || matches!(dtype, DataType::Decimal(_, _) | DataType::Boolean) {
        let floats = series.cast(&DataType::Float64).map_err(|e| e.to_string())?;
        let ca = floats.f64().map_err(|e| e.to_string())?;
        return Ok(RawColumn::Cells(ca.iter().map(|v| v.map_or(Cell::Empty, Cell::Number)).collect()));
    }
    match dtype {
        // Kept as polars holds it (one chunk: O(1) access), read cell by cell in place.
        DataType::String => Ok(RawColumn::Text(series.str().map_err(|e| e.to_string())?.rechunk().into_owned())),
        DataType::Null => Ok(RawColumn::Cells(vec![Cell::Empty; series.len()])),
        other => Err(format!("column type {other} is not supported: use numbers or text")),
    }
}

fn polars_error(path: &Path, e: PolarsError) -> Error {
    Error::data(Location { file: Some(path.display().to_string()), ..Default::default() }, e.to_string())
}

fn read_csv(path: &Path, encoding: Encoding) -> Result<RawTable> {
    // A regular file only (a FIFO or /dev/zero is refused), read up to its size.
    let bytes = crate::io::read_data(path)?;
    if bytes.is_empty() {
        return Err(Error::data(
            Location { file: Some(path.display().to_string()), ..Default::default() },
            "the file is empty",
        ));
    }
    // Auto: UTF-8 (with or without a BOM) is read as it is; anything else is tried as GB18030,
    // the superset of GBK that Excel on Chinese Windows saves "CSV" in. An encoding given is
    // used alone.
    let utf8 = std::str::from_utf8(&bytes).map(|_| ()).map_err(|e| e.valid_up_to());
    let (text, encoding) = match (encoding, utf8) {
        (Encoding::Auto | Encoding::Utf8, Ok(())) => (bytes, None),
        (asked, utf8) => (decode_gb18030(path, &bytes, asked, utf8)?, Some("GB18030")),
    };
    // Every column as text: numbers are parsed by citycheck so that a bad cell is reported
    // with its row and column instead of turning a whole column into text or nulls.
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .into_reader_with_file_handle(std::io::Cursor::new(text))
        .finish()
        .map_err(|e| polars_error(path, e))?;
    refuse_duplicate_headers(&df, path)?;
    let mut table = RawTable::from_dataframe(&df, Some(path.display().to_string()))?;
    table.encoding = encoding;
    Ok(table)
}

/// `bytes` decoded from GB18030 into UTF-8, when `asked` is `gbk`, or `auto` and the bytes are
/// not UTF-8 (`utf8` = the offset of the first invalid byte); an `utf-8` asked for and not
/// found is refused here too. Every refusal names the file, the row and the byte.
fn decode_gb18030(path: &Path, bytes: &[u8], asked: Encoding, utf8: std::result::Result<(), usize>) -> Result<Vec<u8>> {
    let row_of = |offset: usize| 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
    let fail = |offset: usize, message: String| {
        Error::data(
            Location { file: Some(path.display().to_string()), row: Some(row_of(offset)), ..Default::default() },
            message,
        )
    };
    let byte_at = |offset: usize| bytes[offset.min(bytes.len() - 1)];
    if let (Encoding::Utf8, Err(utf8_at)) = (asked, utf8) {
        return Err(fail(
            utf8_at,
            format!(
                "the file is not UTF-8 (invalid byte 0x{:02X} at row {}, byte offset {utf8_at}), and encoding utf-8 \
                 was asked for: ask for gbk (or auto), or save it as 'CSV UTF-8'",
                byte_at(utf8_at),
                row_of(utf8_at)
            ),
        ));
    }
    if asked == Encoding::Gbk && bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(fail(
            0,
            "the file starts with a UTF-8 byte-order mark, and encoding gbk was asked for: ask for utf-8 (or auto)"
                .to_string(),
        ));
    }
    if let Some(decoded) = encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        return Ok(decoded.into_owned().into_bytes());
    }
    let gbk_at = first_malformed(bytes, encoding_rs::GB18030).unwrap_or(0);
    Err(match utf8 {
        Err(utf8_at) if asked == Encoding::Auto => fail(
            gbk_at,
            format!(
                "the file is neither UTF-8 (tried first: invalid byte 0x{:02X} at row {}, byte offset {utf8_at}) nor \
                 GB18030/GBK (tried next: invalid byte 0x{:02X} at row {}, byte offset {gbk_at}): save it as \
                 'CSV UTF-8'",
                byte_at(utf8_at),
                row_of(utf8_at),
                byte_at(gbk_at),
                row_of(gbk_at)
            ),
        ),
        _ => fail(
            gbk_at,
            format!(
                "the file is not GB18030/GBK (invalid byte 0x{:02X} at row {}, byte offset {gbk_at}), and encoding \
                 gbk was asked for: ask for utf-8 (or auto)",
                byte_at(gbk_at),
                row_of(gbk_at)
            ),
        ),
    })
}

/// The byte offset of the first malformed sequence of `bytes` in `encoding`; `None` when the
/// whole of `bytes` decodes.
fn first_malformed(bytes: &[u8], encoding: &'static encoding_rs::Encoding) -> Option<usize> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = vec![0u8; 1 << 16];
    let mut start = 0;
    loop {
        let (result, read, _) = decoder.decode_to_utf8_without_replacement(&bytes[start..], &mut out, true);
        start += read;
        match result {
            encoding_rs::DecoderResult::InputEmpty => return None,
            encoding_rs::DecoderResult::OutputFull => {}
            encoding_rs::DecoderResult::Malformed(bad, after) => {
                return Some(start.saturating_sub(usize::from(bad) + usize::from(after)));
            }
        }
    }
}

/// polars renames a repeated header `x` to `x_duplicated_0`; a repeated header is an input
/// error, not something to rename silently.
fn refuse_duplicate_headers(df: &DataFrame, path: &Path) -> Result<()> {
    if let Some(name) = df.get_column_names().iter().find(|n| n.contains("_duplicated_")) {
        let original = name.split("_duplicated_").next().unwrap_or(name.as_str());
        return Err(Error::data(
            Location {
                file: Some(path.display().to_string()),
                column: Some(original.to_string()),
                ..Default::default()
            },
            "this column header appears more than once; headers must be unique",
        ));
    }
    Ok(())
}

/// Reads CSV text held in memory (the embedded example data).
pub(crate) fn read_csv_bytes(bytes: &'static [u8], origin: &str) -> Result<RawTable> {
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .into_reader_with_file_handle(std::io::Cursor::new(bytes))
        .finish()
        .map_err(|e| Error::data(Location { file: Some(origin.to_string()), ..Default::default() }, e.to_string()))?;
    RawTable::from_dataframe(&df, Some(origin.to_string()))
}

fn read_parquet(path: &Path) -> Result<RawTable> {
    crate::io::regular_file(path)?;
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let df = ParquetReader::new(file).finish().map_err(|e| polars_error(path, e))?;
    RawTable::from_dataframe(&df, Some(path.display().to_string()))
}

fn read_xlsx(path: &Path, wanted: Option<&str>) -> Result<RawTable> {
    use calamine::{open_workbook_auto, Reader};
    let origin = path.display().to_string();
    let fail = |message: String| Error::data(Location { file: Some(origin.clone()), ..Default::default() }, message);
    crate::io::regular_file(path)?;
    let mut workbook = open_workbook_auto(path).map_err(|e| fail(e.to_string()))?;
    let names = workbook.sheet_names();
    let sheet =
        match wanted {
            None => names.first().cloned().ok_or_else(|| fail("the workbook has no sheet".into()))?,
            Some(wanted) => names.iter().find(|n| n.as_str() == wanted).cloned().ok_or_else(|| {
                fail(format!("the workbook has no sheet '{wanted}'; its sheets: {}", names.join(", ")))
            })?,
        };
    let range = workbook.worksheet_range(&sheet).map_err(|e| fail(e.to_string()))?;
    sheet_table(&origin, &sheet, &range)
}

/// One sheet as a table: the first row the header, the cells as read.
fn sheet_table(origin: &str, sheet: &str, range: &calamine::Range<calamine::Data>) -> Result<RawTable> {
    use calamine::Data;
    let mut rows = range.rows();
    let header = rows.next().ok_or_else(|| {
        Error::data(
            Location { file: Some(origin.to_string()), ..Default::default() },
            format!("sheet '{sheet}' is empty"),
        )
    })?;
    let names: Vec<String> = header
        .iter()
        .map(|c| match c {
            Data::String(s) => s.trim().to_string(),
            Data::Empty => String::new(),
            other => other.to_string(),
        })
        .collect();
    let mut columns: Vec<Vec<Cell>> = vec![Vec::new(); names.len()];
    for row in rows {
        for (j, column) in columns.iter_mut().enumerate() {
            column.push(match row.get(j) {
                None | Some(Data::Empty) => Cell::Empty,
                Some(Data::Float(x)) => Cell::Number(*x),
                Some(Data::Int(x)) => Cell::Number(*x as f64),
                Some(Data::Bool(b)) => Cell::Number(f64::from(u8::from(*b))),
                Some(Data::String(s)) => Cell::Text(s.clone()),
                Some(other) => Cell::Text(other.to_string()),
            });
        }
    }
    Ok(RawTable {
        origin: Some(format!("{origin} [{sheet}]")),
        names,
        columns: columns.into_iter().map(RawColumn::Cells).collect(),
        encoding: None,
        row_offset: 0,
    })
}

/// The size of the chunks a data CSV larger than one chunk is read in ([`CsvChunks`]): 64 MiB,
/// or `CITYCHECK_CSV_CHUNK_BYTES` (a positive number of bytes).
pub(crate) fn csv_chunk_bytes() -> usize {
    std::env::var("CITYCHECK_CSV_CHUNK_BYTES")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(64 << 20)
}

/// The end of the first line of `bytes` that ends outside quotes (the position after its
/// `\n`), scanning from a record's start: a quote opens or closes a quoted field (an escaped
/// quote `""` closes and opens again), so a line end inside quotes is part of a field.
fn line_ends(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut quoted = false;
    bytes.iter().enumerate().filter_map(move |(i, &b)| {
        if b == b'"' {
            quoted = !quoted;
        }
        (b == b'\n' && !quoted).then_some(i + 1)
    })
}

/// One chunk of a CSV read in chunks.
pub(crate) enum Chunk {
    /// The chunk's rows, with the file's header; `bytes` of the file it covers.
    Table { table: RawTable, bytes: usize },
    /// The chunk is not UTF-8: the file is read whole instead (its encoding detected there).
    NotUtf8,
}

/// A CSV file read as tables of about [`csv_chunk_bytes`] each — every one with the file's
/// header, cut after a line end outside quotes, its rows numbered as in the file — so that one
/// chunk's text and cells are in memory at a time, never the whole file's. UTF-8 only.
pub(crate) struct CsvChunks {
    path: std::path::PathBuf,
    reader: std::io::Take<std::fs::File>,
    /// The file's size when opened: reading more is an error (the file grew).
    size: u64,
    read: u64,
    chunk: usize,
    /// The header line, with its line end (and a byte-order mark, if the file has one).
    header: Vec<u8>,
    /// Bytes read and not yet handed out, from the start of a record.
    pending: Vec<u8>,
    eof: bool,
    rows_before: usize,
}

impl CsvChunks {
    /// Opens the regular file `path` to be read in chunks of `chunk` bytes; `None` when it is
    /// not larger than one chunk (it is read whole) or its header is not UTF-8.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file: not a regular file, unreadable.
    pub fn open(path: &Path, chunk: usize) -> Result<Option<CsvChunks>> {
        let size = crate::io::regular_file(path)?.len();
        if size <= chunk as u64 {
            return Ok(None);
        }
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut chunks = CsvChunks {
            path: path.to_path_buf(),
            reader: std::io::Read::take(file, size.saturating_add(1)),
            size,
            read: 0,
            chunk,
            header: Vec::new(),
            pending: Vec::new(),
            eof: false,
            rows_before: 0,
        };
        let mut target = chunk;
        let end = loop {
            chunks.fill(target)?;
            if let Some(end) = line_ends(&chunks.pending).next() {
                break end;
            }
            if chunks.eof {
                return Ok(None);
            }
            target = target.saturating_mul(2);
        };
        chunks.header = chunks.pending.drain(..end).collect();
        if std::str::from_utf8(&chunks.header).is_err() {
            return Ok(None);
        }
        Ok(Some(chunks))
    }

    /// Reads until `pending` holds `target` bytes or the file ends.
    fn fill(&mut self, target: usize) -> Result<()> {
        let mut buffer = vec![0u8; 1 << 20];
        while self.pending.len() < target && !self.eof {
            let n = std::io::Read::read(&mut self.reader, &mut buffer).map_err(|e| Error::io(&self.path, e))?;
            if n == 0 {
                self.eof = true;
            }
            self.read += n as u64;
            if self.read > self.size {
                return Err(Error::io(
                    &self.path,
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!(
                            "the file grew beyond {} while it was read: read it once it is complete",
                            crate::io::size_text(self.size)
                        ),
                    ),
                ));
            }
            self.pending.extend_from_slice(&buffer[..n]);
        }
        Ok(())
    }

    /// The next chunk; `None` after the last.
    ///
    /// # Errors
    /// [`Error::Io`] as [`CsvChunks::open`]; [`Error::Data`] naming the file (and the chunk's
    /// first row) when polars cannot parse the chunk.
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>> {
        let mut target = self.chunk;
        let end = loop {
            self.fill(target)?;
            if self.eof {
                break self.pending.len();
            }
            if let Some(end) = line_ends(&self.pending).last() {
                break end;
            }
            target = target.saturating_mul(2);
        };
        if end == 0 {
            return Ok(None);
        }
        let body: Vec<u8> = self.pending.drain(..end).collect();
        if std::str::from_utf8(&body).is_err() {
            return Ok(Some(Chunk::NotUtf8));
        }
        let mut text = Vec::with_capacity(self.header.len() + body.len());
        text.extend_from_slice(&self.header);
        text.extend_from_slice(&body);
        drop(body);
        let df = CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .into_reader_with_file_handle(std::io::Cursor::new(text))
            .finish()
            .map_err(|e| {
                Error::data(
                    Location { file: Some(self.path.display().to_string()), ..Default::default() },
                    format!("{e} (in the part of the file from row {} on)", self.rows_before + 2),
                )
            })?;
        refuse_duplicate_headers(&df, &self.path)?;
        let mut table = RawTable::from_dataframe(&df, Some(self.path.display().to_string()))?;
        table.row_offset = self.rows_before;
        self.rows_before += table.rows();
        Ok(Some(Chunk::Table { table, bytes: end }))
    }
}
