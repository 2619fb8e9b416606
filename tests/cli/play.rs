//! Recorded answers in review: `review play` really plays them (heard on the PulseAudio
//! rig's speakers, with the right length, in order), the keys work in a real terminal
//! (tmux), a missing or damaged recording is named and the rest still play, no device is
//! one clear error; `review keep` chooses the take that counts. Logs and FLAC files are
//! made here: `sox` writes the recordings as the recorder would (mono, 16 kHz).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use predicates::prelude::*;
use serde_json::{Value, json};

use crate::audio::{Burst, bursts, samples};
use crate::rig::PulseRig;
use crate::util::{Env, Tmux, records};

const STAMP: &str = "2026-12-01_09-30-00_healthcare-records-manager";

/// One recorded take of the made-up session: answer `index`, take `take`, and the tone
/// its file holds (`None`: the file is not written).
struct Rec {
    index: usize,
    take: u32,
    secs: f64,
    hz: Option<f64>,
    /// 1.2 s a take unless set.
    first_word_ms: Option<u64>,
    long_pauses: u32,
    /// The record names the file (`false`: it says the recording was not kept).
    kept: bool,
}

/// A take whose first word comes 1.2 s in per take number, with one long pause.
fn rec(index: usize, take: u32, secs: f64, hz: f64) -> Rec {
    Rec {
        index,
        take,
        secs,
        hz: Some(hz),
        first_word_ms: Some(1200 * u64::from(take)),
        long_pauses: 1,
        kept: true,
    }
}

const IDS: [&str; 3] = ["breach-notification", "retention-schedule", "legal-hold"];

fn file_of(index: usize, take: u32) -> String {
    let id = IDS[index - 1];
    if take == 1 {
        format!("{STAMP}/{index:02}-{id}.flac")
    } else {
        format!("{STAMP}/{index:02}-{id}-take{take}.flac")
    }
}

/// Writes a tone into a FLAC file as the recorder writes them: mono, 16 kHz, 16-bit.
fn tone(path: &Path, secs: f64, hz: f64) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let status = Command::new("sox")
        .args(["-n", "-r", "16000", "-c", "1", "-b", "16"])
        .arg(path)
        .args([
            "synth",
            &secs.to_string(),
            "sine",
            &hz.to_string(),
            "vol",
            "0.5",
        ])
        .status();
    assert!(
        status.is_ok_and(|s| s.success()),
        "sox could not write {}: this test needs it (apt-get install sox)",
        path.display()
    );
}

/// A session of three questions, each answered, with the takes `recs` recorded; returns
/// the log's path.
fn session(env: &Env, recs: &[Rec]) -> PathBuf {
    let dir = env.log_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let plan: Vec<Value> = IDS
        .iter()
        .enumerate()
        .map(|(i, id)| {
            json!({"index": i + 1, "id": id, "category": "Privacy",
                   "text": format!("Question {}: how would you handle {}?", i + 1, id.replace('-', " ")),
                   "limit_ms": 120000, "limit_source": "bank", "prep_ms": 0, "warn_ms": 30000, "min_ms": null})
        })
        .collect();
    let at = "2026-12-01T09:30:00.000+01:00";
    let mut lines = vec![
        json!({"at": at, "t_ms": 0, "event": "session_started", "schema": 1,
        "app_version": "0.1.0", "bank": "Healthcare Records Manager",
        "bank_key": "healthcare-records-manager", "bank_source": "built-in",
        "settings": {}, "seed": 1, "plan": plan}),
    ];
    let mut t = 0u64;
    for (i, id) in IDS.iter().enumerate() {
        let index = i + 1;
        lines.push(json!({"at": at, "t_ms": t, "event": "question_started", "index": index, "id": id, "limit_ms": 120000}));
        t += 10_000;
        lines.push(json!({"at": at, "t_ms": t, "event": "question_ended", "index": index, "id": id,
            "outcome": "answered", "answer_ms": 10000, "overtime_ms": 0, "paused_ms": 0, "prep_ms": 0, "short": false}));
        for r in recs.iter().filter(|r| r.index == index) {
            let file = file_of(index, r.take);
            if let Some(hz) = r.hz {
                tone(&dir.join(&file), r.secs, hz);
            }
            let ms = (r.secs * 1000.0) as u64;
            let file = if r.kept { json!(file) } else { Value::Null };
            lines.push(
                json!({"at": at, "t_ms": t, "event": "answer_recorded", "index": index, "id": id,
                "take": r.take, "file": file, "duration_ms": ms, "dropped_ms": 0,
                "first_word_ms": r.first_word_ms, "speech_ms": ms * 3 / 4, "longest_pause_ms": 3500,
                "long_pauses": r.long_pauses, "pause_threshold_ms": 3000, "level_db": -20.0}),
            );
        }
    }
    lines.push(json!({"at": at, "t_ms": t + 10, "event": "session_ended", "outcome": "completed",
        "answered": 3, "skipped": 0, "time_up": 0, "unfinished": 0, "over_time": 0, "total_ms": t + 10}));
    let path = dir.join(format!("{STAMP}.jsonl"));
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&path, text).unwrap();
    path
}

