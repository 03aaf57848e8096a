//! `sanshe serve`, `sanshe server status|stop`, `sanshe who` (here, in the
//! client) and `sanshe access add|rm|list` (in the server, which knows who
//! asks).

use std::path::Path;

use clap::{Args, Subcommand};

use super::error::{CliError, CliResult};
use super::output::{self, Format};
use crate::config::Config;
use crate::model::{Lang, Rule};
use crate::server::{access, client, proto, serve};
use crate::store::access::Grant;
use crate::tr;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Stay attached to the terminal or service manager (systemd) and keep serving when idle
    #[arg(long)]
    pub foreground: bool,
    /// Run here as a started server (what `serve` starts in the background)
    #[arg(long, hide = true)]
    pub detached: bool,
}

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Whether a server runs for the database, since when, and who is connected
    Status {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Stop the server (its clients connect again to a new one)
    Stop,
}

#[derive(Debug, Args)]
pub struct WhoArgs {
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum AccessCommand {
    /// Admit a Unix user, or a group as @GROUP
    Add {
        /// A Unix user, or @ and a Unix group
        who: String,
        /// Browse and export only; no changes
        #[arg(long)]
        read_only: bool,
        /// May see leads on illegal organizations (sanshe lead)
        #[arg(long)]
        leads: bool,
        /// With --leads: may also see who reported a lead (lead show --show-reporter)
        #[arg(long)]
        reporter: bool,
    },
    /// Admit a user or group no more
    Rm {
        /// A Unix user, or @ and a Unix group
        who: String,
    },
    /// Who is admitted
    List {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

/// `sanshe serve`: in the background unless `--foreground`.
pub fn run_serve(db: &Path, a: ServeArgs, config: Config) -> CliResult {
    if a.foreground || a.detached {
        if !crate::store::Store::exists(db) {
            return Err(crate::store::StoreError::NoDatabase {
                path: db.to_path_buf(),
            }
            .into());
        }
        let idle = if a.detached {
            Some(config.server.idle())
        } else {
            None
        };
        let life = serve::Lifetime { idle };
        // A started server tells the client that started it, on its standard
        // output (a pipe), that it listens, or why it could not start.
        let ready = || {
            if a.detached {
                tell_starter(READY);
            }
        };
        // A server leaving a moment ago may still hold the lock.
        let result = with_retry(|| serve::run(db, life, &ready));
        if let (true, Err(e)) = (a.detached, &result) {
            tell_starter(&e.message());
        }
        return result;
    }
    if crate::server::socket::connect(db).is_ok() {
        output::message(&tr!("server.already", db = db.display()));
        return Ok(());
    }
    if !crate::store::Store::exists(db) {
        return Err(crate::store::StoreError::NoDatabase {
            path: db.to_path_buf(),
        }
        .into());
    }
    client::start(db).map_err(|e| CliError::Failed(e.message(db)))?;
    output::message(&tr!("server.started", db = db.display()));
    Ok(())
}

/// What a started server says when it listens.
pub const READY: &str = "ready";

/// One line to the client that started this server, then standard output
/// goes nowhere (the client stops reading).
fn tell_starter(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout();
    let _ = writeln!(out, "{}", line.replace('\n', " "));
    let _ = out.flush();
    if let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") {
        use std::os::fd::AsRawFd;
        // SAFETY: dup2 onto our own standard output, with a file we opened.
        unsafe {
            libc::dup2(null.as_raw_fd(), 1);
        }
    }
}

fn with_retry(mut f: impl FnMut() -> CliResult) -> CliResult {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    loop {
        match f() {
            Err(CliError::Store(crate::store::StoreError::InUse { .. }))
                if std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

/// `sanshe server status|stop`.
pub fn run_server(db: &Path, c: ServerCommand, lang: Lang) -> CliResult {
    match c {
        ServerCommand::Status { format } => {
            let status = client::status(db, lang).map_err(|e| fail(db, e))?;
            print_status(db, status.as_ref(), format)
        }
        ServerCommand::Stop => {
            let stopped = client::stop(db, lang).map_err(|e| fail(db, e))?;
            output::message(&if stopped {
                tr!("server.stopped", db = db.display())
            } else {
                tr!("server.not_running", db = db.display())
            });
            Ok(())
        }
    }
}

fn fail(db: &Path, e: client::ConnectError) -> CliError {
    CliError::Failed(e.message(db))
}

fn print_status(db: &Path, s: Option<&proto::Status>, format: Format) -> CliResult {
    match format {
        Format::Json => {
            let v = match s {
                Some(s) => serde_json::json!({
                    "running": true,
                    "pid": s.pid,
                    "started": s.started,
                    "db": s.db,
                    "clients": s.clients.iter().map(|c| serde_json::json!({
                        "user": c.user, "what": c.what, "since": c.since,
                    })).collect::<Vec<_>>(),
                }),
                None => serde_json::json!({
                    "running": false,
                    "db": db.display().to_string(),
                    "clients": [],
                }),
            };
            output::print(&format!("{v:#}\n"))
        }
        Format::Table | Format::Csv => {
            let Some(s) = s else {
                return output::print(&format!(
                    "{}\n",
                    tr!("server.not_running", db = db.display())
                ));
            };
            let mut out = tr!(
                "server.status_line",
                pid = s.pid,
                started = short_time(&s.started),
                db = s.db
            );
            out.push('\n');
            if s.clients.is_empty() {
                out.push_str(&tr!("server.nobody"));
                out.push('\n');
            } else {
                out.push_str(&clients_table(&s.clients));
            }
            output::print(&out)
        }
    }
}

fn short_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

fn what_words(what: &str) -> String {
    if what == "app" {
        tr!("server.what_app")
    } else {
        format!("sanshe {what}")
    }
}

fn clients_table(clients: &[proto::Client]) -> String {
    let header = vec![
        tr!("server.col_user"),
        tr!("server.col_what"),
        tr!("server.col_since"),
    ];
    let rows: Vec<Vec<String>> = clients
        .iter()
        .map(|c| {
            vec![
                access::display_name(&c.user),
                what_words(&c.what),
                short_time(&c.since),
            ]
        })
        .collect();
    output::table(&header, &rows)
}

/// `sanshe who`: the people connected to the database's server (none
/// when no server runs), the status commands themselves left out.
pub fn run_who(db: &Path, a: WhoArgs, lang: Lang) -> CliResult {
    let status = client::status(db, lang).map_err(|e| fail(db, e))?;
    let clients = status.map(|s| s.clients).unwrap_or_default();
    match a.format {
        Format::Json => {
            let v: Vec<_> = clients
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "user": c.user,
                        "name": access::display_name(&c.user),
                        "what": c.what,
                        "since": c.since,
                    })
                })
                .collect();
            output::print(&format!("{:#}\n", serde_json::Value::Array(v)))
        }
        Format::Table | Format::Csv => {
            if clients.is_empty() {
                output::message(&tr!("server.nobody"));
                return Ok(());
            }
            output::print(&clients_table(&clients))
        }
    }
}

/// What the server knows of the client running a command.
pub struct ServerCx<'a> {
    pub store: &'a crate::store::Store,
    pub config: &'a Config,
    pub who: &'a access::Admitted,
}

