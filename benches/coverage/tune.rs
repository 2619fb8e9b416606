//! The talking-point judge against the panel's labels, for tuning it:
//! `cargo run --example coverage-tune [SPLIT] [--grid]` prints the agreement on every split
//! of `tests/cli/fixtures/coverage/answers.toml`, the disagreements on SPLIT (default
//! "tune"), and with `--grid` the best settings on SPLIT. Choose settings on "tune" only;
//! the test `coverage_agrees_with_the_panel` reports the held-out answers.

use std::collections::{BTreeMap, BTreeSet};

use rehearse::analyse::Settings;
use rehearse::bank::Bank;

#[path = "../../tests/cli/coverage/labels.rs"]
mod labels;

use labels::{Case, agreement, banks, cases, judges};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let grid = args.iter().any(|a| a == "--grid");
    let split = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map_or("tune", String::as_str);
    let banks = banks();
    let labels = labels::labels();
    let cases = cases(&labels, &banks);
    let splits: BTreeSet<&str> = cases.iter().map(|c| c.answer.split.as_str()).collect();
    let defaults = judges(&banks, Settings::default());
    for s in &splits {
        let a = agreement(&cases, &defaults, s);
        println!("{s}: {:.1}% of {} points", 100.0 * a.share(), a.total);
    }
    for w in agreement(&cases, &defaults, split).wrong {
        println!("  {w}");
    }
    if grid {
        print_grid(&cases, &banks, split);
    }
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
                    let agree = agreement(cases, &judges(banks, settings), split).agree;
                    results.insert((std::cmp::Reverse(agree), format!("{settings:?}")), ());
                }
            }
        }
    }
    for (agree, settings) in results.keys().take(15) {
        println!("{} agree: {settings}", agree.0);
    }
}
