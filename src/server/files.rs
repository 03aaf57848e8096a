//! The files a command or an app names, passed to its client: the server
//! asks, the client reads or writes them as its own user, in its own
//! working directory, so that nobody reaches a file through the server
//! that they could not reach themselves. The database folder's own files
//! (and the server's configuration) stay the server's.

use std::path::{Path, PathBuf};

use crate::files::InputError;

use super::proto::{self, FileRefusal, ToClient, ToServer};

/// A client's end of the connection, as the file exchange needs it.
pub trait Link {
    /// Sends a frame to the client (in order with everything else it gets).
    fn send(&self, msg: ToClient) -> std::io::Result<()>;
    /// The client's next answer to a file question.
    fn reply(&self) -> std::io::Result<ToServer>;
}

/// A [`crate::files::Agent`] for a client reached through `link`.
pub struct ClientFiles<L> {
    pub link: L,
    db: PathBuf,
    config_dir: Option<PathBuf>,
}

impl<L: Link> ClientFiles<L> {
    pub fn new(link: L, db: &Path) -> Self {
        ClientFiles {
            link,
            db: db.to_path_buf(),
            config_dir: crate::config::config_dir(),
        }
    }

    /// Files of the database folder and of the server's configuration are
    /// the server's own; every other path is the client's.
    fn is_ours(&self, path: &Path) -> bool {
        path.is_absolute()
            && (path.starts_with(&self.db)
                || self
                    .config_dir
                    .as_deref()
                    .is_some_and(|c| path.starts_with(c)))
    }
}

fn unexpected() -> std::io::Error {
    std::io::Error::other("unexpected frame from the client")
}

impl<L: Link> crate::files::Agent for ClientFiles<L> {
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
        if self.is_ours(path) {
            return crate::files::read_input_here(path, limit);
        }
        self.link
            .send(ToClient::Read {
                path: proto::path_bytes(path),
                limit,
            })
            .map_err(InputError::Io)?;
        let mut bytes = Vec::new();
        loop {
            match self.link.reply().map_err(InputError::Io)? {
                ToServer::FileChunk(piece) => {
                    // The client's word on the size is not taken either.
                    let size = (bytes.len() + piece.len()) as u64;
                    if size > limit {
                        return Err(InputError::TooLarge { size, limit });
                    }
                    bytes.extend_from_slice(&piece);
                }
                ToServer::FileRead(Ok(())) => return Ok(bytes),
                ToServer::FileRead(Err(r)) => return Err(input_error(r)),
                _ => return Err(InputError::Io(unexpected())),
            }
        }
    }

    fn write(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        if self.is_ours(path) {
            return crate::files::write_atomic_here(path, bytes);
        }
        for piece in bytes.chunks(proto::CHUNK) {
            self.link.send(ToClient::WriteChunk(piece.to_vec()))?;
        }
        self.link.send(ToClient::Write {
            path: proto::path_bytes(path),
        })?;
        match self.link.reply()? {
            ToServer::FileWritten(Ok(())) => Ok(()),
            ToServer::FileWritten(Err(m)) => Err(std::io::Error::other(m)),
            _ => Err(unexpected()),
        }
    }
}

fn input_error(r: FileRefusal) -> InputError {
    match r {
        FileRefusal::Io(m) => InputError::Io(std::io::Error::other(m)),
        FileRefusal::NotRegular => InputError::NotRegular,
        FileRefusal::TooLarge { size, limit } => InputError::TooLarge { size, limit },
    }
}

/// The client's side of a read: the frames that answer the server's
/// question for `path` (its pieces, then whether it was read).
pub fn answer_read(path: &Path, limit: u64) -> Vec<ToServer> {
    match crate::files::read_input_here(path, limit) {
        Ok(bytes) => {
            let mut out: Vec<ToServer> = bytes
                .chunks(proto::CHUNK)
                .map(|p| ToServer::FileChunk(p.to_vec()))
                .collect();
            out.push(ToServer::FileRead(Ok(())));
            out
        }
        Err(e) => vec![ToServer::FileRead(Err(match e {
            InputError::Io(e) => FileRefusal::Io(e.to_string()),
            InputError::NotRegular => FileRefusal::NotRegular,
            InputError::TooLarge { size, limit } => FileRefusal::TooLarge { size, limit },
        }))],
    }
}

/// The client's side of a write: `bytes` written at `path`, the answer.
pub fn answer_write(path: &Path, bytes: &[u8]) -> ToServer {
    ToServer::FileWritten(crate::files::write_atomic_here(path, bytes).map_err(|e| e.to_string()))
}
