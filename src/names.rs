//! One way to name a method.
//!
//! Every method enum (normalisation, weights, aggregation, imputation, AHP derivation,
//! combination rule) is named by the snake_case names of its variants, and a name is read
//! the same way everywhere: [`FromStr`](std::str::FromStr) on the command line and in code,
//! serde in run specs (TOML), JSON and Python keywords. An unknown name is answered by one
//! message, built by [`unknown`]: it names the unknown value, suggests the closest known name
//! when one is close (see [`distance_if_close`]) and lists every known name:
//!
//! ```text
//! unknown normalisation 'minmax': did you mean 'min_max'? known: min_max, band, z_score, …
//! ```
//!
//! Each enum describes its names once, in a [`Naming`] (the [`Named`] trait); serde derives
//! the enum's variants and parameters, and this module puts the name check in front of the
//! derived code (the crate's `named_method!` macro).

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::error::{Error, Result};

/// How far apart an unknown `name` and a known `candidate` are when the candidate is close
/// enough to suggest: their Damerau–Levenshtein distance (both lower-cased, `-` and spaces read
/// as `_`), `Some` when it is at most a third of the unknown name's length (at least 1), or when
/// one name is the other with a `_`-separated part added (`green_coverage` →
/// `green_coverage_builtup`, `gdp_total` → `gdp`); `None` otherwise. So `minmax` → `min_max`
/// (1 of 6), `entrpy` → `entropy`, `ccsy-exmaple` → `ccsy-example` are suggested, and
/// nothing for an unrelated word (`sum` → `std`: 2 of 3; `gdp_total` → `fdi_actual`: 5 of 9).
pub fn distance_if_close(name: &str, candidate: &str) -> Option<usize> {
    let (a, b) = (canonical(name), canonical(candidate));
    let distance = strsim::damerau_levenshtein(&a, &b);
    let extends = |long: &str, short: &str| {
        short.chars().count() >= 3 && long.strip_prefix(short).is_some_and(|rest| rest.starts_with('_'))
    };
    (distance <= (a.chars().count() / 3).max(1) || extends(&a, &b) || extends(&b, &a)).then_some(distance)
}

/// How the values of a method enum are named: what one is called in messages, where its
/// name is written, every name, and which names need parameters.
#[derive(Debug, Clone, Copy)]
pub struct Naming {
    /// What one value is called in messages: `"normalisation"`, `"weight method"`, …
    pub kind: &'static str,
    /// The key of a table that holds the name (`method`, `rule`); `None` when the value is
    /// written as the bare name (`derivation = "eigenvector"`).
    pub tag: Option<&'static str>,
    /// Every name, one per variant, in the order of the variants.
    pub names: &'static [&'static str],
    /// The names of the variants with parameters that have no default, each with an example
    /// of how to write it in a run spec. [`FromStr`](std::str::FromStr) refuses these names.
    pub parameterised: &'static [(&'static str, &'static str)],
}

impl Naming {
    /// Whether `name` is known.
    pub fn knows(&self, name: &str) -> bool {
        self.names.contains(&name)
    }

