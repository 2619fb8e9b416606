//! The interviewer's voice, heard for real: sessions with `--speak` play through a private
//! PulseAudio server whose speakers are recorded in real time (`rig`), so the tests hear
//! when the question is read, for how long, and what follows it. The same text rendered
//! by espeak-ng in the test is the measure of what should be heard.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use serde_json::Value;

use crate::audio::{Burst, SIGNATURES, bursts, bursts_at, samples};
use crate::rig::PulseRig;
use crate::util::{Env, Tmux, events, records};

const QUESTION: &str = "Tell me about a time you disagreed with your manager.";
const LONG_QUESTION: &str = "Walk me through the last project you led from the first \
    meeting to the final report, and tell me what you would do differently today, and why.";

/// A bank of the given questions, with ids q1, q2, ...
fn bank(env: &Env, texts: &[&str]) -> PathBuf {
    let text: String = texts
        .iter()
        .enumerate()
        .map(|(i, t)| format!("[[questions]]\nid = \"q{}\"\ntext = \"{t}\"\n\n", i + 1))
        .collect();
    env.write("voice.toml", &text)
}

/// A WAV file's samples (16-bit, first channel) and rate.
fn wav(path: &Path) -> (Vec<i16>, f64) {
    let bytes = std::fs::read(path).expect("read the WAV");
    assert_eq!(&bytes[..4], b"RIFF", "{} is not a WAV", path.display());
    let (mut at, mut rate, mut channels) = (12, 0.0, 1);
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let size = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        let body = &bytes[at + 8..(at + 8 + size).min(bytes.len())];
        if id == b"fmt " {
            channels = u16::from_le_bytes([body[2], body[3]]) as usize;
            rate = f64::from(u32::from_le_bytes(body[4..8].try_into().unwrap()));
        } else if id == b"data" {
            let all: Vec<i16> = body
                .chunks_exact(2)
                .map(|b| i16::from_le_bytes([b[0], b[1]]))
                .collect();
            return (all.into_iter().step_by(channels).collect(), rate);
        }
        at += 8 + size + size % 2;
    }
    panic!("{}: no data chunk", path.display());
}

/// What espeak-ng makes of `text` with its defaults: its length and the span from its
/// first sound to its last, in ms.
fn espeak(dir: &Path, text: &str) -> (f64, f64) {
    let out = dir.join("expected.wav");
    let status = std::process::Command::new("espeak-ng")
        .arg("-w")
        .arg(&out)
        .arg(text)
        .status()
        .expect("espeak-ng is installed (apt-get install espeak-ng)");
    assert!(status.success());
    let (samples, rate) = wav(&out);
    let length = samples.len() as f64 / rate * 1000.0;
    (length, sound_span(&bursts_at(&samples, rate)))
}

/// From the start of the first burst to the end of the last.
fn sound_span(bursts: &[Burst]) -> f64 {
    match (bursts.first(), bursts.last()) {
        (Some(first), Some(last)) => last.at_ms + last.ms - first.at_ms,
        _ => 0.0,
    }
}

/// Where a cue begins among the bursts: the first place its notes follow each other.
fn find_cue(bursts: &[Burst], name: &str) -> Option<usize> {
    let notes = SIGNATURES.iter().find(|(n, _)| *n == name).unwrap().1;
    let fits = |b: &Burst, &(hz, ms): &(f64, f64)| {
        (b.hz - hz).abs() <= hz * 0.03 && (b.ms - ms).abs() <= ms * 0.2
    };
    (0..bursts.len().saturating_sub(notes.len() - 1))
        .find(|&i| notes.iter().zip(&bursts[i..]).all(|(n, b)| fits(b, n)))
}

/// Runs `rehearse ARGS` on the rig's speakers, hearing what it plays.
fn heard_run(env: &Env, rig: &PulseRig, args: &[&str], path: Option<&str>) -> (Output, Vec<Burst>) {
    let heard = env.path().join("heard.raw");
    let hearing = rig.hear(&heard);
    // Time for parecord to connect (it writes nothing while nothing plays).
    std::thread::sleep(Duration::from_millis(200));
    let mut cmd = env.real_clock_cmd();
    cmd.envs(rig.env.iter().map(|(k, v)| (k, v)));
    if let Some(path) = path {
        cmd.env("PATH", path);
    }
    let out = cmd.args(args).write_stdin("").output().unwrap();
    hearing.stop();
    (out, bursts(&samples(&heard)))
}

