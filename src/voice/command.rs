//! A text-to-speech command: split into words once, as a shell would split it (quotes and
//! backslashes), then, for each text, `{text}` and `{out}` replaced inside each word and
//! the program run directly, never through a shell, so no text can be taken for a command.
//! A program that hangs is killed, with everything it started, after a timeout.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub const TEXT: &str = "{text}";
pub const OUT: &str = "{out}";

/// Splits a command line into words the way a POSIX shell does, without expanding
/// anything: 'single quotes' keep everything, "double quotes" keep all but `\"`, `\\`,
/// `\$` and `` \` ``, and a backslash outside quotes keeps the next character.
pub fn split(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
            }
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return Err("a single quote (') is not closed".into()),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => w.push(c),
                            Some('\n') => {}
                            Some(c) => {
                                w.push('\\');
                                w.push(c);
                            }
                            None => return Err("a double quote (\") is not closed".into()),
                        },
                        Some(c) => w.push(c),
                        None => return Err("a double quote (\") is not closed".into()),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(c) => word.get_or_insert_with(String::new).push(c),
                None => return Err("the command ends with a lone backslash".into()),
            },
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Ok(words)
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

/// How a run went wrong.
#[derive(Debug)]
pub enum RunError {
    /// The program is not installed (not on `PATH`).
    NotFound,
    /// It did not end within the timeout, and was killed.
    TimedOut,
    /// It could not be started or talked to.
    Io(std::io::Error),
}

/// What a program that ended said.
#[derive(Debug)]
pub struct Ran {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    /// The first of what it wrote on standard error, to explain a failure.
    pub stderr: String,
}

/// Standard output larger than this is not a spoken question.
const MAX_OUTPUT: u64 = 256 * 1024 * 1024;

/// Runs `argv` with `stdin` as its standard input (or none), waiting at most `timeout`.
pub fn run(argv: &[OsString], stdin: Option<&str>, timeout: Duration) -> Result<Ran, RunError> {
    let mut command = Command::new(&argv[0]);
    command
        .args(&argv[1..])
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A group of its own, so a hanging command is killed with whatever it started.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => RunError::NotFound,
        _ => RunError::Io(e),
    })?;
    if let (Some(mut pipe), Some(text)) = (child.stdin.take(), stdin) {
        let text = text.to_string();
        // A program that does not read it ends the pipe: that is not an error here.
        std::thread::spawn(move || {
            let _ = pipe.write_all(text.as_bytes());
        });
    }
    let stdout = read_all(child.stdout.take(), MAX_OUTPUT);
    let stderr = read_all(child.stderr.take(), 4096);
    let started = Instant::now();
    let status = loop {
        match child.try_wait().map_err(RunError::Io)? {
            Some(status) => break Some(status),
            None if started.elapsed() >= timeout => break None,
            None => std::thread::sleep(Duration::from_millis(2)),
        }
    };
    // Whatever it left running goes too: nothing of it outlives the question.
    kill_group(&mut child);
    let Some(status) = status else {
        let _ = child.wait();
        return Err(RunError::TimedOut);
    };
    let collect = |rx: mpsc::Receiver<Vec<u8>>| rx.recv_timeout(Duration::from_secs(1)).ok();
    Ok(Ran {
        status,
        stdout: collect(stdout).unwrap_or_default(),
        stderr: String::from_utf8_lossy(&collect(stderr).unwrap_or_default()).into_owned(),
    })
}

/// Reads a pipe to its end on a thread of its own, keeping at most `limit` bytes.
fn read_all<R: Read + Send + 'static>(pipe: Option<R>, limit: u64) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    if let Some(pipe) = pipe {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let mut pipe = pipe.take(limit);
            let _ = pipe.read_to_end(&mut bytes);
            // Drain the rest, so the writer is never blocked.
            let _ = std::io::copy(pipe.get_mut(), &mut std::io::sink());
            let _ = tx.send(bytes);
        });
    }
    rx
}

#[cfg(unix)]
fn kill_group(child: &mut std::process::Child) {
    // SAFETY: kill(2) on the process group this child leads (its id, set above).
    unsafe {
        libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL);
    }
}

#[cfg(not(unix))]
fn kill_group(child: &mut std::process::Child) {
    let _ = child.kill();
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(split("tts 'open").unwrap_err().contains("single quote"));
        assert!(split("tts \"open").unwrap_err().contains("double quote"));
        assert!(Template::parse("   ").unwrap_err().contains("empty"));
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

    #[test]
    fn a_program_gets_its_input_and_its_output_is_kept() {
        let argv: Vec<OsString> = ["sh", "-c", "tr a-z A-Z; echo oops >&2; exit 3"]
            .map(OsString::from)
            .to_vec();
        let ran = run(&argv, Some("hello"), Duration::from_secs(5)).unwrap();
        assert_eq!(ran.stdout, b"HELLO");
        assert_eq!(ran.stderr, "oops\n");
        assert_eq!(ran.status.code(), Some(3));
    }

    #[test]
    fn a_missing_program_and_a_hanging_one_are_told_apart() {
        let missing = [OsString::from("rehearse-no-such-tts")];
        assert!(matches!(
            run(&missing, None, Duration::from_secs(1)),
            Err(RunError::NotFound)
        ));
        // A child that would keep the pipe open is killed with it.
        let argv: Vec<OsString> = ["sh", "-c", "sleep 30 & sleep 30"]
            .map(OsString::from)
            .to_vec();
        let started = Instant::now();
        assert!(matches!(
            run(&argv, None, Duration::from_millis(300)),
            Err(RunError::TimedOut)
        ));
        assert!(started.elapsed() < Duration::from_secs(3));
    }
}
