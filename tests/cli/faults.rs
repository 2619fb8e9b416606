//! Faults inflicted on purpose: kills, signals, a full disk, a closed pipe, two sessions
//! at once. Whatever happens, the log keeps every record up to the fault.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use predicates::prelude::*;

use crate::util::{Env, events, records};

fn kill(child: &std::process::Child, signal: i32) {
    // SAFETY: sending a signal to our own child process.
    let rc = unsafe { libc::kill(child.id() as i32, signal) };
    assert_eq!(rc, 0);
}

#[test]
fn kill_9_keeps_every_record_up_to_the_kill() {
    let env = Env::new();
    let mut child = env
        .spawn_cmd()
        .args([
            "run", "--count", "3", "--time", "1s", "--gap", "0", "--mute",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // Answer the first, then kill during the second.
    let before = env.wait_for_event("time_up");
    assert!(events(&before, "question_started").len() == 1);
    child
        .stdin
        .as_mut()
        .map(|s| std::io::Write::write_all(s, b"\n"));
    env.wait_for_event("question_ended");
    let _ = env.wait_for_event("question_started");
    kill(&child, libc::SIGKILL);
    child.wait().unwrap();
    let text = std::fs::read_to_string(&env.logs()[0]).unwrap();
    assert!(text.ends_with('\n'), "the last record is whole");
    let records = records(&env.logs()[0]);
    assert_eq!(records[0]["event"], "session_started");
    assert_eq!(events(&records, "question_ended").len(), 1);
    assert!(events(&records, "session_ended").is_empty());
    // Review lists it as interrupted, with the question it finished.
    env.cmd()
        .arg("review")
        .assert()
        .success()
        .stdout(predicate::str::contains("1/3"))
        .stdout(predicate::str::contains("interrupted"));
}

fn stopped_by(signal: i32, code: i32) {
    let env = Env::new();
    let mut child = env
        .spawn_cmd()
        .args(["run", "--count", "3", "--time", "30s", "--mute"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    env.wait_for_event("question_started");
    kill(&child, signal);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(code), "signal {signal}");
    let records = env.only_log();
    let ended = events(&records, "question_ended");
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0]["outcome"], "unfinished");
    let last = records.last().unwrap();
    assert_eq!(
        (last["event"].as_str(), last["outcome"].as_str()),
        (Some("session_ended"), Some("aborted"))
    );
}

#[test]
fn sigint_ends_the_session_cleanly_with_130() {
    stopped_by(libc::SIGINT, 130);
}

#[test]
fn sigterm_ends_the_session_cleanly_with_143() {
    stopped_by(libc::SIGTERM, 143);
}

#[test]
fn sighup_ends_the_session_cleanly_with_129() {
    stopped_by(libc::SIGHUP, 129);
}

#[test]
fn a_full_disk_warns_once_goes_on_and_keeps_the_records() {
    let env = Env::new();
    let bank = env.write(
        "short.toml",
        "[[questions]]\nid = \"a\"\ntext = \"A?\"\n[[questions]]\nid = \"b\"\ntext = \"B?\"\n[[questions]]\nid = \"c\"\ntext = \"C?\"\n",
    );
    let mut cmd = env.spawn_cmd();
    cmd.env("REHEARSE_VIRTUAL_CLOCK", "1")
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
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Files may grow to 1500 bytes: room for the first records, not for the session.
    crate::util::limit_file_size(&mut cmd, 1500);
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Every question was still asked.
    assert!(stdout.contains("[3] "), "{stdout}");
    assert!(stdout.contains("Interview complete"), "{stdout}");
    assert!(stdout.contains("Saved in part to"), "{stdout}");
    assert_eq!(
        stderr.matches("cannot write the session log").count(),
        1,
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(1));
    // What reached the disk is whole records; the rest was handed over on stderr.
    let on_disk = records(&env.logs()[0]);
    assert_eq!(on_disk[0]["event"], "session_started");
    let rescued: Vec<serde_json::Value> = stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let all: Vec<_> = on_disk
        .iter()
        .chain(&rescued)
        .map(|r| r["event"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        all.iter().filter(|e| *e == "question_ended").count(),
        3,
        "{all:?}"
    );
    assert_eq!(all.last().map(String::as_str), Some("session_ended"));
}

#[test]
fn two_sessions_started_together_get_two_files() {
    let env = Env::new();
    let start = || {
        env.spawn_cmd()
            .args([
                "run",
                "behavioral",
                "--count",
                "1",
                "--time",
                "1s",
                "--mute",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (start(), start());
    assert!(a.wait().unwrap().success() && b.wait().unwrap().success());
    let logs = env.logs();
    assert_eq!(logs.len(), 2, "{logs:?}");
    for log in logs {
        assert_eq!(records(&log).last().unwrap()["outcome"], "completed");
    }
}

#[test]
fn a_closed_pipe_ends_the_session_as_aborted_and_it_is_saved() {
    let env = Env::new();
    let mut child = env
        .spawn_cmd()
        // On the real clock: the reader leaves while the first question runs.
        .args([
            "run", "--count", "2", "--time", "1s", "--gap", "0", "--mute",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Like `rehearse run | head -1`.
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("2 questions"));
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    // Nobody sees the questions any more: the session ends there, as aborted, and says
    // so with the exit code a shell gives a pipeline whose reader left.
    assert_eq!(status.code(), Some(141), "{status:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let records = env.only_log();
    assert_eq!(records.last().unwrap()["outcome"], "aborted");
    assert!(
        events(&records, "question_ended")
            .iter()
            .all(|e| e["outcome"] != "time_up"),
        "no question was run out unseen: {records:?}"
    );
}

#[test]
fn a_log_folder_that_cannot_exist_is_refused_with_the_reason() {
    let env = Env::new();
    env.cmd()
        .args(["run", "--log-dir", "/proc/rehearse/sessions"])
        .write_stdin("")
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "cannot create the log folder /proc/rehearse/sessions",
        ));
}

#[test]
fn a_log_folder_that_already_exists_is_made_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    std::fs::create_dir_all(env.log_dir()).unwrap();
    std::fs::set_permissions(env.log_dir(), std::fs::Permissions::from_mode(0o755)).unwrap();
    env.cmd()
        .args(["run", "--count", "1", "--time", "1s", "--mute"])
        .write_stdin("")
        .assert()
        .success();
    let mode = std::fs::metadata(env.log_dir())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700);
}

#[test]
fn a_link_planted_at_the_schedule_s_temporary_name_is_never_followed() {
    let env = Env::new();
    std::fs::create_dir_all(env.log_dir()).unwrap();
    let victim = env.write("victim.txt", "keep me");
    std::os::unix::fs::symlink(&victim, env.log_dir().join(".schedule.json.tmp")).unwrap();
    env.cmd()
        .args(["run", "--count", "1", "--time", "1s", "--mute"])
        .write_stdin("")
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(env.log_dir().join(".schedule.json").is_file());
}

#[test]
fn a_pipe_given_as_a_bank_config_or_log_is_refused_not_waited_on() {
    let env = Env::new();
    let fifo = env.path().join("fifo.toml");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let timeout = std::time::Duration::from_secs(10);
    env.cmd()
        .args(["run", fifo.to_str().unwrap(), "--dry-run"])
        .timeout(timeout)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("fifo.toml: not a regular file"));
    env.cmd()
        .env("REHEARSE_CONFIG", &fifo)
        .args(["config", "show"])
        .timeout(timeout)
        .assert()
        .failure()
        .stderr(predicate::str::contains("not a regular file"));
    std::fs::create_dir_all(env.log_dir()).unwrap();
    let log = env.log_dir().join("2026-11-30_10-00-00_x.jsonl");
    std::process::Command::new("mkfifo")
        .arg(&log)
        .status()
        .unwrap();
    env.cmd()
        .args(["review", "list"])
        .timeout(timeout)
        .assert()
        .success()
        .stdout(predicate::str::contains("not a regular file"));
}

#[test]
fn a_disk_full_at_the_start_refuses_the_session_and_leaves_no_empty_log() {
    let env = Env::new();
    let mut cmd = env.spawn_cmd();
    cmd.env("REHEARSE_VIRTUAL_CLOCK", "1")
        .args(["run", "--count", "1", "--time", "1s", "--mute"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // 100 bytes: not even the first record fits.
    crate::util::limit_file_size(&mut cmd, 100);
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write the session log"), "{stderr}");
    assert!(env.logs().is_empty(), "{:?}", env.logs());
}

#[test]
fn a_sounds_folder_that_does_not_exist_is_refused() {
    let env = Env::new();
    env.cmd()
        .args([
            "run",
            "--count",
            "1",
            "--time",
            "1s",
            "--sounds",
            "no-such-folder",
        ])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no-such-folder: no such folder of sounds",
        ));
    assert!(env.logs().is_empty());
}

#[test]
fn sessions_ending_together_lose_no_card_of_the_schedule() {
    let env = Env::new();
    let mut bank = String::new();
    for n in 0..16 {
        bank.push_str(&format!("[[questions]]\nid = \"q{n}\"\ntext = \"Q{n}?\"\n"));
    }
    let bank = env.write("many.toml", &bank);
    for _round in 0..2 {
        let children: Vec<_> = (0..16)
            .map(|n| {
                env.spawn_cmd()
                    .env("REHEARSE_VIRTUAL_CLOCK", "1")
                    .args([
                        "run",
                        bank.to_str().unwrap(),
                        "--question",
                        &format!("q{n}"),
                    ])
                    .args(["--time", "1s", "--mute"])
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut child in children {
            assert!(child.wait().unwrap().success());
        }
    }
    let text = std::fs::read_to_string(env.log_dir().join(".schedule.json")).unwrap();
    let saved: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cards = saved["cards"]["many"].as_object().unwrap();
    assert_eq!(cards.len(), 16, "{text}");
    // Each question was practised twice: every card saw both rounds.
    let rebuilt = env
        .cmd()
        .args(["review", "rebuild-schedule"])
        .output()
        .unwrap();
    assert!(rebuilt.status.success());
    let again: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(env.log_dir().join(".schedule.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        saved["cards"], again["cards"],
        "the saved schedule is the one the logs give"
    );
}

#[test]
fn a_session_still_running_is_listed_as_in_progress_until_it_is_killed() {
    let env = Env::new();
    let mut child = env
        .spawn_cmd()
        .args(["run", "--count", "2", "--time", "1m", "--mute"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    env.wait_for_event("question_started");
    let list = |env: &Env| {
        String::from_utf8(env.cmd().args(["review", "list"]).output().unwrap().stdout).unwrap()
    };
    let running = list(&env);
    assert!(running.contains("in progress"), "{running}");
    kill(&child, libc::SIGKILL);
    child.wait().unwrap();
    let killed = list(&env);
    assert!(
        killed.contains("interrupted") && !killed.contains("in progress"),
        "{killed}"
    );
}

#[test]
fn a_full_output_pipe_does_not_hold_the_session_or_its_signals() {
    use std::os::fd::{FromRawFd, OwnedFd};
    let env = Env::new();
    // A pipe that nobody reads, filled to the brim before rehearse gets it.
    let mut fds = [0; 2];
    // SAFETY: a fresh pipe; both ends are owned below.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    let (read_end, write_end) =
        unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    // SAFETY: flags on our own descriptor.
    unsafe {
        let flags = libc::fcntl(fds[1], libc::F_GETFL);
        libc::fcntl(fds[1], libc::F_SETFL, flags | libc::O_NONBLOCK);
    }
    let chunk = [b'x'; 4096];
    while unsafe { libc::write(fds[1], chunk.as_ptr().cast(), chunk.len()) } > 0 {}
    unsafe {
        let flags = libc::fcntl(fds[1], libc::F_GETFL);
        libc::fcntl(fds[1], libc::F_SETFL, flags & !libc::O_NONBLOCK);
    }
    let mut child = env
        .spawn_cmd()
        .args([
            "run", "--count", "3", "--time", "1s", "--gap", "0", "--mute",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::from(write_end))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The session goes on although nothing it prints can be written: the first answer
    // runs out of time and the second question starts.
    let records = env.wait_for_event("time_up");
    assert_eq!(events(&records, "question_started").len(), 1);
    kill(&child, libc::SIGTERM);
    let asked = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            asked.elapsed() < std::time::Duration::from_secs(3),
            "SIGTERM was not honoured while the output pipe was full"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    assert_eq!(status.code(), Some(143));
    let records = env.only_log();
    assert_eq!(records.last().unwrap()["event"], "session_ended");
    drop(read_end);
}
