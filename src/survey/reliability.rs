//! Internal consistency of each dimension's items: Cronbach's α, α if an item is deleted, and
//! the corrected item-total correlation (METHODS.md §8).
//!
//! [`cronbach`] is the kernel, on item columns ([`crate::kernels::reliability`], shared with the
//! statistical audit). [`by_dimension`] lifts it to the survey: per
//! year and dimension, pooled over units, on the item scores of the respondents who answered
//! every item of the dimension (listwise deletion: `n` is the number of those complete cases).
//! α describes the instrument, not a population, so design weights are not used — as SPSS
//! RELIABILITY, R `psych::alpha` and pingouin do.

use rayon::prelude::*;
use serde::Serialize;

use super::definition::SurveyDefinition;
use crate::error::Result;
pub use crate::kernels::reliability::{cronbach, Cronbach};

/// One row of `reliability.csv`: a dimension (item `None`: α) or one of its items (α if
/// deleted, item-total r).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ReliabilityRow {
    /// The survey year: column `year`.
    pub year: i32,
    /// The dimension's id: column `dimension`.
    pub dimension: String,
    /// The item's id: column `item`; `None` on the dimension's own row.
    pub item: Option<String>,
    /// Complete cases of the dimension in that year: column `n`.
    pub n: usize,
    /// The dimension's Cronbach's α, on its own row only: column `alpha`.
    pub alpha: Option<f64>,
    /// α of the dimension without this item, on item rows: column `alpha_if_deleted`.
    pub alpha_if_deleted: Option<f64>,
    /// Correlation of the item with the sum of the other items, on item rows: column
    /// `item_total_r`.
    pub item_total_r: Option<f64>,
    /// Why a value is missing: column `note`.
    pub notes: Vec<String>,
}

/// [`cronbach`] per year and dimension, pooled over units: rows ordered by year, then
/// dimension (definition order), the dimension row before its items. Item rows are written
/// when α could be attempted (k ≥ 2 and n ≥ 2).
///
/// `codes[i][r]` is row r's answer code of item i and `values[i][code]` its (score, satisfied),
/// `None` for a missing or bad answer; `row_years[r]` is row r's year, one of `years`.
pub(crate) fn by_dimension(
    def: &SurveyDefinition,
    row_years: &[i32],
    years: &[i32],
    codes: &[&[u32]],
    values: &[Vec<Option<(f64, f64)>>],
) -> Result<Vec<ReliabilityRow>> {
    let per_dimension: Vec<Vec<Vec<ReliabilityRow>>> = (0..def.dimensions().len())
        .into_par_iter()
        .map(|d| {
            let members = def.dimension_items(d);
            let k = members.len();
            // Complete cases per year, one column per item.
            let mut columns: Vec<Vec<Vec<f64>>> = vec![vec![Vec::new(); k]; years.len()];
            let mut scores = vec![0.0; k];
            'rows: for (r, year) in row_years.iter().enumerate() {
                for (j, &i) in members.iter().enumerate() {
                    match values[i][codes[i][r] as usize] {
                        Some((y, _)) => scores[j] = y,
                        None => continue 'rows,
                    }
                }
                // Cannot fail: `years` was collected from these rows' years.
                let t = years.binary_search(year).expect("every row's year is listed");
                for (column, &y) in columns[t].iter_mut().zip(&scores) {
                    column.push(y);
                }
            }
            let dimension = &def.dimensions()[d].id;
            years
                .iter()
                .zip(&columns)
                .map(|(&year, cols)| {
                    let slices: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
                    let c = cronbach(&slices)?;
                    let mut rows = vec![ReliabilityRow {
                        year,
                        dimension: dimension.clone(),
                        item: None,
                        n: c.n,
                        alpha: c.alpha,
                        alpha_if_deleted: None,
                        item_total_r: None,
                        notes: c.notes.clone(),
                    }];
                    if k >= 2 && c.n >= 2 {
                        for (j, &i) in members.iter().enumerate() {
                            rows.push(ReliabilityRow {
                                year,
                                dimension: dimension.clone(),
                                item: Some(def.items()[i].id.clone()),
                                n: c.n,
                                alpha: None,
                                alpha_if_deleted: c.alpha_if_deleted[j],
                                item_total_r: c.item_total_r[j],
                                notes: c.item_notes[j].clone(),
                            });
                        }
                    }
                    Ok(rows)
                })
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<Vec<_>>>()?;
    let mut per_dimension: Vec<_> = per_dimension.into_iter().map(Vec::into_iter).collect();
    let mut out = Vec::new();
    for _ in years {
        for dimension in per_dimension.iter_mut() {
            // Cannot fail: each dimension yields one entry per year of `years`.
            out.extend(dimension.next().expect("one entry per year"));
        }
    }
    Ok(out)
}
