//! Data treatment (数据处理) before normalisation, METHODS.md §2: imputation of missing cells
//! and the treatment of outlying indicators.
//!
//! The steps follow the JRC/OECD composite-indicator practice as implemented in COINr (the
//! JRC's R package) and its ASEM example: *denominate → impute → treat outliers → normalise →
//! aggregate*.
//!
//! - Denomination is plain division, x / d, with d another column named by the catalogue (no
//!   scale factor: COINr's `denominate` divides and nothing else); the pipeline does it.
//! - [`impute()`] fills the missing cells of a unit-year panel matrix by one [`Imputation`]
//!   method and returns the cells it filled, so that the output can flag them.
//! - [`treat_column`] applies the skewness/kurtosis rule of an [`OutlierRule`] to one indicator:
//!   Winsorisation one point at a time, then a log transform if Winsorisation cannot satisfy
//!   the rule, and says in a [`TreatReport`] what it did.
//! - [`skewness`] and [`kurtosis`] are the sample estimators the rule uses (G1 and G2, as
//!   COINr, e1071 `type = 2`, Excel and pandas).
//!
//! Missing cells are `NaN` throughout: imputation leaves a cell it cannot fill `NaN` (the
//! caller reports it), and outlier treatment ignores `NaN` cells and leaves them `NaN`.
//!
//! # References
//! OECD & JRC (2008), *Handbook on Constructing Composite Indicators: Methodology and User
//! Guide*, OECD Publishing; Becker, Caperna, Del Sorbo, Norlén, Papadimitriou & Saisana (2022),
//! "COINr: An R package for developing composite indicators", JOSS 7(78):4567.

mod impute;
mod moments;
mod outliers;

pub use impute::{impute, Imputation, PanelRows};
pub use moments::{kurtosis, skewness};
pub use outliers::{treat_column, OutlierRule, Transform, TreatReport, Treatment};
