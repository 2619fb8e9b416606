//! The microphone, owned by one thread of its own. The device keeps only so much (four
//! seconds read from ALSA on Linux, 100 ms in rodio's buffer elsewhere) and drops what is
//! not taken in time, so this thread takes the samples as they come, whether an answer is
//! being recorded or not (from ALSA a few times a second, from rodio every 20 ms), turns
//! them into 16 kHz mono, and hands them to the take: the FLAC file, the voice detector
//! and the level meter. A command (an answer starts, pauses, ends) wakes it at once, and
//! it first takes all that was heard before that moment, so a take begins and ends where
//! the answer did. Samples lost all the same (the computer was too busy) are counted and
//! replaced by silence, so the recording keeps the answer's length.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use rodio::microphone::{Microphone, MicrophoneBuilder, available_inputs};

use super::Meter;
use super::chunks::{Chunker, Last};
use super::detect::{RATE, Speech};
use super::flac::FlacWriter;
use super::folder::Folder;
use crate::answer::{Analysis, Spoken};
use crate::session::{Input, Wake};

/// How often rodio's buffer is emptied: well inside its 100 ms.
const DRAIN: Duration = Duration::from_millis(20);

/// How often ALSA's buffer is emptied while an answer is recorded (the level meter moves
/// this often), and while none is.
const READ_RECORDING: Duration = Duration::from_millis(250);
const READ_IDLE: Duration = Duration::from_secs(1);

/// The longest a command waits for the samples heard before it to come in.
const CATCH_UP: Duration = Duration::from_millis(250);

/// The longest the device may take to deliver its first samples.
const WARM_UP: Duration = Duration::from_secs(3);

/// Below this peak (-60 dBFS) the microphone hears nothing.
const SILENT_PEAK: u16 = 33;

/// How long an answer may hear nothing before the person is told.
const SILENT_FOR: u64 = 5 * RATE as u64;

/// Room on the disk kept for the session log, whatever the recordings take: enough for
/// the records of a question many times over, for each question still to come.
const KEPT_FOR_THE_LOG: u64 = 64 * 1024;
const KEPT_PER_QUESTION: u64 = 8 * 1024;

/// How often (in samples written) the room left on the disk is looked at: each frame.
const ROOM_CHECK: u64 = 4096;

/// One take to record.
#[derive(Debug, Clone)]
pub struct TakeSpec {
    pub index: usize,
    /// The question's id, for the log.
    pub id: String,
    pub take: u32,
    /// Where its file goes; none with `--no-log`.
    pub file: Option<TakeFile>,
    /// Questions not yet ended, this one included: the log still has their records to write.
    pub questions_left: usize,
    pub pause_threshold: Duration,
}

/// A take's file: in the session's recordings folder (made by the first take), by name.
#[derive(Debug, Clone)]
pub struct TakeFile {
    pub folder: PathBuf,
    pub name: String,
    /// The file relative to the log's folder, as the log names it.
    pub relative: String,
}

#[derive(Debug)]
pub enum Command {
    Start(TakeSpec),
    Pause,
    Resume,
    /// The take is over: measure it and post its figures.
    Stop,
}

/// What the person should know, said by the microphone thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Opened,
    NoDevice(String),
    /// The first seconds of an answer were silent.
    Silent,
    /// A recording could not be written; `lasting`: no more will be (a full disk, a
    /// recordings folder refused), or else only this take is lost.
    CannotWrite {
        why: String,
        lasting: bool,
    },
    /// Answers cannot be transcribed (no speech model), or one could not be: the line
    /// to say.
    NoTranscriber(String),
}

struct Take {
    spec: TakeSpec,
    file: Option<FlacWriter>,
    /// Some of this take reached the disk.
    on_disk: bool,
    speech: Speech,
    paused: bool,
    samples: u64,
    /// Samples written since the room left on the disk was last looked at.
    unchecked: u64,
    dropped: u64,
    peak: u16,
    told_silent: bool,
}

