//! Question lists from anywhere (Markdown, plain text, CSV/TSV) turned into a [`Bank`]:
//! each format module finds the questions in the text (a [`Draft`]); this module cleans
//! the text, makes ids and categories, and reports what was taken and what was skipped.
//! Pure functions of the text: no files, no terminal.

mod csv;
mod markdown;
mod text;

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use super::GENERAL;
use super::{Bank, Category, Question, Source, Timing};
use crate::text::sanitize;

/// The kinds of question list rehearse reads, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Text,
    Csv,
    Tsv,
}

impl Format {
    /// Extensions people give these files, lower case.
    pub const EXTENSIONS: &[(&str, Format)] = &[
        ("md", Format::Markdown),
        ("markdown", Format::Markdown),
        ("mdx", Format::Markdown),
        ("txt", Format::Text),
        ("text", Format::Text),
        ("csv", Format::Csv),
        ("tsv", Format::Tsv),
        ("tab", Format::Tsv),
    ];

    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Format::EXTENSIONS
            .iter()
            .find(|(e, _)| *e == ext)
            .map(|(_, f)| *f)
    }
}

/// What an importer found before ids and categories are made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    /// A title the file gives itself (front matter, first heading, a title line).
    pub title: Option<String>,
    pub items: Vec<Item>,
    pub skipped: Vec<Skip>,
    /// Each line left out or read as something other than a question, for the person.
    pub notes: Vec<Note>,
    /// Things the person should know that did not stop the import.
    pub warnings: Vec<String>,
}

impl Draft {
    /// Leaves out what starts at `line`, and says so.
    pub fn skip(&mut self, what: Skip, line: usize, text: &str) {
        self.skipped.push(what);
        self.note(line, what.said(), text);
    }

    /// Says how the text at `line` was read: `says`, then a short quote of `text`.
    pub fn note(&mut self, line: usize, says: &str, text: &str) {
        let quote = excerpt(text);
        let says = if quote.is_empty() {
            says.to_string()
        } else {
            format!("{says}: \"{quote}\"")
        };
        self.notes.push(Note { line, says });
    }

    /// The text at `line` is a talking point of the question on line `question`, not a
    /// question or a category.
    pub fn note_point(&mut self, line: usize, question: usize, text: &str) {
        let says = format!("a talking point of the question on line {question}");
        self.note(line, &says, text);
    }
}

/// One question as found, text not yet cleaned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Item {
    pub text: String,
    /// The line the question starts on, 1-based.
    pub line: usize,
    pub category: Option<String>,
    pub follow_ups: Vec<String>,
    pub talking_points: Vec<String>,
}

/// A line of the file and how it was read, when that is not as a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub line: usize,
    pub says: String,
}

/// How much of a line a note quotes.
const EXCERPT: usize = 50;

/// The start of `text`, cleaned, cut at a word with `…` when longer than [`EXCERPT`].
fn excerpt(text: &str) -> String {
    let text = clean(text);
    if text.chars().count() <= EXCERPT {
        return text;
    }
    let cut: String = text.chars().take(EXCERPT).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

/// Something in the file that looked like it might be a question and was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Skip {
    FrontMatter,
    TitleLine,
    HtmlBlock,
    JsxTag,
    MdxLine,
    CodeBlock,
    Table,
    Image,
    LinkLine,
    ListOfNonQuestions,
    /// A paragraph of prose outside any list, that neither asks nor answers.
    Paragraph,
    /// An answer with no question before it.
    Answer,
    CommentLine,
    EmptyRow,
    Unreadable,
}

impl Skip {
    /// Singular and plural names; `None` for things that are never more than one.
    fn names(self) -> (&'static str, Option<&'static str>) {
        match self {
            Skip::FrontMatter => ("front matter", None),
            Skip::TitleLine => ("title line", Some("title lines")),
            Skip::HtmlBlock => ("HTML block", Some("HTML blocks")),
            Skip::JsxTag => ("JSX tag", Some("JSX tags")),
            Skip::MdxLine => ("MDX import line", Some("MDX import lines")),
            Skip::CodeBlock => ("code block", Some("code blocks")),
            Skip::Table => ("table", Some("tables")),
            Skip::Image => ("image", Some("images")),
            Skip::LinkLine => ("link line", Some("link lines")),
            Skip::ListOfNonQuestions => (
                "list that does not look like questions",
                Some("lists that do not look like questions"),
            ),
            Skip::Paragraph => ("paragraph of text", Some("paragraphs of text")),
            Skip::Answer => (
                "answer without a question",
                Some("answers without a question"),
            ),
            Skip::CommentLine => ("comment line", Some("comment lines")),
            Skip::EmptyRow => ("row without a question", Some("rows without a question")),
            Skip::Unreadable => ("unreadable row", Some("unreadable rows")),
        }
    }

