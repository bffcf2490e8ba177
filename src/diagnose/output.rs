//! The tables of a [`Diagnosis`] as DataFrames, and the files [`Diagnosis::write`] makes.
//!
//! | file | columns |
//! |---|---|
//! | `attainment.csv` | unit, year, indicator, value, standard, met, gap, note |
//! | `attainment_rates.csv` | unit, year, node, kind, with_standard, met, rate, note |
//! | `obstacles.csv` | unit, year, node, kind, obstacle, rank, note |
//! | `weaknesses.csv` | unit, year, indicator, peer_group, peers, rank, share, score, peer_median, kind, far_below |
//! | `coupling.csv` | unit, year, c, t, d, grade, note |
//! | `ledger.csv` | unit, year, indicator, value, standard, attainment, level, points, weight, obstacle, rank, severity, reasons, source, note |
//! | `reserve.csv` | unit, task, task_name, priority, rank, problems, deadline |
//!
//! Values that cannot be computed are null (empty in CSV), never NaN; `note` says why. Lists
//! are joined: ledger reasons by `; `, reserve problems by `;`.

use std::fs;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use rayon::prelude::*;

use super::Diagnosis;
use crate::error::{Error, Location, Result};
use crate::io::OutputFormat;

impl Diagnosis {
    /// `attainment.csv`: unit, year, indicator, value, standard, met, gap, note.
    pub fn attainment_dataframe(&self) -> PolarsResult<DataFrame> {
        let a = &self.attainment;
        DataFrame::new_infer_height(vec![
            Column::new("unit".into(), a.iter().map(|r| r.unit.as_str()).collect::<Vec<_>>()),
            Column::new("year".into(), a.iter().map(|r| r.year).collect::<Vec<i32>>()),
            Column::new("indicator".into(), a.iter().map(|r| r.indicator.as_str()).collect::<Vec<_>>()),
            Column::new("value".into(), a.iter().map(|r| r.value).collect::<Vec<Option<f64>>>()),
            Column::new("standard".into(), a.iter().map(|r| r.standard).collect::<Vec<Option<f64>>>()),
            Column::new("met".into(), a.iter().map(|r| r.met).collect::<Vec<Option<bool>>>()),
            Column::new("gap".into(), a.iter().map(|r| r.gap).collect::<Vec<Option<f64>>>()),
            Column::new("note".into(), a.iter().map(|r| r.note.as_deref()).collect::<Vec<Option<&str>>>()),
        ])
    }

    /// `attainment_rates.csv`: unit, year, node, kind, with_standard, met, rate, note.
    pub fn attainment_rates_dataframe(&self) -> PolarsResult<DataFrame> {
        let a = &self.rates;
        DataFrame::new_infer_height(vec![
            Column::new("unit".into(), a.iter().map(|r| r.unit.as_str()).collect::<Vec<_>>()),
            Column::new("year".into(), a.iter().map(|r| r.year).collect::<Vec<i32>>()),
            Column::new("node".into(), a.iter().map(|r| r.node.as_str()).collect::<Vec<_>>()),
            Column::new("kind".into(), a.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>()),
            Column::new("with_standard".into(), a.iter().map(|r| r.with_standard).collect::<Vec<u32>>()),
            Column::new("met".into(), a.iter().map(|r| r.met).collect::<Vec<u32>>()),
            Column::new("rate".into(), a.iter().map(|r| r.rate).collect::<Vec<Option<f64>>>()),
            Column::new("note".into(), a.iter().map(|r| r.note.as_deref()).collect::<Vec<Option<&str>>>()),
        ])
    }

    /// `obstacles.csv`: unit, year, node, kind, obstacle, rank, note.
    pub fn obstacles_dataframe(&self) -> PolarsResult<DataFrame> {
        let o = &self.obstacles;
        DataFrame::new_infer_height(vec![
            Column::new("unit".into(), o.iter().map(|r| r.unit.as_str()).collect::<Vec<_>>()),
            Column::new("year".into(), o.iter().map(|r| r.year).collect::<Vec<i32>>()),
            Column::new("node".into(), o.iter().map(|r| r.node.as_str()).collect::<Vec<_>>()),
            Column::new("kind".into(), o.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>()),
            Column::new("obstacle".into(), o.iter().map(|r| r.obstacle).collect::<Vec<Option<f64>>>()),
            Column::new("rank".into(), o.iter().map(|r| r.rank).collect::<Vec<Option<u32>>>()),
            Column::new("note".into(), o.iter().map(|r| r.note.as_deref()).collect::<Vec<Option<&str>>>()),
        ])
    }

