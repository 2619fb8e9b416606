//! Session logs: the record schema (JSON Lines, one event a line), the writer that
//! appends, flushes and syncs each record before the event is shown, and the tolerant
//! reader that `review` and `run --due` share.

mod events;
pub(crate) mod read;
mod record;
mod stream;
mod writer;

pub use events::LogPart;
pub use record::{Body, PlanEntry, Record, SCHEMA};
pub use stream::JsonEvents;
pub use writer::{AppendError, LogWriter, append_to, being_written};
