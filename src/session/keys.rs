//! The key table: what a key or a command line means at this moment of the session. One
//! path for every phase, the review step's prompts included, so the keys never disagree.

use super::inbox::{Press, Wake};
use super::{Input, Phase, View};
use crate::coach::{Edit, Prompt, ReviewInput};

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Input(Input),
    Help,
    Redraw,
    /// Ctrl-Z: stop like any job, and come back as it was.
    Suspend,
    /// Back from a stop: raw mode and the screen again.
    Resume,
}

/// What a wake-up asks for, given what the screen shows now.
pub fn action(wake: &Wake, view: Option<&View>) -> Option<Action> {
    let prompt = view
        .filter(|v| v.phase == Phase::Review)
        .and_then(|v| v.review)
        .and_then(|r| r.prompt());
    match (wake, prompt) {
        (Wake::Press(Press::Ctrl('z')), _) => Some(Action::Suspend),
        (Wake::Press(p), Some(prompt)) => review_press(*p, prompt),
        (Wake::Press(p), None) => press(*p),
        (Wake::Line(line), Some(Prompt::Rating)) if is_retake(line) => {
            Some(Action::Input(Input::Retake))
        }
        (Wake::Line(line), Some(_)) => Some(Action::Input(Input::Review(ReviewInput::Line(
            line.clone(),
        )))),
        (Wake::Line(line), None) => parse_line(line),
        (Wake::Closed, _) => Some(Action::Input(Input::Auto)),
        (Wake::Resized, _) => Some(Action::Redraw),
        (Wake::Continued, _) => Some(Action::Resume),
        (Wake::Signal(_), _) => Some(Action::Input(Input::Quit)),
        (Wake::Input(input), _) => Some(Action::Input(input.clone())),
        (Wake::News, _) => None,
    }
}

fn press(p: Press) -> Option<Action> {
    let input = match p {
        Press::Ctrl('c') | Press::Char('q') | Press::Esc => Input::Quit,
        Press::Enter | Press::Char('n') => Input::Next,
        Press::Char('s') => Input::Skip,
        Press::Char(' ' | 'p') => Input::TogglePause,
        Press::Char('+' | '=') => Input::MoreTime,
        Press::Char('-' | '_') => Input::LessTime,
        Press::Char('r') => Input::Retake,
        Press::Char('?' | 'h') => return Some(Action::Help),
        _ => return None,
    };
    Some(Action::Input(input))
}

/// In the review step Esc and Ctrl-C end the session at every prompt, and so does `q`
/// where it cannot be typed into the note; what was given so far is kept.
fn review_press(p: Press, prompt: Prompt) -> Option<Action> {
    let review = |input| Some(Action::Input(Input::Review(input)));
    match (prompt, p) {
        (_, Press::Ctrl('c') | Press::Esc) => Some(Action::Input(Input::Quit)),
        (_, Press::Enter) => Some(Action::Input(Input::Next)),
        (Prompt::Rating | Prompt::Star, Press::Char('q')) => Some(Action::Input(Input::Quit)),
        (Prompt::Rating | Prompt::Star, Press::Char('?')) => Some(Action::Help),
        (Prompt::Rating, Press::Char('r')) => Some(Action::Input(Input::Retake)),
        (Prompt::Rating, Press::Char(c @ '1'..='5')) => review(ReviewInput::Rate(c as u8 - b'0')),
        (Prompt::Star, Press::Char(c @ ('s' | 't' | 'a' | 'r' | 'S' | 'T' | 'A' | 'R'))) => {
            review(ReviewInput::Star(c))
        }
        (Prompt::Note, Press::Char(c)) => review(ReviewInput::Edit(Edit::Insert(c))),
        (Prompt::Note, Press::Backspace) => review(ReviewInput::Edit(Edit::Backspace)),
        (Prompt::Note, Press::Delete) => review(ReviewInput::Edit(Edit::Delete)),
        (Prompt::Note, Press::Left) => review(ReviewInput::Edit(Edit::Left)),
        (Prompt::Note, Press::Right) => review(ReviewInput::Edit(Edit::Right)),
        (Prompt::Note, Press::Home | Press::Ctrl('a')) => review(ReviewInput::Edit(Edit::Home)),
        (Prompt::Note, Press::End | Press::Ctrl('e')) => review(ReviewInput::Edit(Edit::End)),
        _ => None,
    }
}

fn is_retake(line: &str) -> bool {
    matches!(line.trim().to_ascii_lowercase().as_str(), "r" | "retake")
}

