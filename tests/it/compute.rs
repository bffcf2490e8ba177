//! Indicators computed from object records (issue 8): every formula kind by hand on a tiny
//! hierarchy, roll-up consistency, and the records a check-up office gets wrong.

use polars::prelude::*;

use citycheck::compute::{
    compute, ledger_parents, ledger_part, parse_formula, roll_up, ComputeOptions, DuplicateIds, ObjectLevel,
    PartialSums, RecordTable,
};
use citycheck::error::IssueKind;
use citycheck::Catalog;

use crate::prec::{assert_close, EXACT};

/// One city C, two districts (D1, D2), three blocks, four compounds, six buildings.
/// ```text
/// building  compound  block  district  gas    age  dwellings lacking
/// b1        r1        k1     D1        true   25   2
/// b2        r1        k1     D1        false  30   0
/// b3        r2        k1     D1        null   10   1      ← gas unknown: never "no problem"
/// b4        r3        k2     D1        true   5    0
/// b5        r4        k3     D2        true   40   3
/// b6        r4        k3     D2        false  22   0
/// ```
fn buildings() -> DataFrame {
    df!(
        "year" => [2025i32; 6],
        "city_id" => ["C"; 6],
        "district_id" => ["D1", "D1", "D1", "D1", "D2", "D2"],
        "block_id" => ["k1", "k1", "k1", "k2", "k3", "k3"],
        "compound_id" => ["r1", "r1", "r2", "r3", "r4", "r4"],
        "building_id" => ["b1", "b2", "b3", "b4", "b5", "b6"],
        "gas_hazard" => [Some(true), Some(false), None, Some(true), Some(true), Some(false)],
        "gas_pipe_age" => [25i64, 30, 10, 5, 40, 22],
        "non_self_contained" => [2i64, 0, 1, 0, 3, 0],
    )
    .unwrap()
}

/// ```text
/// compound  residents  park_m  elderly  parking req/prov
/// r1        1000       300     true     100 / 80    → shortfall 20
/// r2        500        800     false    50 / 60     → 0
/// r3        2000       450     null     10 / 0      → 10   (elderly unknown)
/// r4        1500       600     false    40 / 40     → 0
/// ```
fn compounds() -> DataFrame {
    df!(
        "year" => [2025i32; 4],
        "city_id" => ["C"; 4],
        "district_id" => ["D1", "D1", "D1", "D2"],
        "block_id" => ["k1", "k1", "k2", "k3"],
        "compound_id" => ["r1", "r2", "r3", "r4"],
        "residents" => [1000.0, 500.0, 2000.0, 1500.0],
        "park_distance_m" => [300.0, 800.0, 450.0, 600.0],
        "has_elderly_care" => [Some("是"), Some("否"), None, Some("false")],
        "parking_required" => [100i64, 50, 10, 40],
        "parking_provided" => [80i64, 60, 0, 40],
    )
    .unwrap()
}

/// District D1: 40 km of road on 5 km², 600,000 m² of parks for 60,000 people; D2: 30 on 6,
/// 300,000 for 50,000.
fn districts() -> DataFrame {
    df!(
        "year" => [2025i32; 2],
        "city_id" => ["C"; 2],
        "district_id" => ["D1", "D2"],
        "road_length_km" => [40.0, 30.0],
        "area_km2" => [5.0, 6.0],
        "park_green_area_m2" => [600_000.0, 300_000.0],
        "population" => [60_000.0, 50_000.0],
    )
    .unwrap()
}

fn catalog() -> Catalog {
    let formulas = [
        ("gas", "building", "count(gas_hazard)", ""),
        ("old_gas", "building", "count(gas_hazard && gas_pipe_age >= 20)", ""),
        ("gas_share", "building", "share(gas_hazard)", ""),
        ("lacking", "building", "sum(non_self_contained)", ""),
        ("no_elderly", "compound", "count(!has_elderly_care)", ""),
        ("parking_gap", "compound", "shortfall(parking_required, parking_provided)", ""),
        ("park_cover", "compound", "coverage(residents, park_distance_m <= 500)", ""),
        ("road_density", "district", "ratio(road_length_km, area_km2)", ""),
        ("park_pc", "district", "per_capita(park_green_area_m2, population)", ""),
        ("park_pc_10k", "district", "per_capita(park_green_area_m2, population)", "scale = 10000.0\n"),
    ];
    let mut toml = String::from(
        "[catalog]\nid = \"records\"\nname = \"records\"\nversion = \"1\"\n[[groups]]\nid = \"g\"\nname_zh = \"组\"\nname_en = \"g\"\n",
    );
    for (id, object, expr, extra) in formulas {
        toml.push_str(&format!(
            "[[indicators]]\nid = \"{id}\"\nname_zh = \"{id}\"\nname_en = \"{id}\"\ngroup = \"g\"\nunit = \"count\"\ndirection = \"lower\"\n[indicators.formula]\nobject = \"{object}\"\nexpr = \"{expr}\"\n{extra}"
        ));
    }
    Catalog::from_toml(&toml, "records.toml").unwrap()
}

