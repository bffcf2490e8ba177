//! One draw: a point `u` ∈ [0, 1)^k (one uniform per uncertain input) → the spec and the
//! weights it fixes → the panel re-scored.
//!
//! Each discrete input's uniform picks its alternative by the inverse CDF of its
//! probabilities. The weight perturbation is one input whatever the number of weights: its
//! uniform's 64 bits select the generator (stream `bits` of `seed ⊕ PERTURB_KEY`) of the whole
//! vector of factors U(1 − a, 1 + a), one per node in tree order — so the Sobol matrices `A`
//! and `AB_i` that share the uniform share the factors.
//!
//! A draw's choices of the discrete inputs (normalisation, weight method, aggregation,
//! imputation) fix its spec, fitted on the data prepared with its imputation (prepared once per
//! imputation alternative, before any draw), as the nominal run does. That fit depends on
//! nothing else, so it is made once per combination of choices, when first drawn, and kept
//! (memory: one scored panel per combination drawn; the draws then cost no fit). When a draw
//! perturbs the weights or drops an indicator, the fitted weights are changed — the dropped
//! indicator's weight set to 0, every weight multiplied by its factor, then the weights of each
//! parent's children renormalised to sum 1 — and the groups are aggregated again with them
//! over the combination's normalised indicators (the numbers of
//! [`Fitted::transform`](crate::checkup::Fitted::transform) with those parameters; only the
//! tracked nodes are ranked). A dropped indicator thus leaves its group's remaining indicators
//! with their fitted weights, renormalised (data-driven weights are not re-fitted without it).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::catalog::{Catalog, NodeKind};
use crate::checkup::{Checkup, Dataset, IndicatorLogs, NodeWeight, Outcome, Scores, Spec};
use crate::error::{Error, Result};
use crate::kernels::random::Xoshiro256;
use crate::panel::{Panel, Validation};

use super::inputs::{Input, Kind};

/// Keys the generators of the weight factors apart from those of the draws.
const PERTURB_KEY: u64 = 0x5745_4947_4854_5321;

/// The score and rank (0 = none) of one unit-year and tracked node in one draw.
pub(crate) type Cell = (f64, u32);

/// Re-scores the panel for any point of the inputs' space.
pub(crate) struct Rescorer {
    catalog: Arc<Catalog>,
    base: Spec,
    seed: u64,
    pub inputs: Vec<Input>,
    /// One dataset per imputation alternative, or the nominal one when imputation is certain.
    datasets: Vec<Dataset>,
    /// Per dataset: the tree position of each tracked node.
    positions: Vec<Vec<usize>>,
    /// The tracked nodes' ids (the index and every group), in the nominal tree's order.
    pub tracked: Vec<String>,
    /// Per combination of the discrete inputs' choices drawn (its number in the mixed radix
    /// of the inputs' [`Input::fits`], in input order): the panel fitted and scored.
    fits: Mutex<HashMap<u64, Arc<Fit>>>,
}

impl Rescorer {
    pub fn new(
        checkup: &Checkup,
        panel: &Panel,
        validation: &Validation,
        nominal: &Dataset,
        inputs: Vec<Input>,
        seed: u64,
    ) -> Result<Rescorer> {
        let tree = nominal.tree();
        let tracked: Vec<String> =
            tree.nodes().iter().filter(|n| n.kind != NodeKind::Indicator).map(|n| n.id.clone()).collect();
        // Every alternative's method parameters, checked before any draw.
        for input in &inputs {
            let specs: Vec<Spec> = match &input.kind {
                Kind::Normalize(alts) => {
                    alts.iter().map(|m| Spec { normalize: m.clone(), ..checkup.spec().clone() }).collect()
                }
                Kind::Weights(alts) => {
                    alts.iter().map(|m| Spec { weights: m.clone(), ..checkup.spec().clone() }).collect()
                }
                _ => Vec::new(),
            };
            for spec in specs {
                spec.check().map_err(|e| Error::Spec(format!("uncertainty input '{}': {e}", input.label)))?;
            }
        }
        let mut datasets = Vec::new();
        match inputs.iter().find_map(|i| if let Kind::Impute(alts) = &i.kind { Some(alts) } else { None }) {
            None => datasets.push(nominal.clone()),
            Some(alternatives) => {
                for imputation in alternatives {
                    let spec = Spec { impute: imputation.clone(), ..checkup.spec().clone() };
                    let data = Checkup::new(Arc::clone(checkup.catalog()), spec)?.prepare(panel, validation)?;
                    if data.units() != nominal.units()
                        || data.row_unit != nominal.row_unit
                        || data.row_year != nominal.row_year
                    {
                        return Err(Error::Mismatch(format!(
                            "imputation '{imputation}' gives other unit-years than the nominal spec's; \
                             the uncertainty analysis compares ranks row by row"
                        )));
                    }
                    datasets.push(data);
                }
            }
        }
        let positions = datasets
            .iter()
            .map(|d| {
                tracked
                    .iter()
                    .map(|id| {
                        d.tree().nodes().iter().position(|n| n.id == *id).ok_or_else(|| {
                            Error::Mismatch(format!("node '{id}' is not scored under every imputation alternative"))
                        })
                    })
                    .collect::<Result<Vec<usize>>>()
            })
            .collect::<Result<Vec<_>>>()?;
        if inputs.iter().try_fold(1u64, |n, i| n.checked_mul(i.fits() as u64)).is_none() {
            return Err(Error::Spec("uncertainty: more than 2^64 combinations of alternatives".into()));
        }
        Ok(Rescorer {
            fits: Mutex::new(HashMap::new()),
            catalog: Arc::clone(checkup.catalog()),
            base: checkup.spec().clone(),
            seed,
            inputs,
            datasets,
            positions,
            tracked,
        })
    }

