//! Coaching after each answer: the talking points, and the candidate's own review.

use predicates::prelude::*;

use crate::util::{Env, events};

const BANK: &str = r#"
[[categories]]
name = "Stories"
star = true

[[questions]]
id = "conflict"
category = "Stories"
text = "Tell me about a conflict."
talking_points = ["The situation", "What you did", "The result"]

[[questions]]
id = "why-us"
text = "Why us?"
talking_points = ["Their mission", "Your fit"]
"#;

#[test]
fn talking_points_follow_each_answer_and_rate_reads_two_lines() {
    let env = Env::new();
    let bank = env.write("coach.toml", BANK);
    env.cmd()
        .args(["run", bank.to_str().unwrap(), "--all", "--time", "30s", "--rate", "--mute"])
        .write_stdin("\n4\nforgot the result\n\n\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("answered in 0:00\na strong answer covers:\n- The situation\n- What you did\n- The result\nrating 4/5\nnote: forgot the result\n"))
        .stdout(predicate::str::contains("- Your fit\nnot rated\n"));
    let records = env.only_log();
    let reviewed = events(&records, "reviewed");
    assert_eq!(reviewed.len(), 2);
    assert_eq!(
        (reviewed[0]["id"].as_str(), reviewed[0]["rating"].as_u64()),
        (Some("conflict"), Some(4))
    );
    assert_eq!(reviewed[0]["note"], "forgot the result");
    assert!(
        reviewed[0].get("star").is_none(),
        "no checklist from a pipe"
    );
    assert_eq!(
        (
            reviewed[1]["rating"].is_null(),
            reviewed[1]["note"].is_null()
        ),
        (true, true)
    );
    // The review comes after the answer it reviews.
    let order: Vec<_> = records
        .iter()
        .map(|r| r["event"].as_str().unwrap())
        .filter(|e| matches!(*e, "question_ended" | "reviewed"))
        .collect();
    assert_eq!(
        order,
        ["question_ended", "reviewed", "question_ended", "reviewed"]
    );
}

#[test]
fn without_a_terminal_the_review_step_is_skipped_unless_asked_for() {
    let env = Env::new();
    let bank = env.write("coach.toml", BANK);
    env.cmd()
        .args([
            "run",
            bank.to_str().unwrap(),
            "--all",
            "--time",
            "1s",
            "--gap",
            "0",
            "--mute",
        ])
        .write_stdin("")
        .assert()
        .success()
        .stdout(predicate::str::contains("a strong answer covers:"))
        .stdout(predicate::str::contains("rating").not());
    assert!(events(&env.only_log(), "reviewed").is_empty());
}

#[test]
fn no_coach_shows_no_talking_points() {
    let env = Env::new();
    let bank = env.write("coach.toml", BANK);
    env.cmd()
        .args([
            "run",
            bank.to_str().unwrap(),
            "--all",
            "--time",
            "1s",
            "--gap",
            "0",
            "--mute",
            "--no-coach",
        ])
        .write_stdin("")
        .assert()
        .success()
        .stdout(predicate::str::contains("strong answer").not());
    env.cmd()
        .args(["run", "--no-coach", "--rate"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}

#[test]
fn a_q_given_as_the_rating_in_a_pipe_is_no_rating() {
    let env = Env::new();
    let bank = env.write("coach.toml", BANK);
    env.cmd()
        .args([
            "run",
            bank.to_str().unwrap(),
            "--all",
            "--time",
            "2s",
            "--rate",
            "--mute",
        ])
        .write_stdin("\nq\n")
        .assert()
        .code(0);
    // "q" is not a rating: it is taken as no rating, and the session goes on to the end
    // when the input closes.
    let records = env.only_log();
    assert_eq!(
        events(&records, "reviewed")[0]["rating"],
        serde_json::Value::Null
    );
}

/// Six questions; one session rates five of them, skipping one.
fn practised(env: &Env) -> std::path::PathBuf {
    let mut bank = String::new();
    for id in ["a", "b", "c", "d", "e", "f"] {
        bank.push_str(&format!("[[questions]]\nid = \"{id}\"\ntext = \"{id}?\"\n"));
    }
    let bank = env.write("drill.toml", &bank);
    // a: rated 1; b: 5; c: skipped, so not asked for a rating; d: 3; e: 5. Each: the
    // key, the rating, the note.
    let lines = "\n1\n\n\n5\n\ns\n\n3\n\n\n5\n\n";
    env.cmd()
        .args([
            "run",
            bank.to_str().unwrap(),
            "--time",
            "30s",
            "--rate",
            "--mute",
        ])
        .args([
            "--question",
            "a",
            "--question",
            "b",
            "--question",
            "c",
            "--question",
            "d",
            "--question",
            "e",
        ])
        .write_stdin(lines)
        .assert()
        .success();
    bank
}

#[test]
fn weakest_picks_by_the_documented_score() {
    let env = Env::new();
    let bank = practised(&env);
    let ratings: Vec<_> = events(&env.only_log(), "reviewed")
        .iter()
        .map(|r| r["rating"].as_u64())
        .collect();
    // The skipped question was not asked for a rating.
    assert_eq!(ratings, [Some(1), Some(5), Some(3), Some(5)]);
    // Your rating weighs most: a, rated 1, = 4.0; c: unrated (2.0) and skipped (1.5) =
    // 3.5; f: never practised = 2.5, before d, rated 3 (2.0), and b and e, rated 5 (0).
    let out = env
        .cmd()
        .args(["run", bank.to_str().unwrap(), "--weakest", "3", "--dry-run"])
        .args(["--seed", "1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // Each row says why it was picked.
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("weakest_dry_run", String::from_utf8(out.stdout).unwrap());
    });
}

#[test]
fn due_follows_the_schedule_and_the_schedule_can_be_rebuilt() {
    let env = Env::new();
    let bank = practised(&env);
    let schedule = env.log_dir().join(".schedule.json");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schedule).unwrap()).unwrap();
    // Everything answered today comes back tomorrow at the earliest.
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Days::new(1)).to_string();
    assert_eq!(saved["cards"]["drill"]["a"]["due"], tomorrow.as_str());
    assert_eq!(saved["cards"]["drill"]["a"]["streak"], 0);
    assert_eq!(saved["cards"]["drill"]["b"]["streak"], 1);
    // Only the question never practised is up today.
    env.cmd()
        .args(["run", bank.to_str().unwrap(), "--due", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains("drill · 1 question"))
        .stdout(predicate::str::contains("1  f "))
        // Due and new are told apart: f was never practised, nothing is due yet.
        .stdout(predicate::str::contains(
            "none due yet; 1 question never practised",
        ));
    std::fs::remove_file(&schedule).unwrap();
    env.cmd()
        .args(["review", "rebuild-schedule"])
        .assert()
        .success()
        .stdout(predicate::str::contains("5 questions scheduled"));
    let rebuilt: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schedule).unwrap()).unwrap();
    assert_eq!(rebuilt, saved);
    // Review shows the ratings and when each question is due.
    env.cmd()
        .args(["review", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains("rated 1/5 ★☆☆☆☆"));
    let tomorrow_short = (chrono::Local::now().date_naive() + chrono::Days::new(1))
        .format("%b %-d")
        .to_string();
    env.cmd()
        .args(["review", "stats"])
        .assert()
        .success()
        .stdout(predicate::str::contains(tomorrow_short));
}