/// One command line: empty or `n` next, `s` skip, `p` pause, `q` quit, `+`/`-` time,
/// `r` take the answer again.
pub fn parse_line(line: &str) -> Option<Action> {
    if is_retake(line) {
        return Some(Action::Input(Input::Retake));
    }
    let input = match line.trim().to_ascii_lowercase().as_str() {
        "" | "n" | "next" => Input::Next,
        "s" | "skip" => Input::Skip,
        "p" | "pause" | "resume" => Input::TogglePause,
        "q" | "quit" => Input::Quit,
        "+" => Input::MoreTime,
        "-" => Input::LessTime,
        "?" | "help" => return Some(Action::Help),
        _ => return None,
    };
    Some(Action::Input(input))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::coach::ReviewStep;

    fn view(review: Option<&ReviewStep>) -> View<'_> {
        View {
            index: 1,
            phase: if review.is_some() {
                Phase::Review
            } else {
                Phase::Answer
            },
            elapsed: Duration::ZERO,
            length: Duration::from_secs(60),
            warn: Duration::from_secs(10),
            paused: false,
            review,
        }
    }

    fn at(wake: Wake, review: Option<&ReviewStep>) -> Option<Action> {
        action(&wake, Some(&view(review)))
    }

    #[test]
    fn keys_while_answering() {
        let key = |p| at(Wake::Press(p), None);
        assert_eq!(key(Press::Enter), Some(Action::Input(Input::Next)));
        assert_eq!(
            key(Press::Char(' ')),
            Some(Action::Input(Input::TogglePause))
        );
        assert_eq!(key(Press::Esc), Some(Action::Input(Input::Quit)));
        assert_eq!(key(Press::Ctrl('c')), Some(Action::Input(Input::Quit)));
        assert_eq!(key(Press::Char('?')), Some(Action::Help));
        assert_eq!(key(Press::Char('x')), None);
    }

    #[test]
    fn q_esc_and_ctrl_c_end_the_session_at_every_prompt_but_q_types_in_a_note() {
        let rating = ReviewStep::new(true);
        let mut star = rating.clone();
        star.take(ReviewInput::Rate(3));
        let mut note = star.clone();
        note.take(ReviewInput::Next);
        let quit = Some(Action::Input(Input::Quit));
        for step in [&rating, &star, &note] {
            assert_eq!(at(Wake::Press(Press::Esc), Some(step)), quit);
            assert_eq!(at(Wake::Press(Press::Ctrl('c')), Some(step)), quit);
        }
        assert_eq!(at(Wake::Press(Press::Char('q')), Some(&rating)), quit);
        assert_eq!(at(Wake::Press(Press::Char('q')), Some(&star)), quit);
        assert_eq!(
            at(Wake::Press(Press::Char('q')), Some(&note)),
            Some(Action::Input(Input::Review(ReviewInput::Edit(
                Edit::Insert('q')
            ))))
        );
        assert_eq!(
            at(Wake::Press(Press::Char('4')), Some(&rating)),
            Some(Action::Input(Input::Review(ReviewInput::Rate(4))))
        );
        assert_eq!(
            at(Wake::Press(Press::Char('s')), Some(&star)),
            Some(Action::Input(Input::Review(ReviewInput::Star('s'))))
        );
    }

    #[test]
    fn lines_map_by_moment() {
        assert_eq!(parse_line(""), Some(Action::Input(Input::Next)));
        assert_eq!(parse_line(" S "), Some(Action::Input(Input::Skip)));
        assert_eq!(parse_line("what"), None);
        let rating = ReviewStep::new(false);
        assert_eq!(
            at(Wake::Line("q".into()), Some(&rating)),
            Some(Action::Input(Input::Review(ReviewInput::Line("q".into())))),
            "a line at the rating is a rating (or none)"
        );
        assert_eq!(at(Wake::Closed, None), Some(Action::Input(Input::Auto)));
        let mut star = ReviewStep::new(true);
        star.take(ReviewInput::Rate(3));
        let retake = Some(Action::Input(Input::Retake));
        assert_eq!(at(Wake::Press(Press::Char('r')), None), retake);
        assert_eq!(at(Wake::Press(Press::Char('r')), Some(&rating)), retake);
        assert_eq!(at(Wake::Line("retake".into()), Some(&rating)), retake);
        assert_eq!(at(Wake::Line("r".into()), None), retake);
        assert_eq!(
            at(Wake::Press(Press::Char('r')), Some(&star)),
            Some(Action::Input(Input::Review(ReviewInput::Star('r')))),
            "at the STAR checklist r is the Result"
        );
        assert_eq!(
            at(Wake::Input(Input::Skip), Some(&rating)),
            Some(Action::Input(Input::Skip)),
            "what a part posts goes to the engine as it is, at any moment"
        );
    }
}
