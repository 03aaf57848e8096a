//! The command line: every record type can be added, listed and exported
//! from scripts. Each command is a thin call into the store; the TUI calls
//! the same store API.
//!
//! Standard output carries only results (a new record's id, lists); every
//! other message goes to standard error, in the user's language. Exit codes:
//! 0 success, 2 invalid input (nothing written), 1 any other failure.

pub mod activity;
pub mod args;
mod cache;
pub mod center;
pub mod error;
pub mod eval;
pub mod filing;
pub mod help;
pub mod incubation;
pub mod interchange;
pub mod lead;
pub mod linkage;
mod log;
pub mod need;
pub mod offer;
pub mod org;
pub mod output;
pub mod parse;
mod parse_error;
pub mod party;
pub mod people;
mod place;
pub mod report;
pub mod server;
pub mod sync;
pub mod training;
pub mod training_plan;
pub mod venture;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use clap::FromArgMatches;

use crate::config::Config;
use crate::model::{Lang, Rule};
use crate::store::{Store, Warning};
use crate::tr;
use args::{Cli, Command};
pub use error::{CliError, CliResult};
pub use parse::{parse_enum, today};
pub use server::ServerCx;

/// Runs the program and returns its exit code.
pub fn main() -> i32 {
    private_umask();
    // Help in the user's language: `--lang`, else the config file's.
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let help_lang = help::lang_of(&argv, || Config::load().ok().and_then(|c| c.lang()));
    crate::text::set_lang(help_lang);
    let parsed = help::command(help_lang)
        .try_get_matches_from(&argv)
        .and_then(|mut m| Cli::from_arg_matches_mut(&mut m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors exit 2,
            // told in the user's language, their text (which quotes the
            // argument) escaped.
            if e.use_stderr() {
                output::message(&parse_error::message(&e));
            } else {
                let _ = e.print();
            }
            return e.exit_code();
        }
    };
    let config = match Config::load() {
        Ok(c) => c,
        Err(msg) => {
            output::message(&msg);
            return 2;
        }
    };
    let lang = match cli.lang.as_deref() {
        Some(s) => match Lang::parse(s) {
            Some(l) => l,
            None => {
                output::message("--lang: zh | en");
                return 2;
            }
        },
        None => config.lang().unwrap_or_default(),
    };
    crate::text::set_lang(lang);
    match run(cli, &argv, &config, lang) {
        Ok(()) => 0,
        Err(e) => {
            let m = e.message();
            if !m.is_empty() {
                output::message(&m);
            }
            e.exit_code()
        }
    }
}

/// The command words of `argv` (`org list`), without any value: what
/// `sanshe server status` shows a command line as.
pub fn command_path(argv: &[std::ffi::OsString]) -> String {
    use clap::CommandFactory;
    let Ok(m) = Cli::command().try_get_matches_from(argv) else {
        return "?".into();
    };
    let mut words = Vec::new();
    let mut at = &m;
    while let Some((name, sub)) = at.subcommand() {
        words.push(name.to_string());
        at = sub;
    }
    if words.is_empty() {
        "app".into()
    } else {
        words.join(" ")
    }
}

/// Runs the command line `argv` in the server for a client (`cx`); its
/// output and files go through the client. Returns the exit code.
pub fn run_in_server(cx: ServerCx, argv: Vec<std::ffi::OsString>, lang: Lang) -> i32 {
    let parsed = help::command(lang)
        .try_get_matches_from(argv)
        .and_then(|mut m| Cli::from_arg_matches_mut(&mut m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            output::message(&parse_error::message(&e));
            return e.exit_code();
        }
    };
    let _ = NEW_OFFICE.set(cx.config.office.clone());
    let result = match cli.command {
        Some(Command::Access(c)) => server::run_access(&cx, c),
        Some(Command::Serve(_) | Command::Server(_) | Command::Who(_)) => {
            Err(CliError::Usage(tr!("server.not_here")))
        }
        command => {
            for w in crate::config::private_warnings(cx.store.path()) {
                output::message(&w);
            }
            prepare(&command).and_then(|input| run_on(cx.store, command, input, cx.config))
        }
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            output::message(&e.message());
            e.exit_code()
        }
    }
}

