//! Text made comparable: the content words of a talking point or an answer, each reduced
//! to a term that other ways of saying it share. Pure.
//!
//! - Numbers are digits whether written or spoken: "sixty" and "60" are the term `60`,
//!   "five hundred" is `500`, "60-day" is `60` and `day`.
//! - Abbreviations and what they stand for are one term: "HHS" and "Health and Human
//!   Services", "ROI" and "release of information".
//! - Words are stemmed (Snowball English): "discovered", "discovery" and "discovering" are
//!   one term; a few groups of words that say the same thing in an interview answer are
//!   one term too ("found" and "discovered", "patients" and "individuals").
//! - Little words ("the", "and", "we") and legal citations ("(45 CFR 164.404)") are left
//!   out: nobody says a citation in an answer, and a point is not missed for lacking one.

use rust_stemmers::{Algorithm, Stemmer};

use super::words::words;

/// Phrases and the abbreviation that stands for them, matched on lower-case words.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("department of health and human services", "hhs"),
    ("health and human services", "hhs"),
    ("electronic protected health information", "phi"),
    ("protected health information", "phi"),
    ("ephi", "phi"),
    ("electronic health records", "ehr"),
    ("electronic health record", "ehr"),
    ("electronic medical record", "ehr"),
    ("release of information", "roi"),
    ("master patient index", "mpi"),
    ("business associate agreements", "baa"),
    ("business associate agreement", "baa"),
    ("baas", "baa"),
    ("discharged not final billed", "dnfb"),
    ("office for civil rights", "ocr"),
    ("key performance indicators", "kpi"),
    ("key performance indicator", "kpi"),
    ("kpis", "kpi"),
    ("conditions of participation", "cop"),
    ("condition of participation", "cop"),
    ("cops", "cop"),
    ("multi-factor authentication", "mfa"),
    ("multifactor authentication", "mfa"),
    ("two-factor authentication", "mfa"),
    ("history and physical", "h&p"),
    ("legal health record", "lhr"),
    ("substance use disorder", "sud"),
    ("health information management", "himdept"),
    ("information technology", "itdept"),
    ("toll-free number", "phone"),
    ("toll free number", "phone"),
    ("phone number", "phone"),
    ("per cent", "percent"),
];

/// Words that say the same thing here, by stem: the first of each group stands for all.
const SAME: &[&[&str]] = &[
    &["discov", "discoveri", "found", "find", "detect", "identifi"],
    &["individu", "patient", "person", "peopl", "resid"],
    &[
        "notifi", "notif", "notic", "inform", "tell", "told", "letter", "alert",
    ],
    &["physician", "doctor", "provid", "clinician"],
    &["metric", "measur", "number", "kpi", "indic", "data"],
    &["goal", "target", "object"],
    &["mistak", "error", "failur", "fail", "wrong"],
    &["recov", "fix", "repair", "correct", "resolv"],
    &["quick", "fast", "rapid", "prompt", "soon", "immedi"],
    &["prioriti", "priorit", "rank"],
    &["manag", "director", "supervisor", "boss", "leadership"],
    &["respons", "own", "account", "charg", "role"],
    &["web", "websit", "onlin"],
    &["broadcast", "tv", "televis", "radio"],
    &["media", "newspap", "press", "outlet", "print"],
    &["attorney", "lawyer", "counsel"],
    &["colleagu", "cowork", "peer"],
    &[
        "reduc", "cut", "decreas", "lower", "drop", "fell", "shorten",
    ],
    &["improv", "better"],
    &["result", "outcom", "impact"],
    &["lesson", "learn", "takeaway"],
    &["record", "chart"],
    &["experi", "background", "skill"],
    &["organ", "organiz", "hospit", "compani", "system"],
    &["pay", "salari", "money", "compens"],
    &["team", "staff"],
    &["listen", "hear", "heard", "understand"],
    &["meet", "met", "sat"],
    &["deadlin", "due"],
    &["calm", "composur"],
    &["check", "review", "verifi"],
    &["plan", "roadmap"],
    &["decis", "decid"],
    &["chang", "switch"],
    &["delay", "late", "wait"],
];

