//! The store through its public API, as the CLI and the TUI use it.
//!
//! `measure_100k` (ignored) prints the figures for docs/PERFORMANCE.md:
//! `cargo test --release --test store -- --ignored --nocapture`.

use std::time::{Duration, Instant};

use sanshe::model::credit_code::{expected_17, CreditCode};
use sanshe::model::{Kind, Lang, OrgType, Organization, Place, PlaceLevel, Record};
use sanshe::store::{Command, OpenOptions, Store, StoreError, Value, Warning};

fn place(code: &str, name: &str, level: PlaceLevel, parent: Option<&str>) -> Command {
    Command::Create {
        record: Record::Place(Place {
            code: code.into(),
            name: name.into(),
            level,
            parent: parent.map(str::to_string),
        }),
    }
}

fn create_org(o: Organization) -> Command {
    Command::Create {
        record: Record::Org(o),
    }
}

const WORDS: &[&str] = &[
    "银龄",
    "互助",
    "书画",
    "舞蹈",
    "太极",
    "邻里",
    "守望",
    "阳光",
    "夕阳红",
    "巧手",
    "读书",
    "合唱",
    "环保",
    "调解",
    "助残",
    "关爱",
    "科普",
    "青春",
    "晨练",
    "乐活",
];
const FORMS: &[&str] = &["协会", "志愿队", "服务中心", "俱乐部", "艺术团", "服务社"];

/// A valid credit code: registration prefix (8) and organization body (8).
fn credit_code(prefix8: &str, body8: &str) -> String {
    let c17 = expected_17(body8).unwrap();
    CreditCode::complete(&format!("{prefix8}{body8}{c17}")).unwrap()
}

/// A district of `townships` townships, each of 10 communities of 5 grids.
fn place_commands(townships: usize) -> (Vec<Command>, Vec<String>) {
    let mut cmds = vec![place("XH", "西湖区", PlaceLevel::District, None)];
    let mut grids = Vec::new();
    for t in 0..townships {
        let tc = format!("T{t:02}");
        cmds.push(place(
            &tc,
            &format!("第{t}街道"),
            PlaceLevel::Township,
            Some("XH"),
        ));
        for c in 0..10 {
            let cc = format!("{tc}-{c:02}");
            cmds.push(place(
                &cc,
                &format!("第{t}街道{c}社区"),
                PlaceLevel::Community,
                Some(&tc),
            ));
            for g in 0..5 {
                let gc = format!("{cc}-{g:02}");
                cmds.push(place(
                    &gc,
                    &format!("{c}社区第{g}网格"),
                    PlaceLevel::Grid,
                    Some(&cc),
                ));
                grids.push(gc);
            }
        }
    }
    (cmds, grids)
}

/// The `i`-th generated organization: name, grid, a credit code for one in three.
fn generated_org(i: usize, grids: &[String]) -> Organization {
    let w = |k: usize| WORDS[(i / k) % WORDS.len()];
    let name = format!("{}{}{}{}", w(1), w(7), w(131), FORMS[i % FORMS.len()]);
    let mut o = Organization::new(format!("{name}{i}"), OrgType::Community);
    o.grid = Some(grids[(i * 7919) % grids.len()].clone());
    o.phone = Some(format!("138{:08}", i));
    o.contact = Some(format!("联系人{i}"));
    o.address = Some(format!("杭州市西湖区某路 {} 号", i % 500));
    if i.is_multiple_of(3) {
        o.kind = OrgType::SocialGroup;
        o.credit_code = Some(credit_code("51330106", &format!("5{i:07}")));
    }
    o
}

fn load(store: &Store, orgs: usize, townships: usize) {
    let (places, grids) = place_commands(townships);
    store.execute_all(places).unwrap();
    let all: Vec<Command> = (0..orgs)
        .map(|i| create_org(generated_org(i, &grids)))
        .collect();
    for chunk in all.chunks(1_000) {
        store.execute_all(chunk.to_vec()).unwrap();
    }
}

