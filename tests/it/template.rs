//! Fill-in templates (填报模板, issue 14 item 8): written from a catalogue, filled, read back
//! by `Panel::read` as a panel, and scored exactly as the same values from a CSV.

use std::path::Path;

use calamine::Reader;
use citycheck::panel::template::{self, TemplateOptions, COLUMNS, MARKER, README_SHEET};
use citycheck::{Catalog, Error, Panel, Pipeline, ReadOptions, Spec, ValidationMode};

/// A catalogue with a yes/no indicator, the template fields and a sub-item.
const FLAGS: &str = r#"
[catalog]
id = "flags"
name = "是否指标示例"
version = "1"

[[groups]]
id = "plans"
name_zh = "规划"
name_en = "Plans"

[[indicators]]
id = "has_plan"
name_zh = "是否编制城市更新专项规划"
name_en = "Urban-renewal plan in place"
group = "plans"
unit = "yes/no"
direction = "higher"
code = "1.1.3"
definition = "经市政府批准的城市更新专项规划"
data_source = "自然资源局"
department = "住房和城乡建设局"

[[indicators.items]]
id = "approved"
name_zh = "已批准"
unit = "yes/no"

[[indicators.items]]
name_zh = "规划面积"
unit = "km²"

[[indicators]]
id = "parks"
name_zh = "公园数量"
name_en = "Parks"
group = "plans"
unit = "个"
direction = "higher"
"#;

fn flags() -> Catalog {
    Catalog::from_toml(FLAGS, "flags.toml").unwrap()
}

/// (unit, year, indicator, value) of every observation, sorted.
fn observations(panel: &Panel) -> Vec<(String, i32, String, f64)> {
    let mut out: Vec<(String, i32, String, f64)> = (0..panel.len())
        .map(|k| {
            let (u, y, i, v, _) = panel.observation(k);
            (panel.units()[u].clone(), y, panel.indicator_names()[i].clone(), v)
        })
        .collect();
    out.sort_by(|a, b| (&a.0, a.1, &a.2).cmp(&(&b.0, b.1, &b.2)));
    out
}

fn sheet_names(path: &Path) -> Vec<String> {
    calamine::open_workbook_auto(path).unwrap().sheet_names()
}

