//! What the report shows, read from a run's output folder: `scores` (required), and every
//! other table when the folder has it. A table that is absent, lacks a column the report
//! needs or has a cell that does not parse leaves its section out, with the reason
//! ([`LeftOut`]); only `scores` is required.

use std::collections::{BTreeSet, HashMap};

use super::folder::{Folder, Table};
use super::labels::Labels;
use super::LeftOut;
use crate::error::{Error, Location, Result};

/// A row of `scores`.
pub(super) struct Score {
    pub unit: String,
    pub year: i32,
    pub node: String,
    pub kind: String,
    pub score: Option<f64>,
    pub rank: Option<i32>,
}

/// The scores, found by unit, year and node.
pub(super) struct Scores {
    pub rows: Vec<Score>,
    at: HashMap<(String, i32, String), usize>,
}

impl Scores {
    /// The row of `unit`, `year`, `node`.
    pub(super) fn get(&self, unit: &str, year: i32, node: &str) -> Option<&Score> {
        self.at.get(&(unit.to_string(), year, node.to_string())).map(|&k| &self.rows[k])
    }

    /// The score of `unit`, `year`, `node`, when it has one.
    pub(super) fn value(&self, unit: &str, year: i32, node: &str) -> Option<f64> {
        self.get(unit, year, node).and_then(|s| s.score)
    }

    /// The rank of `unit`, `year`, `node`, when it has one.
    pub(super) fn rank(&self, unit: &str, year: i32, node: &str) -> Option<i32> {
        self.get(unit, year, node).and_then(|s| s.rank)
    }
}

/// A row of `trends`: the verdict of a unit's series.
pub(super) struct Trend {
    pub unit: String,
    pub node: String,
    pub verdict: String,
    pub p: Option<f64>,
}

/// A row of `progress`.
pub(super) struct Progress {
    pub unit: String,
    pub indicator: String,
    pub baseline_year: Option<i32>,
    pub baseline: Option<f64>,
    pub latest_year: Option<i32>,
    pub latest: Option<f64>,
    pub target: Option<f64>,
    pub deadline: Option<i32>,
    pub progress: Option<f64>,
    pub projected_year: Option<i32>,
    pub on_track: Option<bool>,
    pub pace_label: String,
}

/// A row of `warnings`.
pub(super) struct Warn {
    pub unit: String,
    pub year: i32,
    pub indicator: String,
    pub value: Option<f64>,
    pub attainment: Option<f64>,
    pub level: String,
    pub reason: String,
}

/// An indicator's row of `obstacles`.
pub(super) struct Obstacle {
    pub unit: String,
    pub year: i32,
    pub node: String,
    pub obstacle: Option<f64>,
}

/// A row of `survey_dimensions`.
pub(super) struct SurveyDimension {
    pub unit: String,
    pub year: i32,
    pub dimension: String,
    pub mean: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// A dimension's row of `reliability` (Cronbach's α).
pub(super) struct Reliability {
    pub year: i32,
    pub dimension: String,
    pub alpha: Option<f64>,
}

/// How a column of a listing is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Text,
    Number,
    /// A warning level, shown in its colour.
    Level,
    /// A node id, shown by its catalogue name.
    Node,
    /// `;`-separated node ids.
    Nodes,
}

/// A cell of a listing.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Empty,
    Text(String),
    Number(f64),
}

