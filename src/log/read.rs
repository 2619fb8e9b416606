//! Reading session logs back: one file becomes a small [`SessionSummary`] or an
//! [`Unreadable`] with the reason. Reading is tolerant (a torn last line, unknown events
//! and unknown fields are passed over, with a note where it matters) and read-only: a log
//! is opened for reading and nothing else. Each file is read line by line and folded into
//! its summary at once, so no more than one record is held at a time.
//!
//! `rehearse run --due` reads its history here and `review` reads its sessions here;
//! neither depends on the other. Choosing files, the terminal and writing output belong
//! to the commands.

mod line;

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use line::{Event, Line};

use crate::log::SCHEMA;
use crate::session::{Outcome, SessionOutcome};

/// A longer line is not a record this program wrote; reading stops there rather than
/// pulling a whole foreign file into memory.
const MAX_LINE: u64 = 16 * 1024 * 1024;

/// Notes kept per session; more than this are counted, not listed.
const MAX_NOTES: usize = 5;

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    Completed,
    /// Ended early by the person.
    Aborted,
    /// The log stops without `session_ended`: a crash, a kill, a power cut.
    Interrupted,
    /// No `session_ended` yet, and its `rehearse run` is still writing it.
    InProgress,
}

impl Ending {
    pub fn label(self) -> &'static str {
        match self {
            Ending::Completed => "completed",
            Ending::Aborted => "aborted",
            Ending::Interrupted => "interrupted",
            Ending::InProgress => "in progress",
        }
    }
}

/// How much of each session to keep: counts are enough for a list; stats, show and export
/// need every question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Counts,
    Questions,
}

/// One session, as much as review needs of it.
#[derive(Debug, Clone, Serialize)]
pub struct SessionSummary {
    /// 1 = the newest readable session of the log folder. Given when the sessions are put
    /// in order ([`order`]), so it means the same whatever is filtered afterwards; a file
    /// read from elsewhere has none.
    pub number: Option<usize>,
    pub file: String,
    #[serde(serialize_with = "lossy_path")]
    pub path: PathBuf,
    /// When `session_started` was written, in the offset it was written with (the local
    /// time of the person practising).
    #[serde(serialize_with = "rfc3339")]
    pub started: DateTime<FixedOffset>,
    pub bank: Arc<str>,
    pub bank_key: Arc<str>,
    pub seed: u64,
    pub ending: Ending,
    /// From `session_ended`, or the last record's time for an interrupted session.
    pub total_ms: u64,
    pub counts: Counts,
    /// Every planned question in plan order; empty when read with [`Detail::Counts`].
    /// JSON output adds them with what the tables work out (`render`).
    #[serde(skip)]
    pub questions: Vec<QuestionRecord>,
    /// What was passed over while reading: a torn last line, records that are not JSON.
    pub notes: Vec<String>,
}

/// How the questions of a session went.
///
/// `answered` includes answers ended by the clock in hands-free mode (`time_up`, also
/// counted on its own): the person answered until the time ran out. `over_time` counts
/// answers that reached or passed their limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub planned: usize,
    pub answered: usize,
    pub time_up: usize,
    pub skipped: usize,
    /// Asked but not finished: the session was ended or cut off during the question.
    pub unfinished: usize,
    pub not_reached: usize,
    pub over_time: usize,
}

/// One planned question and what became of it.
///
/// Coaching (ratings, notes, a STAR checklist) will arrive as later events about a
/// question; they belong here, next to `result`.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionRecord {
    pub index: usize,
    pub id: Arc<str>,
    pub category: Arc<str>,
    pub text: Arc<str>,
    /// The limit in force at the end, after any `+`/`-`.
    pub limit_ms: u64,
    pub planned_limit_ms: u64,
    pub warn_ms: u64,
    pub asked: bool,
    /// `None` when the question never ended (not reached, or the log stops during it).
    pub result: Option<QuestionResult>,
    pub pauses: u32,
    /// Sum of `+`/`-` changes to the limit.
    pub adjusted_ms: i64,
    /// The time-up cue sounded.
    pub time_up_cue: bool,
    /// What the candidate said about the answer (rating, STAR checklist, note).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<crate::coach::SelfReview>,
    /// The recorded takes of the answer (`--record`), in the order they were taken.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub takes: Vec<Take>,
    /// The take the person chose to count (`review keep`); the last one counts otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept_take: Option<u32>,
}

