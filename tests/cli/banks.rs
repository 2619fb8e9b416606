//! Banks from anywhere, end to end: `rehearse banks` (list, import, check), `rehearse run`
//! on question lists, the selection flags, and untrusted text kept off the terminal.

use std::path::PathBuf;

use predicates::prelude::*;
use serde_json::Value;

use crate::util::{Env, events};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cli/fixtures/import/");

/// Copies a fixture into the test's folder, so messages name it without a long path.
fn fixture(env: &Env, name: &str) -> PathBuf {
    let to = env.path().join(name);
    std::fs::copy(PathBuf::from(FIXTURES).join(name), &to).expect("copy a fixture");
    to
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// The plan of the only session: (id, category, text) of each question.
fn plan(env: &Env) -> Vec<(String, String, String)> {
    let records = env.only_log();
    assert_eq!(records[0]["event"], "session_started");
    records[0]["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let s = |k: &str| q[k].as_str().unwrap().to_string();
            (s("id"), s("category"), s("text"))
        })
        .collect()
}

fn plan_ids(env: &Env) -> Vec<String> {
    plan(env).into_iter().map(|(id, _, _)| id).collect()
}

/// Starts a session and quits at once: enough to read the plan from the log.
fn run_and_quit(env: &Env, args: &[&str]) {
    env.cmd()
        .arg("run")
        .args(args)
        .write_stdin("q\n")
        .assert()
        .code(130);
}

#[test]
fn run_takes_question_lists_directly() {
    let cases = [
        (
            "quirks.md",
            9,
            "imported 9 questions (2 follow-ups) in 4 categories from quirks.md; skipped: \
             front matter, 1 HTML block, 1 JSX tag, 1 MDX import line, 1 code block, 1 table, \
             4 images, 1 link line, 3 paragraphs of text\n",
        ),
        (
            "listed.txt",
            5,
            "imported 5 questions (2 follow-ups) in 2 categories from listed.txt; skipped: \
             1 title line\n  line 1: the bank's name, not a question: \"Data analyst interview\"\n",
        ),
        (
            "cards.csv",
            3,
            "imported 3 questions in 2 categories from cards.csv; skipped: 1 row without a \
             question\n",
        ),
        (
            "cards.tsv",
            2,
            "imported 2 questions in 1 category from cards.tsv; skipped: 2 comment lines\n",
        ),
    ];
    for (name, count, report) in cases {
        let env = Env::new();
        fixture(&env, name);
        env.cmd()
            .args(["run", name, "--all", "--mute"])
            .write_stdin("q\n")
            .assert()
            .code(130)
            // The summary, then a line for each thing left out (tested on their own).
            .stderr(predicate::str::starts_with(report));
        assert_eq!(plan(&env).len(), count, "{name}");
        let started = &env.only_log()[0];
        assert_eq!(started["bank_key"], name.split('.').next().unwrap());
        assert!(started["bank_source"].as_str().unwrap().ends_with(name));
    }
}

#[test]
fn a_scripted_run_of_a_list_completes() {
    let env = Env::new();
    fixture(&env, "pairs.txt");
    env.cmd()
        .args([
            "run",
            "pairs.txt",
            "--count",
            "2",
            "--time",
            "1s",
            "--gap",
            "0",
        ])
        .write_stdin("")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Nursing interview practice: 2 questions",
        ))
        .stdout(predicate::str::contains("Interview complete"));
    assert_eq!(events(&env.only_log(), "question_ended").len(), 2);
}

#[test]
fn a_landing_page_imports_nothing_and_says_so() {
    let env = Env::new();
    fixture(&env, "landing.md");
    for args in [
        &["run", "landing.md"][..],
        &["banks", "import", "landing.md"],
    ] {
        env.cmd()
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::starts_with(
                "rehearse: imported nothing from landing.md: no questions found; skipped: \
                 1 code block, 1 image, 2 link lines, 2 lists that do not look like questions",
            ));
    }
    assert!(!env.data_dir().join("banks").exists());
}

