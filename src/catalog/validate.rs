//! Catalogue validation: run once at load time, so that nothing downstream re-checks.

use std::collections::{HashMap, HashSet};

use super::schema::CatalogFile;
use super::units;
use crate::direction::Direction;
use crate::error::{Error, Result};

/// Number of key renewal tasks in the policy (POLICY.md: 18 tasks).
const RENEWAL_TASKS: u32 = 18;

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub(super) fn validate(file: &CatalogFile, source_name: &str) -> Result<()> {
    let fail = |entry: Option<&str>, message: String| Error::Catalog {
        source_name: source_name.to_string(),
        entry: entry.map(str::to_string),
        message,
    };
    let meta = &file.catalog;
    if meta.id.is_empty() || !meta.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(fail(None, format!("catalog.id '{}' must be lowercase letters, digits and '-'", meta.id)));
    }

    let mut seen: HashSet<&str> = HashSet::new();
    for id in file.groups.iter().map(|g| &g.id).chain(file.indicators.iter().map(|i| &i.id)) {
        if !is_id(id) {
            return Err(fail(Some(id), "ids must be lowercase ASCII letters, digits and '_'".into()));
        }
        if id == super::ROOT_ID {
            return Err(fail(Some(id), format!("'{}' is reserved for the root index", super::ROOT_ID)));
        }
        if !seen.insert(id) {
            return Err(fail(Some(id), "duplicate id (ids are unique across groups and indicators)".into()));
        }
    }

    // A row that claims more than `proposed` must say where it comes from.
    let rows = file.groups.iter().map(|g| (&g.id, g.status, &g.source, "group"));
    let rows = rows.chain(file.indicators.iter().map(|i| (&i.id, i.status, &i.source, "indicator")));
    for (id, status, source, kind) in rows {
        if !status.is_proposed() && source.as_deref().is_none_or(|s| s.trim().is_empty()) {
            return Err(fail(
                Some(id),
                format!("{kind} '{id}' has status '{status}' but no source; a row that is not proposed must cite its source"),
            ));
        }
    }

    let groups: HashMap<&str, usize> = file.groups.iter().enumerate().map(|(i, g)| (g.id.as_str(), i)).collect();
    for group in &file.groups {
        check_weight(group.weight).map_err(|m| fail(Some(&group.id), m))?;
        if let Some(parent) = &group.parent {
            if !groups.contains_key(parent.as_str()) {
                return Err(fail(Some(&group.id), format!("parent group '{parent}' does not exist")));
            }
        }
    }
    // Every parent exists now; a chain longer than the number of groups means a cycle.
    for group in &file.groups {
        let mut cur = group.parent.as_deref();
        let mut steps = 0;
        while let Some(p) = cur {
            steps += 1;
            if p == group.id || steps > file.groups.len() {
                return Err(fail(Some(&group.id), "the parent chain forms a cycle".into()));
            }
            cur = file.groups[groups[p]].parent.as_deref();
        }
    }

    for (name, parameter) in &file.parameters {
        let ascii = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if name.is_empty() || !ascii || name.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(fail(
                Some(name.as_str()),
                "a parameter name is ASCII letters, digits and '_', not starting with a digit".into(),
            ));
        }
        if !parameter.value.is_finite() {
            return Err(fail(
                Some(name.as_str()),
                format!("parameter value {} must be a finite number", parameter.value),
            ));
        }
    }

    // The hierarchy: known levels, finest first, each once; formulas read only its levels.
    for pair in file.levels.windows(2) {
        if pair[0].id >= pair[1].id {
            return Err(fail(
                Some(pair[1].id.as_str()),
                format!(
                    "[[levels]] are listed finest first, each once (building, compound, community, block, district, \
                     city): '{}' cannot follow '{}'",
                    pair[1].id, pair[0].id
                ),
            ));
        }
    }
    if let Some(level) = file.levels.iter().find(|l| l.name_zh.trim().is_empty()) {
        return Err(fail(Some(level.id.as_str()), "a level needs its Chinese name (name_zh)".into()));
    }
    let hierarchy: Vec<super::formula::ObjectLevel> = if file.levels.is_empty() {
        super::schema::LevelSpec::default_hierarchy().into_iter().map(|l| l.id).collect()
    } else {
        file.levels.iter().map(|l| l.id).collect()
    };

    let has_subgroups: HashSet<&str> = file.groups.iter().filter_map(|g| g.parent.as_deref()).collect();
    let indicator_ids: HashSet<&str> = file.indicators.iter().map(|i| i.id.as_str()).collect();
    let mut names: HashMap<&str, &str> = file.indicators.iter().map(|i| (i.id.as_str(), i.id.as_str())).collect();
    for ind in &file.indicators {
        let entry = Some(ind.id.as_str());
        if let Some(group) = &ind.group {
            if !groups.contains_key(group.as_str()) {
                return Err(fail(entry, format!("group '{group}' does not exist")));
            }
            if has_subgroups.contains(group.as_str()) {
                return Err(fail(
                    entry,
                    format!("group '{group}' has subgroups; a group holds either indicators or groups, not both"),
                ));
            }
            if ind.direction.is_none() {
                return Err(fail(entry, "a scored indicator (one with a group) needs a direction".into()));
            }
        }
        if !units::is_known(&ind.unit) {
            return Err(fail(
                entry,
                format!("unknown unit '{}'; known units: {}", ind.unit, units::KNOWN_UNITS.join(", ")),
            ));
        }
        check_weight(ind.weight).map_err(|m| fail(entry, m))?;
        let mut item_ids: HashSet<&str> = HashSet::new();
        for item in &ind.items {
            if let Some(id) = item.id.as_deref() {
                if !is_id(id) {
                    return Err(fail(
                        entry,
                        format!("sub-item id '{id}' must be lowercase ASCII letters, digits and '_'"),
                    ));
                }
                if !item_ids.insert(id) {
                    return Err(fail(entry, format!("sub-item id '{id}' appears twice")));
                }
            }
            if item.name_zh.trim().is_empty() {
                return Err(fail(entry, "a sub-item needs a name_zh".into()));
            }
            if !units::is_known(&item.unit) {
                return Err(fail(
                    entry,
                    format!(
                        "sub-item '{}': unknown unit '{}'; known units: {}",
                        item.name_zh,
                        item.unit,
                        units::KNOWN_UNITS.join(", ")
                    ),
                ));
            }
        }
        if let Some(Direction::Band([a, b])) = ind.direction {
            if !(a.is_finite() && b.is_finite() && a <= b) {
                return Err(fail(entry, format!("band [{a}, {b}] must be finite with a <= b")));
            }
        }
        if let Some(Direction::Target(t)) = ind.direction {
            if !t.is_finite() {
                return Err(fail(entry, "target must be a finite number".into()));
            }
        }
        if let Some([lo, hi]) = ind.valid_range {
            if lo > hi || lo.is_nan() || hi.is_nan() {
                return Err(fail(entry, format!("valid_range [{lo}, {hi}] must have min <= max")));
            }
        }
        if let Some([lo, hi]) = ind.goalposts {
            if !(lo.is_finite() && hi.is_finite() && lo < hi) {
                return Err(fail(entry, format!("goalposts [{lo}, {hi}] must be finite with L < U")));
            }
        }
        if let Some(standard) = &ind.standard {
            if standard.value.is_some_and(|v| !v.is_finite()) || standard.by_unit.values().any(|v| !v.is_finite()) {
                return Err(fail(entry, "standard values must be finite numbers".into()));
            }
        }
        if let Some(warning) = &ind.warning {
            if !(warning.yellow > 0.0 && warning.yellow <= 1.0) {
                return Err(fail(entry, format!("warning.yellow {} must be in (0, 1]", warning.yellow)));
            }
        }
        if let Some(formula) = &ind.formula {
            super::formula::parse_formula_with(&formula.expr, &file.parameters)
                .map_err(|e| fail(entry, e.to_string().trim_start_matches("invalid spec: ").to_string()))?;
            if formula.scale.is_some_and(|s| !(s.is_finite() && s > 0.0)) {
                return Err(fail(entry, "formula scale must be a positive number".to_string()));
            }
            if !hierarchy.contains(&formula.object) {
                let levels: Vec<&str> = hierarchy.iter().map(|l| l.as_str()).collect();
                return Err(fail(
                    entry,
                    format!(
                        "the formula reads {} records, a level the catalogue's hierarchy does not have ({}); \
                         declare it in [[levels]]",
                        formula.object,
                        levels.join(", ")
                    ),
                ));
            }
        }
        if let Some(den) = &ind.denominator {
            if !indicator_ids.contains(den.as_str()) || den == &ind.id {
                return Err(fail(entry, format!("denominator '{den}' is not another indicator of this catalogue")));
            }
        }
        if let Some(rule) = &ind.not_applicable {
            if rule.units.is_empty() && rule.unless.is_none() {
                return Err(fail(entry, "not_applicable needs units, unless or both".into()));
            }
            if let Some(unless) = &rule.unless {
                if !indicator_ids.contains(unless.as_str()) || unless == &ind.id {
                    return Err(fail(
                        entry,
                        format!("not_applicable.unless '{unless}' is not another indicator of this catalogue"),
                    ));
                }
            }
            if rule.units.iter().any(|u| u.trim().is_empty()) {
                return Err(fail(entry, "not_applicable.units has an empty unit name".into()));
            }
        }
        if let Some(task) = ind.tasks.iter().find(|t| !(1..=RENEWAL_TASKS).contains(*t)) {
            return Err(fail(entry, format!("task {task} is not one of the {RENEWAL_TASKS} renewal tasks")));
        }
        for alias in &ind.aliases {
            if let Some(other) = names.insert(alias.as_str(), ind.id.as_str()) {
                if other != ind.id {
                    return Err(fail(entry, format!("alias '{alias}' already names indicator '{other}'")));
                }
            }
        }
    }
    check_facilities(file, &indicator_ids, &fail)?;
    check_judgements(file, fail)
}

