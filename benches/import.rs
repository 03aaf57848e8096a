//! `sanshe import orgs` of a large spreadsheet (issue [1/6] 3), through the
//! real binary: a CSV of generated organizations (`demo::generate` names,
//! codes, phones...), all placed in one township, so that the
//! possible-duplicate check has the whole file in one township (the worst
//! case: it used to compare every row with every other). The database
//! holds only the places. Prints, for `--dry-run` and for the import, the
//! seconds (wall clock, and CPU: on a busy machine the first waits for the
//! second) and the peak resident memory of the child process.
//!
//! ```sh
//! SANSHE_BENCH_ROWS=200000 cargo bench --bench import
//! ```
//!
//! `SANSHE_BENCH_ROWS` (default 200,000; 2,000 under `cargo test --benches`)
//! sets the size; `SANSHE_BENCH_BIN=PATH` runs another build of the binary
//! (an older one, for a before/after figure); `SANSHE_BENCH_KEEP=DIR` writes
//! the CSV and the database there instead of a temporary folder, with a copy
//! of the database before the import (`db-N-places`). Figures go
//! to docs/PERFORMANCE.md. Not a test: nothing here asserts a time.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use sanshe::interchange::{csv_out, header, orgs};
use sanshe::model::{Lang, Place, PlaceLevel, Record};
use sanshe::store::Store;

/// The CSV of `n` generated organizations, all in the first township; and
/// the places of that township.
fn generated(n: usize) -> (String, Vec<Record>) {
    let mut places: Vec<Place> = Vec::new();
    let mut rows = Vec::with_capacity(n);
    let mut grids: Vec<String> = Vec::new();
    for r in sanshe::demo::generate(n, 1) {
        match r {
            Record::Place(p) => {
                let first = p.level == PlaceLevel::District
                    || p.code == "J001"
                    || p.code.starts_with("J001-");
                if first {
                    if p.level == PlaceLevel::Grid {
                        grids.push(p.code.clone());
                    }
                    places.push(p);
                }
            }
            Record::Org(mut o) => {
                o.grid = Some(grids[rows.len() % grids.len()].clone());
                rows.push(orgs::row("", &o));
            }
            _ => {}
        }
    }
    let headers: Vec<String> = orgs::COLUMNS.iter().map(|c| header(c, Lang::Zh)).collect();
    let csv = csv_out::csv(&headers, &rows).expect("csv");
    (csv, places.into_iter().map(Record::Place).collect())
}

/// What a run of the binary took.
struct Took {
    seconds: f64,
    cpu_seconds: f64,
    peak_mb: f64,
    stderr: String,
}

impl std::fmt::Display for Took {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.1} s ({:.1} s CPU), peak {:.0} MB; {}",
            self.seconds,
            self.cpu_seconds,
            self.peak_mb,
            self.stderr.trim()
        )
    }
}

/// Runs a command to the end from a small process: this bench run again
/// with `--run` (a child started from this large process would count its
/// memory: the child shares it until it executes the binary).
fn run(bin: &Path, args: &[&str], config: &Path) -> Took {
    let t = Instant::now();
    let out = Command::new(std::env::current_exe().expect("bench path"))
        .arg("--run")
        .arg(bin)
        .args(args)
        .env("SANSHE_CONFIG_DIR", config)
        .env_remove("SANSHE_DB")
        .output()
        .expect("run the runner");
    let report = String::from_utf8_lossy(&out.stdout);
    let mut figures = report
        .split_whitespace()
        .map(|f| f.parse::<f64>().unwrap_or(f64::NAN));
    Took {
        seconds: t.elapsed().as_secs_f64(),
        cpu_seconds: figures.next().unwrap_or(f64::NAN),
        peak_mb: figures.next().unwrap_or(f64::NAN),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The runner: runs the command in its arguments, its standard error passed
/// on; prints its CPU seconds and peak resident memory in MB.
// The child is waited for with wait4, which gives its resource usage.
#[allow(clippy::zombie_processes)]
fn runner(args: &[String]) {
    let child = Command::new(&args[0])
        .args(&args[1..])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn sanshe");
    let mut status = 0;
    // SAFETY: a zeroed rusage is valid; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let cpu = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    println!(
        "{} {}",
        cpu(usage.ru_utime) + cpu(usage.ru_stime),
        usage.ru_maxrss as f64 / 1024.0
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--run") {
        return runner(&args[2..]);
    }
    let quick = !std::env::args().any(|a| a == "--bench");
    let n: usize = std::env::var("SANSHE_BENCH_ROWS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if quick { 2_000 } else { 200_000 });
    let bin = std::env::var_os("SANSHE_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_sanshe")));
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = std::env::var_os("SANSHE_BENCH_KEEP")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).expect("folder");
    let (csv, places) = generated(n);
    let file = dir.join(format!("orgs-{n}.csv"));
    std::fs::write(&file, csv.as_bytes()).expect("write csv");
    let db = dir.join(format!("db-{n}"));
    let _ = std::fs::remove_dir_all(&db);
    {
        let store = Store::open(&db).expect("open");
        sanshe::demo::load(&store, places).expect("places");
    }
    if std::env::var_os("SANSHE_BENCH_KEEP").is_some() {
        let copy = dir.join(format!("db-{n}-places"));
        let _ = std::fs::remove_dir_all(&copy);
        let ok = Command::new("cp").arg("-r").arg(&db).arg(&copy).status();
        assert!(ok.is_ok_and(|s| s.success()), "cp -r {}", db.display());
    }
    let config = dir.join("config");
    let (f, d) = (file.to_string_lossy(), db.to_string_lossy());
    println!("binary: {}", bin.display());
    println!(
        "rows: {n}, file: {:.1} MB, one township",
        csv.len() as f64 / 1e6
    );
    let took = run(
        &bin,
        &["--db", &d, "import", "orgs", &f, "--dry-run"],
        &config,
    );
    println!("import --dry-run: {took}");
    let took = run(&bin, &["--db", &d, "import", "orgs", &f], &config);
    println!("import:           {took}");
}
