//! Durations as people write them (`90`, `90s`, `2m`, `1m30s`, `1:30`, `1h`) and as the
//! screen shows them (`1:30`). One parser for flags, banks and the config file; it never
//! accepts zero or a negative time, so every caller can rely on a positive limit.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// A positive duration parsed from user text. Kept as milliseconds so it round-trips into
/// the log exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dur(Duration);

/// Why a piece of text is not a duration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("{0:?}: expected a duration like 90s, 2m, 1m30s or 1:30")]
    Malformed(String),
    #[error("{0:?}: a duration must be more than zero")]
    Zero(String),
    #[error("{0:?}: that is more than 24 hours")]
    TooLong(String),
}

const MAX: Duration = Duration::from_secs(24 * 3600);

impl Dur {
    pub fn from_duration(d: Duration) -> Option<Dur> {
        (!d.is_zero()).then_some(Dur(d))
    }

    pub fn from_secs(secs: u64) -> Dur {
        Dur(Duration::from_secs(secs.max(1)))
    }

    pub fn get(self) -> Duration {
        self.0
    }

    pub fn as_millis(self) -> u64 {
        self.0.as_millis() as u64
    }
}

impl FromStr for Dur {
    type Err = DurationError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let malformed = || DurationError::Malformed(text.to_string());
        let s = text.trim();
        if s.is_empty() {
            return Err(malformed());
        }
        let millis = if s.contains(':') {
            parse_clock(s).ok_or_else(malformed)?
        } else if s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse::<u64>()
                .ok()
                .and_then(|n| n.checked_mul(1000))
                .ok_or_else(malformed)?
        } else {
            parse_units(s).ok_or_else(malformed)?
        };
        let d = Duration::from_millis(millis);
        if d.is_zero() {
            Err(DurationError::Zero(text.to_string()))
        } else if d > MAX {
            Err(DurationError::TooLong(text.to_string()))
        } else {
            Ok(Dur(d))
        }
    }
}

/// `M:SS` or `H:MM:SS`; every field after the first has two digits below 60.
fn parse_clock(s: &str) -> Option<u64> {
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let mut total: u64 = parts[0].parse().ok()?;
    for p in &parts[1..] {
        let n: u64 = p.parse().ok()?;
        if p.len() != 2 || n >= 60 {
            return None;
        }
        total = total.checked_mul(60)?.checked_add(n)?;
    }
    total.checked_mul(1000)
}

/// A run of `<number><unit>` pairs, units in falling order, each at most once, as people
/// type them: `1h`, `2m`, `1m30s`, `500ms`, `2min`, `90sec`, `1.5m`, `2 minutes`, `2M`.
fn parse_units(s: &str) -> Option<u64> {
    let s = s.to_lowercase();
    let mut rest = s.trim();
    let mut total: u64 = 0;
    let mut last_rank = None;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() || number.starts_with('.') || number.ends_with('.') {
            return None;
        }
        let n: f64 = number.parse().ok()?;
        rest = rest[number_len..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let rank = unit_rank(&rest[..unit_len])?;
        rest = rest[unit_len..].trim_start();
        if last_rank.is_some_and(|last| rank <= last) {
            return None;
        }
        last_rank = Some(rank);
        let millis = (n * UNIT_MILLIS[rank] as f64).round();
        if !millis.is_finite() || millis > u64::MAX as f64 {
            return None;
        }
        total = total.checked_add(millis as u64)?;
    }
    Some(total)
}

/// Hours, minutes, seconds, milliseconds.
const UNIT_MILLIS: [u64; 4] = [3_600_000, 60_000, 1000, 1];

/// Which unit a word names, by its rank in [`UNIT_MILLIS`].
fn unit_rank(word: &str) -> Option<usize> {
    Some(match word {
        "h" | "hr" | "hrs" | "hour" | "hours" => 0,
        "m" | "min" | "mins" | "minute" | "minutes" => 1,
        "s" | "sec" | "secs" | "second" | "seconds" => 2,
        "ms" | "msec" | "millisecond" | "milliseconds" => 3,
        _ => return None,
    })
}

impl fmt::Display for Dur {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&clock(self.0))
    }
}

