//! Questions in CSV or TSV (spreadsheets, flashcard exports), read by the `csv` crate so
//! quoted fields with commas, quotes and newlines come out whole. A header row names the
//! columns (`question`, `category`, `answer`, `keywords`, ...); without one, the first
//! column is the question.

use super::{Draft, Item, Skip};

/// Header names, compared without case, spaces or punctuation.
const QUESTION: &[&str] = &[
    "question",
    "questions",
    "questiontext",
    "interviewquestion",
    "prompt",
    "front",
    "q",
];
const CATEGORY: &[&str] = &[
    "category",
    "categories",
    "topic",
    "section",
    "subject",
    "area",
    "deck",
    "type",
];
const ANSWER: &[&str] = &[
    "answer",
    "answers",
    "idealanswer",
    "sampleanswer",
    "modelanswer",
    "expectedanswer",
    "suggestedanswer",
    "back",
    "a",
];
const KEYWORDS: &[&str] = &["keywords", "keyword", "keypoints", "tags"];

/// Which column holds what.
#[derive(Debug, Default, PartialEq, Eq)]
struct Columns {
    question: usize,
    category: Option<usize>,
    answer: Option<usize>,
    keywords: Option<usize>,
}

fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The columns named by a header row, or `None` if the row is not a header.
fn header(row: &csv::StringRecord) -> Option<Columns> {
    let names: Vec<String> = row.iter().map(normalise).collect();
    let find = |known: &[&str]| names.iter().position(|n| known.contains(&n.as_str()));
    let question = find(QUESTION);
    let category = find(CATEGORY);
    let answer = find(ANSWER);
    let keywords = find(KEYWORDS);
    if question.is_none() && [category, answer, keywords].iter().all(Option::is_none) {
        return None;
    }
    let named = [category, answer, keywords];
    let question = question
        .or_else(|| (0..names.len()).find(|i| !named.contains(&Some(*i))))
        .unwrap_or(0);
    Some(Columns {
        question,
        category,
        answer,
        keywords,
    })
}

/// Comma, semicolon or tab: whichever the first line uses most, outside quotes.
fn sniff(first_line: &str) -> u8 {
    let mut counts = [(b',', 0), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in first_line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
            c.1 += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| *d)
}

/// `delimiter` is fixed for TSV; for CSV it is sniffed from the first line.
pub fn draft(text: &str, delimiter: Option<u8>) -> Draft {
    let mut draft = Draft::default();
    // Flashcard exports start with `#separator:tab`, `#html:true` lines.
    let mut body = text;
    // Lines before the rows, so a row's line is its line in the file.
    let mut above = 0;
    while body.starts_with('#') {
        above += 1;
        let (line, rest) = body.split_once('\n').unwrap_or((body, ""));
        draft.skip(Skip::CommentLine, above, line);
        body = rest;
    }
    let delimiter = delimiter.unwrap_or_else(|| sniff(body.lines().next().unwrap_or("")));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(body.as_bytes());
    let mut columns: Option<Columns> = None;
    for (n, record) in reader.records().enumerate() {
        let row = match record {
            Ok(row) => row,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize) + above;
                draft
                    .warnings
                    .push(format!("row at line {line} could not be read: {e}"));
                draft.skip(Skip::Unreadable, line, "");
                continue;
            }
        };
        let line = row.position().map_or(0, |p| p.line() as usize) + above;
        if n == 0
            && let Some(named) = header(&row)
        {
            columns = Some(named);
            continue;
        }
        let columns = columns.get_or_insert_with(Columns::default);
        let field = |i: Option<usize>| {
            i.and_then(|i| row.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let Some(text) = field(Some(columns.question)) else {
            if row.iter().any(|f| !f.trim().is_empty()) {
                let text: Vec<&str> = row.iter().collect();
                draft.skip(Skip::EmptyRow, line, &text.join(", "));
            }
            continue;
        };
        let mut talking_points = Vec::new();
        if let Some(answer) = field(columns.answer) {
            talking_points.push(answer.to_string());
        }
        if let Some(keywords) = field(columns.keywords) {
            let words: Vec<&str> = keywords
                .split([',', ';'])
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .collect();
            talking_points.push(format!("Keywords: {}", words.join(", ")));
        }
        draft.items.push(Item {
            text: text.to_string(),
            line,
            category: field(columns.category).map(str::to_string),
            follow_ups: Vec::new(),
            talking_points,
        });
    }
    draft
}
