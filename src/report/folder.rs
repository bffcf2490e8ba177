//! Reading a run's output folder: its tables as CSV, Parquet or the sheets of its workbook,
//! columns found by name (or by the Chinese header a workbook written with `lang = "zh"` has),
//! cells parsed with their file, row and column in every error.

use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};
use crate::io::{header_zh, neutralize_formula, WORKBOOK};
use crate::panel::{parse_value, CellRef, RawTable};

/// One table of the folder.
pub(super) struct Table {
    raw: RawTable,
    /// The file (and sheet) it was read from, for messages.
    origin: String,
    /// Read from a CSV the run wrote, whose text cells a spreadsheet would run as a formula
    /// were written with a leading `'` (`io::neutralize_formula`), taken off again here.
    csv: bool,
}

impl Table {
    fn new(raw: RawTable, csv: bool) -> Table {
        let origin = raw.origin.clone().unwrap_or_default();
        Table { raw, origin, csv }
    }

    /// The data rows.
    pub(super) fn rows(&self) -> usize {
        self.raw.rows()
    }

    /// The column `name`, or the column headed by its Chinese header.
    pub(super) fn column(&self, name: &str) -> Option<usize> {
        let zh = header_zh(name);
        self.raw.names.iter().position(|n| {
            let n = n.trim().trim_start_matches('\u{feff}');
            n == name || zh == Some(n)
        })
    }

    /// The column `name`; an error naming the file and the columns it has when it is missing.
    pub(super) fn required(&self, name: &str) -> Result<usize> {
        self.column(name).ok_or_else(|| {
            Error::data(
                Location { file: Some(self.origin.clone()), column: Some(name.to_string()), ..Default::default() },
                format!(
                    "no column '{name}' (columns: {}): written by another version of citycheck?",
                    self.raw.names.join(", ")
                ),
            )
        })
    }

    fn location(&self, c: usize, r: usize) -> Location {
        self.raw.location(Some(r), Some(self.raw.names[c].as_str()))
    }

    /// The text of a cell (trimmed; empty when the cell is empty).
    pub(super) fn text(&self, c: usize, r: usize) -> String {
        match self.raw.cell(c, r) {
            CellRef::Empty => String::new(),
            CellRef::Number(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", x as i64),
            CellRef::Number(x) => x.to_string(),
            CellRef::Text(s) if self.csv => restore(s.trim()),
            CellRef::Text(s) => s.trim().to_string(),
        }
    }

    /// A number; `None` when the cell is empty. An error naming file, row and column when it is
    /// not a number.
    pub(super) fn number(&self, c: usize, r: usize) -> Result<Option<f64>> {
        let x = parse_value(self.raw.cell(c, r)).map_err(|message| Error::data(self.location(c, r), message))?;
        Ok((!x.is_nan()).then_some(x))
    }

    /// A whole number (a year, a rank); `None` when the cell is empty.
    pub(super) fn integer(&self, c: usize, r: usize) -> Result<Option<i32>> {
        match self.number(c, r)? {
            None => Ok(None),
            Some(x) if x.fract() == 0.0 && x.abs() <= 1e9 => Ok(Some(x as i32)),
            Some(x) => Err(Error::data(self.location(c, r), format!("expected a whole number, found {x}"))),
        }
    }

    /// A year: a whole number, required.
    pub(super) fn year(&self, c: usize, r: usize) -> Result<i32> {
        self.integer(c, r)?.ok_or_else(|| Error::data(self.location(c, r), "empty year"))
    }

    /// `true` / `false` (as CSV and Parquet write them, or TRUE/FALSE and 1/0 of a workbook).
    pub(super) fn boolean(&self, c: usize, r: usize) -> Result<Option<bool>> {
        match self.raw.cell(c, r) {
            CellRef::Empty => Ok(None),
            CellRef::Number(1.0) => Ok(Some(true)),
            CellRef::Number(0.0) => Ok(Some(false)),
            CellRef::Text(s) if s.trim().eq_ignore_ascii_case("true") => Ok(Some(true)),
            CellRef::Text(s) if s.trim().eq_ignore_ascii_case("false") => Ok(Some(false)),
            CellRef::Text(s) if s.trim().is_empty() => Ok(None),
            _ => Err(Error::data(self.location(c, r), format!("expected true or false, found '{}'", self.text(c, r)))),
        }
    }
}

/// A text cell of a CSV the run wrote as it was before [`neutralize_formula`] put a `'` before
/// it: the quote is taken off exactly when neutralising the rest gives the cell back.
pub(super) fn restore(text: &str) -> String {
    match text.strip_prefix('\'') {
        Some(rest) if neutralize_formula(rest) == text => rest.to_string(),
        _ => text.to_string(),
    }
}

/// A run's output folder.
pub(super) struct Folder {
    dir: PathBuf,
    /// The sheets of the run's workbook, when the run wrote one instead of table files.
    sheets: Option<Vec<(String, RawTable)>>,
    /// The files a run being written has written so far: only those are read (an earlier
    /// run's files are still there until the run removes them, last). `None`: every file.
    written: Option<Vec<String>>,
}

impl Folder {
    /// Opens `dir`: its `scores` table (CSV or Parquet), or else its workbook; with `written`,
    /// only the files of that list (names within `dir`) are read.
    ///
    /// # Errors
    /// [`Error::Io`] when `dir` cannot be read; [`Error::Data`] naming the folder when it has
    /// no `scores` table, and the workbook when it cannot be read.
    pub(super) fn open(dir: &Path, written: Option<Vec<String>>) -> Result<Folder> {
        let meta = std::fs::metadata(dir).map_err(|e| Error::io(dir, e))?;
        let folder_error = |message: &str| {
            Error::data(Location { file: Some(dir.display().to_string()), ..Default::default() }, message)
        };
        if !meta.is_dir() {
            return Err(folder_error("not a folder: give the output folder of a run (citycheck run --out DIR)"));
        }
        let has_file = |name: &str| {
            dir.join(name).is_file() && written.as_ref().is_none_or(|files| files.iter().any(|f| f == name))
        };
        let sheets = if has_file("scores.csv") || has_file("scores.parquet") {
            None
        } else if has_file(WORKBOOK) {
            let sheets = RawTable::read_sheets(&dir.join(WORKBOOK))?;
            if !sheets.iter().any(|(name, _)| name == "scores") {
                return Err(folder_error(&format!("{WORKBOOK} has no sheet 'scores': it is not a run's workbook")));
            }
            Some(sheets)
        } else {
            return Err(folder_error(
                "no scores.csv, scores.parquet or citycheck.xlsx: not the output folder of a run (citycheck run --out \
                 DIR writes one)",
            ));
        };
        Ok(Folder { dir: dir.to_path_buf(), sheets, written })
    }

