//! The microphone, owned by one thread of its own. The device keeps only so much (half a
//! second read from ALSA on Linux, 100 ms in rodio's buffer elsewhere) and drops what is
//! not taken in time, so this thread takes the samples as they come, every 20 ms, whether
//! an answer is being recorded or not, turns them into 16 kHz mono, and hands them to the
//! take: the FLAC file, the voice detector and the level meter. Samples lost all the same
//! (the computer was too busy) are counted and replaced by silence, so the recording keeps
//! the answer's length.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::time::{Duration, Instant};

use rodio::microphone::{Microphone, MicrophoneBuilder, available_inputs};

use super::Meter;
use super::detect::{RATE, Speech};
use super::flac::FlacWriter;
use crate::session::{Input, Recording, Wake};

/// How often the device's buffer is emptied: well inside its 100 ms.
const DRAIN: Duration = Duration::from_millis(20);

/// The longest the device may take to deliver its first samples.
const WARM_UP: Duration = Duration::from_secs(3);

/// Below this peak (-60 dBFS) the microphone hears nothing.
const SILENT_PEAK: u16 = 33;

/// How long an answer may hear nothing before the person is told.
const SILENT_FOR: u64 = 5 * RATE as u64;

/// One take to record.
#[derive(Debug, Clone)]
pub struct TakeSpec {
    pub index: usize,
    pub take: u32,
    /// Where its file goes, and that place relative to the log's folder; none with
    /// `--no-log`.
    pub path: Option<(PathBuf, String)>,
    pub pause_threshold: Duration,
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
    /// A recording could not be written (a full disk).
    CannotWrite(String),
}

struct Take {
    spec: TakeSpec,
    file: Option<FlacWriter>,
    /// Some of this take reached the disk.
    on_disk: bool,
    speech: Speech,
    paused: bool,
    samples: u64,
    dropped: u64,
    peak: u16,
    told_silent: bool,
}

pub struct Thread {
    pub device: Option<String>,
    pub commands: Receiver<Command>,
    pub notices: Sender<Notice>,
    pub inbox: Sender<Wake>,
    pub meter: Meter,
}

impl Thread {
    pub fn run(self) {
        // alsa-lib prints its own errors to stderr, which would tear through the bar;
        // while this handle lives, this thread's ALSA messages go into a buffer instead.
        #[cfg(target_os = "linux")]
        let _alsa_messages = alsa::Output::local_error_handler().ok();
        let mut mic = match Mic::open(self.device.as_deref()) {
            Ok(mic) => mic,
            Err(e) => {
                self.meter.set_absent();
                let _ = self.notices.send(Notice::NoDevice(e));
                return;
            }
        };
        // A sound server takes a moment to start a new stream: the device is ready once
        // samples flow, so that the first answer is recorded from its first moment.
        let opened = Instant::now();
        let mut first = Vec::new();
        while first.is_empty() && opened.elapsed() < WARM_UP {
            mic.take(&mut first, Duration::ZERO);
            if !mic.waits() {
                std::thread::sleep(DRAIN);
            }
        }
        let _ = self.notices.send(Notice::Opened);
        let (channels, rate) = mic.format();
        let mut state = State {
            channels,
            rate,
            resampler: Resampler::new(rate),
            take: None,
            disk_ok: true,
            last_drain: Instant::now(),
            raw: Vec::new(),
            out: Vec::new(),
            notices: self.notices,
            inbox: self.inbox,
            meter: self.meter,
        };
        loop {
            loop {
                match self.commands.try_recv() {
                    Ok(command) => {
                        // What the device holds was heard before the command.
                        state.drain(&mut mic);
                        state.obey(command);
                    }
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        state.drain(&mut mic);
                        state.obey(Command::Stop);
                        return;
                    }
                }
            }
            state.drain(&mut mic);
            if !mic.waits() {
                std::thread::sleep(DRAIN);
            }
        }
    }
}

