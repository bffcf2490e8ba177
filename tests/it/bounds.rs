//! Bounded reads and file-level messages (issue 16, items 4–6): only regular files are opened
//! (a FIFO or a device is refused before it could block or never end), text inputs stop at a
//! size limit, a semicolon file is told its delimiter, an unknown catalogue id lists the
//! built-in ones, suggestions come only when close, computed numbers are shown rounded; wide
//! files validate in linear time and CRITIC never forms the n × n correlation matrix.

use std::path::{Path, PathBuf};
#[cfg(feature = "cli")]
use std::process::{Command, Output};

use citycheck::error::{shown_number, IssueKind};
use citycheck::kernels::Array2;
use citycheck::names::{closest, distance_if_close};
use citycheck::panel::ValidationMode;
use citycheck::{Catalog, Error, Panel, ReadOptions};

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// A FIFO at `dir/name`, or `None` where `mkfifo` is not available (the test is then skipped).
fn fifo(dir: &Path, name: &str) -> Option<PathBuf> {
    let path = dir.join(name);
    let made = std::process::Command::new("mkfifo").arg(&path).status();
    match made {
        Ok(status) if status.success() => Some(path),
        _ => {
            eprintln!("mkfifo is not available: FIFO case skipped");
            None
        }
    }
}

#[cfg(feature = "cli")]
fn citycheck(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_citycheck"));
    command.args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("the citycheck binary runs")
}

fn ccsy() -> Catalog {
    Catalog::builtin("ccsy-example").unwrap()
}

// ---------------------------------------------------------------- bounded reads

#[test]
fn a_fifo_named_toml_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let Some(path) = fifo(dir.path(), "catalogue.toml") else { return };
    // Nobody writes to the FIFO: opening it for reading would block forever.
    let e = Catalog::load(&path).unwrap_err().to_string();
    assert!(e.contains("catalogue.toml") && e.contains("FIFO") && e.contains("not a regular file"), "{e}");
    let e = citycheck::run::RunConfig::load(&path).unwrap_err().to_string();
    assert!(e.contains("FIFO"), "{e}");
}

#[test]
fn a_fifo_named_csv_is_refused_as_data() {
    let dir = tempfile::tempdir().unwrap();
    let Some(path) = fifo(dir.path(), "data.csv") else { return };
    let e = Panel::read(&path, &ReadOptions::default()).unwrap_err().to_string();
    assert!(e.contains("data.csv") && e.contains("FIFO"), "{e}");
}

#[cfg(unix)]
#[test]
fn dev_zero_is_refused_as_a_catalogue_and_as_data() {
    // Read, /dev/zero never ends: the reader would fill memory until the process is killed.
    let e = Catalog::load("/dev/zero").unwrap_err().to_string();
    assert!(e.contains("/dev/zero") && e.contains("character device"), "{e}");
    let e = Catalog::resolve("/dev/zero").unwrap_err().to_string();
    assert!(e.contains("character device"), "{e}");
    // Behind a name with a data extension (a symlink is followed to what it names).
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("zero.csv");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let e = Panel::read(&link, &ReadOptions::default()).unwrap_err().to_string();
    assert!(e.contains("zero.csv") && e.contains("character device"), "{e}");
    let parquet = dir.path().join("zero.parquet");
    std::os::unix::fs::symlink("/dev/zero", &parquet).unwrap();
    let e = Panel::read(&parquet, &ReadOptions::default()).unwrap_err().to_string();
    assert!(e.contains("character device"), "{e}");
    assert!(citycheck::io::sha256_file(&link).is_err(), "no digest of an endless device");
}

#[test]
fn a_folder_is_refused_naming_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("spec.toml");
    std::fs::create_dir(&folder).unwrap();
    let e = citycheck::io::read_text(&folder).unwrap_err().to_string();
    assert!(e.contains("spec.toml") && e.contains("a folder"), "{e}");
}

#[test]
fn text_inputs_have_a_documented_limit() {
    assert_eq!(citycheck::io::MAX_TEXT_BYTES, 64 * 1024 * 1024);
    assert_eq!(citycheck::io::MAX_TEXT_BYTES_VAR, "CITYCHECK_MAX_TEXT_BYTES");
    // A file within the limit reads as it is.
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "small.toml", "a = 1\n".as_bytes());
    assert_eq!(citycheck::io::read_text(&path).unwrap(), "a = 1\n");
}

