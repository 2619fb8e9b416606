//! `rehearse review report` end to end: where the page goes, what `-o` refuses to
//! replace, `--open`, the figures against `review stats --json`, and the page in a real
//! browser (headless Chromium): screenshots that are not blank, each chart's marks in
//! its own area, at desktop and phone width, and no request for anything outside the file.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Duration as ChronoDuration, FixedOffset, SecondsFormat};
use serde_json::{Value, json};

use rehearse::log::{
    Body, PlanEntry, QuestionEnded, QuestionStarted, Record, Reviewed, SCHEMA, SessionEnded,
    SessionStarted, Settings,
};
use rehearse::plan::LimitSource;
use rehearse::session::{Outcome, SessionOutcome};

use crate::util::Env;

/// Eight weeks of practice from the built-in bank: answers that get shorter, ratings that
/// get better, skips, answers over time, and notes (one of them HTML).
fn practice(env: &Env, sessions: usize) {
    let bank = rehearse::bank::find("healthcare-records-manager", None).unwrap();
    std::fs::create_dir_all(env.log_dir()).unwrap();
    let first = DateTime::parse_from_rfc3339("2026-10-01T19:00:00+02:00").unwrap();
    for s in 0..sessions {
        let start = first + ChronoDuration::hours(31 * s as i64);
        let mut out = String::new();
        let questions: Vec<_> = (0..4)
            .map(|k| &bank.questions[(s * 3 + k) % bank.questions.len()])
            .collect();
        let plan = questions
            .iter()
            .enumerate()
            .map(|(i, q)| PlanEntry {
                index: i + 1,
                id: q.id.clone(),
                category: q.category.clone(),
                text: q.text.clone(),
                limit_ms: 120_000,
                limit_source: LimitSource::Bank,
                prep_ms: 0,
                prep_source: LimitSource::Default,
                warn_ms: 30_000,
                warn_source: LimitSource::Default,
                min_ms: None,
            })
            .collect();
        push(
            &mut out,
            start,
            0,
            Body::SessionStarted(Box::new(SessionStarted {
                schema: SCHEMA,
                app_version: "0.1.0".into(),
                bank: bank.name.clone(),
                bank_key: bank.key.clone(),
                bank_source: "built-in".into(),
                settings: Some(Settings::new(&json!({"count": 4}))),
                seed: s as u64,
                plan,
            })),
        );
        let mut t = 0;
        for (i, q) in questions.iter().enumerate() {
            let index = i + 1;
            // Long answers at first, shorter as the weeks go by.
            let answer_ms = 150_000 - (s as u64 * 2_000) + (i as u64 * 7_000) % 20_000;
            let skipped = (s + i) % 7 == 0;
            let outcome = if skipped {
                Outcome::Skipped
            } else {
                Outcome::Answered
            };
            let answer_ms = if skipped { 4_000 } else { answer_ms };
            t += 500;
            push(
                &mut out,
                start,
                t,
                Body::QuestionStarted(QuestionStarted {
                    index,
                    id: q.id.clone(),
                    limit_ms: 120_000,
                }),
            );
            t += answer_ms;
            push(
                &mut out,
                start,
                t,
                Body::QuestionEnded(QuestionEnded {
                    index,
                    id: q.id.clone(),
                    outcome,
                    answer_ms,
                    overtime_ms: if skipped {
                        0
                    } else {
                        answer_ms.saturating_sub(120_000)
                    },
                    paused_ms: 0,
                    prep_ms: 0,
                    short: false,
                    take: 1,
                }),
            );
            if !skipped {
                let note = match (s + i) % 9 {
                    0 => Some("Lead with the <b>policy</b>, then the example & numbers.".into()),
                    4 => Some("Too long on background.".into()),
                    _ => None,
                };
                push(
                    &mut out,
                    start,
                    t,
                    Body::Reviewed(Reviewed {
                        index,
                        id: q.id.clone(),
                        rating: Some((1 + (s / 6 + i) % 5) as u8),
                        note,
                        star: None,
                    }),
                );
            }
        }
        push(
            &mut out,
            start,
            t + 10,
            Body::SessionEnded(SessionEnded {
                outcome: SessionOutcome::Completed,
                answered: 4,
                skipped: 0,
                time_up: 0,
                unfinished: 0,
                over_time: 0,
                total_ms: t + 10,
            }),
        );
        let name = format!("{}_{}.jsonl", start.format("%Y-%m-%d_%H-%M-%S"), bank.key);
        std::fs::write(env.log_dir().join(name), out).unwrap();
    }
}

