//! The session engine. Every method takes `now` (time since the session started) and
//! returns the events that happened; timed events carry the moment they were due, not the
//! moment they were noticed, so a late wake-up never shifts the rest of the session.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::answer::{Analysis, Kinds};
use crate::coach::{ReviewInput, ReviewStep, Said, SelfReview, Star};

use super::takes::Takes;

/// How long a take that ended waits for its analyses before it counts as complete without
/// them (they are still taken when they come). The session's end waits as long for its
/// last take.
const ANALYSIS_WAIT: Duration = Duration::from_secs(2);

/// How much answer time `-` always leaves.
const LESS_TIME_MARGIN: Duration = Duration::from_secs(5);

/// The time rules of one question, as the plan resolved them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionTiming {
    pub limit: Duration,
    pub prep: Duration,
    pub warn: Duration,
    pub min: Option<Duration>,
    /// The answer is a story: the review step asks for the STAR checklist.
    pub star: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineOptions {
    /// Move on by itself when time is up, after `gap`.
    pub auto: bool,
    pub gap: Duration,
    /// Tick once a second in the last `ticks` seconds of an answer.
    pub ticks: u32,
    /// How much `+` and `-` change the current limit.
    pub adjust_step: Duration,
    /// After each answer, wait in a review step until told to go on.
    pub review: bool,
    /// The review step asks story questions for their STAR parts (only with keys).
    pub star_checklist: bool,
    /// The analyses every take gets (the spoken figures of `--record`): a take is complete
    /// once they are in, and the session ends once its takes are complete.
    pub analyses: Kinds,
    /// How many times each answer may be started again (`r`); `None`: as often as wanted.
    pub retakes: Option<u32>,
    /// A one-way interview: the answer ends when time is up, with no overtime, and the
    /// clock can be neither paused nor given more time (each is refused, with a reason).
    pub hard_stop: bool,
    /// The review steps come after the last question, one per answer, instead of after
    /// each answer.
    pub review_at_end: bool,
    /// Each question is read aloud first (`--speak`): it begins in the asking phase,
    /// which ends when the voice says it finished ([`Input::Spoken`]) or on Enter.
    pub speak: bool,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            auto: false,
            gap: Duration::from_secs(3),
            ticks: 5,
            adjust_step: Duration::from_secs(30),
            review: false,
            star_checklist: false,
            analyses: Kinds::NONE,
            retakes: None,
            hard_stop: false,
            review_at_end: false,
            speak: false,
        }
    }
}

/// What the person asked for, or what a part learnt.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// Done with this answer (or, while thinking, start answering now).
    Next,
    Skip,
    TogglePause,
    Quit,
    MoreTime,
    LessTime,
    /// Nobody can press keys any more (input closed): continue hands-free.
    Auto,
    /// A rating, a STAR part or the note, in the review step.
    Review(ReviewInput),
    /// Start this answer again, as a new take (during the answer, or at its rating).
    Retake,
    /// The voice finished reading question `index` (1-based) aloud, or could not read it
    /// (`heard` false: no voice, no device). Posted by the voice; stale ones are ignored.
    Spoken {
        index: usize,
        heard: bool,
    },
    /// An analysis of a take came in (from a part working on a thread of its own).
    Analysed(Analysis),
    /// These analyses cannot be made (no microphone): no take waits for them.
    Unavailable(Kinds),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Answered,
    Skipped,
    TimeUp,
    Unfinished,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionOutcome {
    Completed,
    Aborted,
}