#[test]
fn org_round_trip_and_edit() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .execute_all(vec![
            place("XH", "西湖区", PlaceLevel::District, None),
            place("BSJ", "北山街道", PlaceLevel::Township, Some("XH")),
            place("BSJ-01", "宝石山社区", PlaceLevel::Community, Some("BSJ")),
        ])
        .unwrap();
    let mut o = Organization::new("宝石山社区书画社", OrgType::Community);
    o.grid = Some("BSJ-01".into());
    let out = store.execute(create_org(o.clone())).unwrap();
    assert_eq!(store.org(&out.id).unwrap(), Some(o.clone()));
    let mut after = o.clone();
    after.members = Some(35);
    let up = store
        .execute(Command::Update {
            id: out.id.clone(),
            before: Record::Org(o),
            after: Record::Org(after.clone()),
        })
        .unwrap();
    assert_eq!(up.ops, 1);
    let newest = &store.log(1).unwrap()[0];
    assert_eq!(newest.op.field, "members");
    assert_eq!(newest.op.value, Some(Value::Int(35)));
    assert!(!newest.op.author.is_empty());
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.org(&out.id).unwrap(), Some(after));
    assert_eq!(store.orgs_in_place("BSJ").unwrap(), vec![out.id]);
}

#[test]
fn in_use_message_names_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let _holder = Store::open_with(
        dir.path(),
        OpenOptions {
            office: Some("北山街道".into()),
        },
    )
    .unwrap();
    let Err(err) = Store::open(dir.path()) else {
        panic!("opened twice");
    };
    assert_eq!(err.exit_code(), 1);
    sanshe::text::set_lang(Lang::Zh);
    let msg = err.message();
    let path = std::fs::canonicalize(dir.path()).unwrap();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("正被其他程序使用"), "{msg}");
    assert!(
        msg.contains(&format!("进程 {}", std::process::id())),
        "{msg}"
    );
}

#[test]
fn duplicate_warning_and_refusal_in_one_session() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut a = Organization::new("北山街道银龄互助会", OrgType::SocialGroup);
    a.credit_code = Some(credit_code("51330106", "MJ123456"));
    let first = store.execute(create_org(a.clone())).unwrap().id;
    let mut b = Organization::new("银龄互助协会", OrgType::Community);
    let w = store.check(&create_org(b.clone())).unwrap();
    assert!(matches!(&w[..], [Warning::PossibleDuplicate { id, .. }] if *id == first));
    b.credit_code = a.credit_code.clone();
    let err = store.execute(create_org(b)).unwrap_err();
    assert!(
        matches!(&err, StoreError::DuplicateCreditCode { existing_id, .. } if *existing_id == first)
    );
    assert_eq!(err.exit_code(), 2);
    assert_eq!(store.org_count(), 1);
}

#[test]
fn ten_thousand_orgs_load_and_list() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    load(&store, 10_000, 4);
    assert_eq!(store.org_count(), 10_000);
    assert_eq!(store.count(Kind::Place), 1 + 4 + 40 + 200);
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    let orgs = store.orgs().unwrap();
    assert_eq!(orgs.len(), 10_000);
    let with_code = orgs.iter().filter(|(_, o)| o.credit_code.is_some()).count();
    assert_eq!(with_code, 3334);
    let (id, o) = &orgs[0];
    let code = orgs
        .iter()
        .find_map(|(_, o)| o.credit_code.clone())
        .unwrap();
    assert!(store.org_by_credit_code(&code).unwrap().is_some());
    assert_eq!(store.org(id).unwrap().as_ref(), Some(o));
    let in_t00 = store.orgs_in_place("T00").unwrap().len();
    assert!(in_t00 > 2000 && in_t00 < 3000, "{in_t00}");
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

