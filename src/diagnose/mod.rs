//! Diagnosis (诊断): from the scores of a check-up to the problems of each unit and the renewal
//! tasks they call for (METHODS.md §6; POLICY.md: 体检 → 评价 → 诊断 → 治理).
//!
//! [`diagnose`] reads one year of a check-up (its [`Dataset`] and [`Outcome`]) and
//! produces a [`Diagnosis`] of seven tables, one stage per file:
//!
//! | stage | file | what |
//! |---|---|---|
//! | attainment (达标) | `attainment.rs` | per indicator with a standard: met or not, the gap; 达标率 per group |
//! | obstacle degree (障碍度) | `obstacle.rs` | each indicator's share of the unit's weighted shortfall |
//! | weaknesses (短板) and strengths | `peers.rs` | rank among peer units; bottom/top share; far below the peer median |
//! | coupling coordination (耦合协调度) | `coupling.rs` | C, T, D and the grade between the top-level groups |
//! | problem ledger (问题台账) | `ledger.rs` | every problem with its reasons and a severity |
//! | project reserve (项目储备库) | `reserve.rs` | per unit, the renewal tasks its problems point to, by priority |
//! | tables and files | `output.rs` | DataFrames and `Diagnosis::write` |
//!
//! The renewal tasks come from a [`TaskCatalog`] (`tasks.rs`; the 18 key tasks of the Liaoning
//! plan are built in).
//!
//! # Scores on [0, 1]
//! Obstacle degree and coupling need scores r ∈ [0, 1]. They are the check-up's scores
//! rescaled by the range they lie on: r = (score − lo)/(hi − lo), clamped to [0, 1] (a
//! `reference_year` fit can score other years outside it). The range of an indicator's score is
//! the spec's normalisation scale `[lo, hi]`; a group's is the range its aggregation gives: the
//! weighted means keep their children's range, while TOPSIS closeness, grey relational grades
//! and VIKOR's 1 − Q lie on [0, 1] (so a TOPSIS group's closeness of 0.84 is r = 0.84, not 0.0084). Normalisations
//! without a bounded scale (`z_score`, `rank`, `vector`, `sum`) are refused with
//! [`Error::Spec`].
//!
//! # One year
//! A diagnosis is of one year: [`DiagnoseOptions::year`], or the latest year of the data. The
//! weights are those that score that year ([`crate::Fitted::set_for`]).
//!
//! # Severity and priority (traceable by hand)
//! A problem's severity is
//!
//! ```text
//! severity = points × 100 × F_j
//! points   = 3 (red), 2 (yellow), 1 (green, or no standard)   of the warning level without the trend
//!          + 1 when the (unit, indicator) has a significant worsening trend
//! ```
//!
//! F_j is the indicator's global weight. The warning level shown in the ledger is the
//! monitoring level of [`crate::evaluate::alert`], which already raises the level by one for a
//! worsening trend (METHODS.md §6); the points use the level *before* that raise plus one trend
//! point, so that green + trend = 2 = yellow, yellow + trend = 3 = red, and red + trend = 4 (a
//! worsening red problem outranks a steady one instead of being capped). The ledger's `points`
//! column holds the number, so severity / (100 F_j) = points can be checked row by row.
//! A task's priority in the reserve is the sum of the severities of the unit's problems that
//! point to it.
//!
//! # Missing values
//! No output holds NaN: a value that cannot be computed is empty, with the reason in a `note`
//! column or in [`Diagnosis::notes`].
//!
//! # Not applicable
//! A cell that is not applicable (marked `not_applicable` / `不适用` in the data, or covered by
//! the catalogue's `not_applicable` rule) is never a problem: the ledger and the reserve never
//! list it, it counts in no attainment rate, and the outputs that list missing values with a
//! note (attainment, obstacle degree) list it with the note `not_applicable`.
//!
//! # References
//! - METHODS.md §6 (the numerical contract) and POLICY.md (the 18 key tasks).
//! - Obstacle degree: the 障碍度模型 of Chinese urban-evaluation practice, with factor
//!   contribution F_j (weight) and deviation I_ij = 1 − r_ij.
//! - Coupling coordination: the n-subsystem coupling degree C = n[ΠU/(ΣU)^n]^{1/n} with
//!   coordination D = √(C·T).

