//! How often the talking-point judge agrees with a hiring panel's labels
//! (`fixtures/coverage/answers.toml`): reported for the answers it was tuned on and checked
//! on the held-out ones. `cargo run --example coverage-tune -- --grid` prints the
//! disagreements and the agreement of other settings on the tuning answers only, which is
//! how they were chosen.

use rehearse::analyse::{Coverage, Settings};
use rehearse::bank::Bank;
use serde::Deserialize;

#[derive(Deserialize)]
struct Labels {
    answer: Vec<Answer>,
}

#[derive(Deserialize)]
struct Answer {
    question: String,
    split: String,
    covered: Vec<usize>,
    text: String,
}

/// Each answer with its question's points and the bank's points.
struct Case<'a> {
    answer: &'a Answer,
    points: Vec<String>,
    bank: usize,
}

fn banks() -> Vec<Bank> {
    ["healthcare-records-manager", "behavioral"]
        .iter()
        .map(|name| rehearse::bank::find(name, None).expect("a built-in bank loads"))
        .collect()
}

fn labels() -> Labels {
    let text = include_str!("fixtures/coverage/answers.toml");
    toml::from_str(text).expect("the labelled answers parse")
}

fn cases<'a>(labels: &'a Labels, banks: &[Bank]) -> Vec<Case<'a>> {
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

/// Agreement with the labels, point by point, on one split; and the disagreements.
fn agreement(cases: &[Case], judges: &[Coverage], split: &str) -> (f64, usize, Vec<String>) {
    let mut agree = 0;
    let mut total = 0;
    let mut wrong = Vec::new();
    for case in cases.iter().filter(|c| c.answer.split == split) {
        let all = judges[case.bank].judge(&case.points, &case.answer.text);
        for (i, judged) in all.iter().enumerate() {
            let panel = case.answer.covered.contains(&(i + 1));
            total += 1;
            if judged.covered == panel {
                agree += 1;
            } else {
                wrong.push(format!(
                    "{} point {}: panel {panel}, judged {} (score {})",
                    case.answer.question,
                    i + 1,
                    judged.covered,
                    judged.score
                ));
            }
        }
    }
    (agree as f64 / total.max(1) as f64, total, wrong)
}

fn judges(banks: &[Bank], settings: Settings) -> Vec<Coverage> {
    banks
        .iter()
        .map(|b| {
            Coverage::new(
                b.questions
                    .iter()
                    .flat_map(|q| q.talking_points.iter().map(String::as_str)),
                settings,
            )
        })
        .collect()
}

#[test]
fn coverage_agrees_with_the_panel() {
    let banks = banks();
    let labels = labels();
    let cases = cases(&labels, &banks);
    let held_out = cases
        .iter()
        .filter(|c| c.answer.split == "held-out")
        .count();
    assert!(
        cases.len() >= 120 && held_out >= 80,
        "{} answers, {held_out} held out",
        cases.len()
    );
    let judges = judges(&banks, Settings::default());
    let (tuned, tuned_n, _) = agreement(&cases, &judges, "tune");
    let (held, held_n, _) = agreement(&cases, &judges, "held-out");
    println!(
        "coverage agreement: {:.1}% of {tuned_n} points tuned on, {:.1}% of {held_n} held out \
         (the issue's target is 85% held out)",
        tuned * 100.0,
        held * 100.0
    );
    // The target of 85% on held-out answers is not reached: the judge agrees with
    // the panel on 75.2% of the 436 held-out points (69.3% of the first 166, 78.9% of the
    // 270 written later by someone who had not read it) (docs/guide.md, "How talking
    // points are judged"). This floor keeps it from falling back; raise it to the target
    // once a judge reaches it on answers it was not tuned on.
    assert!(
        held >= 0.75,
        "held-out agreement {:.1}% is under 75% (target 85%)",
        held * 100.0
    );
}
