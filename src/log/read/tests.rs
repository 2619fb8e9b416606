//! The reader against good, damaged and foreign logs.

use std::path::Path;

use super::testlog::{Q, q, session};
use super::*;
use crate::review::{render, stats};
use crate::session::{Outcome, SessionOutcome};

const START: &str = "2026-11-25T14:03:07.120+01:00";

fn three() -> Vec<Q> {
    vec![
        q("hipaa-authorization", "Privacy", 120, Outcome::Answered, 95),
        q(
            "retention-schedule",
            "Retention",
            120,
            Outcome::Answered,
            132,
        ),
        q("legal-hold", "Retention", 90, Outcome::Skipped, 4),
    ]
}

fn read(text: &str) -> Result<SessionSummary, String> {
    read_from(
        Path::new("/logs/x.jsonl"),
        text.as_bytes(),
        Detail::Questions,
        &mut Interner::default(),
    )
}

#[test]
fn a_complete_session() {
    let s = read(&session(
        START,
        "hrm",
        &three(),
        Some(SessionOutcome::Completed),
    ))
    .unwrap();
    assert_eq!(s.ending, Ending::Completed);
    assert_eq!(s.bank_key.as_ref(), "hrm");
    assert_eq!(s.started.to_rfc3339(), "2026-11-25T14:03:07.120+01:00");
    assert_eq!(
        s.counts,
        Counts {
            planned: 3,
            answered: 2,
            time_up: 0,
            skipped: 1,
            unfinished: 0,
            not_reached: 0,
            over_time: 1,
        }
    );
    // 3 × 250 ms between questions, 95 + 132 + 4 s of answers, 10 ms to the end.
    assert_eq!(s.total_ms, 750 + 231_000 + 10);
    let second = &s.questions[1];
    assert_eq!(second.status(), Status::Answered);
    assert!(second.time_up_cue && second.over_time() && second.warning_cue());
    assert_eq!(second.result.unwrap().overtime_ms, 12_000);
    assert!(s.questions[0].warning_cue() && !s.questions[2].warning_cue());
    assert!(s.notes.is_empty());
}

#[test]
fn without_session_ended_it_is_interrupted() {
    let mut questions = three();
    questions[2].outcome = None;
    let s = read(&session(START, "hrm", &questions, None)).unwrap();
    assert_eq!(s.ending, Ending::Interrupted);
    assert_eq!(s.total_ms, 500 + 227_000);
    assert_eq!((s.counts.answered, s.counts.not_reached), (2, 1));
}

#[test]
fn a_question_cut_off_by_a_crash_is_unfinished() {
    let full = session(START, "hrm", &three(), None);
    // Drop the last question_ended: the question was started, never ended.
    let text: String = full.lines().take(7).map(|l| format!("{l}\n")).collect();
    let s = read(&text).unwrap();
    assert_eq!(s.questions[2].status(), Status::Unfinished);
    assert_eq!(s.counts.unfinished, 1);
}

#[test]
fn a_torn_last_line_is_ignored_with_a_note() {
    let full = session(START, "hrm", &three(), Some(SessionOutcome::Completed));
    let cut = &full[..full.len() - 20];
    let s = read(cut).unwrap();
    assert_eq!(s.ending, Ending::Interrupted);
    assert_eq!(s.counts.answered, 2);
    assert_eq!(s.notes.len(), 1);
    assert!(s.notes[0].contains("last line is cut off"), "{:?}", s.notes);
}

