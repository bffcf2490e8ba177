//! Efficiency evaluation (效能评价) by data envelopment analysis (METHODS §12).
//!
//! Units (facilities, cities) turn inputs `x` (rows = units, columns = inputs) into outputs `y`.
//! One linear programme per unit, units in parallel (rayon), solved by clarabel (`lp.rs`):
//! - `radial.rs`: CCR (constant returns) and BCC (variable returns), input- or
//!   output-oriented, envelopment form, with slacks by a second phase, peers, λ and targets;
//!   super-efficiency (Andersen–Petersen) leaves the unit out of its own reference set;
//! - `sbm.rs`: the slacks-based measure (Tone 2001) by the Charnes–Cooper transformation,
//!   under constant or variable returns, with undesirable outputs (leakage, emissions) after
//!   Tone (2003): a bad output's slack is a reduction, counted in the denominator of ρ;
//! - `super_sbm.rs`: SBM super-efficiency (Tone 2002) of the units SBM finds efficient: the
//!   unit is left out and compared with the nearest point of the others' technology that is no
//!   better than itself; δ ≥ 1, with Tone's super-slacks;
//! - `malmquist.rs`: the Malmquist index between two years, input- or output-oriented, and its
//!   decomposition (efficiency change × technical change; with CCR the efficiency change split
//!   into pure technical efficiency change × scale efficiency change by BCC distances);
//! - `output.rs`: the tables `efficiency.csv` ([`Efficiency::to_dataframe`]) and
//!   `malmquist.csv` ([`malmquist_dataframe`]).
//!
//! Scores are in (0, 1] for every orientation (output-oriented: 1/φ, φ kept as `expansion`);
//! super-efficiency scores may exceed 1. An LP without a solution (an infeasible
//! super-efficiency LP under BCC, a cross-period LP under variable returns) gives no score and
//! a [`Status`] saying why, never a number.

mod lp;
mod malmquist;
mod output;
mod radial;
mod sbm;
mod super_sbm;

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};
use crate::kernels::ArrayView2;
use crate::progress::{Observer, Stage};

pub use malmquist::{malmquist, malmquist_observed, malmquist_pairs, malmquist_with, MalmquistOptions, MalmquistUnit};
pub use output::{malmquist_dataframe, MALMQUIST_COLUMNS};

/// The DEA model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    /// Charnes–Cooper–Rhodes: constant returns to scale.
    Ccr,
    /// Banker–Charnes–Cooper: variable returns to scale (Σλ = 1).
    Bcc,
    /// Tone's slacks-based measure (constant returns), non-radial.
    Sbm,
    /// Tone's slacks-based measure under variable returns (ΣΛ = t in the transformed LP).
    SbmVrs,
}

impl Model {
    /// The model's name as written in tables and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Model::Ccr => "ccr",
            Model::Bcc => "bcc",
            Model::Sbm => "sbm",
            Model::SbmVrs => "sbm_vrs",
        }
    }

    /// SBM under either returns (the models that take undesirable outputs).
    pub fn is_sbm(self) -> bool {
        matches!(self, Model::Sbm | Model::SbmVrs)
    }

    /// The returns to scale of the model's reference technology.
    pub fn returns(self) -> Returns {
        match self {
            Model::Ccr | Model::Sbm => Returns::Constant,
            Model::Bcc | Model::SbmVrs => Returns::Variable,
        }
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Model {
    type Err = Error;
    fn from_str(s: &str) -> Result<Model> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ccr" | "crs" => Ok(Model::Ccr),
            "bcc" | "vrs" => Ok(Model::Bcc),
            "sbm" => Ok(Model::Sbm),
            "sbm_vrs" | "sbm-vrs" | "sbmvrs" => Ok(Model::SbmVrs),
            _ => Err(Error::Spec(format!("unknown DEA model '{s}': expected ccr, bcc, sbm or sbm_vrs"))),
        }
    }
}

/// Which side the model moves: inputs down, outputs up, or both (SBM only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    /// Contract inputs at given outputs (θ ≤ 1).
    Input,
    /// Expand outputs at given inputs (φ ≥ 1; the score is 1/φ).
    Output,
    /// Both at once (SBM's default).
    NonOriented,
}

impl Orientation {
    /// The orientation's name as written in tables and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Orientation::Input => "input",
            Orientation::Output => "output",
            Orientation::NonOriented => "non_oriented",
        }
    }
}