/// A facility class has an id of its own, a name, at least one input and one output, each an
/// indicator of the catalogue listed once and on one side only; its undesirable outputs are
/// among its outputs, and not all of them; a status above `proposed` cites its source.
fn check_facilities(
    file: &CatalogFile,
    indicator_ids: &HashSet<&str>,
    fail: &impl Fn(Option<&str>, String) -> Error,
) -> Result<()> {
    let mut seen: HashSet<&str> = HashSet::new();
    for facility in &file.facilities {
        let id = facility.id.as_str();
        let entry = Some(id);
        if !is_id(id) {
            return Err(fail(entry, "a facility id is lowercase ASCII letters, digits and '_'".into()));
        }
        if !seen.insert(id) {
            return Err(fail(entry, "a second facility class with this id".into()));
        }
        if facility.name_zh.trim().is_empty() || facility.name_en.trim().is_empty() {
            return Err(fail(entry, format!("facility '{id}' needs its names (name_zh, name_en)")));
        }
        if !facility.status.is_proposed() && facility.source.as_deref().is_none_or(|s| s.trim().is_empty()) {
            return Err(fail(
                entry,
                format!(
                    "facility '{id}' has status '{}' but no source; a row that is not proposed must cite its source",
                    facility.status
                ),
            ));
        }
        let mut sides: HashMap<&str, &str> = HashMap::new();
        for (side, list) in [("inputs", &facility.inputs), ("outputs", &facility.outputs)] {
            if list.is_empty() {
                return Err(fail(entry, format!("facility '{id}' lists no {side}: name at least one indicator")));
            }
            for name in list {
                if !indicator_ids.contains(name.as_str()) {
                    return Err(fail(
                        entry,
                        format!(
                            "facility '{id}': {side} names '{name}', which is not an indicator id of this catalogue"
                        ),
                    ));
                }
                if let Some(other) = sides.insert(name.as_str(), side) {
                    let message = if other == side {
                        format!("facility '{id}': '{name}' is listed twice in {side}")
                    } else {
                        format!("facility '{id}': '{name}' is both an input and an output")
                    };
                    return Err(fail(entry, message));
                }
            }
        }
        let mut bad: HashSet<&str> = HashSet::new();
        for name in &facility.undesirable {
            if !facility.outputs.contains(name) {
                return Err(fail(
                    entry,
                    format!("facility '{id}': undesirable output '{name}' is not one of its outputs"),
                ));
            }
            if !bad.insert(name.as_str()) {
                return Err(fail(entry, format!("facility '{id}': undesirable output '{name}' is listed twice")));
            }
        }
        if bad.len() == facility.outputs.len() {
            return Err(fail(
                entry,
                format!("facility '{id}': every output is undesirable; name at least one output to increase"),
            ));
        }
    }
    Ok(())
}

