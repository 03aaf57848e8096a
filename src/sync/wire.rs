//! The body of a bundle: operations in a compact form. Each origin's
//! operations form a *run* of consecutive counters; inside a run, the
//! operations of one command (same time, author and record) form a group
//! that states those once; strings (authors, record ids, field paths) and
//! replica ids are interned in tables. Timestamps are stored as the
//! difference from the previous group of the run. Encoded with bincode's
//! standard configuration (variable-length integers), then compressed.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::error::SyncError;
use crate::model::Kind;
use crate::store::{Op, OpId, ReplicaId, Value};

/// The decoded body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Body {
    pub origins: Vec<ReplicaId>,
    pub authors: Vec<String>,
    pub ids: Vec<String>,
    pub fields: Vec<String>,
    pub runs: Vec<Run>,
}

/// Consecutive operations of one origin, from counter `first` on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// Index in `origins`.
    pub origin: u32,
    pub first: u64,
    pub groups: Vec<Group>,
}

/// Operations of one command: same timestamp, author and record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Timestamp minus the previous group's in the run (wrapping; the
    /// first group of a run holds its timestamp).
    pub hlc_delta: u64,
    /// Index in `authors`.
    pub author: u32,
    /// `Kind::tag()` of the record.
    pub kind: u8,
    /// Index in `ids`.
    pub id: u32,
    pub changes: Vec<Change>,
}

/// One operation of a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Index in `fields`.
    pub field: u32,
    pub value: Option<Value>,
    /// Replaced operations: (index in `origins`, counter).
    pub prev: Vec<(u32, u64)>,
}

/// Interns strings in first-seen order.
struct Interner<T> {
    list: Vec<T>,
    index: HashMap<T, u32>,
}

impl<T: Clone + Eq + std::hash::Hash> Interner<T> {
    fn new() -> Self {
        Interner {
            list: Vec::new(),
            index: HashMap::new(),
        }
    }

    fn of(&mut self, v: &T) -> u32 {
        if let Some(i) = self.index.get(v) {
            return *i;
        }
        let i = self.list.len() as u32;
        self.list.push(v.clone());
        self.index.insert(v.clone(), i);
        i
    }
}

impl Body {
    /// Packs operations. Each origin's operations must be in counter order
    /// without gaps (as `Store::ops_since` gives them up to the version
    /// vector); a gap starts a new run.
    pub fn pack(ops: &[Op]) -> Body {
        let mut origins = Interner::new();
        let mut authors = Interner::new();
        let mut ids = Interner::new();
        let mut fields = Interner::new();
        let mut runs: Vec<Run> = Vec::new();
        // (origin, next counter, last hlc) of the open run.
        let mut open: Option<(ReplicaId, u64, u64)> = None;
        for op in ops {
            let origin = origins.of(&op.origin);
            let author = authors.of(&op.author);
            let id = ids.of(&op.id);
            let change = Change {
                field: fields.of(&op.field),
                value: op.value.clone(),
                prev: op
                    .prev
                    .iter()
                    .map(|p| (origins.of(&p.origin), p.counter))
                    .collect(),
            };
            let continues =
                matches!(open, Some((o, next, _)) if o == op.origin && next == op.counter);
            if !continues {
                runs.push(Run {
                    origin,
                    first: op.counter,
                    groups: Vec::new(),
                });
                open = Some((op.origin, op.counter, 0));
            }
            let (_, next, last_hlc) = open.as_mut().expect("a run is open");
            let run = runs.last_mut().expect("a run is open");
            let kind = op.kind.tag();
            match run.groups.last_mut() {
                Some(g)
                    if *last_hlc == op.hlc
                        && g.author == author
                        && g.kind == kind
                        && g.id == id =>
                {
                    g.changes.push(change)
                }
                _ => {
                    run.groups.push(Group {
                        hlc_delta: op.hlc.wrapping_sub(*last_hlc),
                        author,
                        kind,
                        id,
                        changes: vec![change],
                    });
                    *last_hlc = op.hlc;
                }
            }
            *next = op.counter.saturating_add(1);
        }
        Body {
            origins: origins.list,
            authors: authors.list,
            ids: ids.list,
            fields: fields.list,
            runs,
        }
    }

    /// Unpacks the operations, checking every index. At most `limit`
    /// operations are produced.
    pub fn unpack(&self, limit: u64) -> Result<Vec<Op>, SyncError> {
        let bad = |what: &str| SyncError::Corrupt(what.to_string());
        let origin = |i: u32| {
            self.origins
                .get(i as usize)
                .copied()
                .ok_or_else(|| bad("origin index"))
        };
        let total: u64 = self
            .runs
            .iter()
            .flat_map(|r| r.groups.iter())
            .map(|g| g.changes.len() as u64)
            .sum();
        if total > limit {
            return Err(bad("more operations than the header says"));
        }
        let mut out = Vec::with_capacity(total as usize);
        for run in &self.runs {
            let o = origin(run.origin)?;
            let mut counter = run.first;
            let mut hlc = 0u64;
            for g in &run.groups {
                hlc = hlc.wrapping_add(g.hlc_delta);
                let kind = Kind::from_tag(g.kind).ok_or(SyncError::UnknownKind(g.kind))?;
                let author = self
                    .authors
                    .get(g.author as usize)
                    .ok_or_else(|| bad("author index"))?;
                let id = self
                    .ids
                    .get(g.id as usize)
                    .ok_or_else(|| bad("record index"))?;
                for c in &g.changes {
                    if counter == 0 {
                        return Err(bad("counter"));
                    }
                    let field = self
                        .fields
                        .get(c.field as usize)
                        .ok_or_else(|| bad("field index"))?;
                    let mut prev = Vec::with_capacity(c.prev.len());
                    for (po, pc) in &c.prev {
                        prev.push(OpId {
                            origin: origin(*po)?,
                            counter: *pc,
                        });
                    }
                    out.push(Op {
                        origin: o,
                        counter,
                        hlc,
                        author: author.clone(),
                        kind,
                        id: id.clone(),
                        field: field.clone(),
                        value: c.value.clone(),
                        prev,
                    });
                    counter = counter.checked_add(1).ok_or_else(|| bad("counter"))?;
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(origin: u8, counter: u64, hlc: u64, id: &str, field: &str, prev: Vec<OpId>) -> Op {
        Op {
            origin: [origin; 16],
            counter,
            hlc,
            author: "wang".into(),
            kind: Kind::Org,
            id: id.into(),
            field: field.into(),
            value: Some(Value::Text("社区".into())),
            prev,
        }
    }

    #[test]
    fn pack_unpack_round_trip() {
        let p = OpId {
            origin: [1; 16],
            counter: 1,
        };
        let ops = vec![
            op(1, 1, 100, "a-1", "name", vec![]),
            op(1, 2, 100, "a-1", "phone", vec![]),
            op(1, 3, 150, "a-1", "name", vec![p]),
            op(1, 7, 200, "a-2", "name", vec![]),
            op(2, 1, 90, "a-1", "name", vec![p]),
        ];
        let body = Body::pack(&ops);
        assert_eq!(body.runs.len(), 3);
        assert_eq!(body.runs[0].groups.len(), 2);
        assert_eq!(body.unpack(5).unwrap(), ops);
        assert!(body.unpack(4).is_err());
        let mut broken = body.clone();
        broken.runs[0].groups[0].kind = 250;
        assert!(matches!(broken.unpack(5), Err(SyncError::UnknownKind(250))));
        let mut broken = body;
        broken.runs[0].groups[0].changes[0].field = 99;
        assert!(broken.unpack(5).is_err());
    }
}