    /// The example of how to write `name`, if it needs parameters.
    pub fn needs_parameters(&self, name: &str) -> Option<&'static str> {
        self.parameterised.iter().find(|(n, _)| *n == name).map(|(_, example)| *example)
    }

    /// The names that parse alone, with default parameters.
    pub fn plain_names(&self) -> Vec<&'static str> {
        self.names.iter().copied().filter(|n| self.needs_parameters(n).is_none()).collect()
    }

    /// Every name for a help text: `"a, b, c"`, followed by `" (c: needs parameters, give it
    /// in a run spec)"` when some need parameters.
    pub fn help_list(&self) -> String {
        let mut text = self.names.join(", ");
        if !self.parameterised.is_empty() {
            let needing: Vec<&str> = self.parameterised.iter().map(|(n, _)| *n).collect();
            text.push_str(&format!(" ({}: needs parameters, give it in a run spec)", needing.join(", ")));
        }
        text
    }

    /// The one message for a name that is not among [`Naming::names`].
    pub fn unknown_message(&self, name: &str) -> String {
        unknown_message(self.kind, name, self.names)
    }

    /// Checks that `name` names a method that needs no parameters beyond its defaults.
    ///
    /// # Errors
    /// [`Error::UnknownName`] for an unknown name (with the closest known name);
    /// [`Error::Spec`] for a method that needs parameters (with an example of how to give them).
    pub fn check_plain(&self, name: &str) -> Result<()> {
        if !self.knows(name) {
            return Err(unknown(self.kind, name, self.names));
        }
        if let Some(example) = self.needs_parameters(name) {
            return Err(Error::Spec(format!(
                "{} '{name}' needs parameters, so it cannot be given by its name alone; write it as a table in a \
                 run spec, e.g. {example}",
                self.kind
            )));
        }
        Ok(())
    }

    /// The name in a deserialised value: the `tag` key of a table, or the bare string.
    /// An error message when it is missing, not a string or unknown.
    fn name_in<'v>(&self, value: &'v Value) -> std::result::Result<&'v str, String> {
        let known = || self.names.join(", ");
        let name = match (self.tag, value) {
            (Some(tag), Value::Object(table)) => match table.get(tag) {
                Some(Value::String(name)) => name,
                Some(other) => {
                    return Err(format!(
                        "'{tag}' must be a string naming the {}, not {other}; known: {}",
                        self.kind,
                        known()
                    ))
                }
                None => return Err(format!("missing '{tag}', the name of the {}; known: {}", self.kind, known())),
            },
            (Some(tag), Value::String(name)) => {
                let problem =
                    if self.knows(name) { String::new() } else { format!("{}; ", self.unknown_message(name)) };
                return Err(format!(
                    "{problem}write the {} as a table, {{ {tag} = \"{name}\" }} (with its parameters), not as a bare \
                     string",
                    self.kind
                ));
            }
            (Some(tag), other) => {
                return Err(format!(
                    "expected a table with '{tag}' naming the {}, found {other}; known: {}",
                    self.kind,
                    known()
                ))
            }
            (None, Value::String(name)) => name,
            (None, other) => {
                return Err(format!("expected a string naming the {}, found {other}; known: {}", self.kind, known()))
            }
        };
        if self.knows(name) {
            Ok(name)
        } else {
            Err(self.unknown_message(name))
        }
    }

    /// The value a bare name stands for: `{ tag = name }` or the string itself.
    fn value_of(&self, name: &str) -> Value {
        match self.tag {
            Some(tag) => Value::Object([(tag.to_string(), Value::String(name.to_string()))].into_iter().collect()),
            None => Value::String(name.to_string()),
        }
    }
}

/// A method enum named by snake_case names; the crate's `named_method!` implements it with
/// `FromStr`, `Display`, `Serialize` and `Deserialize`.
pub trait Named {
    /// How the enum's values are named.
    const NAMING: Naming;
}

/// The name comparison: lower case, `-` and spaces as `_`, trimmed.
fn canonical(name: &str) -> String {
    name.trim().to_lowercase().replace(['-', ' '], "_")
}

