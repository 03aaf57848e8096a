//! `sanshe venture review` (one reviewer's sheet) and `sanshe venture
//! visit add|list|close` (monitoring visits).

use clap::{Args, Subcommand};
use serde_json::{json, Value as Json};

use crate::cli::error::{CliError, CliResult};
use crate::cli::output::{self, Format};
use crate::cli::parse::{parse_enum, today};
use crate::model::venture::{ReviewSheet, Stage, Visit, VisitKind};
use crate::model::{parse::parse_date, Kind, Labeled, Record, ValidationErrors};
use crate::report::venture::Ventures;
use crate::store::{Command, Store, StoreError};
use crate::text::lang;
use crate::tr;

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The project's id
    pub app: String,
    /// The reviewer's name (one sheet per reviewer and stage: entering it again corrects it)
    #[arg(long)]
    pub reviewer: String,
    /// INDICATOR=POINTS (repeatable; half points allowed: 7.5)
    #[arg(long = "score", value_name = "INDICATOR=POINTS")]
    pub scores: Vec<String>,
    /// The reviewer recuses (a conflict of interest): the sheet is kept, not counted
    #[arg(long)]
    pub recuse: bool,
    /// review | midterm | final [default: from the project's state]
    #[arg(long)]
    pub stage: Option<String>,
    /// Date of the sheet [default: today]
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum VisitCommand {
    /// Record a monitoring visit to a project; prints its id
    Add(VisitAddArgs),
    /// Monitoring visits, latest first
    List {
        /// Only this project's visits
        #[arg(long)]
        app: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Mark a visit's follow-up done
    Close {
        /// The visit's id
        visit: String,
    },
}

#[derive(Debug, Args)]
pub struct VisitAddArgs {
    /// The project's id
    pub app: String,
    /// site | phone | documents | meeting
    #[arg(long)]
    pub kind: Option<String>,
    /// Date of the visit [default: today]
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    /// A member of staff who went (repeatable)
    #[arg(long = "visitor", value_name = "NAME")]
    pub visitors: Vec<String>,
    /// What was found
    #[arg(long)]
    pub findings: Option<String>,
    /// When the follow-up is due
    #[arg(long, allow_hyphen_values = true)]
    pub follow_up: Option<String>,
}

/// The rubric of a project's stage: the round's for the review, the
/// shipped mid-term and final ones otherwise (an office may replace them).
fn rubric_for(v: &Ventures, app: &str, stage: Stage) -> CliResult<(String, crate::model::Rubric)> {
    let key = match stage {
        Stage::Review => v
            .app(app)
            .and_then(|a| v.round(&a.round))
            .map(|r| r.rubric.clone())
            .unwrap_or_else(|| stage.rubric().to_string()),
        _ => stage.rubric().to_string(),
    };
    let r = crate::report::rubric_named(crate::config::config_dir().as_deref(), Some(&key))
        .map_err(CliError::Usage)?;
    Ok((key, r))
}

pub fn review(store: &Store, a: ReviewArgs) -> CliResult {
    let app_id = a.app.trim().to_string();
    let v = Ventures::shared(store)?;
    let Some(app) = v.app(&app_id) else {
        return Err(StoreError::NotFound {
            kind: Kind::Application,
            id: app_id,
        }
        .into());
    };
    let stage = match &a.stage {
        Some(s) => parse_enum::<Stage>(s).map_err(|r| CliError::field("stage", r))?,
        None => Stage::of(app.state),
    };
    let (key, rubric) = rubric_for(&v, &app_id, stage)?;
    let date = match &a.date {
        Some(d) => parse_date(d, today()).map_err(|r| CliError::field("date", r))?,
        None => today(),
    };
    let pairs = crate::cli::parse::score_pairs(&a.scores);
    let existing = v
        .sheets_of(&app_id, stage)
        .into_iter()
        .find(|(_, s)| s.reviewer == a.reviewer.trim())
        .map(|(id, s)| (id.to_string(), s.clone()));
    let mut sheet = match &existing {
        Some((_, s)) => s.clone(),
        None => ReviewSheet {
            application: app_id.clone(),
            stage,
            reviewer: a.reviewer.clone(),
            scores: Default::default(),
            recused: false,
            date,
            notes: None,
        },
    };
    sheet.date = date;
    sheet.recused = a.recuse;
    if a.notes.is_some() {
        sheet.notes = a.notes.clone();
    }
    crate::model::venture::sheet_input::apply(&mut sheet, &pairs, &key, &rubric)?;
    let total = sheet.sheet().total();
    let (reviewer, recused) = (sheet.reviewer.clone(), sheet.recused);
    let id = match existing {
        Some((id, before)) => {
            store.execute(Command::Update {
                id: id.clone(),
                before: Record::Review(before),
                after: Record::Review(sheet),
            })?;
            id
        }
        None => {
            store
                .execute(Command::Create {
                    record: Record::Review(sheet),
                })?
                .id
        }
    };
    output::message(&if recused {
        tr!("venture.recused", reviewer = reviewer)
    } else {
        tr!(
            "venture.reviewed",
            reviewer = reviewer,
            total = crate::model::evaluation::points_text(total)
        )
    });
    output::print(&format!("{id}\n"))
}

pub fn run_visit(store: &Store, cmd: VisitCommand) -> CliResult {
    match cmd {
        VisitCommand::Add(a) => add_visit(store, a),
        VisitCommand::List { app, format } => list_visits(store, app, format),
        VisitCommand::Close { visit } => close_visit(store, &visit),
    }
}

fn add_visit(store: &Store, a: VisitAddArgs) -> CliResult {
    let mut e = ValidationErrors::default();
    let mut v = Visit {
        application: a.app.clone(),
        kind: VisitKind::default(),
        date: today(),
        visitors: a.visitors.clone(),
        findings: a.findings.clone(),
        follow_up: None,
        closed: false,
    };
    if let Some(k) = &a.kind {
        match parse_enum::<VisitKind>(k) {
            Ok(k) => v.kind = k,
            Err(rule) => e.push("kind", rule),
        }
    }
    if let Some(d) = &a.date {
        match parse_date(d, today()) {
            Ok(d) => v.date = d,
            Err(rule) => e.push("date", rule),
        }
    }
    if let Some(d) = &a.follow_up {
        match parse_date(d, today()) {
            Ok(d) => v.follow_up = Some(d),
            Err(rule) => e.push("follow_up", rule),
        }
    }
    e.into_result()?;
    let outcome = store.execute(Command::Create {
        record: Record::Visit(v),
    })?;
    output::message(&tr!("venture.visit_saved"));
    output::print(&format!("{}\n", outcome.id))
}

pub fn visit_json(id: &str, v: &Visit) -> Json {
    json!({
        "id": id,
        "application": v.application,
        "kind": v.kind.key(),
        "kind_name": v.kind.label(lang()),
        "date": v.date,
        "visitors": v.visitors,
        "findings": v.findings,
        "follow_up": v.follow_up,
        "closed": v.closed,
        "overdue": v.overdue(today()),
    })
}

fn list_visits(store: &Store, app: Option<String>, format: Format) -> CliResult {
    let v = Ventures::shared(store)?;
    let mut visits: Vec<&(String, Visit)> = v
        .visits
        .iter()
        .filter(|(_, x)| app.as_deref().is_none_or(|a| x.application == a.trim()))
        .collect();
    visits.sort_by(|a, b| b.1.date.cmp(&a.1.date).then(b.0.cmp(&a.0)));
    if format == Format::Json {
        let all: Vec<Json> = visits.iter().map(|(id, x)| visit_json(id, x)).collect();
        return output::print(&output::json(&Json::Array(all))?);
    }
    let f = |k: &str| crate::text::field_label(k);
    let header = vec![
        f("id"),
        f("date"),
        f("application"),
        f("kind"),
        f("visitors"),
        f("findings"),
        f("follow_up"),
        f("closed"),
    ];
    let l = lang();
    let yes = |b: bool| {
        if b {
            tr!("activity.yes")
        } else {
            String::new()
        }
    };
    let rows: Vec<Vec<String>> = visits
        .iter()
        .map(|(id, x)| {
            vec![
                id.clone(),
                x.date.to_string(),
                v.app(&x.application)
                    .map(|a| a.title.clone())
                    .unwrap_or_default(),
                x.kind.label(l).to_string(),
                x.visitors.join("、"),
                x.findings.clone().unwrap_or_default(),
                x.follow_up.map(|d| d.to_string()).unwrap_or_default(),
                yes(x.closed),
            ]
        })
        .collect();
    if format == Format::Csv {
        return output::print(&output::csv(&header, &rows)?);
    }
    output::print(&output::table(&header, &rows))
}

fn close_visit(store: &Store, id: &str) -> CliResult {
    let before = match store.get(Kind::Visit, id.trim())? {
        Some(Record::Visit(v)) => v,
        _ => {
            return Err(StoreError::NotFound {
                kind: Kind::Visit,
                id: id.trim().to_string(),
            }
            .into())
        }
    };
    let mut after = before.clone();
    after.closed = true;
    store.execute(Command::Update {
        id: id.trim().to_string(),
        before: Record::Visit(before),
        after: Record::Visit(after),
    })?;
    output::message(&tr!(
        "cli.edited",
        record = crate::text::label(Kind::Visit),
        n = 1
    ));
    Ok(())
}
