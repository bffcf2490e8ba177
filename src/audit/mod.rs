//! The statistical audit of an index (the JRC's checklist, as COINr runs it): does the data
//! cover what is scored, are indicators outlying, and does each group hold together?
//!
//! [`audit`] reads one check-up — the prepared [`Dataset`] and the [`Outcome`] scored from it —
//! and works per year on the units' normalised indicator values and the scores of every group
//! and of the index (what `scores.csv` holds):
//!
//! - **coverage** ([`CoverageRow`], `coverage.rs`): the observed share of each unit's
//!   indicators and of each indicator's units, against the `coverage` threshold (the SDG
//!   Index's 80 % rule), and what the rule would drop;
//! - **outliers** ([`OutlierRow`], `outliers.rs`): the treatment stage's skewness/kurtosis rule
//!   on the prepared values, and what the treatment would do;
//! - **correlations** ([`CorrelationRow`], `correlation.rs`): Pearson and Spearman of every
//!   group's members with one another, with the group, with the other groups of its level and
//!   with the index, with p-values and the flags `collinear`, `negative_within_group` and
//!   `not_significant_with_group`;
//! - **groups** ([`GroupRow`]): Cronbach's α (`reliability.rs`) and the share of the first
//!   principal component (`pca.rs`, loadings in [`PcaRow`]) of every group's members, and a
//!   one-line verdict.
//!
//! A *group* here is every node that aggregates others: the groups of the catalogue and the
//! index; its *members* are its children (indicators for a level-2 group, groups above), in
//! tree order: the index first, then the groups in catalogue order.
//!
//! # The verdict
//! `coherent` when α ≥ `cronbach` (default 0.7), the first component's share ≥
//! `first_component` (default 0.6) and no two members are collinear (|r| > `collinear`, default
//! 0.9); else `not coherent: ` and what failed (`α 0.55 < 0.7; first component 0.48 < 0.6;
//! collinear a~b (r 0.95)`). `not assessed` when α or the share is undefined — a group of one
//! member, fewer than 3 units with every member present, fewer than 2 members that vary — with
//! the reason in the note. Nothing is ever `NaN`: a value that cannot be computed is empty, and
//! the row's note says why.
//!
//! # References
//! OECD & JRC (2008), *Handbook on Constructing Composite Indicators: Methodology and User
//! Guide*, OECD Publishing, §4 and Step 4 of the checklist; Becker, Caperna, Del Sorbo, Norlén,
//! Papadimitriou & Saisana (2022), "COINr: An R package for developing composite indicators",
//! JOSS 7(78):4567; Sachs, Lafortune, Kroll, Fuller & Woelm (2022), *Sustainable Development
//! Report 2022*, Cambridge University Press, methods (the 80 % coverage rule).

mod correlation;
mod coverage;
mod outliers;
mod output;
mod pca;
mod reliability;

use serde::{Deserialize, Serialize};

pub use correlation::{CorrelationRow, Flag, Relation, MIN_PAIRS};
pub use coverage::{CoverageKind, CoverageRow};
pub use outliers::OutlierRow;
pub use output::{FOLDER, SHEETS, TABLES};

use crate::catalog::NodeKind;
use crate::checkup::{Dataset, Outcome};
use crate::error::{shown_fixed, Error, Result};

/// The `[audit]` table of a run config: the thresholds of the audit. Every key is optional.
///
/// ```toml
/// [audit]
/// coverage = 0.8          # share of values a unit or an indicator needs in a year
/// significance = 0.05     # of a member's correlation with its group
/// collinear = 0.9         # |r| above which two members of a group are collinear
/// cronbach = 0.7          # α a coherent group reaches
/// first_component = 0.6   # share of the first principal component a coherent group reaches
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// Share of the expected values a unit or an indicator needs in a year not to be dropped;
    /// default 0.8 (the SDG Index's rule).
    #[serde(default = "default_coverage")]
    pub coverage: f64,
    /// Significance level of a member's correlation with its own group; default 0.05.
    #[serde(default = "default_significance")]
    pub significance: f64,
    /// |r| above which two members of a group are flagged collinear; default 0.9.
    #[serde(default = "default_collinear")]
    pub collinear: f64,
    /// Cronbach's α a coherent group reaches; default 0.7.
    #[serde(default = "default_cronbach")]
    pub cronbach: f64,
    /// Share of the first principal component a coherent group reaches; default 0.6.
    #[serde(default = "default_first_component")]
    pub first_component: f64,
}

fn default_coverage() -> f64 {
    0.8
}

fn default_significance() -> f64 {
    0.05
}

fn default_collinear() -> f64 {
    0.9
}

