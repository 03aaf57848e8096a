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

/// A failed write as a store error: a full disk (or a full quota) says
/// so, naming the database; anything else is [`StoreError::Storage`].
pub fn write_error(dir: &Path, e: sled::Error) -> StoreError {
    match e {
        sled::Error::Io(io) => io_error(dir, io),
        e => StoreError::Storage(format!("{}: {e}", dir.display())),
    }
}

/// An I/O error on the database folder as a store error, a full disk
/// told apart.
pub fn io_error(dir: &Path, e: std::io::Error) -> StoreError {
    if is_full(&e) {
        StoreError::DiskFull {
            path: dir.to_path_buf(),
        }
    } else {
        StoreError::Storage(format!("{}: {e}", dir.display()))
    }
}

/// No space left on the device, or the user's quota is used up.
fn is_full(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    ) || matches!(e.raw_os_error(), Some(libc::ENOSPC) | Some(libc::EDQUOT))
}

fn is_disk_full(e: &sled::Error) -> bool {
    matches!(e, sled::Error::Io(io) if is_full(io))
}

/// The file sled keeps its log in; a database directory without it holds
/// no database (sled creates it at first open).
const DATA_FILE: &str = "db";

/// Whether `dir` holds a database.
pub fn exists(dir: &Path) -> bool {
    dir.join(DATA_FILE).is_file()
}

/// Why sled could not open a database.
pub enum OpenError {
    /// Another process (or handle) holds the database's file lock.
    Locked,
    /// The disk (or quota) is full: sled writes while it opens.
    DiskFull,
    /// sled found damaged data (the detail is sled's).
    Damaged(String),
    Other(String),
}

/// How long an open waits for a lock that is being let go: sled releases
/// its file lock from a background thread a moment after the last handle
/// is dropped, so a command run right after another (a script, or the app
/// just closed) would otherwise find the database "in use".
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_millis(500);

/// Opens (creating if needed) the sled database in `dir`, waiting up to
/// [`LOCK_WAIT`] for a lock being released. What an interrupted snapshot
/// left behind is removed first (see [`remove_unfinished_snapshots`]).
pub fn open(dir: &Path) -> Result<sled::Db, OpenError> {
    let start = std::time::Instant::now();
    loop {
        let opened = remove_unfinished_snapshots(dir)
            .map_err(|e| OpenError::Other(e.to_string()))
            .and_then(|_| open_once(dir));
        match opened {
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
            } else if is_disk_full(&e) {
                OpenError::DiskFull
            } else if matches!(e, sled::Error::Corruption { .. }) {
                OpenError::Damaged(e.to_string())
            } else {
                OpenError::Other(e.to_string())
            }
        })
}

/// Removes the snapshots sled started and did not finish; returns how many.
///
/// sled 0.34.7 writes a snapshot of its page table (at every open that
/// finds the log grown, `pagecache/snapshot.rs`) to `snap.N.generating`,
/// syncs it and only then renames it `snap.N`; older snapshots are removed
/// after the rename. A `.generating` file is therefore always an unfinished
/// snapshot (the disk filled up, the process was killed), and the previous
/// snapshot and the log still hold everything. But sled takes the
/// `.generating` file for the newest snapshot and refuses to open ("Read
/// corrupted data") for good, reads included. Removing it lets sled start
/// from the previous snapshot and the log, as if it had never begun.
///
/// Only done while holding sled's own lock on the data file (the same
/// `flock`), so a snapshot another process is writing right now is never
/// touched; when the lock is held the database is in use and sled's open
/// says so.
fn remove_unfinished_snapshots(dir: &Path) -> std::io::Result<usize> {
    let Ok(data) = std::fs::File::open(dir.join(DATA_FILE)) else {
        // No database yet (or not ours to read): sled's open says why.
        return Ok(0);
    };
    if !try_lock(&data) {
        return Ok(0);
    }
    let mut removed = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            std::fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    if removed > 0 {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    // Closing `data` lets the lock go.
    Ok(removed)
}

/// Takes sled's lock on its data file (an exclusive `flock`, as fs2 takes
/// it), without waiting; false when another holds it.
#[cfg(unix)]
fn try_lock(file: &std::fs::File) -> bool {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on a file descriptor we own; released when it closes.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

#[cfg(not(unix))]
fn try_lock(_file: &std::fs::File) -> bool {
    false
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

    /// Applies every pending write atomically (sled's error as it is, for
    /// [`write_error`]).
    pub fn commit(self) -> sled::Result<()> {
        let mut batch = sled::Batch::default();
        for (k, w) in self.writes {
            match w {
                Some(v) => batch.insert(k, v),
                None => batch.remove(k),
            }
        }
        self.base.apply_batch(batch)
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

    fn write_and_close(dir: &Path) {
        let db = match open(dir) {
            Ok(db) => db,
            Err(_) => panic!("open"),
        };
        db.insert(b"kept", b"yes".to_vec()).unwrap();
        db.flush().unwrap();
    }

    /// Issue [1/6] 1: the disk filled while sled wrote a snapshot at open,
    /// leaving an empty `snap.N.generating`; sled then refused every open.
    #[test]
    fn an_unfinished_snapshot_is_removed_at_open() {
        let dir = tempfile::tempdir().unwrap();
        write_and_close(dir.path());
        // Reopened after a write: sled writes a snapshot at open.
        write_and_close(dir.path());
        let leftover = dir.path().join("snap.7FFFFFFFFFFFFFFF.generating");
        std::fs::write(&leftover, b"").unwrap();
        // sled alone no longer opens it: the fault is real.
        let start = std::time::Instant::now();
        loop {
            match sled::Config::new().path(dir.path()).open() {
                Err(sled::Error::Corruption { .. }) => break,
                Err(e) if is_lock_error(&e) && start.elapsed().as_secs() < 5 => {
                    std::thread::sleep(LOCK_WAIT)
                }
                Err(e) => panic!("expected corruption, got {e}"),
                Ok(_) => panic!("sled opened a database with an unfinished snapshot"),
            }
        }
        let db = match open(dir.path()) {
            Ok(db) => db,
            Err(OpenError::Damaged(e) | OpenError::Other(e)) => panic!("not recovered: {e}"),
            Err(_) => panic!("not recovered"),
        };
        assert_eq!(db.get(b"kept").unwrap().unwrap().as_ref(), b"yes");
        assert!(!leftover.exists());
    }

    /// A snapshot being written by the process that has the database open
    /// is not touched.
    #[test]
    fn a_snapshot_of_a_database_in_use_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let _held = match open(dir.path()) {
            Ok(db) => db,
            Err(_) => panic!("open"),
        };
        let in_progress = dir.path().join("snap.0000000000000001.generating");
        std::fs::write(&in_progress, b"").unwrap();
        assert_eq!(remove_unfinished_snapshots(dir.path()).unwrap(), 0);
        assert!(in_progress.exists());
        assert!(matches!(open(dir.path()), Err(OpenError::Locked)));
        assert!(in_progress.exists());
    }

    #[test]
    fn a_full_disk_is_told_apart() {
        let full = sled::Error::Io(std::io::Error::from_raw_os_error(libc::ENOSPC));
        let e = write_error(Path::new("/mnt/db"), full);
        assert_eq!(
            e,
            StoreError::DiskFull {
                path: "/mnt/db".into()
            }
        );
        let other = sled::Error::Io(std::io::Error::from_raw_os_error(libc::EIO));
        assert!(matches!(
            write_error(Path::new("/mnt/db"), other),
            StoreError::Storage(m) if m.contains("/mnt/db")
        ));
    }
}
