//! The output device on Linux, written by the audio thread itself through ALSA (as the
//! microphone is read). A cue is handed to the device whole the moment it is due, so the
//! sound server holds all of it: however long this process is held up afterwards (a busy
//! machine), the cue plays without a gap. A spoken question is written a little ahead at
//! a time, so that pausing it or cutting it short is heard soon. Between sounds nothing
//! is written and this thread sleeps: the device runs dry (a sound server keeps its
//! output running meanwhile, so the next sound is not clipped by a waking sound card),
//! and the next sound starts it again, behind a moment of silence a new stream may lose.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use alsa::pcm::{Access, Format, HwParams, PCM};
use alsa::{Direction, ValueOr};
use rodio::Source;
use rodio::source::UniformSourceIterator;

use super::SpeechControl;
use super::speech::WhenDone;

/// What the device may hold: far more than any built-in cue, so a cue is handed over
/// whole (a longer sound of one's own: the rest as it drains).
const BUFFER_MS: u32 = 2000;

/// The device's period, which a sound server takes as its own latency for this stream.
const PERIOD: Duration = Duration::from_millis(50);

/// How far ahead a speech is written: pausing or stopping it is heard this much later.
const SPEECH_AHEAD: Duration = Duration::from_millis(300);

/// More is written behind what the device plays only while it still has this much to
/// play. Later, a sound server may already have run dry and would hold what comes next
/// until its buffer fills again (its pre-buffering); so the sound waits for the device
/// to finish and starts it again.
const APPEND_MARGIN: Duration = Duration::from_millis(100);

/// Silence before a sound that starts the device: a sound server starting a stream may
/// drop its first 20 ms or so.
const LEAD_IN: Duration = Duration::from_millis(30);

/// How long after what was written should have been heard the device is taken to be
/// done with it (its reported delay is an estimate).
const SETTLE: Duration = Duration::from_millis(20);

/// A sound waiting to be written, in the device's channels and rate.
struct Pending {
    samples: UniformSourceIterator<Box<dyn Source + Send>>,
    /// A speech, written [`SPEECH_AHEAD`] ahead at a time; none for a cue, written all
    /// at once.
    speech: Option<Speaking>,
}

/// A speech to be written: the handle that stops it, and whom to tell once it has been
/// heard to its end (not when it was stopped).
pub struct Speaking {
    pub control: SpeechControl,
    pub done: Option<WhenDone>,
}

/// The device cannot be written to any more (it went away).
#[derive(Debug)]
pub struct Lost;

pub struct AlsaOut {
    pcm: PCM,
    channels: u16,
    rate: u32,
    /// The device's ring, in frames.
    capacity: usize,
    queue: VecDeque<Pending>,
    /// The speech the device is playing, if one is: cut short, what the device still
    /// holds of it is dropped, so that it stops at once.
    speaking: Option<SpeechControl>,
    /// Speeches written to their end, told when they have been heard.
    to_tell: Vec<(Instant, Speaking)>,
    /// When all that was written has been heard; none while the device is ready and
    /// waits for its first sound.
    until: Option<Instant>,
    scratch: Vec<i16>,
}

impl AlsaOut {
    /// Opens the default output device.
    pub fn open() -> Result<AlsaOut, String> {
        let pcm = PCM::new("default", Direction::Playback, false).map_err(|e| e.to_string())?;
        let (channels, rate, capacity) = configure(&pcm).map_err(|e| e.to_string())?;
        Ok(AlsaOut {
            pcm,
            channels,
            rate,
            capacity,
            queue: VecDeque::new(),
            speaking: None,
            to_tell: Vec::new(),
            until: None,
            scratch: Vec::new(),
        })
    }

    /// Queues a sound behind those queued before: a speech with the handle that stops
    /// it, a cue without. Nothing is written until [`AlsaOut::pump`].
    pub fn queue(&mut self, sound: Box<dyn Source + Send>, speech: Option<Speaking>) {
        let channels = std::num::NonZero::new(self.channels).expect("a device has channels");
        let rate = std::num::NonZero::new(self.rate).expect("a device has a rate");
        self.queue.push_back(Pending {
            samples: UniformSourceIterator::new(sound, channels, rate),
            speech,
        });
    }