    /// Unit-years scored (the same in every draw).
    pub fn rows(&self) -> usize {
        self.datasets[0].rows()
    }

    /// The tracked cells of `scores` (row by row, tracked nodes within a row), through the
    /// node positions of dataset `d`.
    fn cells(&self, scores: &Scores, d: usize) -> Vec<Cell> {
        cells_at(scores, &self.positions[d])
    }

    /// The tracked cells of the nominal scores (of the nominal dataset, whose tree is the one
    /// the tracked nodes were read from).
    pub fn nominal_cells(&self, scores: &Scores) -> Vec<Cell> {
        let positions: Vec<usize> =
            self.tracked.iter().map(|id| scores.node(id).expect("the nominal tree has every tracked node")).collect();
        cells_at(scores, &positions)
    }

    /// Re-scores the panel at `u` (one uniform per input, in input order) and returns the
    /// tracked cells.
    pub fn draw(&self, u: &[f64]) -> Result<Vec<Cell>> {
        let mut spec = self.base.clone();
        let mut dataset = 0;
        let mut combination = 0u64;
        let mut perturb: Option<(f64, u64)> = None;
        let mut exclude: Option<&str> = None;
        for (input, &ui) in self.inputs.iter().zip(u) {
            let pick = input.pick(ui);
            if input.fits() > 1 {
                combination = combination * input.fits() as u64 + pick as u64;
            }
            match &input.kind {
                Kind::Normalize(alternatives) => spec.normalize = alternatives[pick].clone(),
                Kind::Weights(alternatives) => spec.weights = alternatives[pick].clone(),
                Kind::Aggregate(alternatives) => spec.aggregate = alternatives[pick].clone(),
                Kind::Impute(alternatives) => {
                    dataset = pick;
                    spec.impute = alternatives[pick].clone();
                }
                Kind::Perturb(a) => perturb = Some((*a, ui.to_bits())),
                Kind::Exclude(options) => exclude = options[pick].as_deref(),
            }
        }
        let data = &self.datasets[dataset];
        let known = self.fits.lock().unwrap_or_else(PoisonError::into_inner).get(&combination).cloned();
        let fit = match known {
            Some(fit) => fit,
            None => {
                // Fitted outside the lock: two threads may fit the same combination at once,
                // to the same numbers; the first kept is used.
                let outcome = Checkup::new(Arc::clone(&self.catalog), spec)?.fit(data)?;
                let logs = outcome.fitted.indicator_logs(data, &outcome.scores);
                let fit = Arc::new(Fit { outcome, logs });
                let mut fits = self.fits.lock().unwrap_or_else(PoisonError::into_inner);
                Arc::clone(fits.entry(combination).or_insert(fit))
            }
        };
        let outcome = &fit.outcome;
        if perturb.is_some_and(|(a, _)| a > 0.0) || exclude.is_some() {
            let mut weights: Vec<Vec<NodeWeight>> = outcome.fitted.sets.iter().map(|s| s.weights.clone()).collect();
            for set in &mut weights {
                adjust(set, perturb.map(|(a, bits)| (a, Xoshiro256::stream(self.seed ^ PERTURB_KEY, bits))), exclude)?;
            }
            return outcome.fitted.reaggregated(data, &outcome.scores, &self.positions[dataset], &weights, &fit.logs);
        }
        Ok(self.cells(&outcome.scores, dataset))
    }
}

/// A combination of the discrete choices, fitted: the panel scored, and the logarithms its
/// geometric groups re-weight in every draw ([`Fitted::indicator_logs`]).
struct Fit {
    outcome: Outcome,
    logs: IndicatorLogs,
}

/// The cells of `scores` at the node `positions`, row by row.
fn cells_at(scores: &Scores, positions: &[usize]) -> Vec<Cell> {
    (0..scores.rows())
        .flat_map(move |r| positions.iter().map(move |&n| (scores.value(r, n), scores.rank(r, n).unwrap_or(0))))
        .collect()
}

