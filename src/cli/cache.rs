//! `sanshe cache rebuild`: the files beside the database (DB/cache/)
//! deleted and every projection (`derived::all`) written again from the
//! store. Never needed for correct
//! answers (a cache that does not match the database's history is not
//! used); for support, or to take the time of a first read now.

use clap::Subcommand;
use serde_json::json;

use super::error::CliResult;
use super::output::{self, Format};
use crate::store::Store;
use crate::tr;

#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Delete the files in DB/cache/ and write them again from the database
    Rebuild {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

pub fn run(store: &Store, c: CacheCommand) -> CliResult {
    match c {
        CacheCommand::Rebuild { format } => {
            let files = crate::derived::rebuild(store)?;
            let name = |p: &std::path::Path| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            };
            let header = [tr!("cli.cache.file"), tr!("cli.cache.records")];
            let rows: Vec<Vec<String>> = files
                .iter()
                .map(|(p, n)| vec![name(p), n.to_string()])
                .collect();
            match format {
                Format::Json => output::print(&output::json(&json!({
                    "dir": store.cache_dir().display().to_string(),
                    "files": files
                        .iter()
                        .map(|(p, n)| json!({"file": name(p), "records": n}))
                        .collect::<Vec<_>>(),
                }))?),
                Format::Csv => output::print(&output::csv(&header, &rows)?),
                Format::Table => {
                    output::print(&output::table(&header, &rows))?;
                    output::message(&tr!(
                        "cli.cache.rebuilt",
                        dir = store.cache_dir().display(),
                        n = files.len()
                    ));
                    Ok(())
                }
            }
        }
    }
}
