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

use super::stats::{Line, Spoken, Stats};
use super::{Ending, QuestionRecord, SessionSummary, Status, Take, Unreadable};
use crate::duration::clock;
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
}

const fn col(header: &'static str, align: Align) -> Col {
    Col {
        header,
        align,
        shrink_to: None,
    }
}

const fn flex(header: &'static str, shrink_to: usize) -> Col {
    Col {
        header,
        align: Align::Left,
        shrink_to: Some(shrink_to),
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
/// people type, outlasts its category), and their cells are cut with `…`.
fn table(cols: &[Col], rows: &[Vec<Cell>], style: Style) -> String {
    let mut widths: Vec<usize> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.text.width()))
                .max()
                .unwrap_or(0)
                .max(c.header.width())
        })
        .collect();
    let total = widths.iter().sum::<usize>() + GAP.len() * cols.len().saturating_sub(1);
    let mut excess = total.saturating_sub(style.width);
    for (i, c) in cols.iter().enumerate().rev() {
        if let Some(min) = c.shrink_to {
            let give = excess.min(widths[i].saturating_sub(min));
            widths[i] -= give;
            excess -= give;
        }
    }
    // Still too wide: the rightmost columns, the least needed, are left out, so a line
    // never wraps into the next row. The first always stays.
    let width_of = |k: usize| widths[..k].iter().sum::<usize>() + GAP.len() * k.saturating_sub(1);
    let mut keep = cols.len();
    while keep > 1 && width_of(keep) > style.width {
        keep -= 1;
    }
    let (cols, widths) = (&cols[..keep], &widths[..keep]);
    let mut out = String::new();
    let header: Vec<Cell> = cols.iter().map(|c| cell(c.header)).collect();
    push_row(&mut out, cols, widths, &header, style, true);
    for row in rows {
        push_row(&mut out, cols, widths, row, style, false);
    }
    out
}

fn push_row(
    out: &mut String,
    cols: &[Col],
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

/// The sessions table, then notes and unreadable files.
pub fn list(
    sessions: &[&SessionSummary],
    unreadable: &[Unreadable],
    total: usize,
    style: Style,
) -> String {
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
    let rows: Vec<Vec<Cell>> = sessions
        .iter()
        .map(|s| {
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
        })
        .collect();
    let mut out = if sessions.is_empty() {
        "No readable sessions.\n".to_string()
    } else {
        table(&cols, &rows, style)
    };
    let shown = sessions.len();
    if total > 0 {
        let of = if shown == total {
            plural(total, "session")
        } else {
            format!("{shown} of {}", plural(total, "session"))
        };
        let line = format!("{of}; 'rehearse review show N' shows one.");
        out.push_str(&textwrap::fill(&line, style.width.max(20)));
        out.push('\n');
    }
    push_notes(&mut out, sessions, style);
    push_unreadable(&mut out, unreadable, style);
    out
}

fn push_notes(out: &mut String, sessions: &[&SessionSummary], style: Style) {
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
pub fn show(s: &SessionSummary, style: Style) -> String {
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
    let times = format!("{:>7} / {:<7}", ms(r.answer_ms), ms(q.limit_ms));
    let mut line = format!(
        "{label}{times}{}",
        bar(r.answer_ms, q.limit_ms, scale, bar_width, style.color)
    );
    if r.overtime_ms > 0 {
        let over = format!("  +{} over", ms(r.overtime_ms));
        line.push_str(&paint(&over, Some(Color::Red), style.color));
    }
    line
}

/// `rated 4/5 ★★★★☆ · STAR [S] [ ] [A] [R]`: the candidate's own review.
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

/// One line per recorded take; with more than one, each is numbered and the one that
/// counts is marked.
fn takes(q: &QuestionRecord) -> Vec<String> {
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
            let mut line = format!("{name}: {}", spoken(t));
            if t.file.is_none() {
                line.push_str(" · recording not kept");
            }
            line
        })
        .collect()
}

