//! The report page: the overview, the survey section and a section per unit, as HTML.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use super::charts::{self, level_colour, short, Bar, Scale, BLUE, GREEN, GREY, RED};
use super::html::{self, escape_html as h, Cell};
use super::labels::Labels;
use super::model::{Kind, Listing, Model, Trend, Value};
use crate::checkup::Spec;
use crate::error::Result;
use crate::io::Lang;
use crate::progress::Stage;

/// Width of the wide charts (league, indicators, progress, Pareto), in pixels.
const WIDE: u32 = 720;

/// Messages of run.json's warnings and issues listed in full before "… N more".
const SHOWN: usize = 30;

/// A number of a listing: three decimals below 1, two below 100, one above; whole numbers as
/// they are.
fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e12 {
        format!("{x:.0}")
    } else if x.abs() < 1.0 {
        format!("{x:.3}")
    } else if x.abs() < 100.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.1}")
    }
}

fn score_text(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |x| format!("{x:.2}"))
}

/// The change of a rank from the year before (positive: moved up).
fn rank_change(before: Option<i32>, now: Option<i32>) -> Cell {
    match (before, now) {
        (Some(b), Some(n)) if b > n => Cell::number(format!("▲{}", b - n)).with_class("up"),
        (Some(b), Some(n)) if b < n => Cell::number(format!("▼{}", n - b)).with_class("down"),
        (Some(_), Some(_)) => Cell::number("0"),
        _ => Cell::number("—"),
    }
}

/// The axis of scores: 0–100 when they all lie there (min-max scores), else around them.
fn score_scale(values: &[f64]) -> Scale {
    if values.iter().all(|v| (0.0..=100.0).contains(v)) {
        Scale::over(values.iter().copied(), &[0.0, 100.0])
    } else {
        Scale::over(values.iter().copied(), &[0.0])
    }
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 })
}

/// The text of a JSON value (strings without quotes, null empty).
fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The anchor of the `k`-th unit page (from 1): ids never hold data text.
fn unit_id(k: usize) -> String {
    format!("unit-{}", k + 1)
}

/// The whole page; a unit page done advances `pages` by one.
pub(super) fn page(model: &Model, labels: &Labels, catalog_note: Option<&str>, pages: &Stage<'_>) -> Result<String> {
    let l = labels;
    let mut out = String::with_capacity(1 << 20);
    let lang = match l.lang() {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    let title = format!("{} {}", l.t("城市体检评估报告", "City check-up report"), model.year);
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
         <style>{}</style>\n</head>\n<body>",
        h(&title),
        html::css()
    );
    overview_head(&mut out, model, l, &title, catalog_note);
    left_out(&mut out, model, l);
    ranking(&mut out, model, l)?;
    warning_counts(&mut out, model, l);
    provenance(&mut out, model, l);
    survey(&mut out, model, l)?;
    let trends: HashMap<(&str, &str), &Trend> =
        model.trends.iter().flatten().map(|t| ((t.unit.as_str(), t.node.as_str()), t)).collect();
    for (k, unit) in model.units.iter().enumerate() {
        unit_page(&mut out, model, l, k, unit, &trends)?;
        pages.advance(1);
    }
    out.push_str("</body>\n</html>\n");
    Ok(out)
}

fn overview_head(out: &mut String, model: &Model, l: &Labels, title: &str, catalog_note: Option<&str>) {
    let _ = writeln!(out, "<header id=\"overview\">\n<h1>{}</h1>", h(title));
    let catalog = model
        .run
        .as_ref()
        .map(|r| format!("{} {}", json_text(&r["catalog"]["id"]), json_text(&r["catalog"]["version"])));
    let mut facts = vec![format!("{}{}", l.t("报告年份：", "Report year: "), model.year)];
    facts.push(format!("{}{}", l.t("单位数：", "Units: "), model.units.len()));
    if let Some(c) = catalog {
        facts.push(format!("{}{c}", l.t("指标体系：", "Catalogue: ")));
    }
    html::note(out, "facts", &facts.join(" · "));
    if let Some(note) = catalog_note {
        html::note(out, "note", note);
    }
    out.push_str("<nav class=\"units\">");
    let mut links = vec![("ranking", l.t("排名", "Ranking"))];
    if !model.left_out.is_empty() {
        links.insert(0, ("left-out", l.t("未包含的部分", "Left out")));
    }
    if model.warnings.is_some() {
        links.push(("warning-counts", l.t("预警", "Warnings")));
    }
    if model.run.is_some() {
        links.push(("provenance", l.t("数据来源", "Provenance")));
    }
    if model.survey.is_some() {
        links.push(("survey", l.t("满意度调查", "Survey")));
    }
    for (id, text) in links {
        let _ = write!(out, "<a href=\"#{id}\">{}</a> ", h(text));
    }
    out.push_str("<br>");
    for (k, unit) in model.units.iter().enumerate() {
        let _ = write!(out, "<a href=\"#{}\">{}</a> ", unit_id(k), h(unit));
    }
    out.push_str("</nav>\n</header>\n");
}

