//! Parsing bank text (TOML or JSON of one shape) into a checked [`Bank`]. Every problem is
//! reported as `path:line:column: problem`, because a person fixes a bank in an editor.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::rules::{self, check_reviewed};
use super::{Bank, Category, GENERAL, Question, Source, Timing};
use crate::duration::Dur;
use crate::text::line_column;

#[derive(Debug, thiserror::Error)]
pub enum BankError {
    #[error("{}: {error}", path.display())]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("no bank named {name:?}; {}", not_found_hint(name, known))]
    NotFound { name: String, known: Vec<String> },
    #[error(
        "{}: {} is too big for a question list or bank (the limit is {}); split it into smaller files",
        path.display(),
        crate::text::mebibytes(*size),
        crate::text::mebibytes(super::read::MAX_FILE_BYTES)
    )]
    TooBig { path: PathBuf, size: u64 },
    #[error(
        "{report} (rehearse takes Markdown list items that ask something, numbered or bulleted \
         lines, Q: lines, one question per paragraph, or a CSV question column)"
    )]
    NothingImported {
        path: PathBuf,
        report: Box<super::import::ImportReport>,
    },
}

/// "did you mean `behavioral`?" for a misspelt name, else every name there is.
fn not_found_hint(name: &str, known: &[String]) -> String {
    let names: Vec<&str> = known.iter().map(String::as_str).collect();
    match crate::text::did_you_mean(name, &names) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("known banks: {}", names.join(", ")),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBank {
    name: Option<String>,
    description: Option<String>,
    reviewed: Option<String>,
    time_limit: Option<Dur>,
    prep: Option<Dur>,
    warn_at: Option<Dur>,
    #[serde(default)]
    categories: Vec<RawCategory>,
    #[serde(default)]
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    name: String,
    #[allow(
        dead_code,
        reason = "accepted for the reader of the file; not shown yet"
    )]
    description: Option<String>,
    time_limit: Option<Dur>,
    prep: Option<Dur>,
    warn_at: Option<Dur>,
    #[serde(default)]
    star: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    category: Option<String>,
    text: String,
    #[serde(default)]
    talking_points: Vec<String>,
    #[serde(default)]
    follow_ups: Vec<String>,
    time_limit: Option<Dur>,
    prep: Option<Dur>,
    warn_at: Option<Dur>,
    min: Option<Dur>,
    star: Option<bool>,
}

/// The keys a bank, a category and a question may have, read from the structs that load
/// them, so `banks check` and loading always agree on what is known.
#[derive(Debug, Clone, Copy)]
pub struct KnownKeys {
    pub bank: &'static [&'static str],
    pub category: &'static [&'static str],
    pub question: &'static [&'static str],
}

pub fn known_keys() -> KnownKeys {
    KnownKeys {
        bank: fields_of::<RawBank>(),
        category: fields_of::<RawCategory>(),
        question: fields_of::<RawQuestion>(),
    }
}

