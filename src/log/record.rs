//! The log schema, version [`SCHEMA`]. Readers ignore event types and fields they do not
//! know, so later versions may add both without breaking older readers.

use serde::{Deserialize, Serialize};

use crate::plan::{LimitSource, PlannedQuestion};
use crate::session::{Outcome, SessionOutcome};

pub const SCHEMA: u32 = 1;

/// One line of a session log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Wall-clock time, RFC 3339 with the local offset and milliseconds.
    pub at: String,
    /// Monotonic milliseconds since the session started.
    pub t_ms: u64,
    #[serde(flatten)]
    pub body: Body,
}

/// One question of the plan as `session_started` records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanEntry {
    pub index: usize,
    pub id: String,
    pub category: String,
    pub text: String,
    pub limit_ms: u64,
    pub limit_source: LimitSource,
    pub prep_ms: u64,
    #[serde(default = "default_source")]
    pub prep_source: LimitSource,
    pub warn_ms: u64,
    #[serde(default = "default_source")]
    pub warn_source: LimitSource,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Body {
    SessionStarted {
        schema: u32,
        app_version: String,
        /// The bank's title.
        bank: String,
        /// The bank's short name (file stem).
        bank_key: String,
        /// `built-in` or the bank file's path.
        bank_source: String,
        settings: serde_json::Value,
        seed: u64,
        plan: Vec<PlanEntry>,
    },
    QuestionStarted {
        index: usize,
        id: String,
        limit_ms: u64,
    },
    AnswerStarted {
        index: usize,
    },
    Paused {
        index: usize,
    },
    Resumed {
        index: usize,
        paused_ms: u64,
    },
    TimeAdjusted {
        index: usize,
        delta_ms: i64,
        limit_ms: u64,
    },
    TimeUp {
        index: usize,
    },
    QuestionEnded {
        index: usize,
        id: String,
        outcome: Outcome,
        answer_ms: u64,
        overtime_ms: u64,
        paused_ms: u64,
        prep_ms: u64,
        short: bool,
        /// Which take of the answer this was (1 unless it was taken again).
        #[serde(default = "first_take")]
        take: u32,
    },
    /// The answer starts again as take `take`; the take before stays in the log. A take
    /// cut short while it ran lasted `cut_ms` (0 for one that had ended).
    Retake {
        index: usize,
        take: u32,
        cut_ms: u64,
    },
    SessionEnded {
        outcome: SessionOutcome,
        answered: usize,
        skipped: usize,
        time_up: usize,
        unfinished: usize,
        over_time: usize,
        total_ms: u64,
    },
    /// A sound cue was triggered (played, or shown on screen when there is no device).
    Cue {
        name: String,
        index: usize,
    },
    /// The candidate's own review of an answer.
    Reviewed {
        index: usize,
        id: String,
        rating: Option<u8>,
        note: Option<String>,
        /// For behavioral questions: the STAR parts they said they covered.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        star: Option<crate::coach::Star>,
    },
    /// The interviewer's voice read the question aloud (`--speak`); this time is not
    /// answer time.
    QuestionSpoken {
        index: usize,
        speech_ms: u64,
        /// Enter cut the reading short.
        #[serde(default)]
        cut: bool,
    },
    /// One take of an answer was recorded (`--record`) and measured.
    AnswerRecorded {
        index: usize,
        id: String,
        /// 1 for the first take; a retake counts up.
        take: u32,
        /// The recording, relative to the log's folder; none when nothing is kept on disk.
        file: Option<String>,
        duration_ms: u64,
        /// Microphone samples lost because the reader fell behind.
        dropped_ms: u64,
        /// From the start of the answer to the first speech; none if nothing was said.
        first_word_ms: Option<u64>,
        speech_ms: u64,
        longest_pause_ms: u64,
        /// Pauses of at least the pause threshold between the first and the last word.
        long_pauses: u32,
        pause_threshold_ms: u64,
        /// How loud the speech was, in dBFS; none if nothing was said.
        level_db: Option<f64>,
    },
    /// The person chose which take of an answer counts (the last one does otherwise).
    TakeKept {
        index: usize,
        take: u32,
    },
    /// An event this version does not know (written by a newer one).
    #[serde(other)]
    Unknown,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_flat_json_with_event_at_and_t_ms() {
        let record = Record {
            at: "2026-11-25T14:03:07.123+01:00".into(),
            t_ms: 1500,
            body: Body::TimeUp { index: 2 },
        };
        let line = serde_json::to_string(&record).unwrap();
        assert_eq!(
            line,
            r#"{"at":"2026-11-25T14:03:07.123+01:00","t_ms":1500,"event":"time_up","index":2}"#
        );
        assert_eq!(serde_json::from_str::<Record>(&line).unwrap(), record);
    }

    #[test]
    fn unknown_events_and_fields_are_tolerated() {
        let line = r#"{"at":"x","t_ms":5,"event":"heart_rate","bpm":92}"#;
        assert_eq!(
            serde_json::from_str::<Record>(line).unwrap().body,
            Body::Unknown
        );
        let line = r#"{"at":"x","t_ms":5,"event":"time_up","index":1,"mood":"calm"}"#;
        assert_eq!(
            serde_json::from_str::<Record>(line).unwrap().body,
            Body::TimeUp { index: 1 }
        );
    }

    #[test]
    fn a_recorded_answer_is_one_flat_line() {
        let line = r#"{"at":"x","t_ms":9000,"event":"answer_recorded","index":1,"id":"breach","take":2,"file":"s/01-breach-take2.flac","duration_ms":8000,"dropped_ms":0,"first_word_ms":1500,"speech_ms":5200,"longest_pause_ms":4000,"long_pauses":1,"pause_threshold_ms":3000,"level_db":-21.5}"#;
        let record: Record = serde_json::from_str(line).unwrap();
        let Body::AnswerRecorded {
            take,
            first_word_ms,
            level_db,
            ..
        } = &record.body
        else {
            panic!("{record:?}");
        };
        assert_eq!(
            (*take, *first_word_ms, *level_db),
            (2, Some(1500), Some(-21.5))
        );
        assert_eq!(serde_json::to_string(&record).unwrap(), line);
    }
}
