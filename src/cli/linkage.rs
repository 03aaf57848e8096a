//! `sanshe match` and `sanshe link add|set|list|show`, and what the
//! three-society commands share (loading records, JSON, detail tables).

use clap::{Args, Subcommand};
use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::Value as Json;

use super::error::{CliError, CliResult};
use super::output::{self, Format};
use super::parse::parse_number;
use super::{parse_enum, today};
use crate::matching::transition::{need_has_other, step_commands, StepRequest};
use crate::matching::{Matcher, Weights};
use crate::model::linkage::StepError;
use crate::model::{
    Kind, Labeled, Linkage, LinkageState, Need, Offer, Record, Rule, ValidationErrors,
};
use crate::store::{Command, Store, StoreError};
use crate::text::{field_label, label};
use crate::tr;

/// A live record of `kind`, or "not found" (exit 2).
pub fn load(store: &Store, kind: Kind, id: &str) -> CliResult<Record> {
    store.get(kind, id)?.ok_or_else(|| {
        CliError::Store(StoreError::NotFound {
            kind,
            id: id.to_string(),
        })
    })
}

/// A live need.
pub fn load_need(store: &Store, id: &str) -> CliResult<Need> {
    match load(store, Kind::Need, id)? {
        Record::Need(n) => Ok(n),
        _ => Err(not_found(Kind::Need, id)),
    }
}

/// A live offer.
pub fn load_offer(store: &Store, id: &str) -> CliResult<Offer> {
    match load(store, Kind::Offer, id)? {
        Record::Offer(o) => Ok(o),
        _ => Err(not_found(Kind::Offer, id)),
    }
}

/// A live linkage.
pub fn load_linkage(store: &Store, id: &str) -> CliResult<Linkage> {
    match load(store, Kind::Linkage, id)? {
        Record::Linkage(l) => Ok(l),
        _ => Err(not_found(Kind::Linkage, id)),
    }
}

fn not_found(kind: Kind, id: &str) -> CliError {
    CliError::Store(StoreError::NotFound {
        kind,
        id: id.to_string(),
    })
}

/// Every live record of a kind, typed by `pick`.
pub fn all<T>(
    store: &Store,
    kind: Kind,
    pick: fn(Record) -> Option<T>,
) -> CliResult<Vec<(String, T)>> {
    Ok(store
        .all(kind)?
        .into_iter()
        .filter_map(|(id, r)| pick(r).map(|t| (id, t)))
        .collect())
}

pub fn pick_need(r: Record) -> Option<Need> {
    match r {
        Record::Need(n) => Some(n),
        _ => None,
    }
}

pub fn pick_offer(r: Record) -> Option<Offer> {
    match r {
        Record::Offer(o) => Some(o),
        _ => None,
    }
}

pub fn pick_linkage(r: Record) -> Option<Linkage> {
    match r {
        Record::Linkage(l) => Some(l),
        _ => None,
    }
}

/// A record as a JSON object with its `id` and snake_case fields.
pub fn record_json<T: serde::Serialize>(id: &str, v: &T) -> Json {
    let mut j = serde_json::to_value(v).unwrap_or(Json::Null);
    if let Json::Object(m) = &mut j {
        m.insert("id".into(), Json::String(id.to_string()));
    }
    j
}

/// Prints label/value rows: aligned text, or CSV.
pub fn print_detail(rows: Vec<(&str, String)>, format: Format) -> CliResult {
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|(k, v)| vec![field_label(k), v])
        .collect();
    if format == Format::Csv {
        let header = vec!["field".to_string(), "value".to_string()];
        return output::print(&output::csv(&header, &rows)?);
    }
    output::print(&output::detail(&rows))
}

/// Prints a list as a table (with a count), JSON or CSV.
pub fn print_list(
    columns: &[&str],
    table_rows: Vec<Vec<String>>,
    csv_rows: Vec<Vec<String>>,
    json: Vec<Json>,
    format: Format,
) -> CliResult {
    match format {
        Format::Json => output::print(&output::json(&Json::Array(json))?),
        Format::Csv => {
            let header: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
            output::print(&output::csv(&header, &csv_rows)?)
        }
        Format::Table => {
            let header: Vec<String> = columns.iter().map(|c| field_label(c)).collect();
            let mut text = output::table(&header, &table_rows);
            text.push_str(&tr!("cli.count", n = table_rows.len()));
            text.push('\n');
            output::print(&text)
        }
    }
}

