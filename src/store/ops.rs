//! The change log as stored: consecutive operations of one origin that share
//! a timestamp, author and record (one command's operations, usually) are
//! kept as one *group*, keyed by origin and first counter. An organization
//! created with 20 fields is one log entry of 20 changes instead of 20 keys.
//! The log as seen from outside is always a list of [`Op`]s.

use serde::{Deserialize, Serialize};

use super::api::{Op, OpId, ReplicaId, Value};
use crate::model::Kind;

/// One field change inside a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub value: Option<Value>,
    pub prev: Vec<OpId>,
}

/// Operations with counters `first..first + changes.len()` of one origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub hlc: u64,
    pub author: String,
    pub kind_tag: u8,
    pub id: String,
    pub changes: Vec<Change>,
}

impl Group {
    /// Whether `op` can join this group of `origin` starting at `first`: it
    /// is the next operation of the same origin, time, author and record.
    pub fn accepts(&self, origin: &ReplicaId, first: u64, op: &Op) -> bool {
        op.origin == *origin
            && op.counter == first + self.changes.len() as u64
            && op.hlc == self.hlc
            && op.author == self.author
            && op.kind.tag() == self.kind_tag
            && op.id == self.id
    }

    /// A group holding one operation.
    pub fn of(op: &Op) -> Group {
        Group {
            hlc: op.hlc,
            author: op.author.clone(),
            kind_tag: op.kind.tag(),
            id: op.id.clone(),
            changes: vec![Change {
                field: op.field.clone(),
                value: op.value.clone(),
                prev: op.prev.clone(),
            }],
        }
    }

    /// The operations of this group.
    pub fn expand(&self, origin: ReplicaId, first: u64) -> Result<Vec<Op>, String> {
        let kind = Kind::from_tag(self.kind_tag)
            .ok_or_else(|| format!("operation of unknown kind {}", self.kind_tag))?;
        Ok(self
            .changes
            .iter()
            .enumerate()
            .map(|(i, c)| Op {
                origin,
                counter: first + i as u64,
                hlc: self.hlc,
                author: self.author.clone(),
                kind,
                id: self.id.clone(),
                field: c.field.clone(),
                value: c.value.clone(),
                prev: c.prev.clone(),
            })
            .collect())
    }

    /// The last counter of the group starting at `first`.
    pub fn last(&self, first: u64) -> u64 {
        first + self.changes.len().saturating_sub(1) as u64
    }

    /// The stored value of the group starting at `first`: its last counter
    /// (8 bytes, big-endian, so that gaps are found without decoding), then
    /// the group.
    pub fn encode(&self, first: u64) -> Result<Vec<u8>, String> {
        let mut out = self.last(first).to_be_bytes().to_vec();
        bincode::serde::encode_into_std_write(self, &mut out, bincode::config::standard())
            .map_err(|e| format!("operation group: {e}"))?;
        Ok(out)
    }

    /// Decodes a value written by [`encode`](Self::encode).
    pub fn decode(bytes: &[u8]) -> Result<Group, String> {
        let body = bytes.get(8..).ok_or("operation group: too short")?;
        bincode::serde::decode_from_slice(body, bincode::config::standard())
            .map(|(g, _)| g)
            .map_err(|e| format!("operation group: {e}"))
    }

    /// The last counter of a stored group, without decoding it.
    pub fn stored_last(bytes: &[u8]) -> Option<u64> {
        Some(u64::from_be_bytes(bytes.get(..8)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(counter: u64, field: &str) -> Op {
        Op {
            origin: [3; 16],
            counter,
            hlc: 77,
            author: "zhang".into(),
            kind: Kind::Org,
            id: "k5d2wa-1".into(),
            field: field.into(),
            value: Some(Value::Text("值".into())),
            prev: vec![],
        }
    }

    #[test]
    fn group_round_trip() {
        let mut g = Group::of(&op(5, "name"));
        let next = op(6, "phone");
        assert!(g.accepts(&[3; 16], 5, &next));
        assert!(!g.accepts(&[3; 16], 5, &op(7, "phone")));
        assert!(!g.accepts(&[4; 16], 5, &next));
        g.changes.push(Change {
            field: next.field.clone(),
            value: next.value.clone(),
            prev: vec![],
        });
        let bytes = g.encode(5).unwrap();
        assert_eq!(Group::stored_last(&bytes), Some(6));
        let back = Group::decode(&bytes).unwrap();
        assert_eq!(back, g);
        assert_eq!(back.expand([3; 16], 5).unwrap(), vec![op(5, "name"), next]);
        assert_eq!(back.last(5), 6);
    }
}
