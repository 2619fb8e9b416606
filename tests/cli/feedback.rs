//! `rehearse feedback` on real speech (espeak-ng through the speech model), typed answers,
//! a command of one's own, and without a model or with a damaged one.

use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

use crate::speech::{model, say, with_model, word_error};
use crate::util::Env;

const SAID: &str = "Um, so in my last role I, uh, led the retention schedule project, you know, with legal and compliance. \
When we confirmed a breach, we notified every affected patient by mail within 60 days of discovery. \
For more than five hundred people we also told the media and reported it to the Department of Health and Human Services at the same time.";

fn json_lines(output: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

#[test]
fn real_speech_is_transcribed_with_its_fillers_pace_and_points() {
    let env = Env::new();
    let wav = say(env.path(), "answer", SAID);
    let out = with_model(&env)
        .args([
            "feedback",
            "--json",
            "--question",
            "breach-notification-timelines",
        ])
        .arg(&wav)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    let a = &lines[0];
    let transcript = a["transcript"].as_str().unwrap();
    let error = word_error(SAID, transcript);
    println!("word error {:.1}%: {transcript}", error * 100.0);
    assert!(
        error <= 0.15,
        "word error {:.1}% over 15%: {transcript}",
        error * 100.0
    );
    assert!(a["fillers"]["total"].as_u64().unwrap() >= 2, "{a}");
    assert_eq!(a["fillers"]["counts"]["you know"], 1, "{a}");
    let duration = a["duration_ms"].as_u64().unwrap();
    let speech = a["speech_ms"].as_u64().unwrap();
    assert!(speech > 5_000 && speech <= duration, "{a}");
    let wpm = a["wpm"].as_u64().unwrap();
    assert!((100..=260).contains(&wpm), "{a}");
    let points = a["points"].as_array().unwrap();
    assert_eq!(points.len(), 6);
    assert_eq!(points[0]["index"], 1);
    assert_eq!(
        points[0]["covered"], true,
        "within 60 days of discovery: {a}"
    );
    assert_eq!(
        points[3]["covered"], false,
        "substitute notice was never mentioned: {a}"
    );
}

#[test]
fn a_typed_answer_is_taken_as_the_transcript() {
    let env = Env::new();
    let typed = env.write(
        "typed.txt",
        "Um, we tell the patients, like, sixty days after we found it. That is the deadline that matters. And then there is HHS.",
    );
    let out = env
        .cmd()
        .args([
            "feedback",
            "--json",
            "--question",
            "breach-notification-timelines",
        ])
        .arg(&typed)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let a = &json_lines(&out)[0];
    assert_eq!(a["words"], 23);
    assert_eq!(a["fillers"]["total"], 2);
    assert_eq!(a["fillers"]["counts"]["um"], 1);
    assert_eq!(a["fillers"]["counts"]["like"], 1);
    assert!(
        a.get("wpm").is_none() && a.get("duration_ms").is_none(),
        "{a}"
    );
    let covered: Vec<bool> = a["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["covered"].as_bool().unwrap())
        .collect();
    assert_eq!(
        covered,
        [true, false, false, false, false, false],
        "HHS alone covers nothing: {a}"
    );
    // For a person: the transcript with its fillers marked, and the points.
    env.cmd()
        .args(["feedback", "--question", "breach-notification-timelines"])
        .arg(&typed)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "[Um], we tell the patients, [like], sixty days",
        ))
        .stdout(predicate::str::contains("talking points: 1 of 6 covered"))
        .stdout(predicate::str::contains(
            "heard: \"Um, we tell the patients, like,",
        ));
}

#[test]
fn an_unknown_question_is_a_usage_error() {
    let env = Env::new();
    let typed = env.write("typed.txt", "An answer.");
    env.cmd()
        .args(["feedback", "--question", "breach-notification-timeline"])
        .arg(&typed)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean breach-notification-timelines?",
        ));
}

#[test]
fn without_a_model_one_line_says_how_to_get_one() {
    let env = Env::new();
    let wav = say(env.path(), "short", "Hello there.");
    let out = env
        .cmd()
        .args(["feedback"])
        .arg(&wav)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("no speech model in") && stderr.contains("`rehearse models install`"),
        "{stderr}"
    );
}

#[test]
fn a_damaged_model_file_is_one_clear_error() {
    let env = Env::new();
    let damaged = env.path().join("model");
    std::fs::create_dir_all(&damaged).unwrap();
    let good = model();
    for entry in std::fs::read_dir(&good).unwrap().flatten() {
        std::fs::copy(entry.path(), damaged.join(entry.file_name())).unwrap();
    }
    let decoder = damaged.join("decoder_model_merged.ort");
    let bytes = std::fs::read(&decoder).unwrap();
    std::fs::write(&decoder, &bytes[..bytes.len() / 3]).unwrap();
    let wav = say(env.path(), "short", "Hello there.");
    let out = env
        .cmd()
        .env("REHEARSE_MODEL", &damaged)
        .env("REHEARSE_CACHE_DIR", env.path().join("cache"))
        .args(["feedback"])
        .arg(&wav)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the speech model file {} is damaged",
            decoder.display()
        )) && stderr.contains("`rehearse models install` fetches it again"),
        "{stderr}"
    );
}

