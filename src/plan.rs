//! The plan of a session: which questions are asked, in what order, and the time rules
//! of each with the place each rule came from. One pure function of the bank and the
//! resolved options, so the precedence of limits is tested in one place.

use std::borrow::Cow;
use std::time::Duration;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::Serialize;

use crate::bank::{Bank, Question, Timing};
use crate::duration::Dur;

/// Answer time when nothing else sets one.
pub use crate::bank::DEFAULT_LIMIT;
/// The warning comes this long before the end, or at a quarter of the limit if less.
pub const DEFAULT_WARN: Duration = Duration::from_secs(30);
/// Questions in a mock interview unless `--count` or `--all` says otherwise.
pub const DEFAULT_COUNT: usize = 8;

/// Where a question's time rule came from, strongest first. `--limit` and `--time` set
/// the answer limit, `--prep` the thinking time, `--warn-at` the warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitSource {
    FlagLimit,
    FlagTime,
    FlagPrep,
    FlagWarnAt,
    /// `--one-way`: the thinking time of a one-way video interview.
    OneWay,
    Question,
    Category,
    Bank,
    Config,
    Default,
}

impl LimitSource {
    pub fn label(self) -> &'static str {
        match self {
            LimitSource::FlagLimit => "--limit",
            LimitSource::FlagTime => "--time",
            LimitSource::FlagPrep => "--prep",
            LimitSource::FlagWarnAt => "--warn-at",
            LimitSource::OneWay => "--one-way",
            LimitSource::Question => "question",
            LimitSource::Category => "category",
            LimitSource::Bank => "bank",
            LimitSource::Config => "config",
            LimitSource::Default => "default",
        }
    }
}

/// Which questions to ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// `count` questions at random, spread over the categories.
    Random { count: usize },
    /// Every question in bank order.
    All,
    /// These questions in this order (`--question`), ids as [`resolve_questions`] gives them.
    Listed(Vec<String>),
}

/// How the selected questions are narrowed, ordered and followed up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pick {
    /// `--category`: only these categories, names as [`resolve_categories`] gives them;
    /// empty for every category.
    pub categories: Vec<String>,
    /// `--shuffle`: ask in random order.
    pub shuffle: bool,
    /// `--follow-ups`: each question's follow-ups are asked after it, as questions of their
    /// own with the same time rules.
    pub follow_ups: bool,
}

/// Time rules from the command line and the config file.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeOptions {
    /// `--limit ID=DUR`: one question each.
    pub limits: Vec<(String, Dur)>,
    /// `--time`: every question of this run.
    pub time: Option<Dur>,
    /// `--prep`: thinking time for every question; zero turns it off.
    pub prep: Option<Duration>,
    /// `--warn-at`: the warning for every question.
    pub warn_at: Option<Dur>,
    /// The config file's `time_limit`, `prep` and `warn_at`: below the bank.
    pub config: Timing,
    /// `--time-scale`: every time multiplied by this.
    pub scale: f64,
    /// `--one-way`: thinking time is [`ONE_WAY_PREP`] unless `--prep` says otherwise.
    pub one_way: bool,
}

/// The thinking time of a one-way video interview: it ends, and the answer starts, by
/// itself.
pub const ONE_WAY_PREP: Duration = Duration::from_secs(30);