pub struct Thread {
    pub device: Option<String>,
    /// Each command with the moment it was given.
    pub commands: Receiver<(Command, Instant)>,
    pub notices: Sender<Notice>,
    pub inbox: Sender<Wake>,
    pub meter: Meter,
    /// With `--transcribe`: where each take's chunks go as they are spoken.
    pub chunker: Option<Chunker>,
}

impl Thread {
    pub fn run(self) {
        // alsa-lib prints its own errors to stderr, which would tear through the bar;
        // while this handle lives, this thread's ALSA messages go into a buffer instead.
        #[cfg(target_os = "linux")]
        let _alsa_messages = alsa::Output::local_error_handler().ok();
        // Before the device opens: the sound server's client threads it starts inherit it.
        // A microphone read late on a busy machine loses nothing (its buffer holds 4 s),
        // but the answer's figures, its end and what a cut-off session keeps come late.
        crate::audio::raise_priority();
        let mut mic = match Mic::open(self.device.as_deref()) {
            Ok(mic) => mic,
            Err(e) => {
                self.meter.set_absent();
                let _ = self.notices.send(Notice::NoDevice(e));
                let _ = self.inbox.send(Wake::News);
                return;
            }
        };
        // A sound server takes a moment to start a new stream: the device is ready once
        // samples flow, so that the first answer is recorded from its first moment.
        let opened = Instant::now();
        let mut first = Vec::new();
        while first.is_empty() && opened.elapsed() < WARM_UP {
            mic.take(&mut first, Duration::ZERO, usize::MAX);
            std::thread::sleep(DRAIN);
        }
        let _ = self.notices.send(Notice::Opened);
        let _ = self.inbox.send(Wake::News);
        let (channels, rate) = mic.format();
        let mut clock = FrameClock::new(rate);
        clock.took((first.len() / channels) as u64, Instant::now());
        let mut state = State {
            channels,
            rate,
            resampler: Resampler::new(rate),
            take: None,
            disk_ok: true,
            folder: None,
            last_drain: Instant::now(),
            clock,
            raw: Vec::new(),
            out: Vec::new(),
            notices: self.notices,
            inbox: self.inbox,
            meter: self.meter,
            chunker: self.chunker,
        };
        loop {
            let recording = state.take.is_some();
            match self.commands.recv_timeout(mic.read_every(recording)) {
                Ok((command, given)) => {
                    state.catch_up(&mut mic, given);
                    state.obey(command);
                }
                Err(RecvTimeoutError::Timeout) => {
                    state.drain(&mut mic, usize::MAX);
                }
                Err(RecvTimeoutError::Disconnected) => {
                    state.catch_up(&mut mic, Instant::now());
                    state.obey(Command::Stop);
                    return;
                }
            }
        }
    }
}

struct State {
    channels: usize,
    rate: u32,
    resampler: Resampler,
    take: Option<Take>,
    /// No more files this session: the disk is full, or the folder was refused.
    disk_ok: bool,
    /// The recordings' folder, once the first take has made it.
    folder: Option<Folder>,
    last_drain: Instant,
    /// Which frame was heard when.
    clock: FrameClock,
    raw: Vec<f32>,
    out: Vec<i16>,
    notices: Sender<Notice>,
    inbox: Sender<Wake>,
    meter: Meter,
    chunker: Option<Chunker>,
}

impl State {
    fn obey(&mut self, command: Command) {
        match command {
            Command::Start(spec) => {
                self.finish();
                self.begin(spec);
            }
            Command::Pause => {
                if let Some(take) = &mut self.take {
                    take.paused = true;
                }
                self.meter.set(None);
            }
            Command::Resume => {
                if let Some(take) = &mut self.take {
                    take.paused = false;
                }
            }
            Command::Stop => self.finish(),
        }
    }

    fn begin(&mut self, spec: TakeSpec) {
        let file = match (&spec.file, self.disk_ok) {
            (Some(target), true) => self.create(target, spec.questions_left),
            _ => None,
        };
        if let Some(chunker) = &mut self.chunker {
            chunker.begin(spec.index, spec.take);
        }
        self.take = Some(Take {
            on_disk: file.is_some(),
            file,
            spec,
            speech: Speech::default(),
            paused: false,
            samples: 0,
            unchecked: 0,
            dropped: 0,
            peak: 0,
            told_silent: false,
        });
    }

