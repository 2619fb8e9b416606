//! The `rehearse` binary: parse the command line, run the command, report one line on
//! error and exit with a code that says what happened.

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use rehearse::cli::{Cli, Command};
use rehearse::config::ConfigFile;
use rehearse::{color, commands, exit};

fn main() -> ExitCode {
    rehearse::before_threads();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => parse_error(error),
    };
    let config = ConfigFile::read();
    let colors = color::init(cli.color, config.ok());
    let result = match cli.command {
        Command::Run(args) => commands::run::run(*args, &config),
        Command::Sounds(args) => commands::sounds::run(args, &config),
        Command::Config(args) => commands::config::run(args, &config),
        Command::Banks(args) => commands::banks::run(args, &config),
        Command::Review(args) => commands::review::run(args, &config),
        Command::Feedback(args) => commands::feedback::run(args, &config),
        Command::Models(args) => commands::models::run(args, &config),
        Command::Completions(args) => commands::completions::run(args),
        Command::Devices => commands::devices::run(),
        Command::Man => commands::man::run(),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            rehearse::terminal::restore();
            if is_broken_pipe(&error) {
                return ExitCode::from(exit::SUCCESS);
            }
            let prefix = color::error("rehearse:", colors.stderr);
            // Errors quote files (bank text, names, keys): nothing in them may drive the
            // terminal.
            let message = rehearse::text::sanitize(&format!("{error:#}"));
            let _ = writeln!(std::io::stderr(), "{prefix} {message}");
            ExitCode::from(exit::code_for(&error))
        }
    }
}

/// Help, the version or a usage error from clap, coloured by the same rules as everything
/// else (clap's own choice does not know `--color` or the config file).
fn parse_error(error: clap::Error) -> ! {
    let flag = color::scan_flag(std::env::args_os());
    let config = ConfigFile::read();
    let colors = color::init(flag, config.ok());
    let on = if error.use_stderr() {
        colors.stderr
    } else {
        colors.stdout
    };
    let choice = if on {
        clap::ColorChoice::Always
    } else {
        clap::ColorChoice::Never
    };
    error.with_cmd(&Cli::command().color(choice)).exit()
}

/// `rehearse ... | head` closing the pipe early is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
