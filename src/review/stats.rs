//! Numbers across sessions, per question and per category. Pure: summaries go in, an
//! [`Aggregator`] keeps one small entry per attempt, and [`Aggregator::finish`] sorts the
//! weakest first. No files, no terminal.
//!
//! The rules, also in the user guide (docs/guide.md):
//! - an attempt is a question that ended answered, by time up or skipped; a question cut
//!   off by the end of a session is not an attempt;
//! - median and best are over answers (answered or time up), best being the shortest;
//! - over time means an answer reached or passed its limit; the over-time and skip rates
//!   are shares of all attempts;
//! - weakest first: the larger share of attempts over time or skipped, then the larger
//!   median answer as a share of the limit, then more attempts, then by name;
//! - a recorded answer counts with its kept take (the last one unless another was kept):
//!   the median first word is over the answers where something was said, the speaking
//!   share is all the time spoken over all the time recorded, and long pauses are counted
//!   as the recorder counted them (at least the pause threshold, between words).
//!
//! The same figures feed `review stats` (table and JSON) and `review report` (charts):
//! the timeline (per session, day and week) is worked out here too, not in a renderer.

mod acc;
mod said;

use foldhash::HashMap;
use std::cmp::Ordering;
use std::sync::Arc;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use serde::Serialize;

use super::{Ending, QuestionRecord, SessionSummary, is_over};
use crate::session::Outcome;
pub use said::{Said, SaidAttempt};

/// How many of the latest attempts a trend shows.
pub const TREND_LEN: usize = 12;

/// How many of the newest notes a question keeps.
pub const NOTES_KEPT: usize = 3;

/// One attempt at a question, as small as stats needs it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Attempt {
    #[serde(serialize_with = "super::rfc3339")]
    pub started: DateTime<FixedOffset>,
    /// The question's place in its session, to keep attempts of one session in order.
    #[serde(skip)]
    pub index: usize,
    pub outcome: Outcome,
    pub answer_ms: u64,
    pub limit_ms: u64,
    pub overtime_ms: u64,
    /// The candidate's own rating, 1-5, when they gave one.
    pub rating: Option<u8>,
    /// How it was spoken, when the answer was recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spoken: Option<SpokenAttempt>,
    /// What was said, when the answer was transcribed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub said: Option<SaidAttempt>,
}

/// The figures of an attempt's take that counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SpokenAttempt {
    pub take: u32,
    pub duration_ms: u64,
    pub first_word_ms: Option<u64>,
    pub speech_ms: u64,
    pub longest_pause_ms: u64,
    pub long_pauses: u32,
}

impl SpokenAttempt {
    fn of(q: &super::QuestionRecord) -> Option<SpokenAttempt> {
        let t = q.spoken()?;
        Some(SpokenAttempt {
            take: t.take,
            duration_ms: t.duration_ms,
            first_word_ms: t.first_word_ms,
            speech_ms: t.speech_ms,
            longest_pause_ms: t.longest_pause_ms,
            long_pauses: t.long_pauses,
        })
    }

    fn share(&self) -> f64 {
        share_ms(self.speech_ms, self.duration_ms)
    }
}

fn share_ms(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 / whole as f64).min(1.0)
    }
}

/// How the recorded answers of a row (or of everything) were spoken.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spoken {
    /// Attempts that were recorded.
    pub recorded: usize,
    /// Of those, the ones where nothing was said.
    pub silent: usize,
    /// From the start of the answer to the first word, over the answers with speech.
    pub median_first_word_ms: Option<u64>,
    /// Time spoken over time recorded, 0 to 1.
    pub speaking_share: f64,
    /// Pauses of at least the threshold, in all, and the recorded answers with any.
    pub long_pauses: u32,
    pub with_long_pauses: usize,
    pub longest_pause_ms: u64,
    /// The same attempts as `trend_ms`, oldest first; `null` where not recorded or
    /// nothing was said.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trend_first_word_ms: Vec<Option<u64>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trend_speaking_share: Vec<Option<f64>>,
}

impl Attempt {
    fn answered(&self) -> bool {
        self.outcome != Outcome::Skipped
    }

    fn over(&self) -> bool {
        is_over(self.outcome, self.overtime_ms)
    }
}

/// A question's notes as the aggregator keeps them: when, the place in the session, text.
type Notes = Vec<(DateTime<FixedOffset>, usize, Arc<str>)>;

/// A question's category and text as its newest attempt had them, and when that was.
type Latest = (DateTime<FixedOffset>, Arc<str>, Arc<str>);

