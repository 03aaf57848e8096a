//! A need's fields as typed text (the `need add|edit` flags, the need form
//! of the linkage pane), applied onto a [`Need`] with every error
//! collected: the same text gives the same need, or the same error, in
//! every front end.

use chrono::NaiveDate;

use super::need::PEOPLE_MAX;
use super::parse::{merge, optional, parse_date, parse_enum, parse_number, parse_set};
use super::{Lang, Need, NeedState, RaisedBy, Urgency, ValidationErrors};

/// Fields of a need as typed; `None` leaves the field as it is, empty text
/// empties an optional field. Enum values accept the English key or a
/// label; `domains` and `targets` replace those there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeedInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub domains: Option<Vec<String>>,
    /// Grid cell (or community) code.
    pub grid: Option<String>,
    /// resident | household | committee | grid-worker
    pub raised_by: Option<String>,
    pub contact: Option<String>,
    pub targets: Option<Vec<String>>,
    /// People affected.
    pub people: Option<String>,
    /// low | normal | high | urgent
    pub urgency: Option<String>,
    /// Date raised (`t`, `-1`, `11-3`...).
    pub raised: Option<String>,
    pub wanted_by: Option<String>,
    /// open | matched | in-progress | done | closed
    pub state: Option<String>,
}

/// Applies `f` onto `n`, collecting every error (relative dates resolve
/// against `today`, "one of" errors list labels in `lang`), then
/// normalises `n` and adds the errors of [`Need::validate`] on fields not
/// already in error. Nothing is written here; the store validates again.
pub fn apply(
    f: &NeedInput,
    n: &mut Need,
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
    if let Some(v) = &f.title {
        n.title = v.clone();
    }
    if let Some(v) = &f.grid {
        n.grid = v.clone();
    }
    for (v, target) in [
        (&f.description, &mut n.description),
        (&f.contact, &mut n.contact),
    ] {
        if let Some(v) = v {
            *target = Some(v.clone());
        }
    }
    if let Some(v) = &f.domains {
        set!("domains", parse_set(v, lang), n.domains);
    }
    if let Some(v) = &f.targets {
        set!("targets", parse_set(v, lang), n.targets);
    }
    if let Some(v) = &f.raised_by {
        set!("raised_by", parse_enum::<RaisedBy>(v, lang), n.raised_by);
    }
    if let Some(v) = &f.urgency {
        set!("urgency", parse_enum::<Urgency>(v, lang), n.urgency);
    }
    if let Some(v) = &f.state {
        set!("need_state", parse_enum::<NeedState>(v, lang), n.state);
    }
    if let Some(v) = &f.people {
        set!(
            "people",
            optional(v, |v| parse_number(v, 0, PEOPLE_MAX)),
            n.people
        );
    }
    if let Some(v) = &f.raised {
        set!("raised", optional(v, |v| parse_date(v, today)), n.raised);
    }
    if let Some(v) = &f.wanted_by {
        set!(
            "wanted_by",
            optional(v, |v| parse_date(v, today)),
            n.wanted_by
        );
    }
    n.normalize();
    merge(&mut e, n.validate());
    e.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Domain, Rule, TargetGroup};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn need() -> NeedInput {
        NeedInput {
            title: Some(" 独居老人助餐 ".into()),
            domains: Some(vec!["养老服务".into()]),
            grid: Some("bsj-01-03".into()),
            ..NeedInput::default()
        }
    }

    #[test]
    fn labels_relative_dates_and_counts() {
        let input = NeedInput {
            urgency: Some("特急".into()),
            targets: Some(vec!["elderly".into(), "残疾人".into()]),
            people: Some("1,200".into()),
            raised: Some("-1".into()),
            wanted_by: Some("12-3".into()),
            ..need()
        };
        let mut n = Need::default();
        apply(&input, &mut n, today(), Lang::Zh).unwrap();
        assert_eq!(n.title, "独居老人助餐");
        assert_eq!(n.grid, "BSJ-01-03");
        assert_eq!(n.domains, vec![Domain::Elderly]);
        assert_eq!(n.urgency, Urgency::Urgent);
        assert_eq!(n.targets, vec![TargetGroup::Elderly, TargetGroup::Disabled]);
        assert_eq!(n.people, Some(1200));
        assert_eq!(n.raised, NaiveDate::from_ymd_opt(2026, 11, 27));
        assert_eq!(n.wanted_by, NaiveDate::from_ymd_opt(2026, 12, 3));
        // Empty text empties an optional field; `None` leaves it.
        let clear = NeedInput {
            people: Some(String::new()),
            ..NeedInput::default()
        };
        apply(&clear, &mut n, today(), Lang::Zh).unwrap();
        assert_eq!(n.people, None);
        assert_eq!(n.urgency, Urgency::Urgent);
    }

    #[test]
    fn every_error_once_with_its_field() {
        let input = NeedInput {
            title: Some(" ".into()),
            urgency: Some("very".into()),
            people: Some("-1".into()),
            raised: Some("2026-02-30".into()),
            wanted_by: Some("2026-01-01".into()),
            domains: Some(vec!["nope".into()]),
            ..NeedInput::default()
        };
        let mut n = Need::default();
        let e = apply(&input, &mut n, today(), Lang::En).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            ["domains", "urgency", "people", "raised", "title", "grid"],
            "{e:?}"
        );
        assert_eq!(
            e.for_field("people").unwrap().rule,
            Rule::Number {
                min: 0,
                max: PEOPLE_MAX
            }
        );
        assert_eq!(e.for_field("raised").unwrap().rule, Rule::Date);
        // A date order broken by typed dates is the model's rule.
        let input = NeedInput {
            raised: Some("11-20".into()),
            wanted_by: Some("11-3".into()),
            ..need()
        };
        let e = apply(&input, &mut Need::default(), today(), Lang::En).unwrap_err();
        assert_eq!(e.for_field("wanted_by").unwrap().rule, Rule::DateOrder);
    }
}