fn tables() -> Vec<RecordTable> {
    vec![
        RecordTable::from_frame(buildings(), "buildings").unwrap(),
        RecordTable::from_frame(compounds(), "compounds").unwrap(),
        RecordTable::from_frame(districts(), "districts").unwrap(),
    ]
}

/// (value, numerator, denominator, unknown) of one indicator at one unit.
fn row(df: &DataFrame, level: &str, unit: &str, indicator: &str) -> (Option<f64>, Option<f64>, Option<f64>, u64) {
    let r = df
        .clone()
        .lazy()
        .filter(col("level").eq(lit(level)).and(col("unit").eq(lit(unit))).and(col("indicator").eq(lit(indicator))))
        .collect()
        .unwrap();
    assert_eq!(r.height(), 1, "{level} {unit} {indicator}: {r}");
    let f = |c: &str| r.column(c).unwrap().f64().unwrap().get(0);
    (f("value"), f("numerator"), f("denominator"), r.column("unknown").unwrap().u64().unwrap().get(0).unwrap())
}

#[test]
fn every_formula_kind_by_hand() {
    let out = compute(&catalog(), &tables(), &ComputeOptions::default()).unwrap();
    let df = &out.indicators().unwrap();
    // count(gas_hazard): D1 has b1, b4 true, b2 false, b3 unknown → 2 of 3 known, 1 unknown.
    assert_eq!(row(df, "district", "D1", "gas"), (Some(2.0), Some(2.0), Some(3.0), 1));
    assert_eq!(row(df, "district", "D2", "gas"), (Some(1.0), Some(1.0), Some(2.0), 0));
    assert_eq!(row(df, "city", "C", "gas"), (Some(3.0), Some(3.0), Some(5.0), 1));
    // At compound r2 the only building is unknown: 0 problems found of 0 known, 1 unknown.
    assert_eq!(row(df, "compound", "r2", "gas"), (Some(0.0), Some(0.0), Some(0.0), 1));
    // gas && age ≥ 20: b1 (25) and b5 (40); b3 is false && unknown = false (age 10 < 20), known.
    assert_eq!(row(df, "city", "C", "old_gas"), (Some(2.0), Some(2.0), Some(6.0), 0));
    // share: 100 · 3 / 5 at city level; block k1: b1 of (b1, b2) known → 50%.
    assert_eq!(row(df, "city", "C", "gas_share").0, Some(60.0));
    assert_eq!(row(df, "block", "k1", "gas_share"), (Some(50.0), Some(1.0), Some(2.0), 1));
    // sum: 2 + 0 + 1 + 0 + 3 + 0 = 6; no denominator.
    assert_eq!(row(df, "city", "C", "lacking"), (Some(6.0), Some(6.0), None, 0));
    // count(!has_elderly_care) with text flags: r2 否 and r4 false → 2; r3 unknown.
    assert_eq!(row(df, "city", "C", "no_elderly"), (Some(2.0), Some(2.0), Some(3.0), 1));
    // shortfall: max(0, 100−80) + max(0, 50−60) + max(0, 10−0) + 0 = 30.
    assert_eq!(row(df, "city", "C", "parking_gap").0, Some(30.0));
    assert_eq!(row(df, "district", "D2", "parking_gap").0, Some(0.0));
    // coverage: residents within 500 m: r1 1000 + r3 2000 of 5000 → 60%; D1: 3000/3500.
    assert_eq!(row(df, "city", "C", "park_cover"), (Some(60.0), Some(3000.0), Some(5000.0), 0));
    assert_close(row(df, "district", "D1", "park_cover").0.unwrap(), 100.0 * 3000.0 / 3500.0, EXACT, "D1 coverage");
    // ratio of sums, not mean of ratios: city (40 + 30)/(5 + 6) = 70/11, not (8 + 5)/2.
    assert_close(row(df, "city", "C", "road_density").0.unwrap(), 70.0 / 11.0, EXACT, "road density");
    assert_eq!(row(df, "district", "D1", "road_density").0, Some(8.0));
    // per capita: 900,000 / 110,000 m² per person; scale 10,000 → per 10,000 people.
    assert_close(row(df, "city", "C", "park_pc").0.unwrap(), 900_000.0 / 110_000.0, EXACT, "per capita");
    assert_close(row(df, "city", "C", "park_pc_10k").0.unwrap(), 1e4 * 900_000.0 / 110_000.0, 1e-9, "per 10k");
    // District records do not produce compound or block rows.
    let levels: Vec<String> = df
        .clone()
        .lazy()
        .filter(col("indicator").eq(lit("road_density")))
        .select([col("level")])
        .unique(None, UniqueKeepStrategy::Any)
        .collect()
        .unwrap()
        .column("level")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|s| s.unwrap().to_string())
        .collect();
    assert_eq!(levels.len(), 2, "{levels:?}");
    assert!(out.issues.is_empty(), "{:?}", out.issues);
}

