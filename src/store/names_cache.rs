//! A file beside the database holding `(id, name)` of every live record of
//! a kind, so a search need not walk the whole name index (sled iterates at
//! 1.5-2 µs a key: 150 ms for 100,000 names). The file is stamped with the
//! version vector it reflects; a reader brings it up to date from the change
//! log (re-reading only the records changed since), and rewrites it when it
//! had to. Only one process opens a database at a time, so nobody races on
//! the file. Anything unusable means the index is read instead.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::api::ReplicaId;
use crate::model::{Kind, Labeled};

const FORMAT: u32 = 1;
const MAX_BYTES: usize = 256 << 20;
/// Above this many changed records the index is read instead.
const MAX_CATCH_UP: usize = 20_000;

#[derive(Serialize, Deserialize)]
struct File {
    format: u32,
    vv: Vec<(ReplicaId, u64)>,
    /// Ids and names, each joined with `\0` (one allocation each on load).
    ids: String,
    names: String,
}

fn path(db: &Path, kind: Kind) -> PathBuf {
    db.join("cache").join(format!("names-{}.bin", kind.key()))
}

fn config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<MAX_BYTES>()
}

/// A version vector: origin -> highest contiguous counter.
pub type Vector = BTreeMap<ReplicaId, u64>;

/// The cached names and the vector they reflect, if the file is readable.
pub fn read(db: &Path, kind: Kind) -> Option<(Vector, Vec<(String, String)>)> {
    let bytes = std::fs::read(path(db, kind)).ok()?;
    let (file, _): (File, usize) = bincode::serde::decode_from_slice(&bytes, config()).ok()?;
    if file.format != FORMAT {
        return None;
    }
    let ids = file.ids.split('\0');
    let names = file.names.split('\0');
    let pairs: Vec<(String, String)> = if file.ids.is_empty() {
        Vec::new()
    } else {
        ids.zip(names)
            .map(|(i, n)| (i.to_string(), n.to_string()))
            .collect()
    };
    Some((file.vv.into_iter().collect(), pairs))
}

/// Applies changes: `changed` maps an id to its new name, or `None` when
/// the record is gone.
pub fn catch_up(pairs: &mut Vec<(String, String)>, changed: HashMap<String, Option<String>>) {
    if changed.is_empty() {
        return;
    }
    pairs.retain(|(id, _)| !changed.contains_key(id));
    for (id, name) in changed {
        if let Some(name) = name {
            pairs.push((id, name));
        }
    }
}

/// Most records a catch-up may re-read.
pub fn max_catch_up() -> usize {
    MAX_CATCH_UP
}

/// Writes the file atomically; errors are the caller's to ignore.
pub fn write(
    db: &Path,
    kind: Kind,
    vv: &BTreeMap<ReplicaId, u64>,
    pairs: &[(String, String)],
) -> std::io::Result<()> {
    if pairs
        .iter()
        .any(|(i, n)| i.contains('\0') || n.contains('\0'))
    {
        return Ok(());
    }
    let file = File {
        format: FORMAT,
        vv: vv.iter().map(|(k, v)| (*k, *v)).collect(),
        ids: pairs
            .iter()
            .map(|(i, _)| i.as_str())
            .collect::<Vec<_>>()
            .join("\0"),
        names: pairs
            .iter()
            .map(|(_, n)| n.as_str())
            .collect::<Vec<_>>()
            .join("\0"),
    };
    let bytes = bincode::serde::encode_to_vec(&file, config())
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    crate::files::write_atomic(&path(db, kind), &bytes)
}

#[cfg(test)]
mod tests {
    use crate::model::{Kind, OrgType, Organization, Record};
    use crate::store::{Command, Store};

    fn add(store: &Store, name: &str) -> String {
        store
            .execute(Command::Create {
                record: Record::Org(Organization::new(name, OrgType::Community)),
            })
            .unwrap()
            .id
    }

    fn sorted(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
        v.sort();
        v
    }

    #[test]
    fn names_stay_right_through_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let a = add(&store, "保俶社区书画社");
        let b = add(&store, "宝石社区合唱团");
        let first = sorted(store.names(Kind::Org).unwrap());
        assert_eq!(first.len(), 2);
        assert!(super::path(dir.path(), Kind::Org).exists(), "cache written");
        // From the cache, unchanged.
        assert_eq!(sorted(store.names(Kind::Org).unwrap()), first);
        // Changes after the cache: rename, delete, add.
        let before = store.org(&a).unwrap().unwrap();
        let mut after = before.clone();
        after.name = "安吉路书画社".into();
        store
            .execute(Command::Update {
                id: a.clone(),
                before: Record::Org(before),
                after: Record::Org(after),
            })
            .unwrap();
        store
            .execute(Command::Delete {
                kind: Kind::Org,
                id: b,
            })
            .unwrap();
        let c = add(&store, "曙光社区太极拳队");
        let now = sorted(store.names(Kind::Org).unwrap());
        assert_eq!(
            now,
            sorted(vec![
                (a, "安吉路书画社".to_string()),
                (c, "曙光社区太极拳队".to_string())
            ])
        );
        assert_eq!(now, sorted(store.names_from_index(Kind::Org).unwrap()));
        // A damaged file is ignored.
        std::fs::write(super::path(dir.path(), Kind::Org), b"\xff\xff\xff").unwrap();
        assert_eq!(sorted(store.names(Kind::Org).unwrap()), now);
    }
}
