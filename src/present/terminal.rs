//! The countdown on a real terminal: a header, the wrapped question and an indicatif bar
//! that empties as time runs out, green, then yellow at the warning, red at the end, and
//! full red with the overtime counting up once time is up.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossterm::style::Stylize;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use super::{
    KeySet, Presenter, countdown, ending, questions, red_zone, refusal, review_prompt, review_said,
};
use crate::answer::Transcript;
use crate::duration::clock;
use crate::plan::{Plan, PlannedQuestion};
use crate::session::{Event, EventKind, Outcome, Phase, View};
use crate::text::sanitize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    Think,
    Calm,
    Warning,
    Last,
    Gap,
    /// A cue just sounded.
    Flash,
}

/// The level meter: five cells, one for every 10 dB above -50 dBFS. The meter wakes the
/// run loop itself when it would show another number, so nothing here looks at it.
fn meter_cells(lit: usize) -> String {
    let unlit = crate::record::METER_CELLS.saturating_sub(lit);
    format!("mic {}{}", "▮".repeat(lit), "▯".repeat(unlit))
}

/// How long the bar lights up for a cue.
const FLASH: Duration = Duration::from_millis(300);

pub struct TerminalPresenter {
    color: bool,
    bar: Option<ProgressBar>,
    tone: Option<Tone>,
    total: usize,
    /// A cue lights the bar up until then (session time).
    flash_until: Option<Duration>,
    /// The review step's prompt, redrawn in place as it is typed.
    prompt: Option<ProgressBar>,
    /// A passing note above the bar (the keys, a new limit): the next one replaces it.
    note: Option<String>,
    /// The current question's header and text, to draw again after a resize.
    question: Option<(String, String)>,
    /// How loud the microphone hears the person, while answers are recorded.
    meter: Option<crate::record::Meter>,
    /// The keys this session takes, for `?`.
    keys: KeySet,
    /// What the bar says beside it (the time left, the meter), read by the bar as it is
    /// drawn: a new label and a new position are then one draw, one write to the terminal.
    label: Arc<Mutex<String>>,
}

impl TerminalPresenter {
    pub fn new(color: bool) -> Self {
        TerminalPresenter {
            color,
            bar: None,
            tone: None,
            total: 0,
            flash_until: None,
            prompt: None,
            note: None,
            question: None,
            meter: None,
            keys: KeySet::Full,
            label: Arc::default(),
        }
    }

    /// A line above the bar, wrapped at words to the terminal's width so that a narrow
    /// terminal never cuts a word in two.
    fn print(&self, text: &str) {
        let text = fit(text);
        match self.bar.as_ref().or(self.prompt.as_ref()) {
            Some(bar) => bar.println(text),
            None => {
                let mut out = std::io::stdout();
                let _ = writeln!(out, "{text}");
                let _ = out.flush();
            }
        }
    }

    fn paint(&self, text: &str, paint: fn(String) -> String) -> String {
        if self.color {
            paint(text.to_string())
        } else {
            text.to_string()
        }
    }

    /// The current question's header and text, wrapped to the terminal's width now.
    fn print_question(&self) {
        let Some((header, text)) = &self.question else {
            return;
        };
        let width = terminal_width().clamp(20, 100);
        let mut out = std::io::stdout();
        for line in textwrap::wrap(header, width) {
            let _ = writeln!(
                out,
                "{}",
                self.paint(&line, |s| s.bold().cyan().to_string())
            );
        }
        for line in textwrap::wrap(text, width) {
            let _ = writeln!(out, "{line}");
        }
        let _ = out.flush();
    }

    /// Shows `text` just above the bar, in place of the note before it; without a bar, on
    /// a line of its own.
    fn set_note(&mut self, text: String) {
        match &self.bar {
            Some(bar) => {
                bar.set_prefix(text.clone());
                self.note = Some(text);
                // The template gains (or keeps) its note line on the next redraw.
                self.tone = None;
            }
            None => self.print(&text),
        }
    }

    fn new_bar(&mut self) {
        self.clear_bar();
        self.note = None;
        let bar = ProgressBar::with_draw_target(Some(1), ProgressDrawTarget::stdout_with_hz(12));
        self.bar = Some(bar);
        self.tone = None;
    }

