//! `sanshe export KIND` and `sanshe import orgs FILE`: spreadsheets in and
//! out. Thin wrappers around [`crate::interchange`]. Import reads and checks
//! the whole file (and its header) before it opens the database, so a file
//! that is refused, or one that would block, never holds the lock.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::error::{CliError, CliResult};
use super::output;
use crate::interchange::header::parse_map;
use crate::interchange::import::{
    column_report, import_orgs, Header, ImportError, MapError, OnDuplicate,
};
use crate::interchange::read::{read_rows, Encoding, Limit, ReadError, LIMITS};
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

/// Bytes as mebibytes, for messages.
fn mb(bytes: u64) -> String {
    let m = bytes as f64 / (1u64 << 20) as f64;
    if m.fract() == 0.0 {
        format!("{m:.0}")
    } else {
        format!("{m:.1}")
    }
}

/// The message of a limit a file went beyond.
fn limit_message(l: Limit) -> String {
    match l {
        Limit::Rows => tr!("interchange.limit_rows", max = LIMITS.rows),
        Limit::Columns => tr!("interchange.limit_columns", max = LIMITS.columns),
        Limit::Cells => tr!("interchange.limit_cells", max = LIMITS.cells),
        Limit::CellChars { row, column } => tr!(
            "interchange.limit_cell_chars",
            row = row,
            column = column,
            max = LIMITS.cell_chars
        ),
        Limit::Text => tr!("interchange.limit_text", max = mb(LIMITS.text_bytes as u64)),
        Limit::Unpacked => tr!(
            "interchange.limit_unpacked",
            max = mb(LIMITS.unpacked_bytes)
        ),
        Limit::Parts => tr!("interchange.limit_parts", max = LIMITS.parts),
        Limit::Run => tr!("interchange.limit_run", max = mb(LIMITS.run_bytes as u64)),
    }
}

/// A file that could not be read: named, with the rule it broke. Exit 2,
/// except when it could not be opened or read at all.
fn read_error(path: &Path, e: ReadError) -> CliError {
    let message = match e {
        ReadError::Io(m) => {
            return CliError::Failed(tr!(
                "interchange.in_file",
                path = path.display(),
                message = m
            ))
        }
        ReadError::NotAFile => tr!("interchange.not_a_file"),
        ReadError::TooLarge { size } => tr!(
            "interchange.too_large",
            size = mb(size),
            max = mb(LIMITS.file_bytes)
        ),
        ReadError::Encoding(enc) => tr!(
            "interchange.bad_encoding",
            encoding = match enc {
                Encoding::Utf8 => "UTF-8",
                Encoding::Gbk => "GBK",
            }
        ),
        ReadError::Csv { row, message } => {
            tr!("interchange.bad_csv", row = row, message = message)
        }
        ReadError::UnclosedQuote { row } => tr!("interchange.unclosed_quote", row = row),
        ReadError::NotXlsx => tr!("interchange.not_xlsx"),
        ReadError::Excel(m) => tr!("interchange.bad_excel", message = m),
        ReadError::CellReference(r) => tr!("interchange.bad_reference", reference = r),
        ReadError::CellOrder { row } => tr!("interchange.bad_order", row = row),
        ReadError::Limit(l) => limit_message(l),
    };
    CliError::Usage(tr!(
        "interchange.in_file",
        path = path.display(),
        message = message
    ))
}

/// An import refused: the file as a whole (named), or rows one by one.
fn import_error(path: &Path, e: ImportError) -> CliError {
    let message = match e {
        ImportError::Empty => tr!("interchange.empty"),
        ImportError::NoNameColumn => tr!("interchange.no_name_column"),
        ImportError::Map(e) => map_error(e),
        ImportError::SameColumn(headers) => tr!(
            "interchange.same_column",
            columns = headers
                .iter()
                .map(|h| tr!("interchange.quoted_column", column = h))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        ImportError::Store(e) => return e.into(),
        // Written in part: why it stopped, and how to complete it.
        ImportError::Interrupted {
            written,
            total,
            cause,
        } => {
            let why = import_error(path, *cause);
            let message = format!(
                "{}\n{}",
                why.message(),
                tr!("interchange.interrupted", written = written, total = total)
            );
            return match why.exit_code() {
                2 => CliError::Usage(message),
                _ => CliError::Failed(message),
            };
        }
        // Rows that broke rules: one line each, by row and column.
        ImportError::Rows(errors) => {
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
            return CliError::Usage(format!(
                "{}\n{}",
                lines.join("\n"),
                tr!("interchange.nothing_written", n = errors.len())
            ));
        }
    };
    CliError::Usage(tr!(
        "interchange.in_file",
        path = path.display(),
        message = message
    ))
}

/// A `--map` that cannot be used, in words.
fn map_error(e: MapError) -> String {
    match e {
        MapError::Form(m) => tr!("interchange.roster.map_form", map = m),
        MapError::UnknownField(f) => tr!(
            "interchange.roster.map_field",
            field = f,
            fields = crate::interchange::orgs::COLUMNS[1..].join(", ")
        ),
        MapError::NoSuchHeader(h) => tr!("interchange.roster.map_header", column = h),
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
        .map_err(|e| CliError::Usage(map_error(e)))?;
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
