//! `rehearse review`: find the log folder, read the logs (spread over the cores, each file
//! folded into a small summary as it is read), pick and aggregate, then write what
//! `review::render` made to standard output or a file. The only place where review meets
//! files and the terminal; it opens logs for reading only.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, anyhow};

use crate::cli::{ExportArgs, ExportFormat, ListArgs, ReviewArgs, ReviewCommand};
use crate::cli::{LogDirArg, ShowArgs, StatsArgs};
use crate::config::ConfigFile;
use crate::exit::{SUCCESS, UsageError};
use crate::review::render::{self, Style};
use crate::review::{
    self, Catalogue, Catalogued, Cataloguing, CutTake, Detail, Entry, Interner, Listed, LogFiles,
    SessionSummary, Unreadable, fold_folder, fold_logs,
};

use super::logs::{Gathered, emit, filter, gather, log_dir, note, refuse_log_folder, same_file};
use crate::review::Filter;

mod keep;
mod play;
mod transcribe;

/// Columns when the output is not a terminal (a pipe, a file).
const PIPE_WIDTH: usize = 100;

pub fn run(args: ReviewArgs, config: &ConfigFile) -> anyhow::Result<u8> {
    match args.command {
        None => list(args.list, config),
        Some(ReviewCommand::List(args)) => list(args, config),
        Some(ReviewCommand::Show(args)) => show(args, config),
        Some(ReviewCommand::Stats(args)) => stats(args, config),
        Some(ReviewCommand::Export(args)) => export(args, config),
        Some(ReviewCommand::Report(args)) => super::report::run(args, config),
        Some(ReviewCommand::RebuildSchedule(arg)) => rebuild_schedule(&arg, config),
        Some(ReviewCommand::Play(args)) => play::run(args, config),
        Some(ReviewCommand::Keep(args)) => keep::run(args, config),
        Some(ReviewCommand::Transcribe(args)) => transcribe::run(args, config),
    }
}

fn rebuild_schedule(arg: &LogDirArg, config: &ConfigFile) -> anyhow::Result<u8> {
    let dir = log_dir(arg, config)?;
    let schedule = crate::history::rebuild_schedule(&dir)?;
    let cards: usize = schedule.cards.values().map(|c| c.len()).sum();
    emit(&format!(
        "rebuilt {} from the logs: {cards} questions scheduled\n",
        crate::history::schedule_path(&dir).display()
    ))?;
    Ok(SUCCESS)
}

fn list(args: ListArgs, config: &ConfigFile) -> anyhow::Result<u8> {
    let dir = log_dir(&args.log_dir, config)?;
    let (sessions, unreadable) = listing(&dir)?;
    let filter = filter(&args.filter);
    let shown = select(&sessions, &filter, args.limit);
    if args.json {
        let mut out = io::BufWriter::new(io::stdout().lock());
        render::listed_json(&mut out, &dir, &shown, &unreadable)?;
        out.flush()?;
        return Ok(SUCCESS);
    }
    if sessions.is_empty() && unreadable.is_empty() {
        emit(&no_sessions(&dir))?;
    } else if shown.is_empty() && !sessions.is_empty() {
        emit(&format!(
            "No session matches (of {} in {}).\n",
            sessions.len(),
            dir.display()
        ))?;
    } else {
        let mut out = io::BufWriter::new(io::stdout().lock());
        render::list(&mut out, &shown, &unreadable, sessions.len(), style())?;
        out.flush()?;
    }
    Ok(SUCCESS)
}

fn show(args: ShowArgs, config: &ConfigFile) -> anyhow::Result<u8> {
    let dir = log_dir(&args.log_dir, config)?;
    let session = pick(args.session.as_deref(), &dir)?;
    let text = if args.json {
        render::session_json(&session)
    } else {
        render::show(&session, &cut_takes(&session), style())
    };
    emit(&text)?;
    Ok(SUCCESS)
}

