//! `sanshe inspection`: an organization's annual inspection or annual
//! report (年检), year by year, read as a `model::InspectionInput` (as a
//! roster's inspection columns are).

use clap::Subcommand;

use super::update_org;
use crate::cli::error::CliResult;
use crate::cli::today;
use crate::model::{inspection_input, InspectionInput};
use crate::store::Store;

/// `sanshe inspection ...`
#[derive(Debug, Subcommand)]
pub enum InspectionCommand {
    /// Record an organization's annual inspection (年检/年报) for a year
    Set {
        #[arg(long)]
        org: String,
        #[arg(long, allow_hyphen_values = true)]
        year: String,
        /// pass | basic | fail (or absent)
        #[arg(long)]
        result: String,
        /// Date submitted, YYYY-MM-DD (default today)
        #[arg(long, allow_hyphen_values = true)]
        submitted: Option<String>,
        /// Rectification due, YYYY-MM-DD
        #[arg(long, allow_hyphen_values = true)]
        rectify_due: Option<String>,
    },
}

pub fn run_inspection(store: &Store, cmd: InspectionCommand) -> CliResult {
    let InspectionCommand::Set {
        org,
        year,
        result,
        submitted,
        rectify_due,
    } = cmd;
    let input = InspectionInput {
        year,
        result,
        // Submitted today unless told otherwise.
        submitted: Some(submitted.unwrap_or_else(|| today().to_string())),
        rectify_due,
    };
    let (year, inspection) = inspection_input::apply(&input, today(), crate::text::lang())?;
    update_org(store, &org, |o| {
        o.inspections.insert(year, inspection);
    })
}
