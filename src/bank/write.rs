//! A bank written as TOML in the shape of the shipped banks (`questions/*.toml`), for a
//! person to read and edit. Writing and loading again gives back the same bank.

use std::fmt::Write;
use std::time::Duration;

use super::{Bank, Timing};
use crate::duration::Dur;

/// The bank as a TOML file. `header` lines are written first as comments.
pub fn to_toml(bank: &Bank, header: &[String]) -> String {
    let mut out = String::new();
    for line in header {
        let _ = writeln!(out, "# {line}");
    }
    if !header.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "name = {}", quote(&bank.name));
    if !bank.description.is_empty() {
        let _ = writeln!(out, "description = {}", quote(&bank.description));
    }
    if let Some(reviewed) = &bank.reviewed {
        let _ = writeln!(out, "reviewed = {}", quote(reviewed));
    }
    timing(&mut out, &bank.timing);

    // Every category is declared, in order, so a person sees where a category's time
    // limit goes.
    for c in &bank.categories {
        let _ = writeln!(out, "\n[[categories]]\nname = {}", quote(&c.name));
        timing(&mut out, &c.timing);
        if c.star {
            out.push_str("star = true\n");
        }
    }

    for q in &bank.questions {
        let _ = writeln!(out, "\n[[questions]]");
        let _ = writeln!(out, "id = {}", quote(&q.id));
        let _ = writeln!(out, "category = {}", quote(&q.category));
        let _ = writeln!(out, "text = {}", quote(&q.text));
        timing(&mut out, &q.timing);
        if let Some(min) = q.min {
            let _ = writeln!(out, "min = {}", quote(&duration(min)));
        }
        let category_star = bank.category(&q.category).is_some_and(|c| c.star);
        if q.star != category_star {
            let _ = writeln!(out, "star = {}", q.star);
        }
        list(&mut out, "talking_points", &q.talking_points);
        list(&mut out, "follow_ups", &q.follow_ups);
    }
    out
}

fn timing(out: &mut String, t: &Timing) {
    for (key, value) in [
        ("time_limit", t.time_limit),
        ("prep", t.prep),
        ("warn_at", t.warn_at),
    ] {
        if let Some(d) = value {
            let _ = writeln!(out, "{key} = {}", quote(&duration(d)));
        }
    }
}

fn list(out: &mut String, key: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "{key} = [");
    for item in items {
        let _ = writeln!(out, "  {},", quote(item));
    }
    out.push_str("]\n");
}

/// `2m`, `1m30s`, `1h5m`, `1s500ms`: the shortest form the bank loader reads back exactly.
pub fn duration(d: Dur) -> String {
    let d: Duration = d.get();
    let ms = d.as_millis() as u64;
    let parts = [
        (ms / 3_600_000, "h"),
        (ms / 60_000 % 60, "m"),
        (ms / 1000 % 60, "s"),
        (ms % 1000, "ms"),
    ];
    parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect()
}

/// A TOML basic string: `"` and `\` escaped, control characters as `\uXXXX`.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::bank::{EMBEDDED, Source, load_embedded, parse_bank};

    #[test]
    fn durations_read_back_exactly() {
        for (text, written) in [
            ("90", "1m30s"),
            ("2m", "2m"),
            ("1:00:00", "1h"),
            ("1h2m3s", "1h2m3s"),
            ("500ms", "500ms"),
            ("1s500ms", "1s500ms"),
        ] {
            let d: Dur = text.parse().unwrap();
            assert_eq!(duration(d), written);
            assert_eq!(written.parse::<Dur>().unwrap(), d);
        }
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(quote(r#"say "hi" \ bye"#), r#""say \"hi\" \\ bye""#);
        assert_eq!(quote("a\nb\u{1b}c"), r#""a\nb\u001Bc""#);
    }

    #[test]
    fn every_shipped_bank_survives_writing_and_loading() {
        for e in EMBEDDED {
            let bank = load_embedded(e).unwrap();
            let text = to_toml(&bank, &["a header".to_string()]);
            let again = parse_bank(&text, Path::new("again.toml"), e.key, Source::Embedded)
                .unwrap_or_else(|err| panic!("{}: {err}\n{text}", e.key));
            assert_eq!(again, bank, "{}", e.key);
        }
    }
}
