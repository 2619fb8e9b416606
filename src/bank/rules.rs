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
