//! The log schema, version [`SCHEMA`]: the one set of records that the engine's events
//! become, that the writer writes, the reader reads and every view folds. Readers ignore
//! event types and fields they do not know, so later versions may add both without
//! breaking older readers.
//!
//! A record is read from its line's small [`Header`] (the `event` tag, `t_ms`, `at`) and
//! then the one record type the tag names, from the same line (`parse.rs`). Reading
//! through serde's internally tagged enum instead would first copy every line into a
//! tree.

use std::borrow::Cow;

use serde::de::value::MapAccessDeserializer;
use serde::de::{IgnoredAny, MapAccess};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

pub use super::parse::parse_line;

use crate::answer::{Spoken, Transcript};
use crate::plan::{LimitSource, PlannedQuestion};
use crate::session::{Outcome, SessionOutcome};

pub const SCHEMA: u32 = 1;

/// One line of a session log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// Wall-clock time, RFC 3339 with the local offset and milliseconds.
    pub at: String,
    /// Monotonic milliseconds since the session started.
    pub t_ms: u64,
    #[serde(flatten)]
    pub body: Body,
}

/// What every line says before its record: which record it is, and when.
#[derive(Debug, Default, Deserialize)]
pub struct Header<'a> {
    #[serde(borrow)]
    pub event: Option<Cow<'a, str>>,
    pub t_ms: Option<u64>,
    #[serde(borrow)]
    pub at: Option<Cow<'a, str>>,
    /// Only in `session_started`: read before the rest, which a newer schema may change.
    pub schema: Option<serde_json::Value>,
}

/// Why a line is not a record.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// Not JSON, or a JSON value that is not an object.
    #[error("{0}")]
    Json(serde_json::Error),
    #[error("no event")]
    NoEvent,
    /// A known record that lacks a field or has one of the wrong type.
    #[error("{event} {problem}")]
    Record { event: String, problem: String },
}

impl ParseError {
    /// The line is JSON, but not a record of this program's.
    pub fn is_data(&self) -> bool {
        match self {
            ParseError::Json(e) => e.is_data(),
            ParseError::NoEvent | ParseError::Record { .. } => true,
        }
    }
}

impl Record {
    /// One line of a log, without its line end.
    pub fn parse(line: &str) -> Result<Record, ParseError> {
        let (header, body) = parse_line(line)?;
        Ok(Record {
            at: header.at.map(Cow::into_owned).unwrap_or_default(),
            t_ms: header.t_ms.unwrap_or(0),
            body,
        })
    }
}

/// The run's options as `session_started` records them: kept as written (readers do not
/// take them apart).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Settings(Box<RawValue>);

impl Settings {
    pub fn new(value: &serde_json::Value) -> Settings {
        Settings(serde_json::value::to_raw_value(value).expect("a JSON value always serializes"))
    }

    pub fn get(&self) -> &str {
        self.0.get()
    }
}

impl PartialEq for Settings {
    fn eq(&self, other: &Settings) -> bool {
        self.get() == other.get()
    }
}

/// One question of the plan as `session_started` records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanEntry {
    pub index: usize,
    pub id: String,
    pub category: String,
    pub text: String,
    pub limit_ms: u64,
    #[serde(default = "default_source")]
    pub limit_source: LimitSource,
    #[serde(default)]
    pub prep_ms: u64,
    #[serde(default = "default_source")]
    pub prep_source: LimitSource,
    pub warn_ms: u64,
    #[serde(default = "default_source")]
    pub warn_source: LimitSource,
    #[serde(default)]
    pub min_ms: Option<u64>,
}

impl From<&PlannedQuestion> for PlanEntry {
    fn from(q: &PlannedQuestion) -> PlanEntry {
        let ms = |d: std::time::Duration| d.as_millis() as u64;
        PlanEntry {
            index: q.index,
            id: q.id.clone(),
            category: q.category.clone(),
            text: q.text.clone(),
            limit_ms: ms(q.limit),
            limit_source: q.limit_source,
            prep_ms: ms(q.prep),
            prep_source: q.prep_source,
            warn_ms: ms(q.warn),
            warn_source: q.warn_source,
            min_ms: q.min.map(ms),
        }
    }
}

fn first_take() -> u32 {
    1
}