#[test]
fn due_with_no_history_says_none_are_due_and_how_many_are_new_and_writes_nothing() {
    let env = Env::new();
    env.cmd()
        .args(["run", "--due", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "none due yet; 8 questions never practised, in bank order",
        ));
    assert!(!env.log_dir().exists(), "a dry run writes nothing");
}

#[test]
fn a_bank_name_can_be_its_unique_start_and_a_count_too_big_says_so() {
    let env = Env::new();
    env.cmd()
        .args(["run", "health", "--dry-run", "-n", "1"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("Healthcare Records Manager"));
    env.cmd()
        .args([
            "run",
            "behavioral",
            "--category",
            "Conflict",
            "-n",
            "50",
            "--dry-run",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "50 questions asked for, but only 4 to choose from: asking all of them",
        ));
}

#[test]
fn the_end_recaps_each_question_the_mean_rating_and_where_to_see_it_all() {
    let env = Env::new();
    let bank = env.write("coach.toml", BANK);
    let out = env
        .cmd()
        .args([
            "run",
            bank.to_str().unwrap(),
            "--all",
            "--time",
            "30s",
            "--rate",
            "--mute",
        ])
        .write_stdin("\n4\n\n\n2\n\n")
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    let tail: Vec<&str> = out.lines().rev().take(7).collect();
    assert_eq!(tail[0], "In full: rehearse review show 1", "{out}");
    assert!(
        tail[1].ends_with(".jsonl") && !tail[1].contains(' '),
        "{out}"
    );
    assert_eq!(tail[2], "Saved to:");
    assert_eq!(tail[3], "Your ratings: 3.0 of 5 on average (2 rated).");
    assert_eq!(tail[4], "  2. why-us: answered in 0:00");
    assert_eq!(tail[5], "  1. conflict: answered in 0:00");
}
