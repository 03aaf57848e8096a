//! `sanshe activity add|list|edit|rm`.

use clap::{Args, Subcommand};
use serde_json::Value as Json;

use super::error::{CliError, CliResult};
use super::output::{self, Format};
use super::parse::list_flag;
use crate::model::activity::{parse_month, tenths_text};
use crate::model::{
    Activity, ActivityInput, FieldError, Kind, Labeled, Record, Rule, ValidationErrors,
};
use crate::store::{Command, Store, StoreError};
use crate::sync::words::named;
use crate::text::{field_label, label};
use crate::tr;

/// `sanshe activity ...`
#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum ActivityCommand {
    /// Log an activity; prints its id
    Add(ActivityFields),
    /// List activities, newest first
    List(ActivityListArgs),
    /// Change an activity: only the fields given change
    Edit {
        id: String,
        #[command(flatten)]
        fields: ActivityFields,
        /// Empty these fields (e.g. --clear hours --clear grid)
        #[arg(long, value_name = "FIELD")]
        clear: Vec<String>,
    },
    /// Delete an activity (kept in the database as deleted)
    Rm { id: String },
    /// Put a deleted activity back
    Restore { id: String },
}

/// Flags of `activity add` and `activity edit`. `add` needs --org, --date
/// and --title; `edit` changes only the fields given.
#[derive(Debug, Args, Default)]
pub struct ActivityFields {
    /// Organization id (repeat for an activity held together; edit: replaces them all)
    #[arg(long = "org", value_name = "ID")]
    pub orgs: Vec<String>,
    /// 2026-11-03, 11-3 (this year), t (today) or -1 (yesterday)
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    #[arg(long)]
    pub title: Option<String>,
    /// service | training | meeting | culture-sports | volunteer | publicity | party-building | other
    #[arg(long)]
    pub kind: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub participants: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub beneficiaries: Option<String>,
    /// Volunteer hours (one decimal: 12.5)
    #[arg(long, allow_hyphen_values = true)]
    pub hours: Option<String>,
    /// Grid cell or community code where it took place
    #[arg(long)]
    pub grid: Option<String>,
    /// Free-text venue
    #[arg(long)]
    pub venue: Option<String>,
    /// Service domain (elderly, children, ... or 养老服务, ...)
    #[arg(long)]
    pub domain: Option<String>,
    /// Start time HH:MM
    #[arg(long)]
    pub start: Option<String>,
    /// End time HH:MM
    #[arg(long)]
    pub end: Option<String>,
    #[arg(long)]
    pub summary: Option<String>,
    /// Tag (repeatable), e.g. 品牌项目 (edit: replaces them all)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// May be published in bulletins (edit: `--clear publish` takes it back)
    #[arg(long)]
    pub publish: bool,
    /// Id of the venture project it belongs to (`venture list`)
    #[arg(long, value_name = "APP")]
    pub project: Option<String>,
}