    /// The take's file, new, in the folder this session made; none (and the person told
    /// why) if it cannot be, or if the disk has no room to spare for it.
    fn create(&mut self, target: &TakeFile, questions_left: usize) -> Option<FlacWriter> {
        if self.folder.is_none() {
            match Folder::make(&target.folder) {
                Ok(folder) => self.folder = Some(folder),
                Err(e) => {
                    let why = format!("the recordings folder {}: {e}", target.folder.display());
                    self.cannot_write(why, true);
                    return None;
                }
            }
        }
        let folder = self.folder.as_ref()?;
        let path = folder.path().join(&target.name);
        let made = folder.create(&target.name).and_then(|file| {
            match crate::files::free_space(&file) {
                Some(free) if free < kept_for_the_log(questions_left) => {
                    // Nothing was written: the empty file is not a recording.
                    let _ = std::fs::remove_file(&path);
                    Err(low_space(free))
                }
                _ => FlacWriter::new(file),
            }
        });
        match made {
            Ok(file) => Some(file),
            Err(e) => {
                let lasting = fills_the_disk(&e);
                self.cannot_write(format!("{}: {e}", path.display()), lasting);
                None
            }
        }
    }

    /// Tells the person once that recordings stop (`lasting`), or that one was lost.
    fn cannot_write(&mut self, why: String, lasting: bool) {
        if self.disk_ok {
            self.disk_ok = !lasting;
            self.tell(Notice::CannotWrite { why, lasting });
        }
    }

    /// Ends the take, if one is open: the file completed, the figures posted.
    fn finish(&mut self) {
        self.meter.set(None);
        let Some(mut take) = self.take.take() else {
            return;
        };
        if let Some(file) = take.file.take()
            && let Err(e) = file.finish()
        {
            let lasting = fills_the_disk(&e);
            self.cannot_write(e.to_string(), lasting);
        }
        let spoken = Spoken {
            index: take.spec.index,
            id: take.spec.id,
            take: take.spec.take,
            file: take.spec.file.filter(|_| take.on_disk).map(|f| f.relative),
            dropped_ms: take.dropped * 1000 / RATE as u64,
            ..take.speech.figures(take.spec.pause_threshold)
        };
        if let Some(chunker) = &mut self.chunker {
            chunker.end(Last {
                id: spoken.id.clone(),
                speech_ms: spoken.speech_ms,
            });
        }
        let analysis = Input::Analysed(Analysis::Spoken(spoken));
        let _ = self.inbox.send(Wake::Input(analysis));
    }

    /// Takes what was heard up to `moment` and no more (some of it may still be on its
    /// way from a sound server), before a command changes what is done with it.
    fn catch_up(&mut self, mic: &mut Mic, moment: Instant) {
        let now = Instant::now();
        let until = now + CATCH_UP;
        // What the clock says, but no more than can be read now and a period on its way:
        // a sound server can also send what it hears a little ahead of time. And no less
        // than what is ready now, but for what can have been heard since the command: a
        // thread that runs late (a busy machine) must not give the take what came after.
        let (ready, period) = mic.ready();
        let since = now.saturating_duration_since(moment).as_secs_f64() * f64::from(self.rate);
        let surely = ready.saturating_sub(since as usize);
        let mut owed = self.clock.owed(moment).clamp(surely, ready + period);
        loop {
            if owed == 0 || Instant::now() >= until {
                return;
            }
            let taken = self.drain(mic, owed);
            if taken < owed {
                std::thread::sleep(Duration::from_millis(10));
            }
            owed -= taken;
        }
    }

