//! `rehearse review`: find the log folder, read the logs (spread over the cores, each file
//! folded into a small summary as it is read), pick and aggregate, then write what
//! `review::render` made to standard output or a file. The only place where review meets
//! files and the terminal; it opens logs for reading only.

use std::io::{self, IsTerminal};
use std::path::Path;

use anyhow::{Context, anyhow};

use crate::cli::{ExportArgs, ExportFormat, ListArgs, ReviewArgs, ReviewCommand};
use crate::cli::{LogDirArg, ShowArgs, StatsArgs};
use crate::exit::{SUCCESS, UsageError};
use crate::review::render::{self, Style};
use crate::review::{self, Detail, Entry, Interner, SessionSummary, Unreadable, fold_logs};

use super::logs::{
    Gathered, emit, files, filter, gather, log_dir, note, refuse_log_folder, same_file,
};
use crate::review::Filter;

mod keep;
mod play;

/// Columns when the output is not a terminal (a pipe, a file).
const PIPE_WIDTH: usize = 100;

pub fn run(args: ReviewArgs) -> anyhow::Result<u8> {
    match args.command {
        None => list(args.list),
        Some(ReviewCommand::List(args)) => list(args),
        Some(ReviewCommand::Show(args)) => show(args),
        Some(ReviewCommand::Stats(args)) => stats(args),
        Some(ReviewCommand::Export(args)) => export(args),
        Some(ReviewCommand::Report(args)) => super::report::run(args),
        Some(ReviewCommand::RebuildSchedule(arg)) => rebuild_schedule(&arg),
        Some(ReviewCommand::Play(args)) => play::run(args),
        Some(ReviewCommand::Keep(args)) => keep::run(args),
    }
}

fn rebuild_schedule(arg: &LogDirArg) -> anyhow::Result<u8> {
    let dir = log_dir(arg)?;
    let schedule = crate::history::rebuild_schedule(&dir)?;
    let cards: usize = schedule.cards.values().map(|c| c.len()).sum();
    emit(&format!(
        "rebuilt {} from the logs: {cards} questions scheduled\n",
        crate::history::schedule_path(&dir).display()
    ))?;
    Ok(SUCCESS)
}

fn list(args: ListArgs) -> anyhow::Result<u8> {
    let dir = log_dir(&args.log_dir)?;
    let (sessions, unreadable) = catalogue(&dir, Detail::Counts)?;
    let filter = filter(&args.filter);
    let shown = select(&sessions, &filter, args.limit);
    let text = if args.json {
        render::sessions_json(&shown, &unreadable)
    } else if sessions.is_empty() && unreadable.is_empty() {
        no_sessions(&dir)
    } else if shown.is_empty() && !sessions.is_empty() {
        format!(
            "No session matches (of {} in {}).\n",
            sessions.len(),
            dir.display()
        )
    } else {
        render::list(&shown, &unreadable, sessions.len(), style())
    };
    emit(&text)?;
    Ok(SUCCESS)
}

fn show(args: ShowArgs) -> anyhow::Result<u8> {
    let dir = log_dir(&args.log_dir)?;
    let session = pick(args.session.as_deref(), &dir)?;
    let text = if args.json {
        render::session_json(&session)
    } else {
        render::show(&session, style())
    };
    emit(&text)?;
    Ok(SUCCESS)
}

fn stats(args: StatsArgs) -> anyhow::Result<u8> {
    let dir = log_dir(&args.log_dir)?;
    let only = args.question.as_deref();
    let Gathered {
        stats,
        unreadable,
        files,
        ..
    } = gather(&dir, &filter(&args.filter), only)?;
    let text = if args.json {
        render::stats_json(&stats, &unreadable)
    } else if files == 0 {
        no_sessions(&dir)
    } else if let Some(id) = only {
        match stats.questions.first() {
            Some(line) => render::question(line, style()),
            None => format!(
                "No attempts at {id:?} in the sessions read. The ids are in the first column of 'rehearse review stats'.\n"
            ),
        }
    } else {
        render::stats(&stats, &unreadable, style())
    };
    emit(&text)?;
    Ok(SUCCESS)
}