impl fmt::Display for Orientation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Orientation {
    type Err = Error;
    fn from_str(s: &str) -> Result<Orientation> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "input" | "in" => Ok(Orientation::Input),
            "output" | "out" => Ok(Orientation::Output),
            "non_oriented" | "none" | "nonoriented" => Ok(Orientation::NonOriented),
            _ => Err(Error::Spec(format!("unknown orientation '{s}': expected input, output or non_oriented"))),
        }
    }
}

/// Returns to scale of the reference technology.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Returns {
    /// Constant returns (no constraint on Σλ).
    Constant,
    /// Variable returns (Σλ = 1).
    Variable,
}

/// A unit's returns to scale, from its scale efficiency and the Σλ of its CCR solution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnsToScale {
    /// Scale efficient (CCR = BCC).
    Constant,
    /// Too small: CCR < BCC and Σλ < 1.
    Increasing,
    /// Too large: CCR < BCC and Σλ > 1.
    Decreasing,
}

impl ReturnsToScale {
    /// `constant`, `increasing` or `decreasing`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReturnsToScale::Constant => "constant",
            ReturnsToScale::Increasing => "increasing",
            ReturnsToScale::Decreasing => "decreasing",
        }
    }
}

/// How a unit's LP ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Solved: the score is the optimum.
    Optimal,
    /// No solution exists (e.g. super-efficiency under BCC when no other unit can produce the
    /// unit's outputs): no score.
    Infeasible,
    /// The LP is unbounded: no score.
    Unbounded,
    /// The solver stopped without an answer (its status): no score.
    Failed(String),
}

impl Status {
    /// `optimal`, `infeasible`, `unbounded` or `failed`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::Infeasible => "infeasible",
            Status::Unbounded => "unbounded",
            Status::Failed(_) => "failed",
        }
    }
}

/// The options of [`dea`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DeaOptions {
    /// CCR, BCC, SBM or SBM under variable returns.
    pub model: Model,
    /// Input or output for CCR and BCC; SBM takes all three (non-oriented is Tone's model).
    pub orientation: Orientation,
    /// Super-efficiency: each unit is left out of its own reference set — Andersen–Petersen
    /// for CCR and BCC (every unit), Tone's (2002) slacks-based super-efficiency for SBM (the
    /// units SBM finds efficient; the others keep their SBM score).
    pub super_efficiency: bool,
    /// λ and slacks at or below it count as 0 (peers are the units with λ above it); a score
    /// within it of 1 counts as 1 (returns to scale). Default 1e-6.
    pub tolerance: f64,
}

impl Default for DeaOptions {
    fn default() -> Self {
        DeaOptions { model: Model::Ccr, orientation: Orientation::Input, super_efficiency: false, tolerance: 1e-6 }
    }
}

/// The data of one DEA: unit and variable names and the matrices (rows = units).
#[derive(Debug, Clone, Copy)]
pub struct DeaData<'a> {
    /// One name per unit (row), all different.
    pub units: &'a [String],
    /// One name per input column.
    pub inputs: &'a [String],
    /// One name per output column.
    pub outputs: &'a [String],
    /// The outputs (by name, each one of `outputs`) that are undesirable — leakage, emissions,
    /// complaints: less is better. Only SBM models them (Tone 2003); empty for none.
    pub undesirable: &'a [String],
    /// Inputs: units × inputs, finite and ≥ 0.
    pub x: ArrayView2<'a, f64>,
    /// Outputs: units × outputs, finite and ≥ 0.
    pub y: ArrayView2<'a, f64>,
}

