//! The dashboard figures (概览), built once from every record and then kept
//! up to date one change at a time: adding an activity touches one month's
//! sums, changing an organization re-counts that organization only.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use super::due::{due, Due};
use super::totals::Totals;
use crate::model::activity::{month_key, prev_month};
use crate::model::{
    Activity, Evaluation, Labeled, OrgType, Organization, Place, PlaceLevel, RegState, Rubric,
};

/// Place code -> code of the community it is in (a community maps to itself).
pub fn community_map(places: &[Place]) -> HashMap<String, String> {
    let by_code: HashMap<&str, &Place> = places.iter().map(|p| (p.code.as_str(), p)).collect();
    let mut out = HashMap::new();
    for p in places {
        let mut cur = Some(p);
        // Walk up at most the depth of the hierarchy.
        for _ in 0..5 {
            match cur {
                Some(q) if q.level == PlaceLevel::Community => {
                    out.insert(p.code.clone(), q.code.clone());
                    break;
                }
                Some(q) => cur = q.parent.as_deref().and_then(|c| by_code.get(c).copied()),
                None => break,
            }
        }
    }
    out
}

#[derive(Debug, Clone)]
struct OrgFacts {
    kind: OrgType,
    state: RegState,
    /// Index into `Stats::communities` (0: no place).
    community: u32,
    covered: bool,
    due: Vec<Due>,
}

/// One evaluation as the dashboard keeps it.
#[derive(Debug, Clone)]
struct EvalFacts {
    total_tenths: u32,
    band: Option<String>,
}

/// One organization's evaluations by (period sort key, evaluation id).
type OrgEvals = BTreeMap<((i32, u8), String), EvalFacts>;

/// The evaluation figures: every organization's evaluations and how many
/// organizations have each latest grade band.
#[derive(Debug, Clone, Default)]
struct EvalStats {
    /// Org id -> evaluations; the last is the latest.
    evals: HashMap<String, OrgEvals>,
    grades: BTreeMap<String, usize>,
    /// Evaluation id -> organization id.
    eval_org: HashMap<String, String>,
}

impl EvalStats {
    /// Counts every evaluation in one pass: evaluations are filed first and
    /// the latest grade of each organization is counted once at the end.
    fn build<'a>(
        evaluations: impl IntoIterator<Item = (&'a str, &'a Evaluation)>,
        rubric: &Rubric,
    ) -> EvalStats {
        let mut s = EvalStats::default();
        for (id, e) in evaluations {
            if let Some(old_org) = s.eval_org.insert(id.to_string(), e.org.clone()) {
                // The same id twice: the later one wins, as in `changed`.
                if let Some(m) = s.evals.get_mut(&old_org) {
                    m.retain(|(_, eid), _| eid != id);
                    if m.is_empty() {
                        s.evals.remove(&old_org);
                    }
                }
            }
            s.file(id, e, rubric);
        }
        for m in s.evals.values() {
            if let Some(b) = m.values().next_back().and_then(|f| f.band.as_ref()) {
                match s.grades.get_mut(b) {
                    Some(n) => *n += 1,
                    None => {
                        s.grades.insert(b.clone(), 1);
                    }
                }
            }
        }
        s
    }

    /// Files one evaluation under its organization (grades not counted).
    fn file(&mut self, id: &str, e: &Evaluation, rubric: &Rubric) {
        let g = e.grade(rubric);
        let key = e.period().map(|p| p.sort_key()).unwrap_or((0, 0));
        let facts = EvalFacts {
            total_tenths: g.total_tenths,
            band: g.band.map(|b| b.key.clone()),
        };
        match self.evals.get_mut(e.org.as_str()) {
            Some(m) => {
                m.insert((key, id.to_string()), facts);
            }
            None => {
                let mut m = OrgEvals::new();
                m.insert((key, id.to_string()), facts);
                self.evals.insert(e.org.clone(), m);
            }
        }
    }
}