#[test]
fn one_line_over_16_mib_is_skipped_and_the_rest_of_the_session_is_read() {
    let full = session(START, "hrm", &three(), Some(SessionOutcome::Completed));
    let mut lines: Vec<String> = full.lines().map(str::to_string).collect();
    let huge = format!("{{\"note\":\"{}\"}}", "x".repeat(17 << 20));
    lines.insert(2, huge);
    let text = lines.join("\n") + "\n";
    let s = read(&text).unwrap();
    assert_eq!(s.ending, Ending::Completed);
    assert_eq!(s.counts.answered, 2);
    assert_eq!(s.notes.len(), 1, "{:?}", s.notes);
    assert!(
        s.notes[0].starts_with("line 3 is longer than 16 MiB"),
        "{:?}",
        s.notes
    );
    // The same from a file: a log this big is read line by line, never whole.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    std::fs::write(&path, &text).unwrap();
    let s = read_session(&path, Detail::Questions, &mut Interner::default()).unwrap();
    assert_eq!((s.ending, s.counts.answered), (Ending::Completed, 2));
    assert!(s.notes[0].starts_with("line 3 is longer than 16 MiB"));
}

#[test]
fn a_torn_line_in_the_middle_is_skipped_with_a_note() {
    let full = session(START, "hrm", &three(), Some(SessionOutcome::Completed));
    let mut lines: Vec<String> = full.lines().map(str::to_string).collect();
    // What the writer leaves after a failed write: part of a line, then the whole again.
    let torn = lines[2][..30].to_string();
    lines.insert(2, torn);
    let s = read(&(lines.join("\n") + "\n")).unwrap();
    assert_eq!(s.ending, Ending::Completed);
    assert_eq!(s.counts.answered, 2);
    assert!(
        s.notes[0].starts_with("line 3 is not a complete record"),
        "{:?}",
        s.notes
    );
}

#[test]
fn unknown_events_and_fields_and_blank_lines_are_passed_over() {
    let full = session(START, "hrm", &three(), Some(SessionOutcome::Completed));
    let mut lines: Vec<String> = full.lines().map(str::to_string).collect();
    lines.insert(
        3,
        r#"{"at":"2026-11-25T14:05:00.000+01:00","t_ms":5000,"event":"reviewed","index":1,"rating":4,"note":"good"}"#.into(),
    );
    lines.insert(4, String::new());
    lines[1] = lines[1].replacen('{', r#"{"mood":"calm","#, 1);
    let s = read(&(lines.join("\n") + "\n")).unwrap();
    assert_eq!(s.counts.answered, 2);
    assert!(s.notes.is_empty(), "{:?}", s.notes);
}

#[test]
fn files_that_are_not_session_logs_say_why() {
    let future =
        session(START, "hrm", &three(), None).replacen(r#""schema":1"#, r#""schema":2"#, 1);
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "empty: no records"),
        ("\n  \n".into(), "empty: no records"),
        (
            "# my notes\nnothing here\n".into(),
            "not a session log: line 1 is not JSON",
        ),
        (
            r#"{"name":"x"}"#.to_string() + "\n",
            "not a session log: line 1 is not a rehearse record",
        ),
        (
            "[1,2]\n".into(),
            "not a session log: line 1 is not a rehearse record",
        ),
        (
            r#"{"at":"x","t_ms":1,"event":"time_up","index":1}"#.to_string() + "\n",
            "not a session log: it starts with \"time_up\", not \"session_started\"",
        ),
        (
            r#"{"at":"x","t_ms":0,"event":"session_start"#.into(),
            "empty: the first record is cut off",
        ),
        (
            future,
            "written by a newer rehearse (log schema 2; this version reads schema 1)",
        ),
        (
            r#"{"at":"x","t_ms":0,"event":"session_started","schema":0}"#.to_string() + "\n",
            "unknown log schema 0",
        ),
        (
            r#"{"at":"x","t_ms":0,"event":"session_started","schema":1}"#.to_string() + "\n",
            "line 1: session_started without bank",
        ),
    ];
    for (text, reason) in cases {
        let err = read(&text).unwrap_err();
        assert!(err.starts_with(reason), "{text:?}: {err}");
    }
    let bad_time = session(START, "hrm", &three(), None).replacen(START, "yesterday", 1);
    assert!(
        read(&bad_time)
            .unwrap_err()
            .starts_with("session_started has a bad time \"yesterday\"")
    );
}

