//! `sanshe venture apply|step|pay|edit|show|rank|list|due`: a round's
//! projects.

use clap::Args;
use serde_json::{json, Value as Json};

use super::{money_flag, points, resolve, state_flag, yuan};
use crate::cli::error::{CliError, CliResult};
use crate::cli::output::{self, Format};
use crate::cli::parse::{parse_enum, today};
use crate::model::venture::{parse_kpi, AppState, Application, Kpi, Mark, Payment, Stage};
use crate::model::{money, parse::parse_date, Domain, Kind, Labeled, Record, Rule};
use crate::model::{parse::parse_yes_no, ValidationErrors};
use crate::report::venture::Ventures;
use crate::store::{Command, Store, StoreError};
use crate::text::lang;
use crate::tr;

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The round's id or title
    #[arg(long)]
    pub round: String,
    /// The applying organization's id or name
    #[arg(long)]
    pub org: String,
    #[arg(long)]
    pub title: String,
    /// Amount requested, in yuan (40000, 3.5万)
    #[arg(long)]
    pub requested: String,
    /// First day of the project
    #[arg(long, allow_hyphen_values = true)]
    pub from: String,
    /// Last day of the project
    #[arg(long, allow_hyphen_values = true)]
    pub to: String,
    /// A service domain (repeatable)
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// A KPI with its target, NAME=TARGET, e.g. 服务人次=500 (repeatable)
    #[arg(long = "kpi", value_name = "NAME=TARGET")]
    pub kpis: Vec<String>,
    /// Who the project serves
    #[arg(long)]
    pub target_group: Option<String>,
    /// Code of a place served (repeatable)
    #[arg(long = "place", value_name = "CODE")]
    pub places: Vec<String>,
    /// The project's whole budget, in yuan
    #[arg(long)]
    pub budget: Option<String>,
    /// Matching funds, in yuan
    #[arg(long)]
    pub matching: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct StepArgs {
    /// The project's id
    pub app: String,
    /// The next state: eligible | ineligible | reviewed | shortlisted | publicized | approved | in-progress | midterm-passed | midterm-to-fix | terminated | final-passed | failed | closed
    #[arg(long)]
    pub to: String,
    /// Amount awarded, in yuan (on approval)
    #[arg(long)]
    pub amount: Option<String>,
    /// Agreement number (on approval)
    #[arg(long)]
    pub agreement: Option<String>,
    /// Date of the step [default: today]
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    /// A note on the step (an objection during publicity is kept with the project)
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct PayArgs {
    /// The project's id
    pub app: String,
    /// The tranche's number (1, 2, ...)
    #[arg(long)]
    pub tranche: u32,
    /// Date paid [default: today]
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The project's id
    pub app: String,
    #[arg(long)]
    pub title: Option<String>,
    /// A brand project (品牌项目), shown in the bulletin: yes | no
    #[arg(long)]
    pub brand: Option<String>,
    /// A KPI with its target, NAME=TARGET (repeatable; adds or changes)
    #[arg(long = "kpi", value_name = "NAME=TARGET")]
    pub kpis: Vec<String>,
    /// What a KPI reached, NAME=VALUE, for KPIs not counted from activities (repeatable)
    #[arg(long = "reached", value_name = "NAME=VALUE")]
    pub reached: Vec<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The project's id
    pub app: String,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct RankArgs {
    /// The round's id or title
    pub round: String,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this round's projects (id or title)
    #[arg(long)]
    pub round: Option<String>,
    /// Only projects in this state
    #[arg(long)]
    pub state: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct DueArgs {
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

fn kpis_into(e: &mut ValidationErrors, values: &[String], a: &mut Application) {
    for k in values {
        match parse_kpi(k) {
            Some((name, target)) => {
                a.kpis.entry(name).or_default().target = target;
            }
            None => e.push(
                "kpis",
                Rule::Other {
                    message: tr!("venture.kpi_format"),
                },
            ),
        }
    }
}

pub fn apply(store: &Store, a: ApplyArgs) -> CliResult {
    let round = resolve(store, Kind::Round, "round", &a.round)?;
    let org = resolve(store, Kind::Org, "org", &a.org)?;
    let mut e = ValidationErrors::default();
    let requested = money_flag("requested", &a.requested).unwrap_or_else(|err| {
        if let CliError::Invalid(x) = err {
            e.0.extend(x.0);
        }
        0
    });
    let mut date = |field: &str, v: &str| {
        parse_date(v, today()).unwrap_or_else(|rule| {
            e.push(field, rule);
            today()
        })
    };
    let (from, to) = (date("from", &a.from), date("to", &a.to));
    let mut app = Application::new(round, org, &a.title, requested, from, to);
    for d in &a.domains {
        match parse_enum::<Domain>(d) {
            Ok(d) => app.domains.push(d),
            Err(rule) => e.push("domains", rule),
        }
    }
    kpis_into(&mut e, &a.kpis, &mut app);
    for (field, v, target) in [
        ("budget", &a.budget, &mut app.budget_fen),
        ("matching", &a.matching, &mut app.matching_fen),
    ] {
        if let Some(v) = v {
            match money_flag(field, v) {
                Ok(f) => *target = Some(f),
                Err(CliError::Invalid(x)) => e.0.extend(x.0),
                Err(other) => return Err(other),
            }
        }
    }
    app.target_group = a.target_group.clone();
    app.places = a.places.clone();
    app.notes = a.notes.clone();
    app.steps.insert(
        AppState::Submitted.key().to_string(),
        Mark {
            date: today(),
            author: Some(store.writing_user()),
            note: None,
        },
    );
    app.normalize();
    if let Err(found) = app.validate() {
        for f in found.0 {
            if e.for_field(&f.field).is_none() {
                e.0.push(f);
            }
        }
    }
    e.into_result()?;
    let title = app.title.clone();
    let outcome = store.execute(Command::Create {
        record: Record::Application(app),
    })?;
    output::message(&tr!("venture.applied", title = title));
    output::print(&format!("{}\n", outcome.id))
}

/// The project `id` as stored.
fn project(store: &Store, id: &str) -> CliResult<Application> {
    match store.get(Kind::Application, id.trim())? {
        Some(Record::Application(a)) => Ok(a),
        _ => Err(StoreError::NotFound {
            kind: Kind::Application,
            id: id.trim().to_string(),
        }
        .into()),
    }
}

fn save(store: &Store, id: &str, before: Application, after: Application) -> CliResult {
    store.execute(Command::Update {
        id: id.trim().to_string(),
        before: Record::Application(before),
        after: Record::Application(after),
    })?;
    Ok(())
}

pub fn step(store: &Store, a: StepArgs) -> CliResult {
    let before = project(store, &a.app)?;
    let to: AppState = state_flag("step", &a.to)?;
    let mut after = before.clone();
    let mut e = ValidationErrors::default();
    let date = match &a.date {
        Some(v) => parse_date(v, today()).unwrap_or_else(|rule| {
            e.push("date", rule);
            today()
        }),
        None => today(),
    };
    if let Some(v) = &a.amount {
        match money_flag("awarded", v) {
            Ok(f) => after.awarded_fen = Some(f),
            Err(CliError::Invalid(x)) => e.0.extend(x.0),
            Err(other) => return Err(other),
        }
    }
    if to == AppState::Approved && before.state.can_step(to) {
        if after.awarded_fen.is_none() && e.for_field("awarded").is_none() {
            e.push(
                "awarded",
                Rule::Other {
                    message: tr!("venture.amount_required"),
                },
            );
        }
        if let Some(n) = &a.agreement {
            after.agreement = Some(n.clone());
        }
        after.agreement_date = Some(date);
    } else if a.agreement.is_some() {
        after.agreement = a.agreement.clone();
    }
    if before.state == AppState::Publicized {
        if let Some(n) = &a.note {
            after.objections.push(n.clone());
        }
    }
    after.state = to;
    after.steps.insert(
        to.key().to_string(),
        Mark {
            date,
            author: Some(store.writing_user()),
            note: a.note.clone(),
        },
    );
    after.normalize();
    e.into_result()?;
    let (l, title, from) = (lang(), after.title.clone(), before.state);
    save(store, &a.app, before, after)?;
    output::message(&tr!(
        "venture.stepped",
        title = title,
        from = from.label(l),
        to = to.label(l)
    ));
    Ok(())
}

pub fn pay(store: &Store, a: PayArgs) -> CliResult {
    let before = project(store, &a.app)?;
    let date = match &a.date {
        Some(v) => parse_date(v, today()).map_err(|r| CliError::field("date", r))?,
        None => today(),
    };
    if let Some(p) = before.paid.get(&a.tranche) {
        return Err(CliError::field(
            "tranche",
            Rule::Other {
                message: tr!("venture.already_paid", seq = a.tranche, date = p.date),
            },
        ));
    }
    let round = match store.get(Kind::Round, &before.round)? {
        Some(Record::Round(r)) => r,
        _ => {
            return Err(StoreError::NotFound {
                kind: Kind::Round,
                id: before.round.clone(),
            }
            .into())
        }
    };
    let amount = before
        .awarded_fen
        .and_then(|f| round.tranche_amount(a.tranche, f))
        .unwrap_or(0);
    let mut after = before.clone();
    after.paid.insert(
        a.tranche,
        Payment {
            date,
            amount_fen: amount,
        },
    );
    let title = after.title.clone();
    // The store checks the tranche exists, its condition is met and the
    // amount is the plan's.
    save(store, &a.app, before, after)?;
    output::message(&tr!(
        "venture.paid",
        title = title,
        seq = a.tranche,
        amount = money::format(amount)
    ));
    Ok(())
}

pub fn edit(store: &Store, a: EditArgs) -> CliResult {
    let before = project(store, &a.app)?;
    let mut after = before.clone();
    let mut e = ValidationErrors::default();
    if let Some(t) = &a.title {
        after.title = t.clone();
    }
    if let Some(b) = &a.brand {
        match parse_yes_no(b) {
            Ok(v) => after.brand = v,
            Err(rule) => e.push("brand", rule),
        }
    }
    kpis_into(&mut e, &a.kpis, &mut after);
    for r in &a.reached {
        match parse_kpi(r) {
            Some((name, value)) => {
                after.kpis.entry(name).or_insert_with(Kpi::default).reached = Some(value)
            }
            None => e.push(
                "kpis",
                Rule::Other {
                    message: tr!("venture.kpi_format"),
                },
            ),
        }
    }
    if let Some(n) = &a.notes {
        after.notes = Some(n.clone());
    }
    after.normalize();
    e.into_result()?;
    let title = after.title.clone();
    save(store, &a.app, before, after)?;
    output::message(&tr!("cli.edited", record = title, n = 1));
    Ok(())
}

/// A project as JSON: the contract of `venture show` (and one element of
/// `venture list`).
fn app_json(v: &Ventures, id: &str, a: &Application, full: bool) -> Json {
    let l = lang();
    let total = v.total(id, Stage::Review);
    let mut j = json!({
        "id": id,
        "round": a.round,
        "round_name": v.round(&a.round).map(|r| r.title.as_str()),
        "org": a.org,
        "org_name": v.org_name(&a.org),
        "title": a.title,
        "state": a.state.key(),
        "state_name": a.state.label(l),
        "requested": yuan(a.requested_fen),
        "awarded": a.awarded_fen.map(yuan),
        "paid": yuan(a.paid_fen()),
        "total": total.map(points),
        "brand": a.brand,
    });
    if !full {
        return j;
    }
    let reviews: Vec<Json> = [Stage::Review, Stage::Midterm, Stage::Final]
        .iter()
        .flat_map(|stage| {
            v.sheets_of(id, *stage).into_iter().map(move |(sid, s)| {
                json!({
                    "id": sid,
                    "stage": stage.key(),
                    "reviewer": s.reviewer,
                    "total": (!s.recused).then(|| points(s.sheet().total())),
                    "recused": s.recused,
                    "date": s.date,
                })
            })
        })
        .collect();
    let tranches: Vec<Json> = v
        .tranches(id)
        .into_iter()
        .map(|t| {
            json!({
                "seq": t.seq,
                "percent": t.percent,
                "amount": yuan(t.amount_fen),
                "condition": t.condition.key(),
                "condition_name": t.condition.label(l),
                "paid": t.paid.is_some(),
                "paid_on": t.paid,
                "payable": t.payable,
            })
        })
        .collect();
    let f = v.figures(id);
    let m = j.as_object_mut().expect("an object");
    m.insert("reviews".into(), Json::Array(reviews));
    m.insert("tranches".into(), Json::Array(tranches));
    m.insert(
        "midterm_total".into(),
        json!(v.total(id, Stage::Midterm).map(points)),
    );
    m.insert(
        "final_total".into(),
        json!(v.total(id, Stage::Final).map(points)),
    );
    m.insert(
        "domains".into(),
        json!(a.domains.iter().map(|d| d.key()).collect::<Vec<_>>()),
    );
    m.insert("from".into(), json!(a.from));
    m.insert("to".into(), json!(a.to));
    m.insert("agreement".into(), json!(a.agreement));
    m.insert("agreement_date".into(), json!(a.agreement_date));
    m.insert("objections".into(), json!(a.objections));
    m.insert(
        "steps".into(),
        Json::Array(
            AppState::ALL
                .iter()
                .filter_map(|s| {
                    a.steps.get(s.key()).map(|m| {
                        json!({"state": s.key(), "date": m.date, "author": m.author, "note": m.note})
                    })
                })
                .collect(),
        ),
    );
    m.insert(
        "kpis".into(),
        Json::Array(
            v.kpis(id)
                .into_iter()
                .map(|(name, target, reached)| {
                    json!({"name": name, "target": target, "reached": reached})
                })
                .collect(),
        ),
    );
    m.insert(
        "figures".into(),
        json!({
            "activities": f.activities,
            "participants": f.participants,
            "beneficiaries": f.beneficiaries,
            "hours": points(u32::try_from(f.hours_tenths).unwrap_or(u32::MAX)),
        }),
    );
    m.insert(
        "visits".into(),
        Json::Array(
            v.visits_of(id)
                .into_iter()
                .map(|(vid, x)| super::sheet::visit_json(vid, x))
                .collect(),
        ),
    );
    j
}

pub fn show(store: &Store, a: ShowArgs) -> CliResult {
    let id = a.app.trim().to_string();
    project(store, &id)?;
    let v = Ventures::shared_with_figures(store)?;
    let Some(app) = v.app(&id) else {
        return Err(StoreError::NotFound {
            kind: Kind::Application,
            id,
        }
        .into());
    };
    let j = app_json(&v, &id, app, true);
    if a.format == Format::Json {
        return output::print(&output::json(&j)?);
    }
    let l = lang();
    let f = |k: &str| crate::text::field_label(k);
    let col = |k: &str| tr!(&format!("venture.col.{k}"));
    let opt_money = |x: Option<u64>| x.map(money::format).unwrap_or_default();
    let mut rows = vec![
        vec![col("title"), app.title.clone()],
        vec![
            col("round"),
            v.round(&app.round)
                .map(|r| r.title.clone())
                .unwrap_or_default(),
        ],
        vec![col("org"), v.org_name(&app.org).to_string()],
        vec![col("state"), app.state.label(l).to_string()],
        vec![col("requested"), money::format(app.requested_fen)],
        vec![col("awarded"), opt_money(app.awarded_fen)],
        vec![col("paid"), money::format(app.paid_fen())],
        vec![
            col("total"),
            v.total(&id, Stage::Review)
                .map(crate::model::evaluation::points_text)
                .unwrap_or_default(),
        ],
        vec![f("from"), app.from.to_string()],
        vec![f("to"), app.to.to_string()],
    ];
    for (_, s) in v.sheets_of(&id, Stage::Review) {
        rows.push(vec![
            format!("  {}", s.reviewer),
            if s.recused {
                crate::text::field_label("recused")
            } else {
                crate::model::evaluation::points_text(s.sheet().total())
            },
        ]);
    }
    for t in v.tranches(&id) {
        rows.push(vec![
            format!("{} {}", col("seq"), t.seq),
            format!(
                "{} {} {}",
                money::format(t.amount_fen),
                t.condition.label(l),
                t.paid.map(|d| d.to_string()).unwrap_or_default()
            ),
        ]);
    }
    let fig = v.figures(&id);
    rows.push(vec![
        tr!("activity.tui.title"),
        tr!(
            "venture.figures",
            a = fig.activities,
            p = fig.participants,
            b = fig.beneficiaries,
            h = crate::model::activity::tenths_text(fig.hours_tenths)
        ),
    ]);
    for (name, target, reached) in v.kpis(&id) {
        rows.push(vec![
            name,
            format!(
                "{} / {target}",
                reached.map(|r| r.to_string()).unwrap_or_else(|| "-".into())
            ),
        ]);
    }
    output::print(&output::detail(&rows))
}

pub fn rank(store: &Store, a: RankArgs) -> CliResult {
    let round = resolve(store, Kind::Round, "round", &a.round)?;
    let v = Ventures::shared(store)?;
    let ranked = v.rank(&round);
    let entries: Vec<(usize, &crate::model::venture::Ranked, &Application)> = ranked
        .iter()
        .enumerate()
        .filter_map(|(i, r)| v.app(&r.id).map(|app| (i + 1, r, app)))
        .collect();
    if a.format == Format::Json {
        let all: Vec<Json> = entries
            .iter()
            .map(|(n, r, app)| {
                json!({
                    "rank": n,
                    "id": r.id,
                    "title": app.title,
                    "org": app.org,
                    "org_name": v.org_name(&app.org),
                    "state": app.state.key(),
                    "total": points(r.total),
                    "requested": yuan(r.requested),
                    "award": yuan(r.award),
                })
            })
            .collect();
        return output::print(&output::json(&Json::Array(all))?);
    }
    let col = |k: &str| tr!(&format!("venture.col.{k}"));
    let header: Vec<String> = ["rank", "id", "title", "org", "total", "requested", "award"]
        .iter()
        .map(|k| col(k))
        .collect();
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|(n, r, app)| {
            vec![
                n.to_string(),
                r.id.clone(),
                app.title.clone(),
                v.org_name(&app.org).to_string(),
                crate::model::evaluation::points_text(r.total),
                money::format(r.requested),
                money::format(r.award),
            ]
        })
        .collect();
    if a.format == Format::Csv {
        return output::print(&output::csv(&header, &rows)?);
    }
    output::print(&output::table(&header, &rows))
}

pub fn list(store: &Store, a: ListArgs) -> CliResult {
    let round = match &a.round {
        Some(r) => Some(resolve(store, Kind::Round, "round", r)?),
        None => None,
    };
    let state: Option<AppState> = match &a.state {
        Some(s) => Some(state_flag("venture_state", s)?),
        None => None,
    };
    let v = Ventures::shared(store)?;
    let apps: Vec<&(String, Application)> = v
        .apps
        .iter()
        .filter(|(_, x)| round.as_ref().is_none_or(|r| &x.round == r))
        .filter(|(_, x)| state.is_none_or(|s| x.state == s))
        .collect();
    if a.format == Format::Json {
        let all: Vec<Json> = apps
            .iter()
            .map(|(id, x)| app_json(&v, id, x, false))
            .collect();
        return output::print(&output::json(&Json::Array(all))?);
    }
    let l = lang();
    let col = |k: &str| tr!(&format!("venture.col.{k}"));
    let header: Vec<String> = [
        "id",
        "round",
        "title",
        "org",
        "state",
        "total",
        "requested",
        "awarded",
        "paid",
    ]
    .iter()
    .map(|k| col(k))
    .collect();
    let rows: Vec<Vec<String>> = apps
        .iter()
        .map(|(id, x)| {
            vec![
                id.clone(),
                v.round(&x.round)
                    .map(|r| r.title.clone())
                    .unwrap_or_default(),
                x.title.clone(),
                v.org_name(&x.org).to_string(),
                x.state.label(l).to_string(),
                v.total(id, Stage::Review)
                    .map(crate::model::evaluation::points_text)
                    .unwrap_or_default(),
                money::format(x.requested_fen),
                x.awarded_fen.map(money::format).unwrap_or_default(),
                money::format(x.paid_fen()),
            ]
        })
        .collect();
    if a.format == Format::Csv {
        return output::print(&output::csv(&header, &rows)?);
    }
    output::print(&output::table(&header, &rows))
}

pub fn due(store: &Store, a: DueArgs) -> CliResult {
    let v = Ventures::shared(store)?;
    let items = v.due(today());
    if a.format == Format::Json {
        let all: Vec<Json> = items
            .iter()
            .map(|d| {
                let mut j = serde_json::to_value(d).unwrap_or(Json::Null);
                if let Some(m) = j.as_object_mut() {
                    let app = v.app(&d.application);
                    m.insert("title".into(), json!(app.map(|x| x.title.as_str())));
                    m.insert("org_name".into(), json!(app.map(|x| v.org_name(&x.org))));
                    m.insert("what".into(), json!(d.what.text()));
                }
                j
            })
            .collect();
        return output::print(&output::json(&Json::Array(all))?);
    }
    let col = |k: &str| tr!(&format!("venture.col.{k}"));
    let header = vec![col("date"), col("title"), col("org"), col("what")];
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|d| {
            let app = v.app(&d.application);
            vec![
                d.date.map(|x| x.to_string()).unwrap_or_default() + if d.late { " !" } else { "" },
                app.map(|x| x.title.clone()).unwrap_or_default(),
                app.map(|x| v.org_name(&x.org).to_string())
                    .unwrap_or_default(),
                d.what.text(),
            ]
        })
        .collect();
    if a.format == Format::Csv {
        return output::print(&output::csv(&header, &rows)?);
    }
    output::print(&output::table(&header, &rows))
}
