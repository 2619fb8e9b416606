//! What a person sees in a real terminal, through tmux: the bar is drawn, keys work, and
//! the terminal is given back as it was. Without tmux these tests fail and say which
//! package to install.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::util::Tmux;

#[test]
fn the_bar_counts_down_and_the_terminal_is_restored() {
    let env = crate::util::Env::new();
    let bin = assert_cmd::cargo::cargo_bin("rehearse");
    let script = format!(
        "cd {dir} && {clean} {bin} run --count 2 --time 30s --no-coach; \
         echo EXIT=$?; stty -a | grep -o -- '-*icanon' ; sleep 30",
        dir = env.path().display(),
        clean = env.clean_shell_env(),
        bin = bin.display()
    );
    let tmux = Tmux::started(env.path(), &script);
    let screen = tmux.wait_for("left");
    assert!(screen.contains("Question 1/2 · "), "{screen}");
    // Drawn in full blocks, or shaded while it flashes for a cue.
    assert!(
        screen.contains('█') || screen.contains('▓'),
        "a bar: {screen}"
    );
    assert!(
        screen.contains("0:30 left") || screen.contains("0:29 left"),
        "{screen}"
    );

    tmux.keys(&["p"]);
    tmux.wait_for("PAUSED");
    tmux.keys(&["p"]);
    tmux.keys(&["?"]);
    tmux.wait_for("pause / resume");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Question 2/2");
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("EXIT=");
    assert!(screen.contains("answered in 0:0"), "{screen}");
    assert!(screen.contains("Session ended early"), "{screen}");
    assert!(screen.contains("EXIT=130"), "{screen}");
    // Line editing is back on: the terminal was restored.
    let screen = tmux.wait_for("icanon");
    assert!(!screen.contains("-icanon"), "{screen}");
}

#[test]
fn a_panic_restores_the_terminal_before_its_message_and_keeps_the_log() {
    let env = crate::util::Env::new();
    let bin = assert_cmd::cargo::cargo_bin("rehearse");
    let script = format!(
        "cd {dir} && {clean} REHEARSE_TEST_PANIC_AT_QUESTION=2 {bin} run --count 3 --time 30s --mute --no-coach 2>{dir}/err; \
         echo EXIT=$?; stty -a | grep -o -- '-*icanon'; sleep 30",
        dir = env.path().display(),
        clean = env.clean_shell_env(),
        bin = bin.display()
    );
    let tmux = Tmux::started(env.path(), &script);
    tmux.wait_for("Question 1/3");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("EXIT=");
    assert!(screen.contains("EXIT=101"), "{screen}");
    let screen = tmux.wait_for("icanon");
    assert!(!screen.contains("-icanon"), "line mode is back: {screen}");
    let err = std::fs::read_to_string(env.path().join("err")).unwrap();
    assert!(err.contains("injected fault at question 2"), "{err}");
    // The first question's records were on disk before the panic.
    let records = env.only_log();
    assert_eq!(crate::util::events(&records, "question_ended").len(), 1);
}

#[test]
fn the_bar_follows_a_resized_terminal() {
    let env = crate::util::Env::new();
    let bin = assert_cmd::cargo::cargo_bin("rehearse");
    let script = format!(
        "cd {dir} && {clean} {bin} run --count 1 --time 30s --mute; sleep 30",
        dir = env.path().display(),
        clean = env.clean_shell_env(),
        bin = bin.display()
    );
    let tmux = Tmux::started(env.path(), &script);
    let bar_width = |screen: &str| {
        screen
            .lines()
            .find(|l| l.contains(" left"))
            .map(|l| l.trim_end().chars().count())
            .unwrap_or(0)
    };
    let screen = tmux.wait_for(" left");
    let wide = bar_width(&screen);
    assert!(wide > 90, "{screen}");
    Command::new("tmux")
        .args(["-S", &tmux.socket, "resize-window", "-x", "60", "-y", "30"])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let screen = tmux.screen();
        let width = bar_width(&screen);
        if (40..=60).contains(&width) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "bar still {width} wide:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    tmux.keys(&["q"]);
}

