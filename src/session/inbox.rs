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

#[derive(Debug, Clone, PartialEq)]
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
    /// A part has something new to show (a warning, another level on the meter): the
    /// screen is drawn again, nothing else happens.
    News,
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

/// The thread that forwards key presses; dropping this wakes the thread, which ends (the
/// session is over and the terminal goes back to the shell, which must get what is typed
/// next). It is not waited for: on a terminal that hung up, crossterm may never return.
pub struct KeyReader {
    /// Closing this end wakes the thread.
    #[cfg(unix)]
    _stop: Option<std::os::unix::net::UnixStream>,
}

/// Forwards single key presses from the terminal (which must be in raw mode). The thread
/// sleeps until the terminal has input or the reader is dropped: a countdown nobody
/// touches costs it no wake-ups. (Resizes come as SIGWINCH, through the signals.) A
/// terminal that went away (its window closed) is reported as SIGHUP, the way the kernel
/// reports it to the foreground; crossterm is only asked to read when there is something
/// to read, since on a hung-up terminal it would spin on end-of-file.
pub fn read_keys(tx: Sender<Wake>) -> KeyReader {
    #[cfg(unix)]
    let (stop, stopped) = match std::os::unix::net::UnixStream::pair() {
        Ok((stop, stopped)) => (Some(stop), Some(stopped)),
        Err(_) => (None, None),
    };
    #[cfg(not(unix))]
    let stopped = None::<()>;
    let _ = std::thread::Builder::new()
        .name("keys".into())
        .spawn(move || {
            loop {
                // crossterm may hold keys it has read but not handed out yet: then only
                // look, without waiting, whether the reader was stopped or the terminal
                // hung up (crossterm would spin on it).
                let held = event::poll(Duration::ZERO).unwrap_or(false);
                if let Ready::Stop = stdin_ready(&tx, stopped.as_ref(), !held) {
                    return;
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
    KeyReader {
        #[cfg(unix)]
        _stop: stop,
    }
}

/// What woke the key reader.
enum Ready {
    /// There may be a key to read.
    Input,
    /// The reader was dropped, or the terminal hung up (said once, as SIGHUP).
    Stop,
}

/// Waits (if `wait`, as long as it takes) for the terminal to have input or for `stopped`
/// to close.
#[cfg(unix)]
fn stdin_ready(
    tx: &Sender<Wake>,
    stopped: Option<&std::os::unix::net::UnixStream>,
    wait: bool,
) -> Ready {
    use std::os::fd::AsRawFd;
    let watch = |fd| libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // Without a stop pipe (none could be made) the reader lives as long as the process.
    let mut fds = [
        watch(std::io::stdin().as_raw_fd()),
        watch(stopped.map_or(-1, |s| s.as_raw_fd())),
    ];
    loop {
        // SAFETY: two valid pollfds, owned here, for the duration of the call; a negative
        // fd is ignored by poll.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, if wait { -1 } else { 0 }) };
        if n < 0 {
            // Interrupted by a signal: wait again.
            continue;
        }
        if fds[1].revents != 0 {
            return Ready::Stop;
        }
        if fds[0].revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
            let _ = tx.send(Wake::Signal(libc::SIGHUP));
            return Ready::Stop;
        }
        return Ready::Input;
    }
}

/// Windows: crossterm waits on the console itself; a closed console ends the process.
#[cfg(not(unix))]
fn stdin_ready(_tx: &Sender<Wake>, _stopped: Option<&()>, wait: bool) -> Ready {
    while wait && !event::poll(Duration::from_secs(3600)).unwrap_or(false) {}
    Ready::Input
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
