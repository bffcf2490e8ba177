//! The tables of a [`Recheck`] as DataFrames, and the files [`Recheck::write`] makes.
//!
//! | file | columns |
//! |---|---|
//! | `recheck.csv` | unit, level, object_id, indicator, first_year, year, status, value_before, value_after, standard, severity_before, severity_after, tasks, note, change, previous_year, closed |
//! | `recheck_summary.csv` | unit, level, year, carried_over, resolved, persisting, new, recurring, not_assessed, rectification_rate, closure_rate, listed, closed |
//! | `recheck_indicators.csv` | indicator, level, then as `recheck_summary.csv` from year |
//! | `recheck_tasks.csv` | task, level, then as `recheck_summary.csv` from year (only when tasks are known) |
//!
//! Tasks are joined by `;`. Rates are fractions in [0, 1], empty when their denominator is 0.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::{Recheck, RecheckCounts};
use crate::error::{Error, Location, Result};
use crate::io::OutputFormat;

fn counts_columns(counts: &[RecheckCounts]) -> Vec<Column> {
    let get = |f: fn(&RecheckCounts) -> u32| counts.iter().map(f).collect::<Vec<u32>>();
    vec![
        Column::new("carried_over".into(), get(|c| c.carried_over)),
        Column::new("resolved".into(), get(|c| c.resolved)),
        Column::new("persisting".into(), get(|c| c.persisting)),
        Column::new("new".into(), get(|c| c.new)),
        Column::new("recurring".into(), get(|c| c.recurring)),
        Column::new("not_assessed".into(), get(|c| c.not_assessed)),
        Column::new(
            "rectification_rate".into(),
            counts.iter().map(RecheckCounts::rectification_rate).collect::<Vec<Option<f64>>>(),
        ),
        Column::new(
            "closure_rate".into(),
            counts.iter().map(RecheckCounts::closure_rate).collect::<Vec<Option<f64>>>(),
        ),
        Column::new("listed".into(), get(|c| c.listed)),
        Column::new("closed".into(), get(|c| c.closed)),
    ]
}

impl Recheck {
    /// `recheck.csv` (module docs of [`super::output`]).
    pub fn rows_dataframe(&self) -> PolarsResult<DataFrame> {
        let r = &self.rows;
        let tasks: Vec<Option<String>> = r
            .iter()
            .map(|x| (!x.tasks.is_empty()).then(|| x.tasks.iter().map(u32::to_string).collect::<Vec<_>>().join(";")))
            .collect();
        DataFrame::new_infer_height(vec![
            Column::new("unit".into(), r.iter().map(|x| x.id.unit.as_str()).collect::<Vec<_>>()),
            Column::new("level".into(), r.iter().map(|x| x.id.level.as_str()).collect::<Vec<_>>()),
            Column::new("object_id".into(), r.iter().map(|x| x.id.object_id.as_deref()).collect::<Vec<Option<&str>>>()),
            Column::new("indicator".into(), r.iter().map(|x| x.id.indicator.as_str()).collect::<Vec<_>>()),
            Column::new("first_year".into(), r.iter().map(|x| x.first_year).collect::<Vec<i32>>()),
            Column::new("year".into(), r.iter().map(|x| x.year).collect::<Vec<i32>>()),
            Column::new("status".into(), r.iter().map(|x| x.status.as_str()).collect::<Vec<_>>()),
            Column::new("value_before".into(), r.iter().map(|x| x.value_before).collect::<Vec<Option<f64>>>()),
            Column::new("value_after".into(), r.iter().map(|x| x.value_after).collect::<Vec<Option<f64>>>()),
            Column::new("standard".into(), r.iter().map(|x| x.standard).collect::<Vec<Option<f64>>>()),
            Column::new("severity_before".into(), r.iter().map(|x| x.severity_before).collect::<Vec<Option<f64>>>()),
            Column::new("severity_after".into(), r.iter().map(|x| x.severity_after).collect::<Vec<Option<f64>>>()),
            Column::new("tasks".into(), tasks),
            Column::new("note".into(), r.iter().map(|x| x.note.as_deref()).collect::<Vec<Option<&str>>>()),
            Column::new("change".into(), r.iter().map(|x| x.change.map(|c| c.as_str())).collect::<Vec<Option<&str>>>()),
            Column::new("previous_year".into(), r.iter().map(|x| x.previous_year).collect::<Vec<Option<i32>>>()),
            Column::new("closed".into(), r.iter().map(|x| x.closed).collect::<Vec<bool>>()),
        ])
    }

