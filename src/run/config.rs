//! The run configuration of `citycheck run`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::assess::Incentive;
use crate::audit::AuditConfig;
use crate::catalog::Catalog;
use crate::checkup::Spec;
use crate::compute::{ComputeOptions, ObjectLevel};
use crate::diagnose::DiagnoseOptions;
use crate::efficiency::{Model, Orientation};
use crate::error::{Error, Result};
use crate::evaluate::EvaluateOptions;
use crate::io::{Lang, OutputFormat};
use crate::panel::{ReadOptions, ValidationMode};
use crate::progress::Observer;
use crate::report::ReportConfig;
use crate::survey::{ReadSpec, SourceChoice, Tolerances};
use crate::uncertainty::UncertaintyConfig;

/// The embedded default run: 14 Liaoning cities, 2008–2012, the `ccsy-example` catalogue.
pub const EMBEDDED_CONFIG: &str = include_str!("../../datasets/default-run.toml");

/// Where the data come from and how to read them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataConfig {
    /// A file path (relative to the config file), or `embedded:` + the name of a compiled-in
    /// data set.
    pub path: String,
    /// How to read the table (layout, unit, year and other columns), flattened into `[data]`.
    #[serde(flatten)]
    pub read: ReadOptions,
    /// Strict (default) or lenient validation against the catalogue.
    #[serde(default)]
    pub validation: ValidationMode,
    /// A second table of unit attributes (one row per unit), relative to the config file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes_path: Option<String>,
}

/// Indicators computed from object records: the `[compute]` table of a run config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComputeConfig {
    /// Record files or folders (every .csv / .parquet inside), relative to the config file.
    pub records: Vec<String>,
    /// The level whose indicators are scored (default `city`).
    #[serde(default = "default_score_level")]
    pub score_level: ObjectLevel,
    /// Output levels (default compound, block, district and city).
    #[serde(default = "default_levels")]
    pub levels: Vec<ObjectLevel>,
    /// Write the object ledger (`object_ledger.csv`: which object has which problem).
    #[serde(default = "default_true")]
    pub ledger: bool,
    /// Values of the catalogue's `[parameters]` for this run (`parameters = { elderly_norm_new
    /// = 25 }`): a province's norms without editing formulas; run.json records them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, f64>,
}

fn default_score_level() -> ObjectLevel {
    ObjectLevel::City
}

fn default_levels() -> Vec<ObjectLevel> {
    ComputeOptions::default().levels
}

fn default_true() -> bool {
    true
}

/// The `[survey]` table of a run config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyConfig {
    /// The survey definition TOML, relative to the config file.
    pub definition: String,
    /// The response microdata (CSV, Parquet, .xlsx), relative to the config file.
    pub responses: String,
    /// The columns of unit, year, design weight and strata, flattened into `[survey]`.
    #[serde(flatten)]
    pub read: ReadSpec,
    /// Weight of the survey score in `combined.csv` (objective index × (1 − weight) + survey
    /// score × weight, METHODS.md §8); no combination when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

/// The `[reconcile]` table: tolerances of the self-check vs third-party comparison and which
/// value a cell keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReconcileConfig {
    /// Which source's value a cell with several keeps.
    #[serde(default)]
    pub choice: SourceChoice,
    /// A ledger problem is confirmed when at least this many sources miss the standard
    /// (default 2).
    #[serde(default = "default_confirm")]
    pub confirm: usize,
    /// When two sources disagree: |a − b| > abs_tol + rel_tol·|b|, flattened into `[reconcile]`.
    #[serde(default, flatten)]
    pub tolerances: Tolerances,
}

fn default_confirm() -> usize {
    2
}

impl Default for ReconcileConfig {
    fn default() -> Self {
        ReconcileConfig {
            choice: SourceChoice::default(),
            confirm: default_confirm(),
            tolerances: Tolerances::default(),
        }
    }
}

/// The `[recheck]` table: the re-check (复查) of a run over a multi-year panel. Every year
/// (or the `years` given) is diagnosed with the `[diagnose]` options (the defaults without
/// `[diagnose]`), each year's ledger is re-checked against the previous one, and the data of
/// each year tell a resolved problem from one not assessed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecheckConfig {
    /// The ledger years to re-check (at least two, each in the data); empty = every year of the
    /// data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub years: Vec<i32>,
    /// The level name of the diagnosed units in `recheck.csv` (default `city`).
    #[serde(default = "default_recheck_level")]
    pub level: String,
}

