//! `sanshe training ...`: trainings, study tours and exchanges ([6/6]):
//! events, participation with role and status, attendance rates, hours per
//! organization. The rules (one participation per person, capacity) are
//! the store's (`store/training.rs`).

use clap::{Args, Subcommand};
use serde_json::{json, Value as Json};

use super::error::CliResult;
use super::output::{self, Format};
use super::parse::{field, parse_enum, today};
use super::resolve;
use crate::model::training::{AttendStatus, Attendance, Role, Training, TrainingKind};
use crate::model::{parse::parse_date, Kind, Labeled, Record, ValidationErrors};
use crate::report::training::Trainings;
use crate::store::{Command, Store, StoreError};
use crate::text::lang;
use crate::tr;

#[derive(Debug, Subcommand)]
pub enum TrainingCommand {
    /// Add an event of the training plan; prints its id
    Add(TrainingAddArgs),
    /// Register, sign in or mark a participant (an organization, a person, or a person of an organization); prints the participation's id
    Attend(AttendArgs),
    /// One event with its participants and attendance rate
    Show {
        /// The event's id or title
        event: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// The events (the year's plan), with registered, signed in and the rate
    List {
        /// Only this year
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// The year's training plan: its items and the events that carried them out
    #[command(subcommand)]
    Plan(super::training_plan::PlanCommand),
    /// Training hours of each organization in a year (events it signed in to)
    Hours {
        /// The year [default: this year]
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Args)]
pub struct TrainingAddArgs {
    #[arg(long)]
    pub title: String,
    #[arg(long, allow_hyphen_values = true)]
    pub date: String,
    /// Hours (one decimal)
    #[arg(long)]
    pub hours: String,
    /// Places
    #[arg(long)]
    pub capacity: Option<String>,
    /// training | study-tour | exchange | party-study | pitch (or 培训, 考察见学, 交流研讨, 党建学习, 路演)
    #[arg(long)]
    pub kind: Option<String>,
    #[arg(long)]
    pub venue: Option<String>,
    #[arg(long)]
    pub trainer: Option<String>,
    /// Start time HH:MM
    #[arg(long)]
    pub start: Option<String>,
    /// End time HH:MM
    #[arg(long)]
    pub end: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    /// The item of the year's plan it carries out (its topic)
    #[arg(long)]
    pub plan_item: Option<String>,
}

#[derive(Debug, Args)]
pub struct AttendArgs {
    /// The event's id or title
    pub event: String,
    /// The organization's id or name
    #[arg(long)]
    pub org: Option<String>,
    /// The person's name
    #[arg(long)]
    pub person: Option<String>,
    /// registered | waitlisted | signed-in | absent | excused | cancelled (or 已报名, 候补, 已签到, 缺席, 请假, 取消)
    #[arg(long)]
    pub status: String,
    /// learner | trainer | staff | volunteer (or 学员, 讲师, 工作人员, 志愿者) [default: learner]
    #[arg(long)]
    pub role: Option<String>,
}

pub fn run(store: &Store, cmd: TrainingCommand) -> CliResult {
    match cmd {
        TrainingCommand::Add(a) => add(store, a),
        TrainingCommand::Attend(a) => attend(store, a),
        TrainingCommand::Show { event, format } => show(store, &event, format),
        TrainingCommand::List { year, format } => list(store, year, format),
        TrainingCommand::Hours { year, format } => hours(store, year, format),
        TrainingCommand::Plan(c) => super::training_plan::run(store, c),
    }
}

fn add(store: &Store, a: TrainingAddArgs) -> CliResult {
    let mut e = ValidationErrors::default();
    let date = field(parse_date(&a.date, today()), "date", &mut e);
    let hours = field(
        crate::model::parse::parse_tenths(&a.hours, 240),
        "training_hours",
        &mut e,
    );
    let capacity = a.capacity.as_deref().and_then(|v| {
        field(
            crate::model::parse::parse_number(v, 1, 10_000),
            "capacity",
            &mut e,
        )
    });
    let kind = a
        .kind
        .as_deref()
        .and_then(|v| field(parse_enum::<TrainingKind>(v), "kind", &mut e));
    let start = a
        .start
        .as_deref()
        .and_then(|v| field(crate::model::parse::parse_time(v), "start", &mut e));
    let end = a
        .end
        .as_deref()
        .and_then(|v| field(crate::model::parse::parse_time(v), "end", &mut e));
    e.into_result()?;
    let mut t = Training {
        title: a.title,
        kind: kind.unwrap_or_default(),
        date: date.unwrap_or_else(today),
        start,
        end,
        venue: a.venue,
        trainer: a.trainer,
        capacity,
        hours_tenths: hours.unwrap_or(0),
        notes: a.notes,
        plan_item: a.plan_item,
    };
    t.normalize();
    t.validate()?;
    let title = t.title.clone();
    let id = store
        .execute(Command::Create {
            record: Record::Training(t),
        })?
        .id;
    output::message(&tr!("training.added", title = title));
    output::print(&format!("{id}\n"))
}

fn attend(store: &Store, a: AttendArgs) -> CliResult {
    let event = resolve(store, Kind::Training, "event", &a.event)?;
    let org = match &a.org {
        Some(o) => Some(resolve(store, Kind::Org, "org", o)?),
        None => None,
    };
    let mut e = ValidationErrors::default();
    let mut status = field(parse_enum::<AttendStatus>(&a.status), "status", &mut e);
    let role = a
        .role
        .as_deref()
        .and_then(|v| field(parse_enum::<Role>(v), "role", &mut e));
    e.into_result()?;
    let t = Trainings::load(store)?;
    let person = a.person.as_deref().map(str::trim).filter(|p| !p.is_empty());
    let existing = t
        .of(&event)
        .into_iter()
        .find(|(_, x)| x.who() == (org.as_deref(), person))
        .cloned();
    // A registration beyond the capacity goes on the waiting list.
    if let (Some(AttendStatus::Registered), Some(ev)) = (status, t.event(&event)) {
        let (taken, _) = t.counts(&event);
        let mine = existing
            .as_ref()
            .is_some_and(|(_, x)| x.status.holds_place());
        if ev.capacity.is_some_and(|c| taken >= c as usize) && !mine {
            status = Some(AttendStatus::Waitlisted);
            output::message(&tr!("training.waitlisted"));
        }
    }
    let mut after = Attendance {
        event: event.clone(),
        org,
        person: person.map(str::to_string),
        role: role.unwrap_or_default(),
        status: status.unwrap_or_default(),
    };
    let id = match existing {
        Some((id, before)) => {
            if role.is_none() {
                after.role = before.role;
            }
            store.execute(Command::Update {
                id: id.clone(),
                before: Record::Attendance(before),
                after: Record::Attendance(after.clone()),
            })?;
            id
        }
        None => {
            after.normalize();
            after.validate()?;
            store
                .execute(Command::Create {
                    record: Record::Attendance(after.clone()),
                })?
                .id
        }
    };
    output::message(&tr!("training.marked", status = after.status.label(lang())));
    output::print(&format!("{id}\n"))
}

fn event_json(t: &Trainings, id: &str, e: &Training, full: bool) -> Json {
    let l = lang();
    let (registered, signed) = t.counts(id);
    let mut j = json!({
        "id": id,
        "title": e.title,
        "kind": e.kind.key(),
        "kind_name": e.kind.label(l),
        "date": e.date,
        "start": e.start.map(|x| x.format("%H:%M").to_string()),
        "end": e.end.map(|x| x.format("%H:%M").to_string()),
        "venue": e.venue,
        "trainer": e.trainer,
        "capacity": e.capacity,
        "hours": f64::from(e.hours_tenths) / 10.0,
        "registered": registered,
        "signed_in": signed,
        "attendance_rate": t.rate(id),
    });
    if full {
        j["participants"] = Json::Array(
            t.of(id)
                .iter()
                .map(|(pid, a)| {
                    json!({
                        "id": pid,
                        "org": a.org,
                        "org_name": a.org.as_deref().map(|o| t.org_name(o)),
                        "person": a.person,
                        "role": a.role.key(),
                        "status": a.status.key(),
                        "status_name": a.status.label(l),
                    })
                })
                .collect(),
        );
    }
    j
}

fn show(store: &Store, event: &str, format: Format) -> CliResult {
    let id = resolve(store, Kind::Training, "event", event)?;
    let t = Trainings::load(store)?;
    let Some(e) = t.event(&id) else {
        return Err(StoreError::NotFound {
            kind: Kind::Training,
            id,
        }
        .into());
    };
    let j = event_json(&t, &id, e, true);
    if format == Format::Json {
        return output::print(&output::json(&j)?);
    }
    let l = lang();
    let col = |k: &str| tr!(&format!("training.col.{k}"));
    let mut rows = vec![
        vec![col("title"), e.title.clone()],
        vec![col("kind"), e.kind.label(l).to_string()],
        vec![col("date"), e.date.to_string()],
        vec![
            col("hours"),
            crate::model::activity::tenths_text(u64::from(e.hours_tenths)),
        ],
    ];
    let (registered, signed) = t.counts(&id);
    rows.push(vec![col("signed"), format!("{signed}/{registered}")]);
    for (_, a) in t.of(&id) {
        let who = match (&a.org, &a.person) {
            (Some(o), Some(p)) => format!("{} {p}", t.org_name(o)),
            (Some(o), None) => t.org_name(o).to_string(),
            (None, Some(p)) => p.clone(),
            (None, None) => String::new(),
        };
        rows.push(vec![format!("  {who}"), a.status.label(l).to_string()]);
    }
    output::print(&output::detail(&rows))
}

fn list(store: &Store, year: Option<i32>, format: Format) -> CliResult {
    use chrono::Datelike;
    let t = Trainings::load(store)?;
    let events: Vec<&(String, Training)> = t
        .events
        .iter()
        .filter(|(_, e)| year.is_none_or(|y| e.date.year() == y))
        .collect();
    if format == Format::Json {
        let all: Vec<Json> = events
            .iter()
            .map(|(id, e)| event_json(&t, id, e, false))
            .collect();
        return output::print(&output::json(&Json::Array(all))?);
    }
    let l = lang();
    let col = |k: &str| tr!(&format!("training.col.{k}"));
    let header: Vec<String> = ["id", "date", "title", "kind", "hours", "signed", "rate"]
        .iter()
        .map(|k| col(k))
        .collect();
    let rows: Vec<Vec<String>> = events
        .iter()
        .map(|(id, e)| {
            let (registered, signed) = t.counts(id);
            vec![
                id.clone(),
                e.date.to_string(),
                e.title.clone(),
                e.kind.label(l).to_string(),
                crate::model::activity::tenths_text(u64::from(e.hours_tenths)),
                format!("{signed}/{registered}"),
                t.rate(id)
                    .map(|r| format!("{:.0}%", r * 100.0))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    if format == Format::Csv {
        return output::print(&output::csv(&header, &rows)?);
    }
    output::print(&output::table(&header, &rows))
}

fn hours(store: &Store, year: Option<i32>, format: Format) -> CliResult {
    use chrono::Datelike;
    let year = year.unwrap_or_else(|| today().year());
    let t = Trainings::load(store)?;
    let by = t.hours_by_org(year);
    if format == Format::Json {
        let all: Vec<Json> = by
            .iter()
            .map(|(org, h)| json!({"org": org, "name": t.org_name(org), "hours": f64::from(*h) / 10.0}))
            .collect();
        return output::print(&output::json(&Json::Array(all))?);
    }
    let col = |k: &str| tr!(&format!("training.col.{k}"));
    let header = vec![col("org"), col("hours")];
    let rows: Vec<Vec<String>> = by
        .iter()
        .map(|(org, h)| {
            vec![
                t.org_name(org).to_string(),
                crate::model::activity::tenths_text(u64::from(*h)),
            ]
        })
        .collect();
    if format == Format::Csv {
        return output::print(&output::csv(&header, &rows)?);
    }
    output::print(&output::table(&header, &rows))
}
