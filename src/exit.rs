//! Exit codes, and the errors that choose them.

pub const SUCCESS: u8 = 0;
/// Anything that went wrong at run time (files, the terminal).
pub const FAILURE: u8 = 1;
/// What the user wrote is wrong: a flag, a bank, a config file.
pub const USAGE: u8 = 2;
/// The session was ended early by the person (q, Esc, Ctrl-C).
pub const INTERRUPTED: u8 = 130;

/// A mistake in what the user typed or wrote, reported with exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The exit code an error calls for.
pub fn code_for(error: &anyhow::Error) -> u8 {
    let usage = error.chain().any(|e| {
        e.is::<UsageError>()
            || e.is::<crate::bank::BankError>()
            || e.is::<crate::audio::SoundError>()
            || matches!(
                e.downcast_ref(),
                Some(crate::config::ConfigError::Invalid { .. })
            )
    });
    if usage { USAGE } else { FAILURE }
}
