//! The check-up report (体检报告): one self-contained HTML file, `report.html`, made from the
//! output folder of a run — inline SVG charts and CSS, no script, nothing fetched, printable on
//! A4 with a page per unit.
//!
//! - The overview: the ranking of the index and of its groups in the report year with the
//!   rank changes since the year before, the league chart, the red / yellow / green warnings
//!   of every unit, and the run's provenance (catalogue, spec, inputs and their SHA-256).
//! - A page per unit: a radar of its groups against the median of the other units, its
//!   indicators against their standards coloured by warning level, a sparkline per node over
//!   the years with the Mann-Kendall verdict, progress to targets with the projected year, the
//!   obstacle Pareto, its rows of the problem ledger, the re-check and the project reserve.
//! - The survey, when the run scored one.
//!
//! The report year is the diagnosed year (run.json), or else the latest year with index
//! scores. Only `scores` is required; a table the folder lacks (a run without `[evaluate]`,
//! an older folder) or cannot read leaves its section out, and the report lists what it left
//! out and why ([`Written::left_out`]). Labels are the catalogue's `name_zh` (or `name_en`
//! with [`Lang::En`]); every text from the data is escaped ([`escape_html`]).
//!
//! Charts are drawn by plotters' SVG backend (DESIGN.md: "Why plotters, and why not its
//! ChartBuilder?"); each is a `<figure data-chart=… data-marks=… data-rows=…>` whose SVG
//! carries its marks (a bar per unit, a vertex per group, a point per year) as
//! `class="mark"` elements.
//!
//! A top module beside [`crate::run`] (layer 7): the run writes its report through it, and it
//! reads the folder, not the run's values, so that a folder written earlier or elsewhere can
//! be reported on.

mod charts;
mod folder;
mod html;
mod labels;
mod model;
mod page;
mod svg;
mod workbook;

pub use html::escape_html;
pub use workbook::REPORT_WORKBOOK;

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::io::{write_atomic, Lang};
use crate::progress::Observer;

/// The report's file name in its folder.
pub const REPORT_FILE: &str = "report.html";

/// The `[report]` table of a run config: write `report.html` beside the tables.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::io::Lang;
/// use citycheck::run::RunConfig;
/// let config = RunConfig::from_toml(
///     "catalog = \"ccsy-example\"\n[data]\npath = \"d.csv\"\n[report]\nlang = \"en\"\n",
/// )?;
/// let report = config.report.unwrap();
/// assert!(report.enabled);
/// assert_eq!(report.lang, Lang::En);
/// // A misspelt key is refused.
/// assert!(RunConfig::from_toml("catalog = \"x\"\n[data]\npath = \"d.csv\"\n[report]\nlangs = \"en\"\n").is_err());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    /// Write the report (default `true`; `false` keeps the table in the config but writes none).
    #[serde(default = "default_enabled")]
    pub enabled: bool,
    /// The language of the labels: `zh` (default: the catalogue's `name_zh`) or `en`.
    #[serde(default = "default_lang")]
    pub lang: Lang,
}

fn default_enabled() -> bool {
    true
}

fn default_lang() -> Lang {
    Lang::Zh
}

impl Default for ReportConfig {
    fn default() -> Self {
        ReportConfig { enabled: true, lang: Lang::Zh }
    }
}

/// How to write a report from an output folder.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ReportOptions {
    /// The language of the labels (default Chinese).
    pub lang: Lang,
    /// The folder to write `report.html` into; `None`: the output folder itself.
    pub out: Option<PathBuf>,
    /// The catalogue whose names label the nodes; `None`: the built-in catalogue run.json
    /// names (a catalogue loaded from a file has to be given, or the ids are shown).
    pub catalog: Option<Arc<Catalog>>,
    /// The observer of the unit pages being made (a stage `report pages`); none by default.
    pub progress: Observer,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions { lang: Lang::Zh, out: None, catalog: None, progress: Observer::none() }
    }
}

