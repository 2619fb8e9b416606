//! `rehearse devices`: the sound devices this computer has, inputs (for `--record` and
//! `--input-device`) and outputs (for the cues), with the system's default marked.

use std::io::Write;

use rodio::cpal::traits::{DeviceTrait, HostTrait};

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
                .filter_map(|i| describe(&i.into_inner()))
                .collect()
        })
        .unwrap_or_default();
    let outputs: Vec<(String, String)> = host
        .output_devices()
        .map(|devices| devices.filter_map(|d| describe(&d)).collect())
        .unwrap_or_default();
    let default_input = host.default_input_device().and_then(|d| describe(&d));
    let default_output = host.default_output_device().and_then(|d| describe(&d));
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
        for (name, about) in &listed {
            let mark = if Some(name) == default.as_ref().map(|d| &d.0) {
                " (default)"
            } else {
                ""
            };
            writeln!(out, "  {}{mark}  {}", sanitize(name), sanitize(about))?;
        }
    }
    Ok(crate::exit::SUCCESS)
}

/// A device's name as `--input-device` takes it (`pulse`), and what it says it is.
pub fn describe(device: &rodio::cpal::Device) -> Option<(String, String)> {
    let id = device.id().ok()?.to_string();
    // One host per platform: its prefix (`alsa:`) says nothing to the person.
    let name = id
        .split_once(':')
        .map_or(id.as_str(), |(_, n)| n)
        .to_string();
    let about = device
        .description()
        .ok()
        .map(|d| d.name().to_string())
        .unwrap_or_default();
    Some((name, about))
}
