//! `grey_relational` (灰色关联分析): the grade of relation of each unit to the ideal unit
//! (METHODS.md §5).
//!
//! # Formula
//! ```text
//! r_ij  = (o_ij − min_i o_ij)/(max_i o_ij − min_i o_ij)     direction-aware min-max, 1 if constant
//! x0_j  = max_i r_ij                                         reference series (the ideal unit)
//! Δ_ij  = |x0_j − r_ij|
//! Δmin  = min_{i,j} Δ_ij,   Δmax = max_{i,j} Δ_ij
//! ξ_ij  = (Δmin + ρ Δmax)/(Δ_ij + ρ Δmax)                    grey relational coefficient
//! γ_i   = Σ_j w_j ξ_ij / Σ_j w_j                             grey relational grade, in (0, 1]
//! ```
//! o(x) = x (higher), −x (lower), minus the distance to the best interval (band, target), as
//! in the crate's `min_max` normalisation. ρ is the distinguishing coefficient, 0.5 by default;
//! a smaller ρ spreads the coefficients further apart. Higher γ is better.
//!
//! After min-max every column reaches 1, so x0 = 1 and Δ = 1 − r; as soon as one column
//! varies, Δmin = 0 and Δmax = 1, and ξ = ρ/(Δ + ρ).
//!
//! # Other normalisations (`normalize`, [`GreyNormalization`])
//! Grey system theory's data operators make each sequence dimensionless by a ratio (Deng 1982;
//! Liu, Yang & Forrest, *Grey Data Analysis*, Springer 2017, §3 "sequence operators"); in a
//! decision matrix the sequences are the criteria (columns), so:
//! ```text
//! initial_value (初值化)  r_ij = x_ij / x_1j              the first unit (row) is the base
//! mean_value    (均值化)  r_ij = x_ij / (Σ_i x_ij / m)    the column mean is the base
//! x0_j = max_i r_ij for a benefit (higher-is-better) column, min_i r_ij for a cost one
//! ```
//! The ratios keep the orientation of the raw values, so the direction enters through the
//! reference series only: the best value of each column, the largest of a benefit criterion
//! and the smallest of a cost criterion. That choice of reference is citycheck's convention
//! (it is the "ideal" reference of the min-max form, applied to ratios); papers that invert
//! cost columns first (1/x or max − x) give other numbers. Band and target directions have no
//! single best ratio and are refused under these two normalisations (use `min_max`). A ratio
//! needs a base > 0 and values ≥ 0: a negative value, or a first value (initial_value) or a
//! mean (mean_value) of 0, is an error naming the column.
//!
//! Edge cases:
//! - a constant column has r = 1, Δ = 0 and ξ = 1 + Δmin/(ρ Δmax) = 1 for every unit;
//! - Δmax = 0 (every column constant, including one unit, m = 1): every unit is the reference
//!   itself, ξ = 1 and γ = 1, never `NaN`;
//! - one column: γ_i = ξ_i;
//! - the weights are rescaled to sum 1 (they already do in a run), so γ stays in (0, 1].
//!
//! # Errors
//! - [`Error::Spec`] if ρ is not in (0, 1] (ρ = 0 makes every ξ of a varying column 0 or 0/0),
//!   or the weights or directions do not fit the columns, or a weight is negative or not
//!   finite, or the weights sum to 0;
//! - [`Error::Method`] naming the unit and column of a missing (`NaN`) or infinite cell (impute
//!   first).
//!
//! # References
//! Deng (1982), Control problems of grey systems, Systems & Control Letters 1(5):288–294;
//! Kuo, Yang & Huang (2008), Computers & Industrial Engineering 55(1):80–93 (grey relational
//! analysis for multi-attribute decisions); Liu, Yang & Forrest (2017), *Grey Data Analysis*,
//! Springer (initialing and averaging operators).

use serde::{Deserialize, Serialize};

