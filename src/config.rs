//! The user's config file (`config.toml`): their defaults for every run. Loaded and
//! checked once; every value remembers its line so `rehearse config show` can say where
//! it came from, and a mistake is reported as `path:line:column: problem`.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::duration::Dur;
use crate::text::line_column;

/// The config file's values; `None` where the file does not set one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The file, when one was read.
    pub path: Option<PathBuf>,
    pub default_bank: Option<Set<String>>,
    pub count: Option<Set<u32>>,
    pub time_limit: Option<Set<Dur>>,
    pub prep: Option<Set<Dur>>,
    pub warn_at: Option<Set<Dur>>,
    pub time_scale: Option<Set<f64>>,
    pub auto: Option<Set<bool>>,
    pub gap: Option<Set<Gap>>,
    pub log_dir: Option<Set<PathBuf>>,
    pub sounds_dir: Option<Set<PathBuf>>,
    pub volume: Option<Set<u8>>,
    pub mute: Option<Set<bool>>,
    pub ticks: Option<Set<u32>>,
    pub record: Option<Set<bool>>,
    pub input_device: Option<Set<String>>,
    pub pause_threshold: Option<Set<Dur>>,
    pub color: Option<Set<ColorChoice>>,
    pub speak: Option<Set<bool>>,
    pub voice: Option<Set<String>>,
    pub speech_rate: Option<Set<u32>>,
    pub voice_command: Option<Set<String>>,
    pub transcribe: Option<Set<bool>>,
    pub model: Option<Set<PathBuf>>,
    pub transcribe_command: Option<Set<String>>,
}

/// A value from the file and the line it is on.
#[derive(Debug, Clone, PartialEq)]
pub struct Set<T> {
    pub value: T,
    pub line: usize,
}

/// The pause between questions: unlike other durations it may be zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap(pub std::time::Duration);

impl<'de> Deserialize<'de> for Gap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        let text = match Raw::deserialize(d)? {
            Raw::Number(n) => n.to_string(),
            Raw::Text(t) => t,
        };
        crate::duration::parse_gap(&text)
            .map(Gap)
            .map_err(serde::de::Error::custom)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    default_bank: Option<Spanned<String>>,
    count: Option<Spanned<u32>>,
    time_limit: Option<Spanned<Dur>>,
    prep: Option<Spanned<Dur>>,
    warn_at: Option<Spanned<Dur>>,
    time_scale: Option<Spanned<f64>>,
    auto: Option<Spanned<bool>>,
    gap: Option<Spanned<Gap>>,
    log_dir: Option<Spanned<PathBuf>>,
    sounds_dir: Option<Spanned<PathBuf>>,
    volume: Option<Spanned<u8>>,
    mute: Option<Spanned<bool>>,
    ticks: Option<Spanned<u32>>,
    record: Option<Spanned<bool>>,
    input_device: Option<Spanned<String>>,
    pause_threshold: Option<Spanned<Dur>>,
    color: Option<Spanned<ColorChoice>>,
    speak: Option<Spanned<bool>>,
    voice: Option<Spanned<String>>,
    speech_rate: Option<Spanned<u32>>,
    voice_command: Option<Spanned<String>>,
    transcribe: Option<Spanned<bool>>,
    model: Option<Spanned<PathBuf>>,
    transcribe_command: Option<Spanned<String>>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: {error}", path.display())]
    Read {
        path: PathBuf,
        error: std::sync::Arc<std::io::Error>,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

/// The config file, read once when the program starts and handed to every command.
#[derive(Debug)]
pub struct ConfigFile {
    /// Where it is looked for; none without a home folder.
    pub path: Option<PathBuf>,
    loaded: Result<Config, ConfigError>,
}

impl ConfigFile {
    pub fn read() -> ConfigFile {
        let path = default_path();
        let loaded = load(path.as_deref());
        ConfigFile { path, loaded }
    }

    /// The settings it holds, or why it cannot be used (for a command that needs it).
    pub fn get(&self) -> Result<&Config, ConfigError> {
        self.loaded.as_ref().map_err(Clone::clone)
    }

    /// The settings, if the file could be read.
    pub fn ok(&self) -> Option<&Config> {
        self.loaded.as_ref().ok()
    }
}

/// Where the config file is: `REHEARSE_CONFIG`, or `rehearse/config.toml` in the XDG
/// config folder.
pub fn default_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("REHEARSE_CONFIG").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(path));
    }
    directories::ProjectDirs::from("", "", "rehearse").map(|d| d.config_dir().join("config.toml"))
}