/// One unit's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitEfficiency {
    /// The efficiency: θ (input), 1/φ (output) or ρ (SBM); in (0, 1], above 1 only for
    /// super-efficiency. `None` when the LP has no solution (see `status`).
    pub score: Option<f64>,
    /// Output orientation: φ = 1/score, the factor every output could grow by.
    pub expansion: Option<f64>,
    /// How the LP ended.
    pub status: Status,
    /// Score 1 (within the tolerance) and every slack 0: Pareto–Koopmans efficient.
    pub efficient: Option<bool>,
    /// The reference set: (unit index, λ) for λ above the tolerance, by unit index.
    pub lambdas: Vec<(usize, f64)>,
    /// Input slacks s⁻ (one per input; empty without a solution); for a unit scored by SBM
    /// super-efficiency, Tone's super-slacks x̄ − x_o (how far each input could rise).
    pub input_slacks: Vec<f64>,
    /// Output slacks s⁺ (one per output; empty without a solution); for a unit scored by SBM
    /// super-efficiency, Tone's super-slacks y_o − ȳ (how far each output could fall).
    pub output_slacks: Vec<f64>,
    /// Input targets (projection on the frontier): θx − s⁻ (input), x − s⁻ (output, SBM).
    pub input_targets: Vec<f64>,
    /// Output targets: y + s⁺ (input, SBM), φy + s⁺ (output); an undesirable output's target
    /// is y − s (SBM).
    pub output_targets: Vec<f64>,
    /// CCR ÷ BCC in the same orientation (CCR and BCC without super-efficiency).
    pub scale_efficiency: Option<f64>,
    /// Returns to scale (CCR and BCC without super-efficiency).
    pub returns_to_scale: Option<ReturnsToScale>,
    /// What the reader should know: why there is no score, a second phase that failed.
    pub note: Option<String>,
}

impl UnitEfficiency {
    /// A unit whose LP has no solution.
    pub(crate) fn unsolved(status: Status, note: String) -> UnitEfficiency {
        UnitEfficiency {
            score: None,
            expansion: None,
            status,
            efficient: None,
            lambdas: Vec::new(),
            input_slacks: Vec::new(),
            output_slacks: Vec::new(),
            input_targets: Vec::new(),
            output_targets: Vec::new(),
            scale_efficiency: None,
            returns_to_scale: None,
            note: Some(note),
        }
    }

    /// Σλ of the reference set.
    pub fn lambda_sum(&self) -> f64 {
        self.lambdas.iter().map(|(_, l)| l).sum()
    }
}

/// The result of [`dea`]: one [`UnitEfficiency`] per unit, in the data's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Efficiency {
    /// The options it was computed with.
    pub options: DeaOptions,
    /// Unit names.
    pub units: Vec<String>,
    /// Input names.
    pub inputs: Vec<String>,
    /// Output names.
    pub outputs: Vec<String>,
    /// The undesirable outputs (names among `outputs`).
    pub undesirable: Vec<String>,
    /// One result per unit.
    pub results: Vec<UnitEfficiency>,
    /// Notes on the whole analysis (too few units to discriminate, …).
    pub warnings: Vec<String>,
}

fn location(unit: &str, variable: Option<&str>) -> Location {
    Location { unit: Some(unit.to_string()), indicator: variable.map(str::to_string), ..Default::default() }
}

/// Checks the data for `model`; returns the warnings.
///
/// # Errors
/// [`Error::Shape`] for sizes that do not fit or no input, output or unit; [`Error::Spec`] for
/// an undesirable output that is not among the outputs (or named twice), undesirable outputs
/// only, and undesirable outputs with a radial model (CCR, BCC); [`Error::Method`] naming the
/// unit and the variable for a missing (non-finite) or negative value, a zero where SBM divides
/// by it, a unit with all inputs or all outputs 0, and a duplicated unit.
pub fn validate(data: &DeaData<'_>, model: Model) -> Result<Vec<String>> {
    let (n, m, s) = (data.units.len(), data.inputs.len(), data.outputs.len());
    if n == 0 || m == 0 || s == 0 {
        return Err(Error::Shape(format!("DEA needs at least one unit, input and output (got {n}, {m}, {s})")));
    }
    if data.x.dim() != (n, m) || data.y.dim() != (n, s) {
        return Err(Error::Shape(format!(
            "DEA: inputs are {:?} and outputs {:?} for {n} units × {m} inputs and {s} outputs",
            data.x.dim(),
            data.y.dim()
        )));
    }
    undesirable_mask(data)?;
    if !data.undesirable.is_empty() && !model.is_sbm() {
        return Err(Error::Spec(format!(
            "undesirable outputs ({}) are modelled by sbm and sbm_vrs (Tone's SBM with undesirable outputs), not by \
             {model}, which would treat them as outputs to increase",
            data.undesirable.join(", ")
        )));
    }
    let mut seen = HashSet::new();
    for unit in data.units {
        if !seen.insert(unit.as_str()) {
            return Err(Error::method("dea", Some(location(unit, None)), "the unit appears more than once"));
        }
    }
    for (k, unit) in data.units.iter().enumerate() {
        for (values, names, kind) in [(data.x, data.inputs, "input"), (data.y, data.outputs, "output")] {
            let mut all_zero = true;
            for (j, name) in names.iter().enumerate() {
                let v = values[[k, j]];
                let at = || Some(location(unit, Some(name.as_str())));
                if !v.is_finite() {
                    return Err(Error::method("dea", at(), format!("{kind} '{name}' is missing")));
                }
                if v < 0.0 {
                    return Err(Error::method(
                        "dea",
                        at(),
                        format!("{kind} '{name}' is negative ({v}): DEA takes values ≥ 0"),
                    ));
                }
                if v == 0.0 && model.is_sbm() {
                    return Err(Error::method(
                        "dea",
                        at(),
                        format!("{kind} '{name}' is 0: SBM divides by every input and output, which must be > 0"),
                    ));
                }
                all_zero &= v == 0.0;
            }
            if all_zero {
                return Err(Error::method("dea", Some(location(unit, None)), format!("every {kind} is 0")));
            }
        }
    }
    let mut warnings = Vec::new();
    let rule = (m * s).max(3 * (m + s));
    if n < rule {
        warnings.push(format!(
            "{n} units for {m} inputs and {s} outputs: fewer than max(m·s, 3(m+s)) = {rule}, so many units may \
             score 1 (DEA discriminates poorly)"
        ));
    }
    Ok(warnings)
}

