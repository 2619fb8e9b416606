//! `rehearse run` end to end, without a terminal: scripted runs, piped commands, bad
//! banks and log folders.

use predicates::prelude::*;

use crate::util::{Env, events};

#[test]
fn a_scripted_run_completes_and_logs_every_question() {
    let env = Env::new();
    let begun = std::time::Instant::now();
    // On the real clock: this one proves that time really passes.
    env.real_clock_cmd()
        .args(["run", "--count", "3", "--time", "1s", "--gap", "0"])
        .write_stdin("")
        .assert()
        .success()
        .stdout(predicate::str::contains("[1] "))
        .stdout(predicate::str::contains("[3] "))
        .stdout(predicate::str::contains("time up"))
        .stdout(predicate::str::contains("Interview complete"));

    let took = begun.elapsed().as_secs_f64();
    assert!(
        (2.9..8.0).contains(&took),
        "three 1 s questions took {took} s"
    );
    let records = env.only_log();
    let started = &records[0];
    assert_eq!(started["event"], "session_started");
    assert_eq!(started["schema"], 1);
    assert_eq!(started["bank_key"], "healthcare-records-manager");
    assert_eq!(started["plan"].as_array().unwrap().len(), 3);
    assert!(started["seed"].is_u64());

    let ended = events(&records, "question_ended");
    assert_eq!(ended.len(), 3);
    for e in &ended {
        assert_eq!(e["outcome"], "time_up");
        let answer = e["answer_ms"].as_i64().unwrap();
        assert!((answer - 1000).abs() <= 150, "answer_ms {answer}");
    }
    // The engine's clock says each answer took its limit (the whole run's wall time,
    // measured above, says the same from outside), and `at` is the same moment as `t_ms`.
    let wall = |r: &serde_json::Value| {
        chrono::DateTime::parse_from_rfc3339(r["at"].as_str().unwrap()).unwrap()
    };
    let starts = events(&records, "question_started");
    let ups = events(&records, "time_up");
    for (start, up) in starts.iter().zip(&ups) {
        let t = up["t_ms"].as_i64().unwrap() - start["t_ms"].as_i64().unwrap();
        assert_eq!(t, 1000);
        assert_eq!((wall(up) - wall(start)).num_milliseconds(), t);
    }
    let last = records.last().unwrap();
    assert_eq!(last["event"], "session_ended");
    assert_eq!(last["outcome"], "completed");
    assert_eq!(last["time_up"], 3);
    for r in &records {
        assert!(chrono::DateTime::parse_from_rfc3339(r["at"].as_str().unwrap()).is_ok());
        assert!(r["t_ms"].is_u64());
    }
}

