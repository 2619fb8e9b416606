//! `review report`: one self-contained HTML page of charts of a practice history. Pure:
//! the [`Stats`] that `review stats` shows (the same figures, worked out once in
//! `stats`) and a little context go in, a string of HTML comes out. The page has its CSS
//! and SVG inline, no script, no font or anything else fetched, and every text from a log
//! or a bank is escaped. Reading logs and banks and writing the file belong to
//! `commands::report`.

pub mod svg;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fmt::Write;
use std::time::Duration;

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate};

use crate::duration::clock;
use crate::review::stats::{Line, Period, SessionPoint, Stats, week_of};
use svg::{Frame, Marker, Scale, Series, esc, num};

/// The generator tag; `-o` replaces an existing file only when it carries it.
pub const GENERATOR: &str = "rehearse review report";

/// The weekly charts and the calendar show up to a year.
pub const WEEKS: usize = 53;
/// The weekly charts show at least two months, so a short history has slim columns.
pub const MIN_WEEKS: usize = 9;
/// The per-session charts show the newest sessions, so each one stays readable.
pub const SESSIONS: usize = 60;
/// Questions in the list of the weakest, and in the list of what is due.
pub const WEAKEST: usize = 5;
pub const DUE: usize = 10;

/// What the page needs besides the stats.
pub struct Context<'a> {
    /// The day the report is made (the local date): the calendar ends with it.
    pub today: NaiveDate,
    pub generated: DateTime<FixedOffset>,
    /// Which sessions count, for the header: "every session", "bank X since D".
    pub scope: String,
    /// Talking points by question id, from the banks of the sessions.
    pub talking_points: &'a HashMap<String, Vec<String>>,
    /// Files of the log folder that are not readable logs (review names them).
    pub unreadable: usize,
    /// Things the person should know, such as a bank that could not be loaded.
    pub warnings: Vec<String>,
}

const CSS: &str = "\
:root{color-scheme:light;--ink:#222;--muted:#555;--line:#d0d0d0}\
*{box-sizing:border-box}\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);background:#fff;\
margin:0 auto;max-width:60rem;padding:1rem;line-height:1.45}\
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line)}\
h3{font-size:1rem;margin:0 0 .3rem}\
.muted{color:var(--muted)}\
figure{margin:1.2rem 0;break-inside:avoid;page-break-inside:avoid}\
svg.chart{width:100%;height:auto;display:block;min-width:30rem}\
.plot{overflow-x:auto}\
.plot.newest{direction:rtl}.plot.newest svg{direction:ltr;min-width:42rem}\
.numbers{overflow-x:auto;max-height:18rem;overflow-y:auto;border:1px solid var(--line);margin-top:.4rem}\
.wide{overflow-x:auto}\
table{border-collapse:collapse;font-size:.85rem;width:100%}\
caption{text-align:left;font-weight:600;padding:.3rem .4rem}\
th,td{padding:.2rem .5rem;border-bottom:1px solid #eee;text-align:right;vertical-align:top}\
th:first-child,td:first-child{text-align:left}.numbers td:first-child{white-space:nowrap}\
td.text,th.text{text-align:left}\
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.6rem;padding:0;list-style:none}\
.cards li{border:1px solid var(--line);border-radius:.4rem;padding:.5rem}\
.cards b{display:block;font-size:1.3rem}\
.question{border:1px solid var(--line);border-radius:.4rem;padding:.6rem .8rem;margin:.8rem 0;break-inside:avoid}\
.question p{margin:.3rem 0}\
.warning{border-left:4px solid #e69f00;padding:.3rem .6rem;background:#fff8e6}\
@media (max-width:40rem){body{padding:.6rem}h1{font-size:1.3rem}table{font-size:.8rem}}\
@media print{body{max-width:none;padding:0;font-size:10pt}.numbers{max-height:none;overflow:visible;border:0}\
h2{break-after:avoid}a{color:inherit}}";

/// The whole page.
pub fn page(stats: &Stats, cx: &Context) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"generator\" content=\"{GENERATOR}\">\
         <title>Practice report: rehearse</title><style>{CSS}</style></head><body>\n\
         <header><h1>Practice report</h1><p class=\"muted\">{}. Made {}.</p></header>\n",
        esc(&cx.scope),
        cx.generated.format("%a %Y-%m-%d %H:%M"),
    );
    for warning in &cx.warnings {
        let _ = writeln!(out, "<p class=\"warning\">{}</p>", esc(warning));
    }
    if cx.unreadable > 0 {
        let _ = writeln!(
            out,
            "<p class=\"warning\">{} in the log folder could not be read and {} left out; \
             <code>rehearse review</code> says why.</p>",
            plural(cx.unreadable, "file", "files"),
            if cx.unreadable == 1 { "is" } else { "are" }
        );
    }
    if stats.overview.sessions == 0 {
        out.push_str(
            "<main><h2>Nothing to show yet</h2><p>No sessions are in the history this report \
             covers. Take one with <code>rehearse run</code> and make the report again: your \
             practice, answer times and ratings will be drawn here as they add up.</p></main>\n",
        );
    } else {
        out.push_str("<main>\n");
        summary(&mut out, stats);
        practice(&mut out, stats, cx);
        timing(&mut out, stats);
        categories(&mut out, stats);
        ratings(&mut out, stats);
        spoken(&mut out, stats);
        said(&mut out, stats);
        due(&mut out, stats, cx);
        weakest(&mut out, stats, cx);
        out.push_str("</main>\n");
    }
    out.push_str(
        "<footer><p class=\"muted\">Made by <code>rehearse review report</code>. The figures are \
         those of <code>rehearse review stats --json</code>.</p></footer>\n</body></html>\n",
    );
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn minutes(ms: u64) -> f64 {
    ms as f64 / 60_000.0
}

