//! The store: the only thing that writes. Commands become operations in a
//! change log, in the same atomic batch as the state they produce, flushed
//! to disk before a save is reported.
//!
//! - Each record is kept as a per-field last-writer-wins map ([`fields`]
//!   flattens any record type to field paths); concurrent values are kept as
//!   conflicts, never dropped (`state.rs`).
//! - Local and remote operations share one merge path, so every office that
//!   has the same operations has the same records, whatever the order.
//! - The materialised records (bincode) and the indexes (by grid, credit
//!   code, name, parent place) are kept in step in the same batch.
//! - sled stays behind this module: `db.rs` and `keys.rs` are the only files
//!   that know about it.
//!
//! See `docs/ARCHITECTURE.md` and `../shared/DESIGN.md` section 2.

pub mod access;
mod api;
mod center;
mod clock;
mod commands;
mod db;
mod dup;
pub mod fields;
mod filing;
mod history;
mod identity;
mod ids;
mod incubation;
mod indexes;
mod keys;
mod lead;
mod lenient;
mod linkage;
mod lock;
mod message;
mod migrate;
mod notice;
mod ops;
mod party;
mod peers;
mod projection;
mod records;
mod remote;
pub mod session;
mod similar;
mod state;
mod training;
mod tx;
mod venture;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, RwLock};

pub use api::*;
pub use clock::{hlc_local, hlc_time};
pub use history::History;
pub use identity::Fork;
pub use ids::replica_tag;
pub use notice::{Changed, Notice};
pub use peers::{PeerInfo, PeerUpdate, UnfinishedImport, APPLY_CHUNK};
pub use projection::{Basis, Derived, Names, Projected, Projection, Records, Vector};
pub use remote::{hex, hex as replica_hex};

use db::{storage, Overlay};
use keys::{BY_CREDIT, BY_GRID, CONFLICT, GONE, LIVE, OFFICE, OPS, STATE, VV};
use state::RecordState;
use tx::{Tx, Writer, WriterState};

use crate::model::{Kind, Labeled, Organization, Place, Record, Rule, ValidationErrors};

/// The schema version this program writes. A database of a newer one is
/// refused; an older one would be migrated at open.
pub const SCHEMA: u32 = 5;

const META_SCHEMA: &str = "schema";
const META_REPLICA: &str = "replica";
const META_OFFICE: &str = "office";
const META_NETWORK: &str = "network";
const META_HLC: &str = "hlc";
const META_SEQ: &str = "seq";

/// Meta key of the number of live records of a kind.
fn count_meta(kind: Kind) -> String {
    format!("count/{}", kind.key())
}

/// From this many organizations on, `orgs()` reads on another thread.
const PARALLEL_FROM: usize = 4096;
/// Organizations per batch handed from the reader to the decoder.
const DECODE_BATCH: usize = 1024;
/// Batches the reader may be ahead.
const READ_AHEAD: usize = 4;

/// Office name of a new database when none is given and the host has no name.
const DEFAULT_OFFICE: &str = "本地";

/// Options for [`Store::open_with`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenOptions {
    /// Office name of a new database (default: the host name, else 本地).
    /// Ignored when the database exists; see [`Store::set_office`].
    pub office: Option<String>,
}

/// A sanshe database. `Send + Sync`: share it by reference or `Arc`.
pub struct Store {
    db: sled::Db,
    path: PathBuf,
    replica: ReplicaId,
    tag: String,
    author: String,
    writer: Mutex<WriterState>,
    office: RwLock<String>,
    network: RwLock<Option<String>>,
    /// Live records per kind (`Kind::ALL` order).
    counts: Vec<AtomicU64>,
    pid: u32,
    /// Remote operations per transaction of a long import (see
    /// [`APPLY_CHUNK`]); tests set it smaller.
    apply_chunk: std::sync::atomic::AtomicUsize,
    /// The new replica id this database took at open, and why.
    fork: Option<Fork>,
    /// See [`Store::set_check_remote`].
    check_remote: std::sync::atomic::AtomicBool,
    /// See [`Store::is_broken`].
    broken: std::sync::atomic::AtomicBool,
    /// Changes committed since the last [`Store::take_notice`]; `None`
    /// until [`Store::watch`].
    journal: Mutex<Option<notice::Journal>>,
    /// Commits so far (this process): what [`Store::memo`] keys on.
    generation: AtomicU64,
    /// See [`Store::memo`]; `None` unless [`Store::keep_in_memory`].
    memo: Mutex<Option<Memo>>,
}

/// What a long-lived holder of the store (the server) keeps of repeated
/// reads: per key, the generation it was built at and the value.
type Memo = HashMap<String, MemoEntry>;

struct MemoEntry {
    generation: u64,
    used: std::time::Instant,
    value: std::sync::Arc<dyn std::any::Any + Send + Sync>,
}

/// The cache folder of the database at `db` (see [`Store::cache_dir`]).
pub fn cache_dir(db: &Path) -> PathBuf {
    db.join("cache")
}

fn be_u64(b: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(b.get(..8)?.try_into().ok()?))
}

fn be_u32(b: &[u8]) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(..4)?.try_into().ok()?))
}

fn meta_get(db: &sled::Db, name: &str) -> Result<Option<sled::IVec>, StoreError> {
    db.get(keys::meta(name)).map_err(storage)
}

fn text(b: Option<sled::IVec>) -> Option<String> {
    b.and_then(|v| String::from_utf8(v.to_vec()).ok())
}

