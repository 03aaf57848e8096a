//! `sanshe serve`: the one process that owns a database. It opens the
//! store first (its lock: two servers of one database can never run),
//! listens on the socket in the database folder, and serves each client on
//! a thread of its own:
//! - an app's store requests one at a time across all apps (answer and
//!   change notice together, so every app sees every change once, after
//!   the answer of the app that made it);
//! - a command line as the command would run by itself, its output and
//!   files passing through the client (`client.rs`);
//! - after anything that wrote, the change notice goes to every app.
//!
//! Every client is served as the Unix user the kernel names for its
//! socket (`store::session`), if the access list admits it (`access.rs`).
//! A client that misbehaves (a malformed or oversized frame, a dead
//! connection) loses its own connection only.

use std::collections::BTreeMap;
use std::io::Write;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::model::Lang;
use crate::store::session::{self, Session};
use crate::store::{Notice, Store};
use crate::tui::worker::{self, Request, Response};

use super::access::{self, Admitted};
use super::files::{ClientFiles, Link};
use super::frame::{self, FrameError};
use super::proto::{self, Role, ToClient, ToServer};
use super::{peer, socket};

/// At most this many clients at once; more are told to wait.
const MAX_CLIENTS: usize = 64;
/// A client has this long to greet before it is dropped.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// What the clients read again is kept this long after its last use.
const MEMO_IDLE: Duration = Duration::from_secs(60);
/// Answers and notices queued for one app before it is taken for dead.
const OUTBOX: usize = 4096;

/// How the server leaves.
#[derive(Debug, Clone, Copy)]
pub struct Lifetime {
    /// Leave this long after the last client left (`None`: stay).
    pub idle: Option<Duration>,
}

struct Entry {
    info: proto::Client,
    /// Where an app's answers and notices go (`None` for other clients).
    outbox: Option<SyncSender<ToClient>>,
    /// To close the connection of an app that stopped reading.
    stream: Option<UnixStream>,
}

struct Server {
    store: Store,
    db: PathBuf,
    started: chrono::DateTime<chrono::Local>,
    /// One app request (with its notice) at a time.
    serial: Mutex<()>,
    clients: Mutex<BTreeMap<u64, Entry>>,
    next: AtomicU64,
    /// When the last client left.
    empty_since: Mutex<Option<Instant>>,
    /// When freed memory is to be given back (see [`trim_soon`]).
    trim_due: Mutex<Option<Instant>>,
    /// Why the database took a new replica id when this server opened it
    /// (a copy, a restored backup): told to the first command.
    fork: Mutex<Option<crate::store::Fork>>,
    /// The socket's inode: when the file is gone or replaced, the server
    /// leaves (its folder was removed, or another took the name).
    socket_ino: u64,
}

/// Serves the database at `db` until stopped or idle. Returns when the
/// server leaves; an error when it could not start (the database is held
/// by another process, or cannot be opened).
/// `ready` is called once the server listens.
pub fn run(db: &Path, life: Lifetime, ready: &dyn Fn()) -> Result<(), crate::cli::CliError> {
    limit_heap_arenas();
    let store = Store::open_existing(db, Default::default())?;
    store.watch();
    store.keep_in_memory();
    let listener = socket::listen(db).map_err(|e| {
        crate::cli::CliError::Failed(format!("{}: {e}", socket::path(db).display()))
    })?;
    // The socket is the owner's (`listen`); opened to whom the access
    // list names. A folder nobody else is admitted to is left as it is
    // (the commands warn when it is open to others).
    let grants = store.grants().unwrap_or_default();
    if !grants.is_empty() {
        if let Err(e) = access::open_the_way(db, &grants) {
            log(&format!("modes of {}: {e}", db.display()));
        }
    }
    let socket_ino = inode(&socket::path(db)).unwrap_or(0);
    let fork = store.fork();
    let server = Arc::new(Server {
        store,
        db: db.to_path_buf(),
        started: chrono::Local::now(),
        serial: Mutex::new(()),
        clients: Mutex::new(BTreeMap::new()),
        next: AtomicU64::new(1),
        empty_since: Mutex::new(Some(Instant::now())),
        fork: Mutex::new(fork),
        trim_due: Mutex::new(None),
        socket_ino,
    });
    log(&format!(
        "serving {} (pid {})",
        db.display(),
        std::process::id()
    ));
    let watcher = Arc::clone(&server);
    std::thread::Builder::new()
        .name("sanshe-watch".into())
        .spawn(move || watch(watcher, life))
        .map_err(|e| crate::cli::CliError::Failed(e.to_string()))?;
    ready();
    accept(&server, listener);
    Ok(())
}

