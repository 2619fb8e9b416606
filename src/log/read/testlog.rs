//! Realistic session logs for the unit tests of review, written with the log's own record
//! types so they follow the schema exactly.

use chrono::{DateTime, Duration as ChronoDuration, FixedOffset, SecondsFormat};
use serde_json::json;

use crate::answer::Spoken;
use crate::log::{
    At, Body, PlanEntry, QuestionEnded, QuestionStarted, Record, Resumed, Reviewed, SCHEMA,
    SessionEnded, SessionStarted, Settings, TakeKept, TimeAdjusted,
};
use crate::plan::LimitSource;
use crate::session::{Outcome, SessionOutcome};

/// One question of a made-up session and how it went.
#[derive(Debug, Clone)]
pub struct Q {
    pub id: &'static str,
    pub category: &'static str,
    pub limit_s: u64,
    /// `None`: the session never got to it.
    pub outcome: Option<Outcome>,
    pub answer_ms: u64,
    pub prep_ms: u64,
    pub pauses: u32,
    /// `+`/`-` during the answer.
    pub adjust_ms: i64,
    /// The candidate's rating and note after the answer (a `reviewed` record).
    pub rating: Option<u8>,
    pub note: Option<&'static str>,
    /// Recorded takes (`answer_recorded` records), written after the answer ends.
    pub takes: Vec<Spoken>,
    /// A `take_kept` record at the end of the session.
    pub kept: Option<u32>,
}

/// How one take was spoken: its length, first word, speech, longest pause (in
/// milliseconds but for the seconds given as such) and long pauses.
pub fn spoken(
    duration_s: u64,
    first_word_ms: Option<u64>,
    speech_s: u64,
    longest_ms: u64,
    long_pauses: u32,
) -> Spoken {
    Spoken::sample(
        duration_s * 1000,
        first_word_ms,
        speech_s * 1000,
        longest_ms,
        long_pauses,
    )
}

pub fn q(
    id: &'static str,
    category: &'static str,
    limit_s: u64,
    outcome: Outcome,
    answer_s: u64,
) -> Q {
    Q {
        id,
        category,
        limit_s,
        outcome: Some(outcome),
        answer_ms: answer_s * 1000,
        prep_ms: 0,
        pauses: 0,
        adjust_ms: 0,
        rating: None,
        note: None,
        takes: Vec::new(),
        kept: None,
    }
}

impl Q {
    /// The same question, reviewed afterwards with a rating and perhaps a note.
    pub fn rated(mut self, rating: u8, note: Option<&'static str>) -> Q {
        self.rating = Some(rating);
        self.note = note;
        self
    }

    /// The same question with recorded takes (the first is take 1).
    pub fn recorded(mut self, takes: &[Spoken]) -> Q {
        self.takes = takes.to_vec();
        self
    }

    /// The same question with take `n` chosen to count.
    pub fn keep(mut self, n: u32) -> Q {
        self.kept = Some(n);
        self
    }
}

/// The folder of a session's recordings is the log's name without `.jsonl`; this is the
/// file of one take inside it, relative to the log's folder.
pub fn take_file(
    start: DateTime<FixedOffset>,
    bank_key: &str,
    index: usize,
    id: &str,
    take: u32,
) -> String {
    let stamp = start.format("%Y-%m-%d_%H-%M-%S");
    let suffix = if take == 1 {
        String::new()
    } else {
        format!("-take{take}")
    };
    format!("{stamp}_{bank_key}/{index:02}-{id}{suffix}.flac")
}

pub fn text_of(id: &str) -> String {
    format!("Tell us about {}?", id.replace('-', " "))
}

