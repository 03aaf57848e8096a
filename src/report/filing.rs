//! Filings (备案) as staff read them: every filing with the names of the
//! organization and community it names, counts per state, what is waiting
//! (for the committee or the street, with the days waited), filed
//! organizations preparing to register for over a year, and the figures of
//! a year (filed, registered) for the disclosure report. Pure: no printing;
//! the CLI lists and a pane read the same [`Filings`].

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};

use crate::model::filing::{Filing, FilingState};
use crate::model::{Kind, Record};
use crate::store::{Store, StoreError};

/// A filing preparing to register longer than this many days is due.
pub const REGISTER_AFTER_DAYS: i64 = 365;

/// One filing with what it refers to in words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FilingRow {
    pub id: String,
    pub filing: Filing,
    /// The linked organization's name, if linked (and live).
    pub org_name: Option<String>,
    /// The community's name, if one is named (and known).
    pub community_name: Option<String>,
    /// The date of its last step (since when it is in its state).
    pub since: Option<NaiveDate>,
    /// The date it was first applied for.
    pub applied: Option<NaiveDate>,
}

/// Every filing, newest application first.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Filings {
    pub rows: Vec<FilingRow>,
}

impl Filings {
    /// Reads every filing and the names they refer to.
    pub fn load(store: &Store) -> Result<Filings, StoreError> {
        let mut filings = Vec::new();
        for (id, r) in store.all_cached(Kind::Filing)? {
            if let Record::Filing(f) = r {
                filings.push((id, f));
            }
        }
        let (orgs, places): (HashMap<String, String>, HashMap<String, String>) =
            if filings.is_empty() {
                Default::default()
            } else {
                (
                    store.names(Kind::Org)?.into_iter().collect(),
                    store
                        .places()?
                        .into_iter()
                        .map(|p| (p.code, p.name))
                        .collect(),
                )
            };
        Ok(Filings::from_records(filings, &orgs, &places))
    }

    /// [`load`](Self::load) from records already read: organization and
    /// place names by id and code.
    pub fn from_records(
        filings: Vec<(String, Filing)>,
        orgs: &HashMap<String, String>,
        places: &HashMap<String, String>,
    ) -> Filings {
        let mut rows: Vec<FilingRow> = filings
            .into_iter()
            .map(|(id, f)| FilingRow {
                org_name: f.org.as_ref().and_then(|o| orgs.get(o).cloned()),
                community_name: f.community.as_ref().and_then(|c| places.get(c).cloned()),
                since: f.since(),
                applied: f.step_list().first().map(|(_, m)| m.date),
                id,
                filing: f,
            })
            .collect();
        rows.sort_by(|a, b| b.applied.cmp(&a.applied).then_with(|| a.id.cmp(&b.id)));
        Filings { rows }
    }

    /// One filing.
    pub fn get(&self, id: &str) -> Option<&FilingRow> {
        self.rows.iter().find(|r| r.id == id)
    }

    /// The filings in `state` (all when `None`), newest application first.
    pub fn in_state(&self, state: Option<FilingState>) -> Vec<&FilingRow> {
        self.rows
            .iter()
            .filter(|r| state.is_none_or(|s| r.filing.state == s))
            .collect()
    }

    /// How many filings are in each state (states with none left out).
    pub fn by_state(&self) -> BTreeMap<FilingState, usize> {
        let mut out = BTreeMap::new();
        for r in &self.rows {
            *out.entry(r.filing.state).or_default() += 1;
        }
        out
    }

    /// Applications waiting for the committee or the street (申请, 社区审核,
    /// 街道审查) with the days since their last step on `today`, longest
    /// waiting first.
    pub fn waiting(&self, today: NaiveDate) -> Vec<(&FilingRow, i64)> {
        let mut out: Vec<(&FilingRow, i64)> = self
            .rows
            .iter()
            .filter(|r| r.filing.state.is_waiting())
            .map(|r| (r, r.since.map_or(0, |d| (today - d).num_days().max(0))))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
        out
    }

    /// Filed organizations preparing to register (筹备登记) for more than
    /// [`REGISTER_AFTER_DAYS`] on `today`, with the day they began.
    pub fn to_register(&self, today: NaiveDate) -> Vec<(&FilingRow, NaiveDate)> {
        self.rows
            .iter()
            .filter(|r| r.filing.state == FilingState::Preparing)
            .filter_map(|r| {
                let since = r.filing.reached(FilingState::Preparing)?.date;
                ((today - since).num_days() > REGISTER_AFTER_DAYS).then_some((r, since))
            })
            .collect()
    }

    /// Filings that reached 已备案, and 已登记, in `year` (by their steps'
    /// dates).
    pub fn year_figures(&self, year: i32) -> (usize, usize) {
        let reached = |s: FilingState| {
            self.rows
                .iter()
                .filter(|r| {
                    r.filing
                        .step_list()
                        .iter()
                        .any(|(st, m)| *st == s && m.date.year() == year)
                })
                .count()
        };
        (
            reached(FilingState::Filed),
            reached(FilingState::Registered),
        )
    }
}

/// Filings that reached 已备案 and 已登记 in `year`, by their steps' dates:
/// the figures of the yearly disclosure report.
pub fn year_figures(store: &Store, year: i32) -> Result<(usize, usize), StoreError> {
    Ok(Filings::load(store)?.year_figures(year))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::venture::Mark;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn mark(date: NaiveDate) -> Mark {
        Mark {
            date,
            author: None,
            note: None,
        }
    }

    #[test]
    fn waiting_to_register_and_the_years_figures() {
        let mut a = Filing::new("甲", "陈敏", "活动室");
        a.push_step(FilingState::Applied, mark(d(2026, 10, 1)));
        a.push_step(FilingState::Checked, mark(d(2026, 10, 11)));
        let mut b = Filing::new("乙", "陈敏", "活动室");
        for (s, date) in [
            (FilingState::Applied, d(2024, 3, 1)),
            (FilingState::Checked, d(2024, 3, 5)),
            (FilingState::Reviewed, d(2024, 3, 9)),
            (FilingState::Filed, d(2024, 4, 1)),
            (FilingState::Preparing, d(2025, 1, 10)),
        ] {
            b.push_step(s, mark(date));
        }
        let mut c = b.clone();
        c.name = "丙".into();
        c.push_step(FilingState::Registered, mark(d(2026, 2, 1)));
        let f = Filings::from_records(
            vec![("a".into(), a), ("b".into(), b), ("c".into(), c)],
            &HashMap::new(),
            &HashMap::new(),
        );
        let today = d(2026, 11, 1);
        let w = f.waiting(today);
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].0.id.as_str(), w[0].1), ("a", 21));
        let r = f.to_register(today);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].0.id, "b");
        assert!(f.to_register(d(2025, 6, 1)).is_empty());
        assert_eq!(f.year_figures(2024), (2, 0));
        assert_eq!(f.year_figures(2026), (0, 1));
        assert_eq!(f.by_state()[&FilingState::Preparing], 1);
        assert_eq!(f.rows[0].id, "a");
    }
}
