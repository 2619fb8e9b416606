//! `rehearse review play`: the recorded answers of one session, through the output the
//! cues use. Each answer is introduced by its question; on a terminal a bar shows the
//! position and keys pause, jump, skip and stop; without one it just plays. A recording
//! that is missing or damaged is named in one line and the rest still play.

use std::io::{self, IsTerminal, Write};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use anyhow::anyhow;
use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::audio::{Clip, Playback};
use crate::cli::PlayArgs;
use crate::duration::clock;
use crate::exit::{FAILURE, INTERRUPTED, SUCCESS, UsageError};
use crate::review::{QuestionRecord, SessionSummary, Take};
use crate::text::sanitize;

use super::super::logs::{log_dir, note};

/// How far Left and Right jump.
const JUMP: Duration = Duration::from_secs(5);

/// How often the bar moves and keys are looked at.
const TICK: Duration = Duration::from_millis(50);

/// Silence between two answers, so one is not heard running into the next.
const BETWEEN: Duration = Duration::from_millis(700);

/// How long the end of the last answer may take to leave the device.
const TAIL_WAIT: Duration = Duration::from_secs(1);

/// One answer to play: its question and the take.
struct Item<'a> {
    question: &'a QuestionRecord,
    take: &'a Take,
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
}

pub fn run(args: PlayArgs) -> anyhow::Result<u8> {
    let dir = log_dir(&args.log_dir)?;
    let session = super::pick(args.session.as_deref(), &dir)?;
    let items = choose(&session, args.answer, args.take)?;
    let config = crate::config::load(crate::config::default_path().as_deref())?;
    let volume = crate::settings::playback_volume(args.volume, &config).value;
    let folder = session
        .path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);

    let mut playback = Playback::open().map_err(|reason| {
        anyhow!("no audio output device, so the recordings cannot be played ({reason})")
    })?;
    let interactive = io::stdin().is_terminal() && io::stdout().is_terminal();
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
        writeln!(out, "\n{}", heading(item, n + 1, items.len(), &session))?;
        writeln!(out, "{}", sanitize(&item.question.text))?;
        out.flush()?;
        let clip = match recording(&folder, item.take) {
            Ok(path) => Clip::load(&path, f32::from(volume) / 100.0)
                .map_err(|e| format!("{}: {e}", sanitize(&path.display().to_string()))),
            Err(problem) => Err(problem),
        };
        let clip = match clip {
            Ok(clip) => clip,
            Err(problem) => {
                failed += 1;
                // Raw mode leaves the cursor where it was: start the line at its left.
                let _ = io::stderr().write_all(b"\r");
                note(&problem);
                continue;
            }
        };
        if n > 0 {
            std::thread::sleep(BETWEEN);
        }
        playback.start(&clip);
        ended = if interactive {
            play_with_keys(&playback)?
        } else {
            play_through(&playback)
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
    playback.finish(TAIL_WAIT);
    drop(guard);
    Ok(match ended {
        Ended::Interrupt => INTERRUPTED,
        _ if failed > 0 => FAILURE,
        _ => SUCCESS,
    })
}

/// The answers to play, with the take of each.
fn choose(
    session: &SessionSummary,
    answer: Option<u64>,
    take: Option<u32>,
) -> anyhow::Result<Vec<Item<'_>>> {
    let name = session_name(session);
    let Some(n) = answer else {
        let items: Vec<Item> = session
            .questions
            .iter()
            .filter_map(|q| {
                Some(Item {
                    question: q,
                    take: q.counted_take()?,
                })
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
    if question.takes.is_empty() {
        return Err(anyhow!("answer {n} of {name} was not recorded"));
    }
    let chosen = match take {
        None => question.counted_take(),
        Some(t) => question.takes.iter().find(|k| k.take == t),
    };
    let Some(chosen) = chosen else {
        let numbers: Vec<String> = question.takes.iter().map(|t| t.take.to_string()).collect();
        return Err(UsageError(format!(
            "answer {n} of {name} has no take {}: its takes are {}",
            take.unwrap_or_default(),
            numbers.join(", ")
        ))
        .into());
    };
    Ok(vec![Item {
        question,
        take: chosen,
    }])
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
    if q.takes.len() > 1 {
        line.push_str(&format!(" · take {} of {}", item.take.take, q.takes.len()));
        if q.counted_take().map(|t| t.take) == Some(item.take.take) {
            line.push_str(" (counts)");
        }
    }
    if of == 1 {
        line.push_str(&format!(" · {}", session_name(session)));
    }
    line
}

/// Where a take's recording is. Its name comes from the log: only a path inside the log's
/// folder is followed.
fn recording(folder: &Path, take: &Take) -> Result<PathBuf, String> {
    let Some(file) = &take.file else {
        return Err(format!(
            "take {} was not kept on disk (the session ran without a log)",
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

/// Without a terminal: wait for the end.
fn play_through(playback: &Playback) -> Ended {
    while !playback.done() && !playback.failed() {
        std::thread::sleep(TICK);
    }
    Ended::Next
}

/// On a terminal: a bar of the position, and the keys.
fn play_with_keys(playback: &Playback) -> io::Result<Ended> {
    let length = playback.length();
    let bar = ProgressBar::with_draw_target(
        Some(length.as_millis() as u64),
        ProgressDrawTarget::stdout(),
    );
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {msg}")
            .expect("the bar's template is valid")
            .progress_chars("█▓░"),
    );
    let show = |bar: &ProgressBar| {
        let at = playback.position();
        bar.set_position(at.as_millis() as u64);
        let state = if playback.paused() { " · paused" } else { "" };
        bar.set_message(format!("{} / {}{state}", clock(at), clock(length)));
    };
    show(&bar);
    let ended = loop {
        if playback.done() || playback.failed() {
            break Ended::Next;
        }
        if event::poll(TICK)?
            && let Event::Key(key) = event::read()?
            && key.kind != KeyEventKind::Release
        {
            let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
            match key.code {
                KeyCode::Char('c') if ctrl => break Ended::Interrupt,
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
