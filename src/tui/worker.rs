//! The store worker: the one thread that talks to the store. The app sends
//! [`Request`]s; answers come back as [`Event::Store`] on the loop's channel,
//! like keys do. Nothing in the app holds the database, so the same
//! messages can later travel over a socket to a shared server.

use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::thread;

use crate::interchange::exports::Written;
use crate::model::{Organization, Place};
use crate::search::NameIndex;
use crate::store::{Command, Notice, Outcome, Store, StoreError, Warning};

use super::common::PaneId;
use super::event::Event;
use super::export::ExportRequest;
use super::panes::activities::data::{ActRequest, ActResponse};
use super::panes::center::data::{CenterRequest, CenterResponse};
use super::panes::dashboard::data::{DashRequest, DashResponse};
use super::panes::evaluations::data::{EvalRequest, EvalResponse};
use super::panes::incubation::data::{IncRequest, IncResponse};
use super::panes::linkage::data::{LinkRequest, LinkResponse};
use super::panes::orgs::rows::OrgRow;
use super::panes::sync::data::{SyncRequest, SyncResponse};
use super::panes::training::data::{TrainRequest, TrainResponse};
use super::panes::venture::data::{VentureRequest, VentureResponse};

/// How long the worker waits for another request after a load before it
/// gives freed memory back.
const TRIM_AFTER_IDLE: std::time::Duration = std::time::Duration::from_millis(300);

/// What a caller of the store wants done with the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Purpose {
    /// Saving the open form.
    FormSave,
    /// Deleting the selected organization.
    Delete,
}

/// A request to the store.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Request {
    /// From now on, announce what every commit changed
    /// ([`Response::Changed`] after the answer to each request).
    Watch,
    /// Places and every organization, as table rows; then the search index.
    Load,
    /// Undo the session's last change: `cmds` (from `Change::inverse`) in
    /// one batch, unless a record they restore was changed since.
    Undo { cmds: Vec<Command> },
    /// One organization in full, for the detail panel.
    Detail { id: String },
    /// Possible problems with a command (duplicates), without running it.
    Check { cmd: Box<Command>, purpose: Purpose },
    /// Run a command; the answer carries the record as stored afterwards.
    Execute { cmd: Box<Command>, purpose: Purpose },
    /// A request of the linkage pane.
    Linkage(LinkRequest),
    /// A request of the activities pane.
    Activity(ActRequest),
    /// A request of the dashboard.
    Dashboard(DashRequest),
    /// A request of the evaluations pane.
    Evaluation(EvalRequest),
    /// A request of the sync pane.
    Sync(SyncRequest),
    /// A request of the venture pane.
    Venture(VentureRequest),
    /// A request of the incubation pane.
    Incubation(IncRequest),
    /// A request of the training pane.
    Training(TrainRequest),
    /// A request of the center pane.
    Center(CenterRequest),
    /// Write the list a pane shows to a file in `DB/exports/`.
    Export(ExportRequest),
}

/// An answer from the store.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum Response {
    /// Every place (first of a load: forms and filters use them).
    Places(Vec<Place>),
    /// The first screen's data: the organizations table.
    Loaded { rows: Vec<OrgRow> },
    /// The name index over `rows` (keys are row positions), built after
    /// `Loaded` so the first screen does not wait for it.
    Index(NameIndex),
    /// One organization (`None`: it no longer exists). `superseded` when a
    /// later detail request came in before this one was read: the app
    /// ignores it.
    Detail {
        id: String,
        org: Option<Box<Organization>>,
        superseded: bool,
    },
    Checked {
        cmd: Box<Command>,
        purpose: Purpose,
        result: Result<Vec<Warning>, StoreError>,
    },
    Executed {
        cmd: Box<Command>,
        purpose: Purpose,
        result: Result<(Outcome, Option<Box<Organization>>), StoreError>,
    },
    /// Loading failed.
    LoadFailed(StoreError),
    /// A pane's request could not be served: the database could not be
    /// opened again after a write failed (a full disk); the reason goes to
    /// the status line.
    Unavailable(StoreError),
    /// An answer to the linkage pane.
    Linkage(Box<LinkResponse>),
    /// An answer to the activities pane.
    Activity(Box<ActResponse>),
    /// An answer to the dashboard.
    Dashboard(Box<DashResponse>),
    /// An answer to the evaluations pane.
    Evaluation(Box<EvalResponse>),
    /// An answer to the sync pane.
    Sync(Box<SyncResponse>),
    /// An answer to the venture pane.
    Venture(Box<VentureResponse>),
    /// An answer to the incubation pane.
    Incubation(Box<IncResponse>),
    /// An answer to the training pane.
    Training(Box<TrainResponse>),
    /// An answer to the center pane.
    Center(Box<CenterResponse>),
    /// The list's file, or why it could not be written.
    Exported(Result<Written, String>),
    /// An undo: done, or why not (nothing written then).
    Undone(Result<(), String>),
    /// What the request changed in the store (after its answer, once
    /// watching): every pane follows.
    Changed(Notice),
    /// The link to the database's server (`remote.rs`).
    Link(Link),
}

