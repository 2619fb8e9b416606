//! Hand-written SVG charts for the report: columns over time, points over time, bars per
//! row, a calendar of days and a sparkline. Pure strings from numbers; every chart has a
//! `<title>` and a `<desc>`, labelled axes with units, and colours from the Okabe-Ito
//! palette (told apart by colour-blind readers, and by shape or place in print). No
//! script, no fonts of its own, nothing fetched.

use std::fmt::Write;

use chrono::{Datelike, Days, NaiveDate};

/// Okabe-Ito colours.
pub const BLUE: &str = "#0072b2";
pub const ORANGE: &str = "#e69f00";
pub const GREEN: &str = "#009e73";
pub const VERMILLION: &str = "#d55e00";
pub const SKY: &str = "#56b4e9";
/// The calendar's shades of blue, from a little practice to a lot; none is `EMPTY`.
pub const SHADES: [&str; 4] = ["#c6dbef", "#6baed6", "#2f7fc1", BLUE];
pub const EMPTY: &str = "#ebedf0";
const INK: &str = "#222";
const GRID: &str = "#d0d0d0";

/// The drawing area of the wide charts, in SVG units (scaled to the page width).
const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 46.0;

/// What every chart says about itself.
pub struct Frame<'a> {
    /// Unique in the page: ids of the title and description derive from it.
    pub id: &'a str,
    pub title: &'a str,
    /// The text alternative: what the chart shows, in a sentence or two.
    pub desc: String,
    pub x_label: &'a str,
    pub y_label: &'a str,
}

/// Text for SVG and HTML alike.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters have no place in a page (and some are not allowed in XML).
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn open(out: &mut String, f: &Frame, width: f64, height: f64) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" \
         aria-labelledby=\"{id}-t {id}-d\" class=\"chart\" font-family=\"system-ui, sans-serif\" \
         font-size=\"11\" fill=\"{INK}\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(f.title),
        esc(&f.desc),
        id = f.id,
    );
}

/// A step of 1, 2 or 5 times a power of ten that gives about five ticks up to `max`.
pub fn nice_step(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let raw = max / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let norm = raw / magnitude;
    let nice = match norm {
        n if n <= 1.0 => 1.0,
        n if n <= 2.0 => 2.0,
        n if n <= 5.0 => 5.0,
        _ => 10.0,
    };
    nice * magnitude
}

/// The top of the y axis: `max` rounded up to a whole step (at least one step).
fn axis_top(max: f64, step: f64) -> f64 {
    ((max / step).ceil() * step).max(step)
}

pub fn num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

/// Grid lines, y tick labels and both axis titles.
fn y_axis(out: &mut String, f: &Frame, top: f64, step: f64, unit: &str) {
    let plot_h = H - TOP - BOTTOM;
    let mut v = 0.0;
    while v <= top + step / 2.0 {
        let y = TOP + plot_h * (1.0 - v / top);
        let _ = write!(
            out,
            "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}{unit}</text>",
            W - RIGHT,
            LEFT - 4.0,
            y + 3.5,
            num(v),
        );
        v += step;
    }
    axes(out, f);
}

fn legend(out: &mut String, items: &[(&str, &str, Marker)]) {
    let mut x = LEFT;
    for (name, colour, marker) in items {
        marker.draw(out, x + 5.0, 14.0, colour);
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"18\">{}</text>",
            x + 14.0,
            esc(name)
        );
        x += 24.0 + 6.5 * name.chars().count() as f64;
    }
}

/// Columns, one per x label (a week, a month), on a y axis from zero. The values are
/// counts (sessions, whole minutes), so the ticks are whole numbers too.
pub fn columns(f: &Frame, labels: &[String], values: &[f64], colour: &str, unit: &str) -> String {
    let mut out = String::new();
    open(&mut out, f, W, H);
    let max = values.iter().copied().fold(0.0, f64::max);
    let step = nice_step(max).max(1.0);
    let top = axis_top(max, step);
    y_axis(&mut out, f, top, step, unit);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let n = values.len().max(1) as f64;
    let slot = plot_w / n;
    let bar = (slot * 0.8).max(1.0);
    // Labels at most every 40 units, so they never overlap.
    let every = ((40.0 / slot).ceil() as usize).max(1);
    for (i, (label, &v)) in labels.iter().zip(values).enumerate() {
        let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
        let h = plot_h * v / top;
        if v > 0.0 {
            let _ = write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" fill=\"{colour}\"><title>{}: {}{unit}</title></rect>",
                TOP + plot_h - h,
                esc(label),
                num(v)
            );
        }
        if i % every == 0 {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x + bar / 2.0,
                H - BOTTOM + 14.0,
                esc(label)
            );
        }
    }
    out.push_str("</svg>");
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Circle,
    Square,
    Diamond,
}

