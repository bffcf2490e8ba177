//! Input formats: Excel (wide, Chinese yearbook headers), Parquet, a second attribute table,
//! Parquet output.

use std::path::Path;

use citycheck::io::OutputFormat;
use citycheck::run::RunConfig;
use citycheck::{Catalog, Panel, ReadOptions, ValidationMode};
use polars::prelude::*;

const LIAONING: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv");

fn city() -> ReadOptions {
    ReadOptions { unit_column: Some("city".into()), ..ReadOptions::default() }
}

#[test]
fn xlsx_wide_with_chinese_yearbook_headers() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/liaoning_2012_wide.xlsx");
    let panel = Panel::read(&path, &ReadOptions::default()).unwrap();
    // 13 cities (本溪 has no 2012 data) × 4 indicator columns; 城市 and 年份 found by name.
    assert_eq!(panel.units().len(), 13);
    assert_eq!(panel.len(), 52);
    assert_eq!(panel.years(), vec![2012]);
    let catalog = Catalog::builtin("ccsy-example").unwrap();
    let validation = panel.validate(&catalog, ValidationMode::Strict).unwrap();
    assert!(validation.fatal().next().is_none());
    // The yearbook column names are aliases of the catalogue ids.
    for name in panel.indicator_names() {
        assert!(catalog.indicator(name).is_some(), "{name} is an alias");
    }
    // 大连 2012 GDP: 7002.8 亿元 = 70 028 000 万元 (provenance spot check; the file stores 万元).
    let long = Panel::read(LIAONING, &city()).unwrap();
    let gdp = |p: &Panel, name: &str| {
        (0..p.len())
            .map(|k| p.observation(k))
            .find(|&(u, y, i, _, _)| p.units()[u] == "大连市" && y == 2012 && p.indicator_names()[i] == name)
            .map(|o| o.3)
            .unwrap()
    };
    assert_eq!(gdp(&panel, "地区生产总值_当年价格_全市_万元"), gdp(&long, "gdp"));
    assert!((gdp(&long, "gdp") - 70_028_000.0).abs() < 1_000.0);
}

#[test]
fn parquet_reads_what_csv_reads() {
    let dir = tempfile::tempdir().unwrap();
    let mut df = CsvReadOptions::default()
        .with_has_header(true)
        .try_into_reader_with_file_path(Some(LIAONING.into()))
        .unwrap()
        .finish()
        .unwrap();
    let path = dir.path().join("liaoning.parquet");
    ParquetWriter::new(std::fs::File::create(&path).unwrap()).finish(&mut df).unwrap();
    let from_parquet = Panel::read(&path, &city()).unwrap();
    let from_csv = Panel::read(LIAONING, &city()).unwrap();
    assert_eq!(from_parquet.len(), from_csv.len());
    for k in 0..from_csv.len() {
        assert_eq!(from_parquet.observation(k), from_csv.observation(k));
    }
}

#[test]
fn attributes_from_a_second_table() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("units.csv");
    std::fs::write(
        &path,
        "city,province,tier\n沈阳市,辽宁,sub-provincial\n大连市,辽宁,sub-provincial\n北京市,北京,municipality\n",
    )
    .unwrap();
    let mut panel = Panel::read(LIAONING, &city()).unwrap();
    panel.attach_attributes(&path, Some("city")).unwrap();
    let names: Vec<&str> = panel.attributes().iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["province", "tier"]);
    let u = panel.units().iter().position(|u| u == "沈阳市").unwrap();
    assert_eq!(panel.attributes()[0].values[u].as_deref(), Some("辽宁"));
    let other = panel.units().iter().position(|u| u == "鞍山市").unwrap();
    assert_eq!(panel.attributes()[1].values[other], None, "a unit missing from the table has no value");

    std::fs::write(&path, "city,province\n沈阳市,辽宁\n沈阳市,吉林\n").unwrap();
    let err = panel.clone().attach_attributes(&path, Some("city")).unwrap_err().to_string();
    assert!(err.contains("appears twice") && err.contains("row 3"), "{err}");
}

