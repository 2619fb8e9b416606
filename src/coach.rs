//! The review step after an answer: the candidate rates it 1-5, ticks the parts of a STAR
//! story they told (behavioral questions), and may add a one-line note. A pure state
//! machine fed with keys or lines; the run loop shows its prompt and logs its result.

use serde::{Deserialize, Serialize};

/// Which parts of a STAR story the candidate says they covered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Star {
    pub situation: bool,
    pub task: bool,
    pub action: bool,
    pub result: bool,
}

impl Star {
    fn toggle(&mut self, c: char) -> bool {
        let part = match c.to_ascii_lowercase() {
            's' => &mut self.situation,
            't' => &mut self.task,
            'a' => &mut self.action,
            'r' => &mut self.result,
            _ => return false,
        };
        *part = !*part;
        true
    }

    /// `[S] [ ] [A] [R]`-style: ticked parts by letter, untouched ones as dots.
    pub fn marks(&self) -> String {
        [
            (self.situation, "S"),
            (self.task, "T"),
            (self.action, "A"),
            (self.result, "R"),
        ]
        .iter()
        .map(|(on, letter)| {
            if *on {
                format!("[{letter}]")
            } else {
                "[ ]".to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
    }
}

/// What the candidate said about one answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SelfReview {
    pub rating: Option<u8>,
    pub star: Option<Star>,
    pub note: Option<String>,
}

/// One thing typed: a key on a terminal, or a whole line from a pipe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Typed {
    Char(char),
    Enter,
    Backspace,
    /// Esc, or Ctrl-C.
    Cancel,
    Line(String),
    /// The input ended.
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Rating,
    Star,
    Note,
    Done,
    /// The candidate asked to end the session.
    Quit,
}

/// The longest note kept: one line, not an essay.
const NOTE_MAX: usize = 500;

pub struct ReviewStep {
    stage: Stage,
    review: SelfReview,
    star: Star,
    ask_star: bool,
    note: String,
}

impl ReviewStep {
    /// `star`: ask for the STAR checklist (behavioral questions, and only with keys).
    pub fn new(star: bool) -> ReviewStep {
        ReviewStep {
            stage: Stage::Rating,
            review: SelfReview::default(),
            star: Star::default(),
            ask_star: star,
            note: String::new(),
        }
    }

    pub fn is_done(&self) -> bool {
        matches!(self.stage, Stage::Done | Stage::Quit)
    }

    pub fn wants_quit(&self) -> bool {
        self.stage == Stage::Quit
    }

    pub fn result(&self) -> &SelfReview {
        &self.review
    }

    /// The prompt line as it should look now, with what has been typed so far.
    pub fn line(&self) -> String {
        match self.stage {
            Stage::Rating => "  How did it go? 1 (poor) to 5 (great), Enter skips: ".to_string(),
            Stage::Star => format!(
                "  STAR: press S, T, A, R for the parts you told, Enter when done: {}",
                self.star.marks()
            ),
            Stage::Note => format!("  Note (Enter skips): {}", self.note),
            Stage::Done | Stage::Quit => String::new(),
        }
    }

