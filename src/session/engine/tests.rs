//! The engine on a manual clock: exact event lists at exact moments.

use super::*;
use crate::answer::{Analysis, Kinds};

fn s(secs: u64) -> Duration {
    Duration::from_secs(secs)
}

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

fn timing(limit: u64) -> QuestionTiming {
    QuestionTiming {
        limit: s(limit),
        prep: Duration::ZERO,
        warn: crate::plan::default_warn(s(limit)),
        min: None,
        star: false,
    }
}

fn no_ticks() -> EngineOptions {
    EngineOptions {
        ticks: 0,
        ..EngineOptions::default()
    }
}

/// Runs the engine in steps of 100 ms up to `until`, collecting every event.
fn run_until(engine: &mut Engine, from: Duration, until: Duration) -> Vec<Event> {
    let mut events = Vec::new();
    let mut now = from;
    while now <= until {
        events.extend(engine.advance(now));
        now += ms(100);
    }
    events
}

/// The events as `(ms, question, kind)`, but for the takes' completions, which have tests
/// of their own.
fn kinds(events: &[Event]) -> Vec<(u128, usize, EventKind)> {
    events
        .iter()
        .filter(|e| !matches!(e.kind, EventKind::TakeComplete { .. }))
        .map(|e| (e.at.as_millis(), e.index, e.kind.clone()))
        .collect()
}

fn ended(events: &[Event]) -> Vec<(usize, Outcome, u128, u128)> {
    events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::QuestionEnded {
                outcome,
                answer,
                overtime,
                ..
            } => Some((e.index, outcome, answer.as_millis(), overtime.as_millis())),
            _ => None,
        })
        .collect()
}

#[test]
fn warning_and_time_up_fire_once_at_their_moment() {
    let mut engine = Engine::new(vec![timing(120), timing(60)], no_ticks());
    let mut events = engine.start(s(0));
    assert_eq!(engine.next_deadline(), Some(s(90)));
    events.extend(run_until(&mut engine, s(0), s(200)));
    assert_eq!(
        kinds(&events),
        [
            (0, 1, EventKind::QuestionStarted),
            (0, 1, EventKind::AnswerStarted),
            (90_000, 1, EventKind::Warning),
            (120_000, 1, EventKind::TimeUp),
        ]
    );
    // Overtime counts up until the person moves on; nothing else is scheduled.
    assert_eq!(engine.next_deadline(), None);
    let view = engine.view(s(132)).unwrap();
    assert_eq!((view.elapsed, view.length), (s(132), s(120)));
    let events = engine.input(Input::Next, s(132));
    assert_eq!(ended(&events), [(1, Outcome::Answered, 132_000, 12_000)]);
    assert_eq!(events.last().unwrap().kind, EventKind::AnswerStarted);
    assert_eq!(engine.next_deadline(), Some(s(132 + 45)));
}

#[test]
fn a_late_wake_up_stamps_events_at_their_due_moment() {
    let mut engine = Engine::new(vec![timing(10)], no_ticks());
    engine.start(s(0));
    let events = engine.advance(ms(10_250));
    assert_eq!(
        kinds(&events),
        [
            (7_500, 1, EventKind::Warning),
            (10_000, 1, EventKind::TimeUp)
        ]
    );
}

#[test]
fn pause_shifts_the_deadline_by_exactly_the_pause() {
    let mut engine = Engine::new(vec![timing(60)], no_ticks());
    engine.start(s(0));
    assert_eq!(engine.next_deadline(), Some(s(45)));
    let e = engine.input(Input::TogglePause, ms(20_000));
    assert_eq!(kinds(&e), [(20_000, 1, EventKind::Paused)]);
    assert_eq!(engine.next_deadline(), None, "nothing is due while paused");
    assert!(engine.view(ms(50_000)).unwrap().paused);
    assert_eq!(engine.view(ms(50_000)).unwrap().elapsed, s(20));
    assert!(engine.advance(s(100)).is_empty());
    let e = engine.input(Input::TogglePause, ms(100_123));
    assert_eq!(
        kinds(&e),
        [(100_123, 1, EventKind::Resumed { paused: ms(80_123) })]
    );
    assert_eq!(engine.next_deadline(), Some(ms(45_000 + 80_123)));
    let e = run_until(&mut engine, ms(100_123), s(200));
    assert_eq!(
        kinds(&e),
        [
            (125_123, 1, EventKind::Warning),
            (140_123, 1, EventKind::TimeUp)
        ]
    );
    let e = engine.input(Input::Next, ms(140_123));
    match e[0].kind {
        EventKind::QuestionEnded {
            answer,
            paused,
            overtime,
            ..
        } => {
            assert_eq!(
                (answer, paused, overtime),
                (s(60), ms(80_123), Duration::ZERO)
            );
        }
        ref other => panic!("{other:?}"),
    }
}

