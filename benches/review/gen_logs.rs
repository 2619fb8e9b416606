//! Writes realistic session logs for the review benchmark: years of two sessions a day
//! from the built-in banks, in the exact schema `rehearse run` writes (the same record
//! types), with skips, overtime, pauses, `+`, hands-free time-ups, sessions ended early
//! and a few cut off by a crash. Deterministic: the same arguments give the same files.
//!
//! With `--reviews` (for the report benchmark) most answers also get a rating, and a few
//! a note; without it the files are the same as before, so the review figures hold.
//!
//! cargo run --release --example gen-logs -- DIR [SESSIONS] [QUESTIONS] [--reviews]

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use chrono::{DateTime, Duration as ChronoDuration, FixedOffset, SecondsFormat, TimeZone};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

use rehearse::bank::{self, Bank};
use rehearse::log::{
    At, Body, PlanEntry, QuestionEnded, QuestionStarted, Record, Resumed, Reviewed, SCHEMA,
    SessionEnded, SessionStarted, Settings, TimeAdjusted,
};
use rehearse::plan::{self, PlanOptions, Selection, TimeOptions};
use rehearse::session::{Outcome, SessionOutcome};

fn main() -> anyhow::Result<()> {
    let all: Vec<String> = std::env::args().skip(1).collect();
    let reviews = all.iter().any(|a| a == "--reviews");
    let mut args = all.into_iter().filter(|a| a != "--reviews");
    let dir = PathBuf::from(
        args.next()
            .context("usage: gen-logs DIR [SESSIONS] [QUESTIONS] [--reviews]")?,
    );
    let sessions: usize = args.next().map_or(Ok(10_000), |a| a.parse())?;
    let questions: usize = args.next().map_or(Ok(20), |a| a.parse())?;
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let banks = [
        bank::find("healthcare-records-manager", None)?,
        bank::find("behavioral", None)?,
    ];
    let mut rng = StdRng::seed_from_u64(2026);
    // Newest first, two a day: 07:xx and 19:xx, back from 25 November 2026.
    let newest = FixedOffset::east_opt(3600)
        .expect("a valid offset")
        .with_ymd_and_hms(2026, 11, 25, 19, 0, 0)
        .single()
        .expect("a valid date");
    let mut bytes = 0u64;
    for i in 0..sessions {
        let minutes = rng.random_range(0..50);
        let start =
            newest - ChronoDuration::hours(12 * i as i64) + ChronoDuration::minutes(minutes);
        // Summer time from April to October, as a person in Central Europe has.
        let summer = (4..=10).contains(&start.format("%m").to_string().parse::<u32>()?);
        let start = start.with_timezone(
            &FixedOffset::east_opt(if summer { 7200 } else { 3600 }).expect("a valid offset"),
        );
        let bank = &banks[usize::from(rng.random_bool(0.2))];
        let path = dir.join(format!(
            "{}_{}.jsonl",
            start.format("%Y-%m-%d_%H-%M-%S"),
            bank.key
        ));
        let count = questions.min(bank.questions.len());
        let text = session(bank, start, count, reviews, &mut rng);
        bytes += text.len() as u64;
        let mut out = BufWriter::new(File::create(&path)?);
        out.write_all(text.as_bytes())?;
        out.flush()?;
    }
    println!(
        "{sessions} sessions of up to {questions} questions, {:.0} MB, in {}",
        bytes as f64 / 1e6,
        dir.display()
    );
    Ok(())
}

struct Lines {
    start: DateTime<FixedOffset>,
    text: String,
}

impl Lines {
    fn push(&mut self, t_ms: u64, body: Body) {
        let at = self.start + ChronoDuration::milliseconds(t_ms as i64);
        let record = Record {
            at: at.to_rfc3339_opts(SecondsFormat::Millis, false),
            t_ms,
            body,
        };
        self.text
            .push_str(&serde_json::to_string(&record).expect("records serialize"));
        self.text.push('\n');
    }
}

/// Notes people write about an answer, for `--reviews`.
const NOTES: [&str; 4] = [
    "Lead with the policy, then the example.",
    "Too long on background; get to the result sooner.",
    "Forgot the numbers: say how much, how fast.",
    "Good structure <STAR> & a clear ending.",
];

