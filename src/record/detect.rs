//! How an answer was spoken, from its samples: where speech begins, how long it lasts, the
//! pauses between words and how loud it was. Pure: 16 kHz mono samples in, figures out.
//! The voice detector (earshot, its network built in) judges each 16 ms frame; the
//! judgements are smoothed so that a click is not a word and a breath is not a pause.

use std::time::Duration;

use crate::answer::Spoken;

/// The sample rate everything here works at.
pub const RATE: u32 = 16_000;

/// Samples in one frame the detector judges: 16 ms.
pub const FRAME: usize = 256;

/// A frame with at least this score is voiced.
const VOICED: f32 = 0.5;

/// Silence shorter than this between voiced frames is still speech (a breath, the gap
/// between two words): 400 ms.
const BRIDGE_FRAMES: u64 = 25;

/// Silence at least this long inside a stretch is a gap between words where the
/// transcriber may cut: 96 ms.
const GAP_FRAMES: u64 = 6;

/// A stretch of speech needs this many voiced frames (96 ms) to count: a click is not a
/// word.
const MIN_VOICED_FRAMES: u64 = 6;

/// One stretch of speech, in frames: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stretch {
    start: u64,
    end: u64,
    voiced: u64,
}

/// Something that scores a 16 ms frame: 0 is no voice, 1 is voice.
pub trait Judge {
    fn score(&mut self, frame: &[i16; FRAME]) -> f32;
}

/// The neural detector.
#[derive(Default)]
pub struct Earshot(Box<earshot::Detector>);

impl Judge for Earshot {
    fn score(&mut self, frame: &[i16; FRAME]) -> f32 {
        self.0.predict_i16(frame)
    }
}

/// Measures a take as its samples arrive.
pub struct Speech<J: Judge = Earshot> {
    judge: J,
    frame: [i16; FRAME],
    filled: usize,
    samples: u64,
    frames: u64,
    stretches: Vec<Stretch>,
    /// The stretch being spoken, until silence longer than the bridge closes it.
    open: Option<Stretch>,
    /// The last gap between words inside a stretch, in frames: `[start, end)`.
    gap: Option<(u64, u64)>,
    /// Sum of squares and count of the voiced frames' samples.
    voiced_energy: f64,
    voiced_samples: u64,
}

impl Default for Speech<Earshot> {
    fn default() -> Self {
        Speech::new(Earshot::default())
    }
}

impl<J: Judge> Speech<J> {
    pub fn new(judge: J) -> Self {
        Speech {
            judge,
            frame: [0; FRAME],
            filled: 0,
            samples: 0,
            frames: 0,
            stretches: Vec::new(),
            open: None,
            gap: None,
            voiced_energy: 0.0,
            voiced_samples: 0,
        }
    }

    pub fn push(&mut self, samples: &[i16]) {
        self.samples += samples.len() as u64;
        let mut rest = samples;
        while !rest.is_empty() {
            let n = (FRAME - self.filled).min(rest.len());
            self.frame[self.filled..self.filled + n].copy_from_slice(&rest[..n]);
            self.filled += n;
            rest = &rest[n..];
            if self.filled == FRAME {
                self.filled = 0;
                self.judge_frame();
            }
        }
    }

