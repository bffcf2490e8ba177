//! Facility norms in the formula language (issue 14, item 7): arithmetic between columns,
//! column-to-column comparisons and `$parameters` that a province overrides — every number
//! worked out by hand on four compounds.

use polars::prelude::*;

use citycheck::compute::{compute, parse_formula, ComputeOptions, RecordTable};
use citycheck::Catalog;

/// Four compounds of one city C: two new ones in district D1 (block k1), two existing ones in
/// D2 (block k2). Elderly-care space per 100 households = elderly_area · 100 / households.
/// ```text
/// compound  new    households  elderly_area  per 100   service_area  functions  parking req/prov
/// r1        true   400         100           25.0      800           4          100 / 80
/// r2        true   500          90           18.0      650           2           50 / 60
/// r3        false  200          32           16.0      500           5           10 / 10
/// r4        false  300          30           10.0      700           3           40 / 0
/// ```
fn compounds() -> DataFrame {
    df!(
        "year" => [2025i32; 4],
        "city_id" => ["C"; 4],
        "district_id" => ["D1", "D1", "D2", "D2"],
        "block_id" => ["k1", "k1", "k2", "k2"],
        "compound_id" => ["r1", "r2", "r3", "r4"],
        "is_new" => [true, true, false, false],
        "households" => [400i64, 500, 200, 300],
        "elderly_area" => [100.0, 90.0, 32.0, 30.0],
        "service_area" => [800.0, 650.0, 500.0, 700.0],
        "service_functions" => [4i64, 2, 5, 3],
        "parking_required" => [100i64, 50, 10, 40],
        "parking_provided" => [80i64, 60, 10, 0],
    )
    .unwrap()
}

/// The elderly-care norm: below 20 m² per 100 households in a new compound, below 15 in an
/// existing one (the catalogue's values; provinces set others).
const BELOW_NORM: &str = "is_new && elderly_area * 100 / households < $elderly_norm_new \
                          || !is_new && elderly_area * 100 / households < $elderly_norm_existing";

/// A catalogue with the norms as parameters (both TOML forms) and one indicator per formula.
fn catalog_toml(formulas: &[(&str, &str)]) -> String {
    let mut toml = String::from(
        "[catalog]\nid = \"norms\"\nname = \"norms\"\nversion = \"1\"\n\
         [parameters]\nelderly_norm_new = 20\ncomplex_functions = 3\n\
         [parameters.elderly_norm_existing]\nvalue = 15\n\
         description = \"m² of elderly-care space per 100 households, existing compounds\"\n\
         source = \"national norm; provinces set other values\"\n\
         [parameters.complex_area]\nvalue = 600.0\ndescription = \"m² of an embedded service complex\"\n\
         [[groups]]\nid = \"g\"\nname_zh = \"组\"\nname_en = \"g\"\n",
    );
    for (id, expr) in formulas {
        toml.push_str(&format!(
            "[[indicators]]\nid = \"{id}\"\nname_zh = \"{id}\"\nname_en = \"{id}\"\ngroup = \"g\"\nunit = \"count\"\n\
             direction = \"lower\"\n[indicators.formula]\nobject = \"compound\"\nexpr = '{expr}'\n"
        ));
    }
    toml
}

fn norms_catalog() -> Catalog {
    let below = format!("count({BELOW_NORM})");
    let share = format!("share({BELOW_NORM})");
    let formulas = [
        ("elderly_below_norm", below.as_str()),
        ("elderly_below_norm_share", share.as_str()),
        ("elderly_shortfall", "shortfall(households * $elderly_norm_new / 100, elderly_area)"),
        ("complex_below_norm", "count(service_area < $complex_area || service_functions < $complex_functions)"),
        ("parking_short", "count(parking_provided < parking_required)"),
        ("precedence", "count(households - elderly_area * 2 > 300)"),
        ("elderly_known", "count(elderly_area * 100 / households >= 0)"),
    ];
    Catalog::from_toml(&catalog_toml(&formulas), "norms.toml").unwrap()
}

