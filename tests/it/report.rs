//! The check-up report (report.html, issue 19): its structure on the default run (a page per
//! city, chart marks counted against the run's own tables, every link with a target), escaping
//! of hostile unit names, sections left out of older or partial folders, the `[report]` table,
//! and the page rendered by headless Chromium.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use citycheck::io::{Lang, OutputFormat};
use citycheck::report::{write_report, ReportOptions, REPORT_FILE, REPORT_WORKBOOK};
use citycheck::run::{RunConfig, EMBEDDED_CONFIG};
use citycheck::Catalog;

const LIAONING: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv");

/// The default run (it evaluates, diagnoses and has `[report]`) into `dir`; the report's text.
fn default_run(dir: &Path) -> String {
    let out = citycheck::run::run(&RunConfig::embedded(), Some(dir)).unwrap();
    let written = out.report_html.expect("the default run writes its report");
    assert_eq!(written.path, dir.join(REPORT_FILE));
    // The default run re-checks 2011 into 2012 but has no survey: the report says so.
    let sections: Vec<&str> = written.left_out.iter().map(|g| g.section).collect();
    assert_eq!(sections, ["survey"], "{:?}", written.left_out);
    std::fs::read_to_string(dir.join(REPORT_FILE)).unwrap()
}

/// The rows of a CSV the run wrote, split at commas (the default run's tables quote nothing).
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().map(|l| l.split(',').map(str::to_string).collect()).collect()
}

/// `(unit, year, node) → score` of scores.csv, the non-empty ones.
fn scores(dir: &Path) -> Vec<(String, i32, String)> {
    csv_rows(&dir.join("scores.csv"))
        .into_iter()
        .skip(1)
        .filter(|f| !f[4].is_empty())
        .map(|f| (f[0].clone(), f[1].parse().unwrap(), f[2].clone()))
        .collect()
}

/// Every `<figure …>…</figure>` of `html` whose `data-chart` is `kind`.
fn figures<'a>(html: &'a str, kind: &str) -> Vec<&'a str> {
    let open = format!("<figure class=\"chart\" data-chart=\"{kind}\"");
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        let end = rest[at..].find("</figure>").expect("a figure closes") + at;
        found.push(&rest[at..end]);
        rest = &rest[end..];
    }
    found
}

/// The value of attribute `name` in the first tag of `fragment`.
fn attribute(fragment: &str, name: &str) -> String {
    let key = format!("{name}=\"");
    let at =
        fragment.find(&key).unwrap_or_else(|| panic!("no {name} in {}", fragment.chars().take(80).collect::<String>()));
    let value = &fragment[at + key.len()..];
    value[..value.find('"').unwrap()].to_string()
}

/// A figure's declared marks, checked against the `class="mark"` elements of its SVG.
fn marks(figure: &str) -> usize {
    let declared: usize = attribute(figure, "data-marks").parse().unwrap();
    assert_eq!(figure.matches("class=\"mark\"").count(), declared, "data-marks against the SVG");
    assert_eq!(figure.matches("<svg").count(), 1, "one inline SVG per figure");
    declared
}

/// The marks of `figure` drawn as `<tag …>` elements (`rect`: bars, `circle`: dots).
fn marks_drawn_as(figure: &str, tag: &str) -> usize {
    let open = format!("<{tag} ");
    figure.split(open.as_str()).skip(1).filter(|e| e.split('>').next().unwrap_or("").contains("class=\"mark\"")).count()
}

/// The unit page of `unit`: its `<section class="unit" …>` up to the next section.
fn unit_page<'a>(html: &'a str, unit: &str) -> &'a str {
    let heading = format!("<h2>{unit}</h2>");
    let at = html.find(&heading).unwrap_or_else(|| panic!("no page for {unit}"));
    let start = html[..at].rfind("<section class=\"unit\"").unwrap();
    let end = html[at..].find("</section>").unwrap() + at;
    &html[start..end]
}

/// Every value of attribute `name` in `html`.
fn all_attributes(html: &str, name: &str) -> Vec<String> {
    let key = format!(" {name}=\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&key) {
        let value = &rest[at + key.len()..];
        let end = value.find('"').unwrap();
        values.push(value[..end].to_string());
        rest = &value[end..];
    }
    values
}