/// A countdown nobody touches leaves the key reader asleep until a key comes (it used to
/// look at the terminal five times a second), and a key still wakes it at once.
#[test]
fn the_key_reader_sleeps_while_nobody_types() {
    let env = crate::util::Env::new();
    let script = format!(
        "{}; sleep 30",
        env.shell_run("--count 2 --time 1m --mute --no-coach")
    );
    let tmux = Tmux::started(env.path(), &script);
    tmux.wait_for(" left");
    let pid = tmux.program_pid();
    let before = crate::util::thread_wakeups(pid, "keys");
    std::thread::sleep(Duration::from_secs(2));
    let after = crate::util::thread_wakeups(pid, "keys");
    assert!(
        after - before <= 1,
        "the key reader woke {} times in 2 s",
        after - before
    );
    tmux.keys(&["Enter"]);
    tmux.wait_for("Question 2/2");
    tmux.keys(&["q"]);
}

#[test]
fn the_review_step_takes_a_rating_a_star_checklist_and_a_note() {
    let env = crate::util::Env::new();
    let bin = assert_cmd::cargo::cargo_bin("rehearse");
    let bank = env.path().join("story.toml");
    std::fs::write(
        &bank,
        "[[categories]]\nname = \"Stories\"\nstar = true\n[[questions]]\nid = \"conflict\"\ncategory = \"Stories\"\n\
         text = \"Tell me about a conflict.\"\ntalking_points = [\"The situation\", \"The result\"]\n",
    )
    .unwrap();
    let script = format!(
        "cd {dir} && {clean} {bin} run {bank} --time 30s --mute; echo EXIT=$?; sleep 30",
        dir = env.path().display(),
        clean = env.clean_shell_env(),
        bin = bin.display(),
        bank = bank.display(),
    );
    let tmux = Tmux::started(env.path(), &script);
    tmux.wait_for(" left");
    tmux.keys(&["Enter"]);
    tmux.wait_for("How did it go?");
    let screen = tmux.screen();
    assert!(
        screen.contains("A strong answer covers:") && screen.contains("• The result"),
        "{screen}"
    );
    tmux.keys(&["5"]);
    tmux.wait_for("STAR: press S, T, A, R");
    tmux.keys(&["s", "r"]);
    tmux.wait_for("[x] S [ ] T [ ] A [x] R");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Note (Enter skips)");
    tmux.keys(&["-l", "keep it shorter"]);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("EXIT=");
    assert!(
        screen.contains("rating 5/5") && screen.contains("note: keep it shorter"),
        "{screen}"
    );
    let records = env.only_log();
    let reviewed = crate::util::events(&records, "reviewed");
    assert_eq!(reviewed[0]["rating"], 5);
    assert_eq!(
        reviewed[0]["star"],
        serde_json::json!({"situation": true, "task": false, "action": false, "result": true})
    );
    assert_eq!(reviewed[0]["note"], "keep it shorter");
}

