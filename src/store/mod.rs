//! The store: the only thing that writes. Commands become operations in a
//! change log, in the same sled transaction as the state they produce.
//!
//! See `docs/ARCHITECTURE.md` and `../shared/DESIGN.md` section 2.

mod api;

pub use api::*;
