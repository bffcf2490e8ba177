//! Internal consistency of a set of items: Cronbach's α, α if an item is deleted, and the
//! corrected item-total correlation, on item columns with listwise deletion.
//!
//! The survey (`survey::reliability`, per year and dimension over respondents) and the
//! statistical audit (`audit::reliability`, per year and group over units' normalised values)
//! both call [`cronbach`].

use serde::Serialize;

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
/// use citycheck::kernels::reliability::cronbach;
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
