//! The survey report as tables — `survey_items`, `survey_dimensions`, `reliability`,
//! `bad_answers` — and `survey.json` (the summary). Values that cannot be computed are null,
//! never `NaN`, and the `note` column says why.

use std::fs;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::Serialize;

use super::reconcile::Reconciliation;
use super::score::{Estimate, SurveyReport, SurveySummary};
use crate::error::{Error, Location, Result};
use crate::io::{write_atomic, write_table, OutputFormat};

fn notes(v: &[String]) -> Option<String> {
    (!v.is_empty()).then(|| v.join("; "))
}

/// unit, year, `key` (item or dimension), n, weight_sum, n_eff, mean, se, ci_low, ci_high,
/// satisfaction, satisfaction_ci_low, satisfaction_ci_high, note.
fn estimates_dataframe(rows: &[Estimate], key: &str) -> PolarsResult<DataFrame> {
    let f = |name: &str, get: fn(&Estimate) -> Option<f64>| {
        Column::new(name.into(), rows.iter().map(get).collect::<Vec<_>>())
    };
    DataFrame::new_infer_height(vec![
        Column::new("unit".into(), rows.iter().map(|r| r.unit.as_str()).collect::<Vec<_>>()),
        Column::new("year".into(), rows.iter().map(|r| r.year).collect::<Vec<_>>()),
        Column::new(key.into(), rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>()),
        Column::new("n".into(), rows.iter().map(|r| r.stats.n as u32).collect::<Vec<_>>()),
        Column::new("weight_sum".into(), rows.iter().map(|r| r.stats.weight_sum).collect::<Vec<_>>()),
        f("n_eff", |r| r.stats.n_eff),
        f("mean", |r| r.stats.mean),
        f("se", |r| r.stats.se),
        f("ci_low", |r| r.stats.ci_low),
        f("ci_high", |r| r.stats.ci_high),
        f("satisfaction", |r| r.stats.satisfaction),
        f("satisfaction_ci_low", |r| r.stats.satisfaction_ci_low),
        f("satisfaction_ci_high", |r| r.stats.satisfaction_ci_high),
        Column::new("note".into(), rows.iter().map(|r| notes(&r.stats.notes)).collect::<Vec<_>>()),
    ])
}

/// `survey.json`: the summary, with the version that wrote it.
#[derive(Serialize)]
struct SurveyJson<'a> {
    citycheck_version: &'static str,
    #[serde(flatten)]
    summary: &'a SurveySummary,
}

impl SurveyReport {
    /// `survey_items`: unit, year, item, n, weight_sum, n_eff, mean, se, ci_low, ci_high,
    /// satisfaction, satisfaction_ci_low, satisfaction_ci_high, note.
    pub fn items_dataframe(&self) -> PolarsResult<DataFrame> {
        estimates_dataframe(&self.items, "item")
    }

    /// `survey_dimensions`: as `survey_items` with `dimension` for `item`.
    pub fn dimensions_dataframe(&self) -> PolarsResult<DataFrame> {
        estimates_dataframe(&self.dimensions, "dimension")
    }

    /// `reliability`: year, dimension, item (null on the dimension's own row), n, alpha,
    /// alpha_if_deleted, item_total_r, note.
    pub fn reliability_dataframe(&self) -> PolarsResult<DataFrame> {
        let rows = &self.reliability;
        DataFrame::new_infer_height(vec![
            Column::new("year".into(), rows.iter().map(|r| r.year).collect::<Vec<_>>()),
            Column::new("dimension".into(), rows.iter().map(|r| r.dimension.as_str()).collect::<Vec<_>>()),
            Column::new("item".into(), rows.iter().map(|r| r.item.as_deref()).collect::<Vec<_>>()),
            Column::new("n".into(), rows.iter().map(|r| r.n as u32).collect::<Vec<_>>()),
            Column::new("alpha".into(), rows.iter().map(|r| r.alpha).collect::<Vec<_>>()),
            Column::new("alpha_if_deleted".into(), rows.iter().map(|r| r.alpha_if_deleted).collect::<Vec<_>>()),
            Column::new("item_total_r".into(), rows.iter().map(|r| r.item_total_r).collect::<Vec<_>>()),
            Column::new("note".into(), rows.iter().map(|r| notes(&r.notes)).collect::<Vec<_>>()),
        ])
    }

