//! Where a session's recordings are and what each one is called: one naming, used by the
//! recorder to write a take and by review to find it, even a take whose `answer_recorded`
//! record was never written (a session killed mid-answer). It only names and looks:
//! making the folder and the files is the recorder's (`record::folder`).

use std::path::{Path, PathBuf};

use md5::{Digest, Md5};

/// An id longer than this (in bytes, once made safe for a file name) is shortened, so
/// that no name comes near the 255 bytes a file system allows.
const LONGEST_ID: usize = 64;

/// How much of a long id is kept before its hash.
const KEPT_OF_LONG_ID: usize = 48;

/// The recordings' folder of a log: beside it, named like it without `.jsonl`; and that
/// name, which is the folder relative to the log's folder.
pub fn folder_of(log: &Path) -> Option<(PathBuf, String)> {
    let stem = log.file_stem()?.to_str()?.to_string();
    Some((log.with_file_name(&stem), stem))
}

/// `01-breach-notification-timelines.flac`, `01-breach-notification-timelines-take2.flac`.
/// A long id keeps its first 48 bytes and gets 8 hex digits of a hash of the whole id,
/// so two long ids that begin alike still get names of their own.
pub fn file_name(index: usize, id: &str, take: u32) -> String {
    let mut safe: String = id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if safe.len() > LONGEST_ID {
        let digest = Md5::digest(id.as_bytes());
        safe.truncate(safe.floor_char_boundary(KEPT_OF_LONG_ID));
        safe.push('-');
        for byte in &digest[..4] {
            safe.push_str(&format!("{byte:02x}"));
        }
    }
    match take {
        1 => format!("{index:02}-{safe}.flac"),
        n => format!("{index:02}-{safe}-take{n}.flac"),
    }
}

/// A take's recording, relative to the log's folder, if it is in the session's recordings
/// folder as a file (not a link, not a folder, nothing else).
pub fn find(log: &Path, index: usize, id: &str, take: u32) -> Option<String> {
    let (dir, relative) = folder_of(log)?;
    let name = file_name(index, id, take);
    let meta = std::fs::symlink_metadata(dir.join(&name)).ok()?;
    meta.file_type()
        .is_file()
        .then(|| format!("{relative}/{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_named_by_question_and_take() {
        assert_eq!(file_name(1, "breach", 1), "01-breach.flac");
        assert_eq!(file_name(12, "breach", 2), "12-breach-take2.flac");
        assert_eq!(file_name(3, "a/b c", 1), "03-a-b-c.flac");
        assert_eq!(file_name(4, "café", 1), "04-café.flac");
        let (dir, relative) =
            folder_of(Path::new("/logs/2026-12-01_09-30-00_healthcare.jsonl")).unwrap();
        assert_eq!(dir, Path::new("/logs/2026-12-01_09-30-00_healthcare"));
        assert_eq!(relative, "2026-12-01_09-30-00_healthcare");
    }

    #[test]
    fn a_long_id_is_shortened_and_stays_its_own() {
        let long = "x".repeat(300);
        let other = format!("{}y", "x".repeat(299));
        let (a, b) = (file_name(1, &long, 1), file_name(1, &other, 1));
        assert_ne!(a, b);
        assert!(a.starts_with(&format!("01-{}-", "x".repeat(48))), "{a}");
        assert!(a.len() < 80, "{a}");
        // The same id always gets the same name: review finds the file by it.
        assert_eq!(a, file_name(1, &long, 1));
        assert_eq!(file_name(1, &long, 2), a.replace(".flac", "-take2.flac"));
        // Cut on a character, never inside one.
        let wide = "é".repeat(100);
        let name = file_name(2, &wide, 1);
        assert!(
            name.starts_with(&format!("02-{}-", "é".repeat(24))),
            "{name}"
        );
        // An id of exactly the longest length is kept whole.
        let edge = "z".repeat(64);
        assert_eq!(file_name(1, &edge, 1), format!("01-{edge}.flac"));
    }

    #[cfg(unix)]
    #[test]
    fn only_a_file_in_the_recordings_folder_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("s.jsonl");
        assert_eq!(find(&log, 1, "q", 1), None);
        std::fs::create_dir(dir.path().join("s")).unwrap();
        std::fs::write(dir.path().join("s/01-q.flac"), b"x").unwrap();
        assert_eq!(find(&log, 1, "q", 1), Some("s/01-q.flac".to_string()));
        std::os::unix::fs::symlink(
            dir.path().join("s/01-q.flac"),
            dir.path().join("s/01-q-take2.flac"),
        )
        .unwrap();
        assert_eq!(find(&log, 1, "q", 2), None, "a link is not a recording");
        std::fs::create_dir(dir.path().join("s/02-q.flac")).unwrap();
        assert_eq!(find(&log, 2, "q", 1), None);
    }
}