/// Rows of a table shown as they are (ledger, reserve, re-check): the columns the folder has
/// of those asked for, each row with its unit.
pub(super) struct Listing {
    pub columns: Vec<(&'static str, Kind)>,
    pub rows: Vec<(String, Vec<Value>)>,
}

/// Everything the report shows.
pub(super) struct Model {
    pub scores: Scores,
    /// Every unit, best index rank in the report year first, then those without one.
    pub units: Vec<String>,
    /// The report year: the diagnosed year, or the latest year with index scores.
    pub year: i32,
    /// The year before it in the scores, for rank changes.
    pub previous: Option<i32>,
    /// Every year of the scores, in order.
    pub years: Vec<i32>,
    /// The groups directly under the index.
    pub groups: Vec<String>,
    /// Every node (index, groups, indicators) in that order, with its kind.
    pub nodes: Vec<(String, String)>,
    pub trends: Option<Vec<Trend>>,
    pub progress: Option<Vec<Progress>>,
    pub warnings: Option<Vec<Warn>>,
    pub obstacles: Option<Vec<Obstacle>>,
    pub ledger: Option<Listing>,
    pub recheck: Option<Listing>,
    pub reserve: Option<Listing>,
    pub survey: Option<Vec<SurveyDimension>>,
    pub reliability: Option<Vec<Reliability>>,
    pub run: Option<serde_json::Value>,
    pub left_out: Vec<LeftOut>,
}

fn text_at(t: &Table, column: Option<usize>, r: usize) -> String {
    column.map(|c| t.text(c, r)).unwrap_or_default()
}

fn number_at(t: &Table, column: Option<usize>, r: usize) -> Result<Option<f64>> {
    column.map_or(Ok(None), |c| t.number(c, r))
}

fn integer_at(t: &Table, column: Option<usize>, r: usize) -> Result<Option<i32>> {
    column.map_or(Ok(None), |c| t.integer(c, r))
}

fn read_scores(t: &Table) -> Result<Scores> {
    let (unit, year, node) = (t.required("unit")?, t.required("year")?, t.required("node")?);
    let (kind, score, rank) = (t.required("kind")?, t.required("score")?, t.required("rank")?);
    let mut rows = Vec::with_capacity(t.rows());
    let mut at = HashMap::with_capacity(t.rows());
    for r in 0..t.rows() {
        let row = Score {
            unit: t.text(unit, r),
            year: t.year(year, r)?,
            node: t.text(node, r),
            kind: t.text(kind, r),
            score: t.number(score, r)?,
            rank: t.integer(rank, r)?,
        };
        at.insert((row.unit.clone(), row.year, row.node.clone()), rows.len());
        rows.push(row);
    }
    Ok(Scores { rows, at })
}

fn read_trends(t: &Table) -> Result<Vec<Trend>> {
    let (unit, node, verdict) = (t.required("unit")?, t.required("node")?, t.required("verdict")?);
    let p = t.column("mk_p");
    (0..t.rows())
        .map(|r| {
            Ok(Trend {
                unit: t.text(unit, r),
                node: t.text(node, r),
                verdict: t.text(verdict, r),
                p: number_at(t, p, r)?,
            })
        })
        .collect()
}

fn read_progress(t: &Table) -> Result<Vec<Progress>> {
    let (unit, indicator, progress) = (t.required("unit")?, t.required("indicator")?, t.required("progress")?);
    let c = |name: &str| t.column(name);
    let (baseline_year, baseline, latest_year, latest) =
        (c("baseline_year"), c("baseline"), c("latest_year"), c("latest"));
    let (target, deadline, projected, on_track, pace) =
        (c("target"), c("deadline"), c("projected_year"), c("on_track"), c("pace_label"));
    (0..t.rows())
        .map(|r| {
            Ok(Progress {
                unit: t.text(unit, r),
                indicator: t.text(indicator, r),
                baseline_year: integer_at(t, baseline_year, r)?,
                baseline: number_at(t, baseline, r)?,
                latest_year: integer_at(t, latest_year, r)?,
                latest: number_at(t, latest, r)?,
                target: number_at(t, target, r)?,
                deadline: integer_at(t, deadline, r)?,
                progress: t.number(progress, r)?,
                projected_year: integer_at(t, projected, r)?,
                on_track: on_track.map_or(Ok(None), |c| t.boolean(c, r))?,
                pace_label: text_at(t, pace, r),
            })
        })
        .collect()
}

fn read_warnings(t: &Table) -> Result<Vec<Warn>> {
    let (unit, year, indicator, level) =
        (t.required("unit")?, t.required("year")?, t.required("indicator")?, t.required("level")?);
    let (value, attainment, reason) = (t.column("value"), t.column("attainment"), t.column("reason"));
    (0..t.rows())
        .map(|r| {
            Ok(Warn {
                unit: t.text(unit, r),
                year: t.year(year, r)?,
                indicator: t.text(indicator, r),
                value: number_at(t, value, r)?,
                attainment: number_at(t, attainment, r)?,
                level: t.text(level, r),
                reason: text_at(t, reason, r),
            })
        })
        .collect()
}

fn read_obstacles(t: &Table) -> Result<Vec<Obstacle>> {
    let (unit, year, node) = (t.required("unit")?, t.required("year")?, t.required("node")?);
    let (kind, obstacle) = (t.required("kind")?, t.required("obstacle")?);
    let mut rows = Vec::new();
    for r in 0..t.rows() {
        if t.text(kind, r) != "indicator" {
            continue;
        }
        rows.push(Obstacle {
            unit: t.text(unit, r),
            year: t.year(year, r)?,
            node: t.text(node, r),
            obstacle: t.number(obstacle, r)?,
        });
    }
    Ok(rows)
}

fn read_survey(t: &Table) -> Result<Vec<SurveyDimension>> {
    let (unit, year, dimension, mean) =
        (t.required("unit")?, t.required("year")?, t.required("dimension")?, t.required("mean")?);
    let (low, high) = (t.column("ci_low"), t.column("ci_high"));
    (0..t.rows())
        .map(|r| {
            Ok(SurveyDimension {
                unit: t.text(unit, r),
                year: t.year(year, r)?,
                dimension: t.text(dimension, r),
                mean: t.number(mean, r)?,
                ci_low: number_at(t, low, r)?,
                ci_high: number_at(t, high, r)?,
            })
        })
        .collect()
}

fn read_reliability(t: &Table) -> Result<Vec<Reliability>> {
    let (year, dimension, alpha) = (t.required("year")?, t.required("dimension")?, t.required("alpha")?);
    let item = t.column("item");
    let mut rows = Vec::new();
    for r in 0..t.rows() {
        // The dimension's own row has no item; item rows hold α if deleted.
        if !text_at(t, item, r).is_empty() {
            continue;
        }
        rows.push(Reliability { year: t.year(year, r)?, dimension: t.text(dimension, r), alpha: t.number(alpha, r)? });
    }
    Ok(rows)
}

/// The columns of `wanted` the table has (unit and the first column are required), and its
/// rows.
fn read_listing(t: &Table, wanted: &[(&'static str, Kind)]) -> Result<Listing> {
    let unit = t.required("unit")?;
    if let Some((first, _)) = wanted.first() {
        t.required(first)?;
    }
    let columns: Vec<(&'static str, Kind, usize)> =
        wanted.iter().filter_map(|&(name, kind)| t.column(name).map(|c| (name, kind, c))).collect();
    let mut rows = Vec::with_capacity(t.rows());
    for r in 0..t.rows() {
        let mut cells = Vec::with_capacity(columns.len());
        for &(_, kind, c) in &columns {
            cells.push(match kind {
                Kind::Number => t.number(c, r)?.map_or(Value::Empty, Value::Number),
                _ => match t.text(c, r) {
                    text if text.is_empty() => Value::Empty,
                    text => Value::Text(text),
                },
            });
        }
        rows.push((t.text(unit, r), cells));
    }
    Ok(Listing { columns: columns.into_iter().map(|(name, kind, _)| (name, kind)).collect(), rows })
}

/// The columns of the ledger, the reserve and the re-check summary the report shows.
const LEDGER: &[(&str, Kind)] = &[
    ("indicator", Kind::Node),
    ("value", Kind::Number),
    ("standard", Kind::Number),
    ("attainment", Kind::Number),
    ("level", Kind::Level),
    ("obstacle", Kind::Number),
    ("severity", Kind::Number),
    ("reasons", Kind::Text),
    ("source", Kind::Text),
    ("note", Kind::Text),
];
const RESERVE: &[(&str, Kind)] = &[
    ("rank", Kind::Number),
    ("task", Kind::Text),
    ("task_name", Kind::Text),
    ("priority", Kind::Number),
    ("problems", Kind::Nodes),
    ("deadline", Kind::Text),
];
const RECHECK: &[(&str, Kind)] = &[
    ("year", Kind::Text),
    ("level", Kind::Text),
    ("carried_over", Kind::Number),
    ("resolved", Kind::Number),
    ("persisting", Kind::Number),
    ("new", Kind::Number),
    ("recurring", Kind::Number),
    ("not_assessed", Kind::Number),
    ("rectification_rate", Kind::Number),
    ("closure_rate", Kind::Number),
];

impl Model {
    /// Reads the folder; `run` is run.json's content when the caller has it (a run writing its
    /// report before its run.json), else the folder's run.json is read.
    ///
    /// # Errors
    /// An error naming the folder, file, row and column when `scores` is missing or unreadable;
    /// the other tables only leave their sections out.
    pub(super) fn read(folder: &Folder, run: Option<serde_json::Value>, labels: &Labels) -> Result<Model> {
        let scores_file = folder.file_of("scores");
        let scores_table = folder.table("scores")?.ok_or_else(|| {
            Error::data(
                Location { file: Some(folder.dir().display().to_string()), ..Default::default() },
                "no scores table: not the output folder of a run",
            )
        })?;
        let scores = read_scores(&scores_table)?;
        if scores.rows.is_empty() {
            return Err(Error::data(
                Location { file: Some(folder.dir().join(&scores_file).display().to_string()), ..Default::default() },
                "scores has no rows: nothing to report",
            ));
        }
        let mut left_out = Vec::new();
        let run = match run {
            Some(run) => Some(run),
            None => match folder.run_json() {
                Ok(Some(run)) => Some(run),
                Ok(None) => {
                    left_out.push(LeftOut::new(
                        "provenance",
                        "run.json",
                        labels.t("文件夹中没有 run.json", "the folder has no run.json"),
                    ));
                    None
                }
                Err(message) => {
                    left_out.push(LeftOut::new("provenance", "run.json", &message));
                    None
                }
            },
        };
        let years: Vec<i32> = scores.rows.iter().map(|s| s.year).collect::<BTreeSet<_>>().into_iter().collect();
        let index_years: BTreeSet<i32> =
            scores.rows.iter().filter(|s| s.node == "index" && s.score.is_some()).map(|s| s.year).collect();
        let diagnosed = run.as_ref().and_then(|r| r["diagnosis"]["year"].as_i64()).map(|y| y as i32);
        let year = diagnosed
            .filter(|y| index_years.contains(y))
            .or_else(|| index_years.last().copied())
            // Cannot fail: a scores table without rows was refused above.
            .unwrap_or_else(|| *years.last().expect("scores has rows"));
        let previous = years.iter().copied().filter(|y| *y < year).max();

        let mut units: Vec<String> =
            scores.rows.iter().map(|s| s.unit.clone()).collect::<BTreeSet<_>>().into_iter().collect();
        units.sort_by_key(|u| (scores.rank(u, year, "index").unwrap_or(i32::MAX), u.clone()));

        let mut nodes: Vec<(String, String)> = Vec::new();
        let mut seen = BTreeSet::new();
        for kind in ["index", "group", "indicator"] {
            for s in scores.rows.iter().filter(|s| s.kind == kind) {
                if seen.insert(s.node.clone()) {
                    nodes.push((s.node.clone(), s.kind.clone()));
                }
            }
        }
        let groups = top_groups(folder, &nodes);

        let no_evaluate = labels.t("运行没有五年评估（[evaluate]）", "the run had no evaluation ([evaluate])");
        let no_diagnose = labels.t("运行没有诊断（[diagnose]）", "the run had no diagnosis ([diagnose])");
        let tables = [
            ("trends", "trends", no_evaluate),
            ("progress", "progress", no_evaluate),
            ("warnings", "warnings", no_evaluate),
            ("obstacles", "obstacles", no_diagnose),
            ("ledger", "ledger", no_diagnose),
            ("reserve", "reserve", no_diagnose),
            (
                "recheck_summary",
                "recheck",
                labels.t("运行没有复查（[recheck]）", "the run had no re-check ([recheck])"),
            ),
            (
                "survey_dimensions",
                "survey",
                labels.t("运行没有满意度调查（[survey]）", "the run scored no survey ([survey])"),
            ),
        ];
        let mut found: HashMap<&str, Table> = HashMap::new();
        for (name, section, absent) in tables {
            let file = folder.file_of(name);
            match folder.table(name) {
                Ok(Some(t)) => {
                    found.insert(name, t);
                }
                Ok(None) => left_out.push(LeftOut::new(section, &file, absent)),
                Err(e) => left_out.push(LeftOut::new(section, &file, &e.to_string())),
            }
        }
        let file = |name: &str| folder.file_of(name);
        let out = &mut left_out;
        let trends = found.get("trends").and_then(|t| keep(out, "trends", file("trends"), read_trends(t)));
        let progress = found.get("progress").and_then(|t| keep(out, "progress", file("progress"), read_progress(t)));
        let warnings = found.get("warnings").and_then(|t| keep(out, "warnings", file("warnings"), read_warnings(t)));
        let obstacles =
            found.get("obstacles").and_then(|t| keep(out, "obstacles", file("obstacles"), read_obstacles(t)));
        let ledger = found.get("ledger").and_then(|t| keep(out, "ledger", file("ledger"), read_listing(t, LEDGER)));
        let reserve =
            found.get("reserve").and_then(|t| keep(out, "reserve", file("reserve"), read_listing(t, RESERVE)));
        let recheck = found
            .get("recheck_summary")
            .and_then(|t| keep(out, "recheck", file("recheck_summary"), read_listing(t, RECHECK)));
        let survey =
            found.get("survey_dimensions").and_then(|t| keep(out, "survey", file("survey_dimensions"), read_survey(t)));
        // Cronbach's α of the survey's dimensions: part of the survey section, when there is one.
        let reliability = match (&survey, folder.table("reliability")) {
            (Some(_), Ok(Some(t))) => keep(out, "reliability", file("reliability"), read_reliability(&t)),
            (Some(_), Err(e)) => {
                out.push(LeftOut::new("reliability", &file("reliability"), &e.to_string()));
                None
            }
            _ => None,
        };
        Ok(Model {
            scores,
            units,
            year,
            previous,
            years,
            groups,
            nodes,
            trends,
            progress,
            warnings,
            obstacles,
            ledger,
            recheck,
            reserve,
            survey,
            reliability,
            run,
            left_out,
        })
    }
}

/// `result`'s value, or `None` with the section left out for its error.
fn keep<T>(left_out: &mut Vec<LeftOut>, section: &'static str, file: String, result: Result<T>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(e) => {
            left_out.push(LeftOut::new(section, &file, &e.to_string()));
            None
        }
    }
}

/// The groups directly under the index: `weights`' rows whose parent is `index`, in order;
/// without a weights table, every group of the scores.
fn top_groups(folder: &Folder, nodes: &[(String, String)]) -> Vec<String> {
    let from_weights = folder.table("weights").ok().flatten().and_then(|t| {
        let (node, parent) = (t.column("node")?, t.column("parent")?);
        let mut groups: Vec<String> = Vec::new();
        for r in 0..t.rows() {
            let id = t.text(node, r);
            if t.text(parent, r) == "index" && !groups.contains(&id) {
                groups.push(id);
            }
        }
        (!groups.is_empty()).then_some(groups)
    });
    from_weights.unwrap_or_else(|| nodes.iter().filter(|(_, kind)| kind == "group").map(|(id, _)| id.clone()).collect())
}
