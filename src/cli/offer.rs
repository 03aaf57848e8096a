//! `sanshe offer add|list|show|edit`.

use chrono::NaiveDate;
use clap::{Args, Subcommand};

use super::error::{CliError, CliResult};
use super::linkage::{
    all, labels, load_offer, pick_offer, place_name, print_detail, print_list, provider_names,
    record_json,
};
use super::output::{self, Format};
use super::parse::list_flag;
use super::{parse_enum, place_names, today};
use crate::model::{Domain, Kind, Labeled, Offer, OfferInput, ProviderKind, Record};
use crate::store::{Command, Store};
use crate::sync::words::named;
use crate::text::label;
use crate::tr;

pub fn run(store: &Store, cmd: OfferCommand) -> CliResult {
    match cmd {
        OfferCommand::Add(f) => add(store, f),
        OfferCommand::List(a) => list(store, a),
        OfferCommand::Show { id, format } => show(store, &id, format),
        OfferCommand::Edit { id, fields, clear } => edit(store, &id, fields, &clear),
    }
}

fn add(store: &Store, f: OfferFields) -> CliResult {
    let mut o = Offer::default();
    apply(store, &f, &mut o)?;
    if o.covers.is_empty() {
        if let Some(home) = provider_home(store, o.provider_kind, &o.provider)? {
            o.covers.push(home);
        }
    }
    let outcome = store.execute(Command::Create {
        record: Record::Offer(o),
    })?;
    output::print(&format!("{}\n", outcome.id))
}

/// Where a provider is: an organization's grid cell, a social worker's
/// community.
fn provider_home(store: &Store, kind: ProviderKind, id: &str) -> CliResult<Option<String>> {
    Ok(match kind {
        ProviderKind::Org => store.org(id)?.and_then(|o| o.grid),
        ProviderKind::Worker => match store.get(Kind::Worker, id)? {
            Some(Record::Worker(w)) => w.community,
            _ => None,
        },
        ProviderKind::Partner => None,
    })
}

/// The kind of the record with this id (organizations first).
fn provider_kind_of(store: &Store, id: &str) -> CliResult<Option<ProviderKind>> {
    if store.org(id)?.is_some() {
        return Ok(Some(ProviderKind::Org));
    }
    if store.get(Kind::Worker, id)?.is_some() {
        return Ok(Some(ProviderKind::Worker));
    }
    if store.get(Kind::Partner, id)?.is_some() {
        return Ok(Some(ProviderKind::Partner));
    }
    Ok(None)
}

fn edit(store: &Store, id: &str, f: OfferFields, clear: &[String]) -> CliResult {
    let before = load_offer(store, id)?;
    let mut after = before.clone();
    for c in clear {
        match c.replace('-', "_").as_str() {
            "description" => after.description = None,
            "covers" => after.covers.clear(),
            "target" | "targets" => after.targets.clear(),
            "capacity" => after.capacity = None,
            "unit" => after.unit = None,
            "from" | "available_from" => after.available_from = None,
            "until" | "available_until" => after.available_until = None,
            "schedule" => after.schedule = None,
            "contact" => after.contact = None,
            "notes" => after.notes = None,
            _ => {
                return Err(CliError::not_clearable(&[
                    "description",
                    "covers",
                    "targets",
                    "capacity",
                    "unit",
                    "from",
                    "until",
                    "schedule",
                    "contact",
                    "notes",
                ]))
            }
        }
    }
    apply(store, &f, &mut after)?;
    let record = named(Kind::Offer, &after.title);
    let outcome = store.execute(Command::Update {
        id: id.to_string(),
        before: Record::Offer(before),
        after: Record::Offer(after),
    })?;
    output::message(&tr!("cli.edited", record = record, n = outcome.ops));
    Ok(())
}

/// Applies the flags onto `o` (see [`crate::model::offer_input::apply`]):
/// the rules the offer form of the app applies too. The provider's kind is
/// the kind of the record with its id (the store refuses an unknown id;
/// with no record of any kind by this id, the message names an
/// organization).
fn apply(store: &Store, f: &OfferFields, o: &mut Offer) -> CliResult {
    let kind = match &f.provider {
        Some(p) if f.provider_kind.is_none() => provider_kind_of(store, p.trim())?,
        _ => None,
    };
    let input = OfferInput {
        title: f.title.clone(),
        kind: f.kind.clone(),
        description: f.description.clone(),
        domains: list_flag(&f.domains),
        provider: f.provider.clone(),
        provider_kind: f.provider_kind.clone(),
        covers: list_flag(&f.covers),
        targets: list_flag(&f.targets),
        capacity: f.capacity.clone(),
        unit: f.unit.clone(),
        available_from: f.from.clone(),
        available_until: f.until.clone(),
        schedule: f.schedule.clone(),
        cost: f.cost.clone(),
        contact: f.contact.clone(),
        notes: f.notes.clone(),
    };
    let (today, lang) = (today(), crate::text::lang());
    crate::model::offer_input::apply(&input, o, today, lang, |_| kind)?;
    Ok(())
}

const COLUMNS: &[&str] = &[
    "id",
    "title",
    "offer_type",
    "provider",
    "covers",
    "capacity",
    "cost",
];

fn capacity_text(o: &Offer) -> String {
    match o.capacity {
        Some(c) => format!("{}/{c}{}", o.committed, o.unit.as_deref().unwrap_or("")),
        None => String::new(),
    }
}

