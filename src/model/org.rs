//! Social organizations (社会组织).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::credit_code::{self, CreditCheck, MalformedReason};
use super::{bounds, Kind, Labeled, Rule, ValidationErrors};
use super::{domain, phone, Domain, InspectionResult, OrgType, Party, RatingLevel, RegState};

/// Result of one year's annual inspection or annual report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    pub result: InspectionResult,
    /// Date the inspection or report was submitted.
    pub submitted: Option<NaiveDate>,
    /// Rectification due date, for 基本合格/不合格.
    pub rectify_due: Option<NaiveDate>,
}

/// Rating (等级评估), valid five years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub level: RatingLevel,
    pub expires: Option<NaiveDate>,
}

/// Incubation at the center (孵化).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incubation {
    pub workstation: Option<String>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

/// A social organization. Only `name` and `kind` are required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: OrgType,
    /// Unified social credit code; filed community organizations have none.
    pub credit_code: Option<String>,
    /// Set when the code was accepted although a check character is wrong.
    pub credit_code_unchecked: bool,
    pub state: RegState,
    /// 备案编号 for filed organizations.
    pub filing_number: Option<String>,
    /// 登记管理机关.
    pub registering_authority: Option<String>,
    /// 业务主管单位 / 指导单位.
    pub supervising_unit: Option<String>,
    /// Legal representative or person in charge.
    pub contact: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// Code of the grid cell (or community) the organization belongs to.
    pub grid: Option<String>,
    pub domains: Vec<Domain>,
    pub founded: Option<NaiveDate>,
    pub members: Option<u32>,
    pub staff: Option<u32>,
    pub volunteers: Option<u32>,
    pub party: Party,
    pub party_members: Option<u32>,
    /// Annual inspection or report, by year.
    pub inspections: BTreeMap<i32, Inspection>,
    pub rating: Option<Rating>,
    pub incubation: Option<Incubation>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    // What registration rosters carry. These come last: a record stored
    // before they existed ends where they begin, and `store::records`
    // reads it with them absent.
    /// 登记证号 (registration certificate number).
    pub registration_number: Option<String>,
    /// 法定代表人 (legal representative), apart from `contact`.
    pub legal_representative: Option<String>,
    /// Capital in fen (分), exact (see [`money`](super::money)).
    pub capital_fen: Option<u64>,
    /// What the capital is: 注册资金, 开办资金 or 原始基金.
    pub capital_kind: Option<CapitalKind>,
    /// 业务范围.
    pub business_scope: Option<String>,
    /// Registration certificate valid from (证书有效期).
    pub valid_from: Option<NaiveDate>,
    /// Registration certificate valid until.
    pub valid_until: Option<NaiveDate>,
    /// Registered directly (直接登记): no supervising unit. `Some(true)`
    /// or absent (`None`, never `Some(false)`): an absent flag is no field
    /// at all, so records of offices that do not know it stay as they were.
    pub direct_registration: Option<bool>,
    /// Legacy 9-character organization code (组织机构代码), kept apart from
    /// the credit code.
    pub organization_code: Option<String>,
    // The party organization's details ([6/6], SCHEMA 4): where one exists
    // (`party` own or joint), its name, secretary, date set up,
    // probationary members and activists (members: `party_members`);
    // where none, why and when one is planned.
    /// 党组织名称.
    pub party_name: Option<String>,
    /// 党组织书记.
    pub party_secretary: Option<String>,
    /// Date the party organization was set up.
    pub party_set_up: Option<NaiveDate>,
    /// 预备党员 count.
    pub party_probationary: Option<u32>,
    /// 入党积极分子 count.
    pub party_activists: Option<u32>,
    /// Why no party organization (yet).
    pub party_reason: Option<String>,
    /// When one is planned.
    pub party_planned: Option<NaiveDate>,
}

crate::labeled_enum! {
    /// What an organization's capital is (资金类型).
    pub enum CapitalKind {
        Registered = ("registered", "注册资金", "Registered capital"),
        Founding = ("founding", "开办资金", "Founding capital"),
        OriginalFund = ("original-fund", "原始基金", "Original fund"),
    }
}