#[test]
fn the_default_run_reports_every_city_with_charts_of_the_right_size() {
    let dir = tempfile::tempdir().unwrap();
    let html = default_run(dir.path());
    let scores = scores(dir.path());
    let units: BTreeSet<&str> = scores.iter().map(|(u, _, _)| u.as_str()).collect();
    assert_eq!(units.len(), 14, "the 14 Liaoning cities");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(!html.contains("<script"), "no script: the page runs nothing");
    let namespaces = html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
    assert_eq!(html.matches("http").count(), namespaces, "no address but the SVG namespace: nothing is fetched");

    // One page per city, each linked from the overview.
    assert_eq!(html.matches("<section class=\"unit\"").count(), units.len());
    for unit in &units {
        assert!(html.contains(&format!("<h2>{unit}</h2>")), "{unit} has a page");
    }

    // The league chart: a row and a mark per city, a bar per city with a 2012 index score.
    // 本溪市 has no 2012 data (run.json: "no data for 2012"): 13 bars, and its row has a grey
    // dot saying so, 14 marks in 14 rows.
    let with_2012: BTreeSet<&str> =
        scores.iter().filter(|(_, y, n)| *y == 2012 && n == "index").map(|(u, _, _)| u.as_str()).collect();
    assert_eq!(with_2012.len(), 13);
    assert!(!with_2012.contains("本溪市"));
    let league = figures(&html, "league");
    assert_eq!(league.len(), 1);
    assert_eq!(marks(league[0]), units.len());
    assert_eq!(marks_drawn_as(league[0], "rect"), with_2012.len(), "a bar per city with a score");
    assert_eq!(marks_drawn_as(league[0], "circle"), 1, "the dot of 本溪市");
    assert_eq!(attribute(league[0], "data-rows"), units.len().to_string());
    assert!(league[0].contains("无2012年得分"), "the city without a 2012 score says so");

    // The radar of each city with 2012 scores: a vertex per group (weights.csv: parent index).
    let groups: BTreeSet<String> = csv_rows(&dir.path().join("weights.csv"))
        .into_iter()
        .skip(1)
        .filter(|f| f[2] == "index")
        .map(|f| f[1].clone())
        .collect();
    assert_eq!(groups.len(), 3, "vitality, health, ecology");
    for unit in &with_2012 {
        let page = unit_page(&html, unit);
        let radar = figures(page, "radar");
        assert_eq!(radar.len(), 1, "{unit}");
        let expected =
            groups.iter().filter(|g| scores.iter().any(|s| s.0 == *unit && s.1 == 2012 && s.2 == **g)).count();
        assert_eq!(marks(radar[0]), expected, "{unit}");
    }

    // Sparklines: a point per year with a score. 沈阳市 has no data for 2009–2011: its index
    // line has two points (2008, 2012).
    let shenyang = unit_page(&html, "沈阳市");
    let sparklines = figures(shenyang, "sparkline");
    let index_years = scores.iter().filter(|s| s.0 == "沈阳市" && s.2 == "index").count();
    assert_eq!(index_years, 2);
    assert_eq!(marks(sparklines[0]), 2, "the first sparkline is the index");
    let nodes: BTreeSet<&str> = scores.iter().filter(|s| s.0 == "沈阳市").map(|s| s.2.as_str()).collect();
    assert_eq!(sparklines.len(), nodes.len(), "a sparkline per node with a score");

    // Indicators against standards: a bar per 2012 row of warnings.csv of the city, coloured.
    let warnings = csv_rows(&dir.path().join("warnings.csv"));
    let dandong = unit_page(&html, "丹东市");
    let rows = warnings.iter().filter(|f| f[0] == "丹东市" && f[1] == "2012").count();
    assert_eq!(rows, 1, "garbage_harmless_rate, red");
    assert_eq!(marks(figures(dandong, "indicators")[0]), rows);
    assert!(dandong.contains("<td class=\"red\">红</td>"), "the red level of the ledger and the indicator table");
    // The obstacle Pareto: a bar per indicator of obstacles.csv.
    let obstacles =
        csv_rows(&dir.path().join("obstacles.csv")).iter().filter(|f| f[0] == "丹东市" && f[3] == "indicator").count();
    assert_eq!(obstacles, 7);
    assert_eq!(marks(figures(dandong, "pareto")[0]), obstacles);
    // Progress: a bar per row of progress.csv of the city.
    let progress = csv_rows(&dir.path().join("progress.csv")).iter().filter(|f| f[0] == "丹东市").count();
    assert_eq!(marks(figures(dandong, "progress")[0]), progress);
    // Its ledger and reserve rows: task 7 (倡导绿色低碳生产生活方式) is in its reserve.
    assert!(dandong.contains("倡导绿色低碳生产生活方式"));
}