/// Labels of enum values joined with 、.
pub fn labels<T: Labeled>(v: &[T]) -> String {
    v.iter().map(|x| label(*x)).collect::<Vec<_>>().join("、")
}

/// Keys of enum values joined with `;` (CSV).
pub fn keys<T: Labeled>(v: &[T]) -> String {
    v.iter().map(|x| x.key()).collect::<Vec<_>>().join(";")
}

/// Place code -> display name ("community/grid").
pub fn place_name(names: &HashMap<String, String>, code: &str) -> String {
    names.get(code).cloned().unwrap_or_else(|| code.to_string())
}

/// Names of every organization, social worker and partner by id.
pub fn provider_names(store: &Store) -> CliResult<HashMap<String, String>> {
    let mut out = HashMap::new();
    for kind in [Kind::Org, Kind::Worker, Kind::Partner] {
        out.extend(store.names(kind)?);
    }
    Ok(out)
}

/// `sanshe match`: the ranked offers for a need, with `w` from the config.
pub fn run_match(store: &Store, args: MatchArgs, w: Weights) -> CliResult {
    let need = load_need(store, &args.need)?;
    let offers = all(store, Kind::Offer, pick_offer)?;
    let linkages = all(store, Kind::Linkage, pick_linkage)?;
    let places = store.places()?;
    let grades = crate::report::provider_grades(store);
    let matcher = Matcher::with_grades(&places, offers, &linkages, &grades);
    let ranked = matcher.rank(&args.need, &need, &w, today());
    let top: Vec<_> = ranked.into_iter().take(args.top).collect();
    let names = provider_names(store)?;
    let round = |x: f32| ((x * 10.0).round() / 10.0) as f64;
    let parts_of = |r: &crate::matching::Ranked| -> Vec<(&'static str, f64)> {
        r.parts
            .named(&w.sanitized())
            .iter()
            .map(|(k, part, weight)| (*k, round(part * weight)))
            .collect()
    };
    const COLUMNS: &[&str] = &[
        "rank", "offer_id", "title", "provider", "score", "domain", "distance", "capacity",
        "target", "record", "timing",
    ];
    let mut json = Vec::new();
    let mut rows = Vec::new();
    for (i, r) in top.iter().enumerate() {
        let Some((id, o)) = matcher.offer(r.index) else {
            continue;
        };
        let provider = names.get(&o.provider).cloned().unwrap_or_default();
        let mut m = serde_json::Map::new();
        m.insert("offer_id".into(), Json::String(id.to_string()));
        m.insert("title".into(), Json::String(o.title.clone()));
        m.insert("provider".into(), Json::String(o.provider.clone()));
        m.insert("provider_name".into(), Json::String(provider.clone()));
        m.insert("score".into(), Json::from(round(r.score)));
        let mut row = vec![
            (i + 1).to_string(),
            id.to_string(),
            o.title.clone(),
            provider,
            format!("{:.1}", r.score),
        ];
        for (k, v) in parts_of(r) {
            m.insert(k.into(), Json::from(v));
            row.push(format!("{v:.1}"));
        }
        json.push(Json::Object(m));
        rows.push(row);
    }
    if args.format == Format::Table {
        output::message(&tr!(
            "linkage.match_for",
            title = need.title,
            grid = need.grid
        ));
    }
    let csv = rows.clone();
    print_list(COLUMNS, rows, csv, json, args.format)
}

pub fn run_link(store: &Store, cmd: LinkCommand) -> CliResult {
    match cmd {
        LinkCommand::Add {
            need,
            offers,
            amount,
            by,
            note,
        } => add(store, &need, offers, amount, by, note),
        LinkCommand::Set {
            id,
            state,
            satisfaction,
            note,
        } => set(store, &id, &state, satisfaction, note),
        LinkCommand::List {
            state,
            need,
            format,
        } => list(store, state, need, format),
        LinkCommand::Show { id, format } => show(store, &id, format),
    }
}

