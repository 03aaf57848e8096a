//! An organization's fields as typed text (command-line flags, spreadsheet
//! cells, the app's organization form), applied onto an [`Organization`]
//! with every error collected. One set of rules for `sanshe org add|edit`,
//! spreadsheet import and the form, so a cell or a form field accepts
//! exactly what the flag accepts.

use chrono::{Months, NaiveDate};

use super::org::{malformed_detail, COUNT_MAX};
use super::parse::{optional, parse_count, parse_date, parse_enum};
use super::{
    credit_code, money, phone, CapitalKind, Domain, Incubation, Lang, OrgType, Organization, Party,
    Rating, RatingLevel, RegState, Rule, ValidationErrors,
};

/// The values a yes/no field takes, for its error.
fn yes_no_allowed() -> String {
    "yes (是), no (否)".to_string()
}

/// Fields of an organization as typed; `None` (or an empty list) leaves the
/// field as it is, empty text empties an optional field. Enum values accept
/// the English key or a label.
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
    /// Service domains, added to those already there (see `replace_lists`).
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
    /// Tags, added to those already there (see `replace_lists`).
    pub tags: Vec<String>,
    /// `domains` and `tags` replace those there instead of adding to them:
    /// the form shows the whole lists, flags and cells add.
    pub replace_lists: bool,
    pub notes: Option<String>,
    /// 登记证号.
    pub registration_number: Option<String>,
    /// 法定代表人.
    pub legal_representative: Option<String>,
    /// Capital: `10万元`, `100000元`, or a bare number in 万元.
    pub capital: Option<String>,
    /// registered | founding | original-fund (default: by type).
    pub capital_kind: Option<String>,
    pub business_scope: Option<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    /// Registered directly, no supervising unit: yes | no.
    pub direct_registration: Option<String>,
    /// Legacy 9-character organization code.
    pub organization_code: Option<String>,
    /// The party organization's name, secretary, date set up,
    /// probationary members, activists (only with a party organization).
    pub party_name: Option<String>,
    pub party_secretary: Option<String>,
    pub party_set_up: Option<String>,
    pub party_probationary: Option<String>,
    pub party_activists: Option<String>,
    /// Why there is none, and when one is planned (only without one).
    pub party_reason: Option<String>,
    pub party_planned: Option<String>,
}

/// Words that say yes or no in a cell or flag (是/否, 有/无, yes/no...).
pub fn yes_no(v: &str) -> Option<bool> {
    match v.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "是" | "有" | "已建立" | "已建" | "已成立" => {
            Some(true)
        }
        "no" | "n" | "false" | "0" | "否" | "无" | "没有" | "未建立" | "未建" => {
            Some(false)
        }
        _ => None,
    }
}

/// The words rosters use for a type, as one of ours: 民办非企业单位 is the
/// old name of 社会服务机构.
fn kind_word(v: &str) -> &str {
    let t = v.trim();
    if t.contains("民办非企业") || t == "民非" {
        "service-org"
    } else if t == "社团" {
        "social-group"
    } else {
        t
    }
}

/// The words rosters use for a registration state: 正常 / 存续 / 登记
/// mean registered.
fn state_word(v: &str) -> &str {
    match v.trim() {
        "正常" | "存续" | "登记" | "已登记" | "成立" | "登记成立" | "在册" => {
            "registered"
        }
        "注销" | "已注销" => "deregistered",
        "撤销" | "吊销" | "撤销登记" | "已撤销" | "已吊销" => "revoked",
        "备案" | "已备案" => "filed",
        "孵化" => "incubating",
        t => t,
    }
}

/// Whether a supervising unit cell says there is none: 直接登记.
fn is_direct(v: &str) -> bool {
    let t: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    t.starts_with("直接登记") || t == "无（直接登记）" || t == "无(直接登记)"
}

