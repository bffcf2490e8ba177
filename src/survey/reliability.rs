//! Internal consistency of each dimension's items: Cronbach's α, α if an item is deleted, and
//! the corrected item-total correlation (METHODS.md §8).
//!
//! [`cronbach`] is the kernel, on item columns. [`by_dimension`] lifts it to the survey: per
//! year and dimension, pooled over units, on the item scores of the respondents who answered
//! every item of the dimension (listwise deletion: `n` is the number of those complete cases).
//! α describes the instrument, not a population, so design weights are not used — as SPSS
//! RELIABILITY, R `psych::alpha` and pingouin do.

use rayon::prelude::*;
use serde::Serialize;

use super::definition::SurveyDefinition;
use crate::error::{Error, Result};
use crate::kernels::stats;

/// Cronbach's α of k items on their complete cases, with the per-item diagnostics.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Cronbach {
    /// Number of items.
    pub k: usize,
    /// Complete cases (rows with every item present).
    pub n: usize,
    /// Cronbach's α (≤ 1, may be negative); `None` for k < 2, n < 2 or a constant total.
    pub alpha: Option<f64>,
    /// α of the other k − 1 items, per item (`None` for k = 2: one item is left).
    pub alpha_if_deleted: Vec<Option<f64>>,
    /// Pearson correlation of each item with the sum of the other items.
    pub item_total_r: Vec<Option<f64>>,
    /// Why α is missing, if it is.
    pub notes: Vec<String>,
    /// Why an item's values are missing, per item.
    pub item_notes: Vec<Vec<String>>,
}

/// Cronbach's α with α-if-item-deleted and corrected item-total correlations.
///
/// # Formula
/// ```text
/// C      = covariance matrix of the items (ddof = 1) over the complete cases
/// α      = k/(k − 1) · (1 − Σⱼ Cⱼⱼ / Σⱼₗ Cⱼₗ)
/// α₋ⱼ    = (k − 1)/(k − 2) · (1 − (Σ Cₗₗ − Cⱼⱼ) / V₋ⱼ),   V₋ⱼ = Σ C − 2 Σₗ Cⱼₗ + Cⱼⱼ
/// r₋ⱼ    = (Σₗ Cⱼₗ − Cⱼⱼ) / √(Cⱼⱼ · V₋ⱼ)              (item j vs the sum of the others)
/// ```
/// Σⱼₗ Cⱼₗ is the variance of the total score and V₋ⱼ that of the total without item j.
///
/// # Missing values and edge cases
/// A row with a `NaN` in any item is left out (listwise). α is `None` (with a note) for
/// k < 2, fewer than 2 complete cases, or a constant total; α₋ⱼ for k = 2 or a constant rest;
/// r₋ⱼ for a constant item or rest. α may be negative (items that disagree); it is reported.
///
/// # Errors
/// [`Error::Spec`] when the items differ in length; [`Error::Method`] for an infinite value.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::survey::cronbach;
/// // Two identical items: α = 2 · (1 − 2v / 4v) = 1.
/// let c = cronbach(&[&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]])?;
/// assert!((c.alpha.unwrap() - 1.0).abs() < 1e-12);
/// assert!((c.item_total_r[0].unwrap() - 1.0).abs() < 1e-12);
/// # Ok(()) }
/// ```
///
/// # References
/// Cronbach (1951), Psychometrika 16(3):297–334; Nunnally & Bernstein (1994), *Psychometric
/// Theory*, 3rd ed., McGraw-Hill, ch. 7 (corrected item-total correlation).
pub fn cronbach(items: &[&[f64]]) -> Result<Cronbach> {
    let k = items.len();
    let rows = items.first().map_or(0, |c| c.len());
    for (j, column) in items.iter().enumerate() {
        if column.len() != rows {
            return Err(Error::Spec(format!("cronbach: item {j} has {} values, item 0 has {rows}", column.len())));
        }
        if let Some(r) = column.iter().position(|x| x.is_infinite()) {
            return Err(Error::method("cronbach", None, format!("item {j}, row {r}: {} is not finite", column[r])));
        }
    }
    let complete: Vec<usize> = (0..rows).filter(|&r| items.iter().all(|c| !c[r].is_nan())).collect();
    let n = complete.len();
    let mut out = Cronbach {
        k,
        n,
        alpha: None,
        alpha_if_deleted: vec![None; k],
        item_total_r: vec![None; k],
        notes: Vec::new(),
        item_notes: vec![Vec::new(); k],
    };
    if k < 2 {
        out.notes.push(format!("{k} item(s): α needs at least 2"));
        return Ok(out);
    }
    if n < 2 {
        out.notes.push(format!("{n} complete case(s): α needs at least 2"));
        return Ok(out);
    }
    let centred: Vec<Vec<f64>> = items
        .iter()
        .map(|c| {
            let mean = stats::sum(complete.iter().map(|&r| c[r])) / n as f64;
            complete.iter().map(|&r| c[r] - mean).collect()
        })
        .collect();
    let mut cov = vec![0.0; k * k];
    for a in 0..k {
        for b in a..k {
            let s = stats::sum(centred[a].iter().zip(&centred[b]).map(|(x, y)| x * y)) / (n - 1) as f64;
            cov[a * k + b] = s;
            cov[b * k + a] = s;
        }
    }
    let sum_var = stats::sum((0..k).map(|j| cov[j * k + j]));
    let total = stats::sum(cov.iter().copied());
    let kf = k as f64;
    if total > 0.0 {
        out.alpha = Some(kf / (kf - 1.0) * (1.0 - sum_var / total));
    } else {
        out.notes.push("the total score does not vary: α is undefined".into());
    }
    for j in 0..k {
        let c_jj = cov[j * k + j];
        let row_j = stats::sum((0..k).map(|l| cov[j * k + l]));
        let rest = total - 2.0 * row_j + c_jj;
        let notes = &mut out.item_notes[j];
        if k < 3 {
            notes.push("one item would remain: no α if deleted".into());
        } else if rest > 0.0 {
            out.alpha_if_deleted[j] = Some((kf - 1.0) / (kf - 2.0) * (1.0 - (sum_var - c_jj) / rest));
        } else {
            notes.push("without this item the total does not vary: no α if deleted".into());
        }
        if c_jj <= 0.0 {
            notes.push("the item does not vary: no item-total correlation".into());
        } else if rest <= 0.0 {
            notes.push("the other items' sum does not vary: no item-total correlation".into());
        } else {
            out.item_total_r[j] = Some((row_j - c_jj) / (c_jj * rest).sqrt());
        }
    }
    Ok(out)
}

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
            out.extend(dimension.next().expect("one entry per year"));
        }
    }
    Ok(out)
}
