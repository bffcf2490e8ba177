//! Weights (赋权): how much each child counts within its group.
//!
//! One variant of [`Weight`] per method, one file per method, each written once on a
//! matrix view ([`ArrayView2`], rows = units, columns = the children of one group) and used by the pipeline
//! at every level of the hierarchy. Weights are ≥ 0 and sum to 1.

mod ahp;
mod combined;
mod critic;
mod cv;
mod deviation_max;
mod entropy;
mod equal;
mod fixed;
mod objective;
mod pca;
// `std` would shadow the standard library's name inside this module.
#[path = "std.rs"]
mod std_dev;

use serde::{Deserialize, Serialize};

use crate::direction::Direction;
use crate::error::{Error, Result};
use crate::kernels::{self, ArrayView2};
use crate::names::Naming;

pub use crate::kernels::judgement::parse_judgement;
pub use ahp::{ahp, ahp_within, AhpMethod, AhpResult, RandomIndex, DONEGAN_DODD_RI, SAATY_RI};
pub use combined::{combine, Combination};
pub use critic::critic;
pub use cv::cv;
pub use deviation_max::deviation_max;
pub use entropy::{entropy, entropy_normalized, entropy_rescaled};
pub use equal::equal;
pub use fixed::fixed;
pub use pca::pca;
pub use std_dev::std;

fn default_shift() -> f64 {
    entropy::DEFAULT_SHIFT
}

fn default_reciprocal_tolerance() -> f64 {
    crate::kernels::linalg::RECIPROCITY_TOL
}

fn is_default_reciprocal_tolerance(t: &f64) -> bool {
    *t == crate::kernels::linalg::RECIPROCITY_TOL
}

/// The weighting method of one level of a run.
///
/// Named by [`Weight::NAMES`]: `"entropy".parse::<Weight>()` is the method with default
/// parameters (`combined`, which needs its parts, is refused) and `Display` writes the name.
/// In a run spec it is a table, `{ method = "entropy_normalized", shift = 1e-4 }`; an unknown
/// name is answered with the closest known one ([`crate::names`]).
// `remote = "Self"`: serde derives the variants into inherent functions, which the
// `Serialize` and `Deserialize` impls of `named_method!` call after checking the name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", tag = "method", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Weight {
    /// 1/n each.
    Equal,
    /// The catalogue's expert weights, normalised to sum 1 with a warning when they do not
    /// (an error with `strict = true`).
    Fixed {
        /// Refuse expert weights whose sum is off 1 by more than 1e-9 instead of rescaling
        /// them (default `false`: rescale, with a warning).
        #[serde(default)]
        strict: bool,
    },
    /// 熵权法 on the raw values: p = x/Σx (METHODS.md §4).
    Entropy,
    /// 熵权法 as in Chinese city-evaluation practice: direction-aware min-max, + `shift`, p = r/Σr.
    EntropyNormalized {
        /// Added to every min-max score r ∈ [0, 1] of a varying column before p = r/Σr, so
        /// that the worst unit's p is not 0; finite and ≥ 0 (default 1e-4).
        #[serde(default = "default_shift")]
        shift: f64,
        /// Map the min-max scores to `[lo, hi]` instead of shifting them (R scripts use
        /// `[0.002, 0.996]`); the shift is then 0 or left at its default, and not applied
        /// (default: none).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rescale: Option<[f64; 2]>,
    },
    /// CRITIC (Diakoulaki et al. 1995): contrast × conflict.
    Critic,
    /// 变异系数法: sd/|mean| of the raw values.
    Cv,
    /// sd of the scores (weighs the matrix it is given: in a run, the normalised scores).
    Std,
    /// Loadings of the principal components with eigenvalue > 1 (OECD handbook, unrotated).
    Pca,
    /// 离差最大化: Σ_i Σ_k |r_ij − r_kj| of the scores.
    DeviationMax,
    /// 层次分析法: the principal eigenvector (or another derivation) of the catalogue's judgement
    /// matrix for the node. An inconsistent matrix (CR ≥ 0.1) is a warning, or an error with
    /// `strict = true`.
    Ahp {
        /// How the weights are derived from the judgement matrix (default: the principal
        /// eigenvector).
        #[serde(default)]
        derivation: AhpMethod,
        /// Refuse an inconsistent judgement matrix (CR ≥ 0.1) instead of warning (default
        /// `false`).
        #[serde(default)]
        strict: bool,
        /// The random-index table of CR = CI/RI(n) (default `"saaty1980"`, Saaty 1980;
        /// `"donegan_dodd"`, Donegan & Dodd 1991; or a list `[RI(1), RI(2), …]` as a paper
        /// prints it).
        #[serde(default, skip_serializing_if = "RandomIndex::is_default")]
        random_index: RandomIndex,
        /// |a_ij · a_ji − 1| allowed for a reciprocal pair (default 0.005: three-decimal
        /// reciprocals such as 0.333; 0.01 accepts 0.33 for 1/3).
        #[serde(default = "default_reciprocal_tolerance", skip_serializing_if = "is_default_reciprocal_tolerance")]
        reciprocal_tolerance: f64,
    },
    /// 组合赋权: two or more weight sets over the same children, combined by a rule.
    Combined {
        /// The rule that combines the sets.
        combination: Combination,
        /// The two or more methods whose weight sets are combined, each computed on the same
        /// columns; in this order (`linear`'s α weighs the first).
        of: Vec<Weight>,
    },
}