#[test]
fn import_writes_an_editable_bank_that_run_finds_by_name() {
    let env = Env::new();
    fixture(&env, "quirks.md");
    let banks = env.data_dir().join("banks");
    let out = env
        .cmd()
        .args(["banks", "import", "quirks.md"])
        .assert()
        .success()
        .stderr(predicate::str::starts_with(
            "imported 9 questions (2 follow-ups)",
        ))
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        text(&out),
        format!(
            "wrote {}\npractise with: rehearse run quirks\n",
            banks.join("quirks.toml").display()
        )
    );
    let toml = std::fs::read_to_string(banks.join("quirks.toml")).unwrap();
    assert!(
        toml.starts_with("# Imported by rehearse from quirks.md.\n"),
        "{toml}"
    );
    assert!(
        toml.contains("name = \"Site Reliability Interview Questions\"\n"),
        "{toml}"
    );
    assert!(
        toml.contains(
            "[[questions]]\nid = \"difference-between-metrics-logs-traces\"\n\
             category = \"Observability\"\n\
             text = \"What is the difference between metrics, logs & traces?\"\n\
             follow_ups = [\n  \"Which would you add first to a new service?\",\n  \"And why?\",\n]\n"
        ),
        "{toml}"
    );
    assert!(
        toml.contains(
            "talking_points = [\n  \"Mention headroom, load tests and lead time for hardware.\",\n]"
        ),
        "{toml}"
    );

    env.cmd()
        .args(["banks", "check", "quirks"])
        .assert()
        .success()
        .stdout(format!(
            "{}: ok, 9 questions in 4 categories\n",
            banks.join("quirks.toml").display()
        ));
    run_and_quit(&env, &["quirks", "--question", "roll-back-bad-deploy"]);
    assert_eq!(
        plan(&env),
        [(
            "roll-back-bad-deploy".to_string(),
            "Why does this matter?".to_string(),
            "How would you roll back a bad deploy?".to_string()
        )]
    );
    // A plain TOML file with no report on stderr this time.
    assert_eq!(
        env.only_log()[0]["bank"],
        "Site Reliability Interview Questions"
    );
}

#[test]
fn import_says_line_by_line_what_it_left_out_or_read_differently() {
    let env = Env::new();
    fixture(&env, "prep-site.md");
    let err = env
        .cmd()
        .args(["banks", "import", "prep-site.md", "-o", "a.toml"])
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let err = text(&err);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "imported 6 questions in 2 categories from prep-site.md; skipped: 1 paragraph of text",
            "  line 3: skipped a paragraph that neither asks nor answers: \
             \"Prepare with these common questions. Each comes…\"",
            "  line 6: a talking point of the question on line 5: \
             \"Example answer: I have eight years in health…\"",
        ],
        "{err}"
    );
    assert_eq!(
        lines[6], "  … and 9 more (--verbose lists them all)",
        "{err}"
    );
    let verbose = env
        .cmd()
        .args([
            "banks",
            "import",
            "prep-site.md",
            "-o",
            "b.toml",
            "--verbose",
        ])
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let verbose = text(&verbose);
    assert_eq!(verbose.lines().count(), 15, "{verbose}");
    assert!(
        verbose.contains("  line 30: a talking point of the question on line 28: \"A hold stops"),
        "{verbose}"
    );
    // Practising straight from the list says where to see every line.
    env.cmd()
        .args(["run", "prep-site.md", "--dry-run"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "  … and 9 more ('rehearse banks import prep-site.md --verbose' lists them all)\n",
        ));
}

#[test]
fn import_never_overwrites_without_force() {
    let env = Env::new();
    fixture(&env, "cards.csv");
    let banks = env.data_dir().join("banks");
    let args = [
        "banks",
        "import",
        "cards.csv",
        "--name",
        "Distributed Systems",
    ];
    env.cmd().args(args).assert().success().stdout(format!(
        "wrote {}\npractise with: rehearse run distributed-systems\n",
        banks.join("distributed-systems.toml").display()
    ));
    env.cmd()
        .args(args)
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "rehearse: {} already exists; pass --force to replace it, or -o to write elsewhere\n",
            banks.join("distributed-systems.toml").display()
        ));
    env.cmd().args(args).arg("--force").assert().success();
    let bank = std::fs::read_to_string(banks.join("distributed-systems.toml")).unwrap();
    assert!(bank.contains("name = \"Distributed Systems\"\n"), "{bank}");

    env.cmd()
        .args(["banks", "import", "cards.csv", "-o", "mine/cards.toml"])
        .assert()
        .success()
        .stdout("wrote mine/cards.toml\npractise with: rehearse run mine/cards.toml\n");
    assert!(env.path().join("mine/cards.toml").is_file());
    env.cmd()
        .args(["banks", "import", "cards.csv", "-o", "cards.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give a file name ending in .toml"));
}