#[test]
fn a_pause_spanning_the_warning_moment_delays_it() {
    let mut engine = Engine::new(vec![timing(120)], no_ticks());
    engine.start(s(0));
    engine.input(Input::TogglePause, s(80));
    assert!(engine.advance(s(95)).is_empty());
    engine.input(Input::TogglePause, s(100));
    assert_eq!(engine.next_deadline(), Some(s(110)));
    assert_eq!(
        kinds(&engine.advance(s(110))),
        [(110_000, 1, EventKind::Warning)]
    );
}

#[test]
fn skip_next_and_quit_outcomes() {
    let mut engine = Engine::new(
        vec![timing(60), timing(60), timing(60), timing(60)],
        no_ticks(),
    );
    engine.start(s(0));
    let mut events = engine.input(Input::Skip, s(5));
    events.extend(engine.input(Input::Next, s(50)));
    // Overtime on the third.
    events.extend(run_until(&mut engine, s(50), s(115)));
    events.extend(engine.input(Input::Next, s(120)));
    events.extend(engine.input(Input::Quit, s(130)));
    assert_eq!(
        ended(&events),
        [
            (1, Outcome::Skipped, 5_000, 0),
            (2, Outcome::Answered, 45_000, 0),
            (3, Outcome::Answered, 70_000, 10_000),
            (4, Outcome::Unfinished, 10_000, 0),
        ]
    );
    assert_eq!(
        events.last().unwrap().kind,
        EventKind::SessionEnded {
            outcome: SessionOutcome::Aborted,
            answered: 2,
            skipped: 1,
            timed_out: 0,
            unfinished: 1,
            over_time: 1,
        }
    );
    assert!(engine.is_finished());
    assert!(
        engine.input(Input::Next, s(140)).is_empty(),
        "a finished session ignores keys"
    );
}

#[test]
fn completing_every_question_completes_the_session() {
    let mut engine = Engine::new(vec![timing(60), timing(60)], no_ticks());
    engine.start(s(0));
    engine.input(Input::Next, s(10));
    let events = engine.input(Input::Next, s(20));
    assert!(matches!(
        events.last().unwrap().kind,
        EventKind::SessionEnded {
            outcome: SessionOutcome::Completed,
            answered: 2,
            ..
        }
    ));
}

#[test]
fn auto_mode_ends_at_time_up_and_starts_the_next_after_the_gap() {
    let options = EngineOptions {
        auto: true,
        gap: s(3),
        ..no_ticks()
    };
    let mut engine = Engine::new(vec![timing(8), timing(8)], options);
    let mut events = engine.start(s(0));
    events.extend(run_until(&mut engine, s(0), s(30)));
    assert_eq!(
        kinds(&events),
        [
            (0, 1, EventKind::QuestionStarted),
            (0, 1, EventKind::AnswerStarted),
            (6_000, 1, EventKind::Warning),
            (8_000, 1, EventKind::TimeUp),
            (
                8_000,
                1,
                EventKind::QuestionEnded {
                    outcome: Outcome::TimeUp,
                    answer: s(8),
                    overtime: Duration::ZERO,
                    paused: Duration::ZERO,
                    prep: Duration::ZERO,
                    short: false,
                    take: 1,
                }
            ),
            (8_000, 1, EventKind::GapStarted { next: 2 }),
            (11_000, 2, EventKind::QuestionStarted),
            (11_000, 2, EventKind::AnswerStarted),
            (17_000, 2, EventKind::Warning),
            (19_000, 2, EventKind::TimeUp),
            (
                19_000,
                2,
                EventKind::QuestionEnded {
                    outcome: Outcome::TimeUp,
                    answer: s(8),
                    overtime: Duration::ZERO,
                    paused: Duration::ZERO,
                    prep: Duration::ZERO,
                    short: false,
                    take: 1,
                }
            ),
            (
                19_000,
                2,
                EventKind::SessionEnded {
                    outcome: SessionOutcome::Completed,
                    answered: 0,
                    skipped: 0,
                    timed_out: 2,
                    unfinished: 0,
                    over_time: 0,
                }
            ),
        ]
    );
}

