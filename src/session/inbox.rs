//! Everything that can wake the run loop arrives here, in one queue: keys from the
//! terminal, command lines from a pipe, resizes and signals. Each source is a thread of
//! its own that only forwards; the runner sleeps on the queue until the next deadline, so
//! a quiet countdown costs no wake-ups at all.

use std::io::BufRead;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use crossterm::event::{self, Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// One key as the person pressed it; what it means depends on the moment (see `keys`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Press {
    Char(char),
    /// Ctrl and a letter.
    Ctrl(char),
    Enter,
    Esc,
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wake {
    Press(Press),
    /// A whole command line from a pipe.
    Line(String),
    /// The input ended: nobody can press keys any more.
    Closed,
    Resized,
    /// The process was stopped and continued (`fg`).
    Continued,
    Signal(i32),
    /// What a part of the session found out on a thread of its own (the voice finished
    /// reading, a recording was measured), for the engine.
    Input(super::Input),
}

pub struct Inbox {
    tx: Sender<Wake>,
    rx: Receiver<Wake>,
    /// Wake-ups taken out early (while the parts got ready), handed out first.
    held: std::cell::RefCell<std::collections::VecDeque<Wake>>,
}

impl Default for Inbox {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel();
        Inbox {
            tx,
            rx,
            held: Default::default(),
        }
    }
}

impl Inbox {
    /// A handle for a source to post with.
    pub fn sender(&self) -> Sender<Wake> {
        self.tx.clone()
    }

    /// The next wake-up, waiting at most `timeout` (`None`: as long as it takes).
    pub fn wait(&self, timeout: Option<Duration>) -> Option<Wake> {
        if let Some(wake) = self.held.borrow_mut().pop_front() {
            return Some(wake);
        }
        self.wait_new(timeout)
    }

    /// The next wake-up that was not held back.
    pub fn wait_new(&self, timeout: Option<Duration>) -> Option<Wake> {
        match timeout {
            None => self.rx.recv().ok(),
            Some(t) => self.rx.recv_timeout(t).ok(),
        }
    }

    /// Keeps a wake-up for later: [`Inbox::wait`] hands it out before anything newer.
    pub fn hold(&self, wake: Wake) {
        self.held.borrow_mut().push_back(wake);
    }
}

/// Forwards standard input line by line; the end of it is `Closed`.
pub fn read_lines(tx: Sender<Wake>) {
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if tx.send(Wake::Line(line)).is_err() {
                return;
            }
        }
        let _ = tx.send(Wake::Closed);
    });
}

/// Forwards single key presses from the terminal (which must be in raw mode). A terminal
/// that went away (its window closed) is reported as SIGHUP, the way the kernel reports it
/// to the foreground; crossterm is only asked to read when there is something to read,
/// since on a hung-up terminal it would spin on end-of-file.
pub fn read_keys(tx: Sender<Wake>) {
    std::thread::spawn(move || {
        loop {
            let ready = event::poll(Duration::ZERO).unwrap_or(false) || stdin_ready(&tx);
            if !ready {
                continue;
            }
            let wake = match event::read() {
                Ok(TermEvent::Key(key)) if key.kind != KeyEventKind::Release => {
                    press(key).map(Wake::Press)
                }
                Ok(TermEvent::Resize(..)) => Some(Wake::Resized),
                Ok(_) => None,
                Err(_) => return,
            };
            if let Some(wake) = wake
                && tx.send(wake).is_err()
            {
                return;
            }
        }
    });
}

/// Waits for the terminal to have input; on a hang-up, says so and never returns.
#[cfg(unix)]
fn stdin_ready(tx: &Sender<Wake>) -> bool {
    let mut fds = [libc::pollfd {
        fd: std::os::fd::AsRawFd::as_raw_fd(&std::io::stdin()),
        events: libc::POLLIN,
        revents: 0,
    }];
    // SAFETY: one valid pollfd, owned here, for the duration of the call.
    // Not forever: crossterm learns of a resize only while it is asked for events, so
    // the loop comes back to it a few times a second.
    let n = unsafe { libc::poll(fds.as_mut_ptr(), 1, 200) };
    if n > 0 && fds[0].revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        let _ = tx.send(Wake::Signal(libc::SIGHUP));
        loop {
            std::thread::park();
        }
    }
    n > 0
}

/// Windows: crossterm waits on the console itself; a closed console ends the process.
#[cfg(not(unix))]
fn stdin_ready(_tx: &Sender<Wake>) -> bool {
    event::poll(Duration::from_secs(3600)).unwrap_or(false)
}

fn press(key: KeyEvent) -> Option<Press> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char(c) if ctrl => Press::Ctrl(c.to_ascii_lowercase()),
        KeyCode::Char(c) => Press::Char(c),
        KeyCode::Enter => Press::Enter,
        KeyCode::Esc => Press::Esc,
        KeyCode::Backspace => Press::Backspace,
        KeyCode::Delete => Press::Delete,
        KeyCode::Left => Press::Left,
        KeyCode::Right => Press::Right,
        KeyCode::Home => Press::Home,
        KeyCode::End => Press::End,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presses_keep_what_was_typed() {
        let key = |code, m| press(KeyEvent::new(code, m));
        assert_eq!(
            key(KeyCode::Char('C'), KeyModifiers::CONTROL),
            Some(Press::Ctrl('c'))
        );
        assert_eq!(
            key(KeyCode::Char('q'), KeyModifiers::NONE),
            Some(Press::Char('q'))
        );
        assert_eq!(key(KeyCode::F(1), KeyModifiers::NONE), None);
    }

    #[test]
    fn the_inbox_waits_as_told() {
        let inbox = Inbox::default();
        assert_eq!(inbox.wait(Some(Duration::from_millis(1))), None);
        inbox.sender().send(Wake::Closed).unwrap();
        assert_eq!(inbox.wait(None), Some(Wake::Closed));
    }
}
