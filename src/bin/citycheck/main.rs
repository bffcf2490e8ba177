//! The `citycheck` command line: a thin layer over the library.
//!
//! Raw flags (clap) are turned into a checked [`RunConfig`] or library calls, then run.

mod assess;
mod audit;
mod bars;
mod decision;
mod diagnose;
mod efficiency;
mod explain;
mod matrix_analyses;
mod projects;
mod recheck;
mod survey;
mod table;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use citycheck::aggregate::{Aggregate, MissingPolicy};
use citycheck::checkup::{Scope, Staged};
use citycheck::compute::{compute_observed, ComputeOptions, ObjectLevel, RecordTable};
use citycheck::direction::Direction;
use citycheck::evaluate::EvaluateOptions;
use citycheck::io::{Lang, OutputFormat};
use citycheck::names::Named;
use citycheck::normalize::Normalize;
use citycheck::panel::read_series;
use citycheck::panel::template::{self, TemplateOptions};
use citycheck::panel::{Encoding, Layout, ReadOptions, ValidationMode};
use citycheck::report::{write_report, ReportOptions};
use citycheck::run::{self, DataConfig, OutputConfig, RunConfig};
use citycheck::trend::{Alternative, PValue, SenIntercept, Tau, TrendOptions};
use citycheck::weight::{AhpMethod, RandomIndex, Weight};
use citycheck::{Catalog, Error, Spec};

