//! How robust a ranking is (METHODS.md §11): Monte Carlo uncertainty analysis over the spec's
//! defensible choices and the Sobol sensitivity of the ranks to each of them.
//!
//! The user names the uncertain inputs ([`InputSpec`]: normalisations, weight methods or a
//! weight perturbation, aggregations, imputations, indicators dropped one at a time, with
//! probabilities). [`analyze`] scores the nominal spec, then `draws` draws, each fixing every
//! input and re-scoring the panel (the data prepared once per imputation alternative; a fit per
//! combination of the discrete choices drawn, kept for the draws that make the same choices; a
//! weight perturbation or a dropped indicator aggregates the groups again). Per unit, year and
//! node (the index and every group) it reports the nominal score and rank, the median rank, the
//! 5th and 95th percentile ranks and the mean and standard deviation of the score
//! ([`UncertaintyRow`]).
//!
//! **Ranks and their quantiles.** Ranks are per year and node among the units with a score,
//! 1 = best, ties sharing the lowest rank. The `q`-quantile of a unit's ranks over the draws is
//! the smallest rank `r` whose cumulative share — the draws giving a rank ≤ `r` over the draws
//! giving a rank — is ≥ `q` (median `q = 0.5`, `q05` 0.05, `q95` 0.95): always a rank that
//! was drawn. The mean and the sample standard deviation (divisor n − 1) of the score are over
//! the draws that score the unit-year; a draw in which it has no score counts for neither.
//!
//! **Memory and reproducibility.** Draws run in parallel in blocks of [`BLOCK`]; each block's
//! results are added to per-cell rank histograms and running moments (cells in parallel, each
//! cell's draws in draw order), so memory does not grow with the number of draws, and draw
//! `d`'s uniforms come from its own generator (stream `d` of the seed,
//! [`crate::kernels::random`]): the output is identical for a seed whatever the number of
//! threads.
//!
//! **Sensitivity.** The Sobol indices of each input ([`crate::sensitivity::sobol_targets`],
//! `rows` base rows, `rows (k + 2)` re-scorings) on the mean absolute rank shift of the index —
//! the mean over the unit-years ranked both nominally and in the run of |rank − nominal rank|
//! (COINr's summary), target `mean_abs_rank_shift` — and on the index rank of each unit-year
//! ranked nominally, target `unit:<unit>:<year>`. Every target is read off the same
//! re-scorings; a unit-year left without a rank by some re-scoring has empty indices. The
//! outputs kept are `rows (k + 2) (1 + unit-years)` numbers (8 bytes each: 4.3 MB for 256
//! rows, 5 inputs, 300 unit-years). Its generators are keyed apart from the Monte Carlo's
//! (seed ⊕ a constant).

mod accumulate;
mod draw;
mod inputs;
mod output;
mod rank_shift;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use inputs::{Exclusion, InputSpec};
pub use rank_shift::MEAN_ABS_RANK_SHIFT;

use crate::checkup::Checkup;
use crate::error::{Error, Result};
use crate::kernels::random::Xoshiro256;
use crate::panel::{Panel, Validation};
use crate::progress::Observer;
use crate::sensitivity::Estimate;
use accumulate::{Moments, RankHistogram};
use draw::Rescorer;

/// Draws re-scored in parallel before their results are added (in draw order).
pub const BLOCK: usize = 64;

/// Cells whose draws one task adds (in draw order) to their histograms and moments.
const CELLS: usize = 2048;

/// The `[uncertainty]` table of a run config.
///
/// ```toml
/// [uncertainty]
/// draws = 1000
/// seed = 7
/// sensitivity = { rows = 256, bootstrap = 1000, confidence = 0.95 }
/// [[uncertainty.inputs]]
/// stage = "normalize"
/// alternatives = ["min_max", "rank"]
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncertaintyConfig {
    /// Monte Carlo draws; default 1,000.
    #[serde(default = "default_draws")]
    pub draws: usize,
    /// The seed of every generator; default 0.
    #[serde(default)]
    pub seed: u64,
    /// The uncertain inputs; none reproduces the nominal ranks in every draw.
    #[serde(default)]
    pub inputs: Vec<InputSpec>,
    /// The Sobol analysis of the rank shift.
    #[serde(default)]
    pub sensitivity: SensitivityConfig,
}

fn default_draws() -> usize {
    1000
}

impl Default for UncertaintyConfig {
    fn default() -> Self {
        UncertaintyConfig {
            draws: default_draws(),
            seed: 0,
            inputs: Vec::new(),
            sensitivity: SensitivityConfig::default(),
        }
    }
}

/// The size of the Sobol analysis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SensitivityConfig {
    /// Base rows N of Saltelli's matrices (N (k + 2) re-scorings); 0 skips the analysis;
    /// default 256.
    #[serde(default = "default_rows")]
    pub rows: usize,
    /// Bootstrap resamples for the intervals; default 1,000.
    #[serde(default = "default_bootstrap")]
    pub bootstrap: usize,
    /// Coverage of the intervals; default 0.95.
    #[serde(default = "default_confidence")]
    pub confidence: f64,
}