    /// Writes what may be written now; returns how long until it should be called again
    /// (none: not before the next sound is queued).
    pub fn pump(&mut self) -> Result<Option<Duration>, Lost> {
        self.tell_heard();
        let wait = self.write_queued()?;
        Ok(match (wait, self.next_to_tell()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        })
    }

    /// Writes the queued sounds as far as they may go now; returns how long until more
    /// may be written.
    fn write_queued(&mut self) -> Result<Option<Duration>, Lost> {
        if self
            .speaking
            .as_ref()
            .is_some_and(SpeechControl::is_stopped)
        {
            self.speaking = None;
            if self.until.take().is_some() {
                self.pcm.drop().map_err(|_| Lost)?;
            }
        }
        while let Some(mut next) = self.queue.pop_front() {
            let now = Instant::now();
            if let Some(until) = self.until
                && until.saturating_duration_since(now) < APPEND_MARGIN
            {
                if now < until + SETTLE {
                    // Too late to add to it safely: once it has played, start again.
                    self.queue.push_front(next);
                    return Ok(Some(until + SETTLE - now));
                }
                self.until = None;
            }
            let left = self.left(now);
            let room = match next.speech {
                None => self.capacity.saturating_sub(self.frames_in(left)),
                Some(_) => self.frames_in(SPEECH_AHEAD.saturating_sub(left)),
            };
            let samples = room * usize::from(self.channels);
            self.scratch.clear();
            self.scratch.extend(
                next.samples
                    .by_ref()
                    .take(samples)
                    .map(|s| (s.clamp(-1.0, 1.0) * 32767.0) as i16),
            );
            let ended = self.scratch.len() < samples;
            let wrote = !self.scratch.is_empty();
            let scratch = std::mem::take(&mut self.scratch);
            let written = self.write(&scratch);
            self.scratch = scratch;
            written?;
            if wrote {
                // A cue behind a speech is never dropped with it.
                self.speaking = next.speech.as_ref().map(|s| s.control.clone());
            }
            if !ended {
                self.queue.push_front(next);
                // More once half of what it holds has played.
                let left = self.left(Instant::now());
                return Ok(Some((left / 2).max(Duration::from_millis(10))));
            }
            if let (Some(speaking), Some(until)) = (next.speech, self.until) {
                self.to_tell.push((until, speaking));
            }
        }
        Ok(None)
    }

    /// Tells those whose speech has been heard.
    fn tell_heard(&mut self) {
        let now = Instant::now();
        for (_, speaking) in self.to_tell.extract_if(.., |(at, _)| *at <= now) {
            if let Some(done) = speaking.done.filter(|_| !speaking.control.is_stopped()) {
                done(true);
            }
        }
    }

    fn next_to_tell(&self) -> Option<Duration> {
        let now = Instant::now();
        self.to_tell
            .iter()
            .map(|(at, _)| at.saturating_duration_since(now))
            .min()
    }

    /// Writes everything queued and waits until it has been heard, or until `deadline`.
    pub fn play_out(&mut self, deadline: Instant) -> Result<(), Lost> {
        loop {
            let wait = self.pump()?;
            let now = Instant::now();
            let heard = self.until.is_none_or(|until| now >= until + SETTLE);
            if (self.queue.is_empty() && heard) || now >= deadline {
                return Ok(());
            }
            let wait = wait.unwrap_or_else(|| self.left(now) + SETTLE);
            std::thread::sleep(wait.min(deadline - now));
        }
    }

