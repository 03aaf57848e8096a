//! `sanshe export KIND` and `sanshe import orgs FILE`: spreadsheets in and
//! out. Thin wrappers around [`crate::interchange`].

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::error::{CliError, CliResult};
use super::output;
use crate::interchange::import::{import_orgs, ImportError, OnDuplicate};
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
    /// A row matching an existing organization (credit code, else name in the township)
    #[arg(long, value_enum, default_value_t)]
    pub on_duplicate: OnDuplicate,
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

fn read_error(e: ReadError) -> CliError {
    match e {
        ReadError::Io(m) => CliError::Failed(m),
        ReadError::Encoding(enc) => CliError::Usage(tr!(
            "interchange.bad_encoding",
            encoding = match enc {
                Encoding::Utf8 => "UTF-8",
                Encoding::Gbk => "GBK",
            }
        )),
        ReadError::Csv { row, message } => {
            CliError::Usage(tr!("interchange.bad_csv", row = row, message = message))
        }
        ReadError::Excel(m) => CliError::Usage(tr!("interchange.bad_excel", message = m)),
    }
}

pub fn import(store: &Store, cmd: ImportCommand) -> CliResult {
    let ImportCommand::Orgs(a) = cmd;
    let (rows, _) = read_rows(&a.file, a.encoding).map_err(read_error)?;
    let bar = super::output::progress_bar(rows.len().saturating_sub(1) as u64, PROGRESS_FROM);
    let mut progress = |n: usize| {
        if let Some(b) = &bar {
            if n.is_multiple_of(256) {
                b.set_position(n as u64);
            }
        }
    };
    let result = import_orgs(store, &rows, a.on_duplicate, a.dry_run, &mut progress);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    match result {
        Ok(s) => {
            for c in &s.ignored_columns {
                output::message(&tr!("interchange.ignored_column", column = c));
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
        Err(ImportError::Empty) => Err(CliError::Usage(tr!("interchange.empty"))),
        Err(ImportError::NoNameColumn) => Err(CliError::Usage(tr!("interchange.no_name_column"))),
        Err(ImportError::Store(e)) => Err(e.into()),
        Err(ImportError::Rows(errors)) => {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| {
                    if e.column.is_empty() {
                        tr!("interchange.row_error", row = e.row, message = e.message)
                    } else {
                        tr!(
                            "interchange.cell_error",
                            row = e.row,
                            column = e.column,
                            message = e.message
                        )
                    }
                })
                .collect();
            Err(CliError::Usage(format!(
                "{}\n{}",
                lines.join("\n"),
                tr!("interchange.nothing_written", n = errors.len())
            )))
        }
    }
}
