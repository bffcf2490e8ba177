//! The yearly batch: a run config (`citycheck run config.toml`) read, computed, scored,
//! evaluated and diagnosed, and the output folder written with stable, documented schemas.
//!
//! - [`RunConfig`]: what `citycheck run config.toml` reads: catalogue, data, spec, output.
//! - [`run`]: the whole config, into an output folder — `scores.csv`, `weights.csv`,
//!   `fitted.json`, `run.json` (or Parquet tables with `format = "parquet"`), and the tables
//!   of the evaluation, the diagnosis, the re-check, the projects, the assessment (which reads
//!   the run's own tables of the other stages), the survey and the computation when the
//!   config has them (`[efficiency]`: efficiency.csv and malmquist.csv), and the audit's tables
//!   under `audit/` with `[audit]`. Downstream scripts rely on these file and column names. With `format = "xlsx"`
//!   the tables are the sheets of one workbook, [`WORKBOOK`], after a README sheet of what
//!   `run.json` says; `fitted.json` and `run.json` are written beside it.
//!
//! The top of the library: it may use every other module, and none uses it.

mod config;
mod dea;

pub use config::{
    AssessConfig, ComputeConfig, DataConfig, EfficiencyConfig, OutputConfig, ProjectsConfig, RecheckConfig,
    ReconcileConfig, RunConfig, SurveyConfig, EMBEDDED_CONFIG,
};
pub use dea::{efficiency_of_panel, EfficiencyRun, EfficiencySummary};

use std::collections::BTreeMap;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::prelude::*;
use rayon::prelude::*;
use serde::Serialize;

use crate::assess::{assess, AssessData, AssessOptions, AssessSources, Assessment, ProjectsSource, TableSource, Tier};
use crate::audit::{
    audit as audit_scores, Audit, AuditConfig, FOLDER as AUDIT_FOLDER, SHEETS as AUDIT_SHEETS, TABLES as AUDIT_TABLES,
};
use crate::catalog::{Catalog, StatusCounts};
use crate::checkup::{Checkup, Fitted, Outcome, Scope, Spec};
use crate::compute::{compute_observed, ComputeOptions, Computed, RecordTable};
use crate::diagnose::{diagnose_with, DiagnoseOptions, Diagnosis, TaskCatalog};
use crate::error::{Error, Issue, Location, Result, Warning, WarningCode};
use crate::evaluate::{evaluate, worsening, Evaluation, EvaluationSummary, DEFAULT_ALPHA};
use crate::io::{sha256_file, sha256_hex, write_atomic, write_table, write_workbook, OutputFormat};
use crate::panel::{Panel, Source, ValidationMode};
use crate::projects::{
    embedded_projects_bytes, link, read_embedded_projects, read_projects, Date, LinkOptions, ProjectTable, Projects,
};
use crate::recheck::{observations_of, recheck, Recheck, YearLedger, CITY_LEVEL};
use crate::report::{write_for_run, Written, REPORT_FILE, REPORT_WORKBOOK};
use crate::survey::{
    combine, reconcile, score as score_survey, Reconciliation, Responses, SourceValue, SurveyDefinition, SurveyOptions,
    SurveyReport,
};
use crate::uncertainty::{analyze_observed, Uncertainty};

/// The workbook a run writes with `format = "xlsx"` (defined in [`crate::io`], where the
/// report's reader finds it too).
pub use crate::io::WORKBOOK;

/// One input file and its SHA-256.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct InputDigest {
    /// The file as read (resolved path, or `embedded:` + name for a compiled-in data set).
    pub path: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
}

impl InputDigest {
    /// An input read elsewhere (by Spark executors, say) and its digest, for [`run_computed`].
    pub fn new(path: impl Into<String>, sha256: impl Into<String>) -> InputDigest {
        InputDigest { path: path.into(), sha256: sha256.into() }
    }
}

/// Counts of what was scored.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Counts {
    /// Units (cities, districts, …) scored.
    pub units: usize,
    /// Distinct years scored.
    pub years: usize,
    /// Indicators scored (columns of the prepared data).
    pub indicators: usize,
    /// Observation rows of the panel (survey values included).
    pub observations: usize,
    /// Unit-year rows of the scores.
    pub unit_years: usize,
    /// Indicator cells filled by imputation (flagged `imputed` in the scores).
    pub imputed_cells: usize,
    /// Unit-years whose index rests on part of its weight (`coverage` < 1 in the scores): some
    /// indicator has no value, and the weights were renormalised over the others (or, under
    /// `missing = "empty"`, the index left empty).
    pub partial_unit_years: usize,
}

/// `run.json`: how the outputs were made, so that they can be regenerated and cited.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct RunReport {
    /// The citycheck version that made the outputs.
    pub citycheck_version: &'static str,
    /// The indicator catalogue (指标体系) used.
    pub catalog: CatalogRef,
    /// The spec the scores were made with (the fitted spec when scored with earlier parameters).
    pub spec: crate::checkup::Spec,
    /// Whether scores of different years are comparable (false for `year` scope).
    pub comparable_across_years: bool,
    /// Every input file with its digest: data, attributes, records, survey, fitted parameters.
    pub inputs: Vec<InputDigest>,
    /// Counts of what was scored.
    pub counts: Counts,
    /// How many of the scored indicators have each provenance status (official, confirmed,
    /// local, proposed), as the catalogue's `status` says.
    pub indicator_status: StatusCounts,
    /// What the user should know: the preparation's and the scoring's warnings (imputed
    /// cells, values beyond fitted bounds, …) and the `year` scope note.
    pub warnings: Vec<Warning>,
    /// The validation's issues (unknown indicators, duplicates, unreadable cells, …), then
    /// the computation's when the panel was computed from records.
    pub issues: Vec<Issue>,
    /// The five-year evaluation's window and counts, when the run has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<EvaluationSummary>,
    /// Cells with values from several sources: how they were resolved and how many disagree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reconciliation: Option<ReconciliationSummary>,
    /// The diagnosed year, its options and notes, when the run has a diagnosis.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<DiagnosisSummary>,
    /// The re-check's years, counts and reported problems, when the run has `[recheck]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recheck: Option<RecheckSummary>,
    /// The projects' ledger year, counts and reported problems, when the run has `[projects]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projects: Option<ProjectsSummary>,
    /// The efficiency analysis's model, years, counts and notes, when the run has `[efficiency]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub efficiency: Option<EfficiencySummary>,
    /// The audit's thresholds and counts, when the run has `[audit]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditSummary>,
    /// The annual assessment's years, counts, notes and warnings, when the run has `[assess]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assessment: Option<AssessmentSummary>,
    /// Every file the run wrote (but run.json) with its digest, in the order written: the
    /// output set of this run. Empty until the files are written.
    pub outputs: Vec<OutputDigest>,
    /// Files of an earlier run's output set (same names: scores.csv, trends.csv, …) that this
    /// run did not write and removed, so that the folder holds one run's outputs only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed_stale: Vec<String>,
    /// True in a run.json on disk: it is written last, after every other file of the run.
    pub complete: bool,
}

/// An output file of a run and its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutputDigest {
    /// The file name within the output folder.
    pub file: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
}

/// The audit part of run.json: its thresholds and what it found (the tables under `audit/`
/// have the details).
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct AuditSummary {
    /// The thresholds the audit used.
    pub config: AuditConfig,
    /// Unit-years the coverage rule would drop.
    pub dropped_units: usize,
    /// Indicator-years the coverage rule would drop.
    pub dropped_indicators: usize,
    /// Indicator-years that the outlier rule flags.
    pub outlying: usize,
    /// Correlations with a flag (collinear, negative within a group, not significant with the
    /// group).
    pub flagged_correlations: usize,
    /// Group-years whose verdict is not `coherent` (`not coherent` or `not assessed`).
    pub not_coherent: usize,
}