/// The dashboard figures, kept incrementally.
#[derive(Debug, Clone)]
pub struct Stats {
    today: NaiveDate,
    /// Place code -> index of its community in `communities`.
    community_of: HashMap<String, u32>,
    /// Community codes; index 0 is the empty code (no place).
    communities: Vec<String>,
    orgs: HashMap<String, OrgFacts>,
    by_type: BTreeMap<OrgType, usize>,
    by_state: BTreeMap<RegState, usize>,
    by_community: BTreeMap<u32, usize>,
    /// Per community: active organizations and those covered by party
    /// building.
    party_by_community: BTreeMap<u32, (usize, usize)>,
    party_covered: usize,
    active: usize,
    due_counts: BTreeMap<&'static str, usize>,
    months: BTreeMap<u32, Totals>,
    total: Totals,
    evals: EvalStats,
}

/// Sums activities per month. Activities come mostly in date order, so the
/// current month's sums are kept aside until the month changes.
fn month_totals<'a>(activities: impl IntoIterator<Item = &'a Activity>) -> Vec<(u32, Totals)> {
    let mut out = Vec::new();
    let mut cur: Option<(u32, Totals)> = None;
    for a in activities {
        let m = a.month();
        match &mut cur {
            Some((cm, t)) if *cm == m => t.add(a),
            _ => {
                if let Some(done) = cur.take() {
                    out.push(done);
                }
                let mut t = Totals::default();
                t.add(a);
                cur = Some((m, t));
            }
        }
    }
    out.extend(cur);
    out
}

/// An organization counts towards coverage unless deregistered or revoked.
fn active(state: RegState) -> bool {
    !matches!(state, RegState::Deregistered | RegState::Revoked)
}

impl Stats {
    /// An empty dashboard for `today` with the places' communities.
    pub fn new(today: NaiveDate, places: &[Place]) -> Stats {
        let mut communities = vec![String::new()];
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut community_of = HashMap::with_capacity(places.len());
        for (code, community) in community_map(places) {
            let n = *index.entry(community).or_insert_with_key(|c| {
                communities.push(c.clone());
                (communities.len() - 1) as u32
            });
            community_of.insert(code, n);
        }
        Stats {
            today,
            community_of,
            communities,
            orgs: HashMap::new(),
            by_type: BTreeMap::new(),
            by_state: BTreeMap::new(),
            by_community: BTreeMap::new(),
            party_by_community: BTreeMap::new(),
            party_covered: 0,
            active: 0,
            due_counts: BTreeMap::new(),
            months: BTreeMap::new(),
            total: Totals::default(),
            evals: EvalStats::default(),
        }
    }