    /// Takes what the device holds, `most` frames at most; hands it to the take if one is
    /// recording. Returns the frames taken.
    fn drain(&mut self, mic: &mut Mic, most: usize) -> usize {
        let now = Instant::now();
        let since = now.duration_since(self.last_drain);
        self.last_drain = now;
        self.raw.clear();
        let lost = mic.take(&mut self.raw, since, most);
        let frames = self.raw.len() / self.channels;
        self.clock.took(frames as u64 + lost, now);
        let recording = self.take.as_ref().is_some_and(|t| !t.paused);
        if !recording {
            return frames;
        }
        let lost = lost * RATE as u64 / self.rate as u64;
        self.out.clear();
        for frame in self.raw.chunks(self.channels) {
            let mono = frame.iter().sum::<f32>() / frame.len() as f32;
            self.resampler.push(mono, &mut self.out);
        }
        let mut out = std::mem::take(&mut self.out);
        if lost > 0 {
            // The lost stretch comes before what is left in the buffer.
            let mut filled = vec![0; lost as usize];
            filled.extend_from_slice(&out);
            out = filled;
        }
        self.feed(&out, lost);
        self.out = out;
        frames
    }

    fn feed(&mut self, samples: &[i16], lost: u64) {
        let Some(take) = &mut self.take else { return };
        take.samples += samples.len() as u64;
        take.dropped += lost;
        take.speech.push(samples);
        if let Some(chunker) = &mut self.chunker {
            chunker.feed(samples, take.speech.quiet(), take.speech.last_gap());
        }
        let peak = samples.iter().map(|s| s.unsigned_abs()).max().unwrap_or(0);
        take.peak = take.peak.max(peak);
        if !take.told_silent && take.samples >= SILENT_FOR {
            take.told_silent = true;
            if take.peak < SILENT_PEAK {
                // The fields, not `tell`: the take is still borrowed.
                let _ = self.notices.send(Notice::Silent);
                let _ = self.inbox.send(Wake::News);
            }
        }
        if !samples.is_empty() {
            let energy = samples
                .iter()
                .map(|&s| f64::from(s) * f64::from(s))
                .sum::<f64>()
                / samples.len() as f64;
            let db = 10.0 * (energy.max(1.0) / (32768.0 * 32768.0)).log10();
            self.meter.set(Some(db as f32));
        }
        let Some(file) = &mut take.file else { return };
        take.unchecked += samples.len() as u64;
        let mut failed = None;
        if take.unchecked >= ROOM_CHECK {
            take.unchecked = 0;
            let needed = kept_for_the_log(take.spec.questions_left);
            if let Some(free) = crate::files::free_space(file.file()).filter(|&f| f < needed) {
                failed = Some(low_space(free));
            }
        }
        if failed.is_none()
            && let Err(e) = file.push(samples)
        {
            failed = Some(e);
        }
        if let Some(e) = failed {
            // What was written stays playable; the rest of the take is only measured.
            take.file = None;
            let lasting = fills_the_disk(&e);
            self.cannot_write(e.to_string(), lasting);
        }
    }

    /// Says something to the person: the run loop is woken to show it.
    fn tell(&self, notice: Notice) {
        let _ = self.notices.send(notice);
        let _ = self.inbox.send(Wake::News);
    }
}

/// Which frame of the device was heard when: the frames come late (a sound server sends
/// them a period at a time), but never before they were heard, so the moment the stream
/// began is at most the earliest of `now - frames taken / rate` over all reads. It is let
/// slide forward a millisecond a second, for a device whose clock runs slow.
struct FrameClock {
    rate: u32,
    taken: u64,
    began: Option<Instant>,
    seen: Option<Instant>,
}

impl FrameClock {
    fn new(rate: u32) -> FrameClock {
        FrameClock {
            rate,
            taken: 0,
            began: None,
            seen: None,
        }
    }

    /// `frames` more were taken (or lost) at `now`.
    fn took(&mut self, frames: u64, now: Instant) {
        self.taken += frames;
        let heard = Duration::from_secs_f64(self.taken as f64 / f64::from(self.rate));
        let Some(candidate) = now.checked_sub(heard) else {
            return;
        };
        let slid = match (self.began, self.seen) {
            (Some(began), Some(seen)) => began + now.duration_since(seen) / 1000,
            _ => candidate,
        };
        self.began = Some(slid.min(candidate));
        self.seen = Some(now);
    }

