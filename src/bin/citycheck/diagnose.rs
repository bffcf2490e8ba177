//! `citycheck diagnose`: the diagnosis (诊断) of one year — attainment, obstacle degree,
//! weaknesses, coupling coordination, the problem ledger and the project reserve.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::PathBuf;

use clap::Args;

use citycheck::catalog::NodeKind;
use citycheck::diagnose::{parse_grades, DiagnoseOptions, Diagnosis, ReserveItem};
use citycheck::run::{OutputConfig, RunConfig};
use citycheck::Spec;

use super::{Format, Input, LangArg};

/// The flags of `citycheck diagnose`.
#[derive(Args)]
pub struct DiagnoseArgs {
    #[command(flatten)]
    input: Input,
    /// Year to diagnose (default: the latest year of the data).
    #[arg(long)]
    year: Option<i32>,
    /// How many of a unit's largest indicator obstacles count as problems.
    #[arg(long, default_value_t = 5)]
    top: usize,
    /// Compare units only with the units sharing this attribute (e.g. province); default: all.
    #[arg(long)]
    peers: Option<String>,
    /// Renewal-task file: a built-in id or a TOML path.
    #[arg(long, default_value = "renewal-tasks-liaoning")]
    tasks: String,
    /// Raise the severity of problems with a significant worsening trend (Mann-Kendall over
    /// the years up to the diagnosed one, α = 0.05).
    #[arg(long)]
    trends: bool,
    /// Coupling weights β of the top-level groups, in catalogue order, summing to 1 (default
    /// equal).
    #[arg(long, value_delimiter = ',')]
    beta: Option<Vec<f64>>,
    /// A custom grade scale of the coupling coordination degree, from:name,…:
    /// "0:失调,0.5:协调,0.8:优质协调" (default the ten grades of 0.1).
    #[arg(long)]
    grades: Option<String>,
    /// Wang Shujia et al.'s (2021) adjusted coupling degree in place of the classic C.
    #[arg(long)]
    adjusted: bool,
    /// A spec TOML (normalisation, scope, weights, …); default: the check-up default. The
    /// normalisation must have a bounded scale (min_max, band, goalposts, target, percentile).
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Output folder.
    #[arg(long, default_value = "citycheck-out")]
    out: PathBuf,
    /// Table format; xlsx: one workbook citycheck.xlsx with a README sheet.
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// Language of the workbook's headers (xlsx).
    #[arg(long, value_enum, default_value = "en")]
    lang: LangArg,
}

impl DiagnoseArgs {
    /// The run these flags ask for: score the data, diagnose the year, write the tables.
    pub fn config(&self) -> citycheck::Result<RunConfig> {
        let spec = match &self.spec {
            Some(path) => crate::read_spec(path)?,
            None => Spec::checkup_default(),
        };
        Ok(RunConfig {
            output: OutputConfig { dir: self.out.clone(), format: self.format.into(), lang: self.lang.into() },
            evaluate: None,
            diagnose: Some(DiagnoseOptions {
                year: self.year,
                top: self.top,
                peers: self.peers.clone(),
                tasks: self.tasks.clone(),
                trends: self.trends,
                beta: self.beta.clone(),
                grades: self.grades.as_deref().map(parse_grades).transpose()?,
                adjusted: self.adjusted,
                ..DiagnoseOptions::default()
            }),
            ..RunConfig::for_data(self.input.catalog.clone(), self.input.data_config(), spec)
        })
    }
}

/// Per unit: its top obstacles (rank ≤ top, obstacle > 0) and its first reserve task.
/// One of a unit's largest obstacles: rank, indicator, obstacle degree (%).
type TopObstacle<'a> = (u32, &'a str, f64);

/// Units listed in the terminal summary; the tables hold every unit.
const SHOWN_UNITS: usize = 30;

pub fn summary(d: &Diagnosis) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Diagnosis {}: top-{} obstacles per unit (障碍度, % of the unit's weighted shortfall)",
        d.year, d.options.top
    );
    // One pass over the obstacles (grouped by unit-year) and one over the reserve: the
    // summary stays linear however many units there are.
    let mut units: Vec<(&str, Vec<TopObstacle<'_>>)> = Vec::new();
    for o in &d.obstacles {
        if units.last().map(|(u, _)| *u) != Some(o.unit.as_str()) {
            units.push((&o.unit, Vec::new()));
        }
        if o.kind != NodeKind::Indicator {
            continue;
        }
        if let (Some(r), Some(v)) = (o.rank, o.obstacle) {
            if r as usize <= d.options.top && v > 0.0 {
                // Cannot fail: the unit of `o` was pushed at the start of this turn if it was not the last.
                units.last_mut().expect("pushed above").1.push((r, o.node.as_str(), v));
            }
        }
    }
    let first_task: HashMap<&str, &ReserveItem> =
        d.reserve.iter().filter(|r| r.rank == 1).map(|r| (r.unit.as_str(), r)).collect();
    for (unit, top) in units.iter_mut().take(SHOWN_UNITS) {
        top.sort_by_key(|&(r, _, _)| r);
        let listed: Vec<String> = top.iter().map(|(_, id, v)| format!("{id} {v:.1}")).collect();
        let mut line =
            format!("  {unit}: {}", if listed.is_empty() { "no obstacle".to_string() } else { listed.join(", ") });
        if let Some(task) = first_task.get(unit) {
            let name = task.task_name.as_deref().unwrap_or("");
            let _ = write!(line, "  → task {} {name}", task.task);
        }
        let _ = writeln!(out, "{line}");
    }
    if units.len() > SHOWN_UNITS {
        let _ = writeln!(
            out,
            "  … and {} more unit(s): obstacles.csv and reserve.csv list them all",
            units.len() - SHOWN_UNITS
        );
    }
    let _ = writeln!(
        out,
        "{} problem(s) in the ledger, {} task(s) in the reserve, {} unit(s) with coupling coordination",
        d.ledger.len(),
        d.reserve.len(),
        d.coupling.iter().filter(|c| c.d.is_some()).count()
    );
    out
}
