//! Aggregation (合成): the scores of a group's children → the group's score.
//!
//! One variant of [`Aggregate`] per method, one file per method, written once on a matrix
//! view ([`ArrayView2`](crate::kernels::ArrayView2), rows = units, columns = children) and
//! used by the pipeline at every level.

mod arithmetic;
mod geometric;
mod grey_relational;
mod harmonic;
mod topsis;
mod vikor;
mod weighted_product;
mod weighted_sum;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};
use crate::kernels::{column, columns, ArrayView2, Axis};
use crate::names::Naming;

pub use arithmetic::arithmetic;
pub use geometric::geometric;
pub(crate) use geometric::geometric_of_logs;
pub use grey_relational::{grey_relational, grey_relational_with, GreyNormalization};
pub use harmonic::harmonic;
pub use topsis::{topsis, TopsisNormalization};
pub use vikor::{vikor, VikorResult};
pub use weighted_product::weighted_product;
pub use weighted_sum::{weighted_sum, WeightedSumNormalization};

use crate::direction::Direction;

fn default_rho() -> f64 {
    0.5
}

fn default_v() -> f64 {
    0.5
}

/// What aggregation does with a missing child score (METHODS.md §5). Whatever the policy, the
/// check-up's scores say per unit-year and node how much of the node's weight rests on values
/// present (the `coverage` column of scores.csv).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    /// Aggregate the children present, their weights rescaled to sum 1 (default). A unit with
    /// no child present has no score (missing, with a warning).
    #[default]
    Renormalize,
    /// A unit with a missing child gets no score for the node (and so none for the groups
    /// above it); the other units are scored as if it were not there (the distance-based
    /// methods normalise over the complete units only).
    Empty,
    /// Any missing child score is an error naming the unit and the child.
    Error,
}

impl MissingPolicy {
    /// The policy's name, as in TOML (`missing = "empty"`) and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            MissingPolicy::Renormalize => "renormalize",
            MissingPolicy::Empty => "empty",
            MissingPolicy::Error => "error",
        }
    }
}

/// The aggregation method of one level of a run.
///
/// Named by [`Aggregate::NAMES`]: `"topsis".parse::<Aggregate>()` is the method with default
/// parameters and `Display` writes the name. In a run spec it is a table,
/// `{ method = "grey_relational", rho = 0.5 }`; an unknown name is answered with the closest
/// known one ([`crate::names`]).
// `remote = "Self"`: serde derives the variants into inherent functions, which the
// `Serialize` and `Deserialize` impls of `named_method!` call after checking the name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", tag = "method", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Aggregate {
    /// U = Σ w r.
    Arithmetic,
    /// U = Π r^w (r > 0).
    Geometric,
    /// U = Σ w / Σ (w / r) (r > 0).
    Harmonic,
    /// TOPSIS closeness C = D−/(D+ + D−) (vector normalisation by default).
    Topsis {
        /// How each column is normalised before the distances: `vector` (x/√Σx², default;
        /// not for band or target directions) or `min_max` of the oriented value.
        #[serde(default)]
        normalize: TopsisNormalization,
    },
    /// Grey relational grade γ = Σ w ξ, distinguishing coefficient ρ (default 0.5).
    GreyRelational {
        /// The distinguishing coefficient ρ, in (0, 1] (default 0.5): a smaller ρ spreads the
        /// grey relational coefficients further apart.
        #[serde(default = "default_rho")]
        rho: f64,
        /// How each column is made dimensionless: `min_max` (default), `initial_value`
        /// (初值化) or `mean_value` (均值化) ([`GreyNormalization`]).
        #[serde(default)]
        normalize: GreyNormalization,
    },
    /// VIKOR with weight v of the group utility (default 0.5). In a check-up hierarchy the
    /// node's score is 1 − Q, so that higher is better at every level; `vikor` itself
    /// reports S, R and Q.
    Vikor {
        /// Weight of the group utility S against the individual regret R in Q, in [0, 1]
        /// (default 0.5, consensus; 1 = majority rule only, 0 = veto only).
        #[serde(default = "default_v")]
        v: f64,
    },
    /// Weighted sum model (WSM, 线性加权和法) of the children's scores normalised again within
    /// the group, by min-max (default) or sum: P = Σ w r on [0, 1] (weights summing to 1).
    WeightedSum {
        /// How the children's scores are normalised within the group: `min_max` of the
        /// oriented value (default) or `sum` (x/Σx; not for band or target directions).
        #[serde(default)]
        normalize: WeightedSumNormalization,
    },
    /// Weighted product model (WPM, 加权积法): P = Π r^w with r = x/Σx, on (0, 1]; needs
    /// scores > 0 (a 0 would veto the node).
    WeightedProduct,
}