    /// `recheck_summary.csv`: per unit, level and year.
    pub fn summary_dataframe(&self) -> PolarsResult<DataFrame> {
        let s = &self.summary;
        let mut columns = vec![
            Column::new("unit".into(), s.iter().map(|x| x.unit.as_str()).collect::<Vec<_>>()),
            Column::new("level".into(), s.iter().map(|x| x.level.as_str()).collect::<Vec<_>>()),
            Column::new("year".into(), s.iter().map(|x| x.year).collect::<Vec<i32>>()),
        ];
        columns.extend(counts_columns(&s.iter().map(|x| x.counts).collect::<Vec<_>>()));
        DataFrame::new_infer_height(columns)
    }

    /// `recheck_indicators.csv`: per indicator, level and year.
    pub fn indicators_dataframe(&self) -> PolarsResult<DataFrame> {
        let s = &self.by_indicator;
        let mut columns = vec![
            Column::new("indicator".into(), s.iter().map(|x| x.indicator.as_str()).collect::<Vec<_>>()),
            Column::new("level".into(), s.iter().map(|x| x.level.as_str()).collect::<Vec<_>>()),
            Column::new("year".into(), s.iter().map(|x| x.year).collect::<Vec<i32>>()),
        ];
        columns.extend(counts_columns(&s.iter().map(|x| x.counts).collect::<Vec<_>>()));
        DataFrame::new_infer_height(columns)
    }

    /// `recheck_tasks.csv`: per renewal task, level and year.
    pub fn tasks_dataframe(&self) -> PolarsResult<DataFrame> {
        let s = &self.by_task;
        let mut columns = vec![
            Column::new("task".into(), s.iter().map(|x| x.task).collect::<Vec<u32>>()),
            Column::new("level".into(), s.iter().map(|x| x.level.as_str()).collect::<Vec<_>>()),
            Column::new("year".into(), s.iter().map(|x| x.year).collect::<Vec<i32>>()),
        ];
        columns.extend(counts_columns(&s.iter().map(|x| x.counts).collect::<Vec<_>>()));
        DataFrame::new_infer_height(columns)
    }

    /// Every table with its file stem; `recheck_tasks` only when a task is known.
    pub fn tables(&self) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        let mut tables = vec![
            ("recheck", self.rows_dataframe()?),
            ("recheck_summary", self.summary_dataframe()?),
            ("recheck_indicators", self.indicators_dataframe()?),
        ];
        if !self.by_task.is_empty() {
            tables.push(("recheck_tasks", self.tasks_dataframe()?));
        }
        Ok(tables)
    }

    /// Writes the tables into `dir` (created if needed); returns the paths. With
    /// [`OutputFormat::Xlsx`], one workbook `recheck.xlsx` holds them as sheets.
    ///
    /// # Errors
    /// [`Error::Io`] when the folder or a file cannot be written; [`Error::Data`] naming the
    /// folder when polars cannot make a table.
    pub fn write(&self, dir: &Path, format: OutputFormat) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let tables = self.tables().map_err(|e| {
            Error::data(Location { file: Some(dir.display().to_string()), ..Default::default() }, e.to_string())
        })?;
        if format == OutputFormat::Xlsx {
            return Ok(vec![crate::io::write_sheets(dir, "recheck", &tables)?]);
        }
        tables.into_iter().map(|(name, mut df)| crate::io::write_table(dir, name, format, &mut df)).collect()
    }
}
