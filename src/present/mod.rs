//! Presenters show what the engine decided: a countdown bar on a terminal, plain lines
//! anywhere else. They never change the session, and the engine never prints.

mod detached;
mod plain;
mod plan_table;
mod terminal;

pub use detached::Detached;
pub use plain::PlainPresenter;
pub use plan_table::plan_table;
pub use terminal::TerminalPresenter;

use std::time::Duration;

use crate::audio::{Cue, cue_for};
use crate::coach::{Prompt, ReviewStep};
use crate::duration::{clock, clock_ceil};
use crate::plan::{Plan, PlannedQuestion};
use crate::session::{Event, EventKind, Outcome, Recording, Screen, SessionOutcome, View};

/// What the screen shows; decided once from the terminal, the environment and flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Output {
    /// A terminal that can redraw a bar in place.
    pub fancy: bool,
    pub color: bool,
}

impl Output {
    /// A bar only on a real terminal that is not `TERM=dumb`; colour only there too, and
    /// never with `NO_COLOR` set.
    pub fn detect(stdout_is_terminal: bool, term: Option<&str>, no_color: bool) -> Output {
        let fancy = stdout_is_terminal && term != Some("dumb");
        Output {
            fancy,
            color: fancy && !no_color,
        }
    }
}

pub trait Presenter {
    /// Before the first question.
    fn intro(&mut self, title: &str, plan: &Plan, keys: bool);
    /// One event, already logged.
    fn show(&mut self, event: &Event, question: &PlannedQuestion);
    /// What a strong answer covers, once the answer is over.
    fn talking_points(&mut self, points: &[String]);
    /// The question again, for its review after the whole interview.
    fn recall(&mut self, question: &PlannedQuestion);
    /// A sound cue was triggered at `at`: make it visible too.
    fn cue(&mut self, cue: Cue, at: Duration);
    /// The current moment (the countdown, or the review step's prompt).
    fn redraw(&mut self, view: Option<View>, now: Duration);
    /// When the screen would next look different, if anything on it changes by itself.
    fn next_change(&self, _view: &View, _now: Duration) -> Option<Duration> {
        None
    }
    /// The terminal changed size.
    fn resized(&mut self) {}
    /// Asks whether the person is ready to start.
    fn ready(&mut self) {}
    /// Nobody reads the output any more (a closed pipe).
    fn output_gone(&self) -> bool {
        false
    }
    /// The list of keys, on request.
    fn help(&mut self);
    /// While answers are recorded: how loud the microphone hears the person, to show.
    fn meter(&mut self, _meter: crate::record::Meter) {}
    /// A warning that must not break the display.
    fn warn(&mut self, message: &str);
    /// After the last event.
    fn summary(&mut self, summary: &Summary);
}

/// The screen part of a session: hands each event to the presenter with what goes with
/// it (talking points after an answer, a visible cue) and keeps the end for the summary.
pub struct Display<'a> {
    presenter: Box<dyn Presenter>,
    plan: &'a Plan,
    /// Show the talking points after each answer.
    coach: bool,
    /// Cues sound (or would, but for a missing device): show them too.
    cues: bool,
    /// The coaching comes after the last question (a one-way interview).
    coach_at_end: bool,
    summary: Option<Summary>,
    recap: Vec<(usize, String, String)>,
    ratings: Vec<u8>,
    /// Answers are recorded: their figures come just after them, before the talking points
    /// (unless no microphone could be opened).
    recorded: Option<crate::record::Meter>,
    /// The question whose answer is being given, or was, until its figures come.
    answered: Option<usize>,
    /// Talking points waiting for the figures of this question's answer.
    held: Option<usize>,
}

impl<'a> Display<'a> {
    pub fn new(presenter: Box<dyn Presenter>, plan: &'a Plan, coach: bool, cues: bool) -> Self {
        Display {
            presenter,
            plan,
            coach,
            cues,
            coach_at_end: false,
            summary: None,
            recap: Vec::new(),
            ratings: Vec::new(),
            recorded: None,
            answered: None,
            held: None,
        }
    }

    /// Answers are recorded: show the level while they are given and their figures after.
    pub fn record(&mut self, meter: crate::record::Meter) {
        self.recorded = Some(meter.clone());
        self.presenter.meter(meter);
    }

    /// The talking points held back for a recording's figures, now.
    fn release(&mut self) {
        if let Some(index) = self.held.take() {
            let points = &self.plan.question(index).talking_points;
            self.presenter.talking_points(points);
        }
    }

    /// Talking points and reviews after the last question, not after each answer.
    pub fn coach_at_end(&mut self, yes: bool) {
        self.coach_at_end = yes;
    }