    /// Builds the figures from every record. Activities are summed and
    /// evaluations counted on another thread while organizations are
    /// counted here.
    pub fn build<'a>(
        today: NaiveDate,
        places: &[Place],
        orgs: impl IntoIterator<Item = (&'a str, &'a Organization)>,
        activities: impl IntoIterator<Item = &'a Activity> + Send,
        evaluations: impl IntoIterator<Item = (&'a str, &'a Evaluation)> + Send,
        rubric: &Rubric,
    ) -> Stats {
        let mut s = Stats::new(today, places);
        let other = std::thread::scope(|scope| {
            let summing = scope.spawn(move || {
                (
                    month_totals(activities),
                    EvalStats::build(evaluations, rubric),
                )
            });
            let orgs = orgs.into_iter();
            s.orgs.reserve(orgs.size_hint().0);
            for (id, o) in orgs {
                if s.orgs.contains_key(id) {
                    s.org_changed(id, Some(o));
                } else {
                    s.add_org(id.to_string(), o);
                }
            }
            summing.join()
        });
        // Neither summing nor counting panics; should the thread fail
        // anyway, the months and grades stay empty rather than taking the
        // app down.
        if let Ok((months, evals)) = other {
            s.evals = evals;
            for (m, t) in months {
                s.merge_month(m, t);
            }
        }
        s
    }

    fn merge_month(&mut self, m: u32, t: Totals) {
        let e = self.months.entry(m).or_default();
        e.activities += t.activities;
        e.participants += t.participants;
        e.beneficiaries += t.beneficiaries;
        e.volunteer_tenths += t.volunteer_tenths;
        self.total.activities += t.activities;
        self.total.participants += t.participants;
        self.total.beneficiaries += t.beneficiaries;
        self.total.volunteer_tenths += t.volunteer_tenths;
    }

    /// The date the due lists are computed for.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// Moves to another day: due lists are computed again.
    pub fn set_today(&mut self, today: NaiveDate, orgs: &HashMap<String, Organization>) {
        if today == self.today {
            return;
        }
        self.today = today;
        for (id, o) in orgs {
            self.org_changed(id, Some(o));
        }
    }

    /// Counts an organization's facts in (`sign` 1) or out (-1); a count
    /// that reaches zero is removed.
    fn count(&mut self, f: &OrgFacts, sign: i64) {
        fn bump<K: Ord>(map: &mut BTreeMap<K, usize>, key: K, sign: i64) {
            if sign > 0 {
                *map.entry(key).or_default() += 1;
            } else if let Some(n) = map.get_mut(&key) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    map.remove(&key);
                }
            }
        }
        let one = |n: &mut usize| *n = (*n as i64 + sign).max(0) as usize;
        bump(&mut self.by_type, f.kind, sign);
        bump(&mut self.by_state, f.state, sign);
        bump(&mut self.by_community, f.community, sign);
        if active(f.state) {
            one(&mut self.active);
            if f.covered {
                one(&mut self.party_covered);
            }
            let c = self.party_by_community.entry(f.community).or_default();
            one(&mut c.0);
            if f.covered {
                one(&mut c.1);
            }
            if c.0 == 0 {
                self.party_by_community.remove(&f.community);
            }
        }
        for d in &f.due {
            bump(&mut self.due_counts, d.key(), sign);
        }
    }

    /// An organization was added (`old` none), changed, or deleted (`new` none).
    pub fn org_changed(&mut self, id: &str, new: Option<&Organization>) {
        if let Some(old) = self.orgs.remove(id) {
            self.count(&old, -1);
        }
        if let Some(o) = new {
            self.add_org(id.to_string(), o);
        }
    }

    /// Counts in an organization not counted yet.
    fn add_org(&mut self, id: String, o: &Organization) {
        let community = o
            .grid
            .as_deref()
            .and_then(|g| self.community_of.get(g))
            .copied()
            .unwrap_or(0);
        let facts = OrgFacts {
            kind: o.kind,
            state: o.state,
            community,
            covered: o.party.covered(),
            due: due(o, self.today),
        };
        self.count(&facts, 1);
        self.orgs.insert(id, facts);
    }

    /// An activity was added (`old` none), changed, or deleted (`new` none).
    pub fn activity_changed(&mut self, old: Option<&Activity>, new: Option<&Activity>) {
        if let Some(a) = old {
            let m = a.month();
            if let Some(t) = self.months.get_mut(&m) {
                t.sub(a);
                if t.activities == 0 {
                    self.months.remove(&m);
                }
            }
            self.total.sub(a);
        }
        if let Some(a) = new {
            self.months.entry(a.month()).or_default().add(a);
            self.total.add(a);
        }
    }

    fn latest_band(&self, org: &str) -> Option<String> {
        self.evals
            .evals
            .get(org)
            .and_then(|m| m.values().next_back())
            .and_then(|f| f.band.clone())
    }

    /// An evaluation was added, changed or deleted (`new` none). The
    /// evaluation's organization is read from `new`, else from what was kept.
    pub fn evaluation_changed(&mut self, id: &str, new: Option<&Evaluation>, rubric: &Rubric) {
        // Find the organization(s) this id was counted under.
        let mut orgs: Vec<String> = self.evals.eval_org.remove(id).into_iter().collect();
        if let Some(e) = new {
            if !orgs.contains(&e.org) {
                orgs.push(e.org.clone());
            }
        }
        for org in &orgs {
            if let Some(b) = self.latest_band(org) {
                if let Some(n) = self.evals.grades.get_mut(&b) {
                    *n = n.saturating_sub(1);
                }
            }
            if let Some(m) = self.evals.evals.get_mut(org) {
                m.retain(|(_, eid), _| eid != id);
            }
        }
        if let Some(e) = new {
            self.evals.eval_org.insert(id.to_string(), e.org.clone());
            self.evals.file(id, e, rubric);
        }
        for org in &orgs {
            if let Some(b) = self.latest_band(org) {
                *self.evals.grades.entry(b).or_default() += 1;
            }
        }
        for org in &orgs {
            if self.evals.evals.get(org).is_some_and(|m| m.is_empty()) {
                self.evals.evals.remove(org);
            }
        }
        self.evals.grades.retain(|_, n| *n > 0);
    }

    /// Latest total (tenths) of an organization's evaluations.
    pub fn latest_total(&self, org: &str) -> Option<u32> {
        self.evals
            .evals
            .get(org)
            .and_then(|m| m.values().next_back())
            .map(|f| f.total_tenths)
    }

    /// The figures, for display and `sanshe stats`.
    pub fn figures(&self, months: usize) -> Figures {
        let end = month_key(self.today);
        let mut keys = Vec::with_capacity(months);
        let mut m = end;
        for _ in 0..months {
            keys.push(m);
            m = prev_month(m);
        }
        keys.reverse();
        Figures {
            date: self.today,
            orgs: self.orgs.len(),
            by_type: self
                .by_type
                .iter()
                .map(|(k, n)| (k.key().to_string(), *n))
                .collect(),
            by_state: self
                .by_state
                .iter()
                .map(|(k, n)| (k.key().to_string(), *n))
                .collect(),
            by_community: self
                .by_community
                .iter()
                .map(|(c, n)| {
                    (
                        self.communities
                            .get(*c as usize)
                            .cloned()
                            .unwrap_or_default(),
                        *n,
                    )
                })
                .collect(),
            party_by_community: self
                .party_by_community
                .iter()
                .map(|(c, n)| {
                    (
                        self.communities
                            .get(*c as usize)
                            .cloned()
                            .unwrap_or_default(),
                        *n,
                    )
                })
                .collect(),
            active_orgs: self.active,
            party_covered: self.party_covered,
            party_coverage: if self.active == 0 {
                0.0
            } else {
                (self.party_covered as f64 * 1000.0 / self.active as f64).round() / 10.0
            },
            activities: self.total,
            months: keys
                .into_iter()
                .map(|k| (k, self.months.get(&k).copied().unwrap_or_default()))
                .collect(),
            due: self
                .due_counts
                .iter()
                .map(|(k, n)| (k.to_string(), *n))
                .collect(),
            grades: self.evals.grades.clone(),
            evaluated: self.evals.evals.len(),
        }
    }

    /// Every organization with something due, with what.
    pub fn due_list(&self) -> Vec<(&str, &Due)> {
        let mut out: Vec<(&str, &Due)> = self
            .orgs
            .iter()
            .flat_map(|(id, f)| f.due.iter().map(move |d| (id.as_str(), d)))
            .collect();
        out.sort_by(|a, b| (a.1.key(), a.1.date(), a.0).cmp(&(b.1.key(), b.1.date(), b.0)));
        out
    }

    /// Totals of one month.
    pub fn month(&self, m: u32) -> Totals {
        self.months.get(&m).copied().unwrap_or_default()
    }
}

