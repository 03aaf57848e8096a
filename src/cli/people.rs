//! `sanshe worker add|list|show|edit` and `sanshe partner add|list|show|edit`.

use super::error::{CliError, CliResult};
use super::linkage::{all, labels, load, place_name, print_detail, print_list, record_json};
use super::output::{self, Format};
use super::parse::list_flag;
use super::{place_names, today};
use crate::model::{Kind, Labeled, Partner, PartnerInput, Record, Worker, WorkerInput};
use crate::store::{Command, Store};
use crate::sync::words::named;
use crate::text::label;
use crate::tr;
use clap::{Args, Subcommand};

fn pick_worker(r: Record) -> Option<Worker> {
    match r {
        Record::Worker(w) => Some(w),
        _ => None,
    }
}

fn pick_partner(r: Record) -> Option<Partner> {
    match r {
        Record::Partner(p) => Some(p),
        _ => None,
    }
}

fn load_worker(store: &Store, id: &str) -> CliResult<Worker> {
    pick_worker(load(store, Kind::Worker, id)?).ok_or_else(|| CliError::Failed(id.to_string()))
}

fn load_partner(store: &Store, id: &str) -> CliResult<Partner> {
    pick_partner(load(store, Kind::Partner, id)?).ok_or_else(|| CliError::Failed(id.to_string()))
}

pub fn run_worker(store: &Store, cmd: WorkerCommand) -> CliResult {
    match cmd {
        WorkerCommand::Add(f) => {
            let mut w = Worker::default();
            apply_worker(&f, &mut w)?;
            let outcome = store.execute(Command::Create {
                record: Record::Worker(w),
            })?;
            output::print(&format!("{}\n", outcome.id))
        }
        WorkerCommand::List { format } => list_workers(store, format),
        WorkerCommand::Show { id, format } => {
            let w = load_worker(store, &id)?;
            if format == Format::Json {
                return output::print(&output::json(&record_json(&id, &w))?);
            }
            let places = place_names(store)?;
            let org = match &w.org {
                Some(o) => store.org(o)?.map(|x| x.name).unwrap_or_else(|| o.clone()),
                None => String::new(),
            };
            print_detail(
                vec![
                    ("id", id.clone()),
                    ("name", w.name.clone()),
                    ("qualification", label(w.qualification).to_string()),
                    (
                        "community",
                        w.community
                            .as_deref()
                            .map(|c| place_name(&places, c))
                            .unwrap_or_default(),
                    ),
                    ("domains", labels(&w.domains)),
                    ("phone", w.phone.clone().unwrap_or_default()),
                    ("org", org),
                    ("notes", w.notes.clone().unwrap_or_default()),
                ],
                format,
            )
        }
        WorkerCommand::Edit { id, fields, clear } => {
            let before = load_worker(store, &id)?;
            let mut after = before.clone();
            for c in &clear {
                match c.as_str() {
                    "community" => after.community = None,
                    "domain" | "domains" => after.domains.clear(),
                    "phone" => after.phone = None,
                    "org" => after.org = None,
                    "notes" => after.notes = None,
                    _ => {
                        return Err(CliError::not_clearable(&[
                            "community",
                            "domains",
                            "phone",
                            "org",
                            "notes",
                        ]))
                    }
                }
            }
            apply_worker(&fields, &mut after)?;
            let record = named(Kind::Worker, &after.name);
            let outcome = store.execute(Command::Update {
                id: id.clone(),
                before: Record::Worker(before),
                after: Record::Worker(after),
            })?;
            output::message(&tr!("cli.edited", record = record, n = outcome.ops));
            Ok(())
        }
    }
}

/// Applies the flags onto `w` (see [`crate::model::people_input::apply_worker`]):
/// the rules the social worker form of the app applies too.
fn apply_worker(f: &WorkerFields, w: &mut Worker) -> CliResult {
    let input = WorkerInput {
        name: f.name.clone(),
        qualification: f.qualification.clone(),
        community: f.community.clone(),
        domains: list_flag(&f.domains),
        phone: f.phone.clone(),
        org: f.org.clone(),
        notes: f.notes.clone(),
    };
    crate::model::people_input::apply_worker(&input, w, crate::text::lang())?;
    Ok(())
}

fn list_workers(store: &Store, format: Format) -> CliResult {
    let mut workers = all(store, Kind::Worker, pick_worker)?;
    workers.sort_by_cached_key(|(id, w)| (crate::search::sort_key(&w.name), id.clone()));
    let places = place_names(store)?;
    let row = |id: &String, w: &Worker, keys: bool| {
        vec![
            id.clone(),
            w.name.clone(),
            if keys {
                w.qualification.key().to_string()
            } else {
                label(w.qualification).to_string()
            },
            match (&w.community, keys) {
                (Some(c), true) => c.clone(),
                (Some(c), false) => place_name(&places, c),
                (None, _) => String::new(),
            },
            w.phone.clone().unwrap_or_default(),
        ]
    };
    let table = workers.iter().map(|(id, w)| row(id, w, false)).collect();
    let csv = workers.iter().map(|(id, w)| row(id, w, true)).collect();
    let json = workers.iter().map(|(id, w)| record_json(id, w)).collect();
    print_list(
        &["id", "name", "qualification", "community", "phone"],
        table,
        csv,
        json,
        format,
    )
}

