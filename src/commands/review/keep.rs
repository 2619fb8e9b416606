//! `rehearse review keep`: the person chooses which take of a recorded answer counts.
//! The choice is one `take_kept` record added to the session's own log, so every reader
//! of the log (stats, exports, the report, the drill) sees it; nothing else is changed.

use anyhow::{Context, anyhow};
use chrono::{Local, SecondsFormat};

use crate::cli::KeepArgs;
use crate::exit::{SUCCESS, UsageError};
use crate::log::{AppendError, Body, Record, TakeKept, append_to};
use crate::text::sanitize;

use super::super::logs::{emit, log_dir};

pub fn run(args: KeepArgs, config: &crate::config::ConfigFile) -> anyhow::Result<u8> {
    let dir = log_dir(&args.log_dir, config)?;
    let session = super::pick(Some(&args.session), &dir)?;
    let name = match session.number {
        Some(n) => format!("session {n}"),
        None => sanitize(&session.file),
    };
    let n = args.answer;
    let question = super::answer(&session, n, &name)?;
    if !question.recorded() {
        return Err(anyhow!(
            "answer {n} of {name} was not recorded: there is no take to keep"
        ));
    }
    if !question.recorded_takes().any(|t| t.take == args.take) {
        let numbers: Vec<String> = question
            .recorded_takes()
            .map(|t| t.take.to_string())
            .collect();
        return Err(UsageError(format!(
            "answer {n} of {name} has no take {}: its takes are {}",
            args.take,
            numbers.join(", ")
        ))
        .into());
    }
    let id = sanitize(&question.id);
    if question.counted_take().map(|t| t.take) == Some(args.take) {
        emit(&format!(
            "take {} of answer {n} ({id}) already counts in {name}; nothing changed\n",
            args.take
        ))?;
        return Ok(SUCCESS);
    }
    let now = Local::now();
    // Milliseconds since the session started, as every record of the log has them; never
    // before the records already there.
    let since = (now.fixed_offset() - session.started)
        .num_milliseconds()
        .max(0) as u64;
    let record = Record {
        at: now.to_rfc3339_opts(SecondsFormat::Millis, false),
        t_ms: since.max(session.last_t_ms()),
        body: Body::TakeKept(TakeKept {
            index: question.index,
            take: args.take,
        }),
    };
    append_to(&session.path, &record)
        .map_err(|e| match e {
            AppendError::Busy => anyhow!(
                "{name} is still being written by a 'rehearse run': keep a take once it has ended"
            ),
            AppendError::Io(e) => anyhow::Error::from(e),
        })
        .with_context(|| format!("cannot add the choice to {}", session.path.display()))?;
    emit(&format!(
        "take {} of answer {n} ({id}) now counts in {name}\n",
        args.take
    ))?;
    Ok(SUCCESS)
}
