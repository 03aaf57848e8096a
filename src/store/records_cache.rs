//! Every live record of a kind in a file beside the database
//! (`DB/cache/records-KIND.bin`), so the reports need not walk the store:
//! sled iterates at ~2 µs a key before each record is decoded, 1.3-1.6 s
//! for 100,000 organizations and 200,000 activities.
//!
//! Also the part this shares with `names_cache`: a cache file is a stamp
//! and a body. The stamp names the file's format, the database (replica
//! id), the version vector the body reflects and a digest of the body. A
//! reader (`Store::through_cache`) brings the body up to date from the
//! change log, re-reading only the records changed since, and rewrites the
//! file when that changed anything. A missing or damaged file, another
//! format, another database, a vector this database has not reached or too
//! much changed means the store is read instead: never a wrong answer.
//! Only one process opens a database at a time, so nobody races on a file.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::api::ReplicaId;
use crate::model::{Kind, Labeled, Record};

/// Bumped whenever the layout of the file changes (3: the history digest
/// in the stamp; record layouts are the schema's, also in the stamp).
const FORMAT: u32 = 3;
/// Refuse to decode more than this (the file is ours, but disks lie).
const MAX_BYTES: usize = 1 << 30;
/// Above this many changed records the store is read instead.
const MAX_CATCH_UP: usize = 20_000;
/// A file is rewritten (for its stamp alone) once a catch-up has to read
/// this many operations, even if none changed its kind.
const REWRITE_AFTER_OPS: usize = 10_000;

/// A version vector: origin -> highest contiguous counter.
pub type Vector = BTreeMap<ReplicaId, u64>;

/// What a cache file reflects: the database (its replica id) and its
/// history up to a version vector, named by the vector and the digest of
/// the operations up to it (see `history.rs`). The vector says where a
/// catch-up starts; the digest makes sure the history up to there is this
/// database's, so a database restored in place from an older backup, or
/// another database with equal counters, is never served another's cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Basis {
    pub replica: ReplicaId,
    pub vv: Vector,
    pub history: super::history::History,
}

#[derive(Serialize, Deserialize)]
struct Stamp {
    format: u32,
    /// The store's schema: records are kept in its encoding.
    schema: u32,
    basis: Basis,
    digest: [u8; 32],
}

fn config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<MAX_BYTES>()
}

/// The body of a cache file and what it reflects, if the file is readable,
/// whole, of this `format` and schema (whether the basis is this
/// database's is the caller's to check: [`Store::basis_holds`](super::Store::basis_holds)).
pub fn read_stamped<T: DeserializeOwned>(path: &Path, format: u32) -> Option<(Basis, T)> {
    let bytes = std::fs::read(path).ok()?;
    let (stamp, n): (Stamp, usize) = bincode::serde::decode_from_slice(&bytes, config()).ok()?;
    if stamp.format != format || stamp.schema != super::SCHEMA {
        return None;
    }
    let body = &bytes[n..];
    if *blake3::hash(body).as_bytes() != stamp.digest {
        return None;
    }
    let (value, used): (T, usize) = bincode::serde::decode_from_slice(body, config()).ok()?;
    if used != body.len() {
        return None;
    }
    Some((stamp.basis, value))
}

/// Writes a cache file atomically; errors are the caller's to ignore.
pub fn write_stamped<T: Serialize + ?Sized>(
    path: &Path,
    format: u32,
    basis: &Basis,
    body: &T,
) -> std::io::Result<()> {
    let other = |e: bincode::error::EncodeError| std::io::Error::other(e.to_string());
    let body = bincode::serde::encode_to_vec(body, config()).map_err(other)?;
    let stamp = Stamp {
        format,
        schema: super::SCHEMA,
        basis: basis.clone(),
        digest: *blake3::hash(&body).as_bytes(),
    };
    let mut bytes = bincode::serde::encode_to_vec(&stamp, config()).map_err(other)?;
    bytes.extend_from_slice(&body);
    crate::files::write_atomic(path, &bytes)
}

/// Applies changes to cached `(id, value)` pairs: `changed` maps an id to
/// its value now, or `None` when the record is gone. Pairs keep their
/// order; new ones go at the end. True when anything differs.
pub fn catch_up<X: PartialEq>(
    pairs: &mut Vec<(String, X)>,
    mut changed: HashMap<String, Option<X>>,
) -> bool {
    if changed.is_empty() {
        return false;
    }
    let mut differs = false;
    pairs.retain_mut(|(id, value)| match changed.remove(id.as_str()) {
        None => true,
        Some(None) => {
            differs = true;
            false
        }
        Some(Some(now)) => {
            if now != *value {
                *value = now;
                differs = true;
            }
            true
        }
    });
    for (id, value) in changed {
        if let Some(value) = value {
            pairs.push((id, value));
            differs = true;
        }
    }
    differs
}

