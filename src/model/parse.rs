//! Values as staff type them (a flag, a form field, a spreadsheet cell),
//! turned into domain values or into the rule they broke. The same rules
//! for every front end, so a cell accepts what the flag accepts.

use chrono::NaiveDate;

use super::{date, Labeled, Lang, Rule};

/// Every value of an enum for a "one of" message, labels in `lang`:
/// `community (社区社会组织), ...`.
pub fn allowed_in<T: Labeled>(lang: Lang) -> String {
    T::ALL
        .iter()
        .map(|v| format!("{} ({})", v.key(), v.label(lang)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An enum value from its English key or its Chinese/English label; the
/// error lists the allowed values with labels in `lang`.
pub fn parse_enum<T: Labeled>(s: &str, lang: Lang) -> Result<T, Rule> {
    T::parse(s).ok_or_else(|| Rule::OneOf {
        allowed: allowed_in::<T>(lang),
    })
}

/// A date as staff type it (see [`date::parse`]), relative to `today`.
pub fn parse_date(v: &str, today: NaiveDate) -> Result<NaiveDate, Rule> {
    date::parse(v, today).ok_or(Rule::Date)
}

/// A whole number from 0 to `max`.
pub fn parse_count(v: &str, max: u32) -> Result<u32, Rule> {
    v.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (0..=i64::from(max)).contains(n))
        .map(|n| n as u32)
        .ok_or(Rule::Number {
            min: 0,
            max: i64::from(max),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OrgType;

    #[test]
    fn counts_in_range() {
        assert_eq!(parse_count("12", 100), Ok(12));
        assert_eq!(parse_count(" 7 ", 100), Ok(7));
        assert!(parse_count("-1", 100).is_err());
        assert!(parse_count("101", 100).is_err());
        assert_eq!(parse_count("x", 5), Err(Rule::Number { min: 0, max: 5 }));
    }

    #[test]
    fn enums_by_key_or_label() {
        assert_eq!(
            parse_enum::<OrgType>("community", Lang::En),
            Ok(OrgType::Community)
        );
        let Err(Rule::OneOf { allowed }) = parse_enum::<OrgType>("nope", Lang::En) else {
            panic!("expected OneOf");
        };
        assert!(allowed.starts_with("community ("), "{allowed}");
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(parse_date("t", today), Ok(today));
        assert_eq!(parse_date("2026-02-30", today), Err(Rule::Date));
    }
}
