//! The fuzzing harness (issue 16): every command of the `citycheck` binary run on mutated
//! versions of the shipped inputs — bytes flipped, files cut short, numbers replaced by 1e308,
//! f64::MAX or 1e-320, cells emptied, a BOM or GBK bytes, deep TOML nesting, many columns,
//! duplicated rows, swapped delimiters, CRLF, NUL bytes — and the library's readers on the same
//! files. Each case runs in its own folder with a time budget. What must hold:
//!
//! - no panic (exit 101, "panicked at", or death by a signal: an abort, a stack overflow);
//! - no hang (the budget, [`budget`], exceeded: the child is killed);
//! - no `NaN` or `inf` cell in any CSV the case wrote (its `out/` folder, and stdout for the
//!   commands that print a CSV table: rank, weights, trend);
//! - an exit code consistent with the messages: 0, 1 (data problems) or 2 (an error); exit 0
//!   with no `error:` line on stderr; a non-zero exit with a message (on stderr, or on stdout
//!   for the problems `validate` lists).
//!
//! A mutated input that a command refuses cleanly (exit 1 or 2 with its message) is a run, not
//! a failure. `fuzz_bounded_run` runs [`DEFAULT_CASES`] cases in `cargo test` (a few minutes in
//! a debug build) and prints its counts; the long run is
//! `CITYCHECK_FUZZ_CASES=50000 cargo test --release --test it fuzz -- --nocapture`
//! (`CITYCHECK_FUZZ_SEED` changes the cases, `CITYCHECK_FUZZ_BUDGET_SECS` the budget). A case
//! that fails is saved under the target folder's `fuzz-findings/` as a folder of its input
//! files and an `args` file; once fixed, it moves to tests/fixtures/fuzz/regressions/, whose
//! cases `fuzz_regressions_replay` runs every time.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

/// Cases of the bounded run when `CITYCHECK_FUZZ_CASES` is not set: a case takes 0.01–0.25 s
/// in the test profile (dependencies built with opt-level 1; the seeds measured on 2 cores,
/// 2026-12-03), so 2,000 cases take about 1–2 minutes.
const DEFAULT_CASES: u64 = 2_000;

/// Where an argument names the case's folder.
const DIR: &str = "{dir}";

/// A number of the environment, or `default`.
fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

/// The time a case may take before it counts as a hang.
fn budget() -> Duration {
    Duration::from_secs(env_number("CITYCHECK_FUZZ_BUDGET_SECS", 30))
}

/// xorshift64: deterministic, so that a case is its seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // splitmix64 of the seed: nearby seeds give unrelated streams, never the zero state.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A command and its seed inputs: the files written into the case's folder and the arguments,
/// in which `{dir}` stands for the folder.
struct Target {
    files: Vec<(String, Vec<u8>)>,
    args: Vec<String>,
}

fn read(relative: &str) -> Vec<u8> {
    let path = Path::new(MANIFEST).join(relative);
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The header and the lines of `relative` that `keep` keeps, at most `max` of them.
fn slice(relative: &str, keep: impl Fn(&str) -> bool, max: usize) -> Vec<u8> {
    let text = String::from_utf8(read(relative)).unwrap();
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap_or_default());
    for line in lines.filter(|l| keep(l)).take(max) {
        out.push_str(line);
        out.push('\n');
    }
    out.into_bytes()
}

fn target(files: &[(&str, Vec<u8>)], args: &[&str]) -> Target {
    Target {
        files: files.iter().map(|(n, b)| (n.to_string(), b.clone())).collect(),
        args: args.iter().map(|a| a.to_string()).collect(),
    }
}