fn stats(args: StatsArgs, config: &ConfigFile) -> anyhow::Result<u8> {
    let dir = log_dir(&args.log_dir, config)?;
    let only = args.question.as_deref();
    let Gathered {
        stats,
        unreadable,
        files,
        ..
    } = gather(
        &dir,
        &filter(&args.filter),
        only,
        // The table needs no timeline; JSON has every session in it.
        (!args.json).then_some(0),
    )?;
    if args.json {
        let mut out = io::BufWriter::new(io::stdout().lock());
        render::stats_json(&mut out, &stats, &unreadable)?;
        out.flush()?;
        return Ok(SUCCESS);
    }
    let text = if files == 0 {
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

/// The talking points of every question in these sessions, from their banks as they are
/// now; a bank that is gone or broken adds none (the export is still made).
fn talking_points<'a>(sessions: impl Iterator<Item = Catalogued<'a>>) -> render::Points {
    let paths = crate::paths::Paths::from_env();
    let mut keys: Vec<&str> = sessions.map(|s| s.bank_key).collect();
    keys.sort_unstable();
    keys.dedup();
    let mut points = render::Points::new();
    for key in keys {
        let Ok(bank) = crate::bank::find(key, paths.banks.as_deref()) else {
            continue;
        };
        for q in bank.questions {
            points.insert((key.to_string(), q.id), q.talking_points);
        }
    }
    points
}

fn export(args: ExportArgs, config: &ConfigFile) -> anyhow::Result<u8> {
    let dir = log_dir(&args.log_dir, config)?;
    // One session named: read whole now (it may be a log from elsewhere).
    let one = args
        .session
        .as_deref()
        .map(|spec| pick(Some(spec), &dir))
        .transpose()?;
    let (catalogue, unreadable) = match &one {
        Some(s) => (Catalogue::of(s), Vec::new()),
        None => catalogue(&dir)?,
    };
    let filter = filter(&args.filter);
    let chosen = Chosen {
        catalogue: &catalogue,
        filter: &filter,
        limit: args.limit.map_or(usize::MAX, |n| n as usize),
    };
    let count = chosen.iter().count();
    let source = Source {
        dir: &dir,
        chosen,
        count,
        one: one.as_ref().filter(|_| count > 0),
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
    let Some(path) = &args.output else {
        let mut out = io::BufWriter::new(io::stdout().lock());
        write_export(&mut out, &source, &unreadable, args.format)?;
        out.flush()?;
        return Ok(SUCCESS);
    };
    refuse_log_folder(path, &dir)?;
    if !args.force && std::fs::symlink_metadata(path).is_ok() {
        return Err(UsageError(format!(
            "{} exists; pass --force to replace it",
            path.display()
        ))
        .into());
    }
    // Written beside it and renamed over the name: a link at `path`, hard or symbolic, is
    // replaced, and whatever it pointed to (a log) is left alone.
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = path.with_file_name(format!(".{name}.partial"));
    crate::files::write_replacing_with(path, &temp, |out| {
        write_export(out, &source, &unreadable, args.format)
    })
    .with_context(|| format!("cannot write {}", path.display()))?;
    note(&format!(
        "wrote {} to {}",
        match count {
            1 => "1 session".to_string(),
            n => format!("{n} sessions"),
        },
        path.display()
    ));
    Ok(SUCCESS)
}

/// What an export writes: the chosen sessions of the folder, or the one session named.
struct Source<'a> {
    dir: &'a Path,
    chosen: Chosen<'a>,
    /// How many are chosen.
    count: usize,
    one: Option<&'a SessionSummary>,
}

/// The sessions of a catalogue that a filter accepts, newest first, `limit` at most.
#[derive(Clone, Copy)]
struct Chosen<'a> {
    catalogue: &'a Catalogue,
    filter: &'a Filter,
    limit: usize,
}

impl<'a> Chosen<'a> {
    fn iter(self) -> impl Iterator<Item = Catalogued<'a>> {
        self.catalogue
            .iter()
            .filter(move |s| s.accepted(self.filter))
            .take(self.limit)
    }
}

/// The chosen sessions, read whole a few at a time in the order given and written as they
/// come: the export never holds more than a few sessions.
fn write_export(
    out: &mut dyn Write,
    source: &Source,
    unreadable: &[Unreadable],
    format: ExportFormat,
) -> io::Result<()> {
    let chosen = source.chosen;
    match format {
        ExportFormat::Json => {
            let mut json = render::SessionsJson::begin(out)?;
            each(source, |s| json.session(s))?;
            json.end(unreadable)
        }
        ExportFormat::Md => {
            let first = chosen.iter().next().filter(|_| source.count == 1);
            let one = first.as_ref().map(|s| (s.bank, &s.started));
            out.write_all(render::markdown_head(source.count, one).as_bytes())?;
            let points = talking_points(chosen.iter());
            each(source, |s| {
                out.write_all(render::markdown_session(s, &points).as_bytes())
            })
        }
        ExportFormat::Csv => {
            out.write_all(render::csv_header().as_bytes())?;
            each(source, |s| out.write_all(render::csv_session(s).as_bytes()))
        }
    }
}

/// Each session of `source` read whole, in order.
fn each(
    source: &Source,
    mut write: impl FnMut(&SessionSummary) -> io::Result<()>,
) -> io::Result<()> {
    if let Some(s) = source.one {
        return write(s);
    }
    let mut chosen = source.chosen.iter();
    let mut batch = Vec::with_capacity(EXPORT_BATCH);
    loop {
        batch.clear();
        batch.extend(chosen.by_ref().take(EXPORT_BATCH));
        if batch.is_empty() {
            return Ok(());
        }
        for s in read_in_order(source.dir, &batch) {
            write(&s)?;
        }
    }
}

/// How many sessions an export reads at once (in parallel) before writing them.
const EXPORT_BATCH: usize = 32;

