//! The server's socket: `sanshe.sock` in the database directory (private
//! to its owner since [1/6]), so whoever may read the database may find
//! its server and nobody else. A socket file left by a server that died
//! (kill -9) is found stale (nobody accepts on it) and replaced; two
//! servers of one database cannot both run, because the first holds the
//! database's lock before it binds (`Store::open`).
//!
//! Unix socket paths are limited to 107 bytes; a database directory can
//! be deeper than that. Both sides then reach the socket through
//! `/proc/self/fd/N/sanshe.sock`, `N` a descriptor of the directory, which
//! is always short.

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

/// The socket's file name in the database directory.
pub const NAME: &str = "sanshe.sock";
/// The longest path `bind`/`connect` take (sockaddr_un's sun_path, less
/// its NUL).
const MAX_PATH: usize = 107;

/// The socket of the database at `db`.
pub fn path(db: &Path) -> PathBuf {
    db.join(NAME)
}

/// Runs `f` with a path to the socket short enough for the kernel: the
/// real one, or one through a descriptor of the directory.
fn with_short_path<T>(db: &Path, f: impl FnOnce(&Path) -> io::Result<T>) -> io::Result<T> {
    let full = path(db);
    if full.as_os_str().len() <= MAX_PATH {
        return f(&full);
    }
    let dir = File::open(db)?;
    let short = PathBuf::from(format!("/proc/self/fd/{}/{NAME}", dir.as_raw_fd()));
    let out = f(&short);
    drop(dir);
    out
}

/// Connects to the server of the database at `db` (`ConnectionRefused`
/// or `NotFound`: none runs).
pub fn connect(db: &Path) -> io::Result<UnixStream> {
    with_short_path(db, |p| UnixStream::connect(p))
}

/// True when a server accepts on the socket of `db`.
pub fn is_live(db: &Path) -> bool {
    connect(db).is_ok()
}

/// Listens on the socket of `db`, replacing a stale socket file; the
/// caller must hold the database (its store open) first. The mode is set
/// by path after `bind`: safe because the database directory is private to
/// its owner ([1/6]), so nobody else can swap the file in between. Refused with
/// `AddrInUse` when a server already accepts there. The socket is made
/// readable and writable by its owner only (group access is granted with
/// the database's access list).
pub fn listen(db: &Path) -> io::Result<UnixListener> {
    let file = path(db);
    if std::fs::symlink_metadata(&file).is_ok() {
        if is_live(db) {
            return Err(io::Error::new(
                io::ErrorKind::AddrInUse,
                format!("{} is served already", file.display()),
            ));
        }
        // Stale: left by a server that did not close (killed).
        std::fs::remove_file(&file)?;
    }
    let listener = with_short_path(db, |p| UnixListener::bind(p))?;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
    Ok(listener)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn a_client_reaches_the_server_and_the_server_knows_who_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let listener = listen(dir.path()).unwrap();
        let mode = std::fs::metadata(path(dir.path()))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let mut client = connect(dir.path()).unwrap();
        let (mut server, _) = listener.accept().unwrap();
        let p = crate::server::peer::peer(&server).unwrap();
        assert_eq!(p.pid, std::process::id());
        client.write_all(b"hi").unwrap();
        let mut got = [0u8; 2];
        server.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"hi");
    }

    #[test]
    fn a_stale_socket_is_replaced_and_a_live_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let first = listen(dir.path()).unwrap();
        assert!(is_live(dir.path()));
        // A second server while the first accepts: refused.
        let err = listen(dir.path()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        // The first dies without cleaning up (kill -9): the file stays.
        drop(first);
        assert!(path(dir.path()).exists());
        assert!(!is_live(dir.path()));
        let second = listen(dir.path()).unwrap();
        assert!(is_live(dir.path()));
        drop(second);
    }

    #[test]
    fn a_deep_database_directory_still_gets_its_socket() {
        let dir = tempfile::tempdir().unwrap();
        let mut deep = dir.path().to_path_buf();
        while deep.as_os_str().len() <= MAX_PATH + 20 {
            deep.push("望江门社区银龄互助会资料");
        }
        std::fs::create_dir_all(&deep).unwrap();
        let listener = listen(&deep).unwrap();
        assert!(path(&deep).exists());
        let _client = connect(&deep).unwrap();
        let (server, _) = listener.accept().unwrap();
        assert!(crate::server::peer::peer(&server).is_ok());
    }
}