impl ReportOptions {
    /// Chinese labels, written into the output folder, names from the run's built-in catalogue.
    pub fn new() -> ReportOptions {
        ReportOptions::default()
    }

    /// The language of the labels.
    pub fn lang(mut self, lang: Lang) -> ReportOptions {
        self.lang = lang;
        self
    }

    /// The folder to write `report.html` into.
    pub fn out(mut self, dir: impl Into<PathBuf>) -> ReportOptions {
        self.out = Some(dir.into());
        self
    }

    /// The catalogue whose names label the nodes.
    pub fn catalog(mut self, catalog: Arc<Catalog>) -> ReportOptions {
        self.catalog = Some(catalog);
        self
    }

    /// The observer of the unit pages being made.
    pub fn progress(mut self, progress: Observer) -> ReportOptions {
        self.progress = progress;
        self
    }
}

/// A section the report left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// The section: `provenance`, `trends`, `progress`, `warnings`, `obstacles`, `ledger`,
    /// `reserve`, `recheck`, `survey` or `reliability`; `workbook` for a table report.xlsx
    /// leaves out (unreadable, or too large for a sheet).
    pub section: &'static str,
    /// The table it needs (`trends.csv`, `citycheck.xlsx [trends]`, `run.json`).
    pub file: String,
    /// Why it is left out: the table is absent, or what is wrong with it (file, row, column).
    pub reason: String,
}

impl LeftOut {
    fn new(section: &'static str, file: &str, reason: &str) -> LeftOut {
        LeftOut { section, file: file.to_string(), reason: reason.to_string() }
    }
}

/// A report written.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Written {
    /// The report file.
    pub path: PathBuf,
    /// The workbook of the folder's tables beside it (report.xlsx: a sheet per table, a README
    /// sheet of run.json's provenance); `None` when the folder's tables are already the sheets
    /// of its workbook (citycheck.xlsx).
    pub workbook: Option<PathBuf>,
    /// The unit pages it has (every unit of the scores).
    pub units: usize,
    /// The year it reports on.
    pub year: i32,
    /// The sections it left out, with the reasons (also listed in the report).
    pub left_out: Vec<LeftOut>,
}

/// Reads the output folder `dir` of a run and writes `report.html` and `report.xlsx` (into
/// `options.out`, or `dir`): the workbook has a sheet per table file of the folder (CSV or
/// Parquet), headers in `options.lang`, and a README sheet of run.json's provenance, written
/// by the run's own workbook writer ([`crate::io::write_workbook`]).
///
/// # Errors
/// [`Error::Io`] when the folder cannot be read or the report written; [`Error::Data`] naming
/// the folder when it has no `scores` table, and the file, row and column of a `scores` cell
/// that does not parse. Any other table that is missing or unreadable leaves its section out
/// ([`Written::left_out`]).
///
/// # Examples
/// ```no_run
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::io::Lang;
/// use citycheck::report::{write_report, ReportOptions};
/// let written = write_report("citycheck-out".as_ref(), &ReportOptions::new().lang(Lang::En))?;
/// for gap in &written.left_out {
///     println!("left out {} ({}): {}", gap.section, gap.file, gap.reason);
/// }
/// # Ok(()) }
/// ```
pub fn write_report(dir: &Path, options: &ReportOptions) -> Result<Written> {
    write(dir, None, None, options)
}

/// The report of a run being written: `run` is what its run.json will hold (written after the
/// report, last of the run's files), `catalog` the run's catalogue, `written` the files the run
/// has written (the only ones read: an earlier run's files are removed only after the report),
/// `progress` the observer of its pages.
pub(crate) fn write_for_run(
    dir: &Path,
    run: serde_json::Value,
    catalog: Arc<Catalog>,
    config: &ReportConfig,
    written: &[PathBuf],
    progress: &Observer,
) -> Result<Written> {
    let options = ReportOptions { lang: config.lang, out: None, catalog: Some(catalog), progress: progress.clone() };
    let files = written.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
    write(dir, Some(run), Some(files), &options)
}

