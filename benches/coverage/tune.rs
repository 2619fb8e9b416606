//! The talking-point judge against the panel's labels, for tuning it:
//! `cargo run --example coverage-tune [SPLIT] [--grid]` prints the agreement on every split
//! of `tests/cli/fixtures/coverage/answers.toml`, the disagreements on SPLIT (default
//! "tune"), and with `--grid` the best settings on SPLIT. Choose settings on "tune" only;
//! the test `coverage_agrees_with_the_panel` reports the held-out answers.

use std::collections::BTreeMap;

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

struct Case {
    answer: Answer,
    points: Vec<String>,
    bank: usize,
}

fn judges(banks: &[Bank], settings: Settings) -> Vec<Coverage> {
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

/// Agreement on one split, and its disagreements.
fn agreement(cases: &[Case], judges: &[Coverage], split: &str) -> (usize, usize, Vec<String>) {
    let (mut agree, mut total, mut wrong) = (0, 0, Vec::new());
    for case in cases.iter().filter(|c| c.answer.split == split) {
        let judged = judges[case.bank].judge(&case.points, &case.answer.text);
        for (i, j) in judged.iter().enumerate() {
            let panel = case.answer.covered.contains(&(i + 1));
            total += 1;
            if j.covered == panel {
                agree += 1;
                continue;
            }
            wrong.push(format!(
                "{} point {} (panel {panel}, score {:.2}): {}\n    heard: {}",
                case.answer.question,
                i + 1,
                j.score,
                case.points[i],
                j.heard.as_deref().unwrap_or("-")
            ));
        }
    }
    (agree, total, wrong)
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let grid = args.iter().any(|a| a == "--grid");
    let split = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map_or("tune", String::as_str);
    let banks: Vec<Bank> = ["healthcare-records-manager", "behavioral"]
        .iter()
        .map(|name| rehearse::bank::find(name, None))
        .collect::<Result<_, _>>()?;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("tests/cli/fixtures/coverage/answers.toml"))?;
    let labels: Labels = toml::from_str(&text)?;
    let mut cases = Vec::new();
    for answer in labels.answer {
        let found = banks.iter().enumerate().find_map(|(i, b)| {
            let q = b.questions.iter().find(|q| q.id == answer.question)?;
            Some((i, q.talking_points.clone()))
        });
        let Some((bank, points)) = found else {
            anyhow::bail!("{} is not a built-in question", answer.question);
        };
        cases.push(Case {
            answer,
            points,
            bank,
        });
    }
    let splits: std::collections::BTreeSet<&str> =
        cases.iter().map(|c| c.answer.split.as_str()).collect();
    let defaults = judges(&banks, Settings::default());
    for s in &splits {
        let (agree, total, _) = agreement(&cases, &defaults, s);
        let share = 100.0 * agree as f64 / total.max(1) as f64;
        println!("{s}: {share:.1}% of {total} points");
    }
    let (_, _, wrong) = agreement(&cases, &defaults, split);
    for w in &wrong {
        println!("  {w}");
    }
    if grid {
        print_grid(&cases, &banks, split);
    }
    Ok(())
}

fn print_grid(cases: &[Case], banks: &[Bank], split: &str) {
    let mut results = BTreeMap::new();
    for enough in [3.0, 4.0, 6.0, 8.0] {
        for threshold in [0.4, 0.5, 0.6, 0.7] {
            for min_share in [0.0, 0.15, 0.25, 0.35] {
                for (span, min_terms) in [(1, 1), (2, 1), (2, 2), (3, 1)] {
                    let settings = Settings {
                        enough,
                        threshold,
                        min_terms,
                        span,
                        min_share,
                    };
                    let (agree, _, _) = agreement(cases, &judges(banks, settings), split);
                    results.insert((std::cmp::Reverse(agree), format!("{settings:?}")), ());
                }
            }
        }
    }
    for (agree, settings) in results.keys().take(15) {
        println!("{} agree: {settings}", agree.0);
    }
}