#[derive(Parser)]
#[command(name = "citycheck", version, about = "City check-up and evaluation (城市体检评估)")]
struct Cli {
    /// No progress bars (they are drawn on stderr only when it is a terminal; messages,
    /// warnings and results are printed as always).
    #[arg(long, short = 'q', global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The yearly batch: everything CONFIG names, into an output folder. Without CONFIG, the
    /// embedded example (14 Liaoning cities, 2008–2012, catalogue ccsy-example), with the loop:
    /// the re-check of 2011 → 2012, a synthetic projects table, the assessment of 2012.
    Run {
        config: Option<PathBuf>,
        /// Output folder (overrides the config's).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Table format (overrides the config's); xlsx: one workbook citycheck.xlsx.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Language of the workbook's headers and of the report's labels (overrides the
        /// config's).
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// The check-up report (体检报告) of a run's output folder: one self-contained HTML file,
    /// report.html (overview, a page per unit, the survey; prints on A4). Sections whose tables
    /// the folder lacks are left out, and the report says which and why.
    Report {
        /// The output folder of a run (citycheck run --out DIR).
        dir: PathBuf,
        /// The folder to write report.html into (default: DIR).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Labels: zh (the catalogue's Chinese names) or en.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
        /// The catalogue that names the nodes (a built-in id or a TOML path); default: the
        /// built-in catalogue run.json names.
        #[arg(long)]
        catalog: Option<String>,
    },
    /// How robust the ranking is: the run CONFIG with its `[uncertainty]` table (required),
    /// whose draws re-score the panel under the named alternatives; writes uncertainty.csv and
    /// sensitivity.csv beside the run's tables.
    Uncertainty {
        config: PathBuf,
        /// Monte Carlo draws (overrides `[uncertainty] draws`).
        #[arg(long)]
        draws: Option<usize>,
        /// Seed of the draws (overrides `[uncertainty] seed`).
        #[arg(long)]
        seed: Option<u64>,
        /// Output folder (overrides the config's).
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
    /// Score a data file with a catalogue: fit the methods on it, or apply the parameters an
    /// earlier run fitted (`--fitted OUT/fitted.json`) to new data, e.g. a new year.
    Score {
        #[command(flatten)]
        input: Input,
        /// Parameters of an earlier run (its fitted.json): score with them and their spec
        /// instead of fitting; the method flags cannot be given with it.
        #[arg(long, conflicts_with_all = ["normalize", "scope", "weights", "aggregate", "spec"])]
        fitted: Option<PathBuf>,
        /// A spec TOML (methods per level, scope, imputation, …) instead of the method flags.
        #[arg(long, conflicts_with_all = ["normalize", "scope", "weights", "aggregate"])]
        spec: Option<PathBuf>,
        // The help texts of the method flags list the names from the library's NAMES.
        #[arg(long, default_value = "min_max", value_parser = parse_method::<Normalize>,
              help = method_help::<Normalize>("Normalisation, with default parameters"))]
        normalize: Normalize,
        /// Fitting scope: year, panel, or a reference year (e.g. 2010).
        #[arg(long, default_value = "panel")]
        scope: String,
        #[arg(long, value_parser = parse_method::<Weight>,
              help = method_help::<Weight>(
                  "Weights at every level, with default parameters [default: the check-up default: \
                   equal across dimensions, entropy_normalized within each]"))]
        weights: Option<Weight>,
        #[arg(long, default_value = "arithmetic", value_parser = parse_method::<Aggregate>,
              help = method_help::<Aggregate>("Aggregation at every level, with default parameters"))]
        aggregate: Aggregate,
        /// A unit with a missing part: renormalize (the weights of the parts present, the
        /// default), empty (that unit's node left without a score) or error; overrides the
        /// spec's `missing`.
        #[arg(long, value_enum, conflicts_with = "fitted")]
        missing: Option<MissingArg>,
        /// Output folder.
        #[arg(long, default_value = "citycheck-out")]
        out: PathBuf,
        /// Table format; xlsx: one workbook citycheck.xlsx with a README sheet.
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        /// Language of the workbook's headers (xlsx).
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
    },
    /// The statistical audit (the JRC checklist) of a spec's normalised indicators: coverage
    /// per unit and indicator against a threshold, outliers, Pearson and Spearman correlations
    /// within and across groups, Cronbach's α and principal components per group with a
    /// verdict; OUT/audit/ beside the run's scores.
    Audit(audit::AuditArgs),
    /// The five-year evaluation (五年一评估): trends of every indicator, group and the index per
    /// unit, progress to the catalogue's targets, and warnings (监测预警).
    Evaluate {
        #[command(flatten)]
        input: Input,
        /// First year of the window (default: the data's first year).
        #[arg(long)]
        from: Option<i32>,
        /// Last year of the window (default: the data's last year).
        #[arg(long)]
        to: Option<i32>,
        /// Significance level of the trend verdicts.
        #[arg(long, default_value_t = 0.05)]
        alpha: f64,
        #[command(flatten)]
        conventions: TrendArgs,
        /// A spec TOML (normalisation, scope, weights, …); default: the check-up default,
        /// fitted on the whole panel so that scores of different years are comparable.
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
    },
    /// Trend statistics of any series (no catalogue): SERIES has columns series,t,y; prints
    /// one CSV row per series.
    Trend {
        #[arg(long)]
        series: PathBuf,
        #[arg(long, default_value_t = 0.05)]
        alpha: f64,
        /// Verdicts for series where lower is better (default: higher is better).
        #[arg(long)]
        lower_is_better: bool,
        #[command(flatten)]
        conventions: TrendArgs,
    },
    /// The diagnosis (诊断) of one year: attainment, obstacle degree (障碍度), weaknesses,
    /// coupling coordination (耦合协调度), problem ledger (问题台账) and project reserve (项目储备库).
    Diagnose(diagnose::DiagnoseArgs),
    /// Coupling coordination (耦合协调度) on a plain matrix, without a catalogue: subsystem
    /// scores U (weighted min-max scores of their indicators), C, T, D and the grade per row
    /// (and year, when the matrix has a `year` column).
    Coupling(matrix_analyses::CouplingArgs),
    /// Obstacle degree (障碍度) on a plain matrix, without a catalogue: the share in % of each
    /// indicator in a row's weighted shortfall, ranked (per year when the matrix has one).
    Obstacle(matrix_analyses::ObstacleArgs),
    /// The re-check across years (复查): every problem of the yearly ledgers followed into the
    /// next ledger year (new, persisting, resolved with evidence, recurring, not assessed),
    /// with the rectification rate (整改率) and the closure rate (销号率).
    Recheck(recheck::RecheckArgs),
    /// Projects (项目生成): a projects table validated and linked to a year's ledger — the
    /// project reserve (项目储备库) with priorities, the implementation library (项目实施库) with
    /// progress against plan and overdue flags, problem coverage and the gaps no project addresses.
    Projects(projects::ProjectsArgs),
    /// The annual assessment (年度考核评估) of each city's renewal work, scored with the
    /// assessment catalogue from the tables of a run: assessment.csv, the published ranking
    /// (通报) in English and Chinese with rank changes, and incentive tiers (以奖代补).
    Assess(assess::AssessArgs),
    /// Check-up indicators computed from object records (buildings, compounds, blocks,
    /// districts) at the levels asked for: indicators.csv and ledger.csv.
    Compute {
        /// Catalogue with `[indicators.formula]` entries: a built-in id or a TOML path.
        #[arg(long)]
        catalog: String,
        /// A record file (.csv, .parquet) or a folder of them; repeat for each table.
        #[arg(long = "records", required = true)]
        records: Vec<PathBuf>,
        /// Output levels, comma-separated: compound, community, block, district, city (default compound,
        /// block, district, city; community when the catalogue declares it and the records carry
        /// community_id).
        #[arg(long, value_delimiter = ',')]
        level: Vec<String>,
        /// Skip the object ledger (one row per object and problem).
        #[arg(long)]
        no_ledger: bool,
        /// Set a formula parameter of the catalogue's [parameters] (e.g. a province's norm):
        /// NAME=VALUE, repeatable.
        #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
        param: Vec<(String, f64)>,
        /// Output folder.
        #[arg(long, default_value = "citycheck-out")]
        out: PathBuf,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
    },
    /// A satisfaction survey (社会满意度调查): item and dimension scores with intervals,
    /// Cronbach's α, bad answers.
    Survey(survey::SurveyArgs),
    /// Check a data file against a catalogue and list every problem found.
    Validate {
        #[command(flatten)]
        input: Input,
    },
    /// Weights of a decision matrix (CSV: header of criteria, first column alternatives);
    /// prints `criterion,weight` (AHP adds lambda_max, ci, cr).
    Weights {
        /// The decision matrix (not needed for ahp).
        #[arg(long)]
        matrix: Option<PathBuf>,
        #[arg(long, value_parser = parse_method::<Weight>,
              help = method_help::<Weight>("Weight method (ahp reads --pairwise, the others --matrix)"))]
        method: Weight,
        /// Criterion types, one per criterion: 1, +, benefit, max or 正向 (higher is better);
        /// -1, -, cost, min or 负向 (lower is better); default all benefit. Read by
        /// entropy_normalized only (an error with the other methods).
        #[arg(long, value_delimiter = ',', allow_hyphen_values = true, value_parser = Direction::from_type)]
        types: Option<Vec<Direction>>,
        /// AHP pairwise comparison matrix (CSV, criteria as header and first column; cells
        /// numbers or fractions such as 1/3).
        #[arg(long)]
        pairwise: Option<PathBuf>,
        #[arg(long, value_parser = parse_method::<AhpMethod>,
              help = method_help::<AhpMethod>("AHP derivation [default: eigenvector]"))]
        derivation: Option<AhpMethod>,
        /// AHP random-index table: saaty1980 (default, Saaty 1980), donegan_dodd (Donegan & Dodd
        /// 1991, n ≤ 20) or the list RI(1),RI(2),… of another source.
        #[arg(long, value_parser = parse_method::<RandomIndex>)]
        random_index: Option<RandomIndex>,
        /// AHP: |a_ij·a_ji − 1| allowed for a reciprocal pair [default: 0.005, three-decimal
        /// reciprocals; 0.01 accepts 0.33 for 1/3].
        #[arg(long)]
        reciprocal_tolerance: Option<f64>,
        /// entropy_normalized: added to the min-max scores before p = r/Σr [default: 0.0001].
        #[arg(long)]
        shift: Option<f64>,
        /// entropy_normalized: map the min-max scores to lo,hi instead of shifting them (R
        /// scripts: 0.002,0.996).
        #[arg(long, allow_hyphen_values = true, value_parser = decision::parse_rescale)]
        rescale: Option<[f64; 2]>,
        /// Write the intermediate tables to this folder (entropy's p, e, d; CRITIC's σ,
        /// correlation, information): entropy, entropy_normalized and critic only.
        #[arg(long)]
        explain: Option<PathBuf>,
    },
    /// Efficiency (效能评价) by data envelopment analysis of a table (CSV, Parquet, .xlsx; a row
    /// per unit, or per unit and year): OUT/efficiency.csv, and OUT/malmquist.csv (consecutive
    /// years, then the whole window) when the table has two or more years.
    Efficiency {
        /// The table.
        #[arg(long)]
        data: PathBuf,
        /// Input columns, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        inputs: Vec<String>,
        /// Output columns, comma-separated (undesirable ones included).
        #[arg(long, value_delimiter = ',', required = true)]
        outputs: Vec<String>,
        /// Outputs (among --outputs) that are undesirable, less being better: leakage,
        /// emissions (sbm and sbm_vrs, Tone 2003).
        #[arg(long, value_delimiter = ',')]
        undesirable: Vec<String>,
        /// ccr (constant returns), bcc (variable returns), sbm (Tone's slacks-based measure) or
        /// sbm_vrs (SBM under variable returns).
        #[arg(long, default_value = "ccr", value_parser = parse_model)]
        model: citycheck::efficiency::Model,
        /// input or output (default input; sbm: non_oriented by default, or input or output).
        #[arg(long, value_parser = parse_orientation)]
        orientation: Option<citycheck::efficiency::Orientation>,
        /// Andersen–Petersen super-efficiency (ccr, bcc): each unit left out of its own reference set.
        #[arg(long = "super")]
        super_efficiency: bool,
        /// The column of unit names.
        #[arg(long, default_value = "unit")]
        unit_column: String,
        /// The column of years (optional in the table).
        #[arg(long, default_value = "year")]
        year_column: String,
        /// Only this year.
        #[arg(long)]
        year: Option<i32>,
        /// Output folder.
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
    /// The Malmquist productivity index of a table with a year column: OUT/malmquist.csv, a row
    /// per unit and consecutive pair of years from --from to --to, then the window --from →
    /// --to itself; M = EC × TC, and with ccr EC = pure efficiency change × scale efficiency change.
    Malmquist {
        /// The table (CSV, Parquet, .xlsx): a row per unit and year.
        #[arg(long)]
        data: PathBuf,
        /// Input columns, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        inputs: Vec<String>,
        /// Output columns, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        outputs: Vec<String>,
        /// ccr (constant returns, with the scale decomposition) or bcc (variable returns).
        #[arg(long, default_value = "ccr", value_parser = parse_model)]
        model: citycheck::efficiency::Model,
        /// input (θ, the default) or output (1/φ) distances.
        #[arg(long, default_value = "input", value_parser = parse_orientation)]
        orientation: citycheck::efficiency::Orientation,
        /// The first year of the window [default: the table's first].
        #[arg(long)]
        from: Option<i32>,
        /// The last year of the window [default: the table's last].
        #[arg(long)]
        to: Option<i32>,
        /// The column of unit names.
        #[arg(long, default_value = "unit")]
        unit_column: String,
        /// The column of years.
        #[arg(long, default_value = "year")]
        year_column: String,
        /// Output folder.
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
    /// Rank the alternatives of a decision matrix; prints `alternative,score,rank` (1 = best).
    Rank {
        #[arg(long)]
        matrix: PathBuf,
        /// Criterion types, one per criterion: 1, +, benefit, max or 正向 (higher is better);
        /// -1, -, cost, min or 负向 (lower is better); default all benefit.
        #[arg(long, value_delimiter = ',', allow_hyphen_values = true, value_parser = Direction::from_type)]
        types: Option<Vec<Direction>>,
        #[arg(long, default_value = "equal", help = format!(
            "Weights: a weight method ({}), weights `w1,w2,…`, or a CSV `criterion,weight`",
            Weight::NAMING.help_list()
        ))]
        weights: String,
        #[arg(long, value_parser = decision::parse_rank_method,
              help = format!("Ranking method: {}", decision::RANK_METHODS.join(", ")))]
        method: String,
        #[arg(long, help = format!(
            "topsis: {} (default vector); grey_relational: {} (default min_max; 初值化, 均值化); weighted_sum: {} \
             (default min_max); arithmetic, geometric, harmonic: a normalisation ({}; default min_max to [0, 1])",
            decision::TOPSIS_NORMALIZATIONS.join(" or "),
            citycheck::aggregate::GreyNormalization::NAMES.join(", "),
            decision::WEIGHTED_SUM_NORMALIZATIONS.join(" or "),
            Normalize::NAMES.join(", ")
        ))]
        normalize: Option<String>,
        /// grey_relational ρ or vikor v (default 0.5); an error with the other methods.
        #[arg(long)]
        parameter: Option<f64>,
        /// Refuse given weights that do not sum to 1 instead of normalising them.
        #[arg(long)]
        strict: bool,
        /// Write the intermediate tables to this folder (TOPSIS's normalised and weighted
        /// matrices, ideals and distances; grey relational Δ and coefficients; VIKOR's terms, S,
        /// R, Q): topsis, grey_relational and vikor only.
        #[arg(long)]
        explain: Option<PathBuf>,
    },
    /// A fill-in template (填报模板): the .xlsx workbook a city's team fills, a sheet per level,
    /// a row per indicator, an input column per unit and year; validate, score and run read the
    /// filled workbook as it is.
    Template {
        /// Catalogue: a built-in id or a TOML path.
        #[arg(long)]
        catalog: String,
        /// Only this level: a top-level group's id or Chinese name (e.g. district, 城区(城市)).
        #[arg(long)]
        level: Option<String>,
        /// A unit to fill (city, district, …), as it is to be named in the data; repeatable.
        #[arg(long = "unit", value_name = "NAME")]
        unit: Vec<String>,
        /// A text or CSV file of units to fill, one per line (the first field of a CSV line; a
        /// header such as `unit` or `城市`, empty lines and lines starting with # are skipped).
        #[arg(long, value_name = "FILE")]
        units: Option<PathBuf>,
        /// The years to fill, comma-separated (e.g. 2024,2025).
        #[arg(long, value_delimiter = ',', required = true)]
        years: Vec<i32>,
        /// The workbook to write (.xlsx).
        #[arg(long)]
        out: PathBuf,
    },
    /// The indicator catalogues.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
}