fn t_ms(record: &Value) -> i64 {
    record["t_ms"].as_i64().unwrap()
}

#[test]
fn the_question_is_heard_for_as_long_as_its_speech_and_before_the_start_cue() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    let (length, span) = espeak(env.path(), QUESTION);
    let bank = bank(&env, &[QUESTION]);
    let (out, heard) = heard_run(
        &env,
        &rig,
        &[
            "run",
            bank.to_str().unwrap(),
            "--all",
            "--time",
            "2s",
            "--ticks",
            "0",
            "--speak",
        ],
        None,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.is_empty(), "{stderr}");

    // Heard: the speech, then the start cue, never on top of each other.
    let start = find_cue(&heard, "start").unwrap_or_else(|| panic!("no start cue: {heard:?}"));
    let speech = &heard[..start];
    assert!(!speech.is_empty(), "nothing was heard before the start cue");
    let said = sound_span(speech);
    assert!(
        (said - span).abs() < 200.0,
        "heard {said:.0} ms of speech, espeak-ng's WAV has {span:.0} ms of sound"
    );
    let last = speech.last().unwrap();
    assert!(heard[start].at_ms >= last.at_ms + last.ms, "{heard:?}");

    // Logged: the reading's length, then the answer's clock, which starts after it.
    let records = env.only_log();
    let spoken = events(&records, "question_spoken");
    assert_eq!(spoken.len(), 1, "{records:?}");
    assert_eq!(
        (&spoken[0]["index"], &spoken[0]["cut"]),
        (&1.into(), &false.into())
    );
    let speech_ms = spoken[0]["speech_ms"].as_f64().unwrap();
    assert!(
        (speech_ms - length).abs() < 200.0,
        "speech_ms {speech_ms}, the WAV is {length:.0} ms"
    );
    let started = events(&records, "question_started")[0];
    let answering = events(&records, "answer_started")[0];
    let ended = events(&records, "question_ended")[0];
    // Each stamp is rounded down to the millisecond on its own.
    assert!((t_ms(spoken[0]) - t_ms(started) - speech_ms as i64).abs() <= 1);
    assert!(t_ms(answering) >= t_ms(spoken[0]));
    assert_eq!(ended["answer_ms"], 2000, "speech is not answer time");
    assert_eq!(t_ms(ended) - t_ms(answering), 2000);
}

#[test]
fn enter_cuts_the_reading_short_and_the_answer_starts_at_once() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    let (length, _) = espeak(env.path(), LONG_QUESTION);
    assert!(length > 6000.0, "the long question takes {length} ms");
    let bank = bank(&env, &[LONG_QUESTION]);
    let heard = env.path().join("heard.raw");
    let hearing = rig.hear(&heard);
    let rig_env: String = rig.env.iter().map(|(k, v)| format!(" {k}='{v}'")).collect();
    let command = format!(
        "cd {} && {}{rig_env} {} run {} --all --time 30s --speak",
        env.path().display(),
        env.clean_shell_env(),
        assert_cmd::cargo::cargo_bin("rehearse").display(),
        bank.display()
    );
    let tmux = Tmux::started(env.path(), &command);
    tmux.wait_for("Asking…");
    std::thread::sleep(Duration::from_millis(1500));
    tmux.keys(&["Enter"]);
    tmux.wait_for("left");
    tmux.keys(&["q"]);
    env.wait_for_event("session_ended");
    // The start cue still plays out after the session ends, through the device's buffer.
    std::thread::sleep(Duration::from_millis(1500));
    hearing.stop();
    let records = env.only_log();
    let spoken = events(&records, "question_spoken");
    assert_eq!(spoken[0]["cut"], true, "{records:?}");
    let speech_ms = spoken[0]["speech_ms"].as_f64().unwrap();
    assert!(
        (1400.0..3500.0).contains(&speech_ms),
        "cut after {speech_ms} ms of {length:.0}"
    );
    let answering = events(&records, "answer_started")[0];
    assert_eq!(
        t_ms(answering),
        t_ms(spoken[0]),
        "the answer starts at once"
    );
    // The reading stopped when it was cut: what was heard of it is that long, not the
    // whole question, and the start cue came at once after it (so its first note may run
    // into the last sound of the speech: it is found by its second).
    let heard = bursts(&samples(&heard));
    let high = heard
        .iter()
        .position(|b| (b.hz - 784.0).abs() < 784.0 * 0.03 && (b.ms - 250.0).abs() < 50.0)
        .unwrap_or_else(|| panic!("no start cue: {heard:?}"));
    let said = heard[high].at_ms - 120.0 - heard[0].at_ms;
    assert!(
        said < speech_ms + 300.0 && said > 500.0,
        "heard {said:.0} ms of speech, cut at {speech_ms} ms"
    );
}