fn ms(ms: u64) -> String {
    clock(Duration::from_millis(ms))
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn rating(r: Option<f64>) -> String {
    r.map_or_else(|| "-".to_string(), |r| format!("{r:.1}"))
}

fn summary(out: &mut String, stats: &Stats) {
    let o = &stats.overview;
    let share = |k: usize| {
        if o.attempts == 0 {
            "-".to_string()
        } else {
            percent(k as f64 / o.attempts as f64)
        }
    };
    let span = match (o.first, o.last) {
        (Some(a), Some(b)) => format!("{} to {}", a.format("%-d %b %Y"), b.format("%-d %b %Y")),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "<section id=\"summary\"><h2>In short</h2><ul class=\"cards\">\
         <li><b>{}</b>sessions ({} completed, {} ended early, {} cut off)</li>\
         <li><b>{}</b>minutes practised</li>\
         <li><b>{}</b>answers and skips</li>\
         <li><b>{}</b>of them over time</li>\
         <li><b>{}</b>of them skipped</li>\
         </ul><p class=\"muted\">From {}.</p></section>",
        o.sessions,
        o.completed,
        o.aborted,
        o.interrupted,
        num(minutes(o.practice_ms).round()),
        o.attempts,
        share(o.over_time),
        share(o.skipped),
        esc(&span),
    );
}

/// The last day the weekly charts and the calendar show: today, unless the history
/// stopped more than their span ago (then its last day, so the charts are not empty).
fn window_end(stats: &Stats, today: NaiveDate) -> NaiveDate {
    let last = stats
        .overview
        .last
        .map_or(today, |l| l.date_naive())
        .min(today);
    if today - last > chrono::Duration::weeks(WEEKS as i64 - 1) {
        last
    } else {
        today
    }
}

/// Every week from the first with practice (or a year back) to `end`, the missing ones
/// as zero.
fn week_window(weeks: &[Period], end: NaiveDate) -> Vec<(NaiveDate, Option<&Period>)> {
    let last = week_of(end);
    let earliest = last - Days::new(7 * (WEEKS as u64 - 1));
    let latest_first = last - Days::new(7 * (MIN_WEEKS as u64 - 1));
    let first = weeks
        .iter()
        .map(|w| w.start)
        .find(|&s| s >= earliest)
        .unwrap_or(last)
        .min(latest_first);
    let by_start: HashMap<NaiveDate, &Period> = weeks.iter().map(|w| (w.start, w)).collect();
    let mut out = Vec::new();
    let mut w = first;
    while w <= last {
        out.push((w, by_start.get(&w).copied()));
        w = w + Days::new(7);
    }
    out
}

fn figure(out: &mut String, id: &str, title: &str, chart: &str, table: &str) {
    // On a narrow screen a chart scrolls sideways; the calendar starts scrolled to its
    // newest weeks (a right-to-left box scrolls from the right, with no script).
    let class = if id == "calendar" {
        "plot newest"
    } else {
        "plot"
    };
    let _ = writeln!(
        out,
        "<figure id=\"fig-{id}\"><figcaption><h3>{}</h3></figcaption><div class=\"{class}\">{chart}</div>\
         <div class=\"numbers\">{table}</div></figure>",
        esc(title)
    );
}

/// A table: a caption, column heads (a leading `<` makes a column left-aligned text) and
/// rows of cells that are already HTML.
fn table(caption: &str, heads: &[&str], rows: &[Vec<String>]) -> String {
    let mut t = format!("<table><caption>{}</caption><thead><tr>", esc(caption));
    let text: Vec<bool> = heads.iter().map(|h| h.starts_with('<')).collect();
    for h in heads {
        let (class, h) = match h.strip_prefix('<') {
            Some(h) => (" class=\"text\"", h),
            None => ("", *h),
        };
        let _ = write!(t, "<th scope=\"col\"{class}>{}</th>", esc(h));
    }
    t.push_str("</tr></thead><tbody>");
    for row in rows {
        t.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            // The first column is left-aligned by the style sheet already.
            let class = if i > 0 && text.get(i).copied().unwrap_or(false) {
                " class=\"text\""
            } else {
                ""
            };
            let _ = write!(t, "<td{class}>{cell}</td>");
        }
        t.push_str("</tr>");
    }
    t.push_str("</tbody></table>");
    t
}

