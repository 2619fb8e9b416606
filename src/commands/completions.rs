//! `rehearse completions SHELL`: the tab-completion script for a shell, generated from the
//! same clap definition as the parser, so it cannot fall behind. Subcommands, flags and the
//! values with fixed choices complete; bank names, categories and question ids would need
//! clap_complete's dynamic (unstable) completion, so they complete as file names where a
//! file is accepted, and not at all elsewhere.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::exit;

pub fn run(args: CompletionsArgs) -> anyhow::Result<u8> {
    let script = script(args.shell);
    // Written in one go and flushed here: a closed pipe is an error `main` ends quietly,
    // where clap_complete writing to stdout itself would panic.
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(exit::SUCCESS)
}

/// The script for one shell.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "rehearse", &mut script);
    script
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn every_shell_gets_a_script_naming_every_subcommand() {
        for shell in clap_complete::Shell::value_variants() {
            let script = String::from_utf8(script(*shell)).unwrap();
            for sub in Cli::command().get_subcommands() {
                assert!(
                    script.contains(sub.get_name()),
                    "{shell}: {} missing",
                    sub.get_name()
                );
            }
        }
    }
}
