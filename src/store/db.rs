//! sled, behind the store's own interface: opening with our settings, and a
//! write overlay that gathers every write of a command (or a batch of
//! commands) so that reads during the command see them, and that is applied
//! as one atomic sled batch (sled recovers a batch entirely or not at all).
//!
//! Only one overlay is written at a time (the store's writer lock), so
//! reading the tree, deciding, and writing the batch is serialisable.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::path::Path;

use super::api::StoreError;

/// sled's page cache: tens of MiB, not its 1 GiB default (shared servers
/// host many users).
pub const CACHE_BYTES: u64 = 32 * 1024 * 1024;

/// A storage failure as a store error.
pub fn storage(e: impl std::fmt::Display) -> StoreError {
    StoreError::Storage(e.to_string())
}

/// Why sled could not open a database.
pub enum OpenError {
    /// Another process (or handle) holds the database's file lock.
    Locked,
    Other(String),
}

/// How long an open waits for a lock that is being let go: sled releases
/// its file lock from a background thread a moment after the last handle
/// is dropped, so a command run right after another (a script, or the app
/// just closed) would otherwise find the database "in use".
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_millis(500);

/// Opens (creating if needed) the sled database in `dir`, waiting up to
/// [`LOCK_WAIT`] for a lock being released.
pub fn open(dir: &Path) -> Result<sled::Db, OpenError> {
    let start = std::time::Instant::now();
    loop {
        match open_once(dir) {
            Err(OpenError::Locked) if start.elapsed() < LOCK_WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            other => return other,
        }
    }
}

fn open_once(dir: &Path) -> Result<sled::Db, OpenError> {
    sled::Config::new()
        .path(dir)
        .cache_capacity(CACHE_BYTES)
        .mode(sled::Mode::HighThroughput)
        .open()
        .map_err(|e| {
            if is_lock_error(&e) {
                OpenError::Locked
            } else {
                OpenError::Other(e.to_string())
            }
        })
}

/// sled reports a held lock as an I/O error "could not acquire lock on ...";
/// the underlying error is EWOULDBLOCK.
fn is_lock_error(e: &sled::Error) -> bool {
    match e {
        sled::Error::Io(io) => {
            io.kind() == std::io::ErrorKind::WouldBlock
                || io.to_string().contains("could not acquire lock")
                || io.raw_os_error() == Some(libc::EWOULDBLOCK)
        }
        _ => false,
    }
}

/// A key and its value.
pub type Entry = (Vec<u8>, Vec<u8>);

/// Pending writes over a tree.
pub struct Overlay<'a> {
    base: &'a sled::Tree,
    writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
}

impl<'a> Overlay<'a> {
    pub fn new(base: &'a sled::Tree) -> Self {
        Overlay {
            base,
            writes: BTreeMap::new(),
        }
    }