#[test]
fn every_link_of_the_report_has_a_target_and_every_page_is_linked() {
    let dir = tempfile::tempdir().unwrap();
    let html = default_run(dir.path());
    let ids: BTreeSet<String> = all_attributes(&html, "id").into_iter().collect();
    let links: Vec<String> = all_attributes(&html, "href");
    assert!(!links.is_empty());
    for link in &links {
        let target = link.strip_prefix('#').unwrap_or_else(|| panic!("a link out of the page: {link}"));
        assert!(ids.contains(target), "#{target} has no element");
    }
    let overview_end = html.find("</header>").unwrap();
    let overview = &html[..overview_end];
    for id in ids.iter().filter(|id| id.starts_with("unit-")) {
        assert!(overview.contains(&format!("href=\"#{id}\"")), "{id} is linked from the overview");
    }
    assert_eq!(ids.iter().filter(|id| id.starts_with("unit-")).count(), 14);
}

#[test]
fn labels_come_from_the_catalogue_in_chinese_or_english() {
    let dir = tempfile::tempdir().unwrap();
    let html = default_run(dir.path());
    let catalog = Catalog::builtin("ccsy-example").unwrap();
    let gdp = catalog.indicator("gdp").unwrap();
    assert!(html.contains(&gdp.name_zh), "{}", gdp.name_zh);
    let ecology = catalog.group("ecology").unwrap();
    assert!(html.contains(&ecology.name_zh));
    // Provenance: the catalogue's digest and the input's.
    assert!(html.contains(catalog.sha256()));
    let input = citycheck::io::sha256_file(Path::new(LIAONING)).unwrap();
    assert!(html.contains(&input), "the input's SHA-256");
    assert!(html.contains("font-family: \"PingFang SC\", \"Microsoft YaHei\", \"Noto Sans CJK SC\""));
    assert!(html.contains("@page { size: A4"));
    assert!(html.contains("break-before: page"));

    let english = tempfile::tempdir().unwrap();
    let written = write_report(dir.path(), &ReportOptions::new().lang(Lang::En).out(english.path())).unwrap();
    assert_eq!(written.path, english.path().join(REPORT_FILE));
    assert_eq!((written.units, written.year), (14, 2012));
    let html = std::fs::read_to_string(written.path.as_path()).unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains(&gdp.name_en) && html.contains(&ecology.name_en));
    assert!(!html.contains(&gdp.name_zh));
}

/// The embedded data with two cities renamed to hostile names, scored by the default run.
fn hostile_run(dir: &Path, format: OutputFormat) -> PathBuf {
    let data = std::fs::read_to_string(LIAONING)
        .unwrap()
        .replace("沈阳市", "<script>alert(1)</script>")
        .replace("大连市", "=cmd|' /C calc'!A0");
    let path = dir.join("data.csv");
    std::fs::write(&path, data).unwrap();
    let mut config = RunConfig::embedded();
    config.data.as_mut().unwrap().path = path.display().to_string();
    config.output.format = format;
    let out = dir.join("out");
    citycheck::run::run(&config, Some(&out)).unwrap();
    out
}

