//! Reading spreadsheets from outside: CSV in UTF-8 (with or without a
//! byte-order mark) or GBK/GB18030 (what Excel on Chinese Windows writes),
//! and Excel workbooks (.xlsx, .xlsm: first sheet, see [`super::xlsx`]).
//! Everything becomes rows of text cells.
//!
//! A file may come from anyone, so it is read within [`LIMITS`]: only a
//! regular file of bounded size (a FIFO or a device is refused at once),
//! bounded rows, columns, cells (counted up to the last filled cell of each
//! row, as they are held in memory), characters in a cell and text in all;
//! a workbook also unpacks to a bounded size. Whatever breaks a limit is
//! refused before anything is reserved for it: memory stays proportional to
//! what was really read, never to what a file claims.

use std::path::Path;

use super::table::{Rows, Table};
use crate::files::{read_input, InputError};

/// How much of a spreadsheet is read at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Size of the file (CSV or workbook).
    pub file_bytes: u64,
    /// Rows, the header included.
    pub rows: usize,
    /// Columns.
    pub columns: usize,
    /// Cells, counted up to the last filled cell of each row.
    pub cells: usize,
    /// Characters in one cell.
    pub cell_chars: usize,
    /// Text in all cells together (a workbook's shared strings can be
    /// repeated in many cells, so this is not bounded by the file size).
    pub text_bytes: usize,
    /// Bytes unpacked from a workbook, all parts read together.
    pub unpacked_bytes: u64,
    /// Parts (files) in a workbook.
    pub parts: usize,
    /// Bytes of a workbook part without markup (`<`, `>`): longer than any
    /// cell can be, so the XML reader never buffers more.
    pub run_bytes: usize,
}

/// The limits of `sanshe import`.
pub const LIMITS: Limits = Limits {
    file_bytes: 128 << 20,
    // Excel's own maximum.
    rows: 1_048_576,
    // An organization sheet has about thirty.
    columns: 1_000,
    cells: 10_000_000,
    // Excel's own maximum.
    cell_chars: 32_767,
    text_bytes: 128 << 20,
    unpacked_bytes: 512 << 20,
    parts: 10_000,
    run_bytes: 1 << 20,
};

/// The text encoding of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Encoding {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// GBK, read as GB18030 (its superset).
    #[value(name = "gbk", alias = "gb18030")]
    Gbk,
}

/// Which of the [`Limits`] a file went beyond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Rows,
    Columns,
    Cells,
    /// In the cell at this row and column (1-based).
    CellChars {
        row: usize,
        column: usize,
    },
    Text,
    Unpacked,
    Parts,
    Run,
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Could not open or read it.
    Io(String),
    /// A FIFO, a device, a folder: not a file to read.
    NotAFile,
    /// Larger than [`Limits::file_bytes`].
    TooLarge {
        size: u64,
    },
    /// Not valid in the encoding given.
    Encoding(Encoding),
    Csv {
        row: u64,
        message: String,
    },
    /// A quote opened in this row (1-based record number) is never closed:
    /// the rest of the file would become one cell.
    UnclosedQuote {
        row: usize,
    },
    /// A workbook in another format (.xls, .ods, .xlsb, encrypted).
    NotXlsx,
    /// A malformed workbook.
    Excel(String),
    /// A cell or row reference outside a sheet (`A0`, `XFE1`, `A99999999`).
    CellReference(String),
    /// A cell of this row (1-based) after cells of later rows.
    CellOrder {
        row: usize,
    },
    Limit(Limit),
}

impl From<Limit> for ReadError {
    fn from(l: Limit) -> Self {
        ReadError::Limit(l)
    }
}

/// Decodes CSV bytes: forced encoding, else UTF-8 when the bytes are valid
/// UTF-8 (a leading byte-order mark is dropped), else GB18030. UTF-8 bytes
/// become the text without a copy.
pub fn decode_text(
    bytes: Vec<u8>,
    forced: Option<Encoding>,
) -> Result<(String, Encoding), ReadError> {
    let gbk = |b: &[u8]| {
        let (s, _, bad) = encoding_rs::GB18030.decode(b);
        if bad {
            Err(ReadError::Encoding(Encoding::Gbk))
        } else {
            Ok((s.into_owned(), Encoding::Gbk))
        }
    };
    if forced == Some(Encoding::Gbk) {
        return gbk(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..'\u{feff}'.len_utf8());
            }
            Ok((s, Encoding::Utf8))
        }
        Err(_) if forced == Some(Encoding::Utf8) => Err(ReadError::Encoding(Encoding::Utf8)),
        Err(e) => gbk(e.as_bytes()),
    }
}