fn left_out(out: &mut String, model: &Model, l: &Labels) {
    if model.left_out.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<section id=\"left-out\">\n<h2>{}</h2>\n<ul class=\"left-out\">",
        h(l.t("未包含的部分", "Sections left out"))
    );
    for gap in &model.left_out {
        let _ = write!(
            out,
            "<li data-section=\"{}\"><b>{}</b> (<code>{}</code>): {}</li>",
            gap.section,
            h(section_name(gap.section, l)),
            h(&gap.file),
            h(&gap.reason)
        );
    }
    out.push_str("</ul>\n</section>\n");
}

fn section_name(section: &str, l: &Labels) -> &'static str {
    match section {
        "provenance" => l.t("数据来源", "provenance"),
        "trends" => l.t("趋势判断", "trend verdicts"),
        "progress" => l.t("目标进度", "progress to targets"),
        "warnings" => l.t("监测预警", "warnings"),
        "obstacles" => l.t("障碍因子", "obstacles"),
        "ledger" => l.t("问题台账", "problem ledger"),
        "reserve" => l.t("项目储备库", "project reserve"),
        "recheck" => l.t("复查", "re-check"),
        "survey" => l.t("满意度调查", "survey"),
        "reliability" => l.t("信度（Cronbach's α）", "reliability (Cronbach's α)"),
        _ => l.t("其他", "other"),
    }
}

fn ranking(out: &mut String, model: &Model, l: &Labels) -> Result<()> {
    let (year, previous) = (model.year, model.previous);
    let s = &model.scores;
    let _ = writeln!(out, "<section id=\"ranking\">\n<h2>{} {year}</h2>", h(l.t("排名", "Ranking")));
    let change_header = match previous {
        Some(p) => format!("{}{p}{}", l.t("排名变化（较", "Rank change (since "), l.t("年）", ")")),
        None => l.t("排名变化", "Rank change").to_string(),
    };
    let mut header =
        vec![l.t("排名", "Rank").to_string(), l.t("单位", "Unit").to_string(), l.node("index"), change_header];
    header.extend(
        model.groups.iter().map(|g| format!("{} {}", l.node(g), l.t("（得分·排名·变化）", "(score · rank · change)"))),
    );
    let mut rows = Vec::new();
    for (k, unit) in model.units.iter().enumerate() {
        let rank = s.rank(unit, year, "index");
        let mut row = vec![
            Cell::number(rank.map_or_else(|| "—".into(), |r| r.to_string())),
            Cell::link(unit.clone(), format!("#{}", unit_id(k))),
            Cell::number(score_text(s.value(unit, year, "index"))),
            rank_change(previous.and_then(|p| s.rank(unit, p, "index")), rank),
        ];
        for g in &model.groups {
            let now = s.rank(unit, year, g);
            let change = rank_change(previous.and_then(|p| s.rank(unit, p, g)), now).text;
            let text = match s.value(unit, year, g) {
                Some(v) => format!("{v:.2} · {} · {change}", now.map_or_else(|| "—".into(), |r| r.to_string())),
                None => "—".to_string(),
            };
            row.push(Cell::number(text));
        }
        rows.push(row);
    }
    html::table(out, "ranking", &header, &rows);
    let values: Vec<f64> = model.units.iter().filter_map(|u| s.value(u, year, "index")).collect();
    let no_score = format!("{}{year}{}", l.t("无", "no score in "), l.t("年得分", ""));
    let bars: Vec<Bar> = model
        .units
        .iter()
        .map(|u| {
            let v = s.value(u, year, "index");
            Bar {
                label: u.clone(),
                value: v,
                text: v.map_or_else(|| no_score.trim().to_string(), |v| format!("{v:.2}")),
                colour: BLUE,
            }
        })
        .collect();
    let chart = charts::league(&bars, score_scale(&values), WIDE);
    let caption = format!("{} {year}{}", l.node("index"), l.t("，按排名", ", by rank"));
    html::figure(out, &chart, &caption)?;
    out.push_str("</section>\n");
    Ok(())
}

