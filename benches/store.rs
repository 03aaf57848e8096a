//! Store figures of issue [1/5] on a generated database of 100,000
//! organizations (`SANSHE_BENCH_ORGS` changes the size):
//! - a flushed single save (p50/p95/p99 over 1,000 saves),
//! - opening the database and loading every organization (the first screen
//!   needs the whole sorted list),
//! - resident memory after loading.
//!
//! Run with `cargo bench --bench store`. Prints a table; figures go to
//! docs/PERFORMANCE.md. Not a test: nothing here asserts a time.

use std::time::{Duration, Instant};

use sanshe::model::{Organization, Record};
use sanshe::store::{Command, Store};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    // `cargo test --benches` runs benches with `--bench`-less args; keep it quick then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let n: usize = std::env::var("SANSHE_BENCH_ORGS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if quick { 2_000 } else { 100_000 });
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db");

    let records = sanshe::demo::generate(n, 1);
    let store = Store::open(&path).expect("open");
    let t = Instant::now();
    sanshe::demo::load(&store, records).expect("load");
    let load_time = t.elapsed();
    println!("orgs: {n}");
    println!(
        "bulk load (execute_all in chunks, flushed): {}",
        ms(load_time)
    );

    // Flushed single saves: edit one field of a different organization each time.
    let orgs: Vec<(String, Organization)> = store.orgs().expect("orgs");
    let saves = if quick { 50 } else { 1_000 };
    let mut times = Vec::with_capacity(saves);
    for (i, (id, org)) in orgs.iter().cycle().take(saves).enumerate() {
        let mut after = org.clone();
        after.phone = Some(format!("138{:08}", i));
        let cmd = Command::Update {
            id: id.clone(),
            before: Record::Org(org.clone()),
            after: Record::Org(after),
        };
        let t = Instant::now();
        store.execute(cmd).expect("save");
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "flushed single save: p50 {}  p95 {}  p99 {}  max {}",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().unwrap_or(&Duration::ZERO))
    );
    drop(orgs);
    drop(store);

    // Open + load every organization, as the app does before its first screen.
    let runs = if quick { 2 } else { 5 };
    let mut open_times = Vec::new();
    let mut load_times = Vec::new();
    let mut count = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let store = Store::open(&path).expect("reopen");
        let opened = t.elapsed();
        let orgs = store.orgs().expect("orgs");
        let loaded = t.elapsed();
        count = orgs.len();
        open_times.push(opened);
        load_times.push(loaded);
    }
    open_times.sort();
    load_times.sort();
    println!(
        "open: median {}; open + load {count} orgs: median {}  (min {}, max {})",
        ms(percentile(&open_times, 0.5)),
        ms(percentile(&load_times, 0.5)),
        ms(load_times[0]),
        ms(*load_times.last().unwrap_or(&Duration::ZERO))
    );
    println!("resident memory after loading: {:.0} MB", rss_mb());
}
