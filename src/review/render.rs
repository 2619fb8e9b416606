//! Review as text: tables that fit a width, answer bars, sparklines, and the Markdown,
//! CSV and JSON documents. Pure: summaries and stats in, strings out. The caller decides
//! the width and whether there is colour; nothing here looks at the terminal.
//!
//! Dates are shown in the offset each session was logged with: the local time of the
//! person when they practised, whatever the time zone of the machine reading the logs.

use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use crossterm::style::{Attribute, Color, Stylize};
use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::stats::{Line, Said, SaidAttempt, Spoken, Stats};
use super::{Counts, Ending, Listed, QuestionRecord, SessionSummary, Status, Take, Unreadable};
use crate::duration::{clock, clock_round};
use crate::text::sanitize;

/// How text output looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Terminal columns to fit in.
    pub width: usize,
    pub color: bool,
}

const GAP: &str = "  ";
const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

// ---------------------------------------------------------------------------------------
// Tables

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

struct Col {
    header: &'static str,
    align: Align,
    /// The narrowest a column that may shrink can get; `None` keeps its width.
    shrink_to: Option<usize>,
    /// When the table is too wide, columns of the highest rank are left out first (the
    /// rightmost of equals); rank 0 always stays.
    rank: u8,
}

/// The rank of a column unless [`Col::rank`] says otherwise.
const RANK: u8 = 1;

const fn col(header: &'static str, align: Align) -> Col {
    Col {
        header,
        align,
        shrink_to: None,
        rank: RANK,
    }
}

const fn flex(header: &'static str, shrink_to: usize) -> Col {
    Col {
        header,
        align: Align::Left,
        shrink_to: Some(shrink_to),
        rank: RANK,
    }
}

impl Col {
    const fn rank(self, rank: u8) -> Col {
        Col { rank, ..self }
    }
}

#[derive(Debug, Clone, Default)]
struct Cell {
    text: String,
    color: Option<Color>,
}

fn cell(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        color: None,
    }
}

fn colored(text: impl Into<String>, color: Option<Color>) -> Cell {
    Cell {
        text: text.into(),
        color,
    }
}

/// Lays out rows under headers, two spaces apart. When the natural widths do not fit,
/// the columns that may shrink give up space, the rightmost first (a question id, which
/// people type, outlasts its category), and their cells are cut with `…`. When that is
/// not enough, columns are left out by rank, and a line under the table names them.
fn table(cols: &[Col], rows: &[Vec<Cell>], style: Style) -> String {
    let mut out = String::new();
    table_to(
        &mut |text| {
            out.push_str(text);
            Ok(())
        },
        cols,
        || rows.iter(),
        style,
    )
    .expect("writing to a string cannot fail");
    out
}

/// The table written a row at a time to `emit`: `rows` gives the rows again for each
/// pass (the widths, then the lines), so none of them need be kept.
fn table_to<I, R>(
    emit: &mut dyn FnMut(&str) -> std::io::Result<()>,
    cols: &[Col],
    rows: impl Fn() -> I,
    style: Style,
) -> std::io::Result<()>
where
    I: Iterator<Item = R>,
    R: AsRef<[Cell]>,
{
    let mut widths: Vec<usize> = cols.iter().map(|c| c.header.width()).collect();
    for row in rows() {
        for (w, c) in widths.iter_mut().zip(row.as_ref()) {
            *w = (*w).max(c.text.width());
        }
    }
    let total = widths.iter().sum::<usize>() + GAP.len() * cols.len().saturating_sub(1);
    let mut excess = total.saturating_sub(style.width);
    for (i, c) in cols.iter().enumerate().rev() {
        if let Some(min) = c.shrink_to {
            let give = excess.min(widths[i].saturating_sub(min));
            widths[i] -= give;
            excess -= give;
        }
    }
    // Still too wide: columns are left out, the highest rank first, so a line never wraps
    // into the next row; what was left out is said under the table.
    let mut kept: Vec<usize> = (0..cols.len()).collect();
    let width_of = |kept: &[usize]| {
        kept.iter().map(|&i| widths[i]).sum::<usize>() + GAP.len() * kept.len().saturating_sub(1)
    };
    let mut left_out = Vec::new();
    while width_of(&kept) > style.width {
        // The first column (what the row is about) always stays.
        let Some(at) = (1..kept.len())
            .filter(|&k| cols[kept[k]].rank > 0)
            .max_by_key(|&k| (cols[kept[k]].rank, k))
        else {
            break;
        };
        left_out.push(cols[kept.remove(at)].header);
    }
    let shown: Vec<&Col> = kept.iter().map(|&i| &cols[i]).collect();
    let shown_widths: Vec<usize> = kept.iter().map(|&i| widths[i]).collect();
    let pick = |row: &[Cell]| -> Vec<Cell> {
        kept.iter()
            .map(|&i| row.get(i).cloned().unwrap_or_default())
            .collect()
    };
    let mut out = String::new();
    let header: Vec<Cell> = cols.iter().map(|c| cell(c.header)).collect();
    push_row(&mut out, &shown, &shown_widths, &pick(&header), style, true);
    emit(&out)?;
    for row in rows() {
        out.clear();
        push_row(
            &mut out,
            &shown,
            &shown_widths,
            &pick(row.as_ref()),
            style,
            false,
        );
        emit(&out)?;
    }
    out.clear();
    if !left_out.is_empty() {
        // In the order of the table, not the order they were left out in.
        left_out.sort_by_key(|h| cols.iter().position(|c| c.header == *h));
        let note = format!(
            "Left out to fit {} columns: {} (a wider terminal shows them; --json has all).",
            style.width,
            left_out.join(", ")
        );
        push_wrapped(&mut out, &note, style);
    }
    emit(&out)
}

