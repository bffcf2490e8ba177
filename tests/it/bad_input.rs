//! Bad input, one test per case: every problem is reported with where it is (file, row,
//! column, unit, year, indicator) and what was expected. Data files are written into a
//! temporary folder and read with `Panel::read`, as a user's would be.

use std::path::PathBuf;

use tempfile::TempDir;

use citycheck::error::IssueKind;
use citycheck::panel::Layout;
use citycheck::{Catalog, Checkup, Error, Issue, Panel, ReadOptions, Spec, ValidationMode};

struct Files {
    dir: TempDir,
}

impl Files {
    fn new() -> Files {
        Files { dir: tempfile::tempdir().expect("temporary folder") }
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write test file");
        path
    }
}

fn ccsy() -> Catalog {
    Catalog::builtin("ccsy-example").expect("built-in catalogue")
}

fn read(path: &PathBuf) -> citycheck::Result<Panel> {
    Panel::read(path, &ReadOptions::default())
}

/// The issues of a strict validation that must fail.
fn strict_issues(panel: &Panel, catalog: &Catalog) -> Vec<Issue> {
    match panel.validate(catalog, ValidationMode::Strict) {
        Err(Error::Validation { issues }) => issues,
        Err(other) => panic!("expected Error::Validation, got {other:?}"),
        Ok(v) => panic!("strict validation should fail, issues: {:?}", v.issues),
    }
}

fn only_issue(issues: &[Issue], kind: IssueKind) -> &Issue {
    let of_kind: Vec<&Issue> = issues.iter().filter(|i| i.kind == kind).collect();
    assert_eq!(of_kind.len(), 1, "one {kind:?} issue expected among {issues:#?}");
    of_kind[0]
}

fn assert_in_file(issue: &Issue, file: &str) {
    let origin = issue.location.file.as_deref().unwrap_or_else(|| panic!("no file in {issue:?}"));
    assert!(origin.ends_with(file), "issue names the file {file}: {origin}");
}

#[test]
fn unknown_indicator_suggests_the_nearest_id() {
    let files = Files::new();
    let path = files.write(
        "unknown.csv",
        "city,year,indicator,value\n沈阳市,2012,green_coverage,42.2\n大连市,2012,green_coverage_builtup,45.0\n",
    );
    let panel = read(&path).unwrap();
    let issues = strict_issues(&panel, &ccsy());
    let issue = only_issue(&issues, IssueKind::UnknownIndicator);
    assert!(issue.message.contains("did you mean 'green_coverage_builtup'"), "{}", issue.message);
    assert_eq!(issue.location.indicator.as_deref(), Some("green_coverage"));
    assert_eq!(issue.location.row, Some(2), "first row with the unknown name (header = row 1)");
    assert_in_file(issue, "unknown.csv");
}

#[test]
fn duplicate_unit_year_indicator() {
    let files = Files::new();
    let path = files.write(
        "duplicate.csv",
        "city,year,indicator,value\n\
         沈阳市,2012,green_coverage_builtup,42.2\n\
         沈阳市,2012,green_coverage_builtup,43.0\n\
         大连市,2012,green_coverage_builtup,45.0\n",
    );
    let issues = strict_issues(&read(&path).unwrap(), &ccsy());
    let issue = only_issue(&issues, IssueKind::DuplicateObservation);
    assert_eq!(issue.location.row, Some(3), "the later row is the duplicate");
    assert_eq!(issue.location.unit.as_deref(), Some("沈阳市"));
    assert_eq!(issue.location.year, Some(2012));
    assert!(issue.message.contains("row 2"), "names the first occurrence: {}", issue.message);
    assert_in_file(issue, "duplicate.csv");
}

#[test]
fn non_numeric_cell_has_file_row_column_and_a_hint() {
    let files = Files::new();
    let path = files.write(
        "nonnumeric.csv",
        "city,year,indicator,value\n\
         沈阳市,2012,industrial_so2,95000\n\
         大连市,2012,industrial_so2,\"1,234\"\n\
         鞍山市,2012,green_coverage_builtup,42%\n",
    );
    // Reading succeeds: cell problems are collected, then judged by validation.
    let panel = read(&path).unwrap();
    assert_eq!(panel.len(), 3, "unreadable cells are kept as missing values");
    let issues = strict_issues(&panel, &ccsy());
    let bad: Vec<&Issue> = issues.iter().filter(|i| i.kind == IssueKind::NonNumeric).collect();
    assert_eq!(bad.len(), 2, "{issues:#?}");

    let comma = bad.iter().find(|i| i.message.contains("1,234")).expect("the 1,234 cell is reported");
    assert_in_file(comma, "nonnumeric.csv");
    assert_eq!(comma.location.row, Some(3));
    assert_eq!(comma.location.column.as_deref(), Some("value"));
    assert_eq!(comma.location.unit.as_deref(), Some("大连市"));
    assert_eq!(comma.location.indicator.as_deref(), Some("industrial_so2"));
    assert!(comma.message.contains("thousands separators"), "{}", comma.message);
    let shown = comma.to_string();
    assert!(shown.contains("row 3") && shown.contains("column 'value'"), "{shown}");

    let percent = bad.iter().find(|i| i.message.contains("42%")).expect("the 42% cell is reported");
    assert_eq!(percent.location.row, Some(4));
    assert!(percent.message.contains("% sign"), "{}", percent.message);
}

