//! The whole pipeline against COINr: the JRC's ASEM Sustainable Connectivity index, run through
//! citycheck from the raw data to the index, compared cell by cell with the scores COINr stored
//! (`tests/reference/coinr_asem`, see its README for provenance).
//!
//! ```text
//! index ─┬─ conn ─┬─ conecfin  (5 indicators)      51 countries (30 Europe, 21 Asia), 2018
//!        │        ├─ instit    (6)                 49 indicators, 17 of them divided by one of
//!        │        ├─ p2p       (8)                 den_gdp, den_pop, den_area, den_energy
//!        │        ├─ physical  (8)
//!        │        └─ political (3)
//!        └─ sust ─┬─ environ   (5)
//!                 ├─ social    (9)
//!                 └─ susecfin  (5)
//! ```
//!
//! COINr's pipeline (`ASEM_COIN$Method`) and citycheck's spec step by step — checked with
//! numpy/pandas before this test was written (an independent re-implementation of
//! denominate → impute → treat → normalise → aggregate reproduces Data_Normalised and
//! Data_Aggregated to 1.4e-14 on the 0–100 scale):
//!
//! 1. *Denominate* — COINr: x / d, d the column of Denominators named by IndMeta.Denominator;
//!    a missing d gives a missing cell (Laos has no Den_Energy: its Elec and Gas). citycheck:
//!    `denominate: true` with the catalogue's `denominator`; x / d, missing when d is missing.
//! 2. *Impute* — COINr: `indgroup_mean` by Group_EurAsia, 65 cells (the 63 gaps of the raw data
//!    and Laos' Elec and Gas) ← the indicator's mean over the country's continent. citycheck:
//!    `Imputation::GroupMean { by: "Group_EurAsia" }` (within the year; one year here).
//! 3. *Treat* — COINr: Winsorise while |skew| > 2 and kurtosis > 3.5, up to 6 points, on the
//!    *imputed* data (treating before imputing would change 6 indicators: Tariff, CultServ,
//!    Gas, Poverty, FemLab, PubDebt). citycheck: `OutlierRule { winmax: 6, .. }`, applied in
//!    `run` to the imputed dataset.
//! 4. *Normalise* — COINr: min-max to [0, 100] over the 51 countries, Direction −1 → −x first.
//!    citycheck: `MinMax { lo: 0, hi: 100 }`, scope `Panel` (one year: the 51 countries),
//!    direction `lower` → o(x) = −x.
//! 5. *Aggregate* — COINr: weighted arithmetic mean of the children with all weights 1
//!    (Weights_Original.csv), level by level: Conn is the mean of its 5 sub-pillars, not of its
//!    30 indicators (the two differ by up to 5.6 points). citycheck: `Weight::Equal` and
//!    `Aggregate::Arithmetic` at every level.
//!
//! No missing value is left after imputation, so `missing = Renormalize` never acts.
//!
//! Not comparable: COINr's published rank table (Results_AggregatesRank.csv) ranks the
//! scores *rounded to 2 decimals* (ties sharing the best rank), citycheck ranks full-precision
//! scores. The two agree on the index, the pillars and 6 of the 8 sub-pillars; they differ on
//! RUS in ConEcFin (6.6160 vs JPN's 6.6189, both 6.62 rounded: COINr ranks both 47th, full
//! precision puts RUS 48th) and on PRT in Instit (77.5655 vs LUX's 77.5750, both 77.57: COINr
//! ranks both 3rd, full precision puts PRT 4th). The test compares the published ranks of the
//! index only, and every aggregate's rank with the ranks of COINr's full-precision scores.

use citycheck::WarningCode;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use citycheck::aggregate::{Aggregate, MissingPolicy};
use citycheck::checkup::{Scope, Staged};
use citycheck::normalize::Normalize;
use citycheck::treat::{Imputation, OutlierRule, Treatment};
use citycheck::weight::Weight;
use citycheck::{Catalog, Checkup, Panel, ReadOptions, Spec, ValidationMode};

use crate::prec::assert_close;
use crate::reference_csv::{Table, KEY_COLUMNS};