fn export(args: ExportArgs) -> anyhow::Result<u8> {
    let dir = log_dir(&args.log_dir)?;
    let (sessions, unreadable) = match args.session.as_deref() {
        Some(spec) => (vec![pick(Some(spec), &dir)?], Vec::new()),
        None => catalogue(&dir, Detail::Questions)?,
    };
    let filter = filter(&args.filter);
    let chosen = select(&sessions, &filter, args.limit);
    let text = match args.format {
        ExportFormat::Md => render::markdown(&chosen),
        ExportFormat::Csv => render::csv(&chosen),
        ExportFormat::Json => render::sessions_json(&chosen, &unreadable),
    };
    if !unreadable.is_empty() && args.format != ExportFormat::Json {
        note(&format!(
            "{} could not be read and left out; 'rehearse review' says why",
            match unreadable.len() {
                1 => "1 file".to_string(),
                n => format!("{n} files"),
            }
        ));
    }
    match &args.output {
        None => emit(&text)?,
        Some(path) => {
            refuse_log_folder(path, &dir)?;
            if !args.force && std::fs::symlink_metadata(path).is_ok() {
                return Err(UsageError(format!(
                    "{} exists; pass --force to replace it",
                    path.display()
                ))
                .into());
            }
            // Written beside it and renamed over the name: a link at `path`, hard or
            // symbolic, is replaced, and whatever it pointed to (a log) is left alone.
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let temp = path.with_file_name(format!(".{name}.partial"));
            crate::files::write_replacing(path, &temp, text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            note(&format!(
                "wrote {} to {}",
                match chosen.len() {
                    1 => "1 session".to_string(),
                    n => format!("{n} sessions"),
                },
                path.display()
            ));
        }
    }
    Ok(SUCCESS)
}

/// Every file of the folder read: sessions newest first and numbered, and the files that
/// are not readable logs, by name.
fn catalogue(dir: &Path, detail: Detail) -> anyhow::Result<(Vec<SessionSummary>, Vec<Unreadable>)> {
    let files = files(dir)?;
    let parts = fold_logs(
        &files,
        detail,
        || (Vec::new(), Vec::new()),
        |(good, bad), entry| match entry {
            Entry::Session(s) => good.push(s),
            Entry::Unreadable(u) => bad.push(u),
        },
    );
    let (mut sessions, mut unreadable) = (Vec::new(), Vec::new());
    for (good, bad) in parts {
        sessions.extend(good);
        unreadable.extend(bad);
    }
    review::order(&mut sessions);
    unreadable.sort_by(|a, b| a.file.cmp(&b.file));
    Ok((sessions, unreadable))
}

fn select<'a>(
    sessions: &'a [SessionSummary],
    filter: &Filter,
    limit: Option<u32>,
) -> Vec<&'a SessionSummary> {
    let limit = limit.map_or(usize::MAX, |n| n as usize);
    sessions
        .iter()
        .filter(|s| filter.accepts(s))
        .take(limit)
        .collect()
}

/// The session SESSION names, read with every question: `latest` (or nothing), a list
/// number, a file name in the log folder, or a path to a log anywhere.
fn pick(spec: Option<&str>, dir: &Path) -> anyhow::Result<SessionSummary> {
    let spec = spec
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "latest");
    let as_path = spec
        .map(Path::new)
        .filter(|p| p.components().count() > 1 || (p.is_file() && !dir.join(p).is_file()));
    if let Some(path) = as_path {
        let mut session = read_one(path)?;
        // A log of the folder keeps its number.
        let (sessions, _) = catalogue(dir, Detail::Counts)?;
        let same = |s: &&SessionSummary| same_file(&s.path, path);
        session.number = sessions.iter().find(same).and_then(|s| s.number);
        return Ok(session);
    }
    let (sessions, _) = catalogue(dir, Detail::Counts)?;
    if sessions.is_empty() {
        return Err(anyhow!(
            "no sessions in {} yet: take one with 'rehearse run'",
            dir.display()
        ));
    }
    let found = match spec {
        None => sessions.first(),
        Some(text) => match text.parse::<usize>() {
            Ok(n) => sessions.iter().find(|s| s.number == Some(n)),
            Err(_) => sessions
                .iter()
                .find(|s| s.file == text || s.file == format!("{text}.jsonl")),
        },
    };
    let Some(found) = found else {
        return Err(UsageError(format!(
            "no session {:?}: there are {} in {} (numbered 1 to {} by 'rehearse review'); give a number, a file name, a path or 'latest'",
            spec.unwrap_or_default(),
            sessions.len(),
            dir.display(),
            sessions.len()
        ))
        .into());
    };
    let mut session = read_one(&found.path)?;
    session.number = found.number;
    Ok(session)
}

fn read_one(path: &Path) -> anyhow::Result<SessionSummary> {
    match review::read_entry(path, Detail::Questions, &mut Interner::default()) {
        Entry::Session(s) => Ok(s),
        Entry::Unreadable(u) => Err(anyhow!("{}: {}", path.display(), u.reason)),
    }
}

fn no_sessions(dir: &Path) -> String {
    format!(
        "No sessions in {} yet. Take one with 'rehearse run'.\n",
        dir.display()
    )
}

/// Width and colour, decided once: a terminal's own width, else 100 columns; colour as
/// `crate::color` decided it.
fn style() -> Style {
    let terminal = io::stdout().is_terminal();
    let width = if terminal {
        crossterm::terminal::size().map_or(PIPE_WIDTH, |(w, _)| usize::from(w))
    } else {
        PIPE_WIDTH
    };
    Style {
        width,
        color: crate::color::stdout(),
    }
}

/// Answer `n` of a session, by its number; a one-line usage error otherwise.
fn answer<'a>(
    session: &'a crate::review::SessionSummary,
    n: u64,
    name: &str,
) -> Result<&'a crate::review::QuestionRecord, crate::exit::UsageError> {
    session
        .questions
        .iter()
        .find(|q| q.index as u64 == n)
        .ok_or_else(|| {
            crate::exit::UsageError(format!(
                "{name} has no answer {n}: its questions are numbered 1 to {}",
                session.questions.len()
            ))
        })
}
