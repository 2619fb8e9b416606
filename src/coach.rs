//! The review step after an answer: the candidate rates it 1-5, ticks the parts of a STAR
//! story they told (behavioral questions), and may add a note. A pure state machine: the
//! engine owns one while its review phase lasts and feeds it the person's inputs; the
//! presenters draw its prompt from what it holds.

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

    /// `[x] S [ ] T [x] A [ ] R`: a box per part, ticked or empty, so what was told reads
    /// at a glance and without colour; each part keeps its letter, the key that ticks it.
    pub fn marks(&self) -> String {
        self.parts()
            .iter()
            .map(|(on, letter)| {
                let tick = if *on { 'x' } else { ' ' };
                format!("[{tick}] {}", letter.to_ascii_uppercase())
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Each part with its letter, in STAR order.
    pub fn parts(&self) -> [(bool, char); 4] {
        [
            (self.situation, 's'),
            (self.task, 't'),
            (self.action, 'a'),
            (self.result, 'r'),
        ]
    }
}

/// What the candidate said about one answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SelfReview {
    pub rating: Option<u8>,
    pub star: Option<Star>,
    pub note: Option<String>,
}

/// A change to the note being typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Insert(char),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
}

/// What the person did in the review step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewInput {
    /// A rating key, 1 to 5.
    Rate(u8),
    /// A STAR letter: s, t, a or r.
    Star(char),
    Edit(Edit),
    /// A whole line from a pipe: a rating, or the note.
    Line(String),
    /// Enter: done with this prompt (skipping it if nothing was given).
    Next,
}

/// The prompt being asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    Rating,
    Star,
    Note,
}

/// A prompt was answered: what to keep on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    Rated(Option<u8>),
    Star(Star),
    /// The whole step is done.
    Done,
}

/// The longest note kept.
const NOTE_MAX: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewStep {
    prompt: Option<Prompt>,
    rating: Option<u8>,
    star: Star,
    /// The STAR checklist was answered (or is not asked).
    star_told: bool,
    ask_star: bool,
    note: Vec<char>,
    /// In characters, 0..=note.len().
    cursor: usize,
}

impl ReviewStep {
    /// `star`: ask for the STAR checklist (behavioral questions, and only with keys).
    pub fn new(star: bool) -> ReviewStep {
        ReviewStep {
            prompt: Some(Prompt::Rating),
            rating: None,
            star: Star::default(),
            star_told: false,
            ask_star: star,
            note: Vec::new(),
            cursor: 0,
        }
    }

    /// The prompt being asked; `None` once the step is done.
    pub fn prompt(&self) -> Option<Prompt> {
        self.prompt
    }

    pub fn star(&self) -> Star {
        self.star
    }

    /// The note typed so far.
    pub fn note(&self) -> String {
        self.note.iter().collect()
    }

    /// Where the cursor is in the note, in characters.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Everything given so far, a note still being typed included.
    pub fn result(&self) -> SelfReview {
        let note = self.note();
        let note = note.trim();
        SelfReview {
            rating: self.rating,
            star: (self.ask_star && (self.star_told || self.star != Star::default()))
                .then_some(self.star),
            note: (!note.is_empty()).then(|| note.to_string()),
        }
    }

    /// Something was rated, ticked or typed.
    pub fn has_content(&self) -> bool {
        self.result() != SelfReview::default()
    }

    /// Takes one input; says what was answered when a prompt ends.
    pub fn take(&mut self, input: ReviewInput) -> Option<Said> {
        let prompt = self.prompt?;
        match (prompt, input) {
            (Prompt::Rating, ReviewInput::Rate(n @ 1..=5)) => {
                self.rating = Some(n);
                self.after_rating()
            }
            (Prompt::Rating, ReviewInput::Next) => self.after_rating(),
            (Prompt::Rating, ReviewInput::Line(line)) => {
                self.rating = match line.trim().parse::<u8>() {
                    Ok(n @ 1..=5) => Some(n),
                    _ => None,
                };
                // Lines come from a script: no checklist there.
                self.ask_star = false;
                self.after_rating()
            }
            (Prompt::Star, ReviewInput::Star(c)) => {
                self.star.toggle(c);
                None
            }
            (Prompt::Star, ReviewInput::Next) => {
                self.star_told = true;
                self.prompt = Some(Prompt::Note);
                Some(Said::Star(self.star))
            }
            (Prompt::Note, ReviewInput::Edit(edit)) => {
                self.edit(edit);
                None
            }
            (Prompt::Note, ReviewInput::Line(line)) => {
                self.note = line
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(NOTE_MAX)
                    .collect();
                self.finish()
            }
            (Prompt::Note, ReviewInput::Next) => self.finish(),
            _ => None,
        }
    }

    /// Ends the step now, keeping what was given (the input closed, or the person moved on).
    pub fn finish(&mut self) -> Option<Said> {
        self.prompt = None;
        Some(Said::Done)
    }

