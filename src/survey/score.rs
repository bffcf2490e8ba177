//! Weighted estimates per unit × year × item and per unit × year × dimension, and [`score`],
//! the entry point of the survey stage. The formulas are in the [module documentation](super).
//!
//! The estimator is written once, on a [`Design`] (dense group and cell ids per row) and a
//! closure giving each row's score and satisfied share, and used for items, dimensions and
//! the slice kernel [`estimate`]. It runs two passes over the rows: the first sums
//! n, Σw, Σw², Σwy and Σws per group; the second, with the group means known, sums the centred
//! Σw(y − ȳ) and Σw²(y − ȳ)² per cell (group × stratum). Centring in a second pass instead of
//! expanding Σw²y² − … keeps the variance free of cancellation; every sum is compensated.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use super::definition::{Judged, SurveyDefinition, MAX_SCALE_MAGNITUDE};
use super::reliability::{self, ReliabilityRow};
use super::responses::{cell_text, AnswerColumn, BadAnswer, Design, Responses};
use crate::error::{Error, Result};

/// Options of a survey run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SurveyOptions {
    /// Level of the confidence intervals, in (0, 1); default 0.95.
    pub confidence: f64,
    /// A respondent has a dimension score when they answered at least this many of its items
    /// (default 1: the mean of whatever they answered).
    pub min_items_answered: usize,
}

impl Default for SurveyOptions {
    fn default() -> Self {
        SurveyOptions { confidence: 0.95, min_items_answered: 1 }
    }
}

impl SurveyOptions {
    /// Checks the options.
    ///
    /// # Errors
    /// [`Error::Spec`] for a confidence outside (0, 1) or `min_items_answered` = 0.
    pub fn check(&self) -> Result<()> {
        if !(self.confidence > 0.0 && self.confidence < 1.0) {
            return Err(Error::Spec(format!("survey: confidence = {} must be in (0, 1), e.g. 0.95", self.confidence)));
        }
        if self.min_items_answered == 0 {
            return Err(Error::Spec("survey: min_items_answered must be at least 1".into()));
        }
        Ok(())
    }
}

/// The estimates of one variable (an item or a dimension score) in one group. A value that
/// cannot be computed is `None`, and `notes` says why; nothing is `NaN`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Stats {
    /// Respondents with a valid answer (a dimension score).
    pub n: usize,
    /// Σw over them (n when unweighted).
    pub weight_sum: f64,
    /// Kish's effective sample size (Σw)²/Σw².
    pub n_eff: Option<f64>,
    /// Weighted mean score Σwy/Σw.
    pub mean: Option<f64>,
    /// Linearisation standard error of the mean (stratified when strata are given).
    pub se: Option<f64>,
    /// Lower end of the mean's confidence interval (Student t at the run's confidence).
    pub ci_low: Option<f64>,
    /// Upper end of the mean's confidence interval.
    pub ci_high: Option<f64>,
    /// Weighted share satisfied (top levels), in [0, 1].
    pub satisfaction: Option<f64>,
    /// Wilson interval of the satisfaction rate at the Kish effective n.
    pub satisfaction_ci_low: Option<f64>,
    /// Upper end of the Wilson interval of the satisfaction rate.
    pub satisfaction_ci_high: Option<f64>,
    /// Why a value is missing; the `note` column.
    pub notes: Vec<String>,
}

/// [`Stats`] of one item or dimension in one unit-year: a row of `survey_items` or
/// `survey_dimensions`, the statistics as the columns of the same name.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Estimate {
    /// The unit (city, district or community): column `unit`.
    pub unit: String,
    /// The survey year: column `year`.
    pub year: i32,
    /// The item id (`survey_items`) or the dimension id (`survey_dimensions`).
    pub name: String,
    /// The estimates: columns `n` … `satisfaction_ci_high` and `note`.
    #[serde(flatten)]
    pub stats: Stats,
}

