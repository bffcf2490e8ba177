//! The dense form of a validated panel: one row per unit-year, one column per scored indicator.

use std::collections::HashMap;
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

        let years = panel.years();
        let mut pairs: Vec<(i32, u32)> = (0..n)
            .filter(|&k| validation.keep[k])
            .map(|k| {
                let (u, y, _, _, _) = panel.observation(k);
                (y, u as u32)
            })
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let row_of: HashMap<(i32, u32), usize> =
            pairs.iter().enumerate().map(|(r, &p)| (p, r)).collect();
        let mut year_rows = Vec::with_capacity(years.len());
        let mut start = 0;
        let kept_years: Vec<i32> = years
            .into_iter()
            .filter(|y| pairs.iter().any(|p| p.0 == *y))
            .collect();
        for &y in &kept_years {
            let end = start + pairs[start..].iter().take_while(|p| p.0 == y).count();
            year_rows.push(start..end);
            start = end;
        }

        let mut raw = Matrix::missing(pairs.len(), columns.len());
        for k in (0..n).filter(|&k| validation.keep[k]) {
            let (u, y, ind, value, _) = panel.observation(k);
            let pos = validation.resolved[ind].expect("kept rows are resolved");
            if let Some(c) = column_of_indicator[pos] {
                raw.set(row_of[&(y, u as u32)], c, value);
            }
        }
        Dataset {
            units: panel.units().to_vec(),
            years: kept_years,
            row_unit: pairs.iter().map(|p| p.1).collect(),
            row_year: pairs.iter().map(|p| p.0).collect(),
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
