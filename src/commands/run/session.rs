//! One session, wired together: the log created before anything is asked, the keys, the
//! screen, the audio device opened in the background, the runner, and then what is left
//! to do once it ends (unsaved records, the schedule, the exit code).

use std::io::{IsTerminal, Write};
use std::time::Duration;

use anyhow::Context;
use chrono::Local;

use crate::audio::{AudioOut, CuePlayer, CueSounds};
use crate::bank::Bank;
use crate::exit;
use crate::faults::{Faults, PanicAt};
use crate::log::{Body, JsonEvents, LogPart, LogWriter, PlanEntry, SCHEMA};
use crate::plan::Plan;
use crate::present::{Detached, Display, Output, PlainPresenter, Presenter, TerminalPresenter};
use crate::record::{Meter, RecordOptions, Recorder};
use crate::session::{
    Clock, Engine, EngineOptions, Inbox, Part, QuestionTiming, Runner, SessionOutcome,
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
    let Prepared {
        settings,
        bank,
        plan,
        ..
    } = p;
    let output = Output::detect(
        // With --json-events standard output is for the events: the screen is plain lines
        // on standard error.
        std::io::stdout().is_terminal() && !settings.json_events,
        std::env::var("TERM").ok().as_deref(),
        !crate::color::stdout(),
    );
    let keys_from_terminal = std::io::stdin().is_terminal();
    let faults = Faults::from_env();
    let clock = if std::env::var_os("REHEARSE_VIRTUAL_CLOCK").is_some_and(|v| v == "1") {
        Clock::virtual_at_zero()
    } else {
        Clock::real()
    };
    let inbox = Inbox::default();
    crate::signals::forward(inbox.sender()).context("cannot watch for Ctrl-C")?;

    let mut log = open_log(&p, keys_from_terminal)?;

    let presenter: Box<dyn Presenter> = if output.fancy {
        Box::new(TerminalPresenter::new(output.color))
    } else if settings.json_events {
        Box::new(PlainPresenter::new(Detached::new(std::io::stderr())))
    } else {
        // Written on a thread of its own: a reader who stops reading holds nothing up.
        Box::new(PlainPresenter::new(Detached::new(std::io::stdout())))
    };
    let guard = match keys_from_terminal.then(RawGuard::enter) {
        Some(Ok(guard)) => {
            crate::session::read_keys(inbox.sender());
            Some(guard)
        }
        _ => {
            crate::session::read_lines(inbox.sender());
            None
        }
    };
    let lines = guard.is_none();

    // The device opens in the background while the intro is shown; the runner holds the
    // first question until it is ready (or a few seconds have passed).
    let audio = (!settings.mute.value).then(|| AudioOut::open(p.sounds, faults.audio_open_delay));
    // The voice renders the first question meanwhile (`--mute` speaks nothing).
    let mut voice = audio
        .as_ref()
        .filter(|_| settings.speak.value)
        .map(|audio| {
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
        });
    let engine = engine(settings, plan, lines, voice.is_some());
    let mut display = Display::new(presenter, plan, settings.coach, audio.is_some());
    display.coach_at_end(settings.one_way);
    display.intro(&bank.name, lines);
    // The microphone opens in the background too; the first question waits a moment for
    // it, so that a missing one is said before anything is asked.
    let mut recorder = settings.record.value.then(|| {
        let meter = Meter::default();
        display.record(meter.clone());
        let options = RecordOptions {
            device: settings.input_device.value.clone(),
            pause_threshold: settings.pause_threshold.value,
        };
        Recorder::start(
            &options,
            plan,
            log.as_ref().map(|l| l.path()),
            inbox.sender(),
            meter,
        )
    });
    let mut log_part = log
        .as_mut()
        .map(|log| LogPart::new(log, plan, audio.is_some()).speaking(voice.is_some()));
    let mut cues = audio.as_ref().map(CuePlayer);
    let mut json_events = settings
        .json_events
        .then(|| JsonEvents::new(Detached::new(std::io::stdout()), plan));
    let mut panic_at = faults.panic_at_question.map(PanicAt);
    let mut parts: Vec<&mut dyn Part> = Vec::new();
    // The log first: a record is on disk before its event is heard or seen.
    if let Some(part) = &mut log_part {
        parts.push(part);
    }
    if let Some(part) = &mut recorder {
        parts.push(part);
    }
    if let Some(part) = &mut cues {
        parts.push(part);
    }
    if let Some(part) = &mut voice {
        parts.push(part);
    }
    if let Some(part) = &mut json_events {
        parts.push(part);
    }
    if let Some(part) = &mut panic_at {
        parts.push(part);
    }
    let ending = Runner {
        engine,
        clock,
        inbox,
        lines,
        // A person at a terminal starts when ready; hands-free and scripted runs do not wait.
        ready: !lines && !settings.auto.value,
        parts,
        screen: &mut display,
    }
    .run();
    // The last take is complete on disk before the summary says where the log is.
    drop(recorder);
    drop(guard);
    // Before the audio output closes: it waits for the voice to let go of it.
    drop(voice);
    finish(&mut display, log.as_mut(), audio, settings)?;
    Ok(match (ending.signal, ending.outcome) {
        (Some(signal), _) => 128 + signal as u8,
        (None, SessionOutcome::Aborted) => exit::INTERRUPTED,
        (None, SessionOutcome::Completed) => exit::SUCCESS,
    })
}

