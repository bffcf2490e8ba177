//! `citycheck efficiency` and `citycheck malmquist`: data envelopment analysis of a plain
//! table (a row per unit, or per unit and year), written as efficiency.csv and malmquist.csv.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use citycheck::efficiency::{
    dea_observed, malmquist_dataframe, malmquist_observed, malmquist_pairs, DeaData, DeaOptions, MalmquistOptions,
    Model, Orientation,
};
use citycheck::error::Location;
use citycheck::io::{write_table, OutputFormat};
use citycheck::kernels::{from_rows, Array2};
use citycheck::panel::read_unit_rows;
use citycheck::polars::prelude::{DataFrame, PolarsError, PolarsResult};
use citycheck::{Error, Result};

/// The table both commands read: file, variables and key columns.
pub struct TableArgs {
    /// The table (CSV, Parquet or `.xlsx`).
    pub data: PathBuf,
    /// Input columns.
    pub inputs: Vec<String>,
    /// Output columns (undesirable ones included).
    pub outputs: Vec<String>,
    /// The column of unit names.
    pub unit_column: String,
    /// The column of years, when the table has one.
    pub year_column: String,
}

/// What `citycheck efficiency` was asked.
pub struct EfficiencyArgs {
    /// The table and its variables.
    pub table: TableArgs,
    /// Outputs (among `outputs`) that are undesirable: SBM only.
    pub undesirable: Vec<String>,
    /// CCR, BCC, SBM or SBM under variable returns.
    pub model: Model,
    /// The orientation (default input; SBM non-oriented).
    pub orientation: Option<Orientation>,
    /// Super-efficiency: Andersen–Petersen (ccr, bcc), Tone 2002 (sbm, sbm_vrs).
    pub super_efficiency: bool,
    /// Only this year.
    pub year: Option<i32>,
    /// The output folder.
    pub out: PathBuf,
}

/// What `citycheck malmquist` was asked.
pub struct MalmquistArgs {
    /// The table and its variables (a year column is needed).
    pub table: TableArgs,
    /// CCR (default) or BCC distances.
    pub model: Model,
    /// Input (default) or output distances.
    pub orientation: Orientation,
    /// The first year of the window (default: the table's first).
    pub from: Option<i32>,
    /// The last year of the window (default: the table's last).
    pub to: Option<i32>,
    /// The output folder.
    pub out: PathBuf,
}

fn data_error(location: Location, message: impl Into<String>) -> Error {
    Error::Data { location: Box::new(location), message: message.into() }
}

fn file_location(path: &Path) -> Location {
    Location { file: Some(path.display().to_string()), ..Default::default() }
}

/// One year's rows: unit names, inputs and outputs.
struct Year {
    units: Vec<String>,
    x: Array2<f64>,
    y: Array2<f64>,
}

impl Year {
    /// The DEA data of this year.
    fn data<'a>(&'a self, table: &'a TableArgs, undesirable: &'a [String]) -> DeaData<'a> {
        DeaData {
            units: &self.units,
            inputs: &table.inputs,
            outputs: &table.outputs,
            undesirable,
            x: self.x.view(),
            y: self.y.view(),
        }
    }
}

/// Reads the table (the library's reader: CSV, Parquet or `.xlsx`): rows grouped by year
/// (`None` without a year column).
fn read(table: &TableArgs) -> Result<BTreeMap<Option<i32>, Year>> {
    let path = &table.data;
    let columns: Vec<String> = table.inputs.iter().chain(&table.outputs).cloned().collect();
    let rows_read = read_unit_rows(path, &table.unit_column, &table.year_column, &columns)?;
    // Per year (None without a year column): unit names, input rows, output rows.
    type Rows = (Vec<String>, Vec<Vec<f64>>, Vec<Vec<f64>>);
    let mut rows: BTreeMap<Option<i32>, Rows> = BTreeMap::new();
    let m = table.inputs.len();
    for ((unit, year), mut values) in rows_read.units.into_iter().zip(rows_read.years).zip(rows_read.values) {
        // An empty value is NaN here; the library refuses it naming the unit.
        let outputs = values.split_off(m);
        let entry = rows.entry(year).or_default();
        entry.0.push(unit);
        entry.1.push(values);
        entry.2.push(outputs);
    }
    if rows.is_empty() {
        return Err(Error::NotInData(format!("no data row in {}", path.display())));
    }
    rows.into_iter()
        .map(|(y, (units, x, yv))| -> Result<(Option<i32>, Year)> {
            Ok((y, Year { units, x: from_rows(&x)?, y: from_rows(&yv)? }))
        })
        .collect()
}

fn table_error(e: PolarsError) -> Error {
    data_error(Location::default(), format!("cannot assemble the table: {e}"))
}

/// Adds `part`'s rows under `table` (the first part is the table).
fn append(table: &mut Option<DataFrame>, part: PolarsResult<DataFrame>) -> Result<()> {
    let part = part.map_err(table_error)?;
    if let Some(df) = table.as_mut() {
        df.vstack_mut(&part).map_err(table_error)?;
    } else {
        *table = Some(part);
    }
    Ok(())
}

