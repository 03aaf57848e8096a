//! `sanshe filing ...`: 备案 of community organizations as a workflow
//! ([6/6]): the application with its materials, the committee's check, the
//! street's review, the filing number, changes, cancellation, preparing to
//! register and registration. Each step is dated and authored; the rules
//! (one step at a time, the organization in the register) are the store's
//! (`store/filing.rs`); the lists are `report::filing`'s.

use clap::{Args, Subcommand};
use serde_json::{json, Value as Json};

use super::error::{CliError, CliResult};
use super::output::{self, Format};
use super::parse::{field, parse_enum, today};
use super::resolve;
use crate::model::filing::{Filing, FilingState};
use crate::model::venture::Mark;
use crate::model::{money, parse::parse_date, Kind, Labeled, Record, Rule, ValidationErrors};
use crate::report::filing::{FilingRow, Filings};
use crate::store::{Command, Store, StoreError};
use crate::text::lang;
use crate::tr;

#[derive(Debug, Subcommand)]
pub enum FilingCommand {
    /// Receive a filing application with its materials; prints its id
    Add(FilingAddArgs),
    /// Move a filing one step on (checked, reviewed, filed, preparing, registered, returned, applied, cancelled)
    Step {
        /// The filing's id or name
        filing: String,
        /// The next state (key or Chinese label)
        #[arg(long)]
        to: String,
        #[arg(long, allow_hyphen_values = true)]
        date: Option<String>,
        #[arg(long)]
        note: Option<String>,
        /// The filing number (备案编号), required to reach filed
        #[arg(long)]
        number: Option<String>,
    },
    /// Record a change (变更) of a filed organization
    Change {
        /// The filing's id or name
        filing: String,
        /// What changed
        #[arg(long)]
        what: String,
        #[arg(long, allow_hyphen_values = true)]
        date: Option<String>,
    },
    /// The filings, newest application first, with counts per state
    List {
        /// Only this state (key or Chinese label)
        #[arg(long)]
        state: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// One filing with its materials, steps and changes
    Show {
        /// The filing's id or name
        filing: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Args)]
pub struct FilingAddArgs {
    /// The group's name
    #[arg(long)]
    pub name: String,
    /// Person in charge (负责人)
    #[arg(long)]
    pub person: String,
    /// Activity place (活动场所)
    #[arg(long)]
    pub place: String,
    #[arg(long)]
    pub phone: Option<String>,
    /// Community (or grid cell) code
    #[arg(long)]
    pub community: Option<String>,
    /// A charter (章程) was handed in
    #[arg(long)]
    pub charter: bool,
    /// Members on the roster handed in
    #[arg(long, allow_hyphen_values = true)]
    pub members: Option<String>,
    /// Funds in yuan (5000, 0.5万)
    #[arg(long, allow_hyphen_values = true)]
    pub funds: Option<String>,
    /// Area of activity (活动范围); service domains named in it become the organization's
    #[arg(long)]
    pub scope: Option<String>,
    /// The organization in the register (id or name), if it is there already
    #[arg(long)]
    pub org: Option<String>,
    /// Date of application [default: today]
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

pub fn run(store: &Store, cmd: FilingCommand) -> CliResult {
    match cmd {
        FilingCommand::Add(a) => add(store, a),
        FilingCommand::Step {
            filing,
            to,
            date,
            note,
            number,
        } => step(store, &filing, &to, date, note, number),
        FilingCommand::Change { filing, what, date } => change(store, &filing, &what, date),
        FilingCommand::List { state, format } => list(store, state, format),
        FilingCommand::Show { filing, format } => show(store, &filing, format),
    }
}

fn add(store: &Store, a: FilingAddArgs) -> CliResult {
    let org = match &a.org {
        Some(o) => Some(resolve(store, Kind::Org, "org", o)?),
        None => None,
    };
    let mut e = ValidationErrors::default();
    let date = match &a.date {
        Some(d) => field(parse_date(d, today()), "date", &mut e),
        None => Some(today()),
    };
    let members = a.members.as_deref().and_then(|v| {
        field(
            crate::model::parse::parse_count(v, crate::model::org::COUNT_MAX as u32),
            "members",
            &mut e,
        )
    });
    let funds = a.funds.as_deref().and_then(|v| {
        field(
            money::parse(v, money::Unit::Yuan).ok_or(Rule::Money {
                max: money::format(money::MAX_FEN),
            }),
            "funds",
            &mut e,
        )
    });
    let phone = a.phone.as_deref().and_then(|p| {
        field(
            crate::model::phone::normalize(p).ok_or(Rule::Phone),
            "phone",
            &mut e,
        )
    });
    e.into_result()?;
    let mut f = Filing::new(&a.name, &a.person, &a.place);
    f.org = org;
    f.phone = phone;
    f.community = a.community;
    f.charter = a.charter;
    f.members = members;
    f.funds_fen = funds;
    f.scope = a.scope;
    f.notes = a.notes;
    f.push_step(
        FilingState::Applied,
        Mark {
            date: date.unwrap_or_else(today),
            author: Some(store.writing_user()),
            note: None,
        },
    );
    f.normalize();
    f.validate()?;
    let name = f.name.clone();
    let id = store
        .execute(Command::Create {
            record: Record::Filing(f),
        })?
        .id;
    output::message(&tr!("filing.added", name = name));
    output::print(&format!("{id}\n"))
}

fn get(store: &Store, id: &str) -> CliResult<Filing> {
    match store.get(Kind::Filing, id)? {
        Some(Record::Filing(f)) => Ok(f),
        _ => Err(StoreError::NotFound {
            kind: Kind::Filing,
            id: id.to_string(),
        }
        .into()),
    }
}

fn step(
    store: &Store,
    filing: &str,
    to: &str,
    date: Option<String>,
    note: Option<String>,
    number: Option<String>,
) -> CliResult {
    let id = resolve(store, Kind::Filing, "filing", filing)?;
    let before = get(store, &id)?;
    let mut e = ValidationErrors::default();
    let to = field(parse_enum::<FilingState>(to), "step", &mut e);
    let date = match &date {
        Some(d) => field(parse_date(d, today()), "date", &mut e),
        None => Some(today()),
    };
    e.into_result()?;
    let (Some(to), Some(date)) = (to, date) else {
        return Ok(());
    };
    let after = before.stepped(
        to,
        Mark {
            date,
            author: Some(store.writing_user()),
            note,
        },
        number,
    );
    let lg = lang();
    let from = before.state;
    let name = before.name.clone();
    let had_org = before.org.is_some();
    store.execute(Command::Update {
        id: id.clone(),
        before: Record::Filing(before),
        after: Record::Filing(after),
    })?;
    output::message(&tr!(
        "filing.stepped",
        name = name,
        from = from.label(lg),
        to = to.label(lg)
    ));
    if !had_org {
        if let Some(org) = get(store, &id)?.org {
            let org_name = store
                .org(&org)?
                .map(|o| o.name)
                .unwrap_or_else(|| org.clone());
            output::message(&tr!("filing.linked", org = format!("{org_name} ({org})")));
        }
    }
    Ok(())
}

fn change(store: &Store, filing: &str, what: &str, date: Option<String>) -> CliResult {
    let id = resolve(store, Kind::Filing, "filing", filing)?;
    let before = get(store, &id)?;
    let date = match &date {
        Some(d) => parse_date(d, today()).map_err(|r| CliError::field("date", r))?,
        None => today(),
    };
    let mut after = before.clone();
    after.push_change(Mark {
        date,
        author: Some(store.writing_user()),
        note: Some(what.to_string()),
    });
    after.normalize();
    let name = before.name.clone();
    store.execute(Command::Update {
        id,
        before: Record::Filing(before),
        after: Record::Filing(after),
    })?;
    output::message(&tr!("filing.changed", name = name));
    Ok(())
}

/// A filing as JSON (the list's rows and `show`).
pub fn filing_json(r: &FilingRow) -> Json {
    let f = &r.filing;
    let lg = lang();
    json!({
        "id": r.id,
        "name": f.name,
        "org": f.org,
        "org_name": r.org_name,
        "state": f.state.key(),
        "state_name": f.state.label(lg),
        "number": f.number,
        "since": r.since,
        "applied": r.applied,
        "person_in_charge": f.person_in_charge,
        "phone": f.phone,
        "place": f.place,
        "community": f.community,
        "community_name": r.community_name,
        "charter": f.charter,
        "members": f.members,
        "funds": f.funds_fen.map(|x| x as f64 / 100.0),
        "funds_fen": f.funds_fen,
        "scope": f.scope,
        "steps": f.step_list().iter().map(|(s, m)| json!({
            "state": s.key(),
            "state_name": s.label(lg),
            "date": m.date,
            "author": m.author,
            "note": m.note,
        })).collect::<Vec<_>>(),
        "changes": f.change_list().iter().map(|m| json!({
            "date": m.date,
            "author": m.author,
            "what": m.note,
        })).collect::<Vec<_>>(),
        "next": f.state.next().iter().map(|s| s.key()).collect::<Vec<_>>(),
        "notes": f.notes,
    })
}

fn list(store: &Store, state: Option<String>, format: Format) -> CliResult {
    let state = match &state {
        Some(s) => Some(parse_enum::<FilingState>(s).map_err(|r| CliError::field("state", r))?),
        None => None,
    };
    let all = Filings::load(store)?;
    let rows = all.in_state(state);
    if format == Format::Json {
        let arr: Vec<Json> = rows.iter().map(|r| filing_json(r)).collect();
        return output::print(&output::json(&Json::Array(arr))?);
    }
    let lg = lang();
    let col = |k: &str| tr!(&format!("filing.col.{k}"));
    let header: Vec<String> = [
        "id",
        "name",
        "person",
        "community",
        "state",
        "since",
        "number",
        "org",
    ]
    .iter()
    .map(|k| col(k))
    .collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let f = &r.filing;
            vec![
                r.id.clone(),
                f.name.clone(),
                f.person_in_charge.clone(),
                r.community_name
                    .clone()
                    .or_else(|| f.community.clone())
                    .unwrap_or_default(),
                if format == Format::Csv {
                    f.state.key().to_string()
                } else {
                    f.state.label(lg).to_string()
                },
                r.since.map(|d| d.to_string()).unwrap_or_default(),
                f.number.clone().unwrap_or_default(),
                r.org_name.clone().unwrap_or_default(),
            ]
        })
        .collect();
    if format == Format::Csv {
        return output::print(&output::csv(&header, &cells)?);
    }
    let mut text = output::table(&header, &cells);
    let counts: Vec<String> = all
        .by_state()
        .iter()
        .map(|(s, n)| format!("{} {n}", s.label(lg)))
        .collect();
    text.push_str(&tr!("filing.count", n = all.rows.len()));
    if !counts.is_empty() {
        text.push_str(&format!(" ({})", counts.join("，")));
    }
    text.push('\n');
    output::print(&text)
}