const RAW: &str = include_str!("../reference/coinr_asem/Data_Raw.csv");
const DENOMINATORS: &str = include_str!("../reference/coinr_asem/Denominators.csv");
const IND_META: &str = include_str!("../reference/coinr_asem/IndMeta.csv");
const AGG_META: &str = include_str!("../reference/coinr_asem/AggMeta.csv");
const STRUCTURE: &str = include_str!("../reference/coinr_asem/Structure.csv");
const WEIGHTS: &str = include_str!("../reference/coinr_asem/Weights_Original.csv");
const DENOMINATED: &str = include_str!("../reference/coinr_asem/Data_Denominated.csv");
const TREAT_SUMMARY: &str = include_str!("../reference/coinr_asem/TreatSummary.csv");
const NORMALISED: &str = include_str!("../reference/coinr_asem/Data_Normalised.csv");
const AGGREGATED: &str = include_str!("../reference/coinr_asem/Data_Aggregated.csv");
const PUBLISHED_RANKS: &str = include_str!("../reference/coinr_asem/Results_AggregatesRank.csv");

/// Absolute tolerance on the 0–100 score scale. COINr's stored scores are exact doubles
/// (shortest round-trip repr); an independent numpy re-run of the same five steps differs from
/// them by at most 1.4e-14. The differences come from R's `mean` (long-double accumulation)
/// in the imputation, 2.3e-16 relative on the imputed cells, and from summation order in the
/// means. Absolute, not relative: scores are on a fixed [0, 100] scale and the minimum of
/// each indicator is exactly 0.
const SCORE: f64 = 1e-9;

// ---------------------------------------------------------------------------------------------
// The catalogue, from IndMeta, AggMeta and Structure.

