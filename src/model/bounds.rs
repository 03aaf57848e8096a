//! What a record may hold, whatever its source (a flag, a form, a
//! spreadsheet cell, another office's bundle): text that is printable and
//! not too long, sets that are not too large, dates in a sensible range.
//!
//! The limits of every field are in one table ([`text_limit`],
//! [`date_range`]), looked up by record kind and field: the record types'
//! `validate` use it, and so can a check of single remote values.

use chrono::NaiveDate;

use super::{FieldError, Kind, Rule, ValidationErrors};

/// True for a character that must never reach a terminal as it is: C0 and
/// C1 control characters and DEL (escape sequences, NUL, line breaks),
/// characters that change the direction of text (U+061C, U+200E, U+200F,
/// U+202A-U+202E, U+2066-U+2069), line and paragraph separators, and the
/// invisible format characters that hide or reorder text (zero width space,
/// word joiner and invisible operators U+2060-U+2064, the deprecated format
/// characters U+206A-U+206F, U+FEFF, interlinear annotations).
/// Joiners (U+200C, U+200D), which emoji and some scripts need, pass.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// `U+001B`: how a character is named in messages.
pub fn char_code(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// Limits on the text of one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextLimit {
    /// At most this many characters (in each element of a set, each key of a map).
    pub max: usize,
    /// Line breaks (`\n`) allowed: notes, descriptions, summaries.
    pub multiline: bool,
    /// At most this many elements of a set or entries of a map (1 for a
    /// single value).
    pub items: usize,
}

const fn line(max: usize) -> TextLimit {
    TextLimit {
        max,
        multiline: false,
        items: 1,
    }
}

const fn lines(max: usize) -> TextLimit {
    TextLimit {
        max,
        multiline: true,
        items: 1,
    }
}

const fn set(max: usize, items: usize) -> TextLimit {
    TextLimit {
        max,
        multiline: false,
        items,
    }
}

/// Names of people, organizations, places; titles of needs, offers,
/// linkages and activities.
pub const NAME_MAX: usize = 80;
/// Addresses, authorities, contacts, venues, schedules, short reasons.
pub const TEXT_MAX: usize = 200;
/// Notes, descriptions, summaries (several paragraphs).
pub const NOTES_MAX: usize = 4000;
/// An organization's business scope (业务范围), as its certificate states it.
pub const SCOPE_MAX: usize = 1000;
/// Ids of records (`a1b2c3d4-17`).
pub const ID_MAX: usize = 64;
/// Place codes (see `place::code_ok`).
pub const CODE_MAX: usize = 32;
/// Tags.
pub const TAG_MAX: usize = 32;
/// Enum keys, periods, years and other short values.
const KEY_MAX: usize = 32;

/// Office and network names (`sanshe sync init`, other offices' bundles).
pub const OFFICE_NAME: TextLimit = line(NAME_MAX);

/// The limits on field `field` of a record of `kind`. `field` is the
/// member's name as in JSON and in field paths (`name`, `type`, `tags`...):
/// for a set, the limit holds for each element; for a map (`agreements`,
/// `scores`, `inspections`), for each key and each text inside
/// (`incubation` limits its workstation). A field not in the table gets a
/// single line of [`TEXT_MAX`].
pub fn text_limit(kind: Kind, field: &str) -> TextLimit {
    match (kind, field) {
        (_, "notes" | "description" | "summary" | "findings") => lines(NOTES_MAX),
        (Kind::Org, "business_scope") => lines(SCOPE_MAX),
        (Kind::Org, "registration_number") => line(64),
        (Kind::Org, "legal_representative") => line(NAME_MAX),
        (Kind::Org, "organization_code") => line(9),
        (Kind::Place, "name") => line(64),
        (Kind::Center, "staff" | "board") => set(40, 100),
        (Kind::Center, "funding" | "meetings") => set(TEXT_MAX, 500),
        (Kind::Center, "checks") => set(KEY_MAX, 50),
        (Kind::Center, "equipment") => set(40, 50),
        (Kind::TrainingPlan, "items") => set(NAME_MAX, 200),
        (Kind::Instructor, "unit") => line(NAME_MAX),
        (Kind::Filing, "scope") => lines(SCOPE_MAX),
        (Kind::Filing, "person_in_charge") => line(40),
        (Kind::Place, "code" | "parent") => line(CODE_MAX),
        (_, "name" | "title") => line(NAME_MAX),
        (_, "grid" | "community") => line(CODE_MAX),
        (_, "covers") => set(CODE_MAX, 200),
        (_, "tags") => set(TAG_MAX, 30),
        (_, "domains" | "targets") => set(KEY_MAX, 32),
        (_, "phone") => line(KEY_MAX),
        (_, "credit_code") => line(18),
        (_, "org" | "need" | "provider" | "round" | "application" | "project") => line(ID_MAX),
        (_, "places") => set(CODE_MAX, 200),
        (_, "visitors" | "staff_names") => set(40, 20),
        (_, "cohort") => line(64),
        (_, "event") => line(ID_MAX),
        (_, "person" | "trainer" | "reporter" | "founder") => line(40),
        (_, "facts" | "evidence") => lines(NOTES_MAX),
        (_, "channels") => set(40, 20),
        (_, "space" | "enrollment") => line(ID_MAX),
        (_, "reviewer") => line(40),
        (_, "objections") => set(TEXT_MAX, 50),
        (_, "kpis") => set(40, 30),
        (_, "agreement") => line(64),
        (_, "orgs") => set(ID_MAX, 50),
        (_, "offers") => set(ID_MAX, 20),
        (_, "needs" | "linkages") => set(ID_MAX, 100),
        (_, "made_by") => line(64),
        (_, "unit") => line(16),
        (_, "evaluators") => set(40, 20),
        (_, "scores") => set(TEXT_MAX, 100),
        (_, "agreements") => set(TEXT_MAX, 50),
        (_, "inspections") => set(KEY_MAX, 200),
        (
            _,
            "period" | "type" | "state" | "kind" | "level" | "party" | "rating" | "rubric"
            | "stage",
        ) => line(KEY_MAX),
        _ => line(TEXT_MAX),
    }
}