fn warning_counts(out: &mut String, model: &Model, l: &Labels) {
    let Some(warnings) = &model.warnings else { return };
    let year = model.year;
    let years: BTreeSet<i32> = warnings.iter().map(|w| w.year).collect();
    let window = match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    };
    let mut counts: HashMap<&str, [[usize; 3]; 2]> = HashMap::new();
    for w in warnings {
        let Some(level) = ["red", "yellow", "green"].iter().position(|x| *x == w.level) else { continue };
        let entry = counts.entry(w.unit.as_str()).or_default();
        entry[1][level] += 1;
        if w.year == year {
            entry[0][level] += 1;
        }
    }
    let _ = writeln!(
        out,
        "<section id=\"warning-counts\">\n<h2>{}</h2>",
        h(l.t("监测预警：红、黄、绿灯数", "Warnings: red, yellow and green per unit"))
    );
    let mut header = vec![l.t("单位", "Unit").to_string()];
    for span in [year.to_string(), window] {
        for level in ["red", "yellow", "green"] {
            header.push(format!("{}（{span}）", l.level(level)));
        }
    }
    let rows: Vec<Vec<Cell>> = model
        .units
        .iter()
        .enumerate()
        .map(|(k, unit)| {
            let c = counts.get(unit.as_str()).copied().unwrap_or_default();
            let mut row = vec![Cell::link(unit.clone(), format!("#{}", unit_id(k)))];
            for span in c {
                for (n, class) in span.iter().zip(["red", "yellow", "green"]) {
                    let cell = Cell::number(n.to_string());
                    row.push(if *n > 0 { cell.with_class(class) } else { cell });
                }
            }
            row
        })
        .collect();
    html::table(out, "warnings", &header, &rows);
    out.push_str("</section>\n");
}

