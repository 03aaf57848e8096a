//! The activities in memory, indexed by month: what the activities pane
//! filters and the bulletin reads. Adding or changing one activity touches
//! one or two month buckets; filtering by month reads one bucket.
//!
//! At district scale (200,000 activities and more) the log is most of the
//! app's memory, so each activity is kept packed: ids, titles, places,
//! venues, summaries and tags as numbers into one buffer of the distinct
//! strings (`Words`), counts inline, the rarely set fields in a box of
//! their own.
//! [`ActivityLog::slot`] gives an activity back whole; filtering and
//! totals read the packed form.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveTime};

use crate::model::{Activity, ActivityKind, Domain};

use super::totals::Totals;

/// One activity with its id and the community it counts for.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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
}

/// "No string" in a packed field.
const NONE: u32 = u32::MAX;

/// Each distinct string once, numbered in the order first seen, all in one
/// buffer (a separate allocation per string would cost more than most of
/// the strings, and leave the heap in pieces). Strings are never taken out
/// (an activity removed leaves its words: a few bytes).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Words {
    text: String,
    /// Start and length in `text` of each word.
    spans: Vec<(u32, u32)>,
    /// Hash of a word -> its number.
    by_hash: HashMap<u64, u32>,
    /// Words whose hash an earlier word has.
    others: HashMap<Box<str>, u32>,
}

fn hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

impl Words {
    fn put(&mut self, s: &str) -> u32 {
        let h = hash(s);
        if let Some(n) = self.find_hashed(s, h) {
            return n;
        }
        let n = self.spans.len() as u32;
        let start = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.text.push_str(s);
        self.spans
            .push((start, u32::try_from(s.len()).unwrap_or(u32::MAX)));
        match self.by_hash.entry(h) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(n);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                self.others.insert(s.into(), n);
            }
        }
        n
    }

    fn put_opt(&mut self, s: Option<&str>) -> u32 {
        s.map_or(NONE, |s| self.put(s))
    }

    fn put_all(&mut self, v: &[String]) -> Box<[u32]> {
        v.iter().map(|s| self.put(s)).collect()
    }

    fn find_hashed(&self, s: &str, h: u64) -> Option<u32> {
        match self.by_hash.get(&h) {
            Some(&n) if self.get(n) == s => Some(n),
            Some(_) => self.others.get(s).copied(),
            None => None,
        }
    }

    fn find(&self, s: &str) -> Option<u32> {
        self.find_hashed(s, hash(s))
    }

    fn get(&self, n: u32) -> &str {
        self.spans
            .get(n as usize)
            .and_then(|&(at, len)| self.text.get(at as usize..at as usize + len as usize))
            .unwrap_or("")
    }

    fn get_opt(&self, n: u32) -> Option<String> {
        (n != NONE).then(|| self.get(n).to_string())
    }

    fn get_all(&self, v: &[u32]) -> Vec<String> {
        v.iter().map(|n| self.get(*n).to_string()).collect()
    }
}

/// The fields most activities leave empty.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct Rare {
    start: Option<NaiveTime>,
    end: Option<NaiveTime>,
    needs: Box<[u32]>,
    linkages: Box<[u32]>,
    tags: Box<[u32]>,
    project: u32,
}

/// An activity as the log keeps it (strings as [`Words`] numbers).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Packed {
    id: u32,
    title: u32,
    grid: u32,
    venue: u32,
    community: u32,
    date: NaiveDate,
    participants: Option<u32>,
    beneficiaries: Option<u32>,
    volunteer_tenths: Option<u32>,
    kind: ActivityKind,
    domain: Option<Domain>,
    publishable: bool,
    orgs: Box<[u32]>,
    summary: u32,
    rare: Option<Box<Rare>>,
}

impl Packed {
    fn count_into(&self, t: &mut Totals) {
        t.count(self.participants, self.beneficiaries, self.volunteer_tenths);
    }
}

/// Every live activity, by month, newest first within a month.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ActivityLog {
    words: Words,
    slots: Vec<Option<Packed>>,
    /// Id (as a word) -> slot number.
    by_id: HashMap<u32, usize>,
    /// Month key -> slot numbers, newest date first (ties: newest added first).
    by_month: BTreeMap<u32, Vec<usize>>,
}

impl ActivityLog {
    /// Builds the log from `(id, activity, community)` triples.
    pub fn build(items: impl IntoIterator<Item = Slot>) -> ActivityLog {
        let mut log = ActivityLog::default();
        for s in items {
            let month = s.activity.month();
            let p = log.pack(s);
            let n = log.slots.len();
            log.by_id.insert(p.id, n);
            log.by_month.entry(month).or_default().push(n);
            log.slots.push(Some(p));
        }
        let slots = &log.slots;
        for bucket in log.by_month.values_mut() {
            bucket.sort_by(|a, b| {
                let (x, y) = (date_of(slots, *a), date_of(slots, *b));
                y.cmp(&x).then(b.cmp(a))
            });
        }
        log.slots.shrink_to_fit();
        log
    }

