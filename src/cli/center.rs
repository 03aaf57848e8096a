//! `sanshe center ...`: the center's own profile (policy section 五) and
//! its compliance checklist. One profile per office; `edit` creates it the
//! first time (with `--name`).

use clap::{Args, Subcommand};
use serde_json::{json, Value as Json};

use super::error::{CliError, CliResult};
use super::output::{self, Format};
use super::parse::{field, parse_enum, today};
use super::venture::yuan;
use crate::model::center::{
    BoardRole, BoardSeat, Center, Check, Funding, FundingKind, Meeting, OfficeUse, Operation,
    Rules, Staff,
};
use crate::model::parse::{parse_date, parse_tenths};
use crate::model::venture::Mark;
use crate::model::{Kind, Labeled, Record, Rule, ValidationErrors};
use crate::report::center as rc;
use crate::store::{Command, Store};
use crate::text::lang;
use crate::tr;

#[derive(Debug, Subcommand)]
pub enum CenterCommand {
    /// The profile and the compliance checklist
    Show {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Every office's center (a district database holds several)
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Change the profile (creates it the first time, with --name)
    Edit(Box<EditArgs>),
    /// Add, change or remove a member of staff
    Staff(StaffArgs),
    /// Add, change or remove a board seat
    Board(BoardArgs),
    /// Add or remove a source of funding
    Fund(FundArgs),
    /// Record a coordination meeting (定期会商)
    Meeting(MeetingArgs),
    /// Answer a checklist item by hand, with its evidence
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct EditArgs {
    #[arg(long)]
    pub name: Option<String>,
    /// The center's own record in the register (id or exact name)
    #[arg(long)]
    pub org: Option<String>,
    #[arg(long)]
    pub authority_contact: Option<String>,
    #[arg(long)]
    pub street_contact: Option<String>,
    /// How the public complains (phone, mailbox)
    #[arg(long)]
    pub complaints: Option<String>,
    #[arg(long)]
    pub address: Option<String>,
    /// Office area in square metres
    #[arg(long, value_name = "M2")]
    pub office_area: Option<String>,
    /// independent | shared
    #[arg(long)]
    pub office_use: Option<String>,
    /// A piece of equipment (repeatable; replaces the list)
    #[arg(long = "equipment", value_name = "ITEM")]
    pub equipment: Vec<String>,
    /// self-run | contracted
    #[arg(long)]
    pub operation: Option<String>,
    #[arg(long)]
    pub operator: Option<String>,
    #[arg(long)]
    pub contract: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub contract_from: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub contract_to: Option<String>,
    #[arg(long)]
    pub director: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct StaffArgs {
    pub name: String,
    #[arg(long, conflicts_with = "remove")]
    pub part_time: bool,
    #[arg(long)]
    pub qualification: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub from: Option<String>,
    /// The day they left
    #[arg(long, allow_hyphen_values = true)]
    pub to: Option<String>,
    #[arg(long)]
    pub remove: bool,
}

#[derive(Debug, Args)]
pub struct BoardArgs {
    pub name: String,
    /// chair | member | supervisor (理事长, 理事, 监事)
    #[arg(long, required_unless_present = "remove")]
    pub role: Option<String>,
    #[arg(long, allow_hyphen_values = true, required_unless_present = "remove")]
    pub from: Option<String>,
    #[arg(long, allow_hyphen_values = true, required_unless_present = "remove")]
    pub to: Option<String>,
    #[arg(long)]
    pub remove: bool,
}

#[derive(Debug, Args)]
pub struct FundArgs {
    /// purchase | grant | award | donation | other
    #[arg(long)]
    pub kind: String,
    #[arg(long)]
    pub payer: String,
    /// Yuan (40000, 3.5万)
    #[arg(long)]
    pub amount: String,
    #[arg(long, allow_hyphen_values = true)]
    pub from: String,
    #[arg(long, allow_hyphen_values = true)]
    pub to: String,
    #[arg(long)]
    pub contract: Option<String>,
}

#[derive(Debug, Args)]
pub struct MeetingArgs {
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    /// With whom (街道办事处, 居委会...)
    #[arg(long)]
    pub with: String,
    #[arg(long)]
    pub topic: String,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The item's key (center show lists them)
    pub key: String,
    #[arg(long, conflicts_with = "fail", required_unless_present = "fail")]
    pub ok: bool,
    #[arg(long)]
    pub fail: bool,
    #[arg(long)]
    pub evidence: String,
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
}

fn date_of(v: &Option<String>, name: &str, e: &mut ValidationErrors) -> Option<chrono::NaiveDate> {
    v.as_deref()
        .and_then(|d| field(parse_date(d, today()), name, e))
}

pub fn run(store: &Store, cmd: CenterCommand, rules: &Rules) -> CliResult {
    match cmd {
        CenterCommand::Show { format } => show(store, rules, format),
        CenterCommand::List { format } => list(store, format),
        CenterCommand::Edit(a) => edit(store, *a),
        CenterCommand::Staff(a) => change(store, |c, e| {
            if a.remove {
                return remove(&mut c.staff, &a.name);
            }
            let from = date_of(&a.from, "from", e);
            let to = date_of(&a.to, "staff_to", e);
            c.staff.insert(
                a.name.trim().to_string(),
                Staff {
                    full_time: !a.part_time,
                    qualification: a.qualification.clone(),
                    from,
                    to,
                },
            );
            Ok(())
        }),
        CenterCommand::Board(a) => change(store, |c, e| {
            if a.remove {
                return remove(&mut c.board, &a.name);
            }
            let role = a
                .role
                .as_deref()
                .and_then(|r| field(parse_enum::<BoardRole>(r), "role", e));
            let from = date_of(&a.from, "board_from", e);
            let to = date_of(&a.to, "board_to", e);
            if let (Some(role), Some(from), Some(to)) = (role, from, to) {
                c.board
                    .insert(a.name.trim().to_string(), BoardSeat { role, from, to });
            }
            Ok(())
        }),
        CenterCommand::Fund(a) => change(store, |c, e| {
            let kind = field(parse_enum::<FundingKind>(&a.kind), "kind", e);
            let amount = crate::model::money::parse(&a.amount, crate::model::money::Unit::Yuan);
            if amount.is_none() {
                e.push(
                    "amount",
                    Rule::Money {
                        max: crate::model::money::format(crate::model::money::MAX_FEN),
                    },
                );
            }
            let from = field(parse_date(&a.from, today()), "funding_from", e);
            let to = field(parse_date(&a.to, today()), "funding_to", e);
            if let (Some(kind), Some(amount_fen), Some(from), Some(to)) = (kind, amount, from, to) {
                let f = Funding {
                    kind,
                    payer: a.payer.trim().to_string(),
                    contract: a.contract.clone().map(|s| s.trim().to_string()),
                    amount_fen,
                    from,
                    to,
                };
                c.funding.insert(f.key(), f);
            }
            Ok(())
        }),
        CenterCommand::Meeting(a) => change(store, |c, e| {
            let date = match &a.date {
                Some(d) => field(parse_date(d, today()), "meeting_date", e),
                None => Some(today()),
            };
            if let Some(date) = date {
                let m = Meeting {
                    date,
                    with: a.with.trim().to_string(),
                    topic: a.topic.trim().to_string(),
                    notes: a.notes.clone(),
                };
                c.meetings.insert(m.key(), m);
            }
            Ok(())
        }),
        CenterCommand::Check(a) => {
            let keys = rc::manual_keys(rules);
            if !keys.contains(&a.key) {
                return Err(CliError::Usage(tr!(
                    "center.unknown_check",
                    key = a.key,
                    keys = keys.join(", ")
                )));
            }
            let author = store.writing_user();
            change(store, |c, e| {
                let date = match &a.date {
                    Some(d) => field(parse_date(d, today()), "date", e),
                    None => Some(today()),
                };
                if a.evidence.trim().is_empty() {
                    e.push("evidence", Rule::Required);
                }
                if let Some(date) = date {
                    c.checks.insert(
                        a.key.clone(),
                        Check {
                            ok: a.ok,
                            evidence: a.evidence.trim().to_string(),
                            mark: Mark {
                                date,
                                author: Some(author.clone()),
                                note: None,
                            },
                        },
                    );
                }
                Ok(())
            })
        }
    }
}

fn remove<V>(map: &mut std::collections::BTreeMap<String, V>, name: &str) -> CliResult {
    match map.remove(name.trim()) {
        Some(_) => Ok(()),
        None => Err(CliError::field(
            "name",
            Rule::Other {
                message: tr!("center.not_found", what = name.trim()),
            },
        )),
    }
}

/// This office's center, or the message saying how to make it.
fn own(store: &Store) -> CliResult<(String, Center)> {
    rc::own(store)?.ok_or_else(|| CliError::Failed(tr!("center.none")))
}

/// Changes this office's center with `f` (its input errors collected in
/// the second argument) and saves it; nothing is written on an error.
fn change(
    store: &Store,
    f: impl FnOnce(&mut Center, &mut ValidationErrors) -> CliResult,
) -> CliResult {
    let (id, before) = own(store)?;
    let mut after = before.clone();
    let mut e = ValidationErrors::default();
    f(&mut after, &mut e)?;
    e.into_result()?;
    save(store, Some(id), before, after)
}

fn save(store: &Store, id: Option<String>, before: Center, mut after: Center) -> CliResult {
    after.normalize();
    after.validate()?;
    match id {
        Some(id) => store.execute(Command::Update {
            id,
            before: Record::Center(before),
            after: Record::Center(after),
        })?,
        None => store.execute(Command::Create {
            record: Record::Center(after),
        })?,
    };
    output::message(&tr!("center.saved"));
    Ok(())
}

fn edit(store: &Store, a: EditArgs) -> CliResult {
    let existing = rc::own(store)?;
    let (id, before) = match existing {
        Some((id, c)) => (Some(id), c),
        None => {
            let Some(name) = &a.name else {
                return Err(CliError::field("name", Rule::Required));
            };
            (None, Center::new(&store.office(), name))
        }
    };
    let mut c = before.clone();
    let mut e = ValidationErrors::default();
    if let Some(v) = a.name {
        c.name = v;
    }
    if let Some(v) = a.org {
        c.org = if v.trim().is_empty() {
            None
        } else {
            Some(super::resolve(store, Kind::Org, "org", &v)?)
        };
    }
    let set = |slot: &mut Option<String>, v: Option<String>| {
        if let Some(v) = v {
            *slot = Some(v);
        }
    };
    set(&mut c.authority_contact, a.authority_contact);
    set(&mut c.street_contact, a.street_contact);
    set(&mut c.complaints, a.complaints);
    set(&mut c.address, a.address);
    set(&mut c.operator, a.operator);
    set(&mut c.contract, a.contract);
    set(&mut c.director, a.director);
    set(&mut c.notes, a.notes);
    if let Some(v) = &a.office_area {
        c.office_area_tenths = field(parse_tenths(v, 100_000), "office_area", &mut e);
    }
    if let Some(v) = &a.office_use {
        if let Some(u) = field(parse_enum::<OfficeUse>(v), "office_use", &mut e) {
            c.office_use = u;
        }
    }
    if let Some(v) = &a.operation {
        if let Some(o) = field(parse_enum::<Operation>(v), "operation", &mut e) {
            c.operation = o;
        }
    }
    if !a.equipment.is_empty() {
        c.equipment = a.equipment;
    }
    if a.contract_from.is_some() {
        c.contract_from = date_of(&a.contract_from, "contract_from", &mut e);
    }
    if a.contract_to.is_some() {
        c.contract_to = date_of(&a.contract_to, "contract_to", &mut e);
    }
    e.into_result()?;
    save(store, id, before, c)
}

fn list(store: &Store, format: Format) -> CliResult {
    let all = rc::all(store)?;
    if format == Format::Json {
        let arr: Vec<Json> = all
            .iter()
            .map(|(id, c)| json!({ "id": id, "office": c.office, "name": c.name }))
            .collect();
        return output::print(&output::json(&Json::Array(arr))?);
    }
    let header = vec![
        tr!("center.label.office"),
        tr!("center.label.name"),
        tr!("center.label.director"),
    ];
    let rows: Vec<Vec<String>> = all
        .iter()
        .map(|(_, c)| {
            vec![
                c.office.clone(),
                c.name.clone(),
                c.director.clone().unwrap_or_default(),
            ]
        })
        .collect();
    if format == Format::Csv {
        return output::print(&output::csv(&header, &rows)?);
    }
    output::print(&output::table(&header, &rows))
}

fn show(store: &Store, rules: &Rules, format: Format) -> CliResult {
    let (id, c) = own(store)?;
    let (items, org) = rc::checklist_of(store, &c, rules, today())?;
    let lg = lang();
    let org_name = org.map(|o| o.name);
    if format == Format::Json {
        let compliance: Vec<Json> = items
            .iter()
            .map(|i| {
                json!({
                    "key": i.key,
                    "clause": i.clause,
                    "status": i.status,
                    "detail": rc::detail_text(i, lg),
                    "label": rc::item_label(i, rules, lg),
                    "manual": i.manual,
                })
            })
            .collect();
        let v = json!({
            "id": id,
            "office": c.office,
            "name": c.name,
            "org": c.org,
            "org_name": org_name,
            "authority_contact": c.authority_contact,
            "street_contact": c.street_contact,
            "complaints": c.complaints,
            "address": c.address,
            "office_area": c.office_area_tenths.map(|t| f64::from(t) / 10.0),
            "office_use": c.office_use.key(),
            "equipment": c.equipment,
            "operation": c.operation.key(),
            "operator": c.operator,
            "contract": c.contract,
            "contract_from": c.contract_from,
            "contract_to": c.contract_to,
            "director": c.director,
            "staff": c.staff.iter().map(|(n, s)| json!({
                "name": n, "full_time": s.full_time, "qualification": s.qualification,
                "from": s.from, "to": s.to,
            })).collect::<Vec<_>>(),
            "board": c.board.iter().map(|(n, b)| json!({
                "name": n, "role": b.role.key(), "from": b.from, "to": b.to,
            })).collect::<Vec<_>>(),
            "funding": c.funding.iter().map(|(k, f)| json!({
                "key": k, "kind": f.kind.key(), "payer": f.payer, "contract": f.contract,
                "amount": yuan(f.amount_fen), "from": f.from, "to": f.to,
            })).collect::<Vec<_>>(),
            "meetings": c.meetings.values().map(|m| json!({
                "date": m.date, "with": m.with, "topic": m.topic, "notes": m.notes,
            })).collect::<Vec<_>>(),
            "compliance": compliance,
        });
        return output::print(&output::json(&v)?);
    }
    let mut text = output::detail(&rc::profile_rows(&c, org_name.as_deref(), lg));
    text.push('\n');
    let header: Vec<String> = ["clause", "item", "status", "detail"]
        .iter()
        .map(|k| tr!(&format!("center.col.{k}")))
        .collect();
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            vec![
                i.clause.clone(),
                rc::item_label(i, rules, lg),
                rc::status_text(i.status, lg).to_string(),
                rc::detail_text(i, lg),
            ]
        })
        .collect();
    if format == Format::Csv {
        return output::print(&output::csv(&header, &rows)?);
    }
    text.push_str(&output::table(&header, &rows));
    output::print(&text)
}
