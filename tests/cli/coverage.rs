//! How often the talking-point judge agrees with a hiring panel's labels
//! (`fixtures/coverage/answers.toml`): reported for the answers it was tuned on and checked
//! on the held-out ones. `cargo run --example coverage-tune -- --grid` prints the
//! disagreements and the agreement of other settings on the tuning answers only, which is
//! how they were chosen.

mod labels;

use labels::{agreement, banks, cases, judges, labels};
use rehearse::analyse::Settings;

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
    let tuned = agreement(&cases, &judges, "tune");
    let held_out = agreement(&cases, &judges, "held-out");
    let (tuned_n, held_n) = (tuned.total, held_out.total);
    let (tuned, held) = (tuned.share(), held_out.share());
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
