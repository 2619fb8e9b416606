//! Drilling from history: which questions need practice most (`--weakest`) and which are
//! due again (`--due`, a spaced-repetition schedule in the style of SM-2). Pure functions
//! of past attempts; reading the logs and keeping the schedule file belong to commands.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::session::Outcome;

/// One past answer to a question, as the logs tell it.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub bank: String,
    pub id: String,
    /// The local day of the session.
    pub day: NaiveDate,
    pub outcome: Outcome,
    /// Over the limit, or cut off when time was up.
    pub over: bool,
    pub short: bool,
    /// The candidate's own rating, 1-5, if they gave one.
    pub rating: Option<u8>,
    /// How the answer was spoken, when it was recorded (its take that counts).
    pub spoken: Option<Spoken>,
    /// The talking points that take covered, and how many the question has, when it was
    /// transcribed.
    pub points: Option<(u32, u32)>,
}

/// What a recording says about an answer, for the weakness score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spoken {
    /// The first word came [`LATE_START_MS`] or more after the start, or never.
    pub late_start: bool,
    /// At least one pause of the pause threshold (3 s unless changed) between words.
    pub long_silence: bool,
}

/// A first word this long after the answer starts is a late start.
pub const LATE_START_MS: u64 = 5_000;

impl Spoken {
    /// From the figures of a recorded take.
    pub fn of(first_word_ms: Option<u64>, long_pauses: u32) -> Spoken {
        Spoken {
            late_start: first_word_ms.is_none_or(|ms| ms >= LATE_START_MS),
            long_silence: long_pauses > 0,
        }
    }
}

impl Attempt {
    /// How well it went, 1 (poor) to 5 (great): the candidate's rating if there is one,
    /// otherwise read from what happened: skipped 1, cut off or over time 2, shorter than
    /// the minimum 3, answered in time 4.
    pub fn quality(&self) -> u8 {
        if let Some(r) = self.rating {
            return r.clamp(1, 5);
        }
        match self.outcome {
            Outcome::Skipped | Outcome::Unfinished => 1,
            _ if self.over || self.outcome == Outcome::TimeUp => 2,
            _ if self.short => 3,
            _ => 4,
        }
    }
}

/// How many recent attempts the weakness score looks at.
const RECENT: usize = 5;

/// What a question never practised scores: above one that went well, below one rated 2/5
/// or one that ran over.
pub const NEVER_PRACTISED: f64 = 2.5;

/// What unrated answers count as in the rating term: a 3/5.
const UNRATED: f64 = 2.0;

/// A weakness score and what made it, for `--dry-run`.
#[derive(Debug, Clone, PartialEq)]
pub struct Weakness {
    pub score: f64,
    /// Each term that added something: what it saw, and how much it added.
    pub parts: Vec<(String, f64)>,
}

impl Weakness {
    /// `score 3.03: rated 2/5 (+3.00), last practised 1 day ago (+0.03)`.
    pub fn why(&self) -> String {
        let parts: Vec<String> = self
            .parts
            .iter()
            .map(|(what, add)| format!("{what} (+{add:.2})"))
            .collect();
        format!("score {:.2}: {}", self.score, parts.join(", "))
    }
}

