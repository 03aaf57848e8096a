//! Organizations as spreadsheet rows: the columns, a row from a record,
//! and a record from a row. A column accepts exactly what the matching
//! `sanshe org add --FLAG` accepts (keys or labels of enums, dates as
//! staff type them), because both are read as an [`OrgInput`]
//! (`model::org_input`).

use std::collections::BTreeMap;

use crate::model::{Inspection, OrgInput, Organization};
use crate::text::label;

/// Column keys, in order. A header may name a column by this key or by its
/// Chinese or English label.
pub const COLUMNS: &[&str] = &[
    "id",
    "name",
    "type",
    "credit_code",
    "credit_code_unchecked",
    "state",
    "filing_number",
    "registering_authority",
    "supervising_unit",
    "grid",
    "domains",
    "contact",
    "phone",
    "address",
    "founded",
    "members",
    "staff",
    "volunteers",
    "party",
    "party_members",
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
        label(o.state).to_string(),
        opt(&o.filing_number),
        opt(&o.registering_authority),
        opt(&o.supervising_unit),
        opt(&o.grid),
        o.domains
            .iter()
            .map(|d| label(*d))
            .collect::<Vec<_>>()
            .join(LIST_SEP),
        opt(&o.contact),
        opt(&o.phone),
        opt(&o.address),
        date(o.founded),
        num(o.members),
        num(o.staff),
        num(o.volunteers),
        label(o.party).to_string(),
        num(o.party_members),
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

/// The typed fields a row stands for, from cells by column key (empty
/// cells are absent), and the inspections (which have no flag).
pub fn fields(
    cells: &BTreeMap<&str, &str>,
) -> Result<(OrgInput, BTreeMap<i32, Inspection>), String> {
    let get = |k: &str| {
        cells
            .get(k)
            .filter(|v| !v.trim().is_empty())
            .map(|v| v.to_string())
    };
    let f = OrgInput {
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
        notes: get("notes"),
    };
    let inspections = match get("inspections") {
        None => BTreeMap::new(),
        Some(v) => serde_json::from_str(&v).map_err(|e| e.to_string())?,
    };
    Ok((f, inspections))
}

/// The column a validation error of `field` belongs to.
pub fn column_of(field: &str) -> &str {
    match field {
        "workstation" | "incubation" => "incubation_workstation",
        "code" => "credit_code",
        "domain" => "domains",
        "tag" => "tags",
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
}
