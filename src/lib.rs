//! rehearse: a command-line coach for timed mock interviews. The binary is a thin shell
//! around these modules so that tests and benchmarks can use them directly.

mod audio;
pub mod bank;
pub mod cli;
mod coach;
pub mod color;
pub mod commands;
mod config;
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
mod review;
pub mod session;
mod settings;
mod signals;
mod spoken;
pub mod terminal;
pub mod text;
mod voice;
