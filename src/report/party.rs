//! Party building (党建, [6/6]) as staff read it: the instructors with the
//! organizations they cover and their visits; party coverage by community
//! (active organizations, those covered: a party organization of their own,
//! a joint one, or an instructor); and 同步孵化, party organizations set up
//! while an organization was in the incubation base. Pure: no printing; the
//! CLI and a pane read the same values.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};

use crate::model::incubation::Enrollment;
use crate::model::party::Instructor;
use crate::model::{Kind, Organization, Party, Place, Record, RegState};
use crate::store::{Store, StoreError};

/// Every instructor, by name, with the names of the organizations named.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Instructors {
    pub rows: Vec<(String, Instructor)>,
    org_names: HashMap<String, String>,
}

impl Instructors {
    pub fn load(store: &Store) -> Result<Instructors, StoreError> {
        let mut rows = Vec::new();
        for (id, r) in store.all_cached(Kind::Instructor)? {
            if let Record::Instructor(i) = r {
                rows.push((id, i));
            }
        }
        let org_names = if rows.is_empty() {
            HashMap::new()
        } else {
            store.names(Kind::Org)?.into_iter().collect()
        };
        Ok(Instructors::from_records(rows, org_names))
    }

    /// [`load`](Self::load) from records already read.
    pub fn from_records(
        mut rows: Vec<(String, Instructor)>,
        org_names: HashMap<String, String>,
    ) -> Instructors {
        rows.sort_by(|a, b| {
            crate::search::sort_key(&a.1.name)
                .cmp(&crate::search::sort_key(&b.1.name))
                .then_with(|| a.0.cmp(&b.0))
        });
        Instructors { rows, org_names }
    }

    /// An organization's name ("" when unknown, e.g. deleted).
    pub fn org_name(&self, id: &str) -> &str {
        self.org_names.get(id).map_or("", String::as_str)
    }

    pub fn get(&self, id: &str) -> Option<&Instructor> {
        self.rows.iter().find(|(i, _)| i == id).map(|(_, x)| x)
    }

    /// The instructors covering organization `org`.
    pub fn covering(&self, org: &str) -> Vec<&(String, Instructor)> {
        self.rows
            .iter()
            .filter(|(_, i)| i.orgs.iter().any(|o| o == org))
            .collect()
    }

    /// The date of an instructor's last visit.
    pub fn last_visit(i: &Instructor) -> Option<NaiveDate> {
        i.visits.values().map(|v| v.date).max()
    }

    /// Visits made in `year` (every instructor).
    pub fn visits_in(&self, year: i32) -> usize {
        self.rows
            .iter()
            .flat_map(|(_, i)| i.visits.values())
            .filter(|v| v.date.year() == year)
            .count()
    }
}

/// Party coverage of one community (or of organizations without a place).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CommunityCoverage {
    /// The community's code; empty for organizations without a place.
    pub code: String,
    pub name: Option<String>,
    /// Organizations neither deregistered nor revoked.
    pub active: usize,
    /// Active organizations covered (own, joint or instructor).
    pub covered: usize,
    pub own: usize,
    pub joint: usize,
    pub instructor: usize,
    /// Covered of active, percent with one decimal (0 when none active).
    pub rate: f64,
}

/// Percent with one decimal.
pub fn rate(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}

/// Party coverage by community (as the dashboard counts it: the
/// organization's grid's community), communities in code order, those
/// without a place last; and the whole township.
pub fn coverage_of<'a>(
    places: &[Place],
    orgs: impl IntoIterator<Item = &'a Organization>,
) -> (Vec<CommunityCoverage>, CommunityCoverage) {
    let community = super::community_map(places);
    let names: HashMap<&str, &str> = places
        .iter()
        .map(|p| (p.code.as_str(), p.name.as_str()))
        .collect();
    let mut by: BTreeMap<(bool, String), CommunityCoverage> = BTreeMap::new();
    let mut total = CommunityCoverage::default();
    for o in orgs {
        if matches!(o.state, RegState::Deregistered | RegState::Revoked) {
            continue;
        }
        let code = o
            .grid
            .as_deref()
            .and_then(|g| community.get(g))
            .cloned()
            .unwrap_or_default();
        let c = by
            .entry((code.is_empty(), code.clone()))
            .or_insert_with(|| CommunityCoverage {
                name: names.get(code.as_str()).map(|n| n.to_string()),
                code,
                ..Default::default()
            });
        for c in [c, &mut total] {
            c.active += 1;
            c.covered += usize::from(o.party.covered());
            match o.party {
                Party::Own => c.own += 1,
                Party::Joint => c.joint += 1,
                Party::Instructor => c.instructor += 1,
                Party::None => {}
            }
        }
    }
    let mut out: Vec<CommunityCoverage> = by.into_values().collect();
    for c in out.iter_mut().chain([&mut total]) {
        c.rate = rate(c.covered, c.active);
    }
    (out, total)
}