/// Every command with small seed inputs from the repository's data sets.
fn targets() -> Vec<Target> {
    let data = read("datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv");
    let catalog = read("indicators/ccsy-example.toml");
    let spec = b"normalize = { method = \"min_max\", lo = 0.0, hi = 100.0 }\nscope = \"panel\"\n\
                 missing = \"renormalize\"\naggregate = { method = \"arithmetic\" }\n\n[weights]\n\
                 default = { method = \"equal\" }\n\
                 levels = { \"2\" = { method = \"entropy_normalized\", shift = 0.0001 } }\n"
        .to_vec();
    let series = b"series,t,y\na,2021,60\na,2022,62.5\na,2023,61\na,2024,65\na,2025,67\n\
                   b,2021,5\nb,2022,4\nb,2023,4.5\nb,2024,3\nc,2025,1\n"
        .to_vec();
    let matrix = b"alternative,c1,c2,c3\nA1,5,8,4\nA2,7,6,8\nA3,8,8,6\nA4,7,4,6\n".to_vec();
    let rank_weights = b"criterion,weight\nc1,0.3\nc2,0.4\nc3,0.3\n".to_vec();
    let pairwise = b"criterion,a,b,c,d\na,1,3,2,2\nb,1/3,1,1/2,1\nc,1/2,2,1,1\nd,1/2,1,1,1\n".to_vec();
    let definition = read("datasets/survey_synthetic/definition.toml");
    let responses = slice("datasets/survey_synthetic/responses.csv", |_| true, 300);
    let district = |l: &str| l.contains(",C01-D01,");
    let sample = "datasets/province_sample";
    let records: Vec<(String, Vec<u8>)> = ["buildings", "compounds", "blocks", "districts"]
        .iter()
        .map(|t| (format!("{t}.csv"), slice(&format!("{sample}/{t}.csv"), district, 400)))
        .collect();
    let efficiency = b"unit,year,staff,served\nA,2020,1,1\nB,2020,2,1\nC,2020,3,2.5\n\
                       A,2021,1,2\nB,2021,2,1.5\nC,2021,3,2\n"
        .to_vec();
    let run = String::from_utf8(read("datasets/default-run.toml"))
        .unwrap()
        .replace("embedded:cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv", "data.csv")
        .into_bytes();

    let input = ["--catalog", "ccsy-example", "--data", "{dir}/data.csv", "--unit-column", "city"];
    let with = |head: &[&str], tail: &[&str]| -> Vec<String> {
        head.iter().chain(&input).chain(tail).map(|a| a.to_string()).collect()
    };
    let mut all = vec![
        Target { files: vec![("data.csv".into(), data.clone())], args: with(&["validate"], &[]) },
        Target {
            files: vec![("data.csv".into(), data.clone()), ("catalog.toml".into(), catalog)],
            args: ["validate", "--catalog", "{dir}/catalog.toml", "--data", "{dir}/data.csv", "--unit-column", "city"]
                .iter()
                .chain(&["--lenient"])
                .map(|a| a.to_string())
                .collect(),
        },
        Target {
            files: vec![("data.csv".into(), data.clone()), ("spec.toml".into(), spec)],
            args: with(&["score"], &["--spec", "{dir}/spec.toml", "--out", "{dir}/out"]),
        },
        Target { files: vec![("data.csv".into(), data.clone())], args: with(&["evaluate"], &["--out", "{dir}/out"]) },
        Target {
            files: vec![("data.csv".into(), data.clone())],
            args: with(&["diagnose"], &["--trends", "--out", "{dir}/out"]),
        },
        target(&[("series.csv", series)], &["trend", "--series", "{dir}/series.csv"]),
        target(
            &[("matrix.csv", matrix.clone()), ("rank_weights.csv", rank_weights)],
            &["rank", "--matrix", "{dir}/matrix.csv", "--weights", "{dir}/rank_weights.csv", "--method", "topsis"],
        ),
        target(
            &[("matrix.csv", matrix.clone())],
            &["rank", "--matrix", "{dir}/matrix.csv", "--types", "1,-1,1", "--weights", "entropy", "--method", "vikor"],
        ),
        target(&[("matrix.csv", matrix)], &["weights", "--matrix", "{dir}/matrix.csv", "--method", "critic"]),
        target(&[("pairwise.csv", pairwise)], &["weights", "--method", "ahp", "--pairwise", "{dir}/pairwise.csv"]),
        target(
            &[("definition.toml", definition), ("responses.csv", responses)],
            &[
                "survey",
                "--definition",
                "{dir}/definition.toml",
                "--responses",
                "{dir}/responses.csv",
                "--unit-column",
                "city",
                "--year-column",
                "year",
                "--weight-column",
                "weight",
                "--strata-column",
                "district",
                "--out",
                "{dir}/out",
            ],
        ),
        target(
            &[("eff.csv", efficiency)],
            &[
                "efficiency",
                "--data",
                "{dir}/eff.csv",
                "--inputs",
                "staff",
                "--outputs",
                "served",
                "--out",
                "{dir}/out",
            ],
        ),
        target(&[("data.csv", data), ("run.toml", run)], &["run", "{dir}/run.toml", "--out", "{dir}/out"]),
    ];
    let head = ["compute", "--catalog", "mohurd-2023", "--level", "district,city", "--out", "{dir}/out"];
    let mut compute: Vec<String> = head.map(String::from).to_vec();
    for (name, _) in &records {
        compute.extend(["--records".to_string(), format!("{DIR}/{name}")]);
    }
    all.push(Target { files: records, args: compute });
    all
}