fn push(out: &mut String, start: DateTime<FixedOffset>, t_ms: u64, body: Body) {
    let record = Record {
        at: (start + ChronoDuration::milliseconds(t_ms as i64))
            .to_rfc3339_opts(SecondsFormat::Millis, false),
        t_ms,
        body,
    };
    out.push_str(&serde_json::to_string(&record).unwrap());
    out.push('\n');
}

fn report(env: &Env, args: &[&str]) -> std::process::Output {
    env.cmd()
        .args(["review", "report"])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn without_o_the_page_goes_to_the_data_folder_and_its_path_is_printed() {
    let env = Env::new();
    practice(&env, 12);
    let out = stdout(&report(&env, &[]));
    let path = env.data_dir().join("report.html");
    assert_eq!(out, format!("{}\n", path.display()));
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // As private as the logs it comes from.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    assert!(html.contains("<meta name=\"generator\" content=\"rehearse review report\">"));
    // Nothing but the logs is in the log folder.
    for entry in std::fs::read_dir(env.log_dir()).unwrap() {
        let name = entry.unwrap().file_name();
        assert!(name.to_string_lossy().ends_with(".jsonl"), "{name:?}");
    }
    // A second run replaces its own report.
    stdout(&report(&env, &[]));
}

#[test]
fn the_page_has_the_figures_of_stats_json() {
    let env = Env::new();
    practice(&env, 30);
    let json: Value = serde_json::from_str(&stdout(
        &env.cmd()
            .args(["review", "stats", "--json"])
            .output()
            .unwrap(),
    ))
    .unwrap();
    let html_path = env.path().join("r.html");
    stdout(&report(&env, &["-o", html_path.to_str().unwrap()]));
    let html = std::fs::read_to_string(&html_path).unwrap();
    let o = &json["overview"];
    assert_eq!(o["sessions"], 30);
    assert!(html.contains(&format!("<b>{}</b>sessions", o["sessions"])));
    assert!(html.contains(&format!("<b>{}</b>answers and skips", o["attempts"])));
    // Every week of the timeline is a row of the weekly table, with its sessions.
    let weeks = json["timeline"]["weeks"].as_array().unwrap();
    assert!(weeks.len() >= 6, "{weeks:?}");
    for w in weeks {
        let row = format!(
            "<tr><td>{}</td><td>{}</td></tr>",
            w["start"].as_str().unwrap(),
            w["sessions"]
        );
        assert!(html.contains(&row), "{row}");
    }
    // The newest session's median answer as a share of its limit, as stats has it.
    let newest = json["timeline"]["sessions"]
        .as_array()
        .unwrap()
        .last()
        .unwrap();
    let share = newest["median_share"].as_f64().unwrap();
    assert!(html.contains(&format!("<td>{:.0}%</td>", share * 100.0)));
    // The weakest question, with its talking points from the bank, first in both.
    let weakest = json["questions"][0]["key"].as_str().unwrap();
    let article = &html[html.find("<article class=\"question\">").unwrap()..];
    assert!(article.starts_with(&format!("<article class=\"question\"><h3>{weakest}</h3>")));
    assert!(article[..article.find("</article>").unwrap()].contains("Talking points"));
    // The notes of the weakest questions, newest first, a note with HTML in it as text.
    let mut notes = 0;
    for q in json["questions"].as_array().unwrap().iter().take(5) {
        for n in q["notes"].as_array().into_iter().flatten() {
            let text = n["text"].as_str().unwrap();
            let shown = text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(html.contains(&shown), "{text}");
            notes += 1;
        }
    }
    assert!(notes > 0, "no notes among the weakest questions");
    assert!(!html.contains("<b>policy</b>"));
}

#[test]
fn bank_and_since_choose_the_sessions() {
    let env = Env::new();
    practice(&env, 30);
    let path = env.path().join("r.html");
    let p = path.to_str().unwrap();
    stdout(&report(&env, &["-o", p, "--since", "2026-11-01"]));
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.contains("Sessions since 2026-11-01"));
    // Weeks before November may be rows (of no sessions), but no session is.
    for (at, _) in html.match_indices("<td>2026-10-") {
        let cell = &html[at + 4..at + 4 + 15];
        assert!(
            cell.ends_with("</td>"),
            "an October session was shown: {cell}"
        );
    }
    stdout(&report(&env, &["-o", p, "--bank", "behavioral"]));
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.contains("Nothing to show yet"));
}