#[test]
fn roll_ups_add_up_level_by_level() {
    let out = compute(&catalog(), &tables(), &ComputeOptions::default()).unwrap();
    let sums = |level: &str, indicator: &str| -> f64 {
        out.indicators()
            .unwrap()
            .lazy()
            .filter(col("level").eq(lit(level)).and(col("indicator").eq(lit(indicator))))
            .select([col("numerator").sum()])
            .collect()
            .unwrap()
            .column("numerator")
            .unwrap()
            .f64()
            .unwrap()
            .get(0)
            .unwrap()
    };
    for indicator in ["gas", "old_gas", "lacking", "no_elderly", "parking_gap", "park_cover"] {
        let city = sums("city", indicator);
        for level in ["compound", "block", "district"] {
            assert_eq!(sums(level, indicator), city, "{indicator} at {level}");
        }
    }
}

#[test]
fn the_ledger_lists_each_object_and_problem() {
    let out = compute(&catalog(), &tables(), &ComputeOptions::default()).unwrap();
    let ledger = out.ledger().unwrap().unwrap();
    let gas = ledger.clone().lazy().filter(col("indicator").eq(lit("gas"))).collect().unwrap();
    let ids: Vec<&str> = gas.column("object_id").unwrap().str().unwrap().iter().map(|s| s.unwrap()).collect();
    assert_eq!(ids, ["b1", "b4", "b5"], "the unknown b3 is not a listed problem");
    assert_eq!(gas.column("compound_id").unwrap().str().unwrap().get(1), Some("r3"));
    let elderly = ledger.lazy().filter(col("indicator").eq(lit("no_elderly"))).collect().unwrap();
    assert_eq!(elderly.column("level").unwrap().str().unwrap().get(0), Some("compound"));
    assert_eq!(elderly.height(), 2);
}

#[test]
fn bad_records_are_reported_never_counted_silently() {
    // A duplicate building id, a building under a compound that the compound table lacks, and
    // a building whose compound is in another block than its neighbours say.
    let mut b = buildings();
    let extra = df!(
        "year" => [2025i32, 2025, 2025],
        "city_id" => ["C", "C", "C"],
        "district_id" => ["D1", "D1", "D2"],
        "block_id" => ["k1", "k9", "k3"],
        "compound_id" => ["r1", "r9", "r1"],
        "building_id" => ["b1", "b7", "b8"],
        "gas_hazard" => [Some(true), Some(false), Some(false)],
        "gas_pipe_age" => [1i64, 1, 1],
        "non_self_contained" => [0i64, 0, 0],
    )
    .unwrap();
    b.vstack_mut(&extra).unwrap();
    let tables = vec![
        RecordTable::from_frame(b, "buildings.csv").unwrap(),
        RecordTable::from_frame(compounds(), "compounds.csv").unwrap(),
        RecordTable::from_frame(districts(), "districts.csv").unwrap(),
    ];
    let out = compute(&catalog(), &tables, &ComputeOptions::default()).unwrap();
    let text: Vec<String> = out.issues.iter().map(|i| i.to_string()).collect();
    let has = |kind: IssueKind, words: &str| out.issues.iter().any(|i| i.kind == kind && i.message.contains(words));
    assert!(has(IssueKind::DuplicateObservation, "b1"), "{text:?}");
    assert!(has(IssueKind::MissingKey, "r9"), "{text:?}");
    assert!(has(IssueKind::InvalidSource, "r1"), "{text:?}");
}