    /// How long it has been quiet, up to the last frame judged: since the last voiced
    /// frame, or since the start when nothing was said.
    pub fn quiet(&self) -> Duration {
        let last = [
            self.open.map(|o| o.end),
            self.stretches.last().map(|s| s.end),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(0);
        let frames = self.frames.saturating_sub(last);
        Duration::from_millis(frames * FRAME as u64 * 1000 / RATE as u64)
    }

    /// The last gap between words heard inside a stretch of speech, in samples from the
    /// start: a silence shorter than a pause, with speech on both sides.
    pub fn last_gap(&self) -> Option<std::ops::Range<u64>> {
        self.gap
            .map(|(start, end)| start * FRAME as u64..end * FRAME as u64)
    }

    fn judge_frame(&mut self) {
        let at = self.frames;
        self.frames += 1;
        let voiced = self.judge.score(&self.frame) >= VOICED;
        if let Some(open) = &mut self.open
            && at - open.end >= BRIDGE_FRAMES
        {
            let closed = *open;
            self.open = None;
            self.close(closed);
        }
        if !voiced {
            return;
        }
        self.voiced_energy += self
            .frame
            .iter()
            .map(|&s| f64::from(s) * f64::from(s))
            .sum::<f64>();
        self.voiced_samples += FRAME as u64;
        match &mut self.open {
            Some(open) => {
                if at - open.end >= GAP_FRAMES {
                    self.gap = Some((open.end, at));
                }
                open.end = at + 1;
                open.voiced += 1;
            }
            None => {
                self.open = Some(Stretch {
                    start: at,
                    end: at + 1,
                    voiced: 1,
                });
            }
        }
    }

    fn close(&mut self, stretch: Stretch) {
        if stretch.voiced >= MIN_VOICED_FRAMES {
            self.stretches.push(stretch);
        }
    }

    /// The figures so far; `threshold` is the shortest pause that counts as long. Which
    /// question and take they are about, the file and what was lost are the caller's.
    pub fn figures(&self, threshold: Duration) -> Spoken {
        let mut stretches = self.stretches.clone();
        if let Some(open) = self.open.filter(|o| o.voiced >= MIN_VOICED_FRAMES) {
            stretches.push(open);
        }
        let ms = |frames: u64| frames * FRAME as u64 * 1000 / RATE as u64;
        let pauses: Vec<u64> = stretches
            .windows(2)
            .map(|w| ms(w[1].start - w[0].end))
            .collect();
        let level_db = (self.voiced_samples > 0).then(|| {
            let rms = (self.voiced_energy / self.voiced_samples as f64).sqrt() / 32768.0;
            (20.0 * rms.max(1e-9).log10() * 10.0).round() / 10.0
        });
        let threshold_ms = threshold.as_millis() as u64;
        Spoken {
            duration_ms: self.samples * 1000 / RATE as u64,
            first_word_ms: stretches.first().map(|s| ms(s.start)),
            speech_ms: stretches.iter().map(|s| ms(s.end - s.start)).sum(),
            longest_pause_ms: pauses.iter().copied().max().unwrap_or_default(),
            long_pauses: pauses.iter().filter(|&&p| p >= threshold_ms).count() as u32,
            pause_threshold_ms: threshold_ms,
            level_db,
            ..Spoken::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 16 kHz samples: `(ms, what)` pieces one after another.
    fn signal(pieces: &[(u64, Sound)]) -> Vec<i16> {
        let mut out = Vec::new();
        let mut seed = 0x2545_f491_u32;
        for &(ms, sound) in pieces {
            let n = (ms * RATE as u64 / 1000) as usize;
            for i in 0..n {
                let t = i as f64 / RATE as f64;
                let v = match sound {
                    Sound::Silence => 0.0,
                    Sound::Tone(hz) => 8000.0 * (std::f64::consts::TAU * hz * t).sin(),
                    Sound::Noise => {
                        seed ^= seed << 13;
                        seed ^= seed >> 17;
                        seed ^= seed << 5;
                        (seed as f64 / u32::MAX as f64 - 0.5) * 16000.0
                    }
                };
                out.push(v as i16);
            }
        }
        out
    }

    #[derive(Clone, Copy)]
    enum Sound {
        Silence,
        Tone(f64),
        Noise,
    }

    /// A stand-in judge for the smoothing: loud frames are voice.
    struct Loud;

    impl Judge for Loud {
        fn score(&mut self, frame: &[i16; FRAME]) -> f32 {
            let peak = frame.iter().map(|s| s.unsigned_abs()).max().unwrap_or(0);
            if peak > 1000 { 1.0 } else { 0.0 }
        }
    }

    fn measure<J: Judge>(judge: J, samples: &[i16]) -> Spoken {
        let mut speech = Speech::new(judge);
        // In uneven pieces, as the microphone delivers them.
        for chunk in samples.chunks(1234) {
            speech.push(chunk);
        }
        speech.figures(Duration::from_secs(3))
    }

    fn near(d: u64, ms: u64, within: u64) -> bool {
        (d as i64 - ms as i64).unsigned_abs() <= within
    }

    #[test]
    fn silence_has_no_words_and_no_level() {
        let f = measure(Earshot::default(), &signal(&[(5000, Sound::Silence)]));
        assert_eq!(f.first_word_ms, None);
        assert_eq!(f.speech_ms, 0);
        assert_eq!(f.longest_pause_ms, 0);
        assert_eq!(f.long_pauses, 0);
        assert_eq!(f.level_db, None);
        assert!(near(f.duration_ms, 5000, 1));
    }

    #[test]
    fn steady_noise_and_tones_are_not_speech_to_the_detector() {
        let noise = measure(Earshot::default(), &signal(&[(3000, Sound::Noise)]));
        assert_eq!(noise.first_word_ms, None, "{noise:?}");
        let tone = measure(Earshot::default(), &signal(&[(3000, Sound::Tone(1000.0))]));
        assert_eq!(tone.first_word_ms, None, "{tone:?}");
    }

    #[test]
    fn bursts_give_first_word_pauses_and_speaking_time() {
        let samples = signal(&[
            (1500, Sound::Silence),
            (2000, Sound::Tone(440.0)),
            (4000, Sound::Silence),
            (1000, Sound::Tone(440.0)),
            (1000, Sound::Silence),
            (1000, Sound::Tone(440.0)),
            (500, Sound::Silence),
        ]);
        let f = measure(Loud, &samples);
        assert!(near(f.first_word_ms.unwrap(), 1500, 20), "{f:?}");
        // Each edge of a stretch falls somewhere in a 16 ms frame.
        assert!(near(f.speech_ms, 4000, 100), "{f:?}");
        assert!(near(f.longest_pause_ms, 4000, 20), "{f:?}");
        assert_eq!(f.long_pauses, 1, "{f:?}");
        // A sine of amplitude 8000: RMS 5657, -15.2 dBFS.
        assert!((f.level_db.unwrap() + 15.2).abs() < 0.3, "{f:?}");
    }

    #[test]
    fn a_breath_is_not_a_pause_and_a_click_is_not_a_word() {
        let samples = signal(&[
            (1000, Sound::Silence),
            // A click: 20 ms.
            (20, Sound::Tone(440.0)),
            (1000, Sound::Silence),
            (1000, Sound::Tone(440.0)),
            // A breath.
            (250, Sound::Silence),
            (1000, Sound::Tone(440.0)),
            (300, Sound::Silence),
        ]);
        let f = measure(Loud, &samples);
        assert!(near(f.first_word_ms.unwrap(), 2020, 20), "{f:?}");
        assert_eq!(f.longest_pause_ms, 0, "{f:?}");
        assert!(near(f.speech_ms, 2250, 40), "{f:?}");
    }

    #[test]
    fn the_threshold_decides_which_pauses_are_long() {
        let samples = signal(&[
            (500, Sound::Tone(440.0)),
            (2000, Sound::Silence),
            (500, Sound::Tone(440.0)),
            (3500, Sound::Silence),
            (500, Sound::Tone(440.0)),
        ]);
        let mut speech = Speech::new(Loud);
        speech.push(&samples);
        assert_eq!(speech.figures(Duration::from_secs(3)).long_pauses, 1);
        assert_eq!(speech.figures(Duration::from_millis(1500)).long_pauses, 2);
        assert_eq!(speech.figures(Duration::from_secs(4)).long_pauses, 0);
    }

    #[test]
    fn a_gap_between_words_is_found_wherever_the_pieces_end() {
        let samples = signal(&[
            (1000, Sound::Tone(440.0)),
            // Too short to be a gap: 60 ms.
            (60, Sound::Silence),
            (1000, Sound::Tone(440.0)),
            (150, Sound::Silence),
            (1000, Sound::Tone(440.0)),
        ]);
        let mut speech = Speech::new(Loud);
        let mut seen = None;
        for piece in samples.chunks(2400) {
            speech.push(piece);
            seen = speech.last_gap().or(seen);
            if seen.is_none() {
                assert!(speech.quiet() < Duration::from_millis(100));
            }
        }
        // 2,060 ms to 2,210 ms, each edge within a frame.
        let gap = seen.unwrap();
        let ms = |samples: u64| samples * 1000 / u64::from(RATE);
        assert!(
            near(ms(gap.start), 2060, 16) && near(ms(gap.end), 2210, 16),
            "{gap:?}"
        );
    }
}