fn push_row(
    out: &mut String,
    cols: &[&Col],
    widths: &[usize],
    row: &[Cell],
    style: Style,
    header: bool,
) {
    let mut line = String::new();
    for (i, (c, &w)) in cols.iter().zip(widths).enumerate() {
        let empty = Cell::default();
        let cell = row.get(i).unwrap_or(&empty);
        let text = fit(&cell.text, w);
        let pad = " ".repeat(w.saturating_sub(text.width()));
        if i > 0 {
            line.push_str(GAP);
        }
        let shown = if header {
            paint_attr(&text, Attribute::Bold, style.color)
        } else {
            paint(&text, cell.color, style.color)
        };
        match c.align {
            Align::Left => {
                line.push_str(&shown);
                line.push_str(&pad);
            }
            Align::Right => {
                line.push_str(&pad);
                line.push_str(&shown);
            }
        }
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

/// Cuts text to `width` terminal cells, ending with `…` when something was cut.
fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

fn paint(text: &str, color: Option<Color>, on: bool) -> String {
    match color {
        Some(color) if on && !text.is_empty() => text.with(color).to_string(),
        _ => text.to_string(),
    }
}

fn paint_attr(text: &str, attr: Attribute, on: bool) -> String {
    if on && !text.is_empty() {
        text.attribute(attr).to_string()
    } else {
        text.to_string()
    }
}

// ---------------------------------------------------------------------------------------
// Small pieces

/// `Tue 2026-11-25 14:03`, in the session's own offset.
pub fn date(t: &DateTime<FixedOffset>) -> String {
    t.format("%a %Y-%m-%d %H:%M").to_string()
}

fn ms(ms: u64) -> String {
    clock(Duration::from_millis(ms))
}

fn opt_ms(v: Option<u64>) -> String {
    v.map_or_else(|| "-".to_string(), ms)
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn ending_color(e: Ending) -> Option<Color> {
    match e {
        Ending::Completed => None,
        Ending::Aborted => Some(Color::Yellow),
        Ending::Interrupted => Some(Color::Magenta),
        Ending::InProgress => Some(Color::Cyan),
    }
}

fn count_color(n: usize, color: Color) -> Option<Color> {
    (n > 0).then_some(color)
}

/// A sparkline of answer times, oldest first: the taller, the longer, on a scale from zero
/// to `scale` (or the longest answer, if longer); `·` marks a skip.
pub fn sparkline(points: &[Option<u64>], scale: Option<u64>) -> String {
    let top = points
        .iter()
        .flatten()
        .copied()
        .chain(scale)
        .max()
        .unwrap_or(0)
        .max(1);
    points
        .iter()
        .map(|p| match p {
            None => '·',
            Some(v) => {
                let level = (v.saturating_mul(8)).div_ceil(top).clamp(1, 8) as usize;
                SPARKS[level - 1]
            }
        })
        .collect()
}

/// An answer against its limit, `width` cells for `scale` ms: `█` for time used within
/// the limit, `░` for time left, `▓` for time over.
pub fn bar(answer_ms: u64, limit_ms: u64, scale_ms: u64, width: usize, color: bool) -> String {
    let cells = |v: u64| -> usize {
        if scale_ms == 0 {
            0
        } else {
            ((v as u128 * width as u128 + scale_ms as u128 / 2) / scale_ms as u128) as usize
        }
    };
    let used = cells(answer_ms).max(usize::from(answer_ms > 0));
    let limit = cells(limit_ms).max(1);
    let inside = used.min(limit);
    let left = limit - inside;
    let over = used.saturating_sub(limit);
    let (green, red) = if color {
        (Some(Color::Green), Some(Color::Red))
    } else {
        (None, None)
    };
    format!(
        "{}{}{}",
        paint(
            &"█".repeat(inside),
            if over > 0 { red } else { green },
            color
        ),
        paint(&"░".repeat(left), color.then_some(Color::DarkGrey), color),
        paint(&"▓".repeat(over), red, color),
    )
}

// ---------------------------------------------------------------------------------------
// review list

/// The sessions table, then notes and unreadable files, written a row at a time.
pub fn list(
    out: &mut dyn std::io::Write,
    sessions: &[&Listed],
    unreadable: &[Unreadable],
    total: usize,
    style: Style,
) -> std::io::Result<()> {
    let cols = [
        col("#", Align::Right),
        col("date", Align::Left),
        flex("bank", 10),
        col("answered", Align::Right),
        col("skipped", Align::Right),
        col("over", Align::Right),
        col("time", Align::Right),
        col("outcome", Align::Left),
    ];
    let row = |s: &&Listed| {
        let c = &s.counts;
        vec![
            cell(s.number.map_or_else(String::new, |n| n.to_string())),
            cell(date(&s.started)),
            cell(sanitize(&s.bank)),
            cell(format!("{}/{}", c.answered, c.planned)),
            colored(c.skipped.to_string(), count_color(c.skipped, Color::Yellow)),
            colored(
                c.over_time.to_string(),
                count_color(c.over_time, Color::Red),
            ),
            cell(ms(s.total_ms)),
            colored(s.ending.label(), ending_color(s.ending)),
        ]
    };
    if sessions.is_empty() {
        out.write_all(b"No readable sessions.\n")?;
    } else {
        let mut emit = |text: &str| out.write_all(text.as_bytes());
        table_to(&mut emit, &cols, || sessions.iter().map(row), style)?;
    }
    let mut text = String::new();
    let shown = sessions.len();
    if total > 0 {
        let of = if shown == total {
            plural(total, "session")
        } else {
            format!("{shown} of {}", plural(total, "session"))
        };
        let line = format!("{of}; 'rehearse review show N' shows one.");
        text.push_str(&textwrap::fill(&line, style.width.max(20)));
        text.push('\n');
    }
    push_notes(&mut text, sessions, style);
    push_unreadable(&mut text, unreadable, style);
    out.write_all(text.as_bytes())
}

fn push_notes(out: &mut String, sessions: &[&Listed], style: Style) {
    let noted: Vec<_> = sessions.iter().filter(|s| !s.notes.is_empty()).collect();
    if noted.is_empty() {
        return;
    }
    out.push_str("\nNotes:\n");
    for s in noted {
        let who = match s.number {
            Some(n) => format!("#{n} {}", sanitize(&s.file)),
            None => sanitize(&s.file),
        };
        for note in &s.notes {
            push_wrapped(out, &format!("{who}: {note}"), style);
        }
    }
}

fn push_unreadable(out: &mut String, unreadable: &[Unreadable], style: Style) {
    // Files that do not even look like logs (no .jsonl) are only counted, in one line:
    // a folder shared with other things must not bury the table.
    let (logs, others): (Vec<&Unreadable>, Vec<&Unreadable>) =
        unreadable.iter().partition(|u| u.file.ends_with(".jsonl"));
    push_bad_logs(out, &logs, style);
    if !others.is_empty() {
        let named: Vec<String> = others.iter().take(3).map(|u| sanitize(&u.file)).collect();
        let more = match others.len().saturating_sub(3) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        if logs.is_empty() {
            out.push('\n');
        }
        let (count, what) = match others.len() {
            1 => ("1 other file".to_string(), "is not a session log"),
            n => (format!("{n} other files"), "are not session logs"),
        };
        push_wrapped(
            out,
            &format!(
                "{count} in the folder {what} (.jsonl), passed over: {}{more}",
                named.join(", ")
            ),
            style,
        );
    }
}

fn push_bad_logs(out: &mut String, unreadable: &[&Unreadable], style: Style) {
    if unreadable.is_empty() {
        return;
    }
    let head = format!(
        "{} could not be read and {} not shown:",
        plural(unreadable.len(), "file"),
        if unreadable.len() == 1 { "is" } else { "are" }
    );
    out.push_str(&format!(
        "\n{}\n",
        paint(&head, Some(Color::Yellow), style.color)
    ));
    for u in unreadable {
        push_wrapped(out, &format!("{}: {}", sanitize(&u.file), u.reason), style);
    }
}

/// An item of a list under a heading, indented and wrapped to the width.
fn push_wrapped(out: &mut String, text: &str, style: Style) {
    let options = textwrap::Options::new(style.width.max(20))
        .initial_indent("  ")
        .subsequent_indent("    ");
    for line in textwrap::wrap(text, options) {
        out.push_str(&line);
        out.push('\n');
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

// ---------------------------------------------------------------------------------------
// review show

/// One session, question by question, then totals.
/// `cut`: the takes cut off with the session (found by their files), each shown under
/// its question.
pub fn show(s: &SessionSummary, cut: &[super::CutTake], style: Style) -> String {
    let mut out = String::new();
    let mut head = vec![
        date(&s.started),
        sanitize(&s.bank),
        s.ending.label().to_string(),
    ];
    if let Some(n) = s.number {
        head.insert(0, format!("Session {n}"));
    }
    out.push_str(&paint_attr(&head.join(" · "), Attribute::Bold, style.color));
    out.push('\n');
    out.push_str(&format!("{} · seed {}\n", sanitize(&s.file), s.seed));

    let digits = s.questions.len().max(1).to_string().len();
    let indent = " ".repeat(digits + 3);
    let bar_width = style.width.saturating_sub(indent.len() + 40).clamp(10, 40);
    let scale = s
        .questions
        .iter()
        .map(|q| q.limit_ms.max(q.result.map_or(0, |r| r.answer_ms)))
        .max()
        .unwrap_or(0);
    let text_width = style.width.saturating_sub(indent.len()).max(20);
    for q in &s.questions {
        out.push('\n');
        let title = format!("{} · {}", sanitize(&q.id), sanitize(&q.category));
        out.push_str(&format!(
            " {:>digits$}  {}\n",
            q.index,
            paint(
                &fit(&title, text_width),
                style.color.then_some(Color::DarkGrey),
                style.color
            )
        ));
        for line in textwrap::wrap(&sanitize(&q.text), text_width) {
            out.push_str(&format!("{indent}{line}\n"));
        }
        out.push_str(&indent);
        out.push_str(&question_line(q, scale, bar_width, style));
        out.push('\n');
        let details = details(q);
        if !details.is_empty() {
            out.push_str(&format!("{indent}{}\n", details.join(" · ")));
        }
        for line in takes(q) {
            out.push_str(&format!("{indent}{line}\n"));
        }
        for t in q.takes.iter().filter(|t| t.transcript.is_some()) {
            out.push_str(&said(t, q.takes.len() > 1, &indent, text_width));
        }
        for c in cut.iter().filter(|c| c.index == q.index) {
            out.push_str(&format!(
                "{indent}take {}: recorded until the session was cut off, not measured \
                 (review play plays it)\n",
                c.take
            ));
        }
        if let Some(review) = &q.review {
            out.push_str(&format!("{indent}{}\n", self_review(review)));
            if let Some(note) = &review.note {
                for line in textwrap::wrap(&format!("note: {}", sanitize(note)), text_width) {
                    out.push_str(&format!("{indent}{line}\n"));
                }
            }
        }
    }
    out.push('\n');
    out.push_str(&totals(s));
    out.push('\n');
    if !s.notes.is_empty() {
        out.push('\n');
        for note in &s.notes {
            out.push_str(&format!("Note: {note}\n"));
        }
    }
    out
}

fn status_color(status: Status) -> Option<Color> {
    match status {
        Status::Answered => Some(Color::Green),
        Status::TimeUp => Some(Color::Red),
        Status::Skipped => Some(Color::Yellow),
        Status::Unfinished | Status::NotReached => Some(Color::DarkGrey),
    }
}

/// `answered   1:35 / 2:00  ███████░░░`, with `+0:12 over` when it ran over.
fn question_line(q: &QuestionRecord, scale: u64, bar_width: usize, style: Style) -> String {
    let status = q.status();
    let label = paint(
        &format!("{:<11}", status.label()),
        status_color(status),
        style.color,
    );
    let Some(r) = q.result else {
        let why = if q.asked {
            "   the log stops during this question"
        } else {
            ""
        };
        return format!("{label}{why}").trim_end().to_string();
    };
    // To the nearest second, as the spoken figures and the end of the session give them.
    let round = |n: u64| clock_round(Duration::from_millis(n));
    let times = format!("{:>7} / {:<7}", round(r.answer_ms), round(q.limit_ms));
    let mut line = format!(
        "{label}{times}{}",
        bar(r.answer_ms, q.limit_ms, scale, bar_width, style.color)
    );
    if r.overtime_ms > 0 {
        let over = format!("  +{} over", round(r.overtime_ms));
        line.push_str(&paint(&over, Some(Color::Red), style.color));
    }
    line
}

/// `rated 4/5 ★★★★☆ · STAR [x] S [ ] T [x] A [x] R`: the candidate's own review.
pub fn self_review(review: &crate::coach::SelfReview) -> String {
    let mut parts = vec![match review.rating {
        Some(r) => format!(
            "rated {r}/5 {}{}",
            "★".repeat(r.into()),
            "☆".repeat(5usize.saturating_sub(r.into()))
        ),
        None => "not rated".to_string(),
    }];
    if let Some(star) = review.star {
        parts.push(format!("STAR {}", star.marks()));
    }
    parts.join(" · ")
}

/// Thinking time, pauses, time changes and cues, when there were any.
fn details(q: &QuestionRecord) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(r) = q.result {
        if r.prep_ms > 0 {
            parts.push(format!("thinking {}", ms(r.prep_ms)));
        }
        if q.pauses > 0 {
            parts.push(format!("paused {}× ({})", q.pauses, ms(r.paused_ms)));
        }
        if r.short {
            parts.push("shorter than the minimum".to_string());
        }
    } else if q.pauses > 0 {
        parts.push(format!("paused {}×", q.pauses));
    }
    if q.adjusted_ms != 0 {
        let sign = if q.adjusted_ms > 0 { '+' } else { '-' };
        parts.push(format!(
            "time {sign}{} (limit was {})",
            ms(q.adjusted_ms.unsigned_abs()),
            ms(q.planned_limit_ms)
        ));
    }
    let cues: Vec<&str> = [(q.warning_cue(), "warning"), (q.time_up_cue, "time up")]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
    if !cues.is_empty() {
        parts.push(format!("cues: {}", cues.join(", ")));
    }
    parts
}

/// One line per take once there is more than one or any was recorded; with more than
/// one, each is numbered and the one that counts is marked.
fn takes(q: &QuestionRecord) -> Vec<String> {
    if !q.takes_matter() {
        return Vec::new();
    }
    let counted = q.counted_take().map(|t| t.take);
    let many = q.takes.len() > 1;
    q.takes
        .iter()
        .map(|t| {
            let name = match (many, Some(t.take) == counted) {
                (false, _) => "recorded".to_string(),
                (true, true) => format!("take {} (counts)", t.take),
                (true, false) => format!("take {}", t.take),
            };
            format!("{name}: {}", take(t))
        })
        .collect()
}

/// What is known of one take: how it was spoken, else how long it ran.
fn take(t: &Take) -> String {
    match (&t.spoken, t.answer_ms) {
        (Some(spoken), _) => {
            let mut line = crate::answer::spoken::line(spoken);
            if spoken.file.is_none() {
                line.push_str(" · recording not kept");
            }
            line
        }
        (None, Some(answer)) => format!("answered for {}, not recorded", ms(answer)),
        (None, None) => "not recorded".to_string(),
    }
}

/// What was said in a transcribed take, wrapped, with how it was said and the talking
/// points it covered by number.
fn said(t: &Take, many: bool, indent: &str, width: usize) -> String {
    let Some(transcript) = &t.transcript else {
        return String::new();
    };
    let name = if many {
        format!("take {} said", t.take)
    } else {
        "said".to_string()
    };
    let text = crate::answer::transcript::said(transcript);
    let mut out = String::new();
    let quoted = format!("{name}: \"{}\"", sanitize(&text));
    let lines = [
        Some(quoted),
        Some(crate::answer::transcript::line(transcript)),
    ];
    let points = crate::answer::transcript::points(transcript);
    for line in lines.into_iter().chain([points]).flatten() {
        for part in textwrap::wrap(&line, width) {
            out.push_str(&format!("{indent}{part}\n"));
        }
    }
    out
}

/// `2.1 s`, `3 s`: tenths of a second, as the spoken line gives them.
fn secs(ms: u64) -> String {
    crate::answer::spoken::seconds(Duration::from_millis(ms))
}

/// `2 answered of 3 (1 over time), 1 skipped · answers 3:51 of 5:30 planned · 3:56 in all`
fn totals(s: &SessionSummary) -> String {
    let counts = s.counts.describe();
    let answers: u64 = s
        .questions
        .iter()
        .filter_map(|q| q.result)
        .fold(0u64, |sum, r| sum.saturating_add(r.answer_ms));
    let planned = s
        .questions
        .iter()
        .fold(0u64, |sum, q| sum.saturating_add(q.planned_limit_ms));
    format!(
        "{counts} · answers {} of {} planned · {} in all",
        ms(answers),
        ms(planned),
        ms(s.total_ms)
    )
}

// ---------------------------------------------------------------------------------------
// review stats

/// The overview, then questions and categories, weakest first.
pub fn stats(st: &Stats, unreadable: &[Unreadable], style: Style) -> String {
    let mut out = overview(st, style);
    if !st.questions.is_empty() {
        out.push_str("\nQuestions, weakest first\n");
        out.push_str(&stats_table(&st.questions, true, style));
        out.push_str("\nCategories, weakest first\n");
        out.push_str(&stats_table(&st.categories, false, style));
    }
    push_unreadable(&mut out, unreadable, style);
    out
}

/// `3 sessions from ... to ... · 15:54 of practice`, then how they ended and the attempts,
/// wrapped to the width.
fn overview(st: &Stats, style: Style) -> String {
    let o = &st.overview;
    let (Some(first), Some(last)) = (o.first, o.last) else {
        return "No sessions.\n".to_string();
    };
    let (first, last) = (date(&first), date(&last));
    let span = if first == last {
        format!("on {first}")
    } else {
        format!("from {first} to {last}")
    };
    let head = format!(
        "{} {span} · {} of practice",
        plural(o.sessions, "session"),
        ms(o.practice_ms)
    );
    let mut endings = vec![format!("{} completed", o.completed)];
    if o.aborted > 0 {
        endings.push(format!("{} aborted", o.aborted));
    }
    if o.interrupted > 0 {
        endings.push(format!("{} interrupted", o.interrupted));
    }
    if o.in_progress > 0 {
        endings.push(format!("{} in progress", o.in_progress));
    }
    let mut tail = endings.join(", ");
    if o.attempts > 0 {
        tail.push_str(&format!(
            "; {}: {} answered, {} skipped, {} over time ({})",
            plural(o.attempts, "attempt"),
            o.answered,
            o.skipped,
            o.over_time,
            percent(o.over_time as f64 / o.attempts as f64)
        ));
    }
    let mut out = String::new();
    let spoken = o.spoken.as_ref().map(spoken_summary);
    let said = o.said.as_ref().map(said_summary);
    for line in [Some(head), Some(tail), spoken, said].into_iter().flatten() {
        for part in textwrap::wrap(&line, style.width.max(20)) {
            out.push_str(&part);
            out.push('\n');
        }
    }
    out
}

/// `Spoken: 5 answers recorded · median first word 2.1 s · spoke 78% of the time · 3 long
/// pauses in 2 answers`
fn spoken_summary(sp: &Spoken) -> String {
    let mut parts = vec![format!(
        "Spoken: {} recorded",
        plural(sp.recorded, "answer")
    )];
    if let Some(first) = sp.median_first_word_ms {
        parts.push(format!("median first word {}", secs(first)));
    }
    parts.push(format!("spoke {} of the time", percent(sp.speaking_share)));
    parts.push(match sp.long_pauses {
        0 => "no long pauses".to_string(),
        n => format!(
            "{} in {}",
            plural(n as usize, "long pause"),
            plural(sp.with_long_pauses, "answer")
        ),
    });
    if sp.silent > 0 {
        parts.push(format!("{} with nothing said", sp.silent));
    }
    parts.join(" · ")
}

/// `Said: 4 answers transcribed · 142 words a minute · 2.1 filler words a minute ·
/// covered 9 of 20 talking points (45%)`
fn said_summary(said: &Said) -> String {
    let mut parts = vec![format!(
        "Said: {} transcribed",
        plural(said.transcribed, "answer")
    )];
    if let Some(wpm) = said.words_a_minute {
        parts.push(format!("{wpm} words a minute"));
    }
    match said.fillers_a_minute {
        Some(rate) => parts.push(format!("{rate:.1} filler words a minute")),
        None => parts.push(plural(said.filler_words as usize, "filler word")),
    }
    if let Some(share) = said.coverage {
        parts.push(format!(
            "covered {} of {} talking points ({})",
            said.points_covered,
            said.points,
            percent(share)
        ));
    }
    parts.join(" · ")
}

/// Which columns a stats table has: the coaching ones only once there is something to
/// show in them.
struct Shown {
    questions: bool,
    spoken: bool,
    said: bool,
    rated: bool,
    due: bool,
}

fn stats_table(lines: &[Line], questions: bool, style: Style) -> String {
    let shown = Shown {
        questions,
        spoken: lines.iter().any(|l| l.spoken.is_some()),
        said: lines.iter().any(|l| l.said.is_some()),
        rated: questions && (lines.iter()).any(|l| l.trend_rating.iter().any(Option::is_some)),
        due: questions && lines.iter().any(|l| l.due.is_some()),
    };
    let rows: Vec<Vec<Cell>> = lines.iter().map(|l| stats_row(l, &shown)).collect();
    table(&stats_columns(&shown), &rows, style)
}

fn stats_columns(shown: &Shown) -> Vec<Col> {
    // Question ids stay whole (they are copied into `--question`); categories shorten.
    let mut cols = vec![if shown.questions {
        col("question", Align::Left)
    } else {
        flex("category", 12)
    }];
    // When not everything fits, what says how it is going (tries, median, over, skips,
    // your rating, when it is due) outlasts the rest.
    if shown.questions {
        cols.push(flex("category", 8).rank(3));
    } else {
        cols.push(col("questions", Align::Right).rank(2));
    }
    cols.extend([
        col("tries", Align::Right),
        col("median", Align::Right),
        col("best", Align::Right).rank(3),
    ]);
    if shown.questions {
        cols.push(col("limit", Align::Right).rank(2));
    }
    cols.extend([
        col("over", Align::Right),
        col("skips", Align::Right),
        col("trend", Align::Left).rank(2),
    ]);
    if shown.spoken {
        cols.extend([
            col("1st word", Align::Right).rank(2),
            col("spoke", Align::Right).rank(3),
            col("pauses", Align::Right).rank(2),
        ]);
    }
    if shown.said {
        cols.extend([
            col("wpm", Align::Right).rank(3),
            col("fillers", Align::Right).rank(3),
            col("points", Align::Right).rank(2),
        ]);
    }
    if shown.rated {
        cols.push(col("rated", Align::Left));
    }
    if shown.due {
        cols.push(col("due", Align::Left));
    }
    cols
}

fn stats_row(l: &Line, shown: &Shown) -> Vec<Cell> {
    let mut row = vec![cell(sanitize(&l.key))];
    if shown.questions {
        row.push(cell(
            l.category.as_deref().map(sanitize).unwrap_or_default(),
        ));
    } else {
        row.push(cell(l.questions.unwrap_or(0).to_string()));
    }
    row.extend([
        cell(l.attempts.to_string()),
        cell(opt_ms(l.median_ms)),
        cell(opt_ms(l.best_ms)),
    ]);
    if shown.questions {
        row.push(cell(opt_ms(l.limit_ms)));
    }
    row.extend([
        colored(percent(l.over_rate), count_color(l.over_time, Color::Red)),
        colored(percent(l.skip_rate), count_color(l.skipped, Color::Yellow)),
        cell(sparkline(&l.trend_ms, l.trend_scale_ms)),
    ]);
    if shown.spoken {
        let sp = l.spoken.as_ref();
        row.extend([
            cell(
                sp.and_then(|s| s.median_first_word_ms)
                    .map(secs)
                    .unwrap_or_default(),
            ),
            cell(sp.map(|s| percent(s.speaking_share)).unwrap_or_default()),
            cell(sp.map(|s| s.long_pauses.to_string()).unwrap_or_default()),
        ]);
    }
    if shown.said {
        row.extend(said_cells(l.said.as_ref()));
    }
    if shown.rated {
        row.push(cell(rating_trend(&l.trend_rating)));
    }
    if shown.due {
        row.push(cell(
            l.due
                .map_or(String::new(), |d| d.format("%b %-d").to_string()),
        ));
    }
    row
}

/// Words a minute, filler words a minute and the share of points covered.
fn said_cells(said: Option<&Said>) -> [Cell; 3] {
    [
        cell(
            said.and_then(|s| s.words_a_minute)
                .map(|w| w.to_string())
                .unwrap_or_default(),
        ),
        cell(
            said.and_then(|s| s.fillers_a_minute)
                .map(|f| format!("{f:.1}"))
                .unwrap_or_default(),
        ),
        cell(
            said.and_then(|s| s.coverage)
                .map(percent)
                .unwrap_or_default(),
        ),
    ]
}

/// The ratings of the latest attempts as a sparkline on the scale 1 to 5 (`·` unrated),
/// with the latest rating: `▃▅█ 5`.
fn rating_trend(ratings: &[Option<u8>]) -> String {
    // The last five are enough to see a direction, and keep the column narrow.
    let recent = &ratings[ratings.len().saturating_sub(5)..];
    let points: Vec<Option<u64>> = recent.iter().map(|r| r.map(u64::from)).collect();
    let latest = recent.iter().rev().flatten().next();
    match latest {
        Some(r) => format!("{} {r}", sparkline(&points, Some(5))),
        None => String::new(),
    }
}

/// `--question ID`: its numbers, then every attempt.
pub fn question(l: &Line, style: Style) -> String {
    let mut out = format!(
        "{} · {}\n",
        sanitize(&l.key),
        l.category.as_deref().map(sanitize).unwrap_or_default()
    );
    if let Some(text) = &l.text {
        for line in textwrap::wrap(&sanitize(text), style.width.max(20)) {
            out.push_str(&format!("{line}\n"));
        }
    }
    out.push_str(&format!(
        "{}: median {}, best {}, limit {}; over time {}, skipped {}; trend {}\n\n",
        plural(l.attempts, "attempt"),
        opt_ms(l.median_ms),
        opt_ms(l.best_ms),
        opt_ms(l.limit_ms),
        percent(l.over_rate),
        percent(l.skip_rate),
        sparkline(&l.trend_ms, l.trend_scale_ms)
    ));
    if let Some(sp) = &l.spoken {
        out.push_str(&spoken_summary(sp));
        out.push('\n');
        let firsts: Vec<Option<u64>> = sp.trend_first_word_ms.clone();
        if firsts.iter().any(Option::is_some) {
            out.push_str(&format!(
                "first word, latest attempts: {}\n",
                sparkline(&firsts, None)
            ));
        }
        out.push('\n');
    }
    if let Some(said) = &l.said {
        out.push_str(&said_summary(said));
        out.push('\n');
        // Points covered in hundredths, so the sparkline has whole steps.
        let covered: Vec<Option<u64>> = (said.trend_coverage.iter())
            .map(|c| c.map(|c| (c * 100.0).round() as u64))
            .collect();
        if covered.iter().any(Option::is_some) {
            out.push_str(&format!(
                "talking points covered, latest attempts: {}\n",
                sparkline(&covered, Some(100))
            ));
        }
        out.push('\n');
    }
    out.push_str(&history(l, style));
    out
}

/// Every attempt at one question, oldest first, with how it was spoken and said when it
/// was recorded and transcribed.
fn history(l: &Line, style: Style) -> String {
    let spoken = l.history.iter().any(|a| a.spoken.is_some());
    let said = l.history.iter().any(|a| a.said.is_some());
    let mut cols = vec![
        col("date", Align::Left),
        col("outcome", Align::Left),
        col("answer", Align::Right),
        col("limit", Align::Right),
        col("over", Align::Right),
    ];
    if spoken {
        cols.extend([
            col("take", Align::Right),
            col("1st word", Align::Right),
            col("spoke", Align::Right),
            col("pauses", Align::Right),
        ]);
    }
    if said {
        cols.extend([
            col("wpm", Align::Right).rank(3),
            col("fillers", Align::Right).rank(3),
            col("points", Align::Right).rank(2),
        ]);
    }
    let rows: Vec<Vec<Cell>> = l
        .history
        .iter()
        .map(|a| {
            let status = match a.outcome {
                crate::session::Outcome::Answered => Status::Answered,
                crate::session::Outcome::TimeUp => Status::TimeUp,
                crate::session::Outcome::Skipped => Status::Skipped,
                crate::session::Outcome::Unfinished => Status::Unfinished,
            };
            let mut row = vec![
                cell(date(&a.started)),
                colored(status.label(), status_color(status)),
                cell(ms(a.answer_ms)),
                cell(ms(a.limit_ms)),
                colored(
                    if a.overtime_ms > 0 {
                        format!("+{}", ms(a.overtime_ms))
                    } else {
                        String::new()
                    },
                    Some(Color::Red),
                ),
            ];
            if spoken {
                let sp = a.spoken.as_ref();
                row.extend([
                    cell(sp.map(|s| s.take.to_string()).unwrap_or_default()),
                    cell(match sp {
                        Some(s) => s.first_word_ms.map_or("none".to_string(), secs),
                        None => String::new(),
                    }),
                    cell(
                        sp.map(|s| percent(share_of(s.speech_ms, s.duration_ms)))
                            .unwrap_or_default(),
                    ),
                    cell(sp.map(|s| s.long_pauses.to_string()).unwrap_or_default()),
                ]);
            }
            if said {
                let s = a.said.as_ref();
                row.extend([
                    cell(
                        s.and_then(SaidAttempt::words_a_minute)
                            .map(|w| w.to_string())
                            .unwrap_or_default(),
                    ),
                    cell(s.map(|s| s.filler_words.to_string()).unwrap_or_default()),
                    cell(
                        s.map(|s| format!("{}/{}", s.points_covered, s.points))
                            .unwrap_or_default(),
                    ),
                ]);
            }
            row
        })
        .collect();
    table(&cols, &rows, style)
}

fn share_of(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 / whole as f64).min(1.0)
    }
}

// ---------------------------------------------------------------------------------------
// JSON

/// A question with what the tables show worked out.
#[derive(Serialize)]
struct QuestionJson<'a> {
    #[serde(flatten)]
    question: &'a QuestionRecord,
    status: &'static str,
    over_time: bool,
    warning_cue: bool,
    /// The take the figures of stats come from, when the answer was recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    counted_take: Option<u32>,
}

#[derive(Serialize)]
struct SessionJson<'a> {
    #[serde(flatten)]
    session: &'a SessionSummary,
    #[serde(skip_serializing_if = "Option::is_none")]
    questions: Option<Vec<QuestionJson<'a>>>,
}

