//! The demo township's incubation base: desks A01-A12, an office, a
//! meeting room and an activity room; the organizations whose record names
//! an incubation workstation (`fixtures/demo/orgs.toml`) enrolled on it for
//! their period (an earlier stay on the same desk ends the day before the
//! next begins), those past their exit graduated with the goals their
//! record shows met, and services of the seven kinds given to each.

use chrono::{Days, NaiveDate};

use crate::model::incubation::{
    Enrollment, Goal, IncStage, Service, ServiceKind, Space, SpaceKind,
};
use crate::model::venture::Mark;
use crate::model::{Labeled, Party, Record, RegState};
use crate::store::{Command, Store, StoreError};

/// The day the demo's stays are judged against (the activities end in
/// November 2026).
const DEMO_TODAY: (i32, u32, u32) = (2026, 11, 28);

fn mark(date: NaiveDate) -> Mark {
    Mark {
        date,
        author: None,
        note: None,
    }
}

/// Loads the base into a store holding the demo organizations; returns how
/// many records were created.
pub fn load_incubation(store: &Store) -> Result<usize, StoreError> {
    let today =
        NaiveDate::from_ymd_opt(DEMO_TODAY.0, DEMO_TODAY.1, DEMO_TODAY.2).unwrap_or_default();
    let mut spaces: Vec<Space> = (1..=12)
        .map(|i| Space {
            code: format!("A{i:02}"),
            kind: SpaceKind::Desk,
            seats: 1,
            area_tenths: Some(60),
            notes: None,
        })
        .collect();
    for (code, kind, seats, area) in [
        ("B01", SpaceKind::Office, 4, 250),
        ("C01", SpaceKind::Meeting, 20, 450),
        ("D01", SpaceKind::Activity, 40, 900),
    ] {
        spaces.push(Space {
            code: code.into(),
            kind,
            seats,
            area_tenths: Some(area),
            notes: None,
        });
    }
    let mut ids = std::collections::HashMap::new();
    let mut created = 0;
    for s in spaces {
        let code = s.code.clone();
        let id = store
            .execute(Command::Create {
                record: Record::Space(s),
            })?
            .id;
        ids.insert(code, id);
        created += 1;
    }
    // Stays from the organizations' records, oldest first.
    let mut stays: Vec<(
        String,
        crate::model::Organization,
        String,
        NaiveDate,
        NaiveDate,
    )> = store
        .orgs()?
        .into_iter()
        .filter_map(|(id, o)| {
            let inc = o.incubation.clone()?;
            let desk = inc.workstation?.rsplit("工位").next()?.to_string();
            Some((id, o, desk, inc.start?, inc.end?))
        })
        .filter(|(_, _, desk, _, _)| ids.contains_key(desk))
        .collect();
    stays.sort_by_key(|(_, _, _, start, _)| *start);
    // An earlier stay on a desk ends the day before the next one begins.
    let mut last_on: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut exits: Vec<Option<NaiveDate>> = vec![None; stays.len()];
    for (i, (_, _, desk, start, _)) in stays.iter().enumerate() {
        if let Some(&j) = last_on.get(desk) {
            let end = exits[j].unwrap_or(stays[j].4);
            if end >= *start {
                exits[j] = start.checked_sub_days(Days::new(1));
            }
        }
        last_on.insert(desk.clone(), i);
    }
    // One cohort a year, named as staff name them.
    let years: std::collections::BTreeSet<i32> = stays
        .iter()
        .map(|(_, _, _, start, _)| chrono::Datelike::year(start))
        .collect();
    for y in years {
        let (Some(from), Some(to)) = (
            NaiveDate::from_ymd_opt(y, 1, 1),
            NaiveDate::from_ymd_opt(y, 12, 31),
        ) else {
            continue;
        };
        store.execute(Command::Create {
            record: Record::Cohort(crate::model::incubation::Cohort {
                name: format!("{y}年"),
                from,
                to,
                capacity: Some(12),
                notes: None,
            }),
        })?;
        created += 1;
    }
    let kinds = ServiceKind::ALL;
    for (n, ((org_id, o, desk, start, end), early)) in stays.iter().zip(exits).enumerate() {
        let mut e = Enrollment::new(org_id, &ids[desk], 1, *start, *end);
        e.cohort = Some(format!("{}年", start.format("%Y")));
        e.agreement = Some(format!("BSJ-FH-{}-{:02}", start.format("%Y"), n + 1));
        e.goals = vec![Goal::Filing, Goal::Party];
        e.party_at_entry = Some(Party::None);
        e.steps.insert(IncStage::Entered.key().into(), mark(*start));
        let settled = start.checked_add_days(Days::new(7)).unwrap_or(*start);
        let exit = early.unwrap_or(*end);
        if settled <= today {
            e.stage = IncStage::Incubating;
            e.steps
                .insert(IncStage::Incubating.key().into(), mark(settled));
        }
        if exit < today && e.stage == IncStage::Incubating {
            let out = if early.is_some() {
                IncStage::Left
            } else {
                IncStage::Graduated
            };
            e.stage = out;
            e.exited = Some(exit);
            e.steps.insert(out.key().into(), mark(exit));
            e.party_at_exit = Some(o.party);
        }
        // What the organization's record shows it reached.
        let met_on = e.exited.unwrap_or(today).min(today);
        if matches!(o.state, RegState::Filed | RegState::Registered) && e.stage.is_out() {
            e.goals_met.insert(Goal::Filing.key().into(), met_on);
        }
        if o.state == RegState::Registered && e.stage.is_out() {
            e.goals.push(Goal::Registration);
            e.goals_met.insert(Goal::Registration.key().into(), met_on);
        }
        if o.party != Party::None && e.stage.is_out() {
            e.goals_met.insert(Goal::Party.key().into(), met_on);
        }
        // Graduates were assessed on the exit rubric (incubation-exit):
        // points from what they reached, in tenths.
        if e.stage == IncStage::Graduated {
            let reached = |b: bool, full: u32, part: u32| if b { full } else { part };
            for (k, v) in [
                (
                    "governance_status",
                    reached(e.goals_met.contains_key("filing"), 150, 60),
                ),
                ("governance_rules", 120),
                ("party_cover", reached(o.party != Party::None, 150, 50)),
                ("service_activities", 130),
                ("service_projects", 90),
                ("resources_people", 80),
                ("resources_funds", 30),
                ("resources_recognition", 70),
            ] {
                e.assessment.insert(k.into(), v);
            }
        }
        let id = store
            .execute(Command::Create {
                record: Record::Enrollment(e),
            })?
            .id;
        created += 1;
        // Three services in the first months, of turning kinds.
        for k in 0..3u64 {
            let date = start
                .checked_add_days(Days::new(20 + 30 * k))
                .unwrap_or(*start);
            if date > today || date > exit {
                continue;
            }
            let s = Service {
                org: org_id.clone(),
                enrollment: Some(id.clone()),
                kind: kinds[(n + k as usize) % kinds.len()],
                date,
                staff_names: vec!["张敏".into()],
                hours_tenths: Some(20),
                notes: None,
            };
            store.execute(Command::Create {
                record: Record::Service(s),
            })?;
            created += 1;
        }
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_base_has_stays_in_and_out_and_no_desk_held_twice() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        super::super::load(&store, super::super::fixture_records().unwrap()).unwrap();
        load_incubation(&store).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let b = crate::report::incubation::Base::load(&store, today).unwrap();
        assert_eq!(b.spaces.len(), 15);
        assert!(b.enrollments.len() >= 15, "{}", b.enrollments.len());
        let o = b.occupancy();
        assert!(o.taken > 0 && o.incubating > 0, "{o:?}");
        // Graduates' exit assessments score every indicator of the exit
        // rubric within its maximum.
        let rubric =
            crate::report::rubric_named(None, Some(crate::model::rubric::INCUBATION_EXIT)).unwrap();
        let assessed: Vec<_> = b
            .enrollments
            .iter()
            .filter(|(_, e)| !e.assessment.is_empty())
            .collect();
        assert!(!assessed.is_empty());
        for (_, e) in assessed {
            for i in rubric.indicators() {
                let p = e.assessment.get(&i.key).copied().unwrap_or(u32::MAX);
                assert!(p <= i.max * 10, "{}: {p}", i.key);
            }
        }
        for s in [IncStage::Incubating, IncStage::Graduated] {
            assert!(b.enrollments.iter().any(|(_, e)| e.stage == s), "no {s:?}");
        }
        assert!(b.enrollments.iter().any(|(_, e)| !e.goals_met.is_empty()));
        assert!(!b.services.is_empty());
    }
}