impl<'de> serde::Deserialize<'de> for Dur {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Dur;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a duration like \"90s\", \"2m\", \"1m30s\", \"1:30\" or a number of seconds",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Dur, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Dur, E> {
                v.to_string().parse().map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Dur, E> {
                v.to_string().parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// `1:05`, `12:00`, `1:02:03`: how the screen shows a time. Sub-second parts are cut,
/// never rounded up, so a countdown never shows more time than is left.
pub fn clock(d: Duration) -> String {
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// To the nearest second, for a time that has passed: an answer of 6.9 s and a recording
/// of 7.0 s both read `0:07`.
pub fn clock_round(d: Duration) -> String {
    clock(d.saturating_add(Duration::from_millis(500)))
}

/// A countdown rounds up: with 1.2 s left the screen says `0:02`, and `0:00` only when
/// the time is really up.
pub fn clock_ceil(d: Duration) -> String {
    let ceil = d.as_millis().div_ceil(1000) as u64;
    clock(Duration::from_secs(ceil))
}

/// A gap may be zero; every other duration may not.
pub fn parse_gap(text: &str) -> Result<std::time::Duration, String> {
    if text.trim().trim_end_matches('s') == "0" {
        return Ok(std::time::Duration::ZERO);
    }
    text.parse::<Dur>().map(Dur::get).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms() {
        let cases = [
            ("90", 90_000),
            ("90s", 90_000),
            ("2m", 120_000),
            ("1m30s", 90_000),
            ("1:30", 90_000),
            ("0:05", 5_000),
            ("1:00:00", 3_600_000),
            ("1h", 3_600_000),
            ("1h2m3s", 3_723_000),
            ("500ms", 500),
            ("1s500ms", 1_500),
            (" 45s ", 45_000),
            // The spellings people type.
            ("2min", 120_000),
            ("90sec", 90_000),
            ("1.5m", 90_000),
            ("2 minutes", 120_000),
            ("2M", 120_000),
            ("1 m 30 s", 90_000),
            ("1 hour 15 mins", 4_500_000),
            ("0.5s", 500),
        ];
        for (text, ms) in cases {
            let d: Dur = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(d.as_millis(), ms, "{text}");
        }
    }

    #[test]
    fn rejected_forms() {
        let malformed = [
            "",
            "2x",
            "m",
            "1..5m",
            ".5m",
            "5.m",
            "-5s",
            "1:5",
            "1:60",
            ":30",
            "1:",
            "1::30",
            "30s2m",
            "1m1m",
            "2 minutes 3 hours",
            "1:2:3:4",
            "2 parsecs",
            "abc",
            "99999999999999999999",
        ];
        for text in malformed {
            assert_eq!(
                text.parse::<Dur>(),
                Err(DurationError::Malformed(text.to_string())),
                "{text:?}"
            );
        }
        for text in ["0", "0s", "0:00", "0m0s"] {
            assert_eq!(
                text.parse::<Dur>(),
                Err(DurationError::Zero(text.to_string()))
            );
        }
        assert_eq!(
            "25h".parse::<Dur>(),
            Err(DurationError::TooLong("25h".into()))
        );
    }

    #[test]
    fn error_message_teaches() {
        let e = "2x".parse::<Dur>().unwrap_err();
        assert_eq!(
            e.to_string(),
            r#""2x": expected a duration like 90s, 2m, 1m30s or 1:30"#
        );
    }

    #[test]
    fn clocks() {
        assert_eq!(clock(Duration::from_millis(102_900)), "1:42");
        assert_eq!(clock_ceil(Duration::from_millis(101_100)), "1:42");
        assert_eq!(clock_ceil(Duration::ZERO), "0:00");
        assert_eq!(clock(Duration::from_secs(3723)), "1:02:03");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// The duration parser reads everything a person types, so it gets the most
        /// cases: 100,000 per run of `cargo test`, in well under a second of parsing.
        const CASES: u32 = 100_000;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(CASES))]

            #[test]
            fn any_text_parses_or_is_refused_without_panic(text in "\\PC{0,12}|[0-9hms:. -]{0,12}") {
                if let Ok(d) = text.parse::<Dur>() {
                    prop_assert!(!d.get().is_zero() && d.get() <= MAX);
                }
            }

            #[test]
            fn every_clock_reading_parses_back(secs in 1u64..=86_400) {
                let shown = clock(Duration::from_secs(secs));
                prop_assert_eq!(shown.parse::<Dur>().unwrap().get(), Duration::from_secs(secs));
            }

            #[test]
            fn units_add_up(h in 0u64..24, m in 0u64..60, s in 0u64..60) {
                prop_assume!(h + m + s > 0);
                let mut text = String::new();
                for (n, unit) in [(h, "h"), (m, "m"), (s, "s")] {
                    if n > 0 {
                        text.push_str(&format!("{n}{unit}"));
                    }
                }
                prop_assert_eq!(text.parse::<Dur>().unwrap().as_millis(), (h * 3600 + m * 60 + s) * 1000);
            }
        }
    }
}