impl Marker {
    fn draw(self, out: &mut String, x: f64, y: f64, colour: &str) {
        let _ = match self {
            Marker::Circle => write!(
                out,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{colour}\"/>"
            ),
            Marker::Square => write!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\" fill=\"{colour}\"/>",
                x - 3.5,
                y - 3.5
            ),
            Marker::Diamond => write!(
                out,
                "<path d=\"M{x:.1} {:.1}l4.5 4.5l-4.5 4.5l-4.5 -4.5z\" fill=\"{colour}\"/>",
                y - 4.5
            ),
        };
    }
}

/// One set of points over time, joined by a thin line.
pub struct Series<'a> {
    pub name: &'a str,
    pub colour: &'a str,
    pub marker: Marker,
    /// x from 0 (the first session shown) to 1 (the last); `None` draws nothing there.
    pub points: Vec<(f64, Option<f64>)>,
}

/// The y axis of a chart of points.
pub struct Scale<'a> {
    pub min: f64,
    /// At least this high; the data may raise it.
    pub max: f64,
    pub unit: &'a str,
    /// A dashed line to compare against (the limit), and its label.
    pub reference: Option<(f64, &'a str)>,
}

/// Points over time: the x labels are given (dates at the two ends and between).
pub fn points(f: &Frame, x_labels: &[(f64, String)], series: &[Series], scale: &Scale) -> String {
    let mut out = String::new();
    open(&mut out, f, W, H);
    let data_max = series
        .iter()
        .flat_map(|s| s.points.iter().filter_map(|p| p.1))
        .fold(scale.max, f64::max);
    let step = nice_step(data_max - scale.min);
    let top = scale.min + axis_top(data_max - scale.min, step);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let span = top - scale.min;
    // The y axis counts from `min`: draw its grid with offset labels.
    y_grid(&mut out, scale, top, step);
    axes(&mut out, f);
    // Points sit inside the plot, clear of the axes, and the end labels inside the chart.
    let px = |x: f64| LEFT + 18.0 + (plot_w - 40.0) * x;
    let py = |y: f64| TOP + plot_h * (1.0 - (y - scale.min) / span);
    for (x, label) in x_labels {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            px(*x),
            H - BOTTOM + 14.0,
            esc(label)
        );
    }
    if let Some((value, label)) = scale.reference {
        let _ = write!(
            out,
            "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{INK}\" stroke-dasharray=\"5 3\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            W - RIGHT,
            W - RIGHT - 2.0,
            py(value) - 4.0,
            esc(label),
            y = py(value),
        );
    }
    let items: Vec<_> = series
        .iter()
        .map(|s| (s.name, s.colour, s.marker))
        .collect();
    legend(&mut out, &items);
    for s in series {
        line_with_marks(&mut out, s, &px, &py);
    }
    out.push_str("</svg>");
    out
}

/// The two axes of a chart and their labels.
fn axes(out: &mut String, f: &Frame) {
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let _ = write!(
        out,
        "<line x1=\"{LEFT}\" x2=\"{LEFT}\" y1=\"{TOP}\" y2=\"{:.1}\" stroke=\"{INK}\"/>\
         <line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{INK}\"/>\
         <text x=\"12\" y=\"{:.1}\" transform=\"rotate(-90 12 {:.1})\" text-anchor=\"middle\">{}</text>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
        H - BOTTOM,
        W - RIGHT,
        H - BOTTOM,
        H - BOTTOM,
        TOP + plot_h / 2.0,
        TOP + plot_h / 2.0,
        esc(f.y_label),
        LEFT + plot_w / 2.0,
        H - 6.0,
        esc(f.x_label),
    );
}

/// The horizontal grid lines of a y axis from `scale.min` to `top`, labelled.
fn y_grid(out: &mut String, scale: &Scale, top: f64, step: f64) {
    let plot_h = H - TOP - BOTTOM;
    let span = top - scale.min;
    let mut v = scale.min;
    while v <= top + step / 2.0 {
        let y = TOP + plot_h * (1.0 - (v - scale.min) / span);
        let _ = write!(
            out,
            "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}{}</text>",
            W - RIGHT,
            LEFT - 4.0,
            y + 3.5,
            num(v),
            scale.unit
        );
        v += step;
    }
}

