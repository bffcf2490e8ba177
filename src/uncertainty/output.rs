//! The tables of an uncertainty analysis: `uncertainty.csv` and `sensitivity.csv`.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Error, Location, Result};
use crate::io::{write_table, OutputFormat};

use super::Uncertainty;

/// A bound or index as a cell: `NaN` (the target never changed) is empty.
fn cell(x: f64) -> Option<f64> {
    Some(x).filter(|v| v.is_finite())
}

impl Uncertainty {
    /// `uncertainty`: unit, year, node, nominal_score, nominal_rank, median_rank, q05_rank,
    /// q95_rank, mean_score, sd_score; a value that cannot be computed is null.
    pub fn to_dataframe(&self) -> PolarsResult<DataFrame> {
        let rows = &self.rows;
        DataFrame::new_infer_height(vec![
            Column::new("unit".into(), rows.iter().map(|r| r.unit.as_str()).collect::<Vec<_>>()),
            Column::new("year".into(), rows.iter().map(|r| r.year).collect::<Vec<_>>()),
            Column::new("node".into(), rows.iter().map(|r| r.node.as_str()).collect::<Vec<_>>()),
            Column::new("nominal_score".into(), rows.iter().map(|r| r.nominal_score).collect::<Vec<_>>()),
            Column::new("nominal_rank".into(), rows.iter().map(|r| r.nominal_rank).collect::<Vec<_>>()),
            Column::new("median_rank".into(), rows.iter().map(|r| r.median_rank).collect::<Vec<_>>()),
            Column::new("q05_rank".into(), rows.iter().map(|r| r.q05_rank).collect::<Vec<_>>()),
            Column::new("q95_rank".into(), rows.iter().map(|r| r.q95_rank).collect::<Vec<_>>()),
            Column::new("mean_score".into(), rows.iter().map(|r| r.mean_score).collect::<Vec<_>>()),
            Column::new("sd_score".into(), rows.iter().map(|r| r.sd_score).collect::<Vec<_>>()),
        ])
    }

    /// `sensitivity`: target, input, s1, s1_ci_low, s1_ci_high, st, st_ci_low, st_ci_high;
    /// indices of a target that never changed are null.
    pub fn sensitivity_dataframe(&self) -> PolarsResult<DataFrame> {
        let rows = &self.sensitivity;
        let numbers = |name: &str, get: fn(&super::SensitivityRow) -> f64| {
            Column::new(name.into(), rows.iter().map(|r| cell(get(r))).collect::<Vec<_>>())
        };
        DataFrame::new_infer_height(vec![
            Column::new("target".into(), rows.iter().map(|r| r.target.as_str()).collect::<Vec<_>>()),
            Column::new("input".into(), rows.iter().map(|r| r.input.as_str()).collect::<Vec<_>>()),
            numbers("s1", |r| r.s1.value),
            numbers("s1_ci_low", |r| r.s1.ci_low),
            numbers("s1_ci_high", |r| r.s1.ci_high),
            numbers("st", |r| r.st.value),
            numbers("st_ci_low", |r| r.st.ci_low),
            numbers("st_ci_high", |r| r.st.ci_high),
        ])
    }

    /// Writes `uncertainty` and `sensitivity` into `dir` (created if absent); returns the paths.
    ///
    /// # Errors
    /// [`Error::Io`] when the folder or a file cannot be written.
    pub fn write(&self, dir: &Path, format: OutputFormat) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let polars_err = |e: PolarsError| {
            Error::data(Location { file: Some(dir.display().to_string()), ..Default::default() }, e.to_string())
        };
        let mut paths = Vec::new();
        for (name, df) in [("uncertainty", self.to_dataframe()), ("sensitivity", self.sensitivity_dataframe())] {
            let mut df = df.map_err(polars_err)?;
            paths.push(write_table(dir, name, format, &mut df)?);
        }
        Ok(paths)
    }
}