    /// Frames heard up to `moment` and not yet taken.
    fn owed(&self, moment: Instant) -> usize {
        let Some(began) = self.began else { return 0 };
        let heard = moment.saturating_duration_since(began).as_secs_f64() * f64::from(self.rate);
        (heard as u64).saturating_sub(self.taken) as usize
    }
}

/// The room the session log may still need: recordings stop before the disk has less.
fn kept_for_the_log(questions_left: usize) -> u64 {
    KEPT_FOR_THE_LOG + KEPT_PER_QUESTION * questions_left as u64
}

fn low_space(free: u64) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::StorageFull,
        format!(
            "only {} left on the disk, kept for the session log",
            crate::text::kibibytes(free)
        ),
    )
}

/// A write that no other file would get past either: the disk, the quota or the
/// file-size limit is reached. Anything else costs this take only.
fn fills_the_disk(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        e.kind(),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge
    )
}

/// From the device's rate to 16 kHz: each output sample is the mean of the input samples
/// of its stretch (which keeps what lies above 8 kHz from folding back into speech).
struct Resampler {
    rate: u32,
    phase: u32,
    sum: f32,
    count: u32,
    last: i16,
}

impl Resampler {
    fn new(rate: u32) -> Resampler {
        Resampler {
            rate,
            phase: 0,
            sum: 0.0,
            count: 0,
            last: 0,
        }
    }

    fn push(&mut self, sample: f32, out: &mut Vec<i16>) {
        self.sum += sample;
        self.count += 1;
        self.phase += RATE;
        while self.phase >= self.rate {
            self.phase -= self.rate;
            if self.count > 0 {
                let mean = self.sum / self.count as f32;
                self.last = (mean * 32767.0).clamp(-32768.0, 32767.0) as i16;
                self.sum = 0.0;
                self.count = 0;
            }
            out.push(self.last);
        }
    }
}

/// Where the samples come from: on Linux ALSA itself, read in periods by this thread;
/// elsewhere rodio's microphone, whose buffer this thread empties every [`DRAIN`].
enum Mic {
    #[cfg(target_os = "linux")]
    Alsa(alsa_capture::Capture),
    #[cfg_attr(target_os = "linux", allow(dead_code))]
    Rodio(Box<Microphone>),
}

impl Mic {
    fn open(name: Option<&str>) -> Result<Mic, String> {
        // rodio's capture thread (cpal's) polls ALSA's PulseAudio plugin without rest:
        // most of a core while an answer is recorded. Reading ALSA directly, blocking until
        // a period is there, costs next to nothing (as `arecord` does).
        #[cfg(target_os = "linux")]
        return alsa_capture::Capture::open(name.unwrap_or("default")).map(Mic::Alsa);
        #[cfg(not(target_os = "linux"))]
        return open_rodio(name).map(|m| Mic::Rodio(Box::new(m)));
    }

    /// Channels and rate.
    fn format(&self) -> (usize, u32) {
        match self {
            #[cfg(target_os = "linux")]
            Mic::Alsa(c) => (c.channels, c.rate),
            Mic::Rodio(m) => (
                m.config().channel_count.get() as usize,
                m.config().sample_rate.get(),
            ),
        }
    }

    /// How often the device must be read: what it holds, a little before it is full.
    fn read_every(&self, recording: bool) -> Duration {
        match self {
            #[cfg(target_os = "linux")]
            Mic::Alsa(c) => {
                let every = if recording { READ_RECORDING } else { READ_IDLE };
                every.min(c.holds() / 4)
            }
            Mic::Rodio(_) => DRAIN,
        }
    }

    /// Frames that can be read now, and how many come at a time.
    fn ready(&self) -> (usize, usize) {
        match self {
            #[cfg(target_os = "linux")]
            Mic::Alsa(c) => c.ready(),
            Mic::Rodio(m) => {
                let channels = m.config().channel_count.get() as usize;
                (m.size_hint().0 / channels, 0)
            }
        }
    }