/// Drops `exclude` (weight 0), multiplies every weight by 1 − a + 2a·v (v uniform from the
/// generator, one per node in order) and renormalises the weights of each parent's children.
fn adjust(weights: &mut [NodeWeight], perturb: Option<(f64, Xoshiro256)>, exclude: Option<&str>) -> Result<()> {
    if let Some((a, mut rng)) = perturb {
        for w in weights.iter_mut() {
            w.weight *= 1.0 - a + 2.0 * a * rng.uniform();
        }
    }
    if let Some(id) = exclude {
        for w in weights.iter_mut().filter(|w| w.node == id) {
            w.weight = 0.0;
        }
    }
    let mut parents: Vec<String> = weights.iter().map(|w| w.parent.clone()).collect();
    parents.sort();
    parents.dedup();
    for parent in parents {
        let total: f64 = weights.iter().filter(|w| w.parent == parent).map(|w| w.weight).sum();
        if !(total > 0.0 && total.is_finite()) {
            return Err(Error::Spec(format!(
                "the weights of the children of '{parent}' sum to {} in a draw{}; nothing is left to aggregate",
                crate::error::shown_number(total),
                exclude.map(|id| format!(" that drops '{id}'")).unwrap_or_default()
            )));
        }
        for w in weights.iter_mut().filter(|w| w.parent == parent) {
            w.weight /= total;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::checkup::Scope;
    use crate::panel::ValidationMode;

    /// What a draw that perturbs the weights and drops an indicator returns — the groups
    /// aggregated again over the fit's normalised indicators — is, bit for bit, what scoring
    /// the data again with the changed parameters ([`Fitted::transform`]) gives: under panel,
    /// year and reference-year scope, with outlier treatment, with the rank normalisation and a
    /// geometric mean, on a panel with missing values.
    #[test]
    fn a_reweighted_draw_scores_as_transform_with_its_weights() {
        // The Liaoning example without 大连市's first values of 2010 (a group scored over part
        // of its weight) and with one value of 鞍山市 2011 only (groups without a score).
        let text = std::str::from_utf8(
            Panel::embedded_bytes("cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv").unwrap(),
        )
        .unwrap();
        let mut records = Vec::new();
        let (mut dalian, mut anshan) = (0, 0);
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let (Ok(year), Ok(value)) = (f[1].parse::<i32>(), f[3].parse::<f64>()) else { continue };
            if f[0] == "大连市" && year == 2010 {
                dalian += 1;
                if dalian <= 3 {
                    continue;
                }
            }
            if f[0] == "鞍山市" && year == 2011 {
                anshan += 1;
                if anshan > 1 {
                    continue;
                }
            }
            records.push((f[0], year, f[2], value));
        }
        let panel = Panel::from_records(records);
        let catalog = Arc::new(Catalog::builtin("ccsy-example").unwrap());
        let validation = panel.validate(&catalog, ValidationMode::Strict).unwrap();
        let specs = [
            Spec::checkup_default(),
            Spec { scope: Scope::Year, ..Spec::checkup_default() },
            Spec { scope: Scope::ReferenceYear(2010), ..Spec::checkup_default() },
            Spec::from_toml("treat = { skew = 1.0, kurtosis = 2.0 }").unwrap(),
            Spec::from_toml(
                "normalize = { method = \"rank\" }\naggregate = { method = \"geometric\" }\nscope = \"year\"",
            )
            .unwrap(),
        ];
        for spec in specs {
            let checkup = Checkup::new(Arc::clone(&catalog), spec.clone()).unwrap();
            let data = checkup.prepare(&panel, &validation).unwrap();
            let outcome = checkup.fit(&data).unwrap();
            let tree = data.tree();
            let tracked: Vec<usize> =
                (0..tree.nodes().len()).filter(|&n| tree.node(n).kind != NodeKind::Indicator).collect();
            let dropped = tree.nodes().iter().find(|n| n.kind == NodeKind::Indicator).unwrap().id.clone();
            let mut fitted = outcome.fitted.clone();
            for set in &mut fitted.sets {
                adjust(&mut set.weights, Some((0.4, Xoshiro256::stream(3, 11))), Some(&dropped)).unwrap();
            }
            let weights: Vec<Vec<NodeWeight>> = fitted.sets.iter().map(|s| s.weights.clone()).collect();
            let logs = outcome.fitted.indicator_logs(&data, &outcome.scores);
            // The geometric spec re-weights the kept logarithms (every group of every year:
            // the example's groups hold indicators only); the others aggregate as transform.
            let geometric = matches!(spec.aggregate.at(1), crate::aggregate::Aggregate::Geometric);
            assert_eq!(logs.blocks() > 0, geometric, "{spec:?}");
            let fast = outcome.fitted.reaggregated(&data, &outcome.scores, &tracked, &weights, &logs).unwrap();
            let slow = cells_at(&fitted.transform(&data).unwrap().scores, &tracked);
            assert_eq!(fast.len(), slow.len());
            let same =
                |a: &Cell, b: &Cell| a.1 == b.1 && (a.0.to_bits() == b.0.to_bits() || a.0.is_nan() && b.0.is_nan());
            let differ = fast.iter().zip(&slow).filter(|(a, b)| !same(a, b)).count();
            assert_eq!(differ, 0, "{spec:?}: {differ} cells differ");
            assert!(slow.iter().any(|c| c.1 == 0), "some unit-year has no score");
            // The weights did change the scores.
            assert_ne!(slow, cells_at(&outcome.scores, &tracked), "{spec:?}");
        }
    }
}
