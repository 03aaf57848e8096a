//! `sanshe org add|list|show|edit|rm`.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde_json::Value as Json;

use clap::{Args, Subcommand};

mod inspection;
mod rating;
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
pub use inspection::{run_inspection, InspectionCommand};
pub use rating::{run_rating, RatingCommand};

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
        "party_name" => org.party_name = None,
        "party_secretary" => org.party_secretary = None,
        "party_set_up" => org.party_set_up = None,
        "party_probationary" => org.party_probationary = None,
        "party_activists" => org.party_activists = None,
        "party_reason" => org.party_reason = None,
        "party_planned" => org.party_planned = None,
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
    "party-name",
    "party-secretary",
    "party-set-up",
    "party-probationary",
    "party-activists",
    "party-reason",
    "party-planned",
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
    let names = store.names_shared(crate::model::Kind::Org)?;
    let mut hits: Vec<(i64, String, String)> = names
        .iter()
        .filter_map(|(id, name)| {
            let score = query.score(name)?;
            Some((score, sort_key(name), id.clone()))
        })
        .collect();
    let digits = people::phone_query(q);
    // Every organization (read once, or kept by the server), when people
    // or phones are searched.
    let every = if people::people_query(&query, digits.as_deref()) {
        Some(store.orgs_shared()?)
    } else {
        None
    };
    let mut all: HashMap<&str, &Organization> = HashMap::new();
    if let Some(every) = &every {
        let named: HashSet<&str> = hits.iter().map(|h| h.2.as_str()).collect();
        let mut more = Vec::new();
        for (id, o) in every.iter() {
            all.insert(id.as_str(), o);
            if named.contains(id.as_str()) {
                continue;
            }
            let contact = o.contact.as_deref().unwrap_or("");
            let phone = o.phone.as_deref().unwrap_or("");
            if let Some(score) = people::people_score(&query, digits.as_deref(), contact, phone) {
                more.push((score, sort_key(&o.name), id.clone()));
            }
        }
        hits.extend(more);
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
        let org = match all.get(id.as_str()) {
            Some(o) => Some((*o).clone()),
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
    for (k, v) in [
        ("party_name", opt(&o.party_name)),
        ("party_secretary", opt(&o.party_secretary)),
        ("party_set_up", date(o.party_set_up)),
        ("party_probationary", num(o.party_probationary)),
        ("party_activists", num(o.party_activists)),
        ("party_reason", opt(&o.party_reason)),
        ("party_planned", date(o.party_planned)),
    ] {
        if !v.is_empty() {
            rows.push((k, v));
        }
    }
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

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum OrgCommand {
    /// Add an organization; prints its id
    Add(OrgFields),
    /// List organizations
    List(OrgListArgs),
    /// Show one organization
    Show {
        id: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Change an organization: only the fields given change
    Edit {
        id: String,
        #[command(flatten)]
        fields: OrgFields,
        /// Empty these fields (e.g. --clear phone --clear rating)
        #[arg(long, value_name = "FIELD")]
        clear: Vec<String>,
    },
    /// Delete an organization
    Rm { id: String },
    /// Put a deleted organization back
    Restore { id: String },
}

/// Fields of an organization, shared by `org add` and `org edit`.
/// Enum values accept the English key or the Chinese label. Applied as a
/// [`crate::model::OrgInput`] (see `model::org_input`).
#[derive(Debug, Args, Default)]
pub struct OrgFields {
    #[arg(long)]
    pub name: Option<String>,
    /// community | social-group | service-org | foundation (default community)
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// Unified social credit code (18 characters)
    #[arg(long)]
    pub code: Option<String>,
    /// Accept a credit code whose check character is wrong (recorded on the organization)
    #[arg(long)]
    pub accept_bad_checksum: bool,
    /// incubating | filed | registered | deregistered | revoked
    #[arg(long)]
    pub state: Option<String>,
    /// Filing number (备案编号)
    #[arg(long)]
    pub filing_number: Option<String>,
    /// Registering authority (登记管理机关)
    #[arg(long)]
    pub authority: Option<String>,
    /// Supervising unit (业务主管单位)
    #[arg(long)]
    pub supervisor: Option<String>,
    /// Grid cell (or community) code
    #[arg(long)]
    pub grid: Option<String>,
    /// Service domain (repeatable): elderly, children, ... or 养老服务, ...
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// Person in charge (the legal representative: --legal-rep)
    #[arg(long)]
    pub contact: Option<String>,
    /// Mobile or landline number
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub address: Option<String>,
    /// Founding date (YYYY-MM-DD)
    #[arg(long, allow_hyphen_values = true)]
    pub founded: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub members: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub staff: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub volunteers: Option<String>,
    /// none | own | joint | instructor
    #[arg(long)]
    pub party: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub party_members: Option<String>,
    /// Rating level 1A-5A
    #[arg(long)]
    pub rating: Option<String>,
    /// Rating expiry date (default: five years from today)
    #[arg(long)]
    pub rating_expires: Option<String>,
    /// Incubation workstation
    #[arg(long)]
    pub workstation: Option<String>,
    #[arg(long)]
    pub incubation_start: Option<String>,
    #[arg(long)]
    pub incubation_end: Option<String>,
    /// Tag (repeatable)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    #[arg(long)]
    pub notes: Option<String>,
    /// Registration certificate number (登记证号)
    #[arg(long)]
    pub registration_number: Option<String>,
    /// Legal representative (法定代表人), apart from --contact
    #[arg(long)]
    pub legal_rep: Option<String>,
    /// Capital: 10万元, 100000元, or a bare number in 万元 (kept exact, in fen)
    #[arg(long)]
    pub capital: Option<String>,
    /// registered | founding | original-fund (注册资金, 开办资金, 原始基金; default by type)
    #[arg(long)]
    pub capital_kind: Option<String>,
    /// Business scope (业务范围)
    #[arg(long)]
    pub scope: Option<String>,
    /// Registration certificate valid from (YYYY-MM-DD)
    #[arg(long)]
    pub valid_from: Option<String>,
    /// Registration certificate valid until (YYYY-MM-DD)
    #[arg(long)]
    pub valid_until: Option<String>,
    /// Registered directly, no supervising unit (直接登记): yes | no
    #[arg(long, value_name = "yes|no")]
    pub direct: Option<String>,
    /// Legacy 9-character organization code (组织机构代码)
    #[arg(long)]
    pub org_code: Option<String>,
    #[command(flatten)]
    pub party_details: PartyDetails,
}

/// The party organization's details (with --party own|joint), or why there
/// is none (with none|instructor): shared by `org add|edit` and `party org`.
#[derive(Debug, Args, Default)]
pub struct PartyDetails {
    /// Name of the party organization (党组织名称)
    #[arg(long)]
    pub party_name: Option<String>,
    /// Its secretary (书记)
    #[arg(long)]
    pub party_secretary: Option<String>,
    /// Date it was set up
    #[arg(long, allow_hyphen_values = true)]
    pub party_set_up: Option<String>,
    /// Probationary members (预备党员)
    #[arg(long, allow_hyphen_values = true)]
    pub party_probationary: Option<String>,
    /// Activists (入党积极分子)
    #[arg(long, allow_hyphen_values = true)]
    pub party_activists: Option<String>,
    /// Why there is no party organization
    #[arg(long)]
    pub party_reason: Option<String>,
    /// When one is planned
    #[arg(long, allow_hyphen_values = true)]
    pub party_planned: Option<String>,
}

impl PartyDetails {
    /// Puts the details into an organization's input.
    pub fn into_input(self, i: &mut crate::model::OrgInput) {
        i.party_name = self.party_name;
        i.party_secretary = self.party_secretary;
        i.party_set_up = self.party_set_up;
        i.party_probationary = self.party_probationary;
        i.party_activists = self.party_activists;
        i.party_reason = self.party_reason;
        i.party_planned = self.party_planned;
    }
}

impl From<OrgFields> for crate::model::OrgInput {
    fn from(f: OrgFields) -> Self {
        let mut i = crate::model::OrgInput {
            name: f.name,
            kind: f.kind,
            credit_code: f.code,
            accept_bad_checksum: f.accept_bad_checksum,
            state: f.state,
            filing_number: f.filing_number,
            registering_authority: f.authority,
            supervising_unit: f.supervisor,
            grid: f.grid,
            domains: f.domains,
            contact: f.contact,
            phone: f.phone,
            address: f.address,
            founded: f.founded,
            members: f.members,
            staff: f.staff,
            volunteers: f.volunteers,
            party: f.party,
            party_members: f.party_members,
            rating: f.rating,
            rating_expires: f.rating_expires,
            incubation_workstation: f.workstation,
            incubation_start: f.incubation_start,
            incubation_end: f.incubation_end,
            tags: f.tags,
            replace_lists: false,
            notes: f.notes,
            registration_number: f.registration_number,
            legal_representative: f.legal_rep,
            capital: f.capital,
            capital_kind: f.capital_kind,
            business_scope: f.scope,
            valid_from: f.valid_from,
            valid_until: f.valid_until,
            direct_registration: f.direct,
            organization_code: f.org_code,
            ..Default::default()
        };
        f.party_details.into_input(&mut i);
        i
    }
}

#[derive(Debug, Args)]
pub struct OrgListArgs {
    /// Search names: Chinese, full pinyin or initials (e.g. xhsq)
    #[arg(long)]
    pub search: Option<String>,
    /// Only this grid cell or community (and the places below it)
    #[arg(long)]
    pub grid: Option<String>,
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    #[arg(long)]
    pub state: Option<String>,
    #[arg(long)]
    pub domain: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Changes organization `id`; says so on standard error, naming it.
pub(super) fn update_org(
    store: &Store,
    id: &str,
    change: impl FnOnce(&mut crate::model::Organization),
) -> CliResult {
    let before = super::org::load(store, id)?;
    let mut after = before.clone();
    change(&mut after);
    let record = named(Kind::Org, &after.name);
    let outcome = store.execute(Command::Update {
        id: id.to_string(),
        before: crate::model::Record::Org(before),
        after: crate::model::Record::Org(after),
    })?;
    output::message(&tr!("cli.edited", record = record, n = outcome.ops));
    Ok(())
}