#[test]
fn a_closed_terminal_ends_the_session_cleanly() {
    let env = crate::util::Env::new();
    let bin = assert_cmd::cargo::cargo_bin("rehearse");
    let script = format!(
        "cd {dir} && {clean} {bin} run --count 2 --time 30s --mute",
        dir = env.path().display(),
        clean = env.clean_shell_env(),
        bin = bin.display()
    );
    let tmux = Tmux::started(env.path(), &script);
    tmux.wait_for(" left");
    let pid = tmux.program_pid();
    // The window closes under the session.
    drop(tmux);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let records = env.only_log();
        // The process is gone too (before, it could wait for ever on its key reader).
        let running = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| !stat.contains(") Z "));
        if !running
            && records
                .last()
                .is_some_and(|r| r["event"] == "session_ended")
        {
            assert_eq!(records.last().unwrap()["outcome"], "aborted");
            assert_eq!(
                crate::util::events(&records, "question_ended")[0]["outcome"],
                "unfinished"
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the session did not end (process running: {running}): {records:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A one-question story bank and a session on it in tmux; returns the pane.
fn review_session(env: &crate::util::Env) -> Tmux {
    let bank = env.path().join("story.toml");
    std::fs::write(
        &bank,
        "[[categories]]\nname = \"Stories\"\nstar = true\n[[questions]]\nid = \"conflict\"\ncategory = \"Stories\"\n\
         text = \"Tell me about a conflict.\"\n[[questions]]\nid = \"why\"\ntext = \"Why us?\"\n",
    )
    .unwrap();
    let script = format!(
        "cd {dir} && {clean} {bin} run {bank} --all --time 30s --mute; echo EXIT=$?; sleep 30",
        dir = env.path().display(),
        clean = env.clean_shell_env(),
        bin = assert_cmd::cargo::cargo_bin("rehearse").display(),
        bank = bank.display(),
    );
    Tmux::started(env.path(), &script)
}

#[test]
fn q_at_the_rating_ends_the_session_and_it_is_saved() {
    let env = crate::util::Env::new();
    let tmux = review_session(&env);
    tmux.wait_for(" left");
    tmux.keys(&["Enter"]);
    tmux.wait_for("How did it go?");
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("EXIT=");
    assert!(screen.contains("EXIT=130"), "{screen}");
    assert!(screen.contains("Session ended early"), "{screen}");
    let records = env.only_log();
    assert_eq!(records.last().unwrap()["event"], "session_ended");
    assert_eq!(crate::util::events(&records, "question_started").len(), 1);
    assert!(crate::util::events(&records, "reviewed").is_empty());
}

#[test]
fn ctrl_c_in_the_note_ends_the_session_and_keeps_what_was_typed() {
    let env = crate::util::Env::new();
    let tmux = review_session(&env);
    tmux.wait_for(" left");
    tmux.keys(&["Enter"]);
    tmux.wait_for("How did it go?");
    tmux.keys(&["4"]);
    tmux.wait_for("STAR: press");
    tmux.keys(&["t"]);
    tmux.wait_for("[ ] S [x] T [ ] A [ ] R");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Note (Enter skips)");
    // Typed with a slip, mended with the arrow keys: the field edits in place.
    tmux.keys(&["-l", "too lng"]);
    tmux.keys(&["Left", "Left"]);
    tmux.keys(&["-l", "o"]);
    tmux.wait_for("too long");
    tmux.keys(&["C-c"]);
    let screen = tmux.wait_for("EXIT=");
    assert!(screen.contains("EXIT=130"), "{screen}");
    let records = env.only_log();
    let reviewed = crate::util::events(&records, "reviewed");
    assert_eq!(reviewed.len(), 1, "{records:?}");
    assert_eq!(reviewed[0]["rating"], 4);
    assert_eq!(reviewed[0]["note"], "too long");
    assert_eq!(reviewed[0]["star"]["task"], true);
    assert_eq!(
        crate::util::events(&records, "question_started").len(),
        1,
        "the next question's clock never started"
    );
}

#[test]
fn esc_at_the_star_checklist_ends_the_session_and_keeps_the_rating() {
    let env = crate::util::Env::new();
    let tmux = review_session(&env);
    tmux.wait_for(" left");
    tmux.keys(&["Enter"]);
    tmux.wait_for("How did it go?");
    tmux.keys(&["2"]);
    tmux.wait_for("STAR: press");
    tmux.keys(&["Escape"]);
    let screen = tmux.wait_for("EXIT=");
    assert!(screen.contains("EXIT=130"), "{screen}");
    let records = env.only_log();
    let reviewed = crate::util::events(&records, "reviewed");
    assert_eq!(reviewed.len(), 1, "{records:?}");
    assert_eq!(reviewed[0]["rating"], 2);
}

#[test]
fn nothing_is_timed_until_the_person_is_ready_and_q_there_ends_cleanly() {
    let env = crate::util::Env::new();
    let script = format!(
        "{}; echo EXIT=$?; sleep 30",
        env.shell_run("--count 2 --time 30s --mute")
    );
    let tmux = Tmux::start(env.path(), &script);
    let screen = tmux.wait_for("Ready? Press Enter");
    assert!(!screen.contains(" left"), "no clock yet: {screen}");
    std::thread::sleep(Duration::from_millis(300));
    let records = env.only_log();
    assert!(
        crate::util::events(&records, "question_started").is_empty(),
        "nothing asked before Enter: {records:?}"
    );
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("EXIT=");
    assert!(screen.contains("EXIT=130"), "{screen}");
    // A session that never started leaves no log to clutter review.
    assert_eq!(env.logs(), Vec::<std::path::PathBuf>::new());
}

#[test]
fn the_wait_at_ready_is_not_counted_in_the_session() {
    let env = crate::util::Env::new();
    let script = format!(
        "{}; echo EXIT=$?; sleep 30",
        env.shell_run("--count 1 --time 30s --mute --no-coach")
    );
    let tmux = Tmux::start(env.path(), &script);
    tmux.wait_for("Ready? Press Enter");
    std::thread::sleep(Duration::from_millis(2500));
    tmux.keys(&["Enter"]);
    tmux.wait_for(" left");
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("EXIT=");
    let records = env.only_log();
    let started = &crate::util::events(&records, "question_started")[0];
    assert!(started["t_ms"].as_u64().unwrap() < 1000, "{started}");
    let total = records.last().unwrap()["total_ms"].as_u64().unwrap();
    assert!(total < 2500, "the 2.5 s at Ready are not practice: {total}");
    assert!(
        screen.contains(" 0:00 in all.") || screen.contains(" 0:01 in all."),
        "{screen}"
    );
}

#[test]
fn notes_about_keys_and_limits_replace_each_other_instead_of_piling_up() {
    let env = crate::util::Env::new();
    let script = format!(
        "{}; sleep 30",
        env.shell_run("--count 1 --time 30s --mute --no-coach")
    );
    let tmux = Tmux::started(env.path(), &script);
    tmux.wait_for(" left");
    tmux.keys(&["+"]);
    tmux.wait_for("limit now 1:00");
    tmux.keys(&["+"]);
    let screen = tmux.wait_for("limit now 1:30");
    assert_eq!(screen.matches("limit now").count(), 1, "{screen}");
    tmux.keys(&["?"]);
    tmux.keys(&["?"]);
    std::thread::sleep(Duration::from_millis(300));
    let screen = tmux.wait_for("pause / resume");
    assert_eq!(screen.matches("pause / resume").count(), 1, "{screen}");
    assert!(!screen.contains("limit now"), "{screen}");
    tmux.keys(&["q"]);
}

#[test]
fn two_interrupts_a_moment_apart_still_give_the_terminal_back() {
    let env = crate::util::Env::new();
    let logs = env.path().join("two-sigint-logs");
    let script = format!(
        "cd {dir} && {clean} {bin} run --count 2 --time 30s --mute --log-dir {logs}; \
         echo EXIT=$?; stty -a | grep -o -- '-*icanon'; sleep 30",
        dir = env.path().display(),
        clean = env.clean_shell_env(),
        bin = assert_cmd::cargo::cargo_bin("rehearse").display(),
        logs = logs.display(),
    );
    let tmux = Tmux::started(env.path(), &script);
    tmux.wait_for(" left");
    // The session's process: the one whose command line names this test's log folder.
    let pid = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .find(|p| {
            let comm = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
            let cmdline = std::fs::read(format!("/proc/{p}/cmdline")).unwrap_or_default();
            comm.trim() == "rehearse"
                && String::from_utf8_lossy(&cmdline).contains(&*logs.to_string_lossy())
        })
        .expect("the session's process");
    // SAFETY: signals to a process this test started.
    unsafe {
        libc::kill(pid, libc::SIGINT);
        libc::kill(pid, libc::SIGINT);
    }
    let screen = tmux.wait_for("icanon");
    assert!(!screen.contains("-icanon"), "line mode is back: {screen}");
    assert!(screen.contains("EXIT=130"), "{screen}");
}

#[test]
fn a_resize_leaves_no_stale_bar_rows_behind() {
    let env = crate::util::Env::new();
    let script = format!(
        "{}; sleep 30",
        env.shell_run("--count 1 --time 30s --mute --no-coach")
    );
    let tmux = Tmux::started(env.path(), &script);
    tmux.wait_for(" left");
    let bar_rows = |screen: &str| {
        screen
            .lines()
            .filter(|l| l.contains('░') || l.contains('█'))
            .count()
    };
    for width in ["40", "90", "60"] {
        Command::new("tmux")
            .args(["-S", &tmux.socket, "resize-window", "-x", width, "-y", "30"])
            .status()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let screen = tmux.screen();
            if bar_rows(&screen) == 1 && screen.contains("Question 1/1") {
                let widest = screen.lines().map(|l| l.chars().count()).max().unwrap_or(0);
                assert!(widest <= width.parse().unwrap(), "{screen}");
                break;
            }
            assert!(Instant::now() < deadline, "at {width} columns:\n{screen}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    tmux.keys(&["q"]);
}

#[test]
fn at_40_columns_lines_wrap_at_words() {
    let env = crate::util::Env::new();
    let script = format!(
        "cd {dir} && {clean} ALSA_CONFIG_PATH=/dev/null {bin} run --count 1 --time 30s; sleep 30",
        dir = env.path().display(),
        clean = env.clean_shell_env(),
        bin = assert_cmd::cargo::cargo_bin("rehearse").display(),
    );
    let tmux = Tmux::start(env.path(), &script);
    Command::new("tmux")
        .args(["-S", &tmux.socket, "resize-window", "-x", "40", "-y", "40"])
        .status()
        .unwrap();
    let before = tmux.wait_for("Ready? Press Enter");
    tmux.keys(&["Enter"]);
    let during = tmux.wait_for("cues");
    tmux.keys(&["Enter"]);
    let after = tmux.wait_for("How did it go?");
    // Every line fits, and each of these (split by the terminal before) is whole.
    for (screen, phrase) in [
        (&before, "Enter next · s skip · Space pause · +/-"),
        (&before, "Ready? Press Enter to start the clock"),
        (&during, "rehearse: no audio output device: cues"),
        (&after, "How did it go? 1 (poor) to 5 (great),"),
    ] {
        assert!(screen.lines().all(|l| l.chars().count() <= 40), "{screen}");
        assert!(screen.contains(phrase), "{phrase:?} in\n{screen}");
    }
    tmux.keys(&["q"]);
}

#[test]
fn after_ctrl_z_and_fg_raw_mode_and_the_screen_come_back() {
    let env = crate::util::Env::new();
    let script = format!(
        "cd {dir} && {clean} bash --norc -i",
        dir = env.path().display(),
        clean = env.clean_shell_env(),
    );
    let tmux = Tmux::start(env.path(), &script);
    tmux.keys(&[
        "-l",
        &format!(
            "{} run --count 1 --time 60s --mute --no-coach\n",
            assert_cmd::cargo::cargo_bin("rehearse").display()
        ),
    ]);
    tmux.wait_for("Ready? Press Enter");
    tmux.keys(&["Enter"]);
    tmux.wait_for(" left");
    tmux.keys(&["C-z"]);
    tmux.wait_for("Stopped");
    tmux.keys(&["-l", "fg\n"]);
    tmux.wait_for("Question 1/1");
    // Keys work again, one at a time: raw mode is back.
    tmux.keys(&["p"]);
    tmux.wait_for("PAUSED");
    tmux.keys(&["q"]);
    tmux.wait_for("In full: rehearse review show 1");
    // The shell has the terminal again once its prompt is back under the summary.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !tmux
        .screen()
        .split("In full: rehearse review show 1")
        .nth(1)
        .is_some_and(|after| after.trim_end().ends_with('#') || after.trim_end().ends_with('$'))
    {
        assert!(Instant::now() < deadline, "no prompt: {}", tmux.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    tmux.keys(&["-l", "stty -a | grep -o -- '-*icanon'; echo DONE\n"]);
    // The output, not the typed line: "DONE" at the start of a line.
    let screen = tmux.wait_for("\nDONE");
    assert!(screen.contains("\nicanon\n"), "{screen}");
}

/// An interactive shell in tmux, in the clean environment, to stop and continue jobs in.
fn shell(env: &crate::util::Env) -> Tmux {
    let script = format!(
        "cd {dir} && {clean} bash --norc -i",
        dir = env.path().display(),
        clean = env.clean_shell_env(),
    );
    Tmux::start(env.path(), &script)
}

#[test]
fn stopped_at_ready_and_continued_the_keys_act_at_once() {
    let env = crate::util::Env::new();
    let tmux = shell(&env);
    let rehearse = assert_cmd::cargo::cargo_bin("rehearse");
    tmux.keys(&[
        "-l",
        &format!("{} run --count 1 --time 60s --mute\n", rehearse.display()),
    ]);
    tmux.wait_for("Ready? Press Enter");
    // Ctrl-Z stops it like any job, and `fg` brings it back, asking again.
    tmux.keys(&["C-z"]);
    tmux.wait_for("Stopped");
    tmux.keys(&["-l", "fg\n"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while tmux.screen().matches("Ready? Press Enter").count() < 2 {
        assert!(
            Instant::now() < deadline,
            "not asked again: {}",
            tmux.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Stopped from outside too.
    let pid = std::process::Command::new("pgrep")
        .args(["-f", &format!("{} run --count 1", rehearse.display())])
        .output()
        .unwrap();
    // Other tests run the same command at the same time: this one is the one working in
    // this test's folder.
    let pid = String::from_utf8_lossy(&pid.stdout)
        .split_whitespace()
        .find(|pid| {
            std::fs::canonicalize(format!("/proc/{pid}/cwd")).ok() == env.path().canonicalize().ok()
        })
        .map(str::to_string)
        .unwrap_or_default();
    assert!(
        !pid.is_empty(),
        "no rehearse running in {}",
        env.path().display()
    );
    std::process::Command::new("kill")
        .args(["-TSTP", &pid])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while tmux.screen().matches("Stopped").count() < 2 {
        assert!(Instant::now() < deadline, "not stopped: {}", tmux.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    tmux.keys(&["-l", "fg\n"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while tmux.screen().matches("Ready? Press Enter").count() < 3 {
        assert!(
            Instant::now() < deadline,
            "not asked again: {}",
            tmux.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // One key, no Enter: raw mode is back, and nothing was asked. The shell's prompt
    // comes back with no other key pressed.
    tmux.keys(&["q"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !tmux
        .screen()
        .rsplit("Ready? Press Enter")
        .next()
        .is_some_and(|after| after.trim_end().ends_with('#') || after.trim_end().ends_with('$'))
    {
        assert!(
            Instant::now() < deadline,
            "q did not act: {}",
            tmux.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    tmux.keys(&["-l", "echo EXIT=$?\n"]);
    let screen = tmux.wait_for("\nEXIT=");
    assert!(screen.contains("\nEXIT=130"), "{screen}");
    for log in env.logs() {
        let records = crate::util::records(&log);
        assert!(crate::util::events(&records, "question_started").is_empty());
    }
}