/// What the speakers played while `run` ran, as bursts.
fn heard(env: &Env, rig: &PulseRig, name: &str, run: impl FnOnce()) -> Vec<Burst> {
    let path = env.path().join(name);
    let hearing = rig.hear(&path);
    // Time for parecord to connect (it writes nothing while nothing plays).
    std::thread::sleep(Duration::from_millis(300));
    run();
    std::thread::sleep(Duration::from_millis(300));
    hearing.stop();
    bursts(&samples(&path))
}

/// The tones heard, in order, with how long each sounded in all: bursts of one pitch in a
/// row are one tone. A sound server under load may stall a stream for a moment, which
/// cuts a tone into pieces without losing any of it; a piece too short to have a reliable
/// pitch joins the tone next to it.
fn tones(bursts: &[Burst]) -> Vec<Burst> {
    let mut out: Vec<Burst> = Vec::new();
    let mut pending = 0.0;
    for b in bursts {
        if b.ms < 150.0 {
            match out.last_mut() {
                Some(last) => last.ms += b.ms,
                None => pending += b.ms,
            }
            continue;
        }
        match out.last_mut() {
            Some(last) if (last.hz - b.hz).abs() <= last.hz * 0.05 => last.ms += b.ms,
            _ => out.push(Burst {
                at_ms: b.at_ms,
                ms: b.ms + std::mem::take(&mut pending),
                hz: b.hz,
            }),
        }
    }
    out
}

fn assert_tone(b: &Burst, ms: f64, hz: f64) {
    assert!(
        (b.hz - hz).abs() <= hz * 0.03 && (b.ms - ms).abs() <= 150.0,
        "expected {ms} ms at {hz} Hz, heard {b:?}"
    );
}

#[test]
fn play_is_heard_on_the_speakers_with_each_answer_in_turn_and_its_length() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    session(
        &env,
        &[
            rec(1, 1, 1.5, 440.0),
            rec(2, 1, 2.5, 523.0),
            rec(2, 2, 2.0, 660.0),
        ],
    );
    // Every answer, the take that counts (the last): 1.5 s at 440 Hz, then 2 s at 660 Hz.
    let mut output = None;
    let all = heard(&env, &rig, "all.raw", || {
        output = Some(
            env.real_clock_cmd()
                .envs(rig.env.iter().map(|(k, v)| (k, v)))
                .args(["review", "play"])
                .write_stdin("")
                .output()
                .unwrap(),
        );
    });
    let output = output.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(
        stdout.contains("Question 1: how would you handle breach notification?")
            && stdout.contains("Question 2: how would you handle retention schedule?"),
        "each answer is introduced by its question: {stdout}"
    );
    assert!(stdout.find("Question 1").unwrap() < stdout.find("Question 2").unwrap());
    assert!(stdout.contains("take 2 of 2 (counts)"), "{stdout}");
    let all = tones(&all);
    assert_eq!(all.len(), 2, "{all:?}");
    assert_tone(&all[0], 1500.0, 440.0);
    assert_tone(&all[1], 2000.0, 660.0);

    // One answer, one take of it.
    let one = heard(&env, &rig, "one.raw", || {
        env.real_clock_cmd()
            .envs(rig.env.iter().map(|(k, v)| (k, v)))
            .args(["review", "play", "latest", "2", "--take", "1"])
            .write_stdin("")
            .assert()
            .success();
    });
    let one = tones(&one);
    assert_eq!(one.len(), 1, "{one:?}");
    assert_tone(&one[0], 2500.0, 523.0);
}

