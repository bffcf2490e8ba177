//! The notations of the literature and of Chinese tools (issue 17, item 5 and the catalogue
//! findings): criterion types `+,-`, directions `正向`/`负向`/`+`/`-`, Chinese units, and a data
//! column named by the indicator's own `name_zh`.

use std::process::Command;

use citycheck::direction::Direction;
use citycheck::{Catalog, Panel, ValidationMode};

fn citycheck(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_citycheck")).args(args).output().expect("the citycheck binary runs")
}

#[test]
fn criterion_types_in_every_notation() {
    for t in ["1", "+1", "+", "benefit", "MAX", "higher", "正向", " 正 "] {
        assert_eq!(Direction::from_type(t), Ok(Direction::Higher), "{t}");
    }
    for t in ["-1", "-", "−", "cost", "min", "lower", "负向", "负"] {
        assert_eq!(Direction::from_type(t), Ok(Direction::Lower), "{t}");
    }
    let err = Direction::from_type("0").unwrap_err();
    assert!(err.contains("'0'") && err.contains("benefit") && err.contains("cost"), "{err}");
}

#[test]
fn rank_reads_plus_minus_types_as_it_reads_one_minus_one() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("m.csv");
    std::fs::write(&m, "alternative,cost,quality\nA,10,7\nB,12,9\nC,8,5\n").unwrap();
    let m = m.to_str().unwrap();
    let numeric = citycheck(&["rank", "--matrix", m, "--types", "-1,1", "--method", "topsis"]);
    let signs = citycheck(&["rank", "--matrix", m, "--types", "-,+", "--method", "topsis"]);
    let words = citycheck(&["rank", "--matrix", m, "--types", "cost,benefit", "--method", "topsis"]);
    assert!(numeric.status.success(), "{}", String::from_utf8_lossy(&numeric.stderr));
    assert_eq!(numeric.stdout, signs.stdout);
    assert_eq!(numeric.stdout, words.stdout);
    let bad = citycheck(&["rank", "--matrix", m, "--types", "-,0", "--method", "topsis"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("criterion type '0'"));
}

const CHINESE: &str = r#"
[catalog]
id = "chinese-notation"
name = "中文写法"
version = "1"

[[groups]]
id = "economy"
name_zh = "经济"
name_en = "Economy"

[[indicators]]
id = "gdp"
name_zh = "地区生产总值"
name_en = "GDP"
group = "economy"
unit = "亿元"
direction = "正向"

[[indicators]]
id = "so2"
name_zh = "工业二氧化硫排放量"
name_en = "Industrial SO2"
group = "economy"
unit = "万吨"
direction = "负向"

[[indicators]]
id = "income"
name_zh = "人均可支配收入"
name_en = "Disposable income per person"
group = "economy"
unit = "元/人"
direction = "+"

[[indicators]]
id = "twin"
name_zh = "同名指标"
name_en = "Twin a"
group = "economy"
unit = "万元"
direction = "-"

[[indicators]]
id = "twin_b"
name_zh = "同名指标"
name_en = "Twin b"
group = "economy"
unit = "万人"
direction = "higher"
"#;

#[test]
fn a_catalogue_written_in_chinese_loads() {
    let c = Catalog::from_toml(CHINESE, "chinese.toml").unwrap();
    let dir = |id: &str| c.indicator(id).unwrap().direction;
    assert_eq!(dir("gdp"), Some(Direction::Higher));
    assert_eq!(dir("so2"), Some(Direction::Lower));
    assert_eq!(dir("income"), Some(Direction::Higher));
    assert_eq!(dir("twin"), Some(Direction::Lower));
    assert_eq!(c.indicator("gdp").unwrap().unit, "亿元");
}