#[test]
fn formulas_are_checked_before_anything_runs() {
    // Unknown column: the error names it, the indicator and the file.
    let toml = "[catalog]\nid = \"x\"\nname = \"x\"\nversion = \"1\"\n[[groups]]\nid = \"g\"\nname_zh = \"g\"\nname_en = \"g\"\n\
        [[indicators]]\nid = \"typo\"\nname_zh = \"t\"\nname_en = \"t\"\ngroup = \"g\"\nunit = \"count\"\ndirection = \"lower\"\n\
        [indicators.formula]\nobject = \"building\"\nexpr = \"count(gas_hazzard)\"\n";
    let typo = Catalog::from_toml(toml, "x.toml").unwrap();
    let err = compute(&typo, &tables(), &ComputeOptions::default()).unwrap_err().to_string();
    assert!(err.contains("gas_hazzard") && err.contains("typo") && err.contains("buildings"), "{err}");
    // A number column used as a flag, a text column summed.
    let wrong = toml.replace("count(gas_hazzard)", "sum(building_id)");
    let err = compute(&Catalog::from_toml(&wrong, "x.toml").unwrap(), &tables(), &ComputeOptions::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("needs numbers"), "{err}");
    // A formula that does not parse fails when the catalogue loads, naming the entry.
    let broken = toml.replace("count(gas_hazzard)", "count(gas_hazard &&)");
    let err = Catalog::from_toml(&broken, "x.toml").unwrap_err().to_string();
    assert!(err.contains("typo") && err.contains("character"), "{err}");
    // The parser: precedence (&& binds tighter than ||), negation, literals.
    let f = parse_formula("count(a || b && !c)").unwrap();
    assert_eq!(format!("{f:?}"), r#"Count(Or(Flag("a"), And(Flag("b"), Not(Flag("c")))))"#);
    assert!(parse_formula("count(kind == \"old\")").is_ok());
    assert!(parse_formula("count(a > true)").is_err(), "only == and != on flags");
    assert!(parse_formula("median(a)").is_err());
    assert!(parse_formula("shortfall(20, provided)").is_ok());
    // Records without ids, or of one type in two tables.
    let no_ids = df!("year" => [2025i32], "x" => [1.0]).unwrap();
    assert!(RecordTable::from_frame(no_ids, "x").is_err());
    let twice = vec![tables()[0].clone(), tables()[0].clone()];
    assert!(compute(&catalog(), &twice, &ComputeOptions::default()).is_err());
    // Levels: only the district table, asked for compounds only → nothing to produce.
    let only = ComputeOptions { levels: vec![ObjectLevel::Compound], ledger: false };
    let out = compute(&catalog(), &tables(), &only).unwrap();
    assert!(out.ledger().unwrap().is_none());
    assert!(out.issues.iter().any(|i| i.message.contains("no requested level")));
}

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/province_sample");

fn sample_tables(folder: &str) -> Vec<RecordTable> {
    let paths: Vec<std::path::PathBuf> = ["buildings", "compounds", "blocks", "districts"]
        .iter()
        .map(|t| std::path::Path::new(folder).join(format!("{t}.csv")))
        .collect();
    RecordTable::read_all(&paths).unwrap()
}

/// The shipped synthetic province (3,000 buildings, 2024–2025) against the independent pandas
/// implementation `scripts/peers/compute_pandas.py` (tests/reference/province_sample_expected
/// .README.md), every row, level and indicator; DuckDB (`compute_duckdb.py`) agrees with it.
#[test]
fn the_sample_province_matches_the_pandas_peer() {
    use crate::reference_csv::Table;
    let catalog = Catalog::builtin("mohurd-2023").unwrap();
    let out = compute(&catalog, &sample_tables(SAMPLE), &ComputeOptions::default()).unwrap();
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    let expected = Table::parse(include_str!("../reference/province_sample_expected.csv"));
    let mut actual = Vec::new();
    polars::prelude::CsvWriter::new(&mut actual).finish(&mut out.indicators().unwrap()).unwrap();
    let actual = Table::parse(std::str::from_utf8(&actual).unwrap());
    let key =
        |t: &Table, k: usize| ["unit", "level", "year", "indicator"].map(|c| t.rows[k][t.column(c)].clone()).join("|");
    let index: std::collections::HashMap<String, usize> =
        (0..actual.rows.len()).map(|k| (key(&actual, k), k)).collect();
    assert_eq!(actual.rows.len(), expected.rows.len());
    for k in 0..expected.rows.len() {
        let a = index[&key(&expected, k)];
        for column in ["value", "numerator", "denominator", "unknown"] {
            let (x, y) = (&actual.rows[a][actual.column(column)], &expected.rows[k][expected.column(column)]);
            let same = match (x.parse::<f64>(), y.parse::<f64>()) {
                (Ok(x), Ok(y)) => (x - y).abs() <= 1e-9 * y.abs().max(1.0),
                _ => x.is_empty() && y.is_empty(),
            };
            assert!(same, "{}: {column} {x:?} vs {y:?}", key(&expected, k));
        }
    }
}

/// The defects folder (datasets/province_sample/PROVENANCE.md): a duplicate building, a
/// building whose district disagrees with its compound's, and a building under a compound the
/// compound table lacks — each reported, none silently dropped or merged.
#[test]
fn the_defects_of_the_sample_are_reported() {
    let catalog = Catalog::builtin("mohurd-2023").unwrap();
    let out = compute(&catalog, &sample_tables(&format!("{SAMPLE}/defects")), &ComputeOptions::default()).unwrap();
    let has = |kind: IssueKind, words: &str| out.issues.iter().any(|i| i.kind == kind && i.message.contains(words));
    let text: Vec<String> = out.issues.iter().map(|i| i.to_string()).collect();
    assert!(has(IssueKind::DuplicateObservation, "C01-D01-B001-R0004-0001"), "{text:?}");
    assert!(has(IssueKind::MissingKey, "C01-D02-B003-R0099"), "{text:?}");
    assert!(has(IssueKind::InvalidSource, "under more than one district"), "{text:?}");
    assert_eq!(out.issues.len(), 3, "{text:?}");
}

/// The tables of a sample folder as frames (read as `RecordTable::read` infers CSV types).
fn sample_frames(folder: &str) -> Vec<(String, DataFrame)> {
    ["buildings", "compounds", "blocks", "districts"]
        .iter()
        .map(|t| {
            let path = std::path::Path::new(folder).join(format!("{t}.csv"));
            let df = CsvReadOptions::default()
                .with_has_header(true)
                .with_infer_schema_length(Some(10_000))
                .try_into_reader_with_file_path(Some(path))
                .unwrap()
                .finish()
                .unwrap();
            (t.to_string(), df)
        })
        .collect()
}

/// Every table of `frames` cut in two by alternate rows, each half summed alone — as two
/// Spark partitions would: every compound's buildings and every district's compounds lie in
/// both halves.
fn halves(catalog: &Catalog, frames: &[(String, DataFrame)], options: &ComputeOptions) -> Vec<PartialSums> {
    let mut parts = Vec::new();
    for (name, df) in frames {
        for parity in [0, 1] {
            let mask: BooleanChunked = (0..df.height()).map(|i| i % 2 == parity).collect();
            let half = RecordTable::from_frame(df.filter(&mask).unwrap(), format!("{name} half {parity}")).unwrap();
            parts.extend(PartialSums::of(catalog, &half, options).unwrap());
        }
    }
    parts
}

/// The same indicator rows: keys, unknown and objects exactly, the sums within 1e-12 relative
/// (the parts are added in another order: DESIGN.md, "how exact").
fn assert_same_indicators(expected: &DataFrame, actual: &DataFrame) {
    assert_eq!(expected.height(), actual.height());
    for name in ["unit", "level", "year", "indicator", "unknown", "objects"] {
        assert!(expected.column(name).unwrap().equals_missing(actual.column(name).unwrap()), "{name}");
    }
    for name in ["value", "numerator", "denominator"] {
        let (e, a) = (expected.column(name).unwrap().f64().unwrap(), actual.column(name).unwrap().f64().unwrap());
        for (k, (x, y)) in e.iter().zip(a.iter()).enumerate() {
            match (x, y) {
                (Some(x), Some(y)) => assert_close(y, x, EXACT * x.abs().max(1.0), &format!("{name} of row {k}")),
                (x, y) => assert_eq!(x, y, "{name} of row {k}"),
            }
        }
    }
}

/// Issue 21: partial sums of two halves of the shipped sample, rolled up together, give every
/// indicator row `compute` gives from the whole, with the same issues (none).
#[test]
fn partial_sums_of_two_halves_roll_up_to_the_whole() {
    let catalog = Catalog::builtin("mohurd-2023").unwrap();
    let options = ComputeOptions::default();
    let frames = sample_frames(SAMPLE);
    let whole: Vec<RecordTable> =
        frames.iter().map(|(name, df)| RecordTable::from_frame(df.clone(), name.as_str()).unwrap()).collect();
    let expected = compute(&catalog, &whole, &options).unwrap();
    let parts = halves(&catalog, &frames, &options);
    assert_eq!(parts.len(), 8, "four tables, two halves each");
    let actual = roll_up(&catalog, &whole, &parts, &[], &options).unwrap();
    assert_same_indicators(&expected.indicators().unwrap(), &actual.indicators().unwrap());
    assert_eq!(actual.issues, expected.issues);
    assert!(actual.ledger().unwrap().is_none(), "the ledger of parts is made in parts");
    // The parts may come in any order and number: each part given twice counts every record
    // twice, in the same rows.
    let mut quarters = parts.clone();
    quarters.reverse();
    quarters.extend(parts.iter().cloned());
    let doubled = roll_up(&catalog, &whole, &quarters, &[], &options).unwrap().indicators().unwrap();
    let twice = |c: &str| doubled.column(c).unwrap().cast(&DataType::Float64).unwrap();
    let once = |c: &str| expected.indicators().unwrap().column(c).unwrap().cast(&DataType::Float64).unwrap();
    let (o2, o1) = (twice("objects"), once("objects"));
    assert!(o2.f64().unwrap().iter().zip(o1.f64().unwrap().iter()).all(|(a, b)| a == b.map(|b| 2.0 * b)));
}

/// Issue 21: the defects of the sample (a duplicate building, a building whose district
/// disagrees with its compound's, a building under a compound the compound table lacks) are
/// reported from partial sums exactly as `compute` reports them from the records, when the
/// duplicates are counted over all records (as Spark counts them) and handed in; the ledger
/// made in parts is the ledger of the whole.
#[test]
fn partial_sums_report_the_defects_as_compute_does() {
    let catalog = Catalog::builtin("mohurd-2023").unwrap();
    let options = ComputeOptions::default();
    let frames = sample_frames(&format!("{SAMPLE}/defects"));
    let whole: Vec<RecordTable> =
        frames.iter().map(|(name, df)| RecordTable::from_frame(df.clone(), name.as_str()).unwrap()).collect();
    let expected = compute(&catalog, &whole, &options).unwrap();
    // The duplicates, counted independently: ids of a table seen more than once in a year.
    let mut duplicates = Vec::new();
    for (table, (_, df)) in whole.iter().zip(&frames) {
        let id = table.level.id_column();
        let ids = df
            .clone()
            .lazy()
            .filter(col(id).is_not_null())
            .group_by([col("year"), col(id).cast(DataType::String)])
            .agg([len().alias("n")])
            .filter(col("n").gt(lit(1)))
            .select([col(id)])
            .unique(None, UniqueKeepStrategy::Any)
            .sort([id], SortMultipleOptions::default())
            .collect()
            .unwrap();
        let first: Vec<String> =
            ids.column(id).unwrap().str().unwrap().iter().take(5).map(|v| v.unwrap().to_string()).collect();
        duplicates.push(DuplicateIds { object: table.level, count: ids.height(), first });
    }
    let actual = roll_up(&catalog, &whole, &halves(&catalog, &frames, &options), &duplicates, &options).unwrap();
    assert_eq!(expected.issues.len(), 3, "{:?}", expected.issues);
    assert_eq!(actual.issues, expected.issues);
    assert_same_indicators(&expected.indicators().unwrap(), &actual.indicators().unwrap());

    // The ledger, part by part with the parent columns of all tables.
    let parents = ledger_parents(&catalog, &whole);
    let mut parts: Option<DataFrame> = None;
    for (name, df) in &frames {
        for parity in [0, 1] {
            let mask: BooleanChunked = (0..df.height()).map(|i| i % 2 == parity).collect();
            let half = RecordTable::from_frame(df.filter(&mask).unwrap(), name.as_str()).unwrap();
            if let Some(part) = ledger_part(&catalog, &half, &options, &parents).unwrap() {
                match &mut parts {
                    None => parts = Some(part),
                    Some(all) => {
                        all.vstack_mut(&part).unwrap();
                    }
                }
            }
        }
    }
    let columns = ["year", "level", "object_id", "compound_id", "block_id", "district_id", "city_id", "indicator"];
    let sorted = |df: DataFrame| df.lazy().sort(columns, SortMultipleOptions::default()).collect().unwrap();
    let (whole_ledger, parts) = (sorted(expected.ledger().unwrap().unwrap()), sorted(parts.unwrap()));
    assert!(whole_ledger.height() > 0);
    assert!(whole_ledger.equals_missing(&parts), "{whole_ledger}\n{parts}");
}

/// Parts made with other levels or another catalogue are refused, naming the column.
#[test]
fn partial_sums_of_another_plan_are_refused() {
    let catalog = Catalog::builtin("mohurd-2023").unwrap();
    let frames = sample_frames(SAMPLE);
    let buildings = RecordTable::from_frame(frames[0].1.clone(), "buildings").unwrap();
    let coarse = ComputeOptions { levels: vec![ObjectLevel::District, ObjectLevel::City], ledger: false };
    let part = PartialSums::of(&catalog, &buildings, &coarse).unwrap().unwrap();
    assert!(part.frame().column("compound_id").is_err(), "grouped by district: no compound ids");
    let err =
        roll_up(&catalog, std::slice::from_ref(&buildings), &[part], &[], &ComputeOptions::default()).unwrap_err();
    assert!(err.to_string().contains("compound_id"), "{err}");
    // A part of a table the roll-up was not given.
    let districts = RecordTable::from_frame(frames[3].1.clone(), "districts").unwrap();
    let stray = PartialSums::of(&catalog, &districts, &coarse).unwrap().unwrap();
    let err = roll_up(&catalog, &[buildings], &[stray], &[], &coarse).unwrap_err().to_string();
    assert!(err.contains("no table of district records"), "{err}");
}

/// `[compute]` in a run config: the computed city indicators are scored like any panel.
#[test]
fn a_run_scores_the_indicators_it_computes() {
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "catalog = \"mohurd-2023\"\n[compute]\nrecords = [\"{SAMPLE}/buildings.csv\", \"{SAMPLE}/compounds.csv\", \
         \"{SAMPLE}/blocks.csv\", \"{SAMPLE}/districts.csv\"]\nscore_level = \"district\"\n[output]\ndir = \"out\"\n"
    );
    let path = dir.path().join("run.toml");
    std::fs::write(&path, config).unwrap();
    let out = citycheck::run::run(&citycheck::run::RunConfig::load(&path).unwrap(), Some(dir.path())).unwrap();
    assert_eq!(out.report.counts.units, 9, "the sample's nine districts");
    assert_eq!(out.report.inputs.len(), 4);
    for name in ["indicators.csv", "object_ledger.csv", "scores.csv", "run.json"] {
        assert!(dir.path().join(name).exists(), "{name}");
    }
    // Not both [data] and [compute]; not neither.
    let both = "catalog = \"x\"\n[data]\npath = \"d.csv\"\n[compute]\nrecords = [\"r.csv\"]\n";
    assert!(citycheck::run::RunConfig::from_toml(both).unwrap_err().to_string().contains("not both"));
    assert!(citycheck::run::RunConfig::from_toml("catalog = \"x\"\n").is_err());
}