    /// Plays `length` of silence and waits until the device has taken it in, or `limit`:
    /// a sound server can take a second to start the first stream of a session, and
    /// would clip the first cue instead.
    pub fn warm_up(&mut self, length: Duration, limit: Duration) -> Result<(), Lost> {
        let silence = vec![0; self.frames_in(length) * usize::from(self.channels)];
        self.write(&silence)?;
        let started = Instant::now();
        // Room comes back as the device plays (a sound server asks for more); its own
        // delay is no sign, since it is worked out from the clock until the server says.
        let taken_in = self.capacity.saturating_sub(self.frames_in(PERIOD));
        while started.elapsed() < limit {
            if self
                .pcm
                .avail_update()
                .is_ok_and(|room| room as usize >= taken_in)
            {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        // Then until it has been heard, so that the first cue starts the device at once.
        let left = self.pcm.delay().map_or(0, |delay| delay.max(0) as usize);
        std::thread::sleep(self.duration(left) + SETTLE);
        self.until = None;
        Ok(())
    }

    /// Hands `samples` to the device behind what it holds, starting it if it is not
    /// playing (behind [`LEAD_IN`] of silence).
    fn write(&mut self, samples: &[i16]) -> Result<(), Lost> {
        if samples.is_empty() {
            return Ok(());
        }
        if self.until.is_none() {
            // Whatever it held has been heard: a stream of its own for this sound.
            self.pcm.prepare().map_err(|_| Lost)?;
            let lead_in = vec![0; self.frames_in(LEAD_IN) * usize::from(self.channels)];
            self.write_all(&lead_in)?;
        }
        self.write_all(samples)?;
        let frames = samples.len() / usize::from(self.channels);
        let now = Instant::now();
        let estimate = now + self.left(now) + self.duration(frames);
        self.until = Some(match self.pcm.delay() {
            Ok(delay) if delay > 0 => now + self.duration(delay as usize),
            _ => estimate,
        });
        Ok(())
    }

    fn write_all(&mut self, samples: &[i16]) -> Result<(), Lost> {
        let io = self.pcm.io_i16().map_err(|_| Lost)?;
        let mut at = 0;
        while at < samples.len() {
            match io.writei(&samples[at..]) {
                Ok(frames) => at += frames * usize::from(self.channels),
                // Held up for longer than the device holds (an underrun): start again.
                Err(e) if e.errno() == libc::EPIPE || e.errno() == libc::ESTRPIPE => {
                    self.pcm.prepare().map_err(|_| Lost)?;
                }
                Err(_) => return Err(Lost),
            }
        }
        Ok(())
    }

    /// How much of what was written is still to be heard.
    fn left(&self, now: Instant) -> Duration {
        self.until
            .map_or(Duration::ZERO, |until| until.saturating_duration_since(now))
    }

    fn frames_in(&self, length: Duration) -> usize {
        (length.as_secs_f64() * f64::from(self.rate)) as usize
    }

    fn duration(&self, frames: usize) -> Duration {
        Duration::from_secs_f64(frames as f64 / f64::from(self.rate))
    }
}

/// 16-bit samples at 48 kHz (or what the device takes), one channel if it can, a ring of
/// [`BUFFER_MS`] in periods of [`PERIOD`]; the device starts as soon as it is written
/// to. Returns the channels, the rate and the ring's size in frames.
fn configure(pcm: &PCM) -> alsa::Result<(u16, u32, usize)> {
    let hw = HwParams::any(pcm)?;
    hw.set_access(Access::RWInterleaved)?;
    hw.set_format(Format::s16())?;
    let channels = hw.set_channels_near(1)?;
    let rate = hw.set_rate_near(48_000, ValueOr::Nearest)?;
    hw.set_buffer_size_near(i64::from(rate * BUFFER_MS / 1000))?;
    let period = rate as u128 * PERIOD.as_millis() / 1000;
    hw.set_period_size_near(period as i64, ValueOr::Nearest)?;
    pcm.hw_params(&hw)?;
    let (buffer, _) = pcm.get_params()?;
    let sw = pcm.sw_params_current()?;
    sw.set_start_threshold(1)?;
    pcm.sw_params(&sw)?;
    Ok((channels as u16, rate, buffer as usize))
}
