//! Weights (赋权): how much each child counts within its group.
//!
//! One variant of [`Weight`] per method, one file per method, each written once on a
//! [`Matrix`] (rows = units, columns = the children of one group) and used by the pipeline
//! at every level of the hierarchy. Weights are ≥ 0 and sum to 1.

mod entropy;
mod equal;
mod fixed;

use serde::{Deserialize, Serialize};

use crate::catalog::Direction;
use crate::error::{Error, Result};
use crate::kernels::Matrix;

pub use entropy::{entropy, entropy_normalized};
pub use equal::equal;
pub use fixed::fixed;

fn default_shift() -> f64 {
    1e-4
}

/// The weighting method of one level of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Weight {
    /// 1/n each.
    Equal,
    /// The catalogue's expert weights, normalised to sum 1.
    Fixed,
    /// 熵权法 on the raw values: p = x/Σx (METHODS.md §4).
    Entropy,
    /// 熵权法 as in Chinese city-evaluation practice: direction-aware min-max, + `shift`, p = r/Σr.
    EntropyNormalized {
        #[serde(default = "default_shift")]
        shift: f64,
    },
}

/// What a weighting method may need to know about the columns besides their values.
#[derive(Debug, Clone, Copy)]
pub struct Criteria<'a> {
    /// Column names, for error messages.
    pub names: &'a [String],
    /// Direction of each column (entropy_normalized orients before scaling).
    pub directions: &'a [Direction],
    /// Expert weights from the catalogue (`fixed`).
    pub expert: &'a [Option<f64>],
}

impl Weight {
    /// The method's snake_case name.
    pub fn name(&self) -> &'static str {
        match self {
            Weight::Equal => "equal",
            Weight::Fixed => "fixed",
            Weight::Entropy => "entropy",
            Weight::EntropyNormalized { .. } => "entropy_normalized",
        }
    }

    pub const NAMES: &'static [&'static str] = &["equal", "fixed", "entropy", "entropy_normalized"];

    /// The method with default parameters, by name.
    pub fn from_name(name: &str) -> Result<Weight> {
        toml::from_str(&format!("method = \"{name}\""))
            .map_err(|_| Error::Spec(format!("unknown weight method '{name}'; known: {}", Weight::NAMES.join(", "))))
    }

    /// Whether the weights depend on the data (and so are fitted per scope).
    pub fn is_data_driven(&self) -> bool {
        !matches!(self, Weight::Equal | Weight::Fixed)
    }

    /// Weights of the columns of `x` (missing cells are `NaN`; each data-driven method says
    /// how it treats them). Warnings are appended to `warnings`.
    ///
    /// # Errors
    /// [`Error::Method`] naming the column when the method cannot apply.
    pub fn compute(&self, x: &Matrix, criteria: Criteria<'_>, warnings: &mut Vec<String>) -> Result<Vec<f64>> {
        match self {
            Weight::Equal => Ok(equal(x.cols())),
            Weight::Fixed => fixed(criteria.names, criteria.expert, warnings),
            Weight::Entropy => entropy(x, criteria.names, warnings),
            Weight::EntropyNormalized { shift } => {
                entropy_normalized(x, criteria.directions, *shift, criteria.names, warnings)
            }
        }
    }
}
