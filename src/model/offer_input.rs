//! An offer's fields as typed text (the `offer add|edit` flags, the offer
//! form of the linkage pane), applied onto an [`Offer`] with every error
//! collected. The provider is given by id; what kind of record it is
//! comes from a lookup the caller passes in (the model does no I/O).

use chrono::NaiveDate;

use super::need::PEOPLE_MAX;
use super::parse::{merge, optional, parse_date, parse_enum, parse_number, parse_set};
use super::{Cost, Lang, Offer, OfferType, ProviderKind, ValidationErrors};

/// Fields of an offer as typed; `None` leaves the field as it is, empty
/// text empties an optional field; lists replace those there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferInput {
    pub title: Option<String>,
    /// service | venue | funds | goods | skills
    pub kind: Option<String>,
    pub description: Option<String>,
    pub domains: Option<Vec<String>>,
    /// Id of the organization, social worker or partner.
    pub provider: Option<String>,
    /// org | worker | partner (default: the kind of the record with that id).
    pub provider_kind: Option<String>,
    /// Place codes covered.
    pub covers: Option<Vec<String>>,
    pub targets: Option<Vec<String>>,
    pub capacity: Option<String>,
    pub unit: Option<String>,
    pub available_from: Option<String>,
    pub available_until: Option<String>,
    pub schedule: Option<String>,
    /// free | paid | government-purchased
    pub cost: Option<String>,
    pub contact: Option<String>,
    pub notes: Option<String>,
}

/// Applies `f` onto `o`, collecting every error, then normalises `o` and
/// adds the errors of [`Offer::validate`] on fields not already in error.
/// `kind_of` says what kind of record a provider id is (`None`: no such
/// record; the kind then stays as it was for the same provider, else an
/// organization, and the store refuses the unknown id).
pub fn apply(
    f: &OfferInput,
    o: &mut Offer,
    today: NaiveDate,
    lang: Lang,
    kind_of: impl Fn(&str) -> Option<ProviderKind>,
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
        o.title = v.clone();
    }
    for (v, target) in [
        (&f.description, &mut o.description),
        (&f.unit, &mut o.unit),
        (&f.schedule, &mut o.schedule),
        (&f.contact, &mut o.contact),
        (&f.notes, &mut o.notes),
    ] {
        if let Some(v) = v {
            *target = Some(v.clone());
        }
    }
    if let Some(v) = &f.kind {
        set!("type", parse_enum::<OfferType>(v, lang), o.kind);
    }
    if let Some(v) = &f.cost {
        set!("cost", parse_enum::<Cost>(v, lang), o.cost);
    }
    if let Some(v) = &f.domains {
        set!("domains", parse_set(v, lang), o.domains);
    }
    if let Some(v) = &f.targets {
        set!("targets", parse_set(v, lang), o.targets);
    }
    if let Some(v) = &f.covers {
        o.covers = v.clone();
    }
    if let Some(v) = &f.capacity {
        set!(
            "capacity",
            optional(v, |v| parse_number(v, 0, PEOPLE_MAX)),
            o.capacity
        );
    }
    if let Some(v) = &f.available_from {
        set!(
            "available_from",
            optional(v, |v| parse_date(v, today)),
            o.available_from
        );
    }
    if let Some(v) = &f.available_until {
        set!(
            "available_until",
            optional(v, |v| parse_date(v, today)),
            o.available_until
        );
    }
    if let Some(v) = &f.provider_kind {
        set!(
            "provider_kind",
            parse_enum::<ProviderKind>(v, lang),
            o.provider_kind
        );
    }
    if let Some(p) = &f.provider {
        let p = p.trim().to_string();
        if f.provider_kind.is_none() {
            match kind_of(&p) {
                Some(k) => o.provider_kind = k,
                None if p == o.provider => {}
                None => o.provider_kind = ProviderKind::default(),
            }
        }
        o.provider = p;
    }
    o.normalize();
    merge(&mut e, o.validate());
    e.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Domain, Rule};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn kind_of(id: &str) -> Option<ProviderKind> {
        (id == "w1").then_some(ProviderKind::Worker)
    }

    #[test]
    fn provider_kind_from_the_lookup() {
        let input = OfferInput {
            title: Some("上门理发".into()),
            domains: Some(vec!["养老服务".into()]),
            provider: Some(" w1 ".into()),
            kind: Some("技能".into()),
            capacity: Some("１０".into()),
            available_until: Some("+30".into()),
            covers: Some(vec!["bsj-01".into()]),
            ..OfferInput::default()
        };
        let mut o = Offer::default();
        apply(&input, &mut o, today(), Lang::Zh, kind_of).unwrap();
        assert_eq!(o.provider, "w1");
        assert_eq!(o.provider_kind, ProviderKind::Worker);
        assert_eq!(o.kind, OfferType::Skills);
        assert_eq!(o.domains, vec![Domain::Elderly]);
        assert_eq!(o.capacity, Some(10));
        assert_eq!(o.covers, vec!["BSJ-01".to_string()]);
        assert_eq!(o.available_until, NaiveDate::from_ymd_opt(2026, 12, 28));
        // An unknown id keeps the kind of the same provider, else names an
        // organization.
        o.provider_kind = ProviderKind::Partner;
        let same = OfferInput {
            provider: Some("w1".into()),
            ..OfferInput::default()
        };
        apply(&same, &mut o, today(), Lang::Zh, |_| None).unwrap();
        assert_eq!(o.provider_kind, ProviderKind::Partner);
        let other = OfferInput {
            provider: Some("x9".into()),
            ..OfferInput::default()
        };
        apply(&other, &mut o, today(), Lang::Zh, |_| None).unwrap();
        assert_eq!(o.provider_kind, ProviderKind::Org);
    }

    #[test]
    fn errors_name_fields() {
        let input = OfferInput {
            kind: Some("food".into()),
            capacity: Some("1.5".into()),
            available_from: Some("12-1".into()),
            available_until: Some("11-3".into()),
            ..OfferInput::default()
        };
        let e = apply(&input, &mut Offer::default(), today(), Lang::En, kind_of).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "type",
                "capacity",
                "title",
                "domains",
                "provider",
                "available_until"
            ],
            "{e:?}"
        );
        assert_eq!(
            e.for_field("available_until").unwrap().rule,
            Rule::DateOrder
        );
    }
}