/// Everything this program creates is private to the user: the process
/// umask is 077, so files and folders come out 0600 and 0700 whoever
/// creates them. Our own writes ask for these modes already
/// (`files::write_atomic`, the database folder), but sled creates its
/// files (the log, snapshots written at any later open, `blobs/`) with
/// the umask, and a list of every file to tighten afterwards would fall
/// behind. Set here, in the program, not in the library. The program runs
/// no other programs, so nothing else inherits it.
fn private_umask() {
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file-creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}

/// What a command may do when its database does not exist yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// It reads or changes records that must be there: a missing database
    /// is refused (exit 2) naming the path, and nothing is created, so a
    /// mistyped `--db` is not taken for an empty register.
    Existing,
    /// It can do its work on an empty database (it adds records, loads the
    /// demo, joins a sync network, or opens the app): a missing database
    /// is created, and the user told so on standard error. If the command
    /// then fails and the new database holds nothing, it is removed again.
    Create,
}

/// What `command` may do when the database does not exist.
fn access(command: &Option<Command>) -> Access {
    use interchange::ImportCommand;
    use need::NeedCommand;
    use offer::OfferCommand;
    use org::OrgCommand;
    use people::{PartnerCommand, WorkerCommand};
    use place::PlaceCommand;
    use sync::SyncCommand;
    match command {
        None
        | Some(
            Command::Demo(_)
            | Command::Place(PlaceCommand::Add { .. })
            | Command::Org(OrgCommand::Add(_))
            | Command::Need(NeedCommand::Add(_))
            | Command::Offer(OfferCommand::Add(_))
            | Command::Worker(WorkerCommand::Add(_))
            | Command::Partner(PartnerCommand::Add(_))
            | Command::Center(center::CenterCommand::Edit(_))
            | Command::Sync(SyncCommand::Init { .. }),
        ) => Access::Create,
        // Checking only writes nothing, so creates nothing either.
        Some(Command::Import(ImportCommand::Orgs(a))) if !a.dry_run => Access::Create,
        Some(Command::Sync(SyncCommand::Import(a))) if !a.verify_only => Access::Create,
        // Adding an activity, a linkage, an evaluation, an inspection or a
        // rating needs an organization or a need: never on an empty database.
        Some(_) => Access::Existing,
    }
}

fn run(cli: Cli, argv: &[std::ffi::OsString], config: &Config, lang: Lang) -> CliResult {
    let _ = NEW_OFFICE.set(config.office.clone());
    let command = match cli.command {
        Some(Command::Rubric(c)) => return eval::run_rubric(c),
        Some(Command::Serve(a)) => return server::run_serve(&db_dir(cli.db)?, a, config.clone()),
        Some(Command::Server(c)) => return server::run_server(&db_dir(cli.db)?, c, lang),
        Some(Command::Who(a)) => return server::run_who(&db_dir(cli.db)?, a, lang),
        other => other,
    };
    let opens_app = match &command {
        None => true,
        Some(Command::Demo(a)) => !a.no_tui,
        Some(_) => false,
    };
    if opens_app {
        // Before anything is created or loaded.
        check_terminal()?;
    }
    let db = db_dir(cli.db)?;
    if opens_app || matches!(command, Some(Command::Sync(_))) {
        if let Some(dir) = crate::config::config_dir() {
            for w in crate::sync::keys::permission_warnings(&dir) {
                output::message(&w);
            }
        }
    }
    if Store::exists(&db) {
        // One name for the database whatever the working directory: the
        // server and its clients compare paths.
        let db = std::fs::canonicalize(&db).unwrap_or(db.clone());
        // Something that is not a file at all (a FIFO, a device) is refused
        // here at once, whatever holds the database.
        if let Some(path) = input_file(&command) {
            if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
                prepare(&command)?;
            }
        }
        // The database's server runs the command (started if none runs),
        // so that it works while others use the database.
        let code = crate::server::client::run_command(&db, argv, config, lang)
            .map_err(|e| CliError::Failed(e.message(&db)))?;
        if code != 0 {
            return Err(CliError::Exit(code));
        }
    } else {
        run_here(&db, command, config)?;
    }
    if !opens_app {
        return Ok(());
    }
    let keymap = cli.keymap.or_else(|| config.keymap.clone());
    let db = std::fs::canonicalize(&db).unwrap_or(db);
    open_tui(db, keymap, lang)
}