impl Default for TimeOptions {
    fn default() -> Self {
        TimeOptions {
            limits: Vec::new(),
            time: None,
            prep: None,
            warn_at: None,
            config: Timing::default(),
            scale: 1.0,
            one_way: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanOptions {
    pub selection: Selection,
    pub seed: u64,
    pub times: TimeOptions,
    pub pick: Pick,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedQuestion {
    /// 1-based position in the session.
    pub index: usize,
    pub id: String,
    pub category: String,
    pub text: String,
    #[serde(skip)]
    pub talking_points: Vec<String>,
    /// Answered as a story: the review step offers the STAR checklist.
    #[serde(skip)]
    pub star: bool,
    #[serde(serialize_with = "as_millis", rename = "limit_ms")]
    pub limit: Duration,
    pub limit_source: LimitSource,
    #[serde(serialize_with = "as_millis", rename = "prep_ms")]
    pub prep: Duration,
    pub prep_source: LimitSource,
    #[serde(serialize_with = "as_millis", rename = "warn_ms")]
    pub warn: Duration,
    pub warn_source: LimitSource,
    #[serde(serialize_with = "opt_millis", rename = "min_ms")]
    pub min: Option<Duration>,
}

impl PlannedQuestion {
    /// For a follow-up, the number of the question it follows in this session.
    pub fn follows(&self) -> Option<usize> {
        let (_, n) = self.id.rsplit_once(FOLLOW_UP)?;
        let n: usize = n.parse().ok()?;
        self.index.checked_sub(n).filter(|&i| i > 0)
    }
}

/// How a follow-up's id continues its question's: `breach-steps/follow-up-2`.
const FOLLOW_UP: &str = "/follow-up-";

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub seed: u64,
    pub questions: Vec<PlannedQuestion>,
}

impl Plan {
    /// The question an event names (1-based; the session's end names the last one).
    pub fn question(&self, index: usize) -> &PlannedQuestion {
        &self.questions[index.clamp(1, self.questions.len()) - 1]
    }

    /// The longest the interview takes if every answer uses its whole time.
    pub fn total(&self) -> Duration {
        self.questions.iter().map(|q| q.prep + q.limit).sum()
    }
}

fn as_millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

fn opt_millis<S: serde::Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_some(&(d.as_millis() as u64)),
        None => s.serialize_none(),
    }
}

pub fn make_plan(bank: &Bank, options: &PlanOptions) -> Plan {
    let picked = choose(bank, &options.selection, &options.pick, options.seed);
    let questions = picked
        .into_iter()
        .enumerate()
        .map(|(i, q)| plan_question(bank, &q, i + 1, &options.times))
        .collect();
    Plan {
        seed: options.seed,
        questions,
    }
}

/// The questions of a session in the order they are asked, before any time rule: the
/// selection, narrowed to the chosen categories, shuffled if asked, each followed by its
/// follow-ups if asked. Follow-ups are questions of their own with the id
/// `parent-id/follow-up-N` and the category and time rules of their parent.
pub fn choose<'a>(
    bank: &'a Bank,
    selection: &Selection,
    pick: &Pick,
    seed: u64,
) -> Vec<Cow<'a, Question>> {
    let mut rng = StdRng::seed_from_u64(seed);
    let in_scope = |category: &str| {
        pick.categories.is_empty() || pick.categories.iter().any(|c| c == category)
    };
    let mut chosen: Vec<&Question> = match selection {
        Selection::All => bank
            .questions
            .iter()
            .filter(|q| in_scope(&q.category))
            .collect(),
        Selection::Random { count } => pick_spread(bank, &in_scope, *count, &mut rng),
        Selection::Listed(ids) => ids
            .iter()
            .filter_map(|id| bank.questions.iter().find(|q| q.id == *id))
            .collect(),
    };
    if pick.shuffle {
        chosen.shuffle(&mut rng);
    }
    let mut asked = Vec::with_capacity(chosen.len());
    for q in chosen {
        asked.push(Cow::Borrowed(q));
        if !pick.follow_ups {
            continue;
        }
        let follow_ups = q.follow_ups.iter().filter(|f| !f.trim().is_empty());
        for (n, text) in follow_ups.enumerate() {
            asked.push(Cow::Owned(Question {
                id: format!("{}{FOLLOW_UP}{}", q.id, n + 1),
                text: text.clone(),
                talking_points: Vec::new(),
                follow_ups: Vec::new(),
                ..q.clone()
            }));
        }
    }
    asked
}

/// Why a `--category` or `--question` names nothing in the bank.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    #[error("--category {given:?}: no such category; categories: {}", known.join(", "))]
    UnknownCategory { given: String, known: Vec<String> },
    #[error(
        "--category {given:?} matches {}; give more of the name",
        matches.join(", ")
    )]
    AmbiguousCategory { given: String, matches: Vec<String> },
    #[error(
        "--question {given:?}: no such question{}; the closest of its {total}: {} \
         ('rehearse banks show {bank}' lists them all)",
        close.as_ref().map(|c| format!(" (did you mean {c:?}?)")).unwrap_or_default(),
        nearest.join(", ")
    )]
    UnknownQuestion {
        given: String,
        close: Option<String>,
        /// A few ids near the one given.
        nearest: Vec<String>,
        total: usize,
        bank: String,
    },
}

