//! Retakes (`r`) and the one-way interview (`--one-way`), on the virtual clock with
//! command lines for keys.

use crate::util::{Env, events, records};

/// The `take` of each `question_ended`, and the `retake` records, of the one log.
fn takes(env: &Env) -> (Vec<u64>, Vec<(u64, u64)>) {
    let log = env.logs().pop().expect("a session log");
    let records = records(&log);
    let ended = events(&records, "question_ended")
        .iter()
        .map(|r| r["take"].as_u64().unwrap())
        .collect();
    let retakes = events(&records, "retake")
        .iter()
        .map(|r| (r["take"].as_u64().unwrap(), r["cut_ms"].as_u64().unwrap()))
        .collect();
    (ended, retakes)
}

#[test]
fn r_starts_the_answer_again_and_every_take_is_logged() {
    let env = Env::new();
    env.cmd()
        .args(["run", "--count", "1", "--time", "1m", "--gap", "0"])
        .write_stdin("r\nretake\n\n")
        .assert()
        .success()
        .stdout(predicates::str::contains("take 2: answer again"))
        .stdout(predicates::str::contains("take 3: answer again"));
    assert_eq!(takes(&env), (vec![3], vec![(2, 0), (3, 0)]));
}

#[test]
fn takes_limits_the_retakes() {
    for (takes_flag, expected) in [("0", 1), ("1", 2)] {
        let env = Env::new();
        env.cmd()
            .args(["run", "--count", "1", "--time", "1m", "--gap", "0"])
            .args(["--takes", takes_flag])
            .write_stdin("r\nr\nr\n\n")
            .assert()
            .success();
        assert_eq!(takes(&env).0, vec![expected], "--takes {takes_flag}");
    }
}

#[test]
fn a_retake_at_the_rating_replaces_the_answer_in_review() {
    let env = Env::new();
    // Answer, then at the rating ask for another take; answer again, rate it 4.
    env.cmd()
        .args([
            "run", "--count", "1", "--time", "1m", "--gap", "0", "--rate",
        ])
        .write_stdin("\nr\n\n4\nbetter\n")
        .assert()
        .success();
    let (ended, retakes) = takes(&env);
    assert_eq!(ended, [1, 2]);
    assert_eq!(retakes, [(2, 0)]);
    let out = env.cmd().args(["review", "show", "1"]).assert().success();
    let show = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(show.contains("better"), "{show}");
    let list = env
        .cmd()
        .args(["review", "list", "--json"])
        .assert()
        .success();
    let list: serde_json::Value = serde_json::from_slice(&list.get_output().stdout).unwrap();
    let counts = &list["sessions"][0]["counts"];
    assert_eq!(counts["answered"], 1, "one question, counted once: {list}");
    assert_eq!(counts["planned"], 1, "{list}");
}

