//! The Sobol sensitivity of the ranking to each uncertain input: the first-order and total
//! indices of the mean absolute rank shift of the index (COINr's summary), by the generic
//! kernel [`crate::sensitivity::sobol`].

use crate::error::{Error, Result};
use crate::progress::Observer;
use crate::sensitivity::{sobol_observed, SobolOptions};

use super::draw::{Cell, Rescorer};
use super::{SensitivityRow, UncertaintyConfig};

/// Keys the Sobol generators apart from the Monte Carlo draws of the same seed.
const SOBOL_KEY: u64 = 0x534F_424F_4C21_2121;

/// The target's name in `sensitivity.csv`.
pub(crate) const MEAN_ABS_RANK_SHIFT: &str = "mean_abs_rank_shift";

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

/// One row per input: the indices of the mean absolute rank shift.
pub(crate) fn sensitivity(
    rescorer: &Rescorer,
    nominal: &[Cell],
    config: &UncertaintyConfig,
    progress: &Observer,
) -> Result<Vec<SensitivityRow>> {
    let s = &config.sensitivity;
    let options =
        SobolOptions { n: s.rows, seed: config.seed ^ SOBOL_KEY, bootstrap: s.bootstrap, confidence: s.confidence };
    let tracked = rescorer.tracked.len();
    let indices = sobol_observed(rescorer.inputs.len(), &options, progress, |u| {
        mean_abs_rank_shift(&rescorer.draw(u)?, nominal, tracked)
    })?;
    Ok(rescorer
        .inputs
        .iter()
        .enumerate()
        .map(|(i, input)| SensitivityRow {
            target: MEAN_ABS_RANK_SHIFT.to_string(),
            input: input.label.clone(),
            s1: indices.first[i],
            st: indices.total[i],
        })
        .collect())
}