/// Most records a catch-up may re-read.
pub fn max_catch_up() -> usize {
    MAX_CATCH_UP
}

/// Operations a catch-up may read before the file is worth rewriting.
pub fn rewrite_after_ops() -> usize {
    REWRITE_AFTER_OPS
}

pub fn path(db: &Path, kind: Kind) -> PathBuf {
    super::cache_dir(db).join(format!("records-{}.bin", kind.key()))
}

/// The cached records of a kind and what they reflect.
pub fn read(db: &Path, kind: Kind) -> Option<(Basis, Vec<(String, Record)>)> {
    let (basis, records): (Basis, Vec<(String, Record)>) = read_stamped(&path(db, kind), FORMAT)?;
    // A file renamed from another kind's is not this kind's.
    if records.iter().any(|(_, r)| r.kind() != kind) {
        return None;
    }
    Some((basis, records))
}

/// Writes the records of a kind; errors are the caller's to ignore.
pub fn write(
    db: &Path,
    kind: Kind,
    basis: &Basis,
    records: &[(String, Record)],
) -> std::io::Result<()> {
    write_stamped(&path(db, kind), FORMAT, basis, records)
}

#[cfg(test)]
mod tests {
    use crate::model::{Activity, Kind, OrgType, Organization, Record};
    use crate::store::{Command, Store};

    fn sorted(mut v: Vec<(String, Record)>) -> Vec<(String, Record)> {
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }

    fn add(store: &Store, record: Record) -> String {
        store.execute(Command::Create { record }).unwrap().id
    }

    fn org(name: &str) -> Record {
        Record::Org(Organization::new(name, OrgType::Community))
    }

    fn activity(store: &Store, org: &str, title: &str) -> String {
        let date = chrono::NaiveDate::from_ymd_opt(2025, 6, 3).unwrap();
        add(store, Record::Activity(Activity::new(org, date, title)))
    }

    fn same(store: &Store, kind: Kind) -> Vec<(String, Record)> {
        let cached = store.all_cached(kind).unwrap();
        let all = store.all(kind).unwrap();
        assert_eq!(cached, all, "{kind:?}: in id order, equal to the store");
        sorted(all)
    }

    fn update(store: &Store, kind: Kind, id: &str, f: impl FnOnce(&mut Record)) {
        let before = store.get(kind, id).unwrap().unwrap();
        let mut after = before.clone();
        f(&mut after);
        store
            .execute(Command::Update {
                id: id.to_string(),
                before,
                after,
            })
            .unwrap();
    }

