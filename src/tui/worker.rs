//! The store worker: the one thread that talks to the store. The app sends
//! [`Request`]s; answers come back as [`Event::Store`] on the loop's channel,
//! like keys do. Nothing in the app holds the database, so the same
//! messages can later travel over a socket to a shared server.

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::thread;

use crate::model::{Organization, Place};
use crate::search::NameIndex;
use crate::store::{Command, Outcome, Store, StoreError, Warning};

use super::event::Event;
use super::panes::orgs::rows::{OrgRow, PlaceNames};

/// What a caller of the store wants done with the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Saving the open form.
    FormSave,
    /// Deleting the selected organization.
    Delete,
    /// Undoing the last change.
    Undo,
}

/// A request to the store.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Places and every organization, as table rows; then the search index.
    Load,
    /// One organization in full, for the detail panel.
    Detail { id: String },
    /// Possible problems with a command (duplicates), without running it.
    Check { cmd: Command, purpose: Purpose },
    /// Run a command; the answer carries the record as stored afterwards.
    Execute { cmd: Command, purpose: Purpose },
}

/// An answer from the store.
#[derive(Debug)]
pub enum Response {
    /// The first screen's data.
    Loaded {
        places: Vec<Place>,
        rows: Vec<OrgRow>,
    },
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
        cmd: Command,
        purpose: Purpose,
        result: Result<Vec<Warning>, StoreError>,
    },
    Executed {
        cmd: Command,
        purpose: Purpose,
        result: Result<(Outcome, Option<Box<Organization>>), StoreError>,
    },
    /// Loading failed.
    LoadFailed(StoreError),
}

/// Starts the worker thread; it owns the store and ends when the app drops
/// its sender. Returns the sender for requests and the thread handle (join
/// it so the store is closed, and flushed, before the process exits).
pub fn spawn(store: Store, events: Sender<Event>) -> std::io::Result<(Sender<Request>, thread::JoinHandle<()>)> {
    let (tx, rx) = std::sync::mpsc::channel::<Request>();
    let handle = thread::Builder::new()
        .name("sanshe-store".into())
        .spawn(move || run(store, rx, events))?;
    Ok((tx, handle))
}

fn send(events: &Sender<Event>, r: Response) -> bool {
    events.send(Event::Store(Box::new(r))).is_ok()
}

fn run(store: Store, rx: Receiver<Request>, events: Sender<Event>) {
    let mut queue: Vec<Request> = Vec::new();
    loop {
        if queue.is_empty() {
            match rx.recv() {
                Ok(r) => queue.push(r),
                Err(_) => return,
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
        for (i, req) in batch.into_iter().enumerate() {
            let ok = match req {
                Request::Load => load(&store, &events),
                Request::Detail { id } => {
                    if Some(i) == last_detail {
                        let org = store.org(&id).ok().flatten().map(Box::new);
                        send(
                            &events,
                            Response::Detail {
                                id,
                                org,
                                superseded: false,
                            },
                        )
                    } else {
                        send(
                            &events,
                            Response::Detail {
                                id,
                                org: None,
                                superseded: true,
                            },
                        )
                    }
                }
                Request::Check { cmd, purpose } => {
                    let result = store.check(&cmd);
                    send(
                        &events,
                        Response::Checked {
                            cmd,
                            purpose,
                            result,
                        },
                    )
                }
                Request::Execute { cmd, purpose } => {
                    let result = execute(&store, &cmd);
                    send(
                        &events,
                        Response::Executed {
                            cmd,
                            purpose,
                            result,
                        },
                    )
                }
            };
            if !ok {
                return;
            }
        }
    }
}

fn execute(
    store: &Store,
    cmd: &Command,
) -> Result<(Outcome, Option<Box<Organization>>), StoreError> {
    let outcome = store.execute(cmd.clone())?;
    let org = match cmd {
        Command::Delete { .. } => None,
        _ => store.org(&outcome.id)?.map(Box::new),
    };
    Ok((outcome, org))
}

fn load(store: &Store, events: &Sender<Event>) -> bool {
    let places = match store.places() {
        Ok(p) => p,
        Err(e) => return send(events, Response::LoadFailed(e)),
    };
    let orgs = match store.orgs() {
        Ok(o) => o,
        Err(e) => return send(events, Response::LoadFailed(e)),
    };
    let names = PlaceNames::new(&places);
    let rows: Vec<OrgRow> = orgs
        .iter()
        .map(|(id, org)| OrgRow::new(id.clone(), org, &names))
        .collect();
    let keyed: Vec<(u32, String)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (i as u32, r.name.clone()))
        .collect();
    drop(orgs);
    if !send(events, Response::Loaded { places, rows }) {
        return false;
    }
    let mut index = NameIndex::new();
    for (k, name) in keyed {
        index.insert(k, &name);
    }
    send(events, Response::Index(index))
}

/// Places by code, for callers that need a lookup table.
pub fn places_by_code(places: &[Place]) -> HashMap<&str, &Place> {
    places.iter().map(|p| (p.code.as_str(), p)).collect()
}
