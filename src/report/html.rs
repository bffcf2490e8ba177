//! Writing HTML: the one escaping function every text from data goes through, small builders
//! for tables and figures, and the page's CSS (screen, print on A4, CJK fonts).

use std::borrow::Cow;
use std::fmt::Write as _;

use super::svg::{Chart, FONT_STACK};
use crate::error::Result;

/// `text` made safe as HTML content and as a quoted attribute value: `&`, `<`, `>`, `"` and
/// `'` become character references, everything else is left as it is.
///
/// # Examples
/// ```
/// use citycheck::report::escape_html;
/// assert_eq!(escape_html("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
/// assert_eq!(escape_html("=cmd|' /C calc'!A0"), "=cmd|&#39; /C calc&#39;!A0");
/// assert_eq!(escape_html("沈阳市"), "沈阳市");
/// ```
pub fn escape_html(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    Cow::Owned(out)
}

/// A cell of an HTML table: text (escaped when written) with an optional class.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Cell {
    pub text: String,
    pub class: Option<&'static str>,
    /// A link target within the page (`#unit-3`), for the cell's text.
    pub href: Option<String>,
}

impl Cell {
    pub(super) fn text(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), class: None, href: None }
    }

    pub(super) fn number(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), class: Some("num"), href: None }
    }

    pub(super) fn with_class(mut self, class: &'static str) -> Cell {
        self.class = Some(class);
        self
    }

    pub(super) fn link(text: impl Into<String>, href: String) -> Cell {
        Cell { text: text.into(), class: None, href: Some(href) }
    }
}

/// Writes a table with a header row; every text escaped.
pub(super) fn table(out: &mut String, class: &str, header: &[String], rows: &[Vec<Cell>]) {
    let _ = write!(out, "<table class=\"{}\"><thead><tr>", escape_html(class));
    for h in header {
        let _ = write!(out, "<th>{}</th>", escape_html(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            match cell.class {
                Some(class) => {
                    let _ = write!(out, "<td class=\"{class}\">");
                }
                None => out.push_str("<td>"),
            }
            match &cell.href {
                Some(href) => {
                    let _ = write!(out, "<a href=\"{}\">{}</a>", escape_html(href), escape_html(&cell.text));
                }
                None => out.push_str(&escape_html(&cell.text)),
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

/// Writes a chart as an inline SVG inside `<figure data-chart=… data-marks=… data-rows=…>`
/// with a caption (text, escaped here); `data-marks` is the number of `class="mark"` elements
/// of the SVG.
pub(super) fn figure(out: &mut String, chart: &Chart, caption: &str) -> Result<()> {
    figure_html(out, chart, &escape_html(caption))
}

/// As [`figure`], with a caption that is already HTML (its data texts escaped by the caller).
pub(super) fn figure_html(out: &mut String, chart: &Chart, caption_html: &str) -> Result<()> {
    let svg = super::svg::render(chart)?;
    debug_assert_eq!(svg.marks, chart.marks(), "the SVG has the marks of the layout ({})", chart.kind);
    let _ = writeln!(
        out,
        "<figure class=\"chart\" data-chart=\"{}\" data-marks=\"{}\" data-rows=\"{}\">{}<figcaption>{caption_html}</figcaption></figure>",
        chart.kind, svg.marks, chart.rows, svg.text
    );
    Ok(())
}

/// A paragraph of escaped text with a class.
pub(super) fn note(out: &mut String, class: &str, text: &str) {
    let _ = writeln!(out, "<p class=\"{}\">{}</p>", escape_html(class), escape_html(text));
}

/// The style sheet: readable on screen, A4 in print with a page per unit, Chinese fonts of
/// macOS, Windows and Linux before the generic family.
pub(super) fn css() -> String {
    format!(
        r#"
:root {{ --red: #c62828; --yellow: #f9a825; --green: #2e7d32; --grey: #757575; }}
* {{ box-sizing: border-box; }}
body {{ font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
  "WenQuanYi Micro Hei", sans-serif; color: #222; margin: 0 auto; max-width: 1100px; padding: 16px;
  line-height: 1.45; font-size: 14px; }}
svg text {{ font-family: {FONT_STACK}; }}
h1 {{ font-size: 24px; margin: 8px 0; }} h2 {{ font-size: 20px; border-bottom: 2px solid #444; padding-bottom: 4px; }}
h3 {{ font-size: 16px; margin: 18px 0 6px; }}
table {{ border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }}
th, td {{ border: 1px solid #ccc; padding: 3px 7px; text-align: left; vertical-align: top; }}
th {{ background: #f2f2f2; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
td.red, span.red {{ background: var(--red); color: #fff; }}
td.yellow, span.yellow {{ background: var(--yellow); color: #000; }}
td.green, span.green {{ background: var(--green); color: #fff; }}
td.up {{ color: var(--green); }} td.down {{ color: var(--red); }}
span.badge {{ border-radius: 3px; padding: 0 5px; font-size: 12px; }}
span.improving {{ background: var(--green); color: #fff; }} span.worsening {{ background: var(--red); color: #fff; }}
span.no_clear_trend, span.too_short, span.unknown {{ background: #e0e0e0; color: #222; }}
figure.chart {{ margin: 8px 0 14px; break-inside: avoid; page-break-inside: avoid; }}
figure.chart svg {{ max-width: 100%; height: auto; display: block; }}
figcaption {{ font-size: 12px; color: var(--grey); }}
.sparklines {{ display: flex; flex-wrap: wrap; gap: 4px 14px; }}
.sparklines figure {{ width: 250px; margin: 4px 0; }}
nav.units a {{ margin-right: 10px; white-space: nowrap; }}
p.note, p.absent {{ color: var(--grey); font-size: 13px; }}
ul.left-out li {{ margin: 2px 0; }}
code {{ font-size: 12px; word-break: break-all; }}
a.back {{ font-size: 12px; }}
@page {{ size: A4; margin: 14mm 12mm; }}
@media print {{
  body {{ max-width: none; padding: 0; font-size: 11pt; }}
  section.unit, section.survey {{ break-before: page; page-break-before: always; }}
  nav.units, a.back {{ display: none; }}
  table, figure {{ break-inside: avoid; page-break-inside: avoid; }}
  td.red, td.yellow, td.green, span.badge {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_escape_every_text() {
        let mut out = String::new();
        let rows = vec![vec![
            Cell::link("<b>x</b>", "#unit-1".into()),
            Cell::number("1").with_class("red"),
            Cell::text("a & 'b'"),
        ]];
        table(&mut out, "t", &["\"h\"".to_string()], &rows);
        assert!(out.contains("<a href=\"#unit-1\">&lt;b&gt;x&lt;/b&gt;</a>"), "{out}");
        assert!(out.contains("<td class=\"red\">1</td>"), "{out}");
        assert!(out.contains("a &amp; &#39;b&#39;"), "{out}");
        assert!(out.contains("<th>&quot;h&quot;</th>"), "{out}");
    }
}