/// Sessions folded in one at a time; a worker each, merged at the end. It keeps counts,
/// sums and compact values per question, day and week (see `acc.rs`), not the attempts.
#[derive(Debug, Default)]
pub struct Aggregator {
    only: Option<String>,
    /// How many of the newest sessions the timeline keeps; `None`: every one.
    keep_sessions: Option<usize>,
    /// Per question, and the category it had (a bank may move a question).
    rows: HashMap<(Arc<str>, Arc<str>), acc::Acc>,
    /// Per question: the category and text of its newest attempt, and its newest notes.
    latest: HashMap<Arc<str>, Latest>,
    notes: HashMap<Arc<str>, Notes>,
    overview: Overview,
    spoken: acc::SpokenSums,
    said: said::SaidSums,
    sessions: Vec<SessionPoint>,
    days: acc::Periods,
    weeks: acc::Periods,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The sessions behind the stats.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Overview {
    pub sessions: usize,
    pub completed: usize,
    pub aborted: usize,
    pub interrupted: usize,
    /// Still being practised: their `rehearse run` is writing them now.
    #[serde(skip_serializing_if = "is_zero")]
    pub in_progress: usize,
    #[serde(serialize_with = "opt_rfc3339")]
    pub first: Option<DateTime<FixedOffset>>,
    #[serde(serialize_with = "opt_rfc3339")]
    pub last: Option<DateTime<FixedOffset>>,
    /// Attempts, answers (time up included), skips and answers over time, all questions.
    pub attempts: usize,
    pub answered: usize,
    pub skipped: usize,
    pub over_time: usize,
    /// Time spent in sessions, from their totals.
    pub practice_ms: u64,
    /// How the recorded answers were spoken, all questions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spoken: Option<Spoken>,
    /// What the transcribed answers said, all questions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub said: Option<Said>,
}

/// One row of the stats: a question or a category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// The question id or the category name.
    pub key: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<Arc<str>>,
    /// For a category: how many different questions it had.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub questions: Option<usize>,
    pub attempts: usize,
    pub answered: usize,
    pub skipped: usize,
    pub over_time: usize,
    pub median_ms: Option<u64>,
    pub best_ms: Option<u64>,
    /// For a question: its limit in the latest attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_ms: Option<u64>,
    /// Shares of attempts, 0 to 1.
    pub over_rate: f64,
    pub skip_rate: f64,
    /// The latest attempts, oldest first; `null` for a skip.
    pub trend_ms: Vec<Option<u64>>,
    /// The longest limit among those attempts: the top of the trend's scale, so a short
    /// answer draws short even when it is a category's only one.
    #[serde(skip)]
    pub trend_scale_ms: Option<u64>,
    /// The candidate's ratings (1-5) of the same attempts; `null` where none was given.
    pub trend_rating: Vec<Option<u8>>,
    /// For a question: when spaced repetition brings it back (`rehearse run --due`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<chrono::NaiveDate>,
    /// Every attempt, oldest first; only with `--question`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Attempt>,
    /// Mean of the ratings given, 1-5.
    pub mean_rating: Option<f64>,
    /// For a question: the newest notes written about it, newest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// Median answer as a share of its limit: breaks ties between equally weak rows.
    #[serde(skip)]
    pub median_share: Option<f64>,
    /// How the recorded attempts were spoken; none if none was recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spoken: Option<Spoken>,
    /// What the transcribed attempts said; none if none was transcribed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub said: Option<Said>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub overview: Overview,
    pub questions: Vec<Line>,
    pub categories: Vec<Line>,
    pub timeline: Timeline,
}

/// A note the candidate wrote about one answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    #[serde(serialize_with = "super::rfc3339")]
    pub at: DateTime<FixedOffset>,
    pub text: Arc<str>,
}

/// Practice over time: every session, and the days and weeks that had any, oldest first.
/// Days and weeks are the dates where the sessions were taken (their own offset).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Timeline {
    pub sessions: Vec<SessionPoint>,
    pub days: Vec<Period>,
    pub weeks: Vec<Period>,
}

/// One session's figures, over the attempts it had (those of `--question` only, with it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionPoint {
    #[serde(serialize_with = "super::rfc3339")]
    pub started: DateTime<FixedOffset>,
    pub practice_ms: u64,
    pub attempts: usize,
    pub answered: usize,
    pub skipped: usize,
    pub over_time: usize,
    /// Median answer as a share of its limit, over the answers.
    pub median_share: Option<f64>,
    /// Share of attempts over time, 0 to 1.
    pub over_rate: f64,
    /// Mean of the ratings given, 1-5, and how many there were.
    pub mean_rating: Option<f64>,
    pub ratings: usize,
    /// Recorded answers, their median first word and their speaking share (time spoken
    /// over time recorded).
    pub recorded: usize,
    pub median_first_word_ms: Option<u64>,
    pub speaking_share: Option<f64>,
    pub long_pauses: u32,
}

/// A day, or a week from Monday (`start`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    pub start: NaiveDate,
    pub sessions: usize,
    pub practice_ms: u64,
    pub attempts: usize,
    pub over_time: usize,
    pub skipped: usize,
    pub mean_rating: Option<f64>,
    pub ratings: usize,
}

