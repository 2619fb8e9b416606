//! Cues really play. ALSA's `file` plugin is a real output device that writes what it
//! plays to a file, so these tests run the binary against it and read the samples back:
//! each cue must be present, at its pitch, with its length, in order. (The device is not
//! paced in real time, so a sound's place in the file says nothing about when it played;
//! the log says that.)

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::rig::PulseRig;
use crate::util::{Env, events};

const RATE: f64 = 48_000.0;

/// Each cue's notes as `sounds/README.md` gives them: (Hz, ms).
pub(crate) const SIGNATURES: &[(&str, &[(f64, f64)])] = &[
    (
        "finish",
        &[
            (523.0, 110.0),
            (659.0, 110.0),
            (784.0, 110.0),
            (1047.0, 110.0),
        ],
    ),
    ("start", &[(523.0, 120.0), (784.0, 250.0)]),
    ("warning", &[(880.0, 100.0), (880.0, 100.0)]),
    ("prep", &[(392.0, 300.0)]),
    ("tick", &[(1568.0, 100.0)]),
    ("time_up", &[(220.0, 700.0)]),
];

/// A sounding stretch of the capture: its length and its pitch by zero crossings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Burst {
    /// Where it begins in the capture.
    pub at_ms: f64,
    pub ms: f64,
    pub hz: f64,
}

/// An ALSA configuration whose default device writes into `dir/played.raw`.
pub(crate) fn capture(dir: &Path) -> (String, PathBuf) {
    let out = dir.join("played.raw");
    // The default device: converted to 16-bit mono at 48 kHz, then written to a file
    // (through the `null` device, which takes samples as fast as they come).
    let conf = dir.join("alsa.conf");
    let text = format!(
        "pcm.!default {{\n  type plug\n  slave {{ pcm \"rehearse_capture\"; format S16_LE; rate 48000; channels 1 }}\n}}\n\
         pcm.rehearse_capture {{\n  type file\n  slave.pcm \"null\"\n  file \"{}\"\n  format \"raw\"\n}}\n",
        out.display()
    );
    std::fs::write(&conf, text).unwrap();
    (format!("/usr/share/alsa/alsa.conf:{}", conf.display()), out)
}

pub(crate) fn samples(path: &Path) -> Vec<i16> {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect()
}

/// Splits the capture where it stays quiet (|s| < 300) for 15 ms or more.
pub(crate) fn bursts(samples: &[i16]) -> Vec<Burst> {
    bursts_at(samples, RATE)
}

/// The same, for samples at `rate` a second.
pub(crate) fn bursts_at(samples: &[i16], rate: f64) -> Vec<Burst> {
    mend(pieces_at(samples, rate))
}

/// Sounding stretches as they are: a note torn apart stays in pieces.
fn pieces_at(samples: &[i16], rate: f64) -> Vec<Burst> {
    let quiet_run = (rate * 0.015) as usize;
    let loud: Vec<usize> = samples
        .iter()
        .enumerate()
        .filter(|(_, s)| s.unsigned_abs() >= 300)
        .map(|(i, _)| i)
        .collect();
    let mut out = Vec::new();
    let mut start = match loud.first() {
        Some(&i) => i,
        None => return out,
    };
    let mut last = start;
    for &i in loud.iter().skip(1).chain(std::iter::once(&usize::MAX)) {
        if i == usize::MAX || i - last > quiet_run {
            let part = &samples[start..=last];
            let crossings = part.windows(2).filter(|w| (w[0] < 0) != (w[1] < 0)).count();
            let secs = part.len() as f64 / rate;
            out.push(Burst {
                at_ms: start as f64 / rate * 1000.0,
                ms: secs * 1000.0,
                hz: crossings as f64 / 2.0 / secs,
            });
            start = i;
        }
        last = i;
    }
    out
}

/// Joins the pieces of one torn note. A sound server on a busy machine may stall a stream
/// for a moment, which leaves a short gap inside a note; two pieces of one pitch with
/// less than 35 ms between them are one note (the notes of a cue are 40 ms or more apart,
/// or of another pitch). Cues are handed to the device whole and must not tear at all:
/// the cue tests hear them as they are ([`pieces_at`]).
fn mend(bursts: Vec<Burst>) -> Vec<Burst> {
    let mut out: Vec<Burst> = Vec::with_capacity(bursts.len());
    for b in bursts {
        match out.last_mut() {
            Some(last)
                if b.at_ms - (last.at_ms + last.ms) < 35.0
                    && (b.hz - last.hz).abs() <= last.hz * 0.04 =>
            {
                let end = b.at_ms + b.ms;
                last.hz = (last.hz * last.ms + b.hz * b.ms) / (last.ms + b.ms);
                last.ms = end - last.at_ms;
            }
            _ => out.push(b),
        }
    }
    out
}

/// Names the cues in a list of bursts; panics on a burst that belongs to no cue.
fn cues_heard(bursts: &[Burst]) -> Vec<&'static str> {
    cues_heard_at(bursts)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// The cues in a list of bursts, each with where it begins in the capture (ms).
