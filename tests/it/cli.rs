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
    assert_eq!(first_line(&out.join("scores.csv")), "unit,year,node,kind,score,rank,imputed,coverage");
    assert_eq!(first_line(&out.join("weights.csv")), "year,node,parent,weight,global_weight");

    let scores = std::fs::read_to_string(out.join("scores.csv")).unwrap();
    for line in scores.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), 8, "eight fields in {line}");
        assert!(["index", "group", "indicator"].contains(&fields[3]), "kind of {line}");
        assert_eq!(fields[6], "false", "the default run imputes nothing: {line}");
        assert_eq!(fields[7].parse::<f64>().ok(), Some(1.0), "no city-year lacks an indicator: {line}");
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
    // The data, then the synthetic projects table the default run links (also compiled in).
    assert_eq!(inputs.len(), 2);
    assert_eq!(inputs[0]["sha256"], citycheck::io::sha256_file(&embedded).unwrap().as_str());
    let projects = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/projects_synthetic/projects.csv");
    assert_eq!(inputs[1]["path"], "embedded:projects_synthetic/projects.csv");
    assert_eq!(inputs[1]["sha256"], citycheck::io::sha256_file(&projects).unwrap().as_str());
    // 14 Liaoning cities, 2008–2012.
    assert_eq!(run["counts"]["units"].as_u64(), Some(14));
    assert_eq!(run["counts"]["years"].as_u64(), Some(5));

    // The loop: the re-check of 2011 → 2012 after the ranking, then the assessment of 2012.
    let stdout = text(&result.stdout);
    let (ranking, recheck) = (stdout.find("Check-up scores, 2012"), stdout.find("Re-check 2011 → 2012"));
    assert!(ranking.is_some() && recheck.is_some() && ranking < recheck, "{stdout}");
    assert!(stdout.contains("Annual assessment 2012"), "{stdout}");
    assert_eq!(run["recheck"]["years"], serde_json::json!([2011, 2012]));
    assert_eq!(run["projects"]["year"], 2012);
    assert_eq!(run["assessment"]["years"], serde_json::json!([2012]));
    for (file, header) in [
        ("recheck.csv", "unit,level,object_id,indicator,first_year,year,status,"),
        ("recheck_summary.csv", "unit,level,year,carried_over,resolved,persisting,new,recurring,not_assessed,"),
        ("projects.csv", "project_id,unit,name,"),
        ("gaps.csv", "rank,unit,level,object_id,indicator,severity,"),
        ("assessment.csv", "unit,year,score,rank,rank_change,tier,rectification_rate,closure_rate,"),
    ] {
        assert!(first_line(&out.join(file)).starts_with(header), "{file}: {}", first_line(&out.join(file)));
    }
}

/// A run re-checking three ledger years prints every re-checked year's totals, then the last
/// year per unit.
#[test]
fn run_prints_every_year_of_a_longer_recheck() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("run.toml");
    std::fs::write(
        &config,
        r#"catalog = "ccsy-example"
[data]
path = "embedded:cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv"
unit_column = "city"
[output]
dir = "out"
[diagnose]
tasks = "renewal-tasks-liaoning"
[recheck]
years = [2010, 2011, 2012]
"#,
    )
    .unwrap();
    let out = dir.path().join("out");
    let result = citycheck(&["run", config.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    let stdout = text(&result.stdout);
    let by_year = stdout.find("Re-check by year").unwrap_or_else(|| panic!("no by-year totals:\n{stdout}"));
    let per_unit = stdout.find("Re-check 2011 → 2012").unwrap_or_else(|| panic!("no per-unit table:\n{stdout}"));
    assert!(by_year < per_unit, "{stdout}");
    let block = &stdout[by_year..per_unit];
    for expected in ["3 ledger years", "2010 → 2011", "2011 → 2012"] {
        assert!(block.contains(expected), "{expected}: {block}");
    }
    // Each year's line is the total of recheck_summary.csv's rows of that year.
    let summary = std::fs::read_to_string(out.join("recheck_summary.csv")).unwrap();
    let carried_2011: u32 = summary
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[2] == "2011")
        .map(|f| f[3].parse::<u32>().unwrap())
        .sum();
    let line = block.lines().find(|l| l.starts_with("2010 → 2011")).unwrap();
    assert_eq!(line.split_whitespace().nth(3), Some(carried_2011.to_string().as_str()), "{line}");
}