    fn clear_bar(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }

    /// The review prompt, cut into rows that fit the terminal so it redraws in place at
    /// any width, with the note's cursor shown (the terminal's own cursor is hidden).
    fn prompt_lines(&self, step: &crate::coach::ReviewStep) -> String {
        let Some((text, cursor)) = review_prompt(step) else {
            return String::new();
        };
        let text = sanitize(&text);
        let Some(_) = cursor else {
            // A question to answer with a key: wrapped at words like every other line.
            let options = textwrap::Options::new(terminal_width().saturating_sub(1).max(10))
                .word_splitter(textwrap::WordSplitter::NoHyphenation);
            return textwrap::fill(&text, options);
        };
        let mut chars: Vec<String> = text.chars().map(String::from).collect();
        if let Some(at) = cursor {
            if at >= chars.len() {
                chars.push(" ".to_string());
            }
            let under = std::mem::take(&mut chars[at]);
            chars[at] = if self.color {
                format!("\x1b[7m{under}\x1b[27m")
            } else {
                "▏".to_string() + &under
            };
        }
        let width = terminal_width().saturating_sub(1).max(10);
        let mut rows = vec![String::new()];
        let mut used = 0;
        for c in chars {
            let cells = unicode_width::UnicodeWidthStr::width(strip_sgr(&c));
            if used + cells > width {
                rows.push(String::new());
                used = 0;
            }
            used += cells;
            rows.last_mut().expect("there is always a row").push_str(&c);
        }
        rows.join("\n")
    }

    fn style(&self, tone: Tone) -> ProgressStyle {
        let colour = match tone {
            Tone::Think => "blue",
            Tone::Calm => "green",
            Tone::Warning => "yellow",
            Tone::Last => "red",
            Tone::Gap => "white",
            Tone::Flash => "white.bold",
        };
        let bar = if self.color {
            format!("{{wide_bar:.{colour}/238}} {{label:>18}}")
        } else {
            "{wide_bar} {label:>18}".to_string()
        };
        let template = match self.note {
            Some(_) => format!("{{prefix}}\n{bar}"),
            None => bar,
        };
        let label = self.label.clone();
        let label = move |_: &ProgressState, out: &mut dyn std::fmt::Write| {
            let _ = out.write_str(&label.lock().unwrap_or_else(|e| e.into_inner()));
        };
        ProgressStyle::with_template(&template)
            .expect("the bar templates are fixed and valid")
            .with_key("label", label)
            .progress_chars(if tone == Tone::Flash {
                "▓░"
            } else {
                "█░"
            })
    }
}

/// `text` wrapped at words to the terminal's width (colour codes take no room).
fn fit(text: &str) -> String {
    // Only at spaces, and never inside a word: a path or an id stays whole to be copied.
    let options = textwrap::Options::new(terminal_width().max(20))
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(false);
    textwrap::fill(text, options)
}

/// A line of ` · `-separated parts, indented and wrapped between parts only, so that no
/// figure (`level -20 dBFS`) is split across rows.
fn wrap_parts(line: &str, width: usize) -> Vec<String> {
    let options = textwrap::Options::new(width)
        .initial_indent("  ")
        .subsequent_indent("    ")
        .break_words(false);
    // Each part's spaces hold it together; a part's `·` stays at the end of its row.
    let glued = line
        .replace(' ', "\u{a0}")
        .replace("\u{a0}·\u{a0}", "\u{a0}· ");
    textwrap::wrap(&glued, &options)
        .into_iter()
        .map(|row| row.replace('\u{a0}', " "))
        .collect()
}

/// The text without the reverse-video codes put around the cursor.
fn strip_sgr(s: &str) -> &str {
    s.trim_start_matches("\x1b[7m").trim_end_matches("\x1b[27m")
}

fn terminal_width() -> usize {
    crossterm::terminal::size().map_or(80, |(w, _)| w as usize)
}