fn add(
    store: &Store,
    need_id: &str,
    offers: Vec<String>,
    amount: Option<String>,
    by: Option<String>,
    note: Option<String>,
) -> CliResult {
    let need = load_need(store, need_id)?;
    let mut l = Linkage::propose(need_id, &need, offers, today());
    l.made_by = Some(by.unwrap_or_else(|| store.author().to_string()));
    l.notes = note;
    if let Some(a) = amount {
        l.amount = parse_number(&a, 1, crate::model::need::PEOPLE_MAX)
            .map_err(|r| CliError::field("amount", r))?;
    }
    let outcome = store.execute(Command::Create {
        record: Record::Linkage(l),
    })?;
    output::print(&format!("{}\n", outcome.id))
}

/// The message for a refused step; `offers` name the offers by title.
pub fn step_error(e: &StepError, offers: &[(String, Offer)]) -> CliError {
    match e {
        StepError::NotAllowed { from, to } => CliError::field(
            "link_state",
            Rule::Other {
                message: tr!("linkage.bad_step", from = label(*from), to = label(*to)),
            },
        ),
        StepError::NoCapacity { offer, remaining } => CliError::field(
            "capacity",
            Rule::Other {
                message: tr!(
                    "linkage.no_capacity",
                    offer = offers
                        .iter()
                        .find(|(id, _)| id == offer)
                        .map_or(offer, |(_, o)| &o.title),
                    n = remaining
                ),
            },
        ),
    }
}

/// Runs a step: the linkage, its need and its offers in one batch.
pub fn step(store: &Store, id: &str, req: &StepRequest) -> CliResult<usize> {
    let l = load_linkage(store, id)?;
    let need = load_need(store, &l.need)?;
    let mut offers = Vec::with_capacity(l.offers.len());
    for oid in &l.offers {
        offers.push((oid.clone(), load_offer(store, oid)?));
    }
    let linkages = all(store, Kind::Linkage, pick_linkage)?;
    let other = need_has_other(&linkages, &l.need, id);
    let cmds = step_commands(id, &l, &l.need, &need, &offers, req, today(), other)
        .map_err(|e| step_error(&e, &offers))?;
    let n = cmds.len();
    if n > 0 {
        store.execute_all(cmds)?;
    }
    Ok(n)
}

fn set(
    store: &Store,
    id: &str,
    state: &str,
    satisfaction: Option<String>,
    note: Option<String>,
) -> CliResult {
    let mut e = ValidationErrors::default();
    let to = match parse_enum::<LinkageState>(state) {
        Ok(s) => Some(s),
        Err(r) => {
            e.push("link_state", r);
            None
        }
    };
    let satisfaction = match satisfaction.as_deref().map(|s| parse_number(s, 1, 5)) {
        Some(Ok(n)) => Some(n as u8),
        Some(Err(r)) => {
            e.push("satisfaction", r);
            None
        }
        None => None,
    };
    e.into_result()?;
    let Some(to) = to else {
        return Ok(());
    };
    let req = StepRequest {
        to,
        satisfaction,
        note,
    };
    let title = load_linkage(store, id)?.title;
    step(store, id, &req)?;
    output::message(&tr!("linkage.state_set", title = title, state = label(to)));
    Ok(())
}

const LINK_COLUMNS: &[&str] = &[
    "id",
    "title",
    "link_state",
    "need",
    "offers",
    "proposed",
    "satisfaction",
];

