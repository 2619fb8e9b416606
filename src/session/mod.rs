//! The session: a pure engine that is told the time, and the runner that tells it. The
//! engine owns what happens and when (phases, deadlines, pauses, the review step,
//! outcomes) and returns events; it reads no clock, prints nothing and writes no file.
//! The runner owns the clock, the keys and the signals, and fans the events out.

mod clock;
mod engine;
mod inbox;
mod keys;
mod runner;
mod takes;

pub use clock::Clock;
pub use engine::{
    Engine, EngineOptions, Event, EventKind, Input, Outcome, Phase, QuestionTiming, Refusal,
    SessionOutcome, View,
};
pub use inbox::{Inbox, KeyReader, Wake, read_keys, read_lines};
pub use runner::{Ending, Part, Runner, Screen};