fn default_recheck_level() -> String {
    crate::recheck::CITY_LEVEL.to_string()
}

impl Default for RecheckConfig {
    fn default() -> Self {
        RecheckConfig { years: Vec::new(), level: default_recheck_level() }
    }
}

/// The `[projects]` table: a projects table a city registers (项目生成), validated and linked to
/// the run's diagnosis ledger (the `[diagnose]` year; the default diagnosis of the last year
/// without `[diagnose]`): projects.csv, project_reserve.csv, project_implementation.csv,
/// problem_coverage.csv and gaps.csv.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectsConfig {
    /// The projects table (.csv, .parquet, .xlsx), relative to the config file.
    pub path: String,
    /// The reference date of progress against plan and of the overdue flag, a string
    /// `"YYYY-MM-DD"`; none: no planned progress and no flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<crate::projects::Date>,
}

/// The `[efficiency]` table: data envelopment analysis (效能评价) of one facility class over
/// the panel's values, with the options of `citycheck efficiency` — efficiency.csv (a row per
/// unit and year) and, over two or more years, malmquist.csv (consecutive years, then the
/// window). The variables are indicators of the catalogue (or of the data), listed or taken
/// from a facility class of the catalogue (`facility`): a unit-year without a value for one of
/// them is left out of that year's analysis, and run.json says so. With `join_as` the scores
/// join the check-up as a scored indicator.
///
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::run::RunConfig;
/// let config = RunConfig::from_toml(r#"
///     catalog = "ccsy-example"
///     [data]
///     path = "cities.csv"
///     [efficiency]
///     class = "hospitals"
///     inputs = ["population", "hospital_beds"]
///     outputs = ["gdp", "retail_sales"]
///     model = "bcc"
/// "#)?;
/// assert_eq!(config.efficiency.unwrap().model, citycheck::efficiency::Model::Bcc);
/// // A misspelt key is refused.
/// assert!(RunConfig::from_toml(r#"
///     catalog = "ccsy-example"
///     [data]
///     path = "cities.csv"
///     [efficiency]
///     inputs = ["population"]
///     outputs = ["gdp"]
///     modle = "bcc"
/// "#).is_err());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EfficiencyConfig {
    /// The facility class evaluated (water supply, drainage, sanitation, public transport,
    /// hospitals, schools, …): a label carried into run.json (default: the `facility`'s id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// A facility class of the catalogue (`[[facilities]]`) whose inputs, outputs and
    /// undesirable outputs are evaluated, instead of listing them here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<String>,
    /// The input indicators (capacity, staff, investment, energy); empty with `facility`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<String>,
    /// The output indicators (water delivered, patients served), undesirable ones included;
    /// empty with `facility`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<String>,
    /// Outputs that are undesirable, less being better (leakage, emissions): `sbm` and
    /// `sbm_vrs` only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undesirable: Vec<String>,
    /// `ccr` (default), `bcc`, `sbm` or `sbm_vrs`.
    #[serde(default = "default_dea_model")]
    pub model: Model,
    /// `input` or `output` (default input), or `non_oriented` (SBM's default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orientation: Option<Orientation>,
    /// Super-efficiency (`super = true`): Andersen–Petersen for ccr and bcc, Tone's (2002)
    /// slacks-based super-efficiency of the SBM-efficient units for sbm and sbm_vrs.
    #[serde(default, rename = "super")]
    pub super_efficiency: bool,
    /// Only this year (no Malmquist index then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The first year of the window (default: the data's first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<i32>,
    /// The last year of the window (default: the data's last).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<i32>,
    /// A scored indicator of the catalogue (direction higher, no denominator, no value in the
    /// data) that each unit-year's efficiency score joins the panel as, before the check-up
    /// scores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_as: Option<String>,
}

fn default_dea_model() -> Model {
    Model::Ccr
}

impl EfficiencyConfig {
    /// The orientation asked, or the model's default (input; SBM non-oriented).
    pub fn orientation(&self) -> Orientation {
        self.orientation.unwrap_or(if self.model.is_sbm() { Orientation::NonOriented } else { Orientation::Input })
    }

