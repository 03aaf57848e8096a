//! `sanshe sync init|export|import|status|conflicts|keygen`: sync between
//! offices by bundle files. Thin wrappers around [`crate::sync`].

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::{json, Value as Json};

use super::error::{CliError, CliResult};
use super::output::{self, Format};
use crate::config::SyncSettings;
use crate::model::Labeled;
use crate::store::{replica_hex, Store};
use crate::sync::{self, words, ExportOptions, ImportOptions, Signature, SyncError};
use crate::text::{label, printable};
use crate::tr;

/// `sanshe sync ...`
#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Name this office and the network (e.g. the district) it syncs within
    Init {
        #[arg(long)]
        office: String,
        #[arg(long)]
        network: String,
        /// Move a database that belongs to a network to another one
        #[arg(long)]
        force: bool,
    },
    /// Write a bundle of the changes another office lacks
    Export(ExportArgs),
    /// Verify a bundle, then apply it in one transaction
    Import(ImportArgs),
    /// This office, its peers, last exchanges and changes owed
    Status {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Concurrent edits that lost; restore one with --restore N
    Conflicts {
        /// Restore overwritten value number N (a normal edit)
        #[arg(long, value_name = "N")]
        restore: Option<usize>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Changes from other offices held for review: a known id with other
    /// content (an office restored from a backup, a forged change), or a
    /// value that breaks a rule (an escape sequence, a date in 9999)
    Held {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Create this office's signing key in the config directory
    Keygen,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Bundle file to write
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The receiving office: only what it lacks (everything if never seen)
    #[arg(long, value_name = "NAME")]
    pub peer: Option<String>,
    /// Every change, whatever the peer reported
    #[arg(long)]
    pub full: bool,
    /// Sign with this office's key (sanshe sync keygen)
    #[arg(long)]
    pub sign: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Bundle file to read
    pub file: PathBuf,
    /// Check the bundle; write nothing
    #[arg(long)]
    pub verify_only: bool,
    /// Refuse bundles not signed by a trusted office key
    #[arg(long)]
    pub require_signature: bool,
}

impl From<SyncError> for CliError {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Store(s) => CliError::from(s),
            e if e.exit_code() == 2 => CliError::Usage(e.message()),
            e => CliError::Failed(e.message()),
        }
    }
}

// Sync facts as text live in `crate::sync::describe`; re-exported for the
// callers that still name them here.
use crate::sync::describe::{hlc_text, human_size, ms_time, unfinished_text, value_text};

/// Reads and checks what a sync command takes from outside, before the
/// database is opened (and locked): a bundle file (a FIFO or a device is
/// refused at once instead of blocking with the database locked) and the
/// names given to `init`. The bundle `import` names, if any.
pub fn prepare(cmd: &SyncCommand) -> CliResult<Option<sync::bundle::Bundle>> {
    match cmd {
        SyncCommand::Import(a) => Ok(Some(sync::bundle::read_file(&a.file)?)),
        SyncCommand::Init {
            office, network, ..
        } => {
            sync::exchange::check_names(office, network)?;
            Ok(None)
        }
        _ => Ok(None),
    }
}

