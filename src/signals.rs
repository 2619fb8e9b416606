//! Signals that end a session: SIGINT (Ctrl-C outside raw mode), SIGTERM and SIGHUP (the
//! terminal closed; Unix only). The first one asks the run loop to end the session cleanly; a second
//! Ctrl-C exits at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

#[cfg(unix)]
use signal_hook::consts::SIGHUP;
use signal_hook::consts::{SIGINT, SIGTERM};

/// The signals that end a session; Windows has no SIGHUP.
#[cfg(unix)]
const ENDING: [i32; 3] = [SIGINT, SIGTERM, SIGHUP];
#[cfg(not(unix))]
const ENDING: [i32; 2] = [SIGINT, SIGTERM];

pub struct Signals {
    last: Arc<AtomicUsize>,
}

impl Signals {
    pub fn install() -> std::io::Result<Signals> {
        let last = Arc::new(AtomicUsize::new(0));
        let interrupted = Arc::new(AtomicBool::new(false));
        // Registered before the flag it reads, so it sees the flag as the previous
        // Ctrl-C left it.
        signal_hook::flag::register_conditional_shutdown(SIGINT, 130, Arc::clone(&interrupted))?;
        signal_hook::flag::register(SIGINT, interrupted)?;
        for signal in ENDING {
            signal_hook::flag::register_usize(signal, Arc::clone(&last), signal as usize)?;
        }
        Ok(Signals { last })
    }

    /// The signal received since the last call, if any.
    pub fn take(&self) -> Option<i32> {
        match self.last.swap(0, Ordering::SeqCst) {
            0 => None,
            n => Some(n as i32),
        }
    }
}