    pub fn intro(&mut self, title: &str, keys: bool) {
        self.presenter.intro(title, self.plan, keys);
    }

    /// The session's end in numbers, once it ended.
    pub fn take_summary(&mut self) -> Option<Summary> {
        self.summary.take()
    }

    pub fn summary(&mut self, summary: &Summary) {
        self.presenter.summary(summary);
    }

    pub fn warn(&mut self, message: &str) {
        self.presenter.warn(message);
    }

    fn question(&self, event: &Event) -> &'a PlannedQuestion {
        self.plan.question(event.index)
    }
}

impl Screen for Display<'_> {
    fn ready(&mut self) {
        self.presenter.ready();
    }

    fn react(&mut self, events: &[Event]) {
        for event in events {
            let question = self.question(event);
            if matches!(
                event.kind,
                EventKind::QuestionStarted
                    | EventKind::GapStarted { .. }
                    | EventKind::Retake { .. }
                    | EventKind::SessionEnded { .. }
            ) {
                self.release();
            }
            match event.kind {
                EventKind::AnswerStarted => self.answered = Some(event.index),
                EventKind::QuestionStarted => self.answered = None,
                _ => {}
            }
            if self.coach_at_end && event.kind == EventKind::ReviewStarted {
                self.presenter.recall(question);
            }
            self.presenter.show(event, question);
            let points_now = match event.kind {
                EventKind::QuestionEnded { outcome, .. } => {
                    !self.coach_at_end && outcome != Outcome::Unfinished
                }
                EventKind::ReviewStarted => self.coach_at_end,
                _ => false,
            };
            if points_now && self.coach && !question.talking_points.is_empty() {
                // After a recorded answer its figures come first, a moment later.
                let measured = self.recorded.as_ref().is_some_and(|m| !m.absent());
                if measured && !self.coach_at_end && self.answered == Some(event.index) {
                    self.held = Some(event.index);
                } else {
                    self.presenter.talking_points(&question.talking_points);
                }
            }
            if let EventKind::AnswerRecorded(r) = &event.kind
                && self.held == Some(r.index)
            {
                self.release();
            }
            if let Some(cue) = cue_for(event).filter(|_| self.cues) {
                self.presenter.cue(cue, event.at);
            }
            match &event.kind {
                EventKind::QuestionEnded {
                    outcome,
                    answer,
                    overtime,
                    ..
                } => {
                    // A retake replaces the take before in the recap.
                    self.recap.retain(|(index, ..)| *index != question.index);
                    self.recap.push((
                        question.index,
                        crate::text::sanitize(&question.id),
                        ending(*outcome, *answer, *overtime),
                    ));
                }
                EventKind::Reviewed { review } => self.ratings.extend(review.rating),
                _ => {}
            }
            if let Some(mut summary) = Summary::from_event(event, None) {
                summary.recap = std::mem::take(&mut self.recap);
                summary.ratings = std::mem::take(&mut self.ratings);
                self.summary = Some(summary);
            }
        }
    }

    fn redraw(&mut self, view: Option<View>, now: Duration) {
        self.presenter.redraw(view, now);
    }

    fn next_change(&self, view: &View, now: Duration) -> Option<Duration> {
        self.presenter.next_change(view, now)
    }

    fn help(&mut self) {
        self.presenter.help();
    }

    fn gone(&self) -> bool {
        self.presenter.output_gone()
    }

    fn resized(&mut self) {
        self.presenter.resized();
    }

    fn warn(&mut self, message: &str) {
        self.presenter.warn(message);
    }
}

/// The end of a session in numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub outcome: SessionOutcome,
    pub answered: usize,
    pub skipped: usize,
    pub timed_out: usize,
    pub over_time: usize,
    pub total: Duration,
    pub log: Option<String>,
    /// Every record reached the log file.
    pub log_complete: bool,
    /// Each question asked: its number, id and how it ended (`answered in 1:42`).
    pub recap: Vec<(usize, String, String)>,
    /// The ratings given in the review step.
    pub ratings: Vec<u8>,
}

impl Summary {
    pub fn from_event(event: &Event, log: Option<String>) -> Option<Summary> {
        match event.kind {
            EventKind::SessionEnded {
                outcome,
                answered,
                skipped,
                timed_out,
                over_time,
                ..
            } => Some(Summary {
                outcome,
                answered,
                skipped,
                timed_out,
                over_time,
                total: event.at,
                log,
                log_complete: true,
                recap: Vec::new(),
                ratings: Vec::new(),
            }),
            _ => None,
        }
    }

