//! Whether output is coloured: `--color`, then `NO_COLOR`, then `CLICOLOR_FORCE`, then the
//! config file's `color`, then whether the stream is a terminal. Decided once in `main` for
//! standard output and standard error; commands ask [`stdout`] and [`stderr`] and never
//! read the environment themselves. This module prints nothing.

use std::sync::OnceLock;

pub use crate::config::ColorChoice;
use crate::config::Set;

/// The environment variables that have a say, read once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColorEnv {
    /// `NO_COLOR` is set to anything but the empty string (no-color.org).
    pub no_color: bool,
    /// `CLICOLOR_FORCE` is set and is not `0` (bixense.com/clicolors).
    pub clicolor_force: bool,
    /// `TERM=dumb`: a terminal that cannot show colour.
    pub term_dumb: bool,
}

impl ColorEnv {
    pub fn from_env() -> ColorEnv {
        let var = |name| std::env::var_os(name).filter(|v| !v.is_empty());
        ColorEnv {
            no_color: var("NO_COLOR").is_some(),
            clicolor_force: var("CLICOLOR_FORCE").is_some_and(|v| v != "0"),
            term_dumb: var("TERM").is_some_and(|v| v == "dumb"),
        }
    }
}

/// Who decided, for `rehearse config show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decider {
    Flag,
    Env(&'static str),
    /// The config file, at this line.
    Config(usize),
    Default,
}

impl std::fmt::Display for Decider {
    /// Worded like the other settings' origins.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Decider::Flag => f.write_str("command line"),
            Decider::Env(name) => write!(f, "environment, {name}"),
            Decider::Config(line) => write!(f, "config file, line {line}"),
            Decider::Default => f.write_str("default"),
        }
    }
}

/// The choice in force and who made it; `Auto` leaves it to the stream.
pub fn choose(
    flag: Option<ColorChoice>,
    config: Option<&Set<ColorChoice>>,
    env: ColorEnv,
) -> (ColorChoice, Decider) {
    if let Some(choice) = flag {
        (choice, Decider::Flag)
    } else if env.no_color {
        (ColorChoice::Never, Decider::Env("NO_COLOR"))
    } else if env.clicolor_force {
        (ColorChoice::Always, Decider::Env("CLICOLOR_FORCE"))
    } else if let Some(set) = config {
        (set.value, Decider::Config(set.line))
    } else {
        (ColorChoice::Auto, Decider::Default)
    }
}

/// Whether a stream is coloured.
pub fn enabled(
    flag: Option<ColorChoice>,
    config: Option<&Set<ColorChoice>>,
    env: ColorEnv,
    is_tty: bool,
) -> bool {
    match choose(flag, config, env).0 {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_tty && !env.term_dumb,
    }
}

/// The decision for both streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colors {
    pub stdout: bool,
    pub stderr: bool,
    /// `--color` as given, for `rehearse config show`.
    pub flag: Option<ColorChoice>,
}

// Set once by `main` before any command runs, so that the commands (and the refactor of
// the run loop) need no extra parameter; nothing changes it afterwards.
static COLORS: OnceLock<Colors> = OnceLock::new();

/// Decides for both streams from the flag, the environment, the config file and the
/// terminals. A config file that cannot be read is left to the command to report:
/// colour is then decided without it.
pub fn init(flag: Option<ColorChoice>, config: Option<&crate::config::Config>) -> Colors {
    use std::io::IsTerminal;
    let config = config.and_then(|c| c.color.as_ref());
    let env = ColorEnv::from_env();
    let colors = Colors {
        stdout: enabled(flag, config, env, std::io::stdout().is_terminal()),
        stderr: enabled(flag, config, env, std::io::stderr().is_terminal()),
        flag,
    };
    *COLORS.get_or_init(|| colors)
}

/// Colour on standard output; none before [`init`].
pub fn stdout() -> bool {
    COLORS.get().is_some_and(|c| c.stdout)
}

/// Colour on standard error; none before [`init`].
pub fn stderr() -> bool {
    COLORS.get().is_some_and(|c| c.stderr)
}

/// `--color` as given; none before [`init`].
pub fn flag() -> Option<ColorChoice> {
    COLORS.get().and_then(|c| c.flag)
}

/// `--color` as typed, for a command line clap could not parse (its error message is
/// coloured by the same rules). The last one wins, as clap would have it; nothing after
/// `--` counts.
pub fn scan_flag<I, S>(args: I) -> Option<ColorChoice>
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    use clap::ValueEnum;
    let args: Vec<String> = args
        .into_iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .take_while(|a| a != "--")
        .collect();
    let mut found = None;
    for (i, arg) in args.iter().enumerate() {
        let value = match arg.strip_prefix("--color") {
            Some("") => args.get(i + 1).map(String::as_str),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        if let Some(choice) = value.and_then(|v| ColorChoice::from_str(v, false).ok()) {
            found = Some(choice);
        }
    }
    found
}

