//! What the stats keep while sessions are folded in: counts, sums, the values a median
//! needs in four bytes each, and the newest few attempts for the trends. Memory follows
//! the questions and the days practised, not the attempts: an attempt costs its answer
//! and limit (eight bytes), nothing more.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::{
    Attempt, Note, Period, Spoken, SpokenAttempt, TREND_LEN, median, median_f64, share_ms,
};

/// Milliseconds, four bytes each while they fit (a real answer always does: that is 49
/// days), eight otherwise.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Millis {
    small: Pieces<u32>,
    big: Vec<u64>,
}

impl Millis {
    pub fn push(&mut self, ms: u64) {
        match u32::try_from(ms) {
            Ok(small) => self.small.push(small),
            Err(_) => self.big.push(ms),
        }
    }

    pub fn extend(&mut self, other: &Millis) {
        for v in other.small.iter() {
            self.small.push(v);
        }
        self.big.extend_from_slice(&other.big);
    }

    /// Every value, smallest first.
    pub fn sorted(&self) -> Vec<u64> {
        let mut all: Vec<u64> = self.small.iter().map(u64::from).collect();
        all.extend_from_slice(&self.big);
        all.sort_unstable();
        all
    }
}

/// Answers with their limits: the answer in four bytes while it fits, and the limit as a
/// one-byte place in a table of the row's limits (a question has one or a few).
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Answers {
    answers: Pieces<u32>,
    limit_of: Pieces<u8>,
    limits: Vec<u64>,
    /// Answers or limits that do not fit the above.
    big: Vec<(u64, u64)>,
}

impl Answers {
    pub fn push(&mut self, answer_ms: u64, limit_ms: u64) {
        let place = match self.limits.iter().position(|&l| l == limit_ms) {
            Some(place) => Some(place),
            None if self.limits.len() < 256 => {
                self.limits.push(limit_ms);
                Some(self.limits.len() - 1)
            }
            None => None,
        };
        match (u32::try_from(answer_ms), place) {
            (Ok(answer), Some(place)) => {
                self.answers.push(answer);
                self.limit_of.push(place as u8);
            }
            _ => self.big.push((answer_ms, limit_ms)),
        }
    }

    pub fn extend(&mut self, other: &Answers) {
        for (answer, limit) in other.pairs() {
            self.push(answer, limit);
        }
    }

    pub fn len(&self) -> usize {
        self.answers.len() + self.big.len()
    }

    fn pairs(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        let small = (self.answers.iter().zip(self.limit_of.iter()))
            .map(|(a, l)| (u64::from(a), self.limits[usize::from(l)]));
        small.chain(self.big.iter().copied())
    }

    /// The median answer, the best (shortest) and the median share of the limit.
    pub fn figures(&self) -> (Option<u64>, Option<u64>, Option<f64>) {
        let mut answers: Vec<u64> = self.pairs().map(|(a, _)| a).collect();
        answers.sort_unstable();
        let mut shares: Vec<f64> = self
            .pairs()
            .filter(|&(_, limit)| limit > 0)
            .map(|(a, limit)| a as f64 / limit as f64)
            .collect();
        shares.sort_unstable_by(f64::total_cmp);
        (
            median(&answers),
            answers.first().copied(),
            median_f64(&shares),
        )
    }
}

/// Values kept in pieces of a fixed size that never move once made: a list that grows
/// for years is never copied to a bigger place, so it leaves no holes behind in memory.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Pieces<T> {
    pieces: Vec<Vec<T>>,
}

impl<T> Default for Pieces<T> {
    fn default() -> Self {
        Pieces { pieces: Vec::new() }
    }
}

/// Values in one piece: 4 KiB of `u32`.
const PIECE: usize = 1024;