    fn after_rating(&mut self) -> Option<Said> {
        self.prompt = Some(if self.ask_star {
            Prompt::Star
        } else {
            Prompt::Note
        });
        Some(Said::Rated(self.rating))
    }

    fn edit(&mut self, edit: Edit) {
        match edit {
            Edit::Insert(c) if !c.is_control() && self.note.len() < NOTE_MAX => {
                self.note.insert(self.cursor, c);
                self.cursor += 1;
            }
            Edit::Insert(_) => {}
            Edit::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                self.note.remove(self.cursor);
            }
            Edit::Delete if self.cursor < self.note.len() => {
                self.note.remove(self.cursor);
            }
            Edit::Backspace | Edit::Delete => {}
            Edit::Left => self.cursor = self.cursor.saturating_sub(1),
            Edit::Right => self.cursor = (self.cursor + 1).min(self.note.len()),
            Edit::Home => self.cursor = 0,
            Edit::End => self.cursor = self.note.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds keys the way the terminal key map does: digits rate, letters tick STAR,
    /// anything at the note prompt types.
    fn keys(step: &mut ReviewStep, text: &str) {
        for c in text.chars() {
            let input = match (step.prompt(), c) {
                (_, '\n') => ReviewInput::Next,
                (Some(Prompt::Note), '\u{8}') => ReviewInput::Edit(Edit::Backspace),
                (Some(Prompt::Note), '<') => ReviewInput::Edit(Edit::Left),
                (Some(Prompt::Note), '>') => ReviewInput::Edit(Edit::Right),
                (Some(Prompt::Note), '^') => ReviewInput::Edit(Edit::Home),
                (Some(Prompt::Note), c) => ReviewInput::Edit(Edit::Insert(c)),
                (Some(Prompt::Rating), c) if c.is_ascii_digit() => {
                    ReviewInput::Rate(c.to_digit(10).unwrap() as u8)
                }
                (_, c) => ReviewInput::Star(c),
            };
            step.take(input);
        }
    }

    #[test]
    fn rating_star_and_note_by_keys() {
        let mut step = ReviewStep::new(true);
        assert_eq!(step.prompt(), Some(Prompt::Rating));
        // Letters before a rating are ignored; 4 rates.
        keys(&mut step, "x4");
        assert_eq!(step.prompt(), Some(Prompt::Star));
        keys(&mut step, "sarr r");
        assert_eq!(step.star().marks(), "[x] S [ ] T [x] A [x] R");
        keys(&mut step, "\nforgot the numbrs\u{8}\u{8}ers\n");
        assert_eq!(step.prompt(), None);
        assert_eq!(
            step.result(),
            SelfReview {
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
    fn the_note_edits_in_place_at_the_cursor() {
        let mut step = ReviewStep::new(false);
        keys(&mut step, "\nslow start<<<<<X>>>>>Y^Z");
        assert_eq!(step.note(), "Zslow XstartY");
        assert_eq!(step.cursor(), 1);
        step.take(ReviewInput::Edit(Edit::Delete));
        step.take(ReviewInput::Edit(Edit::End));
        step.take(ReviewInput::Edit(Edit::Backspace));
        assert_eq!(step.note(), "Zlow Xstart");
        assert_eq!(step.cursor(), 11);
    }

    #[test]
    fn enter_skips_everything() {
        let mut step = ReviewStep::new(false);
        assert_eq!(step.take(ReviewInput::Next), Some(Said::Rated(None)));
        assert_eq!(step.take(ReviewInput::Next), Some(Said::Done));
        assert_eq!(step.take(ReviewInput::Next), None);
        assert_eq!(step.result(), SelfReview::default());
        assert!(!step.has_content());
    }

    #[test]
    fn what_was_given_is_kept_when_the_step_ends_early() {
        let mut step = ReviewStep::new(false);
        keys(&mut step, "2half a note");
        assert!(step.has_content());
        assert_eq!(
            step.result(),
            SelfReview {
                rating: Some(2),
                star: None,
                note: Some("half a note".into())
            }
        );
    }

    #[test]
    fn lines_from_a_pipe() {
        let mut step = ReviewStep::new(true);
        assert_eq!(
            step.take(ReviewInput::Line(" 5 ".into())),
            Some(Said::Rated(Some(5)))
        );
        assert_eq!(
            step.take(ReviewInput::Line("good\u{1b}[31m pace".into())),
            Some(Said::Done)
        );
        assert_eq!(step.result().note.as_deref(), Some("good[31m pace"));
        assert_eq!(step.result().star, None, "no checklist from a pipe");

        let mut step = ReviewStep::new(false);
        step.take(ReviewInput::Line("9".into()));
        step.finish();
        assert_eq!(step.prompt(), None);
        assert_eq!(step.result(), SelfReview::default());
    }
}