/// The known name closest to `name` among those close enough to suggest
/// ([`distance_if_close`]); the first in `known` among equally close names.
pub fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let mut best: Option<(usize, &'a str)> = None;
    for &candidate in known {
        if let Some(distance) = distance_if_close(name, candidate) {
            if best.is_none_or(|(d, _)| distance < d) {
                best = Some((distance, candidate));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// The message for an unknown name `name` of a `kind` of thing: names it, suggests the
/// closest of `known` (see [`closest`]) and lists them all, e.g.
/// `unknown normalisation 'minmax': did you mean 'min_max'? known: min_max, band, …`.
pub fn unknown_message(kind: &str, name: &str, known: &[&str]) -> String {
    match closest(name, known) {
        Some(c) => format!("unknown {kind} '{name}': did you mean '{c}'? known: {}", known.join(", ")),
        None => format!("unknown {kind} '{name}'; known: {}", known.join(", ")),
    }
}

/// The [`Error::UnknownName`] of an unknown `name` of a `kind` of thing, with
/// [`unknown_message`] as its message.
pub fn unknown(kind: &str, name: &str, known: &[&str]) -> Error {
    Error::UnknownName {
        kind: kind.to_string(),
        name: name.to_string(),
        suggestion: closest(name, known).map(str::to_string),
        known: known.iter().map(|k| k.to_string()).collect(),
        message: unknown_message(kind, name, known),
    }
}

/// `FromStr` of a [`Named`] enum: checks the name, then builds the value with default
/// parameters by the enum's serde-derived `derived` function.
pub(crate) fn parse<T>(naming: &Naming, name: &str, derived: impl FnOnce(Value) -> serde_json::Result<T>) -> Result<T> {
    naming.check_plain(name)?;
    derived(naming.value_of(name)).map_err(|e| Error::Spec(format!("{} '{name}': {e}", naming.kind)))
}

/// `Deserialize` of a [`Named`] enum: reads the value as a self-describing tree, checks the
/// name (so that a misspelt name gets the message of [`unknown_message`], not serde's), then
/// deserialises the enum from the tree by the enum's serde-derived `derived` function; its
/// errors are prefixed with the method's kind and name.
///
/// A key the method does not take is refused also for a method without parameters: serde's
/// `deny_unknown_fields` is not enforced on the unit variants of an internally tagged enum,
/// so `{ method = "equal", levles = ... }` would otherwise be read as `equal` with the typo
/// dropped. A key is unknown when the method, written back, does not have it.
pub(crate) fn deserialize<'de, D, T>(
    deserializer: D,
    naming: &Naming,
    derived: impl FnOnce(Value) -> serde_json::Result<T>,
) -> std::result::Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: serde::Serialize,
{
    let value = Value::deserialize(deserializer)?;
    let name = naming.name_in(&value).map_err(D::Error::custom)?.to_string();
    let given: Vec<String> = match (&value, naming.tag) {
        (Value::Object(table), Some(tag)) => table.keys().filter(|k| k.as_str() != tag).cloned().collect(),
        _ => Vec::new(),
    };
    let parsed = derived(value).map_err(|e| {
        // The tree a spec is read into has no NaN or infinity: such a number arrives as null
        // (TOML has no null), so say what it was.
        let e = e.to_string();
        let e = match e.strip_prefix("invalid type: null, expected ") {
            Some(rest) => {
                format!("a parameter is not a finite number (NaN and infinities are refused), expected {rest}")
            }
            None => e,
        };
        D::Error::custom(format!("{} '{name}': {e}", naming.kind))
    })?;
    if !given.is_empty() {
        if let Ok(Value::Object(written)) = serde_json::to_value(&parsed) {
            if let Some(key) = given.iter().find(|k| !written.contains_key(k.as_str())) {
                let takes: Vec<&str> = written.keys().map(String::as_str).filter(|k| Some(*k) != naming.tag).collect();
                let takes = if takes.is_empty() { "no parameters".to_string() } else { takes.join(", ") };
                return Err(D::Error::custom(format!(
                    "{} '{name}': unknown key '{key}' (it takes {takes})",
                    naming.kind
                )));
            }
        }
    }
    Ok(parsed)
}

/// Implements [`Named`], `FromStr` (the method with default parameters), `Display` (the
/// snake_case name), `Serialize` and `Deserialize` (with the name checked first) for a method
/// enum that derives `Serialize` and `Deserialize` with `#[serde(remote = "Self")]` (which
/// makes the derived code inherent functions `serialize` and `deserialize` of the enum) and
/// has a `name()`.
macro_rules! named_method {
    ($ty:ident, $naming:expr) => {
        impl $crate::names::Named for $ty {
            const NAMING: $crate::names::Naming = $naming;
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::Error;

            fn from_str(name: &str) -> $crate::Result<$ty> {
                $crate::names::parse(&<$ty as $crate::names::Named>::NAMING, name, $ty::deserialize)
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                $ty::serialize(self, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<$ty, D::Error> {
                $crate::names::deserialize(deserializer, &<$ty as $crate::names::Named>::NAMING, $ty::deserialize)
            }
        }
    };
}
pub(crate) use named_method;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::fmt::Display;
    use std::str::FromStr;

    use serde::de::DeserializeOwned;

    use super::*;
    use crate::aggregate::Aggregate;
    use crate::normalize::Normalize;
    use crate::treat::Imputation;
    use crate::weight::{AhpMethod, Combination, Weight};

    // One arm per variant and no wildcard: a new variant does not compile until it has an
    // index here, and the test below then fails until NAMES names it.
    fn normalize_index(m: &Normalize) -> usize {
        match m {
            Normalize::MinMax { .. } => 0,
            Normalize::Band { .. } => 1,
            Normalize::ZScore => 2,
            Normalize::Goalposts { .. } => 3,
            Normalize::Target { .. } => 4,
            Normalize::Rank => 5,
            Normalize::Percentile { .. } => 6,
            Normalize::Vector => 7,
            Normalize::Sum => 8,
        }
    }

    fn weight_index(m: &Weight) -> usize {
        match m {
            Weight::Equal => 0,
            Weight::Fixed { .. } => 1,
            Weight::Entropy => 2,
            Weight::EntropyNormalized { .. } => 3,
            Weight::Critic => 4,
            Weight::Cv => 5,
            Weight::Std => 6,
            Weight::Pca => 7,
            Weight::DeviationMax => 8,
            Weight::Ahp { .. } => 9,
            Weight::Combined { .. } => 10,
        }
    }

    fn aggregate_index(m: &Aggregate) -> usize {
        match m {
            Aggregate::Arithmetic => 0,
            Aggregate::Geometric => 1,
            Aggregate::Harmonic => 2,
            Aggregate::Topsis { .. } => 3,
            Aggregate::GreyRelational { .. } => 4,
            Aggregate::Vikor { .. } => 5,
            Aggregate::WeightedSum { .. } => 6,
            Aggregate::WeightedProduct => 7,
        }
    }

    fn imputation_index(m: &Imputation) -> usize {
        match m {
            Imputation::None => 0,
            Imputation::UnitMean => 1,
            Imputation::GroupMean { .. } => 2,
            Imputation::CarryForward => 3,
            Imputation::Linear => 4,
        }
    }

    fn ahp_index(m: &AhpMethod) -> usize {
        match m {
            AhpMethod::Eigenvector => 0,
            AhpMethod::GeometricMean => 1,
            AhpMethod::ColumnMean => 2,
        }
    }

    fn combination_index(m: &Combination) -> usize {
        match m {
            Combination::Linear { .. } => 0,
            Combination::Multiplicative => 1,
            Combination::GameTheory => 2,
        }
    }

    #[derive(serde::Deserialize)]
    struct Holder<T> {
        value: T,
    }

    /// Every name parses (a parameterised one through its example, which must be valid TOML
    /// of the right variant) and prints back as itself; the names cover every variant once.
    fn check_names<T>(index: fn(&T) -> usize, variants: usize)
    where
        T: Named + FromStr<Err = Error> + Display + DeserializeOwned + serde::Serialize,
    {
        let naming = T::NAMING;
        let mut seen = BTreeSet::new();
        for &name in naming.names {
            let value: T = match naming.needs_parameters(name) {
                None => name.parse().unwrap_or_else(|e| panic!("{}: '{name}' does not parse: {e}", naming.kind)),
                Some(example) => {
                    let err = name.parse::<T>().err().expect("a parameterised name alone is refused");
                    assert!(err.to_string().contains("needs parameters"), "{err}");
                    toml::from_str::<Holder<T>>(&format!("value = {example}"))
                        .unwrap_or_else(|e| panic!("{}: the example {example} does not parse: {e}", naming.kind))
                        .value
                }
            };
            assert_eq!(value.to_string(), name, "{}: Display writes the name", naming.kind);
            assert!(seen.insert(index(&value)), "{}: '{name}' names a variant already named", naming.kind);
            // Serialised and read back, the value keeps its name.
            let json = serde_json::to_value(&value).expect("serialises");
            let back: T = serde_json::from_value(json).expect("deserialises");
            assert_eq!(back.to_string(), name);
        }
        assert_eq!(seen, (0..variants).collect(), "{}: NAMES names every variant", naming.kind);
        assert_eq!(naming.names.len(), variants);
    }

    #[test]
    fn names_cover_every_variant_and_round_trip() {
        check_names::<Normalize>(normalize_index, 9);
        check_names::<Weight>(weight_index, 11);
        check_names::<Aggregate>(aggregate_index, 8);
        check_names::<Imputation>(imputation_index, 5);
        check_names::<AhpMethod>(ahp_index, 3);
        check_names::<Combination>(combination_index, 3);
        assert_eq!(Normalize::NAMES, Normalize::NAMING.names);
        assert_eq!(Weight::NAMES, Weight::NAMING.names);
        assert_eq!(Aggregate::NAMES, Aggregate::NAMING.names);
        let needing = |n: Naming| n.parameterised.iter().map(|(name, _)| *name).collect::<Vec<_>>();
        assert_eq!(Weight::NEEDS_PARAMETERS, needing(Weight::NAMING));
        assert_eq!(Imputation::NEEDS_PARAMETERS, needing(Imputation::NAMING));
        assert_eq!(Combination::NEEDS_PARAMETERS, needing(Combination::NAMING));
    }

    #[test]
    fn suggestions_only_when_close() {
        assert_eq!(closest("minmax", Normalize::NAMES), Some("min_max"));
        assert_eq!(closest("Z-Score", Normalize::NAMES), Some("z_score"));
        assert_eq!(closest("entrpy", Weight::NAMES), Some("entropy"));
        assert_eq!(closest("median", Aggregate::NAMES), None);
        assert_eq!(closest("sum", &["std"]), None);
        assert_eq!(
            unknown_message("normalisation", "minmax", Normalize::NAMES),
            "unknown normalisation 'minmax': did you mean 'min_max'? known: min_max, band, z_score, goalposts, \
             target, rank, percentile, vector, sum"
        );
        assert_eq!(unknown_message("aggregation", "median", &["a", "b"]), "unknown aggregation 'median'; known: a, b");
    }
}
