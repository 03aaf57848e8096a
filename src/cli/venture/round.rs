//! `sanshe venture round add|list|show`.

use clap::{Args, Subcommand};
use serde_json::{json, Value as Json};

use super::{money_flag, resolve, yuan};
use crate::cli::error::{CliError, CliResult};
use crate::cli::output::{self, Format};
use crate::cli::parse::{parse_enum, today};
use crate::model::review::Aggregate;
use crate::model::venture::{parse_tranche, Condition, Round};
use crate::model::{
    money, parse::parse_date, Domain, Kind, Labeled, RatingLevel, Record, RegState, Rule,
    ValidationErrors,
};
use crate::report::venture::Ventures;
use crate::store::{Command, Store};
use crate::text::lang;
use crate::tr;

#[derive(Debug, Subcommand)]
pub enum RoundCommand {
    /// Add a round; prints its id
    Add(Box<RoundAddArgs>),
    /// The rounds, newest first, with their projects and money
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// One round: its rules and totals
    Show {
        /// The round's id or title
        round: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Args)]
pub struct RoundAddArgs {
    #[arg(long)]
    pub title: String,
    #[arg(long)]
    pub year: String,
    /// The round's budget in yuan (400000, 40万)
    #[arg(long)]
    pub budget: String,
    /// At most this per project, in yuan
    #[arg(long)]
    pub cap: String,
    /// A service domain the round funds (repeatable)
    #[arg(long = "theme", value_name = "DOMAIN")]
    pub themes: Vec<String>,
    /// The review rubric (sanshe rubric list) [default: venture-review]
    #[arg(long)]
    pub rubric: Option<String>,
    /// mean | trimmed (without the highest and lowest, from five sheets)
    #[arg(long)]
    pub aggregate: Option<String>,
    /// A tranche of the award, SHARE:CONDITION (signing | midterm | final), e.g. 40%:signing (repeatable, in order)
    #[arg(long = "tranche", value_name = "SHARE:CONDITION")]
    pub tranches: Vec<String>,
    /// Who funds it
    #[arg(long)]
    pub funder: Option<String>,
    /// Code of a place it serves (repeatable)
    #[arg(long = "place", value_name = "CODE")]
    pub places: Vec<String>,
    /// A registration state that may apply (repeatable) [default: filed, registered]
    #[arg(long = "state", value_name = "STATE")]
    pub states: Vec<String>,
    /// The lowest rating an applicant must hold (1A..5A)
    #[arg(long)]
    pub min_rating: Option<String>,
    /// Organizations on the abnormal list may apply too
    #[arg(long)]
    pub allow_abnormal: bool,
    /// First day of the call
    #[arg(long, allow_hyphen_values = true)]
    pub call_from: Option<String>,
    /// Last day of the call
    #[arg(long, allow_hyphen_values = true)]
    pub call_to: Option<String>,
    /// Day of the review
    #[arg(long, allow_hyphen_values = true)]
    pub review_on: Option<String>,
    /// Days the shortlist is publicised
    #[arg(long)]
    pub publicity_days: Option<u32>,
    /// When mid-term reports are due
    #[arg(long, allow_hyphen_values = true)]
    pub midterm_due: Option<String>,
    /// When final reports are due
    #[arg(long, allow_hyphen_values = true)]
    pub final_due: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

pub fn run(store: &Store, cmd: RoundCommand) -> CliResult {
    match cmd {
        RoundCommand::Add(a) => add(store, *a),
        RoundCommand::List { format } => list(store, format),
        RoundCommand::Show { round, format } => show(store, &round, format),
    }
}

/// The round the flags describe, every error collected.
fn build(a: &RoundAddArgs) -> CliResult<Round> {
    let mut e = ValidationErrors::default();
    let mut money_of = |field: &str, v: &str| match money_flag(field, v) {
        Ok(f) => f,
        Err(CliError::Invalid(x)) => {
            e.0.extend(x.0);
            0
        }
        Err(_) => 0,
    };
    let budget = money_of("budget", &a.budget);
    let cap = money_of("cap", &a.cap);
    let year = match crate::model::parse::whole_number(&a.year)
        .and_then(|y| i32::try_from(y).ok())
        .filter(|y| crate::model::bounds::year_rule(*y).is_none())
    {
        Some(y) => y,
        None => {
            e.push(
                "year",
                Rule::Number {
                    min: i64::from(crate::model::bounds::YEAR_MIN),
                    max: i64::from(crate::model::bounds::YEAR_MAX),
                },
            );
            0
        }
    };
    let mut r = Round::new(&a.title, year, budget, cap);
    for t in &a.themes {
        match parse_enum::<Domain>(t) {
            Ok(d) => r.themes.push(d),
            Err(rule) => e.push("themes", rule),
        }
    }
    if let Some(k) = &a.rubric {
        let known = crate::report::load_rubrics(crate::config::config_dir().as_deref())
            .map_err(CliError::Usage)?;
        if !known.iter().any(|(key, _)| key == k.trim()) {
            e.push(
                "rubric",
                Rule::OneOf {
                    allowed: known
                        .iter()
                        .map(|(k, _)| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                },
            );
        }
        r.rubric = k.clone();
    }
    if let Some(v) = &a.aggregate {
        match parse_enum::<Aggregate>(v) {
            Ok(x) => r.aggregate = x,
            Err(rule) => e.push("aggregate", rule),
        }
    }
    for (i, t) in a.tranches.iter().enumerate() {
        match parse_tranche(t) {
            Some(t) => {
                r.tranches.insert(i as u32 + 1, t);
            }
            None => e.push(
                "tranches",
                Rule::Other {
                    message: tr!(
                        "venture.tranche_format",
                        allowed = crate::text::allowed::<Condition>()
                    ),
                },
            ),
        }
    }
    r.funder = a.funder.clone();
    r.places = a.places.clone();
    for s in &a.states {
        match parse_enum::<RegState>(s) {
            Ok(x) => r.eligible_states.push(x),
            Err(rule) => e.push("eligible_states", rule),
        }
    }
    if let Some(v) = &a.min_rating {
        match parse_enum::<RatingLevel>(v) {
            Ok(x) => r.min_rating = Some(x),
            Err(rule) => e.push("min_rating", rule),
        }
    }
    r.exclude_abnormal = !a.allow_abnormal;
    for (field, v, target) in [
        ("call_from", &a.call_from, &mut r.call_from),
        ("call_to", &a.call_to, &mut r.call_to),
        ("review_on", &a.review_on, &mut r.review_on),
        ("midterm_due", &a.midterm_due, &mut r.midterm_due),
        ("final_due", &a.final_due, &mut r.final_due),
    ] {
        if let Some(v) = v {
            match parse_date(v, today()) {
                Ok(d) => *target = Some(d),
                Err(rule) => e.push(field, rule),
            }
        }
    }
    r.publicity_days = a.publicity_days;
    r.notes = a.notes.clone();
    r.normalize();
    if let Err(found) = r.validate() {
        for f in found.0 {
            if e.for_field(&f.field).is_none() {
                e.0.push(f);
            }
        }
    }
    e.into_result()?;
    Ok(r)
}

fn add(store: &Store, a: RoundAddArgs) -> CliResult {
    let r = build(&a)?;
    let title = r.title.clone();
    let outcome = store.execute(Command::Create {
        record: Record::Round(r),
    })?;
    output::message(&tr!("venture.round_saved", title = title));
    output::print(&format!("{}\n", outcome.id))
}

fn round_json(v: &Ventures, id: &str, r: &Round) -> Json {
    let t = v.totals(id);
    let l = lang();
    json!({
        "id": id,
        "title": r.title,
        "year": r.year,
        "funder": r.funder,
        "budget": yuan(r.budget_fen),
        "cap": yuan(r.cap_fen),
        "themes": r.themes.iter().map(|d| d.key()).collect::<Vec<_>>(),
        "places": r.places,
        "eligible_states": r.states().iter().map(|s| s.key()).collect::<Vec<_>>(),
        "min_rating": r.min_rating.map(|x| x.key()),
        "exclude_abnormal": r.exclude_abnormal,
        "call_from": r.call_from,
        "call_to": r.call_to,
        "review_on": r.review_on,
        "rubric": r.rubric,
        "aggregate": r.aggregate.key(),
        "aggregate_name": r.aggregate.label(l),
        "publicity_days": r.publicity_days,
        "tranches": r.plan().iter().map(|(seq, t)| json!({
            "seq": seq,
            "percent": t.percent,
            "condition": t.condition.key(),
            "condition_name": t.condition.label(l),
        })).collect::<Vec<_>>(),
        "midterm_due": r.midterm_due,
        "final_due": r.final_due,
        "notes": r.notes,
        "applications": t.applications,
        "approved": t.approved,
        "awarded": yuan(t.awarded_fen),
        "paid": yuan(t.paid_fen),
    })
}

fn list(store: &Store, format: Format) -> CliResult {
    let v = Ventures::shared_with_figures(store)?;
    if format == Format::Json {
        let all: Vec<Json> = v
            .rounds
            .iter()
            .map(|(id, r)| round_json(&v, id, r))
            .collect();
        return output::print(&output::json(&Json::Array(all))?);
    }
    let col = |k: &str| tr!(&format!("venture.col.{k}"));
    let header: Vec<String> = [
        "id", "year", "round", "budget", "cap", "apps", "given", "paid",
    ]
    .iter()
    .map(|k| col(k))
    .collect();
    let rows: Vec<Vec<String>> = v
        .rounds
        .iter()
        .map(|(id, r)| {
            let t = v.totals(id);
            vec![
                id.clone(),
                r.year.to_string(),
                r.title.clone(),
                money::format(r.budget_fen),
                money::format(r.cap_fen),
                format!("{}/{}", t.approved, t.applications),
                money::format(t.awarded_fen),
                money::format(t.paid_fen),
            ]
        })
        .collect();
    if format == Format::Csv {
        return output::print(&output::csv(&header, &rows)?);
    }
    if rows.is_empty() {
        output::message(&tr!("venture.no_rounds"));
        return Ok(());
    }
    output::print(&output::table(&header, &rows))
}

fn show(store: &Store, round: &str, format: Format) -> CliResult {
    let id = resolve(store, Kind::Round, "round", round)?;
    let v = Ventures::shared_with_figures(store)?;
    let Some(r) = v.round(&id) else {
        return Err(crate::store::StoreError::NotFound {
            kind: Kind::Round,
            id,
        }
        .into());
    };
    let j = round_json(&v, &id, r);
    if format == Format::Json {
        return output::print(&output::json(&j)?);
    }
    let l = lang();
    let f = |k: &str| crate::text::field_label(k);
    let t = v.totals(&id);
    let mut rows = vec![
        vec![f("title"), r.title.clone()],
        vec![f("year"), r.year.to_string()],
        vec![f("budget"), money::format(r.budget_fen)],
        vec![f("cap"), money::format(r.cap_fen)],
    ];
    if let Some(x) = &r.funder {
        rows.push(vec![f("funder"), x.clone()]);
    }
    if !r.themes.is_empty() {
        rows.push(vec![
            f("themes"),
            r.themes
                .iter()
                .map(|d| d.label(l))
                .collect::<Vec<_>>()
                .join("、"),
        ]);
    }
    rows.push(vec![
        f("eligible_states"),
        r.states()
            .iter()
            .map(|s| s.label(l))
            .collect::<Vec<_>>()
            .join("、"),
    ]);
    if let Some(m) = r.min_rating {
        rows.push(vec![f("min_rating"), m.label(l).to_string()]);
    }
    rows.push(vec![f("rubric"), r.rubric.clone()]);
    rows.push(vec![f("aggregate"), r.aggregate.label(l).to_string()]);
    if !r.tranches.is_empty() {
        rows.push(vec![
            f("tranches"),
            r.plan()
                .iter()
                .map(|(_, t)| format!("{}% {}", t.percent, t.condition.label(l)))
                .collect::<Vec<_>>()
                .join("；"),
        ]);
    }
    for (k, d) in [
        ("call_to", r.call_to),
        ("review_on", r.review_on),
        ("midterm_due", r.midterm_due),
        ("final_due", r.final_due),
    ] {
        if let Some(d) = d {
            rows.push(vec![f(k), d.to_string()]);
        }
    }
    rows.push(vec![
        tr!("venture.col.apps"),
        format!("{}/{}", t.approved, t.applications),
    ]);
    rows.push(vec![tr!("venture.col.given"), money::format(t.awarded_fen)]);
    rows.push(vec![tr!("venture.col.paid"), money::format(t.paid_fen)]);
    output::print(&output::detail(&rows))
}
