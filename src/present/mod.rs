//! Presenters show what the engine decided: a countdown bar on a terminal, plain lines
//! anywhere else. They never change the session, and the engine never prints.

mod detached;
mod plain;
mod plan_table;
mod terminal;

pub use detached::Detached;
pub use plain::PlainPresenter;
pub use plan_table::{Under, plan_table};
pub use terminal::TerminalPresenter;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use crate::answer::{Analysis, Transcript};
use crate::audio::{Cue, cue_for};
use crate::coach::{Prompt, ReviewStep};
use crate::duration::{clock, clock_ceil, clock_round};
use crate::log::read::{Ending, SessionSummary};
use crate::plan::{Plan, PlannedQuestion};
use crate::session::{Event, EventKind, Outcome, Refusal, Screen, View};

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
    /// Before the first question; `lines`: commands are read as lines, not keys.
    fn intro(&mut self, title: &str, plan: &Plan, keys: KeySet, lines: bool);
    /// One event, already logged.
    fn show(&mut self, event: &Event, question: &PlannedQuestion);
    /// What a strong answer covers, once the answer is over; with what was said, each
    /// point marked covered or missed, with what was heard for it.
    fn talking_points(&mut self, points: &[String], said: Option<&Transcript>);
    /// What was said in an answer, fillers marked, as a quoted paragraph.
    fn transcript(&mut self, text: &str);
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
    /// The list of keys (those of the set given to `intro`), on request.
    fn help(&mut self);
    /// While answers are recorded: how loud the microphone hears the person, to show.
    fn meter(&mut self, _meter: crate::record::Meter) {}
    /// What was learnt of a take (how it was spoken), in words.
    fn analysis(&mut self, text: &str);
    /// A warning that must not break the display.
    fn warn(&mut self, message: &str);
    /// After the last event: the recap.
    fn summary(&mut self, lines: &[String]);
}

/// The screen part of a session: hands each event to the presenter with what goes with
/// it (a take's figures, talking points once the answer's take is complete, a visible cue)
/// and, at the end, the recap of the session's summary.
pub struct Display<'a> {
    presenter: Box<dyn Presenter>,
    plan: &'a Plan,
    /// The session so far, as the log part folds it.
    summary: Rc<RefCell<SessionSummary>>,
    /// Show the talking points after each answer.
    coach: bool,
    /// Cues sound (or would, but for a missing device): show them too.
    cues: bool,
    /// A one-way interview: the coaching comes after the last question, and the keys
    /// are the strict set.
    one_way: bool,
    /// The question whose answer is being given, and its take, until the next question.
    take: Option<(usize, u32)>,
    /// Talking points waiting for this take (question, take) to be complete.
    held: Option<(usize, u32)>,
    /// The take whose talking points were shown last.
    shown: Option<(usize, u32)>,
}

impl<'a> Display<'a> {
    pub fn new(
        presenter: Box<dyn Presenter>,
        plan: &'a Plan,
        summary: Rc<RefCell<SessionSummary>>,
        coach: bool,
        cues: bool,
    ) -> Self {
        Display {
            presenter,
            plan,
            summary,
            coach,
            cues,
            one_way: false,
            take: None,
            held: None,
            shown: None,
        }
    }

    /// Answers are recorded: show the level while they are given.
    pub fn record(&mut self, meter: crate::record::Meter) {
        self.presenter.meter(meter);
    }

    /// The talking points held back for a take, now.
    fn release(&mut self) {
        if let Some((index, take)) = self.held.take() {
            self.points(index, Some(take));
        }
    }

    /// The talking points of question `index`, marked by what was said in `take` (the
    /// take that counts when `None`) if it was transcribed.
    fn points(&mut self, index: usize, take: Option<u32>) {
        let points = &self.plan.question(index).talking_points;
        let said = {
            let summary = self.summary.borrow();
            let q = summary.questions.iter().find(|q| q.index == index);
            let take = match take {
                Some(n) => q.and_then(|q| q.takes.iter().find(|t| t.take == n)),
                None => q.and_then(|q| q.counted_take()),
            };
            take.and_then(|t| t.transcript.clone())
        };
        self.presenter.talking_points(points, said.as_deref());
        self.shown = take.map(|take| (index, take));
    }