impl<'a> SessionJson<'a> {
    fn new(session: &'a SessionSummary) -> SessionJson<'a> {
        let questions = (!session.questions.is_empty()).then(|| {
            session
                .questions
                .iter()
                .map(|q| QuestionJson {
                    question: q,
                    status: q.status().key(),
                    over_time: q.over_time(),
                    warning_cue: q.warning_cue(),
                    counted_take: q
                        .takes_matter()
                        .then(|| q.counted_take().map(|t| t.take))
                        .flatten(),
                })
                .collect()
        });
        SessionJson { session, questions }
    }
}

/// A session of the list as JSON: the same fields as a session read whole, without its
/// questions.
#[derive(Serialize)]
struct ListedJson<'a> {
    number: Option<usize>,
    file: &'a str,
    path: String,
    #[serde(serialize_with = "super::rfc3339")]
    started: DateTime<FixedOffset>,
    bank: &'a str,
    bank_key: &'a str,
    seed: u64,
    ending: Ending,
    total_ms: u64,
    counts: Counts,
    notes: &'a [String],
}

fn to_json(value: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("review values always serialize");
    text.push('\n');
    text
}

/// `list --json`: the sessions of `dir`, newest first, and the files that could not be
/// read.
pub fn listed_json(
    out: &mut dyn std::io::Write,
    dir: &std::path::Path,
    sessions: &[&Listed],
    unreadable: &[Unreadable],
) -> std::io::Result<()> {
    let mut json = SessionsJson::begin(out)?;
    for s in sessions {
        json.item(&ListedJson {
            number: s.number,
            file: &s.file,
            path: dir.join(&*s.file).to_string_lossy().into_owned(),
            started: s.started,
            bank: &s.bank,
            bank_key: &s.bank_key,
            seed: s.seed,
            ending: s.ending,
            total_ms: s.total_ms,
            counts: s.counts,
            notes: &s.notes,
        })?;
    }
    json.end(unreadable)
}

