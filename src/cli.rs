//! What the user can type: clap derive types only, no decisions.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::duration::Dur;

#[derive(Debug, Parser)]
#[command(
    name = "rehearse",
    version,
    about = "A coach for timed mock interviews in your terminal",
    long_about = "A coach for timed mock interviews in your terminal.\n\n\
        rehearse asks interview questions one at a time, counts down the time for each \
        answer with a bar that turns from green to yellow to red, and writes every session \
        to a log you can review later.",
    after_help = "Examples:\n  \
        rehearse run                       8 questions from the Healthcare Records Manager bank\n  \
        rehearse run behavioral --count 5  5 general behavioral questions\n  \
        rehearse run --time 90s --auto     90 s per answer, moving on by itself\n  \
        rehearse review                    past sessions; 'review stats' for your weakest questions\n\n\
        Run 'rehearse run --help' for everything a session can do."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// When to colour the output: auto (on a terminal), always or never. NO_COLOR turns
    /// colour off and CLICOLOR_FORCE on, unless this flag is given [default: the config
    /// file's `color`, else auto]
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    pub color: Option<crate::config::ColorChoice>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Take a timed mock interview.
    Run(Box<RunArgs>),
    /// List the sound cues, or play them to check your speakers.
    Sounds(SoundsArgs),
    /// List the microphones and speakers, the system's default marked, for --input-device.
    Devices,
    /// Your defaults: where the config file is, what it sets, a commented starter file.
    Config(ConfigArgs),
    /// List, import and check question banks.
    Banks(BanksArgs),
    /// Look back at past sessions: a list, one session, stats, exports, a report, and your recorded answers played back.
    Review(ReviewArgs),
    /// What an answer's words say: transcript, pace, filler words and the talking points covered.
    Feedback(FeedbackArgs),
    /// The speech model for transcripts: what is installed and whether it checks out; install it.
    Models(ModelsArgs),
    /// Print a tab-completion script for your shell (docs/guide.md says where it goes).
    Completions(CompletionsArgs),
    /// Print the manual page in roff: `rehearse man | man -l -`, or save it as rehearse.1.
    Man,
}

/// Where the speech model and its runtime are: `feedback`, `models`.
#[derive(Debug, Clone, Default, Args)]
pub struct ModelOptions {
    /// The speech model's folder (encoder_model.ort, decoder_model_merged.ort,
    /// tokenizer.bin) [env: REHEARSE_MODEL] [default: the config file's `model`, else
    /// models/moonshine-base-en in the data folder]
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,

    /// The ONNX Runtime library, 1.22 or newer [env: ORT_DYLIB_PATH] [default: the one
    /// beside the model, where `rehearse models install` puts it]
    #[arg(long, value_name = "FILE")]
    pub onnxruntime: Option<PathBuf>,
}

/// How speech becomes text: the model, or a program of one's own.
#[derive(Debug, Clone, Default, Args)]
pub struct TranscribeOptions {
    #[command(flatten)]
    pub model: ModelOptions,

    /// A speech-to-text program of your own instead of the model: {in} is replaced by a
    /// 16 kHz mono WAV file of speech (at most 30 s), and what it prints is the text. It is
    /// run directly, never through a shell. Whisper models leave out filler words
    ///
    /// A local whisper.cpp: --transcribe-command 'whisper-cli -m ggml-base.en.bin -nt -np -f {in}'
    #[arg(long, value_name = "CMD", value_parser = parse_transcribe_command)]
    pub transcribe_command: Option<String>,
}

