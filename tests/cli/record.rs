//! `--record` for real: speech made by `espeak-ng` and joined by `sox` with silences of
//! known length is spoken into the virtual microphone of a private PulseAudio server, and
//! what rehearse recorded and measured is checked against it. Where the speech begins in
//! the recording is found by matching the two loudness curves, so nothing here depends on
//! how fast the sound server starts playing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rodio::Source;
use serde_json::Value;

use crate::rig::PulseRig;
use crate::util::{Env, events, records};

/// Silence before the first word, and between the two sentences, in the spoken file.
const LEAD_MS: f64 = 1500.0;
const PAUSE_MS: f64 = 4000.0;

fn need(tool: &str, package: &str) {
    assert!(
        Command::new(tool)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok(),
        "{tool} is not installed, and this test needs it: apt-get install {package}"
    );
}

fn run(tool: &str, args: &[&str]) {
    let out = Command::new(tool).args(args).output().expect(tool);
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn seconds_of(path: &Path) -> f64 {
    let out = Command::new("soxi").arg("-D").arg(path).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

/// What is spoken: the file to play (48 kHz mono), the same at 16 kHz as raw samples, and
/// how long the two sentences last without their own silences.
struct Spoken {
    file: PathBuf,
    raw16k: PathBuf,
    speech_ms: f64,
}

/// 1.5 s of silence, a sentence, 4 s of silence, a sentence, 1 s of silence.
fn spoken(dir: &Path) -> Spoken {
    need("espeak-ng", "espeak-ng");
    need("sox", "sox");
    let mut parts = Vec::new();
    let mut speech_ms = 0.0;
    for (n, text) in [
        "I called the whole team together at once.",
        "Then we told the regulator everything.",
    ]
    .iter()
    .enumerate()
    {
        let said = dir.join(format!("said-{n}.wav"));
        run("espeak-ng", &["-w", said.to_str().unwrap(), text]);
        // Without espeak's own silence at either end, so the silences are exactly ours.
        let trimmed = dir.join(format!("trimmed-{n}.wav"));
        run(
            "sox",
            &[
                said.to_str().unwrap(),
                "-r",
                "48000",
                "-c",
                "1",
                trimmed.to_str().unwrap(),
                "silence",
                "1",
                "0.01",
                "0.5%",
                "reverse",
                "silence",
                "1",
                "0.01",
                "0.5%",
                "reverse",
            ],
        );
        speech_ms += seconds_of(&trimmed) * 1000.0;
        parts.push(trimmed);
    }
    let silence = |name: &str, secs: f64| {
        let path = dir.join(name);
        run(
            "sox",
            &[
                "-n",
                "-r",
                "48000",
                "-c",
                "1",
                "-b",
                "16",
                path.to_str().unwrap(),
                "trim",
                "0",
                &secs.to_string(),
            ],
        );
        path
    };
    let lead = silence("lead.wav", LEAD_MS / 1000.0);
    let pause = silence("pause.wav", PAUSE_MS / 1000.0);
    let tail = silence("tail.wav", 1.0);
    let file = dir.join("spoken.wav");
    let joined: Vec<&str> = [&lead, &parts[0], &pause, &parts[1], &tail]
        .iter()
        .map(|p| p.to_str().unwrap())
        .chain([file.to_str().unwrap()])
        .collect();
    run("sox", &joined);
    let raw16k = dir.join("spoken-16k.raw");
    run(
        "sox",
        &[
            file.to_str().unwrap(),
            "-r",
            "16000",
            "-t",
            "raw",
            "-e",
            "signed",
            "-b",
            "16",
            raw16k.to_str().unwrap(),
        ],
    );
    Spoken {
        file,
        raw16k,
        speech_ms,
    }
}

/// A recording's samples and rate.
fn decode(path: &Path) -> (u32, Vec<f32>) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let decoder = rodio::Decoder::try_from(file)
        .unwrap_or_else(|e| panic!("{} does not decode: {e}", path.display()));
    assert_eq!(decoder.channels().get(), 1, "mono");
    (decoder.sample_rate().get(), decoder.collect())
}

/// Loudness in 10 ms steps of 16 kHz samples.
fn envelope(samples: &[f32]) -> Vec<f32> {
    samples
        .chunks(160)
        .map(|c| (c.iter().map(|s| s * s).sum::<f32>() / c.len() as f32).sqrt())
        .collect()
}

/// Where (ms) in the recording the spoken file begins: the shift that lines up their
/// loudness curves best.
fn offset_ms(recorded: &[f32], spoken: &[f32]) -> f64 {
    let (a, b) = (envelope(recorded), envelope(spoken));
    let score = |lag: i64| -> f32 {
        b.iter()
            .enumerate()
            .filter_map(|(i, v)| {
                let j = i as i64 + lag;
                (j >= 0 && (j as usize) < a.len()).then(|| v * a[j as usize])
            })
            .sum()
    };
    let best = (-(b.len() as i64)..a.len() as i64)
        .max_by(|x, y| score(*x).total_cmp(&score(*y)))
        .unwrap();
    best as f64 * 10.0
}

fn raw_samples(path: &Path) -> Vec<f32> {
    std::fs::read(path)
        .unwrap()
        .chunks_exact(2)
        .map(|b| f32::from(i16::from_le_bytes([b[0], b[1]])) / 32768.0)
        .collect()
}

fn ms(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// A recording session on the rig, started in the background.
fn start(env: &Env, rig: &PulseRig, args: &[&str]) -> std::process::Child {
    env.spawn_cmd()
        .envs(rig.env.iter().map(|(k, v)| (k, v)))
        .args(["run", "--record", "--count", "1", "--gap", "0"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finished(child: std::process::Child) -> (String, String) {
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    assert!(out.status.success(), "{stdout}\n{stderr}");
    (stdout, stderr)
}

#[test]
fn on_pulseaudio_speech_is_recorded_and_measured() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    let spoken = spoken(env.path());
    let session = start(&env, &rig, &["--auto", "--time", "11s"]);
    env.wait_for_event("question_started");
    let mut player = rig.speak(&spoken.file);
    let (stdout, stderr) = finished(session);
    let _ = player.wait();

    let log = env.logs().pop().unwrap();
    let records = records(&log);
    let recorded = events(&records, "answer_recorded");
    assert_eq!(recorded.len(), 1, "{records:?}");
    let r = recorded[0];
    let ended = events(&records, "question_ended")[0];
    assert_eq!(r["take"], 1);
    // (Whether samples were dropped depends on how busy the machine is: the benchmark
    // measures that. Dropped samples are replaced by silence, so the lengths below hold
    // either way; the figures are printed with `dropped_ms` when they do not.)
    assert_eq!(r["pause_threshold_ms"], 3000);

    // The file is next to the log, named like it, one per answer, for its owner only.
    let file = r["file"].as_str().unwrap();
    let stem = log.file_stem().unwrap().to_str().unwrap();
    assert_eq!(
        file,
        format!("{stem}/01-{}.flac", ended["id"].as_str().unwrap())
    );
    let path = log.parent().unwrap().join(file);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);

    // It decodes, at 16 kHz, as long as the answer.
    let (rate, samples) = decode(&path);
    assert_eq!(rate, 16_000);
    let length_ms = samples.len() as f64 / 16.0;
    let answer_ms = ms(&ended["answer_ms"]);
    assert!(
        (length_ms - answer_ms).abs() <= 100.0,
        "file {length_ms} ms, answer {answer_ms} ms"
    );
    assert!((ms(&r["duration_ms"]) - answer_ms).abs() <= 100.0, "{r}");

    // The figures match what was spoken, wherever in the answer it began.
    let offset = offset_ms(&samples, &raw_samples(&spoken.raw16k));
    let first = ms(&r["first_word_ms"]);
    assert!(
        (first - (offset + LEAD_MS)).abs() <= 300.0,
        "first word at {first} ms; the speech began at {} ms: {r}",
        offset + LEAD_MS
    );
    let pause = ms(&r["longest_pause_ms"]);
    assert!((pause - PAUSE_MS).abs() <= 300.0, "{r}");
    assert_eq!(r["long_pauses"], 1, "{r}");
    let speech = ms(&r["speech_ms"]);
    assert!(
        (speech - spoken.speech_ms).abs() <= spoken.speech_ms * 0.15,
        "spoke {speech} ms of {} ms: {r}",
        spoken.speech_ms
    );
    let level = ms(&r["level_db"]);
    assert!((-45.0..-3.0).contains(&level), "{r}");

    // The figures are on screen after the answer, before the talking points; no warning.
    let line = stdout
        .lines()
        .position(|l| l.starts_with("spoke ") && l.contains("1 pause over 3 s"))
        .unwrap_or_else(|| panic!("{stdout}"));
    if let Some(points) = stdout.lines().position(|l| l == "a strong answer covers:") {
        assert!(line < points, "{stdout}");
    }
    assert!(stderr.is_empty(), "{stderr}");
    // The figures came right after the answer ended.
    let gap = ms(&r["t_ms"]) - ms(&ended["t_ms"]);
    assert!((0.0..=200.0).contains(&gap), "{gap} ms after the answer");
}

#[test]
fn on_pulseaudio_a_pause_is_not_recorded_and_a_silent_microphone_is_told() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    let mut session = start(&env, &rig, &["--time", "1m"]);
    env.wait_for_event("question_started");
    let mut keys = session.stdin.take().unwrap();
    use std::io::Write;
    // Nothing is spoken: after 5 s of the answer the screen says so.
    std::thread::sleep(Duration::from_millis(5500));
    writeln!(keys, "p").unwrap();
    std::thread::sleep(Duration::from_secs(2));
    writeln!(keys, "p").unwrap();
    std::thread::sleep(Duration::from_secs(1));
    writeln!(keys).unwrap();
    drop(keys);
    let (stdout, stderr) = finished(session);

    let records = env.only_log();
    let ended = events(&records, "question_ended")[0];
    let r = events(&records, "answer_recorded")[0];
    let answer_ms = ms(&ended["answer_ms"]);
    assert!(ms(&ended["paused_ms"]) >= 1900.0, "{ended}");
    let path = env.log_dir().join(r["file"].as_str().unwrap());
    let (_, samples) = decode(&path);
    let length_ms = samples.len() as f64 / 16.0;
    assert!(
        (length_ms - answer_ms).abs() <= 100.0,
        "file {length_ms} ms, answer {answer_ms} ms (the pause is not in it)"
    );
    assert_eq!(r["first_word_ms"], Value::Null, "{r}");
    assert_eq!(r["level_db"], Value::Null, "{r}");
    let secs = (ms(&r["duration_ms"]) / 1000.0).round() as u64;
    assert!(
        stdout.contains(&format!("heard no speech in 0:{secs:02}")),
        "{stdout}"
    );
    assert_eq!(
        stderr
            .matches("the microphone hears nothing: is it muted?")
            .count(),
        1,
        "{stderr}"
    );
}

#[test]
fn on_pulseaudio_a_session_killed_mid_answer_keeps_a_playable_recording() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    let spoken = spoken(env.path());
    let mut session = start(&env, &rig, &["--time", "1m"]);
    env.wait_for_event("question_started");
    let started = Instant::now();
    let mut player = rig.speak(&spoken.file);
    std::thread::sleep(Duration::from_secs(4));
    let _ = session.kill();
    let killed = started.elapsed();
    let _ = session.wait();
    let _ = player.kill();
    let _ = player.wait();

    let log = env.logs().pop().unwrap();
    let stem = log.file_stem().unwrap().to_str().unwrap();
    let folder = log.parent().unwrap().join(stem);
    let files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let (_, samples) = decode(&files[0]);
    let length = Duration::from_millis((samples.len() / 16) as u64);
    // Up to the last second before the kill.
    // (The answer began a little before the test saw its record.)
    assert!(
        length + Duration::from_millis(1000) >= killed
            && length <= killed + Duration::from_millis(200),
        "{length:?} kept of {killed:?}"
    );
    // And what it kept is the speech.
    assert!(samples.iter().any(|s| s.abs() > 0.05), "only silence kept");
    // Review finds it though nothing measured it.
    let out = env.cmd().args(["review", "show"]).output().unwrap();
    let show = String::from_utf8_lossy(&out.stdout);
    assert!(
        show.contains("take 1: recorded until the session was cut off, not measured"),
        "{show}"
    );
}

#[test]
fn without_a_microphone_one_warning_and_the_session_goes_on() {
    let env = Env::new();
    // An ALSA whose default device is a sound card that is not there.
    let conf = env.write("alsa.conf", "pcm.!default { type hw card 99 }\n");
    let out = env
        .cmd()
        .env(
            "ALSA_CONFIG_PATH",
            format!("/usr/share/alsa/alsa.conf:{}", conf.display()),
        )
        .args([
            "run", "--record", "--mute", "--count", "2", "--time", "5s", "--rate",
        ])
        // Each answer ended, rated 4, no note.
        .write_stdin("\n4\n\n\n4\n\n")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stderr.matches("cannot record").count(), 1, "{stderr}");
    assert!(stderr.contains("the session goes on without recording"));
    // Nothing is measured, so the talking points come straight after the answer.
    let stdout = String::from_utf8_lossy(&out.stdout);
    let points = stdout.find("a strong answer covers:").unwrap();
    assert!(points < stdout.find("rating 4/5").unwrap(), "{stdout}");
    let records = env.only_log();
    assert_eq!(events(&records, "question_ended").len(), 2);
    assert!(events(&records, "answer_recorded").is_empty());

    // A microphone asked for by a name that no device has: the same.
    let out = env
        .cmd()
        .args([
            "run",
            "--record",
            "--mute",
            "--input-device",
            "no-such-microphone",
            "--count",
            "1",
        ])
        .write_stdin("\n")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stderr
            .matches("cannot open the input device \"no-such-microphone\"")
            .count(),
        1,
        "{stderr}"
    );
}

