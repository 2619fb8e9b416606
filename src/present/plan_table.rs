//! The plan as a table: each question's thinking time, limit and warning, and where each
//! came from. Shown by `rehearse run --dry-run` and `rehearse banks show`.

use std::fmt::Write;

use crate::duration::clock;
use crate::plan::{LimitSource, Plan};
use crate::text::sanitize;

/// Renders the plan; `scale` is mentioned when it is not 1. `texts`: each question's text
/// too, wrapped under its row, so a bank can be read without opening its file.
pub fn plan_table(title: &str, plan: &Plan, scale: f64, texts: bool) -> String {
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
    let wrap = textwrap::Options::new(width)
        .initial_indent(&indent)
        .subsequent_indent(&indent);
    let texts: Vec<Option<String>> = plan
        .questions
        .iter()
        .map(|q| texts.then(|| textwrap::fill(&sanitize(&q.text), &wrap)))
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
        if let Some(Some(text)) = n.checked_sub(1).and_then(|i| texts.get(i)) {
            out.push_str(text);
            out.push('\n');
        }
    }
    out
}