fn list(store: &Store, state: Option<String>, need: Option<String>, format: Format) -> CliResult {
    let state = state
        .as_deref()
        .map(parse_enum::<LinkageState>)
        .transpose()
        .map_err(|r| CliError::field("link_state", r))?;
    let mut links: Vec<(String, Linkage)> = all(store, Kind::Linkage, pick_linkage)?
        .into_iter()
        .filter(|(_, l)| state.is_none_or(|s| l.state == s))
        .filter(|(_, l)| need.as_deref().is_none_or(|n| l.need == n))
        .collect();
    links.sort_by(|a, b| {
        (a.1.state.index(), b.1.proposed, &a.0).cmp(&(b.1.state.index(), a.1.proposed, &b.0))
    });
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let sat = |s: Option<u8>| s.map(|s| s.to_string()).unwrap_or_default();
    // The table names the need and offers; CSV and JSON keep their ids.
    let need_names: HashMap<String, String> = store.names(Kind::Need)?.into_iter().collect();
    let offer_names: HashMap<String, String> = store.names(Kind::Offer)?.into_iter().collect();
    let name = |names: &HashMap<String, String>, id: &String| {
        names.get(id).cloned().unwrap_or_else(|| id.clone())
    };
    let table = links
        .iter()
        .map(|(id, l)| {
            vec![
                id.clone(),
                l.title.clone(),
                label(l.state).to_string(),
                name(&need_names, &l.need),
                l.offers
                    .iter()
                    .map(|o| name(&offer_names, o))
                    .collect::<Vec<_>>()
                    .join("、"),
                date(l.proposed),
                sat(l.satisfaction),
            ]
        })
        .collect();
    let csv = links
        .iter()
        .map(|(id, l)| {
            vec![
                id.clone(),
                l.title.clone(),
                l.state.key().to_string(),
                l.need.clone(),
                l.offers.join(";"),
                date(l.proposed),
                sat(l.satisfaction),
            ]
        })
        .collect();
    let json = links.iter().map(|(id, l)| record_json(id, l)).collect();
    print_list(LINK_COLUMNS, table, csv, json, format)
}

fn show(store: &Store, id: &str, format: Format) -> CliResult {
    let l = load_linkage(store, id)?;
    if format == Format::Json {
        return output::print(&output::json(&record_json(id, &l))?);
    }
    let offer_names = store
        .names(Kind::Offer)?
        .into_iter()
        .collect::<HashMap<_, _>>();
    let need = match store.get(Kind::Need, &l.need)? {
        Some(n) => format!("{} ({})", n.title(), l.need),
        None => l.need.clone(),
    };
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let rows = vec![
        ("id", id.to_string()),
        ("title", l.title.clone()),
        ("link_state", label(l.state).to_string()),
        ("need", need),
        (
            "offers",
            l.offers
                .iter()
                .map(|o| match offer_names.get(o) {
                    Some(n) => format!("{n} ({o})"),
                    None => o.clone(),
                })
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ("amount", l.amount.to_string()),
        ("made_by", l.made_by.clone().unwrap_or_default()),
        ("proposed", date(l.proposed)),
        ("accepted", date(l.accepted)),
        ("started", date(l.started)),
        ("finished", date(l.finished)),
        ("cancelled", date(l.cancelled)),
        (
            "satisfaction",
            l.satisfaction.map(|s| s.to_string()).unwrap_or_default(),
        ),
        ("notes", l.notes.clone().unwrap_or_default()),
    ];
    print_detail(rows, format)
}

#[derive(Debug, Args)]
pub struct MatchArgs {
    /// Id of the need
    #[arg(long)]
    pub need: String,
    /// How many offers, best first
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum LinkCommand {
    /// Propose a linkage of a need with one or more offers; prints its id
    Add {
        #[arg(long)]
        need: String,
        #[arg(long = "offer", value_name = "ID", required = true)]
        offers: Vec<String>,
        /// Units of each offer's capacity it takes (default 1)
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        /// Who made it (default: the system user)
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Move a linkage one step (proposed -> accepted -> in-progress -> done) or cancel it
    Set {
        id: String,
        /// accepted | in-progress | done | cancelled
        #[arg(long)]
        state: String,
        /// The residents' satisfaction, 1-5
        #[arg(long, allow_hyphen_values = true)]
        satisfaction: Option<String>,
        /// Outcome note (added to the linkage's notes)
        #[arg(long)]
        note: Option<String>,
    },
    /// List linkages
    List {
        /// proposed | accepted | in-progress | done | cancelled
        #[arg(long)]
        state: Option<String>,
        /// Only linkages of this need
        #[arg(long)]
        need: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Show one linkage
    Show {
        id: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}
