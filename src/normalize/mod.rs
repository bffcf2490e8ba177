//! Normalisation (标准化): raw indicator values → comparable scores, higher = better.
//!
//! One variant of [`Normalize`] per method, one file per method. Each method is *fitted* on a
//! column (the units of one year, or of the whole panel: the run's scope) into plain
//! [`Params`], then *applied* to any value. All methods are direction-aware (METHODS.md §3):
//!
//! - `min_max`, `z_score`, `rank` and `percentile` work on the *oriented* value
//!   `o(x) = x` (higher), `−x` (lower), `−dist(x, [a, b])` (band or target: the distance to the
//!   best interval), so their fitted bounds, moments and samples are of `o(x)`;
//! - `band`, `goalposts` and `target` work on the raw value with the formulas of METHODS.md;
//! - `vector` and `sum` (decision-matrix normalisations) follow pymcdm's cost conventions and
//!   are not defined for band indicators.
//!
//! Bounded methods (`min_max`, `band`, `goalposts`, `target`, `percentile`) map their [0, 1]
//! result onto `[lo, hi]` (default [0, 100]): the run's output scale.

mod band;
mod goalposts;
mod min_max;
mod percentile;
mod rank;
mod sum;
mod target;
pub use target::{attainment, gap_to_standard, standard_value};
mod vector;
mod z_score;

use serde::{Deserialize, Serialize};

use crate::direction::{Criterion, Direction};
use crate::error::{Error, Location, Result};
use crate::names::Naming;

fn default_lo() -> f64 {
    0.0
}
fn default_hi() -> f64 {
    100.0
}

/// The normalisation method of a run, with its parameters.
///
/// Named by [`Normalize::NAMES`]: `"z_score".parse::<Normalize>()` is the method with default
/// parameters and `Display` writes the name. In a run spec it is a table,
/// `{ method = "min_max", lo = 0, hi = 100 }`; an unknown name is answered with the closest
/// known one ([`crate::names`]).
// `remote = "Self"`: serde derives the variants into inherent functions, which the
// `Serialize` and `Deserialize` impls of `named_method!` call after checking the name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", tag = "method", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Normalize {
    /// `(o − min)/(max − min)` scaled to `[lo, hi]`; a constant column scores `hi`.
    MinMax {
        /// Score of r = 0, the worst end of the output scale (default 0); the score is
        /// lo + r (hi − lo), with lo < hi, both finite.
        #[serde(default = "default_lo")]
        lo: f64,
        /// Score of r = 1, the best end of the output scale (default 100).
        #[serde(default = "default_hi")]
        hi: f64,
    },
    /// Band indicators: 1 inside `[a, b]`, `1 − dist/max(a − min, max − b)` outside;
    /// higher / lower indicators as `min_max`.
    Band {
        /// Score of r = 0, the worst end of the output scale (default 0); the score is
        /// lo + r (hi − lo), with lo < hi, both finite.
        #[serde(default = "default_lo")]
        lo: f64,
        /// Score of r = 1, the best end of the output scale (default 100).
        #[serde(default = "default_hi")]
        hi: f64,
    },
    /// `(o − mean)/sd`, ddof = 1.
    ZScore,
    /// Min-max against the catalogue's fixed goalposts `[L, U]`, clipped to [0, 1].
    Goalposts {
        /// Score of r = 0, the worst end of the output scale (default 0); the score is
        /// lo + r (hi − lo), with lo < hi, both finite.
        #[serde(default = "default_lo")]
        lo: f64,
        /// Score of r = 1, the best end of the output scale (default 100).
        #[serde(default = "default_hi")]
        hi: f64,
    },
    /// Attainment of the catalogue standard: `min(x/T, 1)` (higher), `min(T/x, 1)` (lower).
    Target {
        /// Score of r = 0, the worst end of the output scale (default 0); the score is
        /// lo + r (hi − lo), with lo < hi, both finite.
        #[serde(default = "default_lo")]
        lo: f64,
        /// Score of r = 1, the best end of the output scale (default 100).
        #[serde(default = "default_hi")]
        hi: f64,
    },
    /// Average rank of `o(x)`, 1 = worst … m = best.
    Rank,
    /// `(rank − 1)/(m − 1)`.
    Percentile {
        /// Score of r = 0, the worst end of the output scale (default 0); the score is
        /// lo + r (hi − lo), with lo < hi, both finite.
        #[serde(default = "default_lo")]
        lo: f64,
        /// Score of r = 1, the best end of the output scale (default 100).
        #[serde(default = "default_hi")]
        hi: f64,
    },
    /// `x/√Σx²` (cost: `1 − x/√Σx²`).
    Vector,
    /// `x/Σx` (cost: `(1/x)/Σ(1/x)`).
    Sum,
}

crate::names::named_method!(
    Normalize,
    Naming { kind: "normalisation", tag: Some("method"), names: Normalize::NAMES, parameterised: &[] }
);

impl Default for Normalize {
    fn default() -> Self {
        Normalize::MinMax { lo: 0.0, hi: 100.0 }
    }
}