/// The weakness score of one question from its attempts (oldest first), on `today`.
/// Higher means it needs practice more. The candidate's own rating weighs most. Over the
/// last five attempts:
///
/// ```text
///   1.0 × (5 − mean rating)          your ratings: 1/5 adds 4, 5/5 nothing (unrated: 2)
/// + 1.5 × share over time or cut off
/// + 1.5 × share skipped or unfinished
/// + 1.0 × share shorter than the minimum
/// + 1.0 × days since last practised / 30   (at most 1.0)
/// + 1.0 × share of recorded answers that started late (first word after 5 s, or none)
/// + 1.0 × share of recorded answers with a long silence (a pause over the threshold)
/// + 1.0 × share of talking points missed in transcribed answers
/// ```
///
/// The recording terms count only the recorded answers among those five, and the points
/// missed only the transcribed ones; without them they add nothing. A question never practised scores [`NEVER_PRACTISED`], so an answer
/// rated 2/5 (3.0) comes before it, and one rated 4/5 even when it ran over (2.5 at
/// most, practised today) does not. What made the score comes with it.
pub fn explain(attempts: &[&Attempt], today: NaiveDate) -> Weakness {
    let Some(last) = attempts.last() else {
        return Weakness {
            score: NEVER_PRACTISED,
            parts: vec![("never practised".to_string(), NEVER_PRACTISED)],
        };
    };
    let recent = &attempts[attempts.len().saturating_sub(RECENT)..];
    let ratings: Vec<f64> = recent
        .iter()
        .filter_map(|a| a.rating)
        .map(f64::from)
        .collect();
    let mut parts = Vec::new();
    if ratings.is_empty() {
        parts.push(("not rated".to_string(), UNRATED));
    } else {
        let mean = ratings.iter().sum::<f64>() / ratings.len() as f64;
        let what = match ratings.len() {
            1 => format!("rated {mean}/5"),
            n => format!("rated {}/5 on average of {n}", (mean * 10.0).round() / 10.0),
        };
        parts.push((what, 5.0 - mean));
    }
    let mut add = |weight: f64, count: usize, of: usize, what: &str| {
        if count > 0 {
            parts.push((
                format!("{count} of {of} {what}"),
                weight * count as f64 / of as f64,
            ));
        }
    };
    let count = |f: fn(&Attempt) -> bool| recent.iter().filter(|a| f(a)).count();
    let n = recent.len();
    add(
        1.5,
        count(|a| a.over || a.outcome == Outcome::TimeUp),
        n,
        "over time or cut off",
    );
    add(
        1.5,
        count(|a| matches!(a.outcome, Outcome::Skipped | Outcome::Unfinished)),
        n,
        "skipped",
    );
    add(1.0, count(|a| a.short), n, "shorter than the minimum");
    let spoken: Vec<Spoken> = recent.iter().filter_map(|a| a.spoken).collect();
    let m = spoken.len();
    add(
        1.0,
        spoken.iter().filter(|s| s.late_start).count(),
        m,
        "recordings started late",
    );
    add(
        1.0,
        spoken.iter().filter(|s| s.long_silence).count(),
        m,
        "recordings with a long silence",
    );
    let (covered, of) = recent
        .iter()
        .filter_map(|a| a.points)
        .fold((0, 0), |(c, o), (covered, of)| (c + covered, o + of));
    add(
        1.0,
        of.saturating_sub(covered) as usize,
        of as usize,
        "talking points missed",
    );
    let days = (today - last.day).num_days().clamp(0, 30);
    if days > 0 {
        let what = match days {
            1 => "last practised 1 day ago".to_string(),
            30 => "last practised 30 days ago or more".to_string(),
            d => format!("last practised {d} days ago"),
        };
        parts.push((what, days as f64 / 30.0));
    }
    Weakness {
        score: parts.iter().map(|(_, add)| add).sum(),
        parts,
    }
}

/// The `n` question ids (of `ids`, in bank order) that need practice most, weakest first;
/// ties keep bank order.
pub fn weakest<'a>(
    ids: &[&'a str],
    history: &[Attempt],
    n: usize,
    today: NaiveDate,
) -> Vec<(&'a str, Weakness)> {
    let mut scored: Vec<(&str, Weakness)> = ids
        .iter()
        .map(|id| {
            let attempts: Vec<&Attempt> = history.iter().filter(|a| a.id == *id).collect();
            (*id, explain(&attempts, today))
        })
        .collect();
    scored.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
    scored.truncate(n);
    scored
}

/// Where one question stands in the spaced-repetition schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// Answers in a row that went well (quality 3 or more).
    pub streak: u32,
    /// Days until it comes back after the last attempt.
    pub interval_days: u32,
    /// How easily it is remembered; starts at 2.5, never below 1.3.
    pub ease: f64,
    pub last: NaiveDate,
    pub due: NaiveDate,
}

