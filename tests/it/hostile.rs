//! Hostile input (issue 16): values at the limits of f64, blank columns, misspelt keys and text
//! that would break a CSV or a spreadsheet. Nothing panics, nothing writes `NaN` or inf: a
//! statistic that cannot be represented is an empty cell with a note, or the input is refused
//! with a message saying where.

use std::path::Path;
#[cfg(feature = "cli")]
use std::process::{Command, Output};

use citycheck::direction::Direction;
use citycheck::trend::{ols, summarize, Summary};

#[cfg(feature = "cli")]
fn citycheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_citycheck")).args(args).output().expect("the citycheck binary runs")
}

#[cfg(feature = "cli")]
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg_attr(not(feature = "cli"), allow(dead_code))]
fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

/// No cell of a CSV text is NaN or infinite (case-insensitive, as any reader would parse it).
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
fn assert_no_non_finite(csv: &str) {
    for (i, line) in csv.lines().enumerate() {
        for cell in line.split(',') {
            let c = cell.trim().trim_matches('"').to_ascii_lowercase();
            assert!(
                !matches!(c.as_str(), "nan" | "inf" | "-inf" | "+inf" | "infinity" | "-infinity"),
                "non-finite cell {cell:?} on line {}: {line}",
                i + 1
            );
        }
    }
}

/// Every number of a trend summary is finite (or missing).
fn assert_summary_finite(s: &Summary) {
    let cells = [
        s.change,
        s.rel_change,
        s.cagr,
        s.ols_slope,
        s.ols_intercept,
        s.ols_r2,
        s.ols_se,
        s.ols_p,
        s.ols_ci_low,
        s.ols_ci_high,
        s.mk_var_s,
        s.mk_z,
        s.mk_tau,
        s.mk_p,
        s.sen_slope,
        s.sen_intercept,
        s.sen_ci_low,
        s.sen_ci_high,
    ];
    for (i, v) in cells.iter().enumerate() {
        assert!(v.is_none_or(f64::is_finite), "statistic #{i} is {v:?} in {s:#?}");
    }
}

const YEARS: [f64; 5] = [2021.0, 2022.0, 2023.0, 2024.0, 2025.0];

#[test]
fn ols_of_f64_max_values_does_not_panic() {
    // Issue 16: f64::MAX reached an unwrap inside statrs' incomplete beta (the OLS p-value).
    let y = [1.0, f64::MAX, 3.0, f64::MAX / 2.0, 5.0];
    if let Ok(fit) = ols(&YEARS, &y) {
        assert!(fit.slope.is_finite() && fit.intercept.is_finite(), "{fit:?}");
        for v in [fit.r_squared, fit.slope_se, fit.p_value, fit.ci95.map(|c| c.0), fit.ci95.map(|c| c.1)] {
            assert!(v.is_none_or(f64::is_finite), "{fit:?}");
        }
    }
    let s = summarize(&YEARS, &y, 0.05, Direction::Higher).expect("a summary, not an error");
    assert_summary_finite(&s);
    // Every value at the maximum, and the extremes of both signs.
    for y in [[f64::MAX; 5], [f64::MAX, -f64::MAX, f64::MAX, -f64::MAX, f64::MAX]] {
        let s = summarize(&YEARS, &y, 0.05, Direction::Higher).expect("a summary, not an error");
        assert_summary_finite(&s);
    }
}

#[test]
fn ols_of_huge_values_is_computed_in_scaled_units() {
    // Issue 16: values above ~1e154 gave R² = NaN and se = inf. The fit is scale-equivariant:
    // the same series times 1e250 has the same R² and p, and slope and se times 1e250.
    let y = [2.0, 4.0, 5.0, 8.0, 9.0];
    let big: Vec<f64> = y.iter().map(|v| v * 1e250).collect();
    let (a, b) = (ols(&YEARS, &y).unwrap(), ols(&YEARS, &big).unwrap());
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-12 * x.abs().max(y.abs());
    assert!(close(a.r_squared.unwrap(), b.r_squared.unwrap()), "{a:?} {b:?}");
    assert!(close(a.p_value.unwrap(), b.p_value.unwrap()), "{a:?} {b:?}");
    assert!(close(a.slope * 1e250, b.slope), "{a:?} {b:?}");
    assert!(close(a.slope_se.unwrap() * 1e250, b.slope_se.unwrap()), "{a:?} {b:?}");
    let s = summarize(&YEARS, &big, 0.05, Direction::Higher).unwrap();
    assert_summary_finite(&s);
    assert!(s.ols_r2.is_some() && s.ols_se.is_some() && s.ols_ci_low.is_some(), "{s:#?}");
}

