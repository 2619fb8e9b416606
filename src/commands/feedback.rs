//! `rehearse feedback FILE…`: the analysis of an answer given as a recording (transcribed
//! by the speech model or a command of one's own) or as a transcript: words, pace, filler
//! words, hedges and, with `--question`, the talking points covered. As text for a person
//! or as one JSON object per file per line.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;

use crate::analyse::{self, Analysis, Coverage};
use crate::cli::FeedbackArgs;
use crate::exit::{self, UsageError};
use crate::paths::{ModelPaths, Paths};
use crate::settings::TranscribeSettings;
use crate::text::sanitize;
use crate::transcribe::{Loading, Transcriber};

/// A transcript file larger than this is not an answer.
const MAX_TEXT: u64 = 1024 * 1024;

/// What one file gave.
struct Heard {
    transcript: String,
    /// Audio only: its length and the speaking time in it.
    duration: Option<Duration>,
    speech: Option<Duration>,
}

pub fn run(args: FeedbackArgs, config: &crate::config::ConfigFile) -> anyhow::Result<u8> {
    let config = config.get()?;
    let settings = TranscribeSettings::resolve(
        Some(&args.transcribe),
        None,
        config,
        &ModelPaths::from_env(),
    );
    let question = match &args.question {
        Some(id) => Some(question(&args, id, config)?),
        None => None,
    };
    // The model loads while the first files are read.
    let any_audio = args.files.iter().any(|f| is_audio(f));
    let mut loading = match any_audio {
        true => Some(Loading::start(settings.engine(None)?)),
        false => None,
    };
    let mut engine: Option<Transcriber> = None;
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    for file in &args.files {
        let heard = if is_audio(file) {
            let samples = crate::transcribe::audio::read(file)
                .map_err(|why| anyhow::anyhow!("{}: {why}", file.display()));
            match samples {
                Ok(samples) => {
                    if let Some(pending) = loading.take() {
                        engine = Some(pending.wait()?);
                    }
                    let Some(engine) = engine.as_mut() else {
                        unreachable!("the engine is loaded before the first recording")
                    };
                    listen(engine, &samples).with_context(|| file.display().to_string())
                }
                Err(e) => Err(e),
            }
        } else {
            read_text(file)
        };
        let heard = match heard {
            Ok(heard) => heard,
            Err(e) => {
                failed = true;
                let _ = writeln!(
                    std::io::stderr(),
                    "rehearse: {}",
                    sanitize(&format!("{e:#}"))
                );
                continue;
            }
        };
        let (points, coverage) = match &question {
            Some((points, coverage)) => (points.as_slice(), Some(coverage)),
            None => (&[][..], None),
        };
        let analysis = analyse::analyse(&heard.transcript, heard.speech, points, coverage);
        if args.json {
            writeln!(
                out,
                "{}",
                json(file, &heard, &analysis, args.question.is_some())
            )?;
        } else {
            show(&mut out, file, &heard, &analysis)?;
        }
    }
    Ok(if failed { exit::FAILURE } else { exit::SUCCESS })
}

/// The question's talking points and a judge for them, from the bank `run` would use.
fn question(
    args: &FeedbackArgs,
    id: &str,
    config: &crate::config::Config,
) -> anyhow::Result<(Vec<String>, Coverage)> {
    let spec = args
        .bank
        .clone()
        .or_else(|| config.default_bank.as_ref().map(|s| s.value.clone()))
        .unwrap_or_else(|| crate::bank::DEFAULT_BANK.to_string());
    let paths = Paths::from_env();
    let opened = crate::bank::open(&spec, paths.banks.as_deref())?;
    let bank = opened.bank;
    let Some(question) = bank.questions.iter().find(|q| q.id == id) else {
        let ids: Vec<&str> = bank.questions.iter().map(|q| q.id.as_str()).collect();
        let hint = crate::text::did_you_mean(id, &ids)
            .map(|c| format!("; did you mean {c}?"))
            .unwrap_or_else(|| format!("; `rehearse banks show {}` lists them", bank.key));
        return Err(UsageError(format!("{} has no question {id:?}{hint}", bank.name)).into());
    };
    if question.talking_points.is_empty() {
        return Err(UsageError(format!("{id} has no talking points to judge")).into());
    }
    Ok((question.talking_points.clone(), analyse::coverage_of(&bank)))
}

/// A recording, by its name or its first bytes.
fn is_audio(path: &Path) -> bool {
    let by_name = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("wav") || e.eq_ignore_ascii_case("flac"));
    by_name || {
        let mut head = [0u8; 4];
        std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
            .is_ok_and(|()| &head == b"RIFF" || &head == b"fLaC")
    }
}

