//! `citycheck projects`: a projects table (项目生成) validated and linked to a year's ledger —
//! projects.csv, project_reserve.csv, project_implementation.csv, problem_coverage.csv and
//! gaps.csv in an output folder.

use std::path::PathBuf;
use std::process::ExitCode;

use citycheck::diagnose::TaskCatalog;
use citycheck::error::Error;
use citycheck::projects::{link, read_projects, Date, LinkOptions};
use citycheck::recheck::{read_ledger, read_ledger_year, CITY_LEVEL};
use citycheck::Catalog;

use super::Format;

/// The flags of `citycheck projects`.
#[derive(clap::Args)]
pub struct ProjectsArgs {
    /// The projects table (.csv, .parquet, .xlsx): project_id, unit, name, tasks, problems,
    /// investment, funding_source, lead_department, plan_start, plan_end, status, progress.
    #[arg(long)]
    projects: PathBuf,
    /// The ledger the projects address (ledger.csv of diagnose, or object_ledger.csv of
    /// compute); a file of several years is read at its last year (or --year).
    #[arg(long)]
    ledger: PathBuf,
    /// The ledger year, when the file holds several; required for a ledger with a header and
    /// no rows (a year without problems).
    #[arg(long)]
    year: Option<i32>,
    /// The catalogue (built-in id or TOML path): problem names may be aliases, names that are
    /// not indicators are reported, the tasks of each problem are listed.
    #[arg(long)]
    catalog: Option<String>,
    /// A task file (built-in id or TOML path): task numbers it lacks are reported.
    #[arg(long)]
    tasks: Option<String>,
    /// The reference date of progress against plan and of the overdue flag (YYYY-MM-DD).
    #[arg(long = "as-of")]
    as_of: Option<String>,
    /// Units known besides those of the ledger (a unit without problems is in no ledger);
    /// repeatable.
    #[arg(long = "unit")]
    units: Vec<String>,
    /// The level name of a diagnosis's ledger (ledger.csv has no level column).
    #[arg(long, default_value = CITY_LEVEL)]
    level: String,
    /// Output folder.
    #[arg(long, default_value = "citycheck-out")]
    out: PathBuf,
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
}

/// Reads, links and writes; prints the reserve and the gaps. Exit code 1 when problems were
/// reported.
pub fn run(args: &ProjectsArgs) -> citycheck::Result<ExitCode> {
    let as_of = args
        .as_of
        .as_deref()
        .map(|s| Date::parse(s, false).map_err(|m| Error::Spec(format!("--as-of: {m}"))))
        .transpose()?;
    let ledger = match args.year {
        Some(year) => read_ledger_year(&args.ledger, &args.level, year)?,
        // Cannot fail: read_ledger refuses a ledger of no year (an error naming the file).
        None => read_ledger(&args.ledger, &args.level)?.pop().expect("read_ledger gives at least one year or fails"),
    };
    let table = read_projects(&args.projects)?;
    let catalog = args.catalog.as_deref().map(Catalog::resolve).transpose()?;
    let tasks = args.tasks.as_deref().map(TaskCatalog::resolve).transpose()?;
    let options = LinkOptions { as_of, units: args.units.clone() };
    let linked = link(&table, &ledger, catalog.as_ref(), tasks.as_ref(), &options);
    let written = linked.write(&args.out, args.format.into())?;
    println!("unit,rank,project_id,priority,addressed,progress,planned_progress,overdue");
    let mut rows: Vec<_> = linked.projects.iter().collect();
    rows.sort_by(|a, b| a.project.unit.cmp(&b.project.unit).then(a.rank.cmp(&b.rank)));
    let number = |x: Option<f64>| x.map(|v| format!("{v:.1}")).unwrap_or_default();
    for r in rows {
        println!(
            "{},{},{},{:.2},{},{},{},{}",
            r.project.unit,
            r.rank,
            r.project.id,
            r.priority,
            r.addressed.len(),
            number(r.project.progress),
            number(r.planned_progress),
            r.overdue.map(|o| o.to_string()).unwrap_or_default()
        );
    }
    let gaps = linked.gaps();
    eprintln!(
        "ledger {} ({}): {} problem(s), {} addressed by a project, {} gap(s); {} project(s) address no recorded problem",
        ledger.year,
        ledger.source,
        linked.coverage.len(),
        linked.coverage.len() - gaps.len(),
        gaps.len(),
        linked.unlinked().count()
    );
    for (rank, gap) in gaps.iter().take(5) {
        eprintln!(
            "gap {rank}: {} {} (severity {})",
            gap.id.unit,
            gap.id.indicator,
            gap.severity.map(|s| format!("{s:.2}")).unwrap_or_else(|| "unknown".into())
        );
    }
    for issue in &linked.issues {
        eprintln!("problem: {issue}");
    }
    if as_of.is_none() {
        eprintln!("note: no --as-of given: no progress against plan and no overdue flag");
    }
    eprintln!("wrote {}", written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "));
    let fatal = linked.issues.iter().any(|i| i.is_fatal());
    Ok(if fatal { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
