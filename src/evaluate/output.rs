//! The evaluation as tables: `trends`, `progress` and `warnings` (column names as in the
//! issue and README), each with a `note` column that says why a value is empty.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::Evaluation;
use crate::error::{Error, Location, Result};
use crate::io::{write_table, OutputFormat};

/// Notes as one `note` cell ("; "-separated); empty without notes.
pub fn note_cell(v: &[String]) -> Option<String> {
    (!v.is_empty()).then(|| v.join("; "))
}

/// The statistics columns of a list of summaries (`n` … `verdict`, then `note`), as polars
/// columns; years as integers.
pub fn summary_columns<'a>(summaries: impl Iterator<Item = &'a crate::trend::Summary> + Clone) -> Vec<Column> {
    let s = summaries;
    let f = |name: &str, get: fn(&crate::trend::Summary) -> Option<f64>| {
        Column::new(name.into(), s.clone().map(get).collect::<Vec<_>>())
    };
    let year = |name: &str, get: fn(&crate::trend::Summary) -> Option<f64>| {
        Column::new(name.into(), s.clone().map(|x| get(x).map(|v| v as i64)).collect::<Vec<_>>())
    };
    vec![
        Column::new("n".into(), s.clone().map(|x| x.n as u32).collect::<Vec<_>>()),
        year("first_year", |x| x.first_year),
        year("last_year", |x| x.last_year),
        f("start_value", |x| x.start_value),
        f("end_value", |x| x.end_value),
        f("change", |x| x.change),
        f("rel_change", |x| x.rel_change),
        f("cagr", |x| x.cagr),
        f("ols_slope", |x| x.ols_slope),
        f("ols_intercept", |x| x.ols_intercept),
        f("ols_r2", |x| x.ols_r2),
        f("ols_se", |x| x.ols_se),
        f("ols_p", |x| x.ols_p),
        f("ols_ci_low", |x| x.ols_ci_low),
        f("ols_ci_high", |x| x.ols_ci_high),
        Column::new("mk_s".into(), s.clone().map(|x| x.mk_s).collect::<Vec<_>>()),
        f("mk_var_s", |x| x.mk_var_s),
        f("mk_z", |x| x.mk_z),
        f("mk_tau", |x| x.mk_tau),
        f("mk_p", |x| x.mk_p),
        Column::new("mk_p_method".into(), s.clone().map(|x| x.mk_p_method).collect::<Vec<_>>()),
        f("sen_slope", |x| x.sen_slope),
        f("sen_intercept", |x| x.sen_intercept),
        f("sen_ci_low", |x| x.sen_ci_low),
        f("sen_ci_high", |x| x.sen_ci_high),
        Column::new("verdict".into(), s.clone().map(|x| x.verdict.as_str()).collect::<Vec<_>>()),
    ]
}

impl Evaluation {
    /// `trends`: unit, node, kind, the statistics (n … verdict), start_rank, end_rank,
    /// rank_change (positive = moved up), note.
    pub fn trends_dataframe(&self) -> PolarsResult<DataFrame> {
        let rows = &self.trends;
        let mut columns = vec![
            Column::new("unit".into(), rows.iter().map(|r| r.unit.as_str()).collect::<Vec<_>>()),
            Column::new("node".into(), rows.iter().map(|r| r.node.as_str()).collect::<Vec<_>>()),
            Column::new("kind".into(), rows.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>()),
        ];
        columns.extend(summary_columns(rows.iter().map(|r| &r.summary)));
        columns.push(Column::new("start_rank".into(), rows.iter().map(|r| r.start_rank).collect::<Vec<_>>()));
        columns.push(Column::new("end_rank".into(), rows.iter().map(|r| r.end_rank).collect::<Vec<_>>()));
        columns.push(Column::new(
            "rank_change".into(),
            rows.iter().map(|r| Some(i64::from(r.start_rank?) - i64::from(r.end_rank?))).collect::<Vec<_>>(),
        ));
        columns.push(Column::new("note".into(), rows.iter().map(|r| note_cell(&r.summary.notes)).collect::<Vec<_>>()));
        DataFrame::new_infer_height(columns)
    }

