//! What `review` and `review report` share: where the logs are, reading and aggregating
//! them once, and the rules for writing next to them and to the terminal.

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::cli::{FilterArgs, LogDirArg};
use crate::config::ConfigFile;
use crate::exit::UsageError;
use crate::paths::Paths;
use crate::review::stats::{Aggregator, Stats};
use crate::review::{Detail, Entry, Filter, Unreadable, fold_folder};

/// What `review stats` and `review report` show, worked out once.
pub(crate) struct Gathered {
    pub stats: Stats,
    pub unreadable: Vec<Unreadable>,
    /// Files in the log folder, readable or not.
    pub files: usize,
    /// The keys of the banks of the sessions counted, sorted.
    pub banks: Vec<String>,
}

/// Reads the log folder and aggregates the sessions `filter` lets through (`only`: one
/// question), with when each question is due again. `sessions`: how many of the newest
/// sessions the timeline keeps (`None`: all).
pub(crate) fn gather(
    dir: &Path,
    filter: &Filter,
    only: Option<&str>,
    sessions: Option<usize>,
) -> anyhow::Result<Gathered> {
    let aggregator = || {
        let agg = Aggregator::new(only);
        match sessions {
            Some(n) => agg.keep_sessions(n),
            None => agg,
        }
    };
    // Each worker folds its sessions into its own aggregator as they are read; nothing
    // but a few numbers an attempt is kept, and not even the list of files.
    let (parts, files) = fold_folder(
        dir,
        Detail::Questions,
        || (aggregator(), Vec::new(), BTreeSet::new()),
        |(agg, bad, banks), entry| match entry {
            Entry::Session(s) if filter.accepts(&s) => {
                agg.add(&s);
                if !banks.contains(&*s.bank_key) {
                    banks.insert(s.bank_key.to_string());
                }
            }
            Entry::Session(_) => {}
            Entry::Unreadable(u) => bad.push(u),
        },
    )
    .with_context(|| format!("cannot list the log folder {}", dir.display()))?;
    let mut merged = aggregator();
    let mut unreadable = Vec::new();
    let mut banks = BTreeSet::new();
    for (agg, bad, keys) in parts {
        merged.merge(agg);
        unreadable.extend(bad);
        banks.extend(keys);
    }
    unreadable.sort_by(|a, b| a.file.cmp(&b.file));
    let mut stats = merged.finish();
    // When each question is due again, from the schedule `rehearse run` keeps (if any).
    if let Ok(Some(schedule)) = crate::history::read_schedule(dir) {
        for line in &mut stats.questions {
            line.due = schedule
                .cards
                .values()
                .filter_map(|cards| cards.get(&*line.key))
                .map(|card| card.due)
                .min();
        }
    }
    Ok(Gathered {
        stats,
        unreadable,
        files,
        banks: banks.into_iter().collect(),
    })
}

/// `--log-dir`, else `REHEARSE_LOG_DIR`, else the config file's `log_dir`, else the data
/// folder: the folder `rehearse run` writes to.
pub(crate) fn log_dir(arg: &LogDirArg, config: &ConfigFile) -> anyhow::Result<PathBuf> {
    let settings = crate::settings::RunSettings::resolve(None, config.get()?, &Paths::from_env());
    match (&arg.log_dir, settings.log_dir.value) {
        (Some(dir), _) => Ok(dir.clone()),
        (None, Some(dir)) => Ok(dir),
        (None, None) => Err(UsageError(
            "no folder for session logs: set REHEARSE_LOG_DIR or pass --log-dir".into(),
        )
        .into()),
    }
}

pub(crate) fn filter(args: &FilterArgs) -> Filter {
    Filter {
        bank: args.bank.clone(),
        since: args.since,
    }
}

pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Review never writes in the log folder: an export there could replace a log.
pub(crate) fn refuse_log_folder(output: &Path, dir: &Path) -> anyhow::Result<()> {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if same_file(&parent, dir) {
        return Err(UsageError(format!(
            "{} is in the log folder; review never writes there: choose another place",
            output.display()
        ))
        .into());
    }
    Ok(())
}

/// A line for the person on standard error; if even that cannot be written, nothing is lost.
pub(crate) fn note(message: &str) {
    let _ = writeln!(io::stderr(), "rehearse: {message}");
}

/// Writes and flushes, passing errors up: a closed pipe (`| head`) ends the command
/// quietly in `main`, where `println!` would panic.
pub(crate) fn emit(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}
