//! What can be checked mechanically about the content of the built-in banks: 3 to 6
//! talking points a question, unique ids that stay stable against every id the banks have
//! had (tests/cli/fixtures/bank-ids; an id may only go if removed.txt says why), the
//! five founding questions word for word, stories marked for the STAR checklist, a
//! `reviewed` date, talking points that give a time limit naming where it comes from,
//! proposed rules worded so they stay true whatever became of them, the corrections of the
//! third expert review kept, and both banks passing `rehearse banks check`.
//!
//! Each check is a function from a bank to its problems, so the same function is shown to
//! find problems in a bad bank below: a check that cannot fail checks nothing.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use predicates::prelude::*;
use rehearse::bank::{Bank, EMBEDDED, Source, check_reviewed, load_embedded, parse_bank};

use crate::util::Env;

const IDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cli/fixtures/bank-ids/");

/// The sample questions of the page rehearse started from: people come with that page in
/// hand, so these stay word for word, under these ids.
const FOUNDING: &[(&str, &str)] = &[
    (
        "understanding-of-records-management",
        "Can you explain your understanding of healthcare records management?",
    ),
    (
        "experience-managing-healthcare-records",
        "What experience do you have in managing healthcare records?",
    ),
    (
        "familiarity-with-regulations-compliance",
        "How familiar are you with the regulations and compliance requirements related to healthcare records management?",
    ),
    (
        "role-in-patient-confidentiality",
        "Can you describe the role of a healthcare records manager in maintaining patient confidentiality?",
    ),
    (
        "ehr-systems-experience",
        "Have you worked with electronic health record (EHR) systems? If so, which ones?",
    ),
];

fn built_in() -> Vec<Bank> {
    EMBEDDED
        .iter()
        .map(|e| load_embedded(e).unwrap_or_else(|err| panic!("{}: {err}", e.key)))
        .collect()
}

fn bank(text: &str) -> Bank {
    parse_bank(text, Path::new("t.toml"), "t", Source::Embedded).expect("a test bank loads")
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(IDS).join(name))
        .unwrap_or_else(|e| panic!("{IDS}{name}: {e}"))
}

/// Lines of a fixture that are not blank or `#` comments.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// removed.txt: `bank/id: why` a line, as a map from (bank, id) to the reason.
fn parse_removed(text: &str) -> Result<HashMap<(String, String), String>, String> {
    let mut out = HashMap::new();
    for line in lines(text) {
        let (key, why) = line
            .split_once(':')
            .ok_or_else(|| format!("{line:?}: expected BANK/ID: why"))?;
        let (bank, id) = key
            .split_once('/')
            .ok_or_else(|| format!("{line:?}: expected BANK/ID: why"))?;
        if why.trim().len() < 10 {
            return Err(format!("{key}: say why it was removed"));
        }
        out.insert((bank.trim().into(), id.trim().into()), why.trim().into());
    }
    Ok(out)
}

fn talking_point_counts(bank: &Bank) -> Vec<String> {
    bank.questions
        .iter()
        .filter(|q| !(3..=6).contains(&q.talking_points.len()))
        .map(|q| {
            format!(
                "{}/{}: {} talking points, not 3 to 6",
                bank.key,
                q.id,
                q.talking_points.len()
            )
        })
        .collect()
}

fn duplicate_ids(bank: &Bank) -> Vec<String> {
    let mut seen = BTreeSet::new();
    bank.questions
        .iter()
        .filter(|q| !seen.insert(q.id.as_str()))
        .map(|q| format!("{}/{}: id used twice", bank.key, q.id))
        .collect()
}

