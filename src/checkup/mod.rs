//! The annual check-up pipeline: prepare → treat → normalise → weight → aggregate, over a
//! hierarchy of any depth.
//!
//! A [`Checkup`] holds a catalogue and a [`Spec`]. [`Checkup::prepare`] makes the [`Dataset`]
//! (denominators, imputation); [`Checkup::fit`] fits the data-dependent parameters (bounds,
//! weights) in the spec's [`Scope`] and scores every unit-year; [`Fitted::transform`] applies
//! parameters fitted earlier to any data prepared the same way. The [`Fitted`] value is plain
//! data (JSON), saved beside the results so that every score can be regenerated.

mod dataset;
mod fitted;
mod scores;
mod spec;

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use ndarray::{s, CowArray, Ix2};
use rayon::prelude::*;

pub use dataset::{Dataset, Preparation};
pub use fitted::{Fitted, FittedSet, IndicatorParams, IndicatorTreatment, NodeWeight};
pub use scores::{Ranked, Scores};
pub use spec::{Scope, Spec, Staged};

use crate::aggregate::{check_weights, geometric_of_logs, Aggregate, Labels, MissingPolicy};
use crate::catalog::{Catalog, NodeKind};
use crate::direction::Direction;
use crate::error::{Error, Result, Warning, WarningCode};
use crate::kernels::{self, column, Array2, ArrayView1, ArrayView2};
use crate::normalize::Params;
use crate::panel::{Panel, Validation};
use crate::treat::{treat_column, Transform, TreatReport, Treatment};
use crate::weight::{Criteria, Pairwise};

/// The result of scoring a dataset: scores, the fitted parameters and what the user should know.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Every node's score and rank for every unit-year.
    pub scores: Scores,
    /// The parameters the scores were computed with, and the spec they belong to.
    pub fitted: Fitted,
    /// What the user should know: the data's preparation notes first, then the scoring's.
    pub warnings: Vec<Warning>,
}

impl Outcome {
    /// The spec the scores were computed with.
    pub fn spec(&self) -> &Spec {
        &self.fitted.spec
    }

    /// Checks that this outcome was scored from `data` (the same prepared dataset or a clone).
    ///
    /// # Errors
    /// [`Error::Mismatch`] naming what differs.
    pub fn check_data(&self, data: &Dataset) -> Result<()> {
        if self.scores.data_id != data.id {
            return Err(Error::Mismatch(format!(
                "the outcome was scored from another dataset ({} unit-years) than the one given ({} unit-years); \
                 pass the dataset the outcome was computed from",
                self.scores.rows(),
                data.rows()
            )));
        }
        Ok(())
    }
}

/// A check-up: a catalogue and a spec. It owns its catalogue (shared, [`Arc`]), so it can be
/// kept, cloned and sent to other threads.
///
/// The flow is `prepare` (the panel → a [`Dataset`], divided by denominators and imputed as the
/// spec says) → `fit` (learn the parameters and score) → [`Fitted::transform`] (apply the
/// parameters to other data, e.g. a new year).
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::{Catalog, Checkup, Panel, Spec, ValidationMode};
/// let catalog = Catalog::builtin("ccsy-example")?;
/// let panel = Panel::from_records([
///     ("沈阳市", 2011, "green_coverage_builtup", 40.0),
///     ("大连市", 2011, "green_coverage_builtup", 44.0),
///     ("沈阳市", 2012, "green_coverage_builtup", 42.2),
///     ("大连市", 2012, "green_coverage_builtup", 45.0),
/// ]);
/// let validation = panel.validate(&catalog, ValidationMode::Strict)?;
/// let checkup = Checkup::new(catalog, Spec::default())?;
/// let data = checkup.prepare(&panel, &validation)?;
/// let outcome = checkup.fit(&data)?;
/// // Pooled over both years: the lowest value (沈阳市 2011) scores 0, the highest 100.
/// assert_eq!(outcome.scores.get("沈阳市", 2011, "index"), Some(0.0));
/// assert_eq!(outcome.scores.get("大连市", 2012, "index"), Some(100.0));
/// // The same parameters applied again give the same scores.
/// let again = outcome.fitted.transform(&data)?;
/// assert_eq!(again.scores.get("沈阳市", 2012, "index"), outcome.scores.get("沈阳市", 2012, "index"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Checkup {
    catalog: Arc<Catalog>,
    spec: Spec,
}