/// What became of the link to the server.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Link {
    /// Lost (why); connecting again.
    Lost(String),
    /// Connected again: everything is read anew.
    Back,
    /// This user may browse and export, not change.
    ReadOnly,
}

impl Response {
    /// The pane that asked for this answer; `None`: the app's own.
    pub fn pane(&self) -> Option<PaneId> {
        use super::panes::*;
        Some(match self {
            Response::Loaded { .. }
            | Response::Index(_)
            | Response::Detail { .. }
            | Response::Checked { .. }
            | Response::Executed { .. } => PANE_ORGS,
            Response::Linkage(_) => PANE_LINKAGE,
            Response::Activity(_) => PANE_ACTIVITIES,
            Response::Dashboard(_) => PANE_DASHBOARD,
            Response::Evaluation(_) => PANE_EVALUATIONS,
            Response::Sync(_) => PANE_SYNC,
            Response::Venture(_) => PANE_VENTURE,
            Response::Incubation(_) => PANE_INCUBATION,
            Response::Training(_) => PANE_TRAINING,
            Response::Center(_) => PANE_CENTER,
            Response::Places(_)
            | Response::LoadFailed(_)
            | Response::Unavailable(_)
            | Response::Exported(_)
            | Response::Undone(_)
            | Response::Link(_)
            | Response::Changed(_) => return None,
        })
    }
}

/// Starts the worker thread; it owns the store and ends when the app drops
/// its sender. Returns the sender for requests and the thread handle (join
/// it so the store is closed, and flushed, before the process exits). The
/// thread speaks the caller's language (its messages reach the screen).
pub fn spawn(
    store: Store,
    events: Sender<Event>,
) -> std::io::Result<(Sender<Request>, thread::JoinHandle<()>)> {
    let (tx, rx) = std::sync::mpsc::channel::<Request>();
    let lang = crate::text::lang();
    let handle = thread::Builder::new()
        .name("sanshe-store".into())
        .spawn(move || {
            crate::text::set_lang(lang);
            run(store, rx, events)
        })?;
    Ok((tx, handle))
}

fn send(events: &Sender<Event>, r: Response) -> bool {
    events.send(Event::Store(Box::new(r))).is_ok()
}

fn run(store: Store, rx: Receiver<Request>, events: Sender<Event>) {
    let path = store.path().to_path_buf();
    let mut store = Some(store);
    let mut queue: Vec<Request> = Vec::new();
    // Freed memory to give back once the worker is idle: trimming holds
    // the heap's lock for tens of ms, which would delay the app drawing
    // the answer it just got.
    let mut trim_due = false;
    loop {
        while queue.is_empty() {
            if trim_due {
                match rx.recv_timeout(TRIM_AFTER_IDLE) {
                    Ok(r) => queue.push(r),
                    Err(RecvTimeoutError::Timeout) => {
                        give_back_free_memory();
                        trim_due = false;
                    }
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            } else {
                match rx.recv() {
                    Ok(r) => queue.push(r),
                    Err(_) => return,
                }
            }
        }
        // Take everything queued, so a run of detail requests (a key held
        // down) costs one read.
        loop {
            match rx.try_recv() {
                Ok(r) => queue.push(r),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => break,
            }
        }
        let batch = std::mem::take(&mut queue);
        let last_detail = batch
            .iter()
            .rposition(|r| matches!(r, Request::Detail { .. }));
        // A detail or a check reads one record: no need to trim after it.
        let large = batch
            .iter()
            .any(|r| !matches!(r, Request::Detail { .. } | Request::Check { .. }));
        for (i, req) in batch.into_iter().enumerate() {
            let ok = match req {
                Request::Detail { id } if Some(i) != last_detail => send(
                    &events,
                    Response::Detail {
                        id,
                        org: None,
                        superseded: true,
                    },
                ),
                req => match usable(&mut store, &path) {
                    Ok(s) => serve(s, req, &mut |r| send(&events, r)),
                    Err(e) => send(&events, refused(req, e)),
                },
            };
            if !ok {
                return;
            }
        }
        trim_due |= large;
    }
}

/// Returns the heap's free pages to the system. A pane's load decodes every
/// record of a kind (hundreds of MB at district scale) and keeps a compact
/// part of it; glibc keeps the freed rest in its arenas (one per thread
/// that allocated) unless asked, so the app's resident size would stay at
/// the peak of its loads. Takes a few ms; run when the worker is idle.
pub fn give_back_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own arenas; no pointers of
    // ours are involved.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The store to serve with. After a write failed on an I/O error (a full
/// disk) the handle refuses every later write, so it is dropped (releasing
/// the database's lock) and the database opened again; while that fails
/// (the disk still full) every request is refused with the reason.
fn usable<'a>(store: &'a mut Option<Store>, path: &Path) -> Result<&'a Store, StoreError> {
    if store.as_ref().is_some_and(Store::is_broken) {
        *store = None;
    }
    if store.is_none() {
        *store = Some(Store::open_existing(path, Default::default())?);
    }
    store.as_ref().ok_or(StoreError::NoDatabase {
        path: path.to_path_buf(),
    })
}