#[test]
fn bytes_that_are_not_text_are_not_a_log() {
    let err = read_from(
        Path::new("x"),
        &b"\xff\xfe\x00binary\n\x01\x02"[..],
        Detail::Counts,
        &mut Interner::default(),
    )
    .unwrap_err();
    assert_eq!(err, "not a session log: line 1 is not JSON");
}

#[test]
fn events_about_questions_outside_the_plan_are_noted_once() {
    let mut text = session(START, "hrm", &three(), Some(SessionOutcome::Completed));
    for _ in 0..2 {
        text.push_str(
            r#"{"at":"2026-11-25T14:09:00.000+01:00","t_ms":1,"event":"paused","index":9}"#,
        );
        text.push('\n');
    }
    let s = read(&text).unwrap();
    assert_eq!(s.notes.len(), 1);
    assert!(s.notes[0].contains("question 9, which is not in the plan"));
}

#[test]
fn counts_detail_keeps_no_questions() {
    let text = session(START, "hrm", &three(), Some(SessionOutcome::Completed));
    let s = read_from(
        Path::new("x"),
        text.as_bytes(),
        Detail::Counts,
        &mut Interner::default(),
    )
    .unwrap();
    assert!(s.questions.is_empty());
    assert_eq!(s.counts.answered, 2);
}

#[test]
fn sessions_are_numbered_newest_first_and_filtered_by_bank_and_local_date() {
    let mut sessions: Vec<Listed> = [
        ("2026-11-24T09:00:00.000+01:00", "hrm"),
        ("2026-11-25T23:30:00.000-05:00", "behavioral"),
        ("2026-11-26T01:00:00.000+01:00", "hrm"),
    ]
    .iter()
    .map(|(at, bank)| read(&session(at, bank, &three(), None)).unwrap().into())
    .collect();
    order(&mut sessions);
    // 23:30 at -05:00 is 05:30 the next day at +01:00: the newest of the three.
    let numbers: Vec<_> = sessions
        .iter()
        .map(|s| (s.number, s.bank_key.to_string()))
        .collect();
    assert_eq!(
        numbers,
        [
            (Some(1), "behavioral".into()),
            (Some(2), "hrm".into()),
            (Some(3), "hrm".into())
        ]
    );
    let filter = Filter {
        bank: Some("Healthcare records manager".into()),
        since: NaiveDate::from_ymd_opt(2026, 11, 25),
    };
    let kept: Vec<_> = sessions
        .iter()
        .filter(|s| s.accepted(&filter))
        .map(|s| s.number)
        .collect();
    assert_eq!(kept, [Some(2)]);
    let by_own_date = Filter {
        bank: None,
        since: NaiveDate::from_ymd_opt(2026, 11, 26),
    };
    // The behavioral session is on the 25th where it was taken.
    let kept: Vec<_> = sessions
        .iter()
        .filter(|s| s.accepted(&by_own_date))
        .map(|s| s.number)
        .collect();
    assert_eq!(kept, [Some(2)]);
}

#[test]
fn fold_logs_reads_every_file_once_across_workers() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for i in 0..40 {
        let path = dir.path().join(format!("{i:02}.jsonl"));
        let text = if i % 10 == 0 {
            "not a log\n".to_string()
        } else {
            session(START, "hrm", &three(), Some(SessionOutcome::Completed))
        };
        std::fs::write(&path, text).unwrap();
        paths.push(path);
    }
    let parts = fold_logs(
        &paths,
        Detail::Counts,
        || (0, 0),
        |acc, entry| match entry {
            Entry::Session(_) => acc.0 += 1,
            Entry::Unreadable(_) => acc.1 += 1,
        },
    );
    let total = parts.iter().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    assert_eq!(total, (36, 4));
    assert_eq!(log_files(dir.path()).unwrap(), paths);
    assert!(log_files(&dir.path().join("none")).unwrap().is_empty());
}

