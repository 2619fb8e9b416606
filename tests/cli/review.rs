//! `rehearse review` end to end, on the fixture logs in `fixtures/logs`: three sessions
//! (completed, aborted, and one cut off by a crash with its last line torn) beside an
//! empty log, a log of a future schema, a notes file and another program's JSON lines.
//!
//! By hand, from the fixtures, for the stats:
//! - legal-hold-process: 2:12 (12 s over a 2:00 limit), then 1:58 → median 2:05, best
//!   1:58, over time 1 of 2 = 50 %;
//! - valid-hipaa-authorization: 1:35 and 1:28 → median 1:31.5, shown 1:31, best 1:28;
//! - reducing-dnfb: skipped once (its second try was cut off by the crash) → 100 % skipped;
//! - disagreed-with-manager: ended by time up at its 2:00 limit → 100 % over time.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use predicates::prelude::*;
use serde_json::Value;

use crate::util::Env;

const GOOD: [&str; 3] = [
    "2026-11-24_19-02-11_healthcare-records-manager.jsonl",
    "2026-11-25_08-15-00_behavioral.jsonl",
    "2026-11-26_07-45-10_healthcare-records-manager.jsonl",
];
const BAD: [(&str, &str); 4] = [
    (
        "2026-11-20_10-00-00_healthcare-records-manager.jsonl",
        "empty: no records",
    ),
    (
        "2026-11-27_09-00-00_healthcare-records-manager.jsonl",
        "written by a newer rehearse (log schema 2; this version reads schema 1)",
    ),
    ("notes.txt", "not a session log: line 1 is not JSON"),
    (
        "other-app.jsonl",
        "not a session log: line 1 is not a rehearse record",
    ),
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/fixtures/logs")
}

/// An environment whose log folder holds a copy of the fixtures.
fn with_fixtures() -> Env {
    let env = Env::new();
    std::fs::create_dir_all(env.log_dir()).unwrap();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), env.log_dir().join(entry.file_name())).unwrap();
    }
    env
}