#[test]
fn auto_mode_with_no_gap_moves_straight_on() {
    let options = EngineOptions {
        auto: true,
        gap: Duration::ZERO,
        ..no_ticks()
    };
    let mut engine = Engine::new(vec![timing(1), timing(1), timing(1)], options);
    engine.start(s(0));
    let events = engine.advance(s(3));
    let starts: Vec<u128> = events
        .iter()
        .filter(|e| e.kind == EventKind::AnswerStarted)
        .map(|e| e.at.as_millis())
        .collect();
    assert_eq!(starts, [1_000, 2_000]);
    assert!(engine.is_finished());
}

#[test]
fn input_closing_during_overtime_ends_the_question_hands_free() {
    let options = EngineOptions {
        gap: Duration::ZERO,
        ..no_ticks()
    };
    let mut engine = Engine::new(vec![timing(10), timing(10)], options);
    engine.start(s(0));
    engine.advance(s(12));
    let events = engine.input(Input::Auto, s(12));
    assert_eq!(ended(&events), [(1, Outcome::TimeUp, 12_000, 2_000)]);
    assert!(engine.is_auto());
}

#[test]
fn gap_can_be_cut_short_and_paused() {
    let options = EngineOptions {
        auto: true,
        gap: s(5),
        ..no_ticks()
    };
    let mut engine = Engine::new(vec![timing(4), timing(4), timing(4)], options);
    engine.start(s(0));
    engine.advance(s(4));
    assert_eq!(engine.view(s(5)).unwrap().phase, Phase::Gap);
    let events = engine.input(Input::Next, s(5));
    assert_eq!(kinds(&events)[0], (5_000, 2, EventKind::QuestionStarted));
    engine.advance(s(9));
    engine.input(Input::TogglePause, s(10));
    assert!(engine.advance(s(30)).is_empty());
    engine.input(Input::TogglePause, s(30));
    assert_eq!(engine.next_deadline(), Some(s(34)));
}

#[test]
fn ticks_sound_each_second_of_the_last_five_but_not_over_the_warning() {
    let mut engine = Engine::new(vec![timing(20)], EngineOptions::default());
    engine.start(s(0));
    let events = run_until(&mut engine, s(0), s(21));
    assert_eq!(
        kinds(&events),
        [
            (15_000, 1, EventKind::Warning),
            (16_000, 1, EventKind::Tick { left: 4 }),
            (17_000, 1, EventKind::Tick { left: 3 }),
            (18_000, 1, EventKind::Tick { left: 2 }),
            (19_000, 1, EventKind::Tick { left: 1 }),
            (20_000, 1, EventKind::TimeUp),
        ]
    );
}

#[test]
fn ticks_never_outnumber_the_seconds_of_a_short_answer() {
    let mut engine = Engine::new(vec![timing(3)], EngineOptions::default());
    engine.start(s(0));
    let ticks: Vec<_> = run_until(&mut engine, s(0), s(4))
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Tick { left } => Some(left),
            _ => None,
        })
        .collect();
    assert_eq!(ticks, [2, 1]);
}