mod attainment;
mod coupling;
mod ledger;
mod obstacle;
mod output;
mod peers;
mod reserve;
mod tasks;

use std::ops::Range;

use serde::{Deserialize, Serialize};

pub use attainment::{AttainmentRate, AttainmentRow};
pub use coupling::{
    check_grades, coupling, coupling_adjusted, grade_in, parse_grades, Coupling, CouplingRow, Grade, GradeBand,
};
pub use ledger::{Problem, Reason};
pub use obstacle::{obstacle_degree, ObstacleRow};
pub use peers::{PeerFlag, PeerKind};
pub use reserve::ReserveItem;
pub use tasks::{Area, DeadlineKind, ItemKind, RenewalTask, TaskCatalog, TaskItem, TaskMeta};

use crate::catalog::{Catalog, Indicator, NodeKind, Tree};
use crate::checkup::{Dataset, Outcome, Scores};
use crate::error::{Error, Result};

pub use crate::evaluate::Worsening;

fn default_top() -> usize {
    5
}
fn default_weak_share() -> f64 {
    0.2
}
fn default_far_below() -> f64 {
    0.25
}
fn default_tasks() -> String {
    "renewal-tasks-liaoning".to_string()
}

/// The parameters of a diagnosis: the `[diagnose]` table of a run config.
///
/// # Examples
/// ```
/// use citycheck::diagnose::DiagnoseOptions;
/// // Diagnose 2012, with the three largest obstacles of each unit as problems, and raise the
/// // problems that worsen significantly.
/// let options = DiagnoseOptions { year: Some(2012), top: 3, trends: true, ..Default::default() };
/// assert!(options.check().is_ok());
/// assert_eq!(options.tasks, "renewal-tasks-liaoning");
/// assert!(DiagnoseOptions { weak_share: 0.7, ..Default::default() }.check().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DiagnoseOptions {
    /// The year to diagnose; `None` = the latest year of the data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// How many of a unit's largest indicator obstacles count as problems (default 5).
    #[serde(default = "default_top")]
    pub top: usize,
    /// A unit attribute (province, tier, …): units are compared with the units sharing its
    /// value; `None` = with all units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peers: Option<String>,
    /// Share of peers at each end: the bottom share are weaknesses, the top share strengths
    /// (default 0.2, in (0, 0.5]).
    #[serde(default = "default_weak_share")]
    pub weak_share: f64,
    /// A score below the peer median by more than this fraction of the scale range is "far
    /// below" (default 0.25, in (0, 1]).
    #[serde(default = "default_far_below")]
    pub far_below: f64,
    /// Coupling weights β of the top-level groups, in tree order; `None` = equal. Non-negative,
    /// summing to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beta: Option<Vec<f64>>,
    /// A custom grade scale of the coupling coordination degree D (`grades = [{ from = 0,
    /// name = "失调" }, { from = 0.5, name = "协调" }]`; [`GradeBand`]): `coupling.csv`'s grade
    /// column names the band; `None` = the ten grades of [`Grade`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grades: Option<Vec<GradeBand>>,
    /// Wang et al.'s (2021) adjusted coupling degree in place of the classic C
    /// ([`coupling_adjusted`]; default false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub adjusted: bool,
    /// The task file: a built-in id or a path ([`TaskCatalog::resolve`]; a run config resolves a
    /// relative path against the config's folder).
    #[serde(default = "default_tasks")]
    pub tasks: String,
    /// Raise the severity of problems with a significant worsening trend (Mann-Kendall at
    /// α = 0.05 over the years up to the diagnosed one). A run with an `[evaluate]` section
    /// always does.
    #[serde(default)]
    pub trends: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Default for DiagnoseOptions {
    fn default() -> Self {
        DiagnoseOptions {
            year: None,
            top: default_top(),
            peers: None,
            weak_share: default_weak_share(),
            far_below: default_far_below(),
            beta: None,
            grades: None,
            adjusted: false,
            tasks: default_tasks(),
            trends: false,
        }
    }
}

