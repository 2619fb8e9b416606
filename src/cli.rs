//! What the user can type: clap derive types only, no decisions.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::duration::Dur;

#[derive(Debug, Parser)]
#[command(
    name = "rehearse",
    version,
    about = "A coach for timed mock interviews in your terminal",
    long_about = "A coach for timed mock interviews in your terminal.\n\n\
        rehearse asks interview questions one at a time, counts down the time for each \
        answer with a bar that turns from green to yellow to red, and writes every session \
        to a log you can review later.",
    after_help = "Examples:\n  \
        rehearse run                       8 questions from the Healthcare Records Manager bank\n  \
        rehearse run behavioral --count 5  5 general behavioral questions\n  \
        rehearse run --time 90s --auto     90 s per answer, moving on by itself\n  \
        rehearse review                    past sessions; 'review stats' for your weakest questions\n\n\
        Run 'rehearse run --help' for everything a session can do."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Take a timed mock interview.
    Run(RunArgs),
    /// Look back at past sessions: a list, one session, stats, exports.
    Review(ReviewArgs),
}

#[derive(Debug, Args)]
#[command(after_help = "Keys during a session:\n  \
    Enter, n      done: next question\n  \
    s             skip this question\n  \
    Space, p      pause / resume\n  \
    + / -         30 s more / less for this answer\n  \
    q, Esc, ^C    end the session now (it is saved)\n  \
    ?             show the keys\n\n\
Examples:\n  \
    rehearse run                            8 random questions from the default bank\n  \
    rehearse run behavioral --all           every question of the behavioral bank, in order\n  \
    rehearse run ./my-bank.toml --count 3   a bank file of your own\n  \
    rehearse run --seed 42                  the same 8 questions as last time you used seed 42\n  \
    rehearse run --time 1s --gap 0 </dev/null   a scripted run: no keys, hands-free\n\n\
Without a terminal, commands are read as lines from standard input (empty line or n, s, p, q);\n\
when the input ends the session carries on hands-free.")]
pub struct RunArgs {
    /// Bank name (see the built-in ones in the README) or path to a bank file
    /// [default: healthcare-records-manager]
    #[arg(value_name = "BANK")]
    pub bank: Option<String>,

    /// How many questions to ask, picked at random across the categories [default: 8]
    #[arg(short = 'n', long, value_name = "N", conflicts_with = "all", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub count: Option<u32>,

    /// Ask every question of the bank, in bank order
    #[arg(long)]
    pub all: bool,

    /// Seed for the random pick, to get the same questions again (the seed used is logged)
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Answer time for every question of this run, e.g. 90s, 2m, 1m30s or 1:30
    #[arg(short, long, value_name = "DUR")]
    pub time: Option<Dur>,

    /// Hands-free: when time is up, move on by itself after --gap
    #[arg(long)]
    pub auto: bool,

    /// Pause between questions in hands-free mode; 0 for none
    #[arg(long, value_name = "DUR", default_value = "3s", value_parser = parse_gap)]
    pub gap: std::time::Duration,

    /// Folder for the session log [env: REHEARSE_LOG_DIR]
    #[arg(long, value_name = "DIR", conflicts_with = "no_log")]
    pub log_dir: Option<PathBuf>,

    /// Do not write a session log
    #[arg(long)]
    pub no_log: bool,
}

#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Examples:\n  \
    rehearse review                            every session, newest first\n  \
    rehearse review --since 2026-11-01 -n 10   the 10 newest since 1 November\n  \
    rehearse review show                       the latest session, question by question\n  \
    rehearse review show 3                     the third newest (numbers as in the list)\n  \
    rehearse review stats                      per question and category, weakest first\n  \
    rehearse review stats --question legal-hold-process   every attempt at one question\n  \
    rehearse review export latest -o last.md   the latest session as a Markdown report\n  \
    rehearse review export --format csv -o sessions.csv   every session, for a spreadsheet\n  \
    rehearse review stats --json               numbers for scripts\n\n\
