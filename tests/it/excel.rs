//! The Excel workbook (issue 19 item 2): `format = "xlsx"` writes one workbook of every table,
//! read back here with calamine and compared cell by cell with the CSV files of the same run;
//! so is report.xlsx, the workbook the report writes of a folder's CSV files.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Range, Reader};
use citycheck::io::{write_workbook, Lang, OutputFormat};
use citycheck::report::{write_report, ReportOptions, REPORT_WORKBOOK};
use citycheck::run::{RunConfig, WORKBOOK};
use polars::prelude::*;

const LIAONING: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv");

/// The tables of the default run (it evaluates, diagnoses, re-checks 2011 → 2012, links the
/// synthetic projects and assesses the cities), in the order of the sheets.
const TABLES: [&str; 24] = [
    "scores",
    "weights",
    "trends",
    "progress",
    "warnings",
    "attainment",
    "attainment_rates",
    "obstacles",
    "weaknesses",
    "coupling",
    "ledger",
    "reserve",
    "recheck",
    "recheck_summary",
    "recheck_indicators",
    "recheck_tasks",
    "projects",
    "project_reserve",
    "project_implementation",
    "problem_coverage",
    "gaps",
    "assessment",
    "assessment_ranking",
    "assessment_ranking_zh",
];

fn run_default(dir: &Path, format: OutputFormat, lang: Lang) {
    let mut config = RunConfig::embedded();
    config.output.format = format;
    config.output.lang = lang;
    citycheck::run::run(&config, Some(dir)).unwrap();
}

/// A CSV output read as text: every column a string, empty cells null.
fn read_csv(path: &Path) -> DataFrame {
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .try_into_reader_with_file_path(Some(path.into()))
        .unwrap()
        .finish()
        .unwrap()
}

/// Whether a workbook cell holds what the CSV cell says (numbers compared as numbers, exactly).
fn same(cell: Option<&Data>, csv: Option<&str>) -> bool {
    match (cell, csv) {
        (None | Some(Data::Empty), None | Some("") | Some("NaN")) => true,
        (Some(Data::Float(x)), Some(s)) => s.parse::<f64>().is_ok_and(|y| y == *x),
        (Some(Data::Int(i)), Some(s)) => s.parse::<f64>().is_ok_and(|y| y == *i as f64),
        (Some(Data::Bool(b)), Some(s)) => s == if *b { "true" } else { "false" },
        (Some(Data::String(t)), Some(s)) => t == s,
        _ => false,
    }
}