/// The bank's names for `--category` values: a name matches without regard to case, in
/// full or by its start; a start that fits several categories is refused.
pub fn resolve_categories(bank: &Bank, given: &[String]) -> Result<Vec<String>, SelectError> {
    let mut names: Vec<String> = Vec::new();
    for wanted in given {
        let lower = wanted.trim().to_lowercase();
        let exact = bank
            .categories
            .iter()
            .find(|c| c.name.to_lowercase() == lower);
        let name = match exact {
            Some(c) => c.name.clone(),
            None => {
                let matches: Vec<String> = bank
                    .categories
                    .iter()
                    .filter(|c| !lower.is_empty() && c.name.to_lowercase().starts_with(&lower))
                    .map(|c| c.name.clone())
                    .collect();
                match matches.len() {
                    1 => matches[0].clone(),
                    0 => {
                        return Err(SelectError::UnknownCategory {
                            given: wanted.clone(),
                            known: bank.categories.iter().map(|c| c.name.clone()).collect(),
                        });
                    }
                    _ => {
                        return Err(SelectError::AmbiguousCategory {
                            given: wanted.clone(),
                            matches,
                        });
                    }
                }
            }
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    Ok(names)
}

/// The bank's ids for `--question` values, in the order given: exact, or without regard to
/// case.
pub fn resolve_questions(bank: &Bank, given: &[String]) -> Result<Vec<String>, SelectError> {
    given
        .iter()
        .map(|wanted| {
            let wanted_trimmed = wanted.trim();
            bank.questions
                .iter()
                .find(|q| q.id == wanted_trimmed)
                .or_else(|| {
                    bank.questions
                        .iter()
                        .find(|q| q.id.eq_ignore_ascii_case(wanted_trimmed))
                })
                .map(|q| q.id.clone())
                .ok_or_else(|| {
                    let known: Vec<&str> = bank.questions.iter().map(|q| q.id.as_str()).collect();
                    SelectError::UnknownQuestion {
                        given: wanted.clone(),
                        close: crate::text::did_you_mean(wanted_trimmed, &known)
                            .map(str::to_string),
                        nearest: crate::text::closest(wanted_trimmed, &known, NEAREST)
                            .into_iter()
                            .map(str::to_string)
                            .collect(),
                        total: known.len(),
                        bank: bank.key.clone(),
                    }
                })
        })
        .collect()
}

/// Random questions spread over the categories: categories in random order, one question
/// from each in turn, so eight questions from eight categories touch all eight.
fn pick_spread<'a>(
    bank: &'a Bank,
    in_scope: &dyn Fn(&str) -> bool,
    count: usize,
    rng: &mut StdRng,
) -> Vec<&'a Question> {
    let mut pools: Vec<Vec<&Question>> = bank
        .categories
        .iter()
        .filter(|c| in_scope(&c.name))
        .map(|c| {
            bank.questions
                .iter()
                .filter(|q| q.category == c.name)
                .collect()
        })
        .collect();
    for pool in &mut pools {
        pool.shuffle(rng);
    }
    pools.shuffle(rng);
    let count = count.min(pools.iter().map(Vec::len).sum());
    let mut picked = Vec::with_capacity(count);
    while picked.len() < count {
        for pool in &mut pools {
            if picked.len() < count
                && let Some(q) = pool.pop()
            {
                picked.push(q);
            }
        }
    }
    picked
}

