//! What the person does during a session: single keys on a terminal, or command lines
//! from a pipe. Both end up as [`Key`]s for the run loop; neither knows about the engine.

use std::io::BufRead;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use crossterm::event::{self, Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

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
}

/// Single key presses from the terminal (it must be in raw mode; see `terminal`).
pub struct TerminalKeys;

impl Keys for TerminalKeys {
    fn wait(&mut self, timeout: Duration) -> anyhow::Result<Option<Key>> {
        if !event::poll(timeout)? {
            return Ok(None);
        }
        Ok(match event::read()? {
            TermEvent::Key(key) if key.kind != KeyEventKind::Release => map_key(key),
            TermEvent::Resize(..) => Some(Key::Resized),
            _ => None,
        })
    }
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
        }
    }
}

impl Keys for LineKeys {
    fn wait(&mut self, timeout: Duration) -> anyhow::Result<Option<Key>> {
        if self.closed {
            std::thread::sleep(timeout);
            return Ok(None);
        }
        match self.lines.recv_timeout(timeout) {
            Ok(Some(line)) => Ok(parse_line(&line)),
            Ok(None) | Err(RecvTimeoutError::Disconnected) => {
                self.closed = true;
                Ok(Some(Key::Input(Input::Auto)))
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
    fn lines_map_to_inputs() {
        assert_eq!(parse_line(""), Some(Key::Input(Input::Next)));
        assert_eq!(parse_line(" S "), Some(Key::Input(Input::Skip)));
        assert_eq!(parse_line("q"), Some(Key::Input(Input::Quit)));
        assert_eq!(parse_line("what"), None);
    }
}
