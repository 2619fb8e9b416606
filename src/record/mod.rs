//! Recording the answers (`--record`): a part of the session that hears the microphone
//! from the moment an answer starts until it ends (thinking time and pauses are not
//! recorded), keeps each take as a FLAC file next to the session log, and measures how it
//! was spoken. The microphone lives on a thread of its own (`mic`); what it measured comes
//! back to the engine as an input, so the log, the event stream and the screen all see
//! it. This part never changes the session, and a missing microphone or a full disk only
//! ever costs the recording, never the session.

mod chunks;
pub mod detect;
pub mod flac;
mod folder;
mod mic;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use mic::{Command, Notice, TakeFile, TakeSpec};

use crate::answer::Kinds;
use crate::plan::Plan;
use crate::session::{Event, EventKind, Input, Part, Wake};

/// The shortest pause counted as long when neither a flag nor the config says otherwise.
pub const DEFAULT_PAUSE_THRESHOLD: Duration = Duration::from_secs(3);

/// How loud the microphone hears the person right now, and whether there is a
/// microphone at all, shared with the screen.
#[derive(Debug, Clone, Default)]
pub struct Meter(Arc<Levels>);

#[derive(Debug, Default)]
struct Levels {
    /// The bits of the level in dBFS; zero bits (0.0 dBFS exactly, which a real signal
    /// never quite reaches) while nothing is being recorded.
    level: AtomicU32,
    absent: AtomicBool,
    /// Told when the meter would show another number of cells, so the screen is drawn
    /// again then and only then.
    wake: Option<Sender<Wake>>,
}

/// The level meter's cells.
pub const METER_CELLS: usize = 5;

impl Meter {
    /// A meter that wakes the run loop through `inbox` when what it shows changes.
    pub fn waking(inbox: Sender<Wake>) -> Meter {
        Meter(Arc::new(Levels {
            wake: Some(inbox),
            ..Levels::default()
        }))
    }

    /// `None` while nothing is being recorded.
    fn set(&self, db: Option<f32>) {
        let bits = db.map_or(0, |db| db.min(-0.01).to_bits());
        let was = self.0.level.swap(bits, Ordering::Relaxed);
        let shown = |bits: u32| (bits != 0).then(|| lit_cells(f32::from_bits(bits)));
        if let Some(wake) = &self.0.wake
            && shown(was) != shown(bits)
        {
            let _ = wake.send(Wake::News);
        }
    }

    /// How many of the meter's cells are lit while an answer is recorded.
    pub fn cells(&self) -> Option<usize> {
        self.level().map(lit_cells)
    }

    /// The level in dBFS while an answer is being recorded.
    pub fn level(&self) -> Option<f32> {
        match self.0.level.load(Ordering::Relaxed) {
            0 => None,
            bits => Some(f32::from_bits(bits)),
        }
    }

    fn set_absent(&self) {
        self.0.absent.store(true, Ordering::Relaxed);
    }

    /// No microphone could be opened: nothing will be recorded or measured.
    pub fn absent(&self) -> bool {
        self.0.absent.load(Ordering::Relaxed)
    }
}

/// What `--record` needs, resolved by the settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordOptions {
    /// `--input-device`: by name; the default device otherwise.
    pub device: Option<String>,
    pub pause_threshold: Duration,
}

/// What `--transcribe` needs: the engine, and what each answer's words are judged by.
pub struct Transcribing {
    pub engine: crate::transcribe::EngineChoice,
    /// The talking points of each question of the plan, in order.
    pub points: Vec<Vec<String>>,
    /// The judge of the talking points, built from the bank's.
    pub coverage: crate::analyse::Coverage,
}

