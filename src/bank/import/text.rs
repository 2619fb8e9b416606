//! Questions in plain text, in the three shapes people write them:
//! - `Q:` / `A:` pairs: the answer becomes a talking point;
//! - numbered or bulleted lines;
//! - one question per paragraph (or per line, when lines are short and complete).
//!
//! In every shape a line indented under a question is a follow-up of it, and a long line
//! that stops mid-sentence continues on the next one. A first line that names the list
//! ("Interview questions") is a title, not a question.

use super::{Draft, Item, Skip, looks_like_question};

/// A line shorter than this is a line of its own, not text wrapped at the margin.
const WRAP_WIDTH: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    /// `---`, `===`, `***`: decoration.
    Rule,
    /// `# Heading`.
    Heading,
    Question,
    Answer,
    Marked,
    Plain,
}

#[derive(Debug, Clone)]
struct Line<'a> {
    indent: usize,
    kind: Kind,
    /// The text after any marker.
    text: &'a str,
}

fn parse_line(raw: &str) -> Line<'_> {
    let mut indent = 0;
    for c in raw.chars() {
        match c {
            ' ' => indent += 1,
            '\t' => indent += 4,
            _ => break,
        }
    }
    let body = raw.trim();
    let line = |kind, text| Line { indent, kind, text };
    if body.is_empty() {
        return line(Kind::Blank, body);
    }
    if body.len() >= 3 && body.chars().all(|c| "-=*_~#".contains(c) || c == ' ') {
        return line(Kind::Rule, body);
    }
    if let Some(rest) = body.strip_prefix('#') {
        let rest = rest.trim_start_matches('#');
        if rest.starts_with(' ') {
            return line(Kind::Heading, rest.trim());
        }
    }
    if let Some(rest) = strip_label(body, &["q", "question"]) {
        return line(Kind::Question, rest);
    }
    if let Some(rest) = strip_label(body, &["a", "answer"]) {
        return line(Kind::Answer, rest);
    }
    if let Some(rest) = strip_marker(body, indent > 0) {
        return line(Kind::Marked, rest);
    }
    line(Kind::Plain, body)
}

/// `Q: text`, `Q. text`, `Question: text` → `text`.
fn strip_label<'a>(body: &'a str, labels: &[&str]) -> Option<&'a str> {
    let word_end = body
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(body.len());
    let (word, rest) = body.split_at(word_end);
    if !labels.iter().any(|l| word.eq_ignore_ascii_case(l)) {
        return None;
    }
    // `Q.` and `A.` only as capitals: `a.` and `a)` mark follow-ups, and "Question." is
    // a sentence.
    let rest = rest.strip_prefix(':').or_else(|| {
        (word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase()))
            .then(|| rest.strip_prefix('.'))
            .flatten()
    })?;
    (rest.starts_with(char::is_whitespace) || rest.is_empty()).then(|| rest.trim())
}

/// `1. `, `1) `, `(1) `, `- `, `* `, `+ `, `• `, and when indented `a) `, `a. ` → the text.
fn strip_marker(body: &str, indented: bool) -> Option<&str> {
    let after = if let Some(rest) = body.strip_prefix(['-', '*', '+', '•', '–', '·']) {
        rest
    } else if let Some(rest) = body.strip_prefix('(') {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        rest[digits..].strip_prefix(')').filter(|_| digits > 0)?
    } else {
        let digits = body.bytes().take_while(u8::is_ascii_digit).count();
        let letter =
            indented && digits == 0 && body.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        let len = if letter { 1 } else { digits };
        if len == 0 || len > 3 {
            return None;
        }
        body[len..].strip_prefix(['.', ')'])?
    };
    after
        .starts_with(char::is_whitespace)
        .then(|| after.trim())
        .filter(|t| !t.is_empty())
}

/// Whether a line ends a sentence, so the next line starts something new.
fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['?', '.', '!', ':', ';', ')', '"', '\'', '\u{201d}'])
}

