//! The run loop's clocks. The engine never reads one: the runner asks the clock for
//! `now` and hands it over. The real clock is monotonic; the virtual clock (the hidden
//! `REHEARSE_VIRTUAL_CLOCK=1`) jumps straight to the moment the runner would have slept
//! until, so a whole session runs in milliseconds with exact timings.

use std::cell::Cell;
use std::time::{Duration, Instant};

pub enum Clock {
    Real(Instant),
    Virtual(Cell<Duration>),
}

impl Clock {
    pub fn real() -> Clock {
        Clock::Real(Instant::now())
    }

    pub fn virtual_at_zero() -> Clock {
        Clock::Virtual(Cell::new(Duration::ZERO))
    }

    /// Time since the session started.
    pub fn now(&self) -> Duration {
        match self {
            Clock::Real(start) => start.elapsed(),
            Clock::Virtual(now) => now.get(),
        }
    }

    /// The session starts now: time counts from zero again.
    pub fn restart(&mut self) {
        match self {
            Clock::Real(start) => *start = Instant::now(),
            Clock::Virtual(now) => now.set(Duration::ZERO),
        }
    }

    pub fn is_virtual(&self) -> bool {
        matches!(self, Clock::Virtual(_))
    }

    /// How long to wait for something to happen before `until`. The virtual clock waits
    /// for nothing: time only moves when the runner says it passed.
    pub fn budget(&self, until: Duration) -> Duration {
        match self {
            Clock::Real(_) => until.saturating_sub(self.now()),
            Clock::Virtual(_) => Duration::ZERO,
        }
    }

    /// Nothing happened before `until`: on the virtual clock, it is now `until`.
    pub fn waited(&self, until: Duration) {
        if let Clock::Virtual(now) = self {
            now.set(now.get().max(until));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_virtual_clock_moves_only_when_told_and_never_back() {
        let clock = Clock::virtual_at_zero();
        assert_eq!(clock.budget(Duration::from_secs(120)), Duration::ZERO);
        clock.waited(Duration::from_secs(120));
        assert_eq!(clock.now(), Duration::from_secs(120));
        clock.waited(Duration::from_secs(5));
        assert_eq!(clock.now(), Duration::from_secs(120));
    }

    #[test]
    fn the_real_clock_waits_for_the_time_left() {
        let clock = Clock::real();
        let budget = clock.budget(Duration::from_secs(60));
        assert!(budget <= Duration::from_secs(60) && budget > Duration::from_secs(59));
        assert!(clock.budget(Duration::ZERO).is_zero());
    }
}