fn plan_question(bank: &Bank, q: &Question, index: usize, times: &TimeOptions) -> PlannedQuestion {
    use LimitSource as S;
    let category = bank
        .category(&q.category)
        .map(|c| c.timing)
        .unwrap_or_default();
    let flag_limit = times
        .limits
        .iter()
        .rev()
        .find(|(id, _)| *id == q.id)
        .map(|(_, d)| *d);
    // Each ladder, strongest first; the first rung that is set wins. A built-in bank's
    // own defaults give way to the person's config file; a bank file they wrote does not.
    let (upper, lower) = match bank.source {
        crate::bank::Source::Embedded => ((times.config, S::Config), (bank.timing, S::Bank)),
        crate::bank::Source::File(_) => ((bank.timing, S::Bank), (times.config, S::Config)),
    };
    let limit = first([
        (flag_limit, S::FlagLimit),
        (times.time, S::FlagTime),
        (q.timing.time_limit, S::Question),
        (category.time_limit, S::Category),
        (upper.0.time_limit, upper.1),
        (lower.0.time_limit, lower.1),
    ]);
    // `--prep 0` is a setting too: no thinking time in this run.
    let prep = match times.prep {
        Some(d) => Some((d, S::FlagPrep)),
        None if times.one_way => Some((ONE_WAY_PREP, S::OneWay)),
        None => first([
            (q.timing.prep, S::Question),
            (category.prep, S::Category),
            (upper.0.prep, upper.1),
            (lower.0.prep, lower.1),
        ]),
    };
    let warn = first([
        (times.warn_at, S::FlagWarnAt),
        (q.timing.warn_at, S::Question),
        (category.warn_at, S::Category),
        (upper.0.warn_at, upper.1),
        (lower.0.warn_at, lower.1),
    ]);
    let scale = |d: Duration| d.mul_f64(times.scale);
    let (limit, limit_source) =
        limit.map_or((scale(DEFAULT_LIMIT), S::Default), |(d, s)| (scale(d), s));
    // A limit is never scaled below a second.
    let limit = limit.max(Duration::from_secs(1));
    let (prep, prep_source) = prep.map_or((Duration::ZERO, S::Default), |(d, s)| (scale(d), s));
    let (warn, warn_source) =
        warn.map_or((default_warn(limit), S::Default), |(d, s)| (scale(d), s));
    PlannedQuestion {
        index,
        id: q.id.clone(),
        category: q.category.clone(),
        text: q.text.clone(),
        talking_points: q.talking_points.clone(),
        star: q.star,
        limit,
        limit_source,
        prep,
        prep_source,
        warn,
        warn_source,
        min: q.min.map(|m| scale(m.get())),
    }
}

fn first<const N: usize>(
    ladder: [(Option<Dur>, LimitSource); N],
) -> Option<(Duration, LimitSource)> {
    ladder
        .into_iter()
        .find_map(|(d, source)| d.map(|d| (d.get(), source)))
}

/// `--limit` ids that the bank does not have, as an error listing the ones it has.
pub fn check_limit_ids(bank: &Bank, times: &TimeOptions) -> Result<(), String> {
    for (id, _) in &times.limits {
        if !bank.questions.iter().any(|q| q.id == *id) {
            let ids: Vec<&str> = bank.questions.iter().map(|q| q.id.as_str()).collect();
            let hint = crate::text::did_you_mean(id, &ids)
                .map(|c| format!(" (did you mean {c:?}?)"))
                .unwrap_or_default();
            return Err(format!(
                "--limit {id}=...: the bank {} has no question {id:?}{hint}; the closest of its {}: {} \
                 ('rehearse banks show {}' lists them all)",
                bank.key,
                ids.len(),
                crate::text::closest(id, &ids, NEAREST).join(", "),
                bank.key
            ));
        }
    }
    Ok(())
}

/// How many ids an unknown one is answered with.
const NEAREST: usize = 5;

