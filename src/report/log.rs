//! The activities in memory, indexed by month: what the activities pane
//! filters and the bulletin reads. Adding or changing one activity touches
//! one or two month buckets; filtering by month reads one bucket.

use std::collections::{BTreeMap, HashMap};

use crate::model::{Activity, ActivityKind};

use super::totals::Totals;

/// One activity with its id and the community it counts for.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub id: String,
    pub activity: Activity,
    /// Community code (from the activity's place, else its first
    /// organization's), for the community filter.
    pub community: Option<String>,
}

/// What the activities pane filters on. Empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Month key (`202611`).
    pub month: Option<u32>,
    pub org: Option<String>,
    pub community: Option<String>,
    pub kind: Option<ActivityKind>,
}

impl Filter {
    /// True when every field is empty.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    fn keeps(&self, s: &Slot) -> bool {
        self.org
            .as_ref()
            .is_none_or(|o| s.activity.orgs.iter().any(|x| x == o))
            && self
                .community
                .as_ref()
                .is_none_or(|c| s.community.as_ref() == Some(c))
            && self.kind.is_none_or(|k| s.activity.kind == k)
    }
}

/// Every live activity, by month, newest first within a month.
#[derive(Debug, Default)]
pub struct ActivityLog {
    slots: Vec<Option<Slot>>,
    by_id: HashMap<String, usize>,
    /// Month key -> slot numbers, newest date first (ties: newest added first).
    by_month: BTreeMap<u32, Vec<usize>>,
}

impl ActivityLog {
    /// Builds the log from `(id, activity, community)` triples.
    pub fn build(items: impl IntoIterator<Item = Slot>) -> ActivityLog {
        let mut log = ActivityLog::default();
        for s in items {
            let n = log.slots.len();
            log.by_id.insert(s.id.clone(), n);
            log.by_month.entry(s.activity.month()).or_default().push(n);
            log.slots.push(Some(s));
        }
        let slots = &log.slots;
        for bucket in log.by_month.values_mut() {
            bucket.sort_by(|a, b| {
                let (x, y) = (date_of(slots, *a), date_of(slots, *b));
                y.cmp(&x).then(b.cmp(a))
            });
        }
        log
    }

    /// Number of live activities.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// An activity by id.
    pub fn get(&self, id: &str) -> Option<&Slot> {
        self.by_id
            .get(id)
            .and_then(|n| self.slots.get(*n))
            .and_then(Option::as_ref)
    }

    /// An activity by slot number (as returned by [`filter`](Self::filter)).
    pub fn slot(&self, n: usize) -> Option<&Slot> {
        self.slots.get(n).and_then(Option::as_ref)
    }

    /// Months that have activities, newest first.
    pub fn months(&self) -> impl Iterator<Item = u32> + '_ {
        self.by_month.keys().rev().copied()
    }

    /// Adds or replaces an activity; returns the one it replaced.
    pub fn upsert(&mut self, slot: Slot) -> Option<Slot> {
        let old = self.remove(&slot.id);
        let n = self.slots.len();
        let month = slot.activity.month();
        let date = slot.activity.date;
        self.by_id.insert(slot.id.clone(), n);
        self.slots.push(Some(slot));
        let slots = &self.slots;
        let bucket = self.by_month.entry(month).or_default();
        // Newest first: insert before the first entry not newer than it.
        let at = bucket.partition_point(|m| date_of(slots, *m) > date);
        bucket.insert(at, n);
        old
    }

    /// Removes an activity; returns it.
    pub fn remove(&mut self, id: &str) -> Option<Slot> {
        let n = self.by_id.remove(id)?;
        let old = self.slots.get_mut(n)?.take()?;
        let month = old.activity.month();
        if let Some(bucket) = self.by_month.get_mut(&month) {
            bucket.retain(|m| *m != n);
            if bucket.is_empty() {
                self.by_month.remove(&month);
            }
        }
        Some(old)
    }

    /// Slot numbers of the activities the filter keeps, newest first, with
    /// their totals.
    pub fn filter(&self, f: &Filter) -> (Vec<usize>, Totals) {
        let mut out = Vec::new();
        let mut totals = Totals::default();
        let mut visit = |bucket: &Vec<usize>| {
            for n in bucket {
                if let Some(s) = self.slot(*n) {
                    if f.keeps(s) {
                        totals.add(&s.activity);
                        out.push(*n);
                    }
                }
            }
        };
        match f.month {
            Some(m) => {
                if let Some(b) = self.by_month.get(&m) {
                    visit(b);
                }
            }
            None => {
                for b in self.by_month.values().rev() {
                    visit(b);
                }
            }
        }
        (out, totals)
    }

    /// The activities of one month, newest first.
    pub fn month(&self, m: u32) -> impl Iterator<Item = &Slot> + '_ {
        self.by_month
            .get(&m)
            .into_iter()
            .flatten()
            .filter_map(|n| self.slot(*n))
    }
}

fn date_of(slots: &[Option<Slot>], n: usize) -> chrono::NaiveDate {
    slots
        .get(n)
        .and_then(Option::as_ref)
        .map(|s| s.activity.date)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn slot(id: &str, org: &str, y: i32, m: u32, d: u32, people: u32) -> Slot {
        let mut a = Activity::new(org, NaiveDate::from_ymd_opt(y, m, d).unwrap(), id);
        a.participants = Some(people);
        Slot {
            id: id.into(),
            activity: a,
            community: Some(format!("C-{org}")),
        }
    }

    #[test]
    fn filters_by_month_newest_first_with_totals() {
        let mut log = ActivityLog::build(vec![
            slot("a", "o1", 2026, 10, 5, 10),
            slot("b", "o2", 2026, 11, 3, 20),
            slot("c", "o1", 2026, 11, 20, 30),
        ]);
        let f = Filter {
            month: Some(202611),
            ..Filter::default()
        };
        let (rows, t) = log.filter(&f);
        let ids: Vec<&str> = rows
            .iter()
            .map(|n| log.slot(*n).unwrap().id.as_str())
            .collect();
        assert_eq!(ids, ["c", "b"]);
        assert_eq!((t.activities, t.participants), (2, 50));
        log.upsert(slot("d", "o1", 2026, 11, 10, 5));
        let f = Filter {
            org: Some("o1".into()),
            ..Filter::default()
        };
        let (rows, t) = log.filter(&f);
        let ids: Vec<&str> = rows
            .iter()
            .map(|n| log.slot(*n).unwrap().id.as_str())
            .collect();
        assert_eq!(ids, ["c", "d", "a"]);
        assert_eq!(t.participants, 45);
        // Moving an activity to another month moves it between buckets.
        let old = log.upsert(slot("a", "o1", 2026, 11, 30, 1)).unwrap();
        assert_eq!(old.activity.participants, Some(10));
        assert_eq!(log.month(202610).count(), 0);
        assert_eq!(log.month(202611).next().unwrap().id, "a");
        assert!(log.remove("a").is_some());
        assert_eq!(log.len(), 3);
        let f = Filter {
            community: Some("C-o2".into()),
            ..Filter::default()
        };
        assert_eq!(log.filter(&f).0.len(), 1);
    }
}