impl CapitalKind {
    /// The kind an organization of `kind` has: social groups register
    /// capital, service institutions found with it, foundations hold an
    /// original fund.
    pub fn of(kind: OrgType) -> CapitalKind {
        match kind {
            OrgType::ServiceOrg => CapitalKind::Founding,
            OrgType::Foundation => CapitalKind::OriginalFund,
            OrgType::Community | OrgType::SocialGroup => CapitalKind::Registered,
        }
    }
}

/// Whether a legacy organization code (`12345678-9`, hyphen dropped) has
/// its form: nine digits or capital letters.
pub fn organization_code_ok(code: &str) -> bool {
    code.len() == 9
        && code
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

/// Limits on free text (see [`bounds::text_limit`]).
pub use super::bounds::{NAME_MAX, NOTES_MAX, TEXT_MAX};
/// Upper bound for member, staff and volunteer counts.
pub const COUNT_MAX: i64 = 10_000_000;

fn clean(opt: &mut Option<String>) {
    if let Some(s) = opt {
        let t = s.trim();
        if t.is_empty() {
            *opt = None;
        } else if t.len() != s.len() {
            *opt = Some(t.to_string());
        }
    }
}

impl Organization {
    pub fn new(name: impl Into<String>, kind: OrgType) -> Self {
        Organization {
            name: name.into(),
            kind,
            ..Default::default()
        }
    }

    /// Trims text, normalises codes and phone numbers, orders sets.
    pub fn normalize(&mut self) {
        self.name = self.name.trim().to_string();
        for f in [
            &mut self.credit_code,
            &mut self.filing_number,
            &mut self.registering_authority,
            &mut self.supervising_unit,
            &mut self.contact,
            &mut self.phone,
            &mut self.address,
            &mut self.grid,
            &mut self.notes,
            &mut self.registration_number,
            &mut self.legal_representative,
            &mut self.business_scope,
            &mut self.organization_code,
            &mut self.party_name,
            &mut self.party_secretary,
            &mut self.party_reason,
        ] {
            clean(f);
        }
        bounds::unix_lines(&mut self.notes);
        bounds::unix_lines(&mut self.business_scope);
        if let Some(c) = &self.organization_code {
            self.organization_code = Some(credit_code::normalize(c).replace(['-', '－'], ""));
        }
        if self.direct_registration == Some(false) {
            self.direct_registration = None;
        }
        if self.is_direct() {
            self.supervising_unit = None;
        }
        if self.capital_fen.is_some() && self.capital_kind.is_none() {
            self.capital_kind = Some(CapitalKind::of(self.kind));
        }
        if let Some(c) = &self.credit_code {
            self.credit_code = Some(credit_code::normalize(c));
        }
        if let Some(p) = &self.phone {
            if let Some(n) = phone::normalize(p) {
                self.phone = Some(n);
            }
        }
        if let Some(g) = &self.grid {
            self.grid = Some(super::place::normalize_code(g));
        }
        domain::normalize(&mut self.domains);
        for t in &mut self.tags {
            *t = t.trim().to_string();
        }
        self.tags.retain(|t| !t.is_empty());
        self.tags.sort();
        self.tags.dedup();
        if self.incubation.as_ref() == Some(&Incubation::default()) {
            self.incubation = None;
        }
    }

    /// Checks every field; returns every error found. A credit code whose
    /// check character is wrong passes only if `credit_code_unchecked` is set.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        if self.name.is_empty() {
            e.push("name", Rule::Required);
        }
        self.bounds(&mut e);
        if let Some(code) = &self.credit_code {
            match credit_code::check(code) {
                CreditCheck::Valid => {}
                CreditCheck::ChecksumMismatch { pos, expected } => {
                    if !self.credit_code_unchecked {
                        e.push("credit_code", Rule::CreditChecksum { pos, expected });
                    }
                }
                CreditCheck::Malformed(why) => e.push(
                    "credit_code",
                    Rule::CreditMalformed {
                        detail: malformed_detail(&why),
                    },
                ),
            }
        }
        if let Some(p) = &self.phone {
            if !phone::is_valid(p) {
                e.push("phone", Rule::Phone);
            }
        }
        for (field, v) in [
            ("members", self.members),
            ("staff", self.staff),
            ("volunteers", self.volunteers),
            ("party_members", self.party_members),
            ("party_probationary", self.party_probationary),
            ("party_activists", self.party_activists),
        ] {
            if let Some(v) = v {
                if v as i64 > COUNT_MAX {
                    e.push(
                        field,
                        Rule::Number {
                            min: 0,
                            max: COUNT_MAX,
                        },
                    );
                }
            }
        }
        if let Some(code) = &self.organization_code {
            if !organization_code_ok(code) {
                e.push("organization_code", Rule::OrgCode);
            }
        }
        if self.capital_fen.is_some_and(|f| f > super::money::MAX_FEN) {
            e.push(
                "capital",
                Rule::Money {
                    max: super::money::format(super::money::MAX_FEN),
                },
            );
        }
        if let (Some(s), Some(end)) = (self.valid_from, self.valid_until) {
            if end < s {
                e.push("valid_until", Rule::DateOrder);
            }
        }
        if let Some(inc) = &self.incubation {
            if let (Some(s), Some(end)) = (inc.start, inc.end) {
                if end < s {
                    e.push("incubation_end", Rule::DateOrder);
                }
            }
        }
        self.check_party(&mut e);
        e.into_result()
    }

    /// The bounds of free text, sets and dates (see [`bounds`]); the credit
    /// code, phone and grid have rules of their own.
    fn bounds(&self, e: &mut ValidationErrors) {
        let k = Kind::Org;
        bounds::text(e, k, "name", &self.name);
        bounds::opt_text(e, k, "grid", &self.grid);
        for (field, v) in [
            ("filing_number", &self.filing_number),
            ("registering_authority", &self.registering_authority),
            ("supervising_unit", &self.supervising_unit),
            ("contact", &self.contact),
            ("address", &self.address),
            ("notes", &self.notes),
            ("registration_number", &self.registration_number),
            ("legal_representative", &self.legal_representative),
            ("business_scope", &self.business_scope),
            ("organization_code", &self.organization_code),
        ] {
            bounds::opt_text(e, k, field, v);
        }
        bounds::opt_date(e, "valid_from", self.valid_from);
        bounds::opt_date(e, "valid_until", self.valid_until);
        bounds::texts(e, k, "tags", self.tags.iter());
        bounds::opt_date(e, "founded", self.founded);
        if self.inspections.len() > bounds::text_limit(k, "inspections").items {
            e.push(
                "inspections",
                Rule::TooMany {
                    max: bounds::text_limit(k, "inspections").items,
                },
            );
        }
        for (year, i) in &self.inspections {
            if let Some(rule) = bounds::year_rule(*year) {
                e.push("year", rule);
            }
            bounds::opt_date(e, "submitted", i.submitted);
            bounds::opt_date(e, "rectify_due", i.rectify_due);
        }
        if let Some(r) = &self.rating {
            bounds::opt_date(e, "rating_expires", r.expires);
        }
        if let Some(inc) = &self.incubation {
            if let Some(w) = &inc.workstation {
                if let Some(rule) = bounds::text_rule(w, bounds::text_limit(k, "incubation")) {
                    e.push("incubation_workstation", rule);
                }
            }
            bounds::opt_date(e, "incubation_start", inc.start);
            bounds::opt_date(e, "incubation_end", inc.end);
        }
    }

    /// Whether the organization has a party organization of its own or a
    /// joint one (not only an instructor).
    pub fn has_party_org(&self) -> bool {
        matches!(self.party, Party::Own | Party::Joint)
    }

    /// The party organization's details only where one exists; the reason
    /// and planned date only where none does; dates in order.
    fn check_party(&self, e: &mut ValidationErrors) {
        let k = Kind::Org;
        for (field, v) in [
            ("party_name", &self.party_name),
            ("party_secretary", &self.party_secretary),
            ("party_reason", &self.party_reason),
        ] {
            bounds::opt_text(e, k, field, v);
        }
        bounds::opt_date(e, "party_set_up", self.party_set_up);
        bounds::opt_date(e, "party_planned", self.party_planned);
        let lang = crate::text::lang();
        let party = self.party.label(lang);
        let details = [
            ("party_name", self.party_name.is_some()),
            ("party_secretary", self.party_secretary.is_some()),
            ("party_set_up", self.party_set_up.is_some()),
            ("party_probationary", self.party_probationary.is_some()),
            ("party_activists", self.party_activists.is_some()),
        ];
        let why_none = [
            ("party_reason", self.party_reason.is_some()),
            ("party_planned", self.party_planned.is_some()),
        ];
        let (wrong, rule) = if self.has_party_org() {
            (&why_none[..], "org.party_exists")
        } else {
            (&details[..], "org.party_none")
        };
        for (field, set) in wrong {
            if *set {
                e.push(
                    field,
                    Rule::Other {
                        message: crate::tr!(rule, party = party),
                    },
                );
            }
        }
        if let (Some(set_up), Some(founded)) = (self.party_set_up, self.founded) {
            if set_up < founded {
                e.push("party_set_up", Rule::DateOrder);
            }
        }
    }

    /// Registered directly (直接登记), without a supervising unit.
    pub fn is_direct(&self) -> bool {
        self.direct_registration == Some(true)
    }

    /// The most recent inspection year and result.
    pub fn latest_inspection(&self) -> Option<(i32, &Inspection)> {
        self.inspections.iter().next_back().map(|(y, i)| (*y, i))
    }
}