/// 30 s before the end, or a quarter of the limit if that is less.
pub fn default_warn(limit: Duration) -> Duration {
    DEFAULT_WARN.min(limit / 4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::{Source, parse_bank};
    use std::collections::HashSet;
    use std::path::Path;

    fn bank() -> Bank {
        let mut text = String::from(
            "time_limit = \"2m\"\n[[categories]]\nname = \"A\"\ntime_limit = \"3m\"\n",
        );
        for (cat, n) in [("A", 4), ("B", 4), ("C", 4)] {
            for i in 0..n {
                text.push_str(&format!("[[questions]]\nid = \"{cat}{i}\"\ncategory = \"{cat}\"\ntext = \"Q {cat}{i}?\"\n"));
                if cat == "B" && i == 0 {
                    text.push_str("time_limit = \"45s\"\nwarn_at = \"20s\"\n");
                }
            }
        }
        parse_bank(&text, Path::new("t.toml"), "t", Source::Embedded).unwrap()
    }

    fn options(selection: Selection, seed: u64, time: Option<&str>) -> PlanOptions {
        PlanOptions {
            selection,
            seed,
            times: TimeOptions {
                time: time.map(|t| t.parse().unwrap()),
                ..TimeOptions::default()
            },
            pick: Pick::default(),
        }
    }

    #[test]
    fn random_pick_spreads_over_categories_and_repeats_with_seed() {
        let bank = bank();
        let plan = make_plan(&bank, &options(Selection::Random { count: 6 }, 7, None));
        assert_eq!(plan.questions.len(), 6);
        let per_category = |c: &str| plan.questions.iter().filter(|q| q.category == c).count();
        assert_eq!(
            (per_category("A"), per_category("B"), per_category("C")),
            (2, 2, 2)
        );
        let ids: HashSet<_> = plan.questions.iter().map(|q| &q.id).collect();
        assert_eq!(ids.len(), 6);
        assert_eq!(
            plan,
            make_plan(&bank, &options(Selection::Random { count: 6 }, 7, None))
        );
        assert_ne!(
            plan,
            make_plan(&bank, &options(Selection::Random { count: 6 }, 8, None))
        );
        let indexes: Vec<_> = plan.questions.iter().map(|q| q.index).collect();
        assert_eq!(indexes, [1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn count_beyond_the_bank_asks_everything_once() {
        let plan = make_plan(&bank(), &options(Selection::Random { count: 50 }, 1, None));
        assert_eq!(plan.questions.len(), 12);
    }

    #[test]
    fn all_keeps_bank_order() {
        let plan = make_plan(&bank(), &options(Selection::All, 1, None));
        let ids: Vec<_> = plan.questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids[..5], ["A0", "A1", "A2", "A3", "B0"]);
    }

    #[test]
    fn limit_precedence() {
        let plan = make_plan(&bank(), &options(Selection::All, 1, None));
        let find = |id: &str| plan.questions.iter().find(|q| q.id == id).unwrap();
        let secs = |q: &PlannedQuestion| (q.limit.as_secs(), q.limit_source, q.warn.as_secs());
        assert_eq!(secs(find("A0")), (180, LimitSource::Category, 30));
        assert_eq!(secs(find("B0")), (45, LimitSource::Question, 20));
        assert_eq!(secs(find("B1")), (120, LimitSource::Bank, 30));
        let timed = make_plan(&bank(), &options(Selection::All, 1, Some("1m")));
        assert!(
            timed
                .questions
                .iter()
                .all(|q| q.limit.as_secs() == 60 && q.limit_source == LimitSource::FlagTime)
        );
        assert_eq!(timed.questions[0].warn.as_secs(), 15);
        assert_eq!(plan.total().as_secs(), 4 * 180 + 45 + 7 * 120);
    }

    /// One question "q" in category "C"; each level sets what its string says.
    fn ladder_bank(question: &str, category: &str, bank: &str) -> Bank {
        let text = format!(
            "{bank}\n[[categories]]\nname = \"C\"\n{category}\n[[questions]]\nid = \"q\"\ncategory = \"C\"\ntext = \"Q?\"\n{question}\n"
        );
        // A bank file the person wrote: its own defaults beat the config file.
        parse_bank(
            &text,
            Path::new("l.toml"),
            "l",
            Source::File("l.toml".into()),
        )
        .unwrap()
    }

    fn d(text: &str) -> Dur {
        text.parse().unwrap()
    }

    #[test]
    fn the_config_file_beats_a_built_in_banks_defaults_but_not_its_questions() {
        use LimitSource as S;
        let text = "time_limit = \"2m\"\n[[categories]]\nname = \"C\"\ntime_limit = \"2m30s\"\n\
                    [[questions]]\nid = \"a\"\ntext = \"A?\"\n\
                    [[questions]]\nid = \"b\"\ncategory = \"C\"\ntext = \"B?\"\n";
        let bank = parse_bank(text, Path::new("b.toml"), "b", Source::Embedded).unwrap();
        let times = TimeOptions {
            config: Timing {
                time_limit: Some(d("90s")),
                ..Timing::default()
            },
            prep: Some(Duration::ZERO),
            ..TimeOptions::default()
        };
        let plan = make_plan(
            &bank,
            &PlanOptions {
                selection: Selection::All,
                seed: 0,
                times,
                pick: Pick::default(),
            },
        );
        let got: Vec<_> = plan
            .questions
            .iter()
            .map(|q| (q.id.as_str(), q.limit.as_secs(), q.limit_source, q.prep))
            .collect();
        assert_eq!(
            got,
            [
                ("a", 90, S::Config, Duration::ZERO),
                ("b", 150, S::Category, Duration::ZERO)
            ]
        );
    }

    #[test]
    fn precedence_ladders_for_limit_prep_and_warning() {
        use LimitSource as S;
        let all = "time_limit = \"3m\"\nprep = \"30s\"\nwarn_at = \"40s\"";
        let cat = "time_limit = \"4m\"\nprep = \"20s\"\nwarn_at = \"50s\"";
        let bnk = "time_limit = \"5m\"\nprep = \"10s\"\nwarn_at = \"60s\"";
        let config = Timing {
            time_limit: Some(d("6m")),
            prep: Some(d("5s")),
            warn_at: Some(d("70s")),
        };
        let flags = TimeOptions {
            limits: vec![("q".into(), d("7m")), ("other".into(), d("1m"))],
            time: Some(d("8m")),
            prep: Some(d("1s").get()),
            warn_at: Some(d("80s")),
            config,
            scale: 1.0,
            one_way: false,
        };
        // (question, category, bank, options) -> ((limit s, source), (prep s, source), (warn s, source))
        type Row = (
            &'static str,
            &'static str,
            &'static str,
            TimeOptions,
            (u64, S),
            (u64, S),
            (u64, S),
        );
        let rows: Vec<Row> = vec![
            (
                "",
                "",
                "",
                TimeOptions::default(),
                (120, S::Default),
                (0, S::Default),
                (30, S::Default),
            ),
            (
                "",
                "",
                "",
                TimeOptions {
                    config,
                    ..TimeOptions::default()
                },
                (360, S::Config),
                (5, S::Config),
                (70, S::Config),
            ),
            (
                "",
                "",
                bnk,
                TimeOptions {
                    config,
                    ..TimeOptions::default()
                },
                (300, S::Bank),
                (10, S::Bank),
                (60, S::Bank),
            ),
            (
                "",
                cat,
                bnk,
                TimeOptions {
                    config,
                    ..TimeOptions::default()
                },
                (240, S::Category),
                (20, S::Category),
                (50, S::Category),
            ),
            (
                all,
                cat,
                bnk,
                TimeOptions {
                    config,
                    ..TimeOptions::default()
                },
                (180, S::Question),
                (30, S::Question),
                (40, S::Question),
            ),
            (
                all,
                cat,
                bnk,
                TimeOptions {
                    limits: vec![],
                    ..flags.clone()
                },
                (480, S::FlagTime),
                (1, S::FlagPrep),
                (80, S::FlagWarnAt),
            ),
            (
                all,
                cat,
                bnk,
                flags.clone(),
                (420, S::FlagLimit),
                (1, S::FlagPrep),
                (80, S::FlagWarnAt),
            ),
            // Scale multiplies every time; the default warning follows the scaled limit.
            (
                "",
                "",
                "",
                TimeOptions {
                    scale: 0.5,
                    ..TimeOptions::default()
                },
                (60, S::Default),
                (0, S::Default),
                (15, S::Default),
            ),
            (
                all,
                cat,
                bnk,
                TimeOptions {
                    scale: 2.0,
                    ..TimeOptions::default()
                },
                (360, S::Question),
                (60, S::Question),
                (80, S::Question),
            ),
            (
                "time_limit = 20",
                "",
                "",
                TimeOptions::default(),
                (20, S::Question),
                (0, S::Default),
                (5, S::Default),
            ),
        ];
        for (n, (question, category, bank, options, limit, prep, warn)) in
            rows.into_iter().enumerate()
        {
            let bank = ladder_bank(question, category, bank);
            let plan = make_plan(
                &bank,
                &PlanOptions {
                    selection: Selection::All,
                    seed: 0,
                    times: options,
                    pick: Pick::default(),
                },
            );
            let q = &plan.questions[0];
            assert_eq!((q.limit.as_secs(), q.limit_source), limit, "row {n}: limit");
            assert_eq!((q.prep.as_secs(), q.prep_source), prep, "row {n}: prep");
            assert_eq!((q.warn.as_secs(), q.warn_source), warn, "row {n}: warning");
        }
    }

    #[test]
    fn scale_never_takes_a_limit_below_a_second_and_scales_min() {
        let bank = ladder_bank("time_limit = 2\nmin = \"1s\"", "", "");
        let times = TimeOptions {
            scale: 0.25,
            ..TimeOptions::default()
        };
        let plan = make_plan(
            &bank,
            &PlanOptions {
                selection: Selection::All,
                seed: 0,
                times,
                pick: Pick::default(),
            },
        );
        assert_eq!(plan.questions[0].limit, Duration::from_secs(1));
        assert_eq!(plan.questions[0].min, Some(Duration::from_millis(250)));
    }

    #[test]
    fn unknown_limit_ids_are_named_with_the_valid_ones() {
        let bank = ladder_bank("", "", "");
        let times = TimeOptions {
            limits: vec![("nope".into(), d("1m"))],
            ..TimeOptions::default()
        };
        let err = check_limit_ids(&bank, &times).unwrap_err();
        assert!(
            err.contains("no question \"nope\"; the closest of its 1: q ('rehearse banks show l' lists them all)"),
            "{err}"
        );
    }
}

#[cfg(test)]
mod selection_tests {
    use super::*;
    use crate::bank::{Source, parse_bank};
    use std::path::Path;

    /// Three categories; `net-1` has two follow-ups and its own time limit.
    fn bank() -> Bank {
        let text = r#"
            [[categories]]
            name = "Networking"
            time_limit = "3m"
            [[questions]]
            id = "net-1"
            category = "Networking"
            text = "What happens when you type a URL?"
            time_limit = "4m"
            follow_ups = ["And with HTTPS?", "And with a proxy?"]
            [[questions]]
            id = "net-2"
            category = "Networking"
            text = "TCP or UDP?"
            [[questions]]
            id = "new-grad"
            category = "New graduates"
            text = "Why this field?"
            [[questions]]
            id = "db-1"
            category = "Databases"
            text = "What is an index?"
            [[questions]]
            id = "db-2"
            category = "Databases"
            text = "What is a transaction?"
        "#;
        parse_bank(text, Path::new("t.toml"), "t", Source::Embedded).unwrap()
    }

    fn ids(selection: Selection, pick: Pick, seed: u64) -> Vec<String> {
        choose(&bank(), &selection, &pick, seed)
            .iter()
            .map(|q| q.id.clone())
            .collect()
    }

    /// What was given, and the names found or the error.
    type Resolution = (
        &'static [&'static str],
        Result<&'static [&'static str], &'static str>,
    );

    fn pick(categories: &[&str], shuffle: bool, follow_ups: bool) -> Pick {
        Pick {
            categories: categories.iter().map(|c| c.to_string()).collect(),
            shuffle,
            follow_ups,
        }
    }

    fn listed(ids: &[&str]) -> Selection {
        Selection::Listed(ids.iter().map(|i| i.to_string()).collect())
    }

    #[test]
    fn choosing() {
        let cases: Vec<(&str, Selection, Pick, &[&str])> = vec![
            (
                "all, bank order",
                Selection::All,
                pick(&[], false, false),
                &["net-1", "net-2", "new-grad", "db-1", "db-2"],
            ),
            (
                "all of one category",
                Selection::All,
                pick(&["Databases"], false, false),
                &["db-1", "db-2"],
            ),
            (
                "all of two categories, bank order",
                Selection::All,
                pick(&["Databases", "Networking"], false, false),
                &["net-1", "net-2", "db-1", "db-2"],
            ),
            (
                "listed, in the order given",
                listed(&["db-2", "net-1"]),
                pick(&[], false, false),
                &["db-2", "net-1"],
            ),
            (
                "follow-ups after their question",
                listed(&["net-1", "db-1"]),
                pick(&[], false, true),
                &["net-1", "net-1/follow-up-1", "net-1/follow-up-2", "db-1"],
            ),
            (
                "random count within one category",
                Selection::Random { count: 5 },
                pick(&["Networking"], false, false),
                &["net-1", "net-2"],
            ),
        ];
        for (what, selection, pick, expected) in cases {
            assert_eq!(ids(selection, pick, 3), expected, "{what}");
        }
    }

    #[test]
    fn shuffle_reorders_the_same_questions_and_repeats_with_seed() {
        let all = pick(&[], true, false);
        let first = ids(Selection::All, all.clone(), 11);
        assert_eq!(first, ids(Selection::All, all.clone(), 11));
        let mut sorted = first.clone();
        sorted.sort();
        assert_eq!(sorted, ["db-1", "db-2", "net-1", "net-2", "new-grad"]);
        let orders: std::collections::HashSet<Vec<String>> = (0..20)
            .map(|seed| ids(Selection::All, all.clone(), seed))
            .collect();
        assert!(orders.len() > 1, "shuffle never changed the order");
        // Follow-ups stay right after their question when shuffled.
        for seed in 0..20 {
            let order = ids(Selection::All, pick(&[], true, true), seed);
            let at = order.iter().position(|id| id == "net-1").unwrap();
            assert_eq!(order[at + 1], "net-1/follow-up-1");
            assert_eq!(order[at + 2], "net-1/follow-up-2");
        }
    }

    #[test]
    fn a_random_pick_without_categories_is_what_it_always_was() {
        // --category and --shuffle are additions: the same seed picks the same questions
        // as before them.
        let bank = bank();
        let mut rng = StdRng::seed_from_u64(5);
        let before: Vec<&str> = pick_spread(&bank, &|_| true, 3, &mut rng)
            .iter()
            .map(|q| q.id.as_str())
            .collect();
        let now = ids(Selection::Random { count: 3 }, Pick::default(), 5);
        assert_eq!(now, before);
    }

    #[test]
    fn follow_ups_are_timed_like_their_question() {
        let plan = make_plan(
            &bank(),
            &PlanOptions {
                selection: listed(&["net-1"]),
                seed: 1,
                times: TimeOptions::default(),
                pick: pick(&[], false, true),
            },
        );
        let summary: Vec<_> = plan
            .questions
            .iter()
            .map(|q| {
                (
                    q.index,
                    q.id.as_str(),
                    q.category.as_str(),
                    q.text.as_str(),
                    q.limit.as_secs(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    1,
                    "net-1",
                    "Networking",
                    "What happens when you type a URL?",
                    240
                ),
                (2, "net-1/follow-up-1", "Networking", "And with HTTPS?", 240),
                (
                    3,
                    "net-1/follow-up-2",
                    "Networking",
                    "And with a proxy?",
                    240
                ),
            ]
        );
        assert!(
            plan.questions[1..]
                .iter()
                .all(|q| q.limit_source == LimitSource::Question)
        );
        let follows: Vec<_> = plan
            .questions
            .iter()
            .map(PlannedQuestion::follows)
            .collect();
        assert_eq!(follows, [None, Some(1), Some(1)], "both follow question 1");
    }

    #[test]
    fn category_names() {
        let cases: &[Resolution] = &[
            (&[], Ok(&[])),
            (&["databases"], Ok(&["Databases"])),
            (&["DATA"], Ok(&["Databases"])),
            (&["networking", "d"], Ok(&["Networking", "Databases"])),
            (
                &["db", "Databases"],
                Err(
                    "--category \"db\": no such category; categories: Networking, New graduates, Databases",
                ),
            ),
            (
                &["ne"],
                Err("--category \"ne\" matches Networking, New graduates; give more of the name"),
            ),
            (&["new"], Ok(&["New graduates"])),
            (&["net", "Networking"], Ok(&["Networking"])),
            (
                &[""],
                Err(
                    "--category \"\": no such category; categories: Networking, New graduates, Databases",
                ),
            ),
        ];
        for (given, expected) in cases {
            let given: Vec<String> = given.iter().map(|g| g.to_string()).collect();
            let got = resolve_categories(&bank(), &given).map_err(|e| e.to_string());
            let expected = expected
                .map(|names| names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                .map_err(str::to_string);
            assert_eq!(got, expected, "{given:?}");
        }
    }

    #[test]
    fn question_ids() {
        let cases: &[Resolution] = &[
            (&["db-2", "net-1"], Ok(&["db-2", "net-1"])),
            (&["DB-1"], Ok(&["db-1"])),
            (
                &["db-3"],
                Err(
                    "--question \"db-3\": no such question (did you mean \"db-1\"?); the closest of its 5: db-1, db-2, net-1, net-2, new-grad ('rehearse banks show t' lists them all)",
                ),
            ),
            (
                &["zzz"],
                Err(
                    "--question \"zzz\": no such question; the closest of its 5: net-1, net-2, new-grad, db-1, db-2 ('rehearse banks show t' lists them all)",
                ),
            ),
        ];
        for (given, expected) in cases {
            let given: Vec<String> = given.iter().map(|g| g.to_string()).collect();
            let got = resolve_questions(&bank(), &given).map_err(|e| e.to_string());
            let expected = expected
                .map(|ids| ids.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                .map_err(str::to_string);
            assert_eq!(got, expected, "{given:?}");
        }
    }
}