fn default_rows() -> usize {
    256
}

fn default_bootstrap() -> usize {
    1000
}

fn default_confidence() -> f64 {
    0.95
}

impl Default for SensitivityConfig {
    fn default() -> Self {
        SensitivityConfig { rows: default_rows(), bootstrap: default_bootstrap(), confidence: default_confidence() }
    }
}

/// One unit-year and node of `uncertainty.csv`. Missing values (no score, no rank in any
/// draw, a standard deviation of fewer than two scores) are `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertaintyRow {
    /// The unit.
    pub unit: String,
    /// The year.
    pub year: i32,
    /// The node (the index or a group).
    pub node: String,
    /// The nominal spec's score.
    pub nominal_score: Option<f64>,
    /// The nominal spec's rank.
    pub nominal_rank: Option<u32>,
    /// The median rank over the draws.
    pub median_rank: Option<u32>,
    /// The 5th percentile rank.
    pub q05_rank: Option<u32>,
    /// The 95th percentile rank.
    pub q95_rank: Option<u32>,
    /// The mean score over the draws.
    pub mean_score: Option<f64>,
    /// The standard deviation of the score over the draws.
    pub sd_score: Option<f64>,
}

/// One row of `sensitivity.csv`: the indices of one input on one target.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityRow {
    /// What is explained: `mean_abs_rank_shift` (of the index), or `unit:<unit>:<year>`, the
    /// index rank of that unit-year.
    pub target: String,
    /// The input's label: its stage (`weights_perturb` for the perturbation).
    pub input: String,
    /// First-order index and interval (`NaN` when the target never changed).
    pub s1: Estimate,
    /// Total index and interval (`NaN` when the target never changed).
    pub st: Estimate,
}

/// The result of [`analyze`].
#[derive(Debug, Clone, PartialEq)]
pub struct Uncertainty {
    /// Draws made.
    pub draws: usize,
    /// The seed.
    pub seed: u64,
    /// Per unit-year and node (the index and every group, in tree order, unit-years as in
    /// the scores).
    pub rows: Vec<UncertaintyRow>,
    /// Per target — the mean absolute rank shift, then each unit-year ranked nominally, in the
    /// scores' order — and input (in input order), the Sobol indices (empty when there is no
    /// input or `sensitivity.rows = 0`).
    pub sensitivity: Vec<SensitivityRow>,
}

impl UncertaintyConfig {
    /// Reads the body of an `[uncertainty]` table (`draws`, `seed`, `sensitivity`,
    /// `[[inputs]]`) and checks it.
    ///
    /// # Errors
    /// [`Error::Spec`] for text that is not such a table, or as [`UncertaintyConfig::check`].
    pub fn from_toml(text: &str) -> Result<UncertaintyConfig> {
        let config: UncertaintyConfig = toml::from_str(text).map_err(|e| Error::Spec(format!("uncertainty: {e}")))?;
        config.check()?;
        Ok(config)
    }

    /// Checks the sizes: at least one draw; a sensitivity analysis of at least 2 rows (or 0),
    /// with at least one resample and a confidence in (0, 1).
    ///
    /// # Errors
    /// [`Error::Spec`] naming the value.
    pub fn check(&self) -> Result<()> {
        if self.draws == 0 {
            return Err(Error::Spec("uncertainty: draws = 0; at least one draw is needed".into()));
        }
        let s = &self.sensitivity;
        if s.rows == 1 {
            return Err(Error::Spec("uncertainty: sensitivity.rows = 1; use 0 (none) or at least 2".into()));
        }
        if s.rows > 0 && s.bootstrap == 0 {
            return Err(Error::Spec("uncertainty: sensitivity.bootstrap = 0; at least one resample is needed".into()));
        }
        if !(s.confidence > 0.0 && s.confidence < 1.0) {
            return Err(Error::Spec(format!(
                "uncertainty: sensitivity.confidence = {} must lie in (0, 1)",
                s.confidence
            )));
        }
        Ok(())
    }
}

