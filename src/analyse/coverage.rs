//! Whether an answer covered a talking point, by its words. Pure.
//!
//! How it decides: the point and the answer become terms ([`super::terms`]); each term of
//! the point weighs more the rarer it is among the bank's talking points (a point's
//! "HHS" or "60" says more than its "patients"). The answer is read a sentence or two at a
//! time, and the score of a point is the weight of its terms found in the best such
//! stretch, out of the point's weight (or out of [`Settings::enough`] when the point is
//! long: a panel does not expect every detail of a long point). A point is covered when
//! its score reaches [`Settings::threshold`] with at least [`Settings::min_share`] of its
//! different terms, so one word ("HHS" alone) never covers a point of several. What a
//! point sets itself against ("rather than only working longer hours") is left out of it.
//! What was heard for it is that best stretch.

use std::collections::{HashMap, HashSet};

use super::terms::Terms;
use super::words::sentences;

/// The method's settings, chosen on the tuning half of the labelled answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Weight of matched terms that is enough to cover any point, however long.
    pub enough: f64,
    /// The share of the point's weight (or of `enough`) that covers it.
    pub threshold: f64,
    /// At least this many different terms of the point must be heard.
    pub min_terms: usize,
    /// Sentences read together.
    pub span: usize,
    /// At least this share of the point's different terms must be heard: a point about
    /// when and for whom to report to HHS is not covered by "we report to HHS".
    pub min_share: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            enough: 4.0,
            threshold: 0.6,
            min_terms: 1,
            span: 2,
            min_share: 0.25,
        }
    }
}

/// One point judged.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Judged {
    pub covered: bool,
    /// From 0 to 1.
    pub score: f64,
    /// The part of the answer that came closest to the point; `None` if nothing did.
    pub heard: Option<String>,
}

/// Judges points of one bank.
pub struct Coverage {
    terms: Terms,
    /// Document frequency of each term among the bank's points, and their number.
    frequency: HashMap<String, usize>,
    points: usize,
    settings: Settings,
}

impl Coverage {
    /// Weights come from `all_points`: every talking point of the bank.
    pub fn new<'a>(all_points: impl IntoIterator<Item = &'a str>, settings: Settings) -> Coverage {
        let terms = Terms::default();
        let mut frequency: HashMap<String, usize> = HashMap::new();
        let mut points = 0;
        for point in all_points {
            points += 1;
            for term in terms.of_point(point).into_iter().collect::<HashSet<_>>() {
                *frequency.entry(term).or_default() += 1;
            }
        }
        Coverage {
            terms,
            frequency,
            points,
            settings,
        }
    }

    fn weight(&self, term: &str) -> f64 {
        let df = self.frequency.get(term).copied().unwrap_or(0) as f64;
        (1.0 + (self.points as f64 + 1.0) / (df + 1.0)).ln()
    }

    /// How well `answer` covered each of a question's `points`. A term that several of
    /// the points share ("60 days" in every deadline of a question) tells them apart less,
    /// so it weighs less in each of them.
    pub fn judge(&self, points: &[String], answer: &str) -> Vec<Judged> {
        let wanted: Vec<HashSet<String>> = points
            .iter()
            .map(|p| self.terms.of_point(p).into_iter().collect())
            .collect();
        let mut shared: HashMap<&str, usize> = HashMap::new();
        for terms in &wanted {
            for t in terms {
                *shared.entry(t.as_str()).or_default() += 1;
            }
        }
        let stretches = sentences(answer);
        let span = self.settings.span.max(1);
        let heard: Vec<(std::ops::Range<usize>, HashSet<String>)> = (0..stretches.len())
            .map(|i| {
                let end = (i + span).min(stretches.len());
                let range = stretches[i].start..stretches[end - 1].end;
                let terms = self
                    .terms
                    .of_answer(&answer[range.clone()])
                    .into_iter()
                    .collect();
                (range, terms)
            })
            .collect();
        wanted
            .iter()
            .map(|terms| {
                let weight = |t: &String| self.weight(t) / shared[t.as_str()] as f64;
                let total: f64 = terms.iter().map(weight).sum();
                let scale = total.min(self.settings.enough).max(f64::EPSILON);
                let mut best = (0.0, 0, None);
                for (range, words) in &heard {
                    let matched: Vec<&String> = terms.intersection(words).collect();
                    let w: f64 = matched.iter().map(|t| weight(t)).sum();
                    if w > best.0 {
                        best = (w, matched.len(), Some(range.clone()));
                    }
                }
                let (w, count, range) = best;
                let score = (w / scale).min(1.0);
                let share = count as f64 / terms.len().max(1) as f64;
                Judged {
                    covered: score >= self.settings.threshold
                        && count >= self.settings.min_terms
                        && share >= self.settings.min_share,
                    score: (score * 100.0).round() / 100.0,
                    heard: range.map(|r| answer[r].to_string()),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A judge for the built-in bank, and the points of its breach notification question.
    fn breach() -> (Coverage, Vec<String>) {
        let bank = crate::bank::find(crate::bank::DEFAULT_BANK, None).unwrap();
        let coverage = Coverage::new(
            bank.questions
                .iter()
                .flat_map(|q| q.talking_points.iter().map(String::as_str)),
            Settings::default(),
        );
        let q = bank
            .questions
            .iter()
            .find(|q| q.id == "breach-notification-timelines")
            .unwrap();
        (coverage, q.talking_points.clone())
    }

    #[test]
    fn a_paraphrase_covers_a_point_and_one_word_does_not() {
        let (coverage, question) = breach();
        let judged = coverage.judge(
            &question,
            "We tell the patients sixty days after we found it, at the latest.",
        );
        assert!(judged[0].covered, "{judged:?}");
        let judged = coverage.judge(
            &question,
            "Then we notify the patients. And then there is HHS.",
        );
        assert!(!judged[2].covered, "{judged:?}");
        let nothing = coverage.judge(&question, "").remove(2);
        assert_eq!(
            (nothing.covered, nothing.score, nothing.heard),
            (false, 0.0, None)
        );
    }

    #[test]
    fn what_was_heard_is_the_closest_stretch() {
        let (coverage, question) = breach();
        let answer = "I like my job. Over five hundred people in one state means we call the press. That's it.";
        let judged = coverage.judge(&question, answer).remove(1);
        assert!(
            judged
                .heard
                .as_deref()
                .unwrap()
                .contains("five hundred people in one state")
        );
    }
}