/// Every earlier id is still in the bank or removed on purpose; nothing listed as removed
/// is still there or was never there.
fn stable_ids(
    bank: &Bank,
    previous: &str,
    removed: &HashMap<(String, String), String>,
) -> Vec<String> {
    let now: BTreeSet<&str> = bank.questions.iter().map(|q| q.id.as_str()).collect();
    let before: BTreeSet<&str> = lines(previous).collect();
    let gone = |id: &str| removed.contains_key(&(bank.key.clone(), id.to_string()));
    let mut problems = Vec::new();
    for id in &before {
        if !now.contains(id) && !gone(id) {
            problems.push(format!(
                "{}/{id}: no longer in the bank and not in removed.txt",
                bank.key
            ));
        }
    }
    for (b, id) in removed.keys() {
        if *b != bank.key {
            continue;
        }
        if now.contains(id.as_str()) {
            problems.push(format!(
                "{b}/{id}: listed in removed.txt but still in the bank"
            ));
        }
        if !before.contains(id.as_str()) {
            problems.push(format!(
                "{b}/{id}: listed in removed.txt but was never in the bank"
            ));
        }
    }
    problems
}

/// Wording that asks for something the candidate did: such a question is answered as a
/// story, so it gets the STAR checklist.
fn asks_for_a_story(text: &str) -> bool {
    let text = text.to_lowercase();
    [
        "a time you",
        "tell me about a",
        "describe a ",
        "describe an ",
        "give an example",
        "what experience do you have",
        "you have built",
        "you have set up",
        "did you change",
        "did you do about",
        "proudest",
    ]
    .iter()
    .any(|marker| text.contains(marker))
}

fn star_marks(bank: &Bank) -> Vec<String> {
    let mut problems = Vec::new();
    for q in &bank.questions {
        let in_star_category = bank.category(&q.category).is_some_and(|c| c.star);
        if (in_star_category || asks_for_a_story(&q.text)) && !q.star {
            problems.push(format!(
                "{}/{}: asks for a story but is not star = true",
                bank.key, q.id
            ));
        }
    }
    for c in bank.categories.iter().filter(|c| c.star) {
        let limit = c.timing.time_limit.map(|d| d.get().as_secs());
        if limit.is_none_or(|s| s < 150) {
            problems.push(format!(
                "{}: STAR category {:?} should give at least 2m30s",
                bank.key, c.name
            ));
        }
    }
    problems
}

fn reviewed(bank: &Bank) -> Vec<String> {
    match &bank.reviewed {
        None => vec![format!("{}: no reviewed = \"YYYY-MM\"", bank.key)],
        Some(r) => check_reviewed(r)
            .err()
            .map(|e| format!("{}: {e}", bank.key))
            .into_iter()
            .collect(),
    }
}

/// A number of days, months, years or hours: `30 days`, `60 calendar days`, `30-day`.
fn gives_a_time_limit(point: &str) -> bool {
    let words: Vec<String> = point
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .map(|w| {
            w.trim_matches(|c: char| c == ',' || c == ';' || c == '.')
                .to_lowercase()
        })
        .collect();
    let number = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    let unit = |w: &str| {
        [
            "day", "days", "month", "months", "year", "years", "hour", "hours",
        ]
        .contains(&w)
    };
    words.iter().enumerate().any(|(i, w)| {
        let next = words.get(i + 1).map_or("", String::as_str);
        let after = words.get(i + 2).map_or("", String::as_str);
        (number(w) && (unit(next) || (next == "calendar" && unit(after))))
            || w.split_once('-').is_some_and(|(n, u)| number(n) && unit(u))
    })
}

/// Where a rule comes from: a regulation, statute, standard, guideline or the like.
fn names_a_source(point: &str) -> bool {
    [
        "CFR",
        "Rule",
        " Act",
        "HIPAA",
        "Guideline",
        "state ",
        "State",
        "policy",
        "bylaws",
        "contract",
        "court",
        "NIST",
        "AHIMA",
        "Joint Commission",
        "OCR",
        "CoP",
        "payer",
        "Medicare",
        "CMS",
        "Public Law",
        "HTI",
        " v. ",
        "Security Act",
        "Part 2",
    ]
    .iter()
    .any(|source| point.contains(source))
}