impl<T: Copy> Pieces<T> {
    pub fn push(&mut self, value: T) {
        match self.pieces.last_mut() {
            Some(piece) if piece.len() < PIECE => piece.push(value),
            _ => {
                let mut piece = Vec::with_capacity(PIECE);
                piece.push(value);
                self.pieces.push(piece);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.pieces.iter().map(Vec::len).sum()
    }

    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        self.pieces.iter().flatten().copied()
    }
}

/// How the recorded attempts of a row were spoken, summed up.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct SpokenSums {
    recorded: usize,
    silent: usize,
    firsts: Millis,
    speech: u64,
    duration: u64,
    pauses: u32,
    with_pauses: usize,
    longest: u64,
}

impl SpokenSums {
    pub fn add(&mut self, s: &SpokenAttempt) {
        self.recorded += 1;
        match s.first_word_ms {
            Some(ms) => self.firsts.push(ms),
            None => self.silent += 1,
        }
        self.speech = self.speech.saturating_add(s.speech_ms);
        self.duration = self.duration.saturating_add(s.duration_ms);
        self.pauses = self.pauses.saturating_add(s.long_pauses);
        self.with_pauses += usize::from(s.long_pauses > 0);
        self.longest = self.longest.max(s.longest_pause_ms);
    }

    pub fn merge(&mut self, o: &SpokenSums) {
        self.recorded += o.recorded;
        self.silent += o.silent;
        self.firsts.extend(&o.firsts);
        self.speech = self.speech.saturating_add(o.speech);
        self.duration = self.duration.saturating_add(o.duration);
        self.pauses = self.pauses.saturating_add(o.pauses);
        self.with_pauses += o.with_pauses;
        self.longest = self.longest.max(o.longest);
    }

    /// The figures, with no trends; none when nothing was recorded.
    pub fn spoken(&self) -> Option<Spoken> {
        (self.recorded > 0).then(|| Spoken {
            recorded: self.recorded,
            silent: self.silent,
            median_first_word_ms: median(&self.firsts.sorted()),
            speaking_share: share_ms(self.speech, self.duration),
            long_pauses: self.pauses,
            with_long_pauses: self.with_pauses,
            longest_pause_ms: self.longest,
            trend_first_word_ms: Vec::new(),
            trend_speaking_share: Vec::new(),
        })
    }
}

/// The attempts at one question while it had one category.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Acc {
    pub attempts: usize,
    pub skipped: usize,
    pub over: usize,
    pub rating_sum: u64,
    pub ratings: usize,
    /// Answers (answered or ended by the clock) with their limits.
    pub answers: Answers,
    /// The newest attempts, at most [`TREND_LEN`] once settled.
    recent: Vec<Attempt>,
    /// Every attempt, for `review stats --question` only.
    pub history: Vec<Attempt>,
    pub spoken: SpokenSums,
    pub said: super::said::SaidSums,
}

fn attempt_order(a: &Attempt, b: &Attempt) -> std::cmp::Ordering {
    a.started.cmp(&b.started).then(a.index.cmp(&b.index))
}

impl Acc {
    pub fn add(&mut self, a: Attempt, history: bool) {
        self.attempts += 1;
        if a.answered() {
            self.answers.push(a.answer_ms, a.limit_ms);
        } else {
            self.skipped += 1;
        }
        if a.over() {
            self.over += 1;
        }
        if let Some(r) = a.rating {
            self.rating_sum += u64::from(r);
            self.ratings += 1;
        }
        if let Some(s) = &a.spoken {
            self.spoken.add(s);
        }
        if let Some(s) = &a.said {
            self.said.add(s);
        }
        if history {
            self.history.push(a);
        }
        self.recent.push(a);
        if self.recent.len() >= 4 * TREND_LEN {
            self.settle();
        }
    }

    /// Keeps only the newest attempts of `recent`, oldest first.
    pub fn settle(&mut self) {
        self.recent.sort_by(attempt_order);
        let extra = self.recent.len().saturating_sub(TREND_LEN);
        self.recent.drain(..extra);
        self.history.sort_by(attempt_order);
    }

    pub fn merge(&mut self, o: &Acc) {
        self.attempts += o.attempts;
        self.skipped += o.skipped;
        self.over += o.over;
        self.rating_sum += o.rating_sum;
        self.ratings += o.ratings;
        self.answers.extend(&o.answers);
        self.recent.extend_from_slice(&o.recent);
        self.history.extend_from_slice(&o.history);
        self.spoken.merge(&o.spoken);
        self.said.merge(&o.said);
        self.settle();
    }