fn default_cronbach() -> f64 {
    0.7
}

fn default_first_component() -> f64 {
    0.6
}

impl Default for AuditConfig {
    fn default() -> Self {
        AuditConfig {
            coverage: default_coverage(),
            significance: default_significance(),
            collinear: default_collinear(),
            cronbach: default_cronbach(),
            first_component: default_first_component(),
        }
    }
}

impl AuditConfig {
    /// Reads the body of an `[audit]` table and checks it.
    ///
    /// # Errors
    /// [`Error::Spec`] for text that is not such a table (an unknown key is named), or as
    /// [`AuditConfig::check`].
    pub fn from_toml(text: &str) -> Result<AuditConfig> {
        let config: AuditConfig = toml::from_str(text).map_err(|e| Error::Spec(format!("audit: {e}")))?;
        config.check()?;
        Ok(config)
    }

    /// Checks the thresholds: `coverage` and `first_component` in [0, 1], `significance` in
    /// (0, 1), `collinear` in (0, 1], `cronbach` at most 1.
    ///
    /// # Errors
    /// [`Error::Spec`] naming the key and its value.
    pub fn check(&self) -> Result<()> {
        let bad = |key: &str, value: f64, range: &str| -> Result<()> {
            Err(Error::Spec(format!("audit: {key} = {value} must lie in {range}")))
        };
        if !(0.0..=1.0).contains(&self.coverage) {
            return bad("coverage", self.coverage, "[0, 1]");
        }
        if !(self.significance > 0.0 && self.significance < 1.0) {
            return bad("significance", self.significance, "(0, 1)");
        }
        if !(self.collinear > 0.0 && self.collinear <= 1.0) {
            return bad("collinear", self.collinear, "(0, 1]");
        }
        if !(self.cronbach.is_finite() && self.cronbach <= 1.0) {
            return bad("cronbach", self.cronbach, "(-inf, 1]");
        }
        if !(0.0..=1.0).contains(&self.first_component) {
            return bad("first_component", self.first_component, "[0, 1]");
        }
        Ok(())
    }
}

/// One row of `groups.csv`: a group in a year.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRow {
    /// The year: column `year`.
    pub year: i32,
    /// The group's id (`index` for the index): column `group`.
    pub group: String,
    /// Its members: indicators for a level-2 group, groups above: column `n_indicators`.
    pub n_indicators: usize,
    /// Cronbach's α of the members: column `cronbach_alpha`.
    pub cronbach_alpha: Option<f64>,
    /// λ_1 / p of the members' correlation matrix: column `first_component_share`.
    pub first_component_share: Option<f64>,
    /// `coherent`, `not coherent: …` or `not assessed` (see the module's doc): column `verdict`.
    pub verdict: String,
    /// The group's level (2 for groups of indicators): column `level`.
    pub level: u32,
    /// Units with every member present (α and the components use them): column `n_units`.
    pub n_units: usize,
    /// Why a value is empty, which members were left out: column `note` (joined by `; `).
    pub notes: Vec<String>,
}

/// One row of `pca.csv`: a member's loading on one principal component of its group in a year.
#[derive(Debug, Clone, PartialEq)]
pub struct PcaRow {
    /// The year: column `year`.
    pub year: i32,
    /// The group: column `group`.
    pub group: String,
    /// The component, 1 = the largest eigenvalue: column `component`.
    pub component: usize,
    /// Its eigenvalue λ_k: column `eigenvalue`.
    pub eigenvalue: f64,
    /// λ_k / p, the share of the members' variance it carries: column `share`.
    pub share: f64,
    /// The member: column `member`.
    pub member: String,
    /// v_jk √λ_k: column `loading`.
    pub loading: f64,
}

/// The result of [`audit`]: one vector per table, each in the order its module documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    /// The thresholds the audit used.
    pub config: AuditConfig,
    /// `coverage.csv`.
    pub coverage: Vec<CoverageRow>,
    /// `outliers.csv`.
    pub outliers: Vec<OutlierRow>,
    /// `correlations.csv`.
    pub correlations: Vec<CorrelationRow>,
    /// `groups.csv`.
    pub groups: Vec<GroupRow>,
    /// `pca.csv`.
    pub pca: Vec<PcaRow>,
}

