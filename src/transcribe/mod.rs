//! Speech to text, fully offline: the local model ([`moonshine`]) or a program of the
//! person's own ([`command`]), behind one type, [`Transcriber`]. A transcriber is loaded
//! once, on a thread of its own ([`Loading`]), and is then given chunks of 16 kHz mono
//! samples of at most 30 s; [`Worker`] takes chunks on a channel while an answer is still
//! being spoken and hands back the text of each. Nothing here prints: errors are values
//! whose message is one line saying what to do.

pub mod audio;
pub mod command;
pub mod files;
pub mod install;
pub mod moonshine;
mod onnx;
pub mod tokenizer;
mod worker;

use std::path::PathBuf;
use std::time::Duration;

pub use moonshine::{LoadOptions, Moonshine};
pub use worker::{Loading, Report, Worker};

/// The sample rate every chunk is at.
pub const RATE: u32 = 16_000;

/// The longest chunk the model is given at once.
pub const MAX_CHUNK: Duration = Duration::from_secs(30);

/// Why there is no transcript. Each message is one line that says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TranscribeError {
    #[error(
        "no speech model in {}: `rehearse models install` downloads it (63.6 MB), or point --model at a folder that has it",
        dir.display()
    )]
    NoModel { dir: PathBuf },
    #[error(
        "the speech model file {} is damaged ({why}): `rehearse models install` fetches it again",
        file.display()
    )]
    Damaged { file: PathBuf, why: String },
    #[error("{}", no_library(path, why))]
    NoLibrary { path: Option<PathBuf>, why: String },
    #[error(
        "the converted speech model cannot be kept: {0} (set REHEARSE_CACHE_DIR to another folder)"
    )]
    Cache(String),
    #[error("the speech model failed: {0}")]
    Runtime(String),
    #[error("{0}")]
    Command(String),
}

fn no_library(path: &Option<PathBuf>, why: &str) -> String {
    let how = "`rehearse models install` downloads it, or give its path with --onnxruntime FILE or ORT_DYLIB_PATH";
    match path {
        None => format!("no ONNX Runtime library (1.22 or newer) beside the speech model: {how}"),
        Some(path) => format!(
            "cannot load the ONNX Runtime library {}: {why}; {how}",
            path.display()
        ),
    }
}

/// Which engine turns speech into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineChoice {
    /// The local model.
    Model(LoadOptions),
    /// `--transcribe-command`: a program given a WAV file, printing the text.
    Command(command::Template),
}

/// A loaded engine.
pub enum Transcriber {
    Model(Box<Moonshine>),
    Command(command::Template),
}

impl Transcriber {
    /// Loads the engine: about 2 s of CPU for the model (a little more on its first use,
    /// which converts it), nothing for a command. Call it off the path to the first
    /// question: [`Loading::start`] does so on a thread of its own.
    pub fn load(choice: &EngineChoice) -> Result<Transcriber, TranscribeError> {
        match choice {
            EngineChoice::Model(options) => {
                Ok(Transcriber::Model(Box::new(Moonshine::load(options)?)))
            }
            EngineChoice::Command(template) => Ok(Transcriber::Command(template.clone())),
        }
    }

    /// What the log calls this engine: `moonshine-base-en`, or `command:PROGRAM`.
    pub fn name(&self) -> String {
        match self {
            Transcriber::Model(model) => model.name().to_string(),
            Transcriber::Command(template) => format!("command:{}", template.program()),
        }
    }

    /// The text of one chunk: 16 kHz mono samples from -1 to 1, at most [`MAX_CHUNK`]
    /// long (a longer one goes through [`Transcriber::transcribe_long`]).
    pub fn transcribe(&mut self, samples: &[f32]) -> Result<String, TranscribeError> {
        match self {
            Transcriber::Model(model) => model.transcribe(samples),
            Transcriber::Command(template) => template.transcribe(samples),
        }
    }

    /// Like [`Transcriber::transcribe`], but the model gives up (`None`) as soon as
    /// `wanted` no longer holds; a program of one's own is let finish.
    pub fn transcribe_while(
        &mut self,
        samples: &[f32],
        wanted: &std::sync::atomic::AtomicBool,
    ) -> Result<Option<String>, TranscribeError> {
        match self {
            Transcriber::Model(model) => model.transcribe_while(samples, Some(wanted)),
            Transcriber::Command(template) => template.transcribe(samples).map(Some),
        }
    }

    /// The text of a recording of any length, cut into chunks at its quietest moments.
    pub fn transcribe_long(&mut self, samples: &[f32]) -> Result<String, TranscribeError> {
        let mut text = Vec::new();
        for range in audio::chunks(samples, MAX_CHUNK) {
            let part = self.transcribe(&samples[range])?;
            if !part.is_empty() {
                text.push(part);
            }
        }
        Ok(text.join(" "))
    }
}