#[test]
fn an_empty_history_gives_a_friendly_page() {
    let env = Env::new();
    let out = stdout(&report(&env, &[]));
    let html = std::fs::read_to_string(out.trim()).unwrap();
    assert!(html.contains("Nothing to show yet"));
    assert!(html.contains("rehearse run"));
}

#[test]
fn o_never_replaces_a_session_log_or_another_file() {
    let env = Env::new();
    practice(&env, 3);
    let log = env.logs()[0].clone();
    let before = std::fs::read(&log).unwrap();
    let refused = |target: &Path, why: &str| {
        let out = report(&env, &["-o", target.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{target:?}: {err}");
        assert!(err.contains(why), "{target:?}: {err}");
    };
    // In the log folder, directly or through a symlink from outside.
    refused(&log, "is in the log folder");
    let link = env.path().join("link.html");
    std::os::unix::fs::symlink(&log, &link).unwrap();
    refused(&link, "is in the log folder");
    // A copy of a log elsewhere, and a symlink to it.
    let copy = env.path().join("copy.jsonl");
    std::fs::copy(&log, &copy).unwrap();
    refused(&copy, "is a session log");
    let link_to_copy = env.path().join("copy-link.html");
    std::os::unix::fs::symlink(&copy, &link_to_copy).unwrap();
    refused(&link_to_copy, "is a session log");
    // Any other file, and a symlink to nothing.
    let notes = env.write("notes.html", "<p>my own page</p>");
    refused(&notes, "is not a report of rehearse");
    let dangling = env.path().join("gone.html");
    std::os::unix::fs::symlink(env.path().join("nothing"), &dangling).unwrap();
    refused(&dangling, "a symlink to nothing");
    assert_eq!(std::fs::read(&log).unwrap(), before);
    assert_eq!(std::fs::read(&copy).unwrap(), before);
    assert_eq!(
        std::fs::read_to_string(&notes).unwrap(),
        "<p>my own page</p>"
    );
    // A report written before is replaced, through a symlink too (the link stays).
    let old = env.path().join("old.html");
    stdout(&report(&env, &["-o", old.to_str().unwrap()]));
    let old_link = env.path().join("old-link.html");
    std::os::unix::fs::symlink(&old, &old_link).unwrap();
    stdout(&report(&env, &["-o", old_link.to_str().unwrap()]));
    assert!(
        std::fs::symlink_metadata(&old_link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn open_hands_the_page_to_xdg_open() {
    let env = Env::new();
    practice(&env, 3);
    let bin = env.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let opener = bin.join("xdg-open");
    let seen = env.path().join("opened");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", seen.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = env.path().join("r.html");
    let out = env
        .cmd()
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .args(["review", "report", "--open", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    stdout(&out);
    assert_eq!(
        std::fs::read_to_string(&seen).unwrap(),
        path.to_str().unwrap()
    );
    // Without an opener the page is still written, with a note.
    let out = env
        .cmd()
        .env("PATH", "/nonexistent")
        .args(["review", "report", "--open", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot run xdg-open"));
}

// ---------------------------------------------------------------------------------------
// In a real browser

/// Headless Chromium, as docs/development.md says to run it; fails (never skips) when it is missing.
pub(crate) fn chromium(args: &[&str], url: &str) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run chromium ({e}): the browser test needs it; install the Debian package \
                 `chromium` (apt-get install chromium)"
            )
        });
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub(crate) struct Shot {
    width: usize,
    height: usize,
    rgb: Vec<[u8; 3]>,
}

impl Shot {
    pub(crate) fn take(url: &str, width: usize, height: usize, path: &Path) -> Shot {
        chromium(
            &[
                &format!("--screenshot={}", path.display()),
                &format!("--window-size={width},{height}"),
            ],
            url,
        );
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let channels = info.color_type.samples();
        assert!(
            info.bit_depth == png::BitDepth::Eight && channels >= 3,
            "{info:?}"
        );
        let rgb = buf[..info.buffer_size()]
            .chunks(channels)
            .map(|p| [p[0], p[1], p[2]])
            .collect();
        Shot {
            width: info.width as usize,
            height: info.height as usize,
            rgb,
        }
    }

    /// Pixels of exactly `colour` (`#rrggbb`) in the rectangle.
    pub(crate) fn count(&self, colour: &str, x: usize, y: usize, w: usize, h: usize) -> usize {
        let c = u32::from_str_radix(&colour[1..], 16).unwrap();
        let want = [(c >> 16) as u8, (c >> 8) as u8, c as u8];
        let mut n = 0;
        for row in y..(y + h).min(self.height) {
            for col in x..(x + w).min(self.width) {
                if self.rgb[row * self.width + col] == want {
                    n += 1;
                }
            }
        }
        n
    }

    /// The share of pixels that are not white.
    fn ink(&self) -> f64 {
        let dark = self.rgb.iter().filter(|p| **p != [255, 255, 255]).count();
        dark as f64 / self.rgb.len() as f64
    }
}

/// Each chart and the colours its marks are drawn in (Okabe-Ito; the calendar's darkest
/// shade is its blue).
const MARKS: [(&str, &[&str]); 7] = [
    ("weekly-sessions", &["#0072b2"]),
    ("weekly-minutes", &["#e69f00"]),
    ("calendar", &["#0072b2", "#6baed6"]),
    ("timing", &["#0072b2", "#d55e00"]),
    ("category-rates", &["#d55e00", "#56b4e9"]),
    ("category-ratings", &["#009e73"]),
    ("ratings", &["#009e73"]),
];

pub(crate) fn chart_svg<'a>(html: &'a str, id: &str) -> &'a str {
    let figure = html
        .find(&format!("<figure id=\"fig-{id}\""))
        .unwrap_or_else(|| panic!("no chart {id} in the page"));
    let start = figure + html[figure..].find("<svg").unwrap();
    let end = start + html[start..].find("</svg>").unwrap() + "</svg>".len();
    &html[start..end]
}

pub(crate) fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn the_page_renders_in_chromium() {
    let env = Env::new();
    practice(&env, 40);
    let dir = env.path();
    let page = dir.join("report.html");
    stdout(&report(&env, &["-o", page.to_str().unwrap()]));
    let html = std::fs::read_to_string(&page).unwrap();
    let keep = std::env::var_os("REHEARSE_KEEP_SCREENSHOTS").map(PathBuf::from);
    let shot_path = |name: &str| match &keep {
        Some(d) => {
            std::fs::create_dir_all(d).unwrap();
            d.join(name)
        }
        None => dir.join(name),
    };

    // The whole page, wide and at phone width: drawn, with every chart's colours.
    for (name, width, height) in [("desktop.png", 1200, 3000), ("phone.png", 390, 3000)] {
        let shot = Shot::take(&file_url(&page), width, height, &shot_path(name));
        assert_eq!((shot.width, shot.height), (width, height));
        let ink = shot.ink();
        assert!(
            ink > 0.05,
            "{name}: the page looks blank ({ink:.3} of it is not white)"
        );
        for colour in ["#0072b2", "#e69f00", "#d55e00"] {
            let n = shot.count(colour, 0, 0, width, height);
            assert!(n > 50, "{name}: only {n} pixels of {colour}");
        }
    }

    // Each chart alone in a cell of known place and size: its marks are in its cell.
    let (cell_w, cell_h) = (600, 420);
    let mut grid = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>body{margin:0}\
         div{position:absolute;width:600px;height:420px;overflow:hidden}\
         svg{width:600px;height:auto}</style></head><body>",
    );
    for (i, (id, _)) in MARKS.iter().enumerate() {
        grid.push_str(&format!(
            "<div style=\"left:{}px;top:{}px\">{}</div>",
            (i % 2) * cell_w,
            (i / 2) * cell_h,
            chart_svg(&html, id)
        ));
    }
    grid.push_str("</body></html>");
    let grid_path = dir.join("charts.html");
    std::fs::write(&grid_path, grid).unwrap();
    let rows = MARKS.len().div_ceil(2);
    let shot = Shot::take(
        &file_url(&grid_path),
        2 * cell_w,
        rows * cell_h,
        &shot_path("charts.png"),
    );
    for (i, (id, colours)) in MARKS.iter().enumerate() {
        let (x, y) = ((i % 2) * cell_w, (i / 2) * cell_h);
        for colour in *colours {
            let n = shot.count(colour, x, y, cell_w, cell_h);
            assert!(
                n >= 20,
                "chart {id}: {n} pixels of {colour}: its marks are missing"
            );
        }
    }

    // The DOM as the browser built it has every chart, and the page asked the network
    // for nothing: the net log holds only the browser's own requests ("not an origin"),
    // none made by the page.
    let net_log = dir.join("net.json");
    let dom = chromium(
        &[
            "--dump-dom",
            &format!("--log-net-log={}", net_log.display()),
        ],
        &file_url(&page),
    );
    let dom = String::from_utf8(dom.stdout).unwrap();
    assert!(dom.contains("<h1>Practice report</h1>"), "{dom}");
    for (id, _) in MARKS {
        assert!(
            dom.contains(&format!("<desc id=\"{id}-d\">")),
            "{id} missing in the DOM"
        );
    }
    assert!(!dom.contains("parsererror") && !dom.contains("error on line"));
    assert_eq!(page_requests(&net_log), Vec::<String>::new());

    // The check itself catches a page that fetches something.
    let bad = dir.join("bad.html");
    std::fs::write(
        &bad,
        "<html><body><img src=\"http://127.0.0.1:9/x.png\"></body></html>",
    )
    .unwrap();
    let bad_log = dir.join("bad-net.json");
    chromium(
        &[
            "--dump-dom",
            &format!("--log-net-log={}", bad_log.display()),
        ],
        &file_url(&bad),
    );
    assert_eq!(page_requests(&bad_log), ["http://127.0.0.1:9/x.png"]);
}

/// URLs the page itself asked for, from Chromium's net log: requests whose initiator is
/// an origin (a file page's is "null"), not the browser's own.
fn page_requests(net_log: &Path) -> Vec<String> {
    let log: Value = serde_json::from_str(&std::fs::read_to_string(net_log).unwrap()).unwrap();
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].clone();
    assert!(
        start_job.is_number(),
        "no URL_REQUEST_START_JOB in the net log"
    );
    let mut urls: Vec<String> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == start_job)
        .filter(|e| e["params"]["initiator"] != "not an origin")
        .filter_map(|e| e["params"]["url"].as_str().map(str::to_string))
        .collect();
    urls.dedup();
    urls
}
