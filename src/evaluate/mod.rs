//! The five-year evaluation (五年一评估) and early warning (监测预警) over a scored panel,
//! METHODS.md §6–§7: per unit the trend of every indicator, group and the index between two
//! years, progress to the catalogue's targets with deadlines, and a warning level per
//! indicator, unit and year.
//!
//! # What is measured
//! - Indicators: the observed values after the run's denominators (per capita, per unit of
//!   output), never imputed cells (an imputed value is not an observation of a trend); the
//!   verdict follows the indicator's direction. Ranks are those of the indicator's score.
//! - Groups and the index: the scores, higher is better. They are comparable across years only
//!   when the parameters are fitted once (`panel` scope, a reference year, or goalposts); with
//!   `year` scope every score row carries a note and [`Evaluation::comparable`] is false.
//! - Progress: every unit × indicator with a standard that applies to the unit (higher or lower
//!   direction), with the standard's deadline ([`progress`]).
//! - Warnings: every unit × year × indicator with a standard, from [`alert`], where the trend
//!   that may raise the level is the Mann-Kendall verdict over the window up to that year — what
//!   was known then.
//! - Not applicable (marked in the data or by the catalogue's rule): those cells are left out,
//!   never imputed, never warned about; trend and progress rows note `not_applicable`, and a
//!   unit to which an indicator applies in no year has no progress row.

mod alert;
mod output;
mod progress;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use alert::{alert, Alert, Level, DEFAULT_YELLOW};
// The command line's terminal table reuses the trend columns; not part of the library's API.
#[doc(hidden)]
pub use output::{note_cell, summary_columns};
pub use progress::{progress, progress_with, Pace, PaceCutoffs, Progress, TrendFit};

use crate::catalog::{Catalog, NodeKind};
use crate::checkup::{Dataset, Outcome, Scope, Scores};
use crate::direction::Direction;
use crate::error::{Error, Result};
use crate::normalize::{attainment, standard_value};
use crate::trend::{
    summarize_with, verdict_of, verdict_of_with, Alternative, PValue, SenIntercept, Summary, Tau, TrendOptions, Verdict,
};

/// Significant worsening trends: `(unit, indicator id)` → whether the indicator worsens
/// significantly ([`worsening`]).
pub type Worsening = HashMap<(String, String), bool>;

/// Options of an evaluation (the `[evaluate]` section of a run config).
///
/// # Examples
/// ```
/// use citycheck::evaluate::{EvaluateOptions, TrendFit};
/// // The 14th five-year plan's window, with recent check-ups counting more in progress.
/// let options = EvaluateOptions {
///     from: Some(2021),
///     to: Some(2025),
///     fit: TrendFit::RecencyWeighted { half_life: 2.0 },
///     ..Default::default()
/// };
/// assert_eq!(options.alpha, 0.05);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluateOptions {
    /// First year of the window; the data's first year when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<i32>,
    /// Last year of the window; the data's last year when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<i32>,
    /// Significance level of the trend verdicts and of Sen's interval (default 0.05).
    #[serde(default = "default_alpha")]
    pub alpha: f64,
    /// Cut-offs of the pace labels of progress to targets (default 1 and 0.5).
    #[serde(default)]
    pub pace: PaceCutoffs,
    /// The trend line of progress to targets: OLS (default) or recency-weighted.
    #[serde(default)]
    pub fit: TrendFit,
    /// How the Mann-Kendall p of the trends is computed (`auto`, `exact`, `normal`,
    /// `normal_cc`; [`PValue`]).
    #[serde(default, skip_serializing_if = "is_default")]
    pub p_value: PValue,
    /// The alternative of the Mann-Kendall p (`two_sided`, `greater`, `less`; [`Alternative`]).
    #[serde(default, skip_serializing_if = "is_default")]
    pub alternative: Alternative,
    /// Kendall's τ reported (`a` or `b`; [`Tau`]).
    #[serde(default, skip_serializing_if = "is_default")]
    pub tau: Tau,
    /// Sen's intercept (`medians` or `residuals`; [`SenIntercept`]).
    #[serde(default, skip_serializing_if = "is_default")]
    pub sen_intercept: SenIntercept,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

impl EvaluateOptions {
    /// The trend conventions of these options.
    pub fn trend(&self) -> TrendOptions {
        TrendOptions {
            p_value: self.p_value,
            alternative: self.alternative,
            tau: self.tau,
            sen_intercept: self.sen_intercept,
        }
    }
}

/// The default significance level of trend verdicts.
pub const DEFAULT_ALPHA: f64 = 0.05;

