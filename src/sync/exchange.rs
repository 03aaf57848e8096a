//! Export and import of bundles against the store, the sync status, and
//! conflicts with the restoring of a losing value. The CLI and the terminal
//! app both call these.

use std::collections::BTreeMap;
use std::path::Path;

use ed25519_dalek::SigningKey;

use super::bundle::{self, Bundle, Header};
use super::error::SyncError;
use super::wire::Packer;
use crate::model::{Kind, Labeled, Rule, ValidationErrors};
use crate::store::fields::{self, DELETED};
use crate::store::{
    replica_hex, ApplyReport, Command, FieldVersion, PeerUpdate, ReplicaId, Store,
    UnfinishedImport, SCHEMA,
};

/// Operations stamped more than this far ahead of our clock are refused: a
/// wrong clock at one office would otherwise win every edit for years.
pub const MAX_CLOCK_AHEAD_MS: u64 = 24 * 3600 * 1000;

/// Now, Unix milliseconds.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// What `export` should write.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Office name (or replica id) of the receiver.
    pub peer: Option<String>,
    /// Everything, whatever the peer reported.
    pub full: bool,
}

/// What `export` wrote.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ExportReport {
    /// The receiver, when known.
    pub peer: Option<String>,
    /// True when everything was written (`--full`, or the peer is unknown).
    pub full: bool,
    /// Number of changes written.
    pub ops: usize,
    /// Changes per kind of record (kinds with none left out).
    pub by_kind: Vec<(Kind, usize)>,
    /// Size of the file in bytes.
    pub size: u64,
    pub signed: bool,
}

/// How an imported bundle was signed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Signature {
    None,
    /// Signed by the trusted key of this office.
    Trusted(String),
    /// Signed (and intact) but by a key not in `trusted/`.
    Untrusted,
}

/// What `import` did (or would do, with `verify_only`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ImportReport {
    /// The sender's office.
    pub office: String,
    /// Changes in the bundle.
    pub ops: usize,
    pub by_kind: Vec<(Kind, usize)>,
    /// Applied (empty when only verified).
    pub applied: Option<ApplyReport>,
    pub signature: Signature,
}

fn kind_index(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

/// Counts in `Kind::ALL` order as (kind, count), kinds with none left out.
fn kinds_counted(n: [usize; Kind::ALL.len()]) -> Vec<(Kind, usize)> {
    Kind::ALL
        .iter()
        .zip(n)
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| (*k, n))
        .collect()
}

/// Longest office or network name `sanshe sync init` accepts, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// Checks the office and network names given to `sanshe sync init`: not
/// empty, at most [`MAX_NAME_CHARS`] characters, no control character
/// (they are shown in other offices' messages and tables).
pub fn check_names(office: &str, network: &str) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    for (field, name) in [("office", office), ("network", network)] {
        let name = name.trim();
        if name.is_empty() {
            e.push(field, Rule::Required);
        } else if name.chars().count() > MAX_NAME_CHARS {
            e.push(
                field,
                Rule::TooLong {
                    max: MAX_NAME_CHARS,
                },
            );
        } else if name.chars().any(|c| c.is_control()) {
            e.push(
                field,
                Rule::Other {
                    message: crate::tr!("sync.name_control"),
                },
            );
        }
    }
    e.into_result()
}

fn network_of(store: &Store) -> Result<String, SyncError> {
    store.network().ok_or(SyncError::NoNetwork)
}

/// Finds a peer by office name or by (a prefix of) its replica id in hex.
pub fn find_peer(store: &Store, name: &str) -> Result<Option<(ReplicaId, String)>, SyncError> {
    let name = name.trim();
    let peers = store.peers()?;
    // An office that took a new replica id (a restored backup, see
    // `store::Fork`) is listed under each id it used: the one heard from
    // last is the office as it is now.
    if let Some((r, p)) = peers
        .iter()
        .filter(|(_, p)| p.office == name)
        .max_by_key(|(_, p)| (p.last_received, p.last_sent))
    {
        return Ok(Some((*r, p.office.clone())));
    }
    let lower = name.to_ascii_lowercase();
    if lower.len() >= 4 {
        let hits: Vec<_> = peers
            .iter()
            .filter(|(r, _)| replica_hex(*r).starts_with(&lower))
            .collect();
        if let [(r, p)] = hits[..] {
            return Ok(Some((*r, p.office.clone())));
        }
    }
    Ok(None)
}