#[test]
fn value_outside_the_valid_range() {
    let files = Files::new();
    let path = files.write(
        "range.csv",
        "city,year,indicator,value\n沈阳市,2012,green_coverage_builtup,142\n大连市,2012,green_coverage_builtup,45\n",
    );
    let issues = strict_issues(&read(&path).unwrap(), &ccsy());
    let issue = only_issue(&issues, IssueKind::OutOfRange);
    assert_eq!(issue.location.row, Some(2));
    assert_eq!(issue.location.unit.as_deref(), Some("沈阳市"));
    assert!(issue.message.contains("142") && issue.message.contains("[0, 100]"), "{}", issue.message);
}

#[test]
fn percentage_given_as_fraction() {
    // green_coverage_builtup is in %: 0.42 and 0.45 are fractions that should be 42 and 45.
    let files = Files::new();
    let path = files.write(
        "fraction.csv",
        "city,year,indicator,value\n沈阳市,2012,green_coverage_builtup,0.42\n大连市,2012,green_coverage_builtup,0.45\n",
    );
    let issues = strict_issues(&read(&path).unwrap(), &ccsy());
    let issue = only_issue(&issues, IssueKind::PercentAsFraction);
    assert_eq!(issue.location.indicator.as_deref(), Some("green_coverage_builtup"));
    assert!(issue.message.contains("0.45"), "names the largest value: {}", issue.message);
    assert!(issue.message.contains("written as 42"), "{}", issue.message);
}

#[test]
fn empty_file_is_a_data_error() {
    let files = Files::new();
    for (name, text) in [("empty.csv", ""), ("header_only.csv", "city,year,indicator,value\n")] {
        let path = files.write(name, text);
        match read(&path) {
            Err(Error::Data { location, message }) => {
                assert!(location.file.as_deref().is_some_and(|f| f.ends_with(name)), "{name}: {location:?}");
                assert!(message.contains("empty"), "{name}: {message}");
            }
            other => panic!("{name}: expected Error::Data, got {other:?}"),
        }
    }
}

#[test]
fn missing_year_column_names_the_expected_headers() {
    let files = Files::new();
    let path = files.write("noyear.csv", "city,indicator,value\n沈阳市,gdp,1\n");
    let Err(Error::Data { message, .. }) = read(&path) else { panic!("expected Error::Data") };
    assert!(message.contains("year column"), "{message}");
    for expected in ["year", "年份", "年度", "year_column"] {
        assert!(message.contains(expected), "lists '{expected}': {message}");
    }
}

#[test]
fn ambiguous_unit_column_asks_for_unit_column() {
    let files = Files::new();
    let text = "city,unit,year,indicator,value\n沈阳市,%,2012,green_coverage_builtup,42.2\n大连市,%,2012,green_coverage_builtup,45\n";
    let path = files.write("ambiguous.csv", text);
    let Err(Error::Data { message, .. }) = read(&path) else { panic!("expected Error::Data") };
    assert!(message.contains("'city'") && message.contains("'unit'"), "names both candidates: {message}");
    assert!(message.contains("unit_column"), "says how to choose: {message}");

    // Naming the column resolves it; the other one is reported as not read, never fatal.
    let options = ReadOptions { unit_column: Some("city".to_string()), ..ReadOptions::default() };
    let panel = Panel::read(&path, &options).unwrap();
    assert_eq!(panel.units(), ["沈阳市", "大连市"]);
    let validation = panel.validate(&ccsy(), ValidationMode::Strict).expect("only a note");
    assert!(validation.issues.iter().any(|i| i.kind == IssueKind::IgnoredColumn), "{:?}", validation.issues);
}

