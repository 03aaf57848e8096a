//! What a client and the server say to each other, in frames (`frame.rs`).
//! The first frame each way is the greeting ([`ToServer::Hello`], then
//! [`ToClient::Welcome`] or [`ToClient::Refused`]); what follows depends on
//! the client's [`Role`]:
//! - an app sends store requests, each with an id; every answer comes back
//!   with that id, then [`ToClient::Done`]; change notices from anyone's
//!   writes come unasked (id 0);
//! - a command sends its arguments once; the server runs it and sends its
//!   output, asks the client to read or write the files the command names
//!   (the client does, with its own permissions), and ends with the exit
//!   code;
//! - a status query gets the server's status; a stop request stops it.

use serde::{Deserialize, Serialize};

use crate::model::Lang;
use crate::tui::worker::{Request, Response};

/// Files and output travel in pieces of at most this size.
pub const CHUNK: usize = 1 << 20;

/// What a client is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// The terminal app.
    App,
    /// One command line.
    Command,
    /// `sanshe server status`, `sanshe who`.
    Status,
    /// `sanshe server stop`.
    Stop,
}

/// From a client.
#[derive(Debug, Serialize, Deserialize)]
pub enum ToServer {
    /// The first frame.
    Hello { role: Role, lang: Lang },
    /// An app's request to the store.
    Request { id: u64, req: Request },
    /// A command's arguments (`argv`, bytes of each) and the client's
    /// configuration (its `config.toml`: language, matching weights, sync
    /// signing), under which the command runs.
    Run {
        argv: Vec<Vec<u8>>,
        config: crate::config::Config,
    },
    /// A piece of a file the server asked for.
    FileChunk(Vec<u8>),
    /// The end of a file the server asked for, or why it was not read.
    FileRead(Result<(), FileRefusal>),
    /// A file the server gave to write: written, or why not.
    FileWritten(Result<(), String>),
}

/// Why a client did not read a file for the server.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum FileRefusal {
    Io(String),
    NotRegular,
    TooLarge { size: u64, limit: u64 },
}

/// From the server.
#[derive(Debug, Serialize, Deserialize)]
pub enum ToClient {
    Welcome(Welcome),
    /// Not admitted, or stopping: the reason, in the client's language.
    Refused(String),
    /// An answer to request `id` (0: a change notice nobody asked for).
    Response {
        id: u64,
        resp: Response,
    },
    /// Every answer to request `id` has been sent.
    Done {
        id: u64,
    },
    /// A command's standard output.
    Out(Vec<u8>),
    /// A command's message for standard error.
    Err(String),
    /// Read this file (at most `limit` bytes) and send it.
    Read {
        path: Vec<u8>,
        limit: u64,
    },
    /// A piece of a file to write, before [`ToClient::Write`].
    WriteChunk(Vec<u8>),
    /// Write the pieces sent to this file.
    Write {
        path: Vec<u8>,
    },
    /// The command ended with this exit code.
    Exit(i32),
    Status(Status),
}

/// The server's greeting.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Welcome {
    pub pid: u32,
    /// The client's user, as the server sees it.
    pub user: String,
    pub read_only: bool,
}

/// `sanshe server status`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Status {
    pub pid: u32,
    /// RFC 3339, local time.
    pub started: String,
    pub db: String,
    pub clients: Vec<Client>,
}

/// One connected client.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Client {
    pub user: String,
    /// `app`, or the command (`org list`), without its values.
    pub what: String,
    /// RFC 3339, local time.
    pub since: String,
}

#[cfg(unix)]
pub fn path_bytes(p: &std::path::Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes().to_vec()
}

#[cfg(unix)]
pub fn bytes_path(b: &[u8]) -> std::path::PathBuf {
    use std::os::unix::ffi::OsStrExt;
    std::path::PathBuf::from(std::ffi::OsStr::from_bytes(b))
}
