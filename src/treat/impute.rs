//! Imputation (缺失值插补) of the missing cells of a panel matrix, METHODS.md §2.
//!
//! The matrix has one row per unit-year and one column per indicator; [`PanelRows`] says which
//! unit, year (and optionally group) each row is. Every method fills a cell from the *present*
//! values of its own column only, never from cells filled in the same call, so the result does
//! not depend on the order of the rows or of the columns.
//!
//! # Formula
//! For a missing cell x_ij of unit u in year t:
//! ```text
//! unit_mean      x_ij = mean{ x_kj present : unit(k) = u }
//! group_mean     x_ij = mean{ x_kj present : year(k) = t, group(k) = group(i) }
//! carry_forward  x_ij = x_kj,  k the row of u with the latest year t' < t where x_kj is present
//! linear         x_ij = x_0 + (x_1 − x_0) · (t − t_0) / (t_1 − t_0),
//!                (t_0, x_0), (t_1, x_1) the present values of u at the nearest years t_0 < t < t_1
//! ```
//! Years are real years: a gap 2010 → 2013 interpolates over three years. `linear` never
//! extrapolates and `carry_forward` never carries backwards, so a gap before a unit's first or
//! after its last present value stays missing. A cell with nothing to take a value from (a
//! unit with no present value in the column; a row without a group, or whose group has no
//! present value that year) stays `NaN`: the caller reports it.
//!
//! `group_mean` is COINr's `indgroup_mean` (the within-group mean of the indicator), taken
//! within each year of the panel.
//!
//! # References
//! OECD & JRC (2008), *Handbook on Constructing Composite Indicators*, Step 3 (imputation of
//! missing data); COINr v1.1.14 (`Impute`, `imtype = "indgroup_mean"`).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::kernels::{stats, ArrayView1, ArrayViewMut2};
use crate::names::Naming;

/// The imputation method of a run (METHODS.md §2).
///
/// Named by [`Imputation::NAMES`]: `"linear".parse::<Imputation>()` is the method
/// (`group_mean`, which needs `by`, is refused) and `Display` writes the name. In a run spec
/// it is a table, `{ method = "group_mean", by = "province" }`; an unknown name is answered
/// with the closest known one ([`crate::names`]).
// `remote = "Self"`: serde derives the variants into inherent functions, which the
// `Serialize` and `Deserialize` impls of `named_method!` call after checking the name.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", tag = "method", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Imputation {
    /// Fill nothing: gaps stay missing (and the pipeline reports them as errors).
    #[default]
    None,
    /// The mean of the unit's present values of the indicator over its years.
    UnitMean,
    /// The mean of the indicator over the units of the same group in the same year; `by` names
    /// the unit attribute that defines the groups (e.g. `province`).
    GroupMean {
        /// The unit attribute whose values define the groups (e.g. `province`), read from the
        /// attributes table; a unit with no value of it is not filled.
        by: String,
    },
    /// The unit's value of the latest earlier year with a value.
    CarryForward,
    /// Linear interpolation in years between the unit's nearest earlier and later values.
    Linear,
}

crate::names::named_method!(
    Imputation,
    Naming {
        kind: "imputation",
        tag: Some("method"),
        names: Imputation::NAMES,
        parameterised: &[("group_mean", r#"{ method = "group_mean", by = "province" }"#)],
    }
);

impl Imputation {
    /// Every method name, one per variant, for help texts and error messages. All but
    /// `group_mean` (see [`Imputation::NEEDS_PARAMETERS`]) parse alone.
    pub const NAMES: &'static [&'static str] = &["none", "unit_mean", "group_mean", "carry_forward", "linear"];

    /// The names of [`Imputation::NAMES`] that need parameters without defaults and so do not
    /// parse alone: `group_mean` needs the attribute `by` that defines the groups.
    pub const NEEDS_PARAMETERS: &'static [&'static str] = &["group_mean"];

    /// The method's snake_case name.
    pub fn name(&self) -> &'static str {
        match self {
            Imputation::None => "none",
            Imputation::UnitMean => "unit_mean",
            Imputation::GroupMean { .. } => "group_mean",
            Imputation::CarryForward => "carry_forward",
            Imputation::Linear => "linear",
        }
    }
}

