//! `citycheck coupling` and `citycheck obstacle` on a plain matrix with a `year` column, β on
//! the command line and custom grade boundaries (issue 17, item 3), against a hand
//! calculation.
//!
//! ```text
//!   unit year  a    b   c (cost)        min-max over all rows (years pooled), c as a cost
//!   X   2020   1   10   5               a: (a − 1)/2      → 0, 1, 0.5, 0.75
//!   Y   2020   3   30   1               b: (b − 10)/20    → 0, 1, 0.5, 0.25
//!   X   2021   2   20   3               c: (5 − c)/4      → 0, 1, 0.5, 0.75
//!   Z   2021   2.5 15   2
//!
//! --systems "econ=a,b;eco=c" --weights 0.5,0.5,1: within econ w = (1/2, 1/2), within eco 1
//!   U_econ = 0, 1, 0.5, 0.5        U_eco = 0, 1, 0.5, 0.75
//! C = G/A (geometric over arithmetic mean), T = Σ β U, D = √(C T):
//!   X 2020: U = (0, 0)       C = 0 (a U at 0), T = 0, D = 0                 极度失调
//!   Y 2020: U = (1, 1)       C = 1, T = 1, D = 1                            优质协调
//!   X 2021: U = (0.5, 0.5)   C = 1, T = 0.5, D = √0.5 = 0.70711             中级协调
//!   Z 2021: U = (0.5, 0.75)  C = √0.375/0.625 = 0.97980, T = 0.625,
//!           D = √0.61237 = 0.78254                                           中级协调
//!   with --beta 0.4,0.6: Z 2021 T = 0.2 + 0.45 = 0.65, D = √(0.97980 · 0.65) = 0.79804
//!   with --grades "0:失调,0.5:协调,0.79:优质": Z 2021 is 协调 (β equal), 优质 (β 0.4, 0.6)
//!
//! obstacle, --weights 0.5,0.5,1 → F = (0.25, 0.25, 0.5) (rescaled to sum 1):
//!   Z 2021: I = 1 − r = (0.25, 0.75, 0.25), F·I = (0.0625, 0.1875, 0.125), Σ = 0.375
//!           O = (16.667, 50, 33.333) %, ranks b 1, c 2, a 3
//!   Y 2020: at its best everywhere: O = 0 for every indicator
//! ```

use std::process::{Command, Output};

use citycheck::diagnose::{coupling_adjusted, grade_in, parse_grades, GradeBand};

const MATRIX: &str = "city,year,a,b,c\nX,2020,1,10,5\nY,2020,3,30,1\nX,2021,2,20,3\nZ,2021,2.5,15,2\n";

fn citycheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_citycheck")).args(args).output().expect("the citycheck binary runs")
}

fn table(out: &Output) -> Vec<Vec<String>> {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(|l| l.split(',').map(str::to_string).collect()).collect()
}

fn close(actual: &str, expected: f64, what: &str) {
    let a: f64 = actual.parse().unwrap_or_else(|e| panic!("{what}: '{actual}': {e}"));
    assert!((a - expected).abs() < 1e-12, "{what}: {a} vs {expected}");
}