impl Checkup {
    /// A check-up of `catalog` (a [`Catalog`] or an `Arc<Catalog>`) with `spec`.
    ///
    /// # Errors
    /// [`Error::Spec`] if a method parameter is invalid.
    pub fn new(catalog: impl Into<Arc<Catalog>>, spec: Spec) -> Result<Checkup> {
        spec.check()?;
        Ok(Checkup { catalog: catalog.into(), spec })
    }

    /// The catalogue.
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.catalog
    }

    /// The spec.
    pub fn spec(&self) -> &Spec {
        &self.spec
    }

    /// The dense data a check-up scores: `panel` as `validation` keeps it, divided by the
    /// catalogue's denominators and imputed as the spec says (the only way to make a
    /// [`Dataset`]). What preparation did that the user should know is in
    /// [`Dataset::notes`].
    ///
    /// # Errors
    /// [`Error::Mismatch`] when `validation` is of another panel or another catalogue;
    /// [`Error::Spec`] when the imputation names a unit attribute the panel lacks.
    pub fn prepare(&self, panel: &Panel, validation: &Validation) -> Result<Dataset> {
        if validation.catalog_sha256 != self.catalog.sha256() {
            return Err(Error::Mismatch(format!(
                "the validation was made against another catalogue than this check-up's '{}'; \
                 validate the panel with the check-up's catalogue",
                self.catalog.id()
            )));
        }
        if !validation.is_of(panel) {
            return Err(Error::Mismatch(
                "the validation was made for another panel; validate this panel first".to_string(),
            ));
        }
        Dataset::prepare(Arc::clone(&self.catalog), panel, validation, Preparation::of(&self.spec))
    }

    /// Fits the parameters in the spec's scope and scores every unit-year of `data`.
    ///
    /// # Errors
    /// [`Error::Mismatch`] when `data` was prepared with another catalogue or another way
    /// than the spec says; [`Error::Method`] when a method cannot apply (naming the
    /// indicator, unit and year); [`Error::NotInData`] when the reference year is not in the data.
    pub fn fit(&self, data: &Dataset) -> Result<Outcome> {
        check_preparation(&self.catalog, &self.spec, data)?;
        Engine { catalog: &self.catalog, spec: &self.spec }.fit(data)
    }

    /// The whole check-up of a validated panel: [`Checkup::prepare`], then [`Checkup::fit`].
    /// Returns the prepared data too (evaluation and diagnosis read it).
    ///
    /// # Errors
    /// As [`Checkup::prepare`] and [`Checkup::fit`].
    pub fn run(&self, panel: &Panel, validation: &Validation) -> Result<(Dataset, Outcome)> {
        let data = self.prepare(panel, validation)?;
        let outcome = self.fit(&data)?;
        Ok((data, outcome))
    }
}

/// Refuses data laid out with another catalogue or prepared another way than `spec` says.
fn check_preparation(catalog: &Catalog, spec: &Spec, data: &Dataset) -> Result<()> {
    if data.catalog.sha256() != catalog.sha256() {
        return Err(Error::Mismatch(format!(
            "the data were prepared with catalogue '{}' ({}), not '{}' ({})",
            data.catalog.id(),
            short(data.catalog.sha256()),
            catalog.id(),
            short(catalog.sha256())
        )));
    }
    let wanted = Preparation::of(spec);
    if data.preparation != wanted {
        return Err(Error::Mismatch(format!(
            "the data were prepared with {}, but the spec says {}; prepare them with a check-up of this spec",
            data.preparation.describe(),
            wanted.describe()
        )));
    }
    Ok(())
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(12)]
}

