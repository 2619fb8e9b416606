//! rehearse: a command-line coach for timed mock interviews. The binary is a thin shell
//! around these modules so that tests and benchmarks can use them directly.

pub mod analyse;
pub mod answer;
mod audio;
pub mod bank;
mod child;
pub mod cli;
mod coach;
pub mod color;
pub mod commands;
pub mod config;
mod drill;
pub mod duration;
pub mod exit;
mod faults;
mod files;
mod history;
pub mod log;
mod paths;
pub mod plan;
mod present;
pub mod record;
mod recordings;
mod review;
pub mod session;
mod settings;
mod signals;

pub mod terminal;
pub mod text;
pub mod transcribe;
mod voice;

/// What must be set while the process has one thread, first thing in `main`.
pub fn before_threads() {
    audio::before_threads();
}
