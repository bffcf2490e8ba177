//! The `citycheck` command line, run as a user runs it. (The golden comparison of the embedded
//! run's numbers lives elsewhere; these tests check the output folder's shape and the exit
//! codes: 0 success, 1 data problems found by `validate`, 2 an error.)

use std::path::Path;
use std::process::{Command, Output};

use citycheck::{Catalog, Fitted};

fn citycheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_citycheck")).args(args).output().expect("the citycheck binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn first_line(path: &Path) -> String {
    let content = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    content.lines().next().unwrap_or_default().to_string()
}

#[test]
fn run_writes_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let result = citycheck(&["run", "--out", out.to_str().unwrap()]);
    assert!(result.status.success(), "exit {:?}\nstderr:\n{}", result.status, text(&result.stderr));
    assert!(
        text(&result.stdout).contains("2012"),
        "the terminal table shows the latest year:\n{}",
        text(&result.stdout)
    );

    // Stable schemas (io/output.rs): downstream scripts rely on these names.
    assert_eq!(first_line(&out.join("scores.csv")), "unit,year,node,kind,score,rank");
    assert_eq!(first_line(&out.join("weights.csv")), "year,node,parent,weight,global_weight");

    let scores = std::fs::read_to_string(out.join("scores.csv")).unwrap();
    for line in scores.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), 6, "six fields in {line}");
        assert!(["index", "group", "indicator"].contains(&fields[3]), "kind of {line}");
    }
    assert!(scores.lines().any(|l| l.starts_with("沈阳市,2012,index,index,")), "沈阳市 has a 2012 index score");

    let fitted =
        Fitted::from_json(&std::fs::read_to_string(out.join("fitted.json")).unwrap()).expect("fitted.json reads back");
    assert_eq!(fitted.catalog_id, "ccsy-example");

    let run: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["citycheck_version"], env!("CARGO_PKG_VERSION"));
    let catalog = Catalog::builtin("ccsy-example").unwrap();
    assert_eq!(run["catalog"]["id"], "ccsy-example");
    assert_eq!(run["catalog"]["sha256"], catalog.sha256());
    assert_eq!(fitted.catalog_sha256, catalog.sha256());
    // The embedded data set is the repository's own file, compiled in: same bytes, same digest.
    let embedded = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv");
    let inputs = run["inputs"].as_array().expect("inputs list");
    assert_eq!(inputs.len(), 1);
    assert_eq!(inputs[0]["sha256"], citycheck::io::sha256_file(&embedded).unwrap().as_str());
    // 14 Liaoning cities, 2008–2012.
    assert_eq!(run["counts"]["units"].as_u64(), Some(14));
    assert_eq!(run["counts"]["years"].as_u64(), Some(5));
}

#[test]
fn catalog_list_names_the_builtin_catalogues() {
    let result = citycheck(&["catalog", "list"]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    let stdout = text(&result.stdout);
    for id in ["ccsy-example", "mohurd-2021", "mohurd-2023", "liaoning-pilot-2025"] {
        assert!(stdout.contains(id), "lists {id}:\n{stdout}");
    }
    assert_eq!(stdout.lines().count(), 4, "one line per catalogue:\n{stdout}");
}

#[test]
fn validate_a_bad_file_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.csv");
    std::fs::write(
        &path,
        "city,year,indicator,value\n沈阳市,2012,green_coverage,42.2\n大连市,2012,green_coverage_builtup,45\n",
    )
    .unwrap();
    let result = citycheck(&["validate", "--catalog", "ccsy-example", "--data", path.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(1), "stderr:\n{}", text(&result.stderr));
    let stdout = text(&result.stdout);
    assert!(stdout.contains("problem:") && stdout.contains("green_coverage_builtup"), "{stdout}");

    // The same command on a clean file exits 0.
    let good = dir.path().join("good.csv");
    std::fs::write(&good, "city,year,indicator,value\n沈阳市,2012,green_coverage_builtup,42.2\n").unwrap();
    let result = citycheck(&["validate", "--catalog", "ccsy-example", "--data", good.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(0), "{}", text(&result.stdout));
}

#[test]
fn missing_data_file_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no_such_data.csv");
    let out = dir.path().join("out");
    for command in ["validate", "score"] {
        let mut args = vec![command, "--catalog", "ccsy-example", "--data", missing.to_str().unwrap()];
        if command == "score" {
            args.extend(["--out", out.to_str().unwrap()]);
        }
        let result = citycheck(&args);
        assert_eq!(result.status.code(), Some(2), "{command}: stdout:\n{}", text(&result.stdout));
        let stderr = text(&result.stderr);
        assert!(stderr.contains("no_such_data.csv"), "{command}: the message names the file:\n{stderr}");
    }
}