#[test]
fn subnormal_start_value_leaves_rel_change_and_cagr_empty_with_a_note() {
    // Issue 16: a start value of 1e-320 gave infinite rel_change and cagr.
    let s = summarize(&YEARS, &[1e-320, 1.0, 2.0, 3.0, 4.0], 0.05, Direction::Higher).unwrap();
    assert_summary_finite(&s);
    assert_eq!(s.rel_change, None, "{s:#?}");
    assert!(s.notes.iter().any(|n| n.contains("rel_change") && n.contains("not representable")), "{:?}", s.notes);
    assert!(s.cagr.is_none_or(f64::is_finite));
    assert!(citycheck::trend::cagr(2021.0, 1e-320, 2022.0, 4.0).is_err(), "a rate beyond f64 is an error");
}

/// A note or message shows numbers rounded: no `inf`, `NaN` or a number of 17 or more digits
/// (`{}` of 1e300 is 301 digits).
fn assert_shown_rounded(text: &str) {
    let lower = text.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    assert!(!words.iter().any(|w| matches!(*w, "inf" | "nan" | "infinity")), "{text}");
    let longest = text.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap_or(0);
    assert!(longest < 17, "a number of {longest} digits in: {text}");
}

#[test]
fn trend_notes_show_numbers_rounded_at_the_limits_of_f64() {
    // Issue 16: the note of a trend line beyond f64 printed a 300-digit slope and "intercept
    // inf". Values rising by f64::MAX / 4 a year: the slope is f64::MAX / 4 = 4.4942328371557893e307
    // (finite), the intercept at t = 0 is the 2021 value minus 2021 slopes: beyond f64, negative.
    let y = [0.0, f64::MAX / 4.0, f64::MAX / 2.0, f64::MAX / 4.0 * 3.0, f64::MAX];
    let message = ols(&YEARS, &y).unwrap_err().to_string();
    assert!(message.contains("slope 4.494232837e307"), "{message}");
    assert!(message.contains("intercept not representable (too large, negative)"), "{message}");
    assert_shown_rounded(&message);
    let s = summarize(&YEARS, &y, 0.05, Direction::Higher).expect("a summary, not an error");
    assert_summary_finite(&s);
    assert!(
        s.notes.iter().any(|n| n.starts_with("no OLS line: ") && n.contains("slope 4.494232837e307")),
        "{:?}",
        s.notes
    );
    for note in &s.notes {
        assert_shown_rounded(note);
    }
    // The progress to a target meets the same line.
    use citycheck::evaluate::{progress_with, PaceCutoffs, TrendFit};
    let p = progress_with(&YEARS, &y, f64::MAX, Some(2030), Direction::Higher, &PaceCutoffs::default(), TrendFit::Ols)
        .expect("a progress row, not an error")
        .expect("five observations");
    for note in &p.notes {
        assert_shown_rounded(note);
    }
}

#[test]
fn numbers_in_messages_are_rounded_and_never_inf() {
    use citycheck::error::{shown_fixed, shown_number};
    // `{:.4}` of 1e300 is 305 characters; shown_fixed keeps to 10 significant digits.
    assert_eq!(shown_fixed(1e300, 4), "1e300");
    assert_eq!(shown_fixed(-0.123456, 3), "-0.123");
    assert_eq!(shown_fixed(f64::INFINITY, 2), "not representable (too large)");
    assert_eq!(shown_fixed(f64::NAN, 2), "not representable");
    // 100 × 0.3 is 30.000000000000004 in f64: a share shown as a percentage reads 30.
    assert_eq!(shown_number(100.0 * 0.3), "30");
    for x in [f64::MAX, -f64::MAX, f64::MIN_POSITIVE, 5e-324, 1e300, 1.0 / 3.0, f64::INFINITY, f64::NAN] {
        assert_shown_rounded(&shown_number(x));
        assert_shown_rounded(&shown_fixed(x, 4));
    }
}

#[cfg(feature = "cli")]
#[test]
fn trend_command_with_f64_max_exits_0_without_nan() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "series.csv",
        "series,t,y\na,2021,1\na,2022,1.7976931348623157e308\na,2023,3\na,2024,8e307\na,2025,5\n\
         b,2021,1e200\nb,2022,2e200\nb,2023,2.5e200\nb,2024,4e200\nb,2025,4.5e200\n\
         c,2021,1e-320\nc,2022,1\nc,2023,2\nc,2024,3\nc,2025,4\n",
    );
    let result = citycheck(&["trend", "--series", &path]);
    assert_eq!(result.status.code(), Some(0), "stderr:\n{}", text(&result.stderr));
    let stdout = text(&result.stdout);
    assert_eq!(stdout.lines().count(), 4, "a header and three series:\n{stdout}");
    assert_no_non_finite(&stdout);
}