fn rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn dir_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// Figures with 100,000 organizations (run in release mode; see the top).
#[test]
#[ignore]
fn measure_100k() {
    let dir =
        tempfile::tempdir_in(std::env::var("SANSHE_BENCH_DIR").unwrap_or(".".into())).unwrap();
    if std::env::var("SANSHE_BENCH_KEEP").is_ok() {
        println!("keeping {}", dir.path().display());
    }
    let store = Store::open(dir.path()).unwrap();
    let t = Instant::now();
    load(&store, 100_000, 40);
    println!(
        "load 100,000 orgs + 2,441 places (100 batches): {:?}",
        t.elapsed()
    );
    println!("disk: {:.1} MiB", dir_size(dir.path()) as f64 / 1048576.0);
    drop(store);

    let t = Instant::now();
    let store = Store::open(dir.path()).unwrap();
    let opened = t.elapsed();
    let orgs = store.orgs().unwrap();
    let places = store.places().unwrap();
    println!(
        "open {:?}; open + orgs() ({}) + places() ({}): {:?}; RSS {:.0} MiB",
        opened,
        orgs.len(),
        places.len(),
        t.elapsed(),
        rss_mib().unwrap_or(0.0)
    );

    let mut saves = Vec::new();
    for (i, (id, o)) in orgs.iter().take(300).enumerate() {
        let mut after = o.clone();
        after.phone = Some(format!("139{:08}", i));
        let t = Instant::now();
        store
            .execute(Command::Update {
                id: id.clone(),
                before: Record::Org(o.clone()),
                after: Record::Org(after),
            })
            .unwrap();
        saves.push(t.elapsed());
    }
    println!(
        "flushed single edit (phone), 300 saves: p50 {:?}, p95 {:?}, max {:?}",
        percentile(&mut saves, 0.5),
        percentile(&mut saves, 0.95),
        percentile(&mut saves, 1.0)
    );

    let grids: Vec<String> = places
        .iter()
        .filter(|p| p.level == PlaceLevel::Grid)
        .map(|p| p.code.clone())
        .collect();
    let mut creates = Vec::new();
    for i in 0..300 {
        let o = generated_org(200_000 + i, &grids);
        let t = Instant::now();
        store.execute(create_org(o)).unwrap();
        creates.push(t.elapsed());
    }
    println!(
        "flushed single create (with duplicate check in its township), 300 saves: p50 {:?}, p95 {:?}, max {:?}",
        percentile(&mut creates, 0.5),
        percentile(&mut creates, 0.95),
        percentile(&mut creates, 1.0)
    );
    let t = Instant::now();
    let n = store.log(100).unwrap().len();
    println!("log(100): {n} entries in {:?}", t.elapsed());
    println!("RSS at end: {:.0} MiB", rss_mib().unwrap_or(0.0));
    if std::env::var("SANSHE_BENCH_KEEP").is_ok() {
        drop(store);
        let _ = dir.keep();
    }
}

/// Opens the database at `$SANSHE_BENCH_DB` (made by `measure_100k` with
/// `SANSHE_BENCH_KEEP=1`) in a fresh process and times the first screen.
#[test]
#[ignore]
fn measure_open() {
    let Ok(path) = std::env::var("SANSHE_BENCH_DB") else {
        return;
    };
    let t = Instant::now();
    let store = Store::open(std::path::Path::new(&path)).unwrap();
    let opened = t.elapsed();
    let orgs = store.orgs().unwrap();
    let read = t.elapsed();
    let again = Instant::now();
    let orgs2 = store.orgs().unwrap();
    println!(
        "open {:?}; + orgs() ({}) {:?}; orgs() again {:?}; RSS {:.0} MiB",
        opened,
        orgs.len(),
        read,
        again.elapsed(),
        rss_mib().unwrap_or(0.0)
    );
    assert_eq!(orgs.len(), orgs2.len());
}

/// Another process (the real binary) finds the database held by this one:
/// exit code 1 and a message naming the path, the user and this process.
#[test]
fn other_process_gets_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sanshe"))
        .arg("--db")
        .arg(dir.path())
        .args(["--lang", "zh", "org", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let path = std::fs::canonicalize(dir.path()).unwrap();
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(err.contains("正被其他程序使用"), "{err}");
    assert!(
        err.contains(&format!("进程 {}", std::process::id())),
        "{err}"
    );
    assert!(err.contains(store.author()), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // Once this process lets go, the binary can open it.
    drop(store);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sanshe"))
        .arg("--db")
        .arg(dir.path())
        .args(["org", "list"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
