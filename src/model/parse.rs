//! Values as staff type them (a flag, a form field, a spreadsheet cell),
//! turned into domain values or into the rule they broke. The same rules
//! for every front end, so a cell accepts what the flag accepts.

use chrono::{NaiveDate, NaiveTime};

use super::{date, Labeled, Lang, Rule, ValidationErrors};

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

/// A number as typed, in ASCII: full-width digits, minus and stop
/// (`１２`, `－`, `．`) become ASCII; thousands separators (`,` `，` `_`
/// spaces) are dropped.
fn ascii_number(s: &str) -> String {
    s.trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | '_' | ' '))
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' => '-',
            '．' | '。' => '.',
            c => c,
        })
        .collect()
}

/// A whole number as typed (`1,200`, `１２`), in any range.
pub fn whole_number(s: &str) -> Option<i64> {
    ascii_number(s).parse().ok()
}

/// A whole number from `min` to `max` (`min` at least 0).
pub fn parse_number(v: &str, min: i64, max: i64) -> Result<u32, Rule> {
    whole_number(v)
        .filter(|n| (min..=max).contains(n))
        .and_then(|n| u32::try_from(n).ok())
        .ok_or(Rule::Number { min, max })
}

/// A whole number from 0 to `max`.
pub fn parse_count(v: &str, max: u32) -> Result<u32, Rule> {
    parse_number(v, 0, i64::from(max))
}

/// A number with at most one decimal as typed (`7.5`, `７．５`, `3`), in
/// tenths, in any range.
pub fn tenths(s: &str) -> Option<u32> {
    super::activity::parse_tenths(&ascii_number(s))
}

/// A number from 0 to `max` with at most one decimal (hours, points), in
/// tenths: `7.5` is 75.
pub fn parse_tenths(v: &str, max: u32) -> Result<u32, Rule> {
    tenths(v)
        .filter(|t| *t <= max.saturating_mul(10))
        .ok_or(Rule::Tenths {
            max: i64::from(max),
        })
}

/// A time of day, `HH:MM` (`：` accepted).
pub fn parse_time(v: &str) -> Result<NaiveTime, Rule> {
    NaiveTime::parse_from_str(&v.trim().replace('：', ":"), "%H:%M").map_err(|_| Rule::OneOf {
        allowed: "HH:MM".into(),
    })
}

/// Several enum values, each by key or label; the rule of the first that is
/// none.
pub fn parse_set<T: Labeled>(values: &[String], lang: Lang) -> Result<Vec<T>, Rule> {
    values.iter().map(|v| parse_enum::<T>(v, lang)).collect()
}

/// A yes/no value: the words of [`super::org_input::yes_no`].
pub fn parse_yes_no(v: &str) -> Result<bool, Rule> {
    super::org_input::yes_no(v).ok_or_else(|| Rule::OneOf {
        allowed: "yes (是), no (否)".to_string(),
    })
}

/// An optional value: empty text empties it, other text is parsed.
pub fn optional<T>(
    v: &str,
    parse: impl FnOnce(&str) -> Result<T, Rule>,
) -> Result<Option<T>, Rule> {
    if v.trim().is_empty() {
        Ok(None)
    } else {
        parse(v).map(Some)
    }
}

/// Every error of the record's own checks (`validate`) on fields that have
/// no error yet: a field typed wrong is reported once, as typed.
pub fn merge(e: &mut ValidationErrors, checked: Result<(), ValidationErrors>) {
    if let Err(v) = checked {
        for fe in v.0 {
            if e.for_field(&fe.field).is_none() {
                e.0.push(fe);
            }
        }
    }
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
        assert_eq!(parse_count("１,２00", 5000), Ok(1200));
        assert_eq!(parse_number("3", 1, 5), Ok(3));
        assert_eq!(
            parse_number("0", 1, 5),
            Err(Rule::Number { min: 1, max: 5 })
        );
    }

    #[test]
    fn tenths_times_sets_and_yes_no() {
        assert_eq!(parse_tenths("7.5", 8), Ok(75));
        assert_eq!(parse_tenths("７．５", 8), Ok(75));
        assert_eq!(parse_tenths("8.5", 8), Err(Rule::Tenths { max: 8 }));
        assert_eq!(parse_tenths("0.25", 8), Err(Rule::Tenths { max: 8 }));
        assert_eq!(parse_tenths("-1", 8), Err(Rule::Tenths { max: 8 }));
        assert_eq!(
            parse_time("9:30"),
            Ok(NaiveTime::from_hms_opt(9, 30, 0).unwrap())
        );
        assert_eq!(
            parse_time("14：00"),
            Ok(NaiveTime::from_hms_opt(14, 0, 0).unwrap())
        );
        assert!(parse_time("25:00").is_err());
        let both = parse_set::<OrgType>(&["community".into(), "基金会".into()], Lang::Zh);
        assert_eq!(both, Ok(vec![OrgType::Community, OrgType::Foundation]));
        assert!(parse_set::<OrgType>(&["x".into()], Lang::Zh).is_err());
        assert_eq!(parse_yes_no("是"), Ok(true));
        assert!(parse_yes_no("maybe").is_err());
        assert_eq!(optional(" ", |v| parse_count(v, 5)), Ok(None));
        assert_eq!(optional("3", |v| parse_count(v, 5)), Ok(Some(3)));
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