impl Aggregator {
    /// `only`: keep one question (by id) and its full history.
    pub fn new(only: Option<&str>) -> Aggregator {
        Aggregator {
            only: only.map(str::to_string),
            ..Aggregator::default()
        }
    }

    /// The timeline keeps only the newest `n` sessions (the days and weeks count them
    /// all): what a page or a table shows, in memory that does not grow with the history.
    pub fn keep_sessions(mut self, n: usize) -> Aggregator {
        self.keep_sessions = Some(n);
        self
    }

    /// Folds in one session read with its questions.
    pub fn add(&mut self, s: &SessionSummary) {
        self.count_session(s);
        let mut shares = Vec::new();
        let mut spoken = acc::SpokenSums::default();
        let mut sums = acc::SessionSums {
            practice_ms: s.total_ms,
            attempts: 0,
            over_time: 0,
            skipped: 0,
            rating_sum: 0,
            ratings: 0,
        };
        let mut answered = 0;
        let history = self.only.is_some();
        for q in &s.questions {
            let Some(attempt) = self.attempt(s, q) else {
                continue;
            };
            let o = &mut self.overview;
            o.attempts += 1;
            sums.attempts += 1;
            if attempt.answered() {
                o.answered += 1;
                answered += 1;
                if attempt.limit_ms > 0 {
                    shares.push(attempt.answer_ms as f64 / attempt.limit_ms as f64);
                }
            } else {
                o.skipped += 1;
                sums.skipped += 1;
            }
            if attempt.over() {
                o.over_time += 1;
                sums.over_time += 1;
            }
            if let Some(rating) = attempt.rating {
                sums.rating_sum += u64::from(rating);
                sums.ratings += 1;
            }
            if let Some(sp) = &attempt.spoken {
                spoken.add(sp);
                self.spoken.add(sp);
            }
            if let Some(said) = &attempt.said {
                self.said.add(said);
            }
            self.remember(s, q);
            let row = (q.id.clone(), q.category.clone());
            self.rows.entry(row).or_default().add(attempt, history);
        }
        shares.sort_unstable_by(f64::total_cmp);
        let point = session_point(s, &sums, answered, median_f64(&shares), &spoken);
        let day = s.started.date_naive();
        self.days.add(day, &sums);
        self.weeks.add(week_of(day), &sums);
        self.sessions.push(point);
        if self
            .keep_sessions
            .is_some_and(|n| self.sessions.len() > 2 * n.max(8))
        {
            self.trim_sessions();
        }
    }

    /// The session in the overview: how it ended, when, how long.
    fn count_session(&mut self, s: &SessionSummary) {
        let o = &mut self.overview;
        o.sessions += 1;
        match s.ending {
            Ending::Completed => o.completed += 1,
            Ending::Aborted => o.aborted += 1,
            Ending::Interrupted => o.interrupted += 1,
            Ending::InProgress => o.in_progress += 1,
        }
        o.first = Some(o.first.map_or(s.started, |f| f.min(s.started)));
        o.last = Some(o.last.map_or(s.started, |l| l.max(s.started)));
        o.practice_ms = o.practice_ms.saturating_add(s.total_ms);
    }

    /// A question that ended (answered, by time up or skipped) is an attempt; one cut off
    /// by the end of its session is not. With `only`, other questions are passed over.
    fn attempt(&self, s: &SessionSummary, q: &QuestionRecord) -> Option<Attempt> {
        if self.only.as_deref().is_some_and(|only| only != &*q.id) {
            return None;
        }
        let r = q.result?;
        (r.outcome != Outcome::Unfinished).then(|| Attempt {
            started: s.started,
            index: q.index,
            outcome: r.outcome,
            answer_ms: r.answer_ms,
            limit_ms: q.limit_ms,
            overtime_ms: r.overtime_ms,
            rating: q.review.as_ref().and_then(|review| review.rating),
            spoken: SpokenAttempt::of(q),
            said: SaidAttempt::of(q),
        })
    }

    /// The question's text and category as its newest attempt had them, and its note.
    fn remember(&mut self, s: &SessionSummary, q: &QuestionRecord) {
        // Looked up by the id's text: its shared copy is taken only for a new question.
        match self.latest.get_mut(&*q.id) {
            Some(latest) if s.started < latest.0 => {}
            Some(latest) => *latest = (s.started, q.category.clone(), q.text.clone()),
            None => {
                let latest = (s.started, q.category.clone(), q.text.clone());
                self.latest.insert(q.id.clone(), latest);
            }
        }
        let note = q.review.as_ref().and_then(|r| r.note.as_deref());
        if let Some(note) = note.map(str::trim).filter(|n| !n.is_empty()) {
            let notes = self.notes.entry(q.id.clone()).or_default();
            notes.push((s.started, q.index, note.into()));
            acc::keep_newest(notes, NOTES_KEPT);
        }
    }