fn practice(out: &mut String, stats: &Stats, cx: &Context) {
    let end = window_end(stats, cx.today);
    let weeks = week_window(&stats.timeline.weeks, end);
    let labels: Vec<String> = weeks
        .iter()
        .map(|(w, _)| w.format("%-d %b").to_string())
        .collect();
    let sessions: Vec<f64> = weeks
        .iter()
        .map(|(_, p)| p.map_or(0.0, |p| p.sessions as f64))
        .collect();
    let mins: Vec<f64> = weeks
        .iter()
        .map(|(_, p)| p.map_or(0.0, |p| minutes(p.practice_ms).round()))
        .collect();
    let span = format!(
        "the {} weeks from {} to {}",
        weeks.len(),
        weeks.first().map_or(end, |w| w.0).format("%-d %b %Y"),
        end.format("%-d %b %Y")
    );
    out.push_str("<section id=\"practice\"><h2>Practice over time</h2>\n");
    let rows = |values: &[f64]| -> Vec<Vec<String>> {
        weeks
            .iter()
            .zip(values)
            .rev()
            .map(|((w, _), v)| vec![w.format("%Y-%m-%d").to_string(), num(*v)])
            .collect()
    };
    figure(
        out,
        "weekly-sessions",
        "Sessions per week",
        &svg::columns(
            &Frame {
                id: "weekly-sessions",
                title: "Sessions per week",
                desc: format!(
                    "Columns: how many sessions were taken each week over {span}; {} in all.",
                    sessions.iter().sum::<f64>()
                ),
                x_label: "week (starting Monday)",
                y_label: "sessions",
            },
            &labels,
            &sessions,
            svg::BLUE,
            "",
        ),
        &table(
            "Sessions per week, newest first",
            &["<Week from", "Sessions"],
            &rows(&sessions),
        ),
    );
    figure(
        out,
        "weekly-minutes",
        "Minutes practised per week",
        &svg::columns(
            &Frame {
                id: "weekly-minutes",
                title: "Minutes practised per week",
                desc: format!(
                    "Columns: minutes spent in sessions each week over {span}; {} in all.",
                    num(mins.iter().sum::<f64>())
                ),
                x_label: "week (starting Monday)",
                y_label: "minutes",
            },
            &labels,
            &mins,
            svg::ORANGE,
            "",
        ),
        &table(
            "Minutes practised per week, newest first",
            &["<Week from", "Minutes"],
            &rows(&mins),
        ),
    );
    calendar(out, stats, end);
    out.push_str("</section>\n");
}

fn calendar(out: &mut String, stats: &Stats, end: NaiveDate) {
    let first = week_of(end) - Days::new(7 * (WEEKS as u64 - 1));
    let days: HashMap<NaiveDate, &Period> = stats
        .timeline
        .days
        .iter()
        .filter(|d| d.start >= first && d.start <= end)
        .map(|d| (d.start, d))
        .collect();
    let day_minutes = |d: NaiveDate| days.get(&d).map_or(0.0, |p| minutes(p.practice_ms));
    // Shades by the quartiles of the days practised, so a light and a heavy practiser
    // both see differences.
    let mut practised: Vec<f64> = days.values().map(|p| minutes(p.practice_ms)).collect();
    practised.sort_unstable_by(f64::total_cmp);
    let q = |f: f64| {
        practised
            .get(((practised.len() as f64 - 1.0) * f).round() as usize)
            .copied()
            .unwrap_or(0.0)
            .round()
    };
    let mut thresholds = [q(0.25), q(0.5), q(0.75)];
    for i in 1..3 {
        thresholds[i] = thresholds[i].max(thresholds[i - 1] + 1.0);
    }
    let chart = svg::calendar(
        &Frame {
            id: "calendar",
            title: "Practice days",
            desc: format!(
                "A calendar of the year to {}, a square per day, a column per week: {} days \
                 with practice, darker for more minutes.",
                end.format("%-d %b %Y"),
                days.len()
            ),
            x_label: "each column is a week, Monday on top",
            y_label: "shade",
        },
        end,
        WEEKS,
        &day_minutes,
        thresholds,
    );
    // The table: a row per month of the calendar, newest first.
    let mut months: Vec<(NaiveDate, usize, usize, f64)> = Vec::new();
    let mut sorted: Vec<&&Period> = days.values().collect();
    sorted.sort_by_key(|p| p.start);
    for p in sorted {
        let month = p.start.with_day(1).expect("day 1 exists");
        if months.last().is_none_or(|m| m.0 != month) {
            months.push((month, 0, 0, 0.0));
        }
        let m = months.last_mut().expect("pushed above");
        m.1 += 1;
        m.2 += p.sessions;
        m.3 += minutes(p.practice_ms);
    }
    let rows: Vec<Vec<String>> = months
        .iter()
        .rev()
        .map(|(month, days, sessions, mins)| {
            vec![
                month.format("%B %Y").to_string(),
                days.to_string(),
                sessions.to_string(),
                num(mins.round()),
            ]
        })
        .collect();
    figure(
        out,
        "calendar",
        "Practice days",
        &chart,
        &table(
            "Practice per month, newest first",
            &["<Month", "Days practised", "Sessions", "Minutes"],
            &rows,
        ),
    );
}

