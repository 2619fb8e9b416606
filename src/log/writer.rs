//! Appends records to a new session log. Each record is written, flushed and synced
//! before the caller shows the event, so a session cut short by a crash, a kill or a
//! power cut keeps everything up to the cut. When a write fails (a full disk), records
//! wait in memory and go out with the next write that succeeds: the session goes on.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Local, SecondsFormat};

use super::{Body, Record};

pub struct LogWriter {
    sink: Box<dyn Sink>,
    path: PathBuf,
    /// The wall-clock moment the session's monotonic clock started: a record's `at` is
    /// this plus its `t`, so both say the same moment.
    started: DateTime<Local>,
    /// Complete lines not yet on disk because a write failed.
    pending: Vec<u8>,
    /// The length of the file up to its last complete record.
    good_len: u64,
}

/// Where records go: a file, or in tests a device that fails on purpose.
pub trait Sink: Send {
    /// Writes all of `bytes` and makes them durable (flush and sync).
    fn append(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Cuts the file back to `len` bytes, dropping a torn record.
    fn truncate(&mut self, len: u64) -> io::Result<()>;
}

impl Sink for File {
    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.write_all(bytes)?;
        self.flush()?;
        self.sync_data()
    }

    fn truncate(&mut self, len: u64) -> io::Result<()> {
        self.set_len(len)
    }
}

/// A write that did not reach the disk. The records are kept and retried.
#[derive(Debug)]
pub struct WriteTrouble {
    pub error: io::Error,
    pub waiting: usize,
}

impl LogWriter {
    /// Creates the log folder (owner-only) and a new file named by the local start time
    /// and the bank, never replacing an existing file.
    pub fn create(
        dir: &Path,
        bank_key: &str,
        started: DateTime<Local>,
    ) -> anyhow::Result<LogWriter> {
        create_private_dir(dir)
            .with_context(|| format!("cannot create the log folder {}", dir.display()))?;
        let stem = format!(
            "{}_{}",
            started.format("%Y-%m-%d_%H-%M-%S"),
            file_safe(bank_key)
        );
        for n in 1.. {
            let name = if n == 1 {
                format!("{stem}.jsonl")
            } else {
                format!("{stem}-{n}.jsonl")
            };
            let path = dir.join(name);
            match open_new(&path) {
                Ok(file) => return Ok(LogWriter::with_sink(Box::new(file), path, started)),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => continue,
                Err(e) => {
                    return Err(e).with_context(|| {
                        format!("cannot write a session log in {}", dir.display())
                    });
                }
            }
        }
        unreachable!("the loop returns")
    }

    /// A writer into any sink; `path` is what messages call it.
    pub fn with_sink(sink: Box<dyn Sink>, path: PathBuf, started: DateTime<Local>) -> LogWriter {
        LogWriter {
            sink,
            path,
            started,
            pending: Vec::new(),
            good_len: 0,
        }
    }

    /// Records that could not be written yet, as JSON lines.
    pub fn unsaved(&self) -> &[u8] {
        &self.pending
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one record, at `t` since the session started, and makes it durable.
    pub fn write(&mut self, t: Duration, body: &Body) -> Result<(), WriteTrouble> {
        self.stage(t, body);
        self.flush_pending()
    }

    /// The wall-clock moment of `t` since the session started.
    pub fn at(&self, t: Duration) -> DateTime<Local> {
        self.started + chrono::TimeDelta::from_std(t).unwrap_or_default()
    }

    /// The session's clock starts again from zero now (the person pressed Enter to begin):
    /// what follows is stamped from this moment.
    pub fn restart_clock(&mut self, now: DateTime<Local>) {
        self.started = now;
    }

    /// Queues a record to go out with the next [`flush_pending`](Self::flush_pending): the
    /// records of one moment are synced together, once.
    pub fn stage(&mut self, t: Duration, body: &Body) {
        /// A record as it is written, borrowing its body.
        #[derive(serde::Serialize)]
        struct Line<'a> {
            at: &'a str,
            t_ms: u64,
            #[serde(flatten)]
            body: &'a Body,
        }
        let at = self.at(t);
        let record = Line {
            at: &at.to_rfc3339_opts(SecondsFormat::Millis, false),
            t_ms: t.as_millis() as u64,
            body,
        };
        let line = serde_json::to_vec(&record).expect("records always serialize");
        self.pending.extend_from_slice(&line);
        self.pending.push(b'\n');
    }

