//! The client's side: reaching a database's server (starting one when
//! none runs), greeting it, and running a command through it: its output
//! printed here, the files it names read and written here, with this
//! user's permissions and working directory.

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::model::Lang;
use crate::tr;

use super::frame::{self, FrameError};
use super::proto::{self, Role, ToClient, ToServer, Welcome};
use super::socket;

/// How long a client waits for a server it started to listen (opening a
/// district's database, or bringing an older one up to date, takes a few
/// seconds).
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// The server's log is started afresh past this size (the old one kept as
/// `server.log.1`).
const LOG_LIMIT: u64 = 1 << 20;

/// Why a client could not be served.
#[derive(Debug)]
pub enum ConnectError {
    /// The server refused this user (exit code 1), with its reason.
    Refused(String),
    /// Nothing listens and no server could be started.
    NotRunning,
    /// The server could not start: the reason (from its log).
    Start(String),
    /// The server speaks another protocol version.
    Version {
        theirs: u16,
        ours: u16,
    },
    Io(std::io::Error),
}

impl ConnectError {
    pub fn message(&self, db: &Path) -> String {
        match self {
            ConnectError::Refused(why) => why.clone(),
            ConnectError::NotRunning => tr!("server.not_running", db = db.display()),
            ConnectError::Start(why) => tr!("server.start_failed", db = db.display(), why = why),
            ConnectError::Version { theirs, ours } => {
                let pid = crate::store::holder(db)
                    .map(|h| h.pid.to_string())
                    .unwrap_or_else(|| "?".into());
                tr!("server.version", theirs = theirs, ours = ours, pid = pid)
            }
            ConnectError::Io(e) => tr!("server.lost", why = e),
        }
    }
}

fn from_frame(e: FrameError) -> ConnectError {
    match e {
        FrameError::Version { theirs, ours } => ConnectError::Version { theirs, ours },
        FrameError::Io(e) => ConnectError::Io(e),
        other => ConnectError::Io(std::io::Error::other(other.to_string())),
    }
}

/// Connects to the server of `db` and greets it; when none listens and
/// `start`, starts one first.
pub fn connect(
    db: &Path,
    role: Role,
    lang: Lang,
    start: bool,
) -> Result<(UnixStream, Welcome), ConnectError> {
    // A server killed a moment ago can still take a connection and then
    // reset it, or hold its socket while a new one starts: try again a few
    // times before saying so.
    let mut tries = 0;
    loop {
        match connect_once(db, role, lang, start) {
            Err(ConnectError::Io(_) | ConnectError::Start(_)) if start && tries < 3 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(200 * tries));
            }
            other => return other,
        }
    }
}

fn connect_once(
    db: &Path,
    role: Role,
    lang: Lang,
    start: bool,
) -> Result<(UnixStream, Welcome), ConnectError> {
    let stream = match socket::connect(db) {
        Ok(s) => s,
        Err(_) if start => {
            self::start(db)?;
            socket::connect(db).map_err(ConnectError::Io)?
        }
        Err(_) => return Err(ConnectError::NotRunning),
    };
    greet(stream, role, lang)
}

fn greet(
    mut stream: UnixStream,
    role: Role,
    lang: Lang,
) -> Result<(UnixStream, Welcome), ConnectError> {
    frame::write(&mut stream, &ToServer::Hello { role, lang }).map_err(from_frame)?;
    match frame::read_reply::<ToClient>(&mut stream).map_err(from_frame)? {
        ToClient::Welcome(w) => Ok((stream, w)),
        ToClient::Refused(why) => Err(ConnectError::Refused(why)),
        _ => Err(ConnectError::Io(std::io::Error::other(
            "unexpected greeting",
        ))),
    }
}