/// One series: its points joined by a line, and a mark on each. Where points are missing
/// (a session without a rating or a recording) the line goes on across the gap, dashed,
/// so every chart shows a gap the same way.
fn line_with_marks(out: &mut String, s: &Series, px: &dyn Fn(f64) -> f64, py: &dyn Fn(f64) -> f64) {
    let (mut solid, mut dashed) = (String::new(), String::new());
    let mut last: Option<(f64, f64)> = None;
    let mut gap = false;
    for &(x, y) in &s.points {
        let Some(y) = y else {
            gap = last.is_some();
            continue;
        };
        let here = (px(x), py(y));
        if let Some(from) = last {
            let d = if gap { &mut dashed } else { &mut solid };
            let _ = write!(
                d,
                "M{:.1} {:.1}L{:.1} {:.1}",
                from.0, from.1, here.0, here.1
            );
        }
        last = Some(here);
        gap = false;
    }
    for (d, dash) in [(solid, ""), (dashed, " stroke-dasharray=\"4 3\"")] {
        if !d.is_empty() {
            let _ = write!(
                out,
                "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" stroke-opacity=\"0.6\"{dash}/>",
                s.colour
            );
        }
    }
    for &(x, y) in &s.points {
        if let Some(y) = y {
            s.marker.draw(out, px(x), py(y), s.colour);
        }
    }
}

/// Horizontal bars, a group per row (a category), one bar per series, on an axis from
/// zero to `max`.
pub fn bar_rows(
    f: &Frame,
    rows: &[String],
    series: &[(&str, &str, Vec<Option<f64>>)],
    max: f64,
    unit: &str,
) -> String {
    let label_w = 190.0;
    let group = 8.0 + 12.0 * series.len() as f64;
    let height = TOP + group * rows.len() as f64 + 40.0;
    let mut out = String::new();
    open(&mut out, f, W, height);
    let items: Vec<_> = series
        .iter()
        .map(|(name, colour, _)| (*name, *colour, Marker::Square))
        .collect();
    legend(&mut out, &items);
    let plot_w = W - label_w - RIGHT - 30.0;
    let bottom = height - 40.0;
    let step = nice_step(max);
    let top = axis_top(max, step);
    let mut v = 0.0;
    while v <= top + step / 2.0 {
        let x = label_w + plot_w * v / top;
        let _ = write!(
            out,
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{TOP}\" y2=\"{bottom:.1}\" stroke=\"{GRID}\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}{unit}</text>",
            bottom + 14.0,
            num(v)
        );
        v += step;
    }
    let _ = write!(
        out,
        "<line x1=\"{label_w}\" x2=\"{label_w}\" y1=\"{TOP}\" y2=\"{bottom:.1}\" stroke=\"{INK}\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\
         <text x=\"4\" y=\"{:.1}\">{}</text>",
        label_w + plot_w / 2.0,
        height - 6.0,
        esc(f.x_label),
        TOP - 2.0,
        esc(f.y_label),
    );
    for (r, row) in rows.iter().enumerate() {
        let y0 = TOP + group * r as f64 + 4.0;
        let shown: String = if row.chars().count() > 30 {
            row.chars().take(29).chain(['…']).collect()
        } else {
            row.clone()
        };
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}<title>{}</title></text>",
            label_w - 6.0,
            y0 + group / 2.0,
            esc(&shown),
            esc(row)
        );
        for (s, (name, colour, values)) in series.iter().enumerate() {
            let y = y0 + 12.0 * s as f64;
            let _ = match values.get(r).copied().flatten() {
                Some(v) => write!(
                    out,
                    "<rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"10\" fill=\"{colour}\"><title>{}: {}{unit}</title></rect>\
                     <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\">{}{unit}</text>",
                    (plot_w * v / top).max(0.5),
                    esc(name),
                    num(v),
                    label_w + plot_w * v / top + 3.0,
                    y + 8.5,
                    num(v),
                ),
                None => write!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\">no {}</text>",
                    label_w + 3.0,
                    y + 8.5,
                    esc(&name.to_lowercase()),
                ),
            };
        }
    }
    out.push_str("</svg>");
    out
}

/// The level of a day's minutes in the calendar: 0 for none, 1 to 4 by the thresholds.
pub fn shade(minutes: f64, thresholds: [f64; 3]) -> usize {
    if minutes <= 0.0 {
        0
    } else {
        1 + thresholds.iter().filter(|&&t| minutes > t).count()
    }
}