/// glibc gives each thread that allocates an arena of its own and keeps
/// what is freed in it: with a thread per client, every app's loads would
/// leave their peak behind in its own arena. Two arenas are plenty for a
/// handful of clients.
fn limit_heap_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of glibc's allocator, before the
    // threads that would use more arenas exist.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

fn inode(p: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(p).ok().map(|m| m.ino())
}

/// A line in the server's log (its standard error: `server.log` in the
/// database folder when started by a client, the journal under systemd).
fn log(line: &str) {
    let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S");
    let _ = writeln!(std::io::stderr(), "{now} {line}");
}

fn accept(server: &Arc<Server>, listener: UnixListener) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let server = Arc::clone(server);
        let spawned = std::thread::Builder::new()
            .name("sanshe-client".into())
            .spawn(move || serve_client(server, stream));
        if let Err(e) = spawned {
            log(&format!("no thread for a client: {e}"));
        }
    }
}

/// A load or a command read many records: the memory it freed is given
/// back to the system a moment later (trimming holds the heap's lock for
/// tens of ms: not in the middle of a run of saves).
fn trim_soon(server: &Server) {
    *lock(&server.trim_due) = Some(Instant::now() + Duration::from_millis(300));
}

/// Leaves when idle long enough, or when the socket file is gone; gives
/// freed memory back when due.
fn watch(server: Arc<Server>, life: Lifetime) {
    loop {
        std::thread::sleep(Duration::from_millis(250));
        // What the clients read again (reports, the table of organizations)
        // is kept while they do: a minute after the last use it goes.
        if server.store.forget_unused(MEMO_IDLE) {
            trim_soon(&server);
        }
        let due = lock(&server.trim_due).is_some_and(|t| Instant::now() >= t);
        if due {
            *lock(&server.trim_due) = None;
            worker::give_back_free_memory();
        }
        if inode(&socket::path(&server.db)) != Some(server.socket_ino) {
            log("the socket is gone: leaving");
            leave(&server, 0);
        }
        let since = *lock(&server.empty_since);
        if let (Some(idle), Some(since)) = (life.idle, since) {
            if since.elapsed() >= idle {
                log("idle: leaving");
                leave(&server, 0);
            }
        }
    }
}

