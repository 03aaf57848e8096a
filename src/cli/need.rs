//! `sanshe need add|list|show|edit|close`.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::error::{CliError, CliResult};
use super::linkage::{
    all, keys, labels, load_need, pick_need, place_name, print_detail, print_list, record_json,
};
use super::output::{self, Format};
use super::parse::list_flag;
use super::{parse_enum, place_names, today};
use crate::model::{
    Domain, Kind, Labeled, Need, NeedInput, NeedState, Record, Rule, Urgency, ValidationErrors,
};
use crate::store::{Command, Store};
use crate::sync::words::named;
use crate::text::label;
use crate::tr;
use clap::{Args, Subcommand};

pub fn run(store: &Store, cmd: NeedCommand) -> CliResult {
    match cmd {
        NeedCommand::Add(f) => add(store, f),
        NeedCommand::List(a) => list(store, a),
        NeedCommand::Show { id, format } => show(store, &id, format),
        NeedCommand::Edit { id, fields, clear } => edit(store, &id, fields, &clear),
        NeedCommand::Close { id, reason } => close(store, &id, reason),
    }
}

fn add(store: &Store, f: NeedFields) -> CliResult {
    let mut n = Need {
        raised: Some(today()),
        ..Default::default()
    };
    apply(&f, &mut n)?;
    let outcome = store.execute(Command::Create {
        record: Record::Need(n),
    })?;
    output::print(&format!("{}\n", outcome.id))
}

fn edit(store: &Store, id: &str, f: NeedFields, clear: &[String]) -> CliResult {
    let before = load_need(store, id)?;
    let mut after = before.clone();
    for c in clear {
        match c.replace('-', "_").as_str() {
            "description" => after.description = None,
            "contact" => after.contact = None,
            "target" | "targets" => after.targets.clear(),
            "people" => after.people = None,
            "raised" => after.raised = None,
            "wanted_by" => after.wanted_by = None,
            _ => {
                return Err(CliError::not_clearable(&[
                    "description",
                    "contact",
                    "targets",
                    "people",
                    "raised",
                    "wanted-by",
                ]))
            }
        }
    }
    apply(&f, &mut after)?;
    let record = named(Kind::Need, &after.title);
    let outcome = store.execute(Command::Update {
        id: id.to_string(),
        before: Record::Need(before),
        after: Record::Need(after),
    })?;
    output::message(&tr!("cli.edited", record = record, n = outcome.ops));
    Ok(())
}

fn close(store: &Store, id: &str, reason: String) -> CliResult {
    let before = load_need(store, id)?;
    let mut after = before.clone();
    after.state = NeedState::Closed;
    after.close_reason = Some(reason);
    let title = after.title.clone();
    store.execute(Command::Update {
        id: id.to_string(),
        before: Record::Need(before),
        after: Record::Need(after),
    })?;
    output::message(&tr!("linkage.need_closed", title = title));
    Ok(())
}

/// Applies the flags onto `n` (see [`crate::model::need_input::apply`]):
/// the rules the need form of the app applies too.
fn apply(f: &NeedFields, n: &mut Need) -> CliResult {
    let input = NeedInput::from(f);
    crate::model::need_input::apply(&input, n, today(), crate::text::lang())?;
    Ok(())
}

impl From<&NeedFields> for NeedInput {
    fn from(f: &NeedFields) -> Self {
        NeedInput {
            title: f.title.clone(),
            description: f.description.clone(),
            domains: list_flag(&f.domains),
            grid: f.grid.clone(),
            raised_by: f.raised_by.clone(),
            contact: f.contact.clone(),
            targets: list_flag(&f.targets),
            people: f.people.clone(),
            urgency: f.urgency.clone(),
            raised: f.raised.clone(),
            wanted_by: f.wanted_by.clone(),
            state: f.state.clone(),
        }
    }
}

const COLUMNS: &[&str] = &[
    "id",
    "title",
    "need_state",
    "urgency",
    "grid",
    "domains",
    "people",
    "raised",
];

/// Needs sorted for work: by state (open first), most urgent first, oldest first.
pub fn sort_needs(needs: &mut [(String, Need)]) {
    needs.sort_by(|a, b| {
        (
            a.1.state.index(),
            std::cmp::Reverse(a.1.urgency),
            a.1.raised,
            &a.0,
        )
            .cmp(&(
                b.1.state.index(),
                std::cmp::Reverse(b.1.urgency),
                b.1.raised,
                &b.0,
            ))
    });
}

