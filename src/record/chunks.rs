//! The answer as the transcriber takes it (`--transcribe`): the recording of a take cut
//! into chunks at the speaker's pauses while it is spoken, at most 30 s each, and sent to
//! the transcriber's own thread; when the answer ends only its last chunk is left. The
//! texts of a take's chunks are put back together there and analysed (words, pace,
//! fillers, the talking points covered), and the result comes to the engine as one
//! analysis of the take, like the spoken figures.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::time::Duration;

use crate::analyse::Coverage;
use crate::answer::{Analysis, Kinds, Transcript};
use crate::session::{Input, Wake};
use crate::transcribe::{Report, TranscribeError, Worker};

use super::detect::RATE;
use super::mic::Notice;

/// A chunk is cut at a pause once it holds this much speech time.
const SHORTEST: Duration = Duration::from_secs(8);

/// A silence at least this long is a pause to cut at.
const PAUSE: Duration = Duration::from_millis(500);

/// A chunk never grows past this: the model takes at most 30 s at once.
const LONGEST: Duration = Duration::from_secs(28);

/// While the transcriber has nothing to do, a chunk is cut at a shorter pause once it
/// holds this much: what is left when the answer ends is then its last phrase, not up to
/// half a minute of it (the model takes about a seventh of a second for each second).
const IDLE_SHORTEST: Duration = Duration::from_secs(2);
const IDLE_PAUSE: Duration = Duration::from_millis(300);

/// Whether a chunk holding `held` is cut after `quiet` of silence; `idle`: the
/// transcriber has no chunk waiting.
fn cut_here(held: Duration, quiet: Duration, idle: bool) -> bool {
    (held >= SHORTEST && quiet >= PAUSE) || (idle && held >= IDLE_SHORTEST && quiet >= IDLE_PAUSE)
}

/// Which take a chunk belongs to; the last one says what else the analysis needs.
#[derive(Debug, Clone)]
pub struct Tag {
    pub index: usize,
    pub take: u32,
    pub last: Option<Last>,
}

#[derive(Debug, Clone)]
pub struct Last {
    pub id: String,
    /// How long the person spoke in the take, for the words a minute.
    pub speech_ms: u64,
}

/// What one take is cut into, as its samples come.
pub struct Chunker {
    worker: Arc<Worker<Tag>>,
    /// Takes sent whose analysis has not come back.
    pending: Arc<AtomicUsize>,
    /// Chunks sent whose text has not come back.
    queued: Arc<AtomicUsize>,
    take: Option<(usize, u32)>,
    samples: Vec<f32>,
}

impl Chunker {
    pub fn new(
        worker: Arc<Worker<Tag>>,
        pending: Arc<AtomicUsize>,
        queued: Arc<AtomicUsize>,
    ) -> Chunker {
        Chunker {
            worker,
            pending,
            queued,
            take: None,
            samples: Vec::new(),
        }
    }

    pub fn begin(&mut self, index: usize, take: u32) {
        self.take = Some((index, take));
        self.samples.clear();
    }

    /// More of the take; `quiet` is how long it has been silent up to now.
    pub fn feed(&mut self, samples: &[i16], quiet: Duration) {
        let Some((index, take)) = self.take else {
            return;
        };
        self.samples
            .extend(samples.iter().map(|&s| f32::from(s) / 32768.0));
        let held = seconds(self.samples.len());
        if held >= LONGEST {
            // No pause came: cut at the quietest moments, keep the rest for later.
            let ranges = crate::transcribe::audio::chunks(&self.samples, LONGEST);
            let keep = ranges.last().map_or(0, |r| r.start);
            for range in &ranges[..ranges.len().saturating_sub(1)] {
                self.send(index, take, self.samples[range.clone()].to_vec(), None);
            }
            self.samples.drain(..keep);
        } else if cut_here(held, quiet, self.queued.load(Ordering::SeqCst) == 0) {
            let chunk = std::mem::take(&mut self.samples);
            self.send(index, take, chunk, None);
        }
    }

    /// The take ended: its last chunk goes, with what its analysis needs.
    pub fn end(&mut self, last: Last) {
        let Some((index, take)) = self.take.take() else {
            return;
        };
        self.pending.fetch_add(1, Ordering::SeqCst);
        let chunk = std::mem::take(&mut self.samples);
        self.send(index, take, chunk, Some(last));
    }

