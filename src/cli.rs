//! What the user can type: clap derive types only, no decisions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
        rehearse run --time 90s --auto     90 s per answer, moving on by itself\n\n\
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
    /// List, import and check question banks.
    Banks(BanksArgs),
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    rehearse banks                                  the built-in banks and yours\n  \
    rehearse banks import questions.md              a Markdown list into your banks folder\n  \
    rehearse banks import cards.csv --name Frontend  named, so 'rehearse run frontend' asks it\n  \
    rehearse banks check my-bank.toml               every problem, with line and column")]
pub struct BanksArgs {
    /// What to do; without one, list the banks
    #[command(subcommand)]
    pub command: Option<BanksCommand>,
}

#[derive(Debug, Subcommand)]
pub enum BanksCommand {
    /// List the built-in banks and yours, with question counts and categories
    List,
    /// Turn a question list (.md, .txt, .csv, .tsv) into a bank file you can edit
    Import(ImportArgs),
    /// Check bank files and list every problem with its line and column
    Check(CheckArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Markdown: numbered and bulleted items are questions, headings categories, \
    nested items follow-ups.\n\
    Plain text: Q:/A: pairs, numbered or bulleted lines, or one question per paragraph.\n\
    CSV/TSV: a 'question' (or 'prompt', 'front') column, and optional 'category', 'answer' and \
    'keywords' columns; without a header, the first column."
)]
pub struct ImportArgs {
    /// The question list: Markdown, plain text, CSV or TSV (a JSON bank is converted too)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Where to write the bank [default: your banks folder, named after --name or FILE]
    #[arg(short, long, value_name = "OUT.toml")]
    pub output: Option<PathBuf>,

    /// The bank's name, e.g. "Frontend developer"; it also names the file in your banks folder
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Replace the output file if it exists
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Bank files (TOML or JSON), question lists, or names of banks
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<String>,
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
    rehearse run --category reg --all       every question of the categories starting with Reg\n  \
    rehearse run --question a --question b  these two questions, in this order\n  \
    rehearse run list.md --follow-ups       a Markdown list, follow-ups after their question\n  \
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

    /// Only questions of this category; repeat for more. Case does not matter, and the
    /// start of a name is enough: --category reg
    #[arg(long = "category", value_name = "NAME")]
    pub categories: Vec<String>,

    /// Ask this question (by id); repeat for more, asked in the order given
    #[arg(long = "question", value_name = "ID", conflicts_with_all = ["count", "all", "categories"])]
    pub questions: Vec<String>,

    /// Ask the chosen questions in random order
    #[arg(long)]
    pub shuffle: bool,

    /// Ask each question's follow-ups after it, each timed like its question
    #[arg(long)]
    pub follow_ups: bool,

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
    fn gap_accepts_zero() {
        assert_eq!(parse_gap("0").unwrap(), std::time::Duration::ZERO);
        assert_eq!(parse_gap("0s").unwrap(), std::time::Duration::ZERO);
        assert_eq!(parse_gap("2s").unwrap().as_secs(), 2);
        assert!(parse_gap("x").is_err());
    }
}
