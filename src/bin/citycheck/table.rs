//! Plain-text tables for the terminal (CJK characters count two columns).

use std::fmt::Write;

use polars::prelude::*;

use citycheck::assess::{AssessRow, Assessment};
use citycheck::catalog::{Direction, NodeKind};
use citycheck::evaluate::{note_cell, summary_columns, Evaluation};
use citycheck::panel::NamedSeries;
use citycheck::recheck::{Recheck, RecheckCounts, UnitSummary};
use citycheck::trend::{summarize_with, TrendOptions};
use citycheck::{Catalog, Error, Scores};

fn width(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 }).sum()
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// Rank, unit, index and top-level group scores of `year` (`None`: the latest year).
/// Units shown in the terminal ranking; scores.csv holds every unit.
const SHOWN_ROWS: usize = 50;

pub fn year_table(scores: &Scores, year: Option<i32>) -> String {
    let mut out = String::new();
    let Some(year) = year.or_else(|| (0..scores.rows()).map(|r| scores.year(r)).max()) else {
        return "no scores\n".into();
    };
    let tree = scores.tree();
    let groups: Vec<usize> = tree.root().children.clone();
    let mut rows: Vec<usize> = (0..scores.rows()).filter(|&r| scores.year(r) == year).collect();
    rows.sort_by_key(|&r| scores.rank(r, 0).unwrap_or(u32::MAX));
    let unit_w = rows.iter().map(|&r| width(scores.unit(r))).max().unwrap_or(4).max(4);
    let _ = writeln!(out, "Check-up scores, {year} (rank 1 = best)");
    let mut header = format!("{:>4}  {}  {:>7}", "rank", pad("unit", unit_w), "index");
    for &g in &groups {
        let _ = write!(header, "  {:>10}", tree.node(g).id);
    }
    let _ = writeln!(out, "{header}");
    let fmt = |v: f64| {
        if v.is_nan() {
            "—".to_string()
        } else {
            format!("{v:.2}")
        }
    };
    let more = rows.len().saturating_sub(SHOWN_ROWS);
    for r in rows.into_iter().take(SHOWN_ROWS) {
        let rank = scores.rank(r, 0).map_or("—".to_string(), |k| k.to_string());
        let mut line = format!("{rank:>4}  {}  {:>7}", pad(scores.unit(r), unit_w), fmt(scores.value(r, 0)));
        for &g in &groups {
            let _ = write!(line, "  {:>10}", fmt(scores.value(r, g)));
        }
        let _ = writeln!(out, "{line}");
    }
    if more > 0 {
        let _ = writeln!(out, "  … and {more} more unit(s): scores.csv has every unit");
    }
    let mut absent: Vec<&str> = (0..scores.rows()).map(|r| scores.unit(r)).collect();
    absent.sort_unstable();
    absent.dedup();
    absent.retain(|u| !(0..scores.rows()).any(|r| scores.year(r) == year && scores.unit(r) == *u));
    if !absent.is_empty() {
        let _ = writeln!(out, "no data for {year}: {}", absent.join(", "));
    }
    out
}

/// The groups and indicators of a catalogue.
pub fn catalog(c: &Catalog) -> String {
    let mut out = String::new();
    let m = c.meta();
    let _ = writeln!(out, "{} — {} (version {})", m.id, m.name, m.version);
    if let Some(d) = &m.description {
        let _ = writeln!(out, "{}", d.trim());
    }
    let tree = c.tree(|_, _| true);
    fn walk(tree: &citycheck::catalog::Tree, c: &Catalog, n: usize, depth: usize, out: &mut String) {
        let node = tree.node(n);
        let indent = "  ".repeat(depth);
        match node.kind {
            NodeKind::Index => {}
            NodeKind::Group => {
                let g = c.group(&node.id).expect("tree groups come from the catalogue");
                let _ = writeln!(out, "{indent}[{}] {} / {}", g.id, g.name_zh, g.name_en);
            }
            NodeKind::Indicator => {
                let i = c.indicator(&node.id).expect("tree indicators come from the catalogue");
                let dir = i.direction.map(|d| format!("{d:?}").to_lowercase()).unwrap_or_default();
                let std = match &i.standard {
                    Some(s) => {
                        let mut parts: Vec<String> = s.value.iter().map(|v| v.to_string()).collect();
                        parts.extend(s.by_unit.iter().map(|(u, v)| format!("{u} {v}")));
                        if parts.is_empty() {
                            parts.push("collective".into());
                        }
                        let deadline = s.deadline.map(|d| format!(" by {d}")).unwrap_or_default();
                        format!("  standard {}{deadline}", parts.join(", "))
                    }
                    None => String::new(),
                };
                let _ = writeln!(out, "{indent}{} {} ({}, {dir}){std}", i.id, i.name_zh, i.unit);
            }
        }
        for &child in &node.children {
            walk(tree, c, child, depth + usize::from(node.kind != NodeKind::Index), out);
        }
    }
    walk(&tree, c, 0, 0, &mut out);
    let context: Vec<&str> = c.indicators().iter().filter(|i| !i.is_scored()).map(|i| i.id.as_str()).collect();
    if !context.is_empty() {
        let _ = writeln!(out, "context variables (not scored): {}", context.join(", "));
    }
    let _ = writeln!(out, "status of the indicators: {}", c.indicator_status(false));
    let _ = writeln!(out, "status of the scored indicators: {}", c.indicator_status(true));
    let _ = writeln!(out, "status of the groups: {}", c.group_status());
    out
}

