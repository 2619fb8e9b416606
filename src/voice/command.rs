//! A text-to-speech command: split into words once, as a shell would split it (quotes and
//! backslashes, by `shlex`), then, for each text, `{text}` and `{out}` replaced inside each
//! word and the program run directly, never through a shell, so no text can be taken for
//! a command. A template that hands `{text}` to a shell as its script is refused: there it
//! would be code. The text is also in the program's environment, as `REHEARSE_TEXT`.
//! A program that hangs, or writes without end, is killed with everything it started;
//! so is one still running when the voice is stopped (the session ends, a signal).

use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

pub use crate::child::{Ran, RunError, end_all};

pub const TEXT: &str = "{text}";
pub const OUT: &str = "{out}";

/// The environment variable that holds the text for the program, for a script that
/// speaks it (`sh -c 'tts "$REHEARSE_TEXT"'`).
pub const TEXT_VARIABLE: &str = "REHEARSE_TEXT";

/// Programs that run their `-c` argument as shell code.
const SHELLS: [&str; 10] = [
    "sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "fish", "csh", "tcsh",
];

/// Splits a command line into words the way a POSIX shell does, without expanding
/// anything: 'single quotes' keep everything, "double quotes" keep all but `\"`, `\\`,
/// `\$` and `` \` ``, and a backslash outside quotes keeps the next character.
pub fn split(line: &str) -> Result<Vec<String>, String> {
    shlex::split(line)
        .ok_or_else(|| "a quote is not closed, or the command ends with a lone backslash".into())
}

/// The script a shell in `words` is given with `-c`, if it holds `{text}`: there the
/// question would be shell code.
fn text_in_shell_script(words: &[String]) -> Option<&str> {
    for (at, word) in words.iter().enumerate() {
        let name = Path::new(word).file_name().and_then(|n| n.to_str());
        if !name.is_some_and(|n| SHELLS.contains(&n)) {
            continue;
        }
        // Its options (`-c`, `-ec`, `+x`), then the first word that is not one: with `-c`
        // among them, that word is the script.
        let mut command = false;
        for option in words[at + 1..].iter() {
            let is_option = (option.starts_with('-') || option.starts_with('+')) && option != "-";
            if !is_option {
                if command && option.contains(TEXT) {
                    return Some(option);
                }
                break;
            }
            command |= option == "--command" || (!option.starts_with("--") && option.contains('c'));
        }
    }
    None
}

/// A command with `{text}` and `{out}` places, checked once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    words: Vec<String>,
}

impl Template {
    pub fn parse(line: &str) -> Result<Template, String> {
        let words = split(line)?;
        if words.is_empty() {
            return Err("the command is empty".into());
        }
        if let Some(script) = text_in_shell_script(&words) {
            return Err(format!(
                "{TEXT} in the shell script {script:?} would run each question as shell code; \
                 write \"${TEXT_VARIABLE}\" there instead (it holds the text), or pass {TEXT} \
                 as an argument after the script"
            ));
        }
        Ok(Template { words })
    }

    pub fn from_words(words: Vec<String>) -> Template {
        Template { words }
    }

    /// The program that is run: the first word.
    pub fn program(&self) -> &str {
        &self.words[0]
    }

    /// The text goes in the arguments; without `{text}` it goes to standard input.
    pub fn takes_text(&self) -> bool {
        self.words.iter().any(|w| w.contains(TEXT))
    }

    /// The WAV is written to a file; without `{out}` it is read from standard output.
    pub fn writes_file(&self) -> bool {
        self.words.iter().any(|w| w.contains(OUT))
    }

    /// The words with `text` and `out` in their places; each stays one argument, whatever
    /// it holds.
    pub fn argv(&self, text: &str, out: &Path) -> Vec<OsString> {
        self.words
            .iter()
            .map(|word| {
                let mut arg = OsString::new();
                let mut rest = word.as_str();
                while let Some(at) = [TEXT, OUT].iter().filter_map(|p| rest.find(p)).min() {
                    arg.push(&rest[..at]);
                    if rest[at..].starts_with(TEXT) {
                        arg.push(text);
                        rest = &rest[at + TEXT.len()..];
                    } else {
                        arg.push(out.as_os_str());
                        rest = &rest[at + OUT.len()..];
                    }
                }
                arg.push(rest);
                arg
            })
            .collect()
    }
}

/// A spoken question is not larger than this, as a WAV on standard output or in a file
/// (five minutes of 48 kHz stereo 16-bit sound is 55 MiB).
pub const MOST_OUTPUT: u64 = 64 * 1024 * 1024;