use super::topsis::{check_decision_matrix, column_location};
use super::Labels;
use crate::direction::Direction;
use crate::error::{shown_number, Error, Result};
use crate::kernels::{columns, scale, stats, ArrayView2};

/// How grey relational analysis makes each column dimensionless (`normalize`; see the module
/// documentation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GreyNormalization {
    /// Direction-aware min-max to [0, 1], reference 1 (default; Kuo et al. 2008).
    #[default]
    MinMax,
    /// 初值化: each column divided by its first row's value.
    InitialValue,
    /// 均值化: each column divided by its mean.
    MeanValue,
}

impl GreyNormalization {
    /// Every name, the default first.
    pub const NAMES: &'static [&'static str] = &["min_max", "initial_value", "mean_value"];

    /// The snake_case name, as in TOML, on the command line and in Python.
    pub fn as_str(self) -> &'static str {
        match self {
            GreyNormalization::MinMax => "min_max",
            GreyNormalization::InitialValue => "initial_value",
            GreyNormalization::MeanValue => "mean_value",
        }
    }
}

impl std::str::FromStr for GreyNormalization {
    type Err = Error;

    fn from_str(name: &str) -> Result<GreyNormalization> {
        match name.trim() {
            "min_max" => Ok(GreyNormalization::MinMax),
            "initial_value" => Ok(GreyNormalization::InitialValue),
            "mean_value" => Ok(GreyNormalization::MeanValue),
            other => Err(crate::names::unknown("grey relational normalisation", other, GreyNormalization::NAMES)),
        }
    }
}

/// Grey relational grade γ of each row of the decision matrix `x` (rows = units, columns =
/// indicators) with distinguishing coefficient `rho`; higher is better. Min-max normalisation
/// ([`grey_relational_with`] for the others).
///
/// See the module documentation for the formula and the edge cases.
///
/// # Errors
/// [`Error::Spec`] for ρ outside (0, 1] or weights or directions that do not fit the columns;
/// [`Error::Method`] naming the unit and column of a missing or infinite cell.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::aggregate::{grey_relational, Labels};
/// use citycheck::direction::Direction;
/// use citycheck::kernels::array;
/// // r = [0, 1/2, 1], Δ = [1, 1/2, 0], ξ = 0.5/(Δ + 0.5) = [1/3, 1/2, 1]
/// let x = array![[2.0], [4.0], [6.0]];
/// let labels = Labels { rows: &[], columns: &[], year: None };
/// let g = grey_relational(x.view(), &[1.0], &[Direction::Higher], 0.5, labels)?;
/// assert!((g[0] - 1.0 / 3.0).abs() < 1e-12 && (g[1] - 0.5).abs() < 1e-12 && g[2] == 1.0);
/// # Ok(()) }
/// ```
pub fn grey_relational(
    x: ArrayView2<'_, f64>,
    w: &[f64],
    directions: &[Direction],
    rho: f64,
    labels: Labels<'_>,
) -> Result<Vec<f64>> {
    grey_relational_with(x, w, directions, rho, GreyNormalization::MinMax, labels)
}