#[derive(Subcommand)]
enum CatalogCommand {
    /// List the built-in catalogues.
    List,
    /// Show a catalogue (built-in id or TOML path): groups and indicators.
    Show { id: String },
}

#[derive(Args)]
struct Input {
    /// Catalogue: a built-in id or a TOML path.
    #[arg(long)]
    catalog: String,
    /// Data file: .csv, .parquet or .xlsx, long or wide.
    #[arg(long)]
    data: PathBuf,
    /// Name of the unit column, when it cannot be found or is ambiguous.
    #[arg(long)]
    unit_column: Option<String>,
    /// Name of the year column.
    #[arg(long)]
    year_column: Option<String>,
    #[arg(long, value_enum, default_value = "auto")]
    layout: LayoutArg,
    /// Report data problems and go on instead of stopping.
    #[arg(long)]
    lenient: bool,
    /// A second table of unit attributes (province, city tier, …), one row per unit.
    #[arg(long)]
    attributes: Option<PathBuf>,
    /// Text encoding of a CSV: auto (UTF-8, else GBK with a note), utf-8 or gbk.
    #[arg(long, value_enum, default_value = "auto")]
    encoding: EncodingArg,
    /// The sheet of an .xlsx workbook to read, by name (default: the first).
    #[arg(long)]
    sheet: Option<String>,
}

