//! The answer as the transcriber takes it (`--transcribe`): the recording of a take cut
//! into chunks at the speaker's pauses while it is spoken, at most 30 s each, and sent to
//! the transcriber's own thread; when the answer ends only its last chunk is left. The
//! texts of a take's chunks are put back together there and analysed (words, pace,
//! fillers, the talking points covered), and the result comes to the engine as one
//! analysis of the take, like the spoken figures.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::analyse::{Coverage, plain_words};
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

/// Someone who runs sentences together leaves no pause of 0.3 s, and the last chunk would
/// be long: the transcript would come seconds after the answer. So while the transcriber
/// has nothing to do and a chunk holds this much, a gap between words (0.1 s of silence
/// to the voice detector) is a place to cut too, but only once the transcriber has shown
/// that the cut changes no word around it: the chunk so far and its two halves must hear
/// the same words either side of it. A gap that short can be inside a phrase, where a cut
/// can change the words next to it.
const TEST_SHORTEST: Duration = Duration::from_secs(3);
/// A cut is tested once this much has been heard after it, and never this close to the
/// chunk's start.
const AFTER_GAP: Duration = Duration::from_millis(1500);
const BEFORE_GAP: Duration = Duration::from_secs(1);
/// A test takes the model twice the chunk's length: none past this, and after a cut that
/// changed words, none until the chunk holds `TEST_AGAIN` more.
const TEST_LONGEST: Duration = Duration::from_secs(12);
const TEST_AGAIN: Duration = Duration::from_secs(3);

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
    /// The chunk's number in the take.
    pub chunk: u64,
    pub part: Part,
    pub last: Option<Last>,
}

/// What is sent of a chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// All of it, from its start: its text is the chunk's.
    Whole,
    /// A test of a cut so many samples into the chunk.
    Test(Side, usize),
}

/// The three texts a cut is tested with, sent in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The chunk so far, uncut.
    Uncut,
    Before,
    After,
}

/// A cut that changes no word: the chunker drops what comes before it, whose text the
/// assembler has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cut {
    pub index: usize,
    pub take: u32,
    pub chunk: u64,
    pub at: usize,
}

/// Where the assembler posts a cut for the chunker.
pub type Cuts = Arc<Mutex<Option<Cut>>>;

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
    /// The number of the chunk being gathered, and where it begins in the take.
    chunk: u64,
    start: u64,
    /// The middle of the last gap between words in it.
    gap: Option<usize>,
    /// The last cut tested in it, and how many samples it held then.
    tested: Option<(usize, usize)>,
    /// Whether its test is still of use: not once the chunk is sent whole.
    testing: Arc<AtomicBool>,
    cuts: Cuts,
}

impl Chunker {
    pub fn new(
        worker: Arc<Worker<Tag>>,
        pending: Arc<AtomicUsize>,
        queued: Arc<AtomicUsize>,
        cuts: Cuts,
    ) -> Chunker {
        Chunker {
            worker,
            pending,
            queued,
            take: None,
            samples: Vec::new(),
            chunk: 0,
            start: 0,
            gap: None,
            tested: None,
            testing: Arc::new(AtomicBool::new(true)),
            cuts,
        }
    }

    pub fn begin(&mut self, index: usize, take: u32) {
        self.take = Some((index, take));
        self.samples.clear();
        self.next_chunk();
        // Chunks are numbered from 0 in each take.
        self.chunk = 0;
        self.start = 0;
    }

    /// The chunk was sent whole or cut: the next one begins, and a test of a cut in the
    /// last one not yet transcribed is not.
    fn next_chunk(&mut self) {
        self.chunk += 1;
        self.gap = None;
        self.tested = None;
        self.testing.store(false, Ordering::SeqCst);
        self.testing = Arc::new(AtomicBool::new(true));
    }

    /// A cut the transcriber found clean: what comes before it is transcribed.
    fn take_cut(&mut self, index: usize, take: u32) {
        let cut = self
            .cuts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        // A cut of a chunk sent whole since is of no use.
        if let Some(cut) = cut
            && (cut.index, cut.take, cut.chunk) == (index, take, self.chunk)
            && cut.at <= self.samples.len()
        {
            self.samples.drain(..cut.at);
            self.start += cut.at as u64;
            self.next_chunk();
        }
    }

    /// Where to test a cut now, if anywhere.
    fn cut_to_test(&self) -> Option<usize> {
        let (held, at) = (self.samples.len(), self.gap?);
        let long = seconds(held);
        let again = self.tested.is_none_or(|(tested_at, tested_held)| {
            tested_at != at && seconds(held - tested_held) >= TEST_AGAIN
        });
        (again
            && (TEST_SHORTEST..=TEST_LONGEST).contains(&long)
            && seconds(at) >= BEFORE_GAP
            && seconds(held - at) >= AFTER_GAP)
            .then_some(at)
    }