/// Whether `next` goes on with the text of `previous` rather than starting anew.
fn continues(previous: &str) -> bool {
    previous.chars().count() >= WRAP_WIDTH && !ends_sentence(previous)
}

pub fn draft(text: &str) -> Draft {
    let lines: Vec<Line> = text.lines().map(parse_line).collect();
    let mut builder = Builder::default();
    if lines.iter().any(|l| l.kind == Kind::Question) {
        builder.pairs(&lines);
    } else if lines.iter().filter(|l| l.kind == Kind::Marked).count() >= 2 {
        builder.listed(&lines);
    } else {
        builder.paragraphs(&lines);
    }
    builder.finish()
}

/// Where the last line of text went, so a wrapped line can follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    Question,
    FollowUp,
    Answer,
}

#[derive(Default)]
struct Builder {
    draft: Draft,
    item: Option<Item>,
    category: Option<String>,
    /// Headings seen before the first question: the first may be the title.
    leading_headings: Vec<String>,
    /// The last line added to the current item, for wrapped text.
    last_line: String,
    last: Option<Last>,
}

impl Builder {
    fn push_item(&mut self) {
        if let Some(item) = self.item.take() {
            self.draft.items.push(item);
        }
        self.last = None;
    }

    fn question(&mut self, text: &str) {
        self.push_item();
        self.item = Some(Item {
            text: text.to_string(),
            category: self.category.clone(),
            ..Item::default()
        });
        self.note(Last::Question, text);
    }

    fn follow_up(&mut self, text: &str) {
        match &mut self.item {
            Some(item) => {
                item.follow_ups.push(text.to_string());
                self.note(Last::FollowUp, text);
            }
            None => self.question(text),
        }
    }

    fn answer(&mut self, text: &str) {
        if let Some(item) = &mut self.item {
            item.talking_points.push(text.to_string());
            self.note(Last::Answer, text);
        }
    }

    /// Adds `text` to whatever the last line went to.
    fn go_on(&mut self, text: &str) {
        let Some(item) = &mut self.item else { return };
        let target = match self.last {
            Some(Last::Question) => Some(&mut item.text),
            Some(Last::FollowUp) => item.follow_ups.last_mut(),
            Some(Last::Answer) => item.talking_points.last_mut(),
            _ => None,
        };
        if let Some(target) = target {
            target.push(' ');
            target.push_str(text);
            self.last_line = text.to_string();
        }
    }

    fn note(&mut self, last: Last, text: &str) {
        self.last = Some(last);
        self.last_line = text.to_string();
    }

    fn heading(&mut self, text: &str) {
        let name = text.trim().trim_end_matches(':').trim().to_string();
        if self.draft.items.is_empty() && self.item.is_none() {
            self.leading_headings.push(name.clone());
        }
        self.push_item();
        self.category = Some(name);
    }

    /// `Q:` / `A:` pairs. Lines after a `Q:` line continue the question (indented ones
    /// are follow-ups); lines after an `A:` line are more of the answer, one talking point
    /// per bullet.
    fn pairs(&mut self, lines: &[Line]) {
        for line in lines {
            match line.kind {
                Kind::Blank | Kind::Rule => {}
                Kind::Heading => self.heading(line.text),
                Kind::Question => self.question(line.text),
                Kind::Answer => self.answer(line.text),
                _ if self.item.is_none() => self.heading(line.text),
                Kind::Marked if self.last == Some(Last::Answer) => self.answer(line.text),
                _ if self.last == Some(Last::Answer) => self.go_on(line.text),
                _ if line.indent > 0 && !continues(&self.last_line) => self.follow_up(line.text),
                _ => self.go_on(line.text),
            }
        }
    }

