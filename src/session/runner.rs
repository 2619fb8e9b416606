//! The one loop of a session. It owns the clock and the inbox; it feeds the engine the
//! moment and the person's inputs, and hands every batch of events, in a fixed order, to
//! the parts that react to them (the log writer first, then audio and anything else that
//! listens), and last to the screen. A new part is one more [`Part`]; a new kind of
//! moment is one more phase or input in the engine, never another branch here.

use std::time::Duration;

use super::inbox::{Inbox, Press, Wake};
use super::keys::{self, Action};
use super::{Clock, Engine, Event, Input, SessionOutcome, View};

/// How a closed output is reported, as a shell reports a pipeline's reader leaving.
const SIGPIPE: i32 = 13;

/// Something that reacts to the engine's events and never changes the session.
pub trait Part {
    /// The events of one moment, in order; returns warnings for the person.
    fn react(&mut self, events: &[Event], now: Duration) -> Vec<String>;
    /// A warning that came up on its own (a device that failed), checked at each wake.
    fn poll(&mut self) -> Option<String> {
        None
    }
    /// When this part needs to be woken even if nothing else happens.
    fn next_wake(&self, _now: Duration) -> Option<Duration> {
        None
    }
    /// Whether it can serve the session yet (a device still opening cannot): the first
    /// question waits for every part, up to [`GET_READY`].
    fn ready(&self) -> bool {
        true
    }
    /// The session's clock starts now, from zero (the person is ready, the parts too).
    fn clock_started(&mut self) {}
    /// Still working on something of the session that ended (the transcript of its last
    /// answer): the runner waits for it, up to [`FINISHING`].
    fn pending(&self) -> bool {
        false
    }
}

/// The longest the end of a session waits for its parts to finish (a transcript).
const FINISHING: Duration = Duration::from_secs(60);

/// The longest the first question waits for the parts to get ready.
const GET_READY: Duration = Duration::from_secs(4);

/// The screen: the last to hear of events, and the only one that draws.
pub trait Screen {
    /// Before anything is timed: ask whether the person is ready.
    fn ready(&mut self) {}
    fn react(&mut self, events: &[Event]);
    fn redraw(&mut self, view: Option<View>, now: Duration);
    /// The next moment the screen would look different if redrawn, for a countdown that
    /// sleeps until then.
    fn next_change(&self, view: &View, now: Duration) -> Option<Duration>;
    fn help(&mut self);
    /// Nobody sees the screen any more (its pipe closed): the session ends.
    fn gone(&self) -> bool {
        false
    }
    fn resized(&mut self);
    fn warn(&mut self, message: &str);
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ending {
    pub outcome: SessionOutcome,
    /// The signal that ended it, if one did.
    pub signal: Option<i32>,
    /// The first question was asked: the session began (not ended at `Ready?`).
    pub started: bool,
}

pub struct Runner<'a> {
    pub engine: Engine,
    pub clock: Clock,
    pub inbox: Inbox,
    /// Keys come as lines from a pipe: on the virtual clock, time waits for them until
    /// the pipe closes, so a scripted session is exact and repeatable.
    pub lines: bool,
    /// Wait for Enter before the first question (a person at a terminal).
    pub ready: bool,
    pub parts: Vec<&'a mut dyn Part>,
    pub screen: &'a mut dyn Screen,
}