    /// More of the take; `quiet` is how long it has been silent up to now, `gap` the last
    /// gap between words heard (in samples from the take's start).
    pub fn feed(&mut self, samples: &[i16], quiet: Duration, gap: Option<Range<u64>>) {
        let Some((index, take)) = self.take else {
            return;
        };
        self.samples
            .extend(samples.iter().map(|&s| f32::from(s) / 32768.0));
        self.take_cut(index, take);
        if let Some(gap) = gap
            && gap.start > self.start
        {
            self.gap = Some(((gap.start + gap.end) / 2 - self.start) as usize);
        }
        let held = seconds(self.samples.len());
        let idle = self.queued.load(Ordering::SeqCst) == 0;
        if held >= LONGEST {
            // No pause came: cut at the quietest moments, keep the rest for later.
            let ranges = crate::transcribe::audio::chunks(&self.samples, LONGEST);
            let keep = ranges.last().map_or(0, |r| r.start);
            for range in &ranges[..ranges.len().saturating_sub(1)] {
                let part = self.samples[range.clone()].to_vec();
                self.send(index, take, Part::Whole, part, None);
                self.next_chunk();
            }
            self.samples.drain(..keep);
            self.start += keep as u64;
        } else if cut_here(held, quiet, idle) {
            let chunk = std::mem::take(&mut self.samples);
            self.start += chunk.len() as u64;
            self.send(index, take, Part::Whole, chunk, None);
            self.next_chunk();
        } else if idle && let Some(at) = self.cut_to_test() {
            self.tested = Some((at, self.samples.len()));
            let uncut = self.samples.clone();
            let (before, after) = (uncut[..at].to_vec(), uncut[at..].to_vec());
            for (side, samples) in [
                (Side::Uncut, uncut),
                (Side::Before, before),
                (Side::After, after),
            ] {
                self.send(index, take, Part::Test(side, at), samples, None);
            }
        }
    }

    /// The take ended: its last chunk goes, with what its analysis needs.
    pub fn end(&mut self, last: Last) {
        let Some((index, take)) = self.take.take() else {
            return;
        };
        self.pending.fetch_add(1, Ordering::SeqCst);
        let chunk = std::mem::take(&mut self.samples);
        // Its last chunk need not wait for a test of a cut in it.
        self.testing.store(false, Ordering::SeqCst);
        self.send(index, take, Part::Whole, chunk, Some(last));
    }