/// Runs a sync command on an open store; `bundle` is the one `import`
/// names, read already by [`prepare`]. `settings` (`[sync]` of
/// config.toml) add to the flags: `sign = true` signs every export,
/// `require_signature = true` requires a trusted signature on every import.
pub fn run(
    store: &Store,
    cmd: SyncCommand,
    bundle: Option<sync::bundle::Bundle>,
    settings: SyncSettings,
) -> CliResult {
    let config = crate::config::config_dir();
    match cmd {
        SyncCommand::Init {
            office,
            network,
            force,
        } => {
            if let Some(current) = store.network() {
                if current != network.trim() && !force {
                    return Err(CliError::Usage(tr!(
                        "sync.network_change",
                        current = current,
                        network = network.trim()
                    )));
                }
            }
            store.set_office_and_network(&office, &network)?;
            output::print(&format!(
                "{}\n",
                tr!(
                    "sync.init_done",
                    office = store.office(),
                    network = network.trim()
                )
            ))
        }
        SyncCommand::Export(a) => {
            let key = if a.sign || settings.sign {
                let dir = config.ok_or_else(|| CliError::Usage(tr!("sync.no_config_dir")))?;
                Some(sync::keys::load_secret(&dir)?)
            } else {
                None
            };
            let options = ExportOptions {
                peer: a.peer.clone(),
                full: a.full,
            };
            let r = sync::export(store, &a.out, &options, key.as_ref())?;
            let mut out = String::new();
            if let (Some(p), None) = (&a.peer, &r.peer) {
                out += &tr!("sync.exported_unknown_peer", peer = p);
                out.push('\n');
            }
            out += &tr!(
                "sync.exported",
                n = r.ops,
                path = a.out.display(),
                size = human_size(r.size)
            );
            if r.full {
                out += &tr!("sync.exported_full");
            }
            if r.signed {
                out += &format!(" [{}]", tr!("sync.signed"));
            }
            out.push('\n');
            for (kind, n) in &r.by_kind {
                out += &tr!("sync.by_kind", kind = label(*kind), n = n);
                out.push('\n');
            }
            if r.ops == 0 {
                out += &tr!("sync.exported_nothing");
                out.push('\n');
            }
            output::print(&out)
        }
        SyncCommand::Import(a) => {
            let options = ImportOptions {
                verify_only: a.verify_only,
                require_signature: a.require_signature || settings.require_signature,
            };
            let b = match bundle {
                Some(b) => b,
                None => sync::bundle::read_file(&a.file)?,
            };
            let hash = crate::store::hex(&b.hash);
            let resumed = store.unfinished_imports()?.iter().any(|u| u.bundle == hash);
            let bar = output::progress_bar(b.len(), crate::store::APPLY_CHUNK as u64);
            let mut progress = |n: u64| {
                if let Some(bar) = &bar {
                    bar.set_position(n);
                }
            };
            let r = sync::import_bundle(store, b, &options, config.as_deref(), &mut progress);
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            let r = r?;
            let mut out = String::new();
            match &r.signature {
                Signature::Trusted(o) => {
                    out += &format!("{}\n", tr!("sync.signature_trusted", office = o))
                }
                Signature::Untrusted => out += &format!("{}\n", tr!("sync.signature_untrusted")),
                Signature::None => {}
            }
            match &r.applied {
                None => out += &tr!("sync.verified", office = r.office, n = r.ops),
                Some(a) if a.new == 0 => {
                    out += &tr!("sync.imported_nothing", office = r.office, n = a.known)
                }
                Some(a) => {
                    out += &tr!(
                        "sync.imported",
                        office = r.office,
                        new = a.new,
                        known = a.known,
                        conflicts = a.conflicts
                    )
                }
            }
            out.push('\n');
            if let Some(a) = &r.applied {
                for note in crate::sync::describe::import_notes(a, &r.office) {
                    out += &format!("{note}\n");
                }
            }
            if resumed && r.applied.is_some() {
                out += &format!("{}\n", tr!("sync.unfinished_done"));
            }
            for (kind, n) in &r.by_kind {
                out += &tr!("sync.by_kind", kind = label(*kind), n = n);
                out.push('\n');
            }
            output::print(&out)
        }
        SyncCommand::Status { format } => status(store, format),
        SyncCommand::Conflicts {
            restore: Some(n), ..
        } => {
            let row = sync::restore(store, n)?;
            let book = words::conflict_names(store, std::slice::from_ref(&row))?;
            output::message(&tr!(
                "sync.restored",
                record = book.labeled(row.kind, &row.id, &row.title),
                field = words::field_text(row.kind, &row.field),
                value = words::value_text(row.kind, &row.field, &row.loser.value, &book)
            ));
            Ok(())
        }
        SyncCommand::Conflicts {
            restore: None,
            format,
        } => conflicts(store, format),
        SyncCommand::Held { format } => held(store, format),
        SyncCommand::Keygen => {
            let dir = config.ok_or_else(|| CliError::Usage(tr!("sync.no_config_dir")))?;
            let public = sync::keys::generate(&dir)?;
            output::print(&format!(
                "{}\n",
                tr!(
                    "sync.keygen_done",
                    path = public.display(),
                    office = store.office()
                )
            ))
        }
    }
}

