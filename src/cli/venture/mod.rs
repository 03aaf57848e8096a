//! `sanshe venture ...`: 公益创投 rounds, projects, reviewers' sheets,
//! steps, tranches, monitoring visits, the ranking and what is due. The
//! rules are the store's (`store/venture.rs`) and the model's; what is
//! derived (scores, awards, tranches) comes from `report::venture`.

mod app;
mod round;
mod sheet;

use clap::Subcommand;
use serde_json::{json, Value as Json};

use super::error::{CliError, CliResult};
use crate::model::{Labeled, Rule};
use crate::store::Store;

pub use super::resolve;
pub use app::{ApplyArgs, EditArgs, ListArgs, PayArgs, ShowArgs, StepArgs};
pub use round::RoundCommand;
pub use sheet::{ReviewArgs, VisitCommand};

/// `sanshe venture ...`
#[derive(Debug, Subcommand)]
pub enum VentureCommand {
    /// Rounds: add, list, show
    #[command(subcommand)]
    Round(RoundCommand),
    /// Submit a project to a round; prints its id
    Apply(ApplyArgs),
    /// Enter (or correct) one reviewer's score sheet; prints the sheet's id
    Review(ReviewArgs),
    /// Move a project one step on (eligible, reviewed, ..., closed)
    Step(StepArgs),
    /// Pay one tranche of a project's award
    Pay(PayArgs),
    /// Change a project: brand project, KPIs reached, notes
    Edit(EditArgs),
    /// One project: state, score, reviews, tranches, visits, figures
    Show(ShowArgs),
    /// A round's reviewed projects by score, with the awards proposed within the budget and the cap
    Rank(app::RankArgs),
    /// Projects, with state, score and amounts
    List(ListArgs),
    /// Reports due or late, tranches payable, visit follow-ups
    Due(app::DueArgs),
    /// Monitoring visits: add, list, close
    #[command(subcommand)]
    Visit(VisitCommand),
}

pub fn run(store: &Store, cmd: VentureCommand) -> CliResult {
    match cmd {
        VentureCommand::Round(c) => round::run(store, c),
        VentureCommand::Apply(a) => app::apply(store, a),
        VentureCommand::Review(a) => sheet::review(store, a),
        VentureCommand::Step(a) => app::step(store, a),
        VentureCommand::Pay(a) => app::pay(store, a),
        VentureCommand::Edit(a) => app::edit(store, a),
        VentureCommand::Show(a) => app::show(store, a),
        VentureCommand::Rank(a) => app::rank(store, a),
        VentureCommand::List(a) => app::list(store, a),
        VentureCommand::Due(a) => app::due(store, a),
        VentureCommand::Visit(c) => sheet::run_visit(store, c),
    }
}

/// An amount in yuan as a JSON number: whole yuan as an integer, else
/// with its fen (exact: at most two decimals).
pub fn yuan(fen: u64) -> Json {
    if fen.is_multiple_of(100) {
        json!(fen / 100)
    } else {
        json!(fen as f64 / 100.0)
    }
}

/// Points in tenths as a JSON number (`85` or `85.5`).
pub fn points(tenths: u32) -> Json {
    if tenths.is_multiple_of(10) {
        json!(tenths / 10)
    } else {
        json!(f64::from(tenths) / 10.0)
    }
}

/// Money typed in yuan (`40000`, `3.5万`, `1,200.50元`) in fen.
pub fn money_flag(field: &str, v: &str) -> CliResult<u64> {
    crate::model::money::parse(v, crate::model::money::Unit::Yuan).ok_or_else(|| {
        CliError::field(
            field,
            Rule::Money {
                max: crate::model::money::format(crate::model::money::MAX_FEN),
            },
        )
    })
}

/// A state as typed (key or label), or the rule naming the states.
pub fn state_flag<T: Labeled>(field: &str, v: &str) -> CliResult<T> {
    super::parse::parse_enum::<T>(v).map_err(|r| CliError::field(field, r))
}