fn default_source() -> LimitSource {
    LimitSource::Default
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionStarted {
    pub schema: u32,
    #[serde(default)]
    pub app_version: String,
    /// The bank's title.
    pub bank: String,
    /// The bank's short name (file stem).
    pub bank_key: String,
    /// `built-in` or the bank file's path.
    #[serde(default)]
    pub bank_source: String,
    pub settings: Option<Settings>,
    pub seed: u64,
    pub plan: Vec<PlanEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionStarted {
    pub index: usize,
    #[serde(default)]
    pub id: String,
    pub limit_ms: u64,
}

/// A record about one question and nothing more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct At {
    pub index: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resumed {
    pub index: usize,
    #[serde(default)]
    pub paused_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeAdjusted {
    pub index: usize,
    pub delta_ms: i64,
    pub limit_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionEnded {
    pub index: usize,
    #[serde(default)]
    pub id: String,
    pub outcome: Outcome,
    pub answer_ms: u64,
    pub overtime_ms: u64,
    #[serde(default)]
    pub paused_ms: u64,
    #[serde(default)]
    pub prep_ms: u64,
    #[serde(default)]
    pub short: bool,
    /// Which take of the answer this was (1 unless it was taken again).
    #[serde(default = "first_take")]
    pub take: u32,
}

/// The answer starts again as take `take`; the take before stays in the log. A take cut
/// short while it ran lasted `cut_ms` (0 for one that had ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retake {
    pub index: usize,
    pub take: u32,
    #[serde(default)]
    pub cut_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionEnded {
    pub outcome: SessionOutcome,
    #[serde(default)]
    pub answered: usize,
    #[serde(default)]
    pub skipped: usize,
    #[serde(default)]
    pub time_up: usize,
    #[serde(default)]
    pub unfinished: usize,
    #[serde(default)]
    pub over_time: usize,
    pub total_ms: u64,
}

/// A sound cue was triggered (played, or shown on screen when there is no device). Its
/// `t_ms` is the moment it was due; `late_ms` says how much later the run loop set it off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cue {
    pub name: String,
    pub index: usize,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub late_ms: u64,
}

/// The candidate's own review of an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reviewed {
    pub index: usize,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub rating: Option<u8>,
    #[serde(default)]
    pub note: Option<String>,
    /// For behavioral questions: the STAR parts they said they covered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub star: Option<crate::coach::Star>,
}

/// The interviewer's voice read the question aloud (`--speak`); this time is not answer
/// time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionSpoken {
    pub index: usize,
    pub speech_ms: u64,
    /// Enter cut the reading short.
    #[serde(default)]
    pub cut: bool,
}

/// The person chose which take of an answer counts (the last one does otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakeKept {
    pub index: usize,
    pub take: u32,
}