/// A transcribe command: words that split as a shell would split them, with `{in}`.
pub fn parse_transcribe_command(text: &str) -> Result<String, String> {
    crate::transcribe::command::Template::parse(text).map(|_| text.to_string())
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    rehearse feedback answer.wav                      transcript, pace and filler words\n  \
    rehearse feedback --question breach-notification-timelines answer.flac\n  \
    \x20                                                 and the talking points it covered\n  \
    rehearse feedback --bank behavioral --question time-you-failed typed.txt\n  \
    rehearse feedback *.wav --json                    one JSON object per file per line\n\n\
A WAV or FLAC file is transcribed by the speech model (`rehearse models install` gets it) \
or by --transcribe-command; any other file is taken as the transcript itself, such as an \
answer you typed. Words a minute count speaking time only, as the voice detector of \
--record finds it; filler words are um, uh, er, erm, ah and hmm, and like and you know \
where they fill; hedges (I mean, sort of, kind of, I guess) are counted apart.")]
pub struct FeedbackArgs {
    /// Recordings (.wav, .flac) or transcripts (any other file)
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// The bank of --question: a name (`rehearse banks` lists them) or a bank file
    /// [default: the config file's default_bank, else healthcare-records-manager]
    #[arg(long, value_name = "BANK")]
    pub bank: Option<String>,

    /// The question answered (its id): the talking points are judged covered or missed
    #[arg(long, value_name = "ID")]
    pub question: Option<String>,

    /// One JSON object per file per line, for scripts
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub transcribe: TranscribeOptions,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    rehearse models                 where the model is and whether its files check out\n  \
    rehearse models install         download it (82 MB from the Python Package Index)\n\n\
The model is Moonshine base (English, MIT licence), run by ONNX Runtime; both come from \
the packages moonshine-cpp and onnxruntime on the Python Package Index, checked by SHA-256. \
Nothing is downloaded unless you ask. A download that is cut off resumes where it stopped.")]
pub struct ModelsArgs {
    #[command(subcommand)]
    pub action: Option<ModelsAction>,

    #[command(flatten)]
    pub model: ModelOptions,
}

#[derive(Debug, Subcommand)]
pub enum ModelsAction {
    /// Where the model and the library are, and whether each file checks out (the default)
    List,
    /// Download the model and the ONNX Runtime library into the model's folder
    Install(InstallArgs),
}

#[derive(Debug, Args)]
pub struct InstallArgs {
    #[command(flatten)]
    pub model: ModelOptions,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    rehearse completions bash > ~/.local/share/bash-completion/completions/rehearse\n  \
    rehearse completions zsh > ~/.zfunc/_rehearse\n  \
    rehearse completions fish > ~/.config/fish/completions/rehearse.fish")]
pub struct CompletionsArgs {
    /// The shell to write the script for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
#[command(
    after_help = "The config file holds your defaults for every run; flags still win.\n\n\
Examples:\n  \
    rehearse config init     write a commented config file to edit\n  \
    rehearse config show     every setting, its value and where it came from\n  \
    rehearse config path     where the file is (REHEARSE_CONFIG moves it)"
)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub action: Option<ConfigAction>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print the config file's path
    Path,
    /// Print every setting, its value and where it came from (the default)
    Show,
    /// Write a commented config file with every setting
    Init {
        /// Replace an existing file
        #[arg(long)]
        force: bool,
    },
}

/// Sound options shared by `run` and `sounds`.
#[derive(Debug, Clone, Args)]
pub struct SoundOptions {
    /// Folder of replacement sounds named after the cues (warning.ogg, time_up.mp3, ...;
    /// .wav, .ogg, .mp3 or .flac); cues without a file keep the built-in sound
    #[arg(long, value_name = "DIR")]
    pub sounds: Option<PathBuf>,

    /// Loudness of the cues, 0 to 100 [default: 80]
    #[arg(long, value_name = "0-100", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub volume: Option<u8>,
}

/// The interviewer's voice, shared by `run` and `sounds`.
#[derive(Debug, Clone, Default, Args)]
pub struct VoiceOptions {
    /// The espeak-ng voice that reads the questions, e.g. en-us or en-gb-x-rp
    /// (`espeak-ng --voices` lists them) [default: espeak-ng's own]
    #[arg(long, value_name = "NAME", value_parser = crate::voice::parse_name, conflicts_with = "voice_command")]
    pub voice: Option<String>,

    /// How fast espeak-ng reads, in words a minute, 80 to 450 [default: espeak-ng's, 175]
    #[arg(long, value_name = "WPM", value_parser = clap::value_parser!(u32).range(80..=450),
          conflicts_with = "voice_command")]
    pub speech_rate: Option<u32>,

    /// Another text-to-speech program that writes a WAV, instead of espeak-ng: {text} and
    /// {out} in it are replaced by the question and the file to write (each as one
    /// argument, never through a shell); without {text} the question is on its standard
    /// input, without {out} the WAV is read from its standard output. The question is
    /// also in its environment, as REHEARSE_TEXT: a shell script reads it from there
    /// ("$REHEARSE_TEXT"), since {text} inside a `sh -c` script would be run as code and
    /// is refused
    ///
    /// For a neural voice: --voice-command 'piper --model en_US-joe-medium.onnx --output_file {out}'
    #[arg(long, value_name = "CMD", value_parser = parse_voice_command)]
    pub voice_command: Option<String>,
}

