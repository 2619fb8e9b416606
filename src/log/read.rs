//! Reading session logs back: one file becomes a small [`SessionSummary`] or an
//! [`Unreadable`] with the reason. Reading is tolerant (a torn last line, unknown events
//! and unknown fields are passed over, with a note where it matters) and read-only: a log
//! is opened for reading and nothing else. Each file is read line by line and folded into
//! its summary at once, so no more than one record is held at a time.
//!
//! `rehearse run --due` reads its history here and `review` reads its sessions here;
//! neither depends on the other. Choosing files, the terminal and writing output belong
//! to the commands.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use super::fold::lossy_path;
pub use super::fold::*;
use super::record::{Body, Header, ParseError, parse_line};
use crate::log::SCHEMA;

/// A longer line is not a record this program wrote: it is passed over without being
/// held in memory whole.
const MAX_LINE: u64 = 16 * 1024 * 1024;

/// A file in the log folder that is not a readable session log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    pub file: String,
    #[serde(serialize_with = "lossy_path")]
    pub path: PathBuf,
    pub reason: String,
}

/// What one file turned out to be.
#[derive(Debug, Clone)]
pub enum Entry {
    Session(SessionSummary),
    Unreadable(Unreadable),
}

/// Which sessions to look at. Dates are the session's own local date.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// A bank key or title, in any case.
    pub bank: Option<String>,
    pub since: Option<NaiveDate>,
}

impl Filter {
    pub fn accepts(&self, s: &SessionSummary) -> bool {
        self.takes(&s.bank, &s.bank_key, &s.started)
    }

    /// A session of this bank (key or title), started on this date or later.
    pub fn takes(&self, bank: &str, bank_key: &str, started: &DateTime<FixedOffset>) -> bool {
        let bank_ok = self.bank.as_deref().is_none_or(|b| {
            bank_key.eq_ignore_ascii_case(b) || bank.to_lowercase() == b.to_lowercase()
        });
        let since_ok = self.since.is_none_or(|d| started.date_naive() >= d);
        bank_ok && since_ok
    }
}

/// One readable session of a log folder, as small as the list needs it (no questions,
/// and its folder is the folder's): a history of years stays a few megabytes. What else
/// a view needs is read again from its file.
#[derive(Debug, Clone)]
pub struct Listed {
    /// 1 = the newest; given by [`order`].
    pub number: Option<usize>,
    pub file: Box<str>,
    pub started: DateTime<FixedOffset>,
    pub bank: Arc<str>,
    pub bank_key: Arc<str>,
    pub seed: u64,
    pub ending: Ending,
    pub total_ms: u64,
    pub counts: Counts,
    pub notes: Vec<String>,
}

impl From<SessionSummary> for Listed {
    fn from(s: SessionSummary) -> Listed {
        let mut notes = s.notes;
        notes.shrink_to_fit();
        Listed {
            number: s.number,
            file: s.file.into_boxed_str(),
            started: s.started,
            bank: s.bank,
            bank_key: s.bank_key,
            seed: s.seed,
            ending: s.ending,
            total_ms: s.total_ms,
            counts: s.counts,
            notes,
        }
    }
}

impl Listed {
    pub fn accepted(&self, filter: &Filter) -> bool {
        filter.takes(&self.bank, &self.bank_key, &self.started)
    }
}

/// The files of the log folder that may be session logs, by name. Hidden files and
/// folders are left out; a folder that does not exist has none.
pub fn log_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for file in LogFiles::open(dir)? {
        files.push(file?);
    }
    // By name, which is by start time for the files rehearse writes.
    files.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    Ok(files)
}

/// The files of a log folder that may be session logs, as the folder lists them.
pub struct LogFiles(Option<std::fs::ReadDir>);

impl LogFiles {
    pub fn open(dir: &Path) -> io::Result<LogFiles> {
        match std::fs::read_dir(dir) {
            Ok(entries) => Ok(LogFiles(Some(entries))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(LogFiles(None)),
            Err(e) => Err(e),
        }
    }
}

impl Iterator for LogFiles {
    type Item = io::Result<PathBuf>;

    fn next(&mut self) -> Option<io::Result<PathBuf>> {
        loop {
            let entry = match self.0.as_mut()?.next()? {
                Ok(entry) => entry,
                Err(e) => return Some(Err(e)),
            };
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            // Symlinks are followed: a log may be linked in from elsewhere.
            let file_type = match entry.file_type() {
                Ok(t) => t,
                Err(e) => return Some(Err(e)),
            };
            let is_dir = file_type.is_dir()
                || (file_type.is_symlink()
                    && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir()));
            if !is_dir {
                return Some(Ok(entry.path()));
            }
        }
    }
}

