//! Snapshots of everything review prints, at 100 columns without colour (what a pipe
//! gets), from the made-up week in `testlog`.

use std::path::Path;

// Whole exports, made of the parts the command writes one session at a time.

/// `export --format json` of sessions read whole: newest first, and the files that could
/// not be read.
pub(crate) fn sessions_json(sessions: &[&SessionSummary], unreadable: &[Unreadable]) -> String {
    let mut out = Vec::new();
    let mut json = SessionsJson::begin(&mut out).unwrap();
    for s in sessions {
        json.session(s).unwrap();
    }
    json.end(unreadable).unwrap();
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// A report to keep or share: each session with its questions, newest first.
pub(crate) fn markdown(sessions: &[&SessionSummary], points: &Points) -> String {
    let one = match sessions {
        [one] => Some((&*one.bank, &one.started)),
        _ => None,
    };
    let mut out = markdown_head(sessions.len(), one);
    for s in sessions {
        out.push_str(&markdown_session(s, points));
    }
    out
}

/// One row per planned question of every session, times in seconds, for a spreadsheet.
/// A recorded answer gives the figures of the take that counts, and how many there were.
pub(crate) fn csv(sessions: &[&SessionSummary]) -> String {
    let mut out = csv_header();
    for s in sessions {
        out.push_str(&csv_session(s));
    }
    out
}

use super::*;
use crate::log::read::testlog::week;
use crate::review::stats::Aggregator;
use crate::review::{Detail, Interner, order, read_from};

const PLAIN: Style = Style {
    width: 100,
    color: false,
};

fn sessions() -> Vec<SessionSummary> {
    let mut interner = Interner::default();
    let mut sessions: Vec<SessionSummary> = week()
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let mut s = read_from(
                Path::new("logs"),
                text.as_bytes(),
                Detail::Questions,
                &mut interner,
            )
            .unwrap();
            s.file = format!("session-{}.jsonl", i + 1);
            s
        })
        .collect();
    // Numbered as the list numbers them.
    let mut listed = listed(&sessions);
    order(&mut listed);
    let place = |s: &SessionSummary| listed.iter().position(|l| *l.file == *s.file);
    sessions.sort_by_key(place);
    for s in &mut sessions {
        s.number = place(s).and_then(|i| listed[i].number);
    }
    sessions
}

/// The list as it is written to the terminal.
fn list_text(
    sessions: &[&Listed],
    unreadable: &[Unreadable],
    total: usize,
    style: Style,
) -> String {
    let mut out = Vec::new();
    list(&mut out, sessions, unreadable, total, style).unwrap();
    String::from_utf8(out).unwrap()
}

fn listed(sessions: &[SessionSummary]) -> Vec<Listed> {
    sessions.iter().cloned().map(Listed::from).collect()
}

fn unreadable() -> Vec<Unreadable> {
    vec![Unreadable {
        file: "notes.txt".into(),
        path: "logs/notes.txt".into(),
        reason: "not a session log: line 1 is not JSON".into(),
    }]
}

fn stats_of(sessions: &[SessionSummary], only: Option<&str>) -> Stats {
    let mut agg = Aggregator::new(only);
    for s in sessions {
        agg.add(s);
    }
    agg.finish()
}

#[test]
fn list_table() {
    let sessions = listed(&sessions());
    let refs: Vec<&Listed> = sessions.iter().collect();
    insta::assert_snapshot!("list", list_text(&refs, &unreadable(), 3, PLAIN));
}

#[test]
fn list_fits_a_narrow_terminal() {
    let sessions = listed(&sessions());
    let refs: Vec<&Listed> = sessions.iter().take(2).collect();
    let narrow = Style {
        width: 80,
        color: false,
    };
    let text = list_text(&refs, &[], 3, narrow);
    for line in text.lines() {
        assert!(line.width() <= 80, "{line:?}");
    }
    insta::assert_snapshot!("list_narrow", text);
}

#[test]
fn show_a_session() {
    let sessions = sessions();
    let oldest = sessions.iter().find(|s| s.number == Some(3)).unwrap();
    insta::assert_snapshot!("show_completed", show(oldest, &[], PLAIN));
    let aborted = sessions.iter().find(|s| s.number == Some(2)).unwrap();
    insta::assert_snapshot!("show_aborted", show(aborted, &[], PLAIN));
    let crashed = sessions.iter().find(|s| s.number == Some(1)).unwrap();
    insta::assert_snapshot!("show_interrupted", show(crashed, &[], PLAIN));
}

#[test]
fn stats_tables() {
    let sessions = sessions();
    insta::assert_snapshot!(
        "stats",
        stats(&stats_of(&sessions, None), &unreadable(), PLAIN)
    );
}

#[test]
fn stats_of_one_question() {
    let sessions = sessions();
    let st = stats_of(&sessions, Some("retention-schedule"));
    insta::assert_snapshot!("stats_question", question(&st.questions[0], PLAIN));
}