impl AuditSummary {
    fn of(audit: &Audit) -> AuditSummary {
        use crate::audit::CoverageKind;
        let dropped = |kind: CoverageKind| audit.coverage.iter().filter(|r| r.kind == kind && r.dropped).count();
        AuditSummary {
            config: audit.config.clone(),
            dropped_units: dropped(CoverageKind::Unit),
            dropped_indicators: dropped(CoverageKind::Indicator),
            outlying: audit.outliers.iter().filter(|r| r.outlying).count(),
            flagged_correlations: audit.correlations.iter().filter(|r| !r.flags.is_empty()).count(),
            not_coherent: audit.groups.iter().filter(|r| r.verdict != "coherent").count(),
        }
    }
}

/// The projects part of run.json.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ProjectsSummary {
    /// The ledger year the projects are linked to.
    pub year: i32,
    /// The reference date of progress against plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
    /// Rows of projects.csv.
    pub projects: usize,
    /// Problems of the ledger (rows of problem_coverage.csv).
    pub problems: usize,
    /// Problems no project addresses (rows of gaps.csv).
    pub gaps: usize,
    /// Projects that address no recorded problem.
    pub unlinked: usize,
    /// Projects past their plan_end and not completed at `as_of`.
    pub overdue: usize,
    /// What was found in the table (unknown units, tasks, problems; bad cells), with file, row
    /// and column.
    pub issues: Vec<Issue>,
}

/// The assessment part of run.json.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct AssessmentSummary {
    /// The assessment catalogue's id.
    pub catalog: String,
    /// The assessed years.
    pub years: Vec<i32>,
    /// Unit-years ranked (rows of assessment_ranking.csv).
    pub ranked: usize,
    /// Unit-years rewarded (以奖代补).
    pub rewarded: usize,
    /// The incentive rule, in words.
    pub incentive: String,
    /// What the reading noted: tables not given, years left out, the projects table's issues.
    pub notes: Vec<String>,
    /// The assessment check-up's warnings (proposed indicators, indicators without data).
    pub warnings: Vec<Warning>,
}

/// The re-check part of run.json.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct RecheckSummary {
    /// The ledger years re-checked.
    pub years: Vec<i32>,
    /// Rows of recheck.csv.
    pub rows: usize,
    /// What was found in the ledgers (indicators not in the catalogue).
    pub issues: Vec<Issue>,
}

/// The reconciliation part of run.json.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ReconciliationSummary {
    /// Which source's value a reconciled cell keeps.
    pub choice: crate::survey::SourceChoice,
    /// The tolerances of the comparison: |a − b| > abs_tol + rel_tol·|b| is flagged.
    pub tolerances: crate::survey::Tolerances,
    /// Cells (unit, year, indicator) with values from more than one source.
    pub cells: usize,
    /// Of those, cells whose sources disagree beyond the tolerances.
    pub flagged: usize,
}

/// The diagnosis part of run.json.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct DiagnosisSummary {
    /// The diagnosed year.
    pub year: i32,
    /// The `[diagnose]` options of the run.
    pub options: DiagnoseOptions,
    /// The task catalogue (renewal tasks and projects) used for the reserve.
    pub tasks: CatalogRef,
    /// Rows of the problem ledger (问题台账).
    pub problems: usize,
    /// Rows of the project reserve (项目储备库).
    pub reserve: usize,
    /// The diagnosis's run-level remarks.
    pub notes: Vec<String>,
}

/// Which catalogue file (indicator or task catalogue) a run used.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct CatalogRef {
    /// The catalogue's id.
    pub id: String,
    /// The catalogue's version, as its `[catalog]` table says.
    pub version: String,
    /// SHA-256 of the TOML text it was read from, lower-case hex.
    pub sha256: String,
    /// The formula parameters set for the run (`[compute] parameters`), name → value: the
    /// catalogue file's own values apply to the others.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, f64>,
}

/// Everything a run produced.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RunOutput {
    /// The scores and fitted parameters.
    pub outcome: Outcome,
    /// What run.json says.
    pub report: RunReport,
    /// The five-year evaluation, when the config has `[evaluate]`.
    pub evaluation: Option<Evaluation>,
    /// The diagnosis, when the config has `[diagnose]`.
    pub diagnosis: Option<Diagnosis>,
    /// The re-check across years, when the config has `[recheck]`.
    pub recheck: Option<Recheck>,
    /// The projects linked to the diagnosis ledger, when the config has `[projects]`.
    pub projects: Option<Projects>,
    /// The annual assessment, when the config has `[assess]`.
    pub assessment: Option<Assessment>,
    /// The indicators computed from records, when the run has a `[compute]` table.
    pub computed: Option<Computed>,
    /// The catalogue of the run (its fitted parameters apply to panels of it).
    pub catalog: Arc<Catalog>,
    /// The uncertainty and sensitivity analysis, when the config has `[uncertainty]`.
    pub uncertainty: Option<Uncertainty>,
    /// The statistical audit, when the config has `[audit]`.
    pub audit: Option<Audit>,
    /// The check-up report written (report.html), when the config has `[report]` enabled.
    pub report_html: Option<Written>,
    /// The survey scored, when the config has `[survey]`.
    pub survey: Option<SurveyReport>,
    /// The efficiency tables (efficiency.csv, malmquist.csv), when the config has `[efficiency]`.
    pub efficiency: Option<EfficiencyRun>,
}

/// Cells that hold values from more than one source (self-check, third party, survey) are
/// reconciled (METHODS.md §8) and resolved to one value, which the first of the cell's
/// observations carries; the others are left out of the scoring. `None` when no cell has two
/// sources.
fn reconcile_sources(
    panel: &mut Panel,
    catalog: &Catalog,
    validation: &mut crate::panel::Validation,
    config: &ReconcileConfig,
) -> Result<Option<Reconciliation>> {
    use std::collections::HashMap;
    let mut cells: HashMap<(usize, i32, usize), Vec<usize>> = HashMap::new();
    for k in (0..panel.len()).filter(|&k| validation.keep[k]) {
        let (unit, year, ind, _, source) = panel.observation(k);
        if source.is_some() {
            // Cannot fail: validation keeps only rows whose indicator it resolved in the catalogue.
            let pos = validation.resolved[ind].expect("kept rows are resolved");
            cells.entry((unit, year, pos)).or_default().push(k);
        }
    }
    type Cell = (usize, i32, usize);
    let mut shared: Vec<(&Cell, &Vec<usize>)> = cells.iter().filter(|(_, ks)| ks.len() > 1).collect();
    if shared.is_empty() {
        return Ok(None);
    }
    shared.sort();
    let mut rows = Vec::new();
    for ((unit, year, pos), ks) in &shared {
        for &k in ks.iter() {
            rows.push(SourceValue {
                unit: panel.units()[*unit].clone(),
                year: *year,
                indicator: catalog.indicators()[*pos].id.clone(),
                // Cannot fail: only observations with a source were put into `cells` above.
                source: panel.observation(k).4.expect("sourced"),
                value: panel.observation(k).3,
            });
        }
    }
    let reconciliation = reconcile(&rows, &config.tolerances, config.choice)?;
    let resolved: HashMap<(&str, i32, &str), Option<f64>> =
        reconciliation.cells.iter().map(|c| ((c.unit.as_str(), c.year, c.indicator.as_str()), c.value)).collect();
    for ((unit, year, pos), ks) in shared {
        let key = (panel.units()[*unit].as_str(), *year, catalog.indicators()[*pos].id.as_str());
        let value = resolved.get(&key).copied().flatten().unwrap_or(f64::NAN);
        panel.set_value(ks[0], value);
        for &k in &ks[1..] {
            validation.keep[k] = false;
        }
    }
    Ok(Some(reconciliation))
}

