//! The annual assessment (年度考核评估) of each city's renewal work: the plan asks that every
//! city's urban-renewal work be assessed each year, the results published (通报) and the cities
//! with notable results rewarded (以奖代补) — 四、保障措施 / （七）加强实效核查。: "对各地区城市更新工作
//! 实施年度考核评估并通报结果，对成效显著的城市实施以奖代补等激励措施。"
//!
//! The assessment is a check-up of its own: the catalogue `liaoning-assessment`
//! (`indicators/liaoning-assessment.toml`, every indicator proposed: the plan names none) is
//! scored with the usual [`Checkup`] on a panel (unit, year, indicator, value) built from the
//! outputs of a run ([`AssessData::read`], the tables in `read.rs`): the re-check's rates, the
//! progress to the plan's targets, the projects, the warnings and the survey. A table not given
//! leaves its indicators missing, with a note; aggregation renormalises over the rest.
//!
//! Per unit and year, [`assess`] gives the index score, the rank among the units of the year
//! (1 = best, ties share the lowest rank), the rank change since the previous year (positive:
//! moved up) and the incentive tier ([`Incentive`]: the top share of the ranking, ties at the
//! cut included, or a threshold score), written as `assessment.csv` and the published ranking
//! (通报) in English and Chinese (`output.rs`).

mod output;
mod read;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub use read::{
    progress_values, project_values, read_progress, read_recheck_summary, read_survey, read_warnings,
    recheck_summary_values, survey_values, warnings_values, TableSource,
};

use crate::catalog::Catalog;
use crate::checkup::{Checkup, Spec};
use crate::error::{Error, Result, Warning};
use crate::panel::{Panel, ValidationMode};
use crate::projects::{read_projects, ProjectTable};
use crate::recheck::CITY_LEVEL;

/// The id of the built-in assessment catalogue.
pub const CATALOG_ID: &str = "liaoning-assessment";

/// One value of the assessment panel.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessValue {
    /// The unit (city).
    pub unit: String,
    /// The assessed year.
    pub year: i32,
    /// The indicator's id in the assessment catalogue.
    pub indicator: &'static str,
    /// The value, in the indicator's unit (% or a count).
    pub value: f64,
}

/// The tables the assessment reads; any may be absent (its indicators are then missing).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssessInputs {
    /// `recheck_summary.csv` of `citycheck recheck` (or a run).
    pub recheck_summary: Option<PathBuf>,
    /// `progress.csv` of `citycheck evaluate` (or a run).
    pub progress: Option<PathBuf>,
    /// Projects tables with their year; `None`: the latest year of the other tables.
    pub projects: Vec<(Option<i32>, PathBuf)>,
    /// `warnings.csv` of `citycheck evaluate` (or a run).
    pub warnings: Option<PathBuf>,
    /// `survey_dimensions.csv` of `citycheck survey` (or a table with unit, year, satisfaction).
    pub survey: Option<PathBuf>,
    /// The level of the re-check summary's rows to read; default `city`.
    pub level: Option<String>,
}

/// Where a projects table of the assessment comes from: a file, or a table already read (a
/// run's own).
#[derive(Debug, Clone, Copy)]
pub enum ProjectsSource<'a> {
    /// A projects table file, read as `citycheck projects` reads it.
    File(&'a Path),
    /// A projects table already read.
    Table(&'a ProjectTable),
}

/// The tables of an assessment, from files or in memory ([`AssessData::from_sources`]); any may
/// be absent (its indicators are then missing).
#[derive(Debug, Clone, Default)]
pub struct AssessSources<'a> {
    /// `recheck_summary.csv` (rectification_rate, closure_rate).
    pub recheck_summary: Option<TableSource<'a>>,
    /// `progress.csv` (target_progress).
    pub progress: Option<TableSource<'a>>,
    /// Projects tables with their year; `None`: the latest year of the other tables.
    pub projects: Vec<(Option<i32>, ProjectsSource<'a>)>,
    /// `warnings.csv` (red_warnings_reduced).
    pub warnings: Option<TableSource<'a>>,
    /// `survey_dimensions.csv` (satisfaction).
    pub survey: Option<TableSource<'a>>,
    /// The level of the re-check summary's rows to read; default `city`.
    pub level: Option<&'a str>,
}

/// The assessment panel's values and what the reading noted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssessData {
    /// The values, table by table.
    pub values: Vec<AssessValue>,
    /// Tables not given, years not comparable, issues of the projects table.
    pub notes: Vec<String>,
}

