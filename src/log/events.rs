//! The log writer as a part of the session: each engine event becomes its record, the
//! records of one moment are synced together before anything is shown or heard, and a log
//! that cannot be written is retried without stopping the session.

use std::time::Duration;

use super::{Body, LogWriter};
use crate::audio::cue_for;
use crate::plan::{Plan, PlannedQuestion};
use crate::session::{Event, EventKind, Part};

/// How often a log that could not be written is tried again.
const RETRY: Duration = Duration::from_secs(1);

pub struct LogPart<'a> {
    log: &'a mut LogWriter,
    plan: &'a Plan,
    /// Cues sound (or would, but for a missing device): log them too.
    cues: bool,
    /// Questions are read aloud: every answer's start is logged, after its reading.
    speak: bool,
    trouble: bool,
}

impl<'a> LogPart<'a> {
    pub fn new(log: &'a mut LogWriter, plan: &'a Plan, cues: bool) -> Self {
        LogPart {
            log,
            plan,
            cues,
            speak: false,
            trouble: false,
        }
    }

    /// With `--speak` the answer does not begin with its question: say when it does.
    pub fn speaking(mut self, speak: bool) -> Self {
        self.speak = speak;
        self
    }

    /// Writes and syncs what is queued; says so once when writing fails, and once when it
    /// works again.
    fn commit(&mut self) -> Option<String> {
        match self.log.flush_pending() {
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
            // A cue is logged when it is triggered, before its event, so `session_ended`
            // stays the last record; its time is the real moment, to show how punctual
            // cues are. The event itself keeps the moment it fell due.
            if self.cues
                && let Some(cue) = cue_for(event)
            {
                let body = Body::Cue {
                    name: cue.name().to_string(),
                    index: event.index,
                };
                self.log.stage(now, body);
            }
            let body = match event.kind {
                EventKind::AnswerStarted if self.speak => {
                    Some(Body::AnswerStarted { index: event.index })
                }
                _ => body(event, question),
            };
            if let Some(body) = body {
                self.log.stage(event.at, body);
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
}

fn millis(d: Duration) -> u64 {
    d.as_millis() as u64
}

/// The log record for an event; events that only matter on screen have none.
pub fn body(event: &Event, q: &PlannedQuestion) -> Option<Body> {
    let index = event.index;
    Some(match &event.kind {
        EventKind::QuestionStarted => Body::QuestionStarted {
            index,
            id: q.id.clone(),
            limit_ms: millis(q.limit),
        },
        EventKind::Spoken { speech, cut } => Body::QuestionSpoken {
            index,
            speech_ms: millis(*speech),
            cut: *cut,
        },
        EventKind::AnswerStarted if !q.prep.is_zero() => Body::AnswerStarted { index },
        EventKind::Paused => Body::Paused { index },
        EventKind::Resumed { paused } => Body::Resumed {
            index,
            paused_ms: millis(*paused),
        },
        EventKind::TimeAdjusted { delta_ms, limit } => Body::TimeAdjusted {
            index,
            delta_ms: *delta_ms,
            limit_ms: millis(*limit),
        },
        EventKind::TimeUp => Body::TimeUp { index },
        EventKind::AnswerRecorded(r) => Body::AnswerRecorded {
            index,
            id: q.id.clone(),
            take: r.take,
            file: r.file.clone(),
            duration_ms: millis(r.duration),
            dropped_ms: millis(r.dropped),
            first_word_ms: r.first_word.map(millis),
            speech_ms: millis(r.speech),
            longest_pause_ms: millis(r.longest_pause),
            long_pauses: r.long_pauses,
            pause_threshold_ms: millis(r.pause_threshold),
            level_db: r.level_decibels.map(|tenths| f64::from(tenths) / 10.0),
        },
        EventKind::QuestionEnded {
            outcome,
            answer,
            overtime,
            paused,
            prep,
            short,
            take,
        } => Body::QuestionEnded {
            index,
            id: q.id.clone(),
            outcome: *outcome,
            answer_ms: millis(*answer),
            overtime_ms: millis(*overtime),
            paused_ms: millis(*paused),
            prep_ms: millis(*prep),
            short: *short,
            take: *take,
        },
        EventKind::Retake { take, answer } => Body::Retake {
            index,
            take: *take,
            cut_ms: millis(*answer),
        },
        EventKind::Reviewed { review } => Body::Reviewed {
            index,
            id: q.id.clone(),
            rating: review.rating,
            note: review.note.clone(),
            star: review.star,
        },
        EventKind::SessionEnded {
            outcome,
            answered,
            skipped,
            timed_out,
            unfinished,
            over_time,
        } => Body::SessionEnded {
            outcome: *outcome,
            answered: *answered,
            skipped: *skipped,
            time_up: *timed_out,
            unfinished: *unfinished,
            over_time: *over_time,
            total_ms: millis(event.at),
        },
        _ => return None,
    })
}
