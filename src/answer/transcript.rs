//! What was said in a take (`--transcribe`): its words as the speech model heard them and
//! what they say about the answer, as the log's `answer_transcribed` keeps them, and the
//! words that show them on the screen, in review and in the exports.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Filler words or hedges: how many in all, and of each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub total: u32,
    #[serde(default)]
    pub counts: BTreeMap<String, u32>,
}

impl From<crate::analyse::Counts> for Tally {
    fn from(c: crate::analyse::Counts) -> Tally {
        Tally {
            total: c.total,
            counts: c.counts,
        }
    }
}

/// The transcript of one take and what it says: the log's `answer_transcribed` record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    /// 1-based question number.
    pub index: usize,
    #[serde(default)]
    pub id: String,
    pub take: u32,
    pub text: String,
    pub words: u32,
    /// Words a minute of speaking (the spoken figures' speaking time); none under 5 s of
    /// speech.
    pub wpm: Option<u32>,
    pub fillers: Tally,
    #[serde(default)]
    pub hedges: Tally,
    /// Each talking point of the question, in order: covered or not.
    #[serde(default)]
    pub covered: Vec<bool>,
    /// Each talking point: what was heard for it (the closest part of the answer), for the
    /// points covered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub heard: Vec<Option<String>>,
    /// What made the text: the model's name, or `command:PROGRAM`.
    #[serde(default)]
    pub model: String,
}

/// Which take a transcript is of, and what made it.
pub struct Of<'a> {
    pub index: usize,
    pub id: &'a str,
    pub take: u32,
    pub model: &'a str,
}

impl Transcript {
    /// The text of a take and its analysis (`analyse::analyse` of that text).
    pub fn new(of: Of<'_>, text: String, a: crate::analyse::Analysis) -> Transcript {
        Transcript {
            index: of.index,
            id: of.id.to_string(),
            take: of.take,
            words: u32::try_from(a.words).unwrap_or(u32::MAX),
            wpm: a.wpm,
            fillers: a.fillers.into(),
            hedges: a.hedges.into(),
            covered: a.points.iter().map(|p| p.covered).collect(),
            // What was heard is kept for the points covered, and only where it is a part
            // of the answer: the whole answer again under each point says nothing more.
            heard: (a.points.into_iter())
                .map(|p| p.heard.filter(|h| p.covered && !same_words(h, &text)))
                .collect(),
            model: of.model.to_string(),
            text,
        }
    }

    /// Talking points covered, and how many there were.
    pub fn coverage(&self) -> (usize, usize) {
        let covered = self.covered.iter().filter(|&&c| c).count();
        (covered, self.covered.len())
    }

    /// Filler words a minute of speaking, when the speaking time is known (`speech_ms`).
    pub fn fillers_a_minute(&self, speech_ms: u64) -> Option<f64> {
        (speech_ms > 0).then(|| f64::from(self.fillers.total) * 60_000.0 / speech_ms as f64)
    }
}

/// `142 words a minute · 3 filler words (um 2, you know 1) · 1 hedge (I mean)`: how it
/// was said, in one line.
pub fn line(t: &Transcript) -> String {
    let mut parts = Vec::new();
    parts.push(match t.wpm {
        Some(wpm) => format!("{wpm} words a minute"),
        None => format!("{} words", t.words),
    });
    parts.push(tally(&t.fillers, "filler word", "filler words"));
    if t.hedges.total > 0 {
        parts.push(tally(&t.hedges, "hedge", "hedges"));
    }
    let (covered, of) = t.coverage();
    if of > 0 {
        parts.push(format!("covered {covered} of {of} talking points"));
    }
    parts.join(" · ")
}

/// The same words, whatever the punctuation around them.
fn same_words(a: &str, b: &str) -> bool {
    fn words(t: &str) -> &str {
        t.trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
    }
    words(a).eq_ignore_ascii_case(words(b))
}

/// `no filler words`, `3 filler words (um 2, you know 1)`.
fn tally(t: &Tally, one: &str, many: &str) -> String {
    let name = if t.total == 1 { one } else { many };
    if t.total == 0 {
        return format!("no {many}");
    }
    let each: Vec<String> = t
        .counts
        .iter()
        .map(|(word, n)| match n {
            1 => word.clone(),
            n => format!("{word} {n}"),
        })
        .collect();
    format!("{} {name} ({})", t.total, each.join(", "))
}