/// `sanshe access add|rm|list`, run by the server.
pub fn run_access(cx: &ServerCx, c: AccessCommand) -> CliResult {
    let db = cx.store.path();
    let owner = access::owner(db).map(access::login).unwrap_or_default();
    let mut grants = cx.store.grants()?;
    let changes = !matches!(c, AccessCommand::List { .. });
    if changes && !cx.who.manager {
        return Err(CliError::Failed(tr!(
            "server.access_not_allowed",
            user = cx.who.user,
            owner = owner
        )));
    }
    match c {
        AccessCommand::Add {
            who,
            read_only,
            leads,
            reporter,
        } => {
            let who = who.trim().to_string();
            if who.is_empty() || who == "@" || !access::exists(&who) {
                return Err(CliError::field(
                    "who",
                    Rule::OneOf {
                        allowed: tr!("server.who_rule"),
                    },
                ));
            }
            match grants.iter_mut().find(|g| g.who == who) {
                Some(g) => {
                    g.read_only = read_only;
                    g.leads = leads;
                    g.reporter = leads && reporter;
                }
                None => grants.push(Grant {
                    who: who.clone(),
                    read_only,
                    leads,
                    reporter: leads && reporter,
                }),
            }
            cx.store.set_grants(&grants)?;
            if let Err(e) = access::open_the_way(db, &grants) {
                output::message(&format!("{}: {e}", db.display()));
            }
            output::message(&if read_only {
                tr!("server.admitted_read_only", who = who)
            } else {
                tr!("server.admitted", who = who)
            });
            Ok(())
        }
        AccessCommand::Rm { who } => {
            let who = who.trim();
            let before = grants.len();
            grants.retain(|g| g.who != who);
            if grants.len() == before {
                return Err(CliError::Usage(tr!("server.not_on_list", who = who)));
            }
            cx.store.set_grants(&grants)?;
            if let Err(e) = access::open_the_way(db, &grants) {
                output::message(&format!("{}: {e}", db.display()));
            }
            output::message(&tr!("server.removed", who = who));
            Ok(())
        }
        AccessCommand::List { format } => print_grants(&owner, &grants, format),
    }
}

fn print_grants(owner: &str, grants: &[Grant], format: Format) -> CliResult {
    let kind = |g: &Grant| if g.group().is_some() { "group" } else { "user" };
    match format {
        Format::Json => {
            let mut v = vec![serde_json::json!({
                "who": owner, "kind": "user", "read_only": false, "owner": true,
                "leads": true, "reporter": true,
            })];
            v.extend(grants.iter().map(|g| {
                serde_json::json!({
                    "who": g.who, "kind": kind(g), "read_only": g.read_only, "owner": false,
                    "leads": g.leads, "reporter": g.reporter,
                })
            }));
            output::print(&format!("{:#}\n", serde_json::Value::Array(v)))
        }
        Format::Table | Format::Csv => {
            let header = vec![tr!("server.col_who"), tr!("server.col_rights")];
            let mut rows = vec![vec![owner.to_string(), tr!("server.right_owner")]];
            rows.extend(grants.iter().map(|g| {
                vec![g.who.clone(), {
                    let mut r = if g.read_only {
                        tr!("server.right_read_only")
                    } else {
                        tr!("server.right_write")
                    };
                    if g.leads {
                        r.push_str(&tr!("server.right_leads"));
                    }
                    if g.reporter {
                        r.push_str(&tr!("server.right_reporter"));
                    }
                    r
                }]
            }));
            output::print(&output::table(&header, &rows))
        }
    }
}