/// A catalogue whose hierarchy (`[[levels]]`) has an optional community level between compound
/// and block, and the two indicators of the tiny hierarchy above.
fn community_catalog() -> Catalog {
    let mut toml = String::from(
        "[catalog]\nid = \"communities\"\nname = \"c\"\nversion = \"1\"\n[[groups]]\nid = \"g\"\nname_zh = \"组\"\nname_en = \"g\"\n",
    );
    for (id, zh, required) in [
        ("dwelling", "住房", ""),
        ("compound", "小区", ""),
        ("community", "社区", "required = false\n"),
        ("block", "街区", ""),
        ("district", "城区", ""),
        ("city", "城市", ""),
    ] {
        toml.push_str(&format!("[[levels]]\nid = \"{id}\"\nname_zh = \"{zh}\"\n{required}"));
    }
    let formulas = [("gas", "building", "count(gas_hazard)"), ("no_elderly", "compound", "count(!has_elderly_care)")];
    for (id, object, expr) in formulas {
        toml.push_str(&format!(
            "[[indicators]]\nid = \"{id}\"\nname_zh = \"{id}\"\nname_en = \"{id}\"\ngroup = \"g\"\nunit = \"count\"\ndirection = \"lower\"\n[indicators.formula]\nobject = \"{object}\"\nexpr = \"{expr}\"\n"
        ));
    }
    Catalog::from_toml(&toml, "communities.toml").unwrap()
}

