//! The state of one record: for each field path, the values that are not
//! superseded (its *heads*), with their stamps. The source of truth for
//! merges; the materialised record is derived from it.
//!
//! An operation names the operations on its field that it replaces (`prev`).
//! A field's heads are the operations that no other operation replaces. One
//! head is the usual case; several heads are concurrent values: the greatest
//! `(hlc, origin, counter)` wins (last-writer-wins) and the others are the
//! field's conflicts, kept until an edit replaces them all.
//!
//! Applying operations in any order, with duplicates removed beforehand,
//! gives the same heads: an operation that arrives after one that replaces
//! it is remembered in `superseded` and never becomes a head.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::api::{OpId, ReplicaId, Value};
use super::fields::{Fields, DELETED};

/// One value of a field and its stamp.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub value: Option<Value>,
    pub hlc: u64,
    pub id: OpId,
}

impl Head {
    /// Order of last-writer-wins: hybrid clock, then origin, then counter.
    fn rank(&self) -> (u64, ReplicaId, u64) {
        (self.hlc, self.id.origin, self.id.counter)
    }
}

/// The state of one field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldState {
    /// Values no operation replaces, sorted by rank (the winner last).
    pub heads: Vec<Head>,
    /// Operations already replaced by one that arrived before them.
    pub superseded: Vec<OpId>,
}

impl FieldState {
    /// The value that wins.
    pub fn winner(&self) -> Option<&Head> {
        self.heads.last()
    }

    /// Whether the field holds concurrent values.
    pub fn conflicted(&self) -> bool {
        self.heads.len() > 1
    }

    /// Ids of the heads: what a local edit of this field replaces.
    pub fn head_ids(&self) -> Vec<OpId> {
        self.heads.iter().map(|h| h.id).collect()
    }

    /// Applies one operation (not applied before). `seen` tells whether an
    /// operation is already known to this database.
    pub fn apply(&mut self, head: Head, prev: &[OpId], seen: &dyn Fn(&OpId) -> bool) {
        if let Some(i) = self.superseded.iter().position(|s| *s == head.id) {
            self.superseded.remove(i);
        } else {
            let pos = self.heads.partition_point(|h| h.rank() < head.rank());
            self.heads.insert(pos, head);
        }
        for p in prev {
            if let Some(i) = self.heads.iter().position(|h| h.id == *p) {
                self.heads.remove(i);
            } else if !seen(p) && !self.superseded.contains(p) {
                let pos = self.superseded.partition_point(|s| s < p);
                self.superseded.insert(pos, *p);
            }
        }
    }
}

/// The state of one record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordState {
    pub fields: BTreeMap<String, FieldState>,
}

impl RecordState {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The winning values (without the deletion mark) and whether the record
    /// is deleted.
    pub fn winners(&self) -> (Fields, bool) {
        let mut out = Fields::new();
        let mut deleted = false;
        for (path, fs) in &self.fields {
            let Some(Head { value: Some(v), .. }) = fs.winner() else {
                continue;
            };
            if path == DELETED {
                deleted = *v == Value::Bool(true);
            } else {
                out.insert(path.clone(), v.clone());
            }
        }
        (out, deleted)
    }