/// The statistical audit of the check-up `outcome` scored from `data` (see the module's doc).
///
/// # Errors
/// [`Error::Spec`] for a threshold out of range; [`Error::Mismatch`] when `outcome` was not
/// scored from `data`; [`Error::Method`] for an infinite normalised value.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::prelude::*;
/// use citycheck::audit::{audit, AuditConfig};
/// let checkup = Checkup::new(Catalog::builtin("ccsy-example")?, Spec::checkup_default())?;
/// let read = ReadOptions::default().unit_column("city");
/// let panel = Panel::embedded("cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv", &read)?;
/// let validation = panel.validate(checkup.catalog(), ValidationMode::Strict)?;
/// let (data, outcome) = checkup.run(&panel, &validation)?;
/// let result = audit(&data, &outcome, &AuditConfig::default())?;
/// // 沈阳市 has no data for 2009: the coverage rule would drop it that year.
/// let row = result.coverage.iter().find(|r| r.name == "沈阳市" && r.year == 2009).unwrap();
/// assert_eq!((row.present, row.dropped), (0, true));
/// // One row per year for the index and each of its three dimensions.
/// assert_eq!(result.groups.len(), 5 * 4);
/// # Ok(()) }
/// ```
pub fn audit(data: &Dataset, outcome: &Outcome, config: &AuditConfig) -> Result<Audit> {
    config.check()?;
    outcome.check_data(data)?;
    let scores = &outcome.scores;
    let tree = data.tree();
    let rule = outcome.spec().treat.clone().unwrap_or_default();
    let aggregating: Vec<usize> = (0..tree.nodes().len())
        .filter(|&n| tree.node(n).kind != NodeKind::Indicator && !tree.node(n).children.is_empty())
        .collect();
    let mut result = Audit {
        config: config.clone(),
        coverage: coverage::coverage(data, config.coverage),
        outliers: outliers::outliers(data, &rule),
        correlations: Vec::new(),
        groups: Vec::new(),
        pca: Vec::new(),
    };
    for (&year, rows) in data.years.iter().zip(&data.year_rows) {
        // Every node's scores in this year: normalised values for indicators.
        let values: Vec<Vec<f64>> =
            (0..tree.nodes().len()).map(|n| rows.clone().map(|r| scores.value(r, n)).collect()).collect();
        for &g in &aggregating {
            let node = tree.node(g);
            let correlations = correlation::of_group(year, tree, g, &values, config);
            let members: Vec<&[f64]> = node.children.iter().map(|&c| values[c].as_slice()).collect();
            let names: Vec<&str> = node.children.iter().map(|&c| tree.node(c).id.as_str()).collect();
            let mut row = GroupRow {
                year,
                group: node.id.clone(),
                n_indicators: members.len(),
                cronbach_alpha: None,
                first_component_share: None,
                verdict: "not assessed".into(),
                level: node.level,
                n_units: (0..rows.len()).filter(|&r| members.iter().all(|c| !c[r].is_nan())).count(),
                notes: Vec::new(),
            };
            if members.len() < 2 {
                row.notes.push("one member: Cronbach's α and principal components need at least 2".into());
            } else {
                let alpha = reliability::alpha(&members)?;
                let components = pca::components(&members, &names);
                row.cronbach_alpha = alpha.alpha;
                row.first_component_share = components.first_share();
                row.notes.extend(alpha.notes);
                row.notes.extend(components.notes.iter().cloned());
                let p = components.used.len() as f64;
                for (k, (&eigenvalue, loadings)) in components.eigenvalues.iter().zip(&components.loadings).enumerate()
                {
                    for (&j, &loading) in components.used.iter().zip(loadings) {
                        result.pca.push(PcaRow {
                            year,
                            group: node.id.clone(),
                            component: k + 1,
                            eigenvalue,
                            share: eigenvalue / p,
                            member: names[j].to_string(),
                            loading,
                        });
                    }
                }
                row.verdict = verdict(config, &row, &correlations);
            }
            result.groups.push(row);
            result.correlations.extend(correlations);
        }
    }
    Ok(result)
}

/// The one-line verdict of a group of at least two members (see the module's doc).
fn verdict(config: &AuditConfig, row: &GroupRow, correlations: &[CorrelationRow]) -> String {
    let (Some(alpha), Some(share)) = (row.cronbach_alpha, row.first_component_share) else {
        return "not assessed".into();
    };
    let mut failed = Vec::new();
    if alpha < config.cronbach {
        failed.push(format!("α {} < {}", shown_fixed(alpha, 2), config.cronbach));
    }
    if share < config.first_component {
        failed.push(format!("first component {} < {}", shown_fixed(share, 2), config.first_component));
    }
    for c in correlations.iter().filter(|c| c.flags.contains(&Flag::Collinear)) {
        let r = c.pearson.map_or_else(|| "unknown".to_string(), |r| shown_fixed(r, 2));
        failed.push(format!("collinear {}~{} (r {r})", c.a, c.b));
    }
    if failed.is_empty() {
        "coherent".into()
    } else {
        format!("not coherent: {}", failed.join("; "))
    }
}