    /// Checks what can be checked without the data.
    ///
    /// # Errors
    /// [`Error::Spec`] for a `facility` with inputs, outputs or undesirable outputs of its
    /// own, no input or no output without a `facility`, `year` with `from` or `to`, and a
    /// window whose `from` is not before its `to`.
    pub fn check(&self) -> Result<()> {
        if let Some(facility) = &self.facility {
            if !(self.inputs.is_empty() && self.outputs.is_empty() && self.undesirable.is_empty()) {
                return Err(Error::Spec(format!(
                    "[efficiency] facility = \"{facility}\" takes its inputs, outputs and undesirable outputs from the \
                     catalogue's [[facilities]]: leave out inputs, outputs and undesirable, or the facility"
                )));
            }
        } else if self.inputs.is_empty() || self.outputs.is_empty() {
            return Err(Error::Spec(
                "[efficiency] needs at least one input and one output, or a facility class of the catalogue \
                 (facility = \"<id>\")"
                    .into(),
            ));
        }
        if self.year.is_some() && (self.from.is_some() || self.to.is_some()) {
            return Err(Error::Spec("[efficiency] takes either `year` or a window (`from`, `to`), not both".into()));
        }
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from >= to {
                return Err(Error::Spec(format!("[efficiency] from = {from} must come before to = {to}")));
            }
        }
        Ok(())
    }
}

/// The `[assess]` table: the annual assessment (年度考核评估) of each city's renewal work, run
/// after the re-check and the projects on the run's own tables — `[recheck]`'s summary,
/// `[evaluate]`'s progress and warnings, `[projects]`'s table at its ledger year, `[survey]`'s
/// dimensions — or on the files named here instead (relative to the config). The keys are the
/// flags of `citycheck assess` (`years` for its repeatable `--year`); assessment.csv,
/// assessment_ranking.csv and assessment_ranking_zh.csv.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessConfig {
    /// A `recheck_summary.csv` instead of the run's `[recheck]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recheck_summary: Option<String>,
    /// A `progress.csv` instead of the run's `[evaluate]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<String>,
    /// Projects tables, each `"FILE"` or `"YEAR=FILE"` (without a year: the latest year of the
    /// other tables), instead of the run's `[projects]` (counted at its ledger year).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub projects: Vec<String>,
    /// A `warnings.csv` instead of the run's `[evaluate]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnings: Option<String>,
    /// A `survey_dimensions.csv` (or unit, year, satisfaction) instead of the run's `[survey]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey: Option<String>,
    /// The assessment catalogue: a built-in id or a TOML path (default `liaoning-assessment`).
    #[serde(default = "default_assess_catalog")]
    pub catalog: String,
    /// A spec TOML file (relative to the config); default the check-up default spec.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
    /// The rewarded share of each year's ranking (以奖代补), in (0, 1]; default 0.3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_share: Option<f64>,
    /// Reward every unit whose score is at least this, instead of a top share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// The level of the re-check summary's rows (default `city`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// The assessed years; empty = every year with a value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub years: Vec<i32>,
}

fn default_assess_catalog() -> String {
    crate::assess::CATALOG_ID.to_string()
}

impl Default for AssessConfig {
    fn default() -> Self {
        AssessConfig {
            recheck_summary: None,
            progress: None,
            projects: Vec::new(),
            warnings: None,
            survey: None,
            catalog: default_assess_catalog(),
            spec: None,
            top_share: None,
            threshold: None,
            level: None,
            years: Vec::new(),
        }
    }
}

impl AssessConfig {
    /// The incentive rule: the threshold, else the top share, else the default top 30 %.
    ///
    /// # Errors
    /// [`Error::Spec`] when both a top share and a threshold are given, or either is out of
    /// range.
    pub fn incentive(&self) -> Result<Incentive> {
        let incentive = match (self.top_share, self.threshold) {
            (Some(_), Some(_)) => {
                return Err(Error::Spec("[assess] takes top_share or threshold, not both".into()));
            }
            (_, Some(t)) => Incentive::Threshold(t),
            (Some(s), None) => Incentive::TopShare(s),
            (None, None) => Incentive::default(),
        };
        incentive.check().map_err(|e| match e {
            Error::Spec(m) => Error::Spec(format!("[assess]: {m}")),
            other => other,
        })?;
        Ok(incentive)
    }

