//! `banks check`: every problem in a bank file at once, each with its line and column,
//! where loading stops at the first. The file is read into a tree that keeps the place of
//! every key and value (TOML through the toml crate's spanned parser, JSON through a small
//! scanner over text serde_json has already accepted), and the tree is checked against
//! the keys the loader knows. Pure: text in, problems out.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::time::Duration;

use toml::de::{DeTable, DeValue};

use super::DEFAULT_LIMIT;
use super::rules;
use super::{BankError, Source, known_keys, parse_bank, write};
use crate::duration::Dur;
use crate::text::did_you_mean;
use crate::text::line_column;

/// One problem, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Every problem found in a bank's text; none means the bank loads and its limits make
/// sense. `path` chooses JSON (by a `.json` extension) or TOML.
pub fn check_text(text: &str, path: &Path) -> Vec<Problem> {
    let mut checker = Checker {
        text,
        problems: Vec::new(),
    };
    if let Some(offset) = rules::too_deep(text) {
        checker.problem(offset, rules::too_deep_message());
        return checker.problems;
    }
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let tree = if is_json {
        checker.json(text)
    } else {
        checker.toml(text)
    };
    if let Some(tree) = tree {
        checker.bank(&tree);
    }
    let mut problems = checker.problems;
    // Whatever loading refuses must be reported, even if the walk above missed it.
    if problems.is_empty()
        && let Err(e) = parse_bank(text, path, "check", Source::Embedded)
    {
        let (line, column, message) = match e {
            BankError::Syntax {
                line,
                column,
                message,
                ..
            } => (line, column, message),
            other => (1, 1, other.to_string()),
        };
        problems.push(Problem {
            line,
            column,
            message,
        });
    }
    problems.sort();
    problems.dedup();
    problems
}

/// A value and where it is in the text.
#[derive(Debug, Clone)]
struct Node {
    span: Range<usize>,
    value: Value,
}

#[derive(Debug, Clone)]
enum Value {
    Str(String),
    Int(i64),
    Bool,
    Array(Vec<Node>),
    Table(Vec<Entry>),
    /// Floats, dates, nulls, integers out of range: never right in a bank.
    Other(&'static str),
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) => "an integer",
            Value::Bool => "a boolean",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
            Value::Other(kind) => kind,
        }
    }
}

#[derive(Debug, Clone)]
struct Entry {
    key: String,
    key_span: Range<usize>,
    node: Node,
}

/// Time settings of one level (bank, category, question) and where each was written.
#[derive(Debug, Clone, Default)]
struct Times {
    limit: Option<(Dur, Range<usize>)>,
    prep: Option<(Dur, Range<usize>)>,
    warn: Option<(Dur, Range<usize>)>,
    min: Option<(Dur, Range<usize>)>,
}

impl Times {
    /// This level's settings, falling back to the level above.
    fn over(&self, above: &Times) -> Times {
        Times {
            limit: self.limit.clone().or_else(|| above.limit.clone()),
            prep: self.prep.clone().or_else(|| above.prep.clone()),
            warn: self.warn.clone().or_else(|| above.warn.clone()),
            min: self.min.clone().or_else(|| above.min.clone()),
        }
    }
}

