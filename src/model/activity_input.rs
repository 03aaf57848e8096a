//! An activity's fields as typed text (the `activity add|edit` flags, the
//! activities pane's quick entry and edit form), applied onto an
//! [`Activity`] with every error collected.

use chrono::NaiveDate;

use super::activity::{PEOPLE_MAX, TENTHS_MAX};
use super::parse::{
    merge, optional, parse_count, parse_date, parse_enum, parse_tenths, parse_time, parse_yes_no,
};
use super::{Activity, ActivityKind, Domain, Lang, Rule, ValidationErrors};

/// Fields of an activity as typed; `None` leaves the field as it is, empty
/// text empties an optional field; lists replace those there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityInput {
    /// Ids of the organizations that held it.
    pub orgs: Option<Vec<String>>,
    /// `2026-11-03`, `11-3`, `t`, `-1`...
    pub date: Option<String>,
    pub title: Option<String>,
    /// service | training | meeting | ... or a label
    pub kind: Option<String>,
    pub participants: Option<String>,
    pub beneficiaries: Option<String>,
    /// Volunteer hours, at most one decimal (`12.5`).
    pub hours: Option<String>,
    /// Grid cell or community code.
    pub grid: Option<String>,
    pub venue: Option<String>,
    /// One service domain.
    pub domain: Option<String>,
    /// `HH:MM`.
    pub start: Option<String>,
    pub end: Option<String>,
    pub summary: Option<String>,
    pub tags: Option<Vec<String>>,
    /// May be published in bulletins: yes | no (是/否).
    pub publishable: Option<String>,
    /// Id of the venture project it belongs to (empty: none).
    pub project: Option<String>,
}

/// A new activity to apply input onto: no organization, dated `today`, no
/// title (each required, so an input without them is refused).
pub fn blank(today: NaiveDate) -> Activity {
    let mut a = Activity::new("", today, "");
    a.orgs.clear();
    a
}

/// Applies `f` onto `a`, collecting every error (relative dates resolve
/// against `today`, "one of" errors list labels in `lang`), then
/// normalises `a` and adds the errors of [`Activity::validate`] on fields
/// not already in error.
pub fn apply(
    f: &ActivityInput,
    a: &mut Activity,
    today: NaiveDate,
    lang: Lang,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    macro_rules! set {
        ($field:literal, $res:expr, $target:expr) => {
            match $res {
                Ok(v) => $target = v,
                Err(rule) => e.push($field, rule),
            }
        };
    }
    if let Some(v) = &f.orgs {
        a.orgs = v.clone();
    }
    if let Some(v) = &f.date {
        set!("date", parse_date(v, today), a.date);
    }
    if let Some(v) = &f.title {
        a.title = v.clone();
    }
    if let Some(v) = &f.kind {
        set!("kind", parse_enum::<ActivityKind>(v, lang), a.kind);
    }
    if let Some(v) = &f.participants {
        set!(
            "participants",
            optional(v, |v| parse_count(v, PEOPLE_MAX)),
            a.participants
        );
    }
    if let Some(v) = &f.beneficiaries {
        set!(
            "beneficiaries",
            optional(v, |v| parse_count(v, PEOPLE_MAX)),
            a.beneficiaries
        );
    }
    if let Some(v) = &f.hours {
        set!(
            "hours",
            optional(v, |v| parse_tenths(v, TENTHS_MAX / 10)),
            a.volunteer_tenths
        );
    }
    if let Some(v) = &f.domain {
        set!(
            "domains",
            optional(v, |v| parse_enum::<Domain>(v, lang)),
            a.domain
        );
    }
    if let Some(v) = &f.start {
        set!("start", optional(v, parse_time), a.start);
    }
    if let Some(v) = &f.end {
        set!("end", optional(v, parse_time), a.end);
    }
    for (v, target) in [
        (&f.grid, &mut a.grid),
        (&f.venue, &mut a.venue),
        (&f.summary, &mut a.summary),
        (&f.project, &mut a.project),
    ] {
        if let Some(v) = v {
            *target = Some(v.clone());
        }
    }
    if let Some(v) = &f.tags {
        a.tags = v.clone();
    }
    if let Some(v) = &f.publishable {
        set!("publishable", parse_yes_no(v), a.publishable);
    }
    a.normalize();
    merge(&mut e, a.validate());
    e.into_result()
}

/// The rule a volunteer-hours value breaks (for a field checked as typed).
pub fn hours_rule() -> Rule {
    Rule::Tenths {
        max: i64::from(TENTHS_MAX / 10),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn minimal() -> ActivityInput {
        ActivityInput {
            orgs: Some(vec!["o1".into()]),
            title: Some("重阳敬老".into()),
            ..ActivityInput::default()
        }
    }

    #[test]
    fn an_activity_as_typed() {
        let input = ActivityInput {
            date: Some("-1".into()),
            kind: Some("志愿服务".into()),
            participants: Some("３０".into()),
            hours: Some("12.5".into()),
            domain: Some("养老服务".into()),
            start: Some("14:00".into()),
            end: Some("16:30".into()),
            grid: Some("bsj-01".into()),
            publishable: Some("是".into()),
            ..minimal()
        };
        let mut a = blank(today());
        apply(&input, &mut a, today(), Lang::Zh).unwrap();
        assert_eq!(a.orgs, vec!["o1".to_string()]);
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        assert_eq!(a.kind, ActivityKind::Volunteer);
        assert_eq!(a.participants, Some(30));
        assert_eq!(a.volunteer_tenths, Some(125));
        assert_eq!(a.domain, Some(Domain::Elderly));
        assert_eq!(a.end, NaiveTime::from_hms_opt(16, 30, 0));
        assert_eq!(a.grid.as_deref(), Some("BSJ-01"));
        assert!(a.publishable);
        let clear = ActivityInput {
            hours: Some(String::new()),
            publishable: Some("no".into()),
            ..ActivityInput::default()
        };
        apply(&clear, &mut a, today(), Lang::Zh).unwrap();
        assert_eq!(a.volunteer_tenths, None);
        assert!(!a.publishable);
    }

    #[test]
    fn errors_name_fields_once() {
        let input = ActivityInput {
            orgs: Some(vec![]),
            date: Some("11-31".into()),
            hours: Some("1.25".into()),
            participants: Some("-1".into()),
            start: Some("9点".into()),
            ..ActivityInput::default()
        };
        let e = apply(&input, &mut blank(today()), today(), Lang::En).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            ["date", "participants", "hours", "start", "orgs", "title"],
            "{e:?}"
        );
        assert_eq!(e.for_field("hours").unwrap().rule, hours_rule());
        assert_eq!(e.for_field("date").unwrap().rule, Rule::Date);
    }
}