fn list(store: &Store, a: OfferListArgs) -> CliResult {
    let domain = a
        .domain
        .as_deref()
        .map(parse_enum::<Domain>)
        .transpose()
        .map_err(|r| CliError::field("domains", r))?;
    let mut offers: Vec<(String, Offer)> = all(store, Kind::Offer, pick_offer)?
        .into_iter()
        .filter(|(_, o)| {
            domain.is_none_or(|d| o.domains.contains(&d))
                && a.provider.as_deref().is_none_or(|p| o.provider == p)
        })
        .collect();
    offers.sort_by_cached_key(|(id, o)| (crate::search::sort_key(&o.title), id.clone()));
    let (places, providers) = if a.format == Format::Table {
        (place_names(store)?, provider_names(store)?)
    } else {
        Default::default()
    };
    let table = offers
        .iter()
        .map(|(id, o)| {
            vec![
                id.clone(),
                o.title.clone(),
                label(o.kind).to_string(),
                providers
                    .get(&o.provider)
                    .cloned()
                    .unwrap_or_else(|| o.provider.clone()),
                o.covers
                    .iter()
                    .map(|c| place_name(&places, c))
                    .collect::<Vec<_>>()
                    .join("、"),
                capacity_text(o),
                label(o.cost).to_string(),
            ]
        })
        .collect();
    let csv = offers
        .iter()
        .map(|(id, o)| {
            vec![
                id.clone(),
                o.title.clone(),
                o.kind.key().to_string(),
                o.provider.clone(),
                o.covers.join(";"),
                o.capacity.map(|c| c.to_string()).unwrap_or_default(),
                o.cost.key().to_string(),
            ]
        })
        .collect();
    let json = offers.iter().map(|(id, o)| record_json(id, o)).collect();
    print_list(COLUMNS, table, csv, json, a.format)
}

fn show(store: &Store, id: &str, format: Format) -> CliResult {
    let o = load_offer(store, id)?;
    if format == Format::Json {
        return output::print(&output::json(&record_json(id, &o))?);
    }
    let places = place_names(store)?;
    let providers = provider_names(store)?;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let date = |v: Option<NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
    let rows = vec![
        ("id", id.to_string()),
        ("title", o.title.clone()),
        ("offer_type", label(o.kind).to_string()),
        (
            "provider",
            format!(
                "{} ({}, {})",
                providers.get(&o.provider).cloned().unwrap_or_default(),
                label(o.provider_kind),
                o.provider
            ),
        ),
        ("domains", labels(&o.domains)),
        ("targets", labels(&o.targets)),
        (
            "covers",
            o.covers
                .iter()
                .map(|c| format!("{} ({c})", place_name(&places, c)))
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ("capacity", capacity_text(&o)),
        ("available_from", date(o.available_from)),
        ("available_until", date(o.available_until)),
        ("schedule", opt(&o.schedule)),
        ("cost", label(o.cost).to_string()),
        ("contact", opt(&o.contact)),
        ("description", opt(&o.description)),
        ("notes", opt(&o.notes)),
    ];
    print_detail(rows, format)
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum OfferCommand {
    /// Add an offer; prints its id
    Add(OfferFields),
    /// List offers
    List(OfferListArgs),
    /// Show one offer
    Show {
        id: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Change an offer: only the fields given change
    Edit {
        id: String,
        #[command(flatten)]
        fields: OfferFields,
        /// Empty these fields (description, covers, targets, capacity, unit, from, until, schedule, contact, notes)
        #[arg(long, value_name = "FIELD")]
        clear: Vec<String>,
    },
}

/// Fields of an offer, shared by `offer add` and `offer edit`.
#[derive(Debug, Args, Default)]
pub struct OfferFields {
    #[arg(long)]
    pub title: Option<String>,
    /// service | venue | funds | goods | skills (default service)
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    /// Service domain (repeatable)
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// Id of the providing organization, social worker or partner
    #[arg(long)]
    pub provider: Option<String>,
    /// org | worker | partner (default: found from the id)
    #[arg(long)]
    pub provider_kind: Option<String>,
    /// Place covered (repeatable): grid cell, community or township code.
    /// Default: the provider's grid cell
    #[arg(long = "covers", value_name = "PLACE")]
    pub covers: Vec<String>,
    /// Target group (repeatable)
    #[arg(long = "target", value_name = "GROUP")]
    pub targets: Vec<String>,
    /// Sessions or people per month
    #[arg(long, allow_hyphen_values = true)]
    pub capacity: Option<String>,
    /// What the capacity counts (人次/月...)
    #[arg(long)]
    pub unit: Option<String>,
    /// Available from
    #[arg(long, allow_hyphen_values = true)]
    pub from: Option<String>,
    /// Available until
    #[arg(long, allow_hyphen_values = true)]
    pub until: Option<String>,
    /// When in the week (每周三下午...)
    #[arg(long)]
    pub schedule: Option<String>,
    /// free | paid | government-purchased (default free)
    #[arg(long)]
    pub cost: Option<String>,
    #[arg(long)]
    pub contact: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct OfferListArgs {
    /// Only offers of this provider (id)
    #[arg(long)]
    pub provider: Option<String>,
    #[arg(long)]
    pub domain: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}