#[test]
fn without_onnx_runtime_one_line_says_where_to_get_it() {
    let env = Env::new();
    let bare = env.path().join("model");
    std::fs::create_dir_all(&bare).unwrap();
    for name in [
        "encoder_model.ort",
        "decoder_model_merged.ort",
        "tokenizer.bin",
    ] {
        std::os::unix::fs::symlink(model().join(name), bare.join(name)).unwrap();
    }
    let wav = say(env.path(), "short", "Hello there.");
    let out = env
        .cmd()
        .env("REHEARSE_MODEL", &bare)
        .args(["feedback"])
        .arg(&wav)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("no ONNX Runtime library (1.22 or newer) beside the speech model"),
        "{stderr}"
    );
    let out = env
        .cmd()
        .env("REHEARSE_MODEL", &bare)
        .env("ORT_DYLIB_PATH", env.path().join("libonnxruntime.so"))
        .args(["feedback"])
        .arg(&wav)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot load the ONNX Runtime library") && stderr.contains("no such file"),
        "{stderr}"
    );
}

#[test]
fn a_command_of_ones_own_transcribes_each_chunk() {
    let env = Env::new();
    let stub = env.write(
        "stt.sh",
        "#!/bin/sh\n# The stub knows its input is a WAV file of 16 kHz speech.\nhead -c 4 \"$1\" | grep -q RIFF || exit 3\necho 'Um, I was, like, the lead.'\n",
    );
    make_executable(&stub);
    let wav = say(env.path(), "short", "I was the lead on it.");
    let out = env
        .cmd()
        .args(["feedback", "--json", "--transcribe-command"])
        .arg(format!("{} {{in}}", stub.display()))
        .arg(&wav)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let a = &json_lines(&out)[0];
    assert_eq!(a["transcript"], "Um, I was, like, the lead.");
    assert_eq!(a["fillers"]["total"], 2);
    let failing = env.write("fail.sh", "#!/bin/sh\necho 'no model given' >&2\nexit 2\n");
    make_executable(&failing);
    env.cmd()
        .args(["feedback", "--transcribe-command"])
        .arg(format!("{} {{in}}", failing.display()))
        .arg(&wav)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "failed (exit status: 2): no model given",
        ));
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut perms = std::fs::metadata(path).unwrap().permissions();
    perms.set_mode(0o755);
    std::fs::set_permissions(path, perms).unwrap();
}

/// The model converted to a plain ONNX model gives the very same transcripts as the
/// published `.ort` files.
#[test]
fn converted_model_transcribes_the_same() {
    use rehearse::transcribe::{LoadOptions, Moonshine, audio};
    let env = Env::new();
    let dir = model();
    let options = |cache: Option<std::path::PathBuf>| LoadOptions {
        model_dir: dir.clone(),
        library: Some(dir.join("libonnxruntime.so.1.31.1")),
        cache_dir: cache,
        threads: Some(1),
    };
    let mut published = Moonshine::load(&options(None)).expect("the published model loads");
    let mut converted = Moonshine::load(&options(Some(env.path().join("cache"))))
        .expect("the converted model loads");
    let converted_files: Vec<_> = walk(&env.path().join("cache"));
    assert!(
        converted_files
            .iter()
            .any(|p| p.ends_with("decoder_model_merged.onnx")),
        "{converted_files:?}"
    );
    for (i, text) in [
        SAID,
        "Hmm, I guess the hardest part was, er, the data migration, sort of.",
        "Release of information turnaround went from twelve days to four.",
    ]
    .iter()
    .enumerate()
    {
        let samples = audio::read(&say(env.path(), &format!("s{i}"), text)).unwrap();
        let a = published.transcribe(&samples).unwrap();
        let b = converted.transcribe(&samples).unwrap();
        assert!(!a.is_empty());
        assert_eq!(a, b, "the converted model heard something else");
    }
}

/// A transcript no longer wanted is given up between two words, not finished: the last
/// chunk of an answer does not wait for a test of a cut that the answer's end made
/// useless.
#[test]
fn the_model_gives_up_a_transcript_no_longer_wanted() {
    use rehearse::transcribe::{LoadOptions, Moonshine, audio};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let env = Env::new();
    let dir = model();
    let mut model = Moonshine::load(&LoadOptions {
        model_dir: dir.clone(),
        library: Some(dir.join("libonnxruntime.so.1.31.1")),
        cache_dir: Some(crate::speech::cache()),
        threads: Some(1),
    })
    .expect("the model loads");
    let short = audio::read(&say(env.path(), "short", SAID)).unwrap();
    let wanted = Arc::new(AtomicBool::new(true));
    let whole = model.transcribe_while(&short, Some(&wanted)).unwrap();
    assert_eq!(whole, Some(model.transcribe(&short).unwrap()));
    let samples = audio::read(&say(env.path(), "long", &[SAID; 3].join(" "))).unwrap();
    // Given up by another thread while the words are being found.
    let stop = Arc::clone(&wanted);
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        stop.store(false, Ordering::SeqCst);
    });
    let started = std::time::Instant::now();
    let given_up = model.transcribe_while(&samples, Some(&wanted)).unwrap();
    let took = started.elapsed();
    stopper.join().unwrap();
    assert_eq!(given_up, None, "finished in {took:?}");
    // Not wanted from the start: nothing is decoded.
    assert_eq!(
        model.transcribe_while(&samples, Some(&wanted)).unwrap(),
        None
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
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