/// The lines of a session that started at `start` (RFC 3339) and went as `questions` say.
/// `ending: None` leaves `session_ended` out, as a crash would.
pub fn session(
    start: &str,
    bank_key: &str,
    questions: &[Q],
    ending: Option<SessionOutcome>,
) -> String {
    let start = DateTime::parse_from_rfc3339(start).expect("a valid start");
    let mut out = String::new();
    let mut t = 0u64;
    let plan = questions
        .iter()
        .enumerate()
        .map(|(i, q)| PlanEntry {
            index: i + 1,
            id: q.id.to_string(),
            category: q.category.to_string(),
            text: text_of(q.id),
            limit_ms: q.limit_s * 1000,
            limit_source: LimitSource::Bank,
            prep_ms: q.prep_ms,
            prep_source: LimitSource::Bank,
            warn_ms: 30_000.min(q.limit_s * 250),
            warn_source: LimitSource::Default,
            min_ms: None,
        })
        .collect();
    push(
        &mut out,
        start,
        t,
        Body::SessionStarted(Box::new(SessionStarted {
            schema: SCHEMA,
            app_version: "0.1.0".into(),
            bank: if bank_key == "behavioral" {
                "Behavioral".into()
            } else {
                "Healthcare Records Manager".into()
            },
            bank_key: bank_key.into(),
            bank_source: "built-in".into(),
            settings: Some(Settings::new(
                &json!({"count": questions.len(), "all": false, "time_ms": null, "auto": false, "gap_ms": 3000, "keys": "terminal"}),
            )),
            seed: 42,
            plan,
        })),
    );
    let mut counts = [0usize; 5];
    for (i, q) in questions.iter().enumerate() {
        let Some(outcome) = q.outcome else { break };
        let index = i + 1;
        let planned_ms = q.limit_s * 1000;
        let limit_ms = planned_ms.saturating_add_signed(q.adjust_ms);
        t += 250;
        push(
            &mut out,
            start,
            t,
            Body::QuestionStarted(QuestionStarted {
                index,
                id: q.id.into(),
                limit_ms: planned_ms,
            }),
        );
        if q.prep_ms > 0 {
            t += q.prep_ms;
            push(&mut out, start, t, Body::AnswerStarted(At { index }));
        }
        let mut paused_ms = 0;
        for _ in 0..q.pauses {
            t += 1000;
            push(&mut out, start, t, Body::Paused(At { index }));
            t += 5000;
            paused_ms += 5000;
            push(
                &mut out,
                start,
                t,
                Body::Resumed(Resumed {
                    index,
                    paused_ms: 5000,
                }),
            );
        }
        if q.adjust_ms != 0 {
            push(
                &mut out,
                start,
                t + 500,
                Body::TimeAdjusted(TimeAdjusted {
                    index,
                    delta_ms: q.adjust_ms,
                    limit_ms,
                }),
            );
        }
        if q.answer_ms >= limit_ms && outcome != Outcome::Skipped {
            push(&mut out, start, t + limit_ms, Body::TimeUp(At { index }));
        }
        t += q.answer_ms;
        let overtime_ms = q.answer_ms.saturating_sub(limit_ms);
        push(
            &mut out,
            start,
            t,
            Body::QuestionEnded(QuestionEnded {
                index,
                id: q.id.into(),
                outcome,
                answer_ms: q.answer_ms,
                overtime_ms,
                paused_ms,
                prep_ms: q.prep_ms,
                short: false,
                take: 1,
            }),
        );
        if q.rating.is_some() || q.note.is_some() {
            push(
                &mut out,
                start,
                t,
                Body::Reviewed(Reviewed {
                    index,
                    id: q.id.into(),
                    rating: q.rating,
                    note: q.note.map(str::to_string),
                    star: None,
                }),
            );
        }
        for (n, sp) in q.takes.iter().enumerate() {
            let take = n as u32 + 1;
            push(
                &mut out,
                start,
                t,
                Body::AnswerRecorded(Box::new(Spoken {
                    index,
                    id: q.id.into(),
                    take,
                    file: Some(take_file(start, bank_key, index, q.id, take)),
                    ..sp.clone()
                })),
            );
        }
        counts[match outcome {
            Outcome::Answered => 0,
            Outcome::Skipped => 1,
            Outcome::TimeUp => 2,
            Outcome::Unfinished => 3,
        }] += 1;
        if overtime_ms > 0 {
            counts[4] += 1;
        }
    }
    for (i, q) in questions.iter().enumerate() {
        if let Some(take) = q.kept {
            t += 5;
            push(
                &mut out,
                start,
                t,
                Body::TakeKept(TakeKept { index: i + 1, take }),
            );
        }
    }
    if let Some(outcome) = ending {
        t += 10;
        push(
            &mut out,
            start,
            t,
            Body::SessionEnded(SessionEnded {
                outcome,
                answered: counts[0],
                skipped: counts[1],
                time_up: counts[2],
                unfinished: counts[3],
                over_time: counts[4],
                total_ms: t,
            }),
        );
    }
    out
}