    pub fn lines(&self) -> Vec<String> {
        let head = match self.outcome {
            SessionOutcome::Completed => "Interview complete",
            SessionOutcome::Aborted => "Session ended early",
        };
        let mut counts = vec![if self.over_time > 0 {
            format!("{} answered ({} over time)", self.answered, self.over_time)
        } else {
            format!("{} answered", self.answered)
        }];
        if self.skipped > 0 {
            counts.push(format!("{} skipped", self.skipped));
        }
        if self.timed_out > 0 {
            // Hands-free, the clock ends each answer: a full-length answer, not an overrun.
            counts.push(format!("{} ended by the clock", self.timed_out));
        }
        let mut lines = vec![format!(
            "{head}: {}; {} in all.",
            counts.join(", "),
            clock(self.total)
        )];
        for (index, id, ending) in &self.recap {
            lines.push(format!("  {index}. {id}: {ending}"));
        }
        if !self.ratings.is_empty() {
            let mean =
                self.ratings.iter().map(|&r| f64::from(r)).sum::<f64>() / self.ratings.len() as f64;
            lines.push(format!(
                "Your ratings: {mean:.1} of 5 on average ({} rated).",
                self.ratings.len()
            ));
        }
        match &self.log {
            // The path on a line of its own, whole, so it can be copied at any width.
            Some(path) if self.log_complete => {
                lines.push("Saved to:".to_string());
                lines.push(path.clone());
                lines.push("In full: rehearse review show 1".to_string());
            }
            Some(path) => lines.push(format!("Saved in part to {path}; the rest follows below")),
            None => lines.push("Not saved (--no-log).".to_string()),
        }
        lines
    }
}

/// How an answer was spoken, as review shows it too.
pub fn spoken(r: &Recording) -> String {
    crate::spoken::line(&crate::spoken::Figures {
        duration: r.duration,
        speech: r.speech,
        first_word: r.first_word,
        longest_pause: r.longest_pause,
        long_pauses: r.long_pauses,
        pause_threshold: r.pause_threshold,
        dropped: r.dropped,
        level_db: r.level_decibels.map(|tenths| f64::from(tenths) / 10.0),
    })
}

/// `1 question`, `3 questions`.
pub fn questions(n: usize) -> String {
    if n == 1 {
        "1 question".to_string()
    } else {
        format!("{n} questions")
    }
}

pub const KEYS_SHORT: &str = "Enter next · s skip · Space pause · +/- time · q quit · ? keys";
pub const KEYS_LONG: &[&str] = &[
    "Enter, n    done: next question (while asked or thinking: start now)",
    "s           skip this question",
    "Space, p    pause / resume",
    "+ / -       30 s more / less for this answer",
    "r           take this answer again (also at its rating)",
    "q, Esc, ^C  end the session now (it is saved)",
];
pub const LINE_COMMANDS: &str = "commands: empty line or n = next, s = skip, p = pause/resume, + / - = time, r = retake, q = quit";

/// `answered in 1:42 (+0:12 over)`, `skipped after 0:05`: how a question ended.
pub fn ending(outcome: Outcome, answer: Duration, overtime: Duration) -> String {
    let over = if overtime.is_zero() {
        String::new()
    } else {
        format!(" (+{} over)", clock(overtime))
    };
    match outcome {
        Outcome::Answered => format!("answered in {}{over}", clock(answer)),
        Outcome::Skipped => format!("skipped after {}", clock(answer)),
        Outcome::TimeUp => format!("time up at {}", clock(answer)),
        Outcome::Unfinished => format!("stopped after {}", clock(answer)),
    }
}

/// What the countdown says: `1:42 left`, `+0:12 over`, `next in 0:03`.
pub fn countdown(view: &View) -> String {
    use crate::session::Phase;
    let left = view.length.saturating_sub(view.elapsed);
    let text = match view.phase {
        Phase::Asking => "Asking…".to_string(),
        Phase::Prep => format!("Think · {}", clock_ceil(left)),
        Phase::Gap => format!("next in {}", clock_ceil(left)),
        Phase::Review => String::new(),
        Phase::Answer if view.elapsed > view.length => {
            format!("+{} over", clock(view.elapsed - view.length))
        }
        Phase::Answer => format!("{} left", clock_ceil(left)),
    };
    if view.paused {
        format!("PAUSED · {text}")
    } else {
        text
    }
}