impl Store {
    /// Opens the database in `dir`, creating the directory and a new
    /// database if needed.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Store::open_with(dir, OpenOptions::default())
    }

    /// Whether `dir` holds a database (else opening it creates one).
    pub fn exists(dir: &Path) -> bool {
        db::exists(dir)
    }

    /// Opens the database in `dir` if there is one; else
    /// [`StoreError::NoDatabase`], and nothing is created.
    pub fn open_existing(dir: &Path, options: OpenOptions) -> Result<Store, StoreError> {
        if !db::exists(dir) {
            return Err(StoreError::NoDatabase {
                path: dir.to_path_buf(),
            });
        }
        Store::open_with(dir, options)
    }

    /// Opens the database in `dir` with options, creating it if needed:
    /// the folders created are private to the user (mode 0700), which
    /// keeps sled's files, whatever their mode, from other users.
    pub fn open_with(dir: &Path, options: OpenOptions) -> Result<Store, StoreError> {
        crate::files::create_private_dir(dir).map_err(|e| db::io_error(dir, e))?;
        let path = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let db = match db::open(&path) {
            Ok(db) => db,
            Err(db::OpenError::Locked) => {
                return Err(StoreError::InUse {
                    holder: lock::read_holder(&path),
                    path,
                })
            }
            Err(db::OpenError::DiskFull) => return Err(StoreError::DiskFull { path }),
            Err(db::OpenError::Damaged(detail)) => {
                return Err(StoreError::Damaged { path, detail })
            }
            Err(db::OpenError::Other(m)) => {
                return Err(StoreError::Storage(format!("{}: {m}", path.display())))
            }
        };
        let schema = match meta_get(&db, META_SCHEMA)? {
            Some(b) => be_u32(&b).ok_or_else(|| storage("bad schema version"))?,
            None => {
                if db.iter().next().is_some() {
                    return Err(StoreError::Storage(format!(
                        "{}: not a sanshe database",
                        path.display()
                    )));
                }
                init(&db, &path, &options)?;
                SCHEMA
            }
        };
        if schema > SCHEMA {
            return Err(StoreError::NewerSchema {
                found: schema,
                supported: SCHEMA,
            });
        }
        if schema == 0 {
            return Err(storage("bad schema version 0"));
        }
        if schema < SCHEMA {
            migrate::to_current(&db, &path)?;
        }
        let replica: ReplicaId = meta_get(&db, META_REPLICA)?
            .and_then(|b| b.as_ref().try_into().ok())
            .ok_or_else(|| storage("database without a replica id"))?;
        let (replica, fork) = identity::check(&db, &path, replica)?;
        let office = text(meta_get(&db, META_OFFICE)?).unwrap_or_else(|| DEFAULT_OFFICE.into());
        let network = text(meta_get(&db, META_NETWORK)?);
        let hlc = meta_get(&db, META_HLC)?
            .and_then(|b| be_u64(&b))
            .unwrap_or(0);
        let seq = meta_get(&db, META_SEQ)?
            .and_then(|b| be_u64(&b))
            .unwrap_or(0);
        let counter = db
            .get(keys::origin_key(VV, &replica))
            .map_err(storage)?
            .and_then(|b| be_u64(&b))
            .unwrap_or(0);
        let history = match meta_get(&db, history::META_HISTORY)?
            .and_then(|b| history::History::from_bytes(&b))
        {
            Some(h) => h,
            None => {
                // Written before the digest was kept: computed once.
                let h = history::History::of_log(&db)?;
                db.insert(keys::meta(history::META_HISTORY), &h.0[..])
                    .map_err(|e| db::write_error(&path, e))?;
                h
            }
        };
        let mut counts = Vec::with_capacity(Kind::ALL.len());
        for kind in Kind::ALL {
            let n = meta_get(&db, &count_meta(*kind))?
                .and_then(|b| be_u64(&b))
                .unwrap_or(0);
            counts.push(AtomicU64::new(n));
        }
        let author = clock::os_user();
        let pid = std::process::id();
        lock::write_holder(&path, &lock::this_process(&author));
        Ok(Store {
            db,
            tag: ids::replica_tag(&replica),
            path,
            replica,
            author,
            writer: Mutex::new(WriterState {
                w: Writer {
                    clock: clock::Clock { last: hlc },
                    seq,
                    counter,
                    history,
                },
                dup: Default::default(),
            }),
            office: RwLock::new(office),
            network: RwLock::new(network),
            counts,
            pid,
            apply_chunk: std::sync::atomic::AtomicUsize::new(APPLY_CHUNK),
            fork,
            check_remote: std::sync::atomic::AtomicBool::new(true),
            broken: std::sync::atomic::AtomicBool::new(false),
            journal: Mutex::new(None),
            generation: AtomicU64::new(0),
            memo: Mutex::new(None),
        })
    }

    fn writer(&self) -> MutexGuard<'_, WriterState> {
        // The writer's state changes only after a successful commit (and the
        // cache is taken out during a transaction), so it is consistent even
        // if a thread panicked while holding it.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs one command; flushed to disk before it returns `Ok`.
    pub fn execute(&self, cmd: Command) -> Result<Outcome, StoreError> {
        self.execute_all(vec![cmd])?
            .pop()
            .ok_or_else(|| storage("no outcome"))
    }

    /// Runs commands all or nothing: one atomic batch, one flush. A later
    /// command sees the earlier ones (a place created first can be the grid
    /// of an organization after it). The first command that fails stops the
    /// batch with its error and nothing is written.
    ///
    /// sled keeps every intermediate page of a batch in memory until the
    /// batch ends (about 24 KB per new organization): split bulk loads into
    /// batches of about 1,000 commands unless they must be atomic as a whole
    /// (1,000 per batch loads 100,000 organizations as fast as 10,000 per
    /// batch, in a third of the memory).
    pub fn execute_all(&self, cmds: Vec<Command>) -> Result<Vec<Outcome>, StoreError> {
        self.execute_all_by(None, cmds)
    }

    /// [`execute_all`](Self::execute_all) on behalf of another user: the
    /// operations name `author` (a server's client, from the kernel's word
    /// on its socket), not this process's user.
    pub fn execute_all_as(
        &self,
        author: &str,
        cmds: Vec<Command>,
    ) -> Result<Vec<Outcome>, StoreError> {
        self.execute_all_by(Some(author.to_string()), cmds)
    }

    fn execute_all_by(
        &self,
        author: Option<String>,
        cmds: Vec<Command>,
    ) -> Result<Vec<Outcome>, StoreError> {
        let mut ws = self.writer();
        let mut tx = Tx::new(self, &mut ws);
        tx.author = author;
        let mut out = Vec::with_capacity(cmds.len());
        for cmd in cmds {
            out.push(tx.command(cmd)?);
        }
        tx.commit(&mut ws)?;
        Ok(out)
    }

    /// Every check of [`execute`](Self::execute), without writing: the
    /// error it would return, or the warnings (possible duplicates).
    pub fn check(&self, cmd: &Command) -> Result<Vec<Warning>, StoreError> {
        let mut ws = self.writer();
        let mut tx = Tx::new(self, &mut ws);
        tx.dry_run = true;
        let result = tx.command(cmd.clone());
        // The rules only read: what was read for the duplicate check stays
        // for the save that usually follows.
        tx.release(&mut ws);
        Ok(result?.warnings)
    }

    /// Takes in operations from another database (sync): duplicates are
    /// skipped, the rest merged like local ones; one batch, one flush.
    pub fn apply_remote(&self, ops: Vec<Op>) -> Result<ApplyReport, StoreError> {
        let mut ws = self.writer();
        let mut tx = Tx::new(self, &mut ws);
        let report = tx.apply_remote(ops)?;
        tx.commit(&mut ws)?;
        Ok(report)
    }

    // ---- queries ----

    /// A live record.
    pub fn get(&self, kind: Kind, id: &str) -> Result<Option<Record>, StoreError> {
        match self.db.get(keys::record(LIVE, kind, id)).map_err(storage)? {
            Some(b) => Ok(Some(records::decode(kind, &b)?)),
            None => Ok(None),
        }
    }

    /// A deleted record (restorable with `Command::Restore`).
    pub fn get_deleted(&self, kind: Kind, id: &str) -> Result<Option<Record>, StoreError> {
        match self.db.get(keys::record(GONE, kind, id)).map_err(storage)? {
            Some(b) => Ok(Some(records::decode(kind, &b)?)),
            None => Ok(None),
        }
    }

    /// A live organization.
    pub fn org(&self, id: &str) -> Result<Option<Organization>, StoreError> {
        match self
            .db
            .get(keys::record(LIVE, Kind::Org, id))
            .map_err(storage)?
        {
            Some(b) => Ok(Some(records::decode_org(&b)?)),
            None => Ok(None),
        }
    }

    /// `(id, name)` of every live record of a kind, in no particular order:
    /// what a search needs. Through the [`Names`] projection: a file beside
    /// the database caught up from the change log, else the by-name index.
    pub fn names(&self, kind: Kind) -> Result<Vec<(String, String)>, StoreError> {
        self.projected(&Names(kind))
    }

    /// [`orgs`](Self::orgs), kept in memory until the next commit by a
    /// store that keeps things in memory (the server).
    pub fn orgs_shared(&self) -> Result<std::sync::Arc<Vec<(String, Organization)>>, StoreError> {
        self.memo("orgs", || self.orgs())
    }

    /// [`names`](Self::names), kept in memory until the next commit by a
    /// store that keeps things in memory (the server).
    pub fn names_shared(
        &self,
        kind: Kind,
    ) -> Result<std::sync::Arc<Vec<(String, String)>>, StoreError> {
        self.memo(&format!("names:{}", kind.key()), || self.names(kind))
    }

    /// Every live record of a kind with its id, in id order: the same as
    /// [`all`](Self::all), through the [`Records`] projection (a file
    /// beside the database caught up from the change log). For reads of
    /// every record of a large kind (the reports); a few records are
    /// quicker through `all`.
    pub fn all_cached(&self, kind: Kind) -> Result<Vec<(String, Record)>, StoreError> {
        self.projected(&Records(kind))
    }

    /// The folder of the files derived from this database (the
    /// projections): `DB/cache/`. Anything in it can be deleted at any time.
    pub fn cache_dir(&self) -> PathBuf {
        cache_dir(&self.path)
    }

    /// What a cache made now reflects: this database and its history up to
    /// its current version vector.
    pub fn basis(&self) -> Result<Basis, StoreError> {
        self.basis_at(self.version_vector()?)
    }

    fn basis_at(&self, vv: Vector) -> Result<Basis, StoreError> {
        Ok(Basis {
            replica: self.replica,
            history: self.history_upto(&vv)?,
            vv,
        })
    }

    /// Whether a cache made on `basis` reflects an earlier state of this
    /// very database: its replica id, and the same history up to the
    /// cache's vector (which this database has reached). A cache that
    /// fails this is not used (nor trusted for a catch-up).
    pub fn basis_holds(&self, basis: &Basis) -> Result<bool, StoreError> {
        let now = self.version_vector()?;
        if basis.replica != self.replica
            || basis
                .vv
                .iter()
                .any(|(o, n)| now.get(o).is_none_or(|m| m < n))
        {
            return Ok(false);
        }
        Ok(self.history_upto(&basis.vv)? == basis.history)
    }

    /// Ids of the records of `kind` touched by operations stored since a
    /// cache reflected `then` (some may be unchanged), and how many
    /// operations that read; `None` when `then` is not an earlier state of
    /// this database or too much changed.
    ///
    /// Every operation stored since has a counter above `then`'s for its
    /// origin (all up to it were stored). The vector alone cannot tell
    /// whether any came: operations after a gap are applied without moving
    /// it, so every origin's log past `then` is read.
    pub fn changed_since(
        &self,
        kind: Kind,
        then: &BTreeMap<ReplicaId, u64>,
        now: &BTreeMap<ReplicaId, u64>,
    ) -> Result<Option<(std::collections::HashSet<String>, usize)>, StoreError> {
        if then.iter().any(|(o, n)| now.get(o).is_none_or(|m| m < n)) {
            return Ok(None);
        }
        let mut ids = std::collections::HashSet::new();
        let mut read = 0;
        for origin in self.origins()? {
            let after = then.get(&origin).copied().unwrap_or(0);
            let mut too_many = false;
            self.each_op_since(&origin, after, u64::MAX, &mut |op| {
                read += 1;
                if op.kind == kind {
                    ids.insert(op.id);
                    too_many = ids.len() > projection::MAX_CATCH_UP;
                }
                if too_many {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            })?;
            if too_many {
                return Ok(None);
            }
        }
        Ok(Some((ids, read)))
    }

    /// `(id, name)` of every live record of a kind from the by-name index.
    fn names_from_index(&self, kind: Kind) -> Result<Vec<(String, String)>, StoreError> {
        let prefix = keys::kind_prefix(keys::BY_NAME, kind);
        let mut out = Vec::with_capacity(self.count(kind));
        for entry in self.db.scan_prefix(&prefix).keys() {
            let key = entry.map_err(storage)?;
            let rest = &key[prefix.len()..];
            if let Some(sep) = rest.iter().position(|b| *b == keys::SEP) {
                out.push((
                    String::from_utf8_lossy(&rest[sep + 1..]).into_owned(),
                    String::from_utf8_lossy(&rest[..sep]).into_owned(),
                ));
            }
        }
        Ok(out)
    }

    /// Every live organization with its id, in id order.
    ///
    /// With many organizations, another thread reads while this one decodes
    /// (each takes about 1 µs per organization). Decoding stays on this
    /// thread so the records are allocated where they are used.
    pub fn orgs(&self) -> Result<Vec<(String, Organization)>, StoreError> {
        let prefix = keys::kind_prefix(LIVE, Kind::Org);
        let mut out = Vec::with_capacity(self.org_count());
        let mut decode = |batch: Vec<(sled::IVec, sled::IVec)>| -> Result<(), StoreError> {
            for (k, v) in batch {
                let id = String::from_utf8_lossy(&k[prefix.len()..]).into_owned();
                out.push((id, records::decode_org(&v)?));
            }
            Ok(())
        };
        let parallel = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
        if !parallel || self.org_count() < PARALLEL_FROM {
            let all = self
                .db
                .scan_prefix(&prefix)
                .collect::<Result<Vec<_>, _>>()
                .map_err(storage)?;
            decode(all)?;
            return Ok(out);
        }
        let (send, receive) = std::sync::mpsc::sync_channel(READ_AHEAD);
        std::thread::scope(|s| {
            let reader = s.spawn(|| {
                // Owned here, so the channel closes when reading ends.
                let send = send;
                let mut batch = Vec::with_capacity(DECODE_BATCH);
                for kv in self.db.scan_prefix(&prefix) {
                    batch.push(kv.map_err(storage)?);
                    if batch.len() == DECODE_BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(DECODE_BATCH));
                        if send.send(full).is_err() {
                            return Ok(());
                        }
                    }
                }
                if !batch.is_empty() {
                    let _ = send.send(batch);
                }
                Ok::<(), StoreError>(())
            });
            let mut decoded = Ok(());
            for batch in receive.iter() {
                decoded = decode(batch);
                if decoded.is_err() {
                    break;
                }
            }
            // Dropping the receiver stops the reader if decoding failed.
            drop(receive);
            let read = reader
                .join()
                .unwrap_or_else(|_| Err(storage("reader thread failed")));
            read.and(decoded)
        })?;
        Ok(out)
    }

    /// Every live record of a kind with its id, in id order.
    pub fn all(&self, kind: Kind) -> Result<Vec<(String, Record)>, StoreError> {
        self.scan_records(LIVE, kind)
    }

    /// Every deleted record of a kind with its id, in id order.
    pub fn deleted(&self, kind: Kind) -> Result<Vec<(String, Record)>, StoreError> {
        self.scan_records(GONE, kind)
    }

    fn scan_records(&self, space: u8, kind: Kind) -> Result<Vec<(String, Record)>, StoreError> {
        let prefix = keys::kind_prefix(space, kind);
        let mut out = Vec::new();
        for kv in self.db.scan_prefix(&prefix) {
            let (k, v) = kv.map_err(storage)?;
            let id = String::from_utf8_lossy(&k[prefix.len()..]).into_owned();
            out.push((id, records::decode(kind, &v)?));
        }
        Ok(out)
    }

    /// A live place by code (any case, spaces trimmed).
    pub fn place(&self, code: &str) -> Result<Option<Place>, StoreError> {
        let code = crate::model::place::normalize_code(code);
        match self.get(Kind::Place, &code)? {
            Some(Record::Place(p)) => Ok(Some(p)),
            _ => Ok(None),
        }
    }

    /// Every live place, sorted by code.
    pub fn places(&self) -> Result<Vec<Place>, StoreError> {
        Ok(self
            .all(Kind::Place)?
            .into_iter()
            .filter_map(|(_, r)| match r {
                Record::Place(p) => Some(p),
                _ => None,
            })
            .collect())
    }

    /// The id of the live organization with this credit code.
    pub fn org_by_credit_code(&self, code: &str) -> Result<Option<String>, StoreError> {
        let code = crate::model::credit_code::normalize(code);
        if code.is_empty() {
            return Ok(None);
        }
        let prefix = keys::pair_prefix(BY_CREDIT, &code);
        match self.db.scan_prefix(&prefix).next() {
            Some(kv) => {
                let (k, _) = kv.map_err(storage)?;
                Ok(keys::pair_suffix(&k).map(str::to_string))
            }
            None => Ok(None),
        }
    }

    /// Ids of live organizations placed at this place or any place under it.
    pub fn orgs_in_place(&self, code: &str) -> Result<Vec<String>, StoreError> {
        let code = crate::model::place::normalize_code(code);
        if code.is_empty() {
            return Ok(Vec::new());
        }
        let ov = Overlay::new(&self.db);
        let mut out = Vec::new();
        for place in dup::place_and_descendants(&ov, &code)? {
            for kv in self.db.scan_prefix(keys::pair_prefix(BY_GRID, &place)) {
                let (k, _) = kv.map_err(storage)?;
                if let Some(id) = keys::pair_suffix(&k) {
                    out.push(id.to_string());
                }
            }
        }
        Ok(out)
    }

    /// Number of live organizations.
    pub fn org_count(&self) -> usize {
        self.count(Kind::Org)
    }

    /// Number of live records of a kind.
    pub fn count(&self, kind: Kind) -> usize {
        let i = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        self.counts[i].load(Ordering::Acquire) as usize
    }

    /// True when the database has no records at all (not even deleted ones).
    pub fn is_empty(&self) -> bool {
        self.db.scan_prefix([STATE]).next().is_none()
    }

    /// The change log, newest first, at most `limit` operations.
    ///
    /// Each origin's operations are in time order already (its clock only
    /// grows), so the log is a merge of the origins' logs read backwards.
    pub fn log(&self, limit: usize) -> Result<Vec<LogEntry>, StoreError> {
        let offices = self.offices()?;
        let mut out = Vec::with_capacity(limit.min(1024));
        if limit == 0 {
            return Ok(out);
        }
        let mut cursors = Vec::new();
        for origin in self.origins()? {
            cursors.push((origin, self.db.scan_prefix(keys::op_origin(&origin)).rev()));
        }
        // The newest group of each origin not taken yet, by time.
        let mut heads = std::collections::BinaryHeap::new();
        let next_group = |cursor: &mut std::iter::Rev<sled::Iter>| -> Result<Option<(u64, u64, ops::Group)>, StoreError> {
            for kv in cursor.by_ref() {
                let (k, v) = kv.map_err(storage)?;
                if let Some((_, first)) = keys::parse_op_group(&k) {
                    let g = ops::Group::decode(&v).map_err(StoreError::Storage)?;
                    return Ok(Some((g.hlc, first, g)));
                }
            }
            Ok(None)
        };
        for (i, (_, cursor)) in cursors.iter_mut().enumerate() {
            if let Some((hlc, first, g)) = next_group(cursor)? {
                heads.push(LogHead {
                    hlc,
                    slot: i,
                    first,
                    group: g,
                });
            }
        }
        while let Some(LogHead {
            slot, first, group, ..
        }) = heads.pop()
        {
            let origin = cursors[slot].0;
            for op in group
                .expand(origin, first)
                .map_err(StoreError::Storage)?
                .into_iter()
                .rev()
            {
                if out.len() >= limit {
                    return Ok(out);
                }
                out.push(LogEntry {
                    office: offices.get(&op.origin).cloned(),
                    op,
                });
            }
            if let Some((hlc, first, g)) = next_group(&mut cursors[slot].1)? {
                heads.push(LogHead {
                    hlc,
                    slot,
                    first,
                    group: g,
                });
            }
        }
        Ok(out)
    }

    /// Every origin this database has operations from.
    fn origins(&self) -> Result<Vec<ReplicaId>, StoreError> {
        let mut out = Vec::new();
        for kv in self.db.scan_prefix([VV]) {
            let (k, _) = kv.map_err(storage)?;
            if let Ok(origin) = ReplicaId::try_from(&k[1..]) {
                out.push(origin);
            }
        }
        Ok(out)
    }

    /// About this database.
    pub fn info(&self) -> StoreInfo {
        StoreInfo {
            path: self.path.clone(),
            replica: self.replica,
            office: self.office(),
            network: self.network(),
            schema: SCHEMA,
        }
    }

    /// Whether this database took a new replica id when it was opened
    /// (a copy or a restored backup; see `identity.rs`): the front ends say
    /// so once.
    pub fn fork(&self) -> Option<Fork> {
        self.fork
    }

    /// The replica ids this database used before its current one.
    pub fn former_replicas(&self) -> Result<Vec<ReplicaId>, StoreError> {
        identity::former(&self.db)
    }

    /// This database's office name.
    pub fn office(&self) -> String {
        self.office
            .read()
            .map(|o| o.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    /// The database directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The operating-system user recorded as author of this process's changes.
    pub fn author(&self) -> &str {
        &self.author
    }

    /// Who writes now: the user this thread serves (the server's client),
    /// else this process's author. Records that name their author (a
    /// venture project's steps) take it from here.
    pub fn writing_user(&self) -> String {
        session::user().unwrap_or_else(|| self.author.clone())
    }

    /// Renames this database's office.
    pub fn set_office(&self, name: &str) -> Result<(), StoreError> {
        let name = name.trim();
        if name.is_empty() {
            let mut e = ValidationErrors::default();
            e.push("office", Rule::Required);
            return Err(StoreError::Invalid(e));
        }
        session::check_write()?;
        self.remember_office(&self.replica, name)?;
        self.db
            .insert(keys::meta(META_OFFICE), name.as_bytes())
            .map_err(|e| self.write_error(e))?;
        self.flush()?;
        match self.office.write() {
            Ok(mut o) => *o = name.to_string(),
            Err(p) => *p.into_inner() = name.to_string(),
        }
        Ok(())
    }

    /// Records the office name of another database (learnt through sync).
    pub fn remember_office(&self, origin: &ReplicaId, name: &str) -> Result<(), StoreError> {
        self.db
            .insert(keys::origin_key(OFFICE, origin), name.as_bytes())
            .map_err(|e| self.write_error(e))?;
        Ok(())
    }

    /// Makes every write so far durable. A save is reported only after
    /// this returned `Ok`.
    fn flush(&self) -> Result<(), StoreError> {
        self.db.flush().map_err(|e| self.write_error(e))?;
        Ok(())
    }

    /// A failed write of this database as a store error (a full disk says
    /// so, naming the database). An I/O error leaves this handle broken
    /// (see [`Store::is_broken`]).
    pub(crate) fn write_error(&self, e: sled::Error) -> StoreError {
        if matches!(e, sled::Error::Io(_)) {
            self.broken
                .store(true, std::sync::atomic::Ordering::Release);
        }
        db::write_error(&self.path, e)
    }

    /// Whether a write failed on an I/O error (a full disk, most often).
    /// sled then refuses every later write through this handle, even once
    /// there is space again: a long-lived holder of the store (the app's
    /// store worker) drops it and opens the database again, which finds
    /// everything that was reported saved and takes new writes.
    pub fn is_broken(&self) -> bool {
        self.broken.load(std::sync::atomic::Ordering::Acquire)
    }

    /// From now on, every commit's changes are kept for
    /// [`take_notice`](Self::take_notice) (the app's worker, a server).
    pub fn watch(&self) {
        let mut j = self.journal.lock().unwrap_or_else(|e| e.into_inner());
        j.get_or_insert_with(Default::default);
    }

    /// What was committed since the last call (empty when not watching).
    pub fn take_notice(&self) -> Notice {
        let mut j = self.journal.lock().unwrap_or_else(|e| e.into_inner());
        let mut n: Notice = j.as_mut().map(notice::Journal::take).unwrap_or_default();
        // Notices go to every app, whoever runs it: a lead (and its
        // confidential reporter) is never in one. No pane shows leads.
        n.changes.retain(|c| c.kind != Kind::Lead);
        n.many.retain(|k| *k != Kind::Lead);
        n
    }

    fn watching(&self) -> bool {
        self.journal
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// Adds a committed transaction's changes to the journal.
    fn noticed(&self, changes: notice::Journal) {
        let mut j = self.journal.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(j) = j.as_mut() {
            j.extend(changes);
        }
    }

    /// Office names of the databases this one knows.
    pub fn offices(&self) -> Result<BTreeMap<ReplicaId, String>, StoreError> {
        let mut out = BTreeMap::new();
        for kv in self.db.scan_prefix([OFFICE]) {
            let (k, v) = kv.map_err(storage)?;
            if let Ok(origin) = ReplicaId::try_from(&k[1..]) {
                out.insert(origin, String::from_utf8_lossy(&v).into_owned());
            }
        }
        Ok(out)
    }

    /// Operations of `origin` with a counter above `after`, in counter order.
    pub fn ops_since(&self, origin: &ReplicaId, after: u64) -> Result<Vec<Op>, StoreError> {
        let mut out = Vec::new();
        self.each_op_since(origin, after, u64::MAX, &mut |op| {
            out.push(op);
            ControlFlow::Continue(())
        })?;
        Ok(out)
    }

    /// Hands `f` the operations of `origin` with counters in
    /// `after+1..=upto`, in counter order, one at a time (a full export
    /// never holds the whole log), until `f` says to stop.
    pub fn each_op_since(
        &self,
        origin: &ReplicaId,
        after: u64,
        upto: u64,
        f: &mut dyn FnMut(Op) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        let ov = Overlay::new(&self.db);
        let next = after.saturating_add(1);
        let start = ov
            .last_at_or_before(&keys::op_group(origin, next), &keys::op_origin(origin))?
            .and_then(|(k, _)| keys::parse_op_group(&k))
            .map(|(_, first)| first)
            .unwrap_or(next);
        let range = keys::op_group(origin, start)..=keys::op_group(origin, upto);
        for kv in self.db.range(range) {
            let (k, v) = kv.map_err(storage)?;
            let Some((_, first)) = keys::parse_op_group(&k) else {
                continue;
            };
            let group = ops::Group::decode(&v).map_err(StoreError::Storage)?;
            for op in group.expand(*origin, first).map_err(StoreError::Storage)? {
                if op.counter > after && op.counter <= upto && f(op).is_break() {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// For each origin, the highest counter up to which every operation is here.
    pub fn version_vector(&self) -> Result<BTreeMap<ReplicaId, u64>, StoreError> {
        let mut out = BTreeMap::new();
        for kv in self.db.scan_prefix([VV]) {
            let (k, v) = kv.map_err(storage)?;
            if let (Ok(origin), Some(n)) = (ReplicaId::try_from(&k[1..]), be_u64(&v)) {
                if n > 0 {
                    out.insert(origin, n);
                }
            }
        }
        Ok(out)
    }

    /// Every operation stored (any origin), in origin and counter order.
    pub fn all_ops(&self) -> Result<Vec<Op>, StoreError> {
        let mut out = Vec::new();
        for kv in self.db.scan_prefix([OPS]) {
            let (k, v) = kv.map_err(storage)?;
            let Some((origin, first)) = keys::parse_op_group(&k) else {
                continue;
            };
            let group = ops::Group::decode(&v).map_err(StoreError::Storage)?;
            out.extend(group.expand(origin, first).map_err(StoreError::Storage)?);
        }
        Ok(out)
    }

    /// Fields holding concurrent values, for staff to review.
    /// Operations held for review (see [`Held`]), in id order, each with
    /// the operation in force under the same id when it is divergent, and
    /// the rule it breaks when it is invalid.
    pub fn held(&self) -> Result<Vec<HeldReview>, StoreError> {
        let mut out = Vec::new();
        for kv in self.db.scan_prefix([keys::HELD]) {
            let (_, v) = kv.map_err(storage)?;
            let (held, _): (Held, usize) =
                bincode::serde::decode_from_slice(&v, bincode::config::standard())
                    .map_err(|e| storage(format!("held operation: {e}")))?;
            let mut in_force = None;
            if held.why == HeldWhy::Divergent {
                let (origin, c) = (held.op.origin, held.op.counter);
                self.each_op_since(&origin, c.saturating_sub(1), c, &mut |op| {
                    in_force = Some(op);
                    ControlFlow::Break(())
                })?;
            }
            let rule = match held.why {
                HeldWhy::Invalid => remote::broken_rule(&held.op),
                HeldWhy::Divergent => None,
            };
            out.push(HeldReview {
                held,
                in_force,
                rule,
            });
        }
        Ok(out)
    }

    /// Whether operations from elsewhere are checked against the rules of
    /// local input (always, but in tests that need a database holding
    /// values from before the rules, as an old database may).
    #[doc(hidden)]
    pub fn set_check_remote(&self, on: bool) {
        self.check_remote
            .store(on, std::sync::atomic::Ordering::Relaxed);
    }

    pub(crate) fn checks_remote(&self) -> bool {
        self.check_remote.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn conflicts(&self) -> Result<Vec<Conflict>, StoreError> {
        let mut out = Vec::new();
        let mut last: Option<(Kind, String, RecordState)> = None;
        for kv in self.db.scan_prefix([CONFLICT]) {
            let (k, _) = kv.map_err(storage)?;
            let Some((kind, id, field)) = keys::parse_conflict(&k) else {
                continue;
            };
            if !matches!(&last, Some((lk, lid, _)) if *lk == kind && *lid == id) {
                let state = self.record_state(kind, &id)?;
                last = Some((kind, id.clone(), state));
            }
            let Some((_, _, state)) = &last else {
                continue;
            };
            if let Some(c) = self.conflict_of(kind, &id, &field, state)? {
                out.push(c);
            }
        }
        Ok(out)
    }

    fn record_state(&self, kind: Kind, id: &str) -> Result<RecordState, StoreError> {
        match self
            .db
            .get(keys::record(STATE, kind, id))
            .map_err(storage)?
        {
            Some(b) => RecordState::decode(&b).map_err(StoreError::Storage),
            None => Ok(RecordState::default()),
        }
    }

    fn conflict_of(
        &self,
        kind: Kind,
        id: &str,
        field: &str,
        state: &RecordState,
    ) -> Result<Option<Conflict>, StoreError> {
        let Some(fs) = state.fields.get(field) else {
            return Ok(None);
        };
        let mut versions = Vec::with_capacity(fs.heads.len());
        for h in &fs.heads {
            versions.push(FieldVersion {
                value: h.value.clone(),
                op: h.id,
                hlc: h.hlc,
                author: self.author_of(&h.id)?.unwrap_or_default(),
            });
        }
        let Some(winner) = versions.pop() else {
            return Ok(None);
        };
        Ok(Some(Conflict {
            kind,
            id: id.to_string(),
            field: field.to_string(),
            winner,
            losers: versions,
        }))
    }

    fn author_of(&self, op: &OpId) -> Result<Option<String>, StoreError> {
        let ov = Overlay::new(&self.db);
        let found = ov.last_at_or_before(
            &keys::op_group(&op.origin, op.counter),
            &keys::op_origin(&op.origin),
        )?;
        Ok(match found {
            Some((_, v)) => Some(ops::Group::decode(&v).map_err(StoreError::Storage)?.author),
            None => None,
        })
    }

    /// Whether a record exists (live or deleted) and how.
    #[cfg(test)]
    fn mat(&self, kind: Kind, id: &str) -> Result<Option<records::Mat>, StoreError> {
        let mut ws = self.writer();
        let tx = Tx::new(self, &mut ws);
        let m = tx.mat(kind, id);
        tx.release(&mut ws);
        m
    }
}

/// The newest unread operation group of one origin, in the log merge.
struct LogHead {
    hlc: u64,
    slot: usize,
    first: u64,
    group: ops::Group,
}

impl PartialEq for LogHead {
    fn eq(&self, other: &Self) -> bool {
        (self.hlc, self.slot, self.first) == (other.hlc, other.slot, other.first)
    }
}

impl Eq for LogHead {}

impl PartialOrd for LogHead {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for LogHead {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.hlc, self.slot, self.first).cmp(&(other.hlc, other.slot, other.first))
    }
}

/// Writes the meta of a new database.
fn init(db: &sled::Db, path: &Path, options: &OpenOptions) -> Result<(), StoreError> {
    let replica = ids::new_replica().map_err(StoreError::Storage)?;
    let office = options
        .office
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(str::to_string)
        .or_else(clock::host_name)
        .unwrap_or_else(|| DEFAULT_OFFICE.to_string());
    let mut batch = sled::Batch::default();
    batch.insert(keys::meta(META_SCHEMA), &SCHEMA.to_be_bytes());
    batch.insert(keys::meta(META_REPLICA), &replica);
    batch.insert(keys::meta(META_OFFICE), office.as_bytes());
    batch.insert(keys::origin_key(OFFICE, &replica), office.as_bytes());
    db.apply_batch(batch)
        .map_err(|e| db::write_error(path, e))?;
    db.flush().map_err(|e| db::write_error(path, e))?;
    Ok(())
}

impl Store {
    /// Keeps what [`memo`](Self::memo) builds in memory from now on: for a
    /// process that holds the store for long and is asked the same reads
    /// again (the server: `stats`, reports, a pane's data, by every client).
    pub fn keep_in_memory(&self) {
        let mut m = self.memo.lock().unwrap_or_else(|p| p.into_inner());
        if m.is_none() {
            *m = Some(HashMap::new());
        }
    }

    /// What `build` makes of the store's records, under `key`: built now,
    /// or, once [`keep_in_memory`](Self::keep_in_memory), the value built
    /// earlier if nothing was committed since (one value per key; a value
    /// of an older state is dropped when its key is built again).
    pub fn memo<T: std::any::Any + Send + Sync>(
        &self,
        key: &str,
        build: impl FnOnce() -> Result<T, StoreError>,
    ) -> Result<std::sync::Arc<T>, StoreError> {
        let lock = || self.memo.lock().unwrap_or_else(|p| p.into_inner());
        let at = self.generation.load(Ordering::SeqCst);
        if let Some(m) = lock().as_mut() {
            if let Some(e) = m.get_mut(key).filter(|e| e.generation == at) {
                if let Ok(v) = e.value.clone().downcast::<T>() {
                    e.used = std::time::Instant::now();
                    return Ok(v);
                }
            }
        } else {
            return build().map(std::sync::Arc::new);
        }
        let value = std::sync::Arc::new(build()?);
        if let Some(m) = lock().as_mut() {
            // Values of an older state go: only what is current is kept.
            m.retain(|_, e| e.generation == at);
            m.insert(
                key.to_string(),
                MemoEntry {
                    generation: at,
                    used: std::time::Instant::now(),
                    value: value.clone(),
                },
            );
        }
        Ok(value)
    }

    /// Drops what [`memo`](Self::memo) kept and nobody asked for in `idle`
    /// (memory is for the clients of now); true when something went.
    pub fn forget_unused(&self, idle: std::time::Duration) -> bool {
        let mut m = self.memo.lock().unwrap_or_else(|p| p.into_inner());
        let Some(m) = m.as_mut() else {
            return false;
        };
        let before = m.len();
        m.retain(|_, e| e.used.elapsed() < idle);
        m.len() < before
    }

    /// A commit changed the records: what [`memo`](Self::memo) kept is old.
    pub(crate) fn changed(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }
}

/// Who holds the database at `dir` (the holder file), if anyone said.
pub fn holder(dir: &Path) -> Option<Holder> {
    lock::read_holder(dir)
}

impl Store {
    /// True when a sync import found this database behind the others (a
    /// restored backup): it takes a new replica id at its next opening, so
    /// a server leaves to be started again.
    pub fn fork_pending(&self) -> bool {
        self.db
            .get(keys::meta(identity::META_FORK))
            .is_ok_and(|v| v.is_some())
    }

    /// Removes the holder file (a server leaving without dropping the
    /// store: its writes were flushed when acknowledged).
    pub fn remove_holder(&self) {
        lock::remove_holder(&self.path, self.pid);
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        let _ = self.db.flush();
        lock::remove_holder(&self.path, self.pid);
    }
}
