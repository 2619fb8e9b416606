//! Signals that end a session: SIGINT (Ctrl-C outside raw mode), SIGTERM and SIGHUP (the
//! terminal closed; Unix only). The first one wakes the run loop, which ends the session
//! cleanly; a second Ctrl-C exits at once, with the terminal given back first. SIGXFSZ (a
//! file-size limit) is ignored so a write past the limit fails like a full disk, which the
//! log writer already survives.

use std::sync::mpsc::Sender;

use signal_hook::consts::{SIGINT, SIGTERM};

use crate::session::Wake;

/// The signals that end a session; Windows has no SIGHUP.
#[cfg(unix)]
const ENDING: [i32; 3] = [SIGINT, SIGTERM, signal_hook::consts::SIGHUP];
#[cfg(not(unix))]
const ENDING: [i32; 2] = [SIGINT, SIGTERM];

/// SIGCONT, where there is one.
#[cfg(unix)]
const CONTINUED: i32 = signal_hook::consts::SIGCONT;
#[cfg(not(unix))]
const CONTINUED: i32 = -1;

/// Starts forwarding the signals that end a session to the run loop.
pub fn forward(tx: Sender<Wake>) -> std::io::Result<()> {
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
                        std::process::exit(130);
                    }
                }
                let wake = if signal == CONTINUED {
                    Wake::Continued
                } else {
                    Wake::Signal(signal)
                };
                let _ = tx.send(wake);
            }
        })?;
    Ok(())
}

/// Each ending signal as it arrives, and SIGCONT (continued after a stop).
#[cfg(unix)]
fn arrivals() -> std::io::Result<impl Iterator<Item = i32> + Send> {
    let mut signals = signal_hook::iterator::Signals::new(ENDING)?;
    signals.add_signal(CONTINUED)?;
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