#[test]
fn piped_commands_skip_and_quit() {
    let env = Env::new();
    env.cmd()
        .args(["run", "--count", "3", "--time", "30s"])
        .write_stdin("s\nq\n")
        .assert()
        .code(130)
        .stdout(predicate::str::contains("skipped after"))
        .stdout(predicate::str::contains("Session ended early"));
    let records = env.only_log();
    let outcomes: Vec<_> = events(&records, "question_ended")
        .iter()
        .map(|e| e["outcome"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(outcomes, ["skipped", "unfinished"]);
    let last = records.last().unwrap();
    assert_eq!(
        (last["event"].as_str(), last["outcome"].as_str()),
        (Some("session_ended"), Some("aborted"))
    );
}

#[test]
fn next_and_pause_lines_are_obeyed() {
    let env = Env::new();
    // Answer the first at once, pause and resume the second, then let input end: the
    // rest runs hands-free.
    env.cmd()
        .args(["run", "--count", "2", "--time", "1s", "--gap", "0"])
        .write_stdin("n\np\np\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("answered in 0:00"))
        .stdout(predicate::str::contains("paused"));
    let records = env.only_log();
    assert_eq!(events(&records, "paused").len(), 1);
    assert_eq!(events(&records, "resumed").len(), 1);
    let ended = events(&records, "question_ended");
    assert_eq!(ended[0]["outcome"], "answered");
    assert_eq!(ended[1]["outcome"], "time_up");
}

#[test]
fn the_same_seed_asks_the_same_questions() {
    let env = Env::new();
    let plan_of = |env: &Env| {
        env.cmd()
            .args(["run", "--seed", "42", "--count", "4"])
            .write_stdin("q\n")
            .assert()
            .code(130);
        let log = env.logs().pop().unwrap();
        let records = crate::util::records(&log);
        std::fs::remove_file(log).unwrap();
        assert_eq!(records[0]["seed"], 42);
        records[0]["plan"].clone()
    };
    let first = plan_of(&env);
    assert_eq!(first, plan_of(&env));
    let categories: std::collections::HashSet<_> = first
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["category"].to_string())
        .collect();
    assert_eq!(categories.len(), 4, "spread over the categories: {first}");
}

#[test]
fn all_asks_every_question_in_bank_order() {
    let env = Env::new();
    let bank = env.write(
        "mine.toml",
        "name = \"Mine\"\n[[questions]]\nid = \"b\"\ntext = \"Bee?\"\n[[questions]]\nid = \"a\"\ntext = \"Ay?\"\n",
    );
    env.cmd()
        .args([
            "run",
            bank.to_str().unwrap(),
            "--all",
            "--time",
            "1s",
            "--gap",
            "0",
        ])
        .write_stdin("")
        .assert()
        .success()
        .stdout(predicate::str::contains("Mine: 2 questions"))
        .stdout(
            predicate::str::is_match(
                r"(?s)\[1\] General \(0:01\): Bee\?.*\[2\] General \(0:01\): Ay\?",
            )
            .unwrap(),
        );
}

#[test]
fn a_malformed_bank_names_file_and_line_and_exits_2() {
    let env = Env::new();
    let bank = env.write(
        "bad.toml",
        "[[questions]]\nid = \"a\"\ntext = \"Q?\"\ntime_limit = \"2x\"\n",
    );
    env.cmd()
        .args(["run", bank.to_str().unwrap()])
        .write_stdin("")
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(
            predicate::str::is_match(
                r"^rehearse: .*bad\.toml:4:14: .*expected a duration like 90s, 2m, 1m30s or 1:30\n$",
            )
            .unwrap(),
        );
    assert!(env.logs().is_empty());
}

#[test]
fn a_missing_bank_file_says_so_once() {
    let env = Env::new();
    env.cmd()
        .args(["run", "missing.toml"])
        .assert()
        .code(2)
        .stderr("rehearse: missing.toml: No such file or directory (os error 2)\n");
}

#[test]
fn an_unknown_bank_lists_the_known_ones() {
    let env = Env::new();
    env.cmd()
        .args(["run", "nurses"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no bank named \"nurses\""))
        .stderr(predicate::str::contains(
            "behavioral, healthcare-records-manager",
        ));
}

#[test]
fn a_misspelt_bank_gets_the_one_it_is_close_to() {
    let env = Env::new();
    env.cmd()
        .args(["run", "behavorial"])
        .assert()
        .code(2)
        .stderr("rehearse: no bank named \"behavorial\"; did you mean `behavioral`?\n");
}

#[test]
fn a_log_folder_that_cannot_be_made_is_refused_before_any_question() {
    let env = Env::new();
    let blocker = env.write("not-a-folder", "");
    env.cmd()
        .args(["run", "--time", "1s", "--log-dir"])
        .arg(blocker.join("sessions"))
        .write_stdin("")
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("cannot create the log folder"))
        .stderr(predicate::str::contains("not-a-folder"));
}

#[test]
fn log_dir_and_env_choose_the_folder_and_no_log_writes_nothing() {
    let env = Env::new();
    let custom = env.path().join("custom");
    env.cmd()
        .args(["run", "--count", "1", "--time", "1s", "--log-dir"])
        .arg(&custom)
        .write_stdin("")
        .assert()
        .success()
        .stdout(predicate::str::contains(custom.to_str().unwrap()));
    assert_eq!(
        std::fs::read_dir(&custom)
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "jsonl"))
            .count(),
        1
    );

    let from_env = env.path().join("from-env");
    env.cmd()
        .env("REHEARSE_LOG_DIR", &from_env)
        .args(["run", "--count", "1", "--time", "1s"])
        .write_stdin("")
        .assert()
        .success();
    assert_eq!(
        std::fs::read_dir(&from_env)
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "jsonl"))
            .count(),
        1
    );

    env.cmd()
        .args(["run", "--count", "1", "--time", "1s", "--no-log"])
        .write_stdin("")
        .assert()
        .success()
        .stdout(predicate::str::contains("Not saved"));
    assert!(env.logs().is_empty());
}

#[test]
fn bad_flags_are_usage_errors() {
    let env = Env::new();
    for args in [
        &["run", "--time", "2x"][..],
        &["run", "--time", "0"],
        &["run", "--count", "0"],
        &["run", "--count", "many"],
        &["run", "--all", "--count", "3"],
        &["run", "--gap", "soon"],
        &["run", "--volume", "101"],
        &["run", "--ticks", "99"],
        &["run", "--seed", "-1"],
        &["sounds", "play", "bell"],
        &["run", "--no-such-flag"],
    ] {
        env.cmd()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("error:"));
    }
    env.cmd()
        .args(["run", "--time", "2x"])
        .assert()
        .stderr(predicate::str::contains(
            "expected a duration like 90s, 2m, 1m30s or 1:30",
        ));
}