pub fn run_partner(store: &Store, cmd: PartnerCommand) -> CliResult {
    match cmd {
        PartnerCommand::Add(f) => {
            let mut p = Partner::default();
            apply_partner(&f, &mut p)?;
            let outcome = store.execute(Command::Create {
                record: Record::Partner(p),
            })?;
            output::print(&format!("{}\n", outcome.id))
        }
        PartnerCommand::List { format } => list_partners(store, format),
        PartnerCommand::Show { id, format } => {
            let p = load_partner(store, &id)?;
            if format == Format::Json {
                return output::print(&output::json(&record_json(&id, &p))?);
            }
            let mut rows = vec![
                ("id", id.clone()),
                ("name", p.name.clone()),
                ("partner_type", label(p.kind).to_string()),
                ("contact", p.contact.clone().unwrap_or_default()),
                ("phone", p.phone.clone().unwrap_or_default()),
                ("provides", p.provides.clone().unwrap_or_default()),
                ("domains", labels(&p.domains)),
            ];
            for (title, a) in &p.agreements {
                rows.push((
                    "agreements",
                    format!(
                        "{title} {}~{}",
                        a.start,
                        a.end.map(|d| d.to_string()).unwrap_or_default()
                    ),
                ));
            }
            rows.push(("notes", p.notes.clone().unwrap_or_default()));
            print_detail(rows, format)
        }
        PartnerCommand::Edit { id, fields, clear } => {
            let before = load_partner(store, &id)?;
            let mut after = before.clone();
            for c in &clear {
                match c.as_str() {
                    "contact" => after.contact = None,
                    "phone" => after.phone = None,
                    "provides" => after.provides = None,
                    "domain" | "domains" => after.domains.clear(),
                    "agreement" | "agreements" => after.agreements.clear(),
                    "notes" => after.notes = None,
                    _ => {
                        return Err(CliError::not_clearable(&[
                            "contact",
                            "phone",
                            "provides",
                            "domains",
                            "agreements",
                            "notes",
                        ]))
                    }
                }
            }
            apply_partner(&fields, &mut after)?;
            let record = named(Kind::Partner, &after.name);
            let outcome = store.execute(Command::Update {
                id: id.clone(),
                before: Record::Partner(before),
                after: Record::Partner(after),
            })?;
            output::message(&tr!("cli.edited", record = record, n = outcome.ops));
            Ok(())
        }
    }
}

/// Applies the flags onto `p` (see [`crate::model::people_input::apply_partner`]):
/// the rules the partner form of the app applies too.
fn apply_partner(f: &PartnerFields, p: &mut Partner) -> CliResult {
    let input = PartnerInput {
        name: f.name.clone(),
        kind: f.kind.clone(),
        contact: f.contact.clone(),
        phone: f.phone.clone(),
        provides: f.provides.clone(),
        domains: list_flag(&f.domains),
        agreements: f.agreements.clone(),
        notes: f.notes.clone(),
    };
    crate::model::people_input::apply_partner(&input, p, today(), crate::text::lang())?;
    Ok(())
}

fn list_partners(store: &Store, format: Format) -> CliResult {
    let mut partners = all(store, Kind::Partner, pick_partner)?;
    partners.sort_by_cached_key(|(id, p)| {
        (p.kind.index(), crate::search::sort_key(&p.name), id.clone())
    });
    let row = |id: &String, p: &Partner, keys: bool| {
        vec![
            id.clone(),
            p.name.clone(),
            if keys {
                p.kind.key().to_string()
            } else {
                label(p.kind).to_string()
            },
            p.contact.clone().unwrap_or_default(),
            p.phone.clone().unwrap_or_default(),
            p.provides.clone().unwrap_or_default(),
        ]
    };
    let table = partners.iter().map(|(id, p)| row(id, p, false)).collect();
    let csv = partners.iter().map(|(id, p)| row(id, p, true)).collect();
    let json = partners.iter().map(|(id, p)| record_json(id, p)).collect();
    print_list(
        &["id", "name", "partner_type", "contact", "phone", "provides"],
        table,
        csv,
        json,
        format,
    )
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum WorkerCommand {
    /// Add a social worker; prints the id
    Add(WorkerFields),
    /// List social workers
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Show one social worker
    Show {
        id: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Change a social worker: only the fields given change
    Edit {
        id: String,
        #[command(flatten)]
        fields: WorkerFields,
        /// Empty these fields (community, domains, phone, org, notes)
        #[arg(long, value_name = "FIELD")]
        clear: Vec<String>,
    },
}

/// Fields of a social worker.
#[derive(Debug, Args, Default)]
pub struct WorkerFields {
    #[arg(long)]
    pub name: Option<String>,
    /// none | assistant | social-worker | senior (助理社会工作师 / 社会工作师 / 高级社会工作师)
    #[arg(long)]
    pub qualification: Option<String>,
    /// Community (or grid cell) code
    #[arg(long)]
    pub community: Option<String>,
    /// Service domain (repeatable)
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<String>,
    #[arg(long)]
    pub phone: Option<String>,
    /// Id of the organization the worker works for
    #[arg(long)]
    pub org: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum PartnerCommand {
    /// Add a partner; prints the id
    Add(PartnerFields),
    /// List partners
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Show one partner
    Show {
        id: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Change a partner: only the fields given change
    Edit {
        id: String,
        #[command(flatten)]
        fields: PartnerFields,
        /// Empty these fields (contact, phone, provides, domains, agreements, notes)
        #[arg(long, value_name = "FIELD")]
        clear: Vec<String>,
    },
}

/// Fields of a partner.
#[derive(Debug, Args, Default)]
pub struct PartnerFields {
    #[arg(long)]
    pub name: Option<String>,
    /// government | university | enterprise | foundation | expert | other
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    #[arg(long)]
    pub contact: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    /// What they can provide
    #[arg(long)]
    pub provides: Option<String>,
    /// Service domain (repeatable)
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// Agreement (repeatable): TITLE:START[:END], e.g. 实习基地协议:2026-01-01:2028-12-31
    #[arg(long = "agreement", value_name = "TITLE:START[:END]")]
    pub agreements: Vec<String>,
    #[arg(long)]
    pub notes: Option<String>,
}