/// Runs a command on a database that does not exist yet, in this process:
/// the command that creates it (nobody else can be using it), taken back
/// when it fails and the database holds nothing. A command that needs a
/// database is refused naming the path.
fn run_here(db: &Path, command: Option<Command>, config: &Config) -> CliResult {
    let access = access(&command);
    let mut new = match access {
        Access::Create => NewDatabase::at(db),
        Access::Existing => None,
    };
    // What comes from outside is read and checked before the database is
    // opened (and locked), so a FIFO or a bomb never holds it.
    let result = prepare(&command).and_then(|input| {
        let store = open(db, access)?;
        for w in crate::config::private_warnings(store.path()) {
            output::message(&w);
        }
        run_on(&store, command, input, config)
    });
    if let Some(mut n) = new.take() {
        match &result {
            Ok(()) => n.announce(),
            Err(_) => n.remove_if_empty(),
        }
    }
    result
}

/// The file from outside that `command` reads, if any.
fn input_file(command: &Option<Command>) -> Option<&Path> {
    match command {
        Some(Command::Sync(sync::SyncCommand::Import(a))) => Some(&a.file),
        Some(Command::Import(interchange::ImportCommand::Orgs(a))) => Some(&a.file),
        _ => None,
    }
}

/// Files from outside that a command takes, read by [`prepare`].
#[derive(Default)]
struct Input {
    bundle: Option<crate::sync::bundle::Bundle>,
    rows: Option<interchange::Prepared>,
}

/// Reads and checks what `command` takes from outside (files, sizes),
/// before the database is opened or created.
fn prepare(command: &Option<Command>) -> CliResult<Input> {
    Ok(match command {
        Some(Command::Sync(c)) => Input {
            bundle: sync::prepare(c)?,
            ..Input::default()
        },
        Some(Command::Import(c)) => Input {
            rows: Some(interchange::prepare(c)?),
            ..Input::default()
        },
        Some(Command::Demo(a)) if a.scale.is_some_and(|n| n > crate::demo::MAX_ORGS) => {
            let max = crate::demo::MAX_ORGS as i64;
            return Err(CliError::field("--scale", Rule::Number { min: 0, max }));
        }
        Some(Command::Demo(a))
            if a.activities
                .is_some_and(|n| n > crate::demo::MAX_ACTIVITIES) =>
        {
            let max = crate::demo::MAX_ACTIVITIES as i64;
            return Err(CliError::field(
                "--activities",
                Rule::Number { min: 0, max },
            ));
        }
        _ => Input::default(),
    })
}

