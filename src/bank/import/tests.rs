//! Importer tests on the project's own fixtures (`tests/cli/fixtures/import/`), one per
//! format and quirk, with the exact questions expected.

use std::path::Path;

use super::*;
use crate::bank::BankError;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cli/fixtures/import/");

fn fixture(name: &str) -> (String, std::path::PathBuf) {
    let path = Path::new(FIXTURES).join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    (text, path)
}

fn import_fixture(name: &str) -> Imported {
    let (text, path) = fixture(name);
    let format = Format::from_path(&path).unwrap();
    import(&text, Path::new(name), format).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// (category, text, follow-ups) of every question, in order.
fn questions(bank: &Bank) -> Vec<(&str, &str, Vec<&str>)> {
    bank.questions
        .iter()
        .map(|q| {
            (
                q.category.as_str(),
                q.text.as_str(),
                q.follow_ups.iter().map(String::as_str).collect(),
            )
        })
        .collect()
}

fn talking_points<'a>(bank: &'a Bank, text: &str) -> Vec<&'a str> {
    let q = bank.questions.iter().find(|q| q.text == text).unwrap();
    q.talking_points.iter().map(String::as_str).collect()
}

#[test]
fn markdown_quirks() {
    let Imported { bank, report } = import_fixture("quirks.md");
    assert_eq!(bank.name, "Site Reliability Interview Questions");
    assert_eq!(
        questions(&bank),
        [
            (
                "On-call",
                "How do you decide whether an alert should page someone?",
                vec![]
            ),
            (
                "On-call",
                "Walk me through the last incident you led.",
                vec![]
            ),
            ("On-call", "What goes into a good post-mortem?", vec![]),
            (
                "Observability",
                "What is the difference between metrics, logs & traces?",
                vec!["Which would you add first to a new service?", "And why?"]
            ),
            (
                "Observability",
                "How do you keep dashboards <useful>?",
                vec![]
            ),
            (
                "Observability",
                "Tell me about an SLO you set and what it changed.",
                vec![]
            ),
            (
                "Why does this matter?",
                "Describe capacity planning for a service that doubles every year.",
                vec![]
            ),
            (
                "Why does this matter?",
                "How would you roll back a bad deploy?",
                vec![]
            ),
            (
                "Capacity",
                "How do you load test safely in production?",
                vec![]
            ),
        ]
    );
    assert_eq!(
        talking_points(
            &bank,
            "Describe capacity planning for a service that doubles every year."
        ),
        ["Mention headroom, load tests and lead time for hardware."]
    );
    assert_eq!(
        report.to_string(),
        "imported 9 questions (2 follow-ups) in 4 categories from quirks.md; skipped: \
         front matter, 1 HTML block, 1 JSX tag, 1 MDX import line, 1 code block, 1 table, \
         4 images, 1 link line"
    );
    let ids: Vec<&str> = bank.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "decide-whether-alert-should-page",
            "walk-through-last-incident-led",
            "goes-into-good-post-mortem",
            "difference-between-metrics-logs-traces",
            "keep-dashboards-useful",
            "tell-slo-set-changed",
            "describe-capacity-planning-service",
            "roll-back-bad-deploy",
            "load-test-safely-production",
        ]
    );
}

#[test]
fn a_landing_page_imports_nothing_and_says_so() {
    let (text, _) = fixture("landing.md");
    let report = import(&text, Path::new("landing.md"), Format::Markdown).unwrap_err();
    assert_eq!(
        report.to_string(),
        "imported nothing from landing.md: no questions found; skipped: 1 code block, \
         1 image, 2 link lines, 2 lists that do not look like questions"
    );
    let e = BankError::NothingImported {
        path: "landing.md".into(),
        report,
    };
    assert!(
        e.to_string().contains("rehearse takes Markdown list items"),
        "{e}"
    );
}

#[test]
fn markdown_small_cases() {
    let cases: &[(&str, &[&str])] = &[
        ("1. One?\n2. Two?\n", &["One?", "Two?"]),
        ("1) One?\n2) Two?\n", &["One?", "Two?"]),
        ("1.\tTabbed?\n1.\tLazy?\n", &["Tabbed?", "Lazy?"]),
        ("- a?\n\n* b?\n\n+ c?\n", &["a?", "b?", "c?"]),
        ("# Is this a question?\n\nNo, a heading.\n", &[]),
        ("## Why?\n\n- Because?\n", &["Because?"]),
        (
            "- **Bold** and _em_ and [link](x) &amp; `code`?\n",
            &["Bold and em and link & code?"],
        ),
        ("- [Only a link](https://x)\n- Real one?\n", &["Real one?"]),
        ("- ![badge](b.svg)\n- Real one?\n", &["Real one?"]),
        (
            "<details>\n\n- Inside HTML?\n\n</details>\n",
            &["Inside HTML?"],
        ),
        ("```\n- not a question?\n```\n", &[]),
        ("| a | b |\n|---|---|\n| What? | x |\n", &[]),
        ("- Fast\n- Small\n- Why would I use it?\n", &[]),
        (
            "- Explain X\n- Describe Y\n- Fast\n",
            &["Explain X", "Describe Y", "Fast"],
        ),
        ("text\n\n1. What?\n   - Sub?\n     - Deeper?\n", &["What?"]),
        (
            "- Bell\u{7} and \u{1b}[31mred\u{1b}[0m?\n",
            &["Bell and red?"],
        ),
    ];
    for (text, expected) in cases {
        let draft = markdown::draft(text);
        let got: Vec<String> = draft.items.iter().map(|i| clean(&i.text)).collect();
        assert_eq!(got, *expected, "{text:?}");
    }
    let nested = markdown::draft("1. What?\n   - Sub?\n     - Deeper?\n");
    assert_eq!(nested.items[0].follow_ups, ["Sub?", "Deeper?"]);
}