/// An AHP pairwise comparison matrix over named criteria: `matrix[i][j]` compares
/// `order[i]` with `order[j]` (the catalogue's `[[judgements]]`).
#[derive(Debug, Clone, Copy)]
pub struct Pairwise<'a> {
    /// The node the criteria belong to, for messages.
    pub node: &'a str,
    /// The criteria, in the order of the rows and columns.
    pub order: &'a [String],
    /// The judgements.
    pub matrix: &'a [Vec<f64>],
}

crate::names::named_method!(
    Weight,
    Naming {
        kind: "weight method",
        tag: Some("method"),
        names: Weight::NAMES,
        parameterised: &[(
            "combined",
            r#"{ method = "combined", combination = { rule = "game_theory" }, of = [{ method = "entropy" }, { method = "critic" }] }"#,
        )],
    }
);

/// What a weighting method may need to know about the columns besides their values.
#[derive(Debug, Clone, Copy)]
pub struct Criteria<'a> {
    /// Column names, for error messages.
    pub names: &'a [String],
    /// Direction of each column (entropy_normalized orients before scaling).
    pub directions: &'a [Direction],
    /// Expert weights from the catalogue (`fixed`).
    pub expert: &'a [Option<f64>],
    /// The pairwise judgement matrix of the node these columns belong to (`ahp`).
    pub judgement: Option<Pairwise<'a>>,
}