/// A voice command: words that split as a shell would split them.
pub fn parse_voice_command(text: &str) -> Result<String, String> {
    crate::voice::Template::parse(text).map(|_| text.to_string())
}

#[derive(Debug, Args)]
#[command(
    after_help = "Cues: prep (thinking time begins), start (answer time begins), warning (time is \
running out), tick (each of the last seconds), time_up, finish (the interview is complete).\n\n\
Examples:\n  \
    rehearse sounds                     which sound each cue uses\n  \
    rehearse sounds play                play every cue, to check your speakers\n  \
    rehearse sounds play warning        play one cue\n  \
    rehearse sounds --sounds ~/cues     the same, with your own sounds\n  \
    rehearse sounds say \"Tell me about yourself.\"   the interviewer's voice (--speak)"
)]
pub struct SoundsArgs {
    #[command(subcommand)]
    pub action: Option<SoundsAction>,

    #[command(flatten)]
    pub options: SoundOptions,

    #[command(flatten)]
    pub voice: VoiceOptions,
}

#[derive(Debug, Subcommand)]
pub enum SoundsAction {
    /// List the cues and the sound each one uses (the default)
    List,
    /// Play one cue, or all of them in turn
    Play {
        /// prep, start, warning, tick, time_up or finish [default: all]
        #[arg(value_name = "CUE")]
        cue: Option<crate::audio::Cue>,
    },
    /// Speak a sentence in the interviewer's voice (what `run --speak` reads questions in)
    Say {
        /// What to say
        #[arg(value_name = "TEXT", required = true)]
        text: Vec<String>,
    },
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    rehearse banks                                  the built-in banks and yours\n  \
    rehearse banks import questions.md              a Markdown list into your banks folder\n  \
    rehearse banks import cards.csv --name Frontend  named, so 'rehearse run frontend' asks it\n  \
    rehearse banks check my-bank.toml               every problem, with line and column\n  \
    rehearse banks show behavioral                  every question's times and where they come from\n  \
    rehearse banks edit healthcare-records-manager  your own copy, to change time limits")]
pub struct BanksArgs {
    /// What to do; without one, list the banks
    #[command(subcommand)]
    pub command: Option<BanksCommand>,
}

#[derive(Debug, Subcommand)]
pub enum BanksCommand {
    /// List the built-in banks and yours, with question counts and categories
    List,
    /// Turn a question list (.md, .txt, .csv, .tsv) into a bank file you can edit
    Import(ImportArgs),
    /// Check bank files and list every problem with its line and column
    Check(CheckArgs),
    /// Every question of a bank with its thinking time, limit and warning, and where each
    /// comes from
    Show {
        /// A bank name or a bank file
        #[arg(value_name = "BANK")]
        bank: String,

        /// Each question's talking points too (what a strong answer covers), to study them
        /// outside a session
        #[arg(long)]
        points: bool,
    },
    /// Open a bank in your editor ($VISUAL or $EDITOR), copying a built-in one to your banks
    /// folder first; it is checked when the editor closes
    Edit {
        /// A bank name or a bank file
        #[arg(value_name = "BANK")]
        bank: String,
    },
}

#[derive(Debug, Args)]
#[command(
    after_help = "Markdown: numbered and bulleted items are questions, headings categories, \
    nested items follow-ups.\n\
    Plain text: Q:/A: pairs, numbered or bulleted lines, or one question per paragraph.\n\
    CSV/TSV: a 'question' (or 'prompt', 'front') column, and optional 'category', 'answer' and \
    'keywords' columns; without a header, the first column."
)]
pub struct ImportArgs {
    /// The question list: Markdown, plain text, CSV or TSV (a JSON bank is converted too)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Where to write the bank [default: your banks folder, named after --name or FILE]
    #[arg(short, long, value_name = "OUT.toml")]
    pub output: Option<PathBuf>,

