//! The dense form of a validated panel: one row per unit-year, one column per scored indicator.

use std::ops::Range;

use crate::catalog::{Catalog, NodeKind, Tree};
use crate::kernels::Matrix;
use crate::panel::{Panel, Validation};

/// Rows are unit-years ordered by year, then by unit (first appearance in the input); columns
/// follow the tree's indicator nodes. A unit-year exists when the panel has any usable
/// observation for it: whole missing city-years produce no row, never a row of zeros.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub(crate) units: Vec<String>,
    pub(crate) years: Vec<i32>,
    pub(crate) row_unit: Vec<u32>,
    pub(crate) row_year: Vec<i32>,
    /// Rows of each year in `years`.
    pub(crate) year_rows: Vec<Range<usize>>,
    pub(crate) tree: Tree,
    /// Tree node of each column of `raw`.
    pub(crate) columns: Vec<usize>,
    pub(crate) raw: Matrix,
    /// Catalogue indicators that have no data and were left out of the tree.
    pub(crate) left_out: Vec<String>,
}

impl Dataset {
    /// Builds the dense form of `panel`, using the observations `validation` keeps.
    pub fn new(catalog: &Catalog, panel: &Panel, validation: &Validation) -> Dataset {
        let n = panel.len();
        let mut has_data = vec![false; catalog.indicators().len()];
        for k in (0..n).filter(|&k| validation.keep[k]) {
            let (_, _, ind, value, _) = panel.observation(k);
            if !value.is_nan() {
                has_data[validation.resolved[ind].expect("kept rows are resolved")] = true;
            }
        }
        let tree = catalog.tree(|i, _| has_data[i]);
        let left_out = catalog
            .indicators()
            .iter()
            .enumerate()
            .filter(|(i, ind)| ind.is_scored() && !has_data[*i])
            .map(|(_, ind)| ind.id.clone())
            .collect();
        let columns: Vec<usize> = tree.indicator_nodes().collect();
        let mut column_of_indicator: Vec<Option<usize>> = vec![None; catalog.indicators().len()];
        for (c, &node) in columns.iter().enumerate() {
            column_of_indicator[tree.node(node).indicator.expect("indicator node")] = Some(c);
        }

        // Unit-years with a usable observation, in a dense year × unit table: row numbers are
        // then assigned year by year in unit order, with no sorting and no hashing.
        let (years, year_pos) = panel.year_positions();
        let n_units = panel.units().len();
        const ABSENT: u32 = u32::MAX;
        let mut row_of = vec![ABSENT; years.len() * n_units];
        for k in (0..n).filter(|&k| validation.keep[k]) {
            row_of[year_pos[k] as usize * n_units + panel.observation(k).0] = 0;
        }
        let (mut row_unit, mut row_year, mut year_rows, mut kept_years) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (yi, &y) in years.iter().enumerate() {
            let start = row_unit.len();
            for u in 0..n_units {
                let slot = &mut row_of[yi * n_units + u];
                if *slot != ABSENT {
                    *slot = row_unit.len() as u32;
                    row_unit.push(u as u32);
                    row_year.push(y);
                }
            }
            if row_unit.len() > start {
                kept_years.push(y);
                year_rows.push(start..row_unit.len());
            }
        }

        // Filled row by row (the order long files come in), then turned column-major.
        let width = columns.len();
        let mut by_row = vec![f64::NAN; row_unit.len() * width];
        for k in (0..n).filter(|&k| validation.keep[k]) {
            let (u, _, ind, value, _) = panel.observation(k);
            let pos = validation.resolved[ind].expect("kept rows are resolved");
            if let Some(c) = column_of_indicator[pos] {
                by_row[row_of[year_pos[k] as usize * n_units + u] as usize * width + c] = value;
            }
        }
        let rows = row_unit.len();
        let mut by_column = Vec::with_capacity(rows * width);
        for c in 0..width {
            by_column.extend((0..rows).map(|r| by_row[r * width + c]));
        }
        let raw = Matrix::from_columns(rows, width, by_column).expect("sizes match");
        Dataset {
            units: panel.units().to_vec(),
            years: kept_years,
            row_unit,
            row_year,
            year_rows,
            tree,
            columns,
            raw,
            left_out,
        }
    }

    pub fn rows(&self) -> usize {
        self.row_unit.len()
    }

    pub fn years(&self) -> &[i32] {
        &self.years
    }

    pub fn units(&self) -> &[String] {
        &self.units
    }

    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// Scored indicators without any data, left out of the tree.
    pub fn left_out(&self) -> &[String] {
        &self.left_out
    }

    /// Number of scored indicators (columns).
    pub fn indicators(&self) -> usize {
        self.columns.len()
    }

    pub(crate) fn unit_name(&self, row: usize) -> &str {
        &self.units[self.row_unit[row] as usize]
    }

    pub(crate) fn column_of_node(&self, node: usize) -> Option<usize> {
        debug_assert_eq!(self.tree.node(node).kind, NodeKind::Indicator);
        self.columns.iter().position(|&n| n == node)
    }
}