    fn send(&self, index: usize, take: u32, samples: Vec<f32>, last: Option<Last>) {
        self.queued.fetch_add(1, Ordering::SeqCst);
        self.worker.send(Tag { index, take, last }, samples);
    }
}

fn seconds(samples: usize) -> Duration {
    Duration::from_millis(samples as u64 * 1000 / u64::from(RATE))
}

/// Puts the texts of each take back together on the transcriber's thread and posts the
/// analysis of a take once its last chunk is in.
pub struct Assembler {
    pub points: Vec<Vec<String>>,
    pub coverage: Coverage,
    pub inbox: Sender<Wake>,
    pub notices: Sender<Notice>,
    pub pending: Arc<AtomicUsize>,
    /// Chunks sent whose text has not come back.
    pub queued: Arc<AtomicUsize>,
    pub model: String,
    pub texts: HashMap<(usize, u32), Vec<String>>,
    /// Takes a chunk of which could not be transcribed: no transcript rather than a part.
    pub failed: std::collections::HashSet<(usize, u32)>,
    /// No engine could be loaded.
    pub unloaded: bool,
    /// A failure is told once a session.
    pub told: bool,
}

impl Assembler {
    pub fn report(&mut self, report: Report<Tag>) {
        match report {
            Report::Loaded { model, .. } => self.model = model,
            Report::LoadFailed(error) => {
                self.told = true;
                self.unloaded = true;
                let _ = self
                    .notices
                    .send(Notice::NoTranscriber(load_failed(&error)));
                let _ = self
                    .inbox
                    .send(Wake::Input(Input::Unavailable(Kinds::TRANSCRIPT)));
            }
            Report::Text { tag, text, .. } => {
                let _ = (self.queued)
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
                self.text(tag, text)
            }
        }
    }

    fn text(&mut self, tag: Tag, text: Result<String, TranscribeError>) {
        let key = (tag.index, tag.take);
        match text {
            Ok(text) if !text.trim().is_empty() => self
                .texts
                .entry(key)
                .or_default()
                .push(text.trim().to_string()),
            Ok(_) => {}
            Err(error) => {
                self.failed.insert(key);
                if !self.told {
                    self.told = true;
                    let _ = self.notices.send(Notice::NoTranscriber(format!(
                        "cannot transcribe an answer: {error}"
                    )));
                }
            }
        }
        let Some(last) = tag.last else {
            return;
        };
        let parts = self.texts.remove(&key).unwrap_or_default();
        if self.unloaded || self.failed.remove(&key) {
            self.pending.fetch_sub(1, Ordering::SeqCst);
            return;
        }
        let text = parts.join(" ");
        let points = self
            .points
            .get(tag.index.wrapping_sub(1))
            .map_or(&[][..], Vec::as_slice);
        let speech = Duration::from_millis(last.speech_ms);
        let a = crate::analyse::analyse(&text, Some(speech), points, Some(&self.coverage));
        let of = crate::answer::transcript::Of {
            index: tag.index,
            id: &last.id,
            take: tag.take,
            model: &self.model,
        };
        let transcript = Transcript::new(of, text, a);
        let analysed = Input::Analysed(Analysis::Transcript(Box::new(transcript)));
        let _ = self.inbox.send(Wake::Input(analysed));
        self.pending.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The one line said when no engine could be loaded: what is missing and how to get it.
fn load_failed(error: &TranscribeError) -> String {
    format!("cannot transcribe: {error}; the session goes on recording")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn an_idle_transcriber_takes_each_phrase_a_busy_one_longer_pieces() {
        // Busy: only after 8 s, at a pause of half a second.
        assert!(!cut_here(ms(5000), ms(400), false));
        assert!(!cut_here(ms(9000), ms(400), false));
        assert!(cut_here(ms(9000), ms(500), false));
        // Idle: after 2 s, at a pause of 0.3 s.
        assert!(cut_here(ms(2500), ms(300), true));
        assert!(!cut_here(ms(1500), ms(800), true));
        assert!(!cut_here(ms(5000), ms(200), true));
    }
}
