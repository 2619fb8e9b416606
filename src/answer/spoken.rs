//! How a take was spoken (`--record`): the figures the recorder measured, as the log's
//! `answer_recorded` keeps them, and the words that show them, the same on the screen
//! right after the answer, in review and in the exports: one line, `spoke 1:32 of 1:45 ·
//! first word after 2.1 s · longest pause 4.2 s · 2 pauses over 3 s · level -21 dBFS`, and
//! the CSV columns.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::duration::clock_round;

/// How one take of an answer was spoken, as the recorder heard it (`--record`): the log's
/// `answer_recorded` record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Spoken {
    /// 1-based question number.
    pub index: usize,
    #[serde(default)]
    pub id: String,
    /// 1 for the first take; a retake counts up.
    pub take: u32,
    /// The recording, relative to the log's folder; none when nothing is kept on disk.
    pub file: Option<String>,
    pub duration_ms: u64,
    /// Microphone samples lost because the reader fell behind.
    #[serde(default)]
    pub dropped_ms: u64,
    /// From the start of the answer to the first speech; none if nothing was said.
    pub first_word_ms: Option<u64>,
    pub speech_ms: u64,
    /// The longest silence between two stretches of speech.
    #[serde(default)]
    pub longest_pause_ms: u64,
    /// Pauses of at least `pause_threshold_ms` between the first and the last word.
    #[serde(default)]
    pub long_pauses: u32,
    #[serde(default)]
    pub pause_threshold_ms: u64,
    /// How loud the speech was, in dBFS (RMS of its voiced frames); none if nothing was
    /// said.
    pub level_db: Option<f64>,
}

impl Spoken {
    /// Figures for tests: a take of `duration_ms` with its first word, speech, longest
    /// pause and long pauses (over 3 s), heard at -21.5 dBFS when anything was said.
    #[cfg(test)]
    pub fn sample(
        duration_ms: u64,
        first_word_ms: Option<u64>,
        speech_ms: u64,
        longest_pause_ms: u64,
        long_pauses: u32,
    ) -> Spoken {
        Spoken {
            duration_ms,
            first_word_ms,
            speech_ms,
            longest_pause_ms,
            long_pauses,
            pause_threshold_ms: 3000,
            level_db: first_word_ms.map(|_| -21.5),
            ..Spoken::default()
        }
    }

    /// Time spent speaking as a share of the recording, 0 to 1.
    pub fn speaking_share(&self) -> f64 {
        if self.duration_ms == 0 {
            0.0
        } else {
            (self.speech_ms as f64 / self.duration_ms as f64).min(1.0)
        }
    }
}

pub fn line(s: &Spoken) -> String {
    let ms = Duration::from_millis;
    // To the nearest second: a recording of 8.98 s is 0:09 long, like its answer.
    let round = clock_round;
    let Some(first) = s.first_word_ms.map(ms) else {
        return format!("heard no speech in {}", round(ms(s.duration_ms)));
    };
    let mut parts = vec![
        format!(
            "spoke {} of {}",
            round(ms(s.speech_ms)),
            round(ms(s.duration_ms))
        ),
        format!("first word after {}", seconds(first)),
    ];
    if s.longest_pause_ms > 0 {
        parts.push(format!("longest pause {}", seconds(ms(s.longest_pause_ms))));
    }
    let over = seconds(ms(s.pause_threshold_ms));
    parts.push(match s.long_pauses {
        0 => format!("no pause over {over}"),
        1 => format!("1 pause over {over}"),
        n => format!("{n} pauses over {over}"),
    });
    if let Some(db) = s.level_db {
        parts.push(format!("level {db:.0} dBFS"));
    }
    if s.dropped_ms > 0 {
        parts.push(format!(
            "{} not heard (the computer was busy)",
            seconds(ms(s.dropped_ms))
        ));
    }
    parts.join(" · ")
}

/// `2.1 s`, `3 s`: seconds to a tenth, without a needless `.0`.
pub fn seconds(d: Duration) -> String {
    let tenths = (d.as_millis() + 50) / 100;
    if tenths.is_multiple_of(10) {
        format!("{} s", tenths / 10)
    } else {
        format!("{}.{} s", tenths / 10, tenths % 10)
    }
}

/// The CSV export's columns for the figures of a take.
pub const CSV_HEADER: [&str; 7] = [
    "recorded_s",
    "first_word_s",
    "speech_s",
    "speaking_share",
    "longest_pause_s",
    "long_pauses",
    "level_db",
];

/// The cells under [`CSV_HEADER`]; empty for an answer that was not recorded.
pub fn csv_cells(s: Option<&Spoken>) -> [String; 7] {
    let Some(s) = s else {
        return Default::default();
    };
    [
        csv_secs(s.duration_ms),
        s.first_word_ms.map(csv_secs).unwrap_or_default(),
        csv_secs(s.speech_ms),
        format!("{:.3}", s.speaking_share()),
        csv_secs(s.longest_pause_ms),
        s.long_pauses.to_string(),
        s.level_db.map(|db| format!("{db:.1}")).unwrap_or_default(),
    ]
}

/// Milliseconds as seconds with three decimals, for a spreadsheet.
pub fn csv_secs(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{Body, Record};

    #[test]
    fn a_recorded_answer_is_one_flat_line() {
        let line = r#"{"at":"x","t_ms":9000,"event":"answer_recorded","index":1,"id":"breach","take":2,"file":"s/01-breach-take2.flac","duration_ms":8000,"dropped_ms":0,"first_word_ms":1500,"speech_ms":5200,"longest_pause_ms":4000,"long_pauses":1,"pause_threshold_ms":3000,"level_db":-21.5}"#;
        let record = Record::parse(line).unwrap();
        let Body::AnswerRecorded(spoken) = &record.body else {
            panic!("{record:?}");
        };
        assert_eq!(
            (spoken.take, spoken.first_word_ms, spoken.level_db),
            (2, Some(1500), Some(-21.5))
        );
        assert_eq!(serde_json::to_string(&record).unwrap(), line);
    }

    #[test]
    fn the_line_reads_as_a_coach_would_say_it() {
        let mut s = Spoken::sample(105_000, Some(2_140), 91_600, 4_200, 2);
        s.level_db = Some(-21.4);
        assert_eq!(
            line(&s),
            "spoke 1:32 of 1:45 · first word after 2.1 s · longest pause 4.2 s · \
             2 pauses over 3 s · level -21 dBFS"
        );
        let silent = Spoken {
            first_word_ms: None,
            ..s
        };
        assert_eq!(line(&silent), "heard no speech in 1:45");
    }

    #[test]
    fn how_an_answer_was_spoken() {
        let mut r = Spoken::sample(105_000, Some(2_080), 92_400, 4_230, 2);
        r.level_db = Some(-21.5);
        assert_eq!(
            line(&r),
            "spoke 1:32 of 1:45 · first word after 2.1 s · longest pause 4.2 s · 2 pauses over 3 s \
             · level -22 dBFS"
        );
        r.long_pauses = 1;
        r.longest_pause_ms = 0;
        r.pause_threshold_ms = 2_500;
        assert_eq!(
            line(&r),
            "spoke 1:32 of 1:45 · first word after 2.1 s · 1 pause over 2.5 s · level -22 dBFS"
        );
        r.first_word_ms = None;
        assert_eq!(line(&r), "heard no speech in 1:45");
        r.duration_ms = 8_980;
        assert_eq!(line(&r), "heard no speech in 0:09");
    }
}