/// Reads every file, spread over the machine's cores, folding each result into one
/// accumulator per worker; the caller merges the accumulators. Each file is read and
/// folded before the next, so memory holds the accumulators, not the records.
pub fn fold_logs<T, I, F>(paths: &[PathBuf], detail: Detail, init: I, fold: F) -> Vec<T>
where
    T: Send,
    I: Fn() -> T + Sync,
    F: Fn(&mut T, Entry) + Sync,
{
    let next = AtomicUsize::new(0);
    let take = || paths.get(next.fetch_add(1, Ordering::Relaxed)).cloned();
    fold_each(take, paths.len(), detail, init, fold)
}

/// The same over the files of a folder as it lists them, in no order, without holding
/// the list: a history of years reads in the memory of its accumulators. Also says how
/// many files there were.
pub fn fold_folder<T, I, F>(
    dir: &Path,
    detail: Detail,
    init: I,
    fold: F,
) -> io::Result<(Vec<T>, usize)>
where
    T: Send,
    I: Fn() -> T + Sync,
    F: Fn(&mut T, Entry) + Sync,
{
    let files = std::sync::Mutex::new(LogFiles::open(dir)?);
    let (count, failed) = (AtomicUsize::new(0), std::sync::Mutex::new(None));
    let take = || {
        let next = files.lock().unwrap_or_else(|e| e.into_inner()).next()?;
        match next {
            Ok(path) => {
                count.fetch_add(1, Ordering::Relaxed);
                Some(path)
            }
            Err(e) => {
                *failed.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
                None
            }
        }
    };
    let parts = fold_each(take, usize::MAX, detail, init, fold);
    match failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        Some(e) => Err(e),
        None => Ok((parts, count.into_inner())),
    }
}

/// Workers (as many as cores, fewer for few files) take paths from `take` until it has no
/// more, each folding into its own accumulator.
fn fold_each<T, I, F>(
    take: impl Fn() -> Option<PathBuf> + Sync,
    files: usize,
    detail: Detail,
    init: I,
    fold: F,
) -> Vec<T>
where
    T: Send,
    I: Fn() -> T + Sync,
    F: Fn(&mut T, Entry) + Sync,
{
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.div_ceil(16))
        .max(1);
    let work = || {
        let mut acc = init();
        let mut interner = Interner::default();
        while let Some(path) = take() {
            fold(&mut acc, read_entry(&path, detail, &mut interner));
        }
        acc
    };
    if workers == 1 {
        return vec![work()];
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers).map(|_| scope.spawn(work)).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Puts sessions newest first and numbers them from 1.
pub fn order(sessions: &mut [Listed]) {
    sessions.sort_unstable_by(|a, b| newest_first((&a.started, &a.file), (&b.started, &b.file)));
    for (i, s) in sessions.iter_mut().enumerate() {
        s.number = Some(i + 1);
    }
}

/// The order sessions are numbered in, by when they began and their file's name: the
/// newest first, and of two begun at the same moment, the later name.
fn newest_first(
    a: (&DateTime<FixedOffset>, &str),
    b: (&DateTime<FixedOffset>, &str),
) -> std::cmp::Ordering {
    b.0.cmp(a.0).then_with(|| b.1.cmp(a.1))
}

/// One file, read as a session log.
pub fn read_entry(path: &Path, detail: Detail, interner: &mut Interner) -> Entry {
    let file = file_name(path);
    match read_session(path, detail, interner) {
        Ok(mut session) => {
            session.file = file;
            Entry::Session(session)
        }
        Err(reason) => Entry::Unreadable(Unreadable {
            file,
            path: path.to_path_buf(),
            reason,
        }),
    }
}

/// Reads one log; the error is the reason it cannot be shown, for a person.
pub fn read_session(
    path: &Path,
    detail: Detail,
    interner: &mut Interner,
) -> Result<SessionSummary, String> {
    let (mut file, size) = open_log(path)?;
    let mut session = read_open(path, &mut file, size, detail, interner)?;
    if session.ending == Ending::Interrupted && crate::log::being_written(&file) {
        session.ending = Ending::InProgress;
    }
    Ok(session)
}