#[test]
fn a_missing_or_damaged_recording_is_named_and_the_others_still_play() {
    let env = Env::new();
    let log = session(
        &env,
        &[
            Rec {
                hz: None,
                ..rec(1, 1, 1.0, 0.0)
            },
            rec(2, 1, 1.0, 440.0),
            rec(3, 1, 1.0, 660.0),
        ],
    );
    let folder = log.parent().unwrap();
    std::fs::write(
        folder.join(file_of(2, 1)),
        b"fLaC but not really a FLAC file",
    )
    .unwrap();
    let (alsa, played) = crate::audio::capture(env.path());
    let out = env
        .real_clock_cmd()
        .env("ALSA_CONFIG_PATH", alsa)
        .args(["review", "play"])
        .write_stdin("")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "one line for each bad file: {stderr}");
    assert!(
        lines[0].ends_with(&format!("{}: the recording is missing", file_of(1, 1))),
        "{stderr}"
    );
    assert!(
        lines[1].contains(&file_of(2, 1)) && lines[1].contains("the recording is damaged"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
    // Not a terminal: no carriage return to go back to the left of one.
    assert!(!stderr.contains('\r'), "{stderr:?}");
    // The good one played in full: 1 s of 48 kHz samples at least.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Question 3"), "{stdout}");
    let heard = bursts(&samples(&played));
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert_tone(&heard[0], 1000.0, 660.0);
}

#[test]
fn without_a_device_one_line_says_so() {
    let env = Env::new();
    session(&env, &[rec(1, 1, 1.0, 440.0)]);
    env.real_clock_cmd()
        .env("ALSA_CONFIG_PATH", "/dev/null")
        .args(["review", "play"])
        .write_stdin("")
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "rehearse: no audio output device, so the recordings cannot be played",
        ))
        .stderr(predicate::str::contains("ALSA lib").not())
        .stderr(predicate::function(|s: &str| s.lines().count() == 1));
}

#[test]
fn play_names_what_it_cannot_play() {
    let env = Env::new();
    session(&env, &[rec(1, 1, 1.0, 440.0), rec(1, 2, 1.0, 440.0)]);
    let play = |args: &[&str]| {
        env.real_clock_cmd()
            .env("ALSA_CONFIG_PATH", "/dev/null")
            .args(["review", "play"])
            .args(args)
            .assert()
    };
    play(&["latest", "2"])
        .code(1)
        .stderr("rehearse: answer 2 of session 1 was not recorded\n");
    play(&["latest", "9"])
        .code(2)
        .stderr("rehearse: session 1 has no answer 9: its questions are numbered 1 to 3\n");
    play(&["latest", "1", "--take", "3"])
        .code(2)
        .stderr("rehearse: answer 1 of session 1 has no take 3: its takes are 1, 2\n");
}

#[test]
fn a_take_that_was_not_kept_says_why_and_not_that_there_was_no_log() {
    let env = Env::new();
    session(
        &env,
        &[Rec {
            kept: false,
            hz: None,
            ..rec(1, 1, 1.0, 0.0)
        }],
    );
    let (alsa, _) = crate::audio::capture(env.path());
    let out = env
        .real_clock_cmd()
        .env("ALSA_CONFIG_PATH", alsa)
        .args(["review", "play", "latest", "1"])
        .write_stdin("")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("take 1 has no recording: it could not be written to the disk"),
        "{stderr}"
    );
    assert!(!stderr.contains("without a log"), "{stderr}");
}

/// A session cut off (killed) while answer 1 was being recorded: its log ends at the
/// answer's start, and its recording is in the session's folder, named by no record.
fn cut_session(env: &Env) {
    let dir = env.log_dir();
    let log = session(env, &[]);
    let text = std::fs::read_to_string(&log).unwrap();
    let mut lines: Vec<&str> = text.lines().take(2).collect();
    let started =
        r#"{"at":"2026-12-01T09:30:01.000+01:00","t_ms":1000,"event":"answer_started","index":1}"#;
    lines.push(started);
    std::fs::write(&log, lines.join("\n") + "\n").unwrap();
    tone(&dir.join(file_of(1, 1)), 1.0, 660.0);
}

