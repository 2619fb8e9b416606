//! `rehearse review play`: the recorded answers of one session, through the output the
//! cues use. Each answer is introduced by its question; on a terminal a bar shows the
//! position and keys pause, jump, skip, stop and suspend; without one it just plays. A
//! recording that is missing or damaged is named in one line and the rest still play. A
//! take cut off with its session (never logged) is found by its file. Signals end it as
//! they end a session: the terminal is given back, the exit code says which one.

use std::io::{self, IsTerminal, Write};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, anyhow};
use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::audio::{Clip, Playback};
use crate::cli::PlayArgs;
use crate::duration::clock;
use crate::exit::{FAILURE, INTERRUPTED, SUCCESS, UsageError};
use crate::review::{CutTake, QuestionRecord, SessionSummary};
use crate::signals::Watch;
use crate::text::sanitize;

use super::super::logs::{log_dir, note};

/// How far Left and Right jump.
const JUMP: Duration = Duration::from_secs(5);

/// How often the bar moves and keys and signals are looked at.
const TICK: Duration = Duration::from_millis(50);

/// Silence between two answers, so one is not heard running into the next.
const BETWEEN: Duration = Duration::from_millis(700);

/// How long the end of the last answer may take to leave the device.
const TAIL_WAIT: Duration = Duration::from_secs(1);

/// One take of an answer, logged or found.
#[derive(Debug, Clone, Copy)]
struct TakeRef<'a> {
    take: u32,
    /// The recording, relative to the log's folder; none when it was not kept.
    file: Option<&'a str>,
    /// Cut off with the session: its file is there, its record is not.
    cut: bool,
}

/// One answer to play: its question and the take.
struct Item<'a> {
    question: &'a QuestionRecord,
    take: TakeRef<'a>,
    /// How many takes the answer has.
    of: usize,
    counts: bool,
}

/// What the person asked for while an answer played.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    /// It played to its end, or `n`.
    Next,
    /// `q`: no more answers.
    Stop,
    /// Ctrl-C.
    Interrupt,
    /// A signal (SIGTERM, SIGHUP, SIGINT from outside).
    Signal(i32),
}

pub fn run(args: PlayArgs, config: &crate::config::ConfigFile) -> anyhow::Result<u8> {
    let dir = log_dir(&args.log_dir, config)?;
    let session = super::pick(args.session.as_deref(), &dir)?;
    let cut = super::cut_takes(&session);
    let items = choose(&session, &cut, args.answer, args.take)?;
    let volume = crate::settings::playback_volume(args.volume, config.get()?).value;
    let folder = session
        .path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let signals = crate::signals::watch().context("cannot watch for Ctrl-C")?;

    let mut playback = Playback::open().map_err(|reason| {
        anyhow!("no audio output device, so the recordings cannot be played ({reason})")
    })?;
    let interactive = io::stdin().is_terminal() && io::stdout().is_terminal();
    // Wrapped at words to the terminal's width; a pipe gets whole lines.
    let width = io::stdout()
        .is_terminal()
        .then(|| crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w)))
        .map(|w| w.saturating_sub(1).max(20));
    let guard = if interactive {
        Some(crate::terminal::RawGuard::enter()?)
    } else {
        None
    };
    let mut out = io::stdout();
    if interactive {
        writeln!(
            out,
            "Space pause · ←/→ {} s · n next answer · q stop",
            JUMP.as_secs()
        )?;
    }
    let mut failed = 0;
    let mut ended = Ended::Next;
    for (n, item) in items.iter().enumerate() {
        if let Some(signal) = signals.ending() {
            ended = Ended::Signal(signal);
            break;
        }
        let title = heading(item, n + 1, items.len(), &session);
        writeln!(out, "\n{}", wrap(&title, width))?;
        writeln!(out, "{}", wrap(&sanitize(&item.question.text), width))?;
        out.flush()?;
        let clip = recording(&folder, item.take).and_then(|path| {
            Clip::open(&path, f32::from(volume) / 100.0)
                .map_err(|e| format!("{}: {e}", sanitize(&path.display().to_string())))
        });
        let clip = match clip {
            Ok(clip) => clip,
            Err(problem) => {
                failed += 1;
                if interactive {
                    // Raw mode leaves the cursor where it was: start the line at its left.
                    let _ = io::stderr().write_all(b"\r");
                }
                note(&problem);
                continue;
            }
        };
        if n > 0 {
            std::thread::sleep(BETWEEN);
        }
        playback.start(clip);
        ended = if interactive {
            play_with_keys(&playback, &signals)?
        } else {
            play_through(&playback, &signals)
        };
        if playback.failed() {
            drop(guard);
            return Err(anyhow!("the audio device stopped working"));
        }
        if ended != Ended::Next {
            playback.stop();
            break;
        }
    }
    if let Some(signal) = signals.ending() {
        ended = Ended::Signal(signal);
    }
    if !matches!(ended, Ended::Signal(_)) {
        playback.finish(TAIL_WAIT);
    }
    drop(guard);
    Ok(match ended {
        Ended::Signal(signal) => 128 + signal as u8,
        Ended::Interrupt => INTERRUPTED,
        _ if failed > 0 => FAILURE,
        _ => SUCCESS,
    })
}

