//! Session logs: the record schema (JSON Lines, one event a line) and the writer that
//! appends, flushes and syncs each record before the event is shown. Reading logs back
//! belongs to review; the schema lives here so both sides share it.

mod events;
mod record;
mod writer;

pub use events::LogPart;
pub use record::{Body, PlanEntry, Record, SCHEMA};
pub use writer::{LogWriter, WriteTrouble};