#[test]
fn banks_lists_built_in_and_user_banks() {
    let env = Env::new();
    env.cmd()
        .arg("banks")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Built-in banks:\n  healthcare-records-manager  76 questions in 8 categories, reviewed 2026-12 (default)\n",
        ))
        .stdout(predicate::str::contains(
            // One category a line: "Data quality, coding and audits" stays readable.
            "  behavioral                  32 questions in 7 categories, reviewed 2026-12\n      · Teamwork\n      · Conflict\n",
        ))
        .stdout(predicate::str::ends_with(format!(
            "\nYour banks, in {}: none yet; 'rehearse banks import FILE' adds one.\n",
            env.data_dir().join("banks").display()
        )));

    fixture(&env, "listed.txt");
    env.cmd()
        .args(["banks", "import", "listed.txt", "--name", "behavioral"])
        .assert()
        .success();
    std::fs::write(env.data_dir().join("banks/broken.toml"), "name = \n").unwrap();
    let out = env.cmd().args(["banks", "list"]).assert().success();
    let stdout = text(&out.get_output().stdout);
    assert!(
        stdout.contains(
            "  behavioral                  32 questions in 7 categories, reviewed 2026-12, replaced by yours\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(&format!(
            "Your banks, in {}:\n  \
             behavioral                  5 questions in 2 categories, replaces the built-in one\n      \
             · Statistics\n      · SQL\n  \
             broken                      cannot be loaded: {}:1:8: string values must be quoted, expected literal string\n",
            env.data_dir().join("banks").display(),
            env.data_dir().join("banks/broken.toml").display(),
        )),
        "{stdout}"
    );
}

#[test]
fn banks_check_reports_every_problem_with_its_place() {
    let env = Env::new();
    env.write(
        "bad.toml",
        "name = \"Bad\"\ntime_limt = \"2m\"\nprep = \"3m\"\n\
         \n[[questions]]\nid = \"intro\"\ntext = \"Tell me about yourself.\"\ntalking_point = [\"x\"]\n\
         \n[[questions]]\nid = \"intro\"\ntext = \"\"\ntime_limit = \"90x\"\n\
         \n[[questions]]\nid = \"short\"\ntext = \"Quick one?\"\ntime_limit = \"20s\"\nwarn_at = \"30s\"\n",
    );
    env.write(
        "bad.json",
        "{\"questions\": [\n  {\"id\": \"a\", \"text\": \"Q?\", \"min\": \"5m\", \"catgory\": \"x\"}\n]}\n",
    );
    env.write("good.toml", "[[questions]]\nid = \"a\"\ntext = \"Why?\"\n");
    env.write("broken.toml", "[[questions]\nid = \"a\"\n");
    let expected = "\
bad.toml:2:1: unknown key `time_limt`; did you mean `time_limit`?
bad.toml:3:8: time_limit (2m) is shorter than prep (3m): the thinking time should not be longer than the answer
bad.toml:8:1: unknown key `talking_point`; did you mean `talking_points`?
bad.toml:11:6: duplicate question id \"intro\" (first at line 6)
bad.toml:12:8: empty question text
bad.toml:13:14: time_limit: \"90x\": expected a duration like 90s, 2m, 1m30s or 1:30
bad.toml:18:14: time_limit (20s) is shorter than prep (3m): the thinking time should not be longer than the answer
bad.toml:18:14: time_limit (20s) is shorter than warn_at (30s): the warning would come before the answer starts
bad.json:2:36: min (5m) is longer than time_limit (2m)
bad.json:2:42: unknown key `catgory`; did you mean `category`?
good.toml: ok, 1 question in 1 category
broken.toml:1:13: unclosed array table, expected `]`
";
    env.cmd()
        .args([
            "banks",
            "check",
            "bad.toml",
            "bad.json",
            "good.toml",
            "broken.toml",
        ])
        .assert()
        .code(2)
        .stdout(expected)
        .stderr("rehearse: 11 problems in 3 of 4 files\n");

    env.cmd()
        .args(["banks", "check", "good.toml", "behavioral"])
        .assert()
        .success()
        .stdout("good.toml: ok, 1 question in 1 category\nbehavioral.toml: ok, 32 questions in 7 categories\n")
        .stderr("");
    env.cmd()
        .args(["banks", "check", "nurses"])
        .assert()
        .code(2)
        .stdout(predicate::str::starts_with(
            "no bank named \"nurses\"; known banks: ",
        ));
}