#[cfg(feature = "cli")]
#[test]
fn an_oversized_catalogue_is_refused_naming_its_size_and_the_override() {
    let dir = tempfile::tempdir().unwrap();
    // 2,000 bytes of comments: a limit of 100 bytes set through the environment (a real
    // catalogue beyond 64 MiB is not written in a test).
    let big = write(dir.path(), "big.toml", "# padding\n".repeat(200).as_bytes());
    let big = big.display().to_string();
    let out = citycheck(&["catalog", "show", &big], &[("CITYCHECK_MAX_TEXT_BYTES", "100")]);
    assert_eq!(out.status.code(), Some(2), "refused");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("big.toml")
            && stderr.contains("2000 bytes")
            && stderr.contains("100 bytes")
            && stderr.contains("CITYCHECK_MAX_TEXT_BYTES"),
        "{stderr}"
    );
    // A limit that is not a number is refused by name, not ignored.
    let out = citycheck(&["catalog", "show", &big], &[("CITYCHECK_MAX_TEXT_BYTES", "lots")]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("CITYCHECK_MAX_TEXT_BYTES") && stderr.contains("lots"), "{stderr}");
}

// ---------------------------------------------------------------- file-level messages

#[test]
fn a_semicolon_file_is_told_its_delimiter() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "semi.csv", "city;year;gdp\n沈阳市;2012;5000\n".as_bytes());
    let e = Panel::read(&path, &ReadOptions::default()).unwrap_err().to_string();
    assert!(e.contains("semi.csv") && e.contains("';' (semicolon)") && e.contains("comma"), "{e}");
    let e = Panel::read(&path, &ReadOptions::default().unit_column("city")).unwrap_err().to_string();
    assert!(e.contains("no unit column named 'city'") && e.contains("';' (semicolon)"), "{e}");
    let tabs = write(dir.path(), "tabs.csv", "city\tyear\tgdp\n沈阳市\t2012\t5000\n".as_bytes());
    let e = Panel::read(&tabs, &ReadOptions::default()).unwrap_err().to_string();
    assert!(e.contains("a tab"), "{e}");
    // A comma file without its unit column gets no delimiter hint.
    let plain = write(dir.path(), "plain.csv", "town,year,gdp\n沈阳市,2012,5000\n".as_bytes());
    let e = Panel::read(&plain, &ReadOptions::default()).unwrap_err().to_string();
    assert!(e.contains("missing the unit column") && !e.contains("semicolon"), "{e}");
}

#[test]
fn a_file_neither_utf8_nor_gbk_names_the_encodings_and_the_row() {
    let dir = tempfile::tempdir().unwrap();
    // 0xFF is no lead byte of UTF-8 nor of GB18030; it sits on row 2 (the header is row 1),
    // byte offset 14.
    let path = write(dir.path(), "bad.csv", b"city,year,gdp\n\xff\xff,2012,1\n");
    let err = Panel::read(&path, &ReadOptions::default()).unwrap_err();
    let Error::Data { location, message } = &err else { panic!("expected Error::Data, got {err:?}") };
    assert_eq!(location.row, Some(2), "{err}");
    assert!(message.contains("UTF-8") && message.contains("GB18030") && message.contains("0xFF"), "{message}");
    assert!(message.contains("row 2, byte offset 14"), "{message}");
}

#[test]
fn an_unknown_builtin_id_lists_the_builtin_ids() {
    let e = Catalog::resolve("ccsy-exmaple").unwrap_err().to_string();
    assert!(e.contains("did you mean 'ccsy-example'"), "{e}");
    for id in Catalog::builtin_ids() {
        assert!(e.contains(id), "{id} listed: {e}");
    }
    // Nothing close: the list without a suggestion.
    let e = Catalog::resolve("zzz").unwrap_err().to_string();
    assert!(!e.contains("did you mean") && e.contains("mohurd-2021"), "{e}");
    // A path still reads as a path (the operating system's error names it).
    let e = Catalog::resolve("no/such/catalogue.toml").unwrap_err();
    assert!(matches!(e, Error::Io { .. }), "{e:?}");
}