/// How long until the countdown looks different: its label shows whole seconds, the bar
/// `cells` cells, and the colour turns red near the end. Nothing else changes by itself.
fn next_visible_change(view: &View, cells: u64) -> Option<Duration> {
    let ms = |d: Duration| d.as_millis() as u64;
    let (elapsed, length) = (ms(view.elapsed), ms(view.length));
    let left = length.saturating_sub(elapsed);
    if left == 0 {
        // Over time: the label counts up in whole seconds.
        let over = elapsed - length;
        return Some(Duration::from_millis(1000 - over % 1000));
    }
    let label = match left % 1000 {
        0 => 1000,
        r => r,
    };
    // The bar shows floor(left * cells / length) cells, which drops at the first
    // millisecond below the next multiple of length / cells.
    let filled = left * cells / length.max(1);
    let bar = (filled > 0).then(|| left + 1 - (filled * length).div_ceil(cells));
    let red = ms(red_zone(view.warn));
    let tone = (view.phase == Phase::Answer && left > red).then(|| left - red);
    [Some(label), bar, tone]
        .into_iter()
        .flatten()
        .min()
        .map(Duration::from_millis)
}

fn tone_of(view: &View) -> Tone {
    let left = view.length.saturating_sub(view.elapsed);
    match view.phase {
        Phase::Prep => Tone::Think,
        Phase::Asking | Phase::Gap | Phase::Review => Tone::Gap,
        Phase::Answer if left <= red_zone(view.warn) || view.elapsed >= view.length => Tone::Last,
        Phase::Answer if left <= view.warn => Tone::Warning,
        Phase::Answer => Tone::Calm,
    }
}

impl Presenter for TerminalPresenter {
    fn intro(&mut self, title: &str, plan: &Plan, keys: KeySet, _lines: bool) {
        self.keys = keys;
        self.total = plan.questions.len();
        let head = format!(
            "{} · {} · up to {}",
            sanitize(title),
            questions(plan.questions.len()),
            clock(plan.total())
        );
        self.print(&self.paint(&head, |s| s.bold().to_string()));
        self.print(&self.paint(keys.short(), |s| s.dark_grey().to_string()));
    }

    fn show(&mut self, event: &Event, q: &PlannedQuestion) {
        match &event.kind {
            EventKind::QuestionStarted => {
                self.clear_bar();
                let header = match q.follows() {
                    Some(parent) => format!(
                        "Question {}/{} · follow-up to question {parent}",
                        q.index, self.total
                    ),
                    None => format!(
                        "Question {}/{} · {}",
                        q.index,
                        self.total,
                        sanitize(&q.category)
                    ),
                };
                self.print("");
                self.question = Some((header, sanitize(&q.text)));
                self.print_question();
                self.new_bar();
            }
            EventKind::GapStarted { .. } => self.new_bar(),
            EventKind::Retake { take, .. } => {
                if let Some(prompt) = self.prompt.take() {
                    prompt.finish_and_clear();
                }
                self.clear_bar();
                let text = format!("  take {take}: answer again");
                self.print(&self.paint(&text, |s| s.cyan().to_string()));
                self.new_bar();
            }
            EventKind::QuestionEnded {
                outcome,
                answer,
                overtime,
                short,
                ..
            } => {
                self.clear_bar();
                let mut text = format!("  {}", ending(*outcome, *answer, *overtime));
                if *short {
                    text.push_str(" · shorter than the minimum");
                }
                let painted = match outcome {
                    Outcome::Answered if overtime.is_zero() && !short => {
                        self.paint(&text, |s| s.green().to_string())
                    }
                    Outcome::Answered | Outcome::TimeUp => {
                        self.paint(&text, |s| s.yellow().to_string())
                    }
                    Outcome::Skipped | Outcome::Unfinished => {
                        self.paint(&text, |s| s.dark_grey().to_string())
                    }
                };
                self.print(&painted);
            }
            EventKind::Refused(r) => {
                let text = self.paint(&format!("  {}", refusal(*r)), |s| s.yellow().to_string());
                self.set_note(text);
            }
            EventKind::TimeAdjusted { limit, .. } => {
                let text = format!("  limit now {}", clock(*limit));
                let text = self.paint(&text, |s| s.dark_grey().to_string());
                self.set_note(text);
            }
            EventKind::ReviewStarted => {
                let prompt = ProgressBar::with_draw_target(None, ProgressDrawTarget::stdout());
                prompt.set_style(
                    ProgressStyle::with_template("{msg}").expect("the prompt template is valid"),
                );
                self.prompt = Some(prompt);
            }
            kind => {
                if matches!(kind, EventKind::Reviewed { .. })
                    && let Some(prompt) = self.prompt.take()
                {
                    prompt.finish_and_clear();
                }
                if let Some(said) = review_said(kind) {
                    self.print(&format!("  {}", sanitize(&said)));
                }
            }
        }
    }

