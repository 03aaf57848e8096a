//! `sanshe log`: the change log. The table names records, fields and
//! values in the user's language (`sync::words`); CSV adds the record's id
//! beside its name; JSON keeps the raw kind, id, field path and value and
//! adds the same words beside them.

use serde_json::{json, Value as Json};

use super::error::CliResult;
use super::output::{self, Format};
use crate::model::Labeled;
use crate::store::{LogEntry, Store};
use crate::sync::describe::hlc_text;
use crate::sync::words::{field_text, names_in, value_text, NameBook};
use crate::text::label;
use crate::tr;
use clap::Args;

fn office(e: &LogEntry) -> String {
    e.office
        .clone()
        .unwrap_or_else(|| crate::store::hex(&e.op.origin[..4]))
}

/// One change in words: record, field, value.
struct Words {
    record: String,
    field: String,
    value: String,
}

fn words(e: &LogEntry, book: &NameBook) -> Words {
    let op = &e.op;
    Words {
        record: book.record(op.kind, &op.id, ""),
        field: field_text(op.kind, &op.field),
        value: value_text(op.kind, &op.field, &op.value, book),
    }
}

pub fn run(store: &Store, args: LogArgs) -> CliResult {
    let mut entries = store.log(args.limit)?;
    // Leads are for the staff allowed to see them.
    if !crate::store::session::may_see_leads() {
        entries.retain(|e| e.op.kind != crate::model::Kind::Lead);
    }
    let wanted = entries
        .iter()
        .flat_map(|e| names_in(e.op.kind, &e.op.id, &e.op.field, &e.op.value));
    let book = NameBook::read(store, wanted)?;
    match args.format {
        Format::Json => {
            let arr: Vec<Json> = entries
                .iter()
                .map(|e| {
                    let w = words(e, &book);
                    json!({
                        "time": hlc_text(e.op.hlc),
                        "hlc": e.op.hlc,
                        "author": e.op.author,
                        "office": office(e),
                        "kind": e.op.kind.key(),
                        "kind_label": label(e.op.kind),
                        "id": e.op.id,
                        "record": w.record,
                        "field": e.op.field,
                        "field_label": w.field,
                        "value": if crate::model::lead::hides(e.op.kind, &e.op.field) {
                            Json::Null
                        } else {
                            serde_json::to_value(&e.op.value).unwrap_or(Json::Null)
                        },
                        "value_text": w.value,
                    })
                })
                .collect();
            output::print(&output::json(&Json::Array(arr))?)
        }
        Format::Table | Format::Csv => {
            let csv = args.format == Format::Csv;
            let mut keys = vec!["time", "author", "office", "kind", "record"];
            if csv {
                keys.push("id");
            }
            keys.extend(["field", "value"]);
            let header: Vec<String> = keys.iter().map(|k| tr!(&format!("cli.log_{k}"))).collect();
            let rows: Vec<Vec<String>> = entries
                .iter()
                .map(|e| {
                    let w = words(e, &book);
                    let mut row = vec![
                        hlc_text(e.op.hlc),
                        e.op.author.clone(),
                        office(e),
                        label(e.op.kind).to_string(),
                        w.record,
                    ];
                    if csv {
                        row.push(e.op.id.clone());
                    }
                    row.extend([w.field, w.value]);
                    row
                })
                .collect();
            if csv {
                output::print(&output::csv(&header, &rows)?)
            } else {
                output::print(&output::table(&header, &rows))
            }
        }
    }
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// How many changes, newest first
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}