impl AssessData {
    /// Reads the tables given (module docs of `read.rs` for how each value is made).
    ///
    /// # Errors
    /// [`Error::Io`] when a file cannot be read; [`Error::Data`] naming the file, row and
    /// column for a missing column or a bad cell; [`Error::Spec`] for a projects table without
    /// a year when no other table gives one, and for a value given twice.
    pub fn read(inputs: &AssessInputs) -> Result<AssessData> {
        let sources = AssessSources {
            recheck_summary: inputs.recheck_summary.as_deref().map(TableSource::File),
            progress: inputs.progress.as_deref().map(TableSource::File),
            projects: inputs
                .projects
                .iter()
                .map(|(year, path)| (*year, ProjectsSource::File(path.as_path())))
                .collect(),
            warnings: inputs.warnings.as_deref().map(TableSource::File),
            survey: inputs.survey.as_deref().map(TableSource::File),
            level: inputs.level.as_deref(),
        };
        AssessData::from_sources(&sources)
    }

    /// Reads the tables of `sources`, files or tables in memory, as [`AssessData::read`] reads
    /// files.
    ///
    /// # Errors
    /// As [`AssessData::read`].
    pub fn from_sources(sources: &AssessSources<'_>) -> Result<AssessData> {
        let mut data = AssessData::default();
        let level = sources.level.unwrap_or(CITY_LEVEL);
        match sources.recheck_summary {
            Some(source) => data.values.extend(recheck_summary_values(source, level)?),
            None => data.notes.push("no recheck_summary: rectification_rate and closure_rate are missing".into()),
        }
        match sources.progress {
            Some(source) => data.values.extend(progress_values(source)?),
            None => data.notes.push("no progress table: target_progress is missing".into()),
        }
        match sources.warnings {
            Some(source) => {
                let (values, notes) = warnings_values(source)?;
                data.values.extend(values);
                data.notes.extend(notes);
            }
            None => data.notes.push("no warnings table: red_warnings_reduced is missing".into()),
        }
        match sources.survey {
            Some(source) => data.values.extend(survey_values(source)?),
            None => data.notes.push("no survey table: satisfaction is missing".into()),
        }
        if sources.projects.is_empty() {
            data.notes
                .push("no projects table: projects_completed_share and investment_executed_share are missing".into());
        }
        let latest = data.values.iter().map(|v| v.year).max();
        for &(year, source) in &sources.projects {
            let read;
            let table = match source {
                ProjectsSource::File(path) => {
                    read = read_projects(path)?;
                    &read
                }
                ProjectsSource::Table(table) => table,
            };
            let year = match (year, latest) {
                (Some(y), _) => y,
                (None, Some(y)) => {
                    data.notes.push(format!(
                        "{}: projects counted in {y}, the latest year of the other tables",
                        table.source
                    ));
                    y
                }
                (None, None) => {
                    return Err(Error::Spec(format!(
                        "the projects table {} has no year and no other table gives one: give it as YEAR=FILE",
                        table.source
                    )))
                }
            };
            data.notes.extend(table.issues.iter().map(|i| i.to_string()));
            data.values.extend(project_values(table, year));
        }
        data.check_unique()?;
        Ok(data)
    }

    /// Keeps the values of `years` only (every year when empty), with a note naming the years
    /// left out: the years a run or a command assesses.
    pub fn keep_years(&mut self, years: &[i32]) {
        if years.is_empty() {
            return;
        }
        let dropped: BTreeSet<i32> = self.values.iter().map(|v| v.year).filter(|y| !years.contains(y)).collect();
        self.values.retain(|v| years.contains(&v.year));
        if !dropped.is_empty() {
            self.notes.push(format!(
                "assessed years {}; the values of {} are left out",
                years.iter().map(i32::to_string).collect::<Vec<_>>().join(", "),
                dropped.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
            ));
        }
    }

