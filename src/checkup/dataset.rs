//! The dense form of a validated panel: one row per unit-year, one column per scored indicator.
//!
//! A [`Dataset`] is only made by [`crate::Checkup::prepare`], which divides by the catalogue's
//! denominators and imputes as the spec says, and records how ([`Preparation`]): data can never
//! be divided twice or scored with parameters fitted on data prepared another way.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use ndarray::s;
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, NodeKind, StatusCounts, Tree};
use crate::error::{Error, Result, Warning, WarningCode};
use crate::kernels::{self, Array2};
use crate::panel::{Attribute, Panel, Validation};
use crate::treat::{self, Imputation, PanelRows};

/// How a dataset was prepared from its panel: what [`crate::Checkup::prepare`] did before any
/// method saw the values. Parameters fitted on data prepared one way are refused on data
/// prepared another ([`crate::Fitted::transform`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Preparation {
    /// Divided by the catalogue's denominators.
    pub denominated: bool,
    /// The imputation applied once over the whole panel.
    pub imputation: Imputation,
}

impl Preparation {
    /// The preparation a spec asks for.
    pub fn of(spec: &super::Spec) -> Preparation {
        Preparation { denominated: spec.denominate, imputation: spec.impute.clone() }
    }

    /// `denominate = …, impute = …`, for messages.
    pub fn describe(&self) -> String {
        format!("denominate = {}, impute = {}", self.denominated, self.imputation.name())
    }
}

/// Identity of a prepared dataset, so that results are never joined with another dataset's.
static NEXT_DATASET: AtomicU64 = AtomicU64::new(1);

/// The dense, prepared data a check-up scores: one row per unit-year, one column per scored
/// indicator, made by [`crate::Checkup::prepare`].
///
/// Rows are unit-years ordered by year, then by unit (first appearance in the input); columns
/// follow the tree's indicator nodes. A unit-year exists when the panel has any usable
/// observation for it: whole missing city-years produce no row, never a row of zeros.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub(crate) catalog: Arc<Catalog>,
    pub(crate) preparation: Preparation,
    /// Set at preparation; shared by clones. Scores remember it ([`crate::Scores`]).
    pub(crate) id: u64,
    /// What preparation did that the user should know (cells lost to missing denominators,
    /// cells imputed).
    pub(crate) notes: Vec<Warning>,
    pub(crate) units: Vec<String>,
    pub(crate) years: Vec<i32>,
    pub(crate) row_unit: Vec<u32>,
    pub(crate) row_year: Vec<i32>,
    /// Rows of each year in `years`.
    pub(crate) year_rows: Vec<Range<usize>>,
    pub(crate) tree: Tree,
    /// Tree node of each scored column of `raw` (the first `columns.len()` columns).
    pub(crate) columns: Vec<usize>,
    /// Catalogue position of every column of `raw`: the scored ones, then the context
    /// variables with data (denominators and other unscored indicators).
    pub(crate) positions: Vec<usize>,
    pub(crate) raw: Array2<f64>,
    /// Cells of `raw` filled by imputation (column-major, as `raw`).
    pub(crate) imputed: Vec<bool>,
    /// Cells of `raw` that are not applicable (column-major, as `raw`): marked in the data or
    /// by the catalogue's `not_applicable` rule. They are `NaN` but not missing: never imputed,
    /// left out of aggregation by design, never judged.
    pub(crate) not_applicable: Vec<bool>,
    /// Unit attributes (province, tier, …), for group-wise imputation.
    pub(crate) attributes: Vec<Attribute>,
    /// Catalogue indicators that have no data and were left out of the tree.
    pub(crate) left_out: Vec<String>,
}

