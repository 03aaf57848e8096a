//! What sync needs to remember beside the records: the network this
//! database belongs to, and for each other office it exchanged bundles with
//! (its *peer*) the version vector it last reported and when bundles last
//! went each way. Also a checksum of the whole database, so tests and tools
//! can prove that a refused import changed nothing.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

use serde::{Deserialize, Serialize};

use super::api::{ApplyReport, Op, ReplicaId, StoreError};
use super::db::storage;
use super::keys::{self, OFFICE, PEER};
use super::tx::Tx;
use super::{Store, META_NETWORK, META_OFFICE};
use crate::model::{Rule, ValidationErrors};

/// Another office this database exchanged bundles with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerInfo {
    /// Its office name, as it last said.
    pub office: String,
    /// The version vector it reported in the last bundle received from it
    /// (per origin, the highest of all its reports).
    pub reported: BTreeMap<ReplicaId, u64>,
    /// When a bundle from it was last imported (Unix milliseconds).
    pub last_received: Option<i64>,
    /// When a bundle for it was last exported (Unix milliseconds).
    pub last_sent: Option<i64>,
}

/// What an import learns about the sender, written in the same batch as
/// the operations it brings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerUpdate {
    pub replica: ReplicaId,
    pub office: String,
    pub reported: BTreeMap<ReplicaId, u64>,
    /// Office names of the origins of the operations (relayed ones too).
    pub offices: Vec<(ReplicaId, String)>,
    /// Now, Unix milliseconds.
    pub at: i64,
    /// Identity of the bundle (its hash): names an import left unfinished.
    pub bundle: [u8; 32],
    /// When the sender wrote the bundle (Unix milliseconds, its clock).
    pub created: i64,
}

/// Remote operations are applied in transactions of at most this many: one
/// batch of a million operations would hold gigabytes (the overlay, and
/// every page sled touches in a batch). 20,000 keeps an import of any size
/// in a few tens of MB.
pub const APPLY_CHUNK: usize = 20_000;

/// A bundle whose import began and did not end (the process was killed or
/// the machine stopped between two of its transactions). What was applied
/// is consistent (remote operations are facts, applied record by record),
/// but incomplete; importing the same bundle again completes it, since
/// known operations are skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnfinishedImport {
    /// The sender's office.
    pub office: String,
    /// The bundle's hash, in hex.
    pub bundle: String,
    /// When the import began (Unix milliseconds).
    pub started: i64,
}

fn encode<T: Serialize>(p: &T) -> Result<Vec<u8>, StoreError> {
    bincode::serde::encode_to_vec(p, bincode::config::standard()).map_err(storage)
}

fn decode<T: serde::de::DeserializeOwned>(b: &[u8]) -> Result<T, StoreError> {
    bincode::serde::decode_from_slice(b, bincode::config::standard().with_limit::<{ 1 << 20 }>())
        .map(|(p, _)| p)
        .map_err(storage)
}

/// `name` trimmed; a `Required` error of `field` added to `e` when empty.
fn required<'a>(e: &mut ValidationErrors, field: &str, name: &'a str) -> &'a str {
    let name = name.trim();
    if name.is_empty() {
        e.push(field, Rule::Required);
    }
    name
}

/// The meta key of an unfinished import of a bundle.
fn unfinished_key(bundle: &[u8; 32]) -> Vec<u8> {
    keys::meta(&format!("{UNFINISHED}{}", super::hex(bundle)))
}

/// Prefix of the meta names of unfinished imports.
const UNFINISHED: &str = "import-unfinished-";

