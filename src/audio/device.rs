//! The output device, owned by one background thread: it is opened there while the intro
//! is shown (and warmed up, so the first cue is neither late nor clipped), cues are queued
//! to one player so two never sound on top of each other, and failures come back as
//! notices, never as a failed session.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rodio::source::Zero;
use rodio::{DeviceSinkBuilder, Player, Source};

use super::speech::Speech;
use super::{Cue, CueSounds};

/// Something the person should know about the audio, said once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The device is open and cues will be heard.
    Ready,
    /// There is no device (a server, an SSH session, no sound card).
    NoDevice(String),
    /// The device stopped working (headphones unplugged).
    Failed(String),
}

impl Notice {
    /// The line shown to the person, if any.
    pub fn message(&self) -> Option<&'static str> {
        match self {
            Notice::Ready => None,
            Notice::NoDevice(_) => {
                Some("no audio output device: cues will be shown on screen only")
            }
            Notice::Failed(_) => {
                Some("the audio device stopped working: cues will be shown on screen only")
            }
        }
    }
}

/// The device's period: 100 ms at 48 kHz. Half that (rodio's choice) underruns on a busy
/// machine and tears a cue apart; the delay it adds is the same for every cue.
const BUFFER_FRAMES: u32 = 4800;

/// Silence after each cue.
const BREATH: Duration = Duration::from_millis(80);

/// Silence played as soon as the device opens. A sound server can take a second to start
/// a new stream and clips what comes first; once this much has been taken in, the stream
/// runs and a cue sounds when it is played.
const WARM_UP: Duration = Duration::from_millis(300);

/// The longest the warm-up may take before the device is called ready anyway.
const WARM_UP_LIMIT: Duration = Duration::from_secs(3);

/// Silence after the last cue before the device closes: what the player has handed on
/// still sits in the device's buffer (two periods) and the sound server's, and closing it
/// then would cut the cue off.
const TAIL: Duration = Duration::from_millis(450);

enum Message {
    Play(Cue),
    /// A question read aloud, queued like a cue.
    Say(Speech),
    /// Let queued cues finish (up to the deadline), then answer.
    Drain(Instant, Sender<()>),
}

pub struct AudioOut {
    messages: Sender<Message>,
    notices: Receiver<Notice>,
    /// The device has said whether it opened.
    settled: std::cell::Cell<bool>,
    thread: Option<JoinHandle<()>>,
}

impl AudioOut {
    /// Starts opening the default output device in the background and returns at once;
    /// `delay` makes the device slow to open, for the benchmark that proves nobody waits.
    pub fn open(sounds: CueSounds, delay: Duration) -> AudioOut {
        let (messages, inbox) = mpsc::channel();
        let (tell, notices) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("audio".into())
            .spawn(move || serve(sounds, delay, inbox, tell))
            .ok();
        AudioOut {
            messages,
            notices,
            settled: std::cell::Cell::new(false),
            thread,
        }
    }

    /// Queues a cue; returns at once.
    pub fn play(&self, cue: Cue) {
        let _ = self.messages.send(Message::Play(cue));
    }

    /// A handle that queues speeches from another thread. Drop it before
    /// [`AudioOut::finish`], which waits for every handle to go.
    pub fn speaker(&self) -> Speaker {
        Speaker(self.messages.clone())
    }

    /// A notice from the device thread, if one is waiting.
    pub fn notice(&self) -> Option<Notice> {
        let notice = self.notices.try_recv().ok();
        if notice.is_some() {
            self.settled.set(true);
        }
        notice
    }

    /// The device has opened, or said it cannot.
    pub fn settled(&self) -> bool {
        self.settled.get()
    }

    /// Waits up to `timeout` for the first notice (the device opened, or not).
    pub fn wait_notice(&self, timeout: Duration) -> Option<Notice> {
        self.notices.recv_timeout(timeout).ok()
    }