fn default_alpha() -> f64 {
    DEFAULT_ALPHA
}

impl Default for EvaluateOptions {
    fn default() -> Self {
        EvaluateOptions {
            from: None,
            to: None,
            alpha: default_alpha(),
            pace: PaceCutoffs::default(),
            fit: TrendFit::Ols,
            p_value: PValue::default(),
            alternative: Alternative::default(),
            tau: Tau::default(),
            sen_intercept: SenIntercept::default(),
        }
    }
}

/// The trend of one unit on one node: a row of the `trends` table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TrendRow {
    /// The unit (city, district, …): column `unit`.
    pub unit: String,
    /// The catalogue node's id (indicator, group or `index`): column `node`.
    pub node: String,
    /// Whether the node is an indicator, a group or the index: column `kind`.
    pub kind: NodeKind,
    /// The trend statistics: columns `n` … `verdict`; its notes go to `note`.
    pub summary: Summary,
    /// Rank of the node's score among the units in the first year of the series (1 = best):
    /// column `start_rank`; `None` without a score that year.
    pub start_rank: Option<u32>,
    /// Rank in the last year of the series (1 = best): column `end_rank`; `None` without a
    /// score that year.
    pub end_rank: Option<u32>,
}

/// Progress of one unit on one indicator with a target: a row of the `progress` table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ProgressRow {
    /// The unit: column `unit`.
    pub unit: String,
    /// The indicator's id: column `indicator`.
    pub indicator: String,
    /// Baseline, latest value, target, deadline and the progress measures: columns
    /// `baseline_year` … `pace_label`; its notes go to `note`.
    pub progress: Progress,
}

/// The warning (监测预警) of one unit, year and indicator: a row of the `warnings` table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct WarningRow {
    /// The unit: column `unit`.
    pub unit: String,
    /// The check-up year: column `year`.
    pub year: i32,
    /// The indicator's id: column `indicator`.
    pub indicator: String,
    /// The observed value after denominators, in the indicator's unit: column `value`.
    pub value: f64,
    /// Attainment, level and reason: columns `attainment`, `level` and `reason`.
    pub alert: Alert,
}

/// The result of [`evaluate`]: the five-year evaluation's trends, progress to targets and
/// warnings, written as the tables `trends`, `progress` and `warnings`.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::prelude::*;
/// let checkup = Checkup::new(Catalog::builtin("ccsy-example")?, Spec::checkup_default())?;
/// let options = ReadOptions::default().unit_column("city");
/// let panel = Panel::embedded("cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv", &options)?;
/// let data = checkup.prepare(&panel, &panel.validate(checkup.catalog(), ValidationMode::Strict)?)?;
/// let outcome = checkup.fit(&data)?;
/// let evaluation = evaluate(&data, &outcome, &EvaluateOptions { from: Some(2009), ..Default::default() })?;
/// assert_eq!((evaluation.from, evaluation.to), (2009, 2012));
/// assert!(evaluation.comparable); // panel scope: one fit over all years
/// let index = evaluation.trends.iter().find(|t| t.unit == "沈阳市" && t.node == "index").unwrap();
/// println!("沈阳市's index 2009–2012: {}", index.summary.verdict.as_str());
/// assert_eq!(evaluation.summary().trends, evaluation.trends.len());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Evaluation {
    /// First year of the window.
    pub from: i32,
    /// Last year of the window.
    pub to: i32,
    /// Significance level of the trend verdicts.
    pub alpha: f64,
    /// Whether the scores of different years are comparable (false with `year` scope).
    pub comparable: bool,
    /// One row per unit and node (indicators, groups, index) with data in the window.
    pub trends: Vec<TrendRow>,
    /// One row per unit and indicator whose standard applies to the unit (higher or lower
    /// direction) and that has an observation in the window.
    pub progress: Vec<ProgressRow>,
    /// One row per unit, year and indicator judged against a standard.
    pub warnings: Vec<WarningRow>,
    /// Run-level remarks (scope, empty window, …), also written to run.json.
    pub notes: Vec<String>,
}

