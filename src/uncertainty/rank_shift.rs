//! The Sobol sensitivity of the ranking to each uncertain input: the first-order and total
//! indices of the mean absolute rank shift of the index (COINr's summary) and of each
//! unit-year's index rank, by the generic kernel [`crate::sensitivity::sobol_targets`] (one
//! design, every target read off the same re-scorings).

use crate::checkup::Scores;
use crate::error::{Error, Result};
use crate::progress::Observer;
use crate::sensitivity::{sobol_targets_observed, SobolOptions};

use super::draw::{Cell, Rescorer};
use super::{SensitivityRow, UncertaintyConfig};

/// Keys the Sobol generators apart from the Monte Carlo draws of the same seed.
const SOBOL_KEY: u64 = 0x534F_424F_4C21_2121;

/// The target's name in `sensitivity.csv`.
pub const MEAN_ABS_RANK_SHIFT: &str = "mean_abs_rank_shift";

/// Mean over the unit-years ranked on the index both nominally and in `cells` of |rank −
/// nominal rank|. The index is the first tracked node of each row.
fn mean_abs_rank_shift(cells: &[Cell], nominal: &[Cell], tracked: usize) -> Result<f64> {
    let (mut total, mut count) = (0u64, 0u64);
    for (drawn, base) in cells.iter().step_by(tracked).zip(nominal.iter().step_by(tracked)) {
        if drawn.1 > 0 && base.1 > 0 {
            total += u64::from(drawn.1.abs_diff(base.1));
            count += 1;
        }
    }
    if count == 0 {
        return Err(Error::NotInData("no unit-year has an index rank both nominally and in a draw".into()));
    }
    Ok(total as f64 / count as f64)
}

/// The target of a unit-year's index rank in `sensitivity.csv`: `unit:<unit>:<year>`.
pub(crate) fn unit_target(unit: &str, year: i32) -> String {
    format!("unit:{unit}:{year}")
}

/// One row per target and input: the indices of the mean absolute rank shift, then of the
/// index rank of each unit-year ranked nominally (in the scores' row order), each with every
/// input in input order. A unit-year without an index rank in some re-scoring has `NaN`
/// indices (empty cells): its rank is undefined there.
pub(crate) fn sensitivity(
    rescorer: &Rescorer,
    nominal: &[Cell],
    scores: &Scores,
    config: &UncertaintyConfig,
    progress: &Observer,
) -> Result<Vec<SensitivityRow>> {
    let s = &config.sensitivity;
    let options =
        SobolOptions { n: s.rows, seed: config.seed ^ SOBOL_KEY, bootstrap: s.bootstrap, confidence: s.confidence };
    let tracked = rescorer.tracked.len();
    // The unit-years ranked on the index nominally (the index is the first tracked node).
    let ranked: Vec<usize> = (0..rescorer.rows()).filter(|&r| nominal[r * tracked].1 > 0).collect();
    let mut targets = vec![MEAN_ABS_RANK_SHIFT.to_string()];
    targets.extend(ranked.iter().map(|&r| unit_target(scores.unit(r), scores.year(r))));
    let indices = sobol_targets_observed(rescorer.inputs.len(), targets.len(), &options, progress, |u| {
        let cells = rescorer.draw(u)?;
        let mut out = Vec::with_capacity(1 + ranked.len());
        out.push(mean_abs_rank_shift(&cells, nominal, tracked)?);
        out.extend(ranked.iter().map(|&r| match cells[r * tracked].1 {
            0 => f64::NAN,
            rank => f64::from(rank),
        }));
        Ok(out)
    })?;
    let mut rows = Vec::with_capacity(targets.len() * rescorer.inputs.len());
    for (target, s) in targets.iter().zip(&indices) {
        for (i, input) in rescorer.inputs.iter().enumerate() {
            rows.push(SensitivityRow {
                target: target.clone(),
                input: input.label.clone(),
                s1: s.first[i],
                st: s.total[i],
            });
        }
    }
    Ok(rows)
}
