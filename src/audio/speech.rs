//! A spoken question as a sound for the audio thread: decoded samples that can be paused,
//! stopped, and that say when they have been played to the end. It is queued on the same
//! player as the cues, so a cue never sounds on top of it and the start cue follows it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rodio::buffer::SamplesBuffer;
use rodio::{ChannelCount, SampleRate, Source};

/// Told once: `true` when the speech was played to its end, `false` when it could not be
/// played at all (no device). Not told when it was stopped.
pub type WhenDone = Box<dyn FnOnce(bool) + Send>;

/// The handle that pauses, resumes and stops a speech from another thread.
#[derive(Debug, Clone, Default)]
pub struct SpeechControl {
    paused: Arc<AtomicBool>,
    stopped: Arc<AtomicBool>,
}

impl SpeechControl {
    pub fn set_paused(&self, paused: bool) {
        self.paused.store(paused, Ordering::SeqCst);
    }

    /// Ends the speech at the next sample; its [`WhenDone`] is not told.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
    }

    pub fn is_paused(&self) -> bool {
        self.paused.load(Ordering::SeqCst)
    }

    pub fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }
}

pub struct Speech {
    samples: SamplesBuffer,
    channels: ChannelCount,
    rate: SampleRate,
    /// Samples given out of the current frame: pausing and stopping wait for a frame's
    /// end, so the channels never swap.
    in_frame: u16,
    /// What is left of a frame of silence, while paused.
    silent_left: u16,
    control: SpeechControl,
    done: Option<WhenDone>,
}

impl Speech {
    pub fn new(samples: SamplesBuffer, control: SpeechControl, done: WhenDone) -> Speech {
        Speech {
            channels: samples.channels(),
            rate: samples.sample_rate(),
            samples,
            in_frame: 0,
            silent_left: 0,
            control,
            done: Some(done),
        }
    }

    /// The handle that pauses and stops it.
    pub fn control(&self) -> SpeechControl {
        self.control.clone()
    }

    /// Whom to tell once it has been played, for a player that knows better than this
    /// speech when that is (it is then told by nobody else).
    pub fn take_done(&mut self) -> Option<WhenDone> {
        self.done.take()
    }

    /// It cannot be played (no device): says so at once.
    pub fn unheard(mut self) {
        if let Some(done) = self.done.take() {
            done(false);
        }
    }
}

impl Drop for Speech {
    fn drop(&mut self) {
        // A converter may stop asking once the samples it was told of are given out, and
        // never ask for the end: given out in full, it was played to its end.
        if self.samples.size_hint().0 == 0
            && !self.control.is_stopped()
            && let Some(done) = self.done.take()
        {
            done(true);
        }
    }
}

impl Iterator for Speech {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        if self.silent_left > 0 {
            self.silent_left -= 1;
            return Some(0.0);
        }
        if self.in_frame == 0 {
            if self.control.stopped.load(Ordering::Relaxed) {
                self.done = None;
                return None;
            }
            if self.control.paused.load(Ordering::Relaxed) {
                // Silence, a frame at a time, keeps the player on this sound.
                self.silent_left = self.channels.get() - 1;
                return Some(0.0);
            }
        }
        match self.samples.next() {
            Some(sample) => {
                self.in_frame = (self.in_frame + 1) % self.channels.get();
                Some(sample)
            }
            None => {
                if let Some(done) = self.done.take() {
                    done(true);
                }
                None
            }
        }
    }
}

impl Source for Speech {
    fn current_span_len(&self) -> Option<usize> {
        // What is left, so the player resamples it from its first sample to its last
        // (unknown, a sound at another rate than the cue before it plays late). Silence
        // while paused is not counted: the player asks again when the span is over.
        let at_boundary = self.in_frame == 0 && self.silent_left == 0;
        if at_boundary && self.control.stopped.load(Ordering::Relaxed) {
            return Some(0);
        }
        Some(self.samples.size_hint().0 + usize::from(self.silent_left))
    }

    fn channels(&self) -> ChannelCount {
        self.channels
    }

    fn sample_rate(&self) -> SampleRate {
        self.rate
    }

    fn total_duration(&self) -> Option<Duration> {
        // A pause makes it longer than its samples.
        None
    }

    fn try_seek(&mut self, _: Duration) -> Result<(), rodio::source::SeekError> {
        Err(rodio::source::SeekError::NotSupported {
            underlying_source: std::any::type_name::<Self>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn speech(samples: Vec<f32>, channels: u16) -> (Speech, SpeechControl, mpsc::Receiver<bool>) {
        let (tx, rx) = mpsc::channel();
        let control = SpeechControl::default();
        let buffer = SamplesBuffer::new(
            std::num::NonZero::new(channels).unwrap(),
            std::num::NonZero::new(22_050).unwrap(),
            samples,
        );
        let done = Box::new(move |heard| tx.send(heard).unwrap());
        (Speech::new(buffer, control.clone(), done), control, rx)
    }

    #[test]
    fn played_to_the_end_it_says_so_once() {
        let (speech, _, done) = speech(vec![0.1, 0.2, 0.3], 1);
        assert_eq!(speech.collect::<Vec<_>>(), [0.1, 0.2, 0.3]);
        assert_eq!(done.try_iter().collect::<Vec<_>>(), [true]);
    }

    #[test]
    fn paused_it_gives_silence_by_whole_frames_and_resumes_where_it_was() {
        let (mut speech, control, done) = speech(vec![0.1, 0.2, 0.3, 0.4], 2);
        assert_eq!(speech.next(), Some(0.1));
        control.set_paused(true);
        // The frame is finished first, then silence in whole frames.
        assert_eq!(speech.next(), Some(0.2));
        let silence: Vec<_> = (0..4).map(|_| speech.next().unwrap()).collect();
        assert_eq!(silence, [0.0; 4]);
        control.set_paused(false);
        assert_eq!(speech.by_ref().collect::<Vec<_>>(), [0.3, 0.4]);
        assert_eq!(done.try_recv(), Ok(true));
    }

    #[test]
    fn given_out_through_a_converter_it_says_so_once() {
        let (speech, _, done) = speech(vec![0.1; 441], 1);
        let rate = std::num::NonZero::new(48_000).unwrap();
        let one = std::num::NonZero::new(1).unwrap();
        let converted: Vec<f32> =
            rodio::source::UniformSourceIterator::new(speech, one, rate).collect();
        assert!(converted.len() >= 950, "{}", converted.len());
        assert_eq!(done.try_iter().collect::<Vec<_>>(), [true]);
    }

    #[test]
    fn stopped_it_ends_at_once_and_tells_nobody() {
        let (mut speech, control, done) = speech(vec![0.1; 100], 1);
        speech.next();
        control.stop();
        assert_eq!(speech.next(), None);
        assert!(done.try_recv().is_err());
    }

    #[test]
    fn without_a_device_it_says_it_was_not_heard() {
        let (speech, _, done) = speech(vec![0.1], 1);
        speech.unheard();
        assert_eq!(done.try_recv(), Ok(false));
    }
}
