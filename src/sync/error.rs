//! Why a sync command failed, with messages in the user's language.

use std::borrow::Cow;

use super::describe::human_size;
use crate::store::StoreError;
use crate::tr;

/// A sync failure. Everything but storage and file-system trouble is bad
/// input (exit code 2), and nothing was written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SyncError {
    /// The file could not be read or written.
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    /// The file ends before its end marker.
    #[error("truncated bundle")]
    Truncated,
    /// Line endings were converted on the way (mail, text-mode transfer).
    #[error("bundle mangled by a text transfer")]
    Mangled,
    /// Not a bundle at all.
    #[error("not a bundle")]
    NotABundle,
    /// A format major version this program does not read.
    #[error("bundle format {major}.{minor} not supported")]
    Version { major: u16, minor: u16 },
    /// A length field that cannot be right (hostile or damaged).
    #[error("bad length: {what}")]
    BadLength { what: String },
    /// The file is not a regular file (a FIFO, a device, a folder).
    #[error("{path}: not a regular file")]
    NotAFile { path: String },
    /// The file is larger than a bundle may be.
    #[error("{path}: {size} bytes > {limit}")]
    TooLarge { path: String, size: u64, limit: u64 },
    /// A count or length in the bundle over its limit (or more than the
    /// bytes left could hold).
    #[error("{field}: {found} > {limit}")]
    Limit {
        field: String,
        found: u64,
        limit: u64,
    },
    /// Decoding the bundle would take more memory than its size allows.
    #[error("{field}: over {limit} bytes of memory")]
    Memory { field: String, limit: u64 },
    /// The content does not match its hash: damaged on the way.
    #[error("hash mismatch")]
    HashMismatch,
    /// A signature that does not verify: changed after signing.
    #[error("bad signature")]
    BadSignature,
    /// Signed with a key not among the trusted offices' keys.
    #[error("untrusted key of {office}")]
    Untrusted { office: String },
    /// `--require-signature` and the bundle is not signed.
    #[error("unsigned bundle")]
    Unsigned,
    /// Hash and lengths are right but the content does not decode.
    #[error("corrupt bundle: {0}")]
    Corrupt(String),
    /// An operation on a kind of record this program does not know.
    #[error("unknown kind of record {0}")]
    UnknownKind(u8),
    /// A bundle written by this very office.
    #[error("bundle from this office")]
    SameOffice,
    /// A bundle of another network.
    #[error("bundle of network {theirs}, this is {ours}")]
    OtherNetwork { theirs: String, ours: String },
    /// This database has no network yet (`sanshe sync init`).
    #[error("no network")]
    NoNetwork,
    /// The bundle assumes changes this database has not received.
    #[error("gap: {office} {from}..{to}")]
    Gap { office: String, from: u64, to: u64 },
    /// Operations stamped too far in the future (a wrong clock).
    #[error("clock of {office} ahead: {time}")]
    ClockAhead { office: String, time: String },
    /// A key file problem (keygen, signing, trusted keys).
    #[error("key: {0}")]
    Key(String),
    /// No conflict with this number.
    #[error("no conflict {0}")]
    NoConflict(usize),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Text from a bundle (a network or office name) as it goes into a
/// message: control characters (a terminal escape, a new line) and
/// direction overrides are shown escaped (`\u{1b}`), never sent to the
/// terminal. Every bundle-derived text in a message passes here; to be
/// replaced by the shared `crate::text::printable` when it exists.
pub fn printable(s: &str) -> Cow<'_, str> {
    crate::text::printable(s)
}

impl SyncError {
    /// 2 for bad input (nothing written), 1 for other failures.
    pub fn exit_code(&self) -> i32 {
        match self {
            SyncError::Io { .. } => 1,
            SyncError::Store(e) => e.exit_code(),
            _ => 2,
        }
    }

    /// The message for the user, in this thread's language.
    pub fn message(&self) -> String {
        match self {
            SyncError::Io { path, message } => tr!("sync.io", path = path, message = message),
            SyncError::Truncated => tr!("sync.truncated"),
            SyncError::Mangled => tr!("sync.mangled"),
            SyncError::NotABundle => tr!("sync.not_a_bundle"),
            SyncError::Version { major, minor } => {
                tr!(
                    "sync.version",
                    major = major,
                    minor = minor,
                    supported = super::bundle::MAJOR
                )
            }
            SyncError::BadLength { what } => tr!("sync.bad_length", what = what),
            SyncError::NotAFile { path } => tr!("sync.not_a_file", path = path),
            SyncError::TooLarge { path, size, limit } => tr!(
                "sync.too_large",
                path = path,
                size = human_size(*size),
                limit = human_size(*limit)
            ),
            SyncError::Limit {
                field,
                found,
                limit,
            } => tr!("sync.limit", field = field, found = found, limit = limit),
            SyncError::Memory { field, limit } => {
                tr!("sync.memory", field = field, limit = human_size(*limit))
            }
            SyncError::HashMismatch => tr!("sync.hash_mismatch"),
            SyncError::BadSignature => tr!("sync.bad_signature"),
            SyncError::Untrusted { office } => {
                tr!("sync.untrusted", office = printable(office))
            }
            SyncError::Unsigned => tr!("sync.unsigned"),
            SyncError::Corrupt(why) => tr!("sync.corrupt", why = printable(why)),
            SyncError::UnknownKind(tag) => tr!("sync.unknown_kind", tag = tag),
            SyncError::SameOffice => tr!("sync.same_office"),
            SyncError::OtherNetwork { theirs, ours } => {
                tr!(
                    "sync.other_network",
                    theirs = printable(theirs),
                    ours = printable(ours)
                )
            }
            SyncError::NoNetwork => tr!("sync.no_network"),
            SyncError::Gap { office, from, to } => {
                tr!("sync.gap", office = printable(office), from = from, to = to)
            }
            SyncError::ClockAhead { office, time } => {
                tr!("sync.clock_ahead", office = printable(office), time = time)
            }
            SyncError::Key(m) => tr!("sync.key", message = m),
            SyncError::NoConflict(n) => tr!("sync.no_conflict", n = n),
            SyncError::Store(e) => e.message(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_a_bundle_is_shown_escaped() {
        assert!(matches!(printable("西湖区"), Cow::Borrowed("西湖区")));
        assert_eq!(printable("西湖\x1b[2J区\n"), "西湖<U+001B>[2J区\\n");
        assert_eq!(printable("a\u{202e}b"), "a<U+202E>b");
        let e = SyncError::OtherNetwork {
            theirs: "\x1b]0;pwned\x07滨江区".into(),
            ours: "西湖区".into(),
        };
        assert!(!e.message().contains('\x1b'), "{}", e.message());
    }
}