crate::names::named_method!(
    Aggregate,
    Naming { kind: "aggregation", tag: Some("method"), names: Aggregate::NAMES, parameterised: &[] }
);

/// Row and column names of an aggregation, for error messages only: they never change a
/// number. Empty slices (or a name missing past the end) leave the unit or column unnamed in
/// a message, or named by its position.
#[derive(Debug, Clone, Copy)]
pub struct Labels<'a> {
    /// The name of each row: the units (alternatives), in the matrix's row order.
    pub rows: &'a [String],
    /// The name of each column: the indicators or child groups (criteria), in column order.
    pub columns: &'a [String],
    /// The year the matrix belongs to, named in the messages; `None` for a matrix of no one
    /// year (the whole panel, or a decision matrix outside a run).
    pub year: Option<i32>,
}

impl Labels<'_> {
    pub(crate) fn locate(&self, i: usize, j: usize) -> Location {
        Location {
            unit: self.rows.get(i).cloned(),
            indicator: self.columns.get(j).cloned(),
            year: self.year,
            ..Default::default()
        }
    }
}

impl Aggregate {
    /// The method's snake_case name, as in run specs and on the command line.
    pub fn name(&self) -> &'static str {
        match self {
            Aggregate::Arithmetic => "arithmetic",
            Aggregate::Geometric => "geometric",
            Aggregate::Harmonic => "harmonic",
            Aggregate::Topsis { .. } => "topsis",
            Aggregate::GreyRelational { .. } => "grey_relational",
            Aggregate::Vikor { .. } => "vikor",
            Aggregate::WeightedSum { .. } => "weighted_sum",
            Aggregate::WeightedProduct => "weighted_product",
        }
    }

    /// Every method name, one per variant, for help texts and error messages. Each parses
    /// alone (`FromStr`) with default parameters.
    pub const NAMES: &'static [&'static str] = &[
        "arithmetic",
        "geometric",
        "harmonic",
        "topsis",
        "grey_relational",
        "vikor",
        "weighted_sum",
        "weighted_product",
    ];

    /// The range of the scores this method gives a node whose children score on `children`
    /// (one `(lo, hi)` per child): the weighted means stay within their children's range;
    /// TOPSIS closeness, grey relational grades, VIKOR's 1 − Q and the weighted sum and product
    /// models (with weights summing to 1) lie on [0, 1] whatever the children's scale. The diagnosis reads a group's score on [0, 1] through it.
    pub fn output_scale(&self, children: &[(f64, f64)]) -> (f64, f64) {
        match self {
            Aggregate::Arithmetic | Aggregate::Geometric | Aggregate::Harmonic => {
                children.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &(l, h)| (lo.min(l), hi.max(h)))
            }
            Aggregate::Topsis { .. }
            | Aggregate::GreyRelational { .. }
            | Aggregate::Vikor { .. }
            | Aggregate::WeightedSum { .. }
            | Aggregate::WeightedProduct => (0.0, 1.0),
        }
    }

    /// One score per row of `x` from the columns weighted by `w`, every column higher-is-better
    /// (child scores). For the weighted means a row with no value present scores `NaN`
    /// (missing); TOPSIS, grey relational, VIKOR and the weighted sum and product models
    /// normalise whole columns and refuse missing cells (impute first, or choose
    /// [`MissingPolicy::Empty`]). Under [`MissingPolicy::Empty`] a row with a missing cell
    /// scores `NaN` and the other rows are scored alone.
    ///
    /// # Errors
    /// [`Error::Method`] naming the unit and child when a value is out of the method's domain,
    /// missing under [`MissingPolicy::Error`], or missing under a distance-based method.
    pub fn apply(
        &self,
        x: ArrayView2<'_, f64>,
        w: &[f64],
        missing: MissingPolicy,
        labels: Labels<'_>,
    ) -> Result<Vec<f64>> {
        self.apply_except(x, w, missing, labels, |_, _| false)
    }

    /// [`Aggregate::apply`] with the cells for which `absent_by_design(row, column)` holds
    /// (not applicable) left out whatever the policy: never refused, never emptying a row.
    pub(crate) fn apply_except(
        &self,
        x: ArrayView2<'_, f64>,
        w: &[f64],
        missing: MissingPolicy,
        labels: Labels<'_>,
        absent_by_design: impl Fn(usize, usize) -> bool,
    ) -> Result<Vec<f64>> {
        check_weights(x, w)?;
        match missing {
            MissingPolicy::Renormalize => self.apply_present(x, w, labels),
            MissingPolicy::Error => {
                refuse_missing(x, labels, &absent_by_design)?;
                self.apply_present(x, w, labels)
            }
            MissingPolicy::Empty => {
                let complete: Vec<usize> = (0..x.nrows())
                    .filter(|&i| (0..x.ncols()).all(|j| !x[[i, j]].is_nan() || absent_by_design(i, j)))
                    .collect();
                if complete.len() == x.nrows() {
                    return self.apply_present(x, w, labels);
                }
                let mut out = vec![f64::NAN; x.nrows()];
                if complete.is_empty() {
                    return Ok(out);
                }
                let kept = x.select(Axis(0), &complete);
                let names: Vec<String> = if labels.rows.is_empty() {
                    Vec::new()
                } else {
                    complete.iter().map(|&i| labels.rows.get(i).cloned().unwrap_or_default()).collect()
                };
                let scored = self.apply_present(kept.view(), w, Labels { rows: &names, ..labels })?;
                for (&i, v) in complete.iter().zip(scored) {
                    out[i] = v;
                }
                Ok(out)
            }
        }
    }

    /// The method on `x` as it is: missing cells left to the method (renormalised by the
    /// weighted means, refused by the distance-based methods).
    fn apply_present(&self, x: ArrayView2<'_, f64>, w: &[f64], labels: Labels<'_>) -> Result<Vec<f64>> {
        match self {
            Aggregate::Arithmetic => Ok(arithmetic(x, w)),
            Aggregate::Geometric => geometric(x, w, labels),
            Aggregate::Harmonic => harmonic(x, w, labels),
            Aggregate::Topsis { normalize } => topsis(x, w, &vec![Direction::Higher; x.ncols()], *normalize, labels),
            Aggregate::GreyRelational { rho, normalize } => {
                grey_relational_with(x, w, &vec![Direction::Higher; x.ncols()], *rho, *normalize, labels)
            }
            Aggregate::Vikor { v } => {
                let result = vikor(x, w, &vec![Direction::Higher; x.ncols()], *v, labels)?;
                Ok(result.q.into_iter().map(|q| 1.0 - q).collect())
            }
            Aggregate::WeightedSum { normalize } => {
                weighted_sum(x, w, &vec![Direction::Higher; x.ncols()], *normalize, labels)
            }
            Aggregate::WeightedProduct => weighted_product(x, w, &vec![Direction::Higher; x.ncols()], labels),
        }
    }
}

