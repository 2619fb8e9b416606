//! Customizing time limits: the plan (`--dry-run`), the config file, and a real run with
//! per-question limits and thinking time.

use predicates::prelude::*;

use crate::util::{Env, events};

const BANK: &str = r#"name = "Panel"
time_limit = "2m"

[[categories]]
name = "Rules"
time_limit = "3m"
prep = "15s"

[[questions]]
id = "hipaa"
category = "Rules"
text = "Explain HIPAA."
time_limit = "2m30s"

[[questions]]
id = "about-you"
category = "Intro"
text = "Tell me about yourself."
min = "45s"

[[questions]]
id = "retention"
category = "Rules"
text = "How long do you keep records?"
warn_at = "45s"
"#;

#[test]
fn dry_run_shows_every_time_and_where_it_came_from() {
    let env = Env::new();
    let bank = env.write("panel.toml", BANK);
    env.cmd()
        .args([
            "run",
            bank.to_str().unwrap(),
            "--all",
            "--dry-run",
            "--seed",
            "7",
            "--limit",
            "about-you=90s",
        ])
        .assert()
        .success()
        .stdout(
            "Panel · 3 questions · up to 7:30 in all (7:00 answering, 0:30 thinking)\n\
             #  question   think            answer                    warning\n\
             1  hipaa      0:15 (category)  2:30 (question)           0:30 left (default)\n\
             2  about-you  -                1:30 (--limit), min 0:45  0:22 left (default)\n\
             3  retention  0:15 (category)  3:00 (category)           0:45 left (question)\n\
             seed 7: `--seed 7` asks these questions again\n",
        );
    assert!(env.logs().is_empty(), "a dry run writes no log");
}