impl Fitted {
    /// Scores `data` with these parameters and the spec they were fitted with: last year's
    /// normalisation and weights applied to a new year, say. Values beyond the bounds the
    /// parameters were fitted on score outside the output scale; each such indicator and year
    /// is counted in a warning.
    ///
    /// # Errors
    /// [`Error::Mismatch`] if the parameters belong to another catalogue (or another version
    /// of it) or `data` were prepared another way than the fitted spec says, or the
    /// parameters do not belong to the spec's methods, or there are no parameters for a year of
    /// `data` (year scope); [`Error::Spec`] if there are none for one of its indicators.
    pub fn transform(&self, data: &Dataset) -> Result<Outcome> {
        if self.catalog_id != data.catalog.id() || self.catalog_sha256 != data.catalog.sha256() {
            return Err(Error::Mismatch(format!(
                "the parameters were fitted with catalogue '{}' ({}), the data use '{}' ({})",
                self.catalog_id,
                short(&self.catalog_sha256),
                data.catalog.id(),
                short(data.catalog.sha256())
            )));
        }
        check_preparation(&data.catalog, &self.spec, data)?;
        for set in &self.sets {
            if let Some(p) = set.normalize.iter().find(|p| !self.spec.normalize.accepts(&p.params)) {
                return Err(Error::Mismatch(format!(
                    "the fitted parameters of '{}' ({:?}) are not those of the spec's normalisation '{}'",
                    p.indicator,
                    p.params,
                    self.spec.normalize.name()
                )));
            }
        }
        Engine { catalog: &data.catalog, spec: &self.spec }.transform(self, data)
    }

    /// The values and ranks (0 = none) of the tree nodes at `nodes`, row by row (`nodes` within
    /// a row), of `data` scored with these parameters but the `weights` of each set
    /// (`weights[i]` for `sets[i]`) — given `scored`, scores of the same `data` under the same
    /// outlier treatment and normalisation (the same normalised indicator values): the
    /// indicators' values are taken from it and only the groups are aggregated again. The
    /// numbers of [`Fitted::transform`] with those weights in the sets (the uncertainty
    /// analysis's perturbed or dropped weights), without normalising again or ranking the nodes
    /// not asked for.
    ///
    /// # Errors
    /// [`Error::Mismatch`] when `scored` are not scores of `data`, `weights` are not one per
    /// set, or a year of `data` has no parameters; [`Error::Spec`] when a node has no weight;
    /// an aggregation's error.
    pub(crate) fn reaggregated(
        &self,
        data: &Dataset,
        scored: &Scores,
        nodes: &[usize],
        weights: &[Vec<NodeWeight>],
        logs: &IndicatorLogs,
    ) -> Result<Vec<(f64, u32)>> {
        if scored.data_id != data.id || weights.len() != self.sets.len() {
            return Err(Error::Mismatch(
                "the scores to re-aggregate belong to other data, or the weights to other parameters".into(),
            ));
        }
        let engine = Engine { catalog: &data.catalog, spec: &self.spec };
        let tree = &data.tree;
        let mut values = scored.grid().clone();
        for (year, (y, rows)) in data.years.iter().zip(&data.year_rows).enumerate() {
            let set =
                self.set_index(*y).ok_or_else(|| Error::Mismatch(format!("no fitted parameters for year {y}")))?;
            let weights: HashMap<&str, f64> = weights[set].iter().map(|w| (w.node.as_str(), w.weight)).collect();
            let absent = absent_by_design(data, rows);
            let row_names: Vec<String> = rows.clone().map(|r| data.unit_name(r).to_string()).collect();
            for &g in tree.bottom_up() {
                let node = tree.node(g);
                if node.kind == NodeKind::Indicator {
                    continue;
                }
                let names: Vec<String> = node.children.iter().map(|&c| tree.node(c).id.clone()).collect();
                let w = weights_of(&names, &weights)?;
                let aggregated = match logs.logs.get(&(year, g)) {
                    Some(l) => {
                        check_weights(l.view(), &w)?;
                        geometric_of_logs(l.view(), &w)
                    }
                    None => {
                        let scores = columns_of(values.view(), &node.children, rows);
                        let labels = Labels { rows: &row_names, columns: &names, year: Some(*y) };
                        engine.aggregate_group(
                            node.level,
                            &node.children,
                            scores.view(),
                            &w,
                            labels,
                            absent.as_deref(),
                        )?
                    }
                };
                values.slice_mut(s![rows.clone(), g]).assign(&ArrayView1::from(&aggregated));
            }
        }
        let mut cells = vec![(f64::NAN, 0); data.rows() * nodes.len()];
        for (t, &n) in nodes.iter().enumerate() {
            let column = column(values.view(), n);
            for rows in &data.year_rows {
                for (r, rank) in rows.clone().zip(kernels::rank::rank_best_first(&column[rows.clone()])) {
                    cells[r * nodes.len() + t] = (column[r], rank);
                }
            }
        }
        Ok(cells)
    }

