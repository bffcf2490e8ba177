//! The tables of an audit, written under `audit/` of an output folder: `coverage`, `outliers`,
//! `correlations`, `groups` and `pca` (CSV or Parquet), or one workbook `audit/audit.xlsx`.
//! Missing values are empty cells; the `note` columns say why.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::Audit;
use crate::error::{Error, Location, Result};
use crate::io::{write_sheets, write_table, OutputFormat};

/// The folder of an output folder that holds the audit's tables.
pub const FOLDER: &str = "audit";

/// The audit's tables, in file order (file stems under [`FOLDER`]).
pub const TABLES: [&str; 5] = ["coverage", "outliers", "correlations", "groups", "pca"];

/// The sheet names of the tables in a run's workbook, where they sit beside the run's own.
pub const SHEETS: [&str; 5] = ["audit_coverage", "audit_outliers", "audit_correlations", "audit_groups", "audit_pca"];

/// Counts as the u32 columns of the tables.
fn counts(values: impl Iterator<Item = usize>) -> Vec<u32> {
    values.map(|v| u32::try_from(v).unwrap_or(u32::MAX)).collect()
}

impl Audit {
    /// `coverage`: kind (`unit` or `indicator`), name, year, present, expected, share, dropped,
    /// note.
    pub fn coverage_dataframe(&self) -> PolarsResult<DataFrame> {
        let rows = &self.coverage;
        DataFrame::new_infer_height(vec![
            Column::new("kind".into(), rows.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>()),
            Column::new("name".into(), rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>()),
            Column::new("year".into(), rows.iter().map(|r| r.year).collect::<Vec<_>>()),
            Column::new("present".into(), counts(rows.iter().map(|r| r.present))),
            Column::new("expected".into(), counts(rows.iter().map(|r| r.expected))),
            Column::new("share".into(), rows.iter().map(|r| r.share).collect::<Vec<_>>()),
            Column::new("dropped".into(), rows.iter().map(|r| r.dropped).collect::<Vec<_>>()),
            Column::new("note".into(), rows.iter().map(|r| r.note.as_deref()).collect::<Vec<_>>()),
        ])
    }

    /// `outliers`: year, indicator, n, skewness, kurtosis, outlying, treatment, winsorised_low,
    /// winsorised_high, note.
    pub fn outliers_dataframe(&self) -> PolarsResult<DataFrame> {
        let rows = &self.outliers;
        let optional = |get: fn(&super::OutlierRow) -> Option<usize>| {
            rows.iter().map(|r| get(r).map(|v| u32::try_from(v).unwrap_or(u32::MAX))).collect::<Vec<_>>()
        };
        DataFrame::new_infer_height(vec![
            Column::new("year".into(), rows.iter().map(|r| r.year).collect::<Vec<_>>()),
            Column::new("indicator".into(), rows.iter().map(|r| r.indicator.as_str()).collect::<Vec<_>>()),
            Column::new("n".into(), counts(rows.iter().map(|r| r.n))),
            Column::new("skewness".into(), rows.iter().map(|r| r.skewness).collect::<Vec<_>>()),
            Column::new("kurtosis".into(), rows.iter().map(|r| r.kurtosis).collect::<Vec<_>>()),
            Column::new("outlying".into(), rows.iter().map(|r| r.outlying).collect::<Vec<_>>()),
            Column::new("treatment".into(), rows.iter().map(|r| r.treatment).collect::<Vec<_>>()),
            Column::new("winsorised_low".into(), optional(|r| r.winsorised_low)),
            Column::new("winsorised_high".into(), optional(|r| r.winsorised_high)),
            Column::new("note".into(), rows.iter().map(|r| r.note.as_deref()).collect::<Vec<_>>()),
        ])
    }

    /// `correlations`: year, group, a, b, pearson, spearman, p_value, flag (`;`-joined, empty
    /// when none), relation, n, note.
    pub fn correlations_dataframe(&self) -> PolarsResult<DataFrame> {
        let rows = &self.correlations;
        let flags: Vec<Option<String>> = rows
            .iter()
            .map(|r| (!r.flags.is_empty()).then(|| r.flags.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(";")))
            .collect();
        DataFrame::new_infer_height(vec![
            Column::new("year".into(), rows.iter().map(|r| r.year).collect::<Vec<_>>()),
            Column::new("group".into(), rows.iter().map(|r| r.group.as_str()).collect::<Vec<_>>()),
            Column::new("a".into(), rows.iter().map(|r| r.a.as_str()).collect::<Vec<_>>()),
            Column::new("b".into(), rows.iter().map(|r| r.b.as_str()).collect::<Vec<_>>()),
            Column::new("pearson".into(), rows.iter().map(|r| r.pearson).collect::<Vec<_>>()),
            Column::new("spearman".into(), rows.iter().map(|r| r.spearman).collect::<Vec<_>>()),
            Column::new("p_value".into(), rows.iter().map(|r| r.p_value).collect::<Vec<_>>()),
            Column::new("flag".into(), flags),
            Column::new("relation".into(), rows.iter().map(|r| r.relation.as_str()).collect::<Vec<_>>()),
            Column::new("n".into(), counts(rows.iter().map(|r| r.n))),
            Column::new("note".into(), rows.iter().map(|r| r.note.as_deref()).collect::<Vec<_>>()),
        ])
    }