/// What a one-way interview does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Pause,
    MoreTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The question is being read aloud (`--speak`); no answer clock runs.
    Asking,
    /// Thinking time before the answer.
    Prep,
    Answer,
    /// The pause between questions in hands-free mode.
    Gap,
    /// After an answer, while the person rates it; no clock runs.
    Review,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    QuestionStarted,
    /// The reading of the question ended: it was read to the end, or cut short (`cut`)
    /// by Enter, a skip or quitting. `speech` excludes pauses.
    Spoken {
        speech: Duration,
        cut: bool,
    },
    PrepStarted,
    AnswerStarted,
    Warning,
    /// `left` whole seconds of the answer remain.
    Tick {
        left: u32,
    },
    TimeUp,
    Paused,
    Resumed {
        paused: Duration,
    },
    TimeAdjusted {
        delta_ms: i64,
        limit: Duration,
    },
    GapStarted {
        next: usize,
    },
    /// The answer starts again as take `take` (2 for the first retake); the take before
    /// ran for `answer`. An `AnswerStarted` follows.
    Retake {
        take: u32,
        answer: Duration,
    },
    /// The answer ended and the review step begins.
    ReviewStarted,
    /// The rating prompt was answered (or skipped).
    Rated {
        rating: Option<u8>,
    },
    /// The STAR checklist was answered.
    StarTold {
        star: Star,
    },
    /// The review step ended with what the person said.
    Reviewed {
        review: SelfReview,
    },
    /// An analysis of a take came in; it may come after the take, the question or the
    /// session ended.
    Analysed(Analysis),
    /// Take `take` of the question ended and its analyses are in, or their wait is over.
    /// Every take that began gets one, once.
    TakeComplete {
        take: u32,
    },
    /// An input this session does not allow, so the screen can say why nothing happened.
    Refused(Refusal),
    QuestionEnded {
        outcome: Outcome,
        answer: Duration,
        overtime: Duration,
        paused: Duration,
        prep: Duration,
        short: bool,
        /// Which take this was: 1, or more after retakes.
        take: u32,
    },
    SessionEnded {
        outcome: SessionOutcome,
        answered: usize,
        skipped: usize,
        timed_out: usize,
        unfinished: usize,
        over_time: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// When it happened, since the session started.
    pub at: Duration,
    /// 1-based question number; for a gap, the question just ended.
    pub index: usize,
    pub kind: EventKind,
}

/// What presenters need to draw the current moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View<'a> {
    pub index: usize,
    pub phase: Phase,
    /// Time spent in this phase, pauses excluded.
    pub elapsed: Duration,
    /// The length of this phase: prep time, answer limit or gap.
    pub length: Duration,
    pub warn: Duration,
    pub paused: bool,
    /// The review step's prompt and what was typed, during the review phase.
    pub review: Option<&'a ReviewStep>,
}

/// A stopwatch for one phase that can be paused.
#[derive(Debug, Clone, Copy)]
struct Timer {
    started: Duration,
    paused_total: Duration,
    paused_since: Option<Duration>,
}

impl Timer {
    fn start(at: Duration) -> Timer {
        Timer {
            started: at,
            paused_total: Duration::ZERO,
            paused_since: None,
        }
    }

    fn elapsed(&self, now: Duration) -> Duration {
        let end = self.paused_since.unwrap_or(now);
        end.saturating_sub(self.started + self.paused_total)
    }

    /// The moment `length` of running time will have passed; `None` while paused.
    fn moment(&self, length: Duration) -> Option<Duration> {
        self.paused_since
            .is_none()
            .then(|| self.started + self.paused_total + length)
    }
}

#[derive(Debug, Clone, Copy)]
struct Active {
    /// 0-based.
    index: usize,
    phase: Phase,
    timer: Timer,
    limit: Duration,
    prep_used: Duration,
    /// Pauses already over, in the prep and answer of this question.
    paused: Duration,
    warned: bool,
    /// The next tick to sound, in seconds left; 0 when none remain.
    next_tick: u32,
    timed_up: bool,
    /// 1 for the first take of the answer.
    take: u32,
    /// While asking: the voice said it was done during a pause (whether it was heard);
    /// the asking ends when the pause does.
    voice_done: Option<bool>,
}

#[derive(Debug, Clone, Copy)]
enum State {
    Ready,
    Running(Active),
    /// Over, but for the analyses of its last takes.
    Measuring(SessionOutcome),
    Finished(SessionOutcome),
}