    /// What the line note says was done.
    fn said(self) -> &'static str {
        match self {
            Skip::TitleLine => "the bank's name, not a question",
            Skip::FrontMatter => "skipped front matter",
            Skip::HtmlBlock => "skipped an HTML block",
            Skip::JsxTag => "skipped a JSX tag",
            Skip::MdxLine => "skipped an MDX import line",
            Skip::CodeBlock => "skipped a code block",
            Skip::Table => "skipped a table",
            Skip::Image => "skipped an image",
            Skip::LinkLine => "skipped a line that is only a link",
            Skip::ListOfNonQuestions => "skipped a list that does not ask anything",
            Skip::Paragraph => "skipped a paragraph that neither asks nor answers",
            Skip::Answer => "skipped an answer with no question before it",
            Skip::CommentLine => "skipped a comment line",
            Skip::EmptyRow => "skipped a row without a question",
            Skip::Unreadable => "skipped a row that could not be read",
        }
    }
}

/// What one import did, for the person: printed to stderr by the commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub file: String,
    pub questions: usize,
    pub follow_ups: usize,
    pub categories: usize,
    /// Each kind once, with how many, in the order of [`Skip`].
    pub skipped: Vec<(Skip, usize)>,
    /// Each line left out or read differently, in the order of the file.
    pub notes: Vec<Note>,
    pub warnings: Vec<String>,
}

/// How many line notes an import shows unless all are asked for.
pub const NOTES_SHOWN: usize = 5;

impl ImportReport {
    /// The line notes, indented, for under the summary: all of them, or the first
    /// [`NOTES_SHOWN`] and how many more there are, with `more` saying how to see them.
    pub fn note_lines(&self, all: bool, more: &str) -> Vec<String> {
        let shown = if all {
            self.notes.len()
        } else {
            NOTES_SHOWN.min(self.notes.len())
        };
        let mut lines: Vec<String> = self.notes[..shown]
            .iter()
            .map(|n| format!("  line {}: {}", n.line, n.says))
            .collect();
        let hidden = self.notes.len() - shown;
        if hidden > 0 {
            lines.push(format!("  … and {hidden} more ({more})"));
        }
        lines
    }

    fn skipped_text(&self) -> String {
        let parts: Vec<String> = self
            .skipped
            .iter()
            .map(|&(skip, n)| match skip.names() {
                (one, None) => one.to_string(),
                (one, Some(_)) if n == 1 => format!("1 {one}"),
                (_, Some(many)) => format!("{n} {many}"),
            })
            .collect();
        parts.join(", ")
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.questions == 0 {
            write!(f, "imported nothing from {}: no questions found", self.file)?;
        } else {
            write!(f, "imported {}", plural(self.questions, "question"))?;
            if self.follow_ups > 0 {
                write!(f, " ({})", plural(self.follow_ups, "follow-up"))?;
            }
            write!(
                f,
                " in {} from {}",
                plural(self.categories, "category"),
                self.file
            )?;
        }
        if !self.skipped.is_empty() {
            write!(f, "; skipped: {}", self.skipped_text())?;
        }
        Ok(())
    }
}

fn plural(n: usize, one: &str) -> String {
    match (n, one) {
        (1, _) => format!("1 {one}"),
        (_, "category") => format!("{n} categories"),
        _ => format!("{n} {one}s"),
    }
}

/// A bank made from a list, and what the import did.
#[derive(Debug, Clone)]
pub struct Imported {
    pub bank: Bank,
    pub report: ImportReport,
}

/// Finds the questions in `text` in the given format.
pub fn draft(text: &str, format: Format) -> Draft {
    match format {
        Format::Markdown => markdown::draft(text),
        Format::Text => text::draft(text),
        Format::Csv => csv::draft(text, None),
        Format::Tsv => csv::draft(text, Some(b'\t')),
    }
}

/// Imports a list. `path` names the file in the report and gives the bank its key and,
/// when the file has no title of its own, its name. No questions is an error that says
/// what was skipped (the caller makes it a `BankError::NothingImported`).
pub fn import(text: &str, path: &Path, format: Format) -> Result<Imported, Box<ImportReport>> {
    let draft = draft(text, format);
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("bank");
    let name = draft
        .title
        .as_deref()
        .map(clean)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| title_from_stem(stem));
    let (bank, report) = build(draft, stem, &name, path);
    match bank {
        Some(bank) => Ok(Imported { bank, report }),
        None => Err(Box::new(report)),
    }
}