    /// Only the newest sessions stay in the timeline, oldest first.
    fn trim_sessions(&mut self) {
        let keep = self.keep_sessions.unwrap_or(usize::MAX);
        self.sessions.sort_by_key(|p| p.started);
        let extra = self.sessions.len().saturating_sub(keep);
        self.sessions.drain(..extra);
    }

    pub fn merge(&mut self, other: Aggregator) {
        for (key, theirs) in other.rows {
            match self.rows.get_mut(&key) {
                Some(ours) => ours.merge(&theirs),
                None => {
                    self.rows.insert(key, theirs);
                }
            }
        }
        for (id, theirs) in other.latest {
            let ours = self.latest.entry(id).or_insert_with(|| theirs.clone());
            if theirs.0 > ours.0 {
                *ours = theirs;
            }
        }
        for (id, theirs) in other.notes {
            let ours = self.notes.entry(id).or_default();
            ours.extend(theirs);
            acc::keep_newest(ours, NOTES_KEPT);
        }
        let (o, t) = (&mut self.overview, other.overview);
        o.sessions += t.sessions;
        o.completed += t.completed;
        o.aborted += t.aborted;
        o.interrupted += t.interrupted;
        o.in_progress += t.in_progress;
        o.first = [o.first, t.first].into_iter().flatten().min();
        o.last = [o.last, t.last].into_iter().flatten().max();
        o.attempts += t.attempts;
        o.answered += t.answered;
        o.skipped += t.skipped;
        o.over_time += t.over_time;
        o.practice_ms = o.practice_ms.saturating_add(t.practice_ms);
        self.spoken.merge(&other.spoken);
        self.said.merge(&other.said);
        self.sessions.extend(other.sessions);
        if self.keep_sessions.is_some() {
            self.trim_sessions();
        }
        self.days.merge(other.days);
        self.weeks.merge(other.weeks);
    }

    pub fn finish(mut self) -> Stats {
        let history = self.only.is_some();
        self.overview.spoken = self.spoken.spoken();
        self.overview.said = self.said.said();
        // Each question's rows (one per category it had), moved, not copied.
        let mut by_question: HashMap<Arc<str>, Vec<(Arc<str>, acc::Acc)>> = HashMap::default();
        for ((id, category), row) in std::mem::take(&mut self.rows) {
            by_question.entry(id).or_default().push((category, row));
        }
        let mut by_category: HashMap<Arc<str>, (acc::Acc, usize)> = HashMap::default();
        let mut questions = Vec::with_capacity(by_question.len());
        for (key, mut rows) in by_question {
            for (_, row) in &mut rows {
                row.settle();
            }
            let mut line = match &rows[..] {
                [(_, only)] => line(key.clone(), only, history),
                _ => {
                    // A question a bank moved between categories: all of it together.
                    let mut all = rows[0].1.clone();
                    for (_, row) in &rows[1..] {
                        all.merge(row);
                    }
                    line(key.clone(), &all, history)
                }
            };
            if let Some((_, category, text)) = self.latest.remove(&key) {
                line.category = Some(category);
                line.text = Some(text);
            }
            line.notes = acc::notes(&self.notes.remove(&key).unwrap_or_default());
            questions.push(line);
            // Into its categories, each row let go once it is counted there.
            for (category, row) in rows {
                match by_category.get_mut(&category) {
                    Some((acc, count)) => {
                        acc.merge(&row);
                        *count += 1;
                    }
                    None => {
                        by_category.insert(category, (row, 1));
                    }
                }
            }
        }
        let mut categories: Vec<Line> = by_category
            .into_iter()
            .map(|(key, (acc, count))| {
                let mut line = line(key, &acc, false);
                line.limit_ms = None;
                line.questions = Some(count);
                line
            })
            .collect();
        questions.sort_by(weakest_first);
        categories.sort_by(weakest_first);
        self.sessions.sort_by_key(|p| p.started);
        if self.keep_sessions.is_some() {
            self.trim_sessions();
        }
        Stats {
            overview: self.overview,
            questions,
            categories,
            timeline: Timeline {
                sessions: self.sessions,
                days: self.days.finish(),
                weeks: self.weeks.finish(),
            },
        }
    }
}

/// One session's point on the timeline.
fn session_point(
    s: &SessionSummary,
    sums: &acc::SessionSums,
    answered: usize,
    median_share: Option<f64>,
    spoken: &acc::SpokenSums,
) -> SessionPoint {
    let spoken = spoken.spoken();
    SessionPoint {
        started: s.started,
        practice_ms: s.total_ms,
        attempts: sums.attempts,
        answered,
        skipped: sums.skipped,
        over_time: sums.over_time,
        median_share,
        over_rate: share(sums.over_time, sums.attempts),
        mean_rating: mean(sums.rating_sum, sums.ratings),
        ratings: sums.ratings,
        recorded: spoken.as_ref().map_or(0, |sp| sp.recorded),
        median_first_word_ms: spoken.as_ref().and_then(|sp| sp.median_first_word_ms),
        speaking_share: spoken.as_ref().map(|sp| sp.speaking_share),
        long_pauses: spoken.as_ref().map_or(0, |sp| sp.long_pauses),
    }
}

