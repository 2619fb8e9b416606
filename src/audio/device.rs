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

/// rodio's device period (review play, and the cues where ALSA is not used): 100 ms at
/// 48 kHz. Half that (rodio's choice) underruns on a busy machine and tears a sound apart;
/// the delay it adds is the same for every sound.
const BUFFER_FRAMES: u32 = 4800;

/// Silence after each cue and each question read aloud, so two sounds in a row stay two.
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
    // Before the device opens: the sound server's client threads it starts inherit it.
    raise_priority();

    std::thread::sleep(delay);
    let mut out = match Output::open() {
        Ok(out) => out,
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
    out.warm_up();
    let _ = tell.send(Notice::Ready);
    let mut told = false;
    let mut wait = None;
    loop {
        let message = match wait {
            None => inbox.recv().ok(),
            Some(timeout) => match inbox.recv_timeout(timeout) {
                Ok(message) => Some(message),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    wait = out.pump();
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => None,
            },
        };
        let Some(message) = message else { break };
        // The device went away (headphones unplugged, the server restarted): open the
        // default device again before the next cue, and say so only if that fails.
        if out.failed() && !told {
            match Output::open() {
                Ok(again) => {
                    out = again;
                    out.warm_up();
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
            Message::Say(speech) => {
                out.say(speech);
                out.queue(Box::new(silence(BREATH)));
            }
            Message::Play(cue) => {
                out.queue(Box::new(sounds.buffer(cue)));
                out.queue(Box::new(silence(BREATH)));
            }
            Message::Drain(deadline, done) => {
                out.play_out(deadline);
                let _ = done.send(());
            }
        }
        wait = out.pump();
    }
}

/// Where the sounds go: on Linux ALSA itself, written by this thread (see `alsa_out`);
/// elsewhere rodio's player on the default device.
enum Output {
    #[cfg(target_os = "linux")]
    Alsa {
        device: super::alsa_out::AlsaOut,
        failed: bool,
    },
    #[cfg_attr(target_os = "linux", allow(dead_code))]
    Rodio {
        _sink: rodio::MixerDeviceSink,
        player: Player,
        failed: Arc<AtomicBool>,
    },
}

impl Output {
    fn open() -> Result<Output, String> {
        #[cfg(target_os = "linux")]
        return super::alsa_out::AlsaOut::open().map(|device| Output::Alsa {
            device,
            failed: false,
        });
        #[cfg(not(target_os = "linux"))]
        {
            let failed = Arc::new(AtomicBool::new(false));
            let sink = open_sink(&failed)?;
            let player = Player::connect_new(sink.mixer());
            Ok(Output::Rodio {
                _sink: sink,
                player,
                failed,
            })
        }
    }

    fn failed(&self) -> bool {
        match self {
            #[cfg(target_os = "linux")]
            Output::Alsa { failed, .. } => *failed,
            Output::Rodio { failed, .. } => failed.load(Ordering::SeqCst),
        }
    }

    fn warm_up(&mut self) {
        match self {
            #[cfg(target_os = "linux")]
            Output::Alsa { device, failed } => {
                *failed = device.warm_up(WARM_UP, WARM_UP_LIMIT).is_err();
            }
            Output::Rodio { player, .. } => warm_up(player),
        }
    }

    /// Queues a cue behind the other sounds (on ALSA, handed to the device all at once).
    fn queue(&mut self, sound: Box<dyn Source + Send>) {
        match self {
            #[cfg(target_os = "linux")]
            Output::Alsa { device, .. } => device.queue(sound, None),
            Output::Rodio { player, .. } => player.append(sound),
        }
    }

    /// Queues a speech behind the other sounds; on ALSA it is told it was played once it
    /// has been heard, not once it was written.
    fn say(&mut self, speech: Speech) {
        match self {
            #[cfg(target_os = "linux")]
            Output::Alsa { device, .. } => {
                let mut speech = speech;
                let speaking = super::alsa_out::Speaking {
                    control: speech.control(),
                    done: speech.take_done(),
                };
                device.queue(Box::new(speech), Some(speaking));
            }
            Output::Rodio { player, .. } => player.append(speech),
        }
    }

    /// Hands the device what is due; returns how long until it must be done again.
    fn pump(&mut self) -> Option<Duration> {
        match self {
            #[cfg(target_os = "linux")]
            Output::Alsa { device, failed } => device.pump().unwrap_or_else(|_| {
                *failed = true;
                None
            }),
            Output::Rodio { .. } => None,
        }
    }

    /// Lets what is queued play out, up to `deadline`.
    fn play_out(&mut self, deadline: Instant) {
        match self {
            #[cfg(target_os = "linux")]
            Output::Alsa { device, failed } => {
                *failed = device.play_out(deadline).is_err();
            }
            Output::Rodio { player, failed, .. } => {
                if !player.empty() {
                    play_out(player, failed, deadline);
                }
            }
        }
    }
}

/// Asks for the priority the audio threads (the cues' and the microphone's) may have, so
/// that a busy machine does not hold them up: a nice value of -11 (a sound server's own),
/// or as near as the limits allow (`ulimit -e`); nothing when none is allowed. On Linux a
/// nice value is the thread's own, and threads started from it (the sound server's client
/// threads) take it.
pub(crate) fn raise_priority() {
    #[cfg(target_os = "linux")]
    {
        const WANTED: i32 = -11;
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes into the struct owned here; setpriority and gettid take
        // plain values and touch only this thread's nice value.
        unsafe {
            // RLIMIT_NICE allows nice values down to 20 - rlim_cur.
            let lowest = if libc::getrlimit(libc::RLIMIT_NICE, &mut limit) == 0 {
                20 - limit.rlim_cur.min(40) as i32
            } else {
                0
            };
            let tid = libc::gettid() as libc::id_t;
            if libc::setpriority(libc::PRIO_PROCESS, tid, WANTED) != 0 && lowest < 0 {
                libc::setpriority(libc::PRIO_PROCESS, tid, WANTED.max(lowest));
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
