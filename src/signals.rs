//! Signals that end a session: SIGINT (Ctrl-C outside raw mode), SIGTERM and SIGHUP (the
//! terminal closed; Unix only). The first one wakes the run loop, which ends the session
//! cleanly; a second Ctrl-C exits at once, with the terminal given back first. SIGXFSZ (a
//! file-size limit) is ignored so a write past the limit fails like a full disk, which the
//! log writer already survives.

use std::sync::mpsc::Sender;

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::session::Wake;

/// The signals that end a session; Windows has no SIGHUP.
#[cfg(unix)]
const ENDING: [i32; 3] = [SIGINT, SIGTERM, signal_hook::consts::SIGHUP];
#[cfg(not(unix))]
const ENDING: [i32; 2] = [SIGINT, SIGTERM];

/// Starts forwarding the signals that end a session to the run loop.
pub fn forward(tx: Sender<Wake>) -> std::io::Result<()> {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to "ignore" has no handler to race with.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    let mut signals = Signals::new(ENDING)?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            let mut interrupts = 0;
            for signal in signals.forever() {
                if signal == SIGINT {
                    interrupts += 1;
                    if interrupts > 1 {
                        crate::terminal::restore();
                        std::process::exit(130);
                    }
                }
                let _ = tx.send(Wake::Signal(signal));
            }
        })?;
    Ok(())
}
