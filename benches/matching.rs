//! Matching figures of issue [3/5] (criterion):
//! - ranking every offer for one need among 20,000 offers (target ≤ 5 ms);
//! - recomputing the grid overview for 5,000 open needs (with the 20,000
//!   offers and 1,000 linkages in progress; target ≤ 50 ms);
//! - preparing the 20,000 offers for ranking (`Matcher::new`, done once per
//!   change of the offers).
//!
//! Places are those of `demo::generate` (several townships of ten
//! communities with five grid cells each). Run with
//! `cargo bench --bench matching`; figures go to docs/PERFORMANCE.md.

use chrono::NaiveDate;
use criterion::{black_box, criterion_group, criterion_main, Criterion};

use sanshe::demo::Rng;
use sanshe::matching::places::PlaceIndex;
use sanshe::matching::{overview, Matcher, Weights};
use sanshe::model::{
    Domain, Labeled, Linkage, LinkageState, Need, Offer, Place, PlaceLevel, Record, TargetGroup,
    Urgency,
};

const OFFERS: usize = 20_000;
const NEEDS: usize = 5_000;
const LINKAGES: usize = 1_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn places() -> Vec<Place> {
    sanshe::demo::generate(20_000, 1)
        .into_iter()
        .filter_map(|r| match r {
            Record::Place(p) => Some(p),
            _ => None,
        })
        .collect()
}

fn codes(places: &[Place], level: PlaceLevel) -> Vec<String> {
    places
        .iter()
        .filter(|p| p.level == level)
        .map(|p| p.code.clone())
        .collect()
}

fn domains(rng: &mut Rng, n: u32) -> Vec<Domain> {
    (0..n)
        .filter_map(|_| rng.pick(Domain::ALL).copied())
        .collect()
}

/// Places, open needs, offers and linkages of a generated district.
type Data = (
    Vec<Place>,
    Vec<(String, Need)>,
    Vec<(String, Offer)>,
    Vec<(String, Linkage)>,
);

fn data() -> Data {
    let places = places();
    let grids = codes(&places, PlaceLevel::Grid);
    let communities = codes(&places, PlaceLevel::Community);
    let townships = codes(&places, PlaceLevel::Township);
    let mut rng = Rng::new(7);
    let mut offers = Vec::with_capacity(OFFERS);
    for i in 0..OFFERS {
        let n = rng.range(1, 3);
        let cover = match rng.below(10) {
            0 => rng.pick(&townships),
            1..=3 => rng.pick(&communities),
            _ => rng.pick(&grids),
        }
        .cloned()
        .unwrap_or_default();
        let mut o = Offer {
            title: format!("资源{i}"),
            domains: domains(&mut rng, n),
            provider: format!("org-{}", rng.below(3_000)),
            covers: vec![cover],
            targets: vec![*rng.pick(TargetGroup::ALL).unwrap()],
            capacity: if rng.chance(70) {
                Some(rng.range(5, 40))
            } else {
                None
            },
            ..Default::default()
        };
        o.committed = o.capacity.map_or(0, |c| rng.range(0, c));
        if rng.chance(10) {
            o.available_from = today().checked_add_days(chrono::Days::new(rng.below(60)));
        }
        o.normalize();
        offers.push((format!("f-{i}"), o));
    }
    let mut needs = Vec::with_capacity(NEEDS);
    for i in 0..NEEDS {
        let n = rng.range(1, 2);
        let mut need = Need {
            title: format!("需求{i}"),
            domains: domains(&mut rng, n),
            grid: rng.pick(&grids).cloned().unwrap_or_default(),
            urgency: *rng.pick(Urgency::ALL).unwrap(),
            targets: vec![*rng.pick(TargetGroup::ALL).unwrap()],
            ..Default::default()
        };
        need.normalize();
        needs.push((format!("n-{i}"), need));
    }
    let mut linkages = Vec::with_capacity(LINKAGES);
    for i in 0..LINKAGES {
        linkages.push((
            format!("l-{i}"),
            Linkage {
                need: format!("n-{}", rng.below(NEEDS as u64)),
                offers: vec![format!("f-{}", rng.below(OFFERS as u64))],
                state: if i % 3 == 0 {
                    LinkageState::Done
                } else {
                    LinkageState::InProgress
                },
                satisfaction: Some(rng.range(1, 5) as u8),
                ..Default::default()
            },
        ));
    }
    (places, needs, offers, linkages)
}

fn bench(c: &mut Criterion) {
    let (places, needs, offers, linkages) = data();
    let w = Weights::default();
    let matcher = Matcher::new(&places, offers.clone(), &linkages);
    assert_eq!(matcher.len(), OFFERS);
    c.bench_function("rank 20,000 offers for one need", |b| {
        let mut i = 0;
        b.iter(|| {
            let (id, need) = &needs[i % needs.len()];
            i += 1;
            black_box(matcher.rank(id, need, &w, today()))
        })
    });
    let index = PlaceIndex::new(&places);
    c.bench_function("grid overview, 5,000 open needs", |b| {
        b.iter(|| black_box(overview(&index, &needs, &offers, &linkages, today())))
    });
    let mut group = c.benchmark_group("prepare");
    group.sample_size(10);
    group.bench_function("Matcher::new, 20,000 offers", |b| {
        b.iter(|| black_box(Matcher::new(&places, offers.clone(), &linkages)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
