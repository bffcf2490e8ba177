//! The three sources of a check-up — self-check (自体检), third-party check (第三方体检) and the
//! satisfaction survey — side by side (METHODS.md §8): reconciling self-check against
//! third-party values, confirming a problem when enough sources flag it, and combining an
//! objective score with a survey score.
//!
//! All three are pure functions on plain values; the tables around them are the caller's.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};
use crate::panel::Source;

/// One value of one source: a long row (unit, year, indicator, source, value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceValue {
    /// The unit (city, district, …).
    pub unit: String,
    /// The check-up year.
    pub year: i32,
    /// The indicator's id.
    pub indicator: String,
    /// Self-check, third party or survey.
    pub source: Source,
    /// `NaN` is a missing value: the source has no value for the cell.
    pub value: f64,
}

/// When a self-check value a and a third-party value b disagree:
/// |a − b| > abs_tol + rel_tol·|b|, with the tolerances of the indicator if it has its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Tolerances {
    /// Absolute tolerance, in the indicator's unit (≥ 0; default 0).
    pub abs_tol: f64,
    /// Relative tolerance, a fraction of |b| (≥ 0; default 0.05).
    pub rel_tol: f64,
    /// Indicator id → (abs_tol, rel_tol).
    pub by_indicator: BTreeMap<String, (f64, f64)>,
}

impl Default for Tolerances {
    /// abs_tol = 0, rel_tol = 0.05: a difference of more than 5% of the third-party value.
    fn default() -> Self {
        Tolerances { abs_tol: 0.0, rel_tol: 0.05, by_indicator: BTreeMap::new() }
    }
}

impl Tolerances {
    /// Global tolerances, checked.
    ///
    /// # Errors
    /// [`Error::Spec`] unless both are finite and ≥ 0.
    pub fn new(abs_tol: f64, rel_tol: f64) -> Result<Tolerances> {
        let t = Tolerances { abs_tol, rel_tol, by_indicator: BTreeMap::new() };
        t.check()?;
        Ok(t)
    }

    /// Adds tolerances for one indicator.
    ///
    /// # Errors
    /// As [`Tolerances::new`], naming the indicator.
    pub fn with_indicator(mut self, indicator: &str, abs_tol: f64, rel_tol: f64) -> Result<Tolerances> {
        self.by_indicator.insert(indicator.to_string(), (abs_tol, rel_tol));
        self.check()?;
        Ok(self)
    }

    /// Checks that every tolerance is finite and ≥ 0.
    ///
    /// # Errors
    /// [`Error::Spec`] for a tolerance that is negative or not finite, naming the indicator.
    pub fn check(&self) -> Result<()> {
        let ok = |x: f64| x.is_finite() && x >= 0.0;
        if !(ok(self.abs_tol) && ok(self.rel_tol)) {
            return Err(Error::Spec(format!(
                "reconcile: abs_tol = {}, rel_tol = {}: tolerances must be finite and >= 0",
                self.abs_tol, self.rel_tol
            )));
        }
        for (indicator, &(a, r)) in &self.by_indicator {
            if !(ok(a) && ok(r)) {
                return Err(Error::Spec(format!(
                    "reconcile: indicator '{indicator}': abs_tol = {a}, rel_tol = {r}: tolerances must be finite and >= 0"
                )));
            }
        }
        Ok(())
    }

    /// (abs_tol, rel_tol) of `indicator`.
    pub fn of(&self, indicator: &str) -> (f64, f64) {
        self.by_indicator.get(indicator).copied().unwrap_or((self.abs_tol, self.rel_tol))
    }
}

/// Which value a cell keeps when the sources differ.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceChoice {
    /// The third-party value, else the self-check value (default: the independent check wins).
    #[default]
    ThirdPartyFirst,
    /// The self-check value, else the third-party value.
    SelfFirst,
    /// The mean of the two when both are present, else the one present.
    Mean,
}

/// Where a cell's resolved value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// The self-check value (自体检), written `self`.
    #[serde(rename = "self")]
    SelfCheck,
    /// The third-party value (第三方体检).
    ThirdParty,
    /// The mean of the two checks.
    Mean,
    /// Neither check has the cell; the survey does.
    Survey,
}

impl Resolution {
    /// `self`, `third_party`, `mean` or `survey`, as in serde.
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::SelfCheck => "self",
            Resolution::ThirdParty => "third_party",
            Resolution::Mean => "mean",
            Resolution::Survey => "survey",
        }
    }
}

