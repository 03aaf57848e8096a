//! Exporting the list a pane shows (`X x` to Excel, `X c` to CSV in the
//! default keymap, `[list]` section): the pane says which records it lists
//! now, in its order ([`Pane::listed`](super::panes::Pane::listed)); the
//! store worker writes them with the columns of `sanshe export KIND` to
//! `DB/exports/` ([`crate::interchange::exports`]); the bottom bar then
//! says where the file is and how many rows it holds.

use std::path::{Path, PathBuf};

use crate::interchange::exports::{write_list, Written};
use crate::interchange::SheetFormat;
use crate::model::{Kind, Labeled};
use crate::store::Store;
use crate::tr;

use super::action::Action;
use super::common::Status;
use super::worker::Request;

/// The records a pane lists now: their kind and ids, in the order shown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Listed {
    pub kind: Kind,
    pub ids: Vec<String>,
}

/// A list to write (a request to the store worker).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// A path as the bottom bar shows it: under the home directory as `~/…`
/// (shorter, so it fits at 80 columns, and what `scp server:~/…` takes),
/// else as it is.
pub fn shown_path(path: &Path) -> String {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match home.as_deref().filter(|h| h.parent().is_some()) {
        Some(h) => match path.strip_prefix(h) {
            Ok(rest) => format!("~/{}", rest.display()),
            Err(_) => path.display().to_string(),
        },
        None => path.display().to_string(),
    }
}

/// The bottom-bar message for the answer.
pub fn done(r: Result<Written, String>) -> Status {
    match r {
        Ok(w) => Status::ok(tr!("export.done", n = w.rows, path = shown_path(&w.path))),
        Err(e) => Status::error(tr!("export.failed", message = e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_home_are_shown_from_the_tilde() {
        let Some(home) = std::env::var_os("HOME").map(PathBuf::from) else {
            return;
        };
        if home.parent().is_none() {
            eprintln!("HOME is /: nothing to shorten");
            return;
        }
        let p = home.join(".local/share/sanshe/exports/组织-20261203-101500.xlsx");
        assert_eq!(
            shown_path(&p),
            "~/.local/share/sanshe/exports/组织-20261203-101500.xlsx"
        );
        let elsewhere = Path::new("/srv/sanshe/exports/a.csv");
        if !elsewhere.starts_with(&home) {
            assert_eq!(shown_path(elsewhere), "/srv/sanshe/exports/a.csv");
        }
    }
}