#[test]
fn survey_design_weights_of_1e200_give_the_same_estimate_as_small_ones() {
    // Issue 16: a design weight of 1e200 gave n_eff = NaN and a zero-width interval. Every
    // statistic but the sum of weights is invariant to the scale of the weights.
    use citycheck::survey::estimate;
    let y = [60.0, 80.0, 100.0, 40.0];
    let small = estimate(&y, Some(&[1.0, 1.0, 2.0, 3.0]), None, None, 0.95).unwrap();
    let huge = estimate(&y, Some(&[1e200, 1e200, 2e200, 3e200]), None, None, 0.95).unwrap();
    let close = |a: Option<f64>, b: Option<f64>| {
        let (a, b) = (a.unwrap(), b.unwrap());
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
    };
    assert!(close(small.n_eff, huge.n_eff), "{small:?} {huge:?}");
    assert!(close(small.mean, huge.mean), "{small:?} {huge:?}");
    assert!(close(small.se, huge.se) && close(small.ci_low, huge.ci_low), "{small:?} {huge:?}");
    assert!(huge.weight_sum.is_finite());
    // A sum of weights beyond f64 is refused, not written as inf.
    assert!(estimate(&y, Some(&[f64::MAX; 4]), None, None, 0.95).is_err());
}

#[test]
fn survey_scores_beyond_the_documented_magnitude_are_refused() {
    // Issue 16: a scale score of 1e308 gave mean = NaN. Scores and scale bounds are limited to
    // MAX_SCALE_MAGNITUDE (1e12) in magnitude, at load.
    use citycheck::survey::{estimate, SurveyDefinition, MAX_SCALE_MAGNITUDE};
    assert_eq!(MAX_SCALE_MAGNITUDE, 1e12);
    let definition = |scale: &str| {
        SurveyDefinition::from_toml(
            &format!(
                "[survey]\nid = \"t\"\nname = \"t\"\n[[scales]]\nid = \"s\"\n{scale}\n\
                 [[dimensions]]\nid = \"d\"\n[[items]]\nid = \"q1\"\ndimension = \"d\"\nscale = \"s\"\n"
            ),
            "s.toml",
        )
    };
    let e = definition(
        "kind = \"labels\"\nlevels = [{ label = \"好\", score = 1e308 }, { label = \"差\", score = 0 }]\ntop = [\"好\"]",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("s.toml") && e.contains("magnitude"), "{e}");
    let e =
        definition("kind = \"numeric\"\nmin = 0\nmax = 1e308\nrescale = \"keep\"\ntop = 1").unwrap_err().to_string();
    assert!(e.contains("s.toml") && e.contains("magnitude"), "{e}");
    assert!(definition("kind = \"numeric\"\nmin = 0\nmax = 10\nrescale = \"keep\"\ntop = 8").is_ok());
    let e = estimate(&[1e308, 1e308, 5.0], None, None, None, 0.95).unwrap_err().to_string();
    assert!(e.contains("magnitude"), "{e}");
}

#[test]
fn fixed_weights_of_1e308_normalise_to_one() {
    // Issue 16: weights of 1e308 "normalised to 1" became NaN (their sum overflowed).
    let names: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let mut warnings = Vec::new();
    let w = citycheck::weight::fixed(&names, &[Some(1e308), Some(1e308), Some(5e307)], false, &mut warnings).unwrap();
    let expected = [0.4, 0.4, 0.2];
    for (got, want) in w.iter().zip(expected) {
        assert!((got - want).abs() < 1e-12, "{w:?}");
    }
    assert!(warnings.iter().any(|m| m.contains("normalised to 1")), "{warnings:?}");
    // The strict message prints the sum rounded: 0.9, not 0.8999999999999999.
    let e = citycheck::weight::fixed(&names, &[Some(0.3), Some(0.3), Some(0.3)], true, &mut Vec::new())
        .unwrap_err()
        .to_string();
    assert!(e.contains("sum to 0.9,"), "{e}");
}