#[test]
fn lenient_mode_reports_and_goes_on() {
    let files = Files::new();
    let path = files.write(
        "messy.csv",
        "city,year,indicator,value\n\
         沈阳市,2012,green_coverage_builtup,42.2\n\
         大连市,2012,green_coverage_builtup,45.0\n\
         沈阳市,2012,green_coverage,40.0\n\
         大连市,2012,green_coverage_builtup,40.0\n\
         沈阳市,2012,industrial_so2,\"95,000\"\n\
         大连市,2012,industrial_so2,60000\n",
    );
    let catalog = ccsy();
    let panel = read(&path).unwrap();
    assert_eq!(strict_issues(&panel, &catalog).len(), 3, "strict mode refuses the same file");

    let validation = panel.validate(&catalog, ValidationMode::Lenient).expect("lenient mode does not fail");
    let kinds: Vec<IssueKind> = validation.fatal().map(|i| i.kind).collect();
    for kind in [IssueKind::UnknownIndicator, IssueKind::DuplicateObservation, IssueKind::NonNumeric] {
        assert!(kinds.contains(&kind), "{kind:?} reported: {kinds:?}");
    }
    // Unknown indicators and later duplicates are left out; the unreadable cell is missing.
    // green: 沈阳市 42.2, 大连市 45.0 (its duplicate 40.0 is left out) → 大连市 scores 100.
    let (_, outcome) = Checkup::new(catalog.clone(), Spec::default()).unwrap().run(&panel, &validation).unwrap();
    assert_eq!(outcome.scores.get("大连市", 2012, "green_coverage_builtup"), Some(100.0));
    assert_eq!(outcome.scores.get("沈阳市", 2012, "green_coverage_builtup"), Some(0.0));
    assert_eq!(outcome.scores.get("沈阳市", 2012, "industrial_so2"), None, "unreadable cell → no score");
}

#[test]
fn wide_layout_with_chinese_headers_and_aliases() {
    // Yearbook-style wide table: 城市 and 年份 as keys, indicator columns named by the aliases
    // of ccsy-example (绿化覆盖率_市辖区_百分比% → green_coverage_builtup,
    // 工业二氧化硫排放量_全市_吨 → industrial_so2), a year written as 2012年.
    let files = Files::new();
    let path = files.write(
        "wide.csv",
        "城市,年份,绿化覆盖率_市辖区_百分比%,工业二氧化硫排放量_全市_吨\n\
         沈阳市,2012,42.2,95000\n\
         大连市,2012年,45.0,60000\n",
    );
    let catalog = ccsy();
    let panel = read(&path).unwrap();
    assert_eq!(panel.units(), ["沈阳市", "大连市"]);
    assert_eq!(panel.years(), vec![2012]);
    assert_eq!(panel.indicator_names(), ["绿化覆盖率_市辖区_百分比%", "工业二氧化硫排放量_全市_吨"]);
    assert_eq!(panel.len(), 4);
    let validation = panel.validate(&catalog, ValidationMode::Strict).expect("aliases resolve");
    // The file has SO2 totals but not GDP, the catalogue's denominator: scored as totals.
    let totals = Spec { denominate: false, ..Spec::default() };
    let (_, outcome) = Checkup::new(catalog.clone(), totals).unwrap().run(&panel, &validation).unwrap();
    // 大连市 is better on both (greener, less SO2): 100 on each, index 100; 沈阳市 0.
    assert_eq!(outcome.scores.get("大连市", 2012, "green_coverage_builtup"), Some(100.0));
    assert_eq!(outcome.scores.get("大连市", 2012, "industrial_so2"), Some(100.0));
    assert_eq!(outcome.scores.get("大连市", 2012, "index"), Some(100.0));
    assert_eq!(outcome.scores.get("沈阳市", 2012, "index"), Some(0.0));

    // The same file read as long layout lacks the indicator and value columns.
    let long = ReadOptions { layout: Layout::Long, ..ReadOptions::default() };
    assert!(matches!(Panel::read(&path, &long), Err(Error::Data { .. })));
}

#[test]
fn missing_file_and_unknown_type() {
    let files = Files::new();
    let missing = files.dir.path().join("missing.csv");
    match read(&missing) {
        Err(Error::Io { path, .. }) => assert_eq!(path, missing),
        other => panic!("expected Error::Io, got {other:?}"),
    }
    let path = files.write("data.json", "{}");
    let Err(Error::Data { message, .. }) = read(&path) else { panic!("expected Error::Data") };
    assert!(message.contains(".csv"), "{message}");
}

// ---------------------------------------------------------------- catalogue errors

const META: &str = "[catalog]\nid = \"bad\"\nname = \"坏目录\"\nversion = \"1\"\n\n";

