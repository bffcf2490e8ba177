//! `citycheck audit`: the statistical audit (the JRC checklist) of the normalised indicators
//! of a spec — coverage, outliers, correlations, Cronbach's α and principal components per
//! group, with a verdict per group.

use std::fmt::Write;
use std::path::PathBuf;

use clap::Args;

use citycheck::audit::{Audit, AuditConfig, CoverageKind};
use citycheck::io::Lang;
use citycheck::run::{OutputConfig, RunConfig};
use citycheck::Spec;

use super::{Format, Input};

/// The flags of `citycheck audit`.
#[derive(Args)]
pub struct AuditArgs {
    #[command(flatten)]
    input: Input,
    /// A spec TOML (normalisation, scope, weights, …) whose normalised values are audited;
    /// default: the check-up default.
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Share of the expected values a unit or an indicator needs in a year not to be dropped
    /// [default: 0.8, the SDG Index's rule].
    #[arg(long)]
    coverage: Option<f64>,
    /// Output folder: the audit's tables go to OUT/audit/, beside the run's scores.
    #[arg(long, default_value = "citycheck-out")]
    out: PathBuf,
    /// Table format; xlsx: one workbook citycheck.xlsx with the audit's tables as sheets.
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
}

impl AuditArgs {
    /// The run these flags ask for: score the data with the spec, audit it, write the tables.
    pub fn config(&self) -> citycheck::Result<RunConfig> {
        let spec = match &self.spec {
            Some(path) => crate::read_spec(path)?,
            None => Spec::checkup_default(),
        };
        let mut audit = AuditConfig::default();
        if let Some(coverage) = self.coverage {
            audit.coverage = coverage;
        }
        audit.check()?;
        Ok(RunConfig {
            output: OutputConfig { dir: self.out.clone(), format: self.format.into(), lang: Lang::En },
            audit: Some(audit),
            ..RunConfig::for_data(self.input.catalog.clone(), self.input.data_config(), spec)
        })
    }
}

/// What the audit found, for the terminal: the counts, then the verdict of every group in the
/// latest year.
pub fn summary(audit: &Audit) -> String {
    let dropped = |kind: CoverageKind| audit.coverage.iter().filter(|r| r.kind == kind && r.dropped).count();
    let mut text = format!(
        "audit: {} unit-year(s) and {} indicator-year(s) below the coverage threshold {}, {} outlying \
         indicator-year(s), {} flagged correlation(s)\n",
        dropped(CoverageKind::Unit),
        dropped(CoverageKind::Indicator),
        audit.config.coverage,
        audit.outliers.iter().filter(|r| r.outlying).count(),
        audit.correlations.iter().filter(|r| !r.flags.is_empty()).count(),
    );
    if let Some(latest) = audit.groups.iter().map(|g| g.year).max() {
        for g in audit.groups.iter().filter(|g| g.year == latest) {
            let _ = writeln!(text, "  {latest} {}: {}", g.group, g.verdict);
        }
    }
    text
}