#[cfg(feature = "cli")]
#[test]
fn rank_with_weights_of_1e308_writes_finite_scores_and_ranks() {
    let dir = tempfile::tempdir().unwrap();
    let m = write(dir.path(), "m.csv", "alternative,c1,c2,c3\nA1,5,8,4\nA2,7,6,8\nA3,8,8,6\nA4,7,4,6\n");
    let out = citycheck(&["rank", "--matrix", &m, "--weights", "1e308,1e308,1e308", "--method", "topsis"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_no_non_finite(&stdout);
    let ranks: Vec<String> = stdout.lines().skip(1).map(|l| l.rsplit(',').next().unwrap().to_string()).collect();
    let mut sorted = ranks.clone();
    sorted.sort();
    assert_eq!(sorted, ["1", "2", "3", "4"], "{stdout}");
}

#[test]
fn a_misspelt_key_next_to_a_method_without_parameters_is_refused() {
    // Issue 16: `levles` in [spec.weights] was dropped and the run fell back to equal weights
    // (serde does not enforce deny_unknown_fields on unit variants of a tagged enum).
    use citycheck::Spec;
    let e = Spec::from_toml("[weights]\nmethod = \"equal\"\nlevles = { \"2\" = { method = \"entropy\" } }\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown key 'levles'") && e.contains("equal"), "{e}");
    let e = Spec::from_toml("normalize = { method = \"rank\", lo = 1 }\n").unwrap_err().to_string();
    assert!(e.contains("unknown") && e.contains("lo"), "{e}");
    // Parameters a method takes are still read.
    let spec = Spec::from_toml("weights = { method = \"entropy_normalized\", shift = 0.0001 }\n").unwrap();
    assert_eq!(spec.weights.at(2).to_string(), "entropy_normalized");
    assert!(Spec::from_toml("weights = { method = \"fixed\", strict = true }\n").is_ok());
}

fn read_error(dir: &Path, name: &str, content: &str) -> String {
    let path = write(dir, name, content);
    match citycheck::Panel::read(&path, &citycheck::ReadOptions::default()) {
        Ok(panel) => panic!("{name} should be refused, read {} observation(s)", panel.len()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_value_column_entirely_blank_is_refused() {
    // Issue 16: it passed strict validation and scored "0 indicators" with exit 0.
    let dir = tempfile::tempdir().unwrap();
    let e = read_error(
        dir.path(),
        "blank.csv",
        "city,year,indicator,value\n沈阳市,2012,green_coverage_builtup,\n大连市,2012,green_coverage_builtup,\n",
    );
    assert!(e.contains("every value is empty") && e.contains("'value'") && e.contains("blank.csv"), "{e}");
    // One value present is a file with missing values, not a blank one.
    let path = write(
        dir.path(),
        "one.csv",
        "city,year,indicator,value\n沈阳市,2012,green_coverage_builtup,42.2\n大连市,2012,green_coverage_builtup,\n",
    );
    assert!(citycheck::Panel::read(&path, &citycheck::ReadOptions::default()).is_ok());
}

#[cfg(feature = "cli")]
#[test]
fn score_of_a_blank_value_column_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(
        dir.path(),
        "blank.csv",
        "city,year,indicator,value\n沈阳市,2012,green_coverage_builtup,\n大连市,2012,green_coverage_builtup,\n",
    );
    let out = dir.path().join("out");
    for command in ["validate", "score"] {
        let mut args = vec![command, "--catalog", "ccsy-example", "--data", &data];
        if command == "score" {
            args.extend(["--out", out.to_str().unwrap()]);
        }
        let result = citycheck(&args);
        assert_eq!(result.status.code(), Some(2), "{command}: stdout:\n{}", text(&result.stdout));
        assert!(text(&result.stderr).contains("every value is empty"), "{}", text(&result.stderr));
    }
}

#[test]
fn a_unit_column_of_measurement_units_is_not_taken_for_the_city() {
    // Issue 16: a long file without its city column took `unit` (%, 万人) as the unit column
    // and reported 440 "duplicates" of unit '%'.
    let dir = tempfile::tempdir().unwrap();
    let e = read_error(
        dir.path(),
        "no_city.csv",
        "year,indicator,value,unit\n2012,green_coverage_builtup,42.2,%\n2012,green_coverage_builtup,45,%\n\
         2012,population,120,万人\n",
    );
    assert!(e.contains("units of measurement") && e.contains("'%'") && e.contains("unit-column"), "{e}");
    assert!(e.contains("city"), "the message lists the unit-column names: {e}");
    // A `unit` column of city names is still the unit column.
    let path = write(
        dir.path(),
        "units.csv",
        "unit,year,indicator,value\n沈阳市,2012,green_coverage_builtup,42.2\n大连市,2012,green_coverage_builtup,45\n",
    );
    assert!(citycheck::Panel::read(&path, &citycheck::ReadOptions::default()).is_ok());
}

/// Fields of one RFC 4180 line (quoted fields with doubled quotes).
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
fn csv_fields(line: &str) -> Vec<String> {
    let (mut fields, mut field, mut quoted, mut chars) = (Vec::new(), String::new(), false, line.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

#[test]
fn csv_text_quotes_and_neutralises_formulas() {
    use citycheck::io::{csv_text, neutralize_formula};
    assert_eq!(csv_text("A, Inc."), "\"A, Inc.\"");
    assert_eq!(csv_text("=1+1"), "'=1+1");
    assert_eq!(csv_text("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
    assert_eq!(csv_text("@SUM(A1:A9)"), "'@SUM(A1:A9)");
    assert_eq!(csv_text("=A1,B1"), "\"'=A1,B1\"");
    // Numbers as text are numbers, not formulas.
    assert_eq!(neutralize_formula("-1.5"), "-1.5");
    assert_eq!(neutralize_formula("+3"), "+3");
    assert_eq!(neutralize_formula("沈阳市"), "沈阳市");
}

#[cfg(feature = "cli")]
#[test]
fn rank_and_weights_output_quotes_commas_and_neutralises_formulas() {
    // Issue 16: a name with a comma shifted the columns; a name starting with = passed through.
    let dir = tempfile::tempdir().unwrap();
    let m = write(
        dir.path(),
        "m.csv",
        "alternative,\"c1, cost\",c2,c3\n\"A, Inc.\",5,8,4\n=1+2,7,6,8\nA3,8,8,6\n-A4,7,4,6\n",
    );
    let out = citycheck(&["rank", "--matrix", &m, "--method", "topsis"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let rows: Vec<Vec<String>> = stdout.lines().skip(1).map(csv_fields).collect();
    assert!(rows.iter().all(|r| r.len() == 3), "three fields per row:\n{stdout}");
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names, ["A, Inc.", "'=1+2", "A3", "'-A4"], "{stdout}");

    let out = citycheck(&["weights", "--matrix", &m, "--method", "entropy"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let rows: Vec<Vec<String>> = stdout.lines().skip(1).map(csv_fields).collect();
    assert!(rows.iter().all(|r| r.len() == 2), "two fields per row:\n{stdout}");
    assert_eq!(rows[0][0], "c1, cost", "{stdout}");
}

#[cfg(feature = "cli")]
#[test]
fn output_files_and_trend_output_neutralise_formula_names() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv"
    ))
    .unwrap();
    let data = write(dir.path(), "data.csv", &example.replace("丹东市", "=丹东市"));
    let out = dir.path().join("out");
    let result = citycheck(&[
        "score",
        "--catalog",
        "ccsy-example",
        "--data",
        &data,
        "--unit-column",
        "city",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(0), "{}", text(&result.stderr));
    let scores = std::fs::read_to_string(out.join("scores.csv")).unwrap();
    assert!(scores.lines().any(|l| l.starts_with("'=丹东市,")), "{}", &scores[..scores.len().min(400)]);
    assert!(!scores.lines().any(|l| l.starts_with('=')), "no cell starts with =");

    let series = write(dir.path(), "series.csv", "series,t,y\n=1+2,2021,1\n=1+2,2022,2\n=1+2,2023,4\n");
    let result = citycheck(&["trend", "--series", &series]);
    assert_eq!(result.status.code(), Some(0), "{}", text(&result.stderr));
    assert!(text(&result.stdout).lines().nth(1).is_some_and(|l| l.starts_with("'=1+2,")), "{}", text(&result.stdout));
}

#[cfg(feature = "cli")]
fn example_data() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv"
    ))
    .unwrap()
}

#[cfg(feature = "cli")]
fn score_into(data: &str, out: &Path) -> Output {
    citycheck(&[
        "score",
        "--catalog",
        "ccsy-example",
        "--data",
        data,
        "--unit-column",
        "city",
        "--out",
        out.to_str().unwrap(),
    ])
}

#[cfg(feature = "cli")]
#[test]
fn a_run_refuses_to_overwrite_its_own_input() {
    // Issue 16: `--data DIR/scores.csv --out DIR` overwrote its own input.
    let dir = tempfile::tempdir().unwrap();
    let content = example_data();
    let data = write(dir.path(), "scores.csv", &content);
    let result = score_into(&data, dir.path());
    assert_eq!(result.status.code(), Some(2), "stdout:\n{}", text(&result.stdout));
    assert!(text(&result.stderr).contains("would overwrite"), "{}", text(&result.stderr));
    assert_eq!(std::fs::read_to_string(&data).unwrap(), content, "the input is untouched");
    // The same file under another name in the same folder is fine.
    let data = write(dir.path(), "data.csv", &content);
    let result = score_into(&data, dir.path());
    assert_eq!(result.status.code(), Some(0), "{}", text(&result.stderr));
}

#[cfg(all(feature = "cli", unix))]
#[test]
fn outputs_replace_a_planted_symlink_instead_of_following_it() {
    // Issue 16: a symlink scores.csv → elsewhere was followed and its target overwritten.
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "data.csv", &example_data());
    let target = write(dir.path(), "precious.txt", "do not overwrite\n");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&target, out.join("scores.csv")).unwrap();
    let result = score_into(&data, &out);
    assert_eq!(result.status.code(), Some(0), "{}", text(&result.stderr));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "do not overwrite\n");
    let meta = std::fs::symlink_metadata(out.join("scores.csv")).unwrap();
    assert!(meta.file_type().is_file(), "scores.csv is now a file of its own");
    // Written whole through temporary files, none of which is left behind.
    let leftovers: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(out.join("run.json").is_file());
}

#[cfg(feature = "cli")]
#[test]
fn a_run_removes_stale_outputs_of_an_earlier_run_and_lists_its_outputs() {
    // Issue 16: a stale trends.csv of an earlier run stayed next to fresh scores, no warning.
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "data.csv", &example_data());
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    write(&out, "trends.csv", "unit,node\nold,old\n");
    write(&out, "notes.txt", "mine\n");
    let result = score_into(&data, &out);
    assert_eq!(result.status.code(), Some(0), "{}", text(&result.stderr));
    assert!(!out.join("trends.csv").exists(), "the stale trends.csv is removed");
    assert_eq!(std::fs::read_to_string(out.join("notes.txt")).unwrap(), "mine\n", "other files are left alone");
    let run: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["complete"], true);
    assert_eq!(run["removed_stale"], serde_json::json!(["trends.csv"]));
    let outputs: Vec<&str> = run["outputs"].as_array().unwrap().iter().map(|o| o["file"].as_str().unwrap()).collect();
    assert_eq!(outputs, ["scores.csv", "weights.csv", "fitted.json"]);
    let digest = citycheck::io::sha256_file(&out.join("scores.csv")).unwrap();
    assert_eq!(run["outputs"][0]["sha256"], digest.as_str());
}