/// The newest sessions, and each one's place on a time axis from 0 to 1, with labels.
fn session_window(stats: &Stats) -> (&[SessionPoint], Vec<f64>, Vec<(f64, String)>) {
    let all = &stats.timeline.sessions;
    let shown = &all[all.len().saturating_sub(SESSIONS)..];
    let (Some(first), Some(last)) = (shown.first(), shown.last()) else {
        return (shown, Vec::new(), Vec::new());
    };
    let t0 = first.started.timestamp() as f64;
    let span = last.started.timestamp() as f64 - t0;
    let xs: Vec<f64> = shown
        .iter()
        .map(|p| {
            if span > 0.0 {
                (p.started.timestamp() as f64 - t0) / span
            } else {
                0.5
            }
        })
        .collect();
    let long = span > 300.0 * 86_400.0;
    let label = |t: &DateTime<FixedOffset>| {
        if long {
            t.format("%b %Y").to_string()
        } else {
            t.format("%-d %b").to_string()
        }
    };
    let labels = if span > 0.0 {
        let mut labels: Vec<(f64, String)> = Vec::new();
        for i in 0..5 {
            let f = f64::from(i) / 4.0;
            let t = first.started + chrono::Duration::seconds((span * f) as i64);
            let text = label(&t);
            if labels.last().is_none_or(|l| l.1 != text) {
                labels.push((f, text));
            }
        }
        labels
    } else {
        vec![(0.5, label(&first.started))]
    };
    (shown, xs, labels)
}

/// How many of the shown sessions a table lists: `2 of all 5 sessions`, or as many as
/// [`shown_sessions`] says when it lists them all.
fn listed_of(n: usize, shown: &[SessionPoint], all: usize) -> String {
    let which = shown_sessions(shown, all);
    if n == shown.len() {
        which
    } else {
        format!("{n} of {which}")
    }
}

fn shown_sessions(shown: &[SessionPoint], all: usize) -> String {
    if shown.len() == all {
        if all == 1 {
            "the one session".to_string()
        } else {
            format!("all {all} sessions")
        }
    } else {
        format!("the newest {} of {all} sessions", shown.len())
    }
}

fn timing(out: &mut String, stats: &Stats) {
    let (shown, xs, labels) = session_window(stats);
    let which = shown_sessions(shown, stats.overview.sessions);
    let series = [
        Series {
            name: "median answer, % of its limit",
            colour: svg::BLUE,
            marker: Marker::Circle,
            points: shown
                .iter()
                .zip(&xs)
                .map(|(p, &x)| (x, p.median_share.map(|s| s * 100.0)))
                .collect(),
        },
        Series {
            name: "answers over time, % of attempts",
            colour: svg::VERMILLION,
            marker: Marker::Square,
            points: shown
                .iter()
                .zip(&xs)
                .map(|(p, &x)| (x, (p.attempts > 0).then_some(p.over_rate * 100.0)))
                .collect(),
        },
    ];
    let chart = svg::points(
        &Frame {
            id: "timing",
            title: "Answer time against the limit, per session",
            desc: format!(
                "For {which}, oldest on the left: circles give the median answer as a share \
                 of its time limit (the dashed line across the chart is the limit), squares \
                 the share of attempts that went over time; a line of points is dashed across \
                 sessions without an answer."
            ),
            x_label: "session date",
            y_label: "percent",
        },
        &labels,
        &series,
        &Scale {
            min: 0.0,
            max: 100.0,
            unit: "%",
            reference: Some((100.0, "limit")),
        },
    );
    let rows: Vec<Vec<String>> = shown
        .iter()
        .rev()
        .map(|p| {
            vec![
                p.started.format("%Y-%m-%d %H:%M").to_string(),
                p.attempts.to_string(),
                p.median_share.map_or_else(|| "-".to_string(), percent),
                if p.attempts > 0 {
                    format!("{} ({})", percent(p.over_rate), p.over_time)
                } else {
                    "-".to_string()
                },
                p.skipped.to_string(),
            ]
        })
        .collect();
    out.push_str("<section id=\"timing\"><h2>Answer time against the limit</h2>\n");
    figure(
        out,
        "timing",
        "Answer time against the limit, per session",
        &chart,
        &table(
            &format!("Per session, newest first ({which})"),
            &[
                "<Session",
                "Attempts",
                "Median answer, % of limit",
                "Over time",
                "Skipped",
            ],
            &rows,
        ),
    );
    out.push_str("</section>\n");
}