    /// Refuses a (unit, year, indicator) given twice.
    fn check_unique(&self) -> Result<()> {
        let mut seen = BTreeSet::new();
        for v in &self.values {
            if !seen.insert((v.unit.as_str(), v.year, v.indicator)) {
                return Err(Error::Spec(format!(
                    "{} of {} in {} is given twice (two tables of the same year?)",
                    v.indicator, v.unit, v.year
                )));
            }
        }
        Ok(())
    }
}

/// Who gets the incentive (以奖代补).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Incentive {
    /// The top share of each year's ranking, in (0, 1]: the units whose rank is at most
    /// ⌈share × units ranked⌉ (ties at the cut included).
    TopShare(f64),
    /// The units whose index score is at least this.
    Threshold(f64),
}

impl Default for Incentive {
    /// The top 30 %.
    fn default() -> Self {
        Incentive::TopShare(0.3)
    }
}

impl Incentive {
    /// Checks the rule.
    ///
    /// # Errors
    /// [`Error::Spec`] for a share outside (0, 1] or a threshold that is not a finite number.
    pub fn check(&self) -> Result<()> {
        match *self {
            Incentive::TopShare(s) if s.is_nan() || s <= 0.0 || s > 1.0 => {
                Err(Error::Spec(format!("the top share of the incentive is {s}: expected a fraction in (0, 1]")))
            }
            Incentive::Threshold(t) if !t.is_finite() => {
                Err(Error::Spec(format!("the incentive threshold is {t}: expected a finite score")))
            }
            _ => Ok(()),
        }
    }

    /// The rule in words, for messages and tables.
    pub fn describe(&self) -> String {
        match *self {
            Incentive::TopShare(s) => format!("top {}% of each year's ranking", (100.0 * s * 1e6).round() / 1e6),
            Incentive::Threshold(t) => format!("index score at least {t}"),
        }
    }
}

/// The incentive tier of a unit-year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Rewarded (奖励, 以奖代补).
    Reward,
    /// Not rewarded.
    NoReward,
}

impl Tier {
    /// `reward` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Reward => "reward",
            Tier::NoReward => "none",
        }
    }

    /// `奖励` or `无`.
    pub fn as_zh(self) -> &'static str {
        match self {
            Tier::Reward => "奖励",
            Tier::NoReward => "无",
        }
    }
}

/// How [`assess`] scores and rewards.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessOptions {
    /// The check-up spec; default [`Spec::checkup_default`].
    pub spec: Spec,
    /// Who is rewarded; default the top 30 %.
    pub incentive: Incentive,
}

impl Default for AssessOptions {
    fn default() -> Self {
        AssessOptions { spec: Spec::checkup_default(), incentive: Incentive::default() }
    }
}

/// One unit-year of the assessment: a row of `assessment.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessRow {
    /// The unit.
    pub unit: String,
    /// The year.
    pub year: i32,
    /// The index score; `None` when no indicator could be scored.
    pub score: Option<f64>,
    /// The rank among the year's units, 1 = best.
    pub rank: Option<u32>,
    /// Rank in the previous assessed year − rank this year (positive: moved up).
    pub rank_change: Option<i64>,
    /// The incentive tier; `None` without a score.
    pub tier: Option<Tier>,
    /// The value of each indicator of [`Assessment::indicators`], in that order.
    pub values: Vec<Option<f64>>,
}

/// The result of [`assess`].
#[derive(Debug, Clone)]
pub struct Assessment {
    /// The catalogue's id.
    pub catalog: String,
    /// The scored indicators' ids, in catalogue order: the value columns.
    pub indicators: Vec<String>,
    /// Every unit-year, by year, then rank (unscored last), then unit.
    pub rows: Vec<AssessRow>,
    /// The incentive rule applied.
    pub incentive: Incentive,
    /// The reading's notes.
    pub notes: Vec<String>,
    /// The check-up's warnings (e.g. indicators without data, proposed indicators).
    pub warnings: Vec<Warning>,
}