    /// The bank's name, e.g. "Frontend developer"; it also names the file in your banks folder
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Replace the output file if it exists
    #[arg(long)]
    pub force: bool,

    /// List every line that was left out or read as something other than a question (a
    /// talking point, the bank's name), not only the first five
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Bank files (TOML or JSON), question lists, or names of banks
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<String>,
}

#[derive(Debug, Args)]
#[command(after_help = "Keys during a session:\n  \
    Enter, n      done: next question (while asked or thinking: start now)\n  \
    s             skip this question\n  \
    Space, p      pause / resume\n  \
    + / -         30 s more / less for this answer\n  \
    q, Esc, ^C    end the session now (it is saved)\n  \
    ?             show the keys\n\n\
Examples:\n  \
    rehearse run                            8 random questions from the default bank\n  \
    rehearse run behavioral --all           every question of the behavioral bank, in order\n  \
    rehearse run ./my-bank.toml --count 3   a bank file of your own\n  \
    rehearse run --seed 42                  the same 8 questions as last time you used seed 42\n  \
    rehearse run --prep 20s                 20 s to think before each answer\n  \
    rehearse run --time-scale 0.8 --dry-run the plan with every time 20% tighter\n  \
    rehearse run --limit breach-notification-timelines=3m\n  \
    \x20                                       3 minutes for that question only\n  \
    rehearse run --category reg --all       every question of the categories starting with Reg\n  \
    rehearse run --question a --question b  these two questions, in this order\n  \
    rehearse run list.md --follow-ups       a Markdown list, follow-ups after their question\n  \
    rehearse run --time 1s --gap 0 </dev/null   a scripted run: no keys, hands-free\n\n\
Without a terminal, commands are read as lines from standard input (empty line or n, s, p, q);\n\
when the input ends the session carries on hands-free.")]
pub struct RunArgs {
    /// Bank name (`rehearse banks` lists them), or a bank file or question list (.toml,
    /// .json, .md, .txt, .csv, .tsv)
    /// [default: healthcare-records-manager]
    #[arg(value_name = "BANK")]
    pub bank: Option<String>,

    /// How many questions to ask, picked at random across the categories [default: 8]
    #[arg(short = 'n', long, value_name = "N", conflicts_with = "all", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub count: Option<u32>,

    /// Ask every question of the bank, in bank order
    #[arg(long)]
    pub all: bool,

    /// Seed for the random pick, to get the same questions again (the seed used is logged)
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Only questions of this category; repeat for more. Case does not matter, and the
    /// start of a name is enough: --category reg
    #[arg(long = "category", value_name = "NAME")]
    pub categories: Vec<String>,

    /// Ask this question (by id); repeat for more, asked in the order given
    #[arg(long = "question", value_name = "ID", conflicts_with_all = ["count", "all", "categories"])]
    pub questions: Vec<String>,

    /// Ask the chosen questions in random order
    #[arg(long)]
    pub shuffle: bool,

    /// Ask each question's follow-ups after it, each timed like its question
    #[arg(long)]
    pub follow_ups: bool,

    /// Answer time for every question of this run, e.g. 90s, 2m, 1m30s or 1:30
    #[arg(short, long, value_name = "DUR")]
    pub time: Option<Dur>,

    /// Answer time for one question, by id (repeatable): --limit breach-notification-timelines=3m
    #[arg(short, long, value_name = "ID=DUR", value_parser = parse_limit)]
    pub limit: Vec<(String, Dur)>,

    /// Thinking time before every answer (Enter starts the answer early); 0 turns it off
    #[arg(long, value_name = "DUR", value_parser = crate::duration::parse_gap)]
    pub prep: Option<std::time::Duration>,

    /// When the warning comes, as time left: --warn-at 20s [default: 30s, or a quarter of the limit]
    #[arg(long, value_name = "DUR")]
    pub warn_at: Option<Dur>,

    /// Multiply every time by this factor, from 0.25 to 4: 0.8 is 20% tighter [default: 1]
    #[arg(long, value_name = "F", value_parser = parse_scale)]
    pub time_scale: Option<f64>,

