//! `sanshe log`: the change log.

use serde_json::{json, Value as Json};

use super::args::LogArgs;
use super::error::CliResult;
use super::output::{self, Format};
use crate::store::{LogEntry, Store, Value};
use crate::text::label;
use crate::tr;

/// Milliseconds since the epoch from a hybrid logical clock value.
fn hlc_time(hlc: u64) -> String {
    let ms = (hlc >> 16) as i64;
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

fn value_text(v: &Option<Value>) -> String {
    match v {
        None => tr!("cli.log_removed"),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Int(i)) => i.to_string(),
        Some(Value::Float(f)) => f.to_string(),
        Some(Value::Text(s)) => s.clone(),
    }
}

fn office(e: &LogEntry) -> String {
    e.office
        .clone()
        .unwrap_or_else(|| crate::store::hex(&e.op.origin[..4]))
}

pub fn run(store: &Store, args: LogArgs) -> CliResult {
    let entries = store.log(args.limit)?;
    match args.format {
        Format::Json => {
            let arr: Vec<Json> = entries
                .iter()
                .map(|e| {
                    json!({
                        "time": hlc_time(e.op.hlc),
                        "hlc": e.op.hlc,
                        "author": e.op.author,
                        "office": office(e),
                        "kind": e.op.kind,
                        "id": e.op.id,
                        "field": e.op.field,
                        "value": serde_json::to_value(&e.op.value).unwrap_or(Json::Null),
                    })
                })
                .collect();
            output::print(&output::json(&Json::Array(arr))?)
        }
        Format::Table | Format::Csv => {
            let header: Vec<String> = ["time", "author", "office", "kind", "id", "field", "value"]
                .iter()
                .map(|k| tr!(&format!("cli.log_{k}")))
                .collect();
            let rows: Vec<Vec<String>> = entries
                .iter()
                .map(|e| {
                    vec![
                        hlc_time(e.op.hlc),
                        e.op.author.clone(),
                        office(e),
                        label(e.op.kind).to_string(),
                        e.op.id.clone(),
                        e.op.field.clone(),
                        value_text(&e.op.value),
                    ]
                })
                .collect();
            if args.format == Format::Csv {
                output::print(&output::csv(&header, &rows)?)
            } else {
                output::print(&output::table(&header, &rows))
            }
        }
    }
}