    /// Lets the cues already queued play out, waiting at most `timeout`, then closes the
    /// device.
    pub fn finish(mut self, timeout: Duration) {
        let (done, wait) = mpsc::channel();
        if self
            .messages
            .send(Message::Drain(Instant::now() + timeout, done))
            .is_ok()
        {
            let _ = wait.recv_timeout(timeout + Duration::from_millis(200));
        }
        let (closed, _) = mpsc::channel();
        self.messages = closed;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Queues questions read aloud on the device's one player, behind the cues queued before.
#[derive(Clone)]
pub struct Speaker(Sender<Message>);

impl Speaker {
    /// Queues a speech; returns at once. Without a device it is told so at once.
    pub fn say(&self, speech: Speech) {
        if let Err(mpsc::SendError(Message::Say(speech))) = self.0.send(Message::Say(speech)) {
            speech.unheard();
        }
    }
}

/// Opens the default output device. Only an error that means the device is gone sets
/// `failed`: a sound server reports passing trouble (an underrun, a rerouted stream)
/// through the same callback, and the stream plays on after it.
pub(super) fn open_sink(failed: &Arc<AtomicBool>) -> Result<rodio::MixerDeviceSink, String> {
    let failed = Arc::clone(failed);
    let on_error = move |error: rodio::cpal::Error| {
        if device_lost(error.kind()) {
            failed.store(true, Ordering::SeqCst);
        }
    };
    let mut sink = DeviceSinkBuilder::from_default_device()
        .and_then(|builder| {
            builder
                .with_buffer_size(rodio::cpal::BufferSize::Fixed(BUFFER_FRAMES))
                .with_error_callback(on_error)
                .open_sink_or_fallback()
        })
        .map_err(|e| e.to_string())?;
    sink.log_on_drop(false);
    Ok(sink)
}

/// Whether a stream error means the device is gone, not a passing hiccup. Through ALSA's
/// pulse plugin, PulseAudio reports bursts of `BackendError` (an I/O error from
/// `snd_pcm_avail_delay`) while the stream goes on playing: those are hiccups too.
fn device_lost(kind: rodio::cpal::ErrorKind) -> bool {
    use rodio::cpal::ErrorKind as K;
    matches!(
        kind,
        K::DeviceNotAvailable | K::HostUnavailable | K::StreamInvalidated | K::PermissionDenied
    )
}

fn serve(sounds: CueSounds, delay: Duration, inbox: Receiver<Message>, tell: Sender<Notice>) {
    // alsa-lib prints its own errors to stderr, which would tear through the bar; while
    // this handle lives, this thread's ALSA messages go into a buffer instead.
    #[cfg(target_os = "linux")]
    let _alsa_messages = alsa::Output::local_error_handler().ok();

    std::thread::sleep(delay);
    let failed = Arc::new(AtomicBool::new(false));
    let mut sink = match open_sink(&failed) {
        Ok(sink) => sink,
        Err(error) => {
            let _ = tell.send(Notice::NoDevice(error));
            for message in inbox {
                match message {
                    Message::Drain(_, done) => {
                        let _ = done.send(());
                    }
                    Message::Say(speech) => speech.unheard(),
                    Message::Play(_) => {}
                }
            }
            return;
        }
    };
    let mut player = Player::connect_new(sink.mixer());
    warm_up(&player);
    let _ = tell.send(Notice::Ready);
    let mut told = false;
    for message in inbox {
        // The device went away (headphones unplugged, the server restarted): open the
        // default device again before the next cue, and say so only if that fails.
        if failed.load(Ordering::SeqCst) && !told {
            match open_sink(&failed) {
                Ok(again) => {
                    failed.store(false, Ordering::SeqCst);
                    sink = again;
                    player = Player::connect_new(sink.mixer());
                    warm_up(&player);
                }
                Err(error) => {
                    told = true;
                    let _ = tell.send(Notice::Failed(error));
                }
            }
        }
        match message {
            Message::Play(_) if told => {}
            Message::Say(speech) if told => speech.unheard(),
            Message::Say(speech) => player.append(speech),
            Message::Play(cue) => {
                let sound = sounds.buffer(cue);
                let (channels, rate) = (sound.channels(), sound.sample_rate());
                player.append(sound);
                // A breath after each cue, so two cues in a row stay two sounds.
                player.append(Zero::new(channels, rate).take_duration(BREATH));
            }
            Message::Drain(deadline, done) => {
                if !player.empty() {
                    play_out(&player, &failed, deadline);
                }
                let _ = done.send(());
            }
        }
    }
}

fn silence(length: Duration) -> impl Source + Send + 'static {
    let one = std::num::NonZero::new(1).expect("one is not zero");
    let rate = std::num::NonZero::new(48_000).expect("a rate is not zero");
    Zero::new(one, rate).take_duration(length)
}

/// Lets what is queued play out, then [`TAIL`] of silence for what the device still holds;
/// returns when it has, when the device failed, or at `deadline`.
pub(super) fn play_out(player: &Player, failed: &AtomicBool, deadline: Instant) {
    player.append(silence(TAIL));
    while !player.empty() && !failed.load(Ordering::SeqCst) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Plays [`WARM_UP`] of silence and waits until the device has taken it in.
pub(super) fn warm_up(player: &Player) {
    player.append(silence(WARM_UP));
    let started = Instant::now();
    while !player.empty() && started.elapsed() < WARM_UP_LIMIT {
        std::thread::sleep(Duration::from_millis(5));
    }
}