fn push(out: &mut String, start: DateTime<FixedOffset>, t_ms: u64, body: Body) {
    let at = start + ChronoDuration::milliseconds(t_ms as i64);
    let record = Record {
        at: at.to_rfc3339_opts(SecondsFormat::Millis, false),
        t_ms,
        body,
    };
    out.push_str(&serde_json::to_string(&record).expect("records serialize"));
    out.push('\n');
}

/// A week of practice for the snapshots: two banks, two time zones, a session ended early,
/// one cut off by a crash (its last line torn), thinking time, pauses and `+`.
pub fn week() -> Vec<String> {
    use Outcome::*;
    let privacy = "Confidentiality and release of information";
    let retention = "Retention, legal hold and destruction";
    let star = "Behavioral and situational";
    let mut first = vec![
        q("hipaa-authorization", privacy, 120, Answered, 95),
        q("retention-schedule", retention, 120, Answered, 132),
        q("legal-hold", retention, 90, Skipped, 4),
        q("difficult-physician", star, 150, Answered, 140),
    ];
    first[0].prep_ms = 15_000;
    first[1].pauses = 2;
    first[3].adjust_ms = 30_000;
    let mut second = vec![
        q("conflict", star, 120, Answered, 101),
        q("failure", star, 120, TimeUp, 120),
        q("hipaa-authorization", privacy, 120, Unfinished, 40),
        q("retention-schedule", retention, 120, Answered, 0),
    ];
    second[3].outcome = None;
    let third = vec![
        q("retention-schedule", retention, 120, Answered, 118),
        q("hipaa-authorization", privacy, 120, Answered, 88),
        q("legal-hold", retention, 90, Answered, 97),
    ];
    let crashed = session(
        "2026-11-26T07:45:10.000-05:00",
        "healthcare-records-manager",
        &third,
        None,
    );
    vec![
        session(
            "2026-11-24T19:02:11.500+01:00",
            "healthcare-records-manager",
            &first,
            Some(SessionOutcome::Completed),
        ),
        session(
            "2026-11-25T08:15:00.000+01:00",
            "behavioral",
            &second,
            Some(SessionOutcome::Aborted),
        ),
        crashed[..crashed.len() - 25].to_string(),
    ]
}

/// A session with recorded answers: one retake (the last counts), one retake where the
/// first take was kept, one take with nothing said, one answer not recorded.
pub fn recorded() -> String {
    use Outcome::*;
    let privacy = "Confidentiality and release of information";
    let retention = "Retention, legal hold and destruction";
    let questions = vec![
        q("breach-notification", privacy, 120, Answered, 105).recorded(&[
            spoken(40, Some(6_300), 20, 7_800, 3),
            spoken(105, Some(2_100), 92, 4_200, 2),
        ]),
        q("retention-schedule", retention, 120, Answered, 98)
            .recorded(&[
                spoken(98, Some(900), 90, 1_800, 0),
                spoken(70, Some(3_500), 50, 5_100, 1),
            ])
            .keep(1),
        q("legal-hold", retention, 90, Answered, 12).recorded(&[spoken(12, None, 0, 12_000, 0)]),
        q("hipaa-authorization", privacy, 120, Answered, 80),
    ];
    session(
        "2026-12-01T09:30:00.000+01:00",
        "healthcare-records-manager",
        &questions,
        Some(SessionOutcome::Completed),
    )
}