/// The uncertainty (and sensitivity) analysis of `checkup`'s spec on a validated panel (see
/// the module's doc).
///
/// # Errors
/// [`Error::Spec`] for a bad configuration or input (probabilities that do not sum to 1, an
/// unknown indicator, a perturbation ≥ 1, no draws), naming the input; the errors of
/// [`Checkup::prepare`] and [`Checkup::fit`] for the nominal spec or any draw's;
/// [`Error::Mismatch`] when an imputation alternative scores other unit-years.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::prelude::*;
/// use citycheck::uncertainty::{analyze, UncertaintyConfig};
/// let checkup = Checkup::new(Catalog::builtin("ccsy-example")?, Spec::checkup_default())?;
/// let read = ReadOptions::default().unit_column("city");
/// let panel = Panel::embedded("cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv", &read)?;
/// let validation = panel.validate(checkup.catalog(), ValidationMode::Strict)?;
/// let config = UncertaintyConfig::from_toml(r#"
///     draws = 50
///     seed = 7
///     sensitivity = { rows = 16, bootstrap = 100 }
///     [[inputs]]
///     stage = "normalize"
///     alternatives = ["min_max", "rank"]
///     [[inputs]]
///     stage = "weights"
///     perturb = 0.25
/// "#)?;
/// let result = analyze(&checkup, &panel, &validation, &config)?;
/// let row = result.rows.iter().find(|r| r.unit == "沈阳市" && r.year == 2012 && r.node == "index").unwrap();
/// assert!(row.q05_rank <= row.median_rank && row.median_rank <= row.q95_rank);
/// // The rank shift and each unit-year's rank, each explained by normalize and weights_perturb.
/// let targets: std::collections::BTreeSet<&str> = result.sensitivity.iter().map(|s| s.target.as_str()).collect();
/// assert!(targets.contains("mean_abs_rank_shift") && targets.contains("unit:沈阳市:2012"));
/// assert_eq!(result.sensitivity.len(), 2 * targets.len());
/// # Ok(()) }
/// ```
pub fn analyze(
    checkup: &Checkup,
    panel: &Panel,
    validation: &Validation,
    config: &UncertaintyConfig,
) -> Result<Uncertainty> {
    analyze_observed(checkup, panel, validation, config, &Observer::none())
}

/// [`analyze`], reporting to `progress`: a stage `uncertainty draws` of `draws` draws, then
/// the Sobol model runs of the sensitivity ([`crate::sensitivity::sobol_observed`]).
///
/// # Errors
/// As [`analyze`].
pub fn analyze_observed(
    checkup: &Checkup,
    panel: &Panel,
    validation: &Validation,
    config: &UncertaintyConfig,
    progress: &Observer,
) -> Result<Uncertainty> {
    config.check()?;
    let data = checkup.prepare(panel, validation)?;
    let nominal = checkup.fit(&data)?;
    let inputs = inputs::resolve(&config.inputs, data.tree())?;
    let rescorer = Rescorer::new(checkup, panel, validation, &data, inputs, config.seed)?;
    let nominal_cells = rescorer.nominal_cells(&nominal.scores);
    let tracked = rescorer.tracked.len();
    let k = rescorer.inputs.len();

    let mut ranks = vec![RankHistogram::default(); nominal_cells.len()];
    let mut moments = vec![Moments::default(); nominal_cells.len()];
    let stage = progress.stage("uncertainty draws", config.draws as u64, "draws");
    for start in (0..config.draws).step_by(BLOCK) {
        let end = (start + BLOCK).min(config.draws);
        let block: Vec<Vec<draw::Cell>> = (start..end)
            .into_par_iter()
            .map(|d| {
                let mut rng = Xoshiro256::stream(config.seed, d as u64);
                let u: Vec<f64> = (0..k).map(|_| rng.uniform()).collect();
                let cells = rescorer.draw(&u);
                stage.advance(1);
                cells
            })
            .collect::<Result<Vec<_>>>()?;
        // Cells are independent: in parallel over chunks of cells, each cell's draws in order.
        ranks.par_chunks_mut(CELLS).zip(moments.par_chunks_mut(CELLS)).enumerate().for_each(|(i, (hs, ms))| {
            for cells in &block {
                let chunk = &cells[i * CELLS..i * CELLS + hs.len()];
                for ((&(score, rank), histogram), m) in chunk.iter().zip(hs.iter_mut()).zip(ms.iter_mut()) {
                    if rank > 0 {
                        histogram.add(rank);
                    }
                    if score.is_finite() {
                        m.add(score);
                    }
                }
            }
        });
    }

    drop(stage);

    let scores = &nominal.scores;
    let mut rows = Vec::with_capacity(nominal_cells.len());
    for r in 0..rescorer.rows() {
        for (t, node) in rescorer.tracked.iter().enumerate() {
            let c = r * tracked + t;
            let (score, rank) = nominal_cells[c];
            rows.push(UncertaintyRow {
                unit: scores.unit(r).to_string(),
                year: scores.year(r),
                node: node.clone(),
                nominal_score: Some(score).filter(|s| s.is_finite()),
                nominal_rank: Some(rank).filter(|&x| x > 0),
                median_rank: ranks[c].quantile(0.5),
                q05_rank: ranks[c].quantile(0.05),
                q95_rank: ranks[c].quantile(0.95),
                mean_score: moments[c].mean(),
                sd_score: moments[c].sd(),
            });
        }
    }
    let sensitivity = if k > 0 && config.sensitivity.rows > 0 {
        rank_shift::sensitivity(&rescorer, &nominal_cells, &nominal.scores, config, progress)?
    } else {
        Vec::new()
    };
    Ok(Uncertainty { draws: config.draws, seed: config.seed, rows, sensitivity })
}