#[test]
fn coupling_over_years_with_beta_and_grades() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("m.csv");
    std::fs::write(&m, MATRIX).unwrap();
    let m = m.display().to_string();
    let m = m.as_str();
    let base = ["coupling", "--matrix", m, "--systems", "econ=a,b;eco=c", "--types", "+,+,-", "--weights", "0.5,0.5,1"];

    let t = table(&citycheck(&base));
    assert_eq!(t[0].join(","), "unit,year,u_econ,u_eco,c,t,d,grade,note");
    assert_eq!(t[1][..2], ["X".to_string(), "2020".to_string()]);
    // X 2020: a subsystem at 0.
    close(&t[1][4], 0.0, "C X 2020");
    close(&t[1][6], 0.0, "D X 2020");
    assert_eq!(t[1][7], "极度失调");
    assert!(t[1][8].contains("econ") && t[1][8].contains("C = 0"), "{:?}", t[1]);
    // Y 2020 and X 2021.
    close(&t[2][6], 1.0, "D Y 2020");
    assert_eq!(t[2][7], "优质协调");
    close(&t[3][6], 0.5f64.sqrt(), "D X 2021");
    assert_eq!(t[3][7], "中级协调");
    // Z 2021.
    close(&t[4][2], 0.5, "U_econ Z");
    close(&t[4][3], 0.75, "U_eco Z");
    close(&t[4][4], 0.375f64.sqrt() / 0.625, "C Z");
    close(&t[4][5], 0.625, "T Z");
    close(&t[4][6], (0.375f64.sqrt() / 0.625 * 0.625).sqrt(), "D Z");

    let with_beta: Vec<&str> = base.iter().copied().chain(["--beta", "0.4,0.6"]).collect();
    let t = table(&citycheck(&with_beta));
    close(&t[4][5], 0.65, "T Z with beta");
    close(&t[4][6], (0.375f64.sqrt() / 0.625 * 0.65).sqrt(), "D Z with beta");

    let grades = ["--grades", "0:失调,0.5:协调,0.79:优质"];
    let t = table(&citycheck(&base.iter().copied().chain(grades).collect::<Vec<_>>()));
    assert_eq!(t[4][7], "协调", "D = 0.7825 < 0.79");
    assert_eq!(t[1][7], "失调");
    let t = table(&citycheck(&with_beta.iter().copied().chain(grades).collect::<Vec<_>>()));
    assert_eq!(t[4][7], "优质", "D = 0.7980 >= 0.79");

    // Refusals, each naming what is wrong.
    for (extra, needle) in [
        (&["--beta", "0.5,0.6"][..], "sum to 1"),
        (&["--beta", "1"][..], "2 subsystems"),
        (&["--grades", "0.5:协调,0:失调"][..], "grades"),
        (&["--grades", "0.2:协调"][..], "start at 0"),
    ] {
        let out = citycheck(&base.iter().copied().chain(extra.iter().copied()).collect::<Vec<_>>());
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{extra:?}: {err}");
    }
    let out = citycheck(&["coupling", "--matrix", m, "--systems", "a,b;d", "--weights", "0.5,0.5,1"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("'d' is not a column"));
    let out = citycheck(&["coupling", "--matrix", m, "--systems", "a,b,c"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least two subsystems"));
}

#[test]
fn obstacle_over_years() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("m.csv");
    std::fs::write(&m, MATRIX).unwrap();
    let m = m.display().to_string();
    let m = m.as_str();
    let t = table(&citycheck(&["obstacle", "--matrix", m, "--types", "+,+,-", "--weights", "0.5,0.5,1"]));
    assert_eq!(t[0].join(","), "unit,year,indicator,obstacle,rank");
    assert_eq!(t.len(), 1 + 4 * 3, "one row per unit-year and indicator");
    // Z 2021: rows 10–12 (a, b, c).
    let z: Vec<&Vec<String>> = t.iter().filter(|r| r[0] == "Z").collect();
    assert_eq!(z.iter().map(|r| r[2].as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
    close(&z[0][3], 100.0 / 6.0, "a");
    close(&z[1][3], 50.0, "b");
    close(&z[2][3], 100.0 / 3.0, "c");
    assert_eq!(z.iter().map(|r| r[4].as_str()).collect::<Vec<_>>(), ["3", "1", "2"]);
    // Y 2020 is at its best everywhere: no obstacle, never 0/0.
    for r in t.iter().filter(|r| r[0] == "Y") {
        close(&r[3], 0.0, "Y");
    }
    // Within every unit-year with a shortfall the obstacles sum to 100.
    for unit in ["X", "Z"] {
        for year in ["2020", "2021"] {
            let rows: Vec<&Vec<String>> = t.iter().filter(|r| r[0] == unit && r[1] == year).collect();
            if rows.is_empty() {
                continue;
            }
            let total: f64 = rows.iter().map(|r| r[3].parse::<f64>().unwrap()).sum();
            assert!((total - 100.0).abs() < 1e-9, "{unit} {year}: {total}");
        }
    }
}

#[test]
fn grade_scales_parse_and_check() {
    let scale = parse_grades("0:失调,0.5:协调").unwrap();
    assert_eq!(scale[1], GradeBand { from: 0.5, name: "协调".into() });
    assert_eq!(grade_in(0.0, &scale), Some("失调"));
    assert_eq!(grade_in(1.0, &scale), Some("协调"));
    for bad in ["", "0:", "x:失调", "0:a,0:b", "0.1:a"] {
        assert!(parse_grades(bad).is_err(), "{bad}");
    }
}

/// `[diagnose] grades` in a run config, and `citycheck diagnose --grades` / `--beta`.
#[test]
fn diagnose_reads_grades_from_the_config_and_the_command_line() {
    let base = "catalog = \"ccsy-example\"\n[data]\npath = \"d.csv\"\n[diagnose]\n";
    let config = citycheck::run::RunConfig::from_toml(&format!(
        "{base}grades = [{{ from = 0, name = \"失调\" }}, {{ from = 0.5, name = \"协调\" }}]\n"
    ))
    .unwrap();
    let grades = config.diagnose.unwrap().grades.unwrap();
    assert_eq!(grades[1], GradeBand { from: 0.5, name: "协调".into() });
    assert!(citycheck::run::RunConfig::from_toml(&format!("{base}grades = [{{ from = 0, nam = \"x\" }}]\n")).is_err());

    let dir = tempfile::tempdir().unwrap();
    let data =
        concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv");
    let out_dir = dir.path().display().to_string();
    let args =
        ["diagnose", "--catalog", "ccsy-example", "--data", data, "--unit-column", "city", "--out", out_dir.as_str()];
    let out = citycheck(&args.iter().copied().chain(["--grades", "0:失调,0.5:协调"]).collect::<Vec<_>>());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let coupling = std::fs::read_to_string(dir.path().join("coupling.csv")).unwrap();
    let mut lines = coupling.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let (d, grade) =
        (header.iter().position(|h| *h == "d").unwrap(), header.iter().position(|h| *h == "grade").unwrap());
    let mut graded = 0;
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        if let Ok(dv) = cells[d].parse::<f64>() {
            assert_eq!(cells[grade], if dv >= 0.5 { "协调" } else { "失调" }, "{line}");
            graded += 1;
        }
    }
    assert!(graded > 0);
    let bad = citycheck(&args.iter().copied().chain(["--beta", "0.9,0.9"]).collect::<Vec<_>>());
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("beta"), "{}", String::from_utf8_lossy(&bad.stderr));
}

/// Wang Shujia et al. (2021)'s adjusted coupling degree, by hand:
/// ```text
/// C' = √[(1 − Σ_{i<j} |U_i − U_j| / (k(k−1)/2)) · Π (U_i / max U)^{1/(k−1)}]
/// U = (0.5, 0.75):       (1 − 0.25) · (0.5/0.75) = 0.75 · 2/3 = 0.5,         C' = √0.5
/// U = (0.2, 0.4, 0.8):   gaps 0.2 + 0.6 + 0.4 = 1.2 over 3 pairs → 1 − 0.4 = 0.6;
///                        (0.25 · 0.5 · 1)^{1/2} = √0.125;                    C' = √(0.6 √0.125)
/// ```
#[test]
fn adjusted_coupling_by_hand_and_on_the_command_line() {
    let k = coupling_adjusted(&[0.5, 0.75], &[0.5, 0.5]);
    assert!((k.c - 0.5f64.sqrt()).abs() < 1e-12, "{k:?}");
    assert!((k.t - 0.625).abs() < 1e-12 && (k.d - (0.5f64.sqrt() * 0.625).sqrt()).abs() < 1e-12, "{k:?}");
    let k = coupling_adjusted(&[0.2, 0.4, 0.8], &[1.0 / 3.0; 3]);
    assert!((k.c - (0.6 * 0.125f64.sqrt()).sqrt()).abs() < 1e-12, "{k:?}");
    // Equal subsystems couple fully; a subsystem at 0 not at all; one subsystem is no coupling.
    assert!((coupling_adjusted(&[0.6, 0.6, 0.6], &[1.0 / 3.0; 3]).c - 1.0).abs() < 1e-12);
    assert_eq!(coupling_adjusted(&[0.0, 0.0], &[0.5, 0.5]).c, 0.0);
    assert!(coupling_adjusted(&[0.5], &[1.0]).c.is_nan());

    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("m.csv");
    std::fs::write(&m, MATRIX).unwrap();
    let m = m.display().to_string();
    let t = table(&citycheck(&[
        "coupling",
        "--matrix",
        m.as_str(),
        "--systems",
        "econ=a,b;eco=c",
        "--types",
        "+,+,-",
        "--weights",
        "0.5,0.5,1",
        "--adjusted",
    ]));
    close(&t[1][4], 0.0, "C' X 2020");
    close(&t[2][4], 1.0, "C' Y 2020");
    close(&t[3][4], 1.0, "C' X 2021");
    close(&t[4][4], 0.5f64.sqrt(), "C' Z 2021");
    close(&t[4][6], (0.5f64.sqrt() * 0.625).sqrt(), "D Z 2021");
    assert_eq!(t[4][7], "初级协调", "D = 0.6648");
}
