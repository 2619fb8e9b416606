//! `rehearse sounds`: which sound each cue uses, and playing them so a person can check
//! their speakers before an interview.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use crate::audio::{AudioOut, Cue, CueSounds, Notice, SoundSource};
use crate::cli::{SoundsAction, SoundsArgs};
use crate::exit;

/// Decodes every cue at `volume` (0-100), with replacements from `dir`.
pub fn load(dir: Option<&Path>, volume: u8) -> Result<CueSounds, crate::audio::SoundError> {
    CueSounds::load(dir, f32::from(volume) / 100.0)
}

pub fn run(args: SoundsArgs) -> anyhow::Result<u8> {
    let config = crate::config::load(crate::config::default_path().as_deref())?;
    let (dir, volume) = crate::settings::sound_settings(Some(&args.options), &config);
    let sounds = load(dir.value.as_deref(), volume.value)?;
    let mut out = std::io::stdout().lock();
    match args.action.unwrap_or(SoundsAction::List) {
        SoundsAction::List => {
            for cue in Cue::ALL {
                let source = match sounds.source(cue) {
                    SoundSource::Builtin => "built-in".to_string(),
                    SoundSource::File(path) => path.display().to_string(),
                };
                let length = sounds.duration(cue).as_millis();
                writeln!(
                    out,
                    "{:<8} {:<26} {:>4} ms  {source}",
                    cue.name(),
                    cue.meaning(),
                    length
                )?;
            }
            Ok(exit::SUCCESS)
        }
        SoundsAction::Play { cue } => {
            let cues: Vec<Cue> = cue.map_or_else(|| Cue::ALL.to_vec(), |c| vec![c]);
            let audio = AudioOut::open(sounds.clone(), Duration::ZERO);
            match audio.wait_notice(Duration::from_secs(5)) {
                Some(Notice::Ready) => {}
                Some(notice) => {
                    let reason = match &notice {
                        Notice::NoDevice(r) | Notice::Failed(r) => r.clone(),
                        Notice::Ready => String::new(),
                    };
                    anyhow::bail!("no audio output device, so nothing can be played ({reason})");
                }
                None => anyhow::bail!("the audio device did not open within 5 seconds"),
            }
            for cue in cues {
                writeln!(out, "{:<8} {}", cue.name(), cue.meaning())?;
                out.flush()?;
                audio.play(cue);
                // One at a time, with a breath between, so each can be told apart.
                std::thread::sleep(sounds.duration(cue) + Duration::from_millis(600));
            }
            audio.finish(Duration::from_secs(2));
            Ok(exit::SUCCESS)
        }
    }
}