pub struct Engine {
    questions: Vec<QuestionTiming>,
    options: EngineOptions,
    state: State,
    outcomes: Vec<(Outcome, bool)>,
    /// The review step, while the review phase lasts.
    review: Option<ReviewStep>,
    /// The input ended: nobody is there to answer a review step.
    keys_gone: bool,
    /// With reviews at the end: the answers (0-based) waiting for theirs, in order.
    pending_reviews: std::collections::VecDeque<usize>,
    /// The questions are over and the reviews kept for the end have begun.
    reviewing_at_end: bool,
    /// The moment of the last input: a deadline that an input moved into the past is
    /// stamped with the input's moment, never earlier.
    floor: Duration,
    /// Takes begun that are not complete yet.
    takes: Takes,
}

impl Engine {
    pub fn new(questions: Vec<QuestionTiming>, options: EngineOptions) -> Engine {
        Engine {
            questions,
            options,
            state: State::Ready,
            outcomes: Vec::new(),
            review: None,
            keys_gone: false,
            pending_reviews: Default::default(),
            reviewing_at_end: false,
            floor: Duration::ZERO,
            takes: Takes::new(options.analyses, ANALYSIS_WAIT),
        }
    }

    pub fn is_finished(&self) -> bool {
        matches!(self.state, State::Finished(_))
    }

    /// How the session ended, once it has.
    pub fn outcome(&self) -> Option<SessionOutcome> {
        match self.state {
            State::Finished(outcome) => Some(outcome),
            _ => None,
        }
    }

    #[cfg(test)]
    pub fn is_auto(&self) -> bool {
        self.options.auto
    }

    pub fn start(&mut self, now: Duration) -> Vec<Event> {
        let mut events = Vec::new();
        if matches!(self.state, State::Ready) {
            self.begin_question(0, now, &mut events);
        }
        events
    }

    /// Everything that is due by `now`, in order.
    pub fn advance(&mut self, now: Duration) -> Vec<Event> {
        let mut events = Vec::new();
        while let Some(at) = self.next_deadline() {
            if at > now {
                break;
            }
            self.fire(at.max(self.floor), &mut events);
        }
        // Auto mode switched on during overtime: nothing is scheduled, end it now.
        if let State::Running(a) = self.state
            && self.options.auto
            && a.phase == Phase::Answer
            && a.timed_up
        {
            self.end_question(Outcome::TimeUp, now, &mut events);
        }
        events
    }

    pub fn input(&mut self, input: Input, now: Duration) -> Vec<Event> {
        let mut events = self.advance(now);
        self.floor = self.floor.max(now);
        let Some(input) = self.about_takes(input, now, &mut events) else {
            return events;
        };
        if matches!(self.state, State::Ready) && input == Input::Quit {
            // Ended before the first question: nothing was asked, nothing is unfinished.
            self.finish(SessionOutcome::Aborted, now, &mut events);
            return events;
        }
        let State::Running(mut a) = self.state else {
            return events;
        };
        let index = a.index + 1;
        if a.phase == Phase::Review {
            self.review_input(input, a.index, now, &mut events);
            return events;
        }
        match input {
            Input::TogglePause | Input::MoreTime if self.options.hard_stop => {
                let refusal = match input {
                    Input::TogglePause => Refusal::Pause,
                    _ => Refusal::MoreTime,
                };
                events.push(Event {
                    at: now,
                    index,
                    kind: EventKind::Refused(refusal),
                });
            }
            Input::TogglePause => self.toggle_pause(a, now, &mut events),
            Input::Quit => {
                self.resume_if_paused(now);
                if a.phase == Phase::Asking {
                    self.end_asking(true, true, now, &mut events);
                }
                if a.phase != Phase::Gap {
                    self.end_question(Outcome::Unfinished, now, &mut events);
                }
                self.finish(SessionOutcome::Aborted, now, &mut events);
            }
            Input::Next | Input::Skip => {
                self.resume_if_paused(now);
                match (a.phase, input) {
                    // Enter cuts the reading short: what follows it starts at once.
                    (Phase::Asking, Input::Next) => self.leave_asking(true, true, now, &mut events),
                    (Phase::Asking, _) => {
                        self.end_asking(true, true, now, &mut events);
                        self.end_question(Outcome::Skipped, now, &mut events);
                    }
                    (Phase::Prep, Input::Next) => self.begin_answer(now, &mut events),
                    (Phase::Gap, Input::Next) => self.begin_question(a.index, now, &mut events),
                    (Phase::Gap, _) | (Phase::Review, _) => {}
                    (_, Input::Skip) => self.end_question(Outcome::Skipped, now, &mut events),
                    _ => self.end_question(Outcome::Answered, now, &mut events),
                }
            }
            Input::MoreTime | Input::LessTime if a.phase == Phase::Answer => {
                let more = matches!(input, Input::MoreTime);
                self.adjust(a, more, now, &mut events);
            }
            Input::Retake if a.phase == Phase::Answer => {
                self.resume_if_paused(now);
                self.retake(now, &mut events);
            }
            Input::MoreTime
            | Input::LessTime
            | Input::Review(_)
            | Input::Retake
            | Input::Analysed(_)
            | Input::Unavailable(_) => {}
            Input::Spoken {
                index: spoken,
                heard,
            } if spoken == index && a.phase == Phase::Asking => {
                if a.timer.paused_since.is_some() {
                    // Not while paused: the asking ends when the pause does.
                    a.voice_done = Some(heard);
                    self.state = State::Running(a);
                } else {
                    self.leave_asking(heard, false, now, &mut events);
                }
            }
            Input::Spoken { .. } => {}
            Input::Auto => {
                self.options.auto = true;
                self.keys_gone = true;
                events.extend(self.advance(now));
            }
        }
        events
    }

