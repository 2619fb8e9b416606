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
         4 images, 1 link line, 3 paragraphs of text"
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
         1 image, 2 link lines, 2 lists that do not look like questions, 1 paragraph of text"
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
        // Lower case adds a dot above to `İ` that is not a letter: ids keep letters only.
        ("İ", "i"),
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
        notes: vec![],
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

/// (text, talking points) of every question, in order.
fn with_points(bank: &Bank) -> Vec<(&str, Vec<&str>)> {
    bank.questions
        .iter()
        .map(|q| {
            (
                q.text.as_str(),
                q.talking_points.iter().map(String::as_str).collect(),
            )
        })
        .collect()
}

#[test]
fn text_answers_under_questions_are_their_talking_points() {
    let Imported { bank, report } = import_fixture("answers.txt");
    assert_eq!(bank.name, "Healthcare Records Manager interview prep");
    assert_eq!(
        with_points(&bank),
        [
            (
                "Tell me about yourself.",
                vec![
                    "I have eight years in health information management, most recently \
                     running the records team at a regional hospital, where I moved us from \
                     paper charts to the EHR."
                ]
            ),
            (
                "Why do you want this job?",
                vec![
                    "Your hospital is opening two clinics and the records work will double. \
                     I want to build the team that does it."
                ]
            ),
            (
                "What is your greatest weakness?",
                vec![
                    "I used to take on too much myself. Now I hand release-of-information \
                     requests to the team."
                ]
            ),
        ]
    );
    assert_eq!(
        report.to_string(),
        "imported 3 questions in 1 category from answers.txt; skipped: 1 title line"
    );
    assert_eq!(
        report.note_lines(true, ""),
        [
            "  line 1: the bank's name, not a question: \"Healthcare Records Manager interview prep\"",
            "  line 4: a talking point of the question on line 3: \"I have eight years in health information…\"",
            "  line 8: a talking point of the question on line 7: \"Your hospital is opening two clinics and the…\"",
            "  line 12: a talking point of the question on line 11: \"I used to take on too much myself. Now I hand…\"",
        ]
    );
}

#[test]
fn text_question_numbers_leave_the_text_and_the_ids() {
    let Imported { bank, report } = import_fixture("numbered.txt");
    let ids: Vec<&str> = bank.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "tell-yourself",
            "want-job",
            "greatest-strength",
            "handle-records-audit",
            "see-yourself-five-years",
            "describe-time-cleared-filing-backlog",
        ]
    );
    assert_eq!(
        questions(&bank),
        [
            ("General", "Tell me about yourself.", vec![]),
            ("General", "Why do you want this job?", vec![]),
            ("General", "What is your greatest strength?", vec![]),
            (
                "General",
                "How do you handle a records audit?",
                vec!["What would you check first?"]
            ),
            (
                "General",
                "Where do you see yourself in five years?",
                vec![]
            ),
            (
                "General",
                "Describe a time you cleared a filing backlog.",
                vec![]
            ),
        ]
    );
    assert_eq!(
        talking_points(&bank, "Tell me about yourself."),
        ["Eight years in health information management; paper to EHR at a regional hospital."]
    );
    assert_eq!(
        talking_points(&bank, "How do you handle a records audit?"),
        ["I start with the sample the auditor asked for and our own last audit."]
    );
    assert_eq!(
        report.to_string(),
        "imported 6 questions (1 follow-up) in 1 category from numbered.txt"
    );
}

#[test]
fn markdown_from_prep_sites() {
    let Imported { bank, report } = import_fixture("prep-site.md");
    assert_eq!(
        with_points(&bank),
        [
            (
                "Tell me about yourself.",
                vec![
                    "Example answer: I have eight years in health information management.",
                    "Tip: keep it under two minutes."
                ]
            ),
            (
                "Why do you want to work here?",
                vec![
                    "Example answer: Your clinics are growing, and I want to build the records team."
                ]
            ),
            (
                "How do you keep patient records confidential?",
                vec!["I follow the minimum-necessary rule and audit access every month."]
            ),
            (
                "How do you train new staff?",
                vec!["Tip: mention a checklist and a week of shadowing."]
            ),
            (
                "Tell me about a time you cleared a backlog.",
                vec![
                    "Why they ask: they want to see how you plan.",
                    "Say how big the backlog was.",
                    "Say what you changed, and what it saved."
                ]
            ),
            (
                "What is a legal hold?",
                vec!["A hold stops the destruction of records when litigation is expected."]
            ),
        ]
    );
    assert_eq!(
        bank.questions[4].category,
        "Common questions, one per heading"
    );
    assert_eq!(
        report.to_string(),
        "imported 6 questions in 2 categories from prep-site.md; skipped: 1 paragraph of text"
    );
    // Five lines, then how many more and how to see them.
    let lines = report.note_lines(false, "--verbose lists them all");
    assert_eq!(lines.len(), NOTES_SHOWN + 1);
    assert_eq!(
        lines[0],
        "  line 3: skipped a paragraph that neither asks nor answers: \
         \"Prepare with these common questions. Each comes…\""
    );
    assert_eq!(lines[5], "  … and 9 more (--verbose lists them all)");
    let all = report.note_lines(true, "");
    assert_eq!(all.len(), 14);
    assert!(
        all.contains(
            &"  line 11: a paragraph read as a question: \
          \"How do you keep patient records confidential?\""
                .to_string()
        )
    );
    assert!(
        all.contains(
            &"  line 21: a heading read as a question: \
          \"1. Tell me about a time you cleared a backlog.\""
                .to_string()
        )
    );
}