    /// The projects tables as (year, path as written): `"YEAR=FILE"` or `"FILE"`.
    pub fn projects_files(&self) -> Vec<(Option<i32>, &str)> {
        self.projects
            .iter()
            .map(|text| match text.split_once('=') {
                Some((year, path)) => match year.trim().parse::<i32>() {
                    Ok(year) => (Some(year), path),
                    Err(_) => (None, text.as_str()),
                },
                None => (None, text.as_str()),
            })
            .collect()
    }
}

/// The `[output]` table: where and in what format a run writes its tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputConfig {
    /// The output folder, relative to the config file (default `citycheck-out`).
    #[serde(default = "default_out_dir")]
    pub dir: PathBuf,
    /// `csv` (default) or `parquet` tables, or `xlsx`: one workbook `citycheck.xlsx` with
    /// every table as a sheet and a README sheet of the run's provenance.
    #[serde(default)]
    pub format: OutputFormat,
    /// The language of the workbook's headers (`xlsx` only): `en` (default, the column names)
    /// or `zh` (Chinese headers for the common columns).
    #[serde(default)]
    pub lang: Lang,
}

fn default_out_dir() -> PathBuf {
    PathBuf::from("citycheck-out")
}

impl Default for OutputConfig {
    fn default() -> Self {
        OutputConfig { dir: default_out_dir(), format: OutputFormat::Csv, lang: Lang::En }
    }
}

/// Everything a yearly batch run needs, as read from `config.toml`.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::run::RunConfig;
/// let config = RunConfig::from_toml(r#"
///     catalog = "ccsy-example"
///     [data]
///     path = "cities.csv"
///     unit_column = "city"
///     [spec]
///     scope = "panel"
///     [evaluate]
///     from = 2008
///     to = 2012
/// "#)?;
/// assert_eq!(config.data.as_ref().unwrap().path, "cities.csv");
/// assert_eq!(config.evaluate.as_ref().unwrap().from, Some(2008));
/// assert!(config.diagnose.is_none()); // no [diagnose]: no diagnosis
/// assert_eq!(config.output.dir.to_str(), Some("citycheck-out"));
///
/// // The run `citycheck run` makes without a config: the Liaoning cities, 2008–2012.
/// let embedded = RunConfig::embedded();
/// assert_eq!(embedded.catalog, "ccsy-example");
/// assert!(embedded.diagnose.is_some());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    /// A built-in catalogue id or a path to a catalogue TOML (relative to the config file).
    pub catalog: String,
    /// The panel to score; a run reads `[data]` or computes its panel from `[compute]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<DataConfig>,
    /// Indicators computed from object records (`[compute]`); the `score_level` rows are scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compute: Option<ComputeConfig>,
    /// How to score: treatment, normalisation, scope, weights, aggregation (`[spec]`; the
    /// default spec without it).
    #[serde(default)]
    pub spec: Spec,
    /// Parameters fitted by an earlier run (its `fitted.json`, relative to the config): the
    /// panel is scored with them and their spec instead of being fitted — last year's
    /// normalisation and weights applied to a new year. A `[spec]` that is given must equal the
    /// fitted spec.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fitted: Option<String>,
    /// Where and how the tables are written (`[output]`).
    #[serde(default)]
    pub output: OutputConfig,
    /// The five-year evaluation (`[evaluate]`): trends.csv, progress.csv, warnings.csv.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluate: Option<EvaluateOptions>,
    /// The diagnosis of one year (`[diagnose]`): attainment, obstacles, weaknesses, coupling,
    /// ledger and reserve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnose: Option<DiagnoseOptions>,
    /// The re-check across years (`[recheck]`): every year diagnosed, each ledger followed into
    /// the next; recheck.csv, recheck_summary.csv, recheck_indicators.csv, recheck_tasks.csv.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recheck: Option<RecheckConfig>,
    /// Projects (`[projects]`): a projects table linked to the diagnosis ledger; projects.csv,
    /// project_reserve.csv, project_implementation.csv, problem_coverage.csv, gaps.csv.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projects: Option<ProjectsConfig>,
    /// The annual assessment (`[assess]`), after the re-check and the projects, of the run's own
    /// tables: assessment.csv, assessment_ranking.csv, assessment_ranking_zh.csv.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assess: Option<AssessConfig>,
    /// A satisfaction survey scored with the run (`[survey]`): its tables are written, its
    /// dimension and item scores that name an indicator join the panel as `survey` values, and
    /// with a `weight` the survey score is combined with the objective index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey: Option<SurveyConfig>,
    /// How cells with values from several sources (self-check, third party, survey) are
    /// reconciled and which value is scored (`[reconcile]`; defaults apply without it).
    #[serde(default)]
    pub reconcile: ReconcileConfig,
    /// The uncertainty and sensitivity analysis of the spec (`[uncertainty]`, with
    /// `[[uncertainty.inputs]]`): uncertainty.csv and sensitivity.csv.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<UncertaintyConfig>,
    /// The efficiency of a facility class by data envelopment analysis (`[efficiency]`):
    /// efficiency.csv and malmquist.csv.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub efficiency: Option<EfficiencyConfig>,
    /// The statistical audit of the normalised indicators (`[audit]`, every key optional):
    /// audit/coverage.csv, outliers.csv, correlations.csv, groups.csv and pca.csv.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditConfig>,
    /// The check-up report (`[report]`: `enabled`, `lang`): report.html beside the tables,
    /// made from them; none without the table (the embedded default run has it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<ReportConfig>,
    /// Folder that relative paths are resolved against (the config file's folder).
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// The observer of the run's long stages (computing from records, uncertainty draws and
    /// Sobol runs, efficiency LPs, report pages): none by default, never read from a file. The
    /// command line sets it to draw progress bars on a terminal.
    #[serde(skip)]
    pub progress: Observer,
}

