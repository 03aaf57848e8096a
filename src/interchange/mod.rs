//! Spreadsheet interchange: records out to CSV (UTF-8 with a byte-order
//! mark, formula cells neutralised), Excel or JSON, and organizations in
//! from CSV (UTF-8 or GBK) or Excel, validated row by row and written in
//! one transaction or not at all.
//!
//! Organizations have fixed columns ([`orgs::COLUMNS`]) that import reads
//! back. Every other kind has columns for people ([`sheets`]): enum values
//! as labels in the user's language, places, organizations, needs and
//! offers by name beside their code or id, dates as `YYYY-MM-DD`. JSON is
//! the records' serde form with their id, whatever the kind.

pub mod csv_out;
pub mod exports;
pub mod header;
pub mod import;
pub mod messages;
pub mod orgs;
pub mod read;
pub mod sheets;
pub mod table;
pub mod values;
mod xlsx;

use std::path::Path;

use serde_json::{Map, Value as Json};

use crate::model::{Kind, Labeled, Lang, Record};
use crate::store::{Store, StoreError};

/// Output format of `sanshe export`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
pub enum SheetFormat {
    Csv,
    Xlsx,
    Json,
}

impl SheetFormat {
    /// The format a file name suggests (csv when unknown).
    pub fn of_path(path: &Path) -> SheetFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("xlsx") => SheetFormat::Xlsx,
            Some("json") => SheetFormat::Json,
            _ => SheetFormat::Csv,
        }
    }
}

/// Records as a table: column keys and rows of cells (the id first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The records' serde form with their id, for JSON.
    pub json: Vec<Json>,
}

/// The serde form of a record's content (without the kind wrapper).
fn inner(r: &Record) -> Json {
    match serde_json::to_value(r) {
        Ok(Json::Object(m)) if m.len() == 1 => {
            m.into_iter().next().map(|(_, v)| v).unwrap_or(Json::Null)
        }
        Ok(v) => v,
        Err(_) => Json::Null,
    }
}

/// Every live record of a kind as a table, in this thread's language.
pub fn table(store: &Store, kind: Kind) -> Result<Table, StoreError> {
    table_of_records(store, kind, store.all(kind)?)
}

/// The records of a kind with these ids, in this order, as a table (as
/// [`table`]: the same columns): a list as the app shows it. An id that
/// names no live record (deleted meanwhile) gives no row.
pub fn table_of(store: &Store, kind: Kind, ids: &[String]) -> Result<Table, StoreError> {
    let mut records = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(r) = store.get(kind, id)? {
            records.push((id.clone(), r));
        }
    }
    table_of_records(store, kind, records)
}

fn table_of_records(
    store: &Store,
    kind: Kind,
    records: Vec<(String, Record)>,
) -> Result<Table, StoreError> {
    let json: Vec<Json> = records
        .iter()
        .map(|(id, r)| {
            let mut m = Map::new();
            m.insert("id".into(), Json::String(id.clone()));
            if let Json::Object(o) = inner(r) {
                // Confidential fields (a lead's reporter) never leave.
                m.extend(
                    o.into_iter()
                        .filter(|(k, _)| !crate::model::lead::hides(r.kind(), k)),
                );
            }
            Json::Object(m)
        })
        .collect();
    if kind == Kind::Org {
        let rows = records
            .iter()
            .filter_map(|(id, r)| match r {
                Record::Org(o) => Some(orgs::row(id, o)),
                _ => None,
            })
            .collect();
        return Ok(Table {
            columns: orgs::COLUMNS.iter().map(|c| c.to_string()).collect(),
            rows,
            json,
        });
    }
    let lookups = sheets::Lookups::load(store, kind)?;
    let lang = crate::text::lang();
    let sheet = sheets::sheet(kind, &records, &lookups, lang).unwrap_or_default();
    Ok(Table {
        columns: sheet.columns,
        rows: sheet.rows,
        json,
    })
}

/// The header text of a column in a language: its field label, or the
/// key itself when it has none.
pub fn header(column: &str, lang: Lang) -> String {
    let key = format!("field.{column}");
    let s = crate::text::t_in(lang, &key);
    if s != key {
        return s.to_string();
    }
    let key = format!("interchange.col_{column}");
    let s = crate::text::t_in(lang, &key);
    if s != key {
        s.to_string()
    } else {
        column.to_string()
    }
}

/// The bytes of a table in a format (headers in `lang`).
pub fn render(t: &Table, format: SheetFormat, lang: Lang) -> Result<Vec<u8>, String> {
    let headers: Vec<String> = t.columns.iter().map(|c| header(c, lang)).collect();
    match format {
        SheetFormat::Csv => csv_out::csv(&headers, &t.rows).map(String::into_bytes),
        SheetFormat::Json => serde_json::to_vec_pretty(&t.json)
            .map(|mut v| {
                v.push(b'\n');
                v
            })
            .map_err(|e| e.to_string()),
        SheetFormat::Xlsx => {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let ws = wb.add_worksheet();
            let bold = rust_xlsxwriter::Format::new().set_bold();
            let fail = |e: rust_xlsxwriter::XlsxError| e.to_string();
            for (c, h) in headers.iter().enumerate() {
                ws.write_string_with_format(0, c as u16, h, &bold)
                    .map_err(fail)?;
            }
            for (r, row) in t.rows.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    if !v.is_empty() {
                        // Written as text: never evaluated as a formula.
                        ws.write_string(r as u32 + 1, c as u16, v).map_err(fail)?;
                    }
                }
            }
            ws.set_freeze_panes(1, 0).map_err(fail)?;
            wb.save_to_buffer().map_err(fail)
        }
    }
}

/// The kind named on the command line (plural English or the kind's key
/// or label): orgs, needs, offers, activities, evaluations...
pub fn kind_named(name: &str) -> Option<Kind> {
    let n = name.trim().to_lowercase();
    let singular = n
        .strip_suffix("ies")
        .map(|s| format!("{s}y"))
        .or_else(|| n.strip_suffix('s').map(str::to_string))
        .unwrap_or_else(|| n.clone());
    Kind::ALL
        .iter()
        .copied()
        .find(|k| k.key() == n || k.key() == singular || Kind::parse(&n) == Some(*k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_plural_names() {
        assert_eq!(kind_named("orgs"), Some(Kind::Org));
        assert_eq!(kind_named("org"), Some(Kind::Org));
        assert_eq!(kind_named("places"), Some(Kind::Place));
        assert_eq!(kind_named("组织"), Some(Kind::Org));
        assert_eq!(kind_named("nothing"), None);
        assert_eq!(SheetFormat::of_path(Path::new("a.XLSX")), SheetFormat::Xlsx);
    }
}