#[test]
fn category_flag_matches_by_start_and_without_case() {
    let env = Env::new();
    fixture(&env, "quirks.md");
    run_and_quit(
        &env,
        &[
            "quirks.md",
            "--category",
            "OBSERV",
            "--category",
            "on",
            "--all",
        ],
    );
    assert_eq!(
        plan_ids(&env),
        [
            "decide-whether-alert-should-page",
            "walk-through-last-incident-led",
            "goes-into-good-post-mortem",
            "difference-between-metrics-logs-traces",
            "keep-dashboards-useful",
            "tell-slo-set-changed",
        ]
    );
    let settings = &env.only_log()[0]["settings"];
    assert_eq!(settings["categories"], serde_json::json!(["OBSERV", "on"]));
}

#[test]
fn random_picks_stay_inside_the_chosen_category() {
    let env = Env::new();
    run_and_quit(
        &env,
        &["--category", "regulations", "--count", "3", "--seed", "9"],
    );
    let plan = plan(&env);
    assert_eq!(plan.len(), 3);
    assert!(
        plan.iter()
            .all(|(_, c, _)| c == "Regulations and compliance"),
        "{plan:?}"
    );
}

#[test]
fn unknown_or_ambiguous_names_are_usage_errors_that_list_the_valid_ones() {
    let env = Env::new();
    let cases = [
        (
            vec!["--category", "re"],
            "rehearse: --category \"re\" matches Regulations and compliance, Retention, legal \
             hold and destruction; give more of the name\n"
                .to_string(),
        ),
        (
            vec!["behavioral", "--category", "stress"],
            "rehearse: --category \"stress\": no such category; categories: Teamwork, Conflict, \
             Leadership and initiative, Judgment and integrity, Failure and growth, Pressure and \
             priorities, Motivation and fit\n"
                .to_string(),
        ),
    ];
    for (args, message) in cases {
        env.cmd()
            .arg("run")
            .args(&args)
            .assert()
            .code(2)
            .stderr(message)
            .stdout("");
    }
    fixture(&env, "cards.tsv");
    env.cmd()
        .args(["run", "cards.tsv", "--question", "loop"])
        .assert()
        .code(2)
        .stderr(predicate::str::ends_with(
            "rehearse: --question \"loop\": no such question; the closest of its 2: explain-event-loop, closure ('rehearse banks show cards' lists them all)\n",
        ));
    env.cmd()
        .args(["run", "cards.tsv", "--question", "closur"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no such question (did you mean \"closure\"?); the closest of its 2: closure, explain-event-loop",
        ));
    assert!(env.logs().is_empty());
}

#[test]
fn questions_are_asked_in_the_order_given_with_follow_ups() {
    let env = Env::new();
    fixture(&env, "listed.txt");
    run_and_quit(
        &env,
        &[
            "listed.txt",
            "--question",
            "left-join-return-nothing-matches",
            "--question",
            "use-log-scale",
            "--follow-ups",
        ],
    );
    assert_eq!(
        plan(&env),
        [
            (
                "left-join-return-nothing-matches".to_string(),
                "SQL".to_string(),
                "What does a LEFT JOIN return when nothing matches?".to_string()
            ),
            (
                "use-log-scale".to_string(),
                "Statistics".to_string(),
                "When would you use a log scale?".to_string()
            ),
            (
                "use-log-scale/follow-up-1".to_string(),
                "Statistics".to_string(),
                "What would you check first?".to_string()
            ),
        ]
    );
}

#[test]
fn shuffle_changes_the_order_not_the_questions() {
    let env = Env::new();
    let orders: Vec<Vec<String>> = (1..=4)
        .map(|seed| {
            let env = Env::new();
            run_and_quit(
                &env,
                &[
                    "behavioral",
                    "--category",
                    "team",
                    "--all",
                    "--shuffle",
                    "--seed",
                    &seed.to_string(),
                ],
            );
            plan_ids(&env)
        })
        .collect();
    run_and_quit(&env, &["behavioral", "--category", "team", "--all"]);
    let mut bank_order = plan_ids(&env);
    assert!(
        orders.iter().any(|o| *o != bank_order),
        "never shuffled: {orders:?}"
    );
    bank_order.sort();
    for mut order in orders {
        order.sort();
        assert_eq!(order, bank_order);
    }
}

#[test]
fn selection_flags_that_contradict_are_refused() {
    let env = Env::new();
    for args in [
        &["run", "--question", "a", "--all"][..],
        &["run", "--question", "a", "--count", "2"],
        &["run", "--question", "a", "--category", "b"],
    ] {
        env.cmd()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("cannot be used with"));
    }
}

