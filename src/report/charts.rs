//! The layouts of the report's charts, as [`Shape`]s in pixels: horizontal bars (the league
//! table, indicators against their standards, progress to targets, survey dimensions), the
//! obstacle Pareto, the radar of a unit's groups and the trend sparkline.
//!
//! Scales and label columns are laid out here rather than by plotters' `ChartBuilder`: the
//! category labels are Chinese names, whose width plotters cannot measure without a font
//! feature (its estimate counts bytes, three per CJK character), so the label column is sized
//! from the characters (a CJK character one em, others about half) and the browser renders
//! the text.

use std::f64::consts::PI;

use super::svg::{Anchor, Chart, Rgb, Shape};

/// Colours of the report.
pub(super) const BLUE: Rgb = Rgb(33, 102, 172);
pub(super) const GREY: Rgb = Rgb(150, 150, 150);
pub(super) const RED: Rgb = Rgb(198, 40, 40);
pub(super) const YELLOW: Rgb = Rgb(249, 168, 37);
pub(super) const GREEN: Rgb = Rgb(46, 125, 50);
const INK: Rgb = Rgb(40, 40, 40);

/// The colour of a warning level (`red`, `yellow`, `green`); grey for anything else.
pub(super) fn level_colour(level: &str) -> Rgb {
    match level {
        "red" => RED,
        "yellow" => YELLOW,
        "green" => GREEN,
        _ => GREY,
    }
}

/// A number for a chart label: no decimals from 100 on, one from 10, two below.
pub(super) fn short(x: f64) -> String {
    if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// A value axis from `lo` to `hi` with round ticks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Scale {
    pub lo: f64,
    pub hi: f64,
    step: f64,
}

impl Scale {
    /// The smallest round axis holding `lo..hi` (at least one unit wide when they are equal).
    pub(super) fn nice(lo: f64, hi: f64) -> Scale {
        let (lo, hi) = if lo.is_finite() && hi.is_finite() { (lo.min(hi), lo.max(hi)) } else { (0.0, 1.0) };
        let span = if hi > lo { hi - lo } else { lo.abs().max(1.0) };
        let raw = span / 5.0;
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = magnitude
            * match raw / magnitude {
                n if n <= 1.0 => 1.0,
                n if n <= 2.0 => 2.0,
                n if n <= 2.5 => 2.5,
                n if n <= 5.0 => 5.0,
                _ => 10.0,
            };
        let lo = (lo / step).floor() * step;
        let mut hi = (hi / step).ceil() * step;
        if hi <= lo {
            hi = lo + step;
        }
        Scale { lo, hi, step }
    }

    /// The axis over `values` and `always` (e.g. 0 and 100 for scores).
    pub(super) fn over(values: impl IntoIterator<Item = f64>, always: &[f64]) -> Scale {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for x in values.into_iter().chain(always.iter().copied()).filter(|x| x.is_finite()) {
            lo = lo.min(x);
            hi = hi.max(x);
        }
        Scale::nice(lo, hi)
    }

    fn ticks(&self) -> Vec<f64> {
        let n = ((self.hi - self.lo) / self.step).round() as usize;
        (0..=n).map(|k| self.lo + k as f64 * self.step).collect()
    }

    /// `x` as a share of the axis, clamped to [0, 1].
    fn share(&self, x: f64) -> f64 {
        ((x - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0)
    }
}

/// The width of `text` in pixels at `size` (a CJK character one em, others about half).
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(|c| if c.is_ascii() { 0.58 } else { 1.0 }).sum::<f64>() * size
}

/// `text` cut to `max` pixels at `size`, with an ellipsis when cut.
fn fit(text: &str, size: f64, max: f64) -> String {
    if text_width(text, size) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if text_width(&out, size) + text_width(&c.to_string(), size) + size > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// One bar of a bar chart: its category label, its value (none: an empty row with `text`
/// saying why), the text after the bar and its colour.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub text: String,
    pub colour: Rgb,
}

const FONT: f64 = 12.0;
const ROW: i32 = 22;
const BAR: i32 = 14;
const TOP: i32 = 10;
const AXIS: i32 = 22;

/// Horizontal bars, one row per [`Bar`], on `scale`, with a vertical rule at `reference` (a
/// standard, a target) when given; a mark per bar with a value.
pub(super) fn bars(kind: &'static str, rows: &[Bar], scale: Scale, reference: Option<f64>, width: u32) -> Chart {
    bar_rows(kind, rows, scale, reference, width, false)
}

