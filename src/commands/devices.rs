//! `rehearse devices`: the sound devices this computer has, inputs (for `--record` and
//! `--input-device`) and outputs (for the cues), with the system's default marked.

use std::io::Write;

use rodio::cpal::traits::HostTrait;

use crate::text::sanitize;

pub fn run() -> anyhow::Result<u8> {
    // alsa-lib prints its own complaints about devices it probes; they are not ours to show.
    #[cfg(target_os = "linux")]
    let _alsa_messages = alsa::Output::local_error_handler().ok();
    let host = rodio::cpal::default_host();
    let inputs: Vec<(String, String)> = rodio::microphone::available_inputs()
        .map(|inputs| {
            inputs
                .into_iter()
                .filter_map(|i| crate::audio::describe(&i.into_inner()))
                .filter(|(name, _)| !not_a_device(name))
                .collect()
        })
        .unwrap_or_default();
    let outputs: Vec<(String, String)> = host
        .output_devices()
        .map(|devices| {
            devices
                .filter_map(|d| crate::audio::describe(&d))
                .filter(|(name, _)| !not_a_device(name))
                .collect()
        })
        .unwrap_or_default();
    let default_input = host
        .default_input_device()
        .and_then(|d| crate::audio::describe(&d));
    let default_output = host
        .default_output_device()
        .and_then(|d| crate::audio::describe(&d));
    let mut out = std::io::stdout().lock();
    for (title, devices, default, none) in [
        (
            "Input devices (rehearse run --record --input-device NAME):",
            inputs,
            default_input,
            "none: --record cannot record here",
        ),
        (
            "Output devices (the cues):",
            outputs,
            default_output,
            "none: cues are shown on screen only",
        ),
    ] {
        writeln!(out, "{title}")?;
        let mut listed = devices;
        // The system's default is often not among the devices it lists.
        if let Some(default) = &default
            && !listed.iter().any(|(name, _)| *name == default.0)
        {
            listed.insert(0, default.clone());
        }
        if listed.is_empty() {
            writeln!(out, "  ({none})")?;
        }
        let rows: Vec<(String, &str)> = listed
            .iter()
            .map(|(name, about)| {
                let mark = if Some(name) == default.as_ref().map(|d| &d.0) {
                    " (default)"
                } else {
                    ""
                };
                (format!("{}{mark}", sanitize(name)), about.as_str())
            })
            .collect();
        let width = rows
            .iter()
            .map(|(n, _)| n.chars().count())
            .max()
            .unwrap_or(0);
        for (name, about) in rows {
            writeln!(out, "  {name:<width$}  {}", sanitize(about))?;
        }
    }
    Ok(crate::exit::SUCCESS)
}

/// ALSA lists its helper plugins beside the devices: rate converters, channel mixers and
/// the device that discards everything. Nobody records from or plays to those by name.
fn not_a_device(name: &str) -> bool {
    const HELPERS: [&str; 7] = [
        "lavrate",
        "samplerate",
        "speexrate",
        "speex",
        "upmix",
        "vdownmix",
        "null",
    ];
    HELPERS.contains(&name)
}