impl Card {
    /// The SM-2 step: a poor answer (quality below 3) comes back tomorrow and restarts the
    /// streak; a good one comes back after 1 day, then 6, then the last interval times the
    /// ease. The ease moves up for great answers and down for hard ones.
    pub fn after(previous: Option<&Card>, quality: u8, day: NaiveDate) -> Card {
        let q = f64::from(quality.clamp(1, 5));
        let ease0 = previous.map_or(2.5, |c| c.ease);
        let ease = (ease0 + 0.1 - (5.0 - q) * (0.08 + (5.0 - q) * 0.02)).max(1.3);
        let (streak, interval_days) = if quality < 3 {
            (0, 1)
        } else {
            let streak = previous.map_or(0, |c| c.streak) + 1;
            let interval = match streak {
                1 => 1,
                2 => 6,
                _ => (f64::from(previous.map_or(6, |c| c.interval_days)) * ease0).round() as u32,
            };
            (streak, interval)
        };
        Card {
            streak,
            interval_days,
            ease,
            last: day,
            due: day
                .checked_add_days(Days::new(interval_days.into()))
                .unwrap_or(day),
        }
    }
}

/// The schedule of every question practised, by bank and id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    pub version: u32,
    pub cards: BTreeMap<String, BTreeMap<String, Card>>,
    /// The logs (file names) already counted: a session is counted once, however many
    /// sessions end at the same moment and rebuild or update the schedule.
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub counted: std::collections::BTreeSet<String>,
}

impl Schedule {
    /// Built from every attempt, oldest first.
    pub fn from_history(history: &[Attempt]) -> Schedule {
        let mut schedule = Schedule {
            version: 1,
            cards: BTreeMap::new(),
            counted: std::collections::BTreeSet::new(),
        };
        for attempt in history {
            schedule.record(attempt);
        }
        schedule
    }

    pub fn record(&mut self, attempt: &Attempt) {
        let cards = self.cards.entry(attempt.bank.clone()).or_default();
        let card = Card::after(cards.get(&attempt.id), attempt.quality(), attempt.day);
        cards.insert(attempt.id.clone(), card);
    }

    pub fn card(&self, bank: &str, id: &str) -> Option<&Card> {
        self.cards.get(bank).and_then(|c| c.get(id))
    }