/// A COINr code as a catalogue id: lowercase, anything outside [a-z0-9_] → '_'
/// ("Den_GDP" → "den_gdp", "P2P" → "p2p", "Index" → "index", the implicit root).
fn id_of(code: &str) -> String {
    code.chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| if c.is_ascii_lowercase() || c.is_ascii_digit() { c } else { '_' })
        .collect()
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    assert!(!s.chars().any(char::is_control), "{s:?}");
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The ASEM framework as a citycheck catalogue: AggMeta's level-3 groups (Conn, Sust) under
/// the index, its level-2 groups (the 8 sub-pillars) under the pillar Structure.csv gives them,
/// the 49 indicators of IndMeta in their sub-pillar (the original code as an alias, direction
/// from IndMeta.Direction, the denominator from IndMeta.Denominator) and the 4 denominators as
/// context variables. Unit "index" throughout (the unit only matters for validation).
fn asem_catalog_toml() -> String {
    let meta = Table::parse(IND_META);
    let aggregates = Table::parse(AGG_META);
    let structure = Table::parse(STRUCTURE);
    let denominators = Table::parse(DENOMINATORS);

    // Sub-pillar → pillar, from Structure.csv (each sub-pillar under one pillar).
    let mut pillar_of: BTreeMap<&str, &str> = BTreeMap::new();
    let (subs, pillars, tops) = (structure.text("Agg1"), structure.text("Agg2"), structure.text("Agg3"));
    for ((&agg1, &agg2), &agg3) in subs.iter().zip(&pillars).zip(&tops) {
        assert_eq!(agg3, "Index");
        let earlier = pillar_of.insert(agg1, agg2);
        assert!(earlier.is_none_or(|p| p == agg2), "{agg1} under two pillars");
    }
    assert_eq!(structure.text("IndCode"), meta.text("IndCode"));
    assert_eq!(structure.text("Agg1"), meta.text("Agg1"), "IndMeta and Structure agree");

    let mut t = String::new();
    t.push_str(
        "[catalog]\nid = \"coinr-asem\"\nname = \"ASEM Sustainable Connectivity\"\nversion = \"2018\"\n\
         source = \"COINr v1.1.14 ASEM_COIN (JRC), tests/reference/coinr_asem\"\n",
    );
    // Pillars first (level 3, under the implicit index), then sub-pillars (level 2).
    let levels = aggregates.values("AgLevel");
    let (codes, names) = (aggregates.text("Code"), aggregates.text("Name"));
    let mut groups = BTreeSet::new();
    for wanted in [4.0, 3.0, 2.0] {
        for k in (0..codes.len()).filter(|&k| levels[k] == wanted) {
            let (code, name) = (codes[k], names[k]);
            if wanted == 4.0 {
                assert_eq!(id_of(code), citycheck::catalog::ROOT_ID, "the top level is the index");
                continue;
            }
            t.push_str("\n[[groups]]\n");
            entry(&mut t, "id", &quoted(&id_of(code)));
            entry(&mut t, "name_zh", &quoted(name));
            entry(&mut t, "name_en", &quoted(name));
            if wanted == 2.0 {
                let pillar = pillar_of.get(code).unwrap_or_else(|| panic!("sub-pillar {code} has no pillar"));
                entry(&mut t, "parent", &quoted(&id_of(pillar)));
            }
            groups.insert(code);
        }
    }
    assert_eq!(groups.len(), 10, "8 sub-pillars and 2 pillars");

    let directions = meta.values("Direction");
    let sub_pillars = meta.text("Agg1");
    for (k, ((code, name), den)) in
        meta.text("IndCode").into_iter().zip(meta.text("IndName")).zip(meta.text("Denominator")).enumerate()
    {
        let direction = if directions[k] == 1.0 {
            "higher"
        } else if directions[k] == -1.0 {
            "lower"
        } else {
            panic!("{code}: direction {}", directions[k])
        };
        t.push_str("\n[[indicators]]\n");
        entry(&mut t, "id", &quoted(&id_of(code)));
        entry(&mut t, "aliases", &format!("[{}]", quoted(code)));
        entry(&mut t, "name_zh", &quoted(name));
        entry(&mut t, "name_en", &quoted(name));
        entry(&mut t, "group", &quoted(&id_of(sub_pillars[k])));
        entry(&mut t, "unit", "\"index\"");
        entry(&mut t, "direction", &quoted(direction));
        if !den.is_empty() {
            entry(&mut t, "denominator", &quoted(&id_of(den)));
        }
    }
    // The denominators: context variables (no group, no direction), read but not scored.
    for code in denominators.indicators() {
        t.push_str("\n[[indicators]]\n");
        entry(&mut t, "id", &quoted(&id_of(code)));
        entry(&mut t, "aliases", &format!("[{}]", quoted(code)));
        entry(&mut t, "name_zh", &quoted(code));
        entry(&mut t, "name_en", &quoted(code));
        entry(&mut t, "unit", "\"index\"");
    }
    t
}

/// Appends the TOML line `key = value`.
fn entry(t: &mut String, key: &str, value: &str) {
    writeln!(t, "{key} = {value}").unwrap();
}

// ---------------------------------------------------------------------------------------------
// The panel: Data_Raw and Denominators in long form, Group_EurAsia as a unit attribute.

/// Writes `asem.csv` (unit, year, indicator, value: every cell of Data_Raw and Denominators,
/// the value text unchanged, a missing value as an empty field) and `groups.csv` (unit,
/// Group_EurAsia) into `dir`. Units are the ISO codes, indicators the COINr codes (resolved by
/// the catalogue's aliases).
fn write_panel(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let raw = Table::parse(RAW);
    let denominators = Table::parse(DENOMINATORS);
    assert_eq!(raw.text("UnitCode"), denominators.text("UnitCode"));
    let mut long = String::from("unit,year,indicator,value\n");
    for table in [&raw, &denominators] {
        let (units, years) = (table.text("UnitCode"), table.values("Year"));
        for code in table.indicators() {
            for (i, value) in table.text(code).into_iter().enumerate() {
                assert!(!value.contains(','), "{value:?}");
                writeln!(long, "{},{},{code},{value}", units[i], years[i] as i32).unwrap();
            }
        }
    }
    let mut groups = String::from("unit,Group_EurAsia\n");
    for (unit, group) in raw.text("UnitCode").into_iter().zip(raw.text("Group_EurAsia")) {
        writeln!(groups, "{unit},{group}").unwrap();
    }
    let (panel_path, groups_path) = (dir.join("asem.csv"), dir.join("groups.csv"));
    std::fs::write(&panel_path, long).expect("write the panel");
    std::fs::write(&groups_path, groups).expect("write the attributes");
    (panel_path, groups_path)
}