/// How one take was spoken: `spoke 1:32 of 1:45 · first word after 2.1 s · longest pause
/// 4.2 s · 2 pauses over 3 s · level -21 dBFS`.
/// `2.1 s`, `3 s`: tenths of a second, as the spoken line gives them.
fn secs(ms: u64) -> String {
    crate::spoken::seconds(Duration::from_millis(ms))
}

pub fn spoken(t: &Take) -> String {
    let ms = Duration::from_millis;
    crate::spoken::line(&crate::spoken::Figures {
        duration: ms(t.duration_ms),
        speech: ms(t.speech_ms),
        first_word: t.first_word_ms.map(ms),
        longest_pause: ms(t.longest_pause_ms),
        long_pauses: t.long_pauses,
        pause_threshold: ms(t.pause_threshold_ms),
        dropped: ms(t.dropped_ms),
        level_db: t.level_db,
    })
}

/// `2 answered of 3 (1 over time), 1 skipped · answers 3:51 of 5:30 planned · 3:56 in all`
fn totals(s: &SessionSummary) -> String {
    let c = &s.counts;
    let mut counts = format!("{} answered of {}", c.answered, c.planned);
    if c.over_time > 0 {
        counts.push_str(&format!(" ({} over time)", c.over_time));
    }
    for (n, what) in [
        (c.skipped, "skipped"),
        (c.unfinished, "unfinished"),
        (c.not_reached, "not reached"),
    ] {
        if n > 0 {
            counts.push_str(&format!(", {n} {what}"));
        }
    }
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
    for line in [Some(head), Some(tail), spoken].into_iter().flatten() {
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

fn stats_table(lines: &[Line], questions: bool, style: Style) -> String {
    // Question ids stay whole (they are copied into `--question`); categories shorten.
    let mut cols = vec![if questions {
        col("question", Align::Left)
    } else {
        flex("category", 12)
    }];
    if questions {
        cols.push(flex("category", 8));
    } else {
        cols.push(col("questions", Align::Right));
    }
    cols.extend([
        col("tries", Align::Right),
        col("median", Align::Right),
        col("best", Align::Right),
    ]);
    if questions {
        cols.push(col("limit", Align::Right));
    }
    cols.extend([
        col("over", Align::Right),
        col("skips", Align::Right),
        col("trend", Align::Left),
    ]);
    // Coaching columns, only once there is something to show in them.
    let rated = questions
        && lines
            .iter()
            .any(|l| l.trend_rating.iter().any(Option::is_some));
    let due = questions && lines.iter().any(|l| l.due.is_some());
    let spoken = lines.iter().any(|l| l.spoken.is_some());
    if spoken {
        cols.extend([
            col("1st word", Align::Right),
            col("spoke", Align::Right),
            col("pauses", Align::Right),
        ]);
    }
    if rated {
        cols.push(col("rated", Align::Left));
    }
    if due {
        cols.push(col("due", Align::Left));
    }
    let rows: Vec<Vec<Cell>> = lines
        .iter()
        .map(|l| {
            let mut row = vec![cell(sanitize(&l.key))];
            if questions {
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
            if questions {
                row.push(cell(opt_ms(l.limit_ms)));
            }
            row.extend([
                colored(percent(l.over_rate), count_color(l.over_time, Color::Red)),
                colored(percent(l.skip_rate), count_color(l.skipped, Color::Yellow)),
                cell(sparkline(&l.trend_ms, l.limit_ms)),
            ]);
            if spoken {
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
            if rated {
                row.push(cell(rating_trend(&l.trend_rating)));
            }
            if due {
                row.push(cell(
                    l.due
                        .map_or(String::new(), |d| d.format("%b %-d").to_string()),
                ));
            }
            row
        })
        .collect();
    table(&cols, &rows, style)
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
        sparkline(&l.trend_ms, l.limit_ms)
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
    let spoken = l.history.iter().any(|a| a.spoken.is_some());
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
            row
        })
        .collect();
    out.push_str(&table(&cols, &rows, style));
    out
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
                    counted_take: q.counted_take().map(|t| t.take),
                })
                .collect()
        });
        SessionJson { session, questions }
    }
}