/// `{"sessions": [...], "unreadable": [...]}`, written a session at a time, laid out as
/// serde_json's pretty printer lays out the whole.
pub struct SessionsJson<'w> {
    out: &'w mut dyn std::io::Write,
    first: bool,
}

impl<'w> SessionsJson<'w> {
    pub fn begin(out: &'w mut dyn std::io::Write) -> std::io::Result<SessionsJson<'w>> {
        out.write_all(b"{\n  \"sessions\": [")?;
        Ok(SessionsJson { out, first: true })
    }

    /// One session read whole, with what the tables work out of its questions.
    pub fn session(&mut self, s: &SessionSummary) -> std::io::Result<()> {
        self.item(&SessionJson::new(s))
    }

    fn item(&mut self, value: &impl Serialize) -> std::io::Result<()> {
        self.out
            .write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        write_indented(
            self.out,
            &serde_json::to_string_pretty(value)?,
            "    ",
            true,
        )
    }

    pub fn end(self, unreadable: &[Unreadable]) -> std::io::Result<()> {
        self.out
            .write_all(if self.first { b"],\n" } else { b"\n  ],\n" })?;
        self.out.write_all(b"  \"unreadable\": ")?;
        write_indented(
            self.out,
            &serde_json::to_string_pretty(unreadable)?,
            "  ",
            false,
        )?;
        self.out.write_all(b"\n}\n")
    }
}

/// `text` with every line indented by `indent` (the first too, if `first`).
fn write_indented(
    out: &mut dyn std::io::Write,
    text: &str,
    indent: &str,
    first: bool,
) -> std::io::Result<()> {
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        if i > 0 || first {
            out.write_all(indent.as_bytes())?;
        }
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// `show --json`.
pub fn session_json(session: &SessionSummary) -> String {
    to_json(&SessionJson::new(session))
}

/// `stats --json`, written as it is made (every session of the timeline is in it).
pub fn stats_json(
    out: &mut dyn std::io::Write,
    stats: &Stats,
    unreadable: &[Unreadable],
) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct StatsJson<'a> {
        #[serde(flatten)]
        stats: &'a Stats,
        unreadable: &'a [Unreadable],
    }
    serde_json::to_writer_pretty(&mut *out, &StatsJson { stats, unreadable })?;
    out.write_all(b"\n")
}

