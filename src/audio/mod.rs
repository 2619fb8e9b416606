//! Audio cues: which sounds exist, decoding them once into memory at start-up (built-in
//! or replaced by files in a folder), and playing them on an output device that is opened
//! in the background. Playing a cue does no file I/O and no decoding. Without a device the
//! session goes on silently; the caller is told once.

#[cfg(target_os = "linux")]
mod alsa_out;
mod device;
mod playback;
#[cfg(test)]
mod schedule_tests;
mod speech;

pub(crate) use device::raise_priority;
pub use device::{AudioOut, Notice, Speaker};
pub use playback::{Clip, Playback};
pub use speech::{Speech, SpeechControl};

/// The sound server's client library (libpulse, under ALSA's pulse plugin) writes its
/// own errors to standard error, which is the terminal, from whichever thread opens a
/// device: under a file-size limit (`ulimit -f`) each device opened says "ftruncate()
/// failed" (its shared memory cannot be sized, and it does without). alsa-lib's messages
/// are caught by a handler (`device.rs`); libpulse has none, but it sends them to the
/// system log instead when `PULSE_LOG_SYSLOG` is set. Set unless the person set it.
pub fn before_threads() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("PULSE_LOG_SYSLOG").is_none() {
        // SAFETY: called first thing in `main`, while the process has one thread: nothing
        // reads the environment at the same time.
        unsafe { std::env::set_var("PULSE_LOG_SYSLOG", "1") };
    }
}

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
use std::time::Duration;

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
    #[error("{}: {why}", path.display())]
    TooLong { path: PathBuf, why: String },
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
                    // A cue of one's own may be a link to a sound kept elsewhere; never
                    // a pipe or a device, and never more than a cue needs.
                    let bytes = crate::files::read_regular(&path, true, MOST_CUE_BYTES).map_err(
                        |source| SoundError::Read {
                            path: path.clone(),
                            error: source,
                        },
                    )?;
                    let bytes = close_streamed_wav(bytes);
                    let buffer = decode(bytes, volume, &CUE).map_err(|e| match e {
                        DecodeError::Empty => SoundError::Empty { path: path.clone() },
                        DecodeError::TooLong(why) => SoundError::TooLong {
                            path: path.clone(),
                            why,
                        },
                        DecodeError::Damaged(reason) => SoundError::Decode {
                            path: path.clone(),
                            reason,
                        },
                    })?;
                    (SoundSource::File(path), buffer)
                }
                None => {
                    let buffer = decode(cue.builtin(), volume, &CUE)
                        .expect("built-in sounds decode (tested)");
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
        // Whatever is there, so that a pipe or a folder by that name is refused, not
        // passed over in silence.
        .find(|p| p.metadata().is_ok())
}

/// The rate speech is played at: the built-in cues' own, so the player never changes
/// rate between a cue and a speech (rodio 0.23 then plays the speech late or too fast).
const SPEECH_RATE: u32 = 48_000;

/// A cue file larger than this is not a cue (a 30 s stereo WAV of 32-bit samples is 11 MB).
const MOST_CUE_BYTES: u64 = 32 * 1024 * 1024;

/// How much sound a decoded whole may hold: duration × rate × channels, the samples kept
/// in memory. A file is refused before it is decoded if it says it holds more, and
/// decoding stops there if it holds more than it said (a small file of a few bytes a frame
/// can unpack to gigabytes).
pub struct Longest {
    samples: u64,
    /// What the sound is, for the message: `a cue`.
    what: &'static str,
}

/// Half a minute of 48 kHz stereo: a cue is a moment, not a song.
const CUE: Longest = Longest {
    samples: 30 * 48_000 * 2,
    what: "a cue",
};

/// Five minutes of 48 kHz mono: a question read aloud at the slowest speech rate.
pub const SPEECH: Longest = Longest {
    samples: 5 * 60 * 48_000,
    what: "a spoken question",
};

/// The sample rates a sound may have: below 4 kHz no voice is left to hear; nothing is
/// recorded above 384 kHz. A file that claims another is damaged (made up), and at 1 Hz
/// resampling it would make thousands of samples of each.
const RATES: std::ops::RangeInclusive<u32> = 4_000..=384_000;