/// Row keys of a panel matrix: rows are unit-years.
#[derive(Debug, Clone, Copy)]
pub struct PanelRows<'a> {
    /// Unit code of each row.
    pub unit: &'a [u32],
    /// Year of each row.
    pub year: &'a [i32],
    /// Group code of each row (`None`: the unit has no value of the group attribute); needed by
    /// [`Imputation::GroupMean`] only.
    pub group: Option<&'a [Option<u32>]>,
}

/// Fills the missing (`NaN`) cells of `x` by `method` and returns the `(row, column)` cells
/// it filled, in row-major order. Cells that cannot be filled stay `NaN`.
///
/// Runs in O(rows · cols) after one sort of the rows (by unit and year, or by year and group).
///
/// # Errors
/// [`Error::Spec`] if the row keys do not have one entry per row of `x`; if `method` is
/// [`Imputation::GroupMean`] and `rows.group` is `None` (the message names the attribute
/// `by`); if `method` works along a unit's years (`unit_mean`, `carry_forward`, `linear`) and
/// two rows are the same unit and year.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::kernels::array;
/// use citycheck::treat::{impute, Imputation, PanelRows};
/// // One unit observed in 2008, 2010 and 2013; 2010 is missing.
/// let mut x = array![[2.0], [f64::NAN], [12.0]];
/// let rows = PanelRows { unit: &[7, 7, 7], year: &[2008, 2010, 2013], group: None };
/// let filled = impute(x.view_mut(), &Imputation::Linear, rows)?;
/// assert_eq!(filled, vec![(1, 0)]);
/// assert!((x[[1, 0]] - 6.0).abs() < 1e-12); // 2 + 10 · 2/5
/// # Ok(()) }
/// ```
pub fn impute(x: ArrayViewMut2<'_, f64>, method: &Imputation, rows: PanelRows<'_>) -> Result<Vec<(usize, usize)>> {
    let m = x.nrows();
    if rows.unit.len() != m || rows.year.len() != m || rows.group.is_some_and(|g| g.len() != m) {
        return Err(Error::Spec(format!(
            "imputation: the matrix has {m} rows but {} unit codes, {} years and {} group codes were given",
            rows.unit.len(),
            rows.year.len(),
            rows.group.map_or_else(|| "no".to_string(), |g| g.len().to_string()),
        )));
    }
    let fill_run: FillRun = match method {
        Imputation::None => return Ok(Vec::new()),
        Imputation::GroupMean { by } => {
            let Some(groups) = rows.group else {
                return Err(Error::Spec(format!(
                    "imputation group_mean by '{by}' needs the '{by}' of every unit, but no group values were given"
                )));
            };
            let (order, runs) = year_group_runs(rows.year, groups);
            return Ok(fill_by_runs(x, &order, &runs, rows.year, fill_mean));
        }
        Imputation::UnitMean => fill_mean,
        Imputation::CarryForward => fill_carry_forward,
        Imputation::Linear => fill_linear,
    };
    let (order, runs) = unit_runs(rows.unit, rows.year)?;
    Ok(fill_by_runs(x, &order, &runs, rows.year, fill_run))
}

/// Fills the missing cells of one run of rows (`rows` into the column, `year` indexed like the
/// column) and pushes the rows it filled.
type FillRun = fn(&mut [f64], &[usize], &[i32], &mut Vec<usize>);

/// Applies `fill_run` to every run of rows in every column and collects the filled cells in
/// row-major order.
fn fill_by_runs(
    mut x: ArrayViewMut2<'_, f64>,
    order: &[usize],
    runs: &[(usize, usize)],
    year: &[i32],
    fill_run: FillRun,
) -> Vec<(usize, usize)> {
    let mut filled = Vec::new();
    let mut rows_filled = Vec::new();
    for (j, mut col) in x.columns_mut().into_iter().enumerate() {
        let mut fill_column = |values: &mut [f64]| {
            for &(start, end) in runs {
                rows_filled.clear();
                fill_run(values, &order[start..end], year, &mut rows_filled);
                filled.extend(rows_filled.iter().map(|&i| (i, j)));
            }
        };
        // A column-major matrix lends its columns as slices; any other layout works on a copy.
        if let Some(values) = col.as_slice_mut() {
            fill_column(values);
        } else {
            let mut values = col.to_vec();
            fill_column(&mut values);
            col.assign(&ArrayView1::from(&values));
        }
    }
    filled.sort_unstable();
    filled
}

