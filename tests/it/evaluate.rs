//! The five-year evaluation: trend summaries and verdicts, progress to targets, warnings, and
//! the evaluation of the embedded Liaoning example. Hand calculations are written out; the
//! trend kernels themselves are tested against published values in `trend.rs`.

use citycheck::catalog::Direction;
use citycheck::checkup::Scope;
use citycheck::evaluate::{alert, evaluate, progress, EvaluateOptions, Level, Pace, PaceCutoffs};
use citycheck::run::RunConfig;
use citycheck::trend::{summarize, Verdict};
use citycheck::Catalog;

use crate::prec::{assert_close, EXACT, HAND};

const YEARS: [f64; 5] = [2021.0, 2022.0, 2023.0, 2024.0, 2025.0];

/// y = 60 62 61 65 67 over 2021–2025, higher is better.
/// ```text
/// t − t̄ = −2 −1 0 1 2   y − ȳ = −3 −1 −2 2 4   (t̄ = 2023, ȳ = 63)
/// S_tt = 10, S_ty = 6 + 1 + 0 + 2 + 8 = 17, S_yy = 9 + 1 + 4 + 4 + 16 = 34
/// b = 1.7, a = 63 − 1.7·2023 = −3376.1, R² = 17²/(10·34) = 0.85
/// SSE = 34 − 1.7·17 = 5.1, se = √(5.1/3/10) = √0.17
/// S: nine pairs up, (62, 61) down → S = 8; Var = 5·4·15/18 = 50/3; Z = 7/√(50/3); τ = 0.8
/// exact two-sided p = 2·P(S ≥ 8) = 2·(1 + 4)/120 = 1/12   (Kendall's table, n = 5)
/// slopes: −1, 0.5, 1.5, 5/3, 5/3, 1.75, 2, 2, 3, 4 → Sen = (5/3 + 1.75)/2 = 41/24
/// C = 1.959964·√(50/3) = 8.0016; M1 = round(0.9992) = 1, M2 = round(10.0008) = 10 → [−1, 4]
/// ```
/// scipy.stats.linregress gives the same b, a, se and p = 0.025864584 (Student t, 3 df);
/// pymannkendall 1.4.3 the same S, Var, Z, τ and Sen slope (its p, 0.0864, is the normal
/// approximation).
#[test]
fn five_checkups_by_hand() {
    let y = [60.0, 62.0, 61.0, 65.0, 67.0];
    let s = summarize(&YEARS, &y, 0.05, Direction::Higher).unwrap();
    assert_eq!(s.n, 5);
    assert_eq!((s.first_year, s.last_year), (Some(2021.0), Some(2025.0)));
    assert_eq!((s.start_value, s.end_value, s.change), (Some(60.0), Some(67.0), Some(7.0)));
    assert_close(s.rel_change.unwrap(), 7.0 / 60.0, EXACT, "relative change");
    assert_close(s.cagr.unwrap(), (67.0f64 / 60.0).powf(0.25) - 1.0, HAND, "cagr");
    assert_close(s.ols_slope.unwrap(), 1.7, HAND, "OLS slope");
    assert_close(s.ols_intercept.unwrap(), -3376.1, 1e-8, "OLS intercept");
    assert_close(s.ols_r2.unwrap(), 0.85, HAND, "R²");
    assert_close(s.ols_se.unwrap(), 0.17f64.sqrt(), HAND, "slope se");
    assert_close(s.ols_p.unwrap(), 0.02586458407871881, 1e-9, "OLS p (scipy)");
    let half = 3.182446305284263 * 0.17f64.sqrt(); // t_{0.975, 3}
    assert_close(s.ols_ci_low.unwrap(), 1.7 - half, 1e-9, "OLS CI low");
    assert_close(s.ols_ci_high.unwrap(), 1.7 + half, 1e-9, "OLS CI high");
    assert_eq!(s.mk_s, Some(8));
    assert_close(s.mk_var_s.unwrap(), 50.0 / 3.0, EXACT, "Var(S)");
    assert_close(s.mk_z.unwrap(), 7.0 / (50.0f64 / 3.0).sqrt(), EXACT, "Z");
    assert_close(s.mk_tau.unwrap(), 0.8, EXACT, "tau");
    assert_close(s.mk_p.unwrap(), 1.0 / 12.0, EXACT, "exact p");
    assert_eq!(s.mk_p_method, Some("exact"));
    assert_close(s.sen_slope.unwrap(), 41.0 / 24.0, EXACT, "Sen slope");
    assert_close(s.sen_intercept.unwrap(), 62.0 - 41.0 / 24.0 * 2023.0, 1e-9, "Sen intercept");
    assert_eq!((s.sen_ci_low, s.sen_ci_high), (Some(-1.0), Some(4.0)));
    // p = 1/12: not significant at 0.05, significant at 0.10.
    assert_eq!(s.verdict, Verdict::NoClearTrend);
    assert_eq!(summarize(&YEARS, &y, 0.10, Direction::Higher).unwrap().verdict, Verdict::Improving);
    assert_eq!(summarize(&YEARS, &y, 0.10, Direction::Lower).unwrap().verdict, Verdict::Worsening);
    assert!(s.notes.is_empty(), "nothing is missing: {:?}", s.notes);
}