    /// The ids (of `ids`, in bank order) to practise on `today`: those due, most overdue
    /// first, then those never practised.
    pub fn due<'a>(&self, bank: &str, ids: &[&'a str], today: NaiveDate) -> Vec<&'a str> {
        let mut due: Vec<(&str, NaiveDate)> = ids
            .iter()
            .filter_map(|id| self.card(bank, id).map(|c| (*id, c.due)))
            .filter(|(_, d)| *d <= today)
            .collect();
        due.sort_by_key(|(_, d)| *d);
        let new = ids
            .iter()
            .copied()
            .filter(|id| self.card(bank, id).is_none());
        due.into_iter().map(|(id, _)| id).chain(new).collect()
    }

    /// The next day anything of `ids` is due, for "nothing is due until ...".
    pub fn next_due(&self, bank: &str, ids: &[&str]) -> Option<NaiveDate> {
        ids.iter()
            .filter_map(|id| self.card(bank, id))
            .map(|c| c.due)
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weakness(attempts: &[&Attempt], today: NaiveDate) -> f64 {
        explain(attempts, today).score
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn attempt(id: &str, d: u32, outcome: Outcome, over: bool, rating: Option<u8>) -> Attempt {
        Attempt {
            bank: "b".into(),
            id: id.into(),
            day: day(d),
            outcome,
            over,
            short: false,
            rating,
            spoken: None,
            points: None,
        }
    }

    #[test]
    fn talking_points_missed_in_transcribed_answers_count_as_weak() {
        let today = day(25);
        let said = |covered: u32, of: u32| {
            let mut a = attempt("a", 25, Outcome::Answered, false, Some(5));
            a.points = Some((covered, of));
            a
        };
        // All six covered: nothing; two of six: four missed of six.
        assert_eq!(weakness(&[&said(6, 6)], today), 0.0);
        let thin = said(2, 6);
        assert!((weakness(&[&thin], today) - 4.0 / 6.0).abs() < 1e-9);
        let why = explain(&[&thin], today).why();
        assert!(why.contains("4 of 6 talking points missed"), "{why}");
        // Points of the transcribed answers only, summed: 4 of 12 missed.
        let unheard = attempt("a", 25, Outcome::Answered, false, Some(5));
        let full = said(6, 6);
        let score = weakness(&[&unheard, &thin, &full], today);
        assert!((score - 4.0 / 12.0).abs() < 1e-9, "{score}");
    }

    #[test]
    fn late_starts_and_long_silences_in_recordings_count_as_weak() {
        let today = day(25);
        let spoken = |first: Option<u64>, pauses: u32| {
            let mut a = attempt("a", 25, Outcome::Answered, false, Some(5));
            a.spoken = Some(Spoken::of(first, pauses));
            a
        };
        // Rated 5 today, in time: 0 without recordings.
        let quick = spoken(Some(1_200), 0);
        assert_eq!(weakness(&[&quick], today), 0.0);
        // Started after 6 s: a late start, 1.0.
        let late = spoken(Some(6_000), 0);
        assert_eq!(weakness(&[&late], today), 1.0);
        // Nothing said is a late start too; two long pauses are a long silence.
        let silent = spoken(None, 0);
        let halting = spoken(Some(900), 2);
        assert_eq!(weakness(&[&silent], today), 1.0);
        assert_eq!(weakness(&[&halting], today), 1.0);
        // Shares of the recorded answers only: one of two recorded started late (0.5),
        // the unrecorded one is not counted against it.
        let unrecorded = attempt("a", 25, Outcome::Answered, false, Some(5));
        assert_eq!(weakness(&[&unrecorded, &late, &quick], today), 0.5);
        assert_eq!(weakness(&[&unrecorded], today), 0.0);
    }

    #[test]
    fn weakness_by_hand() {
        let today = day(25);
        // Never practised.
        assert_eq!(weakness(&[], today), 2.5);
        // Rated 5 today, in time: (5 - 5) + 0 + 0 + 0 + 0 = 0.
        let great = attempt("a", 25, Outcome::Answered, false, Some(5));
        assert_eq!(weakness(&[&great], today), 0.0);
        // Rated 1 and 3 (mean 2): 3.0; one of two over time: 0.75;
        // last practised 15 days ago: 0.5. Total 4.25.
        let poor = attempt("b", 8, Outcome::Answered, true, Some(1));
        let fair = attempt("b", 10, Outcome::Answered, false, Some(3));
        assert!((weakness(&[&poor, &fair], today) - 4.25).abs() < 1e-9);
        assert_eq!(
            explain(&[&poor, &fair], today).why(),
            "score 4.25: rated 2/5 on average of 2 (+3.00), 1 of 2 over time or cut off \
             (+0.75), last practised 15 days ago (+0.50)"
        );
        // Unrated, skipped once of two, 40 days ago (capped at 30): 2.0 + 0.75 + 1.0.
        let mut skip = attempt("c", 1, Outcome::Skipped, false, None);
        skip.day = NaiveDate::from_ymd_opt(2026, 10, 16).unwrap();
        let mut ok = attempt("c", 1, Outcome::Answered, false, None);
        ok.day = NaiveDate::from_ymd_opt(2026, 10, 16).unwrap();
        assert!((weakness(&[&skip, &ok], today) - 3.75).abs() < 1e-9);
        assert_eq!(
            explain(&[], today).why(),
            "score 2.50: never practised (+2.50)"
        );
    }

    #[test]
    fn a_low_rating_weighs_most() {
        let today = day(25);
        // Rated 2/5, in time, today: 3.0.
        let low = attempt("low", 25, Outcome::Answered, false, Some(2));
        // Rated 4/5 but cut off at a limit shortened with `-`: 1.0 + 1.5.
        let cut = attempt("cut", 25, Outcome::TimeUp, true, Some(4));
        let history = [low, cut];
        let ids = ["new1", "cut", "low", "new2"];
        let picked: Vec<(&str, f64)> = weakest(&ids, &history, 4, today)
            .into_iter()
            .map(|(id, w)| (id, w.score))
            .collect();
        assert_eq!(
            picked,
            [("low", 3.0), ("new1", 2.5), ("cut", 2.5), ("new2", 2.5)]
        );
    }

    #[test]
    fn weakest_orders_by_score_and_keeps_bank_order_for_ties() {
        let history = vec![
            attempt("good", 25, Outcome::Answered, false, Some(5)),
            attempt("bad", 25, Outcome::Skipped, false, Some(1)),
            attempt("meh", 25, Outcome::Answered, false, Some(3)),
        ];
        let ids = ["good", "new1", "bad", "meh", "new2"];
        let picked: Vec<&str> = weakest(&ids, &history, 3, day(25))
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        // bad: 4.0 + 1.5 = 5.5; new: 2.5 each; meh: 2.0; good: 0.
        assert_eq!(picked, ["bad", "new1", "new2"]);
    }

    #[test]
    fn sm2_intervals_by_hand() {
        let c1 = Card::after(None, 4, day(1));
        assert_eq!((c1.streak, c1.interval_days, c1.due), (1, 1, day(2)));
        assert!((c1.ease - 2.5).abs() < 1e-9);
        let c2 = Card::after(Some(&c1), 5, day(2));
        assert_eq!((c2.streak, c2.interval_days, c2.due), (2, 6, day(8)));
        assert!((c2.ease - 2.6).abs() < 1e-9);
        // Third good answer: 6 days × ease 2.6 = 15.6, rounded to 16.
        let c3 = Card::after(Some(&c2), 3, day(8));
        assert_eq!((c3.streak, c3.interval_days, c3.due), (3, 16, day(24)));
        assert!((c3.ease - 2.46).abs() < 1e-9);
        // A poor answer: back tomorrow, streak restarts, ease drops (never below 1.3).
        let c4 = Card::after(Some(&c3), 1, day(24));
        assert_eq!((c4.streak, c4.interval_days, c4.due), (0, 1, day(25)));
        assert!((c4.ease - 1.92).abs() < 1e-9);
        let mut c = c4;
        for _ in 0..10 {
            c = Card::after(Some(&c), 1, day(24));
        }
        assert!((c.ease - 1.3).abs() < 1e-9);
    }

    #[test]
    fn quality_without_a_rating_comes_from_what_happened() {
        let mut a = attempt("a", 1, Outcome::Answered, false, None);
        assert_eq!(a.quality(), 4);
        a.short = true;
        assert_eq!(a.quality(), 3);
        a.over = true;
        assert_eq!(a.quality(), 2);
        assert_eq!(attempt("a", 1, Outcome::Skipped, false, None).quality(), 1);
        assert_eq!(
            attempt("a", 1, Outcome::Skipped, false, Some(5)).quality(),
            5
        );
    }

    #[test]
    fn due_lists_overdue_first_then_new() {
        let history = vec![
            attempt("soon", 20, Outcome::Answered, false, Some(5)),
            attempt("late", 10, Outcome::Answered, false, Some(2)),
            attempt("later", 18, Outcome::Answered, false, Some(1)),
        ];
        let schedule = Schedule::from_history(&history);
        let ids = ["soon", "later", "late", "fresh"];
        // soon: due on the 21st; late: the 11th; later: the 19th.
        assert_eq!(schedule.due("b", &ids, day(20)), ["late", "later", "fresh"]);
        assert_eq!(
            schedule.due("b", &ids, day(21)),
            ["late", "later", "soon", "fresh"]
        );
        assert_eq!(schedule.next_due("b", &["soon"]), Some(day(21)));
        assert!(
            schedule.due("other", &ids, day(21)).len() == 4,
            "another bank: all new"
        );
    }
}