    /// The newest attempts, oldest first (after [`settle`](Self::settle)).
    pub fn recent(&self) -> &[Attempt] {
        &self.recent
    }
}

/// The newest notes of a question, newest first, at most `keep`.
pub(super) fn keep_newest(notes: &mut Vec<(DateTime<FixedOffset>, usize, Arc<str>)>, keep: usize) {
    notes.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    notes.truncate(keep);
}

pub(super) fn notes(notes: &[(DateTime<FixedOffset>, usize, Arc<str>)]) -> Vec<Note> {
    notes
        .iter()
        .map(|(at, _, text)| Note {
            at: *at,
            text: text.clone(),
        })
        .collect()
}

/// A day or a week of practice, summed up (in 32 bytes: a history has many days).
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct PeriodSums {
    practice_ms: u64,
    sessions: u32,
    attempts: u32,
    over_time: u32,
    skipped: u32,
    rating_sum: u32,
    ratings: u32,
}

/// One session's part of its day and week.
pub(super) struct SessionSums {
    pub practice_ms: u64,
    pub attempts: usize,
    pub over_time: usize,
    pub skipped: usize,
    pub rating_sum: u64,
    pub ratings: usize,
}

/// Days or weeks by their first day.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Periods(BTreeMap<NaiveDate, PeriodSums>);

impl Periods {
    pub fn add(&mut self, start: NaiveDate, s: &SessionSums) {
        let p = self.0.entry(start).or_default();
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        p.sessions = p.sessions.saturating_add(1);
        p.practice_ms = p.practice_ms.saturating_add(s.practice_ms);
        p.attempts = p.attempts.saturating_add(n(s.attempts));
        p.over_time = p.over_time.saturating_add(n(s.over_time));
        p.skipped = p.skipped.saturating_add(n(s.skipped));
        p.rating_sum = p.rating_sum.saturating_add(n(s.rating_sum as usize));
        p.ratings = p.ratings.saturating_add(n(s.ratings));
    }

    pub fn merge(&mut self, other: Periods) {
        for (start, o) in other.0 {
            let p = self.0.entry(start).or_default();
            p.sessions = p.sessions.saturating_add(o.sessions);
            p.practice_ms = p.practice_ms.saturating_add(o.practice_ms);
            p.attempts = p.attempts.saturating_add(o.attempts);
            p.over_time = p.over_time.saturating_add(o.over_time);
            p.skipped = p.skipped.saturating_add(o.skipped);
            p.rating_sum = p.rating_sum.saturating_add(o.rating_sum);
            p.ratings = p.ratings.saturating_add(o.ratings);
        }
    }

    /// Oldest first.
    pub fn finish(self) -> Vec<Period> {
        self.0
            .into_iter()
            .map(|(start, p)| Period {
                start,
                sessions: p.sessions as usize,
                practice_ms: p.practice_ms,
                attempts: p.attempts as usize,
                over_time: p.over_time as usize,
                skipped: p.skipped as usize,
                mean_rating: (p.ratings > 0)
                    .then(|| f64::from(p.rating_sum) / f64::from(p.ratings)),
                ratings: p.ratings as usize,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milliseconds_that_do_not_fit_four_bytes_keep_their_value() {
        let mut m = Millis::default();
        for v in [7, u64::MAX, 3, u64::from(u32::MAX) + 1] {
            m.push(v);
        }
        assert_eq!(m.sorted(), [3, 7, u64::from(u32::MAX) + 1, u64::MAX]);
        let mut a = Answers::default();
        a.push(60_000, 120_000);
        a.push(u64::MAX, 120_000);
        a.push(90_000, 0);
        assert_eq!(a.len(), 3);
        let (median, best, share) = a.figures();
        assert_eq!((median, best), (Some(90_000), Some(60_000)));
        // Shares only where there is a limit: 0.5 and u64::MAX / 120000.
        assert!(share.unwrap() > 1e10);
    }
}
