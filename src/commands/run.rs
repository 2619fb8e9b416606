//! `rehearse run`: load the bank, make the plan, open the log, then feed the engine the
//! real clock and the person's keys, logging each event before showing it.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use anyhow::Context;
use chrono::Local;
use serde_json::json;

use crate::audio::{AudioOut, cue_for};
use crate::bank::{self, Bank};
use crate::cli::RunArgs;
use crate::coach::ReviewStep;
use crate::config;
use crate::exit::{self, UsageError};
use crate::input::{Key, Keys, LineKeys, TerminalKeys};
use crate::log::{Body, LogWriter, PlanEntry, SCHEMA};
use crate::paths::Paths;
use crate::plan::{self, Pick, Plan, PlanOptions, PlannedQuestion, Selection};
use crate::present::{Output, PlainPresenter, Presenter, Summary, TerminalPresenter, plan_table};
use crate::session::{
    Clock, Engine, EngineOptions, Event, EventKind, Input, MonotonicClock, Outcome, Phase,
    QuestionTiming, SessionOutcome,
};
use crate::settings::RunSettings;
use crate::signals::Signals;
use crate::terminal::RawGuard;

/// The screen is redrawn at most this often while a bar is shown.
const REDRAW: Duration = Duration::from_millis(100);

pub fn run(args: RunArgs) -> anyhow::Result<u8> {
    let paths = Paths::from_env();
    let config = config::load(config::default_path().as_deref())?;
    let settings = RunSettings::resolve(Some(&args), &config, &paths);
    let opened = bank::open(&settings.bank.value, paths.banks.as_deref())?;
    if let Some(report) = &opened.report {
        super::tell_import(report);
    }
    let bank = opened.bank;
    let times = settings.times(&args);
    plan::check_limit_ids(&bank, &times).map_err(UsageError)?;
    let seed = args
        .seed
        .unwrap_or_else(|| rand::random_range(0..1_000_000));
    let (mut selection, pick) = choose(&args, &bank, settings.count.value)?;
    let history_dir = settings
        .log_dir
        .value
        .clone()
        .or_else(|| paths.sessions.clone());
    let mut drill_note = None;
    if args.weakest.is_some() || args.due {
        let dir = history_dir
            .as_deref()
            .context("no log folder to read your history from")?;
        let (ids, note) = drill(&args, &bank, &pick, dir, settings.count.value)?;
        if ids.is_empty() {
            println!("{note}");
            return Ok(exit::SUCCESS);
        }
        selection = Selection::Listed(ids);
        drill_note = Some(note);
    }
    let plan = plan::make_plan(
        &bank,
        &PlanOptions {
            selection,
            seed,
            times,
            pick,
        },
    );

    if args.dry_run {
        let table = plan_table(&bank.name, &plan, settings.time_scale.value);
        let mut out = std::io::stdout().lock();
        write!(out, "{table}")?;
        if let Some(note) = &drill_note {
            writeln!(out, "{note}")?;
        }
        writeln!(
            out,
            "seed {seed}: `--seed {seed}` asks these questions again"
        )?;
        return Ok(exit::SUCCESS);
    }

    // Sounds are decoded now, so a broken replacement file stops us before any question.
    let sounds =
        crate::commands::sounds::load(settings.sounds_dir.value.as_deref(), settings.volume.value)?;

    let output = Output::detect(
        std::io::stdout().is_terminal(),
        std::env::var("TERM").ok().as_deref(),
        !crate::color::stdout(),
    );
    let keys_from_terminal = std::io::stdin().is_terminal();
    let log_dir = match &settings.log_dir.value {
        None if !args.no_log => {
            return Err(UsageError(
                "no folder for session logs: set REHEARSE_LOG_DIR or pass --log-dir (or --no-log)"
                    .into(),
            )
            .into());
        }
        dir => dir.clone(),
    };

    let logged_settings = json!({
        "count": plan.questions.len(),
        "all": args.all,
        "time_ms": args.time.map(|t| t.as_millis()),
        "limits": args.limit.iter().map(|(id, d)| (id.clone(), d.as_millis())).collect::<std::collections::BTreeMap<_, _>>(),
        "prep_ms": args.prep.map(|d| d.as_millis()),
        "warn_at_ms": args.warn_at.map(|d| d.as_millis()),
        "time_scale": settings.time_scale.value,
        "auto": settings.auto.value,
        "gap_ms": settings.gap.value.as_millis() as u64,
        "keys": if keys_from_terminal { "terminal" } else { "lines" },
        "mute": settings.mute.value,
        "volume": settings.volume.value,
        "sounds_dir": settings.sounds_dir.value.as_ref().map(|d| d.display().to_string()),
        "ticks": settings.ticks.value,
        "config": config.path.as_ref().map(|p| p.display().to_string()),
        "categories": args.categories,
        "questions": args.questions,
        "shuffle": args.shuffle,
        "follow_ups": args.follow_ups,
    });

    // The log is created before anything is asked: a session that cannot be saved is
    // refused now, not after half an hour of practice.
    let signals = Signals::install().context("cannot watch for Ctrl-C")?;
    let (started, clock) = (Local::now(), MonotonicClock::start());
    let mut log = match &log_dir {
        Some(dir) => Some(LogWriter::create(dir, &bank.key, started)?),
        None => None,
    };
    if let Some(log) = &mut log {
        let started = session_started(&bank, &plan, logged_settings);
        log.write(clock.now(), started)
            .map_err(|t| t.error)
            .with_context(|| format!("cannot write the session log {}", log.path().display()))?;
    }

    let mut presenter: Box<dyn Presenter> = if output.fancy {
        Box::new(TerminalPresenter::new(output.color))
    } else {
        Box::new(PlainPresenter::new(std::io::stdout()))
    };
    let (mut keys, _guard): (Box<dyn Keys>, Option<RawGuard>) =
        match keys_from_terminal.then(RawGuard::enter) {
            Some(Ok(guard)) => (Box::new(TerminalKeys::default()), Some(guard)),
            _ => (Box::new(LineKeys::from_stdin()), None),
        };

    let timings = plan
        .questions
        .iter()
        .map(|q| QuestionTiming {
            limit: q.limit,
            prep: q.prep,
            warn: q.warn,
            min: q.min,
        })
        .collect();
    let mut engine = Engine::new(
        timings,
        EngineOptions {
            auto: settings.auto.value,
            gap: settings.gap.value,
            ticks: settings.ticks.value,
            // Rating an answer needs someone at the keys, unless asked for outright.
            review: !args.no_coach && (args.rate || keys_from_terminal && !settings.auto.value),
            ..EngineOptions::default()
        },
    );

    // The device opens in the background: the first question does not wait for it.
    let audio = (!settings.mute.value).then(|| AudioOut::open(sounds));
    presenter.intro(&bank.name, &plan, !keys_from_terminal);
    let mut session = Session {
        plan: &plan,
        log: log.as_mut(),
        presenter: presenter.as_mut(),
        clock: &clock,
        audio: audio.as_ref(),
        coach: !args.no_coach,
        log_trouble: false,
        summary: None,
    };
    // Fault injection for the tests that prove a panic leaves the terminal usable and the
    // log intact: panic when this question starts.
    let panic_at: Option<usize> = std::env::var("REHEARSE_TEST_PANIC_AT_QUESTION")
        .ok()
        .and_then(|v| v.parse().ok());
    let mut stopped_by = None;
    let mut events = engine.start(clock.now());
    loop {
        session.handle(&events);
        if let Some(n) = panic_at
            && events
                .iter()
                .any(|e| e.kind == EventKind::QuestionStarted && e.index == n)
        {
            panic!("injected fault at question {n} (REHEARSE_TEST_PANIC_AT_QUESTION)");
        }
        if engine.is_finished() {
            break;
        }
        if session.log_trouble {
            // Space may have come back: write what waited.
            session.commit();
        }
        if let Some(signal) = signals.take() {
            stopped_by = Some(signal);
            events = engine.input(Input::Quit, clock.now());
            continue;
        }
        if let Some(view) = engine.view(clock.now())
            && view.phase == Phase::Review
        {
            let question = &plan.questions[view.index - 1];
            let step = session.review(question, keys.as_mut(), &signals, keys_from_terminal)?;
            events = match step {
                ReviewEnd::Next => engine.input(Input::Next, clock.now()),
                ReviewEnd::Quit(signal) => {
                    stopped_by = signal;
                    engine.input(Input::Quit, clock.now())
                }
            };
            continue;
        }
        if let Some(message) = session
            .audio
            .and_then(AudioOut::notice)
            .and_then(|n| n.message())
        {
            session.presenter.warn(message);
        }
        let now = clock.now();
        session.presenter.redraw(engine.view(now));
        let due = engine
            .next_deadline()
            .map_or(REDRAW, |at| at.saturating_sub(now));
        let timeout = if output.fancy {
            due.min(REDRAW)
        } else {
            due.min(Duration::from_millis(250))
        };
        events = match keys.wait(timeout)? {
            Some(Key::Input(input)) => engine.input(input, clock.now()),
            Some(Key::Help) => {
                session.presenter.help();
                Vec::new()
            }
            Some(Key::Resized) | None => engine.advance(clock.now()),
        };
    }

    let summary = session.summary.take();
    drop(_guard);
    let unsaved = log.as_mut().and_then(|log| log.flush_pending().err());
    if let Some(mut summary) = summary {
        summary.log = log.as_ref().map(|l| l.path().display().to_string());
        summary.log_complete = unsaved.is_none();
        presenter.summary(&summary);
        if let Some(audio) = audio {
            // Let the last cue ring out rather than cut it off.
            audio.finish(Duration::from_secs(2));
        }
    }
    if let (Some(log), Some(trouble)) = (&log, unsaved) {
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
    if let (Some(log), Some(dir)) = (&log, &log_dir)
        && let Err(e) = crate::history::record_session(dir, log.path())
    {
        presenter.warn(&format!("{e:#}"));
    }
    if stopped_by.is_some() || engine.outcome() == Some(SessionOutcome::Aborted) {
        return Ok(stopped_by.map_or(exit::INTERRUPTED, |signal| 128 + signal as u8));
    }
    Ok(exit::SUCCESS)
}

/// How a review step ended: go on, or end the session (by a key, or a signal).
enum ReviewEnd {
    Next,
    Quit(Option<i32>),
}

/// Which questions, from `--count`, `--all`, `--question`, `--category`, `--shuffle` and
/// `--follow-ups`. A name that is not in the bank is a usage error listing the valid ones.
fn choose(args: &RunArgs, bank: &Bank, count: usize) -> Result<(Selection, Pick), UsageError> {
    let usage = |e: plan::SelectError| UsageError(e.to_string());
    let selection = if !args.questions.is_empty() {
        Selection::Listed(plan::resolve_questions(bank, &args.questions).map_err(usage)?)
    } else if args.all {
        Selection::All
    } else {
        Selection::Random { count }
    };
    let pick = Pick {
        categories: plan::resolve_categories(bank, &args.categories).map_err(usage)?,
        shuffle: args.shuffle,
        follow_ups: args.follow_ups,
    };
    Ok((selection, pick))
}

/// The questions `--weakest N` or `--due` pick from the history in `dir`, within the
/// `--category` choice, and a line saying why.
fn drill(
    args: &RunArgs,
    bank: &Bank,
    pick: &Pick,
    dir: &std::path::Path,
    count: usize,
) -> anyhow::Result<(Vec<String>, String)> {
    let ids: Vec<&str> = bank
        .questions
        .iter()
        .filter(|q| pick.categories.is_empty() || pick.categories.contains(&q.category))
        .map(|q| q.id.as_str())
        .collect();
    let today = Local::now().date_naive();
    if let Some(n) = args.weakest {
        let history: Vec<_> = crate::history::attempts(dir)
            .with_context(|| format!("cannot read your history in {}", dir.display()))?
            .into_iter()
            .filter(|a| a.bank == bank.key)
            .collect();
        let weakest = crate::drill::weakest(&ids, &history, n as usize, today);
        let scores: Vec<String> = weakest
            .iter()
            .map(|(id, score)| format!("{id} {score:.2}"))
            .collect();
        let note = format!("weakest first, by score: {}", scores.join(", "));
        return Ok((
            weakest.into_iter().map(|(id, _)| id.to_string()).collect(),
            note,
        ));
    }
    let schedule =
        crate::history::load_schedule(dir, &mut |warning| eprintln!("rehearse: {warning}"))?;
    let mut due = schedule.due(&bank.key, &ids, today);
    due.truncate(count);
    let note = if due.is_empty() {
        match schedule.next_due(&bank.key, &ids) {
            Some(day) => format!("Nothing is due today; the next question is due on {day}."),
            None => "Nothing is due today.".to_string(),
        }
    } else {
        format!(
            "{} due by spaced repetition (overdue first, then new)",
            crate::present::questions(due.len())
        )
    };
    Ok((due.into_iter().map(str::to_string).collect(), note))
}

/// Everything one session writes and shows, in the order the rules ask: log, then screen.
struct Session<'a> {
    plan: &'a Plan,
    log: Option<&'a mut LogWriter>,
    presenter: &'a mut dyn Presenter,
    clock: &'a MonotonicClock,
    audio: Option<&'a AudioOut>,
    /// Show the talking points after each answer.
    coach: bool,
    log_trouble: bool,
    summary: Option<Summary>,
}

