//! What the person does during a session: single keys on a terminal, or command lines
//! from a pipe. Both end up as [`Key`]s for the run loop; neither knows about the engine.

use std::io::BufRead;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use crossterm::event::{self, Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::coach::Typed;
use crate::session::Input;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Input(Input),
    Help,
    /// The terminal changed size: redraw.
    Resized,
}

pub trait Keys {
    /// Waits up to `timeout` for the next key; `None` when the time passed quietly.
    fn wait(&mut self, timeout: Duration) -> anyhow::Result<Option<Key>>;
    /// Like `wait`, for typing: characters as they are (the review step).
    fn wait_typed(&mut self, timeout: Duration) -> anyhow::Result<Option<Typed>>;
}

/// Single key presses from the terminal (it must be in raw mode; see `terminal`).
#[derive(Default)]
pub struct TerminalKeys {
    hung_up: bool,
}

impl TerminalKeys {
    /// Waits for the terminal to have input. A terminal that went away (its window
    /// closed) is reported as SIGHUP, the way the kernel reports it to the foreground: the
    /// run loop then ends the session cleanly. crossterm is only asked to read when there
    /// is something to read, since on a hung-up terminal it would spin on end-of-file.
    fn ready(&mut self, timeout: Duration) -> bool {
        if self.hung_up {
            std::thread::sleep(timeout);
            return false;
        }
        // Hung up? Then never call crossterm again. Otherwise it may hold keys it has
        // already read, and those come first.
        if self.poll_stdin(Duration::ZERO) == Some(false) {
            return false;
        }
        if event::poll(Duration::ZERO).unwrap_or(false) {
            return true;
        }
        self.poll_stdin(timeout).unwrap_or(false)
    }

    /// `Some(true)`: input waiting; `Some(false)`: the terminal hung up; `None`: nothing
    /// within `timeout`.
    #[cfg(unix)]
    fn poll_stdin(&mut self, timeout: Duration) -> Option<bool> {
        let mut fds = [libc::pollfd {
            fd: std::os::fd::AsRawFd::as_raw_fd(&std::io::stdin()),
            events: libc::POLLIN,
            revents: 0,
        }];
        // SAFETY: one valid pollfd, owned here, for the duration of the call.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), 1, poll_millis(timeout)) };
        if n <= 0 {
            return None;
        }
        if fds[0].revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
            self.hung_up = true;
            // SAFETY: raising a signal this process handles (see `signals`).
            unsafe {
                libc::raise(libc::SIGHUP);
            }
            return Some(false);
        }
        Some(true)
    }

    /// Windows: crossterm waits on the console itself; a closed console ends the process.
    #[cfg(not(unix))]
    fn poll_stdin(&mut self, timeout: Duration) -> Option<bool> {
        event::poll(timeout).ok().filter(|&ready| ready)
    }
}

/// A timeout for `poll`, in whole milliseconds rounded up: rounded down, a wait for a
/// deadline 99.6 ms away would end 0.6 ms early and the run loop would then spin on
/// zero-length polls until the deadline came.
#[cfg_attr(not(unix), allow(dead_code))]
fn poll_millis(timeout: Duration) -> i32 {
    timeout.as_nanos().div_ceil(1_000_000).min(i32::MAX as u128) as i32
}

impl Keys for TerminalKeys {
    fn wait(&mut self, timeout: Duration) -> anyhow::Result<Option<Key>> {
        if !self.ready(timeout) || !event::poll(Duration::ZERO)? {
            return Ok(None);
        }
        Ok(match event::read()? {
            TermEvent::Key(key) if key.kind != KeyEventKind::Release => map_key(key),
            TermEvent::Resize(..) => Some(Key::Resized),
            _ => None,
        })
    }

    fn wait_typed(&mut self, timeout: Duration) -> anyhow::Result<Option<Typed>> {
        if !self.ready(timeout) || !event::poll(Duration::ZERO)? {
            return Ok(None);
        }
        Ok(match event::read()? {
            TermEvent::Key(key) if key.kind != KeyEventKind::Release => typed_key(key),
            _ => None,
        })
    }
}

fn typed_key(key: KeyEvent) -> Option<Typed> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('c') if ctrl => Typed::Cancel,
        KeyCode::Char(c) if !ctrl => Typed::Char(c),
        KeyCode::Enter => Typed::Enter,
        KeyCode::Backspace => Typed::Backspace,
        KeyCode::Esc => Typed::Cancel,
        _ => return None,
    })
}