/// Ends the process: every write was flushed when it was acknowledged;
/// the socket file goes if it is still ours.
fn leave(server: &Server, code: i32) -> ! {
    // No request runs while we leave.
    let _serial = lock(&server.serial);
    if inode(&socket::path(&server.db)) == Some(server.socket_ino) {
        let _ = std::fs::remove_file(socket::path(&server.db));
    }
    server.store.remove_holder();
    std::process::exit(code)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn serve_client(server: Arc<Server>, mut stream: UnixStream) {
    let Ok(peer) = peer::peer(&stream) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(HELLO_TIMEOUT));
    let (role, lang) = match frame::read::<ToServer>(&mut stream) {
        Ok(ToServer::Hello { role, lang }) => (role, lang),
        Ok(_) => return,
        Err(FrameError::Version { theirs, ours }) => {
            // Our version in the header tells the client which to restart.
            log(&format!(
                "a client of protocol {theirs} (ours {ours}) refused"
            ));
            let _ = frame::write(&mut stream, &ToClient::Refused(String::new()));
            return;
        }
        // A client checking that the server listens says nothing.
        Err(FrameError::Closed) => return,
        Err(e) => {
            log(&format!("a client's greeting: {e}"));
            return;
        }
    };
    let _ = stream.set_read_timeout(None);
    crate::text::set_lang(lang);
    let admitted = match access::admit(&server.store, &server.db, peer) {
        Ok(a) => a,
        Err(why) => {
            log(&format!("refused uid {}", peer.uid));
            let _ = frame::write(&mut stream, &ToClient::Refused(why));
            return;
        }
    };
    if lock(&server.clients).len() >= MAX_CLIENTS {
        let _ = frame::write(
            &mut stream,
            &ToClient::Refused(crate::tr!("server.too_many", n = MAX_CLIENTS)),
        );
        return;
    }
    let welcome = ToClient::Welcome(proto::Welcome {
        pid: std::process::id(),
        user: admitted.user.clone(),
        read_only: admitted.read_only,
    });
    match role {
        Role::Status => {
            let _ = frame::write(&mut stream, &welcome);
            let _ = frame::write(&mut stream, &ToClient::Status(status(&server)));
        }
        Role::Stop => {
            if admitted.manager {
                let _ = frame::write(&mut stream, &welcome);
                let _ = frame::write(&mut stream, &ToClient::Exit(0));
                log(&format!("stopped by {}", admitted.user));
                leave(&server, 0);
            }
            let owner = access::owner(&server.db)
                .map(access::login)
                .unwrap_or_default();
            let _ = frame::write(
                &mut stream,
                &ToClient::Refused(crate::tr!("server.stop_not_allowed", owner = owner)),
            );
        }
        Role::App => {
            if frame::write(&mut stream, &welcome).is_ok() {
                serve_app(&server, stream, admitted, lang);
            }
        }
        Role::Command => {
            if frame::write(&mut stream, &welcome).is_ok() {
                serve_command(&server, stream, admitted, lang);
            }
        }
    }
}

fn status(server: &Server) -> proto::Status {
    proto::Status {
        pid: std::process::id(),
        started: server
            .started
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        db: server.db.display().to_string(),
        clients: lock(&server.clients)
            .values()
            .map(|e| e.info.clone())
            .collect(),
    }
}

/// Registers a client; it is removed (and the idle clock started when it
/// was the last) when the returned guard is dropped.
fn register(
    server: &Arc<Server>,
    user: &str,
    what: String,
    outbox: Option<SyncSender<ToClient>>,
    stream: Option<UnixStream>,
) -> Registered {
    let id = server.next.fetch_add(1, Ordering::Relaxed);
    let info = proto::Client {
        user: user.to_string(),
        what,
        since: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
    };
    lock(&server.clients).insert(
        id,
        Entry {
            info,
            outbox,
            stream,
        },
    );
    *lock(&server.empty_since) = None;
    Registered {
        server: Arc::clone(server),
        id,
    }
}

struct Registered {
    server: Arc<Server>,
    id: u64,
}

impl Drop for Registered {
    fn drop(&mut self) {
        let mut clients = lock(&self.server.clients);
        clients.remove(&self.id);
        if clients.is_empty() {
            *lock(&self.server.empty_since) = Some(Instant::now());
        }
    }
}

/// Sends what the last requests changed to every app. Called with
/// `serial` held, so notices go out in the order of the writes.
fn announce(server: &Server) {
    let notice: Notice = server.store.take_notice();
    if notice.is_empty() {
        return;
    }
    let mut clients = lock(&server.clients);
    let mut dead = Vec::new();
    for (id, e) in clients.iter() {
        let Some(outbox) = &e.outbox else { continue };
        let msg = ToClient::Response {
            id: 0,
            resp: Response::Changed(notice.clone()),
        };
        match outbox.try_send(msg) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => dead.push(*id),
        }
    }
    for id in dead {
        // An app that stopped reading: its connection closes; it will
        // connect again and read everything anew.
        if let Some(e) = clients.get_mut(&id) {
            log(&format!("{} stopped reading: disconnected", e.info.user));
            e.outbox = None;
            if let Some(s) = &e.stream {
                let _ = s.shutdown(std::net::Shutdown::Both);
            }
        }
    }
}

