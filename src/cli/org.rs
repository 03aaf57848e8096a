//! `sanshe org add|list|show|edit|rm`.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde_json::Value as Json;

use super::args::{OrgCommand, OrgFields, OrgListArgs};
use super::error::{CliError, CliResult};
use super::output::{self, Format};
use super::{parse_enum, today, warn_all};
use crate::model::{
    Domain, Kind, Labeled, OrgType, Organization, RegState, Rule, ValidationErrors,
};
use crate::search::Query;
use crate::store::{Command, Store};
use crate::sync::words::named;
use crate::text::{field_label, label};
use crate::tr;

pub fn run(store: &Store, cmd: OrgCommand) -> CliResult {
    match cmd {
        OrgCommand::Add(fields) => add(store, fields),
        OrgCommand::List(args) => list(store, args),
        OrgCommand::Show { id, format } => show(store, &id, format),
        OrgCommand::Edit { id, fields, clear } => edit(store, &id, fields, &clear),
        OrgCommand::Rm { id } => rm(store, &id),
        OrgCommand::Restore { id } => super::restore(store, crate::model::Kind::Org, &id),
    }
}

fn add(store: &Store, fields: OrgFields) -> CliResult {
    let mut org = Organization::default();
    if fields.name.is_none() {
        return Err(CliError::field("name", Rule::Required));
    }
    apply(fields, &mut org)?;
    let outcome = store.execute(Command::Create {
        record: crate::model::Record::Org(org),
    })?;
    warn_all(&outcome.warnings);
    output::print(&format!("{}\n", outcome.id))
}

fn edit(store: &Store, id: &str, fields: OrgFields, clear: &[String]) -> CliResult {
    let before = load(store, id)?;
    let mut after = before.clone();
    for f in clear {
        clear_field(&mut after, f)?;
    }
    apply(fields, &mut after)?;
    let record = named(Kind::Org, &after.name);
    let outcome = store.execute(Command::Update {
        id: id.to_string(),
        before: crate::model::Record::Org(before),
        after: crate::model::Record::Org(after),
    })?;
    warn_all(&outcome.warnings);
    output::message(&tr!("cli.edited", record = record, n = outcome.ops));
    Ok(())
}

fn rm(store: &Store, id: &str) -> CliResult {
    let org = load(store, id)?;
    store.execute(Command::Delete {
        kind: crate::model::Kind::Org,
        id: id.to_string(),
    })?;
    output::message(&tr!("cli.deleted", record = named(Kind::Org, &org.name)));
    Ok(())
}

/// Applies the flags onto `org` (see [`crate::model::org_input::apply`]):
/// every error at once, nothing written.
fn apply(fields: OrgFields, org: &mut Organization) -> CliResult {
    let input = crate::model::OrgInput::from(fields);
    crate::model::org_input::apply(&input, org, today(), crate::text::lang())
        .map_err(CliError::Invalid)
}

/// Loads a live organization or fails with "not found" (exit 2).
pub fn load(store: &Store, id: &str) -> CliResult<Organization> {
    store.org(id)?.ok_or_else(|| {
        CliError::Store(crate::store::StoreError::NotFound {
            kind: crate::model::Kind::Org,
            id: id.to_string(),
        })
    })
}

fn clear_field(org: &mut Organization, field: &str) -> CliResult {
    match field.replace('-', "_").as_str() {
        "code" | "credit_code" => {
            org.credit_code = None;
            org.credit_code_unchecked = false;
        }
        "filing_number" => org.filing_number = None,
        "authority" | "registering_authority" => org.registering_authority = None,
        "supervisor" | "supervising_unit" => org.supervising_unit = None,
        "grid" => org.grid = None,
        "domain" | "domains" => org.domains.clear(),
        "contact" => org.contact = None,
        "phone" => org.phone = None,
        "address" => org.address = None,
        "founded" => org.founded = None,
        "members" => org.members = None,
        "staff" => org.staff = None,
        "volunteers" => org.volunteers = None,
        "party_members" => org.party_members = None,
        "rating" => org.rating = None,
        "incubation" => org.incubation = None,
        "tag" | "tags" => org.tags.clear(),
        "notes" => org.notes = None,
        "registration_number" => org.registration_number = None,
        "legal_rep" | "legal_representative" => org.legal_representative = None,
        "capital" => {
            org.capital_fen = None;
            org.capital_kind = None;
        }
        "scope" | "business_scope" => org.business_scope = None,
        "valid_from" => org.valid_from = None,
        "valid_until" => org.valid_until = None,
        "org_code" | "organization_code" => org.organization_code = None,
        _ => return Err(CliError::not_clearable(CLEARABLE)),
    }
    Ok(())
}

const CLEARABLE: &[&str] = &[
    "code",
    "filing-number",
    "authority",
    "supervisor",
    "grid",
    "domains",
    "contact",
    "phone",
    "address",
    "founded",
    "members",
    "staff",
    "volunteers",
    "party-members",
    "rating",
    "incubation",
    "tags",
    "notes",
    "registration-number",
    "legal-rep",
    "capital",
    "scope",
    "valid-from",
    "valid-until",
    "org-code",
];