impl<'a> Session<'a> {
    fn handle(&mut self, events: &[Event]) {
        if events.is_empty() {
            return;
        }
        // First everything that happened goes to the log, synced once; then it is shown
        // and heard.
        let mut cues = Vec::new();
        for event in events {
            let question = self.question(event);
            // A cue is logged when it sounds, or would sound but for a missing device;
            // with --mute there is no cue at all. Its time is when it was really
            // triggered, to show how punctual cues are; it comes before its event, so
            // `session_ended` stays the last record.
            let cue = cue_for(event);
            if let (Some(cue), Some(_)) = (cue, self.audio) {
                let body = Body::Cue {
                    name: cue.name().to_string(),
                    index: event.index,
                };
                self.stage(Some(body), self.clock.now());
            }
            cues.push(cue);
            // The engine's moment: a deadline noticed a little late is still logged at
            // the moment it fell due.
            self.stage(log_body(event, question), event.at);
        }
        self.commit();
        for (event, cue) in events.iter().zip(cues) {
            let question = self.question(event);
            if let (Some(cue), Some(audio)) = (cue, self.audio) {
                audio.play(cue);
            }
            self.presenter.show(event, question);
            if let EventKind::QuestionEnded { outcome, .. } = event.kind
                && self.coach
                && outcome != Outcome::Unfinished
                && !question.talking_points.is_empty()
            {
                self.presenter.talking_points(&question.talking_points);
            }
            if let Some(cue) = cue {
                self.presenter.cue(cue);
            }
            if let Some(summary) = Summary::from_event(event, None) {
                self.summary = Some(summary);
            }
        }
    }