#[test]
fn suggestions_only_when_close() {
    // Issue 16: `gdp_total` was "did you mean 'fdi_actual'" (5 edits in 9 letters).
    assert_eq!(distance_if_close("gdp_total", "fdi_actual"), None);
    assert_eq!(distance_if_close("ccsy-exmaple", "ccsy-example"), Some(1));
    assert_eq!(distance_if_close("green_coverage", "green_coverage_builtup"), Some(8));
    assert_eq!(closest("sum", &["std"]), None);
    assert_ne!(ccsy().suggest("gdp_total"), Some("fdi_actual"));
    assert_eq!(ccsy().suggest("gdpp"), Some("gdp"));
    assert_eq!(ccsy().suggest("qqqqqqqq"), None);
}

#[test]
fn computed_numbers_are_shown_rounded() {
    assert_eq!(shown_number(0.3 + 0.6), "0.9");
    assert_eq!(shown_number(1.0 / 3.0), "0.3333333333");
    assert_eq!(shown_number(-1234.5), "-1234.5");
    assert_eq!(shown_number(1e-7), "1e-7");
    assert_eq!(shown_number(2.5e20), "2.5e20");
    assert_eq!(shown_number(f64::INFINITY), "not representable (too large)");
    assert_eq!(shown_number(f64::NEG_INFINITY), "not representable (too large, negative)");
    assert_eq!(shown_number(f64::NAN), "not representable");
    // 0.3 + 0.6 is 0.8999999999999999 in f64: the message shows 0.9.
    let e = citycheck::survey::combine(80.0, 60.0, (0.3, 0.6)).unwrap_err().to_string();
    assert!(e.contains("sum to 0.9,") && !e.contains("0.8999"), "{e}");
}

#[test]
fn a_strict_error_never_says_read_as_missing() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "cells.csv", "city,year,gdp,fdi_actual\n沈阳市,2012,abc,5\n".as_bytes());
    let panel = Panel::read(&path, &ReadOptions::default()).unwrap();
    let e = panel.validate(&ccsy(), ValidationMode::Strict).unwrap_err().to_string();
    assert!(e.contains("expected a number, found 'abc'") && !e.contains("read as missing"), "{e}");
    let lenient = panel.validate(&ccsy(), ValidationMode::Lenient).unwrap();
    let issue = lenient.issues.iter().find(|i| i.kind == IssueKind::NonNumeric).expect("the bad cell is reported");
    assert!(issue.message.ends_with("; read as missing"), "{}", issue.message);
}

// ---------------------------------------------------------------- linear validation

#[test]
fn a_wide_file_of_100000_unknown_columns_validates_with_a_bounded_message() {
    const N: usize = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("city,year");
    for i in 0..N {
        csv.push_str(&format!(",gdp_{i}"));
    }
    csv.push_str("\n沈阳市,2012");
    for _ in 0..N {
        csv.push_str(",1");
    }
    csv.push('\n');
    let path = write(dir.path(), "wide.csv", csv.as_bytes());
    let panel = Panel::read(&path, &ReadOptions::default()).unwrap();
    assert_eq!(panel.len(), N);
    let lenient = panel.validate(&ccsy(), ValidationMode::Lenient).unwrap();
    let unknown: Vec<_> = lenient.issues.iter().filter(|i| i.kind == IssueKind::UnknownIndicator).collect();
    assert_eq!(unknown.len(), N, "one issue per unknown column");
    assert_eq!(unknown[0].location.indicator.as_deref(), Some("gdp_0"));
    assert_eq!(unknown[0].location.row, Some(2));
    // `gdp_i` is `gdp` with a part added: suggested for the first 20 names only.
    assert!(unknown[..20].iter().all(|i| i.message.contains("did you mean 'gdp'")), "{}", unknown[0].message);
    assert!(unknown[20..].iter().all(|i| !i.message.contains("did you mean")), "{}", unknown[20].message);
    let err = panel.validate(&ccsy(), ValidationMode::Strict).unwrap_err();
    let Error::Validation { issues } = &err else { panic!("expected Error::Validation, got {err:?}") };
    assert_eq!(issues.len(), N);
    let message = err.to_string();
    assert!(message.contains(&format!("… and {} more", N - 20)), "a count of the rest");
    assert!(message.lines().count() <= 22 && message.len() < 20_000, "bounded: {} bytes", message.len());
}

// ---------------------------------------------------------------- CRITIC by row sums

/// A deterministic uniform number in [0, 1) (64-bit LCG, Knuth's MMIX constants).
fn lcg(state: &mut u64) -> f64 {
    *state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (*state >> 11) as f64 / (1u64 << 53) as f64
}