/// Opens a log and says how long it is. A pipe or a device would hang the reader or never
/// end: only plain files are read. The file is opened without waiting (a pipe with no
/// writer would hold the open itself) and asked what it is once open, so that its name is
/// looked up once: a history of years has hundreds of thousands of files.
fn open_log(path: &Path) -> Result<(File, u64), String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    #[cfg(not(unix))]
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err("not a regular file".to_string());
    }
    let file = options
        .open(path)
        .map_err(|e| format!("cannot open it: {e}"))?;
    match file.metadata() {
        Ok(m) if !m.is_file() => Err("not a regular file".to_string()),
        Ok(m) => Ok((file, m.len())),
        // Its size unknown, it is read a line at a time.
        Err(_) => Ok((file, u64::MAX)),
    }
}

fn read_open(
    path: &Path,
    file: &mut File,
    size: u64,
    detail: Detail,
    interner: &mut Interner,
) -> Result<SessionSummary, String> {
    if size > MAX_LINE {
        return read_from(
            path,
            BufReader::with_capacity(64 * 1024, &mut *file),
            detail,
            interner,
        );
    }
    // A log of an ordinary size is read in one go and its lines cut out of that: it
    // saves copying every line out of a buffer.
    let mut bytes = Vec::with_capacity(size as usize + 1);
    read_to_end(file, &mut bytes).map_err(|e| format!("cannot read it: {e}"))?;
    let mut lines = Lines::new(path, detail);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', &bytes) {
        lines.feed(&bytes[start..=end], interner)?;
        start = end + 1;
    }
    if start < bytes.len() {
        lines.feed(&bytes[start..], interner)?;
    }
    lines.finish()
}

/// The rest of `file` into `bytes`, which has room for what its size said. `File`'s own
/// `read_to_end` would ask the file its size and place again first: two more system calls
/// for each log.
fn read_to_end(file: &mut File, bytes: &mut Vec<u8>) -> io::Result<()> {
    loop {
        let room = bytes.capacity() - bytes.len();
        let read = if room > 0 {
            let start = bytes.len();
            bytes.resize(start + room, 0);
            let read = retry(|| file.read(&mut bytes[start..]));
            bytes.truncate(start + *read.as_ref().unwrap_or(&0));
            read?
        } else {
            // Full: the file grew since it was measured.
            let mut chunk = [0; 4096];
            let read = retry(|| file.read(&mut chunk))?;
            bytes.extend_from_slice(&chunk[..read]);
            read
        };
        if read == 0 {
            return Ok(());
        }
    }
}

/// A read again when a signal interrupted it.
fn retry(mut read: impl FnMut() -> io::Result<usize>) -> io::Result<usize> {
    loop {
        match read() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

/// The reader behind [`read_session`], for any source of bytes: line by line, never
/// holding more than one line. A line longer than [`MAX_LINE`] is passed over with a note.
pub fn read_from(
    path: &Path,
    mut reader: impl BufRead,
    detail: Detail,
    interner: &mut Interner,
) -> Result<SessionSummary, String> {
    let mut line = Vec::new();
    let mut lines = Lines::new(path, detail);
    loop {
        line.clear();
        let read = (&mut reader)
            .take(MAX_LINE)
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("cannot read it: {e}"))?;
        if read == 0 {
            break;
        }
        if line.last() != Some(&b'\n') && read as u64 == MAX_LINE {
            lines.too_long(&mut reader)?;
            continue;
        }
        lines.feed(&line, interner)?;
    }
    lines.finish()
}

/// The lines of one log, fed one at a time, folded into a summary as they come.
struct Lines<'p> {
    path: &'p Path,
    detail: Detail,
    session: Option<SessionSummary>,
    number: usize,
}