fn categories(out: &mut String, stats: &Stats) {
    let cats = &stats.categories;
    if cats.is_empty() {
        return;
    }
    let rows: Vec<String> = cats.iter().map(|c| c.key.to_string()).collect();
    let over: Vec<Option<f64>> = cats.iter().map(|c| Some(c.over_rate * 100.0)).collect();
    let skip: Vec<Option<f64>> = cats.iter().map(|c| Some(c.skip_rate * 100.0)).collect();
    let max = over
        .iter()
        .chain(&skip)
        .flatten()
        .copied()
        .fold(10.0, f64::max);
    out.push_str("<section id=\"categories\"><h2>Per category, weakest first</h2>\n");
    let numbers: Vec<Vec<String>> = cats
        .iter()
        .map(|c| {
            vec![
                esc(&c.key),
                c.attempts.to_string(),
                percent(c.over_rate),
                percent(c.skip_rate),
                rating(c.mean_rating),
            ]
        })
        .collect();
    let heads = [
        "<Category",
        "Attempts",
        "Over time",
        "Skipped",
        "Mean rating (1-5)",
    ];
    figure(
        out,
        "category-rates",
        "Over time and skipped, per category",
        &svg::bar_rows(
            &Frame {
                id: "category-rates",
                title: "Over time and skipped, per category",
                desc: format!(
                    "Bars for {}, weakest first: the share of attempts that went over time, \
                     and the share skipped.",
                    plural(cats.len(), "category", "categories")
                ),
                x_label: "percent of attempts",
                y_label: "category",
            },
            &rows,
            &[
                ("over time", svg::VERMILLION, over),
                ("skipped", svg::SKY, skip),
            ],
            max,
            "%",
        ),
        &table("Per category, weakest first", &heads, &numbers),
    );
    category_ratings(out, cats, &rows);
    out.push_str("</section>\n");
}

/// The mean rating per category, or a word on how to have one.
fn category_ratings(out: &mut String, cats: &[Line], rows: &[String]) {
    if cats.iter().any(|c| c.mean_rating.is_some()) {
        figure(
            out,
            "category-ratings",
            "Mean rating, per category",
            &svg::bar_rows(
                &Frame {
                    id: "category-ratings",
                    title: "Mean rating, per category",
                    desc: "Bars, weakest category first: the mean of your own ratings of \
                           the answers, from 1 to 5."
                        .to_string(),
                    x_label: "mean rating (1 to 5)",
                    y_label: "category",
                },
                rows,
                &[(
                    "mean rating",
                    svg::GREEN,
                    cats.iter().map(|c| c.mean_rating).collect(),
                )],
                5.0,
                "",
            ),
            &table(
                "Mean rating per category, weakest first",
                &["<Category", "Mean rating (1-5)"],
                &cats
                    .iter()
                    .map(|c| vec![esc(&c.key), rating(c.mean_rating)])
                    .collect::<Vec<_>>(),
            ),
        );
    } else {
        out.push_str(
            "<p class=\"muted\">No answers are rated yet: rate them after each question in \
             <code>rehearse run</code> and the mean rating per category shows here.</p>\n",
        );
    }
}

fn ratings(out: &mut String, stats: &Stats) {
    out.push_str("<section id=\"ratings\"><h2>Ratings and each question</h2>\n");
    let (shown, xs, labels) = session_window(stats);
    if shown.iter().any(|p| p.mean_rating.is_some()) {
        let which = shown_sessions(shown, stats.overview.sessions);
        let chart = svg::points(
            &Frame {
                id: "ratings",
                title: "Your ratings over time, per session",
                desc: format!(
                    "For {which}, oldest on the left: the mean of the ratings you gave your \
                     answers in each session, from 1 to 5; the line is dashed across sessions \
                     without a rating."
                ),
                x_label: "session date",
                y_label: "mean rating (1 to 5)",
            },
            &labels,
            &[Series {
                name: "mean rating",
                colour: svg::GREEN,
                marker: Marker::Diamond,
                points: shown
                    .iter()
                    .zip(&xs)
                    .map(|(p, &x)| (x, p.mean_rating))
                    .collect(),
            }],
            &Scale {
                min: 1.0,
                max: 5.0,
                unit: "",
                reference: None,
            },
        );
        let rows: Vec<Vec<String>> = shown
            .iter()
            .rev()
            .filter(|p| p.ratings > 0)
            .map(|p| {
                vec![
                    p.started.format("%Y-%m-%d %H:%M").to_string(),
                    p.ratings.to_string(),
                    rating(p.mean_rating),
                ]
            })
            .collect();
        figure(
            out,
            "ratings",
            "Your ratings over time, per session",
            &chart,
            &table(
                &format!(
                    "Rated sessions, newest first ({})",
                    listed_of(rows.len(), shown, stats.timeline.sessions.len())
                ),
                &["<Session", "Ratings", "Mean rating"],
                &rows,
            ),
        );
    } else {
        out.push_str(
            "<p class=\"muted\">No answers are rated yet: rate them after each question in \
             <code>rehearse run</code> and your ratings over time show here.</p>\n",
        );
    }
    questions(out, &stats.questions);
    out.push_str("</section>\n");
}