#[test]
fn text_numbered_and_bulleted_lines() {
    let Imported { bank, report } = import_fixture("listed.txt");
    assert_eq!(bank.name, "Data analyst interview");
    assert_eq!(
        questions(&bank),
        [
            (
                "Statistics",
                "What is the difference between mean and median?",
                vec![]
            ),
            (
                "Statistics",
                "When would you use a log scale?",
                vec!["What would you check first?"]
            ),
            (
                "Statistics",
                "Explain p-values to a manager who has never taken a statistics course and \
                 wants a yes or no answer.",
                vec![]
            ),
            (
                "SQL",
                "Write a query that finds duplicate customer emails.",
                vec!["How would you delete all but one?"]
            ),
            (
                "SQL",
                "What does a LEFT JOIN return when nothing matches?",
                vec![]
            ),
        ]
    );
    assert_eq!(
        report.to_string(),
        "imported 5 questions (2 follow-ups) in 2 categories from listed.txt; skipped: 1 title line"
    );
}

#[test]
fn text_question_and_answer_pairs() {
    let Imported { bank, report } = import_fixture("pairs.txt");
    assert_eq!(bank.name, "Nursing interview practice");
    assert_eq!(
        questions(&bank),
        [
            ("General", "Why did you choose nursing?", vec![]),
            (
                "General",
                "How do you prioritise when three patients need you at once?",
                vec![]
            ),
            (
                "General",
                "Describe a time you advocated for a patient.",
                vec![]
            ),
        ]
    );
    assert_eq!(
        talking_points(&bank, "Why did you choose nursing?"),
        ["Personal story, kept short. Link it to patient care."]
    );
    assert_eq!(
        talking_points(
            &bank,
            "How do you prioritise when three patients need you at once?"
        ),
        ["Assess by acuity (ABC).", "Delegate what can be delegated."]
    );
    assert_eq!(
        talking_points(&bank, "Describe a time you advocated for a patient."),
        ["Situation, action, and outcome for the patient."]
    );
    assert_eq!(
        report.to_string(),
        "imported 3 questions in 1 category from pairs.txt; skipped: 1 title line"
    );
}

#[test]
fn text_one_question_per_paragraph() {
    let Imported { bank, report } = import_fixture("paragraphs.txt");
    assert_eq!(bank.name, "Support engineer questions");
    assert_eq!(
        questions(&bank),
        [
            (
                "General",
                "Tell me about a customer you turned around",
                vec!["What did you say first?"]
            ),
            (
                "General",
                "How do you explain a technical limitation to a customer who is angry, \
                 without blaming the engineering team or promising a fix you cannot deliver?",
                vec![]
            ),
            ("General", "Ticket queue priorities?", vec![]),
            (
                "General",
                "How do you handle a ticket you cannot reproduce?",
                vec![]
            ),
        ]
    );
    assert_eq!(
        report.to_string(),
        "imported 4 questions (1 follow-up) in 1 category from paragraphs.txt; skipped: 1 title line"
    );
}

#[test]
fn text_small_cases() {
    let cases: &[(&str, &[&str])] = &[
        ("One?\nTwo?\nThree?\n", &["One?", "Two?", "Three?"]),
        ("Only line\n", &["Only line"]),
        (
            "Linux experience\n\nFavourite editor\n",
            &["Linux experience", "Favourite editor"],
        ),
        ("Questions:\n\nWhy?\n", &["Why?"]),
        ("# Heading\n1. a\n2. b\n", &["a", "b"]),
        ("(1) first\n(2) second\n", &["first", "second"]),
        ("Q. Dotted?\nA. Yes.\n", &["Dotted?"]),
        ("1. x\n\tindented by a tab?\n", &["x"]),
        (
            "\u{1b}]0;title\u{7}1. Owned?\n2. Fine?\n",
            &["1. Owned?", "Fine?"],
        ),
        ("", &[]),
        ("\n\n   \n", &[]),
    ];
    for (text, expected) in cases {
        let draft = text::draft(text);
        let got: Vec<String> = draft.items.iter().map(|i| clean(&i.text)).collect();
        assert_eq!(got, *expected, "{text:?}");
    }
}

