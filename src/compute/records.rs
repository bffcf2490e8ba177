//! Record tables: the files (or DataFrames) of one object type, read lazily, checked against
//! the formulas that read them before anything runs.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::catalog::formula::{ColumnUse, ObjectLevel};
use crate::error::{Error, Location, Result};

/// The records of one object type: one or many files (e.g. one per district), or a frame.
#[derive(Clone)]
pub struct RecordTable {
    /// The object type, from the finest id column present.
    pub level: ObjectLevel,
    /// Where the records come from, for messages.
    pub origin: String,
    pub(crate) frame: LazyFrame,
    pub(crate) schema: SchemaRef,
}

impl std::fmt::Debug for RecordTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RecordTable({}, {}, {} columns)", self.level, self.origin, self.schema.len())
    }
}

fn polars_error(origin: &str) -> impl Fn(PolarsError) -> Error + '_ {
    move |e| Error::data(Location { file: Some(origin.to_string()), ..Default::default() }, e.to_string())
}

fn scan(path: &Path) -> Result<LazyFrame> {
    let origin = path.display().to_string();
    // Not a FIFO or a device, which the scan would block on or read without end.
    crate::io::regular_file(path)?;
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let p = PlRefPath::from(origin.as_str());
    match extension.as_str() {
        "parquet" | "pq" => LazyFrame::scan_parquet(p, ScanArgsParquet::default()).map_err(polars_error(&origin)),
        "csv" | "txt" => LazyCsvReader::new(p)
            .with_has_header(true)
            .with_infer_schema_length(Some(10_000))
            .finish()
            .map_err(polars_error(&origin)),
        other => Err(Error::data(
            Location { file: Some(origin.clone()), ..Default::default() },
            format!("record files are .csv or .parquet, not '.{other}'"),
        )),
    }
}

/// Record files in `dir` (sorted by name), descending `depth` more levels of folders.
fn collect_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if depth > 0 {
                collect_files(&path, depth - 1, out)?;
            }
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("csv" | "parquet" | "pq")) {
            out.push(path);
        }
    }
    Ok(())
}

/// The level of a table from its id columns: the finest present.
fn level_of(schema: &Schema, origin: &str) -> Result<ObjectLevel> {
    ObjectLevel::ALL.into_iter().find(|l| schema.contains(l.id_column())).ok_or_else(|| {
        Error::data(
            Location { file: Some(origin.to_string()), ..Default::default() },
            "a record table needs the id column of its object and its parents: building_id, compound_id, \
             community_id, block_id, district_id, city_id (the finest present names the object type)",
        )
    })
}

impl RecordTable {
    /// Reads record files: every file of one table has the same object type; several files
    /// of the same type are one table (concatenated, column types widened to a common type).
    ///
    /// # Errors
    /// [`Error::Io`] for a missing file, [`Error::Data`] naming the file for an unreadable one,
    /// a table without id columns or without a `year` column, files of different object types.
    pub fn read(paths: &[PathBuf]) -> Result<RecordTable> {
        let origin = paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
        let mut frames = Vec::with_capacity(paths.len());
        let mut level = None;
        for path in paths {
            let mut lf = scan(path)?;
            let schema = lf.collect_schema().map_err(polars_error(&path.display().to_string()))?;
            let this = level_of(&schema, &path.display().to_string())?;
            if let Some(other) = level.filter(|l| *l != this) {
                return Err(Error::data(
                    Location { file: Some(path.display().to_string()), ..Default::default() },
                    format!("holds {this} records, unlike the other files of its table ({other})"),
                ));
            }
            level = Some(this);
            frames.push(lf);
        }
        let frame = if frames.len() == 1 {
            // Cannot fail: `frames` holds exactly one frame here.
            frames.pop().expect("one frame")
        } else {
            let args = UnionArgs { to_supertypes: true, ..UnionArgs::default() };
            concat(frames, args).map_err(polars_error(&origin))?
        };
        RecordTable::from_lazy(frame, origin)
    }

    /// Reads record files and folders (every `.csv` and `.parquet` file inside a folder, and
    /// one level of subfolders, e.g. `buildings/part-C01-D02.parquet`), grouped into one table
    /// per object type by their id columns, finest first.
    ///
    /// # Errors
    /// As [`RecordTable::read`]; [`Error::Data`] for a folder without record files.
    pub fn read_all(paths: &[PathBuf]) -> Result<Vec<RecordTable>> {
        let mut files = Vec::new();
        for path in paths {
            if path.is_dir() {
                let before = files.len();
                collect_files(path, 1, &mut files)?;
                if files.len() == before {
                    return Err(Error::data(
                        Location { file: Some(path.display().to_string()), ..Default::default() },
                        "the folder holds no .csv or .parquet record file",
                    ));
                }
            } else {
                files.push(path.clone());
            }
        }
        let mut by_level: std::collections::BTreeMap<ObjectLevel, Vec<PathBuf>> = Default::default();
        for file in files {
            let mut lf = scan(&file)?;
            let schema = lf.collect_schema().map_err(polars_error(&file.display().to_string()))?;
            by_level.entry(level_of(&schema, &file.display().to_string())?).or_default().push(file);
        }
        by_level.values().map(|paths| RecordTable::read(paths)).collect()
    }

    /// Records from a DataFrame (e.g. from Python).
    ///
    /// # Errors
    /// As [`RecordTable::read`].
    pub fn from_frame(df: DataFrame, origin: impl Into<String>) -> Result<RecordTable> {
        RecordTable::from_lazy(df.lazy(), origin.into())
    }

    fn from_lazy(mut frame: LazyFrame, origin: String) -> Result<RecordTable> {
        let schema = frame.collect_schema().map_err(polars_error(&origin))?;
        let level = level_of(&schema, &origin)?;
        if !schema.contains("year") {
            return Err(Error::data(
                Location { file: Some(origin), column: Some("year".into()), ..Default::default() },
                "a record table needs a 'year' column (the check-up year)",
            ));
        }
        Ok(RecordTable { level, origin, frame, schema })
    }

    /// Checks that `column` exists and can be used as `usage`.
    pub(crate) fn check_column(&self, indicator: &str, column: &str, usage: ColumnUse) -> Result<()> {
        let location = || Location {
            file: Some(self.origin.clone()),
            column: Some(column.to_string()),
            indicator: Some(indicator.to_string()),
            ..Default::default()
        };
        let Some(dtype) = self.schema.get(column) else {
            let mut known: Vec<&str> = self.schema.iter_names().map(|n| n.as_str()).collect();
            known.sort_unstable();
            return Err(Error::data(
                location(),
                format!(
                    "the formula reads column '{column}', which the {} records do not have (columns: {})",
                    self.level,
                    known.join(", ")
                ),
            ));
        };
        let ok = match usage {
            ColumnUse::Flag => dtype.is_bool() || dtype.is_integer() || dtype.is_string() || dtype.is_null(),
            ColumnUse::Number => dtype.is_primitive_numeric() || dtype.is_null(),
            ColumnUse::Text => dtype.is_string() || dtype.is_integer(),
        };
        if !ok {
            let wanted = match usage {
                ColumnUse::Flag => "a flag (boolean, 0/1 or true/false)",
                ColumnUse::Number => "numbers",
                ColumnUse::Text => "text",
            };
            return Err(Error::data(location(), format!("the formula needs {wanted}, but the column holds {dtype}")));
        }
        Ok(())
    }

    /// The polars type of a column (checked to exist).
    pub(crate) fn dtype(&self, column: &str) -> &DataType {
        // Cannot fail: callers look a column up only after checking that the schema has it.
        self.schema.get(column).expect("checked before")
    }
}