/// Counts of what a survey run read and scored (`survey.json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SurveySummary {
    /// `[survey] id` of the definition.
    pub survey: String,
    /// SHA-256 of the definition's TOML text.
    pub definition_sha256: String,
    /// The responses' input (file path or `DataFrame`).
    pub responses: Option<String>,
    /// Data rows in the input.
    pub rows_read: usize,
    /// Rows scored (read minus excluded).
    pub respondents: usize,
    /// Rows left out: no unit, no year, a bad weight or no stratum.
    pub excluded_rows: usize,
    /// Units among the respondents.
    pub units: usize,
    /// Survey years, ascending.
    pub years: Vec<i32>,
    /// Items of the definition.
    pub items: usize,
    /// Dimensions of the definition.
    pub dimensions: usize,
    /// Valid answers scored, over all items.
    pub answers: usize,
    /// Empty cells and missing marks (不清楚 …).
    pub missing_answers: usize,
    /// Answers left out as bad (not counting excluded rows).
    pub bad_answers: usize,
    /// Every entry of `bad_answers` by reason, row problems included.
    pub bad_by_reason: BTreeMap<String, usize>,
    /// Whether design weights were used (a weight column was given).
    pub weighted: bool,
    /// Whether the standard errors are stratified (a strata column was given).
    pub stratified: bool,
    /// Columns of the responses that no item reads.
    pub ignored_columns: Vec<String>,
    /// Level of the confidence intervals.
    pub confidence: f64,
    /// Items a respondent must answer to have a dimension score.
    pub min_items_answered: usize,
}

/// Everything [`score`] produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SurveyReport {
    /// Unit × year × item, units in order of first appearance, years ascending, items in
    /// definition order.
    pub items: Vec<Estimate>,
    /// Unit × year × dimension, in the same order.
    pub dimensions: Vec<Estimate>,
    /// Year × dimension (× item), pooled over units.
    pub reliability: Vec<ReliabilityRow>,
    /// Every answer and row left out, by input row.
    pub bad_answers: Vec<BadAnswer>,
    /// Counts of what was read and scored.
    pub summary: SurveySummary,
}

impl SurveyReport {
    /// The estimates of item `id` for `unit` in `year`.
    pub fn item(&self, unit: &str, year: i32, id: &str) -> Option<&Stats> {
        find(&self.items, unit, year, id)
    }

    /// The estimates of dimension `id` for `unit` in `year`.
    pub fn dimension(&self, unit: &str, year: i32, id: &str) -> Option<&Stats> {
        find(&self.dimensions, unit, year, id)
    }
}

fn find<'a>(rows: &'a [Estimate], unit: &str, year: i32, id: &str) -> Option<&'a Stats> {
    rows.iter().find(|e| e.unit == unit && e.year == year && e.name == id).map(|e| &e.stats)
}