    fn redraw(&mut self, view: Option<View>, now: Duration) {
        if let (Some(prompt), Some(step)) = (&self.prompt, view.and_then(|v| v.review)) {
            prompt.set_message(self.prompt_lines(step));
            return;
        }
        let (Some(view), Some(bar)) = (view, &self.bar) else {
            return;
        };
        let flashing = self.flash_until.is_some_and(|until| now < until);
        let tone = if flashing {
            Tone::Flash
        } else {
            tone_of(&view)
        };
        if self.tone != Some(tone) {
            bar.set_style(self.style(tone));
            self.tone = Some(tone);
        }
        let over = view.phase == Phase::Answer && view.elapsed >= view.length;
        let (length, left) = if over {
            (1, 1)
        } else {
            let length = view.length.as_millis().max(1) as u64;
            (
                length,
                view.length.saturating_sub(view.elapsed).as_millis() as u64,
            )
        };
        let lit = self.meter.as_ref().and_then(|m| m.cells());
        let label = match lit.filter(|_| view.phase == Phase::Answer && !view.paused) {
            Some(lit) => format!("{} {}", meter_cells(lit), countdown(&view)),
            None => countdown(&view),
        };
        *self.label.lock().unwrap_or_else(|e| e.into_inner()) = label;
        // One draw for all three.
        bar.update(|state| {
            state.set_len(length);
            state.set_pos(left);
        });
    }

    fn recall(&mut self, q: &PlannedQuestion) {
        self.clear_bar();
        self.print("");
        self.question = Some((
            format!("Review · question {}/{}", q.index, self.total),
            sanitize(&q.text),
        ));
        self.print_question();
    }

    fn talking_points(&mut self, points: &[String], said: Option<&Transcript>) {
        let width = crossterm::terminal::size()
            .map_or(80, |(w, _)| w as usize)
            .clamp(20, 100);
        let head = match said.map(Transcript::coverage) {
            Some((covered, of)) => format!("  A strong answer covers ({covered} of {of} heard):"),
            None => "  A strong answer covers:".to_string(),
        };
        self.print(&self.paint(&head, |s| s.bold().to_string()));
        for (i, point) in points.iter().enumerate() {
            // Without colour the marks still read: a tick for what was heard, a cross.
            let (mark, heard) = match said {
                None => ("•", None),
                Some(s) if s.covered.get(i) == Some(&true) => {
                    ("✓", s.heard.get(i).cloned().flatten())
                }
                Some(_) => ("✗", None),
            };
            let options = textwrap::Options::new(width)
                .initial_indent("     ")
                .subsequent_indent("     ");
            for (n, line) in textwrap::wrap(&sanitize(point), &options)
                .iter()
                .enumerate()
            {
                let line = if n == 0 {
                    format!("   {mark}{}", &line[4..])
                } else {
                    line.to_string()
                };
                let line = match mark {
                    "✓" => self.paint(&line, |s| s.green().to_string()),
                    "✗" => self.paint(&line, |s| s.dark_grey().to_string()),
                    _ => line,
                };
                self.print(&line);
            }
            if let Some(heard) = heard {
                let options = textwrap::Options::new(width)
                    .initial_indent("       heard: “")
                    .subsequent_indent("       ");
                let text = format!("{}”", sanitize(&heard));
                for line in textwrap::wrap(&text, &options) {
                    self.print(&self.paint(&line, |s| s.dark_grey().to_string()));
                }
            }
        }
    }

