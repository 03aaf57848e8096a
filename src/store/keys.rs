//! Key layout. Everything lives in one sled tree, so that one atomic batch
//! writes a command's state, operations and indexes together; the first byte
//! of a key names its space. Numbers are big-endian so ranges scan in order;
//! variable parts are followed by a 0 byte (ids and codes never contain one).
//!
//! | space | key                                    | value                    |
//! |-------|----------------------------------------|--------------------------|
//! | `M`   | name                                   | meta value               |
//! | `L`   | origin(16) counter(8)                  | operation group          |
//! | `V`   | origin(16)                             | highest contiguous counter (8); every origin seen |
//! | `O`   | origin(16)                             | office name              |
//! | `S`   | kind id                                | record state             |
//! | `R`   | kind id                                | live record (bincode)    |
//! | `X`   | kind id                                | deleted record (bincode) |
//! | `C`   | kind id 0 field                        | empty (field in conflict)|
//! | `G`   | grid 0 id                              | organization name        |
//! | `K`   | credit code 0 id                       | empty                    |
//! | `N`   | kind name 0 id                         | empty                    |
//! | `P`   | parent 0 code                          | place level key          |
//! | `Y`   | replica(16)                            | sync peer (see `peers.rs`) |
//! | `D`   | origin(16) counter(8) digest(8)        | operation held for review (see `remote.rs`) |

use super::api::ReplicaId;
use crate::model::Kind;

pub const META: u8 = b'M';
pub const OPS: u8 = b'L';
pub const VV: u8 = b'V';
pub const OFFICE: u8 = b'O';
pub const STATE: u8 = b'S';
pub const LIVE: u8 = b'R';
pub const GONE: u8 = b'X';
pub const CONFLICT: u8 = b'C';
pub const BY_GRID: u8 = b'G';
pub const BY_CREDIT: u8 = b'K';
pub const BY_NAME: u8 = b'N';
pub const BY_PARENT: u8 = b'P';
pub const PEER: u8 = b'Y';
pub const HELD: u8 = b'D';

/// Separator after a variable-length part.
pub const SEP: u8 = 0;

pub fn meta(name: &str) -> Vec<u8> {
    let mut k = vec![META];
    k.extend_from_slice(name.as_bytes());
    k
}

pub fn op_group(origin: &ReplicaId, counter: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(25);
    k.push(OPS);
    k.extend_from_slice(origin);
    k.extend_from_slice(&counter.to_be_bytes());
    k
}

/// Prefix of every operation group of `origin`.
pub fn op_origin(origin: &ReplicaId) -> Vec<u8> {
    let mut k = Vec::with_capacity(17);
    k.push(OPS);
    k.extend_from_slice(origin);
    k
}

/// `(origin, first counter)` of an operation group key.
pub fn parse_op_group(key: &[u8]) -> Option<(ReplicaId, u64)> {
    if key.len() != 25 || key[0] != OPS {
        return None;
    }
    let origin: ReplicaId = key[1..17].try_into().ok()?;
    let counter = u64::from_be_bytes(key[17..25].try_into().ok()?);
    Some((origin, counter))
}

pub fn origin_key(space: u8, origin: &ReplicaId) -> Vec<u8> {
    let mut k = Vec::with_capacity(17);
    k.push(space);
    k.extend_from_slice(origin);
    k
}

/// `S`, `R` or `X` key of a record.
pub fn record(space: u8, kind: Kind, id: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(2 + id.len());
    k.push(space);
    k.push(kind.tag());
    k.extend_from_slice(id.as_bytes());
    k
}

/// Prefix of every `S`, `R` or `X` key of a kind.
pub fn kind_prefix(space: u8, kind: Kind) -> Vec<u8> {
    vec![space, kind.tag()]
}

pub fn conflict(kind: Kind, id: &str, field: &str) -> Vec<u8> {
    let mut k = conflict_prefix(kind, id);
    k.extend_from_slice(field.as_bytes());
    k
}

pub fn conflict_prefix(kind: Kind, id: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(3 + id.len());
    k.push(CONFLICT);
    k.push(kind.tag());
    k.extend_from_slice(id.as_bytes());
    k.push(SEP);
    k
}

/// `(kind, id, field)` of a conflict key.
pub fn parse_conflict(key: &[u8]) -> Option<(Kind, String, String)> {
    if key.len() < 3 || key[0] != CONFLICT {
        return None;
    }
    let kind = Kind::from_tag(key[1])?;
    let rest = &key[2..];
    let sep = rest.iter().position(|b| *b == SEP)?;
    let id = std::str::from_utf8(&rest[..sep]).ok()?.to_string();
    let field = std::str::from_utf8(&rest[sep + 1..]).ok()?.to_string();
    Some((kind, id, field))
}

/// A key made of a space, a variable part, the separator and a suffix.
pub fn pair(space: u8, part: &str, suffix: &str) -> Vec<u8> {
    let mut k = pair_prefix(space, part);
    k.extend_from_slice(suffix.as_bytes());
    k
}

/// The prefix of every [`pair`] key with this part.
pub fn pair_prefix(space: u8, part: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(2 + part.len());
    k.push(space);
    k.extend(part.bytes().filter(|b| *b != SEP));
    k.push(SEP);
    k
}

/// The suffix of a [`pair`] key (after the separator).
pub fn pair_suffix(key: &[u8]) -> Option<&str> {
    let sep = key.iter().skip(1).position(|b| *b == SEP)? + 1;
    std::str::from_utf8(&key[sep + 1..]).ok()
}

pub fn by_name(kind: Kind, name: &str, id: &str) -> Vec<u8> {
    let mut k = vec![BY_NAME, kind.tag()];
    k.extend(name.bytes().filter(|b| *b != SEP));
    k.push(SEP);
    k.extend_from_slice(id.as_bytes());
    k
}

/// An operation held for review: its id and a digest of its content (two
/// forged versions of one id are both kept).
pub fn held(origin: &ReplicaId, counter: u64, digest: &[u8; 8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(33);
    k.push(HELD);
    k.extend_from_slice(origin);
    k.extend_from_slice(&counter.to_be_bytes());
    k.extend_from_slice(digest);
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_back() {
        let o = [7u8; 16];
        assert_eq!(parse_op_group(&op_group(&o, 42)), Some((o, 42)));
        assert_eq!(
            parse_conflict(&conflict(Kind::Org, "k5d2wa-17", "rating/level")),
            Some((Kind::Org, "k5d2wa-17".into(), "rating/level".into()))
        );
        let g = pair(BY_GRID, "BSJ-01-03", "k5d2wa-17");
        assert!(g.starts_with(&pair_prefix(BY_GRID, "BSJ-01-03")));
        assert!(!g.starts_with(&pair_prefix(BY_GRID, "BSJ-01")));
        assert_eq!(pair_suffix(&g), Some("k5d2wa-17"));
        assert_eq!(pair_suffix(&pair(BY_GRID, "", "x-1")), Some("x-1"));
    }

    #[test]
    fn counters_sort_numerically() {
        let o = [1u8; 16];
        assert!(op_group(&o, 255) < op_group(&o, 256));
    }
}
