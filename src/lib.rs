//! rehearse: a command-line coach for timed mock interviews. The binary is a thin shell
//! around these modules so that tests and benchmarks can use them directly.

pub mod audio;
pub mod bank;
pub mod cli;
pub mod coach;
pub mod color;
pub mod commands;
pub mod config;
pub mod drill;
pub mod duration;
pub mod exit;
pub mod faults;
pub mod history;
pub mod log;
pub mod paths;
pub mod plan;
pub mod present;
pub mod review;
pub mod session;
pub mod settings;
pub mod signals;
pub mod terminal;
pub mod text;