pub(crate) fn cues_heard_at(bursts: &[Burst]) -> Vec<(&'static str, f64)> {
    let fits = |b: &Burst, (hz, ms): (f64, f64)| {
        (b.hz - hz).abs() <= hz * 0.03 && (b.ms - ms).abs() <= ms * 0.2
    };
    let mut heard = Vec::new();
    let mut i = 0;
    while i < bursts.len() {
        let (name, notes) = SIGNATURES
            .iter()
            .find(|(_, notes)| {
                notes.len() <= bursts.len() - i
                    && notes.iter().zip(&bursts[i..]).all(|(&n, b)| fits(b, n))
            })
            .unwrap_or_else(|| panic!("burst {i} matches no cue: {:?}", &bursts[i..]));
        heard.push((*name, bursts[i].at_ms));
        i += notes.len();
    }
    heard
}

#[test]
fn each_cue_plays_with_its_pitch_and_length_in_order() {
    let env = Env::new();
    let (alsa, played) = capture(env.path());
    env.real_clock_cmd()
        .env("ALSA_CONFIG_PATH", alsa)
        .args(["run", "--count", "1", "--time", "2s", "--gap", "0"])
        .write_stdin("")
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
    let heard = cues_heard(&pieces_at(&samples(&played), RATE));
    // 2 s: the answer starts, one tick at 1 s left, the warning at 0.5 s left, time up,
    // and the finish.
    assert_eq!(heard, ["start", "tick", "warning", "time_up", "finish"]);
    let records = env.only_log();
    let logged: Vec<_> = events(&records, "cue")
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(logged, heard);
}

#[test]
fn prep_cue_and_a_replacement_sound() {
    let env = Env::new();
    let (alsa, played) = capture(env.path());
    let bank = env.write(
        "prep.toml",
        "[[questions]]\nid = \"a\"\ntext = \"Why?\"\nprep = \"1s\"\ntime_limit = \"1s\"\nwarn_at = \"2s\"\n",
    );
    // The warning sound replaced by the built-in prep sound, to tell them apart.
    let sounds = env.path().join("cues");
    std::fs::create_dir(&sounds).unwrap();
    std::fs::copy("sounds/tick.wav", sounds.join("finish.wav")).unwrap();
    env.real_clock_cmd()
        .env("ALSA_CONFIG_PATH", alsa)
        .args([
            "run",
            bank.to_str().unwrap(),
            "--gap",
            "0",
            "--ticks",
            "0",
            "--sounds",
        ])
        .arg(&sounds)
        .write_stdin("")
        .assert()
        .success();
    let heard = cues_heard(&pieces_at(&samples(&played), RATE));
    assert_eq!(
        heard,
        ["prep", "start", "time_up", "tick"],
        "finish now sounds like a tick"
    );
}

#[test]
fn mute_plays_nothing() {
    let env = Env::new();
    let (alsa, played) = capture(env.path());
    env.cmd()
        .env("ALSA_CONFIG_PATH", alsa)
        .args(["run", "--count", "1", "--time", "1s", "--mute"])
        .write_stdin("")
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
    assert!(bursts(&samples(&played)).is_empty());
    assert!(events(&env.only_log(), "cue").is_empty());
}

#[test]
fn without_a_device_one_line_says_so_and_the_session_goes_on() {
    let env = Env::new();
    env.real_clock_cmd()
        .env("ALSA_CONFIG_PATH", "/dev/null")
        .args(["run", "--count", "2", "--time", "1s", "--gap", "0"])
        .write_stdin("")
        .assert()
        .success()
        .stderr("rehearse: no audio output device: cues will be shown on screen only\n");
    // The cues still happened, and are in the log.
    assert!(events(&env.only_log(), "cue").len() >= 5);
}

#[test]
fn a_broken_replacement_sound_is_refused_before_any_question() {
    let env = Env::new();
    let sounds = env.path().join("cues");
    std::fs::create_dir(&sounds).unwrap();
    std::fs::write(sounds.join("warning.ogg"), "not a sound").unwrap();
    env.real_clock_cmd()
        .args(["run", "--time", "1s", "--sounds"])
        .arg(&sounds)
        .write_stdin("")
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("warning.ogg: cannot decode"));
    assert!(env.logs().is_empty());
}

/// An hour of 8-channel silence, as FLAC: a few hundred kB that unpack to a gigabyte of
/// samples.
fn bomb(path: &Path) {
    let status = std::process::Command::new("sox")
        // No dither: silence then packs into a few bytes a frame.
        .args(["-D", "-n", "-r", "8000", "-c", "8", "-b", "16"])
        .arg(path)
        .args(["trim", "0", "3600"])
        .status();
    assert!(
        status.is_ok_and(|s| s.success()),
        "sox is needed: apt-get install sox"
    );
    assert!(std::fs::metadata(path).unwrap().len() < 500_000);
}