fn text(sheet: &Range<Data>, row: u32, col: u32) -> String {
    match sheet.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

/// The README value of `key` (column A the key, column B the value).
fn readme_value(sheet: &Range<Data>, key: &str) -> Option<String> {
    let (last, _) = sheet.end()?;
    (1..=last).find(|&r| text(sheet, r, 0) == key).map(|r| text(sheet, r, 1))
}

#[test]
fn workbook_of_the_default_run_equals_its_csv_files() {
    let (xlsx, csv) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    run_default(xlsx.path(), OutputFormat::Xlsx, Lang::En);
    run_default(csv.path(), OutputFormat::Csv, Lang::En);
    let path = xlsx.path().join(WORKBOOK);
    assert!(path.exists(), "{} not written", path.display());
    for json in ["run.json", "fitted.json"] {
        assert!(xlsx.path().join(json).exists(), "{json} is written beside the workbook");
    }
    for table in TABLES {
        assert!(!xlsx.path().join(format!("{table}.csv")).exists(), "{table}.csv written with format xlsx");
    }
    let mut workbook = open_workbook_auto(&path).unwrap();
    let mut expected = vec!["README".to_string()];
    expected.extend(TABLES.iter().map(|t| t.to_string()));
    assert_eq!(workbook.sheet_names(), expected);

    let readme = workbook.worksheet_range("README").unwrap();
    assert_eq!(text(&readme, 0, 0), "field");
    assert_eq!(readme_value(&readme, "catalog.id").as_deref(), Some("ccsy-example"));
    assert_eq!(readme_value(&readme, "citycheck_version").as_deref(), Some(env!("CARGO_PKG_VERSION")));
    let sha = readme_value(&readme, "catalog.sha256").unwrap();
    assert_eq!(sha.len(), 64, "{sha}");
    assert!(readme_value(&readme, "spec").unwrap().contains("min_max"));
    assert!(readme_value(&readme, "inputs[1].sha256").is_some_and(|s| s.len() == 64));
    assert!(readme_value(&readme, "date").is_some_and(|d| d.ends_with('Z')));

    for table in TABLES {
        let sheet = workbook.worksheet_range(table).unwrap();
        let df = read_csv(&csv.path().join(format!("{table}.csv")));
        assert_eq!(sheet.start(), Some((0, 0)), "{table}");
        assert_eq!(sheet.height(), df.height() + 1, "{table}: rows");
        assert_eq!(sheet.width(), df.width(), "{table}: columns");
        for (c, column) in df.columns().iter().enumerate() {
            assert_eq!(text(&sheet, 0, c as u32), column.name().as_str(), "{table}: header");
            let values = column.str().unwrap();
            for r in 0..df.height() {
                let cell = sheet.get_value((r as u32 + 1, c as u32));
                assert!(
                    same(cell, values.get(r)),
                    "{table} row {} column {}: workbook {cell:?}, csv {:?}",
                    r + 1,
                    column.name(),
                    values.get(r)
                );
            }
        }
    }
    // The scores are numbers, not text: Shenyang's 2012 index.
    let scores = workbook.worksheet_range("scores").unwrap();
    let row = (1..scores.height() as u32)
        .find(|&r| {
            text(&scores, r, 0) == "沈阳市"
                && scores.get_value((r, 1)) == Some(&Data::Float(2012.0))
                && text(&scores, r, 2) == "index"
        })
        .expect("沈阳市 2012 index");
    assert!(matches!(scores.get_value((row, 4)), Some(Data::Float(x)) if (0.0..=100.0).contains(x)));
}

/// report.xlsx (beside report.html): the tables of an output folder read back from its CSV
/// files and written by the run's workbook writer, with run.json's provenance.
#[test]
fn report_workbook_equals_the_csv_files_of_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    run_default(dir.path(), OutputFormat::Csv, Lang::En);
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("run.json")).unwrap()).unwrap();
    // The tables in the order run.json lists them.
    let tables: Vec<String> = run["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["file"].as_str()?.strip_suffix(".csv").map(str::to_string))
        .collect();
    let mut sorted = tables.clone();
    sorted.sort();
    let mut expected = TABLES.map(str::to_string).to_vec();
    expected.sort();
    assert_eq!(sorted, expected);

    // The default run's [report] (lang zh) wrote one with Chinese headers; it is among the
    // run's outputs.
    let mut zh = open_workbook_auto(dir.path().join(REPORT_WORKBOOK)).unwrap();
    assert_eq!(text(&zh.worksheet_range("scores").unwrap(), 0, 0), "单位");
    assert!(run["outputs"].as_array().unwrap().iter().any(|o| o["file"] == REPORT_WORKBOOK));

    // `citycheck report` of the folder, in English, elsewhere.
    let out = dir.path().join("english");
    let written = write_report(dir.path(), &ReportOptions::new().lang(Lang::En).out(&out)).unwrap();
    let path = written.workbook.expect("a folder of CSV files gets report.xlsx");
    assert_eq!(path, out.join(REPORT_WORKBOOK));
    let mut workbook = open_workbook_auto(&path).unwrap();
    let mut sheets = vec!["README".to_string()];
    sheets.extend(tables.iter().cloned());
    assert_eq!(workbook.sheet_names(), sheets);

    let readme = workbook.worksheet_range("README").unwrap();
    assert_eq!(readme_value(&readme, "catalog.id").as_deref(), run["catalog"]["id"].as_str());
    assert_eq!(readme_value(&readme, "catalog.sha256").as_deref(), run["catalog"]["sha256"].as_str());
    assert_eq!(readme_value(&readme, "inputs[1].sha256").as_deref(), run["inputs"][0]["sha256"].as_str());
    assert!(readme_value(&readme, "spec").unwrap().contains("min_max"), "the spec as TOML");

    for table in &tables {
        let sheet = workbook.worksheet_range(table).unwrap();
        let df = read_csv(&dir.path().join(format!("{table}.csv")));
        assert_eq!(sheet.height(), df.height() + 1, "{table}: rows");
        assert_eq!(sheet.width(), df.width(), "{table}: columns");
        for (c, column) in df.columns().iter().enumerate() {
            assert_eq!(text(&sheet, 0, c as u32), column.name().as_str(), "{table}: header");
            let values = column.str().unwrap();
            for r in 0..df.height() {
                let cell = sheet.get_value((r as u32 + 1, c as u32));
                assert!(
                    same(cell, values.get(r)),
                    "{table} row {} column {}: workbook {cell:?}, csv {:?}",
                    r + 1,
                    column.name(),
                    values.get(r)
                );
            }
        }
    }
}

#[test]
fn chinese_headers_and_formula_text() {
    let dir = tempfile::tempdir().unwrap();
    // One city renamed to a formula: it must stay text.
    let data = std::fs::read_to_string(LIAONING).unwrap().replace("丹东市", "=1+1");
    let data_path = dir.path().join("data.csv");
    std::fs::write(&data_path, data).unwrap();
    let mut config = RunConfig::embedded();
    config.data.as_mut().unwrap().path = data_path.display().to_string();
    config.output.format = OutputFormat::Xlsx;
    config.output.lang = Lang::Zh;
    let out = dir.path().join("out");
    citycheck::run::run(&config, Some(&out)).unwrap();

    let mut workbook = open_workbook_auto(out.join(WORKBOOK)).unwrap();
    let scores = workbook.worksheet_range("scores").unwrap();
    let headers: Vec<String> = (0..scores.width() as u32).map(|c| text(&scores, 0, c)).collect();
    assert_eq!(headers, ["单位", "年份", "节点", "类型", "得分", "排名", "插补", "覆盖度"]);
    let ledger = workbook.worksheet_range("ledger").unwrap();
    assert_eq!(text(&ledger, 0, 2), "指标");
    assert_eq!(text(&ledger, 0, 4), "标准值");
    assert_eq!(text(&ledger, 0, 6), "等级");
    let readme = workbook.worksheet_range("README").unwrap();
    assert_eq!(text(&readme, 0, 0), "项目");

    let injected = (1..scores.height() as u32).filter(|&r| text(&scores, r, 0) == "=1+1").count();
    assert!(injected > 0, "the unit =1+1 is written as text");
    let formulas = workbook.worksheet_formula("scores").unwrap();
    assert_eq!(formulas.used_cells().count(), 0, "no cell of the scores is a formula");
}

