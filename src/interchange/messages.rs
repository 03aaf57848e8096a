//! Why a spreadsheet import was refused, in the user's language, for both
//! front ends: the file named with the rule it broke, rows by row and
//! column. `usage` is true when the file (not the machine) is at fault: the
//! command line exits with 2 then.

use std::path::Path;

use super::header::MapError;
use super::import::ImportError;
use super::read::{Encoding, Limit, ReadError, LIMITS};
use crate::tr;

/// A message, and whether the input is at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub usage: bool,
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

/// A file that could not be read: named, with the rule it broke (not the
/// input's fault when it could not be opened or read at all).
pub fn read_refusal(path: &Path, e: ReadError) -> Refusal {
    let message = match e {
        ReadError::Io(m) => {
            return Refusal {
                message: tr!("interchange.in_file", path = path.display(), message = m),
                usage: false,
            }
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
    Refusal {
        message: tr!(
            "interchange.in_file",
            path = path.display(),
            message = message
        ),
        usage: true,
    }
}

/// A `--map` that cannot be used, in words.
pub fn map_message(e: MapError) -> String {
    match e {
        MapError::Form(m) => tr!("interchange.roster.map_form", map = m),
        MapError::UnknownField(f) => tr!(
            "interchange.roster.map_field",
            field = f,
            fields = super::orgs::COLUMNS[1..].join(", ")
        ),
        MapError::NoSuchHeader(h) => tr!("interchange.roster.map_header", column = h),
    }
}

/// The lines of rows that broke rules: one each, by row and column.
pub fn row_lines(errors: &[super::import::RowError]) -> Vec<String> {
    errors
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
        .collect()
}

/// An import refused: the file as a whole (named), or rows one by one.
pub fn import_refusal(path: &Path, e: ImportError) -> Refusal {
    let message = match e {
        ImportError::Empty => tr!("interchange.empty"),
        ImportError::NoNameColumn => tr!("interchange.no_name_column"),
        ImportError::Map(e) => map_message(e),
        ImportError::SameColumn(headers) => tr!(
            "interchange.same_column",
            columns = headers
                .iter()
                .map(|h| tr!("interchange.quoted_column", column = h))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        ImportError::Store(e) => {
            return Refusal {
                message: e.message(),
                usage: false,
            }
        }
        // Written in part: why it stopped, and how to complete it.
        ImportError::Interrupted {
            written,
            total,
            cause,
        } => {
            let why = import_refusal(path, *cause);
            return Refusal {
                message: format!(
                    "{}\n{}",
                    why.message,
                    tr!("interchange.interrupted", written = written, total = total)
                ),
                usage: why.usage,
            };
        }
        ImportError::Rows(errors) => {
            let lines = row_lines(&errors);
            return Refusal {
                message: format!(
                    "{}\n{}",
                    lines.join("\n"),
                    tr!("interchange.nothing_written", n = errors.len())
                ),
                usage: true,
            };
        }
    };
    Refusal {
        message: tr!(
            "interchange.in_file",
            path = path.display(),
            message = message
        ),
        usage: true,
    }
}