/// The league chart: [`bars`] with a mark per unit, a bar for a unit with a score and, for one
/// without, a grey dot on the axis beside its text (no score that year), so that the chart has
/// as many marks as units.
pub(super) fn league(rows: &[Bar], scale: Scale, width: u32) -> Chart {
    bar_rows("league", rows, scale, None, width, true)
}

/// Radius of the dot that marks a row without a value in the league chart.
const EMPTY_DOT: i32 = 4;

fn bar_rows(
    kind: &'static str,
    rows: &[Bar],
    scale: Scale,
    reference: Option<f64>,
    width: u32,
    mark_empty: bool,
) -> Chart {
    let label_width = rows.iter().map(|b| text_width(&b.label, FONT)).fold(40.0, f64::max).min(240.0);
    let (x0, x1) = (label_width as i32 + 16, width as i32 - 90);
    let height = TOP + ROW * rows.len().max(1) as i32 + AXIS;
    let x = |v: f64| x0 + (scale.share(v) * f64::from(x1 - x0)).round() as i32;
    let mut shapes = Vec::new();
    let bottom = TOP + ROW * rows.len() as i32;
    for tick in scale.ticks() {
        shapes.push(Shape::rule((x(tick), TOP), (x(tick), bottom)));
        shapes.push(Shape::label((x(tick), bottom + 11), short(tick), FONT - 2.0, Anchor::Middle));
    }
    let zero = x(0.0_f64.clamp(scale.lo, scale.hi));
    for (k, bar) in rows.iter().enumerate() {
        let top = TOP + ROW * k as i32 + (ROW - BAR) / 2;
        let middle = TOP + ROW * k as i32 + ROW / 2;
        shapes.push(Shape::label((x0 - 6, middle), fit(&bar.label, FONT, label_width), FONT, Anchor::End));
        let end = match bar.value {
            Some(v) if v.is_finite() => {
                let end = x(v);
                shapes.push(Shape::Rect {
                    from: (zero.min(end), top),
                    to: (zero.max(end).max(zero.min(end) + 1), top + BAR),
                    fill: bar.colour,
                    alpha: 1.0,
                    mark: true,
                });
                end.max(zero)
            }
            _ if mark_empty => {
                shapes.push(Shape::Dot { at: (zero + EMPTY_DOT, middle), radius: EMPTY_DOT, fill: GREY, mark: true });
                zero + 2 * EMPTY_DOT
            }
            _ => zero,
        };
        shapes.push(Shape::label((end + 4, middle), bar.text.clone(), FONT - 1.0, Anchor::Start));
    }
    if let Some(r) = reference.filter(|r| r.is_finite()) {
        shapes.push(Shape::Line {
            points: vec![(x(r), TOP - 4), (x(r), bottom + 2)],
            stroke: INK,
            width: 2,
            alpha: 0.8,
        });
    }
    shapes.push(Shape::Line { points: vec![(zero, TOP), (zero, bottom)], stroke: INK, width: 1, alpha: 0.7 });
    Chart { kind, width, height: height as u32, shapes, rows: rows.len() }
}

/// The obstacle Pareto: bars of the obstacle degrees (largest first) on 0–100 % and the line
/// of their cumulative share, with the cumulative share after each bar.
pub(super) fn pareto(items: &[(String, f64)], width: u32, cumulative_word: &str) -> Chart {
    let total: f64 = items.iter().map(|(_, x)| x.max(0.0)).sum();
    let mut running = 0.0;
    let mut points = Vec::new();
    let rows: Vec<Bar> = items
        .iter()
        .map(|(label, x)| {
            running += x.max(0.0);
            let cumulative = if total > 0.0 { running / total * 100.0 } else { 0.0 };
            points.push(cumulative);
            Bar {
                label: label.clone(),
                value: Some(*x),
                text: format!("{} · {cumulative_word} {cumulative:.0}%", short(*x)),
                colour: BLUE,
            }
        })
        .collect();
    let scale = Scale::nice(0.0, 100.0);
    let mut chart = bars("pareto", &rows, scale, None, width);
    let label_width = rows.iter().map(|b| text_width(&b.label, FONT)).fold(40.0, f64::max).min(240.0);
    let (x0, x1) = (label_width as i32 + 16, width as i32 - 90);
    let line: Vec<(i32, i32)> = points
        .iter()
        .enumerate()
        .map(|(k, c)| (x0 + (scale.share(*c) * f64::from(x1 - x0)).round() as i32, TOP + ROW * k as i32 + ROW / 2))
        .collect();
    for p in &line {
        chart.shapes.push(Shape::Dot { at: *p, radius: 3, fill: RED, mark: false });
    }
    chart.shapes.push(Shape::Line { points: line, stroke: RED, width: 2, alpha: 0.8 });
    chart
}

