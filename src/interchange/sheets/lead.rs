//! Leads as spreadsheet rows: never the reporter's name or phone
//! (`model::lead::hides`).

use super::{join, opt};
use crate::model::lead::Lead;
use crate::model::{Labeled, Lang};

pub const LEAD: &[&str] = &[
    "id",
    "name_used",
    "founder",
    "place",
    "channels",
    "facts",
    "evidence",
    "source",
    "category",
    "lead_state",
    "reported_to",
    "notes",
];

pub fn lead(id: &str, l: &Lead, lang: Lang) -> Vec<String> {
    vec![
        id.to_string(),
        l.name_used.clone(),
        opt(&l.founder),
        l.place.clone(),
        join(&l.channels),
        l.facts.clone(),
        opt(&l.evidence),
        l.source.label(lang).to_string(),
        l.category.label(lang).to_string(),
        l.state.label(lang).to_string(),
        opt(&l.reported_to),
        opt(&l.notes),
    ]
}
