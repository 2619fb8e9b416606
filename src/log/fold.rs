//! One session folded record by record into a [`SessionSummary`]: the one fold that the
//! reader of old logs, the recap at the end of a session (fed by the log part as it
//! writes) and the practice history all use. Records may come in any order: an analysis
//! of a take appended after the session ended counts like one written during it.
//! Pure: records in, a summary out; no files.

use foldhash::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde::{Serialize, Serializer};

use super::record::{Body, SessionStarted};
use crate::answer::{Spoken, Transcript};
use crate::coach::SelfReview;
use crate::session::{Outcome, SessionOutcome};

/// Notes kept per session; more than this are counted, not listed.
const MAX_NOTES: usize = 5;

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    Completed,
    /// Ended early by the person.
    Aborted,
    /// The log stops without `session_ended`: a crash, a kill, a power cut.
    Interrupted,
    /// No `session_ended` yet, and its `rehearse run` is still writing it.
    InProgress,
}

impl Ending {
    pub fn label(self) -> &'static str {
        match self {
            Ending::Completed => "completed",
            Ending::Aborted => "aborted",
            Ending::Interrupted => "interrupted",
            Ending::InProgress => "in progress",
        }
    }
}

/// How much of each session to keep: counts are enough for a list; stats, show and export
/// need every question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Counts,
    Questions,
}

/// One session, as much as review needs of it.
#[derive(Debug, Clone, Serialize)]
pub struct SessionSummary {
    /// 1 = the newest readable session of the log folder. Given when the sessions are put
    /// in order (`read::order`), so it means the same whatever is filtered afterwards; a
    /// file read from elsewhere has none.
    pub number: Option<usize>,
    pub file: String,
    #[serde(serialize_with = "lossy_path")]
    pub path: PathBuf,
    /// When `session_started` was written, in the offset it was written with (the local
    /// time of the person practising).
    #[serde(serialize_with = "rfc3339")]
    pub started: DateTime<FixedOffset>,
    pub bank: Arc<str>,
    pub bank_key: Arc<str>,
    pub seed: u64,
    pub ending: Ending,
    /// From `session_ended`, or the last record's time for an interrupted session.
    pub total_ms: u64,
    pub counts: Counts,
    /// Every planned question in plan order; empty when read with [`Detail::Counts`].
    /// JSON output adds them with what the tables work out (`render`).
    #[serde(skip)]
    pub questions: Vec<QuestionRecord>,
    /// What was passed over while reading: a torn last line, records that are not JSON.
    pub notes: Vec<String>,
    #[serde(skip)]
    fold: FoldState,
}

/// What the fold needs to remember between records, and nothing a view shows.
#[derive(Debug, Clone, Default)]
struct FoldState {
    detail: Option<Detail>,
    last_t_ms: u64,
    ended: bool,
    extra_notes: usize,
    stray_index_noted: bool,
}

/// How the questions of a session went.
///
/// `answered` includes answers ended by the clock in hands-free mode (`time_up`, also
/// counted on its own): the person answered until the time ran out. `over_time` counts
/// answers that reached or passed their limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub planned: usize,
    pub answered: usize,
    pub time_up: usize,
    pub skipped: usize,
    /// Asked but not finished: the session was ended or cut off during the question.
    pub unfinished: usize,
    pub not_reached: usize,
    pub over_time: usize,
}

impl Counts {
    /// How the questions went, in the same words at a session's end and in review:
    /// `3 answered of 4 (1 over time, 2 ended by the clock), 1 skipped`.
    pub fn describe(&self) -> String {
        let mut out = format!("{} answered of {}", self.answered, self.planned);
        let mut within = Vec::new();
        if self.over_time > 0 {
            within.push(format!("{} over time", self.over_time));
        }
        if self.time_up > 0 {
            // Hands-free, the clock ends each answer: a full-length answer, not an overrun.
            within.push(format!("{} ended by the clock", self.time_up));
        }
        if !within.is_empty() {
            out.push_str(&format!(" ({})", within.join(", ")));
        }
        for (n, what) in [
            (self.skipped, "skipped"),
            (self.unfinished, "unfinished"),
            (self.not_reached, "not reached"),
        ] {
            if n > 0 {
                out.push_str(&format!(", {n} {what}"));
            }
        }
        out
    }
}