    fn pack(&mut self, s: Slot) -> Packed {
        let w = &mut self.words;
        let a = s.activity;
        let rare = Rare {
            start: a.start,
            end: a.end,
            needs: w.put_all(&a.needs),
            linkages: w.put_all(&a.linkages),
            tags: w.put_all(&a.tags),
            project: w.put_opt(a.project.as_deref()),
        };
        Packed {
            id: w.put(&s.id),
            title: w.put(&a.title),
            grid: w.put_opt(a.grid.as_deref()),
            venue: w.put_opt(a.venue.as_deref()),
            community: w.put_opt(s.community.as_deref()),
            date: a.date,
            participants: a.participants,
            beneficiaries: a.beneficiaries,
            volunteer_tenths: a.volunteer_tenths,
            kind: a.kind,
            domain: a.domain,
            publishable: a.publishable,
            orgs: w.put_all(&a.orgs),
            summary: w.put_opt(a.summary.as_deref()),
            rare: (rare != Rare::default()).then(|| Box::new(rare)),
        }
    }

    fn unpack(&self, p: &Packed) -> Slot {
        let w = &self.words;
        let rare = p.rare.as_deref().cloned().unwrap_or_default();
        Slot {
            id: w.get(p.id).to_string(),
            activity: Activity {
                orgs: w.get_all(&p.orgs),
                date: p.date,
                start: rare.start,
                end: rare.end,
                title: w.get(p.title).to_string(),
                kind: p.kind,
                domain: p.domain,
                grid: w.get_opt(p.grid),
                venue: w.get_opt(p.venue),
                participants: p.participants,
                beneficiaries: p.beneficiaries,
                volunteer_tenths: p.volunteer_tenths,
                needs: w.get_all(&rare.needs),
                linkages: w.get_all(&rare.linkages),
                project: w.get_opt(rare.project),
                summary: w.get_opt(p.summary),
                publishable: p.publishable,
                tags: w.get_all(&rare.tags),
            },
            community: w.get_opt(p.community),
        }
    }

    fn packed(&self, n: usize) -> Option<&Packed> {
        self.slots.get(n).and_then(Option::as_ref)
    }

    /// Number of live activities.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// An activity by id.
    pub fn get(&self, id: &str) -> Option<Slot> {
        let n = self.by_id.get(&self.words.find(id)?)?;
        self.slot(*n)
    }

    /// An activity by slot number (as returned by [`filter`](Self::filter)).
    pub fn slot(&self, n: usize) -> Option<Slot> {
        self.packed(n).map(|p| self.unpack(p))
    }

    /// The id of the activity in slot `n`.
    pub fn id(&self, n: usize) -> Option<&str> {
        self.packed(n).map(|p| self.words.get(p.id))
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
        let p = self.pack(slot);
        self.by_id.insert(p.id, n);
        self.slots.push(Some(p));
        let slots = &self.slots;
        let bucket = self.by_month.entry(month).or_default();
        // Newest first: insert before the first entry not newer than it.
        let at = bucket.partition_point(|m| date_of(slots, *m) > date);
        bucket.insert(at, n);
        old
    }

    /// True if activity `id` is in the log.
    pub fn contains(&self, id: &str) -> bool {
        self.words
            .find(id)
            .is_some_and(|w| self.by_id.contains_key(&w))
    }

    /// Removes an activity; returns it.
    pub fn remove(&mut self, id: &str) -> Option<Slot> {
        let n = self.by_id.remove(&self.words.find(id)?)?;
        let old = self.slots.get_mut(n)?.take()?;
        let month = crate::model::activity::month_key(old.date);
        if let Some(bucket) = self.by_month.get_mut(&month) {
            bucket.retain(|m| *m != n);
            if bucket.is_empty() {
                self.by_month.remove(&month);
            }
        }
        Some(self.unpack(&old))
    }