/// [`coverage_of`] every live organization.
pub fn coverage(store: &Store) -> Result<(Vec<CommunityCoverage>, CommunityCoverage), StoreError> {
    let orgs = store.orgs_shared()?;
    Ok(coverage_of(&store.places()?, orgs.iter().map(|(_, o)| o)))
}

/// Party building in a year, for the yearly disclosure report: coverage
/// as it stands now (the register keeps no history of it), the
/// instructors, the visits they made in the year, and the party
/// organizations set up in the year.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PartyYear {
    pub active: usize,
    pub covered: usize,
    /// Percent, one decimal.
    pub rate: f64,
    pub instructors: usize,
    pub visits: usize,
    pub set_up: usize,
}

/// [`PartyYear`] of `year`.
pub fn year_figures(store: &Store, year: i32) -> Result<PartyYear, StoreError> {
    let (_, total) = coverage(store)?;
    let instructors = Instructors::load(store)?;
    let set_up = store
        .orgs_shared()?
        .iter()
        .filter(|(_, o)| o.has_party_org() && o.party_set_up.is_some_and(|d| d.year() == year))
        .count();
    Ok(PartyYear {
        active: total.active,
        covered: total.covered,
        rate: total.rate,
        instructors: instructors.rows.len(),
        visits: instructors.visits_in(year),
        set_up,
    })
}

/// One stay in the incubation base with its party status at entry and at
/// exit (同步孵化: a party organization set up during the stay).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Incubated {
    /// The enrollment's id.
    pub id: String,
    pub org: String,
    pub org_name: String,
    pub from: NaiveDate,
    /// The actual exit, else the planned one.
    pub to: NaiveDate,
    pub party_at_entry: Option<Party>,
    pub party_at_exit: Option<Party>,
    /// When the organization's party organization was set up.
    pub party_set_up: Option<NaiveDate>,
    /// A party organization set up during the stay: none of its own at
    /// entry, and one at exit or set up between entry and exit.
    pub synced: bool,
}

fn has_org(p: Option<Party>) -> bool {
    matches!(p, Some(Party::Own | Party::Joint))
}

/// Whether enrollment `e` of organization `o` (if still in the register)
/// is 同步孵化 evidence on `today` (a stay not over ends today).
pub fn synced(e: &Enrollment, o: Option<&Organization>, today: NaiveDate) -> bool {
    if has_org(e.party_at_entry) {
        return false;
    }
    let end = e.exited.unwrap_or(today);
    let set_up_during = o
        .and_then(|o| o.party_set_up.filter(|_| o.has_party_org()))
        .is_some_and(|d| d >= e.from && d <= end);
    has_org(e.party_at_exit) || set_up_during
}