    /// Paths of fields holding concurrent values.
    pub fn conflicted(&self) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(_, f)| f.conflicted())
            .map(|(k, _)| k.as_str())
            .collect()
    }

    /// Ids a local edit of `path` replaces.
    pub fn heads_of(&self, path: &str) -> Vec<OpId> {
        self.fields
            .get(path)
            .map(FieldState::head_ids)
            .unwrap_or_default()
    }

    /// Encodes the state (canonically: equal states give equal bytes).
    ///
    /// Heads written by one command share a timestamp and origin and have
    /// consecutive counters: each such stamp is stored once per record, and
    /// a head keeps only its index and counter offset.
    pub fn encode(&self) -> Result<Vec<u8>, String> {
        let heads = || self.fields.values().flat_map(|f| f.heads.iter());
        let mut origins: Vec<ReplicaId> = self
            .fields
            .values()
            .flat_map(|f| {
                f.heads
                    .iter()
                    .map(|h| h.id.origin)
                    .chain(f.superseded.iter().map(|s| s.origin))
            })
            .collect();
        origins.sort_unstable();
        origins.dedup();
        let origin_index = |o: &ReplicaId| origins.binary_search(o).unwrap_or(0) as u32;
        // (hlc, origin) -> lowest counter.
        let mut firsts: BTreeMap<(u64, u32), u64> = BTreeMap::new();
        for h in heads() {
            let e = firsts
                .entry((h.hlc, origin_index(&h.id.origin)))
                .or_insert(h.id.counter);
            *e = (*e).min(h.id.counter);
        }
        let stamps: Vec<(u64, u32, u64)> = firsts.iter().map(|((h, o), c)| (*h, *o, *c)).collect();
        let stamp_of = |h: &Head| -> (u32, u64) {
            let key = (h.hlc, origin_index(&h.id.origin));
            let i = stamps
                .binary_search_by(|(sh, so, _)| (*sh, *so).cmp(&key))
                .unwrap_or(0);
            (i as u32, h.id.counter - stamps[i].2)
        };
        let fields = self
            .fields
            .iter()
            .map(|(path, f)| StoredField {
                path: path.clone(),
                heads: f
                    .heads
                    .iter()
                    .map(|h| {
                        let (stamp, offset) = stamp_of(h);
                        StoredHead {
                            value: h.value.clone(),
                            stamp,
                            offset,
                        }
                    })
                    .collect(),
                superseded: f
                    .superseded
                    .iter()
                    .map(|s| (origin_index(&s.origin), s.counter))
                    .collect(),
            })
            .collect();
        let stored = Stored {
            origins: origins.clone(),
            stamps,
            fields,
        };
        bincode::serde::encode_to_vec(&stored, bincode::config::standard())
            .map_err(|e| format!("record state: {e}"))
    }

    /// Decodes a state written by [`encode`](Self::encode).
    pub fn decode(bytes: &[u8]) -> Result<RecordState, String> {
        let (stored, _): (Stored, usize) =
            bincode::serde::decode_from_slice(bytes, bincode::config::standard())
                .map_err(|e| format!("record state: {e}"))?;
        let bad = || "record state: bad index".to_string();
        let origin = |i: u32| -> Result<ReplicaId, String> {
            stored.origins.get(i as usize).copied().ok_or_else(bad)
        };
        let mut fields = BTreeMap::new();
        for f in &stored.fields {
            let mut heads = Vec::with_capacity(f.heads.len());
            for h in &f.heads {
                let (hlc, o, first) = *stored.stamps.get(h.stamp as usize).ok_or_else(bad)?;
                heads.push(Head {
                    value: h.value.clone(),
                    hlc,
                    id: OpId {
                        origin: origin(o)?,
                        counter: first.checked_add(h.offset).ok_or_else(bad)?,
                    },
                });
            }
            let mut superseded = Vec::with_capacity(f.superseded.len());
            for (o, c) in &f.superseded {
                superseded.push(OpId {
                    origin: origin(*o)?,
                    counter: *c,
                });
            }
            fields.insert(f.path.clone(), FieldState { heads, superseded });
        }
        Ok(RecordState { fields })
    }
}

/// The stored form: origins and command stamps interned.
#[derive(Serialize, Deserialize)]
struct Stored {
    origins: Vec<ReplicaId>,
    /// (hlc, origin index, lowest counter) of the heads written together.
    stamps: Vec<(u64, u32, u64)>,
    fields: Vec<StoredField>,
}

#[derive(Serialize, Deserialize)]
struct StoredField {
    path: String,
    heads: Vec<StoredHead>,
    superseded: Vec<(u32, u64)>,
}

#[derive(Serialize, Deserialize)]
struct StoredHead {
    value: Option<Value>,
    /// Index in `stamps`.
    stamp: u32,
    /// Counter minus the stamp's lowest counter.
    offset: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(o: u8, c: u64) -> OpId {
        OpId {
            origin: [o; 16],
            counter: c,
        }
    }

