//! Run configurations and output tables with stable, documented schemas.
//!
//! - [`RunConfig`]: what `citycheck run config.toml` reads: catalogue, data, spec, output.
//! - [`write_outputs`]: the output folder — `scores.csv`, `weights.csv`, `fitted.json`,
//!   `run.json` (or Parquet tables with `format = "parquet"`). Downstream scripts rely on these
//!   file and column names.

mod config;
mod matrix;
mod output;
mod series;

pub use config::{DataConfig, OutputConfig, OutputFormat, RunConfig, EMBEDDED_CONFIG};
pub use matrix::{read_decision_matrix, DecisionMatrix};
pub(crate) use output::write_table;
pub use output::{run, sha256_file, sha256_hex, weights_dataframe, write_outputs, RunOutput, RunReport};
pub use series::{read_series, NamedSeries};
