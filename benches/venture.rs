//! Ranking a venture round ([5/6], criterion): 2,000 applications with five
//! reviewers' sheets each, aggregated without the highest and the lowest,
//! ranked, and awards proposed within the budget (target ≤ 50 ms).
//! `cargo bench --bench venture`:
//! - `venture_rank_2000x5`: the pure part (`model::review`, `model::venture`);
//! - `venture_rank_store_2000x5`: what `sanshe venture rank` does in the
//!   server after a commit: every round, project and sheet read from a
//!   database (`report::venture::Ventures::load`), then ranked;
//! - `venture_rank_store_2000x5_kept`: the same once the server has read
//!   them (`Ventures::shared`, kept until the next commit).

use std::collections::BTreeMap;

use criterion::{black_box, criterion_group, criterion_main, Criterion};

use sanshe::demo::Rng;
use sanshe::model::review::{result, Aggregate, Sheet};
use sanshe::model::venture::rank;

fn round() -> Vec<(String, Vec<Sheet>, u64)> {
    let mut rng = Rng::new(7);
    (0..2000)
        .map(|i| {
            let sheets = (0..5)
                .map(|r| Sheet {
                    reviewer: format!("评委{r}"),
                    scores: (0..10)
                        .map(|k| (format!("i{k}"), rng.below(101) as u32))
                        .collect::<BTreeMap<_, _>>(),
                    recused: rng.below(20) == 0,
                })
                .collect();
            (format!("app-{i}"), sheets, 1_000_000 + rng.below(4_000_000))
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let apps = round();
    c.bench_function("venture_rank_2000x5", |b| {
        b.iter(|| {
            let scored: Vec<(String, u32, u64)> = apps
                .iter()
                .map(|(id, sheets, req)| {
                    (
                        id.clone(),
                        result(sheets, Aggregate::Trimmed).unwrap_or(0),
                        *req,
                    )
                })
                .collect();
            black_box(rank(scored, 500_000_000, 4_000_000))
        })
    });
}

/// A database with one round, 2,000 reviewed projects of 2,000
/// organizations and five sheets each under the shipped review rubric.
fn store_round() -> (tempfile::TempDir, sanshe::store::Store, String) {
    use sanshe::model::venture::{AppState, Application, Mark, ReviewSheet, Round, Stage};
    use sanshe::model::{Labeled, OrgType, Organization, Record, RegState};
    use sanshe::store::{Command, Store};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let rubric = sanshe::report::rubric_named(None, Some("venture-review")).unwrap();
    let mut round = Round::new("基准轮次", 2026, 8_000_000_000, 5_000_000);
    round.aggregate = Aggregate::Trimmed;
    let round = store
        .execute(Command::Create {
            record: Record::Round(round),
        })
        .unwrap()
        .id;
    let orgs: Vec<Command> = (0..2000)
        .map(|i| {
            let mut o = Organization::new(format!("基准组织{i}"), OrgType::Community);
            o.state = RegState::Registered;
            Command::Create {
                record: Record::Org(o),
            }
        })
        .collect();
    let orgs: Vec<String> = orgs
        .chunks(500)
        .flat_map(|c| store.execute_all(c.to_vec()).unwrap())
        .map(|o| o.id)
        .collect();
    let d = chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    let mut rng = Rng::new(11);
    let mut apps = Vec::new();
    for chunk in orgs.chunks(500) {
        let cmds: Vec<Command> = chunk
            .iter()
            .map(|org| {
                let mut a = Application::new(
                    &round,
                    org,
                    "基准项目",
                    1_000_000 + rng.below(4_000_000),
                    d,
                    d,
                );
                a.steps.insert(
                    "submitted".into(),
                    Mark {
                        date: d,
                        author: None,
                        note: None,
                    },
                );
                Command::Create {
                    record: Record::Application(a),
                }
            })
            .collect();
        for (o, c) in store
            .execute_all(cmds.clone())
            .unwrap()
            .into_iter()
            .zip(cmds)
        {
            let Command::Create {
                record: Record::Application(a),
            } = c
            else {
                unreachable!()
            };
            apps.push((o.id, a));
        }
    }
    for chunk in apps.chunks(250) {
        let mut cmds = Vec::new();
        for (id, a) in chunk {
            let mut before = a.clone();
            for to in [AppState::Eligible, AppState::Reviewed] {
                let mut after = before.clone();
                after.state = to;
                after.steps.insert(
                    to.key().into(),
                    Mark {
                        date: d,
                        author: None,
                        note: None,
                    },
                );
                cmds.push(Command::Update {
                    id: id.clone(),
                    before: Record::Application(before.clone()),
                    after: Record::Application(after.clone()),
                });
                before = after;
            }
            for r in 0..5 {
                let scores = rubric
                    .indicators()
                    .map(|i| (i.key.clone(), rng.below(u64::from(i.max) * 10 + 1) as u32))
                    .collect();
                cmds.push(Command::Create {
                    record: Record::Review(ReviewSheet {
                        application: id.clone(),
                        stage: Stage::Review,
                        reviewer: format!("评委{r}"),
                        scores,
                        recused: false,
                        date: d,
                        notes: None,
                    }),
                });
            }
        }
        store.execute_all(cmds).unwrap();
    }
    (dir, store, round)
}

fn bench_store(c: &mut Criterion) {
    let (_dir, store, round) = store_round();
    let mut g = c.benchmark_group("venture_store");
    g.sample_size(20);
    g.bench_function("venture_rank_store_2000x5", |b| {
        b.iter(|| {
            let v = sanshe::report::venture::Ventures::load(&store).unwrap();
            black_box(v.rank(&round))
        })
    });
    // In the server (which keeps what it read until the next commit) a
    // second ranking of the same state reads nothing again.
    store.keep_in_memory();
    g.bench_function("venture_rank_store_2000x5_kept", |b| {
        b.iter(|| {
            let v = sanshe::report::venture::Ventures::shared(&store).unwrap();
            black_box(v.rank(&round))
        })
    });
    g.finish();
}

criterion_group!(benches, bench, bench_store);
criterion_main!(benches);
