//! The tables of [`Projects`] as DataFrames, and the files [`Projects::write`] makes.
//!
//! | file | columns |
//! |---|---|
//! | `projects.csv` | project_id, unit, name, tasks, problems, addressed, unrecorded, investment, funding_source, priority, rank, lead_department, plan_start, plan_end, status, progress, planned_progress, progress_gap, overdue, row, note |
//! | `project_reserve.csv` (项目储备库) | unit, rank, project_id, name, tasks, addressed, n_addressed, investment, funding_source, priority — by unit, then rank |
//! | `project_implementation.csv` (项目实施库) | project_id, unit, name, lead_department, plan_start, plan_end, status, progress, as_of, planned_progress, progress_gap, overdue |
//! | `problem_coverage.csv` | unit, level, object_id, indicator, severity, value, standard, tasks, projects, n_projects, covered — the ledger's order |
//! | `gaps.csv` | rank, unit, level, object_id, indicator, severity, value, standard, tasks — problems no project addresses, by severity |
//!
//! Lists are joined by `;`; an addressed problem is written as its indicator, or
//! `object_id:indicator` for an object's. Dates are `YYYY-MM-DD`; progress in %.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::{Coverage, ProjectRow, Projects};
use crate::error::{Error, Location, Result};
use crate::io::OutputFormat;
use crate::recheck::ProblemId;

fn joined<T: ToString>(items: &[T]) -> Option<String> {
    (!items.is_empty()).then(|| items.iter().map(T::to_string).collect::<Vec<_>>().join(";"))
}

fn problem_name(id: &ProblemId) -> String {
    match &id.object_id {
        Some(object) => format!("{object}:{}", id.indicator),
        None => id.indicator.clone(),
    }
}

fn addressed(row: &ProjectRow) -> Option<String> {
    joined(&row.addressed.iter().map(problem_name).collect::<Vec<_>>())
}

fn text<'a>(rows: &'a [&ProjectRow], f: impl Fn(&'a ProjectRow) -> Option<&'a str>) -> Vec<Option<&'a str>> {
    rows.iter().map(|&r| f(r)).collect()
}

fn coverage_columns(rows: &[&Coverage]) -> Vec<Column> {
    vec![
        Column::new("unit".into(), rows.iter().map(|c| c.id.unit.as_str()).collect::<Vec<_>>()),
        Column::new("level".into(), rows.iter().map(|c| c.id.level.as_str()).collect::<Vec<_>>()),
        Column::new("object_id".into(), rows.iter().map(|c| c.id.object_id.as_deref()).collect::<Vec<Option<&str>>>()),
        Column::new("indicator".into(), rows.iter().map(|c| c.id.indicator.as_str()).collect::<Vec<_>>()),
        Column::new("severity".into(), rows.iter().map(|c| c.severity).collect::<Vec<Option<f64>>>()),
        Column::new("value".into(), rows.iter().map(|c| c.value).collect::<Vec<Option<f64>>>()),
        Column::new("standard".into(), rows.iter().map(|c| c.standard).collect::<Vec<Option<f64>>>()),
        Column::new("tasks".into(), rows.iter().map(|c| joined(&c.tasks)).collect::<Vec<Option<String>>>()),
    ]
}