/// One planned question and what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionRecord {
    pub index: usize,
    pub id: Arc<str>,
    pub category: Arc<str>,
    pub text: Arc<str>,
    /// The limit in force at the end, after any `+`/`-`.
    pub limit_ms: u64,
    pub planned_limit_ms: u64,
    pub warn_ms: u64,
    pub asked: bool,
    /// `None` when the question never ended (not reached, or the log stops during it).
    pub result: Option<QuestionResult>,
    pub pauses: u32,
    /// Sum of `+`/`-` changes to the limit.
    pub adjusted_ms: i64,
    /// The time-up cue sounded.
    pub time_up_cue: bool,
    /// What the candidate said about the answer (rating, STAR checklist, note).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<SelfReview>,
    /// Every take of the answer, in order, with what was learnt of each. Shown when there
    /// was more than one or any was analysed.
    #[serde(skip_serializing_if = "plain_takes")]
    pub takes: Vec<Take>,
    /// The take the person chose to count (`review keep`); the last one counts otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept_take: Option<u32>,
}

/// One take of an answer: how long it ran, and its analyses, each arrived on its own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Take {
    pub take: u32,
    /// How long this take ran: from its `question_ended`, or the `retake` that cut it
    /// short; none while it is unknown.
    pub answer_ms: Option<u64>,
    /// How it was spoken (`--record`). Boxed, as the record it comes from: every answer
    /// has a take, few are analysed, and a take is moved whole into its place.
    pub spoken: Option<Box<Spoken>>,
    /// What was said (`--transcribe`).
    pub transcript: Option<Box<Transcript>>,
}

impl Take {
    fn analysed(&self) -> bool {
        self.spoken.is_some() || self.transcript.is_some()
    }
}

/// A take as JSON: its number and time, then its analyses' fields (as the log has them),
/// without repeating which question and take they are about.
impl Serialize for Take {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeMap};
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("take", &self.take)?;
        if let Some(ms) = self.answer_ms {
            map.serialize_entry("answer_ms", &ms)?;
        }
        let analyses = [
            self.spoken.as_ref().map(serde_json::to_value),
            self.transcript.as_ref().map(serde_json::to_value),
        ];
        for analysis in analyses.into_iter().flatten() {
            let serde_json::Value::Object(fields) = analysis.map_err(S::Error::custom)? else {
                return Err(S::Error::custom("an analysis is an object"));
            };
            for (key, value) in fields {
                if !matches!(key.as_str(), "index" | "id" | "take") {
                    map.serialize_entry(&key, &value)?;
                }
            }
        }
        map.end()
    }
}

fn plain_takes(takes: &[Take]) -> bool {
    !several_or_analysed(takes)
}

fn several_or_analysed(takes: &[Take]) -> bool {
    takes.len() > 1 || takes.iter().any(Take::analysed)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QuestionResult {
    pub outcome: Outcome,
    pub answer_ms: u64,
    pub overtime_ms: u64,
    pub paused_ms: u64,
    pub prep_ms: u64,
    pub short: bool,
}

impl QuestionRecord {
    /// What the person did with the question, in one word.
    pub fn status(&self) -> Status {
        match (self.result, self.asked) {
            (Some(r), _) => match r.outcome {
                Outcome::Answered => Status::Answered,
                Outcome::TimeUp => Status::TimeUp,
                Outcome::Skipped => Status::Skipped,
                Outcome::Unfinished => Status::Unfinished,
            },
            (None, true) => Status::Unfinished,
            (None, false) => Status::NotReached,
        }
    }

    /// The take that counts: the one the person kept, else the last one. A kept take
    /// that is not in the log (a hand-edited log) falls back to the last one.
    pub fn counted_take(&self) -> Option<&Take> {
        self.kept_take
            .and_then(|n| self.takes.iter().find(|t| t.take == n))
            .or_else(|| self.takes.last())
    }

    /// How the take that counts was spoken, if it was recorded.
    pub fn spoken(&self) -> Option<&Spoken> {
        self.counted_take()?.spoken.as_deref()
    }

    /// What was said in the take that counts, if it was transcribed.
    pub fn transcript(&self) -> Option<&Transcript> {
        self.counted_take()?.transcript.as_deref()
    }

    /// The answer's takes say more than its result: there were several, or some were
    /// analysed. Views list them only then.
    pub fn takes_matter(&self) -> bool {
        several_or_analysed(&self.takes)
    }

    /// Some take of the answer was recorded.
    pub fn recorded(&self) -> bool {
        self.recorded_takes().next().is_some()
    }

    /// The takes that were recorded, in order.
    pub fn recorded_takes(&self) -> impl Iterator<Item = &Take> {
        self.takes.iter().filter(|t| t.spoken.is_some())
    }

    /// An answer that reached or passed its limit.
    pub fn over_time(&self) -> bool {
        self.result
            .is_some_and(|r| is_over(r.outcome, r.overtime_ms))
    }

    /// The warning cue sounds when the time left falls to `warn_ms`. It is not logged, so
    /// it is worked out from the answer time and the final limit, as the engine decides it.
    pub fn warning_cue(&self) -> bool {
        self.result.is_some_and(|r| {
            self.warn_ms < self.limit_ms
                && r.answer_ms.saturating_add(self.warn_ms) >= self.limit_ms
        })
    }

    /// Take `n`, added in its place if it is not known yet.
    fn take_mut(&mut self, n: u32) -> &mut Take {
        let at = match self.takes.binary_search_by_key(&n, |t| t.take) {
            Ok(at) => at,
            Err(at) => {
                self.takes.insert(
                    at,
                    Take {
                        take: n,
                        ..Take::default()
                    },
                );
                at
            }
        };
        &mut self.takes[at]
    }
}

/// Went on past the limit. An answer the clock ended (hands-free) ran its full length
/// and no further: that is not over time. The one definition, for the session summary,
/// the log's `over_time`, every review table and export, and the drill score.
pub fn is_over(_outcome: Outcome, overtime_ms: u64) -> bool {
    overtime_ms > 0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Answered,
    TimeUp,
    Skipped,
    Unfinished,
    NotReached,
}

impl Status {
    /// For JSON and CSV: the log's own words.
    pub fn key(self) -> &'static str {
        match self {
            Status::Answered => "answered",
            Status::TimeUp => "time_up",
            Status::Skipped => "skipped",
            Status::Unfinished => "unfinished",
            Status::NotReached => "not_reached",
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Status::Answered => "answered",
            Status::TimeUp => "time up",
            Status::Skipped => "skipped",
            Status::Unfinished => "unfinished",
            Status::NotReached => "not reached",
        }
    }
}