fn write(
    dir: &Path,
    run: Option<serde_json::Value>,
    written: Option<Vec<String>>,
    options: &ReportOptions,
) -> Result<Written> {
    let folder = folder::Folder::open(dir, written)?;
    // The run.json the labels are checked against: the caller's, or the folder's.
    let run_for_labels = match &run {
        Some(run) => Some(run.clone()),
        None => folder.run_json().ok().flatten(),
    };
    let (catalog, catalog_note) = label_catalog(options, run_for_labels.as_ref());
    let labels = labels::Labels::new(options.lang, catalog);
    let model = model::Model::read(&folder, run, &labels)?;
    let pages = options.progress.stage("report pages", model.units.len() as u64, "pages");
    let html = page::page(&model, &labels, catalog_note.as_deref(), &pages)?;
    drop(pages);
    let out_dir = options.out.clone().unwrap_or_else(|| dir.to_path_buf());
    fs::create_dir_all(&out_dir).map_err(|e| Error::io(&out_dir, e))?;
    let path = out_dir.join(REPORT_FILE);
    write_atomic(&path, |f| f.write_all(html.as_bytes()).map_err(|e| Error::io(&path, e)))?;
    let files = folder.files(model.run.as_ref())?;
    let mut left_out = model.left_out;
    let workbook_path = out_dir.join(REPORT_WORKBOOK);
    let workbook = workbook::write(&folder, &files, model.run.as_ref(), &workbook_path, options.lang, &mut left_out)?;
    Ok(Written { path, workbook, units: model.units.len(), year: model.year, left_out })
}

/// The catalogue that names the nodes, and a note when the names may not be the run's: the
/// catalogue given (checked against run.json's SHA-256), or the built-in catalogue run.json
/// names.
fn label_catalog(options: &ReportOptions, run: Option<&serde_json::Value>) -> (Option<Arc<Catalog>>, Option<String>) {
    let zh = options.lang == Lang::Zh;
    let ran = run.map(|r| {
        (
            r["catalog"]["id"].as_str().unwrap_or_default().to_string(),
            r["catalog"]["sha256"].as_str().unwrap_or_default().to_string(),
        )
    });
    if let Some(catalog) = &options.catalog {
        let note = match &ran {
            Some((_, sha)) if !sha.is_empty() && sha != catalog.sha256() => Some(if zh {
                format!(
                    "名称取自指标体系 {}（SHA-256 {}），与本次运行所用的（{sha}）不同。",
                    catalog.id(),
                    catalog.sha256()
                )
            } else {
                format!(
                    "Names are from catalogue {} (SHA-256 {}), not the one the run used ({sha}).",
                    catalog.id(),
                    catalog.sha256()
                )
            }),
            _ => None,
        };
        return (Some(Arc::clone(catalog)), note);
    }
    let Some((id, sha)) = ran else {
        let note = if zh {
            "文件夹中没有 run.json：指标以编号显示（可用 --catalog 指定指标体系）。"
        } else {
            "The folder has no run.json: nodes are shown by id (give the catalogue with --catalog)."
        };
        return (None, Some(note.to_string()));
    };
    if !Catalog::builtin_ids().any(|b| b == id) {
        let note = if zh {
            format!("指标体系 {id} 不是内置的：指标以编号显示（可用 --catalog 指定其文件）。")
        } else {
            format!("Catalogue {id} is not built in: nodes are shown by id (give its file with --catalog).")
        };
        return (None, Some(note));
    }
    match Catalog::builtin(&id) {
        Ok(catalog) => {
            let note = (!sha.is_empty() && sha != catalog.sha256()).then(|| {
                if zh {
                    format!("内置指标体系 {id} 已不同于本次运行所用的版本（SHA-256 {sha}）：名称取自当前版本。")
                } else {
                    format!("The built-in catalogue {id} differs from the one the run used (SHA-256 {sha}): names are from the current one.")
                }
            });
            (Some(Arc::new(catalog)), note)
        }
        Err(e) => (None, Some(e.to_string())),
    }
}