// ---------------------------------------------------------------------------------------
// Markdown and CSV

/// Each question's talking points by bank key and question id, from the banks as they are
/// now: what the Markdown export lists under "What a strong answer covers".
pub type Points = std::collections::HashMap<(String, String), Vec<String>>;

/// The title of a Markdown export of `count` sessions (`one`: the bank and start of the
/// only one).
pub fn markdown_head(count: usize, one: Option<(&str, &DateTime<FixedOffset>)>) -> String {
    match one {
        Some((bank, started)) => format!("# {} · {}\n", md(bank), date(started)),
        None => format!("# Interview practice: {}\n", plural(count, "session")),
    }
}

/// One session of a Markdown export, with the talking points of the questions asked.
pub fn markdown_session(s: &SessionSummary, points: &Points) -> String {
    let mut out = String::new();
    {
        out.push_str(&format!(
            "\n## {}{} · {}\n\n",
            s.number
                .map_or_else(String::new, |n| format!("Session {n} · ")),
            date(&s.started),
            md(&s.bank)
        ));
        out.push_str(&format!("- Outcome: {}\n", s.ending.label()));
        out.push_str(&format!("- Result: {}\n", totals(s)));
        out.push_str(&format!("- Log: `{}` (seed {})\n\n", md(&s.file), s.seed));
        out.push_str(
            "| # | Question | Category | Outcome | Answer | Limit | Over | Thinking | Pauses |\n",
        );
        out.push_str("|---:|---|---|---|---:|---:|---:|---:|---:|\n");
        for q in &s.questions {
            let r = q.result;
            let over = r
                .filter(|r| r.overtime_ms > 0)
                .map(|r| format!("+{}", ms(r.overtime_ms)));
            out.push_str(&format!(
                "| {} | {} (`{}`) | {} | {} | {} | {} | {} | {} | {} |\n",
                q.index,
                md(&q.text),
                md(&q.id),
                md(&q.category),
                q.status().label(),
                r.map(|r| ms(r.answer_ms)).unwrap_or_default(),
                ms(q.limit_ms),
                over.unwrap_or_default(),
                r.filter(|r| r.prep_ms > 0)
                    .map(|r| ms(r.prep_ms))
                    .unwrap_or_default(),
                if q.pauses > 0 {
                    q.pauses.to_string()
                } else {
                    String::new()
                },
            ));
        }
        let reviews: Vec<String> = s
            .questions
            .iter()
            .filter_map(|q| {
                let review = q.review.as_ref()?;
                let mut line = format!("- {} (`{}`): {}", q.index, md(&q.id), self_review(review));
                if let Some(note) = &review.note {
                    line.push_str(&format!(" · note: {}", md(note)));
                }
                Some(line)
            })
            .collect();
        if !reviews.is_empty() {
            out.push_str(&format!("\nYour review:\n\n{}\n", reviews.join("\n")));
        }
        let recorded: Vec<String> = s
            .questions
            .iter()
            .flat_map(|q| {
                takes(q)
                    .into_iter()
                    .map(move |line| format!("- {} (`{}`): {}", q.index, md(&q.id), md(&line)))
            })
            .collect();
        if !recorded.is_empty() {
            out.push_str(&format!(
                "\nHow it was spoken:\n\n{}\n",
                recorded.join("\n")
            ));
        }
        let said = said_md(s);
        if !said.is_empty() {
            out.push_str(&format!("\nWhat was said:\n\n{}\n", said.join("\n")));
        }
        out.push_str(&covers(s, points));
        for note in &s.notes {
            out.push_str(&format!("\nNote: {}\n", md(note)));
        }
    }
    out
}