/// Builds a bundle in memory: what the peer lacks, or everything.
pub fn build(
    store: &Store,
    options: &ExportOptions,
    key: Option<&SigningKey>,
) -> Result<(Vec<u8>, ExportReport, Option<ReplicaId>), SyncError> {
    let network = network_of(store)?;
    let peer = match &options.peer {
        Some(name) => find_peer(store, name)?,
        None => None,
    };
    let full = options.full || peer.is_none();
    let base = match (&peer, full) {
        (Some((r, _)), false) => store.peer(r)?.map(|p| p.reported).unwrap_or_default(),
        _ => BTreeMap::new(),
    };
    // Packed as they are read: the log is never held unpacked.
    let mut packer = Packer::default();
    let mut by_kind = [0usize; Kind::ALL.len()];
    let mut n = 0usize;
    for (origin, have) in store.version_vector()? {
        let after = base.get(&origin).copied().unwrap_or(0);
        if have > after {
            store.each_op_since(&origin, after, have, &mut |op| {
                by_kind[kind_index(op.kind)] += 1;
                n += 1;
                packer.push(&op);
                std::ops::ControlFlow::Continue(())
            })?;
        }
    }
    let body = packer.finish();
    let info = store.info();
    let offices = store.offices()?;
    let vv = store.version_vector()?;
    let header = Header {
        network,
        office: info.office.clone(),
        replica: info.replica,
        created: now_ms(),
        schema: SCHEMA,
        full,
        offices: vv
            .keys()
            .filter_map(|r| offices.get(r).map(|n| (*r, n.clone())))
            .collect(),
        vv: vv.into_iter().collect(),
        ranges: Vec::new(),
        ops: 0,
        body_len: 0,
        raw_len: 0,
    };
    let bytes = bundle::seal(header, &body, key)?;
    drop(body);
    let report = ExportReport {
        peer: peer.as_ref().map(|(_, n)| n.clone()),
        full,
        ops: n,
        by_kind: kinds_counted(by_kind),
        size: bytes.len() as u64,
        signed: key.is_some(),
    };
    Ok((bytes, report, peer.map(|(r, _)| r)))
}

/// Writes a bundle file (temporary file, fsync, rename) and notes the
/// export in the peer's record.
pub fn export(
    store: &Store,
    path: &Path,
    options: &ExportOptions,
    key: Option<&SigningKey>,
) -> Result<ExportReport, SyncError> {
    let (bytes, report, peer) = build(store, options, key)?;
    bundle::write_file(path, &bytes)?;
    if let (Some(r), Some(name)) = (peer, &report.peer) {
        store.note_sent(&r, name, now_ms())?;
    }
    Ok(report)
}

/// What `import` should do.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Check everything, write nothing.
    pub verify_only: bool,
    /// Refuse a bundle not signed by a trusted key.
    pub require_signature: bool,
}

fn id_ok(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && !id.chars().any(|c| c.is_control())
}

/// Every check of a decoded bundle against this database, without writing;
/// the signature and the number of changes per kind of record.
pub fn check(
    store: &Store,
    b: &Bundle,
    options: &ImportOptions,
    config_dir: Option<&Path>,
) -> Result<(Signature, Vec<(Kind, usize)>), SyncError> {
    let h = &b.header;
    let signature = match b.signed_by {
        None => Signature::None,
        Some(key) => {
            let names = config_dir
                .map(|d| super::keys::trusted_names(d, &key))
                .unwrap_or_default();
            if names.contains(&h.office) {
                Signature::Trusted(h.office.clone())
            } else {
                Signature::Untrusted
            }
        }
    };
    if options.require_signature {
        match &signature {
            Signature::None => return Err(SyncError::Unsigned),
            Signature::Untrusted => {
                return Err(SyncError::Untrusted {
                    office: h.office.clone(),
                })
            }
            Signature::Trusted(_) => {}
        }
    }
    // Names a bundle brings are shown to people and kept as peer names:
    // the rules of `sync init` hold for them too.
    let names = std::iter::once((&h.office, &h.network))
        .chain(h.offices.iter().map(|(_, n)| (n, &h.network)));
    for (office, network) in names {
        if let Err(e) = check_names(office, network) {
            return Err(SyncError::Corrupt(crate::text::validation_errors(&e)));
        }
    }
    let ours = network_of(store)?;
    if h.network != ours {
        return Err(SyncError::OtherNetwork {
            theirs: h.network.clone(),
            ours,
        });
    }
    let info = store.info();
    if h.replica == info.replica {
        return Err(SyncError::SameOffice);
    }
    let names: BTreeMap<ReplicaId, String> = store
        .offices()?
        .into_iter()
        .chain(h.offices.iter().cloned())
        .collect();
    let office_of = |r: &ReplicaId| {
        names
            .get(r)
            .cloned()
            .unwrap_or_else(|| replica_hex(r)[..8].to_string())
    };
    let vv = store.version_vector()?;
    for r in &h.ranges {
        let have = vv.get(&r.origin).copied().unwrap_or(0);
        if r.first > have.saturating_add(1) {
            return Err(SyncError::Gap {
                office: office_of(&r.origin),
                from: have + 1,
                to: r.first - 1,
            });
        }
    }
    let limit = (now_ms().max(0) as u64).saturating_add(MAX_CLOCK_AHEAD_MS);
    let mut by_kind = [0usize; Kind::ALL.len()];
    for op in b.ops() {
        by_kind[kind_index(op.kind)] += 1;
        if !id_ok(&op.id) || op.field.is_empty() || op.field.len() > 1024 || op.field.contains('\0')
        {
            return Err(SyncError::Corrupt(format!(
                "operation {}:{}",
                office_of(&op.origin),
                op.counter
            )));
        }
        if (op.hlc >> 16) > limit {
            let time = crate::store::hlc_local(op.hlc)
                .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_else(|| (op.hlc >> 16).to_string());
            return Err(SyncError::ClockAhead {
                office: office_of(&op.origin),
                time,
            });
        }
    }
    let by_kind = kinds_counted(by_kind);
    Ok((signature, by_kind))
}

