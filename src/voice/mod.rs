//! The interviewer's voice (`--speak`): a text-to-speech program, run apart, renders each
//! question to a WAV that rehearse plays through its own audio output. `espeak-ng` by
//! default; any program that writes a WAV through `--voice-command`. This module renders;
//! [`VoicePart`] renders ahead on a thread of its own and plays during the session. A
//! voice that is missing or fails is a warning, never a failed session.

mod command;
mod part;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use command::Template;
pub use part::VoicePart;

/// The default voice's program (Debian and Ubuntu package `espeak-ng`).
pub const ESPEAK: &str = "espeak-ng";

/// A rendering that takes longer than this is stopped: the question is shown only.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// `--speech-rate`: what espeak-ng accepts, in words a minute.
pub const RATES: std::ops::RangeInclusive<u32> = 80..=450;

/// Which voice reads the questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoiceChoice {
    /// espeak-ng, with its own default voice and speed unless these are set.
    Espeak {
        voice: Option<String>,
        rate: Option<u32>,
    },
    /// A command line of one's own, with `{text}` and `{out}` places.
    Command(String),
}

impl VoiceChoice {
    /// One line for `rehearse sounds` and the log.
    pub fn describe(&self) -> String {
        match self {
            VoiceChoice::Espeak { voice, rate } => {
                let voice = voice
                    .as_deref()
                    .map_or_else(|| "its default voice".to_string(), |v| format!("voice {v}"));
                let rate = rate.map_or_else(
                    || "its default speed".to_string(),
                    |r| format!("{r} words a minute"),
                );
                format!("{ESPEAK}, {voice}, {rate}")
            }
            VoiceChoice::Command(line) => format!("voice command: {line}"),
        }
    }

    fn template(&self) -> Result<Template, VoiceError> {
        match self {
            VoiceChoice::Espeak { voice, rate } => {
                let mut words = vec![ESPEAK.to_string(), "-w".into(), command::OUT.into()];
                if let Some(voice) = voice {
                    words.extend(["-v".to_string(), voice.clone()]);
                }
                if let Some(rate) = rate {
                    words.extend(["-s".to_string(), rate.to_string()]);
                }
                // The text on standard input: a question that starts with `-` is still
                // a question, not an option.
                Ok(Template::from_words(words))
            }
            VoiceChoice::Command(line) => {
                Template::parse(line).map_err(|reason| VoiceError::BadCommand {
                    command: line.clone(),
                    reason,
                })
            }
        }
    }

    /// The program this voice runs.
    pub fn program(&self) -> String {
        self.template()
            .map_or_else(|_| String::new(), |t| t.program().to_string())
    }

    /// Where its program is on `PATH`, if it is there.
    pub fn find_program(&self) -> Option<PathBuf> {
        let program = self.program();
        if program.contains('/') {
            return Path::new(&program)
                .is_file()
                .then(|| PathBuf::from(&program));
        }
        std::env::split_paths(&std::env::var_os("PATH")?)
            .map(|dir| dir.join(&program))
            .find(|p| p.is_file())
    }
}

/// Why a question could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VoiceError {
    #[error("{program} is not installed, so questions are not read aloud{hint}")]
    NotFound { program: String, hint: &'static str },
    #[error("{program} took more than {secs} s to render a question and was stopped")]
    TimedOut { program: String, secs: u64 },
    #[error("{program} failed ({status}{said})")]
    Failed {
        program: String,
        status: String,
        said: String,
    },
    #[error("{program} wrote no sound that can be played ({reason})")]
    NoSound { program: String, reason: String },
    #[error("the voice command {command:?} cannot be used: {reason}")]
    BadCommand { command: String, reason: String },
    #[error("cannot run {program}: {reason}")]
    Io { program: String, reason: String },
    #[error("the voice was stopped")]
    Stopped,
}

impl VoiceError {
    /// The voice will fail the same way for every question: stop trying.
    pub fn lasting(&self) -> bool {
        matches!(
            self,
            VoiceError::NotFound { .. }
                | VoiceError::TimedOut { .. }
                | VoiceError::BadCommand { .. }
                | VoiceError::Stopped
        )
    }
}