/// Every table the default run writes (evaluation, diagnosis, re-check, projects, assessment,
/// report) is a member of the run's output set: a later `score` into the same folder removes each
/// as stale, leaving only its own outputs. (`attainment_rates.csv` was missing from the set: it
/// stayed beside a later run's tables, and `--data OUT/attainment_rates.csv` was not refused.)
#[cfg(feature = "cli")]
#[test]
fn a_later_run_removes_every_table_of_the_default_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let first = citycheck(&["--quiet", "run", "--out", out.to_str().unwrap()]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let listed = |out: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        names
    };
    let before = listed(&out);
    assert!(before.contains(&"attainment_rates.csv".to_string()), "{before:?}");
    let data = write(dir.path(), "data.csv", &example_data());
    let second = score_into(&data, &out);
    assert_eq!(second.status.code(), Some(0), "{}", text(&second.stderr));
    assert_eq!(listed(&out), ["fitted.json", "run.json", "scores.csv", "weights.csv"], "first run: {before:?}");
}

#[test]
fn a_config_output_folder_stays_inside_the_config_folder() {
    // Issue 16: containment of a relative `dir` in a config to the config's folder.
    use citycheck::run::RunConfig;
    let config = |dir: &str| {
        RunConfig::from_toml(&format!(
            "catalog = \"ccsy-example\"\n[data]\npath = \"data.csv\"\n[output]\ndir = \"{dir}\"\n"
        ))
        .unwrap()
    };
    for escaping in ["../elsewhere", "out/../../elsewhere", ".."] {
        let e = config(escaping).check_output_contained().unwrap_err().to_string();
        assert!(e.contains("leads out of the config's folder") && e.contains("--out"), "{e}");
    }
    for inside in ["out", "out/2025", "out/../results", "./out"] {
        assert!(config(inside).check_output_contained().is_ok(), "{inside}");
    }
}