#[test]
fn a_take_cut_off_with_its_session_is_found_by_its_file_shown_and_played() {
    let env = Env::new();
    cut_session(&env);
    let out = env.cmd().args(["review", "show"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("take 1: recorded until the session was cut off, not measured"),
        "{stdout}"
    );
    let (alsa, played) = crate::audio::capture(env.path());
    let out = env
        .real_clock_cmd()
        .env("ALSA_CONFIG_PATH", alsa)
        .args(["review", "play"])
        .write_stdin("")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout.contains("cut off with the session, not measured"),
        "{stdout}"
    );
    let heard = bursts(&samples(&played));
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert_tone(&heard[0], 1000.0, 660.0);
    // By number too.
    env.real_clock_cmd()
        .env("ALSA_CONFIG_PATH", crate::audio::capture(env.path()).0)
        .args(["review", "play", "latest", "1", "--take", "1"])
        .write_stdin("")
        .assert()
        .success();
}

#[test]
fn play_refuses_a_pipe_or_a_link_in_place_of_a_recording_and_plays_the_rest() {
    let env = Env::new();
    let log = session(
        &env,
        &[
            Rec {
                hz: None,
                ..rec(1, 1, 1.0, 0.0)
            },
            Rec {
                hz: None,
                ..rec(2, 1, 1.0, 0.0)
            },
            rec(3, 1, 1.0, 660.0),
        ],
    );
    let folder = log.parent().unwrap();
    std::fs::create_dir_all(folder.join(STAMP)).unwrap();
    let fifo = std::ffi::CString::new(folder.join(file_of(1, 1)).to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    std::os::unix::fs::symlink("/dev/zero", folder.join(file_of(2, 1))).unwrap();
    let (alsa, played) = crate::audio::capture(env.path());
    let out = env
        .real_clock_cmd()
        .env("ALSA_CONFIG_PATH", alsa)
        .args(["review", "play"])
        .write_stdin("")
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].contains(&file_of(1, 1)) && lines[0].contains("not a file but a pipe"),
        "{stderr}"
    );
    assert!(
        lines[1].contains(&file_of(2, 1)) && lines[1].contains("a link"),
        "{stderr}"
    );
    let heard = bursts(&samples(&played));
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert_tone(&heard[0], 1000.0, 660.0);
}