/// `combined.csv`: per unit-year the objective index, the survey score (the mean of the unit's
/// dimension scores) and objective × (1 − weight) + survey × weight; empty where either is
/// missing, with a note.
fn combined_dataframe(scores: &crate::Scores, report: &SurveyReport, weight: f64) -> Result<DataFrame> {
    use std::collections::BTreeMap;
    let mut survey: BTreeMap<(&str, i32), (f64, usize)> = BTreeMap::new();
    for e in &report.dimensions {
        if let Some(mean) = e.stats.mean {
            let entry = survey.entry((e.unit.as_str(), e.year)).or_default();
            entry.0 += mean;
            entry.1 += 1;
        }
    }
    let (mut unit, mut year, mut objective, mut subjective, mut combined, mut note) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut keys: Vec<(String, i32)> =
        (0..scores.rows()).map(|r| (scores.unit(r).to_string(), scores.year(r))).collect();
    keys.extend(survey.keys().map(|(u, y)| (u.to_string(), *y)));
    keys.sort();
    keys.dedup();
    for (u, y) in keys {
        let o = scores.get(&u, y, "index").filter(|v| !v.is_nan());
        let s = survey.get(&(u.as_str(), y)).map(|(sum, n)| sum / *n as f64);
        let c = match (o, s) {
            (Some(o), Some(s)) => Some(combine(o, s, (1.0 - weight, weight))?),
            _ => None,
        };
        note.push(match (o, s) {
            (None, _) => Some("no objective index for this unit-year"),
            (_, None) => Some("no survey score for this unit-year"),
            _ => None,
        });
        unit.push(u);
        year.push(y);
        objective.push(o);
        subjective.push(s);
        combined.push(c);
    }
    DataFrame::new_infer_height(vec![
        Column::new("unit".into(), unit),
        Column::new("year".into(), year),
        Column::new("objective".into(), objective),
        Column::new("survey".into(), subjective),
        Column::new("combined".into(), combined),
        Column::new("note".into(), note),
    ])
    .map_err(|e| Error::Spec(format!("combined: {e}")))
}

/// The panel of a `[data]` table and the digests of its files.
fn read_panel(config: &RunConfig, data: &DataConfig) -> Result<(Panel, Vec<InputDigest>)> {
    let read = crate::panel::ReadOptions { progress: config.progress.clone(), ..data.read.clone() };
    let (mut panel, digest) = match data.path.strip_prefix("embedded:") {
        Some(name) => {
            let panel = Panel::embedded(name, &read)?;
            // Cannot fail: `Panel::embedded` just read this name (an unknown one is an error).
            let bytes = Panel::embedded_bytes(name).expect("read above");
            (panel, InputDigest { path: data.path.clone(), sha256: sha256_hex(bytes) })
        }
        None => {
            let path = config.resolve(&data.path);
            let panel = Panel::read(&path, &read)?;
            (panel, InputDigest { path: path.display().to_string(), sha256: sha256_file(&path)? })
        }
    };
    let mut inputs = vec![digest];
    if let Some(attributes) = &data.attributes_path {
        let path = config.resolve(attributes);
        panel.attach_attributes(&path, data.read.unit_column.as_deref())?;
        inputs.push(InputDigest { path: path.display().to_string(), sha256: sha256_file(&path)? });
    }
    Ok((panel, inputs))
}

/// Runs a whole config: read (or compute from records), validate, score, evaluate when the config asks, and write the
/// output folder `out` (the config's own output folder when `None`).
pub fn run(config: &RunConfig, out: Option<&Path>) -> Result<RunOutput> {
    let catalog = Arc::new(config.load_catalog()?);
    let (panel, inputs, validation_mode, computed) = match (&config.data, &config.compute) {
        (Some(data), _) => {
            let (panel, inputs) = read_panel(config, data)?;
            (panel, inputs, data.validation, None)
        }
        (None, Some(c)) => {
            let paths: Vec<PathBuf> = c.records.iter().map(|p| config.resolve(p)).collect();
            let tables = RecordTable::read_all(&paths)?;
            let mut inputs = Vec::new();
            for table in &tables {
                for file in table.origin.split(", ") {
                    inputs.push(InputDigest { path: file.to_string(), sha256: sha256_file(Path::new(file))? });
                }
            }
            let options = ComputeOptions { levels: c.levels.clone(), ledger: c.ledger };
            let computed = compute_observed(&catalog, &tables, &options, &config.progress)?;
            (computed.panel(c.score_level)?, inputs, ValidationMode::Strict, Some(computed))
        }
        (None, None) => return Err(Error::Spec("a run config needs a [data] or a [compute] table".into())),
    };
    score_and_write(config, catalog, panel, inputs, validation_mode, computed, out)
}

/// Runs a config whose `[compute]` indicators were computed elsewhere — rolled up from the
/// partial sums of Spark executors (`compute::roll_up`) with the catalogue of
/// [`RunConfig::load_catalog`] — as [`run`] runs it from there on: the `score_level` rows
/// scored, every table and run.json written, the computation's issues reported. `computed`
/// has no ledger (the ledger of parts is written in parts), so no `object_ledger` is written.
/// `inputs` are the record files and their digests, as run.json lists them.
///
/// # Errors
/// [`Error::Spec`] when the config has no `[compute]` table; as [`run`] otherwise.
pub fn run_computed(
    config: &RunConfig,
    computed: Computed,
    inputs: Vec<InputDigest>,
    out: Option<&Path>,
) -> Result<RunOutput> {
    let Some(c) = &config.compute else {
        return Err(Error::Spec(
            "indicators computed elsewhere are scored by a run config with a [compute] table; this one has none".into(),
        ));
    };
    let catalog = Arc::new(config.load_catalog()?);
    let panel = computed.panel(c.score_level)?;
    score_and_write(config, catalog, panel, inputs, ValidationMode::Strict, Some(computed), out)
}