/// The review step's prompt as it should look now, and where the note's cursor is in it
/// (in characters), at the note prompt.
pub fn review_prompt(step: &ReviewStep) -> Option<(String, Option<usize>)> {
    Some(match step.prompt()? {
        Prompt::Rating => (
            "  How did it go? 1 (poor) to 5 (great), Enter skips, q ends: ".to_string(),
            None,
        ),
        Prompt::Star => (
            format!(
                "  STAR: press S, T, A, R for the parts you told, Enter when done: {}",
                step.star().marks()
            ),
            None,
        ),
        Prompt::Note => {
            let label = "  Note (Enter skips): ";
            let cursor = label.chars().count() + step.cursor();
            (format!("{label}{}", step.note()), Some(cursor))
        }
    })
}

/// The line kept on screen when a review prompt is answered.
pub fn review_said(kind: &EventKind) -> Option<String> {
    Some(match kind {
        EventKind::Rated { rating: Some(r) } => format!("rating {r}/5"),
        EventKind::Rated { rating: None } => "not rated".to_string(),
        EventKind::StarTold { star } => format!("STAR {}", star.marks()),
        EventKind::Reviewed { review } => format!("note: {}", review.note.as_deref()?),
        _ => return None,
    })
}

/// Red for the last stretch: 10 s, or half the warning time if that is less.
pub fn red_zone(warn: Duration) -> Duration {
    Duration::from_secs(10).min(warn / 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Phase;

    fn view(phase: Phase, elapsed: u64, length: u64, paused: bool) -> View<'static> {
        View {
            index: 1,
            phase,
            elapsed: Duration::from_millis(elapsed),
            length: Duration::from_millis(length),
            warn: Duration::from_secs(30),
            paused,
            review: None,
        }
    }

    #[test]
    fn countdown_texts() {
        assert_eq!(
            countdown(&view(Phase::Answer, 17_500, 120_000, false)),
            "1:43 left"
        );
        assert_eq!(
            countdown(&view(Phase::Answer, 132_000, 120_000, false)),
            "+0:12 over"
        );
        assert_eq!(
            countdown(&view(Phase::Answer, 1000, 120_000, true)),
            "PAUSED · 1:59 left"
        );
        assert_eq!(
            countdown(&view(Phase::Gap, 500, 3000, false)),
            "next in 0:03"
        );
    }

    #[test]
    fn how_an_answer_was_spoken() {
        let ms = Duration::from_millis;
        let mut r = Recording {
            index: 1,
            take: 1,
            file: None,
            duration: ms(105_000),
            dropped: Duration::ZERO,
            first_word: Some(ms(2_080)),
            speech: ms(92_400),
            longest_pause: ms(4_230),
            long_pauses: 2,
            pause_threshold: ms(3_000),
            level_decibels: Some(-215),
        };
        assert_eq!(
            spoken(&r),
            "spoke 1:32 of 1:45 · first word after 2.1 s · longest pause 4.2 s · 2 pauses over 3 s \
             · level -22 dBFS"
        );
        r.long_pauses = 1;
        r.longest_pause = Duration::ZERO;
        r.pause_threshold = ms(2_500);
        assert_eq!(
            spoken(&r),
            "spoke 1:32 of 1:45 · first word after 2.1 s · 1 pause over 2.5 s · level -22 dBFS"
        );
        r.first_word = None;
        assert_eq!(spoken(&r), "heard no speech in 1:45");
        r.duration = ms(8_980);
        assert_eq!(spoken(&r), "heard no speech in 0:09");
    }

    #[test]
    fn the_bar_says_asking_while_the_question_is_read() {
        assert_eq!(countdown(&view(Phase::Asking, 1200, 0, false)), "Asking…");
        assert_eq!(
            countdown(&view(Phase::Asking, 1200, 0, true)),
            "PAUSED · Asking…"
        );
    }

    #[test]
    fn endings() {
        let s = Duration::from_secs;
        assert_eq!(
            ending(Outcome::Answered, s(102), Duration::ZERO),
            "answered in 1:42"
        );
        assert_eq!(
            ending(Outcome::Answered, s(132), s(12)),
            "answered in 2:12 (+0:12 over)"
        );
        assert_eq!(
            ending(Outcome::Skipped, s(5), Duration::ZERO),
            "skipped after 0:05"
        );
    }

    #[test]
    fn output_is_decided_once() {
        assert_eq!(
            Output::detect(true, Some("xterm"), false),
            Output {
                fancy: true,
                color: true
            }
        );
        assert_eq!(
            Output::detect(true, Some("xterm"), true),
            Output {
                fancy: true,
                color: false
            }
        );
        assert_eq!(
            Output::detect(true, Some("dumb"), false),
            Output {
                fancy: false,
                color: false
            }
        );
        assert_eq!(
            Output::detect(false, Some("xterm"), false),
            Output {
                fancy: false,
                color: false
            }
        );
    }
}