/// One recorded take of an answer and how it was spoken, as `answer_recorded` logs it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Take {
    pub take: u32,
    /// The recording, relative to the log's folder; none when nothing was kept.
    pub file: Option<String>,
    pub duration_ms: u64,
    pub dropped_ms: u64,
    pub first_word_ms: Option<u64>,
    pub speech_ms: u64,
    pub longest_pause_ms: u64,
    pub long_pauses: u32,
    pub pause_threshold_ms: u64,
    pub level_db: Option<f64>,
}

impl Take {
    /// Time spent speaking as a share of the recording, 0 to 1.
    pub fn speaking_share(&self) -> f64 {
        if self.duration_ms == 0 {
            0.0
        } else {
            (self.speech_ms as f64 / self.duration_ms as f64).min(1.0)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QuestionResult {
    pub outcome: Outcome,
    pub answer_ms: u64,
    pub overtime_ms: u64,
    pub paused_ms: u64,
    pub prep_ms: u64,
    pub short: bool,
}

impl QuestionRecord {
    /// What the person did with the question, in one word.
    pub fn status(&self) -> Status {
        match (self.result, self.asked) {
            (Some(r), _) => match r.outcome {
                Outcome::Answered => Status::Answered,
                Outcome::TimeUp => Status::TimeUp,
                Outcome::Skipped => Status::Skipped,
                Outcome::Unfinished => Status::Unfinished,
            },
            (None, true) => Status::Unfinished,
            (None, false) => Status::NotReached,
        }
    }

    /// The take that counts: the one the person kept, else the last one recorded. A kept
    /// take that was never recorded (a hand-edited log) falls back to the last one.
    pub fn counted_take(&self) -> Option<&Take> {
        self.kept_take
            .and_then(|n| self.takes.iter().find(|t| t.take == n))
            .or_else(|| self.takes.iter().max_by_key(|t| t.take))
    }

    /// An answer that reached or passed its limit.
    pub fn over_time(&self) -> bool {
        self.result
            .is_some_and(|r| is_over(r.outcome, r.overtime_ms))
    }

    /// The warning cue sounds when the time left falls to `warn_ms`. It is not logged, so
    /// it is worked out from the answer time and the final limit, as the engine decides it.
    pub fn warning_cue(&self) -> bool {
        self.result.is_some_and(|r| {
            self.warn_ms < self.limit_ms
                && r.answer_ms.saturating_add(self.warn_ms) >= self.limit_ms
        })
    }
}

/// Went on past the limit. An answer the clock ended (hands-free) ran its full length
/// and no further: that is not over time. The one definition, for the session summary,
/// the log's `over_time`, every review table and export, and the drill score.
pub fn is_over(_outcome: Outcome, overtime_ms: u64) -> bool {
    overtime_ms > 0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Answered,
    TimeUp,
    Skipped,
    Unfinished,
    NotReached,
}

impl Status {
    /// For JSON and CSV: the log's own words.
    pub fn key(self) -> &'static str {
        match self {
            Status::Answered => "answered",
            Status::TimeUp => "time_up",
            Status::Skipped => "skipped",
            Status::Unfinished => "unfinished",
            Status::NotReached => "not_reached",
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Status::Answered => "answered",
            Status::TimeUp => "time up",
            Status::Skipped => "skipped",
            Status::Unfinished => "unfinished",
            Status::NotReached => "not reached",
        }
    }
}

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
        let bank_ok = self.bank.as_deref().is_none_or(|b| {
            s.bank_key.eq_ignore_ascii_case(b) || s.bank.to_lowercase() == b.to_lowercase()
        });
        let since_ok = self.since.is_none_or(|d| s.started.date_naive() >= d);
        bank_ok && since_ok
    }
}

