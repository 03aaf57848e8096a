//! The app's link to the database's server: the store worker of an app
//! whose database a server owns. Requests go out over the socket, each
//! with an id; answers and everyone's change notices come back as
//! [`Event::Store`], like keys do, so the loop wakes on them without a
//! timer.
//!
//! When the connection is lost (the server killed, restarted), the app is
//! told, requests still unanswered are answered as refused (a save whose
//! answer was lost is never sent again: it may have been written), and the
//! link connects again by itself (starting a server), then tells the app,
//! which reads everything anew.

use std::collections::BTreeMap;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use crate::model::Lang;
use crate::server::client::{self, ConnectError};
use crate::server::frame;
use crate::server::proto::{Role, ToClient, ToServer};
use crate::store::StoreError;

use super::event::Event;
use super::worker::{self, Link, Request, Response};

/// How long the link waits between attempts to reach a server again.
const RETRY: Duration = Duration::from_millis(500);

struct Shared {
    db: PathBuf,
    lang: Lang,
    events: Sender<Event>,
    /// The connection's writing half; `None` while disconnected.
    out: Mutex<Option<UnixStream>>,
    /// Requests sent and not yet done, by id.
    pending: Mutex<BTreeMap<u64, Request>>,
    /// The app is quitting: do not connect again.
    closing: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Connects to the server of `db` (starting one when none runs). Fails
/// when the user is not admitted or no server can be started: the app
/// does not open then.
pub fn spawn(
    db: PathBuf,
    lang: Lang,
    events: Sender<Event>,
) -> Result<(Sender<Request>, thread::JoinHandle<()>), ConnectError> {
    let (stream, welcome) = client::connect(&db, Role::App, lang, true)?;
    let shared = Arc::new(Shared {
        db,
        lang,
        events,
        out: Mutex::new(None),
        pending: Mutex::new(BTreeMap::new()),
        closing: AtomicBool::new(false),
    });
    let read_half = stream.try_clone().map_err(ConnectError::Io)?;
    *lock(&shared.out) = Some(stream);
    if welcome.read_only {
        let _ = shared
            .events
            .send(Event::Store(Box::new(Response::Link(Link::ReadOnly))));
    }
    let reader = Arc::clone(&shared);
    thread::Builder::new()
        .name("sanshe-in".into())
        .spawn(move || read_loop(reader, read_half))
        .map_err(ConnectError::Io)?;
    let (tx, rx) = std::sync::mpsc::channel::<Request>();
    let handle = thread::Builder::new()
        .name("sanshe-link".into())
        .spawn(move || write_loop(shared, rx))
        .map_err(ConnectError::Io)?;
    Ok((tx, handle))
}

fn write_loop(shared: Arc<Shared>, rx: Receiver<Request>) {
    for (id, req) in (1u64..).zip(rx) {
        let mut out = lock(&shared.out);
        let sent = match out.as_mut() {
            Some(stream) => {
                lock(&shared.pending).insert(id, req.clone());
                let ok = frame::write(
                    stream,
                    &ToServer::Request {
                        id,
                        req: req.clone(),
                    },
                )
                .is_ok();
                if !ok {
                    lock(&shared.pending).remove(&id);
                    if let Some(s) = out.take() {
                        let _ = s.shutdown(std::net::Shutdown::Both);
                    }
                }
                ok
            }
            None => false,
        };
        drop(out);
        if !sent {
            let e = StoreError::Storage(crate::tr!("server.reconnecting"));
            let _ = shared
                .events
                .send(Event::Store(Box::new(worker::refused(req, e))));
        }
    }
    // The app quits: close the connection; the reader ends with it.
    shared.closing.store(true, Ordering::SeqCst);
    if let Some(s) = lock(&shared.out).take() {
        let _ = s.shutdown(std::net::Shutdown::Both);
    }
}

fn read_loop(shared: Arc<Shared>, mut stream: UnixStream) {
    // A file the server is giving this app to write, in pieces.
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let lost = match frame::read_reply::<ToClient>(&mut stream) {
            Ok(ToClient::Response { resp, .. }) => {
                // A pane's data (every organization, the activity log):
                // the frame it came in is freed now; give it back.
                let large = !matches!(
                    resp,
                    Response::Detail { .. }
                        | Response::Checked { .. }
                        | Response::Executed { .. }
                        | Response::Changed(_)
                );
                if shared.events.send(Event::Store(Box::new(resp))).is_err() {
                    return;
                }
                if large {
                    worker::give_back_free_memory();
                }
                continue;
            }
            Ok(ToClient::Done { id }) => {
                lock(&shared.pending).remove(&id);
                continue;
            }
            // Files of this user's (an export, a bundle to import): read and
            // written here, as this user.
            Ok(ToClient::Read { path, limit }) => {
                let path = crate::server::proto::bytes_path(&path);
                for msg in crate::server::files::answer_read(&path, limit) {
                    send(&shared, &msg);
                }
                continue;
            }
            Ok(ToClient::WriteChunk(bytes)) => {
                pending.extend_from_slice(&bytes);
                continue;
            }
            Ok(ToClient::Write { path }) => {
                let path = crate::server::proto::bytes_path(&path);
                let bytes = std::mem::take(&mut pending);
                send(&shared, &crate::server::files::answer_write(&path, &bytes));
                continue;
            }
            Ok(_) => continue,
            Err(e) => e.to_string(),
        };
        if shared.closing.load(Ordering::SeqCst) {
            return;
        }
        *lock(&shared.out) = None;
        let _ = shared
            .events
            .send(Event::Store(Box::new(Response::Link(Link::Lost(lost)))));
        // Whatever was asked and not answered is answered now: refused.
        let unanswered = std::mem::take(&mut *lock(&shared.pending));
        for (_, req) in unanswered {
            let e = StoreError::Storage(crate::tr!("server.unanswered"));
            let _ = shared
                .events
                .send(Event::Store(Box::new(worker::refused(req, e))));
        }
        match reconnect(&shared) {
            Some(s) => stream = s,
            None => return,
        }
    }
}

/// Sends `msg` on the connection, if there is one.
fn send(shared: &Shared, msg: &ToServer) {
    if let Some(stream) = lock(&shared.out).as_mut() {
        let _ = frame::write(stream, msg);
    }
}

/// Connects again (starting a server when none runs), until it works or
/// the app quits; then watches again and tells the app.
fn reconnect(shared: &Shared) -> Option<UnixStream> {
    loop {
        if shared.closing.load(Ordering::SeqCst) {
            return None;
        }
        match client::connect(&shared.db, Role::App, shared.lang, true) {
            Ok((mut stream, _)) => {
                // Watching is per connection: asked first, before anything
                // the app sends.
                if frame::write(
                    &mut stream,
                    &ToServer::Request {
                        id: 0,
                        req: Request::Watch,
                    },
                )
                .is_err()
                {
                    thread::sleep(RETRY);
                    continue;
                }
                let read_half = stream.try_clone().ok()?;
                *lock(&shared.out) = Some(stream);
                let _ = shared
                    .events
                    .send(Event::Store(Box::new(Response::Link(Link::Back))));
                return Some(read_half);
            }
            Err(ConnectError::Refused(why)) => {
                let _ = shared
                    .events
                    .send(Event::Store(Box::new(Response::Link(Link::Lost(why)))));
                thread::sleep(RETRY * 10);
            }
            Err(_) => thread::sleep(RETRY),
        }
    }
}
