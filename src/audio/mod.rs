//! Audio cues: which sounds exist, decoding them once into memory at start-up (built-in
//! or replaced by files in a folder), and playing them on an output device that is opened
//! in the background. Playing a cue does no file I/O and no decoding. Without a device the
//! session goes on silently; the caller is told once.

mod device;
mod playback;
#[cfg(test)]
mod schedule_tests;
mod speech;

pub use device::{AudioOut, Notice, Speaker};
pub use playback::{Clip, Playback};
pub use speech::{Speech, SpeechControl};

/// The audio output as a part of the session: each event's cue is queued as it happens.
pub struct CuePlayer<'a>(pub &'a AudioOut);

impl crate::session::Part for CuePlayer<'_> {
    fn react(&mut self, events: &[Event], _now: std::time::Duration) -> Vec<String> {
        for cue in events.iter().filter_map(cue_for) {
            self.0.play(cue);
        }
        Vec::new()
    }

    fn poll(&mut self) -> Option<String> {
        self.0.notice()?.message().map(str::to_string)
    }

    fn next_wake(&self, now: std::time::Duration) -> Option<std::time::Duration> {
        // Until the device has said how it went, look for its word a few times a second.
        (!self.0.settled()).then(|| now + std::time::Duration::from_millis(250))
    }

    fn ready(&self) -> bool {
        self.0.settled()
    }
}

use std::fmt;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rodio::{Decoder, Source, buffer::SamplesBuffer};

use crate::session::{Event, EventKind, SessionOutcome};

/// A moment that has a sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    /// Thinking time begins.
    Prep,
    /// Answer time begins.
    Start,
    /// The warning threshold is reached.
    Warning,
    /// One second passed in the last seconds.
    Tick,
    TimeUp,
    /// The interview is complete.
    Finish,
}

impl Cue {
    pub const ALL: [Cue; 6] = [
        Cue::Prep,
        Cue::Start,
        Cue::Warning,
        Cue::Tick,
        Cue::TimeUp,
        Cue::Finish,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Cue::Prep => "prep",
            Cue::Start => "start",
            Cue::Warning => "warning",
            Cue::Tick => "tick",
            Cue::TimeUp => "time_up",
            Cue::Finish => "finish",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Cue::Prep => "thinking time begins",
            Cue::Start => "answer time begins",
            Cue::Warning => "time is running out",
            Cue::Tick => "each of the last seconds",
            Cue::TimeUp => "time is up",
            Cue::Finish => "the interview is complete",
        }
    }

    fn builtin(self) -> &'static [u8] {
        match self {
            Cue::Prep => include_bytes!("../../sounds/prep.wav"),
            Cue::Start => include_bytes!("../../sounds/start.wav"),
            Cue::Warning => include_bytes!("../../sounds/warning.wav"),
            Cue::Tick => include_bytes!("../../sounds/tick.wav"),
            Cue::TimeUp => include_bytes!("../../sounds/time_up.wav"),
            Cue::Finish => include_bytes!("../../sounds/finish.wav"),
        }
    }
}

impl fmt::Display for Cue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Cue {
    type Err = String;

    fn from_str(s: &str) -> Result<Cue, String> {
        let wanted = s.trim().replace('-', "_").to_ascii_lowercase();
        Cue::ALL
            .into_iter()
            .find(|c| c.name() == wanted)
            .ok_or_else(|| {
                let names: Vec<_> = Cue::ALL.iter().map(|c| c.name()).collect();
                format!("{s:?} is not a cue; the cues are {}", names.join(", "))
            })
    }
}

/// The sound an event calls for, if any.
pub fn cue_for(event: &Event) -> Option<Cue> {
    Some(match event.kind {
        EventKind::PrepStarted => Cue::Prep,
        EventKind::AnswerStarted => Cue::Start,
        EventKind::Warning => Cue::Warning,
        EventKind::Tick { .. } => Cue::Tick,
        EventKind::TimeUp => Cue::TimeUp,
        EventKind::SessionEnded {
            outcome: SessionOutcome::Completed,
            ..
        } => Cue::Finish,
        _ => return None,
    })
}