/// Shares the few distinct strings (ids, categories, question texts, bank names) that
/// thousands of sessions repeat.
#[derive(Debug, Default)]
pub struct Interner(HashSet<Arc<str>>);

impl Interner {
    pub fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(found) = self.0.get(s) {
            return found.clone();
        }
        let new: Arc<str> = Arc::from(s);
        self.0.insert(new.clone());
        new
    }
}

/// The files of the log folder that may be session logs, by name. Hidden files and
/// folders are left out; a folder that does not exist has none.
pub fn log_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        // Symlinks are followed: a log may be linked in from elsewhere.
        let file_type = entry.file_type()?;
        let is_dir = file_type.is_dir()
            || (file_type.is_symlink()
                && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir()));
        if is_dir {
            continue;
        }
        files.push(entry.path());
    }
    // By name, which is by start time for the files rehearse writes.
    files.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    Ok(files)
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
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(paths.len().div_ceil(16))
        .max(1);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut acc = init();
        let mut interner = Interner::default();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(path) = paths.get(i) else {
                return acc;
            };
            fold(&mut acc, read_entry(path, detail, &mut interner));
        }
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
pub fn order(sessions: &mut [SessionSummary]) {
    sessions.sort_by(|a, b| b.started.cmp(&a.started).then_with(|| b.file.cmp(&a.file)));
    for (i, s) in sessions.iter_mut().enumerate() {
        s.number = Some(i + 1);
    }
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

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Reads one log; the error is the reason it cannot be shown, for a person.
pub fn read_session(
    path: &Path,
    detail: Detail,
    interner: &mut Interner,
) -> Result<SessionSummary, String> {
    // A pipe or a device would hang the reader or never end: only plain files are read.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err("not a regular file".to_string());
    }
    let mut file = File::open(path).map_err(|e| format!("cannot open it: {e}"))?;
    let mut session = read_open(path, &mut file, detail, interner)?;
    if session.ending == Ending::Interrupted && crate::log::being_written(&file) {
        session.ending = Ending::InProgress;
    }
    Ok(session)
}

fn read_open(
    path: &Path,
    file: &mut File,
    detail: Detail,
    interner: &mut Interner,
) -> Result<SessionSummary, String> {
    let size = file.metadata().map_or(u64::MAX, |m| m.len());
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
    file.read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read it: {e}"))?;
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

/// The reader behind [`read_session`], for any source of bytes: line by line, never
/// holding more than one line.
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
            return Err(format!(
                "line {} is longer than {} MiB: not a session log",
                lines.number + 1,
                MAX_LINE >> 20
            ));
        }
        lines.feed(&line, interner)?;
    }
    lines.finish()
}

/// The lines of one log, fed one at a time, folded into a summary as they come.
struct Lines<'p> {
    path: &'p Path,
    detail: Detail,
    session: Option<Builder>,
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
        let Some(builder) = &mut self.session else {
            self.session = Some(Builder::start(
                text,
                complete,
                self.path,
                self.detail,
                interner,
            )?);
            return Ok(());
        };
        match parse(text) {
            Ok(record) => builder.add(record, number),
            Err(_) if !complete => builder.note(
                "the last line is cut off (the session stopped while writing it); it is ignored"
                    .to_string(),
            ),
            Err(e) => builder.note(format!(
                "line {number} is not a complete record ({e}); it is skipped"
            )),
        }
        Ok(())
    }

    fn finish(self) -> Result<SessionSummary, String> {
        match self.session {
            Some(builder) => Ok(builder.finish(self.detail)),
            None => Err("empty: no records".to_string()),
        }
    }
}

