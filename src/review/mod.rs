//! Reviewing sessions: aggregation in [`stats`], text in [`render`] and the HTML page in
//! [`report`]; all pure. The sessions themselves are read by `log::read`, whose types are
//! shared here.

pub mod render;
pub mod report;
pub mod stats;

pub use crate::log::read::*;

/// A take whose recording is in the session's folder though no `answer_recorded` names
/// it: the session was cut off (killed, a crash) while it was being recorded, so it was
/// never measured. Found by `commands::review`, which looks at the files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CutTake {
    pub index: usize,
    pub take: u32,
    /// The recording, relative to the log's folder.
    pub file: String,
}
