//! `run --transcribe`: an answer spoken into the rig's microphone is transcribed while
//! the session goes on, by the speech model or by a program of one's own, and its
//! `answer_transcribed` record reaches the log soon after the answer. Without a model,
//! one line says so and the session is complete.

use std::path::Path;
use std::process::Stdio;

use serde_json::Value;

use crate::rig::PulseRig;
use crate::speech;
use crate::util::{Env, events, records};

const QUESTION: &str = "breach-notification-timelines";

/// What the program of one's own says it heard, for each chunk.
const HEARD: &str = "Uh, we notify patients within 60 days of discovery, you know.";

/// What is spoken: a filler, the 60 days of the first talking point and the report to HHS
/// of the third. The model hears each sentence of it the same alone as in the whole
/// answer (the recording may be cut between them). It does not so hear "we notify the
/// affected patients by mail within sixty days" in this voice: alone, fed a little
/// differently, it came back as "to simulate within 60 days" or "to sign mail within 60
/// names of this company".
const SAID: &str = "Um, when we confirm a breach, we write to every affected patient \
     within sixty days of discovery. For more than five hundred people we also report it \
     to the Department of Health and Human Services at the same time.";

/// The answer as it reaches the microphone: a second of silence first, like a person
/// thinking, and a second after.
fn answer(dir: &Path) -> std::path::PathBuf {
    let speech = speech::say(dir, "said", SAID);
    let padded = dir.join("answer.wav");
    let status = std::process::Command::new("sox")
        .arg(&speech)
        .arg(&padded)
        .args(["pad", "1", "1"])
        .status();
    assert!(
        matches!(status, Ok(s) if s.success()),
        "sox is missing: apt-get install sox"
    );
    padded
}