/// A short English description of why a code is malformed (the UI turns the
/// rule into the user's language; this detail is only the position).
pub fn malformed_detail(why: &MalformedReason) -> String {
    match why {
        MalformedReason::Length(n) => format!("length {n}"),
        MalformedReason::BadChar { pos, ch } => format!("{ch}@{pos}"),
        MalformedReason::RegionNotDigits { pos } => format!("region@{pos}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_org_is_valid() {
        let o = Organization::new("望江门社区银龄互助会", OrgType::Community);
        assert!(o.validate().is_ok());
    }

    #[test]
    fn errors_name_fields() {
        let mut o = Organization::new("", OrgType::SocialGroup);
        o.credit_code = Some("53100000500021676A".into());
        o.phone = Some("12345".into());
        let e = o.validate().unwrap_err();
        assert_eq!(e.for_field("name").unwrap().rule, Rule::Required);
        assert_eq!(
            e.for_field("credit_code").unwrap().rule,
            Rule::CreditChecksum {
                pos: 18,
                expected: 'K'
            }
        );
        assert_eq!(e.for_field("phone").unwrap().rule, Rule::Phone);
        o.credit_code_unchecked = true;
        let e = o.validate().unwrap_err();
        assert!(e.for_field("credit_code").is_none());
    }

    #[test]
    fn normalize_trims_and_orders() {
        let mut o = Organization::new("  湖滨晴雨志愿队 ", OrgType::Community);
        o.credit_code = Some(" 53100000500021676k".into());
        o.phone = Some("+86 13812345678".into());
        o.domains = vec![Domain::Volunteer, Domain::Elderly];
        o.tags = vec!["b".into(), " a ".into(), "".into(), "b".into()];
        o.grid = Some(" bsj-01-03".into());
        o.normalize();
        assert_eq!(o.name, "湖滨晴雨志愿队");
        assert_eq!(o.credit_code.as_deref(), Some("53100000500021676K"));
        assert_eq!(o.phone.as_deref(), Some("13812345678"));
        assert_eq!(o.domains, vec![Domain::Elderly, Domain::Volunteer]);
        assert_eq!(o.tags, vec!["a".to_string(), "b".to_string()]);
        assert_eq!(o.grid.as_deref(), Some("BSJ-01-03"));
    }
}