impl Weight {
    /// The method's snake_case name.
    pub fn name(&self) -> &'static str {
        match self {
            Weight::Equal => "equal",
            Weight::Fixed { .. } => "fixed",
            Weight::Entropy => "entropy",
            Weight::EntropyNormalized { .. } => "entropy_normalized",
            Weight::Critic => "critic",
            Weight::Cv => "cv",
            Weight::Std => "std",
            Weight::Pca => "pca",
            Weight::DeviationMax => "deviation_max",
            Weight::Ahp { .. } => "ahp",
            Weight::Combined { .. } => "combined",
        }
    }

    /// Every method name, one per variant, for help texts and error messages. All but
    /// `combined` (see [`Weight::NEEDS_PARAMETERS`]) parse alone with default parameters.
    pub const NAMES: &'static [&'static str] = &[
        "equal",
        "fixed",
        "entropy",
        "entropy_normalized",
        "critic",
        "cv",
        "std",
        "pca",
        "deviation_max",
        "ahp",
        "combined",
    ];

    /// The names of [`Weight::NAMES`] that need parameters without defaults and so do not
    /// parse alone: `combined` needs its rule and its parts.
    pub const NEEDS_PARAMETERS: &'static [&'static str] = &["combined"];

    /// Whether the weights depend on the data (and so are fitted per scope).
    pub fn is_data_driven(&self) -> bool {
        match self {
            Weight::Equal | Weight::Fixed { .. } | Weight::Ahp { .. } => false,
            Weight::Combined { of, .. } => of.iter().any(Weight::is_data_driven),
            _ => true,
        }
    }

    /// Whether the method weighs the scores (normalised values) rather than the raw values:
    /// `std` and `deviation_max` measure spreads, which are only comparable across columns on
    /// one scale. The others read raw values (entropy, CV and CRITIC are scale-free or scale
    /// the columns themselves; PCA standardises them).
    pub fn reads_scores(&self) -> bool {
        matches!(self, Weight::Std | Weight::DeviationMax)
    }

    /// Weights of the columns: `raw` holds the raw values and `scores` the normalised ones
    /// (the same matrix for a plain decision matrix, or above the indicator level); each
    /// method reads the one [`Weight::reads_scores`] says. Missing cells are `NaN`: the
    /// entropy variants leave them out column by column, the other data-driven methods refuse
    /// them (impute first). Warnings are appended to `warnings`.
    ///
    /// # Errors
    /// [`Error::Method`] naming the column when the method cannot apply.
    pub fn compute(
        &self,
        raw: ArrayView2<'_, f64>,
        scores: ArrayView2<'_, f64>,
        criteria: Criteria<'_>,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<f64>> {
        let names = criteria.names;
        match self {
            Weight::Equal => Ok(equal(raw.ncols())),
            Weight::Fixed { strict } => fixed(names, criteria.expert, *strict, warnings),
            Weight::Entropy => entropy(raw, names, warnings),
            Weight::EntropyNormalized { shift, rescale } => {
                entropy_rescaled(raw, criteria.directions, *shift, *rescale, names, warnings)
            }
            Weight::Critic => critic(raw, names, warnings),
            Weight::Cv => cv(raw, names, warnings),
            Weight::Std => std(scores, names, warnings),
            Weight::Pca => pca(raw, names, warnings),
            Weight::DeviationMax => deviation_max(scores, names, warnings),
            Weight::Ahp { derivation, strict, random_index, reciprocal_tolerance } => ahp_from_judgement(
                criteria,
                AhpChoices { derivation: *derivation, random_index, reciprocal_tolerance: *reciprocal_tolerance },
                *strict,
                warnings,
            ),
            Weight::Combined { combination, of } => {
                if of.len() < 2 {
                    return Err(Error::Spec("combined weights need two or more methods in `of`".into()));
                }
                let sets =
                    of.iter().map(|w| w.compute(raw, scores, criteria, warnings)).collect::<Result<Vec<Vec<f64>>>>()?;
                combine(&sets, combination)
            }
        }
    }
}

/// The parameters of `{ method = "ahp" }` that shape the computation.
struct AhpChoices<'a> {
    derivation: AhpMethod,
    random_index: &'a RandomIndex,
    reciprocal_tolerance: f64,
}

/// AHP weights of the columns `criteria.names` from the judgement matrix: the rows and columns
/// of the children present (a pruned tree may have fewer than the catalogue lists).
fn ahp_from_judgement(
    criteria: Criteria<'_>,
    choices: AhpChoices<'_>,
    strict: bool,
    warnings: &mut Vec<String>,
) -> Result<Vec<f64>> {
    // A node with one child needs no judgement.
    if criteria.names.len() == 1 {
        return Ok(vec![1.0]);
    }
    let judgement = criteria.judgement.ok_or_else(|| {
        Error::method(
            "ahp",
            None,
            format!("no judgement matrix in the catalogue for the node of {}", criteria.names.join(", ")),
        )
    })?;
    let positions: Vec<usize> = criteria
        .names
        .iter()
        .map(|n| {
            judgement.order.iter().position(|o| o == n).ok_or_else(|| {
                Error::method("ahp", None, format!("'{n}' is not in the judgement matrix of '{}'", judgement.node))
            })
        })
        .collect::<Result<_>>()?;
    let rows: Vec<Vec<f64>> =
        positions.iter().map(|&i| positions.iter().map(|&j| judgement.matrix[i][j]).collect()).collect();
    let AhpChoices { derivation, random_index, reciprocal_tolerance } = choices;
    let result = ahp_within(kernels::from_rows(&rows)?.view(), derivation, random_index.table(), reciprocal_tolerance)?;
    let cr = result.cr.map_or("undefined (n ≤ 2)".to_string(), |c| crate::error::shown_fixed(c, 4));
    let summary = format!(
        "AHP ({}) for '{}': lambda_max {:.4}, CI {:.4}, CR {cr}",
        derivation.name(),
        judgement.node,
        result.lambda_max,
        result.ci
    );
    if !result.consistent {
        if strict {
            return Err(Error::method(
                "ahp",
                None,
                format!("{summary}: inconsistent (CR >= 0.1); revise the judgements"),
            ));
        }
        warnings.push(format!("{summary}: inconsistent (CR >= 0.1); revise the judgements"));
    } else {
        warnings.push(format!("{summary}: consistent"));
    }
    Ok(result.weights)
}