/// Sets the credit code typed as `v`; a wrong check character is an error
/// unless `accept_bad` (then the code is recorded as unchecked).
fn credit(v: &str, accept_bad: bool, org: &mut Organization, e: &mut ValidationErrors) {
    let code = credit_code::normalize(v);
    match credit_code::check(&code) {
        credit_code::CreditCheck::Valid => {
            org.credit_code = Some(code);
            org.credit_code_unchecked = false;
        }
        credit_code::CreditCheck::ChecksumMismatch { pos, expected } => {
            if accept_bad {
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
    let count = |v: &str| parse_count(v, count_max);
    let date = |v: &str| parse_date(v, today);
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
        set!("type", parse_enum::<OrgType>(kind_word(v), lang), org.kind);
    }
    if let Some(v) = &f.state {
        set!(
            "state",
            parse_enum::<RegState>(state_word(v), lang),
            org.state
        );
    }
    match &f.credit_code {
        None => {}
        Some(v) if v.trim().is_empty() => {
            org.credit_code = None;
            org.credit_code_unchecked = false;
        }
        Some(v) => credit(v, f.accept_bad_checksum, org, &mut e),
    }
    let text = |v: &Option<String>, target: &mut Option<String>| {
        if let Some(v) = v {
            *target = Some(v.clone());
        }
    };
    text(&f.filing_number, &mut org.filing_number);
    text(&f.registering_authority, &mut org.registering_authority);
    match &f.supervising_unit {
        Some(v) if is_direct(v) => {
            org.direct_registration = Some(true);
            org.supervising_unit = None;
        }
        Some(v) => {
            org.supervising_unit = Some(v.clone());
            org.direct_registration = None;
        }
        None => {}
    }
    if let Some(v) = &f.direct_registration {
        match yes_no(v) {
            Some(d) => org.direct_registration = d.then_some(true),
            None => e.push(
                "direct_registration",
                Rule::OneOf {
                    allowed: yes_no_allowed(),
                },
            ),
        }
    }
    text(&f.registration_number, &mut org.registration_number);
    text(&f.legal_representative, &mut org.legal_representative);
    text(&f.business_scope, &mut org.business_scope);
    text(&f.organization_code, &mut org.organization_code);
    if let Some(v) = &f.capital {
        let fen = |v: &str| {
            money::parse(v, money::Unit::Wan).ok_or_else(|| Rule::Money {
                max: money::format(money::MAX_FEN),
            })
        };
        set!("capital", optional(v, fen), org.capital_fen);
    }
    if let Some(v) = &f.capital_kind {
        set!(
            "capital_kind",
            parse_enum::<CapitalKind>(v, lang).map(Some),
            org.capital_kind
        );
    }
    if let Some(v) = &f.valid_from {
        set!("valid_from", optional(v, date), org.valid_from);
    }
    if let Some(v) = &f.valid_until {
        set!("valid_until", optional(v, date), org.valid_until);
    }
    text(&f.grid, &mut org.grid);
    text(&f.contact, &mut org.contact);
    text(&f.address, &mut org.address);
    text(&f.notes, &mut org.notes);
    if let Some(p) = &f.phone {
        let number = |p: &str| phone::normalize(p).ok_or(Rule::Phone);
        set!("phone", optional(p, number), org.phone);
    }
    if f.replace_lists {
        org.domains.clear();
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
        set!("founded", optional(v, date), org.founded);
    }
    if let Some(v) = &f.members {
        set!("members", optional(v, count), org.members);
    }
    if let Some(v) = &f.staff {
        set!("staff", optional(v, count), org.staff);
    }
    if let Some(v) = &f.volunteers {
        set!("volunteers", optional(v, count), org.volunteers);
    }
    let had_party_org = org.has_party_org();
    if let Some(v) = &f.party {
        // 是 keeps a kind already known (own, joint, instructor), else own.
        match yes_no(v) {
            Some(true) if org.party.covered() => {}
            Some(true) => org.party = Party::Own,
            Some(false) => org.party = Party::None,
            None => set!("party", parse_enum::<Party>(v, lang), org.party),
        }
    }
    if let Some(v) = &f.party_members {
        set!("party_members", optional(v, count), org.party_members);
    }
    party_details(f, org, had_party_org, &mut e, today);
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
            set!("incubation_start", optional(d, date), inc.start);
        }
        if let Some(d) = &f.incubation_end {
            set!("incubation_end", optional(d, date), inc.end);
        }
    }
    if f.replace_lists {
        org.tags.clear();
    }
    org.tags.extend(f.tags.iter().cloned());
    e.into_result()?;
    org.normalize();
    org.validate()
}