/// Every take of an answer that has a recording to play, in order: recorded, or cut off
/// with the session.
fn takes_of<'a>(question: &'a QuestionRecord, cut: &'a [CutTake]) -> Vec<TakeRef<'a>> {
    question
        .takes
        .iter()
        .filter_map(|t| match &t.spoken {
            Some(spoken) => Some(TakeRef {
                take: t.take,
                file: spoken.file.as_deref(),
                cut: false,
            }),
            None => cut
                .iter()
                .find(|c| c.index == question.index && c.take == t.take)
                .map(|c| TakeRef {
                    take: t.take,
                    file: Some(&c.file),
                    cut: true,
                }),
        })
        .collect()
}

/// The take that plays when none is named: the one that counts, else the last one that
/// has a recording.
fn default_take<'a>(question: &QuestionRecord, takes: &[TakeRef<'a>]) -> Option<TakeRef<'a>> {
    let counted = question.counted_take().map(|t| t.take);
    takes
        .iter()
        .find(|t| Some(t.take) == counted)
        .or(takes.last())
        .copied()
}

/// The answers to play, with the take of each.
fn choose<'a>(
    session: &'a SessionSummary,
    cut: &'a [CutTake],
    answer: Option<u64>,
    take: Option<u32>,
) -> anyhow::Result<Vec<Item<'a>>> {
    let name = session_name(session);
    let item = |question: &'a QuestionRecord, take: TakeRef<'a>, of: usize| Item {
        question,
        counts: question.counted_take().map(|t| t.take) == Some(take.take),
        take,
        of,
    };
    let Some(n) = answer else {
        let items: Vec<Item> = session
            .questions
            .iter()
            .filter_map(|q| {
                let takes = takes_of(q, cut);
                Some(item(q, default_take(q, &takes)?, takes.len()))
            })
            .collect();
        if items.is_empty() {
            return Err(anyhow!(
                "{name} has no recorded answers: record them with 'rehearse run --record'"
            ));
        }
        return Ok(items);
    };
    let question = super::answer(session, n, &name)?;
    let takes = takes_of(question, cut);
    if takes.is_empty() {
        return Err(anyhow!("answer {n} of {name} was not recorded"));
    }
    let chosen = match take {
        None => default_take(question, &takes),
        Some(t) => takes.iter().find(|k| k.take == t).copied(),
    };
    let Some(chosen) = chosen else {
        let numbers: Vec<String> = takes.iter().map(|t| t.take.to_string()).collect();
        return Err(UsageError(format!(
            "answer {n} of {name} has no take {}: its takes are {}",
            take.unwrap_or_default(),
            numbers.join(", ")
        ))
        .into());
    };
    Ok(vec![item(question, chosen, takes.len())])
}

fn session_name(session: &SessionSummary) -> String {
    match session.number {
        Some(n) => format!("session {n}"),
        None => sanitize(&session.file),
    }
}

