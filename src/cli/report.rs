//! `sanshe due`, `sanshe stats`, `sanshe report bulletin`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use serde_json::{json, Value as Json};

use super::error::{CliError, CliResult};
use super::output::{self, Format};
use super::today;
use crate::model::activity::{month_text, parse_month, tenths_text};
use crate::model::center::Rules;
use crate::model::{Labeled, OrgType, RegState, Rule};
use crate::report::year::YearFigures;
use crate::report::{Bulletin, Data, Due};
use crate::store::Store;
use crate::text::{label, lang};
use crate::tr;

/// `sanshe due`.
#[derive(Debug, Args)]
pub struct DueArgs {
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `sanshe stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Also the figures of this year's work (as in the disclosure report)
    #[arg(long)]
    pub year: Option<String>,
}

/// `sanshe report ...`
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The monthly publicity bulletin
    Bulletin(BulletinArgs),
    /// The center's yearly disclosure report (信息公开)
    Disclosure(DisclosureArgs),
}

/// Format of the disclosure report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DisclosureFormat {
    #[default]
    Md,
    Html,
    Json,
}

#[derive(Debug, Args)]
pub struct DisclosureArgs {
    /// YYYY
    #[arg(long)]
    pub year: String,
    #[arg(long, value_enum, default_value_t)]
    pub format: DisclosureFormat,
    /// Write to this file (replaced whole) instead of standard output
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Format of a bulletin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum BulletinFormat {
    #[default]
    Md,
    Html,
}

#[derive(Debug, Args)]
pub struct BulletinArgs {
    /// YYYY-MM
    #[arg(long)]
    pub month: String,
    #[arg(long, value_enum, default_value_t)]
    pub format: BulletinFormat,
    /// Write to this file (replaced whole) instead of standard output
    #[arg(long)]
    pub out: Option<PathBuf>,
}

fn load(store: &Store) -> CliResult<(std::sync::Arc<Data>, crate::model::Rubric)> {
    let rubric = super::eval::rubric()?;
    let data = Data::shared(store, today(), &rubric)?;
    Ok((data, rubric))
}

/// One due item as `(label, detail)` in the user's language.
pub fn due_text(d: &Due) -> (String, String) {
    let name = tr!(&format!("activity.due.{}", d.key()));
    let detail = match d {
        Due::InspectionDue { year, deadline } | Due::InspectionOverdue { year, deadline } => {
            tr!(
                "activity.due.inspection_detail",
                year = year,
                date = deadline
            )
        }
        Due::RectificationOverdue { year, due } => {
            tr!("activity.due.rectify_detail", year = year, date = due)
        }
        Due::RatingExpiring { level, expires } | Due::RatingExpired { level, expires } => {
            tr!("activity.due.rating_detail", level = level, date = expires)
        }
        Due::RatingEligible => String::new(),
    };
    (name, detail)
}

pub fn run_due(store: &Store, args: DueArgs) -> CliResult {
    let (data, _) = load(store)?;
    let list = data.stats.due_list();
    // Planned exits from the incubation base (within 30 days or past).
    let base = crate::report::incubation::Base::load(store, super::today())?;
    let exits: Vec<(String, String, chrono::NaiveDate)> = base
        .exits_due()
        .into_iter()
        .map(|(_, e)| {
            let space = base
                .space(&e.space)
                .map(|s| s.code.clone())
                .unwrap_or_default();
            (e.org.clone(), space, e.to)
        })
        .collect();
    // Filings waiting for the committee or the street, and filed
    // organizations preparing to register for over a year.
    let filings = crate::report::filing::Filings::load(store)?;
    let lg = lang();
    let waiting = filings.waiting(super::today());
    let to_register = filings.to_register(super::today());
    let name = |id: &str| {
        data.orgs
            .get(id)
            .map(|o| o.name.clone())
            .unwrap_or_default()
    };
    match args.format {
        Format::Json => {
            let arr: Vec<Json> = list
                .iter()
                .map(|(id, d)| {
                    let mut v = serde_json::to_value(d).unwrap_or(Json::Null);
                    if let Json::Object(m) = &mut v {
                        m.insert("org".into(), json!(id));
                        m.insert("name".into(), json!(name(id)));
                    }
                    v
                })
                .chain(exits.iter().map(|(org, space, date)| {
                    json!({
                        "kind": "incubation_exit",
                        "org": org,
                        "name": name(org),
                        "space": space,
                        "date": date,
                    })
                }))
                .chain(waiting.iter().map(|(r, days)| {
                    json!({
                        "kind": "filing_waiting",
                        "filing": r.id,
                        "org": r.filing.org,
                        "name": r.filing.name,
                        "state": r.filing.state.key(),
                        "date": r.since,
                        "days": days,
                    })
                }))
                .chain(to_register.iter().map(|(r, since)| {
                    json!({
                        "kind": "filing_register",
                        "filing": r.id,
                        "org": r.filing.org,
                        "name": r.filing.name,
                        "date": since,
                    })
                }))
                .collect();
            output::print(&output::json(&Json::Array(arr))?)
        }
        Format::Table | Format::Csv => {
            let header: Vec<String> = ["kind", "org", "name", "detail"]
                .iter()
                .map(|k| tr!(&format!("activity.due.col.{k}")))
                .collect();
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|(id, d)| {
                    let (kind, detail) = due_text(d);
                    let kind = if args.format == Format::Csv {
                        d.key().to_string()
                    } else {
                        kind
                    };
                    vec![kind, id.to_string(), name(id), detail]
                })
                .chain(exits.iter().map(|(org, space, date)| {
                    let kind = if args.format == Format::Csv {
                        "incubation_exit".to_string()
                    } else {
                        tr!("incubation.exit_due")
                    };
                    vec![kind, org.clone(), name(org), format!("{space} {date}")]
                }))
                .chain(waiting.iter().map(|(r, days)| {
                    let (kind, detail) = if args.format == Format::Csv {
                        ("filing_waiting".to_string(), days.to_string())
                    } else {
                        (
                            tr!("filing.waiting"),
                            tr!(
                                "filing.waiting_detail",
                                state = r.filing.state.label(lg),
                                days = days
                            ),
                        )
                    };
                    vec![kind, r.id.clone(), r.filing.name.clone(), detail]
                }))
                .chain(to_register.iter().map(|(r, since)| {
                    let (kind, detail) = if args.format == Format::Csv {
                        ("filing_register".to_string(), since.to_string())
                    } else {
                        (
                            tr!("filing.to_register"),
                            tr!("filing.register_detail", date = since),
                        )
                    };
                    vec![kind, r.id.clone(), r.filing.name.clone(), detail]
                }))
                .collect();
            if args.format == Format::Csv {
                output::print(&output::csv(&header, &rows)?)
            } else {
                let mut text = output::table(&header, &rows);
                text.push_str(&tr!("cli.count", n = rows.len()));
                text.push('\n');
                output::print(&text)
            }
        }
    }
}

/// Months shown on the dashboard.
pub const MONTHS: usize = 12;

/// A year typed on the command line.
fn year_flag(v: &str) -> CliResult<i32> {
    v.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| crate::model::bounds::year_rule(*y).is_none())
        .ok_or_else(|| {
            CliError::field(
                "year",
                crate::model::bounds::year_rule(0).unwrap_or(Rule::Date),
            )
        })
}

pub fn run_stats(store: &Store, args: StatsArgs) -> CliResult {
    let year = args.year.as_deref().map(year_flag).transpose()?;
    let (data, rubric) = load(store)?;
    let f = data.stats.figures(MONTHS);
    let year = year
        .map(|y| YearFigures::compute(store, &data, y))
        .transpose()?;
    let place_name = |code: &str| {
        data.places
            .iter()
            .find(|p| p.code == code)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    match args.format {
        Format::Json => {
            let months: Vec<Json> = f
                .months
                .iter()
                .map(|(m, t)| {
                    json!({
                        "month": month_text(*m),
                        "activities": t.activities,
                        "participants": t.participants,
                        "beneficiaries": t.beneficiaries,
                        "volunteer_hours": t.volunteer_tenths as f64 / 10.0,
                    })
                })
                .collect();
            let communities: Vec<Json> = f
                .by_community
                .iter()
                .map(|(c, n)| json!({ "code": c, "name": place_name(c), "orgs": n }))
                .collect();
            let party: Vec<Json> = f
                .party_by_community
                .iter()
                .map(|(c, (active, covered))| {
                    json!({
                        "code": c,
                        "name": place_name(c),
                        "active": active,
                        "covered": covered,
                        "rate": crate::report::party::rate(*covered, *active),
                    })
                })
                .collect();
            let filings = crate::report::filing::Filings::load(store)?;
            let filing_states: serde_json::Map<String, Json> = filings
                .by_state()
                .iter()
                .map(|(s, n)| (s.key().to_string(), json!(n)))
                .collect();
            let v = json!({
                "party_by_community": party,
                "filings": {
                    "total": filings.rows.len(),
                    "by_state": filing_states,
                    "waiting": filings.waiting(f.date).len(),
                },
                "date": f.date,
                "orgs": {
                    "total": f.orgs,
                    "active": f.active_orgs,
                    "by_type": f.by_type,
                    "by_state": f.by_state,
                    "by_community": communities,
                    "party_covered": f.party_covered,
                    "party_coverage": f.party_coverage,
                },
                "activities": {
                    "total": f.activities.activities,
                    "participants": f.activities.participants,
                    "beneficiaries": f.activities.beneficiaries,
                    "volunteer_hours": f.activities.volunteer_tenths as f64 / 10.0,
                },
                "months": months,
                "due": f.due,
                "grades": f.grades,
                "evaluated": f.evaluated,
            });
            let mut v = v;
            if let Some(y) = &year {
                v["year"] = serde_json::to_value(y).unwrap_or(Json::Null);
            }
            output::print(&output::json(&v)?)
        }
        Format::Table | Format::Csv => {
            let mut rows: Vec<Vec<String>> = Vec::new();
            let mut row = |k: String, v: String| rows.push(vec![k, v]);
            row(tr!("activity.stats.orgs"), f.orgs.to_string());
            for t in OrgType::ALL {
                if let Some(n) = f.by_type.get(t.key()) {
                    row(format!("  {}", label(*t)), n.to_string());
                }
            }
            for s in RegState::ALL {
                if let Some(n) = f.by_state.get(s.key()) {
                    row(format!("  {}", label(*s)), n.to_string());
                }
            }
            for (c, n) in &f.by_community {
                let name = if c.is_empty() {
                    tr!("activity.stats.no_place")
                } else {
                    place_name(c)
                };
                row(format!("  {name}"), n.to_string());
            }
            row(
                tr!("activity.stats.party_coverage"),
                format!(
                    "{}% ({}/{})",
                    f.party_coverage, f.party_covered, f.active_orgs
                ),
            );
            for (c, (active, covered)) in &f.party_by_community {
                let name = if c.is_empty() {
                    tr!("activity.stats.no_place")
                } else {
                    place_name(c)
                };
                row(
                    format!("  {name}"),
                    format!(
                        "{}% ({covered}/{active})",
                        crate::report::party::rate(*covered, *active)
                    ),
                );
            }
            let filings = crate::report::filing::Filings::load(store)?;
            if !filings.rows.is_empty() {
                row(
                    tr!("filing.waiting"),
                    filings.waiting(f.date).len().to_string(),
                );
            }
            row(
                tr!("activity.stats.activities"),
                f.activities.activities.to_string(),
            );
            row(
                tr!("activity.stats.participants"),
                f.activities.participants.to_string(),
            );
            row(
                tr!("activity.stats.beneficiaries"),
                f.activities.beneficiaries.to_string(),
            );
            row(
                tr!("activity.stats.hours"),
                tenths_text(f.activities.volunteer_tenths),
            );
            for (m, t) in &f.months {
                row(
                    format!("  {}", month_text(*m)),
                    tr!(
                        "activity.stats.month",
                        n = t.activities,
                        p = t.participants,
                        h = tenths_text(t.volunteer_tenths)
                    ),
                );
            }
            for (k, n) in &f.due {
                row(tr!(&format!("activity.due.{k}")), n.to_string());
            }
            for b in &rubric.bands {
                row(
                    format!("{} {}", tr!("activity.stats.grade"), b.label(lang())),
                    f.grades.get(&b.key).copied().unwrap_or(0).to_string(),
                );
            }
            if let Some(y) = &year {
                rows.push(vec![tr!("year.title", year = y.year), String::new()]);
                for r in y.rows(lang()) {
                    rows.push(vec![format!("  {}", r[0]), r[1].clone()]);
                }
            }
            let header = vec![tr!("activity.stats.item"), tr!("activity.stats.value")];
            if args.format == Format::Csv {
                output::print(&output::csv(&header, &rows)?)
            } else {
                output::print(&output::table(&header, &rows))
            }
        }
    }
}

/// The bulletin of a month in a format, from loaded data.
pub fn bulletin_text(data: &Data, rubric: &crate::model::Rubric, month: u32, html: bool) -> String {
    let b = Bulletin::build(
        month,
        &data.log,
        &data.orgs,
        &data.evaluations,
        rubric,
        lang(),
    )
    .with_venture(&data.ventures);
    if html {
        b.html()
    } else {
        b.markdown()
    }
}

pub fn run_report(store: &Store, cmd: ReportCommand, rules: &Rules) -> CliResult {
    let args = match cmd {
        ReportCommand::Bulletin(args) => args,
        ReportCommand::Disclosure(args) => return run_disclosure(store, args, rules),
    };
    let month = parse_month(&args.month).ok_or_else(|| CliError::field("month", Rule::Date))?;
    let (data, rubric) = load(store)?;
    let text = bulletin_text(&data, &rubric, month, args.format == BulletinFormat::Html);
    match &args.out {
        Some(path) => {
            crate::files::write_atomic(path, text.as_bytes())
                .map_err(|e| CliError::Failed(format!("{}: {e}", path.display())))?;
            output::message(&tr!("activity.bulletin_written", path = path.display()));
            Ok(())
        }
        None => output::print(&text),
    }
}

fn run_disclosure(store: &Store, args: DisclosureArgs, rules: &Rules) -> CliResult {
    let year = year_flag(&args.year)?;
    let (_, center) =
        crate::report::center::own(store)?.ok_or_else(|| CliError::Failed(tr!("center.none")))?;
    let (data, _) = load(store)?;
    let figures = YearFigures::compute(store, &data, year)?;
    let day = crate::report::disclosure::day_of(year, today());
    let text = if args.format == DisclosureFormat::Json {
        let lg = lang();
        let items = crate::report::center::checklist(&center, &data, rules, day);
        let v = json!({
            "year": year,
            "center": center.name,
            "work": figures,
            "funding": center.funding_in(year).map(|f| json!({
                "kind": f.kind.key(), "payer": f.payer, "contract": f.contract,
                "amount": super::venture::yuan(f.amount_fen), "from": f.from, "to": f.to,
            })).collect::<Vec<_>>(),
            "compliance": items.iter().map(|i| json!({
                "key": i.key, "clause": i.clause, "status": i.status,
                "label": crate::report::center::item_label(i, rules, lg),
            })).collect::<Vec<_>>(),
        });
        output::json(&v)?
    } else {
        let doc = crate::report::disclosure::build(
            &crate::report::disclosure::Inputs {
                center: &center,
                data: &data,
                figures: &figures,
                rules,
                day,
            },
            lang(),
        );
        if args.format == DisclosureFormat::Html {
            doc.html()
        } else {
            doc.markdown()
        }
    };
    match &args.out {
        Some(path) => {
            crate::files::write_atomic(path, text.as_bytes())
                .map_err(|e| CliError::Failed(format!("{}: {e}", path.display())))?;
            output::message(&tr!("disclosure.written", path = path.display()));
            Ok(())
        }
        None => output::print(&text),
    }
}