/// The text encoding of a CSV (`encoding` of a run config's `[data]`).
#[derive(Clone, Copy, ValueEnum)]
enum EncodingArg {
    /// UTF-8 when the bytes are, else GB18030/GBK, with a note.
    Auto,
    /// UTF-8 only.
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// GBK (read as GB18030), whatever the bytes look like.
    #[value(alias = "gb18030")]
    Gbk,
}

impl From<EncodingArg> for Encoding {
    fn from(e: EncodingArg) -> Self {
        match e {
            EncodingArg::Auto => Encoding::Auto,
            EncodingArg::Utf8 => Encoding::Utf8,
            EncodingArg::Gbk => Encoding::Gbk,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Parquet,
    Xlsx,
}

/// The trend conventions of `trend` and `evaluate` (the names of `[evaluate]` and of Python).
#[derive(Args, Clone, Copy)]
struct TrendArgs {
    /// Mann-Kendall p-value: auto (exact for n <= 10, else normal with continuity correction),
    /// exact, normal (no continuity correction: scipy.stats.kendalltau), normal_cc (pyMannKendall).
    #[arg(long = "p-value", default_value = "auto", value_parser = parse_method::<PValue>)]
    p_value: PValue,
    /// Alternative of the Mann-Kendall p: two_sided, greater (increasing) or less (decreasing).
    #[arg(long, default_value = "two_sided", value_parser = parse_method::<Alternative>)]
    alternative: Alternative,
    /// Kendall's tau reported: a (S / (n(n-1)/2)) or b (tie-corrected, as R's Kendall).
    #[arg(long, default_value = "a", value_parser = parse_method::<Tau>)]
    tau: Tau,
    /// Sen's intercept: medians (median(y) - b*median(t)) or residuals (median(y - b*t), R's zyp.sen).
    #[arg(long = "sen-intercept", default_value = "medians", value_parser = parse_method::<SenIntercept>)]
    sen_intercept: SenIntercept,
}

impl TrendArgs {
    fn options(&self) -> TrendOptions {
        TrendOptions {
            p_value: self.p_value,
            alternative: self.alternative,
            tau: self.tau,
            sen_intercept: self.sen_intercept,
        }
    }
}

/// The language of a workbook's headers.
#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    /// The column names, as in the CSV files.
    En,
    /// Chinese headers (单位, 年份, 得分, …) for the common columns.
    Zh,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::En => Lang::En,
            LangArg::Zh => Lang::Zh,
        }
    }
}

