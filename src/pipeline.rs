//! The whole flow of a check-up in one call, with nothing written to disk: validate → prepare
//! → fit and score → (evaluate) → (diagnose).
//!
//! [`Pipeline`] is what `citycheck run` does with a panel, for programs that want the results
//! as values: the check-up, and optionally the five-year evaluation and one year's diagnosis.
//! The diagnosis raises problems with a worsening trend whenever the pipeline evaluates (as a
//! run config with an `[evaluate]` table does) or its options ask for trends.

use std::sync::Arc;

use crate::catalog::Catalog;
use crate::checkup::{Checkup, Dataset, Outcome, Spec};
use crate::diagnose::{diagnose_with, DiagnoseOptions, Diagnosis, TaskCatalog};
use crate::error::Result;
use crate::evaluate::{evaluate, worsening, EvaluateOptions, Evaluation, DEFAULT_ALPHA};
use crate::panel::{Panel, Validation, ValidationMode};

/// A configured check-up flow: a catalogue and a spec, the validation mode, and the optional
/// evaluation and diagnosis. Cheap to clone and `Send + Sync`: one pipeline can score many
/// panels, on many threads.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::prelude::*;
/// let catalog = Catalog::builtin("ccsy-example")?;
/// let options = ReadOptions::default().unit_column("city");
/// let panel = Panel::embedded("cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv", &options)?;
/// let report = Pipeline::new(catalog, Spec::checkup_default())?
///     .evaluate(EvaluateOptions::default())
///     .diagnose(DiagnoseOptions::default())
///     .run(&panel)?;
/// // The embedded default run's numbers (tests/it/cli.rs checks the command line gives them).
/// let shenyang = report.outcome.scores.get("沈阳市", 2012, "index").unwrap();
/// assert_eq!(format!("{shenyang:.4}"), "92.7210");
/// let evaluation = report.evaluation.as_ref().unwrap();
/// assert_eq!((evaluation.from, evaluation.to), (2008, 2012));
/// assert_eq!(report.diagnosis.as_ref().unwrap().year, 2012);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Pipeline {
    checkup: Checkup,
    validation: ValidationMode,
    evaluate: Option<EvaluateOptions>,
    diagnose: Option<DiagnoseOptions>,
}

/// Everything a [`Pipeline`] produced.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Report {
    /// What validation found (in lenient mode, the problems it let through).
    pub validation: Validation,
    /// The prepared data that were scored.
    pub data: Dataset,
    /// Scores, fitted parameters and warnings.
    pub outcome: Outcome,
    /// The five-year evaluation, when the pipeline evaluates.
    pub evaluation: Option<Evaluation>,
    /// One year's diagnosis, when the pipeline diagnoses.
    pub diagnosis: Option<Diagnosis>,
}

impl Pipeline {
    /// A pipeline that validates strictly and scores with `spec`; nothing else until asked.
    ///
    /// # Errors
    /// [`crate::Error::Spec`] if a method parameter of `spec` is invalid.
    pub fn new(catalog: impl Into<Arc<Catalog>>, spec: Spec) -> Result<Pipeline> {
        Ok(Pipeline {
            checkup: Checkup::new(catalog, spec)?,
            validation: ValidationMode::Strict,
            evaluate: None,
            diagnose: None,
        })
    }

    /// Validate in `mode` (default strict: any data problem is an error).
    pub fn validation(mut self, mode: ValidationMode) -> Self {
        self.validation = mode;
        self
    }

    /// Also evaluate the years of the data (the five-year evaluation).
    pub fn evaluate(mut self, options: EvaluateOptions) -> Self {
        self.evaluate = Some(options);
        self
    }

    /// Also diagnose one year (`options.year`, or the latest).
    pub fn diagnose(mut self, options: DiagnoseOptions) -> Self {
        self.diagnose = Some(options);
        self
    }

    /// The check-up the pipeline runs.
    pub fn checkup(&self) -> &Checkup {
        &self.checkup
    }

    /// Runs the flow on `panel`.
    ///
    /// # Errors
    /// The first error of any stage: [`crate::Error::Validation`] listing the data problems in
    /// strict mode, then as [`Checkup::run`], [`evaluate`] and [`crate::diagnose::diagnose`].
    pub fn run(&self, panel: &Panel) -> Result<Report> {
        let validation = panel.validate(self.checkup.catalog(), self.validation)?;
        let (data, outcome) = self.checkup.run(panel, &validation)?;
        let evaluation = self.evaluate.as_ref().map(|options| evaluate(&data, &outcome, options)).transpose()?;
        let diagnosis = match &self.diagnose {
            None => None,
            Some(options) => {
                options.check()?;
                let tasks = TaskCatalog::resolve(&options.tasks)?;
                let trends = if options.trends || self.evaluate.is_some() {
                    Some(worsening(&data, options.year, DEFAULT_ALPHA)?)
                } else {
                    None
                };
                Some(diagnose_with(&data, &outcome, &tasks, trends.as_ref(), options)?)
            }
        };
        Ok(Report { validation, data, outcome, evaluation, diagnosis })
    }
}
