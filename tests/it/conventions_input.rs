//! Input as people have it (issue 17 items 5 and 7): the encoding of a CSV asked for
//! (`encoding = "auto" | "utf-8" | "gbk"`) instead of detected, and the sheet of a workbook
//! picked by name (`sheet = "数据"`).

use std::path::{Path, PathBuf};
use std::process::Command;

use citycheck::io::{write_workbook, Lang};
use citycheck::panel::{Encoding, ReadOptions};
use citycheck::{Error, Panel};
use polars::prelude::*;

const TEXT: &str =
    "城市,年份,指标,数值\n沈阳市,2012,green_coverage_builtup,42.2\n大连市,2012,green_coverage_builtup,45.0\n";

/// `text` written as GBK (what Excel on Chinese Windows saves) and as UTF-8 into `dir`.
fn both(dir: &Path, text: &str) -> (PathBuf, PathBuf) {
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    let gbk_path = dir.join("gbk.csv");
    std::fs::write(&gbk_path, &gbk).unwrap();
    let utf8_path = dir.join("utf8.csv");
    std::fs::write(&utf8_path, text).unwrap();
    (gbk_path, utf8_path)
}

fn notes(panel: &Panel) -> Vec<String> {
    panel.read_issues().iter().map(|i| i.message.clone()).collect()
}

#[test]
fn an_encoding_asked_for_is_used_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let (gbk, utf8) = both(dir.path(), TEXT);
    // gbk asked for: read, and the note says it was asked.
    let from_gbk = Panel::read(&gbk, &ReadOptions::default().encoding(Encoding::Gbk)).unwrap();
    assert_eq!(from_gbk.units(), ["沈阳市", "大连市"]);
    assert!(notes(&from_gbk).iter().any(|m| m.contains("read as GB18030") && m.contains("encoding gbk")));
    // auto: detected, the note says why.
    let detected = Panel::read(&gbk, &ReadOptions::default()).unwrap();
    assert!(notes(&detected).iter().any(|m| m.contains("read as GB18030") && m.contains("not UTF-8")));
    // utf-8 asked for: the UTF-8 file reads without a note, the GBK one is refused naming the
    // first byte that is not UTF-8.
    let from_utf8 = Panel::read(&utf8, &ReadOptions::default().encoding(Encoding::Utf8)).unwrap();
    assert!(from_utf8.read_issues().is_empty());
    let err = Panel::read(&gbk, &ReadOptions::default().encoding(Encoding::Utf8)).unwrap_err();
    let Error::Data { location, message } = &err else { panic!("a data error: {err}") };
    assert!(message.contains("encoding utf-8 was asked for"), "{message}");
    // 城 in GBK (GB 2312 row 19, cell 39) is 0xB3 0xC7: the very first byte is not UTF-8.
    assert!(message.contains("invalid byte 0xB3 at row 1, byte offset 0"), "{message}");
    assert_eq!(location.row, Some(1));
}

#[test]
fn gbk_asked_for_refuses_a_utf8_byte_order_mark() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.csv");
    std::fs::write(&path, [&[0xEF, 0xBB, 0xBF][..], TEXT.as_bytes()].concat()).unwrap();
    let err = Panel::read(&path, &ReadOptions::default().encoding(Encoding::Gbk)).unwrap_err();
    assert!(err.to_string().contains("byte-order mark"), "{err}");
    // Detected, the same file is UTF-8.
    let panel = Panel::read(&path, &ReadOptions::default()).unwrap();
    assert_eq!(panel.units(), ["沈阳市", "大连市"]);
}

#[test]
fn encoding_and_sheet_are_read_options_by_name() {
    let options: ReadOptions = serde_json::from_str(r#"{"encoding": "gbk", "sheet": "数据"}"#).unwrap();
    assert_eq!(options.encoding, Encoding::Gbk);
    assert_eq!(options.sheet.as_deref(), Some("数据"));
    for (name, encoding) in [("auto", Encoding::Auto), ("utf-8", Encoding::Utf8), ("utf8", Encoding::Utf8)] {
        let options: ReadOptions = serde_json::from_str(&format!(r#"{{"encoding": "{name}"}}"#)).unwrap();
        assert_eq!(options.encoding, encoding, "{name}");
    }
    assert!(serde_json::from_str::<ReadOptions>(r#"{"encoding": "latin1"}"#).is_err());
    // The default is left out when written (configs and outputs unchanged).
    let written = serde_json::to_string(&ReadOptions::default()).unwrap();
    assert!(!written.contains("encoding") && !written.contains("sheet"), "{written}");
}

/// A workbook whose first sheet is a note (说明), as statistical bureaus send them: the first
/// sheet is not the data; `sheet` picks the one that is.
#[test]
fn a_sheet_is_picked_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bureau.xlsx");
    let note = df!("说明" => ["数据来源：统计年鉴"]).unwrap();
    let data = df!(
        "城市" => ["沈阳市", "大连市"],
        "年份" => [2012i32, 2012],
        "指标" => ["green_coverage_builtup", "green_coverage_builtup"],
        "数值" => [42.2, 45.0]
    )
    .unwrap();
    write_workbook(&path, &[("说明", &note), ("数据", &data)], &[], Lang::En).unwrap();
    let panel = Panel::read(&path, &ReadOptions::default().sheet("数据")).unwrap();
    assert_eq!(panel.units(), ["沈阳市", "大连市"]);
    assert_eq!(panel.len(), 2);
    let err = Panel::read(&path, &ReadOptions::default().sheet("Sheet1")).unwrap_err();
    assert!(err.to_string().contains("no sheet 'Sheet1'") && err.to_string().contains("数据"), "{err}");
    // A sheet of a CSV is a mistake, said as one.
    let (_, utf8) = both(dir.path(), TEXT);
    let err = Panel::read(&utf8, &ReadOptions::default().sheet("数据")).unwrap_err();
    assert!(err.to_string().contains("only an .xlsx workbook has sheets"), "{err}");
}

/// `--encoding` and `--sheet` on the command line (`validate` reads data as every command does).
#[test]
fn encoding_and_sheet_flags() {
    let dir = tempfile::tempdir().unwrap();
    let (gbk, _) = both(dir.path(), TEXT);
    let validate = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_citycheck"))
            .args(["validate", "--catalog", "ccsy-example", "--data", gbk.to_str().unwrap()])
            .args(extra)
            .output()
            .unwrap()
    };
    let asked = validate(&["--encoding", "gbk"]);
    let stdout = String::from_utf8_lossy(&asked.stdout);
    assert!(asked.status.success(), "{stdout}");
    assert!(stdout.contains("read as GB18030") && stdout.contains("encoding gbk"), "{stdout}");
    let refused = validate(&["--encoding", "utf-8"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("encoding utf-8 was asked for"));
    let sheet_of_csv = validate(&["--sheet", "数据"]);
    assert_eq!(sheet_of_csv.status.code(), Some(2));
}
