//! Command-line arguments (clap). Each command is a thin call into the store.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use super::output::Format;

/// 三社 sanshe: social organization service center workbench.
/// Without a command, opens the terminal app.
#[derive(Debug, Parser)]
#[command(name = "sanshe", version, about, long_about = None)]
pub struct Cli {
    /// Database directory [env: SANSHE_DB; default: ~/.local/share/sanshe]
    #[arg(long, global = true, env = "SANSHE_DB", value_name = "DIR")]
    pub db: Option<PathBuf>,

    /// Language of messages and screens: zh (default) or en
    #[arg(long, global = true, value_name = "zh|en")]
    pub lang: Option<String>,

    /// Keymap of the terminal app: default, emacs, vim, or a file
    #[arg(long, global = true, value_name = "NAME|PATH")]
    pub keymap: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum Command {
    /// Load the demo township into an empty database, then open the app
    Demo(DemoArgs),
    /// Places: district, township, community, grid cell
    #[command(subcommand)]
    Place(PlaceCommand),
    /// Social organizations
    #[command(subcommand)]
    Org(OrgCommand),
    /// The change log: who changed what, when, from which office
    Log(LogArgs),
    /// Residents' needs, grid by grid (需求)
    #[command(subcommand)]
    Need(super::linkage_args::NeedCommand),
    /// What organizations, social workers and partners offer (资源)
    #[command(subcommand)]
    Offer(super::linkage_args::OfferCommand),
    /// Social workers (社工)
    #[command(subcommand)]
    Worker(super::linkage_args::WorkerCommand),
    /// Partners: departments, universities, enterprises, foundations, experts (资源方)
    #[command(subcommand)]
    Partner(super::linkage_args::PartnerCommand),
    /// Rank the offers for a need, best first, with the parts of each score
    Match(super::linkage_args::MatchArgs),
    /// Linkages of needs with offers (对接)
    #[command(subcommand)]
    Link(super::linkage_args::LinkCommand),
    /// Activities of organizations (活动)
    #[command(subcommand)]
    Activity(super::activity::ActivityCommand),
    /// Performance evaluations (绩效评价)
    #[command(subcommand)]
    Eval(super::eval::EvalCommand),
    /// The evaluation rubric
    #[command(subcommand)]
    Rubric(super::eval::RubricCommand),
    /// Annual inspections (年检/年报)
    #[command(subcommand)]
    Inspection(super::eval::InspectionCommand),
    /// Ratings (等级评估)
    #[command(subcommand)]
    Rating(super::eval::RatingCommand),
    /// Inspections due or overdue, ratings expiring, organizations eligible for rating
    Due(super::report::DueArgs),
    /// The dashboard figures
    Stats(super::report::StatsArgs),
    /// Reports: the monthly publicity bulletin
    #[command(subcommand)]
    Report(super::report::ReportCommand),
    /// Sync with other offices by bundle files (USB stick, mail, chat)
    #[command(subcommand)]
    Sync(super::sync::SyncCommand),
    /// Export records to a spreadsheet (CSV, Excel) or JSON
    Export(super::interchange::ExportArgs),
    /// Import records from a spreadsheet (CSV, Excel)
    #[command(subcommand)]
    Import(super::interchange::ImportCommand),
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Generate N organizations (with their places) instead of the demo township; at most 500000
    #[arg(long, value_name = "N")]
    pub scale: Option<usize>,
    /// Also generate M activities of the organizations, over the last two years; at most 2000000
    #[arg(long, value_name = "M")]
    pub activities: Option<usize>,
    /// Load only; do not open the app
    #[arg(long)]
    pub no_tui: bool,
}

#[derive(Debug, Subcommand)]
pub enum PlaceCommand {
    /// Add a place; prints its code
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// district | township | community | grid | micro-grid
        #[arg(long)]
        level: String,
        /// Code of the parent place (one level up)
        #[arg(long)]
        parent: Option<String>,
    },
    /// List places
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Rename a place, move it under another parent or change its level
    /// (the code stays: it is how records refer to the place)
    Edit {
        code: String,
        #[arg(long)]
        name: Option<String>,
        /// district | township | community | grid | micro-grid
        #[arg(long)]
        level: Option<String>,
        /// Code of the new parent place (one level up)
        #[arg(long)]
        parent: Option<String>,
    },
    /// Delete a place nothing refers to any more (no places or
    /// organizations under it, no need, offer or social worker naming it)
    Rm { code: String },
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
    /// Legal representative or person in charge
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
}

impl From<OrgFields> for crate::model::OrgInput {
    fn from(f: OrgFields) -> Self {
        crate::model::OrgInput {
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
            notes: f.notes,
        }
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

#[derive(Debug, Args)]
pub struct LogArgs {
    /// How many changes, newest first
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}
