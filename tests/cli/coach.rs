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
fn quitting_at_the_rating_prompt_ends_the_session() {
    let env = Env::new();
    let bank = env.write("coach.toml", BANK);
    env.cmd()
        .args([
            "run",
            bank.to_str().unwrap(),
            "--all",
            "--time",
            "30s",
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