impl RunConfig {
    /// Reads a config file; relative paths in it are relative to its folder.
    pub fn load(path: impl AsRef<Path>) -> Result<RunConfig> {
        let path = path.as_ref();
        let text = crate::io::read_text(path)?;
        let mut config = RunConfig::from_toml(&text).map_err(|e| match e {
            Error::Spec(m) => Error::Spec(format!("{}: {m}", path.display())),
            other => other,
        })?;
        config.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(config)
    }

    /// Parses config text; relative paths are relative to the current folder until
    /// [`base_dir`](RunConfig::base_dir) is set.
    ///
    /// # Errors
    /// [`Error::Spec`] for TOML that does not parse or an unknown key, a bad `[spec]`,
    /// `[uncertainty]` or `[audit]`, an `[assess]` with both `top_share` and `threshold` (or
    /// either out of range), and a
    /// config with neither or both of `[data]` and `[compute]`, or a `[compute]` whose
    /// `score_level` is not among its levels.
    pub fn from_toml(text: &str) -> Result<RunConfig> {
        let config: RunConfig = toml::from_str(text).map_err(|e| Error::Spec(e.to_string()))?;
        config.spec.check()?;
        if let Some(e) = &config.efficiency {
            e.check()?;
        }
        if let Some(a) = &config.assess {
            a.incentive()?;
        }
        if let Some(u) = &config.uncertainty {
            u.check()?;
            if config.fitted.is_some() {
                return Err(Error::Spec(
                    "[uncertainty] fits the spec's alternatives in every draw; it cannot run with fitted parameters \
                     (`fitted`)"
                        .into(),
                ));
            }
        }
        if let Some(a) = &config.audit {
            a.check()?;
        }
        match (&config.data, &config.compute) {
            (None, None) => return Err(Error::Spec("a run config needs a [data] or a [compute] table".into())),
            (Some(_), Some(_)) => {
                return Err(Error::Spec(
                    "a run scores either [data] or the indicators [compute] makes from records, not both".into(),
                ))
            }
            (None, Some(c)) if !c.levels.contains(&c.score_level) => {
                return Err(Error::Spec(format!("[compute] score_level '{}' is not among its levels", c.score_level)))
            }
            _ => {}
        }
        Ok(config)
    }