impl DiagnoseOptions {
    /// Checks the parameters that do not depend on the data (β is checked against the tree).
    ///
    /// # Errors
    /// [`Error::Spec`] naming the parameter.
    pub fn check(&self) -> Result<()> {
        if !(self.weak_share > 0.0 && self.weak_share <= 0.5) {
            return Err(Error::Spec(format!("diagnose: weak_share {} must be in (0, 0.5]", self.weak_share)));
        }
        if !(self.far_below > 0.0 && self.far_below <= 1.0) {
            return Err(Error::Spec(format!("diagnose: far_below {} must be in (0, 1]", self.far_below)));
        }
        if self.tasks.trim().is_empty() {
            return Err(Error::Spec("diagnose: tasks must name a task file (id or path)".into()));
        }
        if let Some(bands) = &self.grades {
            check_grades(bands)?;
        }
        Ok(())
    }
}

/// The diagnosis of one year. Every table is in a fixed order: unit-years in the data's order
/// (first appearance of the unit), then nodes in catalogue order, unless a table says
/// otherwise (the ledger and the reserve are ordered by severity and priority).
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
/// let diagnosis = diagnose(&data, &outcome, &DiagnoseOptions::default())?;
/// assert_eq!(diagnosis.year, 2012); // the latest year of the data
/// // The problem ledger (问题台账), most severe first within each unit.
/// for p in diagnosis.ledger.iter().filter(|p| p.unit == "沈阳市").take(3) {
///     println!("{} severity {:.2}: {:?}", p.indicator, p.severity, p.reasons);
/// }
/// // The project reserve (项目储备库): the renewal tasks those problems point to.
/// let first = diagnosis.reserve.iter().find(|r| r.unit == "沈阳市" && r.rank == 1);
/// println!("{:?}", first.map(|r| (r.task, r.task_name.clone(), r.priority)));
/// // Severity is traceable by hand: points × 100 × the indicator's global weight.
/// assert!(diagnosis.ledger.iter().all(|p| (p.severity - f64::from(p.points) * 100.0 * p.weight).abs() < 1e-9));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Diagnosis {
    /// The diagnosed year.
    pub year: i32,
    /// The options it was made with.
    pub options: DiagnoseOptions,
    /// `attainment.csv`: each unit and indicator with a standard, met or not.
    pub attainment: Vec<AttainmentRow>,
    /// `attainment_rates.csv`: the attainment rate (达标率) of the index and every group.
    pub rates: Vec<AttainmentRate>,
    /// `obstacles.csv`: the obstacle degree (障碍度) of every group and indicator.
    pub obstacles: Vec<ObstacleRow>,
    /// `weaknesses.csv`: weaknesses (短板) and strengths against the peers.
    pub weaknesses: Vec<PeerFlag>,
    /// `coupling.csv`: coupling coordination (耦合协调度) of the top-level groups; empty with
    /// fewer than two.
    pub coupling: Vec<CouplingRow>,
    /// `ledger.csv`: the problem ledger (问题台账).
    pub ledger: Vec<Problem>,
    /// `reserve.csv`: the project reserve (项目储备库).
    pub reserve: Vec<ReserveItem>,
    /// What the user should know (units without peers, problems without a task, …).
    pub notes: Vec<String>,
}