/// Flags of `activity list`.
#[derive(Debug, Args)]
pub struct ActivityListArgs {
    /// Only activities of this organization
    #[arg(long)]
    pub org: Option<String>,
    /// Only this month (YYYY-MM)
    #[arg(long)]
    pub month: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(store: &Store, cmd: ActivityCommand) -> CliResult {
    match cmd {
        ActivityCommand::Add(a) => add(store, a),
        ActivityCommand::List(a) => list(store, a),
        ActivityCommand::Edit { id, fields, clear } => edit(store, &id, &fields, &clear),
        ActivityCommand::Rm { id } => rm(store, &id),
        ActivityCommand::Restore { id } => super::restore(store, Kind::Activity, &id),
    }
}

/// Applies the flags given onto `act` (see
/// [`crate::model::activity_input::apply`]): the rules of the app's quick
/// entry and edit form too. Nothing is written here.
fn apply(f: &ActivityFields, act: &mut Activity) -> CliResult {
    let input = ActivityInput {
        orgs: list_flag(&f.orgs),
        date: f.date.clone(),
        title: f.title.clone(),
        kind: f.kind.clone(),
        participants: f.participants.clone(),
        beneficiaries: f.beneficiaries.clone(),
        hours: f.hours.clone(),
        grid: f.grid.clone(),
        venue: f.venue.clone(),
        domain: f.domain.clone(),
        start: f.start.clone(),
        end: f.end.clone(),
        summary: f.summary.clone(),
        tags: list_flag(&f.tags),
        publishable: f.publish.then(|| "yes".to_string()),
        project: f.project.clone(),
    };
    let (today, lang) = (super::today(), crate::text::lang());
    crate::model::activity_input::apply(&input, act, today, lang)?;
    Ok(())
}

fn add(store: &Store, f: ActivityFields) -> CliResult {
    let mut act = crate::model::activity_input::blank(super::today());
    let applied = apply(&f, &mut act);
    // The app's form starts on today; here the date is asked for.
    if f.date.is_none() {
        let mut e = match applied {
            Err(CliError::Invalid(e)) => e,
            Err(other) => return Err(other),
            Ok(()) => ValidationErrors::default(),
        };
        e.0.insert(0, FieldError::new("date", Rule::Required));
        return Err(e.into());
    }
    applied?;
    let outcome = store.execute(Command::Create {
        record: Record::Activity(act),
    })?;
    output::print(&format!("{}\n", outcome.id))
}

/// The fields `activity edit --clear` empties, as typed.
const CLEARABLE: &[&str] = &[
    "participants",
    "beneficiaries",
    "hours",
    "grid",
    "venue",
    "domain",
    "start",
    "end",
    "summary",
    "tags",
    "publish",
    "project",
];

fn clear_field(a: &mut Activity, field: &str) -> CliResult {
    match field.trim().replace('-', "_").as_str() {
        "participants" => a.participants = None,
        "beneficiaries" => a.beneficiaries = None,
        "hours" | "volunteer_hours" => a.volunteer_tenths = None,
        "grid" => a.grid = None,
        "venue" => a.venue = None,
        "domain" | "domains" => a.domain = None,
        "start" => a.start = None,
        "end" => a.end = None,
        "summary" => a.summary = None,
        "tag" | "tags" => a.tags.clear(),
        "publish" | "publishable" => a.publishable = false,
        "project" => a.project = None,
        _ => return Err(CliError::not_clearable(CLEARABLE)),
    }
    Ok(())
}

fn edit(store: &Store, id: &str, f: &ActivityFields, clear: &[String]) -> CliResult {
    let before = load(store, id)?;
    let mut after = before.clone();
    for c in clear {
        clear_field(&mut after, c)?;
    }
    apply(f, &mut after)?;
    let record = named(Kind::Activity, &after.title);
    let outcome = store.execute(Command::Update {
        id: id.to_string(),
        before: Record::Activity(before),
        after: Record::Activity(after),
    })?;
    output::message(&tr!("cli.edited", record = record, n = outcome.ops));
    Ok(())
}

fn rm(store: &Store, id: &str) -> CliResult {
    let a = load(store, id)?;
    store.execute(Command::Delete {
        kind: Kind::Activity,
        id: id.to_string(),
    })?;
    let names: std::collections::HashMap<String, String> =
        store.names(Kind::Org)?.into_iter().collect();
    let orgs = a
        .orgs
        .iter()
        .map(|o| names.get(o).cloned().unwrap_or_else(|| o.clone()))
        .collect::<Vec<_>>()
        .join("、");
    output::message(&tr!(
        "activity.removed",
        date = a.date,
        title = a.title,
        orgs = orgs
    ));
    Ok(())
}

/// Loads a live activity or fails with "not found" (exit 2).
pub fn load(store: &Store, id: &str) -> CliResult<Activity> {
    match store.get(Kind::Activity, id)? {
        Some(Record::Activity(a)) => Ok(a),
        _ => Err(CliError::Store(StoreError::NotFound {
            kind: Kind::Activity,
            id: id.to_string(),
        })),
    }
}

/// Every live activity with its id.
pub fn all_activities(store: &Store) -> CliResult<Vec<(String, Activity)>> {
    Ok(store
        .all_cached(Kind::Activity)?
        .into_iter()
        .filter_map(|(id, r)| match r {
            Record::Activity(a) => Some((id, a)),
            _ => None,
        })
        .collect())
}

fn list(store: &Store, args: ActivityListArgs) -> CliResult {
    let month = match &args.month {
        Some(m) => Some(parse_month(m).ok_or_else(|| CliError::field("month", Rule::Date))?),
        None => None,
    };
    if let Some(org) = &args.org {
        super::org::load(store, org)?;
    }
    let mut acts: Vec<(String, Activity)> = all_activities(store)?
        .into_iter()
        .filter(|(_, a)| {
            month.is_none_or(|m| a.month() == m)
                && args.org.as_ref().is_none_or(|o| a.orgs.contains(o))
        })
        .collect();
    acts.sort_by(|a, b| b.1.date.cmp(&a.1.date).then(b.0.cmp(&a.0)));
    print_activities(store, &acts, args.format)
}

const COLUMNS: &[&str] = &[
    "id",
    "date",
    "title",
    "kind",
    "orgs",
    "grid",
    "participants",
    "beneficiaries",
    "volunteer_hours",
    "publishable",
];

/// An activity as a JSON object: its fields, `id`, and `volunteer_hours`.
pub fn activity_json(id: &str, a: &Activity) -> Json {
    let mut v = serde_json::to_value(a).unwrap_or(Json::Null);
    if let Json::Object(m) = &mut v {
        m.insert("id".into(), Json::String(id.to_string()));
        m.insert(
            "volunteer_hours".into(),
            a.volunteer_tenths
                .map(|t| serde_json::json!(f64::from(t) / 10.0))
                .unwrap_or(Json::Null),
        );
    }
    v
}

fn print_activities(store: &Store, acts: &[(String, Activity)], format: Format) -> CliResult {
    let num = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    let hours = |a: &Activity| {
        a.volunteer_tenths
            .map(|t| tenths_text(u64::from(t)))
            .unwrap_or_default()
    };
    match format {
        Format::Json => {
            let arr: Vec<Json> = acts.iter().map(|(id, a)| activity_json(id, a)).collect();
            output::print(&output::json(&Json::Array(arr))?)
        }
        Format::Csv => {
            let header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
            let rows: Vec<Vec<String>> = acts
                .iter()
                .map(|(id, a)| {
                    vec![
                        id.clone(),
                        a.date.to_string(),
                        a.title.clone(),
                        a.kind.key().to_string(),
                        a.orgs.join(" "),
                        a.grid.clone().unwrap_or_default(),
                        num(a.participants),
                        num(a.beneficiaries),
                        hours(a),
                        a.publishable.to_string(),
                    ]
                })
                .collect();
            output::print(&output::csv(&header, &rows)?)
        }
        Format::Table => {
            let names: std::collections::HashMap<String, String> =
                store.names(Kind::Org)?.into_iter().collect();
            let header: Vec<String> = COLUMNS.iter().map(|c| field_label(c)).collect();
            let rows: Vec<Vec<String>> = acts
                .iter()
                .map(|(id, a)| {
                    vec![
                        id.clone(),
                        a.date.to_string(),
                        a.title.clone(),
                        label(a.kind).to_string(),
                        a.orgs
                            .iter()
                            .map(|o| names.get(o).cloned().unwrap_or_else(|| o.clone()))
                            .collect::<Vec<_>>()
                            .join("、"),
                        a.grid.clone().unwrap_or_default(),
                        num(a.participants),
                        num(a.beneficiaries),
                        hours(a),
                        if a.publishable {
                            tr!("activity.yes")
                        } else {
                            String::new()
                        },
                    ]
                })
                .collect();
            let mut text = output::table(&header, &rows);
            text.push_str(&tr!("cli.count", n = acts.len()));
            text.push('\n');
            output::print(&text)
        }
    }
}

#[cfg(test)]
mod tests {
    // The rules the flags are read with (model::parse).
    use crate::model::parse::{parse_count, parse_time};

    #[test]
    fn counts_and_times() {
        assert_eq!(parse_count("12", 100), Ok(12));
        assert!(parse_count("-1", 100).is_err());
        assert!(parse_count("101", 100).is_err());
        assert!(parse_time("14:30").is_ok());
        assert!(parse_time("25:00").is_err());
    }
}