/// Issue 14 item 6: the hierarchy is the catalogue's. Compounds r1, r2 form community m1, r3
/// m2, r4 m3; the buildings carry no community_id.
#[test]
fn the_community_level_comes_from_the_catalogue() {
    let declared = community_catalog();
    let levels: Vec<ObjectLevel> = declared.levels().iter().map(|l| l.id).collect();
    assert_eq!(levels, ObjectLevel::ALL, "`dwelling` is read as building");
    let with_community = compounds().lazy().with_column(
        when(col("compound_id").eq(lit("r3")))
            .then(lit("m2"))
            .when(col("compound_id").eq(lit("r4")))
            .then(lit("m3"))
            .otherwise(lit("m1"))
            .alias("community_id"),
    );
    let tables = vec![
        RecordTable::from_frame(buildings(), "buildings").unwrap(),
        RecordTable::from_frame(with_community.collect().unwrap(), "compounds").unwrap(),
    ];
    assert_eq!(tables[1].level, ObjectLevel::Compound, "the finest id names the object");
    let wanted = vec![ObjectLevel::Compound, ObjectLevel::Community, ObjectLevel::Block];
    let options = ComputeOptions { levels: wanted, ledger: true };
    let out = compute(&declared, &tables, &options).unwrap();
    assert_eq!(out.levels(), options.levels);
    let df = out.indicators().unwrap();
    // m1 = r1 (是: has care) + r2 (否); m2 = r3 (unknown); m3 = r4 (false).
    assert_eq!(row(&df, "community", "m1", "no_elderly"), (Some(1.0), Some(1.0), Some(2.0), 0));
    assert_eq!(row(&df, "community", "m2", "no_elderly"), (Some(0.0), Some(0.0), Some(0.0), 1));
    assert_eq!(row(&df, "community", "m3", "no_elderly"), (Some(1.0), Some(1.0), Some(1.0), 0));
    // Blocks as without communities: k1 = r1 + r2.
    assert_eq!(row(&df, "block", "k1", "no_elderly"), (Some(1.0), Some(1.0), Some(2.0), 0));
    // Buildings without community_id: no community rows for them, and an issue says so.
    let gas = col("indicator").eq(lit("gas"));
    let community_gas = df.clone().lazy().filter(col("level").eq(lit("community")).and(gas)).collect().unwrap();
    assert_eq!(community_gas.height(), 0);
    assert_eq!(row(&df, "block", "k1", "gas"), (Some(1.0), Some(1.0), Some(2.0), 1));
    let text: Vec<String> = out.issues.iter().map(|i| i.to_string()).collect();
    assert!(out.issues.iter().any(|i| i.message.contains("building records carry no 'community_id'")), "{text:?}");
    assert_eq!(out.issues.len(), 1, "{text:?}");
    // The ledger gains community_id after compound_id.
    let ledger = out.ledger().unwrap().unwrap();
    let names: Vec<&str> = ledger.get_column_names().into_iter().map(|n| n.as_str()).collect();
    assert_eq!(names.join(","), "year,level,object_id,compound_id,community_id,block_id,district_id,city_id,indicator");

    // Compounds without community_id: the optional level is skipped, compounds roll up to blocks.
    let plain = vec![
        RecordTable::from_frame(buildings(), "buildings").unwrap(),
        RecordTable::from_frame(compounds(), "compounds").unwrap(),
    ];
    let out = compute(&declared, &plain, &options).unwrap();
    assert_eq!(out.levels(), [ObjectLevel::Compound, ObjectLevel::Block]);
    let df = out.indicators().unwrap();
    assert_eq!(row(&df, "block", "k1", "no_elderly"), (Some(1.0), Some(1.0), Some(2.0), 0));
    assert!(out.issues.iter().any(|i| i.message.contains("compound records carry no 'community_id'")));
    let ledger = out.ledger().unwrap().unwrap();
    assert!(ledger.column("community_id").is_err(), "no table carries community_id");
    // Without the community among the requested levels: no issue at all.
    let out = compute(&declared, &plain, &ComputeOptions::default()).unwrap();
    assert!(out.issues.is_empty(), "{:?}", out.issues);

    // A catalogue without [[levels]] has today's hierarchy: no community.
    assert!(catalog().level(ObjectLevel::Community).is_none());
    let out = compute(&catalog(), &tables, &options).unwrap();
    assert!(!out.levels().contains(&ObjectLevel::Community));
    assert!(out.issues.iter().any(|i| i.message.contains("has no community level")));
}