    /// `groups`: year, group, n_indicators, cronbach_alpha, first_component_share, verdict,
    /// level, n_units, note (`; `-joined).
    pub fn groups_dataframe(&self) -> PolarsResult<DataFrame> {
        let rows = &self.groups;
        let notes: Vec<Option<String>> =
            rows.iter().map(|r| (!r.notes.is_empty()).then(|| r.notes.join("; "))).collect();
        DataFrame::new_infer_height(vec![
            Column::new("year".into(), rows.iter().map(|r| r.year).collect::<Vec<_>>()),
            Column::new("group".into(), rows.iter().map(|r| r.group.as_str()).collect::<Vec<_>>()),
            Column::new("n_indicators".into(), counts(rows.iter().map(|r| r.n_indicators))),
            Column::new("cronbach_alpha".into(), rows.iter().map(|r| r.cronbach_alpha).collect::<Vec<_>>()),
            Column::new(
                "first_component_share".into(),
                rows.iter().map(|r| r.first_component_share).collect::<Vec<_>>(),
            ),
            Column::new("verdict".into(), rows.iter().map(|r| r.verdict.as_str()).collect::<Vec<_>>()),
            Column::new("level".into(), rows.iter().map(|r| r.level).collect::<Vec<_>>()),
            Column::new("n_units".into(), counts(rows.iter().map(|r| r.n_units))),
            Column::new("note".into(), notes),
        ])
    }

    /// `pca`: year, group, component, eigenvalue, share, member, loading — one row per
    /// component and member.
    pub fn pca_dataframe(&self) -> PolarsResult<DataFrame> {
        let rows = &self.pca;
        DataFrame::new_infer_height(vec![
            Column::new("year".into(), rows.iter().map(|r| r.year).collect::<Vec<_>>()),
            Column::new("group".into(), rows.iter().map(|r| r.group.as_str()).collect::<Vec<_>>()),
            Column::new("component".into(), counts(rows.iter().map(|r| r.component))),
            Column::new("eigenvalue".into(), rows.iter().map(|r| r.eigenvalue).collect::<Vec<_>>()),
            Column::new("share".into(), rows.iter().map(|r| r.share).collect::<Vec<_>>()),
            Column::new("member".into(), rows.iter().map(|r| r.member.as_str()).collect::<Vec<_>>()),
            Column::new("loading".into(), rows.iter().map(|r| r.loading).collect::<Vec<_>>()),
        ])
    }

    /// The five tables, named by their file stems ([`TABLES`]), in file order.
    ///
    /// # Errors
    /// Polars' error when a table cannot be built.
    pub fn tables(&self) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        let frames = [
            self.coverage_dataframe()?,
            self.outliers_dataframe()?,
            self.correlations_dataframe()?,
            self.groups_dataframe()?,
            self.pca_dataframe()?,
        ];
        Ok(TABLES.into_iter().zip(frames).collect())
    }

    /// Writes the tables into `out`/[`FOLDER`] (created if needed): `coverage`, `outliers`,
    /// `correlations`, `groups` and `pca` as CSV or Parquet, or one workbook `audit.xlsx` with
    /// [`OutputFormat::Xlsx`]; returns the paths.
    ///
    /// # Errors
    /// [`Error::Io`] or [`Error::Data`] when the folder or a file cannot be written.
    pub fn write(&self, out: &Path, format: OutputFormat) -> Result<Vec<PathBuf>> {
        let dir = out.join(FOLDER);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let tables = self.tables().map_err(|e| {
            Error::data(Location { file: Some(dir.display().to_string()), ..Default::default() }, e.to_string())
        })?;
        if format == OutputFormat::Xlsx {
            return Ok(vec![write_sheets(&dir, FOLDER, &tables)?]);
        }
        tables.into_iter().map(|(name, mut df)| write_table(&dir, name, format, &mut df)).collect()
    }
}
