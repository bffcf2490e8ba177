//! `citycheck assess`: the annual assessment (年度考核评估) of each city's renewal work —
//! assessment.csv and the published ranking (通报) in English and Chinese, with incentive tiers
//! (以奖代补), in an output folder.

use std::path::PathBuf;
use std::process::ExitCode;

use citycheck::assess::{assess, AssessData, AssessInputs, AssessOptions, Incentive, CATALOG_ID};
use citycheck::{Catalog, Spec};

use super::Format;

/// The flags of `citycheck assess`.
#[derive(clap::Args)]
pub struct AssessArgs {
    /// recheck_summary.csv of `citycheck recheck`: rectification_rate, closure_rate.
    #[arg(long = "recheck-summary")]
    recheck_summary: Option<PathBuf>,
    /// progress.csv of `citycheck evaluate`: target_progress.
    #[arg(long)]
    progress: Option<PathBuf>,
    /// A projects table (as `citycheck projects` reads it), as FILE or YEAR=FILE (without a
    /// year: the latest year of the other tables); repeatable.
    #[arg(long = "projects", value_parser = parse_projects)]
    projects: Vec<(Option<i32>, PathBuf)>,
    /// warnings.csv of `citycheck evaluate`: red_warnings_reduced.
    #[arg(long)]
    warnings: Option<PathBuf>,
    /// survey_dimensions.csv of `citycheck survey` (or unit, year, satisfaction in [0, 1]).
    #[arg(long)]
    survey: Option<PathBuf>,
    /// The assessment catalogue (built-in id or TOML path).
    #[arg(long, default_value = CATALOG_ID)]
    catalog: String,
    /// A spec TOML file (default: the check-up default spec).
    #[arg(long)]
    spec: Option<PathBuf>,
    /// The rewarded share of each year's ranking (以奖代补), in (0, 1].
    #[arg(long = "top-share", conflicts_with = "threshold")]
    top_share: Option<f64>,
    /// Reward every unit whose score is at least this, instead of a top share.
    #[arg(long)]
    threshold: Option<f64>,
    /// The level of the re-check summary's rows.
    #[arg(long)]
    level: Option<String>,
    /// An assessed year (repeatable); default every year with a value. The values of other
    /// years are left out, with a note.
    #[arg(long = "year")]
    years: Vec<i32>,
    /// Output folder.
    #[arg(long, default_value = "citycheck-out")]
    out: PathBuf,
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
}

/// `FILE` or `YEAR=FILE`.
fn parse_projects(text: &str) -> Result<(Option<i32>, PathBuf), String> {
    if let Some((year, path)) = text.split_once('=') {
        if let Ok(year) = year.trim().parse::<i32>() {
            return Ok((Some(year), PathBuf::from(path)));
        }
    }
    Ok((None, PathBuf::from(text)))
}

/// Reads, scores and writes; prints the ranking of the last year.
pub fn run(args: &AssessArgs) -> citycheck::Result<ExitCode> {
    let inputs = AssessInputs {
        recheck_summary: args.recheck_summary.clone(),
        progress: args.progress.clone(),
        projects: args.projects.clone(),
        warnings: args.warnings.clone(),
        survey: args.survey.clone(),
        level: args.level.clone(),
    };
    let spec = match &args.spec {
        Some(path) => {
            let text = citycheck::io::read_text(path)?;
            Spec::from_toml(&text)?
        }
        None => Spec::checkup_default(),
    };
    let incentive = match (args.top_share, args.threshold) {
        (_, Some(t)) => Incentive::Threshold(t),
        (Some(s), None) => Incentive::TopShare(s),
        (None, None) => Incentive::default(),
    };
    let catalog = Catalog::resolve(&args.catalog)?;
    let mut data = AssessData::read(&inputs)?;
    data.keep_years(&args.years);
    let assessment = assess(&data, &catalog, &AssessOptions { spec, incentive })?;
    let written = assessment.write(&args.out, args.format.into())?;
    if let Some(last) = assessment.rows.iter().map(|r| r.year).max() {
        println!("year,rank,unit,score,rank_change,tier");
        for r in assessment.rows.iter().filter(|r| r.year == last && r.rank.is_some()) {
            println!(
                "{},{},{},{},{},{}",
                r.year,
                r.rank.map(|x| x.to_string()).unwrap_or_default(),
                r.unit,
                r.score.map(|s| format!("{s:.2}")).unwrap_or_default(),
                r.rank_change.map(|c| format!("{c:+}")).unwrap_or_default(),
                r.tier.map(|t| t.as_str()).unwrap_or_default()
            );
        }
    }
    eprintln!("incentive (以奖代补): {}", assessment.incentive.describe());
    for note in &assessment.notes {
        eprintln!("note: {note}");
    }
    for warning in &assessment.warnings {
        eprintln!("warning: {warning}");
    }
    eprintln!("wrote {}", written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "));
    Ok(ExitCode::SUCCESS)
}