fn time_limits_named(bank: &Bank) -> Vec<String> {
    bank.questions
        .iter()
        .flat_map(|q| q.talking_points.iter().map(move |p| (q, p)))
        .filter(|(_, p)| gives_a_time_limit(p) && !names_a_source(p))
        .map(|(q, p)| {
            format!(
                "{}/{}: gives a time limit without naming its rule: {p}",
                bank.key, q.id
            )
        })
        .collect()
}

/// Rules that were still only proposed when the banks were last checked, with the words
/// that find a talking point about each.
const PENDING: &[(&str, &[&str])] = &[
    ("HTI-5", &["HTI-5"]),
    (
        "the Security Rule update",
        &["Security Rule update", "proposed Security Rule"],
    ),
    ("the right of access proposal", &["15 days", "15-day"]),
];

/// Words that say where a proposal stands now.
const STATUS_NOW: &[&str] = &[
    "not final",
    "neither final",
    "not been finalized",
    "still only",
    "still applies",
    "as of late",
];

/// The bank cannot know what became of a proposal after it was checked, so a point about
/// one says it was proposed and tells the candidate to check its status, and never says
/// where it stands now.
fn pending_proposals(bank: &Bank) -> Vec<String> {
    let mut problems = Vec::new();
    for q in &bank.questions {
        for point in &q.talking_points {
            let Some((name, _)) = PENDING
                .iter()
                .find(|(_, words)| words.iter().any(|w| point.contains(w)))
            else {
                continue;
            };
            let lower = point.to_lowercase();
            if !lower.contains("propos") || !lower.contains("check") {
                problems.push(format!(
                    "{}/{}: should say {name} was proposed and to check its status: {point}",
                    bank.key, q.id
                ));
            }
            if let Some(claim) = STATUS_NOW.iter().find(|c| lower.contains(*c)) {
                problems.push(format!(
                    "{}/{}: says where {name} stands now ({claim:?}): {point}",
                    bank.key, q.id
                ));
            }
        }
    }
    problems
}

fn all_problems(
    bank: &Bank,
    previous: &str,
    removed: &HashMap<(String, String), String>,
) -> Vec<String> {
    let mut problems = Vec::new();
    problems.extend(talking_point_counts(bank));
    problems.extend(duplicate_ids(bank));
    problems.extend(stable_ids(bank, previous, removed));
    problems.extend(star_marks(bank));
    problems.extend(reviewed(bank));
    problems.extend(time_limits_named(bank));
    problems.extend(pending_proposals(bank));
    problems
}

/// A finding of a review: the question, words its talking points must have, and the
/// wrong words that must not come back.
struct Finding {
    id: &'static str,
    says: &'static [&'static str],
    not: &'static [&'static str],
}