    /// The logarithms of `scored`'s indicator scores under every group that a geometric mean
    /// aggregates from indicators alone, by year and group: the same for every weighting of
    /// these parameters, and most of a geometric re-aggregation's time, so that
    /// [`Fitted::reaggregated`] takes them once per fit instead of once per draw (its numbers
    /// are the same, bit for bit). Left out — aggregated as `transform` does — are groups with
    /// a score ≤ 0 (the geometric mean's own error) and every group under
    /// [`MissingPolicy::Empty`] (which drops incomplete rows first).
    pub(crate) fn indicator_logs(&self, data: &Dataset, scored: &Scores) -> IndicatorLogs {
        let mut logs = HashMap::new();
        if self.spec.missing == MissingPolicy::Empty || scored.data_id != data.id {
            return IndicatorLogs { logs };
        }
        let tree = &data.tree;
        let values = scored.grid();
        for (year, rows) in data.year_rows.iter().enumerate() {
            for &g in tree.bottom_up() {
                let node = tree.node(g);
                let geometric = matches!(self.spec.aggregate.at(node.level), Aggregate::Geometric);
                let of_indicators = node.children.iter().all(|&c| tree.node(c).kind == NodeKind::Indicator);
                if node.kind == NodeKind::Indicator || !geometric || !of_indicators {
                    continue;
                }
                let scores = columns_of(values.view(), &node.children, rows);
                if scores.iter().any(|&v| v <= 0.0) {
                    continue;
                }
                logs.insert((year, g), scores.mapv(f64::ln));
            }
        }
        IndicatorLogs { logs }
    }
}

/// The logarithms of a fit's indicator scores under the groups a geometric mean aggregates,
/// by (year index, group node): [`Fitted::indicator_logs`].
#[derive(Debug)]
pub(crate) struct IndicatorLogs {
    logs: HashMap<(usize, usize), Array2<f64>>,
}

impl IndicatorLogs {
    /// How many (year, group) blocks of logarithms are kept.
    #[cfg(test)]
    pub(crate) fn blocks(&self) -> usize {
        self.logs.len()
    }
}

/// What scoring fills, rows = unit-years, columns = tree nodes: the scores, and the coverage
/// (the share of each node's weight resting on values present; NaN where not applicable).
struct Grids {
    values: Array2<f64>,
    coverage: Array2<f64>,
}

impl Grids {
    /// Both grids of `data`, every cell NaN.
    fn new(data: &Dataset) -> Grids {
        let (rows, nodes) = (data.rows(), data.tree.nodes().len());
        Grids { values: kernels::missing(rows, nodes), coverage: kernels::missing(rows, nodes) }
    }
}

/// The scoring engine: a catalogue and the spec whose methods run.
struct Engine<'a> {
    catalog: &'a Catalog,
    spec: &'a Spec,
}

