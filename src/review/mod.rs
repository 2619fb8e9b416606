//! Reviewing sessions: aggregation in [`stats`], text in [`render`] and the HTML page in
//! [`report`]; all pure. The sessions themselves are read by `log::read`, whose types are
//! shared here.

pub mod render;
pub mod report;
pub mod stats;

pub use crate::log::read::*;
