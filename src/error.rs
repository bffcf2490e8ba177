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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
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
    UnknownIndicator,
    DuplicateObservation,
    NonNumeric,
    OutOfRange,
    PercentAsFraction,
    MissingYears,
    IgnoredColumn,
    MissingKey,
    InvalidSource,
}

/// One data problem found while reading or validating a panel.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Issue {
    pub kind: IssueKind,
    #[serde(flatten)]
    pub location: Location,
    pub message: String,
}

impl Issue {
    pub fn new(kind: IssueKind, location: Location, message: impl Into<String>) -> Self {
        Issue { kind, location, message: message.into() }
    }

    /// Issues that strict validation refuses. Missing years and ignored columns are facts
    /// about the input, reported but never fatal: real panels have gaps.
    pub fn is_fatal(&self) -> bool {
        !matches!(self.kind, IssueKind::MissingYears | IssueKind::IgnoredColumn)
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// The error type of every fallible citycheck function.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A catalogue file is malformed or inconsistent.
    #[error("catalogue {source_name}{}: {message}", entry.as_ref().map(|e| format!(", entry '{e}'")).unwrap_or_default())]
    Catalog { source_name: String, entry: Option<String>, message: String },

    /// The input data cannot be read as a panel at all (empty file, missing columns, …).
    #[error("{location}: {message}")]
    Data { location: Box<Location>, message: String },

    /// Strict validation found problems; every one is listed.
    #[error("{} data problem(s):\n{}", issues.len(), summarize(issues))]
    Validation { issues: Vec<Issue> },

    /// A run spec or command-line option is invalid.
    #[error("invalid spec: {0}")]
    Spec(String),

    /// A method cannot be applied to this input (negative data under raw entropy, a zero under
    /// geometric aggregation, …).
    #[error("{method}: {}{message}", location.as_ref().map(|l| format!("{l}: ")).unwrap_or_default())]
    Method { method: &'static str, location: Option<Box<Location>>, message: String },

    /// Data, results or parameters that do not belong together: parameters fitted with another
    /// catalogue or on data prepared another way, a validation of another panel, an outcome
    /// of another dataset.
    #[error("mismatch: {0}")]
    Mismatch(String),

    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
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

pub type Result<T, E = Error> = std::result::Result<T, E>;