struct Checker<'a> {
    text: &'a str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn problem(&mut self, at: usize, message: String) {
        let (line, column) = line_column(self.text, at);
        self.problems.push(Problem {
            line,
            column,
            message,
        });
    }

    fn toml(&mut self, text: &str) -> Option<Node> {
        let (table, errors) = DeTable::parse_recoverable(text);
        if !errors.is_empty() {
            for e in errors {
                let at = e.span().map_or(0, |s| s.start);
                self.problem(at, e.message().trim().to_string());
            }
            return None;
        }
        let span = table.span();
        Some(Node {
            span,
            value: from_toml_table(table.get_ref()),
        })
    }

    fn json(&mut self, text: &str) -> Option<Node> {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
            let message = e.to_string();
            let message = match message.rfind(" at line ") {
                Some(i) => message[..i].to_string(),
                None => message,
            };
            self.problems.push(Problem {
                line: e.line().max(1),
                column: e.column().max(1),
                message,
            });
            return None;
        }
        let mut scanner = Json { text, pos: 0 };
        let tree = scanner.value();
        if let Some(Node {
            value: Value::Table(entries),
            ..
        }) = &tree
        {
            self.duplicate_keys(entries);
        }
        tree
    }

    /// JSON allows a key twice in one object (the last wins); a bank should not.
    fn duplicate_keys(&mut self, entries: &[Entry]) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for e in entries {
            if let Some(&first) = seen.get(e.key.as_str()) {
                let (line, _) = line_column(self.text, first);
                self.problem(
                    e.key_span.start,
                    format!("key `{}` is given twice (first at line {line})", e.key),
                );
            } else {
                seen.insert(&e.key, e.key_span.start);
            }
            match &e.node.value {
                Value::Table(inner) => self.duplicate_keys(inner),
                Value::Array(items) => {
                    for item in items {
                        if let Value::Table(inner) = &item.value {
                            self.duplicate_keys(inner);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn bank(&mut self, root: &Node) {
        let Value::Table(entries) = &root.value else {
            self.problem(
                root.span.start,
                format!(
                    "a bank is a table of keys (name, questions, ...), not {}",
                    root.value.kind()
                ),
            );
            return;
        };
        let keys = known_keys();
        let mut bank_times = Times::default();
        let mut categories: Vec<(String, Times)> = Vec::new();
        for e in entries {
            match e.key.as_str() {
                "name" | "description" => self.string(e),
                "reviewed" => {
                    self.string(e);
                    if let Value::Str(s) = &e.node.value
                        && let Err(message) = rules::check_reviewed(s)
                    {
                        self.problem(e.node.span.start, message);
                    }
                }
                "time_limit" | "prep" | "warn_at" => self.time(e, &mut bank_times),
                "categories" => {
                    for item in self.tables(e) {
                        if let Some(c) = self.category(item, keys.category) {
                            if categories.iter().any(|(name, _)| *name == c.0) {
                                self.problem(item.span.start, rules::duplicate_category(&c.0));
                            }
                            categories.push(c);
                        }
                    }
                }
                "questions" => {}
                key => self.unknown(e, key, keys.bank),
            }
        }
        self.limits(&bank_times, &Times::default());
        for (_, times) in &categories {
            self.limits(times, &bank_times);
        }

        let questions = entries.iter().find(|e| e.key == "questions");
        let items = questions.map(|e| self.tables(e)).unwrap_or_default();
        // A `questions` of the wrong type has had its own problem.
        if items.is_empty() && questions.is_none_or(|e| matches!(e.node.value, Value::Array(_))) {
            self.problem(self.text.len(), rules::NO_QUESTIONS.to_string());
        }
        let mut ids: HashMap<String, usize> = HashMap::new();
        for item in items {
            self.question(item, keys.question, &bank_times, &categories, &mut ids);
        }
    }

    /// The tables of an array of tables, with a problem for anything else.
    fn tables<'n>(&mut self, e: &'n Entry) -> Vec<&'n Node> {
        let Value::Array(items) = &e.node.value else {
            self.problem(
                e.node.span.start,
                format!(
                    "`{}` should be an array of tables ([[{}]]), not {}",
                    e.key,
                    e.key,
                    e.node.value.kind()
                ),
            );
            return Vec::new();
        };
        let mut tables = Vec::new();
        for item in items {
            if matches!(item.value, Value::Table(_)) {
                tables.push(item);
            } else {
                self.problem(
                    item.span.start,
                    format!(
                        "each of `{}` should be a table, not {}",
                        e.key,
                        item.value.kind()
                    ),
                );
            }
        }
        tables
    }

    fn category(&mut self, node: &Node, known: &[&str]) -> Option<(String, Times)> {
        let Value::Table(entries) = &node.value else {
            return None;
        };
        let mut times = Times::default();
        let mut name = None;
        for e in entries {
            match e.key.as_str() {
                "name" => {
                    self.string(e);
                    if let Value::Str(s) = &e.node.value {
                        if s.trim().is_empty() {
                            self.problem(e.node.span.start, "empty category name".to_string());
                        }
                        name = Some(s.clone());
                    }
                }
                "description" => self.string(e),
                "time_limit" | "prep" | "warn_at" => self.time(e, &mut times),
                "star" => self.boolean(e),
                key => self.unknown(e, key, known),
            }
        }
        if !entries.iter().any(|e| e.key == "name") {
            self.problem(node.span.start, "category without a `name`".to_string());
        }
        let name = name?;
        Some((name, times))
    }

    fn question(
        &mut self,
        node: &Node,
        known: &[&str],
        bank_times: &Times,
        categories: &[(String, Times)],
        ids: &mut HashMap<String, usize>,
    ) {
        let Value::Table(entries) = &node.value else {
            return;
        };
        let mut times = Times::default();
        let mut category = None;
        for e in entries {
            match e.key.as_str() {
                "id" => {
                    self.string(e);
                    if let Value::Str(id) = &e.node.value {
                        self.id(id, &e.node, ids);
                    }
                }
                "text" => {
                    self.string(e);
                    if let Value::Str(text) = &e.node.value
                        && text.trim().is_empty()
                    {
                        self.problem(e.node.span.start, "empty question text".to_string());
                    }
                }
                "category" => {
                    self.string(e);
                    if let Value::Str(name) = &e.node.value {
                        category = Some(name.clone());
                    }
                }
                "talking_points" | "follow_ups" => self.strings(e),
                "time_limit" | "prep" | "warn_at" | "min" => self.time(e, &mut times),
                "star" => self.boolean(e),
                key => self.unknown(e, key, known),
            }
        }
        for required in ["id", "text"] {
            if !entries.iter().any(|e| e.key == required) {
                self.problem(node.span.start, format!("question without `{required}`"));
            }
        }
        let category_times = category
            .and_then(|name| categories.iter().find(|(n, _)| *n == name))
            .map(|(_, t)| t.over(bank_times))
            .unwrap_or_else(|| bank_times.clone());
        self.limits(&times, &category_times);
    }

    fn id(&mut self, id: &str, node: &Node, ids: &mut HashMap<String, usize>) {
        let at = node.span.start;
        if let Some(problem) = rules::id_problem(id) {
            self.problem(at, problem);
        }
        if let Some(&first) = ids.get(id) {
            let (line, _) = line_column(self.text, first);
            self.problem(
                at,
                format!("{} (first at line {line})", rules::duplicate_id(id)),
            );
        } else {
            ids.insert(id.to_string(), at);
        }
    }

    /// Limits of one level that contradict each other, reported where this level sets one
    /// of them (a contradiction set wholly above is reported there).
    fn limits(&mut self, own: &Times, above: &Times) {
        let all = own.over(above);
        let limit = all.limit.as_ref().map_or(DEFAULT_LIMIT, |(d, _)| d.get());
        let own_span = |part: &Option<(Dur, Range<usize>)>| part.as_ref().map(|(_, s)| s.start);
        let at = |other: &Option<(Dur, Range<usize>)>| own_span(&own.limit).or(own_span(other));
        let show = |d: Duration| Dur::from_duration(d).map_or("0s".to_string(), write::duration);
        if let Some((prep, _)) = &all.prep
            && limit < prep.get()
            && let Some(at) = at(&own.prep)
        {
            self.problem(
                at,
                format!(
                    "time_limit ({}) is shorter than prep ({}): the thinking time should not be \
                     longer than the answer",
                    show(limit),
                    write::duration(*prep)
                ),
            );
        }
        if let Some((warn, _)) = &all.warn
            && limit < warn.get()
            && let Some(at) = at(&own.warn)
        {
            self.problem(
                at,
                format!(
                    "time_limit ({}) is shorter than warn_at ({}): the warning would come before \
                     the answer starts",
                    show(limit),
                    write::duration(*warn)
                ),
            );
        }
        if let Some((min, _)) = &all.min
            && limit < min.get()
            && let Some(at) = at(&own.min)
        {
            self.problem(
                at,
                format!(
                    "min ({}) is longer than time_limit ({})",
                    write::duration(*min),
                    show(limit)
                ),
            );
        }
    }

    fn time(&mut self, e: &Entry, times: &mut Times) {
        let parsed = match &e.node.value {
            Value::Str(s) => s.parse::<Dur>().map_err(|err| err.to_string()),
            Value::Int(n) => n.to_string().parse::<Dur>().map_err(|err| err.to_string()),
            other => Err(format!(
                "expected a duration like \"90s\", \"2m\", \"1m30s\", \"1:30\" or a number of \
                 seconds, not {}",
                other.kind()
            )),
        };
        match parsed {
            Ok(d) => {
                let slot = match e.key.as_str() {
                    "time_limit" => &mut times.limit,
                    "prep" => &mut times.prep,
                    "warn_at" => &mut times.warn,
                    _ => &mut times.min,
                };
                *slot = Some((d, e.node.span.clone()));
            }
            Err(message) => self.problem(e.node.span.start, format!("{}: {message}", e.key)),
        }
    }

    fn string(&mut self, e: &Entry) {
        if !matches!(e.node.value, Value::Str(_)) {
            self.problem(
                e.node.span.start,
                format!("{}: expected a string, not {}", e.key, e.node.value.kind()),
            );
        }
    }

    fn strings(&mut self, e: &Entry) {
        let Value::Array(items) = &e.node.value else {
            self.problem(
                e.node.span.start,
                format!(
                    "{}: expected an array of strings, not {}",
                    e.key,
                    e.node.value.kind()
                ),
            );
            return;
        };
        for item in items {
            match &item.value {
                Value::Str(s) if s.trim().is_empty() => {
                    self.problem(item.span.start, format!("{}: empty entry", e.key));
                }
                Value::Str(_) => {}
                other => self.problem(
                    item.span.start,
                    format!("{}: expected a string, not {}", e.key, other.kind()),
                ),
            }
        }
    }

    fn boolean(&mut self, e: &Entry) {
        if !matches!(e.node.value, Value::Bool) {
            self.problem(
                e.node.span.start,
                format!(
                    "{}: expected true or false, not {}",
                    e.key,
                    e.node.value.kind()
                ),
            );
        }
    }

    fn unknown(&mut self, e: &Entry, key: &str, known: &[&str]) {
        let message = match did_you_mean(key, known) {
            Some(close) => format!("unknown key `{key}`; did you mean `{close}`?"),
            None => format!("unknown key `{key}`; known keys: {}", known.join(", ")),
        };
        self.problem(e.key_span.start, message);
    }
}

fn from_toml_table(table: &DeTable) -> Value {
    let mut entries: Vec<Entry> = table
        .iter()
        .map(|(key, value)| Entry {
            key: key.get_ref().to_string(),
            key_span: key.span(),
            node: Node {
                span: value.span(),
                value: from_toml(value.get_ref()),
            },
        })
        .collect();
    // The parser keeps keys sorted; problems read better in the order of the file.
    entries.sort_by_key(|e| e.key_span.start);
    Value::Table(entries)
}

fn from_toml(value: &DeValue) -> Value {
    match value {
        DeValue::String(s) => Value::Str(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .map_or(Value::Other("an integer out of range"), Value::Int),
        DeValue::Float(_) => Value::Other("a float"),
        DeValue::Boolean(_) => Value::Bool,
        DeValue::Datetime(_) => Value::Other("a date"),
        DeValue::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| Node {
                    span: item.span(),
                    value: from_toml(item.get_ref()),
                })
                .collect(),
        ),
        DeValue::Table(table) => from_toml_table(table),
    }
}

/// A scanner for JSON that serde_json has already accepted, keeping the place of every key
/// and value. It gives up (`None`) rather than guess if it meets anything unexpected.
struct Json<'a> {
    text: &'a str,
    pos: usize,
}

