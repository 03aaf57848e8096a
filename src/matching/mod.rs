//! Matching needs with offers (三社联动): pure functions over model values.
//!
//! - [`Matcher`] holds every offer prepared for scoring (domains and target
//!   groups as bit sets, covered places as numbers, the provider's record),
//!   built once from the offers, places and linkages; [`Matcher::rank`]
//!   then scores every available offer for one need in a few microseconds
//!   per thousand offers.
//! - Each [`Ranked`] offer carries the parts of its score ([`Parts`]), so
//!   staff see why it ranks where it does. Nothing is assigned: staff
//!   propose a linkage from the list.
//! - [`overview`] counts open needs, offers and linkages in progress per
//!   community and grid cell; [`waiting_count`] is the one count of needs
//!   waiting for a linkage (待对接需求) the dashboard and pane 2 show.
//! - [`transition`] turns a linkage step into the store commands that write
//!   the linkage, its need and its offers in one batch.

mod overview;
pub mod places;
mod score;
pub mod transition;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::model::{
    Evaluation, Linkage, LinkageState, Need, NeedState, Offer, Place, ProviderKind, Rubric,
};
pub use overview::{overview, Overview, OverviewRow};
use places::{Chain, PlaceIndex, NONE};
pub use score::{
    capacity_part, domain_mask, domain_part, record_part, target_mask, target_part, timing_part,
    Parts, Weights, ELSEWHERE, SAME_COMMUNITY, SAME_PLACE, SAME_TOWNSHIP,
};

/// Whether a need waits for a linkage (待对接): open, no linkage accepted
/// for it yet. The one rule behind every 待对接需求 figure: the dashboard,
/// the linkage pane's list and the grid overview.
pub fn is_waiting(need: &Need) -> bool {
    need.state == NeedState::Open
}

/// How many of `needs` wait for a linkage ([`is_waiting`]).
pub fn waiting_count<'a>(needs: impl IntoIterator<Item = &'a Need>) -> usize {
    needs.into_iter().filter(|n| is_waiting(n)).count()
}

/// A provider's completed linkages and the satisfaction they were rated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProviderRecord {
    pub done: u32,
    pub rated: u32,
    pub satisfaction_sum: u32,
}

/// The record of every provider, from the done linkages and their offers.
pub fn provider_records(
    offers: &[(String, Offer)],
    linkages: &[(String, Linkage)],
) -> HashMap<(ProviderKind, String), ProviderRecord> {
    let by_id: HashMap<&str, &Offer> = offers.iter().map(|(id, o)| (id.as_str(), o)).collect();
    let mut out: HashMap<(ProviderKind, String), ProviderRecord> = HashMap::new();
    for (_, l) in linkages {
        if l.state != LinkageState::Done {
            continue;
        }
        // A provider with two offers in one linkage counts it once.
        let mut seen = HashSet::new();
        for oid in &l.offers {
            let Some(o) = by_id.get(oid.as_str()) else {
                continue;
            };
            if !seen.insert((o.provider_kind, o.provider.as_str())) {
                continue;
            }
            let r = out
                .entry((o.provider_kind, o.provider.clone()))
                .or_default();
            r.done += 1;
            if let Some(s) = l.satisfaction {
                r.rated += 1;
                r.satisfaction_sum += u32::from(s);
            }
        }
    }
    out
}

/// The latest evaluation of each organization (by period), as its total's
/// share of the rubric's maximum (0 to 1): the evaluation part of a
/// provider's record.
pub fn evaluation_grades(
    evaluations: &[(String, Evaluation)],
    rubric: &Rubric,
) -> HashMap<String, f32> {
    let max = rubric.total() as f32 * 10.0;
    // Org id -> (period sort key, its evaluation), the latest so far.
    type Latest<'a> = HashMap<&'a str, (Option<(i32, u8)>, &'a Evaluation)>;
    let mut latest: Latest = HashMap::new();
    for (_, e) in evaluations {
        let key = e.period().map(|p| p.sort_key());
        let slot = latest.entry(e.org.as_str()).or_insert((key, e));
        if key > slot.0 {
            *slot = (key, e);
        }
    }
    latest
        .into_iter()
        .filter(|_| max > 0.0)
        .map(|(org, (_, e))| {
            let share = e.grade(rubric).total_tenths as f32 / max;
            (org.to_string(), share.clamp(0.0, 1.0))
        })
        .collect()
}

/// One offer prepared for scoring.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Candidate {
    domains: u32,
    targets: u32,
    covers: Vec<Chain>,
    capacity: Option<u32>,
    committed: u32,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    record: f32,
}

