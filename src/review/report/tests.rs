//! The report from fixed sessions: a snapshot of each chart's SVG, the text alternatives,
//! escaping, and the friendly page of an empty history.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, NaiveDate};

use super::{Context, page, svg};
use crate::log::read::testlog::{q, session, spoken};
use crate::review::stats::{Aggregator, Stats};
use crate::review::{Detail, Interner, read_from};
use crate::session::{Outcome, SessionOutcome};

const NASTY: &str = "<script>alert(\"x\")</script> & 'more'";

/// Five sessions over three weeks: two banks, ratings getting better, notes (one of them
/// hostile HTML), skips and answers over time.
fn stats() -> Stats {
    use Outcome::*;
    let privacy = "Confidentiality & release";
    let retention = "Retention";
    let star = "Behavioral";
    let sessions = [
        (
            "2026-11-09T19:00:00.000+01:00",
            "healthcare-records-manager",
            vec![
                q("hipaa", privacy, 120, Answered, 130).rated(2, Some(NASTY)),
                q("legal-hold", retention, 90, Skipped, 5),
                q("retention", retention, 120, TimeUp, 120).rated(1, None),
            ],
        ),
        (
            "2026-11-12T08:00:00.000+01:00",
            "healthcare-records-manager",
            vec![
                q("hipaa", privacy, 120, Answered, 115)
                    .rated(3, Some("Name the exceptions."))
                    .recorded(&[spoken(115, Some(6_500), 70, 7_000, 3)]),
                q("legal-hold", retention, 90, Answered, 95).rated(2, None),
            ],
        ),
        (
            "2026-11-18T19:30:00.000+01:00",
            "behavioral",
            vec![
                q("conflict", star, 150, Answered, 140).rated(4, None),
                q("failure", star, 150, Skipped, 3),
            ],
        ),
        (
            "2026-11-24T07:45:00.000+01:00",
            "healthcare-records-manager",
            vec![
                q("hipaa", privacy, 120, Answered, 98)
                    .rated(4, None)
                    .recorded(&[
                        spoken(40, Some(4_000), 20, 5_000, 2),
                        spoken(98, Some(2_000), 85, 3_500, 1),
                    ]),
                q("retention", retention, 120, Answered, 100)
                    .rated(3, None)
                    .recorded(&[spoken(100, Some(1_500), 90, 2_000, 0)]),
                q("legal-hold", retention, 90, Answered, 80),
            ],
        ),
        (
            "2026-11-26T07:45:00.000+01:00",
            "healthcare-records-manager",
            vec![q("retention", retention, 120, Answered, 90).rated(5, None)],
        ),
    ];
    let mut interner = Interner::default();
    let mut agg = Aggregator::new(None);
    for (at, bank, questions) in sessions {
        let text = session(at, bank, &questions, Some(SessionOutcome::Completed));
        let s = read_from(
            Path::new("x"),
            text.as_bytes(),
            Detail::Questions,
            &mut interner,
        )
        .unwrap();
        agg.add(&s);
    }
    let mut stats = agg.finish();
    for line in &mut stats.questions {
        if &*line.key == "legal-hold" {
            line.due = NaiveDate::from_ymd_opt(2026, 11, 29);
        }
        if &*line.key == "hipaa" {
            line.due = NaiveDate::from_ymd_opt(2026, 12, 3);
        }
    }
    stats
}

fn render(stats: &Stats) -> String {
    let mut points = HashMap::new();
    points.insert(
        "legal-hold".to_string(),
        vec![
            "Counsel issues it.".to_string(),
            "Stop <destruction>.".to_string(),
        ],
    );
    page(
        stats,
        &Context {
            today: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            generated: DateTime::parse_from_rfc3339("2026-12-01T12:00:00+01:00").unwrap(),
            scope: "Every session".to_string(),
            talking_points: &points,
            unreadable: 1,
            warnings: vec!["The bank \"x\" could not be loaded.".to_string()],
        },
    )
}

/// The SVG of the chart in the figure `id`.
fn chart<'a>(html: &'a str, id: &str) -> &'a str {
    let figure = html
        .find(&format!("<figure id=\"fig-{id}\""))
        .unwrap_or_else(|| panic!("no figure {id}"));
    let start = figure + html[figure..].find("<svg").unwrap();
    let end = start + html[start..].find("</svg>").unwrap() + "</svg>".len();
    &html[start..end]
}

