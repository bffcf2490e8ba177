//! The indicator catalogue (指标体系): groups of any depth, indicators with directions,
//! units, valid ranges, standards and aliases.
//!
//! A catalogue is loaded from TOML (schema in `indicators/README.md`), validated once, and
//! immutable afterwards. Five catalogues are compiled in ([`Catalog::builtin`]); any other is
//! read from disk ([`Catalog::load`]).

pub mod formula;
pub mod provenance;
mod schema;
mod tree;
pub mod units;
mod validate;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub use crate::direction::{Criterion, Direction, Standard};
pub use provenance::{Status, StatusCounts};
pub use schema::{
    CatalogMeta, Group, Indicator, IndicatorType, Judgement, LevelSpec, NotApplicable, Parameter, SubItem, Warning,
};
pub use tree::{Node, NodeKind, Tree, ROOT_ID};

use crate::error::{Error, Result};

/// The built-in catalogues: id and TOML text, compiled into the library.
const BUILTIN: &[(&str, &str)] = &[
    ("ccsy-example", include_str!("../../indicators/ccsy-example.toml")),
    ("mohurd-2021", include_str!("../../indicators/mohurd-2021.toml")),
    ("mohurd-2023", include_str!("../../indicators/mohurd-2023.toml")),
    ("liaoning-pilot-2025", include_str!("../../indicators/liaoning-pilot-2025.toml")),
    ("liaoning-assessment", include_str!("../../indicators/liaoning-assessment.toml")),
];

/// A validated indicator catalogue (指标体系): its groups, indicators and AHP judgements.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::Catalog;
/// let catalog = Catalog::builtin("ccsy-example")?;
/// assert_eq!(catalog.id(), "ccsy-example");
/// // Indicators by id or by an alias seen in spreadsheets.
/// let gdp = catalog.indicator("地区生产总值_当年价格_全市_万元").unwrap();
/// assert_eq!((gdp.id.as_str(), gdp.unit.as_str()), ("gdp", "10k CNY"));
/// // Context variables (no group) are read but not scored.
/// for ind in catalog.indicators().iter().filter(|i| i.is_scored()) {
///     println!("{} {} ({})", ind.id, ind.name_zh, ind.unit);
/// }
/// assert_eq!(catalog.suggest("gdpp"), Some("gdp"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Catalog {
    meta: CatalogMeta,
    groups: Vec<Group>,
    indicators: Vec<Indicator>,
    judgements: Vec<Judgement>,
    sha256: String,
    /// Id or alias → indicator position.
    names: HashMap<String, usize>,
    /// The formula parameters, overrides applied.
    parameters: BTreeMap<String, Parameter>,
    /// The parameters set by [`Catalog::with_parameters`], name → value.
    overrides: BTreeMap<String, f64>,
    /// The object hierarchy, finest first: `[[levels]]`, or the default.
    levels: Vec<LevelSpec>,
    /// The TOML text it was read from.
    text: std::sync::Arc<str>,
}

