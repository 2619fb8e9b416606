//! `rehearse review transcribe`: transcripts for the recorded takes of a session that has
//! none (recorded without `--transcribe`, or to be done again by another engine). Each
//! take's recording is read, transcribed and analysed against its question's talking
//! points, and one `answer_transcribed` record per take is added to the session's own log,
//! as `run --transcribe` would have written it; the recordings are not changed.

use std::time::Duration;

use anyhow::{Context, anyhow};
use chrono::{Local, SecondsFormat};

use crate::analyse::{self, Coverage};
use crate::answer::transcript::{self, Of, Transcript};
use crate::cli::TranscribeArgs;
use crate::exit::{self, SUCCESS};
use crate::log::read::{QuestionRecord, SessionSummary, Take};
use crate::log::{AppendError, Body, Record, append_to};
use crate::paths::{ModelPaths, Paths};
use crate::settings::TranscribeSettings;
use crate::text::sanitize;
use crate::transcribe::{Loading, Transcriber};

use super::super::logs::{emit, log_dir};

pub fn run(args: TranscribeArgs, config: &crate::config::ConfigFile) -> anyhow::Result<u8> {
    let dir = log_dir(&args.log_dir, config)?;
    let session = super::pick(args.session.as_deref(), &dir)?;
    let name = match session.number {
        Some(n) => format!("session {n}"),
        None => sanitize(&session.file),
    };
    if let Some(n) = args.answer {
        super::answer(&session, n, &name)?;
    }
    let todo = takes(&session, args.answer, args.again);
    if todo.is_empty() {
        emit(&format!("{}\n", nothing_to_do(&session, &name, args.again)))?;
        return Ok(SUCCESS);
    }
    let settings = TranscribeSettings::resolve(
        Some(&args.transcribe),
        None,
        config.get()?,
        &ModelPaths::from_env(),
    );
    let mut engine = Loading::start(settings.engine(None)?).wait()?;
    let spec = args.bank.as_deref().unwrap_or(&session.bank_key);
    let judge = Judge::of(spec, args.bank.is_some())?;
    let mut failed = false;
    for (q, take) in todo {
        let added = transcribe(&session, q, take, &mut engine, &judge);
        match added {
            Ok(t) => {
                let heading = format!("answer {} ({}), take {}", q.index, sanitize(&q.id), t.take);
                emit(&format!("{heading}: {}\n", transcript::line(&t)))?;
            }
            Err(e) if e.is::<AppendError>() => return Err(e),
            Err(e) => {
                failed = true;
                eprintln!("rehearse: {}", sanitize(&format!("{e:#}")));
            }
        }
    }
    Ok(if failed { exit::FAILURE } else { SUCCESS })
}

/// The recorded takes still kept on disk, of every answer or of one; with `again`, those
/// already transcribed too.
fn takes(
    session: &SessionSummary,
    answer: Option<u64>,
    again: bool,
) -> Vec<(&QuestionRecord, &Take)> {
    let questions =
        (session.questions.iter()).filter(|q| answer.is_none_or(|n| q.index as u64 == n));
    questions
        .flat_map(|q| q.takes.iter().map(move |t| (q, t)))
        .filter(|(_, t)| t.spoken.as_ref().is_some_and(|s| s.file.is_some()))
        .filter(|(_, t)| again || t.transcript.is_none())
        .collect()
}

/// Why there is nothing to transcribe, and what would do something.
fn nothing_to_do(session: &SessionSummary, name: &str, again: bool) -> String {
    let recorded = (session.questions.iter())
        .flat_map(|q| q.recorded_takes())
        .filter(|t| t.spoken.as_ref().is_some_and(|s| s.file.is_some()))
        .count();
    match (recorded, again) {
        (0, _) => format!(
            "{name} has no recordings to transcribe: record answers with 'rehearse run --record' \
             (or --transcribe, which transcribes them as you go)"
        ),
        _ => format!(
            "every recorded take of {name} has its transcript; --again transcribes them anew"
        ),
    }
}

/// The talking points of the session's bank as it is now, and the judge of them; none
/// when the bank is gone (the words and fillers are still counted).
struct Judge {
    points: std::collections::HashMap<String, Vec<String>>,
    coverage: Option<Coverage>,
}

impl Judge {
    /// The bank named (`--bank`) must be there; the session's own may be gone, and then
    /// the points are not judged.
    fn of(spec: &str, named: bool) -> anyhow::Result<Judge> {
        let paths = Paths::from_env();
        let bank = match crate::bank::find(spec, paths.banks.as_deref()) {
            Ok(bank) => bank,
            Err(e) if named => return Err(e.into()),
            Err(_) => {
                eprintln!(
                    "rehearse: the bank {} is not found, so the talking points are not judged \
                     (--bank names its file)",
                    sanitize(spec)
                );
                return Ok(Judge {
                    points: Default::default(),
                    coverage: None,
                });
            }
        };
        let coverage = analyse::coverage_of(&bank);
        Ok(Judge {
            points: (bank.questions.into_iter())
                .map(|q| (q.id, q.talking_points))
                .collect(),
            coverage: Some(coverage),
        })
    }
}

/// Transcribes one take and adds its record to the log.
fn transcribe(
    session: &SessionSummary,
    q: &QuestionRecord,
    take: &Take,
    engine: &mut Transcriber,
    judge: &Judge,
) -> anyhow::Result<Transcript> {
    let spoken = take
        .spoken
        .as_ref()
        .ok_or_else(|| anyhow!("not recorded"))?;
    let file = spoken.file.as_deref().unwrap_or_default();
    let folder = session.path.parent().unwrap_or(std::path::Path::new("."));
    let path = folder.join(file);
    let samples = crate::transcribe::audio::read(&path)
        .map_err(|why| anyhow!("{}: {why}", path.display()))?;
    let text = engine
        .transcribe_long(&samples)
        .with_context(|| path.display().to_string())?;
    let points = judge.points.get(&*q.id).map_or(&[][..], Vec::as_slice);
    let speech = Duration::from_millis(spoken.speech_ms);
    let analysis = analyse::analyse(&text, Some(speech), points, judge.coverage.as_ref());
    let model = engine.name();
    let of = Of {
        index: q.index,
        id: &q.id,
        take: take.take,
        model: &model,
    };
    let t = Transcript::new(of, text, analysis);
    let now = Local::now();
    // Milliseconds since the session started, as every record of the log has them; never
    // before the records already there.
    let since = (now.fixed_offset() - session.started)
        .num_milliseconds()
        .max(0) as u64;
    let record = Record {
        at: now.to_rfc3339_opts(SecondsFormat::Millis, false),
        t_ms: since.max(session.last_t_ms()),
        body: Body::AnswerTranscribed(Box::new(t.clone())),
    };
    append_to(&session.path, &record).map_err(|e| match e {
        AppendError::Busy => anyhow::Error::from(AppendError::Busy).context(format!(
            "{} is still being written by a 'rehearse run': transcribe it once it has ended",
            session.path.display()
        )),
        AppendError::Io(e) => anyhow::Error::from(AppendError::Io(e)).context(format!(
            "cannot add the transcript to {}",
            session.path.display()
        )),
    })?;
    Ok(t)
}