/// The run from the panel on: survey, validation, scores, evaluation, diagnosis, re-check,
/// projects, uncertainty, and the output folder.
fn score_and_write(
    config: &RunConfig,
    catalog: Arc<Catalog>,
    panel: Panel,
    inputs: Vec<InputDigest>,
    validation_mode: ValidationMode,
    computed: Option<Computed>,
    out: Option<&Path>,
) -> Result<RunOutput> {
    let mut panel = panel;
    let mut inputs = inputs;
    let survey = match &config.survey {
        None => None,
        Some(s) => {
            let (definition_path, responses_path) = (config.resolve(&s.definition), config.resolve(&s.responses));
            let definition = SurveyDefinition::load(&definition_path)?;
            let responses = Responses::read(&responses_path, &s.read)?;
            let report = score_survey(&definition, &responses, &SurveyOptions::default())?;
            for path in [&definition_path, &responses_path] {
                inputs.push(InputDigest { path: path.display().to_string(), sha256: sha256_file(path)? });
            }
            // Scores of items and dimensions that feed an indicator join the panel.
            let feeds = |id: &str, dimension: bool| -> Option<String> {
                if dimension {
                    definition.dimensions().iter().find(|d| d.id == id).and_then(|d| d.indicator.clone())
                } else {
                    definition.items().iter().find(|i| i.id == id).and_then(|i| i.indicator.clone())
                }
            };
            let rows: Vec<(String, i32, String, f64)> = report
                .items
                .iter()
                .map(|e| (e, false))
                .chain(report.dimensions.iter().map(|e| (e, true)))
                .filter_map(|(e, dim)| {
                    Some((e.unit.clone(), e.year, feeds(&e.name, dim)?, e.stats.mean.unwrap_or(f64::NAN)))
                })
                .collect();
            panel.append(
                rows.iter().map(|(u, y, i, v)| (u.as_str(), *y, i.as_str(), *v)),
                Source::Survey,
                &responses_path.display().to_string(),
            );
            Some(report)
        }
    };
    let mut validation = panel.validate(&catalog, validation_mode)?;
    let reconciliation = reconcile_sources(&mut panel, &catalog, &mut validation, &config.reconcile)?;
    // Efficiency reads the values as read (reconciled), not the prepared ones; a score it joins
    // as an indicator (`join_as`) is in the panel before the check-up prepares it.
    let efficiency = config
        .efficiency
        .as_ref()
        .map(|e| dea::run_efficiency(&mut panel, &mut validation, &catalog, e, &config.progress))
        .transpose()?;
    let (spec, fitted) = match &config.fitted {
        None => (config.spec.clone(), None),
        Some(path) => {
            let path = config.resolve(path);
            let text = crate::io::read_text(&path)?;
            let fitted = Fitted::from_json(&text)?;
            if config.spec != Spec::default() && config.spec != fitted.spec {
                return Err(Error::Mismatch(format!(
                    "the config's [spec] differs from the spec of the parameters in {}; leave [spec] out to \
                     score with the fitted one",
                    path.display()
                )));
            }
            inputs.push(InputDigest { path: path.display().to_string(), sha256: sha256_hex(text.as_bytes()) });
            (fitted.spec.clone(), Some(fitted))
        }
    };
    let checkup = Checkup::new(Arc::clone(&catalog), spec.clone())?;
    let (data, outcome) = match &fitted {
        None => checkup.run(&panel, &validation)?,
        Some(fitted) => {
            let data = checkup.prepare(&panel, &validation)?;
            let outcome = fitted.transform(&data)?;
            (data, outcome)
        }
    };
    let mut warnings = outcome.warnings.clone();
    if spec.scope == Scope::Year {
        warnings.push(Warning::new(
            WarningCode::NotComparable,
            "scope = year: parameters are fitted per year, so scores of different years are not comparable",
        ));
    }
    let evaluation = config.evaluate.as_ref().map(|options| evaluate(&data, &outcome, options)).transpose()?;
    let uncertainty = config
        .uncertainty
        .as_ref()
        .map(|u| analyze_observed(&checkup, &panel, &validation, u, &config.progress))
        .transpose()?;
    let audited = config.audit.as_ref().map(|a| audit_scores(&data, &outcome, a)).transpose()?;
    let mut diagnosis_summary = None;
    let diagnosis = match &config.diagnose {
        None => None,
        Some(options) => {
            let tasks = load_tasks(config, &options.tasks)?;
            let worsening = if options.trends || config.evaluate.is_some() {
                Some(worsening(&data, options.year, DEFAULT_ALPHA)?)
            } else {
                None
            };
            let mut d = diagnose_with(&data, &outcome, &tasks, worsening.as_ref(), options)?;
            if let Some(reconciliation) = &reconciliation {
                d.confirm(&catalog, reconciliation, config.reconcile.confirm);
            }
            diagnosis_summary = Some(DiagnosisSummary {
                year: d.year,
                options: options.clone(),
                tasks: CatalogRef {
                    id: tasks.id().to_string(),
                    version: tasks.meta().version.clone(),
                    sha256: tasks.sha256().to_string(),
                    parameters: BTreeMap::new(),
                },
                problems: d.ledger.len(),
                reserve: d.reserve.len(),
                notes: d.notes.clone(),
            });
            Some(d)
        }
    };
    let rechecked = match &config.recheck {
        None => None,
        Some(rc) => {
            let options = config.diagnose.clone().unwrap_or_default();
            let tasks = load_tasks(config, &options.tasks)?;
            let years: Vec<i32> = if rc.years.is_empty() {
                data.years().to_vec()
            } else {
                let mut years = rc.years.clone();
                years.sort_unstable();
                years.dedup();
                years
            };
            if years.len() < 2 {
                return Err(Error::Spec(format!(
                    "[recheck] needs at least two years to diagnose; the run has {}",
                    years.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
                )));
            }
            let (mut ledgers, mut observations) = (Vec::new(), Vec::new());
            for &year in &years {
                let options = DiagnoseOptions { year: Some(year), ..options.clone() };
                let trends = if options.trends || config.evaluate.is_some() {
                    Some(worsening(&data, Some(year), DEFAULT_ALPHA)?)
                } else {
                    None
                };
                let mut d = diagnose_with(&data, &outcome, &tasks, trends.as_ref(), &options)?;
                if let Some(reconciliation) = &reconciliation {
                    d.confirm(&catalog, reconciliation, config.reconcile.confirm);
                }
                ledgers.push(YearLedger::from_diagnosis(&d, &rc.level));
                observations.extend(observations_of(&data, &d, &rc.level));
            }
            Some(recheck(&ledgers, &observations, Some(catalog.as_ref()), Some(&tasks))?)
        }
    };
    let (linked, projects_input, projects_table) = match &config.projects {
        None => (None, None, None),
        Some(pc) => {
            let (table, digest) = match pc.path.strip_prefix("embedded:") {
                Some(name) => {
                    let table = read_embedded_projects(name)?;
                    // Cannot fail: `read_embedded_projects` just read this name (an unknown one is an error).
                    let bytes = embedded_projects_bytes(name).expect("read above");
                    (table, InputDigest { path: pc.path.clone(), sha256: sha256_hex(bytes) })
                }
                None => {
                    let path = config.resolve(&pc.path);
                    let table = read_projects(&path)?;
                    (table, InputDigest { path: path.display().to_string(), sha256: sha256_file(&path)? })
                }
            };
            let options = config.diagnose.clone().unwrap_or_default();
            let tasks = load_tasks(config, &options.tasks)?;
            // The run's diagnosis, or the default diagnosis (of the last year) without one.
            let ledger = match &diagnosis {
                Some(d) => YearLedger::from_diagnosis(d, CITY_LEVEL),
                None => {
                    let trends = if options.trends || config.evaluate.is_some() {
                        Some(worsening(&data, options.year, DEFAULT_ALPHA)?)
                    } else {
                        None
                    };
                    let d = diagnose_with(&data, &outcome, &tasks, trends.as_ref(), &options)?;
                    YearLedger::from_diagnosis(&d, CITY_LEVEL)
                }
            };
            let link_options = LinkOptions { as_of: pc.as_of, units: data.units().to_vec() };
            let linked = link(&table, &ledger, Some(catalog.as_ref()), Some(&tasks), &link_options);
            (Some(linked), Some(digest), Some(table))
        }
    };
    // The assessment reads the run's own tables (after the re-check and the projects).
    let (assessment, assess_inputs) = match &config.assess {
        None => (None, Vec::new()),
        Some(ac) => {
            let own = OwnTables {
                recheck: rechecked.as_ref(),
                evaluation: evaluation.as_ref(),
                projects: projects_table.as_ref().zip(linked.as_ref().map(|p| p.year)),
                survey: survey.as_ref(),
            };
            let (a, digests) = assess_run(config, ac, &own)?;
            (Some(a), digests)
        }
    };
    let mut report = RunReport {
        citycheck_version: env!("CARGO_PKG_VERSION"),
        catalog: CatalogRef {
            id: catalog.id().to_string(),
            version: catalog.meta().version.clone(),
            sha256: catalog.sha256().to_string(),
            parameters: catalog.parameter_overrides().clone(),
        },
        spec,
        comparable_across_years: outcome.spec().scope != Scope::Year,
        inputs: inputs.into_iter().chain(projects_input).chain(assess_inputs).collect(),
        counts: Counts {
            units: data.units().len(),
            years: data.years().len(),
            indicators: data.indicators(),
            observations: panel.len(),
            unit_years: data.rows(),
            imputed_cells: outcome.scores.imputed_count(),
            partial_unit_years: outcome.scores.partial_count(),
        },
        indicator_status: data.indicator_status(),
        warnings,
        issues: validation.issues.into_iter().chain(computed.iter().flat_map(|c| c.issues.iter().cloned())).collect(),
        evaluation: evaluation.as_ref().map(Evaluation::summary),
        diagnosis: diagnosis_summary,
        recheck: rechecked.as_ref().map(|r| RecheckSummary {
            years: r.years.clone(),
            rows: r.rows.len(),
            issues: r.issues.clone(),
        }),
        assessment: assessment.as_ref().map(|a| AssessmentSummary {
            catalog: a.catalog.clone(),
            years: a.rows.iter().map(|r| r.year).collect::<std::collections::BTreeSet<i32>>().into_iter().collect(),
            ranked: a.rows.iter().filter(|r| r.rank.is_some()).count(),
            rewarded: a.rows.iter().filter(|r| r.tier == Some(Tier::Reward)).count(),
            incentive: a.incentive.describe(),
            notes: a.notes.clone(),
            warnings: a.warnings.clone(),
        }),
        projects: linked.as_ref().map(|p| ProjectsSummary {
            year: p.year,
            as_of: p.as_of,
            projects: p.projects.len(),
            problems: p.coverage.len(),
            gaps: p.gaps().len(),
            unlinked: p.unlinked().count(),
            overdue: p.projects.iter().filter(|r| r.overdue == Some(true)).count(),
            issues: p.issues.clone(),
        }),
        efficiency: efficiency.as_ref().map(|e| e.summary.clone()),
        reconciliation: reconciliation.as_ref().map(|r| ReconciliationSummary {
            choice: config.reconcile.choice,
            tolerances: config.reconcile.tolerances.clone(),
            cells: r.cells.len(),
            flagged: r.flagged().count(),
        }),
        audit: audited.as_ref().map(AuditSummary::of),
        outputs: Vec::new(),
        removed_stale: Vec::new(),
        complete: false,
    };
    let target = out.map(Path::to_path_buf).unwrap_or_else(|| config.resolve(&config.output.dir.display().to_string()));
    refuse_self_overwrite(&target, &report.inputs)?;
    // Everything is written into a fresh folder beside the target and moved into place at the
    // end (`publish`): a run that fails (or is killed) midway leaves the target as it was.
    let staging = Staging::new(&target)?;
    let dir = staging.dir.clone();
    let stages = Stages {
        outcome: &outcome,
        evaluation: evaluation.as_ref(),
        diagnosis: diagnosis.as_ref(),
        survey: survey.as_ref().map(|r| (r, config.survey.as_ref().and_then(|s| s.weight))),
        reconciliation: reconciliation.as_ref(),
        computed: computed.as_ref(),
        recheck: rechecked.as_ref(),
        projects: linked.as_ref(),
        assessment: assessment.as_ref(),
        uncertainty: uncertainty.as_ref(),
        efficiency: efficiency.as_ref(),
        audit: audited.as_ref(),
    };
    let mut paths = write_run_outputs(&dir, config, &report, &stages.outputs(&dir)?)?;
    let report_html = write_report_html(config, &dir, &report, &catalog, &mut paths)?;
    seal(&staging, &mut report, &paths)?;
    let report_html = report_html.map(|w| staging.published(w));
    Ok(RunOutput {
        outcome,
        report,
        evaluation,
        diagnosis,
        recheck: rechecked,
        projects: linked,
        assessment,
        computed,
        catalog,
        uncertainty,
        audit: audited,
        report_html,
        survey,
        efficiency,
    })
}

