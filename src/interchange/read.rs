//! Reading spreadsheets: CSV in UTF-8 (with or without a byte-order mark)
//! or GBK/GB18030 (what Excel on Chinese Windows writes), and Excel
//! workbooks (first sheet). Everything becomes rows of text cells.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};

/// The text encoding of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Encoding {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// GBK, read as GB18030 (its superset).
    #[value(name = "gbk", alias = "gb18030")]
    Gbk,
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    Io(String),
    /// Not valid in the encoding given.
    Encoding(Encoding),
    Csv {
        row: u64,
        message: String,
    },
    Excel(String),
}

/// Decodes CSV bytes: forced encoding, else UTF-8 when the bytes are valid
/// UTF-8 (a leading byte-order mark is dropped), else GB18030.
pub fn decode_text(
    bytes: &[u8],
    forced: Option<Encoding>,
) -> Result<(String, Encoding), ReadError> {
    let utf8 = |b: &[u8]| {
        std::str::from_utf8(b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(b)).map(str::to_string)
    };
    match forced {
        Some(Encoding::Utf8) => utf8(bytes)
            .map(|s| (s, Encoding::Utf8))
            .map_err(|_| ReadError::Encoding(Encoding::Utf8)),
        Some(Encoding::Gbk) => {
            let (s, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                Err(ReadError::Encoding(Encoding::Gbk))
            } else {
                Ok((s.into_owned(), Encoding::Gbk))
            }
        }
        None => match utf8(bytes) {
            Ok(s) => Ok((s, Encoding::Utf8)),
            Err(_) => decode_text(bytes, Some(Encoding::Gbk)),
        },
    }
}

/// Rows of a CSV text (the first is the header). Rows may differ in length.
pub fn csv_rows(text: &str) -> Result<Vec<Vec<String>>, ReadError> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| ReadError::Csv {
            row: e.position().map(|p| p.line()).unwrap_or(0),
            message: e.to_string(),
        })?;
        out.push(rec.iter().map(str::to_string).collect());
    }
    Ok(out)
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|t| t.date().format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| dt.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e:?}"),
    }
}

/// Rows of the first sheet of an Excel workbook.
pub fn xlsx_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReadError> {
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ReadError::Excel(e.to_string()))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| ReadError::Excel("no sheet".into()))?
        .map_err(|e| ReadError::Excel(e.to_string()))?;
    Ok(range
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect())
}

/// Whether a path names an Excel workbook.
pub fn is_excel(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("xlsx" | "xlsm" | "xls" | "ods")
    )
}

/// Reads a spreadsheet file into rows; returns the CSV encoding found.
pub fn read_rows(
    path: &Path,
    forced: Option<Encoding>,
) -> Result<(Vec<Vec<String>>, Option<Encoding>), ReadError> {
    let bytes =
        std::fs::read(path).map_err(|e| ReadError::Io(format!("{}: {e}", path.display())))?;
    if is_excel(path) || bytes.starts_with(b"PK\x03\x04") {
        return Ok((xlsx_rows(&bytes)?, None));
    }
    let (text, enc) = decode_text(&bytes, forced)?;
    Ok((csv_rows(&text)?, Some(enc)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_utf8_bom_and_gbk() {
        let (s, e) = decode_text("\u{feff}名称,电话".as_bytes(), None).unwrap();
        assert_eq!((s.as_str(), e), ("名称,电话", Encoding::Utf8));
        let (gbk, _, _) = encoding_rs::GBK.encode("宝石山社区读书会,西湖");
        let (s, e) = decode_text(&gbk, None).unwrap();
        assert_eq!((s.as_str(), e), ("宝石山社区读书会,西湖", Encoding::Gbk));
        assert_eq!(
            decode_text(&gbk, Some(Encoding::Utf8)),
            Err(ReadError::Encoding(Encoding::Utf8))
        );
        let rows = csv_rows("a,b\n\"x,1\",\n3\n").unwrap();
        assert_eq!(rows, vec![vec!["a", "b"], vec!["x,1", ""], vec!["3"]]);
    }
}
