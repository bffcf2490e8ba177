//! `citycheck efficiency`: data envelopment analysis of a plain CSV table (a row per unit, or
//! per unit and year), written as efficiency.csv and, with two or more years, malmquist.csv.

use std::collections::BTreeMap;
use std::path::PathBuf;

use citycheck::efficiency::{dea, malmquist, malmquist_dataframe, DeaData, DeaOptions, Model, Orientation};
use citycheck::error::Location;
use citycheck::io::{write_table, OutputFormat};
use citycheck::kernels::{from_rows, Array2};
use citycheck::panel::read_unit_rows;
use citycheck::polars::prelude::{DataFrame, PolarsError, PolarsResult};
use citycheck::{Error, Result};

/// What `citycheck efficiency` was asked.
pub struct EfficiencyArgs {
    /// The CSV table.
    pub data: PathBuf,
    /// Input columns.
    pub inputs: Vec<String>,
    /// Output columns.
    pub outputs: Vec<String>,
    /// CCR, BCC or SBM.
    pub model: Model,
    /// The orientation (default input; SBM non-oriented).
    pub orientation: Option<Orientation>,
    /// Andersen–Petersen super-efficiency.
    pub super_efficiency: bool,
    /// The column of unit names.
    pub unit_column: String,
    /// The column of years, when the table has one.
    pub year_column: String,
    /// Only this year.
    pub year: Option<i32>,
    /// The output folder.
    pub out: PathBuf,
}

fn data_error(location: Location, message: impl Into<String>) -> Error {
    Error::Data { location: Box::new(location), message: message.into() }
}

/// One year's rows: unit names, inputs and outputs.
struct Year {
    units: Vec<String>,
    x: Array2<f64>,
    y: Array2<f64>,
}

/// Reads the table (the library's reader: CSV, Parquet or `.xlsx`): rows grouped by year
/// (`None` without a year column).
fn read(args: &EfficiencyArgs) -> Result<BTreeMap<Option<i32>, Year>> {
    let path = &args.data;
    let columns: Vec<String> = args.inputs.iter().chain(&args.outputs).cloned().collect();
    let table = read_unit_rows(path, &args.unit_column, &args.year_column, &columns)?;
    if args.year.is_some() && table.years.iter().all(Option::is_none) {
        let at = Location { file: Some(path.display().to_string()), ..Default::default() };
        return Err(data_error(at, format!("--year needs a year column '{}'", args.year_column)));
    }
    // Per year (None without a year column): unit names, input rows, output rows.
    type Rows = (Vec<String>, Vec<Vec<f64>>, Vec<Vec<f64>>);
    let mut rows: BTreeMap<Option<i32>, Rows> = BTreeMap::new();
    let m = args.inputs.len();
    for ((unit, year), mut values) in table.units.into_iter().zip(table.years).zip(table.values) {
        if args.year.is_some() && year != args.year {
            continue;
        }
        // An empty value is NaN here; the library refuses it naming the unit.
        let outputs = values.split_off(m);
        let entry = rows.entry(year).or_default();
        entry.0.push(unit);
        entry.1.push(values);
        entry.2.push(outputs);
    }
    if rows.is_empty() {
        return Err(Error::NotInData(match args.year {
            Some(y) => format!("no row of year {y} in {}", path.display()),
            None => format!("no data row in {}", path.display()),
        }));
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

/// Runs the command; returns the files written.
pub fn run(args: &EfficiencyArgs) -> Result<Vec<PathBuf>> {
    let orientation = args.orientation.unwrap_or(match args.model {
        Model::Sbm => Orientation::NonOriented,
        _ => Orientation::Input,
    });
    let options =
        DeaOptions { model: args.model, orientation, super_efficiency: args.super_efficiency, ..Default::default() };
    let years = read(args)?;
    std::fs::create_dir_all(&args.out).map_err(|source| Error::Io { path: args.out.clone(), source })?;
    let mut table = None;
    for (year, data) in &years {
        let d = DeaData {
            units: &data.units,
            inputs: &args.inputs,
            outputs: &args.outputs,
            x: data.x.view(),
            y: data.y.view(),
        };
        let r = dea(&d, &options)?;
        for w in &r.warnings {
            eprintln!("warning{}: {w}", year.map_or(String::new(), |y| format!(" ({y})")));
        }
        append(&mut table, r.to_dataframe(*year))?;
    }
    let mut table = table.ok_or_else(|| Error::NotInData("no data row".into()))?;
    let mut written = vec![write_table(&args.out, "efficiency", OutputFormat::Csv, &mut table)?];
    let dated: Vec<(i32, &Year)> = years.iter().filter_map(|(y, d)| y.map(|y| (y, d))).collect();
    if dated.len() >= 2 {
        // Malmquist with the model's returns (CCR, METHODS' default; BCC when asked; SBM → CCR).
        let model = if args.model == Model::Bcc { Model::Bcc } else { Model::Ccr };
        let mut table = None;
        for pair in dated.windows(2) {
            let ((y0, a), (y1, b)) = (pair[0], pair[1]);
            let da =
                DeaData { units: &a.units, inputs: &args.inputs, outputs: &args.outputs, x: a.x.view(), y: a.y.view() };
            let db =
                DeaData { units: &b.units, inputs: &args.inputs, outputs: &args.outputs, x: b.x.view(), y: b.y.view() };
            append(&mut table, malmquist_dataframe(y0, y1, &malmquist(&da, &db, model)?))?;
        }
        if let Some(mut table) = table {
            written.push(write_table(&args.out, "malmquist", OutputFormat::Csv, &mut table)?);
        }
    }
    Ok(written)
}