/// Shares the few distinct strings (ids, categories, question texts, bank names) that
/// thousands of sessions repeat.
#[derive(Debug, Default)]
pub struct Interner(HashSet<Arc<str>>);

impl Interner {
    pub fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(found) = self.0.get(s) {
            return found.clone();
        }
        let new: Arc<str> = Arc::from(s);
        self.0.insert(new.clone());
        new
    }
}

/// A record the fold could not place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stray {
    /// A second `session_started`.
    AnotherSession,
    /// About a question the plan does not have; said once per session.
    NotInPlan(usize),
}

impl SessionSummary {
    /// A session from its first record, `session_started`, written at `at` (`t_ms`).
    pub fn start(
        path: &Path,
        at: DateTime<FixedOffset>,
        t_ms: u64,
        started: &SessionStarted,
        detail: Detail,
        interner: &mut Interner,
    ) -> SessionSummary {
        // A list needs no question texts: it skips the work of sharing them.
        let mut text = |s: &str| match detail {
            Detail::Questions => interner.get(s),
            Detail::Counts => interner.get(""),
        };
        let questions = started
            .plan
            .iter()
            .map(|p| QuestionRecord {
                index: p.index,
                id: text(&p.id),
                category: text(&p.category),
                text: text(&p.text),
                limit_ms: p.limit_ms,
                planned_limit_ms: p.limit_ms,
                warn_ms: p.warn_ms,
                asked: false,
                result: None,
                pauses: 0,
                adjusted_ms: 0,
                time_up_cue: false,
                review: None,
                takes: Vec::new(),
                kept_take: None,
            })
            .collect();
        SessionSummary {
            number: None,
            file: file_name(path),
            path: path.to_path_buf(),
            started: at,
            bank: interner.get(&started.bank),
            bank_key: interner.get(&started.bank_key),
            seed: started.seed,
            ending: Ending::Interrupted,
            total_ms: t_ms,
            counts: Counts::default(),
            questions,
            notes: Vec::new(),
            fold: FoldState {
                detail: Some(detail),
                last_t_ms: t_ms,
                ..FoldState::default()
            },
        }
    }

    /// Folds in one record written at `t_ms`. The counts follow in [`finish`](Self::finish).
    pub fn apply(&mut self, t_ms: u64, body: Body) -> Result<(), Stray> {
        self.fold.last_t_ms = self.fold.last_t_ms.max(t_ms);
        if !self.fold.ended {
            self.total_ms = self.fold.last_t_ms;
        }
        let index = match &body {
            Body::SessionStarted(_) => return Err(Stray::AnotherSession),
            Body::SessionEnded(ended) => {
                self.fold.ended = true;
                self.ending = match ended.outcome {
                    SessionOutcome::Completed => Ending::Completed,
                    SessionOutcome::Aborted => Ending::Aborted,
                };
                self.total_ms = ended.total_ms;
                return Ok(());
            }
            other => match other.index() {
                Some(index) => index,
                None => return Ok(()),
            },
        };
        let Some(q) = self.question_mut(index) else {
            if self.fold.stray_index_noted {
                return Ok(());
            }
            self.fold.stray_index_noted = true;
            return Err(Stray::NotInPlan(index));
        };
        apply_to_question(q, body);
        Ok(())
    }