/// Turns a draft into a bank: cleaned text, unique ids, categories in the order they
/// first appear, default limits.
fn build(draft: Draft, key: &str, name: &str, path: &Path) -> (Option<Bank>, ImportReport) {
    let mut ids = Ids::default();
    let mut categories: Vec<Category> = Vec::new();
    let mut questions = Vec::new();
    for item in draft.items {
        let text = strip_number(&clean(&item.text)).to_string();
        if text.is_empty() {
            continue;
        }
        let category = item
            .category
            .as_deref()
            .map(clean)
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| GENERAL.to_string());
        if !categories.iter().any(|c| c.name == category) {
            categories.push(Category {
                name: category.clone(),
                timing: Timing::default(),
                star: false,
            });
        }
        let keep = |v: Vec<String>| -> Vec<String> {
            v.iter()
                .map(|s| clean(s))
                .filter(|s| !s.is_empty())
                .collect()
        };
        questions.push(Question {
            id: ids.make(&text),
            category,
            text,
            talking_points: keep(item.talking_points),
            follow_ups: keep(item.follow_ups),
            timing: Timing::default(),
            min: None,
            star: false,
        });
    }
    let mut counted: Vec<(Skip, usize)> = Vec::new();
    let mut skipped = draft.skipped;
    skipped.sort();
    for skip in skipped {
        match counted.last_mut() {
            Some((last, n)) if *last == skip => *n += 1,
            _ => counted.push((skip, 1)),
        }
    }
    let mut notes = draft.notes;
    notes.sort_by_key(|n| n.line);
    let report = ImportReport {
        file: path.display().to_string(),
        questions: questions.len(),
        follow_ups: questions.iter().map(|q| q.follow_ups.len()).sum(),
        categories: categories.len(),
        skipped: counted,
        notes,
        warnings: draft.warnings,
    };
    if questions.is_empty() {
        return (None, report);
    }
    let bank = Bank {
        key: key.to_string(),
        name: name.to_string(),
        description: format!(
            "Imported from {}.",
            path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into()
            )
        ),
        reviewed: None,
        source: Source::File(path.to_path_buf()),
        timing: Timing::default(),
        categories,
        questions,
    };
    (Some(bank), report)
}