/// One record. Text checked once as UTF-8 as a whole is parsed without checking each
/// string again.
fn parse(text: &[u8]) -> serde_json::Result<Line<'_>> {
    match std::str::from_utf8(text) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(text),
    }
}

struct Builder {
    summary: SessionSummary,
    last_t_ms: u64,
    ended: bool,
    extra_notes: usize,
    stray_index_noted: bool,
}

impl Builder {
    fn start(
        text: &[u8],
        complete: bool,
        path: &Path,
        detail: Detail,
        interner: &mut Interner,
    ) -> Result<Builder, String> {
        let probe: Line = match parse(text) {
            Ok(probe) => probe,
            Err(_) if !complete => {
                return Err("empty: the first record is cut off".to_string());
            }
            Err(e) if e.is_data() => {
                return Err("not a session log: line 1 is not a rehearse record".to_string());
            }
            Err(_) => return Err("not a session log: line 1 is not JSON".to_string()),
        };
        match probe.event.as_deref() {
            Some("session_started") => {}
            Some(other) => {
                return Err(format!(
                    "not a session log: it starts with {other:?}, not \"session_started\""
                ));
            }
            None => return Err("not a session log: line 1 is not a rehearse record".to_string()),
        }
        match probe.schema.as_ref().and_then(serde_json::Value::as_u64) {
            Some(n) if n == u64::from(SCHEMA) => {}
            Some(n) if n > u64::from(SCHEMA) => {
                return Err(format!(
                    "written by a newer rehearse (log schema {n}; this version reads schema {SCHEMA}): update rehearse to read it"
                ));
            }
            Some(n) => return Err(format!("unknown log schema {n}")),
            None => return Err("not a session log: session_started has no schema".to_string()),
        }
        let t_ms = probe.t_ms.unwrap_or(0);
        let started = match probe.into_event() {
            Ok(Event::Started(started)) => started,
            Ok(_) => return Err("not a session log: line 1 is not session_started".to_string()),
            Err(problem) => return Err(format!("line 1: {problem}")),
        };
        let at = DateTime::parse_from_rfc3339(&started.at)
            .map_err(|e| format!("session_started has a bad time {:?}: {e}", started.at))?;
        // A list needs no question texts: it skips the work of sharing them.
        let mut text = |s: &str| match detail {
            Detail::Questions => interner.get(s),
            Detail::Counts => interner.get(""),
        };
        let questions = started
            .plan
            .iter()
            .map(|p| QuestionRecord {
                index: p.index,
                id: text(&p.id),
                category: text(&p.category),
                text: text(&p.text),
                limit_ms: p.limit_ms,
                planned_limit_ms: p.limit_ms,
                warn_ms: p.warn_ms,
                asked: false,
                result: None,
                pauses: 0,
                adjusted_ms: 0,
                time_up_cue: false,
                review: None,
                takes: Vec::new(),
                kept_take: None,
            })
            .collect();
        Ok(Builder {
            summary: SessionSummary {
                number: None,
                file: String::new(),
                path: path.to_path_buf(),
                started: at,
                bank: interner.get(&started.bank),
                bank_key: interner.get(&started.bank_key),
                seed: started.seed,
                ending: Ending::Interrupted,
                total_ms: t_ms,
                counts: Counts::default(),
                questions,
                notes: Vec::new(),
            },
            last_t_ms: t_ms,
            ended: false,
            extra_notes: 0,
            stray_index_noted: false,
        })
    }

    fn note(&mut self, note: String) {
        if self.summary.notes.len() < MAX_NOTES {
            self.summary.notes.push(note);
        } else {
            self.extra_notes += 1;
        }
    }