/// `Answer 2 (2 of 3) · retention-schedule · take 1 of 2 (counts)`
fn heading(item: &Item, n: usize, of: usize, session: &SessionSummary) -> String {
    let q = item.question;
    let mut line = if of > 1 {
        format!("Answer {} ({n} of {of}) · {}", q.index, sanitize(&q.id))
    } else {
        format!("Answer {} · {}", q.index, sanitize(&q.id))
    };
    if item.of > 1 {
        line.push_str(&format!(" · take {} of {}", item.take.take, item.of));
        if item.counts {
            line.push_str(" (counts)");
        }
    }
    if item.take.cut {
        line.push_str(" · cut off with the session, not measured");
    }
    if of == 1 {
        line.push_str(&format!(" · {}", session_name(session)));
    }
    line
}

/// Wrapped at words to `width`, never inside one unless it is longer than a line.
fn wrap(text: &str, width: Option<usize>) -> String {
    match width {
        Some(width) => textwrap::fill(
            text,
            textwrap::Options::new(width).word_splitter(textwrap::WordSplitter::NoHyphenation),
        ),
        None => text.to_string(),
    }
}

/// Where a take's recording is. Its name comes from the log: only a path inside the log's
/// folder is followed.
fn recording(folder: &Path, take: TakeRef) -> Result<PathBuf, String> {
    let Some(file) = take.file else {
        return Err(format!(
            "take {} has no recording: it could not be written to the disk during the session \
             (the session said why at the time)",
            take.take
        ));
    };
    let relative = Path::new(file);
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return Err(format!(
            "{}: not a recording inside the log folder; it is not played",
            sanitize(file)
        ));
    }
    Ok(folder.join(relative))
}

/// Without a terminal: wait for the end, or a signal.
fn play_through(playback: &Playback, signals: &Watch) -> Ended {
    while !playback.done() && !playback.failed() {
        if let Some(signal) = signals.ending() {
            return Ended::Signal(signal);
        }
        std::thread::sleep(TICK);
    }
    Ended::Next
}

/// The bar of the position, drawn on the line below what is on screen.
fn new_bar(playback: &Playback) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        Some(playback.length().map_or(0, |l| l.as_millis() as u64)),
        ProgressDrawTarget::stdout(),
    );
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {msg}")
            .expect("the bar's template is valid")
            .progress_chars("█▓░"),
    );
    bar
}

/// On a terminal: a bar of the position, and the keys.
fn play_with_keys(playback: &Playback, signals: &Watch) -> io::Result<Ended> {
    let show = |bar: &ProgressBar| {
        let at = playback.position();
        let state = if playback.paused() { " · paused" } else { "" };
        match playback.length() {
            Some(length) => {
                bar.set_position(at.as_millis() as u64);
                bar.set_message(format!("{} / {}{state}", clock(at), clock(length)));
            }
            None => bar.set_message(format!("{}{state}", clock(at))),
        }
    };
    let mut bar = new_bar(playback);
    show(&bar);
    let ended = loop {
        if playback.done() || playback.failed() {
            break Ended::Next;
        }
        if let Some(signal) = signals.ending() {
            break Ended::Signal(signal);
        }
        if signals.continued() {
            // Stopped from outside and continued (`fg`): the shell may have put the
            // terminal back in line mode.
            crate::terminal::resume();
        }
        if event::poll(TICK)?
            && let Event::Key(key) = event::read()?
            && key.kind != KeyEventKind::Release
        {
            let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
            match key.code {
                KeyCode::Char('c') if ctrl => break Ended::Interrupt,
                KeyCode::Char('z') if ctrl => {
                    // Stopped like any job, paused meanwhile; back at `fg` with a new bar
                    // below what the shell printed.
                    if !playback.paused() {
                        playback.toggle_pause();
                    }
                    show(&bar);
                    bar.abandon();
                    crate::terminal::suspend();
                    bar = new_bar(playback);
                }
                KeyCode::Char('q') | KeyCode::Esc => break Ended::Stop,
                KeyCode::Char('n') | KeyCode::Enter => break Ended::Next,
                KeyCode::Char(' ') | KeyCode::Char('p') => playback.toggle_pause(),
                KeyCode::Left => playback.jump(true, JUMP),
                KeyCode::Right => playback.jump(false, JUMP),
                _ => {}
            }
        }
        show(&bar);
    };
    show(&bar);
    bar.abandon();
    Ok(ended)
}