/// Counts of an evaluation, for run.json.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EvaluationSummary {
    /// First year of the window.
    pub from: i32,
    /// Last year of the window.
    pub to: i32,
    /// Significance level of the trend verdicts.
    pub alpha: f64,
    /// Whether the scores of different years are comparable ([`Evaluation::comparable`]).
    pub comparable_across_years: bool,
    /// Number of trend rows.
    pub trends: usize,
    /// Trend rows with the verdict `improving`.
    pub improving: usize,
    /// Trend rows with the verdict `worsening`.
    pub worsening: usize,
    /// Number of progress rows.
    pub progress: usize,
    /// Progress rows on track to meet the target by the deadline.
    pub on_track: usize,
    /// Progress rows off track (rows without a deadline are neither).
    pub off_track: usize,
    /// Warning rows at level red.
    pub warnings_red: usize,
    /// Warning rows at level yellow.
    pub warnings_yellow: usize,
    /// Warning rows at level green.
    pub warnings_green: usize,
    /// Run-level remarks, as [`Evaluation::notes`].
    pub notes: Vec<String>,
}

const SCOPE_NOTE: &str = "scope = year: scores are fitted per year and not comparable across years";

/// Evaluates the window [`options.from`, `options.to`] of a scored panel: `data` and the
/// `outcome` scored from it (its spec decides whether scores are comparable across years).
///
/// # Errors
/// [`Error::Mismatch`] when `outcome` was not scored from `data`; [`Error::Spec`] for an empty
/// or inverted window, a window outside the data, or a bad `alpha` or pace cut-off;
/// [`Error::Method`] for a negative value of an indicator with a standard (attainment needs
/// x ≥ 0).
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::evaluate::{evaluate, EvaluateOptions};
/// use citycheck::{Catalog, Checkup, Panel, Spec, ValidationMode};
/// let catalog = Catalog::builtin("ccsy-example")?;
/// let panel = Panel::from_records((2008..=2012).flat_map(|y| {
///     let t = f64::from(y - 2008);
///     [("沈阳市", y, "green_coverage_builtup", 38.0 + t), ("大连市", y, "green_coverage_builtup", 45.0 - t)]
/// }));
/// let validation = panel.validate(&catalog, ValidationMode::Strict)?;
/// let (data, outcome) = Checkup::new(catalog, Spec::default())?.run(&panel, &validation)?;
/// let evaluation = evaluate(&data, &outcome, &EvaluateOptions::default())?;
/// let trend = evaluation.trends.iter()
///     .find(|t| t.unit == "沈阳市" && t.node == "green_coverage_builtup").unwrap();
/// // Five rising values: Mann-Kendall S = 10, exact two-sided p = 2/120.
/// assert_eq!(trend.summary.verdict.as_str(), "improving");
/// # Ok(()) }
/// ```
pub fn evaluate(data: &Dataset, outcome: &Outcome, options: &EvaluateOptions) -> Result<Evaluation> {
    outcome.check_data(data)?;
    let (catalog, scores, spec) = (data.catalog().as_ref(), &outcome.scores, outcome.spec());
    if !(options.alpha > 0.0 && options.alpha < 1.0) {
        return Err(Error::Spec(format!("evaluate: alpha {} must be in (0, 1)", options.alpha)));
    }
    options.pace.check()?;
    let years = data.years();
    let (Some(&first), Some(&last)) = (years.first(), years.last()) else {
        return Err(Error::NotInData("evaluate: the data have no unit-year to evaluate".into()));
    };
    let from = options.from.unwrap_or(first);
    let to = options.to.unwrap_or(last);
    if from > to {
        return Err(Error::Spec(format!(
            "evaluate: the window starts in {from}, after its end {to}; the data cover {first}–{last}"
        )));
    }
    if to < first || from > last {
        return Err(Error::NotInData(format!(
            "evaluate: the window {from}–{to} has no data; the data cover {first}–{last}"
        )));
    }
    let comparable = spec.scope != Scope::Year;
    let mut notes = Vec::new();
    if !comparable {
        notes.push(SCOPE_NOTE.to_string());
    }
    let window: Vec<i32> = years.iter().copied().filter(|y| (from..=to).contains(y)).collect();
    if window.len() < 5 && to - from >= 4 {
        notes.push(format!(
            "{} of the {} years {from}–{to} have data: trends rest on fewer check-ups",
            window.len(),
            to - from + 1
        ));
    }

    let unit_rows = unit_rows(data, from, to);
    let units: Vec<usize> = (0..data.units.len()).filter(|&u| !unit_rows[u].is_empty()).collect();

    let per_unit: Vec<(Vec<TrendRow>, Vec<ProgressRow>, Vec<WarningRow>)> = units
        .par_iter()
        .map(|&u| evaluate_unit(catalog, data, scores, options, comparable, u, &unit_rows[u]))
        .collect::<Result<_>>()?;
    let mut evaluation = Evaluation {
        from,
        to,
        alpha: options.alpha,
        comparable,
        trends: vec![],
        progress: vec![],
        warnings: vec![],
        notes,
    };
    for (t, p, w) in per_unit {
        evaluation.trends.extend(t);
        evaluation.progress.extend(p);
        evaluation.warnings.extend(w);
    }
    Ok(evaluation)
}