pub struct Recorder<'a> {
    plan: &'a Plan,
    /// The log's own folder for recordings, and its name relative to the log's folder.
    folder: Option<(PathBuf, String)>,
    pause_threshold: Duration,
    /// Each command with the moment it was given.
    commands: Option<Sender<(Command, Instant)>>,
    notices: Receiver<Notice>,
    inbox: Sender<Wake>,
    thread: Option<JoinHandle<()>>,
    /// The device opened, or said it cannot.
    settled: bool,
    /// Recording works: no device means no takes.
    working: bool,
    /// A take is open for this question.
    recording: Option<usize>,
    /// Takes begun per question.
    takes: HashMap<usize, u32>,
    /// With `--transcribe`: takes whose transcript has not come back yet.
    transcribing: Option<Arc<AtomicUsize>>,
    /// Tells the transcriber to load its model (with `--transcribe`).
    load: Option<Sender<()>>,
}

impl<'a> Recorder<'a> {
    /// Starts opening the microphone in the background; `log` is the session log (none
    /// with `--no-log`: then nothing is written, the figures are still measured).
    pub fn start(
        options: &RecordOptions,
        plan: &'a Plan,
        log: Option<&Path>,
        inbox: Sender<Wake>,
        meter: Meter,
        transcribing: Option<Transcribing>,
    ) -> Recorder<'a> {
        let (commands, receive) = mpsc::channel();
        let (tell, notices) = mpsc::channel();
        let pending = transcribing.as_ref().map(|_| Arc::new(AtomicUsize::new(0)));
        // The model loads once the session's clock starts: loading it takes both cores for
        // a second, and the first question waits for the sound devices to open.
        let (load, go) = mpsc::channel();
        let chunker = transcribing.zip(pending.clone()).map(|(t, pending)| {
            let queued = Arc::new(AtomicUsize::new(0));
            let cuts = chunks::Cuts::default();
            let mut assembler = chunks::Assembler {
                points: t.points,
                coverage: t.coverage,
                inbox: inbox.clone(),
                notices: tell.clone(),
                pending: Arc::clone(&pending),
                queued: Arc::clone(&queued),
                model: String::new(),
                texts: HashMap::new(),
                testing: Vec::new(),
                cuts: Arc::clone(&cuts),
                failed: Default::default(),
                unloaded: false,
                told: false,
            };
            let worker = crate::transcribe::Worker::start_when(t.engine, Some(go), move |report| {
                assembler.report(report)
            });
            chunks::Chunker::new(Arc::new(worker), pending, queued, cuts)
        });
        let thread = mic::Thread {
            device: options.device.clone(),
            commands: receive,
            notices: tell,
            inbox: inbox.clone(),
            meter,
            chunker,
        };
        let thread = std::thread::Builder::new()
            .name("microphone".into())
            .spawn(move || thread.run())
            .ok();
        Recorder {
            plan,
            folder: log.and_then(crate::recordings::folder_of),
            pause_threshold: options.pause_threshold,
            commands: Some(commands),
            notices,
            inbox,
            thread,
            settled: false,
            working: true,
            recording: None,
            takes: HashMap::new(),
            transcribing: pending,
            load: Some(load),
        }
    }

    fn send(&self, command: Command) {
        if let Some(commands) = &self.commands {
            let _ = commands.send((command, Instant::now()));
        }
    }

    fn begin(&mut self, index: usize) {
        let take = self.takes.entry(index).or_insert(0);
        *take += 1;
        let take = *take;
        let question = self.plan.question(index);
        let name = crate::recordings::file_name(index, &question.id, take);
        let file = self.folder.as_ref().map(|(dir, relative)| TakeFile {
            folder: dir.clone(),
            relative: format!("{relative}/{name}"),
            name,
        });
        self.send(Command::Start(TakeSpec {
            index,
            id: question.id.clone(),
            take,
            file,
            questions_left: (self.plan.questions.len() + 1).saturating_sub(index),
            pause_threshold: self.pause_threshold,
        }));
        self.recording = Some(index);
    }
}