/// Numbers at and beyond the limits of f64, and others a reader may mishandle.
const NUMBERS: &[&str] = &[
    "1e308",
    "1.7976931348623157e308",
    "-1.7976931348623157e308",
    "1e-320",
    "5e-324",
    "1e154",
    "1e200",
    "-1e200",
    "0",
    "-0",
    "1e15",
    "123456789012345678901234567890",
    "-1",
    "0.0000001",
    "1e400",
];

/// The byte ranges of the numbers of `bytes` (runs of digits, `.`, `e`, `+`, `-` with a digit).
fn numbers(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let mut start = i;
            while start > 0 && matches!(bytes[start - 1], b'-' | b'+' | b'.') {
                start -= 1;
            }
            let mut end = i;
            while end < bytes.len() && (bytes[end].is_ascii_digit() || b".eE-+".contains(&bytes[end])) {
                end += 1;
            }
            found.push((start, end));
            i = end;
        } else {
            i += 1;
        }
    }
    found
}

/// The byte ranges of the lines of `bytes` (without their `\n`).
fn lines(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            found.push((start, i));
            start = i + 1;
        }
    }
    if start < bytes.len() {
        found.push((start, bytes.len()));
    }
    found
}

fn splice(bytes: &[u8], (start, end): (usize, usize), with: &[u8]) -> Vec<u8> {
    [&bytes[..start], with, &bytes[end..]].concat()
}

/// GBK bytes of city names of the data (沈阳市, 大连市, 丹东市) and of a survey label (很满意).
const GBK: &[(&str, &[u8])] = &[
    ("沈阳市", &[0xc9, 0xf2, 0xd1, 0xf4, 0xca, 0xd0]),
    ("大连市", &[0xb4, 0xf3, 0xc1, 0xac, 0xca, 0xd0]),
    ("丹东市", &[0xb5, 0xa4, 0xb6, 0xab, 0xca, 0xd0]),
    ("很满意", &[0xba, 0xdc, 0xc2, 0xfa, 0xd2, 0xe2]),
];

