//! Ranking a venture round ([5/6], criterion): 2,000 applications with five
//! reviewers' sheets each (ten indicators per sheet), aggregated without the
//! highest and the lowest, ranked, and awards proposed within the budget
//! (target ≤ 50 ms). `cargo bench --bench venture`.

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

criterion_group!(benches, bench);
criterion_main!(benches);
