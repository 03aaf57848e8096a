//! The body of a bundle: operations in a compact form. Each origin's
//! operations form a *run* of consecutive counters; inside a run, the
//! operations of one command (same time, author and record) form a group
//! that states those once; strings (authors, record ids, field paths) and
//! replica ids are interned in tables. Timestamps are stored as the
//! difference from the previous group of the run. Encoded with bincode's
//! standard configuration (variable-length integers), then compressed.
//!
//! Read back without holding the body: the tables are decoded (charged to
//! a memory budget), then [`Ops`] reads one operation at a time, checking
//! each index as it is met (see `decode.rs` for the limits).

use std::collections::HashMap;
use std::io::BufRead;

use serde::{Deserialize, Serialize};

use super::decode::{Input, STRING};
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
}

/// Longest record id in a body (as `exchange::check` requires of ids).
pub const MAX_ID: usize = 64;
/// Longest field path in a body (as `exchange::check` requires).
pub const MAX_FIELD: usize = 1024;
/// Longest author (an operating-system user name) in a body.
pub const MAX_AUTHOR: usize = 1024;
/// Longest text value in a body (the longest field a record has is 4,000
/// characters).
pub const MAX_TEXT: usize = 1 << 20;
/// Most operations one operation may replace (`prev`: the field's
/// concurrent values, about one per office at most).
pub const MAX_PREV: u64 = 1 << 16;

/// The tables of a body, decoded and kept while its operations are read
/// (see [`Ops`]): what operations name by index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tables {
    pub origins: Vec<ReplicaId>,
    pub authors: Vec<String>,
    pub ids: Vec<String>,
    pub fields: Vec<String>,
}

/// Reads a table of strings, each charged at its size in memory.
fn strings<R: BufRead>(
    input: &mut Input<R>,
    max: usize,
    what: &str,
) -> Result<Vec<String>, SyncError> {
    let n = input.count(1, u64::MAX, what)?;
    input.charge(n as u64 * STRING, what)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(input.kept_string(max, what)?);
    }
    Ok(out)
}

fn skip_strings<R: BufRead>(input: &mut Input<R>, max: usize, what: &str) -> Result<(), SyncError> {
    for _ in 0..input.count(1, u64::MAX, what)? {
        input.skip_string(max, what)?;
    }
    Ok(())
}

const REPLICA: u64 = std::mem::size_of::<ReplicaId>() as u64;

impl Tables {
    /// Reads the tables at the start of a body, charging each entry to the
    /// budget of `input`.
    pub fn read<R: BufRead>(input: &mut Input<R>) -> Result<Tables, SyncError> {
        let what = "body.origins";
        let n = input.count(REPLICA, u64::MAX, what)?;
        input.charge(n as u64 * REPLICA, what)?;
        let mut origins = Vec::with_capacity(n);
        for _ in 0..n {
            origins.push(input.replica(what)?);
        }
        Ok(Tables {
            origins,
            authors: strings(input, MAX_AUTHOR, "body.authors")?,
            ids: strings(input, MAX_ID, "body.ids")?,
            fields: strings(input, MAX_FIELD, "body.fields")?,
        })
    }

    /// Skips the tables (read before; see [`Tables::read`]).
    pub fn skip<R: BufRead>(input: &mut Input<R>) -> Result<(), SyncError> {
        let n = input.count(REPLICA, u64::MAX, "body.origins")?;
        input.skip(n as u64 * REPLICA, "body.origins")?;
        skip_strings(input, MAX_AUTHOR, "body.authors")?;
        skip_strings(input, MAX_ID, "body.ids")?;
        skip_strings(input, MAX_FIELD, "body.fields")
    }

    fn origin(&self, i: u32) -> Result<ReplicaId, SyncError> {
        self.origins
            .get(i as usize)
            .copied()
            .ok_or_else(|| bad("origin index"))
    }
}

fn bad(what: &str) -> SyncError {
    SyncError::Corrupt(what.to_string())
}