    /// What has come since the last call, `most` frames at most, into `raw`; returns how
    /// many frames (at the device's rate) were lost before it because they were not taken
    /// in time. `since`: the time since the last call.
    fn take(&mut self, raw: &mut Vec<f32>, since: Duration, most: usize) -> u64 {
        match self {
            #[cfg(target_os = "linux")]
            Mic::Alsa(c) => c.read(raw, since, most),
            Mic::Rodio(m) => {
                let (channels, rate) = (
                    m.config().channel_count.get() as usize,
                    m.config().sample_rate.get(),
                );
                let available = m.size_hint().0.min(most.saturating_mul(channels));
                raw.extend(m.by_ref().take(available));
                // A full buffer (it holds 100 ms) has dropped what came since it filled.
                if available >= channels * rate as usize / 10 {
                    let expected = (since.as_secs_f64() * f64::from(rate)) as u64;
                    expected.saturating_sub((available / channels) as u64)
                } else {
                    0
                }
            }
        }
    }
}

#[cfg(target_os = "linux")]
mod alsa_capture {
    use std::time::Duration;

    use alsa::pcm::{Access, Format, HwParams, PCM};
    use alsa::{Direction, ValueOr};

    /// Samples a period holds: a sound server sends them this often, so what was heard
    /// comes in at most this late, and the figures of an answer, which wait for its last
    /// period, come at most this long after its end. Its client thread wakes for each
    /// period (and often twice): at 150 ms rather than 100, a third less often, while the
    /// figures still come within 200 ms.
    const PERIOD_MS: u32 = 150;
    /// What ALSA keeps if this thread falls behind: four seconds, many reads' worth.
    const BUFFER_MS: u32 = 4000;

    pub struct Capture {
        pcm: PCM,
        pub channels: usize,
        pub rate: u32,
        /// The buffer, in frames.
        frames: usize,
        buf: Vec<i16>,
    }

    impl Capture {
        pub fn open(name: &str) -> Result<Capture, String> {
            let fail = |e: alsa::Error| {
                format!(
                    "cannot open the input device {name:?} ({e}; `rehearse devices` lists them)"
                )
            };
            let pcm = PCM::new(name, Direction::Capture, false).map_err(fail)?;
            let (channels, rate, frames) = {
                let hw = HwParams::any(&pcm).map_err(fail)?;
                hw.set_access(Access::RWInterleaved).map_err(fail)?;
                hw.set_format(Format::s16()).map_err(fail)?;
                let channels = hw.set_channels_near(1).map_err(fail)?;
                let rate = hw.set_rate_near(48_000, ValueOr::Nearest).map_err(fail)?;
                hw.set_buffer_size_near((rate * BUFFER_MS / 1000) as _)
                    .map_err(fail)?;
                hw.set_period_size_near((rate * PERIOD_MS / 1000) as _, ValueOr::Nearest)
                    .map_err(fail)?;
                pcm.hw_params(&hw).map_err(fail)?;
                let (buffer, _) = pcm.get_params().map_err(fail)?;
                (channels as usize, rate, buffer as usize)
            };
            pcm.start().map_err(fail)?;
            Ok(Capture {
                pcm,
                channels,
                rate,
                frames,
                buf: vec![0; frames.max(1) * channels],
            })
        }

        /// How long the buffer holds.
        pub fn holds(&self) -> Duration {
            Duration::from_secs_f64(self.frames as f64 / f64::from(self.rate))
        }

        /// Frames that can be read now, and a period's.
        pub fn ready(&self) -> (usize, usize) {
            let ready = self.pcm.avail_update().unwrap_or(0).max(0) as usize;
            (ready, (self.rate * PERIOD_MS / 1000) as usize)
        }