#[test]
fn exports() {
    let sessions = sessions();
    let refs: Vec<&SessionSummary> = sessions.iter().collect();
    let points = Points::from([(
        (
            refs[0].bank_key.to_string(),
            refs[0].questions[0].id.to_string(),
        ),
        vec![
            "Name the schedule | and who signs it off.".to_string(),
            "What happens at the end of it.".to_string(),
        ],
    )]);
    insta::assert_snapshot!("export_md", markdown(&refs, &points));
    insta::assert_snapshot!("export_csv", csv(&refs));
    insta::assert_snapshot!("export_json", sessions_json(&refs, &unreadable()));
}

#[test]
fn json_outputs_parse_and_match_the_tables() {
    let sessions = sessions();
    let st = stats_of(&sessions, None);
    let v: serde_json::Value = {
        let mut out = Vec::new();
        stats_json(&mut out, &st, &[]).unwrap();
        serde_json::from_slice(&out).unwrap()
    };
    let table = stats(&st, &[], PLAIN);
    for q in v["questions"].as_array().unwrap() {
        let id = q["key"].as_str().unwrap();
        let row = table.lines().find(|l| l.starts_with(id)).unwrap();
        let median = q["median_ms"].as_u64().map_or("-".into(), ms);
        let over = percent(q["over_rate"].as_f64().unwrap());
        assert!(row.contains(&format!(" {median} ")), "{row} / {median}");
        assert!(row.contains(&format!(" {over} ")), "{row} / {over}");
    }
    let refs: Vec<&SessionSummary> = sessions.iter().collect();
    let v: serde_json::Value = serde_json::from_str(&sessions_json(&refs, &[])).unwrap();
    assert_eq!(v["sessions"][2]["counts"]["answered"], 3);
    assert_eq!(v["sessions"][2]["questions"][1]["status"], "answered");
    assert_eq!(v["sessions"][2]["questions"][1]["over_time"], true);
    let one: serde_json::Value = serde_json::from_str(&session_json(refs[0])).unwrap();
    assert_eq!(one["ending"], "interrupted");
    assert_eq!(one["notes"].as_array().unwrap().len(), 1);
}

#[test]
fn colour_only_when_asked() {
    let sessions = sessions();
    let color = Style {
        width: 100,
        color: true,
    };
    assert!(show(&sessions[0], &[], color).contains('\u{1b}'));
    assert!(!show(&sessions[0], &[], PLAIN).contains('\u{1b}'));
}

#[test]
fn sparklines_and_bars() {
    assert_eq!(
        sparkline(&[Some(15), Some(60), None, Some(120)], Some(120)),
        "▁▄·█"
    );
    assert_eq!(sparkline(&[Some(240)], Some(120)), "█");
    assert_eq!(sparkline(&[Some(0), Some(1)], None), "▁█");
    assert_eq!(bar(60, 120, 120, 10, false), "█████░░░░░");
    assert_eq!(bar(150, 120, 150, 10, false), "████████▓▓");
    assert_eq!(bar(0, 120, 120, 4, false), "░░░░");
}

#[test]
fn cells_are_cut_to_fit() {
    assert_eq!(fit("Healthcare Records Manager", 12), "Healthcare …");
    assert_eq!(fit("short", 12), "short");
    assert_eq!(fit("日本語のテキスト", 7), "日本語…");
}

#[test]
fn at_40_columns_list_and_stats_fit_and_ids_stay_whole() {
    let sessions = sessions();
    let rows = listed(&sessions);
    let refs: Vec<&Listed> = rows.iter().collect();
    let narrow = Style {
        width: 40,
        color: false,
    };
    let st = stats_of(&sessions, None);
    for text in [list_text(&refs, &[], 3, narrow), stats(&st, &[], narrow)] {
        for line in text.lines() {
            assert!(line.width() <= 40, "{line:?} in\n{text}");
        }
    }
    let text = stats(&st, &[], narrow);
    for line in &st.questions {
        assert!(
            text.lines()
                .any(|l| l.split_whitespace().next() == Some(&*line.key)),
            "{} whole in\n{text}",
            line.key
        );
    }
}

fn recorded_session() -> SessionSummary {
    let text = crate::log::read::testlog::recorded();
    let mut s = read_from(
        Path::new("logs"),
        text.as_bytes(),
        Detail::Questions,
        &mut Interner::default(),
    )
    .unwrap();
    s.file = "2026-12-01_09-30-00_healthcare-records-manager.jsonl".into();
    s.number = Some(1);
    s
}