/// One offer ranked for a need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked {
    /// Index of the offer in the [`Matcher`] (see [`Matcher::offer`]).
    pub index: usize,
    pub score: f32,
    pub parts: Parts,
}

/// Every offer prepared for ranking against any need.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Matcher {
    places: PlaceIndex,
    ids: Vec<String>,
    offers: Vec<Offer>,
    candidates: Vec<Candidate>,
    /// Offers already in a live (not cancelled) linkage, per need id.
    linked: HashMap<String, HashSet<usize>>,
}

impl Matcher {
    /// Prepares `offers` for ranking. `linkages` give the providers' record
    /// and the offers already linked to each need (left out of its ranking).
    pub fn new(
        places: &[Place],
        offers: Vec<(String, Offer)>,
        linkages: &[(String, Linkage)],
    ) -> Matcher {
        Matcher::with_grades(places, offers, linkages, &HashMap::new())
    }

    /// Like [`new`](Self::new), with the organizations' latest evaluation
    /// (org id -> total as a share of the rubric's maximum, from
    /// [`evaluation_grades`]) as a third of an organization provider's record.
    pub fn with_grades(
        places: &[Place],
        offers: Vec<(String, Offer)>,
        linkages: &[(String, Linkage)],
        grades: &HashMap<String, f32>,
    ) -> Matcher {
        let records = provider_records(&offers, linkages);
        let index = PlaceIndex::new(places);
        let mut ids = Vec::with_capacity(offers.len());
        let mut candidates = Vec::with_capacity(offers.len());
        let mut plain = Vec::with_capacity(offers.len());
        for (id, o) in offers {
            let r = records
                .get(&(o.provider_kind, o.provider.clone()))
                .copied()
                .unwrap_or_default();
            candidates.push(Candidate {
                domains: domain_mask(&o.domains),
                targets: target_mask(&o.targets),
                covers: o
                    .covers
                    .iter()
                    .filter_map(|c| index.chain(c).copied())
                    .collect(),
                capacity: o.capacity,
                committed: o.committed,
                from: o.available_from,
                until: o.available_until,
                record: record_part(
                    r.done,
                    r.rated,
                    r.satisfaction_sum,
                    match o.provider_kind {
                        ProviderKind::Org => grades.get(&o.provider).copied(),
                        _ => None,
                    },
                ),
            });
            ids.push(id);
            plain.push(o);
        }
        let at: HashMap<&str, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let mut linked: HashMap<String, HashSet<usize>> = HashMap::new();
        for (_, l) in linkages {
            if l.state == LinkageState::Cancelled {
                continue;
            }
            let set = linked.entry(l.need.clone()).or_default();
            set.extend(l.offers.iter().filter_map(|o| at.get(o.as_str()).copied()));
        }
        Matcher {
            places: index,
            ids,
            offers: plain,
            candidates,
            linked,
        }
    }

    /// Number of offers.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The id and offer at `index`.
    pub fn offer(&self, index: usize) -> Option<(&str, &Offer)> {
        Some((self.ids.get(index)?.as_str(), self.offers.get(index)?))
    }

    /// The place index the matcher was built with.
    pub fn places(&self) -> &PlaceIndex {
        &self.places
    }

