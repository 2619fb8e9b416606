//! Question banks: the data model, loading from TOML or JSON (embedded or on disk), and
//! finding a bank by name. Loading checks everything a session relies on (unique ids,
//! known categories, non-empty text) so the plan and the engine never meet a bad bank.
//! Nothing here reads a clock or talks to the terminal.

pub mod check;
pub mod import;
mod load;
#[cfg(test)]
mod proptests;
pub mod read;
mod rules;
pub mod write;

pub use import::ImportReport;
pub use load::{BankError, known_keys, parse_bank};
pub use rules::check_reviewed;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::duration::Dur;

/// The category of questions that name none.
pub const GENERAL: &str = "General";

/// A question's answer time when nothing sets one.
pub const DEFAULT_LIMIT: Duration = Duration::from_secs(120);

/// Where a bank came from, for messages and the session log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Shipped inside the binary.
    Embedded,
    /// A file on disk (a user bank or a path given on the command line).
    File(PathBuf),
}

impl Source {
    pub fn describe(&self) -> String {
        match self {
            Source::Embedded => "built-in".to_string(),
            Source::File(p) => p.display().to_string(),
        }
    }
}

/// Time settings that a bank, a category or a question may set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timing {
    pub time_limit: Option<Dur>,
    pub prep: Option<Dur>,
    pub warn_at: Option<Dur>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub name: String,
    pub timing: Timing,
    /// Answers in this category are told as stories (Situation, Task, Action, Result).
    pub star: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: String,
    pub category: String,
    pub text: String,
    pub talking_points: Vec<String>,
    pub follow_ups: Vec<String>,
    pub timing: Timing,
    /// The shortest answer that counts as complete.
    pub min: Option<Dur>,
    pub star: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bank {
    /// The file stem people type: `healthcare-records-manager`.
    pub key: String,
    /// The title people read: `Healthcare Records Manager`.
    pub name: String,
    pub description: String,
    /// When the bank's content was last checked against its sources, as `YYYY-MM`: a
    /// person reading `rehearse banks` sees how current the answers are.
    pub reviewed: Option<String>,
    pub source: Source,
    pub timing: Timing,
    pub categories: Vec<Category>,
    pub questions: Vec<Question>,
}

impl Bank {
    pub fn category(&self, name: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.name == name)
    }
}

/// A bank shipped inside the binary.
#[derive(PartialEq, Eq)]
pub struct Embedded {
    pub key: &'static str,
    pub file_name: &'static str,
    pub text: &'static str,
}

pub const EMBEDDED: &[Embedded] = &[
    Embedded {
        key: "healthcare-records-manager",
        file_name: "healthcare-records-manager.toml",
        text: include_str!("../../questions/healthcare-records-manager.toml"),
    },
    Embedded {
        key: "behavioral",
        file_name: "behavioral.toml",
        text: include_str!("../../questions/behavioral.toml"),
    },
];

pub const DEFAULT_BANK: &str = "healthcare-records-manager";

/// Loads a bank named on the command line: a path to a file, or a name looked up first in
/// the user's banks folder and then among the built-in banks.
pub fn find(spec: &str, user_dir: Option<&Path>) -> Result<Bank, BankError> {
    open(spec, user_dir).map(|opened| opened.bank)
}

/// A bank, and what the import did when it came from a question list.
#[derive(Debug, Clone)]
pub struct Opened {
    pub bank: Bank,
    pub report: Option<ImportReport>,
}

/// Like [`find`], keeping the import report of a question list for the person to read.
pub fn open(spec: &str, user_dir: Option<&Path>) -> Result<Opened, BankError> {
    match locate(spec, user_dir)? {
        Location::File(path) => open_file(&path),
        Location::Embedded(e) => Ok(Opened {
            bank: load_embedded(e)?,
            report: None,
        }),
    }
}

/// Where a bank named on the command line lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Embedded(&'static Embedded),
    File(PathBuf),
}

impl std::fmt::Debug for Embedded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Embedded({})", self.key)
    }
}

/// Finds a bank without reading it: a path to a file, or a name looked up first in the
/// user's banks folder and then among the built-in banks.
pub fn locate(spec: &str, user_dir: Option<&Path>) -> Result<Location, BankError> {
    let as_path = Path::new(spec);
    let looks_like_path = spec.contains(std::path::MAIN_SEPARATOR)
        || spec.contains('/')
        || as_path.extension().is_some()
        || as_path.is_file();
    if looks_like_path {
        return Ok(Location::File(as_path.to_path_buf()));
    }
    if let Some(dir) = user_dir {
        for ext in ["toml", "json"] {
            let candidate = dir.join(format!("{spec}.{ext}"));
            if candidate.is_file() {
                return Ok(Location::File(candidate));
            }
        }
    }
    if let Some(e) = EMBEDDED.iter().find(|e| e.key == spec) {
        return Ok(Location::Embedded(e));
    }
    // The unique start of a name is enough: `rehearse run health`.
    let known = available(user_dir);
    let lower = spec.to_lowercase();
    let starting: Vec<&String> = known
        .iter()
        .filter(|k| k.to_lowercase().starts_with(&lower))
        .collect();
    match starting.as_slice() {
        [one] if !spec.is_empty() => locate(one, user_dir),
        _ => Err(BankError::NotFound {
            name: spec.to_string(),
            known,
        }),
    }
}