/// The error of [`MissingPolicy::Error`] at the first missing cell of `x`, cells for which
/// `absent_by_design(row, column)` holds excepted (not applicable: left out, not missing).
pub(crate) fn refuse_missing(
    x: ArrayView2<'_, f64>,
    labels: Labels<'_>,
    absent_by_design: impl Fn(usize, usize) -> bool,
) -> Result<()> {
    for j in 0..x.ncols() {
        if let Some(i) = column(x, j).iter().enumerate().position(|(i, v)| v.is_nan() && !absent_by_design(i, j)) {
            return Err(Error::method(
                "missing = \"error\"",
                Some(labels.locate(i, j)),
                "value missing; choose missing = \"renormalize\" or \"empty\", or an imputation, to score it",
            ));
        }
    }
    Ok(())
}

/// One finite weight ≥ 0 per column.
pub(crate) fn check_weights(x: ArrayView2<'_, f64>, w: &[f64]) -> Result<()> {
    if w.len() != x.ncols() {
        return Err(Error::Shape(format!("{} weights for {} columns", w.len(), x.ncols())));
    }
    if let Some(bad) = w.iter().find(|v| !v.is_finite() || **v < 0.0) {
        return Err(Error::Spec(format!("weight {bad} is not a finite number >= 0")));
    }
    Ok(())
}

/// Accumulates Σ w f(r) and Σ w over the present cells of each row, column by column
/// (contiguous memory), for the weighted-mean family of aggregations.
pub(crate) fn weighted_row_sums(x: ArrayView2<'_, f64>, w: &[f64], f: impl Fn(f64) -> f64) -> (Vec<f64>, Vec<f64>) {
    let mut num = vec![0.0; x.nrows()];
    let mut den = vec![0.0; x.nrows()];
    for (j, col) in columns(x).enumerate() {
        let wj = w[j];
        if wj == 0.0 {
            continue;
        }
        for (i, &r) in col.iter().enumerate() {
            if !r.is_nan() {
                num[i] += wj * f(r);
                den[i] += wj;
            }
        }
    }
    (num, den)
}

/// Checks that every present cell is > 0 (geometric and harmonic means).
pub(crate) fn require_positive(method: &'static str, x: ArrayView2<'_, f64>, labels: Labels<'_>) -> Result<()> {
    for (j, col) in columns(x).enumerate() {
        if let Some(i) = col.iter().position(|&r| r <= 0.0) {
            return Err(Error::method(
                method,
                Some(labels.locate(i, j)),
                format!(
                    "needs scores > 0, found {}; normalise to a scale with lo > 0 (e.g. min_max with lo = 1)",
                    col[i]
                ),
            ));
        }
    }
    Ok(())
}