#[test]
fn a_filled_template_reads_back_and_scores_as_its_csv() {
    let catalog = Catalog::builtin("ccsy-example").unwrap();
    let source = Panel::embedded(
        "cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv",
        &ReadOptions::default().unit_column("city"),
    )
    .unwrap();
    let (units, years) = (["沈阳市", "大连市"], [2008, 2012]);
    // What the city's team fills in: the yearbook values of two cities and two years.
    let mut rows: Vec<(String, i32, String, f64)> = Vec::new();
    for k in 0..source.len() {
        let (u, y, i, v, _) = source.observation(k);
        let unit = &source.units()[u];
        if units.contains(&unit.as_str()) && years.contains(&y) && v.is_finite() {
            let id = catalog.indicator(&source.indicator_names()[i]).expect("a known indicator").id.clone();
            rows.push((unit.clone(), y, id, v));
        }
    }
    rows.sort_by(|a, b| (&a.0, a.1, &a.2).cmp(&(&b.0, b.1, &b.2)));
    assert!(rows.len() >= 20, "{} values", rows.len());

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("filled.xlsx");
    let values = Panel::from_records(rows.iter().map(|(u, y, i, v)| (u.as_str(), *y, i.as_str(), *v)));
    template::write_prefilled(&catalog, &TemplateOptions::new(units, years), &values, &path).unwrap();
    // No levels in ccsy-example: one sheet of indicators after the README.
    assert_eq!(sheet_names(&path), [README_SHEET, "indicators"]);

    let panel = Panel::read(&path, &ReadOptions::default()).unwrap();
    let info = panel.template().expect("read as a template");
    assert_eq!(info.catalog, "ccsy-example");
    assert_eq!(info.version, catalog.meta().version);
    assert_eq!(info.sha256, catalog.sha256());
    assert_eq!(observations(&panel), rows, "every filled cell, and nothing else, is read back");

    // The same values as a long CSV.
    let csv = dir.path().join("filled.csv");
    let mut text = String::from("unit,year,indicator,value\n");
    for (u, y, i, v) in &rows {
        text.push_str(&format!("{u},{y},{i},{v}\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let from_csv = Panel::read(&csv, &ReadOptions::default()).unwrap();
    assert!(from_csv.template().is_none());

    let pipeline = Pipeline::new(catalog.clone(), Spec::default()).unwrap();
    let a = pipeline.run(&panel).unwrap().outcome.scores;
    let b = pipeline.run(&from_csv).unwrap().outcome.scores;
    assert_eq!(a.rows(), b.rows());
    let mut compared = 0;
    for unit in units {
        for year in years {
            for node in a.tree().nodes() {
                let (x, y) = (a.get(unit, year, &node.id), b.get(unit, year, &node.id));
                match (x, y) {
                    (Some(x), Some(y)) => {
                        assert!(x == y || (x.is_nan() && y.is_nan()), "{unit} {year} {}: {x} vs {y}", node.id)
                    }
                    (x, y) => assert_eq!(x.is_some(), y.is_some(), "{unit} {year} {}", node.id),
                }
                compared += 1;
            }
        }
    }
    assert!(compared > 20);
    assert!(a.get("沈阳市", 2012, "index").is_some_and(f64::is_finite));
}

#[test]
fn yes_no_cells_are_written_and_read_as_one_and_zero() {
    let catalog = flags();
    let has_plan = catalog.indicator("has_plan").unwrap();
    assert_eq!(has_plan.code.as_deref(), Some("1.1.3"));
    assert_eq!(has_plan.department.as_deref(), Some("住房和城乡建设局"));
    assert_eq!(has_plan.items.len(), 2);
    assert_eq!(has_plan.items[0].id.as_deref(), Some("approved"));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flags.xlsx");
    let values = Panel::from_records([
        ("沈阳市", 2024, "has_plan", 1.0),
        ("大连市", 2024, "has_plan", 0.0),
        ("沈阳市", 2024, "parks", 12.0),
    ]);
    template::write_prefilled(&catalog, &TemplateOptions::new(["沈阳市", "大连市"], [2024]), &values, &path).unwrap();
    let panel = Panel::read(&path, &ReadOptions::default()).unwrap();
    assert_eq!(
        observations(&panel),
        [
            ("大连市".to_string(), 2024, "has_plan".to_string(), 0.0),
            ("沈阳市".to_string(), 2024, "has_plan".to_string(), 1.0),
            ("沈阳市".to_string(), 2024, "parks".to_string(), 12.0),
        ]
    );
    // The cells hold 是 and 否, as the drop-down writes them.
    let mut workbook = calamine::open_workbook_auto(&path).unwrap();
    let sheet = workbook.worksheet_range("indicators").unwrap();
    let first_input = COLUMNS.len() as u32;
    assert_eq!(sheet.get_value((1, first_input)), Some(&calamine::Data::String("是".into())));
    assert_eq!(sheet.get_value((1, first_input + 1)), Some(&calamine::Data::String("否".into())));
    // Sub-item rows follow their indicator, with ids indicator.item.
    assert_eq!(sheet.get_value((2, 2)), Some(&calamine::Data::String("has_plan.approved".into())));
    assert_eq!(sheet.get_value((3, 2)), Some(&calamine::Data::String("has_plan.2".into())));
    panel.validate(&catalog, ValidationMode::Strict).unwrap();
}

/// A filled workbook in the template layout, written cell by cell as a spreadsheet program
/// would leave it: `cells` are (row, column, text) of the sheet 城区 under the header.
fn hand_filled(path: &Path, catalog_id: &str, cells: &[(u32, u16, &str)]) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let readme = workbook.add_worksheet();
    readme.set_name(README_SHEET).unwrap();
    readme.write_string(0, 0, MARKER).unwrap();
    readme.write_string(1, 0, "catalog").unwrap();
    readme.write_string(1, 1, catalog_id).unwrap();
    readme.write_string(2, 0, "version").unwrap();
    readme.write_string(2, 1, "1").unwrap();
    let sheet = workbook.add_worksheet();
    sheet.set_name("城区").unwrap();
    for (c, title) in COLUMNS.iter().enumerate() {
        sheet.write_string(0, c as u16, *title).unwrap();
    }
    sheet.write_string(0, 10, "沈阳市 2024").unwrap();
    sheet.write_string(1, 2, "has_plan").unwrap();
    sheet.write_string(1, 5, "yes/no").unwrap();
    sheet.write_string(2, 2, "parks").unwrap();
    sheet.write_string(2, 5, "个").unwrap();
    for &(r, c, text) in cells {
        match text.parse::<f64>() {
            Ok(x) => sheet.write_number(r, c, x).unwrap(),
            Err(_) => sheet.write_string(r, c, text).unwrap(),
        };
    }
    workbook.save(path).unwrap();
}

#[test]
fn text_in_a_number_cell_names_the_sheet_and_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hand.xlsx");
    hand_filled(&path, "flags", &[(1, 10, "是"), (2, 10, "十二")]);
    match Panel::read(&path, &ReadOptions::default()) {
        Err(Error::Data { message, .. }) => assert_eq!(message, "sheet 城区, cell K3: '十二' is not a number"),
        other => panic!("expected a data error, got {other:?}"),
    }

    // 是 in a yes/no row is 1; empty cells are missing.
    hand_filled(&path, "flags", &[(1, 10, "是"), (2, 10, "12")]);
    let panel = Panel::read(&path, &ReadOptions::default()).unwrap();
    assert_eq!(
        observations(&panel),
        [
            ("沈阳市".to_string(), 2024, "has_plan".to_string(), 1.0),
            ("沈阳市".to_string(), 2024, "parks".to_string(), 12.0),
        ]
    );
    panel.validate(&flags(), ValidationMode::Strict).unwrap();
    // A template of another catalogue is refused.
    let other = Catalog::builtin("ccsy-example").unwrap();
    assert!(matches!(panel.validate(&other, ValidationMode::Lenient), Err(Error::Mismatch(_))));

    // 是 outside a yes/no row is text like any other.
    hand_filled(&path, "flags", &[(2, 10, "是")]);
    let error = Panel::read(&path, &ReadOptions::default()).unwrap_err().to_string();
    assert!(error.contains("sheet 城区, cell K3: '是' is not a number"), "{error}");
}

#[test]
fn levels_are_sheets_and_one_level_can_be_chosen() {
    let catalog = Catalog::builtin("mohurd-2023").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let all = dir.path().join("all.xlsx");
    template::write(&catalog, &TemplateOptions::new(["沈阳市"], [2024, 2025]), &all).unwrap();
    let names = sheet_names(&all);
    assert_eq!(names[..5], [README_SHEET, "住房", "小区(社区)", "街区", "城区(城市)"]);

    let district = dir.path().join("district.xlsx");
    template::write(&catalog, &TemplateOptions::new(["沈阳市"], [2024]).level("district"), &district).unwrap();
    assert_eq!(sheet_names(&district)[..2], [README_SHEET, "城区(城市)"]);
    let mut workbook = calamine::open_workbook_auto(&district).unwrap();
    let sheet = workbook.worksheet_range("城区(城市)").unwrap();
    assert_eq!(sheet.get_value((0, COLUMNS.len() as u32)), Some(&calamine::Data::String("沈阳市 2024".into())));
    // Every row is an indicator of the district level.
    let (rows, _) = sheet.get_size();
    assert!(rows > 2);
    for r in 1..rows as u32 {
        if let Some(calamine::Data::String(id)) = sheet.get_value((r, 2)) {
            let group = catalog.indicator(id).and_then(|i| i.group.clone()).unwrap_or_default();
            let parent = catalog.group(&group).and_then(|g| g.parent.clone());
            assert_eq!(parent.as_deref(), Some("district"), "{id}");
        }
    }

    // An empty template has nothing to read; a level the catalogue lacks is named.
    assert!(matches!(Panel::read(&district, &ReadOptions::default()), Err(Error::Data { .. })));
    let wrong = template::write(&catalog, &TemplateOptions::new(["沈阳市"], [2024]).level("city"), &district);
    assert!(matches!(wrong, Err(Error::Spec(m)) if m.contains("城区(城市)")));
    let flat = template::write(
        &Catalog::builtin("ccsy-example").unwrap(),
        &TemplateOptions::new(["沈阳市"], [2024]).level("district"),
        &district,
    );
    assert!(matches!(flat, Err(Error::Spec(_))));
}