/// The errors and out-of-date points of the third review of the healthcare records
/// manager bank (December 2026), as corrected.
const THIRD_REVIEW: &[Finding] = &[
    // N1: the HIPAA third-party directive covers only an electronic copy of EHR PHI.
    Finding {
        id: "patient-right-of-access",
        says: &[
            "electronic copy of PHI held in an EHR",
            "Ciox Health v. Azar",
            "HIPAA authorization",
        ],
        not: &["send it to a third party the patient directs"],
    },
    // N2: USCDI v3 is the required baseline, not the only version.
    Finding {
        id: "hl7-fhir-interoperability",
        says: &["required baseline", "USCDI v3.1", "SVAP"],
        not: &["the only version"],
    },
    // N3: the sixth minimum necessary exception.
    Finding {
        id: "minimum-necessary-standard",
        says: &["all six exceptions", "Administrative Simplification"],
        not: &["to HHS, or required by law"],
    },
    // Wording the review asked to change without counting it as an error.
    Finding {
        id: "records-management-top-risks",
        says: &["required since February 16, 2026"],
        not: &["in force since February 2026"],
    },
    Finding {
        id: "law-enforcement-requests",
        says: &["specific and limited", "164.512(f)(1)(ii)(C)"],
        not: &["must come with a written statement"],
    },
    Finding {
        id: "him-role-in-denials",
        says: &["industry convention"],
        not: &["every HCC needs documentation"],
    },
    // OD1 to OD7: what changed in late 2025 and early 2026.
    Finding {
        id: "external-payer-audits",
        says: &["vacated in September 2025", "appealed in November 2025"],
        not: &["the audit method has been challenged in court"],
    },
    Finding {
        id: "familiarity-with-regulations-compliance",
        says: &["vacated CMS's 2023 Medicare Advantage RADV audit rule"],
        not: &["CMS widened Medicare Advantage RADV audits"],
    },
    Finding {
        id: "information-blocking-rule",
        says: &["enforcement alert in September 2025"],
        not: &[],
    },
    Finding {
        id: "hl7-fhir-interoperability",
        says: &["HTI-4", "CMS-0057-F"],
        not: &[],
    },
    Finding {
        id: "tefca-exchange",
        says: &[
            "Interoperability Framework (July 2025)",
            "CMS Aligned Networks",
        ],
        not: &[],
    },
    Finding {
        id: "ehr-downtime-procedures",
        says: &["(2025) SAFER Guides"],
        not: &["SAFER Guide on contingency planning"],
    },
    Finding {
        id: "ocr-enforcement-priorities",
        says: &["since February 2026 OCR enforces 42 CFR Part 2"],
        not: &[],
    },
    // OD5: the state AI laws, in the question on AI-drafted documentation.
    Finding {
        id: "ambient-ai-documentation",
        says: &["review all records it creates", "AB 3030"],
        not: &[],
    },
    // M1: the one restriction a provider must accept.
    Finding {
        id: "restriction-requests-self-pay",
        says: &["164.522(a)(1)(vi)", "paid for that item or service in full"],
        not: &[],
    },
    // Weak questions: numbers a manager is hired for, and the 2016 trivia in one place.
    Finding {
        id: "reducing-dnfb",
        says: &["HFMA's MAP Keys", "5 to 7 days"],
        not: &[],
    },
    Finding {
        id: "productivity-standards",
        says: &["3 records an hour", "69% longer"],
        not: &[],
    },
    Finding {
        id: "him-budget-management",
        says: &["2,080 paid hours", "$3 million"],
        not: &[],
    },
    Finding {
        id: "him-key-performance-indicators",
        says: &[],
        not: &["RC.01.04.01"],
    },
    Finding {
        id: "annual-code-set-updates",
        says: &["October dip"],
        not: &["Remind the panel"],
    },
];

/// The questions the third review asked for, with their categories.
const ADDED_IN_THE_THIRD_READING: &[(&str, &[(&str, &str)])] = &[
    (
        "healthcare-records-manager",
        &[
            (
                "restriction-requests-self-pay",
                "Confidentiality and release of information",
            ),
            ("ambient-ai-documentation", "EHR systems and data"),
            ("patient-identity-verification", "EHR systems and data"),
            ("underperforming-employee", "Leadership and training"),
            (
                "information-governance-program",
                "Data quality, coding and audits",
            ),
            (
                "electronic-prior-authorization",
                "Regulations and compliance",
            ),
            ("tracking-technologies", "Regulations and compliance"),
            (
                "records-custody-closures",
                "Retention, legal hold and destruction",
            ),
            ("icd-11-readiness", "Data quality, coding and audits"),
        ],
    ),
    (
        "behavioral",
        &[
            ("managing-underperformer", "Leadership and initiative"),
            ("used-data-to-decide", "Judgment and integrity"),
            ("why-hire-you", "Motivation and fit"),
            ("questions-for-us", "Motivation and fit"),
        ],
    ),
];

