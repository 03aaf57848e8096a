//! `sanshe rating`: an organization's rating (等级评估).

use clap::Subcommand;

use super::update_org;
use crate::cli::error::CliResult;
use crate::cli::{parse_enum, today};
use crate::store::Store;
use chrono::Months;

use crate::model::{Rating, RatingLevel, ValidationErrors};

/// `sanshe rating ...`
#[derive(Debug, Subcommand)]
pub enum RatingCommand {
    /// Record an organization's rating (等级评估)
    Set {
        #[arg(long)]
        org: String,
        /// 1A..5A
        #[arg(long)]
        level: String,
        /// Expiry, YYYY-MM-DD (default five years from today)
        #[arg(long, allow_hyphen_values = true)]
        expires: Option<String>,
    },
}

pub fn run_rating(store: &Store, cmd: RatingCommand) -> CliResult {
    let RatingCommand::Set {
        org,
        level,
        expires,
    } = cmd;
    let mut e = ValidationErrors::default();
    let level = parse_enum::<RatingLevel>(&level)
        .map_err(|r| e.push("rating", r))
        .ok();
    let expires = match &expires {
        Some(s) => match crate::model::parse::parse_date(s, today()) {
            Ok(d) => Some(d),
            Err(rule) => {
                e.push("rating_expires", rule);
                None
            }
        },
        None => today().checked_add_months(Months::new(60)),
    };
    e.into_result()?;
    let Some(level) = level else {
        return Ok(());
    };
    update_org(store, &org, |o| {
        o.rating = Some(Rating { level, expires });
    })
}