    #[test]
    fn records_stay_right_through_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let a = add(&store, org("保俶社区书画社"));
        let b = add(&store, org("宝石社区合唱团"));
        let x = activity(&store, &a, "重阳敬老");
        let y = activity(&store, &b, "合唱排练");
        let orgs = same(&store, Kind::Org);
        same(&store, Kind::Activity);
        assert!(super::path(dir.path(), Kind::Org).exists(), "cache written");
        // Unchanged: from the file.
        let from_file = super::read(dir.path(), Kind::Org).unwrap().1;
        assert_eq!(sorted(from_file), orgs);
        // Changed after the file: edited, deleted, created, for both kinds.
        update(&store, Kind::Org, &a, |r| {
            if let Record::Org(o) = r {
                o.name = "安吉路书画社".into();
            }
        });
        store
            .execute(Command::Delete {
                kind: Kind::Org,
                id: b.clone(),
            })
            .unwrap();
        add(&store, org("曙光社区太极拳队"));
        // Ids past a power of ten: new ones sort between old ones.
        for i in 0..10 {
            add(&store, org(&format!("翠苑社区志愿服务队{i}")));
        }
        update(&store, Kind::Activity, &x, |r| {
            if let Record::Activity(act) = r {
                act.participants = Some(42);
            }
        });
        store
            .execute(Command::Delete {
                kind: Kind::Activity,
                id: y,
            })
            .unwrap();
        activity(&store, &a, "书法讲座");
        let orgs = same(&store, Kind::Org);
        assert_eq!(orgs.len(), 12);
        let acts = same(&store, Kind::Activity);
        assert_eq!(acts.len(), 2);
        // The file was brought up to date.
        let (basis, from_file) = super::read(dir.path(), Kind::Activity).unwrap();
        assert_eq!(basis, store.basis().unwrap());
        assert_eq!(sorted(from_file), acts);
        // Read again: still the same.
        same(&store, Kind::Org);
        same(&store, Kind::Activity);
    }

    #[test]
    fn a_damaged_or_foreign_file_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for i in 0..20 {
            add(&store, org(&format!("西溪社区志愿服务队{i}")));
        }
        let all = same(&store, Kind::Org);
        let file = super::path(dir.path(), Kind::Org);
        let good = std::fs::read(&file).unwrap();
        // One byte changed inside a name: still decodable, but not whole.
        let at = good
            .windows("志愿".len())
            .position(|w| w == "志愿".as_bytes())
            .unwrap();
        let mut bad = good.clone();
        bad[at + 1] ^= 0x01;
        std::fs::write(&file, &bad).unwrap();
        assert!(super::read(dir.path(), Kind::Org).is_none());
        assert_eq!(same(&store, Kind::Org), all);
        // Cut short, garbage, another format, another kind's file.
        for bytes in [good[..good.len() / 2].to_vec(), b"\xff\xff\xff".to_vec()] {
            std::fs::write(&file, bytes).unwrap();
            assert_eq!(same(&store, Kind::Org), all);
        }
        let basis = store.basis().unwrap();
        let records = store.all(Kind::Org).unwrap();
        super::write_stamped(&file, super::FORMAT + 1, &basis, &records).unwrap();
        assert!(super::read(dir.path(), Kind::Org).is_none());
        assert_eq!(same(&store, Kind::Org), all);
        super::write(dir.path(), Kind::Activity, &basis, &records).unwrap();
        assert!(super::read(dir.path(), Kind::Activity).is_none());
        assert!(same(&store, Kind::Activity).is_empty());
        // A file stamped ahead of the database (a database restored from a
        // backup, say) is not used.
        let mut ahead = basis.clone();
        *ahead.vv.get_mut(&store.replica).unwrap() += 1;
        super::write(dir.path(), Kind::Org, &ahead, &records[..1]).unwrap();
        // Of another history up to the same counters (restored in place
        // from an older backup, then changed): not used.
        let mut other = basis.clone();
        other.history.toggle(b"another", b"history");
        super::write(dir.path(), Kind::Org, &other, &records[..1]).unwrap();
        assert_eq!(same(&store, Kind::Org), all);
        assert_eq!(same(&store, Kind::Org), all);
    }

    #[test]
    fn another_databases_file_is_not_used() {
        let one = tempfile::tempdir().unwrap();
        let two = tempfile::tempdir().unwrap();
        let a = Store::open(one.path()).unwrap();
        let b = Store::open(two.path()).unwrap();
        add(&a, org("北山街道老年协会"));
        add(&a, org("西溪社区调解队"));
        add(&b, org("翠苑社区读书会"));
        same(&a, Kind::Org);
        // The same operations as `a`, and then some: its vector is past `a`'s.
        b.apply_remote(a.all_ops().unwrap()).unwrap();
        let own = same(&b, Kind::Org);
        assert_eq!(own.len(), 3);
        let file = super::path(one.path(), Kind::Org);
        let theirs = super::path(two.path(), Kind::Org);
        std::fs::copy(&file, &theirs).unwrap();
        assert!(!b
            .basis_holds(&super::read(two.path(), Kind::Org).unwrap().0)
            .unwrap());
        assert_eq!(same(&b, Kind::Org), own);
        // Even with a stamp `b` has reached (a copy, not this database's).
        let mut basis = b.basis().unwrap();
        basis.replica = a.replica;
        let records = a.all(Kind::Org).unwrap();
        super::write_stamped(&theirs, super::FORMAT, &basis, &records).unwrap();
        assert_eq!(same(&b, Kind::Org), own);
    }

    #[test]
    fn operations_after_a_gap_are_caught_up() {
        // Operations from another database may come with a gap: the
        // version vector stays behind it, yet the records change.
        let one = tempfile::tempdir().unwrap();
        let two = tempfile::tempdir().unwrap();
        let a = Store::open(one.path()).unwrap();
        let b = Store::open(two.path()).unwrap();
        add(&a, org("北山街道老年协会"));
        let start = a.version_vector().unwrap()[&a.replica];
        let x = add(&a, org("西溪社区调解队"));
        let created = a.version_vector().unwrap()[&a.replica];
        update(&a, Kind::Org, &x, |r| {
            if let Record::Org(o) = r {
                o.name = "西溪社区人民调解队".into();
            }
        });
        let ops = a.all_ops().unwrap();
        let (creation, rest): (Vec<_>, Vec<_>) = ops
            .into_iter()
            .filter(|op| op.counter > start)
            .partition(|op| op.counter <= created);
        b.apply_remote(creation).unwrap();
        assert!(
            !b.version_vector().unwrap().contains_key(&a.replica),
            "a gap"
        );
        assert_eq!(same(&b, Kind::Org).len(), 1);
        assert_eq!(b.names(Kind::Org).unwrap().len(), 1);
        b.apply_remote(rest).unwrap();
        assert!(
            !b.version_vector().unwrap().contains_key(&a.replica),
            "still"
        );
        let now = same(&b, Kind::Org);
        assert!(
            matches!(&now[0].1, Record::Org(o) if o.name == "西溪社区人民调解队"),
            "{now:?}"
        );
        assert_eq!(
            b.names(Kind::Org).unwrap(),
            vec![(x, "西溪社区人民调解队".to_string())]
        );
    }
}
