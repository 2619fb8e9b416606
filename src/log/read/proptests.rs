//! Random and mutated logs for the reader: whatever a file holds, reading it gives a
//! session or a reason, never a panic. Mutations start from real logs of the test week,
//! so they reach deep into the reader rather than failing on line 1.

use std::path::Path;

use proptest::prelude::*;

use super::testlog::week;
use super::{Detail, Interner, read_from};

/// Pieces of the log format, for random logs that look almost right.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\n",
    "\"event\":",
    "\"session_started\"",
    "\"question_ended\"",
    "\"session_ended\"",
    "\"reviewed\"",
    "\"schema\":1",
    "\"index\":",
    "\"t_ms\":",
    "\"at\":",
    "\"2026-11-25T10:00:00.000+01:00\"",
    "\"plan\":[]",
    "1",
    "-1",
    "18446744073709551615",
    "1e400",
    "null",
    "true",
    "\"answered\"",
    "\"rating\":9",
    "\u{0}",
    "\u{fffd}",
    "é",
];

fn read(bytes: &[u8]) {
    for detail in [Detail::Counts, Detail::Questions] {
        let _ = read_from(
            Path::new("p.jsonl"),
            bytes,
            detail,
            &mut Interner::default(),
        );
    }
}

proptest! {
    // Three properties at 4,000 cases: 12,000 logs a run.
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    #[test]
    fn random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        read(&bytes);
    }

    #[test]
    fn random_tokens(parts in prop::collection::vec(prop::sample::select(TOKENS), 0..60)) {
        read(parts.concat().as_bytes());
    }

    #[test]
    fn mutated_logs(
        which in 0usize..4,
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<u8>()), 1..8),
    ) {
        let logs = week();
        let mut bytes = logs[which % logs.len()].clone().into_bytes();
        for (at, kind, byte) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at.index(bytes.len());
            match kind {
                0 => bytes[i] = byte,
                1 => { bytes.remove(i); }
                2 => bytes.insert(i, byte),
                _ => bytes.truncate(i),
            }
        }
        read(&bytes);
    }
}