struct State {
    channels: usize,
    rate: u32,
    resampler: Resampler,
    take: Option<Take>,
    /// A write failed once: no more files this session.
    disk_ok: bool,
    last_drain: Instant,
    raw: Vec<f32>,
    out: Vec<i16>,
    notices: Sender<Notice>,
    inbox: Sender<Wake>,
    meter: Meter,
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
        let file = match (&spec.path, self.disk_ok) {
            (Some((path, _)), true) => {
                let made = path
                    .parent()
                    .map_or(Ok(()), crate::record::make_folder)
                    .and_then(|()| FlacWriter::create(path));
                match made {
                    Ok(file) => Some(file),
                    Err(e) => {
                        self.cannot_write(format!("{}: {e}", path.display()));
                        None
                    }
                }
            }
            _ => None,
        };
        self.take = Some(Take {
            on_disk: file.is_some(),
            file,
            spec,
            speech: Speech::default(),
            paused: false,
            samples: 0,
            dropped: 0,
            peak: 0,
            told_silent: false,
        });
    }

    fn cannot_write(&mut self, error: String) {
        if self.disk_ok {
            self.disk_ok = false;
            let _ = self.notices.send(Notice::CannotWrite(error));
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
            self.cannot_write(e.to_string());
        }
        let f = take.speech.figures(take.spec.pause_threshold);
        let ms = |samples: u64| Duration::from_millis(samples * 1000 / RATE as u64);
        let recording = Recording {
            index: take.spec.index,
            take: take.spec.take,
            file: take
                .spec
                .path
                .filter(|_| take.on_disk)
                .map(|(_, relative)| relative),
            duration: f.duration,
            dropped: ms(take.dropped),
            first_word: f.first_word,
            speech: f.speech,
            longest_pause: f.longest_pause,
            long_pauses: f.long_pauses,
            pause_threshold: take.spec.pause_threshold,
            level_decibels: f.level_db.map(|db| (db * 10.0).round() as i32),
        };
        let _ = self.inbox.send(Wake::Input(Input::Recorded(recording)));
    }

    /// Takes everything the device holds; hands it to the take if one is recording.
    fn drain(&mut self, mic: &mut Mic) {
        let now = Instant::now();
        let since = now.duration_since(self.last_drain);
        self.last_drain = now;
        self.raw.clear();
        let lost = mic.take(&mut self.raw, since);
        let recording = self.take.as_ref().is_some_and(|t| !t.paused);
        if !recording {
            return;
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
    }

    fn feed(&mut self, samples: &[i16], lost: u64) {
        let Some(take) = &mut self.take else { return };
        take.samples += samples.len() as u64;
        take.dropped += lost;
        take.speech.push(samples);
        let peak = samples.iter().map(|s| s.unsigned_abs()).max().unwrap_or(0);
        take.peak = take.peak.max(peak);
        if !take.told_silent && take.samples >= SILENT_FOR {
            take.told_silent = true;
            if take.peak < SILENT_PEAK {
                let _ = self.notices.send(Notice::Silent);
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
        let mut failed = None;
        if let Some(file) = &mut take.file
            && let Err(e) = file.push(samples)
        {
            failed = Some(e.to_string());
        }
        if let Some(error) = failed {
            // What was written stays playable; the rest of the take is only measured.
            take.file = None;
            self.cannot_write(error);
        }
    }
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

    /// Reading waits for the samples: no sleep is needed between reads.
    fn waits(&self) -> bool {
        !matches!(self, Mic::Rodio(_))
    }

    /// What has come since the last call, into `raw`; returns how many frames (at the
    /// device's rate) were lost before it because they were not taken in time. `since`:
    /// the time since the last call.
    fn take(&mut self, raw: &mut Vec<f32>, since: Duration) -> u64 {
        match self {
            #[cfg(target_os = "linux")]
            Mic::Alsa(c) => c.read(raw, since),
            Mic::Rodio(m) => {
                let (channels, rate) = (
                    m.config().channel_count.get() as usize,
                    m.config().sample_rate.get(),
                );
                let available = m.size_hint().0;
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

    /// Samples a period holds: 20 ms.
    const PERIOD_MS: u32 = 20;
    /// What ALSA keeps if this thread falls behind: half a second.
    const BUFFER_MS: u32 = 500;

    pub struct Capture {
        pcm: PCM,
        pub channels: usize,
        pub rate: u32,
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
            let (channels, rate, period) = {
                let hw = HwParams::any(&pcm).map_err(fail)?;
                hw.set_access(Access::RWInterleaved).map_err(fail)?;
                hw.set_format(Format::s16()).map_err(fail)?;
                let channels = hw.set_channels_near(1).map_err(fail)?;
                let rate = hw.set_rate_near(48_000, ValueOr::Nearest).map_err(fail)?;
                let period = hw
                    .set_period_size_near((rate * PERIOD_MS / 1000) as _, ValueOr::Nearest)
                    .map_err(fail)?;
                hw.set_buffer_size_near((rate * BUFFER_MS / 1000) as _)
                    .map_err(fail)?;
                pcm.hw_params(&hw).map_err(fail)?;
                (channels as usize, rate, period as usize)
            };
            pcm.start().map_err(fail)?;
            Ok(Capture {
                pcm,
                channels,
                rate,
                buf: vec![0; period.max(1) * channels],
            })
        }

        /// Waits for the next period (a tenth of a second at most, so that a device that
        /// stalls never holds up the end of the session) and reads it; an overrun is
        /// counted and the device started again.
        pub fn read(&mut self, raw: &mut Vec<f32>, since: Duration) -> u64 {
            let read = match self.pcm.wait(Some(100)) {
                Ok(false) => return 0,
                Ok(true) => self.pcm.io_i16().and_then(|io| io.readi(&mut self.buf)),
                Err(e) => Err(e),
            };
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
                    let held = Duration::from_millis(u64::from(BUFFER_MS));
                    let lost = since.saturating_sub(held);
                    // A device that fails at once would spin here: give it a moment.
                    std::thread::sleep(Duration::from_millis(10));
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
                crate::commands::devices::describe(&input.clone().into_inner())
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
