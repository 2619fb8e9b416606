//! The plan as a table: each question's thinking time, limit and warning, and where each
//! came from. Shown by `rehearse run --dry-run` and `rehearse banks show`.

use std::fmt::Write;

use crate::duration::clock;
use crate::plan::{LimitSource, Plan, PlannedQuestion};
use crate::text::sanitize;

/// What is written under each question's row, wrapped to the width.
#[derive(Debug, Clone, Copy, Default)]
pub struct Under<'a> {
    /// The question's text, so a bank can be read without opening its file.
    pub text: bool,
    /// Its talking points, to study them outside a session.
    pub points: bool,
    /// Why each question was chosen, in plan order (`--weakest --dry-run`).
    pub why: &'a [String],
}

/// What goes under one question's row, each line indented by `indent` and wrapped to
/// `width`; empty when nothing does.
fn under_row(
    q: &PlannedQuestion,
    why: Option<&String>,
    under: &Under,
    indent: &str,
    width: usize,
) -> String {
    let wrap = textwrap::Options::new(width)
        .initial_indent(indent)
        .subsequent_indent(indent);
    let bullet_indent = format!("{indent}  ");
    let bullet = wrap.clone().subsequent_indent(&bullet_indent);
    let mut lines = Vec::new();
    if under.text {
        lines.push(textwrap::fill(&sanitize(&q.text), &wrap));
    }
    if under.points && q.talking_points.is_empty() {
        lines.push(format!("{indent}(no talking points)"));
    } else if under.points {
        lines.extend(
            q.talking_points
                .iter()
                .map(|p| textwrap::fill(&format!("• {}", sanitize(p)), &bullet)),
        );
    }
    if let Some(why) = why.filter(|w| !w.is_empty()) {
        lines.push(textwrap::fill(why, &wrap));
    }
    lines.join("\n")
}

/// Renders the plan; `scale` is mentioned when it is not 1.
pub fn plan_table(title: &str, plan: &Plan, scale: f64, under: Under) -> String {
    let mut out = String::new();
    let answers: std::time::Duration = plan.questions.iter().map(|q| q.limit).sum();
    let thinking: std::time::Duration = plan.questions.iter().map(|q| q.prep).sum();
    let _ = write!(
        out,
        "{} · {} · up to {} in all",
        sanitize(title),
        super::questions(plan.questions.len()),
        clock(plan.total())
    );
    if !thinking.is_zero() {
        let _ = write!(
            out,
            " ({} answering, {} thinking)",
            clock(answers),
            clock(thinking)
        );
    }
    if scale != 1.0 {
        let _ = write!(out, " · every time ×{scale}");
    }
    out.push('\n');
    let with = |value: String, source: LimitSource| format!("{value} ({})", source.label());
    let rows: Vec<[String; 5]> = plan
        .questions
        .iter()
        .map(|q| {
            let prep = if q.prep.is_zero() && q.prep_source == LimitSource::Default {
                "-".to_string()
            } else if q.prep.is_zero() {
                with("off".to_string(), q.prep_source)
            } else {
                with(clock(q.prep), q.prep_source)
            };
            let warn = if q.warn >= q.limit {
                "none".to_string()
            } else {
                with(format!("{} left", clock(q.warn)), q.warn_source)
            };
            let mut limit = with(clock(q.limit), q.limit_source);
            if let Some(min) = q.min {
                let _ = write!(limit, ", min {}", clock(min));
            }
            [q.index.to_string(), sanitize(&q.id), prep, limit, warn]
        })
        .collect();
    let header = ["#", "question", "think", "answer", "warning"].map(String::from);
    let widths: Vec<usize> = (0..5)
        .map(|c| {
            rows.iter()
                .chain([&header])
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    // The terminal's width on a terminal; 100 columns into a pipe, the same every time.
    let width = std::io::IsTerminal::is_terminal(&std::io::stdout())
        .then(|| crossterm::terminal::size().ok())
        .flatten()
        .map_or(100, |(w, _)| usize::from(w).clamp(40, 120));
    let indent = " ".repeat(widths[0] + 2);
    let texts: Vec<String> = plan
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| under_row(q, under.why.get(i), &under, &indent, width))
        .collect();
    for (n, row) in std::iter::once(&header).chain(&rows).enumerate() {
        let line = format!(
            "{:>w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
        );
        out.push_str(line.trim_end());
        out.push('\n');
        if let Some(text) = n.checked_sub(1).and_then(|i| texts.get(i))
            && !text.is_empty()
        {
            out.push_str(text);
            out.push('\n');
        }
    }
    out
}