/// The operations of a body in order, read one at a time from its
/// encoding after the tables: only the current one is in memory. Stops
/// after the first error.
pub struct Ops<'t, R> {
    input: Input<R>,
    tables: &'t Tables,
    /// Runs, groups of the run and changes of the group not read yet.
    runs: usize,
    groups: usize,
    changes: usize,
    /// The current run's origin and the counter of its next operation.
    origin: ReplicaId,
    counter: u64,
    /// The current group's timestamp, author, kind and record.
    hlc: u64,
    author: usize,
    kind: Kind,
    id: usize,
    failed: bool,
}

impl<'t, R: BufRead> Ops<'t, R> {
    /// The operations following the tables read into `tables` (`input` is
    /// just past them).
    pub fn new(mut input: Input<R>, tables: &'t Tables) -> Result<Self, SyncError> {
        // A run takes at least 3 bytes, a group 5, a change 3.
        let runs = input.count(3, u64::MAX, "body.runs")?;
        Ok(Ops {
            input,
            tables,
            runs,
            groups: 0,
            changes: 0,
            origin: [0; 16],
            counter: 0,
            hlc: 0,
            author: 0,
            kind: Kind::Org,
            id: 0,
            failed: false,
        })
    }

    /// After the last operation: the body must end exactly there.
    pub fn finish(mut self) -> Result<(), SyncError> {
        if self.input.left() != 0 {
            return Err(bad("trailing bytes in the body"));
        }
        if !self.input.at_end()? {
            return Err(bad("the body unpacks to more bytes than the header says"));
        }
        Ok(())
    }

    fn index(&mut self, len: usize, what: &str) -> Result<usize, SyncError> {
        let i = self.input.u32(what)? as usize;
        if i < len {
            Ok(i)
        } else {
            Err(bad(what))
        }
    }

    fn value(&mut self) -> Result<Option<Value>, SyncError> {
        let what = "body.value";
        if !self.input.some(what)? {
            return Ok(None);
        }
        Ok(Some(match self.input.u32(what)? {
            0 => Value::Bool(self.input.bool(what)?),
            1 => Value::Int(self.input.i64(what)?),
            2 => Value::Float(self.input.f64(what)?),
            3 => Value::Text(self.input.string(MAX_TEXT, what)?),
            v => return Err(SyncError::Corrupt(format!("{what}: variant {v}"))),
        }))
    }

    fn next_op(&mut self) -> Result<Option<Op>, SyncError> {
        let t = self.tables;
        loop {
            if self.changes > 0 {
                self.changes -= 1;
                break;
            }
            if self.groups > 0 {
                self.groups -= 1;
                let delta = self.input.u64("body.hlc")?;
                self.hlc = self.hlc.wrapping_add(delta);
                self.author = self.index(t.authors.len(), "author index")?;
                let tag = self.input.u8("body.kind")?;
                self.kind = Kind::from_tag(tag).ok_or(SyncError::UnknownKind(tag))?;
                self.id = self.index(t.ids.len(), "record index")?;
                self.changes = self.input.count(3, u64::MAX, "body.changes")?;
                continue;
            }
            if self.runs > 0 {
                self.runs -= 1;
                let o = self.index(t.origins.len(), "origin index")?;
                self.origin = t.origins[o];
                self.counter = self.input.u64("body.first")?;
                self.hlc = 0;
                self.groups = self.input.count(5, u64::MAX, "body.groups")?;
                continue;
            }
            return Ok(None);
        }
        // A run ending at the last counter is fine; one going past it is not.
        if self.counter == 0 {
            return Err(bad("counter"));
        }
        let field = self.index(t.fields.len(), "field index")?;
        let value = self.value()?;
        let n = self.input.count(2, MAX_PREV, "body.prev")?;
        let mut prev = Vec::with_capacity(n);
        for _ in 0..n {
            let origin = t.origin(self.input.u32("body.prev")?)?;
            let counter = self.input.u64("body.prev")?;
            prev.push(OpId { origin, counter });
        }
        let op = Op {
            origin: self.origin,
            counter: self.counter,
            hlc: self.hlc,
            author: t.authors[self.author].clone(),
            kind: self.kind,
            id: t.ids[self.id].clone(),
            field: t.fields[field].clone(),
            value,
            prev,
        };
        self.counter = self.counter.wrapping_add(1);
        Ok(Some(op))
    }
}