impl Projects {
    /// `projects.csv`: every project with every field, in the table's order.
    pub fn projects_dataframe(&self) -> PolarsResult<DataFrame> {
        let r: Vec<&ProjectRow> = self.projects.iter().collect();
        DataFrame::new_infer_height(vec![
            Column::new("project_id".into(), text(&r, |x| Some(x.project.id.as_str()))),
            Column::new("unit".into(), text(&r, |x| Some(x.project.unit.as_str()))),
            Column::new("name".into(), text(&r, |x| Some(x.project.name.as_str()))),
            Column::new("tasks".into(), r.iter().map(|x| joined(&x.project.tasks)).collect::<Vec<Option<String>>>()),
            Column::new(
                "problems".into(),
                r.iter().map(|x| joined(&x.project.problems)).collect::<Vec<Option<String>>>(),
            ),
            Column::new("addressed".into(), r.iter().map(|x| addressed(x)).collect::<Vec<Option<String>>>()),
            Column::new("unrecorded".into(), r.iter().map(|x| joined(&x.unrecorded)).collect::<Vec<Option<String>>>()),
            Column::new("investment".into(), r.iter().map(|x| x.project.investment).collect::<Vec<Option<f64>>>()),
            Column::new("funding_source".into(), text(&r, |x| x.project.funding_source.as_deref())),
            Column::new("priority".into(), r.iter().map(|x| x.priority).collect::<Vec<f64>>()),
            Column::new("rank".into(), r.iter().map(|x| x.rank).collect::<Vec<u32>>()),
            Column::new("lead_department".into(), text(&r, |x| x.project.lead_department.as_deref())),
            Column::new(
                "plan_start".into(),
                r.iter().map(|x| x.project.plan_start.map(|d| d.to_string())).collect::<Vec<Option<String>>>(),
            ),
            Column::new(
                "plan_end".into(),
                r.iter().map(|x| x.project.plan_end.map(|d| d.to_string())).collect::<Vec<Option<String>>>(),
            ),
            Column::new("status".into(), text(&r, |x| x.project.status.map(|s| s.as_str()))),
            Column::new("progress".into(), r.iter().map(|x| x.project.progress).collect::<Vec<Option<f64>>>()),
            Column::new("planned_progress".into(), r.iter().map(|x| x.planned_progress).collect::<Vec<Option<f64>>>()),
            Column::new("progress_gap".into(), r.iter().map(|x| x.progress_gap).collect::<Vec<Option<f64>>>()),
            Column::new("overdue".into(), r.iter().map(|x| x.overdue).collect::<Vec<Option<bool>>>()),
            Column::new("row".into(), r.iter().map(|x| x.project.row as u32).collect::<Vec<u32>>()),
            Column::new("note".into(), text(&r, |x| x.note.as_deref())),
        ])
    }

    /// `project_reserve.csv` (项目储备库): 投资事项, 项目方案, 资金来源 and the priority, by unit
    /// and rank.
    pub fn reserve_dataframe(&self) -> PolarsResult<DataFrame> {
        let mut r: Vec<&ProjectRow> = self.projects.iter().collect();
        r.sort_by(|a, b| a.project.unit.cmp(&b.project.unit).then(a.rank.cmp(&b.rank)));
        DataFrame::new_infer_height(vec![
            Column::new("unit".into(), text(&r, |x| Some(x.project.unit.as_str()))),
            Column::new("rank".into(), r.iter().map(|x| x.rank).collect::<Vec<u32>>()),
            Column::new("project_id".into(), text(&r, |x| Some(x.project.id.as_str()))),
            Column::new("name".into(), text(&r, |x| Some(x.project.name.as_str()))),
            Column::new("tasks".into(), r.iter().map(|x| joined(&x.project.tasks)).collect::<Vec<Option<String>>>()),
            Column::new("addressed".into(), r.iter().map(|x| addressed(x)).collect::<Vec<Option<String>>>()),
            Column::new("n_addressed".into(), r.iter().map(|x| x.addressed.len() as u32).collect::<Vec<u32>>()),
            Column::new("investment".into(), r.iter().map(|x| x.project.investment).collect::<Vec<Option<f64>>>()),
            Column::new("funding_source".into(), text(&r, |x| x.project.funding_source.as_deref())),
            Column::new("priority".into(), r.iter().map(|x| x.priority).collect::<Vec<f64>>()),
        ])
    }