/// Runs a voice program: `text` in its environment and, if `stdin`, on its standard input,
/// waiting at most `timeout`; `stop` says when to give up at once.
pub fn run(
    argv: &[OsString],
    text: &str,
    stdin: bool,
    timeout: Duration,
    stop: &dyn Fn() -> bool,
) -> Result<Ran, RunError> {
    crate::child::run(
        argv,
        &crate::child::Job {
            env: &[(TEXT_VARIABLE, text)],
            stdin: stdin.then_some(text),
            timeout,
            most_output: MOST_OUTPUT,
            stop,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn never() -> bool {
        false
    }

    #[test]
    fn commands_split_like_a_shell_splits_them() {
        let cases: &[(&str, &[&str])] = &[
            ("espeak-ng -w {out}", &["espeak-ng", "-w", "{out}"]),
            (
                "piper --model 'en US/joe.onnx' --output_file {out}",
                &[
                    "piper",
                    "--model",
                    "en US/joe.onnx",
                    "--output_file",
                    "{out}",
                ],
            ),
            (
                r#"say "a \"b\" \\ c" d\ e"#,
                &["say", r#"a "b" \ c"#, "d e"],
            ),
            ("  tts   ''  x''y ", &["tts", "", "xy"]),
            (r#"tts "\n stays""#, &["tts", r"\n stays"]),
        ];
        for (line, words) in cases {
            assert_eq!(split(line).unwrap(), *words, "{line}");
        }
        assert!(
            split("tts 'open")
                .unwrap_err()
                .contains("quote is not closed")
        );
        assert!(
            split("tts \"open")
                .unwrap_err()
                .contains("quote is not closed")
        );
        assert!(split("tts end\\").unwrap_err().contains("lone backslash"));
        assert!(Template::parse("   ").unwrap_err().contains("empty"));
    }

    #[test]
    fn text_in_a_shell_script_is_refused_and_elsewhere_is_kept() {
        for line in [
            "sh -c 'espeak-ng {text} -w {out}'",
            "/bin/bash -ec \"say '{text}' > {out}\"",
            "env -i dash -x -c 'x{text}'",
            "fish --command 'say {text}'",
        ] {
            let e = Template::parse(line).unwrap_err();
            assert!(
                e.contains("would run each question as shell code"),
                "{line}: {e}"
            );
            assert!(e.contains("$REHEARSE_TEXT"), "{e}");
        }
        for line in [
            // The text as an argument after the script, or in the environment: data.
            "sh -c 'espeak-ng \"$1\" -w \"$2\"' sh {text} {out}",
            "sh -c 'espeak-ng \"$REHEARSE_TEXT\" -w {out}'",
            "sh script.sh {text}",
            "bash -- {text}",
            "espeak-ng -c {text}",
        ] {
            assert!(Template::parse(line).is_ok(), "{line}");
        }
    }

    #[test]
    fn text_and_out_stay_one_argument_whatever_they_hold() {
        let template = Template::parse("tts --text={text} -o {out} --say {text}{text}").unwrap();
        assert!(template.takes_text() && template.writes_file());
        let text = "it's $(rm -rf ~); `ls` {out}";
        let argv = template.argv(text, Path::new("/tmp/x y.wav"));
        let argv: Vec<_> = argv.iter().map(|a| a.to_str().unwrap()).collect();
        assert_eq!(
            argv,
            [
                "tts",
                &format!("--text={text}"),
                "-o",
                "/tmp/x y.wav",
                "--say",
                &format!("{text}{text}"),
            ]
        );
        let plain = Template::parse("espeak-ng --stdout").unwrap();
        assert!(!plain.takes_text() && !plain.writes_file());
    }

    fn sh(script: &str) -> Vec<OsString> {
        ["sh", "-c", script].map(OsString::from).to_vec()
    }

    #[test]
    fn a_program_gets_its_input_and_its_output_is_kept() {
        let argv = sh("tr a-z A-Z; printf %s \"$REHEARSE_TEXT\"; echo oops >&2; exit 3");
        let ran = run(&argv, "hello", true, Duration::from_secs(5), &never).unwrap();
        assert_eq!(ran.stdout, b"HELLOhello");
        assert_eq!(ran.stderr, "oops\n");
        assert_eq!(ran.status.code(), Some(3));
    }

    #[test]
    fn a_missing_program_and_a_hanging_one_are_told_apart() {
        let missing = [OsString::from("rehearse-no-such-tts")];
        assert!(matches!(
            run(&missing, "", false, Duration::from_secs(1), &never),
            Err(RunError::NotFound)
        ));
        // A child that would keep the pipe open is killed with it.
        let argv = sh("sleep 30 & sleep 30");
        let started = Instant::now();
        assert!(matches!(
            run(&argv, "", false, Duration::from_millis(300), &never),
            Err(RunError::TimedOut)
        ));
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    /// Whether a process is alive (a zombie is not).
    fn alive(pid: &str) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| !stat.split(") ").nth(1).unwrap_or("").starts_with('Z'))
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn what_a_program_left_running_ends_with_it_even_when_it_ends_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        let argv = sh(&format!("sleep 30 & echo $! > '{}'", pid_file.display()));
        let ran = run(&argv, "", false, Duration::from_secs(5), &never).unwrap();
        assert!(ran.status.success());
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        let pid = pid.trim();
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive(pid) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(!alive(pid), "the program's child {pid} is still running");
    }

    #[test]
    fn a_program_that_writes_without_end_is_stopped_at_the_limit() {
        let argv = sh("cat /dev/zero");
        let started = Instant::now();
        assert!(matches!(
            run(&argv, "", false, Duration::from_secs(30), &never),
            Err(RunError::TooMuch)
        ));
        assert!(started.elapsed() < Duration::from_secs(20));
    }

    #[test]
    fn a_program_is_ended_when_the_voice_is_stopped() {
        let argv = sh("sleep 30");
        let asked = Instant::now();
        let stop = || asked.elapsed() > Duration::from_millis(100);
        assert!(matches!(
            run(&argv, "", false, Duration::from_secs(30), &stop),
            Err(RunError::Stopped)
        ));
        assert!(asked.elapsed() < Duration::from_secs(5));
    }
}
