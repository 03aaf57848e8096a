//! The command line: every record type can be added, listed and exported
//! from scripts. Each command is a thin call into the store; the TUI calls
//! the same store API.
//!
//! Standard output carries only results (a new record's id, lists); every
//! other message goes to standard error, in the user's language. Exit codes:
//! 0 success, 2 invalid input (nothing written), 1 any other failure.

pub mod activity;
pub mod args;
pub mod error;
pub mod eval;
pub mod interchange;
pub mod linkage;
pub mod linkage_args;
mod log;
pub mod need;
pub mod offer;
pub mod org;
pub mod output;
pub mod people;
mod place;
pub mod report;
pub mod sync;

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Parser;

use crate::config::Config;
use crate::model::{Labeled, Lang, Rule};
use crate::store::{Store, Warning};
use crate::tr;
use args::{Cli, Command};
pub use error::{CliError, CliResult};

/// Runs the program and returns its exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors exit 2.
            let _ = e.print();
            return e.exit_code();
        }
    };
    let config = match Config::load() {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("{msg}");
            return 2;
        }
    };
    let lang = match cli.lang.as_deref() {
        Some(s) => match Lang::parse(s) {
            Some(l) => l,
            None => {
                eprintln!("--lang: zh | en");
                return 2;
            }
        },
        None => config.lang().unwrap_or_default(),
    };
    crate::text::set_lang(lang);
    match run(cli, &config, lang) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("{}", e.message());
            e.exit_code()
        }
    }
}

fn run(cli: Cli, config: &Config, lang: Lang) -> CliResult {
    let _ = NEW_OFFICE.set(config.office.clone());
    let db = db_dir(cli.db)?;
    let keymap = cli.keymap.or_else(|| config.keymap.clone());
    match cli.command {
        None => {
            let store = open(&db)?;
            open_tui(store, db, keymap, lang)
        }
        Some(Command::Demo(a)) => {
            // Refused before the database is opened (or created).
            if a.scale.is_some_and(|n| n > crate::demo::MAX_ORGS) {
                let max = crate::demo::MAX_ORGS as i64;
                return Err(CliError::field("--scale", Rule::Number { min: 0, max }));
            }
            let store = open(&db)?;
            load_demo(&store, a.scale)?;
            if a.no_tui {
                Ok(())
            } else {
                open_tui(store, db, keymap, lang)
            }
        }
        Some(Command::Place(c)) => place::run(&open(&db)?, c),
        Some(Command::Org(c)) => org::run(&open(&db)?, c),
        Some(Command::Log(a)) => log::run(&open(&db)?, a),
        Some(Command::Need(c)) => need::run(&open(&db)?, c),
        Some(Command::Offer(c)) => offer::run(&open(&db)?, c),
        Some(Command::Worker(c)) => people::run_worker(&open(&db)?, c),
        Some(Command::Partner(c)) => people::run_partner(&open(&db)?, c),
        Some(Command::Match(a)) => {
            let weights = config.matching.unwrap_or_default();
            linkage::run_match(&open(&db)?, a, weights)
        }
        Some(Command::Link(c)) => linkage::run_link(&open(&db)?, c),
        Some(Command::Activity(c)) => activity::run(&open(&db)?, c),
        Some(Command::Eval(c)) => eval::run_eval(&open(&db)?, c),
        Some(Command::Rubric(c)) => eval::run_rubric(c),
        Some(Command::Inspection(c)) => eval::run_inspection(&open(&db)?, c),
        Some(Command::Rating(c)) => eval::run_rating(&open(&db)?, c),
        Some(Command::Due(a)) => report::run_due(&open(&db)?, a),
        Some(Command::Stats(a)) => report::run_stats(&open(&db)?, a),
        Some(Command::Report(c)) => report::run_report(&open(&db)?, c),
        Some(Command::Sync(c)) => sync::run(&open(&db)?, c, config.sync),
        Some(Command::Export(a)) => interchange::export(&open(&db)?, a),
        // Reads and checks the file before it opens the database.
        Some(Command::Import(c)) => interchange::import(&db, c),
    }
}

