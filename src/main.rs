//! The `rehearse` binary: parse the command line, run the command, report one line on
//! error and exit with a code that says what happened.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use rehearse::cli::{Cli, Command};
use rehearse::{commands, exit};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => commands::run::run(args),
        Command::Sounds(args) => commands::sounds::run(args),
        Command::Config(args) => commands::config::run(args),
        Command::Banks(args) => commands::banks::run(args),
        Command::Review(args) => commands::review::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            rehearse::terminal::restore();
            if is_broken_pipe(&error) {
                return ExitCode::from(exit::SUCCESS);
            }
            let _ = writeln!(std::io::stderr(), "rehearse: {error:#}");
            ExitCode::from(exit::code_for(&error))
        }
    }
}

/// `rehearse ... | head` closing the pipe early is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