/// Renders `text` with the chosen voice: the WAV file's bytes. `stop` says when to give
/// up at once (the session is ending): the program is ended and its files removed.
pub fn render(
    choice: &VoiceChoice,
    text: &str,
    timeout: Duration,
    stop: &dyn Fn() -> bool,
) -> Result<Vec<u8>, VoiceError> {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| crate::signals::before_exit(end_all));
    let template = choice.template()?;
    let program = template.program().to_string();
    let io = |e: std::io::Error| VoiceError::Io {
        program: program.clone(),
        reason: e.to_string(),
    };
    let scratch = Scratch::new().map_err(io)?;
    let out = scratch.dir.join("question.wav");
    let argv = template.argv(text, &out);
    let stdin = !template.takes_text();
    let ran = command::run(&argv, text, stdin, timeout, stop).map_err(|e| match e {
        command::RunError::NotFound => VoiceError::NotFound {
            program: program.clone(),
            hint: if program == ESPEAK {
                " (on Debian or Ubuntu: apt-get install espeak-ng)"
            } else {
                ""
            },
        },
        command::RunError::TimedOut => VoiceError::TimedOut {
            program: program.clone(),
            secs: timeout.as_secs().max(1),
        },
        command::RunError::TooMuch => VoiceError::NoSound {
            program: program.clone(),
            reason: format!(
                "it wrote more than {} on its standard output",
                crate::text::mebibytes(command::MOST_OUTPUT)
            ),
        },
        command::RunError::Stopped => VoiceError::Stopped,
        command::RunError::Io(e) => io(e),
    })?;
    if !ran.status.success() {
        let said = ran
            .stderr
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(|l| format!(": {}", crate::text::sanitize(l)))
            .unwrap_or_default();
        return Err(VoiceError::Failed {
            program,
            status: ran.status.to_string(),
            said,
        });
    }
    let wav = if template.writes_file() {
        // What the program left at {out}: a file of its own, not a link, a pipe or a
        // device, and no larger than a spoken question.
        crate::files::read_regular(&out, false, command::MOST_OUTPUT).map_err(|e| {
            VoiceError::NoSound {
                program: program.clone(),
                reason: match e.kind() {
                    std::io::ErrorKind::NotFound => format!("no file at {{out}}: {e}"),
                    _ => format!("{{out}}: {e}"),
                },
            }
        })?
    } else {
        ran.stdout
    };
    // A WAV written as it was made may not say how long it is: it is as long as it is.
    let wav = crate::audio::close_streamed_wav(wav);
    if wav.is_empty() {
        return Err(VoiceError::NoSound {
            program,
            reason: "it is empty".into(),
        });
    }
    Ok(wav)
}