impl<'p> Lines<'p> {
    fn new(path: &'p Path, detail: Detail) -> Lines<'p> {
        Lines {
            path,
            detail,
            session: None,
            number: 0,
        }
    }

    /// One line, with its newline unless it is the last and torn.
    fn feed(&mut self, line: &[u8], interner: &mut Interner) -> Result<(), String> {
        self.number += 1;
        let number = self.number;
        let complete = line.last() == Some(&b'\n');
        let text = line.trim_ascii();
        if text.is_empty() {
            return Ok(());
        }
        let Some(session) = &mut self.session else {
            self.session = Some(start(text, complete, self.path, self.detail, interner)?);
            return Ok(());
        };
        let text = match std::str::from_utf8(text) {
            Ok(text) => text,
            Err(_) => {
                session.note(format!("line {number} is not text; it is skipped"));
                return Ok(());
            }
        };
        match parse_line(text) {
            Ok((header, body)) => match session.apply(header.t_ms.unwrap_or(0), body) {
                Ok(()) => {}
                Err(Stray::AnotherSession) => session.note(format!(
                    "line {number} starts another session; it and what follows belong to no question shown here"
                )),
                Err(Stray::NotInPlan(index)) => session.note(format!(
                    "line {number} is about question {index}, which is not in the plan; ignored"
                )),
            },
            Err(ParseError::Json(_)) if !complete => session.note(
                "the last line is cut off (the session stopped while writing it); it is ignored"
                    .to_string(),
            ),
            Err(ParseError::Json(e)) => session.note(format!(
                "line {number} is not a complete record ({e}); it is skipped"
            )),
            Err(problem) => session.note(format!("line {number}: {problem}; it is skipped")),
        }
        Ok(())
    }

    /// A line longer than [`MAX_LINE`] was begun: the rest of it is read past, not kept.
    fn too_long(&mut self, reader: &mut impl BufRead) -> Result<(), String> {
        self.number += 1;
        let number = self.number;
        loop {
            let buf = reader
                .fill_buf()
                .map_err(|e| format!("cannot read it: {e}"))?;
            if buf.is_empty() {
                break;
            }
            match memchr::memchr(b'\n', buf) {
                Some(at) => {
                    reader.consume(at + 1);
                    break;
                }
                None => {
                    let n = buf.len();
                    reader.consume(n);
                }
            }
        }
        let note = format!(
            "line {number} is longer than {} MiB: not a record of this program; it is skipped",
            MAX_LINE >> 20
        );
        match &mut self.session {
            Some(session) => {
                session.note(note);
                Ok(())
            }
            None => Err(format!("not a session log: {note}")),
        }
    }

    fn finish(self) -> Result<SessionSummary, String> {
        match self.session {
            Some(session) => Ok(session.finish()),
            None => Err("empty: no records".to_string()),
        }
    }
}

/// The session a log's first record starts, or why the file is not a session log.
fn start(
    text: &[u8],
    complete: bool,
    path: &Path,
    detail: Detail,
    interner: &mut Interner,
) -> Result<SessionSummary, String> {
    let text = std::str::from_utf8(text).map_err(|_| "not a session log: line 1 is not JSON")?;
    let (header, started) = match parse_line(text) {
        Ok((header, Body::SessionStarted(started))) if started.schema == SCHEMA => {
            (header, started)
        }
        _ => return Err(not_a_start(text, complete)),
    };
    let at = header.at.as_deref().unwrap_or_default();
    let at = chrono::DateTime::parse_from_rfc3339(at)
        .map_err(|e| format!("session_started has a bad time {at:?}: {e}"))?;
    Ok(SessionSummary::start(
        path,
        at,
        header.t_ms.unwrap_or(0),
        &started,
        detail,
        interner,
    ))
}

/// Why a first line that is not a `session_started` of this schema is not the start of a
/// log, read from its header alone (a newer schema may have changed the rest).
fn not_a_start(text: &str, complete: bool) -> String {
    const NOT_A_RECORD: &str = "not a session log: line 1 is not a rehearse record";
    let header: Header = match serde_json::from_str(text) {
        Ok(header) => header,
        Err(_) if !complete => return "empty: the first record is cut off".to_string(),
        Err(e) if e.is_data() => return NOT_A_RECORD.to_string(),
        Err(_) => return "not a session log: line 1 is not JSON".to_string(),
    };
    match header.event.as_deref() {
        Some("session_started") => {}
        Some(other) => {
            return format!("not a session log: it starts with {other:?}, not \"session_started\"");
        }
        None => return NOT_A_RECORD.to_string(),
    }
    match header.schema.as_ref().and_then(serde_json::Value::as_u64) {
        Some(n) if n > u64::from(SCHEMA) => format!(
            "written by a newer rehearse (log schema {n}; this version reads schema {SCHEMA}): update rehearse to read it"
        ),
        Some(n) if n < u64::from(SCHEMA) => format!("unknown log schema {n}"),
        None => "not a session log: session_started has no schema".to_string(),
        Some(_) => match parse_line(text) {
            Err(problem) => format!("line 1: {problem}"),
            Ok(_) => NOT_A_RECORD.to_string(),
        },
    }
}

mod catalogue;
pub use catalogue::{Catalogue, Catalogued, Cataloguing};

#[cfg(test)]
mod proptests;
#[cfg(test)]
pub(crate) mod testlog;
#[cfg(test)]
mod tests;
