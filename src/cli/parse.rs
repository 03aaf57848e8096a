//! Parsing of flag values shared by every command family: enum values by
//! key or label, repeatable flags, today. A record's flags are read as the
//! model's input type of its kind (`model::*_input`), as the app's forms are. The rules
//! themselves (what a date, a count, a code may be) live in the model
//! (`model::parse`); these turn them into the CLI's errors.

use chrono::NaiveDate;

use crate::model::{Labeled, Rule};

// A date as staff type it, whole numbers (the rules live
// in the model).
pub use crate::model::parse::{parse_count, parse_date, parse_number};

/// Parses an enum flag from its English key or its Chinese/English label
/// (see [`crate::model::parse::parse_enum`]), allowed values in this
/// thread's language.
pub fn parse_enum<T: Labeled>(s: &str) -> Result<T, Rule> {
    crate::model::parse::parse_enum(s, crate::text::lang())
}

/// Today's date in local time.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A repeatable flag as a model input's list: `None` when not given (the
/// list there is kept), else the values given (they replace it).
pub fn list_flag(v: &[String]) -> Option<Vec<String>> {
    (!v.is_empty()).then(|| v.to_vec())
}

/// A flag's value as read, its rule recorded on `name` when it breaks one
/// (every error of a command is collected before it is refused).
pub fn field<T>(
    r: Result<T, crate::model::Rule>,
    name: &str,
    e: &mut crate::model::ValidationErrors,
) -> Option<T> {
    r.map_err(|rule| e.push(name, rule)).ok()
}

/// `KEY=POINTS` flags as typed (`=` or the full-width `＝`), each as
/// (key, points); a flag without `=` is a key with no points, which the
/// rubric's check then names.
pub fn score_pairs(flags: &[String]) -> Vec<(String, String)> {
    flags
        .iter()
        .map(|s| match s.split_once(['=', '＝']) {
            Some((k, p)) => (k.trim().to_string(), p.trim().to_string()),
            None => (s.trim().to_string(), String::new()),
        })
        .collect()
}