    /// Whether the folder has the file `name` (and, for a run being written, wrote it).
    fn has(&self, name: &str) -> bool {
        self.dir.join(name).is_file() && self.written.as_ref().is_none_or(|files| files.iter().any(|f| f == name))
    }

    /// The folder.
    pub(super) fn dir(&self) -> &Path {
        &self.dir
    }

    /// What the tables are read from, for messages: `name.csv`, or the workbook's sheet.
    pub(super) fn file_of(&self, name: &str) -> String {
        match &self.sheets {
            Some(_) => format!("{WORKBOOK} [{name}]"),
            None if self.has(&format!("{name}.parquet")) => format!("{name}.parquet"),
            None => format!("{name}.csv"),
        }
    }

    /// The table `name` (`scores`, `trends`, …): `name.csv`, `name.parquet` or the workbook's
    /// sheet `name`; `None` when the folder does not have it.
    pub(super) fn table(&self, name: &str) -> Result<Option<Table>> {
        if let Some(sheets) = &self.sheets {
            return Ok(sheets.iter().find(|(sheet, _)| sheet == name).map(|(_, raw)| Table::new(raw.clone(), false)));
        }
        for (ext, csv) in [("csv", true), ("parquet", false)] {
            let file = format!("{name}.{ext}");
            if self.has(&file) {
                return Ok(Some(Table::new(RawTable::read_with_header(&self.dir.join(file))?, csv)));
            }
        }
        Ok(None)
    }

    /// `run.json` as JSON: `Ok(None)` when the folder has none, an error message when it does
    /// not parse.
    pub(super) fn run_json(&self) -> std::result::Result<Option<serde_json::Value>, String> {
        let path = self.dir.join("run.json");
        if !self.has("run.json") {
            return Ok(None);
        }
        let text = crate::io::read_text(&path).map_err(|e| e.to_string())?;
        serde_json::from_str(&text).map(Some).map_err(|e| format!("{}: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::restore;

    #[test]
    fn neutralised_csv_text_is_restored_and_nothing_else_changes() {
        assert_eq!(restore("'=cmd|' /C calc'!A0"), "=cmd|' /C calc'!A0");
        assert_eq!(restore("'@SUM(A1)"), "@SUM(A1)");
        assert_eq!(restore("'-x"), "-x");
        // A quote the writer did not add stays: the rest would not have been neutralised.
        assert_eq!(restore("'-1.5"), "'-1.5");
        assert_eq!(restore("'abc"), "'abc");
        assert_eq!(restore("沈阳市"), "沈阳市");
    }
}