impl Part for Recorder<'_> {
    fn react(&mut self, events: &[Event], _now: Duration) -> Vec<String> {
        for event in events {
            if !self.working {
                break;
            }
            match &event.kind {
                EventKind::Retake { take, .. } => {
                    // The take before ends here; the next `AnswerStarted` begins this one.
                    if self.recording.take().is_some() {
                        self.send(Command::Stop);
                    }
                    self.takes.insert(event.index, take.saturating_sub(1));
                }
                EventKind::AnswerStarted => self.begin(event.index),
                EventKind::Paused if self.recording.is_some() => self.send(Command::Pause),
                EventKind::Resumed { .. } if self.recording.is_some() => self.send(Command::Resume),
                EventKind::QuestionEnded { .. } if self.recording.take().is_some() => {
                    self.send(Command::Stop)
                }
                _ => {}
            }
        }
        Vec::new()
    }

    fn poll(&mut self) -> Option<String> {
        let notice = self.notices.try_recv().ok()?;
        if let Notice::NoTranscriber(line) = notice {
            return Some(line);
        }
        self.settled = true;
        match notice {
            Notice::Opened | Notice::NoTranscriber(_) => None,
            Notice::NoDevice(why) => {
                self.working = false;
                self.recording = None;
                // Without a recording there are no figures and nothing to transcribe.
                let none = Kinds::SPOKEN.with(Kinds::TRANSCRIPT);
                let _ = self.inbox.send(Wake::Input(Input::Unavailable(none)));
                Some(format!(
                    "cannot record: {why}; the session goes on without recording"
                ))
            }
            Notice::Silent => Some("the microphone hears nothing: is it muted?".to_string()),
            Notice::CannotWrite { why, lasting: true } => Some(format!(
                "cannot write the recordings ({why}): recordings stop here; the session and its log go on"
            )),
            Notice::CannotWrite {
                why,
                lasting: false,
            } => Some(format!(
                "cannot write the recording ({why}): this answer is not kept; the session goes on"
            )),
        }
    }

    fn next_wake(&self, now: Duration) -> Option<Duration> {
        // Until the microphone has said how it went; later notices wake the run loop.
        (!self.settled).then_some(now + Duration::from_millis(250))
    }

    fn ready(&self) -> bool {
        self.settled
    }

    fn clock_started(&mut self) {
        if let Some(load) = self.load.take() {
            let _ = load.send(());
        }
    }

    fn pending(&self) -> bool {
        self.transcribing
            .as_ref()
            .is_some_and(|n| n.load(Ordering::SeqCst) > 0)
    }
}

impl Drop for Recorder<'_> {
    fn drop(&mut self) {
        // Closing the commands ends the thread, which finishes an open take first.
        self.commands = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Cells lit for a level: one for every 10 dB above -50 dBFS.
fn lit_cells(db: f32) -> usize {
    ((db + 50.0) / 10.0).clamp(0.0, METER_CELLS as f32) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meter_wakes_the_run_loop_only_when_it_would_show_another_level() {
        let (tx, rx) = mpsc::channel();
        let meter = Meter::waking(tx);
        let woken = || rx.try_iter().count();
        meter.set(Some(-23.5));
        assert_eq!((meter.cells(), woken()), (Some(2), 1));
        // -21 and -29 dBFS light the same two cells.
        meter.set(Some(-21.0));
        meter.set(Some(-29.0));
        assert_eq!(woken(), 0);
        meter.set(Some(-8.0));
        assert_eq!((meter.cells(), woken()), (Some(4), 1));
        meter.set(None);
        assert_eq!((meter.cells(), woken()), (None, 1));
        meter.set(None);
        assert_eq!(woken(), 0);
    }

    #[test]
    fn the_meter_is_off_until_it_hears_something() {
        let meter = Meter::default();
        assert_eq!(meter.level(), None);
        meter.set(Some(-23.5));
        assert_eq!(meter.level(), Some(-23.5));
        meter.set(None);
        assert_eq!(meter.level(), None);
        assert!(!meter.absent());
        meter.clone().set_absent();
        assert!(meter.absent());
    }
}