#[test]
fn hostile_unit_names_are_text_in_the_report() {
    for format in [OutputFormat::Csv, OutputFormat::Xlsx] {
        let dir = tempfile::tempdir().unwrap();
        let out = hostile_run(dir.path(), format);
        let html = std::fs::read_to_string(out.join(REPORT_FILE)).unwrap();
        assert!(!html.contains("<script"), "{format:?}: a unit name became markup");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{format:?}");
        // The CSV wrote `'=cmd…` (formula neutralised); the report shows the name itself.
        assert!(html.contains("=cmd|&#39; /C calc&#39;!A0"), "{format:?}");
        assert!(!html.contains("&#39;=cmd") && !html.contains("&apos;=cmd"), "{format:?}: the CSV's quote is shown");
        assert_eq!(html.matches("<section class=\"unit\"").count(), 14, "{format:?}");
        if format == OutputFormat::Csv {
            // report.xlsx holds the names as text, without the CSV's quote, and no formula.
            use calamine::{open_workbook_auto, Data, Reader};
            let mut workbook = open_workbook_auto(out.join(REPORT_WORKBOOK)).unwrap();
            let scores = workbook.worksheet_range("scores").unwrap();
            let units: BTreeSet<String> = (1..scores.height() as u32)
                .filter_map(|r| match scores.get_value((r, 0)) {
                    Some(Data::String(s)) => Some(s.clone()),
                    _ => None,
                })
                .collect();
            assert!(units.contains("=cmd|' /C calc'!A0") && units.contains("<script>alert(1)</script>"), "{units:?}");
            assert_eq!(units.len(), 14, "every unit is text");
            assert_eq!(workbook.worksheet_formula("scores").unwrap().used_cells().count(), 0);
        }
    }
}

#[test]
fn missing_and_broken_tables_leave_their_sections_out_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    default_run(dir.path());
    for file in ["trends.csv", "ledger.csv", "run.json"] {
        std::fs::remove_file(dir.path().join(file)).unwrap();
    }
    // A progress cell that is not a number.
    let progress = std::fs::read_to_string(dir.path().join("progress.csv")).unwrap();
    let mut lines: Vec<String> = progress.lines().map(str::to_string).collect();
    let column = lines[0].split(',').position(|c| c == "progress").unwrap();
    let mut first: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    first[column] = "lots".into();
    lines[1] = first.join(",");
    std::fs::write(dir.path().join("progress.csv"), lines.join("\n") + "\n").unwrap();

    let written = write_report(dir.path(), &ReportOptions::new()).unwrap();
    let sections: Vec<&str> = written.left_out.iter().map(|g| g.section).collect();
    // The absent tables in the order of the report, then the table that does not parse.
    assert_eq!(sections, ["provenance", "trends", "ledger", "survey", "progress"], "{:?}", written.left_out);
    let progress = &written.left_out[4];
    assert!(progress.reason.contains("row 2") && progress.reason.contains("'progress'"), "{}", progress.reason);
    let html = std::fs::read_to_string(written.path.as_path()).unwrap();
    assert!(html.contains("id=\"left-out\""));
    for file in ["trends.csv", "ledger.csv", "run.json", "progress.csv"] {
        assert!(html.contains(&format!("<code>{file}</code>")), "{file} is named");
    }
    assert_eq!(html.matches("<section class=\"unit\"").count(), 14, "the rest is still there");
    assert!(figures(&html, "progress").is_empty() && !figures(&html, "pareto").is_empty());
    // Without run.json the built-in catalogue is not known: ids, with a note; given, names.
    assert!(!html.contains(&Catalog::builtin("ccsy-example").unwrap().indicator("gdp").unwrap().name_zh));
    assert!(html.contains("--catalog"));
    let catalog = Arc::new(Catalog::builtin("ccsy-example").unwrap());
    let named = write_report(dir.path(), &ReportOptions::new().catalog(Arc::clone(&catalog))).unwrap();
    let html = std::fs::read_to_string(named.path.as_path()).unwrap();
    assert!(html.contains(&catalog.indicator("gdp").unwrap().name_zh));

    // No scores: an error naming the folder.
    std::fs::remove_file(dir.path().join("scores.csv")).unwrap();
    let err = write_report(dir.path(), &ReportOptions::new()).unwrap_err().to_string();
    assert!(err.contains(&dir.path().display().to_string()) && err.contains("scores"), "{err}");
    let err = write_report(&dir.path().join("absent"), &ReportOptions::new()).unwrap_err().to_string();
    assert!(err.contains("absent"), "{err}");
}

#[test]
fn a_run_without_evaluation_or_diagnosis_reports_its_scores() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = RunConfig::embedded();
    config.evaluate = None;
    config.diagnose = None;
    let out = citycheck::run::run(&config, Some(dir.path())).unwrap();
    let written = out.report_html.unwrap();
    let sections: Vec<&str> = written.left_out.iter().map(|g| g.section).collect();
    assert_eq!(sections, ["trends", "progress", "warnings", "obstacles", "ledger", "reserve", "survey"]);
    let html = std::fs::read_to_string(written.path.as_path()).unwrap();
    assert_eq!(marks(figures(&html, "league")[0]), 14);
    assert_eq!(html.matches("<section class=\"unit\"").count(), 14);
}

