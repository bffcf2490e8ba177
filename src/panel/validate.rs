//! Validation of a panel against a catalogue.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::Panel;
use crate::catalog::{units, Catalog, NotApplicable};
use crate::error::{Error, Issue, IssueKind, Location, Result};

/// How many unknown indicator names get the closest id suggested (the rest are listed without
/// one: a file of thousands of unknown columns is not compared thousands of times with the
/// whole catalogue).
const SUGGESTED_UNKNOWN: usize = 20;

/// Strict validation fails on any data problem; lenient validation reports them and goes on
/// (unknown indicators and later duplicates are left out, unreadable cells are missing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValidationMode {
    /// Any fatal issue is an error (default).
    #[default]
    Strict,
    /// Issues are reported; the observations at fault are left out or missing.
    Lenient,
}

/// The outcome of validating a panel against a catalogue.
#[derive(Debug, Clone)]
pub struct Validation {
    /// Every problem found, reading problems first.
    pub issues: Vec<Issue>,
    /// For each indicator name of the panel, its position in the catalogue (`None`: unknown).
    pub(crate) resolved: Vec<Option<usize>>,
    /// Observations to use: known indicator, not a repeated unit-year-indicator-source.
    pub(crate) keep: Vec<bool>,
    /// The catalogue validated against, so that the positions above are never read against
    /// another one.
    pub(crate) catalog_sha256: String,
}

impl Validation {
    /// Whether this validation was made for `panel` (its observations and indicator names).
    pub(crate) fn is_of(&self, panel: &Panel) -> bool {
        self.keep.len() == panel.len() && self.resolved.len() == panel.indicators.len()
    }

    /// Issues that strict mode refuses.
    pub fn fatal(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.is_fatal())
    }
}