/// The Monday that starts the week of `day`.
pub fn week_of(day: NaiveDate) -> NaiveDate {
    day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()))
}

fn share(k: usize, n: usize) -> f64 {
    if n == 0 { 0.0 } else { k as f64 / n as f64 }
}

fn mean(sum: u64, n: usize) -> Option<f64> {
    (n > 0).then(|| sum as f64 / n as f64)
}

/// A row of the stats from what its accumulator kept.
fn line(key: Arc<str>, acc: &acc::Acc, history: bool) -> Line {
    let (median_ms, best_ms, median_share) = acc.answers.figures();
    let recent = acc.recent();
    let n = acc.attempts;
    let spoken = acc.spoken.spoken().map(|mut sp| {
        sp.trend_first_word_ms = recent
            .iter()
            .map(|a| a.spoken.and_then(|s| s.first_word_ms))
            .collect();
        sp.trend_speaking_share = recent.iter().map(|a| a.spoken.map(|s| s.share())).collect();
        sp
    });
    let said = acc.said.said().map(|mut said| {
        let each = |f: fn(&SaidAttempt) -> Option<f64>| -> Vec<Option<f64>> {
            recent.iter().map(|a| a.said.as_ref().and_then(f)).collect()
        };
        said.trend_fillers_a_minute = each(SaidAttempt::fillers_a_minute);
        said.trend_coverage = each(SaidAttempt::coverage);
        said.trend_words_a_minute = (recent.iter())
            .map(|a| a.said.and_then(|s| s.words_a_minute()))
            .collect();
        said
    });
    Line {
        key,
        category: None,
        text: None,
        questions: None,
        attempts: n,
        answered: acc.answers.len(),
        skipped: acc.skipped,
        over_time: acc.over,
        median_ms,
        best_ms,
        limit_ms: recent.last().map(|a| a.limit_ms),
        over_rate: share(acc.over, n),
        skip_rate: share(acc.skipped, n),
        trend_ms: recent
            .iter()
            .map(|a| a.answered().then_some(a.answer_ms))
            .collect(),
        trend_scale_ms: recent.iter().map(|a| a.limit_ms).max(),
        trend_rating: recent.iter().map(|a| a.rating).collect(),
        due: None,
        history: if history {
            acc.history.clone()
        } else {
            Vec::new()
        },
        mean_rating: mean(acc.rating_sum, acc.ratings),
        notes: Vec::new(),
        median_share,
        spoken,
        said,
    }
}

/// The middle value; for an even count, the mean of the two middle ones (rounded down).
pub fn median(sorted: &[u64]) -> Option<u64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some(
            sorted[n / 2 - 1] / 2
                + sorted[n / 2] / 2
                + (sorted[n / 2 - 1] % 2 + sorted[n / 2] % 2) / 2,
        ),
    }
}