/// Scores a survey: item and dimension estimates per unit-year, reliability per year and
/// dimension, and every bad answer.
///
/// # Errors
/// [`Error::Spec`] for invalid options; [`Error::Data`] naming the column when an item's
/// column is missing from the responses or is also the unit, year, weight or strata column.
/// Bad answers are never errors: they are reported in [`SurveyReport::bad_answers`] and left
/// out of n.
///
/// # Examples
/// ```no_run
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::survey::{score, ReadSpec, Responses, SurveyDefinition, SurveyOptions};
/// let def = SurveyDefinition::load("datasets/survey_synthetic/definition.toml")?;
/// let spec = ReadSpec {
///     unit_column: "city".into(),
///     weight_column: Some("weight".into()),
///     strata_column: Some("district".into()),
///     ..ReadSpec::default()
/// };
/// let responses = Responses::read("datasets/survey_synthetic/responses.csv", &spec)?;
/// let report = score(&def, &responses, &SurveyOptions::default())?;
/// let housing = report.dimension("沈阳市", 2025, "housing").expect("scored");
/// println!("沈阳 2025 housing: {:?} ± {:?}", housing.mean, housing.se);
/// # Ok(()) }
/// ```
pub fn score(def: &SurveyDefinition, responses: &Responses, options: &SurveyOptions) -> Result<SurveyReport> {
    options.check()?;
    let items = def.items();
    let columns = bind(def, responses)?;

    // Each distinct answer of each item judged once against the item's scale.
    let judged: Vec<Vec<Judged>> = columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let scale = def.item_scale(i);
            column.dictionary.iter().map(|cell| scale.judge(cell)).collect()
        })
        .collect();
    let values: Vec<Vec<Option<(f64, f64)>>> = judged
        .iter()
        .map(|table| {
            table
                .iter()
                .map(|j| match *j {
                    Judged::Valid { score, satisfied } => Some((score, if satisfied { 1.0 } else { 0.0 })),
                    Judged::Missing | Judged::Bad(_) => None,
                })
                .collect()
        })
        .collect();
    let codes: Vec<&[u32]> = columns.iter().map(|c| c.codes.as_slice()).collect();
    let design = responses.design();

    let item_outcomes: Vec<(Vec<Partial>, AnswerCounts, Vec<BadAnswer>)> = (0..items.len())
        .into_par_iter()
        .map(|i| {
            let (codes, table) = (codes[i], &values[i]);
            let partials = estimate_groups(&design, |r| table[codes[r] as usize]);
            let mut histogram = vec![0usize; table.len()];
            for &c in codes {
                histogram[c as usize] += 1;
            }
            let mut counts = AnswerCounts::default();
            for (j, &h) in judged[i].iter().zip(&histogram) {
                match j {
                    Judged::Missing => counts.missing += h,
                    Judged::Valid { .. } => counts.valid += h,
                    Judged::Bad(_) => counts.bad += h,
                }
            }
            let mut bad = Vec::with_capacity(counts.bad);
            if counts.bad > 0 {
                for (r, &c) in codes.iter().enumerate() {
                    if let Judged::Bad(reason) = judged[i][c as usize] {
                        let (unit, year) = responses.row_key(r);
                        bad.push(BadAnswer {
                            unit: Some(unit.to_string()),
                            year: Some(year),
                            row: responses.input_row(r),
                            item: items[i].id.clone(),
                            answer: cell_text(&columns[i].dictionary[c as usize]).into_owned(),
                            reason,
                        });
                    }
                }
            }
            (partials, counts, bad)
        })
        .collect();

    // A respondent's dimension score: the mean of the items of the dimension they answered,
    // and the share of those answers in the top levels.
    let min_items = options.min_items_answered;
    let dimension_partials: Vec<Vec<Partial>> = (0..def.dimensions().len())
        .into_par_iter()
        .map(|d| {
            let members = def.dimension_items(d);
            let per_row: Vec<Option<(f64, f64)>> = (0..design.rows())
                .map(|r| {
                    let (mut sum, mut satisfied, mut k) = (0.0, 0.0, 0usize);
                    for &i in members {
                        if let Some((y, s)) = values[i][codes[i][r] as usize] {
                            sum += y;
                            satisfied += s;
                            k += 1;
                        }
                    }
                    (k >= min_items).then_some((sum / k as f64, satisfied / k as f64))
                })
                .collect();
            estimate_groups(&design, |r| per_row[r])
        })
        .collect();

    let reliability = reliability::by_dimension(def, responses.row_years(), responses.years(), &codes, &values)?;

    let dfs = item_outcomes
        .iter()
        .flat_map(|(p, _, _)| p.iter())
        .chain(dimension_partials.iter().flatten())
        .filter_map(|p| p.df);
    let quantiles = Quantiles::new(options.confidence, dfs);

    let mut counts = AnswerCounts::default();
    let mut bad_answers: Vec<BadAnswer> = responses.excluded().to_vec();
    let mut per_item = Vec::with_capacity(items.len());
    for (partials, c, bad) in item_outcomes {
        counts.valid += c.valid;
        counts.missing += c.missing;
        counts.bad += c.bad;
        bad_answers.extend(bad);
        per_item.push(partials.into_iter());
    }
    // Stable: within a row, row problems first, then answers in item order.
    bad_answers.sort_by_key(|b| b.row);
    let item_ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    let dimension_ids: Vec<&str> = def.dimensions().iter().map(|d| d.id.as_str()).collect();
    let per_dimension = dimension_partials.into_iter().map(Vec::into_iter).collect();
    let item_rows = group_major(responses, &item_ids, per_item, &quantiles);
    let dimension_rows = group_major(responses, &dimension_ids, per_dimension, &quantiles);

    let mut bad_by_reason = BTreeMap::new();
    for b in &bad_answers {
        *bad_by_reason.entry(b.reason.as_str().to_string()).or_insert(0) += 1;
    }
    let read: BTreeSet<&str> = items.iter().map(|i| i.column_name()).collect();
    let summary = SurveySummary {
        survey: def.id().to_string(),
        definition_sha256: def.sha256().to_string(),
        responses: responses.origin().map(str::to_string),
        rows_read: responses.rows_read(),
        respondents: responses.len(),
        excluded_rows: responses.excluded_rows(),
        units: responses.units().len(),
        years: responses.years().to_vec(),
        items: items.len(),
        dimensions: def.dimensions().len(),
        answers: counts.valid,
        missing_answers: counts.missing,
        bad_answers: counts.bad,
        bad_by_reason,
        weighted: responses.is_weighted(),
        stratified: responses.is_stratified(),
        ignored_columns: responses.answer_columns().filter(|c| !read.contains(c)).map(str::to_string).collect(),
        confidence: options.confidence,
        min_items_answered: options.min_items_answered,
    };
    Ok(SurveyReport { items: item_rows, dimensions: dimension_rows, reliability, bad_answers, summary })
}