/// The answer to a request that could not be served: a form's check or
/// save gets its own answer (its input stays on screen), a load its
/// failure, anything else the reason on the status line.
pub fn refused(req: Request, e: StoreError) -> Response {
    match req {
        Request::Check { cmd, purpose } => Response::Checked {
            cmd,
            purpose,
            result: Err(e),
        },
        Request::Execute { cmd, purpose } => Response::Executed {
            cmd,
            purpose,
            result: Err(e),
        },
        Request::Detail { id } => Response::Detail {
            id,
            org: None,
            superseded: true,
        },
        Request::Export(_) => Response::Exported(Err(e.message())),
        Request::Load => Response::LoadFailed(e),
        Request::Undo { .. } => Response::Undone(Err(e.message())),
        _ => Response::Unavailable(e),
    }
}

/// Answers one request, giving each response to `sink` (a load gives
/// three: the places, the rows, then the search index), then, once
/// watching, what it changed in the store. Stops and returns false as soon
/// as `sink` does. The worker thread and the tests both use this.
pub fn serve(store: &Store, req: Request, sink: &mut dyn FnMut(Response) -> bool) -> bool {
    if !answer(store, req, sink) {
        return false;
    }
    let notice = store.take_notice();
    notice.is_empty() || sink(Response::Changed(notice))
}

/// Answers one request without the change notice (a server sends that to
/// every app).
pub fn answer(store: &Store, req: Request, sink: &mut dyn FnMut(Response) -> bool) -> bool {
    match req {
        Request::Watch => {
            store.watch();
            true
        }
        Request::Undo { cmds } => sink(Response::Undone(super::undo::serve(store, cmds))),
        r @ (Request::Load
        | Request::Detail { .. }
        | Request::Check { .. }
        | Request::Execute { .. }) => super::panes::orgs::data::serve(store, r, sink),
        Request::Linkage(r) => sink(Response::Linkage(Box::new(
            super::panes::linkage::data::serve(store, r),
        ))),
        Request::Activity(r) => sink(Response::Activity(Box::new(
            super::panes::activities::data::serve(store, r),
        ))),
        Request::Dashboard(r) => sink(Response::Dashboard(Box::new(
            super::panes::dashboard::data::serve(store, r),
        ))),
        Request::Evaluation(r) => sink(Response::Evaluation(Box::new(
            super::panes::evaluations::data::serve(store, r),
        ))),
        Request::Sync(r) => {
            let done = super::panes::sync::data::serve(store, r, &mut |p| {
                sink(Response::Sync(Box::new(p)))
            });
            sink(Response::Sync(Box::new(done)))
        }
        Request::Venture(r) => sink(Response::Venture(Box::new(
            super::panes::venture::data::serve(store, r),
        ))),
        Request::Incubation(r) => sink(Response::Incubation(Box::new(
            super::panes::incubation::data::serve(store, r),
        ))),
        Request::Training(r) => sink(Response::Training(Box::new(
            super::panes::training::data::serve(store, r),
        ))),
        Request::Center(r) => sink(Response::Center(Box::new(
            super::panes::center::data::serve(store, r),
        ))),
        Request::Export(r) => sink(Response::Exported(super::export::serve(store, r))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    /// A refused bundle's message is made on the worker thread: it must be
    /// in the app's language, not the thread's default (Chinese).
    #[test]
    fn answers_in_the_language_of_the_app() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        crate::text::set_lang(Lang::En);
        let (events, answers) = std::sync::mpsc::channel();
        let (tx, worker) = spawn(store, events).unwrap();
        crate::text::set_lang(Lang::Zh);
        let path = dir.path().join("missing.ssb");
        tx.send(Request::Sync(SyncRequest::Import {
            path: path.clone(),
            require_signature: false,
        }))
        .unwrap();
        let answer = answers
            .recv_timeout(std::time::Duration::from_secs(30))
            .unwrap();
        drop(tx);
        worker.join().unwrap();
        match answer {
            Event::Store(r) => match *r {
                Response::Sync(s) => match *s {
                    SyncResponse::Failed(m) => {
                        assert!(m.starts_with(&format!("{}: ", path.display())), "{m}")
                    }
                    other => panic!("{other:?}"),
                },
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }
}