/// What aggregation does with a missing part (`missing` of a spec).
#[derive(Clone, Copy, ValueEnum)]
enum MissingArg {
    /// The weights of the parts present rescaled to sum 1 (default).
    Renormalize,
    /// That unit's node (and the groups above it) left without a score.
    Empty,
    /// Stop, naming the unit and the part.
    Error,
}

impl From<MissingArg> for MissingPolicy {
    fn from(m: MissingArg) -> Self {
        match m {
            MissingArg::Renormalize => MissingPolicy::Renormalize,
            MissingArg::Empty => MissingPolicy::Empty,
            MissingArg::Error => MissingPolicy::Error,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum LayoutArg {
    Auto,
    Long,
    Wide,
}

impl From<Format> for OutputFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Csv => OutputFormat::Csv,
            Format::Parquet => OutputFormat::Parquet,
            Format::Xlsx => OutputFormat::Xlsx,
        }
    }
}

impl Input {
    fn data_config(&self) -> DataConfig {
        DataConfig {
            path: self.data.display().to_string(),
            read: ReadOptions {
                layout: match self.layout {
                    LayoutArg::Auto => Layout::Auto,
                    LayoutArg::Long => Layout::Long,
                    LayoutArg::Wide => Layout::Wide,
                },
                unit_column: self.unit_column.clone(),
                year_column: self.year_column.clone(),
                encoding: self.encoding.into(),
                sheet: self.sheet.clone(),
                ..ReadOptions::default()
            },
            validation: if self.lenient { ValidationMode::Lenient } else { ValidationMode::Strict },
            attributes_path: self.attributes.as_ref().map(|p| p.display().to_string()),
        }
    }
}

/// A method flag's value read the library's one way (`FromStr`): an unknown name is answered
/// with the closest known one, a method that needs parameters with how to give them.
fn parse_method<T: std::str::FromStr<Err = Error>>(name: &str) -> Result<T, String> {
    name.parse().map_err(|e| match e {
        Error::Spec(message) => message,
        other => other.to_string(),
    })
}

/// The help of a method flag: `what`, then every name of `T`, from its `NAMES`.
fn method_help<T: Named>(what: &str) -> String {
    format!("{what}: {}", T::NAMING.help_list())
}

fn parse_model(s: &str) -> std::result::Result<citycheck::efficiency::Model, String> {
    s.parse().map_err(|e: Error| e.to_string())
}

fn parse_orientation(s: &str) -> std::result::Result<citycheck::efficiency::Orientation, String> {
    s.parse().map_err(|e: Error| e.to_string())
}

fn parse_scope(s: &str) -> citycheck::Result<Scope> {
    match s {
        "year" => Ok(Scope::Year),
        "panel" => Ok(Scope::Panel),
        other => other.trim_start_matches("reference_year=").parse::<i32>().map(Scope::ReferenceYear).map_err(|_| {
            Error::Spec(format!("scope '{other}': expected year, panel or a reference year such as 2010"))
        }),
    }
}

