//! `rehearse sounds`: which sound each cue uses and which voice reads the questions, and
//! playing them so a person can check their speakers (and the voice) before an interview.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use rodio::Source;

use crate::audio::{AudioOut, Cue, CueSounds, Notice, SoundSource, Speech, SpeechControl};
use crate::cli::{SoundsAction, SoundsArgs};
use crate::exit;
use crate::voice::{self, VoiceChoice};

/// The exit code of a command a signal ended: 128 and the signal, as a shell reports it.
fn ended_by(signals: &crate::signals::Watch) -> u8 {
    signals
        .ending()
        .map_or(exit::INTERRUPTED, |n| 128 + n as u8)
}

/// Decodes every cue at `volume` (0-100), with replacements from `dir`.
pub fn load(dir: Option<&Path>, volume: u8) -> Result<CueSounds, crate::audio::SoundError> {
    CueSounds::load(dir, f32::from(volume) / 100.0)
}

pub fn run(args: SoundsArgs, config: &crate::config::ConfigFile) -> anyhow::Result<u8> {
    let config = config.get()?;
    let (dir, volume) = crate::settings::sound_settings(Some(&args.options), config);
    let sounds = load(dir.value.as_deref(), volume.value)?;
    let choice = crate::settings::voice_settings(Some(&args.voice), config).choice();
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
            writeln!(
                out,
                "{:<8} {:<26}           {}",
                "voice",
                "reads questions (--speak)",
                voice_status(&choice)
            )?;
            Ok(exit::SUCCESS)
        }
        SoundsAction::Say { text } => {
            let text = crate::text::sanitize(&text.join(" "));
            // A signal ends the voice's program and removes its files, then the command.
            let signals = crate::signals::watch()?;
            let stop = || signals.ending().is_some();
            let wav = match voice::render(&choice, &text, voice::TIMEOUT, &stop) {
                Err(voice::VoiceError::Stopped) => return Ok(ended_by(&signals)),
                rendered => rendered?,
            };
            let speech = crate::audio::decode_speech(wav, f32::from(volume.value) / 100.0)
                .map_err(|reason| {
                    anyhow::anyhow!(
                        "{} wrote no sound that can be played ({reason})",
                        choice.program()
                    )
                })?;
            let length = speech.total_duration().unwrap_or_default();
            let audio = open_device(&sounds)?;
            writeln!(out, "{}: {:.1} s", choice.describe(), length.as_secs_f64())?;
            out.flush()?;
            let speaker = audio.speaker();
            let control = SpeechControl::default();
            speaker.say(Speech::new(speech, control.clone(), Box::new(|_| {})));
            drop(speaker);
            // Played out to the end, then a moment of silence so the device's buffer
            // empties before it closes; a signal stops it there.
            let finishing = std::thread::spawn(move || {
                audio.finish(length + Duration::from_secs(3));
            });
            while !finishing.is_finished() {
                if signals.ending().is_some() {
                    control.stop();
                    return Ok(ended_by(&signals));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Ok(exit::SUCCESS)
        }
        SoundsAction::Play { cue } => {
            let cues: Vec<Cue> = cue.map_or_else(|| Cue::ALL.to_vec(), |c| vec![c]);
            let audio = open_device(&sounds)?;
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

/// Opens the output device and waits for it, or says why it cannot be used.
fn open_device(sounds: &CueSounds) -> anyhow::Result<AudioOut> {
    let audio = AudioOut::open(sounds.clone(), Duration::ZERO);
    match audio.wait_notice(Duration::from_secs(5)) {
        Some(Notice::Ready) => Ok(audio),
        Some(Notice::NoDevice(reason) | Notice::Failed(reason)) => {
            anyhow::bail!("no audio output device, so nothing can be played ({reason})")
        }
        None => anyhow::bail!("the audio device did not open within 5 seconds"),
    }
}

/// The voice in use and whether its program is there.
fn voice_status(choice: &VoiceChoice) -> String {
    let describe = choice.describe();
    match choice.find_program() {
        Some(path) => format!("{describe} ({})", path.display()),
        None if choice.program() == voice::ESPEAK => {
            format!("{describe}: not installed (on Debian or Ubuntu: apt-get install espeak-ng)")
        }
        None => format!("{describe}: {} is not on PATH", choice.program()),
    }
}