/// One output of a run, in the order run.json lists them.
enum RunFile<'a> {
    /// A table: the file `<file>.<ext>` (in the sub-folder `folder`, if any) or, in a workbook
    /// run, the sheet `sheet`.
    Table { file: &'static str, folder: Option<&'static str>, sheet: &'static str, frame: DataFrame },
    /// A JSON file, written as a file in every format (fitted.json, survey.json).
    Json { file: &'static str, text: String },
    /// The record computation's indicators and object ledger: as files, CSV is streamed in
    /// chunks ([`Computed::write`]) so that a large ledger is never one frame in memory.
    Computed(&'a Computed),
}

impl RunFile<'_> {
    /// A table whose file and sheet have the same name, in the run's folder.
    fn table(name: &'static str, frame: DataFrame) -> RunFile<'static> {
        RunFile::Table { file: name, folder: None, sheet: name, frame }
    }
}

/// The results of a run's stages that become its outputs.
struct Stages<'a> {
    outcome: &'a Outcome,
    evaluation: Option<&'a Evaluation>,
    diagnosis: Option<&'a Diagnosis>,
    /// The survey's report and the weight of the combined score, if any.
    survey: Option<(&'a SurveyReport, Option<f64>)>,
    reconciliation: Option<&'a Reconciliation>,
    computed: Option<&'a Computed>,
    recheck: Option<&'a Recheck>,
    projects: Option<&'a Projects>,
    assessment: Option<&'a Assessment>,
    uncertainty: Option<&'a Uncertainty>,
    efficiency: Option<&'a EfficiencyRun>,
    audit: Option<&'a Audit>,
}

impl<'a> Stages<'a> {
    /// Every output of the run but run.json and the report, in order: the one list both a
    /// run writing files and a run writing one workbook use.
    fn outputs(&self, dir: &Path) -> Result<Vec<RunFile<'a>>> {
        let polars_err = |e: PolarsError| {
            Error::data(
                Location { file: Some(dir.display().to_string()), ..Default::default() },
                format!("building an output table: {e}"),
            )
        };
        let tables = |list: Vec<(&'static str, DataFrame)>| list.into_iter().map(|(n, df)| RunFile::table(n, df));
        let mut out = vec![
            RunFile::table("scores", self.outcome.scores.to_dataframe().map_err(polars_err)?),
            RunFile::table("weights", weights_dataframe(&self.outcome.fitted).map_err(polars_err)?),
            RunFile::Json { file: "fitted.json", text: self.outcome.fitted.to_json() },
        ];
        if let Some(e) = self.evaluation {
            out.push(RunFile::table("trends", e.trends_dataframe().map_err(polars_err)?));
            out.push(RunFile::table("progress", e.progress_dataframe().map_err(polars_err)?));
            out.push(RunFile::table("warnings", e.warnings_dataframe().map_err(polars_err)?));
        }
        if let Some(d) = self.diagnosis {
            out.extend(tables(d.tables().map_err(polars_err)?));
        }
        if let Some((report, weight)) = self.survey {
            out.extend(tables(report.tables().map_err(polars_err)?));
            out.push(RunFile::Json { file: "survey.json", text: report.summary_json() });
            if let Some(weight) = weight {
                out.push(RunFile::table("combined", combined_dataframe(&self.outcome.scores, report, weight)?));
            }
        }
        if let Some(r) = self.reconciliation {
            out.push(RunFile::table("reconciliation", r.to_dataframe().map_err(polars_err)?));
        }
        if let Some(c) = self.computed {
            out.push(RunFile::Computed(c));
        }
        if let Some(r) = self.recheck {
            out.extend(tables(r.tables().map_err(polars_err)?));
        }
        if let Some(p) = self.projects {
            out.extend(tables(p.tables().map_err(polars_err)?));
        }
        if let Some(a) = self.assessment {
            out.extend(tables(a.tables().map_err(polars_err)?));
        }
        if let Some(u) = self.uncertainty {
            out.push(RunFile::table("uncertainty", u.to_dataframe().map_err(polars_err)?));
            out.push(RunFile::table("sensitivity", u.sensitivity_dataframe().map_err(polars_err)?));
        }
        if let Some(e) = self.efficiency {
            out.push(RunFile::table("efficiency", e.efficiency.clone()));
            if let Some(m) = &e.malmquist {
                out.push(RunFile::table("malmquist", m.clone()));
            }
        }
        if let Some(a) = self.audit {
            let frames = a.tables().map_err(polars_err)?;
            for ((file, frame), sheet) in frames.into_iter().zip(AUDIT_SHEETS) {
                out.push(RunFile::Table { file, folder: Some(AUDIT_FOLDER), sheet, frame });
            }
        }
        Ok(out)
    }
}

/// Writes a run's outputs into `dir` in the config's format: a file per table (in parallel),
/// or one workbook [`WORKBOOK`] of every table after a README sheet of `report`, the JSON files
/// staying files. Returns the paths in the order of `outputs` (the workbook after the JSON files).
fn write_run_outputs(
    dir: &Path,
    config: &RunConfig,
    report: &RunReport,
    outputs: &[RunFile<'_>],
) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let format = config.output.format;
    let write_json = |file: &str, text: &str| -> Result<PathBuf> {
        let path = dir.join(file);
        write_atomic(&path, |f| f.write_all(text.as_bytes()).map_err(|e| Error::io(&path, e)))?;
        Ok(path)
    };
    if format == OutputFormat::Xlsx {
        let mut paths = Vec::new();
        // The record computation's sheets, built here (as files they are streamed), one list
        // per output so that each lands at its own place among the sheets.
        let mut computed: Vec<Vec<(&str, DataFrame)>> = Vec::with_capacity(outputs.len());
        for output in outputs {
            let mut frames = Vec::new();
            match output {
                RunFile::Json { file, text } => paths.push(write_json(file, text)?),
                RunFile::Computed(c) => {
                    frames.push(("indicators", c.indicators()?));
                    if let Some(ledger) = c.ledger()? {
                        frames.push(("object_ledger", ledger));
                    }
                }
                RunFile::Table { .. } => {}
            }
            computed.push(frames);
        }
        let mut sheets: Vec<(&str, &DataFrame)> = Vec::new();
        for (output, frames) in outputs.iter().zip(&computed) {
            if let RunFile::Table { sheet, frame, .. } = output {
                sheets.push((sheet, frame));
            }
            sheets.extend(frames.iter().map(|(name, df)| (*name, df)));
        }
        let workbook = dir.join(WORKBOOK);
        write_workbook(&workbook, &sheets, &readme(report), config.output.lang)?;
        paths.push(workbook);
        return Ok(paths);
    }
    let written: Vec<Vec<PathBuf>> = outputs
        .par_iter()
        .map(|output| match output {
            RunFile::Table { file, folder, frame, .. } => {
                let at = folder.map_or_else(|| dir.to_path_buf(), |f| dir.join(f));
                fs::create_dir_all(&at).map_err(|e| Error::io(&at, e))?;
                Ok(vec![write_table(&at, file, format, &mut frame.clone())?])
            }
            RunFile::Json { file, text } => Ok(vec![write_json(file, text)?]),
            RunFile::Computed(c) => c.write(dir, format, "object_ledger"),
        })
        .collect::<Result<_>>()?;
    Ok(written.into_iter().flatten().collect())
}

/// Writes report.html and report.xlsx when the config has `[report]` enabled: from the tables
/// the run has just written (`paths`, to which both are added) and what run.json will say.
fn write_report_html(
    config: &RunConfig,
    dir: &Path,
    report: &RunReport,
    catalog: &Arc<Catalog>,
    paths: &mut Vec<PathBuf>,
) -> Result<Option<Written>> {
    let Some(settings) = config.report.as_ref().filter(|r| r.enabled) else { return Ok(None) };
    let run = serde_json::to_value(report).expect("the report always serialises");
    let written = write_for_run(dir, run, Arc::clone(catalog), settings, paths, &config.progress)?;
    paths.push(written.path.clone());
    paths.extend(written.workbook.clone());
    Ok(Some(written))
}

/// The tables of a run that its assessment reads: the re-check's summary, the evaluation's
/// progress and warnings, the projects table with its ledger year, the survey's dimensions.
struct OwnTables<'a> {
    recheck: Option<&'a Recheck>,
    evaluation: Option<&'a Evaluation>,
    projects: Option<(&'a ProjectTable, i32)>,
    survey: Option<&'a SurveyReport>,
}

/// A file given in `[assess]`, else the run's own table, else none.
fn table_source<'a>(file: Option<&'a Path>, own: Option<&'a DataFrame>, origin: &'a str) -> Option<TableSource<'a>> {
    match (file, own) {
        (Some(path), _) => Some(TableSource::File(path)),
        (None, Some(frame)) => Some(TableSource::Frame { frame, origin }),
        (None, None) => None,
    }
}