/// The party organization's details as typed. When the party status
/// changes between having a party organization and not, what no longer
/// applies is emptied (a form that does not show these fields can still
/// change the status), unless this very input gives it: then the
/// organization's rules refuse the pair.
fn party_details(
    f: &OrgInput,
    org: &mut Organization,
    had_party_org: bool,
    e: &mut ValidationErrors,
    today: NaiveDate,
) {
    let has = org.has_party_org();
    if has != had_party_org {
        if has {
            if f.party_reason.is_none() {
                org.party_reason = None;
            }
            if f.party_planned.is_none() {
                org.party_planned = None;
            }
        } else {
            if f.party_name.is_none() {
                org.party_name = None;
            }
            if f.party_secretary.is_none() {
                org.party_secretary = None;
            }
            if f.party_set_up.is_none() {
                org.party_set_up = None;
            }
            if f.party_probationary.is_none() {
                org.party_probationary = None;
            }
            if f.party_activists.is_none() {
                org.party_activists = None;
            }
        }
    }
    let count = |v: &str| parse_count(v, COUNT_MAX as u32);
    let date = |v: &str| parse_date(v, today);
    for (v, target) in [
        (&f.party_name, &mut org.party_name),
        (&f.party_secretary, &mut org.party_secretary),
        (&f.party_reason, &mut org.party_reason),
    ] {
        if let Some(v) = v {
            *target = Some(v.clone());
        }
    }
    for (field, v, target) in [
        ("party_set_up", &f.party_set_up, &mut org.party_set_up),
        ("party_planned", &f.party_planned, &mut org.party_planned),
    ] {
        if let Some(v) = v {
            match optional(v, date) {
                Ok(d) => *target = d,
                Err(rule) => e.push(field, rule),
            }
        }
    }
    for (field, v, target) in [
        (
            "party_probationary",
            &f.party_probationary,
            &mut org.party_probationary,
        ),
        (
            "party_activists",
            &f.party_activists,
            &mut org.party_activists,
        ),
    ] {
        if let Some(v) = v {
            match optional(v, count) {
                Ok(n) => *target = n,
                Err(rule) => e.push(field, rule),
            }
        }
    }
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
    fn roster_words_and_new_fields() {
        let input = OrgInput {
            name: Some("西湖区助老服务中心".into()),
            kind: Some("民办非企业单位".into()),
            state: Some("存续".into()),
            supervising_unit: Some("直接登记".into()),
            party: Some("是".into()),
            capital: Some("10.5".into()),
            registration_number: Some("浙民证字第010001号".into()),
            legal_representative: Some("王芳".into()),
            valid_from: Some("2019年6月10日".into()),
            valid_until: Some("20240609".into()),
            organization_code: Some("12345678-x".into()),
            ..OrgInput::default()
        };
        let mut org = Organization::default();
        apply(&input, &mut org, today(), Lang::Zh).unwrap();
        assert_eq!(org.kind, OrgType::ServiceOrg);
        assert_eq!(org.state, RegState::Registered);
        assert!(org.is_direct() && org.supervising_unit.is_none());
        assert_eq!(org.party, Party::Own);
        assert_eq!(org.capital_fen, Some(10_500_000));
        assert_eq!(org.capital_kind, Some(CapitalKind::Founding));
        assert_eq!(org.organization_code.as_deref(), Some("12345678X"));
        assert_eq!(org.valid_until, NaiveDate::from_ymd_opt(2024, 6, 9));
        // 是 keeps a joint branch; 否 removes it.
        org.party = Party::Joint;
        let yes = OrgInput {
            party: Some("有".into()),
            ..OrgInput::default()
        };
        apply(&yes, &mut org, today(), Lang::Zh).unwrap();
        assert_eq!(org.party, Party::Joint);
        let bad = OrgInput {
            capital: Some("十万".into()),
            organization_code: Some("1234".into()),
            valid_from: Some("2024-01-01".into()),
            valid_until: Some("2023-01-01".into()),
            ..OrgInput::default()
        };
        let e = apply(&bad, &mut org, today(), Lang::Zh).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["capital"], "{e:?}");
        let bad = OrgInput {
            organization_code: Some("1234".into()),
            valid_from: Some("2024-01-01".into()),
            valid_until: Some("2023-01-01".into()),
            ..OrgInput::default()
        };
        let e = apply(&bad, &mut org.clone(), today(), Lang::Zh).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["organization_code", "valid_until"], "{e:?}");
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

    #[test]
    fn lists_add_or_replace_and_empty_text_empties() {
        let mut org = Organization::new("读书会", OrgType::Community);
        org.domains = vec![Domain::Elderly];
        org.tags = vec!["读书".into()];
        org.phone = Some("13800000000".into());
        org.members = Some(12);
        org.founded = Some(today());
        let add = OrgInput {
            domains: vec!["志愿服务".into()],
            tags: vec!["示范".into()],
            ..OrgInput::default()
        };
        let mut added = org.clone();
        apply(&add, &mut added, today(), Lang::Zh).unwrap();
        assert_eq!(added.domains, [Domain::Elderly, Domain::Volunteer]);
        assert_eq!(added.tags, ["示范", "读书"]);
        let replace = OrgInput {
            replace_lists: true,
            ..add
        };
        apply(&replace, &mut org, today(), Lang::Zh).unwrap();
        assert_eq!(org.domains, [Domain::Volunteer]);
        assert_eq!(org.tags, ["示范"]);
        let empty = OrgInput {
            phone: Some(" ".into()),
            members: Some(String::new()),
            founded: Some(String::new()),
            credit_code: Some(String::new()),
            ..OrgInput::default()
        };
        apply(&empty, &mut org, today(), Lang::Zh).unwrap();
        assert_eq!((org.phone, org.members, org.founded), (None, None, None));
    }

    #[test]
    fn party_details_only_with_a_party_organization() {
        let mut org = Organization::new("读书会", OrgType::Community);
        let set_up = OrgInput {
            party: Some("joint".into()),
            party_name: Some("北山街道社会组织联合党支部".into()),
            party_secretary: Some("周建国".into()),
            party_set_up: Some("2025-07-01".into()),
            party_probationary: Some("1".into()),
            ..OrgInput::default()
        };
        apply(&set_up, &mut org, today(), Lang::Zh).unwrap();
        assert_eq!(org.party, Party::Joint);
        assert_eq!(org.party_set_up, NaiveDate::from_ymd_opt(2025, 7, 1));
        // A reason for having none, while there is one: refused.
        let reason = OrgInput {
            party_reason: Some("党员不足三人".into()),
            ..OrgInput::default()
        };
        let e = apply(&reason, &mut org.clone(), today(), Lang::Zh).unwrap_err();
        assert!(e.for_field("party_reason").is_some(), "{e:?}");
        // Back to none: the details go, the reason may come.
        let none = OrgInput {
            party: Some("none".into()),
            party_reason: Some("党员不足三人".into()),
            party_planned: Some("2027-06-30".into()),
            ..OrgInput::default()
        };
        apply(&none, &mut org, today(), Lang::Zh).unwrap();
        assert_eq!(org.party_name, None);
        assert_eq!(org.party_secretary, None);
        assert_eq!(org.party_reason.as_deref(), Some("党员不足三人"));
        // Details without a party organization: refused, field by field.
        let details = OrgInput {
            party_secretary: Some("周建国".into()),
            party_set_up: Some("2026-13-01".into()),
            ..OrgInput::default()
        };
        let e = apply(&details, &mut org.clone(), today(), Lang::Zh).unwrap_err();
        assert!(e.for_field("party_set_up").is_some(), "{e:?}");
        let details = OrgInput {
            party_secretary: Some("周建国".into()),
            ..OrgInput::default()
        };
        let e = apply(&details, &mut org.clone(), today(), Lang::Zh).unwrap_err();
        assert!(e.for_field("party_secretary").is_some(), "{e:?}");
        // Set up before the organization was founded.
        let mut o = Organization::new("读书会", OrgType::Community);
        let early = OrgInput {
            founded: Some("2024-01-01".into()),
            party: Some("own".into()),
            party_set_up: Some("2023-01-01".into()),
            ..OrgInput::default()
        };
        let e = apply(&early, &mut o, today(), Lang::Zh).unwrap_err();
        assert_eq!(
            e.for_field("party_set_up").map(|f| &f.rule),
            Some(&Rule::DateOrder)
        );
    }
}
