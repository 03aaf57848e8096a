//! The convergence property of sync by bundles: three or four offices make
//! random edits (concurrent edits of the same field, deletes, restores),
//! exchange bundles in random order, with duplicates, drops, stale peer
//! vectors and refused gaps; after a final exchange every office holds the
//! same records, equal to replaying all operations in `(hlc, office)`
//! order into a fresh database.
//!
//! Offices also back up their database and restore an older backup, then
//! go on working (a restored copy takes a new identity, so nothing it does
//! afterwards is mistaken for what it lost).
//!
//! Bundles are applied in one transaction or, as a very large bundle is,
//! in many (the size of a transaction is shrunk for a third of the cases).
//!
//! Bundles go through the real format (encode, then decode and check) in
//! memory. Databases live on tmpfs when there is one, so the fsync of each
//! commit is cheap. `PROPTEST_CASES` sets the number of cases (default
//! 2000; CI runs the default).

use std::path::PathBuf;

use proptest::prelude::*;
use sanshe::model::{Kind, OrgType, Organization, Record};
use sanshe::store::{Command, OpenOptions, Store};
use sanshe::sync::bundle;
use sanshe::sync::exchange::{self, ExportOptions, ImportOptions};
use sanshe::sync::SyncError;

const DEFAULT_CASES: u32 = 2000;
const NAMES: &[&str] = &["宝石山社区", "北山老年", "西溪读书会", "古荡志愿队"];
const PHONES: &[&str] = &["13812345678", "0571-87654321", "13900001111"];

#[derive(Debug, Clone)]
enum Step {
    /// Office creates an organization.
    Create { office: usize, name: usize },
    /// Office edits a field of its n-th organization (live or deleted).
    Edit {
        office: usize,
        org: usize,
        field: usize,
        value: usize,
    },
    /// Office deletes or restores its n-th organization.
    Toggle { office: usize, org: usize },
    /// `from` writes a bundle for `to` (incremental or full); it is
    /// delivered now, kept for later, or lost.
    Send {
        from: usize,
        to: usize,
        full: bool,
        fate: Fate,
    },
    /// A bundle kept earlier is delivered (again) to an office.
    Redeliver { bundle: usize, to: usize },
    /// Office copies its database folder aside (closed, as a nightly
    /// backup would).
    Backup { office: usize },
    /// Office puts back one of its backups, losing what came after it, and
    /// goes on working.
    RestoreBackup { office: usize, backup: usize },
}

#[derive(Debug, Clone, Copy)]
enum Fate {
    Deliver,
    Keep,
    Drop,
}

fn step(offices: usize) -> impl Strategy<Value = Step> {
    let o = 0..offices;
    prop_oneof![
        3 => (o.clone(), 0..NAMES.len()).prop_map(|(office, name)| Step::Create { office, name }),
        6 => (o.clone(), 0..8usize, 0..4usize, 0..3usize)
            .prop_map(|(office, org, field, value)| Step::Edit { office, org, field, value }),
        1 => (o.clone(), 0..8usize).prop_map(|(office, org)| Step::Toggle { office, org }),
        4 => (o.clone(), o.clone(), any::<bool>(), prop_oneof![
                3 => Just(Fate::Deliver), 2 => Just(Fate::Keep), 1 => Just(Fate::Drop)])
            .prop_map(|(from, to, full, fate)| Step::Send { from, to, full: full && from % 2 == 0, fate }),
        2 => (0..16usize, o.clone()).prop_map(|(bundle, to)| Step::Redeliver { bundle, to }),
        1 => o.clone().prop_map(|office| Step::Backup { office }),
        1 => (o, 0..4usize).prop_map(|(office, backup)| Step::RestoreBackup { office, backup }),
    ]
}

fn scratch() -> tempfile::TempDir {
    let shm = PathBuf::from("/dev/shm");
    if shm.is_dir() {
        if let Ok(d) = tempfile::tempdir_in(&shm) {
            return d;
        }
    }
    tempfile::tempdir().unwrap()
}

fn open(dir: &tempfile::TempDir, name: &str) -> Store {
    let s = Store::open_with(
        &dir.path().join(name),
        OpenOptions {
            office: Some(name.to_string()),
        },
    )
    .unwrap();
    s.set_network("西湖区").unwrap();
    s
}