    /// `project_implementation.csv` (项目实施库): 实施计划, 工作责任 and the supervision of
    /// progress against plan (督考), in the table's order.
    pub fn implementation_dataframe(&self) -> PolarsResult<DataFrame> {
        let r: Vec<&ProjectRow> = self.projects.iter().collect();
        let as_of = self.as_of.map(|d| d.to_string());
        DataFrame::new_infer_height(vec![
            Column::new("project_id".into(), text(&r, |x| Some(x.project.id.as_str()))),
            Column::new("unit".into(), text(&r, |x| Some(x.project.unit.as_str()))),
            Column::new("name".into(), text(&r, |x| Some(x.project.name.as_str()))),
            Column::new("lead_department".into(), text(&r, |x| x.project.lead_department.as_deref())),
            Column::new(
                "plan_start".into(),
                r.iter().map(|x| x.project.plan_start.map(|d| d.to_string())).collect::<Vec<Option<String>>>(),
            ),
            Column::new(
                "plan_end".into(),
                r.iter().map(|x| x.project.plan_end.map(|d| d.to_string())).collect::<Vec<Option<String>>>(),
            ),
            Column::new("status".into(), text(&r, |x| x.project.status.map(|s| s.as_str()))),
            Column::new("progress".into(), r.iter().map(|x| x.project.progress).collect::<Vec<Option<f64>>>()),
            Column::new("as_of".into(), r.iter().map(|_| as_of.clone()).collect::<Vec<Option<String>>>()),
            Column::new("planned_progress".into(), r.iter().map(|x| x.planned_progress).collect::<Vec<Option<f64>>>()),
            Column::new("progress_gap".into(), r.iter().map(|x| x.progress_gap).collect::<Vec<Option<f64>>>()),
            Column::new("overdue".into(), r.iter().map(|x| x.overdue).collect::<Vec<Option<bool>>>()),
        ])
    }

    /// `problem_coverage.csv`: every problem of the ledger and the projects addressing it.
    pub fn coverage_dataframe(&self) -> PolarsResult<DataFrame> {
        let c: Vec<&Coverage> = self.coverage.iter().collect();
        let mut columns = coverage_columns(&c);
        columns.push(Column::new(
            "projects".into(),
            c.iter().map(|x| joined(&x.projects)).collect::<Vec<Option<String>>>(),
        ));
        columns.push(Column::new("n_projects".into(), c.iter().map(|x| x.projects.len() as u32).collect::<Vec<u32>>()));
        columns.push(Column::new("covered".into(), c.iter().map(|x| !x.projects.is_empty()).collect::<Vec<bool>>()));
        DataFrame::new_infer_height(columns)
    }

    /// `gaps.csv`: the problems no project addresses, ranked by severity.
    pub fn gaps_dataframe(&self) -> PolarsResult<DataFrame> {
        let gaps = self.gaps();
        let c: Vec<&Coverage> = gaps.iter().map(|&(_, c)| c).collect();
        let mut columns = vec![Column::new("rank".into(), gaps.iter().map(|&(r, _)| r).collect::<Vec<u32>>())];
        columns.extend(coverage_columns(&c));
        DataFrame::new_infer_height(columns)
    }

    /// Every table with its file stem.
    pub fn tables(&self) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        Ok(vec![
            ("projects", self.projects_dataframe()?),
            ("project_reserve", self.reserve_dataframe()?),
            ("project_implementation", self.implementation_dataframe()?),
            ("problem_coverage", self.coverage_dataframe()?),
            ("gaps", self.gaps_dataframe()?),
        ])
    }

    /// Writes the tables into `dir` (created if needed); returns the paths.
    ///
    /// # Errors
    /// [`Error::Io`] when the folder or a file cannot be written; [`Error::Data`] naming the
    /// folder when polars cannot make a table.
    pub fn write(&self, dir: &Path, format: OutputFormat) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let tables = self.tables().map_err(|e| {
            Error::data(Location { file: Some(dir.display().to_string()), ..Default::default() }, e.to_string())
        })?;
        tables.into_iter().map(|(name, mut df)| crate::io::write_table(dir, name, format, &mut df)).collect()
    }
}
