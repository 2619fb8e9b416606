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
mod ecosystem;
mod faults;
mod limits;
mod play;
mod record;
mod report;
mod review;
mod rig;
mod run;
mod takes;
mod terminal;
mod util;
mod voice;