fn list(store: &Store, a: NeedListArgs) -> CliResult {
    let mut e = ValidationErrors::default();
    let state = match a.state.as_deref().map(parse_enum::<NeedState>).transpose() {
        Ok(s) => s,
        Err(r) => {
            e.push("need_state", r);
            None
        }
    };
    let urgency = match a.urgency.as_deref().map(parse_enum::<Urgency>).transpose() {
        Ok(s) => s,
        Err(r) => {
            e.push("urgency", r);
            None
        }
    };
    let domain = match a.domain.as_deref().map(parse_enum::<Domain>).transpose() {
        Ok(s) => s,
        Err(r) => {
            e.push("domains", r);
            None
        }
    };
    e.into_result()?;
    let in_place: Option<HashSet<String>> = match &a.grid {
        Some(code) => {
            let code = crate::model::place::normalize_code(code);
            if store.place(&code)?.is_none() {
                return Err(CliError::field("grid", Rule::UnknownPlace { code }));
            }
            Some(places_under(store, &code)?)
        }
        None => None,
    };
    let mut needs: Vec<(String, Need)> = all(store, Kind::Need, pick_need)?
        .into_iter()
        .filter(|(_, n)| {
            state.is_none_or(|s| n.state == s)
                && urgency.is_none_or(|u| n.urgency == u)
                && domain.is_none_or(|d| n.domains.contains(&d))
                && in_place.as_ref().is_none_or(|set| set.contains(&n.grid))
        })
        .collect();
    sort_needs(&mut needs);
    let names = if a.format == Format::Table {
        place_names(store)?
    } else {
        Default::default()
    };
    let num = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    let date = |v: Option<NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
    let table = needs
        .iter()
        .map(|(id, n)| {
            vec![
                id.clone(),
                n.title.clone(),
                label(n.state).to_string(),
                label(n.urgency).to_string(),
                place_name(&names, &n.grid),
                labels(&n.domains),
                num(n.people),
                date(n.raised),
            ]
        })
        .collect();
    let csv = needs
        .iter()
        .map(|(id, n)| {
            vec![
                id.clone(),
                n.title.clone(),
                n.state.key().to_string(),
                n.urgency.key().to_string(),
                n.grid.clone(),
                keys(&n.domains),
                num(n.people),
                date(n.raised),
            ]
        })
        .collect();
    let json = needs.iter().map(|(id, n)| record_json(id, n)).collect();
    print_list(COLUMNS, table, csv, json, a.format)
}

/// A place code and every code below it.
pub fn places_under(store: &Store, code: &str) -> CliResult<HashSet<String>> {
    let places = store.places()?;
    let mut out: HashSet<String> = HashSet::from([code.to_string()]);
    // Parents come before children in no particular order: repeat until stable.
    loop {
        let before = out.len();
        for p in &places {
            if p.parent.as_ref().is_some_and(|parent| out.contains(parent)) {
                out.insert(p.code.clone());
            }
        }
        if out.len() == before {
            return Ok(out);
        }
    }
}

fn show(store: &Store, id: &str, format: Format) -> CliResult {
    let n = load_need(store, id)?;
    if format == Format::Json {
        return output::print(&output::json(&record_json(id, &n))?);
    }
    let names = place_names(store)?;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let date = |v: Option<NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
    let rows = vec![
        ("id", id.to_string()),
        ("title", n.title.clone()),
        ("need_state", label(n.state).to_string()),
        ("close_reason", opt(&n.close_reason)),
        ("urgency", label(n.urgency).to_string()),
        (
            "grid",
            format!("{} ({})", place_name(&names, &n.grid), n.grid),
        ),
        ("domains", labels(&n.domains)),
        ("targets", labels(&n.targets)),
        (
            "people",
            n.people.map(|p| p.to_string()).unwrap_or_default(),
        ),
        ("raised_by", label(n.raised_by).to_string()),
        ("contact", opt(&n.contact)),
        ("raised", date(n.raised)),
        ("wanted_by", date(n.wanted_by)),
        ("description", opt(&n.description)),
    ];
    print_detail(rows, format)
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum NeedCommand {
    /// Add a need; prints its id
    Add(NeedFields),
    /// List needs (open ones first by urgency)
    List(NeedListArgs),
    /// Show one need
    Show {
        id: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Change a need: only the fields given change
    Edit {
        id: String,
        #[command(flatten)]
        fields: NeedFields,
        /// Empty these fields (description, contact, targets, people, raised, wanted-by)
        #[arg(long, value_name = "FIELD")]
        clear: Vec<String>,
    },
    /// Close a need without a linkage, giving the reason
    Close {
        id: String,
        #[arg(long)]
        reason: String,
    },
}

/// Fields of a need, shared by `need add` and `need edit`.
#[derive(Debug, Args, Default)]
pub struct NeedFields {
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    /// Service domain (repeatable): elderly, children, ... or 养老服务, ...
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// Grid cell (or community) code
    #[arg(long)]
    pub grid: Option<String>,
    /// resident | household | committee | grid-worker
    #[arg(long)]
    pub raised_by: Option<String>,
    /// Who raised it and how to reach them
    #[arg(long)]
    pub contact: Option<String>,
    /// Target group (repeatable): elderly, children, youth, disabled, women,
    /// families, low-income, veterans, newcomers, all
    #[arg(long = "target", value_name = "GROUP")]
    pub targets: Vec<String>,
    /// People affected
    #[arg(long, allow_hyphen_values = true)]
    pub people: Option<String>,
    /// low | normal | high | urgent (default normal)
    #[arg(long)]
    pub urgency: Option<String>,
    /// Date raised (default today)
    #[arg(long, allow_hyphen_values = true)]
    pub raised: Option<String>,
    /// Wanted by this date
    #[arg(long, allow_hyphen_values = true)]
    pub wanted_by: Option<String>,
    /// open | matched | in-progress | done | closed (edit only)
    #[arg(long)]
    pub state: Option<String>,
}

#[derive(Debug, Args)]
pub struct NeedListArgs {
    /// open | matched | in-progress | done | closed
    #[arg(long)]
    pub state: Option<String>,
    /// Only this grid cell or community (and the places below it)
    #[arg(long)]
    pub grid: Option<String>,
    #[arg(long)]
    pub urgency: Option<String>,
    #[arg(long)]
    pub domain: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}