/// A ledger with a header and no rows is a year without problems: given with its year
/// (`--ledger 2012=FILE`), every problem of 2011 is resolved (a value in 2012) or not assessed
/// (none); without its year it is refused, naming what to do. `projects --year` reads it too.
#[test]
fn recheck_and_projects_read_an_empty_ledger_as_a_year_without_problems() {
    let dir = tempfile::tempdir().unwrap();
    let y2011 = write(
        dir.path(),
        "l2011.csv",
        "unit,year,indicator,value,standard,severity\nA市,2011,x,10,20,3\nA市,2011,y,5,,1\n",
    );
    let y2012 = write(dir.path(), "l2012.csv", "unit,year,indicator,value,standard,severity\n");
    let values = write(dir.path(), "values.csv", "unit,year,indicator,value,standard,met\nA市,2012,x,25,20,true\n");
    let out = dir.path().join("out");
    let given = format!("2012={y2012}");
    let r = citycheck(&[
        "recheck",
        "--ledger",
        &y2011,
        "--ledger",
        &given,
        "--attainment",
        &values,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", text(&r.stderr));
    let rows = std::fs::read_to_string(out.join("recheck.csv")).unwrap();
    let statuses: Vec<(&str, &str, &str)> = rows
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[3], f[5], f[6])
        })
        .collect();
    assert_eq!(
        statuses,
        [("x", "2011", "new"), ("y", "2011", "new"), ("x", "2012", "resolved"), ("y", "2012", "not_assessed")]
    );
    // 2012: 2 carried over = 1 resolved + 1 not assessed; 整改率 1/2, 销号率 1/2 (x meets 20).
    let summary = std::fs::read_to_string(out.join("recheck_summary.csv")).unwrap();
    assert!(summary.lines().any(|l| l == "A市,city,2012,2,1,0,0,0,1,0.5,0.5,2,1"), "{summary}");

    let refused = citycheck(&["recheck", "--ledger", &y2011, "--ledger", &y2012, "--out", out.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = text(&refused.stderr);
    assert!(
        stderr.contains("l2012.csv") && stderr.contains("header and no rows") && stderr.contains("YEAR=FILE"),
        "{stderr}"
    );

    let projects = write(dir.path(), "p.csv", "project_id,unit,name,problems\nP1,A市,绿地,green_coverage_builtup\n");
    let p = citycheck(&[
        "projects",
        "--projects",
        &projects,
        "--ledger",
        &y2012,
        "--year",
        "2012",
        "--unit",
        "A市",
        "--catalog",
        "ccsy-example",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(p.status.success(), "{}", text(&p.stderr));
    // No problem in 2012: P1 names an indicator with no problem recorded, and there is no gap.
    assert_eq!(std::fs::read_to_string(out.join("gaps.csv")).unwrap().lines().count(), 1);
    assert!(
        text(&p.stderr)
            .contains("0 problem(s), 0 addressed by a project, 0 gap(s); 1 project(s) address no recorded problem"),
        "{}",
        text(&p.stderr)
    );
    let without_year =
        citycheck(&["projects", "--projects", &projects, "--ledger", &y2012, "--out", out.to_str().unwrap()]);
    assert_eq!(without_year.status.code(), Some(2), "{}", text(&without_year.stderr));
}

#[test]
fn catalog_list_names_the_builtin_catalogues() {
    let result = citycheck(&["catalog", "list"]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    let stdout = text(&result.stdout);
    for id in ["ccsy-example", "mohurd-2021", "mohurd-2023", "liaoning-pilot-2025", "liaoning-assessment"] {
        assert!(stdout.contains(id), "lists {id}:\n{stdout}");
    }
    assert_eq!(stdout.lines().count(), 5, "one line per catalogue:\n{stdout}");
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

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// CSV rows after the header, split on commas.
fn rows(output: &Output) -> Vec<Vec<String>> {
    assert!(output.status.success(), "stderr: {}", text(&output.stderr));
    text(&output.stdout).lines().skip(1).map(|l| l.split(',').map(str::to_string).collect()).collect()
}

#[test]
fn rank_topsis_reproduces_tzeng_huang() {
    // Tzeng & Huang (2011): C = [0.50371966, 0.65808477, 0.74824866, 0.33399744], ranks [3, 2, 1, 4].
    let dir = tempfile::tempdir().unwrap();
    let m = write(dir.path(), "m.csv", "alternative,c1,c2,c3\nA1,5,8,4\nA2,7,6,8\nA3,8,8,6\nA4,7,4,6\n");
    let out = citycheck(&["rank", "--matrix", &m, "--weights", "0.3,0.4,0.3", "--method", "topsis"]);
    assert!(text(&out.stdout).starts_with("alternative,score,rank\n"));
    let rows = rows(&out);
    let expected = [(0.50371966, "3"), (0.65808477, "2"), (0.74824866, "1"), (0.33399744, "4")];
    for (row, (c, rank)) in rows.iter().zip(expected) {
        assert!((row[1].parse::<f64>().unwrap() - c).abs() < 5e-9, "{row:?}");
        assert_eq!(row[2], rank);
    }
}

#[test]
fn weights_entropy_reproduces_xu_and_ahp_reports_consistency() {
    // Xu (2004): w = [0.4630, 0.3992, 0.1378, 0.0000].
    let dir = tempfile::tempdir().unwrap();
    let m =
        write(dir.path(), "xu.csv", "alt,c1,c2,c3,c4\nA,30,30,38,29\nB,19,54,86,29\nC,19,15,85,28.9\nD,68,70,60,29\n");
    let out = citycheck(&["weights", "--matrix", &m, "--method", "entropy"]);
    assert!(text(&out.stdout).starts_with("criterion,weight\n"));
    let w: Vec<f64> = rows(&out).iter().map(|r| r[1].parse().unwrap()).collect();
    for (a, e) in w.iter().zip([0.4630, 0.3992, 0.1378, 0.0000]) {
        assert!((a - e).abs() < 5e-5, "{w:?}");
    }
    // ArcGIS Pro "Calculate the consistency ratio": column_mean weights
    // [0.235, 0.089, 0.136, 0.247, 0.294], CR far above 0.1.
    let p = write(
        dir.path(),
        "p.csv",
        "criterion,a,b,c,d,e\na,1,3,2,2,0.333\nb,0.333,1,0.5,1,0.2\nc,0.5,2,1,1,0.5\nd,0.5,1,1,1,5\ne,3,5,2,0.2,1\n",
    );
    let out = citycheck(&["weights", "--method", "ahp", "--pairwise", &p, "--derivation", "column_mean"]);
    assert!(text(&out.stdout).starts_with("criterion,weight,lambda_max,ci,cr\n"));
    let rows = rows(&out);
    for (row, e) in rows.iter().zip([0.235, 0.089, 0.136, 0.247, 0.294]) {
        assert!((row[1].parse::<f64>().unwrap() - e).abs() < 5e-4, "{row:?}");
        assert!(row[4].parse::<f64>().unwrap() > 0.3, "CR of this matrix is about 0.33: {row:?}");
    }
    assert!(text(&out.stderr).contains("inconsistent"));
}

#[test]
fn rank_vikor_reports_s_r_q_and_bad_matrices_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let m = write(dir.path(), "m.csv", "alternative,cost,quality\nA,10,7\nB,12,9\nC,8,5\n");
    let out = citycheck(&["rank", "--matrix", &m, "--types", "-1,1", "--method", "vikor"]);
    assert!(text(&out.stdout).starts_with("alternative,score,rank,s,r,q\n"));
    assert!(text(&out.stderr).contains("lower is better"));
    // Equal weights; A is in the middle on both criteria: S = 0.5·(2/4) + 0.5·(2/4) = 0.5,
    // R = 0.25; B: S = 0.5·1 + 0 = 0.5, R = 0.5; C: S = 0 + 0.5·1 = 0.5, R = 0.5.
    // S is equal for all, so Q = 0.5 (R − R*)/(R− − R*): A 0, B 0.5, C 0.5 → ranks 1, 2, 2.
    let rows = rows(&out);
    assert_eq!(rows.iter().map(|r| r[2].as_str()).collect::<Vec<_>>(), ["1", "2", "2"]);
    assert!((rows[0][3].parse::<f64>().unwrap() - 0.5).abs() < 1e-12);

    let bad = write(dir.path(), "bad.csv", "alternative,c1\nA,1\nB,1;5\n");
    let out = citycheck(&["rank", "--matrix", &bad, "--method", "topsis"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("row 3") && text(&out.stderr).contains("c1"), "{}", text(&out.stderr));
    let dup = write(dir.path(), "dup.csv", "alternative,c1,c1\nA,1,2\n");
    let out = citycheck(&["weights", "--matrix", &dup, "--method", "equal"]);
    assert!(text(&out.stderr).contains("more than once"), "{}", text(&out.stderr));
}

#[test]
fn rank_weights_not_summing_to_one_warn_or_fail_with_strict() {
    let dir = tempfile::tempdir().unwrap();
    let m = write(dir.path(), "m.csv", "alternative,c1,c2,c3\nA1,5,8,4\nA2,7,6,8\nA3,8,8,6\nA4,7,4,6\n");
    // 3,4,3 is 0.3,0.4,0.3 scaled by 10: the same closeness as Tzeng & Huang's weights.
    let out = citycheck(&["rank", "--matrix", &m, "--weights", "3,4,3", "--method", "topsis"]);
    assert!(text(&out.stderr).contains("sum to 10; normalised"), "{}", text(&out.stderr));
    assert!((rows(&out)[2][1].parse::<f64>().unwrap() - 0.74824866).abs() < 5e-9);
    let out = citycheck(&["rank", "--matrix", &m, "--weights", "3,4,3", "--method", "topsis", "--strict"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not 1 (strict)"), "{}", text(&out.stderr));
}

#[test]
fn evaluate_writes_trends_progress_and_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let data =
        concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv");
    let result = citycheck(&[
        "evaluate",
        "--catalog",
        "ccsy-example",
        "--data",
        data,
        "--unit-column",
        "city",
        "--from",
        "2009",
        "--to",
        "2012",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "stderr:\n{}", text(&result.stderr));
    assert!(text(&result.stdout).contains("Five-year evaluation 2009–2012"), "{}", text(&result.stdout));
    // The exact column names of the issue (then ranks and a note).
    assert_eq!(
        first_line(&out.join("trends.csv")),
        "unit,node,kind,n,first_year,last_year,start_value,end_value,change,rel_change,cagr,ols_slope,\
         ols_intercept,ols_r2,ols_se,ols_p,ols_ci_low,ols_ci_high,mk_s,mk_var_s,mk_z,mk_tau,mk_p,mk_p_method,\
         sen_slope,sen_intercept,sen_ci_low,sen_ci_high,verdict,start_rank,end_rank,rank_change,note"
    );
    assert_eq!(
        first_line(&out.join("progress.csv")),
        "unit,indicator,baseline_year,baseline,latest_year,latest,target,deadline,progress,projected_year,\
         on_track,anticipated,pace,pace_label,note"
    );
    assert_eq!(first_line(&out.join("warnings.csv")), "unit,year,indicator,value,attainment,level,reason");
    let trends = std::fs::read_to_string(out.join("trends.csv")).unwrap();
    assert!(trends.lines().skip(1).all(|l| !l.contains(",2008,")), "the window starts in 2009");

    let bad = citycheck(&[
        "evaluate",
        "--catalog",
        "ccsy-example",
        "--data",
        data,
        "--unit-column",
        "city",
        "--from",
        "2020",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("2008–2012"), "{}", text(&bad.stderr));
}

#[test]
fn trend_prints_one_row_per_series() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("series.csv");
    // Out of order and with a gap (2023 missing for 'b'); 'c' has one point.
    std::fs::write(
        &path,
        "series,t,y\na,2022,62\na,2021,60\na,2023,61\na,2024,65\na,2025,67\nb,2021,5\nb,2022,4\nb,2024,3\nc,2025,1\n",
    )
    .unwrap();
    let result = citycheck(&["trend", "--series", path.to_str().unwrap()]);
    assert!(result.status.success(), "stderr:\n{}", text(&result.stderr));
    let out = text(&result.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("series,n,first_year,last_year,start_value,end_value,change,"), "{}", lines[0]);
    assert!(lines[0].ends_with(",verdict,note"), "{}", lines[0]);
    assert_eq!(lines.len(), 4);
    // 'a' is the hand-calculated series of evaluate.rs: S = 8, exact p = 1/12, Sen 41/24.
    assert!(lines[1].starts_with("a,5,2021,2025,60.0,67.0,7.0,"), "{}", lines[1]);
    assert!(lines[1].contains(",8,") && lines[1].contains(",exact,") && lines[1].contains("no_clear_trend"));
    assert!(lines[2].starts_with("b,3,2021,2024,5.0,3.0,"), "{}", lines[2]);
    assert!(lines[3].starts_with("c,1,2025,2025,1.0,1.0,") && lines[3].contains("too_short"), "{}", lines[3]);
    // Lower is better flips the verdict's meaning, not the statistics.
    let lower =
        text(&citycheck(&["trend", "--series", path.to_str().unwrap(), "--alpha", "0.1", "--lower-is-better"]).stdout);
    assert!(lower.lines().nth(1).unwrap().contains("worsening"), "{lower}");

    std::fs::write(&path, "series,t,y\na,2021,1\na,2021,2\n").unwrap();
    let dup = citycheck(&["trend", "--series", path.to_str().unwrap()]);
    assert_eq!(dup.status.code(), Some(2));
    assert!(text(&dup.stderr).contains("row 3") && text(&dup.stderr).contains("twice"), "{}", text(&dup.stderr));
}

#[test]
fn compute_writes_indicators_and_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/province_sample");
    let files: Vec<String> =
        ["buildings", "compounds", "blocks", "districts"].iter().map(|t| format!("{sample}/{t}.csv")).collect();
    let mut args =
        vec!["compute", "--catalog", "mohurd-2023", "--level", "district,city", "--out", dir.path().to_str().unwrap()];
    for f in &files {
        args.extend(["--records", f.as_str()]);
    }
    let result = citycheck(&args);
    assert!(result.status.success(), "stderr:\n{}", text(&result.stderr));
    assert_eq!(
        first_line(&dir.path().join("indicators.csv")),
        "unit,level,year,indicator,value,numerator,denominator,unknown,objects"
    );
    assert_eq!(
        first_line(&dir.path().join("ledger.csv")),
        "year,level,object_id,compound_id,block_id,district_id,city_id,indicator"
    );
    // The defects: reported, exit code 1.
    let defects = citycheck(&[
        "compute",
        "--catalog",
        "mohurd-2023",
        "--records",
        &format!("{sample}/defects/buildings.csv"),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(defects.status.code(), Some(1), "{}", text(&defects.stderr));
    assert!(text(&defects.stderr).contains("appear more than once"));
    let bad_level = citycheck(&["compute", "--catalog", "mohurd-2023", "--records", &files[0], "--level", "town"]);
    assert_eq!(bad_level.status.code(), Some(2));
}

/// `score --fitted` applies an earlier run's parameters to new data: fitted on 2008–2011, the
/// 2012 file is scored with those bounds and weights (and the warnings count the values beyond
/// them); applied to the data they were fitted on, they give that run's scores again.
#[test]
fn score_with_fitted_parameters_of_an_earlier_run() {
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv");
    let all = std::fs::read_to_string(&source).unwrap();
    let header = all.lines().next().unwrap();
    let year_col = header.split(',').position(|c| c == "year").expect("a year column");
    let keep = |years: &[&str]| -> String {
        let mut text = format!("{header}\n");
        for line in all.lines().skip(1).filter(|l| years.contains(&l.split(',').nth(year_col).unwrap_or(""))) {
            text.push_str(line);
            text.push('\n');
        }
        text
    };
    let earlier = write(dir.path(), "earlier.csv", &keep(&["2008", "2009", "2010", "2011"]));
    let later = write(dir.path(), "later.csv", &keep(&["2012"]));
    let base = ["--catalog", "ccsy-example", "--unit-column", "city"];
    let fit_out = dir.path().join("fit");
    let fit = citycheck(&[&["score", "--data", &earlier][..], &base, &["--out", fit_out.to_str().unwrap()]].concat());
    assert!(fit.status.success(), "{}", text(&fit.stderr));
    let fitted = fit_out.join("fitted.json");

    let new_out = dir.path().join("new");
    let args = [&["score", "--data", &later][..], &base, &["--fitted", fitted.to_str().unwrap()]].concat();
    let scored = citycheck(&[&args[..], &["--out", new_out.to_str().unwrap()]].concat());
    assert!(scored.status.success(), "{}", text(&scored.stderr));
    // The 2012 scores use the 2008–2011 parameters: the same weights file, and scores
    // beyond [0, 100] where 2012 exceeds the fitted bounds, each counted in run.json.
    assert_eq!(
        std::fs::read_to_string(fit_out.join("weights.csv")).unwrap(),
        std::fs::read_to_string(new_out.join("weights.csv")).unwrap()
    );
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(new_out.join("run.json")).unwrap()).unwrap();
    // run.json's warnings carry a stable code and the message.
    let warnings = run["warnings"].as_array().unwrap();
    let beyond: Vec<&str> = warnings
        .iter()
        .filter(|w| w["code"] == "beyond_fitted_bounds")
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert!(!beyond.is_empty(), "{warnings:?}");
    assert!(beyond.iter().all(|w| w.contains("beyond the bounds")), "{beyond:?}");
    let scores = std::fs::read_to_string(new_out.join("scores.csv")).unwrap();
    let outside = scores
        .lines()
        .skip(1)
        .filter(|l| l.contains(",indicator,"))
        .filter_map(|l| l.split(',').nth(4).and_then(|s| s.parse::<f64>().ok()))
        .filter(|s| !(0.0..=100.0).contains(s))
        .count();
    let counted: usize = beyond
        .iter()
        .map(|w| w.split(": ").nth(2).and_then(|c| c.split(' ').next()).unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(outside, counted, "{beyond:?}");
    // The fitted parameters are an input of the run.
    let inputs = run["inputs"].as_array().unwrap();
    assert!(inputs.iter().any(|i| i["path"].as_str().unwrap().ends_with("fitted.json")), "{inputs:?}");

    // Applied to the data they were fitted on, the parameters reproduce the fit's scores.
    let again_out = dir.path().join("again");
    let again = citycheck(
        &[
            &["score", "--data", &earlier][..],
            &base,
            &["--fitted", fitted.to_str().unwrap()],
            &["--out", again_out.to_str().unwrap()],
        ]
        .concat(),
    );
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(
        std::fs::read_to_string(fit_out.join("scores.csv")).unwrap(),
        std::fs::read_to_string(again_out.join("scores.csv")).unwrap()
    );

    // Method flags cannot be given with --fitted.
    let both = citycheck(&[&args[..], &["--normalize", "z_score"]].concat());
    assert_eq!(both.status.code(), Some(2), "{}", text(&both.stderr));
    assert!(text(&both.stderr).contains("--normalize"), "{}", text(&both.stderr));
}

/// `score --spec` takes a spec TOML (methods per level): with the default run's spec it writes
/// the default run's scores.csv byte for byte; a misspelt method names the file and the
/// closest name.
#[test]
fn score_with_a_spec_file_is_the_default_run() {
    let dir = tempfile::tempdir().unwrap();
    let spec = write(
        dir.path(),
        "spec.toml",
        "scope = \"panel\"\n[weights]\ndefault = { method = \"equal\" }\n\
         levels = { \"2\" = { method = \"entropy_normalized\", shift = 0.0001 } }\n",
    );
    let data = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv");
    let (run_out, score_out) = (dir.path().join("run"), dir.path().join("score"));
    assert!(citycheck(&["run", "--out", run_out.to_str().unwrap()]).status.success());
    let base = ["score", "--catalog", "ccsy-example", "--data", data.to_str().unwrap(), "--unit-column", "city"];
    let scored = citycheck(&[&base[..], &["--spec", &spec, "--out", score_out.to_str().unwrap()]].concat());
    assert!(scored.status.success(), "{}", text(&scored.stderr));
    assert_eq!(
        std::fs::read(run_out.join("scores.csv")).unwrap(),
        std::fs::read(score_out.join("scores.csv")).unwrap()
    );
    let bad = write(dir.path(), "bad.toml", "normalize = { method = \"minmax\" }\n");
    let refused = citycheck(&[&base[..], &["--spec", &bad]].concat());
    assert_eq!(refused.status.code(), Some(2));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("bad.toml") && stderr.contains("did you mean 'min_max'"), "{stderr}");
    let both = citycheck(&[&base[..], &["--spec", &spec, "--weights", "critic"]].concat());
    assert_eq!(both.status.code(), Some(2), "{}", text(&both.stderr));
}

/// `citycheck template` writes the workbook; `validate` reads it once filled (here: refuses the
/// empty one, naming what to do).
#[test]
fn template_writes_the_fill_in_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let units = dir.path().join("units.csv");
    std::fs::write(&units, "城市\n沈阳市\n\n# a comment\n大连市,省会以外\n").unwrap();
    let out = dir.path().join("t.xlsx");
    let result = citycheck(&[
        "template",
        "--catalog",
        "mohurd-2023",
        "--level",
        "district",
        "--units",
        units.to_str().unwrap(),
        "--unit",
        "鞍山市",
        "--years",
        "2024,2025",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "exit {:?}\nstderr:\n{}", result.status, text(&result.stderr));
    assert!(out.exists());
    let result = citycheck(&["validate", "--catalog", "mohurd-2023", "--data", out.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(2), "an empty template has nothing to validate");
    assert!(text(&result.stderr).contains("no value is filled in"), "{}", text(&result.stderr));
    let result =
        citycheck(&["template", "--catalog", "mohurd-2023", "--years", "2024", "--out", out.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(2));
    assert!(text(&result.stderr).contains("--unit"), "{}", text(&result.stderr));
}

#[test]
fn efficiency_writes_scores_and_the_malmquist_index() {
    // The two-year example of tests/it/efficiency.rs: A's productivity doubles, B's grows by 1.5.
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "d.csv", "unit,year,staff,served\nA,2020,1,1\nB,2020,2,1\nA,2021,1,2\nB,2021,2,1.5\n");
    let out = dir.path().join("out");
    let result = citycheck(&[
        "efficiency",
        "--data",
        &data,
        "--inputs",
        "staff",
        "--outputs",
        "served",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "stderr: {}", text(&result.stderr));
    let efficiency = std::fs::read_to_string(out.join("efficiency.csv")).unwrap();
    let mut lines = efficiency.lines();
    assert_eq!(
        lines.next().unwrap(),
        "unit,year,model,orientation,super_efficiency,score,expansion,status,efficient,scale_efficiency,\
         returns_to_scale,peers,lambdas,slack_staff,slack_served,target_staff,target_served,note"
    );
    let b2020: Vec<&str> = lines.nth(1).unwrap().split(',').collect();
    assert_eq!(&b2020[..4], ["B", "2020", "ccr", "input"]);
    assert!((b2020[5].parse::<f64>().unwrap() - 0.5).abs() < 1e-6, "{b2020:?}");
    assert_eq!(b2020[7], "optimal");
    assert_eq!(b2020[11], "A");
    let malmquist = std::fs::read_to_string(out.join("malmquist.csv")).unwrap();
    let b: Vec<&str> = malmquist.lines().nth(2).unwrap().split(',').collect();
    assert_eq!(&b[..3], ["B", "2020", "2021"]);
    for (value, expected) in b[3..6].iter().zip([1.5, 0.75, 2.0]) {
        assert!((value.parse::<f64>().unwrap() - expected).abs() < 1e-6, "{b:?}");
    }
    // A missing value names the unit and the column.
    let bad = write(dir.path(), "bad.csv", "unit,staff,served\nA,1,1\nB,,1\n");
    let bad_out = dir.path().join("bad");
    let result = citycheck(&[
        "efficiency",
        "--data",
        &bad,
        "--inputs",
        "staff",
        "--outputs",
        "served",
        "--out",
        bad_out.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(2));
    let err = text(&result.stderr);
    assert!(err.contains("unit 'B'") && err.contains("staff") && err.contains("missing"), "{err}");
}

#[test]
fn malmquist_writes_consecutive_years_and_the_window() {
    // Coelli's DEAP 2.1 example 4 (tests/it/efficiency.rs): five firms, one input x and one
    // output y, three years (year 3 repeats year 2); output-oriented, firm 2's printed indices
    // for year 2 are tfpch 1.5, effch 1.125, techch 1.333, pech 1.222 (11/9), sech 0.920 (81/88).
    let dir = tempfile::tempdir().unwrap();
    let mut table = String::from("unit,year,x,y\n");
    for (year, x, y) in [(1, [2, 4, 3, 5, 6], [1, 2, 3, 4, 5]), (2, [2, 4, 3, 5, 5], [1, 3, 4, 3, 5])] {
        for firm in 0..5 {
            table.push_str(&format!("{},{year},{},{}\n", firm + 1, x[firm], y[firm]));
            if year == 2 {
                table.push_str(&format!("{},3,{},{}\n", firm + 1, x[firm], y[firm]));
            }
        }
    }
    let data = write(dir.path(), "eg4.csv", &table);
    let out = dir.path().join("out");
    let args = ["malmquist", "--data", &data, "--inputs", "x", "--outputs", "y", "--orientation", "output"];
    let result = citycheck(&[&args[..], &["--out", out.to_str().unwrap()]].concat());
    assert!(result.status.success(), "stderr: {}", text(&result.stderr));
    let csv = std::fs::read_to_string(out.join("malmquist.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next().unwrap(), citycheck::efficiency::MALMQUIST_COLUMNS.join(","));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    // 1 → 2, 2 → 3, then the window 1 → 3: five firms each.
    let pairs: Vec<(&str, &str)> = rows.iter().map(|r| (r[1], r[2])).collect();
    assert_eq!(pairs, [[("1", "2"); 5], [("2", "3"); 5], [("1", "3"); 5]].concat());
    let firm2: Vec<f64> = rows[1][3..8].iter().map(|v| v.parse().unwrap()).collect();
    for (got, expected) in firm2.iter().zip([1.5, 1.125, 4.0 / 3.0, 11.0 / 9.0, 81.0 / 88.0]) {
        assert!((got - expected).abs() < 1e-6, "{firm2:?}");
    }
    // --from 2 --to 3: one pair; every index 1.
    let result = citycheck(&[&args[..], &["--from", "2", "--to", "3", "--out", out.to_str().unwrap()]].concat());
    assert!(result.status.success(), "stderr: {}", text(&result.stderr));
    let csv = std::fs::read_to_string(out.join("malmquist.csv")).unwrap();
    assert_eq!(csv.lines().count(), 6);
    for line in csv.lines().skip(1) {
        let m: f64 = line.split(',').nth(3).unwrap().parse().unwrap();
        assert!((m - 1.0).abs() < 1e-6, "{line}");
    }
    // A year the table lacks, and a window backwards: refused, saying why.
    let result = citycheck(&[&args[..], &["--from", "4", "--out", out.to_str().unwrap()]].concat());
    assert_eq!(result.status.code(), Some(2));
    let err = text(&result.stderr);
    assert!(err.contains("--from 4") && err.contains("years: 1, 2, 3"), "{err}");
    let result = citycheck(&[&args[..], &["--from", "3", "--to", "2", "--out", out.to_str().unwrap()]].concat());
    assert_eq!(result.status.code(), Some(2));
    assert!(text(&result.stderr).contains("must come before"), "{}", text(&result.stderr));
}

#[test]
fn efficiency_takes_undesirable_outputs_with_sbm() {
    // Tone (2003)'s example (tests/it/efficiency.rs): I (good 4, bad 6) scores 3/5 under
    // sbm_vrs, its target D (8, 4).
    let dir = tempfile::tempdir().unwrap();
    let mut table = String::from("unit,x,good,bad\n");
    let good = [1, 2, 6, 8, 9, 5, 4, 6, 4];
    let bad = [1, 1, 2, 4, 7, 2, 3, 4, 6];
    for (k, unit) in ["A", "B", "C", "D", "E", "F", "G", "H", "I"].iter().enumerate() {
        table.push_str(&format!("{unit},1,{},{}\n", good[k], bad[k]));
    }
    let data = write(dir.path(), "tone2003.csv", &table);
    let out = dir.path().join("out");
    let args = ["efficiency", "--data", &data, "--inputs", "x", "--outputs", "good,bad", "--undesirable", "bad"];
    let result = citycheck(&[&args[..], &["--model", "sbm_vrs", "--out", out.to_str().unwrap()]].concat());
    assert!(result.status.success(), "stderr: {}", text(&result.stderr));
    let csv = std::fs::read_to_string(out.join("efficiency.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let i: Vec<&str> = csv.lines().nth(9).unwrap().split(',').collect();
    let at = |name: &str| i[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!((i[0], at("model"), at("orientation")), ("I", "sbm_vrs", "non_oriented"));
    for (column, expected) in [("score", 0.6), ("target_good", 8.0), ("target_bad", 4.0)] {
        assert!((at(column).parse::<f64>().unwrap() - expected).abs() < 1e-6, "{column}: {}", at(column));
    }
    // A radial model would increase the bad output: refused, naming it.
    let result = citycheck(&[&args[..], &["--model", "ccr", "--out", out.to_str().unwrap()]].concat());
    assert_eq!(result.status.code(), Some(2));
    let err = text(&result.stderr);
    assert!(err.contains("undesirable") && err.contains("bad"), "{err}");
}
