//! The measurement units a catalogue may name.
//!
//! A closed list, so that a typo ("%%", "km2") is caught when the catalogue is loaded and the
//! percentage-as-fraction check knows which indicators are percentages.

/// Every unit a catalogue may use, as written in the TOML.
pub const KNOWN_UNITS: &[&str] = &[
    "%",
    "‰",
    "ratio",
    "index",
    "score",
    "count",
    "个",
    "栋",
    "处",
    "座",
    "条",
    "家",
    "所",
    "辆",
    "张",
    "人",
    "户",
    "套",
    "件",
    "个/km²",
    "人/万车",
    "km",
    "km²",
    "km/km²",
    "m",
    "m²",
    "m²/person",
    "ha",
    "persons",
    "10k persons",
    "per 1000",
    "per 10k",
    "beds",
    "t",
    "t/10k CNY",
    "10k CNY",
    "10k USD",
    "CNY",
    "CNY/person",
    "元",
    "万元",
    "亿元",
    "元/人",
    "万元/人",
    "万人",
    "吨",
    "万吨",
    "years",
    "days",
    "min",
    "km/h",
    "m³",
    "kWh",
    "yes/no",
];

/// Whether `unit` is in [`KNOWN_UNITS`] (exact match).
pub fn is_known(unit: &str) -> bool {
    KNOWN_UNITS.contains(&unit)
}

/// Units whose values are percentages (0–100), where a value of 0.42 is probably a fraction.
pub fn is_percent(unit: &str) -> bool {
    unit == "%"
}

/// Units whose values are a yes/no flag (是/否, stored as 1/0): fill-in templates give such
/// cells a 是/否 drop-down and read 是 as 1 and 否 as 0.
pub fn is_yes_no(unit: &str) -> bool {
    unit == "yes/no"
}