    /// Numbered or bulleted lines. The least indented markers are questions, deeper ones
    /// follow-ups; a line without a marker after a blank line is a heading, unless it asks
    /// something.
    fn listed(&mut self, lines: &[Line]) {
        let base = lines
            .iter()
            .filter(|l| l.kind == Kind::Marked)
            .map(|l| l.indent)
            .min()
            .unwrap_or(0);
        let mut after_blank = true;
        for line in lines {
            match line.kind {
                Kind::Blank => {}
                Kind::Rule => {}
                Kind::Heading => self.heading(line.text),
                Kind::Marked if line.indent <= base => self.question(line.text),
                Kind::Marked => self.follow_up(line.text),
                _ if self.item.is_some() && !after_blank && continues(&self.last_line) => {
                    self.go_on(line.text)
                }
                _ if self.item.is_some() && line.indent > base => self.follow_up(line.text),
                _ if looks_like_question(line.text) => self.question(line.text),
                _ => self.heading(line.text),
            }
            after_blank = line.kind == Kind::Blank;
        }
    }

    /// One question per paragraph, or per line when the lines are short or end a
    /// sentence; indented lines are follow-ups.
    fn paragraphs(&mut self, lines: &[Line]) {
        let blocks: Vec<&[Line]> = lines
            .split(|l| l.kind == Kind::Blank)
            .filter(|b| !b.is_empty())
            .collect();
        let (title, rest) = match blocks.split_first() {
            Some((first, rest)) if is_title(first, rest) => (Some(first[0].text), rest),
            _ => (None, &blocks[..]),
        };
        if let Some(title) = title {
            self.draft.title = Some(title.trim_end_matches(':').trim().to_string());
            self.draft.skipped.push(Skip::TitleLine);
        }
        for block in rest {
            let base = block.iter().map(|l| l.indent).min().unwrap_or(0);
            let mut in_block = false;
            for line in *block {
                match line.kind {
                    Kind::Rule => {}
                    Kind::Heading => self.heading(line.text),
                    _ if line.indent <= base => {
                        if in_block
                            && self.last == Some(Last::Question)
                            && continues(&self.last_line)
                        {
                            self.go_on(line.text);
                        } else {
                            self.question(line.text);
                        }
                    }
                    _ if self.last == Some(Last::FollowUp) && continues(&self.last_line) => {
                        self.go_on(line.text)
                    }
                    _ => self.follow_up(line.text),
                }
                in_block = true;
            }
        }
    }

    fn finish(mut self) -> Draft {
        self.push_item();
        // A heading before the first question that is followed by another heading, or
        // that is the only heading of the file, names the list rather than a category.
        let headings_at_top = self.leading_headings.len();
        let only_heading =
            self.draft.items.iter().all(|i| {
                i.category.is_none() || i.category.as_ref() == self.leading_headings.first()
            });
        if self.draft.title.is_none()
            && (headings_at_top > 1 || (headings_at_top == 1 && only_heading))
        {
            let title = self.leading_headings[0].clone();
            for item in &mut self.draft.items {
                if item.category.as_ref() == Some(&title) {
                    item.category = None;
                }
            }
            self.draft.title = Some(title);
            self.draft.skipped.push(Skip::TitleLine);
        }
        self.draft
    }
}

/// The first paragraph of a list names it when it is one line that does not ask anything
/// and either says what the list is or stands above lines that do ask.
fn is_title(first: &[Line], rest: &[&[Line]]) -> bool {
    let [line] = first else { return false };
    if rest.is_empty() || line.kind != Kind::Plain || looks_like_question(line.text) {
        return false;
    }
    let lower = line.text.to_lowercase();
    let names_a_list = ["question", "interview", "faq", "prep"]
        .iter()
        .any(|w| lower.contains(w))
        || line.text.ends_with(':');
    let others: Vec<&str> = rest
        .iter()
        .filter_map(|b| b.first())
        .map(|l| l.text)
        .collect();
    let asking = others.iter().filter(|t| looks_like_question(t)).count();
    names_a_list || asking * 2 > others.len()
}