    /// Space: a pause begins, or the one under way ends (and with it a reading the voice
    /// finished meanwhile).
    fn toggle_pause(&mut self, mut a: Active, now: Duration, events: &mut Vec<Event>) {
        let index = a.index + 1;
        if a.timer.paused_since.is_none() {
            a.timer.paused_since = Some(now);
            self.state = State::Running(a);
            events.push(Event {
                at: now,
                index,
                kind: EventKind::Paused,
            });
            return;
        }
        let paused = self.resume_if_paused(now);
        events.push(Event {
            at: now,
            index,
            kind: EventKind::Resumed { paused },
        });
        if let Some(heard) = a.voice_done.filter(|_| a.phase == Phase::Asking) {
            self.leave_asking(heard, false, now, events);
        }
    }

    /// What a part learnt of the takes, in any state: taken, and `None` returned. Any
    /// other input is handed back.
    fn about_takes(
        &mut self,
        input: Input,
        now: Duration,
        events: &mut Vec<Event>,
    ) -> Option<Input> {
        match input {
            Input::Analysed(analysis) => {
                self.takes.arrived(&analysis);
                events.push(Event {
                    at: now,
                    index: analysis.key().0,
                    kind: EventKind::Analysed(analysis),
                });
                self.settle(now, events);
            }
            Input::Unavailable(kinds) => {
                self.options.analyses = self.options.analyses.without(kinds);
                self.takes.unavailable(kinds);
                self.settle(now, events);
            }
            // Asked again while the last takes are analysed: end without waiting.
            Input::Quit if matches!(self.state, State::Measuring(_)) => {
                for (index, take) in self.takes.give_up() {
                    push_complete(index, take, now, events);
                }
                self.end_measuring(now, events);
            }
            input => return Some(input),
        }
        None
    }

