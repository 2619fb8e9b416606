//! One log line as review reads it: only the fields review uses, borrowed from the line's
//! bytes, in one pass. The schema itself is `log::Record`; reading it through its
//! internally tagged, flattened enum buffers every line into a tree first, which made
//! `review` over years of logs several times slower. A test checks that both read what
//! the writer writes the same way.

use std::borrow::Cow;

use serde::Deserialize;

use super::{QuestionResult, Take};
use crate::coach::SelfReview;
use crate::session::{Outcome, SessionOutcome};

/// Any record, known or not: every field review reads, each optional. Unknown fields are
/// skipped by the parser without being kept.
#[derive(Debug, Deserialize)]
pub(super) struct Line<'a> {
    #[serde(borrow)]
    at: Option<Cow<'a, str>>,
    pub t_ms: Option<u64>,
    #[serde(borrow)]
    pub event: Option<Cow<'a, str>>,
    pub schema: Option<serde_json::Value>,
    #[serde(borrow)]
    bank: Option<Cow<'a, str>>,
    #[serde(borrow)]
    bank_key: Option<Cow<'a, str>>,
    seed: Option<u64>,
    #[serde(borrow)]
    plan: Option<Vec<PlanLine<'a>>>,
    index: Option<usize>,
    limit_ms: Option<u64>,
    delta_ms: Option<i64>,
    #[serde(borrow)]
    outcome: Option<Cow<'a, str>>,
    answer_ms: Option<u64>,
    overtime_ms: Option<u64>,
    paused_ms: Option<u64>,
    prep_ms: Option<u64>,
    short: Option<bool>,
    total_ms: Option<u64>,
    rating: Option<u8>,
    #[serde(borrow)]
    note: Option<Cow<'a, str>>,
    star: Option<crate::coach::Star>,
    take: Option<u32>,
    #[serde(borrow)]
    file: Option<Cow<'a, str>>,
    duration_ms: Option<u64>,
    dropped_ms: Option<u64>,
    first_word_ms: Option<u64>,
    speech_ms: Option<u64>,
    longest_pause_ms: Option<u64>,
    long_pauses: Option<u32>,
    pause_threshold_ms: Option<u64>,
    level_db: Option<f64>,
}

/// A question of the plan in `session_started`.
#[derive(Debug, Deserialize)]
pub(super) struct PlanLine<'a> {
    pub index: usize,
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(borrow)]
    pub category: Cow<'a, str>,
    #[serde(borrow)]
    pub text: Cow<'a, str>,
    pub limit_ms: u64,
    pub warn_ms: u64,
}

pub(super) struct Started<'a> {
    pub at: Cow<'a, str>,
    pub bank: Cow<'a, str>,
    pub bank_key: Cow<'a, str>,
    pub seed: u64,
    pub plan: Vec<PlanLine<'a>>,
}

/// What a record means to review.
pub(super) enum Event<'a> {
    Started(Started<'a>),
    QuestionStarted {
        index: usize,
        limit_ms: u64,
    },
    Paused {
        index: usize,
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
        result: QuestionResult,
    },
    SessionEnded {
        outcome: SessionOutcome,
        total_ms: u64,
    },
    Reviewed {
        index: usize,
        review: SelfReview,
    },
    Recorded {
        index: usize,
        take: Take,
    },
    TakeKept {
        index: usize,
        take: u32,
    },
    /// Events review has no use for (`answer_started`, `resumed`) and events of newer
    /// versions.
    Other,
}

