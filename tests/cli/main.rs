//! Integration tests of the `rehearse` binary: one test binary with modules, so it links
//! once. Every test runs the binary through `util::Env`, which clears the environment and
//! points every folder at a temporary one.
//!
//! Unix only: the tests drive the binary through sh, tmux, man and Unix signals.
#![cfg(unix)]

mod audio;
mod bank_content;
mod banks;
mod coach;
mod coverage;
mod ecosystem;
mod faults;
mod feedback;
mod limits;
mod models;
mod play;
mod record;
mod report;
mod review;
mod rig;
mod run;
mod speech;
mod takes;
mod terminal;
mod transcript;
mod util;
mod voice;