/// Scores the assessment panel of `data` with `catalog` (normally
/// `Catalog::builtin(CATALOG_ID)`), ranks each year and applies the incentive rule.
///
/// # Errors
/// [`Error::Spec`] for a bad incentive rule or no value at all; the check-up's errors
/// (validation of the values against the catalogue, the spec's methods).
pub fn assess(data: &AssessData, catalog: &Catalog, options: &AssessOptions) -> Result<Assessment> {
    options.incentive.check()?;
    let mut notes = data.notes.clone();
    let known: Vec<&AssessValue> = data.values.iter().filter(|v| catalog.indicator(v.indicator).is_some()).collect();
    let unknown: BTreeSet<&str> =
        data.values.iter().filter(|v| catalog.indicator(v.indicator).is_none()).map(|v| v.indicator).collect();
    if !unknown.is_empty() {
        notes.push(format!(
            "not in catalogue {}, left out: {}",
            catalog.id(),
            unknown.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    if known.is_empty() {
        return Err(Error::Spec("no assessment value: give at least one table".into()));
    }
    let panel = Panel::from_records(known.iter().map(|v| (v.unit.as_str(), v.year, v.indicator, v.value)));
    let checkup = Checkup::new(catalog.clone(), options.spec.clone())?;
    // Lenient: the values are made here, in the catalogue's units; what validation would
    // refuse (e.g. every share of an indicator below 1 %, read as fractions) is kept and noted.
    let validation = panel.validate(checkup.catalog(), ValidationMode::Lenient)?;
    notes.extend(validation.issues.iter().filter(|i| i.is_fatal()).map(|i| format!("validation: {i}")));
    let (_, outcome) = checkup.run(&panel, &validation)?;

    let indicators: Vec<String> = catalog.indicators().iter().filter(|i| i.is_scored()).map(|i| i.id.clone()).collect();
    let value_of: BTreeMap<(&str, i32, &str), f64> =
        known.iter().map(|v| ((v.unit.as_str(), v.year, v.indicator), v.value)).collect();
    let unit_years: BTreeSet<(i32, &str)> = known.iter().map(|v| (v.year, v.unit.as_str())).collect();
    let years: Vec<i32> = unit_years.iter().map(|&(y, _)| y).collect::<BTreeSet<_>>().into_iter().collect();

    // year → unit → (rank, score)
    let mut ranks: BTreeMap<i32, BTreeMap<String, (u32, f64)>> = BTreeMap::new();
    for &year in &years {
        let league = outcome.scores.ranking(year, "index");
        ranks.insert(year, league.iter().map(|r| (r.unit.to_string(), (r.rank, r.score))).collect());
    }
    let mut rows = Vec::with_capacity(unit_years.len());
    for (k, &year) in years.iter().enumerate() {
        let league = &ranks[&year];
        let cut = match options.incentive {
            Incentive::TopShare(s) => ((s * league.len() as f64) - 1e-9).ceil().max(0.0) as u32,
            Incentive::Threshold(_) => 0,
        };
        let previous = k.checked_sub(1).and_then(|p| ranks.get(&years[p]));
        for &(_, unit) in unit_years.iter().filter(|&&(y, _)| y == year) {
            let ranked = league.get(unit).copied().filter(|(_, score)| !score.is_nan());
            let tier = ranked.map(|(rank, score)| {
                let rewarded = match options.incentive {
                    Incentive::TopShare(_) => rank <= cut,
                    Incentive::Threshold(t) => score >= t,
                };
                if rewarded {
                    Tier::Reward
                } else {
                    Tier::NoReward
                }
            });
            let rank_change = match (ranked, previous.and_then(|p| p.get(unit))) {
                (Some((rank, _)), Some(&(before, _))) => Some(i64::from(before) - i64::from(rank)),
                _ => None,
            };
            rows.push(AssessRow {
                unit: unit.to_string(),
                year,
                score: ranked.map(|(_, s)| s),
                rank: ranked.map(|(r, _)| r),
                rank_change,
                tier,
                values: indicators.iter().map(|i| value_of.get(&(unit, year, i.as_str())).copied()).collect(),
            });
        }
    }
    rows.sort_by(|a, b| {
        a.year.cmp(&b.year).then(a.rank.unwrap_or(u32::MAX).cmp(&b.rank.unwrap_or(u32::MAX))).then(a.unit.cmp(&b.unit))
    });
    Ok(Assessment {
        catalog: catalog.id().to_string(),
        indicators,
        rows,
        incentive: options.incentive,
        notes,
        warnings: outcome.warnings,
    })
}