    /// `+` or `-` during an answer: a new limit, its warning and ticks re-armed.
    fn adjust(&mut self, mut a: Active, more: bool, now: Duration, events: &mut Vec<Event>) {
        let step = self.options.adjust_step;
        let old = a.limit;
        a.limit = if more {
            old + step
        } else {
            // Never below the time already spent and a few seconds more, so a
            // late `-` cannot turn an answer into an overrun; in whole seconds, so the
            // answer, its limit and its overtime add up as shown.
            let floor = whole_seconds(a.timer.elapsed(now) + LESS_TIME_MARGIN).min(old);
            old.saturating_sub(step)
                .max(floor)
                .max(Duration::from_secs(1))
        };
        if a.limit == old {
            return;
        }
        let left = a.limit.saturating_sub(a.timer.elapsed(now));
        // Time given back re-arms the warning; time taken away may bring it on now.
        if left > self.questions[a.index].warn {
            a.warned = false;
        }
        a.next_tick = self
            .first_tick(a.limit)
            .min(ceil_secs(left).saturating_sub(1));
        if left > Duration::ZERO {
            a.timed_up = false;
        }
        self.state = State::Running(a);
        let delta_ms = a.limit.as_millis() as i64 - old.as_millis() as i64;
        events.push(Event {
            at: now,
            index: a.index + 1,
            kind: EventKind::TimeAdjusted {
                delta_ms,
                limit: a.limit,
            },
        });
        events.extend(self.advance(now));
    }

    /// An input during the review step. No clock runs there: Space does nothing, Enter
    /// answers the prompt, `s` (or the input closing) moves on with what was given, and
    /// quitting keeps what was given too.
    fn review_input(&mut self, input: Input, index: usize, now: Duration, events: &mut Vec<Event>) {
        let Some(step) = self.review.as_mut() else {
            return;
        };
        if input == Input::Auto {
            self.options.auto = true;
            self.keys_gone = true;
        }
        let said = match input {
            Input::Review(input) => step.take(input),
            Input::Next => step.take(ReviewInput::Next),
            Input::Skip | Input::Auto => step.finish(),
            Input::Quit => {
                if step.has_content() {
                    self.end_review(index, now, events);
                }
                self.review = None;
                // Every question was asked: only the coaching after them is cut short.
                let outcome = if self.reviewing_at_end {
                    SessionOutcome::Completed
                } else {
                    SessionOutcome::Aborted
                };
                self.finish(outcome, now, events);
                return;
            }
            Input::Retake => {
                if !self.reviewing_at_end && self.retakes_left(index) {
                    // The take is kept in the log as it ended; its review starts over.
                    self.review = None;
                    self.outcomes.pop();
                    self.retake(now, events);
                }
                return;
            }
            Input::TogglePause
            | Input::MoreTime
            | Input::LessTime
            | Input::Spoken { .. }
            | Input::Analysed(_)
            | Input::Unavailable(_) => None,
        };
        let kind = match said {
            None => return,
            Some(Said::Rated(rating)) => EventKind::Rated { rating },
            Some(Said::Star(star)) => EventKind::StarTold { star },
            Some(Said::Done) => {
                self.end_review(index, now, events);
                self.review = None;
                self.move_on(index, now, events);
                return;
            }
        };
        events.push(Event {
            at: now,
            index: index + 1,
            kind,
        });
    }

    fn end_review(&mut self, index: usize, now: Duration, events: &mut Vec<Event>) {
        if let Some(step) = &self.review {
            events.push(Event {
                at: now,
                index: index + 1,
                kind: EventKind::Reviewed {
                    review: step.result(),
                },
            });
        }
    }

    /// The next moment something is due, so the run loop can sleep until then.
    pub fn next_deadline(&self) -> Option<Duration> {
        [self.phase_deadline(), self.takes.next_deadline()]
            .into_iter()
            .flatten()
            .min()
    }

    /// When the current phase next has something due.
    fn phase_deadline(&self) -> Option<Duration> {
        let State::Running(a) = self.state else {
            return None;
        };
        let q = &self.questions[a.index];
        match a.phase {
            Phase::Prep => a.timer.moment(q.prep),
            Phase::Gap => a.timer.moment(self.options.gap),
            // The voice says when the reading ends: nothing is due before.
            Phase::Asking | Phase::Review => None,
            Phase::Answer if a.timed_up => None,
            Phase::Answer => {
                let mut due = a.limit;
                if !a.warned && q.warn < a.limit {
                    due = due.min(a.limit - q.warn);
                }
                if a.next_tick > 0 {
                    due = due.min(
                        a.limit
                            .saturating_sub(Duration::from_secs(a.next_tick.into())),
                    );
                }
                a.timer.moment(due)
            }
        }
    }