    /// A one-way interview: talking points and reviews after the last question, not after
    /// each answer, and neither pause nor more time among the keys.
    pub fn one_way(&mut self, yes: bool) {
        self.one_way = yes;
    }

    pub fn intro(&mut self, title: &str, lines: bool) {
        let keys = if self.one_way {
            KeySet::OneWay
        } else {
            KeySet::Full
        };
        self.presenter.intro(title, self.plan, keys, lines);
    }

    /// The session's end in numbers, from its summary; `log` is where it was saved and
    /// whether every record reached it.
    pub fn recap(&mut self, log: Option<(&str, bool)>) {
        let lines = recap(&self.summary.borrow(), log);
        self.presenter.summary(&lines);
    }

    pub fn warn(&mut self, message: &str) {
        self.presenter.warn(message);
    }

    /// What was learnt of a take, shown: labelled with its take once there are several.
    /// What was said comes with its talking points marked when they were shown already.
    fn analysis(&mut self, analysis: &Analysis) {
        let (index, take) = analysis.key();
        let retaken = take > 1 || self.take.is_some_and(|(i, t)| i == index && t > 1);
        let label = |line: String| {
            if retaken {
                format!("take {take}: {line}")
            } else {
                line
            }
        };
        match analysis {
            Analysis::Spoken(spoken) => {
                self.presenter
                    .analysis(&label(crate::answer::spoken::line(spoken)));
            }
            Analysis::Transcript(t) => {
                self.said(t, retaken.then_some(take));
                // The points were shown already (the transcript came late): which of them
                // were covered, by number, rather than the whole list again.
                if self.shown == Some((index, take))
                    && self.coach
                    && let Some(line) = crate::answer::transcript::points(t)
                {
                    self.presenter.analysis(&line);
                }
            }
        }
    }

    /// A transcript and its figures (`take`: which take, once there are several).
    fn said(&mut self, t: &Transcript, take: Option<u32>) {
        if t.text.trim().is_empty() {
            let nothing = "nothing was heard to transcribe".to_string();
            self.presenter.analysis(&match take {
                Some(take) => format!("take {take}: {nothing}"),
                None => nothing,
            });
            return;
        }
        let text = crate::answer::transcript::said(t);
        match take {
            Some(take) => self.presenter.transcript(&format!("take {take}: {text}")),
            None => self.presenter.transcript(&text),
        }
        self.presenter.analysis(&crate::answer::transcript::line(t));
    }

    /// In a one-way interview, each answer's review after the last question: the question
    /// again, then how its take that counts was spoken and what was said in it.
    fn recall(&mut self, question: &PlannedQuestion) {
        self.presenter.recall(question);
        let (spoken, said) = {
            let summary = self.summary.borrow();
            let q = summary.questions.iter().find(|q| q.index == question.index);
            (
                q.and_then(|q| q.spoken()).map(crate::answer::spoken::line),
                q.and_then(|q| q.transcript()).cloned(),
            )
        };
        if let Some(line) = spoken {
            self.presenter.analysis(&line);
        }
        if let Some(t) = said {
            self.said(&t, None);
        }
    }

