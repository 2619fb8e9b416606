//! `rehearse config`: where the config file is, what every setting resolves to and why,
//! and a commented starter file.

use std::io::Write;

use anyhow::Context;

use crate::cli::{ConfigAction, ConfigArgs};
use crate::config::{self, ConfigFile, TEMPLATE};
use crate::exit::{self, UsageError};
use crate::paths::Paths;
use crate::settings::RunSettings;

pub fn run(args: ConfigArgs, file: &ConfigFile) -> anyhow::Result<u8> {
    let path = file.path.clone();
    let mut out = std::io::stdout().lock();
    match args.action.unwrap_or(ConfigAction::Show) {
        ConfigAction::Path => {
            let path =
                path.context("no home folder to keep a config file in; set REHEARSE_CONFIG")?;
            writeln!(out, "{}", path.display())?;
        }
        ConfigAction::Show => {
            let config = file.get()?;
            let settings = RunSettings::resolve(None, config, &Paths::from_env());
            match (&path, &config.path) {
                (Some(p), Some(_)) => writeln!(out, "config file: {}", p.display())?,
                (Some(p), None) => writeln!(
                    out,
                    "config file: {} (not there yet: built-in defaults; `rehearse config init` writes one)",
                    p.display()
                )?,
                (None, _) => writeln!(
                    out,
                    "config file: none (no home folder; set REHEARSE_CONFIG)"
                )?,
            }
            let mut rows = settings.rows();
            rows.extend(settings.transcription.rows());
            rows.push(color_row(config));
            let on = crate::color::stdout();
            let key_width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
            let value_width = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
            for (key, value, origin) in rows {
                let key = crate::color::bold(&format!("{key:<key_width$}"), on);
                writeln!(out, "{key}  {value:<value_width$}  {origin}")?;
            }
        }
        ConfigAction::Init { force } => {
            let path =
                path.context("no home folder to keep a config file in; set REHEARSE_CONFIG")?;
            if path.exists() && !force {
                return Err(UsageError(format!(
                    "{} already exists; edit it, or pass --force to replace it",
                    path.display()
                ))
                .into());
            }
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            std::fs::write(&path, TEMPLATE)
                .with_context(|| format!("cannot write {}", path.display()))?;
            writeln!(out, "wrote {}", path.display())?;
        }
    }
    Ok(exit::SUCCESS)
}

/// `color` as `--color`, the environment and the config file decide it; `auto` is then up
/// to each stream being a terminal.
fn color_row(config: &config::Config) -> (&'static str, String, String) {
    let env = crate::color::ColorEnv::from_env();
    let (choice, decider) = crate::color::choose(crate::color::flag(), config.color.as_ref(), env);
    let value = match choice {
        crate::color::ColorChoice::Auto => "auto (on a terminal)".to_string(),
        other => other.name().to_string(),
    };
    ("color", value, decider.to_string())
}
