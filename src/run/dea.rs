//! The `[efficiency]` table of a run: data envelopment analysis (效能评价) of the panel's
//! values with the options of `citycheck efficiency`, year by year, and the Malmquist index
//! over the window.
//!
//! The values are the panel's as read (after the reconciliation of sources), not the prepared
//! data the scores are made of: DEA needs the quantities themselves, not denominated, imputed
//! or normalised values.
//!
//! The variables are listed in the table, or taken from a facility class of the catalogue
//! (`facility = "<id>"`, `[[facilities]]`). With `join_as`, each unit-year's score joins the
//! panel as that scored indicator before the check-up prepares it: the efficiency is then
//! normalised, weighted and aggregated like any other indicator.

use std::collections::{BTreeMap, HashSet};

use polars::prelude::{DataFrame, PolarsError, PolarsResult};
use serde::Serialize;

use super::EfficiencyConfig;
use crate::catalog::{Catalog, Direction};
use crate::efficiency::{
    dea_observed, malmquist_dataframe, malmquist_observed, malmquist_pairs, DeaData, DeaOptions, MalmquistOptions,
    Model, Orientation,
};
use crate::error::{Error, Location, Result};
use crate::kernels::{from_rows, Array2};
use crate::panel::{Panel, Validation, ValidationMode};
use crate::progress::Observer;

/// The efficiency part of run.json.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct EfficiencySummary {
    /// The facility class, when the config names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// The catalogue's facility class (`[[facilities]]`) whose variables were evaluated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facility: Option<String>,
    /// The indicator the scores joined the panel as (`join_as`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub joined_as: Option<String>,
    /// Unit-years whose score joined the panel (0 without `join_as`).
    pub joined: usize,
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

/// A catalogue without indicators, for a panel evaluated without one: every variable is
/// matched by the data's name.
const NO_CATALOG: &str = "[catalog]\nid = \"none\"\nname = \"none\"\nversion = \"0\"\n";

/// The `[efficiency]` analysis of a panel outside a run: the panel validated against `catalog`
/// in `mode` (its variables matched by catalogue id, alias or the data's name, a facility class
/// read from it), or without a catalogue every observation read as it is (variables by the
/// data's name). The tables and summary of a run's `[efficiency]`; nothing is joined.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::run::{efficiency_of_panel, EfficiencyConfig};
/// use citycheck::{Panel, ReadOptions, ValidationMode};
/// let name = "cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv";
/// let panel = Panel::embedded(name, &ReadOptions::default().unit_column("city"))?;
/// let config: EfficiencyConfig = toml::from_str(
///     r#"inputs = ["population", "hospital_beds"]
///        outputs = ["gdp", "retail_sales"]
///        year = 2012"#,
/// ).unwrap();
/// let catalog = citycheck::Catalog::builtin("ccsy-example")?;
/// let run = efficiency_of_panel(&panel, Some(&catalog), &config, ValidationMode::Strict)?;
/// assert_eq!(run.summary.years, [2012]);
/// assert!(run.efficiency.height() > 0 && run.malmquist.is_none());
/// # Ok(()) }
/// ```
///
/// # Errors
/// [`Error::Spec`] for a config that [`EfficiencyConfig::check`] refuses, a `join_as` (only a
/// run has a check-up to join), and a facility class without a catalogue; the errors of
/// [`Panel::validate`] in strict mode; without a catalogue, [`Error::Data`] for a second value
/// of a unit, year and indicator; then as a run's `[efficiency]`.
pub fn efficiency_of_panel(
    panel: &Panel,
    catalog: Option<&Catalog>,
    config: &EfficiencyConfig,
    mode: ValidationMode,
) -> Result<EfficiencyRun> {
    config.check()?;
    if let Some(join_as) = &config.join_as {
        return Err(Error::Spec(format!(
            "join_as = \"{join_as}\": an efficiency score joins the check-up of a run; outside a run it is only \
             evaluated"
        )));
    }
    let mut panel = panel.clone();
    if let Some(catalog) = catalog {
        let mut validation = panel.validate(catalog, mode)?;
        return run_efficiency(&mut panel, &mut validation, catalog, config, &Observer::none());
    }
    if let Some(facility) = &config.facility {
        return Err(Error::Spec(format!("facility = \"{facility}\" is a class of a catalogue: give the catalogue")));
    }
    let mut cells = HashSet::new();
    for k in 0..panel.len() {
        let (unit, year, indicator, _, _) = panel.observation(k);
        if !cells.insert((unit, year, indicator)) {
            return Err(Error::data(
                panel.location(k),
                "a second value of this unit, year and indicator: validate the panel against a catalogue to \
                 reconcile or report its duplicates",
            ));
        }
    }
    let none = Catalog::from_toml(NO_CATALOG, "no catalogue")?;
    let mut validation = Validation {
        issues: Vec::new(),
        resolved: vec![None; panel.indicator_names().len()],
        keep: vec![true; panel.len()],
        catalog_sha256: none.sha256().to_string(),
    };
    run_efficiency(&mut panel, &mut validation, &none, config, &Observer::none())
}