#[test]
fn escape_sequences_in_imported_lists_never_reach_the_screen_or_the_log() {
    let env = Env::new();
    env.write(
        "evil.md",
        "# \u{1b}]0;owned\u{7}Title\n\n\
         - Why \u{1b}[2Jclear\u{1b}[H the screen?\n\
         - Hidden \u{1b}[8mtext\u{1b}[0m?\u{7}\n\
         - Bidi \u{202e}reversed?\n",
    );
    let out = env
        .cmd()
        .args([
            "run", "evil.md", "--all", "--time", "1s", "--gap", "0", "--mute",
        ])
        .write_stdin("")
        .assert()
        .success()
        .get_output()
        .clone();
    for output in [&out.stdout, &out.stderr] {
        let shown = text(output);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{shown:?}"
        );
        assert!(!shown.contains('\u{202e}'), "{shown:?}");
    }
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Why clear the screen?"), "{stdout}");
    let texts: Vec<String> = plan(&env).into_iter().map(|(_, _, t)| t).collect();
    assert_eq!(
        texts,
        ["Why clear the screen?", "Hidden text?", "Bidi reversed?"]
    );
    assert_eq!(env.only_log()[0]["bank"], "Title");
}

#[test]
fn old_windows_text_is_read_with_a_warning() {
    let env = Env::new();
    std::fs::write(
        env.path().join("old.txt"),
        b"1. Caf\xe9 or th\xe9?\n2. \x93Quoted\x94 answers?\n",
    )
    .unwrap();
    env.cmd()
        .args(["run", "old.txt", "--all", "--mute"])
        .write_stdin("q\n")
        .assert()
        .code(130)
        .stderr(
            "rehearse: warning: old.txt:1:7: not valid UTF-8; read the file as Windows-1252 \
             (check accented letters, or save it as UTF-8)\n\
             imported 2 questions in 1 category from old.txt\n",
        );
    let texts: Vec<String> = plan(&env).into_iter().map(|(_, _, t)| t).collect();
    assert_eq!(texts, ["Café or thé?", "\u{201c}Quoted\u{201d} answers?"]);
}

#[test]
fn huge_and_binary_files_are_refused_with_a_clear_message() {
    let env = Env::new();
    // Sparse: 11 MB by its size, nothing written.
    let huge = std::fs::File::create(env.path().join("huge.md")).unwrap();
    huge.set_len(11 * 1024 * 1024).unwrap();
    std::fs::write(
        env.path().join("photo.md"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    )
    .unwrap();
    std::fs::write(env.path().join("bank.toml"), b"name = \"x\0\"\n").unwrap();
    let cases = [
        (
            "huge.md",
            "rehearse: huge.md: 11.0 MiB is too big for a question list or bank (the limit is \
             10.0 MiB); split it into smaller files\n",
        ),
        (
            "photo.md",
            "rehearse: photo.md:3:1: a NUL byte: this is a binary file, not a question list or \
             bank (rehearse reads .toml, .json, .md, .txt, .csv and .tsv text files)\n",
        ),
        (
            "bank.toml",
            "rehearse: bank.toml:1:10: a NUL byte: this is a binary file, not a question list or \
             bank (rehearse reads .toml, .json, .md, .txt, .csv and .tsv text files)\n",
        ),
    ];
    for (name, message) in cases {
        env.cmd()
            .args(["run", name])
            .assert()
            .code(2)
            .stderr(message);
        env.cmd()
            .args(["banks", "import", name])
            .assert()
            .code(2)
            .stderr(message);
    }
    env.cmd()
        .args(["banks", "check", "huge.md"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("huge.md: 11.0 MiB is too big"));
}

#[test]
fn banks_help_names_every_subcommand() {
    let env = Env::new();
    env.cmd()
        .args(["banks", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("import"))
        .stdout(predicate::str::contains("check"))
        .stdout(predicate::str::contains("list"));
    let out = env.cmd().args(["run", "--help"]).assert().success();
    let help = text(&out.get_output().stdout);
    for flag in [
        "--category <NAME>",
        "--question <ID>",
        "--shuffle",
        "--follow-ups",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
}

/// Every plan entry the log records is a JSON object with the fields reviews rely on.
#[test]
fn follow_up_plan_entries_look_like_questions() {
    let env = Env::new();
    fixture(&env, "quirks.md");
    run_and_quit(
        &env,
        &["quirks.md", "--category", "obs", "--all", "--follow-ups"],
    );
    let records = env.only_log();
    let entries: Vec<&Value> = records[0]["plan"].as_array().unwrap().iter().collect();
    let ids: Vec<&str> = entries.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "difference-between-metrics-logs-traces",
            "difference-between-metrics-logs-traces/follow-up-1",
            "difference-between-metrics-logs-traces/follow-up-2",
            "keep-dashboards-useful",
            "tell-slo-set-changed",
        ]
    );
    let indexes: Vec<u64> = entries
        .iter()
        .map(|e| e["index"].as_u64().unwrap())
        .collect();
    assert_eq!(indexes, [1, 2, 3, 4, 5]);
    assert!(entries.iter().all(|e| e["limit_ms"] == 120_000));
}

#[test]
fn banks_list_and_show_say_when_a_bank_was_reviewed() {
    let env = Env::new();
    std::fs::create_dir_all(env.data_dir().join("banks")).unwrap();
    std::fs::write(
        env.data_dir().join("banks/checked.toml"),
        "name = \"Checked\"\nreviewed = \"2026-11\"\n[[questions]]\nid = \"a\"\ntext = \"Why?\"\n",
    )
    .unwrap();
    env.cmd()
        .arg("banks")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "  checked                     1 question in 1 category, reviewed 2026-11\n",
        ));
    env.cmd()
        .args(["banks", "show", "checked"])
        .assert()
        .success()
        .stdout(predicate::str::ends_with(format!(
            "from {}, reviewed 2026-11\n",
            env.data_dir().join("banks/checked.toml").display()
        )));
    env.cmd()
        .args(["banks", "check", "checked"])
        .assert()
        .success()
        .stdout(predicate::str::ends_with("ok, 1 question in 1 category\n"));
}

