//! The `[efficiency]` table of a run: data envelopment analysis (效能评价) of the panel's
//! values with the options of `citycheck efficiency`, year by year, and the Malmquist index
//! over the window.
//!
//! The values are the panel's as read (after the reconciliation of sources), not the prepared
//! data the scores are made of: DEA needs the quantities themselves, not denominated, imputed
//! or normalised values.

use std::collections::BTreeMap;

use polars::prelude::{DataFrame, PolarsError, PolarsResult};
use serde::Serialize;

use super::EfficiencyConfig;
use crate::catalog::Catalog;
use crate::efficiency::{
    dea_observed, malmquist_dataframe, malmquist_observed, malmquist_pairs, DeaData, DeaOptions, MalmquistOptions,
    Model, Orientation,
};
use crate::error::{Error, Location, Result};
use crate::kernels::{from_rows, Array2};
use crate::panel::{Panel, Validation};
use crate::progress::Observer;

/// The efficiency part of run.json.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct EfficiencySummary {
    /// The facility class, when the config names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// The DEA model.
    pub model: Model,
    /// The orientation of the efficiency scores.
    pub orientation: Orientation,
    /// Andersen–Petersen super-efficiency.
    pub super_efficiency: bool,
    /// The input indicators.
    pub inputs: Vec<String>,
    /// The output indicators.
    pub outputs: Vec<String>,
    /// The undesirable outputs.
    pub undesirable: Vec<String>,
    /// The years analysed.
    pub years: Vec<i32>,
    /// Rows of efficiency.csv.
    pub rows: usize,
    /// Rows of malmquist.csv (0 when it is not written).
    pub malmquist_rows: usize,
    /// What the reader should know: unit-years left out for a missing value, years with too few
    /// units to discriminate, why malmquist.csv is not written.
    pub notes: Vec<String>,
}

/// The tables of a run's `[efficiency]` and what run.json says of them.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EfficiencyRun {
    /// efficiency.csv.
    pub efficiency: DataFrame,
    /// malmquist.csv, over two or more years without undesirable outputs.
    pub malmquist: Option<DataFrame>,
    /// run.json's part.
    pub summary: EfficiencySummary,
}

/// One year's complete units and their matrices.
struct Year {
    units: Vec<String>,
    x: Array2<f64>,
    y: Array2<f64>,
}

impl Year {
    /// The DEA data of this year.
    fn data<'a>(&'a self, config: &'a EfficiencyConfig, undesirable: &'a [String]) -> DeaData<'a> {
        DeaData {
            units: &self.units,
            inputs: &config.inputs,
            outputs: &config.outputs,
            undesirable,
            x: self.x.view(),
            y: self.y.view(),
        }
    }
}

/// Per year: unit names, input rows, output rows.
type Rows = (Vec<String>, Vec<Vec<f64>>, Vec<Vec<f64>>);

fn table_error(e: PolarsError) -> Error {
    Error::data(Location::default(), format!("[efficiency]: cannot assemble the table: {e}"))
}

/// Adds `part`'s rows under `table` (the first part is the table).
fn append(table: &mut Option<DataFrame>, part: PolarsResult<DataFrame>) -> Result<()> {
    let part = part.map_err(table_error)?;
    if let Some(df) = table.as_mut() {
        df.vstack_mut(&part).map_err(table_error)?;
    } else {
        *table = Some(part);
    }
    Ok(())
}

