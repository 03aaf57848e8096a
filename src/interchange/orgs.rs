//! Organizations as spreadsheet rows: the columns, a row from a record,
//! and a record from a row. A column accepts exactly what the matching
//! `sanshe org add --FLAG` accepts (keys or labels of enums, dates as
//! staff type them), because both are read as an [`OrgInput`]
//! (`model::org_input`).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::org_input::yes_no;
use crate::model::{inspection_input, money, Inspection, InspectionInput, OrgInput, Organization};
use crate::text::label;

/// Column keys, in order. A header may name a column by this key or by its
/// Chinese or English label.
pub const COLUMNS: &[&str] = &[
    "id",
    "name",
    "type",
    "credit_code",
    "credit_code_unchecked",
    "organization_code",
    "registration_number",
    "state",
    "filing_number",
    "registering_authority",
    "supervising_unit",
    "direct_registration",
    "grid",
    "domains",
    "legal_representative",
    "contact",
    "phone",
    "address",
    "founded",
    "valid_from",
    "valid_until",
    "capital",
    "capital_kind",
    "business_scope",
    "members",
    "staff",
    "volunteers",
    "party",
    "party_members",
    "party_name",
    "party_secretary",
    "party_set_up",
    "party_probationary",
    "party_activists",
    "party_reason",
    "party_planned",
    "rating",
    "rating_expires",
    "incubation_workstation",
    "incubation_start",
    "incubation_end",
    "inspections",
    "tags",
    "notes",
];