/// A year of days, a column per week (Monday on top), ending with the week of `end`;
/// `minutes` gives each practised day's minutes.
pub fn calendar(
    f: &Frame,
    end: NaiveDate,
    weeks: usize,
    minutes: &dyn Fn(NaiveDate) -> f64,
    thresholds: [f64; 3],
) -> String {
    let cell = 11.0;
    let gap = 2.0;
    let left = 30.0;
    let top = 30.0;
    let width = left + (cell + gap) * weeks as f64 + 10.0;
    let height = top + (cell + gap) * 7.0 + 34.0;
    let mut out = String::new();
    open(&mut out, f, width, height);
    let last_monday = crate::review::stats::week_of(end);
    let first = last_monday - Days::new(7 * (weeks as u64 - 1));
    for (row, name) in [(0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun")] {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"9\">{name}</text>",
            left - 4.0,
            top + (cell + gap) * f64::from(row) + 9.0
        );
    }
    let mut month = None;
    for w in 0..weeks {
        let monday = first + Days::new(7 * w as u64);
        let x = left + (cell + gap) * w as f64;
        if month != Some(monday.month()) {
            // A label where a month starts, unless it would crowd the right edge.
            if month.is_some() || monday.day() <= 7 {
                let _ = write!(
                    out,
                    "<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"9\">{}</text>",
                    top - 6.0,
                    monday.format("%b")
                );
            }
            month = Some(monday.month());
        }
        for d in 0..7u64 {
            let day = monday + Days::new(d);
            if day > end {
                break;
            }
            let m = minutes(day);
            let level = shade(m, thresholds);
            let fill = if level == 0 { EMPTY } else { SHADES[level - 1] };
            let _ = write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{cell}\" height=\"{cell}\" fill=\"{fill}\"><title>{}: {}</title></rect>",
                top + (cell + gap) * d as f64,
                day.format("%a %-d %b %Y"),
                if m > 0.0 {
                    format!("{} min", num(m.round()))
                } else {
                    "no practice".to_string()
                }
            );
        }
    }
    // The key: empty, then the four shades.
    let ky = height - 26.0;
    let _ = write!(
        out,
        "<text x=\"{left}\" y=\"{:.1}\" font-size=\"9\">less</text>",
        ky + 9.0
    );
    for (i, fill) in std::iter::once(EMPTY).chain(SHADES).enumerate() {
        let _ = write!(
            out,
            "<rect x=\"{:.1}\" y=\"{ky:.1}\" width=\"{cell}\" height=\"{cell}\" fill=\"{fill}\"/>",
            left + 26.0 + (cell + gap) * i as f64
        );
    }
    let _ = write!(
        out,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\">more ({}: minutes practised that day, up to {}, {}, {}, more)</text>\
         <text x=\"{left}\" y=\"{:.1}\" font-size=\"9\">{}</text>",
        left + 26.0 + (cell + gap) * 5.0 + 2.0,
        ky + 9.0,
        esc(f.y_label),
        num(thresholds[0]),
        num(thresholds[1]),
        num(thresholds[2]),
        height - 3.0,
        esc(f.x_label),
    );
    out.push_str("</svg>");
    out
}

/// A small line of one question's latest attempts: answer time as a share of the limit
/// (the dashed line), a square at the bottom for a skip.
pub fn sparkline(label: &str, shares: &[Option<f64>]) -> String {
    let (w, h) = (120.0, 28.0);
    let max = shares.iter().flatten().copied().fold(1.25, f64::max);
    let py = |v: f64| h - 3.0 - (h - 6.0) * v / max;
    let px = |i: usize| 4.0 + (w - 8.0) * i as f64 / (shares.len().max(2) - 1) as f64;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" class=\"spark\"><title>{}</title>\
         <line x1=\"0\" x2=\"{w}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{INK}\" stroke-dasharray=\"3 2\" stroke-width=\"0.8\"/>",
        esc(label),
        y = py(1.0)
    );
    let mut d = String::new();
    for (i, v) in shares.iter().enumerate() {
        if let Some(v) = v {
            let _ = write!(
                d,
                "{}{:.1} {:.1}",
                if d.is_empty() { "M" } else { "L" },
                px(i),
                py(*v)
            );
        }
    }
    if !d.is_empty() {
        let _ = write!(
            out,
            "<path d=\"{d}\" fill=\"none\" stroke=\"{BLUE}\" stroke-width=\"1.5\"/>"
        );
    }
    for (i, v) in shares.iter().enumerate() {
        let _ = match v {
            Some(v) => write!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"{}\"/>",
                px(i),
                py(*v),
                if *v >= 1.0 { VERMILLION } else { BLUE }
            ),
            None => write!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"5\" height=\"5\" fill=\"{SKY}\"/>",
                px(i) - 2.5,
                h - 6.0
            ),
        };
    }
    out.push_str("</svg>");
    out
}
