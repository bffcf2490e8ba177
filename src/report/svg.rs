//! Charts drawn by plotters' SVG backend into a `String`, to be inlined in the report.
//!
//! A chart is a list of [`Shape`]s in pixel coordinates, laid out by [`super::charts`]; this
//! file is the only one that talks to plotters: each shape becomes a plotters element
//! (`Rectangle`, `PathElement`, `Circle`, `Polygon`, `Text`) drawn on a `DrawingArea` of an
//! `SVGBackend`. The backend escapes every text and attribute it writes.
//!
//! The marks of a chart (a bar per unit, a vertex per group, a point per year) are drawn with
//! the opacity [`MARK_ALPHA`], which no other shape uses, and carry `class="mark"` in the SVG
//! (plotters writes flat elements without classes: the class is added to the elements whose
//! `opacity` attribute is exactly that value). So the number of marks of a chart can be counted
//! in the SVG itself, and the figure around it says how many it should have.

use plotters::backend::SVGBackend;
use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, DrawingAreaErrorKind, IntoDrawingArea};
use plotters::element::{Circle, PathElement, Polygon, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, RGBColor, TextStyle, WHITE};

use crate::error::{Error, Result};

/// The opacity of a chart's marks, and of nothing else.
pub(super) const MARK_ALPHA: f64 = 0.95;

/// The attribute plotters writes for [`MARK_ALPHA`].
const MARK_OPACITY: &str = "opacity=\"0.95\"";

/// Font families of chart text: the Chinese fonts a Chinese macOS (PingFang SC), Windows
/// (Microsoft YaHei) and Linux (Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei)
/// machine has, then the generic family. The page's CSS says the same.
pub(super) const FONT_STACK: &str =
    "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, sans-serif";

/// An RGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    fn plotters(self) -> RGBColor {
        RGBColor(self.0, self.1, self.2)
    }
}

/// Where a text's anchor point is, horizontally (its vertical anchor is its middle).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Anchor {
    Start,
    Middle,
    End,
}

/// One element of a chart, in pixels from the top left corner.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Shape {
    /// A filled rectangle between two corners.
    Rect { from: (i32, i32), to: (i32, i32), fill: Rgb, alpha: f64, mark: bool },
    /// A polyline.
    Line { points: Vec<(i32, i32)>, stroke: Rgb, width: u32, alpha: f64 },
    /// A filled disc.
    Dot { at: (i32, i32), radius: i32, fill: Rgb, mark: bool },
    /// A filled polygon.
    Area { points: Vec<(i32, i32)>, fill: Rgb, alpha: f64 },
    /// One line of text.
    Label { at: (i32, i32), text: String, size: f64, color: Rgb, anchor: Anchor, bold: bool },
}

impl Shape {
    /// A text shape of `size` pixels, normal weight, dark grey.
    pub(super) fn label(at: (i32, i32), text: impl Into<String>, size: f64, anchor: Anchor) -> Shape {
        Shape::Label { at, text: text.into(), size, color: Rgb(40, 40, 40), anchor, bold: false }
    }

    /// A thin light rule between two points.
    pub(super) fn rule(from: (i32, i32), to: (i32, i32)) -> Shape {
        Shape::Line { points: vec![from, to], stroke: Rgb(0, 0, 0), width: 1, alpha: 0.25 }
    }

    fn is_mark(&self) -> bool {
        matches!(self, Shape::Rect { mark: true, .. } | Shape::Dot { mark: true, .. })
    }
}

/// A chart to be drawn: its kind (`league`, `radar`, …, the figure's `data-chart`), size and
/// shapes, and how many categories (rows, axes, years) it shows.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Chart {
    pub kind: &'static str,
    pub width: u32,
    pub height: u32,
    pub shapes: Vec<Shape>,
    pub rows: usize,
}

impl Chart {
    /// The marks among the shapes.
    pub(super) fn marks(&self) -> usize {
        self.shapes.iter().filter(|s| s.is_mark()).count()
    }
}