    fn transcript(&mut self, text: &str) {
        let width = terminal_width().clamp(20, 100);
        let options = textwrap::Options::new(width)
            .initial_indent("  “")
            .subsequent_indent("   ");
        let text = format!("{}”", sanitize(text));
        for line in textwrap::wrap(&text, &options) {
            self.print(&self.paint(&line, |s| s.cyan().to_string()));
        }
    }

    fn ready(&mut self) {
        let line = "Ready? Press Enter to start the clock (q quits).";
        self.print(&self.paint(line, |s| s.bold().to_string()));
    }

    fn cue(&mut self, _cue: crate::audio::Cue, at: Duration) {
        self.flash_until = Some(at + FLASH);
    }

    fn next_change(&self, view: &View, now: Duration) -> Option<Duration> {
        let flash = self.flash_until.filter(|&until| until > now);
        // Nothing on the bar moves while it is paused, rating or asking.
        if view.paused || matches!(view.phase, Phase::Review | Phase::Asking) {
            return flash;
        }
        let bar_cells = (terminal_width() as u64).saturating_sub(19).max(1);
        let next = next_visible_change(view, bar_cells).map(|d| now + d);
        next.into_iter().chain(flash).min()
    }

    fn resized(&mut self) {
        // Rows drawn at the old width have wrapped or been cut by the terminal, where the
        // bar cannot reach them: start the screen afresh with the question and the bar.
        let Some(bar) = &self.bar else { return };
        bar.set_draw_target(ProgressDrawTarget::hidden());
        let mut out = std::io::stdout();
        let _ = write!(out, "\x1b[2J\x1b[3J\x1b[H");
        let _ = out.flush();
        self.print_question();
        if let Some(bar) = &self.bar {
            bar.set_draw_target(ProgressDrawTarget::stdout_with_hz(12));
            bar.force_draw();
        }
    }

    fn meter(&mut self, meter: crate::record::Meter) {
        self.meter = Some(meter);
    }

    fn help(&mut self) {
        let lines: Vec<String> = self.keys.long().iter().map(|l| format!("  {l}")).collect();
        if self.bar.is_some() {
            self.set_note(lines.join("\n"));
        } else {
            for line in lines {
                self.print(&line);
            }
        }
    }

    fn warn(&mut self, message: &str) {
        let text = fit(&format!("rehearse: {}", sanitize(message)));
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{text}")),
            None => eprintln!("{text}"),
        }
    }

    fn analysis(&mut self, text: &str) {
        let width = terminal_width().clamp(20, 100);
        for row in wrap_parts(text, width) {
            self.print(&self.paint(&row, |s| s.cyan().to_string()));
        }
    }

    fn summary(&mut self, lines: &[String]) {
        self.clear_bar();
        if let Some(prompt) = self.prompt.take() {
            prompt.finish_and_clear();
        }
        self.print("");
        for line in lines {
            self.print(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_wrap_between_their_parts() {
        let line = "spoke 0:05 of 0:14 · first word after 5.1 s · longest pause 4.3 s · \
                    1 pause over 3 s · level -20 dBFS";
        assert_eq!(
            wrap_parts(line, 90),
            [
                "  spoke 0:05 of 0:14 · first word after 5.1 s · longest pause 4.3 s · 1 pause over 3 s ·",
                "    level -20 dBFS"
            ]
        );
        for row in wrap_parts(line, 40) {
            assert!(row.chars().count() <= 40, "{row:?}");
        }
    }

    #[test]
    fn the_next_change_is_found_at_every_moment_of_a_short_answer() {
        // A 3 s answer: its red zone is the last 375 ms. Every moment, the last ones
        // included, has a next change within the second.
        for elapsed in (0..=4000).step_by(5) {
            let view = View {
                index: 1,
                phase: Phase::Answer,
                elapsed: Duration::from_millis(elapsed),
                length: Duration::from_secs(3),
                warn: Duration::from_millis(750),
                paused: false,
                review: None,
            };
            let next = next_visible_change(&view, 80).expect("a countdown changes");
            assert!(
                next > Duration::ZERO && next <= Duration::from_secs(1),
                "{elapsed} ms: {next:?}"
            );
        }
    }
}
