//! Playing recorded answers back (`review play`) on the output the cues use: the default
//! device opened the same way, at the configured volume, one answer at a time with pause
//! and seek. A recording is read from the disk as it plays, so an hour-long one starts at
//! once and takes no more memory than a short one; its header is read first, so a file
//! that is not a recording is found before a sound is made. Nothing here reads keys or
//! draws: the command does that and asks this player where it is.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rodio::source::Amplify;
use rodio::{Decoder, Player, Source};

use super::device::{open_sink, play_out, warm_up};

/// One recording, opened and checked, ready to play at the volume.
pub struct Clip {
    source: Amplify<Decoder<BufReader<File>>>,
    /// As long as its header says; a file cut off before its header was complete (by an
    /// earlier version, killed mid-answer) does not say.
    pub length: Option<Duration>,
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
    /// Opens a recording (a file of its own: never a link, a pipe or a device) and reads
    /// its header; `volume` is 0.0 to 1.0.
    pub fn open(path: &Path, volume: f32) -> Result<Clip, ClipError> {
        let file = crate::files::open_regular(path, false).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ClipError::Missing,
            _ => ClipError::Unreadable(e),
        })?;
        let length = file.metadata().map_err(ClipError::Unreadable)?.len();
        // The decoder reports a file cut short by ending early, not by an error; what
        // decodes is what can be heard, so it is played.
        let decoder = Decoder::builder()
            .with_data(BufReader::new(file))
            .with_byte_len(length)
            .with_seekable(true)
            .build()
            .map_err(|e| ClipError::Damaged(e.to_string()))?;
        super::plausible(decoder.sample_rate().get(), decoder.channels().get())
            .map_err(|e| ClipError::Damaged(e.to_string()))?;
        // The decoder holds the first stretch of sound once opened: none, no sound at all.
        if decoder.current_span_len() == Some(0) {
            return Err(ClipError::Empty);
        }
        let length = decoder.total_duration();
        Ok(Clip {
            source: decoder.amplify(volume),
            length,
        })
    }
}

/// The output device with one answer playing (or none).
pub struct Playback {
    _sink: rodio::MixerDeviceSink,
    player: Player,
    failed: Arc<AtomicBool>,
    length: Option<Duration>,
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
            length: None,
            #[cfg(target_os = "linux")]
            _alsa_messages: alsa_messages,
        })
    }

    /// Starts `clip` from its beginning, in place of whatever was playing.
    pub fn start(&mut self, clip: Clip) {
        self.player.clear();
        self.length = clip.length;
        self.player.append(clip.source);
        self.player.play();
    }

    /// How far into the answer playing is.
    pub fn position(&self) -> Duration {
        let at = self.player.get_pos();
        match self.length {
            Some(length) if self.done() => length,
            Some(length) => at.min(length),
            None => at,
        }
    }

    /// How long the answer is, if its file says.
    pub fn length(&self) -> Option<Duration> {
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
        if self.length.is_some_and(|length| to >= length) {
            self.player.skip_one();
        } else if self.player.try_seek(to).is_err() && !back {
            // Past the end of a recording that does not say how long it is.
            self.player.skip_one();
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