/// The scratch folders that exist now, so that a way out that cannot wait for their
/// renderings (a second Ctrl-C) still removes them.
static SCRATCH: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Ends every voice program still running and removes every scratch folder: before the
/// process exits at once.
pub fn end_all() {
    command::end_all();
    for dir in SCRATCH.lock().unwrap_or_else(|e| e.into_inner()).drain(..) {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// A private folder for one rendering, removed after it.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new() -> std::io::Result<Scratch> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        loop {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let dir =
                std::env::temp_dir().join(format!("rehearse-voice-{}-{n}", std::process::id()));
            // Never a folder that was already there (or a link put in its place).
            let mut scratch = SCRATCH.lock().unwrap_or_else(|e| e.into_inner());
            match builder.create(&dir) {
                Ok(()) => {
                    scratch.push(dir.clone());
                    return Ok(Scratch { dir });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 10_000 => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        SCRATCH
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|d| d != &self.dir);
    }
}

/// An espeak-ng voice name: letters, digits and `-_+.`; never an option.
pub fn parse_name(text: &str) -> Result<String, String> {
    let name = text.trim();
    let fine = !name.is_empty()
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_+.".contains(c));
    if fine {
        Ok(name.to_string())
    } else {
        Err(format!(
            "{text:?} is not a voice name; names are like en-us or en-gb-x-rp (espeak-ng --voices)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(dir: &Path, body: &str) -> String {
        let path = dir.join("tts");
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        path.display().to_string()
    }

    #[test]
    fn the_espeak_command_reads_the_text_from_standard_input() {
        let choice = VoiceChoice::Espeak {
            voice: Some("en-us".into()),
            rate: Some(160),
        };
        let template = choice.template().unwrap();
        assert!(!template.takes_text());
        let argv = template.argv("-v is a question", Path::new("/t/q.wav"));
        assert_eq!(
            argv,
            ["espeak-ng", "-w", "/t/q.wav", "-v", "en-us", "-s", "160"]
                .map(std::ffi::OsString::from)
        );
        assert_eq!(
            choice.describe(),
            "espeak-ng, voice en-us, 160 words a minute"
        );
    }

    #[test]
    fn a_command_of_ones_own_gets_the_text_and_the_place_to_write() {
        let dir = tempfile::tempdir().unwrap();
        // Writes its text, as given, into the WAV's place: what arrives is exact.
        let tts = script(dir.path(), r#"printf 'RIFF%s' "$1" > "$2""#);
        let choice = VoiceChoice::Command(format!("'{tts}' {{text}} {{out}}"));
        let wav = render(&choice, "it's $HOME; `x`", TIMEOUT, &|| false).unwrap();
        assert_eq!(wav, b"RIFFit's $HOME; `x`");
        // Without {text} the text is on standard input; without {out}, the sound on
        // standard output.
        let tts = script(dir.path(), "cat");
        let wav = render(&VoiceChoice::Command(tts), "spoken", TIMEOUT, &|| false).unwrap();
        assert_eq!(wav, b"spoken");
    }

    #[test]
    fn failures_say_what_went_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let missing = VoiceChoice::Command("rehearse-no-such-tts {out}".into());
        let e = render(&missing, "x", TIMEOUT, &|| false).unwrap_err();
        assert_eq!(
            e.to_string(),
            "rehearse-no-such-tts is not installed, so questions are not read aloud"
        );
        assert!(e.lasting());
        let tts = script(dir.path(), "echo 'no such voice' >&2; exit 1");
        let e = render(
            &VoiceChoice::Command(format!("{tts} {{out}}")),
            "x",
            TIMEOUT,
            &|| false,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .ends_with("failed (exit status: 1: no such voice)"),
            "{e}"
        );
        assert!(!e.lasting());
        let tts = script(dir.path(), "exit 0");
        let e = render(
            &VoiceChoice::Command(format!("{tts} {{out}}")),
            "x",
            TIMEOUT,
            &|| false,
        )
        .unwrap_err();
        assert!(matches!(e, VoiceError::NoSound { .. }), "{e}");
        let tts = script(dir.path(), "sleep 20");
        let e = render(
            &VoiceChoice::Command(tts),
            "x",
            Duration::from_millis(200),
            &|| false,
        )
        .unwrap_err();
        assert!(matches!(e, VoiceError::TimedOut { .. }), "{e}");
        let e = render(
            &VoiceChoice::Command("tts 'open".into()),
            "x",
            TIMEOUT,
            &|| false,
        )
        .unwrap_err();
        assert!(e.to_string().contains("not closed"), "{e}");
    }

    /// Renders with a script, on a thread of its own: a test that would hang fails.
    fn render_within(dir: &Path, body: &str, out: bool) -> Result<Vec<u8>, VoiceError> {
        let tts = script(dir, body);
        let line = if out { format!("{tts} {{out}}") } else { tts };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(render(&VoiceChoice::Command(line), "x", TIMEOUT, &|| false));
        });
        rx.recv_timeout(Duration::from_secs(30))
            .expect("the rendering ended within 30 s")
    }

    #[test]
    fn what_is_at_out_is_read_only_if_it_is_a_file_and_not_too_large() {
        let dir = tempfile::tempdir().unwrap();
        let no_sound = |body: &str| match render_within(dir.path(), body, true) {
            Err(VoiceError::NoSound { reason, .. }) => reason,
            other => panic!("{body}: {other:?}"),
        };
        // A pipe nobody writes to, a link to an endless device, a file past the limit.
        assert!(no_sound(r#"mkfifo "$1""#).contains("a pipe"));
        assert!(no_sound(r#"ln -s /dev/zero "$1""#).contains("a link"));
        assert!(no_sound(r#"truncate -s 65M "$1""#).contains("larger than 64.0 MiB"));
        // And on standard output: no more than that is kept.
        let e = render_within(dir.path(), "head -c 100000000 /dev/zero", false).unwrap_err();
        assert!(e.to_string().contains("more than 64.0 MiB"), "{e}");
    }

    #[test]
    fn the_text_is_in_the_environment_too() {
        let dir = tempfile::tempdir().unwrap();
        let wav = render_within(
            dir.path(),
            r#"printf 'RIFF%s' "$REHEARSE_TEXT" > "$1""#,
            true,
        );
        assert_eq!(wav.unwrap(), b"RIFFx");
    }

    #[test]
    fn espeak_not_installed_says_how_to_install_it() {
        let e = VoiceError::NotFound {
            program: ESPEAK.into(),
            hint: " (on Debian or Ubuntu: apt-get install espeak-ng)",
        };
        assert_eq!(
            e.to_string(),
            "espeak-ng is not installed, so questions are not read aloud (on Debian or Ubuntu: apt-get install espeak-ng)"
        );
    }
}
