//! # citycheck
//!
//! City check-up and evaluation (城市体检评估) from tabular data: an indicator
//! [`Catalog`], a [`Panel`] of observations, and a [`Checkup`] that normalises, weights and
//! aggregates them over the catalogue's hierarchy into [`Scores`].
//!
//! The flow is catalogue → panel → validation → prepared [`Dataset`] → [`Checkup::fit`] (or
//! [`Fitted::transform`] with parameters fitted earlier) → [`evaluate`](evaluate::evaluate)
//! over the years and [`diagnose`](diagnose::diagnose) one year. [`Pipeline`] runs it all in
//! one call.
//!
//! ```
//! # fn main() -> citycheck::Result<()> {
//! use citycheck::prelude::*;
//! let catalog = Catalog::builtin("ccsy-example")?;
//! // The shipped yearbook extract: 14 Liaoning cities, 2008–2012, compiled in.
//! let options = ReadOptions::default().unit_column("city");
//! let panel = Panel::embedded("cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv", &options)?;
//! let checkup = Checkup::new(catalog, Spec::checkup_default())?;
//! let validation = panel.validate(checkup.catalog(), ValidationMode::Strict)?;
//! // Denominators (per capita, per unit of GDP) and imputation as the spec says.
//! let data = checkup.prepare(&panel, &validation)?;
//! let outcome = checkup.fit(&data)?;
//! let best = &outcome.scores.ranking(2012, "index")[0];
//! println!("{} leads 2012 with {:.4}", best.unit, best.score);
//! assert_eq!(format!("{:.4}", outcome.scores.get("沈阳市", 2012, "index").unwrap()), "92.7210");
//!
//! // Fit on 2008–2011 and score 2012 with those parameters: values beyond the fitted bounds
//! // score above 100, and the warnings say which.
//! let earlier = panel.filter_years(2008..=2011);
//! let fitted = checkup.fit(&checkup.prepare(&earlier, &earlier.validate(checkup.catalog(), ValidationMode::Strict)?)?)?.fitted;
//! let later = fitted.transform(&data)?;
//! assert!(later.warnings.iter().any(|w| w.code == citycheck::WarningCode::BeyondFittedBounds));
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

pub mod aggregate;
pub mod assess;
pub mod audit;
pub mod catalog;
pub mod checkup;
pub mod compute;
pub mod diagnose;
pub mod direction;
pub mod efficiency;
pub mod error;
pub mod evaluate;
pub mod explain;
pub mod io;
pub mod kernels;
pub mod names;
pub mod normalize;
pub mod panel;
pub mod pipeline;
pub mod progress;
pub mod projects;
pub mod recheck;
pub mod report;
pub mod run;
pub mod sensitivity;
pub mod survey;
pub mod treat;
pub mod trend;
pub mod uncertainty;
pub mod weight;

pub use catalog::Catalog;
pub use checkup::{Checkup, Dataset, Fitted, Outcome, Preparation, Ranked, Scores, Spec};
pub use error::{Error, Issue, Result, Warning, WarningCode};
pub use panel::{Panel, ReadOptions, Validation, ValidationMode};
pub use pipeline::{Pipeline, Report};
// Functions live in the value namespace, modules in the type namespace: `citycheck::evaluate(..)`
// is the function and `citycheck::evaluate::EvaluateOptions` the module's type.
pub use diagnose::diagnose;
pub use evaluate::evaluate;
pub use recheck::recheck;

/// The polars version citycheck's tables are made of (`Scores::to_dataframe`,
/// `Panel::from_dataframe`, …): `citycheck::polars::prelude::DataFrame` needs no second,
/// possibly different, polars dependency.
pub use polars;

/// The names most programs use: `use citycheck::prelude::*;`.
pub mod prelude {
    pub use crate::diagnose::{diagnose, DiagnoseOptions, Diagnosis};
    pub use crate::evaluate::{evaluate, EvaluateOptions, Evaluation};
    pub use crate::{
        Catalog, Checkup, Dataset, Error, Fitted, Outcome, Panel, Pipeline, ReadOptions, Report, Result, Scores, Spec,
        Validation, ValidationMode,
    };
}

/// The README's Rust examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