/// Diagnoses one year of a check-up: attainment, obstacle degree, weaknesses, coupling
/// coordination, the problem ledger and the project reserve.
///
/// `data` and `outcome` come from the same check-up ([`crate::Checkup::run`]); the spec is the
/// outcome's own. Every option is read: the renewal tasks come from `options.tasks` (a built-in
/// id or a path, [`TaskCatalog::resolve`]), and with `options.trends` the problems with a
/// significant worsening trend over the years up to the diagnosed one (Mann-Kendall at
/// α = 0.05, [`crate::evaluate::worsening`]) are raised. To give the tasks or the trends
/// yourself, use [`diagnose_with`].
///
/// # Errors
/// [`Error::Mismatch`] when `outcome` was not scored from `data`; [`Error::Spec`] when the
/// options are invalid, the year is not in the data, the normalisation has no bounded scale,
/// the peer attribute is unknown, or coupling weights `beta` are given for a tree with fewer
/// than two top-level groups (without `beta` such a tree gets no coupling rows and a note);
/// [`Error::Io`] or [`Error::Catalog`] when the task file cannot be read.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::diagnose::{diagnose, DiagnoseOptions};
/// use citycheck::{Catalog, Checkup, Panel, Spec, ValidationMode};
/// let catalog = Catalog::builtin("ccsy-example")?;
/// let panel = Panel::from_records([
///     ("沈阳市", 2012, "green_coverage_builtup", 42.2),
///     ("大连市", 2012, "green_coverage_builtup", 45.0),
///     ("沈阳市", 2012, "tertiary_share", 47.0),
///     ("大连市", 2012, "tertiary_share", 50.0),
/// ]);
/// let validation = panel.validate(&catalog, ValidationMode::Strict)?;
/// let (data, outcome) = Checkup::new(catalog, Spec::default())?.run(&panel, &validation)?;
/// let d = diagnose(&data, &outcome, &DiagnoseOptions::default())?;
/// // 沈阳市 is last on both indicators: all of its shortfall, 100 %, is spread over them.
/// let total: f64 = d.obstacles.iter().filter(|o| o.unit == "沈阳市" && o.kind.as_str() == "indicator")
///     .filter_map(|o| o.obstacle).sum();
/// assert!((total - 100.0).abs() < 1e-9);
/// # Ok(()) }
/// ```
pub fn diagnose(data: &Dataset, outcome: &Outcome, options: &DiagnoseOptions) -> Result<Diagnosis> {
    options.check()?;
    let tasks = TaskCatalog::resolve(&options.tasks)?;
    let trends = if options.trends {
        Some(crate::evaluate::worsening(data, options.year, crate::evaluate::DEFAULT_ALPHA)?)
    } else {
        None
    };
    diagnose_with(data, outcome, &tasks, trends.as_ref(), options)
}

/// [`diagnose`] with the renewal tasks and the worsening trends given by the caller: `tasks`
/// takes the place of `options.tasks`, and `worsening` (the significant worsening trends, e.g.
/// of an evaluation with its own α, or a list known otherwise) the place of `options.trends`;
/// `None` raises no problem for a trend.
///
/// # Errors
/// As [`diagnose`], but for reading the task file.
pub fn diagnose_with(
    data: &Dataset,
    outcome: &Outcome,
    tasks: &TaskCatalog,
    worsening: Option<&Worsening>,
    options: &DiagnoseOptions,
) -> Result<Diagnosis> {
    options.check()?;
    let view = View::new(data, outcome, options.year)?;
    let mut notes = Vec::new();
    let attainment = attainment::judge(&view, &mut notes);
    let rates = attainment::rates(&view, &attainment);
    let obstacles = obstacle::obstacles(&view);
    let peers = peers::compare(&view, options, &mut notes)?;
    // Coupling needs two or more top-level groups; a one-dimension tree is still diagnosed.
    let top = view.tree().root().children.len();
    let coupling = if top >= 2 || options.beta.is_some() {
        coupling::coordinate(&view, options.beta.as_deref(), options.grades.as_deref(), options.adjusted)?
    } else {
        notes.push(format!("coupling coordination needs at least two top-level groups; the scored tree has {top}"));
        Vec::new()
    };
    let ledger = ledger::ledger(&view, options, &attainment, &obstacles, &peers, worsening);
    let reserve = reserve::reserve(&view, tasks, &ledger, &mut notes);
    Ok(Diagnosis {
        year: view.year,
        options: options.clone(),
        attainment,
        rates,
        obstacles,
        weaknesses: peers.flags,
        coupling,
        ledger,
        reserve,
        notes,
    })
}

/// One year of a check-up, as every stage reads it.
pub(crate) struct View<'a> {
    pub catalog: &'a Catalog,
    pub data: &'a Dataset,
    pub scores: &'a Scores,
    pub year: i32,
    /// Rows of `year` (the same rows in `data` and `scores`).
    pub rows: Range<usize>,
    /// The normalisation scale `[lo, hi]` of the indicator scores.
    pub lo: f64,
    pub hi: f64,
    /// The range of every node's scores: the normalisation scale for indicators, the scale its
    /// aggregation gives for groups ([`crate::aggregate::Aggregate::output_scale`]).
    scale: Vec<(f64, f64)>,
    /// Global weight of every tree node (the index: 1).
    pub global: Vec<f64>,
    /// Dataset column of every indicator node.
    column: Vec<Option<usize>>,
}