/// A radar of a unit's groups (`unit`, filled, a mark per vertex with a value) against the
/// peers' median (`peers`, a grey outline), on `scale`; needs three axes or more.
pub(super) fn radar(
    axes: &[String],
    unit: &[Option<f64>],
    peers: &[Option<f64>],
    scale: Scale,
    legend: (&str, &str),
) -> Chart {
    let (width, height) = (460u32, 360u32);
    let (cx, cy, radius) = (230.0, 170.0, 115.0);
    let n = axes.len().max(1);
    let point = |k: usize, share: f64| {
        let angle = -PI / 2.0 + 2.0 * PI * k as f64 / n as f64;
        ((cx + radius * share * angle.cos()).round() as i32, (cy + radius * share * angle.sin()).round() as i32)
    };
    let mut shapes = Vec::new();
    for (ring, tick) in scale.ticks().into_iter().enumerate().skip(1) {
        let share = scale.share(tick);
        let mut outline: Vec<(i32, i32)> = (0..n).map(|k| point(k, share)).collect();
        outline.push(outline[0]);
        shapes.push(Shape::Line { points: outline, stroke: GREY, width: 1, alpha: 0.5 });
        if ring % 2 == 0 || scale.ticks().len() <= 4 {
            let (x, y) = point(0, share);
            shapes.push(Shape::label((x + 4, y), short(tick), FONT - 3.0, Anchor::Start));
        }
    }
    for (k, axis) in axes.iter().enumerate() {
        shapes.push(Shape::Line { points: vec![point(k, 0.0), point(k, 1.0)], stroke: GREY, width: 1, alpha: 0.5 });
        let (x, y) = point(k, 1.14);
        let anchor = match x - cx as i32 {
            dx if dx > 8 => Anchor::Start,
            dx if dx < -8 => Anchor::End,
            _ => Anchor::Middle,
        };
        shapes.push(Shape::label((x, y), fit(axis, FONT, 130.0), FONT, anchor));
    }
    let share = |v: &Option<f64>| v.filter(|x| x.is_finite()).map_or(0.0, |x| scale.share(x));
    let mut median: Vec<(i32, i32)> = peers.iter().enumerate().map(|(k, v)| point(k, share(v))).collect();
    if let Some(first) = median.first().copied() {
        median.push(first);
    }
    shapes.push(Shape::Line { points: median, stroke: INK, width: 2, alpha: 0.55 });
    let own: Vec<(i32, i32)> = unit.iter().enumerate().map(|(k, v)| point(k, share(v))).collect();
    shapes.push(Shape::Area { points: own.clone(), fill: BLUE, alpha: 0.2 });
    let mut outline = own.clone();
    if let Some(first) = own.first().copied() {
        outline.push(first);
    }
    shapes.push(Shape::Line { points: outline, stroke: BLUE, width: 2, alpha: 0.9 });
    for (p, v) in own.iter().zip(unit) {
        if v.is_some_and(f64::is_finite) {
            shapes.push(Shape::Dot { at: *p, radius: 4, fill: BLUE, mark: true });
        }
    }
    let y = height as i32 - 16;
    shapes.push(Shape::Rect { from: (20, y - 5), to: (34, y + 5), fill: BLUE, alpha: 0.6, mark: false });
    shapes.push(Shape::label((40, y), legend.0, FONT - 1.0, Anchor::Start));
    shapes.push(Shape::Line { points: vec![(200, y), (220, y)], stroke: INK, width: 2, alpha: 0.55 });
    shapes.push(Shape::label((226, y), legend.1, FONT - 1.0, Anchor::Start));
    Chart { kind: "radar", width, height, shapes, rows: axes.len() }
}