/// File types a replacement sound may have, in the order they are looked for.
pub const EXTENSIONS: [&str; 4] = ["wav", "ogg", "mp3", "flac"];

/// Where a cue's sound comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SoundSource {
    Builtin,
    File(PathBuf),
}

/// Every cue decoded, at the chosen volume, ready to play.
#[derive(Clone)]
pub struct CueSounds {
    sounds: Vec<(Cue, SoundSource, SamplesBuffer)>,
}

#[derive(Debug, thiserror::Error)]
pub enum SoundError {
    #[error("{}: {error}", path.display())]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}: cannot decode this sound ({reason})", path.display())]
    Decode { path: PathBuf, reason: String },
    #[error("{}: the sound is empty", path.display())]
    Empty { path: PathBuf },
    #[error(
        "{}: no such folder of sounds (name one that holds warning.ogg, time_up.mp3, ...)",
        path.display()
    )]
    NoFolder { path: PathBuf },
}

impl CueSounds {
    /// Decodes every cue: a file named after it in `dir` (`warning.ogg`, …) if there is
    /// one, the built-in sound otherwise. `volume` is 0.0 to 1.0.
    pub fn load(dir: Option<&Path>, volume: f32) -> Result<CueSounds, SoundError> {
        if let Some(dir) = dir.filter(|d| !d.is_dir()) {
            return Err(SoundError::NoFolder {
                path: dir.to_path_buf(),
            });
        }
        let mut sounds = Vec::with_capacity(Cue::ALL.len());
        for cue in Cue::ALL {
            let (source, buffer) = match dir.and_then(|d| replacement(d, cue)) {
                Some(path) => {
                    let bytes = std::fs::read(&path).map_err(|source| SoundError::Read {
                        path: path.clone(),
                        error: source,
                    })?;
                    let buffer = decode(bytes, volume).map_err(|reason| match reason {
                        None => SoundError::Empty { path: path.clone() },
                        Some(reason) => SoundError::Decode {
                            path: path.clone(),
                            reason,
                        },
                    })?;
                    (SoundSource::File(path), buffer)
                }
                None => {
                    let buffer =
                        decode(cue.builtin(), volume).expect("built-in sounds decode (tested)");
                    (SoundSource::Builtin, buffer)
                }
            };
            sounds.push((cue, source, buffer));
        }
        Ok(CueSounds { sounds })
    }

    pub fn source(&self, cue: Cue) -> &SoundSource {
        &self.entry(cue).1
    }

    /// A cheap handle on the decoded samples (shared, not copied).
    pub fn buffer(&self, cue: Cue) -> SamplesBuffer {
        self.entry(cue).2.clone()
    }

    pub fn duration(&self, cue: Cue) -> std::time::Duration {
        self.entry(cue).2.total_duration().unwrap_or_default()
    }

    fn entry(&self, cue: Cue) -> &(Cue, SoundSource, SamplesBuffer) {
        self.sounds
            .iter()
            .find(|(c, ..)| *c == cue)
            .expect("every cue is loaded")
    }
}

fn replacement(dir: &Path, cue: Cue) -> Option<PathBuf> {
    EXTENSIONS
        .iter()
        .map(|ext| dir.join(format!("{}.{ext}", cue.name())))
        .find(|p| p.is_file())
}

/// The rate speech is played at: the built-in cues' own, so the player never changes
/// rate between a cue and a speech (rodio 0.23 then plays the speech late or too fast).
const SPEECH_RATE: u32 = 48_000;

/// Decodes a rendered speech (a WAV file's bytes) at `volume`, 0.0 to 1.0, resampled to
/// [`SPEECH_RATE`].
pub fn decode_speech(wav: Vec<u8>, volume: f32) -> Result<SamplesBuffer, String> {
    let decoded =
        decode(wav, volume).map_err(|e| e.unwrap_or_else(|| "the sound is empty".to_string()))?;
    let channels = decoded.channels();
    let rate = std::num::NonZero::new(SPEECH_RATE).expect("a rate is not zero");
    if decoded.sample_rate() == rate {
        return Ok(decoded);
    }
    let samples: Vec<f32> =
        rodio::source::UniformSourceIterator::new(decoded, channels, rate).collect();
    Ok(SamplesBuffer::new(channels, rate, samples))
}

