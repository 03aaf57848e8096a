//! `sanshe place add|list|edit|rm`.

use serde_json::Value as Json;

use super::error::CliResult;
use super::output::{self, Format};
use super::parse_enum;
use crate::model::{Kind, Labeled, Place, PlaceLevel, Record};
use crate::store::{Command, Store};
use crate::sync::words::named;
use crate::text::{field_label, label};
use crate::tr;
use clap::Subcommand;

pub fn run(store: &Store, cmd: PlaceCommand) -> CliResult {
    match cmd {
        PlaceCommand::Add {
            code,
            name,
            level,
            parent,
        } => {
            let level = parse_enum::<PlaceLevel>(&level)
                .map_err(|rule| super::CliError::field("level", rule))?;
            let place = Place {
                code,
                name,
                level,
                parent,
            };
            let outcome = store.execute(Command::Create {
                record: Record::Place(place),
            })?;
            output::print(&format!("{}\n", outcome.id))
        }
        PlaceCommand::Edit {
            code,
            name,
            level,
            parent,
        } => {
            let before = found(store, &code)?;
            let mut after = before.clone();
            if let Some(n) = name {
                after.name = n;
            }
            if let Some(l) = level {
                after.level = parse_enum::<PlaceLevel>(&l)
                    .map_err(|rule| super::CliError::field("level", rule))?;
            }
            if let Some(p) = parent {
                after.parent = Some(p);
            }
            let record = named(Kind::Place, &after.name);
            let outcome = store.execute(Command::Update {
                id: before.code.clone(),
                before: Record::Place(before),
                after: Record::Place(after),
            })?;
            output::message(&tr!("cli.edited", record = record, n = outcome.ops));
            output::print(&format!("{}\n", outcome.id))
        }
        PlaceCommand::Rm { code } => {
            let place = found(store, &code)?;
            store.execute(Command::Delete {
                kind: Kind::Place,
                id: place.code.clone(),
            })?;
            output::message(&tr!(
                "cli.deleted",
                record = named(Kind::Place, &place.name)
            ));
            Ok(())
        }
        PlaceCommand::List { format } => {
            let places = store.places()?;
            match format {
                Format::Json => {
                    let arr: Vec<Json> = places
                        .iter()
                        .map(|p| {
                            let mut v = serde_json::to_value(p).unwrap_or(Json::Null);
                            if let Json::Object(m) = &mut v {
                                m.insert("id".into(), Json::String(p.code.clone()));
                            }
                            v
                        })
                        .collect();
                    output::print(&output::json(&Json::Array(arr))?)
                }
                Format::Csv | Format::Table => {
                    let header: Vec<String> = if format == Format::Csv {
                        ["code", "name", "level", "parent"]
                            .iter()
                            .map(|s| s.to_string())
                            .collect()
                    } else {
                        ["code", "name", "level", "parent"]
                            .iter()
                            .map(|s| field_label(s))
                            .collect()
                    };
                    let rows: Vec<Vec<String>> = places
                        .iter()
                        .map(|p| {
                            vec![
                                p.code.clone(),
                                p.name.clone(),
                                if format == Format::Csv {
                                    p.level.key().to_string()
                                } else {
                                    label(p.level).to_string()
                                },
                                p.parent.clone().unwrap_or_default(),
                            ]
                        })
                        .collect();
                    if format == Format::Csv {
                        output::print(&output::csv(&header, &rows)?)
                    } else {
                        let mut t = output::table(&header, &rows);
                        t.push_str(&tr!("cli.count", n = places.len()));
                        t.push('\n');
                        output::print(&t)
                    }
                }
            }
        }
    }
}

/// A live place by code (codes are kept in capitals; any case is accepted).
fn found(store: &Store, code: &str) -> CliResult<Place> {
    let code = code.trim().to_uppercase();
    store.place(&code)?.ok_or_else(|| {
        crate::store::StoreError::NotFound {
            kind: Kind::Place,
            id: code,
        }
        .into()
    })
}

#[derive(Debug, Subcommand)]
pub enum PlaceCommand {
    /// Add a place; prints its code
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// district | township | community | grid | micro-grid
        #[arg(long)]
        level: String,
        /// Code of the parent place (one level up)
        #[arg(long)]
        parent: Option<String>,
    },
    /// List places
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Rename a place, move it under another parent or change its level
    /// (the code stays: it is how records refer to the place)
    Edit {
        code: String,
        #[arg(long)]
        name: Option<String>,
        /// district | township | community | grid | micro-grid
        #[arg(long)]
        level: Option<String>,
        /// Code of the new parent place (one level up)
        #[arg(long)]
        parent: Option<String>,
    },
    /// Delete a place nothing refers to any more (no places or
    /// organizations under it, no need, offer or social worker naming it)
    Rm { code: String },
}
