//! The organizations pane's requests, served on the store worker: the
//! first load (places, the table rows through the `OrgRows` projection,
//! then the search index), one organization in full for the detail, the
//! organization form's check and save, and deletion.

use crate::derived::org_rows::OrgRows;
use crate::model::Organization;
use crate::search::NameIndex;
use crate::store::{Command, Outcome, Store, StoreError};
use crate::tui::panes::orgs::rows::PlaceNames;
use crate::tui::worker::{Request, Response};

/// Answers one of the pane's requests (others are not its: false).
pub fn serve(store: &Store, req: Request, sink: &mut dyn FnMut(Response) -> bool) -> bool {
    match req {
        Request::Load => load(store, sink),
        Request::Detail { id } => {
            let org = store.org(&id).ok().flatten().map(Box::new);
            sink(Response::Detail {
                id,
                org,
                superseded: false,
            })
        }
        Request::Check { cmd, purpose } => {
            let result = store.check(&cmd);
            sink(Response::Checked {
                cmd,
                purpose,
                result,
            })
        }
        Request::Execute { cmd, purpose } => {
            let result = execute(store, &cmd);
            sink(Response::Executed {
                cmd,
                purpose,
                result,
            })
        }
        _ => false,
    }
}

/// Runs a command; the organization as stored afterwards.
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

/// Places, rows, index: the first screen first.
fn load(store: &Store, sink: &mut dyn FnMut(Response) -> bool) -> bool {
    let places = match store.places() {
        Ok(p) => p,
        Err(e) => return sink(Response::LoadFailed(e)),
    };
    if !sink(Response::Places(places.clone())) {
        return false;
    }
    // The organizations table projection: the rows kept beside the
    // database, caught up from the change log; else every record is read.
    let table = OrgRows::new(PlaceNames::new(&places));
    let (rows, write_back) = match store.project(&table) {
        Ok(got) => (got.items, got.write_back),
        Err(e) => return sink(Response::LoadFailed(e)),
    };
    let keyed: Vec<(u32, String)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (i as u32, r.name.clone()))
        .collect();
    let cache_rows = write_back.map(|basis| (basis, rows.clone()));
    if !sink(Response::Loaded { rows }) {
        return false;
    }
    let mut index = NameIndex::new();
    for (k, name) in keyed {
        index.insert(k, &name);
    }
    // The index sorts its names on first use: do it here, not on the
    // user's first search keystroke.
    drop(index.search(""));
    if !sink(Response::Index(index)) {
        return false;
    }
    if let Some((basis, rows)) = cache_rows {
        // Only a shortcut for the next start: a failure changes nothing.
        let _ = store.write_projection(&table, &rows, &basis);
    }
    true
}