/// Every stay in the base (newest first) with its party status: the
/// 同步孵化 evidence.
pub fn incubated(store: &Store, today: NaiveDate) -> Result<Vec<Incubated>, StoreError> {
    let all = store.orgs_shared()?;
    let orgs: HashMap<&str, &Organization> = all.iter().map(|(id, o)| (id.as_str(), o)).collect();
    let mut out: Vec<Incubated> = store
        .all_cached(Kind::Enrollment)?
        .into_iter()
        .filter_map(|(id, r)| match r {
            Record::Enrollment(e) => Some((id, e)),
            _ => None,
        })
        .map(|(id, e)| {
            let o = orgs.get(e.org.as_str()).copied();
            Incubated {
                synced: synced(&e, o, today),
                org_name: o.map(|o| o.name.clone()).unwrap_or_default(),
                party_set_up: o.and_then(|o| o.party_set_up),
                to: e.exited.unwrap_or(e.to),
                id,
                org: e.org.clone(),
                from: e.from,
                party_at_entry: e.party_at_entry,
                party_at_exit: e.party_at_exit,
            }
        })
        .collect();
    out.sort_by(|a, b| b.from.cmp(&a.from).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OrgType, PlaceLevel};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn coverage_by_community_and_synced_incubation() {
        let p = |code: &str, level, parent: Option<&str>| Place {
            code: code.into(),
            name: format!("{code}社区"),
            level,
            parent: parent.map(str::to_string),
        };
        let places = vec![
            p("T", PlaceLevel::Township, None),
            p("T-1", PlaceLevel::Community, Some("T")),
            p("T-1-1", PlaceLevel::Grid, Some("T-1")),
            p("T-2", PlaceLevel::Community, Some("T")),
        ];
        let org = |grid: Option<&str>, party, state| {
            let mut o = Organization::new("x", OrgType::Community);
            o.grid = grid.map(str::to_string);
            o.party = party;
            o.state = state;
            o
        };
        let orgs = [
            org(Some("T-1-1"), Party::Own, RegState::Filed),
            org(Some("T-1"), Party::None, RegState::Registered),
            org(Some("T-1"), Party::Joint, RegState::Deregistered),
            org(Some("T-2"), Party::Instructor, RegState::Filed),
            org(None, Party::None, RegState::Filed),
        ];
        let (by, total) = coverage_of(&places, orgs.iter());
        let codes: Vec<&str> = by.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["T-1", "T-2", ""]);
        assert_eq!((by[0].active, by[0].covered, by[0].own), (2, 1, 1));
        assert_eq!(by[0].rate, 50.0);
        assert_eq!(by[0].name.as_deref(), Some("T-1社区"));
        assert_eq!((by[1].covered, by[1].instructor, by[1].rate), (1, 1, 100.0));
        assert_eq!((total.active, total.covered, total.rate), (4, 2, 50.0));

        let mut e = Enrollment::new("o", "s", 1, d(2025, 3, 1), d(2026, 3, 1));
        e.party_at_entry = Some(Party::None);
        let mut o = Organization::new("x", OrgType::Community);
        o.party = Party::Own;
        o.party_set_up = Some(d(2025, 9, 1));
        assert!(synced(&e, Some(&o), d(2026, 1, 1)));
        o.party_set_up = Some(d(2024, 9, 1));
        assert!(!synced(&e, Some(&o), d(2026, 1, 1)));
        e.party_at_exit = Some(Party::Joint);
        assert!(synced(&e, Some(&o), d(2026, 1, 1)));
        e.party_at_entry = Some(Party::Own);
        assert!(!synced(&e, Some(&o), d(2026, 1, 1)));
    }

    #[test]
    fn the_years_figures_from_the_store() {
        use crate::store::Command;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut o = Organization::new("宝石志愿队", OrgType::Community);
        o.party = Party::Own;
        o.party_set_up = Some(d(2026, 7, 1));
        let org = store
            .execute(Command::Create {
                record: Record::Org(o),
            })
            .unwrap()
            .id;
        store
            .execute(Command::Create {
                record: Record::Org(Organization::new("宝石读书会", OrgType::Community)),
            })
            .unwrap();
        let mut i = Instructor::new("周建国", "北山街道党工委");
        for (y, note) in [(2025, "走访"), (2026, "指导"), (2026, "宣讲")] {
            i.push_visit(crate::model::party::PartyVisit {
                date: d(y, 3, 1),
                org: org.clone(),
                note: note.into(),
                author: None,
            });
        }
        store
            .execute(Command::Create {
                record: Record::Instructor(i),
            })
            .unwrap();
        let y = year_figures(&store, 2026).unwrap();
        assert_eq!(
            (
                y.active,
                y.covered,
                y.rate,
                y.instructors,
                y.visits,
                y.set_up
            ),
            (2, 1, 50.0, 1, 2, 1)
        );
        assert_eq!(year_figures(&store, 2025).unwrap().set_up, 0);
    }
}