    /// The N questions that need practice most, by their history: low ratings, overtime,
    /// skips, short answers, time since last practised, and in recorded answers late
    /// starts, long silences and talking points missed (see docs/guide.md)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000),
          conflicts_with_all = ["all", "questions", "due"])]
    pub weakest: Option<u32>,

    /// The questions due again by spaced repetition (a poor answer comes back tomorrow, a
    /// good one in days), then ones never practised; at most --count
    #[arg(long, conflicts_with_all = ["all", "questions"])]
    pub due: bool,

    /// No coaching: no talking points and no self-review after each answer
    #[arg(long)]
    pub no_coach: bool,

    /// Always ask for a rating and a note after each answer, even hands-free or without a
    /// terminal (then read as two lines: the rating, then the note)
    #[arg(long, conflicts_with = "no_coach")]
    pub rate: bool,

    /// Print the plan (each question's thinking time, limit and warning, and where each
    /// came from) and exit
    #[arg(long)]
    pub dry_run: bool,

    /// Hands-free: when time is up, move on by itself after --gap
    #[arg(long)]
    pub auto: bool,

    /// How many times each answer may be started again with `r` (during the answer or at
    /// its rating); every take is kept in the log [default: no limit; 0: none]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=100))]
    pub takes: Option<u32>,

    /// Rehearse a one-way video interview: 30 s of thinking time that starts the answer by
    /// itself, a hard stop at the limit, no pause and no extra time, one retake, recording
    /// on, and the coaching after the last question instead of between them (--prep,
    /// --takes, --no-record and --no-coach still apply)
    #[arg(long)]
    pub one_way: bool,

    /// Pause between questions in hands-free mode; 0 for none [default: 3s]
    #[arg(long, value_name = "DUR", value_parser = crate::duration::parse_gap)]
    pub gap: Option<std::time::Duration>,

    #[command(flatten)]
    pub sound: SoundOptions,

    /// Play no sounds (cues are still shown on screen, and nothing is read aloud)
    #[arg(long)]
    pub mute: bool,

    /// Record every answer from the microphone, keep it next to the session log, and show
    /// how it was spoken: first word, speaking time, long pauses
    ///
    /// Thinking time and pauses are not recorded. Files are FLAC, one per answer, readable by
    /// you only; with --no-log nothing is kept, the figures are still shown. Config: record.
    #[arg(long, overrides_with = "no_record")]
    pub record: bool,

    /// Do not record this run, whatever the config file says
    #[arg(long, overrides_with = "record")]
    pub no_record: bool,

    /// Transcribe each answer on this computer (it records too): the transcript, words a
    /// minute, filler words and the talking points it covered
    ///
    /// Nothing leaves the computer: the speech model runs here (`rehearse models install`
    /// gets it once), or a program of your own does (--transcribe-command). It
    /// transcribes while you speak; the transcript comes right after the answer, or a
    /// moment later. Config: transcribe.
    #[arg(long, overrides_with = "no_transcribe")]
    pub transcribe: bool,

    /// Do not transcribe this run, whatever the config file says
    #[arg(long, overrides_with = "transcribe")]
    pub no_transcribe: bool,

    #[command(flatten)]
    pub transcription: TranscribeOptions,

    /// The microphone to record from, by name as `rehearse devices` lists it [default: the
    /// system's input device]
    #[arg(long, value_name = "NAME")]
    pub input_device: Option<String>,

    /// The shortest silence between two words that counts as a long pause, e.g. 2s or
    /// 4.5s [default: 3s]
    #[arg(long, value_name = "DUR")]
    pub pause_threshold: Option<Dur>,

    /// Read each question aloud before its clock starts (espeak-ng, or --voice-command);
    /// Enter cuts the reading short
    #[arg(long, overrides_with = "no_speak")]
    pub speak: bool,

    /// Do not read the questions aloud, whatever the config file says
    #[arg(long, overrides_with = "speak")]
    pub no_speak: bool,

    #[command(flatten)]
    pub voice: VoiceOptions,

    /// Tick once a second in the last N seconds of an answer; 0 turns ticks off [default: 5]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=60))]
    pub ticks: Option<u32>,

    /// Folder for the session log [env: REHEARSE_LOG_DIR]
    #[arg(long, value_name = "DIR", conflicts_with = "no_log")]
    pub log_dir: Option<PathBuf>,

    /// Do not write a session log
    #[arg(long)]
    pub no_log: bool,

    /// Stream the session's events as JSON lines on standard output (the screen goes to
    /// standard error), for a status bar, an overlay or a script to follow
    ///
    /// One object a line, with `t_ms` since the start and `event`: the log's records
    /// (question_started, time_up, question_ended, reviewed, session_ended, ...) and the
    /// moments only the screen shows (prep_started, warning, tick, gap_started, rated).
    #[arg(long)]
    pub json_events: bool,

    /// Hidden: run the whole session on a virtual clock that jumps to each deadline
    /// instead of waiting for it (scripted tests and benchmarks).
    #[arg(long, hide = true, env = "REHEARSE_VIRTUAL_CLOCK",
          value_parser = clap::builder::BoolishValueParser::new())]
    pub virtual_clock: bool,

    /// Hidden: the terminal's kind, as `TERM` gives it (`dumb` draws no bar).
    #[arg(long, hide = true, env = "TERM")]
    pub term: Option<String>,
}