/// Declares the records once: the enum that is written, and the reader that turns a tag
/// into its record type.
macro_rules! records {
    ($( $(#[$doc:meta])* $tag:literal => $variant:ident($record:ty), )*) => {
        /// A record without its `at` and `t_ms`.
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "event")]
        pub enum Body {
            $( $(#[$doc])* #[serde(rename = $tag)] $variant($record), )*
            /// An event this version does not know (written by a newer one); never
            /// written.
            #[serde(skip_serializing)]
            Unknown,
        }

        impl Body {
            /// The record of event `tag`, read from its whole line (whose header fields
            /// it passes over).
            pub(super) fn parse(tag: &str, line: &str) -> serde_json::Result<Body> {
                Ok(match tag {
                    $( $tag => Body::$variant(serde_json::from_str(line)?), )*
                    _ => Body::Unknown,
                })
            }

            /// The record of event `tag`, read from the rest of a line's map.
            pub(super) fn from_rest<'de, A: MapAccess<'de>>(
                tag: &str,
                mut rest: A,
            ) -> Result<Body, A::Error> {
                Ok(match tag {
                    $( $tag => Body::$variant(<$record>::deserialize(
                        MapAccessDeserializer::new(rest),
                    )?), )*
                    _ => {
                        while rest.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                        Body::Unknown
                    }
                })
            }
        }
    };
}

// The three large records are boxed: every line's record is moved a few times on its
// way into the fold, and a `Body` is as large as its largest record.
records! {
    "session_started" => SessionStarted(Box<SessionStarted>),
    "question_started" => QuestionStarted(QuestionStarted),
    "question_spoken" => QuestionSpoken(QuestionSpoken),
    /// The answer's clock started (logged for questions with thinking time, and with
    /// `--speak`).
    "answer_started" => AnswerStarted(At),
    "paused" => Paused(At),
    "resumed" => Resumed(Resumed),
    "time_adjusted" => TimeAdjusted(TimeAdjusted),
    "time_up" => TimeUp(At),
    "cue" => Cue(Cue),
    "retake" => Retake(Retake),
    "question_ended" => QuestionEnded(QuestionEnded),
    "reviewed" => Reviewed(Reviewed),
    /// One take of an answer was recorded (`--record`) and measured.
    "answer_recorded" => AnswerRecorded(Box<Spoken>),
    /// What was said in one take (`--transcribe`), and what it says about the answer.
    "answer_transcribed" => AnswerTranscribed(Box<Transcript>),
    "take_kept" => TakeKept(TakeKept),
    "session_ended" => SessionEnded(SessionEnded),
}

impl Body {
    /// The question a record is about, if it is about one.
    pub fn index(&self) -> Option<usize> {
        Some(match self {
            Body::QuestionStarted(r) => r.index,
            Body::QuestionSpoken(r) => r.index,
            Body::AnswerStarted(r) | Body::Paused(r) | Body::TimeUp(r) => r.index,
            Body::Resumed(r) => r.index,
            Body::TimeAdjusted(r) => r.index,
            Body::Cue(r) => r.index,
            Body::Retake(r) => r.index,
            Body::QuestionEnded(r) => r.index,
            Body::Reviewed(r) => r.index,
            Body::AnswerRecorded(r) => r.index,
            Body::AnswerTranscribed(r) => r.index,
            Body::TakeKept(r) => r.index,
            Body::SessionStarted(_) | Body::SessionEnded(_) | Body::Unknown => return None,
        })
    }
}

impl From<crate::answer::Analysis> for Body {
    fn from(analysis: crate::answer::Analysis) -> Body {
        match analysis {
            crate::answer::Analysis::Spoken(s) => Body::AnswerRecorded(Box::new(s)),
            crate::answer::Analysis::Transcript(t) => Body::AnswerTranscribed(t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Record {
        Record::parse(line).unwrap()
    }

    #[test]
    fn records_are_flat_json_with_event_at_and_t_ms() {
        let record = Record {
            at: "2026-11-25T14:03:07.123+01:00".into(),
            t_ms: 1500,
            body: Body::TimeUp(At { index: 2 }),
        };
        let line = serde_json::to_string(&record).unwrap();
        assert_eq!(
            line,
            r#"{"at":"2026-11-25T14:03:07.123+01:00","t_ms":1500,"event":"time_up","index":2}"#
        );
        assert_eq!(parse(&line), record);
    }

    #[test]
    fn unknown_events_and_fields_are_tolerated() {
        let line = r#"{"at":"x","t_ms":5,"event":"heart_rate","bpm":92}"#;
        assert_eq!(parse(line).body, Body::Unknown);
        let line = r#"{"at":"x","t_ms":5,"event":"time_up","index":1,"mood":"calm"}"#;
        assert_eq!(parse(line).body, Body::TimeUp(At { index: 1 }));
        // The header may come anywhere in the line.
        let line = r#"{"index":1,"event":"time_up","t_ms":5,"at":"x"}"#;
        assert_eq!(
            (parse(line).t_ms, parse(line).body),
            (5, Body::TimeUp(At { index: 1 }))
        );
    }

    #[test]
    fn known_records_missing_fields_say_which() {
        let err = Record::parse(r#"{"event":"question_ended","index":1,"outcome":"answered"}"#)
            .unwrap_err();
        assert_eq!(err.to_string(), "question_ended without answer_ms");
        let err = Record::parse(r#"{"event":"time_up","index":"one"}"#).unwrap_err();
        assert!(
            err.to_string().starts_with("time_up has invalid type"),
            "{err}"
        );
        assert!(matches!(
            Record::parse(r#"{"t_ms":1}"#),
            Err(ParseError::NoEvent)
        ));
        assert!(!Record::parse("not json").unwrap_err().is_data());
    }

    #[test]
    fn every_record_reads_back_as_written() {
        let ended = Body::QuestionEnded(QuestionEnded {
            index: 2,
            id: "x".into(),
            outcome: Outcome::TimeUp,
            answer_ms: 95_000,
            overtime_ms: 1,
            paused_ms: 2,
            prep_ms: 3,
            short: true,
            take: 2,
        });
        let bodies = [
            Body::SessionStarted(Box::new(SessionStarted {
                schema: SCHEMA,
                app_version: "0.1.0".into(),
                bank: "Healthcare Records Manager".into(),
                bank_key: "healthcare-records-manager".into(),
                bank_source: "built-in".into(),
                settings: Some(Settings::new(
                    &serde_json::json!({"event": "paused", "index": 9}),
                )),
                seed: 7,
                plan: Vec::new(),
            })),
            Body::QuestionStarted(QuestionStarted {
                index: 2,
                id: "x".into(),
                limit_ms: 90_000,
            }),
            Body::QuestionSpoken(QuestionSpoken {
                index: 2,
                speech_ms: 4000,
                cut: true,
            }),
            Body::AnswerStarted(At { index: 2 }),
            Body::Paused(At { index: 2 }),
            Body::Resumed(Resumed {
                index: 2,
                paused_ms: 5,
            }),
            Body::TimeAdjusted(TimeAdjusted {
                index: 2,
                delta_ms: -30_000,
                limit_ms: 60_000,
            }),
            Body::Cue(Cue {
                name: "start".into(),
                index: 2,
                late_ms: 3,
            }),
            Body::Retake(Retake {
                index: 2,
                take: 2,
                cut_ms: 4000,
            }),
            ended,
            Body::Reviewed(Reviewed {
                index: 2,
                id: "x".into(),
                rating: Some(4),
                note: Some("say \"why\"".into()),
                star: None,
            }),
            Body::AnswerRecorded(Box::new(Spoken {
                index: 2,
                take: 3,
                level_db: Some(-20.5),
                ..Spoken::default()
            })),
            Body::TakeKept(TakeKept { index: 2, take: 1 }),
            Body::SessionEnded(SessionEnded {
                outcome: SessionOutcome::Aborted,
                answered: 1,
                skipped: 0,
                time_up: 0,
                unfinished: 1,
                over_time: 0,
                total_ms: 99,
            }),
        ];
        for body in bodies {
            let record = Record {
                at: "2026-11-25T14:03:07.123+01:00".into(),
                t_ms: 1500,
                body,
            };
            let line = serde_json::to_string(&record).unwrap();
            assert_eq!(parse(&line), record, "{line}");
        }
    }
}