fn median_f64(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The order the user guide gives: most often over time or skipped, then the longest answers for
/// their limit, then the most tried, then by name.
fn weakest_first(a: &Line, b: &Line) -> Ordering {
    let trouble = |l: &Line| (l.over_time + l.skipped) as f64 / l.attempts.max(1) as f64;
    trouble(b)
        .total_cmp(&trouble(a))
        .then_with(|| {
            b.median_share
                .unwrap_or(0.0)
                .total_cmp(&a.median_share.unwrap_or(0.0))
        })
        .then_with(|| b.attempts.cmp(&a.attempts))
        .then_with(|| a.key.cmp(&b.key))
}

fn opt_rfc3339<S: serde::Serializer>(
    t: &Option<DateTime<FixedOffset>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => super::rfc3339(t, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::read::testlog::{q, session};
    use crate::review::{Detail, Interner, read_from};
    use crate::session::SessionOutcome;
    use std::path::Path;

    fn read(text: &str, interner: &mut Interner) -> SessionSummary {
        read_from(Path::new("x"), text.as_bytes(), Detail::Questions, interner).unwrap()
    }

    /// Four sessions over four days. By hand, for `retention` (limit 2:00):
    /// answers 95, 132 (12 s over), 120 (time up), 80 s and one skip after 4 s.
    /// Answers sorted: 80, 95, 120, 132 → median (95 + 120) / 2 = 107.5 s, best 80 s;
    /// over time 2 of 5 attempts = 40 %, skipped 1 of 5 = 20 %.
    fn fixture() -> Vec<SessionSummary> {
        use Outcome::*;
        let mut interner = Interner::default();
        let days = [
            (
                "2026-11-21T09:00:00.000+01:00",
                vec![
                    q("retention", "Retention", 120, Answered, 95),
                    q("hipaa", "Privacy", 90, Answered, 60),
                ],
                Some(SessionOutcome::Completed),
            ),
            (
                "2026-11-22T09:00:00.000+01:00",
                vec![
                    q("retention", "Retention", 120, Answered, 132),
                    q("hipaa", "Privacy", 90, Answered, 70),
                ],
                Some(SessionOutcome::Completed),
            ),
            (
                "2026-11-23T09:00:00.000+01:00",
                vec![
                    q("retention", "Retention", 120, TimeUp, 120),
                    q("hipaa", "Privacy", 90, Skipped, 3),
                ],
                Some(SessionOutcome::Aborted),
            ),
            (
                "2026-11-24T09:00:00.000+01:00",
                vec![
                    q("retention", "Retention", 120, Skipped, 4),
                    q("retention", "Retention", 120, Answered, 80),
                    q("legal-hold", "Retention", 60, Unfinished, 10),
                ],
                None,
            ),
        ];
        days.into_iter()
            .map(|(at, qs, end)| read(&session(at, "hrm", &qs, end), &mut interner))
            .collect()
    }

    fn stats(only: Option<&str>) -> Stats {
        let mut agg = Aggregator::new(only);
        for s in &fixture() {
            agg.add(s);
        }
        agg.finish()
    }

    #[test]
    fn per_question_numbers_match_the_hand_count() {
        let stats = stats(None);
        let retention = stats
            .questions
            .iter()
            .find(|l| &*l.key == "retention")
            .unwrap();
        assert_eq!(
            (
                retention.attempts,
                retention.answered,
                retention.skipped,
                retention.over_time
            ),
            // The answer the clock ended at 2:00 is not over time; the 2:10 one is.
            (5, 4, 1, 1)
        );
        assert_eq!(retention.median_ms, Some(107_500));
        assert_eq!(retention.best_ms, Some(80_000));
        assert_eq!(retention.limit_ms, Some(120_000));
        assert!((retention.over_rate - 0.2).abs() < 1e-9);
        assert!((retention.skip_rate - 0.2).abs() < 1e-9);
        assert_eq!(
            retention.trend_ms,
            [
                Some(95_000),
                Some(132_000),
                Some(120_000),
                None,
                Some(80_000)
            ]
        );
        assert_eq!(retention.category.as_deref(), Some("Retention"));

        // hipaa: 60, 70 and a skip → median 65 s, best 60 s, never over.
        let hipaa = stats.questions.iter().find(|l| &*l.key == "hipaa").unwrap();
        assert_eq!(
            (hipaa.median_ms, hipaa.best_ms, hipaa.over_time),
            (Some(65_000), Some(60_000), 0)
        );
        // legal-hold was cut off by the crash: no attempt.
        assert!(stats.questions.iter().all(|l| &*l.key != "legal-hold"));
    }

    #[test]
    fn weakest_questions_and_categories_come_first() {
        let stats = stats(None);
        let order: Vec<&str> = stats.questions.iter().map(|l| &*l.key).collect();
        // retention: 3 of 5 in trouble (60 %); hipaa: 1 of 3 (33 %).
        assert_eq!(order, ["retention", "hipaa"]);
        let categories: Vec<_> = stats
            .categories
            .iter()
            .map(|l| (&*l.key, l.attempts, l.questions))
            .collect();
        assert_eq!(
            categories,
            [("Retention", 5, Some(1)), ("Privacy", 3, Some(1))]
        );
    }

    #[test]
    fn ties_break_on_answer_share_of_the_limit() {
        let line = |key: &str, share: f64| Line {
            key: key.into(),
            category: None,
            text: None,
            questions: None,
            attempts: 2,
            answered: 2,
            skipped: 0,
            over_time: 0,
            median_ms: None,
            best_ms: None,
            limit_ms: None,
            over_rate: 0.0,
            skip_rate: 0.0,
            trend_ms: Vec::new(),
            trend_scale_ms: None,
            trend_rating: Vec::new(),
            due: None,
            history: Vec::new(),
            mean_rating: None,
            notes: Vec::new(),
            median_share: Some(share),
            spoken: None,
            said: None,
        };
        let mut lines = [line("a", 0.5), line("b", 0.9), line("c", 0.5)];
        lines.sort_by(weakest_first);
        let keys: Vec<&str> = lines.iter().map(|l| &*l.key).collect();
        assert_eq!(keys, ["b", "a", "c"]);
    }

    #[test]
    fn overview_counts_sessions_and_attempts() {
        let o = stats(None).overview;
        assert_eq!(
            (o.sessions, o.completed, o.aborted, o.interrupted),
            (4, 2, 1, 1)
        );
        assert_eq!(
            (o.attempts, o.answered, o.skipped, o.over_time),
            // The time_up answer ran its full 2:00 and no more: not over time.
            (8, 6, 2, 1)
        );
        assert_eq!(o.first.unwrap().to_rfc3339(), "2026-11-21T09:00:00+01:00");
        assert_eq!(o.last.unwrap().to_rfc3339(), "2026-11-24T09:00:00+01:00");
    }

    #[test]
    fn one_question_keeps_its_history() {
        let stats = stats(Some("hipaa"));
        assert_eq!(stats.questions.len(), 1);
        let history: Vec<_> = stats.questions[0]
            .history
            .iter()
            .map(|a| (a.outcome, a.answer_ms))
            .collect();
        assert_eq!(
            history,
            [
                (Outcome::Answered, 60_000),
                (Outcome::Answered, 70_000),
                (Outcome::Skipped, 3_000)
            ]
        );
    }

    #[test]
    fn merged_workers_give_the_same_stats() {
        let sessions = fixture();
        let mut one = Aggregator::new(None);
        let (mut a, mut b) = (Aggregator::new(None), Aggregator::new(None));
        for (i, s) in sessions.iter().enumerate() {
            one.add(s);
            if i % 2 == 0 { a.add(s) } else { b.add(s) }
        }
        b.merge(a);
        assert_eq!(one.finish(), b.finish());
    }

    #[test]
    fn timeline_ratings_and_notes() {
        use Outcome::*;
        let mut interner = Interner::default();
        let mut agg = Aggregator::new(None);
        let days = [
            ("2026-11-23T09:00:00.000+01:00", 2, Some("first")),
            ("2026-11-23T19:00:00.000+01:00", 4, None),
            ("2026-11-25T09:00:00.000+01:00", 3, Some("second")),
            ("2026-11-30T09:00:00.000+01:00", 5, Some("third")),
            ("2026-12-01T09:00:00.000+01:00", 5, Some("fourth")),
        ];
        for (at, rating, note) in days {
            let qs = [
                q("hipaa", "Privacy", 100, Answered, 50).rated(rating, note),
                q("hold", "Retention", 100, Answered, 120),
            ];
            let text = session(at, "hrm", &qs, Some(SessionOutcome::Completed));
            agg.add(&read(&text, &mut interner));
        }
        let stats = agg.finish();
        let t = &stats.timeline;
        assert_eq!(t.sessions.len(), 5);
        // Answers of 50 % and 120 % of the limit: the median is 85 %; one of two is over.
        assert_eq!(t.sessions[0].median_share, Some(0.85));
        assert_eq!(t.sessions[0].over_rate, 0.5);
        assert_eq!(t.sessions[0].mean_rating, Some(2.0));
        let days: Vec<_> = t
            .days
            .iter()
            .map(|d| (d.start.to_string(), d.sessions))
            .collect();
        assert_eq!(
            days,
            [
                ("2026-11-23".to_string(), 2),
                ("2026-11-25".to_string(), 1),
                ("2026-11-30".to_string(), 1),
                ("2026-12-01".to_string(), 1)
            ]
        );
        let weeks: Vec<_> = t
            .weeks
            .iter()
            .map(|w| (w.start.to_string(), w.sessions, w.ratings, w.mean_rating))
            .collect();
        assert_eq!(
            weeks,
            [
                ("2026-11-23".to_string(), 3, 3, Some(3.0)),
                ("2026-11-30".to_string(), 2, 2, Some(5.0))
            ]
        );
        let hipaa = stats.questions.iter().find(|l| &*l.key == "hipaa").unwrap();
        assert_eq!(hipaa.mean_rating, Some(19.0 / 5.0));
        let notes: Vec<&str> = hipaa.notes.iter().map(|n| &*n.text).collect();
        assert_eq!(notes, ["fourth", "third", "second"]);
        let privacy = stats
            .categories
            .iter()
            .find(|l| &*l.key == "Privacy")
            .unwrap();
        assert_eq!(privacy.mean_rating, Some(19.0 / 5.0));
        assert!(privacy.notes.is_empty());
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7]), Some(7));
        assert_eq!(median(&[1, 2, 9]), Some(2));
        assert_eq!(median(&[1, 4]), Some(2));
        assert_eq!(median(&[3, 5]), Some(4));
        assert_eq!(median(&[u64::MAX, u64::MAX]), Some(u64::MAX));
    }
}

