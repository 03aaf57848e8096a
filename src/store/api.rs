//! The store's vocabulary: commands in, outcomes and errors out. Plain serde
//! values, so the same API can later be served over a Unix socket.

use std::path::PathBuf;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{Kind, Record, ValidationErrors};

/// A change a user asks for. The only way anything is written.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// Create a record. The store assigns the id (a place's id is its code).
    Create { record: Record },
    /// Change a record: only fields that differ between `before` (what the
    /// user started from) and `after` become operations, so a concurrent edit
    /// of another field by someone else is kept.
    Update {
        id: String,
        before: Record,
        after: Record,
    },
    /// Delete (a tombstone on the `deleted` field; restorable).
    Delete { kind: Kind, id: String },
    /// Undo a delete.
    Restore { kind: Kind, id: String },
}

impl Command {
    /// The kind of record the command concerns.
    pub fn kind(&self) -> Kind {
        match self {
            Command::Create { record } | Command::Update { after: record, .. } => record.kind(),
            Command::Delete { kind, .. } | Command::Restore { kind, .. } => *kind,
        }
    }
}

/// What a successful command did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub kind: Kind,
    pub id: String,
    /// Number of operations written (0 when an update changed nothing).
    pub ops: usize,
    pub warnings: Vec<Warning>,
}

/// Something worth telling the user that does not stop the save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Warning {
    /// An organization with a very similar name exists in the same township.
    PossibleDuplicate { id: String, name: String },
}

/// Who holds a database that is in use (written by the holder at open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub user: String,
    pub pid: u32,
    pub since: String,
}

/// Why a command or query failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum StoreError {
    /// Input broke a rule (exit code 2).
    #[error("invalid input")]
    Invalid(ValidationErrors),
    /// Another organization already has this credit code (exit code 2).
    #[error("duplicate credit code {code}")]
    DuplicateCreditCode {
        code: String,
        existing_id: String,
        existing_name: String,
    },
    /// A place with this code exists already (exit code 2).
    #[error("duplicate place code {code}")]
    DuplicatePlace { code: String },
    /// A place cannot be deleted, or change level, while other places or
    /// organizations are under it (exit code 2).
    #[error("place {code} has {places} places and {orgs} organizations under it")]
    PlaceInUse {
        code: String,
        places: usize,
        orgs: usize,
        /// Needs, offers and social workers that name the place.
        others: usize,
    },
    /// No such record (exit code 2).
    #[error("not found: {kind} {id}")]
    NotFound { kind: Kind, id: String },
    /// Another process has the database open (exit code 1).
    #[error("database in use: {path:?}")]
    InUse {
        path: PathBuf,
        holder: Option<Holder>,
    },
    /// The database was written by a newer sanshe (exit code 1).
    #[error("database schema {found} is newer than {supported}")]
    NewerSchema { found: u32, supported: u32 },
    /// There is no database at `path`, and the command may not create one
    /// (exit code 2; nothing was created).
    #[error("no database at {path:?}")]
    NoDatabase { path: PathBuf },
    /// The disk (or the user's quota) is full: nothing was saved (exit code 1).
    #[error("disk full: {path:?}")]
    DiskFull { path: PathBuf },
    /// sled found damaged data when opening the database (exit code 1).
    #[error("damaged database {path:?}: {detail}")]
    Damaged { path: PathBuf, detail: String },
    /// Someone else changed fields of the record that this user changed
    /// too, since the user's copy was read (exit code 2; nothing written):
    /// the user chooses, field by field, whose value stays.
    #[error("edited meanwhile: {} {}", .0.kind, .0.id)]
    EditClash(Box<EditClash>),
    /// The user is admitted to this database read-only (exit code 2).
    #[error("read-only user {user}")]
    ReadOnly { user: String },
    /// Anything else: I/O, corruption (exit code 1).
    #[error("storage error: {0}")]
    Storage(String),
}

impl StoreError {
    /// 2 for bad input, 1 for everything else (the CLI's exit code).
    pub fn exit_code(&self) -> i32 {
        match self {
            StoreError::Invalid(_)
            | StoreError::DuplicateCreditCode { .. }
            | StoreError::DuplicatePlace { .. }
            | StoreError::PlaceInUse { .. }
            | StoreError::NotFound { .. }
            | StoreError::ReadOnly { .. }
            | StoreError::EditClash(_)
            | StoreError::NoDatabase { .. } => 2,
            _ => 1,
        }
    }
}

/// An update that met changes made meanwhile (see [`StoreError::EditClash`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditClash {
    pub kind: Kind,
    pub id: String,
    /// The record as stored now.
    pub current: Record,
    /// The fields both changed.
    pub fields: Vec<ClashedField>,
}

/// One field changed by someone else and by this user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClashedField {
    /// Field path (see `store::fields`).
    pub path: String,
    /// As stored now (`None`: empty).
    pub theirs: Option<Value>,
    /// As this user would have it.
    pub mine: Option<Value>,
}

// Values are compared as stored (no NaN is ever stored).
impl Eq for EditClash {}