/// The config with the variables of its facility class filled in from the catalogue (and the
/// class's id as the label when none is given); the config itself without a facility.
///
/// # Errors
/// [`Error::Spec`] naming the catalogue's classes when it has no class of that id.
fn with_facility(config: &EfficiencyConfig, catalog: &Catalog) -> Result<EfficiencyConfig> {
    let Some(id) = &config.facility else { return Ok(config.clone()) };
    let Some(facility) = catalog.facility(id) else {
        let known: Vec<&str> = catalog.facilities().iter().map(|f| f.id.as_str()).collect();
        let classes = if known.is_empty() {
            "it declares no [[facilities]]".to_string()
        } else {
            format!("its classes: {}", known.join(", "))
        };
        return Err(Error::Spec(format!(
            "[efficiency] facility = \"{id}\": catalogue '{}' has no such facility class ({classes})",
            catalog.id()
        )));
    };
    Ok(EfficiencyConfig {
        class: config.class.clone().or_else(|| Some(facility.id.clone())),
        inputs: facility.inputs.clone(),
        outputs: facility.outputs.clone(),
        undesirable: facility.undesirable.clone(),
        ..config.clone()
    })
}

/// The catalogue position of the indicator the scores join the panel as, checked: a scored
/// indicator (one with a group) of direction higher, not divided by a denominator, and without
/// a value in the data (the score would be a second value of the same cells).
///
/// # Errors
/// [`Error::Spec`] naming `join_as` and what is wrong.
fn join_target(validation: &Validation, catalog: &Catalog, join_as: &str) -> Result<usize> {
    let fail = |why: String| Error::Spec(format!("[efficiency] join_as = \"{join_as}\": {why}"));
    let Some(position) = catalog.position(join_as) else {
        let hint = catalog.suggest(join_as).map(|s| format!("; did you mean '{s}'?")).unwrap_or_default();
        return Err(fail(format!("not an indicator of catalogue '{}'{hint}", catalog.id())));
    };
    let indicator = &catalog.indicators()[position];
    let id = &indicator.id;
    if !indicator.is_scored() {
        return Err(fail(format!("'{id}' is a context variable (no group); the score joins a scored indicator")));
    }
    if !matches!(indicator.direction, Some(Direction::Higher)) {
        return Err(fail(format!("'{id}' must have direction higher: an efficiency score is better when higher")));
    }
    if let Some(denominator) = &indicator.denominator {
        return Err(fail(format!("'{id}' is divided by '{denominator}'; an efficiency score joins as it is")));
    }
    if validation.resolved.contains(&Some(position)) {
        return Err(fail(format!(
            "the data already have values of '{id}'; the efficiency score would be a second value of the same cells"
        )));
    }
    Ok(position)
}