fn map_key(key: KeyEvent) -> Option<Key> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('c') if ctrl => Key::Input(Input::Quit),
        KeyCode::Enter | KeyCode::Char('n') => Key::Input(Input::Next),
        KeyCode::Char('s') => Key::Input(Input::Skip),
        KeyCode::Char(' ' | 'p') => Key::Input(Input::TogglePause),
        KeyCode::Char('q') | KeyCode::Esc => Key::Input(Input::Quit),
        KeyCode::Char('+' | '=') => Key::Input(Input::MoreTime),
        KeyCode::Char('-' | '_') => Key::Input(Input::LessTime),
        KeyCode::Char('?' | 'h') => Key::Help,
        _ => return None,
    })
}

/// Commands as lines from standard input. When the input ends nobody can press keys any
/// more, so the session is told to go on hands-free.
pub struct LineKeys {
    lines: Receiver<Option<String>>,
    closed: bool,
    /// The session was told that the input ended.
    told: bool,
}

impl LineKeys {
    pub fn from_stdin() -> LineKeys {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let stdin = std::io::stdin();
            for line in stdin.lock().lines() {
                match line {
                    Ok(line) => {
                        if tx.send(Some(line)).is_err() {
                            return;
                        }
                    }
                    Err(_) => break,
                }
            }
            let _ = tx.send(None);
        });
        LineKeys {
            lines: rx,
            closed: false,
            told: false,
        }
    }
}

impl Keys for LineKeys {
    fn wait(&mut self, timeout: Duration) -> anyhow::Result<Option<Key>> {
        if self.closed {
            // The end may have been seen while typing; the session still has to hear it.
            if !self.told {
                self.told = true;
                return Ok(Some(Key::Input(Input::Auto)));
            }
            std::thread::sleep(timeout);
            return Ok(None);
        }
        match self.lines.recv_timeout(timeout) {
            Ok(Some(line)) => Ok(parse_line(&line)),
            Ok(None) | Err(RecvTimeoutError::Disconnected) => {
                self.closed = true;
                self.told = true;
                Ok(Some(Key::Input(Input::Auto)))
            }
            Err(RecvTimeoutError::Timeout) => Ok(None),
        }
    }

    fn wait_typed(&mut self, timeout: Duration) -> anyhow::Result<Option<Typed>> {
        if self.closed {
            return Ok(Some(Typed::Closed));
        }
        match self.lines.recv_timeout(timeout) {
            Ok(Some(line)) => Ok(Some(Typed::Line(line))),
            Ok(None) | Err(RecvTimeoutError::Disconnected) => {
                self.closed = true;
                Ok(Some(Typed::Closed))
            }
            Err(RecvTimeoutError::Timeout) => Ok(None),
        }
    }
}

/// One command line: empty or `n` next, `s` skip, `p` pause, `q` quit, `+`/`-` time.
pub fn parse_line(line: &str) -> Option<Key> {
    Some(match line.trim().to_ascii_lowercase().as_str() {
        "" | "n" | "next" => Key::Input(Input::Next),
        "s" | "skip" => Key::Input(Input::Skip),
        "p" | "pause" | "resume" => Key::Input(Input::TogglePause),
        "q" | "quit" => Key::Input(Input::Quit),
        "+" => Key::Input(Input::MoreTime),
        "-" => Key::Input(Input::LessTime),
        "?" | "help" => Key::Help,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_inputs() {
        let key = |code| map_key(KeyEvent::new(code, KeyModifiers::NONE));
        assert_eq!(key(KeyCode::Enter), Some(Key::Input(Input::Next)));
        assert_eq!(
            key(KeyCode::Char(' ')),
            Some(Key::Input(Input::TogglePause))
        );
        assert_eq!(key(KeyCode::Esc), Some(Key::Input(Input::Quit)));
        assert_eq!(key(KeyCode::Char('?')), Some(Key::Help));
        assert_eq!(key(KeyCode::Char('x')), None);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(map_key(ctrl_c), Some(Key::Input(Input::Quit)));
    }

    #[test]
    fn poll_waits_are_rounded_up_to_whole_milliseconds() {
        let cases = [
            (Duration::ZERO, 0),
            (Duration::from_nanos(1), 1),
            (Duration::from_micros(99_600), 100),
            (Duration::from_millis(100), 100),
            (Duration::from_secs(u64::MAX), i32::MAX),
        ];
        for (timeout, millis) in cases {
            assert_eq!(poll_millis(timeout), millis, "{timeout:?}");
        }
    }

    #[test]
    fn lines_map_to_inputs() {
        assert_eq!(parse_line(""), Some(Key::Input(Input::Next)));
        assert_eq!(parse_line(" S "), Some(Key::Input(Input::Skip)));
        assert_eq!(parse_line("q"), Some(Key::Input(Input::Quit)));
        assert_eq!(parse_line("what"), None);
    }
}