/// `ID=DUR` for `--limit`.
fn parse_limit(text: &str) -> Result<(String, Dur), String> {
    let (id, duration) = text.split_once('=').ok_or_else(|| {
        format!("{text:?}: expected ID=DURATION, like breach-notification-timelines=3m")
    })?;
    let id = id.trim();
    if id.is_empty() {
        return Err(format!(
            "{text:?}: the question id is missing, like breach-notification-timelines=3m"
        ));
    }
    Ok((
        id.to_string(),
        duration.parse::<Dur>().map_err(|e| e.to_string())?,
    ))
}

fn parse_scale(text: &str) -> Result<f64, String> {
    let scale: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?}: expected a number from 0.25 to 4, like 0.8"))?;
    crate::config::check_scale(scale)
}

#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Examples:\n  \
    rehearse review                            every session, newest first\n  \
    rehearse review --since 2026-11-01 -n 10   the 10 newest since 1 November\n  \
    rehearse review show                       the latest session, question by question\n  \
    rehearse review show 3                     the third newest (numbers as in the list)\n  \
    rehearse review stats                      per question and category, weakest first\n  \
    rehearse review stats --question legal-hold-process   every attempt at one question\n  \
    rehearse review export latest -o last.md   the latest session as a Markdown report\n  \
    rehearse review export --format csv -o sessions.csv   every session, for a spreadsheet\n  \
    rehearse review stats --json               numbers for scripts\n  \
    rehearse review report --open              charts of your progress, in the browser\n  \
    rehearse review play                       hear the recorded answers of the latest session\n  \
    rehearse review keep latest 2 1            take 1 of answer 2 is the one that counts\n  \
    rehearse review transcribe                 transcripts of the latest session's recordings\n\n\
Sessions are read from the log folder, never changed (only 'review keep' and 'review \
transcribe' add lines). Files that cannot be read are listed \
with the reason; the rest are shown."
)]
pub struct ReviewArgs {
    #[command(subcommand)]
    pub command: Option<ReviewCommand>,

    /// Without a subcommand: the list.
    #[command(flatten)]
    pub list: ListArgs,
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// The sessions, newest first (what 'rehearse review' shows).
    List(ListArgs),
    /// One session, question by question, with answer times against the limits.
    Show(ShowArgs),
    /// Across sessions, per question and per category, weakest first.
    Stats(StatsArgs),
    /// One session or many as a Markdown report, CSV or one JSON document.
    Export(ExportArgs),
    /// A web page of charts of your practice: one self-contained HTML file.
    Report(ReportArgs),
    /// Build the spaced-repetition schedule (for 'rehearse run --due') again from the logs.
    RebuildSchedule(LogDirArg),
    /// Hear the recorded answers of a session (recorded with 'rehearse run --record').
    Play(PlayArgs),
    /// Choose which take of a recorded answer counts in stats (the last one does otherwise).
    Keep(KeepArgs),
    /// Transcribe the recorded answers of a session that have no transcript yet, on this
    /// computer.
    Transcribe(TranscribeArgs),
}