Sessions are read from the log folder, never changed. Files that cannot be read are listed \
with the reason; the rest are shown."
)]
pub struct ReviewArgs {
    #[command(subcommand)]
    pub command: Option<ReviewCommand>,

    /// Without a subcommand: the list.
    #[command(flatten)]
    pub list: ListArgs,
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// The sessions, newest first (what 'rehearse review' shows).
    List(ListArgs),
    /// One session, question by question, with answer times against the limits.
    Show(ShowArgs),
    /// Across sessions, per question and per category, weakest first.
    Stats(StatsArgs),
    /// One session or many as a Markdown report, CSV or one JSON document.
    Export(ExportArgs),
}

/// Where the logs are.
#[derive(Debug, Clone, Default, Args)]
pub struct LogDirArg {
    /// Folder of session logs [env: REHEARSE_LOG_DIR]
    #[arg(long, value_name = "DIR")]
    pub log_dir: Option<PathBuf>,
}

/// Which sessions count.
#[derive(Debug, Clone, Default, Args)]
pub struct FilterArgs {
    /// Only sessions of this bank: its name (healthcare-records-manager) or title
    #[arg(long, value_name = "BANK")]
    pub bank: Option<String>,

    /// Only sessions on or after this day, e.g. 2026-11-01 (the date where they were taken)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,

    /// Only the N newest sessions
    #[arg(short = 'n', long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,

    /// Machine-readable output
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub log_dir: LogDirArg,
}

#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    /// A number from the list (1 = newest), a log file name, a path, or `latest`
    /// [default: latest]
    #[arg(value_name = "SESSION")]
    pub session: Option<String>,

    /// Machine-readable output
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub log_dir: LogDirArg,
}

#[derive(Debug, Clone, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub filter: FilterArgs,

    /// One question (its id, as in the table), with every attempt
    #[arg(long, value_name = "ID")]
    pub question: Option<String>,

    /// Machine-readable output
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub log_dir: LogDirArg,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// One session: a number from the list, a file name, a path or `latest`
    /// [default: every session that --bank, --since and --limit let through]
    #[arg(value_name = "SESSION", conflicts_with_all = ["bank", "since", "limit"])]
    pub session: Option<String>,

    /// md: a report to keep or share; csv: a row per question, for a spreadsheet; json: one
    /// document
    #[arg(short, long, value_enum, default_value_t = ExportFormat::Md)]
    pub format: ExportFormat,

    /// Write to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub filter: FilterArgs,

    /// Only the N newest sessions
    #[arg(short = 'n', long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,

    #[command(flatten)]
    pub log_dir: LogDirArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Md,
    Csv,
    Json,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{text:?}: expected a date like 2026-11-25"))
}

/// A gap may be zero; every other duration may not.
fn parse_gap(text: &str) -> Result<std::time::Duration, String> {
    if text.trim().trim_end_matches('s') == "0" {
        return Ok(std::time::Duration::ZERO);
    }
    text.parse::<Dur>().map(Dur::get).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn review_defaults_to_the_list() {
        let cli = Cli::try_parse_from(["rehearse", "review", "-n", "3", "--json"]).unwrap();
        let Command::Review(args) = cli.command else {
            panic!("not review")
        };
        assert!(args.command.is_none());
        assert_eq!((args.list.limit, args.list.json), (Some(3), true));
        assert!(Cli::try_parse_from(["rehearse", "review", "-n", "3", "stats"]).is_err());
        assert!(Cli::try_parse_from(["rehearse", "review", "--since", "yesterday"]).is_err());
        assert!(Cli::try_parse_from(["rehearse", "review", "export", "2", "--bank", "x"]).is_err());
    }

    #[test]
    fn gap_accepts_zero() {
        assert_eq!(parse_gap("0").unwrap(), std::time::Duration::ZERO);
        assert_eq!(parse_gap("0s").unwrap(), std::time::Duration::ZERO);
        assert_eq!(parse_gap("2s").unwrap().as_secs(), 2);
        assert!(parse_gap("x").is_err());
    }
}
