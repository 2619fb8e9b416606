//! Session logs: the record schema (JSON Lines, one event a line), the writer that
//! appends, flushes and syncs each record before the event is shown, the fold that turns
//! records into a session summary, and the tolerant reader that `review` and `run --due`
//! share.

mod events;
mod fold;
mod parse;
pub(crate) mod read;
mod record;
mod stream;
mod writer;

pub use events::LogPart;
pub use record::{
    At, Body, Cue, Header, PlanEntry, QuestionEnded, QuestionSpoken, QuestionStarted, Record,
    Resumed, Retake, Reviewed, SCHEMA, SessionEnded, SessionStarted, Settings, TakeKept,
    TimeAdjusted,
};
pub use stream::JsonEvents;
pub use writer::{AppendError, LogWriter, append_to, being_written};