#[derive(Serialize)]
struct SessionsJson<'a> {
    sessions: Vec<SessionJson<'a>>,
    unreadable: &'a [Unreadable],
}

fn to_json(value: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("review values always serialize");
    text.push('\n');
    text
}

/// `list --json` and `export --format json`: sessions newest first, and the files that
/// could not be read.
pub fn sessions_json(sessions: &[&SessionSummary], unreadable: &[Unreadable]) -> String {
    to_json(&SessionsJson {
        sessions: sessions.iter().map(|s| SessionJson::new(s)).collect(),
        unreadable,
    })
}

/// `show --json`.
pub fn session_json(session: &SessionSummary) -> String {
    to_json(&SessionJson::new(session))
}

/// `stats --json`.
pub fn stats_json(stats: &Stats, unreadable: &[Unreadable]) -> String {
    #[derive(Serialize)]
    struct StatsJson<'a> {
        #[serde(flatten)]
        stats: &'a Stats,
        unreadable: &'a [Unreadable],
    }
    to_json(&StatsJson { stats, unreadable })
}

// ---------------------------------------------------------------------------------------
// Markdown and CSV

/// A report to keep or share: each session with its questions, newest first.
pub fn markdown(sessions: &[&SessionSummary]) -> String {
    let mut out = String::new();
    match sessions {
        [one] => out.push_str(&format!("# {} · {}\n", md(&one.bank), date(&one.started))),
        _ => out.push_str(&format!(
            "# Interview practice: {}\n",
            plural(sessions.len(), "session")
        )),
    }
    for s in sessions {
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
        for note in &s.notes {
            out.push_str(&format!("\nNote: {}\n", md(note)));
        }
    }
    out
}

/// Text safe inside a Markdown table cell.
fn md(text: &str) -> String {
    sanitize(text).replace('\\', "\\\\").replace('|', "\\|")
}

const CSV_HEADER: [&str; 31] = [
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
    "recorded_s",
    "first_word_s",
    "speech_s",
    "speaking_share",
    "longest_pause_s",
    "long_pauses",
    "level_db",
    "recording",
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

/// One row per planned question of every session, times in seconds, for a spreadsheet.
/// A recorded answer gives the figures of the take that counts, and how many there were.
pub fn csv(sessions: &[&SessionSummary]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let secs = |ms: u64| format!("{}.{:03}", ms / 1000, ms % 1000);
    w.write_record(CSV_HEADER).expect(MEMORY);
    for s in sessions {
        for q in &s.questions {
            let r = q.result;
            let review = q.review.as_ref();
            let take = q.counted_take();
            let spoken = |f: &dyn Fn(&Take) -> Option<String>| take.and_then(f).unwrap_or_default();
            let opt = |f: fn(&super::QuestionResult) -> u64| {
                r.as_ref().map(|r| secs(f(r))).unwrap_or_default()
            };
            w.write_record(
                [
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
                    spoken(&|t| Some(t.take.to_string())),
                    if q.takes.is_empty() {
                        String::new()
                    } else {
                        q.takes.len().to_string()
                    },
                    spoken(&|t| Some(secs(t.duration_ms))),
                    spoken(&|t| t.first_word_ms.map(secs)),
                    spoken(&|t| Some(secs(t.speech_ms))),
                    spoken(&|t| Some(format!("{:.3}", t.speaking_share()))),
                    spoken(&|t| Some(secs(t.longest_pause_ms))),
                    spoken(&|t| Some(t.long_pauses.to_string())),
                    spoken(&|t| t.level_db.map(|db| format!("{db:.1}"))),
                    spoken(&|t| t.file.clone()),
                ]
                .map(|field| csv_cell(&field)),
            )
            .expect(MEMORY);
        }
    }
    let bytes = w.into_inner().expect(MEMORY);
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

#[cfg(test)]
mod tests;