fn replace_all(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if !from.is_empty() && bytes[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// One mutation of `bytes`, and what it was.
fn mutate(rng: &mut Rng, bytes: &[u8]) -> (Vec<u8>, String) {
    let len = bytes.len();
    match rng.below(20) {
        0 | 1 if len > 0 => {
            let i = rng.below(len);
            let mut out = bytes.to_vec();
            out[i] ^= 1 << rng.below(8);
            (out, format!("bit flipped at byte {i}"))
        }
        2 if len > 0 => {
            let i = rng.below(len);
            let mut out = bytes.to_vec();
            out[i] = rng.next_u64() as u8;
            (out, format!("byte {i} replaced"))
        }
        3 => {
            let at = rng.below(len + 1);
            (bytes[..at].to_vec(), format!("truncated at byte {at}"))
        }
        4..=6 => {
            let found = numbers(bytes);
            if found.is_empty() {
                return (bytes.to_vec(), "no number to replace".into());
            }
            let n = *rng.pick(NUMBERS);
            // Often every number of the file, so that a whole column is extreme.
            if rng.below(4) == 0 {
                let mut out = bytes.to_vec();
                for range in found.iter().rev() {
                    out = splice(&out, *range, n.as_bytes());
                }
                (out, format!("every number replaced by {n}"))
            } else {
                let range = *rng.pick(&found);
                (splice(bytes, range, n.as_bytes()), format!("number at byte {} replaced by {n}", range.0))
            }
        }
        7 => {
            let found = numbers(bytes);
            if found.is_empty() {
                return (bytes.to_vec(), "no number to empty".into());
            }
            if rng.below(3) == 0 {
                let mut out = bytes.to_vec();
                for range in found.iter().rev() {
                    out = splice(&out, *range, b"");
                }
                (out, "every number emptied".into())
            } else {
                let range = *rng.pick(&found);
                (splice(bytes, range, b""), format!("number at byte {} emptied", range.0))
            }
        }
        8 => ([&[0xef, 0xbb, 0xbf][..], bytes].concat(), "BOM prepended".into()),
        9 => {
            let (text, gbk) = *rng.pick(GBK);
            (replace_all(bytes, text.as_bytes(), gbk), format!("{text} in GBK"))
        }
        10 => {
            let swaps = [(",", ";"), (",", "\t"), (",", "|"), ("=", ":"), ("\n", "\r\n"), ("\n", "\r")];
            let (from, to) = *rng.pick(&swaps);
            (replace_all(bytes, from.as_bytes(), to.as_bytes()), format!("{from:?} replaced by {to:?}"))
        }
        11 => {
            let all = lines(bytes);
            if all.is_empty() {
                return (bytes.to_vec(), "no line to duplicate".into());
            }
            let (start, end) = *rng.pick(&all);
            let times = 1 + rng.below(50);
            let mut line = bytes[start..end].to_vec();
            line.push(b'\n');
            let copies = line.repeat(times);
            (splice(bytes, (start, start), &copies), format!("line at byte {start} duplicated {times} times"))
        }
        12 => {
            let all = lines(bytes);
            let columns = if all.len() < 100 { *rng.pick(&[50, 500, 2000]) } else { *rng.pick(&[20, 200]) };
            let mut out = Vec::with_capacity(bytes.len() + all.len() * columns * 4);
            for (row, (start, end)) in all.iter().enumerate() {
                out.extend_from_slice(&bytes[*start..*end]);
                for c in 0..columns {
                    if row == 0 {
                        out.extend_from_slice(format!(",x{c}").as_bytes());
                    } else {
                        out.extend_from_slice(format!(",{}", c % 7).as_bytes());
                    }
                }
                out.push(b'\n');
            }
            (out, format!("{columns} columns added"))
        }
        13 => {
            let depth = *rng.pick(&[64, 1_000, 100_000]);
            let nested = if rng.below(2) == 0 {
                format!("deep = {}{}\n", "[".repeat(depth), "]".repeat(depth))
            } else {
                format!("deep = {}1{}\n", "{ a = ".repeat(depth), " }".repeat(depth))
            };
            let at = lines(bytes).first().map(|l| l.1 + 1).unwrap_or(0).min(len);
            (splice(bytes, (at, at), nested.as_bytes()), format!("nesting {depth} deep inserted"))
        }
        14 => {
            let all = lines(bytes);
            if all.is_empty() {
                return (bytes.to_vec(), "no line to remove".into());
            }
            let (start, end) = *rng.pick(&all);
            (splice(bytes, (start, (end + 1).min(len)), b""), format!("line at byte {start} removed"))
        }
        15 => {
            let garbage: Vec<u8> = (0..1 + rng.below(40)).map(|_| rng.next_u64() as u8).collect();
            let at = rng.below(len + 1);
            (splice(bytes, (at, at), &garbage), format!("{} random bytes inserted at {at}", garbage.len()))
        }
        16 => ([bytes, bytes].concat(), "content doubled".into()),
        17 => {
            let at = rng.below(len + 1);
            (splice(bytes, (at, at), b"\0\0"), format!("NUL bytes at {at}"))
        }
        18 => {
            // A cell of text where a number goes.
            let found = numbers(bytes);
            if found.is_empty() {
                return (bytes.to_vec(), "no number to replace".into());
            }
            let range = *rng.pick(&found);
            let text = *rng.pick(&["abc", "1,5", "=1+2", "\"", "1e", "--1", "0x10", "１２"]);
            (splice(bytes, range, text.as_bytes()), format!("number at byte {} replaced by {text:?}", range.0))
        }
        _ => (Vec::new(), "emptied".into()),
    }
}

/// What a fuzzing run counted: the cases run, and each kind of failure.
#[derive(Default)]
struct Counts {
    runs: u64,
    panics: u64,
    hangs: u64,
    non_finite: u64,
    inconsistent: u64,
}

impl Counts {
    fn failures(&self) -> u64 {
        self.panics + self.hangs + self.non_finite + self.inconsistent
    }
}

/// A cell that any reader takes for a non-finite number.
fn non_finite_cell(cell: &str) -> bool {
    let c = cell.trim().trim_matches('"').to_ascii_lowercase();
    matches!(c.as_str(), "nan" | "-nan" | "inf" | "-inf" | "+inf" | "infinity" | "-infinity" | "+infinity")
}

/// The first non-finite cell of a CSV text, with its line.
fn first_non_finite(csv: &str) -> Option<String> {
    csv.lines().enumerate().find_map(|(i, line)| {
        line.split([',', ';', '\t']).find(|c| non_finite_cell(c)).map(|c| format!("{c:?} on line {}: {line}", i + 1))
    })
}

/// The CSV files under `dir`, at any depth.
fn csv_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
                found.push(path);
            }
        }
    }
    found
}