/// Text from a file made safe and tidy: escape sequences and control characters removed,
/// runs of white space made one space.
pub fn clean(text: &str) -> String {
    sanitize(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The question's own words without the number a list or a prep site gave it: `Q1.`,
/// `Q3:`, `Question 4:`, `Question #4.`, `5)`, `(5)`, `1.`. Only a number followed by a
/// space goes, so "1.5 million records" keeps its number.
pub fn strip_number(text: &str) -> &str {
    let mut rest = text.trim_start();
    // `1. Q1. Tell me…`: a list number and the question's own.
    for _ in 0..2 {
        match numbered_label(rest) {
            Some(after) => rest = after,
            None => break,
        }
    }
    rest
}

/// The text after one leading number label, if there is one.
fn numbered_label(text: &str) -> Option<&str> {
    let word_end = text
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let (word, mut rest) = text.split_at(word_end);
    let labelled = ["q", "question"]
        .iter()
        .any(|l| word.eq_ignore_ascii_case(l));
    if !word.is_empty() && !labelled {
        return None;
    }
    if labelled {
        rest = rest.trim_start_matches(' ').trim_start_matches('#');
    }
    let bracketed = !labelled && rest.starts_with('(');
    if bracketed {
        rest = &rest[1..];
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if (digits == 0 && !labelled) || digits > 3 {
        return None;
    }
    let after_number = &rest[digits..];
    let after = if bracketed {
        after_number.strip_prefix(')')?
    } else if labelled && digits == 0 {
        // `Q:` and `Question:` alone; `Q.` only as a capital.
        after_number.strip_prefix(':').or_else(|| {
            (word == "Q")
                .then(|| after_number.strip_prefix('.'))
                .flatten()
        })?
    } else {
        after_number.strip_prefix(['.', ':', ')'])?
    };
    after
        .starts_with(char::is_whitespace)
        .then(|| after.trim_start())
        .filter(|t| !t.is_empty())
}

/// Labels that put a line under a question as part of an answer: a prepared answer, a
/// tip, a note. Compared in lower case, without emphasis.
const ANSWER_LABELS: &[&str] = &[
    "example answer",
    "sample answer",
    "model answer",
    "suggested answer",
    "ideal answer",
    "best answer",
    "possible answer",
    "my answer",
    "your answer",
    "how to answer",
    "example",
    "answer",
    "tip",
    "tips",
    "pro tip",
    "hint",
    "note",
    "key points",
    "talking points",
    "why they ask",
    "what they want",
    "what to say",
    "avoid",
];

/// Whether `text` starts with an answer label and a colon: `*Example answer:* I …`,
/// `**Tip:** …`, `Note: …`.
pub fn answer_label(text: &str) -> bool {
    let Some((label, _)) = text.split_once(':') else {
        return false;
    };
    if label.chars().count() > 30 {
        return false;
    }
    let label: String = label
        .chars()
        .filter(|c| !matches!(c, '*' | '_'))
        .collect::<String>()
        .trim()
        .to_lowercase();
    ANSWER_LABELS.contains(&label.as_str())
}

/// `h5bp-general-questions` → `H5bp general questions`.
fn title_from_stem(stem: &str) -> String {
    let words = clean(&stem.replace(['-', '_'], " "));
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Imported questions".to_string(),
    }
}

/// Words left out of ids: they make ids longer without telling questions apart.
const STOP_WORDS: &[&str] = &[
    "a", "about", "an", "and", "are", "as", "at", "be", "by", "can", "could", "did", "do", "does",
    "for", "from", "had", "has", "have", "how", "i", "if", "in", "is", "it", "me", "my", "of",
    "on", "or", "our", "so", "that", "the", "this", "to", "us", "was", "we", "were", "what",
    "when", "where", "which", "who", "why", "will", "with", "would", "you", "your",
];

/// Longest id made from text, before a `-2` that keeps it unique.
const ID_MAX: usize = 40;
const ID_WORDS: usize = 5;

/// Short, unique, kebab-case ids made from question text.
#[derive(Default)]
pub struct Ids {
    taken: HashSet<String>,
}

impl Ids {
    pub fn make(&mut self, text: &str) -> String {
        let base = slug(text);
        let base = if base.is_empty() {
            "question".to_string()
        } else {
            base
        };
        let mut id = base.clone();
        let mut n = 1;
        while self.taken.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.taken.insert(id.clone());
        id
    }
}

/// The first few telling words of `text`, lower case, joined by `-`. Letters of every
/// script are kept: `¿Cómo manejas…` gives `cómo-manejas-…`.
pub fn slug(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        // Lower case can add marks that are not letters (`İ` → `i̇`): ids keep letters.
        .map(|w| {
            w.to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let telling: Vec<&String> = words
        .iter()
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .collect();
    let chosen = if telling.is_empty() {
        words.iter().collect()
    } else {
        telling
    };
    let mut id = String::new();
    for word in chosen.into_iter().take(ID_WORDS) {
        let (len, word_len) = (id.chars().count(), word.chars().count());
        if !id.is_empty() && len + 1 + word_len > ID_MAX {
            break;
        }
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(word);
    }
    // At most ID_MAX characters, cut between characters, never inside one.
    id.chars().take(ID_MAX).collect()
}

/// Words a question or an interview prompt starts with when it has no `?`.
const QUESTION_STARTS: &[&str] = &[
    "are",
    "can",
    "compare",
    "contrast",
    "could",
    "define",
    "describe",
    "design",
    "did",
    "difference",
    "discuss",
    "do",
    "does",
    "elaborate",
    "estimate",
    "explain",
    "give",
    "has",
    "have",
    "how",
    "if",
    "imagine",
    "implement",
    "introduce",
    "is",
    "justify",
    "list",
    "name",
    "outline",
    "share",
    "should",
    "state",
    "suppose",
    "take",
    "talk",
    "teach",
    "tell",
    "walk",
    "was",
    "were",
    "what",
    "what's",
    "when",
    "where",
    "which",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "would",
    "write",
];

/// A question mark, or a first word that asks: "Tell me about ...", "Describe ...".
pub fn looks_like_question(text: &str) -> bool {
    if text.contains('?') {
        return true;
    }
    let first = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
        .to_lowercase();
    QUESTION_STARTS.contains(&first.as_str())
}

/// A heading tidied for use as a category: a leading emoji, symbol or mangled-emoji word
/// (`🚀`, `üöÄ`) is dropped, as is a trailing colon.
pub fn category_name(heading: &str) -> String {
    let heading = clean(heading);
    let heading = heading.trim_end_matches(':').trim();
    if let Some((first, rest)) = heading.split_once(' ') {
        let symbol = first.chars().all(|c| !c.is_alphanumeric())
            || first.chars().any(|c| !c.is_ascii() && !c.is_alphanumeric());
        // Emoji stored in the wrong encoding turn into a run of accented letters before
        // plain English words.
        let mangled = !first.is_ascii() && first.chars().all(|c| !c.is_ascii()) && rest.is_ascii();
        if (symbol || mangled) && rest.chars().any(char::is_alphanumeric) {
            return rest.trim().to_string();
        }
    }
    heading.to_string()
}

#[cfg(test)]
mod tests;