impl Json<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        self.skip_space();
        (self.peek() == Some(byte)).then(|| self.pos += 1)
    }

    fn value(&mut self) -> Option<Node> {
        self.skip_space();
        let start = self.pos;
        let value = match self.peek()? {
            b'{' => {
                self.pos += 1;
                let mut entries = Vec::new();
                if self.eat(b'}').is_none() {
                    loop {
                        self.skip_space();
                        let key_start = self.pos;
                        let key = self.string()?;
                        let key_span = key_start..self.pos;
                        self.eat(b':')?;
                        let node = self.value()?;
                        entries.push(Entry {
                            key,
                            key_span,
                            node,
                        });
                        if self.eat(b',').is_none() {
                            self.eat(b'}')?;
                            break;
                        }
                    }
                }
                Value::Table(entries)
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                if self.eat(b']').is_none() {
                    loop {
                        items.push(self.value()?);
                        if self.eat(b',').is_none() {
                            self.eat(b']')?;
                            break;
                        }
                    }
                }
                Value::Array(items)
            }
            b'"' => Value::Str(self.string()?),
            _ => {
                let rest = self.text.get(self.pos..)?;
                let len = rest
                    .find(|c: char| c == ',' || c == ']' || c == '}' || c.is_ascii_whitespace())
                    .unwrap_or(rest.len());
                let token = rest.get(..len)?;
                self.pos += len;
                match serde_json::from_str::<serde_json::Value>(token).ok()? {
                    serde_json::Value::Bool(_) => Value::Bool,
                    serde_json::Value::Number(n) => n
                        .as_i64()
                        .map_or(Value::Other("a fractional number"), Value::Int),
                    serde_json::Value::Null => Value::Other("null"),
                    _ => return None,
                }
            }
        };
        Some(Node {
            span: start..self.pos,
            value,
        })
    }

    /// A string at the current position, unescaped by serde_json.
    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        if self.peek()? != b'"' {
            return None;
        }
        self.pos += 1;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    break;
                }
                _ => self.pos += 1,
            }
        }
        serde_json::from_str(self.text.get(start..self.pos)?).ok()
    }
}

#[cfg(test)]
mod tests;