/// "What was said": each transcribed take, fillers marked, with its figures.
fn said_md(s: &SessionSummary) -> Vec<String> {
    s.questions
        .iter()
        .flat_map(|q| {
            let many = q.takes.len() > 1;
            q.takes.iter().filter_map(move |t| {
                let transcript = t.transcript.as_ref()?;
                let take = if many {
                    format!(", take {}", t.take)
                } else {
                    String::new()
                };
                Some(format!(
                    "- {} (`{}`{take}): \"{}\" ({})",
                    q.index,
                    md(&q.id),
                    md(&crate::answer::transcript::said(transcript)),
                    md(&crate::answer::transcript::line(transcript))
                ))
            })
        })
        .collect()
}

/// "What a strong answer covers": the talking points of each question asked, as a
/// Markdown list; nothing when none of them has any.
fn covers(s: &SessionSummary, points: &Points) -> String {
    let items: Vec<String> = s
        .questions
        .iter()
        .filter(|q| q.asked)
        .filter_map(|q| {
            let list = points.get(&(s.bank_key.to_string(), q.id.to_string()))?;
            let mut item = format!("- {} (`{}`): {}", q.index, md(&q.id), md(&q.text));
            for point in list {
                item.push_str(&format!("\n  - {}", md(point)));
            }
            (!list.is_empty()).then_some(item)
        })
        .collect();
    if items.is_empty() {
        return String::new();
    }
    format!("\nWhat a strong answer covers:\n\n{}\n", items.join("\n"))
}