#[cfg(test)]
mod spoken_tests {
    use super::*;
    use crate::log::read::testlog::{q, session, spoken};
    use crate::review::{Detail, Interner, read_from};
    use crate::session::{Outcome::*, SessionOutcome};

    fn stats(only: Option<&str>) -> Stats {
        let mut interner = Interner::default();
        let days = [
            (
                "2026-11-21T09:00:00.000+01:00",
                vec![
                    // Take 2 counts: first word 1 s, 60 of 100 s spoken, 2 long pauses.
                    q("breach", "Privacy", 120, Answered, 100).recorded(&[
                        spoken(50, Some(8_000), 10, 9_000, 4),
                        spoken(100, Some(1_000), 60, 4_000, 2),
                    ]),
                    q("hipaa", "Privacy", 90, Answered, 60),
                ],
            ),
            (
                "2026-11-22T09:00:00.000+01:00",
                vec![
                    // Take 1 kept: first word 3 s, 80 of 100 s spoken.
                    q("breach", "Privacy", 120, Answered, 100)
                        .recorded(&[
                            spoken(100, Some(3_000), 80, 2_000, 0),
                            spoken(100, Some(9_000), 20, 9_000, 5),
                        ])
                        .keep(1),
                    // Nothing said in 20 s.
                    q("hipaa", "Privacy", 90, Answered, 20)
                        .recorded(&[spoken(20, None, 0, 20_000, 0)]),
                ],
            ),
            (
                "2026-11-23T09:00:00.000+01:00",
                vec![
                    q("breach", "Privacy", 120, Answered, 100).recorded(&[spoken(
                        100,
                        Some(6_000),
                        70,
                        5_000,
                        1,
                    )]),
                ],
            ),
        ];
        let mut agg = Aggregator::new(only);
        for (at, qs) in days {
            let text = session(at, "hrm", &qs, Some(SessionOutcome::Completed));
            let s = read_from(
                std::path::Path::new("x.jsonl"),
                text.as_bytes(),
                Detail::Questions,
                &mut interner,
            )
            .unwrap();
            agg.add(&s);
        }
        agg.finish()
    }