    /// Every available offer for `need` (id `need_id`), best first: offers
    /// expired or without capacity left on `today`, and offers already
    /// linked to this need, are left out. Ties keep the offers' order.
    pub fn rank(&self, need_id: &str, need: &Need, w: &Weights, today: NaiveDate) -> Vec<Ranked> {
        let w = w.sanitized();
        let need_domains = domain_mask(&need.domains);
        let need_targets = target_mask(&need.targets);
        let at = self.places.chain(&need.grid).copied();
        let linked = self.linked.get(need_id);
        let mut out = Vec::with_capacity(self.candidates.len());
        for (i, c) in self.candidates.iter().enumerate() {
            if c.until.is_some_and(|u| u < today)
                || c.capacity.is_some_and(|cap| c.committed >= cap)
                || linked.is_some_and(|s| s.contains(&i))
            {
                continue;
            }
            let parts = Parts {
                domain: domain_part(need_domains, c.domains),
                distance: at.map_or(ELSEWHERE, |at| distance(&at, &c.covers)),
                capacity: capacity_part(c.capacity, c.committed),
                target: target_part(need_targets, c.targets),
                record: c.record,
                timing: timing_part(c.from, today, need.urgency, need.wanted_by),
            };
            out.push(Ranked {
                index: i,
                score: parts.score(&w),
                parts,
            });
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
        out
    }
}

/// The best distance value between a need's place and an offer's covered
/// places: covering the need's place (or a place above it) counts as the
/// same place.
pub fn distance(need: &Chain, covers: &[Chain]) -> f32 {
    let mut best = ELSEWHERE;
    for c in covers {
        let v = if need.within(c) {
            SAME_PLACE
        } else if need.community != NONE && c.community == need.community {
            SAME_COMMUNITY
        } else if need.township != NONE && c.township == need.township {
            SAME_TOWNSHIP
        } else {
            ELSEWHERE
        };
        if v > best {
            best = v;
            if best == SAME_PLACE {
                break;
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Domain, TargetGroup, Urgency};

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn offer(title: &str, domains: &[Domain], covers: &[&str]) -> Offer {
        Offer {
            title: title.into(),
            domains: domains.to_vec(),
            provider: format!("org-{title}"),
            covers: covers.iter().map(|c| c.to_string()).collect(),
            ..Default::default()
        }
    }

    fn need(grid: &str) -> Need {
        Need {
            title: "独居老人助餐".into(),
            domains: vec![Domain::Elderly],
            grid: grid.into(),
            targets: vec![TargetGroup::Elderly],
            ..Default::default()
        }
    }

    #[test]
    fn waiting_needs_are_the_open_ones() {
        let mut needs = Vec::new();
        for state in <crate::model::NeedState as crate::model::Labeled>::ALL {
            needs.push(Need {
                state: *state,
                ..need("BSJ-01-01")
            });
        }
        assert_eq!(waiting_count(&needs), 1);
        assert!(is_waiting(&needs[0]));
    }

    #[test]
    fn same_grid_and_domain_first_then_community_then_other_domains() {
        let offers = vec![
            (
                "far".to_string(),
                offer("far", &[Domain::Elderly], &["LYJ-01-01"]),
            ),
            (
                "other".to_string(),
                offer("other", &[Domain::Sports], &["BSJ-01-01"]),
            ),
            (
                "community".to_string(),
                offer("community", &[Domain::Elderly], &["BSJ-01-02"]),
            ),
            (
                "grid".to_string(),
                offer("grid", &[Domain::Elderly], &["BSJ-01-01"]),
            ),
            (
                "township".to_string(),
                offer("township", &[Domain::Elderly], &["BSJ-02-01"]),
            ),
        ];
        let m = Matcher::new(&places::tests::township(), offers, &[]);
        let ranked = m.rank("n1", &need("BSJ-01-01"), &Weights::default(), day());
        let order: Vec<&str> = ranked.iter().map(|r| m.offer(r.index).unwrap().0).collect();
        assert_eq!(order, ["grid", "community", "township", "far", "other"]);
        let top = &ranked[0].parts;
        assert_eq!((top.domain, top.distance), (1.0, SAME_PLACE));
        assert_eq!(ranked[1].parts.distance, SAME_COMMUNITY);
        assert_eq!(ranked[2].parts.distance, SAME_TOWNSHIP);
        assert_eq!(ranked[3].parts.distance, ELSEWHERE);
        assert_eq!(ranked[4].parts.domain, 0.0);
        let sum = top.score(&Weights::default());
        assert!((ranked[0].score - sum).abs() < 1e-4);
    }

    #[test]
    fn covering_the_community_or_township_counts_as_same_place() {
        let idx = PlaceIndex::new(&places::tests::township());
        let at = *idx.chain("BSJ-01-01").unwrap();
        let c = |code: &str| *idx.chain(code).unwrap();
        assert_eq!(distance(&at, &[c("BSJ-01")]), SAME_PLACE);
        assert_eq!(distance(&at, &[c("BSJ")]), SAME_PLACE);
        assert_eq!(
            distance(&at, &[c("BSJ-02"), c("BSJ-01-02")]),
            SAME_COMMUNITY
        );
        assert_eq!(distance(&at, &[]), ELSEWHERE);
        // A need at community level and an offer on one of its grid cells.
        assert_eq!(distance(&c("BSJ-01"), &[c("BSJ-01-02")]), SAME_COMMUNITY);
    }

    #[test]
    fn unavailable_and_already_linked_offers_are_left_out() {
        let mut full = offer("full", &[Domain::Elderly], &["BSJ-01-01"]);
        full.capacity = Some(2);
        full.committed = 2;
        let mut expired = offer("expired", &[Domain::Elderly], &["BSJ-01-01"]);
        expired.available_until = NaiveDate::from_ymd_opt(2026, 11, 1);
        let linked = offer("linked", &[Domain::Elderly], &["BSJ-01-01"]);
        let open = offer("open", &[Domain::Elderly], &["BSJ-01-01"]);
        let offers = vec![
            ("full".to_string(), full),
            ("expired".to_string(), expired),
            ("linked".to_string(), linked),
            ("open".to_string(), open),
        ];
        let l = Linkage {
            need: "n1".into(),
            offers: vec!["linked".into()],
            ..Default::default()
        };
        let m = Matcher::new(&places::tests::township(), offers, &[("l1".into(), l)]);
        let ranked = m.rank("n1", &need("BSJ-01-01"), &Weights::default(), day());
        let ids: Vec<&str> = ranked.iter().map(|r| m.offer(r.index).unwrap().0).collect();
        assert_eq!(ids, ["open"]);
        // Another need still sees the linked offer.
        assert_eq!(
            m.rank("n2", &need("BSJ-01-01"), &Weights::default(), day())
                .len(),
            2
        );
    }

    #[test]
    fn provider_record_and_urgency_move_the_order() {
        let a = offer("a", &[Domain::Elderly], &["BSJ-01-01"]);
        let mut b = offer("b", &[Domain::Elderly], &["BSJ-01-01"]);
        b.available_from = NaiveDate::from_ymd_opt(2026, 12, 20);
        let offers = vec![("a".to_string(), a), ("b".to_string(), b)];
        let done = Linkage {
            need: "old".into(),
            offers: vec!["b".into()],
            state: LinkageState::Done,
            satisfaction: Some(5),
            ..Default::default()
        };
        let m = Matcher::new(&places::tests::township(), offers, &[("l".into(), done)]);
        let mut n = need("BSJ-01-01");
        n.urgency = Urgency::Low;
        let ranked = m.rank("n1", &n, &Weights::default(), day());
        assert_eq!(m.offer(ranked[0].index).unwrap().0, "b", "b has a record");
        assert!(ranked[0].parts.record > ranked[1].parts.record);
        n.urgency = Urgency::Urgent;
        let ranked = m.rank("n1", &n, &Weights::default(), day());
        assert_eq!(
            m.offer(ranked[0].index).unwrap().0,
            "a",
            "a is available now"
        );
        assert_eq!(ranked[1].parts.timing, 0.0);
    }

    #[test]
    fn provider_records_count_done_linkages_once_per_provider() {
        let mut o1 = offer("x", &[Domain::Elderly], &[]);
        o1.provider = "p".into();
        let mut o2 = o1.clone();
        o2.title = "y".into();
        let offers = vec![("o1".to_string(), o1), ("o2".to_string(), o2)];
        let l = Linkage {
            need: "n".into(),
            offers: vec!["o1".into(), "o2".into()],
            state: LinkageState::Done,
            satisfaction: Some(4),
            ..Default::default()
        };
        let mut cancelled = l.clone();
        cancelled.state = LinkageState::Cancelled;
        let r = provider_records(&offers, &[("l".into(), l), ("c".into(), cancelled)]);
        assert_eq!(
            r[&(ProviderKind::Org, "p".to_string())],
            ProviderRecord {
                done: 1,
                rated: 1,
                satisfaction_sum: 4
            }
        );
    }

    #[test]
    fn evaluation_grades_take_the_latest_period() {
        use crate::model::{Evaluation, Rubric, Score};
        let rubric = Rubric::shipped();
        let ind = rubric.indicators().next().expect("an indicator").clone();
        let eval = |org: &str, period: &str, points: u32| {
            let mut scores = std::collections::BTreeMap::new();
            scores.insert(
                ind.key.clone(),
                Score {
                    tenths: points * 10,
                    note: None,
                },
            );
            Evaluation {
                org: org.into(),
                period: period.into(),
                evaluators: vec![],
                scores,
                date: chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
                notes: None,
            }
        };
        let evals = vec![
            ("e1".to_string(), eval("o1", "2025", 2)),
            ("e2".to_string(), eval("o1", "2026H1", 4)),
            ("e3".to_string(), eval("o2", "2025", 1)),
        ];
        let g = evaluation_grades(&evals, &rubric);
        let max = rubric.total() as f32;
        assert!((g["o1"] - 4.0 / max).abs() < 1e-6, "{g:?}");
        assert!((g["o2"] - 1.0 / max).abs() < 1e-6, "{g:?}");
        assert!(!g.contains_key("o3"));
    }
}