/// Where the logs are.
#[derive(Debug, Clone, Default, Args)]
pub struct LogDirArg {
    /// Folder of session logs [env: REHEARSE_LOG_DIR]
    #[arg(long, value_name = "DIR")]
    pub log_dir: Option<PathBuf>,
}

/// Which sessions count.
#[derive(Debug, Clone, Default, Args)]
pub struct FilterArgs {
    /// Only sessions of this bank: its name (healthcare-records-manager) or title
    #[arg(long, value_name = "BANK")]
    pub bank: Option<String>,

    /// Only sessions on or after this day, e.g. 2026-11-01 (the date where they were taken)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,

    /// Only the N newest sessions
    #[arg(short = 'n', long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,

    /// Machine-readable output
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub log_dir: LogDirArg,
}

#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    /// A number from the list (1 = newest), a log file name, a path, or `latest`
    /// [default: latest]
    #[arg(value_name = "SESSION")]
    pub session: Option<String>,

    /// Machine-readable output
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub log_dir: LogDirArg,
}

#[derive(Debug, Clone, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub filter: FilterArgs,

    /// One question (its id, as in the table), with every attempt
    #[arg(long, value_name = "ID")]
    pub question: Option<String>,

    /// Machine-readable output
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub log_dir: LogDirArg,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// One session: a number from the list, a file name, a path or `latest`
    /// [default: every session that --bank, --since and --limit let through]
    #[arg(value_name = "SESSION", conflicts_with_all = ["bank", "since", "limit"])]
    pub session: Option<String>,

    /// md: a report to keep or share; csv: a row per question, for a spreadsheet; json: one
    /// document
    #[arg(short, long, value_enum, default_value_t = ExportFormat::Md)]
    pub format: ExportFormat,

    /// Write to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace FILE if it exists (its name is replaced; what a link points to is never
    /// written)
    #[arg(long, requires = "output")]
    pub force: bool,

    #[command(flatten)]
    pub filter: FilterArgs,

    /// Only the N newest sessions
    #[arg(short = 'n', long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,

    #[command(flatten)]
    pub log_dir: LogDirArg,
}

/// `review play`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:\n  \
    rehearse review play                 every recorded answer of the latest session, in turn\n  \
    rehearse review play 3 2             answer 2 of the third newest session\n  \
    rehearse review play latest 2 --take 1   its first take, not the one that counts\n\n\
Each answer plays the take that counts (the one chosen with 'review keep', else the last), \
introduced by its question; a take cut off with its session (killed mid-answer) is found \
by its file and plays too. Keys while it plays: Space pauses and resumes, Left and Right \
jump 5 seconds, n goes to the next answer, q stops, Ctrl-Z stops it like any job (paused; \
fg brings it back). Without a terminal it just plays. The sound goes to the default output \
device, as the cues do, at the cues' volume; it is read from the file as it plays, so a \
long recording starts at once.")]
pub struct PlayArgs {
    /// A number from the list (1 = newest), a log file name, a path, or `latest`
    /// [default: latest]
    #[arg(value_name = "SESSION")]
    pub session: Option<String>,

    /// Only this answer (its number in 'review show') [default: every recorded answer]
    #[arg(value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub answer: Option<u64>,

    /// Play this take of answer N instead of the one that counts
    #[arg(long, value_name = "TAKE", requires = "answer", value_parser = clap::value_parser!(u32).range(1..))]
    pub take: Option<u32>,

    /// Loudness, 0 to 100 [default: the cues' volume, 80 unless the config file says]
    #[arg(long, value_name = "0-100", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub volume: Option<u8>,

    #[command(flatten)]
    pub log_dir: LogDirArg,
}

/// `review keep`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Example:\n  \
    rehearse review keep latest 2 1      take 1 of answer 2 counts, not the retake\n\n\
Adds one take_kept line to the session's log; the recordings stay as they are. Keeping \
another take later replaces the choice.")]
pub struct KeepArgs {
    /// A number from the list (1 = newest), a log file name, a path, or `latest`
    #[arg(value_name = "SESSION")]
    pub session: String,

    /// The answer (its number in 'review show')
    #[arg(value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub answer: u64,

    /// The take that counts (as 'review show' numbers them)
    #[arg(value_name = "TAKE", value_parser = clap::value_parser!(u32).range(1..))]
    pub take: u32,

