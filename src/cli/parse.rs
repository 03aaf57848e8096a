//! Parsing of flag values shared by every command family: enum values by
//! key or label, repeatable enum flags, whole numbers, today. The rules
//! themselves (what a date, a count, a code may be) live in the model
//! (`model::parse`); these turn them into the CLI's errors.

use chrono::NaiveDate;

use crate::model::{Domain, Labeled, Rule, TargetGroup, ValidationErrors};

// A date as staff type it, a whole number from 0 to `max` (the rules live
// in the model).
pub use crate::model::parse::{parse_count, parse_date};

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

/// Parses repeatable domain flags, noting the first bad one.
pub fn parse_domains(v: &[String], e: &mut ValidationErrors) -> Vec<Domain> {
    parse_all(v, "domains", e)
}

/// Parses repeatable target-group flags.
pub fn parse_targets(v: &[String], e: &mut ValidationErrors) -> Vec<TargetGroup> {
    parse_all(v, "targets", e)
}

fn parse_all<T: Labeled>(v: &[String], field: &str, e: &mut ValidationErrors) -> Vec<T> {
    let mut out = Vec::new();
    for s in v {
        match parse_enum::<T>(s) {
            Ok(x) => out.push(x),
            Err(rule) => {
                e.push(field, rule);
                break;
            }
        }
    }
    out
}

/// A whole number from `min` to `max`.
pub fn parse_number(v: &str, min: i64, max: i64) -> Result<u32, Rule> {
    v.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .map(|n| n as u32)
        .ok_or(Rule::Number { min, max })
}