/// Imports a decoded bundle: checks everything, then applies it (unless
/// `verify_only`; see [`Store::apply_bundle`] for the transactions).
/// `progress` is told how many of the bundle's changes were taken so far.
pub fn import_bundle(
    store: &Store,
    b: Bundle,
    options: &ImportOptions,
    config_dir: Option<&Path>,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportReport, SyncError> {
    let (signature, by_kind) = check(store, &b, options, config_dir)?;
    let n = b.len() as usize;
    let h = &b.header;
    let applied = if options.verify_only {
        None
    } else {
        let update = PeerUpdate {
            replica: h.replica,
            office: h.office.clone(),
            reported: h.vv.iter().copied().collect(),
            offices: h.offices.clone(),
            at: now_ms(),
            bundle: b.hash,
            created: h.created,
        };
        Some(store.apply_bundle(b.ops(), &update, progress)?)
    };
    Ok(ImportReport {
        office: b.header.office.clone(),
        ops: n,
        by_kind,
        applied,
        signature,
    })
}

/// Reads, verifies and imports a bundle file.
pub fn import(
    store: &Store,
    path: &Path,
    options: &ImportOptions,
    config_dir: Option<&Path>,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportReport, SyncError> {
    let b = bundle::read_file(path)?;
    import_bundle(store, b, options, config_dir, progress)
}

/// One known peer in the status.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PeerStatus {
    pub office: String,
    pub replica: ReplicaId,
    pub last_received: Option<i64>,
    pub last_sent: Option<i64>,
    /// Changes this database has that the peer has not reported having.
    pub owed: u64,
}

/// This database and its peers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Status {
    pub office: String,
    pub replica: ReplicaId,
    pub network: Option<String>,
    /// Changes held, per origin office.
    pub changes: u64,
    pub peers: Vec<PeerStatus>,
    /// Imports that began and did not end: importing the same bundle again
    /// completes each.
    pub unfinished: Vec<UnfinishedImport>,
    /// Changes held for review (see [`held`]).
    pub held: usize,
}

/// The sync status.
pub fn status(store: &Store) -> Result<Status, SyncError> {
    let info = store.info();
    let vv = store.version_vector()?;
    let mut peers = Vec::new();
    for (r, p) in store.peers()? {
        let owed = vv
            .iter()
            .map(|(o, have)| have.saturating_sub(p.reported.get(o).copied().unwrap_or(0)))
            .sum();
        peers.push(PeerStatus {
            office: p.office,
            replica: r,
            last_received: p.last_received,
            last_sent: p.last_sent,
            owed,
        });
    }
    Ok(Status {
        office: info.office,
        replica: info.replica,
        network: info.network,
        changes: vv.values().sum(),
        peers,
        unfinished: store.unfinished_imports()?,
        held: store.held()?.len(),
    })
}

