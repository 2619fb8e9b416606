//! Plain lines for pipes, files and dumb terminals: one line per moment that matters,
//! nothing redrawn. Write errors (a closed pipe) are ignored: the session and its log
//! matter more than this copy of it.

use std::io::Write;

use std::time::Duration;

use super::{KeySet, Presenter, ending, questions, refusal, review_said};
use crate::answer::Transcript;
use crate::duration::{clock, clock_ceil};
use crate::plan::{Plan, PlannedQuestion};
use crate::session::{Event, EventKind, Outcome, View};
use crate::text::sanitize;

pub struct PlainPresenter<W: Write> {
    out: W,
    /// Whoever read the lines went away (`rehearse run | head -3`).
    gone: bool,
    /// The current question was read aloud: say when the answer begins after it.
    asked: bool,
    /// The commands this session takes, for `?`.
    keys: KeySet,
}

impl<W: Write> PlainPresenter<W> {
    pub fn new(out: W) -> Self {
        PlainPresenter {
            out,
            gone: false,
            asked: false,
            keys: KeySet::Full,
        }
    }

    fn line(&mut self, text: &str) {
        if self.gone {
            return;
        }
        let written = writeln!(self.out, "{text}").and_then(|()| self.out.flush());
        if written.is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) {
            self.gone = true;
        }
    }
}

impl<W: Write> Presenter for PlainPresenter<W> {
    fn intro(&mut self, title: &str, plan: &Plan, keys: KeySet, lines: bool) {
        self.keys = keys;
        self.line(&format!(
            "{}: {}, up to {} in all (seed {})",
            sanitize(title),
            questions(plan.questions.len()),
            clock(plan.total()),
            plan.seed
        ));
        if lines {
            self.line(keys.line_commands());
        }
    }

    fn show(&mut self, event: &Event, q: &PlannedQuestion) {
        match event.kind {
            EventKind::QuestionStarted => self.asked = false,
            EventKind::Spoken { .. } => self.asked = true,
            _ => {}
        }
        let text = match &event.kind {
            EventKind::QuestionStarted => format!(
                "[{}] {} ({}): {}",
                q.index,
                match q.follows() {
                    Some(parent) => format!("follow-up to [{parent}]"),
                    None => sanitize(&q.category),
                },
                clock(q.limit),
                sanitize(&q.text)
            ),
            EventKind::PrepStarted => format!("think for {}", clock(q.prep)),
            EventKind::AnswerStarted if !q.prep.is_zero() || self.asked => "answer now".to_string(),
            EventKind::Warning => format!("{} left", clock_ceil(q.warn)),
            EventKind::TimeUp => "time up".to_string(),
            EventKind::Paused => "paused".to_string(),
            EventKind::Resumed { paused } => format!("resumed after {}", clock(*paused)),
            EventKind::TimeAdjusted { limit, .. } => format!("limit now {}", clock(*limit)),
            EventKind::Retake { take, .. } => format!("take {take}: answer again"),
            EventKind::Refused(r) => refusal(*r).to_string(),
            // "time up" was said when it happened.
            EventKind::QuestionEnded {
                outcome: Outcome::TimeUp,
                ..
            } => return,
            EventKind::QuestionEnded {
                outcome,
                answer,
                overtime,
                ..
            } => ending(*outcome, *answer, *overtime),
            kind => match review_said(kind) {
                Some(said) => said,
                None => return,
            },
        };
        self.line(&text);
    }

    fn talking_points(&mut self, points: &[String], said: Option<&Transcript>) {
        let Some(said) = said else {
            self.line("a strong answer covers:");
            for point in points {
                self.line(&format!("- {}", sanitize(point)));
            }
            return;
        };
        let (covered, of) = said.coverage();
        self.line(&format!(
            "a strong answer covers ({covered} of {of} heard):"
        ));
        for (i, point) in points.iter().enumerate() {
            let tick = if said.covered.get(i) == Some(&true) {
                "x"
            } else {
                " "
            };
            self.line(&format!("- [{tick}] {}", sanitize(point)));
            if let Some(Some(heard)) = said.heard.get(i).filter(|_| tick == "x") {
                self.line(&format!("      heard: \"{}\"", sanitize(heard)));
            }
        }
    }

    fn transcript(&mut self, text: &str) {
        self.line(&format!("said: \"{}\"", sanitize(text)));
    }

    fn recall(&mut self, q: &PlannedQuestion) {
        self.line(&format!("[{}] review: {}", q.index, sanitize(&q.text)));
    }

    fn cue(&mut self, _cue: crate::audio::Cue, _at: Duration) {}

    fn redraw(&mut self, _view: Option<View>, _now: Duration) {}

    fn help(&mut self) {
        self.line(self.keys.line_commands());
    }

    fn output_gone(&self) -> bool {
        self.gone
    }

    fn warn(&mut self, message: &str) {
        eprintln!("rehearse: {}", sanitize(message));
    }

    fn analysis(&mut self, text: &str) {
        self.line(text);
    }

    fn summary(&mut self, lines: &[String]) {
        for line in lines {
            self.line(line);
        }
    }
}