/// Parameters a normalisation learned from (or read for) one indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Params {
    /// Nothing to learn from: no value present in the fitting data. Every value maps to missing.
    Empty,
    /// Bounds of the oriented value `o(x)` (`min_max`, and `band` for a higher or lower
    /// indicator).
    Bounds {
        /// The smallest oriented value present in the fitting data, which scores 0: in the
        /// indicator's unit, negated for a lower indicator.
        min: f64,
        /// The largest oriented value present, which scores 1. Equal to `min` for a constant
        /// column: every value then scores 1.
        max: f64,
    },
    /// Bounds of the raw value (band formula).
    RawBounds {
        /// The smallest raw value present in the fitting data, in the indicator's unit.
        min: f64,
        /// The largest raw value present, in the indicator's unit. The band's spread is
        /// max(a − min, max − b).
        max: f64,
    },
    /// Mean and standard deviation of `o(x)`.
    Moments {
        /// Mean of the oriented values of the fitting data.
        mean: f64,
        /// Their sample standard deviation (ddof = 1); 0 when the column has no spread
        /// (constant or a single value): every z-score is then 0.
        sd: f64,
    },
    /// The catalogue's goalposts.
    Goalposts {
        /// L, the lower goalpost, a raw value in the indicator's unit: it scores 0 for a higher
        /// indicator and 1 for a lower one.
        lower: f64,
        /// U, the upper goalpost: it scores 1 for a higher indicator and 0 for a lower one.
        /// (Band and target indicators: the band formula with [L, U] as the range.)
        upper: f64,
    },
    /// The catalogue's standard, as read when fitted.
    Target {
        /// The catalogue-wide standard T, in the indicator's unit; `None` when the catalogue
        /// gives standards only for named units (read from the catalogue when applied; other
        /// units are not scored).
        value: Option<f64>,
    },
    /// The sorted fitting sample of `o(x)`.
    Sample {
        /// The oriented values present in the fitting data, ascending.
        sorted: Vec<f64>,
    },
    /// The denominator of `vector` or `sum`.
    Norm {
        /// √Σx² (vector), Σx (sum, higher) or Σ1/x (sum, lower) over the values present in the
        /// fitting data; not 0 (a zero one is [`Params::Uniform`]).
        norm: f64,
    },
    /// An all-zero column under `vector` or `sum`: every unit is equal.
    Uniform {
        /// The score of every present value: 1/√m (vector) or 1/m (sum), m the number of
        /// values present in the fitting data.
        value: f64,
    },
}

pub(crate) use crate::direction::orient;

pub(crate) fn direction_of(ind: &Criterion<'_>) -> Direction {
    ind.oriented()
}

pub(crate) fn indicator_error(method: &'static str, ind: &Criterion<'_>, message: impl Into<String>) -> Error {
    Error::method(method, Some(Location { indicator: Some(ind.id.to_string()), ..Default::default() }), message)
}

fn scale(r: f64, lo: f64, hi: f64) -> f64 {
    lo + r * (hi - lo)
}