    fn head(o: u8, c: u64, hlc: u64, v: &str) -> Head {
        Head {
            value: Some(Value::Text(v.into())),
            hlc,
            id: id(o, c),
        }
    }

    /// Applies (head, prev) pairs in order, `seen` being what came before.
    fn run(ops: &[(Head, Vec<OpId>)]) -> FieldState {
        let mut f = FieldState::default();
        let mut seen: Vec<OpId> = Vec::new();
        for (h, prev) in ops {
            let s = seen.clone();
            f.apply(h.clone(), prev, &|p| s.contains(p));
            seen.push(h.id);
        }
        f
    }

    #[test]
    fn sequential_edits_replace() {
        let a = head(1, 1, 10, "甲");
        let b = head(2, 1, 20, "乙");
        let f = run(&[(a.clone(), vec![]), (b.clone(), vec![a.id])]);
        assert_eq!(f.heads, vec![b.clone()]);
        // The other order: b arrives first, a is already replaced.
        let g = run(&[(b.clone(), vec![a.id]), (a, vec![])]);
        assert_eq!(g, f);
    }

    #[test]
    fn concurrent_edits_keep_both() {
        let base = head(1, 1, 10, "甲");
        let x = head(1, 2, 30, "乙");
        let y = head(2, 1, 20, "丙");
        let orders = [
            vec![
                (base.clone(), vec![]),
                (x.clone(), vec![base.id]),
                (y.clone(), vec![base.id]),
            ],
            vec![
                (y.clone(), vec![base.id]),
                (x.clone(), vec![base.id]),
                (base.clone(), vec![]),
            ],
            vec![
                (x.clone(), vec![base.id]),
                (base.clone(), vec![]),
                (y.clone(), vec![base.id]),
            ],
        ];
        let states: Vec<_> = orders.iter().map(|o| run(o)).collect();
        assert_eq!(states[0].heads, vec![y.clone(), x.clone()]);
        assert!(states[0].conflicted());
        assert_eq!(states[0].winner(), Some(&x));
        assert!(states.iter().all(|s| *s == states[0]));
        // An edit that saw both settles the conflict.
        let z = head(2, 2, 40, "丁");
        let mut f = states[0].clone();
        f.apply(z.clone(), &[x.id, y.id], &|_| true);
        assert_eq!(f.heads, vec![z]);
    }

    #[test]
    fn encoding_round_trips_and_is_canonical() {
        let mut r = RecordState::default();
        let mut f = FieldState::default();
        f.apply(head(3, 1, 5, "甲"), &[], &|_| true);
        f.apply(head(1, 9, 6, "乙"), &[id(2, 4)], &|_| false);
        r.fields.insert("name".into(), f);
        let bytes = r.encode().unwrap();
        assert_eq!(RecordState::decode(&bytes).unwrap(), r);
        assert_eq!(
            RecordState::decode(&bytes).unwrap().encode().unwrap(),
            bytes
        );
        assert!(RecordState::decode(&[0xff, 0xff]).is_err());
        // Heads of one command share a stamp; a second command and a
        // concurrent value from elsewhere each add one.
        let mut r = RecordState::default();
        for (i, path) in ["name", "phone", "type"].iter().enumerate() {
            let mut f = FieldState::default();
            f.apply(head(7, 40 + i as u64, 100, path), &[], &|_| true);
            r.fields.insert(path.to_string(), f);
        }
        r.fields
            .get_mut("phone")
            .unwrap()
            .apply(head(8, 3, 90, "13812345678"), &[], &|_| true);
        r.fields
            .get_mut("name")
            .unwrap()
            .apply(head(7, 50, 120, "新名"), &[id(7, 40)], &|_| true);
        let bytes = r.encode().unwrap();
        let back = RecordState::decode(&bytes).unwrap();
        assert_eq!(back, r);
        assert!(back.fields["phone"].conflicted());
        assert_eq!(back.fields["name"].heads[0].id, id(7, 50));
    }
}