/// Ways of telling a story that make a point a talking point names in the abstract: "I
/// was the one who approved it" is what you were responsible for. An answer that says
/// one of these has the term on the left (as stemmed in [`SAME`]). A number in an answer
/// counts as a result and a measure.
const CUES: &[(&str, &[&str])] = &[
    (
        "respons",
        &[
            "i was responsible",
            "my job",
            "my role",
            "i was the one",
            "i ran",
            "i led",
            "i owned",
            "my call",
            "my area",
            "i was leading",
            "i was accountable",
            "fell to me",
            "my mistake",
            "my fault",
            "my part",
        ],
    ),
    (
        "result",
        &[
            "since then",
            "after that",
            "in the end",
            "as a result",
            "ended up",
            "went from",
            "turned out",
            "afterwards",
            "a month later",
            "went live",
        ],
    ),
    (
        "lesson",
        &[
            "i learned",
            "next time",
            "i'd do",
            "i would do",
            "i still",
            "now i",
            "going forward",
            "taught me",
        ],
    ),
    (
        "notifi",
        &["i told", "i called", "i emailed", "let them know", "update"],
    ),
    (
        "current",
        &["currently", "right now", "these days", "at the moment"],
    ),
    (
        "experi",
        &[
            "before that",
            "previously",
            "i spent",
            "came up through",
            "years as",
            "i started as",
        ],
    ),
    (
        "next",
        &[
            "looking to",
            "i want to",
            "i'd like to",
            "move into",
            "next step",
        ],
    ),
    ("strength", &["good at", "i'm strong", "best at"]),
    (
        "chang",
        &[
            "i cut",
            "i started",
            "i began",
            "we switched",
            "i switched",
            "we moved",
            "i added",
            "i set up",
        ],
    ),
    (
        "improv",
        &[
            "went up",
            "went down",
            "fell to",
            "got better",
            "rated",
            "down to",
        ],
    ),
    (
        "recov",
        &[
            "got it back",
            "got the record back",
            "back on track",
            "brought in",
            "caught up",
            "cleared",
        ],
    ),
    (
        "disagre",
        &[
            "argued",
            "pushed back",
            "we disagreed",
            "i disagreed",
            "didn't agree",
            "i thought we",
        ],
    ),
    (
        "reaction",
        &[
            "first reaction",
            "i was frustrated",
            "annoyed",
            "defensive",
            "i was upset",
        ],
    ),
    (
        "listen",
        &[
            "listened",
            "i asked",
            "asked her",
            "asked him",
            "asked what",
        ],
    ),
];

/// Little words that carry no point of their own.
const STOP: &[&str] = &[
    "a",
    "about",
    "after",
    "afterward",
    "afterwards",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "each",
    "either",
    "even",
    "every",
    "for",
    "from",
    "get",
    "got",
    "had",
    "has",
    "have",
    "he",
    "her",
    "here",
    "him",
    "his",
    "how",
    "i",
    "i'd",
    "i'm",
    "i've",
    "if",
    "in",
    "into",
    "is",
    "it",
    "it's",
    "its",
    "just",
    "like",
    "may",
    "me",
    "more",
    "most",
    "much",
    "my",
    "no",
    "not",
    "now",
    "of",
    "on",
    "one",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "own",
    "really",
    "same",
    "say",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "up",
    "us",
    "very",
    "was",
    "we",
    "we'd",
    "we're",
    "we've",
    "well",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "why",
    "will",
    "with",
    "within",
    "would",
    "you",
    "your",
    "um",
    "uh",
    "ah",
    "er",
    "erm",
    "hmm",
    "yeah",
    "okay",
    "so",
    "there's",
    "don't",
    "didn't",
    "isn't",
    "way",
    "thing",
    "things",
    "lot",
    "let",
    "make",
    "made",
    "go",
    "going",
    "went",
    "come",
    "came",
    "take",
    "took",
    "want",
    "think",
    "know",
    "use",
    "used",
    "your",
    "yours",
    // How a point asks to be made, not what it is about: "a real failure", "specific
    // changes", "described honestly". An answer never needs these words.
    "real",
    "clear",
    "clearly",
    "specific",
    "specifically",
    "concrete",
    "describe",
    "described",
    "honest",
    "honestly",
    "ideally",
    "genuine",
    "genuinely",
];