/// The Malmquist table of the dated years: every consecutive pair, then the whole window
/// ([`malmquist_pairs`]); `None` with fewer than two years.
fn malmquist_table(
    table: &TableArgs,
    years: &BTreeMap<Option<i32>, Year>,
    options: &MalmquistOptions,
) -> Result<Option<DataFrame>> {
    let dated: BTreeMap<i32, &Year> = years.iter().filter_map(|(y, d)| y.map(|y| (y, d))).collect();
    let labels: Vec<i32> = dated.keys().copied().collect();
    let mut out = None;
    for (y0, y1) in malmquist_pairs(&labels) {
        let (a, b) = (dated[&y0].data(table, &[]), dated[&y1].data(table, &[]));
        let units = malmquist_observed(&a, &b, options, &crate::bars::observer())?;
        append(&mut out, malmquist_dataframe(y0, y1, &units))?;
    }
    Ok(out)
}

/// Runs `citycheck efficiency`; returns the files written.
pub fn run(args: &EfficiencyArgs) -> Result<Vec<PathBuf>> {
    let table = &args.table;
    let orientation =
        args.orientation.unwrap_or(if args.model.is_sbm() { Orientation::NonOriented } else { Orientation::Input });
    let options =
        DeaOptions { model: args.model, orientation, super_efficiency: args.super_efficiency, ..Default::default() };
    let all = read(table)?;
    if args.year.is_some() && all.keys().all(Option::is_none) {
        let message = format!("--year needs a year column '{}'", table.year_column);
        return Err(data_error(file_location(&table.data), message));
    }
    let years: BTreeMap<Option<i32>, Year> =
        all.into_iter().filter(|(y, _)| args.year.is_none() || *y == args.year).collect();
    if years.is_empty() {
        return Err(Error::NotInData(match args.year {
            Some(y) => format!("no row of year {y} in {}", table.data.display()),
            None => format!("no data row in {}", table.data.display()),
        }));
    }
    std::fs::create_dir_all(&args.out).map_err(|source| Error::Io { path: args.out.clone(), source })?;
    let mut out = None;
    for (year, data) in &years {
        let r = dea_observed(&data.data(table, &args.undesirable), &options, &crate::bars::observer())?;
        for w in &r.warnings {
            eprintln!("warning{}: {w}", year.map_or(String::new(), |y| format!(" ({y})")));
        }
        append(&mut out, r.to_dataframe(*year))?;
    }
    let mut out = out.ok_or_else(|| Error::NotInData("no data row".into()))?;
    let mut written = vec![write_table(&args.out, "efficiency", OutputFormat::Csv, &mut out)?];
    let dated = years.keys().filter(|y| y.is_some()).count();
    if dated >= 2 && !args.undesirable.is_empty() {
        eprintln!(
            "note: malmquist.csv not written: the Malmquist index is radial (ccr or bcc) and takes no undesirable \
             outputs; run `citycheck malmquist` without them"
        );
    } else if dated >= 2 {
        // Malmquist with the model's returns (CCR, METHODS' default; BCC when asked; SBM → CCR)
        // and the orientation asked (non-oriented SBM → input, METHODS' default).
        let model = if args.model == Model::Bcc { Model::Bcc } else { Model::Ccr };
        let orientation = if orientation == Orientation::Output { Orientation::Output } else { Orientation::Input };
        if let Some(mut m) = malmquist_table(table, &years, &MalmquistOptions { model, orientation })? {
            written.push(write_table(&args.out, "malmquist", OutputFormat::Csv, &mut m)?);
        }
    }
    Ok(written)
}

/// Runs `citycheck malmquist`; returns the file written.
pub fn run_malmquist(args: &MalmquistArgs) -> Result<Vec<PathBuf>> {
    let table = &args.table;
    if let (Some(from), Some(to)) = (args.from, args.to) {
        if from >= to {
            return Err(Error::Spec(format!("--from {from} must come before --to {to}")));
        }
    }
    let all = read(table)?;
    if all.keys().all(Option::is_none) {
        let message = format!("the Malmquist index needs a year column '{}'", table.year_column);
        return Err(data_error(file_location(&table.data), message));
    }
    let present: Vec<i32> = all.keys().flatten().copied().collect();
    for (flag, year) in [("--from", args.from), ("--to", args.to)] {
        if let Some(y) = year.filter(|y| !present.contains(y)) {
            let have = present.iter().map(i32::to_string).collect::<Vec<_>>().join(", ");
            return Err(Error::NotInData(format!(
                "{flag} {y}: no row of that year in {} (years: {have})",
                table.data.display()
            )));
        }
    }
    let from = args.from.unwrap_or(i32::MIN);
    let to = args.to.unwrap_or(i32::MAX);
    let years: BTreeMap<Option<i32>, Year> =
        all.into_iter().filter(|(y, _)| y.is_some_and(|y| (from..=to).contains(&y))).collect();
    if years.len() < 2 {
        return Err(Error::Spec(format!(
            "the Malmquist index needs two or more years in the window; {} has {}",
            table.data.display(),
            years.len()
        )));
    }
    let options = MalmquistOptions { model: args.model, orientation: args.orientation };
    std::fs::create_dir_all(&args.out).map_err(|source| Error::Io { path: args.out.clone(), source })?;
    let mut out = malmquist_table(table, &years, &options)?.ok_or_else(|| Error::NotInData("no data row".into()))?;
    Ok(vec![write_table(&args.out, "malmquist", OutputFormat::Csv, &mut out)?])
}