/// The field names serde's derive passes to `deserialize_struct`.
fn fields_of<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    use serde::de::{Error, Visitor, value::Error as Failed};

    struct Fields(&'static [&'static str]);

    impl<'de> serde::Deserializer<'de> for &mut Fields {
        type Error = Failed;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Failed> {
            Err(Failed::custom("only structs"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Failed> {
            self.0 = fields;
            Err(Failed::custom("fields read"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }

    let mut fields = Fields(&[]);
    let _ = T::deserialize(&mut fields);
    fields.0
}

/// Parses and checks a bank. `path` is used for messages only; JSON is chosen by a `.json`
/// extension, TOML otherwise.
pub fn parse_bank(text: &str, path: &Path, key: &str, source: Source) -> Result<Bank, BankError> {
    let syntax = |offset: usize, message: String| {
        let (line, column) = line_column(text, offset);
        BankError::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    };
    if let Some(offset) = rules::too_deep(text) {
        return Err(syntax(offset, rules::too_deep_message()));
    }
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let raw: RawBank = if is_json {
        serde_json::from_str(text).map_err(|e| BankError::Syntax {
            path: path.to_path_buf(),
            line: e.line().max(1),
            column: e.column().max(1),
            message: strip_json_position(&e.to_string()),
        })?
    } else {
        toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            syntax(offset, e.message().trim().to_string())
        })?
    };

    if let Some(reviewed) = &raw.reviewed
        && let Err(message) = check_reviewed(reviewed)
    {
        return Err(syntax(nth_quoted(text, reviewed, 0), message));
    }

    let mut categories: Vec<Category> = Vec::new();
    for c in raw.categories {
        if categories.iter().any(|known| known.name == c.name) {
            return Err(syntax(
                nth_quoted(text, &c.name, 1),
                rules::duplicate_category(&c.name),
            ));
        }
        categories.push(Category {
            name: c.name,
            timing: Timing {
                time_limit: c.time_limit,
                prep: c.prep,
                warn_at: c.warn_at,
            },
            star: c.star,
        });
    }

    let questions = read_questions(raw.questions, text, &mut categories, &syntax)?;
    if questions.is_empty() {
        return Err(syntax(text.len(), rules::NO_QUESTIONS.to_string()));
    }
    // A category declared but never used would only confuse the plan and the stats.
    let used: std::collections::HashSet<&str> =
        questions.iter().map(|q| q.category.as_str()).collect();
    categories.retain(|c| used.contains(c.name.as_str()));

    Ok(Bank {
        key: key.to_string(),
        name: raw.name.unwrap_or_else(|| key.to_string()),
        description: raw.description.unwrap_or_default(),
        reviewed: raw.reviewed,
        source,
        timing: Timing {
            time_limit: raw.time_limit,
            prep: raw.prep,
            warn_at: raw.warn_at,
        },
        categories,
        questions,
    })
}

/// The questions, checked one by one in a single pass (ids are looked up in a set, so a
/// bank of any size loads in linear time); categories they name are added as found.
fn read_questions(
    raw: Vec<RawQuestion>,
    text: &str,
    categories: &mut Vec<Category>,
    syntax: &dyn Fn(usize, String) -> BankError,
) -> Result<Vec<Question>, BankError> {
    let mut ids = std::collections::HashSet::with_capacity(raw.len());
    let mut stars: std::collections::HashMap<String, bool> = categories
        .iter()
        .map(|c| (c.name.clone(), c.star))
        .collect();
    let mut questions: Vec<Question> = Vec::with_capacity(raw.len());
    for q in raw {
        let at = |n| nth_quoted(text, &q.id, n);
        if let Some(problem) = rules::id_problem(&q.id) {
            return Err(syntax(at(0), problem));
        }
        if !ids.insert(q.id.clone()) {
            return Err(syntax(at(1), rules::duplicate_id(&q.id)));
        }
        if q.text.trim().is_empty() {
            return Err(syntax(at(0), rules::empty_text(&q.id)));
        }
        let category = q.category.unwrap_or_else(|| GENERAL.to_string());
        let category_star = *stars.entry(category.clone()).or_insert_with(|| {
            categories.push(Category {
                name: category.clone(),
                timing: Timing::default(),
                star: false,
            });
            false
        });
        questions.push(Question {
            id: q.id,
            category,
            text: q.text.trim().to_string(),
            talking_points: q.talking_points,
            follow_ups: q.follow_ups,
            timing: Timing {
                time_limit: q.time_limit,
                prep: q.prep,
                warn_at: q.warn_at,
            },
            min: q.min,
            star: q.star.unwrap_or(category_star),
        });
    }
    Ok(questions)
}

/// Byte offset of the `n`th (0-based) appearance of `value` as a quoted string, or of the
/// last one if there are fewer; 0 if none. Used to point at a value that only a check
/// after parsing finds wrong.
fn nth_quoted(text: &str, value: &str, n: usize) -> usize {
    let needle = format!("\"{value}\"");
    let hits: Vec<usize> = text.match_indices(&needle).map(|(i, _)| i).collect();
    hits.get(n).or(hits.last()).copied().unwrap_or(0)
}

fn strip_json_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Bank, BankError> {
        parse_bank(text, Path::new("b.toml"), "b", Source::Embedded)
    }

    const GOOD: &str = r#"
name = "Test"
time_limit = "2m"

[[categories]]
name = "Rules"
time_limit = "3m"
star = true

[[questions]]
id = "one"
category = "Rules"
text = "First?"
talking_points = ["a", "b", "c"]
min = "30s"

[[questions]]
id = "two"
text = "Second?"
time_limit = 45
"#;

    #[test]
    fn parses_categories_defaults_and_limits() {
        let bank = parse(GOOD).unwrap();
        assert_eq!(bank.name, "Test");
        assert_eq!(bank.timing.time_limit.unwrap().as_millis(), 120_000);
        assert_eq!(bank.categories.len(), 2);
        assert_eq!(bank.categories[1].name, GENERAL);
        let one = &bank.questions[0];
        assert!(one.star);
        assert_eq!(one.min.unwrap().as_millis(), 30_000);
        assert_eq!(
            bank.questions[1].timing.time_limit.unwrap().as_millis(),
            45_000
        );
        assert!(!bank.questions[1].star);
    }

    #[test]
    fn json_of_the_same_shape_loads() {
        let json =
            r#"{"name": "J", "questions": [{"id": "a", "text": "Why?", "time_limit": "1:30"}]}"#;
        let bank = parse_bank(json, Path::new("j.json"), "j", Source::Embedded).unwrap();
        assert_eq!(
            bank.questions[0].timing.time_limit.unwrap().as_millis(),
            90_000
        );
    }

    fn error_of(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let cases = [
            (
                "name = \"x\"\n[[questions]]\nid = \"a\"\ntext = \"Q?\"\ntime_limit = \"2x\"\n",
                "b.toml:5:14:",
                "expected a duration",
            ),
            (
                "[[questions]]\nid = \"a\"\ntext = \"Q?\"\ncolour = 1\n",
                "b.toml:4:1:",
                "unknown field `colour`",
            ),
            (
                "[[questions]]\nid = \"a\"\ntext = \"Q?\"\n[[questions]]\nid = \"a\"\ntext = \"R?\"\n",
                "b.toml:5:6:",
                "duplicate question id \"a\"",
            ),
            (
                "[[questions]]\nid = \"a\"\ntext = \"  \"\n",
                "b.toml:2:6:",
                "empty text",
            ),
            (
                "[[questions]]\nid = \"a b\"\ntext = \"Q\"\n",
                "b.toml:2:6:",
                "use letters",
            ),
            ("name = \"x\"\n", "b.toml:2:1:", "no questions"),
            ("name = \n", "b.toml:1:", "string"),
            (
                "[[questions]]\ntext = \"Q\"\n",
                "b.toml:1:1:",
                "missing field `id`",
            ),
            (
                "[[questions]]\nid = \"a\"\ntext = \"Q\"\ntime_limit = \"0s\"\n",
                "b.toml:4:14:",
                "more than zero",
            ),
        ];
        for (text, position, problem) in cases {
            let e = error_of(text);
            assert!(
                e.starts_with(position),
                "{e:?} should start with {position:?}"
            );
            assert!(e.contains(problem), "{e:?} should contain {problem:?}");
            assert!(!e.contains('\n'), "one line: {e:?}");
        }
    }

    #[test]
    fn reviewed_is_a_year_and_month() {
        let bank =
            parse("reviewed = \"2026-12\"\n[[questions]]\nid = \"a\"\ntext = \"Q?\"\n").unwrap();
        assert_eq!(bank.reviewed.as_deref(), Some("2026-12"));
        assert_eq!(parse(GOOD).unwrap().reviewed, None);
        for bad in [
            "2026-13",
            "2026-1",
            "26-12",
            "2026/12",
            "December 2026",
            "2026-12-01",
            "2026-00",
        ] {
            let e = error_of(&format!(
                "reviewed = \"{bad}\"\n[[questions]]\nid = \"a\"\ntext = \"Q?\"\n"
            ));
            assert!(e.starts_with("b.toml:1:12: reviewed: "), "{bad}: {e}");
            assert!(
                e.contains("expected a year and month like \"2026-12\""),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn known_keys_come_from_the_loader() {
        let keys = known_keys();
        assert!(keys.bank.contains(&"questions"));
        assert!(keys.bank.contains(&"reviewed"));
        assert!(keys.category.contains(&"star"));
        assert!(keys.question.contains(&"talking_points"));
        assert!(!keys.question.contains(&"colour"));
    }

    #[test]
    fn json_errors_have_positions() {
        let e = parse_bank(
            "{\"questions\": [\n  {\"id\": 3}]}",
            Path::new("j.json"),
            "j",
            Source::Embedded,
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("j.json:2:"), "{e}");
    }
}