/// The evaluation in a few lines: verdict counts, the index trend per unit, targets and red
/// warnings.
pub fn evaluation(e: &Evaluation) -> String {
    let mut out = String::new();
    let s = e.summary();
    let _ = writeln!(out, "\nFive-year evaluation {}–{} (α = {})", e.from, e.to, e.alpha);
    for note in &e.notes {
        let _ = writeln!(out, "note: {note}");
    }
    let _ = writeln!(
        out,
        "{} series: {} improving, {} worsening; targets: {} on track, {} off track; warnings: {} red, {} yellow, {} green",
        s.trends, s.improving, s.worsening, s.on_track, s.off_track, s.warnings_red, s.warnings_yellow, s.warnings_green
    );
    let index: Vec<_> = e.trends.iter().filter(|t| t.kind == NodeKind::Index).collect();
    if !index.is_empty() {
        let unit_w = index.iter().map(|t| width(&t.unit)).max().unwrap_or(4).max(4);
        let _ = writeln!(out, "{}  {:>5}  {:>9}  {:>8}  verdict", pad("unit", unit_w), "n", "sen/yr", "rank Δ");
        for t in index {
            let slope = t.summary.sen_slope.map_or("—".into(), |v| format!("{v:+.2}"));
            let delta = match (t.start_rank, t.end_rank) {
                (Some(a), Some(b)) => format!("{:+}", i64::from(a) - i64::from(b)),
                _ => "—".into(),
            };
            let _ = writeln!(
                out,
                "{}  {:>5}  {:>9}  {:>8}  {}",
                pad(&t.unit, unit_w),
                t.summary.n,
                slope,
                delta,
                t.summary.verdict.as_str()
            );
        }
    }
    out
}

/// The re-check (复查): with more than two ledger years, first every re-checked year's totals
/// over the units; then the last ledger year against the previous one, per unit — the counts,
/// 整改率 (rectification rate = resolved ÷ carried over) and 销号率 (closure rate = closed ÷
/// listed) in % — and the total over the units; recheck_summary.csv has every unit and year.
pub fn recheck(r: &Recheck) -> String {
    let mut out = String::new();
    let (Some(&last), Some(&previous)) = (r.years.last(), r.years.iter().rev().nth(1)) else {
        return out;
    };
    let total_of = |year: i32| {
        let mut total = RecheckCounts::default();
        for s in r.summary.iter().filter(|s| s.year == year) {
            let c = &s.counts;
            total.carried_over += c.carried_over;
            total.resolved += c.resolved;
            total.persisting += c.persisting;
            total.not_assessed += c.not_assessed;
            total.new += c.new;
            total.recurring += c.recurring;
            total.listed += c.listed;
            total.closed += c.closed;
        }
        total
    };
    let header = |first: &str, w: usize| {
        format!(
            "{}  {:>7}  {:>8}  {:>10}  {:>12}  {:>4}  {:>9}  {:>13}  {:>7}",
            pad(first, w),
            "carried",
            "resolved",
            "persisting",
            "not_assessed",
            "new",
            "recurring",
            "rectification",
            "closure"
        )
    };
    let percent = |x: Option<f64>| x.map_or_else(|| "—".to_string(), |v| format!("{:.1}%", 100.0 * v));
    let line = |first: &str, w: usize, c: &RecheckCounts| {
        format!(
            "{}  {:>7}  {:>8}  {:>10}  {:>12}  {:>4}  {:>9}  {:>13}  {:>7}",
            pad(first, w),
            c.carried_over,
            c.resolved,
            c.persisting,
            c.not_assessed,
            c.new,
            c.recurring,
            percent(c.rectification_rate()),
            percent(c.closure_rate())
        )
    };
    if r.years.len() > 2 {
        let _ = writeln!(
            out,
            "\nRe-check by year (复查), all units ({} ledger years; recheck_summary.csv has every unit and \
             year)",
            r.years.len()
        );
        let _ = writeln!(out, "{}", header("years", 11));
        for pair in r.years.windows(2) {
            let _ = writeln!(out, "{}", line(&format!("{} → {}", pair[0], pair[1]), 11, &total_of(pair[1])));
        }
    }
    let rows: Vec<&UnitSummary> = r.summary.iter().filter(|s| s.year == last).collect();
    let unit_w = rows.iter().map(|s| width(&s.unit)).max().unwrap_or(5).max(5);
    let _ = writeln!(
        out,
        "\nRe-check {previous} → {last} (复查): rectification (整改率) = resolved ÷ carried over, closure (销号率) = \
         closed ÷ listed"
    );
    let _ = writeln!(out, "{}", header("unit", unit_w));
    for s in rows.iter().take(SHOWN_ROWS) {
        let _ = writeln!(out, "{}", line(s.unit.as_str(), unit_w, &s.counts));
    }
    if rows.len() > SHOWN_ROWS {
        let _ = writeln!(out, "  … and {} more unit(s): recheck_summary.csv has every unit", rows.len() - SHOWN_ROWS);
    }
    let _ = writeln!(out, "{}", line("all", unit_w, &total_of(last)));
    out
}