/// Text safe inside a Markdown table cell.
fn md(text: &str) -> String {
    sanitize(text).replace('\\', "\\\\").replace('|', "\\|")
}

/// The CSV columns before the spoken figures of [`crate::answer::spoken::CSV_HEADER`]; the file
/// of the recording comes last.
const CSV_HEADER: [&str; 23] = [
    "session",
    "started",
    "bank_key",
    "bank",
    "session_outcome",
    "index",
    "id",
    "category",
    "question",
    "outcome",
    "answer_s",
    "limit_s",
    "overtime_s",
    "over_time",
    "thinking_s",
    "paused_s",
    "pauses",
    "file",
    "rating",
    "star",
    "note",
    "take",
    "takes",
];

const MEMORY: &str = "writing CSV to memory cannot fail";

/// A CSV cell that a spreadsheet shows as text: no control characters, and a cell that
/// starts like a formula (`=`, `+`, `-`, `@`) gets a leading `'`, as OWASP advises
/// against CSV injection.
fn csv_cell(text: &str) -> String {
    let clean = sanitize(text);
    if clean.starts_with(['=', '+', '-', '@']) {
        format!("'{clean}")
    } else {
        clean
    }
}

/// The CSV export's first line.
pub fn csv_header() -> String {
    let header = CSV_HEADER
        .iter()
        .chain(&crate::answer::spoken::CSV_HEADER)
        .chain(&["recording"])
        .chain(&crate::answer::transcript::CSV_HEADER)
        .chain(&["transcript"]);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).expect(MEMORY);
    String::from_utf8(w.into_inner().expect(MEMORY)).expect("CSV of UTF-8 fields is UTF-8")
}