fn status(store: &Store, format: Format) -> CliResult {
    let s = sync::status(store)?;
    if format == Format::Json {
        let peers: Vec<Json> = s
            .peers
            .iter()
            .map(|p| {
                json!({
                    "office": p.office,
                    "replica": replica_hex(&p.replica),
                    "last_received": p.last_received,
                    "last_sent": p.last_sent,
                    "owed": p.owed,
                })
            })
            .collect();
        return output::print(&output::json(&json!({
            "office": s.office,
            "replica": replica_hex(&s.replica),
            "network": s.network,
            "changes": s.changes,
            "peers": peers,
            "held": s.held,
            "unfinished_imports": s.unfinished.iter().map(|u| json!({
                "office": u.office,
                "bundle": u.bundle,
                "started": u.started,
            })).collect::<Vec<_>>(),
        }))?);
    }
    let header: Vec<String> = ["col_peer", "col_received", "col_sent", "col_owed"]
        .iter()
        .map(|k| tr!(&format!("sync.{k}")))
        .collect();
    let rows: Vec<Vec<String>> = s
        .peers
        .iter()
        .map(|p| {
            vec![
                p.office.clone(),
                ms_time(p.last_received),
                ms_time(p.last_sent),
                p.owed.to_string(),
            ]
        })
        .collect();
    if format == Format::Csv {
        return output::print(&output::csv(&header, &rows)?);
    }
    let mut out = String::new();
    out += &format!(
        "{}\n",
        tr!("sync.status_office", office = printable(&s.office))
    );
    out += &format!(
        "{}\n",
        tr!("sync.status_replica", replica = replica_hex(&s.replica))
    );
    match &s.network {
        Some(n) => out += &format!("{}\n", tr!("sync.status_network", network = printable(n))),
        None => out += &format!("{}\n", tr!("sync.status_no_network")),
    }
    out += &format!("{}\n", tr!("sync.status_changes", n = s.changes));
    if s.held > 0 {
        out += &format!("{}\n", tr!("sync.status_held", n = s.held));
    }
    for u in &s.unfinished {
        out += &format!("{}\n", unfinished_text(u));
    }
    if rows.is_empty() {
        out += &format!("{}\n", tr!("sync.status_no_peers"));
    } else {
        out.push('\n');
        out += &output::table(&header, &rows);
    }
    output::print(&out)
}

fn conflicts(store: &Store, format: Format) -> CliResult {
    let rows = sync::conflicts(store)?;
    let book = words::conflict_names(store, &rows)?;
    let value_of = |r: &sync::ConflictRow, v: &crate::store::FieldVersion| {
        words::value_text(r.kind, &r.field, &v.value, &book)
    };
    if format == Format::Json {
        let arr: Vec<Json> = rows
            .iter()
            .map(|r| {
                let hidden = crate::model::lead::hides(r.kind, &r.field);
                let side = |v: &crate::store::FieldVersion, office: &str| {
                    json!({
                        "value": if hidden {
                            Json::Null
                        } else {
                            serde_json::to_value(&v.value).unwrap_or(Json::Null)
                        },
                        "value_text": value_of(r, v),
                        "author": v.author,
                        "office": office,
                        "time": hlc_text(v.hlc),
                    })
                };
                json!({
                    "n": r.n,
                    "kind": r.kind.key(),
                    "id": r.id,
                    "name": r.title,
                    "record": book.record(r.kind, &r.id, &r.title),
                    "field": r.field,
                    "field_label": words::field_text(r.kind, &r.field),
                    "kept": side(&r.winner, &r.winner_office),
                    "lost": side(&r.loser, &r.loser_office),
                })
            })
            .collect();
        return output::print(&output::json(&Json::Array(arr))?);
    }
    if rows.is_empty() && format == Format::Table {
        output::message(&tr!("sync.no_conflicts"));
        return Ok(());
    }
    let header: Vec<String> = [
        "col_n",
        "col_record",
        "col_field",
        "col_kept",
        "col_by",
        "col_office",
        "col_time",
        "col_lost",
        "col_by",
        "col_office",
        "col_time",
    ]
    .iter()
    .map(|k| tr!(&format!("sync.{k}")))
    .collect();
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.n.to_string(),
                book.labeled(r.kind, &r.id, &r.title),
                words::field_text(r.kind, &r.field),
                value_of(r, &r.winner),
                r.winner.author.clone(),
                r.winner_office.clone(),
                hlc_text(r.winner.hlc),
                value_of(r, &r.loser),
                r.loser.author.clone(),
                r.loser_office.clone(),
                hlc_text(r.loser.hlc),
            ]
        })
        .collect();
    if format == Format::Csv {
        return output::print(&output::csv(&header, &table)?);
    }
    output::print(&output::table(&header, &table))?;
    output::message(&tr!("sync.conflicts_hint"));
    Ok(())
}

