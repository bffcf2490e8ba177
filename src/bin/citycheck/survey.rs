//! `citycheck survey`: score a satisfaction survey (社会满意度调查) into an output folder —
//! survey_items.csv, survey_dimensions.csv, reliability.csv, bad_answers.csv, survey.json.

use std::path::PathBuf;
use std::process::ExitCode;

use citycheck::survey::{self, ReadSpec, Responses, SurveyDefinition, SurveyOptions};
use citycheck::Error;

use super::Format;

/// The flags of `citycheck survey`.
#[derive(clap::Args)]
pub struct SurveyArgs {
    /// The survey definition (TOML): [survey], [[scales]], [[dimensions]], [[items]].
    #[arg(long)]
    definition: PathBuf,
    /// Response microdata, one row per respondent: .csv, .parquet or .xlsx.
    #[arg(long)]
    responses: PathBuf,
    /// The unit (city, district, community) column.
    #[arg(long, default_value = "unit")]
    unit_column: String,
    /// The survey year column.
    #[arg(long, default_value = "year")]
    year_column: String,
    /// Design weights (> 0); every respondent weighs 1 without.
    #[arg(long)]
    weight_column: Option<String>,
    /// Strata (e.g. districts): the standard error becomes the stratified one.
    #[arg(long)]
    strata_column: Option<String>,
    /// Level of the confidence intervals.
    #[arg(long, default_value_t = 0.95)]
    confidence: f64,
    /// A respondent's dimension score needs at least this many answered items.
    #[arg(long, default_value_t = 1)]
    min_items_answered: usize,
    /// Output folder.
    #[arg(long, default_value = "citycheck-out")]
    out: PathBuf,
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
}

/// Reads, scores and writes; prints what was read and what was left out.
pub fn run(args: &SurveyArgs) -> citycheck::Result<ExitCode> {
    let options = SurveyOptions { confidence: args.confidence, min_items_answered: args.min_items_answered };
    options.check()?;
    let definition = SurveyDefinition::load(&args.definition)?;
    let spec = ReadSpec {
        unit_column: args.unit_column.clone(),
        year_column: args.year_column.clone(),
        weight_column: args.weight_column.clone(),
        strata_column: args.strata_column.clone(),
    };
    eprintln!(
        "citycheck {}: survey {} ({} items, {} dimensions), responses {}",
        env!("CARGO_PKG_VERSION"),
        definition.id(),
        definition.items().len(),
        definition.dimensions().len(),
        args.responses.display()
    );
    let responses = Responses::read(&args.responses, &spec)?;
    let report = survey::score(&definition, &responses, &options)?;
    let paths = report.write(&args.out, args.format.into())?;

    let s = &report.summary;
    let years = match (s.years.first(), s.years.last()) {
        (Some(first), Some(last)) if first != last => format!("{first}–{last}"),
        (Some(year), _) => year.to_string(),
        _ => "no years".into(),
    };
    println!(
        "{} respondents ({} rows read, {} left out), {} units, {years}",
        s.respondents, s.rows_read, s.excluded_rows, s.units
    );
    println!("{} answers, {} missing, {} bad answers", s.answers, s.missing_answers, s.bad_answers);
    for (reason, count) in &s.bad_by_reason {
        println!("  {reason}: {count}");
    }
    if !s.ignored_columns.is_empty() {
        println!("columns no item reads: {}", s.ignored_columns.join(", "));
    }
    if let Some(year) = s.years.last() {
        print!("{}", latest_dimensions(&report, *year));
    }
    let written: Vec<String> =
        paths.iter().filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())).collect();
    eprintln!("wrote {}: {}", args.out.display(), written.join(", "));
    if s.respondents == 0 {
        return Err(Error::Spec(format!(
            "{}: no respondent could be scored; see {}",
            args.responses.display(),
            args.out.join("bad_answers.csv").display()
        )));
    }
    Ok(ExitCode::SUCCESS)
}

/// Dimension means of `year`, one line per unit: `unit  housing 71.2 ± 2.9  transport …`.
fn latest_dimensions(report: &survey::SurveyReport, year: i32) -> String {
    let mut out = format!("dimension means {year} (± half the {:.0}% interval)\n", 100.0 * report.summary.confidence);
    let mut unit: Option<&str> = None;
    for e in report.dimensions.iter().filter(|e| e.year == year) {
        if unit != Some(e.unit.as_str()) {
            if unit.is_some() {
                out.push('\n');
            }
            out.push_str(&format!("  {:<8}", e.unit));
            unit = Some(e.unit.as_str());
        }
        match (e.stats.mean, e.stats.ci_high) {
            (Some(mean), Some(high)) => out.push_str(&format!("  {} {mean:.1} ± {:.1}", e.name, high - mean)),
            (Some(mean), None) => out.push_str(&format!("  {} {mean:.1}", e.name)),
            _ => out.push_str(&format!("  {} –", e.name)),
        }
    }
    if unit.is_some() {
        out.push('\n');
    }
    out
}