/// The rule `value` breaks as text of a field with `limit`, if any: a
/// character from [`is_unsafe_char`] (a line break where only one line is
/// allowed), or too many characters.
pub fn text_rule(value: &str, limit: TextLimit) -> Option<Rule> {
    let mut n = 0usize;
    for c in value.chars() {
        if is_unsafe_char(c) && !(c == '\n' && limit.multiline) {
            return Some(if !limit.multiline && (c == '\n' || c == '\r') {
                Rule::OneLine
            } else {
                Rule::Unprintable {
                    found: char_code(c),
                }
            });
        }
        n += 1;
    }
    (n > limit.max).then_some(Rule::TooLong { max: limit.max })
}

/// Checks `value` as the text of `field` under `limit`.
pub fn check_text(field: &str, value: &str, limit: TextLimit) -> Result<(), FieldError> {
    match text_rule(value, limit) {
        Some(rule) => Err(FieldError::new(field, rule)),
        None => Ok(()),
    }
}

/// Collects the rule broken by text `value` of `field` of a `kind` record.
pub(crate) fn text(e: &mut ValidationErrors, kind: Kind, field: &str, value: &str) {
    if let Some(rule) = text_rule(value, text_limit(kind, field)) {
        e.push(field, rule);
    }
}

/// [`text`] for an optional value.
pub(crate) fn opt_text(e: &mut ValidationErrors, kind: Kind, field: &str, value: &Option<String>) {
    if let Some(v) = value {
        text(e, kind, field, v);
    }
}

/// Collects the rule broken by set (or map) `field`: too many elements, or
/// the first rule an element (a key) breaks.
pub(crate) fn texts<'a>(
    e: &mut ValidationErrors,
    kind: Kind,
    field: &str,
    values: impl ExactSizeIterator<Item = &'a String>,
) {
    let limit = text_limit(kind, field);
    if values.len() > limit.items {
        e.push(field, Rule::TooMany { max: limit.items });
        return;
    }
    for v in values {
        if let Some(rule) = text_rule(v, limit) {
            e.push(field, rule);
            return;
        }
    }
}

/// Turns Windows line breaks (`\r\n`) of a multi-line text into `\n`.
pub(crate) fn unix_lines(v: &mut Option<String>) {
    if let Some(s) = v {
        if s.contains('\r') {
            *s = s.replace("\r\n", "\n");
        }
    }
}

/// The first date a record may hold: founding dates go back to 1900 (a few
/// organizations a township records are that old), every other date is an
/// event or plan of the service center's work, which starts in 2000.
pub const FOUNDED_MIN: NaiveDate = date(1900, 1, 1);
pub const DATE_MIN: NaiveDate = date(2000, 1, 1);
/// The last date a record may hold: plans (a rating's expiry five years on,
/// an agreement's end) fit; 9999-12-31 and other slips do not. The bounds
/// are fixed, not relative to today, so every office accepts the same
/// records whatever its clock says.
pub const DATE_MAX: NaiveDate = date(2099, 12, 31);
/// Years of annual inspections and evaluation periods.
pub const YEAR_MIN: i32 = 2000;
pub const YEAR_MAX: i32 = 2099;

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(d) => d,
        None => NaiveDate::MIN,
    }
}

/// The dates field `field` may hold.
pub fn date_range(field: &str) -> (NaiveDate, NaiveDate) {
    match field {
        // A certificate's validity goes back as far as its founding.
        "founded" | "valid_from" | "valid_until" => (FOUNDED_MIN, DATE_MAX),
        _ => (DATE_MIN, DATE_MAX),
    }
}

