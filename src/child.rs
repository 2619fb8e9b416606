//! Runs a program of the person's own (a voice, a transcriber): directly, never through a
//! shell, in a process group of its own, with a timeout and a cap on what it writes. When
//! it ends, is stopped or runs out of time, the whole group is killed before the child is
//! reaped, so nothing it started outlives it and the group cannot be confused with
//! another; one still running when the program must leave at once is ended by
//! [`end_all`].

use std::ffi::OsString;
use std::io::{Read, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How a run went wrong.
#[derive(Debug)]
pub enum RunError {
    /// The program is not installed (not on `PATH`).
    NotFound,
    /// It did not end within the timeout, and was killed.
    TimedOut,
    /// It wrote more than [`Job::most_output`] on its standard output, and was killed.
    TooMuch,
    /// It was stopped while it ran ([`Job::stop`]: the session ended), and was killed.
    Stopped,
    /// It could not be started or talked to.
    Io(std::io::Error),
}

/// What a program that ended said.
#[derive(Debug)]
pub struct Ran {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    /// The first of what it wrote on standard error, to explain a failure.
    pub stderr: String,
}

/// How often a running program is looked at.
const LOOK: Duration = Duration::from_millis(2);

/// The process groups of the programs running now, so that a way out that cannot wait
/// for them (a second Ctrl-C) still ends them.
static RUNNING: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// What to run a program with.
pub struct Job<'a> {
    /// Variables added to its environment.
    pub env: &'a [(&'a str, &'a str)],
    /// Its standard input; none: nothing to read.
    pub stdin: Option<&'a str>,
    pub timeout: Duration,
    /// Standard output beyond this ends it, as [`RunError::TooMuch`].
    pub most_output: u64,
    /// Says when to give up at once.
    pub stop: &'a dyn Fn() -> bool,
}

/// Runs `argv` as `job` says.
pub fn run(argv: &[OsString], job: &Job) -> Result<Ran, RunError> {
    let mut command = Command::new(&argv[0]);
    command
        .args(&argv[1..])
        .envs(job.env.iter().copied())
        .stdin(if job.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A group of its own, so a hanging command is killed with whatever it started.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = {
        // Held while it starts, so that `end_all` never misses one being started.
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        let child = command.spawn().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => RunError::NotFound,
            _ => RunError::Io(e),
        })?;
        running.push(child.id());
        child
    };
    if let (Some(mut pipe), Some(text)) = (child.stdin.take(), job.stdin) {
        let text = text.to_string();
        // A program that does not read it ends the pipe: that is not an error here.
        std::thread::spawn(move || {
            let _ = pipe.write_all(text.as_bytes());
        });
    }
    let stdout = read_all(child.stdout.take(), job.most_output, true);
    let stderr = read_all(child.stderr.take(), 4096, false);
    let started = Instant::now();
    let mut out = None;
    let outcome = loop {
        if has_ended(&mut child).map_err(RunError::Io)? {
            break Ok(());
        }
        if out.is_none() {
            match stdout.try_recv() {
                Ok(Err(TooMuch)) => break Err(RunError::TooMuch),
                Ok(Ok(bytes)) => out = Some(bytes),
                Err(_) => {}
            }
        }
        if (job.stop)() {
            break Err(RunError::Stopped);
        }
        if started.elapsed() >= job.timeout {
            break Err(RunError::TimedOut);
        }
        std::thread::sleep(LOOK);
    };
    // Whatever it left running goes too: nothing of it outlives the question. Its group
    // is killed while it is not yet reaped, so its id cannot be another's.
    kill_group(&mut child);
    RUNNING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .retain(|&id| id != child.id());
    let status = child.wait().map_err(RunError::Io)?;
    outcome?;
    let collect = |rx: &mpsc::Receiver<Result<Vec<u8>, TooMuch>>| {
        rx.recv_timeout(Duration::from_secs(1)).ok()
    };
    let stdout = match out.map(Ok).or_else(|| collect(&stdout)) {
        Some(Err(TooMuch)) => return Err(RunError::TooMuch),
        Some(Ok(bytes)) => bytes,
        None => Vec::new(),
    };
    let stderr = collect(&stderr).and_then(Result::ok).unwrap_or_default();
    Ok(Ran {
        status,
        stdout,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    })
}

/// Ends every program still running, with all it started: for a way out that cannot
/// wait (a second Ctrl-C).
pub fn end_all() {
    let running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
    for &id in running.iter() {
        #[cfg(unix)]
        // SAFETY: kill(2) on a group whose leader is not reaped yet (`run` takes it off
        // this list first), so the id is still its own.
        unsafe {
            libc::kill(-(id as libc::pid_t), libc::SIGKILL);
        }
        #[cfg(not(unix))]
        let _ = id;
    }
}

/// More was written than the job allows.
#[derive(Debug)]
struct TooMuch;

/// Reads a pipe to its end on a thread of its own, keeping at most `limit` bytes: past
/// them, reading stops and `TooMuch` says so if `strict` (standard output), else the rest
/// is read and dropped, so the writer is never blocked (standard error).
fn read_all<R: Read + Send + 'static>(
    pipe: Option<R>,
    limit: u64,
    strict: bool,
) -> mpsc::Receiver<Result<Vec<u8>, TooMuch>> {
    let (tx, rx) = mpsc::channel();
    if let Some(pipe) = pipe {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let mut pipe = pipe.take(limit + 1);
            let _ = pipe.read_to_end(&mut bytes);
            if bytes.len() as u64 > limit && strict {
                let _ = tx.send(Err(TooMuch));
                return;
            }
            bytes.truncate(limit as usize);
            let _ = std::io::copy(pipe.get_mut(), &mut std::io::sink());
            let _ = tx.send(Ok(bytes));
        });
    }
    rx
}

/// Whether the child has ended, without reaping it: until it is reaped its id (and its
/// group's) stays its own.
#[cfg(unix)]
fn has_ended(child: &mut std::process::Child) -> std::io::Result<bool> {
    // SAFETY: waitid only writes into the struct we own; WNOWAIT leaves the child to be
    // reaped by `Child::wait`.
    unsafe {
        let mut info: libc::siginfo_t = std::mem::zeroed();
        let flags = libc::WEXITED | libc::WNOHANG | libc::WNOWAIT;
        if libc::waitid(libc::P_PID, child.id() as libc::id_t, &mut info, flags) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(info.si_pid() != 0)
    }
}

#[cfg(not(unix))]
fn has_ended(child: &mut std::process::Child) -> std::io::Result<bool> {
    Ok(child.try_wait()?.is_some())
}

#[cfg(unix)]
fn kill_group(child: &mut std::process::Child) {
    // SAFETY: kill(2) on the process group this child leads (its id, set above); the
    // child is not reaped yet, so the id is still its own.
    unsafe {
        libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL);
    }
}

#[cfg(not(unix))]
fn kill_group(child: &mut std::process::Child) {
    let _ = child.kill();
}