/// The dataset rows of each unit between `from` and `to`, in year order (dataset rows are
/// year-major).
fn unit_rows(data: &Dataset, from: i32, to: i32) -> Vec<Vec<usize>> {
    let mut unit_rows: Vec<Vec<usize>> = vec![Vec::new(); data.units.len()];
    for r in 0..data.rows() {
        if (from..=to).contains(&data.row_year[r]) {
            unit_rows[data.row_unit[r] as usize].push(r);
        }
    }
    unit_rows
}

/// The observed values of dataset column `c` at `rows`: imputed cells are missing (an imputed
/// value is not an observation of a trend).
fn observed(data: &Dataset, c: usize, rows: &[usize]) -> Vec<f64> {
    let (column, n_rows) = (data.raw.column(c), data.rows());
    rows.iter().map(|&r| if data.imputed[c * n_rows + r] { f64::NAN } else { column[r] }).collect()
}

/// The significant worsening trends of every (unit, indicator) over the data's years up to `to`
/// (all years when `None`): the Mann-Kendall verdict of the evaluation's indicator trends, at
/// level `alpha`, on the observed values. Only the test runs, not the whole evaluation.
///
/// # Errors
/// [`Error::Spec`] for a bad `alpha` or a `to` before the data's first year.
pub fn worsening(data: &Dataset, to: Option<i32>, alpha: f64) -> Result<Worsening> {
    let catalog = data.catalog().as_ref();
    let years = data.years();
    let (Some(&first), Some(&last)) = (years.first(), years.last()) else {
        return Err(Error::NotInData("evaluate: the data have no unit-year to evaluate".into()));
    };
    let to = to.unwrap_or(last);
    if to < first {
        return Err(Error::NotInData(format!(
            "evaluate: the window {first}–{to} has no data; the data cover {first}–{last}"
        )));
    }
    let mut out = HashMap::new();
    for (u, rows) in unit_rows(data, first, to).iter().enumerate().filter(|(_, rows)| !rows.is_empty()) {
        let t: Vec<f64> = rows.iter().map(|&r| f64::from(data.row_year[r])).collect();
        for c in 0..data.columns.len() {
            let ind = &catalog.indicators()[data.positions[c]];
            let direction = ind.direction.unwrap_or(Direction::Higher);
            let (verdict, _) = verdict_of(&t, &observed(data, c, rows), alpha, direction)?;
            out.insert((data.units[u].clone(), ind.id.clone()), verdict == Verdict::Worsening);
        }
    }
    Ok(out)
}

/// The note of a trend or progress row whose indicator is not applicable in some years of the
/// window (marked in the data or by the catalogue's rule): those years are left out. A unit
/// for which the indicator applies in no year has no progress row (nothing to measure) and
/// no warning row.
const NOT_APPLICABLE_NOTE: &str = "not_applicable: years where the indicator does not apply are left out";

