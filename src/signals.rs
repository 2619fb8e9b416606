//! Signals that end a session or a playback: SIGINT (Ctrl-C outside raw mode), SIGTERM
//! and SIGHUP (the terminal closed; Unix only), and SIGCONT (continued after a stop, when
//! raw mode is set again). SIGWINCH (a resized terminal) is forwarded too, so the key
//! reader can sleep until a key comes. The first ending one wakes the loop, which ends
//! cleanly and gives the terminal back; a second Ctrl-C exits at once, with the terminal
//! given back first. SIGXFSZ (a file-size limit) is ignored so a write past the limit
//! fails like a full disk, which the log writer already survives.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::mpsc::Sender;

use signal_hook::consts::{SIGINT, SIGTERM};

use crate::session::Wake;

/// The signals that end a session; Windows has no SIGHUP.
#[cfg(unix)]
const ENDING: [i32; 3] = [SIGINT, SIGTERM, signal_hook::consts::SIGHUP];
#[cfg(not(unix))]
const ENDING: [i32; 2] = [SIGINT, SIGTERM];

/// SIGCONT and SIGWINCH, where there are.
#[cfg(unix)]
const CONTINUED: i32 = signal_hook::consts::SIGCONT;
#[cfg(not(unix))]
const CONTINUED: i32 = -1;
#[cfg(unix)]
const RESIZED: i32 = signal_hook::consts::SIGWINCH;
#[cfg(not(unix))]
const RESIZED: i32 = -2;

/// Starts forwarding the signals that end a session to the run loop.
pub fn forward(tx: Sender<Wake>) -> std::io::Result<()> {
    listen(move |signal| {
        let wake = match signal {
            CONTINUED => Wake::Continued,
            RESIZED => Wake::Resized,
            _ => Wake::Signal(signal),
        };
        let _ = tx.send(wake);
    })
}

/// The signals of a command that is not a session (`review play`), kept for its loop to
/// look at as often as it looks at the keys.
#[derive(Clone, Default)]
pub struct Watch {
    /// The first signal that ends the command; 0 for none yet.
    ending: Arc<AtomicI32>,
    continued: Arc<AtomicBool>,
}

impl Watch {
    /// The signal that ends the command, once one has come.
    pub fn ending(&self) -> Option<i32> {
        match self.ending.load(Ordering::SeqCst) {
            0 => None,
            n => Some(n),
        }
    }

    /// Continued after a stop since the last look.
    pub fn continued(&self) -> bool {
        self.continued.swap(false, Ordering::SeqCst)
    }
}

/// Starts watching the signals that end a command.
pub fn watch() -> std::io::Result<Watch> {
    let watch = Watch::default();
    let kept = watch.clone();
    listen(move |signal| {
        if signal == CONTINUED {
            kept.continued.store(true, Ordering::SeqCst);
        } else if signal != RESIZED {
            let _ = kept
                .ending
                .compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
        }
    })?;
    Ok(watch)
}

/// What must be done before the process exits at once: end the programs it started,
/// remove its temporary files.
static BEFORE_EXIT: std::sync::Mutex<Vec<fn()>> = std::sync::Mutex::new(Vec::new());

/// Has `clean_up` run before the process exits at once on a second Ctrl-C.
pub fn before_exit(clean_up: fn()) {
    BEFORE_EXIT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(clean_up);
}

/// Hands each signal to `tell` on a thread of its own; a second Ctrl-C exits at once.
fn listen(mut tell: impl FnMut(i32) + Send + 'static) -> std::io::Result<()> {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to "ignore" has no handler to race with.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    let signals = arrivals()?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            let mut interrupts = 0;
            for signal in signals {
                if signal == SIGINT {
                    interrupts += 1;
                    if interrupts > 1 {
                        crate::terminal::restore();
                        for clean_up in BEFORE_EXIT.lock().unwrap_or_else(|e| e.into_inner()).iter()
                        {
                            clean_up();
                        }
                        std::process::exit(130);
                    }
                }
                tell(signal);
            }
        })?;
    Ok(())
}

/// Each ending signal as it arrives, SIGCONT (continued after a stop) and SIGWINCH.
#[cfg(unix)]
fn arrivals() -> std::io::Result<impl Iterator<Item = i32> + Send> {
    let mut signals = signal_hook::iterator::Signals::new(ENDING)?;
    signals.add_signal(CONTINUED)?;
    signals.add_signal(RESIZED)?;
    Ok(std::iter::from_fn(move || signals.forever().next()))
}

/// Windows has no self-pipe: a flag set by the handler, looked at ten times a second.
#[cfg(not(unix))]
fn arrivals() -> std::io::Result<impl Iterator<Item = i32> + Send> {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let last = Arc::new(AtomicUsize::new(0));
    for signal in ENDING {
        signal_hook::flag::register_usize(signal, Arc::clone(&last), signal as usize)?;
    }
    Ok(std::iter::from_fn(move || {
        loop {
            match last.swap(0, Ordering::SeqCst) {
                0 => std::thread::sleep(std::time::Duration::from_millis(100)),
                n => return Some(n as i32),
            }
        }
    }))
}