/// Every organization of an office, live or deleted, in id order.
fn orgs(s: &Store) -> Vec<(String, Organization, bool)> {
    let mut out: Vec<(String, Organization, bool)> = Vec::new();
    for (deleted, list) in [
        (false, s.all(Kind::Org).unwrap()),
        (true, s.deleted(Kind::Org).unwrap()),
    ] {
        for (id, r) in list {
            if let Record::Org(o) = r {
                out.push((id, o, deleted));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn deliver(bytes: &[u8], to: &Store) {
    let b = bundle::decode(bytes).expect("a bundle we wrote decodes");
    match exchange::import_bundle(to, b, &ImportOptions::default(), None, &mut |_| {}) {
        Ok(_) => {}
        // Gaps (a bundle made on a stale or optimistic vector, delivered
        // out of order) and a bundle of the office itself are refused whole.
        Err(SyncError::Gap { .. }) | Err(SyncError::SameOffice) => {}
        Err(e) => panic!("import failed: {e}"),
    }
}

/// `chunk`: operations per transaction when an office imports (the real
/// size is 20,000; small sizes split every bundle into many transactions,
/// which must not change what the offices end with).
fn run(offices: usize, steps: Vec<Step>, chunk: usize) {
    let dir = scratch();
    let names = ["北山街道", "西溪街道", "西湖区中心", "灵隐街道"];
    let mut stores: Vec<Store> = (0..offices).map(|i| open(&dir, names[i])).collect();
    for s in &stores {
        s.set_apply_chunk(chunk);
    }
    let mut kept: Vec<Vec<u8>> = Vec::new();
    // Backups: (office, folder).
    let mut backups: Vec<(usize, PathBuf)> = Vec::new();
    for st in steps {
        match st {
            Step::Create { office, name } => {
                stores[office]
                    .execute(Command::Create {
                        record: Record::Org(Organization::new(NAMES[name], OrgType::Community)),
                    })
                    .unwrap();
            }
            Step::Edit {
                office,
                org,
                field,
                value,
            } => {
                let all = orgs(&stores[office]);
                let Some((id, before, false)) = all.get(org % all.len().max(1)).cloned() else {
                    continue;
                };
                let mut after = before.clone();
                match field {
                    0 => after.name = format!("{}{}", NAMES[value], value),
                    1 => after.phone = Some(PHONES[value].to_string()),
                    2 => after.members = Some(value as u32 * 10),
                    _ => after.notes = (value > 0).then(|| format!("备注{value}")),
                }
                stores[office]
                    .execute(Command::Update {
                        id,
                        before: Record::Org(before),
                        after: Record::Org(after),
                    })
                    .unwrap();
            }
            Step::Toggle { office, org } => {
                let all = orgs(&stores[office]);
                let Some((id, _, deleted)) = all.get(org % all.len().max(1)).cloned() else {
                    continue;
                };
                let cmd = if deleted {
                    Command::Restore {
                        kind: Kind::Org,
                        id,
                    }
                } else {
                    Command::Delete {
                        kind: Kind::Org,
                        id,
                    }
                };
                stores[office].execute(cmd).unwrap();
            }
            Step::Send {
                from,
                to,
                full,
                fate,
            } => {
                let peer = stores[to].office();
                let opts = ExportOptions {
                    peer: Some(peer),
                    full,
                };
                let (bytes, _, _) = exchange::build(&stores[from], &opts, None).unwrap();
                match fate {
                    Fate::Deliver if from != to => deliver(&bytes, &stores[to]),
                    Fate::Deliver | Fate::Keep => kept.push(bytes),
                    Fate::Drop => {}
                }
            }
            Step::Redeliver { bundle, to } => {
                if !kept.is_empty() {
                    let b = kept[bundle % kept.len()].clone();
                    deliver(&b, &stores[to]);
                }
            }
            Step::Backup { office } => {
                let to = dir.path().join(format!("backup-{}", backups.len()));
                let from = dir.path().join(names[office]);
                drop(stores.remove(office));
                copy_dir(&from, &to);
                stores.insert(office, open(&dir, names[office]));
                stores[office].set_apply_chunk(chunk);
                backups.push((office, to));
            }
            Step::RestoreBackup { office, backup } => {
                let mine: Vec<&PathBuf> = backups
                    .iter()
                    .filter(|(o, _)| *o == office)
                    .map(|(_, p)| p)
                    .collect();
                if mine.is_empty() {
                    continue;
                }
                let from = mine[backup % mine.len()].clone();
                let to = dir.path().join(names[office]);
                drop(stores.remove(office));
                std::fs::remove_dir_all(&to).unwrap();
                copy_dir(&from, &to);
                stores.insert(office, open(&dir, names[office]));
                stores[office].set_apply_chunk(chunk);
            }
        }
    }
    // Final exchange: everyone sends everything to everyone.
    let full: Vec<Vec<u8>> = stores
        .iter()
        .map(|s| {
            exchange::build(
                s,
                &ExportOptions {
                    peer: None,
                    full: true,
                },
                None,
            )
            .unwrap()
            .0
        })
        .collect();
    for (i, s) in stores.iter().enumerate() {
        for (j, b) in full.iter().enumerate() {
            if i != j {
                deliver(b, s);
            }
        }
    }
    let first = stores[0].content_checksum().unwrap();
    for s in &stores[1..] {
        assert_eq!(s.content_checksum().unwrap(), first, "offices differ");
        assert_eq!(
            s.version_vector().unwrap(),
            stores[0].version_vector().unwrap()
        );
    }
    // The reference: every operation replayed in (hlc, office) order.
    let mut ops = stores[0].all_ops().unwrap();
    ops.sort_by_key(|a| (a.hlc, a.origin, a.counter));
    let reference = open(&dir, "replay");
    reference.apply_remote(ops).unwrap();
    assert_eq!(
        reference.content_checksum().unwrap(),
        first,
        "differs from the replay"
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn offices_converge(
        (offices, steps) in (3usize..=4).prop_flat_map(|n| (Just(n), proptest::collection::vec(step(n), 1..24))),
        chunk in prop_oneof![2 => Just(sanshe::store::APPLY_CHUNK), 1 => 1usize..6],
    ) {
        run(offices, steps, chunk);
    }
}