/// The CSV rows of one session, one per planned question.
pub fn csv_session(s: &SessionSummary) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for q in &s.questions {
        w.write_record(csv_row(s, q).iter().map(|field| csv_cell(field)))
            .expect(MEMORY);
    }
    String::from_utf8(w.into_inner().expect(MEMORY)).expect("CSV of UTF-8 fields is UTF-8")
}

fn csv_row(s: &SessionSummary, q: &QuestionRecord) -> Vec<String> {
    use crate::answer::spoken::csv_secs as secs;
    let r = q.result;
    let review = q.review.as_ref();
    let opt =
        |f: fn(&super::QuestionResult) -> u64| r.as_ref().map(|r| secs(f(r))).unwrap_or_default();
    let spoken = q.spoken();
    // Which take counts and how many there were: for recorded or retaken answers.
    let takes = q.takes_matter().then_some(&q.takes);
    let mut row = vec![
        s.number.map_or_else(String::new, |n| n.to_string()),
        s.started
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        s.bank_key.to_string(),
        s.bank.to_string(),
        s.ending.label().to_string(),
        q.index.to_string(),
        q.id.to_string(),
        q.category.to_string(),
        q.text.to_string(),
        q.status().key().to_string(),
        opt(|r| r.answer_ms),
        secs(q.limit_ms),
        opt(|r| r.overtime_ms),
        q.over_time().to_string(),
        opt(|r| r.prep_ms),
        opt(|r| r.paused_ms),
        q.pauses.to_string(),
        s.file.clone(),
        review
            .and_then(|r| r.rating)
            .map(|r| r.to_string())
            .unwrap_or_default(),
        review
            .and_then(|r| r.star)
            .map(|star| {
                star.parts()
                    .iter()
                    .filter(|(on, _)| *on)
                    .map(|(_, c)| c.to_ascii_uppercase())
                    .collect()
            })
            .unwrap_or_default(),
        review.and_then(|r| r.note.clone()).unwrap_or_default(),
        takes
            .and_then(|_| q.counted_take())
            .map(|t| t.take.to_string())
            .unwrap_or_default(),
        takes.map(|t| t.len().to_string()).unwrap_or_default(),
    ];
    row.extend(crate::answer::spoken::csv_cells(spoken));
    row.push(spoken.and_then(|s| s.file.clone()).unwrap_or_default());
    let said = q.transcript();
    row.extend(crate::answer::transcript::csv_cells(said));
    row.push(said.map(|t| t.text.clone()).unwrap_or_default());
    row
}

#[cfg(test)]
pub(crate) mod tests;