/// A change held for review, for people: which office's change, which
/// record and field, its value, why it is held, and (for one that came with
/// a known id but other content) the change in force under that id.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldRow {
    pub origin: ReplicaId,
    pub origin_office: String,
    pub counter: u64,
    /// The office whose bundle brought it.
    pub from_office: Option<String>,
    /// When it arrived (Unix milliseconds).
    pub at: i64,
    pub kind: Kind,
    pub id: String,
    /// The record's name, if this database has the record.
    pub title: String,
    pub field: String,
    pub value: Option<crate::store::Value>,
    pub why: crate::store::HeldWhy,
    /// For an invalid value, the rule it breaks.
    pub rule: Option<crate::model::Rule>,
    pub in_force: Option<crate::store::Op>,
}

/// Every change held for review.
pub fn held(store: &Store) -> Result<Vec<HeldRow>, SyncError> {
    let offices = store.offices()?;
    let office_of = |r: &ReplicaId| {
        offices
            .get(r)
            .cloned()
            .unwrap_or_else(|| replica_hex(r)[..8].to_string())
    };
    let mut out = Vec::new();
    for h in store.held()? {
        let d = h.held;
        let title = store
            .get(d.op.kind, &d.op.id)?
            .map(|r| r.title().to_string())
            .unwrap_or_else(|| d.op.id.clone());
        out.push(HeldRow {
            origin: d.op.origin,
            origin_office: office_of(&d.op.origin),
            counter: d.op.counter,
            from_office: d.from.as_ref().map(office_of),
            at: d.at,
            kind: d.op.kind,
            id: d.op.id.clone(),
            title,
            field: d.op.field.clone(),
            value: d.op.value.clone(),
            why: d.why,
            rule: h.rule,
            in_force: h.in_force,
        });
    }
    Ok(out)
}

/// One losing value of a field, numbered for `--restore`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ConflictRow {
    /// 1, 2, 3...
    pub n: usize,
    pub kind: Kind,
    pub id: String,
    /// The record's name, if it has one.
    pub title: String,
    pub field: String,
    pub winner: FieldVersion,
    pub winner_office: String,
    pub loser: FieldVersion,
    pub loser_office: String,
}

/// Every losing value, numbered.
pub fn conflicts(store: &Store) -> Result<Vec<ConflictRow>, SyncError> {
    let offices = store.offices()?;
    let office = |v: &FieldVersion| {
        offices
            .get(&v.op.origin)
            .cloned()
            .unwrap_or_else(|| replica_hex(&v.op.origin)[..8].to_string())
    };
    let mut out = Vec::new();
    for c in store.conflicts()? {
        let title = match store.get(c.kind, &c.id)? {
            Some(r) => r.title().to_string(),
            None => store
                .get_deleted(c.kind, &c.id)?
                .map(|r| r.title().to_string())
                .unwrap_or_default(),
        };
        for loser in &c.losers {
            out.push(ConflictRow {
                n: out.len() + 1,
                kind: c.kind,
                id: c.id.clone(),
                title: title.clone(),
                field: c.field.clone(),
                winner_office: office(&c.winner),
                winner: c.winner.clone(),
                loser_office: office(loser),
                loser: loser.clone(),
            });
        }
    }
    Ok(out)
}

/// Restores losing value number `n`: a normal local edit that sets the
/// field to that value, replacing every value it had (which settles the
/// conflict). Returns the row restored.
pub fn restore(store: &Store, n: usize) -> Result<ConflictRow, SyncError> {
    let rows = conflicts(store)?;
    let row = rows
        .into_iter()
        .find(|r| r.n == n)
        .ok_or(SyncError::NoConflict(n))?;
    let (kind, id) = (row.kind, row.id.clone());
    let live = store.get(kind, &id)?;
    if row.field == DELETED {
        let delete = row.loser.value == Some(crate::store::Value::Bool(true));
        let cmd = if delete {
            Command::Delete { kind, id }
        } else {
            Command::Restore { kind, id }
        };
        store.execute(cmd)?;
        return Ok(row);
    }
    let before = match live {
        Some(r) => r,
        None => {
            return Err(SyncError::Store(crate::store::StoreError::NotFound {
                kind,
                id,
            }))
        }
    };
    let mut f = fields::flatten(&before).map_err(|e| SyncError::Corrupt(e.to_string()))?;
    match &row.loser.value {
        Some(v) => {
            f.insert(row.field.clone(), v.clone());
        }
        None => {
            f.remove(&row.field);
        }
    }
    let after = fields::unflatten(kind, &f)
        .ok_or_else(|| SyncError::Corrupt(format!("{} {}: {}", kind.key(), id, row.field)))?;
    store.execute(Command::Update { id, before, after })?;
    Ok(row)
}