/// `batch` read whole, in its order, spread over the machine's cores; a file that can no
/// longer be read is left out.
fn read_in_order(dir: &Path, batch: &[Catalogued]) -> Vec<SessionSummary> {
    let paths: Vec<std::path::PathBuf> = batch.iter().map(|s| dir.join(s.file)).collect();
    let parts = fold_logs(&paths, Detail::Questions, Vec::new, |read, entry| {
        if let Entry::Session(s) = entry {
            read.push(s);
        }
    });
    let mut read: Vec<SessionSummary> = parts.into_iter().flatten().collect();
    let place = |s: &SessionSummary| batch.iter().position(|b| b.file == s.file);
    read.sort_by_key(place);
    for s in &mut read {
        s.number = place(s).map(|i| batch[i].number);
    }
    read
}

/// Every file of the folder read: its sessions newest first and numbered, each in a few
/// bytes, and the files that are not readable logs, by name.
fn catalogue(dir: &Path) -> anyhow::Result<(Catalogue, Vec<Unreadable>)> {
    let (sessions, unreadable) =
        read_folder(dir, Cataloguing::with_capacity, |c: &mut Cataloguing, s| {
            c.add(&s)
        })?;
    Ok((sessions.finish(), unreadable))
}

/// The same with each session's figures, for the list.
fn listing(dir: &Path) -> anyhow::Result<(Vec<Listed>, Vec<Unreadable>)> {
    let (mut sessions, unreadable) = read_folder(dir, Vec::with_capacity, |v, s| {
        v.push(Listed::from(s));
    })?;
    review::order(&mut sessions);
    Ok((sessions, unreadable))
}

/// Every file of the folder read with its counts: each session added to one `T` made
/// with room for as many as there are files, and the files that are not readable logs,
/// by name.
fn read_folder<T: Send>(
    dir: &Path,
    with_room: impl FnOnce(usize) -> T,
    add: impl Fn(&mut T, SessionSummary) + Sync,
) -> anyhow::Result<(T, Vec<Unreadable>)> {
    let listing = || format!("cannot list the log folder {}", dir.display());
    // Counted first, so the sessions go straight into room of the right size.
    let count = LogFiles::open(dir).with_context(listing)?.count();
    let sessions = std::sync::Mutex::new(with_room(count));
    let (parts, _) = fold_folder(dir, Detail::Counts, Vec::new, |bad, entry| match entry {
        Entry::Session(s) => add(&mut sessions.lock().unwrap_or_else(|e| e.into_inner()), s),
        Entry::Unreadable(u) => bad.push(u),
    })
    .with_context(listing)?;
    let sessions = sessions.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut unreadable: Vec<Unreadable> = parts.into_iter().flatten().collect();
    unreadable.sort_by(|a, b| a.file.cmp(&b.file));
    Ok((sessions, unreadable))
}

fn select<'a>(sessions: &'a [Listed], filter: &Filter, limit: Option<u32>) -> Vec<&'a Listed> {
    let limit = limit.map_or(usize::MAX, |n| n as usize);
    sessions
        .iter()
        .filter(|s| s.accepted(filter))
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
        let (sessions, _) = catalogue(dir)?;
        let same = |s: &Catalogued| same_file(&dir.join(s.file), path);
        session.number = sessions.iter().find(same).map(|s| s.number);
        return Ok(session);
    }
    let (sessions, _) = catalogue(dir)?;
    if sessions.is_empty() {
        return Err(anyhow!(
            "no sessions in {} yet: take one with 'rehearse run'",
            dir.display()
        ));
    }
    let found = match spec {
        None => sessions.get(1),
        Some(text) => match text.parse::<usize>() {
            Ok(n) => sessions.get(n),
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
    let mut session = read_one(&real_path(dir, found.file))?;
    session.number = Some(found.number);
    Ok(session)
}

/// The file of the folder a listed name stands for: the list keeps names as text, so a
/// name that is not UTF-8 is found again by how it reads.
fn real_path(dir: &Path, name: &str) -> std::path::PathBuf {
    let plain = dir.join(name);
    if plain.exists() {
        return plain;
    }
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .find(|e| e.file_name().to_string_lossy() == name)
        .map_or(plain, |e| e.path())
}

/// The takes cut off with their session (killed, a crash): a take the log started but
/// never measured, whose recording is in the session's folder by its name.
fn cut_takes(session: &SessionSummary) -> Vec<CutTake> {
    session
        .questions
        .iter()
        .flat_map(|q| {
            q.takes
                .iter()
                .filter(|t| t.spoken.is_none())
                .filter_map(|t| {
                    let file = crate::recordings::find(&session.path, q.index, &q.id, t.take)?;
                    Some(CutTake {
                        index: q.index,
                        take: t.take,
                        file,
                    })
                })
        })
        .collect()
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