/// Reads the config file if there is one; a missing file is an empty config.
pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
    let Some(path) = path else {
        return Ok(Config::default());
    };
    let text = match read_config(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                error: std::sync::Arc::new(source),
            });
        }
    };
    parse(&text, path)
}

/// The config file's largest size: a real one is a few hundred bytes.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Reads the config file, refusing what is not a plain file or is far too big for one.
fn read_config(path: &Path) -> std::io::Result<String> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(std::io::Error::other(format!(
            "{} is too big for a config file (the limit is {})",
            crate::text::mebibytes(meta.len()),
            crate::text::mebibytes(MAX_CONFIG_BYTES)
        )));
    }
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(MAX_CONFIG_BYTES)
        .read_to_string(&mut text)?;
    Ok(text)
}

pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let invalid = |offset: usize, message: String| {
        let (line, column) = line_column(text, offset);
        ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    };
    let raw: Raw = toml::from_str(text).map_err(|e| {
        invalid(
            e.span().map_or(0, |s| s.start),
            unknown_key_hint(e.message().trim()),
        )
    })?;
    if let Some(scale) = &raw.time_scale {
        check_scale(*scale.get_ref())
            .map_err(|m| invalid(scale.span().start, format!("time_scale: {m}")))?;
    }
    if let Some(volume) = &raw.volume
        && *volume.get_ref() > 100
    {
        return Err(invalid(
            volume.span().start,
            "volume: must be from 0 to 100".into(),
        ));
    }
    if let Some(count) = &raw.count
        && *count.get_ref() == 0
    {
        return Err(invalid(
            count.span().start,
            "count: must be at least 1".into(),
        ));
    }
    if let Some(ticks) = &raw.ticks
        && *ticks.get_ref() > 60
    {
        return Err(invalid(
            ticks.span().start,
            "ticks: must be from 0 to 60".into(),
        ));
    }
    if let Some(voice) = &raw.voice {
        crate::voice::parse_name(voice.get_ref())
            .map_err(|m| invalid(voice.span().start, format!("voice: {m}")))?;
    }
    if let Some(rate) = &raw.speech_rate
        && !crate::voice::RATES.contains(rate.get_ref())
    {
        return Err(invalid(
            rate.span().start,
            "speech_rate: must be from 80 to 450 words a minute".into(),
        ));
    }
    if let Some(command) = &raw.voice_command {
        crate::voice::Template::parse(command.get_ref())
            .map_err(|m| invalid(command.span().start, format!("voice_command: {m}")))?;
    }
    if let Some(command) = &raw.transcribe_command {
        crate::transcribe::command::Template::parse(command.get_ref())
            .map_err(|m| invalid(command.span().start, format!("transcribe_command: {m}")))?;
    }
    Ok(Config {
        path: Some(path.to_path_buf()),
        default_bank: raw.default_bank.map(|s| spanned(text, s)),
        count: raw.count.map(|s| spanned(text, s)),
        time_limit: raw.time_limit.map(|s| spanned(text, s)),
        prep: raw.prep.map(|s| spanned(text, s)),
        warn_at: raw.warn_at.map(|s| spanned(text, s)),
        time_scale: raw.time_scale.map(|s| spanned(text, s)),
        auto: raw.auto.map(|s| spanned(text, s)),
        gap: raw.gap.map(|s| spanned(text, s)),
        log_dir: raw.log_dir.map(|s| spanned(text, s)),
        sounds_dir: raw.sounds_dir.map(|s| spanned(text, s)),
        volume: raw.volume.map(|s| spanned(text, s)),
        mute: raw.mute.map(|s| spanned(text, s)),
        ticks: raw.ticks.map(|s| spanned(text, s)),
        record: raw.record.map(|s| spanned(text, s)),
        input_device: raw.input_device.map(|s| spanned(text, s)),
        pause_threshold: raw.pause_threshold.map(|s| spanned(text, s)),
        color: raw.color.map(|s| spanned(text, s)),
        speak: raw.speak.map(|s| spanned(text, s)),
        voice: raw.voice.map(|s| spanned(text, s)),
        speech_rate: raw.speech_rate.map(|s| spanned(text, s)),
        voice_command: raw.voice_command.map(|s| spanned(text, s)),
        transcribe: raw.transcribe.map(|s| spanned(text, s)),
        model: raw.model.map(|s| spanned(text, s)),
        transcribe_command: raw.transcribe_command.map(|s| spanned(text, s)),
    })
}