impl Engine<'_> {
    fn fit(&self, data: &Dataset) -> Result<Outcome> {
        let mut warnings = data.notes.clone();
        if !data.left_out.is_empty() {
            warnings.push(Warning::new(
                WarningCode::IndicatorsLeftOut,
                format!(
                    "{} catalogue indicator(s) have no data and are left out of the scoring tree: {}",
                    data.left_out.len(),
                    data.left_out.join(", ")
                ),
            ));
        }
        let mut grids = Grids::new(data);
        let mut sets = Vec::new();
        match self.spec.scope {
            Scope::Panel => sets.push(self.evaluate(data, 0..data.rows(), None, None, &mut grids, &mut warnings)?),
            Scope::Year => {
                for (y, rows) in data.years.iter().zip(&data.year_rows) {
                    sets.push(self.evaluate(data, rows.clone(), Some(*y), None, &mut grids, &mut warnings)?);
                }
            }
            Scope::ReferenceYear(reference) => {
                let i = data.years.iter().position(|&y| y == reference).ok_or_else(|| {
                    Error::NotInData(format!(
                        "reference year {reference} is not in the data (years: {})",
                        data.years.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
                    ))
                })?;
                let set =
                    self.evaluate(data, data.year_rows[i].clone(), Some(reference), None, &mut grids, &mut warnings)?;
                for (j, rows) in data.year_rows.iter().enumerate().filter(|(j, _)| *j != i) {
                    self.evaluate(data, rows.clone(), Some(data.years[j]), Some(&set), &mut grids, &mut warnings)?;
                }
                sets.push(set);
            }
        }
        let fitted = Fitted {
            spec: self.spec.clone(),
            catalog_id: self.catalog.id().to_string(),
            catalog_sha256: self.catalog.sha256().to_string(),
            sets,
        };
        let Grids { values, coverage } = grids;
        Ok(Outcome { scores: Scores::new(data, values, coverage, &mut warnings), fitted, warnings })
    }

    fn transform(&self, fitted: &Fitted, data: &Dataset) -> Result<Outcome> {
        let mut warnings = data.notes.clone();
        let mut grids = Grids::new(data);
        for (y, rows) in data.years.iter().zip(&data.year_rows) {
            let set = fitted.set_for(*y).ok_or_else(|| {
                Error::Mismatch(format!(
                    "no fitted parameters for year {y}: the parameters were fitted per year (scope = year) on {}",
                    fitted.sets.iter().filter_map(|s| s.year).map(|y| y.to_string()).collect::<Vec<_>>().join(", ")
                ))
            })?;
            self.evaluate(data, rows.clone(), Some(*y), Some(set), &mut grids, &mut warnings)?;
        }
        let Grids { values, coverage } = grids;
        Ok(Outcome { scores: Scores::new(data, values, coverage, &mut warnings), fitted: fitted.clone(), warnings })
    }

    /// Normalises and aggregates `rows` of `data` into `out` (scores and coverage), fitting the
    /// parameters on those rows when `given` is `None`. Returns the parameter set used.
    fn evaluate(
        &self,
        data: &Dataset,
        rows: Range<usize>,
        year: Option<i32>,
        given: Option<&FittedSet>,
        out: &mut Grids,
        warnings: &mut Vec<Warning>,
    ) -> Result<FittedSet> {
        let Grids { values, coverage } = out;
        let tree = &data.tree;
        let indicators = self.catalog.indicators();
        let prefix = year.map(|y| format!("{y}: ")).unwrap_or_default();
        let given_params: HashMap<&str, &Params> =
            given.map(|s| s.normalize.iter().map(|p| (p.indicator.as_str(), &p.params)).collect()).unwrap_or_default();
        let given_weights: HashMap<&str, f64> =
            given.map(|s| s.weights.iter().map(|w| (w.node.as_str(), w.weight)).collect()).unwrap_or_default();

        // The raw values of these rows, one column per indicator.
        let block = data.raw.slice(s![rows.clone(), ..]);

        // 0. Outlier treatment, fitted on these rows (or as given), column by column.
        let mut treatment = Vec::new();
        let mut treated: Vec<Option<Vec<f64>>> = vec![None; data.columns.len()];
        if let Some(rule) = &self.spec.treat {
            for (c, &node) in data.columns.iter().enumerate() {
                let ind = &indicators[tree.node(node).indicator.expect("indicator node")];
                let raw_column = column(block, c);
                let raw: &[f64] = &raw_column;
                let transform = match given {
                    None => {
                        let mut column = raw.to_vec();
                        let report = treat_column(&mut column, rule);
                        let transform = Transform::fitted(raw, &column, &report);
                        if let Some(note) = treatment_note(&report) {
                            warnings.push(Warning::new(
                                WarningCode::OutliersTreated,
                                format!("{prefix}'{}': {note}", ind.id),
                            ));
                        }
                        treatment.push(IndicatorTreatment {
                            indicator: ind.id.clone(),
                            report,
                            transform: transform.clone(),
                        });
                        transform
                    }
                    Some(set) => {
                        set.treatment.iter().find(|t| t.indicator == ind.id).map(|t| t.transform.clone()).ok_or_else(
                            || Error::Spec(format!("no fitted outlier treatment for indicator '{}'", ind.id)),
                        )?
                    }
                };
                if transform != Transform::None {
                    treated[c] = Some(raw.iter().map(|&x| transform.apply(x)).collect());
                }
            }
        }
        let input: Vec<Cow<'_, [f64]>> = treated
            .iter()
            .enumerate()
            .map(|(c, t)| t.as_deref().map_or_else(|| column(block, c), Cow::Borrowed))
            .collect();

        // 1. Normalise each indicator column (columns are independent: in parallel).
        let normalized: Vec<Result<NormalizedColumn>> = data
            .columns
            .par_iter()
            .enumerate()
            .map(|(c, &node)| {
                let ind = &indicators[tree.node(node).indicator.expect("indicator node")];
                let criterion = ind.criterion();
                let raw: &[f64] = &input[c];
                let mut fit_notes = Vec::new();
                let params = match given {
                    None => self.spec.normalize.fit(&criterion, raw, &mut fit_notes)?,
                    Some(_) => (*given_params.get(ind.id.as_str()).ok_or_else(|| {
                        Error::Spec(format!("no fitted normalisation parameters for indicator '{}'", ind.id))
                    })?)
                    .clone(),
                };
                let scored = self
                    .spec
                    .normalize
                    .apply_column(&criterion, &params, raw, |offset| data.unit_name(rows.start + offset))
                    .map_err(|e| with_year(e, year))?;
                let mut notes: Vec<(WarningCode, String)> =
                    fit_notes.into_iter().map(|n| (WarningCode::Normalization, n)).collect();
                if let (Some(_), Some((lo, hi))) = (given, self.spec.normalize.scale()) {
                    let slack = 1e-9 * (hi - lo);
                    let beyond = scored.iter().filter(|&&v| v < lo - slack || v > hi + slack).count();
                    if beyond > 0 {
                        notes.push((
                            WarningCode::BeyondFittedBounds,
                            format!(
                                "'{}': {beyond} value(s) lie beyond the bounds the parameters were fitted on \
                                 and score outside [{lo}, {hi}]",
                                ind.id
                            ),
                        ));
                    }
                }
                Ok((params, scored, notes))
            })
            .collect();
        let mut normalize_params = Vec::with_capacity(data.columns.len());
        for (c, (result, &node)) in normalized.into_iter().zip(&data.columns).enumerate() {
            let (params, scored, notes) = result?;
            warnings.extend(notes.into_iter().map(|(code, n)| Warning::new(code, format!("{prefix}{n}"))));
            values.slice_mut(s![rows.clone(), node]).assign(&ArrayView1::from(&scored));
            // An indicator covers itself (1) when it has a value, not at all (0) when missing;
            // not applicable (NaN) is left out of its groups' coverage.
            for (r, v) in rows.clone().zip(&scored) {
                coverage[[r, node]] = if data.not_applicable[c * data.rows() + r] {
                    f64::NAN
                } else if v.is_nan() {
                    0.0
                } else {
                    1.0
                };
            }
            let ind = &indicators[tree.node(node).indicator.expect("indicator node")];
            normalize_params.push(IndicatorParams { indicator: ind.id.clone(), params });
        }

        // 2. Weight and aggregate each group, children first.
        let absent = absent_by_design(data, &rows);
        let mut local = vec![1.0; tree.nodes().len()];
        let row_names: Vec<String> = rows.clone().map(|r| data.unit_name(r).to_string()).collect();
        for &g in tree.bottom_up() {
            let node = tree.node(g);
            if node.kind == NodeKind::Indicator {
                continue;
            }
            let children = &node.children;
            let names: Vec<String> = children.iter().map(|&c| tree.node(c).id.clone()).collect();
            let (w, aggregated) = {
                let scores = columns_of(values.view(), children, &rows);
                let w = match given {
                    None => {
                        let method = self.spec.weights.at(node.level);
                        let directions: Vec<Direction> = children
                            .iter()
                            .map(|&c| {
                                tree.node(c)
                                    .indicator
                                    .map_or(Direction::Higher, |i| indicators[i].criterion().oriented())
                            })
                            .collect();
                        let expert: Vec<Option<f64>> = children.iter().map(|&c| tree.node(c).expert_weight).collect();
                        // At level 2 the children are indicators: their (treated) raw values.
                        // Above, the children's scores serve as both.
                        let raw = if method.is_data_driven() && node.level == 2 {
                            let cols: Vec<usize> = children
                                .iter()
                                .map(|&c| data.column_of_node(c).expect("level-2 children are indicators"))
                                .collect();
                            match consecutive(&cols).filter(|_| cols.iter().all(|&c| treated[c].is_none())) {
                                Some(range) => CowArray::from(block.slice(s![.., range])),
                                None => CowArray::from(kernels::from_columns(
                                    rows.len(),
                                    cols.len(),
                                    cols.iter().flat_map(|&c| input[c].iter().copied()).collect(),
                                )?),
                            }
                        } else {
                            CowArray::from(scores.view())
                        };
                        let mut notes = Vec::new();
                        let w = method
                            .compute(
                                raw.view(),
                                scores.view(),
                                Criteria {
                                    names: &names,
                                    directions: &directions,
                                    expert: &expert,
                                    judgement: self.catalog.judgement(&node.id).map(|j| Pairwise {
                                        node: &j.node,
                                        order: &j.order,
                                        matrix: &j.matrix,
                                    }),
                                },
                                &mut notes,
                            )
                            .map_err(|e| with_year(e, year))?;
                        warnings.extend(
                            notes
                                .into_iter()
                                .map(|n| Warning::new(WarningCode::Weights, format!("{prefix}'{}': {n}", node.id))),
                        );
                        w
                    }
                    Some(_) => weights_of(&names, &given_weights)?,
                };
                let labels = Labels { rows: &row_names, columns: &names, year };
                let aggregated =
                    self.aggregate_group(node.level, children, scores.view(), &w, labels, absent.as_deref())?;
                (w, aggregated)
            };
            for (&c, &wc) in children.iter().zip(&w) {
                local[c] = wc;
            }
            // The share of the node's weight resting on values present: Σ w·coverage over the
            // parts that apply (coverage not NaN), over their Σ w.
            for r in rows.clone() {
                let (mut present, mut total) = (0.0, 0.0);
                for (&c, &wc) in children.iter().zip(&w) {
                    let share = coverage[[r, c]];
                    if !share.is_nan() {
                        present += wc * share;
                        total += wc;
                    }
                }
                coverage[[r, g]] = if total > 0.0 { present / total } else { f64::NAN };
            }
            values.slice_mut(s![rows.clone(), g]).assign(&ArrayView1::from(&aggregated));
        }

        let weights = (1..tree.nodes().len())
            .map(|n| NodeWeight {
                node: tree.node(n).id.clone(),
                parent: tree.node(tree.node(n).parent.expect("non-root")).id.clone(),
                weight: local[n],
                global_weight: tree.global_weight(n, &local),
            })
            .collect();
        Ok(FittedSet {
            year: if self.spec.scope == Scope::Panel { None } else { year },
            treatment,
            normalize: normalize_params,
            weights,
        })
    }

    /// A group's scores: its children's `scores` (rows × children) aggregated with weights `w`
    /// by the spec's method at the group's `level`. A not-applicable part (`absent`, per node
    /// and row) is absent by design: left out (weights renormalised) even where missing parts
    /// are refused or empty the node.
    fn aggregate_group(
        &self,
        level: u32,
        children: &[usize],
        scores: ArrayView2<'_, f64>,
        w: &[f64],
        labels: Labels<'_>,
        absent: Option<&[Vec<bool>]>,
    ) -> Result<Vec<f64>> {
        self.spec
            .aggregate
            .at(level)
            .apply_except(scores, w, self.spec.missing, labels, |i, j| absent.is_some_and(|na| na[children[j]][i]))
    }
}