/// A chart drawn as SVG text, its marks tagged `class="mark"`, and the number of marks found
/// in the SVG.
#[derive(Debug, Clone)]
pub(super) struct Svg {
    pub text: String,
    pub marks: usize,
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type DrawError = DrawingAreaErrorKind<std::io::Error>;

/// Draws `chart` with plotters' SVG backend.
///
/// # Errors
/// [`Error::Io`] naming the report file if plotters fails (it writes into memory, so only a
/// bug can make it fail).
pub(super) fn render(chart: &Chart) -> Result<Svg> {
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (chart.width, chart.height)).into_drawing_area();
        draw(&root, &chart.shapes).map_err(failed)?;
        root.present().map_err(failed)?;
    }
    let marks = text.matches(MARK_OPACITY).count();
    let text = text.replace(MARK_OPACITY, &format!("class=\"mark\" {MARK_OPACITY}"));
    Ok(Svg { text, marks })
}

fn failed(e: DrawError) -> Error {
    Error::Io { path: super::REPORT_FILE.into(), source: std::io::Error::other(format!("drawing a chart: {e}")) }
}

/// The opacity of a shape that is not a mark: never [`MARK_ALPHA`].
fn plain(alpha: f64) -> f64 {
    if alpha == MARK_ALPHA {
        0.9
    } else {
        alpha
    }
}

fn draw(root: &Area<'_>, shapes: &[Shape]) -> Result<(), DrawError> {
    root.fill(&WHITE)?;
    for shape in shapes {
        match shape {
            Shape::Rect { from, to, fill, alpha, mark } => {
                let alpha = if *mark { MARK_ALPHA } else { plain(*alpha) };
                root.draw(&Rectangle::new([*from, *to], fill.plotters().mix(alpha).filled()))?;
            }
            Shape::Line { points, stroke, width, alpha } => {
                let style = stroke.plotters().mix(plain(*alpha)).stroke_width(*width);
                root.draw(&PathElement::new(points.clone(), style))?;
            }
            Shape::Dot { at, radius, fill, mark } => {
                let alpha = if *mark { MARK_ALPHA } else { 0.9 };
                root.draw(&Circle::new(*at, *radius, fill.plotters().mix(alpha).filled()))?;
            }
            Shape::Area { points, fill, alpha } => {
                root.draw(&Polygon::new(points.clone(), fill.plotters().mix(plain(*alpha))))?;
            }
            Shape::Label { at, text, size, color, anchor, bold } => {
                let weight = if *bold { FontStyle::Bold } else { FontStyle::Normal };
                // plotters writes font-size = size / 1.24 (points to pixels).
                let font = FontDesc::new(FontFamily::Name(FONT_STACK), size * 1.24, weight);
                let h = match anchor {
                    Anchor::Start => HPos::Left,
                    Anchor::Middle => HPos::Center,
                    Anchor::End => HPos::Right,
                };
                let rgb = color.plotters();
                let style = TextStyle::from(font).color(&rgb).pos(Pos::new(h, VPos::Center));
                root.draw(&Text::new(text.as_str(), *at, style))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_tagged_and_counted_and_text_is_escaped() {
        let chart = Chart {
            kind: "test",
            width: 100,
            height: 50,
            rows: 2,
            shapes: vec![
                Shape::Rect { from: (0, 0), to: (10, 10), fill: Rgb(1, 2, 3), alpha: 1.0, mark: true },
                Shape::Rect { from: (0, 20), to: (10, 30), fill: Rgb(1, 2, 3), alpha: MARK_ALPHA, mark: false },
                Shape::Dot { at: (50, 25), radius: 3, fill: Rgb(1, 2, 3), mark: true },
                Shape::label((5, 40), "<script>alert(1)</script>", 12.0, Anchor::Start),
            ],
        };
        assert_eq!(chart.marks(), 2);
        let svg = render(&chart).unwrap();
        assert_eq!(svg.marks, 2, "{}", svg.text);
        assert_eq!(svg.text.matches("class=\"mark\"").count(), 2);
        assert!(svg.text.starts_with("<svg"), "{}", svg.text);
        assert!(!svg.text.contains("<script>"), "{}", svg.text);
        assert!(svg.text.contains("&lt;script&gt;"), "{}", svg.text);
    }
}