#[test]
fn short_series_are_never_over_claimed() {
    // n = 0 (all missing), 1, 2: what can be computed is, the rest is empty with a reason.
    let none = summarize(&YEARS[..2], &[f64::NAN, f64::NAN], 0.05, Direction::Higher).unwrap();
    assert_eq!((none.n, none.verdict, none.start_value), (0, Verdict::TooShort, None));
    assert!(none.notes[0].contains("no observation"));
    let one = summarize(&YEARS[..1], &[5.0], 0.05, Direction::Higher).unwrap();
    assert_eq!((one.n, one.start_value, one.change, one.verdict), (1, Some(5.0), None, Verdict::TooShort));
    let two = summarize(&YEARS[..2], &[5.0, 6.0], 0.05, Direction::Higher).unwrap();
    assert_eq!((two.change, two.ols_slope, two.sen_slope), (Some(1.0), Some(1.0), Some(1.0)));
    assert_eq!((two.ols_se, two.ols_p, two.mk_s, two.sen_ci_low), (None, None, None, None));
    assert_eq!(two.verdict, Verdict::TooShort);
    assert!(two.notes.iter().any(|n| n.contains("Mann-Kendall needs 3 points")), "{:?}", two.notes);

    // n = 3 and 4, perfectly monotone: the smallest two-sided p is 2/3! and 2/4! = 1/3, 1/12,
    // so at α = 0.05 no test is possible: too_short, never "no clear trend".
    for n in [3, 4] {
        let s = summarize(&YEARS[..n], &[1.0, 2.0, 3.0, 4.0][..n], 0.05, Direction::Higher).unwrap();
        assert_eq!(s.verdict, Verdict::TooShort, "n = {n}");
        assert!(s.notes.iter().any(|m| m.contains("smallest attainable")), "{:?}", s.notes);
    }
    // At α = 0.1, four monotone points (p = 1/12) are enough.
    let four = summarize(&YEARS[..4], &[1.0, 2.0, 3.0, 4.0], 0.1, Direction::Higher).unwrap();
    assert_eq!(four.verdict, Verdict::Improving);
    // Five monotone points reach the smallest two-sided p, 2/120.
    let five = summarize(&YEARS, &[9.0, 7.0, 6.0, 4.0, 3.0], 0.05, Direction::Lower).unwrap();
    assert_eq!((five.verdict, five.mk_p), (Verdict::Improving, Some(1.0 / 60.0)));
}

