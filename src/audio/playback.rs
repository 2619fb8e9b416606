//! Playing recorded answers back (`review play`) on the output the cues use: the default
//! device opened the same way, at the configured volume, one answer at a time with pause
//! and seek. A recording is decoded whole before it plays, so a damaged file is found
//! before a sound is made and seeking is exact. Nothing here reads keys or draws: the
//! command does that and asks this player where it is.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rodio::buffer::SamplesBuffer;
use rodio::{Player, Source};

use super::device::{open_sink, play_out, warm_up};

/// One recording, decoded and scaled to the volume, ready to play.
pub struct Clip {
    buffer: SamplesBuffer,
    pub length: Duration,
}

/// Why a recording cannot be played, for one line naming the file.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ClipError {
    #[error("the recording is missing")]
    Missing,
    #[error("cannot read the recording: {0}")]
    Unreadable(std::io::Error),
    #[error("the recording is damaged ({0})")]
    Damaged(String),
    #[error("the recording holds no sound")]
    Empty,
}

impl Clip {
    /// Reads and decodes a whole recording; `volume` is 0.0 to 1.0.
    pub fn load(path: &Path, volume: f32) -> Result<Clip, ClipError> {
        let bytes = std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ClipError::Missing,
            _ => ClipError::Unreadable(e),
        })?;
        // The decoder reports a file cut short by ending early, not by an error; what
        // decodes is what can be heard, so it is played.
        let buffer = super::decode(bytes, volume).map_err(|reason| match reason {
            Some(reason) => ClipError::Damaged(reason),
            None => ClipError::Empty,
        })?;
        let length = buffer.total_duration().unwrap_or_default();
        Ok(Clip { buffer, length })
    }
}

/// The output device with one answer playing (or none).
pub struct Playback {
    _sink: rodio::MixerDeviceSink,
    player: Player,
    failed: Arc<AtomicBool>,
    length: Duration,
    #[cfg(target_os = "linux")]
    _alsa_messages: Option<std::rc::Rc<std::cell::RefCell<alsa::Output>>>,
}

impl Playback {
    /// Opens the default output device and lets it warm up; the error says why not.
    pub fn open() -> Result<Playback, String> {
        // alsa-lib prints its own errors to stderr while a device is opened; they go
        // into a buffer while this lives.
        #[cfg(target_os = "linux")]
        let alsa_messages = alsa::Output::local_error_handler().ok();
        let failed = Arc::new(AtomicBool::new(false));
        let sink = open_sink(&failed)?;
        let player = Player::connect_new(sink.mixer());
        warm_up(&player);
        player.pause();
        Ok(Playback {
            _sink: sink,
            player,
            failed,
            length: Duration::ZERO,
            #[cfg(target_os = "linux")]
            _alsa_messages: alsa_messages,
        })
    }

    /// Starts `clip` from its beginning, in place of whatever was playing.
    pub fn start(&mut self, clip: &Clip) {
        self.player.clear();
        self.length = clip.length;
        self.player.append(clip.buffer.clone());
        self.player.play();
    }

    /// How far into the answer playing is.
    pub fn position(&self) -> Duration {
        if self.done() {
            self.length
        } else {
            self.player.get_pos().min(self.length)
        }
    }

    pub fn length(&self) -> Duration {
        self.length
    }

    /// The answer has played to its end (or was stopped).
    pub fn done(&self) -> bool {
        self.player.empty()
    }

    /// The device went away while playing.
    pub fn failed(&self) -> bool {
        self.failed.load(Ordering::SeqCst)
    }

    pub fn paused(&self) -> bool {
        self.player.is_paused()
    }

    pub fn toggle_pause(&self) {
        if self.player.is_paused() {
            self.player.play();
        } else {
            self.player.pause();
        }
    }

    /// Jumps by `delta` seconds (back when negative), kept within the answer; a jump
    /// past the end ends it.
    pub fn jump(&self, back: bool, by: Duration) {
        if self.done() {
            return;
        }
        let now = self.player.get_pos();
        let to = if back {
            now.saturating_sub(by)
        } else {
            now + by
        };
        if to >= self.length {
            self.player.skip_one();
        } else {
            // A recording in memory always seeks; should it not, playing goes on.
            let _ = self.player.try_seek(to);
        }
    }

    /// Stops the answer playing now.
    pub fn stop(&self) {
        self.player.clear();
    }

    /// Lets what the device still holds play out (a short silence), waiting at most
    /// `timeout`, so the end of the last answer is not cut off when the device closes.
    pub fn finish(self, timeout: Duration) {
        self.player.play();
        play_out(&self.player, &self.failed, Instant::now() + timeout);
    }
}