impl Panel {
    /// Checks the panel against `catalog`: unknown indicators (with the closest id suggested),
    /// duplicate unit-year-indicator rows, unreadable cells, values outside the valid range,
    /// values given where the catalogue's `not_applicable` rule says the indicator does not
    /// apply (left out in lenient mode),
    /// percentages given as fractions, and units with missing years (reported, never fatal).
    ///
    /// # Errors
    /// In [`ValidationMode::Strict`], [`Error::Validation`] listing every fatal issue.
    ///
    /// A panel read from a fill-in template written for another catalogue (id or version) is
    /// refused with [`Error::Mismatch`].
    pub fn validate(&self, catalog: &Catalog, mode: ValidationMode) -> Result<Validation> {
        if let Some(template) = &self.template {
            if template.catalog != catalog.id() || template.version != catalog.meta().version {
                return Err(Error::Mismatch(format!(
                    "{}: the template was written for catalogue '{}' version '{}', not '{}' version '{}'",
                    self.origin.as_deref().unwrap_or("template"),
                    template.catalog,
                    template.version,
                    catalog.id(),
                    catalog.meta().version
                )));
            }
        }
        let mut issues: Vec<Issue> = self.issues.clone();
        // Only lenient validation reads an unreadable cell as missing; a strict error never
        // says so, since nothing is read.
        if mode == ValidationMode::Lenient {
            for issue in issues.iter_mut().filter(|i| i.kind == IssueKind::NonNumeric) {
                issue.message.push_str("; read as missing");
            }
        }
        let resolved: Vec<Option<usize>> = self.indicators.iter().map(|name| catalog.position(name)).collect();

        // Unknown indicators: one issue per name, at its first row, with its count of values;
        // both found in one pass over the observations (a wide file of 100,000 unknown columns
        // stays linear). The closest id is suggested for the first SUGGESTED_UNKNOWN names only.
        let mut first_and_count: Vec<(usize, usize)> = vec![(usize::MAX, 0); self.indicators.len()];
        if resolved.iter().any(Option::is_none) {
            for (k, &i) in self.indicator.iter().enumerate() {
                let entry = &mut first_and_count[i as usize];
                if resolved[i as usize].is_none() {
                    entry.0 = entry.0.min(k);
                    entry.1 += 1;
                }
            }
        }
        let mut suggested = 0;
        for (i, name) in self.indicators.iter().enumerate() {
            if resolved[i].is_none() {
                let (first, count) = first_and_count[i];
                assert!(count > 0, "interned names occur");
                let hint = if suggested < SUGGESTED_UNKNOWN {
                    suggested += 1;
                    catalog.suggest(name).map(|s| format!("; did you mean '{s}'?")).unwrap_or_default()
                } else {
                    String::new()
                };
                issues.push(Issue::new(
                    IssueKind::UnknownIndicator,
                    self.location(first),
                    format!(
                        "'{name}' is not an indicator or alias of catalogue '{}' ({count} value(s)){hint}",
                        catalog.id()
                    ),
                ));
            }
        }

        let mut keep = vec![true; self.len()];
        let (years, year_pos) = self.year_positions();
        let n_positions = catalog.indicators().len();
        // One slot per source (none, self, third party, survey) only when the input has sources.
        let sources = if self.source.iter().any(Option::is_some) { 4 } else { 1 };
        let mut first_seen = FirstSeen::new(n_positions * years.len() * self.units.len() * sources);
        for k in 0..self.len() {
            let Some(pos) = resolved[self.indicator[k] as usize] else {
                keep[k] = false;
                continue;
            };
            let source = self.source[k].map_or(0, |s| s as usize + 1);
            // Unit-major keys: long files usually list a unit's values together, so consecutive
            // rows touch nearby slots of the table.
            let key =
                ((self.unit[k] as usize * years.len() + year_pos[k] as usize) * n_positions + pos) * sources + source;
            if let Some(earlier) = first_seen.insert(key, k) {
                keep[k] = false;
                issues.push(Issue::new(
                    IssueKind::DuplicateObservation,
                    self.location(k),
                    format!(
                        "duplicate of row {} (same unit, year and indicator); the later row is left out",
                        self.row[earlier]
                    ),
                ));
                continue;
            }
            let ind = &catalog.indicators()[pos];
            let x = self.value[k];
            if let Some([lo, hi]) = ind.valid_range {
                if x < lo || x > hi {
                    issues.push(Issue::new(
                        IssueKind::OutOfRange,
                        self.location(k),
                        format!("{x} is outside the valid range [{lo}, {hi}] {} of '{}'", ind.unit, ind.id),
                    ));
                }
            }
        }

        not_applicable_values(self, catalog, &resolved, &mut keep, &mut issues);

        // Percentages given as fractions: every value of a % indicator within [0, 1].
        // Per catalogue position: (largest |x|, count, observation holding the largest).
        let mut by_indicator: Vec<(f64, usize, usize)> = vec![(f64::NEG_INFINITY, 0, 0); catalog.indicators().len()];
        for k in (0..self.len()).filter(|&k| keep[k] && !self.value[k].is_nan()) {
            let entry = &mut by_indicator[resolved[self.indicator[k] as usize].expect("kept rows are resolved")];
            if self.value[k].abs() > entry.0 {
                entry.0 = self.value[k].abs();
                entry.2 = k;
            }
            entry.1 += 1;
        }
        for (pos, &(max, n, k)) in by_indicator.iter().enumerate().filter(|(_, e)| e.1 > 0) {
            let ind = &catalog.indicators()[pos];
            let spans_beyond_one = ind.valid_range.is_none_or(|[_, hi]| hi > 1.0);
            if units::is_percent(&ind.unit) && spans_beyond_one && max > 0.0 && max <= 1.0 {
                issues.push(Issue::new(
                    IssueKind::PercentAsFraction,
                    Location { file: self.origin.clone(), indicator: Some(ind.id.clone()), ..Default::default() },
                    format!(
                        "all {n} values of '{}' are between 0 and 1 (largest {max}, {}), but the catalogue unit is %: \
                         fractions such as 0.42 should be written as 42",
                        ind.id,
                        self.location(k)
                    ),
                ));
            }
        }

        // Units with gaps inside the panel's span of years (a fact to report, not an error).
        let mut seen = vec![false; self.units.len() * years.len()];
        for k in 0..self.len() {
            seen[self.unit[k] as usize * years.len() + year_pos[k] as usize] = true;
        }
        for (u, unit) in self.units.iter().enumerate() {
            let row = &seen[u * years.len()..(u + 1) * years.len()];
            let missing: Vec<String> = years.iter().zip(row).filter(|(_, &s)| !s).map(|(y, _)| y.to_string()).collect();
            if !missing.is_empty() {
                issues.push(Issue::new(
                    IssueKind::MissingYears,
                    Location { file: self.origin.clone(), unit: Some(unit.clone()), ..Default::default() },
                    format!("no data for {}", missing.join(", ")),
                ));
            }
        }

        let validation = Validation { issues, resolved, keep, catalog_sha256: catalog.sha256().to_string() };
        if mode == ValidationMode::Strict && validation.fatal().next().is_some() {
            return Err(Error::Validation { issues: validation.fatal().cloned().collect() });
        }
        Ok(validation)
    }
}