    /// Nothing to write.
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }

    pub fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        if let Some(w) = self.writes.get(key) {
            return Ok(w.clone());
        }
        Ok(self.base.get(key).map_err(storage)?.map(|v| v.to_vec()))
    }

    pub fn put(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.writes.insert(key, Some(value));
    }

    pub fn del(&mut self, key: Vec<u8>) {
        self.writes.insert(key, None);
    }

    /// Every key with `prefix`, in order, pending writes included.
    pub fn scan(&self, prefix: &[u8]) -> Result<Vec<Entry>, StoreError> {
        if self.pending(prefix).next().is_none() {
            return self
                .base
                .scan_prefix(prefix)
                .map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())).map_err(storage))
                .collect();
        }
        let mut out: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        for kv in self.base.scan_prefix(prefix) {
            let (k, v) = kv.map_err(storage)?;
            out.insert(k.to_vec(), v.to_vec());
        }
        for (k, w) in self.pending(prefix) {
            match w {
                Some(v) => {
                    out.insert(k.clone(), v.clone());
                }
                None => {
                    out.remove(k);
                }
            }
        }
        Ok(out.into_iter().collect())
    }

    /// The keys (without values) with `prefix`.
    pub fn scan_keys(&self, prefix: &[u8]) -> Result<Vec<Vec<u8>>, StoreError> {
        Ok(self.scan(prefix)?.into_iter().map(|(k, _)| k).collect())
    }

    fn pending<'s>(
        &'s self,
        prefix: &'s [u8],
    ) -> impl Iterator<Item = (&'s Vec<u8>, &'s Option<Vec<u8>>)> + 's {
        self.writes
            .range::<[u8], _>((Bound::Included(prefix), Bound::Unbounded))
            .take_while(move |(k, _)| k.starts_with(prefix))
    }

    /// The greatest key `<= key` that starts with `prefix`, and its value.
    pub fn last_at_or_before(
        &self,
        key: &[u8],
        prefix: &[u8],
    ) -> Result<Option<Entry>, StoreError> {
        let mut from_base = None;
        for kv in self
            .base
            .range::<&[u8], _>((Bound::Included(prefix), Bound::Included(key)))
            .rev()
        {
            let (k, v) = kv.map_err(storage)?;
            match self.writes.get(k.as_ref()) {
                Some(None) => continue,
                Some(Some(w)) => from_base = Some((k.to_vec(), w.clone())),
                None => from_base = Some((k.to_vec(), v.to_vec())),
            }
            break;
        }
        let from_writes = self
            .writes
            .range::<[u8], _>((Bound::Included(prefix), Bound::Included(key)))
            .rev()
            .find_map(|(k, w)| w.as_ref().map(|v| (k.clone(), v.clone())));
        Ok(match (from_base, from_writes) {
            (Some(a), Some(b)) => Some(if a.0 >= b.0 { a } else { b }),
            (a, b) => a.or(b),
        })
    }

    /// Applies every pending write atomically.
    pub fn commit(self) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        for (k, w) in self.writes {
            match w {
                Some(v) => batch.insert(k, v),
                None => batch.remove(k),
            }
        }
        self.base.apply_batch(batch).map_err(storage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_reads_its_writes() {
        let dir = tempfile::tempdir().unwrap();
        let db = match open(dir.path()) {
            Ok(db) => db,
            Err(_) => panic!("open"),
        };
        db.insert(b"a1", b"x".to_vec()).unwrap();
        db.insert(b"a2", b"y".to_vec()).unwrap();
        db.insert(b"a4", b"w".to_vec()).unwrap();
        db.insert(b"b1", b"z".to_vec()).unwrap();
        let mut o = Overlay::new(&db);
        o.del(b"a2".to_vec());
        o.put(b"a3".to_vec(), b"new".to_vec());
        assert_eq!(o.get(b"a2").unwrap(), None);
        assert_eq!(o.get(b"a3").unwrap(), Some(b"new".to_vec()));
        let keys = o.scan_keys(b"a").unwrap();
        assert_eq!(keys, vec![b"a1".to_vec(), b"a3".to_vec(), b"a4".to_vec()]);
        assert_eq!(
            o.last_at_or_before(b"a2\xff", b"a").unwrap().map(|kv| kv.0),
            Some(b"a1".to_vec())
        );
        assert_eq!(
            o.last_at_or_before(b"a3\xff", b"a").unwrap().map(|kv| kv.0),
            Some(b"a3".to_vec())
        );
        assert_eq!(o.last_at_or_before(b"a0", b"a").unwrap(), None);
        // Nothing reached the tree yet.
        assert_eq!(db.get(b"a3").unwrap(), None);
        o.commit().unwrap();
        assert_eq!(db.get(b"a3").unwrap().unwrap().as_ref(), b"new");
        assert_eq!(db.get(b"a2").unwrap(), None);
    }

    #[test]
    fn second_open_is_locked() {
        let dir = tempfile::tempdir().unwrap();
        let _first = match open(dir.path()) {
            Ok(db) => db,
            Err(_) => panic!("open"),
        };
        assert!(matches!(open(dir.path()), Err(OpenError::Locked)));
    }
}
