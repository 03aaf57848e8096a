//! Sync between offices by files (see `docs/SYNC.md` and DESIGN.md §3): a
//! bundle holds the operations a peer lacks; any office can import bundles
//! in any order, twice or not at all, and every office that has the same
//! operations has the same records.
//!
//! - [`bundle`]: the file format (magic, bounded header, zstd body, blake3,
//!   optional ed25519 signature, end marker) and safe reading and writing.
//! - [`wire`]: the compact encoding of operations inside the body, read
//!   back one operation at a time.
//! - [`decode`]: reading that encoding from untrusted bytes, every count
//!   and length bounded and what is kept charged to a memory budget.
//! - [`exchange`]: export, import, status, conflicts against the store.
//! - [`keys`]: signing keys and trusted offices' keys.
//! - [`describe`]: sync facts as text for people (sizes, times, values).
//! - [`words`]: a change of one field in words (labels, values, names of
//!   records instead of ids) for the change log, conflicts and held changes.

pub mod bundle;
pub mod decode;
pub mod describe;
pub mod error;
pub mod exchange;
pub mod keys;
pub mod wire;
pub mod words;

pub use error::SyncError;
pub use exchange::{
    conflicts, export, held, import, import_bundle, restore, status, ConflictRow, ExportOptions,
    ExportReport, HeldRow, ImportOptions, ImportReport, Signature, Status,
};