/// The fitted weight of each node of `names`, from `weights` (node id → weight).
fn weights_of(names: &[String], weights: &HashMap<&str, f64>) -> Result<Vec<f64>> {
    names
        .iter()
        .map(|n| {
            weights.get(n.as_str()).copied().ok_or_else(|| Error::Spec(format!("no fitted weight for node '{n}'")))
        })
        .collect()
}

/// The not-applicable cells of every node in `rows` (offsets from `rows.start`): an indicator's
/// from the dataset, a group's where every part is not applicable. `None` when no cell of
/// these rows is not applicable (the usual case: nothing to compute).
fn absent_by_design(data: &Dataset, rows: &Range<usize>) -> Option<Vec<Vec<bool>>> {
    let n_rows = data.rows();
    let span = |c: usize| c * n_rows + rows.start..c * n_rows + rows.end;
    let mask: &[bool] = &data.not_applicable;
    if !(0..data.columns.len()).any(|c| mask[span(c)].iter().any(|&na| na)) {
        return None;
    }
    let tree = &data.tree;
    let mut na = vec![vec![false; rows.len()]; tree.nodes().len()];
    for (c, &node) in data.columns.iter().enumerate() {
        na[node] = mask[span(c)].to_vec();
    }
    for &g in tree.bottom_up() {
        let children = &tree.node(g).children;
        if tree.node(g).kind != NodeKind::Indicator && !children.is_empty() {
            let group: Vec<bool> = (0..rows.len()).map(|i| children.iter().all(|&c| na[c][i])).collect();
            na[g] = group;
        }
    }
    Some(na)
}