#[test]
fn csv_with_a_header() {
    let Imported { bank, report } = import_fixture("cards.csv");
    assert_eq!(
        questions(&bank),
        [
            ("Distributed systems", "Explain CAP, briefly.", vec![]),
            ("Distributed systems", "What is a quorum?", vec![]),
            ("APIs", "Describe idempotency keys", vec![]),
        ]
    );
    assert_eq!(
        talking_points(&bank, "Explain CAP, briefly."),
        [
            "Consistency, availability, partition tolerance: pick two when the network splits.",
            "Keywords: cap, trade-offs"
        ]
    );
    assert_eq!(
        talking_points(&bank, "What is a quorum?"),
        [
            "A majority of replicas. Reads and writes overlap.",
            "Keywords: quorum"
        ]
    );
    assert_eq!(
        report.to_string(),
        "imported 3 questions in 2 categories from cards.csv; skipped: 1 row without a question"
    );
}

#[test]
fn csv_without_a_header_takes_the_first_column() {
    let Imported { bank, .. } = import_fixture("plain.csv");
    assert_eq!(
        questions(&bank),
        [
            ("General", "Why Kubernetes?", vec![]),
            ("General", "What is a pod?", vec![]),
            (
                "General",
                "Explain a \"rolling\" update, step by step",
                vec![]
            ),
        ]
    );
    assert!(bank.questions.iter().all(|q| q.talking_points.is_empty()));
}

#[test]
fn tsv_flashcards() {
    let Imported { bank, report } = import_fixture("cards.tsv");
    assert_eq!(
        questions(&bank),
        [
            ("General", "What is a closure?", vec![]),
            ("General", "Explain the event loop.", vec![]),
        ]
    );
    assert_eq!(
        talking_points(&bank, "What is a closure?"),
        ["A function with the variables it captured."]
    );
    assert_eq!(
        report.to_string(),
        "imported 2 questions in 1 category from cards.tsv; skipped: 2 comment lines"
    );
}

#[test]
fn csv_small_cases() {
    let cases: &[(&str, &[&str])] = &[
        ("question;answer\nOne?;a\nTwo?;b\n", &["One?", "Two?"]),
        ("Category,Question\nX,One?\n", &["One?"]),
        ("Answer,Notes\nyes,What?\n", &["What?"]),
        ("\"unclosed, quote\nWhat?\n", &["unclosed, quote\nWhat?"]),
        ("", &[]),
    ];
    for (text, expected) in cases {
        let draft = csv::draft(text, None);
        let got: Vec<&str> = draft.items.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(got, *expected, "{text:?}");
    }
}

#[test]
fn ids_are_short_unique_slugs() {
    let mut ids = Ids::default();
    let cases = [
        ("Tell me about yourself.", "tell-yourself"),
        ("Tell me about yourself!", "tell-yourself-2"),
        ("What is it?", "what-is-it"),
        // Letters of every script are kept.
        ("¿Qué es?", "qué-es"),
        ("¿Cómo manejas el estrés?", "cómo-manejas-el-estrés"),
        ("Расскажите о себе", "расскажите-о-себе"),
        ("日本語の質問", "日本語の質問"),
        ("日本語の質問", "日本語の質問-2"),
        (
            "What's the company's biggest risk?",
            "whats-companys-biggest-risk",
        ),
        (
            "Supercalifragilisticexpialidocious antidisestablishmentarianism words",
            "supercalifragilisticexpialidocious",
        ),
    ];
    for (text, id) in cases {
        assert_eq!(ids.make(text), id, "{text}");
    }
}

#[test]
fn categories_from_headings() {
    let cases = [
        ("🚀 Sample Questions", "Sample Questions"),
        ("\u{f8ff}üöÄ Overview", "Overview"),
        ("ðŸ“Š Capacity", "Capacity"),
        ("C++ questions", "C++ questions"),
        ("Über uns", "Über uns"),
        ("Вопросы по SQL", "Вопросы по SQL"),
        ("Databases:", "Databases"),
        ("# ", "#"),
    ];
    for (heading, name) in cases {
        assert_eq!(category_name(heading), name, "{heading}");
    }
}

#[test]
fn report_wording() {
    let report = ImportReport {
        file: "list.md".into(),
        questions: 29,
        follow_ups: 3,
        categories: 4,
        skipped: vec![(Skip::FrontMatter, 1), (Skip::LinkLine, 1)],
        warnings: vec![],
    };
    assert_eq!(
        report.to_string(),
        "imported 29 questions (3 follow-ups) in 4 categories from list.md; skipped: front matter, 1 link line"
    );
    let one = ImportReport {
        questions: 1,
        follow_ups: 1,
        categories: 1,
        skipped: vec![],
        ..report
    };
    assert_eq!(
        one.to_string(),
        "imported 1 question (1 follow-up) in 1 category from list.md"
    );
}