fn main() -> ExitCode {
    match execute(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn execute(cli: Cli) -> citycheck::Result<ExitCode> {
    bars::init(cli.quiet);
    match cli.command {
        Command::Run { config, out, format, lang } => {
            let mut config = match &config {
                Some(path) => RunConfig::load(path)?,
                None => RunConfig::embedded(),
            };
            // A config's relative output folder stays inside the config's folder; --out is
            // the user's explicit choice.
            if out.is_none() {
                config.check_output_contained()?;
            }
            if let Some(f) = format {
                config.output.format = f.into();
            }
            if let Some(l) = lang {
                config.output.lang = l.into();
                if let Some(report) = config.report.as_mut() {
                    report.lang = l.into();
                }
            }
            run_and_report(&config, out)
        }
        Command::Report { dir, out, lang, catalog } => {
            let mut options = ReportOptions::new().lang(lang.into()).progress(bars::observer());
            if let Some(out) = out {
                options = options.out(out);
            }
            if let Some(catalog) = catalog {
                options = options.catalog(std::sync::Arc::new(Catalog::resolve(&catalog)?));
            }
            let written = write_report(&dir, &options)?;
            for gap in &written.left_out {
                eprintln!("left out: {} ({}): {}", gap.section, gap.file, gap.reason);
            }
            eprintln!("wrote {} ({} unit pages, {})", written.path.display(), written.units, written.year);
            if let Some(workbook) = &written.workbook {
                eprintln!("wrote {}", workbook.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Uncertainty { config: path, draws, seed, out, format } => {
            let mut config = RunConfig::load(&path)?;
            let Some(u) = config.uncertainty.as_mut() else {
                return Err(Error::Spec(format!(
                    "{}: no [uncertainty] table; add one with its [[uncertainty.inputs]] (see the README)",
                    path.display()
                )));
            };
            if let Some(n) = draws {
                u.draws = n;
            }
            if let Some(s) = seed {
                u.seed = s;
            }
            u.check()?;
            if let Some(f) = format {
                config.output.format = f.into();
            }
            run_and_report(&config, out)
        }
        Command::Score { input, fitted, spec, normalize, scope, weights, aggregate, missing, out, format, lang } => {
            let mut spec = match spec {
                Some(path) => read_spec(&path)?,
                None => Spec {
                    normalize,
                    scope: parse_scope(&scope)?,
                    // One default spec for score, run, evaluate, diagnose and Python.
                    weights: weights.map_or_else(|| Spec::checkup_default().weights, Staged::uniform),
                    aggregate: Staged::uniform(aggregate),
                    ..Spec::default()
                },
            };
            if let Some(missing) = missing {
                spec.missing = missing.into();
            }
            let spec = if fitted.is_some() { Spec::default() } else { spec };
            let config = RunConfig {
                fitted: fitted.map(|p| p.display().to_string()),
                output: OutputConfig { dir: out, format: format.into(), lang: lang.into() },
                ..RunConfig::for_data(input.catalog.clone(), input.data_config(), spec)
            };
            run_and_report(&config, None)
        }
        Command::Evaluate { input, from, to, alpha, conventions, spec, out, format, lang } => {
            let spec = match spec {
                Some(path) => read_spec(&path)?,
                None => Spec::checkup_default(),
            };
            let config = RunConfig {
                output: OutputConfig { dir: out, format: format.into(), lang: lang.into() },
                evaluate: Some(EvaluateOptions {
                    from,
                    to,
                    alpha,
                    p_value: conventions.p_value,
                    alternative: conventions.alternative,
                    tau: conventions.tau,
                    sen_intercept: conventions.sen_intercept,
                    ..EvaluateOptions::default()
                }),
                ..RunConfig::for_data(input.catalog.clone(), input.data_config(), spec)
            };
            run_and_report(&config, None)
        }
        Command::Trend { series, alpha, lower_is_better, conventions } => {
            let better = if lower_is_better { Direction::Lower } else { Direction::Higher };
            print!("{}", table::trends_csv(&read_series(&series)?, alpha, better, conventions.options())?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Diagnose(args) => run_and_report(&args.config()?, None),
        Command::Coupling(args) => {
            print!("{}", matrix_analyses::coupling_table(&args)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Obstacle(args) => {
            print!("{}", matrix_analyses::obstacle_table(&args)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit(args) => run_and_report(&args.config()?, None),
        Command::Survey(args) => survey::run(&args),
        Command::Recheck(args) => recheck::run(&args),
        Command::Projects(args) => projects::run(&args),
        Command::Assess(args) => assess::run(&args),
        Command::Compute { catalog, records, level, no_ledger, param, out, format } => {
            let catalog = Catalog::resolve(&catalog)?.with_parameters(param.iter().cloned())?;
            for (name, value) in catalog.parameter_overrides() {
                eprintln!("parameter {name} = {value}");
            }
            let levels = if level.is_empty() {
                ComputeOptions::default().levels
            } else {
                level.iter().map(|l| ObjectLevel::from_name(l.trim())).collect::<citycheck::Result<_>>()?
            };
            let started = std::time::Instant::now();
            let tables = RecordTable::read_all(&records)?;
            for t in &tables {
                eprintln!("{} records: {}", t.level, t.origin);
            }
            let options = ComputeOptions { levels, ledger: !no_ledger };
            let computed = compute_observed(&catalog, &tables, &options, &bars::observer())?;
            let written = computed.write(&out, format.into(), "ledger")?;
            for issue in &computed.issues {
                eprintln!("problem: {issue}");
            }
            let levels: Vec<&str> = computed.levels().iter().map(|l| l.as_str()).collect();
            eprintln!(
                "levels {} in {:.2} s; wrote {}",
                levels.join(", "),
                started.elapsed().as_secs_f64(),
                written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            );
            Ok(if computed.issues.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Validate { input } => {
            let catalog = Catalog::resolve(&input.catalog)?;
            let data = input.data_config();
            let mut panel = citycheck::Panel::read(&data.path, &data.read)?;
            if let Some(attributes) = &data.attributes_path {
                panel.attach_attributes(attributes, data.read.unit_column.as_deref())?;
            }
            let validation = panel.validate(&catalog, ValidationMode::Lenient)?;
            for issue in &validation.issues {
                let tag = if issue.is_fatal() { "problem" } else { "note" };
                println!("{tag}: {issue}");
            }
            let fatal = validation.fatal().count();
            println!(
                "{}: {} observation(s) of {} unit(s), {fatal} problem(s), {} note(s)",
                input.data.display(),
                panel.len(),
                panel.units().len(),
                validation.issues.len() - fatal
            );
            Ok(if fatal > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Weights {
            matrix,
            method,
            types,
            pairwise,
            derivation,
            random_index,
            reciprocal_tolerance,
            shift,
            rescale,
            explain,
        } => {
            let flags = decision::WeightFlags {
                types_given: types.is_some(),
                shift,
                rescale,
                random_index,
                reciprocal_tolerance,
                derivation,
            };
            let method = decision::weight_with_flags(method, &flags)?;
            let (matrix, pairwise, explain) = (matrix.as_deref(), pairwise.as_deref(), explain.as_deref());
            print!("{}", decision::weights(matrix, &method, types.as_deref(), pairwise, explain)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Efficiency {
            data,
            inputs,
            outputs,
            undesirable,
            model,
            orientation,
            super_efficiency,
            unit_column,
            year_column,
            year,
            out,
        } => {
            let args = efficiency::EfficiencyArgs {
                table: efficiency::TableArgs { data, inputs, outputs, unit_column, year_column },
                undesirable,
                model,
                orientation,
                super_efficiency,
                year,
                out,
            };
            for path in efficiency::run(&args)? {
                eprintln!("wrote {}", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Malmquist { data, inputs, outputs, model, orientation, from, to, unit_column, year_column, out } => {
            let args = efficiency::MalmquistArgs {
                table: efficiency::TableArgs { data, inputs, outputs, unit_column, year_column },
                model,
                orientation,
                from,
                to,
                out,
            };
            for path in efficiency::run_malmquist(&args)? {
                eprintln!("wrote {}", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Rank { matrix, types, weights, method, normalize, parameter, strict, explain } => {
            let (normalize, explain) = (normalize.as_deref(), explain.as_deref());
            let options = decision::RankOptions { normalize, parameter, strict, explain };
            print!("{}", decision::rank(&matrix, types.as_deref(), &weights, &method, options)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Template { catalog, level, unit, units, years, out } => {
            let catalog = Catalog::resolve(&catalog)?;
            let mut names = unit;
            if let Some(path) = &units {
                names.extend(read_unit_list(path)?);
            }
            if names.is_empty() {
                return Err(Error::Spec(
                    "no unit to fill: give --unit NAME (repeatable) or --units FILE (one unit per line)".into(),
                ));
            }
            let options = TemplateOptions { units: names, years, level };
            template::write(&catalog, &options, &out)?;
            eprintln!(
                "wrote {}: catalogue {} version {}, {} unit(s) × {} year(s)",
                out.display(),
                catalog.id(),
                catalog.meta().version,
                options.units.len(),
                options.years.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Catalog { command: CatalogCommand::List } => {
            for id in Catalog::builtin_ids() {
                let c = Catalog::builtin(id)?;
                let scored = c.indicators().iter().filter(|i| i.is_scored()).count();
                println!("{id:<22} {:<4} indicators  {}", scored, c.meta().name);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Catalog { command: CatalogCommand::Show { id } } => {
            print!("{}", table::catalog(&Catalog::resolve(&id)?));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `NAME=VALUE` of `--param`.
fn parse_param(text: &str) -> Result<(String, f64), String> {
    let (name, value) = text.split_once('=').ok_or_else(|| format!("'{text}' is not NAME=VALUE"))?;
    let value: f64 = value.trim().parse().map_err(|_| format!("'{}' is not a number", value.trim()))?;
    Ok((name.trim().to_string(), value))
}

/// The units of `--units FILE`: one per line, the first field of a CSV line; empty lines,
/// `#` comments and a header line (`unit`, `city`, `城市`, …) are skipped.
fn read_unit_list(path: &std::path::Path) -> citycheck::Result<Vec<String>> {
    let text = citycheck::io::read_text(path)?;
    let mut units = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let name = line.split(',').next().unwrap_or("").trim().trim_matches('"').trim();
        let header = ["unit", "units", "city", "城市", "单位", "地区", "城市名称"];
        if n == 0 && header.iter().any(|h| name.eq_ignore_ascii_case(h)) {
            continue;
        }
        if !name.is_empty() {
            units.push(name.to_string());
        }
    }
    Ok(units)
}

/// A spec TOML file, named in its errors.
pub(crate) fn read_spec(path: &std::path::Path) -> citycheck::Result<Spec> {
    let text = citycheck::io::read_text(path)?;
    Spec::from_toml(&text).map_err(|e| match e {
        Error::Spec(m) => Error::Spec(format!("{}: {m}", path.display())),
        other => other,
    })
}

fn run_and_report(config: &RunConfig, out: Option<PathBuf>) -> citycheck::Result<ExitCode> {
    let source = match (&config.data, &config.compute) {
        (Some(data), _) => data.path.clone(),
        (None, Some(c)) => format!("records {}", c.records.join(", ")),
        (None, None) => String::new(),
    };
    // Which spec scores: the default is named, so that nobody mistakes it for another.
    let spec = match &config.fitted {
        Some(path) => format!("fitted parameters {path}"),
        None if config.spec == Spec::checkup_default() => {
            "spec checkup_default (equal weights across dimensions, entropy_normalized within each)".to_string()
        }
        None => "spec as given".to_string(),
    };
    eprintln!("citycheck {}: catalogue {}, data {source}, {spec}", env!("CARGO_PKG_VERSION"), config.catalog);
    let run::RunOutput {
        outcome,
        report,
        evaluation,
        diagnosis,
        recheck,
        projects: linked,
        assessment,
        uncertainty,
        audit: audited,
        report_html,
        ..
    } = run::run(&RunConfig { progress: bars::observer(), ..config.clone() }, out.as_deref())?;
    let dir = out.unwrap_or_else(|| config.resolve(&config.output.dir.display().to_string()));
    // The year diagnosed, when there is a diagnosis: its table, not the latest year's.
    print!("{}", table::year_table(&outcome.scores, diagnosis.as_ref().map(|d| d.year)));
    if let Some(evaluation) = &evaluation {
        print!("{}", table::evaluation(evaluation));
    }
    if let Some(diagnosis) = &diagnosis {
        print!("\n{}", diagnose::summary(diagnosis));
        for note in &diagnosis.notes {
            eprintln!("note: {note}");
        }
    }
    // The loop after the ranking: the re-check of the last year, then the assessment.
    if let Some(r) = &recheck {
        print!("{}", table::recheck(r));
        for issue in &r.issues {
            eprintln!("problem: {issue}");
        }
    }
    if let Some(p) = &linked {
        eprintln!(
            "projects (ledger {}): {} project(s), {} of {} problem(s) without a project, {} project(s) address no \
             recorded problem, {} overdue",
            p.year,
            p.projects.len(),
            p.gaps().len(),
            p.coverage.len(),
            p.unlinked().count(),
            p.projects.iter().filter(|r| r.overdue == Some(true)).count()
        );
        for issue in &p.issues {
            eprintln!("problem: {issue}");
        }
    }
    if let Some(a) = &assessment {
        print!("{}", table::assessment(a));
        for note in &a.notes {
            eprintln!("note: {note}");
        }
    }
    if let Some(u) = &uncertainty {
        eprintln!("uncertainty: {} draws, seed {}", u.draws, u.seed);
        let cell = |x: f64| if x.is_finite() { format!("{x:.3}") } else { "-".to_string() };
        // The rank shift on the terminal; the per-unit ranks' indices are in sensitivity.csv.
        let (shift, units): (Vec<_>, Vec<_>) =
            u.sensitivity.iter().partition(|s| s.target == citycheck::uncertainty::MEAN_ABS_RANK_SHIFT);
        for s in shift {
            eprintln!(
                "  {} on {}: S1 {} [{}, {}], ST {} [{}, {}]",
                s.input,
                s.target,
                cell(s.s1.value),
                cell(s.s1.ci_low),
                cell(s.s1.ci_high),
                cell(s.st.value),
                cell(s.st.ci_low),
                cell(s.st.ci_high)
            );
        }
        if !units.is_empty() {
            let targets: std::collections::BTreeSet<&str> = units.iter().map(|s| s.target.as_str()).collect();
            eprintln!("  sensitivity.csv: the same indices on the index rank of {} unit-year(s)", targets.len());
        }
    }
    if let Some(a) = &audited {
        eprint!("{}", audit::summary(a));
    }
    let c = &report.counts;
    eprintln!(
        "{} units × {} years × {} indicators ({} unit-years, {} observations); {} warning(s), {} data note(s)",
        c.units,
        c.years,
        c.indicators,
        c.unit_years,
        c.observations,
        report.warnings.len(),
        report.issues.len()
    );
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    if let Some(html) = &report_html {
        for gap in &html.left_out {
            eprintln!("report: left out {} ({}): {}", gap.section, gap.file, gap.reason);
        }
    }
    eprintln!("wrote {}", dir.display());
    Ok(ExitCode::SUCCESS)
}