/// The answer column of every item, in definition order.
fn bind<'a>(def: &SurveyDefinition, responses: &'a Responses) -> Result<Vec<&'a AnswerColumn>> {
    let spec = responses.spec();
    let roles = [
        (Some(spec.unit_column.as_str()), "unit"),
        (Some(spec.year_column.as_str()), "year"),
        (spec.weight_column.as_deref(), "weight"),
        (spec.strata_column.as_deref(), "strata"),
    ];
    def.items()
        .iter()
        .map(|item| {
            let name = item.column_name();
            if let Some((_, role)) = roles.iter().find(|(c, _)| *c == Some(name)) {
                return Err(Error::data(
                    responses.location(Some(name)),
                    format!("survey item '{}' reads column '{name}', which is the {role} column", item.id),
                ));
            }
            responses.answer_column(name).ok_or_else(|| {
                Error::data(
                    responses.location(Some(name)),
                    format!(
                        "survey item '{}' of {} has no column '{name}' in the responses; answer columns are: {}",
                        item.id,
                        def.source_name(),
                        responses.answer_columns().collect::<Vec<_>>().join(", ")
                    ),
                )
            })
        })
        .collect()
}

#[derive(Debug, Clone, Copy, Default)]
struct AnswerCounts {
    valid: usize,
    missing: usize,
    bad: usize,
}

/// Rows in group-major order (unit, year, then variable), from one iterator of per-group
/// results per variable.
fn group_major(
    responses: &Responses,
    names: &[&str],
    mut per_variable: Vec<std::vec::IntoIter<Partial>>,
    quantiles: &Quantiles,
) -> Vec<Estimate> {
    let groups = responses.group_count();
    let mut rows = Vec::with_capacity(groups * names.len());
    for g in 0..groups {
        let (unit, year) = responses.group_key(g);
        for (name, partials) in names.iter().zip(per_variable.iter_mut()) {
            // Cannot fail: each variable's estimates were made for every group of `responses`.
            let partial = partials.next().expect("one estimate per group");
            rows.push(Estimate {
                unit: unit.to_string(),
                year,
                name: name.to_string(),
                stats: quantiles.finish(partial),
            });
        }
    }
    rows
}

