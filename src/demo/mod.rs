//! Demo data: the demo township from `fixtures/demo/` (embedded in the
//! binary), and generated townships of any size for benchmarks.
//!
//! - [`fixture_records`]: 西湖区 北山街道, ten communities, about fifty grid
//!   cells and 180 organizations of every kind and state (see
//!   `fixtures/demo/generate.py`, which writes the TOML files).
//! - [`generate`]: `n` organizations with their places, deterministic per seed.
//! - [`generate_activities`]: any number of activities of a database's
//!   organizations, patterned on the fixture's (`demo --activities`).
//! - [`name_office`]: names a new demo database's office and network
//!   (北山街道 in 西湖区), so that it can export to the district at once.
//!
//! Both return records in the order a store can create them: places
//! parent-first, then organizations. Loading them into a store is a matter
//! of one `Command::Create` per record.

mod activities;
mod activity_gen;
mod center;
mod filing;
mod fixtures;
mod generate;
mod incubation;
mod lead;
mod linkage;
mod load;
mod party;
mod rng;
mod training;
mod venture;
mod words;

pub use activities::{activity_records, load_activities, ActivityLoadError};
pub use activity_gen::{generate_activities, load_generated_activities, Holder, MAX_ACTIVITIES};
pub use center::load_center;
pub use filing::load_filings;
pub use fixtures::{fixture_records, parse_orgs, parse_places, to_records, ORGS_FILE, PLACES_FILE};
pub use generate::{
    generate, COMMUNITIES_PER_TOWNSHIP, GRIDS_PER_COMMUNITY, MAX_ORGS, ORGS_PER_TOWNSHIP,
    REFERENCE_DATE,
};
pub use incubation::load_incubation;
pub use lead::load_leads;
pub use linkage::{linkage_fixtures, load_linkage, LinkageFixtures, LinkageLoadError};
pub use load::{load, name_office, DEMO_NETWORK, DEMO_OFFICE, LOAD_CHUNK};
pub use party::load_party;
pub use rng::Rng;
pub use training::load_training;
pub use venture::load_venture;

use crate::model::ValidationErrors;

/// Why demo data could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// A TOML file is malformed or holds an unknown key or value; the source
    /// message names the line and column.
    #[error("{file}: {source}")]
    Toml {
        file: String,
        #[source]
        source: Box<toml::de::Error>,
    },
    /// A record read from `file` breaks a validation rule.
    #[error("{file}: `{title}` is invalid: {}", describe(errors))]
    Invalid {
        file: String,
        title: String,
        errors: ValidationErrors,
    },
}

/// Field and rule of each error, e.g. `phone (phone)`, for the error message;
/// the caller can show localised rule texts from `errors` instead.
fn describe(errors: &ValidationErrors) -> String {
    errors
        .0
        .iter()
        .map(|e| {
            let rule = serde_json::to_value(&e.rule)
                .ok()
                .and_then(|v| v.get("rule").and_then(|r| r.as_str()).map(str::to_string))
                .unwrap_or_default();
            format!("{} ({rule})", e.field)
        })
        .collect::<Vec<_>>()
        .join(", ")
}
