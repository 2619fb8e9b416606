//! One session, wired together: the log created before anything is asked, the keys, the
//! screen, the audio device opened in the background, the runner, and then what is left
//! to do once it ends (unsaved records, the schedule, the exit code).

use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::rc::Rc;
use std::time::Duration;

use anyhow::Context;
use chrono::Local;

use crate::answer::Kinds;
use crate::audio::{AudioOut, CuePlayer, CueSounds};
use crate::bank::Bank;
use crate::exit;
use crate::faults::{Faults, PanicAt};
use crate::log::read::{Detail, Interner, SessionSummary};
use crate::log::{
    Body, JsonEvents, LogPart, LogWriter, PlanEntry, SCHEMA, SessionStarted, Settings,
};
use crate::plan::Plan;
use crate::present::{Detached, Display, Output, PlainPresenter, Presenter, TerminalPresenter};
use crate::record::{Meter, RecordOptions, Recorder, Transcribing};
use crate::session::{
    Clock, Engine, EngineOptions, Inbox, KeyReader, Part, QuestionTiming, Runner, SessionOutcome,
};
use crate::settings::RunSettings;
use crate::terminal::RawGuard;
use crate::voice::VoicePart;

/// Everything a session needs that was decided before it.
pub struct Prepared<'a> {
    pub settings: &'a RunSettings,
    pub bank: &'a Bank,
    pub plan: &'a Plan,
    pub sounds: CueSounds,
    pub config: Option<&'a std::path::Path>,
}

pub fn run(p: Prepared) -> anyhow::Result<u8> {
    let Prepared { settings, plan, .. } = p;
    let keys_from_terminal = std::io::stdin().is_terminal();
    let faults = Faults::from_env();
    let inbox = Inbox::default();
    crate::signals::forward(inbox.sender()).context("cannot watch for Ctrl-C")?;

    let started = session_started(&p, keys_from_terminal);
    let mut log = open_log(settings, &p.bank.key, &started)?;
    let summary = Rc::new(RefCell::new(fold_from(&started, log.as_ref())));

    let output = output(settings);
    let guard = read_keys(keys_from_terminal, &inbox);
    let lines = guard.is_none();

    // The device opens in the background while the intro is shown; the runner holds the
    // first question until it is ready (or a few seconds have passed).
    let audio = (!settings.mute.value).then(|| AudioOut::open(p.sounds, faults.audio_open_delay));
    // The voice renders the first question meanwhile (`--mute` speaks nothing).
    let mut voice = audio
        .as_ref()
        .filter(|_| settings.speak.value)
        .map(|audio| voice(settings, plan, audio, &inbox));
    let transcribing = transcribing(settings, p.bank, plan);
    let transcribed = matches!(transcribing, Ok(Some(_)));
    let engine = engine(settings, plan, lines, voice.is_some(), transcribed);
    let mut display = Display::new(
        presenter(output, settings.json_events),
        plan,
        Rc::clone(&summary),
        settings.coach,
        audio.is_some(),
    );
    display.one_way(settings.one_way);
    display.intro(&p.bank.name, lines);
    let transcribing = transcribing.unwrap_or_else(|why| {
        display.warn(&why);
        None
    });
    // The microphone opens in the background too; the first question waits a moment for
    // it, so that a missing one is said before anything is asked.
    let mut recorder = settings.record.value.then(|| {
        let log = log.as_ref().map(|l| l.path());
        recorder(
            settings,
            plan,
            log,
            &inbox,
            output,
            &mut display,
            transcribing,
        )
    });
    let log_path = log.as_ref().map(|l| l.path().to_path_buf());
    let mut log_part = LogPart::new(log.as_mut(), plan, Rc::clone(&summary), audio.is_some())
        .every_start(voice.is_some() || recorder.is_some());
    let mut cues = audio.as_ref().map(CuePlayer);
    let mut json_events = settings
        .json_events
        .then(|| JsonEvents::new(Detached::new(std::io::stdout()), plan));
    let mut panic_at = faults.panic_at_question.map(PanicAt);
    // The log first: a record is on disk before its event is heard or seen.
    let mut parts: Vec<&mut dyn Part> = vec![&mut log_part];
    parts.extend(recorder.as_mut().map(|p| p as &mut dyn Part));
    parts.extend(cues.as_mut().map(|p| p as &mut dyn Part));
    parts.extend(voice.as_mut().map(|p| p as &mut dyn Part));
    parts.extend(json_events.as_mut().map(|p| p as &mut dyn Part));
    parts.extend(panic_at.as_mut().map(|p| p as &mut dyn Part));
    let ending = Runner {
        engine,
        clock: clock(settings),
        inbox,
        lines,
        // A person at a terminal starts when ready; hands-free and scripted runs do not wait.
        ready: !lines && !settings.auto.value,
        parts,
        screen: &mut display,
    }
    .run();
    drop(log_part);
    // The last take is complete on disk before the summary says where the log is.
    drop(recorder);
    drop(guard);
    // Before the audio output closes: it waits for the voice to let go of it.
    drop(voice);
    if ending.started {
        finish(&mut display, log.as_mut(), &summary, audio, settings)?;
    } else if let Some(path) = &log_path {
        // Ended at `Ready?`: nothing was asked, so nothing is kept.
        let _ = std::fs::remove_file(path);
    }
    Ok(exit_code(&ending))
}