#[test]
fn a_sound_that_unpacks_to_gigabytes_is_refused_not_decoded() {
    let env = Env::new();
    let sounds = env.path().join("cues");
    std::fs::create_dir(&sounds).unwrap();
    let cue = sounds.join("warning.flac");
    bomb(&cue);
    for hide_length in [false, true] {
        if hide_length {
            // Its header no longer says how long it is: STREAMINFO's total samples, the
            // low 36 bits of the 8 bytes at offset 18.
            let mut bytes = std::fs::read(&cue).unwrap();
            bytes[21] &= 0xf0;
            bytes[22..26].fill(0);
            std::fs::write(&cue, bytes).unwrap();
        }
        let mut cmd = env.spawn_cmd();
        cmd.args(["run", "--time", "1s", "--mute", "--sounds"])
            .arg(&sounds)
            .stdin(std::process::Stdio::null());
        // Decoded whole it would need gigabytes: it must be refused long before.
        crate::util::limit_memory(&mut cmd, 1 << 30);
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("warning.flac: it lasts longer than a cue may"),
            "{stderr}"
        );
        assert!(env.logs().is_empty());
    }
}

#[test]
fn a_pipe_named_like_a_cue_is_refused_not_waited_on_nor_passed_over() {
    let env = Env::new();
    let sounds = env.path().join("cues");
    std::fs::create_dir(&sounds).unwrap();
    let fifo = std::ffi::CString::new(sounds.join("time_up.wav").to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    env.real_clock_cmd()
        .args(["sounds", "--sounds"])
        .arg(&sounds)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "time_up.wav: not a file but a pipe",
        ));
}

#[test]
fn sounds_lists_the_cues_and_their_files() {
    let env = Env::new();
    let sounds = env.path().join("cues");
    std::fs::create_dir(&sounds).unwrap();
    std::fs::copy("sounds/tick.wav", sounds.join("warning.wav")).unwrap();
    env.real_clock_cmd()
        .args(["sounds", "--sounds"])
        .arg(&sounds)
        .assert()
        .success()
        .stdout(
            predicate::str::is_match(r"(?m)^start +answer time begins +410 ms  built-in$").unwrap(),
        )
        .stdout(predicate::str::contains("warning.wav"));
}

#[test]
fn sounds_play_plays_the_cue_or_says_there_is_no_device() {
    let env = Env::new();
    let (alsa, played) = capture(env.path());
    env.real_clock_cmd()
        .env("ALSA_CONFIG_PATH", alsa)
        .args(["sounds", "play", "warning"])
        .assert()
        .success();
    assert_eq!(cues_heard(&pieces_at(&samples(&played), RATE)), ["warning"]);
    env.real_clock_cmd()
        .env("ALSA_CONFIG_PATH", "/dev/null")
        .args(["sounds", "play"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no audio output device"))
        .stderr(predicate::str::contains("ALSA lib").not());
}

/// A private PulseAudio server (the sound server of most Linux desktops) with virtual
/// speakers paced in real time; stopped when dropped.
#[test]
fn on_pulseaudio_fifty_sessions_in_a_row_keep_every_cue_on_time() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    let logs = env.memory_log_dir();
    // Before, a passing error of the sound server (an I/O error from the pulse plugin)
    // was taken for a lost device in about half of these sessions; the last cues were cut
    // off when the session ended; and on a fresh server the first start cue sounded about
    // 0.7 s after its question began.
    for n in 0..50 {
        let heard = env.path().join(format!("heard-{n}.raw"));
        let hearing = rig.hear(&heard);
        // Time for parecord to connect (it writes nothing while nothing plays).
        std::thread::sleep(std::time::Duration::from_millis(200));
        let out = env
            .real_clock_cmd()
            .envs(rig.env.iter().map(|(k, v)| (k, v)))
            .args([
                "run",
                "--count",
                "1",
                "--time",
                "2s",
                "--warn-at",
                "1s",
                "--gap",
                "0",
                "--log-dir",
            ])
            .arg(logs.path())
            .write_stdin("")
            .output()
            .unwrap();
        hearing.stop();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "session {n}: {stderr}");
        assert!(stderr.is_empty(), "session {n} lost its sound: {stderr}");
        // Not one note torn, however busy the machine.
        let cues = cues_heard_at(&pieces_at(&samples(&heard), RATE));
        let names: Vec<_> = cues.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            names,
            ["start", "warning", "time_up", "finish"],
            "session {n}: every cue is heard, whole"
        );
        // The log says when each cue was due: the start cue sounds as far ahead of the
        // time-up cue as it was due, so it was not held back while the device opened.
        let log = crate::util::logs_in(logs.path()).pop().unwrap();
        let records = crate::util::records(&log);
        let due = |name: &str| {
            events(&records, "cue")
                .iter()
                .find(|r| r["name"] == name)
                .unwrap()["t_ms"]
                .as_f64()
                .unwrap()
        };
        let logged = due("time_up") - due("start");
        let sounded = cues[2].1 - cues[0].1;
        assert!(
            (logged - sounded).abs() < 150.0,
            "session {n}: start to time up was {logged} ms in the log, {sounded} ms out loud"
        );
    }
}
