//! The log writer as a part of the session: each engine event becomes its record, the
//! records of one moment are synced together before anything is shown or heard, and a log
//! that cannot be written is retried without stopping the session. Every record is also
//! folded into the session's summary, which the screen's recap and the practice history
//! read (with `--no-log` too).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use super::LogWriter;
use super::read::SessionSummary;
use super::record::{
    At, Body, Cue, QuestionEnded, QuestionSpoken, QuestionStarted, Resumed, Retake, Reviewed,
    SessionEnded, TimeAdjusted,
};
use crate::audio::cue_for;
use crate::plan::{Plan, PlannedQuestion};
use crate::session::{Event, EventKind, Part};

/// How often a log that could not be written is tried again.
const RETRY: Duration = Duration::from_secs(1);

pub struct LogPart<'a> {
    /// None with `--no-log`: the records are folded all the same.
    log: Option<&'a mut LogWriter>,
    plan: &'a Plan,
    /// The session so far, folded from its records; the screen reads it too.
    summary: Rc<RefCell<SessionSummary>>,
    /// Cues sound (or would, but for a missing device): log them too.
    cues: bool,
    /// Every answer's start is logged: questions are read aloud (the answer does not
    /// begin with its question), or answers are recorded (a take cut off with its
    /// session is then still known, and its recording found).
    every_start: bool,
    trouble: bool,
}

impl<'a> LogPart<'a> {
    pub fn new(
        log: Option<&'a mut LogWriter>,
        plan: &'a Plan,
        summary: Rc<RefCell<SessionSummary>>,
        cues: bool,
    ) -> Self {
        LogPart {
            log,
            plan,
            summary,
            cues,
            every_start: false,
            trouble: false,
        }
    }

    /// Log when every answer starts (`--speak`, `--record`).
    pub fn every_start(mut self, yes: bool) -> Self {
        self.every_start = yes;
        self
    }

    /// One record, queued for the log and folded into the summary.
    fn record(&mut self, t: Duration, body: Body) {
        if let Some(log) = &mut self.log {
            log.stage(t, &body);
        }
        // Records of this session are always about its plan.
        let _ = self.summary.borrow_mut().apply(millis(t), body);
    }

    /// Writes and syncs what is queued; says so once when writing fails, and once when it
    /// works again.
    fn commit(&mut self) -> Option<String> {
        let log = self.log.as_mut()?;
        match log.flush_pending() {
            Ok(()) if self.trouble => {
                self.trouble = false;
                Some("the session log is being written again".to_string())
            }
            Ok(()) => None,
            Err(trouble) if !self.trouble => {
                self.trouble = true;
                Some(format!(
                    "cannot write the session log ({}): keeping {} records in memory and trying again",
                    trouble.error, trouble.waiting
                ))
            }
            Err(_) => None,
        }
    }
}

impl Part for LogPart<'_> {
    fn react(&mut self, events: &[Event], now: Duration) -> Vec<String> {
        for event in events {
            let question = self.plan.question(event.index);
            // A cue is logged just before its event, at the moment the event fell due, so
            // records stay in time order and `session_ended` stays the last one; how much
            // later the run loop set it off is kept too, to show how punctual cues are.
            if self.cues
                && let Some(cue) = cue_for(event)
            {
                let body = Body::Cue(Cue {
                    name: cue.name().to_string(),
                    index: event.index,
                    late_ms: millis(now.saturating_sub(event.at)),
                });
                self.record(event.at, body);
            }
            let body = match event.kind {
                EventKind::AnswerStarted if self.every_start => {
                    Some(Body::AnswerStarted(At { index: event.index }))
                }
                _ => body(event, question),
            };
            if let Some(body) = body {
                self.record(event.at, body);
            }
        }
        self.commit().into_iter().collect()
    }

    fn poll(&mut self) -> Option<String> {
        if self.trouble { self.commit() } else { None }
    }

    fn next_wake(&self, now: Duration) -> Option<Duration> {
        self.trouble.then_some(now + RETRY)
    }

    fn clock_started(&mut self) {
        if let Some(log) = &mut self.log {
            log.restart_clock(chrono::Local::now());
        }
    }
}

fn millis(d: Duration) -> u64 {
    d.as_millis() as u64
}