impl Dataset {
    /// Builds and prepares the dense form of `panel` (the observations `validation` keeps):
    /// denominators first, then imputation (COINr's order), as `preparation` says.
    ///
    /// # Errors
    /// [`Error::Spec`] when the imputation names a unit attribute the panel lacks.
    pub(crate) fn prepare(
        catalog: Arc<Catalog>,
        panel: &Panel,
        validation: &Validation,
        preparation: Preparation,
    ) -> Result<Dataset> {
        let mut data = Dataset::dense(catalog, panel, validation);
        if preparation.denominated {
            let notes = data.denominate();
            data.notes.extend(notes.into_iter().map(|n| Warning::new(WarningCode::DenominatorMissing, n)));
        }
        let filled = data.impute(&preparation.imputation)?;
        if let Some(message) = data.not_applicable_message() {
            data.notes.push(Warning::new(WarningCode::NotApplicable, message));
        }
        if filled > 0 {
            data.notes.push(Warning::new(
                WarningCode::Imputed,
                format!(
                    "{filled} missing cell(s) imputed by {} (imputed = true in the scores)",
                    preparation.imputation.name()
                ),
            ));
        }
        if let Some(message) = crate::catalog::provenance::proposed_message(&data.indicator_status()) {
            data.notes.push(Warning::new(WarningCode::ProposedIndicators, message));
        }
        data.preparation = preparation;
        Ok(data)
    }