/// The number a spoken word stands for.
fn small_number(word: &str) -> Option<u64> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(n) = UNITS.iter().position(|u| *u == word) {
        return Some(n as u64);
    }
    TENS.iter()
        .position(|t| *t == word)
        .map(|n| (n as u64 + 2) * 10)
}

/// Lower-case words with spoken numbers turned into digits and hyphens split where one
/// side is a number: "sixty-day" becomes "60", "day".
fn normalized_words(text: &str) -> Vec<String> {
    let mut split = Vec::new();
    for w in words(text) {
        // Upper case tells the department from the pronoun.
        let lower = match w.text {
            "HIM" => "himdept".to_string(),
            "IT" => "itdept".to_string(),
            _ => w.lower.replace(',', ""),
        };
        if lower.contains('-')
            && lower
                .split('-')
                .any(|p| p.chars().all(|c| c.is_ascii_digit()) || small_number(p).is_some())
        {
            split.extend(lower.split('-').map(str::to_string));
        } else {
            split.push(lower);
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < split.len() {
        let (value, used) = spoken_number(&split[i..]);
        if used > 0 {
            out.push(value.to_string());
            i += used;
        } else {
            out.push(split[i].clone());
            i += 1;
        }
    }
    out
}

/// A spoken number at the start of `words` and how many words it took: "five hundred",
/// "ninety five", "sixty". "one" alone is left as a word ("one record").
fn spoken_number(words: &[String]) -> (u64, usize) {
    let mut total = 0u64;
    let mut current = 0u64;
    let mut used = 0;
    let mut last_small: Option<u64> = None;
    for w in words {
        if let Some(n) = small_number(w) {
            // "twenty twelve" is two numbers: only units join tens.
            if matches!(last_small, Some(prev) if !(prev >= 20 && prev % 10 == 0 && n < 10)) {
                break;
            }
            current += n;
            last_small = Some(n);
        } else if w == "hundred" && used > 0 {
            current = current.max(1) * 100;
            last_small = None;
        } else if (w == "thousand" || w == "million") && used > 0 {
            total += current.max(1) * if w == "thousand" { 1_000 } else { 1_000_000 };
            current = 0;
            last_small = None;
        } else {
            break;
        }
        used += 1;
    }
    if used == 1 && words[0] == "one" {
        return (0, 0);
    }
    (total + current, used)
}

/// Turns text into terms.
pub struct Terms {
    stemmer: Stemmer,
}

impl Default for Terms {
    fn default() -> Self {
        Terms {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }
}

impl Terms {
    /// The terms of `text`, in order.
    pub fn of(&self, text: &str) -> Vec<String> {
        let text = without_citations(text).replace('%', " percent");
        let mut words = normalized_words(&text);
        join_abbreviations(&mut words);
        words
            .into_iter()
            .filter(|w| !STOP.contains(&w.as_str()))
            .map(|w| self.term(&w))
            .collect()
    }

    /// The terms of a talking point: [`Terms::of`] without what it sets the point against
    /// ("how you planned ... rather than only working longer hours"), which an answer need
    /// not say and which covers nothing when it does.
    pub fn of_point(&self, text: &str) -> Vec<String> {
        self.of(&without_contrasts(text))
    }

    /// The terms of an answer: [`Terms::of`], and the ideas some ways of telling a story
    /// stand for ([`CUES`]), which a talking point names in the abstract.
    pub fn of_answer(&self, text: &str) -> Vec<String> {
        let mut terms = self.of(text);
        let lower = format!(" {} ", normalized_words(text).join(" "));
        for (idea, phrases) in CUES {
            if phrases.iter().any(|p| lower.contains(&format!(" {p} "))) {
                terms.push((*idea).to_string());
            }
        }
        if lower.chars().any(|c| c.is_ascii_digit()) {
            terms.extend(["result", "metric"].map(String::from));
        }
        terms
    }

    fn term(&self, word: &str) -> String {
        if word.chars().any(|c| c.is_ascii_digit()) {
            return word.trim_end_matches('%').to_string();
        }
        let word = word.trim_end_matches("'s");
        let stem = self.stemmer.stem(word);
        for group in SAME {
            if group.contains(&stem.as_ref()) || group.contains(&word) {
                return group[0].to_string();
            }
        }
        stem.into_owned()
    }
}

/// `text` without the clauses that say what a point is not: from "rather than" or
/// "instead of" to the end of the clause. Other negations stay, since a point's "not" is
/// often its content ("not permitted", "no search or retrieval fees").
fn without_contrasts(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(start) = ["rather than ", "instead of "]
        .iter()
        .filter_map(|m| lower[at..].find(m).map(|i| at + i))
        .min()
    {
        out.push_str(&text[at..start]);
        at = lower[start..]
            .find([',', ';', ':', '.'])
            .map_or(text.len(), |end| start + end);
    }
    out.push_str(&text[at..]);
    out
}

/// Replaces each phrase of [`ABBREVIATIONS`] by its abbreviation.
fn join_abbreviations(words: &mut Vec<String>) {
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    'next: while i < words.len() {
        for (phrase, short) in ABBREVIATIONS {
            let parts: Vec<&str> = phrase.split(' ').collect();
            if words.len() - i >= parts.len() && parts.iter().zip(&words[i..]).all(|(p, w)| p == w)
            {
                out.push((*short).to_string());
                i += parts.len();
                continue 'next;
            }
        }
        out.push(std::mem::take(&mut words[i]));
        i += 1;
    }
    *words = out;
}

/// The text without parenthesised legal citations: "(45 CFR 164.404)", "(42 CFR 2.11)".
fn without_citations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0;
    let mut group = String::new();
    for c in text.chars() {
        match c {
            '(' => {
                depth += 1;
                group.push(c);
            }
            ')' if depth > 0 => {
                depth -= 1;
                group.push(c);
                if depth == 0 {
                    if !group.contains("CFR") && !group.contains("Public Law") {
                        out.push_str(&group);
                    }
                    group.clear();
                }
            }
            _ if depth > 0 => group.push(c),
            _ => out.push(c),
        }
    }
    out.push_str(&group);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_leaves_out_what_it_is_set_against() {
        let terms = Terms::default();
        let point = terms.of_point("How you planned rather than only working longer hours.");
        assert_eq!(point, ["plan"]);
        assert_eq!(
            without_contrasts("Read it, instead of reciting rules; then act"),
            "Read it, ; then act"
        );
        assert!(terms.of("a real failure, described honestly").len() == 1);
    }

    #[test]
    fn spoken_and_written_numbers_are_one_term() {
        let t = Terms::default();
        assert_eq!(t.of("sixty days"), t.of("60 days"));
        assert_eq!(t.of("five hundred residents"), t.of("500 residents"));
        assert_eq!(t.of("ninety five percent"), t.of("95%"));
        assert_eq!(t.of("a thirty-day rule"), t.of("the 30-day rule"));
        assert_eq!(t.of("two thousand three"), ["2003"]);
        assert_eq!(t.of("twenty twelve"), ["20", "12"]);
        assert_eq!(t.of("one record"), t.of("a record"));
    }

    #[test]
    fn abbreviations_stems_and_kin_words_meet() {
        let t = Terms::default();
        assert_eq!(
            t.of("the Department of Health and Human Services"),
            t.of("HHS")
        );
        assert_eq!(t.of("release of information"), ["roi"]);
        assert_eq!(t.of("after we found it"), t.of("of discovery"));
        assert_eq!(t.of("patients"), t.of("individuals"));
        assert_eq!(
            t.of("Individuals (45 CFR 164.404): within 60 calendar days"),
            ["individu", "60", "calendar", "day"]
        );
    }
}