fn serve_app(server: &Arc<Server>, stream: UnixStream, who: Admitted, lang: Lang) {
    let (tx, rx) = mpsc::sync_channel::<ToClient>(OUTBOX);
    let Ok(write_half) = stream.try_clone() else {
        return;
    };
    let Ok(closer) = stream.try_clone() else {
        return;
    };
    let writer = std::thread::Builder::new()
        .name("sanshe-out".into())
        .spawn(move || write_out(write_half, rx));
    if writer.is_err() {
        return;
    }
    let _registered = register(
        server,
        &who.user,
        "app".into(),
        Some(tx.clone()),
        Some(closer),
    );
    let _session = session::enter(Session {
        user: who.user.clone(),
        may_write: !who.read_only,
        may_see_leads: who.leads,
        may_see_reporter: who.reporter,
    });
    crate::text::set_lang(lang);
    // Files a pane's request writes or reads outside the database folder
    // (the exports, bulletins and bundles of a staff member who is not the
    // owner; a bundle to import) are the client's to write and read.
    let io = Rc::new(ClientFiles::new(
        AppIo {
            stream: std::cell::RefCell::new(stream),
            outbox: tx.clone(),
            queued: Default::default(),
        },
        &server.db,
    ));
    loop {
        let queued = io.link.queued.borrow_mut().pop_front();
        let next = match queued {
            Some(q) => Ok(ToServer::Request { id: q.0, req: q.1 }),
            None => frame::read::<ToServer>(&mut *io.link.stream.borrow_mut()),
        };
        let (id, req) = match next {
            Ok(ToServer::Request { id, req }) => (id, req),
            Ok(_) => {
                log(&format!("{}: unexpected frame; disconnected", who.user));
                break;
            }
            Err(FrameError::Closed) => break,
            Err(e) => {
                log(&format!("{}: {e}; disconnected", who.user));
                break;
            }
        };
        // A pane's data reads every record of a kind: the memory freed
        // after it is given back once the server is idle a moment.
        let large = matches!(
            req,
            Request::Load
                | Request::Linkage(_)
                | Request::Activity(_)
                | Request::Dashboard(_)
                | Request::Evaluation(_)
                | Request::Venture(_)
                | Request::Incubation(_)
                | Request::Training(_)
                | Request::Center(_)
                | Request::Sync(_)
                | Request::Export(_)
        );
        let serial = lock(&server.serial);
        let mut open = crate::files::with_agent(io.clone(), || {
            worker::answer(&server.store, req, &mut |resp| {
                tx.send(ToClient::Response { id, resp }).is_ok()
            })
        });
        open &= tx.send(ToClient::Done { id }).is_ok();
        announce(server);
        drop(serial);
        if large {
            trim_soon(server);
        }
        if must_leave(server) {
            // Its answers go out first.
            std::thread::sleep(Duration::from_millis(200));
            leave(server, 0);
        }
        if !open {
            break;
        }
    }
    let _ = io.link.stream.borrow().shutdown(std::net::Shutdown::Both);
}

/// How long an app has to read or write a file the server asked for.
const FILE_TIMEOUT: Duration = Duration::from_secs(60);

/// An app's files, passed to it: requests it sends meanwhile wait their
/// turn.
struct AppIo {
    stream: std::cell::RefCell<UnixStream>,
    outbox: SyncSender<ToClient>,
    queued: std::cell::RefCell<std::collections::VecDeque<(u64, Request)>>,
}

impl Link for AppIo {
    fn send(&self, msg: ToClient) -> std::io::Result<()> {
        self.outbox
            .send(msg)
            .map_err(|_| std::io::Error::other("the app is gone"))
    }