/// Transcribes a recording and, on a second thread meanwhile, measures its speaking time
/// with the voice detector.
fn listen(engine: &mut Transcriber, samples: &[f32]) -> anyhow::Result<Heard> {
    let (transcript, figures) = std::thread::scope(|scope| {
        let detector = scope.spawn(|| {
            let mut speech = crate::record::detect::Speech::default();
            speech.push(&crate::transcribe::audio::to_i16(samples));
            speech.figures(crate::record::DEFAULT_PAUSE_THRESHOLD)
        });
        let transcript = engine.transcribe_long(samples);
        (transcript, detector.join())
    });
    let figures = figures.map_err(|_| anyhow::anyhow!("the voice detector failed"))?;
    let transcript = transcript?;
    Ok(Heard {
        transcript,
        duration: Some(std::time::Duration::from_millis(figures.duration_ms)),
        speech: Some(std::time::Duration::from_millis(figures.speech_ms)),
    })
}

fn read_text(path: &Path) -> anyhow::Result<Heard> {
    let name = path.display();
    let meta = std::fs::metadata(path).with_context(|| name.to_string())?;
    if meta.len() > MAX_TEXT {
        anyhow::bail!(
            "{name}: {} is too big for a transcript",
            crate::text::mebibytes(meta.len())
        );
    }
    let bytes = std::fs::read(path).with_context(|| name.to_string())?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{name}: not UTF-8 text (byte {}); a recording must be WAV or FLAC",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(Heard {
        transcript: text.split_whitespace().collect::<Vec<_>>().join(" "),
        duration: None,
        speech: None,
    })
}

fn json(file: &Path, heard: &Heard, a: &Analysis, with_points: bool) -> serde_json::Value {
    let ms = |d: Option<Duration>| d.map(|d| d.as_millis() as u64);
    let mut value = serde_json::json!({
        "file": file.display().to_string(),
        "transcript": heard.transcript,
        "words": a.words,
        "fillers": a.fillers,
        "hedges": a.hedges,
    });
    if heard.duration.is_some() {
        value["duration_ms"] = ms(heard.duration).into();
        value["speech_ms"] = ms(heard.speech).into();
        value["wpm"] = a.wpm.into();
    }
    if with_points {
        value["points"] = serde_json::to_value(&a.points).unwrap_or_default();
    }
    value
}

/// The analysis for a person: the transcript with its fillers in brackets, then the
/// figures and the points.
fn show(out: &mut impl Write, file: &Path, heard: &Heard, a: &Analysis) -> std::io::Result<()> {
    let on = crate::color::stdout();
    let clock = |d: Duration| crate::duration::clock(d);
    let mut head = vec![format!("{} words", a.words)];
    if let (Some(duration), Some(speech)) = (heard.duration, heard.speech) {
        head.insert(
            0,
            format!("{} long, {} of speech", clock(duration), clock(speech)),
        );
        head.push(match a.wpm {
            Some(wpm) => format!("{wpm} words a minute"),
            None => "too little speech for a pace".into(),
        });
    }
    let title = crate::color::bold(&sanitize(&file.display().to_string()), on);
    writeln!(out, "{title}: {}", head.join(", "))?;
    let width = crossterm::terminal::size()
        .map_or(80, |(w, _)| usize::from(w))
        .clamp(40, 100)
        - 2;
    let mut marked = crate::answer::transcript::marked(&heard.transcript, &a.filler_spans);
    if marked.is_empty() {
        marked = "(nothing was heard)".into();
    }
    for line in textwrap::wrap(
        &sanitize(&marked),
        textwrap::Options::new(width)
            .initial_indent("  ")
            .subsequent_indent("  "),
    ) {
        writeln!(out, "{line}")?;
    }
    let list = |c: &analyse::Counts| {
        c.counts
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(
        out,
        "filler words: {}{}",
        a.fillers.total,
        paren(&list(&a.fillers))
    )?;
    writeln!(out, "hedges: {}{}", a.hedges.total, paren(&list(&a.hedges)))?;
    if !a.points.is_empty() {
        let covered = a.points.iter().filter(|p| p.covered).count();
        writeln!(
            out,
            "talking points: {covered} of {} covered",
            a.points.len()
        )?;
        let hang = " ".repeat(13);
        for p in &a.points {
            let mark = if p.covered { "covered" } else { "missed " };
            let first = format!("  {mark} {}. ", p.index);
            let options = textwrap::Options::new(width)
                .initial_indent(&first)
                .subsequent_indent(&hang);
            writeln!(out, "{}", textwrap::fill(&sanitize(&p.text), options))?;
            if let (true, Some(heard)) = (p.covered, &p.heard) {
                let lead = format!("{hang}heard: ");
                let options = textwrap::Options::new(width)
                    .initial_indent(&lead)
                    .subsequent_indent(&hang);
                let quoted = format!("\"{}\"", sanitize(heard));
                writeln!(out, "{}", textwrap::fill(&quoted, options))?;
            }
        }
    }
    writeln!(out)
}

fn paren(list: &str) -> String {
    if list.is_empty() {
        String::new()
    } else {
        format!(" ({list})")
    }
}
