//! Party-building instructors as spreadsheet rows: the organizations
//! covered by name, the visits counted, the last one dated, and every
//! visit (date, organization, note) in one cell.

use super::{date, opt, Lookups};
use crate::model::party::Instructor;
use crate::model::Kind;

pub const INSTRUCTOR: &[&str] = &[
    "id",
    "name",
    "unit",
    "phone",
    "orgs",
    "org_names",
    "visit_count",
    "last_visit",
    "visits",
    "notes",
];

pub fn instructor(id: &str, i: &Instructor, lk: &Lookups) -> Vec<String> {
    let visits: Vec<String> = i
        .visits
        .values()
        .map(|v| {
            format!(
                "{} {}: {}",
                date(Some(v.date)),
                lk.name(Kind::Org, &v.org),
                v.note
            )
        })
        .collect();
    vec![
        id.to_string(),
        i.name.clone(),
        i.unit.clone(),
        opt(&i.phone),
        i.orgs.join(super::LIST_SEP),
        lk.names(Kind::Org, &i.orgs),
        i.visits.len().to_string(),
        date(i.visits.values().map(|v| v.date).max()),
        visits.join("；"),
        opt(&i.notes),
    ]
}