    /// Slot numbers of the activities the filter keeps, newest first, with
    /// their totals.
    pub fn filter(&self, f: &Filter) -> (Vec<usize>, Totals) {
        let mut out = Vec::new();
        let mut totals = Totals::default();
        // A filter naming a string the log never saw keeps nothing.
        let word = |s: &Option<String>| match s {
            None => Some(None),
            Some(s) => self.words.find(s).map(Some),
        };
        let (Some(org), Some(community)) = (word(&f.org), word(&f.community)) else {
            return (out, totals);
        };
        let keeps = |p: &Packed| {
            org.is_none_or(|o| p.orgs.contains(&o))
                && community.is_none_or(|c| p.community == c)
                && f.kind.is_none_or(|k| p.kind == k)
        };
        let mut visit = |bucket: &Vec<usize>| {
            for n in bucket {
                if let Some(p) = self.packed(*n) {
                    if keeps(p) {
                        p.count_into(&mut totals);
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

    /// The totals of `year`'s activities and the organizations they name
    /// (ids), read from the packed activities without unpacking them.
    pub fn year(&self, year: i32) -> (Totals, std::collections::HashSet<&str>) {
        let mut totals = Totals::default();
        let mut orgs = std::collections::HashSet::new();
        let Ok(y) = u32::try_from(year) else {
            return (totals, orgs);
        };
        for (_, bucket) in self.by_month.range(y * 100 + 1..=y * 100 + 12) {
            for n in bucket {
                if let Some(p) = self.packed(*n) {
                    p.count_into(&mut totals);
                    orgs.extend(p.orgs.iter().map(|w| self.words.get(*w)));
                }
            }
        }
        (totals, orgs)
    }

    /// The activities of one month, newest first.
    pub fn month(&self, m: u32) -> impl Iterator<Item = Slot> + '_ {
        self.by_month
            .get(&m)
            .into_iter()
            .flatten()
            .filter_map(|n| self.slot(*n))
    }
}

fn date_of(slots: &[Option<Packed>], n: usize) -> NaiveDate {
    slots
        .get(n)
        .and_then(Option::as_ref)
        .map(|s| s.date)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_year_sums_its_months_and_names_its_organizations() {
        let log = ActivityLog::build(vec![
            slot("a", "o1", 2025, 12, 31, 5),
            slot("b", "o1", 2026, 1, 1, 7),
            slot("c", "o2", 2026, 12, 31, 11),
            slot("d", "o3", 2027, 1, 1, 13),
        ]);
        let (t, orgs) = log.year(2026);
        assert_eq!((t.activities, t.participants), (2, 18));
        let mut orgs: Vec<&str> = orgs.into_iter().collect();
        orgs.sort();
        assert_eq!(orgs, ["o1", "o2"]);
        assert_eq!(log.year(2024).0.activities, 0);
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
        let ids: Vec<&str> = rows.iter().map(|n| log.id(*n).unwrap()).collect();
        assert_eq!(ids, ["c", "b"]);
        assert_eq!((t.activities, t.participants), (2, 50));
        log.upsert(slot("d", "o1", 2026, 11, 10, 5));
        let f = Filter {
            org: Some("o1".into()),
            ..Filter::default()
        };
        let (rows, t) = log.filter(&f);
        let ids: Vec<&str> = rows.iter().map(|n| log.id(*n).unwrap()).collect();
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

    /// The packed form gives back every field as it was given.
    #[test]
    fn every_field_comes_back_whole() {
        let mut a = Activity::new("o1", NaiveDate::from_ymd_opt(2026, 3, 4).unwrap(), "读书会");
        a.orgs.push("o2".into());
        a.start = NaiveTime::from_hms_opt(9, 30, 0);
        a.end = NaiveTime::from_hms_opt(11, 0, 0);
        a.kind = ActivityKind::Training;
        a.domain = <Domain as crate::model::Labeled>::ALL.get(3).copied();
        a.grid = Some("BSJ-01-02".into());
        a.venue = Some("文化家园".into());
        a.participants = Some(12);
        a.beneficiaries = Some(30);
        a.volunteer_tenths = Some(45);
        a.needs = vec!["n1".into()];
        a.linkages = vec!["l1".into(), "l2".into()];
        a.summary = Some("很好".into());
        a.publishable = true;
        a.tags = vec!["品牌项目".into()];
        let full = Slot {
            id: "x-1".into(),
            activity: a,
            community: Some("BSJ-01".into()),
        };
        let bare = slot("x-2", "o3", 2026, 3, 1, 0);
        let mut log = ActivityLog::build(vec![full.clone(), bare.clone()]);
        assert_eq!(log.get("x-1"), Some(full.clone()));
        assert_eq!(log.get("x-2"), Some(bare.clone()));
        assert_eq!(log.month(202603).collect::<Vec<_>>(), [full.clone(), bare]);
        assert_eq!(log.id(0), Some("x-1"));
        assert_eq!(log.remove("x-1"), Some(full.clone()));
        assert_eq!(log.get("x-1"), None);
        assert_eq!(log.upsert(full.clone()), None);
        assert_eq!(log.get("x-1"), Some(full));
        // A filter naming an organization the log never saw keeps nothing.
        let f = Filter {
            org: Some("unknown".into()),
            ..Filter::default()
        };
        assert!(log.filter(&f).0.is_empty());
    }

    /// Two words of the same hash are both kept, each under its number.
    #[test]
    fn words_of_the_same_hash_stay_apart() {
        let mut w = Words::default();
        assert_eq!(w.put("甲"), 0);
        // As if "乙" hashed like "甲".
        w.by_hash.insert(hash("乙"), 0);
        assert_eq!(w.put("乙"), 1);
        assert_eq!((w.find("甲"), w.find("乙")), (Some(0), Some(1)));
        assert_eq!((w.get(0), w.get(1)), ("甲", "乙"));
        assert_eq!(w.put("乙"), 1);
        assert_eq!(w.find("丙"), None);
        assert_eq!(w.get(7), "");
    }
}
