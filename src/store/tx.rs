//! A write transaction: every write of one command, or of a batch of
//! commands or remote operations, gathered in an overlay and applied as one
//! atomic sled batch, then flushed. Reads inside the transaction see its own
//! writes, so a later command of a batch is checked against the earlier ones.
//!
//! Local and remote operations go through the same merge
//! ([`FieldState::apply`]) and the same materialisation and index upkeep
//! ([`Tx::save`]).

use std::collections::{BTreeSet, HashSet};

use super::api::{OpId, ReplicaId, StoreError, Value};
use super::clock::{wall_ms, Clock};
use super::db::Overlay;
use super::dup::DupCache;
use super::indexes;
use super::keys::{self, GONE, LIVE, STATE, VV};
use super::ops::{Change, Group};
use super::records::{self, Mat};
use super::state::{Head, RecordState};
use super::Store;
use crate::model::{Kind, Labeled, Place, Record};

/// What the writer keeps between transactions (persisted in `meta`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Writer {
    pub clock: Clock,
    /// Last record sequence number handed out (ids `{tag}-{seq}`).
    pub seq: u64,
    /// Last operation counter of this database.
    pub counter: u64,
    /// Digest of every operation group in the log (see `history.rs`).
    pub history: super::history::History,
}

/// The writer's state and caches, behind the store's writer lock.
#[derive(Debug, Default)]
pub struct WriterState {
    pub w: Writer,
    pub dup: DupCache,
}

pub struct Tx<'s> {
    pub(super) store: &'s Store,
    pub(super) ov: Overlay<'s>,
    pub(super) w: Writer,
    start: Writer,
    /// Change of the number of live records, per kind (`Kind::ALL` order).
    counts: Vec<i64>,
    /// Remote operations taken in by this transaction.
    pub(super) new_ops: HashSet<OpId>,
    /// Origins (not ours) whose version-vector entry may advance.
    pub(super) origins: BTreeSet<ReplicaId>,
    pub(super) dup: DupCache,
    /// Fields that came into conflict in this transaction.
    pub(super) new_conflicts: usize,
    /// Check only: every rule runs, no operation is made.
    pub(super) dry_run: bool,
    /// The office whose bundle is being applied, if any.
    pub(super) from: Option<ReplicaId>,
    /// The records changed, for the store's notice (when watched).
    journal: Option<super::notice::Journal>,
    /// Whom the operations are by: the store's user unless a server names
    /// the client's (`Store::execute_all_as`).
    pub(super) author: Option<String>,
    /// The client a server serves on this thread (`store::session`).
    session_user: Option<String>,
}