/// What outlier treatment did, for the warnings; `None` when nothing was done.
fn treatment_note(report: &TreatReport) -> Option<String> {
    let what = match report.treatment {
        Treatment::Winsorised { low, high } => format!("winsorised {low} low and {high} high value(s)"),
        Treatment::Log => "log-transformed (winsorising could not pass the test)".to_string(),
        _ => return None,
    };
    let shown = |x: f64| crate::error::shown_fixed(x, 2);
    Some(format!(
        "outliers {what}: skewness {} → {}, kurtosis {} → {}",
        shown(report.skew),
        shown(report.skew_after),
        shown(report.kurtosis),
        shown(report.kurtosis_after)
    ))
}

/// One normalised column: its parameters, values and warnings.
type NormalizedColumn = (Params, Vec<f64>, Vec<(WarningCode, String)>);

/// Columns `cols` of `m`, restricted to `rows`: a view when they are consecutive, else a copy.
fn columns_of<'a>(m: ArrayView2<'a, f64>, cols: &[usize], rows: &Range<usize>) -> CowArray<'a, f64, Ix2> {
    let block = m.slice_move(s![rows.clone(), ..]);
    if let Some(range) = consecutive(cols) {
        return CowArray::from(block.slice_move(s![.., range]));
    }
    let mut data = Vec::with_capacity(rows.len() * cols.len());
    for &c in cols {
        data.extend_from_slice(&column(block, c));
    }
    CowArray::from(kernels::from_columns(rows.len(), cols.len(), data).expect("sizes match"))
}

/// `cols` as a range when they are consecutive and ascending (a group's children usually are):
/// then a view serves instead of a copy.
fn consecutive(cols: &[usize]) -> Option<Range<usize>> {
    let first = *cols.first()?;
    cols.iter().enumerate().all(|(k, &c)| c == first + k).then(|| first..first + cols.len())
}

fn with_year(e: Error, year: Option<i32>) -> Error {
    match e {
        Error::Method { method, location: Some(mut l), message } if l.year.is_none() => {
            l.year = year;
            Error::Method { method, location: Some(l), message }
        }
        other => other,
    }
}