fn list(store: &Store, args: OrgListArgs) -> CliResult {
    let kind = args.kind.as_deref().map(parse_enum::<OrgType>).transpose();
    let state = args
        .state
        .as_deref()
        .map(parse_enum::<RegState>)
        .transpose();
    let domain = args.domain.as_deref().map(parse_enum::<Domain>).transpose();
    let mut e = ValidationErrors::default();
    let (kind, state, domain) = match (kind, state, domain) {
        (Ok(k), Ok(s), Ok(d)) => (k, s, d),
        (k, s, d) => {
            for (field, r) in [("type", k.err()), ("state", s.err()), ("domains", d.err())] {
                if let Some(r) = r {
                    e.push(field, r);
                }
            }
            return Err(e.into());
        }
    };
    let in_place: Option<HashSet<String>> = match &args.grid {
        Some(code) => {
            let code = crate::model::place::normalize_code(code);
            if store.place(&code)?.is_none() {
                return Err(CliError::field("grid", Rule::UnknownPlace { code }));
            }
            Some(store.orgs_in_place(&code)?.into_iter().collect())
        }
        None => None,
    };
    let keep = |id: &str, o: &Organization| {
        kind.is_none_or(|k| o.kind == k)
            && state.is_none_or(|s| o.state == s)
            && domain.is_none_or(|d| o.domains.contains(&d))
            && in_place.as_ref().is_none_or(|set| set.contains(id))
    };
    let orgs: Vec<(String, Organization)> =
        match args.search.as_deref().filter(|q| !q.trim().is_empty()) {
            Some(q) => search_orgs(store, q.trim(), &keep)?,
            None => {
                let mut all: Vec<(String, Organization)> = store
                    .orgs()?
                    .into_iter()
                    .filter(|(id, o)| keep(id, o))
                    .collect();
                all.sort_by_cached_key(|(id, o)| (crate::search::sort_key(&o.name), id.clone()));
                all
            }
        };
    print_orgs(store, &orgs, args.format)
}

/// Organizations found by `q` (best first, then in pinyin order) that
/// `keep` accepts: by name from the name index; by person in charge or
/// phone number as pane 1 finds them (`search::people`), which reads every
/// organization; by a typing slip (`hbn` for 湖滨) when nothing else matched.
fn search_orgs(
    store: &Store,
    q: &str,
    keep: &dyn Fn(&str, &Organization) -> bool,
) -> Result<Vec<(String, Organization)>, CliError> {
    use crate::search::{people, sort_key, Typo};
    let query = Query::new(q);
    let names = store.names(crate::model::Kind::Org)?;
    let mut hits: Vec<(i64, String, String)> = names
        .iter()
        .filter_map(|(id, name)| {
            let score = query.score(name)?;
            Some((score, sort_key(name), id.clone()))
        })
        .collect();
    let digits = people::phone_query(q);
    // Every organization, read once, when people or phones are searched.
    let mut all: HashMap<String, Organization> = HashMap::new();
    if people::people_query(&query, digits.as_deref()) {
        let named: HashSet<String> = hits.iter().map(|h| h.2.clone()).collect();
        all = store.orgs()?.into_iter().collect();
        for (id, o) in &all {
            if named.contains(id) {
                continue;
            }
            let contact = o.contact.as_deref().unwrap_or("");
            let phone = o.phone.as_deref().unwrap_or("");
            if let Some(score) = people::people_score(&query, digits.as_deref(), contact, phone) {
                hits.push((score, sort_key(&o.name), id.clone()));
            }
        }
    }
    if hits.is_empty() {
        if let Some(typo) = Typo::new(q) {
            hits = names
                .iter()
                .filter_map(|(id, name)| {
                    let m = typo.find(name)?;
                    Some((m.score, sort_key(name), id.clone()))
                })
                .collect();
        }
    }
    hits.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| (&a.1, &a.2).cmp(&(&b.1, &b.2))));
    let mut out = Vec::with_capacity(hits.len());
    for (_, _, id) in hits {
        let org = match all.remove(&id) {
            Some(o) => Some(o),
            None => store.org(&id)?,
        };
        if let Some(o) = org.filter(|o| keep(&id, o)) {
            out.push((id, o));
        }
    }
    Ok(out)
}

const LIST_COLUMNS: &[&str] = &[
    "id",
    "name",
    "type",
    "state",
    "grid",
    "rating",
    "party",
    "credit_code",
    "phone",
];

