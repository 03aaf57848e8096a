//! `sanshe export KIND` and `sanshe import orgs FILE`: spreadsheets in and
//! out. Thin wrappers around [`crate::interchange`]. Import reads and checks
//! the whole file (and its header) before it opens the database, so a file
//! that is refused, or one that would block, never holds the lock.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::error::{CliError, CliResult};
use super::output;
use crate::interchange::header::parse_map;
use crate::interchange::import::{column_report, import_orgs, Header, ImportError, OnDuplicate};
use crate::interchange::messages::{import_refusal, map_message, read_refusal, Refusal};
use crate::interchange::read::{read_rows, Encoding, ReadError};
use crate::interchange::{self, SheetFormat};
use crate::model::Labeled;
use crate::store::Store;
use crate::text::label;
use crate::tr;

/// From this many rows on, import shows a progress bar (on a terminal).
const PROGRESS_FROM: u64 = 2000;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// orgs | needs | offers | activities | evaluations | places ...
    pub what: String,
    /// csv (UTF-8 with BOM) | xlsx | json [default: from the file name]
    #[arg(long, value_enum)]
    pub format: Option<SheetFormat>,
    /// File to write
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Organizations from CSV (UTF-8 or GBK) or Excel; columns by Chinese or English header
    Orgs(ImportOrgsArgs),
}

#[derive(Debug, Args)]
pub struct ImportOrgsArgs {
    /// FILE.csv or FILE.xlsx
    pub file: PathBuf,
    /// Check every row and report; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Encoding of a CSV file [default: detected]
    #[arg(long, value_enum)]
    pub encoding: Option<Encoding>,
    /// A row matching an existing organization (credit code, else registration number, else name in the township)
    #[arg(long, value_enum, default_value_t)]
    pub on_duplicate: OnDuplicate,
    /// A column whose header is not known: "HEADER=FIELD" (field key or label), repeatable
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    pub maps: Vec<String>,
}

pub fn export(store: &Store, a: ExportArgs) -> CliResult {
    let kind = interchange::kind_named(&a.what).ok_or_else(|| {
        let kinds: Vec<&str> = crate::model::Kind::ALL.iter().map(|k| k.key()).collect();
        CliError::Usage(tr!(
            "interchange.unknown_kind",
            what = a.what,
            kinds = kinds.join(", ")
        ))
    })?;
    if kind == crate::model::Kind::Lead {
        // Only staff allowed to see leads export them (never the reporter).
        super::lead::allowed()?;
    }
    let format = a.format.unwrap_or_else(|| SheetFormat::of_path(&a.out));
    if kind == crate::model::Kind::Evaluation {
        // Subtotals and grades come from the rubric: one that cannot be
        // read is named, as `eval add` does, rather than left out quietly.
        super::eval::rubric()?;
    }
    let table = interchange::table(store, kind)?;
    let bytes =
        interchange::render(&table, format, crate::text::lang()).map_err(CliError::Failed)?;
    crate::files::write_atomic(&a.out, &bytes)
        .map_err(|e| CliError::Failed(format!("{}: {e}", a.out.display())))?;
    output::message(&tr!(
        "interchange.exported",
        n = table.rows.len(),
        kind = label(kind),
        path = a.out.display()
    ));
    Ok(())
}

/// A refusal as the command line reports it: exit 2 when the file is at
/// fault.
fn refusal(r: Refusal) -> CliError {
    if r.usage {
        CliError::Usage(r.message)
    } else {
        CliError::Failed(r.message)
    }
}

/// A file that could not be read: named, with the rule it broke.
fn read_error(path: &Path, e: ReadError) -> CliError {
    refusal(read_refusal(path, e))
}

/// An import refused: the file as a whole (named), or rows one by one; a
/// store error as every command reports it.
fn import_error(path: &Path, e: ImportError) -> CliError {
    match e {
        ImportError::Store(e) => e.into(),
        e => refusal(import_refusal(path, e)),
    }
}

/// A spreadsheet read and its header found, ready to import.
#[derive(Debug, Default)]
pub struct Prepared {
    pub rows: crate::interchange::table::Table,
    pub header: Option<Header>,
}

/// `sanshe import orgs`: the file is read and checked first, then the
/// database opened. Reads and checks the spreadsheet `import` names,
/// before the database is opened (a FIFO, a device or a bomb never holds
/// it), finds its header and says which columns it uses and which it
/// leaves out (on standard error), before anything is written.
pub fn prepare(cmd: &ImportCommand) -> CliResult<Prepared> {
    let ImportCommand::Orgs(a) = cmd;
    let maps = a
        .maps
        .iter()
        .map(|m| parse_map(m))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| CliError::Usage(map_message(e)))?;
    let (rows, _) = read_rows(&a.file, a.encoding).map_err(|e| read_error(&a.file, e))?;
    let header = Header::read(&rows, &maps).map_err(|e| import_error(&a.file, e))?;
    for line in column_report(&header) {
        output::message(&line);
    }
    Ok(Prepared {
        rows,
        header: Some(header),
    })
}

/// Imports the rows [`prepare`] read.
pub fn import(store: &Store, cmd: ImportCommand, prepared: Prepared) -> CliResult {
    let ImportCommand::Orgs(a) = cmd;
    let Prepared { rows, header } = prepared;
    let Some(header) = header else {
        return Err(CliError::Failed(tr!("interchange.empty")));
    };
    let total = rows.len().saturating_sub(header.row + 1);
    let bar = super::output::progress_bar(total as u64, PROGRESS_FROM);
    // Rows checked, then rows written: the bar goes across twice.
    let mut shown = 0;
    let mut progress = |n: usize| {
        if let Some(b) = &bar {
            if n < shown || n >= shown + 256 || n == total {
                b.set_position(n as u64);
                shown = n;
            }
        }
    };
    let result = import_orgs(
        store,
        &rows,
        &header,
        a.on_duplicate,
        a.dry_run,
        &mut progress,
    );
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    match result {
        Ok(s) => {
            if !s.notes_rows.is_empty() {
                let rows: Vec<String> = s.notes_rows.iter().map(|r| r.to_string()).collect();
                output::message(&tr!(
                    "interchange.roster.notes_rows",
                    rows = rows.join(", ")
                ));
            }
            let key = if a.dry_run {
                "interchange.would_import"
            } else {
                "interchange.imported"
            };
            output::message(&tr!(
                key,
                created = s.created,
                updated = s.updated,
                skipped = s.skipped
            ));
            Ok(())
        }
        Err(e) => Err(import_error(&a.file, e)),
    }
}