/// A transcribing session of one question on the rig, its answer spoken once it starts
/// and ended with Enter once it has been spoken.
fn session(env: &Env, rig: &PulseRig, args: &[&str]) -> (String, String, Vec<Value>) {
    let spoken = answer(env.path());
    let child = env
        .spawn_cmd()
        .envs(rig.env.iter().map(|(k, v)| (k, v)))
        // The model converted once for all the tests.
        .env("REHEARSE_CACHE_DIR", speech::cache())
        .args(["run", "--transcribe", "--question", QUESTION, "--gap", "0"])
        .args(["--time", "60s"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    env.wait_for_event("question_started");
    let mut child = child;
    let _ = rig.speak(&spoken).wait();
    // Done speaking: Enter moves on, as a person would.
    use std::io::Write;
    let _ = child.stdin.take().unwrap().write_all(b"\n");
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let log = env
        .logs()
        .pop()
        .unwrap_or_else(|| panic!("no log: {stderr}"));
    (stdout, stderr, records(&log))
}

fn ms(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn on_pulseaudio_the_model_transcribes_an_answer_right_after_it_ends() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    let model = speech::model();
    let (stdout, stderr, records) = session(&env, &rig, &["--model", model.to_str().unwrap()]);
    let transcribed = events(&records, "answer_transcribed");
    assert_eq!(transcribed.len(), 1, "{records:?}\n{stderr}");
    let t = transcribed[0];
    let text = t["text"].as_str().unwrap();
    let error = speech::word_error(SAID, text);
    assert!(error <= 0.25, "word error {error:.2}: {text}");
    assert_eq!(t["take"], 1);
    assert_eq!(t["id"], QUESTION);
    assert_eq!(t["model"], "moonshine-base-en");
    let fillers = &t["fillers"]["counts"];
    assert!(fillers["um"].as_u64() == Some(1), "{t}");
    // The 60 days and the report to HHS were spoken; nothing of the last three points.
    let covered = t["covered"].as_array().unwrap();
    assert_eq!(covered.len(), 6);
    assert_eq!(covered[0], true, "the 60 days: {t}");
    assert_eq!(covered[2], true, "HHS at the same time: {t}");
    assert!(covered[3..].iter().all(|c| c == false), "{t}");
    let count = covered.iter().filter(|c| **c == true).count();
    let wpm = ms(&t["wpm"]);
    assert!((100.0..=260.0).contains(&wpm), "{t}");

    // It came after the answer, within the minute the end of a session waits for it (how
    // soon is measured by benches/transcribe_live.sh: under a second on an idle machine;
    // a busy one takes longer).
    let ended = events(&records, "question_ended")[0];
    let after = ms(&t["t_ms"]) - ms(&ended["t_ms"]);
    assert!(
        (0.0..=60_000.0).contains(&after),
        "{after} ms after the answer"
    );

    // The person sees what was heard, fillers marked, and the points ticked.
    assert!(stdout.contains("said: \"[Um]"), "{stdout}");
    let heard = format!("covered {count} of 6 talking points");
    assert!(stdout.contains(&heard), "{stdout}");
    // The points ticked when the transcript came in time; when it came after they were
    // shown (a busy machine), which of them it covered, by number.
    let ticked = format!("a strong answer covers ({count} of 6 heard):");
    let in_time = stdout.contains(&ticked)
        && stdout.contains("- [x] Individuals")
        && stdout.contains("- [ ] Business associates");
    let late = stdout.contains("a strong answer covers:")
        && stdout.contains("talking points: covered 1, ")
        && stdout.contains(" · missed ")
        && stdout.contains("4, 5, 6");
    assert!(in_time || late, "{stdout}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn on_pulseaudio_a_program_of_ones_own_transcribes_and_the_words_are_analysed() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    // The program is handed a WAV file of the speech; it says a fixed text, and leaves
    // the size of what it got for the test to see.
    let script = env.path().join("stt.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nwc -c < \"$1\" >> {seen}\n\
             echo '{HEARD}'\n",
            seen = env.path().join("seen").display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let command = format!("{} {{in}}", script.display());
    let (stdout, stderr, records) = session(&env, &rig, &["--transcribe-command", &command]);

    let transcribed = events(&records, "answer_transcribed");
    assert_eq!(transcribed.len(), 1, "{records:?}\n{stderr}");
    let t = transcribed[0];
    // The program got the speech as audio, in one chunk or a few (cut at a pause), each
    // a 16 kHz 16-bit WAV file; the take's text is theirs joined. A cut at a shorter gap
    // is tested first with three texts: the chunk uncut and its two halves (each file
    // with its 44-byte header). This program says the same for each, so the words either
    // side of the cut ("you know. Uh, we") are not in what it says for the whole, and no
    // such cut is made.
    let seen = std::fs::read_to_string(env.path().join("seen")).unwrap();
    let mut sizes: Vec<u64> = seen
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    let mut i = 0;
    while i + 2 < sizes.len() {
        if sizes[i] + 44 == sizes[i + 1] + sizes[i + 2] {
            sizes.drain(i..i + 3);
        } else {
            i += 1;
        }
    }
    let bytes: u64 = sizes.iter().sum();
    assert!(bytes >= 7 * 32_000, "{bytes} bytes of audio in {sizes:?}");
    let chunks = sizes.len();
    let text = vec![HEARD; chunks].join(" ");
    assert_eq!(t["text"], text.as_str());
    assert_eq!(t["words"], 11 * chunks);
    assert_eq!(t["fillers"]["total"], 2 * chunks, "{t}");
    assert_eq!(t["fillers"]["counts"]["you know"], chunks, "{t}");
    assert_eq!(t["covered"][0], true, "{t}");
    let by = t["model"].as_str().unwrap();
    assert!(by.starts_with("command:") && by.ends_with("stt.sh"), "{t}");
    assert!(stdout.contains("said: \"[Uh], we notify"), "{stdout}");
    assert!(stdout.contains("[you know].\""), "{stdout}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn on_pulseaudio_without_a_model_one_line_says_so_and_the_session_is_complete() {
    let env = Env::new();
    let rig = PulseRig::start(&env.path().join("rig"));
    let empty = env.path().join("no-model");
    std::fs::create_dir_all(&empty).unwrap();
    let (stdout, stderr, records) = session(&env, &rig, &["--model", empty.to_str().unwrap()]);

    let said: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(said.len(), 1, "{stderr}");
    assert!(said[0].contains("cannot transcribe"), "{stderr}");
    assert!(said[0].contains("rehearse models install"), "{stderr}");
    // Everything else is there: the recording and its figures, the end of the session.
    assert!(events(&records, "answer_transcribed").is_empty());
    assert_eq!(events(&records, "answer_recorded").len(), 1, "{records:?}");
    assert_eq!(events(&records, "session_ended").len(), 1, "{records:?}");
    assert!(stdout.contains("spoke "), "{stdout}");
    assert!(stdout.contains("a strong answer covers:"), "{stdout}");
}

fn stdout(env: &Env, args: &[&str]) -> String {
    let out = env.cmd().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?}: {err}");
    String::from_utf8(out.stdout).unwrap()
}

/// A session of two questions with talking points, the second recorded and transcribed
/// (its records added as `run --transcribe` writes them).
fn transcribed_session(env: &Env) {
    let (log, t) = answered(
        env,
        "[[questions]]\nid = \"a\"\ntext = \"A?\"\ntalking_points = [\"Alpha\"]\n\
         [[questions]]\nid = \"b\"\ntext = \"B?\"\n\
         talking_points = [\"Sixty days\", \"Media\", \"HHS\", \"Contacts\"]\n",
    );
    let at = "2026-12-03T10:00:00.000+00:00";
    let recorded = format!(
        r#"{{"at":"{at}","t_ms":{t},"event":"answer_recorded","index":2,"id":"b","take":1,"file":null,"duration_ms":40000,"dropped_ms":0,"first_word_ms":1200,"speech_ms":30000,"longest_pause_ms":900,"long_pauses":0,"pause_threshold_ms":3000,"level_db":-20.0}}"#
    );
    let transcribed = format!(
        r#"{{"at":"{at}","t_ms":{t},"event":"answer_transcribed","index":2,"id":"b","take":1,"text":"Um, we tell them within sixty days, you know, and HHS too.","words":12,"wpm":24,"fillers":{{"total":2,"counts":{{"um":1,"you know":1}}}},"hedges":{{"total":0,"counts":{{}}}},"covered":[true,false,true,false],"model":"moonshine-base-en"}}"#
    );
    append(&log, &[recorded, transcribed]);
}

/// Both questions of `bank` (the text of a bank file, two.toml) answered on the virtual
/// clock: the log, and the time of its last record.
fn answered(env: &Env, bank: &str) -> (std::path::PathBuf, u64) {
    let bank = env.write("two.toml", bank);
    env.cmd()
        .args(["run", bank.to_str().unwrap(), "--all", "--time", "60s"])
        .args(["--mute", "--no-coach"])
        .write_stdin("\n\n")
        .assert()
        .success();
    let log = env.logs().pop().unwrap();
    let t = records(&log).last().unwrap()["t_ms"].as_u64().unwrap();
    (log, t)
}

/// Records added to the end of a log, as a later command adds them.
fn append(log: &Path, lines: &[String]) {
    let mut text = std::fs::read_to_string(log).unwrap();
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(log, text).unwrap();
}

#[test]
fn a_transcribed_take_shows_in_every_view() {
    let env = Env::new();
    transcribed_session(&env);

    let show = stdout(&env, &["review", "show", "1"]);
    let flat = show.split_whitespace().collect::<Vec<_>>().join(" ");
    let said = "said: \"[Um], we tell them within sixty days, [you know], and HHS too.\"";
    assert!(flat.contains(said), "{show}");
    // 12 words in 30 s of speaking.
    let line = "24 words a minute · 2 filler words (um, you know) · covered 2 of 4 talking points";
    assert!(flat.contains(line), "{show}");
    assert!(
        flat.contains("talking points: covered 1, 3 · missed 2, 4"),
        "{show}"
    );

    let stats = stdout(&env, &["review", "stats", "--json"]);
    let stats: Value = serde_json::from_str(&stats).unwrap();
    let all = &stats["overview"]["said"];
    assert_eq!(all["transcribed"], 1, "{stats}");
    assert_eq!(all["words_a_minute"], 24);
    assert_eq!(all["fillers_a_minute"], 4.0);
    assert_eq!(
        (&all["points_covered"], &all["points"]),
        (&2.into(), &4.into())
    );
    let b = stats["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["key"] == "b")
        .unwrap();
    assert_eq!(b["said"]["coverage"], 0.5, "{b}");
    assert_eq!(b["said"]["trend_coverage"], serde_json::json!([0.5]));
    let a = stats["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["key"] == "a");
    assert!(a.unwrap().get("said").is_none());
    let table = stdout(&env, &["review", "stats"]);
    let flat = table.split_whitespace().collect::<Vec<_>>().join(" ");
    let said = "Said: 1 answer transcribed · 24 words a minute · 4.0 filler words a minute · \
                covered 2 of 4 talking points (50%)";
    assert!(flat.contains(said), "{table}");
    let head = table.lines().find(|l| l.starts_with("question")).unwrap();
    assert!(head.contains(" points "), "{table}");
    let one = stdout(&env, &["review", "stats", "--question", "b"]);
    assert!(
        one.contains("talking points covered, latest attempts:"),
        "{one}"
    );
    assert!(one.contains("2/4"), "{one}");

    let csv = stdout(&env, &["review", "export", "-f", "csv"]);
    let mut rows = ::csv::Reader::from_reader(csv.as_bytes());
    let head = rows.headers().unwrap().clone();
    let rows: Vec<::csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let cell = |row: usize, name: &str| {
        let col = head
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}"));
        rows[row][col].to_string()
    };
    assert_eq!(cell(1, "words"), "12");
    assert_eq!(cell(1, "points_covered"), "2");
    assert_eq!(
        cell(1, "transcript"),
        "Um, we tell them within sixty days, you know, and HHS too."
    );
    assert_eq!(cell(0, "words"), "");
    let exported = stdout(&env, &["review", "export", "-f", "json"]);
    let exported: Value = serde_json::from_str(&exported).unwrap();
    let take = &exported["sessions"][0]["questions"][1]["takes"][0];
    assert_eq!(
        take["covered"],
        serde_json::json!([true, false, true, false]),
        "{take}"
    );
    let md = stdout(&env, &["review", "export", "-f", "md"]);
    assert!(md.contains("What was said:"), "{md}");

    let page = env.path().join("report.html");
    env.cmd()
        .args(["review", "report", "-o", page.to_str().unwrap()])
        .assert()
        .success();
    let page = std::fs::read_to_string(page).unwrap();
    assert!(
        page.contains("<h2>What you said</h2>"),
        "the report's section"
    );
    assert!(page.contains("1 answer transcribed on this computer: 24 words a minute"));

    // Two points missed of four weigh in picking what to practise.
    let plan = stdout(&env, &["run", "two.toml", "--weakest", "1", "--dry-run"]);
    assert!(
        plan.contains("2 of 4 talking points missed (+0.50)"),
        "{plan}"
    );
}

/// A session of two questions, both recorded (FLAC files beside the log, as `run
/// --record` keeps them) and neither transcribed; the recording of the first is `first`.
fn recorded_session(env: &Env, first: &Path) -> std::path::PathBuf {
    let (log, t) = answered(
        env,
        "[[questions]]\nid = \"a\"\ntext = \"A?\"\ntalking_points = [\"Sixty days of discovery\", \"Media\"]\n\
         [[questions]]\nid = \"b\"\ntext = \"B?\"\n",
    );
    let stem = log.file_stem().unwrap().to_str().unwrap().to_string();
    let folder = log.parent().unwrap().join(&stem);
    std::fs::create_dir_all(&folder).unwrap();
    let status = std::process::Command::new("sox")
        .arg(first)
        .arg(folder.join("01-a.flac"))
        // Half a second before and after, as a recording has.
        .args(["pad", "0.5", "0.5"])
        .status();
    assert!(
        matches!(status, Ok(s) if s.success()),
        "sox is missing: apt-get install sox"
    );
    let recorded = [(1, "a"), (2, "b")].map(|(index, id)| {
        format!(
            r#"{{"at":"2026-12-03T10:00:00.000+00:00","t_ms":{t},"event":"answer_recorded","index":{index},"id":"{id}","take":1,"file":"{stem}/0{index}-{id}.flac","duration_ms":9000,"dropped_ms":0,"first_word_ms":1000,"speech_ms":6000,"longest_pause_ms":500,"long_pauses":0,"pause_threshold_ms":3000,"level_db":-20.0}}"#
        )
    });
    append(&log, &recorded);
    log
}

#[test]
fn review_transcribe_adds_the_transcripts_a_session_recorded_without_them() {
    let env = Env::new();
    let said = "Um, we notify patients within sixty days of discovery, you know.";
    let speech = speech::say(env.path(), "said", said);
    let log = recorded_session(&env, &speech);

    // The second recording is gone: one line names it, the first is still done.
    let bank = env.path().join("two.toml");
    let out = speech::with_model(&env)
        .args(["review", "transcribe", "--bank", bank.to_str().unwrap()])
        .output()
        .unwrap();
    let (said_out, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "{said_out}\n{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("02-b.flac"), "{stderr}");
    assert!(said_out.starts_with("answer 1 (a), take 1: "), "{said_out}");
    assert!(
        said_out.contains("covered 1 of 2 talking points"),
        "{said_out}"
    );

    let added = records(&log);
    let transcribed = events(&added, "answer_transcribed");
    assert_eq!(transcribed.len(), 1, "{added:?}");
    let t = transcribed[0];
    let text = t["text"].as_str().unwrap();
    assert!(speech::word_error(said, text) <= 0.25, "{text}");
    assert_eq!(t["model"], "moonshine-base-en");
    assert_eq!(t["covered"], serde_json::json!([true, false]), "{t}");
    // 6 s of speech from the recorded figures.
    let words = t["words"].as_u64().unwrap();
    assert_eq!(
        t["wpm"].as_u64(),
        Some((words as f64 * 10.0).round() as u64),
        "{t}"
    );
    let show = stdout(&env, &["review", "show", "1"]);
    assert!(show.contains("said: \"[Um]"), "{show}");

    // Done once: nothing more to do, and the log is not touched.
    let before = std::fs::read_to_string(&log).unwrap();
    let again = stdout(&env, &["review", "transcribe", "1", "1"]);
    assert!(again.contains("has its transcript; --again"), "{again}");
    assert_eq!(std::fs::read_to_string(&log).unwrap(), before);

    // --again with a program of one's own: the newest transcript is the one shown.
    let script = env.write(
        "stt.sh",
        "#!/bin/sh\necho 'We write to them within sixty days of discovery.'\n",
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let command = format!("{} {{in}}", script.display());
    let redo = stdout(
        &env,
        &[
            "review",
            "transcribe",
            "latest",
            "1",
            "--again",
            "--transcribe-command",
            &command,
            "--bank",
            bank.to_str().unwrap(),
        ],
    );
    // Nine words in the 6 s spoken.
    let line = "answer 1 (a), take 1: 90 words a minute · no filler words · covered 1 of 2";
    assert!(redo.contains(line), "{redo}");
    let show = stdout(&env, &["review", "show", "1"]);
    assert!(
        show.contains("said: \"We write to them within sixty days of discovery.\""),
        "{show}"
    );
}
