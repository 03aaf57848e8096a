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

/// Packs operations into a [`Body`] one at a time. Each origin's
/// operations must come in counter order without gaps (as
/// `Store::each_op_since` gives them up to the version vector); a gap
/// starts a new run.
pub struct Packer {
    origins: Interner<ReplicaId>,
    authors: Interner<String>,
    ids: Interner<String>,
    fields: Interner<String>,
    runs: Vec<Run>,
    /// (origin, next counter, last hlc) of the open run.
    open: Option<(ReplicaId, u64, u64)>,
}

impl Default for Packer {
    fn default() -> Self {
        Packer {
            origins: Interner::new(),
            authors: Interner::new(),
            ids: Interner::new(),
            fields: Interner::new(),
            runs: Vec::new(),
            open: None,
        }
    }
}

impl Packer {
    pub fn push(&mut self, op: &Op) {
        let origin = self.origins.of(&op.origin);
        let author = self.authors.of(&op.author);
        let id = self.ids.of(&op.id);
        let change = Change {
            field: self.fields.of(&op.field),
            value: op.value.clone(),
            prev: op
                .prev
                .iter()
                .map(|p| (self.origins.of(&p.origin), p.counter))
                .collect(),
        };
        let (run, last_hlc) = match (&mut self.open, self.runs.last_mut()) {
            (Some((o, next, last_hlc)), Some(run)) if *o == op.origin && *next == op.counter => {
                *next = op.counter.saturating_add(1);
                (run, last_hlc)
            }
            _ => {
                self.runs.push(Run {
                    origin,
                    first: op.counter,
                    groups: Vec::new(),
                });
                let open = self
                    .open
                    .insert((op.origin, op.counter.saturating_add(1), 0));
                (self.runs.last_mut().expect("just pushed"), &mut open.2)
            }
        };
        let kind = op.kind.tag();
        match run.groups.last_mut() {
            Some(g)
                if *last_hlc == op.hlc && g.author == author && g.kind == kind && g.id == id =>
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
    }

    pub fn finish(self) -> Body {
        Body {
            origins: self.origins.list,
            authors: self.authors.list,
            ids: self.ids.list,
            fields: self.fields.list,
            runs: self.runs,
        }
    }
}

impl Body {
    /// Packs operations (see [`Packer`]).
    pub fn pack(ops: &[Op]) -> Body {
        let mut p = Packer::default();
        for op in ops {
            p.push(op);
        }
        p.finish()
    }

    /// Number of operations in the body.
    pub fn len(&self) -> u64 {
        self.runs
            .iter()
            .flat_map(|r| r.groups.iter())
            .map(|g| g.changes.len() as u64)
            .sum()
    }

    /// Whether the body holds no operation.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The operations one at a time, each index checked as it is met: a
    /// bundle of a million operations is never held unpacked as a whole.
    pub fn iter(&self) -> Unpack<'_> {
        Unpack {
            body: self,
            run: 0,
            group: 0,
            change: 0,
            counter: 0,
            hlc: 0,
            failed: false,
        }
    }

    /// Unpacks every operation, checking every index. At most `limit`
    /// operations are produced.
    pub fn unpack(&self, limit: u64) -> Result<Vec<Op>, SyncError> {
        let total = self.len();
        if total > limit {
            return Err(SyncError::Corrupt(
                "more operations than the header says".into(),
            ));
        }
        let mut out = Vec::with_capacity(total as usize);
        for op in self.iter() {
            out.push(op?);
        }
        Ok(out)
    }
}

/// The operations of a [`Body`] in order (see [`Body::iter`]). Stops after
/// the first error.
pub struct Unpack<'a> {
    body: &'a Body,
    run: usize,
    group: usize,
    change: usize,
    /// Counter of the next operation of the current run.
    counter: u64,
    /// Timestamp of the current group.
    hlc: u64,
    failed: bool,
}

impl Unpack<'_> {
    fn next_op(&mut self) -> Result<Option<Op>, SyncError> {
        let bad = |what: &str| SyncError::Corrupt(what.to_string());
        let b = self.body;
        loop {
            let Some(run) = b.runs.get(self.run) else {
                return Ok(None);
            };
            let Some(g) = run.groups.get(self.group) else {
                self.run += 1;
                self.group = 0;
                self.change = 0;
                continue;
            };
            if self.group == 0 && self.change == 0 {
                self.counter = run.first;
                self.hlc = 0;
            }
            if self.change == 0 {
                self.hlc = self.hlc.wrapping_add(g.hlc_delta);
            }
            let Some(c) = g.changes.get(self.change) else {
                self.group += 1;
                self.change = 0;
                continue;
            };
            let origin = |i: u32| {
                b.origins
                    .get(i as usize)
                    .copied()
                    .ok_or_else(|| bad("origin index"))
            };
            let kind = Kind::from_tag(g.kind).ok_or(SyncError::UnknownKind(g.kind))?;
            let author = b
                .authors
                .get(g.author as usize)
                .ok_or_else(|| bad("author index"))?;
            let id = b
                .ids
                .get(g.id as usize)
                .ok_or_else(|| bad("record index"))?;
            let field = b
                .fields
                .get(c.field as usize)
                .ok_or_else(|| bad("field index"))?;
            if self.counter == 0 {
                return Err(bad("counter"));
            }
            let mut prev = Vec::with_capacity(c.prev.len());
            for (po, pc) in &c.prev {
                prev.push(OpId {
                    origin: origin(*po)?,
                    counter: *pc,
                });
            }
            let op = Op {
                origin: origin(run.origin)?,
                counter: self.counter,
                hlc: self.hlc,
                author: author.clone(),
                kind,
                id: id.clone(),
                field: field.clone(),
                value: c.value.clone(),
                prev,
            };
            self.change += 1;
            // A run ending at the last counter is fine; one going past it is not.
            self.counter = self.counter.wrapping_add(1);
            if self.counter == 0 && self.change < g.changes.len() {
                return Err(bad("counter"));
            }
            return Ok(Some(op));
        }
    }
}

impl Iterator for Unpack<'_> {
    type Item = Result<Op, SyncError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.next_op() {
            Ok(op) => op.map(Ok),
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
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