/// The transcript with its filler words marked, `[um]`, as `spans` (byte ranges, in
/// order) give them; fillers next to each other ("you know") share one pair of brackets.
pub fn marked(text: &str, spans: &[std::ops::Range<usize>]) -> String {
    let mut joined: Vec<std::ops::Range<usize>> = Vec::new();
    for span in spans {
        let fits = span.end <= text.len() && text.is_char_boundary(span.start);
        match joined.last_mut() {
            _ if !fits || !text.is_char_boundary(span.end) => {}
            Some(last) if span.start < last.end => {}
            Some(last) if text[last.end..span.start].trim().is_empty() => last.end = span.end,
            _ => joined.push(span.clone()),
        }
    }
    let mut out = String::with_capacity(text.len() + 2 * joined.len());
    let mut at = 0;
    for span in joined {
        out.push_str(&text[at..span.start]);
        out.push('[');
        out.push_str(&text[span.clone()]);
        out.push(']');
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// What was said with its filler words marked, `[um]`, found again as the analysis finds
/// them.
pub fn said(t: &Transcript) -> String {
    let spans = crate::analyse::analyse(&t.text, None, &[], None).filler_spans;
    marked(&t.text, &spans)
}

/// `covered 1, 3 · missed 2, 4`: which talking points, by number, the take covered.
pub fn points(t: &Transcript) -> Option<String> {
    let numbers = |covered: bool| -> Vec<String> {
        (t.covered.iter().enumerate())
            .filter(|(_, c)| **c == covered)
            .map(|(i, _)| (i + 1).to_string())
            .collect()
    };
    let (hit, missed) = (numbers(true), numbers(false));
    let mut parts = Vec::new();
    if !hit.is_empty() {
        parts.push(format!("covered {}", hit.join(", ")));
    }
    if !missed.is_empty() {
        parts.push(format!("missed {}", missed.join(", ")));
    }
    (!parts.is_empty()).then(|| format!("talking points: {}", parts.join(" · ")))
}

/// The CSV export's columns for what was said.
pub const CSV_HEADER: [&str; 5] = [
    "words",
    "words_a_minute",
    "filler_words",
    "points_covered",
    "points",
];

/// The cells under [`CSV_HEADER`]; empty for an answer not transcribed.
pub fn csv_cells(t: Option<&Transcript>) -> [String; 5] {
    let Some(t) = t else {
        return Default::default();
    };
    let (covered, of) = t.coverage();
    [
        t.words.to_string(),
        t.wpm.map(|w| w.to_string()).unwrap_or_default(),
        t.fillers.total.to_string(),
        covered.to_string(),
        of.to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Transcript {
        Transcript {
            index: 1,
            take: 1,
            text: "Um, we tell them, uh, within sixty days.".into(),
            words: 9,
            wpm: Some(142),
            fillers: Tally {
                total: 3,
                counts: [("um".to_string(), 2), ("you know".to_string(), 1)].into(),
            },
            hedges: Tally {
                total: 1,
                counts: [("I mean".to_string(), 1)].into(),
            },
            covered: vec![true, false, true],
            ..Transcript::default()
        }
    }

    #[test]
    fn one_line_says_pace_fillers_hedges_and_points() {
        assert_eq!(
            line(&sample()),
            "142 words a minute · 3 filler words (um 2, you know) · 1 hedge (I mean) · \
             covered 2 of 3 talking points"
        );
        let quiet = Transcript {
            wpm: None,
            fillers: Tally::default(),
            hedges: Tally::default(),
            covered: Vec::new(),
            ..sample()
        };
        assert_eq!(line(&quiet), "9 words · no filler words");
    }

    #[test]
    fn what_was_heard_is_kept_only_where_it_is_part_of_the_answer() {
        let points = ["Sixty days of discovery".to_string(), "HHS".to_string()];
        let coverage = crate::analyse::coverage_for(points.iter().map(String::as_str));
        let of = || Of {
            index: 1,
            id: "q",
            take: 1,
            model: "m",
        };
        let one = "We tell them within sixty days of discovery.";
        let a = crate::analyse::analyse(one, None, &points, Some(&coverage));
        let t = Transcript::new(of(), one.to_string(), a);
        assert!(t.covered[0]);
        assert_eq!(t.heard[0], None, "the whole answer is not repeated");
        // The closest two sentences of three.
        let two = "We tell them within sixty days of discovery. It was a busy year. \
                   The weather was fine.";
        let a = crate::analyse::analyse(two, None, &points, Some(&coverage));
        let t = Transcript::new(of(), two.to_string(), a);
        assert!(t.covered[0]);
        let heard = t.heard[0].as_deref().unwrap_or_default();
        assert!(
            heard.contains("sixty days") && !heard.contains("weather"),
            "{heard}"
        );
        assert_eq!(t.heard[1], None, "not covered");
    }

    #[test]
    fn fillers_are_marked_where_they_are() {
        let text = "Um, we tell them, uh, within sixty days.";
        assert_eq!(
            marked(text, &[0..2, 18..20]),
            "[Um], we tell them, [uh], within sixty days."
        );
        assert_eq!(
            marked("so, you know, fine", &[4..7, 8..12]),
            "so, [you know], fine"
        );
        assert_eq!(sample().fillers_a_minute(30_000), Some(6.0));
    }
}