/// The commands that print a CSV table on stdout.
fn prints_csv(args: &[String]) -> bool {
    args.first().is_some_and(|c| matches!(c.as_str(), "rank" | "weights" | "trend"))
}

/// Runs `args` (with `{dir}` replaced by `dir`) in `dir` within the budget; adds to `counts`
/// and returns what went wrong, if anything. `exit`: the exit code it must have, if known.
fn run_case(dir: &Path, args: &[String], exit: Option<i32>, counts: &mut Counts) -> Option<String> {
    counts.runs += 1;
    let folder = dir.display().to_string();
    let args: Vec<String> = args.iter().map(|a| a.replace(DIR, &folder)).collect();
    let (stdout_path, stderr_path) = (dir.join(".stdout"), dir.join(".stderr"));
    // Output to files, not pipes: a child writing much never blocks on a full pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_citycheck"))
        .args(&args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout_path).unwrap())
        .stderr(fs::File::create(&stderr_path).unwrap())
        .spawn()
        .expect("the citycheck binary runs");
    let (started, limit) = (Instant::now(), budget());
    let status = loop {
        match child.try_wait().expect("waiting for citycheck") {
            Some(status) => break Some(status),
            None if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    };
    let Some(status) = status else {
        counts.hangs += 1;
        return Some(format!("hang: no exit after {limit:?}"));
    };
    let stdout = String::from_utf8_lossy(&fs::read(&stdout_path).unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&fs::read(&stderr_path).unwrap_or_default()).into_owned();
    let tail = |s: &str| s.chars().rev().take(600).collect::<Vec<_>>().into_iter().rev().collect::<String>();
    let code = status.code();
    if code == Some(101) || code.is_none() || stderr.contains("panicked at") {
        counts.panics += 1;
        return Some(format!("panic or signal ({status}): {}", tail(&stderr)));
    }
    let mut tables: Vec<(String, String)> = csv_files(&dir.join("out"))
        .into_iter()
        .map(|p| (p.display().to_string(), String::from_utf8_lossy(&fs::read(&p).unwrap_or_default()).into_owned()))
        .collect();
    if code == Some(0) && prints_csv(&args) {
        tables.push(("stdout".into(), stdout.clone()));
    }
    for (name, text) in &tables {
        if let Some(cell) = first_non_finite(text) {
            counts.non_finite += 1;
            return Some(format!("non-finite cell in {name}: {cell}"));
        }
    }
    let error_line = stderr.lines().any(|l| l.starts_with("error:"));
    let consistent = exit.is_none_or(|e| code == Some(e))
        && match code {
            Some(0) => !error_line,
            Some(1) => !stderr.trim().is_empty() || !stdout.trim().is_empty(),
            Some(2) => !stderr.trim().is_empty(),
            _ => false,
        };
    if !consistent {
        counts.inconsistent += 1;
        return Some(format!("exit {code:?} (required: {exit:?}) inconsistent with the messages: {}", tail(&stderr)));
    }
    None
}

