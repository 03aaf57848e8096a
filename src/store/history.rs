//! A digest of the database's history: every operation group in the change
//! log, combined so that it can be kept up to date one group at a time and
//! taken back to an earlier version vector.
//!
//! Each group (its key, which names its origin and first counter, and its
//! stored bytes) is hashed with blake3; the digest is the XOR of those
//! hashes. Groups are written once and never removed or rewritten, so the
//! digest changes with every group stored and two databases with the same
//! groups have the same digest, whatever order they came in.
//!
//! Caches beside the database stamp the digest of the history they reflect
//! ([`Store::history_upto`]): a database restored in place from an older
//! backup that then reaches the same counters with other changes has
//! another digest, so those caches are never served (the counters alone
//! could not tell).

use serde::{Deserialize, Serialize};

use super::keys::{self, OPS};
use super::{Store, StoreError};

/// Where the digest is kept (`meta`), beside the counters.
pub const META_HISTORY: &str = "history";

/// The digest of a set of operation groups.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct History(pub [u8; 32]);

impl History {
    /// Adds a group stored under `key` with bytes `value`; adding the same
    /// group again takes it out.
    pub fn toggle(&mut self, key: &[u8], value: &[u8]) {
        let mut h = blake3::Hasher::new();
        h.update(&(key.len() as u64).to_le_bytes());
        h.update(key);
        h.update(value);
        for (a, b) in self.0.iter_mut().zip(h.finalize().as_bytes()) {
            *a ^= b;
        }
    }

    /// The digest of every group in the log of `db` (a database written
    /// before the digest was kept).
    pub fn of_log(db: &sled::Db) -> Result<History, StoreError> {
        let mut h = History::default();
        for kv in db.scan_prefix([OPS]) {
            let (k, v) = kv.map_err(super::db::storage)?;
            h.toggle(&k, &v);
        }
        Ok(h)
    }

    pub fn from_bytes(b: &[u8]) -> Option<History> {
        Some(History(b.try_into().ok()?))
    }
}

impl Store {
    /// The digest of the history up to a version vector `then`: every
    /// group of an origin at or below its counter in `then`. Groups never
    /// straddle a vector entry (a group is stored whole, and the entry only
    /// moves over contiguous counters), so this is the digest of exactly
    /// the operations a cache stamped with `then` reflects, and it is equal
    /// only if this database holds that same history.
    pub fn history_upto(
        &self,
        then: &std::collections::BTreeMap<super::ReplicaId, u64>,
    ) -> Result<History, StoreError> {
        // No commit in between: the digest and the log agree.
        let ws = self.writer();
        let mut h = ws.w.history;
        for origin in self.origins()? {
            let after = then.get(&origin).copied().unwrap_or(0);
            let range = keys::op_group(&origin, after.saturating_add(1))
                ..=keys::op_group(&origin, u64::MAX);
            for kv in self.db.range(range) {
                let (k, v) = kv.map_err(super::db::storage)?;
                h.toggle(&k, &v);
            }
        }
        Ok(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_does_not_depend_on_order_and_takes_back() {
        let (mut a, mut b) = (History::default(), History::default());
        a.toggle(b"k1", b"v1");
        a.toggle(b"k2", b"v2");
        b.toggle(b"k2", b"v2");
        b.toggle(b"k1", b"v1");
        assert_eq!(a, b);
        assert_ne!(a, History::default());
        a.toggle(b"k2", b"v2");
        let mut c = History::default();
        c.toggle(b"k1", b"v1");
        assert_eq!(a, c);
        c.toggle(b"k1", b"other");
        assert_ne!(a, c);
    }
}
