//! Random and mutated input for the importers, the bank loader and the checker: they never
//! panic, and whatever they accept is a bank the rest of the program can trust. Case counts
//! are kept small enough for the whole file to run in a few seconds of CI.

use std::path::Path;

use proptest::prelude::*;

use super::import::{self, Format};
use super::read::{self, Legacy};
use super::{Source, check, parse_bank, write};

/// Pieces that mean something to one of the formats, so random text reaches the
/// interesting paths rather than being one long paragraph.
const TOKENS: &[&str] = &[
    "1. ",
    "1) ",
    "- ",
    "* ",
    "+ ",
    "  ",
    "    ",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "# ",
    "## ",
    "```\n",
    "---\n",
    "+++\n",
    "<div>\n",
    "</div>\n",
    "<Foo />\n",
    "import X from 'y';\n",
    "[link](http://x)",
    "![img](i.png)",
    "| a | b |\n|---|---|\n",
    "**",
    "_",
    "&amp;",
    "&lt;",
    "\"",
    ",",
    ";",
    "Q: ",
    "A: ",
    "Question: ",
    "?",
    ":",
    "What is ",
    "Describe ",
    "Tell me ",
    "x",
    "é",
    "🚀",
    "üöÄ",
    "\u{1b}[31m",
    "\u{1b}]0;t\u{7}",
    "\u{0}",
    "\u{202e}",
    "title: T\n",
    "[[questions]]\n",
    "id = \"a\"\n",
    "text = \"Q?\"\n",
    "time_limit = \"1m\"\n",
    "{",
    "}",
    "[",
    "]",
    "=",
    "\\",
];

fn tokens() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..80).prop_map(|t| t.concat())
}

const FIXTURES: &[(&str, &str)] = &[
    (
        "quirks.md",
        include_str!("../../tests/cli/fixtures/import/quirks.md"),
    ),
    (
        "landing.md",
        include_str!("../../tests/cli/fixtures/import/landing.md"),
    ),
    (
        "listed.txt",
        include_str!("../../tests/cli/fixtures/import/listed.txt"),
    ),
    (
        "pairs.txt",
        include_str!("../../tests/cli/fixtures/import/pairs.txt"),
    ),
    (
        "paragraphs.txt",
        include_str!("../../tests/cli/fixtures/import/paragraphs.txt"),
    ),
    (
        "cards.csv",
        include_str!("../../tests/cli/fixtures/import/cards.csv"),
    ),
    (
        "plain.csv",
        include_str!("../../tests/cli/fixtures/import/plain.csv"),
    ),
    (
        "cards.tsv",
        include_str!("../../tests/cli/fixtures/import/cards.tsv"),
    ),
    ("b.toml", include_str!("../../questions/behavioral.toml")),
    (
        "b.json",
        r#"{"name": "J", "time_limit": "2m", "categories": [{"name": "C", "star": true}],
            "questions": [{"id": "a", "category": "C", "text": "Why?", "prep": 10},
                          {"id": "b", "text": "How?", "follow_ups": ["And?"]}]}"#,
    ),
];

/// One change to a text: insert a token, delete a stretch, or repeat a stretch.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, &'static str),
    Delete(usize, usize),
    Repeat(usize, usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (any::<usize>(), prop::sample::select(TOKENS)).prop_map(|(at, t)| Edit::Insert(at, t)),
        (any::<usize>(), 0..40usize).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), 0..40usize).prop_map(|(at, n)| Edit::Repeat(at, n)),
    ];
    prop::collection::vec(edit, 1..12)
}

/// A fixture with edits applied at byte positions (so UTF-8 may break, as in real files).
fn mutate(text: &str, edits: &[Edit]) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for edit in edits {
        let len = bytes.len();
        match *edit {
            Edit::Insert(at, token) => {
                let at = at % (len + 1);
                bytes.splice(at..at, token.bytes());
            }
            Edit::Delete(at, n) => {
                let at = at % (len + 1);
                bytes.drain(at..(at + n).min(len));
            }
            Edit::Repeat(at, n) => {
                let at = at % (len + 1);
                let piece = bytes[at..(at + n).min(len)].to_vec();
                bytes.splice(at..at, piece);
            }
        }
    }
    bytes
}

/// Whatever an import accepts is a sound bank: clean one-line text, unique valid ids,
/// and a TOML file that loads back to the same questions.
fn check_import(text: &str, format: Format) -> Result<(), TestCaseError> {
    let path = Path::new("list");
    match import::import(text, path, format) {
        Ok(imported) => {
            let bank = imported.bank;
            prop_assert_eq!(imported.report.questions, bank.questions.len());
            for q in &bank.questions {
                prop_assert!(!q.text.is_empty());
                prop_assert!(!q.text.chars().any(char::is_control), "{:?}", q.text);
                prop_assert!(!q.text.contains(ESC), "{:?}", q.text);
            }
            let toml = write::to_toml(&bank, &[]);
            let again = parse_bank(
                &toml,
                Path::new("list.toml"),
                &bank.key,
                bank.source.clone(),
            );
            prop_assert!(again.is_ok(), "{:?}\n{}", again.err(), toml);
            prop_assert_eq!(again.unwrap(), bank);
        }
        Err(report) => prop_assert_eq!(report.questions, 0),
    }
    Ok(())
}

/// Loading and checking agree: a bank the checker finds clean loads, and one that does not
/// load has at least one problem.
fn check_bank(text: &str, name: &str) -> Result<(), TestCaseError> {
    let loaded = parse_bank(text, Path::new(name), "b", Source::Embedded);
    let problems = check::check_text(text, Path::new(name));
    if problems.is_empty() {
        prop_assert!(loaded.is_ok(), "clean but not loaded: {:?}", loaded.err());
    }
    if loaded.is_err() {
        prop_assert!(!problems.is_empty());
    }
    Ok(())
}

const ESC: char = '\u{1b}';

const FORMATS: [Format; 4] = [Format::Markdown, Format::Text, Format::Csv, Format::Tsv];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn importers_take_random_tokens(text in tokens()) {
        for format in FORMATS {
            check_import(&text, format)?;
        }
    }

    #[test]
    fn importers_take_any_text(text in any::<String>()) {
        for format in FORMATS {
            check_import(&text, format)?;
        }
    }

    #[test]
    fn importers_take_mutated_fixtures(which in 0..FIXTURES.len(), edits in edits()) {
        let bytes = mutate(FIXTURES[which].1, &edits);
        if let Ok(decoded) = read::decode(&bytes, Path::new("f"), Legacy::Windows1252) {
            for format in FORMATS {
                check_import(&decoded.text, format)?;
            }
        }
    }

    #[test]
    fn loader_and_checker_take_random_tokens(text in tokens()) {
        for name in ["b.toml", "b.json"] {
            check_bank(&text, name)?;
        }
    }

    #[test]
    fn loader_and_checker_take_mutated_banks(which in 0..FIXTURES.len(), edits in edits()) {
        let bytes = mutate(FIXTURES[which].1, &edits);
        if let Ok(decoded) = read::decode(&bytes, Path::new("f"), Legacy::Refuse) {
            for name in ["b.toml", "b.json"] {
                check_bank(&decoded.text, name)?;
            }
        }
    }

    #[test]
    fn decoding_takes_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        for legacy in [Legacy::Refuse, Legacy::Windows1252] {
            let _ = read::decode(&bytes, Path::new("f"), legacy);
        }
    }
}
