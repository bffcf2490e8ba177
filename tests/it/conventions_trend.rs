//! The trend conventions of issue 17 (`p_value`, `alternative`, `tau`, `sen_intercept`) reach
//! the library from every door: `summarize_with`, `citycheck trend` (`--p-value`,
//! `--alternative`, `--tau`, `--sen-intercept`), a run config's `[evaluate]` and
//! `citycheck evaluate`.
//!
//! The expected values are those of `conventions_options.rs`, from independent
//! implementations (scipy 1.17.1, pymannkendall 1.4.3):
//!
//! ```text
//! # t = 2008..2015, y = Y8 (two tie groups of two: n1 = 2 tied pairs)
//! scipy.stats.kendalltau(t, y, method="asymptotic")
//!     # tau_b 0.8894991799933215, p 0.002563460923869317
//! scipy.stats.kendalltau(t, y, method="asymptotic", alternative="greater")
//!     # p 0.0012817304619346585
//! pymannkendall.original_test(y)
//!     # tau 0.8571428571428571, p 0.0038512913785901937
//! # t = [2008, 2009, 2010, 2012, 2013, 2015]; y = [61.0, 63.5, 62.0, 66.2, 70.1, 69.0]
//! scipy.stats.theilslopes(y, t, method="separate")[:2]  # 1.3000000000000007, -2549.4500000000016
//! scipy.stats.theilslopes(y, t, method="joint")[:2]     # 1.3000000000000007, -2549.4000000000015
//! ```

use std::path::Path;
use std::process::{Command, Output};

use citycheck::direction::Direction;
use citycheck::run::RunConfig;
use citycheck::trend::{summarize, summarize_with, Alternative, PValue, SenIntercept, Tau, TrendOptions};

const T8: [f64; 8] = [2008.0, 2009.0, 2010.0, 2011.0, 2012.0, 2013.0, 2014.0, 2015.0];
const Y8: [f64; 8] = [3.1, 3.4, 3.4, 3.9, 3.7, 4.2, 4.2, 4.5];
const T6: [f64; 6] = [2008.0, 2009.0, 2010.0, 2012.0, 2013.0, 2015.0];
const Y6: [f64; 6] = [61.0, 63.5, 62.0, 66.2, 70.1, 69.0];

fn citycheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_citycheck")).args(args).output().expect("the citycheck binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn close(actual: f64, expected: f64, tol: f64, what: &str) {
    assert!((actual - expected).abs() <= tol, "{what}: {actual} vs {expected}");
}

/// The cell of `column` in the row of `series` of a `citycheck trend` CSV (the note, last,
/// is the only column that may hold a comma).
fn cell(csv: &str, series: &str, column: &str) -> String {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let k = header.iter().position(|h| *h == column).unwrap_or_else(|| panic!("no column {column}: {header:?}"));
    let row = lines.find(|l| l.split(',').next() == Some(series)).unwrap_or_else(|| panic!("no row {series}"));
    row.split(',').nth(k).unwrap().to_string()
}

fn number(csv: &str, series: &str, column: &str) -> f64 {
    cell(csv, series, column).parse().unwrap_or_else(|e| panic!("{series}.{column}: {e}"))
}

/// The fields of one CSV line; a quoted field (a note with commas) is one field.
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out
}

fn series_file(dir: &Path) -> String {
    let mut csv = String::from("series,t,y\n");
    for (t, y) in T8.iter().zip(Y8) {
        csv.push_str(&format!("y8,{t},{y}\n"));
    }
    for (t, y) in T6.iter().zip(Y6) {
        csv.push_str(&format!("y6,{t},{y}\n"));
    }
    let path = dir.join("series.csv");
    std::fs::write(&path, csv).unwrap();
    path.display().to_string()
}

#[test]
fn summarize_with_passes_every_convention_to_the_kernels() -> citycheck::Result<()> {
    let default = summarize(&T8, &Y8, 0.05, Direction::Higher)?;
    assert_eq!(default.mk_p_method, Some("exact"));
    close(default.mk_tau.unwrap(), 0.8571428571428571, 1e-15, "tau_a by default");
    assert_eq!(summarize_with(&T8, &Y8, 0.05, Direction::Higher, TrendOptions::default())?, default);

    let options = TrendOptions {
        p_value: PValue::Normal,
        alternative: Alternative::Increasing,
        tau: Tau::B,
        sen_intercept: SenIntercept::Residuals,
    };
    let s = summarize_with(&T8, &Y8, 0.05, Direction::Higher, options)?;
    assert_eq!(s.mk_p_method, Some("normal_uncorrected"));
    close(s.mk_tau.unwrap(), 0.8894991799933215, 1e-15, "tau_b");
    close(s.mk_p.unwrap(), 0.0012817304619346585, 1e-12, "one-sided normal p");
    assert_eq!(s.mk_s, default.mk_s, "S does not depend on the conventions");
    // A one-sided test in the improving direction finds the trend.
    assert_eq!(s.verdict, citycheck::trend::Verdict::Improving);
    // The same test for a lower-is-better indicator: "greater" is the worsening direction.
    let lower = summarize_with(&T8, &Y8, 0.05, Direction::Lower, options)?;
    assert_eq!(lower.verdict, citycheck::trend::Verdict::Worsening);
    // One-sided in the other direction: p near 1, no trend found.
    let less = TrendOptions { alternative: Alternative::Decreasing, ..options };
    let s = summarize_with(&T8, &Y8, 0.05, Direction::Higher, less)?;
    close(s.mk_p.unwrap(), 0.9987182695380653, 1e-12, "the other one-sided p");
    assert_eq!(s.verdict, citycheck::trend::Verdict::NoClearTrend);

    let medians = summarize(&T6, &Y6, 0.05, Direction::Higher)?;
    let residuals = summarize_with(&T6, &Y6, 0.05, Direction::Higher, options)?;
    close(medians.sen_intercept.unwrap(), -2549.4500000000016, 1e-8, "medians");
    close(residuals.sen_intercept.unwrap(), -2549.4000000000015, 1e-8, "residuals");
    assert_eq!(medians.sen_slope, residuals.sen_slope);

    // "exact" above the table is an error, not a silent switch.
    let twelve: Vec<f64> = (0..12).map(f64::from).collect();
    let exact = TrendOptions { p_value: PValue::Exact, ..TrendOptions::default() };
    assert!(summarize_with(&twelve, &twelve, 0.05, Direction::Higher, exact).is_err());
    Ok(())
}

