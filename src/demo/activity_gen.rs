//! Generated activities for benchmarks (`sanshe demo --activities M`).
//!
//! Deterministic for a given database and `(count, seed)`. Each activity
//! copies one of the demo fixture's activities (title, kind, domain, venue,
//! times, summary, tags), is held by one organization of the database (one
//! in ten by two) that is not deregistered or revoked, takes place in that
//! organization's grid cell, on a day of the two years before
//! [`REFERENCE_DATE`] (in date order, as staff enter them), with the
//! fixture's counts varied by up to half.

use chrono::{Days, NaiveDate};

use super::activities::templates;
use super::rng::Rng;
use super::{load, ActivityLoadError, REFERENCE_DATE};
use crate::model::{Activity, Record, RegState};
use crate::store::Store;

/// Most activities `sanshe demo --activities` makes.
pub const MAX_ACTIVITIES: usize = 2_000_000;

/// Days before [`REFERENCE_DATE`] the generated activities cover.
const SPAN_DAYS: u64 = 730;

/// An organization that can hold activities: its id and grid cell.
pub type Holder = (String, Option<String>);

/// `count` activities (at most [`MAX_ACTIVITIES`]) of `holders`, made one
/// at a time so that a large count is never held in memory at once. None
/// when there are no holders.
pub fn generate_activities(
    holders: Vec<Holder>,
    count: usize,
    seed: u64,
) -> Result<impl Iterator<Item = Record>, super::DemoError> {
    let patterns = templates()?;
    let count = if holders.is_empty() || patterns.is_empty() {
        0
    } else {
        count.min(MAX_ACTIVITIES)
    };
    let mut rng = Rng::new(seed);
    let first = REFERENCE_DATE - Days::new(SPAN_DAYS);
    Ok((0..count).map(move |i| {
        let day = (i as u64 * SPAN_DAYS) / count as u64;
        let date = first + Days::new(day + 1);
        let record = one(&mut rng, &patterns, &holders, date);
        Record::Activity(record)
    }))
}

fn vary(rng: &mut Rng, n: Option<u32>) -> Option<u32> {
    n.map(|n| rng.range(n / 2, n + n / 2).max(1))
}

fn one(rng: &mut Rng, patterns: &[Activity], holders: &[Holder], date: NaiveDate) -> Activity {
    let pattern = &patterns[rng.below(patterns.len() as u64) as usize];
    let holder = &holders[rng.below(holders.len() as u64) as usize];
    let mut a = pattern.clone();
    a.date = date;
    a.orgs = vec![holder.0.clone()];
    if rng.chance(10) {
        let other = &holders[rng.below(holders.len() as u64) as usize];
        a.orgs.push(other.0.clone());
    }
    a.grid = holder.1.clone();
    a.participants = vary(rng, a.participants);
    a.beneficiaries = vary(rng, a.beneficiaries);
    a.volunteer_tenths = vary(rng, a.volunteer_tenths);
    a.normalize();
    a
}

/// Generates `count` activities of the organizations in `store` and writes
/// them through the store in batches; returns how many were created.
pub fn load_generated_activities(
    store: &Store,
    count: usize,
    seed: u64,
) -> Result<usize, ActivityLoadError> {
    let holders: Vec<Holder> = store
        .orgs()?
        .into_iter()
        .filter(|(_, o)| !matches!(o.state, RegState::Deregistered | RegState::Revoked))
        .map(|(id, o)| (id, o.grid))
        .collect();
    let records = generate_activities(holders, count, seed)?;
    Ok(load(store, records)?)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn holders(n: usize) -> Vec<Holder> {
        (0..n)
            .map(|i| (format!("o-{i}"), Some(format!("G-{:02}", i % 7))))
            .collect()
    }

    fn activities(n: usize, seed: u64) -> Vec<Activity> {
        generate_activities(holders(50), n, seed)
            .unwrap()
            .map(|r| match r {
                Record::Activity(a) => a,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn deterministic_valid_in_date_order_over_two_years() {
        let a = activities(2_000, 5);
        assert_eq!(a, activities(2_000, 5));
        assert_ne!(a, activities(2_000, 6));
        assert_eq!(a.len(), 2_000);
        for x in &a {
            x.validate().unwrap();
            assert!(x.date <= REFERENCE_DATE);
            assert!(x.date > REFERENCE_DATE - Days::new(SPAN_DAYS));
        }
        assert!(a.windows(2).all(|w| w[0].date <= w[1].date));
        let months: HashSet<u32> = a.iter().map(Activity::month).collect();
        assert!(months.len() >= 24, "{}", months.len());
        let orgs: HashSet<&String> = a.iter().flat_map(|x| &x.orgs).collect();
        assert_eq!(orgs.len(), 50);
        let titles: HashSet<&String> = a.iter().map(|x| &x.title).collect();
        assert!(titles.len() >= 20, "{}", titles.len());
        assert!(a.iter().any(|x| x.orgs.len() == 2));
    }

    #[test]
    fn nothing_without_organizations_and_at_most_the_maximum() {
        assert_eq!(generate_activities(Vec::new(), 10, 1).unwrap().count(), 0);
        let huge = generate_activities(holders(1), usize::MAX, 1).unwrap();
        assert_eq!(huge.size_hint().0, MAX_ACTIVITIES);
    }
}
