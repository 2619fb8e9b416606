//! Questions in plain text, in the shapes people write them:
//! - `Q:` / `A:` pairs (also `Q1.`, `Question 4:`): the answer becomes a talking point;
//! - numbered or bulleted lines;
//! - one question per paragraph (or per line, when lines are short and complete).
//!
//! In every shape a line indented under a question that asks is a follow-up of it, and a
//! long line that stops mid-sentence continues on the next one. What is written under a
//! question and does not ask (a prepared answer, an `Example answer:` or `Tip:` line) is
//! one of its talking points. A first line that names the list ("Interview questions") is
//! a title, not a question.

use super::{Draft, Item, Skip, answer_label, looks_like_question};

/// A line shorter than this is a line of its own, not text wrapped at the margin.
const WRAP_WIDTH: usize = 60;

/// A line of at most this many words, not ending a sentence, can be a heading.
const HEADING_WORDS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    /// `---`, `===`, `***`: decoration.
    Rule,
    /// `# Heading`.
    Heading,
    Question,
    /// `A:`, or a labelled line such as `Example answer:` or `Tip:`.
    Answer,
    Marked,
    Plain,
}

#[derive(Debug, Clone)]
struct Line<'a> {
    /// 1-based.
    number: usize,
    indent: usize,
    kind: Kind,
    /// A `Marked` line's marker is a number (`1.`, `2)`), not a bullet.
    numbered: bool,
    /// The text after any marker.
    text: &'a str,
}

fn parse_line(number: usize, raw: &str) -> Line<'_> {
    let mut indent = 0;
    for c in raw.chars() {
        match c {
            ' ' => indent += 1,
            '\t' => indent += 4,
            _ => break,
        }
    }
    let body = raw.trim();
    let line = |kind, text| Line {
        number,
        indent,
        kind,
        numbered: false,
        text,
    };
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
    if answer_label(body) {
        return line(Kind::Answer, body);
    }
    if let Some((rest, numbered)) = strip_marker(body, indent > 0) {
        return Line {
            numbered,
            ..line(Kind::Marked, rest)
        };
    }
    line(Kind::Plain, body)
}

/// `Q: text`, `Q. text`, `Question: text`, and numbered: `Q1. text`, `Q3: text`,
/// `Question 4: text` → `text`.
fn strip_label<'a>(body: &'a str, labels: &[&str]) -> Option<&'a str> {
    let word_end = body
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(body.len());
    let (word, rest) = body.split_at(word_end);
    if !labels.iter().any(|l| word.eq_ignore_ascii_case(l)) {
        return None;
    }
    let numbered = rest.trim_start_matches(' ').trim_start_matches('#');
    let digits = numbered.bytes().take_while(u8::is_ascii_digit).count();
    let rest = if digits > 0 && digits <= 3 {
        // A number makes it a label whatever follows: `Q1.`, `Question 4:`, `Q2)`.
        numbered[digits..].strip_prefix(['.', ':', ')'])?
    } else {
        // `Q.` and `A.` only as capitals: `a.` and `a)` mark follow-ups, and "Question."
        // is a sentence.
        rest.strip_prefix(':').or_else(|| {
            (word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase()))
                .then(|| rest.strip_prefix('.'))
                .flatten()
        })?
    };
    (rest.starts_with(char::is_whitespace) || rest.is_empty()).then(|| rest.trim())
}

