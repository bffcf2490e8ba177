//! # citycheck
//!
//! City check-up and evaluation (城市体检评估) from tabular data: an indicator
//! [`Catalog`], a [`Panel`] of observations, and a [`Checkup`] that normalises, weights and
//! aggregates them over the catalogue's hierarchy into [`Scores`].
//!
//! ```
//! # fn main() -> citycheck::Result<()> {
//! use citycheck::{Catalog, Checkup, Dataset, Panel, Spec, ValidationMode};
//! let catalog = Catalog::builtin("ccsy-example")?;
//! let panel = Panel::from_records([
//!     ("沈阳市", 2012, "green_coverage_builtup", 42.2),
//!     ("大连市", 2012, "green_coverage_builtup", 45.0),
//!     ("沈阳市", 2012, "industrial_so2", 95_000.0),
//!     ("大连市", 2012, "industrial_so2", 60_000.0),
//! ]);
//! let validation = panel.validate(&catalog, ValidationMode::Strict)?;
//! let data = Dataset::new(&catalog, &panel, &validation);
//! let outcome = Checkup::new(&catalog, Spec::default())?.run(&data)?;
//! assert_eq!(outcome.scores.get("大连市", 2012, "index"), Some(100.0));
//! # Ok(()) }
//! ```

pub mod aggregate;
pub mod catalog;
pub mod checkup;
pub mod compute;
pub mod diagnose;
pub mod error;
pub mod evaluate;
pub mod io;
pub mod kernels;
pub mod names;
pub mod normalize;
pub mod panel;
#[cfg(feature = "python")]
mod python;
pub mod survey;
pub mod treat;
pub mod trend;
pub mod weight;

pub use catalog::Catalog;
pub use checkup::{Checkup, Dataset, Fitted, Outcome, Scores, Spec};
pub use error::{Error, Issue, Result};
pub use panel::{Panel, ReadOptions, ValidationMode};