#[test]
fn on_pulseaudio_no_log_keeps_nothing_but_still_measures() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    let out = env
        .real_clock_cmd()
        .envs(rig.env.iter().map(|(k, v)| (k, v)))
        .args([
            "run",
            "--record",
            "--no-log",
            "--json-events",
            "--auto",
            "--count",
            "1",
            "--time",
            "2s",
        ])
        .write_stdin("")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let r = lines
        .iter()
        .find(|l| l["event"] == "answer_recorded")
        .unwrap_or_else(|| panic!("{stdout}"));
    assert_eq!(r["file"], Value::Null);
    assert!((ms(&r["duration_ms"]) - 2000.0).abs() <= 100.0, "{r}");
    // The session's end comes after the figures.
    assert_eq!(lines.last().unwrap()["event"], "session_ended");
    let left: Vec<_> = walk(env.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "flac" || e == "jsonl"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn devices_lists_inputs_and_outputs_with_the_default_marked() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    let out = env
        .real_clock_cmd()
        .envs(rig.env.iter().map(|(k, v)| (k, v)))
        .arg("devices")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    let inputs = stdout.find("Input devices").unwrap();
    let outputs = stdout.find("Output devices").unwrap();
    assert!(inputs < outputs, "{stdout}");
    for part in [&stdout[inputs..outputs], &stdout[outputs..]] {
        assert_eq!(part.matches("(default)").count(), 1, "{stdout}");
        assert!(part.contains("PulseAudio"), "{stdout}");
        // ALSA's helper plugins (rate converters, mixers) are not devices to pick.
        assert!(!part.contains("Rate Converter"), "{stdout}");
    }
}