    /// `bad_answers`: unit, year, row (the header is row 1), item (or the column at fault for a
    /// row problem), answer, reason.
    pub fn bad_answers_dataframe(&self) -> PolarsResult<DataFrame> {
        let rows = &self.bad_answers;
        DataFrame::new_infer_height(vec![
            Column::new("unit".into(), rows.iter().map(|r| r.unit.as_deref()).collect::<Vec<_>>()),
            Column::new("year".into(), rows.iter().map(|r| r.year).collect::<Vec<_>>()),
            Column::new("row".into(), rows.iter().map(|r| r.row as u32).collect::<Vec<_>>()),
            Column::new("item".into(), rows.iter().map(|r| r.item.as_str()).collect::<Vec<_>>()),
            Column::new("answer".into(), rows.iter().map(|r| r.answer.as_str()).collect::<Vec<_>>()),
            Column::new("reason".into(), rows.iter().map(|r| r.reason.as_str()).collect::<Vec<_>>()),
        ])
    }

    /// The summary as JSON (the content of `survey.json`).
    pub fn summary_json(&self) -> String {
        let json = SurveyJson { citycheck_version: env!("CARGO_PKG_VERSION"), summary: &self.summary };
        serde_json::to_string_pretty(&json).expect("the summary always serialises")
    }

    /// The four tables with their file stems, in the order of the files.
    pub fn tables(&self) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        Ok(vec![
            ("survey_items", self.items_dataframe()?),
            ("survey_dimensions", self.dimensions_dataframe()?),
            ("reliability", self.reliability_dataframe()?),
            ("bad_answers", self.bad_answers_dataframe()?),
        ])
    }

    /// Writes `survey_items`, `survey_dimensions`, `reliability`, `bad_answers` (CSV or
    /// Parquet; with [`OutputFormat::Xlsx`] the sheets of one workbook `survey.xlsx`) and
    /// `survey.json` into `dir`, created if needed; returns the paths.
    ///
    /// # Errors
    /// [`Error::Io`] if the folder or a file cannot be written.
    pub fn write(&self, dir: &Path, format: OutputFormat) -> Result<Vec<PathBuf>> {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let polars_err = |e: PolarsError| {
            Error::data(Location { file: Some(dir.display().to_string()), ..Default::default() }, e.to_string())
        };
        let mut paths = Vec::new();
        let tables = self.tables().map_err(polars_err)?;
        if format == OutputFormat::Xlsx {
            paths.push(crate::io::write_sheets(dir, "survey", &tables)?);
        } else {
            for (name, mut df) in tables {
                paths.push(write_table(dir, name, format, &mut df)?);
            }
        }
        let json_path = dir.join("survey.json");
        let json = self.summary_json();
        write_atomic(&json_path, |f| {
            std::io::Write::write_all(f, json.as_bytes()).map_err(|e| Error::io(&json_path, e))
        })?;
        paths.push(json_path);
        Ok(paths)
    }
}

impl Reconciliation {
    /// unit, year, indicator, self_value, third_party_value, survey_value, diff, tolerance,
    /// flagged, value, resolved_from.
    pub fn to_dataframe(&self) -> PolarsResult<DataFrame> {
        let rows = &self.cells;
        DataFrame::new_infer_height(vec![
            Column::new("unit".into(), rows.iter().map(|r| r.unit.as_str()).collect::<Vec<_>>()),
            Column::new("year".into(), rows.iter().map(|r| r.year).collect::<Vec<_>>()),
            Column::new("indicator".into(), rows.iter().map(|r| r.indicator.as_str()).collect::<Vec<_>>()),
            Column::new("self_value".into(), rows.iter().map(|r| r.self_value).collect::<Vec<_>>()),
            Column::new("third_party_value".into(), rows.iter().map(|r| r.third_party_value).collect::<Vec<_>>()),
            Column::new("survey_value".into(), rows.iter().map(|r| r.survey_value).collect::<Vec<_>>()),
            Column::new("diff".into(), rows.iter().map(|r| r.diff).collect::<Vec<_>>()),
            Column::new("tolerance".into(), rows.iter().map(|r| r.tolerance).collect::<Vec<_>>()),
            Column::new("flagged".into(), rows.iter().map(|r| r.flagged).collect::<Vec<_>>()),
            Column::new("value".into(), rows.iter().map(|r| r.value).collect::<Vec<_>>()),
            Column::new(
                "resolved_from".into(),
                rows.iter().map(|r| r.resolved_from.map(|s| s.as_str())).collect::<Vec<_>>(),
            ),
        ])
    }
}
