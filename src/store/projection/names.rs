//! `(id, name)` of every live record of a kind (`DB/cache/names-KIND.bin`),
//! so a search need not walk the whole name index (150 ms for 100,000
//! names). The body keeps the ids and the names each joined with `\0`: one
//! allocation each on load before the pairs are cut out.

use serde::{Deserialize, Serialize};

use super::{stamp, Projection};
use crate::model::{Kind, Labeled, Record};
use crate::store::{Store, StoreError};

/// The names of the records of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Names(pub Kind);

#[derive(Serialize, Deserialize)]
struct Body {
    ids: String,
    names: String,
}

impl Projection for Names {
    type Item = (String, String);
    /// 2: the shared stamp (database, digest); 3: the history digest; 4:
    /// one mechanism for every projection (the file's name in the stamp).
    const FORMAT: u32 = 4;

    fn kind(&self) -> Kind {
        self.0
    }

    fn file_name(&self) -> String {
        format!("names-{}.bin", self.0.key())
    }

    fn id<'a>(&self, item: &'a Self::Item) -> &'a str {
        &item.0
    }

    fn derive(&self, id: &str, record: Record) -> Option<Self::Item> {
        Some((id.to_string(), record.title().to_string()))
    }

    /// From the by-name index (quicker than decoding every record).
    fn full(&self, store: &Store) -> Result<Vec<Self::Item>, StoreError> {
        store.names_from_index(self.0)
    }

    /// Nothing when an id or a name holds a `\0` (the separator).
    fn encode(&self, items: &[Self::Item]) -> Option<Vec<u8>> {
        if items
            .iter()
            .any(|(i, n)| i.contains('\0') || n.contains('\0'))
        {
            return None;
        }
        let join =
            |f: fn(&(String, String)) -> &str| items.iter().map(f).collect::<Vec<_>>().join("\0");
        let body = Body {
            ids: join(|(i, _)| i),
            names: join(|(_, n)| n),
        };
        bincode::serde::encode_to_vec(&body, stamp::config()).ok()
    }

    fn decode(&self, bytes: &[u8]) -> Option<Vec<Self::Item>> {
        let (body, used): (Body, usize) =
            bincode::serde::decode_from_slice(bytes, stamp::config()).ok()?;
        if used != bytes.len() {
            return None;
        }
        if body.ids.is_empty() {
            return Some(Vec::new());
        }
        let (ids, names) = (body.ids.split('\0'), body.names.split('\0'));
        Some(
            ids.zip(names)
                .map(|(i, n)| (i.to_string(), n.to_string()))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Names;
    use crate::model::{Kind, OrgType, Organization, Record};
    use crate::store::projection::Projection;
    use crate::store::{Command, Store};

    fn path(store: &Store, kind: Kind) -> std::path::PathBuf {
        store.cache_dir().join(Names(kind).file_name())
    }

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
        assert!(path(&store, Kind::Org).exists(), "cache written");
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
        std::fs::write(path(&store, Kind::Org), b"\xff\xff\xff").unwrap();
        assert_eq!(sorted(store.names(Kind::Org).unwrap()), now);
    }
}
