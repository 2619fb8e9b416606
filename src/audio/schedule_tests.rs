//! The cue schedule on a manual clock: which cues the engine's events call for, and when.

use std::time::Duration;

use super::{Cue, cue_for};
use crate::session::{Engine, EngineOptions, Input, QuestionTiming};

fn s(secs: u64) -> Duration {
    Duration::from_secs(secs)
}

fn question(limit: u64, warn: u64) -> QuestionTiming {
    QuestionTiming {
        limit: s(limit),
        prep: Duration::ZERO,
        warn: s(warn),
        min: None,
        star: false,
    }
}

/// Steps the engine every 50 ms from `from` to `to`, applying inputs at their moments,
/// and returns every cue with the millisecond it was due.
fn schedule(engine: &mut Engine, inputs: &[(u64, Input)], to: u64) -> Vec<(u128, Cue)> {
    let mut events = engine.start(Duration::ZERO);
    let mut now = 0;
    while now <= to {
        for (at, input) in inputs.iter().filter(|(at, _)| *at == now) {
            events.extend(engine.input(input.clone(), Duration::from_millis(*at)));
        }
        events.extend(engine.advance(Duration::from_millis(now)));
        now += 50;
    }
    events
        .iter()
        .filter_map(|e| cue_for(e).map(|c| (e.at.as_millis(), c)))
        .collect()
}

fn options(ticks: u32) -> EngineOptions {
    EngineOptions {
        ticks,
        ..EngineOptions::default()
    }
}

#[test]
fn a_two_minute_answer() {
    let mut engine = Engine::new(vec![question(120, 30)], options(5));
    let cues = schedule(&mut engine, &[(125_000, Input::Next)], 126_000);
    assert_eq!(
        cues,
        [
            (0, Cue::Start),
            (90_000, Cue::Warning),
            (115_000, Cue::Tick),
            (116_000, Cue::Tick),
            (117_000, Cue::Tick),
            (118_000, Cue::Tick),
            (119_000, Cue::Tick),
            (120_000, Cue::TimeUp),
            (125_000, Cue::Finish),
        ]
    );
}

#[test]
fn ticks_off() {
    let mut engine = Engine::new(vec![question(120, 30)], options(0));
    let cues = schedule(&mut engine, &[(121_000, Input::Next)], 122_000);
    assert_eq!(
        cues,
        [
            (0, Cue::Start),
            (90_000, Cue::Warning),
            (120_000, Cue::TimeUp),
            (121_000, Cue::Finish)
        ]
    );
}

#[test]
fn a_limit_shorter_than_the_warning_threshold_has_no_warning() {
    let mut engine = Engine::new(vec![question(20, 30)], options(3));
    let cues = schedule(&mut engine, &[(20_000, Input::Next)], 21_000);
    assert_eq!(
        cues,
        [
            (0, Cue::Start),
            (17_000, Cue::Tick),
            (18_000, Cue::Tick),
            (19_000, Cue::Tick),
            (20_000, Cue::TimeUp),
            (20_000, Cue::Finish),
        ]
    );
}

#[test]
fn a_pause_spanning_the_warning_moment_moves_it() {
    let mut engine = Engine::new(vec![question(60, 30)], options(0));
    let cues = schedule(
        &mut engine,
        &[(25_000, Input::TogglePause), (40_000, Input::TogglePause)],
        80_000,
    );
    assert_eq!(
        cues,
        [
            (0, Cue::Start),
            (45_000, Cue::Warning),
            (75_000, Cue::TimeUp)
        ]
    );
}

#[test]
fn a_skip_before_the_warning_silences_the_rest() {
    let mut engine = Engine::new(vec![question(60, 30), question(60, 30)], options(5));
    let cues = schedule(
        &mut engine,
        &[(10_000, Input::Skip), (20_000, Input::Quit)],
        100_000,
    );
    // The second answer starts at once; quitting is not completing, so no finish.
    assert_eq!(cues, [(0, Cue::Start), (10_000, Cue::Start)]);
}

#[test]
fn hands_free_runs_every_cue_and_finishes() {
    let mut engine = Engine::new(
        vec![question(4, 1), question(4, 1)],
        EngineOptions {
            auto: true,
            gap: s(2),
            ticks: 2,
            ..EngineOptions::default()
        },
    );
    let cues = schedule(&mut engine, &[], 12_000);
    assert_eq!(
        cues,
        [
            (0, Cue::Start),
            (2_000, Cue::Tick),
            (3_000, Cue::Warning),
            (4_000, Cue::TimeUp),
            (6_000, Cue::Start),
            (8_000, Cue::Tick),
            (9_000, Cue::Warning),
            (10_000, Cue::TimeUp),
            (10_000, Cue::Finish),
        ]
    );
}

#[test]
fn thinking_time_has_its_own_cue() {
    let q = QuestionTiming {
        prep: s(10),
        ..question(30, 10)
    };
    let mut engine = Engine::new(vec![q], options(0));
    let cues = schedule(&mut engine, &[(15_000, Input::Next)], 16_000);
    assert_eq!(
        cues,
        [(0, Cue::Prep), (10_000, Cue::Start), (15_000, Cue::Finish)]
    );
}