/// The session's clock: the real one, or a virtual one the tests drive.
fn clock(settings: &RunSettings) -> Clock {
    if settings.virtual_clock {
        Clock::virtual_at_zero()
    } else {
        Clock::real()
    }
}

/// 128 + the signal that ended the session, else whether it ran to its end.
fn exit_code(ending: &crate::session::Ending) -> u8 {
    match (ending.signal, ending.outcome) {
        (Some(signal), _) => 128 + signal as u8,
        (None, SessionOutcome::Aborted) => exit::INTERRUPTED,
        (None, SessionOutcome::Completed) => exit::SUCCESS,
    }
}

/// Keys one at a time from a terminal (in raw mode while the guard lives), else lines.
/// The key reader stops before the terminal is given back (it is dropped first).
fn read_keys(from_terminal: bool, inbox: &Inbox) -> Option<(KeyReader, RawGuard)> {
    match from_terminal.then(RawGuard::enter) {
        Some(Ok(guard)) => Some((crate::session::read_keys(inbox.sender()), guard)),
        _ => {
            crate::session::read_lines(inbox.sender());
            None
        }
    }
}

/// The interviewer's voice, rendering the first question at once.
fn voice(settings: &RunSettings, plan: &Plan, audio: &AudioOut, inbox: &Inbox) -> VoicePart {
    VoicePart::start(
        settings.voice.choice(),
        plan.questions
            .iter()
            .map(|q| crate::text::sanitize(&q.text))
            .collect(),
        f32::from(settings.volume.value) / 100.0,
        audio.speaker(),
        inbox.sender(),
    )
}

/// With `--transcribe`: the engine (loaded in the background by the recorder, off the path
/// to the first question) and the bank's talking points to judge the answers by. An
/// engine that cannot even be chosen is said in one line; the session goes on recording.
fn transcribing(
    settings: &RunSettings,
    bank: &Bank,
    plan: &Plan,
) -> Result<Option<Transcribing>, String> {
    if !settings.transcribe.value {
        return Ok(None);
    }
    let engine = settings
        .transcription
        .engine(Some(1))
        .map_err(|e| format!("cannot transcribe: {e}; the session goes on recording"))?;
    Ok(Some(Transcribing {
        engine,
        points: plan
            .questions
            .iter()
            .map(|q| q.talking_points.clone())
            .collect(),
        coverage: crate::analyse::coverage_of(bank),
    }))
}

/// A bar on a terminal, plain lines elsewhere.
/// The recorder of every answer, its level shown by the display.
fn recorder<'a>(
    settings: &RunSettings,
    plan: &'a Plan,
    log: Option<&std::path::Path>,
    inbox: &Inbox,
    output: Output,
    display: &mut Display,
    transcribing: Option<Transcribing>,
) -> Recorder<'a> {
    // Drawn by the bar, which is drawn again when the meter shows another level.
    let meter = if output.fancy {
        Meter::waking(inbox.sender())
    } else {
        Meter::default()
    };
    display.record(meter.clone());
    let options = RecordOptions {
        device: settings.input_device.value.clone(),
        pause_threshold: settings.pause_threshold.value,
    };
    Recorder::start(&options, plan, log, inbox.sender(), meter, transcribing)
}

fn output(settings: &RunSettings) -> Output {
    Output::detect(
        std::io::stdout().is_terminal() && !settings.json_events,
        settings.term.as_deref(),
        !crate::color::stdout(),
    )
}

/// The screen: a bar on a terminal, plain lines elsewhere (on standard error with
/// `--json-events`, whose events own standard output).
fn presenter(output: Output, json_events: bool) -> Box<dyn Presenter> {
    if output.fancy {
        Box::new(TerminalPresenter::new(output.color))
    } else if json_events {
        Box::new(PlainPresenter::new(Detached::new(std::io::stderr())))
    } else {
        // Written on a thread of its own: a reader who stops reading holds nothing up.
        Box::new(PlainPresenter::new(Detached::new(std::io::stdout())))
    }
}