/// More channels than a sound file of any kind has (7.1 is 8).
const MOST_CHANNELS: u16 = 8;

/// Why a sound cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the sound is empty")]
    Empty,
    #[error("{0}")]
    TooLong(String),
    #[error("{0}")]
    Damaged(String),
}

/// Refuses a sample rate or a number of channels that no real sound has.
pub(crate) fn plausible(rate: u32, channels: u16) -> Result<(), DecodeError> {
    if !RATES.contains(&rate) {
        return Err(DecodeError::Damaged(format!(
            "it says its sample rate is {rate} Hz; a sound has {} to {} Hz",
            RATES.start(),
            RATES.end()
        )));
    }
    if channels > MOST_CHANNELS {
        return Err(DecodeError::Damaged(format!(
            "it says it has {channels} channels; a sound has at most {MOST_CHANNELS}"
        )));
    }
    Ok(())
}

/// A WAV written to a pipe (`espeak-ng --stdout`) cannot say how long it is, and says
/// "as long as can be" instead: the sizes are set to what arrived, so that it is judged
/// by what it holds, not by what it says.
pub fn close_streamed_wav(mut wav: Vec<u8>) -> Vec<u8> {
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

/// Decodes a rendered speech (a WAV file's bytes) at `volume`, 0.0 to 1.0, resampled to
/// [`SPEECH_RATE`].
pub fn decode_speech(wav: Vec<u8>, volume: f32) -> Result<SamplesBuffer, DecodeError> {
    let decoded = decode(wav, volume, &SPEECH)?;
    let channels = decoded.channels();
    let rate = std::num::NonZero::new(SPEECH_RATE).expect("a rate is not zero");
    if decoded.sample_rate() == rate {
        return Ok(decoded);
    }
    // Within the limit at its own rate, so within it (give or take a sample a channel)
    // at the rate it is played at.
    let most = (SPEECH.samples + u64::from(channels.get()) * 2) as usize;
    let samples: Vec<f32> = rodio::source::UniformSourceIterator::new(decoded, channels, rate)
        .take(most)
        .collect();
    Ok(SamplesBuffer::new(channels, rate, samples))
}

/// Decodes a whole sound into memory, scaled by `volume`, no longer than `longest`.
fn decode<B>(bytes: B, volume: f32, longest: &Longest) -> Result<SamplesBuffer, DecodeError>
where
    B: AsRef<[u8]> + Send + Sync + 'static,
{
    let decoder =
        Decoder::new(Cursor::new(bytes)).map_err(|e| DecodeError::Damaged(e.to_string()))?;
    let channels = decoder.channels();
    let rate = decoder.sample_rate();
    plausible(rate.get(), channels.get())?;
    let per_second = u64::from(rate.get()) * u64::from(channels.get());
    let too_long = || {
        DecodeError::TooLong(format!(
            "it lasts longer than {} may (at most {} at {} Hz in {})",
            longest.what,
            crate::duration::clock(Duration::from_secs(longest.samples / per_second)),
            rate.get(),
            match channels.get() {
                1 => "1 channel".to_string(),
                n => format!("{n} channels"),
            }
        ))
    };
    let declared = decoder
        .total_duration()
        .map_or(0, |d| (d.as_secs_f64() * per_second as f64) as u64);
    if declared > longest.samples {
        return Err(too_long());
    }
    let samples: Vec<f32> = decoder
        .take(longest.samples as usize + 1)
        .map(|s| s * volume)
        .collect();
    if samples.len() as u64 > longest.samples {
        return Err(too_long());
    }
    if samples.is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(SamplesBuffer::new(channels, rate, samples))
}

/// A device's name as `--input-device` takes it (`pulse`), and what it says it is.
pub fn describe(device: &rodio::cpal::Device) -> Option<(String, String)> {
    use rodio::cpal::traits::DeviceTrait;
    let id = device.id().ok()?.to_string();
    // One host per platform: its prefix (`alsa:`) says nothing to the person.
    let name = id
        .split_once(':')
        .map_or(id.as_str(), |(_, n)| n)
        .to_string();
    let about = device
        .description()
        .ok()
        .map(|d| d.name().to_string())
        .unwrap_or_default();
    Some((name, about))
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