impl<R: BufRead> Iterator for Ops<'_, R> {
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

    /// Encodes `body` and reads it back as the bundle reader does.
    fn unpack(body: &Body) -> Result<Vec<Op>, SyncError> {
        let raw = bincode::serde::encode_to_vec(body, bincode::config::standard()).unwrap();
        let mut input = Input::new(&raw[..], raw.len() as u64, 1 << 20);
        let tables = Tables::read(&mut input)?;
        let mut ops = Ops::new(input, &tables)?;
        let out = ops.by_ref().collect::<Result<Vec<_>, _>>()?;
        ops.finish()?;
        Ok(out)
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
        let mut body = Body::pack(&ops);
        body.runs[0].groups[1].changes[0].value = Some(Value::Float(-2.5));
        body.runs[1].groups[0].changes[0].value = None;
        let mut expected = ops.clone();
        expected[2].value = Some(Value::Float(-2.5));
        expected[3].value = None;
        body.runs[2].groups[0].changes[0].value = Some(Value::Int(i64::MIN));
        expected[4].value = Some(Value::Int(i64::MIN));
        assert_eq!(body.runs.len(), 3);
        assert_eq!(body.runs[0].groups.len(), 2);
        assert_eq!(unpack(&body).unwrap(), expected);
        let mut broken = body.clone();
        broken.runs[0].groups[0].kind = 250;
        assert!(matches!(unpack(&broken), Err(SyncError::UnknownKind(250))));
        let mut broken = body.clone();
        broken.runs[0].groups[0].changes[0].field = 99;
        assert!(unpack(&broken).is_err());
        let mut broken = body.clone();
        broken.runs[0].groups[0].changes[0].prev = vec![(7, 1)];
        assert!(unpack(&broken).is_err());
        let mut broken = body;
        broken.runs[1].first = 0;
        assert!(unpack(&broken).is_err());
    }

    #[test]
    fn a_run_may_end_at_the_last_counter_but_not_go_past_it() {
        let at_end = Body::pack(&[op(1, u64::MAX, 5, "a-1", "name", vec![])]);
        assert_eq!(unpack(&at_end).unwrap().len(), 1);
        let mut past = Body::pack(&[
            op(1, u64::MAX, 5, "a-1", "name", vec![]),
            op(1, 1, 5, "a-1", "phone", vec![]),
        ]);
        // One run of two: the second would be counter 0.
        let second = past.runs.remove(1).groups.remove(0).changes.remove(0);
        past.runs[0].groups[0].changes.push(second);
        assert!(unpack(&past).is_err());
    }

    /// The attack of issue [1/6] 1 in the tables: empty strings cost one
    /// byte each on the wire and 24 in memory; 100,000 of them (2.4 MB)
    /// are refused by a budget of 1 MiB before the table is reserved.
    #[test]
    fn tables_are_charged_at_their_size_in_memory() {
        let body = Body {
            authors: vec![String::new(); 100_000],
            ..Body::default()
        };
        let raw = bincode::serde::encode_to_vec(&body, bincode::config::standard()).unwrap();
        let mut input = Input::new(&raw[..], raw.len() as u64, 1 << 20);
        assert_eq!(
            Tables::read(&mut input),
            Err(SyncError::Memory {
                field: "body.authors".into(),
                limit: 1 << 20
            })
        );
        // A count the bytes left cannot hold, refused before reserving.
        let mut raw = vec![0u8, 253];
        raw.extend_from_slice(&(1u64 << 40).to_le_bytes());
        raw.extend_from_slice(&[0; 10]);
        let mut input = Input::new(&raw[..], raw.len() as u64, u64::MAX);
        assert!(matches!(
            Tables::read(&mut input),
            Err(SyncError::Limit { .. })
        ));
        let long = Body {
            ids: vec!["x".repeat(MAX_ID + 1)],
            ..Body::default()
        };
        assert!(matches!(
            unpack(&long),
            Err(SyncError::Limit {
                found: 65,
                limit: 64,
                ..
            })
        ));
    }
}
