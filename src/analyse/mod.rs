//! What an answer's words say about it: how many words, how fast (words a minute of
//! speaking), the filler words and hedges, and which talking points it covered. Pure: a
//! transcript, the speaking time if known, and the question's points in; figures out.
//! The session, `review` and `rehearse feedback` all take their figures from here.

pub mod coverage;
mod fillers;
mod terms;
mod words;

use std::time::Duration;

pub use coverage::{Coverage, Judged, Settings};
pub use fillers::Counts;

/// The words of a text, whatever their case and punctuation: "By mail. Within" and "by
/// mail within" have the same; hyphenated words are split.
pub fn plain_words(text: &str) -> Vec<String> {
    words::words(text)
        .into_iter()
        .flat_map(|w| w.lower.split('-').map(str::to_string).collect::<Vec<_>>())
        .collect()
}

/// One talking point, judged.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Point {
    /// Its number in the question, from 1.
    pub index: usize,
    pub text: String,
    pub covered: bool,
    pub score: f64,
    /// What was heard for it: the closest part of the answer.
    pub heard: Option<String>,
}

/// The figures of one answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Analysis {
    pub words: usize,
    /// Words a minute of speaking; `None` without the speaking time.
    pub wpm: Option<u32>,
    pub fillers: Counts,
    pub hedges: Counts,
    pub points: Vec<Point>,
    /// Where the fillers are in the transcript (byte ranges), for marking them when it is
    /// shown.
    #[serde(skip)]
    pub filler_spans: Vec<std::ops::Range<usize>>,
}

/// Less speech than this gives no pace: a few words are no rate.
const MIN_SPEECH_FOR_PACE: Duration = Duration::from_secs(5);

/// Analyses a transcript. `points` are the question's talking points and `coverage`
/// judges them (built once per bank); `speech` is how long the person spoke.
pub fn analyse(
    transcript: &str,
    speech: Option<Duration>,
    points: &[String],
    coverage: Option<&Coverage>,
) -> Analysis {
    let words = words::words(transcript);
    let (marked, fillers, hedges) = fillers::find(&words);
    let count = words.len();
    let wpm = speech
        .filter(|s| *s >= MIN_SPEECH_FOR_PACE)
        .map(|s| (count as f64 / s.as_secs_f64() * 60.0).round() as u32);
    let points = match coverage {
        Some(coverage) => points
            .iter()
            .zip(coverage.judge(points, transcript))
            .enumerate()
            .map(|(i, (text, judged))| Point {
                index: i + 1,
                text: text.clone(),
                covered: judged.covered,
                score: judged.score,
                heard: judged.heard,
            })
            .collect(),
        None => Vec::new(),
    };
    Analysis {
        words: count,
        wpm,
        fillers,
        hedges,
        points,
        filler_spans: words
            .iter()
            .zip(&marked)
            .filter(|(_, m)| **m)
            .map(|(w, _)| w.start..w.end)
            .collect(),
    }
}

/// A coverage judge for a bank's talking points, with the settings chosen by
/// measurement.
pub fn coverage_for<'a>(all_points: impl IntoIterator<Item = &'a str>) -> Coverage {
    Coverage::new(all_points, Settings::default())
}

/// The judge of a bank's talking points, its terms weighed over all of them.
pub fn coverage_of(bank: &crate::bank::Bank) -> Coverage {
    coverage_for((bank.questions.iter()).flat_map(|q| q.talking_points.iter().map(String::as_str)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_pace_fillers_and_points() {
        let points = vec![
            "Individuals: within 60 calendar days of discovery.".to_string(),
            "HHS: for 500 or more individuals, at the same time.".to_string(),
        ];
        let coverage = coverage_for(points.iter().map(String::as_str));
        let text = "Um, we notify patients, like, sixty days after we found it, you know.";
        let a = analyse(text, Some(Duration::from_secs(6)), &points, Some(&coverage));
        assert_eq!(a.words, 13);
        assert_eq!(a.wpm, Some(130));
        assert_eq!(a.fillers.total, 3);
        assert_eq!(
            a.filler_spans
                .iter()
                .map(|r| &text[r.clone()])
                .collect::<Vec<_>>(),
            ["Um", "like", "you", "know"]
        );
        assert_eq!(a.points.len(), 2);
        assert!(
            a.points[0].covered && !a.points[1].covered,
            "{:?}",
            a.points
        );
        assert_eq!(a.points[0].index, 1);
        let short = analyse("Yes.", Some(Duration::from_secs(1)), &[], None);
        assert_eq!((short.words, short.wpm), (1, None));
        assert!(short.points.is_empty());
    }
}
