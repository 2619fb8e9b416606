//! The rules a bank must follow and what to say when it breaks one, in one place:
//! loading a bank (which stops at the first problem) and `banks check` (which lists them
//! all) ask the same questions and say the same things.

/// A question id is letters and digits (of any script), `-`, `_` and `.`: it names files
/// and flags, so it holds no spaces, quotes or slashes.
pub fn id_problem(id: &str) -> Option<String> {
    let fine = !id.is_empty() && id.chars().all(|c| c.is_alphanumeric() || "-_.".contains(c));
    (!fine).then(|| {
        format!("id {id:?}: use letters, digits, '-', '_' or '.', like \"hipaa-breach-steps\"")
    })
}

pub fn duplicate_id(id: &str) -> String {
    format!("duplicate question id {id:?}")
}

pub fn duplicate_category(name: &str) -> String {
    format!("category {name:?} is declared twice")
}

pub fn empty_text(id: &str) -> String {
    format!("question {id:?} has empty text")
}

pub const NO_QUESTIONS: &str = "the bank has no questions; add a [[questions]] entry";

/// `reviewed` is a year and a month, `2026-12`: when the bank was last checked.
pub fn check_reviewed(value: &str) -> Result<(), String> {
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let fine = match value.split_once('-') {
        Some((year, month)) => {
            year.len() == 4
                && digits(year)
                && month.len() == 2
                && digits(month)
                && (1..=12).contains(&month.parse::<u8>().unwrap_or(0))
        }
        None => false,
    };
    if fine {
        Ok(())
    } else {
        Err(format!(
            "reviewed: {value:?}: expected a year and month like \"2026-12\""
        ))
    }
}

/// How deep arrays and tables may nest: a bank needs three levels; a file far deeper is
/// not a bank, and parsing it whole would take memory for nothing.
pub const MAX_NESTING: usize = 32;

pub fn too_deep_message() -> String {
    format!("nested more than {MAX_NESTING} levels deep: this is not a question bank")
}

/// The byte offset where `text` first nests deeper than [`MAX_NESTING`] arrays or tables
/// (brackets and braces outside quoted strings), found in one pass before any parsing.
pub fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => {
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    // A backslash escapes the next byte in TOML basic and JSON strings.
                    if bytes[i] == b'\\' && quote == b'"' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_measured_outside_strings() {
        assert_eq!(too_deep("a = [[1], [2]]\n[[questions]]\n"), None);
        assert_eq!(too_deep(&format!("t = \"{}\"", "[".repeat(100))), None);
        assert_eq!(too_deep(&format!("# {}\n", "[".repeat(100))), None);
        let deep = format!("a = {}{}", "[".repeat(40), "]".repeat(40));
        assert_eq!(too_deep(&deep), Some(4 + MAX_NESTING));
    }
}