/// The annual assessment of `[assess]`: the files it names (relative to the config), else the
/// run's own tables, read as the files would be; returns it with the digests of the files read.
fn assess_run(config: &RunConfig, ac: &AssessConfig, own: &OwnTables<'_>) -> Result<(Assessment, Vec<InputDigest>)> {
    let frame_error = |what: &str, e: PolarsError| Error::Spec(format!("[assess]: the run's {what} table: {e}"));
    let summary =
        own.recheck.map(Recheck::summary_dataframe).transpose().map_err(|e| frame_error("recheck_summary", e))?;
    let progress =
        own.evaluation.map(Evaluation::progress_dataframe).transpose().map_err(|e| frame_error("progress", e))?;
    let warnings =
        own.evaluation.map(Evaluation::warnings_dataframe).transpose().map_err(|e| frame_error("warnings", e))?;
    let dimensions = own
        .survey
        .map(SurveyReport::dimensions_dataframe)
        .transpose()
        .map_err(|e| frame_error("survey_dimensions", e))?;
    let resolve = |p: &Option<String>| p.as_deref().map(|p| config.resolve(p));
    let (summary_file, progress_file, warnings_file, survey_file) =
        (resolve(&ac.recheck_summary), resolve(&ac.progress), resolve(&ac.warnings), resolve(&ac.survey));
    let project_files: Vec<(Option<i32>, PathBuf)> =
        ac.projects_files().into_iter().map(|(year, path)| (year, config.resolve(path))).collect();
    let projects: Vec<(Option<i32>, ProjectsSource<'_>)> = if project_files.is_empty() {
        own.projects.map(|(table, year)| (Some(year), ProjectsSource::Table(table))).into_iter().collect()
    } else {
        project_files.iter().map(|(year, path)| (*year, ProjectsSource::File(path.as_path()))).collect()
    };
    let sources = AssessSources {
        recheck_summary: table_source(summary_file.as_deref(), summary.as_ref(), "recheck_summary of this run"),
        progress: table_source(progress_file.as_deref(), progress.as_ref(), "progress of this run"),
        projects,
        warnings: table_source(warnings_file.as_deref(), warnings.as_ref(), "warnings of this run"),
        survey: table_source(survey_file.as_deref(), dimensions.as_ref(), "survey_dimensions of this run"),
        level: ac.level.as_deref(),
    };
    let mut data = AssessData::from_sources(&sources)?;
    data.keep_years(&ac.years);
    let mut digests = Vec::new();
    let files = [&summary_file, &progress_file, &warnings_file, &survey_file];
    for path in files.into_iter().flatten().chain(project_files.iter().map(|(_, p)| p)) {
        digests.push(InputDigest { path: path.display().to_string(), sha256: sha256_file(path)? });
    }
    let spec = match &ac.spec {
        None => Spec::checkup_default(),
        Some(p) => {
            let path = config.resolve(p);
            let text = crate::io::read_text(&path)?;
            digests.push(InputDigest { path: path.display().to_string(), sha256: sha256_hex(text.as_bytes()) });
            Spec::from_toml(&text).map_err(|e| match e {
                Error::Spec(m) => Error::Spec(format!("{}: {m}", path.display())),
                other => other,
            })?
        }
    };
    let catalog = if Catalog::builtin_ids().any(|id| id == ac.catalog) {
        Catalog::builtin(&ac.catalog)?
    } else if Catalog::looks_like_id(&ac.catalog) && !config.resolve(&ac.catalog).exists() {
        // A misspelt built-in id: the built-in ids, not "no such file".
        return Err(Catalog::unknown_builtin(&ac.catalog, true));
    } else {
        let path = config.resolve(&ac.catalog);
        digests.push(InputDigest { path: path.display().to_string(), sha256: sha256_file(&path)? });
        Catalog::load(&path)?
    };
    let assessment = assess(&data, &catalog, &AssessOptions { spec, incentive: ac.incentive()? })?;
    Ok((assessment, digests))
}

