//! The stamp every projection file starts with, and reading and writing
//! such a file. A file is a stamp and a body. The stamp names the file (so
//! a file renamed from another projection is not read as this one), its
//! format, the store's schema, what the body reflects ([`Basis`]) and a
//! blake3 digest of the body (a file cut short or changed is not used).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::store::api::ReplicaId;

/// Refuse to decode more than this (the file is ours, but disks lie).
const MAX_BYTES: usize = 1 << 30;

/// A version vector: origin -> highest contiguous counter.
pub type Vector = BTreeMap<ReplicaId, u64>;

/// What a projection file reflects: the database (its replica id) and its
/// history up to a version vector, named by the vector and the digest of
/// the operations up to it (see `history.rs`). The vector says where a
/// catch-up starts; the digest makes sure the history up to there is this
/// database's, so a database restored in place from an older backup, or
/// another database with equal counters, is never served another's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Basis {
    pub replica: ReplicaId,
    pub vv: Vector,
    pub history: crate::store::history::History,
}

#[derive(Serialize, Deserialize)]
struct Stamp {
    /// The projection's file name.
    name: String,
    format: u32,
    /// The store's schema: records are kept in its encoding.
    schema: u32,
    basis: Basis,
    digest: [u8; 32],
}

pub fn config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<MAX_BYTES>()
}

/// A readable, whole file named `name` of this `format` and schema: what it
/// reflects, its bytes and where the body starts in them. Whether the basis
/// is this database's is the caller's to check
/// ([`Store::basis_holds`](crate::store::Store::basis_holds)).
pub fn read(path: &Path, name: &str, format: u32) -> Option<(Basis, Vec<u8>, usize)> {
    let bytes = std::fs::read(path).ok()?;
    let (stamp, n): (Stamp, usize) = bincode::serde::decode_from_slice(&bytes, config()).ok()?;
    if stamp.name != name || stamp.format != format || stamp.schema != crate::store::SCHEMA {
        return None;
    }
    if *blake3::hash(&bytes[n..]).as_bytes() != stamp.digest {
        return None;
    }
    Some((stamp.basis, bytes, n))
}

/// Writes a file atomically; errors are the caller's to ignore.
pub fn write(
    path: &Path,
    name: &str,
    format: u32,
    basis: &Basis,
    body: &[u8],
) -> std::io::Result<()> {
    let stamp = Stamp {
        name: name.to_string(),
        format,
        schema: crate::store::SCHEMA,
        basis: basis.clone(),
        digest: *blake3::hash(body).as_bytes(),
    };
    let mut bytes = bincode::serde::encode_to_vec(&stamp, config())
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    bytes.extend_from_slice(body);
    crate::files::write_atomic(path, &bytes)
}