/// One (unit, year, indicator) across the sources: a row of the reconciliation table, each
/// field the column of the same name.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ReconciledCell {
    /// The unit.
    pub unit: String,
    /// The check-up year.
    pub year: i32,
    /// The indicator's id.
    pub indicator: String,
    /// The self-check value; `None` when that source has none.
    pub self_value: Option<f64>,
    /// The third-party value; `None` when that source has none.
    pub third_party_value: Option<f64>,
    /// The survey value; `None` when the survey has none.
    pub survey_value: Option<f64>,
    /// self − third_party, when both are present.
    pub diff: Option<f64>,
    /// abs_tol + rel_tol·|third_party|, when both are present.
    pub tolerance: Option<f64>,
    /// |diff| > tolerance (never when a value is missing).
    pub flagged: bool,
    /// The one value kept, by the [`SourceChoice`].
    pub value: Option<f64>,
    /// Which source `value` comes from; `None` when no source has a value.
    pub resolved_from: Option<Resolution>,
}

/// The reconciliation table, cells in order of first appearance of unit, then year, then
/// indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Reconciliation {
    /// One row per (unit, year, indicator) of the input rows, missing values included.
    pub cells: Vec<ReconciledCell>,
}

impl Reconciliation {
    /// The cells whose self-check and third-party values disagree.
    pub fn flagged(&self) -> impl Iterator<Item = &ReconciledCell> {
        self.cells.iter().filter(|c| c.flagged)
    }
}

/// Reconciles self-check against third-party values cell by cell, and resolves each cell to
/// one value.
///
/// # Formula
/// ```text
/// diff      = a − b                     (a = self-check, b = third party)
/// tolerance = abs_tol + rel_tol · |b|
/// flagged   = |diff| > tolerance        (a difference exactly at the tolerance is not flagged)
/// ```
/// Resolution by `choice`: the preferred check's value, else the other check's; `mean` averages
/// the two when both are present. A cell that only the survey has keeps the survey value.
///
/// # Missing values
/// A `NaN` value is absent: a cell with one check missing has no diff and is never flagged.
///
/// # Errors
/// [`Error::Spec`] for invalid tolerances; [`Error::Data`] naming unit, year and indicator for
/// an infinite value or a source given twice for one cell.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::panel::Source;
/// use citycheck::survey::{reconcile, SourceChoice, SourceValue, Tolerances};
/// let row = |source, value| SourceValue { unit: "沈阳市".into(), year: 2025, indicator: "green".into(), source, value };
/// let rows = [row(Source::SelfCheck, 44.0), row(Source::ThirdParty, 40.0)];
/// // 4 > 0 + 0.05·40 = 2: flagged; the third-party value is kept.
/// let r = reconcile(&rows, &Tolerances::new(0.0, 0.05)?, SourceChoice::ThirdPartyFirst)?;
/// assert!(r.cells[0].flagged);
/// assert_eq!(r.cells[0].value, Some(40.0));
/// # Ok(()) }
/// ```
pub fn reconcile(rows: &[SourceValue], tolerances: &Tolerances, choice: SourceChoice) -> Result<Reconciliation> {
    tolerances.check()?;
    let mut units: HashMap<&str, usize> = HashMap::new();
    let mut indicators: HashMap<&str, usize> = HashMap::new();
    // (unit order, year, indicator order) → [self, third party, survey]
    let mut cells: BTreeMap<(usize, i32, usize), [Option<f64>; 3]> = BTreeMap::new();
    for row in rows {
        let location = || Location {
            unit: Some(row.unit.clone()),
            year: Some(row.year),
            indicator: Some(row.indicator.clone()),
            ..Location::default()
        };
        if row.value.is_infinite() {
            return Err(Error::data(
                location(),
                format!("the {} value {} is not finite", source_name(row.source), row.value),
            ));
        }
        let next = units.len();
        let u = *units.entry(row.unit.as_str()).or_insert(next);
        let next = indicators.len();
        let i = *indicators.entry(row.indicator.as_str()).or_insert(next);
        let slot = match row.source {
            Source::SelfCheck => 0,
            Source::ThirdParty => 1,
            Source::Survey => 2,
        };
        let values = cells.entry((u, row.year, i)).or_insert([None; 3]);
        if row.value.is_nan() {
            continue;
        }
        if values[slot].is_some() {
            return Err(Error::data(
                location(),
                format!("the {} source has two values for this cell; keep one", source_name(row.source)),
            ));
        }
        values[slot] = Some(row.value);
    }
    let unit_names = names(&units);
    let indicator_names = names(&indicators);
    let cells = cells
        .into_iter()
        .map(|((u, year, i), [own, third, survey])| {
            let indicator = indicator_names[i];
            let (diff, tolerance, flagged) = match (own, third) {
                (Some(a), Some(b)) => {
                    let (abs_tol, rel_tol) = tolerances.of(indicator);
                    let tolerance = abs_tol + rel_tol * b.abs();
                    let diff = a - b;
                    (Some(diff), Some(tolerance), diff.abs() > tolerance)
                }
                _ => (None, None, false),
            };
            let (value, resolved_from) = match (own, third, choice) {
                (Some(a), Some(b), SourceChoice::Mean) => (Some(0.5 * (a + b)), Some(Resolution::Mean)),
                (Some(a), Some(_), SourceChoice::SelfFirst) => (Some(a), Some(Resolution::SelfCheck)),
                (_, Some(b), _) => (Some(b), Some(Resolution::ThirdParty)),
                (Some(a), None, _) => (Some(a), Some(Resolution::SelfCheck)),
                (None, None, _) => (survey, survey.map(|_| Resolution::Survey)),
            };
            ReconciledCell {
                unit: unit_names[u].to_string(),
                year,
                indicator: indicator.to_string(),
                self_value: own,
                third_party_value: third,
                survey_value: survey,
                diff,
                tolerance,
                flagged,
                value,
                resolved_from,
            }
        })
        .collect();
    Ok(Reconciliation { cells })
}