#[cfg(feature = "cli")]
#[test]
fn run_refuses_a_config_dir_escaping_its_folder_unless_out_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let cfg_dir = dir.path().join("cfg");
    std::fs::create_dir(&cfg_dir).unwrap();
    write(&cfg_dir, "data.csv", &example_data());
    let cfg = write(
        &cfg_dir,
        "run.toml",
        "catalog = \"ccsy-example\"\n[data]\npath = \"data.csv\"\nunit_column = \"city\"\n\
         [output]\ndir = \"../escaped\"\n",
    );
    let result = citycheck(&["run", &cfg]);
    assert_eq!(result.status.code(), Some(2), "stdout:\n{}", text(&result.stdout));
    assert!(text(&result.stderr).contains("leads out of the config's folder"), "{}", text(&result.stderr));
    assert!(!dir.path().join("escaped").exists());
    let out = dir.path().join("chosen");
    let result = citycheck(&["run", &cfg, "--out", out.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(0), "{}", text(&result.stderr));
    assert!(out.join("run.json").is_file());
}

#[test]
fn progress_at_the_limits_of_f64_is_empty_with_a_note_not_a_panic() {
    // The OLS line of evaluate's progress met the same f64::MAX values as the trend table.
    use citycheck::evaluate::{progress_with, PaceCutoffs, TrendFit};
    let cut = PaceCutoffs::default();
    let y = [1.0, f64::MAX, 3.0, f64::MAX / 2.0, 5.0];
    for fit in [TrendFit::Ols, TrendFit::RecencyWeighted { half_life: 1.0 }] {
        let p = progress_with(&YEARS, &y, f64::MAX, Some(2030), Direction::Higher, &cut, fit)
            .expect("a progress row, not an error")
            .expect("five observations");
        for v in [p.progress, p.anticipated, p.pace] {
            assert!(v.is_none_or(f64::is_finite), "{p:?}");
        }
    }
}

/// Every entry under `dir` by relative path: a file's bytes, `dir` for a folder.
#[cfg(feature = "cli")]
fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut entries = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let name = path.strip_prefix(dir).unwrap().display().to_string();
            if path.is_dir() {
                entries.insert(name, b"dir".to_vec());
                stack.push(path);
            } else {
                entries.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    entries
}

/// Names in `dir` of a run's staging folders (`.<name>.tmp-…`).
#[cfg(feature = "cli")]
fn staging_leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect()
}