    fn add(&mut self, record: Line, line: usize) {
        if let Some(t) = record.t_ms {
            self.last_t_ms = self.last_t_ms.max(t);
        }
        let event = match record.into_event() {
            Ok(event) => event,
            Err(problem) => {
                self.note(format!("line {line}: {problem}; it is skipped"));
                return;
            }
        };
        let index = match &event {
            Event::QuestionStarted { index, .. }
            | Event::Paused { index }
            | Event::TimeAdjusted { index, .. }
            | Event::TimeUp { index }
            | Event::QuestionEnded { index, .. }
            | Event::Reviewed { index, .. }
            | Event::Recorded { index, .. }
            | Event::TakeKept { index, .. } => *index,
            Event::Started(_) => {
                self.note(format!(
                    "line {line} starts another session; it and what follows belong to no question shown here"
                ));
                return;
            }
            Event::SessionEnded { outcome, total_ms } => {
                self.ended = true;
                self.summary.ending = match outcome {
                    SessionOutcome::Completed => Ending::Completed,
                    SessionOutcome::Aborted => Ending::Aborted,
                };
                self.summary.total_ms = *total_ms;
                return;
            }
            Event::Other => return,
        };
        let Some(q) = self.question(index) else {
            if !self.stray_index_noted {
                self.stray_index_noted = true;
                self.note(format!(
                    "line {line} is about question {index}, which is not in the plan; ignored"
                ));
            }
            return;
        };
        match event {
            Event::QuestionStarted { limit_ms, .. } => {
                q.asked = true;
                q.limit_ms = limit_ms;
            }
            Event::Paused { .. } => q.pauses += 1,
            Event::TimeAdjusted {
                delta_ms, limit_ms, ..
            } => {
                q.adjusted_ms = q.adjusted_ms.saturating_add(delta_ms);
                q.limit_ms = limit_ms;
            }
            Event::TimeUp { .. } => q.time_up_cue = true,
            Event::QuestionEnded { result, .. } => {
                q.asked = true;
                q.result = Some(result);
            }
            Event::Reviewed { review, .. } => q.review = Some(review),
            Event::Recorded { take, .. } => {
                // A take logged twice (it should not be) counts once, as last written.
                q.takes.retain(|t| t.take != take.take);
                q.takes.push(take);
            }
            Event::TakeKept { take, .. } => q.kept_take = Some(take),
            Event::Started(_) | Event::SessionEnded { .. } | Event::Other => {}
        }
    }

    fn question(&mut self, index: usize) -> Option<&mut QuestionRecord> {
        let questions = &mut self.summary.questions;
        // The plan numbers questions 1, 2, 3...; look there first.
        let at = index
            .checked_sub(1)
            .filter(|&i| questions.get(i).is_some_and(|q| q.index == index))
            .or_else(|| questions.iter().position(|q| q.index == index))?;
        questions.get_mut(at)
    }

    fn finish(mut self, detail: Detail) -> SessionSummary {
        if self.extra_notes > 0 {
            self.summary
                .notes
                .push(format!("and {} more lines skipped", self.extra_notes));
        }
        if !self.ended {
            self.summary.total_ms = self.last_t_ms;
        }
        let mut counts = Counts {
            planned: self.summary.questions.len(),
            ..Counts::default()
        };
        for q in &self.summary.questions {
            match q.status() {
                Status::Answered => counts.answered += 1,
                Status::TimeUp => {
                    counts.answered += 1;
                    counts.time_up += 1;
                }
                Status::Skipped => counts.skipped += 1,
                Status::Unfinished => counts.unfinished += 1,
                Status::NotReached => counts.not_reached += 1,
            }
            if q.over_time() {
                counts.over_time += 1;
            }
        }
        self.summary.counts = counts;
        if detail == Detail::Counts {
            self.summary.questions = Vec::new();
        }
        self.summary
    }
}

/// A path as text, with anything that is not UTF-8 shown as U+FFFD: JSON holds only text,
/// and a file name must never make an export fail.
fn lossy_path<S: serde::Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&path.to_string_lossy())
}

pub(crate) fn rfc3339<S: serde::Serializer>(
    t: &DateTime<FixedOffset>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::Millis, false))
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
pub(crate) mod testlog;
#[cfg(test)]
mod tests;