/// 1-based rank of each value, best (largest) first, ties sharing the best rank.
fn ranks_best_first(values: &[f64]) -> Vec<u32> {
    values.iter().map(|v| 1 + values.iter().filter(|w| *w > v).count() as u32).collect()
}

// ---------------------------------------------------------------------------------------------

/// COINr's ASEM index (`ASEM_COIN`, COINr v1.1.14, built by `COINr6::build_ASEM()`), run from
/// Data_Raw + Denominators through citycheck's whole pipeline: every indicator's normalised
/// score against `Data$Normalised`, every sub-pillar, pillar and index score against
/// `Data$Aggregated`, the 65 imputed cells against the gaps of `Data$Denominated`, each
/// indicator's outlier treatment against `Analysis$Treated$TreatSummary`, and the ranks.
#[test]
fn asem_index_reproduces_coinr_end_to_end() -> citycheck::Result<()> {
    let toml = asem_catalog_toml();
    let catalog = Catalog::from_toml(&toml, "coinr-asem (built in tests/it/coinr.rs)")?;
    assert_eq!(catalog.indicators().len(), 49 + 4);
    assert_eq!(catalog.position("Goods"), catalog.position("goods"), "the COINr code is an alias");

    // Equal weights are COINr's: every weight of Weights_Original (and of IndMeta, AggMeta) is 1.
    for (table, column) in [(WEIGHTS, "Weight"), (IND_META, "IndWeight"), (AGG_META, "Weight")] {
        assert!(Table::parse(table).values(column).iter().all(|&w| w == 1.0), "{column}");
    }

    let dir = tempfile::tempdir().expect("a temporary folder");
    let (panel_path, groups_path) = write_panel(dir.path());
    let mut panel = Panel::read(&panel_path, &ReadOptions::default())?;
    panel.attach_attributes(&groups_path, None)?;
    let validation = panel.validate(&catalog, ValidationMode::Strict)?;

    let spec = Spec {
        denominate: true,
        impute: Imputation::GroupMean { by: "Group_EurAsia".into() },
        treat: Some(OutlierRule { winmax: 6, ..OutlierRule::default() }),
        normalize: Normalize::MinMax { lo: 0.0, hi: 100.0 },
        scope: Scope::Panel,
        weights: Staged::uniform(Weight::Equal),
        aggregate: Staged::uniform(Aggregate::Arithmetic),
        missing: MissingPolicy::Renormalize,
    };
    let checkup = Checkup::new(catalog.clone(), spec)?;
    let data = checkup.prepare(&panel, &validation)?;
    let data_warnings = data.notes();
    assert!(data.left_out().is_empty(), "{:?}", data.left_out());
    // Laos has no Den_Energy: its Elec and Gas are lost to denomination, then imputed.
    for id in ["elec", "gas"] {
        let quoted_id = format!("'{id}'");
        assert!(
            data_warnings.iter().any(|w| w.code == WarningCode::DenominatorMissing
                && w.message.contains(&quoted_id)
                && w.message.contains("den_energy")),
            "{id}: {data_warnings:?}"
        );
    }
    assert!(
        data_warnings
            .iter()
            .any(|w| w.code == WarningCode::Imputed && w.message.contains("65 missing cell(s) imputed by group_mean")),
        "{data_warnings:?}"
    );
    let outcome = checkup.fit(&data)?;
    let scores = &outcome.scores;
    assert_eq!(scores.rows(), 51);

    let normalised = Table::parse(NORMALISED);
    let aggregated = Table::parse(AGGREGATED);
    let denominated = Table::parse(DENOMINATED);
    let units = normalised.text("UnitCode");
    assert_eq!(units, aggregated.text("UnitCode"));
    assert_eq!(units, denominated.text("UnitCode"));
    assert!(normalised.values("Year").iter().all(|&y| y == 2018.0));
    let row_of = |unit: &str| (0..scores.rows()).find(|&r| scores.unit(r) == unit).expect("a scored unit");

    // Indicators: the normalised scores, and which cells were imputed.
    let indicators = normalised.indicators();
    assert_eq!(indicators, Table::parse(IND_META).text("IndCode"));
    let mut imputed = 0;
    for code in &indicators {
        let (id, want, gap) = (id_of(code), normalised.values(code), denominated.values(code));
        // Data_Aggregated carries the normalised indicators too, unchanged.
        assert_eq!(aggregated.text(code), normalised.text(code), "{code}");
        let node = scores.node(&id).expect("an indicator node");
        for (i, &unit) in units.iter().enumerate() {
            let got = scores.get(unit, 2018, &id).unwrap_or_else(|| panic!("{unit} {code}: no score"));
            assert_close(got, want[i], SCORE, &format!("normalised {code} of {unit}"));
            let flagged = scores.imputed(row_of(unit), node);
            assert_eq!(flagged, gap[i].is_nan(), "{unit} {code}: imputed flag");
            imputed += usize::from(flagged);
        }
    }
    assert_eq!(imputed, 65);
    assert_eq!(scores.imputed_count(), 65);

    // Sub-pillars, pillars and the index: Data_Aggregated's columns after the indicators.
    let aggregates: Vec<&str> =
        aggregated.header[KEY_COLUMNS + indicators.len()..].iter().map(String::as_str).collect();
    assert_eq!(aggregates.len(), 8 + 2 + 1, "{aggregates:?}");
    for code in &aggregates {
        let (id, want) = (id_of(code), aggregated.values(code));
        let node = scores.node(&id).unwrap_or_else(|| panic!("no node '{id}'"));
        let expected_ranks = ranks_best_first(&want);
        for (i, &unit) in units.iter().enumerate() {
            let got = scores.get(unit, 2018, &id).unwrap_or_else(|| panic!("{unit} {code}: no score"));
            assert_close(got, want[i], SCORE, &format!("{code} of {unit}"));
            // The smallest gap between two units' aggregate scores is 0.0027 (Sust): far above
            // the tolerance, so the ranks cannot flip.
            assert_eq!(scores.rank(row_of(unit), node), Some(expected_ranks[i]), "rank of {unit} in {code}");
        }
    }
    // COINr's published ranking by the index (Results_AggregatesRank.csv; no ties after
    // rounding to 2 dp, so the same as the full-precision ranking). See the module
    // documentation for the two sub-pillar ranks that were taken on rounded scores.
    let published = Table::parse(PUBLISHED_RANKS);
    let index = scores.node("index").expect("the root");
    for (unit, rank) in published.text("UnitCode").into_iter().zip(published.values("Index")) {
        assert_eq!(scores.rank(row_of(unit), index), Some(rank as u32), "published index rank of {unit}");
    }

    // Outlier treatment, fitted on the 51 imputed values of each indicator: the same cells
    // Winsorised as COINr's TreatSummary (15 indicators, none logged).
    let summary = Table::parse(TREAT_SUMMARY);
    let set = &outcome.fitted.sets[0];
    assert_eq!(set.treatment.len(), 49);
    let (lows, highs) = (summary.values("Low"), summary.values("High"));
    let mut winsorised = 0;
    for (k, (code, outcome_text)) in summary.text("IndCode").into_iter().zip(summary.text("Treatment")).enumerate() {
        let id = id_of(code);
        let fitted = set.treatment.iter().find(|t| t.indicator == id).unwrap_or_else(|| panic!("{id}: no treatment"));
        let expected = if outcome_text == "None" {
            Treatment::None
        } else {
            Treatment::Winsorised { low: lows[k] as usize, high: highs[k] as usize }
        };
        assert_eq!(fitted.report.treatment, expected, "{code}: TreatSummary says {outcome_text:?}");
        winsorised += usize::from(expected != Treatment::None);
    }
    assert_eq!(winsorised, 15);
    Ok(())
}