/// Ends a run's output: the digest of every file written (in the staging folder), the
/// list of an earlier run's files in the target that this run did not write, run.json with
/// `complete: true`, then the whole set moved into the target ([`Staging::publish`]).
fn seal(staging: &Staging, report: &mut RunReport, paths: &[PathBuf]) -> Result<()> {
    let dir = staging.dir.as_path();
    for path in paths {
        // Relative to the folder: `audit/coverage.csv` for the audit's tables.
        let file = match path.strip_prefix(dir) {
            Ok(relative) if !relative.as_os_str().is_empty() => relative.to_string_lossy().replace('\\', "/"),
            _ => path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        };
        report.outputs.push(OutputDigest { file, sha256: sha256_file(path)? });
    }
    report.removed_stale =
        if staging.target.is_dir() { stale_outputs(&staging.target, &report.outputs)? } else { Vec::new() };
    report.complete = true;
    write_run_json(dir, report)?;
    staging.publish(&report.outputs, &report.removed_stale)
}

/// The folder a run writes into before its outputs are moved into the target: a fresh folder
/// `.<name>.tmp-<process id>-<n>` beside the target (same parent, so same file system, and
/// every move a rename), or inside an existing target whose parent cannot be written. Dropped
/// before [`Staging::publish`] (a failed run), it is removed with everything in it: the
/// target is left as it was. A run killed outright (no Drop) leaves its staging folder, which
/// the next run into the same target removes ([`Staging::remove_abandoned`]).
struct Staging {
    /// Where the run's files are written.
    dir: PathBuf,
    /// The output folder, as given.
    target: PathBuf,
}

/// Staging folders made by this process, numbered so that runs on several threads never share one.
static STAGING_COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl Staging {
    /// Creates the staging folder of the output folder `target`.
    fn new(target: &Path) -> Result<Staging> {
        let exists = fs::symlink_metadata(target).is_ok();
        if exists && !target.is_dir() {
            return Err(Error::io(target, std::io::Error::other("the output folder is a file, not a folder")));
        }
        let resolved =
            if exists { target.canonicalize().map_err(|e| Error::io(target, e))? } else { target.to_path_buf() };
        let (Some(parent), Some(name)) = (resolved.parent(), resolved.file_name()) else {
            return Err(Error::Spec(format!(
                "the output folder {} has no name of its own: write to a named folder (--out)",
                target.display()
            )));
        };
        let parent = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        // Staging folders of runs that were killed (SIGKILL, a power cut: no Drop ran).
        Self::remove_abandoned(parent, &name.to_string_lossy());
        if exists {
            Self::remove_abandoned(&resolved, &name.to_string_lossy());
        }
        let n = STAGING_COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let folder = format!(".{}.tmp-{}-{n}", name.to_string_lossy(), std::process::id());
        let beside = parent.join(&folder);
        let dir = match Self::fresh(&beside) {
            Ok(()) => beside,
            // A read-only parent: an existing target holds the staging folder itself.
            Err(e) if exists => {
                let inside = resolved.join(&folder);
                Self::fresh(&inside).map_err(|_| e)?;
                inside
            }
            Err(e) => return Err(e),
        };
        Ok(Staging { dir, target: target.to_path_buf() })
    }

    /// Removes from `folder` the staging folders `.<name>.tmp-<process id>-<n>` of the target
    /// `name` left by runs that were killed before they could clean up: those of a process that
    /// is no longer running (or, where that cannot be asked, older than a day). The staging
    /// folders of this process and of live runs are left alone; a folder that cannot be removed
    /// is left too (it is never read: a run only reads its own staging folder).
    fn remove_abandoned(folder: &Path, name: &str) {
        let prefix = format!(".{name}.tmp-");
        let Ok(entries) = fs::read_dir(folder) else { return };
        for entry in entries.flatten() {
            let file_name = entry.file_name();
            let Some(pid) = file_name
                .to_str()
                .and_then(|n| n.strip_prefix(&prefix))
                .and_then(|rest| rest.split_once('-'))
                .and_then(|(pid, _)| pid.parse::<u32>().ok())
            else {
                continue;
            };
            // A folder of its own (not a symlink, not a file of that name).
            if pid == std::process::id() || !entry.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let path = entry.path();
            if staging_abandoned(&path, pid) {
                let _ = fs::remove_dir_all(&path);
            }
        }
    }

    /// Creates `dir` empty, removing a leftover of a killed run with the same process id.
    fn fresh(dir: &Path) -> Result<()> {
        if fs::symlink_metadata(dir).is_ok() {
            // Removes a symlink itself, never what it points to.
            fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        fs::create_dir(dir).map_err(|e| Error::io(dir, e))
    }

    /// Moves the run's files into the target. A target that does not exist is the staging
    /// folder renamed. Into an existing one: first a check that nothing stands in the way (a
    /// folder where an output file goes), before anything changes; then its old run.json is
    /// removed (a folder without run.json is incomplete), each file of `outputs` renamed into
    /// place, the `stale` files of an earlier run removed, and run.json renamed in last.
    fn publish(&self, outputs: &[OutputDigest], stale: &[String]) -> Result<()> {
        if fs::symlink_metadata(&self.target).is_err() {
            return fs::rename(&self.dir, &self.target).map_err(|e| Error::io(&self.target, e));
        }
        let files: Vec<&str> = outputs.iter().map(|o| o.file.as_str()).chain(["run.json"]).collect();
        for file in &files {
            let to = self.target.join(file);
            if fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
                return Err(Error::io(
                    &to,
                    std::io::Error::other(
                        "a folder stands where this run writes a file; the output folder is unchanged",
                    ),
                ));
            }
            if let Some(sub) = Path::new(file).parent().filter(|p| !p.as_os_str().is_empty()) {
                let sub = self.target.join(sub);
                if fs::symlink_metadata(&sub).is_ok_and(|m| !m.is_dir()) {
                    return Err(Error::io(
                        &sub,
                        std::io::Error::other(
                            "a file or a symlink stands where this run writes a folder; the output folder is unchanged",
                        ),
                    ));
                }
            }
        }
        let run_json = self.target.join("run.json");
        if fs::symlink_metadata(&run_json).is_ok() {
            fs::remove_file(&run_json).map_err(|e| Error::io(&run_json, e))?;
        }
        for file in &files[..files.len() - 1] {
            let (from, to) = (self.dir.join(file), self.target.join(file));
            if let Some(sub) = to.parent() {
                fs::create_dir_all(sub).map_err(|e| Error::io(sub, e))?;
            }
            fs::rename(&from, &to).map_err(|e| Error::io(&to, e))?;
        }
        for file in stale {
            let path = self.target.join(file);
            fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        }
        fs::rename(self.dir.join("run.json"), &run_json).map_err(|e| Error::io(&run_json, e))
    }

    /// `path` in the target instead of the staging folder.
    fn moved(&self, path: PathBuf) -> PathBuf {
        match path.strip_prefix(&self.dir) {
            Ok(relative) => self.target.join(relative),
            Err(_) => path,
        }
    }

    /// `written` (report.html and its workbook) with its paths in the target.
    fn published(&self, mut written: Written) -> Written {
        written.path = self.moved(written.path);
        written.workbook = written.workbook.map(|w| self.moved(w));
        written
    }
}