fn stdout(env: &Env, args: &[&str]) -> String {
    let out = env.cmd().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(env: &Env, args: &[&str]) -> Value {
    let text = stdout(env, args);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: {e}\n{text}"))
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

fn folder_contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_list_shows_good_sessions_names_bad_files_and_changes_nothing() {
    let env = with_fixtures();
    let before = folder_contents(&env.log_dir());
    let out = stdout(&env, &["review"]);
    snapshot("list", &out);
    let rows: Vec<&str> = out.lines().skip(1).take(3).collect();
    assert!(rows[0].starts_with("1  Thu 2026-11-26 07:45"), "{out}");
    assert!(rows[0].ends_with("interrupted"), "{out}");
    assert!(
        rows[1].ends_with("aborted") && rows[2].ends_with("completed"),
        "{out}"
    );
    assert!(out.contains("the last line is cut off"), "{out}");
    for (file, reason) in BAD.iter().filter(|(f, _)| f.ends_with(".jsonl")) {
        assert!(out.contains(&format!("{file}: ")), "{file} named:\n{out}");
        let flat = out.replace("\n    ", " ");
        assert!(flat.contains(reason), "{reason}:\n{out}");
    }
    // A file that is not even named like a log is only counted, in one line.
    assert!(
        out.contains(
            "1 other file in the folder is not a session log (.jsonl), passed over: notes.txt"
        ),
        "{out}"
    );
    // `review list` is the same, and the logs are as they were.
    assert_eq!(stdout(&env, &["review", "list"]), out);
    assert_eq!(folder_contents(&env.log_dir()), before);
}

#[test]
fn list_json_parses_and_has_the_numbers_of_the_table() {
    let env = with_fixtures();
    let table = stdout(&env, &["review"]);
    let v = json(&env, &["review", "--json"]);
    let sessions = v["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 3);
    assert_eq!(v["unreadable"].as_array().unwrap().len(), 4);
    for s in sessions {
        let n = s["number"].as_u64().unwrap();
        let row = table
            .lines()
            .find(|l| l.starts_with(&format!("{n}  ")))
            .unwrap();
        let c = &s["counts"];
        let answered = format!("{}/{}", c["answered"], c["planned"]);
        let total = clock(s["total_ms"].as_u64().unwrap());
        let cells: Vec<&str> = row.split_whitespace().collect();
        let tail = &cells[cells.len() - 5..];
        assert_eq!(
            tail,
            [
                answered.as_str(),
                &c["skipped"].to_string(),
                &c["over_time"].to_string(),
                total.as_str(),
                s["ending"].as_str().unwrap()
            ],
            "{row}"
        );
    }
    assert_eq!(sessions[0]["ending"], "interrupted");
    assert_eq!(sessions[0]["notes"].as_array().unwrap().len(), 1);
    assert_eq!(sessions[2]["started"], "2026-11-24T19:02:11.500+01:00");
}

#[test]
fn filters_pick_sessions_but_keep_their_numbers() {
    let env = with_fixtures();
    let out = stdout(&env, &["review", "list", "--bank", "behavioral"]);
    assert!(out.contains("2  Wed 2026-11-25 08:15  Behavioral"), "{out}");
    assert!(out.contains("1 of 3 sessions"), "{out}");
    let v = json(&env, &["review", "--since", "2026-11-25", "--json"]);
    let numbers: Vec<u64> = v["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2]);
    let v = json(&env, &["review", "-n", "1", "--json"]);
    assert_eq!(v["sessions"].as_array().unwrap().len(), 1);
    let out = stdout(&env, &["review", "--bank", "nothing"]);
    assert!(out.starts_with("No session matches (of 3 in "), "{out}");
}

#[test]
fn show_a_session_by_number_name_path_or_latest() {
    let env = with_fixtures();
    let latest = stdout(&env, &["review", "show"]);
    assert!(
        latest.starts_with("Session 1 · Thu 2026-11-26 07:45"),
        "{latest}"
    );
    assert_eq!(stdout(&env, &["review", "show", "latest"]), latest);
    assert!(latest.contains("the log stops during this question"));
    assert!(latest.contains("Note: the last line is cut off"));

    let oldest = stdout(&env, &["review", "show", "3"]);
    snapshot("show_3", &oldest);
    assert!(oldest.contains("+0:12 over"), "{oldest}");
    assert!(oldest.contains("paused 2× (0:10)"), "{oldest}");
    assert!(oldest.contains("thinking 0:15"), "{oldest}");
    assert!(oldest.contains("time +0:30 (limit was 2:30)"), "{oldest}");
    assert_eq!(stdout(&env, &["review", "show", GOOD[0]]), oldest);
    assert_eq!(
        stdout(
            &env,
            &["review", "show", GOOD[0].trim_end_matches(".jsonl")]
        ),
        oldest
    );

    // A log outside the folder has no number.
    let elsewhere = env.write(
        "copy.jsonl",
        &std::fs::read_to_string(fixtures().join(GOOD[1])).unwrap(),
    );
    let out = stdout(&env, &["review", "show", elsewhere.to_str().unwrap()]);
    assert!(
        out.starts_with("Wed 2026-11-25 08:15 · Behavioral · aborted"),
        "{out}"
    );
}

#[test]
fn show_json_parses_and_has_the_numbers_of_the_table() {
    let env = with_fixtures();
    let text = stdout(&env, &["review", "show", "3"]);
    let v = json(&env, &["review", "show", "3", "--json"]);
    assert_eq!(v["number"], 3);
    let questions = v["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 4);
    for q in questions {
        let r = &q["result"];
        let line = format!(
            "{:<11}{:>7} / {:<7}",
            q["status"].as_str().unwrap(),
            clock(r["answer_ms"].as_u64().unwrap()),
            clock(q["limit_ms"].as_u64().unwrap())
        );
        assert!(text.contains(&line), "{line:?} in\n{text}");
    }
    assert_eq!(questions[1]["result"]["overtime_ms"], 12_000);
    assert_eq!(questions[1]["over_time"], true);
    assert_eq!(v["counts"]["over_time"], 1);
}

#[test]
fn show_says_what_is_wrong_with_a_bad_choice() {
    let env = with_fixtures();
    env.cmd()
        .args(["review", "show", "9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no session \"9\": there are 3"));
    env.cmd()
        .args([
            "review",
            "show",
            env.log_dir().join("notes.txt").to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "notes.txt: not a session log: line 1 is not JSON",
        ));
    let empty = Env::new();
    empty
        .cmd()
        .args(["review", "show"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("take one with 'rehearse run'"));
}

#[test]
fn stats_match_the_hand_count() {
    let env = with_fixtures();
    let out = stdout(&env, &["review", "stats"]);
    snapshot("stats", &out);
    let row = |id: &str| -> Vec<String> {
        let line = out
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id} in\n{out}"));
        // The category may hold spaces: count from the right.
        let cells: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        cells[cells.len() - 7..].to_vec()
    };
    assert_eq!(
        row("legal-hold-process"),
        ["2", "2:05", "1:58", "2:00", "50%", "0%", "██"]
    );
    // Its last attempt was rated 4: the rated column adds a sparkline and the rating.
    let hipaa = out
        .lines()
        .find(|l| l.starts_with("valid-hipaa-authorization"))
        .unwrap();
    let cells: Vec<&str> = hipaa.split_whitespace().collect();
    assert_eq!(
        cells[cells.len() - 9..],
        ["2", "1:31", "1:28", "2:00", "0%", "0%", "▇▆", "▇·", "4"]
    );
    assert_eq!(
        row("reducing-dnfb")[..6],
        ["1", "-", "-", "1:30", "0%", "100%"]
    );
    // Ended by the clock (hands-free): a full-length answer, not over time.
    assert_eq!(row("disagreed-with-manager")[4], "0%");

    let order: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("question"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        order,
        [
            // Weakest first; an answer the clock ended no longer counts as over time.
            "reducing-dnfb",
            "legal-hold-process",
            "disagreed-with-manager",
            "team-difficult-goal",
            "physician-delinquent-documentation",
            "valid-hipaa-authorization",
        ]
    );
    for (file, _) in BAD {
        assert!(out.contains(file), "{file} named in\n{out}");
    }
}

#[test]
fn stats_json_parses_and_has_the_numbers_of_the_table() {
    let env = with_fixtures();
    let out = stdout(&env, &["review", "stats"]);
    let v = json(&env, &["review", "stats", "--json"]);
    let legal = v["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["key"] == "legal-hold-process")
        .unwrap();
    assert_eq!(legal["median_ms"], 125_000);
    assert_eq!(legal["best_ms"], 118_000);
    assert_eq!(legal["over_rate"], 0.5);
    assert_eq!(legal["trend_ms"], serde_json::json!([132_000, 118_000]));
    for q in v["questions"].as_array().unwrap() {
        let key = q["key"].as_str().unwrap();
        let prefix: String = key.chars().take(20).collect();
        let line = out.lines().find(|l| l.starts_with(&prefix)).unwrap();
        let median = q["median_ms"].as_u64().map_or("-".to_string(), clock);
        let over = format!("{:.0}%", q["over_rate"].as_f64().unwrap() * 100.0);
        assert!(line.contains(&format!(" {median} ")), "{line} / {median}");
        assert!(line.contains(&format!(" {over} ")), "{line} / {over}");
    }
    assert_eq!(v["overview"]["sessions"], 3);
    assert_eq!(v["overview"]["attempts"], 8);
    assert_eq!(v["unreadable"].as_array().unwrap().len(), 4);
}

#[test]
fn stats_of_one_question_list_every_attempt() {
    let env = with_fixtures();
    let out = stdout(
        &env,
        &["review", "stats", "--question", "legal-hold-process"],
    );
    assert!(
        out.contains("2 attempts: median 2:05, best 1:58, limit 2:00"),
        "{out}"
    );
    assert!(
        out.contains("Tue 2026-11-24 19:02  answered    2:12   2:00  +0:12"),
        "{out}"
    );
    assert!(
        out.contains("Thu 2026-11-26 07:45  answered    1:58   2:00"),
        "{out}"
    );
    let out = stdout(&env, &["review", "stats", "--question", "nope"]);
    assert!(out.starts_with("No attempts at \"nope\""), "{out}");
    let v = json(&env, &["review", "stats", "--bank", "behavioral", "--json"]);
    assert_eq!(v["overview"]["sessions"], 1);
}

#[test]
fn exports_in_each_format() {
    let env = with_fixtures();
    let md = stdout(&env, &["review", "export", "3", "--format", "md"]);
    snapshot("export_3_md", &md);
    assert!(
        md.starts_with("# Healthcare Records Manager · Tue 2026-11-24 19:02\n"),
        "{md}"
    );

    let csv_text = stdout(&env, &["review", "export", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[9], "outcome");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3 + 4 + 4);
    let over = rows
        .iter()
        .find(|r| &r[0] == "3" && &r[6] == "legal-hold-process")
        .unwrap();
    assert_eq!(&over[7], "Retention, legal hold and destruction");
    assert_eq!(
        (&over[10], &over[12], &over[13]),
        ("132.000", "12.000", "true")
    );

    let v = json(&env, &["review", "export", "--format", "json"]);
    assert_eq!(v["sessions"].as_array().unwrap().len(), 3);
    assert_eq!(
        v["sessions"][2]["questions"][1]["result"]["answer_ms"],
        132_000
    );
    assert_eq!(v["unreadable"].as_array().unwrap().len(), 4);

    let file = env.path().join("report.md");
    env.cmd()
        .args(["review", "export", "latest", "-o", file.to_str().unwrap()])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("wrote 1 session to"));
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("| 3 | What drives DNFB")
    );
}

#[test]
fn export_never_writes_into_the_log_folder() {
    let env = with_fixtures();
    let before = folder_contents(&env.log_dir());
    let target = env.log_dir().join(GOOD[0]);
    env.cmd()
        .args(["review", "export", "-o", target.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is in the log folder"));
    assert_eq!(folder_contents(&env.log_dir()), before);
}

#[test]
fn an_empty_or_missing_folder_is_not_an_error() {
    let env = Env::new();
    env.cmd()
        .arg("review")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("No sessions in "))
        .stdout(predicate::str::contains("Take one with 'rehearse run'"));
    env.cmd().args(["review", "stats"]).assert().success();
    let v = json(&env, &["review", "--json"]);
    assert_eq!(v, serde_json::json!({"sessions": [], "unreadable": []}));
}

#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_opened_is_named() {
    let env = with_fixtures();
    std::os::unix::fs::symlink(
        env.path().join("gone.jsonl"),
        env.log_dir()
            .join("2026-11-28_08-00-00_healthcare-records-manager.jsonl"),
    )
    .unwrap();
    let out = stdout(&env, &["review"]);
    assert!(
        out.contains("2026-11-28_08-00-00_healthcare-records-manager.jsonl: cannot open it:"),
        "{out}"
    );
    assert!(out.contains("3 sessions"), "{out}");
}

#[test]
fn a_closed_pipe_ends_the_list_quietly() {
    let env = Env::new();
    std::fs::create_dir_all(env.log_dir()).unwrap();
    let log = std::fs::read_to_string(fixtures().join(GOOD[0])).unwrap();
    // Enough rows to fill the pipe, so writing fails once the reader is gone.
    for i in 0..1500 {
        std::fs::write(env.log_dir().join(format!("{i:04}.jsonl")), &log).unwrap();
    }
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("rehearse"))
        .args(["review", "--log-dir", env.log_dir().to_str().unwrap()])
        .env_clear()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 24];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        String::from_utf8_lossy(&first).contains("#  date"),
        "{first:?}"
    );
    assert!(out.status.success(), "{:?}", out.status);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

fn clock(ms: u64) -> String {
    rehearse::duration::clock(std::time::Duration::from_millis(ms))
}

#[test]
fn json_never_panics_on_names_that_are_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    // The folder's name and a log's name both hold a byte that is not UTF-8.
    let dir = env.path().join(std::ffi::OsStr::from_bytes(b"logs-\xfe"));
    env.cmd()
        .args(["run", "--count", "1", "--time", "1s", "--mute", "--log-dir"])
        .arg(&dir)
        .write_stdin("")
        .assert()
        .success();
    let log = std::fs::read_dir(&dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::copy(
        &log,
        dir.join(std::ffi::OsStr::from_bytes(b"bad-\xff.jsonl")),
    )
    .unwrap();
    for args in [
        &["list", "--json"][..],
        &["stats", "--json"],
        &["show", "1", "--json"],
        &["export", "--format", "json"],
    ] {
        env.cmd()
            .arg("review")
            .args(args)
            .arg("--log-dir")
            .arg(&dir)
            .assert()
            .success()
            .stderr(predicate::str::contains("panicked").not());
    }
}

/// A rated session whose note looks like a spreadsheet formula.
fn rated(env: &Env) {
    let bank = env.write("one.toml", "[[questions]]\nid = \"a\"\ntext = \"A?\"\n");
    env.cmd()
        .args([
            "run",
            bank.to_str().unwrap(),
            "--time",
            "30s",
            "--rate",
            "--mute",
        ])
        .write_stdin("\n4\n=HYPERLINK(\"http://x\")\u{1b}[31m\n")
        .assert()
        .success();
}

#[test]
fn exports_carry_the_review_and_csv_cells_cannot_be_formulas() {
    let env = Env::new();
    rated(&env);
    let csv = env
        .cmd()
        .args(["review", "export", "-f", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    let mut rows = csv.lines();
    // The spoken figures of recorded answers follow the note.
    assert!(
        rows.next().unwrap().contains(",rating,star,note,take,"),
        "{csv}"
    );
    let row = rows.next().unwrap();
    assert!(
        row.ends_with(r#",4,,""'=HYPERLINK(""""http://x"""")[31m""#)
            || row.contains(",4,,\"'=HYPERLINK("),
        "{row}"
    );
    assert!(!csv.contains('\u{1b}'), "{csv:?}");
    let md = env
        .cmd()
        .args(["review", "export", "-f", "md"])
        .output()
        .unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.contains("Your review:"), "{md}");
    assert!(md.contains("rated 4/5"), "{md}");
    assert!(md.contains("note: =HYPERLINK"), "{md}");
    assert!(!md.contains('\u{1b}'), "{md:?}");
}

#[test]
fn export_to_a_file_never_replaces_one_silently_nor_writes_through_a_link() {
    let env = Env::new();
    rated(&env);
    let log = env.logs()[0].clone();
    let before = std::fs::read(&log).unwrap();
    let out = env.path().join("out.md");
    std::fs::write(&out, "mine").unwrap();
    env.cmd()
        .args(["review", "export", "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "exists; pass --force to replace it",
        ));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
    env.cmd()
        .args(["review", "export", "--force", "-o"])
        .arg(&out)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("# "));
    // A symbolic link and a hard link to the log, outside the log folder.
    let soft = env.path().join("soft.md");
    std::os::unix::fs::symlink(&log, &soft).unwrap();
    let hard = env.path().join("hard.md");
    std::fs::hard_link(&log, &hard).unwrap();
    for link in [&soft, &hard] {
        env.cmd()
            .args(["review", "export", "--force", "-o"])
            .arg(link)
            .assert()
            .success();
    }
    assert_eq!(std::fs::read(&log).unwrap(), before, "the log is untouched");
}

#[test]
fn thousands_of_other_files_in_the_log_folder_take_one_line() {
    let env = Env::new();
    env.cmd()
        .args(["run", "--count", "1", "--time", "1s", "--mute"])
        .write_stdin("")
        .assert()
        .success();
    for n in 0..10_000 {
        std::fs::write(env.log_dir().join(format!("photo-{n:05}.jpg")), b"x").unwrap();
    }
    let out = env.cmd().args(["review", "list"]).output().unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(out.lines().count() < 12, "{out}");
    let flat = out.replace("\n    ", " ");
    assert!(
        flat.contains("10000 other files in the folder are not session logs (.jsonl), passed over: photo-00000.jpg, photo-00001.jpg, photo-00002.jpg and 9997 more"),
        "{out}"
    );
}

/// An analysis of a take may come after the session ended (a later command adds it to
/// the log): every view counts it like one written during the session.
#[test]
fn an_analysis_added_after_the_session_ended_shows_in_every_view() {
    let env = Env::new();
    let bank = env.write(
        "two.toml",
        "[[questions]]\nid = \"a\"\ntext = \"A?\"\n[[questions]]\nid = \"b\"\ntext = \"B?\"\n",
    );
    env.cmd()
        .args([
            "run",
            bank.to_str().unwrap(),
            "--all",
            "--time",
            "30s",
            "--mute",
        ])
        .write_stdin("\n\n")
        .assert()
        .success();
    let log = env.logs().pop().unwrap();
    let records = crate::util::records(&log);
    let last = records.last().unwrap();
    assert_eq!(last["event"], "session_ended");
    let t = last["t_ms"].as_u64().unwrap() + 60_000;
    let later = format!(
        r#"{{"at":"2026-12-03T10:00:00.000+00:00","t_ms":{t},"event":"answer_recorded","index":2,"id":"b","take":1,"file":null,"duration_ms":30000,"dropped_ms":0,"first_word_ms":1800,"speech_ms":24000,"longest_pause_ms":3500,"long_pauses":1,"pause_threshold_ms":3000,"level_db":-20.0}}"#
    );
    let mut text = std::fs::read_to_string(&log).unwrap();
    text.push_str(&later);
    text.push('\n');
    std::fs::write(&log, text).unwrap();

    let show = stdout(&env, &["review", "show", "1"]);
    assert!(
        show.contains("recorded: spoke 0:24 of 0:30 · first word after 1.8 s"),
        "{show}"
    );
    let stats = json(&env, &["review", "stats", "--json"]);
    assert_eq!(stats["overview"]["spoken"]["recorded"], 1, "{stats}");
    assert_eq!(stats["overview"]["spoken"]["median_first_word_ms"], 1800);
    let csv = stdout(&env, &["review", "export", "-f", "csv"]);
    let mut rows = ::csv::Reader::from_reader(csv.as_bytes());
    let head = rows.headers().unwrap().clone();
    let col = head.iter().position(|h| h == "first_word_s").unwrap();
    let rows: Vec<::csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!((&rows[0][col], &rows[1][col]), ("", "1.800"), "{csv}");
    let exported = json(&env, &["review", "export", "-f", "json"]);
    assert_eq!(
        exported["sessions"][0]["questions"][1]["takes"][0]["first_word_ms"],
        1800
    );
    let page = env.path().join("report.html");
    env.cmd()
        .args(["review", "report", "-o", page.to_str().unwrap()])
        .assert()
        .success();
    let page = std::fs::read_to_string(page).unwrap();
    assert!(
        page.contains("How you spoke"),
        "the report's spoken section"
    );
    assert!(page.contains("1 answer recorded"), "its figures");
}