/// The session's summary as its first record starts it; its records are folded in as the
/// log part writes them.
fn fold_from(started: &SessionStarted, log: Option<&LogWriter>) -> SessionSummary {
    let (path, at) = match log {
        Some(log) => (log.path().to_path_buf(), log.at(Duration::ZERO)),
        None => (std::path::PathBuf::new(), Local::now()),
    };
    SessionSummary::start(
        &path,
        at.fixed_offset(),
        0,
        started,
        Detail::Questions,
        &mut Interner::default(),
    )
}

/// After the last event: the recap, the records that could not be saved, and the
/// spaced-repetition schedule.
fn finish(
    display: &mut Display,
    mut log: Option<&mut LogWriter>,
    summary: &RefCell<SessionSummary>,
    audio: Option<AudioOut>,
    settings: &RunSettings,
) -> anyhow::Result<()> {
    let unsaved = log.as_mut().and_then(|log| log.flush_pending().err());
    summary.borrow_mut().settle();
    let path = log.as_ref().map(|l| l.path().display().to_string());
    display.recap(path.as_deref().map(|p| (p, unsaved.is_none())));
    if let Some(audio) = audio {
        // Let the last cue ring out rather than cut it off.
        audio.finish(Duration::from_secs(2));
    }
    let Some(log) = log else { return Ok(()) };
    if let Some(trouble) = unsaved {
        // The last chance to keep them: the records go to the screen, to be copied.
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "rehearse: these session records could not be saved; here they are:"
        );
        let _ = err.write_all(log.unsaved());
        return Err(trouble.error).with_context(|| {
            format!(
                "{} records could not be saved to {}",
                trouble.waiting,
                log.path().display()
            )
        });
    }
    // The spaced-repetition schedule learns from this session.
    if let Some(dir) = &settings.log_dir.value
        && let Err(e) = crate::history::record_session(dir, &summary.borrow())
    {
        display.warn(&format!("{e:#}"));
    }
    Ok(())
}

/// The log is created before anything is asked: a session that cannot be saved is
/// refused now, not after half an hour of practice.
fn open_log(
    settings: &RunSettings,
    bank_key: &str,
    started: &SessionStarted,
) -> anyhow::Result<Option<LogWriter>> {
    let Some(dir) = &settings.log_dir.value else {
        return Ok(None);
    };
    let mut log = LogWriter::create(dir, bank_key, Local::now())?;
    if let Err(trouble) = log.write(
        Duration::ZERO,
        &Body::SessionStarted(Box::new(started.clone())),
    ) {
        // Refused before anything was asked: leave no empty log behind to be reported as
        // damaged for ever after.
        let _ = std::fs::remove_file(log.path());
        return Err(trouble.error)
            .with_context(|| format!("cannot write the session log {}", log.path().display()));
    }
    Ok(Some(log))
}

/// The engine for this plan. `lines`: keys come as lines from a pipe.
fn engine(
    settings: &RunSettings,
    plan: &Plan,
    lines: bool,
    speak: bool,
    transcribed: bool,
) -> Engine {
    let timings = plan
        .questions
        .iter()
        .map(|q| QuestionTiming {
            limit: q.limit,
            prep: q.prep,
            warn: q.warn,
            min: q.min,
            star: q.star,
        })
        .collect();
    Engine::new(
        timings,
        EngineOptions {
            auto: settings.auto.value,
            gap: settings.gap.value,
            ticks: settings.ticks.value,
            // Rating an answer needs someone at the keys, unless asked for outright.
            review: settings.coach && (settings.rate || !lines && !settings.auto.value),
            star_checklist: !lines,
            retakes: settings.retakes,
            hard_stop: settings.one_way,
            review_at_end: settings.one_way,
            analyses: match (settings.record.value, transcribed) {
                (true, true) => Kinds::SPOKEN.with(Kinds::TRANSCRIPT),
                (true, false) => Kinds::SPOKEN,
                (false, _) => Kinds::NONE,
            },
            speak,
            ..EngineOptions::default()
        },
    )
}

fn session_started(p: &Prepared, keys_from_terminal: bool) -> SessionStarted {
    let logged = p
        .settings
        .logged(p.plan.questions.len(), keys_from_terminal, p.config);
    SessionStarted {
        schema: SCHEMA,
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        bank: p.bank.name.clone(),
        bank_key: p.bank.key.clone(),
        bank_source: p.bank.source.describe(),
        settings: Some(Settings::new(&logged)),
        seed: p.plan.seed,
        plan: p.plan.questions.iter().map(PlanEntry::from).collect(),
    }
}