#[test]
fn prep_phase_runs_before_the_answer_and_can_be_cut_short() {
    let q = QuestionTiming {
        prep: s(20),
        ..timing(60)
    };
    let mut engine = Engine::new(vec![q, q], no_ticks());
    let mut events = engine.start(s(0));
    assert_eq!(engine.view(s(5)).unwrap().phase, Phase::Prep);
    events.extend(engine.advance(s(20)));
    events.extend(engine.input(Input::Next, s(50)));
    events.extend(engine.input(Input::Next, s(58)));
    events.extend(engine.input(Input::Next, s(70)));
    let starts: Vec<_> = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::PrepStarted | EventKind::AnswerStarted))
        .map(|e| (e.at.as_secs(), e.index, e.kind.clone()))
        .collect();
    assert_eq!(
        starts,
        [
            (0, 1, EventKind::PrepStarted),
            (20, 1, EventKind::AnswerStarted),
            (50, 2, EventKind::PrepStarted),
            (58, 2, EventKind::AnswerStarted),
        ]
    );
    let preps: Vec<_> = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::QuestionEnded { prep, answer, .. } => {
                Some((prep.as_secs(), answer.as_secs()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(preps, [(20, 30), (8, 12)]);
}

#[test]
fn more_and_less_time_move_the_deadline() {
    let mut engine = Engine::new(vec![timing(60)], no_ticks());
    engine.start(s(0));
    let e = engine.input(Input::MoreTime, s(10));
    assert_eq!(
        kinds(&e),
        [(
            10_000,
            1,
            EventKind::TimeAdjusted {
                delta_ms: 30_000,
                limit: s(90)
            }
        )]
    );
    assert_eq!(
        engine.next_deadline(),
        Some(s(75)),
        "warning 15 s before the new end"
    );
    engine.input(Input::LessTime, s(20));
    // 30 s limit, 21 s gone: the warning (15 s before the end) is past, so it sounds now.
    let e = engine.input(Input::LessTime, s(21));
    assert_eq!(
        kinds(&e),
        [
            (
                21_000,
                1,
                EventKind::TimeAdjusted {
                    delta_ms: -30_000,
                    limit: s(30)
                }
            ),
            (21_000, 1, EventKind::Warning),
        ]
    );
    // Never below the time spent and 5 s more: a late `-` cannot cause an overrun.
    let e = engine.input(Input::LessTime, s(22));
    assert_eq!(
        kinds(&e),
        [(
            22_000,
            1,
            EventKind::TimeAdjusted {
                delta_ms: -3_000,
                limit: s(27)
            }
        )]
    );
    assert!(
        engine.input(Input::LessTime, s(23)).is_empty(),
        "at the floor already: nothing changes"
    );
    assert_eq!(engine.next_deadline(), Some(s(27)));
    // Time given back re-arms the countdown.
    engine.input(Input::MoreTime, s(24));
    assert_eq!(
        engine.next_deadline(),
        Some(s(42)),
        "warning 15 s before 57 s"
    );
}

#[test]
fn a_skipped_question_asks_for_no_rating() {
    let options = EngineOptions {
        review: true,
        ..no_ticks()
    };
    let mut engine = Engine::new(vec![timing(60), timing(60)], options);
    engine.start(s(0));
    let e = engine.input(Input::Skip, s(5));
    assert_eq!(
        kinds(&e)[1..],
        [
            (5_000, 2, EventKind::QuestionStarted),
            (5_000, 2, EventKind::AnswerStarted)
        ]
    );
}

#[test]
fn answering_before_the_minimum_is_flagged_short() {
    let q = QuestionTiming {
        min: Some(s(30)),
        ..timing(60)
    };
    let mut engine = Engine::new(vec![q, q, q], no_ticks());
    engine.start(s(0));
    let flags: Vec<bool> = [
        engine.input(Input::Next, s(10)),
        engine.input(Input::Next, s(45)),
        engine.input(Input::Skip, s(50)),
    ]
    .iter()
    .map(|events| match events[0].kind {
        EventKind::QuestionEnded { short, .. } => short,
        ref other => panic!("{other:?}"),
    })
    .collect();
    assert_eq!(flags, [true, false, false]);
}

#[test]
fn quitting_while_paused_counts_the_pause() {
    let mut engine = Engine::new(vec![timing(60)], no_ticks());
    engine.start(s(0));
    engine.input(Input::TogglePause, s(10));
    let e = engine.input(Input::Quit, s(25));
    match e[0].kind {
        EventKind::QuestionEnded {
            outcome,
            answer,
            paused,
            ..
        } => {
            assert_eq!(
                (outcome, answer, paused),
                (Outcome::Unfinished, s(10), s(15))
            );
        }
        ref other => panic!("{other:?}"),
    }
}

#[test]
fn the_review_step_waits_after_each_answer_and_before_the_end() {
    let options = EngineOptions {
        review: true,
        ..no_ticks()
    };
    let mut engine = Engine::new(vec![timing(60), timing(60)], options);
    engine.start(s(0));
    let e = engine.input(Input::Next, s(10));
    assert_eq!(kinds(&e)[1], (10_000, 1, EventKind::ReviewStarted));
    assert_eq!(engine.view(s(30)).unwrap().phase, Phase::Review);
    assert_eq!(
        engine.next_deadline(),
        None,
        "no clock runs while reviewing"
    );
    assert!(engine.input(Input::TogglePause, s(31)).is_empty());
    // Enter at the rating skips it; Enter at the note ends the step.
    let e = engine.input(Input::Next, s(35));
    assert_eq!(kinds(&e), [(35_000, 1, EventKind::Rated { rating: None })]);
    let e = engine.input(Input::Next, s(40));
    assert_eq!(
        kinds(&e),
        [
            (
                40_000,
                1,
                EventKind::Reviewed {
                    review: Default::default()
                }
            ),
            (40_000, 2, EventKind::QuestionStarted),
            (40_000, 2, EventKind::AnswerStarted)
        ]
    );
    // The last answer runs over; its review still comes before the end.
    assert_eq!(
        engine.advance(s(100)).last().unwrap().kind,
        EventKind::TimeUp
    );
    let e = engine.input(Input::Next, s(110));
    assert_eq!(e.last().unwrap().kind, EventKind::ReviewStarted);
    engine.input(Input::Review(crate::coach::ReviewInput::Rate(4)), s(115));
    let e = engine.input(Input::Quit, s(120));
    assert_eq!(
        ended(&e),
        [],
        "quitting in review leaves nothing unfinished"
    );
    assert_eq!(
        e[0].kind,
        EventKind::Reviewed {
            review: crate::coach::SelfReview {
                rating: Some(4),
                ..Default::default()
            }
        },
        "and keeps the rating already given"
    );
    assert!(matches!(
        e.last().unwrap().kind,
        EventKind::SessionEnded {
            outcome: SessionOutcome::Aborted,
            answered: 2,
            unfinished: 0,
            ..
        }
    ));
}

fn recording(index: usize) -> Analysis {
    Analysis::Spoken(crate::answer::Spoken {
        index,
        take: 1,
        ..crate::answer::Spoken::sample(5000, Some(1500), 3000, 0, 0)
    })
}

fn recorded() -> EngineOptions {
    EngineOptions {
        analyses: Kinds::SPOKEN,
        ..no_ticks()
    }
}

#[test]
fn a_recorded_session_ends_after_the_last_answers_figures() {
    let mut engine = Engine::new(vec![timing(60), timing(60)], recorded());
    engine.start(Duration::ZERO);
    engine.input(Input::Next, s(5));
    // The first answer's figures come while the second is answered: they are an event.
    let events = engine.input(Input::Analysed(recording(1)), ms(5100));
    assert_eq!(
        kinds(&events),
        vec![(5100, 1, EventKind::Analysed(recording(1)))]
    );
    let events = engine.input(Input::Next, s(9));
    assert!(!engine.is_finished(), "{events:?}");
    assert!(
        !events
            .iter()
            .any(|e| matches!(e.kind, EventKind::SessionEnded { .. }))
    );
    let events = kinds(&engine.input(Input::Analysed(recording(2)), ms(9150)));
    let at: Vec<_> = events.iter().map(|(at, i, _)| (*at, *i)).collect();
    assert_eq!(at, vec![(9150, 2), (9150, 2)]);
    assert!(matches!(
        events[1].2,
        EventKind::SessionEnded { answered: 2, .. }
    ));
    assert!(engine.is_finished());
}

#[test]
fn a_recording_that_never_comes_holds_the_end_two_seconds_at_most() {
    let mut engine = Engine::new(vec![timing(60)], recorded());
    engine.start(Duration::ZERO);
    engine.input(Input::Next, s(4));
    assert_eq!(engine.next_deadline(), Some(s(6)));
    let events = kinds(&engine.advance(s(6)));
    assert!(matches!(events[0].2, EventKind::SessionEnded { .. }));
    assert_eq!(events[0].0, 6000);

    // Without a microphone nothing is waited for.
    let mut engine = Engine::new(vec![timing(60)], recorded());
    engine.start(Duration::ZERO);
    engine.input(Input::Unavailable(Kinds::SPOKEN), ms(10));
    let events = engine.input(Input::Next, s(4));
    assert!(engine.is_finished(), "{events:?}");
}

#[test]
fn quitting_mid_answer_keeps_its_recording() {
    let mut engine = Engine::new(vec![timing(60), timing(60)], recorded());
    engine.start(Duration::ZERO);
    engine.input(Input::Quit, s(3));
    assert!(!engine.is_finished());
    let events = kinds(&engine.input(Input::Analysed(recording(1)), ms(3050)));
    assert!(matches!(events[0].2, EventKind::Analysed(_)));
    assert!(matches!(
        events[1].2,
        EventKind::SessionEnded {
            outcome: SessionOutcome::Aborted,
            unfinished: 1,
            ..
        }
    ));
}

fn takes(events: &[Event]) -> Vec<(u128, EventKind)> {
    events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Retake { .. }
                    | EventKind::AnswerStarted
                    | EventKind::QuestionEnded { .. }
            )
        })
        .map(|e| (e.at.as_millis(), e.kind.clone()))
        .collect()
}

