//! Exporting the list a pane shows (`X x` to Excel, `X c` to CSV in the
//! default keymap, `[list]` section): the pane says which records it lists
//! now, in its order ([`Pane::listed`](super::panes::Pane::listed)); the
//! store worker writes them with the columns of `sanshe export KIND` to
//! `DB/exports/` ([`crate::interchange::exports`]); the bottom bar then
//! says where the file is and how many rows it holds.

use crate::interchange::exports::{write_list, Written};
use crate::interchange::SheetFormat;
use crate::model::{Kind, Labeled};
use crate::store::Store;
use crate::tr;

use super::action::Action;
use super::app::Status;
use super::worker::Request;

/// The records a pane lists now: their kind and ids, in the order shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub kind: Kind,
    pub ids: Vec<String>,
}

/// A list to write (a request to the store worker).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRequest {
    pub kind: Kind,
    pub ids: Vec<String>,
    pub format: SheetFormat,
}

/// The format an export action asks for.
pub fn format_of(action: Action) -> Option<SheetFormat> {
    match action {
        Action::ExportXlsx => Some(SheetFormat::Xlsx),
        Action::ExportCsv => Some(SheetFormat::Csv),
        _ => None,
    }
}

/// The request for exporting what a pane lists, or the message saying
/// why there is nothing to export.
pub fn request(listed: Option<Listed>, format: SheetFormat) -> Result<(Request, Status), Status> {
    let Some(l) = listed else {
        return Err(Status::info(tr!("export.no_list")));
    };
    if l.ids.is_empty() {
        return Err(Status::info(tr!(
            "export.empty",
            kind = l.kind.label(crate::text::lang())
        )));
    }
    let said = Status::info(tr!("export.writing", n = l.ids.len()));
    let r = Request::Export(ExportRequest {
        kind: l.kind,
        ids: l.ids,
        format,
    });
    Ok((r, said))
}

/// Writes the file (on the worker thread).
pub fn serve(store: &Store, r: ExportRequest) -> Result<Written, String> {
    write_list(store, r.kind, &r.ids, r.format)
}

/// The bottom-bar message for the answer.
pub fn done(r: Result<Written, String>) -> Status {
    match r {
        Ok(w) => Status::ok(tr!("export.done", n = w.rows, path = w.path.display())),
        Err(e) => Status::error(tr!("export.failed", message = e)),
    }
}