    /// Tries again to write what is waiting; returns how it went.
    pub fn flush_pending(&mut self) -> Result<(), WriteTrouble> {
        if self.pending.is_empty() {
            return Ok(());
        }
        match self.sink.append(&self.pending) {
            Ok(()) => {
                self.good_len += self.pending.len() as u64;
                self.pending.clear();
                Ok(())
            }
            Err(error) => {
                // A write that fails half-way leaves part of a record on disk. Cut it off,
                // so what is on disk stays whole lines and the retry starts a fresh line.
                let _ = self.sink.truncate(self.good_len);
                let waiting = self.pending.iter().filter(|&&b| b == b'\n').count();
                Err(WriteTrouble { error, waiting })
            }
        }
    }
}

fn file_safe(key: &str) -> String {
    let safe: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if safe.is_empty() {
        "bank".to_string()
    } else {
        safe
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    if !dir.is_dir() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    // A folder that was already there is made private too: the logs hold notes. Only a
    // folder of one's own, and never a shared one like /tmp (sticky).
    use std::os::unix::fs::MetadataExt;
    let meta = fs::metadata(dir)?;
    let mode = meta.permissions().mode();
    // SAFETY: getuid has no preconditions and cannot fail.
    let mine = meta.uid() == unsafe { libc::getuid() };
    if mine && mode & 0o1000 == 0 && mode & 0o077 != 0 {
        fs::set_permissions(dir, fs::Permissions::from_mode(mode & 0o700))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

fn open_new(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.append(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    // Held while the session writes, and let go by the system however the process ends
    // (even by kill -9): review tells a session in progress from an interrupted one. A
    // file system without locks only loses that distinction.
    let _ = file.try_lock();
    Ok(file)
}

/// Why [`append_to`] could not add a record.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    #[error("a 'rehearse run' is still writing this log")]
    Busy,
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Adds one record to the end of a finished log (a choice made in review), under the lock
/// a running session holds, so it never lands between the records of a session still
/// being written. A log whose last line was torn by a crash gets a line end first, so the
/// new record is a line of its own.
pub fn append_to(path: &Path, record: &Record) -> Result<(), AppendError> {
    use std::io::{Read, Seek, SeekFrom};
    // Only the log itself: never through a link (to a file outside the folder), never a
    // pipe or a device.
    let mut options = OpenOptions::new();
    options.read(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        libc::O_NOFOLLOW | libc::O_NONBLOCK,
    );
    let mut file = options.open(path).map_err(|e| match e.raw_os_error() {
        #[cfg(unix)]
        Some(libc::ELOOP) => io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is a link, which is not followed",
        ),
        _ => e,
    })?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "it is not a file").into());
    }
    // The lock goes with the file when it is dropped.
    file.try_lock().map_err(|e| match e {
        std::fs::TryLockError::WouldBlock => AppendError::Busy,
        std::fs::TryLockError::Error(e) => AppendError::Io(e),
    })?;
    let mut line = Vec::new();
    if file.seek(SeekFrom::End(0))? > 0 {
        file.seek(SeekFrom::End(-1))?;
        let mut last = [0u8; 1];
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            line.push(b'\n');
        }
    }
    line.extend(serde_json::to_vec(record).expect("records always serialize"));
    line.push(b'\n');
    file.write_all(&line)?;
    file.sync_data()?;
    Ok(())
}