#[test]
fn a_retake_during_the_answer_starts_it_again_with_its_whole_limit() {
    let mut e = Engine::new(vec![timing(60)], no_ticks());
    let mut events = e.start(s(0));
    events.extend(e.input(Input::LessTime, s(10)));
    events.extend(e.input(Input::Retake, s(20)));
    // The limit is back to 60 s from the retake, not the 30 s left after `-`.
    events.extend(run_until(&mut e, s(20), s(81)));
    assert_eq!(
        takes(&events),
        [
            (0, EventKind::AnswerStarted),
            (
                20_000,
                EventKind::Retake {
                    take: 2,
                    answer: s(20)
                }
            ),
            (20_000, EventKind::AnswerStarted),
        ]
    );
    let time_up: Vec<_> = events
        .iter()
        .filter(|ev| ev.kind == EventKind::TimeUp)
        .map(|ev| ev.at.as_millis())
        .collect();
    assert_eq!(
        time_up,
        [80_000],
        "60 s from the retake; the first take's limit is gone"
    );
    events.extend(e.input(Input::Next, s(85)));
    let last = events
        .iter()
        .rev()
        .find_map(|ev| match ev.kind {
            EventKind::QuestionEnded { answer, take, .. } => Some((answer, take)),
            _ => None,
        })
        .unwrap();
    assert_eq!(last, (s(65), 2), "the second take ran from 20 s to 85 s");
}

