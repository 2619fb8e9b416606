//! The takes of a session that are not complete yet. The one rule: a take is complete
//! once it has ended and every analysis the session gives its takes is in, or once it has
//! waited long enough for them after it ended (the engine says how long). The engine follows it to tell
//! the screen when a take is complete and to end a session only once its takes are.

use std::time::Duration;

use crate::answer::{Analysis, Kinds};

#[derive(Debug, Clone, Copy)]
struct Open {
    /// 1-based question number.
    index: usize,
    take: u32,
    missing: Kinds,
    ended: Option<Duration>,
}

#[derive(Debug, Clone)]
pub struct Takes {
    expect: Kinds,
    wait: Duration,
    open: Vec<Open>,
}

impl Takes {
    /// Every take gets the analyses `expect`, each waited for up to `wait` after the take
    /// ended.
    pub fn new(expect: Kinds, wait: Duration) -> Takes {
        Takes {
            expect,
            wait,
            open: Vec::new(),
        }
    }

    pub fn begin(&mut self, index: usize, take: u32) {
        self.open.push(Open {
            index,
            take,
            missing: self.expect,
            ended: None,
        });
    }

    /// The take ended at `at`: from now on only its analyses are waited for.
    pub fn end(&mut self, index: usize, take: u32, at: Duration) {
        for t in &mut self.open {
            if (t.index, t.take) == (index, take) && t.ended.is_none() {
                t.ended = Some(at);
            }
        }
    }

    /// Every take still running ends at `at` (the session is over).
    pub fn end_all(&mut self, at: Duration) {
        for t in &mut self.open {
            t.ended.get_or_insert(at);
        }
    }

    pub fn arrived(&mut self, analysis: &Analysis) {
        let key = analysis.key();
        for t in &mut self.open {
            if (t.index, t.take) == key {
                t.missing = t.missing.without(analysis.kind());
            }
        }
    }

    /// These analyses will not come for any take.
    pub fn unavailable(&mut self, kinds: Kinds) {
        self.expect = self.expect.without(kinds);
        for t in &mut self.open {
            t.missing = t.missing.without(kinds);
        }
    }

    /// The takes complete by `now`, taken out, in the order they began.
    pub fn complete(&mut self, now: Duration) -> Vec<(usize, u32)> {
        let wait = self.wait;
        let mut done = Vec::new();
        self.open.retain(|t| {
            let complete = t
                .ended
                .is_some_and(|ended| t.missing.is_empty() || now >= ended + wait);
            if complete {
                done.push((t.index, t.take));
            }
            !complete
        });
        done
    }

    /// Every open take, taken out as complete whatever it still waits for.
    pub fn give_up(&mut self) -> Vec<(usize, u32)> {
        self.open.drain(..).map(|t| (t.index, t.take)).collect()
    }

    /// When the next take stops waiting for its analyses.
    pub fn next_deadline(&self) -> Option<Duration> {
        self.open
            .iter()
            .filter_map(|t| t.ended.map(|ended| ended + self.wait))
            .min()
    }

    /// Some take is not complete yet.
    pub fn waiting(&self) -> bool {
        !self.open.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Spoken;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn spoken(index: usize, take: u32) -> Analysis {
        Analysis::Spoken(Spoken {
            index,
            take,
            ..Spoken::default()
        })
    }

    #[test]
    fn a_take_without_analyses_is_complete_when_it_ends() {
        let mut takes = Takes::new(Kinds::NONE, ms(2000));
        takes.begin(1, 1);
        assert!(takes.complete(ms(5)).is_empty(), "still running");
        takes.end(1, 1, ms(10));
        assert_eq!(takes.complete(ms(10)), [(1, 1)]);
        assert!(!takes.waiting());
    }

    #[test]
    fn a_take_waits_for_its_analyses_in_any_order_or_until_the_wait_is_over() {
        let mut takes = Takes::new(Kinds::SPOKEN, ms(2000));
        takes.begin(1, 1);
        // The figures may come before the take is known to have ended.
        takes.arrived(&spoken(1, 1));
        takes.begin(1, 2);
        takes.end(1, 1, ms(100));
        assert_eq!(takes.complete(ms(100)), [(1, 1)]);
        takes.end(1, 2, ms(500));
        assert_eq!(takes.next_deadline(), Some(ms(2500)));
        assert!(takes.complete(ms(2499)).is_empty());
        assert_eq!(takes.complete(ms(2500)), [(1, 2)]);
    }

    #[test]
    fn analyses_that_cannot_come_are_not_waited_for() {
        let mut takes = Takes::new(Kinds::SPOKEN, ms(2000));
        takes.begin(2, 1);
        takes.end(2, 1, ms(50));
        takes.unavailable(Kinds::SPOKEN);
        assert_eq!(takes.complete(ms(50)), [(2, 1)]);
        takes.begin(3, 1);
        takes.end_all(ms(60));
        assert_eq!(
            takes.complete(ms(60)),
            [(3, 1)],
            "nothing expected any more"
        );
    }
}