/// Runs `command` on `store` (the app, which `None` and `demo` open
/// afterwards, is the caller's).
fn run_on(store: &Store, command: Option<Command>, input: Input, config: &Config) -> CliResult {
    let Some(command) = command else {
        return Ok(());
    };
    match command {
        Command::Demo(a) => load_demo(store, a.scale, a.activities),
        Command::Place(c) => place::run(store, c),
        Command::Org(c) => org::run(store, c),
        Command::Log(a) => log::run(store, a),
        Command::Cache(c) => cache::run(store, c),
        Command::Need(c) => need::run(store, c),
        Command::Offer(c) => offer::run(store, c),
        Command::Worker(c) => people::run_worker(store, c),
        Command::Partner(c) => people::run_partner(store, c),
        Command::Match(a) => {
            let weights = config.matching.unwrap_or_default();
            linkage::run_match(store, a, weights)
        }
        Command::Link(c) => linkage::run_link(store, c),
        Command::Activity(c) => activity::run(store, c),
        Command::Eval(c) => eval::run_eval(store, c),
        Command::Rubric(c) => eval::run_rubric(c),
        Command::Venture(c) => venture::run(store, c),
        Command::Space(c) => incubation::run_space(store, c),
        Command::Incubation(c) => incubation::run(store, c),
        Command::Training(c) => training::run(store, c),
        Command::Lead(c) => lead::run(store, c),
        Command::Center(c) => center::run(store, c, &config.center),
        Command::Filing(c) => filing::run(store, c),
        Command::Party(c) => party::run(store, c),
        Command::Inspection(c) => org::run_inspection(store, c),
        Command::Rating(c) => org::run_rating(store, c),
        Command::Due(a) => report::run_due(store, a),
        Command::Stats(a) => report::run_stats(store, a),
        Command::Report(c) => report::run_report(store, c, &config.center),
        Command::Sync(c) => sync::run(store, c, input.bundle, config.sync),
        Command::Export(a) => interchange::export(store, a),
        Command::Import(c) => interchange::import(store, c, input.rows.unwrap_or_default()),
        Command::Serve(_) | Command::Server(_) | Command::Who(_) | Command::Access(_) => {
            Err(CliError::Usage(tr!("server.not_here")))
        }
    }
}

fn db_dir(flag: Option<PathBuf>) -> CliResult<PathBuf> {
    flag.or_else(crate::config::default_db_dir)
        .ok_or_else(|| CliError::Usage(tr!("cli.no_db_dir")))
}

/// Opens the database for a command that may do `access`.
pub fn open(db: &Path, access: Access) -> CliResult<Store> {
    let options = crate::store::OpenOptions {
        office: NEW_OFFICE.get().cloned().flatten(),
    };
    let store = match access {
        Access::Create => Store::open_with(db, options)?,
        Access::Existing => Store::open_existing(db, options)?,
    };
    if let Some(fork) = store.fork() {
        output::message(&crate::sync::describe::fork_note(fork));
    }
    Ok(store)
}

/// The office name a new database gets (`office` in config.toml).
static NEW_OFFICE: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

/// A database this run is creating: said once on standard error when the
/// command succeeds (or the app opens), taken back when the command fails
/// and the database holds nothing, so that a refused command leaves no
/// trace.
struct NewDatabase {
    path: PathBuf,
    /// The highest folder this run creates, when `path` does not exist.
    top: Option<PathBuf>,
    /// What `path` held before (when it existed, without a database).
    before: HashSet<std::ffi::OsString>,
    announced: bool,
}

impl NewDatabase {
    /// `None` when `path` holds a database already.
    fn at(path: &Path) -> Option<NewDatabase> {
        if Store::exists(path) {
            return None;
        }
        let mut top = None;
        let mut p = Some(path);
        while let Some(dir) = p.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
            top = Some(dir.to_path_buf());
            p = dir.parent();
        }
        let before = match std::fs::read_dir(path) {
            Ok(entries) => entries.flatten().map(|e| e.file_name()).collect(),
            Err(_) => HashSet::new(),
        };
        Some(NewDatabase {
            path: path.to_path_buf(),
            top,
            before,
            announced: false,
        })
    }

    /// Says once that the database was created.
    fn announce(&mut self) {
        if !std::mem::replace(&mut self.announced, true) {
            output::message(&tr!("cli.db_created", path = self.path.display()));
        }
    }

    /// Removes the database again if it holds no record (best effort: a
    /// database another process has opened meanwhile is left alone).
    fn remove_if_empty(&self) {
        let empty = match Store::open_existing(&self.path, Default::default()) {
            Ok(store) => store.is_empty(),
            // Nothing was created (a refused command, a full disk).
            Err(crate::store::StoreError::NoDatabase { .. }) => true,
            Err(_) => false,
        };
        if !empty {
            return;
        }
        // sled lets its lock go from another thread a moment after the
        // handle is dropped; the files can go meanwhile.
        match &self.top {
            Some(top) => {
                let _ = std::fs::remove_dir_all(top);
            }
            None => {
                let Ok(entries) = std::fs::read_dir(&self.path) else {
                    return;
                };
                for e in entries.flatten() {
                    if self.before.contains(&e.file_name()) {
                        continue;
                    }
                    let p = e.path();
                    let _ = if p.is_dir() {
                        std::fs::remove_dir_all(&p)
                    } else {
                        std::fs::remove_file(&p)
                    };
                }
            }
        }
    }
}

