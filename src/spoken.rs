//! The one line that says how an answer was spoken, the same on the screen right after
//! the answer and in review: `spoke 1:32 of 1:45 · first word after 2.1 s · longest pause
//! 4.2 s · 2 pauses over 3 s · level -21 dBFS`.

use std::time::Duration;

use crate::duration::clock;

/// What the detector measured of one take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    pub duration: Duration,
    pub speech: Duration,
    pub first_word: Option<Duration>,
    pub longest_pause: Duration,
    pub long_pauses: u32,
    pub pause_threshold: Duration,
    pub dropped: Duration,
    pub level_db: Option<f64>,
}

pub fn line(f: &Figures) -> String {
    // To the nearest second: a recording of 8.98 s is 0:09 long, like its answer.
    let round = |d: Duration| clock(d + Duration::from_millis(500));
    let Some(first) = f.first_word else {
        return format!("heard no speech in {}", round(f.duration));
    };
    let mut parts = vec![
        format!("spoke {} of {}", round(f.speech), round(f.duration)),
        format!("first word after {}", seconds(first)),
    ];
    if !f.longest_pause.is_zero() {
        parts.push(format!("longest pause {}", seconds(f.longest_pause)));
    }
    let over = seconds(f.pause_threshold);
    parts.push(match f.long_pauses {
        0 => format!("no pause over {over}"),
        1 => format!("1 pause over {over}"),
        n => format!("{n} pauses over {over}"),
    });
    if let Some(db) = f.level_db {
        parts.push(format!("level {db:.0} dBFS"));
    }
    if !f.dropped.is_zero() {
        parts.push(format!(
            "{} not heard (the computer was busy)",
            seconds(f.dropped)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn figures() -> Figures {
        let ms = Duration::from_millis;
        Figures {
            duration: ms(105_000),
            speech: ms(91_600),
            first_word: Some(ms(2_140)),
            longest_pause: ms(4_200),
            long_pauses: 2,
            pause_threshold: ms(3_000),
            dropped: Duration::ZERO,
            level_db: Some(-21.4),
        }
    }

    #[test]
    fn the_line_reads_as_a_coach_would_say_it() {
        assert_eq!(
            line(&figures()),
            "spoke 1:32 of 1:45 · first word after 2.1 s · longest pause 4.2 s · \
             2 pauses over 3 s · level -21 dBFS"
        );
        let silent = Figures {
            first_word: None,
            ..figures()
        };
        assert_eq!(line(&silent), "heard no speech in 1:45");
    }
}