const CHARTS: [&str; 10] = [
    "weekly-sessions",
    "weekly-minutes",
    "calendar",
    "timing",
    "category-rates",
    "category-ratings",
    "ratings",
    "first-word",
    "speaking-share",
    "long-pauses",
];

#[test]
fn each_chart_snapshot() {
    let html = render(&stats());
    for id in CHARTS {
        insta::assert_snapshot!(format!("chart_{id}"), chart(&html, id));
    }
}

#[test]
fn every_chart_has_a_title_a_description_and_axis_labels() {
    let html = render(&stats());
    for id in CHARTS {
        let svg = chart(&html, id);
        assert!(
            svg.contains(&format!("aria-labelledby=\"{id}-t {id}-d\"")),
            "{id}"
        );
        assert!(svg.contains(&format!("<title id=\"{id}-t\">")), "{id}");
        assert!(svg.contains(&format!("<desc id=\"{id}-d\">")), "{id}");
        // Each figure has its numbers in a table right below the chart.
        let after = &html[html.find(svg).unwrap() + svg.len()..];
        assert!(
            after.starts_with("</div><div class=\"numbers\"><table>"),
            "{id}: no table below"
        );
    }
}

#[test]
fn text_from_logs_and_banks_is_escaped() {
    let html = render(&stats());
    assert!(!html.contains("<script"), "a note got through unescaped");
    assert!(
        html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39;")
    );
    assert!(html.contains("Stop &lt;destruction&gt;."));
    assert!(html.contains("Confidentiality &amp; release"));
    // Nothing is fetched: no script, no link to a style sheet or font, no remote URL.
    for banned in [
        "<script", "<link", "@import", "url(", "src=", "http://", "https://",
    ] {
        let without_ns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(!without_ns.contains(banned), "{banned}");
    }
}

#[test]
fn the_page_shows_the_figures_of_stats() {
    let stats = stats();
    let html = render(&stats);
    // The newest session: one answer of 1:30 against 2:00 → 75 %, rated 5.
    let newest = stats.timeline.sessions.last().unwrap();
    assert_eq!(newest.median_share, Some(0.75));
    let row = "<td>2026-11-26 07:45</td><td>1</td><td>75%</td><td>0% (0)</td>";
    assert!(
        html.contains(row),
        "{}",
        &html[html.find("<td>2026-11-26 07:45").unwrap()..][..120]
    );
    // Weeks from Monday: 9, 16 and 23 November, then nothing until 1 December.
    let weeks: Vec<_> = stats
        .timeline
        .weeks
        .iter()
        .map(|w| (w.start.to_string(), w.sessions))
        .collect();
    assert_eq!(
        weeks,
        [
            ("2026-11-09".to_string(), 2),
            ("2026-11-16".to_string(), 1),
            ("2026-11-23".to_string(), 2)
        ]
    );
    assert!(html.contains("<td>2026-11-23</td><td>2</td>"));
    assert!(html.contains("<td>2026-11-30</td><td>0</td>"));
    // Due: legal-hold was due two days ago, hipaa in two days.
    assert!(html.contains("overdue by 2 days"));
    assert!(html.contains("in 2 days"));
    // The weakest question comes with its talking points and the notes written about it.
    let hipaa = &html[html.find("<article class=\"question\"><h3>hipaa").unwrap()..];
    let hipaa = &hipaa[..hipaa.find("</article>").unwrap()];
    assert!(hipaa.contains("2026-11-12</span> Name the exceptions."));
    assert!(html.contains("<li>Counsel issues it.</li>"));
}

#[test]
fn an_empty_history_gives_a_friendly_page() {
    let html = render(&Aggregator::new(None).finish());
    assert!(html.contains("Nothing to show yet"));
    assert!(html.contains("rehearse run"));
    assert!(!html.contains("<svg"));
    assert!(html.ends_with("</html>\n"));
}

#[test]
fn sessions_without_attempts_or_ratings_still_draw() {
    // A session cut off in its first question: it counts, but nothing was answered.
    let text = session(
        "2026-11-30T09:00:00.000+01:00",
        "behavioral",
        &[q("conflict", "Behavioral", 120, Outcome::Unfinished, 10)],
        None,
    );
    let s = read_from(
        Path::new("x"),
        text.as_bytes(),
        Detail::Questions,
        &mut Interner::default(),
    )
    .unwrap();
    let mut agg = Aggregator::new(None);
    agg.add(&s);
    let html = render(&agg.finish());
    assert!(html.contains("fig-weekly-sessions"));
    assert!(html.contains("No answers are rated yet"));
    assert!(!html.contains("NaN") && !html.contains("inf"));
}