/// The published ranking (通报) of the last assessed year: rank, unit, score, rank change and
/// incentive tier (以奖代补); assessment_ranking.csv has every year.
pub fn assessment(a: &Assessment) -> String {
    let mut out = String::new();
    let Some(last) = a.rows.iter().filter(|r| r.rank.is_some()).map(|r| r.year).max() else {
        return out;
    };
    let rows: Vec<&AssessRow> = a.rows.iter().filter(|r| r.year == last && r.rank.is_some()).collect();
    let unit_w = rows.iter().map(|r| width(&r.unit)).max().unwrap_or(4).max(4);
    let _ = writeln!(
        out,
        "\nAnnual assessment {last} (年度考核评估, 通报): incentive (以奖代补) {}",
        a.incentive.describe()
    );
    let _ = writeln!(out, "{:>4}  {}  {:>7}  {:>6}  tier", "rank", pad("unit", unit_w), "score", "change");
    for r in rows.iter().take(SHOWN_ROWS) {
        let _ = writeln!(
            out,
            "{:>4}  {}  {:>7}  {:>6}  {}",
            r.rank.map_or_else(|| "—".to_string(), |k| k.to_string()),
            pad(&r.unit, unit_w),
            r.score.map_or_else(|| "—".to_string(), |s| format!("{s:.2}")),
            r.rank_change.map_or_else(|| "—".to_string(), |c| format!("{c:+}")),
            r.tier.map_or("—", |t| t.as_str())
        );
    }
    if rows.len() > SHOWN_ROWS {
        let _ =
            writeln!(out, "  … and {} more unit(s): assessment_ranking.csv has every unit", rows.len() - SHOWN_ROWS);
    }
    out
}

/// `citycheck trend`: one CSV row per series — series, then n … verdict and note.
pub fn trends_csv(
    series: &[NamedSeries],
    alpha: f64,
    better: Direction,
    options: TrendOptions,
) -> citycheck::Result<String> {
    let summaries = series
        .iter()
        .map(|s| {
            summarize_with(&s.t, &s.y, alpha, better, options).map_err(|e| match e {
                Error::Spec(m) => Error::Spec(format!("series '{}': {m}", s.name)),
                other => other,
            })
        })
        .collect::<citycheck::Result<Vec<_>>>()?;
    // Names a spreadsheet would run as a formula get a leading ' (CSV injection).
    let names: Vec<String> = series.iter().map(|s| citycheck::io::neutralize_formula(&s.name).into_owned()).collect();
    let mut columns = vec![Column::new("series".into(), names)];
    columns.extend(summary_columns(summaries.iter()));
    columns.push(Column::new("note".into(), summaries.iter().map(|s| note_cell(&s.notes)).collect::<Vec<_>>()));
    let to_error = |e: PolarsError| Error::Spec(format!("cannot write the trend table: {e}"));
    let mut df = DataFrame::new_infer_height(columns).map_err(to_error)?;
    let mut buffer = Vec::new();
    CsvWriter::new(&mut buffer).include_header(true).finish(&mut df).map_err(to_error)?;
    // Cannot fail: polars writes CSV from UTF-8 strings and numbers only.
    Ok(String::from_utf8(buffer).expect("CSV output is UTF-8"))
}