#[test]
fn on_pulseaudio_a_full_disk_stops_the_recording_with_one_warning() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    let spoken = spoken(env.path());
    let mut cmd = env.spawn_cmd();
    cmd.envs(rig.env.iter().map(|(k, v)| (k, v)))
        .args([
            "run", "--record", "--auto", "--count", "2", "--time", "6s", "--gap", "0",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Files may grow to 20 kB: room for the log, not for a recording of speech.
    crate::util::limit_file_size(&mut cmd, 20_000);
    let session = cmd.spawn().unwrap();
    env.wait_for_event("question_started");
    let mut player = rig.speak(&spoken.file);
    let (_, stderr) = finished(session);
    let _ = player.wait();
    assert_eq!(
        stderr.matches("cannot write the recording").count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("the session and its log go on"), "{stderr}");
    // The sound server's client library says nothing of the limit on the terminal.
    assert!(!stderr.contains("ftruncate"), "{stderr}");
    // Both answers are in the log, measured; the first file keeps what fitted.
    let records = env.only_log();
    let recorded = events(&records, "answer_recorded");
    assert_eq!(recorded.len(), 2, "{records:?}");
    assert!(
        recorded[0]["first_word_ms"].is_number(),
        "{:?}",
        recorded[0]
    );
    let kept = env.log_dir().join(recorded[0]["file"].as_str().unwrap());
    let (_, samples) = decode(&kept);
    assert!(!samples.is_empty());
    assert_eq!(recorded[1]["file"], Value::Null);
    assert_eq!(events(&records, "session_ended").len(), 1);
}

#[test]
fn on_pulseaudio_a_disk_that_fills_up_costs_the_recording_never_the_log() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    need("sox", "sox");
    // Noise: it hardly compresses, so the recording fills the disk within a second or two.
    let noise = env.path().join("noise.wav");
    run(
        "sox",
        &[
            "-n",
            "-r",
            "48000",
            "-c",
            "1",
            "-b",
            "16",
            noise.to_str().unwrap(),
            "synth",
            "20",
            "whitenoise",
            "vol",
            "0.3",
        ],
    );
    // The data folder on a 128 KiB disk: the log needs a few KiB of it.
    let _disk = crate::util::SmallDisk::mount(&env.data_dir(), 128);
    let mut session = env
        .spawn_cmd()
        .envs(rig.env.iter().map(|(k, v)| (k, v)))
        .args([
            "run", "--record", "--auto", "--count", "3", "--time", "4s", "--gap", "0",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    env.wait_for_event("question_started");
    let mut player = rig.speak(&noise);
    let status = session.wait().unwrap();
    let _ = player.kill();
    let _ = player.wait();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut session.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(status.success(), "{stderr}");
    assert_eq!(
        stderr.matches("recordings stop here").count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("kept for the session log"), "{stderr}");
    assert!(!stderr.contains("could not be saved"), "{stderr}");
    // Every record is in the log, and the session is complete.
    let records = env.only_log();
    assert_eq!(events(&records, "question_ended").len(), 3, "{records:?}");
    assert_eq!(events(&records, "answer_recorded").len(), 3, "{records:?}");
    let ended = events(&records, "session_ended");
    assert_eq!(ended.len(), 1, "{records:?}");
    assert_eq!(ended[0]["outcome"], "completed");
    // What was recorded before the disk filled is kept and plays.
    let recorded = events(&records, "answer_recorded");
    let kept = env.log_dir().join(recorded[0]["file"].as_str().unwrap());
    let (_, samples) = decode(&kept);
    assert!(!samples.is_empty());
    assert_eq!(recorded[2]["file"], Value::Null);
    let out = env.cmd().args(["review", "show"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("3 answered of 3"),
        "{out:?}"
    );
}

/// The log of a session just started, and its first question's id, once it is asked.
fn asked(env: &Env) -> (PathBuf, String) {
    let records = env.wait_for_event("question_started");
    let id = events(&records, "question_started")[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    (env.logs().pop().unwrap(), id)
}

#[test]
fn on_pulseaudio_recordings_never_go_through_a_planted_link_or_into_a_folder_already_there() {
    let home = Env::new();
    let rig = PulseRig::start(&home.path().join("rig"));
    for linked_folder in [false, true] {
        let env = Env::new();
        // Thinking time first: the recording starts with the answer, 4 s after the question.
        let session = env
            .spawn_cmd()
            .envs(rig.env.iter().map(|(k, v)| (k, v)))
            .args([
                "run", "--record", "--auto", "--count", "1", "--time", "2s", "--prep", "4s",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (log, id) = asked(&env);
        let outside = env.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        let victim = outside.join("victim.flac");
        std::fs::write(&victim, "keep me").unwrap();
        let folder = log.with_extension("");
        if linked_folder {
            // The recordings' folder is a link to another folder.
            std::os::unix::fs::symlink(&outside, &folder).unwrap();
        } else {
            // The folder is there, with a link where the first recording goes.
            std::fs::create_dir(&folder).unwrap();
            std::os::unix::fs::symlink(&victim, folder.join(format!("01-{id}.flac"))).unwrap();
        }
        let (_, stderr) = finished(session);
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
        let outside_now: Vec<_> = std::fs::read_dir(&outside).unwrap().flatten().collect();
        assert_eq!(outside_now.len(), 1, "{outside_now:?}");
        assert_eq!(
            stderr.matches("recordings stop here").count(),
            1,
            "{stderr}"
        );
        assert!(stderr.contains("this session did not make it"), "{stderr}");
        let records = records(&log);
        let recorded = events(&records, "answer_recorded");
        assert_eq!(recorded.len(), 1, "{records:?}");
        assert_eq!(recorded[0]["file"], Value::Null);
        assert_eq!(events(&records, "session_ended").len(), 1);
    }
}

#[test]
fn on_pulseaudio_a_long_question_id_is_recorded_under_a_shorter_name() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    let long = "a-very-long-question-id-".repeat(13);
    assert!(long.len() > 300);
    let bank = env.write(
        "long.toml",
        &format!(
            "[[questions]]\nid = \"{long}\"\ntext = \"Tell me about it.\"\n\
             [[questions]]\nid = \"short\"\ntext = \"And then?\"\n"
        ),
    );
    let out = env
        .real_clock_cmd()
        .envs(rig.env.iter().map(|(k, v)| (k, v)))
        .arg("run")
        .arg(&bank)
        .args(["--all", "--record", "--auto", "--time", "2s", "--gap", "0"])
        .write_stdin("")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("cannot write"), "{stderr}");
    let records = env.only_log();
    let recorded = events(&records, "answer_recorded");
    assert_eq!(recorded.len(), 2, "{records:?}");
    for r in &recorded {
        let file = r["file"]
            .as_str()
            .unwrap_or_else(|| panic!("not kept: {r}"));
        let name = Path::new(file).file_name().unwrap().to_str().unwrap();
        assert!(name.len() < 100, "{name}");
        let (_, samples) = decode(&env.log_dir().join(file));
        assert!(!samples.is_empty());
    }
    let first = recorded[0]["file"].as_str().unwrap();
    assert!(first.contains("/01-a-very-long-question-id-"), "{first}");
}

#[test]
fn on_pulseaudio_a_retake_is_a_file_of_its_own() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    let mut session = start(&env, &rig, &["--time", "1m"]);
    env.wait_for_event("question_started");
    let mut keys = session.stdin.take().unwrap();
    use std::io::Write;
    std::thread::sleep(Duration::from_secs(2));
    writeln!(keys, "r").unwrap();
    std::thread::sleep(Duration::from_secs(3));
    writeln!(keys).unwrap();
    drop(keys);
    finished(session);

    let records = env.only_log();
    let recorded = events(&records, "answer_recorded");
    assert_eq!(recorded.len(), 2, "{records:?}");
    let id = events(&records, "question_started")[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    for (r, take, name, secs) in [
        (recorded[0], 1, format!("01-{id}.flac"), 2000.0),
        (recorded[1], 2, format!("01-{id}-take2.flac"), 3000.0),
    ] {
        assert_eq!(r["take"], take, "{r}");
        let file = r["file"].as_str().unwrap();
        assert!(file.ends_with(&format!("/{name}")), "{r}");
        let (_, samples) = decode(&env.log_dir().join(file));
        let length_ms = samples.len() as f64 / 16.0;
        assert!((length_ms - ms(&r["duration_ms"])).abs() <= 100.0, "{r}");
        // Lines are read as they come: give the timing some room.
        assert!((length_ms - secs).abs() <= 400.0, "{length_ms} ms: {r}");
    }
}

/// In a terminal the level meter by the bar follows the voice, and the bar is drawn again
/// only when the meter would show another level: while the microphone hears nothing, the
/// run loop wakes for the countdown alone (it used to wake nine times a second more).
#[test]
fn on_pulseaudio_the_meter_follows_the_voice_and_silence_wakes_nothing() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    let spoken = spoken(env.path());
    let rig_env: String = rig.env.iter().map(|(k, v)| format!(" {k}='{v}'")).collect();
    let command = format!(
        "cd {} && {}{rig_env} {} run --count 1 --time 2m --record --mute --no-coach; sleep 30",
        env.path().display(),
        env.clean_shell_env(),
        assert_cmd::cargo::cargo_bin("rehearse").display(),
    );
    let tmux = crate::util::Tmux::started(env.path(), &command);
    tmux.wait_for("mic ▯▯▯▯▯");
    let pid = tmux.program_pid();
    let before = crate::util::thread_wakeups(pid, "main");
    std::thread::sleep(Duration::from_secs(3));
    let after = crate::util::thread_wakeups(pid, "main");
    // A 2-minute bar 100 columns wide moves about twice a second.
    assert!(
        after - before <= 9,
        "the run loop woke {} times in 3 s of silence",
        after - before
    );
    let mut player = rig.speak(&spoken.file);
    tmux.wait_for("mic ▮");
    let _ = player.kill();
    let _ = player.wait();
    tmux.keys(&["q"]);
    tmux.wait_for("Saved to");
}
