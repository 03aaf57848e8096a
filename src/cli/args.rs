//! Command-line arguments (clap). Each command is a thin call into the store.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
    Place(super::place::PlaceCommand),
    /// Social organizations
    #[command(subcommand)]
    Org(super::org::OrgCommand),
    /// The change log: who changed what, when, from which office
    Log(super::log::LogArgs),
    /// The files beside the database (DB/cache/)
    #[command(subcommand)]
    Cache(super::cache::CacheCommand),
    /// Residents' needs, grid by grid (需求)
    #[command(subcommand)]
    Need(super::need::NeedCommand),
    /// What organizations, social workers and partners offer (资源)
    #[command(subcommand)]
    Offer(super::offer::OfferCommand),
    /// Social workers (社工)
    #[command(subcommand)]
    Worker(super::people::WorkerCommand),
    /// Partners: departments, universities, enterprises, foundations, experts (资源方)
    #[command(subcommand)]
    Partner(super::people::PartnerCommand),
    /// Rank the offers for a need, best first, with the parts of each score
    Match(super::linkage::MatchArgs),
    /// Linkages of needs with offers (对接)
    #[command(subcommand)]
    Link(super::linkage::LinkCommand),
    /// Activities of organizations (活动)
    #[command(subcommand)]
    Activity(super::activity::ActivityCommand),
    /// Performance evaluations (绩效评价)
    #[command(subcommand)]
    Eval(super::eval::EvalCommand),
    /// The evaluation rubric
    #[command(subcommand)]
    Rubric(super::eval::RubricCommand),
    /// Venture philanthropy (公益创投): rounds, projects, reviews, tranches, visits
    #[command(subcommand)]
    Venture(super::venture::VentureCommand),
    /// Spaces of the incubation base (工位, 独立办公室, 会议室, 活动室)
    #[command(subcommand)]
    Space(super::incubation::SpaceCommand),
    /// The incubation base (双孵化): enrollments, stages, goals, services
    #[command(subcommand)]
    Incubation(super::incubation::IncubationCommand),
    /// Trainings, study tours and exchanges: events, participation, attendance
    #[command(subcommand)]
    Training(super::training::TrainingCommand),
    /// Leads on illegal social organizations (staff with the right only; reporters confidential)
    #[command(subcommand)]
    Lead(super::lead::LeadCommand),
    /// The center's own profile and compliance checklist (policy section 五)
    #[command(subcommand)]
    Center(super::center::CenterCommand),
    /// Filing (备案) of community organizations: application, checks, number, changes, registration
    #[command(subcommand)]
    Filing(super::filing::FilingCommand),
    /// Party building: instructors and visits, party organizations, coverage by community
    #[command(subcommand)]
    Party(super::party::PartyCommand),
    /// Annual inspections (年检/年报)
    #[command(subcommand)]
    Inspection(super::org::InspectionCommand),
    /// Ratings (等级评估)
    #[command(subcommand)]
    Rating(super::org::RatingCommand),
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
    /// Own the database and serve it to the apps and commands of every staff member
    Serve(super::server::ServeArgs),
    /// The database's server: status, stop
    #[command(subcommand)]
    Server(super::server::ServerCommand),
    /// Who is connected to the database now
    Who(super::server::WhoArgs),
    /// Who may use the database through its server (owner and root only)
    #[command(subcommand)]
    Access(super::server::AccessCommand),
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