/// `1. `, `1) `, `(1) `, `- `, `* `, `+ `, `• `, and when indented `a) `, `a. ` → the text,
/// and whether the marker was a number.
fn strip_marker(body: &str, indented: bool) -> Option<(&str, bool)> {
    let (after, numbered) = if let Some(rest) = body.strip_prefix(['-', '*', '+', '•', '–', '·'])
    {
        (rest, false)
    } else if let Some(rest) = body.strip_prefix('(') {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        (
            rest[digits..].strip_prefix(')').filter(|_| digits > 0)?,
            true,
        )
    } else {
        let digits = body.bytes().take_while(u8::is_ascii_digit).count();
        let letter =
            indented && digits == 0 && body.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        let len = if letter { 1 } else { digits };
        if len == 0 || len > 3 {
            return None;
        }
        (body[len..].strip_prefix(['.', ')'])?, !letter)
    };
    after
        .starts_with(char::is_whitespace)
        .then(|| after.trim())
        .filter(|t| !t.is_empty())
        .map(|t| (t, numbered))
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

/// Prose that tells rather than asks: a sentence, or more words than a terse question
/// ("Linux experience") has.
fn reads_as_answer(text: &str) -> bool {
    !looks_like_question(text)
        && (text.split_whitespace().count() > HEADING_WORDS
            || text.trim_end().ends_with(['.', '!']))
}

/// A short line that ends no sentence and stands over a list: `Statistics`, `SQL:`.
fn reads_as_heading(text: &str, next: Option<&Line>) -> bool {
    let text = text.trim_end_matches(':');
    text.split_whitespace().count() <= HEADING_WORDS
        && !text.ends_with(['.', '!', '?'])
        && next.is_some_and(|l| matches!(l.kind, Kind::Marked | Kind::Question))
}

pub fn draft(text: &str) -> Draft {
    let lines: Vec<Line> = text
        .lines()
        .enumerate()
        .map(|(i, l)| parse_line(i + 1, l))
        .collect();
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
    /// Headings seen before the first question, with their lines: the first may be the
    /// title.
    leading_headings: Vec<(usize, String)>,
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

    fn question(&mut self, line: &Line) {
        self.push_item();
        self.item = Some(Item {
            text: line.text.to_string(),
            line: line.number,
            category: self.category.clone(),
            ..Item::default()
        });
        self.note(Last::Question, line.text);
    }

    fn follow_up(&mut self, line: &Line) {
        match &mut self.item {
            Some(item) => {
                item.follow_ups.push(line.text.to_string());
                self.note(Last::FollowUp, line.text);
            }
            None => self.question(line),
        }
    }

    /// A talking point of the current question. `said`: the file marks it as an answer
    /// (`A:`, or a bullet under one), so the person need not be told how it was read.
    fn answer(&mut self, line: &Line, said: bool) {
        let Some(item) = &mut self.item else {
            self.draft.skip(Skip::Answer, line.number, line.text);
            return;
        };
        item.talking_points.push(line.text.to_string());
        let question = item.line;
        self.note(Last::Answer, line.text);
        if !said {
            self.draft.note_point(line.number, question, line.text);
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

    fn heading(&mut self, line: &Line) {
        let name = line.text.trim().trim_end_matches(':').trim().to_string();
        if self.draft.items.is_empty() && self.item.is_none() {
            self.leading_headings.push((line.number, name.clone()));
        }
        self.push_item();
        self.category = Some(name);
    }

    /// An indented line under a question: a follow-up if it asks, else a talking point.
    fn under(&mut self, line: &Line) {
        if looks_like_question(line.text) {
            self.follow_up(line);
        } else {
            self.answer(line, false);
        }
    }

    /// `Q:` / `A:` pairs. Lines after a `Q:` line that tell rather than ask are its answer
    /// (indented ones that ask are follow-ups); lines after an `A:` line are more of the
    /// answer, one talking point per bullet or paragraph. A numbered line that asks is a
    /// question too.
    fn pairs(&mut self, lines: &[Line]) {
        let mut after_blank = false;
        for line in lines {
            let answering = self.last == Some(Last::Answer);
            match line.kind {
                Kind::Blank | Kind::Rule => {}
                Kind::Heading => self.heading(line),
                Kind::Question => self.question(line),
                Kind::Answer => self.answer(line, true),
                _ if self.item.is_none() => self.heading(line),
                Kind::Marked if line.numbered && looks_like_question(line.text) => {
                    self.question(line)
                }
                Kind::Marked if answering => self.answer(line, true),
                _ if answering && after_blank => self.answer(line, true),
                _ if answering => self.go_on(line.text),
                _ if !after_blank && continues(&self.last_line) => self.go_on(line.text),
                _ if line.indent > 0 => self.under(line),
                _ if self.last == Some(Last::Question) && !ends_sentence(&self.last_line) => {
                    self.go_on(line.text)
                }
                _ => self.answer(line, false),
            }
            after_blank = line.kind == Kind::Blank;
        }
    }

    /// Numbered or bulleted lines. The least indented markers are questions, deeper ones
    /// follow-ups (or talking points, when they do not ask). A line without a marker is a
    /// heading when it is short and stands over a list, a question when it asks, and
    /// under a question, its answer.
    fn listed(&mut self, lines: &[Line]) {
        let base = lines
            .iter()
            .filter(|l| l.kind == Kind::Marked)
            .map(|l| l.indent)
            .min()
            .unwrap_or(0);
        let mut after_blank = true;
        for (i, line) in lines.iter().enumerate() {
            let next = lines[i + 1..].iter().find(|l| l.kind != Kind::Blank);
            let under_item = self.item.is_some();
            match line.kind {
                Kind::Blank | Kind::Rule => {}
                Kind::Heading => self.heading(line),
                Kind::Answer => self.answer(line, false),
                Kind::Marked if line.indent <= base => self.question(line),
                Kind::Marked => self.under(line),
                _ if under_item && !after_blank && continues(&self.last_line) => {
                    self.go_on(line.text)
                }
                _ if under_item && !after_blank && self.last == Some(Last::Answer) => {
                    self.go_on(line.text)
                }
                _ if under_item && line.indent > base => self.under(line),
                _ if reads_as_heading(line.text, next) => self.heading(line),
                _ if !under_item && looks_like_question(line.text) => self.question(line),
                _ if line.text.trim_end().ends_with('?') => self.question(line),
                _ if under_item => self.answer(line, false),
                _ => self.heading(line),
            }
            after_blank = line.kind == Kind::Blank;
        }
    }

    /// One question per paragraph, or per line when the lines are short or end a
    /// sentence; indented lines are follow-ups. Prose under a question (in its paragraph
    /// or the next) is its answer.
    fn paragraphs(&mut self, lines: &[Line]) {
        let blocks: Vec<&[Line]> = lines
            .split(|l| l.kind == Kind::Blank)
            .filter(|b| !b.is_empty())
            .collect();
        let (title, rest) = match blocks.split_first() {
            Some((first, rest)) if is_title(first, rest) => (Some(&first[0]), rest),
            _ => (None, &blocks[..]),
        };
        if let Some(title) = title {
            self.draft.title = Some(title.text.trim_end_matches(':').trim().to_string());
            self.draft.skip(Skip::TitleLine, title.number, title.text);
        }
        for block in rest {
            let base = block.iter().map(|l| l.indent).min().unwrap_or(0);
            let mut in_block = false;
            for line in *block {
                match line.kind {
                    Kind::Rule => {}
                    Kind::Heading => self.heading(line),
                    Kind::Answer => self.answer(line, false),
                    _ if line.indent <= base => self.paragraph_line(line, in_block),
                    _ if self.last == Some(Last::FollowUp) && continues(&self.last_line) => {
                        self.go_on(line.text)
                    }
                    _ if self.last == Some(Last::Answer) => self.go_on(line.text),
                    _ => self.under(line),
                }
                in_block = true;
            }
        }
    }

    /// A line at the left edge of its paragraph, in [`Builder::paragraphs`].
    fn paragraph_line(&mut self, line: &Line, in_block: bool) {
        let wrapped = in_block
            && match self.last {
                Some(Last::Question) => continues(&self.last_line),
                Some(Last::Answer) => true,
                _ => false,
            };
        if wrapped {
            self.go_on(line.text);
        } else if self.item.is_some() && reads_as_answer(line.text) {
            self.answer(line, false);
        } else {
            self.question(line);
        }
    }

    fn finish(mut self) -> Draft {
        self.push_item();
        // A heading before the first question that is followed by another heading, or
        // that is the only heading of the file, names the list rather than a category.
        let headings_at_top = self.leading_headings.len();
        let only_heading = self.draft.items.iter().all(|i| {
            i.category.is_none()
                || i.category.as_ref() == self.leading_headings.first().map(|(_, h)| h)
        });
        if self.draft.title.is_none()
            && (headings_at_top > 1 || (headings_at_top == 1 && only_heading))
        {
            let (line, title) = self.leading_headings[0].clone();
            for item in &mut self.draft.items {
                if item.category.as_ref() == Some(&title) {
                    item.category = None;
                }
            }
            self.draft.skip(Skip::TitleLine, line, &title);
            self.draft.title = Some(title);
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