    fn question(&self, event: &Event) -> &'a PlannedQuestion {
        &self.plan.questions[event.index.clamp(1, self.plan.questions.len()) - 1]
    }

    /// The review step after an answer: prompts, keys, and the `reviewed` record.
    fn review(
        &mut self,
        question: &PlannedQuestion,
        keys: &mut dyn Keys,
        signals: &Signals,
        keys_from_terminal: bool,
    ) -> anyhow::Result<ReviewEnd> {
        let mut step = ReviewStep::new(question.star && keys_from_terminal);
        self.presenter.review_line(&step.line(), false);
        while !step.is_done() {
            if let Some(signal) = signals.take() {
                self.presenter.review_line("", true);
                return Ok(ReviewEnd::Quit(Some(signal)));
            }
            let Some(typed) = keys.wait_typed(Duration::from_millis(250))? else {
                continue;
            };
            if let Some(kept) = step.take(typed) {
                self.presenter.review_line(&kept, true);
            }
            if !step.is_done() {
                self.presenter.review_line(&step.line(), false);
            }
        }
        if step.wants_quit() {
            self.presenter.review_line("", true);
            return Ok(ReviewEnd::Quit(None));
        }
        // A prompt skipped with Enter leaves nothing behind.
        self.presenter.review_line("", false);
        let review = step.result().clone();
        let body = Body::Reviewed {
            index: question.index,
            id: question.id.clone(),
            rating: review.rating,
            note: review.note,
            star: review.star,
        };
        self.stage(Some(body), self.clock.now());
        self.commit();
        Ok(ReviewEnd::Next)
    }

    /// Queues a record for the log, if there is one.
    fn stage(&mut self, body: Option<Body>, t: Duration) {
        if let (Some(log), Some(body)) = (self.log.as_deref_mut(), body) {
            log.stage(t, body);
        }
    }

    /// Writes and syncs what is queued, telling the person once when writing fails and
    /// once when it works again.
    fn commit(&mut self) {
        let Some(log) = self.log.as_deref_mut() else {
            return;
        };
        match log.flush_pending() {
            Ok(()) if self.log_trouble => {
                self.log_trouble = false;
                self.presenter
                    .warn("the session log is being written again");
            }
            Ok(()) => {}
            Err(trouble) if !self.log_trouble => {
                self.log_trouble = true;
                self.presenter.warn(&format!(
                    "cannot write the session log ({}): keeping {} records in memory and trying again",
                    trouble.error, trouble.waiting
                ));
            }
            Err(_) => {}
        }
    }
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