#[test]
fn help_teaches_and_version_answers() {
    let env = Env::new();
    env.cmd()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"))
        .stdout(predicate::str::contains("rehearse run"));
    env.cmd()
        .args(["run", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Keys during a session"))
        .stdout(predicate::str::contains("--time 1s --gap 0 </dev/null"));
    env.cmd()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("rehearse "));
}

#[test]
fn a_user_bank_overrides_the_built_in_one() {
    let env = Env::new();
    let banks = env.data_dir().join("banks");
    std::fs::create_dir_all(&banks).unwrap();
    std::fs::write(
        banks.join("behavioral.toml"),
        "name = \"My behavioral\"\n[[questions]]\nid = \"x\"\ntext = \"Mine?\"\n",
    )
    .unwrap();
    env.cmd()
        .args(["run", "behavioral", "--time", "1s"])
        .write_stdin("")
        .assert()
        .success()
        .stdout(predicate::str::contains("My behavioral: 1 question,"));
}

#[test]
fn escape_sequences_in_a_bank_never_reach_the_screen() {
    let env = Env::new();
    let bank = env.write(
        "evil.toml",
        "[[questions]]\nid = \"x\"\ncategory = \"\\u001b[2J\"\ntext = \"\\u001b]0;pwned\\u0007Why?\\u001b[8m\"\n",
    );
    let out = env
        .cmd()
        .args(["run", bank.to_str().unwrap(), "--time", "1s"])
        .write_stdin("")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(out.contains("Why?"));
}

#[test]
fn json_events_stream_every_moment_on_stdout_and_the_screen_on_stderr() {
    let env = Env::new();
    let out = env
        .cmd()
        .args([
            "run",
            "--count",
            "2",
            "--time",
            "40s",
            "--gap",
            "0",
            "--mute",
            "--json-events",
        ])
        .write_stdin("")
        .assert()
        .success()
        .stderr(predicate::str::contains("Interview complete"))
        .get_output()
        .stdout
        .clone();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    let names: Vec<&str> = lines.iter().map(|l| l["event"].as_str().unwrap()).collect();
    assert_eq!(names.first(), Some(&"question_started"));
    assert_eq!(names.last(), Some(&"session_ended"));
    assert_eq!(names.iter().filter(|n| **n == "warning").count(), 2);
    assert_eq!(names.iter().filter(|n| **n == "tick").count(), 10);
    let warning = lines.iter().find(|l| l["event"] == "warning").unwrap();
    assert_eq!(warning["t_ms"], 30_000);
    assert_eq!(lines.last().unwrap()["t_ms"], 80_000);
    // The same records reach the log.
    let logged = events(&env.only_log(), "question_ended").len();
    assert_eq!(
        names.iter().filter(|n| **n == "question_ended").count(),
        logged
    );
}

#[test]
fn hands_free_answers_run_their_full_length_and_are_not_over_time() {
    let env = Env::new();
    env.cmd()
        .args([
            "run", "--auto", "--time", "5s", "--gap", "2s", "--count", "3", "--mute",
        ])
        .write_stdin("")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Interview complete: 3 answered of 3 (3 ended by the clock);",
        ));
    let records = env.only_log();
    assert_eq!(records.last().unwrap()["over_time"], 0);
    env.cmd()
        .args(["review", "stats", "--json"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("\"over_rate\"")
                .not()
                .or(predicate::str::contains("\"over_rate\": 0.0")),
        );
    let list = env.cmd().args(["review", "list"]).output().unwrap();
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(!list.contains("over 3"), "{list}");
}

#[test]
fn a_late_minus_never_turns_an_answer_into_an_overrun() {
    let env = Env::new();
    // 30 s, then `-` at once: 0:30 becomes 0:05 (no less than the time spent + 5 s).
    env.cmd()
        .args([
            "run",
            "--count",
            "1",
            "--time",
            "30s",
            "--mute",
            "--no-coach",
        ])
        .write_stdin("-\n-\n")
        .assert()
        .success();
    let records = env.only_log();
    let adjusted = events(&records, "time_adjusted");
    assert_eq!(adjusted.len(), 1, "the second `-` changes nothing");
    assert_eq!(adjusted[0]["limit_ms"], 5000);
    let ended = events(&records, "question_ended");
    assert_eq!(ended[0]["overtime_ms"], 0);
}

#[test]
fn bank_text_in_an_error_cannot_drive_the_terminal() {
    let env = Env::new();
    let bank = env.write(
        "evil.json",
        r#"{"questions":[{"id":"a","text":"A?","category":"bad\u001b]0;HACKED\u0007\u001b[2J"}]}"#,
    );
    let out = env
        .cmd()
        .args([
            "run",
            bank.to_str().unwrap(),
            "--category",
            "nope",
            "--dry-run",
        ])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("categories: bad"), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
}

#[test]
fn follow_ups_are_labelled_as_following_their_question() {
    let env = Env::new();
    let bank = env.write(
        "f.toml",
        "[[questions]]\nid = \"a\"\ntext = \"A?\"\nfollow_ups = [\"And then?\"]\n",
    );
    env.cmd()
        .args([
            "run",
            bank.to_str().unwrap(),
            "--follow-ups",
            "--time",
            "1s",
            "--mute",
        ])
        .write_stdin("")
        .assert()
        .success()
        .stdout(predicate::str::contains("[1] General (0:01): A?"))
        .stdout(predicate::str::contains(
            "[2] follow-up to [1] (0:01): And then?",
        ));
}