#[cfg(feature = "cli")]
#[test]
fn a_run_failing_late_leaves_the_output_folder_byte_identical() {
    // Issue 16: a run failing after its first tables left new tables beside an old run.json.
    // Here the earlier run (`score`: scores, weights, fitted.json, run.json) is followed by the
    // default run, which writes those files again and then trends.csv, where a folder stands:
    // its last move fails, after every table was written.
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "data.csv", &example_data());
    let out = dir.path().join("out");
    let first = score_into(&data, &out);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert!(out.join("run.json").is_file() && out.join("scores.csv").is_file());
    assert!(staging_leftovers(dir.path()).is_empty(), "{:?}", staging_leftovers(dir.path()));
    std::fs::create_dir(out.join("trends.csv")).unwrap();
    write(&out.join("trends.csv"), "mine.txt", "a folder of the user's\n");
    let before = snapshot(&out);

    let second = citycheck(&["run", "--out", out.to_str().unwrap()]);
    assert_eq!(second.status.code(), Some(2), "stdout:\n{}", text(&second.stdout));
    let stderr = text(&second.stderr);
    assert!(stderr.contains("trends.csv") && stderr.contains("unchanged"), "{stderr}");
    assert_eq!(snapshot(&out), before, "the output folder is byte-identical to before the failed run");
    assert!(staging_leftovers(dir.path()).is_empty(), "{:?}", staging_leftovers(dir.path()));

    // Without the obstacle the same run succeeds: the files of the earlier run are replaced,
    // and the folder of the user's is left alone (not a file of any run).
    std::fs::remove_dir_all(out.join("trends.csv")).unwrap();
    let third = citycheck(&["run", "--out", out.to_str().unwrap()]);
    assert_eq!(third.status.code(), Some(0), "{}", text(&third.stderr));
    let run: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["complete"], true);
    assert!(out.join("trends.csv").is_file());
    assert!(run.get("evaluation").is_some(), "run.json is the default run's (it evaluates), not the earlier one's");
    assert!(staging_leftovers(dir.path()).is_empty(), "{:?}", staging_leftovers(dir.path()));
}

#[cfg(feature = "cli")]
#[test]
fn a_run_into_a_new_folder_leaves_no_staging_folder_and_a_failed_one_no_folder() {
    let dir = tempfile::tempdir().unwrap();
    // A run refused after reading (a blank value column) creates nothing.
    let data = write(dir.path(), "blank.csv", "city,year,indicator,value\n沈阳市,2012,gdp,\n");
    let out = dir.path().join("never");
    let result = score_into(&data, &out);
    assert_eq!(result.status.code(), Some(2), "stdout:\n{}", text(&result.stdout));
    assert!(!out.exists(), "no output folder");
    assert!(staging_leftovers(dir.path()).is_empty(), "{:?}", staging_leftovers(dir.path()));
    // A successful one is the staging folder renamed.
    let data = write(dir.path(), "data.csv", &example_data());
    let out = dir.path().join("new").join("nested");
    let result = score_into(&data, &out);
    assert_eq!(result.status.code(), Some(0), "{}", text(&result.stderr));
    let names: std::collections::BTreeSet<String> = snapshot(&out).into_keys().collect();
    let expected = ["fitted.json", "run.json", "scores.csv", "weights.csv"].map(String::from);
    assert_eq!(names, std::collections::BTreeSet::from(expected));
    assert!(staging_leftovers(&dir.path().join("new")).is_empty());
}