#[test]
fn a_retake_at_the_rating_keeps_the_first_take_and_counts_the_question_once() {
    let options = EngineOptions {
        review: true,
        ..no_ticks()
    };
    let mut e = Engine::new(vec![timing(60)], options);
    let mut events = e.start(s(0));
    events.extend(e.input(Input::Next, s(30)));
    assert_eq!(e.view(s(30)).unwrap().phase, Phase::Review);
    events.extend(e.input(Input::Retake, s(32)));
    assert_eq!(e.view(s(32)).unwrap().phase, Phase::Answer);
    events.extend(e.input(Input::Next, s(50)));
    // No rating, no note.
    events.extend(e.input(Input::Next, s(51)));
    events.extend(e.input(Input::Next, s(52)));
    let ended: Vec<_> = events
        .iter()
        .filter_map(|ev| match ev.kind {
            EventKind::QuestionEnded { answer, take, .. } => Some((answer, take)),
            _ => None,
        })
        .collect();
    assert_eq!(ended, [(s(30), 1), (s(18), 2)]);
    let reviewed = events
        .iter()
        .filter(|ev| matches!(ev.kind, EventKind::Reviewed { .. }))
        .count();
    assert_eq!(reviewed, 1, "only the take that was rated is reviewed");
    assert!(matches!(
        events.last().unwrap().kind,
        EventKind::SessionEnded { answered: 1, .. }
    ));
}

#[test]
fn retakes_stop_at_the_limit_of_takes() {
    for (retakes, expected) in [(Some(0), 1), (Some(1), 2), (None, 4)] {
        let options = EngineOptions {
            retakes,
            ..no_ticks()
        };
        let mut e = Engine::new(vec![timing(60)], options);
        let mut events = e.start(s(0));
        for at in [5, 10, 15] {
            events.extend(e.input(Input::Retake, s(at)));
        }
        events.extend(e.input(Input::Next, s(20)));
        let take = events
            .iter()
            .find_map(|ev| match ev.kind {
                EventKind::QuestionEnded { take, .. } => Some(take),
                _ => None,
            })
            .unwrap();
        assert_eq!(take, expected, "retakes {retakes:?}");
    }
}

#[test]
fn a_one_way_interview_stops_at_the_limit_and_reviews_every_answer_at_the_end() {
    let options = EngineOptions {
        review: true,
        hard_stop: true,
        review_at_end: true,
        ..no_ticks()
    };
    let mut e = Engine::new(vec![timing(10), timing(10)], options);
    let mut events = e.start(s(0));
    // The first answer runs out: it ends there, with no overtime, and the next begins.
    events.extend(run_until(&mut e, s(0), s(10)));
    assert_eq!(e.view(s(10)).unwrap().index, 2);
    assert_eq!(e.view(s(10)).unwrap().phase, Phase::Answer);
    events.extend(e.input(Input::Next, s(14)));
    // Both answers are done: now the review of the first, then of the second.
    let view = e.view(s(14)).unwrap();
    assert_eq!((view.index, view.phase), (1, Phase::Review));
    events.extend(e.input(Input::Review(ReviewInput::Rate(4)), s(15)));
    events.extend(e.input(Input::Retake, s(15)));
    assert_eq!(
        e.view(s(15)).unwrap().phase,
        Phase::Review,
        "no retake once the interview is over"
    );
    events.extend(e.input(Input::Next, s(16)));
    let view = e.view(s(16)).unwrap();
    assert_eq!((view.index, view.phase), (2, Phase::Review));
    events.extend(e.input(Input::Quit, s(17)));
    assert_eq!(
        ended(&events),
        [
            (1, Outcome::TimeUp, 10_000, 0),
            (2, Outcome::Answered, 4_000, 0)
        ]
    );
    let reviewed: Vec<_> = events
        .iter()
        .filter_map(|ev| match &ev.kind {
            EventKind::Reviewed { review } => Some((ev.index, review.rating)),
            _ => None,
        })
        .collect();
    assert_eq!(reviewed, [(1, Some(4))]);
    assert_eq!(
        e.outcome(),
        Some(SessionOutcome::Completed),
        "every question was asked; only the coaching was cut short"
    );
}