/// Appends the scores `(unit, year, score)` to `panel` as the indicator at `position`, and to
/// `validation` as kept observations of it; returns how many joined.
///
/// # Errors
/// [`Error::Data`] naming the unit, the year and the indicator for a score outside the
/// indicator's valid range (a super-efficiency score above 1 under a range that ends at 1).
fn join(
    panel: &mut Panel,
    validation: &mut Validation,
    catalog: &Catalog,
    position: usize,
    scores: &[(String, i32, f64)],
) -> Result<usize> {
    let indicator = &catalog.indicators()[position];
    if let Some([lo, hi]) = indicator.valid_range {
        if let Some((unit, year, v)) = scores.iter().find(|(_, _, v)| *v < lo || *v > hi) {
            let at = Location {
                unit: Some(unit.clone()),
                year: Some(*year),
                indicator: Some(indicator.id.clone()),
                ..Location::default()
            };
            return Err(Error::data(
                at,
                format!("[efficiency] score {v} is outside the valid range [{lo}, {hi}] of '{}'", indicator.id),
            ));
        }
    }
    let names = panel.indicator_names().len();
    panel.append_derived(scores.iter().map(|(u, y, v)| (u.as_str(), *y, indicator.id.as_str(), *v)), "[efficiency]");
    validation.resolved.extend(panel.indicator_names()[names..].iter().map(|n| catalog.position(n)));
    validation.keep.resize(panel.len(), true);
    Ok(scores.len())
}

/// Runs `config` on the kept observations of `panel` (indicators matched by their catalogue id,
/// or by the data's name when the catalogue does not know them); with `join_as`, appends the
/// scores to `panel` and `validation` as that indicator.
///
/// # Errors
/// [`Error::Spec`] for a facility class the catalogue does not have and a `join_as` that is not
/// a scored indicator of direction higher without a denominator and without values in the
/// data; [`Error::NotInData`] for a variable the data never has, a window year the data lack,
/// and data that leave no unit with every variable; the errors of [`crate::efficiency::dea`] and
/// [`crate::efficiency::malmquist_with`] (a negative value, a zero under SBM, …, naming the unit and the
/// variable); [`Error::Data`] for a joined score outside the indicator's valid range. Each
/// year's LPs, and each pair of years' Malmquist units, are a stage of `progress`.
pub(crate) fn run_efficiency(
    panel: &mut Panel,
    validation: &mut Validation,
    catalog: &Catalog,
    config: &EfficiencyConfig,
    progress: &Observer,
) -> Result<EfficiencyRun> {
    let resolved = with_facility(config, catalog)?;
    let config = &resolved;
    let target = match config.join_as.as_deref() {
        Some(join_as) => Some(join_target(validation, catalog, join_as)?),
        None => None,
    };
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
    let mut scores: Vec<(String, i32, f64)> = Vec::new();
    for (year, units) in &years {
        let result = dea_observed(&units.data(config, &config.undesirable), &options, progress)?;
        notes.extend(result.warnings.iter().map(|w| format!("{year}: {w}")));
        if let Some(position) = target {
            for (unit, r) in result.units.iter().zip(&result.results) {
                match r.score {
                    Some(score) => scores.push((unit.clone(), *year, score)),
                    None => notes.push(format!(
                        "{year}: unit '{unit}' has no efficiency score ({}): '{}' is missing there",
                        r.status.as_str(),
                        catalog.indicators()[position].id
                    )),
                }
            }
        }
        append(&mut efficiency, result.to_dataframe(Some(*year)))?;
    }
    // Cannot fail: `years` is not empty (checked above), and each year appends its table.
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
    let joined = match target {
        Some(position) => join(panel, validation, catalog, position, &scores)?,
        None => 0,
    };
    let summary = EfficiencySummary {
        class: config.class.clone(),
        facility: config.facility.clone(),
        joined_as: target.map(|p| catalog.indicators()[p].id.clone()),
        joined,
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
