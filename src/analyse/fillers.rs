//! Filler words and hedges in a transcript. Pure.
//!
//! Fillers: um, uh, er, erm, ah and hmm, in any of the spellings a transcriber writes them
//! (umm, uhh, hum, mm, ...), always; "like" and "you know" only where they are fillers: set
//! off by punctuation on both sides ("we had, like, 500 requests", "and, you know, it
//! worked") or opening a sentence and followed by a comma ("Like, ..."). "I like the
//! work" and "you know the rule" are not fillers.
//!
//! Hedges are counted apart: "I mean", "I guess", and "sort of" / "kind of" unless a word
//! such as "a", "the", "what" or "this" comes before them ("what kind of record" is a
//! question about kinds, "it kind of worked" a hedge).

use std::collections::BTreeMap;

use super::words::Word;

/// How many of each, by name, and in all.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub total: u32,
    pub counts: BTreeMap<String, u32>,
}

impl Counts {
    fn add(&mut self, name: &str) {
        self.total += 1;
        *self.counts.entry(name.to_string()).or_default() += 1;
    }
}

/// The filler a word is, whatever its spelling.
fn sound(word: &str) -> Option<&'static str> {
    Some(match word {
        "um" | "umm" | "ummm" | "uhm" | "uhmm" => "um",
        "uh" | "uhh" | "uhhh" => "uh",
        "er" | "err" | "errr" => "er",
        "erm" | "erhm" => "erm",
        "ah" | "ahh" | "aah" | "ahhh" => "ah",
        "hmm" | "hm" | "hmmm" | "mm" | "mmm" | "hum" => "hmm",
        _ => return None,
    })
}

/// Words after which "kind of" and "sort of" name a kind.
const DETERMINERS: [&str; 26] = [
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "what",
    "which",
    "any",
    "some",
    "every",
    "each",
    "one",
    "another",
    "same",
    "no",
    "all",
    "other",
    "different",
    "right",
    "wrong",
    "my",
    "our",
    "your",
    "their",
];

/// Which words are fillers, by index, and the counts of fillers and hedges.
pub fn find(words: &[Word]) -> (Vec<bool>, Counts, Counts) {
    let mut marked = vec![false; words.len()];
    let mut fillers = Counts::default();
    let mut hedges = Counts::default();
    let lower = |i: usize| words.get(i).map_or("", |w| w.lower.as_str());
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if let Some(name) = sound(&w.lower) {
            marked[i] = true;
            fillers.add(name);
        } else if w.lower == "like" && set_off(&words[i..=i]) {
            marked[i] = true;
            fillers.add("like");
        } else if w.lower == "you" && lower(i + 1) == "know" && set_off(&words[i..=i + 1]) {
            marked[i] = true;
            marked[i + 1] = true;
            fillers.add("you know");
            i += 2;
            continue;
        } else if w.lower == "i" && matches!(lower(i + 1), "mean" | "guess") {
            hedges.add(&format!("i {}", lower(i + 1)));
            i += 2;
            continue;
        } else if matches!(w.lower.as_str(), "kind" | "sort")
            && lower(i + 1) == "of"
            && !(i > 0 && DETERMINERS.contains(&lower(i - 1)))
        {
            hedges.add(&format!("{} of", w.lower));
            i += 2;
            continue;
        }
        i += 1;
    }
    (marked, fillers, hedges)
}

/// Punctuation on both sides, or the start of a sentence before and a pause after.
fn set_off(phrase: &[Word]) -> bool {
    let (first, last) = (&phrase[0], &phrase[phrase.len() - 1]);
    first.pause_before && last.pause_after
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::words::words;

    type Listed = Vec<(String, u32)>;

    fn counts(text: &str) -> (Listed, Listed) {
        let (_, f, h) = find(&words(text));
        let list = |c: Counts| c.counts.into_iter().collect::<Vec<_>>();
        (list(f), list(h))
    }

    fn pairs(list: &[(&str, u32)]) -> Vec<(String, u32)> {
        list.iter().map(|(s, n)| (s.to_string(), *n)).collect()
    }

    #[test]
    fn sounds_are_always_fillers_in_any_spelling() {
        let (f, h) = counts("Um, so I, uh, led it. Umm. Hum, er, erm, ah, hmm.");
        assert_eq!(
            f,
            pairs(&[
                ("ah", 1),
                ("er", 1),
                ("erm", 1),
                ("hmm", 2),
                ("uh", 1),
                ("um", 2)
            ])
        );
        assert!(h.is_empty());
    }

    #[test]
    fn like_and_you_know_only_where_they_fill() {
        let cases: &[(&str, &[(&str, u32)])] = &[
            ("We had, like, 500 requests a month.", &[("like", 1)]),
            ("Like, it was a lot.", &[("like", 1)]),
            ("I like the work and it looks like a plan.", &[]),
            ("Like many hospitals, we scan records.", &[]),
            ("It worked, you know, in the end.", &[("you know", 1)]),
            ("You know, the rule is clear.", &[("you know", 1)]),
            ("With legal and compliance, you know.", &[("you know", 1)]),
            ("Do you know the rule? You know the rule.", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(counts(text).0, pairs(expected), "{text}");
        }
    }

    #[test]
    fn hedges_are_counted_apart() {
        let (f, h) = counts(
            "I mean, it kind of worked, I guess. What kind of record is it? A sort of audit. It sort of failed.",
        );
        assert!(f.is_empty());
        assert_eq!(
            h,
            pairs(&[
                ("i guess", 1),
                ("i mean", 1),
                ("kind of", 1),
                ("sort of", 1)
            ])
        );
    }

    #[test]
    fn fillers_are_marked_where_they_are() {
        let w = words("So, you know, um, it worked like a charm.");
        let (marked, f, _) = find(&w);
        let shown: Vec<_> = w
            .iter()
            .zip(&marked)
            .filter(|(_, m)| **m)
            .map(|(w, _)| w.text)
            .collect();
        assert_eq!(shown, ["you", "know", "um"]);
        assert_eq!(f.total, 2);
    }
}