#[test]
fn a_one_way_interview_refuses_pause_and_more_time_and_says_so() {
    let options = EngineOptions {
        hard_stop: true,
        ..no_ticks()
    };
    let mut e = Engine::new(vec![timing(10)], options);
    e.start(s(0));
    assert_eq!(
        kinds(&e.input(Input::TogglePause, s(2))),
        [(2000, 1, EventKind::Refused(Refusal::Pause))]
    );
    assert_eq!(
        kinds(&e.input(Input::MoreTime, s(3))),
        [(3000, 1, EventKind::Refused(Refusal::MoreTime))]
    );
    let view = e.view(s(4)).unwrap();
    assert!(!view.paused, "not paused");
    assert_eq!(view.length, s(10), "the limit stands");
    assert_eq!(
        ended(&run_until(&mut e, s(4), s(10))),
        [(1, Outcome::TimeUp, 10_000, 0)]
    );
}

fn speaking() -> EngineOptions {
    EngineOptions {
        speak: true,
        ..no_ticks()
    }
}

fn spoken(index: usize) -> Input {
    Input::Spoken { index, heard: true }
}

#[test]
fn a_spoken_question_is_asked_before_its_answer_clock_starts() {
    let mut engine = Engine::new(vec![timing(60), timing(60)], speaking());
    let e = engine.start(s(0));
    assert_eq!(kinds(&e), [(0, 1, EventKind::QuestionStarted)]);
    let view = engine.view(ms(2_000)).unwrap();
    assert_eq!((view.phase, view.elapsed), (Phase::Asking, ms(2_000)));
    assert_eq!(
        engine.next_deadline(),
        None,
        "the voice says when it is done"
    );
    assert!(run_until(&mut engine, s(0), s(100)).is_empty());
    // A word from the voice about another question changes nothing.
    assert!(engine.input(spoken(2), ms(3_000)).is_empty());
    let e = engine.input(spoken(1), ms(4_250));
    assert_eq!(
        kinds(&e),
        [
            (
                4_250,
                1,
                EventKind::Spoken {
                    speech: ms(4_250),
                    cut: false
                }
            ),
            (4_250, 1, EventKind::AnswerStarted),
        ]
    );
    // The answer's clock starts after the reading: time up is 60 s after it.
    assert_eq!(engine.next_deadline(), Some(ms(4_250 + 45_000)));
    let e = engine.input(Input::Next, ms(34_250));
    assert_eq!(ended(&e), [(1, Outcome::Answered, 30_000, 0)]);
    assert_eq!(
        kinds(&e)[1..],
        [(34_250, 2, EventKind::QuestionStarted)],
        "the next question is asked too"
    );
    // A late word about the first question is stale.
    assert!(engine.input(spoken(1), ms(35_000)).is_empty());
    assert_eq!(engine.view(ms(35_000)).unwrap().phase, Phase::Asking);
}

#[test]
fn enter_cuts_the_reading_short_and_thinking_time_follows() {
    let mut q = timing(30);
    q.prep = s(10);
    let mut engine = Engine::new(vec![q], speaking());
    engine.start(s(0));
    let e = engine.input(Input::Next, ms(1_500));
    assert_eq!(
        kinds(&e),
        [
            (
                1_500,
                1,
                EventKind::Spoken {
                    speech: ms(1_500),
                    cut: true
                }
            ),
            (1_500, 1, EventKind::PrepStarted),
        ]
    );
    assert_eq!(engine.next_deadline(), Some(ms(11_500)));
    // The voice's own word, now late, is ignored.
    assert!(engine.input(spoken(1), ms(1_600)).is_empty());
    let e = engine.advance(ms(11_500));
    assert_eq!(kinds(&e), [(11_500, 1, EventKind::AnswerStarted)]);
    let e = engine.input(Input::Next, ms(21_500));
    let EventKind::QuestionEnded { answer, prep, .. } = e[0].kind else {
        panic!("{e:?}");
    };
    assert_eq!((answer, prep), (s(10), s(10)), "speech is neither");
}