#[test]
fn parquet_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = RunConfig::embedded();
    config.output.format = OutputFormat::Parquet;
    citycheck::run::run(&config, Some(dir.path())).unwrap();
    let scores = ParquetReader::new(std::fs::File::open(dir.path().join("scores.parquet")).unwrap()).finish().unwrap();
    let names: Vec<String> = scores.get_column_names().iter().map(|n| n.to_string()).collect();
    assert_eq!(names, ["unit", "year", "node", "kind", "score", "rank", "imputed", "coverage"]);
    assert_eq!(scores.height(), 660);
    assert!(dir.path().join("weights.parquet").exists());
    assert!(dir.path().join("run.json").exists());
}

/// A long file of more than 65,536 rows is read in blocks side by side; the panel must be the
/// one a single pass gives: units and indicators numbered by first appearance (a unit whose
/// rows are spread over several blocks keeps one number), every observation with its value and
/// input row, not-applicable marks at their positions, and problems listed in row order.
#[test]
fn a_long_file_read_in_blocks_equals_one_pass() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.csv");
    let rows = 100_003usize;
    let mut csv = String::from("city,year,indicator,value\n");
    // (unit, year, indicator, expected value or None for missing/not applicable)
    let mut expected: Vec<(String, i32, String, Option<f64>)> = Vec::new();
    let mut not_applicable = Vec::new();
    let mut problem_rows = Vec::new();
    for r in 0..rows {
        // Units cycle with a period prime to the block size, so each appears in every block;
        // the first rows name them in a scrambled order.
        let unit = format!("C{:03}", (r * 37) % 101);
        let year = 2015 + (r % 7) as i32;
        let indicator = format!("i{}", (r / 101) % 13);
        let (cell, value) = match r {
            _ if r % 9_973 == 17 => ("不适用".to_string(), None),
            _ if r % 12_345 == 5 => ("12,5".to_string(), None),
            _ if r % 4_099 == 0 => (format!(" {} ", r as f64 / 8.0), Some(r as f64 / 8.0)),
            _ => (format!("{}", r as f64 * 0.25 - 7.0), Some(r as f64 * 0.25 - 7.0)),
        };
        if cell == "不适用" {
            not_applicable.push(r);
        }
        if cell == "12,5" {
            problem_rows.push(r + 2);
        }
        // Every tenth year written the way a Chinese spreadsheet writes it.
        let year_cell = if r % 10 == 3 { format!("{year}年") } else { year.to_string() };
        let cell = if cell.contains(',') { format!("\"{cell}\"") } else { cell };
        csv.push_str(&format!("{unit},{year_cell},{indicator},{cell}\n"));
        expected.push((unit, year, indicator, value));
    }
    std::fs::write(&path, csv).unwrap();
    let panel = Panel::read(&path, &city()).unwrap();

    assert_eq!(panel.len(), rows);
    let mut units: Vec<String> = Vec::new();
    let mut indicators: Vec<String> = Vec::new();
    for (unit, _, indicator, _) in &expected {
        if !units.contains(unit) {
            units.push(unit.clone());
        }
        if !indicators.contains(indicator) {
            indicators.push(indicator.clone());
        }
    }
    assert_eq!(panel.units(), units.as_slice());
    assert_eq!(panel.indicator_names(), indicators.as_slice());
    for (k, (unit, year, indicator, value)) in expected.iter().enumerate() {
        let (u, y, i, v, _) = panel.observation(k);
        assert_eq!((&panel.units()[u], y, &panel.indicator_names()[i]), (unit, *year, indicator), "row {}", k + 2);
        match value {
            Some(x) => assert_eq!(v, *x, "row {}", k + 2),
            None => assert!(v.is_nan(), "row {}", k + 2),
        }
        assert_eq!(panel.location(k).row, Some(k + 2));
        assert_eq!(panel.is_not_applicable(k), not_applicable.contains(&k), "row {}", k + 2);
    }
    let rows_reported: Vec<usize> = panel.read_issues().iter().filter_map(|i| i.location.row).collect();
    assert_eq!(rows_reported, problem_rows);
    assert!(panel.read_issues()[0].message.contains("thousands separators"), "{}", panel.read_issues()[0].message);
}