#[test]
fn mute_speaks_nothing() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    let bank = bank(&env, &[QUESTION]);
    let (out, heard) = heard_run(
        &env,
        &rig,
        &[
            "run",
            bank.to_str().unwrap(),
            "--all",
            "--time",
            "1s",
            "--speak",
            "--mute",
        ],
        None,
    );
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(heard.is_empty(), "{heard:?}");
    let records = env.only_log();
    assert!(events(&records, "question_spoken").is_empty());
    assert!(events(&records, "cue").is_empty());
}

#[test]
fn without_espeak_ng_one_warning_says_how_to_install_it_and_the_session_goes_on() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    let bank = bank(&env, &[QUESTION, "Why this role?"]);
    // A PATH with nothing on it: rehearse is started by its full path.
    let empty = env.path().join("empty-bin");
    std::fs::create_dir(&empty).unwrap();
    let (out, heard) = heard_run(
        &env,
        &rig,
        &[
            "run",
            bank.to_str().unwrap(),
            "--all",
            "--time",
            "1s",
            "--gap",
            "0",
            "--speak",
        ],
        Some(empty.to_str().unwrap()),
    );
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "rehearse: espeak-ng is not installed, so questions are not read aloud (on Debian or \
         Ubuntu: apt-get install espeak-ng): the text is on screen\n"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(QUESTION) && stdout.contains("Why this role?"),
        "{stdout}"
    );
    let records = env.only_log();
    assert!(events(&records, "question_spoken").is_empty());
    assert_eq!(events(&records, "question_ended").len(), 2);
    assert_eq!(records.last().unwrap()["outcome"], "completed");
    // The cues are still heard: only the voice is missing.
    assert!(find_cue(&heard, "start").is_some(), "{heard:?}");
}

/// A voice command of one's own: a script that writes a 1 kHz tone of 600 ms to `{out}`
/// and keeps the text it was given.
fn tone_voice(env: &Env) -> (String, PathBuf) {
    assert!(
        std::process::Command::new("sox")
            .arg("--version")
            .output()
            .is_ok(),
        "sox is not installed, and this test needs it: apt-get install sox"
    );
    let said = env.path().join("said.txt");
    let script = env.write(
        "tone-voice",
        &format!(
            "#!/bin/sh\nprintf '%s' \"$2\" > '{}'\nexec sox -n -r 22050 -c 1 -b 16 \"$1\" synth 0.6 sine 1000 vol 0.5\n",
            said.display()
        ),
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (format!("{} {{out}} {{text}}", script.display()), said)
}

fn tone(bursts: &[Burst]) -> Option<&Burst> {
    bursts
        .iter()
        .find(|b| (b.hz - 1000.0).abs() < 30.0 && (b.ms - 600.0).abs() < 60.0)
}

#[test]
fn a_voice_command_plays_the_wav_it_writes() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    let (command, said) = tone_voice(&env);
    let question = "What's $HOME; `whoami` -v?";
    let bank = env.write(
        "voice.toml",
        &format!("[[questions]]\nid = \"q1\"\ntext = \"{question}\"\n"),
    );
    let (out, heard) = heard_run(
        &env,
        &rig,
        &[
            "run",
            bank.to_str().unwrap(),
            "--all",
            "--time",
            "1s",
            "--ticks",
            "0",
            "--speak",
            "--voice-command",
            &command,
        ],
        None,
    );
    assert!(out.status.success() && out.stderr.is_empty(), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(&said).unwrap(),
        question,
        "the question reached the command as one argument, untouched"
    );
    let at = tone(&heard).unwrap_or_else(|| panic!("no 1 kHz tone of 600 ms: {heard:?}"));
    let start = find_cue(&heard, "start").unwrap();
    assert!(at.at_ms + at.ms <= heard[start].at_ms, "{heard:?}");
    let records = env.only_log();
    let speech_ms = events(&records, "question_spoken")[0]["speech_ms"]
        .as_f64()
        .unwrap();
    assert!((speech_ms - 600.0).abs() < 200.0, "{speech_ms}");
}