#[cfg(feature = "cli")]
#[test]
fn a_design_weight_of_1e200_in_one_unit_year_leaves_the_others_finite() {
    // Found by the fuzzing harness (tests/it/fuzz.rs): the weights were summed in units of
    // the largest weight of the whole file, so that one weight of 1e200 (in A, 2023) scaled
    // the weights of every other unit-year to ~1e-196, whose squares are 0: n_eff = NaN and a
    // zero-width interval. Each unit-year now has its own unit.
    let case = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz/regressions")
        .join("survey-weight-1e200-in-another-year");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let result = citycheck(&[
        "survey",
        "--definition",
        case.join("definition.toml").to_str().unwrap(),
        "--responses",
        case.join("responses.csv").to_str().unwrap(),
        "--weight-column",
        "weight",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(0), "{}", text(&result.stderr));
    let items = std::fs::read_to_string(out.join("survey_items.csv")).unwrap();
    assert_no_non_finite(&items);
    let header: Vec<&str> = items.lines().next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let row: Vec<&str> = items.lines().find(|l| l.starts_with("A,2024,q1,")).unwrap().split(',').collect();
    let number = |name: &str| row[column(name)].parse::<f64>().unwrap();
    // Three equal weights (30000) on 9, 4, 6: ȳ = 19/3, n_eff = (3w)²/(3w²) = 3, and
    // se = √(n/(n−1)·Σw²(y−ȳ)²)/Σw = √(1.5·(38/3)/9) = √(19/9) (the deviations 8/3, −7/3, −1/3
    // square to 38/3).
    assert!((number("mean") - 19.0 / 3.0).abs() < 1e-12, "{items}");
    assert!((number("n_eff") - 3.0).abs() < 1e-12, "{items}");
    assert!((number("se") - (19.0f64 / 9.0).sqrt()).abs() < 1e-12, "{items}");
    assert_eq!(number("weight_sum"), 90000.0);
}

#[cfg(feature = "cli")]
#[test]
fn compute_refuses_an_indicator_beyond_f64_instead_of_writing_inf() {
    // Found by the fuzzing harness: a district area of 1e-320 gave road_network_density =
    // 8.6 / 1e-320 = inf in indicators.csv (exit 1, for the missing record tables only), and
    // two road lengths of f64::MAX summed to inf at the city level.
    let regressions = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz/regressions");
    for (case, unit, what) in [
        ("compute-subnormal-denominator", "C01-D01", "the value is not representable (too large)"),
        ("compute-sum-beyond-f64", "C01", "the value is not representable (too large)"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let records = regressions.join(case).join("districts.csv");
        let result = citycheck(&[
            "compute",
            "--catalog",
            "mohurd-2023",
            "--level",
            "district,city",
            "--out",
            out.to_str().unwrap(),
            "--records",
            records.to_str().unwrap(),
        ]);
        assert_eq!(result.status.code(), Some(2), "{case}: stdout:\n{}", text(&result.stdout));
        let stderr = text(&result.stderr);
        assert!(
            stderr.contains(what) && stderr.contains(unit) && stderr.contains("road_network_density"),
            "{case}: {stderr}"
        );
        // Numbers in the message are rounded, never `inf` or 17 digits.
        assert!(!stderr.contains("inf,") && !stderr.contains(" inf ") && !stderr.contains("NaN"), "{case}: {stderr}");
        if let Ok(indicators) = std::fs::read_to_string(out.join("indicators.csv")) {
            assert_no_non_finite(&indicators);
        }
    }
}

#[cfg(all(feature = "cli", target_os = "linux"))]
#[test]
fn a_run_killed_midway_leaves_the_output_folder_byte_identical() {
    // Issue 16: a run killed while writing (SIGKILL: no destructor runs) must leave the output
    // folder of an earlier run exactly as it was. The earlier run is `score` (scores, weights,
    // fitted.json, run.json); the default run writes those again and ~25 more files. It is
    // killed as soon as its staging folder appears beside the target, i.e. while it writes.
    // A run that ends before the poll sees its staging folder proves nothing: tried again.
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    let mut killed = 0;
    for _attempt in 0..10 {
        let dir = tempfile::tempdir().unwrap();
        let data = write(dir.path(), "data.csv", &example_data());
        let out = dir.path().join("out");
        let first = score_into(&data, &out);
        assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
        let before = snapshot(&out);
        let mut child = Command::new(env!("CARGO_BIN_EXE_citycheck"))
            .args(["run", "--quiet", "--out", out.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the citycheck binary starts");
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if !staging_leftovers(dir.path()).is_empty() {
                child.kill().unwrap();
                break child.wait().unwrap();
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        };
        if status.signal() != Some(9) {
            // Finished (or failed) before it was killed.
            assert_eq!(status.code(), Some(0), "the default run succeeds when not killed");
            continue;
        }
        killed += 1;
        assert_eq!(snapshot(&out), before, "the output folder is byte-identical to before the killed run");
        // No destructor ran: the staging folder is still there ...
        assert_eq!(staging_leftovers(dir.path()).len(), 1, "{:?}", staging_leftovers(dir.path()));
        // ... until the next run into the same folder, which removes it and succeeds.
        let next = citycheck(&["run", "--quiet", "--out", out.to_str().unwrap()]);
        assert_eq!(next.status.code(), Some(0), "{}", text(&next.stderr));
        assert!(staging_leftovers(dir.path()).is_empty(), "{:?}", staging_leftovers(dir.path()));
        let run: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
        assert_eq!(run["complete"], true);
        assert!(run.get("evaluation").is_some(), "run.json is the default run's");
        break;
    }
    assert_eq!(killed, 1, "in 10 attempts no run was caught while its staging folder existed");
}

#[cfg(all(feature = "cli", target_os = "linux"))]
#[test]
fn a_run_removes_staging_folders_of_dead_runs_and_keeps_those_of_live_ones() {
    // A killed run leaves `.<name>.tmp-<pid>-<n>`; the next run into the same target removes
    // it when no process <pid> runs (pid 999999999 is above Linux's largest, 2^22), and leaves
    // that of a live process (this test's own) and the folders of other targets alone.
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "data.csv", &example_data());
    let out = dir.path().join("out");
    let dead = dir.path().join(".out.tmp-999999999-0");
    let live = dir.path().join(format!(".out.tmp-{}-0", std::process::id()));
    let other = dir.path().join(".elsewhere.tmp-999999999-0");
    for folder in [&dead, &live, &other] {
        std::fs::create_dir(folder).unwrap();
        write(folder, "scores.csv", "half a tab");
    }
    let result = score_into(&data, &out);
    assert_eq!(result.status.code(), Some(0), "{}", text(&result.stderr));
    assert!(!dead.exists(), "the staging folder of a dead run is removed");
    assert!(live.join("scores.csv").is_file(), "that of a live process is left alone");
    assert!(other.join("scores.csv").is_file(), "that of another target is left alone");
    assert!(out.join("run.json").is_file());
}