    #[command(flatten)]
    pub log_dir: LogDirArg,
}

/// `review transcribe`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:\n  \
    rehearse review transcribe              the latest session's recorded answers\n  \
    rehearse review transcribe 3 2          answer 2 of the third newest session\n  \
    rehearse review transcribe --again --transcribe-command 'whisper-cli -nt -f {in}'\n\n\
For sessions recorded without --transcribe (or whose transcripts you want again). Each take \
that still has its recording is transcribed by the speech model ('rehearse models install' \
gets it) or by your own program, and one answer_transcribed line per take is added to the \
session's log; the recordings stay as they are. Nothing leaves this computer.")]
pub struct TranscribeArgs {
    /// A number from the list (1 = newest), a log file name, a path, or `latest`
    /// [default: latest]
    #[arg(value_name = "SESSION")]
    pub session: Option<String>,

    /// Only this answer (its number in 'review show') [default: every recorded answer]
    #[arg(value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub answer: Option<u64>,

    /// Transcribe takes that have a transcript too; the newest transcript is the one shown
    #[arg(long)]
    pub again: bool,

    /// Where the questions' talking points are: a bank name or a bank file [default: the
    /// session's bank, by its name]
    #[arg(long, value_name = "BANK")]
    pub bank: Option<String>,

    #[command(flatten)]
    pub transcribe: TranscribeOptions,

    #[command(flatten)]
    pub log_dir: LogDirArg,
}

/// `review report`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:\n  \
    rehearse review report                     write report.html in the data folder\n  \
    rehearse review report --open              and open it in the browser\n  \
    rehearse review report -o ~/progress.html --since 2026-11-01\n\n\
The page holds everything (styles and charts, no script) and fetches nothing: keep it, \
print it or send it. -o replaces a report written before, never another file.")]
pub struct ReportArgs {
    /// Write the page to FILE [default: report.html in the data folder]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Open the page with the desktop's opener (xdg-open; open on macOS)
    #[arg(long)]
    pub open: bool,

    #[command(flatten)]
    pub filter: FilterArgs,

    #[command(flatten)]
    pub log_dir: LogDirArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Md,
    Csv,
    Json,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{text:?}: expected a date like 2026-11-25"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn limits_and_scales_parse() {
        let (id, d) = parse_limit("hipaa=3m").unwrap();
        assert_eq!((id.as_str(), d.as_millis()), ("hipaa", 180_000));
        assert!(
            parse_limit("hipaa")
                .unwrap_err()
                .contains("expected ID=DURATION")
        );
        assert!(parse_limit("=3m").unwrap_err().contains("id is missing"));
        assert!(
            parse_limit("a=3x")
                .unwrap_err()
                .contains("expected a duration")
        );
        assert_eq!(parse_scale("0.8"), Ok(0.8));
        assert!(parse_scale("5").unwrap_err().contains("from 0.25 to 4"));
        assert!(
            parse_scale("fast")
                .unwrap_err()
                .contains("expected a number")
        );
    }

    #[test]
    fn review_defaults_to_the_list() {
        let cli = Cli::try_parse_from(["rehearse", "review", "-n", "3", "--json"]).unwrap();
        let Command::Review(args) = cli.command else {
            panic!("not review")
        };
        assert!(args.command.is_none());
        assert_eq!((args.list.limit, args.list.json), (Some(3), true));
        assert!(Cli::try_parse_from(["rehearse", "review", "-n", "3", "stats"]).is_err());
        assert!(Cli::try_parse_from(["rehearse", "review", "--since", "yesterday"]).is_err());
        assert!(Cli::try_parse_from(["rehearse", "review", "export", "2", "--bank", "x"]).is_err());
    }

    #[test]
    fn gap_accepts_zero() {
        assert_eq!(
            crate::duration::parse_gap("0").unwrap(),
            std::time::Duration::ZERO
        );
        assert_eq!(
            crate::duration::parse_gap("0s").unwrap(),
            std::time::Duration::ZERO
        );
        assert_eq!(crate::duration::parse_gap("2s").unwrap().as_secs(), 2);
        assert!(crate::duration::parse_gap("x").is_err());
    }
}
