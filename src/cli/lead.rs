//! `sanshe lead ...`: leads on illegal social organizations ([6/6]). Only
//! staff with the right see them (the owner, root, or `sanshe access add
//! USER --leads`); the reporter's name and phone are never printed unless
//! `lead show --show-reporter` by a user with `--reporter` too.

use clap::{Args, Subcommand};
use serde_json::{json, Value as Json};

use super::error::{CliError, CliResult};
use super::output::{self, Format};
use super::parse::{field, parse_enum, today};
use crate::model::lead::{Lead, LeadCategory, LeadSource, LeadState};
use crate::model::venture::Mark;
use crate::model::{parse::parse_date, Kind, Labeled, Record, ValidationErrors};
use crate::store::{session, Command, Store, StoreError};
use crate::text::lang;
use crate::tr;

#[derive(Debug, Subcommand)]
pub enum LeadCommand {
    /// Record a lead; prints its id
    Add(LeadAddArgs),
    /// The leads (never who reported them)
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// One lead
    Show {
        /// The lead's id
        lead: String,
        /// Also who reported it (needs the right: sanshe access add USER --leads --reporter)
        #[arg(long)]
        show_reporter: bool,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Move a lead one state on (checking, reported, transferred, banned, dissuaded, not-illegal, closed)
    Step {
        /// The lead's id
        lead: String,
        #[arg(long)]
        to: String,
        /// To whom it was reported or transferred
        #[arg(long)]
        reported_to: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        date: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct LeadAddArgs {
    /// The name the group uses
    #[arg(long)]
    pub name_used: String,
    /// Where it is active
    #[arg(long)]
    pub place: String,
    /// What was seen or reported
    #[arg(long)]
    pub facts: String,
    /// Person in charge or founder
    #[arg(long)]
    pub founder: Option<String>,
    /// A publicity channel (repeatable)
    #[arg(long = "channel", value_name = "CHANNEL")]
    pub channels: Vec<String>,
    #[arg(long)]
    pub evidence: Option<String>,
    /// grid-worker | resident | patrol | referral | internet
    #[arg(long)]
    pub source: Option<String>,
    /// unregistered | preparatory | revoked
    #[arg(long)]
    pub category: Option<String>,
    /// Who reported it (kept confidential)
    #[arg(long)]
    pub reporter: Option<String>,
    /// The reporter's phone (kept confidential)
    #[arg(long)]
    pub reporter_phone: Option<String>,
}

/// Refused unless this user may see leads.
pub fn allowed() -> CliResult {
    if session::may_see_leads() {
        Ok(())
    } else {
        Err(CliError::Failed(tr!("lead.not_allowed")))
    }
}

pub fn run(store: &Store, cmd: LeadCommand) -> CliResult {
    allowed()?;
    match cmd {
        LeadCommand::Add(a) => add(store, a),
        LeadCommand::List { format } => list(store, format),
        LeadCommand::Show {
            lead,
            show_reporter,
            format,
        } => show(store, &lead, show_reporter, format),
        LeadCommand::Step {
            lead,
            to,
            reported_to,
            date,
            note,
        } => step(store, &lead, &to, reported_to, date, note),
    }
}

fn add(store: &Store, a: LeadAddArgs) -> CliResult {
    let mut e = ValidationErrors::default();
    let source = a
        .source
        .as_deref()
        .and_then(|v| field(parse_enum::<LeadSource>(v), "source", &mut e));
    let category = a
        .category
        .as_deref()
        .and_then(|v| field(parse_enum::<LeadCategory>(v), "category", &mut e));
    e.into_result()?;
    let mut steps = std::collections::BTreeMap::new();
    steps.insert(
        LeadState::Lead.key().to_string(),
        Mark {
            date: today(),
            author: Some(store.writing_user()),
            note: None,
        },
    );
    let mut l = Lead {
        name_used: a.name_used,
        founder: a.founder,
        place: a.place,
        channels: a.channels,
        facts: a.facts,
        evidence: a.evidence,
        source: source.unwrap_or_default(),
        category: category.unwrap_or_default(),
        state: LeadState::Lead,
        steps,
        reported_to: None,
        reporter: a.reporter,
        reporter_phone: a.reporter_phone,
        notes: None,
    };
    l.normalize();
    l.validate()?;
    let id = store
        .execute(Command::Create {
            record: Record::Lead(l),
        })?
        .id;
    output::message(&tr!("lead.added"));
    output::print(&format!("{id}\n"))
}

fn all(store: &Store) -> CliResult<Vec<(String, Lead)>> {
    let mut v: Vec<(String, Lead)> = store
        .all(Kind::Lead)?
        .into_iter()
        .filter_map(|(id, r)| match r {
            Record::Lead(l) => Some((id, l)),
            _ => None,
        })
        .collect();
    // Newest lead first (by the day it came in), then by id.
    let came = |l: &Lead| l.steps.get(LeadState::Lead.key()).map(|m| m.date);
    v.sort_by(|a, b| came(&b.1).cmp(&came(&a.1)).then_with(|| a.0.cmp(&b.0)));
    Ok(v)
}

/// A lead as JSON, never with the reporter (see `show --show-reporter`).
fn lead_json(id: &str, l: &Lead) -> Json {
    let lg = lang();
    json!({
        "id": id,
        "name_used": l.name_used,
        "founder": l.founder,
        "place": l.place,
        "channels": l.channels,
        "facts": l.facts,
        "evidence": l.evidence,
        "source": l.source.key(),
        "category": l.category.key(),
        "state": l.state.key(),
        "state_name": l.state.label(lg),
        "reported_to": l.reported_to,
        "steps": LeadState::ALL.iter().filter_map(|s| l.steps.get(s.key()).map(|m| json!({
            "state": s.key(), "date": m.date, "author": m.author, "note": m.note,
        }))).collect::<Vec<_>>(),
    })
}

fn get(store: &Store, id: &str) -> CliResult<Lead> {
    match store.get(Kind::Lead, id.trim())? {
        Some(Record::Lead(l)) => Ok(l),
        _ => Err(StoreError::NotFound {
            kind: Kind::Lead,
            id: id.trim().to_string(),
        }
        .into()),
    }
}

fn list(store: &Store, format: Format) -> CliResult {
    let leads = all(store)?;
    if format == Format::Json {
        let arr: Vec<Json> = leads.iter().map(|(id, l)| lead_json(id, l)).collect();
        return output::print(&output::json(&Json::Array(arr))?);
    }
    let lg = lang();
    let col = |k: &str| tr!(&format!("lead.col.{k}"));
    let header: Vec<String> = ["id", "name_used", "place", "source", "state"]
        .iter()
        .map(|k| col(k))
        .collect();
    let rows: Vec<Vec<String>> = leads
        .iter()
        .map(|(id, l)| {
            vec![
                id.clone(),
                l.name_used.clone(),
                l.place.clone(),
                l.source.label(lg).to_string(),
                l.state.label(lg).to_string(),
            ]
        })
        .collect();
    if format == Format::Csv {
        return output::print(&output::csv(&header, &rows)?);
    }
    output::print(&output::table(&header, &rows))
}

fn show(store: &Store, id: &str, show_reporter: bool, format: Format) -> CliResult {
    if show_reporter && !session::may_see_reporter() {
        return Err(CliError::Failed(tr!("lead.reporter_not_allowed")));
    }
    let l = get(store, id)?;
    let mut j = lead_json(id.trim(), &l);
    if show_reporter {
        j["reporter"] = json!(l.reporter);
        j["reporter_phone"] = json!(l.reporter_phone);
    }
    if format == Format::Json {
        return output::print(&output::json(&j)?);
    }
    let lg = lang();
    let f = |k: &str| crate::text::field_label(k);
    let mut rows = vec![
        vec![f("name_used"), l.name_used.clone()],
        vec![f("place"), l.place.clone()],
        vec![f("facts"), l.facts.clone()],
        vec![f("source"), l.source.label(lg).to_string()],
        vec![f("category"), l.category.label(lg).to_string()],
        vec![f("lead_state"), l.state.label(lg).to_string()],
    ];
    for (k, v) in [
        ("founder", &l.founder),
        ("evidence", &l.evidence),
        ("reported_to", &l.reported_to),
    ] {
        if let Some(v) = v {
            rows.push(vec![f(k), v.clone()]);
        }
    }
    if !l.channels.is_empty() {
        rows.push(vec![f("channels"), l.channels.join("、")]);
    }
    if show_reporter {
        rows.push(vec![f("reporter"), l.reporter.clone().unwrap_or_default()]);
        rows.push(vec![
            f("reporter_phone"),
            l.reporter_phone.clone().unwrap_or_default(),
        ]);
    }
    output::print(&output::detail(&rows))
}

fn step(
    store: &Store,
    id: &str,
    to: &str,
    reported_to: Option<String>,
    date: Option<String>,
    note: Option<String>,
) -> CliResult {
    let before = get(store, id)?;
    let mut e = ValidationErrors::default();
    let to = field(parse_enum::<LeadState>(to), "step", &mut e);
    let date = match &date {
        Some(d) => field(parse_date(d, today()), "date", &mut e),
        None => Some(today()),
    };
    e.into_result()?;
    let (Some(to), Some(date)) = (to, date) else {
        return Ok(());
    };
    let mut after = before.clone();
    after.state = to;
    after.steps.insert(
        to.key().to_string(),
        Mark {
            date,
            author: Some(store.writing_user()),
            note,
        },
    );
    if reported_to.is_some() {
        after.reported_to = reported_to;
    }
    after.normalize();
    let lg = lang();
    let from = before.state;
    store.execute(Command::Update {
        id: id.trim().to_string(),
        before: Record::Lead(before),
        after: Record::Lead(after),
    })?;
    output::message(&tr!(
        "incubation.stepped",
        from = from.label(lg),
        to = to.label(lg)
    ));
    Ok(())
}
