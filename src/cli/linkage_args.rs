//! Arguments of the three-society commands: `need`, `offer`, `worker`,
//! `partner`, `match`, `link`. Enum values accept the English key or the
//! Chinese label; dates accept what forms accept (2026-11-03, 11-3, t, -1).

use clap::{Args, Subcommand};

use super::output::Format;

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum NeedCommand {
    /// Add a need; prints its id
    Add(NeedFields),
    /// List needs (open ones first by urgency)
    List(NeedListArgs),
    /// Show one need
    Show {
        id: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Change a need: only the fields given change
    Edit {
        id: String,
        #[command(flatten)]
        fields: NeedFields,
        /// Empty these fields (description, contact, targets, people, raised, wanted-by)
        #[arg(long, value_name = "FIELD")]
        clear: Vec<String>,
    },
    /// Close a need without a linkage, giving the reason
    Close {
        id: String,
        #[arg(long)]
        reason: String,
    },
}

/// Fields of a need, shared by `need add` and `need edit`.
#[derive(Debug, Args, Default)]
pub struct NeedFields {
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    /// Service domain (repeatable): elderly, children, ... or 养老服务, ...
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// Grid cell (or community) code
    #[arg(long)]
    pub grid: Option<String>,
    /// resident | household | committee | grid-worker
    #[arg(long)]
    pub raised_by: Option<String>,
    /// Who raised it and how to reach them
    #[arg(long)]
    pub contact: Option<String>,
    /// Target group (repeatable): elderly, children, youth, disabled, women,
    /// families, low-income, veterans, newcomers, all
    #[arg(long = "target", value_name = "GROUP")]
    pub targets: Vec<String>,
    /// People affected
    #[arg(long, allow_hyphen_values = true)]
    pub people: Option<String>,
    /// low | normal | high | urgent (default normal)
    #[arg(long)]
    pub urgency: Option<String>,
    /// Date raised (default today)
    #[arg(long, allow_hyphen_values = true)]
    pub raised: Option<String>,
    /// Wanted by this date
    #[arg(long, allow_hyphen_values = true)]
    pub wanted_by: Option<String>,
    /// open | matched | in-progress | done | closed (edit only)
    #[arg(long)]
    pub state: Option<String>,
}

#[derive(Debug, Args)]
pub struct NeedListArgs {
    /// open | matched | in-progress | done | closed
    #[arg(long)]
    pub state: Option<String>,
    /// Only this grid cell or community (and the places below it)
    #[arg(long)]
    pub grid: Option<String>,
    #[arg(long)]
    pub urgency: Option<String>,
    #[arg(long)]
    pub domain: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum OfferCommand {
    /// Add an offer; prints its id
    Add(OfferFields),
    /// List offers
    List(OfferListArgs),
    /// Show one offer
    Show {
        id: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Change an offer: only the fields given change
    Edit {
        id: String,
        #[command(flatten)]
        fields: OfferFields,
        /// Empty these fields (description, covers, targets, capacity, unit, from, until, schedule, contact, notes)
        #[arg(long, value_name = "FIELD")]
        clear: Vec<String>,
    },
}

/// Fields of an offer, shared by `offer add` and `offer edit`.
#[derive(Debug, Args, Default)]
pub struct OfferFields {
    #[arg(long)]
    pub title: Option<String>,
    /// service | venue | funds | goods | skills (default service)
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    /// Service domain (repeatable)
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// Id of the providing organization, social worker or partner
    #[arg(long)]
    pub provider: Option<String>,
    /// org | worker | partner (default: found from the id)
    #[arg(long)]
    pub provider_kind: Option<String>,
    /// Place covered (repeatable): grid cell, community or township code.
    /// Default: the provider's grid cell
    #[arg(long = "covers", value_name = "PLACE")]
    pub covers: Vec<String>,
    /// Target group (repeatable)
    #[arg(long = "target", value_name = "GROUP")]
    pub targets: Vec<String>,
    /// Sessions or people per month
    #[arg(long, allow_hyphen_values = true)]
    pub capacity: Option<String>,
    /// What the capacity counts (人次/月...)
    #[arg(long)]
    pub unit: Option<String>,
    /// Available from
    #[arg(long, allow_hyphen_values = true)]
    pub from: Option<String>,
    /// Available until
    #[arg(long, allow_hyphen_values = true)]
    pub until: Option<String>,
    /// When in the week (每周三下午...)
    #[arg(long)]
    pub schedule: Option<String>,
    /// free | paid | government-purchased (default free)
    #[arg(long)]
    pub cost: Option<String>,
    #[arg(long)]
    pub contact: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct OfferListArgs {
    /// Only offers of this provider (id)
    #[arg(long)]
    pub provider: Option<String>,
    #[arg(long)]
    pub domain: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum WorkerCommand {
    /// Add a social worker; prints the id
    Add(WorkerFields),
    /// List social workers
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Show one social worker
    Show {
        id: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Change a social worker: only the fields given change
    Edit {
        id: String,
        #[command(flatten)]
        fields: WorkerFields,
        /// Empty these fields (community, domains, phone, org, notes)
        #[arg(long, value_name = "FIELD")]
        clear: Vec<String>,
    },
}

/// Fields of a social worker.
#[derive(Debug, Args, Default)]
pub struct WorkerFields {
    #[arg(long)]
    pub name: Option<String>,
    /// none | assistant | social-worker | senior (助理社会工作师 / 社会工作师 / 高级社会工作师)
    #[arg(long)]
    pub qualification: Option<String>,
    /// Community (or grid cell) code
    #[arg(long)]
    pub community: Option<String>,
    /// Service domain (repeatable)
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<String>,
    #[arg(long)]
    pub phone: Option<String>,
    /// Id of the organization the worker works for
    #[arg(long)]
    pub org: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum PartnerCommand {
    /// Add a partner; prints the id
    Add(PartnerFields),
    /// List partners
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Show one partner
    Show {
        id: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Change a partner: only the fields given change
    Edit {
        id: String,
        #[command(flatten)]
        fields: PartnerFields,
        /// Empty these fields (contact, phone, provides, domains, agreements, notes)
        #[arg(long, value_name = "FIELD")]
        clear: Vec<String>,
    },
}

/// Fields of a partner.
#[derive(Debug, Args, Default)]
pub struct PartnerFields {
    #[arg(long)]
    pub name: Option<String>,
    /// government | university | enterprise | foundation | expert | other
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    #[arg(long)]
    pub contact: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    /// What they can provide
    #[arg(long)]
    pub provides: Option<String>,
    /// Service domain (repeatable)
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// Agreement (repeatable): TITLE:START[:END], e.g. 实习基地协议:2026-01-01:2028-12-31
    #[arg(long = "agreement", value_name = "TITLE:START[:END]")]
    pub agreements: Vec<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct MatchArgs {
    /// Id of the need
    #[arg(long)]
    pub need: String,
    /// How many offers, best first
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum LinkCommand {
    /// Propose a linkage of a need with one or more offers; prints its id
    Add {
        #[arg(long)]
        need: String,
        #[arg(long = "offer", value_name = "ID", required = true)]
        offers: Vec<String>,
        /// Units of each offer's capacity it takes (default 1)
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        /// Who made it (default: the system user)
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Move a linkage one step (proposed -> accepted -> in-progress -> done) or cancel it
    Set {
        id: String,
        /// accepted | in-progress | done | cancelled
        #[arg(long)]
        state: String,
        /// The residents' satisfaction, 1-5
        #[arg(long, allow_hyphen_values = true)]
        satisfaction: Option<String>,
        /// Outcome note (added to the linkage's notes)
        #[arg(long)]
        note: Option<String>,
    },
    /// List linkages
    List {
        /// proposed | accepted | in-progress | done | cancelled
        #[arg(long)]
        state: Option<String>,
        /// Only linkages of this need
        #[arg(long)]
        need: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Show one linkage
    Show {
        id: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}
