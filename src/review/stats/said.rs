//! What the stats keep of transcribed answers (`run --transcribe`): words a minute and
//! filler words a minute over the time spoken, and the share of talking points covered.
//! Sums only, so memory does not grow with the attempts.

use serde::Serialize;

use crate::log::read::QuestionRecord;

/// The transcript of an attempt's take that counts, as small as the stats need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SaidAttempt {
    pub words: u32,
    pub filler_words: u32,
    /// How long the person spoke in that take, when it was measured.
    #[serde(skip)]
    pub speech_ms: Option<u64>,
    pub points_covered: u16,
    pub points: u16,
}

impl SaidAttempt {
    pub fn of(q: &QuestionRecord) -> Option<SaidAttempt> {
        let take = q.counted_take()?;
        let t = take.transcript.as_ref()?;
        let (covered, of) = t.coverage();
        Some(SaidAttempt {
            words: t.words,
            filler_words: t.fillers.total,
            speech_ms: take
                .spoken
                .as_ref()
                .map(|s| s.speech_ms)
                .filter(|&ms| ms > 0),
            points_covered: u16::try_from(covered).unwrap_or(u16::MAX),
            points: u16::try_from(of).unwrap_or(u16::MAX),
        })
    }

    pub fn words_a_minute(&self) -> Option<u32> {
        self.speech_ms
            .map(|ms| per_minute(u64::from(self.words), ms).round() as u32)
    }

    pub fn fillers_a_minute(&self) -> Option<f64> {
        self.speech_ms
            .map(|ms| tenths(per_minute(u64::from(self.filler_words), ms)))
    }

    pub fn coverage(&self) -> Option<f64> {
        (self.points > 0).then(|| f64::from(self.points_covered) / f64::from(self.points))
    }
}

fn per_minute(count: u64, ms: u64) -> f64 {
    count as f64 * 60_000.0 / ms as f64
}

fn tenths(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// How the transcribed answers of a row (or of everything) were said.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Said {
    /// Attempts whose take that counts was transcribed.
    pub transcribed: usize,
    /// All their words over all the time spoken in them (those with a time).
    pub words_a_minute: Option<u32>,
    pub fillers_a_minute: Option<f64>,
    pub filler_words: u64,
    /// Talking points covered, of the points of the questions transcribed.
    pub points_covered: u64,
    pub points: u64,
    /// `points_covered` over `points`, 0 to 1.
    pub coverage: Option<f64>,
    /// The same attempts as `trend_ms`, oldest first; `null` where not transcribed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trend_words_a_minute: Vec<Option<u32>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trend_fillers_a_minute: Vec<Option<f64>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trend_coverage: Vec<Option<f64>>,
}

/// Transcribed attempts summed up.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct SaidSums {
    transcribed: usize,
    filler_words: u64,
    /// Words and fillers of the attempts with a speaking time, and that time.
    timed_words: u64,
    timed_fillers: u64,
    speech_ms: u64,
    covered: u64,
    points: u64,
}

impl SaidSums {
    pub fn add(&mut self, a: &SaidAttempt) {
        self.transcribed += 1;
        self.filler_words += u64::from(a.filler_words);
        if let Some(ms) = a.speech_ms {
            self.timed_words += u64::from(a.words);
            self.timed_fillers += u64::from(a.filler_words);
            self.speech_ms = self.speech_ms.saturating_add(ms);
        }
        self.covered += u64::from(a.points_covered);
        self.points += u64::from(a.points);
    }

    pub fn merge(&mut self, o: &SaidSums) {
        self.transcribed += o.transcribed;
        self.filler_words += o.filler_words;
        self.timed_words += o.timed_words;
        self.timed_fillers += o.timed_fillers;
        self.speech_ms = self.speech_ms.saturating_add(o.speech_ms);
        self.covered += o.covered;
        self.points += o.points;
    }

    /// The figures, with no trends; none when nothing was transcribed.
    pub fn said(&self) -> Option<Said> {
        let timed = self.speech_ms > 0;
        (self.transcribed > 0).then(|| Said {
            transcribed: self.transcribed,
            words_a_minute: timed
                .then(|| per_minute(self.timed_words, self.speech_ms).round() as u32),
            fillers_a_minute: timed.then(|| tenths(per_minute(self.timed_fillers, self.speech_ms))),
            filler_words: self.filler_words,
            points_covered: self.covered,
            points: self.points,
            coverage: (self.points > 0).then(|| self.covered as f64 / self.points as f64),
            trend_words_a_minute: Vec::new(),
            trend_fillers_a_minute: Vec::new(),
            trend_coverage: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_over_the_time_spoken_and_coverage_over_all_points() {
        let mut sums = SaidSums::default();
        // 150 words and 3 fillers in 60 s; 100 words and 1 filler in 40 s; one more
        // transcript without a speaking time counts its points and fillers, not its pace.
        let said = |words, fillers, ms, covered, points| SaidAttempt {
            words,
            filler_words: fillers,
            speech_ms: ms,
            points_covered: covered,
            points,
        };
        sums.add(&said(150, 3, Some(60_000), 2, 6));
        sums.add(&said(100, 1, Some(40_000), 1, 4));
        let mut other = SaidSums::default();
        other.add(&said(80, 5, None, 0, 2));
        sums.merge(&other);
        let s = sums.said().unwrap();
        assert_eq!(s.transcribed, 3);
        assert_eq!(s.words_a_minute, Some(150));
        assert_eq!(s.fillers_a_minute, Some(2.4));
        assert_eq!(s.filler_words, 9);
        assert_eq!((s.points_covered, s.points), (3, 12));
        assert_eq!(s.coverage, Some(0.25));
        assert_eq!(SaidSums::default().said(), None);
        assert_eq!(said(100, 2, Some(40_000), 1, 4).words_a_minute(), Some(150));
        assert_eq!(
            said(100, 2, Some(40_000), 1, 4).fillers_a_minute(),
            Some(3.0)
        );
        assert_eq!(said(100, 2, None, 0, 0).coverage(), None);
    }
}