/// The figures of each recorded session among those shown, newest first: the text
/// alternative of the first-word and speaking-share charts.
fn recorded_table(shown: &[SessionPoint], all: usize) -> String {
    let rows: Vec<Vec<String>> = shown
        .iter()
        .rev()
        .filter(|p| p.recorded > 0)
        .map(|p| {
            vec![
                p.started.format("%Y-%m-%d %H:%M").to_string(),
                p.recorded.to_string(),
                p.median_first_word_ms
                    .map_or_else(|| "-".to_string(), |ms| format!("{} s", num(secs(ms)))),
                p.speaking_share.map_or_else(|| "-".to_string(), percent),
                p.long_pauses.to_string(),
            ]
        })
        .collect();
    let heads = [
        "<Session",
        "Recorded",
        "Median first word",
        "Speaking share",
        "Long pauses",
    ];
    let caption = format!(
        "Recorded sessions, newest first ({})",
        listed_of(rows.len(), shown, all)
    );
    table(&caption, &heads, &rows)
}

/// How the recorded answers were spoken: the first word and the speaking share per
/// session, and long pauses per question. Only once answers are recorded.
fn spoken(out: &mut String, stats: &Stats) {
    let Some(all) = &stats.overview.spoken else {
        return;
    };
    out.push_str("<section id=\"spoken\"><h2>How you spoke</h2>\n");
    spoken_overall(out, all);
    spoken_sessions(out, stats);
    spoken_questions(out, stats);
    out.push_str("</section>\n");
}

/// How all the recorded answers were spoken, in a sentence.
fn spoken_overall(out: &mut String, all: &crate::review::stats::Spoken) {
    let _ = writeln!(
        out,
        "<p>{} recorded: the first word came after {} (the median), you spoke {} of the \
         time, with {} (as long as the pause threshold or longer).{}</p>",
        plural(all.recorded, "answer", "answers"),
        all.median_first_word_ms
            .map_or_else(|| "-".to_string(), |ms| format!("{}&nbsp;s", num(secs(ms)))),
        percent(all.speaking_share),
        plural(all.long_pauses as usize, "long pause", "long pauses"),
        if all.silent > 0 {
            format!(
                " In {} nothing was said.",
                plural(all.silent, "answer", "answers")
            )
        } else {
            String::new()
        }
    );
}

/// The first word and the speaking share, session by session.
fn spoken_sessions(out: &mut String, stats: &Stats) {
    let (shown, xs, labels) = session_window(stats);
    let which = shown_sessions(shown, stats.overview.sessions);
    let recorded = |p: &SessionPoint| p.recorded > 0;
    let first_words = svg::points(
        &Frame {
            id: "first-word",
            title: "First word, per session",
            desc: format!(
                "For the sessions with recordings among {which}, oldest on the left: the median time \
                 from the start of an answer to its first word, in seconds. The dashed line \
                 across the chart is 5 seconds, where a start counts as late; the line of \
                 points is dashed across sessions without a recording."
            ),
            x_label: "session date",
            y_label: "seconds",
        },
        &labels,
        &[Series {
            name: "median first word, seconds",
            colour: svg::BLUE,
            marker: Marker::Circle,
            points: shown
                .iter()
                .zip(&xs)
                .map(|(p, &x)| (x, p.median_first_word_ms.filter(|_| recorded(p)).map(secs)))
                .collect(),
        }],
        &Scale {
            min: 0.0,
            max: 6.0,
            unit: " s",
            reference: Some((5.0, "late")),
        },
    );
    let share = svg::points(
        &Frame {
            id: "speaking-share",
            title: "Speaking share, per session",
            desc: format!(
                "For the sessions with recordings among {which}, oldest on the left: the time spent \
                 speaking as a share of the time recorded; the line is dashed across \
                 sessions without a recording."
            ),
            x_label: "session date",
            y_label: "percent",
        },
        &labels,
        &[Series {
            name: "time spoken, % of the answer",
            colour: svg::GREEN,
            marker: Marker::Diamond,
            points: shown
                .iter()
                .zip(&xs)
                .map(|(p, &x)| {
                    (
                        x,
                        p.speaking_share.filter(|_| recorded(p)).map(|s| s * 100.0),
                    )
                })
                .collect(),
        }],
        &Scale {
            min: 0.0,
            max: 100.0,
            unit: "%",
            reference: None,
        },
    );
    let recorded_table = recorded_table(shown, stats.timeline.sessions.len());
    figure(
        out,
        "first-word",
        "First word, per session",
        &first_words,
        &recorded_table,
    );
    figure(
        out,
        "speaking-share",
        "Speaking share, per session",
        &share,
        &recorded_table,
    );
}

