//! `citycheck recheck`: the re-check across years (复查) of the ledgers `diagnose` (or
//! `compute`) wrote — recheck.csv, recheck_summary.csv, recheck_indicators.csv (and
//! recheck_tasks.csv when tasks are known) in an output folder.

use std::path::PathBuf;
use std::process::ExitCode;

use citycheck::diagnose::TaskCatalog;
use citycheck::recheck::{read_ledger, read_ledger_year, read_observations, recheck, CITY_LEVEL};
use citycheck::Catalog;

use super::Format;

/// The flags of `citycheck recheck`.
#[derive(clap::Args)]
pub struct RecheckArgs {
    /// A ledger (ledger.csv of diagnose, or object_ledger.csv of compute), as FILE (its years
    /// from its rows) or YEAR=FILE (its rows of that year; a file with a header and no rows is
    /// the ledger of a year without problems); repeat for every year, in any order.
    #[arg(long = "ledger", required = true, value_parser = parse_ledger)]
    ledger: Vec<(Option<i32>, PathBuf)>,
    /// The values of a later year (its attainment.csv, or a long table with unit, year,
    /// indicator, value): a problem no longer listed with a value there is resolved; without
    /// one it is not assessed. Repeatable.
    #[arg(long = "attainment")]
    attainment: Vec<PathBuf>,
    /// The current catalogue (built-in id or TOML path): indicators not in it are reported and
    /// not assessed; the tasks of each indicator are listed.
    #[arg(long)]
    catalog: Option<String>,
    /// A task file (built-in id or TOML path) whose indicator lists add tasks.
    #[arg(long)]
    tasks: Option<String>,
    /// The level name of a diagnosis's ledger (ledger.csv has no level column).
    #[arg(long, default_value = CITY_LEVEL)]
    level: String,
    /// Output folder.
    #[arg(long, default_value = "citycheck-out")]
    out: PathBuf,
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
}

/// `FILE` or `YEAR=FILE`.
fn parse_ledger(text: &str) -> Result<(Option<i32>, PathBuf), String> {
    if let Some((year, path)) = text.split_once('=') {
        if let Ok(year) = year.trim().parse::<i32>() {
            return Ok((Some(year), PathBuf::from(path)));
        }
    }
    Ok((None, PathBuf::from(text)))
}

/// Reads, re-checks and writes; prints the summary. Exit code 1 when problems were reported.
pub fn run(args: &RecheckArgs) -> citycheck::Result<ExitCode> {
    let mut ledgers = Vec::new();
    for (year, path) in &args.ledger {
        match year {
            Some(year) => ledgers.push(read_ledger_year(path, &args.level, *year)?),
            None => ledgers.extend(read_ledger(path, &args.level)?),
        }
    }
    let mut observations = Vec::new();
    for path in &args.attainment {
        observations.extend(read_observations(path, &args.level)?);
    }
    let catalog = args.catalog.as_deref().map(Catalog::resolve).transpose()?;
    let tasks = args.tasks.as_deref().map(TaskCatalog::resolve).transpose()?;
    let r = recheck(&ledgers, &observations, catalog.as_ref(), tasks.as_ref())?;
    let written = r.write(&args.out, args.format.into())?;
    println!(
        "unit,level,year,carried_over,resolved,persisting,new,recurring,not_assessed,rectification_rate,closure_rate"
    );
    let rate = |x: Option<f64>| x.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_default();
    for s in &r.summary {
        let c = &s.counts;
        println!(
            "{},{},{},{},{},{},{},{},{},{},{}",
            s.unit,
            s.level,
            s.year,
            c.carried_over,
            c.resolved,
            c.persisting,
            c.new,
            c.recurring,
            c.not_assessed,
            rate(c.rectification_rate()),
            rate(c.closure_rate())
        );
    }
    for issue in &r.issues {
        eprintln!("problem: {issue}");
    }
    if args.attainment.is_empty() {
        eprintln!(
            "note: no --attainment given: a problem no longer listed has no value to show it resolved, \
             so it is not_assessed"
        );
    }
    eprintln!(
        "years {}; wrote {}",
        r.years.iter().map(i32::to_string).collect::<Vec<_>>().join(", "),
        written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    );
    Ok(if r.issues.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