impl Normalize {
    /// The method's snake_case name, as in run specs and on the command line.
    pub fn name(&self) -> &'static str {
        match self {
            Normalize::MinMax { .. } => "min_max",
            Normalize::Band { .. } => "band",
            Normalize::ZScore => "z_score",
            Normalize::Goalposts { .. } => "goalposts",
            Normalize::Target { .. } => "target",
            Normalize::Rank => "rank",
            Normalize::Percentile { .. } => "percentile",
            Normalize::Vector => "vector",
            Normalize::Sum => "sum",
        }
    }

    /// Every method name, one per variant, for help texts and error messages. Each parses
    /// alone (`FromStr`) with default parameters.
    pub const NAMES: &'static [&'static str] =
        &["min_max", "band", "z_score", "goalposts", "target", "rank", "percentile", "vector", "sum"];

    /// Whether `params` are of the kind this method fits (or the empty and uniform ones any
    /// column may leave): parameters of one method are never applied as another's.
    pub fn accepts(&self, params: &Params) -> bool {
        matches!(
            (self, params),
            (_, Params::Empty)
                | (Normalize::MinMax { .. }, Params::Bounds { .. })
                | (Normalize::Band { .. }, Params::RawBounds { .. } | Params::Bounds { .. })
                | (Normalize::ZScore, Params::Moments { .. })
                | (Normalize::Goalposts { .. }, Params::Goalposts { .. })
                | (Normalize::Target { .. }, Params::Target { .. })
                | (Normalize::Rank | Normalize::Percentile { .. }, Params::Sample { .. })
                | (Normalize::Vector | Normalize::Sum, Params::Norm { .. } | Params::Uniform { .. })
        )
    }

    /// The `[lo, hi]` output scale of bounded methods.
    pub fn scale(&self) -> Option<(f64, f64)> {
        match *self {
            Normalize::MinMax { lo, hi }
            | Normalize::Band { lo, hi }
            | Normalize::Goalposts { lo, hi }
            | Normalize::Target { lo, hi }
            | Normalize::Percentile { lo, hi } => Some((lo, hi)),
            _ => None,
        }
    }

    /// Checks the method's own parameters.
    pub fn check(&self) -> Result<()> {
        if let Some((lo, hi)) = self.scale() {
            if !(lo.is_finite() && hi.is_finite() && lo < hi) {
                return Err(Error::Spec(format!("{}: scale [lo, hi] = [{lo}, {hi}] needs lo < hi", self.name())));
            }
        }
        Ok(())
    }

    /// Learns the parameters for `ind` from the values `xs` (missing = `NaN`). Warnings (a
    /// constant column, …) are appended to `warnings`.
    ///
    /// # Errors
    /// [`Error::Method`] naming the indicator when the method cannot apply to it (no goalposts
    /// or standard in the catalogue, negative values under `sum`, a band indicator under
    /// `vector`, …).
    pub fn fit(&self, ind: &Criterion<'_>, xs: &[f64], warnings: &mut Vec<String>) -> Result<Params> {
        if xs.iter().all(|x| x.is_nan()) && !matches!(self, Normalize::Goalposts { .. } | Normalize::Target { .. }) {
            return Ok(Params::Empty);
        }
        let dir = direction_of(ind);
        match self {
            Normalize::MinMax { .. } => Ok(min_max::fit(ind, dir, xs, warnings)),
            Normalize::Band { .. } => Ok(band::fit(ind, dir, xs, warnings)),
            Normalize::ZScore => Ok(z_score::fit(ind, dir, xs, warnings)),
            Normalize::Goalposts { .. } => goalposts::fit(ind),
            Normalize::Target { .. } => target::fit(ind, warnings),
            Normalize::Rank => Ok(rank::fit(dir, xs)),
            Normalize::Percentile { .. } => Ok(percentile::fit(ind, dir, xs, warnings)),
            Normalize::Vector => vector::fit(ind, dir, xs),
            Normalize::Sum => sum::fit(ind, dir, xs),
        }
    }

    /// Applies fitted `params` to a column: value `i` belongs to `unit(i)`. The same numbers as
    /// [`Normalize::apply`] value by value; min-max, the default, runs as one tight loop.
    ///
    /// # Errors
    /// As [`Normalize::apply`], for the first value the method cannot score.
    pub fn apply_column<'u>(
        &self,
        ind: &Criterion<'_>,
        params: &Params,
        xs: &[f64],
        unit: impl Fn(usize) -> &'u str,
    ) -> Result<Vec<f64>> {
        if let (Normalize::MinMax { lo, hi }, &Params::Bounds { min, max }) = (self, params) {
            let dir = direction_of(ind);
            return Ok(xs
                .iter()
                .map(|&x| if x.is_nan() { f64::NAN } else { scale(min_max::apply(dir, min, max, x), *lo, *hi) })
                .collect());
        }
        xs.iter().enumerate().map(|(i, &x)| self.apply(ind, params, unit(i), x)).collect()
    }

    /// Applies fitted `params` to the raw value `x` of `unit` (missing stays missing).
    ///
    /// # Errors
    /// [`Error::Method`] for a value the method cannot score (a negative value under
    /// `target`, a value outside the sum's domain).
    pub fn apply(&self, ind: &Criterion<'_>, params: &Params, unit: &str, x: f64) -> Result<f64> {
        match params {
            _ if x.is_nan() => return Ok(f64::NAN),
            Params::Empty => return Ok(f64::NAN),
            Params::Uniform { value } => return Ok(*value),
            _ => {}
        }
        let dir = direction_of(ind);
        let r = match (self, params) {
            (Normalize::MinMax { .. }, Params::Bounds { min, max }) => min_max::apply(dir, *min, *max, x),
            (Normalize::Band { .. }, Params::RawBounds { min, max }) => band::apply(dir, *min, *max, x),
            (Normalize::Band { .. }, Params::Bounds { min, max }) => min_max::apply(dir, *min, *max, x),
            (Normalize::ZScore, Params::Moments { mean, sd }) => z_score::apply(dir, *mean, *sd, x),
            (Normalize::Goalposts { .. }, Params::Goalposts { lower, upper }) => {
                goalposts::apply(dir, *lower, *upper, x)
            }
            (Normalize::Target { .. }, Params::Target { value }) => {
                let t = ind.standard.as_ref().and_then(|s| s.value_for(unit)).or(*value);
                target::apply(ind, dir, t, unit, x)?
            }
            (Normalize::Rank, Params::Sample { sorted }) => rank::apply(dir, sorted, x),
            (Normalize::Percentile { .. }, Params::Sample { sorted }) => percentile::apply(dir, sorted, x),
            (Normalize::Vector, Params::Norm { norm }) => vector::apply(dir, *norm, x),
            (Normalize::Sum, Params::Norm { norm }) => sum::apply(ind, dir, *norm, unit, x)?,
            (method, params) => {
                return Err(indicator_error(
                    method.name(),
                    ind,
                    format!("fitted parameters {params:?} do not belong to this method"),
                ))
            }
        };
        Ok(match self.scale() {
            Some((lo, hi)) => scale(r, lo, hi),
            None => r,
        })
    }
}
