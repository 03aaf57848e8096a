//! `sanshe space ...` and `sanshe incubation ...`: the incubation base
//! ([6/6]). The seat rule and the stages are the store's
//! (`store/incubation.rs`); what is derived (occupancy, goals met, planned
//! exits) comes from `report::incubation`.

use clap::{Args, Subcommand};
use serde_json::{json, Value as Json};

use super::error::CliResult;
use super::output::{self, Format};
use super::parse::{field, parse_enum, today};
use super::resolve;
use crate::model::incubation::{
    Enrollment, Goal, IncStage, Service, ServiceKind, Space, SpaceKind,
};
use crate::model::venture::Mark;
use crate::model::{parse::parse_date, Kind, Labeled, Record, ValidationErrors};
use crate::report::incubation::Base;
use crate::store::{Command, Store, StoreError};
use crate::text::lang;
use crate::tr;

/// `sanshe space ...`
#[derive(Debug, Subcommand)]
pub enum SpaceCommand {
    /// Add a space of the incubation base; prints its id
    Add(SpaceAddArgs),
    /// The spaces, with the seats taken today
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Args)]
pub struct SpaceAddArgs {
    /// What staff call it (A-01, 302室)
    #[arg(long)]
    pub code: String,
    /// desk | office | meeting | activity (or 工位, 独立办公室, 会议室, 活动室)
    #[arg(long)]
    pub kind: String,
    #[arg(long)]
    pub seats: String,
    /// Area in square metres (one decimal)
    #[arg(long)]
    pub area: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

/// `sanshe incubation ...`
#[derive(Debug, Subcommand)]
pub enum IncubationCommand {
    /// An organization enters the base; prints the enrollment's id
    Enroll(EnrollArgs),
    /// Move an enrollment one stage on (incubating, extended, graduated, left, ended)
    Step(IncStepArgs),
    /// Record that an enrollment's goal was met
    Goal(GoalArgs),
    /// Record a service given to an organization; prints its id
    Service(ServiceArgs),
    /// The enrollments, with their space, stage and planned exit
    List(IncListArgs),
    /// Cohorts (期次) of the base
    #[command(subcommand)]
    Cohort(CohortCommand),
    /// The exit assessment on the rubric incubation-exit (rubric show incubation-exit lists its indicators)
    Assess(AssessArgs),
    /// One enrollment: stage, goals, services, party status at entry and exit
    Show {
        /// The enrollment's id
        enrollment: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum CohortCommand {
    /// Add a cohort; prints its id
    Add {
        /// Its name (2026年第一期)
        #[arg(long)]
        name: String,
        #[arg(long, allow_hyphen_values = true)]
        from: String,
        #[arg(long, allow_hyphen_values = true)]
        to: String,
        /// Organizations it takes
        #[arg(long)]
        capacity: Option<String>,
    },
    /// The cohorts with their organizations in, graduated and left
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Args)]
pub struct AssessArgs {
    /// The enrollment's id
    pub enrollment: String,
    /// INDICATOR=POINTS (repeatable; every indicator of the rubric)
    #[arg(long = "score", value_name = "KEY=POINTS", required = true)]
    pub scores: Vec<String>,
}

#[derive(Debug, Args)]
pub struct EnrollArgs {
    /// The organization's id or name
    #[arg(long)]
    pub org: String,
    /// The space's code
    #[arg(long)]
    pub space: String,
    /// First day in the base
    #[arg(long, allow_hyphen_values = true)]
    pub from: String,
    /// Planned exit
    #[arg(long, allow_hyphen_values = true)]
    pub to: String,
    /// Seats taken [default: 1]
    #[arg(long)]
    pub seats: Option<String>,
    /// The cohort (第一期...)
    #[arg(long)]
    pub cohort: Option<String>,
    /// Agreement number
    #[arg(long)]
    pub agreement: Option<String>,
    /// The stage it starts at: applied | reviewed | entered (申请, 评审, 入壳) [default: entered]
    #[arg(long)]
    pub stage: Option<String>,
    /// A goal: filing | registration | party | project | rating (repeatable)
    #[arg(long = "goal", value_name = "GOAL")]
    pub goals: Vec<String>,
}

#[derive(Debug, Args)]
pub struct IncStepArgs {
    /// The enrollment's id
    pub enrollment: String,
    /// incubating | extended | graduated | left | ended (or 孵化中, 延期, 出壳, 退驻, 终止)
    #[arg(long)]
    pub to: String,
    /// Date of the step [default: today]
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    /// A new planned exit (on extension)
    #[arg(long = "until", allow_hyphen_values = true)]
    pub until: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct GoalArgs {
    /// The enrollment's id
    pub enrollment: String,
    /// filing | registration | party | project | rating
    #[arg(long)]
    pub goal: String,
    /// When it was met [default: today]
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServiceArgs {
    /// The organization's id or name
    #[arg(long)]
    pub org: String,
    /// party | capacity | talent | support | supervision | assessment | follow-up (or 党的建设...)
    #[arg(long)]
    pub kind: String,
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    /// Hours (one decimal)
    #[arg(long)]
    pub hours: Option<String>,
    /// A member of staff who gave it (repeatable)
    #[arg(long = "staff", value_name = "NAME")]
    pub staff: Vec<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct IncListArgs {
    /// Also those who have left
    #[arg(long)]
    pub all: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run_space(store: &Store, cmd: SpaceCommand) -> CliResult {
    match cmd {
        SpaceCommand::Add(a) => {
            let mut e = ValidationErrors::default();
            let kind = field(parse_enum::<SpaceKind>(&a.kind), "kind", &mut e);
            let seats = field(
                crate::model::parse::parse_number(&a.seats, 1, 500),
                "seats",
                &mut e,
            );
            let area = a
                .area
                .as_deref()
                .and_then(|v| field(crate::model::parse::parse_tenths(v, 10_000), "area", &mut e));
            e.into_result()?;
            let mut s = Space {
                code: a.code,
                kind: kind.unwrap_or(SpaceKind::Desk),
                seats: seats.unwrap_or(1),
                area_tenths: area,
                notes: a.notes,
            };
            s.normalize();
            s.validate()?;
            let code = s.code.clone();
            let id = store
                .execute(Command::Create {
                    record: Record::Space(s),
                })?
                .id;
            output::message(&tr!("incubation.space_added", code = code));
            output::print(&format!("{id}\n"))
        }
        SpaceCommand::List { format } => {
            let b = Base::load(store, today())?;
            let l = lang();
            if format == Format::Json {
                let all: Vec<Json> = b
                    .spaces
                    .iter()
                    .map(|(id, s)| {
                        json!({
                            "id": id, "code": s.code, "kind": s.kind.key(), "kind_name": s.kind.label(l),
                            "seats": s.seats, "taken": b.taken(id),
                            "area": s.area_tenths.map(|a| f64::from(a) / 10.0), "notes": s.notes,
                        })
                    })
                    .collect();
                return output::print(&output::json(&Json::Array(all))?);
            }
            let col = |k: &str| tr!(&format!("incubation.col.{k}"));
            let header: Vec<String> = ["code", "kind", "seats", "taken", "area"]
                .iter()
                .map(|k| col(k))
                .collect();
            let rows: Vec<Vec<String>> = b
                .spaces
                .iter()
                .map(|(id, s)| {
                    vec![
                        s.code.clone(),
                        s.kind.label(l).to_string(),
                        s.seats.to_string(),
                        b.taken(id).to_string(),
                        s.area_tenths
                            .map(|a| crate::model::activity::tenths_text(u64::from(a)))
                            .unwrap_or_default(),
                    ]
                })
                .collect();
            if format == Format::Csv {
                return output::print(&output::csv(&header, &rows)?);
            }
            output::print(&output::table(&header, &rows))
        }
    }
}

pub fn run(store: &Store, cmd: IncubationCommand) -> CliResult {
    match cmd {
        IncubationCommand::Enroll(a) => enroll(store, a),
        IncubationCommand::Step(a) => step(store, a),
        IncubationCommand::Goal(a) => goal(store, a),
        IncubationCommand::Service(a) => service(store, a),
        IncubationCommand::List(a) => list(store, a),
        IncubationCommand::Assess(a) => assess(store, a),
        IncubationCommand::Cohort(c) => cohort(store, c),
        IncubationCommand::Show { enrollment, format } => show(store, &enrollment, format),
    }
}

fn date_or_today(v: &Option<String>, name: &str, e: &mut ValidationErrors) -> chrono::NaiveDate {
    match v {
        Some(v) => field(parse_date(v, today()), name, e).unwrap_or_else(today),
        None => today(),
    }
}

fn org_party(store: &Store, org: &str) -> CliResult<Option<crate::model::Party>> {
    Ok(store.org(org)?.map(|o| o.party))
}

fn enroll(store: &Store, a: EnrollArgs) -> CliResult {
    let org = resolve(store, Kind::Org, "org", &a.org)?;
    let space = resolve(store, Kind::Space, "space", &a.space)?;
    let mut e = ValidationErrors::default();
    let from = field(parse_date(&a.from, today()), "from", &mut e);
    let to = field(parse_date(&a.to, today()), "to", &mut e);
    let seats = match &a.seats {
        Some(v) => field(
            crate::model::parse::parse_number(v, 1, 500),
            "seats",
            &mut e,
        ),
        None => Some(1),
    };
    let mut goals = Vec::new();
    for g in &a.goals {
        if let Some(g) = field(parse_enum::<Goal>(g), "goals", &mut e) {
            goals.push(g);
        }
    }
    let stage = match &a.stage {
        Some(s) => field(parse_enum::<IncStage>(s), "stage", &mut e),
        None => Some(IncStage::Entered),
    };
    if let Some(s) = stage {
        if !matches!(
            s,
            IncStage::Applied | IncStage::Reviewed | IncStage::Entered
        ) {
            e.push(
                "stage",
                crate::model::Rule::OneOf {
                    allowed: "applied, reviewed, entered".into(),
                },
            );
        }
    }
    e.into_result()?;
    let stage = stage.unwrap_or(IncStage::Entered);
    let (from, to) = (from.unwrap_or_else(today), to.unwrap_or_else(today));
    let mut en = Enrollment::new(&org, &space, seats.unwrap_or(1), from, to);
    en.cohort = a.cohort;
    en.agreement = a.agreement;
    en.goals = goals;
    en.stage = stage;
    if stage == IncStage::Entered {
        en.party_at_entry = org_party(store, &org)?;
    }
    en.steps.insert(
        stage.key().to_string(),
        Mark {
            // An application is dated the day it is made; an entry, the
            // day the stay begins.
            date: if stage == IncStage::Entered {
                from
            } else {
                today()
            },
            author: Some(store.writing_user()),
            note: None,
        },
    );
    en.normalize();
    en.validate()?;
    let id = store
        .execute(Command::Create {
            record: Record::Enrollment(en),
        })?
        .id;
    output::message(&tr!("incubation.enrolled"));
    output::print(&format!("{id}\n"))
}

fn enrollment(store: &Store, id: &str) -> CliResult<Enrollment> {
    match store.get(Kind::Enrollment, id.trim())? {
        Some(Record::Enrollment(e)) => Ok(e),
        _ => Err(StoreError::NotFound {
            kind: Kind::Enrollment,
            id: id.trim().to_string(),
        }
        .into()),
    }
}

fn save(store: &Store, id: &str, before: Enrollment, after: Enrollment) -> CliResult {
    store.execute(Command::Update {
        id: id.trim().to_string(),
        before: Record::Enrollment(before),
        after: Record::Enrollment(after),
    })?;
    Ok(())
}

fn step(store: &Store, a: IncStepArgs) -> CliResult {
    let before = enrollment(store, &a.enrollment)?;
    let mut e = ValidationErrors::default();
    let to = field(parse_enum::<IncStage>(&a.to), "step", &mut e);
    let date = date_or_today(&a.date, "date", &mut e);
    let until = a
        .until
        .as_ref()
        .and_then(|v| field(parse_date(v, today()), "to", &mut e));
    e.into_result()?;
    let Some(to) = to else { return Ok(()) };
    let mut after = before.clone();
    after.stage = to;
    after.steps.insert(
        to.key().to_string(),
        Mark {
            date,
            author: Some(store.writing_user()),
            note: a.note.clone(),
        },
    );
    if let Some(u) = until {
        after.to = u;
    }
    if to == IncStage::Entered {
        after.party_at_entry = org_party(store, &before.org)?;
    }
    if to.is_out() {
        after.exited = Some(date);
        after.party_at_exit = org_party(store, &before.org)?;
    }
    after.normalize();
    let l = lang();
    let from = before.stage;
    save(store, &a.enrollment, before, after)?;
    output::message(&tr!(
        "incubation.stepped",
        from = from.label(l),
        to = to.label(l)
    ));
    Ok(())
}

fn goal(store: &Store, a: GoalArgs) -> CliResult {
    let before = enrollment(store, &a.enrollment)?;
    let mut e = ValidationErrors::default();
    let g = field(parse_enum::<Goal>(&a.goal), "goals", &mut e);
    let date = date_or_today(&a.date, "date", &mut e);
    e.into_result()?;
    let Some(g) = g else { return Ok(()) };
    let mut after = before.clone();
    after.goals_met.insert(g.key().to_string(), date);
    save(store, &a.enrollment, before, after)?;
    output::message(&tr!(
        "incubation.goal_met",
        goal = g.label(lang()),
        date = date
    ));
    Ok(())
}

fn service(store: &Store, a: ServiceArgs) -> CliResult {
    let org = resolve(store, Kind::Org, "org", &a.org)?;
    let mut e = ValidationErrors::default();
    let kind = field(parse_enum::<ServiceKind>(&a.kind), "kind", &mut e);
    let date = date_or_today(&a.date, "date", &mut e);
    let hours = a
        .hours
        .as_deref()
        .and_then(|v| field(crate::model::parse::parse_tenths(v, 1_000), "hours", &mut e));
    e.into_result()?;
    let base = Base::load(store, date)?;
    let mut s = Service {
        enrollment: base.current_of(&org).map(str::to_string),
        org,
        kind: kind.unwrap_or(ServiceKind::Capacity),
        date,
        staff_names: a.staff,
        hours_tenths: hours,
        notes: a.notes,
    };
    s.normalize();
    s.validate()?;
    let id = store
        .execute(Command::Create {
            record: Record::Service(s),
        })?
        .id;
    output::message(&tr!("incubation.service_saved"));
    output::print(&format!("{id}\n"))
}

fn enrollment_json(b: &Base, id: &str, e: &Enrollment) -> Json {
    let l = lang();
    json!({
        "id": id,
        "org": e.org,
        "org_name": b.org_name(&e.org),
        "space": e.space,
        "space_code": b.space(&e.space).map(|s| s.code.as_str()),
        "seats": e.seats,
        "cohort": e.cohort,
        "from": e.from,
        "to": e.to,
        "exited": e.exited,
        "assessment": assessment_json(e),
        "stage": e.stage.key(),
        "stage_name": e.stage.label(l),
        "agreement": e.agreement,
        "goals": e.goals.iter().map(|g| json!({
            "goal": g.key(), "name": g.label(l), "met": e.met(*g),
        })).collect::<Vec<_>>(),
        "party_at_entry": e.party_at_entry.map(|p| p.key()),
        "party_at_exit": e.party_at_exit.map(|p| p.key()),
        "services": b.services_of(id).iter().map(|(sid, s)| json!({
            "id": sid, "kind": s.kind.key(), "date": s.date,
            "hours": s.hours_tenths.map(|h| f64::from(h) / 10.0), "staff": s.staff_names,
        })).collect::<Vec<_>>(),
        "steps": IncStage::ALL.iter().filter_map(|s| e.steps.get(s.key()).map(|m| json!({
            "stage": s.key(), "date": m.date, "author": m.author, "note": m.note,
        }))).collect::<Vec<_>>(),
    })
}

fn list(store: &Store, a: IncListArgs) -> CliResult {
    let b = Base::load(store, today())?;
    let shown: Vec<&(String, Enrollment)> = b
        .enrollments
        .iter()
        .filter(|(_, e)| a.all || !e.stage.is_out())
        .collect();
    if a.format == Format::Json {
        let all: Vec<Json> = shown
            .iter()
            .map(|(id, e)| enrollment_json(&b, id, e))
            .collect();
        return output::print(&output::json(&Json::Array(all))?);
    }
    let l = lang();
    let col = |k: &str| tr!(&format!("incubation.col.{k}"));
    let header: Vec<String> = ["id", "org", "code", "seats", "stage", "from", "to", "goals"]
        .iter()
        .map(|k| col(k))
        .collect();
    let rows: Vec<Vec<String>> = shown
        .iter()
        .map(|(id, e)| {
            let met = e.goals_met.len();
            vec![
                id.clone(),
                b.org_name(&e.org).to_string(),
                b.space(&e.space)
                    .map(|s| s.code.clone())
                    .unwrap_or_default(),
                e.seats.to_string(),
                e.stage.label(l).to_string(),
                e.from.to_string(),
                e.until().to_string(),
                format!("{met}/{}", e.goals.len()),
            ]
        })
        .collect();
    if a.format == Format::Csv {
        return output::print(&output::csv(&header, &rows)?);
    }
    output::print(&output::table(&header, &rows))
}

fn show(store: &Store, id: &str, format: Format) -> CliResult {
    let e = enrollment(store, id)?;
    let b = Base::load(store, today())?;
    let j = enrollment_json(&b, id.trim(), &e);
    if format == Format::Json {
        return output::print(&output::json(&j)?);
    }
    let l = lang();
    let f = |k: &str| crate::text::field_label(k);
    let mut rows = vec![
        vec![f("org"), b.org_name(&e.org).to_string()],
        vec![
            f("space"),
            b.space(&e.space)
                .map(|s| s.code.clone())
                .unwrap_or_default(),
        ],
        vec![f("seats"), e.seats.to_string()],
        vec![tr!("incubation.col.stage"), e.stage.label(l).to_string()],
        vec![tr!("incubation.col.from"), e.from.to_string()],
        vec![tr!("incubation.col.to"), e.to.to_string()],
    ];
    if let Some(x) = e.exited {
        rows.push(vec![f("exited"), x.to_string()]);
    }
    for g in &e.goals {
        let met = e.met(*g);
        rows.push(vec![
            g.label(l).to_string(),
            met.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
        ]);
    }
    let party =
        |p: Option<crate::model::Party>| p.map(|p| p.label(l).to_string()).unwrap_or_default();
    rows.push(vec![f("party_at_entry"), party(e.party_at_entry)]);
    if e.stage.is_out() {
        rows.push(vec![f("party_at_exit"), party(e.party_at_exit)]);
    }
    for (_, s) in b.services_of(id.trim()) {
        rows.push(vec![s.date.to_string(), s.kind.label(l).to_string()]);
    }
    output::print(&output::detail(&rows))
}

fn assess(store: &Store, a: AssessArgs) -> CliResult {
    use crate::model::rubric::INCUBATION_EXIT;
    let before = enrollment(store, &a.enrollment)?;
    if !matches!(
        before.stage,
        IncStage::Incubating | IncStage::Extended | IncStage::Graduated
    ) {
        return Err(super::error::CliError::field(
            "stage",
            crate::model::Rule::Other {
                message: tr!(
                    "incubation.assess_stage",
                    stage = before.stage.label(lang())
                ),
            },
        ));
    }
    let rubric = crate::report::rubric_named(
        crate::config::config_dir().as_deref(),
        Some(INCUBATION_EXIT),
    )
    .map_err(super::error::CliError::Failed)?;
    let pairs = crate::cli::parse::score_pairs(&a.scores);
    let mut after = before.clone();
    after.assessment.clear();
    let mut e = ValidationErrors::default();
    crate::model::venture::sheet_input::score_into(
        &mut after.assessment,
        &pairs,
        INCUBATION_EXIT,
        &rubric,
        true,
        &mut e,
    );
    e.into_result()?;
    let total: u32 = after.assessment.values().sum();
    let band = rubric
        .grade(total)
        .map(|b| b.label(lang()).to_string())
        .unwrap_or_default();
    save(store, &a.enrollment, before, after)?;
    output::message(&tr!(
        "incubation.assessed",
        total = crate::model::activity::tenths_text(u64::from(total)),
        band = band
    ));
    Ok(())
}

/// The exit assessment as JSON: its rubric, total, grade and points.
fn assessment_json(e: &Enrollment) -> Json {
    use crate::model::rubric::INCUBATION_EXIT;
    if e.assessment.is_empty() {
        return Json::Null;
    }
    let total: u32 = e.assessment.values().sum();
    let band = crate::report::rubric_named(
        crate::config::config_dir().as_deref(),
        Some(INCUBATION_EXIT),
    )
    .ok()
    .and_then(|r| r.grade(total).map(|b| b.key.clone()));
    json!({
        "rubric": INCUBATION_EXIT,
        "total": super::venture::points(total),
        "band": band,
        "scores": e.assessment.iter().map(|(k, v)| (k.clone(), super::venture::points(*v))).collect::<serde_json::Map<String, Json>>(),
    })
}

fn cohort(store: &Store, c: CohortCommand) -> CliResult {
    match c {
        CohortCommand::Add {
            name,
            from,
            to,
            capacity,
        } => {
            let mut e = ValidationErrors::default();
            let from = field(parse_date(&from, today()), "from", &mut e);
            let to = field(parse_date(&to, today()), "to", &mut e);
            let capacity = capacity.as_deref().and_then(|v| {
                field(
                    crate::model::parse::parse_number(v, 1, 500),
                    "capacity",
                    &mut e,
                )
            });
            e.into_result()?;
            let (Some(from), Some(to)) = (from, to) else {
                return Ok(());
            };
            let mut c = crate::model::incubation::Cohort {
                name,
                from,
                to,
                capacity,
                notes: None,
            };
            c.normalize();
            c.validate()?;
            let name = c.name.clone();
            let id = store
                .execute(Command::Create {
                    record: Record::Cohort(c),
                })?
                .id;
            output::message(&tr!("incubation.cohort_added", name = name));
            output::print(&format!("{id}\n"))
        }
        CohortCommand::List { format } => {
            let b = Base::load(store, today())?;
            let mut cohorts: Vec<(String, crate::model::incubation::Cohort)> = store
                .all(Kind::Cohort)?
                .into_iter()
                .filter_map(|(id, r)| match r {
                    Record::Cohort(c) => Some((id, c)),
                    _ => None,
                })
                .collect();
            cohorts.sort_by(|a, c| (a.1.from, &a.1.name).cmp(&(c.1.from, &c.1.name)));
            let count = |name: &str, f: &dyn Fn(&Enrollment) -> bool| {
                b.enrollments
                    .iter()
                    .filter(|(_, e)| e.cohort.as_deref() == Some(name) && f(e))
                    .count()
            };
            let rows: Vec<(
                String,
                &crate::model::incubation::Cohort,
                usize,
                usize,
                usize,
            )> = cohorts
                .iter()
                .map(|(id, c)| {
                    (
                        id.clone(),
                        c,
                        count(&c.name, &|_| true),
                        count(&c.name, &|e| !e.stage.is_out()),
                        count(&c.name, &|e| e.stage == IncStage::Graduated),
                    )
                })
                .collect();
            if format == Format::Json {
                let arr: Vec<Json> = rows
                    .iter()
                    .map(|(id, c, all, inside, grad)| {
                        json!({
                            "id": id, "name": c.name, "from": c.from, "to": c.to,
                            "capacity": c.capacity, "enrollments": all, "in_base": inside,
                            "graduated": grad,
                        })
                    })
                    .collect();
                return output::print(&output::json(&Json::Array(arr))?);
            }
            let col = |k: &str| tr!(&format!("incubation.cohort_col.{k}"));
            let header: Vec<String> = ["name", "from", "to", "enrollments", "in_base", "graduated"]
                .iter()
                .map(|k| col(k))
                .collect();
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|(_, c, all, inside, grad)| {
                    vec![
                        c.name.clone(),
                        c.from.to_string(),
                        c.to.to_string(),
                        match c.capacity {
                            Some(cap) => format!("{all}/{cap}"),
                            None => all.to_string(),
                        },
                        inside.to_string(),
                        grad.to_string(),
                    ]
                })
                .collect();
            if format == Format::Csv {
                return output::print(&output::csv(&header, &table)?);
            }
            output::print(&output::table(&header, &table))
        }
    }
}