/// Separator of list cells (domains, tags) when written.
pub const LIST_SEP: &str = "、";

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn num(v: Option<u32>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

fn date(v: Option<chrono::NaiveDate>) -> String {
    v.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The cells of an organization, in [`COLUMNS`] order, in this thread's
/// language.
pub fn row(id: &str, o: &Organization) -> Vec<String> {
    let inc = o.incubation.clone().unwrap_or_default();
    vec![
        id.to_string(),
        o.name.clone(),
        label(o.kind).to_string(),
        opt(&o.credit_code),
        if o.credit_code_unchecked {
            "true".into()
        } else {
            String::new()
        },
        opt(&o.organization_code),
        opt(&o.registration_number),
        label(o.state).to_string(),
        opt(&o.filing_number),
        opt(&o.registering_authority),
        opt(&o.supervising_unit),
        yes(o.is_direct()),
        opt(&o.grid),
        o.domains
            .iter()
            .map(|d| label(*d))
            .collect::<Vec<_>>()
            .join(LIST_SEP),
        opt(&o.legal_representative),
        opt(&o.contact),
        opt(&o.phone),
        opt(&o.address),
        date(o.founded),
        date(o.valid_from),
        date(o.valid_until),
        o.capital_fen.map(money::format).unwrap_or_default(),
        o.capital_kind
            .map(|k| label(k).to_string())
            .unwrap_or_default(),
        opt(&o.business_scope),
        num(o.members),
        num(o.staff),
        num(o.volunteers),
        label(o.party).to_string(),
        num(o.party_members),
        opt(&o.party_name),
        opt(&o.party_secretary),
        date(o.party_set_up),
        num(o.party_probationary),
        num(o.party_activists),
        opt(&o.party_reason),
        date(o.party_planned),
        o.rating
            .as_ref()
            .map(|r| label(r.level).to_string())
            .unwrap_or_default(),
        date(o.rating.as_ref().and_then(|r| r.expires)),
        opt(&inc.workstation),
        date(inc.start),
        date(inc.end),
        if o.inspections.is_empty() {
            String::new()
        } else {
            serde_json::to_string(&o.inspections).unwrap_or_default()
        },
        o.tags.join(LIST_SEP),
        opt(&o.notes),
    ]
}

/// A flag as a cell: `是` (in the user's language), else empty.
fn yes(v: bool) -> String {
    if v {
        crate::tr!("interchange.yes")
    } else {
        String::new()
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split(['、', ',', '，', ';', '；', '\n'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

fn truthy(s: &str) -> bool {
    matches!(
        s.trim().to_lowercase().as_str(),
        "true" | "yes" | "1" | "是" | "y"
    )
}

/// Why a row's cells make no fields: the column (its field key) and the
/// message.
pub type CellError = (&'static str, String);

/// The typed fields a row stands for, from cells by field key (normalised,
/// see `values`; no value is absent), and the inspections (which have no
/// flag). Fields only rosters have are read here: a validity period, a code
/// that is either kind, 是否注销, one year's inspection (read as `sanshe
/// inspection set` reads it; relative dates against `today`).
pub fn fields(
    cells: &BTreeMap<&str, String>,
    today: NaiveDate,
) -> Result<(OrgInput, BTreeMap<i32, Inspection>), CellError> {
    let get = |k: &str| cells.get(k).filter(|v| !v.trim().is_empty()).cloned();
    let mut f = OrgInput {
        name: get("name"),
        kind: get("type"),
        credit_code: get("credit_code"),
        accept_bad_checksum: get("credit_code_unchecked").is_some_and(|v| truthy(&v)),
        state: get("state"),
        filing_number: get("filing_number"),
        registering_authority: get("registering_authority"),
        supervising_unit: get("supervising_unit"),
        grid: get("grid"),
        domains: get("domains").map(|v| split_list(&v)).unwrap_or_default(),
        contact: get("contact"),
        phone: get("phone"),
        address: get("address"),
        founded: get("founded"),
        members: get("members"),
        staff: get("staff"),
        volunteers: get("volunteers"),
        party: get("party"),
        party_members: get("party_members"),
        rating: get("rating"),
        rating_expires: get("rating_expires"),
        incubation_workstation: get("incubation_workstation"),
        incubation_start: get("incubation_start"),
        incubation_end: get("incubation_end"),
        tags: get("tags").map(|v| split_list(&v)).unwrap_or_default(),
        replace_lists: false,
        notes: get("notes"),
        registration_number: get("registration_number"),
        legal_representative: get("legal_representative"),
        capital: get("capital"),
        capital_kind: get("capital_kind"),
        business_scope: get("business_scope"),
        valid_from: get("valid_from"),
        valid_until: get("valid_until"),
        direct_registration: get("direct_registration"),
        organization_code: get("organization_code"),
        party_name: get("party_name"),
        party_secretary: get("party_secretary"),
        party_set_up: get("party_set_up"),
        party_probationary: get("party_probationary"),
        party_activists: get("party_activists"),
        party_reason: get("party_reason"),
        party_planned: get("party_planned"),
    };
    if let Some(v) = get("validity") {
        let Some((from, until)) = super::values::period(&v) else {
            return Err(("validity", crate::tr!("interchange.roster.bad_period")));
        };
        f.valid_from.get_or_insert(from);
        f.valid_until.get_or_insert(until);
    }
    if let Some(v) = get("code_any") {
        // 18 characters: a credit code; else the legacy organization code.
        if crate::model::credit_code::normalize(&v).chars().count() == 18 {
            f.credit_code.get_or_insert(v);
        } else {
            f.organization_code.get_or_insert(v);
        }
    }
    if let Some(v) = get("deregistered") {
        match yes_no(&v) {
            Some(true) => f.state = Some("deregistered".into()),
            Some(false) => {}
            None => return Err(("deregistered", crate::tr!("interchange.roster.bad_yes_no"))),
        }
    }
    let mut inspections: BTreeMap<i32, Inspection> = match get("inspections") {
        None => BTreeMap::new(),
        Some(v) => serde_json::from_str(&v).map_err(|e| ("inspections", e.to_string()))?,
    };
    match (get("inspection_year"), get("inspection_result")) {
        (Some(y), Some(r)) => {
            // The rules of `sanshe inspection set` (model::inspection_input).
            let input = InspectionInput {
                year: y,
                result: r,
                ..InspectionInput::default()
            };
            match inspection_input::apply(&input, today, crate::text::lang()) {
                Ok((y, inspection)) => {
                    inspections.insert(y, inspection);
                }
                Err(e) => {
                    let fe = &e.0[0];
                    let column = if fe.field == "year" {
                        "inspection_year"
                    } else {
                        "inspection_result"
                    };
                    return Err((column, crate::text::rule_message(&fe.rule)));
                }
            }
        }
        (None, Some(_)) => {
            let rule = crate::model::Rule::Required;
            return Err(("inspection_year", crate::text::rule_message(&rule)));
        }
        _ => {}
    }
    Ok((f, inspections))
}

/// The column a validation error of `field` belongs to.
pub fn column_of(field: &str) -> &str {
    match field {
        "workstation" | "incubation" => "incubation_workstation",
        "code" => "credit_code",
        "domain" => "domains",
        "tag" => "tags",
        "capital_fen" => "capital",
        f => f,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_cells_split_on_any_separator() {
        assert_eq!(
            split_list("养老服务、 儿童,助残；"),
            vec!["养老服务", "儿童", "助残"]
        );
        assert!(truthy("是") && !truthy(""));
        assert_eq!(
            row("x-1", &Organization::new("读书会", Default::default())).len(),
            COLUMNS.len()
        );
    }

    #[test]
    fn every_column_has_its_own_header_in_each_language() {
        for lang in [crate::model::Lang::Zh, crate::model::Lang::En] {
            let mut seen = std::collections::HashMap::new();
            for c in COLUMNS {
                let h = super::super::header::norm(&super::super::header(c, lang));
                if let Some(other) = seen.insert(h.clone(), *c) {
                    panic!("{lang:?}: {c} and {other} are both headed {h:?}");
                }
                assert_eq!(
                    super::super::header::column_for(&h),
                    Some(*c),
                    "{lang:?} {h}"
                );
            }
        }
    }
}