fn db_dir(flag: Option<PathBuf>) -> CliResult<PathBuf> {
    flag.or_else(crate::config::default_db_dir)
        .ok_or_else(|| CliError::Usage(tr!("cli.no_db_dir")))
}

/// Opens the database, creating it if needed.
pub fn open(db: &std::path::Path) -> CliResult<Store> {
    let office = NEW_OFFICE.get().cloned().flatten();
    Ok(Store::open_with(db, crate::store::OpenOptions { office })?)
}

/// The office name a new database gets (`office` in config.toml).
static NEW_OFFICE: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

fn load_demo(store: &Store, scale: Option<usize>) -> CliResult {
    if !store.is_empty() {
        eprintln!("{}", tr!("cli.demo_not_empty"));
        return Ok(());
    }
    let records = match scale {
        Some(n) => crate::demo::generate(n, 1),
        None => crate::demo::fixture_records().map_err(|e| CliError::Failed(e.to_string()))?,
    };
    let mut n = crate::demo::load(store, records)?;
    if scale.is_none() {
        // Activities and evaluations name organizations: after them.
        n += crate::demo::load_activities(store).map_err(|e| CliError::Failed(e.to_string()))?;
        // Needs, offers and linkages name organizations too.
        n += crate::demo::load_linkage(store).map_err(|e| CliError::Failed(e.to_string()))?;
    }
    eprintln!("{}", tr!("cli.demo_loaded", n = n));
    Ok(())
}

fn open_tui(store: Store, db: PathBuf, keymap: Option<String>, lang: Lang) -> CliResult {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return Err(CliError::Usage(tr!("cli.not_a_terminal")));
    }
    crate::tui::run(
        store,
        crate::tui::TuiOptions {
            keymap,
            db_path: db,
            lang,
        },
    )
    .map_err(|e| CliError::Failed(format!("{e:#}")))
}

/// Parses an enum flag from its English key or its Chinese/English label
/// (see [`crate::model::parse::parse_enum`]), allowed values in this
/// thread's language.
pub fn parse_enum<T: Labeled>(s: &str) -> Result<T, Rule> {
    crate::model::parse::parse_enum(s, crate::text::lang())
}

/// Today's date in local time.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Prints warnings (possible duplicates) to standard error.
/// `org restore` / `activity restore`: puts a deleted record back (its
/// fields as they were), checked like a new one (its grid must exist, its
/// credit code be free); prints its id.
pub fn restore(store: &Store, kind: crate::model::Kind, id: &str) -> CliResult {
    if store.get(kind, id)?.is_some() {
        return Err(CliError::Usage(tr!("cli.not_deleted", id = id)));
    }
    let Some(record) = store.get_deleted(kind, id)? else {
        return Err(crate::store::StoreError::NotFound {
            kind,
            id: id.to_string(),
        }
        .into());
    };
    let outcome = store.execute(crate::store::Command::Restore {
        kind,
        id: id.to_string(),
    })?;
    warn_all(&outcome.warnings);
    eprintln!("{}", tr!("cli.restored", id = id, name = record.title()));
    output::print(&format!("{id}\n"))
}

pub fn warn_all(warnings: &[Warning]) {
    for w in warnings {
        match w {
            Warning::PossibleDuplicate { id, name } => {
                eprintln!("{}", tr!("cli.possible_duplicate", id = id, name = name))
            }
        }
    }
}

/// Place code -> "community / grid" display names.
pub fn place_names(store: &Store) -> CliResult<HashMap<String, String>> {
    let places = store.places()?;
    let by_code: HashMap<&str, &crate::model::Place> =
        places.iter().map(|p| (p.code.as_str(), p)).collect();
    let mut out = HashMap::new();
    for p in &places {
        let name = match (p.level, p.parent.as_deref().and_then(|c| by_code.get(c))) {
            (
                crate::model::PlaceLevel::Grid | crate::model::PlaceLevel::MicroGrid,
                Some(parent),
            ) => {
                format!("{}/{}", parent.name, p.name)
            }
            _ => p.name.clone(),
        };
        out.insert(p.code.clone(), name);
    }
    Ok(out)
}