fn session(
    bank: &Bank,
    start: DateTime<FixedOffset>,
    count: usize,
    reviews: bool,
    rng: &mut StdRng,
) -> String {
    let seed = rng.random_range(0..1_000_000);
    let plan = plan::make_plan(
        bank,
        &PlanOptions {
            selection: Selection::Random { count },
            seed,
            times: TimeOptions::default(),
            pick: Default::default(),
        },
    );
    let auto = rng.random_bool(0.1);
    let mut lines = Lines {
        start,
        text: String::new(),
    };
    let ms = |d: std::time::Duration| d.as_millis() as u64;
    lines.push(
        0,
        Body::SessionStarted(Box::new(SessionStarted {
            schema: SCHEMA,
            app_version: "0.1.0".into(),
            bank: bank.name.clone(),
            bank_key: bank.key.clone(),
            bank_source: "built-in".into(),
            settings: Some(Settings::new(
                &json!({"count": count, "all": false, "time_ms": null,
                "auto": auto, "gap_ms": 3000, "keys": "terminal"}),
            )),
            seed,
            plan: plan.questions.iter().map(PlanEntry::from).collect(),
        })),
    );
    // 3 % ended early with q, 1 % cut off by a crash; the rest complete.
    let roll: f64 = rng.random();
    let stop_at = (roll < 0.04).then(|| rng.random_range(1..=count));
    let crashed = roll < 0.01;
    let mut t = 0u64;
    let (mut answered, mut skipped, mut time_up, mut over_time) = (0, 0, 0, 0);
    for q in &plan.questions {
        let index = q.index;
        t += rng.random_range(150..400);
        let mut limit = ms(q.limit);
        lines.push(
            t,
            Body::QuestionStarted(QuestionStarted {
                index,
                id: q.id.clone(),
                limit_ms: limit,
            }),
        );
        let prep = ms(q.prep);
        if prep > 0 {
            t += prep;
            lines.push(t, Body::AnswerStarted(At { index }));
        }
        let mut paused = 0;
        if rng.random_bool(0.1) {
            t += rng.random_range(5_000..40_000);
            lines.push(t, Body::Paused(At { index }));
            let p = rng.random_range(2_000..60_000);
            t += p;
            paused += p;
            lines.push(
                t,
                Body::Resumed(Resumed {
                    index,
                    paused_ms: p,
                }),
            );
        }
        if rng.random_bool(0.05) {
            limit += 30_000;
            lines.push(
                t + 1_000,
                Body::TimeAdjusted(TimeAdjusted {
                    index,
                    delta_ms: 30_000,
                    limit_ms: limit,
                }),
            );
        }
        if stop_at == Some(index) {
            if crashed {
                // The last record torn in the middle, as a crash mid-write leaves it.
                let torn = format!(
                    r#"{{"at":"{}","t_ms":{t},"event":"question_ended","index":{index},"id":"#,
                    start.to_rfc3339_opts(SecondsFormat::Millis, false)
                );
                lines.text.push_str(&torn);
                return lines.text;
            }
            let answer = rng.random_range(1_000..limit.max(1_001));
            t += answer;
            lines.push(
                t,
                Body::QuestionEnded(QuestionEnded {
                    index,
                    id: q.id.clone(),
                    outcome: Outcome::Unfinished,
                    answer_ms: answer,
                    overtime_ms: 0,
                    paused_ms: paused,
                    prep_ms: prep,
                    short: false,
                    take: 1,
                }),
            );
            t += 5;
            lines.push(
                t,
                Body::SessionEnded(SessionEnded {
                    outcome: SessionOutcome::Aborted,
                    answered,
                    skipped,
                    time_up,
                    unfinished: 1,
                    over_time,
                    total_ms: t,
                }),
            );
            return lines.text;
        }
        let (outcome, answer) = if rng.random_bool(0.05) {
            (Outcome::Skipped, rng.random_range(2_000..20_000))
        } else {
            // Around 85 % of the limit, with a spread that runs over a fifth of the time.
            let share: f64 = 0.85 + 0.2 * (rng.random::<f64>() + rng.random::<f64>() - 1.0) * 1.7;
            let answer = (limit as f64 * share.clamp(0.2, 1.6)) as u64;
            if auto && answer >= limit {
                (Outcome::TimeUp, limit)
            } else {
                (Outcome::Answered, answer)
            }
        };
        if answer >= limit && outcome != Outcome::Skipped {
            lines.push(t + limit, Body::TimeUp(At { index }));
        }
        t += answer;
        let overtime = answer.saturating_sub(limit);
        match outcome {
            Outcome::Skipped => skipped += 1,
            Outcome::TimeUp => time_up += 1,
            _ => answered += 1,
        }
        if overtime > 0 {
            over_time += 1;
        }
        lines.push(
            t,
            Body::QuestionEnded(QuestionEnded {
                index,
                id: q.id.clone(),
                outcome,
                answer_ms: answer,
                overtime_ms: overtime,
                paused_ms: paused,
                prep_ms: prep,
                short: false,
                take: 1,
            }),
        );
        if reviews && outcome != Outcome::Skipped && rng.random_bool(0.7) {
            // Shorter answers for their limit get better ratings, more or less.
            let share = answer as f64 / limit.max(1) as f64;
            let rating = (5.5 - 3.0 * share + rng.random_range(-1.0..1.0)).clamp(1.0, 5.0) as u8;
            let note = rng
                .random_bool(0.05)
                .then(|| NOTES[rng.random_range(0..NOTES.len())].to_string());
            lines.push(
                t,
                Body::Reviewed(Reviewed {
                    index,
                    id: q.id.clone(),
                    rating: Some(rating),
                    note,
                    star: None,
                }),
            );
        }
        if auto {
            t += 3_000;
        }
    }
    t += 5;
    lines.push(
        t,
        Body::SessionEnded(SessionEnded {
            outcome: SessionOutcome::Completed,
            answered,
            skipped,
            time_up,
            unfinished: 0,
            over_time,
            total_ms: t,
        }),
    );
    lines.text
}