fn millis(d: Duration) -> u64 {
    d.as_millis() as u64
}

/// The log record for an event; events that only matter on screen have none.
fn log_body(event: &Event, q: &PlannedQuestion) -> Option<Body> {
    let index = event.index;
    Some(match event.kind {
        EventKind::QuestionStarted => Body::QuestionStarted {
            index,
            id: q.id.clone(),
            limit_ms: millis(q.limit),
        },
        EventKind::AnswerStarted if !q.prep.is_zero() => Body::AnswerStarted { index },
        EventKind::Paused => Body::Paused { index },
        EventKind::Resumed { paused } => Body::Resumed {
            index,
            paused_ms: millis(paused),
        },
        EventKind::TimeAdjusted { delta_ms, limit } => Body::TimeAdjusted {
            index,
            delta_ms,
            limit_ms: millis(limit),
        },
        EventKind::TimeUp => Body::TimeUp { index },
        EventKind::QuestionEnded {
            outcome,
            answer,
            overtime,
            paused,
            prep,
            short,
        } => Body::QuestionEnded {
            index,
            id: q.id.clone(),
            outcome,
            answer_ms: millis(answer),
            overtime_ms: millis(overtime),
            paused_ms: millis(paused),
            prep_ms: millis(prep),
            short,
        },
        EventKind::SessionEnded {
            outcome,
            answered,
            skipped,
            timed_out,
            unfinished,
            over_time,
        } => Body::SessionEnded {
            outcome,
            answered,
            skipped,
            time_up: timed_out,
            unfinished,
            over_time,
            total_ms: millis(event.at),
        },
        _ => return None,
    })
}