fn kind_index(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

impl<'s> Tx<'s> {
    /// A transaction starting from the writer's state; it borrows the
    /// writer's duplicate-check cache until [`commit`](Self::commit) or
    /// [`release`](Self::release).
    pub fn new(store: &'s Store, ws: &mut WriterState) -> Self {
        Tx {
            store,
            ov: Overlay::new(&store.db),
            w: ws.w,
            start: ws.w,
            counts: vec![0; Kind::ALL.len()],
            new_ops: HashSet::new(),
            origins: BTreeSet::new(),
            dup: std::mem::take(&mut ws.dup),
            new_conflicts: 0,
            dry_run: false,
            from: None,
            journal: store.watching().then(Default::default),
            author: None,
            session_user: super::session::user(),
        }
    }

    /// Whom this transaction's operations are by.
    pub(super) fn author(&self) -> &str {
        self.author
            .as_deref()
            .or(self.session_user.as_deref())
            .unwrap_or(&self.store.author)
    }

    /// Ends a transaction without writing: gives the cache back unless this
    /// transaction changed it.
    pub fn release(self, ws: &mut WriterState) {
        if !self.dup.is_dirty() {
            ws.dup = self.dup;
        }
    }

    /// The field state of a record (empty if it has none).
    pub fn state(&self, kind: Kind, id: &str) -> Result<RecordState, StoreError> {
        match self.ov.get(&keys::record(STATE, kind, id))? {
            Some(b) => RecordState::decode(&b).map_err(StoreError::Storage),
            None => Ok(RecordState::default()),
        }
    }

    /// The materialised record, live or deleted.
    pub fn mat(&self, kind: Kind, id: &str) -> Result<Option<Mat>, StoreError> {
        if let Some(b) = self.ov.get(&keys::record(LIVE, kind, id))? {
            return Ok(Some(Mat::Live(records::decode(kind, &b)?)));
        }
        if let Some(b) = self.ov.get(&keys::record(GONE, kind, id))? {
            return Ok(Some(Mat::Deleted(records::decode(kind, &b)?)));
        }
        Ok(None)
    }

    /// The live record, if the id names one.
    pub fn live(&self, kind: Kind, id: &str) -> Result<Option<Record>, StoreError> {
        Ok(match self.mat(kind, id)? {
            Some(Mat::Live(r)) => Some(r),
            _ => None,
        })
    }

    /// A live place.
    pub fn live_place(&self, code: &str) -> Result<Option<Place>, StoreError> {
        match self.ov.get(&keys::record(LIVE, Kind::Place, code))? {
            Some(b) => match records::decode(Kind::Place, &b)? {
                Record::Place(p) => Ok(Some(p)),
                _ => Ok(None),
            },
            None => Ok(None),
        }
    }

    /// Writes local operations for `changes` to a record: one timestamp for
    /// the command, one counter per field, each replacing what the field
    /// holds now. `created` is the record itself when the command creates it
    /// and the record has no state at all (the caller has checked): it is
    /// then the materialised value, and nothing needs reading or rebuilding.
    /// Returns the number of operations.
    pub fn emit(
        &mut self,
        kind: Kind,
        id: &str,
        changes: Vec<(String, Option<Value>)>,
        created: Option<Record>,
    ) -> Result<usize, StoreError> {
        if changes.is_empty() || self.dry_run {
            return Ok(changes.len());
        }
        let fresh = created.is_some();
        let mut state = if fresh {
            RecordState::default()
        } else {
            self.state(kind, id)?
        };
        let before = conflicted(&state);
        let hlc = self.w.clock.tick(wall_ms());
        let origin = self.store.replica;
        let first = self.w.counter + 1;
        let mut group = Group {
            hlc,
            author: self.author().to_string(),
            kind_tag: kind.tag(),
            id: id.to_string(),
            changes: Vec::with_capacity(changes.len()),
        };
        for (field, value) in changes {
            self.w.counter += 1;
            let op = OpId {
                origin,
                counter: self.w.counter,
            };
            let prev = state.heads_of(&field);
            let head = Head {
                value: value.clone(),
                hlc,
                id: op,
            };
            state
                .fields
                .entry(field.clone())
                .or_default()
                .apply(head, &prev, &|_| true);
            group.changes.push(Change { field, value, prev });
        }
        let n = group.changes.len();
        self.put_group(origin, first, &group)?;
        self.save(kind, id, &before, &state, created)?;
        Ok(n)
    }

    /// Stores an operation group.
    pub(super) fn put_group(
        &mut self,
        origin: ReplicaId,
        first: u64,
        group: &Group,
    ) -> Result<(), StoreError> {
        let key = keys::op_group(&origin, first);
        let value = group.encode(first).map_err(StoreError::Storage)?;
        self.w.history.toggle(&key, &value);
        self.ov.put(key, value);
        Ok(())
    }

    /// Stores a record's new state; keeps the conflict marks, the
    /// materialised record and the indexes in step. `created`: see
    /// [`emit`](Self::emit).
    pub(super) fn save(
        &mut self,
        kind: Kind,
        id: &str,
        conflicted_before: &[String],
        state: &RecordState,
        created: Option<Record>,
    ) -> Result<(), StoreError> {
        self.ov.put(
            keys::record(STATE, kind, id),
            state.encode().map_err(StoreError::Storage)?,
        );
        let after = conflicted(state);
        for f in conflicted_before {
            if !after.contains(f) {
                self.ov.del(keys::conflict(kind, id, f));
            }
        }
        for f in &after {
            if !conflicted_before.contains(f) {
                self.ov.put(keys::conflict(kind, id, f), Vec::new());
                self.new_conflicts += 1;
            }
        }
        let (new, old) = match created {
            Some(r) => (Some(Mat::Live(r)), None),
            None => (records::materialize(kind, state), self.mat(kind, id)?),
        };
        self.refresh(kind, id, old, new)
    }

    /// Replaces the materialised record (`old`) and its index entries.
    fn refresh(
        &mut self,
        kind: Kind,
        id: &str,
        old: Option<Mat>,
        new: Option<Mat>,
    ) -> Result<(), StoreError> {
        if old == new {
            return Ok(());
        }
        let live_key = keys::record(LIVE, kind, id);
        let gone_key = keys::record(GONE, kind, id);
        match &new {
            Some(Mat::Live(r)) => {
                self.ov.put(live_key, records::encode(r)?);
                if matches!(old, Some(Mat::Deleted(_))) {
                    self.ov.del(gone_key);
                }
            }
            Some(Mat::Deleted(r)) => {
                self.ov.put(gone_key, records::encode(r)?);
                if matches!(old, Some(Mat::Live(_))) {
                    self.ov.del(live_key);
                }
            }
            None => match old {
                Some(Mat::Live(_)) => self.ov.del(live_key),
                Some(Mat::Deleted(_)) => self.ov.del(gone_key),
                None => {}
            },
        }
        let old_live = old.as_ref().and_then(Mat::live);
        let new_live = new.as_ref().and_then(Mat::live);
        let author = self.author.as_deref().unwrap_or(&self.store.author);
        if let Some(j) = self.journal.as_mut() {
            j.record(kind, id, author, old_live, new_live);
        }
        let old_entries = old_live
            .map(|r| indexes::entries(id, r))
            .unwrap_or_default();
        let new_entries = new_live
            .map(|r| indexes::entries(id, r))
            .unwrap_or_default();
        for k in old_entries.keys() {
            if !new_entries.contains_key(k) {
                self.ov.del(k.clone());
            }
        }
        for (k, v) in &new_entries {
            if old_entries.get(k) != Some(v) {
                self.ov.put(k.clone(), v.clone());
            }
        }
        let i = kind_index(kind);
        self.counts[i] += i64::from(new_live.is_some()) - i64::from(old_live.is_some());
        match kind {
            Kind::Place => self.dup.clear(),
            Kind::Activity | Kind::Evaluation => {}
            Kind::Round | Kind::Application | Kind::Review | Kind::Visit => {}
            Kind::Space | Kind::Enrollment | Kind::Service | Kind::Cohort => {}
            Kind::Training | Kind::Attendance | Kind::Lead | Kind::Center => {}
            Kind::TrainingPlan => {}
            Kind::Filing | Kind::Instructor => {}
            Kind::Need | Kind::Offer | Kind::Worker | Kind::Partner | Kind::Linkage => {}
            Kind::Org => {
                let as_org = |r: Option<&Record>| match r {
                    Some(Record::Org(o)) => Some(o.clone()),
                    _ => None,
                };
                let (o, n) = (as_org(old_live), as_org(new_live));
                self.dup_changed(id, o.as_ref(), n.as_ref())?;
            }
        }
        Ok(())
    }

    /// The highest contiguous counter applied from `origin`.
    pub fn vv(&self, origin: &ReplicaId) -> Result<u64, StoreError> {
        if *origin == self.store.replica {
            return Ok(self.w.counter);
        }
        Ok(self
            .ov
            .get(&keys::origin_key(VV, origin))?
            .and_then(|b| Some(u64::from_be_bytes(b.get(..8)?.try_into().ok()?)))
            .unwrap_or(0))
    }

    /// The last counter of the stored group holding `counter` of `origin`.
    pub fn group_holding(
        &self,
        origin: &ReplicaId,
        counter: u64,
    ) -> Result<Option<u64>, StoreError> {
        let found = self
            .ov
            .last_at_or_before(&keys::op_group(origin, counter), &keys::op_origin(origin))?;
        Ok(found
            .and_then(|(_, v)| Group::stored_last(&v))
            .filter(|last| *last >= counter))
    }

    /// Whether this database has the operation (stored or taken in by this
    /// transaction).
    pub fn known(&self, op: &OpId) -> Result<bool, StoreError> {
        if self.new_ops.contains(op) || op.counter <= self.vv(&op.origin)? {
            return Ok(true);
        }
        Ok(self.group_holding(&op.origin, op.counter)?.is_some())
    }

    /// Whether the operation was stored before this transaction.
    pub fn stored(&self, op: &OpId) -> Result<bool, StoreError> {
        if op.origin == self.store.replica {
            return Ok(op.counter <= self.start.counter);
        }
        if op.counter <= self.vv(&op.origin)? {
            return Ok(true);
        }
        Ok(!self.new_ops.contains(op) && self.group_holding(&op.origin, op.counter)?.is_some())
    }

    /// Advances the version vector of the origins that sent operations, over
    /// every contiguous run now stored. Every origin seen gets an entry (0
    /// while its first operation is missing), so the log knows all origins.
    pub(super) fn advance_versions(&mut self) -> Result<(), StoreError> {
        for origin in std::mem::take(&mut self.origins) {
            let key = keys::origin_key(VV, &origin);
            let known = self.ov.get(&key)?.is_some();
            let start = self.vv(&origin)?;
            let mut v = start;
            while let Some(last) = self.group_holding(&origin, v + 1)? {
                v = last;
            }
            if v != start || !known {
                self.ov.put(key, v.to_be_bytes().to_vec());
            }
        }
        Ok(())
    }

    /// Applies everything atomically and flushes it to disk; updates the
    /// writer's state.
    pub fn commit(mut self, ws: &mut WriterState) -> Result<(), StoreError> {
        if self.ov.is_empty() {
            self.release(ws);
            return Ok(());
        }
        if let Err(e) = super::session::check_write() {
            self.release(ws);
            return Err(e);
        }
        let store = self.store;
        if self.w.clock != self.start.clock {
            self.ov.put(
                keys::meta(super::META_HLC),
                self.w.clock.last.to_be_bytes().to_vec(),
            );
        }
        if self.w.seq != self.start.seq {
            self.ov.put(
                keys::meta(super::META_SEQ),
                self.w.seq.to_be_bytes().to_vec(),
            );
        }
        if self.w.history != self.start.history {
            self.ov.put(
                keys::meta(super::history::META_HISTORY),
                self.w.history.0.to_vec(),
            );
        }
        if self.w.counter != self.start.counter {
            self.ov.put(
                keys::origin_key(VV, &store.replica),
                self.w.counter.to_be_bytes().to_vec(),
            );
        }
        let mut totals = Vec::with_capacity(self.counts.len());
        for (i, delta) in self.counts.iter().enumerate() {
            let now = store.counts[i].load(std::sync::atomic::Ordering::Acquire) as i64;
            let total = (now + delta).max(0) as u64;
            if *delta != 0 {
                self.ov.put(
                    keys::meta(&super::count_meta(Kind::ALL[i])),
                    total.to_be_bytes().to_vec(),
                );
            }
            totals.push(total);
        }
        self.ov.commit().map_err(|e| store.write_error(e))?;
        store.changed();
        if let Some(j) = self.journal.take() {
            store.noticed(j);
        }
        ws.w = self.w;
        ws.dup = self.dup.committed();
        for (i, total) in totals.into_iter().enumerate() {
            store.counts[i].store(total, std::sync::atomic::Ordering::Release);
        }
        store.flush()
    }
}

/// Paths of the fields of a state that hold concurrent values.
pub(super) fn conflicted(state: &RecordState) -> Vec<String> {
    state.conflicted().into_iter().map(str::to_string).collect()
}
