//! What the sync pane asks of the store, and the worker's side of it: the
//! same [`crate::sync`] calls as `sanshe sync status|conflicts|export|
//! import`, run on the worker thread, never while drawing.

use std::path::{Path, PathBuf};

use crate::interchange::import::{
    column_report, import_orgs, Header, ImportError, ImportSummary, OnDuplicate,
};
use crate::interchange::messages::{import_refusal, read_refusal, row_lines};
use crate::interchange::read::read_rows;
use crate::store::Store;
use crate::sync::words::{conflict_names, NameBook};
use crate::sync::{self, ConflictRow, ExportOptions, ExportReport, ImportOptions, ImportReport};

/// Folder beside the database where exported bundles are written.
pub const OUTBOX: &str = "outbox";

/// A request of the sync pane.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SyncRequest {
    /// Read the status and the conflicts.
    Load,
    /// Export for this peer (`None`: everything) into the outbox, signed
    /// with this office's key or not; first naming this office and its
    /// network with `names` (as `sanshe sync init`) when they are given
    /// and no network is set yet.
    Export {
        peer: Option<String>,
        sign: bool,
        names: Option<Names>,
    },
    /// Verify and import this bundle file (refused unless signed by a
    /// trusted office when `require_signature`).
    Import {
        path: PathBuf,
        require_signature: bool,
    },
    /// Restore overwritten value number `n` (as `sync conflicts --restore`).
    Restore { n: usize },
    /// Read an organization roster and check every row, writing nothing
    /// (as `sanshe import orgs --dry-run`).
    RosterPreview { path: PathBuf },
    /// Import an organization roster (as `sanshe import orgs`).
    RosterImport { path: PathBuf },
}

/// This office's name and its network, as typed in the pane's question.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Names {
    pub office: String,
    pub network: String,
}

/// What the pane shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SyncData {
    pub status: sync::Status,
    pub conflicts: Vec<ConflictRow>,
    /// The names of the conflicts' records and of the records their values
    /// name (read here, on the worker; words are made while drawing).
    pub names: NameBook,
}

/// What was done.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Done {
    /// A bundle was written to `path`; `asked` is the peer name typed.
    Exported {
        path: PathBuf,
        asked: Option<String>,
        report: ExportReport,
    },
    Imported(ImportReport),
    /// The value restored, with the names its message needs.
    Restored(ConflictRow, NameBook),
    /// A roster checked: what importing it would do (see [`Preview`]).
    RosterChecked(Preview),
    /// A roster imported.
    RosterImported {
        path: PathBuf,
        summary: ImportSummary,
    },
}

/// What importing a roster would do, as the command line's `--dry-run`
/// says it: rows to create, update and skip (or the rows with errors), the
/// notes rows left out, then the header row and the columns used and left
/// out. `ok` is false when nothing can be written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Preview {
    pub path: PathBuf,
    pub lines: Vec<String>,
    pub ok: bool,
}

/// Rows with errors listed in a preview (the rest are counted).
const PREVIEW_ERRORS: usize = 20;

/// Reads a roster and plans it (writes only when `write`): the same calls
/// as `sanshe import orgs`.
fn roster(store: &Store, path: &Path, write: bool) -> Result<Done, String> {
    let (rows, _) = read_rows(path, None).map_err(|e| read_refusal(path, e).message)?;
    let header = Header::read(&rows, &[]).map_err(|e| import_refusal(path, e).message)?;
    let result = import_orgs(
        store,
        &rows,
        &header,
        OnDuplicate::Skip,
        !write,
        &mut |_| {},
    );
    let summary = match result {
        Ok(s) => s,
        Err(ImportError::Rows(errors)) if !write => {
            let mut lines = row_lines(&errors[..errors.len().min(PREVIEW_ERRORS)]);
            lines.push(crate::tr!("interchange.nothing_written", n = errors.len()));
            lines.extend(column_report(&header));
            return Ok(Done::RosterChecked(Preview {
                path: path.to_path_buf(),
                lines,
                ok: false,
            }));
        }
        Err(e) => return Err(import_refusal(path, e).message),
    };
    if write {
        return Ok(Done::RosterImported {
            path: path.to_path_buf(),
            summary,
        });
    }
    let mut lines = vec![crate::tr!(
        "interchange.would_import",
        created = summary.created,
        updated = summary.updated,
        skipped = summary.skipped
    )];
    if !summary.notes_rows.is_empty() {
        let rows: Vec<String> = summary.notes_rows.iter().map(|r| r.to_string()).collect();
        lines.push(crate::tr!(
            "interchange.roster.notes_rows",
            rows = rows.join(", ")
        ));
    }
    lines.extend(column_report(&header));
    Ok(Done::RosterChecked(Preview {
        path: path.to_path_buf(),
        lines,
        ok: summary.created + summary.updated > 0,
    }))
}