/// Decodes a whole sound into memory, scaled by `volume`. `Err(None)` for no samples.
fn decode<B>(bytes: B, volume: f32) -> Result<SamplesBuffer, Option<String>>
where
    B: AsRef<[u8]> + Send + Sync + 'static,
{
    let decoder = Decoder::new(Cursor::new(bytes)).map_err(|e| Some(e.to_string()))?;
    let channels = decoder.channels();
    let rate = decoder.sample_rate();
    let samples: Vec<f32> = decoder.map(|s| s * volume).collect();
    if samples.is_empty() {
        return Err(None);
    }
    Ok(SamplesBuffer::new(channels, rate, samples))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_sound_decodes_to_a_pleasant_length() {
        let sounds = CueSounds::load(None, 1.0).unwrap();
        for cue in Cue::ALL {
            assert_eq!(sounds.source(cue), &SoundSource::Builtin);
            let ms = sounds.duration(cue).as_millis();
            assert!((100..=800).contains(&ms), "{cue}: {ms} ms");
            let peak = sounds.buffer(cue).fold(0.0f32, |m, s| m.max(s.abs()));
            assert!(peak > 0.1 && peak < 0.9, "{cue}: peak {peak}");
        }
    }

    #[test]
    fn volume_scales_the_samples() {
        let loud = CueSounds::load(None, 1.0).unwrap();
        let soft = CueSounds::load(None, 0.5).unwrap();
        let peak = |s: &CueSounds| s.buffer(Cue::Start).fold(0.0f32, |m, x| m.max(x.abs()));
        assert!((peak(&soft) * 2.0 - peak(&loud)).abs() < 1e-3);
    }

    #[test]
    fn a_file_in_the_folder_replaces_one_cue() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("warning.wav"), Cue::Tick.builtin()).unwrap();
        let sounds = CueSounds::load(Some(dir.path()), 1.0).unwrap();
        assert_eq!(
            sounds.source(Cue::Warning),
            &SoundSource::File(dir.path().join("warning.wav"))
        );
        assert_eq!(sounds.duration(Cue::Warning), sounds.duration(Cue::Tick));
        assert_eq!(sounds.source(Cue::Start), &SoundSource::Builtin);
    }

    #[test]
    fn a_broken_file_is_refused_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("time_up.mp3"), b"this is not audio").unwrap();
        let err = CueSounds::load(Some(dir.path()), 1.0)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("time_up.mp3"), "{err}");
        assert!(err.contains("cannot decode"), "{err}");
    }

    #[test]
    fn speech_is_resampled_to_the_rate_of_the_cues_and_keeps_its_length() {
        // Half a second of a 22,050 Hz sound, as espeak-ng writes it.
        let mut wav = Vec::new();
        let samples = 11_025u32;
        for chunk in [&b"RIFF"[..], &(36 + samples * 2).to_le_bytes(), b"WAVEfmt "] {
            wav.extend_from_slice(chunk);
        }
        for field in [16u32, 1 | (1 << 16), 22_050, 44_100, 2 | (16 << 16)] {
            wav.extend_from_slice(&field.to_le_bytes());
        }
        wav.extend_from_slice(b"data");
        wav.extend_from_slice(&(samples * 2).to_le_bytes());
        for i in 0..samples {
            let s = ((i as f32 * 0.1).sin() * 10_000.0) as i16;
            wav.extend_from_slice(&s.to_le_bytes());
        }
        let speech = decode_speech(wav, 0.5).unwrap();
        assert_eq!(speech.sample_rate().get(), 48_000);
        let ms = speech.total_duration().unwrap().as_millis();
        assert!((495..=505).contains(&ms), "{ms} ms");
        assert!(decode_speech(b"not a wav".to_vec(), 1.0).is_err());
    }

    #[test]
    fn cue_names_parse() {
        assert_eq!("time-up".parse::<Cue>(), Ok(Cue::TimeUp));
        assert!(
            "bell"
                .parse::<Cue>()
                .unwrap_err()
                .contains("prep, start, warning")
        );
    }
}
