//! The one error type of citycheck.
//!
//! Every failure is an [`Error`] variant with structured fields, so that callers (the command
//! line, the Python package) can say *where* things went wrong — file, row, column, unit, year,
//! indicator — and *what* was expected. Validation problems that lenient mode only reports are
//! [`Issue`]s; strict mode turns them into [`Error::Validation`].

use std::fmt;
use std::path::PathBuf;

/// Where in the input a value or a problem sits. Every field is optional: a message names
/// only what is known.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Location {
    /// Input file, as given by the user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line or sheet row, counting the header as row 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// Column name of the input table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The unit (city, district, …) the value belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The year of the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The indicator's id or name as written in the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(file) = &self.file {
            parts.push(file.clone());
        }
        if let Some(row) = self.row {
            parts.push(format!("row {row}"));
        }
        if let Some(column) = &self.column {
            parts.push(format!("column '{column}'"));
        }
        if let Some(unit) = &self.unit {
            parts.push(format!("unit '{unit}'"));
        }
        if let Some(year) = self.year {
            parts.push(format!("year {year}"));
        }
        if let Some(indicator) = &self.indicator {
            parts.push(format!("indicator '{indicator}'"));
        }
        if parts.is_empty() {
            f.write_str("input")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// What kind of data problem an [`Issue`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IssueKind {
    /// A name that is neither an indicator id nor an alias of the catalogue.
    UnknownIndicator,
    /// A second value for the same unit, year and indicator (or an object id twice in a year).
    DuplicateObservation,
    /// A cell that is not a number: refused by strict validation, read as missing by lenient
    /// validation.
    NonNumeric,
    /// A value outside the indicator's valid range.
    OutOfRange,
    /// Every value of a percentage indicator lies in [0, 1]: fractions written for percents.
    PercentAsFraction,
    /// A unit without data in some of the panel's years (never fatal).
    MissingYears,
    /// A column or record table that is not read (never fatal).
    IgnoredColumn,
    /// Records without a year or an id of a level, or a level without records.
    MissingKey,
    /// A source cell that is not self, third_party or survey; or an object under two parents.
    InvalidSource,
    /// A value given where the catalogue's `not_applicable` rule says the indicator does not
    /// apply to the unit (e.g. a rail-transit indicator of a city without rail); left out.
    NotApplicableValue,
    /// A CSV that is not UTF-8 and was read as GB18030 (GBK) (never fatal).
    Encoding,
    /// A project names a task, unit or problem that is not known (or an object of another
    /// unit), or a status that is none of the known ones.
    UnknownReference,
    /// A project's date that cannot be read, or a `plan_end` before its `plan_start`.
    InvalidSchedule,
}

/// One data problem found while reading or validating a panel.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Issue {
    /// What kind of problem.
    pub kind: IssueKind,
    /// Where it sits; flattened into the issue's JSON.
    #[serde(flatten)]
    pub location: Location,
    /// What is wrong, in words.
    pub message: String,
}

impl Issue {
    /// An issue of `kind` at `location`.
    pub fn new(kind: IssueKind, location: Location, message: impl Into<String>) -> Self {
        Issue { kind, location, message: message.into() }
    }