    #[test]
    fn the_counted_takes_give_the_spoken_figures() {
        let stats = stats(None);
        let breach = stats
            .questions
            .iter()
            .find(|l| &*l.key == "breach")
            .unwrap();
        let sp = breach.spoken.as_ref().unwrap();
        assert_eq!(
            (sp.recorded, sp.silent, sp.median_first_word_ms),
            (3, 0, Some(3_000))
        );
        // (60 + 80 + 70) / 300.
        assert!((sp.speaking_share - 0.7).abs() < 1e-9);
        assert_eq!(
            (sp.long_pauses, sp.with_long_pauses, sp.longest_pause_ms),
            (3, 2, 5_000)
        );
        assert_eq!(
            sp.trend_first_word_ms,
            [Some(1_000), Some(3_000), Some(6_000)]
        );
        assert_eq!(sp.trend_speaking_share.len(), 3);

        // One recorded of two; nothing said in it.
        let hipaa = stats.questions.iter().find(|l| &*l.key == "hipaa").unwrap();
        let sp = hipaa.spoken.as_ref().unwrap();
        assert_eq!(
            (sp.recorded, sp.silent, sp.median_first_word_ms),
            (1, 1, None)
        );
        assert_eq!(sp.trend_first_word_ms, [None, None]);
        assert_eq!(sp.speaking_share, 0.0);

        // Overall: four recorded answers, first words 1, 3, 6 s.
        let all = stats.overview.spoken.as_ref().unwrap();
        assert_eq!(
            (
                all.recorded,
                all.silent,
                all.median_first_word_ms,
                all.long_pauses
            ),
            (4, 1, Some(3_000), 3)
        );
        assert!((all.speaking_share - 210.0 / 320.0).abs() < 1e-9);
        // Per session, for the trends of the report.
        let firsts: Vec<Option<u64>> = stats
            .timeline
            .sessions
            .iter()
            .map(|p| p.median_first_word_ms)
            .collect();
        assert_eq!(firsts, [Some(1_000), Some(3_000), Some(6_000)]);
        assert_eq!(stats.timeline.sessions[1].recorded, 2);
    }

    #[test]
    fn one_question_keeps_the_take_of_each_attempt() {
        let stats = stats(Some("breach"));
        let line = &stats.questions[0];
        let takes: Vec<Option<u32>> = line
            .history
            .iter()
            .map(|a| a.spoken.map(|s| s.take))
            .collect();
        assert_eq!(takes, [Some(2), Some(1), Some(1)]);
    }

    #[test]
    fn without_recordings_there_are_no_spoken_figures() {
        let mut interner = Interner::default();
        let text = session(
            "2026-11-21T09:00:00.000+01:00",
            "hrm",
            &[q("breach", "Privacy", 120, Answered, 100)],
            Some(SessionOutcome::Completed),
        );
        let s = read_from(
            std::path::Path::new("x.jsonl"),
            text.as_bytes(),
            Detail::Questions,
            &mut interner,
        )
        .unwrap();
        let mut agg = Aggregator::new(None);
        agg.add(&s);
        let stats = agg.finish();
        assert!(stats.overview.spoken.is_none() && stats.questions[0].spoken.is_none());
        let json = serde_json::to_value(&stats).unwrap();
        assert!(json["overview"].get("spoken").is_none());
        assert!(json["questions"][0].get("spoken").is_none());
    }
}