/// `text` in bold, when `on`.
pub fn bold(text: &str, on: bool) -> String {
    use crossterm::style::Stylize;
    if on && !text.is_empty() {
        text.bold().to_string()
    } else {
        text.to_string()
    }
}

/// `text` in bold red, when `on`: the start of an error line.
pub fn error(text: &str, on: bool) -> String {
    use crossterm::style::Stylize;
    if on && !text.is_empty() {
        text.red().bold().to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColorChoice::{Always, Auto, Never};

    const PLAIN: ColorEnv = ColorEnv {
        no_color: false,
        clicolor_force: false,
        term_dumb: false,
    };

    fn set(value: ColorChoice) -> Set<ColorChoice> {
        Set { value, line: 3 }
    }

    #[test]
    fn flag_then_no_color_then_clicolor_force_then_config_then_terminal() {
        let no_color = ColorEnv {
            no_color: true,
            ..PLAIN
        };
        let force = ColorEnv {
            clicolor_force: true,
            ..PLAIN
        };
        let both = ColorEnv {
            no_color: true,
            clicolor_force: true,
            ..PLAIN
        };
        let dumb = ColorEnv {
            term_dumb: true,
            ..PLAIN
        };
        // flag, config, env, is_tty -> colour
        type Case = (
            Option<ColorChoice>,
            Option<ColorChoice>,
            ColorEnv,
            bool,
            bool,
        );
        let cases: [Case; 20] = [
            (None, None, PLAIN, true, true),
            (None, None, PLAIN, false, false),
            (Some(Always), None, PLAIN, false, true),
            (Some(Never), None, PLAIN, true, false),
            (Some(Auto), None, PLAIN, true, true),
            (Some(Auto), None, PLAIN, false, false),
            // The flag beats the environment.
            (Some(Always), None, no_color, false, true),
            (Some(Never), None, force, true, false),
            (Some(Auto), None, force, false, false),
            // NO_COLOR beats CLICOLOR_FORCE and the config file.
            (None, None, no_color, true, false),
            (None, None, both, false, false),
            (None, Some(Always), no_color, true, false),
            // CLICOLOR_FORCE beats the config file and the terminal.
            (None, None, force, false, true),
            (None, Some(Never), force, true, true),
            // The config file beats the terminal.
            (None, Some(Always), PLAIN, false, true),
            (None, Some(Never), PLAIN, true, false),
            (None, Some(Auto), PLAIN, true, true),
            // TERM=dumb counts only where the terminal decides.
            (None, None, dumb, true, false),
            (Some(Always), None, dumb, true, true),
            (None, Some(Always), dumb, true, true),
        ];
        for (flag, config, env, tty, expected) in cases {
            let config = config.map(set);
            assert_eq!(
                enabled(flag, config.as_ref(), env, tty),
                expected,
                "flag {flag:?}, config {config:?}, {env:?}, tty {tty}"
            );
        }
    }

    #[test]
    fn the_decider_is_named() {
        assert_eq!(choose(None, None, PLAIN), (Auto, Decider::Default));
        let config = set(Never);
        assert_eq!(
            choose(None, Some(&config), PLAIN),
            (Never, Decider::Config(3))
        );
        let no_color = ColorEnv {
            no_color: true,
            ..PLAIN
        };
        assert_eq!(
            choose(None, Some(&config), no_color).1.to_string(),
            "environment, NO_COLOR"
        );
        assert_eq!(
            choose(Some(Always), None, no_color).1.to_string(),
            "command line"
        );
    }

    #[test]
    fn the_flag_is_found_in_a_line_clap_refused() {
        let scan = |line: &[&str]| scan_flag(line.iter().copied());
        assert_eq!(
            scan(&["rehearse", "--color", "never", "run", "--bad"]),
            Some(Never)
        );
        assert_eq!(scan(&["rehearse", "run", "--color=always"]), Some(Always));
        assert_eq!(
            scan(&["rehearse", "--color=never", "--color", "always"]),
            Some(Always)
        );
        assert_eq!(scan(&["rehearse", "--color", "purple"]), None);
        assert_eq!(scan(&["rehearse", "--colorful"]), None);
        assert_eq!(scan(&["rehearse", "--", "--color", "never"]), None);
        assert_eq!(scan(&["rehearse", "--color"]), None);
    }

    #[test]
    fn painting_only_when_on() {
        assert_eq!(bold("x", false), "x");
        assert!(bold("x", true).starts_with('\x1b'));
        assert_eq!(error("rehearse:", false), "rehearse:");
        assert!(error("rehearse:", true).contains("rehearse:\x1b["));
    }
}