/// Row positions sorted by (unit, year), and the `(start, end)` ranges of that order that hold
/// one unit each.
type UnitRuns = (Vec<usize>, Vec<(usize, usize)>);

/// The rows sorted by (unit, year) and the `(start, end)` ranges of that order holding one unit
/// each.
///
/// # Errors
/// [`Error::Spec`] if two rows are the same unit and year.
fn unit_runs(unit: &[u32], year: &[i32]) -> Result<UnitRuns> {
    let mut order: Vec<usize> = (0..unit.len()).collect();
    order.sort_unstable_by_key(|&i| (unit[i], year[i], i));
    for pair in order.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if unit[a] == unit[b] && year[a] == year[b] {
            return Err(Error::Spec(format!(
                "imputation: rows {} and {} are both unit {} in {}; a panel has one row per unit and year",
                a.min(b) + 1,
                a.max(b) + 1,
                unit[a],
                year[a]
            )));
        }
    }
    let runs = runs_of(&order, |i| unit[i]);
    Ok((order, runs))
}

/// The rows that have a group, sorted by (year, group), and the ranges of that order holding
/// one (year, group) cell each. Rows without a group are in no run.
fn year_group_runs(year: &[i32], group: &[Option<u32>]) -> (Vec<usize>, Vec<(usize, usize)>) {
    let mut order: Vec<usize> = (0..year.len()).filter(|&i| group[i].is_some()).collect();
    order.sort_unstable_by_key(|&i| (year[i], group[i], i));
    let runs = runs_of(&order, |i| (year[i], group[i]));
    (order, runs)
}

/// Maximal ranges of `order` over which `key` is constant.
fn runs_of<K: PartialEq>(order: &[usize], key: impl Fn(usize) -> K) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = 0;
    for end in 1..=order.len() {
        if end == order.len() || key(order[end]) != key(order[start]) {
            runs.push((start, end));
            start = end;
        }
    }
    runs
}

/// Fills the missing cells of `rows` with the mean of their present cells (unit mean over the
/// years of a unit, group mean over the units of a (year, group) cell).
fn fill_mean(col: &mut [f64], rows: &[usize], _year: &[i32], filled: &mut Vec<usize>) {
    let present = rows.iter().map(|&i| col[i]).filter(|v| !v.is_nan());
    let n = present.clone().count();
    if n == 0 || n == rows.len() {
        return;
    }
    let mean = stats::sum(present) / n as f64;
    for &i in rows {
        if col[i].is_nan() {
            col[i] = mean;
            filled.push(i);
        }
    }
}

/// Carries each present value forward over the missing years after it (rows in year order).
fn fill_carry_forward(col: &mut [f64], rows: &[usize], _year: &[i32], filled: &mut Vec<usize>) {
    let mut last = None;
    for &i in rows {
        if !col[i].is_nan() {
            last = Some(col[i]);
        } else if let Some(v) = last {
            col[i] = v;
            filled.push(i);
        }
    }
}

/// Interpolates linearly in years between consecutive present values (rows in year order);
/// gaps before the first and after the last present value stay missing.
fn fill_linear(col: &mut [f64], rows: &[usize], year: &[i32], filled: &mut Vec<usize>) {
    let mut before: Option<(i32, f64)> = None;
    let mut gap_start = 0;
    for (k, &i) in rows.iter().enumerate() {
        let v = col[i];
        if v.is_nan() {
            continue;
        }
        if let Some((y0, v0)) = before {
            let span = (i64::from(year[i]) - i64::from(y0)) as f64;
            for &g in &rows[gap_start..k] {
                let t = (i64::from(year[g]) - i64::from(y0)) as f64 / span;
                col[g] = v0 + (v - v0) * t;
                filled.push(g);
            }
        }
        before = Some((year[i], v));
        gap_start = k + 1;
    }
}
