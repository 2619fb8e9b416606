//! The one way tests start `rehearse`: a clean environment, a temporary home, data and
//! log folders, and helpers to read the logs back.

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, Instant};

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

    /// `rehearse` with nothing inherited but PATH, on the virtual clock: a scripted
    /// session runs in milliseconds, with exact times.
    pub fn cmd(&self) -> Command {
        let mut cmd = self.real_clock_cmd();
        cmd.env("REHEARSE_VIRTUAL_CLOCK", "1");
        cmd
    }

    /// The same, on the real clock, for what must happen in real time (sound).
    pub fn real_clock_cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("rehearse").expect("the binary is built");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("REHEARSE_DATA_DIR", self.data_dir())
            .current_dir(self.path());
        cmd
    }

    /// A shell command that runs `rehearse run ARGS` in this clean environment.
    pub fn shell_run(&self, args: &str) -> String {
        format!(
            "cd {} && {} {} run {args}",
            self.path().display(),
            self.clean_shell_env(),
            assert_cmd::cargo::cargo_bin("rehearse").display()
        )
    }

    /// The start of a shell command that runs a program in the same clean environment,
    /// for tmux, whose server would otherwise pass on the developer's own.
    pub fn clean_shell_env(&self) -> String {
        format!(
            "env -i PATH='{}' HOME='{dir}' TERM=xterm-256color REHEARSE_DATA_DIR='{dir}/data'",
            std::env::var("PATH").unwrap_or_default(),
            dir = self.path().display()
        )
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
        logs_in(&self.log_dir())
    }

    /// A folder for session logs in memory (/dev/shm), where there is one. A cue sounds
    /// once its record is synced to disk, and on a disk busy with other programs' writes
    /// one sync can take a fifth of a second: a test of sound keeps the disk out of it.
    pub fn memory_log_dir(&self) -> TempDir {
        tempfile::Builder::new()
            .prefix("rehearse-test-logs")
            .tempdir_in("/dev/shm")
            .or_else(|_| tempfile::tempdir_in(self.path()))
            .expect("a folder for logs")
    }

    /// The records of the only session log.
    pub fn only_log(&self) -> Vec<Value> {
        let logs = self.logs();
        assert_eq!(logs.len(), 1, "expected one session log, found {logs:?}");
        records(&logs[0])
    }
}

pub struct Tmux {
    pub socket: String,
}

impl Tmux {
    /// Starts `command` in a 100 x 30 pane. Without tmux the test fails, naming the package.
    pub fn start(dir: &Path, command: &str) -> Tmux {
        assert!(
            Process::new("tmux").arg("-V").output().is_ok(),
            "tmux is not installed, and this test needs it: apt-get install tmux"
        );
        let socket = dir.join("tmux.sock").display().to_string();
        let status = Process::new("tmux")
            .args([
                "-S",
                &socket,
                "new-session",
                "-d",
                "-x",
                "100",
                "-y",
                "30",
                command,
            ])
            .status()
            .expect("start tmux");
        assert!(status.success());
        Tmux { socket }
    }

    /// Starts `command` (a session) and presses Enter at its ready line.
    pub fn started(dir: &Path, command: &str) -> Tmux {
        let tmux = Tmux::start(dir, command);
        tmux.wait_for("Ready? Press Enter");
        tmux.keys(&["Enter"]);
        tmux
    }

    pub fn screen(&self) -> String {
        let out = Process::new("tmux")
            .args(["-S", &self.socket, "capture-pane", "-p"])
            .output()
            .expect("capture the pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn keys(&self, keys: &[&str]) {
        Process::new("tmux")
            .args(["-S", &self.socket, "send-keys"])
            .args(keys)
            .status()
            .expect("send keys");
    }

    /// The program the pane runs (the shell's child, or the shell's own process when it
    /// ran nothing else).
    pub fn program_pid(&self) -> u32 {
        let out = Process::new("tmux")
            .args(["-S", &self.socket, "list-panes", "-F", "#{pane_pid}"])
            .output()
            .expect("list the panes");
        let shell = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"))
            .unwrap_or_default();
        children
            .split_whitespace()
            .next()
            .unwrap_or(&shell)
            .parse()
            .expect("a process id")
    }

    /// Waits up to 10 s for the screen to show `text`.
    pub fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {text:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Process::new("tmux")
            .args(["-S", &self.socket, "kill-server"])
            .status();
    }
}

/// How many times the thread of `pid` named `name` has gone to sleep and been woken
/// (`main`: the process's first thread, where the run loop is).
pub fn thread_wakeups(pid: u32, name: &str) -> u64 {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).expect("the process runs");
    for task in tasks.flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        let main = name == "main" && task.file_name().to_str() == Some(&pid.to_string());
        if comm.trim() != name && !main {
            continue;
        }
        let status = std::fs::read_to_string(task.path().join("status")).unwrap_or_default();
        return status
            .lines()
            .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
            .and_then(|n| n.trim().parse().ok())
            .expect("a count of context switches");
    }
    panic!("process {pid} has no thread named {name:?}");
}

/// The session logs in `dir`, oldest first.
pub fn logs_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
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

/// Files the command writes may grow to `bytes` and no further, as on a full disk.
/// rehearse ignores the SIGXFSZ a write past the limit raises, so the write just fails.
pub fn limit_file_size(cmd: &mut std::process::Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// A small disk (tmpfs) mounted over a folder while it lives: a disk that really fills up.
/// Mounting needs root, which the CI machine has.
pub struct SmallDisk {
    dir: PathBuf,
}

impl SmallDisk {
    pub fn mount(dir: &Path, kib: u64) -> SmallDisk {
        std::fs::create_dir_all(dir).expect("make the mount point");
        let out = Process::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={kib}k,mode=700"),
                "tmpfs",
            ])
            .arg(dir)
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "this test mounts a {kib} KiB tmpfs, which needs root (CI runs as root): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        SmallDisk {
            dir: dir.to_path_buf(),
        }
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Process::new("umount").arg("-l").arg(&self.dir).status();
    }
}

/// The command may map at most `bytes` of memory: a program that tries to hold far more
/// (a sound decoded whole that unpacks to gigabytes) fails at once instead of slowly
/// taking the machine's memory.
pub fn limit_memory(cmd: &mut std::process::Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}