/// Whether the staging folder `path` of process `pid` was left by a run that ended without
/// cleaning up: on Linux, no process `pid` is running (`/proc/<pid>` is absent); elsewhere,
/// the folder was last changed more than a day ago (a run writes into it until it ends).
fn staging_abandoned(path: &Path, pid: u32) -> bool {
    if cfg!(target_os = "linux") && Path::new("/proc/self").exists() {
        return !Path::new("/proc").join(pid.to_string()).exists();
    }
    const DAY: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);
    fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|modified| modified.elapsed().ok())
        .is_some_and(|age| age > DAY)
}

impl Drop for Staging {
    fn drop(&mut self) {
        // After a publish there is nothing left (renamed away, or emptied of files).
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// The task file a `[diagnose]` names: a built-in id or a path relative to the config.
fn load_tasks(config: &RunConfig, tasks: &str) -> Result<TaskCatalog> {
    if TaskCatalog::builtin_ids().any(|id| id == tasks) {
        TaskCatalog::builtin(tasks)
    } else {
        TaskCatalog::load(config.resolve(tasks))
    }
}

/// `weights.csv`: year (null when fitted on the whole panel), node, parent, weight (within its
/// parent), global_weight.
pub fn weights_dataframe(fitted: &Fitted) -> PolarsResult<DataFrame> {
    let mut year = Vec::new();
    let mut node = Vec::new();
    let mut parent = Vec::new();
    let mut weight = Vec::new();
    let mut global = Vec::new();
    for set in &fitted.sets {
        for w in &set.weights {
            year.push(set.year);
            node.push(w.node.as_str());
            parent.push(w.parent.as_str());
            weight.push(w.weight);
            global.push(w.global_weight);
        }
    }
    DataFrame::new_infer_height(vec![
        Column::new("year".into(), year),
        Column::new("node".into(), node),
        Column::new("parent".into(), parent),
        Column::new("weight".into(), weight),
        Column::new("global_weight".into(), global),
    ])
}

/// The tables a run may write (each as `.csv` or `.parquet`).
const OUTPUT_TABLES: &[&str] = &[
    "scores",
    "weights",
    "trends",
    "progress",
    "warnings",
    "attainment",
    "attainment_rates",
    "obstacles",
    "weaknesses",
    "coupling",
    "ledger",
    "reserve",
    "survey_items",
    "survey_dimensions",
    "reliability",
    "bad_answers",
    "combined",
    "reconciliation",
    "indicators",
    "object_ledger",
    "recheck",
    "recheck_summary",
    "recheck_indicators",
    "recheck_tasks",
    "projects",
    "problem_coverage",
    "gaps",
    "project_reserve",
    "project_implementation",
    "assessment",
    "assessment_ranking",
    "assessment_ranking_zh",
    "uncertainty",
    "sensitivity",
    "efficiency",
    "malmquist",
];

/// The JSON files a run may write.
const OUTPUT_JSON: &[&str] = &["fitted.json", "run.json", "survey.json"];

/// Refuses an output folder holding an input of the same run under a name the run writes
/// (`--data OUT/scores.csv --out OUT`, `--fitted OUT/fitted.json --out OUT`): the run would
/// overwrite its own input.
fn refuse_self_overwrite(dir: &Path, inputs: &[InputDigest]) -> Result<()> {
    // A folder that does not exist yet holds no input.
    let Ok(out) = dir.canonicalize() else { return Ok(()) };
    for input in inputs {
        let Ok(path) = Path::new(&input.path).canonicalize() else { continue };
        if path.parent() != Some(out.as_path()) {
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let is_output = OUTPUT_JSON.contains(&name)
            || OUTPUT_TABLES.iter().any(|t| name == format!("{t}.csv") || name == format!("{t}.parquet"));
        if is_output {
            return Err(Error::Spec(format!(
                "the output folder {} holds '{name}', an input of this run that the run would overwrite: \
                 write to another folder (--out) or move the input",
                dir.display()
            )));
        }
    }
    Ok(())
}

/// The files of `dir` that belong to a run's output set (by name: [`OUTPUT_TABLES`] as CSV or
/// Parquet, [`OUTPUT_JSON`], and the audit's tables in `audit/`) but are not among `written`:
/// leftovers of an earlier run (a trends.csv beside fresh scores), which the run removes
/// ([`Staging::publish`]). run.json is rewritten, not removed. Returns their names (`audit/…`
/// for the audit's), sorted.
fn stale_outputs(dir: &Path, written: &[OutputDigest]) -> Result<Vec<String>> {
    let mut stale = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let in_set = OUTPUT_JSON.contains(&name.as_str())
            || name == WORKBOOK
            || name == REPORT_FILE
            || name == REPORT_WORKBOOK
            || OUTPUT_TABLES.iter().any(|t| name == format!("{t}.csv") || name == format!("{t}.parquet"));
        if !in_set || name == "run.json" || written.iter().any(|w| w.file == name) {
            continue;
        }
        // A folder of that name is not a file of a run: left alone.
        if entry.file_type().map_err(|e| Error::io(dir, e))?.is_dir() {
            continue;
        }
        stale.push(name);
    }
    // The audit's tables, in their folder.
    let audit_dir = dir.join(AUDIT_FOLDER);
    if fs::symlink_metadata(&audit_dir).is_ok_and(|m| m.is_dir()) {
        for entry in fs::read_dir(&audit_dir).map_err(|e| Error::io(&audit_dir, e))? {
            let entry = entry.map_err(|e| Error::io(&audit_dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let in_set = name == format!("{AUDIT_FOLDER}.xlsx")
                || AUDIT_TABLES.iter().any(|t| name == format!("{t}.csv") || name == format!("{t}.parquet"));
            let file = format!("{AUDIT_FOLDER}/{name}");
            if !in_set || written.iter().any(|w| w.file == file) {
                continue;
            }
            if entry.file_type().map_err(|e| Error::io(&audit_dir, e))?.is_dir() {
                continue;
            }
            stale.push(file);
        }
    }
    stale.sort();
    Ok(stale)
}

/// Writes `run.json`, last of a run: a folder whose run.json is new has every table of the run
/// (a run that fails before leaves no new run.json).
fn write_run_json(dir: &Path, report: &RunReport) -> Result<()> {
    let run_path = dir.join("run.json");
    let json = serde_json::to_string_pretty(report).expect("the report always serialises");
    write_atomic(&run_path, |f| f.write_all(json.as_bytes()).map_err(|e| Error::io(&run_path, e)))
}

/// The README sheet of a run's workbook: the citycheck version, the date, the catalogue, the
/// spec (as TOML), then everything else `run.json` holds, one row per field
/// ([`crate::io::readme_rows`], which report.xlsx shares).
fn readme(report: &RunReport) -> Vec<(String, String)> {
    let run = serde_json::to_value(report).expect("the report always serialises");
    crate::io::readme_rows(&run, Some(report.spec.to_toml()))
}
