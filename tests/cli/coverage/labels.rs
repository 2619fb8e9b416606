//! The panel's labelled answers (`fixtures/coverage/answers.toml`) and the judge's
//! agreement with them, shared by the test `coverage_agrees_with_the_panel` and the
//! tuning example (`benches/coverage/tune.rs`).

use rehearse::analyse::{Coverage, Settings};
use rehearse::bank::Bank;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Labels {
    pub answer: Vec<Answer>,
}

#[derive(Deserialize)]
pub struct Answer {
    pub question: String,
    pub split: String,
    pub covered: Vec<usize>,
    pub text: String,
}

/// Each answer with its question's points and which bank it is from.
pub struct Case<'a> {
    pub answer: &'a Answer,
    pub points: Vec<String>,
    pub bank: usize,
}

/// How far the judge agreed with the panel on one split.
pub struct Agreement {
    pub agree: usize,
    pub total: usize,
    /// Each point judged otherwise, with its score and what was heard for it.
    pub wrong: Vec<String>,
}

impl Agreement {
    pub fn share(&self) -> f64 {
        self.agree as f64 / self.total.max(1) as f64
    }
}

/// The two built-in banks the answers are for.
pub fn banks() -> Vec<Bank> {
    ["healthcare-records-manager", "behavioral"]
        .iter()
        .map(|name| rehearse::bank::find(name, None).expect("a built-in bank loads"))
        .collect()
}

pub fn labels() -> Labels {
    let text = include_str!("../fixtures/coverage/answers.toml");
    toml::from_str(text).expect("the labelled answers parse")
}

/// Every answer with its question; a question that is not built in, or a point number it
/// does not have, fails.
pub fn cases<'a>(labels: &'a Labels, banks: &[Bank]) -> Vec<Case<'a>> {
    labels
        .answer
        .iter()
        .map(|answer| {
            let (bank, question) = banks
                .iter()
                .enumerate()
                .find_map(|(i, b)| {
                    b.questions
                        .iter()
                        .find(|q| q.id == answer.question)
                        .map(|q| (i, q))
                })
                .unwrap_or_else(|| panic!("{} is not a built-in question", answer.question));
            for n in &answer.covered {
                assert!(
                    (1..=question.talking_points.len()).contains(n),
                    "{}: no point {n}",
                    answer.question
                );
            }
            Case {
                answer,
                points: question.talking_points.clone(),
                bank,
            }
        })
        .collect()
}

/// A judge for each bank, weighing terms by all of the bank's points.
pub fn judges(banks: &[Bank], settings: Settings) -> Vec<Coverage> {
    banks
        .iter()
        .map(|b| {
            let all = b
                .questions
                .iter()
                .flat_map(|q| q.talking_points.iter().map(String::as_str));
            Coverage::new(all, settings)
        })
        .collect()
}

/// Agreement with the labels, point by point, on one split.
pub fn agreement(cases: &[Case], judges: &[Coverage], split: &str) -> Agreement {
    let mut out = Agreement {
        agree: 0,
        total: 0,
        wrong: Vec::new(),
    };
    for case in cases.iter().filter(|c| c.answer.split == split) {
        let judged = judges[case.bank].judge(&case.points, &case.answer.text);
        for (i, j) in judged.iter().enumerate() {
            let panel = case.answer.covered.contains(&(i + 1));
            out.total += 1;
            if j.covered == panel {
                out.agree += 1;
                continue;
            }
            out.wrong.push(format!(
                "{} point {} (panel {panel}, score {:.2}): {}\n    heard: {}",
                case.answer.question,
                i + 1,
                j.score,
                case.points[i],
                j.heard.as_deref().unwrap_or("-")
            ));
        }
    }
    out
}
