//! `sanshe training plan ...`: the year's training plan (年度培训计划): its
//! items by topic, and which events carried each out (`training add
//! --plan-item TOPIC`). One plan a year.

use chrono::Datelike;
use clap::{Args, Subcommand};
use serde_json::{json, Value as Json};

use super::error::{CliError, CliResult};
use super::output::{self, Format};
use super::parse::{field, parse_enum, today};
use crate::model::training::{PlanItem, TrainingKind, TrainingPlan};
use crate::model::{Labeled, Record, Rule, ValidationErrors};
use crate::report::training::{PlanRow, Trainings};
use crate::store::{Command, Store};
use crate::text::lang;
use crate::tr;

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Make the year's plan; prints its id
    Add {
        #[arg(long)]
        year: i32,
        /// [default: 〈year〉年度社会组织培训计划]
        #[arg(long)]
        title: Option<String>,
        /// Budget in yuan
        #[arg(long)]
        budget: Option<String>,
    },
    /// Add or change an item of the plan (or remove it)
    Item(ItemArgs),
    /// The plan's items, each with the events that carried it out
    Show {
        /// [default: this year]
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Args)]
pub struct ItemArgs {
    #[arg(long)]
    pub year: i32,
    /// The item's topic (its key in the plan)
    #[arg(long)]
    pub topic: String,
    /// training | study-tour | exchange | party-study | pitch (or the Chinese labels)
    #[arg(long)]
    pub kind: Option<String>,
    /// The month planned (1-12)
    #[arg(long)]
    pub month: Option<String>,
    /// Hours planned
    #[arg(long)]
    pub hours: Option<String>,
    /// Who it is for
    #[arg(long)]
    pub audience: Option<String>,
    #[arg(long)]
    pub remove: bool,
}

pub fn run(store: &Store, cmd: PlanCommand) -> CliResult {
    match cmd {
        PlanCommand::Add {
            year,
            title,
            budget,
        } => add(store, year, title, budget),
        PlanCommand::Item(a) => item(store, a),
        PlanCommand::Show { year, format } => show(store, year.unwrap_or(today().year()), format),
    }
}

fn add(store: &Store, year: i32, title: Option<String>, budget: Option<String>) -> CliResult {
    let budget_fen = match &budget {
        Some(b) => Some(super::venture::money_flag("budget", b)?),
        None => None,
    };
    let mut p = TrainingPlan {
        year,
        title: title.unwrap_or_else(|| tr!("training.plan_title", year = year)),
        budget_fen,
        items: Default::default(),
        notes: None,
    };
    p.normalize();
    p.validate()?;
    let id = store
        .execute(Command::Create {
            record: Record::TrainingPlan(p),
        })?
        .id;
    output::message(&tr!("training.plan_added", year = year));
    output::print(&format!("{id}\n"))
}

/// The plan of `year`, or the message saying how to make it.
fn plan(store: &Store, year: i32) -> CliResult<(String, TrainingPlan)> {
    Trainings::plan_of(store, year)?.ok_or_else(|| {
        CliError::field(
            "year",
            Rule::Other {
                message: tr!("training.no_plan", year = year),
            },
        )
    })
}

fn item(store: &Store, a: ItemArgs) -> CliResult {
    let (id, before) = plan(store, a.year)?;
    let mut after = before.clone();
    let topic = a.topic.trim().to_string();
    if a.remove {
        if after.items.remove(&topic).is_none() {
            return Err(CliError::field(
                "topic",
                Rule::Other {
                    message: tr!(
                        "training.no_plan_item",
                        year = a.year,
                        item = topic,
                        items = before.items.keys().cloned().collect::<Vec<_>>().join("、")
                    ),
                },
            ));
        }
    } else {
        let mut e = ValidationErrors::default();
        let old = before.items.get(&topic);
        let kind = match &a.kind {
            Some(k) => field(parse_enum::<TrainingKind>(k), "kind", &mut e),
            None => Some(old.map_or(TrainingKind::default(), |o| o.kind)),
        };
        let month = match &a.month {
            Some(m) => field(crate::model::parse::parse_number(m, 1, 12), "month", &mut e),
            None => old.and_then(|o| o.month),
        };
        let hours = match &a.hours {
            Some(h) => field(
                crate::model::parse::parse_tenths(h, 240),
                "training_hours",
                &mut e,
            ),
            None => old.and_then(|o| o.hours_tenths),
        };
        e.into_result()?;
        after.items.insert(
            topic,
            PlanItem {
                kind: kind.unwrap_or_default(),
                month,
                hours_tenths: hours,
                audience: a.audience.or_else(|| old.and_then(|o| o.audience.clone())),
            },
        );
    }
    after.normalize();
    after.validate()?;
    store.execute(Command::Update {
        id,
        before: Record::TrainingPlan(before),
        after: Record::TrainingPlan(after),
    })?;
    output::message(&tr!("training.plan_saved"));
    Ok(())
}

fn show(store: &Store, year: i32, format: Format) -> CliResult {
    let t = Trainings::load(store)?;
    let (id, p) = plan(store, year)?;
    let rows: Vec<PlanRow> = t.plan_rows(&p);
    let lg = lang();
    if format == Format::Json {
        let items: Vec<Json> = rows
            .iter()
            .map(|r| {
                json!({
                    "topic": r.topic,
                    "kind": r.item.kind.key(),
                    "month": r.item.month,
                    "hours": r.item.hours_tenths.map(|h| f64::from(h) / 10.0),
                    "audience": r.item.audience,
                    "done": !r.events.is_empty(),
                    "events": r.events.iter().map(|(eid, title, date, signed)| json!({
                        "id": eid, "title": title, "date": date, "signed_in": signed,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let done = rows.iter().filter(|r| !r.events.is_empty()).count();
        let v = json!({
            "id": id,
            "year": p.year,
            "title": p.title,
            "budget": p.budget_fen.map(super::venture::yuan),
            "items": items,
            "done": done,
            "planned": rows.len(),
            "unplanned_events": t.unplanned(year).len(),
        });
        return output::print(&output::json(&v)?);
    }
    let col = |k: &str| tr!(&format!("training.plan_col.{k}"));
    let header: Vec<String> = ["topic", "kind", "month", "hours", "events"]
        .iter()
        .map(|k| col(k))
        .collect();
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.topic.clone(),
                r.item.kind.label(lg).to_string(),
                r.item.month.map(|m| m.to_string()).unwrap_or_default(),
                r.item
                    .hours_tenths
                    .map(|h| crate::model::activity::tenths_text(u64::from(h)))
                    .unwrap_or_default(),
                r.events
                    .iter()
                    .map(|(_, title, date, _)| format!("{date} {title}"))
                    .collect::<Vec<_>>()
                    .join("；"),
            ]
        })
        .collect();
    if format == Format::Csv {
        return output::print(&output::csv(&header, &table)?);
    }
    let mut text = format!(
        "{}\n",
        tr!(
            "training.plan_line",
            title = p.title,
            done = rows.iter().filter(|r| !r.events.is_empty()).count(),
            planned = rows.len()
        )
    );
    text.push_str(&output::table(&header, &table));
    output::print(&text)
}