    /// `progress`: unit, indicator, baseline_year, baseline, latest_year, latest, target,
    /// deadline, progress, projected_year, on_track, anticipated, pace, pace_label, note.
    pub fn progress_dataframe(&self) -> PolarsResult<DataFrame> {
        let rows = &self.progress;
        let p = |get: fn(&super::Progress) -> Option<f64>| rows.iter().map(|r| get(&r.progress)).collect::<Vec<_>>();
        DataFrame::new_infer_height(vec![
            Column::new("unit".into(), rows.iter().map(|r| r.unit.as_str()).collect::<Vec<_>>()),
            Column::new("indicator".into(), rows.iter().map(|r| r.indicator.as_str()).collect::<Vec<_>>()),
            Column::new("baseline_year".into(), rows.iter().map(|r| r.progress.baseline_year).collect::<Vec<_>>()),
            Column::new("baseline".into(), rows.iter().map(|r| r.progress.baseline).collect::<Vec<_>>()),
            Column::new("latest_year".into(), rows.iter().map(|r| r.progress.latest_year).collect::<Vec<_>>()),
            Column::new("latest".into(), rows.iter().map(|r| r.progress.latest).collect::<Vec<_>>()),
            Column::new("target".into(), rows.iter().map(|r| r.progress.target).collect::<Vec<_>>()),
            Column::new("deadline".into(), rows.iter().map(|r| r.progress.deadline).collect::<Vec<_>>()),
            Column::new("progress".into(), p(|x| x.progress)),
            Column::new("projected_year".into(), rows.iter().map(|r| r.progress.projected_year).collect::<Vec<_>>()),
            Column::new("on_track".into(), rows.iter().map(|r| r.progress.on_track).collect::<Vec<_>>()),
            Column::new("anticipated".into(), p(|x| x.anticipated)),
            Column::new("pace".into(), p(|x| x.pace)),
            Column::new(
                "pace_label".into(),
                rows.iter().map(|r| r.progress.pace_label.map(|l| l.as_str())).collect::<Vec<_>>(),
            ),
            Column::new("note".into(), rows.iter().map(|r| note_cell(&r.progress.notes)).collect::<Vec<_>>()),
        ])
    }

    /// `warnings`: unit, year, indicator, value, attainment, level, reason.
    pub fn warnings_dataframe(&self) -> PolarsResult<DataFrame> {
        let rows = &self.warnings;
        DataFrame::new_infer_height(vec![
            Column::new("unit".into(), rows.iter().map(|r| r.unit.as_str()).collect::<Vec<_>>()),
            Column::new("year".into(), rows.iter().map(|r| r.year).collect::<Vec<_>>()),
            Column::new("indicator".into(), rows.iter().map(|r| r.indicator.as_str()).collect::<Vec<_>>()),
            Column::new("value".into(), rows.iter().map(|r| r.value).collect::<Vec<_>>()),
            Column::new("attainment".into(), rows.iter().map(|r| r.alert.attainment).collect::<Vec<_>>()),
            Column::new("level".into(), rows.iter().map(|r| r.alert.level.as_str()).collect::<Vec<_>>()),
            Column::new("reason".into(), rows.iter().map(|r| r.alert.reason.as_str()).collect::<Vec<_>>()),
        ])
    }

    /// Writes trends, progress and warnings into `dir`; returns the paths. With
    /// [`OutputFormat::Xlsx`], one workbook `evaluation.xlsx` holds the three as sheets.
    pub fn write(&self, dir: &Path, format: OutputFormat) -> Result<Vec<PathBuf>> {
        let polars_err = |e: PolarsError| {
            Error::data(Location { file: Some(dir.display().to_string()), ..Default::default() }, e.to_string())
        };
        let tables = [
            ("trends", self.trends_dataframe().map_err(polars_err)?),
            ("progress", self.progress_dataframe().map_err(polars_err)?),
            ("warnings", self.warnings_dataframe().map_err(polars_err)?),
        ];
        if format == OutputFormat::Xlsx {
            return Ok(vec![crate::io::write_sheets(dir, "evaluation", &tables)?]);
        }
        let mut paths = Vec::new();
        for (name, mut df) in tables {
            paths.push(write_table(dir, name, format, &mut df)?);
        }
        Ok(paths)
    }
}