#[test]
fn a_data_column_named_by_name_zh_is_the_indicator_unless_the_name_is_shared() {
    let c = Catalog::from_toml(CHINESE, "chinese.toml").unwrap();
    assert_eq!(c.indicator("地区生产总值").map(|i| i.id.as_str()), Some("gdp"));
    // Two indicators share 同名指标: it names neither.
    assert!(c.indicator("同名指标").is_none());
    // Through a panel: the Chinese column name validates without an alias.
    let panel =
        Panel::from_records([("沈阳市", 2012, "地区生产总值", 6606.8), ("大连市", 2012, "地区生产总值", 7002.8)]);
    let validation = panel.validate(&c, ValidationMode::Strict).unwrap();
    assert!(validation.issues.is_empty(), "{:?}", validation.issues);
}

/// `diagnose --year 2010` prints the 2010 scores above the 2010 diagnosis (it printed the
/// latest year's table before).
#[test]
fn diagnose_prints_the_table_of_the_year_it_diagnoses() {
    let dir = tempfile::tempdir().unwrap();
    let data =
        concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv");
    let out = citycheck(&[
        "diagnose",
        "--catalog",
        "ccsy-example",
        "--data",
        data,
        "--unit-column",
        "city",
        "--year",
        "2010",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("Check-up scores, 2010"), "{stdout}");
    assert!(!stdout.contains("Check-up scores, 2012"), "{stdout}");
}

/// A catalogue with no link to the Liaoning task file gets no reserve and one note, not a
/// count of problems "pointing to no renewal task" under the Liaoning tasks.
#[test]
fn a_catalogue_unrelated_to_the_task_file_has_no_reserve_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("other.toml");
    std::fs::write(
        &catalog,
        r#"
[catalog]
id = "other-province"
name = "其他省份"
version = "1"

[[groups]]
id = "economy"
name_zh = "经济"
name_en = "Economy"

[[indicators]]
id = "gdp"
name_zh = "地区生产总值"
name_en = "GDP"
group = "economy"
unit = "10k CNY"
direction = "higher"

[[indicators]]
id = "beds"
name_zh = "医院床位数"
name_en = "Beds"
group = "economy"
unit = "beds"
direction = "higher"
aliases = ["hospital_beds"]
"#,
    )
    .unwrap();
    let data = dir.path().join("data.csv");
    std::fs::write(
        &data,
        "city,year,indicator,value\nA,2012,gdp,10\nB,2012,gdp,20\nC,2012,gdp,30\nA,2012,beds,3\nB,2012,beds,1\nC,2012,beds,2\n",
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    let out = citycheck(&[
        "diagnose",
        "--catalog",
        catalog.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("no reserve: catalogue 'other-province' has no link"), "{stderr}");
    assert!(!stderr.contains("point to no renewal task"), "{stderr}");
    let reserve = std::fs::read_to_string(out_dir.join("reserve.csv")).unwrap();
    assert_eq!(reserve.lines().count(), 1, "header only:\n{reserve}");
}

/// A CSV saved by Excel on Chinese Windows is GBK: read as GB18030 with a note, and the same
/// panel as the UTF-8 file.
#[test]
fn a_gbk_csv_is_read_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "城市,年份,指标,数值\n沈阳市,2012,green_coverage_builtup,42.2\n大连市,2012,green_coverage_builtup,45.0\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&gbk).is_err(), "the bytes are not UTF-8");
    let gbk_path = dir.path().join("gbk.csv");
    std::fs::write(&gbk_path, &gbk).unwrap();
    let utf8_path = dir.path().join("utf8.csv");
    std::fs::write(&utf8_path, text).unwrap();
    let options = citycheck::panel::ReadOptions::default();
    let from_gbk = Panel::read(&gbk_path, &options).unwrap();
    let from_utf8 = Panel::read(&utf8_path, &options).unwrap();
    assert_eq!(from_gbk.units(), from_utf8.units());
    assert_eq!(from_gbk.units(), ["沈阳市", "大连市"]);
    let notes: Vec<String> = from_gbk.read_issues().iter().map(|i| i.message.clone()).collect();
    assert!(notes.iter().any(|m| m.contains("read as GB18030")), "{notes:?}");
    assert!(from_utf8.read_issues().is_empty());
    // Validation goes on: the note is not fatal.
    let catalog = Catalog::builtin("ccsy-example").unwrap();
    assert!(from_gbk.validate(&catalog, ValidationMode::Strict).is_ok());
}
