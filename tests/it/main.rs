//! Integration tests of citycheck: one test binary (`cargo test --test it`), one module per
//! topic. Reference numbers are copied into the tests with their source; tolerances live in
//! [`prec`].

mod aggregate;
mod assess;
mod audit;
mod bad_input;
mod bounds;
mod catalogs;
#[cfg(feature = "cli")]
mod cli;
mod coinr;
mod compute;
mod conventions;
#[cfg(feature = "cli")]
mod conventions_coupling;
#[cfg(feature = "cli")]
mod conventions_explain;
mod conventions_grey;
mod conventions_input;
mod conventions_missing;
mod conventions_options;
mod conventions_trend;
mod core;
mod diagnose;
mod efficiency;
mod evaluate;
mod excel;
mod formats;
mod formula_norms;
#[cfg(feature = "cli")]
mod fuzz;
mod golden;
mod hostile;
mod layers;
mod mcda;
mod mcda_weighted;
mod names;
mod normalize;
mod not_applicable;
mod pipeline;
mod plan;
mod prec;
mod progress;
mod projects;
mod properties;
mod provenance;
mod published;
mod recheck;
mod reference_csv;
mod report;
mod survey;
mod template;
mod treat;
mod trend;
mod uncertainty;
mod weights;
