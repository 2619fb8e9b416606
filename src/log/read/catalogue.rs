//! The sessions of a log folder in the order review shows them, newest first and numbered
//! from 1, each kept in a few bytes: when it began, its file's name and its bank. That is
//! what an export and the commands that name one session need to choose sessions and find
//! their files; what a session holds is read again from its file when it is written out,
//! so a history of years is catalogued in a megabyte or two. The list, which shows every
//! session's figures, keeps [`Listed`](super::Listed) instead.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use super::{Filter, SessionSummary, newest_first};

/// Readable sessions, newest first, numbered from 1.
#[derive(Debug, Default)]
pub struct Catalogue {
    places: Vec<Place>,
    /// Every session's file name, one after another.
    names: String,
}

/// A catalogue being made, one session at a time in any order.
#[derive(Debug, Default)]
pub struct Cataloguing {
    places: Vec<Place>,
    names: String,
    /// Each bank once: by key, then by title (a bank may have been renamed).
    banks: HashMap<Arc<str>, Vec<Arc<Bank>>>,
}

/// One session: 40 bytes and its file name.
#[derive(Debug)]
struct Place {
    started: DateTime<FixedOffset>,
    /// Its file name in [`Catalogue::names`].
    name: Range<usize>,
    /// Shared by every session of the bank.
    bank: Arc<Bank>,
}

#[derive(Debug)]
struct Bank {
    title: Arc<str>,
    key: Arc<str>,
}

/// One session of a [`Catalogue`].
#[derive(Debug, Clone, Copy)]
pub struct Catalogued<'a> {
    /// 1 = the newest.
    pub number: usize,
    pub file: &'a str,
    pub started: DateTime<FixedOffset>,
    pub bank: &'a str,
    pub bank_key: &'a str,
}

impl Catalogued<'_> {
    pub fn accepted(&self, filter: &Filter) -> bool {
        filter.takes(self.bank, self.bank_key, &self.started)
    }
}

impl Cataloguing {
    /// Room for this many sessions.
    pub fn with_capacity(sessions: usize) -> Cataloguing {
        Cataloguing {
            places: Vec::with_capacity(sessions),
            ..Cataloguing::default()
        }
    }

    pub fn add(&mut self, session: &SessionSummary) {
        let start = self.names.len();
        self.names.push_str(&session.file);
        let bank = self.bank(&session.bank, &session.bank_key);
        self.places.push(Place {
            started: session.started,
            name: start..self.names.len(),
            bank,
        });
    }

    fn bank(&mut self, title: &Arc<str>, key: &Arc<str>) -> Arc<Bank> {
        let titles = self.banks.entry(key.clone()).or_default();
        if let Some(bank) = titles.iter().find(|b| b.title == *title) {
            return bank.clone();
        }
        let bank = Arc::new(Bank {
            title: title.clone(),
            key: key.clone(),
        });
        titles.push(bank.clone());
        bank
    }

    /// The sessions put in order and numbered.
    pub fn finish(self) -> Catalogue {
        let Cataloguing {
            mut places, names, ..
        } = self;
        places.sort_unstable_by(|a, b| {
            newest_first(
                (&a.started, &names[a.name.clone()]),
                (&b.started, &names[b.name.clone()]),
            )
        });
        Catalogue { places, names }
    }
}

impl Catalogue {
    /// A catalogue of this one session.
    pub fn of(session: &SessionSummary) -> Catalogue {
        let mut one = Cataloguing::with_capacity(1);
        one.add(session);
        one.finish()
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Newest first.
    pub fn iter(&self) -> impl Iterator<Item = Catalogued<'_>> + Clone {
        self.places
            .iter()
            .enumerate()
            .map(|(i, place)| self.view(i + 1, place))
    }

    /// The session numbered `number`.
    pub fn get(&self, number: usize) -> Option<Catalogued<'_>> {
        let place = self.places.get(number.checked_sub(1)?)?;
        Some(self.view(number, place))
    }

    fn view<'a>(&'a self, number: usize, place: &'a Place) -> Catalogued<'a> {
        Catalogued {
            number,
            file: &self.names[place.name.clone()],
            started: place.started,
            bank: &place.bank.title,
            bank_key: &place.bank.key,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(file: &str, at: &str, bank: &str) -> SessionSummary {
        let text = format!(
            r#"{{"at":"{at}","t_ms":0,"event":"session_started","schema":1,"bank":"{bank} bank","bank_key":"{bank}","seed":1,"plan":[]}}"#
        );
        let mut s = crate::log::read::read_from(
            std::path::Path::new(file),
            text.as_bytes(),
            super::super::Detail::Counts,
            &mut super::super::Interner::default(),
        )
        .unwrap();
        s.file = file.to_string();
        s
    }

    #[test]
    fn sessions_are_numbered_newest_first_by_the_moment_they_began_then_by_name() {
        let mut making = Cataloguing::with_capacity(4);
        for (file, at, bank) in [
            ("b.jsonl", "2026-11-24T09:00:00.000+01:00", "hrm"),
            ("a.jsonl", "2026-11-25T23:30:00.000-05:00", "behavioral"),
            ("c.jsonl", "2026-11-26T01:00:00.000+01:00", "hrm"),
            ("d.jsonl", "2026-11-24T09:00:00.000+01:00", "hrm"),
        ] {
            making.add(&session(file, at, bank));
        }
        let catalogue = making.finish();
        let seen: Vec<_> = catalogue
            .iter()
            .map(|s| (s.number, s.file, s.bank_key, s.bank))
            .collect();
        assert_eq!(
            seen,
            [
                (1, "a.jsonl", "behavioral", "behavioral bank"),
                (2, "c.jsonl", "hrm", "hrm bank"),
                (3, "d.jsonl", "hrm", "hrm bank"),
                (4, "b.jsonl", "hrm", "hrm bank"),
            ]
        );
        assert_eq!(catalogue.get(2).map(|s| s.file), Some("c.jsonl"));
        assert!(catalogue.get(0).is_none() && catalogue.get(5).is_none());
        // Its own offset, for the local date.
        let first = catalogue.get(1).unwrap();
        assert_eq!(first.started.to_rfc3339(), "2026-11-25T23:30:00-05:00");
        let since = Filter {
            since: chrono::NaiveDate::from_ymd_opt(2026, 11, 26),
            ..Filter::default()
        };
        let kept: Vec<_> = catalogue.iter().filter(|s| s.accepted(&since)).collect();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].file, "c.jsonl");
    }
}