/// The rule a date of `field` breaks, if out of its range.
pub fn date_rule(field: &str, d: NaiveDate) -> Option<Rule> {
    let (min, max) = date_range(field);
    (d < min || d > max).then(|| Rule::DateRange {
        min: min.to_string(),
        max: max.to_string(),
    })
}

/// Checks the date of `field`.
pub fn check_date(field: &str, d: NaiveDate) -> Result<(), FieldError> {
    match date_rule(field, d) {
        Some(rule) => Err(FieldError::new(field, rule)),
        None => Ok(()),
    }
}

/// Collects the rule broken by a date of `field`, if any.
pub(crate) fn opt_date(e: &mut ValidationErrors, field: &str, d: Option<NaiveDate>) {
    if let Some(rule) = d.and_then(|d| date_rule(field, d)) {
        e.push(field, rule);
    }
}

/// The rule a year (an inspection's, an evaluation period's) breaks.
pub fn year_rule(year: i32) -> Option<Rule> {
    (!(YEAR_MIN..=YEAR_MAX).contains(&year)).then_some(Rule::Number {
        min: i64::from(YEAR_MIN),
        max: i64::from(YEAR_MAX),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_characters() {
        for c in [
            '\0', '\x1b', '\x07', '\n', '\r', '\t', '\x7f', '\u{9b}', '\u{202E}', '\u{2066}',
            '\u{200F}', '\u{061C}', '\u{2028}', '\u{FEFF}', '\u{200B}',
        ] {
            assert!(is_unsafe_char(c), "{}", char_code(c));
        }
        for c in ['a', '望', ' ', '\u{3000}', '\u{200D}', '·', '—', '😀'] {
            assert!(!is_unsafe_char(c), "{}", char_code(c));
        }
    }

    #[test]
    fn text_rules() {
        let name = text_limit(Kind::Org, "name");
        assert_eq!(text_rule("西湖读书会", name), None);
        assert_eq!(
            text_rule("a\x1b]0;x\x07", name),
            Some(Rule::Unprintable {
                found: "U+001B".into()
            })
        );
        assert_eq!(text_rule("a\nb", name), Some(Rule::OneLine));
        assert_eq!(
            text_rule("a\u{202E}b", name),
            Some(Rule::Unprintable {
                found: "U+202E".into()
            })
        );
        assert_eq!(
            text_rule(&"长".repeat(NAME_MAX + 1), name),
            Some(Rule::TooLong { max: NAME_MAX })
        );
        assert_eq!(text_rule(&"长".repeat(NAME_MAX), name), None);
        let notes = text_limit(Kind::Org, "notes");
        assert_eq!(text_rule("第一行\n第二行", notes), None);
        assert_eq!(
            text_rule("a\r\nb", notes),
            Some(Rule::Unprintable {
                found: "U+000D".into()
            }),
            "a carriage return left in notes"
        );
        assert_eq!(
            text_rule("a\tb", notes),
            Some(Rule::Unprintable {
                found: "U+0009".into()
            })
        );
        let e = check_text("name", "\0", name).unwrap_err();
        assert_eq!(e.field, "name");
    }

    #[test]
    fn sets_are_bounded() {
        let mut e = ValidationErrors::default();
        let tags: Vec<String> = (0..31).map(|i| i.to_string()).collect();
        texts(&mut e, Kind::Org, "tags", tags.iter());
        assert_eq!(e.for_field("tags").unwrap().rule, Rule::TooMany { max: 30 });
        let mut e = ValidationErrors::default();
        let tags = ["ok".to_string(), "a\x1bb".to_string()];
        texts(&mut e, Kind::Org, "tags", tags.iter());
        assert!(matches!(
            e.for_field("tags").unwrap().rule,
            Rule::Unprintable { .. }
        ));
    }

    #[test]
    fn date_ranges() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(date_rule("founded", d(1950, 1, 1)), None);
        assert_eq!(date_rule("founded", d(2099, 12, 31)), None);
        assert_eq!(
            date_rule("founded", d(1899, 12, 31)),
            Some(Rule::DateRange {
                min: "1900-01-01".into(),
                max: "2099-12-31".into()
            })
        );
        assert!(date_rule("date", d(0, 1, 1)).is_some());
        assert!(date_rule("date", d(9999, 12, 31)).is_some());
        assert!(date_rule("date", d(1999, 12, 31)).is_some());
        assert_eq!(date_rule("date", d(2000, 1, 1)), None);
        assert_eq!(
            check_date("raised", d(9999, 1, 1)).unwrap_err().field,
            "raised"
        );
        assert!(year_rule(1999).is_some() && year_rule(2100).is_some());
        assert_eq!(year_rule(2026), None);
    }

    #[test]
    fn crlf_becomes_lf() {
        let mut v = Some("a\r\nb".to_string());
        unix_lines(&mut v);
        assert_eq!(v.as_deref(), Some("a\nb"));
    }
}