#[test]
fn constant_gapped_tied_and_banded_series() {
    let flat = summarize(&YEARS, &[3.0; 5], 0.05, Direction::Higher).unwrap();
    assert_eq!((flat.ols_slope, flat.ols_r2, flat.mk_s, flat.cagr), (Some(0.0), None, Some(0), Some(0.0)));
    assert_eq!(flat.verdict, Verdict::NoClearTrend);
    assert!(flat.notes.iter().any(|n| n.contains("constant")));

    // Gaps: real years. 10 → 14 over 2021, 2023, 2025 (2022 and 2024 missing): slope 1 a year.
    let gapped = summarize(&YEARS, &[10.0, f64::NAN, 12.0, f64::NAN, 14.0], 0.05, Direction::Higher).unwrap();
    assert_eq!((gapped.n, gapped.ols_slope, gapped.sen_slope), (3, Some(1.0), Some(1.0)));
    assert_close(gapped.cagr.unwrap(), 1.4f64.powf(0.25) - 1.0, HAND, "cagr over 4 years");

    // Ties: said in the notes, p still exact over the tie groups.
    let tied = summarize(&YEARS, &[1.0, 2.0, 2.0, 3.0, 4.0], 0.05, Direction::Higher).unwrap();
    assert_eq!(tied.mk_p_method, Some("exact"));
    assert!(tied.notes.iter().any(|n| n.contains("ties")));

    // Zero start: no relative change or CAGR, with reasons.
    let zero = summarize(&YEARS[..3], &[0.0, 1.0, 2.0], 0.05, Direction::Higher).unwrap();
    assert_eq!((zero.rel_change, zero.cagr), (None, None));
    assert!(zero.notes.iter().any(|n| n.contains("cagr undefined")));

    // A band [40, 60]: moving into it from above improves even though the values fall.
    let band = Direction::Band([40.0, 60.0]);
    let into = summarize(&YEARS, &[80.0, 75.0, 70.0, 66.0, 61.0], 0.05, band).unwrap();
    assert_eq!(into.verdict, Verdict::Improving);
    let away = summarize(&YEARS, &[41.0, 38.0, 35.0, 30.0, 25.0], 0.05, band).unwrap();
    // Distances 0, 2, 5, 10, 15: strictly rising after the first → S = 10, worsening.
    assert_eq!(away.verdict, Verdict::Worsening);
    assert!(summarize(&YEARS, &[1.0; 5], 1.5, Direction::Higher).is_err(), "alpha outside (0, 1)");
}

#[test]
fn progress_to_targets_by_hand() {
    let cut = PaceCutoffs::default();
    // Lower is better: 40 → 34 → 30 over 2021–2023, target 20 by 2025.
    // distance −20, covered −10: progress 0.5. OLS: t̄ = 2022, ȳ = 104/3, S_ty = −10, S_tt = 2,
    // b = −5; at 2025: 104/3 − 15 = 59/3 ≤ 20 → on track. Crossing 2022 + (104/3 − 20)/5 =
    // 2024.93 → 2025.
    // Required per year: −20/4 = −5; pace = −5/−5 = 1 → on_track.
    let p = progress(&YEARS[..3], &[40.0, 34.0, 30.0], 20.0, Some(2025), Direction::Lower, &cut).unwrap().unwrap();
    assert_close(p.progress.unwrap(), 0.5, EXACT, "progress");
    assert_close(p.anticipated.unwrap(), 59.0 / 3.0, 1e-9, "anticipated");
    assert_eq!((p.on_track, p.projected_year, p.pace_label), (Some(true), Some(2025), Some(Pace::OnTrack)));
    assert_close(p.pace.unwrap(), 1.0, 1e-12, "pace");

    // Moving away from the target: never reached, off track, worsening, negative progress.
    let away = progress(&YEARS[..3], &[50.0, 48.0, 45.0], 60.0, Some(2025), Direction::Higher, &cut).unwrap().unwrap();
    assert_eq!((away.projected_year, away.on_track, away.pace_label), (None, Some(false), Some(Pace::Worsening)));
    assert_close(away.progress.unwrap(), -0.5, EXACT, "regress: (45 − 50)/(60 − 50)");
    assert!(away.notes.iter().any(|n| n.contains("never reached")));

    // Baseline already meets the target: no distance, so no progress or pace; on track if the
    // latest still meets it.
    let met = progress(&YEARS[..2], &[95.0, 97.0], 90.0, Some(2025), Direction::Higher, &cut).unwrap().unwrap();
    assert_eq!((met.progress, met.pace, met.on_track, met.projected_year), (None, None, Some(true), Some(2022)));

    // Deadline passed, target missed.
    let late =
        progress(&YEARS, &[1.0, 2.0, 3.0, 4.0, 5.0], 10.0, Some(2024), Direction::Higher, &cut).unwrap().unwrap();
    assert_eq!(late.on_track, Some(false));
    assert!(late.notes.iter().any(|n| n.contains("deadline 2024 has passed")));
    // No deadline: progress and projection, but neither on_track nor pace.
    let open = progress(&YEARS[..2], &[1.0, 2.0], 10.0, None, Direction::Higher, &cut).unwrap().unwrap();
    assert_eq!((open.on_track, open.pace, open.projected_year), (None, None, Some(2030)));
    // One observation: neither progress nor trend; none at all: None.
    let single = progress(&YEARS[..1], &[1.0], 10.0, Some(2025), Direction::Higher, &cut).unwrap().unwrap();
    assert_eq!((single.progress, single.anticipated, single.on_track), (None, None, Some(false)));
    assert_eq!(progress(&YEARS[..1], &[f64::NAN], 10.0, None, Direction::Higher, &cut).unwrap(), None);
    // Labels at the cut-offs, and bad input.
    assert_eq!(
        (cut.label(0.5), cut.label(0.49), cut.label(0.0)),
        (Pace::ModeratelyImproving, Pace::Stagnating, Pace::Worsening)
    );
    assert!(progress(&YEARS[..2], &[1.0, 2.0], 3.0, None, Direction::Band([1.0, 2.0]), &cut).is_err());
    assert!(progress(&[2021.5, 2022.0], &[1.0, 2.0], 3.0, None, Direction::Higher, &cut).is_err());
    let bad = PaceCutoffs { on_track: 0.4, moderate: 0.5 };
    assert!(progress(&YEARS[..2], &[1.0, 2.0], 3.0, None, Direction::Higher, &bad).is_err());
}