impl Catalog {
    /// The ids of the compiled-in catalogues.
    pub fn builtin_ids() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(id, _)| *id)
    }

    /// A compiled-in catalogue by id.
    ///
    /// # Errors
    /// [`Error::Catalog`] when no built-in catalogue has that id (the message lists them).
    pub fn builtin(id: &str) -> Result<Catalog> {
        let (_, text) =
            BUILTIN.iter().find(|(known, _)| *known == id).ok_or_else(|| Catalog::unknown_builtin(id, false))?;
        Catalog::from_toml(text, &format!("builtin:{id}"))
    }

    /// A built-in id, or else a path to a TOML file.
    ///
    /// # Errors
    /// As [`Catalog::load`]; a name that is neither a built-in id nor an existing file and
    /// looks like an id (no folder, no extension: `ccsy-exmaple`) is refused with
    /// [`Error::Catalog`] listing the built-in ids and suggesting the closest one.
    pub fn resolve(id_or_path: &str) -> Result<Catalog> {
        if Catalog::builtin_ids().any(|id| id == id_or_path) {
            Catalog::builtin(id_or_path)
        } else if Catalog::looks_like_id(id_or_path) {
            Err(Catalog::unknown_builtin(id_or_path, true))
        } else {
            Catalog::load(id_or_path)
        }
    }

    /// Whether `name` is meant as a built-in id rather than a file: no such file exists, and it
    /// has neither a folder nor an extension.
    pub(crate) fn looks_like_id(name: &str) -> bool {
        !name.contains(['/', '\\', '.']) && !Path::new(name).exists()
    }

    /// The error of an unknown built-in id: the built-in ids listed and the closest suggested;
    /// `or_file` says that no file of that name exists either.
    pub(crate) fn unknown_builtin(id: &str, or_file: bool) -> Error {
        let ids: Vec<&str> = Catalog::builtin_ids().collect();
        let close = crate::names::closest(id, &ids).map(|c| format!(" (did you mean '{c}'?)")).unwrap_or_default();
        Error::Catalog {
            source_name: id.to_string(),
            entry: None,
            message: format!(
                "no built-in catalogue with this id{}{close}; built-in: {} (or give the path of a catalogue file)",
                if or_file { " and no file of this name" } else { "" },
                ids.join(", ")
            ),
        }
    }

    /// Reads and validates a catalogue file.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read; [`Error::Catalog`] naming the file and the
    /// offending entry if it is malformed or inconsistent.
    pub fn load(path: impl AsRef<Path>) -> Result<Catalog> {
        let path = path.as_ref();
        let text = crate::io::read_text(path)?;
        Catalog::from_toml(&text, &path.display().to_string())
    }

    /// Parses and validates catalogue TOML; `source_name` names it in error messages.
    pub fn from_toml(text: &str, source_name: &str) -> Result<Catalog> {
        let file: schema::CatalogFile = toml::from_str(text).map_err(|e| Error::Catalog {
            source_name: source_name.to_string(),
            entry: None,
            message: e.to_string(),
        })?;
        validate::validate(&file, source_name)?;
        let mut names = HashMap::new();
        for (i, indicator) in file.indicators.iter().enumerate() {
            names.insert(indicator.id.clone(), i);
            for alias in &indicator.aliases {
                names.insert(alias.clone(), i);
            }
        }
        // The Chinese name matches a data column too, unless two indicators share it or it is
        // already an id or alias (those win).
        let mut name_zh: HashMap<&str, Option<usize>> = HashMap::new();
        for (i, indicator) in file.indicators.iter().enumerate() {
            name_zh.entry(indicator.name_zh.trim()).and_modify(|seen| *seen = None).or_insert(Some(i));
        }
        for (name, i) in name_zh {
            if let Some(i) = i {
                names.entry(name.to_string()).or_insert(i);
            }
        }
        Ok(Catalog {
            meta: file.catalog,
            groups: file.groups,
            indicators: file.indicators,
            judgements: file.judgements,
            sha256: crate::io::sha256_hex(text.as_bytes()),
            names,
            parameters: file.parameters,
            overrides: BTreeMap::new(),
            levels: if file.levels.is_empty() { LevelSpec::default_hierarchy() } else { file.levels },
            text: text.into(),
        })
    }

    /// The numbers formulas read as `$name` (`[parameters]`), with the overrides of
    /// [`Catalog::with_parameters`] applied.
    pub fn parameters(&self) -> &BTreeMap<String, Parameter> {
        &self.parameters
    }

    /// The TOML text the catalogue was read from (whose digest is [`Catalog::sha256`]). With
    /// [`Catalog::parameter_overrides`] it rebuilds the same catalogue in another process — a
    /// Spark executor, say: `Catalog::from_toml(text, id)?.with_parameters(overrides)`.
    pub fn toml(&self) -> &str {
        &self.text
    }

    /// The parameters set by [`Catalog::with_parameters`] (name → value), empty for the
    /// catalogue as written; a run records them in run.json.
    pub fn parameter_overrides(&self) -> &BTreeMap<String, f64> {
        &self.overrides
    }

    /// The catalogue with some `[parameters]` set to other values — a province's norms
    /// without editing any formula. Names may be written with or without the `$`; later
    /// overrides of the same name win, and overrides add up over repeated calls.
    ///
    /// # Errors
    /// [`Error::Catalog`] naming the parameter when the catalogue does not define it (the
    /// message lists those it does and suggests the closest) or the value is not finite.
    ///
    /// # Examples
    /// ```
    /// # fn main() -> citycheck::Result<()> {
    /// use citycheck::Catalog;
    /// let toml = r#"
    ///     [catalog]
    ///     id = "norms"
    ///     name = "norms"
    ///     version = "1"
    ///     [parameters]
    ///     elderly_norm_new = 20
    ///     [parameters.elderly_norm_existing]
    ///     value = 15
    ///     description = "m² of elderly-care space per 100 households, existing compounds"
    /// "#;
    /// let catalog = Catalog::from_toml(toml, "norms.toml")?;
    /// let province = catalog.with_parameters([("elderly_norm_new", 25.0)])?;
    /// assert_eq!(province.parameters()["elderly_norm_new"].value, 25.0);
    /// assert_eq!(province.parameters()["elderly_norm_existing"].value, 15.0);
    /// assert_eq!(province.parameter_overrides().len(), 1);
    /// assert!(catalog.with_parameters([("elderly_norm", 25.0)]).is_err());
    /// # Ok(()) }
    /// ```
    pub fn with_parameters<K: AsRef<str>>(&self, overrides: impl IntoIterator<Item = (K, f64)>) -> Result<Catalog> {
        let mut out = self.clone();
        for (name, value) in overrides {
            let name = name.as_ref().trim();
            let name = name.strip_prefix('$').unwrap_or(name);
            let fail = |message: String| Error::Catalog {
                source_name: self.id().to_string(),
                entry: Some(name.to_string()),
                message,
            };
            let Some(parameter) = out.parameters.get_mut(name) else {
                let known: Vec<&str> = self.parameters.keys().map(String::as_str).collect();
                let close =
                    crate::names::closest(name, &known).map(|k| format!(" (did you mean '{k}'?)")).unwrap_or_default();
                return Err(fail(if known.is_empty() {
                    "no such parameter: the catalogue has no [parameters] table".to_string()
                } else {
                    format!("no such parameter{close}; [parameters] defines {}", known.join(", "))
                }));
            };
            if !value.is_finite() {
                return Err(fail(format!("a parameter is a finite number, not {value}")));
            }
            parameter.value = value;
            out.overrides.insert(name.to_string(), value);
        }
        Ok(out)
    }

    /// The object hierarchy whose records the catalogue's formulas read and whose levels
    /// indicators are computed at, finest first: the `[[levels]]` it declares, or else
    /// [`LevelSpec::default_hierarchy`] (building, compound, block, district, city).
    ///
    /// # Examples
    /// ```
    /// # fn main() -> citycheck::Result<()> {
    /// use citycheck::compute::ObjectLevel;
    /// use citycheck::Catalog;
    /// let ids = |c: &Catalog| c.levels().iter().map(|l| l.id).collect::<Vec<_>>();
    /// let mohurd = Catalog::builtin("mohurd-2023")?;
    /// assert!(ids(&mohurd).contains(&ObjectLevel::Community));
    /// assert!(!mohurd.level(ObjectLevel::Community).unwrap().required);
    /// let plain = Catalog::builtin("ccsy-example")?;
    /// assert!(!ids(&plain).contains(&ObjectLevel::Community));
    /// # Ok(()) }
    /// ```
    pub fn levels(&self) -> &[LevelSpec] {
        &self.levels
    }

    /// The declaration of `level` in the hierarchy, `None` when the catalogue does not use it.
    pub fn level(&self, level: formula::ObjectLevel) -> Option<&LevelSpec> {
        self.levels.iter().find(|l| l.id == level)
    }

    /// The catalogue's identity: id, names, version, description and source.
    pub fn meta(&self) -> &CatalogMeta {
        &self.meta
    }

    /// The catalogue's id (e.g. `mohurd-2021`).
    pub fn id(&self) -> &str {
        &self.meta.id
    }

    /// SHA-256 of the TOML text the catalogue was read from.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// Every group, in file order.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// Every indicator in file order, context variables included; positions index this slice.
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    /// Position of the indicator named by `name` (exact match): its id, any alias, or its
    /// `name_zh` when no other indicator has the same Chinese name.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.names.get(name.trim()).copied()
    }

    /// The indicator named by `name` (id, alias or unambiguous `name_zh`).
    pub fn indicator(&self, name: &str) -> Option<&Indicator> {
        self.position(name).map(|i| &self.indicators[i])
    }

    /// The AHP judgement matrix for the children of `node` (a group id or `index`), if any.
    pub fn judgement(&self, node: &str) -> Option<&Judgement> {
        self.judgements.iter().find(|j| j.node == node)
    }

    /// The group with this id, if any.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// The id of the indicator whose id, alias or Chinese name is closest to `name`, when one
    /// is close enough to suggest ([`crate::names::distance_if_close`]: a slip or two, or a
    /// `_`-part added or left out); the first in catalogue order among equally close ones.
    pub fn suggest(&self, name: &str) -> Option<&str> {
        let mut best: Option<(usize, &str)> = None;
        for indicator in &self.indicators {
            let names = std::iter::once(&indicator.id).chain(&indicator.aliases);
            for known in names.chain(std::iter::once(&indicator.name_zh)) {
                if let Some(distance) = crate::names::distance_if_close(name, known) {
                    if best.is_none_or(|(d, _)| distance < d) {
                        best = Some((distance, indicator.id.as_str()));
                    }
                }
            }
        }
        best.map(|(_, id)| id)
    }

    /// How many indicators have each provenance status; `scored_only` counts only the scored
    /// ones (context variables left out).
    pub fn indicator_status(&self, scored_only: bool) -> StatusCounts {
        StatusCounts::of(self.indicators.iter().filter(|i| !scored_only || i.is_scored()).map(|i| i.status))
    }

    /// How many groups have each provenance status.
    pub fn group_status(&self) -> StatusCounts {
        StatusCounts::of(self.groups.iter().map(|g| g.status))
    }

    /// The scoring tree restricted to the indicators for which `keep` is true; groups left
    /// without any indicator are pruned.
    pub fn tree(&self, keep: impl Fn(usize, &Indicator) -> bool) -> Tree {
        Tree::build(self, keep)
    }
}