    /// `weaknesses.csv`: unit, year, indicator, peer_group, peers, rank, share, score,
    /// peer_median, kind (weakness | strength), far_below.
    pub fn weaknesses_dataframe(&self) -> PolarsResult<DataFrame> {
        let w = &self.weaknesses;
        DataFrame::new_infer_height(vec![
            Column::new("unit".into(), w.iter().map(|r| r.unit.as_str()).collect::<Vec<_>>()),
            Column::new("year".into(), w.iter().map(|r| r.year).collect::<Vec<i32>>()),
            Column::new("indicator".into(), w.iter().map(|r| r.indicator.as_str()).collect::<Vec<_>>()),
            Column::new("peer_group".into(), w.iter().map(|r| r.peer_group.as_str()).collect::<Vec<_>>()),
            Column::new("peers".into(), w.iter().map(|r| r.peers).collect::<Vec<u32>>()),
            Column::new("rank".into(), w.iter().map(|r| r.rank).collect::<Vec<u32>>()),
            Column::new("share".into(), w.iter().map(|r| r.share).collect::<Vec<f64>>()),
            Column::new("score".into(), w.iter().map(|r| r.score).collect::<Vec<f64>>()),
            Column::new("peer_median".into(), w.iter().map(|r| r.peer_median).collect::<Vec<f64>>()),
            Column::new("kind".into(), w.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>()),
            Column::new("far_below".into(), w.iter().map(|r| r.far_below).collect::<Vec<bool>>()),
        ])
    }

    /// `coupling.csv`: unit, year, c, t, d, grade, note.
    pub fn coupling_dataframe(&self) -> PolarsResult<DataFrame> {
        let c = &self.coupling;
        DataFrame::new_infer_height(vec![
            Column::new("unit".into(), c.iter().map(|r| r.unit.as_str()).collect::<Vec<_>>()),
            Column::new("year".into(), c.iter().map(|r| r.year).collect::<Vec<i32>>()),
            Column::new("c".into(), c.iter().map(|r| r.c).collect::<Vec<Option<f64>>>()),
            Column::new("t".into(), c.iter().map(|r| r.t).collect::<Vec<Option<f64>>>()),
            Column::new("d".into(), c.iter().map(|r| r.d).collect::<Vec<Option<f64>>>()),
            Column::new("grade".into(), c.iter().map(|r| r.grade_name.as_deref()).collect::<Vec<Option<&str>>>()),
            Column::new("note".into(), c.iter().map(|r| r.note.as_deref()).collect::<Vec<Option<&str>>>()),
        ])
    }

