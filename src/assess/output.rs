//! The tables of an [`Assessment`] as DataFrames, and the files [`Assessment::write`] makes.
//!
//! | file | columns |
//! |---|---|
//! | `assessment.csv` | unit, year, score, rank, rank_change, tier, then one column per indicator of the catalogue (its id) |
//! | `assessment_ranking.csv` (通报, English) | year, rank, unit, score, rank_change, tier — the scored unit-years, by year and rank |
//! | `assessment_ranking_zh.csv` (通报, Chinese) | 年度, 排名, 城市, 得分, 排名变化, 激励档次 — as the English table, the tier as 奖励 / 无 |
//!
//! Scores are on the spec's scale (0–100 by default); rank 1 is best; rank_change is the
//! previous year's rank − this year's (positive: moved up); tier is `reward` (以奖代补) or
//! `none`, empty without a score.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::{AssessRow, Assessment, Tier};
use crate::error::{Error, Location, Result};
use crate::io::{Lang, OutputFormat};

impl Assessment {
    /// `assessment.csv`: every unit-year with its score, rank, rank change, tier and values.
    pub fn to_dataframe(&self) -> PolarsResult<DataFrame> {
        let r = &self.rows;
        let mut columns = vec![
            Column::new("unit".into(), r.iter().map(|x| x.unit.as_str()).collect::<Vec<_>>()),
            Column::new("year".into(), r.iter().map(|x| x.year).collect::<Vec<i32>>()),
            Column::new("score".into(), r.iter().map(|x| x.score).collect::<Vec<Option<f64>>>()),
            Column::new("rank".into(), r.iter().map(|x| x.rank).collect::<Vec<Option<u32>>>()),
            Column::new("rank_change".into(), r.iter().map(|x| x.rank_change).collect::<Vec<Option<i64>>>()),
            Column::new("tier".into(), r.iter().map(|x| x.tier.map(Tier::as_str)).collect::<Vec<Option<&str>>>()),
        ];
        for (k, id) in self.indicators.iter().enumerate() {
            columns.push(Column::new(id.as_str().into(), r.iter().map(|x| x.values[k]).collect::<Vec<Option<f64>>>()));
        }
        DataFrame::new_infer_height(columns)
    }

    /// The published ranking (通报): the scored unit-years by year and rank, with English or
    /// Chinese headers and tiers.
    pub fn ranking_dataframe(&self, lang: Lang) -> PolarsResult<DataFrame> {
        let r: Vec<&AssessRow> = self.rows.iter().filter(|x| x.rank.is_some()).collect();
        let names: [&str; 6] = match lang {
            Lang::Zh => ["年度", "排名", "城市", "得分", "排名变化", "激励档次"],
            Lang::En => ["year", "rank", "unit", "score", "rank_change", "tier"],
        };
        let tier = |t: Option<Tier>| {
            t.map(|t| match lang {
                Lang::Zh => t.as_zh(),
                Lang::En => t.as_str(),
            })
        };
        DataFrame::new_infer_height(vec![
            Column::new(names[0].into(), r.iter().map(|x| x.year).collect::<Vec<i32>>()),
            Column::new(names[1].into(), r.iter().map(|x| x.rank).collect::<Vec<Option<u32>>>()),
            Column::new(names[2].into(), r.iter().map(|x| x.unit.as_str()).collect::<Vec<_>>()),
            Column::new(names[3].into(), r.iter().map(|x| x.score).collect::<Vec<Option<f64>>>()),
            Column::new(names[4].into(), r.iter().map(|x| x.rank_change).collect::<Vec<Option<i64>>>()),
            Column::new(names[5].into(), r.iter().map(|x| tier(x.tier)).collect::<Vec<Option<&str>>>()),
        ])
    }

    /// Every table with its file stem.
    pub fn tables(&self) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        Ok(vec![
            ("assessment", self.to_dataframe()?),
            ("assessment_ranking", self.ranking_dataframe(Lang::En)?),
            ("assessment_ranking_zh", self.ranking_dataframe(Lang::Zh)?),
        ])
    }

    /// Writes the tables into `dir` (created if needed); returns the paths. With
    /// [`OutputFormat::Xlsx`], one workbook `assessment.xlsx` holds them as sheets.
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
            return Ok(vec![crate::io::write_sheets(dir, "assessment", &tables)?]);
        }
        tables.into_iter().map(|(name, mut df)| crate::io::write_table(dir, name, format, &mut df)).collect()
    }
}