/// Trends, progress and warnings of one unit; `rows` are its dataset rows in the window.
fn evaluate_unit(
    catalog: &Catalog,
    data: &Dataset,
    scores: &Scores,
    options: &EvaluateOptions,
    comparable: bool,
    u: usize,
    rows: &[usize],
) -> Result<(Vec<TrendRow>, Vec<ProgressRow>, Vec<WarningRow>)> {
    let unit = &data.units[u];
    let t: Vec<f64> = rows.iter().map(|&r| f64::from(data.row_year[r])).collect();
    let n_rows = data.rows();
    let tree = scores.tree();
    let mut trends = Vec::new();
    let mut progress_rows = Vec::new();
    let mut warnings = Vec::new();
    let ranks = |node: usize, summary: &Summary| -> (Option<u32>, Option<u32>) {
        let rank_at = |year: Option<f64>| {
            let r = rows.iter().find(|&&r| Some(f64::from(data.row_year[r])) == year)?;
            scores.rank(*r, node)
        };
        (rank_at(summary.first_year), rank_at(summary.last_year))
    };

    // Indicators: observed values.
    for (c, &node) in data.columns.iter().enumerate() {
        let ind = &catalog.indicators()[data.positions[c]];
        let direction = ind.direction.unwrap_or(Direction::Higher);
        let y = observed(data, c, rows);
        let mut summary =
            summarize_with(&t, &y, options.alpha, direction, options.trend()).map_err(|e| e.at_unit(unit, &ind.id))?;
        if rows.iter().any(|&r| data.imputed[c * n_rows + r]) {
            summary.notes.push("imputed values left out: trends use observations only".into());
        }
        // Not applicable is not missing: those years are left out of the series (never imputed).
        let not_applicable = rows.iter().any(|&r| data.is_not_applicable(r, c));
        if not_applicable {
            summary.notes.push(NOT_APPLICABLE_NOTE.into());
        }
        let (start_rank, end_rank) = ranks(node, &summary);
        trends.push(TrendRow {
            unit: unit.clone(),
            node: ind.id.clone(),
            kind: NodeKind::Indicator,
            summary,
            start_rank,
            end_rank,
        });

        // Progress to the unit's target.
        if let (Some(target), Direction::Higher | Direction::Lower) =
            (standard_value(&ind.criterion(), unit), direction)
        {
            let deadline = ind.standard.as_ref().and_then(|s| s.deadline);
            if let Some(mut p) = progress_with(&t, &y, target, deadline, direction, &options.pace, options.fit)? {
                if let (Some(v), Some([lo, hi])) = (p.anticipated, ind.valid_range) {
                    if !(lo..=hi).contains(&v) {
                        p.anticipated = Some(v.clamp(lo, hi));
                        p.notes.push(format!(
                            "the trend's value at the deadline, {}, is clipped to the valid range [{lo}, {hi}]",
                            crate::error::shown_fixed(v, 4)
                        ));
                    }
                }
                if not_applicable {
                    p.notes.push(NOT_APPLICABLE_NOTE.into());
                }
                progress_rows.push(ProgressRow { unit: unit.clone(), indicator: ind.id.clone(), progress: p });
            }
        }

        // Warnings, year by year, with the trend known up to that year.
        for (k, &r) in rows.iter().enumerate() {
            // Only values judged against a standard get a warning: test the trend for those.
            if attainment(&ind.criterion(), unit, y[k]).map_err(|e| e.at_unit(unit, &ind.id))?.is_none() {
                continue;
            }
            let (verdict, test) = verdict_of_with(&t[..=k], &y[..=k], options.alpha, direction, options.trend())?;
            let worsening = verdict == Verdict::Worsening;
            if let Some(mut a) = alert(ind, unit, y[k], worsening).map_err(|e| e.at_unit(unit, &ind.id))? {
                if let (true, Some(mk)) = (worsening, test) {
                    a.reason.push_str(&format!(" (Mann-Kendall {}–{}, p = {:.4})", t[0], t[k], mk.p_value));
                }
                warnings.push(WarningRow {
                    unit: unit.clone(),
                    year: data.row_year[r],
                    indicator: ind.id.clone(),
                    value: y[k],
                    alert: a,
                });
            }
        }
    }

    // Groups and the index: scores, higher is better.
    for node in (0..tree.nodes().len()).filter(|&n| tree.node(n).kind != NodeKind::Indicator) {
        let y: Vec<f64> = rows.iter().map(|&r| scores.value(r, node)).collect();
        let mut summary = summarize_with(&t, &y, options.alpha, Direction::Higher, options.trend())?;
        if !comparable {
            summary.notes.push(SCOPE_NOTE.into());
        }
        let (start_rank, end_rank) = ranks(node, &summary);
        let n = tree.node(node);
        trends.push(TrendRow { unit: unit.clone(), node: n.id.clone(), kind: n.kind, summary, start_rank, end_rank });
    }
    Ok((trends, progress_rows, warnings))
}

impl Evaluation {
    /// The counts written to run.json.
    pub fn summary(&self) -> EvaluationSummary {
        let count = |v: Verdict| self.trends.iter().filter(|t| t.summary.verdict == v).count();
        let level = |l: Level| self.warnings.iter().filter(|w| w.alert.level == l).count();
        EvaluationSummary {
            from: self.from,
            to: self.to,
            alpha: self.alpha,
            comparable_across_years: self.comparable,
            trends: self.trends.len(),
            improving: count(Verdict::Improving),
            worsening: count(Verdict::Worsening),
            progress: self.progress.len(),
            on_track: self.progress.iter().filter(|p| p.progress.on_track == Some(true)).count(),
            off_track: self.progress.iter().filter(|p| p.progress.on_track == Some(false)).count(),
            warnings_red: level(Level::Red),
            warnings_yellow: level(Level::Yellow),
            warnings_green: level(Level::Green),
            notes: self.notes.clone(),
        }
    }
}
