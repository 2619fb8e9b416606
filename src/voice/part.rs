//! The voice as a part of the session. A thread of its own renders the first question as
//! soon as the session is prepared (the first question waits for it, as for the audio
//! device), and each next one while the current question is being spoken and answered,
//! so starting a question never waits for the voice. When a question starts, that thread
//! queues its speech on the audio output and, when the speech has been played, tells the
//! engine (`Input::Spoken`) through the inbox. Pauses and Enter reach the speech through
//! its [`SpeechControl`], straight from the run loop.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rodio::Source;
use rodio::buffer::SamplesBuffer;

use super::{TIMEOUT, VoiceChoice, VoiceError, render};
use crate::audio::{Speaker, Speech, SpeechControl, decode_speech};
use crate::session::{Event, EventKind, Input, Part, Wake};

/// How much longer than its sound a speech may take before the voice gives up waiting
/// for the device to say it was played (a device that went away mid-sentence): it may
/// wait behind a cue that is still sounding.
const SLACK: Duration = Duration::from_secs(2);

/// How often a speech being played is looked at, for pauses and its end.
const LOOK: Duration = Duration::from_millis(20);

enum Job {
    /// Question `index` (1-based) is asked now.
    Ask {
        index: usize,
        control: SpeechControl,
    },
}

pub struct VoicePart {
    jobs: Option<Sender<Job>>,
    /// Set when the session ends: a rendering still running is given up, its program
    /// ended and its files removed, before the process goes.
    stop: Arc<AtomicBool>,
    worker: Option<std::thread::JoinHandle<()>>,
    warnings: Receiver<String>,
    /// The first question has been rendered, or could not be.
    first: Arc<AtomicBool>,
    /// Taken away when the session ends, so the audio output can close.
    speaker: Arc<Mutex<Option<Speaker>>>,
    /// The question being asked, and the handle on its speech.
    asking: Option<(usize, SpeechControl)>,
}

impl VoicePart {
    /// Starts rendering the first of `texts` (the questions, in order) at once. Speeches
    /// go to `speaker` at `volume` (0.0 to 1.0); the end of each is posted to `inbox`.
    pub fn start(
        choice: VoiceChoice,
        texts: Vec<String>,
        volume: f32,
        speaker: Speaker,
        inbox: Sender<Wake>,
    ) -> VoicePart {
        let (jobs, job_rx) = mpsc::channel();
        let (warn_tx, warnings) = mpsc::channel();
        let first = Arc::new(AtomicBool::new(texts.is_empty()));
        let speaker = Arc::new(Mutex::new(Some(speaker)));
        let stop = Arc::new(AtomicBool::new(false));
        let worker = Worker {
            stop: Arc::clone(&stop),
            choice,
            texts,
            volume,
            speaker: Arc::clone(&speaker),
            inbox,
            warnings: warn_tx,
            rendered: HashMap::new(),
            off: false,
            warned: false,
        };
        let started = Arc::clone(&first);
        let spawned = std::thread::Builder::new()
            .name("voice".into())
            .spawn(move || worker.serve(job_rx, &started));
        if spawned.is_err() {
            first.store(true, Ordering::SeqCst);
        }
        VoicePart {
            jobs: Some(jobs),
            stop,
            worker: spawned.ok(),
            warnings,
            first,
            speaker,
            asking: None,
        }
    }

    fn stop_asking(&mut self) {
        if let Some((_, control)) = self.asking.take() {
            control.stop();
        }
    }
}

impl Part for VoicePart {
    fn react(&mut self, events: &[Event], _now: Duration) -> Vec<String> {
        for event in events {
            let current = self.asking.as_ref().filter(|(i, _)| *i == event.index);
            match &event.kind {
                EventKind::QuestionStarted => {
                    self.stop_asking();
                    let control = SpeechControl::default();
                    if let Some(jobs) = &self.jobs {
                        let _ = jobs.send(Job::Ask {
                            index: event.index,
                            control: control.clone(),
                        });
                    }
                    self.asking = Some((event.index, control));
                }
                EventKind::Paused => {
                    if let Some((_, control)) = current {
                        control.set_paused(true);
                    }
                }
                EventKind::Resumed { .. } => {
                    if let Some((_, control)) = current {
                        control.set_paused(false);
                    }
                }
                // Read to the end, cut short, skipped: the reading is over.
                EventKind::Spoken { .. }
                | EventKind::PrepStarted
                | EventKind::AnswerStarted
                | EventKind::QuestionEnded { .. }
                    if current.is_some() =>
                {
                    self.stop_asking();
                }
                EventKind::SessionEnded { .. } => self.stop_asking(),
                _ => {}
            }
        }
        Vec::new()
    }