/// Long pauses per recorded answer, question by question.
fn spoken_questions(out: &mut String, stats: &Stats) {
    let questions: Vec<&Line> = stats
        .questions
        .iter()
        .filter(|l| l.spoken.is_some())
        .collect();
    let pauses: Vec<Option<f64>> = questions
        .iter()
        .filter_map(|l| l.spoken.as_ref())
        .map(|sp| Some(f64::from(sp.long_pauses) / sp.recorded.max(1) as f64))
        .collect();
    let max = pauses.iter().flatten().copied().fold(2.0, f64::max);
    let names: Vec<String> = questions.iter().map(|l| l.key.to_string()).collect();
    let numbers: Vec<Vec<String>> = questions
        .iter()
        .filter_map(|l| Some((l, l.spoken.as_ref()?)))
        .map(|(l, sp)| {
            vec![
                esc(&l.key),
                sp.recorded.to_string(),
                sp.median_first_word_ms
                    .map_or_else(|| "-".to_string(), |ms| format!("{} s", num(secs(ms)))),
                percent(sp.speaking_share),
                sp.long_pauses.to_string(),
                format!("{} s", num(secs(sp.longest_pause_ms))),
            ]
        })
        .collect();
    figure(
        out,
        "long-pauses",
        "Long pauses per recorded answer, per question",
        &svg::bar_rows(
            &Frame {
                id: "long-pauses",
                title: "Long pauses per recorded answer, per question",
                desc: format!(
                    "Bars for {}, weakest first: how many long pauses a recorded answer \
                     had, on average.",
                    plural(questions.len(), "question", "questions")
                ),
                x_label: "long pauses per answer",
                y_label: "question",
            },
            &names,
            &[("long pauses", svg::VERMILLION, pauses)],
            max,
            "",
        ),
        &table(
            "Recorded questions, weakest first",
            &[
                "<Question",
                "Recorded",
                "Median first word",
                "Speaking share",
                "Long pauses",
                "Longest pause",
            ],
            &numbers,
        ),
    );
    out.push_str("</section>\n");
}

/// What the transcribed answers said (`run --transcribe`): pace, filler words and the
/// talking points covered, overall and per question.
fn said(out: &mut String, stats: &Stats) {
    let Some(all) = &stats.overview.said else {
        return;
    };
    out.push_str("<section id=\"said\"><h2>What you said</h2>\n");
    let mut parts = Vec::new();
    if let Some(wpm) = all.words_a_minute {
        parts.push(format!("{wpm} words a minute"));
    }
    if let Some(rate) = all.fillers_a_minute {
        parts.push(format!("{rate:.1} filler words a minute"));
    }
    if let Some(share) = all.coverage {
        parts.push(format!(
            "{} of {} talking points covered ({})",
            all.points_covered,
            all.points,
            percent(share)
        ));
    }
    let _ = writeln!(
        out,
        "<p>{} transcribed on this computer: {}.</p>",
        plural(all.transcribed, "answer", "answers"),
        parts.join(", ")
    );
    let questions: Vec<(&Line, &crate::review::stats::Said)> = (stats.questions.iter())
        .filter_map(|l| Some((l, l.said.as_ref()?)))
        .collect();
    let names: Vec<String> = questions.iter().map(|(l, _)| l.key.to_string()).collect();
    let covered: Vec<Option<f64>> = (questions.iter())
        .map(|(_, s)| s.coverage.map(|c| c * 100.0))
        .collect();
    let dash = || "-".to_string();
    let numbers: Vec<Vec<String>> = questions
        .iter()
        .map(|(l, s)| {
            let trend: Vec<String> = (s.trend_coverage.iter())
                .map(|c| c.map_or_else(dash, percent))
                .collect();
            vec![
                esc(&l.key),
                s.transcribed.to_string(),
                s.words_a_minute.map_or_else(dash, |w| w.to_string()),
                s.fillers_a_minute.map_or_else(dash, |f| format!("{f:.1}")),
                format!("{} of {}", s.points_covered, s.points),
                trend.join(" "),
            ]
        })
        .collect();
    figure(
        out,
        "points-covered",
        "Talking points covered, per question",
        &svg::bar_rows(
            &Frame {
                id: "points-covered",
                title: "Talking points covered, per question",
                desc: format!(
                    "Bars for {}, weakest first: the share of the talking points that the \
                     transcribed answers covered.",
                    plural(questions.len(), "question", "questions")
                ),
                x_label: "percent of the points",
                y_label: "question",
            },
            &names,
            &[("points covered", svg::GREEN, covered)],
            100.0,
            "%",
        ),
        &table(
            "Transcribed questions, weakest first",
            &[
                "<Question",
                "Transcribed",
                "Words a minute",
                "Fillers a minute",
                "Points covered",
                "<Latest attempts",
            ],
            &numbers,
        ),
    );
}

fn secs(ms: u64) -> f64 {
    ms as f64 / 1000.0
}

