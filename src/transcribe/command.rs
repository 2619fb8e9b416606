//! `--transcribe-command`: a speech-to-text program of the person's own, such as a local
//! whisper.cpp. Each chunk is written as a 16 kHz mono WAV file, `{in}` in the command is
//! replaced by its path, and what the program prints on standard output is the text. The
//! words are split as a shell would split them (`shlex`), but no shell runs them.

use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

use super::TranscribeError;
use crate::child::{Job, RunError, run};

/// A chunk of 30 s of speech is a few hundred bytes of text: more is not a transcript.
const MOST_TEXT: u64 = 1024 * 1024;

/// Where the WAV file's path goes.
pub const IN: &str = "{in}";

/// A chunk of 30 s gets this long before the program is stopped: a slow engine on a
/// slow machine is still about ten times real time.
const TIMEOUT: Duration = Duration::from_secs(300);

/// Text longer than this is not a transcript of 30 s of speech.
const MAX_TEXT: usize = 64 * 1024;

/// A command with its `{in}` place, checked once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    words: Vec<String>,
    timeout: Duration,
}

impl Template {
    /// Splits and checks the command line: its words, and `{in}` in one of them.
    pub fn parse(line: &str) -> Result<Template, String> {
        let words = shlex::split(line)
            .ok_or_else(|| "a quote is not closed, or it ends with a lone backslash".to_string())?;
        if words.is_empty() {
            return Err("the command is empty".into());
        }
        if !words.iter().any(|w| w.contains(IN)) {
            return Err(format!(
                "{IN} is missing: it marks where the WAV file to transcribe goes, like 'whisper-cli -m model.bin -nt -f {IN}'"
            ));
        }
        Ok(Template {
            words,
            timeout: TIMEOUT,
        })
    }

    /// The same command with another timeout (tests and benchmarks).
    pub fn with_timeout(mut self, timeout: Duration) -> Template {
        self.timeout = timeout;
        self
    }

    /// The program that is run: the first word.
    pub fn program(&self) -> &str {
        &self.words[0]
    }

    fn argv(&self, input: &Path) -> Vec<OsString> {
        self.words
            .iter()
            .map(|word| {
                let mut arg = OsString::new();
                let mut parts = word.split(IN);
                if let Some(first) = parts.next() {
                    arg.push(first);
                }
                for part in parts {
                    arg.push(input.as_os_str());
                    arg.push(part);
                }
                arg
            })
            .collect()
    }

    /// Runs the program on one chunk and takes what it printed as the text.
    pub fn transcribe(&self, samples: &[f32]) -> Result<String, TranscribeError> {
        let fail = |m: String| TranscribeError::Command(format!("transcribe command: {m}"));
        let dir = tempfile::Builder::new()
            .prefix("rehearse-chunk")
            .tempdir()
            .map_err(|e| fail(format!("cannot make a folder for the chunk: {e}")))?;
        let input = dir.path().join("chunk.wav");
        std::fs::write(&input, super::audio::wav(samples))
            .map_err(|e| fail(format!("cannot write {}: {e}", input.display())))?;
        let program = self.program();
        let job = Job {
            env: &[],
            stdin: None,
            timeout: self.timeout,
            most_output: MOST_TEXT,
            stop: &|| false,
        };
        let ran = run(&self.argv(&input), &job).map_err(|e| match e {
            RunError::NotFound => fail(format!("{program} is not installed (not on PATH)")),
            RunError::TimedOut => fail(format!(
                "{program} did not finish within {} s and was stopped",
                self.timeout.as_secs_f64()
            )),
            RunError::TooMuch => fail(format!(
                "{program} wrote more than {} of text for a chunk and was stopped",
                crate::text::mebibytes(MOST_TEXT)
            )),
            RunError::Stopped => fail(format!("{program} was stopped")),
            RunError::Io(e) => fail(format!("cannot run {program}: {e}")),
        })?;
        if !ran.status.success() {
            let said = ran.stderr.lines().next().unwrap_or("").trim().to_string();
            return Err(fail(format!(
                "{program} failed ({}){}",
                ran.status,
                if said.is_empty() {
                    String::new()
                } else {
                    format!(": {said}")
                }
            )));
        }
        if ran.stdout.len() > MAX_TEXT {
            return Err(fail(format!(
                "{program} printed {} bytes, far more than a transcript",
                ran.stdout.len()
            )));
        }
        let text = String::from_utf8_lossy(&ran.stdout);
        Ok(text.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_need_their_input_place() {
        let t = Template::parse("whisper-cli -m 'my model.bin' -f {in} --prefix=x{in}y").unwrap();
        let argv = t.argv(Path::new("/tmp/a b.wav"));
        let argv: Vec<_> = argv.iter().map(|a| a.to_str().unwrap()).collect();
        assert_eq!(
            argv,
            [
                "whisper-cli",
                "-m",
                "my model.bin",
                "-f",
                "/tmp/a b.wav",
                "--prefix=x/tmp/a b.wavy"
            ]
        );
        assert!(
            Template::parse("whisper-cli -f x.wav")
                .unwrap_err()
                .contains("{in} is missing")
        );
        assert!(Template::parse("  ").unwrap_err().contains("empty"));
        assert!(
            Template::parse("w 'open {in}")
                .unwrap_err()
                .contains("quote")
        );
    }

    fn script(dir: &Path, body: &str) -> String {
        let path = dir.join("stt.sh");
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&path, perms).unwrap();
        path.display().to_string()
    }

    #[test]
    fn a_program_reads_the_chunk_and_its_output_is_the_text() {
        let dir = tempfile::tempdir().unwrap();
        // The stub says how many bytes the WAV has: a header and two bytes a sample.
        let stub = script(
            dir.path(),
            "printf '  um,  %s bytes\\n\\n' \"$(wc -c < \"$1\")\"",
        );
        let t = Template::parse(&format!("{stub} {{in}}")).unwrap();
        assert_eq!(t.transcribe(&[0.0; 100]).unwrap(), "um, 244 bytes");
    }

    #[test]
    fn failures_are_one_line_naming_the_program() {
        let dir = tempfile::tempdir().unwrap();
        let failing = script(dir.path(), "echo 'model not found' >&2; exit 2");
        let e = Template::parse(&format!("{failing} {{in}}"))
            .unwrap()
            .transcribe(&[0.0; 10])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("failed (exit status: 2): model not found"),
            "{e}"
        );
        let e = Template::parse("rehearse-no-such-stt {in}")
            .unwrap()
            .transcribe(&[0.0; 10])
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "transcribe command: rehearse-no-such-stt is not installed (not on PATH)"
        );
        let hanging = script(dir.path(), "sleep 30 & sleep 30");
        let started = std::time::Instant::now();
        let e = Template::parse(&format!("{hanging} {{in}}"))
            .unwrap()
            .with_timeout(Duration::from_millis(300))
            .transcribe(&[0.0; 10])
            .unwrap_err()
            .to_string();
        assert!(e.contains("did not finish within 0.3 s"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