#[test]
fn cells_of_every_kind() {
    let dir = tempfile::tempdir().unwrap();
    let df = DataFrame::new_infer_height(vec![
        Column::new("unit".into(), ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)"]),
        Column::new("flag".into(), [Some(true), None, Some(false), Some(true)]),
        Column::new("mk_p".into(), [Some(0.012345), Some(f64::NAN), None, Some(1.0)]),
        Column::new("rank".into(), [1u32, 2, 3, 4]),
        Column::new("level".into(), [Some("red"), Some("yellow"), Some("green"), None]),
    ])
    .unwrap();
    let path = dir.path().join("cells.xlsx");
    write_workbook(&path, &[("a table name longer than thirty-one characters", &df)], &[], Lang::En).unwrap();
    let mut workbook = open_workbook_auto(&path).unwrap();
    let names = workbook.sheet_names();
    assert_eq!(names, ["a table name longer than thirty"], "no README without provenance; names cut to 31");
    let sheet = workbook.worksheet_range(&names[0]).unwrap();
    for (r, unit) in ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)"].iter().enumerate() {
        assert_eq!(sheet.get_value((r as u32 + 1, 0)), Some(&Data::String(unit.to_string())));
    }
    assert_eq!(sheet.get_value((1, 1)), Some(&Data::Bool(true)));
    assert!(matches!(sheet.get_value((2, 1)), None | Some(Data::Empty)), "null is an empty cell");
    assert_eq!(sheet.get_value((1, 2)), Some(&Data::Float(0.012345)), "the stored value is the full number");
    assert!(matches!(sheet.get_value((2, 2)), None | Some(Data::Empty)), "NaN is an empty cell");
    assert!(matches!(sheet.get_value((3, 2)), None | Some(Data::Empty)));
    assert_eq!(sheet.get_value((4, 3)), Some(&Data::Float(4.0)));
    assert_eq!(sheet.get_value((3, 4)), Some(&Data::String("green".into())));
    assert_eq!(workbook.worksheet_formula(&names[0]).unwrap().used_cells().count(), 0);
}

#[cfg(feature = "cli")]
#[test]
fn the_command_line_writes_the_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_citycheck"))
        .args(["run", "--format", "xlsx", "--lang", "zh", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut workbook = open_workbook_auto(dir.path().join(WORKBOOK)).unwrap();
    assert_eq!(workbook.sheet_names()[..2], ["README", "scores"]);
    let scores = workbook.worksheet_range("scores").unwrap();
    assert_eq!(text(&scores, 0, 0), "单位");
}

/// A run that computes its indicators from object records, written as a workbook: the computed
/// indicators and the object ledger (streamed as CSV files, built as frames here) are sheets in
/// the run's order, after the scores and the weights, with the same rows as the CSV run's files.
#[test]
fn a_computing_run_puts_its_indicators_and_ledger_in_the_workbook() {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/province_sample");
    let config = |format: &str| {
        format!(
            "catalog = \"mohurd-2023\"\n[compute]\nrecords = [\"{sample}/buildings.csv\", \"{sample}/compounds.csv\", \
             \"{sample}/blocks.csv\", \"{sample}/districts.csv\"]\nscore_level = \"district\"\n\
             [output]\ndir = \"out\"\nformat = \"{format}\"\n"
        )
    };
    let (xlsx, csv) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for (dir, format) in [(xlsx.path(), "xlsx"), (csv.path(), "csv")] {
        let path = dir.join("run.toml");
        std::fs::write(&path, config(format)).unwrap();
        citycheck::run::run(&RunConfig::load(&path).unwrap(), Some(dir)).unwrap();
    }
    let mut workbook = open_workbook_auto(xlsx.path().join(WORKBOOK)).unwrap();
    assert_eq!(workbook.sheet_names(), ["README", "scores", "weights", "indicators", "object_ledger"]);
    for table in ["indicators", "object_ledger"] {
        let sheet = workbook.worksheet_range(table).unwrap();
        let rows = read_csv(&csv.path().join(format!("{table}.csv"))).height();
        assert_eq!(sheet.height(), rows + 1, "{table}: a header and the CSV's rows");
    }
}
