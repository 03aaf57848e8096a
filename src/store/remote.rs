//! Operations from other databases (sync): duplicates are counted and
//! skipped, the rest are stored in the log and merged into the records
//! through the same path as local operations. Another office's changes are
//! facts: what they bring into conflict is kept. But a value that breaks a
//! rule of local input (an escape sequence or a direction override in a
//! name, text over its length, a date in year 9999: `model::bounds`) is
//! not put into a record: the operation is stored in the log and relayed
//! like any other, so every office holds it back alike, and it is held for
//! staff to review (`H`eld, with the rule it breaks).
//!
//! Operations may arrive in any order, and with gaps; the version vector
//! only advances over contiguous runs.
//!
//! An operation is identified by `(origin, counter)`. One that arrives with
//! the id of an operation already here but with other content is never
//! taken for a duplicate: it is a *divergent* operation (an office restored
//! from an older copy reusing its counters, or a change forged under
//! another office's name). The one already here stays in force, the other
//! is held apart (`D` keys) for staff to review, and the import counts it,
//! so neither is ever hidden.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::api::{ApplyReport, Held, HeldWhy, Op, OpId, ReplicaId, StoreError, Value};
use super::fields::{self, Segment};
use super::ids;
use super::keys;
use super::ops::{Change, Group};
use super::state::Head;
use super::tx::{conflicted, Tx};
use crate::model::{bounds, Rule};

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
        // Where each operation taken in by this call is in `fresh`.
        let mut taken: HashMap<OpId, usize> = HashMap::new();
        let mut stored = StoredOps::default();
        for op in ops {
            let id = op.op_id();
            if !self.known(&id)? {
                self.new_ops.insert(id);
                taken.insert(id, fresh.len());
                fresh.push(op);
                continue;
            }
            let same = match taken.get(&id) {
                Some(i) => fresh[*i] == op,
                None => stored.get(self, &id)?.is_none_or(|had| had == op),
            };
            if same {
                report.known += 1;
            } else {
                let first = report
                    .divergent_since
                    .entry(op.origin)
                    .or_insert(op.counter);
                *first = (*first).min(op.counter);
                self.hold(op, HeldWhy::Divergent)?;
                report.divergent += 1;
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

        // The state, one record at a time; operations breaking a rule are
        // held back (counted as seen, so that what replaces them is merged
        // the same way whether they came in this batch or an earlier one).
        let mut by_record: BTreeMap<(u8, &str), Vec<&Op>> = BTreeMap::new();
        let mut applied: HashSet<OpId> = HashSet::new();
        let mut held: Vec<Op> = Vec::new();
        for op in &fresh {
            if self.store.checks_remote() && broken_rule(op).is_some() {
                applied.insert(op.op_id());
                held.push(op.clone());
                continue;
            }
            by_record
                .entry((op.kind.tag(), op.id.as_str()))
                .or_default()
                .push(op);
        }
        report.invalid = held.len();
        for op in held {
            self.hold(op, HeldWhy::Invalid)?;
        }
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

/// The stored operation groups of one origin, read once for a run of
/// operations (a re-imported bundle asks for every operation of a group).
#[derive(Default)]
struct StoredOps {
    group: Option<(ReplicaId, u64, Vec<Op>)>,
}

impl StoredOps {
    /// The stored operation with this id, if the log has it.
    fn get(&mut self, tx: &Tx<'_>, id: &OpId) -> Result<Option<Op>, StoreError> {
        let hit = |g: &Option<(ReplicaId, u64, Vec<Op>)>| match g {
            Some((origin, first, ops)) if *origin == id.origin && id.counter >= *first => {
                ops.get((id.counter - first) as usize).cloned()
            }
            _ => None,
        };
        if let Some(op) = hit(&self.group) {
            return Ok(Some(op));
        }
        let found = tx.ov.last_at_or_before(
            &keys::op_group(&id.origin, id.counter),
            &keys::op_origin(&id.origin),
        )?;
        let Some((key, value)) = found else {
            return Ok(None);
        };
        let Some((origin, first)) = keys::parse_op_group(&key) else {
            return Ok(None);
        };
        let group = Group::decode(&value).map_err(StoreError::Storage)?;
        let ops = group.expand(origin, first).map_err(StoreError::Storage)?;
        self.group = Some((origin, first, ops));
        Ok(hit(&self.group))
    }
}

impl Tx<'_> {
    /// Holds an operation for review (see [`Held`]).
    fn hold(&mut self, op: Op, why: HeldWhy) -> Result<(), StoreError> {
        let bytes = bincode::serde::encode_to_vec(&op, bincode::config::standard())
            .map_err(|e| StoreError::Storage(format!("held operation: {e}")))?;
        let digest: [u8; 8] = blake3::hash(&bytes).as_bytes()[..8]
            .try_into()
            .unwrap_or_default();
        let key = keys::held(&op.origin, op.counter, &digest);
        if self.ov.get(&key)?.is_some() {
            return Ok(());
        }
        let kept = Held {
            op,
            from: self.from,
            at: chrono::Utc::now().timestamp_millis(),
            why,
        };
        let value = bincode::serde::encode_to_vec(&kept, bincode::config::standard())
            .map_err(|e| StoreError::Storage(format!("held operation: {e}")))?;
        self.ov.put(key, value);
        Ok(())
    }
}

/// Fields holding a date (the last member of a field path), checked
/// against `model::bounds::date_range`.
const DATE_FIELDS: &[&str] = &[
    "accepted",
    "available_from",
    "available_until",
    "cancelled",
    "date",
    "end",
    "expires",
    "finished",
    "founded",
    "proposed",
    "raised",
    "rectify_due",
    "start",
    "started",
    "submitted",
    "wanted_by",
];

/// The rule of local input that an operation from elsewhere breaks, if
/// any: the text of its value and of the keys and elements in its field
/// path under the field's limits, and a date field's range.
pub(super) fn broken_rule(op: &Op) -> Option<Rule> {
    let top = fields::top_field(&op.field);
    let limit = bounds::text_limit(op.kind, &top);
    let segments = fields::segments(&op.field);
    for seg in segments.iter().skip(1) {
        let (Segment::Key(s) | Segment::Elem(s)) = seg;
        if let Some(rule) = bounds::text_rule(s, limit) {
            return Some(rule);
        }
    }
    let Some(Value::Text(text)) = &op.value else {
        return None;
    };
    if let Some(rule) = bounds::text_rule(text, limit) {
        return Some(rule);
    }
    let last = match segments.last() {
        Some(Segment::Key(k)) => k.as_str(),
        _ => "",
    };
    if DATE_FIELDS.contains(&last) {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return bounds::date_rule(last, d);
        }
    }
    None
}