fn load_demo(store: &Store, scale: Option<usize>, activities: Option<usize>) -> CliResult {
    if !store.is_empty() {
        output::message(&tr!("cli.demo_not_empty"));
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
        // Venture projects name organizations and take their activities.
        n += crate::demo::load_venture(store).map_err(|e| CliError::Failed(e.to_string()))?;
        n += crate::demo::load_incubation(store)?;
        n += crate::demo::load_training(store)?;
        n += crate::demo::load_leads(store)?;
        n += crate::demo::load_party(store)?;
        n += crate::demo::load_filings(store)?;
        // Named, so that pane 6 exports without asking first.
        crate::demo::name_office(store)?;
        // The center is this office's: after it is named.
        n += crate::demo::load_center(store)?;
    }
    if let Some(m) = activities {
        // After the organizations they name.
        n += crate::demo::load_generated_activities(store, m, 1)
            .map_err(|e| CliError::Failed(e.to_string()))?;
    }
    output::message(&tr!("cli.demo_loaded", n = n));
    Ok(())
}

/// The app needs a terminal on standard output.
fn check_terminal() -> CliResult {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() {
        Ok(())
    } else {
        Err(CliError::Usage(tr!("cli.not_a_terminal")))
    }
}

fn open_tui(db: PathBuf, keymap: Option<String>, lang: Lang) -> CliResult {
    crate::tui::run(crate::tui::TuiOptions {
        keymap,
        db_path: db,
        lang,
    })
    .map_err(|e| CliError::Failed(format!("{e:#}")))
}

/// Prints warnings (possible duplicates) to standard error.
/// `org restore` / `activity restore`: puts a deleted record back (its
/// fields as they were), checked like a new one (its grid must exist, its
/// credit code be free); prints its id.
pub fn restore(store: &Store, kind: crate::model::Kind, id: &str) -> CliResult {
    if let Some(live) = store.get(kind, id)? {
        let record = crate::sync::words::named(kind, live.title());
        return Err(CliError::Usage(tr!("cli.not_deleted", record = record)));
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
    let record = crate::sync::words::named(kind, record.title());
    output::message(&tr!("cli.restored", record = record));
    output::print(&format!("{id}\n"))
}

pub fn warn_all(warnings: &[Warning]) {
    for w in warnings {
        match w {
            Warning::PossibleDuplicate { name, .. } => {
                output::message(&tr!("cli.possible_duplicate", name = name))
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

/// The id of a record of `kind` given by id or by its exact name (title):
/// scripts pass ids, people may type the name. Refused naming `field` when
/// none or several match.
pub fn resolve(
    store: &Store,
    kind: crate::model::Kind,
    field: &str,
    text: &str,
) -> CliResult<String> {
    let text = text.trim();
    if store.get(kind, text)?.is_some() {
        return Ok(text.to_string());
    }
    let names = store.names(kind)?;
    let found: Vec<&(String, String)> = names.iter().filter(|(_, n)| n == text).collect();
    let label = crate::text::label(kind);
    match found.as_slice() {
        [(id, _)] => Ok(id.clone()),
        [] => Err(CliError::field(
            field,
            Rule::Other {
                message: crate::tr!("venture.not_found", text = text, kind = label),
            },
        )),
        many => Err(CliError::field(
            field,
            Rule::Other {
                message: crate::tr!(
                    "venture.ambiguous",
                    text = text,
                    kind = label,
                    names = many
                        .iter()
                        .map(|(id, _)| id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            },
        )),
    }
}