#[test]
fn absurd_numbers_are_shown_not_panicked_on() {
    let max = u64::MAX;
    let text = format!(
        r#"{{"at":"2026-11-25T14:03:07.000+01:00","t_ms":{max},"event":"session_started","schema":1,"bank":"B","bank_key":"b","seed":{max},"plan":[{{"index":0,"id":"a","category":"c","text":"t","limit_ms":{max},"warn_ms":{max}}},{{"index":1,"id":"z","category":"c","text":"t","limit_ms":0,"warn_ms":0}}]}}
{{"t_ms":1,"event":"time_adjusted","index":1,"delta_ms":{min},"limit_ms":0}}
{{"t_ms":1,"event":"time_adjusted","index":1,"delta_ms":{min},"limit_ms":0}}
{{"t_ms":{max},"event":"question_ended","index":0,"outcome":"answered","answer_ms":{max},"overtime_ms":{max}}}
{{"t_ms":{max},"event":"question_ended","index":1,"outcome":"time_up","answer_ms":{max},"overtime_ms":{max}}}
"#,
        min = i64::MIN
    );
    let sessions = vec![read(&text).unwrap(), read(&text).unwrap()];
    let mut listed: Vec<Listed> = sessions.iter().cloned().map(Listed::from).collect();
    order(&mut listed);
    let style = render::Style {
        width: 3,
        color: true,
    };
    let refs: Vec<&SessionSummary> = sessions.iter().collect();
    render::list(
        &mut Vec::new(),
        &listed.iter().collect::<Vec<_>>(),
        &[],
        2,
        style,
    )
    .unwrap();
    render::show(&sessions[0], &[], style);
    render::tests::markdown(&refs, &render::Points::new());
    render::tests::csv(&refs);
    render::tests::sessions_json(&refs, &[]);
    let mut agg = stats::Aggregator::new(None);
    for s in &sessions {
        agg.add(s);
    }
    let st = agg.finish();
    render::stats(&st, &[], style);
    render::question(&st.questions[0], style);
}

#[test]
fn takes_are_read_and_the_kept_one_counts() {
    use super::testlog::spoken;
    let questions = [
        q("breach", "Privacy", 120, Outcome::Answered, 100).recorded(&[
            spoken(100, Some(2100), 80, 4200, 2),
            spoken(90, Some(900), 81, 1500, 0),
        ]),
        q("retention", "Retention", 120, Outcome::Answered, 60)
            .recorded(&[
                spoken(60, None, 0, 60_000, 0),
                spoken(58, Some(500), 50, 900, 0),
            ])
            .keep(1),
        q("legal-hold", "Retention", 120, Outcome::Answered, 30),
    ];
    let text = session(
        "2026-12-01T09:30:00.000+01:00",
        "healthcare-records-manager",
        &questions,
        Some(SessionOutcome::Completed),
    );
    let s = read(&text).unwrap();
    let [breach, retention, hold] = &s.questions[..] else {
        panic!("three questions")
    };
    assert_eq!(breach.takes.len(), 2);
    let file = |t: &Take| t.spoken.as_ref().and_then(|s| s.file.clone());
    assert_eq!(
        file(&breach.takes[0]).as_deref(),
        Some("2026-12-01_09-30-00_healthcare-records-manager/01-breach.flac")
    );
    assert_eq!(
        file(&breach.takes[1]).as_deref(),
        Some("2026-12-01_09-30-00_healthcare-records-manager/01-breach-take2.flac")
    );
    let counted = breach.spoken().unwrap();
    assert_eq!((counted.take, counted.first_word_ms), (2, Some(900)));
    assert_eq!(retention.kept_take, Some(1));
    let counted = retention.spoken().unwrap();
    assert_eq!(
        (counted.take, counted.first_word_ms, counted.level_db),
        (1, None, None)
    );
    assert_eq!(counted.speaking_share(), 0.0);
    assert!(!hold.recorded() && hold.spoken().is_none());
    assert!(s.notes.is_empty(), "{:?}", s.notes);
}