    /// Takes one key or line; returns the finished line to keep on screen when a stage
    /// ends (`rating 4`, ...).
    pub fn take(&mut self, typed: Typed) -> Option<String> {
        match (self.stage, typed) {
            (Stage::Done | Stage::Quit, _) => None,
            (_, Typed::Closed) => {
                self.stage = Stage::Done;
                None
            }
            (Stage::Rating, Typed::Cancel) => {
                self.stage = Stage::Quit;
                None
            }
            (Stage::Rating, Typed::Char(c @ '1'..='5')) => {
                self.review.rating = c.to_digit(10).map(|d| d as u8);
                self.after_rating(format!("  rating {c}/5"))
            }
            (Stage::Rating, Typed::Enter) => self.after_rating("  not rated".to_string()),
            (Stage::Rating, Typed::Line(line)) => {
                let line = line.trim();
                self.review.rating = match line.parse::<u8>() {
                    Ok(n @ 1..=5) => Some(n),
                    _ => None,
                };
                // Lines come from a script: no checklist there.
                self.ask_star = false;
                let said = self
                    .review
                    .rating
                    .map_or("  not rated".to_string(), |r| format!("  rating {r}/5"));
                self.after_rating(said)
            }
            (Stage::Star, Typed::Char(c)) => {
                self.star.toggle(c);
                None
            }
            (Stage::Star, Typed::Enter | Typed::Cancel) => {
                self.review.star = Some(self.star);
                self.stage = Stage::Note;
                Some(format!("  STAR {}", self.star.marks()))
            }
            (Stage::Note, Typed::Char(c))
                if !c.is_control() && self.note.chars().count() < NOTE_MAX =>
            {
                self.note.push(c);
                None
            }
            (Stage::Note, Typed::Backspace) => {
                self.note.pop();
                None
            }
            (Stage::Note, Typed::Cancel) => {
                self.note.clear();
                self.finish_note()
            }
            (Stage::Note, Typed::Enter) => self.finish_note(),
            (Stage::Note, Typed::Line(line)) => {
                self.note = line
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(NOTE_MAX)
                    .collect();
                self.finish_note()
            }
            _ => None,
        }
    }

    fn after_rating(&mut self, said: String) -> Option<String> {
        self.stage = if self.ask_star {
            Stage::Star
        } else {
            Stage::Note
        };
        Some(said)
    }

    fn finish_note(&mut self) -> Option<String> {
        let note = self.note.trim();
        self.review.note = (!note.is_empty()).then(|| note.to_string());
        self.stage = Stage::Done;
        self.review.note.as_ref().map(|n| format!("  note: {n}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(step: &mut ReviewStep, text: &str) {
        for c in text.chars() {
            step.take(match c {
                '\n' => Typed::Enter,
                '\u{8}' => Typed::Backspace,
                '\u{1b}' => Typed::Cancel,
                c => Typed::Char(c),
            });
        }
    }

    #[test]
    fn rating_star_and_note_by_keys() {
        let mut step = ReviewStep::new(true);
        assert!(step.line().contains("1 (poor) to 5"));
        // Letters before a rating are ignored; 4 rates.
        keys(&mut step, "x4");
        assert!(step.line().contains("STAR"));
        keys(&mut step, "sarr r\n");
        keys(&mut step, "forgot the numbrs\u{8}\u{8}ers\n");
        assert!(step.is_done() && !step.wants_quit());
        assert_eq!(
            step.result(),
            &SelfReview {
                rating: Some(4),
                star: Some(Star {
                    situation: true,
                    task: false,
                    action: true,
                    result: true
                }),
                note: Some("forgot the numbers".into()),
            }
        );
    }

    #[test]
    fn enter_skips_everything() {
        let mut step = ReviewStep::new(false);
        assert_eq!(step.take(Typed::Enter), Some("  not rated".into()));
        assert_eq!(step.take(Typed::Enter), None);
        assert!(step.is_done());
        assert_eq!(step.result(), &SelfReview::default());
    }

    #[test]
    fn escape_at_the_rating_ends_the_session_but_only_clears_a_note() {
        let mut step = ReviewStep::new(false);
        step.take(Typed::Cancel);
        assert!(step.wants_quit());
        let mut step = ReviewStep::new(false);
        keys(&mut step, "2half a note\u{1b}");
        assert!(step.is_done() && !step.wants_quit());
        assert_eq!(step.result().note, None);
        assert_eq!(step.result().rating, Some(2));
    }

    #[test]
    fn lines_from_a_pipe() {
        let mut step = ReviewStep::new(true);
        assert_eq!(
            step.take(Typed::Line(" 5 ".into())),
            Some("  rating 5/5".into())
        );
        assert_eq!(
            step.take(Typed::Line("good\u{1b}[31m pace".into())),
            Some("  note: good[31m pace".into())
        );
        assert_eq!(step.result().star, None, "no checklist from a pipe");

        let mut step = ReviewStep::new(false);
        step.take(Typed::Line("9".into()));
        step.take(Typed::Closed);
        assert!(step.is_done());
        assert_eq!(step.result(), &SelfReview::default());
    }
}