/// [`grey_relational`] with the normalisation `normalize` ([`GreyNormalization`]).
///
/// # Errors
/// As [`grey_relational`]; [`Error::Method`] naming the column under `initial_value` or
/// `mean_value` for a band or target direction, a negative value, or a base (first value,
/// mean) that is not > 0.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::aggregate::{grey_relational_with, GreyNormalization, Labels};
/// use citycheck::direction::Direction;
/// use citycheck::kernels::array;
/// // 初值化: r = [1, 2, 3], reference 3, Δ = [2, 1, 0], Δmax = 2, ξ = 1/(Δ + 1) = [1/3, 1/2, 1]
/// let x = array![[2.0], [4.0], [6.0]];
/// let labels = Labels { rows: &[], columns: &[], year: None };
/// let g = grey_relational_with(x.view(), &[1.0], &[Direction::Higher], 0.5, GreyNormalization::InitialValue, labels)?;
/// assert!((g[0] - 1.0 / 3.0).abs() < 1e-12 && (g[1] - 0.5).abs() < 1e-12 && g[2] == 1.0);
/// # Ok(()) }
/// ```
pub fn grey_relational_with(
    x: ArrayView2<'_, f64>,
    w: &[f64],
    directions: &[Direction],
    rho: f64,
    normalize: GreyNormalization,
    labels: Labels<'_>,
) -> Result<Vec<f64>> {
    const METHOD: &str = "grey_relational";
    if !(rho > 0.0 && rho <= 1.0) {
        return Err(Error::Spec(format!("{METHOD}: rho = {rho} must be in (0, 1] (0.5 by default)")));
    }
    check_decision_matrix(METHOD, x, w, directions, labels)?;
    let (m, n) = (x.nrows(), x.ncols());
    if m == 0 {
        return Ok(Vec::new());
    }
    // Δ, column-major like x.
    let mut delta = vec![0.0; m * n];
    for (j, (col, out)) in columns(x).zip(delta.chunks_mut(m)).enumerate() {
        let reference = match normalize {
            GreyNormalization::MinMax => {
                scale::oriented_min_max(directions[j], &col, out, 1.0);
                out.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            }
            GreyNormalization::InitialValue | GreyNormalization::MeanValue => {
                ratios(METHOD, normalize, directions[j], &col, out, labels, j)?
            }
        };
        for d in out.iter_mut() {
            *d = (reference - *d).abs();
        }
    }
    let (delta_min, delta_max) =
        stats::min_max(&delta).expect("m >= 1, and n >= 1 since the weights sum to more than 0");
    let total_w = stats::sum(w.iter().copied());
    let mut grade = vec![0.0; m];
    for (j, col) in delta.chunks(m).enumerate() {
        let wj = w[j] / total_w;
        if wj == 0.0 {
            continue;
        }
        for (g, &d) in grade.iter_mut().zip(col) {
            let xi = if delta_max > 0.0 { (delta_min + rho * delta_max) / (d + rho * delta_max) } else { 1.0 };
            *g += wj * xi;
        }
    }
    Ok(grade)
}

/// The ratios of `col` to its base under `normalize` (initial or mean value) into `out`, and
/// the reference: the largest ratio of a benefit column, the smallest of a cost column.
fn ratios(
    method: &'static str,
    normalize: GreyNormalization,
    direction: Direction,
    col: &[f64],
    out: &mut [f64],
    labels: Labels<'_>,
    j: usize,
) -> Result<f64> {
    let name = normalize.as_str();
    let lower = match direction {
        Direction::Higher => false,
        Direction::Lower => true,
        Direction::Band(_) | Direction::Target(_) => {
            return Err(Error::method(
                method,
                Some(column_location(labels, j)),
                format!("normalize = \"{name}\" has no best value for a band or target direction; use min_max"),
            ))
        }
    };
    if let Some(i) = col.iter().position(|&v| v < 0.0) {
        return Err(Error::method(
            method,
            Some(labels.locate(i, j)),
            format!("value {} is negative; normalize = \"{name}\" divides by a base and needs values >= 0", col[i]),
        ));
    }
    let base = match normalize {
        GreyNormalization::InitialValue => col[0],
        _ => stats::mean(col),
    };
    if !(base > 0.0 && base.is_finite()) {
        let what = if normalize == GreyNormalization::InitialValue { "the first unit's value" } else { "the mean" };
        return Err(Error::method(
            method,
            Some(column_location(labels, j)),
            format!("{what} is {}; normalize = \"{name}\" divides by it and needs it > 0", shown_number(base)),
        ));
    }
    for (o, &v) in out.iter_mut().zip(col) {
        *o = v / base;
    }
    let (lo, hi) = stats::min_max(&out[..col.len()]).expect("a column has m >= 1 values");
    Ok(if lower { lo } else { hi })
}