/// serde's "unknown field `spek`, expected one of `default_bank`, ..." names every key;
/// like `banks check`, say which one was meant when one is close, and list them only
/// when none is.
fn unknown_key_hint(message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_string();
    };
    // serde quotes each name in backticks: the typed key first, then the known ones.
    let names: Vec<&str> = std::iter::once("")
        .chain(rest.split('`'))
        .skip(1)
        .step_by(2)
        .collect();
    let Some((key, known)) = names.split_first() else {
        return message.to_string();
    };
    match crate::text::did_you_mean(key, known) {
        Some(close) => format!("unknown key `{key}`; did you mean `{close}`?"),
        None => format!("unknown key `{key}`; known keys: {}", known.join(", ")),
    }
}

fn spanned<T>(text: &str, s: Spanned<T>) -> Set<T> {
    let line = line_column(text, s.span().start).0;
    Set {
        value: s.into_inner(),
        line,
    }
}

/// What `--color` and the config file's `color` accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorChoice {
    /// Colour on a terminal (unless `NO_COLOR` or `TERM=dumb`), none elsewhere
    Auto,
    /// Colour even into a pipe or a file
    Always,
    /// No colour at all
    Never,
}

impl ColorChoice {
    pub fn name(self) -> &'static str {
        match self {
            ColorChoice::Auto => "auto",
            ColorChoice::Always => "always",
            ColorChoice::Never => "never",
        }
    }
}

/// `--time-scale` and `time_scale`: from 0.25 (a quarter of the time) to 4.
pub fn check_scale(scale: f64) -> Result<f64, String> {
    if (0.25..=4.0).contains(&scale) {
        Ok(scale)
    } else {
        Err(format!(
            "{scale} is out of range: use a factor from 0.25 to 4, like 0.8 for 20% less time"
        ))
    }
}

/// What `rehearse config init` writes: every key, commented out, with its default.
pub const TEMPLATE: &str = r#"# rehearse configuration. Uncomment a line to change a default; flags on the command
# line still win. Durations: 90 (seconds), "90s", "2m", "1m30s" or "1:30".

# The bank `rehearse run` uses without a BANK argument.
# default_bank = "healthcare-records-manager"

# Questions in a mock interview.
# count = 8

# Answer time for questions whose bank sets none.
# time_limit = "2m"

# Thinking time before each answer, for questions whose bank sets none.
# prep = "20s"

# When the warning comes (time left), for questions whose bank sets none.
# Without it: 30 s, or a quarter of the limit if that is less.
# warn_at = "30s"

# Multiply every time by this factor (0.25 to 4): 0.8 practises 20% tighter.
# time_scale = 1.0

# Hands-free: move on by itself when time is up, after `gap`.
# auto = false
# gap = "3s"

# Where session logs go.
# log_dir = "/path/to/sessions"

# Sounds: a folder of replacement cues, loudness 0-100, no sound at all, ticks in the
# last N seconds (0 for none).
# sounds_dir = "/path/to/sounds"
# volume = 80
# mute = false
# ticks = 5

# Record every answer from the microphone and measure how it was spoken; the input
# device by name (`rehearse devices` lists them); the shortest silence between words
# that counts as a long pause.
# record = false
# input_device = "default"
# pause_threshold = "3s"

# The interviewer's voice: read each question aloud before its clock starts. espeak-ng
# (apt-get install espeak-ng) with its voice and speed, or any program that writes a
# WAV: {text} is the question (on standard input without it), {out} the file to write.
# A voice_command is used instead of espeak-ng's voice and speech_rate.
# speak = false
# voice = "en-us"
# speech_rate = 175
# voice_command = "piper --model en_US-joe-medium.onnx --output_file {out}"

