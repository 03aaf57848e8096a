//! Report figures of issue [4/5] with 100,000 organizations and 1,000,000
//! activities generated in memory (`SANSHE_BENCH_ORGS`,
//! `SANSHE_BENCH_ACTIVITIES` change the sizes):
//! - the dashboard built from every record (`stats_build`),
//! - the dashboard after one new activity (`stats_update`),
//! - the activities pane's month filter (`filter_month`) and an organization
//!   filter over every month (`filter_org_all_months`),
//! - the monthly bulletin (`bulletin`).
//!
//! `cargo bench --bench report`. Figures go to docs/PERFORMANCE.md.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

use sanshe::demo::Rng;
use sanshe::model::{
    Activity, ActivityKind, Evaluation, Labeled, Organization, Record, Rubric, Score,
};
use sanshe::report::{
    activity_community, community_map, ActivityLog, Bulletin, Filter, Slot, Stats,
};

struct World {
    places: Vec<sanshe::model::Place>,
    orgs: HashMap<String, Organization>,
    ids: Vec<String>,
    slots: Vec<Slot>,
    evaluations: Vec<(String, Evaluation)>,
    rubric: Rubric,
    today: NaiveDate,
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn world() -> World {
    let quick = !std::env::args().any(|a| a == "--bench");
    let n_orgs = env("SANSHE_BENCH_ORGS", if quick { 2_000 } else { 100_000 });
    let n_acts = env(
        "SANSHE_BENCH_ACTIVITIES",
        if quick { 20_000 } else { 1_000_000 },
    );
    let mut places = Vec::new();
    let mut orgs = HashMap::new();
    let mut ids = Vec::new();
    for (i, r) in sanshe::demo::generate(n_orgs, 1).into_iter().enumerate() {
        match r {
            Record::Place(p) => places.push(p),
            Record::Org(o) => {
                let id = format!("bench-{i}");
                ids.push(id.clone());
                orgs.insert(id, o);
            }
            _ => {}
        }
    }
    let community_of = community_map(&places);
    let start = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default();
    let mut rng = Rng::new(7);
    let mut slots = Vec::with_capacity(n_acts);
    for i in 0..n_acts {
        // 18 months, in date order as a store scan of a log would give them.
        let day = start + Days::new((i as u64 * 547) / n_acts as u64);
        let org = ids[rng.below(ids.len() as u64) as usize].clone();
        let mut a = Activity::new(org, day, "社区活动");
        a.kind = ActivityKind::ALL[rng.below(ActivityKind::ALL.len() as u64) as usize];
        a.participants = Some(rng.range(5, 200));
        a.beneficiaries = Some(rng.range(0, 300));
        a.volunteer_tenths = Some(rng.range(0, 400));
        a.publishable = rng.chance(30);
        let community = activity_community(&a, &orgs, &community_of);
        slots.push(Slot {
            id: format!("act-{i}"),
            activity: a,
            community,
        });
    }
    let rubric = Rubric::shipped();
    let evaluations = ids
        .iter()
        .take(n_orgs / 5)
        .enumerate()
        .map(|(i, id)| {
            let scores = rubric
                .indicators()
                .map(|ind| {
                    (
                        ind.key.clone(),
                        Score {
                            tenths: rng.range(ind.max * 5, ind.max * 10),
                            note: None,
                        },
                    )
                })
                .collect();
            (
                format!("eval-{i}"),
                Evaluation {
                    org: id.clone(),
                    period: "2026H1".into(),
                    evaluators: Vec::new(),
                    scores,
                    date: NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or_default(),
                    notes: None,
                },
            )
        })
        .collect();
    World {
        places,
        orgs,
        ids,
        slots,
        evaluations,
        rubric,
        today: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default(),
    }
}

fn stats(w: &World) -> Stats {
    Stats::build(
        w.today,
        &w.places,
        w.orgs.iter().map(|(id, o)| (id.as_str(), o)),
        w.slots.iter().map(|s| &s.activity),
        w.evaluations.iter().map(|(id, e)| (id.as_str(), e)),
        &w.rubric,
    )
}

fn bench(c: &mut Criterion) {
    let w = world();
    eprintln!(
        "orgs: {}, activities: {}, evaluations: {}",
        w.orgs.len(),
        w.slots.len(),
        w.evaluations.len()
    );
    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    g.bench_function("stats_build", |b| b.iter(|| black_box(stats(&w))));
    // The parts of the build, to see where the time goes.
    let none: [(&str, &Evaluation); 0] = [];
    g.bench_function("stats_build_orgs", |b| {
        b.iter(|| {
            black_box(Stats::build(
                w.today,
                &w.places,
                w.orgs.iter().map(|(id, o)| (id.as_str(), o)),
                std::iter::empty(),
                none,
                &w.rubric,
            ))
        })
    });
    g.bench_function("stats_build_activities", |b| {
        b.iter(|| {
            black_box(Stats::build(
                w.today,
                &w.places,
                std::iter::empty(),
                w.slots.iter().map(|s| &s.activity),
                none,
                &w.rubric,
            ))
        })
    });
    let mut s = stats(&w);
    let mut a = Activity::new(w.ids[0].clone(), w.today, "新活动");
    a.participants = Some(20);
    g.bench_function("stats_update", |b| {
        b.iter(|| {
            s.activity_changed(None, Some(&a));
            black_box(s.figures(12));
        })
    });
    let o = w.orgs.get(&w.ids[1]).cloned().unwrap_or_default();
    g.bench_function("stats_org_update", |b| {
        b.iter(|| {
            s.org_changed(&w.ids[1], Some(&o));
            black_box(s.figures(12));
        })
    });
    let log = ActivityLog::build(w.slots.clone());
    let month = Filter {
        month: Some(202611),
        ..Filter::default()
    };
    g.bench_function("filter_month", |b| b.iter(|| black_box(log.filter(&month))));
    let month_org = Filter {
        month: Some(202611),
        kind: Some(ActivityKind::Service),
        community: w.slots[0].community.clone(),
        ..Filter::default()
    };
    g.bench_function("filter_month_kind_community", |b| {
        b.iter(|| black_box(log.filter(&month_org)))
    });
    let by_org = Filter {
        org: Some(w.ids[3].clone()),
        ..Filter::default()
    };
    g.bench_function("filter_org_all_months", |b| {
        b.iter(|| black_box(log.filter(&by_org)))
    });
    let mut log2 = ActivityLog::build(w.slots.clone());
    let mut n = 0u64;
    g.bench_function("log_insert", |b| {
        b.iter(|| {
            n += 1;
            let mut a = Activity::new(w.ids[0].clone(), w.today, "新活动");
            a.participants = Some(1);
            log2.upsert(Slot {
                id: format!("new-{n}"),
                activity: a,
                community: None,
            })
        })
    });
    g.bench_function("bulletin", |b| {
        b.iter(|| {
            let bl = Bulletin::build(
                202611,
                &log,
                &w.orgs,
                &w.evaluations,
                &w.rubric,
                sanshe::model::Lang::Zh,
            );
            black_box(bl.html())
        })
    });
    g.bench_function("log_build", |b| {
        b.iter(|| black_box(ActivityLog::build(w.slots.clone())))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