impl<'a> View<'a> {
    fn new(data: &'a Dataset, outcome: &'a Outcome, year: Option<i32>) -> Result<View<'a>> {
        outcome.check_data(data)?;
        let (catalog, scores, spec) = (data.catalog().as_ref(), &outcome.scores, outcome.spec());
        let (lo, hi) = spec.normalize.scale().ok_or_else(|| {
            Error::Spec(format!(
                "obstacle degree and coupling need scores on a bounded scale [lo, hi]; '{}' has none \
                 (use min_max, band, goalposts, target or percentile)",
                spec.normalize.name()
            ))
        })?;
        let years = data.years();
        let year = match year {
            Some(y) => y,
            None => *years.iter().max().ok_or_else(|| Error::NotInData("no unit-year to diagnose".into()))?,
        };
        let i = years.iter().position(|&y| y == year).ok_or_else(|| {
            Error::NotInData(format!(
                "year {year} is not in the data (years: {})",
                years.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
            ))
        })?;
        let rows = data.year_rows[i].clone();
        let set = outcome
            .fitted
            .set_for(year)
            .ok_or_else(|| Error::Spec(format!("the outcome has no fitted parameters for year {year}")))?;
        let tree = data.tree();
        let mut global = vec![1.0; tree.nodes().len()];
        for (n, node) in tree.nodes().iter().enumerate().skip(1) {
            global[n] =
                set.weights.iter().find(|w| w.node == node.id).map(|w| w.global_weight).ok_or_else(|| {
                    Error::Spec(format!("the fitted parameters have no weight for node '{}'", node.id))
                })?;
        }
        let mut scale = vec![(lo, hi); tree.nodes().len()];
        for &g in tree.bottom_up() {
            let node = tree.node(g);
            if node.kind != NodeKind::Indicator {
                let children: Vec<(f64, f64)> = node.children.iter().map(|&c| scale[c]).collect();
                scale[g] = spec.aggregate.at(node.level).output_scale(&children);
            }
        }
        let mut column = vec![None; tree.nodes().len()];
        for (c, &node) in data.columns.iter().enumerate() {
            column[node] = Some(c);
        }
        Ok(View { catalog, data, scores, year, rows, lo, hi, scale, global, column })
    }

    pub fn tree(&self) -> &Tree {
        self.data.tree()
    }

    pub fn unit(&self, row: usize) -> &str {
        self.data.unit_name(row)
    }

    /// Indicator nodes in catalogue order.
    pub fn indicator_nodes(&self) -> Vec<usize> {
        self.tree().indicator_nodes().collect()
    }

    /// The catalogue entry of an indicator node.
    pub fn indicator(&self, node: usize) -> &'a Indicator {
        let position = self.tree().node(node).indicator.expect("an indicator node");
        &self.catalog.indicators()[position]
    }

    /// The value the check-up scored (after denominators and imputation) and whether it was
    /// imputed; `NaN` when missing.
    pub fn value(&self, row: usize, node: usize) -> (f64, bool) {
        let c = self.column[node].expect("every indicator node has a column");
        (self.data.raw[[row, c]], self.data.imputed[c * self.data.rows() + row])
    }

    /// Whether the value of indicator node `node` at `row` is not applicable (marked in the data
    /// or by the catalogue's rule): never a problem, never judged.
    pub fn not_applicable(&self, row: usize, node: usize) -> bool {
        let c = self.column[node].expect("every indicator node has a column");
        self.data.is_not_applicable(row, c)
    }

    /// The score of `node` rescaled to [0, 1] (module docs); `NaN` when it has none.
    pub fn score01(&self, row: usize, node: usize) -> f64 {
        let (lo, hi) = self.scale[node];
        rescale(self.scores.value(row, node), lo, hi)
    }

    /// Nodes from `node`'s parent up to the root.
    pub fn ancestors(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        let tree = self.tree();
        std::iter::successors(tree.node(node).parent, move |&p| tree.node(p).parent)
    }
}

/// `(x − lo)/(hi − lo)` clamped to [0, 1]; `NaN` stays `NaN`.
pub(crate) fn rescale(x: f64, lo: f64, hi: f64) -> f64 {
    if x.is_nan() {
        f64::NAN
    } else {
        ((x - lo) / (hi - lo)).clamp(0.0, 1.0)
    }
}