#[test]
fn show_recorded_takes() {
    let s = recorded_session();
    let text = show(&s, &[], PLAIN);
    assert!(
        text.contains(
            "take 2 (counts): spoke 1:32 of 1:45 · first word after 2.1 s · longest pause 4.2 s · 2 pauses over 3 s"
        ),
        "{text}"
    );
    assert!(
        text.contains("take 1 (counts): spoke 1:30 of 1:38"),
        "{text}"
    );
    assert!(text.contains("recorded: heard no speech in 0:12"), "{text}");
    insta::assert_snapshot!("show_recorded", text);
}

#[test]
fn exports_carry_the_spoken_figures() {
    let s = recorded_session();
    let md = markdown(&[&s], &Points::new());
    assert!(md.contains("How it was spoken:"), "{md}");
    assert!(md.contains("- 1 (`breach-notification`): take 2 (counts): spoke 1:32 of 1:45"));
    insta::assert_snapshot!("export_md_recorded", md);

    let csv = csv(&[&s]);
    let mut rows = ::csv::Reader::from_reader(csv.as_bytes());
    let head = rows.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let rows: Vec<::csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let breach = &rows[0];
    assert_eq!(&breach[col("take")], "2");
    assert_eq!(&breach[col("takes")], "2");
    assert_eq!(&breach[col("first_word_s")], "2.100");
    assert_eq!(&breach[col("speaking_share")], "0.876");
    assert_eq!(&breach[col("long_pauses")], "2");
    assert_eq!(
        &breach[col("recording")],
        "2026-12-01_09-30-00_healthcare-records-manager/01-breach-notification-take2.flac"
    );
    assert_eq!(&rows[1][col("take")], "1", "the kept take counts");
    assert_eq!(&rows[2][col("first_word_s")], "", "nothing said");
    assert_eq!(&rows[3][col("take")], "", "not recorded");

    let json: serde_json::Value = serde_json::from_str(&session_json(&s)).unwrap();
    let q = &json["questions"][1];
    assert_eq!(q["kept_take"], 1);
    assert_eq!(q["counted_take"], 1);
    assert_eq!(q["takes"][1]["first_word_ms"], 3500);
    assert_eq!(json["questions"][0]["takes"][1]["level_db"], -21.5);
    assert!(json["questions"][3].get("takes").is_none());
}

#[test]
fn stats_with_spoken_figures() {
    let s = recorded_session();
    let all = stats_of(std::slice::from_ref(&s), None);
    let text = stats(&all, &[], PLAIN);
    assert!(
        text.contains(
            "Spoken: 3 answers recorded · median first word 1.5 s · spoke 85% of the time"
        ),
        "{text}"
    );
    insta::assert_snapshot!("stats_recorded", text);
    let one = stats_of(std::slice::from_ref(&s), Some("breach-notification"));
    insta::assert_snapshot!(
        "stats_question_recorded",
        question(&one.questions[0], PLAIN)
    );
}

#[test]
fn stats_at_100_columns_says_which_columns_it_left_out() {
    let mut sessions = sessions();
    sessions.push(recorded_session());
    let mut st = stats_of(&sessions, None);
    for line in &mut st.questions {
        line.due = chrono::NaiveDate::from_ymd_opt(2026, 12, 4);
        line.trend_rating = vec![Some(2), None, Some(4)];
    }
    let style = Style {
        width: 100,
        color: false,
    };
    let text = stats(&st, &[], style);
    for line in text.lines() {
        assert!(line.width() <= 100, "{line:?}");
    }
    let headers = [
        "tries", "median", "best", "limit", "over", "skips", "trend", "1st word", "spoke",
        "pauses", "rated", "due",
    ];
    let questions = text.split("Categories").next().unwrap();
    let head = questions
        .lines()
        .find(|l| l.starts_with("question"))
        .unwrap();
    // Every column is either shown or named as left out, and your rating and when it is
    // due are among those shown.
    let note = questions
        .lines()
        .find(|l| l.contains("Left out to fit 100 columns"))
        .unwrap_or("");
    for h in headers {
        let shown = head.split("  ").any(|c| c.trim() == h);
        assert!(shown || note.contains(h), "{h}: {text}");
    }
    assert!(head.contains("rated") && head.contains("due"), "{head}");
    insta::assert_snapshot!("stats_100_columns", text);
}

#[test]
fn a_trend_is_drawn_against_the_limit() {
    // One answer of 0:04 against a limit of 2:00: a low mark, not a full one.
    let mut sessions = sessions();
    sessions.push(recorded_session());
    let st = stats_of(&sessions, None);
    for line in st.categories.iter().chain(&st.questions) {
        let Some(scale) = line.trend_scale_ms else {
            continue;
        };
        let spark = sparkline(&line.trend_ms, Some(scale));
        let top = line.trend_ms.iter().flatten().max().copied().unwrap_or(0);
        if top * 4 < scale {
            assert!(!spark.contains('█'), "{}: {spark}", line.key);
        }
    }
    assert_eq!(sparkline(&[Some(4_000)], Some(120_000)), "▁");
}
