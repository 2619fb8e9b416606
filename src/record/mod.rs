//! Recording the answers (`--record`): a part of the session that hears the microphone
//! from the moment an answer starts until it ends (thinking time and pauses are not
//! recorded), keeps each take as a FLAC file next to the session log, and measures how it
//! was spoken. The microphone lives on a thread of its own (`mic`); what it measured comes
//! back to the engine as an input, so the log, the event stream and the screen all see
//! it. This part never changes the session, and a missing microphone or a full disk only
//! ever costs the recording, never the session.

pub mod detect;
pub mod flac;
mod mic;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use mic::{Command, Notice, TakeSpec};

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
}

impl Meter {
    /// `None` while nothing is being recorded.
    fn set(&self, db: Option<f32>) {
        let bits = db.map_or(0, |db| db.min(-0.01).to_bits());
        self.0.level.store(bits, Ordering::Relaxed);
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

pub struct Recorder<'a> {
    plan: &'a Plan,
    /// The log's own folder for recordings, and its name relative to the log's folder.
    folder: Option<(PathBuf, String)>,
    pause_threshold: Duration,
    commands: Option<Sender<Command>>,
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
    ) -> Recorder<'a> {
        let (commands, receive) = mpsc::channel();
        let (tell, notices) = mpsc::channel();
        let thread = mic::Thread {
            device: options.device.clone(),
            commands: receive,
            notices: tell,
            inbox: inbox.clone(),
            meter,
        };
        let thread = std::thread::Builder::new()
            .name("microphone".into())
            .spawn(move || thread.run())
            .ok();
        Recorder {
            plan,
            folder: log.and_then(folder_for),
            pause_threshold: options.pause_threshold,
            commands: Some(commands),
            notices,
            inbox,
            thread,
            settled: false,
            working: true,
            recording: None,
            takes: HashMap::new(),
        }
    }

    fn send(&self, command: Command) {
        if let Some(commands) = &self.commands {
            let _ = commands.send(command);
        }
    }

    fn begin(&mut self, index: usize) {
        let take = self.takes.entry(index).or_insert(0);
        *take += 1;
        let take = *take;
        let question = self.plan.question(index);
        let name = file_name(index, &question.id, take);
        let path = self
            .folder
            .as_ref()
            .map(|(dir, relative)| (dir.join(&name), format!("{relative}/{name}")));
        self.send(Command::Start(TakeSpec {
            index,
            take,
            path,
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
        self.settled = true;
        match notice {
            Notice::Opened => None,
            Notice::NoDevice(why) => {
                self.working = false;
                self.recording = None;
                let _ = self.inbox.send(Wake::Input(Input::NotRecording));
                Some(format!(
                    "cannot record: {why}; the session goes on without recording"
                ))
            }
            Notice::Silent => Some("the microphone hears nothing: is it muted?".to_string()),
            Notice::CannotWrite(why) => Some(format!(
                "cannot write the recording ({why}): recordings stop here; the session and its log go on"
            )),
        }
    }

    fn next_wake(&self, now: Duration) -> Option<Duration> {
        // Notices (a silent microphone) are shown soon even when nothing else happens.
        (self.recording.is_some() || !self.settled).then_some(now + Duration::from_millis(250))
    }

    fn ready(&self) -> bool {
        self.settled
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

/// `01-breach-notification-timelines.flac`, `01-breach-notification-timelines-take2.flac`.
fn file_name(index: usize, id: &str, take: u32) -> String {
    let id: String = id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    match take {
        1 => format!("{index:02}-{id}.flac"),
        n => format!("{index:02}-{id}-take{n}.flac"),
    }
}

/// The recordings' folder of a log: next to it, with its name without `.jsonl`.
fn folder_for(log: &Path) -> Option<(PathBuf, String)> {
    let stem = log.file_stem()?.to_str()?.to_string();
    Some((log.with_file_name(&stem), stem))
}

/// Creates the recordings' folder, readable by its owner only.
fn make_folder(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_named_by_question_and_take() {
        assert_eq!(file_name(1, "breach", 1), "01-breach.flac");
        assert_eq!(file_name(12, "breach", 2), "12-breach-take2.flac");
        assert_eq!(file_name(3, "a/b c", 1), "03-a-b-c.flac");
        let (dir, relative) =
            folder_for(Path::new("/logs/2026-12-01_09-30-00_healthcare.jsonl")).unwrap();
        assert_eq!(dir, Path::new("/logs/2026-12-01_09-30-00_healthcare"));
        assert_eq!(relative, "2026-12-01_09-30-00_healthcare");
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
