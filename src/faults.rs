//! The one seam for injected faults, read once when a session is prepared: the tests that
//! prove a panic leaves the terminal usable and the log whole, and the benchmark that
//! measures how soon the first question follows a slow audio device. Nothing else in the
//! code reads these variables.

use std::time::Duration;

use crate::session::{Event, EventKind, Part};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Faults {
    /// `REHEARSE_TEST_PANIC_AT_QUESTION=N`: panic when question N starts.
    pub panic_at_question: Option<usize>,
    /// `REHEARSE_TEST_AUDIO_OPEN_DELAY_MS=N`: the audio device takes this long to open.
    pub audio_open_delay: Duration,
}

impl Faults {
    pub fn from_env() -> Faults {
        let number = |name| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
        Faults {
            panic_at_question: number("REHEARSE_TEST_PANIC_AT_QUESTION").map(|n| n as usize),
            audio_open_delay: Duration::from_millis(
                number("REHEARSE_TEST_AUDIO_OPEN_DELAY_MS").unwrap_or(0),
            ),
        }
    }
}

/// A part that panics when question `0` starts, after the log has its record.
pub struct PanicAt(pub usize);

impl Part for PanicAt {
    fn react(&mut self, events: &[Event], _now: Duration) -> Vec<String> {
        if events
            .iter()
            .any(|e| e.kind == EventKind::QuestionStarted && e.index == self.0)
        {
            panic!(
                "injected fault at question {} (REHEARSE_TEST_PANIC_AT_QUESTION)",
                self.0
            );
        }
        Vec::new()
    }
}