    /// The time of the latest record: a record added later comes no earlier.
    pub fn last_t_ms(&self) -> u64 {
        self.fold.last_t_ms
    }

    /// A note for the person about something passed over; beyond a few, only counted.
    pub fn note(&mut self, note: String) {
        if self.notes.len() < MAX_NOTES {
            self.notes.push(note);
        } else {
            self.fold.extra_notes += 1;
        }
    }

    /// Counts the questions and sums up the notes: the summary as the records so far
    /// make it.
    pub fn settle(&mut self) {
        self.count();
        if self.fold.extra_notes > 0 {
            self.notes
                .push(format!("and {} more lines skipped", self.fold.extra_notes));
            self.fold.extra_notes = 0;
        }
    }

    /// The summary once every record is in, keeping only what `detail` asked for.
    pub fn finish(mut self) -> SessionSummary {
        self.settle();
        if self.fold.detail == Some(Detail::Counts) {
            self.questions = Vec::new();
        }
        self
    }

    fn question_mut(&mut self, index: usize) -> Option<&mut QuestionRecord> {
        let questions = &mut self.questions;
        // The plan numbers questions 1, 2, 3...; look there first.
        let at = index
            .checked_sub(1)
            .filter(|&i| questions.get(i).is_some_and(|q| q.index == index))
            .or_else(|| questions.iter().position(|q| q.index == index))?;
        questions.get_mut(at)
    }

    fn count(&mut self) {
        let mut counts = Counts {
            planned: self.questions.len(),
            ..Counts::default()
        };
        for q in &self.questions {
            match q.status() {
                Status::Answered => counts.answered += 1,
                Status::TimeUp => {
                    counts.answered += 1;
                    counts.time_up += 1;
                }
                Status::Skipped => counts.skipped += 1,
                Status::Unfinished => counts.unfinished += 1,
                Status::NotReached => counts.not_reached += 1,
            }
            if q.over_time() {
                counts.over_time += 1;
            }
        }
        self.counts = counts;
    }
}

/// One record about question `q`.
fn apply_to_question(q: &mut QuestionRecord, body: Body) {
    match body {
        Body::QuestionStarted(r) => {
            q.asked = true;
            q.limit_ms = r.limit_ms;
        }
        Body::Paused(_) => q.pauses += 1,
        Body::TimeAdjusted(r) => {
            q.adjusted_ms = q.adjusted_ms.saturating_add(r.delta_ms);
            q.limit_ms = r.limit_ms;
        }
        Body::TimeUp(_) => q.time_up_cue = true,
        Body::AnswerStarted(_) => {
            q.take_mut(1);
        }
        Body::Retake(r) => {
            if r.take > 1 {
                let before = q.take_mut(r.take - 1);
                if r.cut_ms > 0 || before.answer_ms.is_none() {
                    before.answer_ms = Some(r.cut_ms);
                }
            }
            q.take_mut(r.take);
        }
        Body::QuestionEnded(r) => {
            q.asked = true;
            q.result = Some(QuestionResult {
                outcome: r.outcome,
                answer_ms: r.answer_ms,
                overtime_ms: r.overtime_ms,
                paused_ms: r.paused_ms,
                prep_ms: r.prep_ms,
                short: r.short,
            });
            q.take_mut(r.take).answer_ms = Some(r.answer_ms);
        }
        Body::Reviewed(r) => {
            q.review = Some(SelfReview {
                rating: r.rating.filter(|r| (1..=5).contains(r)),
                star: r.star,
                note: r.note,
            })
        }
        // A take analysed twice (it should not be) keeps the last analysis written.
        Body::AnswerRecorded(spoken) => {
            let n = spoken.take;
            q.take_mut(n).spoken = Some(spoken);
        }
        Body::AnswerTranscribed(transcript) => {
            let n = transcript.take;
            q.take_mut(n).transcript = Some(transcript);
        }
        Body::TakeKept(r) => q.kept_take = Some(r.take),
        Body::SessionStarted(_)
        | Body::SessionEnded(_)
        | Body::QuestionSpoken(_)
        | Body::Resumed(_)
        | Body::Cue(_)
        | Body::Unknown => {}
    }
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// A path as text, with anything that is not UTF-8 shown as U+FFFD: JSON holds only text,
/// and a file name must never make an export fail.
pub(crate) fn lossy_path<S: Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&path.to_string_lossy())
}

pub(crate) fn rfc3339<S: Serializer>(t: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::Millis, false))
}
