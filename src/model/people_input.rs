//! A social worker's and a partner's fields as typed text (the `worker`
//! and `partner` flags, the forms of the linkage pane), applied onto a
//! [`Worker`] or a [`Partner`] with every error collected.

use chrono::NaiveDate;

use super::parse::{merge, optional, parse_date, parse_enum, parse_set};
use super::worker::Agreement;
use super::{phone, Lang, Partner, PartnerType, Qualification, Rule, ValidationErrors, Worker};

/// Fields of a social worker as typed; `None` leaves the field as it is,
/// empty text empties an optional field; `domains` replace those there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkerInput {
    pub name: Option<String>,
    /// none | assistant | social-worker | senior
    pub qualification: Option<String>,
    /// Community (or grid cell) code.
    pub community: Option<String>,
    pub domains: Option<Vec<String>>,
    pub phone: Option<String>,
    /// Id of the organization the worker works for.
    pub org: Option<String>,
    pub notes: Option<String>,
}

/// Fields of a partner as typed, as [`WorkerInput`]; `agreements` are
/// added to those there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartnerInput {
    pub name: Option<String>,
    /// government | university | enterprise | foundation | expert | other
    pub kind: Option<String>,
    pub contact: Option<String>,
    pub phone: Option<String>,
    pub provides: Option<String>,
    pub domains: Option<Vec<String>>,
    /// `TITLE:START[:END]`, dates as staff type them.
    pub agreements: Vec<String>,
    pub notes: Option<String>,
}

/// A phone number as typed, normalised; empty text is no number.
fn parse_phone(v: &str) -> Result<Option<String>, Rule> {
    optional(v, |v| phone::normalize(v).ok_or(Rule::Phone))
}

/// `TITLE:START[:END]`.
pub fn parse_agreement(s: &str, today: NaiveDate) -> Result<(String, Agreement), Rule> {
    let mut parts = s.split([':', '：']);
    let title = parts.next().unwrap_or("").trim().to_string();
    let start = parts.next().map(|d| parse_date(d, today));
    let end = parts.next().map(|d| parse_date(d, today));
    match (title.is_empty(), start, end, parts.next()) {
        (false, Some(Ok(start)), None, None) => Ok((title, Agreement { start, end: None })),
        (false, Some(Ok(start)), Some(Ok(end)), None) => Ok((
            title,
            Agreement {
                start,
                end: Some(end),
            },
        )),
        _ => Err(Rule::AgreementFormat),
    }
}

/// Applies `f` onto `w`, collecting every error, then normalises `w` and
/// adds the errors of [`Worker::validate`] on fields not already in error.
pub fn apply_worker(f: &WorkerInput, w: &mut Worker, lang: Lang) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    if let Some(v) = &f.name {
        w.name = v.clone();
    }
    if let Some(v) = &f.qualification {
        match parse_enum::<Qualification>(v, lang) {
            Ok(q) => w.qualification = q,
            Err(r) => e.push("qualification", r),
        }
    }
    for (v, target) in [
        (&f.community, &mut w.community),
        (&f.org, &mut w.org),
        (&f.notes, &mut w.notes),
    ] {
        if let Some(v) = v {
            *target = Some(v.clone());
        }
    }
    if let Some(v) = &f.phone {
        match parse_phone(v) {
            Ok(p) => w.phone = p,
            Err(r) => e.push("phone", r),
        }
    }
    if let Some(v) = &f.domains {
        match parse_set(v, lang) {
            Ok(d) => w.domains = d,
            Err(r) => e.push("domains", r),
        }
    }
    w.normalize();
    merge(&mut e, w.validate());
    e.into_result()
}