/// A sparkline of one series over `years` (first, last): a point (a mark) per year with a
/// value, lines between consecutive years only (a missing year breaks the line), the first
/// and last values written at the ends.
pub(super) fn sparkline(series: &[(i32, f64)], years: (i32, i32)) -> Chart {
    let (width, height) = (240u32, 62u32);
    let (x0, x1, y0, y1) = (34, width as i32 - 40, 8, height as i32 - 16);
    let values: Vec<f64> = series.iter().map(|(_, v)| *v).filter(|v| v.is_finite()).collect();
    let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(*v), h.max(*v)));
    let span = years.1 - years.0;
    let x = |year: i32| {
        if span == 0 {
            (x0 + x1) / 2
        } else {
            x0 + ((year - years.0) as f64 / span as f64 * f64::from(x1 - x0)).round() as i32
        }
    };
    let y = |v: f64| {
        if hi > lo {
            y1 - ((v - lo) / (hi - lo) * f64::from(y1 - y0)).round() as i32
        } else {
            (y0 + y1) / 2
        }
    };
    let mut shapes = vec![Shape::rule((x0, y1 + 2), (x1, y1 + 2))];
    let mut points: Vec<(i32, (i32, i32))> =
        series.iter().filter(|(_, v)| v.is_finite()).map(|(year, v)| (*year, (x(*year), y(*v)))).collect();
    points.sort_by_key(|(year, _)| *year);
    let mut segment: Vec<(i32, i32)> = Vec::new();
    let mut previous: Option<i32> = None;
    for (year, p) in &points {
        if previous.is_some_and(|last| year - last > 1) {
            shapes.push(Shape::Line { points: std::mem::take(&mut segment), stroke: BLUE, width: 2, alpha: 0.9 });
        }
        segment.push(*p);
        previous = Some(*year);
    }
    shapes.push(Shape::Line { points: segment, stroke: BLUE, width: 2, alpha: 0.9 });
    for (_, p) in &points {
        shapes.push(Shape::Dot { at: *p, radius: 3, fill: BLUE, mark: true });
    }
    shapes.push(Shape::label((x0, height as i32 - 6), years.0.to_string(), FONT - 3.0, Anchor::Middle));
    shapes.push(Shape::label((x1, height as i32 - 6), years.1.to_string(), FONT - 3.0, Anchor::Middle));
    if let (Some(first), Some(last)) = (series.iter().find(|(_, v)| v.is_finite()), values.last()) {
        shapes.push(Shape::label((x0 - 4, y(first.1)), short(first.1), FONT - 3.0, Anchor::End));
        shapes.push(Shape::label((x1 + 6, y(*last)), short(*last), FONT - 3.0, Anchor::Start));
    }
    Chart { kind: "sparkline", width, height, shapes, rows: (span + 1).max(0) as usize }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_scales_hold_their_values_on_round_ticks() {
        let s = Scale::nice(0.0, 92.7);
        assert_eq!((s.lo, s.hi), (0.0, 100.0));
        assert_eq!(s.ticks(), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        let s = Scale::nice(-0.93, 1.0);
        assert!(s.lo <= -0.93 && s.hi >= 1.0, "{s:?}");
        let s = Scale::nice(5.0, 5.0);
        assert!(s.hi > s.lo, "{s:?}");
    }

    #[test]
    fn charts_have_one_mark_per_value() {
        let rows = vec![
            Bar { label: "沈阳市".into(), value: Some(92.7), text: "92.7".into(), colour: BLUE },
            Bar { label: "本溪市".into(), value: None, text: "no score".into(), colour: BLUE },
        ];
        let chart = bars("indicators", &rows, Scale::nice(0.0, 100.0), None, 600);
        assert_eq!((chart.marks(), chart.rows), (1, 2));
        // The league marks every unit: a bar, or a grey dot for the unit without a score.
        let chart = league(&rows, Scale::nice(0.0, 100.0), 600);
        assert_eq!((chart.marks(), chart.rows), (2, 2));
        let dots =
            chart.shapes.iter().filter(|s| matches!(s, Shape::Dot { fill, mark: true, .. } if *fill == GREY)).count();
        assert_eq!(dots, 1);
        let axes = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        let chart = radar(&axes, &[Some(1.0), None, Some(3.0)], &[Some(2.0); 3], Scale::nice(0.0, 4.0), ("x", "y"));
        assert_eq!((chart.marks(), chart.rows), (2, 3));
        // 2009 missing: four points, two line segments.
        let chart = sparkline(&[(2008, 1.0), (2010, 2.0), (2011, 1.5), (2012, 3.0)], (2008, 2012));
        assert_eq!((chart.marks(), chart.rows), (4, 5));
        let lines = chart.shapes.iter().filter(|s| matches!(s, Shape::Line { stroke, .. } if *stroke == BLUE)).count();
        assert_eq!(lines, 2);
        let chart = pareto(&[("g".into(), 60.0), ("h".into(), 40.0)], 600, "cum.");
        assert_eq!(chart.marks(), 2);
        assert!(chart.shapes.iter().any(|s| matches!(s, Shape::Label { text, .. } if text.ends_with("100%"))));
    }
}
