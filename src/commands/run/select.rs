//! Which questions a run asks: from the selection flags, or from the person's history
//! (`--weakest N`, `--due`), with a line saying why.

use std::path::Path;

use anyhow::Context;
use chrono::Local;

use crate::bank::Bank;
use crate::exit::UsageError;
use crate::plan::{self, Pick, Selection};
use crate::settings::{Drill, RunSettings};

/// The selection and pick of the flags. A name that is not in the bank is a usage error
/// listing the valid ones.
pub fn choose(settings: &RunSettings, bank: &Bank) -> Result<(Selection, Pick), UsageError> {
    let usage = |e: plan::SelectError| UsageError(e.to_string());
    let selection = if !settings.questions.is_empty() {
        Selection::Listed(plan::resolve_questions(bank, &settings.questions).map_err(usage)?)
    } else if settings.all {
        Selection::All
    } else {
        Selection::Random {
            count: settings.count.value,
        }
    };
    let pick = Pick {
        categories: plan::resolve_categories(bank, &settings.categories).map_err(usage)?,
        shuffle: settings.shuffle,
        follow_ups: settings.follow_ups,
    };
    Ok((selection, pick))
}

/// What a drill picked.
pub struct Drilled {
    pub ids: Vec<String>,
    /// One line saying how they were picked.
    pub note: String,
    /// Why each was picked, by id, when there is more to say than the note.
    pub why: Vec<(String, String)>,
}

/// The questions `drill` picks from the history in `dir`, within the `--category` choice,
/// and why.
pub fn drill(
    drill: Drill,
    bank: &Bank,
    pick: &Pick,
    dir: &Path,
    count: usize,
) -> anyhow::Result<Drilled> {
    let ids: Vec<&str> = bank
        .questions
        .iter()
        .filter(|q| pick.categories.is_empty() || pick.categories.contains(&q.category))
        .map(|q| q.id.as_str())
        .collect();
    let today = Local::now().date_naive();
    if let Drill::Weakest(n) = drill {
        let history: Vec<_> = crate::history::attempts(dir)
            .with_context(|| format!("cannot read your history in {}", dir.display()))?
            .into_iter()
            .filter(|a| a.bank == bank.key)
            .collect();
        let weakest = crate::drill::weakest(&ids, &history, n, today);
        let scores: Vec<String> = weakest
            .iter()
            .map(|(id, w)| format!("{id} {:.2}", w.score))
            .collect();
        return Ok(Drilled {
            ids: weakest.iter().map(|(id, _)| id.to_string()).collect(),
            note: format!("weakest first, by score: {}", scores.join(", ")),
            why: weakest
                .iter()
                .map(|(id, w)| (id.to_string(), format!("picked: {}", w.why())))
                .collect(),
        });
    }
    let schedule =
        crate::history::load_schedule(dir, &mut |warning| eprintln!("rehearse: {warning}"))?;
    let mut due = schedule.due(&bank.key, &ids, today);
    due.truncate(count);
    let note = if due.is_empty() {
        match schedule.next_due(&bank.key, &ids) {
            Some(day) => format!("Nothing is due today; the next question is due on {day}."),
            None => "Nothing is due today.".to_string(),
        }
    } else {
        let new = due
            .iter()
            .filter(|id| schedule.card(&bank.key, id).is_none())
            .count();
        match (due.len() - new, new) {
            (0, new) => format!(
                "none due yet; {} never practised, in bank order",
                crate::present::questions(new)
            ),
            (old, 0) => format!(
                "{} due by spaced repetition, most overdue first",
                crate::present::questions(old)
            ),
            (old, new) => format!(
                "{old} due by spaced repetition (most overdue first), then {new} never practised"
            ),
        }
    };
    Ok(Drilled {
        ids: due.into_iter().map(str::to_string).collect(),
        note,
        why: Vec::new(),
    })
}