fn provenance(out: &mut String, model: &Model, l: &Labels) {
    let Some(run) = &model.run else { return };
    let _ = writeln!(out, "<section id=\"provenance\">\n<h2>{}</h2>", h(l.t("数据来源与可复现性", "Provenance")));
    let catalog = &run["catalog"];
    let mut rows = vec![
        vec![Cell::text(l.t("citycheck 版本", "citycheck version")), Cell::text(json_text(&run["citycheck_version"]))],
        vec![
            Cell::text(l.t("指标体系", "Catalogue")),
            Cell::text(format!("{} {}", json_text(&catalog["id"]), json_text(&catalog["version"]))),
        ],
        vec![Cell::text(l.t("指标体系 SHA-256", "Catalogue SHA-256")), Cell::text(json_text(&catalog["sha256"]))],
    ];
    if let Some(parameters) = catalog["parameters"].as_object() {
        let text: Vec<String> = parameters.iter().map(|(k, v)| format!("{k} = {}", json_text(v))).collect();
        rows.push(vec![Cell::text(l.t("公式参数", "Formula parameters")), Cell::text(text.join(", "))]);
    }
    if let Some(b) = run["comparable_across_years"].as_bool() {
        let yes_no = if b { l.t("是", "yes") } else { l.t("否", "no") };
        rows.push(vec![Cell::text(l.t("各年得分可比", "Scores comparable across years")), Cell::text(yes_no)]);
    }
    let counts = &run["counts"];
    if counts.is_object() {
        let text = ["units", "years", "indicators", "observations", "unit_years", "imputed_cells"]
            .iter()
            .map(|k| format!("{k} {}", json_text(&counts[*k])))
            .collect::<Vec<_>>()
            .join(", ");
        rows.push(vec![Cell::text(l.t("规模", "Counts")), Cell::text(text)]);
    }
    let evaluation = &run["evaluation"];
    if evaluation.is_object() {
        let text = format!(
            "{}–{}, α = {}",
            json_text(&evaluation["from"]),
            json_text(&evaluation["to"]),
            json_text(&evaluation["alpha"])
        );
        rows.push(vec![Cell::text(l.t("五年评估", "Evaluation")), Cell::text(text)]);
    }
    let diagnosis = &run["diagnosis"];
    if diagnosis.is_object() {
        let tasks = &diagnosis["tasks"];
        let text = format!(
            "{} · {} {} {} (SHA-256 {})",
            json_text(&diagnosis["year"]),
            l.t("任务清单", "tasks"),
            json_text(&tasks["id"]),
            json_text(&tasks["version"]),
            json_text(&tasks["sha256"])
        );
        rows.push(vec![Cell::text(l.t("诊断", "Diagnosis")), Cell::text(text)]);
    }
    html::table(out, "provenance", &[l.t("项目", "Field").to_string(), l.t("值", "Value").to_string()], &rows);
    let spec = serde_json::from_value::<Spec>(run["spec"].clone())
        .map(|s| s.to_toml())
        .unwrap_or_else(|_| serde_json::to_string_pretty(&run["spec"]).unwrap_or_default());
    let _ = writeln!(out, "<h3>{}</h3>\n<pre><code>{}</code></pre>", h(l.t("评价方法（spec）", "Spec")), h(&spec));
    let files = |key: &str, path: &str| -> Vec<Vec<Cell>> {
        run[key]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|i| vec![Cell::text(json_text(&i[path])), Cell::text(json_text(&i["sha256"]))])
                    .collect()
            })
            .unwrap_or_default()
    };
    let inputs = files("inputs", "path");
    if !inputs.is_empty() {
        let _ = writeln!(out, "<h3>{}</h3>", h(l.t("输入文件", "Inputs")));
        html::table(out, "inputs", &[l.t("文件", "File").to_string(), "SHA-256".to_string()], &inputs);
    }
    let outputs = files("outputs", "file");
    if !outputs.is_empty() {
        let _ = writeln!(out, "<h3>{}</h3>", h(l.t("输出文件", "Outputs")));
        html::table(out, "outputs", &[l.t("文件", "File").to_string(), "SHA-256".to_string()], &outputs);
    }
    let messages = |key: &str| -> Vec<String> {
        run[key].as_array().map(|a| a.iter().map(|w| json_text(&w["message"])).collect()).unwrap_or_default()
    };
    for (key, title) in [
        ("warnings", l.t("运行提示", "Warnings of the run")),
        ("issues", l.t("数据问题与说明", "Data issues and notes")),
    ] {
        let items = messages(key);
        if items.is_empty() {
            continue;
        }
        let _ = write!(out, "<h3>{} ({})</h3>\n<ul>", h(title), items.len());
        for item in items.iter().take(SHOWN) {
            let _ = write!(out, "<li>{}</li>", h(item));
        }
        if items.len() > SHOWN {
            let _ = write!(
                out,
                "<li>… {} {}</li>",
                items.len() - SHOWN,
                h(l.t("条未列出（见 run.json）", "more (see run.json)"))
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

/// The latest survey year and its dimensions, in the order of the table.
fn survey_year(model: &Model) -> Option<(i32, Vec<String>)> {
    let rows = model.survey.as_ref()?;
    let year = rows.iter().map(|r| r.year).max()?;
    let mut dimensions: Vec<String> = Vec::new();
    for r in rows.iter().filter(|r| r.year == year) {
        if !dimensions.contains(&r.dimension) {
            dimensions.push(r.dimension.clone());
        }
    }
    Some((year, dimensions))
}

fn survey(out: &mut String, model: &Model, l: &Labels) -> Result<()> {
    let (Some(rows), Some((year, dimensions))) = (&model.survey, survey_year(model)) else { return Ok(()) };
    let _ = writeln!(
        out,
        "<section class=\"survey\" id=\"survey\">\n<h2>{} {year}</h2>",
        h(l.t("满意度调查", "Satisfaction survey"))
    );
    let mut by_unit: BTreeMap<&str, HashMap<&str, f64>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.year == year) {
        if let Some(mean) = r.mean {
            by_unit.entry(r.unit.as_str()).or_default().insert(r.dimension.as_str(), mean);
        }
    }
    // Units in the report's order, then those only the survey has.
    let mut units: Vec<&str> = model.units.iter().map(String::as_str).filter(|u| by_unit.contains_key(u)).collect();
    units.extend(by_unit.keys().copied().filter(|u| !model.units.iter().any(|m| m == u)));
    let mut header = vec![l.t("单位", "Unit").to_string()];
    header.extend(dimensions.iter().cloned());
    header.push(l.t("各维度平均", "Mean of the dimensions").to_string());
    let mut bars = Vec::new();
    let table_rows: Vec<Vec<Cell>> = units
        .iter()
        .map(|u| {
            let means = &by_unit[u];
            let mut row = vec![Cell::text(*u)];
            for d in &dimensions {
                row.push(Cell::number(means.get(d.as_str()).map_or_else(|| "—".to_string(), |m| format!("{m:.1}"))));
            }
            let mean = means.values().sum::<f64>() / means.len() as f64;
            row.push(Cell::number(format!("{mean:.1}")));
            bars.push(Bar { label: (*u).to_string(), value: Some(mean), text: format!("{mean:.1}"), colour: BLUE });
            row
        })
        .collect();
    html::table(out, "survey", &header, &table_rows);
    let values: Vec<f64> = bars.iter().filter_map(|b| b.value).collect();
    let chart = charts::bars("survey", &bars, score_scale(&values), None, WIDE);
    html::figure(out, &chart, l.t("各维度平均得分（0–100）", "Mean of the dimension scores (0–100)"))?;
    if let Some(reliability) = &model.reliability {
        let rows: Vec<Vec<Cell>> = reliability
            .iter()
            .filter(|r| r.year == year)
            .map(|r| {
                vec![
                    Cell::text(r.dimension.clone()),
                    Cell::number(r.alpha.map_or_else(|| "—".into(), |a| format!("{a:.3}"))),
                ]
            })
            .collect();
        if !rows.is_empty() {
            let _ = writeln!(out, "<h3>{}</h3>", h(l.t("信度（Cronbach's α）", "Reliability (Cronbach's α)")));
            html::table(out, "reliability", &[l.t("维度", "Dimension").to_string(), "α".to_string()], &rows);
        }
    }
    out.push_str("</section>\n");
    Ok(())
}

fn absent_note(out: &mut String, l: &Labels) {
    html::note(out, "absent", l.t("无。", "None."));
}

fn unit_page(
    out: &mut String,
    model: &Model,
    l: &Labels,
    k: usize,
    unit: &str,
    trends: &HashMap<(&str, &str), &Trend>,
) -> Result<()> {
    let (year, s) = (model.year, &model.scores);
    let _ = writeln!(out, "<section class=\"unit\" id=\"{}\">\n<h2>{}</h2>", unit_id(k), h(unit));
    let rank = s.rank(unit, year, "index");
    let summary = match s.value(unit, year, "index") {
        Some(v) => format!(
            "{} {year}: {v:.2} · {} {}",
            l.node("index"),
            l.t("排名", "rank"),
            rank.map_or_else(|| "—".into(), |r| r.to_string())
        ),
        None => format!("{}{year}{}", l.t("无", "No index score in "), l.t("年综合指数得分", "")),
    };
    let _ = writeln!(
        out,
        "<p>{} · <a class=\"back\" href=\"#overview\">{}</a></p>",
        h(summary.trim()),
        h(l.t("返回总览", "back to the overview"))
    );

    // The radar of the groups against the median of the other units.
    let _ =
        writeln!(out, "<h3>{}</h3>", h(l.t("各维度与其他单位中位数", "Groups against the median of the other units")));
    let own: Vec<Option<f64>> = model.groups.iter().map(|g| s.value(unit, year, g)).collect();
    if model.groups.len() < 3 {
        html::note(out, "note", l.t("雷达图需要至少三个维度。", "A radar needs three groups or more."));
    } else if own.iter().all(Option::is_none) {
        html::note(out, "absent", &format!("{}{year}{}", l.t("无", "No group scores in "), l.t("年维度得分。", ".")));
    } else {
        let peers: Vec<Option<f64>> = model
            .groups
            .iter()
            .map(|g| {
                median(model.units.iter().filter(|u| u.as_str() != unit).filter_map(|u| s.value(u, year, g)).collect())
            })
            .collect();
        let all: Vec<f64> =
            model.groups.iter().flat_map(|g| model.units.iter().filter_map(move |u| s.value(u, year, g))).collect();
        let axes: Vec<String> = model.groups.iter().map(|g| l.node(g)).collect();
        let chart = charts::radar(
            &axes,
            &own,
            &peers,
            score_scale(&all),
            (unit, l.t("其他单位中位数", "median of the others")),
        );
        html::figure(out, &chart, &format!("{year} {}", l.t("维度得分", "group scores")))?;
    }

    // Indicators against their standards, coloured by warning level.
    if let Some(warnings) = &model.warnings {
        let _ = writeln!(out, "<h3>{} {year}</h3>", h(l.t("指标与标准", "Indicators against their standards")));
        let rows: Vec<_> = warnings.iter().filter(|w| w.unit == unit && w.year == year).collect();
        if rows.is_empty() {
            absent_note(out, l);
        } else {
            let bars: Vec<Bar> = rows
                .iter()
                .map(|w| Bar {
                    label: l.node(&w.indicator),
                    value: w.attainment,
                    text: format!(
                        "{} · {}",
                        w.value.map_or_else(|| "—".into(), short),
                        w.attainment.map_or_else(|| "—".into(), |a| format!("{:.0}%", a * 100.0))
                    ),
                    colour: level_colour(&w.level),
                })
                .collect();
            let values: Vec<f64> = rows.iter().filter_map(|w| w.attainment).collect();
            let chart = charts::bars("indicators", &bars, Scale::over(values, &[0.0, 1.0]), Some(1.0), WIDE);
            html::figure(
                out,
                &chart,
                l.t(
                    "达标度（1 = 达到标准，竖线），颜色为预警等级",
                    "Attainment (1 = the standard, the vertical line), coloured by warning level",
                ),
            )?;
            let header: Vec<String> =
                ["indicator", "value", "attainment", "level", "reason"].iter().map(|c| l.header(c)).collect();
            let table: Vec<Vec<Cell>> = rows
                .iter()
                .map(|w| {
                    let unit_of = l.unit_of(&w.indicator).map(|u| format!(" {u}")).unwrap_or_default();
                    vec![
                        Cell::text(l.node(&w.indicator)),
                        Cell::number(w.value.map_or_else(|| "—".into(), |v| format!("{}{unit_of}", number(v)))),
                        Cell::number(w.attainment.map_or_else(|| "—".into(), number)),
                        level_cell(&w.level, l),
                        Cell::text(w.reason.clone()),
                    ]
                })
                .collect();
            html::table(out, "indicators", &header, &table);
        }
    }

    // A sparkline per node with the trend verdict.
    let _ = write!(
        out,
        "<h3>{}</h3>\n<div class=\"sparklines\">",
        h(l.t("历年得分与趋势", "Scores over the years and their trend"))
    );
    let span = (*model.years.first().unwrap_or(&year), *model.years.last().unwrap_or(&year));
    for (node, _) in &model.nodes {
        let series: Vec<(i32, f64)> =
            model.years.iter().filter_map(|y| s.value(unit, *y, node).map(|v| (*y, v))).collect();
        if series.is_empty() {
            continue;
        }
        let chart = charts::sparkline(&series, span);
        let verdict = match (&model.trends, trends.get(&(unit, node.as_str()))) {
            (None, _) => String::new(),
            (Some(_), None) => format!(" <span class=\"badge unknown\">{}</span>", h(l.t("无趋势判断", "no verdict"))),
            (Some(_), Some(t)) => {
                let class = match t.verdict.as_str() {
                    "improving" | "worsening" | "no_clear_trend" | "too_short" => t.verdict.as_str(),
                    _ => "unknown",
                };
                let p = t.p.map(|p| format!(" (p = {p:.3})")).unwrap_or_default();
                format!(" <span class=\"badge {class}\">{}</span>{}", h(&l.verdict(&t.verdict)), h(&p))
            }
        };
        html::figure_html(out, &chart, &format!("{}{verdict}", h(&l.node(node))))?;
    }
    out.push_str("</div>\n");
    html::note(
        out,
        "note",
        l.t(
            "折线为得分（指标为标准化值，越高越好）；趋势判断为 Mann-Kendall 检验（指标按观测值）。",
            "Lines are scores (indicators: normalised values, higher is better); the verdict is the Mann-Kendall test (indicators on their observed values).",
        ),
    );

    // Progress to targets.
    if let Some(progress) = &model.progress {
        let _ = writeln!(out, "<h3>{}</h3>", h(l.t("目标进度", "Progress to targets")));
        let rows: Vec<_> = progress.iter().filter(|p| p.unit == unit).collect();
        if rows.is_empty() {
            absent_note(out, l);
        } else {
            let bars: Vec<Bar> = rows
                .iter()
                .map(|p| {
                    let projected = match (p.projected_year, p.on_track) {
                        (Some(y), _) => format!("{}{y}", l.t("预计达标 ", "reached ")),
                        (None, Some(true)) => l.t("已达标", "reached").to_string(),
                        _ => l.t("按当前趋势不达标", "not reached at this trend").to_string(),
                    };
                    Bar {
                        label: l.node(&p.indicator),
                        value: p.progress.map(|x| (x * 100.0).clamp(-100.0, 200.0)),
                        text: format!(
                            "{} · {projected}",
                            p.progress.map_or_else(|| "—".into(), |x| format!("{:.0}%", x * 100.0))
                        ),
                        colour: match p.on_track {
                            Some(true) => GREEN,
                            Some(false) => RED,
                            None => GREY,
                        },
                    }
                })
                .collect();
            let values: Vec<f64> = bars.iter().filter_map(|b| b.value).collect();
            let chart = charts::bars("progress", &bars, Scale::over(values, &[0.0, 100.0]), Some(100.0), WIDE);
            html::figure(
                out,
                &chart,
                l.t(
                    "基期至目标距离的完成比例（100% = 达到目标，竖线）；绿色按期，红色滞后",
                    "Share of the baseline-to-target distance covered (100% = the target, the vertical line); green on track, red behind",
                ),
            )?;
            let header: Vec<String> =
                ["indicator", "baseline", "latest", "target", "deadline", "progress", "projected_year", "pace_label"]
                    .iter()
                    .map(|c| l.header(c))
                    .collect();
            let with_year = |v: Option<f64>, y: Option<i32>| match (v, y) {
                (Some(v), Some(y)) => format!("{} ({y})", number(v)),
                (Some(v), None) => number(v),
                _ => "—".to_string(),
            };
            let table: Vec<Vec<Cell>> = rows
                .iter()
                .map(|p| {
                    vec![
                        Cell::text(l.node(&p.indicator)),
                        Cell::number(with_year(p.baseline, p.baseline_year)),
                        Cell::number(with_year(p.latest, p.latest_year)),
                        Cell::number(p.target.map_or_else(|| "—".into(), number)),
                        Cell::number(p.deadline.map_or_else(|| "—".into(), |d| d.to_string())),
                        Cell::number(p.progress.map_or_else(|| "—".into(), |x| format!("{:.0}%", x * 100.0))),
                        Cell::number(p.projected_year.map_or_else(|| "—".into(), |y| y.to_string())),
                        Cell::text(p.pace_label.clone()),
                    ]
                })
                .collect();
            html::table(out, "progress", &header, &table);
        }
    }

    // The obstacle Pareto.
    if let Some(obstacles) = &model.obstacles {
        let _ = writeln!(out, "<h3>{} {year}</h3>", h(l.t("障碍因子", "Obstacles")));
        let mut items: Vec<(String, f64)> = obstacles
            .iter()
            .filter(|o| o.unit == unit && o.year == year)
            .filter_map(|o| o.obstacle.map(|x| (l.node(&o.node), x)))
            .collect();
        if items.is_empty() {
            absent_note(out, l);
        } else {
            items.sort_by(|a, b| b.1.total_cmp(&a.1));
            let chart = charts::pareto(&items, WIDE, l.t("累计", "cumulative"));
            html::figure(
                out,
                &chart,
                l.t(
                    "障碍度（%），由大到小；红线为累计占比",
                    "Obstacle degree (%), largest first; the red line is the cumulative share",
                ),
            )?;
        }
    }

    listing_section(out, l, unit, model.ledger.as_ref(), l.t("问题台账", "Problem ledger"), "ledger");
    listing_section(out, l, unit, model.recheck.as_ref(), l.t("复查", "Re-check"), "recheck");
    listing_section(out, l, unit, model.reserve.as_ref(), l.t("项目储备库", "Project reserve"), "reserve");

    // The unit's survey dimensions.
    if let (Some(rows), Some((survey_year, dimensions))) = (&model.survey, survey_year(model)) {
        let _ = writeln!(out, "<h3>{} {survey_year}</h3>", h(l.t("满意度调查", "Satisfaction survey")));
        let bars: Vec<Bar> = dimensions
            .iter()
            .filter_map(|d| rows.iter().find(|r| r.unit == unit && r.year == survey_year && &r.dimension == d))
            .map(|r| {
                let interval = match (r.ci_low, r.ci_high) {
                    (Some(a), Some(b)) => format!(" ({a:.1}–{b:.1})"),
                    _ => String::new(),
                };
                Bar {
                    label: r.dimension.clone(),
                    value: r.mean,
                    text: format!("{}{interval}", r.mean.map_or_else(|| "—".into(), |m| format!("{m:.1}"))),
                    colour: BLUE,
                }
            })
            .collect();
        if bars.is_empty() {
            absent_note(out, l);
        } else {
            let values: Vec<f64> = bars.iter().filter_map(|b| b.value).collect();
            let chart = charts::bars("survey-unit", &bars, score_scale(&values), None, WIDE);
            html::figure(out, &chart, l.t("各维度得分与 95% 置信区间", "Dimension scores and their 95% intervals"))?;
        }
    }
    out.push_str("</section>\n");
    Ok(())
}

/// A warning level in words, in its colour.
fn level_cell(level: &str, l: &Labels) -> Cell {
    match level {
        "red" => Cell::text(l.level(level)).with_class("red"),
        "yellow" => Cell::text(l.level(level)).with_class("yellow"),
        "green" => Cell::text(l.level(level)).with_class("green"),
        other => Cell::text(other),
    }
}

/// A unit's rows of a listing (ledger, re-check, reserve) under `title`.
fn listing_section(out: &mut String, l: &Labels, unit: &str, listing: Option<&Listing>, title: &str, class: &str) {
    let Some(listing) = listing else { return };
    let _ = writeln!(out, "<h3>{}</h3>", h(title));
    let rows: Vec<Vec<Cell>> = listing
        .rows
        .iter()
        .filter(|(u, _)| u == unit)
        .map(|(_, cells)| {
            cells
                .iter()
                .zip(&listing.columns)
                .map(|(value, (_, kind))| match (value, kind) {
                    (Value::Empty, _) => Cell::text(""),
                    (Value::Number(x), _) => Cell::number(number(*x)),
                    (Value::Text(t), Kind::Node) => Cell::text(l.node(t)),
                    (Value::Text(t), Kind::Nodes) => {
                        let sep = l.t("、", ", ");
                        Cell::text(t.split(';').map(|n| l.node(n.trim())).collect::<Vec<_>>().join(sep))
                    }
                    (Value::Text(t), Kind::Level) => level_cell(t, l),
                    (Value::Text(t), _) => Cell::text(t.clone()),
                })
                .collect()
        })
        .collect();
    if rows.is_empty() {
        absent_note(out, l);
        return;
    }
    let header: Vec<String> = listing.columns.iter().map(|(name, _)| l.header(name)).collect();
    html::table(out, class, &header, &rows);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_rank_changes() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(vec![f64::NAN]), None);
        assert_eq!(rank_change(Some(5), Some(2)).text, "▲3");
        assert_eq!(rank_change(Some(2), Some(5)).text, "▼3");
        assert_eq!(rank_change(None, Some(5)).text, "—");
        assert_eq!(number(0.33333), "0.333");
        assert_eq!(number(29.5639), "29.56");
        assert_eq!(number(12055.68), "12055.7");
        assert_eq!(number(5.0), "5");
    }
}