impl Store {
    /// The network (e.g. a district) this database syncs within, if set.
    pub fn network(&self) -> Option<String> {
        match self.network.read() {
            Ok(n) => n.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Sets the network name; flushed before it returns.
    pub fn set_network(&self, name: &str) -> Result<(), StoreError> {
        let mut e = ValidationErrors::default();
        let name = required(&mut e, "network", name);
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        super::session::check_write()?;
        self.db
            .insert(keys::meta(META_NETWORK), name.as_bytes())
            .map_err(|e| self.write_error(e))?;
        self.flush()?;
        self.note_network(name);
        Ok(())
    }

    /// Names this office and its network (`sanshe sync init`): both are
    /// checked first, then written in one atomic batch and flushed, so a
    /// refusal or a failure changes neither.
    pub fn set_office_and_network(&self, office: &str, network: &str) -> Result<(), StoreError> {
        let mut e = ValidationErrors::default();
        let office = required(&mut e, "office", office);
        let network = required(&mut e, "network", network);
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let mut batch = sled::Batch::default();
        batch.insert(keys::origin_key(OFFICE, &self.replica), office.as_bytes());
        batch.insert(keys::meta(META_OFFICE), office.as_bytes());
        batch.insert(keys::meta(META_NETWORK), network.as_bytes());
        self.db
            .apply_batch(batch)
            .map_err(|e| self.write_error(e))?;
        self.flush()?;
        match self.office.write() {
            Ok(mut o) => *o = office.to_string(),
            Err(p) => *p.into_inner() = office.to_string(),
        }
        self.note_network(network);
        Ok(())
    }

    fn note_network(&self, name: &str) {
        match self.network.write() {
            Ok(mut n) => *n = Some(name.to_string()),
            Err(p) => *p.into_inner() = Some(name.to_string()),
        }
    }

    /// Every peer, by replica id.
    pub fn peers(&self) -> Result<BTreeMap<ReplicaId, PeerInfo>, StoreError> {
        let mut out = BTreeMap::new();
        for kv in self.db.scan_prefix([PEER]) {
            let (k, v) = kv.map_err(storage)?;
            if let Ok(r) = ReplicaId::try_from(&k[1..]) {
                out.insert(r, decode(&v)?);
            }
        }
        Ok(out)
    }

    /// One peer.
    pub fn peer(&self, replica: &ReplicaId) -> Result<Option<PeerInfo>, StoreError> {
        match self
            .db
            .get(keys::origin_key(PEER, replica))
            .map_err(storage)?
        {
            Some(b) => Ok(Some(decode(&b)?)),
            None => Ok(None),
        }
    }

    /// Notes that a bundle for `replica` was written at `at` (Unix ms).
    pub fn note_sent(&self, replica: &ReplicaId, office: &str, at: i64) -> Result<(), StoreError> {
        let mut p = self.peer(replica)?.unwrap_or_default();
        if p.office.is_empty() {
            p.office = office.to_string();
        }
        p.last_sent = Some(at);
        self.db
            .insert(keys::origin_key(PEER, replica), encode(&p)?)
            .map_err(|e| self.write_error(e))?;
        self.flush()
    }

    /// Takes in a bundle's operations and what it says about its sender.
    ///
    /// Up to [`APPLY_CHUNK`] operations this is one atomic batch and one
    /// flush. A larger bundle is applied in several transactions, each
    /// flushed before the next begins, holding the writer throughout
    /// (nothing else is written in between); the first that writes also
    /// records an [`UnfinishedImport`], the last removes it and records
    /// the sender's report. `progress` is told how many operations were taken so far.
    /// When nothing is new (the operations and the sender's report are all
    /// known already) nothing is written.
    pub fn apply_bundle(
        &self,
        ops: impl IntoIterator<Item = Op>,
        peer: &PeerUpdate,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ApplyReport, StoreError> {
        let mut ws = self.writer();
        let mut ops = ops.into_iter().peekable();
        let mut report = ApplyReport::default();
        // Asked before anything is applied (the bundle may bring back the
        // very operations that are missing).
        let behind_self = peer
            .reported
            .get(&self.replica)
            .is_some_and(|n| *n > ws.w.counter);
        let sender_behind = self.sender_behind(peer)?;
        let mark_key = unfinished_key(&peer.bundle);
        let mut marked = false;
        let mut taken = 0u64;
        loop {
            let chunk: Vec<Op> = ops.by_ref().take(self.apply_chunk()).collect();
            taken += chunk.len() as u64;
            let last = ops.peek().is_none();
            let mut tx = Tx::new(self, &mut ws);
            tx.from = Some(peer.replica);
            let r = tx.apply_remote(chunk)?;
            report.new += r.new;
            report.known += r.known;
            report.conflicts += r.conflicts;
            report.divergent += r.divergent;
            report.invalid += r.invalid;
            for (origin, first) in r.divergent_since {
                let e = report.divergent_since.entry(origin).or_insert(first);
                *e = (*e).min(first);
            }
            if last {
                if tx.ov.get(&mark_key)?.is_some() {
                    tx.ov.del(mark_key);
                }
                report.self_restored =
                    behind_self || report.divergent_since.contains_key(&self.replica);
                report.sender_restored =
                    sender_behind.is_some() || report.divergent_since.contains_key(&peer.replica);
                if report.self_restored {
                    // Another office has changes this database made and no
                    // longer has: it was restored from an older state, and
                    // its next changes must not reuse those counters.
                    tx.ov.put(keys::meta(super::identity::META_FORK), vec![1]);
                }
                self.note_received(&mut tx, &report, peer)?;
                tx.commit(&mut ws)?;
                progress(taken);
                return Ok(report);
            }
            // A mark left by an earlier, interrupted import of the same
            // bundle keeps its start time.
            if r.new > 0 && !marked {
                if tx.ov.get(&mark_key)?.is_none() {
                    let mark = UnfinishedImport {
                        office: peer.office.clone(),
                        bundle: super::hex(&peer.bundle),
                        started: peer.at,
                    };
                    tx.ov.put(mark_key.clone(), encode(&mark)?);
                }
                marked = true;
            }
            tx.commit(&mut ws)?;
            progress(taken);
        }
    }

    /// Records what a bundle said about its sender (in the import's last
    /// transaction).
    fn note_received(
        &self,
        tx: &mut Tx<'_>,
        report: &ApplyReport,
        peer: &PeerUpdate,
    ) -> Result<(), StoreError> {
        let key = keys::origin_key(PEER, &peer.replica);
        let old: Option<PeerInfo> = match tx.ov.get(&key)? {
            Some(b) => Some(decode(&b)?),
            None => None,
        };
        let mut info = old.clone().unwrap_or_default();
        let mut grew = false;
        let mut reported = peer.reported.clone();
        if report.sender_restored {
            // The sender lost changes (a restored backup): what it reports
            // now is what it has, and its own changes from the first that
            // it lost or sent with other content are sent back to it, so
            // it sees what differs.
            info.reported.clear();
            let lost = [
                report.divergent_since.get(&peer.replica).map(|c| c - 1),
                self.sender_behind(peer)?,
            ];
            if let Some(from) = lost.into_iter().flatten().min() {
                reported.insert(peer.replica, from);
            }
            grew = true;
        }
        for (origin, n) in &reported {
            let e = info.reported.entry(*origin).or_insert(0);
            if *n > *e {
                *e = *n;
                grew = true;
            }
        }
        if report.new > 0 || grew || old.is_none() || info.office != peer.office {
            info.office = peer.office.clone();
            info.last_received = Some(peer.at);
            tx.ov.put(key, encode(&info)?);
            let mut names = peer.offices.clone();
            names.push((peer.replica, peer.office.clone()));
            for (origin, name) in names {
                if origin == self.replica || name.trim().is_empty() {
                    continue;
                }
                let k = keys::origin_key(OFFICE, &origin);
                if tx.ov.get(&k)?.as_deref() != Some(name.as_bytes()) {
                    tx.ov.put(k, name.into_bytes());
                }
            }
        }
        Ok(())
    }

    /// How many of its own changes the sender of a bundle no longer has:
    /// this database holds the sender's change after the last one its
    /// bundle reports, made before the bundle was written. An office
    /// restored from an older backup looks like this; a bundle merely older
    /// than changes relayed by others does not (those were made after it).
    fn sender_behind(&self, peer: &PeerUpdate) -> Result<Option<u64>, StoreError> {
        let theirs = peer.reported.get(&peer.replica).copied().unwrap_or(0);
        let ours = self
            .version_vector()?
            .get(&peer.replica)
            .copied()
            .unwrap_or(0);
        if ours <= theirs {
            return Ok(None);
        }
        let mut made = None;
        self.each_op_since(&peer.replica, theirs, theirs + 1, &mut |op| {
            made = super::hlc_time(op.hlc);
            std::ops::ControlFlow::Break(())
        })?;
        Ok(match made {
            Some(t) if t.timestamp_millis() < peer.created => Some(theirs),
            _ => None,
        })
    }

    /// Operations per transaction of a long import.
    pub fn apply_chunk(&self) -> usize {
        self.apply_chunk.load(Ordering::Relaxed)
    }

    /// Sets the operations per transaction of a long import (at least 1):
    /// for tests, which need many transactions out of few operations.
    #[doc(hidden)]
    pub fn set_apply_chunk(&self, n: usize) {
        self.apply_chunk.store(n.max(1), Ordering::Relaxed);
    }

    /// Imports that began and did not end (see [`UnfinishedImport`]).
    pub fn unfinished_imports(&self) -> Result<Vec<UnfinishedImport>, StoreError> {
        let mut out = Vec::new();
        for kv in self.db.scan_prefix(keys::meta(UNFINISHED)) {
            let (_, v) = kv.map_err(storage)?;
            out.push(decode(&v)?);
        }
        Ok(out)
    }

    /// A blake3 digest of every key and value of the database: equal
    /// digests mean equal contents.
    pub fn checksum(&self) -> Result<[u8; 32], StoreError> {
        let mut h = blake3::Hasher::new();
        for kv in self.db.iter() {
            let (k, v) = kv.map_err(storage)?;
            h.update(&(k.len() as u64).to_le_bytes());
            h.update(&k);
            h.update(&(v.len() as u64).to_le_bytes());
            h.update(&v);
        }
        Ok(*h.finalize().as_bytes())
    }

    /// A digest of the records alone (their field states, materialised
    /// forms, conflicts and indexes), the same in every database that has
    /// the same operations, whatever the order they came in.
    pub fn content_checksum(&self) -> Result<[u8; 32], StoreError> {
        use super::keys::{BY_CREDIT, BY_GRID, BY_NAME, BY_PARENT, CONFLICT, GONE, LIVE, STATE};
        let mut h = blake3::Hasher::new();
        for space in [
            STATE, LIVE, GONE, CONFLICT, BY_GRID, BY_CREDIT, BY_NAME, BY_PARENT,
        ] {
            for kv in self.db.scan_prefix([space]) {
                let (k, v) = kv.map_err(storage)?;
                h.update(&(k.len() as u64).to_le_bytes());
                h.update(&k);
                h.update(&(v.len() as u64).to_le_bytes());
                h.update(&v);
            }
        }
        Ok(*h.finalize().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::OpenOptions;

    #[test]
    fn network_and_peers_persist() {
        let dir = tempfile::tempdir().unwrap();
        let other = [9u8; 16];
        {
            let s = Store::open_with(dir.path(), OpenOptions::default()).unwrap();
            assert_eq!(s.network(), None);
            assert!(s.set_network("  ").is_err());
            s.set_network("西湖区").unwrap();
            let before = s.checksum().unwrap();
            let update = PeerUpdate {
                replica: other,
                office: "北山街道".into(),
                reported: BTreeMap::from([(other, 3)]),
                offices: vec![([8u8; 16], "西溪街道".into())],
                at: 1_000,
                bundle: [7; 32],
                created: 1,
            };
            let r = s.apply_bundle(Vec::new(), &update, &mut |_| {}).unwrap();
            assert_eq!(r.new, 0);
            let after = s.checksum().unwrap();
            assert_ne!(before, after);
            // The same report again writes nothing.
            s.apply_bundle(Vec::new(), &update, &mut |_| {}).unwrap();
            assert_eq!(s.checksum().unwrap(), after);
            s.note_sent(&other, "北山街道", 2_000).unwrap();
        }
        let s = Store::open(dir.path()).unwrap();
        assert_eq!(s.network().as_deref(), Some("西湖区"));
        assert_eq!(s.info().network.as_deref(), Some("西湖区"));
        let p = s.peer(&other).unwrap().unwrap();
        assert_eq!(p.office, "北山街道");
        assert_eq!(p.reported.get(&other), Some(&3));
        assert_eq!((p.last_received, p.last_sent), (Some(1_000), Some(2_000)));
        assert_eq!(
            s.offices().unwrap().get(&[8u8; 16]).map(String::as_str),
            Some("西溪街道")
        );
    }
}
