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
}

impl VoiceError {
    /// The voice will fail the same way for every question: stop trying.
    pub fn lasting(&self) -> bool {
        matches!(
            self,
            VoiceError::NotFound { .. }
                | VoiceError::TimedOut { .. }
                | VoiceError::BadCommand { .. }
        )
    }
}

/// Renders `text` with the chosen voice: the WAV file's bytes.
pub fn render(choice: &VoiceChoice, text: &str, timeout: Duration) -> Result<Vec<u8>, VoiceError> {
    let template = choice.template()?;
    let program = template.program().to_string();
    let io = |e: std::io::Error| VoiceError::Io {
        program: program.clone(),
        reason: e.to_string(),
    };
    let scratch = Scratch::new().map_err(io)?;
    let out = scratch.dir.join("question.wav");
    let argv = template.argv(text, &out);
    let stdin = (!template.takes_text()).then_some(text);
    let ran = command::run(&argv, stdin, timeout).map_err(|e| match e {
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
        std::fs::read(&out).map_err(|e| VoiceError::NoSound {
            program: program.clone(),
            reason: format!("no file at {{out}}: {e}"),
        })?
    } else {
        close_streamed_wav(ran.stdout)
    };
    if wav.is_empty() {
        return Err(VoiceError::NoSound {
            program,
            reason: "it is empty".into(),
        });
    }
    Ok(wav)
}

/// A WAV written to a pipe (`espeak-ng --stdout`) cannot say how long it is, and says
/// "as long as can be" instead: the sizes are set to what arrived.
fn close_streamed_wav(mut wav: Vec<u8>) -> Vec<u8> {
    if wav.len() < 12 || &wav[..4] != b"RIFF" || &wav[8..12] != b"WAVE" {
        return wav;
    }
    let len = wav.len();
    let riff = (len - 8).min(u32::MAX as usize) as u32;
    wav[4..8].copy_from_slice(&riff.to_le_bytes());
    let mut at = 12;
    while at + 8 <= len {
        let size =
            u32::from_le_bytes([wav[at + 4], wav[at + 5], wav[at + 6], wav[at + 7]]) as usize;
        if &wav[at..at + 4] == b"data" {
            let real = (len - at - 8).min(size);
            wav[at + 4..at + 8].copy_from_slice(&(real as u32).to_le_bytes());
            break;
        }
        at += 8 + size + size % 2;
    }
    wav
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
            match builder.create(&dir) {
                Ok(()) => return Ok(Scratch { dir }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 10_000 => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
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
        let wav = render(&choice, "it's $HOME; `x`", TIMEOUT).unwrap();
        assert_eq!(wav, b"RIFFit's $HOME; `x`");
        // Without {text} the text is on standard input; without {out}, the sound on
        // standard output.
        let tts = script(dir.path(), "cat");
        let wav = render(&VoiceChoice::Command(tts), "spoken", TIMEOUT).unwrap();
        assert_eq!(wav, b"spoken");
    }

    #[test]
    fn failures_say_what_went_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let missing = VoiceChoice::Command("rehearse-no-such-tts {out}".into());
        let e = render(&missing, "x", TIMEOUT).unwrap_err();
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
        )
        .unwrap_err();
        assert!(matches!(e, VoiceError::NoSound { .. }), "{e}");
        let tts = script(dir.path(), "sleep 20");
        let e = render(&VoiceChoice::Command(tts), "x", Duration::from_millis(200)).unwrap_err();
        assert!(matches!(e, VoiceError::TimedOut { .. }), "{e}");
        let e = render(&VoiceChoice::Command("tts 'open".into()), "x", TIMEOUT).unwrap_err();
        assert!(e.to_string().contains("not closed"), "{e}");
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

    #[test]
    fn a_streamed_wav_gets_its_real_sizes() {
        let mut wav = b"RIFF\xff\xff\xff\x7fWAVEfmt \x10\0\0\0".to_vec();
        wav.extend([0u8; 16]);
        wav.extend(b"data\xff\xff\xff\x7f");
        wav.extend([1u8, 2, 3, 4]);
        let fixed = close_streamed_wav(wav.clone());
        assert_eq!(&fixed[4..8], &((wav.len() - 8) as u32).to_le_bytes());
        assert_eq!(&fixed[40..44], &4u32.to_le_bytes());
        assert_eq!(close_streamed_wav(b"not a wav".to_vec()), b"not a wav");
    }
}
