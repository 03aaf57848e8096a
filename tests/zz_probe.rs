use std::time::Instant;
use sanshe::model::{OrgType, Organization, Place, PlaceLevel, Record};
use sanshe::store::{Command, Store};
fn rss() -> f64 { let s = std::fs::read_to_string("/proc/self/status").unwrap(); let l = s.lines().find(|l| l.starts_with("VmRSS")).unwrap(); l.split_whitespace().nth(1).unwrap().parse::<f64>().unwrap() / 1024.0 }
#[test]
#[ignore]
fn probe_mem() {
    let dir = tempfile::tempdir_in("/tmp").unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut cmds = vec![Command::Create { record: Record::Place(Place { code: "XH".into(), name: "西湖区".into(), level: PlaceLevel::District, parent: None }) }];
    for t in 0..40 { cmds.push(Command::Create { record: Record::Place(Place { code: format!("T{t}"), name: format!("街道{t}"), level: PlaceLevel::Township, parent: Some("XH".into()) }) }); }
    store.execute_all(cmds).unwrap();
    println!("MEM start {:.0}", rss());
    let chunk = std::env::var("CHUNK").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000usize);
    let mut i = 0;
    for b in 0..(100_000 / chunk) {
        let cmds: Vec<Command> = (0..chunk).map(|_| { i += 1; let mut o = Organization::new(format!("组织{i}号互助会"), OrgType::Community); o.grid = Some(format!("T{}", i % 40)); o.phone = Some(format!("138{:08}", i)); o.address = Some(format!("某路 {} 号", i)); Command::Create { record: Record::Org(o) } }).collect();
        let t = Instant::now();
        store.execute_all(cmds).unwrap();
        if b % (10_000 / chunk).max(1) == 0 { println!("MEM after batch {b}: {:.0} MiB ({:?})", rss(), t.elapsed()); }
    }
}