/// One flag per output: undesirable or not.
///
/// # Errors
/// [`Error::Spec`] for an undesirable name that is not an output or is named twice, and for
/// outputs that are all undesirable (a facility exists to produce something).
fn undesirable_mask(data: &DeaData<'_>) -> Result<Vec<bool>> {
    let mut bad = vec![false; data.outputs.len()];
    for name in data.undesirable {
        let Some(r) = data.outputs.iter().position(|o| o == name) else {
            return Err(Error::Spec(format!(
                "undesirable output '{name}' is not among the outputs ({})",
                data.outputs.join(", ")
            )));
        };
        if bad[r] {
            return Err(Error::Spec(format!("undesirable output '{name}' is named twice")));
        }
        bad[r] = true;
    }
    if bad.iter().all(|b| *b) {
        return Err(Error::Spec("every output is undesirable: name at least one output to increase".into()));
    }
    Ok(bad)
}

/// Data envelopment analysis of every unit (METHODS §12), units in parallel.
///
/// CCR and BCC: the envelopment LP per unit, then the second phase (the largest sum of slacks
/// at the optimal θ or φ); without super-efficiency also the other of the two, for the scale
/// efficiency CCR ÷ BCC and the returns to scale (constant when the scale efficiency is 1
/// within the tolerance, else increasing when the CCR Σλ < 1 and decreasing when > 1).
/// SBM: Tone's ρ (non-oriented, or the input- or output-oriented variant), under constant
/// (`sbm`) or variable (`sbm_vrs`) returns, with the data's undesirable outputs; with
/// super-efficiency, the units SBM finds efficient (no slack in any input or output: the
/// non-oriented score is 1, whatever the orientation asked) are scored by Tone's
/// (2002) SBM super-efficiency δ ≥ 1 instead — with undesirable outputs, the super-SBM of Li et
/// al. (2013) — their slacks Tone's super-slacks (x̄ − x_o for an input, y_o − ȳ for an output,
/// b̄ − b_o for an undesirable one) and their targets the point of the others' technology.
///
/// # Errors
/// As [`validate`]; [`Error::Spec`] for a tolerance outside (0, 0.01] and CCR or BCC without an
/// orientation.
pub fn dea(data: &DeaData<'_>, options: &DeaOptions) -> Result<Efficiency> {
    dea_observed(data, options, &Observer::none())
}

