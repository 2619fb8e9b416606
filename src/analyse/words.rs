//! Words of a transcript, with what stands between them: a comma, the end of a sentence,
//! or nothing. Pure.

/// One word as it was written, with its place in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: &'a str,
    /// Lower case, apostrophes kept: "don't", "60".
    pub lower: String,
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
    /// Punctuation (a comma, a full stop, a dash) or the start of the text comes before it.
    pub pause_before: bool,
    /// The same after it.
    pub pause_after: bool,
    /// A sentence ends right before it (or it is the first word).
    pub sentence_start: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Splits the text into words: letters and digits, with an apostrophe, a hyphen, a dot
/// or a comma inside (don't, first-class, 164.404, 1,000) kept in the word.
pub fn words(text: &str) -> Vec<Word<'_>> {
    let mut out: Vec<Word> = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    let mut pause = true;
    let mut sentence = true;
    while i < chars.len() {
        let (at, c) = chars[i];
        if !is_word_char(c) {
            if matches!(c, '.' | '!' | '?' | ';') {
                pause = true;
                sentence = true;
            } else if matches!(c, ',' | ':' | '—' | '–' | '(' | ')' | '"' | '…') || c == '-' {
                pause = true;
            }
            if let Some(last) = out.last_mut()
                && (pause || sentence)
            {
                last.pause_after = true;
            }
            i += 1;
            continue;
        }
        let start = at;
        let mut j = i + 1;
        while j < chars.len() {
            let (_, c) = chars[j];
            let joins = matches!(c, '\'' | '’' | '-' | '.' | ',' | '&')
                && j + 1 < chars.len()
                && is_word_char(chars[j + 1].1)
                && is_word_char(chars[j - 1].1)
                // A dot or a comma joins only digits: "164.404" and "1,000", not "so,yes".
                && (!matches!(c, '.' | ',')
                    || (chars[j - 1].1.is_ascii_digit() && chars[j + 1].1.is_ascii_digit()));
            if is_word_char(c) || joins {
                j += 1;
            } else {
                break;
            }
        }
        let end = chars.get(j).map_or(text.len(), |&(at, _)| at);
        let word = &text[start..end];
        out.push(Word {
            text: word,
            lower: word.to_lowercase().replace('’', "'"),
            start,
            end,
            pause_before: pause,
            pause_after: false,
            sentence_start: sentence,
        });
        pause = false;
        sentence = false;
        i = j;
    }
    if let Some(last) = out.last_mut() {
        last.pause_after = true;
    }
    out
}

/// The sentences of a text, as byte ranges: for showing what was heard.
pub fn sentences(text: &str) -> Vec<std::ops::Range<usize>> {
    let words = words(text);
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, w) in words.iter().enumerate() {
        if w.sentence_start
            && let Some(s) = start.take()
        {
            out.push(s..words[i - 1].end);
        }
        start.get_or_insert(w.start);
    }
    if let (Some(s), Some(last)) = (start, words.last()) {
        out.push(s..last.end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_know_the_pauses_around_them() {
        let w = words("Um, so I don't know... 164.404 says 1,000 first-class letters, you know.");
        let texts: Vec<_> = w.iter().map(|w| w.text).collect();
        assert_eq!(
            texts,
            [
                "Um",
                "so",
                "I",
                "don't",
                "know",
                "164.404",
                "says",
                "1,000",
                "first-class",
                "letters",
                "you",
                "know"
            ]
        );
        let pauses: Vec<_> = w.iter().map(|w| (w.pause_before, w.pause_after)).collect();
        assert_eq!(pauses[0], (true, true), "Um,");
        assert_eq!(pauses[1], (true, false), "so");
        assert_eq!(pauses[4], (false, true), "know...");
        assert!(w[5].sentence_start);
        assert_eq!(pauses[10], (true, false), ", you");
        assert_eq!(pauses[11], (false, true), "know.");
        assert_eq!(words("so,yes").len(), 2);
    }

    #[test]
    fn sentences_are_cut_at_full_stops() {
        let text = "We notify patients. Then HHS! Done";
        let s: Vec<_> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(s, ["We notify patients", "Then HHS", "Done"]);
        assert!(sentences("").is_empty());
    }
}
