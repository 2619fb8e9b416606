//! What is learnt of one take of an answer after it was given: its analyses. Each
//! analysis is one type, used as it is by the part that makes it, the engine that passes
//! it on, the log record that keeps it, the fold that reads it back and every view that
//! shows it. An analysis is keyed by question and take and may arrive in any order, during
//! the session or later. Pure data: nothing here reads a clock or a file.
//!
//! A new measure of an answer is a field of its analysis (with the words that show it,
//! beside it: `spoken.rs` for the spoken figures), the part that measures it, and the
//! aggregate and chart of review if it is summed up over sessions.

pub mod spoken;
pub mod transcript;

pub use spoken::Spoken;
pub use transcript::Transcript;

/// One analysis of one take.
#[derive(Debug, Clone, PartialEq)]
pub enum Analysis {
    Spoken(Spoken),
    Transcript(Box<Transcript>),
}

impl Analysis {
    /// The question (1-based) and the take it is about.
    pub fn key(&self) -> (usize, u32) {
        match self {
            Analysis::Spoken(s) => (s.index, s.take),
            Analysis::Transcript(t) => (t.index, t.take),
        }
    }

    pub fn kind(&self) -> Kinds {
        match self {
            Analysis::Spoken(_) => Kinds::SPOKEN,
            Analysis::Transcript(_) => Kinds::TRANSCRIPT,
        }
    }
}

/// A set of kinds of analysis: those every take of a session gets, or those a take still
/// waits for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Kinds(u8);

impl Kinds {
    pub const NONE: Kinds = Kinds(0);
    /// The spoken figures of a recording.
    pub const SPOKEN: Kinds = Kinds(1);
    /// The transcript of a recording and what it says.
    pub const TRANSCRIPT: Kinds = Kinds(2);

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn with(self, other: Kinds) -> Kinds {
        Kinds(self.0 | other.0)
    }

    pub fn without(self, other: Kinds) -> Kinds {
        Kinds(self.0 & !other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_a_set() {
        let both = Kinds::NONE.with(Kinds::SPOKEN);
        assert!(!both.is_empty());
        assert!(both.without(Kinds::SPOKEN).is_empty());
        assert_eq!(Kinds::SPOKEN.with(Kinds::SPOKEN), Kinds::SPOKEN);
    }

    #[test]
    fn an_analysis_knows_its_take() {
        let a = Analysis::Spoken(Spoken {
            index: 3,
            take: 2,
            ..Spoken::default()
        });
        assert_eq!((a.key(), a.kind()), ((3, 2), Kinds::SPOKEN));
    }
}