#[test]
fn one_way_thinks_30_seconds_and_coaches_after_the_last_question() {
    let env = Env::new();
    env.cmd()
        .args(["run", "--count", "2", "--one-way", "--dry-run"])
        .assert()
        .success()
        .stdout(predicates::str::contains("0:30 (--one-way)"));
    // Two answers (a line starts each after its thinking time, a line ends it), then the
    // two reviews: a rating and a note each.
    let out = env
        .cmd()
        .args(["run", "--count", "2", "--time", "1m", "--one-way", "--rate"])
        .write_stdin("\n\n\n\n4\nfirst\n5\nsecond\n")
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let log = env.logs().pop().unwrap();
    let records = records(&log);
    let order: Vec<String> = records
        .iter()
        .filter(|r| ["question_ended", "reviewed"].contains(&r["event"].as_str().unwrap()))
        .map(|r| format!("{} {}", r["event"].as_str().unwrap(), r["index"]))
        .collect();
    assert_eq!(
        order,
        [
            "question_ended 1",
            "question_ended 2",
            "reviewed 1",
            "reviewed 2"
        ],
        "{stdout}"
    );
    let notes: Vec<_> = events(&records, "reviewed")
        .iter()
        .map(|r| {
            (
                r["rating"].as_u64().unwrap(),
                r["note"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(notes, [(4, "first".into()), (5, "second".into())]);
    assert!(stdout.contains("[1] review:"), "{stdout}");
    let started = events(&records, "session_started")[0]["settings"].clone();
    assert_eq!(started["one_way"], true);
    assert_eq!(started["retakes"], 1);
}

#[test]
fn one_way_stops_at_the_limit() {
    let env = Env::new();
    // Nothing is pressed: the answer ends at its limit, with no overtime, by itself.
    env.cmd()
        .args([
            "run",
            "--count",
            "1",
            "--time",
            "5s",
            "--one-way",
            "--prep",
            "0",
        ])
        .write_stdin("")
        .assert()
        .success();
    let log = env.logs().pop().unwrap();
    let records = records(&log);
    let ended = events(&records, "question_ended")[0];
    assert_eq!(ended["outcome"], "time_up");
    assert_eq!(ended["answer_ms"], 5000);
    assert_eq!(ended["overtime_ms"], 0);
}

#[test]
fn in_a_terminal_a_retake_starts_a_new_bar_and_one_way_reviews_come_at_the_end() {
    let env = Env::new();
    let bin = assert_cmd::cargo::cargo_bin("rehearse");
    let script = format!(
        "cd {dir} && {clean} {bin} run --count 2 --time 3s --one-way --prep 0 --mute; \
         echo EXIT=$?; sleep 30",
        dir = env.path().display(),
        clean = env.clean_shell_env(),
        bin = bin.display()
    );
    let tmux = crate::util::Tmux::started(env.path(), &script);
    tmux.wait_for("Question 1/2");
    tmux.keys(&["r"]);
    tmux.wait_for("take 2: answer again");
    // The bar before was cleared: a countdown on screen is the new take's.
    tmux.wait_for("left");
    // One retake in a one-way interview: a second `r` does nothing, and each answer stops
    // by itself at its limit.
    tmux.keys(&["r"]);
    let screen = tmux.wait_for("Review · question 1/2");
    assert!(!screen.contains("take 3"), "{screen}");
    assert!(
        screen.contains("Question 2/2"),
        "both were asked first: {screen}"
    );
    assert!(screen.contains("How did it go?"), "{screen}");
    tmux.keys(&["4"]);
    tmux.wait_for("rating 4/5");
    // Enter through what follows (a STAR checklist for a story, the note) to the end.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !tmux.screen().contains("EXIT=0") {
        assert!(
            std::time::Instant::now() < deadline,
            "did not end: {}",
            tmux.screen()
        );
        tmux.keys(&["Enter"]);
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let records_so_far = env.only_log();
    let reviewed: Vec<_> = events(&records_so_far, "reviewed")
        .iter()
        .map(|r| r["index"].as_u64().unwrap())
        .collect();
    assert_eq!(
        reviewed,
        [1, 2],
        "each answer reviewed, after both were asked"
    );
    let records = env.only_log();
    let ended: Vec<_> = events(&records, "question_ended")
        .iter()
        .map(|r| {
            (
                r["outcome"].as_str().unwrap().to_string(),
                r["take"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(ended, [("time_up".into(), 2), ("time_up".into(), 1)]);
}

#[test]
fn without_a_recording_review_show_still_says_an_answer_was_taken_again() {
    let env = Env::new();
    env.cmd()
        .args([
            "run", "--count", "1", "--time", "1m", "--gap", "0", "--rate",
        ])
        .write_stdin("\nr\n\n4\n\n")
        .assert()
        .success();
    let out = env.cmd().args(["review", "show", "1"]).output().unwrap();
    let show = String::from_utf8_lossy(&out.stdout);
    assert!(
        show.contains("take 1: answered for 0:00, not recorded"),
        "{show}"
    );
    assert!(
        show.contains("take 2 (counts): answered for 0:00, not recorded"),
        "{show}"
    );
}

#[test]
fn in_a_terminal_one_way_refuses_pause_and_more_time_with_a_reason() {
    let env = Env::new();
    let bin = assert_cmd::cargo::cargo_bin("rehearse");
    let script = format!(
        "cd {dir} && {clean} {bin} run --count 1 --time 20s --one-way --prep 0 --mute \
         --no-record; echo EXIT=$?; sleep 30",
        dir = env.path().display(),
        clean = env.clean_shell_env(),
        bin = bin.display()
    );
    let tmux = crate::util::Tmux::start(env.path(), &script);
    // The keys line says what a one-way interview does not take.
    let intro = tmux.wait_for("Ready? Press Enter");
    assert!(
        intro.contains("one-way: no pause, no extra time") && !intro.contains("Space pause"),
        "{intro}"
    );
    tmux.keys(&["Enter"]);
    tmux.wait_for(" left");
    tmux.keys(&["Space"]);
    let screen = tmux.wait_for("no pausing in a one-way interview");
    assert!(!screen.contains("paused"), "{screen}");
    tmux.keys(&["+"]);
    tmux.wait_for("no extra time in a one-way interview");
    tmux.keys(&["Enter"]);
    // The review at the end: q ends it.
    tmux.wait_for("How did it go?");
    tmux.keys(&["q"]);
    tmux.wait_for("EXIT=0");
    let records = env.only_log();
    for kind in ["paused", "resumed", "time_adjusted"] {
        assert!(
            events(&records, kind).is_empty(),
            "a {kind} record was written"
        );
    }
    assert_eq!(events(&records, "question_ended")[0]["outcome"], "answered");
}