    fn poll(&mut self) -> Option<String> {
        self.warnings.try_recv().ok()
    }

    fn ready(&self) -> bool {
        self.first.load(Ordering::SeqCst)
    }
}

impl Drop for VoicePart {
    fn drop(&mut self) {
        self.stop_asking();
        self.stop.store(true, Ordering::SeqCst);
        self.jobs = None;
        // A rendering still running ends within moments; waited for, so that nothing of
        // it (a program, a scratch folder) outlives the session.
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
        // The audio output waits for every speaker to go before it closes.
        if let Ok(mut speaker) = self.speaker.lock() {
            speaker.take();
        }
    }
}

/// The voice's thread: renders, plays, and watches each speech to its end.
struct Worker {
    stop: Arc<AtomicBool>,
    choice: VoiceChoice,
    texts: Vec<String>,
    volume: f32,
    speaker: Arc<Mutex<Option<Speaker>>>,
    inbox: Sender<Wake>,
    warnings: Sender<String>,
    /// Rendered ahead, by question number.
    rendered: HashMap<usize, Result<SamplesBuffer, ()>>,
    /// The voice failed in a way that will not change (not installed, hangs).
    off: bool,
    warned: bool,
}

impl Worker {
    fn serve(mut self, jobs: Receiver<Job>, first: &AtomicBool) {
        self.render_ahead(1);
        first.store(true, Ordering::SeqCst);
        for job in jobs {
            let Job::Ask { index, control } = job;
            let speech = self
                .rendered
                .remove(&index)
                .unwrap_or_else(|| self.render(index));
            let Ok(samples) = speech else {
                self.post(index, false);
                self.render_ahead(index + 1);
                continue;
            };
            let length = samples.total_duration().unwrap_or_default();
            let (done_tx, done) = mpsc::channel();
            let inbox = self.inbox.clone();
            // Told on the audio thread the moment the last sample is played: the engine
            // hears of it at once, whatever this thread is doing.
            let speech = Speech::new(
                samples,
                control.clone(),
                Box::new(move |heard| {
                    let _ = inbox.send(Wake::Input(Input::Spoken { index, heard }));
                    let _ = done_tx.send(());
                }),
            );
            match self.speaker.lock().ok().as_deref().and_then(Option::as_ref) {
                Some(speaker) => speaker.say(speech),
                None => return,
            }
            let deadline = Instant::now() + length + SLACK;
            // The next question is rendered while this one is spoken and answered.
            self.render_ahead(index + 1);
            self.watch(index, &control, &done, deadline);
        }
    }

    /// Waits for the speech to be played to its end, stopped, or (the device gone) to
    /// have taken far longer than it should; a pause makes it longer.
    fn watch(
        &self,
        index: usize,
        control: &SpeechControl,
        done: &Receiver<()>,
        mut deadline: Instant,
    ) {
        loop {
            match done.recv_timeout(LOOK) {
                Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => return,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            if control.is_stopped() {
                return;
            }
            if control.is_paused() {
                deadline += LOOK;
            } else if Instant::now() >= deadline {
                control.stop();
                return self.post(index, true);
            }
        }
    }

    fn post(&self, index: usize, heard: bool) {
        let _ = self.inbox.send(Wake::Input(Input::Spoken { index, heard }));
    }

    fn render_ahead(&mut self, index: usize) {
        if index <= self.texts.len() && !self.rendered.contains_key(&index) {
            let speech = self.render(index);
            self.rendered.insert(index, speech);
        }
    }

    fn render(&mut self, index: usize) -> Result<SamplesBuffer, ()> {
        if self.off {
            return Err(());
        }
        let text = self.texts.get(index - 1).map_or("", String::as_str);
        let stopped = Arc::clone(&self.stop);
        let stop = move || stopped.load(Ordering::SeqCst);
        let rendered = render(&self.choice, text, TIMEOUT, &stop).and_then(|wav| {
            decode_speech(wav, self.volume).map_err(|reason| VoiceError::NoSound {
                program: self.choice.program(),
                reason: reason.to_string(),
            })
        });
        rendered.map_err(|error| {
            self.off |= error.lasting();
            // Stopped: the session is ending, there is nobody to tell.
            if !self.warned && error != VoiceError::Stopped {
                self.warned = true;
                let _ = self
                    .warnings
                    .send(format!("{error}: the text is on screen"));
            }
        })
    }
}