/// The dashboard figures at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Figures {
    pub date: NaiveDate,
    pub orgs: usize,
    pub by_type: BTreeMap<String, usize>,
    pub by_state: BTreeMap<String, usize>,
    /// Community code (empty: no place) -> organizations.
    pub by_community: BTreeMap<String, usize>,
    /// Community code (empty: no place) -> (active organizations, those
    /// covered by party building).
    #[serde(default)]
    pub party_by_community: BTreeMap<String, (usize, usize)>,
    /// Organizations neither deregistered nor revoked.
    pub active_orgs: usize,
    /// Active organizations with a party organization or instructor.
    pub party_covered: usize,
    /// 党组织覆盖率 in percent, one decimal.
    pub party_coverage: f64,
    /// All activities.
    pub activities: Totals,
    /// The last months up to this one (month key, totals), oldest first.
    pub months: Vec<(u32, Totals)>,
    /// Due item key -> organizations.
    pub due: BTreeMap<String, usize>,
    /// Grade band key -> organizations with that latest grade.
    pub grades: BTreeMap<String, usize>,
    /// Organizations with at least one evaluation.
    pub evaluated: usize,
}

impl Figures {
    /// Follows one activity change: the totals of all time and of its
    /// month, if the month is shown (what [`Stats::activity_changed`] does
    /// for `Stats`).
    pub fn activity_changed(&mut self, old: Option<&Activity>, new: Option<&Activity>) {
        if let Some(a) = old {
            self.activities.sub(a);
            if let Some((_, t)) = self.months.iter_mut().find(|(m, _)| *m == a.month()) {
                t.sub(a);
            }
        }
        if let Some(a) = new {
            self.activities.add(a);
            if let Some((_, t)) = self.months.iter_mut().find(|(m, _)| *m == a.month()) {
                t.add(a);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Party, Score};

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn places() -> Vec<Place> {
        let p = |code: &str, level, parent: Option<&str>| Place {
            code: code.into(),
            name: code.into(),
            level,
            parent: parent.map(str::to_string),
        };
        vec![
            p("T", PlaceLevel::Township, None),
            p("T-1", PlaceLevel::Community, Some("T")),
            p("T-1-1", PlaceLevel::Grid, Some("T-1")),
            p("T-2", PlaceLevel::Community, Some("T")),
        ]
    }

    fn act(m: u32, people: u32, tenths: u32) -> Activity {
        let mut a = Activity::new("o1", d(2026, m, 1), "x");
        a.participants = Some(people);
        a.volunteer_tenths = Some(tenths);
        a
    }

    fn eval(org: &str, period: &str, tenths: u32) -> Evaluation {
        Evaluation {
            org: org.into(),
            period: period.into(),
            evaluators: vec![],
            scores: [("satisfaction".to_string(), Score { tenths, note: None })]
                .into_iter()
                .collect(),
            date: d(2026, 7, 1),
            notes: None,
        }
    }

    #[test]
    fn hand_computed_figures_and_updates() {
        let mut o1 = Organization::new("甲", OrgType::Community);
        o1.grid = Some("T-1-1".into());
        o1.party = Party::Own;
        let mut o2 = Organization::new("乙", OrgType::SocialGroup);
        o2.grid = Some("T-2".into());
        let mut o3 = Organization::new("丙", OrgType::Community);
        o3.state = RegState::Revoked;
        o3.party = Party::Joint;
        let acts = [act(10, 10, 15), act(11, 5, 0), act(11, 7, 20)];
        let rubric = Rubric::shipped();
        let e1 = eval("o1", "2025", 100);
        let mut s = Stats::build(
            d(2026, 11, 28),
            &places(),
            [("o1", &o1), ("o2", &o2), ("o3", &o3)],
            acts.iter(),
            [("e1", &e1)],
            &rubric,
        );
        let f = s.figures(12);
        assert_eq!(f.orgs, 3);
        assert_eq!(f.by_type["community"], 2);
        assert_eq!(f.by_community["T-1"], 1);
        assert_eq!(f.by_community["T-2"], 1);
        assert_eq!(f.by_community[""], 1);
        assert_eq!(f.active_orgs, 2);
        assert_eq!(f.party_covered, 1);
        assert_eq!(f.party_coverage, 50.0);
        let covered: usize = f.party_by_community.values().map(|(_, c)| c).sum();
        let active: usize = f.party_by_community.values().map(|(a, _)| a).sum();
        assert_eq!((active, covered), (f.active_orgs, f.party_covered));
        assert_eq!(f.activities.activities, 3);
        assert_eq!(f.activities.participants, 22);
        assert_eq!(f.months.len(), 12);
        assert_eq!(f.months[11].0, 202611);
        assert_eq!(f.months[11].1.participants, 12);
        assert_eq!(f.months[11].1.volunteer_tenths, 20);
        assert_eq!(f.months[10].1.volunteer_tenths, 15);
        assert_eq!(f.months[0].0, 202512);
        assert_eq!(f.grades["fail"], 1);
        // Updates: one more activity, a moved one, a deleted one.
        s.activity_changed(None, Some(&act(11, 3, 5)));
        s.activity_changed(Some(&acts[0]), Some(&act(11, 10, 15)));
        s.activity_changed(Some(&acts[1]), None);
        let f = s.figures(12);
        assert_eq!(f.months[11].1.activities, 3);
        assert_eq!(f.months[11].1.participants, 20);
        assert_eq!(f.months[10].1.activities, 0);
        assert_eq!(f.activities.activities, 3);
        // Organization changes move counts.
        let mut o2b = o2.clone();
        o2b.party = Party::Instructor;
        s.org_changed("o2", Some(&o2b));
        s.org_changed("o3", None);
        let f = s.figures(12);
        assert_eq!(f.orgs, 2);
        assert_eq!(f.party_coverage, 100.0);
        assert!(!f.by_community.contains_key(""));
        // A later evaluation replaces the grade; deleting it brings the old one back.
        let mut e2 = eval("o1", "2026H1", 100);
        e2.scores.insert(
            "staff".into(),
            Score {
                tenths: 80,
                note: None,
            },
        );
        for k in [
            "methods",
            "training",
            "volume",
            "timeliness",
            "cost",
            "governance",
            "finance",
            "records",
            "impact",
            "resources",
        ] {
            let max = rubric.indicator(k).unwrap().1.max;
            e2.scores.insert(
                k.into(),
                Score {
                    tenths: max * 10,
                    note: None,
                },
            );
        }
        s.evaluation_changed("e2", Some(&e2), &rubric);
        assert_eq!(s.figures(1).grades.get("excellent"), Some(&1));
        assert_eq!(s.figures(1).grades.get("fail"), None);
        assert_eq!(s.latest_total("o1"), Some(1000));
        s.evaluation_changed("e2", None, &rubric);
        assert_eq!(s.figures(1).grades.get("fail"), Some(&1));
        assert_eq!(s.figures(1).evaluated, 1);
    }

    #[test]
    fn one_pass_build_matches_changes_one_at_a_time() {
        let rubric = Rubric::shipped();
        let low = eval("o1", "2025", 100);
        let mut high = eval("o1", "2026H1", 100);
        for ind in rubric.indicators() {
            high.scores.insert(
                ind.key.clone(),
                Score {
                    tenths: ind.max * 10,
                    note: None,
                },
            );
        }
        let other = eval("o2", "2026H1", 100);
        // e1 appears twice, the second time under o2: the later one wins.
        let evals = [("e1", &low), ("e2", &high), ("e3", &other), ("e1", &other)];
        let built = Stats::build(
            d(2026, 11, 28),
            &places(),
            std::iter::empty(),
            std::iter::empty(),
            evals,
            &rubric,
        );
        let mut one_by_one = Stats::new(d(2026, 11, 28), &places());
        for (id, e) in evals {
            one_by_one.evaluation_changed(id, Some(e), &rubric);
        }
        assert_eq!(built.figures(1), one_by_one.figures(1));
        assert_eq!(built.figures(1).evaluated, 2);
        assert_eq!(built.figures(1).grades.get("excellent"), Some(&1));
        assert_eq!(built.latest_total("o1"), one_by_one.latest_total("o1"));
        assert_eq!(built.latest_total("o2"), Some(100));
    }
}