fn show(store: &Store, filing: &str, format: Format) -> CliResult {
    let id = resolve(store, Kind::Filing, "filing", filing)?;
    let all = Filings::load(store)?;
    let Some(r) = all.get(&id) else {
        return Err(StoreError::NotFound {
            kind: Kind::Filing,
            id,
        }
        .into());
    };
    if format == Format::Json {
        return output::print(&output::json(&filing_json(r))?);
    }
    let f = &r.filing;
    let lg = lang();
    let fl = |k: &str| crate::text::field_label(k);
    let mut rows = vec![
        vec![fl("name"), f.name.clone()],
        vec![fl("filing_state"), f.state.label(lg).to_string()],
        vec![fl("person_in_charge"), f.person_in_charge.clone()],
        vec![fl("place"), f.place.clone()],
    ];
    let mut opt = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            rows.push(vec![fl(k), v]);
        }
    };
    opt("number", f.number.clone());
    opt(
        "org",
        f.org
            .as_ref()
            .map(|o| format!("{} ({o})", r.org_name.clone().unwrap_or_default())),
    );
    opt("phone", f.phone.clone());
    opt(
        "community",
        f.community.as_ref().map(|c| match &r.community_name {
            Some(n) => format!("{n} ({c})"),
            None => c.clone(),
        }),
    );
    opt(
        "charter",
        Some(if f.charter {
            tr!("change.yes")
        } else {
            tr!("change.no")
        }),
    );
    opt("members", f.members.map(|m| m.to_string()));
    opt("funds", f.funds_fen.map(money::format));
    opt("scope", f.scope.clone());
    opt("notes", f.notes.clone());
    for (s, m) in f.step_list() {
        let mut v = format!("{} {}", s.label(lg), m.date);
        if let Some(a) = &m.author {
            v.push_str(&format!(" {a}"));
        }
        if let Some(n) = &m.note {
            v.push_str(&format!(": {n}"));
        }
        rows.push(vec![fl("steps"), v]);
    }
    for m in f.change_list() {
        rows.push(vec![
            fl("changes"),
            format!(
                "{} {}{}",
                m.date,
                m.author.clone().unwrap_or_default(),
                m.note
                    .as_deref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            ),
        ]);
    }
    output::print(&output::detail(&rows))
}