#[test]
fn banks_show_has_every_question_s_text_and_banks_lists_one_category_a_line() {
    let env = Env::new();
    env.cmd()
        .args(["banks", "show", "healthcare-records-manager"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "understanding-of-records-management",
        ))
        .stdout(predicate::str::contains(
            "   Can you explain your understanding of healthcare records management?\n",
        ));
    env.cmd()
        .args(["banks"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "      · Data quality, coding and audits\n",
        ));
}

#[test]
fn banks_show_points_prints_each_question_with_its_talking_points() {
    let env = Env::new();
    let bank = env.write(
        "study.toml",
        "name = \"Study\"\n\
         [[questions]]\nid = \"why-us\"\ntext = \"Why do you want to work here?\"\n\
         talking_points = [\"Something true about the team, not the brochure.\", \
         \"What you would build in your first year, said plainly enough to check later, and \
         why it matters to the people who use it.\"]\n\
         [[questions]]\nid = \"gap\"\ntext = \"Tell me about the gap in your CV.\"\n",
    );
    let out = env
        .cmd()
        .args(["banks", "show", bank.to_str().unwrap(), "--points"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let text = text.replace(&bank.display().to_string(), "study.toml");
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("banks_show_points", text);
    });
    // Without --points the table has the texts only.
    env.cmd()
        .args(["banks", "show", bank.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("Something true").not());
}

#[test]
fn a_bank_nested_too_deep_is_refused_before_it_is_parsed() {
    let env = Env::new();
    let deep = format!("a = {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let bank = env.write("deep.toml", &deep);
    env.cmd()
        .args(["run", bank.to_str().unwrap(), "--dry-run"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "deep.toml:1:37: nested more than 32 levels deep: this is not a question bank",
        ));
    env.cmd()
        .args(["banks", "check", bank.to_str().unwrap()])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("nested more than 32 levels deep"));
}

#[test]
fn a_banks_folder_that_cannot_be_read_is_an_error_not_an_empty_list() {
    let env = Env::new();
    std::fs::create_dir_all(env.data_dir()).unwrap();
    // Root reads any folder, so the folder is made unreadable another way: a file in its
    // place fails to list just as a folder without permission does.
    std::fs::write(env.data_dir().join("banks"), "not a folder").unwrap();
    env.cmd()
        .arg("banks")
        .assert()
        .failure()
        .stderr(predicates::str::contains("cannot read your banks folder"))
        .stderr(predicates::str::contains("banks"));
    // No folder yet is simply no banks of one's own.
    std::fs::remove_file(env.data_dir().join("banks")).unwrap();
    env.cmd()
        .arg("banks")
        .assert()
        .success()
        .stdout(predicates::str::contains("healthcare-records-manager"));
}
