//! `sanshe party ...`: party building (党建, [6/6]): the register of
//! party-building instructors and their visits, an organization's party
//! organization (the same fields as `org edit --party-*`, read as one
//! `OrgInput`), coverage by community and 同步孵化 from the incubation
//! records. The figures are `report::party`'s.

use clap::{Args, Subcommand};
use serde_json::{json, Value as Json};

use super::error::{CliError, CliResult};
use super::output::{self, Format};
use super::parse::today;
use super::resolve;
use crate::model::party::{Instructor, PartyVisit};
use crate::model::venture::Mark;
use crate::model::{parse::parse_date, Kind, Labeled, Record, Rule};
use crate::report::party::{coverage, incubated, Instructors};
use crate::store::{Command, Store, StoreError};
use crate::text::{label, lang};
use crate::tr;

#[derive(Debug, Subcommand)]
pub enum PartyCommand {
    /// Party-building instructors (党建指导员)
    #[command(subcommand)]
    Instructor(InstructorCommand),
    /// Record an instructor's visit to an organization (it is then covered by the instructor)
    Visit {
        /// The instructor's id or name
        instructor: String,
        /// The organization's id or name
        #[arg(long)]
        org: String,
        #[arg(long, allow_hyphen_values = true)]
        date: Option<String>,
        /// What was done
        #[arg(long)]
        note: String,
    },
    /// Set an organization's party organization (the same fields as org edit --party-*)
    Org(PartyOrgArgs),
    /// Party coverage by community, and 同步孵化 from the incubation records
    Coverage {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum InstructorCommand {
    /// Register an instructor; prints the id
    Add {
        #[arg(long)]
        name: String,
        /// The unit the instructor comes from
        #[arg(long)]
        unit: String,
        #[arg(long)]
        phone: Option<String>,
        /// An organization covered (id or name; repeatable)
        #[arg(long = "org", value_name = "ORG")]
        orgs: Vec<String>,
        #[arg(long)]
        notes: Option<String>,
    },
    /// The instructors with the organizations they cover and their visits
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// One instructor with the organizations covered and every visit
    Show {
        /// The instructor's id or name
        instructor: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Args)]
pub struct PartyOrgArgs {
    /// The organization's id or name
    pub org: String,
    /// none | own | joint | instructor (or 未建立, 单独组建, 联合组建, 党建指导员)
    #[arg(long)]
    pub party: Option<String>,
    /// Party members (党员数)
    #[arg(long, allow_hyphen_values = true)]
    pub members: Option<String>,
    /// Name of the party organization
    #[arg(long)]
    pub name: Option<String>,
    /// Its secretary
    #[arg(long)]
    pub secretary: Option<String>,
    /// Date it was set up
    #[arg(long, allow_hyphen_values = true)]
    pub set_up: Option<String>,
    /// Probationary members (预备党员)
    #[arg(long, allow_hyphen_values = true)]
    pub probationary: Option<String>,
    /// Activists (入党积极分子)
    #[arg(long, allow_hyphen_values = true)]
    pub activists: Option<String>,
    /// Why there is none
    #[arg(long)]
    pub reason: Option<String>,
    /// When one is planned
    #[arg(long, allow_hyphen_values = true)]
    pub planned: Option<String>,
}

pub fn run(store: &Store, cmd: PartyCommand) -> CliResult {
    match cmd {
        PartyCommand::Instructor(InstructorCommand::Add {
            name,
            unit,
            phone,
            orgs,
            notes,
        }) => add(store, name, unit, phone, orgs, notes),
        PartyCommand::Instructor(InstructorCommand::List { format }) => list(store, format),
        PartyCommand::Instructor(InstructorCommand::Show { instructor, format }) => {
            show(store, &instructor, format)
        }
        PartyCommand::Visit {
            instructor,
            org,
            date,
            note,
        } => visit(store, &instructor, &org, date, note),
        PartyCommand::Org(a) => party_org(store, a),
        PartyCommand::Coverage { format } => run_coverage(store, format),
    }
}

fn add(
    store: &Store,
    name: String,
    unit: String,
    phone: Option<String>,
    orgs: Vec<String>,
    notes: Option<String>,
) -> CliResult {
    let mut ids = Vec::with_capacity(orgs.len());
    for o in &orgs {
        ids.push(resolve(store, Kind::Org, "org", o)?);
    }
    let mut i = Instructor::new(&name, &unit);
    if let Some(p) = phone.as_deref().filter(|p| !p.trim().is_empty()) {
        i.phone =
            Some(crate::model::phone::normalize(p).ok_or(CliError::field("phone", Rule::Phone))?);
    }
    i.orgs = ids;
    i.notes = notes;
    i.normalize();
    i.validate()?;
    let id = store
        .execute(Command::Create {
            record: Record::Instructor(i),
        })?
        .id;
    output::message(&tr!("party.instructor_added", name = name.trim()));
    output::print(&format!("{id}\n"))
}

fn get(store: &Store, id: &str) -> CliResult<Instructor> {
    match store.get(Kind::Instructor, id)? {
        Some(Record::Instructor(i)) => Ok(i),
        _ => Err(StoreError::NotFound {
            kind: Kind::Instructor,
            id: id.to_string(),
        }
        .into()),
    }
}

fn visit(
    store: &Store,
    instructor: &str,
    org: &str,
    date: Option<String>,
    note: String,
) -> CliResult {
    let id = resolve(store, Kind::Instructor, "instructor", instructor)?;
    let org = resolve(store, Kind::Org, "org", org)?;
    let date = match &date {
        Some(d) => parse_date(d, today()).map_err(|r| CliError::field("date", r))?,
        None => today(),
    };
    let before = get(store, &id)?;
    let mut after = before.clone();
    let m = Mark {
        date,
        author: Some(store.writing_user()),
        note: Some(note),
    };
    after.push_visit(PartyVisit {
        date: m.date,
        org: org.clone(),
        note: m.note.clone().unwrap_or_default(),
        author: m.author,
    });
    after.normalize();
    after.validate()?;
    let name = before.name.clone();
    store.execute(Command::Update {
        id,
        before: Record::Instructor(before),
        after: Record::Instructor(after),
    })?;
    let org_name = store.org(&org)?.map(|o| o.name).unwrap_or(org);
    output::message(&tr!("party.visit_added", name = name, org = org_name));
    Ok(())
}

/// `party org`: the party fields of `org edit`, read as the same
/// `OrgInput` (`model::org_input`).
fn party_org(store: &Store, a: PartyOrgArgs) -> CliResult {
    let id = resolve(store, Kind::Org, "org", &a.org)?;
    let before = super::org::load(store, &id)?;
    let mut after = before.clone();
    let input = crate::model::OrgInput {
        party: a.party,
        party_members: a.members,
        party_name: a.name,
        party_secretary: a.secretary,
        party_set_up: a.set_up,
        party_probationary: a.probationary,
        party_activists: a.activists,
        party_reason: a.reason,
        party_planned: a.planned,
        ..Default::default()
    };
    crate::model::org_input::apply(&input, &mut after, today(), lang())
        .map_err(CliError::Invalid)?;
    let name = after.name.clone();
    store.execute(Command::Update {
        id,
        before: Record::Org(before),
        after: Record::Org(after),
    })?;
    output::message(&tr!("party.org_saved", name = name));
    Ok(())
}

fn instructor_json(t: &Instructors, id: &str, i: &Instructor, full: bool) -> Json {
    let mut j = json!({
        "id": id,
        "name": i.name,
        "unit": i.unit,
        "phone": i.phone,
        "orgs": i.orgs.iter().map(|o| json!({"id": o, "name": t.org_name(o)})).collect::<Vec<_>>(),
        "visit_count": i.visits.len(),
        "last_visit": Instructors::last_visit(i),
        "notes": i.notes,
    });
    if full {
        j["visits"] = Json::Array(
            i.visit_list()
                .iter()
                .map(|v| {
                    json!({
                        "date": v.date,
                        "org": v.org,
                        "org_name": t.org_name(&v.org),
                        "note": v.note,
                        "author": v.author,
                    })
                })
                .collect(),
        );
    }
    j
}

fn list(store: &Store, format: Format) -> CliResult {
    let t = Instructors::load(store)?;
    if format == Format::Json {
        let arr: Vec<Json> = t
            .rows
            .iter()
            .map(|(id, i)| instructor_json(&t, id, i, false))
            .collect();
        return output::print(&output::json(&Json::Array(arr))?);
    }
    let col = |k: &str| tr!(&format!("party.col.{k}"));
    let header: Vec<String> = [
        "id",
        "name",
        "unit",
        "phone",
        "orgs",
        "visits",
        "last_visit",
    ]
    .iter()
    .map(|k| col(k))
    .collect();
    let rows: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|(id, i)| {
            vec![
                id.clone(),
                i.name.clone(),
                i.unit.clone(),
                i.phone.clone().unwrap_or_default(),
                // The names are in `show`; a count keeps the table narrow.
                i.orgs.len().to_string(),
                i.visits.len().to_string(),
                Instructors::last_visit(i)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    if format == Format::Csv {
        return output::print(&output::csv(&header, &rows)?);
    }
    output::print(&output::table(&header, &rows))
}

fn show(store: &Store, instructor: &str, format: Format) -> CliResult {
    let id = resolve(store, Kind::Instructor, "instructor", instructor)?;
    let t = Instructors::load(store)?;
    let Some(i) = t.get(&id) else {
        return Err(StoreError::NotFound {
            kind: Kind::Instructor,
            id,
        }
        .into());
    };
    if format == Format::Json {
        return output::print(&output::json(&instructor_json(&t, &id, i, true))?);
    }
    let col = |k: &str| tr!(&format!("party.col.{k}"));
    let mut rows = vec![
        vec![col("name"), i.name.clone()],
        vec![col("unit"), i.unit.clone()],
    ];
    if let Some(p) = &i.phone {
        rows.push(vec![col("phone"), p.clone()]);
    }
    for o in &i.orgs {
        rows.push(vec![col("orgs"), format!("{} ({o})", t.org_name(o))]);
    }
    for v in i.visit_list() {
        rows.push(vec![
            col("visits"),
            format!("{} {}: {}", v.date, t.org_name(&v.org), v.note),
        ]);
    }
    output::print(&output::detail(&rows))
}

fn run_coverage(store: &Store, format: Format) -> CliResult {
    let (by, total) = coverage(store)?;
    let stays = incubated(store, today())?;
    let synced: Vec<_> = stays.iter().filter(|s| s.synced).collect();
    let none = || tr!("party.no_community");
    if format == Format::Json {
        let c = |c: &crate::report::party::CommunityCoverage| {
            json!({
                "code": c.code,
                "name": c.name,
                "active": c.active,
                "covered": c.covered,
                "own": c.own,
                "joint": c.joint,
                "instructor": c.instructor,
                "rate": c.rate,
            })
        };
        let party = |p: Option<crate::model::Party>| p.map(|p| p.key());
        let v = json!({
            "communities": by.iter().map(c).collect::<Vec<_>>(),
            "total": c(&total),
            "incubated": stays.len(),
            "synced": synced.len(),
            "synced_orgs": synced.iter().map(|s| json!({
                "enrollment": s.id,
                "org": s.org,
                "name": s.org_name,
                "from": s.from,
                "to": s.to,
                "party_at_entry": party(s.party_at_entry),
                "party_at_exit": party(s.party_at_exit),
                "party_set_up": s.party_set_up,
            })).collect::<Vec<_>>(),
        });
        return output::print(&output::json(&v)?);
    }
    let col = |k: &str| tr!(&format!("party.col.{k}"));
    let header: Vec<String> = [
        "community",
        "active",
        "covered",
        "own",
        "joint",
        "instructor",
        "rate",
    ]
    .iter()
    .map(|k| col(k))
    .collect();
    let row = |name: String, c: &crate::report::party::CommunityCoverage| {
        vec![
            name,
            c.active.to_string(),
            c.covered.to_string(),
            c.own.to_string(),
            c.joint.to_string(),
            c.instructor.to_string(),
            format!("{}%", c.rate),
        ]
    };
    let mut rows: Vec<Vec<String>> = by
        .iter()
        .map(|c| {
            let name = match (&c.name, format) {
                (_, Format::Csv) => c.code.clone(),
                (Some(n), _) => n.clone(),
                (None, _) if c.code.is_empty() => none(),
                (None, _) => c.code.clone(),
            };
            row(name, c)
        })
        .collect();
    rows.push(row(tr!("party.total"), &total));
    if format == Format::Csv {
        return output::print(&output::csv(&header, &rows)?);
    }
    let mut text = output::table(&header, &rows);
    if !stays.is_empty() {
        text.push('\n');
        let header: Vec<String> = ["org", "entry", "exit", "set_up"]
            .iter()
            .map(|k| col(k))
            .collect();
        let lbl = |p: Option<crate::model::Party>| p.map(|p| label(p).to_string());
        let rows: Vec<Vec<String>> = synced
            .iter()
            .map(|s| {
                vec![
                    s.org_name.clone(),
                    lbl(s.party_at_entry).unwrap_or_default(),
                    lbl(s.party_at_exit).unwrap_or_default(),
                    s.party_set_up.map(|d| d.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        text.push_str(&tr!("party.synced", n = synced.len(), total = stays.len()));
        text.push('\n');
        if !rows.is_empty() {
            text.push_str(&output::table(&header, &rows));
        }
    }
    output::print(&text)
}