fn tables(df: DataFrame) -> Vec<RecordTable> {
    vec![RecordTable::from_frame(df, "compounds").unwrap()]
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
fn the_elderly_care_norm_by_hand() {
    let catalog = norms_catalog();
    assert_eq!(catalog.parameters()["elderly_norm_existing"].value, 15.0);
    assert!(catalog.parameters()["elderly_norm_existing"].source.is_some());
    assert!(catalog.parameter_overrides().is_empty());
    let out = compute(&catalog, &tables(compounds()), &ComputeOptions::default()).unwrap();
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    let df = &out.indicators().unwrap();
    // Norms 20 (new) / 15 (existing): r1 25 ≥ 20 met, r2 18 < 20 missed, r3 16 ≥ 15 met,
    // r4 10 < 15 missed → 2 of 4 compounds, 50 %.
    assert_eq!(row(df, "city", "C", "elderly_below_norm"), (Some(2.0), Some(2.0), Some(4.0), 0));
    assert_eq!(row(df, "city", "C", "elderly_below_norm_share").0, Some(50.0));
    assert_eq!(row(df, "district", "D1", "elderly_below_norm").0, Some(1.0)); // r2
    assert_eq!(row(df, "district", "D2", "elderly_below_norm").0, Some(1.0)); // r4
    assert_eq!(row(df, "compound", "r3", "elderly_below_norm").0, Some(0.0));
    // Space missing against the new-compound norm, households · 20 / 100 − area:
    // r1 80 − 100 → 0, r2 100 − 90 = 10, r3 40 − 32 = 8, r4 60 − 30 = 30 → 48 m².
    assert_eq!(row(df, "city", "C", "elderly_shortfall").0, Some(48.0));
    assert_eq!(row(df, "district", "D2", "elderly_shortfall").0, Some(38.0));
    // Service complex ≥ 600 m² with ≥ 3 functions: r2 (2 functions) and r3 (500 m²) miss it.
    assert_eq!(row(df, "city", "C", "complex_below_norm").0, Some(2.0));
    // The ledger names the compounds below the norm.
    let ledger = out.ledger().unwrap().unwrap();
    let below = ledger.lazy().filter(col("indicator").eq(lit("elderly_below_norm"))).collect().unwrap();
    let ids: Vec<&str> = below.column("object_id").unwrap().str().unwrap().iter().map(|s| s.unwrap()).collect();
    assert_eq!(ids, ["r2", "r4"]);
}

#[test]
fn a_province_overrides_the_norms_without_editing_formulas() {
    let province =
        norms_catalog().with_parameters([("elderly_norm_new", 25.0), ("$elderly_norm_existing", 18.0)]).unwrap();
    assert_eq!(province.parameters()["elderly_norm_new"].value, 25.0);
    assert_eq!(province.parameter_overrides().len(), 2);
    assert_eq!(province.parameter_overrides()["elderly_norm_existing"], 18.0);
    let out = compute(&province, &tables(compounds()), &ComputeOptions::default()).unwrap();
    let df = &out.indicators().unwrap();
    // Norms 25 / 18: r1 25 < 25 is false (met, on the line), r2 18 < 25 missed, r3 16 < 18
    // missed, r4 10 < 18 missed → 3 of 4, 75 %; D1 has r2, D2 has r3 and r4.
    assert_eq!(row(df, "city", "C", "elderly_below_norm"), (Some(3.0), Some(3.0), Some(4.0), 0));
    assert_eq!(row(df, "city", "C", "elderly_below_norm_share").0, Some(75.0));
    assert_eq!(row(df, "district", "D1", "elderly_below_norm").0, Some(1.0));
    assert_eq!(row(df, "district", "D2", "elderly_below_norm").0, Some(2.0));
    // households · 25 / 100 − area: r1 100 − 100 = 0, r2 125 − 90 = 35, r3 50 − 32 = 18,
    // r4 75 − 30 = 45 → 98 m².
    assert_eq!(row(df, "city", "C", "elderly_shortfall").0, Some(98.0));
    // Parameters not overridden keep the catalogue's values: the complex norm is unchanged.
    assert_eq!(row(df, "city", "C", "complex_below_norm").0, Some(2.0));
    // Overrides add up and the last value wins; the catalogue itself is unchanged.
    let again = province.with_parameters([("elderly_norm_new", 22.0)]).unwrap();
    assert_eq!(again.parameter_overrides()["elderly_norm_new"], 22.0);
    assert_eq!(again.parameter_overrides()["elderly_norm_existing"], 18.0);
    assert_eq!(norms_catalog().parameters()["elderly_norm_new"].value, 20.0);
}

#[test]
fn columns_compare_with_columns_and_arithmetic_has_precedence() {
    let out = compute(&norms_catalog(), &tables(compounds()), &ComputeOptions::default()).unwrap();
    let df = &out.indicators().unwrap();
    // provided < required: r1 80 < 100 and r4 0 < 40; r2 60 ≥ 50, r3 10 = 10 → 2.
    assert_eq!(row(df, "city", "C", "parking_short").0, Some(2.0));
    // households − area · 2 > 300: r1 400 − 200 = 200, r2 500 − 180 = 320, r3 200 − 64 = 136,
    // r4 300 − 60 = 240 → only r2. Read as (households − area) · 2 every compound would count.
    assert_eq!(row(df, "city", "C", "precedence").0, Some(1.0));

    // The parser: * and / before + and −, left to right, unary minus tightest.
    let debug = |text: &str| format!("{:?}", parse_formula(text).unwrap());
    assert_eq!(
        debug("count(a + b * c > d)"),
        r#"Count(Numeric(Add(Column("a"), Mul(Column("b"), Column("c"))), Gt, Column("d")))"#
    );
    assert_eq!(
        debug("count(a - b - c / d / e < 0)"),
        r#"Count(Numeric(Sub(Sub(Column("a"), Column("b")), Div(Div(Column("c"), Column("d")), Column("e"))), Lt, Number(0.0)))"#
    );
    assert_eq!(debug("count(-a * b >= 1)"), r#"Count(Numeric(Mul(Neg(Column("a")), Column("b")), Ge, Number(1.0)))"#);
    // A column against a number stays the simple comparison; a negative number is a number.
    assert_eq!(debug("count(x > -5)"), r#"Count(Compare("x", Gt, Number(-5.0)))"#);
    assert_eq!(debug("count(x>=2e-1)"), r#"Count(Compare("x", Ge, Number(0.2)))"#);
    // Parentheses: arithmetic, conditions, both, and a column against a column.
    assert_eq!(
        debug("count((a + b) / 2 >= c)"),
        r#"Count(Numeric(Div(Add(Column("a"), Column("b")), Number(2.0)), Ge, Column("c")))"#
    );
    assert_eq!(debug("count((a > 1) && b)"), r#"Count(And(Compare("a", Gt, Number(1.0)), Flag("b")))"#);
    assert_eq!(debug("count((a) == b)"), r#"Count(Numeric(Column("a"), Eq, Column("b")))"#);
    assert_eq!(
        debug("count(!(x * 2 < y) || z)"),
        r#"Count(Or(Not(Numeric(Mul(Column("x"), Number(2.0)), Lt, Column("y"))), Flag("z")))"#
    );
    assert_eq!(
        debug("shortfall(households * $norm / 100, area)"),
        r#"Shortfall(Div(Mul(Column("households"), Param("norm")), Number(100.0)), Column("area"))"#
    );
    // CJK column names.
    assert_eq!(debug("count(养老面积 < 户数)"), r#"Count(Numeric(Column("养老面积"), Lt, Column("户数")))"#);
    // Arithmetic must be compared; text and flags only against a column.
    assert!(parse_formula("count(a + b)").is_err());
    assert!(parse_formula("count(a + 1 == true)").is_err());
    assert!(parse_formula("count(a < b < c)").is_err());
    assert!(parse_formula("count(2x > 1)").is_err());
}

#[test]
fn a_division_by_zero_is_unknown() {
    // A fifth compound r5 (existing, D2) with 0 households: its space per 100 households is
    // 0 · 100 / 0 — unknown, not inf or NaN, and counted in `unknown`, never as met.
    let mut df = compounds();
    let r5 = df!(
        "year" => [2025i32],
        "city_id" => ["C"],
        "district_id" => ["D2"],
        "block_id" => ["k2"],
        "compound_id" => ["r5"],
        "is_new" => [false],
        "households" => [0i64],
        "elderly_area" => [0.0],
        "service_area" => [600.0],
        "service_functions" => [3i64],
        "parking_required" => [0i64],
        "parking_provided" => [0i64],
    )
    .unwrap();
    df.vstack_mut(&r5).unwrap();
    let out = compute(&norms_catalog(), &tables(df), &ComputeOptions::default()).unwrap();
    let ind = &out.indicators().unwrap();
    // Still r2 and r4 below the norm, of 4 known compounds; r5 unknown (false || (true && unknown)).
    assert_eq!(row(ind, "city", "C", "elderly_below_norm"), (Some(2.0), Some(2.0), Some(4.0), 1));
    assert_eq!(row(ind, "city", "C", "elderly_below_norm_share").0, Some(50.0));
    assert_eq!(row(ind, "compound", "r5", "elderly_below_norm"), (Some(0.0), Some(0.0), Some(0.0), 1));
    // area · 100 / households ≥ 0 holds for r1–r4; r5 is unknown.
    assert_eq!(row(ind, "city", "C", "elderly_known"), (Some(4.0), Some(4.0), Some(4.0), 1));
    // No inf or NaN anywhere in the output.
    for name in ["value", "numerator", "denominator"] {
        let column = ind.column(name).unwrap().f64().unwrap().clone();
        assert!(column.iter().flatten().all(f64::is_finite), "{name}: {column:?}");
    }
    // r5 is not listed as a problem.
    let ledger = out.ledger().unwrap().unwrap();
    let ids = ledger.column("object_id").unwrap().str().unwrap().clone();
    assert!(ids.iter().all(|id| id != Some("r5")));
}

#[test]
fn parse_errors_point_at_the_character() {
    let err = parse_formula("count(a >= && b)").unwrap_err().to_string();
    assert_eq!(
        err,
        "invalid spec: formula at character 12: expected a number, a column, a $parameter, '-' or '(', \
         found '&&'\n  count(a >= && b)\n             ^"
    );
    // Positions count characters, not bytes: the error is the 24th character although 面积 and
    // 户数 take 12 bytes; under a wide character the caret line holds an ideographic space.
    let err = parse_formula("count(面积 * 100 / 户数 >= )").unwrap_err().to_string();
    assert_eq!(
        err,
        "invalid spec: formula at character 24: expected a number, a column, a $parameter, '-' or '(', \
         found ')'\n  count(面积 * 100 / 户数 >= )\n        \u{3000}\u{3000}         \u{3000}\u{3000}    ^"
    );
    // The end of the formula.
    let err = parse_formula("count(a").unwrap_err().to_string();
    assert_eq!(err, "invalid spec: formula at its end: expected ')', found the end\n  count(a\n         ^");
    // A character that starts no token, after a CJK name.
    let err = parse_formula("count(户数 = 3)").unwrap_err().to_string();
    assert_eq!(
        err,
        "invalid spec: formula at character 10: '=' alone is no operator: write '==' to compare\n  \
         count(户数 = 3)\n        \u{3000}\u{3000} ^"
    );
    // An unknown kind points at the kind.
    let err = parse_formula("median(a)").unwrap_err().to_string();
    assert!(err.starts_with("invalid spec: formula at character 1: unknown kind 'median'"), "{err}");
    // At catalogue load the error names the indicator and keeps the caret.
    let toml = catalog_toml(&[("broken", "count(a >= && b)")]);
    let err = Catalog::from_toml(&toml, "norms.toml").unwrap_err().to_string();
    assert_eq!(
        err,
        "catalogue norms.toml, entry 'broken': formula at character 12: expected a number, a column, a \
         $parameter, '-' or '(', found '&&'\n  count(a >= && b)\n             ^"
    );
}

#[test]
fn unknown_parameters_are_refused() {
    // In a formula: refused when the catalogue loads, naming the indicator and the parameter.
    let toml = catalog_toml(&[("elderly_gap", "count(elderly_area < $elderly_norm)")]);
    let err = Catalog::from_toml(&toml, "norms.toml").unwrap_err().to_string();
    assert_eq!(
        err,
        "catalogue norms.toml, entry 'elderly_gap': formula at character 22: unknown parameter \
         '$elderly_norm'; [parameters] defines $complex_area, $complex_functions, $elderly_norm_existing, \
         $elderly_norm_new\n  count(elderly_area < $elderly_norm)\n                       ^"
    );
    // A catalogue without [parameters] says so.
    let bare = "[catalog]\nid = \"x\"\nname = \"x\"\nversion = \"1\"\n[[groups]]\nid = \"g\"\nname_zh = \"g\"\n\
        name_en = \"g\"\n[[indicators]]\nid = \"t\"\nname_zh = \"t\"\nname_en = \"t\"\ngroup = \"g\"\n\
        unit = \"count\"\ndirection = \"lower\"\n[indicators.formula]\nobject = \"compound\"\nexpr = 'count(a < $n)'\n";
    let err = Catalog::from_toml(bare, "x.toml").unwrap_err().to_string();
    assert!(err.contains("'$n'") && err.contains("no [parameters]"), "{err}");
    // A parameter table with an unknown key, a bad name, a value that is not a number.
    let typo = catalog_toml(&[]).replace("value = 600.0", "valeu = 600.0");
    assert!(Catalog::from_toml(&typo, "norms.toml").unwrap_err().to_string().contains("valeu"));
    let bad_name = catalog_toml(&[]).replace("complex_functions = 3", "\"面积\" = 3");
    assert!(Catalog::from_toml(&bad_name, "norms.toml").is_err());
    let text = catalog_toml(&[]).replace("complex_functions = 3", "complex_functions = \"3\"");
    assert!(Catalog::from_toml(&text, "norms.toml").is_err());
}

#[test]
fn unknown_overrides_are_refused() {
    let catalog = norms_catalog();
    let err = catalog.with_parameters([("elderly_norm", 25.0)]).unwrap_err().to_string();
    assert!(err.contains("'elderly_norm'") && err.contains("did you mean 'elderly_norm_new'"), "{err}");
    assert!(catalog.with_parameters([("elderly_norm_new", f64::NAN)]).is_err());
    let builtin = Catalog::builtin("ccsy-example").unwrap();
    let err = builtin.with_parameters([("elderly_norm_new", 25.0)]).unwrap_err().to_string();
    assert!(err.contains("no [parameters]"), "{err}");
}

/// `[compute] parameters` in a run config: applied before anything is computed, recorded in
/// run.json's catalogue entry, refused when the catalogue lacks the name.
#[test]
fn a_run_applies_and_records_its_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let below = format!("count({BELOW_NORM})");
    std::fs::write(dir.path().join("norms.toml"), catalog_toml(&[("elderly_below_norm", below.as_str())])).unwrap();
    let mut records = compounds();
    CsvWriter::new(std::fs::File::create(dir.path().join("compounds.csv")).unwrap()).finish(&mut records).unwrap();
    let config = "catalog = \"norms.toml\"\n[compute]\nrecords = [\"compounds.csv\"]\nscore_level = \"district\"\n\
                  parameters = { elderly_norm_new = 25, elderly_norm_existing = 18 }\n";
    let path = dir.path().join("run.toml");
    std::fs::write(&path, config).unwrap();
    let run_config = citycheck::run::RunConfig::load(&path).unwrap();
    assert_eq!(run_config.compute.as_ref().unwrap().parameters["elderly_norm_new"], 25.0);
    let out_dir = dir.path().join("out");
    let out = citycheck::run::run(&run_config, Some(&out_dir)).unwrap();
    // With 25 / 18: D1 has r2 below the norm, D2 r3 and r4 (see the override test).
    let computed = out.computed.as_ref().unwrap().indicators().unwrap();
    assert_eq!(row(&computed, "district", "D2", "elderly_below_norm").0, Some(2.0));
    assert_eq!(out.report.catalog.parameters["elderly_norm_existing"], 18.0);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("run.json")).unwrap()).unwrap();
    assert_eq!(json["catalog"]["parameters"]["elderly_norm_new"], 25.0);
    // The same run against a catalogue without that parameter stops before reading records.
    let wrong = config.replace("norms.toml", "ccsy-example");
    let err = citycheck::run::run(&citycheck::run::RunConfig::from_toml(&wrong).unwrap(), Some(&out_dir))
        .unwrap_err()
        .to_string();
    assert!(err.contains("elderly_norm"), "{err}");
}
