//! The tables of an efficiency analysis: `efficiency.csv` (a row per unit and year) and
//! `malmquist.csv` (a row per unit and consecutive pair of years), built once here for the
//! command line and the Python binding.

use polars::prelude::*;

use super::{Efficiency, MalmquistUnit};

/// The columns of `malmquist.csv`, in order.
pub const MALMQUIST_COLUMNS: [&str; 15] = [
    "unit",
    "from_year",
    "to_year",
    "malmquist",
    "efficiency_change",
    "technical_change",
    "pure_efficiency_change",
    "scale_efficiency_change",
    "d_from_from",
    "d_from_to",
    "d_to_from",
    "d_to_to",
    "vrs_from_from",
    "vrs_to_to",
    "note",
];

impl Efficiency {
    /// The rows of `efficiency.csv` for this analysis (of `year`, or none): `unit, year, model,
    /// orientation, super_efficiency, score, expansion, status, efficient, scale_efficiency,
    /// returns_to_scale, peers` (`;`-separated), `lambdas` (`peer:λ;…`), `slack_<variable>`
    /// then `target_<variable>` for every input then output, and `note`. What has no value
    /// (no score without a solution, no year) is null.
    ///
    /// # Errors
    /// A polars error when the table cannot be assembled (a variable that is both an input
    /// and an output gives two columns of one name).
    pub fn to_dataframe(&self, year: Option<i32>) -> PolarsResult<DataFrame> {
        let results = &self.results;
        let height = results.len();
        let peers: Vec<String> = results
            .iter()
            .map(|u| u.lambdas.iter().map(|(j, _)| self.units[*j].as_str()).collect::<Vec<_>>().join(";"))
            .collect();
        let lambdas: Vec<String> = results
            .iter()
            .map(|u| u.lambdas.iter().map(|(j, l)| format!("{}:{l}", self.units[*j])).collect::<Vec<_>>().join(";"))
            .collect();
        let numbers = |name: &str, get: fn(&super::UnitEfficiency) -> Option<f64>| {
            Column::new(name.into(), results.iter().map(get).collect::<Vec<Option<f64>>>())
        };
        let mut columns = vec![
            Column::new("unit".into(), self.units.iter().map(String::as_str).collect::<Vec<&str>>()),
            Column::new("year".into(), vec![year; height]),
            Column::new("model".into(), vec![self.options.model.as_str(); height]),
            Column::new("orientation".into(), vec![self.options.orientation.as_str(); height]),
            Column::new("super_efficiency".into(), vec![self.options.super_efficiency; height]),
            numbers("score", |u| u.score),
            numbers("expansion", |u| u.expansion),
            Column::new("status".into(), results.iter().map(|u| u.status.as_str()).collect::<Vec<&str>>()),
            Column::new("efficient".into(), results.iter().map(|u| u.efficient).collect::<Vec<Option<bool>>>()),
            numbers("scale_efficiency", |u| u.scale_efficiency),
            Column::new(
                "returns_to_scale".into(),
                results.iter().map(|u| u.returns_to_scale.map(|r| r.as_str())).collect::<Vec<Option<&str>>>(),
            ),
            Column::new("peers".into(), peers.iter().map(String::as_str).collect::<Vec<&str>>()),
            Column::new("lambdas".into(), lambdas.iter().map(String::as_str).collect::<Vec<&str>>()),
        ];
        let variables: Vec<&String> = self.inputs.iter().chain(&self.outputs).collect();
        for (prefix, target) in [("slack", false), ("target", true)] {
            for (i, variable) in variables.iter().enumerate() {
                let values: Vec<Option<f64>> = results
                    .iter()
                    .map(|u| {
                        let (inputs, outputs) = if target {
                            (&u.input_targets, &u.output_targets)
                        } else {
                            (&u.input_slacks, &u.output_slacks)
                        };
                        // Empty without a solution: null.
                        inputs.iter().chain(outputs).nth(i).copied()
                    })
                    .collect();
                columns.push(Column::new(format!("{prefix}_{variable}").into(), values));
            }
        }
        columns
            .push(Column::new("note".into(), results.iter().map(|u| u.note.as_deref()).collect::<Vec<Option<&str>>>()));
        DataFrame::new_infer_height(columns)
    }
}

/// The rows of `malmquist.csv` for the index from `from_year` to `to_year`: the columns
/// [`MALMQUIST_COLUMNS`]; a missing index or distance is null (its note says why), and so are
/// the decomposition and the `vrs_` distances of a BCC index, which has none.
///
/// # Errors
/// A polars error when the table cannot be assembled.
pub fn malmquist_dataframe(from_year: i32, to_year: i32, units: &[MalmquistUnit]) -> PolarsResult<DataFrame> {
    let height = units.len();
    let numbers = |name: &str, get: fn(&MalmquistUnit) -> Option<f64>| {
        Column::new(name.into(), units.iter().map(get).collect::<Vec<Option<f64>>>())
    };
    DataFrame::new_infer_height(vec![
        Column::new("unit".into(), units.iter().map(|u| u.unit.as_str()).collect::<Vec<&str>>()),
        Column::new("from_year".into(), vec![from_year; height]),
        Column::new("to_year".into(), vec![to_year; height]),
        numbers("malmquist", |u| u.malmquist),
        numbers("efficiency_change", |u| u.efficiency_change),
        numbers("technical_change", |u| u.technical_change),
        numbers("pure_efficiency_change", |u| u.pure_efficiency_change),
        numbers("scale_efficiency_change", |u| u.scale_efficiency_change),
        numbers("d_from_from", |u| u.d_from_from),
        numbers("d_from_to", |u| u.d_from_to),
        numbers("d_to_from", |u| u.d_to_from),
        numbers("d_to_to", |u| u.d_to_to),
        numbers("vrs_from_from", |u| u.vrs_from_from),
        numbers("vrs_to_to", |u| u.vrs_to_to),
        Column::new("note".into(), units.iter().map(|u| u.note.as_deref()).collect::<Vec<Option<&str>>>()),
    ])
}
