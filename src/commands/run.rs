//! `rehearse run`: prepares a session (resolved settings, bank, plan, sounds) and hands it
//! to the runner; `--dry-run` shows the plan instead. Nothing here reads a raw flag after
//! the settings are resolved.

mod select;
mod session;

use std::io::Write;

use crate::bank;
use crate::cli::RunArgs;
use crate::config::ConfigFile;
use crate::exit::{self, UsageError};
use crate::paths::Paths;
use crate::plan::{self, PlanOptions, Selection};
use crate::present::{Under, plan_table};
use crate::settings::RunSettings;

pub fn run(args: RunArgs, config: &ConfigFile) -> anyhow::Result<u8> {
    let paths = Paths::from_env();
    let config = config.get()?;
    let settings = RunSettings::resolve(Some(&args), config, &paths);
    if settings.transcribe.value && !settings.record.value {
        return Err(UsageError(
            "--transcribe needs the answers recorded: leave out --no-record (or record = false in the config file)"
                .into(),
        )
        .into());
    }
    drop(args);
    let opened = bank::open(&settings.bank.value, paths.banks.as_deref())?;
    if let Some(report) = &opened.report {
        let more = format!(
            "'rehearse banks import {} --verbose' lists them all",
            settings.bank.value
        );
        super::tell_import(report, false, &more);
    }
    let bank = opened.bank;
    plan::check_limit_ids(&bank, &settings.times).map_err(UsageError)?;
    let (mut selection, pick) = select::choose(&settings, &bank)?;
    let mut drill_note = None;
    if let Some(drill) = settings.drill {
        let dir = settings.log_dir.value.clone().or(paths.sessions.clone());
        let dir = dir.ok_or_else(|| anyhow::anyhow!("no log folder to read your history from"))?;
        let drilled = select::drill(drill, &bank, &pick, &dir, settings.count.value)?;
        if drilled.ids.is_empty() {
            println!("{}", drilled.note);
            return Ok(exit::SUCCESS);
        }
        selection = Selection::Listed(drilled.ids.clone());
        drill_note = Some(drilled);
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
        dry_run(
            &bank.name,
            &plan,
            settings.time_scale.value,
            drill_note.as_ref(),
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

/// `--dry-run`: the plan as a table, with why each question was picked when a drill
/// picked them, and the seed that asks them again.
fn dry_run(
    title: &str,
    plan: &plan::Plan,
    scale: f64,
    drilled: Option<&select::Drilled>,
) -> std::io::Result<()> {
    // In plan order; a follow-up was not picked itself.
    let why: Vec<String> = plan
        .questions
        .iter()
        .map(|q| {
            drilled
                .iter()
                .flat_map(|d| &d.why)
                .find(|(id, _)| *id == q.id)
                .map(|(_, why)| why.clone())
                .unwrap_or_default()
        })
        .collect();
    let under = Under {
        why: &why,
        ..Under::default()
    };
    let mut out = std::io::stdout().lock();
    write!(out, "{}", plan_table(title, plan, scale, under))?;
    if let Some(drilled) = drilled {
        writeln!(out, "{}", drilled.note)?;
    }
    let seed = plan.seed;
    writeln!(
        out,
        "seed {seed}: `--seed {seed}` asks these questions again"
    )
}