/// Values given where an indicator's `not_applicable` rule says it does not apply: each is an
/// issue, and the value is left out (the cell is not applicable, as the catalogue says).
/// Cells marked not applicable in the data are never an issue, and never missing.
fn not_applicable_values(
    panel: &Panel,
    catalog: &Catalog,
    resolved: &[Option<usize>],
    keep: &mut [bool],
    issues: &mut Vec<Issue>,
) {
    let mut rule_of: Vec<Option<&NotApplicable>> = vec![None; catalog.indicators().len()];
    for (i, ind) in catalog.indicators().iter().enumerate() {
        rule_of[i] = ind.not_applicable.as_ref();
    }
    if rule_of.iter().all(Option::is_none) {
        return;
    }
    // The values the rules' `unless` indicators take: (catalogue position, unit, year) →
    // (value, marked not applicable).
    let wanted: HashSet<usize> =
        rule_of.iter().flatten().filter_map(|r| r.unless.as_deref()).filter_map(|id| catalog.position(id)).collect();
    let mut context: HashMap<(usize, u32, i32), (f64, bool)> = HashMap::new();
    for k in (0..panel.len()).filter(|&k| keep[k]) {
        let pos = resolved[panel.indicator[k] as usize].expect("kept rows are resolved");
        if wanted.contains(&pos) {
            context.insert((pos, panel.unit[k], panel.year[k]), (panel.value[k], panel.is_not_applicable(k)));
        }
    }
    for k in 0..panel.len() {
        if !keep[k] || panel.value[k].is_nan() {
            continue;
        }
        let pos = resolved[panel.indicator[k] as usize].expect("kept rows are resolved");
        let Some(rule) = rule_of[pos] else { continue };
        let unless = rule.unless.as_deref().and_then(|id| catalog.position(id).map(|p| (id, p)));
        let ctx = unless.and_then(|(_, p)| context.get(&(p, panel.unit[k], panel.year[k])).copied());
        let unit = &panel.units[panel.unit[k] as usize];
        if !rule.applies(unit, ctx) {
            continue;
        }
        keep[k] = false;
        let why = match unless {
            Some((id, _)) if !rule.units.iter().any(|u| u == unit) => format!("'{id}' is 0 or not applicable"),
            _ => "the unit is listed in the rule".to_string(),
        };
        let ind = &catalog.indicators()[pos];
        issues.push(Issue::new(
            IssueKind::NotApplicableValue,
            panel.location(k),
            format!(
                "{} is given, but catalogue '{}' says '{}' does not apply here ({why}): the value is left out",
                panel.value[k],
                catalog.id(),
                ind.id
            ),
        ));
    }
}

/// First observation seen for each unit-year-indicator-source key: a dense table when the key
/// space is small enough (the usual case: one pass, no hashing), a hash map otherwise.
enum FirstSeen {
    Dense(Vec<u32>),
    Sparse(HashMap<usize, usize>),
}

impl FirstSeen {
    const DENSE_LIMIT: usize = 1 << 26;

    fn new(key_space: usize) -> FirstSeen {
        if key_space <= Self::DENSE_LIMIT {
            FirstSeen::Dense(vec![u32::MAX; key_space])
        } else {
            FirstSeen::Sparse(HashMap::new())
        }
    }

    /// Records `k` under `key`; returns the earlier observation if the key was taken.
    #[inline]
    fn insert(&mut self, key: usize, k: usize) -> Option<usize> {
        match self {
            FirstSeen::Dense(table) if table[key] != u32::MAX => Some(table[key] as usize),
            FirstSeen::Dense(table) => {
                table[key] = k as u32;
                None
            }
            FirstSeen::Sparse(map) => match map.entry(key) {
                std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(k);
                    None
                }
            },
        }
    }
}
