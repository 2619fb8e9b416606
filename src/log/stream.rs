//! `--json-events`: every engine event as one JSON line, for other programs to follow a
//! session as it happens. Events that have a log record are written as that record;
//! the others (moments only the screen shows) get a small object of their own.

use std::io::Write;
use std::time::Duration;

use serde_json::{Value, json};

use super::events::body;
use crate::plan::Plan;
use crate::session::{Event, EventKind, Part};

pub struct JsonEvents<'a, W: Write> {
    out: W,
    plan: &'a Plan,
    /// The reader went away: stop writing, the session goes on.
    closed: bool,
}

impl<'a, W: Write> JsonEvents<'a, W> {
    pub fn new(out: W, plan: &'a Plan) -> Self {
        JsonEvents {
            out,
            plan,
            closed: false,
        }
    }
}

impl<W: Write> Part for JsonEvents<'_, W> {
    fn react(&mut self, events: &[Event], _now: Duration) -> Vec<String> {
        if self.closed {
            return Vec::new();
        }
        for event in events {
            let question = self.plan.question(event.index);
            let line = to_json(
                event,
                body(event, question).and_then(|b| serde_json::to_value(b).ok()),
            );
            if writeln!(self.out, "{line}").is_err() {
                self.closed = true;
                return vec!["the reader of --json-events went away; the session goes on".into()];
            }
        }
        if self.out.flush().is_err() {
            self.closed = true;
        }
        Vec::new()
    }
}

/// The line for one event: its log record if it has one, else a short object.
fn to_json(event: &Event, record: Option<Value>) -> Value {
    let mut value = record.unwrap_or_else(|| {
        let (name, extra) = match &event.kind {
            EventKind::PrepStarted => ("prep_started", json!({})),
            EventKind::AnswerStarted => ("answer_started", json!({})),
            EventKind::Warning => ("warning", json!({})),
            EventKind::Tick { left } => ("tick", json!({ "left_s": left })),
            EventKind::GapStarted { next } => ("gap_started", json!({ "next": next })),
            EventKind::ReviewStarted => ("review_started", json!({})),
            EventKind::Rated { rating } => ("rated", json!({ "rating": rating })),
            EventKind::StarTold { star } => ("star_told", json!({ "star": star })),
            EventKind::TakeComplete { take } => ("take_complete", json!({ "take": take })),
            _ => ("other", json!({})),
        };
        let mut v = json!({ "event": name, "index": event.index });
        if let (Some(map), Value::Object(extra)) = (v.as_object_mut(), extra) {
            map.extend(extra);
        }
        v
    });
    if let Some(map) = value.as_object_mut() {
        map.insert("t_ms".into(), json!(event.at.as_millis() as u64));
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screen_only_moments_get_a_name_and_every_line_a_time() {
        let tick = Event {
            at: Duration::from_millis(115_000),
            index: 2,
            kind: EventKind::Tick { left: 5 },
        };
        assert_eq!(
            to_json(&tick, None),
            json!({"event": "tick", "index": 2, "left_s": 5, "t_ms": 115_000})
        );
        let ended = Event {
            at: Duration::from_millis(7),
            index: 1,
            kind: EventKind::TimeUp,
        };
        assert_eq!(
            to_json(&ended, Some(json!({"event": "time_up", "index": 1}))),
            json!({"event": "time_up", "index": 1, "t_ms": 7})
        );
    }
}
