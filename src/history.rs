//! Practice history from the session logs, for drilling: every past attempt, and the
//! spaced-repetition schedule kept in `.schedule.json` beside the logs. The schedule is
//! derived from the logs, so a lost or damaged file is rebuilt from them.

use std::io;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::drill::{Attempt, Schedule};
use crate::log::read::{Detail, Entry, SessionSummary, fold_logs, log_files};
use crate::session::Outcome;

/// The schedule file in a log folder; hidden, so review does not take it for a log.
pub fn schedule_path(log_dir: &Path) -> PathBuf {
    log_dir.join(".schedule.json")
}

/// The attempts of one session: questions that ended (not cut off by the session's end).
pub fn session_attempts(s: &SessionSummary) -> Vec<Attempt> {
    s.questions
        .iter()
        .filter_map(|q| {
            let r = q.result?;
            (r.outcome != Outcome::Unfinished).then(|| Attempt {
                bank: s.bank_key.to_string(),
                id: q.id.to_string(),
                day: s.started.date_naive(),
                outcome: r.outcome,
                over: crate::review::is_over(r.outcome, r.overtime_ms),
                short: r.short,
                rating: q.review.as_ref().and_then(|review| review.rating),
                spoken: q
                    .spoken()
                    .map(|t| crate::drill::Spoken::of(t.first_word_ms, t.long_pauses)),
                points: q.transcript().map(|t| {
                    let (covered, of) = t.coverage();
                    (covered as u32, of as u32)
                }),
            })
        })
        .collect()
}

/// Every attempt in the logs of `log_dir`, oldest first. Unreadable files are passed over
/// (review names them).
pub fn attempts(log_dir: &Path) -> io::Result<Vec<Attempt>> {
    Ok(counted_attempts(log_dir)?.0)
}

/// Every finished attempt, oldest session first, and the logs they came from.
fn counted_attempts(log_dir: &Path) -> io::Result<(Vec<Attempt>, Vec<String>)> {
    let files = log_files(log_dir)?;
    let parts = fold_logs(&files, Detail::Questions, Vec::new, |acc, entry| {
        // A session still being practised adds its attempts itself when it ends.
        if let Entry::Session(s) = entry
            && s.ending != crate::log::read::Ending::InProgress
        {
            acc.push((s.started, s.file.clone(), session_attempts(&s)));
        }
    });
    let mut sessions: Vec<_> = parts.into_iter().flatten().collect();
    sessions.sort_by_key(|(started, ..)| *started);
    let files = sessions.iter().map(|(_, file, _)| file.clone()).collect();
    Ok((sessions.into_iter().flat_map(|(.., a)| a).collect(), files))
}

/// Builds the schedule from every log and saves it.
pub fn rebuild_schedule(log_dir: &Path) -> anyhow::Result<Schedule> {
    let (history, files) = counted_attempts(log_dir)
        .with_context(|| format!("cannot read the logs in {}", log_dir.display()))?;
    let mut schedule = Schedule::from_history(&history);
    schedule.counted = files.into_iter().collect();
    save_schedule(log_dir, &schedule)?;
    Ok(schedule)
}

/// The one reader of the saved schedule: `Ok(None)` when there is none yet, `Err` with
/// what is wrong when it cannot be read or is not a schedule of this version.
pub fn read_schedule(log_dir: &Path) -> Result<Option<Schedule>, String> {
    let path = schedule_path(log_dir);
    match std::fs::read_to_string(&path) {
        Ok(text) => match serde_json::from_str::<Schedule>(&text) {
            Ok(schedule) if schedule.version == 1 => Ok(Some(schedule)),
            _ => Err(format!("{} is damaged", path.display())),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {} ({e})", path.display())),
    }
}

/// The saved schedule, or one worked out from the logs when there is none or it cannot
/// be read (the second case is said, once, through `warn`). Nothing is written: choosing
/// questions, a dry run above all, works on a read-only or missing log folder too.
pub fn load_schedule(log_dir: &Path, warn: &mut dyn FnMut(String)) -> anyhow::Result<Schedule> {
    match read_schedule(log_dir) {
        Ok(Some(schedule)) => return Ok(schedule),
        Ok(None) => {}
        Err(problem) => warn(format!("{problem}; working it out from the logs")),
    }
    if !log_dir.exists() {
        return Ok(Schedule::from_history(&[]));
    }
    let history = attempts(log_dir)
        .with_context(|| format!("cannot read the logs in {}", log_dir.display()))?;
    Ok(Schedule::from_history(&history))
}

/// Adds one session that just ended (as its log part folded it) to the saved schedule;
/// without a readable schedule, builds it from every log (this one included).
pub fn record_session(log_dir: &Path, session: &SessionSummary) -> anyhow::Result<()> {
    // Two sessions ending at once must not each write the schedule they read: one waits
    // for the other, so neither's cards are lost.
    let _lock = lock_schedule(log_dir)?;
    let Ok(Some(mut schedule)) = read_schedule(log_dir) else {
        return rebuild_schedule(log_dir).map(|_| ());
    };
    if schedule.counted.insert(session.file.clone()) {
        for attempt in session_attempts(session) {
            schedule.record(&attempt);
        }
    }
    save_schedule(log_dir, &schedule)
}

/// Holds the schedule's lock (a file beside it) until dropped.
fn lock_schedule(log_dir: &Path) -> anyhow::Result<std::fs::File> {
    let path = log_dir.join(".schedule.lock");
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A link planted at the lock's name is not followed.
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let file = options
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    // Blocks until granted.
    file.lock()
        .with_context(|| format!("cannot lock {}", path.display()))?;
    Ok(file)
}

/// Writes the schedule whole (to a temporary file first, then renamed over the old one).
fn save_schedule(log_dir: &Path, schedule: &Schedule) -> anyhow::Result<()> {
    let path = schedule_path(log_dir);
    let tmp = log_dir.join(".schedule.json.tmp");
    let text = serde_json::to_string_pretty(schedule).expect("a schedule always serializes");
    crate::files::write_replacing(&path, &tmp, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}
