//! The incubation base as spreadsheet rows: spaces, enrollments, services.

use super::{date, join, num, opt, Lookups};
use crate::model::activity::tenths_text;
use crate::model::incubation::{Enrollment, Service, Space};
use crate::model::{Kind, Labeled, Lang};

pub const SPACE: &[&str] = &["id", "code", "kind", "seats", "area", "notes"];

pub fn space(id: &str, s: &Space, lang: Lang) -> Vec<String> {
    vec![
        id.to_string(),
        s.code.clone(),
        s.kind.label(lang).to_string(),
        s.seats.to_string(),
        s.area_tenths
            .map(|a| tenths_text(u64::from(a)))
            .unwrap_or_default(),
        opt(&s.notes),
    ]
}

pub const ENROLLMENT: &[&str] = &[
    "id",
    "org",
    "org_name",
    "space",
    "space_code",
    "seats",
    "cohort",
    "stage",
    "from",
    "to",
    "exited",
    "agreement",
    "goals",
    "party_at_entry",
    "party_at_exit",
    "notes",
];

pub fn enrollment(id: &str, e: &Enrollment, lk: &Lookups, lang: Lang) -> Vec<String> {
    let goals = e
        .goals
        .iter()
        .map(|g| match e.met(*g) {
            Some(d) => format!("{} {d}", g.label(lang)),
            None => g.label(lang).to_string(),
        })
        .collect::<Vec<_>>();
    let party = |p: Option<crate::model::Party>| p.map(|p| p.label(lang)).unwrap_or("");
    vec![
        id.to_string(),
        e.org.clone(),
        lk.name(Kind::Org, &e.org).to_string(),
        e.space.clone(),
        lk.name(Kind::Space, &e.space).to_string(),
        e.seats.to_string(),
        opt(&e.cohort),
        e.stage.label(lang).to_string(),
        date(Some(e.from)),
        date(Some(e.to)),
        date(e.exited),
        opt(&e.agreement),
        join(&goals),
        party(e.party_at_entry).to_string(),
        party(e.party_at_exit).to_string(),
        opt(&e.notes),
    ]
}

pub const SERVICE: &[&str] = &[
    "id",
    "org",
    "org_name",
    "enrollment",
    "kind",
    "date",
    "hours",
    "staff_names",
    "notes",
];

pub fn service(id: &str, s: &Service, lk: &Lookups, lang: Lang) -> Vec<String> {
    vec![
        id.to_string(),
        s.org.clone(),
        lk.name(Kind::Org, &s.org).to_string(),
        s.enrollment.clone().unwrap_or_default(),
        s.kind.label(lang).to_string(),
        date(Some(s.date)),
        num(s.hours_tenths.map(|h| tenths_text(u64::from(h)))),
        join(&s.staff_names),
        opt(&s.notes),
    ]
}

pub const COHORT: &[&str] = &["id", "cohort", "from", "to", "capacity", "notes"];

pub fn cohort(id: &str, c: &crate::model::incubation::Cohort) -> Vec<String> {
    vec![
        id.to_string(),
        c.name.clone(),
        date(Some(c.from)),
        date(Some(c.to)),
        num(c.capacity),
        opt(&c.notes),
    ]
}