/// An answer to a [`SyncRequest`].
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum SyncResponse {
    Loaded(Box<SyncData>),
    /// A large import is under way: `done` of `total` changes applied.
    Progress {
        done: u64,
        total: u64,
    },
    /// Done, with the pane's data read again afterwards.
    Done(Box<Done>, Box<SyncData>),
    /// The error message (a refused bundle, a store error...).
    Failed(String),
}

/// Reads the pane's data.
pub fn load(store: &Store) -> Result<SyncData, sync::SyncError> {
    let conflicts = sync::conflicts(store)?;
    Ok(SyncData {
        status: sync::status(store)?,
        names: conflict_names(store, &conflicts)?,
        conflicts,
    })
}

/// Where an export of this office made now goes:
/// `DB/outbox/<office>-<YYYYmmdd-HHMMSS>.ssb` (`-2`, `-3`... added when
/// a file of that name exists already).
pub fn outbox_path(db: &Path, office: &str) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let base = format!("{}-{stamp}", crate::files::name_part(office, "sanshe"));
    crate::files::unique_path(&db.join(OUTBOX), &base, "ssb")
}

/// `progress(done, total)`: changes of a large bundle applied so far.
fn run(
    store: &Store,
    r: SyncRequest,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Option<Done>, sync::SyncError> {
    Ok(match r {
        SyncRequest::Load => None,
        SyncRequest::Export { peer, sign, names } => {
            if let Some(n) = names.filter(|_| store.network().is_none()) {
                // One atomic write of both (as `sanshe sync init`); a
                // network set meanwhile is never changed from here.
                store.set_office_and_network(&n.office, &n.network)?;
            }
            // The folder is made by the write (files::write_atomic).
            let path = outbox_path(&crate::config::outputs_dir(store.path()), &store.office());
            let options = ExportOptions {
                peer: peer.clone(),
                full: peer.is_none(),
            };
            let key = if sign {
                let dir = crate::config::config_dir()
                    .ok_or_else(|| sync::SyncError::Key(crate::tr!("sync.no_config_dir")))?;
                Some(sync::keys::load_secret(&dir)?)
            } else {
                None
            };
            let report = sync::export(store, &path, &options, key.as_ref())?;
            Some(Done::Exported {
                path,
                asked: peer,
                report,
            })
        }
        SyncRequest::Import {
            path,
            require_signature,
        } => {
            let config = crate::config::config_dir();
            let b = sync::bundle::read_file(&path)?;
            let total = b.len();
            let report = sync::import_bundle(
                store,
                b,
                &ImportOptions {
                    verify_only: false,
                    require_signature,
                },
                config.as_deref(),
                &mut |done| {
                    if done < total {
                        progress(done, total)
                    }
                },
            )?;
            Some(Done::Imported(report))
        }
        SyncRequest::Restore { n } => {
            let row = sync::restore(store, n)?;
            let names = conflict_names(store, std::slice::from_ref(&row))?;
            Some(Done::Restored(row, names))
        }
        // Answered by `serve` itself (not sync errors).
        SyncRequest::RosterPreview { .. } | SyncRequest::RosterImport { .. } => None,
    })
}

/// Answers one request (on the worker thread). A large import also gives
/// [`SyncResponse::Progress`] to `sink` on the way.
pub fn serve(
    store: &Store,
    r: SyncRequest,
    sink: &mut dyn FnMut(SyncResponse) -> bool,
) -> SyncResponse {
    let mut progress = |done, total| {
        sink(SyncResponse::Progress { done, total });
    };
    let done = match r {
        SyncRequest::RosterPreview { path } => roster(store, &path, false).map(Some),
        SyncRequest::RosterImport { path } => roster(store, &path, true).map(Some),
        r => run(store, r, &mut progress).map_err(|e| e.message()),
    };
    let done = match done {
        Ok(d) => d,
        Err(e) => return SyncResponse::Failed(e),
    };
    match (load(store), done) {
        (Ok(data), None) => SyncResponse::Loaded(Box::new(data)),
        (Ok(data), Some(d)) => SyncResponse::Done(Box::new(d), Box::new(data)),
        (Err(e), _) => SyncResponse::Failed(e.message()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outbox_names_are_safe() {
        let p = outbox_path(Path::new("/db"), "西湖区/文新 街道");
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        assert!(name.starts_with("西湖区-文新-街道-"), "{name}");
        assert!(name.ends_with(".ssb"));
        assert_eq!(p.parent().unwrap(), Path::new("/db/outbox"));
        assert!(outbox_path(Path::new("/db"), " ")
            .to_string_lossy()
            .contains("/sanshe-"));
    }
}
