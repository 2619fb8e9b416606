//! `rehearse review report`: the stats of `review stats` (gathered by the same code), the
//! talking points of the banks the sessions used, then one HTML page written to a file,
//! and perhaps opened. Never writes in the log folder, and never replaces a file that is
//! not a report it wrote before (a session log above all), through a symlink or not.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow};

use super::logs::{emit, filter, gather, log_dir, note, refuse_log_folder, same_file};
use crate::bank;
use crate::cli::{FilterArgs, ReportArgs};
use crate::exit::{SUCCESS, UsageError};
use crate::paths::Paths;
use crate::review::report::{self, Context, GENERATOR};
use crate::review::{self, Detail, Entry, Interner};

/// The file name in the data folder when no `-o` is given.
const DEFAULT_NAME: &str = "report.html";

pub fn run(args: ReportArgs, config: &crate::config::ConfigFile) -> anyhow::Result<u8> {
    let dir = log_dir(&args.log_dir, config)?;
    let target = match &args.output {
        Some(path) => path.clone(),
        None => default_path(&dir)?,
    };
    let target = writable_target(&target, &dir)?;
    let gathered = gather(&dir, &filter(&args.filter), None, Some(report::SESSIONS))?;
    let paths = Paths::from_env();
    let mut warnings = Vec::new();
    let mut points: HashMap<String, Vec<String>> = HashMap::new();
    for key in &gathered.banks {
        match bank::find(key, paths.banks.as_deref()) {
            Ok(bank) => {
                for q in bank.questions {
                    points.entry(q.id).or_insert(q.talking_points);
                }
            }
            Err(e) => warnings.push(format!(
                "The bank {key:?} could not be loaded ({e}): its talking points are left out."
            )),
        }
    }
    let now = chrono::Local::now().fixed_offset();
    let html = report::page(
        &gathered.stats,
        &Context {
            today: now.date_naive(),
            generated: now,
            scope: scope(&args.filter),
            talking_points: &points,
            unreadable: gathered.unreadable.len(),
            warnings,
        },
    );
    write_atomically(&target, html.as_bytes())?;
    emit(&format!("{}\n", target.display()))?;
    if args.open {
        open(&target);
    }
    Ok(SUCCESS)
}

fn scope(f: &FilterArgs) -> String {
    match (&f.bank, f.since) {
        (None, None) => "Every session".to_string(),
        (Some(b), None) => format!("Sessions of the bank {b}"),
        (None, Some(d)) => format!("Sessions since {d}"),
        (Some(b), Some(d)) => format!("Sessions of the bank {b} since {d}"),
    }
}

/// `report.html` in the data folder, which is made if missing; not when that folder is
/// the log folder itself, where review never writes.
fn default_path(log_dir: &Path) -> anyhow::Result<PathBuf> {
    let data = crate::paths::data_dir().ok_or_else(|| {
        UsageError("no data folder to write the report to: pass -o FILE".to_string())
    })?;
    std::fs::create_dir_all(&data)
        .with_context(|| format!("cannot create the data folder {}", data.display()))?;
    if same_file(&data, log_dir) {
        return Err(UsageError(format!(
            "the data folder {} is also the log folder, where review never writes: pass -o FILE",
            data.display()
        ))
        .into());
    }
    Ok(data.join(DEFAULT_NAME))
}

/// The file to write: `path` itself, or what its symlink points to. Refused when it is
/// in the log folder, or is something other than a report written before.
fn writable_target(path: &Path, log_dir: &Path) -> anyhow::Result<PathBuf> {
    refuse_log_folder(path, log_dir)?;
    let link = std::fs::symlink_metadata(path).ok();
    let Some(link) = link else {
        return Ok(path.to_path_buf());
    };
    let resolved = if link.file_type().is_symlink() {
        let real = path.canonicalize().map_err(|_| {
            UsageError(format!(
                "{} is a symlink to nothing; remove it or choose another name",
                path.display()
            ))
        })?;
        refuse_log_folder(&real, log_dir)?;
        real
    } else {
        path.to_path_buf()
    };
    let meta = std::fs::metadata(&resolved)
        .with_context(|| format!("cannot look at {}", resolved.display()))?;
    if meta.is_dir() {
        return Err(UsageError(format!(
            "{} is a folder: give a file name, like {}",
            path.display(),
            path.join(DEFAULT_NAME).display()
        ))
        .into());
    }
    if meta.len() > 0 && !is_report(&resolved) {
        let what = match review::read_entry(&resolved, Detail::Counts, &mut Interner::default()) {
            Entry::Session(_) => "a session log",
            Entry::Unreadable(_) => "not a report of rehearse",
        };
        return Err(UsageError(format!(
            "{} exists and is {what}: it is left alone; choose another name, or remove it first",
            path.display()
        ))
        .into());
    }
    Ok(resolved)
}

/// A page this command wrote: its generator tag is near the top.
fn is_report(path: &Path) -> bool {
    let mut head = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(1024).read_to_end(&mut head));
    read.is_ok()
        && String::from_utf8_lossy(&head).contains(&format!(
            "<meta name=\"generator\" content=\"{GENERATOR}\">"
        ))
}

/// Writes beside the target and renames over it: a reader never sees half a page, and an
/// existing report is replaced whole (a symlink to it is left pointing at the new one).
fn write_atomically(target: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .ok_or_else(|| anyhow!("{} has no file name", target.display()))?;
    let temp = parent.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let write = || -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        // The page holds what the logs hold (notes, ratings): readable by you only, as they are.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, target)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        anyhow!("cannot write {}: {e}", target.display())
    })
}

/// Hands the page to the desktop; a missing opener is a note, not a failure: the page
/// is written.
fn open(path: &Path) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let status = std::process::Command::new(opener)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => note(&format!(
            "{opener} could not open the page ({s}); open {} yourself",
            path.display()
        )),
        Err(e) => note(&format!(
            "cannot run {opener} ({e}); open {} yourself",
            path.display()
        )),
    }
}