/// Starts a server for `db` in the background (a session of its own, its
/// log in `server.log`) and waits until it listens. Another client
/// starting one at the same moment is fine: one of them gets the database,
/// the other leaves, and both clients reach the one that stayed.
pub fn start(db: &Path) -> Result<(), ConnectError> {
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::process::CommandExt;
    // The server names its database by its full path (what its status
    // shows, what it compares the paths of files with).
    let db = &std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
    // The server runs as the database's owner (it alone opens the files):
    // another user cannot start it; root starts it as the owner.
    let (owner_uid, owner_gid) = {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(db).map_err(|e| ConnectError::Start(e.to_string()))?;
        (m.uid(), m.gid())
    };
    let me = uzers::get_effective_uid();
    if me != owner_uid && me != 0 {
        return Err(ConnectError::Start(tr!(
            "server.start_not_owner",
            owner = super::access::login(owner_uid)
        )));
    }
    let log_path = db.join("server.log");
    if std::fs::metadata(&log_path).is_ok_and(|m| m.len() > LOG_LIMIT) {
        let _ = std::fs::rename(&log_path, db.join("server.log.1"));
    }
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        // Never through a link planted in its place.
        .custom_flags(libc::O_NOFOLLOW)
        .open(&log_path)
        .map_err(|e| ConnectError::Start(format!("{}: {e}", log_path.display())))?;
    let exe = std::env::current_exe().map_err(|e| ConnectError::Start(e.to_string()))?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("--db")
        .arg(db)
        .arg("--lang")
        .arg(match crate::text::lang() {
            Lang::En => "en",
            Lang::Zh => "zh",
        })
        .arg("serve")
        .arg("--detached")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(log);
    // SAFETY: setsid is async-signal-safe; between fork and exec it only
    // makes the child a session of its own, so that a hang-up of this
    // client's terminal (an SSH link dropping) does not reach the server.
    let as_owner = me == 0 && owner_uid != 0;
    // SAFETY (also): setgroups/setgid/setuid are async-signal-safe; root's
    // server takes the owner's identity before it runs, so that every file
    // it makes in the database folder stays the owner's.
    unsafe {
        cmd.pre_exec(move || {
            libc::setsid();
            if as_owner
                && (libc::setgroups(0, std::ptr::null()) != 0
                    || libc::setgid(owner_gid) != 0
                    || libc::setuid(owner_uid) != 0)
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| ConnectError::Start(e.to_string()))?;
    // The server's first line: ready, or why not (see `cli::server`).
    let said = child.stdout.take().map(|out| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            let mut line = String::new();
            let _ = std::io::BufReader::new(out).read_line(&mut line);
            let _ = tx.send(line.trim().to_string());
        });
        rx
    });
    let line = said
        .and_then(|rx| rx.recv_timeout(START_TIMEOUT).ok())
        .unwrap_or_default();
    // Reaped when it leaves, not left a zombie of this process.
    std::thread::spawn(move || child.wait());
    if line == crate::cli::server::READY {
        return Ok(());
    }
    // Another client's server may have won the database meanwhile and be
    // about to listen.
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if socket::connect(db).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Err(ConnectError::Start(if line.is_empty() {
        last_line(&log_path)
    } else {
        line
    }))
}

/// The last line of the server's log: why it did not start.
fn last_line(log: &Path) -> String {
    let text = std::fs::read(log).unwrap_or_default();
    let text = String::from_utf8_lossy(&text[text.len().saturating_sub(4096)..]).into_owned();
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .to_string()
}

/// Runs the command `argv` in the server of `db`; returns its exit code.
pub fn run_command(
    db: &Path,
    argv: &[std::ffi::OsString],
    config: &crate::config::Config,
    lang: Lang,
) -> Result<i32, ConnectError> {
    let (mut stream, _) = connect(db, Role::Command, lang, true)?;
    let argv = argv
        .iter()
        .map(|a| proto::path_bytes(Path::new(a)))
        .collect();
    let config = config.clone();
    frame::write(&mut stream, &ToServer::Run { argv, config }).map_err(from_frame)?;
    let mut stdout_open = true;
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let msg = frame::read_reply::<ToClient>(&mut stream).map_err(|e| match e {
            FrameError::Closed => ConnectError::Io(std::io::Error::other(tr!("server.closed"))),
            e => from_frame(e),
        })?;
        match msg {
            ToClient::Out(bytes) if stdout_open => {
                let mut out = std::io::stdout().lock();
                if out.write_all(&bytes).and_then(|_| out.flush()).is_err() {
                    // `| head`: the rest is not wanted.
                    stdout_open = false;
                }
            }
            ToClient::Err(text) => {
                let _ = writeln!(std::io::stderr().lock(), "{text}");
            }
            ToClient::Read { path, limit } => {
                for msg in super::files::answer_read(&proto::bytes_path(&path), limit) {
                    frame::write(&mut stream, &msg).map_err(from_frame)?;
                }
            }
            ToClient::WriteChunk(bytes) => pending.extend_from_slice(&bytes),
            ToClient::Write { path } => {
                let bytes = std::mem::take(&mut pending);
                let done = super::files::answer_write(&proto::bytes_path(&path), &bytes);
                frame::write(&mut stream, &done).map_err(from_frame)?;
            }
            ToClient::Exit(code) => return Ok(code),
            _ => {}
        }
    }
}

/// The status of the server of `db`; `None` when none runs.
pub fn status(db: &Path, lang: Lang) -> Result<Option<proto::Status>, ConnectError> {
    let mut stream = match connect(db, Role::Status, lang, false) {
        Ok((s, _)) => s,
        Err(ConnectError::NotRunning) => return Ok(None),
        Err(e) => return Err(e),
    };
    match frame::read_reply::<ToClient>(&mut stream).map_err(from_frame)? {
        ToClient::Status(s) => Ok(Some(s)),
        _ => Err(ConnectError::Io(std::io::Error::other("unexpected answer"))),
    }
}

/// Stops the server of `db`; false when none ran.
pub fn stop(db: &Path, lang: Lang) -> Result<bool, ConnectError> {
    let (mut stream, pid) = match connect(db, Role::Stop, lang, false) {
        Ok((s, w)) => (s, w.pid),
        Err(ConnectError::NotRunning) => return Ok(false),
        Err(e) => return Err(e),
    };
    match frame::read_reply::<ToClient>(&mut stream) {
        Ok(ToClient::Refused(why)) => Err(ConnectError::Refused(why)),
        _ => {
            // It leaves: wait until the process has ended (its lock on the
            // database goes with it).
            let deadline = Instant::now() + Duration::from_secs(10);
            while is_running(pid) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
            Ok(true)
        }
    }
}

/// Whether process `pid` still runs (a zombie, ended but not yet reaped by
/// the client that started it, does not).
fn is_running(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name in parentheses.
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}
