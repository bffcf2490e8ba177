//! Outlying indicators per year, by the treatment stage's own rule ([`OutlierRule`]: |skewness|
//! > 2 and excess kurtosis > 3.5 by default, METHODS.md §2), and what the treatment would do.
//!
//! The rule reads the values the treatment stage reads: the prepared values (after the
//! denominators and the spec's imputation), before normalisation — skewness and kurtosis are
//! unchanged by min-max or z-score scaling but erased by a rank normalisation, so the raw
//! values are the ones that can show an outlier. The audit judges each year's cross-section;
//! the treatment stage fits on the spec's scope (the pooled panel by default), so the two can
//! differ. The rule is the spec's `treat` rule when it has one, else the default rule.
//! [`treat_column`] on a copy says what the treatment would do; nothing is changed.

use crate::checkup::Dataset;
use crate::kernels::{column, stats};
use crate::treat::{kurtosis, skewness, treat_column, OutlierRule, Treatment};

/// One row of `outliers.csv`: an indicator in a year.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlierRow {
    /// The year: column `year`.
    pub year: i32,
    /// The indicator's id: column `indicator`.
    pub indicator: String,
    /// Values present (imputed ones included, as the treatment sees them): column `n`.
    pub n: usize,
    /// Sample skewness G1; `None` with fewer than 3 values or all equal: column `skewness`.
    pub skewness: Option<f64>,
    /// Sample excess kurtosis G2; `None` with fewer than 4 values or all equal: column
    /// `kurtosis`.
    pub kurtosis: Option<f64>,
    /// The rule holds: |G1| > skew and G2 > kurtosis: column `outlying`.
    pub outlying: bool,
    /// What the treatment stage would do: `none`, `winsorise` or `log`: column `treatment`.
    pub treatment: &'static str,
    /// Cells Winsorisation would raise at the low end: column `winsorised_low`.
    pub winsorised_low: Option<usize>,
    /// Cells Winsorisation would lower at the high end: column `winsorised_high`.
    pub winsorised_high: Option<usize>,
    /// Why a moment is missing, or why an outlying indicator would not be treated: column
    /// `note`.
    pub note: Option<String>,
}

/// The outlier rows of `data`: per year (ascending), the indicators in tree order.
pub(super) fn outliers(data: &Dataset, rule: &OutlierRule) -> Vec<OutlierRow> {
    let raw = data.raw.view();
    let mut out = Vec::with_capacity(data.years.len() * data.columns.len());
    for (&year, rows) in data.years.iter().zip(&data.year_rows) {
        for (c, &node) in data.columns.iter().enumerate() {
            let whole = column(raw, c);
            let values = &whole[rows.clone()];
            let n = stats::count(values);
            let (g1, g2) = (skewness(values), kurtosis(values));
            let outlying = rule.needs_treatment(g1, g2);
            let mut row = OutlierRow {
                year,
                indicator: data.tree.node(node).id.clone(),
                n,
                skewness: Some(g1).filter(|v| v.is_finite()),
                kurtosis: Some(g2).filter(|v| v.is_finite()),
                outlying,
                treatment: "none",
                winsorised_low: None,
                winsorised_high: None,
                note: moments_note(values, n),
            };
            if outlying {
                let mut copy = values.to_vec();
                match treat_column(&mut copy, rule).treatment {
                    Treatment::Winsorised { low, high } => {
                        row.treatment = "winsorise";
                        row.winsorised_low = Some(low);
                        row.winsorised_high = Some(high);
                    }
                    Treatment::Log => row.treatment = "log",
                    Treatment::None => {
                        row.note = Some("outlying, but no treatment changes its moments (two distinct values)".into())
                    }
                }
            }
            out.push(row);
        }
    }
    out
}

/// Why skewness or kurtosis is undefined for `values` (`n` present); `None` when both are defined.
fn moments_note(values: &[f64], n: usize) -> Option<String> {
    if n < 3 {
        return Some(format!("{n} value(s): skewness needs at least 3 and kurtosis 4"));
    }
    if stats::min_max(values).is_some_and(|(lo, hi)| lo == hi) {
        return Some("all values are equal: no skewness or kurtosis".into());
    }
    (n < 4).then(|| "3 values: kurtosis needs at least 4".to_string())
}