# Transcribe every answer on this computer (it records them too): the transcript, words a
# minute, filler words and the talking points covered. The speech model (`rehearse models
# install` puts it in the data folder) and, instead of it, a speech-to-text program of
# your own: {in} is the WAV file of 16 kHz mono speech to transcribe, and what it prints
# is the text. Whisper models leave out filler words.
# transcribe = false
# model = "/path/to/moonshine-base-en"
# transcribe_command = "whisper-cli -m ggml-base.en.bin -nt -np -f {in}"

# Colour: "auto" (on a terminal), "always" or "never". `--color`, NO_COLOR and
# CLICOLOR_FORCE still win.
# color = "auto"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Config, ConfigError> {
        parse(text, Path::new("config.toml"))
    }

    #[test]
    fn values_keep_their_lines() {
        let config =
            parse_str("count = 5\n\ntime_limit = \"90s\"\ngap = 0\ntime_scale = 0.8\n").unwrap();
        assert_eq!(config.count, Some(Set { value: 5, line: 1 }));
        assert_eq!(
            config.time_limit.as_ref().unwrap().value.as_millis(),
            90_000
        );
        assert_eq!(config.time_limit.unwrap().line, 3);
        assert_eq!(config.gap.unwrap().value, Gap(std::time::Duration::ZERO));
        assert_eq!(config.time_scale.unwrap().value, 0.8);
    }

    #[test]
    fn the_template_is_a_valid_config_that_sets_nothing() {
        let config = parse_str(TEMPLATE).unwrap();
        assert_eq!(
            config,
            Config {
                path: Some("config.toml".into()),
                ..Config::default()
            }
        );
        let uncommented: String = TEMPLATE
            .lines()
            .filter(|l| l.starts_with("# ") && l.contains(" = "))
            .map(|l| format!("{}\n", &l[2..]))
            .collect();
        let all = parse_str(&uncommented).unwrap();
        assert_eq!(all.count.unwrap().value, 8);
        assert_eq!(all.ticks.unwrap().value, 5);
        assert_eq!(all.color.unwrap().value, ColorChoice::Auto);
        assert_eq!(all.speech_rate.unwrap().value, 175);
    }

    #[test]
    fn mistakes_name_the_line_and_key() {
        let cases = [
            (
                "count = 5\ncolour = \"red\"\n",
                "config.toml:2:1: unknown key `colour`; did you mean `color`?",
            ),
            (
                "spek = true\n",
                "config.toml:1:1: unknown key `spek`; did you mean `speak`?",
            ),
            (
                "wallpaper = 3\n",
                "config.toml:1:1: unknown key `wallpaper`; known keys: default_bank, count,",
            ),
            (
                "time_limit = \"2x\"\n",
                "config.toml:1:14: \"2x\": expected a duration",
            ),
            (
                "\ntime_scale = 9\n",
                "config.toml:2:14: time_scale: 9 is out of range",
            ),
            (
                "volume = 101\n",
                "config.toml:1:10: volume: must be from 0 to 100",
            ),
            ("count = 0\n", "config.toml:1:9: count: must be at least 1"),
            ("auto = \"yes\"\n", "config.toml:1:8: invalid type"),
            (
                "speech_rate = 20\n",
                "config.toml:1:15: speech_rate: must be from 80 to 450",
            ),
            (
                "voice = \"--stdout\"\n",
                "config.toml:1:9: voice: \"--stdout\" is not a voice name",
            ),
            (
                "voice_command = \"piper 'x\"\n",
                "config.toml:1:17: voice_command: a quote is not closed",
            ),
            (
                "transcribe_command = \"whisper-cli -f x.wav\"\n",
                "config.toml:1:22: transcribe_command: {in} is missing",
            ),
            (
                "color = \"red\"\n",
                "config.toml:1:9: unknown variant `red`, expected one of `auto`, `always`, `never`",
            ),
        ];
        for (text, expected) in cases {
            let e = parse_str(text).unwrap_err().to_string();
            assert!(
                e.starts_with(expected),
                "{e:?} should start with {expected:?}"
            );
            assert!(!e.contains('\n'), "{e:?}");
        }
    }

    #[test]
    fn a_missing_file_is_an_empty_config() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            load(Some(&dir.path().join("none.toml"))).unwrap(),
            Config::default()
        );
    }
}