/// The record (1-based, the header is 1) whose quote is still open at the
/// end of the text, read as the CSV reader reads it: a quote opens only at
/// the start of a field, `""` inside quotes is a quote, a quote followed by
/// anything else closes.
fn unclosed_quote(text: &str) -> Option<usize> {
    let mut record = 1;
    let mut opened_in = 0;
    let mut quoted = false;
    let mut field_start = true;
    let mut bytes = text.bytes().peekable();
    while let Some(b) = bytes.next() {
        if quoted {
            if b == b'"' {
                if bytes.peek() == Some(&b'"') {
                    bytes.next();
                } else {
                    quoted = false;
                }
            }
            continue;
        }
        match b {
            b'"' if field_start => {
                quoted = true;
                opened_in = record;
                field_start = false;
            }
            b',' => field_start = true,
            b'\n' => {
                record += 1;
                field_start = true;
            }
            // `\r\n` ends a record once; a lone `\r` ends one too.
            b'\r' => {
                if bytes.peek() != Some(&b'\n') {
                    record += 1;
                }
                field_start = true;
            }
            _ => field_start = false,
        }
    }
    quoted.then_some(opened_in)
}

/// The blank lines before records, as (record index from 0, blank lines
/// before it) for the records that have any, up to `max_records` records:
/// read as the CSV reader reads (a line break inside quotes is part of a
/// cell, `\r\n` is one break).
fn blank_lines(text: &str, max_records: usize) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let (mut record, mut blank) = (0u32, 0u32);
    let mut quoted = false;
    let mut line_start = true;
    let mut field_start = true;
    let mut bytes = text.bytes().peekable();
    while let Some(b) = bytes.next() {
        if quoted {
            if b == b'"' {
                if bytes.peek() == Some(&b'"') {
                    bytes.next();
                } else {
                    quoted = false;
                }
            }
            continue;
        }
        if b == b'\r' && bytes.peek() == Some(&b'\n') {
            continue;
        }
        if matches!(b, b'\n' | b'\r') {
            if line_start {
                blank = blank.saturating_add(1);
            }
            line_start = true;
            field_start = true;
            continue;
        }
        if line_start {
            if blank > 0 {
                out.push((record, blank));
                blank = 0;
            }
            record = record.saturating_add(1);
            line_start = false;
        }
        if record as usize > max_records {
            // More rows than the limit: the table refuses them anyway.
            break;
        }
        match b {
            b'"' if field_start => {
                quoted = true;
                field_start = false;
            }
            b',' => field_start = true,
            _ => field_start = false,
        }
    }
    out
}

/// Rows of a CSV text (the first is the header). Rows may differ in length.
pub fn csv_rows(text: &str, limits: &Limits) -> Result<Table, ReadError> {
    if let Some(row) = unclosed_quote(text) {
        return Err(ReadError::UnclosedQuote { row });
    }
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // A cell ends at a comma or a line break (or inside quotes: fewer).
    let ends = text.bytes().filter(|b| matches!(b, b',' | b'\n')).count() + 1;
    let mut out = Rows::with_room(limits, text.len(), ends);
    let mut rec = csv::StringRecord::new();
    // The CSV reader skips blank lines, which a spreadsheet shows as empty
    // rows (a roster's blank row below its title): they are put back, so
    // rows keep the numbers a spreadsheet gives them.
    let mut gaps = blank_lines(text, limits.rows).into_iter().peekable();
    let mut record = 0u32;
    loop {
        let more = r.read_record(&mut rec).map_err(|e| ReadError::Csv {
            row: e.position().map(|p| p.line()).unwrap_or(0),
            message: e.to_string(),
        })?;
        if !more {
            break;
        }
        if let Some((_, n)) = gaps.next_if(|(at, _)| *at == record) {
            for _ in 0..n {
                out.push(&[])?;
            }
        }
        record += 1;
        let cells: Vec<&str> = rec.iter().collect();
        out.push(&cells)?;
    }
    Ok(out.finish())
}

/// The lower-case extension of a path.
fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Whether a path names an Excel workbook we read.
pub fn is_excel(path: &Path) -> bool {
    matches!(extension(path).as_deref(), Some("xlsx" | "xlsm"))
}

/// Whether a path names a workbook in a format we do not read.
fn is_other_workbook(path: &Path) -> bool {
    matches!(
        extension(path).as_deref(),
        Some("xls" | "xlsb" | "ods" | "et" | "numbers")
    )
}