/// The log record for an event; events that only matter on screen have none.
pub fn body(event: &Event, q: &PlannedQuestion) -> Option<Body> {
    let index = event.index;
    Some(match &event.kind {
        EventKind::QuestionStarted => Body::QuestionStarted(QuestionStarted {
            index,
            id: q.id.clone(),
            limit_ms: millis(q.limit),
        }),
        EventKind::Spoken { speech, cut } => Body::QuestionSpoken(QuestionSpoken {
            index,
            speech_ms: millis(*speech),
            cut: *cut,
        }),
        EventKind::AnswerStarted if !q.prep.is_zero() => Body::AnswerStarted(At { index }),
        EventKind::Paused => Body::Paused(At { index }),
        EventKind::Resumed { paused } => Body::Resumed(Resumed {
            index,
            paused_ms: millis(*paused),
        }),
        EventKind::TimeAdjusted { delta_ms, limit } => Body::TimeAdjusted(TimeAdjusted {
            index,
            delta_ms: *delta_ms,
            limit_ms: millis(*limit),
        }),
        EventKind::TimeUp => Body::TimeUp(At { index }),
        EventKind::Analysed(analysis) => Body::from(analysis.clone()),
        EventKind::QuestionEnded {
            outcome,
            answer,
            overtime,
            paused,
            prep,
            short,
            take,
        } => Body::QuestionEnded(QuestionEnded {
            index,
            id: q.id.clone(),
            outcome: *outcome,
            answer_ms: millis(*answer),
            overtime_ms: millis(*overtime),
            paused_ms: millis(*paused),
            prep_ms: millis(*prep),
            short: *short,
            take: *take,
        }),
        EventKind::Retake { take, answer } => Body::Retake(Retake {
            index,
            take: *take,
            cut_ms: millis(*answer),
        }),
        EventKind::Reviewed { review } => Body::Reviewed(Reviewed {
            index,
            id: q.id.clone(),
            rating: review.rating,
            note: review.note.clone(),
            star: review.star,
        }),
        EventKind::SessionEnded {
            outcome,
            answered,
            skipped,
            timed_out,
            unfinished,
            over_time,
        } => Body::SessionEnded(SessionEnded {
            outcome: *outcome,
            answered: *answered,
            skipped: *skipped,
            time_up: *timed_out,
            unfinished: *unfinished,
            over_time: *over_time,
            total_ms: millis(event.at),
        }),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::{Source, parse_bank};
    use crate::log::read::{Detail, Interner};
    use crate::log::{Record, SessionStarted};
    use crate::plan::{PlanOptions, Selection, TimeOptions, make_plan};
    use crate::session::Outcome;

    fn plan() -> Plan {
        let text = "[[questions]]\nid = \"a\"\ncategory = \"A\"\ntext = \"Q?\"\n";
        let bank = parse_bank(text, std::path::Path::new("t.toml"), "t", Source::Embedded).unwrap();
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

    fn at(ms: u64, kind: EventKind) -> Event {
        Event {
            at: Duration::from_millis(ms),
            index: 1,
            kind,
        }
    }

    /// The run loop sets a cue off a moment after the deadline it marks: its record still
    /// comes before its event's, at the same time, and says how late it was.
    #[test]
    fn records_come_in_time_order_when_the_loop_is_late() {
        let dir = tempfile::tempdir().unwrap();
        let started = chrono::Local::now();
        let mut log = LogWriter::create(dir.path(), "t", started).unwrap();
        let plan = plan();
        let summary = SessionSummary::start(
            std::path::Path::new("t"),
            started.fixed_offset(),
            0,
            &SessionStarted {
                schema: crate::log::SCHEMA,
                app_version: String::new(),
                bank: "T".into(),
                bank_key: "t".into(),
                bank_source: String::new(),
                settings: None,
                seed: 1,
                plan: plan.questions.iter().map(Into::into).collect(),
            },
            Detail::Questions,
            &mut Interner::default(),
        );
        let summary = Rc::new(RefCell::new(summary));
        let mut part = LogPart::new(Some(&mut log), &plan, Rc::clone(&summary), true);
        part.react(
            &[
                at(0, EventKind::QuestionStarted),
                at(0, EventKind::AnswerStarted),
            ],
            Duration::from_millis(2),
        );
        // The answer's time ran out at 3000 ms; the loop woke at 3015.
        part.react(&[at(3000, EventKind::TimeUp)], Duration::from_millis(3015));
        let ended = EventKind::QuestionEnded {
            outcome: Outcome::Answered,
            answer: Duration::from_millis(4000),
            overtime: Duration::from_millis(1000),
            paused: Duration::ZERO,
            prep: Duration::ZERO,
            short: false,
            take: 1,
        };
        part.react(&[at(4000, ended)], Duration::from_millis(4000));
        drop(part);
        let text = std::fs::read_to_string(log.path()).unwrap();
        let records: Vec<Record> = text.lines().map(|l| Record::parse(l).unwrap()).collect();
        let times: Vec<u64> = records.iter().map(|r| r.t_ms).collect();
        assert!(times.is_sorted(), "{times:?}");
        let cues: Vec<(u64, &Cue)> = records
            .iter()
            .filter_map(|r| match &r.body {
                Body::Cue(cue) => Some((r.t_ms, cue)),
                _ => None,
            })
            .collect();
        assert_eq!(
            cues.iter()
                .map(|(t, c)| (*t, c.name.as_str(), c.late_ms))
                .collect::<Vec<_>>(),
            [(0, "start", 2), (3000, "time_up", 15)]
        );
        // The same records were folded as they were written.
        let summary = summary.borrow();
        let q = &summary.questions[0];
        assert!(q.time_up_cue && q.result.is_some_and(|r| r.overtime_ms == 1000));
    }
}