    /// The dense form of `panel`, as given (not yet prepared).
    fn dense(catalog: Arc<Catalog>, panel: &Panel, validation: &Validation) -> Dataset {
        let n = panel.len();
        // One pass: which indicators have data, and which unit-years have a usable observation
        // (in a dense year × unit table: row numbers are then assigned year by year in unit
        // order, with no sorting and no hashing).
        let (years, year_pos) = panel.year_positions();
        let n_units = panel.units().len();
        const ABSENT: u32 = u32::MAX;
        let mut row_of = vec![ABSENT; years.len() * n_units];
        let mut has_data = vec![false; catalog.indicators().len()];
        for k in (0..n).filter(|&k| validation.keep[k]) {
            let (u, _, ind, value, _) = panel.observation(k);
            if !value.is_nan() {
                has_data[validation.resolved[ind].expect("kept rows are resolved")] = true;
            }
            row_of[year_pos[k] as usize * n_units + u] = 0;
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
        let mut positions: Vec<usize> =
            columns.iter().map(|&node| tree.node(node).indicator.expect("indicator node")).collect();
        positions
            .extend((0..catalog.indicators().len()).filter(|&i| has_data[i] && !catalog.indicators()[i].is_scored()));
        let mut column_of_indicator: Vec<Option<usize>> = vec![None; catalog.indicators().len()];
        for (c, &pos) in positions.iter().enumerate() {
            column_of_indicator[pos] = Some(c);
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

        // Written straight into columns: a long file lists a unit-year's indicators together,
        // so consecutive observations touch one cache line per column and year.
        let width = positions.len();
        let rows = row_unit.len();
        let mut by_column = vec![f64::NAN; rows * width];
        for k in (0..n).filter(|&k| validation.keep[k]) {
            let (u, _, ind, value, _) = panel.observation(k);
            let pos = validation.resolved[ind].expect("kept rows are resolved");
            if let Some(c) = column_of_indicator[pos] {
                by_column[c * rows + row_of[year_pos[k] as usize * n_units + u] as usize] = value;
            }
        }
        let not_applicable = not_applicable_cells(
            &catalog,
            panel,
            validation,
            &column_of_indicator,
            |k| row_of[year_pos[k] as usize * n_units + panel.observation(k).0] as usize,
            &row_unit,
            &mut by_column,
        );
        let raw = kernels::from_columns(rows, width, by_column).expect("sizes match");
        Dataset {
            catalog: Arc::clone(&catalog),
            preparation: Preparation { denominated: false, imputation: Imputation::None },
            id: NEXT_DATASET.fetch_add(1, Ordering::Relaxed),
            notes: Vec::new(),
            units: panel.units().to_vec(),
            years: kept_years,
            row_unit,
            row_year,
            year_rows,
            tree,
            columns,
            positions,
            imputed: vec![false; raw.len()],
            not_applicable,
            raw,
            attributes: panel.attributes().to_vec(),
            left_out,
        }
    }

    /// Divides every scored indicator that names a `denominator` in the catalogue by it, unit-year
    /// by unit-year (x / d: per capita, per unit of output, …). A missing or zero denominator
    /// leaves the cell missing; the warnings count them. Returns the warnings.
    fn denominate(&mut self) -> Vec<String> {
        let catalog = Arc::clone(&self.catalog);
        let mut warnings = Vec::new();
        if !self.positions[..self.columns.len()].iter().any(|&p| catalog.indicators()[p].denominator.is_some()) {
            return warnings;
        }
        // Divisors are read as given: GDP divides SO2 as a total even when GDP itself is scored
        // per capita.
        let given = self.raw.clone();
        for c in 0..self.columns.len() {
            let ind = &catalog.indicators()[self.positions[c]];
            let Some(den) = &ind.denominator else { continue };
            // Cannot fail: catalogue validation refuses a denominator that is not one of its indicators.
            let den_pos = catalog.position(den).expect("validated: the denominator is an indicator");
            let Some(d) = self.positions.iter().position(|&p| p == den_pos) else {
                warnings.push(format!(
                    "'{}' is divided by '{den}', which has no data: '{}' is missing everywhere",
                    ind.id, ind.id
                ));
                self.raw.column_mut(c).fill(f64::NAN);
                continue;
            };
            let mut lost = 0;
            for (x, &d) in self.raw.column_mut(c).iter_mut().zip(given.column(d)) {
                if !x.is_nan() && (d.is_nan() || d == 0.0) {
                    lost += 1;
                }
                *x = if d == 0.0 { f64::NAN } else { *x / d };
            }
            if lost > 0 {
                warnings.push(format!(
                    "'{}' / '{den}': {lost} unit-year(s) have no usable '{den}' (missing or 0) and are missing",
                    ind.id
                ));
            }
        }
        warnings
    }

    /// Fills missing cells of the scored indicators by `method` and flags them (they appear
    /// with `imputed = true` in the scores). Returns the number of cells filled.
    ///
    /// # Errors
    /// [`Error::Spec`] when `group_mean` names an attribute the panel does not have.
    fn impute(&mut self, method: &Imputation) -> Result<usize> {
        let groups: Option<Vec<Option<u32>>> = match method {
            Imputation::GroupMean { by } => {
                let attribute = self.attributes.iter().find(|a| &a.name == by).ok_or_else(|| {
                    Error::Spec(format!(
                        "group_mean imputation by '{by}': the panel has no such unit attribute (attributes: {})",
                        self.attributes.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ")
                    ))
                })?;
                let mut codes: Vec<&str> = attribute.values.iter().flatten().map(String::as_str).collect();
                codes.sort_unstable();
                codes.dedup();
                let code_of_unit: Vec<Option<u32>> = attribute
                    .values
                    .iter()
                    .map(|v| v.as_deref().map(|v| codes.binary_search(&v).expect("collected above") as u32))
                    .collect();
                Some(self.row_unit.iter().map(|&u| code_of_unit[u as usize]).collect())
            }
            _ => None,
        };
        // Only the scored columns are imputed: context variables are inputs, not results.
        let scored = self.columns.len();
        let rows = PanelRows { unit: &self.row_unit, year: &self.row_year, group: groups.as_deref() };
        let filled = treat::impute(self.raw.slice_mut(s![.., ..scored]), method, rows)?;
        let n_rows = self.rows();
        let mut count = 0;
        for &(r, c) in &filled {
            if self.not_applicable[c * n_rows + r] {
                // Not applicable is not missing: the cell stays empty, whatever the method.
                self.raw[[r, c]] = f64::NAN;
            } else {
                self.imputed[c * n_rows + r] = true;
                count += 1;
            }
        }
        Ok(count)
    }

    /// "N cell(s) of K indicator(s) are not applicable …" for the warnings; `None` when no
    /// scored cell is.
    fn not_applicable_message(&self) -> Option<String> {
        let n_rows = self.rows();
        let per_column: Vec<usize> = (0..self.columns.len())
            .map(|c| self.not_applicable[c * n_rows..(c + 1) * n_rows].iter().filter(|&&na| na).count())
            .collect();
        let cells: usize = per_column.iter().sum();
        if cells == 0 {
            return None;
        }
        let ids: Vec<&str> = per_column
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(c, _)| self.catalog.indicators()[self.positions[c]].id.as_str())
            .collect();
        Some(format!(
            "{cells} cell(s) of {} indicator(s) are not applicable ({}): left out, weights renormalised \
             (never imputed; note 'not_applicable' in the diagnosis)",
            ids.len(),
            ids.join(", ")
        ))
    }

    /// Whether the cell at `row` of column `c` is not applicable.
    pub(crate) fn is_not_applicable(&self, row: usize, c: usize) -> bool {
        self.not_applicable[c * self.rows() + row]
    }

    /// Number of scored cells (unit-year × indicator) that are not applicable: marked in the
    /// data (`not_applicable`, `不适用`) or by the catalogue's `not_applicable` rule.
    pub fn not_applicable_cells(&self) -> usize {
        self.not_applicable[..self.columns.len() * self.rows()].iter().filter(|&&na| na).count()
    }

    /// Whether `unit`'s value of `indicator` (an id) in `year` is not applicable; `false` when
    /// the data have no such cell.
    pub fn is_not_applicable_at(&self, unit: &str, year: i32, indicator: &str) -> bool {
        let Some(c) = self.positions.iter().position(|&p| self.catalog.indicators()[p].id == indicator) else {
            return false;
        };
        (0..self.rows())
            .find(|&r| self.row_year[r] == year && self.unit_name(r) == unit)
            .is_some_and(|r| self.is_not_applicable(r, c))
    }

    /// The catalogue the data were laid out and prepared with.
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.catalog
    }