    pub fn view(&self, now: Duration) -> Option<View<'_>> {
        let State::Running(a) = self.state else {
            return None;
        };
        let q = &self.questions[a.index];
        let length = match a.phase {
            Phase::Prep => q.prep,
            Phase::Answer => a.limit,
            Phase::Gap => self.options.gap,
            Phase::Asking | Phase::Review => Duration::ZERO,
        };
        Some(View {
            index: a.index + 1,
            phase: a.phase,
            elapsed: a.timer.elapsed(now),
            length,
            warn: q.warn,
            paused: a.timer.paused_since.is_some(),
            review: self.review.as_ref(),
        })
    }

    fn fire(&mut self, at: Duration, events: &mut Vec<Event>) {
        // Takes whose analyses did not come in time are complete without them.
        self.settle(at, events);
        if self.phase_deadline().is_none_or(|due| due > at) {
            return;
        }
        let State::Running(mut a) = self.state else {
            return;
        };
        let q = self.questions[a.index];
        let index = a.index + 1;
        match a.phase {
            Phase::Prep => self.begin_answer(at, events),
            Phase::Gap => self.begin_question(a.index, at, events),
            Phase::Asking | Phase::Review => {}
            Phase::Answer => {
                let elapsed = a.timer.elapsed(at);
                let left = a.limit.saturating_sub(elapsed);
                if !a.warned && q.warn < a.limit && left <= q.warn {
                    a.warned = true;
                    events.push(Event {
                        at,
                        index,
                        kind: EventKind::Warning,
                    });
                }
                while a.next_tick > 0 && left <= Duration::from_secs(a.next_tick.into()) {
                    let second = a.next_tick;
                    a.next_tick -= 1;
                    // A tick at the very moment of the warning would only blur it.
                    let with_warning = Duration::from_secs(second.into()) == q.warn;
                    if left == Duration::from_secs(second.into()) && !with_warning {
                        events.push(Event {
                            at,
                            index,
                            kind: EventKind::Tick { left: second },
                        });
                    }
                }
                if left.is_zero() {
                    a.timed_up = true;
                    events.push(Event {
                        at,
                        index,
                        kind: EventKind::TimeUp,
                    });
                }
                self.state = State::Running(a);
                if a.timed_up && (self.options.auto || self.options.hard_stop) {
                    self.end_question(Outcome::TimeUp, at, events);
                }
            }
        }
    }

    fn first_tick(&self, limit: Duration) -> u32 {
        // Only whole seconds strictly inside the answer.
        self.options.ticks.min(ceil_secs(limit).saturating_sub(1))
    }

    fn begin_question(&mut self, index: usize, at: Duration, events: &mut Vec<Event>) {
        let q = self.questions[index];
        self.state = State::Running(Active {
            index,
            phase: Phase::Asking,
            timer: Timer::start(at),
            limit: q.limit,
            prep_used: Duration::ZERO,
            paused: Duration::ZERO,
            warned: false,
            next_tick: self.first_tick(q.limit),
            timed_up: false,
            take: 1,
            voice_done: None,
        });
        events.push(Event {
            at,
            index: index + 1,
            kind: EventKind::QuestionStarted,
        });
        if !self.options.speak {
            self.begin_thinking(at, events);
        }
    }

    /// After the question was asked (or at once, without a voice): thinking time if the
    /// question has some, else the answer.
    fn begin_thinking(&mut self, at: Duration, events: &mut Vec<Event>) {
        let State::Running(mut a) = self.state else {
            return;
        };
        let prep = self.questions[a.index].prep;
        a.timer = Timer::start(at);
        a.voice_done = None;
        let kind = if prep.is_zero() {
            a.phase = Phase::Answer;
            self.takes.begin(a.index + 1, a.take);
            EventKind::AnswerStarted
        } else {
            a.phase = Phase::Prep;
            EventKind::PrepStarted
        };
        self.state = State::Running(a);
        events.push(Event {
            at,
            index: a.index + 1,
            kind,
        });
    }

    /// The reading ends: logged if it was heard or cut short.
    fn end_asking(&mut self, heard: bool, cut: bool, at: Duration, events: &mut Vec<Event>) {
        if let State::Running(a) = self.state
            && a.phase == Phase::Asking
            && (heard || cut)
        {
            events.push(Event {
                at,
                index: a.index + 1,
                kind: EventKind::Spoken {
                    speech: a.timer.elapsed(at),
                    cut,
                },
            });
        }
    }

    fn leave_asking(&mut self, heard: bool, cut: bool, at: Duration, events: &mut Vec<Event>) {
        self.end_asking(heard, cut, at, events);
        self.begin_thinking(at, events);
    }

    fn begin_answer(&mut self, at: Duration, events: &mut Vec<Event>) {
        if let State::Running(mut a) = self.state {
            a.prep_used = a.timer.elapsed(at);
            a.phase = Phase::Answer;
            a.timer = Timer::start(at);
            self.state = State::Running(a);
            self.takes.begin(a.index + 1, a.take);
            events.push(Event {
                at,
                index: a.index + 1,
                kind: EventKind::AnswerStarted,
            });
        }
    }

    /// Whether question `index` (0-based) may be taken again.
    fn retakes_left(&self, index: usize) -> bool {
        let State::Running(a) = self.state else {
            return false;
        };
        a.index == index && self.options.retakes.is_none_or(|n| a.take <= n)
    }

    /// The answer starts over as the next take, with its full limit, warning and ticks.
    fn retake(&mut self, at: Duration, events: &mut Vec<Event>) {
        let State::Running(a) = self.state else {
            return;
        };
        if !self.retakes_left(a.index) {
            return;
        }
        let q = self.questions[a.index];
        let answer = match a.phase {
            Phase::Answer => a.timer.elapsed(at),
            _ => Duration::ZERO,
        };
        let index = a.index + 1;
        self.takes.end(index, a.take, at);
        let next = Active {
            phase: Phase::Answer,
            timer: Timer::start(at),
            limit: q.limit,
            warned: false,
            next_tick: self.first_tick(q.limit),
            timed_up: false,
            take: a.take + 1,
            ..a
        };
        self.state = State::Running(next);
        self.takes.begin(index, next.take);
        events.push(Event {
            at,
            index,
            kind: EventKind::Retake {
                take: next.take,
                answer,
            },
        });
        self.settle(at, events);
        events.push(Event {
            at,
            index,
            kind: EventKind::AnswerStarted,
        });
    }

    /// Ends a pause, if there is one, shifting the deadlines by it; returns its length.
    fn resume_if_paused(&mut self, now: Duration) -> Duration {
        if let State::Running(mut a) = self.state
            && let Some(since) = a.timer.paused_since.take()
        {
            let paused = now.saturating_sub(since);
            a.timer.paused_total += paused;
            if a.phase != Phase::Gap {
                a.paused += paused;
            }
            self.state = State::Running(a);
            return paused;
        }
        Duration::ZERO
    }

    fn end_question(&mut self, outcome: Outcome, at: Duration, events: &mut Vec<Event>) {
        let State::Running(a) = self.state else {
            return;
        };
        let q = self.questions[a.index];
        let (answer, prep) = match a.phase {
            Phase::Asking => (Duration::ZERO, Duration::ZERO),
            Phase::Prep => (Duration::ZERO, a.timer.elapsed(at)),
            _ => (a.timer.elapsed(at), a.prep_used),
        };
        let overtime = answer.saturating_sub(a.limit);
        let short = outcome == Outcome::Answered && q.min.is_some_and(|min| answer < min);
        self.outcomes.push((outcome, !overtime.is_zero()));
        events.push(Event {
            at,
            index: a.index + 1,
            kind: EventKind::QuestionEnded {
                outcome,
                answer,
                overtime,
                paused: a.paused,
                prep,
                short,
                take: a.take,
            },
        });
        self.takes.end(a.index + 1, a.take, at);
        self.settle(at, events);
        if outcome == Outcome::Unfinished {
            return;
        }
        let reviewed = self.options.review && outcome != Outcome::Skipped;
        if reviewed && self.options.review_at_end {
            self.pending_reviews.push_back(a.index);
            self.move_on(a.index, at, events);
        } else if reviewed {
            self.begin_review(a.index, at, events);
        } else {
            self.move_on(a.index, at, events);
        }
    }

    /// The review step of answer `index` (0-based).
    fn begin_review(&mut self, index: usize, at: Duration, events: &mut Vec<Event>) {
        let State::Running(a) = self.state else {
            return;
        };
        if self.keys_gone {
            // Nobody can answer: the review is kept empty, as if every prompt was skipped.
            self.review = Some(ReviewStep::new(false));
            self.end_review(index, at, events);
            self.review = None;
            self.move_on(index, at, events);
            return;
        }
        let star = self.questions[index].star && self.options.star_checklist;
        self.review = Some(ReviewStep::new(star));
        self.state = State::Running(Active {
            index,
            phase: Phase::Review,
            timer: Timer::start(at),
            ..a
        });
        events.push(Event {
            at,
            index: index + 1,
            kind: EventKind::ReviewStarted,
        });
    }

    /// After question `index` (0-based): the next question, the gap before it, or the end.
    fn move_on(&mut self, index: usize, at: Duration, events: &mut Vec<Event>) {
        let State::Running(a) = self.state else {
            return;
        };
        let next = index + 1;
        if self.reviewing_at_end || next >= self.questions.len() {
            match self.pending_reviews.pop_front() {
                Some(answer) => {
                    self.reviewing_at_end = true;
                    self.begin_review(answer, at, events);
                }
                None => self.finish(SessionOutcome::Completed, at, events),
            }
        } else if self.options.auto && !self.options.gap.is_zero() {
            self.state = State::Running(Active {
                index: next,
                phase: Phase::Gap,
                timer: Timer::start(at),
                ..a
            });
            events.push(Event {
                at,
                index: a.index + 1,
                kind: EventKind::GapStarted { next: next + 1 },
            });
        } else {
            self.begin_question(next, at, events);
        }
    }

    /// Every take complete by `at`, said; a session that waited for them then ends.
    fn settle(&mut self, at: Duration, events: &mut Vec<Event>) {
        for (index, take) in self.takes.complete(at) {
            push_complete(index, take, at, events);
        }
        self.end_measuring(at, events);
    }

    /// Ends a session that waits for its last takes once none is left to wait for.
    fn end_measuring(&mut self, now: Duration, events: &mut Vec<Event>) {
        if let State::Measuring(outcome) = self.state
            && !self.takes.waiting()
        {
            self.finish(outcome, now, events);
        }
    }

    fn finish(&mut self, outcome: SessionOutcome, at: Duration, events: &mut Vec<Event>) {
        if !matches!(self.state, State::Measuring(_)) {
            self.takes.end_all(at);
            for (index, take) in self.takes.complete(at) {
                push_complete(index, take, at, events);
            }
            if self.takes.waiting() {
                self.state = State::Measuring(outcome);
                return;
            }
        }
        let count = |o: Outcome| self.outcomes.iter().filter(|(x, _)| *x == o).count();
        let kind = EventKind::SessionEnded {
            outcome,
            answered: count(Outcome::Answered),
            skipped: count(Outcome::Skipped),
            timed_out: count(Outcome::TimeUp),
            unfinished: count(Outcome::Unfinished),
            over_time: self.outcomes.iter().filter(|(_, over)| *over).count(),
        };
        events.push(Event {
            at,
            index: self.outcomes.len(),
            kind,
        });
        self.state = State::Finished(outcome);
    }
}

fn push_complete(index: usize, take: u32, at: Duration, events: &mut Vec<Event>) {
    events.push(Event {
        at,
        index,
        kind: EventKind::TakeComplete { take },
    });
}

fn whole_seconds(d: Duration) -> Duration {
    Duration::from_secs(u64::from(ceil_secs(d)))
}

fn ceil_secs(d: Duration) -> u32 {
    d.as_millis().div_ceil(1000).min(u32::MAX as u128) as u32
}

#[cfg(test)]
mod tests;