/// Each question is in the bank, in its category.
fn placed(bank: &Bank, expected: &[(&str, &str)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (id, category) in expected {
        match bank.questions.iter().find(|q| q.id == *id) {
            None => problems.push(format!("{}/{id}: not in the bank", bank.key)),
            Some(q) if q.category != *category => problems.push(format!(
                "{}/{id}: in category {:?}, not {category:?}",
                bank.key, q.category
            )),
            Some(_) => {}
        }
    }
    problems
}

fn findings(bank: &Bank, table: &[Finding]) -> Vec<String> {
    let mut problems = Vec::new();
    for f in table {
        let Some(q) = bank.questions.iter().find(|q| q.id == f.id) else {
            problems.push(format!("{}/{}: not in the bank", bank.key, f.id));
            continue;
        };
        let text = q.talking_points.join("\n");
        for says in f.says.iter().filter(|s| !text.contains(*s)) {
            problems.push(format!("{}/{}: should say {says:?}", bank.key, f.id));
        }
        for not in f.not.iter().filter(|s| text.contains(*s)) {
            problems.push(format!("{}/{}: still says {not:?}", bank.key, f.id));
        }
    }
    problems
}

#[test]
fn built_in_banks_meet_the_content_rules() {
    let removed = parse_removed(&fixture("removed.txt")).unwrap();
    let banks = built_in();
    assert_eq!(
        banks.iter().map(|b| b.key.as_str()).collect::<Vec<_>>(),
        ["healthcare-records-manager", "behavioral"]
    );
    let mut problems = Vec::new();
    for bank in &banks {
        let previous = fixture(&format!("{}.txt", bank.key));
        assert!(
            lines(&previous).count() >= 20,
            "{}: the saved ids",
            bank.key
        );
        problems.extend(all_problems(bank, &previous, &removed));
    }
    for key in removed.keys().map(|(b, _)| b) {
        assert!(
            banks.iter().any(|b| &b.key == key),
            "removed.txt names an unknown bank {key:?}"
        );
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// A founding question must keep its closed wording, so the open question a panel asks
/// next comes as its follow-up.
#[test]
fn the_closed_ehr_question_is_followed_by_an_open_one() {
    let banks = built_in();
    let q = banks[0]
        .questions
        .iter()
        .find(|q| q.id == "ehr-systems-experience")
        .unwrap();
    assert!(
        q.follow_ups
            .iter()
            .any(|f| f.starts_with("Which of them") && f.contains("configure or fix")),
        "{:?}",
        q.follow_ups
    );
}

#[test]
fn the_third_review_s_corrections_stay_in() {
    let problems = findings(&built_in()[0], THIRD_REVIEW);
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_questions_the_third_review_asked_for_are_in_their_categories() {
    let banks = built_in();
    let mut problems = Vec::new();
    for (key, expected) in ADDED_IN_THE_THIRD_READING {
        let bank = banks.iter().find(|b| b.key == *key).unwrap();
        problems.extend(placed(bank, expected));
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_founding_questions_stay_word_for_word() {
    let banks = built_in();
    let default = &banks[0];
    for (id, text) in FOUNDING {
        let q = default.questions.iter().find(|q| q.id == *id);
        assert_eq!(q.map(|q| q.text.as_str()), Some(*text), "{id}");
    }
}

#[test]
fn both_banks_pass_banks_check() {
    let env = Env::new();
    env.cmd()
        .args(["banks", "check", "healthcare-records-manager", "behavioral"])
        .assert()
        .success()
        .stdout(
            predicate::str::is_match(
                "^healthcare-records-manager.toml: ok, [0-9]+ questions in 8 categories\n\
             behavioral.toml: ok, [0-9]+ questions in [0-9]+ categories\n$",
            )
            .unwrap(),
        )
        .stderr("");
    let listing = env.cmd().arg("banks").assert().success();
    let stdout = String::from_utf8(listing.get_output().stdout.clone()).unwrap();
    for key in ["healthcare-records-manager", "behavioral"] {
        let row = stdout
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{key} ")))
            .unwrap_or_else(|| panic!("no {key} in\n{stdout}"));
        assert!(row.contains(", reviewed 20"), "{row}");
    }
}

/// The checks above find what they are meant to find.
#[test]
fn the_checks_catch_a_bad_bank() {
    let bad = bank(
        "[[categories]]\nname = \"Stories\"\nstar = true\n\
         [[questions]]\nid = \"kept\"\ntext = \"Why?\"\ntalking_points = [\"a\", \"b\"]\n\
         [[questions]]\nid = \"story\"\ncategory = \"Stories\"\ntext = \"Tell me about it.\"\n\
         talking_points = [\"a\", \"b\", \"c\", \"Respond within 30 days.\"]\n\
         [[questions]]\nid = \"told\"\ntext = \"Tell me about a time you won.\"\nstar = false\n\
         talking_points = [\"a\", \"b\", \"c\", \"Within 30 days (45 CFR 164.524).\", \"A 60-day clock.\", \"e\", \"f\"]\n",
    );
    let removed = parse_removed(
        "t/story: moved to another bank on purpose\nt/never: was never here at all\n",
    )
    .unwrap();
    let problems = all_problems(&bad, "kept\nstory\ngone\n", &removed);
    assert_eq!(
        problems,
        [
            "t/kept: 2 talking points, not 3 to 6",
            "t/told: 7 talking points, not 3 to 6",
            "t/gone: no longer in the bank and not in removed.txt",
            problems[3].as_str(),
            problems[4].as_str(),
            "t/told: asks for a story but is not star = true",
            "t: STAR category \"Stories\" should give at least 2m30s",
            "t: no reviewed = \"YYYY-MM\"",
            "t/story: gives a time limit without naming its rule: Respond within 30 days.",
            "t/told: gives a time limit without naming its rule: A 60-day clock.",
        ]
    );
    // The two removed.txt problems come in the map's order.
    let mut listed = vec![problems[3].clone(), problems[4].clone()];
    listed.sort();
    assert_eq!(
        listed,
        [
            "t/never: listed in removed.txt but was never in the bank",
            "t/story: listed in removed.txt but still in the bank",
        ]
    );

    let duplicated = Bank {
        questions: [bad.questions[0].clone(), bad.questions[0].clone()].into(),
        ..bad.clone()
    };
    assert_eq!(duplicate_ids(&duplicated), ["t/kept: id used twice"]);
    assert!(parse_removed("t/x\n").is_err());
    assert!(parse_removed("t/x: ok\n").is_err(), "a reason is needed");

    assert!(asks_for_a_story("Describe a time you failed."));
    assert!(!asks_for_a_story("Tell me about yourself."));
    assert!(!asks_for_a_story("Can you describe the role of a manager?"));
    assert!(gives_a_time_limit("within 60 calendar days of discovery"));
    assert!(gives_a_time_limit("one 30-day extension"));
    assert!(!gives_a_time_limit("95% accuracy on 5,000 patients"));
}

/// The proposal and review checks find what they are meant to find.
#[test]
fn the_proposal_and_review_checks_catch_a_bad_bank() {
    let bad = bank(
        "[[questions]]\nid = \"access\"\ntext = \"Access?\"\ntalking_points = [\n\
         \"HTI-5 was not final as of late 2026.\",\n\
         \"The Security Rule update was proposed in January 2025; check its status.\",\n\
         \"Send it to a third party the patient directs.\",\n]\n",
    );
    assert_eq!(
        pending_proposals(&bad),
        [
            "t/access: should say HTI-5 was proposed and to check its status: \
             HTI-5 was not final as of late 2026.",
            "t/access: says where HTI-5 stands now (\"not final\"): \
             HTI-5 was not final as of late 2026.",
        ]
    );
    let table = [
        Finding {
            id: "access",
            says: &["Ciox", "third party"],
            not: &["the patient directs"],
        },
        Finding {
            id: "gone",
            says: &[],
            not: &[],
        },
    ];
    assert_eq!(
        findings(&bad, &table),
        [
            "t/access: should say \"Ciox\"",
            "t/access: still says \"the patient directs\"",
            "t/gone: not in the bank",
        ]
    );
    assert_eq!(
        placed(
            &bad,
            &[
                ("access", "General"),
                ("access", "Other"),
                ("gone", "General")
            ]
        ),
        [
            "t/access: in category \"General\", not \"Other\"",
            "t/gone: not in the bank",
        ]
    );
}