    /// How the data were prepared.
    pub fn preparation(&self) -> &Preparation {
        &self.preparation
    }

    /// What preparation did that the user should know (cells lost to missing denominators,
    /// cells imputed); they open the warnings of every outcome scored from these data.
    pub fn notes(&self) -> &[Warning] {
        &self.notes
    }

    /// Number of unit-years (rows).
    pub fn rows(&self) -> usize {
        self.row_unit.len()
    }

    /// The years with data, ascending.
    pub fn years(&self) -> &[i32] {
        &self.years
    }

    /// Every unit of the panel, in order of first appearance.
    pub fn units(&self) -> &[String] {
        &self.units
    }

    /// The scoring tree: the catalogue's hierarchy less the indicators without data.
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

    /// How many of the scored indicators (columns) have each provenance status.
    pub fn indicator_status(&self) -> StatusCounts {
        let indicators = self.catalog.indicators();
        StatusCounts::of(self.positions[..self.columns.len()].iter().map(|&pos| indicators[pos].status))
    }

    pub(crate) fn unit_name(&self, row: usize) -> &str {
        &self.units[self.row_unit[row] as usize]
    }

    pub(crate) fn column_of_node(&self, node: usize) -> Option<usize> {
        debug_assert_eq!(self.tree.node(node).kind, NodeKind::Indicator);
        self.columns.iter().position(|&n| n == node)
    }
}

/// The not-applicable cells of the dense columns (column-major, as `by_column`): observations
/// marked in the data, then the catalogue's rules (a listed unit; an `unless` indicator that is
/// 0 or not applicable in the unit-year). A value under a rule is emptied: the rule wins
/// (validation has reported it).
fn not_applicable_cells(
    catalog: &Catalog,
    panel: &Panel,
    validation: &Validation,
    column_of_indicator: &[Option<usize>],
    row_of_observation: impl Fn(usize) -> usize,
    row_unit: &[u32],
    by_column: &mut [f64],
) -> Vec<bool> {
    let rows = row_unit.len();
    let mut mask = vec![false; by_column.len()];
    if panel.not_applicable_count() > 0 {
        for k in (0..panel.len()).filter(|&k| validation.keep[k] && panel.is_not_applicable(k)) {
            let (_, _, ind, _, _) = panel.observation(k);
            let pos = validation.resolved[ind].expect("kept rows are resolved");
            if let Some(c) = column_of_indicator[pos] {
                let cell = c * rows + row_of_observation(k);
                mask[cell] = true;
                by_column[cell] = f64::NAN;
            }
        }
    }
    for (pos, ind) in catalog.indicators().iter().enumerate() {
        let (Some(rule), Some(c)) = (&ind.not_applicable, column_of_indicator[pos]) else { continue };
        let context = rule.unless.as_deref().and_then(|id| catalog.position(id)).and_then(|p| column_of_indicator[p]);
        for (r, &u) in row_unit.iter().enumerate() {
            let unit = &panel.units()[u as usize];
            let at = context.map(|d| (by_column[d * rows + r], mask[d * rows + r]));
            if rule.applies(unit, at) {
                mask[c * rows + r] = true;
                by_column[c * rows + r] = f64::NAN;
            }
        }
    }
    mask
}
