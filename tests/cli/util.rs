//! The one way tests start `rehearse`: a clean environment, a temporary home, data and
//! log folders, and helpers to read the logs back.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub struct Env {
    pub dir: TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn data_dir(&self) -> PathBuf {
        self.path().join("data")
    }

    pub fn log_dir(&self) -> PathBuf {
        self.data_dir().join("sessions")
    }

    /// `rehearse` with nothing inherited but PATH.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("rehearse").expect("the binary is built");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("REHEARSE_DATA_DIR", self.data_dir())
            .current_dir(self.path());
        cmd
    }

    /// The same clean environment for a process the test starts and stops itself.
    pub fn spawn_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("rehearse"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("REHEARSE_DATA_DIR", self.data_dir())
            .current_dir(self.path());
        cmd
    }

    /// Waits (up to 10 s) until the only log has a record of `event`.
    pub fn wait_for_event(&self, event: &str) -> Vec<Value> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            if let Some(log) = self.logs().first() {
                let text = std::fs::read_to_string(log).unwrap_or_default();
                let records: Vec<Value> = text
                    .lines()
                    .filter_map(|l| serde_json::from_str(l).ok())
                    .collect();
                if records.iter().any(|r| r["event"] == event) {
                    return records;
                }
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no {event} record within 10 s"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path().join(name);
        std::fs::write(&path, text).expect("write a fixture");
        path
    }

    /// Session logs, oldest first.
    pub fn logs(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(self.log_dir()) else {
            return Vec::new();
        };
        let mut logs: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
            .collect();
        logs.sort();
        logs
    }

    /// The records of the only session log.
    pub fn only_log(&self) -> Vec<Value> {
        let logs = self.logs();
        assert_eq!(logs.len(), 1, "expected one session log, found {logs:?}");
        records(&logs[0])
    }
}

pub fn records(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .expect("read the log")
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}")))
        .collect()
}

/// The records of one event type.
pub fn events<'a>(records: &'a [Value], event: &str) -> Vec<&'a Value> {
    records.iter().filter(|r| r["event"] == event).collect()
}
