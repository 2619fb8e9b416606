//! `rehearse run`: load the bank, make the plan, open the log, then feed the engine the
//! real clock and the person's keys, logging each event before showing it.

use std::io::IsTerminal;
use std::time::Duration;

use anyhow::Context;
use chrono::Local;
use serde_json::json;

use crate::bank::{self, Bank, DEFAULT_BANK};
use crate::cli::RunArgs;
use crate::exit::{self, UsageError};
use crate::input::{Key, Keys, LineKeys, TerminalKeys};
use crate::log::{Body, LogWriter, PlanEntry, SCHEMA};
use crate::paths::Paths;
use crate::plan::{self, Pick, Plan, PlanOptions, PlannedQuestion, Selection, TimeOptions};
use crate::present::{Output, PlainPresenter, Presenter, Summary, TerminalPresenter};
use crate::session::{
    Clock, Engine, EngineOptions, Event, EventKind, Input, MonotonicClock, QuestionTiming,
    SessionOutcome,
};
use crate::signals::Signals;
use crate::terminal::RawGuard;

/// The screen is redrawn at most this often while a bar is shown.
const REDRAW: Duration = Duration::from_millis(100);

pub fn run(args: RunArgs) -> anyhow::Result<u8> {
    let paths = Paths::from_env();
    let spec = args
        .bank
        .clone()
        .unwrap_or_else(|| DEFAULT_BANK.to_string());
    let opened = bank::open(&spec, paths.banks.as_deref())?;
    if let Some(report) = &opened.report {
        super::tell_import(report);
    }
    let bank = opened.bank;
    let seed = args
        .seed
        .unwrap_or_else(|| rand::random_range(0..1_000_000));
    let (selection, pick) = choose(&args, &bank)?;
    let plan = plan::make_plan(
        &bank,
        &PlanOptions {
            selection,
            seed,
            times: TimeOptions { time: args.time },
            pick,
        },
    );

    let output = Output::detect(
        std::io::stdout().is_terminal(),
        std::env::var("TERM").ok().as_deref(),
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
    );
    let keys_from_terminal = std::io::stdin().is_terminal();
    let log_dir = match (&args.log_dir, &paths.sessions) {
        _ if args.no_log => None,
        (Some(dir), _) => Some(dir.clone()),
        (None, Some(dir)) => Some(dir.clone()),
        (None, None) => {
            return Err(UsageError(
                "no folder for session logs: set REHEARSE_LOG_DIR or pass --log-dir (or --no-log)"
                    .into(),
            )
            .into());
        }
    };

    let settings = json!({
        "count": plan.questions.len(),
        "all": args.all,
        "time_ms": args.time.map(|t| t.as_millis()),
        "auto": args.auto,
        "gap_ms": args.gap.as_millis() as u64,
        "keys": if keys_from_terminal { "terminal" } else { "lines" },
        "categories": args.categories,
        "questions": args.questions,
        "shuffle": args.shuffle,
        "follow_ups": args.follow_ups,
    });

    // The log is created before anything is asked: a session that cannot be saved is
    // refused now, not after half an hour of practice.
    let mut log = match &log_dir {
        Some(dir) => Some(LogWriter::create(dir, &bank.key, Local::now())?),
        None => None,
    };
    let signals = Signals::install().context("cannot watch for Ctrl-C")?;
    let clock = MonotonicClock::start();
    if let Some(log) = &mut log {
        let started = session_started(&bank, &plan, settings);
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
            Some(Ok(guard)) => (Box::new(TerminalKeys), Some(guard)),
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
            auto: args.auto,
            gap: args.gap,
            ..EngineOptions::default()
        },
    );

    presenter.intro(&bank.name, &plan, !keys_from_terminal);
    let mut session = Session {
        plan: &plan,
        log: log.as_mut(),
        presenter: presenter.as_mut(),
        clock: &clock,
        log_trouble: false,
        summary: None,
    };
    let mut stopped_by = None;
    let mut events = engine.start(clock.now());
    loop {
        session.handle(&events);
        if engine.is_finished() {
            break;
        }
        if let Some(signal) = signals.take() {
            stopped_by = Some(signal);
            events = engine.input(Input::Quit, clock.now());
            continue;
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
    let log_path = log.as_ref().map(|l| l.path().display().to_string());
    if let Some(log) = &mut log
        && let Err(trouble) = log.flush_pending()
    {
        return Err(trouble.error).with_context(|| {
            format!(
                "{} records could not be saved to {}",
                trouble.waiting,
                log.path().display()
            )
        });
    }
    drop(_guard);
    if let Some(mut summary) = summary {
        summary.log = log_path;
        presenter.summary(&summary);
        if summary.outcome == SessionOutcome::Aborted {
            return Ok(stopped_by.map_or(exit::INTERRUPTED, |signal| 128 + signal as u8));
        }
    }
    Ok(exit::SUCCESS)
}

/// Which questions, from `--count`, `--all`, `--question`, `--category`, `--shuffle` and
/// `--follow-ups`. A name that is not in the bank is a usage error listing the valid ones.
fn choose(args: &RunArgs, bank: &Bank) -> Result<(Selection, Pick), UsageError> {
    let usage = |e: plan::SelectError| UsageError(e.to_string());
    let selection = if !args.questions.is_empty() {
        Selection::Listed(plan::resolve_questions(bank, &args.questions).map_err(usage)?)
    } else if args.all {
        Selection::All
    } else {
        Selection::Random {
            count: args.count.map_or(plan::DEFAULT_COUNT, |n| n as usize),
        }
    };
    let pick = Pick {
        categories: plan::resolve_categories(bank, &args.categories).map_err(usage)?,
        shuffle: args.shuffle,
        follow_ups: args.follow_ups,
    };
    Ok((selection, pick))
}

/// Everything one session writes and shows, in the order the rules ask: log, then screen.
struct Session<'a> {
    plan: &'a Plan,
    log: Option<&'a mut LogWriter>,
    presenter: &'a mut dyn Presenter,
    clock: &'a MonotonicClock,
    log_trouble: bool,
    summary: Option<Summary>,
}

impl Session<'_> {
    fn handle(&mut self, events: &[Event]) {
        for event in events {
            let question =
                &self.plan.questions[event.index.clamp(1, self.plan.questions.len()) - 1];
            if let (Some(log), Some(body)) = (self.log.as_deref_mut(), log_body(event, question)) {
                match log.write(self.clock.now(), body) {
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
            self.presenter.show(event, question);
            if let Some(summary) = Summary::from_event(event, None) {
                self.summary = Some(summary);
            }
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
        plan: plan.questions.iter().map(plan_entry).collect(),
    }
}

fn plan_entry(q: &PlannedQuestion) -> PlanEntry {
    PlanEntry {
        index: q.index,
        id: q.id.clone(),
        category: q.category.clone(),
        text: q.text.clone(),
        limit_ms: millis(q.limit),
        limit_source: q.limit_source,
        prep_ms: millis(q.prep),
        warn_ms: millis(q.warn),
        min_ms: q.min.map(millis),
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
