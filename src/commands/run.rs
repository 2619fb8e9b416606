//! `rehearse run`: prepares a session (resolved settings, bank, plan, sounds) and hands it
//! to the runner; `--dry-run` shows the plan instead. Nothing here reads a raw flag after
//! the settings are resolved.

mod select;
mod session;

use std::io::Write;

use crate::bank;
use crate::cli::RunArgs;
use crate::config;
use crate::exit::{self, UsageError};
use crate::paths::Paths;
use crate::plan::{self, PlanOptions, Selection};
use crate::present::plan_table;
use crate::settings::RunSettings;

pub fn run(args: RunArgs) -> anyhow::Result<u8> {
    let paths = Paths::from_env();
    let config = config::load(config::default_path().as_deref())?;
    let settings = RunSettings::resolve(Some(&args), &config, &paths);
    drop(args);
    let opened = bank::open(&settings.bank.value, paths.banks.as_deref())?;
    if let Some(report) = &opened.report {
        super::tell_import(report);
    }
    let bank = opened.bank;
    plan::check_limit_ids(&bank, &settings.times).map_err(UsageError)?;
    let (mut selection, pick) = select::choose(&settings, &bank)?;
    let mut drill_note = None;
    if let Some(drill) = settings.drill {
        let dir = settings.log_dir.value.clone().or(paths.sessions.clone());
        let dir = dir.ok_or_else(|| anyhow::anyhow!("no log folder to read your history from"))?;
        let (ids, note) = select::drill(drill, &bank, &pick, &dir, settings.count.value)?;
        if ids.is_empty() {
            println!("{note}");
            return Ok(exit::SUCCESS);
        }
        selection = Selection::Listed(ids);
        drill_note = Some(note);
    }
    let seed = settings
        .seed
        .unwrap_or_else(|| rand::random_range(0..1_000_000));
    let asked = match &selection {
        Selection::Random { count } => Some(*count),
        _ => None,
    };
    let plan = plan::make_plan(
        &bank,
        &PlanOptions {
            selection,
            seed,
            times: settings.times.clone(),
            pick,
        },
    );
    if let Some(count) = asked.filter(|&n| n > plan.questions.len()) {
        eprintln!(
            "rehearse: {count} questions asked for, but only {} to choose from: asking all of them",
            plan.questions.len()
        );
    }

    if settings.dry_run {
        let mut out = std::io::stdout().lock();
        write!(
            out,
            "{}",
            plan_table(&bank.name, &plan, settings.time_scale.value, false)
        )?;
        if let Some(note) = &drill_note {
            writeln!(out, "{note}")?;
        }
        writeln!(
            out,
            "seed {seed}: `--seed {seed}` asks these questions again"
        )?;
        return Ok(exit::SUCCESS);
    }

    // Sounds are decoded now, so a broken replacement file stops us before any question.
    let sounds = super::sounds::load(settings.sounds_dir.value.as_deref(), settings.volume.value)?;
    if settings.log_dir.value.is_none() && settings.log_dir.origin != crate::settings::Origin::Flag
    {
        return Err(UsageError(
            "no folder for session logs: set REHEARSE_LOG_DIR or pass --log-dir (or --no-log)"
                .into(),
        )
        .into());
    }
    session::run(session::Prepared {
        settings: &settings,
        bank: &bank,
        plan: &plan,
        sounds,
        config: config.path.as_deref(),
    })
}
