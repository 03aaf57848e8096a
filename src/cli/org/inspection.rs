//! `sanshe inspection`: an organization's annual inspection or annual
//! report (年检), year by year.

use clap::Subcommand;

use super::update_org;
use crate::cli::error::CliResult;
use crate::cli::{parse_enum, today};
use crate::model::{Inspection, InspectionResult, Rule, ValidationErrors};
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
    let mut e = ValidationErrors::default();
    let year: Option<i32> = year
        .trim()
        .parse()
        .ok()
        .filter(|y| crate::model::bounds::year_rule(*y).is_none());
    if year.is_none() {
        e.push(
            "year",
            Rule::Number {
                min: i64::from(crate::model::bounds::YEAR_MIN),
                max: i64::from(crate::model::bounds::YEAR_MAX),
            },
        );
    }
    let result = parse_enum::<InspectionResult>(&result)
        .map_err(|r| e.push("result", r))
        .ok();
    let mut date_flag = |field: &str, v: &Option<String>, default| match v {
        Some(s) => match crate::model::parse::parse_date(s, today()) {
            Ok(d) => Some(d),
            Err(rule) => {
                e.push(field, rule);
                None
            }
        },
        None => default,
    };
    let submitted = date_flag("submitted", &submitted, Some(today()));
    let rectify_due = date_flag("rectify_due", &rectify_due, None);
    e.into_result()?;
    let (Some(year), Some(result)) = (year, result) else {
        return Ok(());
    };
    update_org(store, &org, |o| {
        o.inspections.insert(
            year,
            Inspection {
                result,
                submitted,
                rectify_due,
            },
        );
    })
}