#[test]
fn flags_and_scale_in_the_plan() {
    let env = Env::new();
    let bank = env.write("panel.toml", BANK);
    env.cmd()
        .args(["run", bank.to_str().unwrap(), "--all", "--dry-run", "--time", "1m", "--prep", "10s"])
        .args(["--warn-at", "20s", "--time-scale", "0.5"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Panel · 3 questions · up to 1:45 in all (1:30 answering, 0:15 thinking) · every time ×0.5"))
        .stdout(predicate::str::contains("1  hipaa      0:05 (--prep)  0:30 (--time)            0:10 left (--warn-at)"));
}

#[test]
fn the_config_file_sets_defaults_that_flags_beat() {
    let env = Env::new();
    let config = env.write(
        "config.toml",
        "default_bank = \"behavioral\"\ncount = 2\ntime_limit = \"45s\"\nprep = \"5s\"\ntime_scale = 2\n",
    );
    env.cmd()
        .env("REHEARSE_CONFIG", &config)
        .args(["run", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("Behavioral · 2 questions"))
        .stdout(predicate::str::contains("every time ×2"))
        .stdout(predicate::str::contains("0:10 (config)"));
    env.cmd()
        .env("REHEARSE_CONFIG", &config)
        .args([
            "run",
            "--dry-run",
            "-n",
            "3",
            "--time-scale",
            "1",
            "healthcare-records-manager",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Healthcare Records Manager · 3 questions",
        ))
        .stdout(predicate::str::contains("0:05 (config)"));
}

#[test]
fn config_show_init_and_path() {
    let env = Env::new();
    let path = env.path().join("conf/rehearse.toml");
    env.cmd()
        .env("REHEARSE_CONFIG", &path)
        .args(["config", "path"])
        .assert()
        .success()
        .stdout(format!("{}\n", path.display()));
    env.cmd()
        .env("REHEARSE_CONFIG", &path)
        .args(["config", "init"])
        .assert()
        .success()
        .stdout(predicate::str::contains("wrote"));
    env.cmd()
        .env("REHEARSE_CONFIG", &path)
        .args(["config", "init"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    std::fs::write(&path, "count = 3\n\ngap = \"0\"\nvolume = 40\n").unwrap();
    let log_dir = env.path().join("logs");
    env.cmd()
        .env("REHEARSE_CONFIG", &path)
        .env("REHEARSE_LOG_DIR", &log_dir)
        .args(["config", "show"])
        .assert()
        .success()
        .stdout(expected_show(&path, &log_dir, &env.data_dir()));
}

/// What `config show` prints for the config file of `config_show_init_and_path`: every
/// key, its value and where it came from, in columns.
fn expected_show(
    config: &std::path::Path,
    logs: &std::path::Path,
    data: &std::path::Path,
) -> String {
    let model = data.join("models/moonshine-base-en").display().to_string();
    let logs = logs.display().to_string();
    let rows = [
        ("default_bank", "healthcare-records-manager", "default"),
        ("count", "3", "config file, line 1"),
        ("time_limit", "the bank's, else 2:00", "default"),
        ("prep", "the bank's, else none", "default"),
        (
            "warn_at",
            "the bank's, else 0:30 or a quarter of the limit",
            "default",
        ),
        ("time_scale", "1", "default"),
        ("auto", "false", "default"),
        ("gap", "0:00", "config file, line 3"),
        ("log_dir", &logs, "environment, REHEARSE_LOG_DIR"),
        ("sounds_dir", "(built-in sounds)", "default"),
        ("volume", "40", "config file, line 4"),
        ("mute", "false", "default"),
        ("ticks", "5", "default"),
        ("record", "false", "default"),
        ("transcribe", "false", "default"),
        ("input_device", "(the system's)", "default"),
        ("pause_threshold", "3s", "default"),
        ("speak", "false", "default"),
        ("voice", "(espeak-ng's own)", "default"),
        ("speech_rate", "(espeak-ng's own)", "default"),
        ("voice_command", "(none: espeak-ng)", "default"),
        ("model", &model, "default"),
        ("transcribe_command", "(none: the model)", "default"),
        ("color", "auto (on a terminal)", "default"),
    ];
    let width = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    let mut out = format!("config file: {}\n", config.display());
    for (key, value, origin) in rows {
        out.push_str(&format!("{key:<18}  {value:<width$}  {origin}\n"));
    }
    out
}

#[test]
fn a_bad_config_line_is_reported_with_its_place() {
    let env = Env::new();
    let config = env.write("config.toml", "count = 3\ntime_limt = \"2m\"\n");
    env.cmd()
        .env("REHEARSE_CONFIG", &config)
        .args(["run", "--dry-run"])
        .assert()
        .code(2)
        .stderr(predicate::str::is_match(r"^rehearse: .*config\.toml:2:1: unknown key `time_limt`; did you mean `time_limit`\?\n$").unwrap());
    let config = env.write("config.toml", "time_scale = 10\n");
    env.cmd()
        .env("REHEARSE_CONFIG", &config)
        .args(["config", "show"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "config.toml:1:14: time_scale: 10 is out of range",
        ));
}

#[test]
fn bad_time_flags_name_the_flag() {
    let env = Env::new();
    for (args, message) in [
        (&["run", "--limit", "hipaa"][..], "expected ID=DURATION"),
        (&["run", "--limit", "x=2x"], "expected a duration"),
        (&["run", "--prep", "soon"], "expected a duration"),
        (&["run", "--warn-at", "0"], "more than zero"),
        (&["run", "--time-scale", "10"], "from 0.25 to 4"),
    ] {
        env.cmd()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(args[1]))
            .stderr(predicate::str::contains(message));
    }
    env.cmd()
        .args(["run", "--limit", "nope=1m", "--dry-run"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no question \"nope\"; the closest of its 76: ",
        ));
}

#[test]
fn a_run_logs_the_resolved_limits_and_thinking_times() {
    let env = Env::new();
    let bank = env.write(
        "two.toml",
        "[[questions]]\nid = \"a\"\ntext = \"A?\"\n[[questions]]\nid = \"b\"\ntext = \"B?\"\nmin = \"5s\"\n",
    );
    // Hands-free: each question thinks for 1 s, then runs out its answer time.
    env.cmd()
        .args([
            "run",
            bank.to_str().unwrap(),
            "--all",
            "--time",
            "1s",
            "--limit",
            "a=2s",
            "--prep",
            "1s",
        ])
        .args(["--gap", "0", "--auto", "--mute"])
        .write_stdin("")
        .assert()
        .success();
    let records = env.only_log();
    let plan = records[0]["plan"].as_array().unwrap();
    let times: Vec<_> = plan
        .iter()
        .map(|q| {
            (
                q["id"].as_str().unwrap(),
                q["limit_ms"].as_u64().unwrap(),
                q["limit_source"].as_str().unwrap(),
                q["prep_ms"].as_u64().unwrap(),
                q["prep_source"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        times,
        [
            ("a", 2000, "flag_limit", 1000, "flag_prep"),
            ("b", 1000, "flag_time", 1000, "flag_prep")
        ]
    );
    assert_eq!(plan[1]["min_ms"], 5000);
    assert_eq!(records[0]["settings"]["time_scale"], 1.0);
    let ended = events(&records, "question_ended");
    for (e, limit) in ended.iter().zip([2000, 1000]) {
        assert_eq!(
            (e["prep_ms"].as_u64(), e["answer_ms"].as_u64()),
            (Some(1000), Some(limit))
        );
    }
    // Thinking time by the engine's clock.
    let started = events(&records, "question_started");
    let answering = events(&records, "answer_started");
    assert_eq!(answering.len(), 2);
    for (s, a) in started.iter().zip(&answering) {
        assert_eq!(
            a["t_ms"].as_u64().unwrap() - s["t_ms"].as_u64().unwrap(),
            1000
        );
    }
    // And in all: 1 s + 2 s, then 1 s + 1 s, to the millisecond on the virtual clock.
    assert_eq!(records.last().unwrap()["total_ms"], 5000);
}

#[test]
fn enter_starts_early_plus_adds_time_and_short_answers_are_flagged() {
    let env = Env::new();
    let bank = env.write(
        "one.toml",
        "[[questions]]\nid = \"b\"\ntext = \"B?\"\nmin = \"5s\"\nprep = \"20s\"\n",
    );
    env.cmd()
        .args(["run", bank.to_str().unwrap(), "--time", "30s", "--mute"])
        .write_stdin("\n+\n-\n-\n\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("think for 0:20"))
        .stdout(predicate::str::contains("limit now 1:00"));
    let records = env.only_log();
    let adjusted: Vec<_> = events(&records, "time_adjusted")
        .iter()
        .map(|r| r["limit_ms"].as_u64().unwrap())
        .collect();
    // The last `-` stops at the time spent plus 5 s, never below.
    assert_eq!(adjusted, [60_000, 30_000, 5_000]);
    let ended = events(&records, "question_ended");
    assert_eq!(ended[0]["short"], true);
    assert!(
        ended[0]["prep_ms"].as_u64().unwrap() < 2000,
        "Enter ended the thinking time early"
    );
}

#[test]
fn banks_show_prints_the_plan_of_a_whole_bank() {
    let env = Env::new();
    let bank = env.write("panel.toml", BANK);
    env.cmd()
        .args(["banks", "show", bank.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Panel · 3 questions · up to 8:00 in all (7:30 answering, 0:30 thinking)\n",
        ))
        .stdout(predicate::str::contains(
            "2  about-you  -                2:00 (bank), min 0:45",
        ))
        .stdout(predicate::str::ends_with(format!(
            "from {}\n",
            bank.display()
        )));
    env.cmd()
        .args(["banks", "show", "behavioral"])
        .assert()
        .success()
        .stdout(predicate::str::contains("tell-me-about-yourself"))
        .stdout(predicate::str::contains("1:30 (question)"))
        .stdout(predicate::str::ends_with(
            "from built-in, reviewed 2026-12\n",
        ));
}

/// An "editor" that runs a sed script on the file it is given.
fn editor(env: &Env, sed: &str) -> String {
    let script = env.write("editor.sh", &format!("#!/bin/sh\nsed -i '{sed}' \"$1\"\n"));
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    script.display().to_string()
}

#[test]
fn banks_edit_copies_a_built_in_bank_and_checks_the_edit() {
    let env = Env::new();
    env.cmd()
        .env(
            "EDITOR",
            editor(&env, r#"s/^time_limit = "2m"$/time_limit = "3m"/"#),
        )
        .args(["banks", "edit", "behavioral"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "copied the built-in behavioral bank to",
        ))
        .stdout(predicate::str::ends_with("behavioral.toml: ok\n"));
    let copy = env.data_dir().join("banks/behavioral.toml");
    assert!(
        std::fs::read_to_string(&copy)
            .unwrap()
            .contains("time_limit = \"3m\"")
    );
    // The copy now replaces the built-in bank.
    env.cmd()
        .args(["run", "behavioral", "--dry-run", "--all"])
        .assert()
        .success()
        .stdout(predicate::str::contains("3:00 (bank)"));

    // A bad edit is reported with its place and kept, never dropped.
    env.cmd()
        .env(
            "VISUAL",
            editor(&env, r#"s/^time_limit = "3m"$/time_limit = "3 parsecs"/"#),
        )
        .args(["banks", "edit", "behavioral"])
        .assert()
        .code(2)
        .stderr(predicate::str::is_match(r"behavioral\.toml:3:14: .*expected a duration").unwrap())
        .stderr(predicate::str::contains("kept as it is"));
    assert!(
        std::fs::read_to_string(&copy)
            .unwrap()
            .contains("3 parsecs")
    );
}

#[test]
fn the_config_time_limit_reaches_the_built_in_banks_but_not_a_bank_file_that_sets_its_own() {
    let env = Env::new();
    let config = env.write("config.toml", "time_limit = \"1:30\"\n");
    // The built-in bank's own 2:00 gives way; its STAR category's 2:30 does not.
    let out = env
        .cmd()
        .env("REHEARSE_CONFIG", &config)
        .args(["run", "--dry-run", "--all"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(out.contains("1:30 (config)"), "{out}");
    assert!(out.contains("2:30 (category)"), "{out}");
    assert!(!out.contains("2:00 (bank)"), "{out}");
    // A bank file with its own time_limit keeps it, and --dry-run says where it came from.
    let bank = env.write(
        "mine.toml",
        "time_limit = \"3m\"\n[[questions]]\nid = \"a\"\ntext = \"A?\"\n",
    );
    env.cmd()
        .env("REHEARSE_CONFIG", &config)
        .args(["run", bank.to_str().unwrap(), "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains("3:00 (bank)"));
    env.cmd()
        .env("REHEARSE_CONFIG", &config)
        .args(["config", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "config file, line 1; your own bank files' time_limit comes first",
        ));
}

#[test]
fn prep_0_turns_thinking_time_off_for_one_run() {
    let env = Env::new();
    let bank = env.write(
        "think.toml",
        "prep = \"20s\"\n[[questions]]\nid = \"a\"\ntext = \"A?\"\n",
    );
    env.cmd()
        .args(["run", bank.to_str().unwrap(), "--prep", "0", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains("off (--prep)"));
}

#[test]
fn a_wrong_id_gets_a_short_list_not_every_id_of_the_bank() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["run", "--question", "breach-notification", "--dry-run"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("did you mean \"breach-notification-timelines\"?"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    // Five ids, not the bank's 76.
    let listed = err.split("the closest of its 76: ").nth(1).unwrap();
    assert_eq!(
        listed.split(" (").next().unwrap().split(", ").count(),
        5,
        "{err}"
    );
}
