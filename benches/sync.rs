//! Sync figures of issue [5/5] (`cargo bench --bench sync`):
//! - bytes per changed field in an incremental bundle of ordinary edits
//!   (target: at most 40 on average);
//! - full export of 100,000 organizations (`SANSHE_BENCH_ORGS` changes the
//!   size): bundle size (target 8 MB) and time (target 5 s);
//! - import of about 1,000,000 operations into an empty database, in a
//!   child process so its peak memory is its own (targets 30 s, 300 MB).
//!
//! Prints a table; figures go to docs/PERFORMANCE.md. Not a test: nothing
//! here asserts a time.

use std::time::Instant;

use sanshe::model::{Kind, Record};
use sanshe::store::{Command, OpenOptions, Store};
use sanshe::sync::bundle;
use sanshe::sync::exchange::{self, ExportOptions, ImportOptions};

fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn store(dir: &std::path::Path, office: &str) -> Store {
    let s = Store::open_with(
        dir,
        OpenOptions {
            office: Some(office.into()),
        },
    )
    .expect("open");
    s.set_network("西湖区").expect("network");
    s
}

/// Child process: imports the bundle file given and prints "secs peak_mb".
fn child(file: &str, db: &str) {
    let s = store(std::path::Path::new(db), "西湖区中心");
    let t = Instant::now();
    let r = exchange::import(
        &s,
        std::path::Path::new(file),
        &ImportOptions::default(),
        None,
        &mut |_| {},
    )
    .expect("import");
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{secs} {} {}",
        peak_mb(),
        r.applied.map(|a| a.new).unwrap_or(0)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--import-child") {
        child(&args[i + 1], &args[i + 2]);
        return;
    }
    let n: usize = std::env::var("SANSHE_BENCH_ORGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("tempdir");

    // 1. Incremental bundle of ordinary edits.
    let a = store(&dir.path().join("inc-a"), "北山街道");
    let b = store(&dir.path().join("inc-b"), "西湖区中心");
    sanshe::demo::load(&a, sanshe::demo::generate(1_000, 7)).expect("load");
    let (full, _, _) = exchange::build(&a, &ExportOptions::default(), None).expect("build");
    exchange::import_bundle(
        &b,
        bundle::decode(&full).expect("decode"),
        &ImportOptions::default(),
        None,
        &mut |_| {},
    )
    .expect("import");
    let (back, _, _) = exchange::build(&b, &ExportOptions::default(), None).expect("build");
    exchange::import_bundle(
        &a,
        bundle::decode(&back).expect("decode"),
        &ImportOptions::default(),
        None,
        &mut |_| {},
    )
    .expect("import");
    let orgs = a.orgs().expect("orgs");
    let phones = ["13812345678", "0571-87654321", "13900001111", "13605710000"];
    for (i, (id, o)) in orgs.iter().enumerate().take(500) {
        let mut after = o.clone();
        after.phone = Some(phones[i % phones.len()].to_string());
        if i % 3 == 0 {
            after.members = Some(10 + i as u32);
        }
        if i % 5 == 0 {
            after.notes = Some(format!("{}月走访，情况良好", 1 + i % 12));
        }
        a.execute(Command::Update {
            id: id.clone(),
            before: Record::Org(o.clone()),
            after: Record::Org(after),
        })
        .expect("edit");
    }
    let peer = ExportOptions {
        peer: Some("西湖区中心".into()),
        full: false,
    };
    let (inc, report, _) = exchange::build(&a, &peer, None).expect("build");
    println!(
        "incremental: {} changed fields in {} bytes = {:.1} bytes per field",
        report.ops,
        inc.len(),
        inc.len() as f64 / report.ops.max(1) as f64
    );

    // 2. Full export of n organizations.
    let big = store(&dir.path().join("big"), "北山街道");
    let t = Instant::now();
    sanshe::demo::load(&big, sanshe::demo::generate(n, 1)).expect("load");
    println!(
        "loaded {n} organizations in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let path = dir.path().join("full.ssb");
    let t = Instant::now();
    let mut read = 0usize;
    for (origin, have) in big.version_vector().expect("vv") {
        big.each_op_since(&origin, 0, have, &mut |_| {
            read += 1;
            std::ops::ControlFlow::Continue(())
        })
        .expect("ops");
    }
    println!(
        "  reading {read} changes: {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let r = exchange::export(
        &big,
        &path,
        &ExportOptions {
            peer: None,
            full: true,
        },
        None,
    )
    .expect("export");
    println!(
        "full export: {} organizations, {} changes, {:.2} MB, {:.2} s",
        big.count(Kind::Org),
        r.ops,
        r.size as f64 / 1_048_576.0,
        t.elapsed().as_secs_f64()
    );
    drop(big);

    if std::env::var_os("SANSHE_BENCH_NO_IMPORT").is_some() {
        return;
    }
    // 3. Import of the full bundle into an empty database, in a child.
    let exe = std::env::current_exe().expect("exe");
    let out = std::process::Command::new(exe)
        .arg("--import-child")
        .arg(&path)
        .arg(dir.path().join("import"))
        .output()
        .expect("child");
    let text = String::from_utf8_lossy(&out.stdout);
    let f: Vec<f64> = text
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    if let [secs, mb, new] = f[..] {
        println!("import: {new} changes in {secs:.1} s, peak memory {mb:.0} MB");
    } else {
        println!(
            "import failed: {}{}",
            text,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