/// Every bank name that [`find`] accepts, built-in and user banks, sorted and unique.
pub fn available(user_dir: Option<&Path>) -> Vec<String> {
    let mut names: Vec<String> = EMBEDDED.iter().map(|e| e.key.to_string()).collect();
    if let Some(entries) = user_dir.and_then(|d| std::fs::read_dir(d).ok()) {
        for entry in entries.flatten() {
            let path = entry.path();
            let ext = path.extension().and_then(|e| e.to_str());
            if matches!(ext, Some("toml" | "json"))
                && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
            {
                names.push(stem.to_string());
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

pub fn load_embedded(e: &Embedded) -> Result<Bank, BankError> {
    parse_bank(e.text, Path::new(e.file_name), e.key, Source::Embedded)
}

/// Loads a bank file (TOML, or JSON by its extension).
pub fn load_file(path: &Path) -> Result<Bank, BankError> {
    let bytes = read::read_capped(path)?;
    let text = read::decode(&bytes, path, read::Legacy::Refuse)?.text;
    parse_bank(
        &text,
        path,
        &file_key(path),
        Source::File(path.to_path_buf()),
    )
}

/// Opens a bank file, or imports a question list (`.md`, `.txt`, `.csv`, `.tsv`, ...) by
/// its extension. Any other file is read as a TOML or JSON bank.
pub fn open_file(path: &Path) -> Result<Opened, BankError> {
    let Some(format) = import::Format::from_path(path) else {
        return Ok(Opened {
            bank: load_file(path)?,
            report: None,
        });
    };
    let bytes = read::read_capped(path)?;
    let decoded = read::decode(&bytes, path, read::Legacy::Windows1252)?;
    let mut imported = import::import(&decoded.text, path, format).map_err(|mut report| {
        report.warnings.extend(decoded.warning.clone());
        BankError::NothingImported {
            path: path.to_path_buf(),
            report,
        }
    })?;
    imported.report.warnings.splice(0..0, decoded.warning);
    imported.bank.key = file_key(path);
    Ok(Opened {
        bank: imported.bank,
        report: Some(imported.report),
    })
}

fn file_key(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("bank")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_embedded_bank_loads_with_unique_ids() {
        for e in EMBEDDED {
            let bank = load_embedded(e).unwrap_or_else(|err| panic!("{}: {err}", e.key));
            assert_eq!(bank.key, e.key);
            assert!(!bank.questions.is_empty());
            let ids: HashSet<_> = bank.questions.iter().map(|q| &q.id).collect();
            assert_eq!(ids.len(), bank.questions.len(), "{}: duplicate ids", e.key);
            for q in &bank.questions {
                assert!(
                    (3..=6).contains(&q.talking_points.len()),
                    "{}: {} has {} talking points",
                    e.key,
                    q.id,
                    q.talking_points.len()
                );
            }
        }
    }

    #[test]
    fn default_bank_holds_the_founding_questions() {
        let bank = find(DEFAULT_BANK, None).unwrap();
        assert!(
            bank.questions.len() >= 40,
            "{} questions",
            bank.questions.len()
        );
        let founding = [
            "Can you explain your understanding of healthcare records management?",
            "What experience do you have in managing healthcare records?",
            "How familiar are you with the regulations and compliance requirements related to healthcare records management?",
            "Can you describe the role of a healthcare records manager in maintaining patient confidentiality?",
            "Have you worked with electronic health record (EHR) systems? If so, which ones?",
        ];
        for text in founding {
            assert!(
                bank.questions.iter().any(|q| q.text == text),
                "missing: {text}"
            );
        }
    }

    #[test]
    fn behavioral_bank_is_big_enough() {
        let bank = find("behavioral", None).unwrap();
        assert!(bank.questions.len() >= 20);
    }

    #[test]
    fn unknown_name_lists_known_banks() {
        let err = find("no-such-bank", None).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("no-such-bank"), "{text}");
        assert!(text.contains("healthcare-records-manager"), "{text}");
    }

    #[test]
    fn user_bank_overrides_embedded() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("behavioral.toml"),
            "name = \"Mine\"\n[[questions]]\nid = \"a\"\ntext = \"Why?\"\n",
        )
        .unwrap();
        let bank = find("behavioral", Some(dir.path())).unwrap();
        assert_eq!(bank.name, "Mine");
        assert_eq!(
            bank.source,
            Source::File(dir.path().join("behavioral.toml"))
        );
        assert!(available(Some(dir.path())).contains(&"behavioral".to_string()));
    }
}