fn catalog_with_standards() -> Catalog {
    Catalog::from_toml(
        r#"
        [catalog]
        id = "warnings-test"
        name = "warnings test"
        version = "1"
        [[groups]]
        id = "safety"
        name_zh = "安全"
        name_en = "safety"
        [[indicators]]
        id = "parks"
        name_zh = "公园绿化活动场地服务半径覆盖率"
        name_en = "park coverage"
        group = "safety"
        unit = "%"
        direction = "higher"
        standard = { value = 80.0, deadline = 2025, by_unit = { "沈阳市" = 90.0 } }
        warning = { yellow = 0.95 }
        [[indicators]]
        id = "hazards"
        name_zh = "城市内涝积水点数量"
        name_en = "waterlogging points"
        group = "safety"
        unit = "个"
        type = "bottom_line"
        direction = "lower"
        standard = { value = 10.0 }
        [[indicators]]
        id = "no_standard"
        name_zh = "无标准"
        name_en = "no standard"
        group = "safety"
        unit = "%"
        direction = "higher"
        "#,
        "warnings-test.toml",
    )
    .unwrap()
}

#[test]
fn warning_levels_and_reasons() {
    let catalog = catalog_with_standards();
    let parks = catalog.indicator("parks").unwrap();
    let hazards = catalog.indicator("hazards").unwrap();
    // Per-unit standard: 沈阳市 90, others 80. 77/80 = 0.9625 ≥ 0.95 → yellow; 77/90 < 0.95 → red.
    let a = alert(parks, "鞍山市", 77.0, false).unwrap().unwrap();
    assert_eq!(a.level, Level::Yellow);
    assert_close(a.attainment, 77.0 / 80.0, EXACT, "attainment");
    assert_eq!(alert(parks, "沈阳市", 77.0, false).unwrap().unwrap().level, Level::Red);
    assert_eq!(alert(parks, "鞍山市", 80.0, false).unwrap().unwrap().level, Level::Green);
    // A worsening trend raises one level, and says so.
    let raised = alert(parks, "鞍山市", 80.0, true).unwrap().unwrap();
    assert_eq!(raised.level, Level::Yellow);
    assert!(raised.reason.contains("worsening"), "{}", raised.reason);
    // A bottom-line indicator that misses its standard is red, however close: 11 vs 10.
    let b = alert(hazards, "鞍山市", 11.0, false).unwrap().unwrap();
    assert_eq!(b.level, Level::Red);
    assert!(b.reason.contains("bottom-line"), "{}", b.reason);
    // No standard, or a missing value: no warning.
    assert_eq!(alert(catalog.indicator("no_standard").unwrap(), "鞍山市", 50.0, false).unwrap(), None);
    assert_eq!(alert(parks, "鞍山市", f64::NAN, false).unwrap(), None);
    // Attainment needs x ≥ 0.
    assert!(alert(parks, "鞍山市", -1.0, false).is_err());
}

