//! One resolved value for every run setting: built-in default < config file < environment
//! < flag, each remembering where it came from (for `rehearse config show` and the log).
//! `rehearse run` and `rehearse sounds` read their flags and the config file only through
//! here.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::bank::{DEFAULT_BANK, Timing};
use crate::cli::{ModelOptions, RunArgs, SoundOptions, TranscribeOptions, VoiceOptions};
use crate::config::{Config, Set};
use crate::duration::clock;
use crate::paths::{ModelPaths, Paths};
use crate::plan::{DEFAULT_COUNT, TimeOptions};
use crate::session::EngineOptions;
use crate::transcribe::{EngineChoice, LoadOptions, TranscribeError};
use crate::voice::VoiceChoice;

/// Loudness when neither a flag nor the config says otherwise.
pub const DEFAULT_VOLUME: u8 = 80;

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    /// The config file, at this line.
    Config(usize),
    /// An environment variable.
    Env(&'static str),
    Flag,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::Config(line) => write!(f, "config file, line {line}"),
            Origin::Env(name) => write!(f, "environment, {name}"),
            Origin::Flag => f.write_str("command line"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resolved<T> {
    pub value: T,
    pub origin: Origin,
}

/// The flag if given, else the config file's value, else the default.
fn pick<T: Clone>(flag: Option<T>, config: &Option<Set<T>>, default: T) -> Resolved<T> {
    match (flag, config) {
        (Some(value), _) => Resolved {
            value,
            origin: Origin::Flag,
        },
        (None, Some(set)) => Resolved {
            value: set.value.clone(),
            origin: Origin::Config(set.line),
        },
        (None, None) => Resolved {
            value: default,
            origin: Origin::Default,
        },
    }
}

/// A switch: on if the flag is given, else as the config file says.
fn switch(flag: bool, config: &Option<Set<bool>>) -> Resolved<bool> {
    pick(flag.then_some(true), config, false)
}

#[derive(Debug, Clone, PartialEq)]
pub struct RunSettings {
    pub bank: Resolved<String>,
    pub count: Resolved<usize>,
    pub auto: Resolved<bool>,
    pub gap: Resolved<Duration>,
    /// `None` with `--no-log`.
    pub log_dir: Resolved<Option<PathBuf>>,
    pub sounds_dir: Resolved<Option<PathBuf>>,
    pub volume: Resolved<u8>,
    pub mute: Resolved<bool>,
    /// `--record`: every answer is recorded and measured.
    pub record: Resolved<bool>,
    /// `--transcribe`: every answer is transcribed too (it is recorded).
    pub transcribe: Resolved<bool>,
    /// Where the speech model is, or the program of one's own that transcribes.
    pub transcription: TranscribeSettings,
    /// `--input-device`: the microphone by name; `None` for the system's.
    pub input_device: Resolved<Option<String>>,
    /// Pauses at least this long count as long.
    pub pause_threshold: Resolved<Duration>,
    pub ticks: Resolved<u32>,
    /// Read each question aloud (`--speak`).
    pub speak: Resolved<bool>,
    pub voice: VoiceSettings,
    pub time_scale: Resolved<f64>,
    /// The config file's time rules (the flags' are in [`RunSettings::times`]).
    pub config_times: Timing,
    pub config_lines: [Option<usize>; 3],
    /// The time rules of this run, for the plan: the flags' and the config file's.
    pub times: TimeOptions,
    /// Which questions: `--question`, `--all`, `--category`, `--shuffle`, `--follow-ups`.
    pub questions: Vec<String>,
    pub all: bool,
    pub categories: Vec<String>,
    pub shuffle: bool,
    pub follow_ups: bool,
    pub seed: Option<u64>,
    pub drill: Option<Drill>,
    /// Show talking points after each answer (not `--no-coach`).
    pub coach: bool,
    /// `--rate`: ask for a rating even without a terminal.
    pub rate: bool,
    pub dry_run: bool,
    /// `--json-events`: the events as JSON lines on standard output.
    pub json_events: bool,
    /// `--one-way`: a one-way video interview (hard stop, coaching at the end).
    pub one_way: bool,
    /// How many times an answer may be taken again; `None`: no limit.
    pub retakes: Option<u32>,
    /// The session runs on the virtual clock (hidden, for tests and benchmarks).
    pub virtual_clock: bool,
    /// The terminal's kind (`TERM`).
    pub term: Option<String>,
}

/// The retakes a one-way interview allows, as the platforms do.
const ONE_WAY_RETAKES: u32 = 1;

/// Questions chosen from the person's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drill {
    /// `--weakest N`.
    Weakest(usize),
    /// `--due`.
    Due,
}

impl Drill {
    /// `--weakest N` or `--due`, if either was given.
    fn asked(args: &RunArgs) -> Option<Drill> {
        match args.weakest {
            Some(n) => Some(Drill::Weakest(n as usize)),
            None => args.due.then_some(Drill::Due),
        }
    }
}

/// Where replacement sounds come from and how loud cues are, for `run` and `sounds`.
pub fn sound_settings(
    flags: Option<&SoundOptions>,
    config: &Config,
) -> (Resolved<Option<PathBuf>>, Resolved<u8>) {
    let sounds = flags.and_then(|f| f.sounds.clone()).map(Some);
    let config_sounds = config.sounds_dir.as_ref().map(|s| Set {
        value: Some(s.value.clone()),
        line: s.line,
    });
    (
        pick(sounds, &config_sounds, None),
        pick(flags.and_then(|f| f.volume), &config.volume, DEFAULT_VOLUME),
    )
}

/// How loud `review play` plays a recording: its `--volume`, else the config file's
/// `volume`, as for the cues.
pub fn playback_volume(flag: Option<u8>, config: &Config) -> Resolved<u8> {
    pick(flag, &config.volume, DEFAULT_VOLUME)
}

/// The interviewer's voice, for `run` and `sounds`.
#[derive(Debug, Clone, PartialEq)]
pub struct VoiceSettings {
    pub voice: Resolved<Option<String>>,
    pub speech_rate: Resolved<Option<u32>>,
    pub voice_command: Resolved<Option<String>>,
}

impl VoiceSettings {
    /// Which voice is used: a command of one's own beats espeak-ng's settings from the
    /// same place, and flags beat the config file, so `--voice` picks espeak-ng even over
    /// a `voice_command` in the config.
    pub fn choice(&self) -> VoiceChoice {
        let espeak = || VoiceChoice::Espeak {
            voice: self.voice.value.clone(),
            rate: self.speech_rate.value,
        };
        let flagged = |origin: &Origin| *origin == Origin::Flag;
        match &self.voice_command.value {
            Some(line) if flagged(&self.voice_command.origin) => VoiceChoice::Command(line.clone()),
            _ if flagged(&self.voice.origin) || flagged(&self.speech_rate.origin) => espeak(),
            Some(line) => VoiceChoice::Command(line.clone()),
            None => espeak(),
        }
    }
}

fn optional<T: Clone>(flag: Option<T>, config: &Option<Set<T>>) -> Resolved<Option<T>> {
    let config = config.as_ref().map(|s| Set {
        value: Some(s.value.clone()),
        line: s.line,
    });
    pick(flag.map(Some), &config, None)
}

pub fn voice_settings(flags: Option<&VoiceOptions>, config: &Config) -> VoiceSettings {
    VoiceSettings {
        voice: optional(flags.and_then(|f| f.voice.clone()), &config.voice),
        speech_rate: optional(flags.and_then(|f| f.speech_rate), &config.speech_rate),
        voice_command: optional(
            flags.and_then(|f| f.voice_command.clone()),
            &config.voice_command,
        ),
    }
}

/// Where session logs go: `--no-log`, `--log-dir`, `REHEARSE_LOG_DIR`, the config file,
/// then the data folder.
fn log_dir(args: Option<&RunArgs>, config: &Config, paths: &Paths) -> Resolved<Option<PathBuf>> {
    match args {
        Some(a) if a.no_log => Resolved {
            value: None,
            origin: Origin::Flag,
        },
        Some(RunArgs {
            log_dir: Some(dir), ..
        }) => Resolved {
            value: Some(dir.clone()),
            origin: Origin::Flag,
        },
        _ if paths.sessions_from_env => Resolved {
            value: paths.sessions.clone(),
            origin: Origin::Env("REHEARSE_LOG_DIR"),
        },
        _ => match &config.log_dir {
            Some(set) => Resolved {
                value: Some(set.value.clone()),
                origin: Origin::Config(set.line),
            },
            None => Resolved {
                value: paths.sessions.clone(),
                origin: Origin::Default,
            },
        },
    }
}

/// `--transcribe`, else `--no-transcribe`, else the config file's `transcribe`.
fn transcribe(args: Option<&RunArgs>, config: &Config) -> Resolved<bool> {
    let flag = match args {
        Some(a) if a.transcribe => Some(true),
        Some(a) if a.no_transcribe => Some(false),
        _ => None,
    };
    pick(flag, &config.transcribe, false)
}

/// Whether answers are recorded: `--no-record`, else asked for (`--record`, a one-way
/// interview, or transcribing, which needs the recording), else the config file.
fn record(args: Option<&RunArgs>, config: &Config) -> Resolved<bool> {
    let transcribing = transcribe(args, config);
    let flag = match args {
        Some(a) if a.no_record => Some(false),
        // A one-way interview is recorded, as on the platforms.
        Some(a) if a.record || a.one_way => Some(true),
        _ => None,
    };
    match flag {
        None if transcribing.value => Resolved {
            value: true,
            origin: transcribing.origin,
        },
        flag => pick(flag, &config.record, false),
    }
}

fn input_device(args: Option<&RunArgs>, config: &Config) -> Resolved<Option<String>> {
    pick(
        args.and_then(|a| a.input_device.clone()).map(Some),
        &config.input_device.as_ref().map(|s| Set {
            value: Some(s.value.clone()),
            line: s.line,
        }),
        None,
    )
}

fn pause_threshold(args: Option<&RunArgs>, config: &Config) -> Resolved<Duration> {
    pick(
        args.and_then(|a| a.pause_threshold).map(|d| d.get()),
        &config.pause_threshold.as_ref().map(|s| Set {
            value: s.value.get(),
            line: s.line,
        }),
        crate::record::DEFAULT_PAUSE_THRESHOLD,
    )
}

/// Where the speech model and its runtime are, and which engine transcribes: for
/// `feedback`, `models` and `config show`.
#[derive(Debug, Clone, PartialEq)]
pub struct TranscribeSettings {
    /// `None`: no data folder and nothing named one.
    pub model_dir: Resolved<Option<PathBuf>>,
    /// `None`: none given and none beside the model.
    pub library: Resolved<Option<PathBuf>>,
    pub command: Resolved<Option<String>>,
    /// Where the converted model is kept.
    pub cache_dir: Option<PathBuf>,
}

impl TranscribeSettings {
    /// The flag, else `REHEARSE_MODEL`, else the config file's `model`, else the data
    /// folder (the environment beats the config file, as for the log folder); the library
    /// from `--onnxruntime`, else `ORT_DYLIB_PATH`, else beside the model.
    pub fn resolve(
        flags: Option<&TranscribeOptions>,
        model_flags: Option<&ModelOptions>,
        config: &Config,
        env: &ModelPaths,
    ) -> TranscribeSettings {
        let model_flags = model_flags.or(flags.map(|f| &f.model));
        let model_dir = match (model_flags.and_then(|m| m.model.clone()), &env.model_env) {
            (Some(dir), _) => Resolved {
                value: Some(dir),
                origin: Origin::Flag,
            },
            (None, Some(dir)) => Resolved {
                value: Some(dir.clone()),
                origin: Origin::Env("REHEARSE_MODEL"),
            },
            (None, None) => optional(None, &config.model).or_value(env.default_model.clone()),
        };
        let library = match (
            model_flags.and_then(|m| m.onnxruntime.clone()),
            &env.library_env,
        ) {
            (Some(file), _) => Resolved {
                value: Some(file),
                origin: Origin::Flag,
            },
            (None, Some(file)) => Resolved {
                value: Some(file.clone()),
                origin: Origin::Env("ORT_DYLIB_PATH"),
            },
            (None, None) => Resolved {
                value: model_dir
                    .value
                    .as_deref()
                    .and_then(crate::transcribe::files::library_beside),
                origin: Origin::Default,
            },
        };
        TranscribeSettings {
            model_dir,
            library,
            command: optional(
                flags.and_then(|f| f.transcribe_command.clone()),
                &config.transcribe_command,
            ),
            cache_dir: env.cache.clone(),
        }
    }

    /// The engine these settings choose: a command of one's own if one is set, else the
    /// model. Threads: `None` for one per core.
    pub fn engine(&self, threads: Option<usize>) -> Result<EngineChoice, TranscribeError> {
        if let Some(line) = &self.command.value {
            return crate::transcribe::command::Template::parse(line)
                .map(EngineChoice::Command)
                .map_err(|m| TranscribeError::Command(format!("transcribe command: {m}")));
        }
        let model_dir = self
            .model_dir
            .value
            .clone()
            .ok_or_else(|| TranscribeError::NoModel {
                dir: PathBuf::from("(no data folder: set REHEARSE_DATA_DIR or --model)"),
            })?;
        Ok(EngineChoice::Model(LoadOptions {
            model_dir,
            library: self.library.value.clone(),
            cache_dir: self.cache_dir.clone(),
            threads,
        }))
    }

    /// `model` and `transcribe_command` for `rehearse config show`.
    pub fn rows(&self) -> Vec<(&'static str, String, String)> {
        vec![
            (
                "model",
                self.model_dir
                    .value
                    .as_ref()
                    .map_or("(none: no data folder)".into(), |p| p.display().to_string()),
                self.model_dir.origin.to_string(),
            ),
            (
                "transcribe_command",
                self.command
                    .value
                    .clone()
                    .unwrap_or_else(|| "(none: the model)".into()),
                self.command.origin.to_string(),
            ),
        ]
    }
}

impl<T> Resolved<Option<T>> {
    /// This value, or `fallback` as the default when there is none.
    fn or_value(self, fallback: Option<T>) -> Resolved<Option<T>> {
        match self.value {
            Some(_) => self,
            None => Resolved {
                value: fallback,
                origin: Origin::Default,
            },
        }
    }
}

impl RunSettings {
    /// Resolves every setting; `args` is `None` for `rehearse config show`.
    pub fn resolve(args: Option<&RunArgs>, config: &Config, paths: &Paths) -> RunSettings {
        let log_dir = log_dir(args, config, paths);
        let (sounds_dir, volume) = sound_settings(args.map(|a| &a.sound), config);
        let config_times = Timing {
            time_limit: config.time_limit.as_ref().map(|s| s.value),
            prep: config.prep.as_ref().map(|s| s.value),
            warn_at: config.warn_at.as_ref().map(|s| s.value),
        };
        let time_scale = pick(args.and_then(|a| a.time_scale), &config.time_scale, 1.0);
        RunSettings {
            bank: pick(
                args.and_then(|a| a.bank.clone()),
                &config.default_bank,
                DEFAULT_BANK.to_string(),
            ),
            count: pick(
                args.and_then(|a| a.count).map(|n| n as usize),
                &config.count.as_ref().map(|s| Set {
                    value: s.value as usize,
                    line: s.line,
                }),
                DEFAULT_COUNT,
            ),
            auto: switch(args.is_some_and(|a| a.auto), &config.auto),
            gap: pick(
                args.and_then(|a| a.gap),
                &config.gap.as_ref().map(|s| Set {
                    value: s.value.0,
                    line: s.line,
                }),
                EngineOptions::default().gap,
            ),
            log_dir,
            sounds_dir,
            volume,
            mute: switch(args.is_some_and(|a| a.mute), &config.mute),
            record: record(args, config),
            transcribe: transcribe(args, config),
            transcription: TranscribeSettings::resolve(
                args.map(|a| &a.transcription),
                None,
                config,
                &ModelPaths::from_env(),
            ),
            input_device: input_device(args, config),
            pause_threshold: pause_threshold(args, config),
            speak: pick(
                match args {
                    Some(a) if a.speak => Some(true),
                    Some(a) if a.no_speak => Some(false),
                    _ => None,
                },
                &config.speak,
                false,
            ),
            voice: voice_settings(args.map(|a| &a.voice), config),
            ticks: pick(
                args.and_then(|a| a.ticks),
                &config.ticks,
                EngineOptions::default().ticks,
            ),
            times: TimeOptions {
                limits: args.map(|a| a.limit.clone()).unwrap_or_default(),
                time: args.and_then(|a| a.time),
                prep: args.and_then(|a| a.prep),
                warn_at: args.and_then(|a| a.warn_at),
                config: config_times,
                scale: time_scale.value,
                one_way: args.is_some_and(|a| a.one_way),
            },
            time_scale,
            config_times,
            config_lines: [&config.time_limit, &config.prep, &config.warn_at]
                .map(|s| s.as_ref().map(|s| s.line)),
            questions: args.map(|a| a.questions.clone()).unwrap_or_default(),
            all: args.is_some_and(|a| a.all),
            categories: args.map(|a| a.categories.clone()).unwrap_or_default(),
            shuffle: args.is_some_and(|a| a.shuffle),
            follow_ups: args.is_some_and(|a| a.follow_ups),
            seed: args.and_then(|a| a.seed),
            drill: args.and_then(Drill::asked),
            coach: !args.is_some_and(|a| a.no_coach),
            rate: args.is_some_and(|a| a.rate),
            dry_run: args.is_some_and(|a| a.dry_run),
            json_events: args.is_some_and(|a| a.json_events),
            one_way: args.is_some_and(|a| a.one_way),
            retakes: args.and_then(|a| a.takes.or(a.one_way.then_some(ONE_WAY_RETAKES))),
            virtual_clock: args.is_some_and(|a| a.virtual_clock),
            term: args.and_then(|a| a.term.clone()),
        }
    }

    /// What the log keeps of this run's settings.
    pub fn logged(
        &self,
        count: usize,
        keys_from_terminal: bool,
        config: Option<&std::path::Path>,
    ) -> serde_json::Value {
        let ms = |d: Option<crate::duration::Dur>| d.map(|d| d.as_millis());
        serde_json::json!({
            "count": count,
            "all": self.all,
            "time_ms": ms(self.times.time),
            "limits": self.times.limits.iter().map(|(id, d)| (id.clone(), d.as_millis())).collect::<std::collections::BTreeMap<_, _>>(),
            "prep_ms": self.times.prep.map(|d| d.as_millis() as u64),
            "warn_at_ms": ms(self.times.warn_at),
            "time_scale": self.time_scale.value,
            "auto": self.auto.value,
            "gap_ms": self.gap.value.as_millis() as u64,
            "keys": if keys_from_terminal { "terminal" } else { "lines" },
            "mute": self.mute.value,
            "volume": self.volume.value,
            "sounds_dir": self.sounds_dir.value.as_ref().map(|d| d.display().to_string()),
            "ticks": self.ticks.value,
            "record": self.record.value,
            "transcribe": self.transcribe.value,
            "input_device": self.input_device.value,
            "pause_threshold_ms": self.pause_threshold.value.as_millis() as u64,
            "speak": self.speak.value,
            "voice": self.speak.value.then(|| self.voice.choice().describe()),
            "config": config.map(|p| p.display().to_string()),
            "categories": self.categories,
            "questions": self.questions,
            "shuffle": self.shuffle,
            "follow_ups": self.follow_ups,
            "one_way": self.one_way,
            "retakes": self.retakes,
        })
    }

    /// Every setting as `(key, value, where it came from)`, in the config file's order.
    pub fn rows(&self) -> Vec<(&'static str, String, String)> {
        let row = |key, value: String, origin: &Origin| (key, value, origin.to_string());
        let time_row = |key,
                        value: Option<crate::duration::Dur>,
                        line: Option<usize>,
                        fallback: &str| match (value, line) {
            (Some(v), Some(line)) => (
                key,
                clock(v.get()),
                // The question, category and bank-file rungs above it are shown by
                // `--dry-run`; say here that a bank file of your own still wins.
                format!(
                    "{}; your own bank files' {key} comes first",
                    Origin::Config(line)
                ),
            ),
            _ => (key, fallback.to_string(), Origin::Default.to_string()),
        };
        let path = |p: &Option<PathBuf>, none: &str| {
            p.as_ref()
                .map_or(none.to_string(), |p| p.display().to_string())
        };
        vec![
            row("default_bank", self.bank.value.clone(), &self.bank.origin),
            row("count", self.count.value.to_string(), &self.count.origin),
            time_row(
                "time_limit",
                self.config_times.time_limit,
                self.config_lines[0],
                "the bank's, else 2:00",
            ),
            time_row(
                "prep",
                self.config_times.prep,
                self.config_lines[1],
                "the bank's, else none",
            ),
            time_row(
                "warn_at",
                self.config_times.warn_at,
                self.config_lines[2],
                "the bank's, else 0:30 or a quarter of the limit",
            ),
            row(
                "time_scale",
                self.time_scale.value.to_string(),
                &self.time_scale.origin,
            ),
            row("auto", self.auto.value.to_string(), &self.auto.origin),
            row("gap", clock(self.gap.value), &self.gap.origin),
            row(
                "log_dir",
                path(&self.log_dir.value, "(none)"),
                &self.log_dir.origin,
            ),
            row(
                "sounds_dir",
                path(&self.sounds_dir.value, "(built-in sounds)"),
                &self.sounds_dir.origin,
            ),
            row("volume", self.volume.value.to_string(), &self.volume.origin),
            row("mute", self.mute.value.to_string(), &self.mute.origin),
            row("ticks", self.ticks.value.to_string(), &self.ticks.origin),
            row("record", self.record.value.to_string(), &self.record.origin),
            row(
                "transcribe",
                self.transcribe.value.to_string(),
                &self.transcribe.origin,
            ),
            row(
                "input_device",
                self.input_device
                    .value
                    .clone()
                    .unwrap_or_else(|| "(the system's)".to_string()),
                &self.input_device.origin,
            ),
            row(
                "pause_threshold",
                // Seconds to the millisecond: a threshold of 2.5 s is not "0:02".
                format!("{}s", self.pause_threshold.value.as_secs_f64()),
                &self.pause_threshold.origin,
            ),
        ]
        .into_iter()
        .chain(self.voice_rows())
        .collect()
    }

    /// The interviewer's voice, for [`rows`](Self::rows).
    fn voice_rows(&self) -> [(&'static str, String, String); 4] {
        let row = |key, value: String, origin: &Origin| (key, value, origin.to_string());
        let v = &self.voice;
        [
            row("speak", self.speak.value.to_string(), &self.speak.origin),
            row(
                "voice",
                v.voice
                    .value
                    .clone()
                    .unwrap_or_else(|| "(espeak-ng's own)".into()),
                &v.voice.origin,
            ),
            row(
                "speech_rate",
                v.speech_rate
                    .value
                    .map_or_else(|| "(espeak-ng's own)".into(), |r| r.to_string()),
                &v.speech_rate.origin,
            ),
            row(
                "voice_command",
                v.voice_command
                    .value
                    .clone()
                    .unwrap_or_else(|| "(none: espeak-ng)".into()),
                &v.voice_command.origin,
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(line: &[&str]) -> RunArgs {
        match crate::cli::Cli::parse_from(std::iter::once("rehearse").chain(line.iter().copied()))
            .command
        {
            crate::cli::Command::Run(args) => *args,
            _ => unreachable!(),
        }
    }

    fn paths(from_env: bool) -> Paths {
        Paths {
            banks: Some("/data/banks".into()),
            sessions: Some(
                if from_env {
                    "/env/logs"
                } else {
                    "/data/sessions"
                }
                .into(),
            ),
            sessions_from_env: from_env,
        }
    }

    #[test]
    fn flags_beat_environment_beat_config_beat_defaults() {
        let config = crate::config::parse(
            "count = 4\ngap = \"5s\"\nlog_dir = \"/config/logs\"\nauto = true\nvolume = 30\n",
            std::path::Path::new("c.toml"),
        )
        .unwrap();
        let plain = RunSettings::resolve(Some(&args(&["run"])), &config, &paths(false));
        assert_eq!(
            plain.count,
            Resolved {
                value: 4,
                origin: Origin::Config(1)
            }
        );
        assert_eq!(plain.gap.value, Duration::from_secs(5));
        assert_eq!(
            plain.auto,
            Resolved {
                value: true,
                origin: Origin::Config(4)
            }
        );
        assert_eq!(plain.log_dir.value, Some("/config/logs".into()));
        assert_eq!(
            plain.ticks,
            Resolved {
                value: 5,
                origin: Origin::Default
            }
        );
        assert_eq!(plain.bank.value, DEFAULT_BANK);

        let env = RunSettings::resolve(Some(&args(&["run"])), &config, &paths(true));
        assert_eq!(env.log_dir.value, Some("/env/logs".into()));
        assert_eq!(env.log_dir.origin, Origin::Env("REHEARSE_LOG_DIR"));

        let flags = RunSettings::resolve(
            Some(&args(&[
                "run",
                "-n",
                "2",
                "--gap",
                "0",
                "--log-dir",
                "/flag",
                "--volume",
                "90",
                "behavioral",
            ])),
            &config,
            &paths(true),
        );
        assert_eq!(
            flags.count,
            Resolved {
                value: 2,
                origin: Origin::Flag
            }
        );
        assert_eq!(flags.gap.value, Duration::ZERO);
        assert_eq!(flags.log_dir.value, Some("/flag".into()));
        assert_eq!(flags.volume.value, 90);
        assert_eq!(
            flags.bank,
            Resolved {
                value: "behavioral".into(),
                origin: Origin::Flag
            }
        );

        let no_log = RunSettings::resolve(Some(&args(&["run", "--no-log"])), &config, &paths(true));
        assert_eq!(no_log.log_dir.value, None);
    }

    #[test]
    fn speaking_and_the_voice_resolve_like_the_rest() {
        let config = crate::config::parse(
            "speak = true\nvoice_command = \"piper --output_file {out}\"\nspeech_rate = 150\n",
            std::path::Path::new("c.toml"),
        )
        .unwrap();
        let resolve =
            |line: &[&str]| RunSettings::resolve(Some(&args(line)), &config, &paths(false));
        let plain = resolve(&["run"]);
        assert_eq!(
            plain.speak,
            Resolved {
                value: true,
                origin: Origin::Config(1)
            }
        );
        assert_eq!(
            plain.voice.choice(),
            VoiceChoice::Command("piper --output_file {out}".into()),
            "the config's command beats its espeak-ng settings"
        );
        assert!(!resolve(&["run", "--no-speak"]).speak.value);
        assert!(resolve(&["run", "--no-speak", "--speak"]).speak.value);
        assert_eq!(
            resolve(&["run", "--voice", "en-gb"]).voice.choice(),
            VoiceChoice::Espeak {
                voice: Some("en-gb".into()),
                rate: Some(150)
            },
            "a flag for espeak-ng beats the config's command"
        );
        assert_eq!(
            resolve(&["run", "--voice-command", "tts {text}"])
                .voice
                .choice(),
            VoiceChoice::Command("tts {text}".into())
        );
        let none = RunSettings::resolve(None, &crate::config::Config::default(), &paths(false));
        assert_eq!(
            (none.speak.value, none.voice.choice()),
            (
                false,
                VoiceChoice::Espeak {
                    voice: None,
                    rate: None
                }
            )
        );
    }

    #[test]
    fn the_model_comes_from_the_flag_the_environment_the_config_then_the_data_folder() {
        let dir = tempfile::tempdir().unwrap();
        let beside = dir.path().join("m");
        std::fs::create_dir_all(&beside).unwrap();
        std::fs::write(beside.join(crate::transcribe::files::LIBRARY), "").unwrap();
        let config = crate::config::parse(
            &format!(
                "model = \"{}\"\ntranscribe_command = \"stt {{in}}\"\n",
                beside.display()
            ),
            std::path::Path::new("c.toml"),
        )
        .unwrap();
        let env = ModelPaths {
            model_env: None,
            library_env: None,
            default_model: Some("/data/models/moonshine-base-en".into()),
            cache: Some("/cache".into()),
        };
        let none = crate::config::Config::default();
        let plain = TranscribeSettings::resolve(None, None, &none, &env);
        assert_eq!(
            plain.model_dir.value,
            Some("/data/models/moonshine-base-en".into())
        );
        assert_eq!(plain.model_dir.origin, Origin::Default);
        assert_eq!((&plain.library.value, &plain.command.value), (&None, &None));
        let configured = TranscribeSettings::resolve(None, None, &config, &env);
        assert_eq!(configured.model_dir.origin, Origin::Config(1));
        assert_eq!(
            configured.library.value,
            Some(beside.join(crate::transcribe::files::LIBRARY)),
            "the library beside the model"
        );
        assert!(matches!(
            configured.engine(None),
            Ok(EngineChoice::Command(_))
        ));
        let from_env = ModelPaths {
            model_env: Some("/env/model".into()),
            library_env: Some("/env/libonnxruntime.so".into()),
            ..env.clone()
        };
        let e = TranscribeSettings::resolve(None, None, &config, &from_env);
        assert_eq!(e.model_dir.origin, Origin::Env("REHEARSE_MODEL"));
        assert_eq!(e.library.value, Some("/env/libonnxruntime.so".into()));
        let flags = ModelOptions {
            model: Some("/flag".into()),
            onnxruntime: Some("/flag/lib.so".into()),
        };
        let f = TranscribeSettings::resolve(None, Some(&flags), &config, &from_env);
        assert_eq!(
            (f.model_dir.origin, f.library.origin),
            (Origin::Flag, Origin::Flag)
        );
        let Ok(EngineChoice::Model(options)) = plain.engine(Some(1)) else {
            panic!("the model")
        };
        assert_eq!(options.cache_dir, Some("/cache".into()));
        assert_eq!(options.threads, Some(1));
    }

    #[test]
    fn recording_is_off_unless_asked_for_and_no_record_wins_for_one_run() {
        let config = crate::config::parse(
            "record = true
input_device = \"USB mic\"\npause_threshold = \"4s\"\n",
            std::path::Path::new("c.toml"),
        )
        .unwrap();
        let none = crate::config::Config::default();
        let off = RunSettings::resolve(Some(&args(&["run"])), &none, &paths(false));
        assert!(!off.record.value);
        assert_eq!(off.pause_threshold.value, Duration::from_secs(3));
        assert_eq!(off.input_device.value, None);
        let on = RunSettings::resolve(Some(&args(&["run"])), &config, &paths(false));
        assert_eq!(
            on.record,
            Resolved {
                value: true,
                origin: Origin::Config(1)
            }
        );
        assert_eq!(on.input_device.value.as_deref(), Some("USB mic"));
        assert_eq!(on.pause_threshold.value, Duration::from_secs(4));
        let flags = RunSettings::resolve(
            Some(&args(&[
                "run",
                "--no-record",
                "--pause-threshold",
                "2.5s",
                "--input-device",
                "rig",
            ])),
            &config,
            &paths(false),
        );
        assert!(!flags.record.value);
        assert_eq!(flags.pause_threshold.value, Duration::from_millis(2500));
        assert_eq!(flags.input_device.value.as_deref(), Some("rig"));
        let flag_on = RunSettings::resolve(Some(&args(&["run", "--record"])), &none, &paths(false));
        assert_eq!(flag_on.record.origin, Origin::Flag);
        let one_way = |extra: &[&str]| {
            let mut argv = vec!["run", "--one-way"];
            argv.extend(extra);
            RunSettings::resolve(Some(&args(&argv)), &none, &paths(false))
                .record
                .value
        };
        assert!(one_way(&[]), "a one-way interview is recorded");
        assert!(
            !one_way(&["--no-record"]),
            "unless --no-record says otherwise"
        );
    }
}