/// Runs `config` on the kept observations of `panel` (indicators matched by their catalogue id,
/// or by the data's name when the catalogue does not know them).
///
/// # Errors
/// [`Error::NotInData`] for a variable the data never has, a window year the data lack, and
/// data that leave no unit with every variable; the errors of [`crate::efficiency::dea`] and
/// [`crate::efficiency::malmquist_with`] (a negative value, a zero under SBM, …, naming the
/// unit and the variable). Each year's LPs, and each pair of years' Malmquist units, are a
/// stage of `progress`.
pub(crate) fn run_efficiency(
    panel: &Panel,
    validation: &Validation,
    catalog: &Catalog,
    config: &EfficiencyConfig,
    progress: &Observer,
) -> Result<EfficiencyRun> {
    let variables: Vec<&String> = config.inputs.iter().chain(&config.outputs).collect();
    let m = config.inputs.len();
    // Each panel indicator's position among the variables, by catalogue id or data name.
    let names = panel.indicator_names();
    let position: Vec<Option<usize>> = (0..names.len())
        .map(|i| {
            let id = validation.resolved[i].map_or(names[i].as_str(), |p| catalog.indicators()[p].id.as_str());
            variables.iter().position(|v| v.as_str() == id)
        })
        .collect();
    let data_years = panel.years();
    for (flag, year) in [("year", config.year), ("from", config.from), ("to", config.to)] {
        if let Some(y) = year.filter(|y| !data_years.contains(y)) {
            return Err(Error::NotInData(format!("[efficiency] {flag} = {y}: the data have no observation that year")));
        }
    }
    let in_window = |y: i32| match config.year {
        Some(only) => y == only,
        None => config.from.is_none_or(|f| y >= f) && config.to.is_none_or(|t| y <= t),
    };
    // (year, unit index) → one value per variable (NaN until seen).
    let mut cells: BTreeMap<(i32, usize), Vec<f64>> = BTreeMap::new();
    let mut seen = vec![false; variables.len()];
    for k in (0..panel.len()).filter(|&k| validation.keep[k] && !panel.is_not_applicable(k)) {
        let (unit, year, indicator, value, _) = panel.observation(k);
        let Some(v) = position[indicator] else { continue };
        seen[v] = true;
        if in_window(year) {
            cells.entry((year, unit)).or_insert_with(|| vec![f64::NAN; variables.len()])[v] = value;
        }
    }
    if let Some(v) = seen.iter().position(|s| !s) {
        let kind = if v < m { "input" } else { "output" };
        return Err(Error::NotInData(format!("[efficiency] {kind} '{}' is not in the data", variables[v])));
    }
    let mut notes = Vec::new();
    let mut by_year: BTreeMap<i32, Rows> = BTreeMap::new();
    for ((year, unit), mut values) in cells {
        let unit = &panel.units()[unit];
        if let Some(v) = values.iter().position(|x| !x.is_finite()) {
            let kind = if v < m { "input" } else { "output" };
            notes.push(format!(
                "{year}: unit '{unit}' has no value for {kind} '{}': left out of the year's efficiency",
                variables[v]
            ));
            continue;
        }
        let outputs = values.split_off(m);
        let entry = by_year.entry(year).or_default();
        entry.0.push(unit.clone());
        entry.1.push(values);
        entry.2.push(outputs);
    }
    if by_year.is_empty() {
        return Err(Error::NotInData(
            "[efficiency]: no unit has a value for every input and output in the years asked".into(),
        ));
    }
    let years: BTreeMap<i32, Year> = by_year
        .into_iter()
        .map(|(y, (units, x, yv))| -> Result<(i32, Year)> {
            Ok((y, Year { units, x: from_rows(&x)?, y: from_rows(&yv)? }))
        })
        .collect::<Result<_>>()?;
    let orientation = config.orientation();
    let options = DeaOptions {
        model: config.model,
        orientation,
        super_efficiency: config.super_efficiency,
        ..DeaOptions::default()
    };
    let mut efficiency = None;
    for (year, units) in &years {
        let result = dea_observed(&units.data(config, &config.undesirable), &options, progress)?;
        notes.extend(result.warnings.iter().map(|w| format!("{year}: {w}")));
        append(&mut efficiency, result.to_dataframe(Some(*year)))?;
    }
    let efficiency = efficiency.expect("at least one year");
    let labels: Vec<i32> = years.keys().copied().collect();
    let mut malmquist = None;
    if labels.len() >= 2 && !config.undesirable.is_empty() {
        notes.push(
            "malmquist.csv is not written: the Malmquist index is radial (ccr or bcc) and takes no undesirable outputs"
                .into(),
        );
    } else if labels.len() >= 2 {
        // As `citycheck efficiency`: BCC distances for bcc, else CCR; output distances when
        // the scores are output-oriented, else input (METHODS' default).
        let model = if config.model == Model::Bcc { Model::Bcc } else { Model::Ccr };
        let orientation = if orientation == Orientation::Output { Orientation::Output } else { Orientation::Input };
        let options = MalmquistOptions { model, orientation };
        for (y0, y1) in malmquist_pairs(&labels) {
            let (from, to) = (years[&y0].data(config, &[]), years[&y1].data(config, &[]));
            let units = malmquist_observed(&from, &to, &options, progress)?;
            append(&mut malmquist, malmquist_dataframe(y0, y1, &units))?;
        }
    }
    let summary = EfficiencySummary {
        class: config.class.clone(),
        model: config.model,
        orientation,
        super_efficiency: config.super_efficiency,
        inputs: config.inputs.clone(),
        outputs: config.outputs.clone(),
        undesirable: config.undesirable.clone(),
        years: labels,
        rows: efficiency.height(),
        malmquist_rows: malmquist.as_ref().map_or(0, DataFrame::height),
        notes,
    };
    Ok(EfficiencyRun { efficiency, malmquist, summary })
}