#[test]
fn the_report_table_of_a_run_config() {
    // Misspelt keys are refused, naming the key.
    let bad = format!("{EMBEDDED_CONFIG}\nenable = true\n");
    let err = RunConfig::from_toml(&bad).unwrap_err().to_string();
    assert!(err.contains("enable"), "{err}");
    let config = RunConfig::embedded();
    let report = config.report.as_ref().expect("the default run has [report]");
    assert!(report.enabled);
    assert_eq!(report.lang, Lang::Zh);

    // report.html and report.xlsx are the run's last outputs; a run with `enabled = false`
    // removes both.
    let dir = tempfile::tempdir().unwrap();
    default_run(dir.path());
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("run.json")).unwrap()).unwrap();
    let outputs: Vec<&str> = run["outputs"].as_array().unwrap().iter().map(|o| o["file"].as_str().unwrap()).collect();
    assert_eq!(outputs[outputs.len() - 2..], [REPORT_FILE, REPORT_WORKBOOK]);
    for (i, file) in [(outputs.len() - 2, REPORT_FILE), (outputs.len() - 1, REPORT_WORKBOOK)] {
        let digest = citycheck::io::sha256_file(&dir.path().join(file)).unwrap();
        assert_eq!(run["outputs"][i]["sha256"], digest.as_str(), "{file}");
    }

    let text = EMBEDDED_CONFIG.replace("enabled = true", "enabled = false");
    let off = RunConfig::from_toml(&text).unwrap();
    assert!(citycheck::run::run(&off, Some(dir.path())).unwrap().report_html.is_none());
    assert!(!dir.path().join(REPORT_FILE).exists(), "the earlier run's report is removed");
    assert!(!dir.path().join(REPORT_WORKBOOK).exists(), "and its workbook");
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("run.json")).unwrap()).unwrap();
    assert_eq!(run["removed_stale"], serde_json::json!([REPORT_FILE, REPORT_WORKBOOK]));
}

#[test]
fn a_run_with_a_survey_and_a_recheck_reports_both() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/survey_synthetic");
    // The survey's indicators are not in ccsy-example: lenient validation reports them. The
    // default run already re-checks 2011 into 2012.
    let text = EMBEDDED_CONFIG.replace("validation = \"strict\"", "validation = \"lenient\"")
        + &format!(
            "\n[survey]\ndefinition = \"{data}/definition.toml\"\nresponses = \"{data}/responses.csv\"\n\
             unit_column = \"city\"\nyear_column = \"year\"\nweight_column = \"weight\"\nstrata_column = \"district\"\n"
        );
    let config = RunConfig::from_toml(&text).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let written = citycheck::run::run(&config, Some(dir.path())).unwrap().report_html.unwrap();
    assert!(written.left_out.is_empty(), "{:?}", written.left_out);
    let html = std::fs::read_to_string(written.path.as_path()).unwrap();
    assert!(html.contains("<section class=\"survey\" id=\"survey\">"));
    // A bar per city with survey answers in the latest survey year (2025), a bar per
    // dimension on each city's page.
    let dimensions = csv_rows(&dir.path().join("survey_dimensions.csv"));
    let mean = dimensions[0].iter().position(|c| c == "mean").unwrap();
    let scored: Vec<&Vec<String>> =
        dimensions.iter().skip(1).filter(|f| f[1] == "2025" && !f[mean].is_empty()).collect();
    let cities: BTreeSet<&str> = scored.iter().map(|f| f[0].as_str()).collect();
    assert!(cities.len() > 1, "{cities:?}");
    assert_eq!(marks(figures(&html, "survey")[0]), cities.len());
    let per_city = scored.iter().filter(|f| f[0] == "沈阳市").count();
    assert!(per_city > 1);
    assert_eq!(marks(figures(unit_page(&html, "沈阳市"), "survey-unit")[0]), per_city);
    // The re-check of each city: its rows of recheck_summary.csv, one per year.
    let shenyang = unit_page(&html, "沈阳市");
    assert!(shenyang.contains("<table class=\"recheck\">"));
}

