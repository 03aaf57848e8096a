//! An organization's fields as typed text (command-line flags, spreadsheet
//! cells), applied onto an [`Organization`] with every error collected. One
//! set of rules for `sanshe org add|edit` and for spreadsheet import, so a
//! cell accepts exactly what the flag accepts.

use chrono::{Months, NaiveDate};

use super::org::{malformed_detail, COUNT_MAX};
use super::parse::{parse_count, parse_date, parse_enum};
use super::{
    credit_code, phone, Domain, Incubation, Lang, OrgType, Organization, Party, Rating,
    RatingLevel, RegState, Rule, ValidationErrors,
};

/// Fields of an organization as typed; `None` (or an empty list) leaves the
/// field as it is. Enum values accept the English key or a label.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgInput {
    pub name: Option<String>,
    /// community | social-group | service-org | foundation
    pub kind: Option<String>,
    /// Unified social credit code (18 characters).
    pub credit_code: Option<String>,
    /// Accept a credit code whose check character is wrong (recorded on
    /// the organization as unchecked).
    pub accept_bad_checksum: bool,
    pub state: Option<String>,
    pub filing_number: Option<String>,
    pub registering_authority: Option<String>,
    pub supervising_unit: Option<String>,
    /// Grid cell (or community) code.
    pub grid: Option<String>,
    /// Service domains, added to those already there.
    pub domains: Vec<String>,
    pub contact: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub founded: Option<String>,
    pub members: Option<String>,
    pub staff: Option<String>,
    pub volunteers: Option<String>,
    pub party: Option<String>,
    pub party_members: Option<String>,
    /// Rating level 1A-5A.
    pub rating: Option<String>,
    /// Rating expiry (default with a new rating: five years from today).
    pub rating_expires: Option<String>,
    pub incubation_workstation: Option<String>,
    pub incubation_start: Option<String>,
    pub incubation_end: Option<String>,
    /// Tags, added to those already there.
    pub tags: Vec<String>,
    pub notes: Option<String>,
}