        /// Reads what the device holds, `most` frames at most, without waiting; an overrun
        /// is counted and the device started again.
        pub fn read(&mut self, raw: &mut Vec<f32>, since: Duration, most: usize) -> u64 {
            let read = self.pcm.avail_update().and_then(|ready| {
                let frames = (ready.max(0) as usize).min(most).min(self.frames);
                if frames == 0 {
                    return Ok(0);
                }
                let io = self.pcm.io_i16()?;
                io.readi(&mut self.buf[..frames * self.channels])
            });
            match read {
                Ok(frames) => {
                    let samples = &self.buf[..frames * self.channels];
                    raw.extend(samples.iter().map(|&s| f32::from(s) / 32768.0));
                    0
                }
                Err(_) => {
                    // Overrun: what the buffer could not hold is gone. Start again.
                    let _ = self.pcm.prepare();
                    let _ = self.pcm.start();
                    let lost = since.saturating_sub(self.holds());
                    (lost.as_secs_f64() * f64::from(self.rate)) as u64
                }
            }
        }
    }
}

/// Opens the named input device, or the default one, in mono if it can, through rodio.
#[cfg_attr(target_os = "linux", allow(dead_code))]
fn open_rodio(name: Option<&str>) -> Result<Microphone, String> {
    let builder = MicrophoneBuilder::new();
    let builder = match name {
        None => builder
            .default_device()
            .map_err(|e| format!("no input device ({e})"))?,
        Some(name) => {
            let inputs = available_inputs().map_err(|e| e.to_string())?;
            let named = |input: &rodio::microphone::Input| {
                crate::audio::describe(&input.clone().into_inner())
                    .is_some_and(|(id, about)| id == name || about == name)
            };
            match inputs.into_iter().find(named) {
                Some(input) => builder.device(input).map_err(|e| e.to_string())?,
                // The system's default is not always among the devices listed.
                None if name == "default" => builder
                    .default_device()
                    .map_err(|e| format!("no input device ({e})"))?,
                None => {
                    return Err(format!(
                        "no input device is named {name:?} (rehearse devices lists them)"
                    ));
                }
            }
        }
    };
    let one = std::num::NonZero::new(1).expect("one is not zero");
    let two = std::num::NonZero::new(2).expect("two is not zero");
    // The device's own rate: through ALSA's PulseAudio plugin, capturing at a rate the
    // server must convert to keeps the capture thread polling far more often (a fifth of a
    // core at 16 kHz, against a few percent at 48 kHz). The 16 kHz kept is made here.
    let rates = [48_000, 44_100, RATE].map(|r| std::num::NonZero::new(r).expect("not zero"));
    builder
        .default_config()
        .map_err(|e| e.to_string())?
        .prefer_sample_rates(rates)
        .prefer_channel_counts([one, two])
        .open_stream()
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_clock_owes_what_was_heard_before_a_moment_and_not_yet_taken() {
        let t0 = Instant::now();
        let at = |ms| t0 + Duration::from_millis(ms);
        let mut clock = FrameClock::new(1000);
        assert_eq!(
            clock.owed(at(500)),
            0,
            "nothing is known before the first read"
        );
        // 100 frames a period, each arriving 30 to 80 ms after it was heard.
        clock.took(100, at(180));
        clock.took(100, at(230));
        clock.took(100, at(380));
        // The earliest arrival tells when the stream began (30 ms too late, and slid on by
        // a millisecond a second).
        assert!(
            (69..=70).contains(&clock.owed(at(400))),
            "{}",
            clock.owed(at(400))
        );
        assert_eq!(clock.owed(at(300)), 0);
        // Lost frames count as taken.
        clock.took(70, at(470));
        assert_eq!(clock.owed(at(400)), 0);
    }

    #[test]
    fn the_resampler_keeps_the_length_at_any_rate() {
        for rate in [8_000, 16_000, 44_100, 48_000] {
            let mut r = Resampler::new(rate);
            let mut out = Vec::new();
            for i in 0..rate * 3 {
                r.push(((i as f32) * 0.01).sin() * 0.5, &mut out);
            }
            assert_eq!(out.len(), 48_000, "{rate}");
        }
    }
}