/// Some `rehearse run` still holds this log open to write it.
pub fn being_written(file: &File) -> bool {
    match file.try_lock_shared() {
        // Granted: nobody writes it; let go at once.
        Ok(()) => {
            let _ = file.unlock();
            false
        }
        Err(std::fs::TryLockError::WouldBlock) => true,
        Err(std::fs::TryLockError::Error(_)) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{At, Resumed};
    use chrono::TimeZone;

    fn started() -> DateTime<Local> {
        Local.with_ymd_and_hms(2026, 11, 25, 14, 3, 7).unwrap()
    }

    #[test]
    fn names_by_start_time_and_bank_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("a/b");
        let first = LogWriter::create(&logs, "my bank", started()).unwrap();
        let second = LogWriter::create(&logs, "my bank", started()).unwrap();
        assert_eq!(
            first.path().file_name().unwrap(),
            "2026-11-25_14-03-07_my-bank.jsonl"
        );
        assert_eq!(
            second.path().file_name().unwrap(),
            "2026-11-25_14-03-07_my-bank-2.jsonl"
        );
    }

    #[cfg(unix)]
    #[test]
    fn logs_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("sessions");
        let writer = LogWriter::create(&logs, "b", started()).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&logs), 0o700);
        assert_eq!(mode(writer.path()), 0o600);
    }

    #[test]
    fn each_record_is_on_disk_once_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = LogWriter::create(dir.path(), "b", started()).unwrap();
        writer
            .write(Duration::from_millis(1500), &Body::TimeUp(At { index: 1 }))
            .unwrap();
        writer
            .write(Duration::from_millis(1600), &Body::Paused(At { index: 1 }))
            .unwrap();
        let text = fs::read_to_string(writer.path()).unwrap();
        let records: Vec<Record> = text.lines().map(|l| Record::parse(l).unwrap()).collect();
        assert_eq!(records.len(), 2);
        assert_eq!(
            (records[0].t_ms, &records[1].body),
            (1500, &Body::Paused(At { index: 1 }))
        );
        assert!(DateTime::parse_from_rfc3339(&records[0].at).is_ok());
    }

    /// A disk that fills up: the first `fail` appends write half their bytes and fail.
    struct FullDisk {
        data: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
        fail: usize,
    }

    impl Sink for FullDisk {
        fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
            let mut data = self.data.lock().unwrap();
            if self.fail > 0 {
                self.fail -= 1;
                data.extend_from_slice(&bytes[..bytes.len() / 2]);
                return Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"));
            }
            data.extend_from_slice(bytes);
            Ok(())
        }

        fn truncate(&mut self, len: u64) -> io::Result<()> {
            self.data.lock().unwrap().truncate(len as usize);
            Ok(())
        }
    }

    #[test]
    fn a_full_disk_keeps_records_in_memory_and_writes_them_when_space_returns() {
        let data = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = FullDisk {
            data: std::sync::Arc::clone(&data),
            fail: 2,
        };
        let mut writer = LogWriter::with_sink(Box::new(sink), "log".into(), started());
        writer
            .write(Duration::from_millis(1), &Body::Paused(At { index: 1 }))
            .unwrap_err();
        let trouble = writer
            .write(Duration::from_millis(2), &Body::TimeUp(At { index: 1 }))
            .unwrap_err();
        assert_eq!(trouble.waiting, 2);
        assert!(data.lock().unwrap().is_empty(), "torn records are cut off");
        assert_eq!(writer.unsaved().iter().filter(|&&b| b == b'\n').count(), 2);
        writer
            .write(
                Duration::from_millis(3),
                &Body::Resumed(Resumed {
                    index: 1,
                    paused_ms: 2,
                }),
            )
            .unwrap();
        assert!(writer.unsaved().is_empty());
        let text = String::from_utf8(data.lock().unwrap().clone()).unwrap();
        let t: Vec<u64> = text
            .lines()
            .map(|l| Record::parse(l).unwrap().t_ms)
            .collect();
        assert_eq!(t, [1, 2, 3]);
    }

    #[test]
    fn a_file_in_the_way_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("sessions");
        fs::write(&blocker, "").unwrap();
        let err = LogWriter::create(&blocker, "b", started()).err().unwrap();
        assert!(
            format!("{err:#}").contains("cannot create the log folder"),
            "{err:#}"
        );
    }
}
