//! The session: a pure state machine that is told the time. It owns what happens and
//! when (phases, deadlines, pauses, outcomes) and returns events; it reads no clock,
//! prints nothing and writes no file. The run loop owns the real clock and feeds it.

mod engine;

pub use engine::{
    Engine, EngineOptions, Event, EventKind, Input, Outcome, Phase, QuestionTiming, SessionOutcome,
    View,
};

use std::time::{Duration, Instant};

/// Time since the session started. The engine only ever sees this, so tests can drive it
/// with any sequence of moments.
pub trait Clock {
    fn now(&self) -> Duration;
}

/// The real clock: monotonic, never affected by changes of the wall clock.
pub struct MonotonicClock {
    start: Instant,
}

impl MonotonicClock {
    pub fn start() -> MonotonicClock {
        MonotonicClock {
            start: Instant::now(),
        }
    }

    /// The real moment a session time stands for, to sleep until it.
    pub fn instant(&self, at: Duration) -> Instant {
        self.start + at
    }
}

impl Clock for MonotonicClock {
    fn now(&self) -> Duration {
        self.start.elapsed()
    }
}
