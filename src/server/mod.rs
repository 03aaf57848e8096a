//! The shared server of [4/6] (`../shared/DESIGN.md` section 8): one
//! process owns a database, apps and commands are its clients over a Unix
//! socket in the database directory. Built bottom up; so far its wire and
//! its view of who connects:
//! - `frame.rs`: bounded, versioned frames (magic, version, length, bincode
//!   body): garbage, truncated frames and huge length prefixes are refused
//!   before anything is allocated; another version is named.
//! - `peer.rs`: the peer's user from the kernel (`SO_PEERCRED`), never from
//!   the client's word; user names from the system's user database.
//! - `socket.rs`: `sanshe.sock` in the database directory (owner only), a
//!   stale socket replaced, a live one refused, deep directories reached
//!   through `/proc/self/fd`.
//!
//! Nothing uses it yet: the app and the commands still open the database
//! themselves (docs/SERVER.md says what comes next).

pub mod access;
pub mod client;
pub mod files;
pub mod frame;
pub mod peer;
pub mod proto;
pub mod serve;
pub mod socket;