fn panel_csv(rows: &[(&str, i32, &str, f64)]) -> citycheck::Panel {
    let mut csv = String::from("unit,year,indicator,value\n");
    for (u, y, i, v) in rows {
        csv.push_str(&format!("{u},{y},{i},{v}\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panel.csv");
    std::fs::write(&path, csv).unwrap();
    citycheck::Panel::read(&path, &citycheck::ReadOptions::default()).unwrap()
}

#[test]
fn evaluation_of_a_small_panel() {
    let catalog = catalog_with_standards();
    let mut rows = Vec::new();
    // 鞍山市: parks falling 84 → 76 (worsening, significant at n = 5), hazards 12 → 8.
    // 沈阳市: parks rising 70 → 90.
    for (k, year) in (2021..=2025).enumerate() {
        let k = k as f64;
        rows.push(("鞍山市", year, "parks", 84.0 - 2.0 * k));
        rows.push(("鞍山市", year, "hazards", 12.0 - k));
        rows.push(("鞍山市", year, "no_standard", 50.0 + k));
        rows.push(("沈阳市", year, "parks", 70.0 + 5.0 * k));
        rows.push(("沈阳市", year, "hazards", 5.0));
        rows.push(("沈阳市", year, "no_standard", 40.0 + k));
    }
    let panel = panel_csv(&rows);
    let validation = panel.validate(&catalog, citycheck::ValidationMode::Strict).unwrap();
    let spec = citycheck::Spec::default();
    let checkup = citycheck::Checkup::new(catalog.clone(), spec.clone()).unwrap();
    let (data, outcome) = checkup.run(&panel, &validation).unwrap();
    let e = evaluate(&data, &outcome, &EvaluateOptions::default()).unwrap();
    assert_eq!((e.from, e.to, e.comparable), (2021, 2025, true));
    // 2 units × (3 indicators + 1 group + index).
    assert_eq!(e.trends.len(), 10);
    let trend = |u: &str, node: &str| e.trends.iter().find(|t| t.unit == u && t.node == node).unwrap();
    assert_eq!(trend("鞍山市", "parks").summary.verdict, Verdict::Worsening);
    assert_eq!(trend("鞍山市", "hazards").summary.verdict, Verdict::Improving, "fewer hazards is better");
    assert_eq!(trend("沈阳市", "parks").summary.verdict, Verdict::Improving);
    // 沈阳市 ranks last on parks in 2021 (70 < 84) and first in 2025 (90 > 76).
    let t = trend("沈阳市", "parks");
    assert_eq!((t.start_rank, t.end_rank), (Some(2), Some(1)));

    // Progress: parks only (hazards has no deadline but has a standard: progress without on_track).
    let prog = |u: &str, i: &str| &e.progress.iter().find(|p| p.unit == u && p.indicator == i).unwrap().progress;
    let shenyang = prog("沈阳市", "parks");
    assert_eq!((shenyang.target, shenyang.on_track, shenyang.projected_year), (90.0, Some(true), Some(2025)));
    let anshan = prog("鞍山市", "parks");
    assert_eq!((anshan.target, anshan.on_track), (80.0, Some(false)));
    assert!(anshan.notes.iter().any(|n| n.contains("baseline already meets")), "84 ≥ 80 at the start");
    assert_eq!(prog("鞍山市", "hazards").on_track, None);
    assert!(!e.progress.iter().any(|p| p.indicator == "no_standard"));

    // Warnings: 鞍山市 parks 2025 = 76, attainment 0.95 → yellow by the band, raised to red by
    // the significant worsening over 2021–2025 (five falling values, p = 1/60).
    let w =
        |u: &str, y: i32, i: &str| e.warnings.iter().find(|w| w.unit == u && w.year == y && w.indicator == i).unwrap();
    let last = w("鞍山市", 2025, "parks");
    assert_close(last.alert.attainment, 0.95, EXACT, "76/80");
    assert_eq!(last.alert.level, Level::Red);
    assert!(
        last.alert.reason.contains("worsening") && last.alert.reason.contains("2021–2025"),
        "{}",
        last.alert.reason
    );
    // 2024 = 78: the four values up to 2024 cannot reach p < 0.05, so no raise: yellow.
    assert_eq!(w("鞍山市", 2024, "parks").alert.level, Level::Yellow);
    // hazards 12 in 2021 (bottom line, over 10): red; 8 in 2025: green.
    assert_eq!(w("鞍山市", 2021, "hazards").alert.level, Level::Red);
    assert_eq!(w("鞍山市", 2025, "hazards").alert.level, Level::Green);
    assert_eq!(e.warnings.len(), 2 * 2 * 5, "two indicators with standards × two units × five years");

    // Per-year scope: said in the result and on every score row.
    let per_year = citycheck::Spec { scope: Scope::Year, ..citycheck::Spec::default() };
    let (data, outcome) =
        citycheck::Checkup::new(catalog.clone(), per_year.clone()).unwrap().run(&panel, &validation).unwrap();
    let e = evaluate(&data, &outcome, &EvaluateOptions::default()).unwrap();
    assert!(!e.comparable);
    assert!(e.notes.iter().any(|n| n.contains("not comparable")));
    assert!(e.trends.iter().filter(|t| t.node == "index").all(|t| t
        .summary
        .notes
        .iter()
        .any(|n| n.contains("scope = year"))));

    // A window outside the data, or inverted: errors that say so.
    let outside = EvaluateOptions { from: Some(2030), to: Some(2031), ..EvaluateOptions::default() };
    let err = evaluate(&data, &outcome, &outside).unwrap_err().to_string();
    assert!(err.contains("2021–2025"), "{err}");
    let inverted = EvaluateOptions { from: Some(2025), to: Some(2021), ..EvaluateOptions::default() };
    assert!(evaluate(&data, &outcome, &inverted).is_err());
}

#[test]
fn evaluation_of_the_embedded_example() {
    let dir = tempfile::tempdir().unwrap();
    let out = citycheck::run::run(&RunConfig::embedded(), Some(dir.path())).unwrap();
    let e = out.evaluation.expect("the default run evaluates 2008–2012");
    // 14 cities × (7 indicators with data + 3 dimensions + index).
    assert_eq!(e.trends.len(), 14 * 11);
    let summary = out.report.evaluation.as_ref().unwrap();
    assert!(summary.comparable_across_years);
    // 丹东市 2008: garbage treatment 34% against the 90% national target: red, 34/90.
    let w = e.warnings.iter().find(|w| w.unit == "丹东市" && w.year == 2008).unwrap();
    assert_eq!(w.alert.level, Level::Red);
    assert_close(w.alert.attainment, 34.0 / 90.0, EXACT, "34/90");
    // 沈阳市 and 大连市 have the 100% target of provincial capitals and separately planned cities.
    let target = |u: &str| e.progress.iter().find(|p| p.unit == u).unwrap().progress.target;
    assert_eq!((target("沈阳市"), target("大连市"), target("鞍山市")), (100.0, 100.0, 90.0));
    // Every statistic is a number or missing with a note: no NaN anywhere in the tables.
    for name in ["trends.csv", "progress.csv", "warnings.csv"] {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let bad = text.lines().flat_map(|l| l.split(',')).find(|f| ["NaN", "inf", "-inf"].contains(f));
        assert_eq!(bad, None, "{name} has a non-finite value");
    }
    let json = std::fs::read_to_string(dir.path().join("run.json")).unwrap();
    assert!(json.contains("\"evaluation\"") && json.contains("\"comparable_across_years\": true"));
}

/// The recency-weighted trend of METHODS.md §7, by hand: y = 4, 4, 8 over 2021–2023, half-life
/// 1 year → w = 1/4, 1/2, 1 (Σw = 7/4).
/// ```text
/// t' = t − 2021 = 0 1 2:  t̄_w = (0·1/4 + 1·1/2 + 2·1)/(7/4) = 10/7,  ȳ_w = (1 + 2 + 8)/(7/4) = 44/7
/// Σw(t' − t̄)(y − ȳ) = 1/4·(−10/7)(−16/7) + 1/2·(−3/7)(−16/7) + (4/7)(12/7) = 112/49 = 16/7
/// Σw(t' − t̄)²       = 1/4·100/49 + 1/2·9/49 + 16/49 = 45.5/49
/// b = (16/7)/(45.5/49) = 32/13;  at 2025 (t' = 4): 44/7 + 32/13·(4 − 10/7) = 1148/91
/// pace = b / ((20 − 4)/4) = 8/13, against OLS's 2/4
/// ```
#[test]
fn recency_weighted_progress_by_hand() {
    use citycheck::evaluate::{progress_with, TrendFit};
    let cut = PaceCutoffs::default();
    let y = [4.0, 4.0, 8.0];
    let weighted = TrendFit::RecencyWeighted { half_life: 1.0 };
    let p = progress_with(&YEARS[..3], &y, 20.0, Some(2025), Direction::Higher, &cut, weighted).unwrap().unwrap();
    assert_close(p.pace.unwrap(), 8.0 / 13.0, 1e-12, "weighted pace");
    assert_close(p.anticipated.unwrap(), 1148.0 / 91.0, 1e-9, "weighted value at the deadline");
    let o = progress_with(&YEARS[..3], &y, 20.0, Some(2025), Direction::Higher, &cut, TrendFit::Ols).unwrap().unwrap();
    assert_close(o.pace.unwrap(), 0.5, 1e-12, "OLS pace");
    // A very long half-life weighs every year alike: OLS again.
    let flat = TrendFit::RecencyWeighted { half_life: 1e12 };
    let f = progress_with(&YEARS[..3], &y, 20.0, Some(2025), Direction::Higher, &cut, flat).unwrap().unwrap();
    assert_close(f.pace.unwrap(), 0.5, 1e-9, "half-life → ∞");
    let bad = TrendFit::RecencyWeighted { half_life: 0.0 };
    assert!(progress_with(&YEARS[..3], &y, 20.0, Some(2025), Direction::Higher, &cut, bad).is_err());
    // In a run config: [evaluate] fit = { method = "recency_weighted", half_life = 2.0 }.
    let options: EvaluateOptions = toml::from_str("fit = { method = \"recency_weighted\", half_life = 2.0 }").unwrap();
    assert_eq!(options.fit, TrendFit::RecencyWeighted { half_life: 2.0 });
}

/// `worsening` runs only the Mann-Kendall verdict; it must agree with the evaluation's own
/// indicator trends over the same window (the diagnosis raises severities from it).
#[test]
fn worsening_agrees_with_the_evaluation() {
    use citycheck::evaluate::{worsening, DEFAULT_ALPHA};
    let config = RunConfig::embedded();
    let catalog = Catalog::builtin("ccsy-example").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = citycheck::run::run(&config, Some(dir.path())).unwrap();
    let e = out.evaluation.unwrap();
    let panel = citycheck::Panel::embedded(
        "cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv",
        &config.data.as_ref().unwrap().read,
    )
    .unwrap();
    let validation = panel.validate(&catalog, citycheck::ValidationMode::Strict).unwrap();
    let (data, _) =
        citycheck::Checkup::new(catalog.clone(), config.spec.clone()).unwrap().run(&panel, &validation).unwrap();
    let fast = worsening(&data, Some(e.to), DEFAULT_ALPHA).unwrap();
    let indicators: Vec<_> = e.trends.iter().filter(|t| t.kind == citycheck::catalog::NodeKind::Indicator).collect();
    assert_eq!(fast.len(), indicators.len());
    for t in indicators {
        assert_eq!(
            fast[&(t.unit.clone(), t.node.clone())],
            t.summary.verdict == Verdict::Worsening,
            "{} {}",
            t.unit,
            t.node
        );
    }
    assert!(fast.values().any(|&w| w), "阜新市 tertiary_share falls every year");
    assert!(worsening(&data, Some(2000), DEFAULT_ALPHA).is_err(), "a year before the data");
}
