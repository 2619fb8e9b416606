//! Every problem `banks check` finds, with its place: a table of bank texts and the exact
//! lines expected.

use std::path::Path;

use super::*;
use crate::bank::EMBEDDED;
use crate::text::did_you_mean;

fn lines(text: &str, name: &str) -> Vec<String> {
    check_text(text, Path::new(name))
        .into_iter()
        .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
        .collect()
}

#[test]
fn shipped_banks_are_clean() {
    for e in EMBEDDED {
        assert_eq!(
            lines(e.text, e.file_name),
            Vec::<String>::new(),
            "{}",
            e.key
        );
    }
}

#[test]
fn toml_problems_are_all_found() {
    let cases: &[(&str, &[&str])] = &[
        (
            "name = \"ok\"\n[[questions]]\nid = \"a\"\ntext = \"Why?\"\n",
            &[],
        ),
        (
            // Several problems in one file, each in its place and in file order.
            "name = \"x\"\ntime_limt = \"2m\"\n\
             [[questions]]\nid = \"a\"\ntext = \"Q?\"\ntalking_point = [\"x\"]\n\
             [[questions]]\nid = \"a\"\ntext = \"  \"\nprep = \"2x\"\n\
             [[questions]]\nid = \"bad id\"\ntext = \"R?\"\ntime_limit = \"30s\"\nwarn_at = \"45s\"\n",
            &[
                "2:1: unknown key `time_limt`; did you mean `time_limit`?",
                "6:1: unknown key `talking_point`; did you mean `talking_points`?",
                "8:6: duplicate question id \"a\" (first at line 4)",
                "9:8: empty question text",
                "10:8: prep: \"2x\": expected a duration like 90s, 2m, 1m30s or 1:30",
                "12:6: id \"bad id\": use letters, digits, '-', '_' or '.', like \"hipaa-breach-steps\"",
                "14:14: time_limit (30s) is shorter than warn_at (45s): the warning would come \
                 before the answer starts",
            ],
        ),
        (
            "prep = \"3m\"\n[[questions]]\nid = \"a\"\ntext = \"Q?\"\n",
            &[
                "1:8: time_limit (2m) is shorter than prep (3m): the thinking time should not be \
               longer than the answer",
            ],
        ),
        (
            "[[categories]]\nname = \"C\"\ntime_limit = \"1m\"\nwarn_at = \"90s\"\n\
             [[categories]]\nname = \"C\"\ncolour = \"red\"\n\
             [[questions]]\nid = \"a\"\ncategory = \"C\"\ntext = \"Q?\"\nmin = \"3m\"\n",
            &[
                "3:14: time_limit (1m) is shorter than warn_at (1m30s): the warning would come \
                 before the answer starts",
                "5:1: category \"C\" is declared twice",
                "7:1: unknown key `colour`; known keys: name, description, time_limit, prep, \
                 warn_at, star",
                "12:7: min (3m) is longer than time_limit (1m)",
            ],
        ),
        (
            "[[questions]]\ntext = \"Q?\"\nstar = \"yes\"\ntime_limit = 1.5\n",
            &[
                "1:1: question without `id`",
                "3:8: star: expected true or false, not a string",
                "4:14: time_limit: expected a duration like \"90s\", \"2m\", \"1m30s\", \"1:30\" or \
                 a number of seconds, not a float",
            ],
        ),
        (
            "[[questions]]\nid = \"a\"\ntext = \"Q?\"\ntime_limit = \"0s\"\nfollow_ups = [\"\", 3]\n",
            &[
                "4:14: time_limit: \"0s\": a duration must be more than zero",
                "5:15: follow_ups: empty entry",
                "5:19: follow_ups: expected a string, not an integer",
            ],
        ),
        (
            "name = \"x\"\n",
            &["2:1: the bank has no questions; add a [[questions]] entry"],
        ),
        (
            "reviewed = \"2026-12\"\n[[questions]]\nid = \"a\"\ntext = \"Q?\"\n",
            &[],
        ),
        (
            "reviewed = \"Dec 2026\"\n[[questions]]\nid = \"a\"\ntext = \"Q?\"\n\
             [[questions]]\nid = \"a\"\ntext = \"R?\"\n",
            &[
                "1:12: reviewed: \"Dec 2026\": expected a year and month like \"2026-12\"",
                "6:6: duplicate question id \"a\" (first at line 3)",
            ],
        ),
        (
            "reviewd = \"2026-12\"\n[[questions]]\nid = \"a\"\ntext = \"Q?\"\n",
            &["1:1: unknown key `reviewd`; did you mean `reviewed`?"],
        ),
        (
            "questions = 3\n",
            &["1:13: `questions` should be an array of tables ([[questions]]), not an integer"],
        ),
        (
            "name = \n[[questions]\n",
            &[
                "1:8: string values must be quoted, expected literal string",
                "2:13: unclosed array table, expected `]`",
            ],
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(lines(text, "b.toml"), *expected, "{text}");
    }
}

#[test]
fn json_problems_are_all_found() {
    let cases: &[(&str, &[&str])] = &[
        (r#"{"questions": [{"id": "a", "text": "Why?"}]}"#, &[]),
        (
            "{\"name\": \"x\", \"name\": \"y\",\n \"questions\": [\n  {\"id\": \"a\", \"text\": \"Q?\", \"folow_ups\": []},\n  {\"id\": \"a\", \"text\": \"R?\", \"time_limit\": \"2x\"}]}",
            &[
                "1:15: key `name` is given twice (first at line 1)",
                "3:29: unknown key `folow_ups`; did you mean `follow_ups`?",
                "4:10: duplicate question id \"a\" (first at line 3)",
                "4:43: time_limit: \"2x\": expected a duration like 90s, 2m, 1m30s or 1:30",
            ],
        ),
        (
            "[1, 2]",
            &["1:1: a bank is a table of keys (name, questions, ...), not an array"],
        ),
        ("{\"questions\": [", &["1:15: EOF while parsing a list"]),
        (
            "{\"questions\": [{\"id\": \"\\u0041b\", \"text\": \"Q\", \"min\": null}]}",
            &[
                "1:54: min: expected a duration like \"90s\", \"2m\", \"1m30s\", \"1:30\" or a \
               number of seconds, not null",
            ],
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(lines(text, "b.json"), *expected, "{text}");
    }
}

#[test]
fn close_keys_are_suggested() {
    let known = [
        "time_limit",
        "prep",
        "warn_at",
        "talking_points",
        "follow_ups",
    ];
    assert_eq!(did_you_mean("timelimit", &known), Some("time_limit"));
    assert_eq!(did_you_mean("Prep", &known), Some("prep"));
    assert_eq!(did_you_mean("followups", &known), Some("follow_ups"));
    assert_eq!(did_you_mean("colour", &known), None);
}
