//! Operations from other databases (sync): duplicates are counted and
//! skipped, the rest are stored in the log and merged into the records
//! through the same path as local operations. No rule is checked: another
//! office's changes are facts; what they bring into conflict is kept.
//!
//! Operations may arrive in any order, and with gaps; the version vector
//! only advances over contiguous runs.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::api::{ApplyReport, Op, OpId, ReplicaId, StoreError};
use super::ids;
use super::ops::{Change, Group};
use super::state::Head;
use super::tx::{conflicted, Tx};

/// Bytes (a replica id, a hash) in lowercase hex, for messages.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn check(op: &Op) -> Result<(), StoreError> {
    let bad = |why: &str| {
        Err(StoreError::Storage(format!(
            "invalid operation {}:{}: {why}",
            hex(&op.origin),
            op.counter
        )))
    };
    if op.counter == 0 {
        return bad("counter 0");
    }
    if !ids::id_ok(&op.id) {
        return bad("record id");
    }
    if op.field.is_empty() || op.field.len() > 1024 || op.field.contains('\0') {
        return bad("field path");
    }
    Ok(())
}

impl Tx<'_> {
    /// Takes in operations from elsewhere.
    pub fn apply_remote(&mut self, ops: Vec<Op>) -> Result<ApplyReport, StoreError> {
        for op in &ops {
            check(op)?;
        }
        let mut report = ApplyReport::default();
        let mut fresh: Vec<Op> = Vec::with_capacity(ops.len());
        for op in ops {
            if self.known(&op.op_id())? {
                report.known += 1;
            } else {
                self.new_ops.insert(op.op_id());
                fresh.push(op);
            }
        }
        report.new = fresh.len();
        if fresh.is_empty() {
            return Ok(report);
        }

        // Which replaced operations this database had before: asked before
        // the new groups are written.
        let mut stored_before: HashMap<OpId, bool> = HashMap::new();
        for op in &fresh {
            for p in &op.prev {
                if !stored_before.contains_key(p) {
                    let s = self.stored(p)?;
                    stored_before.insert(*p, s);
                }
            }
        }

        // The log: consecutive operations of one command form one group.
        let mut group: Option<(ReplicaId, u64, Group)> = None;
        for op in &fresh {
            self.w.clock.observe(op.hlc);
            if op.origin == self.store.replica {
                // Our own operations, relayed back after a restore from an
                // older copy: never hand out their counters again.
                self.w.counter = self.w.counter.max(op.counter);
            } else {
                self.origins.insert(op.origin);
            }
            if let Some((origin, first, g)) = &mut group {
                if g.accepts(origin, *first, op) {
                    g.changes.push(Change {
                        field: op.field.clone(),
                        value: op.value.clone(),
                        prev: op.prev.clone(),
                    });
                    continue;
                }
            }
            if let Some((origin, first, g)) = group.take() {
                self.put_group(origin, first, &g)?;
            }
            group = Some((op.origin, op.counter, Group::of(op)));
        }
        if let Some((origin, first, g)) = group.take() {
            self.put_group(origin, first, &g)?;
        }

        // The state, one record at a time.
        let mut by_record: BTreeMap<(u8, &str), Vec<&Op>> = BTreeMap::new();
        for op in &fresh {
            by_record
                .entry((op.kind.tag(), op.id.as_str()))
                .or_default()
                .push(op);
        }
        let mut applied: HashSet<OpId> = HashSet::new();
        let conflicts_before = self.new_conflicts;
        for ops in by_record.values() {
            let (kind, id) = (ops[0].kind, ops[0].id.as_str());
            let mut state = self.state(kind, id)?;
            let before = conflicted(&state);
            for op in ops {
                let seen = |p: &OpId| {
                    applied.contains(p) || stored_before.get(p).copied().unwrap_or(false)
                };
                state.fields.entry(op.field.clone()).or_default().apply(
                    Head {
                        value: op.value.clone(),
                        hlc: op.hlc,
                        id: op.op_id(),
                    },
                    &op.prev,
                    &seen,
                );
                applied.insert(op.op_id());
            }
            self.save(kind, id, &before, &state, None)?;
        }
        report.conflicts = self.new_conflicts - conflicts_before;
        self.advance_versions()?;
        Ok(report)
    }
}