#[test]
fn nice_steps_and_shades() {
    assert_eq!(svg::nice_step(0.0), 1.0);
    assert_eq!(svg::nice_step(3.0), 1.0);
    assert_eq!(svg::nice_step(7.0), 2.0);
    assert_eq!(svg::nice_step(100.0), 20.0);
    assert_eq!(svg::nice_step(240.0), 50.0);
    assert_eq!(svg::shade(0.0, [5.0, 10.0, 20.0]), 0);
    assert_eq!(svg::shade(3.0, [5.0, 10.0, 20.0]), 1);
    assert_eq!(svg::shade(12.0, [5.0, 10.0, 20.0]), 3);
    assert_eq!(svg::shade(60.0, [5.0, 10.0, 20.0]), 4);
}

#[test]
fn sparkline_snapshot() {
    insta::assert_snapshot!(svg::sparkline(
        "retention: 1:40, skip, 2:10 against 2:00",
        &[Some(0.83), None, Some(1.08)]
    ));
}

#[test]
fn the_spoken_section_has_the_figures_of_the_recordings() {
    let html = render(&stats());
    let section = &html[html
        .find("<section id=\"spoken\">")
        .expect("a spoken section")..];
    let section = &section[..section.find("</section>").unwrap()];
    // Three recorded answers: first words 6.5, 2 and 1.5 s; 245 of 315 s spoken.
    assert!(
        section.contains("3 answers recorded: the first word came after 2&nbsp;s (the median), you spoke 78% of the time, with 4 long pauses"),
        "{section}"
    );
    // Per session: the second has 6.5 s, the fourth a median of 1.5 and 2 s.
    assert!(
        section.contains("<td>2026-11-12 08:00</td><td>1</td><td>6.5 s</td>"),
        "{section}"
    );
    assert!(
        section.contains("<td>2026-11-24 07:45</td><td>2</td><td>1.8 s</td>"),
        "{section}"
    );
}

#[test]
fn without_recordings_there_is_no_spoken_section() {
    let mut stats = stats();
    stats.overview.spoken = None;
    assert!(!render(&stats).contains("id=\"spoken\""));
}

#[test]
fn counts_have_whole_ticks() {
    // One session in the busiest week: ticks at 0 and 1, never 0.2.
    let mut stats = stats();
    for week in &mut stats.timeline.weeks {
        week.sessions = week.sessions.min(1);
    }
    let html = render(&stats);
    let sessions = chart(&html, "weekly-sessions");
    for tick in ["0.2", "0.4", "0.5", "0.6", "0.8"] {
        assert!(!sessions.contains(&format!(">{tick}</text>")), "{sessions}");
    }
    assert!(sessions.contains(">1</text>"), "{sessions}");
}

#[test]
fn a_table_says_how_many_of_the_sessions_it_lists() {
    // Two of the five sessions were recorded, and four rated.
    let mut stats = stats();
    stats.timeline.sessions[2].mean_rating = None;
    stats.timeline.sessions[2].ratings = 0;
    let html = render(&stats);
    assert!(
        html.contains("Recorded sessions, newest first (2 of all 5 sessions)"),
        "{html}"
    );
    assert!(
        html.contains("Rated sessions, newest first (4 of all 5 sessions)"),
        "{html}"
    );
}

#[test]
fn a_line_goes_on_across_a_gap_dashed() {
    let mut stats = stats();
    stats.timeline.sessions[2].mean_rating = None;
    stats.timeline.sessions[2].ratings = 0;
    let html = render(&stats);
    let ratings = chart(&html, "ratings");
    let paths: Vec<&str> = ratings
        .split("<path ")
        .skip(1)
        .map(|p| &p[..p.find("/>").unwrap()])
        .filter(|p| p.contains("fill=\"none\""))
        .collect();
    // One solid path of two segments (1-2 and 4-5), one dashed across 3 (2-4).
    assert_eq!(paths.len(), 2, "{ratings}");
    assert!(!paths[0].contains("dasharray"), "{}", paths[0]);
    assert_eq!(paths[0].matches('M').count(), 2, "{}", paths[0]);
    assert!(paths[1].contains("stroke-dasharray"), "{}", paths[1]);
    assert_eq!(paths[1].matches('M').count(), 1, "{}", paths[1]);
    // Four marks (diamonds) for four rated sessions, and one in the legend.
    assert_eq!(ratings.matches("l4.5 4.5l-4.5 4.5").count(), 5, "{ratings}");
}