/// CRITIC weights computed here with the correlation matrix formed entry by entry (METHODS.md
/// §4): every column min-max scaled as benefit (a constant one all 0), σ the sample sd of the
/// scaled column, ρ Pearson's r of two scaled columns (undefined, taken as 0, when either is
/// constant; ρ_jj = 1), C_j = σ_j Σ_k (1 − ρ_jk), w = C / Σ C.
fn critic_by_matrix(x: &Array2<f64>) -> Vec<f64> {
    let (m, n) = x.dim();
    let mut scaled = vec![vec![0.0; m]; n];
    let mut constant = vec![false; n];
    for j in 0..n {
        let col: Vec<f64> = (0..m).map(|i| x[[i, j]]).collect();
        let lo = col.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = col.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        constant[j] = hi <= lo;
        if !constant[j] {
            scaled[j] = col.iter().map(|v| (v - lo) / (hi - lo)).collect();
        }
    }
    let mean = |c: &[f64]| c.iter().sum::<f64>() / c.len() as f64;
    let sd = |c: &[f64]| {
        let mu = mean(c);
        (c.iter().map(|v| (v - mu) * (v - mu)).sum::<f64>() / (c.len() - 1) as f64).sqrt()
    };
    let mut rho = vec![vec![0.0; n]; n];
    for j in 0..n {
        for k in 0..n {
            rho[j][k] = if j == k {
                1.0
            } else if constant[j] || constant[k] {
                0.0
            } else {
                let (mj, mk) = (mean(&scaled[j]), mean(&scaled[k]));
                let sxy: f64 = (0..m).map(|i| (scaled[j][i] - mj) * (scaled[k][i] - mk)).sum();
                let sxx: f64 = (0..m).map(|i| (scaled[j][i] - mj).powi(2)).sum();
                let syy: f64 = (0..m).map(|i| (scaled[k][i] - mk).powi(2)).sum();
                sxy / (sxx * syy).sqrt()
            };
        }
    }
    let c: Vec<f64> = (0..n)
        .map(|j| if constant[j] { 0.0 } else { sd(&scaled[j]) * (0..n).map(|k| 1.0 - rho[j][k]).sum::<f64>() })
        .collect();
    let total: f64 = c.iter().sum();
    c.iter().map(|v| v / total).collect()
}

fn criteria(n: usize) -> Vec<String> {
    (0..n).map(|j| format!("c{j}")).collect()
}

#[test]
fn critic_by_row_sums_equals_critic_by_the_full_matrix() {
    let mut state = 16;
    let (m, n) = (30, 12);
    // Column 5 is constant; column 7 is column 2 reversed (a conflict of −1), column 9 a
    // multiple of column 3 (ρ = 1).
    let mut x = Array2::<f64>::zeros((m, n));
    for i in 0..m {
        for j in 0..n {
            x[[i, j]] = 100.0 * lcg(&mut state) - 20.0;
        }
        x[[i, 5]] = 7.5;
        x[[i, 7]] = -x[[i, 2]];
        x[[i, 9]] = 3.0 * x[[i, 3]];
    }
    let mut warnings = Vec::new();
    let w = citycheck::weight::critic(x.view(), &criteria(n), &mut warnings).unwrap();
    let expected = critic_by_matrix(&x);
    for (j, (got, want)) in w.iter().zip(&expected).enumerate() {
        assert!((got - want).abs() < 1e-12, "column {j}: {got} vs {want}");
    }
    assert_eq!(w[5], 0.0, "the constant column");
    assert!(warnings.len() == 1 && warnings[0].contains("c5"), "{warnings:?}");
}

#[test]
fn critic_on_20000_criteria_runs_without_the_matrix() {
    let mut state = 20_000;
    let (m, n) = (200, 20_000);
    let mut x = Array2::<f64>::zeros((m, n));
    for i in 0..m {
        for j in 0..n {
            x[[i, j]] = if j == 0 { 1.0 } else { lcg(&mut state) };
        }
    }
    let mut warnings = Vec::new();
    let w = citycheck::weight::critic(x.view(), &criteria(n), &mut warnings).unwrap();
    assert_eq!(w.len(), n);
    assert_eq!(w[0], 0.0, "the constant column");
    assert!(w.iter().all(|v| v.is_finite() && *v >= 0.0));
    assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    // Independent columns: conflicts near n − 1 each, so weights near σ_j / Σσ, all about 1/n.
    assert!(w[1..].iter().all(|v| (v * (n - 1) as f64 - 1.0).abs() < 0.3), "about 1/n each");
}