#[test]
fn markdown_question_shapes_of_prep_sites() {
    // (Markdown, questions, talking points of the first)
    let cases: &[(&str, &[&str], &[&str])] = &[
        // A numbered heading over a list of questions names them.
        (
            "## 3. Why do these matter?\n\n- What is X?\n- What is Y?\n",
            &["What is X?", "What is Y?"],
            &[],
        ),
        // A bold paragraph that asks, with or without a number.
        (
            "**How do you prioritise?**\n\nBy deadline.\n",
            &["How do you prioritise?"],
            &["By deadline."],
        ),
        (
            "**1. Tell me about yourself**\n",
            &["Tell me about yourself"],
            &[],
        ),
        // Bold prose that does not ask, or a heading without a number, is no question.
        ("**Good luck with your interview.**\n", &[], &[]),
        ("## Why does this matter?\n\nBecause.\n", &[], &[]),
        // A tip as a nested bullet, and an answer after a blank line under an item.
        (
            "1. Why here?\n   - Tip: be specific.\n\nExample answer: the mission.\n",
            &["Why here?"],
            &["Tip: be specific.", "Example answer: the mission."],
        ),
        // A prep site's Q-numbered list items.
        ("1. Q1. One?\n2. Q2. Two?\n", &["One?", "Two?"], &[]),
    ];
    for (text, expected, points) in cases {
        let draft = markdown::draft(text);
        let got: Vec<String> = draft
            .items
            .iter()
            .map(|i| strip_number(&clean(&i.text)).to_string())
            .collect();
        assert_eq!(got, *expected, "{text:?}");
        let first: Vec<String> = draft
            .items
            .first()
            .map(|i| i.talking_points.iter().map(|p| clean(p)).collect())
            .unwrap_or_default();
        assert_eq!(first, *points, "{text:?}");
    }
    let named = markdown::draft("## 3. Why do these matter?\n\n- What is X?\n");
    assert_eq!(
        named.items[0].category.as_deref(),
        Some("Why do these matter?")
    );
}

#[test]
fn text_answer_shapes() {
    // (text, questions, talking points of the first)
    let cases: &[(&str, &[&str], &[&str])] = &[
        // An answer starting with a word that could ask is still an answer.
        (
            "1. Why records?\nWhen I was twelve I sorted my father's clinic files.\n2. Why us?\n",
            &["Why records?", "Why us?"],
            &["When I was twelve I sorted my father's clinic files."],
        ),
        // A short line over a list is still a heading.
        (
            "Statistics\n1. Mean or median?\n2. Why logs?\n",
            &["Mean or median?", "Why logs?"],
            &[],
        ),
        // `Q1.` first in a list of numbered lines is a question, not a category.
        (
            "Q1. Tell me about yourself.\n1) What is HIPAA?\n2) Why here?\n",
            &["Tell me about yourself.", "What is HIPAA?", "Why here?"],
            &[],
        ),
        // An example answer indented under an item, emphasis and all.
        (
            "1. Why here?\n   *Example answer:* the mission.\n2. Why now?\n",
            &["Why here?", "Why now?"],
            &["*Example answer:* the mission."],
        ),
        // One question per paragraph, its answer in the next.
        (
            "Tell me about yourself.\n\nI have run records teams for eight years.\n\nWhy us?\n",
            &["Tell me about yourself.", "Why us?"],
            &["I have run records teams for eight years."],
        ),
        // An answer before any question is left out.
        ("A: nothing asked\nQ: Why?\n", &["Why?"], &[]),
    ];
    for (text, expected, points) in cases {
        let draft = text::draft(text);
        let got: Vec<String> = draft.items.iter().map(|i| clean(&i.text)).collect();
        assert_eq!(got, *expected, "{text:?}");
        let first: Vec<String> = draft
            .items
            .first()
            .map(|i| i.talking_points.iter().map(|p| clean(p)).collect())
            .unwrap_or_default();
        assert_eq!(first, *points, "{text:?}");
    }
    assert_eq!(
        text::draft("A: nothing asked\nQ: Why?\n").skipped,
        [Skip::Answer]
    );
}

#[test]
fn numbers_that_are_labels_and_numbers_that_are_words() {
    let cases = [
        ("Q1. Tell me", "Tell me"),
        ("q12: Why?", "Why?"),
        ("Q 3) Why?", "Why?"),
        ("Question 4: How?", "How?"),
        ("Question #10. How?", "How?"),
        ("5) Where?", "Where?"),
        ("(6) Where?", "Where?"),
        ("1. Q1. Both?", "Both?"),
        ("Q: Plain?", "Plain?"),
        ("1.5 million records: how?", "1.5 million records: how?"),
        ("Question everything?", "Question everything?"),
        ("Q&A sessions?", "Q&A sessions?"),
        ("2020 was hard?", "2020 was hard?"),
        ("Q1.", "Q1."),
    ];
    for (text, own) in cases {
        assert_eq!(strip_number(text), own, "{text}");
    }
    for (text, label) in [
        ("*Example answer:* I …", true),
        ("**Tip:** be brief", true),
        ("Why they ask: …", true),
        ("Answer: yes", true),
        ("Time management: a skill", false),
        ("Describe: a time", false),
        ("No colon here", false),
    ] {
        assert_eq!(answer_label(text), label, "{text}");
    }
}