/// Weighted statistics of one variable: the slice kernel behind every survey estimate.
///
/// # Formula
/// ```text
/// ȳ     = Σ wᵢ yᵢ / Σ wᵢ                      n_eff = (Σ wᵢ)² / Σ wᵢ²
/// zᵢ    = wᵢ (yᵢ − ȳ) / Σ wᵢ
/// V(ȳ)  = Σ_h  n_h/(n_h − 1) · Σ_{i∈h} (zᵢ − z̄_h)²      (one stratum when none are given)
/// se    = √V(ȳ)                              CI = ȳ ± t_{1−α/2, n−H} · se
/// p     = Σ wᵢ sᵢ / Σ wᵢ                      Wilson interval of p at n_eff
/// ```
/// where yᵢ are the present (non-`NaN`) values, wᵢ the weights (1 without), h the strata (H
/// of them with an answer), sᵢ the satisfied share (0/1 for an item). Without strata z̄ = 0
/// and se = √(n/(n−1) · Σ wᵢ²(yᵢ − ȳ)²) / Σ wᵢ, which for wᵢ = 1 is s/√n.
///
/// # Missing values and edge cases
/// `NaN` in `y` is a missing answer, left out. n = 0: every statistic `None` ("no answers").
/// n = 1: mean and satisfaction only ("n < 2"). A stratum with one answer adds no variance
/// (noted); if every stratum has one answer, se and CI are `None`. A constant `y` has se = 0
/// and a zero-width CI.
///
/// # Errors
/// [`Error::Spec`] when the slices differ in length or `confidence` is not in (0, 1);
/// [`Error::Method`] for a weight that is not a finite number > 0, weights whose sum is beyond
/// f64, an infinite value or one beyond [`MAX_SCALE_MAGNITUDE`] (1e12), or a satisfied share
/// outside [0, 1]. Weights of any finite size (1e200) are fine: they are summed relative to a
/// power of two near the largest.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::survey::estimate;
/// // Unweighted 60, 80, 100: mean 80, s = 20, se = s/√3.
/// let s = estimate(&[60.0, 80.0, 100.0], None, None, None, 0.95)?;
/// assert!((s.mean.unwrap() - 80.0).abs() < 1e-12);
/// assert!((s.se.unwrap() - 20.0 / 3f64.sqrt()).abs() < 1e-12);
/// assert_eq!(s.satisfaction, None);
/// # Ok(()) }
/// ```
///
/// # References
/// Kish (1965), *Survey Sampling*, Wiley, §11.7 (effective n); Wolter (2007), *Introduction to
/// Variance Estimation*, 2nd ed., Springer, ch. 6 (Taylor linearisation of a ratio); Lumley
/// (2010), *Complex Surveys*, Wiley, §2.2 (`svymean` with strata); Wilson (1927), JASA
/// 22(158):209–212.
pub fn estimate(
    y: &[f64],
    weights: Option<&[f64]>,
    strata: Option<&[u32]>,
    satisfied: Option<&[f64]>,
    confidence: f64,
) -> Result<Stats> {
    SurveyOptions { confidence, ..SurveyOptions::default() }.check()?;
    let n = y.len();
    let same_length = |what: &str, len: usize| {
        if len == n {
            Ok(())
        } else {
            Err(Error::Spec(format!("survey estimate: {len} {what} for {n} values")))
        }
    };
    const METHOD: &str = "survey estimate";
    if let Some(r) = y.iter().position(|v| v.is_infinite()) {
        return Err(Error::method(METHOD, None, format!("value {} at position {r} is not finite", y[r])));
    }
    if let Some(r) = y.iter().position(|v| v.abs() > MAX_SCALE_MAGNITUDE) {
        return Err(Error::method(
            METHOD,
            None,
            format!("value {:e} at position {r} is beyond a score's magnitude {MAX_SCALE_MAGNITUDE:e}", y[r]),
        ));
    }
    let ones;
    let weight = match weights {
        Some(w) => {
            same_length("weights", w.len())?;
            if let Some(r) = w.iter().position(|&v| !(v.is_finite() && v > 0.0)) {
                return Err(Error::method(
                    METHOD,
                    None,
                    format!("weight {} at position {r} is not a finite number > 0", w[r]),
                ));
            }
            let largest = w.iter().fold(0.0f64, |m, &v| m.max(v));
            if !(w.iter().map(|&v| v / largest).sum::<f64>() * largest).is_finite() {
                return Err(Error::method(METHOD, None, format!("the weights sum beyond f64 (largest {largest:e})")));
            }
            w
        }
        None => {
            ones = vec![1.0; n];
            &ones[..]
        }
    };
    if let Some(s) = satisfied {
        same_length("satisfied shares", s.len())?;
        if let Some(r) = (0..n).find(|&r| !y[r].is_nan() && !(0.0..=1.0).contains(&s[r])) {
            return Err(Error::method(
                METHOD,
                None,
                format!("satisfied share {} at position {r} is not in [0, 1]", s[r]),
            ));
        }
    }
    let group = vec![0u32; n];
    let (cell, cell_group) = match strata {
        Some(h) => {
            same_length("strata", h.len())?;
            let mut ids: HashMap<u32, u32> = HashMap::new();
            let cell: Vec<u32> = h
                .iter()
                .map(|s| {
                    let next = ids.len() as u32;
                    *ids.entry(*s).or_insert(next)
                })
                .collect();
            (cell, vec![0u32; ids.len()])
        }
        None => (vec![0u32; n], vec![0u32]),
    };
    let design = Design { group: &group, cell: &cell, cell_group: &cell_group, weight, groups: 1 };
    let partial = estimate_groups(&design, |r| (!y[r].is_nan()).then(|| (y[r], satisfied.map_or(0.0, |s| s[r]))))
        .pop()
        // Cannot fail: one design group (all rows), so one estimate.
        .expect("one group");
    let mut stats = Quantiles::new(confidence, partial.df).finish(partial);
    if satisfied.is_none() {
        stats.satisfaction = None;
        stats.satisfaction_ci_low = None;
        stats.satisfaction_ci_high = None;
    }
    Ok(stats)
}