/// After the last event: the summary, the records that could not be saved, and the
/// spaced-repetition schedule.
fn finish(
    display: &mut Display,
    mut log: Option<&mut LogWriter>,
    audio: Option<AudioOut>,
    settings: &RunSettings,
) -> anyhow::Result<()> {
    let unsaved = log.as_mut().and_then(|log| log.flush_pending().err());
    if let Some(mut summary) = display.take_summary() {
        summary.log = log.as_ref().map(|l| l.path().display().to_string());
        summary.log_complete = unsaved.is_none();
        display.summary(&summary);
        if let Some(audio) = audio {
            // Let the last cue ring out rather than cut it off.
            audio.finish(Duration::from_secs(2));
        }
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
        && let Err(e) = crate::history::record_session(dir, log.path())
    {
        display.warn(&format!("{e:#}"));
    }
    Ok(())
}

/// The log is created before anything is asked: a session that cannot be saved is
/// refused now, not after half an hour of practice.
fn open_log(p: &Prepared, keys_from_terminal: bool) -> anyhow::Result<Option<LogWriter>> {
    let Some(dir) = &p.settings.log_dir.value else {
        return Ok(None);
    };
    let mut log = LogWriter::create(dir, &p.bank.key, Local::now())?;
    let logged = p
        .settings
        .logged(p.plan.questions.len(), keys_from_terminal, p.config);
    if let Err(trouble) = log.write(Duration::ZERO, session_started(p.bank, p.plan, logged)) {
        // Refused before anything was asked: leave no empty log behind to be reported as
        // damaged for ever after.
        let _ = std::fs::remove_file(log.path());
        return Err(trouble.error)
            .with_context(|| format!("cannot write the session log {}", log.path().display()));
    }
    Ok(Some(log))
}

/// The engine for this plan. `lines`: keys come as lines from a pipe.
fn engine(settings: &RunSettings, plan: &Plan, lines: bool, speak: bool) -> Engine {
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
            recorded: settings.record.value,
            speak,
            ..EngineOptions::default()
        },
    )
}

fn session_started(bank: &Bank, plan: &Plan, settings: serde_json::Value) -> Body {
    Body::SessionStarted {
        schema: SCHEMA,
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        bank: bank.name.clone(),
        bank_key: bank.key.clone(),
        bank_source: bank.source.describe(),
        settings,
        seed: plan.seed,
        plan: plan.questions.iter().map(PlanEntry::from).collect(),
    }
}