    /// Issues that strict validation refuses. Missing years and ignored columns are facts
    /// about the input, reported but never fatal: real panels have gaps.
    pub fn is_fatal(&self) -> bool {
        !matches!(self.kind, IssueKind::MissingYears | IssueKind::IgnoredColumn | IssueKind::Encoding)
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Something the user should know about a result that is not an error: a stable `code` to
/// filter and count by, and a message that names what and where.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Warning {
    /// What kind of thing happened; stable across versions.
    pub code: WarningCode,
    /// What happened, naming the indicator, node or year.
    pub message: String,
}

impl Warning {
    /// A warning of kind `code`.
    pub fn new(code: WarningCode, message: impl Into<String>) -> Warning {
        Warning { code, message: message.into() }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The kinds of [`Warning`], written in snake case in run.json (`"code": "imputed"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WarningCode {
    /// Values lost because their denominator is missing or 0 (or has no data at all).
    DenominatorMissing,
    /// Missing cells filled by the spec's imputation (flagged `imputed` in the scores).
    Imputed,
    /// Catalogue indicators without any data, left out of the scoring tree.
    IndicatorsLeftOut,
    /// Outlier treatment changed an indicator (winsorised or log-transformed).
    OutliersTreated,
    /// A normalisation's note: a constant indicator, a standard for some units only, ….
    Normalization,
    /// A weighting method's note: weights rescaled, AHP consistency, no column varies, ….
    Weights,
    /// Values beyond the bounds the parameters were fitted on: scores outside the scale.
    BeyondFittedBounds,
    /// A group or the index has no score for some unit-years (none of its parts has a value,
    /// or one has none under `missing = "empty"`).
    NoScore,
    /// Groups or the index scored for some unit-years over part of their weight: a part has no
    /// value (the `coverage` column of the scores is below 1).
    PartialCoverage,
    /// Parameters fitted per year: scores of different years are not comparable.
    NotComparable,
    /// Scored indicators whose catalogue status is `proposed` (not from an official, confirmed
    /// or local source).
    ProposedIndicators,
    /// Cells marked `not_applicable` in the data or by a catalogue rule: left out of the
    /// scores with their weight renormalised, never imputed, never judged as problems.
    NotApplicable,
}

impl WarningCode {
    /// The code as written in run.json.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::DenominatorMissing => "denominator_missing",
            WarningCode::Imputed => "imputed",
            WarningCode::IndicatorsLeftOut => "indicators_left_out",
            WarningCode::OutliersTreated => "outliers_treated",
            WarningCode::Normalization => "normalization",
            WarningCode::Weights => "weights",
            WarningCode::BeyondFittedBounds => "beyond_fitted_bounds",
            WarningCode::NoScore => "no_score",
            WarningCode::PartialCoverage => "partial_coverage",
            WarningCode::NotComparable => "not_comparable",
            WarningCode::ProposedIndicators => "proposed_indicators",
            WarningCode::NotApplicable => "not_applicable",
        }
    }
}

/// The error type of every fallible citycheck function.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A catalogue file is malformed or inconsistent.
    #[error("catalogue {source_name}{}: {message}", entry.as_ref().map(|e| format!(", entry '{e}'")).unwrap_or_default())]
    Catalog {
        /// The file path, or `builtin:` + id for a compiled-in catalogue.
        source_name: String,
        /// The id of the offending group, indicator or judgement, when one is to blame.
        entry: Option<String>,
        /// What is wrong.
        message: String,
    },

    /// The input data cannot be read as a panel at all (empty file, missing columns, …).
    #[error("{location}: {message}")]
    Data {
        /// Where.
        location: Box<Location>,
        /// What is wrong.
        message: String,
    },

    /// Strict validation found problems; every one is listed.
    #[error("{} data problem(s):\n{}", issues.len(), summarize(issues))]
    Validation {
        /// The data problems found, each with its place.
        issues: Vec<Issue>,
    },

    /// A run spec, a method parameter or an option is invalid.
    #[error("invalid spec: {0}")]
    Spec(String),

    /// A name that is none of the known ones (a method, a mode, a table): every known name is
    /// listed, and the closest one suggested when one is close.
    #[error("{message}")]
    UnknownName {
        /// What kind of thing was named ("normalisation", "weight method", …).
        kind: String,
        /// The name given.
        name: String,
        /// The closest known name, when one is close enough.
        suggestion: Option<String>,
        /// Every known name.
        known: Vec<String>,
        /// The whole message: the name, the suggestion and the known names.
        message: String,
    },

    /// Sizes that do not fit together: a matrix's rows and columns, weights or directions for
    /// its columns.
    #[error("{0}")]
    Shape(String),

    /// Something the data do not have: a year asked for, a reference year, any unit-year.
    #[error("{0}")]
    NotInData(String),

    /// A method cannot be applied to this input (negative data under raw entropy, a zero under
    /// geometric aggregation, …).
    #[error("{method}: {}{message}", location.as_ref().map(|l| format!("{l}: ")).unwrap_or_default())]
    Method {
        /// The method's name (`entropy`, `geometric`, …).
        method: &'static str,
        /// Where, when the method knows.
        location: Option<Box<Location>>,
        /// What is wrong.
        message: String,
    },

    /// Data, results or parameters that do not belong together: parameters fitted with another
    /// catalogue or on data prepared another way, a validation of another panel, an outcome
    /// of another dataset.
    #[error("mismatch: {0}")]
    Mismatch(String),

    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
}

fn summarize(issues: &[Issue]) -> String {
    const SHOWN: usize = 20;
    let mut lines: Vec<String> = issues.iter().take(SHOWN).map(|i| format!("  - {i}")).collect();
    if issues.len() > SHOWN {
        lines.push(format!("  … and {} more", issues.len() - SHOWN));
    }
    lines.join("\n")
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    pub(crate) fn data(location: Location, message: impl Into<String>) -> Self {
        Error::Data { location: Box::new(location), message: message.into() }
    }

    pub(crate) fn method(method: &'static str, location: Option<Location>, message: impl Into<String>) -> Self {
        Error::Method { method, location: location.map(Box::new), message: message.into() }
    }

    /// A method error located at `unit` and `indicator` when it names neither; other errors
    /// unchanged.
    pub(crate) fn at_unit(self, unit: &str, indicator: &str) -> Self {
        match self {
            Error::Method { method, location, message } => {
                let mut location = location.unwrap_or_default();
                location.unit.get_or_insert_with(|| unit.to_string());
                location.indicator.get_or_insert_with(|| indicator.to_string());
                Error::Method { method, location: Some(location), message }
            }
            other => other,
        }
    }
}

/// A computed number as a message shows it: at most 10 significant digits, trailing zeros
/// trimmed, in exponent form below 1e-5 or from 1e15 on; so a sum of weights reads `0.9`, not
/// `0.8999999999999999`. A value that is not finite (an overflow, `0/0`) reads "not
/// representable", never `inf` or `NaN`. Values read from an input are shown as written
/// (`{x}`), not through this.
///
/// # Examples
/// ```
/// use citycheck::error::shown_number;
/// assert_eq!(shown_number(0.1 + 0.2 + 0.3 + 0.3), "0.9");
/// assert_eq!(shown_number(1234.5), "1234.5");
/// assert_eq!(shown_number(-2.0 / 3.0), "-0.6666666667");
/// assert_eq!(shown_number(3e-12), "3e-12");
/// assert_eq!(shown_number(f64::MAX), "1.797693135e308");
/// assert_eq!(shown_number(0.0), "0");
/// assert_eq!(shown_number(f64::INFINITY), "not representable (too large)");
/// assert_eq!(shown_number(f64::NAN), "not representable");
/// ```
pub fn shown_number(x: f64) -> String {
    if x.is_nan() {
        return "not representable".to_string();
    }
    if x.is_infinite() {
        let sign = if x > 0.0 { "" } else { ", negative" };
        return format!("not representable (too large{sign})");
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let trim = |text: &str| -> String {
        if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            text.to_string()
        }
    };
    let exponent = x.abs().log10().floor();
    if (-5.0..15.0).contains(&exponent) {
        let decimals = (9.0 - exponent).max(0.0) as usize;
        trim(&format!("{x:.decimals$}"))
    } else {
        let text = format!("{x:.9e}");
        match text.split_once('e') {
            Some((mantissa, power)) => format!("{}e{power}", trim(mantissa)),
            None => text,
        }
    }
}

/// A computed number rounded to `decimals` places for a message or a note, as `{x:.3}` would
/// show it, but never a 300-digit number or `inf`: from 1e15 on, and for a value that is not
/// finite, as [`shown_number`] shows it.
///
/// # Examples
/// ```
/// use citycheck::error::shown_fixed;
/// assert_eq!(shown_fixed(2.0 / 3.0, 3), "0.667");
/// assert_eq!(shown_fixed(1e300, 4), "1e300");
/// assert_eq!(shown_fixed(f64::NAN, 2), "not representable");
/// ```
pub fn shown_fixed(x: f64, decimals: usize) -> String {
    if x.is_finite() && x.abs() < 1e15 {
        format!("{x:.decimals$}")
    } else {
        shown_number(x)
    }
}

/// `Result` with citycheck's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