impl Runner<'_> {
    pub fn run(mut self) -> Ending {
        let mut signal = None;
        let mut input_open = true;
        // Nothing is timed before the person and the parts are ready.
        let started = self.wait_until_ready().and_then(|()| self.wait_for_parts());
        let mut events = match started {
            Ok(()) => {
                self.clock.restart();
                for part in self.parts.iter_mut() {
                    part.clock_started();
                }
                self.engine.start(self.clock.now())
            }
            Err(stopped_by) => {
                signal = stopped_by;
                self.engine.input(Input::Quit, self.clock.now())
            }
        };
        loop {
            self.dispatch(&events);
            if self.engine.is_finished() {
                break;
            }
            if self.screen.gone() {
                // Practising on, unseen, would only fill the log with questions nobody
                // saw: end it as the reader did.
                signal = signal.or(Some(SIGPIPE));
                events = self.engine.input(Input::Quit, self.clock.now());
                continue;
            }
            let until = self.redraw();
            let timeout = if self.clock.is_virtual() && self.lines && input_open {
                None
            } else {
                until.map(|at| self.clock.budget(at))
            };
            let wake = self.inbox.wait(timeout);
            let now = self.clock.now();
            events = match wake {
                None => {
                    if let Some(at) = until {
                        self.clock.waited(at);
                    }
                    self.engine.advance(self.clock.now())
                }
                Some(wake) => {
                    match wake {
                        Wake::Signal(s) => signal = signal.or(Some(s)),
                        Wake::Closed => input_open = false,
                        _ => {}
                    }
                    self.handle(&wake, now)
                }
            };
        }
        if signal.is_none() {
            self.finish_parts();
        }
        Ending {
            outcome: self.engine.outcome().unwrap_or(SessionOutcome::Aborted),
            signal,
            started: started.is_ok(),
        }
    }

    /// What a key, a line or a signal asks for, done.
    fn handle(&mut self, wake: &Wake, now: Duration) -> Vec<Event> {
        let view = self.engine.view(now);
        match keys::action(wake, view.as_ref()) {
            Some(Action::Input(input)) => return self.engine.input(input, now),
            Some(Action::Help) => self.screen.help(),
            Some(Action::Redraw) => self.screen.resized(),
            Some(Action::Suspend) => {
                crate::terminal::suspend();
                self.screen.resized();
            }
            Some(Action::Resume) => {
                crate::terminal::resume();
                self.screen.resized();
            }
            None => {}
        }
        Vec::new()
    }

    /// Nothing is timed until the person presses Enter; `Err` when they quit instead (with
    /// the signal, if one ended it).
    fn wait_until_ready(&mut self) -> Result<(), Option<i32>> {
        if !self.ready {
            return Ok(());
        }
        self.screen.ready();
        loop {
            match self.inbox.wait(None) {
                Some(Wake::Press(Press::Enter)) => return Ok(()),
                Some(Wake::Press(Press::Char('q') | Press::Esc | Press::Ctrl('c'))) | None => {
                    return Err(None);
                }
                Some(Wake::Signal(s)) => return Err(Some(s)),
                // Ctrl-Z stops it like any job; continued (`fg`), raw mode is set again
                // and the question asked again.
                Some(Wake::Press(Press::Ctrl('z'))) => crate::terminal::suspend(),
                Some(Wake::Continued) => {
                    crate::terminal::resume();
                    self.screen.ready();
                }
                Some(_) => {}
            }
        }
    }

    /// Waits, on the real clock, until every part is ready or [`GET_READY`] has passed;
    /// keys and lines that come meanwhile are kept for the session. `Err` on a signal.
    fn wait_for_parts(&mut self) -> Result<(), Option<i32>> {
        let started = std::time::Instant::now();
        loop {
            for part in self.parts.iter_mut() {
                if let Some(warning) = part.poll() {
                    self.screen.warn(&warning);
                }
            }
            // What the parts found out so far counts before any key that waits.
            while let Some(wake) = self.inbox.wait_new(Some(Duration::ZERO)) {
                self.take_early(wake)?;
            }
            if self.parts.iter().all(|p| p.ready()) || started.elapsed() >= GET_READY {
                return Ok(());
            }
            if let Some(wake) = self.inbox.wait_new(Some(Duration::from_millis(10))) {
                self.take_early(wake)?;
            }
        }
    }

    /// A wake-up before the first question: what a part found out (no microphone) counts
    /// at once, keys and lines are kept for the session, a signal ends it.
    fn take_early(&mut self, wake: Wake) -> Result<(), Option<i32>> {
        match wake {
            Wake::Signal(s) => return Err(Some(s)),
            Wake::Input(input) => {
                let events = self.engine.input(input, self.clock.now());
                self.dispatch(&events);
            }
            wake => self.inbox.hold(wake),
        }
        Ok(())
    }

    /// After the last event: what the parts still work on (the last answer's transcript)
    /// comes in, as any analysis does, for a minute at most; a signal cuts it short.
    fn finish_parts(&mut self) {
        let started = std::time::Instant::now();
        let mut told = false;
        while self.parts.iter().any(|p| p.pending()) && started.elapsed() < FINISHING {
            if !told && started.elapsed() >= Duration::from_millis(500) {
                told = true;
                self.screen
                    .warn("finishing the transcript of the last answer…");
            }
            match self.inbox.wait(Some(Duration::from_millis(100))) {
                Some(Wake::Input(input)) => {
                    let events = self.engine.input(input, self.clock.now());
                    self.dispatch(&events);
                }
                Some(Wake::Signal(_)) => return,
                _ => {}
            }
        }
        // What came in the last moment, too.
        while let Some(wake) = self.inbox.wait_new(Some(Duration::ZERO)) {
            if let Wake::Input(input) = wake {
                let events = self.engine.input(input, self.clock.now());
                self.dispatch(&events);
            }
        }
    }

    /// Every part hears the events in order, the screen last.
    fn dispatch(&mut self, events: &[Event]) {
        if events.is_empty() {
            return;
        }
        let now = self.clock.now();
        for part in self.parts.iter_mut() {
            for warning in part.react(events, now) {
                self.screen.warn(&warning);
            }
        }
        self.screen.react(events);
    }

    /// Draws the moment; returns when the loop must wake next if nothing happens.
    fn redraw(&mut self) -> Option<Duration> {
        for part in self.parts.iter_mut() {
            if let Some(warning) = part.poll() {
                self.screen.warn(&warning);
            }
        }
        let now = self.clock.now();
        let view = self.engine.view(now);
        self.screen.redraw(view, now);
        [
            self.engine.next_deadline(),
            view.and_then(|v| self.screen.next_change(&v, now)),
        ]
        .into_iter()
        .chain(self.parts.iter().map(|p| p.next_wake(now)))
        .flatten()
        .min()
    }
}
