//! The plan of a session: which questions are asked, in what order, and the time rules
//! of each with the place each rule came from. One pure function of the bank and the
//! resolved options, so the precedence of limits is tested in one place.

use std::time::Duration;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::Serialize;

use crate::bank::{Bank, Question};
use crate::duration::Dur;

/// Answer time when nothing else sets one.
pub const DEFAULT_LIMIT: Duration = Duration::from_secs(120);
/// The warning comes this long before the end, or at a quarter of the limit if less.
pub const DEFAULT_WARN: Duration = Duration::from_secs(30);
/// Questions in a mock interview unless `--count` or `--all` says otherwise.
pub const DEFAULT_COUNT: usize = 8;

/// Where a question's time rule came from, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitSource {
    FlagLimit,
    FlagTime,
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
}

/// Time rules from the command line (and later the config file).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimeOptions {
    /// `--time`: every question of this run.
    pub time: Option<Dur>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanOptions {
    pub selection: Selection,
    pub seed: u64,
    pub times: TimeOptions,
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
    #[serde(serialize_with = "as_millis", rename = "limit_ms")]
    pub limit: Duration,
    pub limit_source: LimitSource,
    #[serde(serialize_with = "as_millis", rename = "prep_ms")]
    pub prep: Duration,
    #[serde(serialize_with = "as_millis", rename = "warn_ms")]
    pub warn: Duration,
    #[serde(serialize_with = "opt_millis", rename = "min_ms")]
    pub min: Option<Duration>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub seed: u64,
    pub questions: Vec<PlannedQuestion>,
}

impl Plan {
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
    let picked: Vec<&Question> = match options.selection {
        Selection::All => bank.questions.iter().collect(),
        Selection::Random { count } => pick_spread(bank, count, options.seed),
    };
    let questions = picked
        .into_iter()
        .enumerate()
        .map(|(i, q)| plan_question(bank, q, i + 1, &options.times))
        .collect();
    Plan {
        seed: options.seed,
        questions,
    }
}

/// Random questions spread over the categories: categories in random order, one question
/// from each in turn, so eight questions from eight categories touch all eight.
fn pick_spread(bank: &Bank, count: usize, seed: u64) -> Vec<&Question> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut pools: Vec<Vec<&Question>> = bank
        .categories
        .iter()
        .map(|c| {
            bank.questions
                .iter()
                .filter(|q| q.category == c.name)
                .collect()
        })
        .collect();
    for pool in &mut pools {
        pool.shuffle(&mut rng);
    }
    pools.shuffle(&mut rng);
    let count = count.min(bank.questions.len());
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
    let category = bank
        .category(&q.category)
        .map(|c| c.timing)
        .unwrap_or_default();
    let (limit, limit_source) = if let Some(t) = times.time {
        (t.get(), LimitSource::FlagTime)
    } else if let Some(t) = q.timing.time_limit {
        (t.get(), LimitSource::Question)
    } else if let Some(t) = category.time_limit {
        (t.get(), LimitSource::Category)
    } else if let Some(t) = bank.timing.time_limit {
        (t.get(), LimitSource::Bank)
    } else {
        (DEFAULT_LIMIT, LimitSource::Default)
    };
    let prep = [q.timing.prep, category.prep, bank.timing.prep]
        .into_iter()
        .flatten()
        .next()
        .map_or(Duration::ZERO, Dur::get);
    let warn = [q.timing.warn_at, category.warn_at, bank.timing.warn_at]
        .into_iter()
        .flatten()
        .next()
        .map_or_else(|| default_warn(limit), Dur::get);
    PlannedQuestion {
        index,
        id: q.id.clone(),
        category: q.category.clone(),
        text: q.text.clone(),
        talking_points: q.talking_points.clone(),
        limit,
        limit_source,
        prep,
        warn,
        min: q.min.map(Dur::get),
    }
}

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
            },
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
}
