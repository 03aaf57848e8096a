//! A file beside the database holding `(id, name)` of every live record of
//! a kind, so a search need not walk the whole name index (sled iterates at
//! 1.5-2 µs a key: 150 ms for 100,000 names). Stamped, checked and caught
//! up like the records cache (see `records_cache`, which has the shared
//! part); anything unusable means the index is read instead.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::records_cache::{read_stamped, write_stamped, Basis};
use crate::model::{Kind, Labeled};

/// 2: the shared stamp (database, digest); 3: the history digest.
const FORMAT: u32 = 3;

#[derive(Serialize, Deserialize)]
struct Body {
    /// Ids and names, each joined with `\0` (one allocation each on load).
    ids: String,
    names: String,
}

pub fn path(db: &Path, kind: Kind) -> PathBuf {
    super::cache_dir(db).join(format!("names-{}.bin", kind.key()))
}

/// The cached names and the vector they reflect, if the file is usable.
pub fn read(db: &Path, kind: Kind) -> Option<(Basis, Vec<(String, String)>)> {
    let (basis, body): (Basis, Body) = read_stamped(&path(db, kind), FORMAT)?;
    let pairs: Vec<(String, String)> = if body.ids.is_empty() {
        Vec::new()
    } else {
        let (ids, names) = (body.ids.split('\0'), body.names.split('\0'));
        ids.zip(names)
            .map(|(i, n)| (i.to_string(), n.to_string()))
            .collect()
    };
    Some((basis, pairs))
}

/// Writes the file atomically; errors are the caller's to ignore.
pub fn write(
    db: &Path,
    kind: Kind,
    basis: &Basis,
    pairs: &[(String, String)],
) -> std::io::Result<()> {
    if pairs
        .iter()
        .any(|(i, n)| i.contains('\0') || n.contains('\0'))
    {
        return Ok(());
    }
    let join =
        |f: fn(&(String, String)) -> &str| pairs.iter().map(f).collect::<Vec<_>>().join("\0");
    let body = Body {
        ids: join(|(i, _)| i),
        names: join(|(_, n)| n),
    };
    write_stamped(&path(db, kind), FORMAT, basis, &body)
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