/// Applies `f` onto `org`, collecting every error; relative dates resolve
/// against `today`, and "one of" errors list labels in `lang`. Then
/// normalises and validates the result. Nothing is written here; the store
/// validates again.
pub fn apply(
    f: &OrgInput,
    org: &mut Organization,
    today: NaiveDate,
    lang: Lang,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    let count_max = COUNT_MAX as u32;
    macro_rules! set {
        ($field:literal, $res:expr, $target:expr) => {
            match $res {
                Ok(v) => $target = v,
                Err(rule) => e.push($field, rule),
            }
        };
    }
    if let Some(v) = &f.name {
        org.name = v.clone();
    }
    if let Some(v) = &f.kind {
        set!("type", parse_enum::<OrgType>(v, lang), org.kind);
    }
    if let Some(v) = &f.state {
        set!("state", parse_enum::<RegState>(v, lang), org.state);
    }
    if let Some(v) = &f.credit_code {
        let code = credit_code::normalize(v);
        match credit_code::check(&code) {
            credit_code::CreditCheck::Valid => {
                org.credit_code = Some(code);
                org.credit_code_unchecked = false;
            }
            credit_code::CreditCheck::ChecksumMismatch { pos, expected } => {
                if f.accept_bad_checksum {
                    org.credit_code = Some(code);
                    org.credit_code_unchecked = true;
                } else {
                    e.push("credit_code", Rule::CreditChecksum { pos, expected });
                }
            }
            credit_code::CreditCheck::Malformed(why) => e.push(
                "credit_code",
                Rule::CreditMalformed {
                    detail: malformed_detail(&why),
                },
            ),
        }
    }
    let text = |v: &Option<String>, target: &mut Option<String>| {
        if let Some(v) = v {
            *target = Some(v.clone());
        }
    };
    text(&f.filing_number, &mut org.filing_number);
    text(&f.registering_authority, &mut org.registering_authority);
    text(&f.supervising_unit, &mut org.supervising_unit);
    text(&f.grid, &mut org.grid);
    text(&f.contact, &mut org.contact);
    text(&f.address, &mut org.address);
    text(&f.notes, &mut org.notes);
    if let Some(p) = &f.phone {
        match phone::normalize(p) {
            Some(n) => org.phone = Some(n),
            None => e.push("phone", Rule::Phone),
        }
    }
    for d in &f.domains {
        match parse_enum::<Domain>(d, lang) {
            Ok(d) => org.domains.push(d),
            Err(rule) => {
                e.push("domains", rule);
                break;
            }
        }
    }
    if let Some(v) = &f.founded {
        set!("founded", parse_date(v, today).map(Some), org.founded);
    }
    if let Some(v) = &f.members {
        set!("members", parse_count(v, count_max).map(Some), org.members);
    }
    if let Some(v) = &f.staff {
        set!("staff", parse_count(v, count_max).map(Some), org.staff);
    }
    if let Some(v) = &f.volunteers {
        set!(
            "volunteers",
            parse_count(v, count_max).map(Some),
            org.volunteers
        );
    }
    if let Some(v) = &f.party {
        set!("party", parse_enum::<Party>(v, lang), org.party);
    }
    if let Some(v) = &f.party_members {
        set!(
            "party_members",
            parse_count(v, count_max).map(Some),
            org.party_members
        );
    }
    if let Some(v) = &f.rating {
        match parse_enum::<RatingLevel>(v, lang) {
            Ok(level) => {
                let expires = match &f.rating_expires {
                    Some(d) => match parse_date(d, today) {
                        Ok(d) => Some(d),
                        Err(rule) => {
                            e.push("rating_expires", rule);
                            None
                        }
                    },
                    None => today.checked_add_months(Months::new(60)),
                };
                org.rating = Some(Rating { level, expires });
            }
            Err(rule) => e.push("rating", rule),
        }
    } else if let Some(d) = &f.rating_expires {
        match (&mut org.rating, parse_date(d, today)) {
            (Some(r), Ok(d)) => r.expires = Some(d),
            (None, _) => e.push("rating", Rule::Required),
            (_, Err(rule)) => e.push("rating_expires", rule),
        }
    }
    if f.incubation_workstation.is_some()
        || f.incubation_start.is_some()
        || f.incubation_end.is_some()
    {
        let inc = org.incubation.get_or_insert_with(Incubation::default);
        if let Some(w) = &f.incubation_workstation {
            inc.workstation = Some(w.clone());
        }
        if let Some(d) = &f.incubation_start {
            set!(
                "incubation_start",
                parse_date(d, today).map(Some),
                inc.start
            );
        }
        if let Some(d) = &f.incubation_end {
            set!("incubation_end", parse_date(d, today).map(Some), inc.end);
        }
    }
    org.tags.extend(f.tags.iter().cloned());
    e.into_result()?;
    org.normalize();
    org.validate()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    #[test]
    fn applies_typed_fields() {
        let input = OrgInput {
            name: Some(" 西湖读书会 ".into()),
            kind: Some("社会团体".into()),
            domains: vec!["elderly".into()],
            members: Some("12".into()),
            rating: Some("3A".into()),
            founded: Some("t".into()),
            tags: vec!["读书".into()],
            ..OrgInput::default()
        };
        let mut org = Organization::default();
        apply(&input, &mut org, today(), Lang::Zh).unwrap();
        assert_eq!(org.name, "西湖读书会");
        assert_eq!(org.kind, OrgType::SocialGroup);
        assert_eq!(org.domains.len(), 1);
        assert_eq!(org.members, Some(12));
        assert_eq!(org.founded, Some(today()));
        assert_eq!(
            org.rating.and_then(|r| r.expires),
            today().checked_add_months(Months::new(60))
        );
    }

    #[test]
    fn collects_every_error() {
        let input = OrgInput {
            name: Some("读书会".into()),
            kind: Some("nope".into()),
            phone: Some("12".into()),
            members: Some("-1".into()),
            founded: Some("2026-02-30".into()),
            rating_expires: Some("t".into()),
            ..OrgInput::default()
        };
        let mut org = Organization::default();
        let e = apply(&input, &mut org, today(), Lang::En).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            ["type", "phone", "founded", "members", "rating"],
            "{e:?}"
        );
        assert_eq!(
            e.for_field("members").map(|f| &f.rule),
            Some(&Rule::Number {
                min: 0,
                max: COUNT_MAX
            })
        );
    }
}