/// Saves a failed case (its input files and its `args`, one per line) for replay; returns the
/// folder.
fn save_finding(case: &Path, args: &[String], name: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-findings").join(name);
    let _ = fs::remove_dir_all(&folder);
    fs::create_dir_all(&folder).unwrap();
    if let Ok(entries) = fs::read_dir(case) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_file() && !entry.file_name().to_string_lossy().starts_with('.') {
                let _ = fs::copy(&path, folder.join(entry.file_name()));
            }
        }
    }
    fs::write(folder.join("args"), args.join("\n") + "\n").unwrap();
    folder
}

/// How deep brackets and braces nest in `text`, at most.
fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for c in text.chars() {
        match c {
            '[' | '{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// The library's own readers on the case's files, in this process: a panic is caught and
/// counted. (A hang would hang the test, and a stack overflow abort it: the command line,
/// with its budget and its own process, runs the same readers on every file; TOML nested
/// deeper than 64 is left to it.)
fn read_in_process(dir: &Path, counts: &mut Counts) -> Option<String> {
    let mut failure = None;
    for name in ["data.csv", "catalog.toml", "spec.toml", "definition.toml", "run.toml"] {
        let path = dir.join(name);
        let Ok(bytes) = fs::read(&path) else { continue };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if name.ends_with(".toml") && nesting(&text) > 64 {
            continue;
        }
        let read = std::panic::catch_unwind(|| match name {
            "data.csv" => citycheck::Panel::read(&path, &citycheck::ReadOptions::default()).map(|_| ()),
            "catalog.toml" => citycheck::Catalog::from_toml(&text, "catalog.toml").map(|_| ()),
            "spec.toml" => citycheck::Spec::from_toml(&text).map(|_| ()),
            "definition.toml" => citycheck::survey::SurveyDefinition::from_toml(&text, "definition.toml").map(|_| ()),
            _ => citycheck::run::RunConfig::from_toml(&text).map(|_| ()),
        });
        if read.is_err() {
            counts.panics += 1;
            failure = Some(format!("the library's reader of {name} panicked"));
        }
    }
    failure
}

/// Writes a target's files, with the `mutations` applied to one of them, into `dir`.
fn prepare(dir: &Path, target: &Target, rng: &mut Rng, mutations: usize) -> Vec<String> {
    let mut done = Vec::new();
    let chosen = rng.below(target.files.len());
    for (i, (name, bytes)) in target.files.iter().enumerate() {
        let mut bytes = bytes.clone();
        if i == chosen {
            for _ in 0..mutations {
                let (mutated, what) = mutate(rng, &bytes);
                bytes = mutated;
                done.push(format!("{name}: {what}"));
            }
        }
        fs::write(dir.join(name), &bytes).unwrap();
    }
    done
}

/// Prints the counts and the first failures; fails when anything but runs is non-zero.
fn report(title: &str, counts: &Counts, failures: &[String]) {
    println!(
        "{title}: runs {}, panics {}, hangs {}, NaN outputs {}, exit-code inconsistencies {}",
        counts.runs, counts.panics, counts.hangs, counts.non_finite, counts.inconsistent
    );
    for failure in failures.iter().take(20) {
        println!("  {failure}");
    }
    assert_eq!(counts.failures(), 0, "{title}: {} failure(s):\n{}", failures.len(), failures.join("\n"));
}

#[test]
#[ignore = "run on its own by scripts/test.sh (`-- --ignored --nocapture`) so that its counts are printed"]
fn fuzz_bounded_run() {
    let cases = env_number("CITYCHECK_FUZZ_CASES", DEFAULT_CASES);
    let seed = env_number("CITYCHECK_FUZZ_SEED", 16);
    let targets = targets();
    let mut counts = Counts::default();
    let mut failures = Vec::new();
    for case in 0..cases {
        let mut rng = Rng::new(seed.wrapping_mul(1_000_003).wrapping_add(case));
        // Round robin over the commands; the first round unmutated.
        let index = (case % targets.len() as u64) as usize;
        let target = &targets[index];
        let mutations = if case < targets.len() as u64 { 0 } else { 1 + rng.below(3) };
        let dir = tempfile::tempdir().unwrap();
        let done = prepare(dir.path(), target, &mut rng, mutations);
        let failure =
            read_in_process(dir.path(), &mut counts).or_else(|| run_case(dir.path(), &target.args, None, &mut counts));
        if let Some(failure) = failure {
            let command = &target.args[0];
            let saved = save_finding(dir.path(), &target.args, &format!("seed{seed}-case{case}-{command}"));
            let done = done.join("; ");
            failures.push(format!("case {case} ({command}; {done}): {failure} [saved in {}]", saved.display()));
        }
    }
    report(&format!("fuzz, seed {seed}"), &counts, &failures);
}

#[test]
fn fuzz_regressions_replay() {
    let root = Path::new(MANIFEST).join("tests/fixtures/fuzz/regressions");
    let mut cases: Vec<PathBuf> =
        fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).filter(|p| p.join("args").is_file()).collect();
    cases.sort();
    assert!(!cases.is_empty(), "no regression case in {}", root.display());
    let mut counts = Counts::default();
    let mut failures = Vec::new();
    for case in &cases {
        let dir = tempfile::tempdir().unwrap();
        for entry in fs::read_dir(case).unwrap().flatten() {
            let name = entry.file_name();
            if name != "args" && name != "exit" && entry.path().is_file() {
                fs::copy(entry.path(), dir.path().join(&name)).unwrap();
            }
        }
        let text = fs::read_to_string(case.join("args")).unwrap();
        let args: Vec<String> = text.lines().filter(|l| !l.is_empty()).map(String::from).collect();
        // The exit code the case must have, when its folder says (a file `exit`: 0, 1 or 2).
        let exit = fs::read_to_string(case.join("exit")).ok().map(|e| e.trim().parse::<i32>().unwrap());
        let failure =
            read_in_process(dir.path(), &mut counts).or_else(|| run_case(dir.path(), &args, exit, &mut counts));
        if let Some(failure) = failure {
            failures.push(format!("{}: {failure}", case.display()));
        }
    }
    report("fuzz regressions", &counts, &failures);
}

#[test]
fn the_mutations_do_what_they_say() {
    // The harness's own parts, on inputs worked out by hand.
    assert_eq!(numbers(b"a,1.5,-2e3\nb,x7"), [(2, 5), (6, 10), (14, 15)]);
    assert_eq!(lines(b"ab\ncd\n\ne"), [(0, 2), (3, 5), (6, 6), (7, 8)]);
    assert_eq!(splice(b"a,12,b", (2, 4), b"1e308"), b"a,1e308,b");
    assert_eq!(replace_all("x沈阳市y".as_bytes(), "沈阳市".as_bytes(), &[0xc9, 0xf2]), [b'x', 0xc9, 0xf2, b'y']);
    assert_eq!(first_non_finite("a,b\n1,NaN\n").as_deref(), Some("\"NaN\" on line 2: 1,NaN"));
    assert!(first_non_finite("a,b\nInf,-INFINITY\n").is_some());
    assert_eq!(first_non_finite("name,value\nnanjing,1e308\n"), None);
    assert_eq!(nesting("a = [[1], { b = [2] }]"), 3);
    // The same seed, the same case.
    let (mut a, mut b) = (Rng::new(7), Rng::new(7));
    let seed = b"series,t,y\na,2021,1\n";
    assert_eq!(mutate(&mut a, seed), mutate(&mut b, seed));
}