impl EditClash {
    /// The update that saves this user's changes (from `before` to
    /// `after`) over the record as stored now: on the fields both changed,
    /// this user's value when `keep_mine`, else the other's; every other
    /// field as stored now plus this user's changes.
    pub fn resolve(&self, before: &Record, after: &Record, keep_mine: bool) -> Option<Command> {
        use super::fields;
        let mut merged = fields::flatten(&self.current).ok()?;
        let changes = fields::diff(
            &fields::flatten(before).ok()?,
            &fields::flatten(after).ok()?,
        );
        for (path, value) in changes {
            if !keep_mine && self.fields.iter().any(|f| f.path == path) {
                continue;
            }
            match value {
                Some(v) => merged.insert(path, v),
                None => merged.remove(&path),
            };
        }
        Some(Command::Update {
            id: self.id.clone(),
            before: self.current.clone(),
            after: fields::unflatten(self.kind, &merged)?,
        })
    }
}

/// A field value in an operation. `None` in an [`Op`] removes the field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

/// Identity of a database (a replica): 16 random bytes.
pub type ReplicaId = [u8; 16];

/// Identity of one operation: the database that made it and its counter there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OpId {
    pub origin: ReplicaId,
    pub counter: u64,
}

/// One field change: the unit of the change log, of sync and of audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Op {
    /// The database that made the change.
    pub origin: ReplicaId,
    /// 1, 2, 3... per origin, without gaps.
    pub counter: u64,
    /// Hybrid logical clock: 48-bit milliseconds << 16 | 16-bit counter.
    pub hlc: u64,
    /// Operating-system user who made the change.
    pub author: String,
    pub kind: Kind,
    pub id: String,
    /// Field path (see `store::fields`).
    pub field: String,
    /// New value, or `None` to remove the field / set element.
    pub value: Option<Value>,
    /// The operations on this field that the writer had in its state and
    /// replaces (empty for a new field). Two operations that do not know of
    /// each other are concurrent: the greater `(hlc, origin)` wins and the
    /// other is kept as a conflict.
    pub prev: Vec<OpId>,
}

impl Op {
    /// This operation's identity.
    pub fn op_id(&self) -> OpId {
        OpId {
            origin: self.origin,
            counter: self.counter,
        }
    }
}

/// What applying operations from another database did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyReport {
    /// Operations not seen before, now applied.
    pub new: usize,
    /// Operations already known (duplicates), ignored.
    pub known: usize,
    /// Fields that now hold concurrent values (see [`Conflict`]).
    pub conflicts: usize,
    /// Operations whose id this database already holds with other content
    /// (a restored office reusing its counters, or a forged change): kept
    /// apart for review, not applied (see [`Held`]).
    pub divergent: usize,
    /// New operations whose value breaks a rule of local input: stored and
    /// relayed, but held back from the records for review (see [`Held`]).
    pub invalid: usize,
    /// Per origin, the lowest counter of a divergent operation.
    pub divergent_since: BTreeMap<ReplicaId, u64>,
    /// The sender no longer has some of its own changes that this database
    /// holds, or sent other content under their ids: it was restored from
    /// an older copy. Those changes go back to it with the next export.
    pub sender_restored: bool,
    /// Another office holds changes of this database that it no longer has
    /// (or has with other content): it was restored from an older copy, and
    /// takes a new replica id when next opened (see `store::Fork`).
    pub self_restored: bool,
}

/// An operation kept apart for staff to review, never applied to the
/// records: it arrived with the id of one this database already holds but
/// other content ([`HeldWhy::Divergent`]; the first stays in force), or its
/// value breaks a rule that local input must keep ([`HeldWhy::Invalid`]:
/// an escape sequence in a name, a 9999 date; it stays in the change log and
/// is relayed, so every office holds it back alike).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Held {
    /// The operation as it arrived.
    pub op: Op,
    /// The office whose bundle brought it (`None`: not from a bundle).
    pub from: Option<ReplicaId>,
    /// When it arrived (Unix milliseconds).
    pub at: i64,
    pub why: HeldWhy,
}

/// Why an operation is held (see [`Held`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HeldWhy {
    Divergent,
    Invalid,
}

/// A held operation as listed for review.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldReview {
    pub held: Held,
    /// For a divergent operation: the one in force under the same id.
    pub in_force: Option<Op>,
    /// For an invalid one: the rule its value breaks.
    pub rule: Option<crate::model::Rule>,
}

/// One value of a field, with who wrote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldVersion {
    /// `None`: the field (or set element) was removed.
    pub value: Option<Value>,
    pub op: OpId,
    pub hlc: u64,
    pub author: String,
}

/// A field that received concurrent values: the winner is shown, the losers
/// wait for staff to review them. An edit of the field settles it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub kind: Kind,
    pub id: String,
    /// Field path (see `store::fields`).
    pub field: String,
    pub winner: FieldVersion,
    pub losers: Vec<FieldVersion>,
}

/// One entry of the change log as shown by `sanshe log`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    pub op: Op,
    /// The office name of `op.origin`, if known.
    pub office: Option<String>,
}

/// About this database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreInfo {
    pub path: PathBuf,
    pub replica: ReplicaId,
    pub office: String,
    pub network: Option<String>,
    pub schema: u32,
}