fn group(id: &str, parent: Option<&str>) -> String {
    let parent = parent.map(|p| format!("parent = \"{p}\"\n")).unwrap_or_default();
    format!("[[groups]]\nid = \"{id}\"\nname_zh = \"组\"\nname_en = \"Group\"\n{parent}\n")
}

fn indicator(id: &str, group: &str, extra: &str) -> String {
    format!(
        "[[indicators]]\nid = \"{id}\"\nname_zh = \"指标\"\nname_en = \"Indicator\"\ngroup = \"{group}\"\n\
         unit = \"%\"\ndirection = \"higher\"\n{extra}\n"
    )
}

/// Entry and message of the catalogue error `parts` must raise.
fn catalog_error(parts: &[String]) -> (Option<String>, String) {
    let text = format!("{META}{}", parts.concat());
    match Catalog::from_toml(&text, "bad.toml") {
        Err(err @ Error::Catalog { .. }) => {
            let shown = err.to_string();
            let Error::Catalog { source_name, entry, message } = err else { unreachable!() };
            assert_eq!(source_name, "bad.toml");
            assert!(shown.contains("bad.toml"), "the message names the file: {shown}");
            if let Some(e) = &entry {
                assert!(shown.contains(&format!("'{e}'")), "the message names the entry: {shown}");
            }
            (entry, message)
        }
        other => panic!("expected Error::Catalog for\n{text}\ngot {other:?}"),
    }
}

#[test]
fn catalogue_duplicate_id() {
    let (entry, message) = catalog_error(&[group("g", None), indicator("green", "g", ""), indicator("green", "g", "")]);
    assert_eq!(entry.as_deref(), Some("green"));
    assert!(message.contains("duplicate"), "{message}");
    // Ids are unique across groups and indicators together.
    let (entry, _) = catalog_error(&[group("g", None), indicator("g", "g", "")]);
    assert_eq!(entry.as_deref(), Some("g"));
}

#[test]
fn catalogue_unknown_parent() {
    let (entry, message) = catalog_error(&[group("sub", Some("nowhere")), indicator("x", "sub", "")]);
    assert_eq!(entry.as_deref(), Some("sub"));
    assert!(message.contains("'nowhere'"), "{message}");
}

#[test]
fn catalogue_unknown_parent_of_a_later_group() {
    // a → b → nowhere: the walk up from a reaches b's unknown parent before b itself has been
    // checked. This must be a catalogue error, not a panic.
    let (entry, message) =
        catalog_error(&[group("a", Some("b")), group("b", Some("nowhere")), indicator("x", "a", "")]);
    assert!(matches!(entry.as_deref(), Some("a") | Some("b")), "{entry:?}");
    assert!(message.contains("nowhere") || message.contains("cycle"), "{message}");
}

#[test]
fn catalogue_unknown_group_of_an_indicator() {
    let (entry, message) = catalog_error(&[group("g", None), indicator("x", "nowhere", "")]);
    assert_eq!(entry.as_deref(), Some("x"));
    assert!(message.contains("'nowhere'"), "{message}");
}

#[test]
fn catalogue_cycle() {
    let (entry, message) = catalog_error(&[group("a", Some("b")), group("b", Some("a"))]);
    assert_eq!(entry.as_deref(), Some("a"));
    assert!(message.contains("cycle"), "{message}");
    let (entry, _) = catalog_error(&[group("self_loop", Some("self_loop"))]);
    assert_eq!(entry.as_deref(), Some("self_loop"));
}

#[test]
fn catalogue_unknown_unit() {
    let text = indicator("x", "g", "").replace("unit = \"%\"", "unit = \"km2\"");
    let (entry, message) = catalog_error(&[group("g", None), text]);
    assert_eq!(entry.as_deref(), Some("x"));
    assert!(message.contains("'km2'") && message.contains("km²"), "names the unit and lists known ones: {message}");
}

#[test]
fn catalogue_band_with_a_above_b() {
    let text = indicator("ratio", "g", "").replace("direction = \"higher\"", "direction = { band = [60, 40] }");
    let (entry, message) = catalog_error(&[group("g", None), text]);
    assert_eq!(entry.as_deref(), Some("ratio"));
    assert!(message.contains("band") && message.contains("60"), "{message}");
}

#[test]
fn catalogue_group_with_indicators_and_subgroups() {
    let (entry, message) = catalog_error(&[
        group("dimension", None),
        group("aspect", Some("dimension")),
        indicator("x", "dimension", ""),
        indicator("y", "aspect", ""),
    ]);
    assert_eq!(entry.as_deref(), Some("x"));
    assert!(message.contains("'dimension'") && message.contains("not both"), "{message}");
}