fn held(store: &Store, format: Format) -> CliResult {
    use crate::store::HeldWhy;
    let rows = sync::held(store)?;
    let book = words::held_names(store, &rows)?;
    let field_of = |r: &sync::HeldRow| words::field_text(r.kind, &r.field);
    let value_of = |r: &sync::HeldRow, v: &Option<crate::store::Value>| {
        words::value_text(r.kind, &r.field, v, &book)
    };
    let record_of = |r: &sync::HeldRow| book.labeled(r.kind, &r.id, &r.title);
    let why = |r: &sync::HeldRow| match (&r.why, &r.rule) {
        (HeldWhy::Invalid, Some(rule)) => crate::text::rule_message(rule),
        _ => tr!("sync.held_divergent"),
    };
    if format == Format::Json {
        let list: Vec<Json> = rows
            .iter()
            .map(|r| {
                json!({
                    "origin": replica_hex(&r.origin),
                    "origin_office": r.origin_office,
                    "counter": r.counter,
                    "from_office": r.from_office,
                    "received": r.at,
                    "kind": r.kind.key(),
                    "id": r.id,
                    "record": r.title,
                    "field": r.field,
                    "field_label": field_of(r),
                    "value": if crate::model::lead::hides(r.kind, &r.field) {
                        value_of(r, &r.value)
                    } else {
                        value_text(&r.value)
                    },
                    "value_text": value_of(r, &r.value),
                    "why": match r.why { HeldWhy::Divergent => "divergent", HeldWhy::Invalid => "invalid" },
                    "rule": why(r),
                    "in_force": r.in_force.as_ref().map(|op| json!({
                        "kind": op.kind.key(),
                        "id": op.id,
                        "field": op.field,
                        "value": if crate::model::lead::hides(op.kind, &op.field) {
                            value_of(r, &op.value)
                        } else {
                            value_text(&op.value)
                        },
                        "value_text": value_of(r, &op.value),
                    })),
                })
            })
            .collect();
        return output::print(&output::json(&Json::Array(list))?);
    }
    let header: Vec<String> = [
        "col_origin",
        "col_counter",
        "col_record",
        "col_field",
        "col_value",
        "col_why",
        "col_in_force",
    ]
    .iter()
    .map(|k| tr!(&format!("sync.held_{k}")))
    .collect();
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.origin_office.clone(),
                r.counter.to_string(),
                record_of(r),
                field_of(r),
                value_of(r, &r.value),
                why(r),
                r.in_force
                    .as_ref()
                    .map(|op| value_of(r, &op.value))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    if format == Format::Csv {
        return output::print(&output::csv(&header, &table)?);
    }
    if rows.is_empty() {
        return output::print(&format!("{}\n", tr!("sync.held_none")));
    }
    let mut out = String::new();
    for r in &rows {
        let from = r
            .from_office
            .clone()
            .unwrap_or_else(|| tr!("sync.held_from_unknown"));
        out += &tr!(
            "sync.held_row",
            origin = r.origin_office,
            counter = r.counter,
            from = from,
            time = ms_time(Some(r.at)),
            record = record_of(r),
            field = field_of(r),
            why = why(r)
        );
        out.push('\n');
        out += &tr!("sync.held_value", value = value_of(r, &r.value));
        out.push('\n');
        if let Some(op) = &r.in_force {
            out += &tr!("sync.held_in_force", value = value_of(r, &op.value));
            out.push('\n');
        }
    }
    output::print(&out)
}
