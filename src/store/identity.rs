//! Which database this is. Every change is stamped with the database's
//! replica id and a counter, and other offices drop a change whose
//! `(replica, counter)` they already have. A copy of a database that goes
//! on writing under the same id would reuse counters that others already
//! hold for other content, and its new changes would be lost there for
//! good. So a database that is a copy takes a new replica id for its new
//! changes (its *former* ids stay in the log like any other office's):
//!
//! - **at open**: the database remembers the identity of its main file on
//!   disk (device and inode). A restored backup, or a copy of the folder
//!   (`cp -r`, `rsync`, a restore from tape), has another file: the
//!   database takes a new id before anything is written. Moving a database
//!   within one file system keeps the file and the id; moving it to another
//!   disk gives it a new id, which costs nothing but a line in `sync status`.
//! - **at import**: a bundle that knows more of this database's own changes
//!   than this database has (a restore that kept the file, such as a
//!   file-system snapshot rolled back) marks the database to take a new id
//!   when it is next opened, and the import says so.
//!
//! See `docs/SYNC.md` ("Restored databases") and `docs/SECURITY.md`.

use std::path::Path;

use super::api::{ReplicaId, StoreError};
use super::db::storage;
use super::{ids, keys, META_OFFICE, META_REPLICA};

/// Device and inode of the database's main file, when last opened.
const META_HOME: &str = "home";
/// Replica ids this database used before (16 bytes each).
pub(super) const META_FORMER: &str = "former";
/// Set by an import that found this database behind its own history.
pub(super) const META_FORK: &str = "fork";

/// Why a database took a new replica id at open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fork {
    /// Its files are not the ones it was last opened from: a copy or a
    /// restored backup.
    Copied,
    /// An import found that another office has more of this database's own
    /// changes than it has: restored from an older state.
    Behind,
}

/// The file whose identity tells a database from its copies: sled's main
/// file, written in place and never replaced.
fn home_of(path: &Path) -> Option<[u8; 16]> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path.join("db")).ok()?;
        let mut out = [0u8; 16];
        out[..8].copy_from_slice(&m.dev().to_be_bytes());
        out[8..].copy_from_slice(&m.ino().to_be_bytes());
        Some(out)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Checks that the database at `path` (already open as `db`, with replica
/// id `replica`) is where it was; takes a new replica id if it is a copy or
/// was marked behind. Returns the replica id to use and the fork made.
pub(super) fn check(
    db: &sled::Db,
    path: &Path,
    replica: ReplicaId,
) -> Result<(ReplicaId, Option<Fork>), StoreError> {
    let home = home_of(path);
    let stored = db.get(keys::meta(META_HOME)).map_err(storage)?;
    let pending = db.get(keys::meta(META_FORK)).map_err(storage)?.is_some();
    let copied = matches!((&stored, home), (Some(s), Some(h)) if s.as_ref() != h);
    let fork = if pending {
        Some(Fork::Behind)
    } else if copied {
        Some(Fork::Copied)
    } else {
        None
    };
    let Some(fork) = fork else {
        if stored.is_none() {
            if let Some(h) = home {
                // First open by a version that knows about copies.
                db.insert(keys::meta(META_HOME), &h).map_err(storage)?;
                db.flush().map_err(storage)?;
            }
        }
        return Ok((replica, None));
    };
    let new = ids::new_replica().map_err(StoreError::Storage)?;
    let mut former = db
        .get(keys::meta(META_FORMER))
        .map_err(storage)?
        .map(|v| v.to_vec())
        .unwrap_or_default();
    former.extend_from_slice(&replica);
    let office = db.get(keys::meta(META_OFFICE)).map_err(storage)?;
    let mut batch = sled::Batch::default();
    batch.insert(keys::meta(META_REPLICA), &new);
    batch.insert(keys::meta(META_FORMER), former);
    batch.remove(keys::meta(META_FORK));
    if let Some(h) = home {
        batch.insert(keys::meta(META_HOME), &h);
    }
    if let Some(office) = office {
        batch.insert(keys::origin_key(keys::OFFICE, &new), office);
    }
    db.apply_batch(batch).map_err(storage)?;
    db.flush().map_err(storage)?;
    Ok((new, Some(fork)))
}

/// The replica ids this database used before, oldest first.
pub(super) fn former(db: &sled::Db) -> Result<Vec<ReplicaId>, StoreError> {
    Ok(db
        .get(keys::meta(META_FORMER))
        .map_err(storage)?
        .map(|v| {
            v.chunks_exact(16)
                .filter_map(|c| c.try_into().ok())
                .collect()
        })
        .unwrap_or_default())
}