/// Applies `f` onto `p` as [`apply_worker`] does; agreement dates resolve
/// against `today`.
pub fn apply_partner(
    f: &PartnerInput,
    p: &mut Partner,
    today: NaiveDate,
    lang: Lang,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    if let Some(v) = &f.name {
        p.name = v.clone();
    }
    if let Some(v) = &f.kind {
        match parse_enum::<PartnerType>(v, lang) {
            Ok(k) => p.kind = k,
            Err(r) => e.push("partner_type", r),
        }
    }
    for (v, target) in [
        (&f.contact, &mut p.contact),
        (&f.provides, &mut p.provides),
        (&f.notes, &mut p.notes),
    ] {
        if let Some(v) = v {
            *target = Some(v.clone());
        }
    }
    if let Some(v) = &f.phone {
        match parse_phone(v) {
            Ok(n) => p.phone = n,
            Err(r) => e.push("phone", r),
        }
    }
    if let Some(v) = &f.domains {
        match parse_set(v, lang) {
            Ok(d) => p.domains = d,
            Err(r) => e.push("domains", r),
        }
    }
    for a in &f.agreements {
        match parse_agreement(a, today) {
            Ok((title, agreement)) => {
                p.agreements.insert(title, agreement);
            }
            Err(r) => {
                e.push("agreements", r);
                break;
            }
        }
    }
    p.normalize();
    merge(&mut e, p.validate());
    e.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Domain;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    #[test]
    fn a_worker_as_typed() {
        let input = WorkerInput {
            name: Some(" 陈静 ".into()),
            qualification: Some("社会工作师".into()),
            community: Some("bsj-02".into()),
            phone: Some("+86 138 1234 5678".into()),
            domains: Some(vec!["elderly".into()]),
            ..WorkerInput::default()
        };
        let mut w = Worker::default();
        apply_worker(&input, &mut w, Lang::Zh).unwrap();
        assert_eq!(w.name, "陈静");
        assert_eq!(w.qualification, Qualification::SocialWorker);
        assert_eq!(w.community.as_deref(), Some("BSJ-02"));
        assert_eq!(w.phone.as_deref(), Some("13812345678"));
        assert_eq!(w.domains, vec![Domain::Elderly]);
        let bad = WorkerInput {
            name: Some(String::new()),
            phone: Some("123".into()),
            qualification: Some("doctor".into()),
            ..WorkerInput::default()
        };
        let e = apply_worker(&bad, &mut w, Lang::En).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["qualification", "phone", "name"]);
        assert_eq!(e.for_field("phone").unwrap().rule, Rule::Phone);
        // Empty text empties the phone.
        let mut w = Worker {
            name: "陈静".into(),
            phone: Some("13812345678".into()),
            ..Default::default()
        };
        let clear = WorkerInput {
            phone: Some(" ".into()),
            ..WorkerInput::default()
        };
        apply_worker(&clear, &mut w, Lang::En).unwrap();
        assert_eq!(w.phone, None);
    }

    #[test]
    fn a_partner_and_its_agreements() {
        let input = PartnerInput {
            name: Some("浙江大学社会学系".into()),
            kind: Some("高校".into()),
            agreements: vec!["实习基地协议:2026-01-01:+30".into()],
            ..PartnerInput::default()
        };
        let mut p = Partner::default();
        apply_partner(&input, &mut p, today(), Lang::Zh).unwrap();
        assert_eq!(p.kind, PartnerType::University);
        let a = &p.agreements["实习基地协议"];
        assert_eq!(a.end, NaiveDate::from_ymd_opt(2026, 12, 28));
        for bad in ["实习", "实习:2026-02-30", ":2026-01-01", "a:1-1:2-1:3-1"] {
            let input = PartnerInput {
                agreements: vec![bad.into()],
                ..PartnerInput::default()
            };
            let e = apply_partner(&input, &mut p.clone(), today(), Lang::Zh).unwrap_err();
            assert_eq!(e.0.len(), 1, "{bad}: {e:?}");
            assert_eq!(
                e.for_field("agreements").unwrap().rule,
                Rule::AgreementFormat
            );
        }
    }
}