#[test]
fn cli_trend_reads_the_four_flags() {
    let dir = tempfile::tempdir().unwrap();
    let series = series_file(dir.path());
    let out = citycheck(&["trend", "--series", &series]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    assert_eq!(cell(&csv, "y8", "mk_p_method"), "exact");
    close(number(&csv, "y8", "mk_tau"), 0.8571428571428571, 1e-12, "default tau_a");
    close(number(&csv, "y6", "sen_intercept"), -2549.4500000000016, 1e-8, "default medians");

    let out = citycheck(&[
        "trend",
        "--series",
        &series,
        "--p-value",
        "normal",
        "--alternative",
        "greater",
        "--tau",
        "b",
        "--sen-intercept",
        "residuals",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    assert_eq!(cell(&csv, "y8", "mk_p_method"), "normal_uncorrected");
    close(number(&csv, "y8", "mk_tau"), 0.8894991799933215, 1e-12, "--tau b");
    close(number(&csv, "y8", "mk_p"), 0.0012817304619346585, 1e-12, "--p-value normal --alternative greater");
    close(number(&csv, "y6", "sen_intercept"), -2549.4000000000015, 1e-8, "--sen-intercept residuals");

    let out = citycheck(&["trend", "--series", &series, "--p-value", "normal_cc"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    close(number(&text(&out.stdout), "y8", "mk_p"), 0.0038512913785901937, 1e-12, "--p-value normal_cc");

    // A misspelt value names the known ones.
    let out = citycheck(&["trend", "--series", &series, "--tau", "c"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("known: a, b"), "{}", text(&out.stderr));
}

#[test]
fn run_config_evaluate_section_takes_the_conventions_and_refuses_misspellings() {
    let base = "catalog = \"ccsy-example\"\n[data]\npath = \"d.csv\"\n[evaluate]\n";
    let config = RunConfig::from_toml(&format!(
        "{base}p_value = \"normal_cc\"\nalternative = \"less\"\ntau = \"b\"\nsen_intercept = \"residuals\"\n"
    ))
    .unwrap();
    let evaluate = config.evaluate.expect("[evaluate]");
    assert_eq!(
        evaluate.trend(),
        TrendOptions {
            p_value: PValue::NormalCc,
            alternative: Alternative::Decreasing,
            tau: Tau::B,
            sen_intercept: SenIntercept::Residuals,
        }
    );
    let defaults = RunConfig::from_toml(base).unwrap().evaluate.unwrap();
    assert_eq!(defaults.trend(), TrendOptions::default());
    for bad in ["p-value = \"normal\"\n", "tau = \"c\"\n", "sen_intercept = \"median\"\n"] {
        assert!(RunConfig::from_toml(&format!("{base}{bad}")).is_err(), "{bad}");
    }
}

#[test]
fn cli_evaluate_reaches_the_trend_table() {
    let dir = tempfile::tempdir().unwrap();
    let data =
        concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv");
    let trends = |name: &str, extra: &[&str]| -> Vec<Vec<String>> {
        let out = dir.path().join(name);
        let mut args = vec!["evaluate", "--catalog", "ccsy-example", "--data", data, "--unit-column", "city", "--out"];
        let out_str = out.display().to_string();
        args.push(&out_str);
        args.extend_from_slice(extra);
        let result = citycheck(&args);
        assert!(result.status.success(), "stderr:\n{}", text(&result.stderr));
        let content = std::fs::read_to_string(out.join("trends.csv")).unwrap();
        let mut lines = content.lines().map(fields);
        let header = lines.next().unwrap();
        let pick = ["unit", "node", "mk_tau", "mk_p_method"].map(|c| header.iter().position(|h| h == c).unwrap());
        lines.map(|row| pick.iter().map(|&k| row[k].clone()).collect()).collect()
    };
    let a = trends("a", &[]);
    let b = trends("b", &["--tau", "b", "--p-value", "normal"]);
    assert_eq!(a.len(), b.len());
    let mut tested = 0;
    for (ra, rb) in a.iter().zip(&b) {
        assert_eq!(ra[..2], rb[..2], "the same rows in the same order");
        if ra[2].is_empty() {
            continue;
        }
        // τ_b = S/√(n0(n0 − n1)) ≥ |S|/n0 = |τ_a| in size, equal without ties; same sign.
        let (ta, tb): (f64, f64) = (ra[2].parse().unwrap(), rb[2].parse().unwrap());
        assert!(tb.abs() >= ta.abs() - 1e-12 && ta * tb >= 0.0, "{ra:?} {rb:?}");
        assert_eq!(rb[3], "normal_uncorrected");
        tested += 1;
    }
    assert!(tested > 0, "some rows have a Mann-Kendall test");
}