fn cell(org: &Organization, id: &str, col: &str, grid_names: &dyn Fn(&str) -> String) -> String {
    match col {
        "id" => id.to_string(),
        "name" => org.name.clone(),
        "type" => label(org.kind).to_string(),
        "state" => label(org.state).to_string(),
        "grid" => org.grid.as_deref().map(grid_names).unwrap_or_default(),
        "rating" => org
            .rating
            .as_ref()
            .map(|r| r.level.key().to_string())
            .unwrap_or_default(),
        "party" => label(org.party).to_string(),
        "credit_code" => org.credit_code.clone().unwrap_or_default(),
        "phone" => org.phone.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

fn print_orgs(store: &Store, orgs: &[(String, Organization)], format: Format) -> CliResult {
    match format {
        Format::Json => {
            let arr: Vec<Json> = orgs.iter().map(|(id, o)| org_json(id, o)).collect();
            output::print(&output::json(&Json::Array(arr))?)
        }
        Format::Csv => {
            let header: Vec<String> = LIST_COLUMNS.iter().map(|c| c.to_string()).collect();
            let rows: Vec<Vec<String>> = orgs
                .iter()
                .map(|(id, o)| {
                    LIST_COLUMNS
                        .iter()
                        .map(|c| match *c {
                            "type" => o.kind.key().to_string(),
                            "state" => o.state.key().to_string(),
                            "party" => o.party.key().to_string(),
                            "grid" => o.grid.clone().unwrap_or_default(),
                            _ => cell(o, id, c, &|g| g.to_string()),
                        })
                        .collect()
                })
                .collect();
            output::print(&output::csv(&header, &rows)?)
        }
        Format::Table => {
            let places = super::place_names(store)?;
            let grid_name = |code: &str| {
                places
                    .get(code)
                    .cloned()
                    .unwrap_or_else(|| code.to_string())
            };
            let header: Vec<String> = LIST_COLUMNS.iter().map(|c| field_label(c)).collect();
            let rows: Vec<Vec<String>> = orgs
                .iter()
                .map(|(id, o)| {
                    LIST_COLUMNS
                        .iter()
                        .map(|c| cell(o, id, c, &grid_name))
                        .collect()
                })
                .collect();
            let mut text = output::table(&header, &rows);
            text.push_str(&tr!("cli.count", n = orgs.len()));
            text.push('\n');
            output::print(&text)
        }
    }
}

/// An organization as a JSON object with its `id` and snake_case fields.
pub fn org_json(id: &str, org: &Organization) -> Json {
    let mut v = serde_json::to_value(org).unwrap_or(Json::Null);
    if let Json::Object(m) = &mut v {
        m.insert("id".into(), Json::String(id.to_string()));
    }
    v
}

fn show(store: &Store, id: &str, format: Format) -> CliResult {
    let org = load(store, id)?;
    match format {
        Format::Json => output::print(&output::json(&org_json(id, &org))?),
        Format::Table | Format::Csv => {
            let places = super::place_names(store)?;
            let rows = detail_rows(id, &org, &|code| {
                places
                    .get(code)
                    .map(|n| format!("{n} ({code})"))
                    .unwrap_or_else(|| code.to_string())
            });
            if format == Format::Csv {
                let header = vec!["field".to_string(), "value".to_string()];
                return output::print(&output::csv(&header, &rows)?);
            }
            output::print(&output::detail(&rows))
        }
    }
}

/// Label/value rows describing an organization, in this thread's language.
pub fn detail_rows(id: &str, o: &Organization, place: &dyn Fn(&str) -> String) -> Vec<Vec<String>> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    let date = |v: Option<NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
    let mut rows: Vec<(&str, String)> = vec![
        ("id", id.to_string()),
        ("name", o.name.clone()),
        ("type", label(o.kind).to_string()),
        ("state", label(o.state).to_string()),
        (
            "credit_code",
            match &o.credit_code {
                Some(c) if o.credit_code_unchecked => format!("{c} {}", tr!("cli.unchecked")),
                Some(c) => c.clone(),
                None => String::new(),
            },
        ),
        ("filing_number", opt(&o.filing_number)),
        ("registering_authority", opt(&o.registering_authority)),
        ("supervising_unit", opt(&o.supervising_unit)),
        ("contact", opt(&o.contact)),
        ("phone", opt(&o.phone)),
        ("address", opt(&o.address)),
        ("grid", o.grid.as_deref().map(place).unwrap_or_default()),
        (
            "domains",
            o.domains
                .iter()
                .map(|d| label(*d))
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ("founded", date(o.founded)),
        ("members", num(o.members)),
        ("staff", num(o.staff)),
        ("volunteers", num(o.volunteers)),
        ("party", label(o.party).to_string()),
        ("party_members", num(o.party_members)),
    ];
    for (year, i) in o.inspections.iter().rev() {
        rows.push((
            "inspections",
            format!(
                "{year}: {}{}",
                label(i.result),
                i.submitted.map(|d| format!(" ({d})")).unwrap_or_default()
            ),
        ));
    }
    if let Some(r) = &o.rating {
        rows.push(("rating", r.level.key().to_string()));
        rows.push(("rating_expires", date(r.expires)));
    }
    if let Some(inc) = &o.incubation {
        rows.push(("incubation_workstation", opt(&inc.workstation)));
        rows.push(("incubation_start", date(inc.start)));
        rows.push(("incubation_end", date(inc.end)));
    }
    rows.push(("tags", o.tags.join("、")));
    rows.push(("notes", opt(&o.notes)));
    rows.into_iter()
        .map(|(k, v)| vec![field_label(k), v])
        .collect()
}