    /// The catalogue the run scores with: a built-in id or a file (relative to the config),
    /// with the values of `[compute] parameters` applied.
    ///
    /// # Errors
    /// As [`Catalog::builtin`], [`Catalog::load`] and [`Catalog::with_parameters`]; a name
    /// that is neither a built-in id nor a file and looks like an id is refused as
    /// [`Catalog::resolve`] refuses it.
    pub fn load_catalog(&self) -> Result<Catalog> {
        let catalog = if Catalog::builtin_ids().any(|id| id == self.catalog) {
            Catalog::builtin(&self.catalog)?
        } else if Catalog::looks_like_id(&self.catalog) && !self.resolve(&self.catalog).exists() {
            // A misspelt built-in id (`ccsy-exmaple`): the built-in ids, not "no such file".
            return Err(Catalog::unknown_builtin(&self.catalog, true));
        } else {
            Catalog::load(self.resolve(&self.catalog))?
        };
        // A province's values of the formula parameters, applied before the catalogue is shared.
        match &self.compute {
            Some(c) if !c.parameters.is_empty() => catalog.with_parameters(c.parameters.clone()),
            _ => Ok(catalog),
        }
    }

    /// A run of `catalog` (a built-in id or a path) on one data table with `spec`, writing
    /// CSV tables to `citycheck-out`, with no optional section: the start of a config built in
    /// code (struct update syntax sets the sections a caller wants).
    ///
    /// # Examples
    /// ```
    /// use citycheck::run::{DataConfig, RunConfig};
    /// use citycheck::{ReadOptions, Spec};
    /// let data = DataConfig {
    ///     path: "embedded:cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv".into(),
    ///     read: ReadOptions::default().unit_column("city"),
    ///     validation: Default::default(),
    ///     attributes_path: None,
    /// };
    /// let config = RunConfig::for_data("ccsy-example", data, Spec::checkup_default());
    /// assert!(config.evaluate.is_none() && config.diagnose.is_none());
    /// ```
    pub fn for_data(catalog: impl Into<String>, data: DataConfig, spec: Spec) -> RunConfig {
        RunConfig {
            catalog: catalog.into(),
            data: Some(data),
            compute: None,
            spec,
            fitted: None,
            output: OutputConfig::default(),
            evaluate: None,
            diagnose: None,
            recheck: None,
            projects: None,
            assess: None,
            reconcile: Default::default(),
            survey: None,
            uncertainty: None,
            efficiency: None,
            audit: None,
            report: None,
            base_dir: PathBuf::new(),
            progress: Observer::none(),
        }
    }

    /// The embedded default run.
    pub fn embedded() -> RunConfig {
        // Cannot fail: the embedded config is a constant of the crate, read by the tests of the default run.
        RunConfig::from_toml(EMBEDDED_CONFIG).expect("the embedded config is valid")
    }

    /// Refuses a relative output `dir` that leads out of the config's folder
    /// (`dir = "../../elsewhere"`): a config written by someone else must not choose where a
    /// run writes beyond its own folder. An absolute `dir` is the config's explicit choice, and
    /// an output folder given on the command line (`--out`) is not checked (the caller skips
    /// this check then).
    ///
    /// # Errors
    /// [`Error::Spec`] naming the `dir` when it climbs out of the config's folder.
    pub fn check_output_contained(&self) -> Result<()> {
        let dir = &self.output.dir;
        if dir.is_absolute() {
            return Ok(());
        }
        let mut depth = 0i64;
        for component in dir.components() {
            match component {
                std::path::Component::ParentDir => depth -= 1,
                std::path::Component::Normal(_) => depth += 1,
                _ => {}
            }
            if depth < 0 {
                return Err(Error::Spec(format!(
                    "[output] dir = '{}' leads out of the config's folder: name a folder inside it, an absolute \
                     path, or give --out",
                    dir.display()
                )));
            }
        }
        Ok(())
    }

    /// `p` resolved against the config's folder; an absolute path or a URI (`hdfs://…`,
    /// `s3a://…`: record folders that Spark reads, `citycheck.spark.run`) as it is.
    pub fn resolve(&self, p: &str) -> PathBuf {
        let path = Path::new(p);
        if path.is_absolute() || p.contains("://") {
            path.to_path_buf()
        } else {
            self.base_dir.join(path)
        }
    }
}