    fn send(&self, index: usize, take: u32, part: Part, samples: Vec<f32>, last: Option<Last>) {
        self.queued.fetch_add(1, Ordering::SeqCst);
        let chunk = self.chunk;
        let tag = Tag {
            index,
            take,
            chunk,
            part,
            last,
        };
        match part {
            Part::Whole => self.worker.send(tag, samples),
            Part::Test(..) => self.worker.send_while(&self.testing, tag, samples),
        }
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
    /// Each take's texts so far, by chunk.
    pub texts: HashMap<(usize, u32), Vec<(u64, String)>>,
    /// The texts of the cut being tested: the chunk uncut, then before the cut.
    pub testing: Vec<(Tag, Option<String>)>,
    pub cuts: Cuts,
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
                self.done();
                self.text(tag, text)
            }
            Report::Skipped { .. } => {
                self.done();
                self.testing.clear();
            }
        }
    }

    fn text(&mut self, tag: Tag, text: Result<String, TranscribeError>) {
        if let Part::Test(side, at) = tag.part {
            return self.tested(tag, side, at, text.ok());
        }
        let key = (tag.index, tag.take);
        // The whole chunk takes the place of the text before a cut in it that the
        // chunker had not yet made.
        let parts = self.texts.entry(key).or_default();
        parts.retain(|(chunk, _)| *chunk != tag.chunk);
        match text {
            Ok(text) if !text.trim().is_empty() => parts.push((tag.chunk, text.trim().into())),
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
        let text = parts
            .into_iter()
            .map(|(_, t)| t)
            .collect::<Vec<_>>()
            .join(" ");
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

impl Assembler {
    /// A chunk sent is done with.
    fn done(&self) {
        let _ =
            (self.queued).fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
    }

    /// One of a cut's three texts. Once all three are in, the cut is made if the words
    /// either side of it are heard the same with it and without: the text before it is kept as the chunk's first
    /// part, and the chunker told to drop what it has transcribed.
    fn tested(&mut self, tag: Tag, side: Side, at: usize, text: Option<String>) {
        if side == Side::Uncut {
            self.testing.clear();
        }
        if side != Side::After {
            self.testing.push((tag, text));
            return;
        }
        let testing = std::mem::take(&mut self.testing);
        let [(uncut_tag, Some(uncut)), (before_tag, Some(before))] = &testing[..] else {
            return;
        };
        let of_this = |t: &Tag, side| {
            (t.index, t.take, t.chunk, t.part)
                == (tag.index, tag.take, tag.chunk, Part::Test(side, at))
        };
        let Some(after) = text else { return };
        let clean = of_this(uncut_tag, Side::Uncut)
            && of_this(before_tag, Side::Before)
            && joins_cleanly(before, &after, uncut);
        if !clean {
            return;
        }
        if !before.trim().is_empty() {
            let parts = self.texts.entry((tag.index, tag.take)).or_default();
            parts.push((tag.chunk, before.trim().to_string()));
        }
        *self.cuts.lock().unwrap_or_else(PoisonError::into_inner) = Some(Cut {
            index: tag.index,
            take: tag.take,
            chunk: tag.chunk,
            at,
        });
    }
}

/// Whether a cut changed no word around it: the two words before it and the two after
/// it, each half transcribed alone, are heard together in the chunk transcribed uncut.
/// Words far from the cut may differ either way (the model hears a word at the very end
/// of a piece, cut off, as it likes), so only these are compared.
fn joins_cleanly(before: &str, after: &str, uncut: &str) -> bool {
    let (before, after) = (plain_words(before), plain_words(after));
    if before.len() < SIDE || after.len() < SIDE {
        return false;
    }
    let across = [&before[before.len() - SIDE..], &after[..SIDE]].concat();
    plain_words(uncut).windows(2 * SIDE).any(|w| w == across)
}

/// How many words each side of a cut must be heard the same.
const SIDE: usize = 2;

/// The one line said when no engine could be loaded: what is missing and how to get it.
fn load_failed(error: &TranscribeError) -> String {
    format!("cannot transcribe: {error}; the session goes on recording")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn assembler() -> (Assembler, mpsc::Receiver<Wake>, Cuts) {
        let (inbox, woken) = mpsc::channel();
        let (notices, _) = mpsc::channel();
        let cuts = Cuts::default();
        let assembler = Assembler {
            points: Vec::new(),
            coverage: Coverage::new([], Default::default()),
            inbox,
            notices,
            pending: Arc::new(AtomicUsize::new(1)),
            queued: Arc::new(AtomicUsize::new(0)),
            model: "test".into(),
            texts: HashMap::new(),
            testing: Vec::new(),
            cuts: Arc::clone(&cuts),
            failed: Default::default(),
            unloaded: false,
            told: false,
        };
        (assembler, woken, cuts)
    }

    fn say(assembler: &mut Assembler, chunk: u64, part: Part, text: &str, last: bool) {
        let last = last.then(|| Last {
            id: "q".into(),
            speech_ms: 10_000,
        });
        let tag = Tag {
            index: 1,
            take: 1,
            chunk,
            part,
            last,
        };
        assembler.report(Report::Text {
            tag,
            text: Ok(text.into()),
            took: Duration::ZERO,
        });
    }

    fn transcript(woken: &mpsc::Receiver<Wake>) -> String {
        match woken.try_recv() {
            Ok(Wake::Input(Input::Analysed(Analysis::Transcript(t)))) => t.text,
            _ => panic!("no transcript"),
        }
    }

    fn test_cut(assembler: &mut Assembler, uncut: &str, before: &str, after: &str) {
        say(assembler, 0, Part::Test(Side::Uncut, 800), uncut, false);
        say(assembler, 0, Part::Test(Side::Before, 800), before, false);
        say(assembler, 0, Part::Test(Side::After, 800), after, false);
    }

    #[test]
    fn a_cut_that_changes_no_word_is_made_and_its_text_kept() {
        let (mut assembler, woken, cuts) = assembler();
        test_cut(
            &mut assembler,
            "We send it by mail. Within sixty days",
            "We send it by mail.",
            "within sixty days.",
        );
        let cut = Cut {
            index: 1,
            take: 1,
            chunk: 0,
            at: 800,
        };
        assert_eq!(*cuts.lock().unwrap(), Some(cut));
        // The chunker made the cut: the next chunk begins after it.
        say(
            &mut assembler,
            1,
            Part::Whole,
            "Within sixty days of discovery.",
            true,
        );
        assert_eq!(
            transcript(&woken),
            "We send it by mail. Within sixty days of discovery."
        );
    }

    #[test]
    fn only_the_words_around_a_cut_must_agree() {
        let uncut =
            "Small abreaches go into a lot within 60 days. Business associates have to take";
        let before = "Smaller breaches go into a log within 60 days.";
        assert!(joins_cleanly(
            before,
            "Business associates hunter 10",
            uncut
        ));
        assert!(!joins_cleanly(before, "Business associate's have", uncut));
        assert!(
            !joins_cleanly(before, "Business", uncut),
            "one word after it"
        );
        assert!(
            !joins_cleanly("days.", "Business associates", uncut),
            "one before"
        );
        assert!(
            !joins_cleanly("go into", "60 days", uncut),
            "words lost at the cut"
        );
    }

    #[test]
    fn a_cut_that_garbles_a_phrase_is_not_made() {
        let (mut assembler, woken, cuts) = assembler();
        test_cut(
            &mut assembler,
            "We send it by mail within sixty days",
            "We send it by male",
            "willinsectinase",
        );
        assert_eq!(*cuts.lock().unwrap(), None);
        let whole = "We send it by mail within sixty days of discovery.";
        say(&mut assembler, 0, Part::Whole, whole, true);
        assert_eq!(transcript(&woken), whole);
    }

    #[test]
    fn a_chunk_sent_whole_before_its_cut_was_made_is_not_told_twice() {
        let (mut assembler, woken, cuts) = assembler();
        test_cut(
            &mut assembler,
            "One, two. Three, four",
            "One, two.",
            "Three, four",
        );
        assert!(cuts.lock().unwrap().is_some());
        // The answer ended before the chunker saw the cut: its last chunk is all of it.
        let whole = "One, two. Three, four, five.";
        say(&mut assembler, 0, Part::Whole, whole, true);
        assert_eq!(transcript(&woken), whole);
    }

    #[test]
    fn a_test_that_failed_makes_no_cut() {
        let (mut assembler, _woken, cuts) = assembler();
        say(
            &mut assembler,
            0,
            Part::Test(Side::Uncut, 800),
            "One. Two",
            false,
        );
        let tag = Tag {
            index: 1,
            take: 1,
            chunk: 0,
            part: Part::Test(Side::Before, 800),
            last: None,
        };
        assembler.report(Report::Text {
            tag,
            text: Err(TranscribeError::Runtime("no".into())),
            took: Duration::ZERO,
        });
        say(
            &mut assembler,
            0,
            Part::Test(Side::After, 800),
            "Two",
            false,
        );
        assert_eq!(*cuts.lock().unwrap(), None);
        assert!(!assembler.told, "a failed test is not the answer's failure");
    }

    #[test]
    fn a_cut_is_tested_at_a_gap_between_words_once_enough_follows_it() {
        let worker = Arc::new(Worker::start(
            crate::transcribe::EngineChoice::Command(
                crate::transcribe::command::Template::parse("true {in}").unwrap(),
            ),
            |_| {},
        ));
        let queued = Arc::new(AtomicUsize::new(0));
        let pending = Arc::new(AtomicUsize::new(0));
        let cuts = Cuts::default();
        let mut chunker = Chunker::new(worker, pending, Arc::clone(&queued), Arc::clone(&cuts));
        chunker.begin(1, 1);
        let second = vec![100i16; RATE as usize];
        let quiet = Duration::ZERO;
        for _ in 0..3 {
            chunker.feed(&second, quiet, None);
        }
        // A gap of 0.1 s between words 2.5 s in.
        let gap = Some(40_000..41_600);
        chunker.feed(&second, quiet, gap.clone());
        assert_eq!(chunker.gap, Some(40_800));
        assert_eq!(queued.load(Ordering::SeqCst), 0, "1.5 s after the gap");
        chunker.feed(&second[..800], quiet, gap.clone());
        assert_eq!(queued.load(Ordering::SeqCst), 3, "the test's three texts");
        assert_eq!(chunker.tested, Some((40_800, 4 * RATE as usize + 800)));
        let test = Arc::clone(&chunker.testing);
        // Its result: the cut is made at the next feed.
        *cuts.lock().unwrap() = Some(Cut {
            index: 1,
            take: 1,
            chunk: 0,
            at: 40_800,
        });
        queued.store(0, Ordering::SeqCst);
        chunker.feed(&second[..1600], quiet, gap.clone());
        assert_eq!(chunker.chunk, 1);
        // 4.15 s heard, the first 2.55 s transcribed.
        assert_eq!(chunker.samples.len(), 66_400 - 40_800);
        assert_eq!(chunker.start, 40_800);
        assert_eq!((chunker.gap, chunker.tested), (None, None));
        assert!(
            !test.load(Ordering::SeqCst),
            "nothing left of the test is wanted"
        );
        // The answer ends: a test sent in the chunk left is not wanted either.
        let test = Arc::clone(&chunker.testing);
        chunker.end(Last {
            id: "q".into(),
            speech_ms: 4700,
        });
        assert!(!test.load(Ordering::SeqCst));
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