#[cfg(feature = "cli")]
#[test]
fn the_report_command_reads_any_output_folder() {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    // An Excel run with Chinese headers: the report reads the workbook's sheets.
    let mut config = RunConfig::embedded();
    config.output.format = OutputFormat::Xlsx;
    config.output.lang = Lang::Zh;
    config.report = None;
    citycheck::run::run(&config, Some(dir.path())).unwrap();
    assert!(!dir.path().join(REPORT_FILE).exists());
    let out = dir.path().join("english");
    let result = Command::new(env!("CARGO_BIN_EXE_citycheck"))
        .arg("report")
        .arg(dir.path())
        .args(["--lang", "en", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{stderr}");
    assert!(stderr.contains("left out: survey"), "{stderr}");
    let html = std::fs::read_to_string(out.join(REPORT_FILE)).unwrap();
    // The folder's tables are the sheets of citycheck.xlsx already: no report.xlsx.
    assert!(!out.join(REPORT_WORKBOOK).exists());
    assert_eq!(html.matches("<section class=\"unit\"").count(), 14);
    assert_eq!(marks(figures(&html, "league")[0]), 14);
    assert!(html.contains("id=\"provenance\""), "run.json read from the folder");
    assert!(html.contains("<html lang=\"en\">"));

    // A folder that is no run's output: exit 2, the folder named.
    let empty = tempfile::tempdir().unwrap();
    let result = Command::new(env!("CARGO_BIN_EXE_citycheck")).arg("report").arg(empty.path()).output().unwrap();
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains(&empty.path().display().to_string()));
}

/// Chromium on PATH, or `None` when the browser test is skipped (CITYCHECK_SKIP_BROWSER=1).
fn chromium() -> Option<PathBuf> {
    if std::env::var("CITYCHECK_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("CITYCHECK_SKIP_BROWSER=1: the headless Chromium test is skipped");
        return None;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = ["chromium", "chromium-browser"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file());
    Some(found.unwrap_or_else(|| {
        panic!(
            "chromium is not on PATH: scripts/test.sh installs Debian's chromium package (apt-get install chromium); \
             set CITYCHECK_SKIP_BROWSER=1 to skip this test"
        )
    }))
}

#[test]
fn the_default_report_renders_in_headless_chromium() {
    use std::process::Command;
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let html = default_run(dir.path());
    let url = format!("file://{}", dir.path().join(REPORT_FILE).display());
    let browser = |args: &[&str]| {
        Command::new(&chromium)
            .args(["--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars"])
            .args(args)
            .arg(&url)
            .output()
            .expect("chromium runs")
    };

    // A screenshot that is not blank: many pixels off the background, many colours.
    let png_path = dir.path().join("report.png");
    let screenshot = format!("--screenshot={}", png_path.display());
    let shot = browser(&[screenshot.as_str(), "--window-size=1200,1600"]);
    assert!(shot.status.success(), "{}", String::from_utf8_lossy(&shot.stderr));
    let decoder = png::Decoder::new(std::fs::File::open(png_path.as_path()).expect("the screenshot is written"));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), (1200, 1600));
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let channels = info.color_type.samples();
    let pixels = &pixels[..info.buffer_size()];
    let background = &pixels[..channels];
    let off = pixels.chunks(channels).filter(|p| p != &background).count();
    let colours: BTreeSet<&[u8]> = pixels.chunks(channels).collect();
    let total = (info.width * info.height) as usize;
    assert!(off * 100 > total, "{off} of {total} pixels differ from the background");
    assert!(colours.len() > 16, "{} colours", colours.len());

    // The DOM Chromium parsed holds every unit page and every mark, and nothing was logged to
    // the console (the page runs no script; a console line would be an error).
    let dump = browser(&["--enable-logging=stderr", "--v=0", "--dump-dom"]);
    assert!(dump.status.success());
    let dom = String::from_utf8_lossy(&dump.stdout);
    let log = String::from_utf8_lossy(&dump.stderr);
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught")).collect();
    assert!(console.is_empty(), "console messages:\n{}", console.join("\n"));
    assert_eq!(dom.matches("<section class=\"unit\"").count(), 14);
    assert_eq!(dom.matches("class=\"mark\"").count(), html.matches("class=\"mark\"").count());
    assert_eq!(dom.matches("<svg").count(), html.matches("<svg").count());
}