    fn question(&self, event: &Event) -> &'a PlannedQuestion {
        self.plan.question(event.index)
    }

    /// What the coaching adds after `event`: the talking points, now or once the take is
    /// complete.
    fn coach(&mut self, event: &Event, question: &PlannedQuestion) {
        let points_now = match event.kind {
            EventKind::QuestionEnded { outcome, .. } => {
                !self.one_way && outcome != Outcome::Unfinished
            }
            EventKind::ReviewStarted => self.one_way,
            _ => false,
        };
        if points_now && self.coach && !question.talking_points.is_empty() {
            match (&event.kind, self.take) {
                // After an answer, what was learnt of its take comes first.
                (EventKind::QuestionEnded { take, .. }, Some((index, _)))
                    if index == event.index && !self.one_way =>
                {
                    self.held = Some((index, *take));
                }
                _ => self.points(event.index, None),
            }
        }
        if let EventKind::TakeComplete { take } = event.kind
            && self.held == Some((event.index, take))
        {
            self.release();
        }
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
                EventKind::QuestionStarted => self.take = None,
                EventKind::AnswerStarted if self.take.is_none() => {
                    self.take = Some((event.index, 1));
                }
                EventKind::Retake { take, .. } => self.take = Some((event.index, take)),
                _ => {}
            }
            if self.one_way && event.kind == EventKind::ReviewStarted {
                self.recall(question);
            }
            match &event.kind {
                // In a one-way interview the figures come with each answer's review.
                EventKind::Analysed(a) if !self.one_way => self.analysis(a),
                EventKind::Analysed(_) => {}
                _ => self.presenter.show(event, question),
            }
            self.coach(event, question);
            if let Some(cue) = cue_for(event).filter(|_| self.cues) {
                self.presenter.cue(cue, event.at);
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

/// The end of a session in lines: how it ended and its counts, each question asked, the
/// ratings, and where it was saved (`log`: the path, and whether all of it was).
pub fn recap(s: &SessionSummary, log: Option<(&str, bool)>) -> Vec<String> {
    let head = match s.ending {
        Ending::Completed => "Interview complete",
        _ => "Session ended early",
    };
    let mut lines = vec![format!(
        "{head}: {}; {} in all.",
        s.counts.describe(),
        clock(ms(s.total_ms))
    )];
    let mut ratings = Vec::new();
    for q in &s.questions {
        if let Some(r) = q.result {
            lines.push(format!(
                "  {}. {}: {}",
                q.index,
                crate::text::sanitize(&q.id),
                ending(r.outcome, ms(r.answer_ms), ms(r.overtime_ms))
            ));
        }
        ratings.extend(q.review.as_ref().and_then(|r| r.rating));
    }
    if !ratings.is_empty() {
        let mean = ratings.iter().map(|&r| f64::from(r)).sum::<f64>() / ratings.len() as f64;
        lines.push(format!(
            "Your ratings: {mean:.1} of 5 on average ({} rated).",
            ratings.len()
        ));
    }
    match log {
        // The path on a line of its own, whole, so it can be copied at any width.
        Some((path, true)) => {
            lines.push("Saved to:".to_string());
            lines.push(path.to_string());
            lines.push("In full: rehearse review show 1".to_string());
        }
        Some((path, false)) => {
            lines.push(format!("Saved in part to {path}; the rest follows below"))
        }
        None => lines.push("Not saved (--no-log).".to_string()),
    }
    lines
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// `1 question`, `3 questions`.
pub fn questions(n: usize) -> String {
    if n == 1 {
        "1 question".to_string()
    } else {
        format!("{n} questions")
    }
}

/// The keys a session takes: all of them, or a one-way interview's, which has no pause
/// and no extra time (as on the platforms that run them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySet {
    Full,
    OneWay,
}

impl KeySet {
    /// The one line under the title.
    pub fn short(self) -> &'static str {
        match self {
            KeySet::Full => "Enter next · s skip · Space pause · +/- time · q quit · ? keys",
            KeySet::OneWay => {
                "Enter next · s skip · q quit · ? keys · one-way: no pause, no extra time"
            }
        }
    }

    /// Every key, for `?`.
    pub fn long(self) -> &'static [&'static str] {
        match self {
            KeySet::Full => &[
                "Enter, n    done: next question (while asked or thinking: start now)",
                "s           skip this question",
                "Space, p    pause / resume",
                "+ / -       30 s more / less for this answer",
                "r           take this answer again (also at its rating)",
                "q, Esc, ^C  end the session now (it is saved)",
            ],
            KeySet::OneWay => &[
                "Enter, n    done: next question (while thinking: start now)",
                "s           skip this question",
                "-           30 s less for this answer",
                "r           take this answer again",
                "q, Esc, ^C  end the session now (it is saved)",
                "one-way: no pause and no extra time, as on the platforms",
            ],
        }
    }

    /// The commands when they are read as lines.
    pub fn line_commands(self) -> &'static str {
        match self {
            KeySet::Full => {
                "commands: empty line or n = next, s = skip, p = pause/resume, + / - = time, \
                 r = retake, q = quit"
            }
            KeySet::OneWay => {
                "commands: empty line or n = next, s = skip, - = less time, r = retake, \
                 q = quit (one-way: no pause, no extra time)"
            }
        }
    }
}