/// A judgement matrix names an existing node, lists exactly its children, and is a positive
/// reciprocal square matrix (checked by computing its AHP weights).
fn check_judgements(file: &CatalogFile, fail: impl Fn(Option<&str>, String) -> Error) -> Result<()> {
    let mut seen: HashSet<&str> = HashSet::new();
    for j in &file.judgements {
        let entry = Some(j.node.as_str());
        if !seen.insert(&j.node) {
            return Err(fail(entry, "a second judgement matrix for this node".into()));
        }
        let children: Vec<&str> = if j.node == super::ROOT_ID {
            file.groups.iter().filter(|g| g.parent.is_none()).map(|g| g.id.as_str()).collect()
        } else if file.groups.iter().any(|g| g.id == j.node) {
            file.groups
                .iter()
                .filter(|g| g.parent.as_deref() == Some(j.node.as_str()))
                .map(|g| g.id.as_str())
                .chain(
                    file.indicators
                        .iter()
                        .filter(|i| i.group.as_deref() == Some(j.node.as_str()))
                        .map(|i| i.id.as_str()),
                )
                .collect()
        } else {
            return Err(fail(
                entry,
                format!("judgement matrix for '{}', which is not a group or '{}'", j.node, super::ROOT_ID),
            ));
        };
        let mut listed: Vec<&str> = j.order.iter().map(String::as_str).collect();
        listed.sort_unstable();
        let mut expected = children.clone();
        expected.sort_unstable();
        if listed != expected {
            return Err(fail(
                entry,
                format!(
                    "judgement order [{}] must list exactly the children [{}]",
                    j.order.join(", "),
                    children.join(", ")
                ),
            ));
        }
        let n = j.order.len();
        if j.matrix.len() != n || j.matrix.iter().any(|row| row.len() != n) {
            return Err(fail(entry, format!("the judgement matrix must be {n} × {n}, one row and column per child")));
        }
        let matrix = crate::kernels::from_rows(&j.matrix).map_err(|e| fail(entry, e.to_string()))?;
        crate::kernels::linalg::check_pairwise(matrix.view()).map_err(|e| fail(entry, e.to_string()))?;
    }
    Ok(())
}

fn check_weight(weight: Option<f64>) -> std::result::Result<(), String> {
    match weight {
        Some(w) if !(w.is_finite() && w >= 0.0) => Err(format!("weight {w} must be a finite number >= 0")),
        _ => Ok(()),
    }
}