/// The Wilson score interval of a proportion `p` observed on `n` (here the Kish effective n),
/// with normal quantile `z`.
///
/// # Formula
/// ```text
/// centre = (p + z²/2n) / (1 + z²/n)
/// half   = z / (1 + z²/n) · √( p(1 − p)/n + z²/4n² )
/// ```
/// The bounds stay in [0, 1] mathematically; they are clamped there against rounding only.
/// For a dimension, p is the mean of per-respondent shares sᵢ ∈ [0, 1], whose variance is at
/// most p(1 − p): the interval is then conservative.
///
/// # Examples
/// ```
/// use citycheck::survey::wilson_interval;
/// // Newcombe (1998), Table II, method 3: 81/263 → 0.2553 to 0.3662.
/// let (lo, hi) = wilson_interval(81.0 / 263.0, 263.0, 1.959963984540054);
/// assert!((lo - 0.2553).abs() < 5e-5 && (hi - 0.3662).abs() < 5e-5);
/// ```
///
/// # References
/// Wilson (1927), JASA 22(158):209–212; Newcombe (1998), Statistics in Medicine 17:857–872.
pub fn wilson_interval(p: f64, n: f64, z: f64) -> (f64, f64) {
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z / denominator * ((p * (1.0 - p)).max(0.0) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Neumaier-compensated running sum (METHODS.md §9).
#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    s: f64,
    c: f64,
}

impl Acc {
    #[inline]
    fn add(&mut self, x: f64) {
        let t = self.s + x;
        self.c += if self.s.abs() >= x.abs() { (self.s - t) + x } else { (x - t) + self.s };
        self.s = t;
    }

    #[inline]
    fn get(self) -> f64 {
        self.s + self.c
    }
}

/// First pass, per group: n, Σw, Σw², Σwy, Σws.
#[derive(Debug, Clone, Copy, Default)]
struct Moments {
    n: usize,
    w: Acc,
    w2: Acc,
    wy: Acc,
    ws: Acc,
}

impl Moments {
    #[inline]
    fn add(&mut self, w: f64, y: f64, s: f64) {
        self.n += 1;
        self.w.add(w);
        self.w2.add(w * w);
        self.wy.add(w * y);
        self.ws.add(w * s);
    }
}

/// Second pass, per cell (group × stratum): n_h, Σ w(y − ȳ), Σ w²(y − ȳ)².
#[derive(Debug, Clone, Copy, Default)]
struct Spread {
    n: usize,
    s1: Acc,
    s2: Acc,
}

impl Spread {
    #[inline]
    fn add(&mut self, w: f64, deviation: f64) {
        self.n += 1;
        let z = w * deviation;
        self.s1.add(z);
        self.s2.add(z * z);
    }
}

/// Per group: Σ_h n_h/(n_h − 1)·(S2_h − S1_h²/n_h) (times (Σw)² of V(ȳ)), and stratum counts.
#[derive(Debug, Clone, Copy, Default)]
struct Strata {
    variance: f64,
    present: usize,
    single: usize,
    with_variance: usize,
}

impl Strata {
    fn add(&mut self, s: &Spread) {
        if s.n == 0 {
            return;
        }
        self.present += 1;
        if s.n == 1 {
            self.single += 1;
            return;
        }
        let nh = s.n as f64;
        let (s1, s2) = (s.s1.get(), s.s2.get());
        // S2 − S1²/n_h ≥ 0 (Cauchy–Schwarz); max() only absorbs rounding.
        self.variance += nh / (nh - 1.0) * (s2 - s1 * s1 / nh).max(0.0);
        self.with_variance += 1;
    }
}

/// The statistics of one group before the intervals, which need the t quantile of `df`.
#[derive(Debug, Clone, Default)]
struct Partial {
    n: usize,
    weight_sum: f64,
    n_eff: Option<f64>,
    mean: Option<f64>,
    se: Option<f64>,
    df: Option<usize>,
    satisfaction: Option<f64>,
    notes: Vec<String>,
}

/// The statistics of one group from its sums; `scale` is the unit of the weights in them.
fn partial(m: &Moments, strata: &Strata, scale: f64) -> Partial {
    if m.n == 0 {
        return Partial { notes: vec!["no answers".into()], ..Partial::default() };
    }
    let w = m.w.get();
    let mut out = Partial {
        n: m.n,
        weight_sum: w * scale,
        n_eff: Some(w * w / m.w2.get()),
        mean: Some(m.wy.get() / w),
        satisfaction: Some(m.ws.get() / w),
        ..Partial::default()
    };
    if m.n < 2 {
        out.notes.push("n < 2: no standard error or interval".into());
    } else if strata.with_variance == 0 {
        out.notes.push("every stratum has a single answer: no standard error".into());
    } else {
        out.se = Some(strata.variance.sqrt() / w);
        out.df = Some(m.n - strata.present);
        if strata.single > 0 {
            out.notes.push(format!(
                "{} of {} strata have a single answer and add no variance",
                strata.single, strata.present
            ));
        }
    }
    out
}

/// The two passes of the estimator over every row of `design`; `value(r)` is row r's score
/// and satisfied share, `None` when it has none.
fn estimate_groups<F>(design: &Design<'_>, value: F) -> Vec<Partial>
where
    F: Fn(usize) -> Option<(f64, f64)>,
{
    // Weights far from 1 (1e200, say) are summed in power-of-two units, exact and with the
    // same bits otherwise: every statistic but Σw is invariant to the scale of the weights.
    // The unit is each group's own (from the rows with an answer): a weight of 1e200 in one
    // unit-year must not scale the weights of another to nothing (their squares to 0).
    let mut largest = vec![0.0f64; design.groups];
    for (r, (&g, &w)) in design.group.iter().zip(design.weight).enumerate() {
        if w.is_finite() && value(r).is_some() {
            largest[g as usize] = largest[g as usize].max(w.abs());
        }
    }
    let scales: Vec<f64> = largest.into_iter().map(weight_scale).collect();
    let mut moments = vec![Moments::default(); design.groups];
    for (r, (&g, &w)) in design.group.iter().zip(design.weight).enumerate() {
        if let Some((y, s)) = value(r) {
            moments[g as usize].add(w / scales[g as usize], y, s);
        }
    }
    let means: Vec<f64> = moments.iter().map(|m| if m.n > 0 { m.wy.get() / m.w.get() } else { 0.0 }).collect();
    let mut spreads = vec![Spread::default(); design.cells()];
    for (r, ((&g, &c), &w)) in design.group.iter().zip(design.cell).zip(design.weight).enumerate() {
        if let Some((y, _)) = value(r) {
            spreads[c as usize].add(w / scales[g as usize], y - means[g as usize]);
        }
    }
    let mut strata = vec![Strata::default(); design.groups];
    for (spread, &g) in spreads.iter().zip(design.cell_group) {
        strata[g as usize].add(spread);
    }
    moments.iter().zip(&strata).zip(&scales).map(|((m, s), &scale)| partial(m, s, scale)).collect()
}

/// 1 for weights whose largest, `max`, is within 2^±256 of 1, else the power of two nearest
/// below it (kept a normal number), by which the weights are divided exactly before they are
/// summed.
fn weight_scale(max: f64) -> f64 {
    let limit = 2f64.powi(256);
    if max == 0.0 || (1.0 / limit..=limit).contains(&max) {
        return 1.0;
    }
    let exponent = (max.log2().floor() as i64).clamp(-1022, 1023);
    f64::from_bits(((exponent + 1023) as u64) << 52)
}

/// t quantiles of every df in a run (computed once each: statrs inverts the incomplete beta
/// iteratively) and the normal quantile of the Wilson intervals.
struct Quantiles {
    z: f64,
    t: HashMap<usize, f64>,
}

impl Quantiles {
    fn new(confidence: f64, dfs: impl IntoIterator<Item = usize>) -> Quantiles {
        let q = 1.0 - (1.0 - confidence) / 2.0;
        let dfs: Vec<usize> = dfs.into_iter().collect::<BTreeSet<usize>>().into_iter().collect();
        let t = dfs
            .par_iter()
            .map(|&df| {
                // Cannot fail: a df is n − strata, set only when a stratum has two answers or more, so >= 1.
                let dist = StudentsT::new(0.0, 1.0, df as f64).expect("df >= 1 is a valid Student t");
                (df, dist.inverse_cdf(q))
            })
            .collect();
        Quantiles { z: Normal::standard().inverse_cdf(q), t }
    }

    fn finish(&self, p: Partial) -> Stats {
        let (ci_low, ci_high) = match (p.mean, p.se, p.df) {
            (Some(mean), Some(se), Some(df)) => {
                let half = self.t[&df] * se;
                (Some(mean - half), Some(mean + half))
            }
            _ => (None, None),
        };
        let (satisfaction_ci_low, satisfaction_ci_high) = match (p.satisfaction, p.n_eff) {
            (Some(rate), Some(n_eff)) if p.n >= 2 => {
                let (lo, hi) = wilson_interval(rate, n_eff, self.z);
                (Some(lo), Some(hi))
            }
            _ => (None, None),
        };
        Stats {
            n: p.n,
            weight_sum: p.weight_sum,
            n_eff: p.n_eff,
            mean: p.mean,
            se: p.se,
            ci_low,
            ci_high,
            satisfaction: p.satisfaction,
            satisfaction_ci_low,
            satisfaction_ci_high,
            notes: p.notes,
        }
    }
}
