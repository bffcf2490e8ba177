//! Data availability (数据完整性) per unit and per indicator and year, against a coverage
//! threshold: the SDG Index's rule, which keeps an indicator or a country only with values for
//! at least 80 % of what is expected.
//!
//! # Formula
//! ```text
//! present(u, y)  = indicators with an observed value for unit u in year y
//! expected(u, y) = scored indicators − those not applicable to u in y
//! present(i, y)  = units with an observed value of indicator i in year y
//! expected(i, y) = units of the data − those to which i is not applicable in y
//! share = present / expected;   dropped = share < threshold
//! ```
//! *Observed* means a value after the denominators that imputation did not make: an imputed
//! cell is a gap the spec filled, not data. Not-applicable cells are neither present nor
//! expected. The units of the data are every unit with a row in some year, so a unit-year that
//! the data lack entirely (沈阳市 2009 in the Liaoning example) is a unit row with nothing
//! present and counts against each indicator of that year. Units and indicators are judged
//! independently, each against the whole table: dropping the indicators first would raise the
//! units' shares, and the table says what each rule alone would drop.

use crate::checkup::Dataset;

/// What a row of `coverage.csv` counts: a unit's indicators or an indicator's units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverageKind {
    /// The indicators of one unit in one year.
    Unit,
    /// The units of one indicator in one year.
    Indicator,
}

impl CoverageKind {
    /// `unit` or `indicator`, as in the `kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            CoverageKind::Unit => "unit",
            CoverageKind::Indicator => "indicator",
        }
    }
}

/// One row of `coverage.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageRow {
    /// Whether `name` is a unit or an indicator: column `kind`.
    pub kind: CoverageKind,
    /// The unit's name or the indicator's id: column `name`.
    pub name: String,
    /// The year: column `year`.
    pub year: i32,
    /// Observed values: column `present`.
    pub present: usize,
    /// Values expected (not-applicable cells left out): column `expected`.
    pub expected: usize,
    /// present / expected; `None` when nothing is expected: column `share`.
    pub share: Option<f64>,
    /// share below the threshold: the unit or indicator the rule would drop: column `dropped`.
    pub dropped: bool,
    /// Why the share is missing or the row is empty: column `note`.
    pub note: Option<String>,
}

/// The coverage rows of `data`: per year (ascending), the units (in the data's order), then the
/// indicators (in tree order).
pub(super) fn coverage(data: &Dataset, threshold: f64) -> Vec<CoverageRow> {
    let n_rows = data.rows();
    let columns = data.columns.len();
    // Every unit with a row in some year, in the data's unit order.
    let mut listed = vec![false; data.units.len()];
    for &u in &data.row_unit {
        listed[u as usize] = true;
    }
    let units: Vec<usize> = (0..data.units.len()).filter(|&u| listed[u]).collect();
    let observed = |r: usize, c: usize| {
        let cell = c * n_rows + r;
        !data.raw[[r, c]].is_nan() && !data.imputed[cell] && !data.not_applicable[cell]
    };
    let row = |kind, name: &str, year, present: usize, expected: usize, note: Option<String>| {
        let share = (expected > 0).then(|| present as f64 / expected as f64);
        CoverageRow {
            kind,
            name: name.to_string(),
            year,
            present,
            expected,
            share,
            dropped: share.is_some_and(|s| s < threshold),
            note: note.or_else(|| (expected == 0).then(|| "nothing expected: every cell is not applicable".into())),
        }
    };
    let mut out = Vec::with_capacity(data.years.len() * (units.len() + columns));
    for (&year, rows) in data.years.iter().zip(&data.year_rows) {
        let mut row_of = vec![None; data.units.len()];
        for r in rows.clone() {
            row_of[data.row_unit[r] as usize] = Some(r);
        }
        for &u in &units {
            let name = &data.units[u];
            out.push(match row_of[u] {
                Some(r) => {
                    let present = (0..columns).filter(|&c| observed(r, c)).count();
                    let expected = (0..columns).filter(|&c| !data.not_applicable[c * n_rows + r]).count();
                    row(CoverageKind::Unit, name, year, present, expected, None)
                }
                None => {
                    row(CoverageKind::Unit, name, year, 0, columns, Some("no data for this unit in this year".into()))
                }
            });
        }
        for (c, &node) in data.columns.iter().enumerate() {
            let present = rows.clone().filter(|&r| observed(r, c)).count();
            let not_applicable = rows.clone().filter(|&r| data.not_applicable[c * n_rows + r]).count();
            out.push(row(
                CoverageKind::Indicator,
                &data.tree.node(node).id,
                year,
                present,
                units.len() - not_applicable,
                None,
            ));
        }
    }
    out
}