    /// The app's next answer to a file question (its requests queued).
    fn reply(&self) -> std::io::Result<ToServer> {
        let mut stream = self.stream.borrow_mut();
        let _ = stream.set_read_timeout(Some(FILE_TIMEOUT));
        let got = loop {
            match frame::read::<ToServer>(&mut *stream).map_err(to_io) {
                Ok(ToServer::Request { id, req }) => self.queued.borrow_mut().push_back((id, req)),
                other => break other,
            }
        };
        let _ = stream.set_read_timeout(None);
        got
    }
}

/// True when the store must be opened again, by a new server: a write
/// failed on the disk (a full disk: this handle writes no more), or a sync
/// import found the database behind (it takes a new replica id at its
/// next opening). The next client starts that server; open apps
/// reconnect to it by themselves.
fn must_leave(server: &Server) -> bool {
    if server.store.is_broken() {
        log("the store refused a write (disk full?): leaving to be opened again");
        return true;
    }
    if server.store.fork_pending() {
        log("the database was found behind: leaving to take a new replica id");
        return true;
    }
    false
}

fn write_out(mut stream: UnixStream, rx: Receiver<ToClient>) {
    for msg in rx {
        if frame::write(&mut stream, &msg).is_err() {
            let _ = stream.shutdown(std::net::Shutdown::Both);
            return;
        }
    }
}

fn serve_command(server: &Arc<Server>, mut stream: UnixStream, who: Admitted, lang: Lang) {
    let (argv, config) = match frame::read::<ToServer>(&mut stream) {
        Ok(ToServer::Run { argv, config }) => (argv, config),
        _ => return,
    };
    let argv: Vec<std::ffi::OsString> = argv
        .iter()
        .map(|a| proto::bytes_path(a).into_os_string())
        .collect();
    let what = crate::cli::command_path(&argv);
    let _registered = register(server, &who.user, what, None, None);
    let io = Rc::new(ClientFiles::new(
        CommandIo {
            stream: std::cell::RefCell::new(stream),
        },
        &server.db,
    ));
    let code = {
        let _session = session::enter(Session {
            user: who.user.clone(),
            may_write: !who.read_only,
            may_see_leads: who.leads,
            may_see_reporter: who.reporter,
        });
        crate::text::set_lang(lang);
        crate::files::with_agent(io.clone(), || {
            crate::cli::output::with_sink(io.clone(), || {
                if let Some(fork) = lock(&server.fork).take() {
                    crate::cli::output::message(&crate::sync::describe::fork_note(fork));
                }
                let cx = crate::cli::ServerCx {
                    store: &server.store,
                    config: &config,
                    who: &who,
                };
                crate::cli::run_in_server(cx, argv, lang)
            })
        })
    };
    {
        let _serial = lock(&server.serial);
        announce(server);
    }
    let _ = io.link.send(ToClient::Exit(code));
    trim_soon(server);
    if must_leave(server) {
        leave(server, 0);
    }
}

/// A command's connection: its output, and the files it names.
struct CommandIo {
    stream: std::cell::RefCell<UnixStream>,
}

impl Link for CommandIo {
    fn send(&self, msg: ToClient) -> std::io::Result<()> {
        frame::write(&mut *self.stream.borrow_mut(), &msg).map_err(to_io)
    }

    fn reply(&self) -> std::io::Result<ToServer> {
        frame::read(&mut *self.stream.borrow_mut()).map_err(to_io)
    }
}

fn to_io(e: FrameError) -> std::io::Error {
    match e {
        FrameError::Io(e) => e,
        other => std::io::Error::other(other.to_string()),
    }
}

impl crate::cli::output::Sink for ClientFiles<CommandIo> {
    fn out(&self, bytes: &[u8]) -> std::io::Result<()> {
        for piece in bytes.chunks(proto::CHUNK) {
            self.link.send(ToClient::Out(piece.to_vec()))?;
        }
        Ok(())
    }

    fn err(&self, text: &str) {
        let _ = self.link.send(ToClient::Err(text.to_string()));
    }
}