/// [`dea`], reporting its linear programs to `progress`: a stage `efficiency LPs` of one LP per
/// unit, two per unit for CCR and BCC without super-efficiency (the scale efficiency solves
/// the other model too), advanced as each is solved.
///
/// # Errors
/// As [`dea`].
pub fn dea_observed(data: &DeaData<'_>, options: &DeaOptions, progress: &Observer) -> Result<Efficiency> {
    let tolerance_ok = options.tolerance > 0.0 && options.tolerance <= 0.01;
    if !tolerance_ok {
        return Err(Error::Spec(format!("DEA tolerance {} is not in (0, 0.01]", options.tolerance)));
    }
    let warnings = validate(data, options.model)?;
    let n = data.units.len();
    let returns = options.model.returns();
    let lps = if options.model.is_sbm() || options.super_efficiency { n } else { 2 * n };
    let stage = progress.stage("efficiency LPs", lps as u64, "LPs");
    let results: Vec<UnitEfficiency> = if options.model.is_sbm() {
        let bad = undesirable_mask(data)?;
        (0..n)
            .into_par_iter()
            .map(|k| {
                let plain = sbm::solve(data.x, data.y, &bad, k, returns, options.orientation, options.tolerance);
                stage.advance(1);
                if !options.super_efficiency {
                    return plain;
                }
                // Efficient: no slack in any input or output, whatever the orientation (an
                // oriented score of 1 may hide a slack on the other side).
                let efficient = if options.orientation == Orientation::NonOriented {
                    plain.efficient == Some(true)
                } else {
                    let free =
                        sbm::solve(data.x, data.y, &bad, k, returns, Orientation::NonOriented, options.tolerance);
                    free.efficient == Some(true)
                };
                if efficient {
                    super_sbm::solve(data.x, data.y, &bad, k, returns, options.orientation, options.tolerance)
                } else {
                    plain
                }
            })
            .collect()
    } else {
        if options.orientation == Orientation::NonOriented {
            return Err(Error::Spec(format!("{} needs an orientation: input or output", options.model)));
        }
        let mut results: Vec<UnitEfficiency> = (0..n)
            .into_par_iter()
            .map(|k| {
                let refs = reference(n, options.super_efficiency.then_some(k));
                let point = Point { x: row(data.x, k), y: row(data.y, k) };
                let result =
                    radial::solve(data.x, data.y, &refs, &point, returns, options.orientation, true, options.tolerance);
                stage.advance(1);
                result
            })
            .collect();
        if !options.super_efficiency {
            scale(data, options, &mut results, &stage);
        }
        results
    };
    Ok(Efficiency {
        options: *options,
        units: data.units.to_vec(),
        inputs: data.inputs.to_vec(),
        outputs: data.outputs.to_vec(),
        undesirable: data.undesirable.to_vec(),
        results,
        warnings,
    })
}

/// The evaluated point of one LP: its inputs and outputs.
pub(crate) struct Point {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
}

pub(crate) fn row(a: ArrayView2<'_, f64>, k: usize) -> Vec<f64> {
    a.row(k).to_vec()
}

/// The reference units: all, or all but `left_out`.
fn reference(n: usize, left_out: Option<usize>) -> Vec<usize> {
    (0..n).filter(|&j| Some(j) != left_out).collect()
}

/// Fills the scale efficiency and the returns to scale, solving the model the results are not
/// of (phase one only).
fn scale(data: &DeaData<'_>, options: &DeaOptions, results: &mut [UnitEfficiency], stage: &Stage<'_>) {
    let n = data.units.len();
    let other = if options.model == Model::Ccr { Returns::Variable } else { Returns::Constant };
    let refs = reference(n, None);
    let others: Vec<UnitEfficiency> = (0..n)
        .into_par_iter()
        .map(|k| {
            let point = Point { x: row(data.x, k), y: row(data.y, k) };
            let result =
                radial::solve(data.x, data.y, &refs, &point, other, options.orientation, false, options.tolerance);
            stage.advance(1);
            result
        })
        .collect();
    for (result, other_result) in results.iter_mut().zip(&others) {
        let (ccr, bcc) = if options.model == Model::Ccr { (&*result, other_result) } else { (other_result, &*result) };
        let (Some(c), Some(b)) = (ccr.score, bcc.score) else { continue };
        let se = c / b;
        let lambda_sum = ccr.lambda_sum();
        let rts = if se >= 1.0 - options.tolerance {
            ReturnsToScale::Constant
        } else if lambda_sum < 1.0 {
            ReturnsToScale::Increasing
        } else {
            ReturnsToScale::Decreasing
        };
        result.scale_efficiency = Some(se.min(1.0));
        result.returns_to_scale = Some(rts);
    }
}