fn names<'a>(index: &HashMap<&'a str, usize>) -> Vec<&'a str> {
    let mut names = vec![""; index.len()];
    for (&name, &k) in index {
        names[k] = name;
    }
    names
}

fn source_name(source: Source) -> &'static str {
    match source {
        Source::SelfCheck => "self",
        Source::ThirdParty => "third_party",
        Source::Survey => "survey",
    }
}

/// Whether a problem is confirmed: at least `k` of the sources flag it (METHODS.md §8).
///
/// `flags_by_source` holds one flag per source consulted (self-check, third party, survey, or
/// any other list). `k = 0` confirms everything; `k` larger than the number of sources
/// confirms nothing.
///
/// # Examples
/// ```
/// use citycheck::survey::confirmed;
/// // Flagged by the third-party check and the survey, not by the self-check: 2 of 3.
/// assert!(confirmed(&[false, true, true], 2));
/// assert!(!confirmed(&[false, true, false], 2));
/// ```
pub fn confirmed(flags_by_source: &[bool], k: usize) -> bool {
    flags_by_source.iter().filter(|&&f| f).count() >= k
}

/// An objective score and a survey score combined with declared weights (METHODS.md §8; e.g.
/// 0.7 objective, 0.3 survey).
///
/// # Formula
/// ```text
/// combined = w_objective · objective + w_survey · survey,   w ≥ 0, w_objective + w_survey = 1
/// ```
/// Both scores must be on the same scale (e.g. 0–100); the result is on that scale.
///
/// # Errors
/// [`Error::Spec`] for a weight that is negative or not finite, or weights that do not sum to
/// 1 (within 1e-9); [`Error::Method`] (method `combine`) for a score that is missing (`NaN`) or
/// infinite: a unit without a survey score has no combined score.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::survey::combine;
/// assert!((combine(80.0, 60.0, (0.7, 0.3))? - 74.0).abs() < 1e-12);
/// assert!(combine(80.0, 60.0, (0.7, 0.4)).is_err());
/// # Ok(()) }
/// ```
pub fn combine(objective: f64, survey: f64, weights: (f64, f64)) -> Result<f64> {
    let (wo, ws) = weights;
    if !(wo.is_finite() && ws.is_finite() && wo >= 0.0 && ws >= 0.0) {
        return Err(Error::Spec(format!("combine: weights ({wo}, {ws}) must be finite and >= 0")));
    }
    if ((wo + ws) - 1.0).abs() > 1e-9 {
        return Err(Error::Spec(format!(
            "combine: weights ({wo}, {ws}) sum to {}, not 1",
            crate::error::shown_number(wo + ws)
        )));
    }
    for (what, x) in [("objective", objective), ("survey", survey)] {
        if !x.is_finite() {
            return Err(Error::method("combine", None, format!("the {what} score is {x}: expected a finite number")));
        }
    }
    Ok(wo * objective + ws * survey)
}