impl<'a> Line<'a> {
    /// The event, or what a known event lacks.
    pub fn into_event(self) -> Result<Event<'a>, String> {
        let Some(event) = self.event else {
            return Err("no event".to_string());
        };
        let need = |field: &str| format!("{event} without {field}");
        let index = || self.index.ok_or_else(|| need("index"));
        Ok(match &*event {
            "session_started" => Event::Started(Started {
                at: self.at.ok_or_else(|| need("at"))?,
                bank: self.bank.ok_or_else(|| need("bank"))?,
                bank_key: self.bank_key.ok_or_else(|| need("bank_key"))?,
                seed: self.seed.ok_or_else(|| need("seed"))?,
                plan: self.plan.ok_or_else(|| need("plan"))?,
            }),
            "question_started" => Event::QuestionStarted {
                index: index()?,
                limit_ms: self.limit_ms.ok_or_else(|| need("limit_ms"))?,
            },
            "paused" => Event::Paused { index: index()? },
            "time_adjusted" => Event::TimeAdjusted {
                index: index()?,
                delta_ms: self.delta_ms.ok_or_else(|| need("delta_ms"))?,
                limit_ms: self.limit_ms.ok_or_else(|| need("limit_ms"))?,
            },
            "time_up" => Event::TimeUp { index: index()? },
            "question_ended" => {
                let outcome = match self.outcome.as_deref() {
                    Some("answered") => Outcome::Answered,
                    Some("skipped") => Outcome::Skipped,
                    Some("time_up") => Outcome::TimeUp,
                    Some("unfinished") => Outcome::Unfinished,
                    Some(other) => return Err(format!("{event} with outcome {other:?}")),
                    None => return Err(need("outcome")),
                };
                Event::QuestionEnded {
                    index: index()?,
                    result: QuestionResult {
                        outcome,
                        answer_ms: self.answer_ms.ok_or_else(|| need("answer_ms"))?,
                        overtime_ms: self.overtime_ms.ok_or_else(|| need("overtime_ms"))?,
                        paused_ms: self.paused_ms.unwrap_or(0),
                        prep_ms: self.prep_ms.unwrap_or(0),
                        short: self.short.unwrap_or(false),
                    },
                }
            }
            "session_ended" => Event::SessionEnded {
                outcome: match self.outcome.as_deref() {
                    Some("completed") => SessionOutcome::Completed,
                    Some("aborted") => SessionOutcome::Aborted,
                    Some(other) => return Err(format!("{event} with outcome {other:?}")),
                    None => return Err(need("outcome")),
                },
                total_ms: self.total_ms.ok_or_else(|| need("total_ms"))?,
            },
            "reviewed" => Event::Reviewed {
                index: index()?,
                review: SelfReview {
                    rating: self.rating.filter(|r| (1..=5).contains(r)),
                    star: self.star,
                    note: self.note.map(|n| n.into_owned()),
                },
            },
            "answer_recorded" => Event::Recorded {
                index: index()?,
                take: Take {
                    take: self.take.ok_or_else(|| need("take"))?,
                    file: self.file.map(Cow::into_owned),
                    duration_ms: self.duration_ms.ok_or_else(|| need("duration_ms"))?,
                    dropped_ms: self.dropped_ms.unwrap_or(0),
                    first_word_ms: self.first_word_ms,
                    speech_ms: self.speech_ms.ok_or_else(|| need("speech_ms"))?,
                    longest_pause_ms: self.longest_pause_ms.unwrap_or(0),
                    long_pauses: self.long_pauses.unwrap_or(0),
                    pause_threshold_ms: self.pause_threshold_ms.unwrap_or(0),
                    level_db: self.level_db.filter(|db| db.is_finite()),
                },
            },
            "take_kept" => Event::TakeKept {
                index: index()?,
                take: self.take.ok_or_else(|| need("take"))?,
            },
            _ => Event::Other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{Body, PlanEntry, Record};
    use crate::plan::LimitSource;
    use serde_json::json;

    fn parse(body: Body) -> Event<'static> {
        let record = Record {
            at: "2026-11-25T14:03:07.123+01:00".into(),
            t_ms: 1500,
            body,
        };
        let text: &'static str =
            Box::leak(serde_json::to_string(&record).unwrap().into_boxed_str());
        let line: Line = serde_json::from_str(text).unwrap();
        assert_eq!(line.t_ms, Some(1500));
        line.into_event().unwrap()
    }

    /// Every record the writer writes means the same here as in `log::Record`.
    #[test]
    fn reads_what_the_writer_writes() {
        let plan = vec![PlanEntry {
            index: 1,
            id: "legal-hold".into(),
            category: "Retention".into(),
            text: "What is a \"legal hold\"?".into(),
            limit_ms: 120_000,
            limit_source: LimitSource::Bank,
            prep_ms: 0,
            prep_source: LimitSource::Default,
            warn_ms: 30_000,
            warn_source: LimitSource::Default,
            min_ms: Some(30_000),
        }];
        let Event::Started(s) = parse(Body::SessionStarted {
            schema: 1,
            app_version: "0.1.0".into(),
            bank: "Healthcare Records Manager".into(),
            bank_key: "healthcare-records-manager".into(),
            bank_source: "built-in".into(),
            settings: json!({"event": "paused", "index": 9}),
            seed: 7,
            plan,
        }) else {
            panic!("session_started")
        };
        assert_eq!(
            (&*s.at, &*s.bank_key, s.seed),
            (
                "2026-11-25T14:03:07.123+01:00",
                "healthcare-records-manager",
                7
            )
        );
        let p = &s.plan[0];
        assert_eq!(
            (
                p.index,
                &*p.id,
                &*p.category,
                &*p.text,
                p.limit_ms,
                p.warn_ms
            ),
            (
                1,
                "legal-hold",
                "Retention",
                "What is a \"legal hold\"?",
                120_000,
                30_000
            )
        );

        assert!(matches!(
            parse(Body::QuestionStarted {
                index: 2,
                id: "x".into(),
                limit_ms: 90_000
            }),
            Event::QuestionStarted {
                index: 2,
                limit_ms: 90_000
            }
        ));
        assert!(matches!(
            parse(Body::AnswerStarted { index: 2 }),
            Event::Other
        ));
        assert!(matches!(
            parse(Body::Paused { index: 2 }),
            Event::Paused { index: 2 }
        ));
        assert!(matches!(
            parse(Body::Resumed {
                index: 2,
                paused_ms: 5
            }),
            Event::Other
        ));
        assert!(matches!(
            parse(Body::TimeAdjusted {
                index: 2,
                delta_ms: -30_000,
                limit_ms: 60_000
            }),
            Event::TimeAdjusted {
                index: 2,
                delta_ms: -30_000,
                limit_ms: 60_000
            }
        ));
        assert!(matches!(
            parse(Body::TimeUp { index: 2 }),
            Event::TimeUp { index: 2 }
        ));
        for outcome in [
            Outcome::Answered,
            Outcome::Skipped,
            Outcome::TimeUp,
            Outcome::Unfinished,
        ] {
            let Event::QuestionEnded { index, result } = parse(Body::QuestionEnded {
                index: 2,
                id: "x".into(),
                outcome,
                answer_ms: 95_000,
                overtime_ms: 1,
                paused_ms: 2,
                prep_ms: 3,
                short: true,
                take: 1,
            }) else {
                panic!("question_ended")
            };
            assert_eq!(
                (index, result),
                (
                    2,
                    QuestionResult {
                        outcome,
                        answer_ms: 95_000,
                        overtime_ms: 1,
                        paused_ms: 2,
                        prep_ms: 3,
                        short: true
                    }
                )
            );
        }
        let Event::Recorded { index, take } = parse(Body::AnswerRecorded {
            index: 2,
            id: "x".into(),
            take: 3,
            file: Some("s/02-x-take3.flac".into()),
            duration_ms: 8000,
            dropped_ms: 20,
            first_word_ms: None,
            speech_ms: 0,
            longest_pause_ms: 8000,
            long_pauses: 0,
            pause_threshold_ms: 3000,
            level_db: None,
        }) else {
            panic!("answer_recorded")
        };
        assert_eq!(
            (index, take),
            (
                2,
                Take {
                    take: 3,
                    file: Some("s/02-x-take3.flac".into()),
                    duration_ms: 8000,
                    dropped_ms: 20,
                    first_word_ms: None,
                    speech_ms: 0,
                    longest_pause_ms: 8000,
                    long_pauses: 0,
                    pause_threshold_ms: 3000,
                    level_db: None,
                }
            )
        );
        assert!(matches!(
            parse(Body::TakeKept { index: 2, take: 1 }),
            Event::TakeKept { index: 2, take: 1 }
        ));
        for outcome in [SessionOutcome::Completed, SessionOutcome::Aborted] {
            let ended = parse(Body::SessionEnded {
                outcome,
                answered: 1,
                skipped: 0,
                time_up: 0,
                unfinished: 0,
                over_time: 0,
                total_ms: 99,
            });
            assert!(
                matches!(ended, Event::SessionEnded { outcome: o, total_ms: 99 } if o == outcome)
            );
        }
    }

    #[test]
    fn known_events_missing_fields_say_which() {
        let line: Line =
            serde_json::from_str(r#"{"event":"question_ended","index":1,"outcome":"answered"}"#)
                .unwrap();
        assert_eq!(
            line.into_event().err().unwrap(),
            "question_ended without answer_ms"
        );
        let line: Line =
            serde_json::from_str(r#"{"event":"heart_rate","index":1,"bpm":92}"#).unwrap();
        assert!(matches!(line.into_event(), Ok(Event::Other)));
    }
}