#[test]
fn a_hierarchy_is_checked_when_the_catalogue_loads() {
    let head = "[catalog]\nid = \"x\"\nname = \"x\"\nversion = \"1\"\n[[groups]]\nid = \"g\"\nname_zh = \"g\"\nname_en = \"g\"\n";
    let indicator = "[[indicators]]\nid = \"i\"\nname_zh = \"i\"\nname_en = \"i\"\ngroup = \"g\"\nunit = \"count\"\n\
                     direction = \"lower\"\n[indicators.formula]\nobject = \"community\"\nexpr = \"count(a)\"\n";
    // A formula on community records needs the level declared.
    let err = Catalog::from_toml(&format!("{head}{indicator}"), "x.toml").unwrap_err().to_string();
    assert!(err.contains("community") && err.contains("[[levels]]"), "{err}");
    let levels =
        "[[levels]]\nid = \"compound\"\nname_zh = \"小区\"\n[[levels]]\nid = \"community\"\nname_zh = \"社区\"\n";
    assert!(Catalog::from_toml(&format!("{head}{levels}{indicator}"), "x.toml").is_ok());
    // Finest first, each once; a Chinese name; known level names.
    let reversed =
        "[[levels]]\nid = \"community\"\nname_zh = \"社区\"\n[[levels]]\nid = \"compound\"\nname_zh = \"小区\"\n";
    let err = Catalog::from_toml(&format!("{head}{reversed}"), "x.toml").unwrap_err().to_string();
    assert!(err.contains("finest first"), "{err}");
    let unnamed = "[[levels]]\nid = \"compound\"\nname_zh = \"\"\n";
    assert!(Catalog::from_toml(&format!("{head}{unnamed}"), "x.toml").is_err());
    let unknown = "[[levels]]\nid = \"town\"\nname_zh = \"镇\"\n";
    assert!(Catalog::from_toml(&format!("{head}{unknown}"), "x.toml").is_err());
    assert_eq!(ObjectLevel::from_name("community").unwrap(), ObjectLevel::Community);
    assert_eq!(ObjectLevel::from_name("dwelling").unwrap(), ObjectLevel::Building);
}