/// Every question, weakest first, with a small line of its latest attempts.
fn questions(out: &mut String, questions: &[Line]) {
    if questions.is_empty() {
        return;
    }
    let rows: Vec<Vec<String>> = questions
        .iter()
        .map(|l| {
            let limit = l.limit_ms.unwrap_or(0);
            let shares: Vec<Option<f64>> = l
                .trend_ms
                .iter()
                .map(|t| {
                    t.map(|t| {
                        if limit > 0 {
                            t as f64 / limit as f64
                        } else {
                            0.0
                        }
                    })
                })
                .collect();
            let answers: Vec<String> = l
                .trend_ms
                .iter()
                .map(|t| t.map_or_else(|| "skip".to_string(), ms))
                .collect();
            let ratings: Vec<String> = l
                .trend_rating
                .iter()
                .map(|r| r.map_or_else(|| "-".to_string(), |r| r.to_string()))
                .collect();
            let label = format!(
                "{}: the latest {} against a limit of {}: {}",
                l.key,
                plural(answers.len(), "attempt", "attempts"),
                ms(limit),
                answers.join(", ")
            );
            vec![
                format!(
                    "<b>{}</b><br><span class=\"muted\">{}</span>",
                    esc(&l.key),
                    esc(l.text.as_deref().unwrap_or(""))
                ),
                l.attempts.to_string(),
                ms(limit),
                svg::sparkline(&label, &shares),
                esc(&answers.join(" ")),
                esc(&ratings.join(" ")),
            ]
        })
        .collect();
    let _ = writeln!(
        out,
        "<figure id=\"fig-questions\"><figcaption><h3>Each question, weakest first</h3>\
         <p class=\"muted\">The small line shows the latest {} attempts, oldest on the left: \
         height is the answer time against the limit (the dashed line), a circle over the \
         line is over time, a square at the bottom is a skip.</p></figcaption>\
         <div class=\"wide\">{}</div></figure>",
        crate::review::stats::TREND_LEN,
        table(
            "Per question",
            &[
                "<Question",
                "Attempts",
                "Limit",
                "<Latest attempts",
                "<Answer times (m:ss)",
                "<Ratings",
            ],
            &rows,
        )
    );
}

fn due(out: &mut String, stats: &Stats, cx: &Context) {
    let mut due: Vec<&Line> = stats.questions.iter().filter(|l| l.due.is_some()).collect();
    out.push_str("<section id=\"due\"><h2>Due next</h2>\n");
    if due.is_empty() {
        out.push_str(
            "<p class=\"muted\">No schedule yet: <code>rehearse run</code> keeps one as you \
             practise (or <code>rehearse review rebuild-schedule</code> builds it from the \
             logs), and what spaced repetition brings back next shows here.</p></section>\n",
        );
        return;
    }
    due.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.key.cmp(&b.key)));
    let rows: Vec<Vec<String>> = due
        .iter()
        .take(DUE)
        .map(|l| {
            let day = l.due.expect("filtered on due");
            let when = match (day - cx.today).num_days() {
                d if d < 0 => format!("overdue by {}", plural(-d as usize, "day", "days")),
                0 => "today".to_string(),
                1 => "tomorrow".to_string(),
                d => format!("in {d} days"),
            };
            vec![
                day.format("%Y-%m-%d").to_string(),
                esc(&when),
                format!(
                    "<b>{}</b> {}",
                    esc(&l.key),
                    esc(l.text.as_deref().unwrap_or(""))
                ),
            ]
        })
        .collect();
    let _ = writeln!(
        out,
        "<p>By spaced repetition, what <code>rehearse run --due</code> asks next \
         ({} of {} scheduled).</p><div class=\"numbers\">{}</div></section>",
        rows.len(),
        due.len(),
        table(
            "Due next, soonest first",
            &["<Due", "<When", "<Question"],
            &rows
        )
    );
}

fn weakest(out: &mut String, stats: &Stats, cx: &Context) {
    out.push_str("<section id=\"weakest\"><h2>Weakest questions</h2>\n");
    if stats.questions.is_empty() {
        out.push_str("<p class=\"muted\">No question has been answered or skipped yet.</p>");
    }
    for l in stats.questions.iter().take(WEAKEST) {
        let _ = write!(
            out,
            "<article class=\"question\"><h3>{}</h3><p>{}</p><p class=\"muted\">{} · {} · \
             over time {} · skipped {} · median {} of {}{}</p>",
            esc(&l.key),
            esc(l.text.as_deref().unwrap_or("")),
            esc(l.category.as_deref().unwrap_or("")),
            plural(l.attempts, "attempt", "attempts"),
            percent(l.over_rate),
            percent(l.skip_rate),
            l.median_ms.map_or_else(|| "-".to_string(), ms),
            ms(l.limit_ms.unwrap_or(0)),
            l.mean_rating
                .map_or_else(String::new, |r| format!(" · mean rating {r:.1}")),
        );
        if let Some(points) = cx.talking_points.get(&*l.key).filter(|p| !p.is_empty()) {
            out.push_str("<p><b>Talking points</b></p><ul>");
            for p in points {
                let _ = write!(out, "<li>{}</li>", esc(p));
            }
            out.push_str("</ul>");
        }
        if !l.notes.is_empty() {
            out.push_str("<p><b>Your notes</b></p><ul>");
            for n in &l.notes {
                let _ = write!(
                    out,
                    "<li><span class=\"muted\">{}</span> {}</li>",
                    n.at.format("%Y-%m-%d"),
                    esc(&n.text)
                );
            }
            out.push_str("</ul>");
        }
        out.push_str("</article>\n");
    }
    out.push_str("</section>\n");
}