#[test]
fn sounds_names_the_voice_and_say_speaks_with_it() {
    let env = Env::new();
    env.real_clock_cmd()
        .args(["sounds"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "voice    reads questions (--speak)            espeak-ng, its default voice, its default speed (",
        ));
    env.real_clock_cmd()
        .env("PATH", env.path())
        .args(["sounds", "--voice", "en-gb", "--speech-rate", "140"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "espeak-ng, voice en-gb, 140 words a minute: not installed (on Debian or Ubuntu: apt-get install espeak-ng)",
        ));
    let rig = PulseRig::start(&env.path().join("rig"));
    let (command, said) = tone_voice(&env);
    let (out, heard) = heard_run(
        &env,
        &rig,
        &[
            "sounds",
            "--voice-command",
            &command,
            "say",
            "Hello",
            "there",
        ],
        None,
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(std::fs::read_to_string(&said).unwrap(), "Hello there");
    assert!(tone(&heard).is_some(), "{heard:?}");
    // Without the program: the reason, and a failure.
    env.real_clock_cmd()
        .env("PATH", env.path())
        .args(["sounds", "say", "Hello"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("apt-get install espeak-ng"));
}

/// On the virtual clock and without a device: the log names the voice, and a question
/// nobody could hear is not logged as read, but its answer still starts.
#[test]
fn the_log_names_the_voice_and_an_unheard_question_is_not_logged_as_read() {
    let env = Env::new();
    let bank = bank(&env, &[QUESTION]);
    let out = env
        .cmd()
        .env("ALSA_CONFIG_PATH", "/dev/null")
        .args([
            "run",
            bank.to_str().unwrap(),
            "--all",
            "--time",
            "1s",
            "--speak",
            "--voice",
            "en-us",
        ])
        .write_stdin("")
        .output()
        .unwrap();
    assert!(out.status.success());
    let records = records(&env.logs()[0]);
    assert_eq!(records[0]["settings"]["speak"], true);
    assert_eq!(
        records[0]["settings"]["voice"],
        "espeak-ng, voice en-us, its default speed"
    );
    // No device: nothing was heard, so no reading is logged, and the answer starts.
    assert!(events(&records, "question_spoken").is_empty());
    assert_eq!(events(&records, "answer_started").len(), 1);
    assert_eq!(events(&records, "question_ended")[0]["answer_ms"], 1000);
}

/// An executable script in the test's folder.
fn script(env: &Env, name: &str, body: &str) -> PathBuf {
    let path = env.write(name, &format!("#!/bin/sh\n{body}\n"));
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[test]
fn a_voice_that_says_its_sound_is_at_1_hz_is_refused_not_resampled() {
    let env = Env::new();
    // A WAV header declaring 1 Hz, then 130,000 samples: resampled to 48 kHz, 6 billion.
    let wav = env.path().join("one-hertz.wav");
    let samples = 130_000u32;
    let mut bytes = Vec::new();
    for chunk in [&b"RIFF"[..], &(36 + samples * 2).to_le_bytes(), b"WAVEfmt "] {
        bytes.extend_from_slice(chunk);
    }
    for field in [16u32, 1 | (1 << 16), 1, 2, 2 | (16 << 16)] {
        bytes.extend_from_slice(&field.to_le_bytes());
    }
    bytes.extend_from_slice(b"data");
    bytes.extend_from_slice(&(samples * 2).to_le_bytes());
    bytes.extend((0..samples).flat_map(|i| ((i % 200) as i16 * 50).to_le_bytes()));
    std::fs::write(&wav, bytes).unwrap();
    let tts = script(&env, "tts", &format!("cp '{}' \"$1\"", wav.display()));
    let mut cmd = env.spawn_cmd();
    cmd.args(["sounds", "--voice-command"])
        .arg(format!("{} {{out}}", tts.display()))
        .args(["say", "Hello"])
        .env("ALSA_CONFIG_PATH", "/dev/null");
    crate::util::limit_memory(&mut cmd, 1 << 30);
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("its sample rate is 1 Hz"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn question_text_in_a_shell_script_is_refused_and_the_text_is_offered_in_the_environment() {
    let env = Env::new();
    env.cmd()
        .args([
            "run",
            "--speak",
            "--voice-command",
            "sh -c 'espeak-ng {text} -w {out}'",
        ])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "would run each question as shell code; write \"$REHEARSE_TEXT\" there instead",
        ));
    assert!(env.logs().is_empty());
    // The same from the config file.
    let config = env.write(
        "config.toml",
        "voice_command = \"bash -c 'say {text} > {out}'\"\n",
    );
    env.cmd()
        .env("REHEARSE_CONFIG", &config)
        .args(["run", "--speak"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "config.toml:1:17: voice_command: {text}",
        ));
    // The way it says: the question in the environment, read by the script as data.
    let said = env.path().join("said.txt");
    let tts = script(
        &env,
        "tts",
        &format!(
            "printf '%s' \"$REHEARSE_TEXT\" > '{}'; sox -n -r 22050 -c 1 -b 16 \"$1\" synth 0.3 sine 500",
            said.display()
        ),
    );
    let line = format!("sh -c '{} \"$1\"' sh {{out}}", tts.display());
    let out = env
        .real_clock_cmd()
        .env("ALSA_CONFIG_PATH", "/dev/null")
        .args([
            "sounds",
            "--voice-command",
            &line,
            "say",
            "it's $(touch pwned); `ls`",
        ])
        .output()
        .unwrap();
    assert!(!env.path().join("pwned").exists());
    assert_eq!(
        std::fs::read_to_string(&said).unwrap(),
        "it's $(touch pwned); `ls`",
        "{out:?}"
    );
}

/// Whether a process is running (a zombie is not).
fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|stat| !stat.split(") ").nth(1).unwrap_or("").starts_with('Z'))
}

#[test]
fn a_signal_while_asking_leaves_no_speech_program_and_no_scratch_folder() {
    // A second Ctrl-C exits at once, without waiting for anything: still nothing is left.
    let twice = [libc::SIGINT, libc::SIGINT];
    for (signals, code) in [
        (&[libc::SIGTERM][..], 143),
        (&[libc::SIGINT], 130),
        (&[libc::SIGHUP], 129),
        (&twice, 130),
    ] {
        let env = Env::new();
        let tmp = env.path().join("tmp");
        std::fs::create_dir(&tmp).unwrap();
        let pids = env.path().join("pids");
        // A voice that takes its time: it writes its id and that of what it started.
        let tts = script(
            &env,
            "slow-tts",
            &format!("sleep 60 & echo $$ $! >> '{}'; wait", pids.display()),
        );
        let (alsa, _) = crate::audio::capture(env.path());
        let mut session = env
            .spawn_cmd()
            .env("TMPDIR", &tmp)
            .env("ALSA_CONFIG_PATH", alsa)
            .args([
                "run",
                "--speak",
                "--count",
                "1",
                "--time",
                "30s",
                "--voice-command",
            ])
            .arg(format!("{} {{out}}", tts.display()))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The question is asked (after 4 s the session stops waiting for the voice) while
        // the voice is still rendering it.
        env.wait_for_event("question_started");
        let running = std::fs::read_to_string(&pids).unwrap();
        let running: Vec<&str> = running.split_whitespace().collect();
        assert!(running.iter().all(|pid| alive(pid)), "{running:?}");
        let scratch = || -> Vec<PathBuf> {
            std::fs::read_dir(&tmp)
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.to_string_lossy().contains("rehearse-voice-"))
                .collect()
        };
        assert_eq!(scratch().len(), 1);
        for &signal in signals {
            unsafe { libc::kill(session.id() as i32, signal) };
        }
        let status = session.wait().unwrap();
        assert_eq!(status.code(), Some(code));
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while running.iter().any(|pid| alive(pid)) && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let left: Vec<_> = running.iter().filter(|pid| alive(pid)).collect();
        assert!(left.is_empty(), "still running after {signals:?}: {left:?}");
        let left = scratch();
        assert!(left.is_empty(), "left behind after {signals:?}: {left:?}");
        if signals.len() == 1 {
            let records = env.only_log();
            assert_eq!(events(&records, "session_ended").len(), 1);
        }
    }
}