/// The start of an OLE compound file: .xls, .et, or an encrypted .xlsx.
const COMPOUND_FILE: &[u8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";

/// Reads a spreadsheet file into rows; returns the CSV encoding found. The
/// whole file is read and checked here, so a caller can do this before it
/// opens (and locks) the database.
pub fn read_rows(
    path: &Path,
    forced: Option<Encoding>,
) -> Result<(Table, Option<Encoding>), ReadError> {
    let bytes = read_input(path, LIMITS.file_bytes).map_err(|e| match e {
        InputError::Io(e) => ReadError::Io(e.to_string()),
        InputError::NotRegular => ReadError::NotAFile,
        InputError::TooLarge { size, .. } => ReadError::TooLarge { size },
    })?;
    if is_other_workbook(path) || bytes.starts_with(COMPOUND_FILE) {
        return Err(ReadError::NotXlsx);
    }
    if is_excel(path) || bytes.starts_with(b"PK\x03\x04") {
        return Ok((super::xlsx::rows(&bytes, &LIMITS)?, None));
    }
    let (text, enc) = decode_text(bytes, forced)?;
    Ok((csv_rows(&text, &LIMITS)?, Some(enc)))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn detects_utf8_bom_and_gbk() {
        let (s, e) = decode_text("\u{feff}名称,电话".as_bytes().to_vec(), None).unwrap();
        assert_eq!((s.as_str(), e), ("名称,电话", Encoding::Utf8));
        let (gbk, _, _) = encoding_rs::GBK.encode("宝石山社区读书会,西湖");
        let (s, e) = decode_text(gbk.to_vec(), None).unwrap();
        assert_eq!((s.as_str(), e), ("宝石山社区读书会,西湖", Encoding::Gbk));
        assert_eq!(
            decode_text(gbk.to_vec(), Some(Encoding::Utf8)),
            Err(ReadError::Encoding(Encoding::Utf8))
        );
        let rows = csv_rows("a,b\n\"x,1\",\n3\n", &LIMITS).unwrap();
        let rows: Vec<Vec<&str>> = rows.rows().collect();
        assert_eq!(rows, vec![vec!["a", "b"], vec!["x,1", ""], vec!["3"]]);
    }

    #[test]
    fn blank_lines_stay_rows_as_a_spreadsheet_numbers_them() {
        let t = csv_rows(
            "名册\r\n\r\n名称,备注\r\n甲,\"两\r\n行\"\r\n\r\n乙\r\n",
            &LIMITS,
        )
        .unwrap();
        let rows: Vec<Vec<&str>> = t.rows().collect();
        assert_eq!(
            rows,
            vec![
                vec!["名册"],
                vec![],
                vec!["名称", "备注"],
                vec!["甲", "两\r\n行"],
                vec![],
                vec!["乙"]
            ]
        );
    }

    #[test]
    fn an_unclosed_quote_is_found_with_its_row() {
        assert_eq!(unclosed_quote("a,b\n\"x,1\",\n3\n"), None);
        // Quotes inside quotes, a quote inside an unquoted field, a line
        // break inside quotes: all closed.
        assert_eq!(
            unclosed_quote("a\n\"say \"\"hi\"\"\"\nx\"y\n\"two\nlines\"\n"),
            None
        );
        assert_eq!(
            unclosed_quote("名称\r\n好\r\n\"坏,\r\n后面\r\n更多\r\n"),
            Some(3)
        );
        assert_eq!(unclosed_quote("\"a\n"), Some(1));
        assert_eq!(
            csv_rows("名称\n甲\n\"乙\n丙\n", &LIMITS),
            Err(ReadError::UnclosedQuote { row: 3 })
        );
    }

    /// Small limits, so that going beyond them costs little.
    pub const SMALL: Limits = Limits {
        file_bytes: 1 << 20,
        rows: 100,
        columns: 10,
        cells: 50,
        cell_chars: 20,
        text_bytes: 200,
        unpacked_bytes: 64 << 10,
        parts: 20,
        run_bytes: 1 << 10,
    };

    #[test]
    fn csv_rows_within_limits() {
        // CSV rows count the same way.
        let many = "a\n".repeat(101);
        let limits = Limits {
            cells: 1000,
            ..SMALL
        };
        assert_eq!(csv_rows(&many, &limits), Err(ReadError::Limit(Limit::Rows)));
        assert_eq!(csv_rows(&many, &SMALL), Err(ReadError::Limit(Limit::Cells)));
        assert_eq!(
            csv_rows("a,b,c,d,e,f,g,h,i,j,k\n", &SMALL),
            Err(ReadError::Limit(Limit::Columns))
        );
    }
}