#[test]
fn pause_holds_the_reading_and_its_time() {
    let mut engine = Engine::new(vec![timing(30)], speaking());
    engine.start(s(0));
    let e = engine.input(Input::TogglePause, s(1));
    assert_eq!(kinds(&e), [(1_000, 1, EventKind::Paused)]);
    assert!(engine.view(s(5)).unwrap().paused);
    engine.input(Input::TogglePause, s(6));
    let e = engine.input(spoken(1), s(8));
    assert_eq!(
        e[0].kind,
        EventKind::Spoken {
            speech: s(3),
            cut: false
        },
        "the pause is not speech"
    );
    let e = engine.input(Input::Next, s(18));
    let EventKind::QuestionEnded { answer, paused, .. } = e[0].kind else {
        panic!("{e:?}");
    };
    assert_eq!((answer, paused), (s(10), s(5)));
}

#[test]
fn the_voice_done_during_a_pause_starts_the_answer_when_it_ends() {
    let mut engine = Engine::new(vec![timing(30)], speaking());
    engine.start(s(0));
    engine.input(Input::TogglePause, s(1));
    assert!(engine.input(spoken(1), s(2)).is_empty());
    let e = engine.input(Input::TogglePause, s(4));
    assert_eq!(
        kinds(&e),
        [
            (4_000, 1, EventKind::Resumed { paused: s(3) }),
            (
                4_000,
                1,
                EventKind::Spoken {
                    speech: s(1),
                    cut: false
                }
            ),
            (4_000, 1, EventKind::AnswerStarted),
        ]
    );
}

#[test]
fn a_question_the_voice_could_not_read_starts_at_once_and_logs_no_speech() {
    let mut engine = Engine::new(vec![timing(30)], speaking());
    engine.start(s(0));
    let e = engine.input(
        Input::Spoken {
            index: 1,
            heard: false,
        },
        ms(3),
    );
    assert_eq!(kinds(&e), [(3, 1, EventKind::AnswerStarted)]);
}

#[test]
fn skipping_or_quitting_while_asked_cuts_the_reading() {
    let mut engine = Engine::new(vec![timing(30), timing(30)], speaking());
    engine.start(s(0));
    let e = engine.input(Input::Skip, s(2));
    assert_eq!(
        e[0].kind,
        EventKind::Spoken {
            speech: s(2),
            cut: true
        }
    );
    assert_eq!(ended(&e), [(1, Outcome::Skipped, 0, 0)]);
    let e = engine.input(Input::Quit, s(3));
    assert_eq!(
        e[0].kind,
        EventKind::Spoken {
            speech: s(1),
            cut: true
        }
    );
    assert_eq!(ended(&e), [(2, Outcome::Unfinished, 0, 0)]);
    assert_eq!(engine.outcome(), Some(SessionOutcome::Aborted));
}

#[test]
fn hands_free_each_question_is_asked_after_the_gap() {
    let options = EngineOptions {
        auto: true,
        gap: s(2),
        ..speaking()
    };
    let mut engine = Engine::new(vec![timing(10), timing(10)], options);
    engine.start(s(0));
    engine.input(spoken(1), s(3));
    let e = run_until(&mut engine, s(3), s(20));
    assert_eq!(
        kinds(&e).last().unwrap(),
        &(15_000, 2, EventKind::QuestionStarted),
        "time up at 13 s, the gap, then the second question, asked"
    );
    assert_eq!(engine.view(s(16)).unwrap().phase, Phase::Asking);
    assert_eq!(engine.next_deadline(), None);
}

/// `-` late in an answer leaves the time spent and five seconds more, rounded up to a
/// whole second: the answer, its limit and its overtime then add up as shown.
#[test]
fn less_time_leaves_a_whole_second_limit() {
    let mut engine = Engine::new(vec![timing(12)], no_ticks());
    engine.start(Duration::ZERO);
    let events = engine.input(Input::LessTime, ms(5_500));
    let limits: Vec<Duration> = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::TimeAdjusted { limit, .. } => Some(limit),
            _ => None,
        })
        .collect();
    assert_eq!(limits, [s(11)]);
}