    /// `ledger.csv`: unit, year, indicator, value, standard, attainment, level, points, weight,
    /// obstacle, rank, severity, reasons, source, note.
    pub fn ledger_dataframe(&self) -> PolarsResult<DataFrame> {
        let l = &self.ledger;
        let reasons: Vec<String> = l
            .iter()
            .map(|p| p.reasons.iter().map(|r| r.describe(&self.options)).collect::<Vec<_>>().join("; "))
            .collect();
        let levels: Vec<Option<&str>> = l.iter().map(|p| p.level.as_ref().map(|v| v.as_str())).collect();
        let sources: Vec<Option<String>> = l
            .iter()
            .map(|p| {
                (!p.sources.is_empty()).then(|| p.sources.iter().map(|&s| source_name(s)).collect::<Vec<_>>().join(";"))
            })
            .collect();
        DataFrame::new_infer_height(vec![
            Column::new("unit".into(), l.iter().map(|p| p.unit.as_str()).collect::<Vec<_>>()),
            Column::new("year".into(), l.iter().map(|p| p.year).collect::<Vec<i32>>()),
            Column::new("indicator".into(), l.iter().map(|p| p.indicator.as_str()).collect::<Vec<_>>()),
            Column::new("value".into(), l.iter().map(|p| p.value).collect::<Vec<Option<f64>>>()),
            Column::new("standard".into(), l.iter().map(|p| p.standard).collect::<Vec<Option<f64>>>()),
            Column::new("attainment".into(), l.iter().map(|p| p.attainment).collect::<Vec<Option<f64>>>()),
            Column::new("level".into(), levels),
            Column::new("points".into(), l.iter().map(|p| p.points).collect::<Vec<u32>>()),
            Column::new("weight".into(), l.iter().map(|p| p.weight).collect::<Vec<f64>>()),
            Column::new("obstacle".into(), l.iter().map(|p| p.obstacle).collect::<Vec<Option<f64>>>()),
            Column::new("rank".into(), l.iter().map(|p| p.rank).collect::<Vec<Option<u32>>>()),
            Column::new("severity".into(), l.iter().map(|p| p.severity).collect::<Vec<f64>>()),
            Column::new("reasons".into(), reasons.iter().map(String::as_str).collect::<Vec<_>>()),
            Column::new("source".into(), sources),
            Column::new("note".into(), l.iter().map(|p| p.note.as_deref()).collect::<Vec<Option<&str>>>()),
        ])
    }

    /// `reserve.csv`: unit, task, task_name, priority, rank, problems, deadline.
    pub fn reserve_dataframe(&self) -> PolarsResult<DataFrame> {
        let r = &self.reserve;
        let problems: Vec<String> = r.iter().map(|i| i.problems.join(";")).collect();
        DataFrame::new_infer_height(vec![
            Column::new("unit".into(), r.iter().map(|i| i.unit.as_str()).collect::<Vec<_>>()),
            Column::new("task".into(), r.iter().map(|i| i.task).collect::<Vec<u32>>()),
            Column::new("task_name".into(), r.iter().map(|i| i.task_name.as_deref()).collect::<Vec<Option<&str>>>()),
            Column::new("priority".into(), r.iter().map(|i| i.priority).collect::<Vec<f64>>()),
            Column::new("rank".into(), r.iter().map(|i| i.rank).collect::<Vec<u32>>()),
            Column::new("problems".into(), problems.iter().map(String::as_str).collect::<Vec<_>>()),
            Column::new("deadline".into(), r.iter().map(|i| i.deadline).collect::<Vec<Option<i32>>>()),
        ])
    }

    /// Every table with its file stem, in the order of the files.
    pub fn tables(&self) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        Ok(vec![
            ("attainment", self.attainment_dataframe()?),
            ("attainment_rates", self.attainment_rates_dataframe()?),
            ("obstacles", self.obstacles_dataframe()?),
            ("weaknesses", self.weaknesses_dataframe()?),
            ("coupling", self.coupling_dataframe()?),
            ("ledger", self.ledger_dataframe()?),
            ("reserve", self.reserve_dataframe()?),
        ])
    }

    /// Writes the seven tables into `dir` (created if needed) as CSV or Parquet; returns the
    /// paths in the order of [`Diagnosis::tables`]. With [`OutputFormat::Xlsx`], one workbook
    /// `diagnosis.xlsx` holds them as sheets.
    ///
    /// # Errors
    /// [`Error::Io`] when the folder or a file cannot be written; [`Error::Data`] naming the
    /// file when polars cannot write a table.
    pub fn write(&self, dir: &Path, format: OutputFormat) -> Result<Vec<PathBuf>> {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let tables = self.tables().map_err(|e| {
            Error::data(Location { file: Some(dir.display().to_string()), ..Default::default() }, e.to_string())
        })?;
        if format == OutputFormat::Xlsx {
            return Ok(vec![crate::io::write_sheets(dir, "diagnosis", &tables)?]);
        }
        tables.into_par_iter().map(|(name, mut df)| crate::io::write_table(dir, name, format, &mut df)).collect()
    }
}

fn source_name(source: crate::panel::Source) -> &'static str {
    use crate::panel::Source;
    match source {
        Source::SelfCheck => "self",
        Source::ThirdParty => "third_party",
        Source::Survey => "survey",
    }
}