#[test]
fn an_hour_long_recording_starts_at_once() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    let log = session(
        &env,
        &[Rec {
            hz: None,
            ..rec(1, 1, 3600.0, 0.0)
        }],
    );
    // A second of tone, then an hour of silence, as the recorder writes it.
    let path = log.parent().unwrap().join(file_of(1, 1));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let status = Command::new("sox")
        .args(["-n", "-r", "16000", "-c", "1", "-b", "16"])
        .arg(&path)
        .args([
            "synth", "1", "sine", "440", "vol", "0.5", "pad", "0", "3600",
        ])
        .status();
    assert!(status.is_ok_and(|s| s.success()), "sox is needed");
    let hearing_at = env.path().join("hour.raw");
    let hearing = rig.hear(&hearing_at);
    let mut cmd = env.spawn_cmd();
    cmd.envs(rig.env.iter().map(|(k, v)| (k, v)))
        .args(["review", "play"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    // The tone is heard within seconds (decoded whole first, the hour took most of a
    // minute), while it plays on.
    let deadline = Instant::now() + Duration::from_secs(10);
    let started = loop {
        let heard = tones(&bursts(&samples(&hearing_at)));
        if heard
            .iter()
            .any(|b| (b.hz - 440.0).abs() < 15.0 && b.ms > 500.0)
        {
            break true;
        }
        if Instant::now() > deadline || child.try_wait().unwrap().is_some() {
            break false;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    // A signal ends it, as it ends a session.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let out = child.wait_with_output().unwrap();
    hearing.stop();
    assert!(started, "{out:?}");
    assert_eq!(out.status.code(), Some(143), "{out:?}");
}

/// Waits until `test` holds for the screen, up to 10 s.
fn wait_screen(tmux: &Tmux, what: &str, test: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let screen = tmux.screen();
        if test(&screen) {
            return screen;
        }
        assert!(
            Instant::now() < deadline,
            "waited for {what}; the screen shows:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The position the bar shows last, in seconds (`0:07 / 0:30`).
fn position(screen: &str) -> Option<u64> {
    let line = screen.lines().rev().find(|l| l.contains(" / 0:"))?;
    let at = line.split(" / ").next()?.split_whitespace().last()?;
    let (m, s) = at.split_once(':')?;
    Some(m.parse::<u64>().ok()? * 60 + s.parse::<u64>().ok()?)
}

#[test]
fn keys_pause_jump_skip_and_stop_in_a_terminal() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    session(
        &env,
        &[
            rec(1, 1, 30.0, 440.0),
            rec(2, 1, 30.0, 660.0),
            rec(3, 1, 30.0, 880.0),
        ],
    );
    let envs: String = rig.env.iter().map(|(k, v)| format!(" {k}='{v}'")).collect();
    let command = format!(
        "cd {} && {}{envs} {} review play; echo exit=$?; sleep 60",
        env.path().display(),
        env.clean_shell_env(),
        assert_cmd::cargo::cargo_bin("rehearse").display()
    );
    let tmux = Tmux::start(env.path(), &command);
    tmux.wait_for("Question 1: how would you handle breach notification?");
    tmux.wait_for("Space pause");
    wait_screen(&tmux, "the bar at 0:01", |s| {
        position(s).is_some_and(|p| p >= 1)
    });

    // Space pauses: the position stays where it was.
    tmux.keys(&["Space"]);
    let paused = tmux.wait_for("paused");
    let at = position(&paused).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        position(&tmux.screen()),
        Some(at),
        "paused, it must not move"
    );

    // Right jumps 5 s ahead (while paused too), Left 5 s back.
    tmux.keys(&["Right"]);
    wait_screen(&tmux, "a jump of 5 s", |s| position(s) == Some(at + 5));
    tmux.keys(&["Right"]);
    wait_screen(&tmux, "a jump of 10 s", |s| position(s) == Some(at + 10));
    tmux.keys(&["Left"]);
    wait_screen(&tmux, "back to 5 s on", |s| position(s) == Some(at + 5));

    // Space again: it plays on from there.
    tmux.keys(&["Space"]);
    wait_screen(&tmux, "playing on", |s| {
        !s.lines().rev().take(2).any(|l| l.contains("paused"))
            && position(s).is_some_and(|p| p >= at + 6)
    });

    // n: the next answer, from its start.
    tmux.keys(&["n"]);
    tmux.wait_for("Question 2: how would you handle retention schedule?");
    wait_screen(&tmux, "answer 2 playing", |s| {
        s.lines()
            .skip_while(|l| !l.contains("Question 2"))
            .any(|l| l.contains(" / 0:30"))
    });

    // q: stop, and nothing after it.
    tmux.keys(&["q"]);
    let end = tmux.wait_for("exit=0");
    assert!(!end.contains("Question 3"), "{end}");
}

#[test]
fn keep_chooses_the_take_that_counts() {
    let env = Env::new();
    let log = session(
        &env,
        &[
            rec(1, 1, 1.0, 440.0),
            rec(1, 2, 1.0, 440.0),
            rec(2, 1, 1.0, 440.0),
        ],
    );
    let show = || {
        let out = env.cmd().args(["review", "show"]).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(
        show().contains("take 2 (counts): spoke"),
        "the last take counts"
    );
    env.cmd()
        .args(["review", "keep", "latest", "1", "1"])
        .assert()
        .success()
        .stdout("take 1 of answer 1 (breach-notification) now counts in session 1\n");
    let last = records(&log).pop().unwrap();
    assert_eq!(
        (&last["event"], &last["index"], &last["take"]),
        (&json!("take_kept"), &json!(1), &json!(1))
    );
    let text = show();
    assert!(text.contains("take 1 (counts): spoke"), "{text}");
    assert!(text.contains("take 2: spoke"), "{text}");
    // Stats use it: the first word of take 1 (1.2 s), not of take 2 (2.4 s).
    let stats: Value = serde_json::from_slice(
        &env.cmd()
            .args(["review", "stats", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let breach = stats["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["key"] == "breach-notification")
        .unwrap();
    assert_eq!(breach["spoken"]["median_first_word_ms"], 1200, "{breach}");

    // Already counting: nothing is written.
    let before = std::fs::read(&log).unwrap();
    env.cmd()
        .args(["review", "keep", "latest", "1", "1"])
        .assert()
        .success()
        .stdout(predicate::str::contains("already counts"));
    assert_eq!(std::fs::read(&log).unwrap(), before);

    // Mistakes are named.
    env.cmd()
        .args(["review", "keep", "latest", "1", "5"])
        .assert()
        .code(2)
        .stderr("rehearse: answer 1 of session 1 has no take 5: its takes are 1, 2\n");
    env.cmd()
        .args(["review", "keep", "latest", "3", "1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "answer 3 of session 1 was not recorded",
        ));
}

#[test]
fn keep_waits_for_no_session_and_mends_a_torn_last_line() {
    use std::os::fd::AsRawFd;
    let env = Env::new();
    let log = session(&env, &[rec(1, 1, 1.0, 440.0), rec(1, 2, 1.0, 440.0)]);
    // A session still writing the log holds its lock: the choice is refused, not mixed in.
    let holder = std::fs::File::open(&log).unwrap();
    assert_eq!(unsafe { libc::flock(holder.as_raw_fd(), libc::LOCK_EX) }, 0);
    let before = std::fs::read(&log).unwrap();
    env.cmd()
        .args(["review", "keep", "latest", "1", "1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("still being written"));
    assert_eq!(std::fs::read(&log).unwrap(), before);
    drop(holder);

    // A log cut off mid-line by a crash: the choice goes on a line of its own.
    let mut torn = before.clone();
    torn.truncate(torn.len() - 20);
    std::fs::write(&log, &torn).unwrap();
    env.cmd()
        .args(["review", "keep", "latest", "1", "1"])
        .assert()
        .success();
    let text = std::fs::read_to_string(&log).unwrap();
    let last: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(last["event"], "take_kept");
    let out = env.cmd().args(["review", "show"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("take 1 (counts)"));
}

#[test]
fn keep_never_adds_to_a_file_a_link_in_the_log_folder_points_to() {
    let env = Env::new();
    let log = session(&env, &[rec(1, 1, 1.0, 440.0), rec(1, 2, 1.0, 440.0)]);
    // The session log moved out of the folder, and a link to it left in its place.
    let outside = env.path().join("outside.jsonl");
    std::fs::rename(&log, &outside).unwrap();
    std::os::unix::fs::symlink(&outside, &log).unwrap();
    let before = std::fs::read(&outside).unwrap();
    let out = env
        .cmd()
        .args(["review", "keep", "latest", "1", "1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("a link, which is not followed"), "{stderr}");
    assert_eq!(std::fs::read(&outside).unwrap(), before);
}

#[test]
fn the_report_charts_the_spoken_answers_in_chromium() {
    use crate::report::{Shot, chart_svg, chromium, file_url};
    let env = Env::new();
    session(
        &env,
        &[
            rec(1, 1, 1.0, 440.0),
            rec(1, 2, 1.0, 440.0),
            rec(2, 1, 1.0, 440.0),
        ],
    );
    let page = env.path().join("report.html");
    env.cmd()
        .args(["review", "report", "-o"])
        .arg(&page)
        .assert()
        .success();
    let html = std::fs::read_to_string(&page).unwrap();
    // Two recorded answers counted (take 2 of answer 1, answer 2): first words 2.4 and
    // 1.2 s, so a median of 1.8 s; three quarters of the time spoken; 2 long pauses.
    assert!(
        html.contains("2 answers recorded: the first word came after 1.8&nbsp;s (the median), you spoke 75% of the time, with 2 long pauses"),
        "{html}"
    );
    let charts = [
        ("first-word", "#0072b2"),
        ("speaking-share", "#009e73"),
        ("long-pauses", "#d55e00"),
    ];
    let mut grid = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>body{margin:0}\
         div{position:absolute;width:600px;height:420px;overflow:hidden}\
         svg{width:600px;height:auto}</style></head><body>",
    );
    for (i, (id, _)) in charts.iter().enumerate() {
        grid.push_str(&format!(
            "<div style=\"left:0;top:{}px\">{}</div>",
            i * 420,
            chart_svg(&html, id)
        ));
    }
    grid.push_str("</body></html>");
    let grid_path = env.path().join("spoken.html");
    std::fs::write(&grid_path, grid).unwrap();
    let shot = Shot::take(
        &file_url(&grid_path),
        600,
        420 * charts.len(),
        &env.path().join("spoken.png"),
    );
    for (i, (id, colour)) in charts.iter().enumerate() {
        let n = shot.count(colour, 0, i * 420, 600, 420);
        assert!(
            n >= 20,
            "chart {id}: {n} pixels of {colour}: its marks are missing"
        );
    }
    let dom = chromium(&["--dump-dom"], &file_url(&page));
    let dom = String::from_utf8(dom.stdout).unwrap();
    assert!(dom.contains("<h2>How you spoke</h2>"), "{dom}");
    for (id, _) in charts {
        assert!(
            dom.contains(&format!("<desc id=\"{id}-d\">")),
            "{id} missing in the DOM"
        );
    }
}

#[test]
fn weakest_counts_late_starts_and_long_silences_as_weak() {
    let env = Env::new();
    let mut bank = String::new();
    for id in IDS {
        bank.push_str(&format!("[[questions]]\nid = \"{id}\"\ntext = \"{id}?\"\n"));
    }
    // The bank of the session's log, by its name.
    let bank = env.write("healthcare-records-manager.toml", &bank);
    // All three answered in time and unrated, so alike but for the recordings: the first
    // started late (7 s), the second was fluent, the third had two long pauses.
    session(
        &env,
        &[
            Rec {
                first_word_ms: Some(7_000),
                long_pauses: 0,
                ..rec(1, 1, 1.0, 440.0)
            },
            Rec {
                first_word_ms: Some(800),
                long_pauses: 0,
                ..rec(2, 1, 1.0, 440.0)
            },
            Rec {
                first_word_ms: Some(800),
                long_pauses: 2,
                ..rec(3, 1, 1.0, 440.0)
            },
        ],
    );
    let out = env
        .cmd()
        .args(["run", bank.to_str().unwrap(), "--weakest", "3", "--dry-run"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("weakest first, by score: "))
        .unwrap_or_else(|| panic!("{stdout}"));
    let scores: Vec<(&str, f64)> = line
        .trim_start_matches("weakest first, by score: ")
        .split(", ")
        .map(|p| {
            let (id, score) = p.rsplit_once(' ').unwrap();
            (id, score.parse().unwrap())
        })
        .collect();
    let ids: Vec<&str> = scores.iter().map(|s| s.0).collect();
    assert_eq!(
        ids,
        ["breach-notification", "legal-hold", "retention-schedule"],
        "{line}"
    );
    // One point each for the late start and for the long silence, as the user guide says.
    assert!((scores[0].1 - scores[2].1 - 1.0).abs() < 0.011, "{line}");
    assert!((scores[1].1 - scores[2].1 - 1.0).abs() < 0.011, "{line}");
}

#[test]
fn play_is_as_loud_as_the_cues_are_set() {
    let env = Env::new();
    session(&env, &[rec(1, 1, 0.5, 440.0)]);
    let (alsa, played) = crate::audio::capture(env.path());
    // The loudest sample heard: the file's tone is at half of full scale.
    let peak = |args: &[&str], config: Option<&str>| {
        let _ = std::fs::remove_file(&played);
        let mut cmd = env.real_clock_cmd();
        if let Some(text) = config {
            cmd.env("REHEARSE_CONFIG", env.write("config.toml", text));
        }
        cmd.env("ALSA_CONFIG_PATH", &alsa)
            .args(["review", "play"])
            .args(args)
            .write_stdin("")
            .assert()
            .success();
        let loudest = samples(&played).iter().map(|s| s.unsigned_abs()).max();
        f64::from(loudest.unwrap_or(0)) / 32768.0
    };
    let near = |got: f64, want: f64| (got - want).abs() < 0.03;
    // The cues' default, 80.
    let default = peak(&[], None);
    assert!(near(default, 0.5 * 0.8), "{default}");
    // The config file's volume, and --volume over it.
    let config = peak(&[], Some("volume = 30\n"));
    assert!(near(config, 0.5 * 0.3), "{config}");
    let flag = peak(&["--volume", "60"], Some("volume = 30\n"));
    assert!(near(flag, 0.5 * 0.6), "{flag}");
}

/// A shell in tmux, on the rig, in the clean environment.
fn shell_on(env: &Env, rig: &PulseRig, command: &str) -> Tmux {
    let envs: String = rig.env.iter().map(|(k, v)| format!(" {k}='{v}'")).collect();
    let script = format!(
        "cd {} && {}{envs} {command}",
        env.path().display(),
        env.clean_shell_env(),
    );
    Tmux::start(env.path(), &script)
}

fn rehearse() -> String {
    assert_cmd::cargo::cargo_bin("rehearse")
        .display()
        .to_string()
}

#[test]
fn ctrl_z_stops_play_and_fg_brings_it_back_with_keys_that_act_at_once() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    session(&env, &[rec(1, 1, 30.0, 440.0)]);
    let tmux = shell_on(&env, &rig, "bash --norc -i");
    tmux.keys(&["-l", &format!("{} review play\n", rehearse())]);
    wait_screen(&tmux, "the bar", |s| position(s).is_some_and(|p| p >= 1));
    tmux.keys(&["C-z"]);
    tmux.wait_for("Stopped");
    tmux.keys(&["-l", "fg\n"]);
    // Back, paused, with a bar of its own below what the shell printed.
    let paused = wait_screen(&tmux, "the bar again, paused", |s| {
        s.rsplit("fg")
            .next()
            .is_some_and(|after| after.contains("paused"))
    });
    let at = position(&paused).unwrap();
    // Space, no Enter: playing again.
    tmux.keys(&["Space"]);
    wait_screen(&tmux, "playing on", |s| {
        s.rsplit("fg").next().is_some_and(|after| {
            !after.contains("paused") && position(after).is_some_and(|p| p > at)
        })
    });
    // q, no Enter: the shell's prompt is back.
    tmux.keys(&["q"]);
    wait_screen(&tmux, "the prompt", |s| {
        s.trim_end().ends_with('#') || s.trim_end().ends_with('$')
    });
}

#[test]
fn a_signal_ends_play_and_gives_the_terminal_back() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    session(&env, &[rec(1, 1, 30.0, 440.0)]);
    let pid_file = env.path().join("pid");
    for (signal, code) in [
        (libc::SIGTERM, 143),
        (libc::SIGHUP, 129),
        (libc::SIGINT, 130),
    ] {
        let _ = std::fs::remove_file(&pid_file);
        let command = format!(
            "sh -c 'echo $$ > {pid}; exec {bin} review play'; echo EXIT=$?; \
             stty -a | grep -o -- '-*icanon'; echo DONE; sleep 30",
            pid = pid_file.display(),
            bin = rehearse(),
        );
        let tmux = shell_on(&env, &rig, &command);
        wait_screen(&tmux, "the bar", |s| position(s).is_some_and(|p| p >= 1));
        let pid: i32 = std::fs::read_to_string(&pid_file)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        unsafe { libc::kill(pid, signal) };
        let screen = tmux.wait_for("\nDONE");
        assert!(screen.contains(&format!("EXIT={code}")), "{screen}");
        assert!(screen.contains("\nicanon\n"), "line mode is back: {screen}");
    }
}

#[test]
fn a_long_question_wraps_at_words_in_a_terminal() {
    let env = Env::new();
    let log = session(&env, &[rec(1, 1, 0.5, 440.0)]);
    let words: Vec<String> = (0..30).map(|i| format!("word{i:02}records")).collect();
    let long = words.join(" ");
    let text = std::fs::read_to_string(&log).unwrap().replace(
        "Question 1: how would you handle breach notification?",
        &long,
    );
    std::fs::write(&log, text).unwrap();
    let (alsa, _) = crate::audio::capture(env.path());
    let command = format!(
        "cd {} && {} ALSA_CONFIG_PATH='{alsa}' {} review play; echo EXIT=$?; sleep 30",
        env.path().display(),
        env.clean_shell_env(),
        rehearse(),
    );
    let tmux = Tmux::start(env.path(), &command);
    let screen = tmux.wait_for("EXIT=");
    let shown: Vec<&str> = screen.split_whitespace().collect();
    for word in &words {
        assert!(shown.contains(&word.as_str()), "{word} is cut: {screen}");
    }
}