/// Why a key did nothing, in one line.
pub fn refusal(r: Refusal) -> &'static str {
    match r {
        Refusal::Pause => {
            "no pausing in a one-way interview: the clock runs on, as on the platforms"
        }
        Refusal::MoreTime => {
            "no extra time in a one-way interview: the limit is fixed, as on the platforms"
        }
    }
}

/// `answered in 1:42 (+0:12 over)`, `skipped after 0:05`: how a question ended.
/// Times to the nearest second, as the spoken figures of the same answer give them.
pub fn ending(outcome: Outcome, answer: Duration, overtime: Duration) -> String {
    let over = if overtime.is_zero() {
        String::new()
    } else {
        format!(" (+{} over)", clock_round(overtime))
    };
    let answer = clock_round(answer);
    match outcome {
        Outcome::Answered => format!("answered in {answer}{over}"),
        Outcome::Skipped => format!("skipped after {answer}"),
        Outcome::TimeUp => format!("time up at {answer}"),
        Outcome::Unfinished => format!("stopped after {answer}"),
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

    mod display {
        //! The screen part on scripted events: what a person would read, in order.
        use super::super::*;
        use crate::answer::Spoken;
        use crate::bank::{Source, parse_bank};
        use crate::log::read::{Detail, Interner};
        use crate::log::{LogPart, SessionStarted};
        use crate::plan::{PlanOptions, Selection, TimeOptions, make_plan};
        use crate::session::Part;

        /// Writes down what it is asked to show.
        struct Lines(Rc<RefCell<Vec<String>>>);

        impl Presenter for Lines {
            fn intro(&mut self, _: &str, _: &Plan, _: KeySet, _: bool) {}
            fn show(&mut self, event: &Event, _: &PlannedQuestion) {
                let kind = format!("{:?}", event.kind);
                let name = kind.split([' ', '{', '(']).next().unwrap_or_default();
                self.0.borrow_mut().push(format!("{} {name}", event.index));
            }
            fn talking_points(&mut self, _: &[String], said: Option<&Transcript>) {
                let line = match said.map(Transcript::coverage) {
                    Some((covered, of)) => format!("points, {covered} of {of} heard"),
                    None => "points".into(),
                };
                self.0.borrow_mut().push(line);
            }
            fn transcript(&mut self, text: &str) {
                self.0.borrow_mut().push(format!("said {text}"));
            }
            fn recall(&mut self, q: &PlannedQuestion) {
                self.0.borrow_mut().push(format!("review of {}", q.index));
            }
            fn cue(&mut self, _: Cue, _: Duration) {}
            fn redraw(&mut self, _: Option<View>, _: Duration) {}
            fn help(&mut self) {}
            fn analysis(&mut self, text: &str) {
                self.0.borrow_mut().push(text.to_string());
            }
            fn warn(&mut self, _: &str) {}
            fn summary(&mut self, _: &[String]) {}
        }

        fn plan() -> Plan {
            let mut text = String::new();
            for id in ["a", "b"] {
                text.push_str(&format!(
                    "[[questions]]\nid = \"{id}\"\ncategory = \"C\"\ntext = \"{id}?\"\ntalking_points = [\"p\"]\n"
                ));
            }
            let bank =
                parse_bank(&text, std::path::Path::new("t.toml"), "t", Source::Embedded).unwrap();
            make_plan(
                &bank,
                &PlanOptions {
                    selection: Selection::All,
                    seed: 1,
                    times: TimeOptions::default(),
                    pick: Default::default(),
                },
            )
        }

        /// Feeds `events` (question, kind) to the log part and then the screen, as the
        /// runner does; returns what the screen showed.
        fn shown(one_way: bool, events: Vec<(usize, EventKind)>) -> Vec<String> {
            let plan = plan();
            let started = SessionStarted {
                schema: crate::log::SCHEMA,
                app_version: String::new(),
                bank: "T".into(),
                bank_key: "t".into(),
                bank_source: String::new(),
                settings: None,
                seed: 1,
                plan: plan.questions.iter().map(Into::into).collect(),
            };
            let summary = Rc::new(RefCell::new(SessionSummary::start(
                std::path::Path::new(""),
                chrono::Local::now().fixed_offset(),
                0,
                &started,
                Detail::Questions,
                &mut Interner::default(),
            )));
            let lines = Rc::new(RefCell::new(Vec::new()));
            let mut log = LogPart::new(None, &plan, Rc::clone(&summary), false);
            let mut display = Display::new(
                Box::new(Lines(Rc::clone(&lines))),
                &plan,
                Rc::clone(&summary),
                true,
                false,
            );
            display.one_way(one_way);
            for (index, kind) in events {
                let event = [Event {
                    at: Duration::ZERO,
                    index,
                    kind,
                }];
                log.react(&event, Duration::ZERO);
                display.react(&event);
            }
            lines.take()
        }

        fn ended(take: u32) -> EventKind {
            EventKind::QuestionEnded {
                outcome: Outcome::Answered,
                answer: Duration::from_secs(7),
                overtime: Duration::ZERO,
                paused: Duration::ZERO,
                prep: Duration::ZERO,
                short: false,
                take,
            }
        }

        fn spoken(index: usize, take: u32, first_word_ms: Option<u64>) -> EventKind {
            EventKind::Analysed(Analysis::Spoken(Spoken {
                index,
                take,
                ..Spoken::sample(7000, first_word_ms, 4000, 0, 0)
            }))
        }

        #[test]
        fn the_talking_points_wait_for_the_take_to_be_complete() {
            use EventKind::*;
            let shown = shown(
                false,
                vec![
                    (1, QuestionStarted),
                    (1, AnswerStarted),
                    (1, ended(1)),
                    (1, spoken(1, 1, Some(900))),
                    (1, TakeComplete { take: 1 }),
                ],
            );
            assert_eq!(
                shown,
                [
                    "1 QuestionStarted",
                    "1 AnswerStarted",
                    "1 QuestionEnded",
                    "spoke 0:04 of 0:07 · first word after 0.9 s · no pause over 3 s · level -22 dBFS",
                    "1 TakeComplete",
                    "points"
                ]
            );
        }

        fn transcript(text: &str, covered: bool) -> EventKind {
            EventKind::Analysed(Analysis::Transcript(Box::new(Transcript {
                index: 1,
                take: 1,
                text: text.into(),
                words: text.split_whitespace().count() as u32,
                covered: vec![covered],
                ..Transcript::default()
            })))
        }

        #[test]
        fn a_transcript_in_time_marks_the_points_shown_once() {
            use EventKind::*;
            let shown = shown(
                false,
                vec![
                    (1, QuestionStarted),
                    (1, AnswerStarted),
                    (1, ended(1)),
                    (1, transcript("We tell them in sixty days.", true)),
                    (1, TakeComplete { take: 1 }),
                ],
            );
            let points: Vec<&String> = shown.iter().filter(|l| l.starts_with("points")).collect();
            assert_eq!(points, ["points, 1 of 1 heard"], "{shown:?}");
            assert!(shown.contains(&"said We tell them in sixty days.".to_string()));
        }

        #[test]
        fn a_late_transcript_says_which_points_it_covered_without_the_list_again() {
            use EventKind::*;
            let shown = shown(
                false,
                vec![
                    (1, QuestionStarted),
                    (1, AnswerStarted),
                    (1, ended(1)),
                    (1, TakeComplete { take: 1 }),
                    (1, transcript("We tell them in sixty days.", true)),
                    (2, QuestionStarted),
                ],
            );
            let points: Vec<&String> = shown.iter().filter(|l| l.starts_with("points")).collect();
            assert_eq!(points, ["points"], "{shown:?}");
            assert!(
                shown.contains(&"talking points: covered 1".to_string()),
                "{shown:?}"
            );
        }

        #[test]
        fn a_silent_take_says_nothing_was_heard() {
            use EventKind::*;
            let shown = shown(
                false,
                vec![
                    (1, QuestionStarted),
                    (1, AnswerStarted),
                    (1, ended(1)),
                    (1, transcript("", false)),
                    (1, TakeComplete { take: 1 }),
                ],
            );
            assert!(
                shown.contains(&"nothing was heard to transcribe".to_string()),
                "{shown:?}"
            );
            assert!(!shown.iter().any(|l| l.starts_with("said")), "{shown:?}");
        }

        /// A take cut short by a retake is analysed while the next one runs: its figures
        /// say which take they are about.
        #[test]
        fn figures_of_an_earlier_take_say_which_take_they_are() {
            use EventKind::*;
            let shown = shown(
                false,
                vec![
                    (1, QuestionStarted),
                    (1, AnswerStarted),
                    (
                        1,
                        Retake {
                            take: 2,
                            answer: Duration::from_secs(7),
                        },
                    ),
                    (1, AnswerStarted),
                    (1, spoken(1, 1, Some(900))),
                    (1, ended(2)),
                    (1, spoken(1, 2, None)),
                    (1, TakeComplete { take: 2 }),
                ],
            );
            let figures: Vec<&String> = shown.iter().filter(|l| l.contains(" 0:07")).collect();
            assert_eq!(
                figures,
                [
                    "take 1: spoke 0:04 of 0:07 · first word after 0.9 s · no pause over 3 s · level -22 dBFS",
                    "take 2: heard no speech in 0:07"
                ]
            );
        }

        /// In a one-way interview the figures of question 1 may come while question 2 is
        /// asked: they are shown with question 1's review at the end, not under question 2.
        #[test]
        fn one_way_figures_come_with_their_own_question_at_the_end() {
            use EventKind::*;
            let shown = shown(
                true,
                vec![
                    (1, QuestionStarted),
                    (1, AnswerStarted),
                    (1, ended(1)),
                    (2, QuestionStarted),
                    (1, spoken(1, 1, Some(900))),
                    (2, AnswerStarted),
                    (2, ended(1)),
                    (2, spoken(2, 1, None)),
                    (1, ReviewStarted),
                    (2, ReviewStarted),
                ],
            );
            let at = |text: &str| shown.iter().position(|l| l.starts_with(text)).unwrap();
            assert!(at("2 QuestionStarted") < at("review of 1"), "{shown:?}");
            assert_eq!(
                shown[at("review of 1") + 1],
                "spoke 0:04 of 0:07 · first word after 0.9 s · no pause over 3 s · level -22 dBFS"
            );
            assert_eq!(shown[at("review of 2") + 1], "heard no speech in 0:07");
            assert_eq!(
                shown.iter().filter(|l| l.contains(" 0:07")).count(),
                2,
                "{shown:?}"
            );
        }
    }

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
